// security/policy.h: who may do what, for which purpose, seeing which fields.
//
// Deny by default: a call is allowed only when a rule names the caller's role,
// the action and (for reads) the purpose. A missing or unknown purpose is a
// refusal; a purpose marked "case" also needs a case reference.
//
// Policy text, one rule a line, columns separated by whitespace, '#' comments:
//
//   # role    action   purpose          case  fields                         masked
//   police    read     investigation    yes   *                              -
//   civil     read     benefit_review   no    name,gender,birth_date,phone   phone
//   steward   import   -                no    -                              -
//
//   action   read (one resident), export (all residents), import,
//            quarantine (list and retry quarantined rows and records),
//            resolve (identity resolution: list and decide review pairs,
//            merge and split residents, explain a resident or a pair of
//            records, show and train the match model)
//   purpose  a word; "-" for actions that read no resident data (import)
//   case     yes: a case reference is required; no: not required
//   fields   comma-separated canonical fields, "attributes" for source
//            columns kept verbatim, "*" for all of them, "-" for none
//   masked   fields shown masked (security/mask.h), "-" for none
//
// resolve replies carry record ids, resident ids and per-field comparison
// levels and weights, never field values; its grant decides only how record
// ids shaped like an ID number or a phone are shown (hub/query/view.h).
//
// Any authenticated caller may ping. Auditors and admins get no resident
// data unless a rule says so (the default policy gives them none).
//
// Thread-safe: immutable after construction; Authorize is const.
#ifndef GRIDHUB_SECURITY_POLICY_H_
#define GRIDHUB_SECURITY_POLICY_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "security/principal.h"

namespace gridhub::security {

enum class Action { kPing, kImport, kRead, kExport, kQuarantine, kResolve };

std::string_view ActionName(Action action);

// Pseudo-field naming a source's non-canonical columns.
inline constexpr std::string_view kAttributesField = "attributes";

// What an allowed call may see.
struct Grant {
  std::set<std::string, std::less<>> fields;  // visible fields (may include "attributes")
  std::set<std::string, std::less<>> masked;  // subset of fields shown masked

  bool Sees(std::string_view field) const { return fields.count(field) > 0; }
  bool Masks(std::string_view field) const { return masked.count(field) > 0; }
};

struct PolicyRule {
  std::string role;
  Action action = Action::kRead;
  std::string purpose;  // "" for actions without one
  bool case_required = false;
  Grant grant;
};

class Policy {
 public:
  // Parses policy text. kInvalidArgument naming `origin`, the line number and
  // the offending column for any malformed line.
  static absl::StatusOr<Policy> Parse(std::string_view text, std::string_view origin);

  // Reads and parses a policy file. kNotFound / kPermissionDenied name it.
  static absl::StatusOr<Policy> LoadFile(const std::string& path);

  // The built-in policy (DefaultPolicyText()).
  static Policy Default();
  static std::string_view DefaultPolicyText();

  // Decides one call. OK with the grant when allowed; kPermissionDenied with
  // the reason otherwise (unknown role, action not allowed, missing or
  // unknown purpose, missing case reference). Reasons never contain
  // resident data.
  absl::StatusOr<Grant> Authorize(const Principal& who, Action action,
                                  std::string_view purpose, std::string_view case_ref) const;

  const std::vector<PolicyRule>& rules() const { return rules_; }

 private:
  std::vector<PolicyRule> rules_;
};

}  // namespace gridhub::security

#endif  // GRIDHUB_SECURITY_POLICY_H_
