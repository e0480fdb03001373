// connectors/csv/csv_connector.cc: see csv_connector.h. The byte-level record
// splitting lives in csv_splitter.h, decoding in text_decoder.h; this file
// parses the config, opens the file, detects encoding and delimiter, and turns
// records into rows or row errors.
#include "connectors/csv/csv_connector.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "connectors/csv/csv_splitter.h"
#include "connectors/csv/text_decoder.h"
#include "connectors/header_row.h"
#include "schema/status.h"

namespace gridhub::connectors {
namespace {

// How much of the file encoding and delimiter detection look at.
constexpr size_t kDetectBytes = 64 * 1024;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kGb18030Bom = "\x84\x31\x95\x33";

// A file read with POSIX read(2). Bytes given to Unread() are returned first,
// so detection can look at the start of a pipe as well as of a file.
class FileSource : public ByteSource {
 public:
  FileSource(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FileSource() override { ::close(fd_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  void Unread(std::string bytes) {
    pending_ = std::move(bytes);
    pending_pos_ = 0;
  }

  absl::StatusOr<size_t> Read(char* buffer, size_t size) override {
    if (pending_pos_ < pending_.size()) {
      const size_t n = std::min(size, pending_.size() - pending_pos_);
      std::memcpy(buffer, pending_.data() + pending_pos_, n);
      pending_pos_ += n;
      return n;
    }
    while (true) {
      const ssize_t n = ::read(fd_, buffer, size);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno == EINTR) continue;
      const int error = errno;
      return absl::DataLossError(
          absl::StrCat("csv: cannot read '", path_, "': ", std::strerror(error)));
    }
  }

  // Reads until `size` bytes or the end of the file.
  absl::StatusOr<std::string> ReadUpTo(size_t size) {
    std::string bytes(size, '\0');
    size_t got = 0;
    while (got < size) {
      GRIDHUB_ASSIGN_OR_RETURN(const size_t n, Read(bytes.data() + got, size - got));
      if (n == 0) break;
      got += n;
    }
    bytes.resize(got);
    return bytes;
  }

 private:
  const int fd_;
  const std::string path_;
  std::string pending_;
  size_t pending_pos_ = 0;
};

absl::StatusOr<std::unique_ptr<FileSource>> OpenFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    return absl::ErrnoToStatus(error, absl::StrCat("csv: cannot open '", path, "'"));
  }
  struct stat info;
  if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(absl::StrCat("csv: '", path, "' is a directory, not a file"));
  }
  return std::make_unique<FileSource>(fd, path);
}

// Tab if, on the first line that has a tab or a comma outside quotes (among
// the first kHeaderSearchRows non-blank lines, so that a title line such as
// "走访登记表" above the header is passed over), tabs outnumber commas; else
// comma.
char DetectDelimiter(std::string_view prefix) {
  size_t tabs = 0;
  size_t commas = 0;
  bool in_quotes = false;
  bool seen_content = false;
  size_t lines = 0;
  for (const char c : prefix) {
    if (c == '"') {
      in_quotes = !in_quotes;
      seen_content = true;
    } else if (in_quotes || c == '\r') {
      continue;
    } else if (c == '\n') {
      if (tabs + commas > 0) break;
      if (seen_content && ++lines == kHeaderSearchRows) break;
      seen_content = false;
    } else {
      seen_content = true;
      if (c == '\t') ++tabs;
      if (c == ',') ++commas;
    }
  }
  return tabs > commas ? '\t' : ',';
}

class CsvConnector : public Connector {
 public:
  CsvConnector(std::string path, std::unique_ptr<CsvSplitter> splitter,
               std::unique_ptr<TextDecoder> decoder, char delimiter)
      : path_(std::move(path)),
        splitter_(std::move(splitter)),
        decoder_(std::move(decoder)),
        delimiter_(delimiter) {}

