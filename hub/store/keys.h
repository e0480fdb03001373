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

namespace gridhub::hub::keys {

inline constexpr char kSep = '\0';

// raw / link: source \0 record id
std::string Record(std::string_view source, std::string_view record_id);

// index: kind \0 value \0 resident id; IndexPrefix is kind \0 value \0
std::string Index(std::string_view kind, std::string_view value, std::string_view resident_id);
std::string IndexPrefix(std::string_view kind, std::string_view value);
// The resident id at the end of an index key.
std::string_view ResidentOfIndexKey(std::string_view key);

// quarantine, row-level: source \0 "L" line (zero-padded) \0 digest of the
// row's bytes, so re-importing the same broken row finds the same entry and
// different rows never overwrite each other.
std::string QuarantineRow(std::string_view source, int64_t line, std::string_view raw_digest);
// quarantine, record-level: source \0 "R" record id.
std::string QuarantineRecord(std::string_view source, std::string_view record_id);
// Prefix of a source's entries ("" = every source).
std::string QuarantinePrefix(std::string_view source);

// Resident ids: "R" + 10 digits, allocated from a counter, never reused.
std::string ResidentId(uint64_t n);
bool LooksLikeResidentId(std::string_view s);

// meta keys
inline constexpr std::string_view kMetaNextResident = "next_resident_id";
std::string MetaCheckpoint(std::string_view source);

// Index kinds.
inline constexpr std::string_view kIndexIdNumber = "id";

}  // namespace gridhub::hub::keys

#endif  // GRIDHUB_HUB_STORE_KEYS_H_
