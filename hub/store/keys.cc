#include "hub/store/keys.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
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

std::string Index(std::string_view kind, std::string_view value) {
  std::string k;
  k.reserve(kind.size() + 1 + value.size());
  k.append(kind).push_back(kSep);
  k.append(value);
  return k;
}

std::string_view IndexKind(std::string_view key) { return key.substr(0, key.find(kSep)); }

void Posting::Add(const std::string& resident) {
  if (common()) {
    ++count;
    return;
  }
  auto it = std::lower_bound(residents.begin(), residents.end(), resident);
  if (it != residents.end() && *it == resident) return;
  ++count;
  if (common()) {
    residents.clear();
  } else {
    residents.insert(it, resident);
  }
}

void Posting::Remove(const std::string& resident) {
  if (common()) {
    // Which residents are counted is no longer known; a common key stays
    // common (it was shared by many once).
    return;
  }
  auto it = std::lower_bound(residents.begin(), residents.end(), resident);
  if (it == residents.end() || *it != resident) return;
  residents.erase(it);
  --count;
}

std::string EncodePosting(const Posting& posting) {
  std::string out = absl::StrCat(posting.count);
  for (const auto& r : posting.residents) {
    out.push_back(kSep);
    out.append(r);
  }
  return out;
}

bool DecodePosting(std::string_view bytes, Posting* posting) {
  posting->residents.clear();
  const size_t first = bytes.find(kSep);
  if (!absl::SimpleAtoi(absl::string_view(bytes.data(), std::min(first, bytes.size())), &posting->count) || posting->count < 0) {
    return false;
  }
  if (first == std::string_view::npos) return true;
  for (std::string_view rest = bytes.substr(first + 1);;) {
    const size_t next = rest.find(kSep);
    posting->residents.emplace_back(rest.substr(0, next));
    if (next == std::string_view::npos) break;
    rest = rest.substr(next + 1);
  }
  return true;
}

std::string Judgement(std::string_view record_a, std::string_view record_b) {
  std::string k = JudgementPrefix(record_a);
  k.append(record_b);
  return k;
}

std::string JudgementPrefix(std::string_view record) {
  std::string k(record);
  k.push_back('\x01');
  return k;
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

std::string QuarantineRecordPrefix(std::string_view source) {
  return QuarantineRecord(source, "");
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
