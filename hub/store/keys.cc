#include "hub/store/keys.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gridhub::hub::keys {

namespace {

// a \0 b
std::string Joined(std::string_view a, std::string_view b) {
  std::string k;
  k.reserve(a.size() + 1 + b.size());
  k.append(a).push_back(kSep);
  k.append(b);
  return k;
}

}  // namespace

std::string Record(std::string_view source, std::string_view record_id) {
  return Joined(source, record_id);
}

uint64_t StableHash64(std::string_view s) {
  // MurmurHash64A's scheme (eight bytes at a time, each multiplied and
  // xor-shifted into the state), bytes read little-endian whatever the
  // machine, then splitmix64's finalizer for a full avalanche.
  constexpr uint64_t kMul = 0xc6a4a7935bd1e995ULL;
  constexpr int kShift = 47;
  auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<unsigned char>(s[i])); };
  uint64_t h = 0x9ae16a3b2f90404fULL ^ (static_cast<uint64_t>(s.size()) * kMul);
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t k = 0;
    for (int b = 7; b >= 0; --b) k = (k << 8) | byte(i + static_cast<size_t>(b));
    k *= kMul;
    k ^= k >> kShift;
    k *= kMul;
    h ^= k;
    h *= kMul;
  }
  if (i < s.size()) {
    uint64_t k = 0;
    for (size_t b = s.size(); b > i; --b) k = (k << 8) | byte(b - 1);
    h ^= k;
    h *= kMul;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

std::string Index(std::string_view kind, std::string_view value) {
  std::string k;
  k.reserve(kind.size() + 1 + 8);
  k.append(kind).push_back(kSep);
  const uint64_t h = StableHash64(value);
  for (int shift = 56; shift >= 0; shift -= 8) k.push_back(static_cast<char>(h >> shift));
  return k;
}

std::string UnhashedIndex(std::string_view kind, std::string_view value) {
  return Joined(kind, value);
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
  size_t bytes = out.size();
  for (const auto& r : posting.residents) bytes += 1 + r.size();
  out.reserve(bytes);
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
