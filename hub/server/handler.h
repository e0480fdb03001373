// hub/server/handler.h: the per-connection implementation of the GridHub
// service (internal to hub/server; the public entry point is server.h).
//
// Every call: caller from the connection's client certificate
// (kUnauthenticated if none) -> policy decision for role x action x purpose
// -> the core (Ingestor, ResidentQuery) -> the view the grant allows ->
// reply. absl::Status becomes an IDL exception in one function,
// ThrowStatus. Logs name user, role, action, purpose and outcome (and
// resident ids of steward changes), never ID numbers, names, phones,
// record ids or notes.
//
// Thread-safety: one Handler per connection, used by that connection's
// thread only; the Services it calls are thread-safe.
#ifndef GRIDHUB_HUB_SERVER_HANDLER_H_
#define GRIDHUB_HUB_SERVER_HANDLER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "GridHub.h"
#include "absl/status/status.h"
#include "hub/server/server.h"

namespace Poco {
class Logger;
}  // namespace Poco

namespace gridhub::hub {

// The one place where absl::Status becomes an IDL exception:
// kUnauthenticated -> Unauthenticated, kPermissionDenied -> AccessDenied,
// kNotFound -> NotFound, kInvalidArgument / kOutOfRange / kFailedPrecondition
// -> InvalidRequest (with `field` naming the argument when given), anything else ->
// InternalError whose detail goes to the server log only.
[[noreturn]] void ThrowStatus(const absl::Status& status, std::string_view field = "");

class Handler final : public wire::GridHubIf {
 public:
  Handler(Services services, std::shared_ptr<PeerSslSocket> socket);

  void ping(wire::ServerInfo& out) override;
  void importBatch(wire::ImportResult& out, const wire::ImportBatch& batch) override;
  void getResident(wire::Resident& out, const wire::RequestContext& ctx,
                   const std::string& key) override;
  void listQuarantine(wire::QuarantinePage& out, const wire::RequestContext& ctx,
                      const std::string& source, const std::string& cursor,
                      int32_t limit) override;
  void retryQuarantine(wire::RetryResult& out, const wire::RequestContext& ctx,
                       const std::string& source) override;
  void exportResidents(wire::ExportPage& out, const wire::RequestContext& ctx,
                       const std::string& cursor, int32_t limit) override;

  // Stewards (steward_handler.cc), all under the policy action "resolve".
  void listReview(wire::ReviewPage& out, const wire::RequestContext& ctx,
                  const std::string& cursor, int32_t limit) override;
  void decideReview(wire::StewardResult& out, const wire::RequestContext& ctx,
                    const std::string& pair_id, const std::string& decision,
                    const std::string& note) override;
  void mergeResidents(wire::StewardResult& out, const wire::RequestContext& ctx,
                      const std::string& keep, const std::string& other,
                      const std::string& note) override;
  void splitResident(wire::StewardResult& out, const wire::RequestContext& ctx,
                     const std::string& resident, const std::vector<wire::RecordRef>& records,
                     const std::string& note) override;
  void explainResident(wire::ResidentExplanation& out, const wire::RequestContext& ctx,
                       const std::string& resident) override;
  void explainPair(wire::PairExplanation& out, const wire::RequestContext& ctx,
                   const wire::RecordRef& a, const wire::RecordRef& b) override;
  void getModel(wire::MatchModel& out, const wire::RequestContext& ctx) override;
  void trainModel(wire::MatchModel& out, const wire::RequestContext& ctx) override;

 private:
  static std::string CaseRef(const wire::RequestContext& ctx);

  // The caller of this connection; throws Unauthenticated when unknown.
  security::Principal Caller(std::string_view action);
  // The caller's grant; logs and throws AccessDenied when refused.
  security::Grant Authorize(const security::Principal& who, security::Action action,
                            const std::string& purpose, const std::string& case_ref);
  // Logs and throws InvalidRequest unless 1 <= limit <= 10000.
  void CheckLimit(const security::Principal& who, const std::string& action,
                  const std::string& purpose, int32_t limit);
  // Never logs keys or values: they may be ID numbers or names.
  void Log(const security::Principal& who, const std::string& action, const std::string& purpose,
           const absl::Status& status);

  // One steward call (steward_handler.cc): the caller, authorized for
  // "resolve" and logged under its own action name.
  class StewardCall;

  Services services_;
  std::shared_ptr<PeerSslSocket> socket_;
  Poco::Logger& log_;
};

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_SERVER_HANDLER_H_
