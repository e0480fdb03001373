#include "security/policy.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "schema/fields.h"

namespace gridhub::security {
namespace {

constexpr std::string_view kDefaultPolicy = R"(# gridhub default policy (deny by default; see security/policy.h)
# role    action  purpose           case  fields                                                          masked
police    read    investigation     yes   *                                                               -
police    export  investigation     yes   *                                                               -
police    read    verification      no    id_number,name,gender,birth_date,household_address             id_number
civil     read    benefit_review    no    id_number,name,gender,birth_date,household_address,phone,ethnicity,attributes  id_number,phone
grid      read    community_service no    name,gender,birth_date,phone,current_address,grid_code         phone
steward   import  -                 no    -                                                               -
steward   quarantine data_quality   no    *                                                               -
steward   read    data_quality      no    *                                                               -
steward   export  data_quality      no    *                                                               -
steward   resolve data_quality      no    *                                                               -
)";

absl::StatusOr<Action> ParseAction(std::string_view s) {
  if (s == "read") return Action::kRead;
  if (s == "export") return Action::kExport;
  if (s == "import") return Action::kImport;
  if (s == "quarantine") return Action::kQuarantine;
  if (s == "resolve") return Action::kResolve;
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown action \"", std::string(s),
      "\" (expected read, export, import, quarantine or resolve)"));
}

// Parses a comma list of fields; "*" means all canonical fields + attributes.
absl::StatusOr<std::set<std::string, std::less<>>> ParseFields(std::string_view s) {
  std::set<std::string, std::less<>> out;
  if (s == "-") return out;
  if (s == "*") {
    for (auto f : schema::kCanonicalFields) out.emplace(f);
    out.emplace(kAttributesField);
    return out;
  }
  for (absl::string_view part : absl::StrSplit(absl::string_view(s.data(), s.size()), ',')) {
    std::string f(absl::StripAsciiWhitespace(part));
    if (f.empty()) continue;
    if (f != kAttributesField && !schema::IsCanonicalField(f)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown field \"", f, "\""));
    }
    out.insert(std::move(f));
  }
  return out;
}

}  // namespace

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kPing: return "ping";
    case Action::kImport: return "import";
    case Action::kRead: return "read";
    case Action::kExport: return "export";
    case Action::kQuarantine: return "quarantine";
    case Action::kResolve: return "resolve";
  }
  return "unknown";
}

absl::StatusOr<Policy> Policy::Parse(std::string_view text, std::string_view origin) {
  Policy policy;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    ++line_no;
    const size_t hash = line.find('#');
    if (hash != absl::string_view::npos) line = line.substr(0, hash);
    std::vector<std::string> cols = absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (cols.empty()) continue;
    auto fail = [&](const std::string& why) {
      return absl::InvalidArgumentError(absl::StrCat(std::string(origin), ":", line_no, ": ", why));
    };
    if (cols.size() != 6) {
      return fail(absl::StrCat("expected 6 columns (role action purpose case fields masked), found ",
                               cols.size()));
    }
    PolicyRule rule;
    rule.role = absl::AsciiStrToLower(cols[0]);
    auto action = ParseAction(cols[1]);
    if (!action.ok()) return fail(std::string(action.status().message()));
    rule.action = *action;
    rule.purpose = cols[2] == "-" ? "" : cols[2];
    if (rule.action != Action::kImport && rule.purpose.empty()) {
      return fail("read, export, quarantine and resolve rules need a purpose");
    }
    if (cols[3] != "yes" && cols[3] != "no") return fail("case column must be yes or no");
    rule.case_required = cols[3] == "yes";
    auto fields = ParseFields(cols[4]);
    if (!fields.ok()) return fail(absl::StrCat("fields: ", fields.status().message()));
    auto masked = ParseFields(cols[5]);
    if (!masked.ok()) return fail(absl::StrCat("masked: ", masked.status().message()));
    for (const auto& m : *masked) {
      if (!fields->count(m)) return fail(absl::StrCat("masked field \"", m, "\" is not visible"));
    }
    rule.grant.fields = std::move(*fields);
    rule.grant.masked = std::move(*masked);
    policy.rules_.push_back(std::move(rule));
  }
  return policy;
}

absl::StatusOr<Policy> Policy::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("policy file ", path, ": cannot open"));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Parse(buffer.str(), path);
}

std::string_view Policy::DefaultPolicyText() { return kDefaultPolicy; }

Policy Policy::Default() {
  auto policy = Parse(kDefaultPolicy, "built-in policy");
  // The built-in text is covered by tests; a parse failure is a build defect.
  if (!policy.ok()) std::abort();
  return *std::move(policy);
}

absl::StatusOr<Grant> Policy::Authorize(const Principal& who, Action action,
                                        std::string_view purpose,
                                        std::string_view case_ref) const {
  if (action == Action::kPing) return Grant{};
  const bool needs_purpose = action != Action::kImport;  // every action that shows resident data
  if (needs_purpose && purpose.empty()) {
    return absl::PermissionDeniedError(
        absl::StrCat(std::string(ActionName(action)), " needs a purpose; none was given"));
  }
  bool role_has_action = false;
  for (const PolicyRule& rule : rules_) {
    if (rule.role != who.role || rule.action != action) continue;
    role_has_action = true;
    if (needs_purpose && rule.purpose != purpose) continue;
    if (rule.case_required && case_ref.empty()) {
      return absl::PermissionDeniedError(
          absl::StrCat("purpose \"", std::string(purpose), "\" requires a case reference"));
    }
    return rule.grant;
  }
  if (!role_has_action) {
    return absl::PermissionDeniedError(
        absl::StrCat("role \"", who.role, "\" may not ", std::string(ActionName(action))));
  }
  std::vector<std::string> allowed;
  for (const PolicyRule& rule : rules_) {
    if (rule.role == who.role && rule.action == action) allowed.push_back(rule.purpose);
  }
  return absl::PermissionDeniedError(absl::StrCat("role \"", who.role, "\" may not ",
                                                  std::string(ActionName(action)), " for purpose \"", std::string(purpose),
                                                  "\" (allowed: ", absl::StrJoin(allowed, ", "), ")"));
}

}  // namespace gridhub::security
