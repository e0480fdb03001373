// `hubctl import`: reads a file through its connector, maps columns to
// canonical fields, and sends batches to hubd. Rows that cannot be used are
// sent too, as rejected rows, so the server quarantines them: nothing is
// silently dropped.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <unordered_set>

#include "GridHub.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "connectors/connector.h"
#include "hub/hubctl/commands.h"
#include "hub/hubctl/json.h"
#include "schema/mapping.h"

namespace gridhub::hubctl {
namespace {

constexpr size_t kMaxRejectedShown = 20;

struct Totals {
  int64_t rows = 0, imported = 0, unchanged = 0, rejected = 0, created = 0, linked = 0;
  std::map<std::string, int64_t> reasons;
  std::vector<std::string> rejected_lines;  // "line N: reason: message", first few

  void Add(const wire::ImportResult& r) {
    imported += r.imported;
    unchanged += r.unchanged;
    rejected += r.rejected;
    created += r.residents_created;
    linked += r.records_linked;
    for (const auto& [k, v] : r.reasons) reasons[k] += v;
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
    // Reasons name columns and counts, never cell values.
    const bool names_line = row.message.rfind("line ", 0) == 0;  // connector messages do
    totals->rejected_lines.push_back(names_line ? absl::StrCat(row.message, " [", row.reason_code, "]")
                                                : absl::StrCat("line ", line, ": ", row.message, " [",
                                                               row.reason_code, "]"));
  }
  return row;
}

void PrintSummary(const std::string& path, const std::string& source, const Totals& t,
                  bool json, double seconds) {
  if (json) {
    JsonWriter w;
    w.BeginObject();
    w.Key("file"); w.String(path);
    w.Key("source"); w.String(source);
    w.Key("rows_read"); w.Int(t.rows);
    w.Key("imported"); w.Int(t.imported);
    w.Key("unchanged"); w.Int(t.unchanged);
    w.Key("rejected"); w.Int(t.rejected);
    w.Key("residents_created"); w.Int(t.created);
    w.Key("records_linked"); w.Int(t.linked);
    w.Key("reasons");
    w.BeginObject();
    for (const auto& [k, v] : t.reasons) { w.Key(k); w.Int(v); }
    w.EndObject();
    w.Key("rejected_rows");
    w.BeginArray();
    for (const auto& l : t.rejected_lines) w.String(l);
    w.EndArray();
    w.EndObject();
    std::cout << w.str() << "\n";
    return;
  }
  std::cout << absl::StrFormat(
      "import %s as source \"%s\" (%.1f s)\n"
      "  rows read          %d\n"
      "  imported           %d\n"
      "  unchanged          %d\n"
      "  rejected           %d\n"
      "  residents created  %d\n"
      "  records linked     %d\n",
      path, source, seconds, t.rows, t.imported, t.unchanged, t.rejected, t.created, t.linked);
  for (const auto& [reason, count] : t.reasons) {
    std::cout << absl::StrFormat("    %-24s %d\n", reason, count);
  }
  for (const auto& line : t.rejected_lines) std::cout << "  rejected: " << line << "\n";
  if (t.rejected > static_cast<int64_t>(t.rejected_lines.size())) {
    std::cout << "  ... and " << (t.rejected - static_cast<int64_t>(t.rejected_lines.size()))
              << " more rejected rows (kept in quarantine)\n";
  }
}

}  // namespace

int RunImport(const Args& args, const ClientConfig& config) {
  if (args.positional.size() != 2) {
    return Fail(kExitUsage,
                "usage: hubctl import --source NAME --record-id COLUMN [--map COLUMN=FIELD]... "
                "[--encoding auto|utf-8|gb18030] FILE");
  }
  const std::string path = args.positional[1];
  const std::string source = args.Get("source");
  if (source.empty()) return Fail(kExitUsage, "import needs --source NAME (e.g. police)");
  schema::SourceMapping mapping;
  mapping.record_id_column = args.Get("record-id");
  if (mapping.record_id_column.empty()) {
    return Fail(kExitUsage, "import needs --record-id COLUMN (the column holding the source's own key)");
  }
  for (const std::string& entry : args.All("map")) {
    auto pair = schema::ParseMapEntry(entry);
    if (!pair.ok()) return Fail(kExitUsage, std::string(pair.status().message()));
    mapping.column_fields.push_back(*std::move(pair));
  }
  size_t batch_size = 2000;
  if (!absl::SimpleAtoi(args.Get("batch", "2000"), &batch_size) || batch_size == 0 ||
      batch_size > 50000) {
    return Fail(kExitUsage, "--batch must be between 1 and 50000");
  }

  connectors::ConnectorRegistry registry;
  connectors::RegisterAll(&registry);
  auto kind = connectors::ConnectorForPath(path);
  if (!kind.ok()) return Fail(kExitUsage, std::string(kind.status().message()));
  connectors::ConnectorOptions options = {{"path", path}};
  if (args.options.count("encoding")) options["encoding"] = args.Get("encoding");
  auto connector = registry.Create(*kind, options);
  if (!connector.ok()) return Fail(kExitFailure, std::string(connector.status().message()));
  auto plan = schema::ColumnPlan::Create(mapping, (*connector)->columns());
  if (!plan.ok()) return Fail(kExitUsage, absl::StrCat(path, ": ", plan.status().message()));

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

  auto send = [&](wire::ImportBatch* b) -> int {
    if (b->records.empty() && b->rejected.empty()) return kExitOk;
    b->checkpoint = (*connector)->Checkpoint();
    b->__isset.checkpoint = true;
    b->__isset.rejected = !b->rejected.empty();
    int rc = [&] {
      try {
        wire::ImportResult result;
        (*client)->rpc().importBatch(result, *b);
        totals.Add(result);
        return kExitOk;
      } catch (const wire::AccessDenied& e) {
        return Fail(kExitFailure, absl::StrCat("access denied: ", e.message));
      } catch (const wire::InvalidRequest& e) {
        return Fail(kExitFailure, absl::StrCat("server refused the batch: ", e.message));
      } catch (const wire::Unauthenticated& e) {
        return Fail(kExitFailure, absl::StrCat("not authenticated: ", e.message));
      } catch (const wire::InternalError& e) {
        return Fail(kExitFailure, absl::StrCat("server error: ", e.message));
      } catch (const std::exception& e) {
        return Fail(kExitFailure, absl::StrCat("connection failed: ", e.what()));
      }
    }();
    b->records.clear();
    b->rejected.clear();
    if (progress) {
      std::cerr << absl::StrFormat("\r%s: %d rows, %d imported, %d rejected (%.0f rows/s)   ", path,
                                   totals.rows, totals.imported, totals.rejected,
                                   totals.rows / std::max(elapsed(), 1e-3));
    }
    return rc;
  };

  connectors::SourceItem item;
  schema::MappedRow mapped;
  while (true) {
    auto more = (*connector)->Next(&item);
    if (!more.ok()) return Fail(kExitFailure, std::string(more.status().message()));
    if (!*more) break;
    ++totals.rows;
    if (item.is_error) {
      batch.rejected.push_back(Reject(source, item.error.line, item.error.reason_code,
                                      item.error.message, item.error.raw, &totals));
    } else if (absl::Status s = plan->Apply(item.row.cells, &mapped); !s.ok()) {
      const bool empty_id = s.message().find("is empty") != absl::string_view::npos;
      batch.rejected.push_back(Reject(source, item.row.line,
                                      empty_id ? "missing_record_id" : "column_count",
                                      std::string(s.message()), "", &totals));
    } else if (!seen_ids.insert(mapped.record_id).second) {
      batch.rejected.push_back(Reject(source, item.row.line, "duplicate_record_id",
                                      "record id already used earlier in this file", "", &totals));
    } else {
      wire::SourceRecord rec;
      rec.source = source;
      rec.record_id = mapped.record_id;
      for (auto& [f, v] : mapped.fields) rec.fields[f] = std::move(v);
      for (auto& [k, v] : mapped.attributes) rec.attributes[k] = std::move(v);
      rec.__isset.attributes = !rec.attributes.empty();
      rec.line = item.row.line;
      rec.__isset.line = true;
      batch.records.push_back(std::move(rec));
    }
    if (batch.records.size() + batch.rejected.size() >= batch_size) {
      if (int rc = send(&batch); rc != kExitOk) return rc;
    }
  }
  if (int rc = send(&batch); rc != kExitOk) return rc;
  if (progress) std::cerr << "\n";
  PrintSummary(path, source, totals, args.Flag("json"), elapsed());
  return kExitOk;
}

}  // namespace gridhub::hubctl
