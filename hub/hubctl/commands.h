// hub/hubctl/commands.h: hubctl's commands. Each returns the process exit
// code: 0 success, 1 failure (printed to stderr), 2 usage error.
#ifndef GRIDHUB_HUB_HUBCTL_COMMANDS_H_
#define GRIDHUB_HUB_HUBCTL_COMMANDS_H_

#include <string>

#include "hub/hubctl/args.h"
#include "hub/hubctl/client.h"

namespace gridhub::wire {
class RequestContext;
class Resident;
}  // namespace gridhub::wire

namespace gridhub::hubctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int RunPing(const Args& args, const ClientConfig& config);
int RunImport(const Args& args, const ClientConfig& config);
int RunGet(const Args& args, const ClientConfig& config);
int RunExport(const Args& args, const ClientConfig& config);
int RunQuarantine(const Args& args, const ClientConfig& config);
// Stewards (steward.cc): identity resolution.
int RunReview(const Args& args, const ClientConfig& config);
int RunResident(const Args& args, const ClientConfig& config);
int RunExplain(const Args& args, const ClientConfig& config);
int RunWhy(const Args& args, const ClientConfig& config);
int RunModel(const Args& args, const ClientConfig& config);
// Offline: no server needed.
int RunNormalize(const Args& args);
int RunInspect(const Args& args);

// The request context of --purpose (else `default_purpose`) and --case.
wire::RequestContext ContextFrom(const Args& args, const std::string& default_purpose = "");

// Prints "hubctl: <message>" to stderr and returns `code`.
int Fail(int code, const std::string& message);

// One resident as a JSON object on one line (no trailing newline):
// {"entity_id", "merged_into" (when set), "records": [{"source","record_id"}], <field>: value...,
//  "masked_fields", "conflicts", "attributes", "values"}.
std::string ResidentJson(const wire::Resident& resident);
// A readable multi-line rendering.
std::string ResidentText(const wire::Resident& resident);

}  // namespace gridhub::hubctl

#endif  // GRIDHUB_HUB_HUBCTL_COMMANDS_H_
