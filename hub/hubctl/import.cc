// `hubctl import`: reads a file through its connector, maps columns to
// canonical fields (detected from the headers unless given), and sends
// batches to hubd. Rows that cannot be used are sent too, as rejected rows,
// so the server quarantines them: nothing is silently dropped.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <unordered_set>

#include "GridHub.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "hub/hubctl/call.h"
#include "hub/hubctl/commands.h"
#include "hub/hubctl/json.h"
#include "hub/hubctl/source.h"
#include "hub/hubctl/text.h"

namespace gridhub::hubctl {
namespace {

constexpr size_t kMaxRejectedShown = 20;
// A batch is sent when it reaches --batch rows or this many bytes of values,
// well under the 64 MiB frame limit.
constexpr size_t kMaxBatchBytes = 8u << 20;

struct Totals {
  int64_t rows = 0, imported = 0, unchanged = 0, rejected = 0, quarantined = 0, created = 0,
          linked = 0, review_queued = 0;
  std::map<std::string, int64_t> reasons;
  std::map<std::string, int64_t> flags;
  std::vector<std::string> rejected_lines;  // first few, for the summary

  void Add(const wire::ImportResult& r) {
    imported += r.imported;
    unchanged += r.unchanged;
    rejected += r.rejected;
    quarantined += r.quarantined;
    created += r.residents_created;
    linked += r.records_linked;
    review_queued += r.review_queued;
    for (const auto& [k, v] : r.reasons) reasons[k] += v;
    for (const auto& [k, v] : r.flags) flags[k] += v;
  }
};

wire::RejectedRow Reject(const std::string& source, int64_t line, std::string_view reason,
                         std::string message, std::string raw, Totals* totals) {
  wire::RejectedRow row;
  row.source = source;
  row.line = line;
  row.reason_code = std::string(reason);
  row.message = std::move(message);
  row.raw = std::move(raw);
  row.__isset.raw = true;
  if (totals->rejected_lines.size() < kMaxRejectedShown) {
    // Reasons name lines, columns and counts, never cell values.
    const bool names_line = row.message.rfind("line ", 0) == 0;  // connector messages do
    totals->rejected_lines.push_back(
        names_line ? absl::StrCat(row.message, " [", row.reason_code, "]")
                   : absl::StrCat("line ", line, ": ", row.message, " [", row.reason_code, "]"));
  }
  return row;
}

// A row's cells as kept in quarantine (tab-separated, as read).
std::string JoinCells(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out.push_back('\t');
    out += cells[i];
  }
  return out;
}

void PrintSummary(const OpenedSource& src, const std::string& source, const Totals& t, bool json,
                  double seconds) {
  if (json) {
    JsonWriter w;
    w.BeginObject();
    w.Key("file"); w.String(src.path);
    w.Key("source"); w.String(source);
    w.Key("record_id_column"); w.String(src.mapping.record_id_column);
    w.Key("mapping");
    w.BeginObject();
    for (const auto& [c, f] : src.mapping.column_fields) { w.Key(c); w.String(f); }
    w.EndObject();
    w.Key("rows_read"); w.Int(t.rows);
    w.Key("imported"); w.Int(t.imported);
    w.Key("unchanged"); w.Int(t.unchanged);
    w.Key("rejected"); w.Int(t.rejected);
    w.Key("quarantined"); w.Int(t.quarantined);
    w.Key("residents_created"); w.Int(t.created);
    w.Key("records_linked"); w.Int(t.linked);
    w.Key("review_queued"); w.Int(t.review_queued);
    w.Counts("reasons", t.reasons);
    w.Counts("flags", t.flags);
    w.Key("rejected_rows");
    w.BeginArray();
    for (const auto& l : t.rejected_lines) w.String(l);
    w.EndArray();
    w.EndObject();
    std::cout << w.str() << "\n";
    return;
  }
  std::cout << absl::StrFormat("import %s as source \"%s\" (%s, %.1f s)\n", src.path, source,
                               src.connector->Describe(), seconds)
            << "  mapping:\n" << DescribeMapping(src)
            << absl::StrFormat(
                   "  rows read          %d\n"
                   "  imported           %d\n"
                   "  unchanged          %d\n"
                   "  rejected           %d   (rows that could not be read)\n"
                   "  quarantined        %d   (records without a usable identity)\n"
                   "  residents created  %d\n"
                   "  records linked     %d\n"
                   "  queued for review  %d%s\n",
                   t.rows, t.imported, t.unchanged, t.rejected, t.quarantined, t.created, t.linked,
                   t.review_queued,
                   t.review_queued > 0 ? "   (pairs for a steward: hubctl review list)" : "");
  if (!t.reasons.empty()) {
    std::cout << "  reasons:\n";
    for (const auto& [reason, count] : t.reasons) {
      std::cout << "    " << PadDisplay(reason, 36) << " " << count << "\n";
    }
  }
  if (!t.flags.empty()) {
    std::cout << "  repairs and doubts (field:flag):\n";
    for (const auto& [flag, count] : t.flags) {
      std::cout << "    " << PadDisplay(flag, 36) << " " << count << "\n";
    }
  }
  for (const auto& line : t.rejected_lines) std::cout << "  rejected: " << line << "\n";
  if (t.rejected > static_cast<int64_t>(t.rejected_lines.size())) {
    std::cout << "  ... and " << (t.rejected - static_cast<int64_t>(t.rejected_lines.size()))
              << " more rejected rows (kept in quarantine: hubctl quarantine list)\n";
  }
}

}  // namespace

