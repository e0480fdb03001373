// hub/resolve/blocking.h: the block keys that find candidate residents for
// a record, stored in the `index` family (keys::Index -> keys::Posting).
//
// Kinds, each from valid values only:
//   id   the GB 11643 ID number (passports and permits are not linked on:
//        their shapes are loose enough for placeholders to join strangers)
//   rb   region + birth date inside an 18-character ID number (its first 14
//        characters) + the first pinyin syllable of a name written in Han
//        characters (the surname; "" for a Latin or other spelling, whose
//        words may come in either order, and for no name): finds a number
//        mistyped in its sequence part without listing everyone of the
//        county born that day. A record without a name meets only other
//        records without one (or of a non-Han name) this way.
//   ph   the phone number
//   nb   the name's pinyin key (spaces removed) + birth year and month (of
//        the birth date field, else of the date inside the ID number):
//        homophones, traditional characters, pinyin spellings and
//        month-only dates meet here
//   ng   the name + grid code
//   oi   another identifier (other_id: a passport, a social-security number)
//   nw   each word of a name of several words (Latin spellings, minority
//        names) + the full birth date: one misspelt word, or words in
//        another order
//   ba   the birth date + an address comparison key: a renamed or
//        misnamed resident at the same address
//   n    the name                      (weak)
//   ad   an address comparison key     (weak)
// A candidate found through a strong kind is scored; one found only through
// weak kinds is scored when both weak kinds agree (the same name at the
// same address; a shared name alone is no reason to compare). The same
// name and birth date need no key of their own: nb finds them. Keys shared
// by more than keys::kPostingCap residents are common values and find no
// candidates. (A birth-date key of its own, weak, was dropped: every record
// read and rewrote a posting listing everyone born that day, to find what
// nb and ba find.)
//
// Thread-safe: pure functions.
#ifndef GRIDHUB_HUB_RESOLVE_BLOCKING_H_
#define GRIDHUB_HUB_RESOLVE_BLOCKING_H_

#include <string>
#include <string_view>
#include <vector>

namespace gridhub::wire {
class StoredRecord;
}  // namespace gridhub::wire

namespace gridhub::hub {

// The shape of the keys below, stamped on a store when it is created
// (keys::kMetaIndexShape). A store built with another shape is refused for
// changes: its residents would not meet new records through keys of the
// new shape, and unchanged records are never re-indexed.
//   2: rb carries the surname's pinyin; ba replaces a weak birth-date key.
//   3: rb's surname part is "" for names not written in Han characters.
//   4: index keys hold a 64-bit hash of the block value (keys::Index).
//   5: the block keys of 4; residents are stored with each value's
//      provenance given by its member (golden.h, StripProvenance), which a
//      binary of shape 4 would misread and write back wrong. A store of
//      shape 4 is taken as it is (its full-form residents read as before)
//      and stamped 5 by its next change, so older binaries refuse to
//      change it from then on.
inline constexpr int kBlockKeysVersion = 5;
// The older shape whose stores this version changes (and restamps).
inline constexpr int kBlockKeysCompatible = 4;

inline constexpr std::string_view kBlockId = "id";
inline constexpr std::string_view kBlockRegionBirth = "rb";
inline constexpr std::string_view kBlockPhone = "ph";
inline constexpr std::string_view kBlockPinyinBirth = "nb";
inline constexpr std::string_view kBlockNameGrid = "ng";
inline constexpr std::string_view kBlockOtherId = "oi";
inline constexpr std::string_view kBlockNameWordBirth = "nw";
inline constexpr std::string_view kBlockName = "n";
inline constexpr std::string_view kBlockBirthAddress = "ba";
inline constexpr std::string_view kBlockAddress = "ad";

// The index keys of one record, sorted, without duplicates.
std::vector<std::string> BlockKeys(const wire::StoredRecord& record);

// Whether a hit on `index_key` alone makes a candidate.
bool IsStrongBlock(std::string_view index_key);

// The valid GB 11643 ID number of a record (18 characters; not a passport
// or permit), or "".
std::string GbIdNumber(const wire::StoredRecord& record);

// The birth date a record states: its valid birth_date, else the one inside
// a valid 18-character ID number ("YYYY-MM-DD"), else "".
std::string BirthDateOf(const wire::StoredRecord& record);

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_RESOLVE_BLOCKING_H_
