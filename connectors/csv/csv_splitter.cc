// connectors/csv/csv_splitter.cc: see csv_splitter.h.
#include "connectors/csv/csv_splitter.h"

#include <algorithm>
#include <utility>

#include "schema/status.h"

namespace gridhub::connectors {

CsvSplitter::CsvSplitter(std::unique_ptr<ByteSource> source, char delimiter, size_t chunk_size,
                         int64_t start_offset, int64_t start_line)
    : source_(std::move(source)),
      delimiter_(delimiter),
      buffer_(std::max<size_t>(chunk_size, 1)),
      buffer_start_(start_offset),
      offset_(start_offset),
      line_(start_line) {}

absl::StatusOr<bool> CsvSplitter::Fill() {
  buffer_start_ += static_cast<int64_t>(end_);
  pos_ = 0;
  end_ = 0;
  if (at_end_) return false;
  GRIDHUB_ASSIGN_OR_RETURN(const size_t read, source_->Read(buffer_.data(), buffer_.size()));
  if (read == 0) {
    at_end_ = true;
    return false;
  }
  end_ = read;
  return true;
}

void CsvSplitter::ConsumeRun() {
  const char* begin = buffer_.data() + pos_;
  const char* end = buffer_.data() + end_;
  const char* p = begin;
  if (state_ == State::kUnquoted) {
    while (p < end && *p != delimiter_ && *p != '\n' && *p != '\r') ++p;
  } else if (state_ == State::kQuoted) {
    while (p < end && *p != '"' && *p != '\n') ++p;
  } else {
    return;
  }
  field_.append(begin, static_cast<size_t>(p - begin));
  pos_ += static_cast<size_t>(p - begin);
}

absl::StatusOr<bool> CsvSplitter::Next(RawRecord* record) {
  if (!error_.ok()) return error_;
  while (true) {
    record->fields.clear();
    record->raw.clear();
    record->unterminated_quote = false;
    record->line = line_;
    const int64_t start = buffer_start_ + static_cast<int64_t>(pos_);
    state_ = State::kFieldStart;
    field_.clear();
    bool cr_pending = false;  // read a CR outside quotes; an LF may follow
    size_t segment = pos_;    // first byte of buffer_ not yet copied to raw
    int64_t terminator = 0;   // bytes of the line break that ended the record
    bool at_end = false;
    while (true) {
      if (pos_ == end_) {
        record->raw.append(buffer_.data() + segment, pos_ - segment);
        absl::StatusOr<bool> filled = Fill();
        if (!filled.ok()) {
          error_ = filled.status();
          return error_;
        }
        segment = 0;
        if (!*filled) {
          at_end = true;
          break;
        }
      }
      if (!cr_pending) {
        ConsumeRun();
        if (pos_ == end_) continue;
      }
      const char c = buffer_[pos_++];
      if (cr_pending) {
        cr_pending = false;
        if (c == '\n') {
          terminator = 2;
          ++line_;
          break;
        }
        field_.push_back('\r');  // a lone CR is data
        state_ = State::kUnquoted;
      }
      bool record_end = false;
      switch (state_) {
        case State::kFieldStart:
        case State::kUnquoted:
        case State::kQuotedQuote:
          if (state_ == State::kFieldStart && c == '"') {
            state_ = State::kQuoted;
          } else if (state_ == State::kQuotedQuote && c == '"') {
            field_.push_back('"');  // "" inside quotes
            state_ = State::kQuoted;
          } else if (c == delimiter_) {
            record->fields.push_back(std::move(field_));
            field_.clear();
            state_ = State::kFieldStart;
          } else if (c == '\n') {
            record_end = true;
          } else if (c == '\r') {
            cr_pending = true;
          } else {
            field_.push_back(c);
            state_ = State::kUnquoted;
          }
          break;
        case State::kQuoted:
          if (c == '"') {
            state_ = State::kQuotedQuote;
          } else {
            if (c == '\n') ++line_;
            field_.push_back(c);
          }
          break;
      }
      if (record_end) {
        terminator = 1;
        ++line_;
        break;
      }
    }
    if (!at_end) record->raw.append(buffer_.data() + segment, pos_ - segment);
    if (at_end) {
      if (state_ == State::kQuoted) {
        record->unterminated_quote = true;
      } else if (cr_pending) {
        terminator = 1;  // a CR at the very end is a line break
      }
    }
    const int64_t end = buffer_start_ + static_cast<int64_t>(pos_);
    offset_ = end;
    if (end - start - terminator == 0) {  // a blank line, or nothing left
      if (at_end) return false;
      continue;
    }
    record->raw.resize(record->raw.size() - static_cast<size_t>(terminator));
    record->fields.push_back(std::move(field_));
    field_.clear();
    return true;
  }
}

}  // namespace gridhub::connectors
