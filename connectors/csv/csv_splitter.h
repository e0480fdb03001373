// connectors/csv/csv_splitter.h: splits a byte stream into delimited-text
// records (RFC 4180) without decoding it, reading a chunk at a time.
//
// Rules: a field that starts with '"' is quoted; inside it "" is one quote
// and delimiters and line breaks are data. Records end at LF or CRLF outside
// quotes; a final record without a line break is read too. Lenient where RFC
// 4180 is silent: a quote inside an unquoted field is data, bytes after a
// closing quote are appended to the field, a lone CR is data. Records with no
// bytes at all (blank lines) are skipped.
//
// Memory is one chunk plus the current record, whatever the file size.
//
// Thread-safety: one thread at a time.
//
// Example:
//   CsvSplitter splitter(std::move(source), ',');
//   RawRecord record;
//   while (true) {
//     absl::StatusOr<bool> more = splitter.Next(&record);
//     if (!more.ok() || !*more) break;
//     ... record.fields ...
//   }
#ifndef GRIDHUB_CONNECTORS_CSV_CSV_SPLITTER_H_
#define GRIDHUB_CONNECTORS_CSV_CSV_SPLITTER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gridhub::connectors {

// A source of bytes read front to back (a file; a string in tests).
class ByteSource {
 public:
  virtual ~ByteSource() = default;

  // Reads up to `size` bytes into `buffer`. Returns the number read, 0 only
  // at the end. A non-OK status (the read failed) names the source.
  virtual absl::StatusOr<size_t> Read(char* buffer, size_t size) = 0;
};

// One record as bytes.
struct RawRecord {
  int64_t line = 0;                 // 1-based physical line where it starts
  std::vector<std::string> fields;  // unquoted field bytes, not decoded
  std::string raw;                  // the record's bytes without its line break
  bool unterminated_quote = false;  // the input ended inside a quoted field
};

class CsvSplitter {
 public:
  static constexpr size_t kDefaultChunkSize = size_t{1} << 20;  // 1 MiB

  // Reads from `source`, which is positioned at byte `start_offset` of its
  // input, the start of physical line `start_line`. `delimiter` is ',' or
  // '\t' (any byte other than '"', CR and LF works).
  CsvSplitter(std::unique_ptr<ByteSource> source, char delimiter,
              size_t chunk_size = kDefaultChunkSize, int64_t start_offset = 0,
              int64_t start_line = 1);

  // Reads the next non-blank record into *record. Returns true when one was
  // read, false at the end of the input; a read error of the source is
  // returned as is (and returned again by later calls).
  absl::StatusOr<bool> Next(RawRecord* record);

  // Byte offset where the next call of Next() starts reading: just past the
  // last record returned (its line break included), or the end of input.
  int64_t offset() const { return offset_; }

  // 1-based physical line that starts at offset().
  int64_t line() const { return line_; }

 private:
  enum class State {
    kFieldStart,   // nothing of the current field read yet
    kUnquoted,     // inside an unquoted field (or after a closed quote)
    kQuoted,       // inside a quoted field
    kQuotedQuote,  // just read a '"' inside a quoted field
  };

  // Replaces the buffer with the next chunk. False at the end of input.
  absl::StatusOr<bool> Fill();

  // Appends to field_ the bytes from pos_ up to the next byte that matters in
  // the current state.
  void ConsumeRun();

  std::unique_ptr<ByteSource> source_;
  const char delimiter_;
  std::vector<char> buffer_;
  size_t pos_ = 0;        // next byte to read in buffer_
  size_t end_ = 0;        // bytes of buffer_ holding data
  int64_t buffer_start_;  // input offset of buffer_[0]
  bool at_end_ = false;   // the source returned 0
  absl::Status error_;    // sticky read error
  int64_t offset_;        // see offset()
  int64_t line_;          // physical line at pos_
  State state_ = State::kFieldStart;
  std::string field_;  // current field's bytes
};

}  // namespace gridhub::connectors

#endif  // GRIDHUB_CONNECTORS_CSV_CSV_SPLITTER_H_