  // Finds the header row (see header_row.h): line `header_row`, or chosen
  // among the first non-blank rows when it is 0. Rows above it are skipped,
  // rows after it that were read ahead are kept for Next(). Errors name the
  // file.
  absl::Status ReadHeader(int64_t header_row) {
    configured_ = header_row > 0;
    Pending header;
    if (configured_) {
      while (true) {
        GRIDHUB_ASSIGN_OR_RETURN(const bool found, ReadAhead(&header));
        if (!found) {
          return absl::InvalidArgumentError(absl::StrCat("csv: '", path_, "': header_row ",
                                                         header_row, " is past the end of the file"));
        }
        if (header.record.line == header_row) break;
        if (header.record.line > header_row) {
          return absl::InvalidArgumentError(
              absl::StrCat("csv: '", path_, "': header_row ", header_row,
                           " is a blank line or inside a quoted field (the next row starts at line ",
                           header.record.line, ")"));
        }
        ++title_rows_;
      }
    } else {
      std::vector<Pending> window;
      while (window.size() < kHeaderSearchRows) {
        Pending next;
        absl::StatusOr<bool> found = ReadAhead(&next);
        // A read error below the rows read so far is reported by Next(), in
        // order (the splitter repeats it), as when no row is read ahead.
        if (!found.ok() && window.empty()) return found.status();
        if (!found.ok() || !*found) break;
        window.push_back(std::move(next));
        if (window.back().record.unterminated_quote) break;  // it ran to the end of the file
      }
      if (window.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("csv: '", path_, "' has no header row (only blank lines)"));
      }
      // Candidates: the rows before one whose quote is never closed.
      std::vector<std::vector<std::string>> candidates;
      for (const Pending& row : window) {
        if (row.record.unterminated_quote) break;
        candidates.push_back(DecodeForChoice(row.record));
      }
      const size_t chosen = ChooseHeaderRow(candidates);
      title_rows_ = static_cast<int64_t>(chosen);
      header = std::move(window[chosen]);
      for (size_t i = chosen + 1; i < window.size(); ++i) pending_.push_back(std::move(window[i]));
    }
    checkpoint_offset_ = header.offset;
    checkpoint_line_ = header.line;
    const RawRecord& record = header.record;
    header_line_ = record.line;
    if (record.unterminated_quote) {
      return absl::InvalidArgumentError(absl::StrCat("csv: '", path_, "': header row (line ",
                                                     record.line,
                                                     ") has a quote that is never closed"));
    }
    std::vector<std::string> names(record.fields.size());
    for (size_t i = 0; i < record.fields.size(); ++i) {
      const absl::Status decoded = decoder_->Decode(record.fields[i], &names[i]);
      if (!decoded.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "csv: '", path_, "': header row (line ", record.line, ") is not valid ",
            EncodingName(decoder_->encoding()), ": column ", i + 1, ": ", decoded.message()));
      }
    }
    columns_ = ColumnNames(std::move(names), &renamed_);
    return absl::OkStatus();
  }

  const std::vector<std::string>& columns() const override { return columns_; }

  absl::StatusOr<bool> Next(SourceItem* item) override {
    if (!pending_.empty()) {
      record_ = std::move(pending_.front().record);
      checkpoint_offset_ = pending_.front().offset;
      checkpoint_line_ = pending_.front().line;
      pending_.pop_front();
    } else {
      GRIDHUB_ASSIGN_OR_RETURN(const bool found, splitter_->Next(&record_));
      checkpoint_offset_ = splitter_->offset();
      checkpoint_line_ = splitter_->line();
      if (!found) return false;
    }
    const int64_t line = record_.line;
    if (record_.unterminated_quote) {
      SetError(item, kReasonUnterminatedQuote,
               absl::StrCat("line ", line, ": a quoted field is not closed before the end of '",
                            path_, "'"));
      return true;
    }
    if (record_.fields.size() != columns_.size()) {
      SetError(item, kReasonColumnCount,
               absl::StrCat("line ", line, ": expected ", columns_.size(), " columns, found ",
                            record_.fields.size()));
      return true;
    }
    std::vector<std::string>& cells = item->row.cells;
    cells.resize(record_.fields.size());
    for (size_t i = 0; i < record_.fields.size(); ++i) {
      const absl::Status decoded = decoder_->Decode(record_.fields[i], &cells[i]);
      if (!decoded.ok()) {
        SetError(
            item, kReasonBadEncoding,
            absl::StrCat("line ", line, ": column ", i + 1, " (", columns_[i], ") is not valid ",
                         EncodingName(decoder_->encoding()), ": ", decoded.message()));
        return true;
      }
    }
    item->is_error = false;
    item->row.line = line;
    item->error = RowError();
    return true;
  }

  std::string Checkpoint() const override {
    return absl::StrCat("offset=", checkpoint_offset_, ";line=", checkpoint_line_);
  }

  std::string Describe() const override {
    return absl::StrCat("encoding=", EncodingName(decoder_->encoding()),
                        " delimiter=", delimiter_ == '\t' ? "tab" : "comma",
                        " columns=", columns_.size(),
                        DescribeHeader(header_line_, title_rows_, configured_, renamed_));
  }

 private:
  // A record read ahead while looking for the header, with the checkpoint
  // position just after it.
  struct Pending {
    RawRecord record;
    int64_t offset = 0;
    int64_t line = 0;
  };

  absl::StatusOr<bool> ReadAhead(Pending* out) {
    GRIDHUB_ASSIGN_OR_RETURN(const bool found, splitter_->Next(&out->record));
    out->offset = splitter_->offset();
    out->line = splitter_->line();
    return found;
  }

  // The record's cells as text for choosing the header; a field that does not
  // decode is U+FFFD (non-empty, and no known header).
  std::vector<std::string> DecodeForChoice(const RawRecord& record) {
    std::vector<std::string> cells(record.fields.size());
    for (size_t i = 0; i < record.fields.size(); ++i) {
      if (!decoder_->Decode(record.fields[i], &cells[i]).ok()) cells[i] = "\xEF\xBF\xBD";
    }
    return cells;
  }

  void SetError(SourceItem* item, std::string_view reason, std::string message) {
    item->is_error = true;
    item->row.line = 0;
    item->row.cells.clear();
    item->error.line = record_.line;
    item->error.reason_code = std::string(reason);
    item->error.message = std::move(message);
    item->error.raw = std::move(record_.raw);
  }

  const std::string path_;
  std::unique_ptr<CsvSplitter> splitter_;
  std::unique_ptr<TextDecoder> decoder_;
  const char delimiter_;
  std::vector<std::string> columns_;
  std::vector<std::string> renamed_;  // new names of duplicate header names
  bool configured_ = false;           // the header line was given as header_row
  int64_t header_line_ = 0;
  int64_t title_rows_ = 0;            // non-blank rows above the header, skipped
  std::deque<Pending> pending_;       // rows after the header read ahead, not yet returned
  int64_t checkpoint_offset_ = 0;
  int64_t checkpoint_line_ = 1;
  RawRecord record_;  // reused between calls
};

}  // namespace

