// hubctl commands that talk to hubd: ping, get, export. Thrift exceptions
// are turned into messages here, at the edge.
#include "hub/hubctl/commands.h"

#include <iostream>

#include "GridHub.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "hub/hubctl/call.h"
#include "hub/hubctl/json.h"

namespace gridhub::hubctl {

int Fail(int code, const std::string& message) {
  std::cerr << "hubctl: " << message << "\n";
  return code;
}

wire::RequestContext ContextFrom(const Args& args, const std::string& default_purpose) {
  wire::RequestContext ctx;
  ctx.purpose = args.Get("purpose", default_purpose);
  if (args.options.count("case")) {
    ctx.case_ref = args.Get("case");
    ctx.__isset.case_ref = true;
  }
  return ctx;
}

int RunPing(const Args& args, const ClientConfig& config) {
  auto client = HubClient::Connect(config);
  if (!client.ok()) return Fail(kExitFailure, std::string(client.status().message()));
  return CallServer([&] {
    wire::ServerInfo info;
    (*client)->rpc().ping(info);
    if (args.Flag("json")) {
      JsonWriter w;
      w.BeginObject();
      w.Key("version"); w.String(info.version);
      w.Key("schema_version"); w.Int(info.schema_version);
      w.Key("user"); w.String(info.user);
      w.Key("department"); w.String(info.department);
      w.Key("role"); w.String(info.role);
      w.EndObject();
      std::cout << w.str() << "\n";
    } else {
      std::cout << "hubd " << info.version << " (schema " << info.schema_version << ") at "
                << config.server << ": you are " << info.user << " (" << info.role << ", "
                << info.department << ")\n";
    }
    return kExitOk;
  });
}

int RunGet(const Args& args, const ClientConfig& config) {
  if (args.positional.size() != 2) {
    return Fail(kExitUsage, "usage: hubctl get --purpose P [--case REF] [--json] ID_NUMBER_OR_RESIDENT_ID");
  }
  if (args.Get("purpose").empty()) {
    return Fail(kExitUsage, "get needs --purpose (why you are reading this record)");
  }
  auto client = HubClient::Connect(config);
  if (!client.ok()) return Fail(kExitFailure, std::string(client.status().message()));
  return CallServer([&] {
    wire::Resident r;
    (*client)->rpc().getResident(r, ContextFrom(args), args.positional[1]);
    std::cout << (args.Flag("json") ? ResidentJson(r) + "\n" : ResidentText(r));
    return kExitOk;
  });
}

int RunExport(const Args& args, const ClientConfig& config) {
  if (args.positional.size() != 1) return Fail(kExitUsage, "usage: hubctl export --purpose P [--case REF] --json");
  if (!args.Flag("json")) return Fail(kExitUsage, "export writes JSON Lines: add --json");
  if (args.Get("purpose").empty()) return Fail(kExitUsage, "export needs --purpose");
  int page_size = 1000;
  if (!absl::SimpleAtoi(args.Get("page-size", "1000"), &page_size) || page_size <= 0) {
    return Fail(kExitUsage, "--page-size must be a positive number");
  }
  auto client = HubClient::Connect(config);
  if (!client.ok()) return Fail(kExitFailure, std::string(client.status().message()));
  return CallServer([&] {
    const wire::RequestContext ctx = ContextFrom(args);
    std::string cursor;
    int64_t count = 0;
    do {
      wire::ExportPage page;
      (*client)->rpc().exportResidents(page, ctx, cursor, page_size);
      for (const auto& r : page.residents) std::cout << ResidentJson(r) << "\n";
      count += static_cast<int64_t>(page.residents.size());
      cursor = page.__isset.next_cursor ? page.next_cursor : "";
    } while (!cursor.empty());
    std::cout.flush();
    std::cerr << "hubctl: exported " << count << " residents\n";
    return kExitOk;
  });
}

int RunQuarantine(const Args& args, const ClientConfig& config) {
  const std::string sub = args.positional.size() >= 2 ? args.positional[1] : "";
  if (args.positional.size() != 2 || (sub != "list" && sub != "retry")) {
    return Fail(kExitUsage, "usage: hubctl quarantine list|retry [--source S] [--json]");
  }
  auto client = HubClient::Connect(config);
  if (!client.ok()) return Fail(kExitFailure, std::string(client.status().message()));
  const wire::RequestContext ctx = ContextFrom(args, "data_quality");
  const std::string source = args.Get("source");
  const bool json = args.Flag("json");
  if (sub == "retry") {
    return CallServer([&] {
      wire::RetryResult r;
      (*client)->rpc().retryQuarantine(r, ctx, source);
      if (json) {
        JsonWriter w;
        w.BeginObject();
        w.Key("retried"); w.Int(r.retried);
        w.Key("imported"); w.Int(r.imported);
        w.Key("still_quarantined"); w.Int(r.still_quarantined);
        w.Key("needs_reimport"); w.Int(r.needs_reimport);
        w.Counts("reasons", r.reasons);
        w.EndObject();
        std::cout << w.str() << "\n";
      } else {
        std::cout << "retried " << r.retried << " quarantined records: " << r.imported
                  << " imported, " << r.still_quarantined << " still quarantined; "
                  << r.needs_reimport << " unreadable rows need a fixed file and a new import\n";
        for (const auto& [k, v] : r.reasons) std::cout << "  " << k << "  " << v << "\n";
      }
      return kExitOk;
    });
  }
  return CallServer([&] {
    std::string cursor;
    int64_t count = 0;
    do {
      wire::QuarantinePage page;
      (*client)->rpc().listQuarantine(page, ctx, source, cursor, 500);
      for (const auto& e : page.entries) {
        ++count;
        if (json) {
          JsonWriter w;
          w.BeginObject();
          w.Key("source"); w.String(e.source);
          if (e.__isset.line) { w.Key("line"); w.Int(e.line); }
          if (e.__isset.record_id) { w.Key("record_id"); w.String(e.record_id); }
          w.Key("reasons");
          w.BeginArray();
          for (const auto& r : e.reasons) w.String(r);
          w.EndArray();
          w.Key("message"); w.String(e.message);
          w.Key("retryable"); w.Bool(e.__isset.record);
          w.Key("quarantined_at_ms"); w.Int(e.quarantined_at_ms);
          w.EndObject();
          std::cout << w.str() << "\n";
        } else {
          std::cout << e.source;
          if (e.__isset.line) std::cout << " line " << e.line;
          if (e.__isset.record_id) std::cout << " record " << e.record_id;
          std::cout << ": ";
          for (size_t i = 0; i < e.reasons.size(); ++i) std::cout << (i ? ", " : "") << e.reasons[i];
          std::cout << " — " << e.message << (e.__isset.record ? " (retryable)" : "") << "\n";
        }
      }
      cursor = page.__isset.next_cursor ? page.next_cursor : "";
    } while (!cursor.empty());
    if (!json) std::cout << count << " entries\n";
    return kExitOk;
  });
}

}  // namespace gridhub::hubctl
