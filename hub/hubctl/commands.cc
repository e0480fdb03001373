// hubctl commands that talk to hubd: ping, get, export. Thrift exceptions
// are turned into messages here, at the edge.
#include "hub/hubctl/commands.h"

#include <iostream>

#include "GridHub.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "hub/hubctl/json.h"

namespace gridhub::hubctl {

int Fail(int code, const std::string& message) {
  std::cerr << "hubctl: " << message << "\n";
  return code;
}

namespace {

// Runs `call`, mapping the service's typed exceptions to messages.
template <typename F>
int Guarded(F&& call) {
  try {
    return call();
  } catch (const wire::Unauthenticated& e) {
    return Fail(kExitFailure, absl::StrCat("not authenticated: ", e.message));
  } catch (const wire::AccessDenied& e) {
    return Fail(kExitFailure, absl::StrCat("access denied: ", e.message));
  } catch (const wire::NotFound& e) {
    return Fail(kExitFailure, absl::StrCat("not found: ", e.message));
  } catch (const wire::InvalidRequest& e) {
    return Fail(kExitFailure, absl::StrCat("invalid request: ", e.message));
  } catch (const wire::InternalError& e) {
    return Fail(kExitFailure, absl::StrCat("server error: ", e.message));
  } catch (const std::exception& e) {
    return Fail(kExitFailure, absl::StrCat("connection failed: ", e.what()));
  }
}

wire::RequestContext ContextFrom(const Args& args) {
  wire::RequestContext ctx;
  ctx.purpose = args.Get("purpose");
  if (args.options.count("case")) {
    ctx.case_ref = args.Get("case");
    ctx.__isset.case_ref = true;
  }
  return ctx;
}

}  // namespace

int RunPing(const Args& args, const ClientConfig& config) {
  auto client = HubClient::Connect(config);
  if (!client.ok()) return Fail(kExitFailure, std::string(client.status().message()));
  return Guarded([&] {
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
  return Guarded([&] {
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
  return Guarded([&] {
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

}  // namespace gridhub::hubctl
