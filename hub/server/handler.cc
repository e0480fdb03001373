#include "hub/server/handler.h"

#include <Poco/Logger.h>

#include "absl/strings/str_cat.h"
#include "gridhub_constants.h"
#include "hub/query/view.h"

namespace gridhub::hub {
namespace {

constexpr char kVersion[] = "0.1.0";
// Largest page a listing call returns.
constexpr int32_t kMaxPage = 10000;

}  // namespace

[[noreturn]] void ThrowStatus(const absl::Status& status, std::string_view field) {
  const std::string msg(status.message());
  switch (status.code()) {
    case absl::StatusCode::kUnauthenticated: {
      wire::Unauthenticated e;
      e.message = msg;
      throw e;
    }
    case absl::StatusCode::kPermissionDenied: {
      wire::AccessDenied e;
      e.message = msg;
      throw e;
    }
    case absl::StatusCode::kNotFound: {
      wire::NotFound e;
      e.message = msg;
      throw e;
    }
    // kFailedPrecondition: the request cannot be served in the hub's state
    // (a store to rebuild, too few pairs to train on); the caller needs the
    // message to act on it.
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition: {
      wire::InvalidRequest e;
      e.message = msg;
      e.field = std::string(field);
      throw e;
    }
    default: {
      Poco::Logger::get("gridhub.rpc").error("internal error: %s", status.ToString());
      wire::InternalError e;
      e.message = "internal error; see the server log";
      throw e;
    }
  }
}

Handler::Handler(Services services, std::shared_ptr<PeerSslSocket> socket)
    : services_(services), socket_(std::move(socket)), log_(Poco::Logger::get("gridhub.rpc")) {}

void Handler::ping(wire::ServerInfo& out) {
  const security::Principal who = Caller("ping");
  Log(who, "ping", "", absl::OkStatus());
  out.version = kVersion;
  out.schema_version = wire::g_gridhub_constants.SCHEMA_VERSION;
  out.user = who.user;
  out.department = who.department;
  out.role = who.role;
}

void Handler::importBatch(wire::ImportResult& out, const wire::ImportBatch& batch) {
  const security::Principal who = Caller("import");
  Authorize(who, security::Action::kImport, "", "");
  auto result = services_.ingestor->Import(batch);
  if (!result.ok()) {
    Log(who, "import", "", result.status());
    ThrowStatus(result.status());
  }
  out = *std::move(result);
  log_.information("user=%s role=%s action=import source=%s received=%Ld imported=%Ld unchanged=%Ld rejected=%Ld",
                   who.user, who.role, batch.source, out.received, out.imported, out.unchanged,
                   out.rejected);
}

void Handler::getResident(wire::Resident& out, const wire::RequestContext& ctx,
                          const std::string& key) {
  const security::Principal who = Caller("read");
  const security::Grant grant = Authorize(who, security::Action::kRead, ctx.purpose, CaseRef(ctx));
  auto resident = services_.query->Get(key);
  Log(who, "read", ctx.purpose, resident.status());
  if (!resident.ok()) ThrowStatus(resident.status());
  out = *std::move(resident);
  ApplyGrant(grant, &out);
}

void Handler::listQuarantine(wire::QuarantinePage& out, const wire::RequestContext& ctx,
                             const std::string& source, const std::string& cursor,
                             int32_t limit) {
  const security::Principal who = Caller("quarantine");
  const security::Grant grant =
      Authorize(who, security::Action::kQuarantine, ctx.purpose, CaseRef(ctx));
  CheckLimit(who, "quarantine", ctx.purpose, limit);
  std::string next;
  auto entries = services_.ingestor->ListQuarantine(source, cursor, limit, &next);
  Log(who, "quarantine", ctx.purpose, entries.status());
  if (!entries.ok()) ThrowStatus(entries.status());
  out.entries = *std::move(entries);
  for (auto& e : out.entries) ApplyGrant(grant, &e);
  if (!next.empty()) {
    out.next_cursor = next;
    out.__isset.next_cursor = true;
  }
}

void Handler::retryQuarantine(wire::RetryResult& out, const wire::RequestContext& ctx,
                              const std::string& source) {
  const security::Principal who = Caller("quarantine");
  Authorize(who, security::Action::kQuarantine, ctx.purpose, CaseRef(ctx));
  auto result = services_.ingestor->RetryQuarantine(source);
  Log(who, "quarantine-retry", ctx.purpose, result.status());
  if (!result.ok()) ThrowStatus(result.status());
  out = *std::move(result);
}

void Handler::exportResidents(wire::ExportPage& out, const wire::RequestContext& ctx,
                              const std::string& cursor, int32_t limit) {
  const security::Principal who = Caller("export");
  const security::Grant grant = Authorize(who, security::Action::kExport, ctx.purpose, CaseRef(ctx));
  CheckLimit(who, "export", ctx.purpose, limit);
  std::string next;
  auto page = services_.query->Page(cursor, limit, &next);
  Log(who, "export", ctx.purpose, page.status());
  if (!page.ok()) ThrowStatus(page.status());
  out.residents = *std::move(page);
  for (auto& r : out.residents) ApplyGrant(grant, &r);
  if (!next.empty()) {
    out.next_cursor = next;
    out.__isset.next_cursor = true;
  }
}

std::string Handler::CaseRef(const wire::RequestContext& ctx) {
  return ctx.__isset.case_ref ? ctx.case_ref : "";
}

security::Principal Handler::Caller(std::string_view action) {
  auto who = socket_ ? socket_->principal()
                     : absl::StatusOr<security::Principal>(
                           absl::UnauthenticatedError("not a TLS connection"));
  if (!who.ok()) {
    log_.warning("refused %s: %s", std::string(action), std::string(who.status().message()));
    ThrowStatus(who.status());
  }
  return *who;
}

security::Grant Handler::Authorize(const security::Principal& who, security::Action action,
                                   const std::string& purpose, const std::string& case_ref) {
  auto grant = services_.policy->Authorize(who, action, purpose, case_ref);
  if (!grant.ok()) {
    Log(who, std::string(security::ActionName(action)), purpose, grant.status());
    ThrowStatus(grant.status());
  }
  return *std::move(grant);
}

void Handler::CheckLimit(const security::Principal& who, const std::string& action,
                         const std::string& purpose, int32_t limit) {
  if (limit > 0 && limit <= kMaxPage) return;
  Log(who, action, purpose, absl::InvalidArgumentError("limit"));
  ThrowStatus(absl::InvalidArgumentError(absl::StrCat("limit must be between 1 and ", kMaxPage)),
              "limit");
}

void Handler::Log(const security::Principal& who, const std::string& action,
                  const std::string& purpose, const absl::Status& status) {
  const std::string outcome =
      status.ok() ? "ok" : std::string(absl::StatusCodeToString(status.code()));
  log_.information("user=%s role=%s action=%s purpose=%s outcome=%s", who.user, who.role, action,
                   purpose.empty() ? std::string("-") : purpose, outcome);
}

}  // namespace gridhub::hub
