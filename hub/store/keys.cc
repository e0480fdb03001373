#include "hub/store/keys.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gridhub::hub::keys {

std::string Record(std::string_view source, std::string_view record_id) {
  std::string k;
  k.reserve(source.size() + 1 + record_id.size());
  k.append(source).push_back(kSep);
  k.append(record_id);
  return k;
}

std::string IndexPrefix(std::string_view kind, std::string_view value) {
  std::string k;
  k.append(kind).push_back(kSep);
  k.append(value).push_back(kSep);
  return k;
}

std::string Index(std::string_view kind, std::string_view value, std::string_view resident_id) {
  std::string k = IndexPrefix(kind, value);
  k.append(resident_id);
  return k;
}

std::string_view ResidentOfIndexKey(std::string_view key) {
  const size_t pos = key.rfind(kSep);
  return pos == std::string_view::npos ? key : key.substr(pos + 1);
}

std::string QuarantineRow(std::string_view source, int64_t line, std::string_view raw_digest) {
  std::string k(source);
  k.push_back(kSep);
  k.append(absl::StrFormat("L%012d", line));
  k.push_back(kSep);
  k.append(raw_digest);
  return k;
}

std::string QuarantineRecord(std::string_view source, std::string_view record_id) {
  std::string k(source);
  k.push_back(kSep);
  k.push_back('R');
  k.append(record_id);
  return k;
}

std::string QuarantinePrefix(std::string_view source) {
  if (source.empty()) return "";
  std::string k(source);
  k.push_back(kSep);
  return k;
}

std::string ResidentId(uint64_t n) { return absl::StrFormat("R%010d", n); }

bool LooksLikeResidentId(std::string_view s) {
  if (s.size() != 11 || s[0] != 'R') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::string MetaCheckpoint(std::string_view source) { return absl::StrCat("checkpoint/", std::string(source)); }

}  // namespace gridhub::hub::keys