absl::StatusOr<CsvConfig> ParseCsvConfig(const ConnectorOptions& options) {
  CsvConfig config;
  for (const auto& [key, value] : options) {
    if (key == "path") {
      config.path = value;
    } else if (key == "encoding") {
      const std::string lower = absl::AsciiStrToLower(value);
      if (lower == "auto") {
        config.encoding = TextEncoding::kAuto;
      } else if (lower == "utf-8" || lower == "utf8") {
        config.encoding = TextEncoding::kUtf8;
      } else if (lower == "gb18030" || lower == "gbk") {
        config.encoding = TextEncoding::kGb18030;
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("csv: unknown encoding '", value, "' (expected auto, utf-8 or gb18030)"));
      }
    } else if (key == "delimiter") {
      const std::string lower = absl::AsciiStrToLower(value);
      if (lower == "auto") {
        config.delimiter = 0;
      } else if (lower == "comma" || lower == ",") {
        config.delimiter = ',';
      } else if (lower == "tab" || lower == "\t" || lower == "\\t") {
        config.delimiter = '\t';
      } else {
        return absl::InvalidArgumentError(absl::StrCat(
            "csv: unknown delimiter '", value, "' (expected auto, comma, tab, ',' or '\\t')"));
      }
    } else if (key == "header_row") {
      GRIDHUB_ASSIGN_OR_RETURN(config.header_row, ParseHeaderRowOption("csv", value));
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "csv: unknown option '", key, "' (expected path, encoding, delimiter, header_row)"));
    }
  }
  if (config.path.empty()) {
    return absl::InvalidArgumentError("csv: option 'path' is required");
  }
  return config;
}

