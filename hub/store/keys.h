// hub/store/keys.h: how keys of each family are spelled.
//
// Parts are joined with '\0', which no source name, record id or normalized
// value contains (connectors decode text; NUL is rejected at import), so a
// prefix scan on "part\0" never matches a longer part.
// Thread-safe: pure functions.
#ifndef GRIDHUB_HUB_STORE_KEYS_H_
#define GRIDHUB_HUB_STORE_KEYS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gridhub::hub::keys {

inline constexpr char kSep = '\0';

// raw / link: source \0 record id
std::string Record(std::string_view source, std::string_view record_id);

// index: kind \0 StableHash64(value) (8 bytes, big-endian) -> a posting
// (below): the residents with that block key. The value is hashed because
// it is never read back from the key: keys of 10-11 bytes instead of ~30 on
// average (up to ~60; addresses of one county share long prefixes) make
// the most read and written family smaller and cheaper to compare, and fit
// a std::string without a heap allocation. Two values with one hash would
// share a posting: more candidates to score, never a link the scores do
// not make, and a lookup by ID number checks the resident's records; at 64
// bits, about one chance in a million for ten million distinct keys.
std::string Index(std::string_view kind, std::string_view value);
// kind \0 value: the index keys of stores built before values were hashed
// (index shape 3 and older), which queries still read.
std::string UnhashedIndex(std::string_view kind, std::string_view value);
// A 64-bit hash of `s`, the same on every machine and in every version
// (unlike absl::Hash, which is seeded per process): stored keys depend on it.
uint64_t StableHash64(std::string_view s);
// The kind of an index key ("id", "ph", ...).
std::string_view IndexKind(std::string_view key);

// The value of an index key: how many live residents carry the key, and
// which, while they are at most kPostingCap. Past the cap the key is a
// common value (a shared landline, 张伟 with a common birth date): its
// list is dropped and only the count is kept, a term-frequency fact rather
// than a candidate list (DESIGN.md: "Cap every block").
inline constexpr size_t kPostingCap = 32;
struct Posting {
  int64_t count = 0;
  std::vector<std::string> residents;  // sorted; empty when common
  bool common() const { return count > static_cast<int64_t>(kPostingCap); }
  void Add(const std::string& resident);
  void Remove(const std::string& resident);
};
// Spelled: decimal count, then "\0" + resident id for each.
std::string EncodePosting(const Posting& posting);
bool DecodePosting(std::string_view bytes, Posting* posting);

// quarantine, row-level: source \0 "L" line (zero-padded) \0 digest of the
// row's bytes, so re-importing the same broken row finds the same entry and
// different rows never overwrite each other.
std::string QuarantineRow(std::string_view source, int64_t line, std::string_view raw_digest);
// quarantine, record-level: source \0 "R" record id.
std::string QuarantineRecord(std::string_view source, std::string_view record_id);
// Prefix of a source's entries ("" = every source).
std::string QuarantinePrefix(std::string_view source);
// Prefix of a source's record-level entries (QuarantineRecord).
std::string QuarantineRecordPrefix(std::string_view source);

// judgement: record key of A \x01 record key of B, stored both ways so a
// prefix scan on JudgementPrefix(A) finds every judgement about A. Record
// ids hold no control characters, so \x01 separates unambiguously.
std::string Judgement(std::string_view record_a, std::string_view record_b);
std::string JudgementPrefix(std::string_view record);

// Resident ids: "R" + 10 digits, allocated from a counter, never reused.
std::string ResidentId(uint64_t n);
bool LooksLikeResidentId(std::string_view s);

// meta keys
inline constexpr std::string_view kMetaNextResident = "next_resident_id";
std::string MetaCheckpoint(std::string_view source);
inline constexpr std::string_view kMetaMatchModel = "match_model";
// meta: the shape of the index's block keys (hub/resolve/blocking.h,
// kBlockKeysVersion) the store was built with.
inline constexpr std::string_view kMetaIndexShape = "index_shape";

// Index kinds (hub/resolve/blocking.h says what each holds).
inline constexpr std::string_view kIndexIdNumber = "id";

}  // namespace gridhub::hub::keys

#endif  // GRIDHUB_HUB_STORE_KEYS_H_