int RunImport(const Args& args, const ClientConfig& config) {
  if (args.positional.size() != 2) {
    return Fail(kExitUsage,
                "usage: hubctl import --source NAME [--record-id COLUMN] [--map COLUMN=FIELD]... "
                "[--encoding auto|utf-8|gb18030] [--sheet NAME] FILE");
  }
  const std::string path = args.positional[1];
  const std::string source = args.Get("source");
  if (source.empty()) return Fail(kExitUsage, "import needs --source NAME (e.g. police)");
  size_t batch_size = 2000;
  if (!absl::SimpleAtoi(args.Get("batch", "2000"), &batch_size) || batch_size == 0 ||
      batch_size > 50000) {
    return Fail(kExitUsage, "--batch must be between 1 and 50000");
  }
  auto opened = OpenSource(args, path);
  if (!opened.ok()) {
    const bool usage = opened.status().code() == absl::StatusCode::kInvalidArgument;
    return Fail(usage ? kExitUsage : kExitFailure, std::string(opened.status().message()));
  }
  OpenedSource& src = *opened;
  if (!src.plan) {
    return Fail(kExitUsage, absl::StrCat(path, ": no record-id column recognized among the headers; "
                                               "name it with --record-id COLUMN, or use --record-id @line when the file "
                                               "has no key column (see hubctl inspect)"));
  }
  auto client = HubClient::Connect(config);
  if (!client.ok()) return Fail(kExitFailure, std::string(client.status().message()));

  const bool progress = ::isatty(STDERR_FILENO) && !args.Flag("quiet");
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  Totals totals;
  std::unordered_set<std::string> seen_ids;
  wire::ImportBatch batch;
  batch.source = source;
  size_t batch_bytes = 0;

  auto send = [&](wire::ImportBatch* b) -> int {
    if (b->records.empty() && b->rejected.empty()) return kExitOk;
    b->checkpoint = src.connector->Checkpoint();
    b->__isset.checkpoint = true;
    b->__isset.rejected = !b->rejected.empty();
    int rc = CallServer([&] {
      wire::ImportResult result;
      (*client)->rpc().importBatch(result, *b);
      totals.Add(result);
      return kExitOk;
    });
    b->records.clear();
    b->rejected.clear();
    batch_bytes = 0;
    if (progress) {
      std::cerr << absl::StrFormat("\r%s: %d rows, %d imported, %d rejected (%.0f rows/s)   ", path,
                                   totals.rows, totals.imported, totals.rejected,
                                   totals.rows / std::max(elapsed(), 1e-3));
    }
    return rc;
  };

  const std::vector<std::string>& columns = src.connector->columns();
  connectors::SourceItem item;
  schema::MappedRow mapped;
  while (true) {
    auto more = src.connector->Next(&item);
    if (!more.ok()) return Fail(kExitFailure, std::string(more.status().message()));
    if (!*more) break;
    ++totals.rows;
    if (item.is_error) {
      batch_bytes += item.error.raw.size();
      batch.rejected.push_back(Reject(source, item.error.line, item.error.reason_code,
                                      item.error.message, item.error.raw, &totals));
    } else if (absl::Status s = src.plan->Apply(item.row.cells, item.row.line, &mapped); !s.ok()) {
      batch.rejected.push_back(Reject(source, item.row.line, "missing_record_id",
                                      std::string(s.message()), JoinCells(item.row.cells), &totals));
    } else if (!seen_ids.insert(mapped.record_id).second) {
      batch.rejected.push_back(Reject(source, item.row.line, "duplicate_record_id",
                                      "record id already used earlier in this file",
                                      JoinCells(item.row.cells), &totals));
    } else {
      wire::SourceRecord rec;
      rec.source = source;
      rec.record_id = mapped.record_id;
      rec.fields.reserve(mapped.fields.size());
      rec.attributes.reserve(mapped.attributes.size());
      for (auto& [f, v] : mapped.fields) {
        batch_bytes += f.size() + v.size();
        rec.fields[f] = std::move(v);
      }
      for (auto& [k, v] : mapped.attributes) {
        batch_bytes += k.size() + v.size();
        rec.attributes[k] = std::move(v);
      }
      rec.__isset.attributes = !rec.attributes.empty();
      // Spreadsheet cells stored as numbers: the server must know (an ID
      // number in a numeric cell has lost digits).
      for (size_t i = 0; i < item.row.kinds.size() && i < columns.size(); ++i) {
        if (item.row.kinds[i] != connectors::CellKind::kNumber) continue;
        for (const auto& [c, f] : src.mapping.column_fields) {
          if (c == columns[i]) rec.numeric_fields.insert(f);
        }
      }
      rec.__isset.numeric_fields = !rec.numeric_fields.empty();
      rec.line = item.row.line;
      rec.__isset.line = true;
      batch.records.push_back(std::move(rec));
    }
    if (batch.records.size() + batch.rejected.size() >= batch_size || batch_bytes >= kMaxBatchBytes) {
      if (int rc = send(&batch); rc != kExitOk) return rc;
    }
  }
  if (int rc = send(&batch); rc != kExitOk) return rc;
  if (progress) std::cerr << "\n";
  PrintSummary(src, source, totals, args.Flag("json"), elapsed());
  return kExitOk;
}

}  // namespace gridhub::hubctl