absl::StatusOr<std::unique_ptr<Connector>> OpenCsv(const CsvConfig& config) {
  if (config.path.empty()) {
    return absl::InvalidArgumentError("csv: no path given");
  }
  if (config.header_row < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("csv: '", config.path, "': header_row must be 0 (auto) or a line number"));
  }
  if (config.delimiter != 0 && config.delimiter != ',' && config.delimiter != '\t') {
    return absl::InvalidArgumentError(
        absl::StrCat("csv: '", config.path, "': the delimiter must be a comma or a tab"));
  }
  GRIDHUB_ASSIGN_OR_RETURN(std::unique_ptr<FileSource> source, OpenFile(config.path));
  GRIDHUB_ASSIGN_OR_RETURN(std::string prefix, source->ReadUpTo(kDetectBytes));
  if (prefix.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("csv: '", config.path, "' is empty"));
  }
  const bool is_whole_file = prefix.size() < kDetectBytes;
  std::string_view text = prefix;

  TextEncoding encoding = config.encoding;
  size_t bom = 0;
  if (encoding != TextEncoding::kGb18030 && text.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    encoding = TextEncoding::kUtf8;
    bom = kUtf8Bom.size();
  }
  text.remove_prefix(bom);
  if (encoding == TextEncoding::kAuto) encoding = DetectEncoding(text, is_whole_file);
  if (encoding == TextEncoding::kGb18030 && text.substr(0, kGb18030Bom.size()) == kGb18030Bom) {
    bom = kGb18030Bom.size();
    text.remove_prefix(bom);
  }
  if (text.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("csv: '", config.path, "' is empty (only a byte-order mark)"));
  }
  const char delimiter = config.delimiter != 0 ? config.delimiter : DetectDelimiter(text);

  GRIDHUB_ASSIGN_OR_RETURN(std::unique_ptr<TextDecoder> decoder, TextDecoder::Create(encoding));
  source->Unread(std::string(text));
  auto splitter =
      std::make_unique<CsvSplitter>(std::move(source), delimiter, CsvSplitter::kDefaultChunkSize,
                                    /*start_offset=*/static_cast<int64_t>(bom));
  auto connector = std::make_unique<CsvConnector>(config.path, std::move(splitter),
                                                  std::move(decoder), delimiter);
  GRIDHUB_RETURN_IF_ERROR(connector->ReadHeader(config.header_row));
  return std::unique_ptr<Connector>(std::move(connector));
}

ConnectorFactory CsvConnectorFactory() {
  ConnectorFactory factory;
  factory.name = "csv";
  factory.help =
      "delimited text files (.csv .tsv .txt), UTF-8 or GB18030; options: path, "
      "encoding=auto|utf-8|gb18030, delimiter=auto|comma|tab, header_row=auto|<line> "
      "(default: found below any title rows)";
  factory.create =
      [](const ConnectorOptions& options) -> absl::StatusOr<std::unique_ptr<Connector>> {
    GRIDHUB_ASSIGN_OR_RETURN(CsvConfig config, ParseCsvConfig(options));
    return OpenCsv(config);
  };
  return factory;
}

}  // namespace gridhub::connectors
