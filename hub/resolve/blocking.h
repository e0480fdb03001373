// hub/resolve/blocking.h: the block keys that find candidate residents for
// a record, stored in the `index` family (keys::Index -> keys::Posting).
//
// Kinds, each from valid values only (but rb and ix, below):
//   id   the GB 11643 ID number (passports and permits are not linked on:
//        their shapes are loose enough for placeholders to join strangers)
//   rb   for a mistyped ID number: its region and birth date (its first 14
//        characters, when they are digits and a plausible date) + the
//        first pinyin syllable of a name written in Han characters (the
//        surname; "" for a Latin or other spelling, whose words may come in
//        either order, and for no name). A number is mistyped when it has
//        the shape of a GB 11643 number but fails a check (check character,
//        birth date, region). Two mistyped numbers of one person meet here
//        when their slips are in the sequence part, however many.
//   ix   for a mistyped ID number: each valid number one slip away (one
//        character replaced, or two neighbours swapped, with a check
//        character that fits; IdNumberCorrections), about 20 keys; two
//        mistyped numbers sharing a correction (the same slip copied, or
//        two slips of one number) meet here too
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
//   na   the name's pinyin key + an address comparison key: the same name
//        at the same address with the birth date mistyped or missing
//   n    the name, counted only: how many residents share it weighs an
//        exact name (term frequency), and it finds no candidates
// Records are listed under these keys (BlockKeys) and look for candidates
// under ProbeKeys: the same keys, and besides
//   - a valid ID number looks under ix with itself (a mistyped number of
//     the same person, stored before),
//   - a mistyped number looks under id with each of its corrections (the
//     valid number it was typed from, stored before).
// So a number mistyped by one slip meets its valid one in either order of
// arrival, and two valid numbers never meet through rb or ix: they are
// never linked (rules in applier.h). Nor does a 15-digit number with a
// slip, upgraded to a valid 18-digit one, meet the number it was typed
// from this way (it scores as a typo when other keys bring the two
// together, and goes to review at most). rb used to list every valid
// number: each record then read, rewrote and scored a posting of the
// people of the county born that day with its surname's sound, for
// nothing but review items other keys raise as well (7% of an import's
// CPU), and found no mistyped number at all (those had no key).
// A resident listed under any kind but n is a candidate and is scored (a
// shared name alone is no reason to compare). The same name and birth date
// need no key of their own: nb finds them. Keys shared by more than
// keys::kPostingCap residents are common values and find no candidates.
// (A birth-date key of its own was dropped: every record read and rewrote a
// posting listing everyone born that day, to find what nb and ba find. An
// address key of its own, ad, was replaced by na: a resident it found was
// scored only when the name matched too, which na finds with one key and
// a posting of the people of that name at that address instead of
// everyone living there.)
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
//      binary of shape 4 would misread and write back wrong.
//   6: rb only for mistyped ID numbers, and ix. Older stores are refused
//      for changes: their postings list valid numbers under rb and no
//      mistyped number under rb or ix, and the postings of a resident are
//      kept up to date from its members' keys as this version computes
//      them, so neither would ever be put right.
//   7: na (name sound + address) replaces ad (the address alone, a weak
//      key that found candidates only together with n); n finds none.
inline constexpr int kBlockKeysVersion = 7;

inline constexpr std::string_view kBlockId = "id";
inline constexpr std::string_view kBlockRegionBirth = "rb";
inline constexpr std::string_view kBlockIdSlip = "ix";
inline constexpr std::string_view kBlockPhone = "ph";
inline constexpr std::string_view kBlockPinyinBirth = "nb";
inline constexpr std::string_view kBlockNameGrid = "ng";
inline constexpr std::string_view kBlockOtherId = "oi";
inline constexpr std::string_view kBlockNameWordBirth = "nw";
inline constexpr std::string_view kBlockName = "n";
inline constexpr std::string_view kBlockBirthAddress = "ba";
inline constexpr std::string_view kBlockNameAddress = "na";

// The index keys one record is listed under, sorted, without duplicates.
std::vector<std::string> BlockKeys(const wire::StoredRecord& record);

// The index keys whose residents are a record's candidates: `block_keys`
// (BlockKeys(record)) and the keys only looked under (see above); sorted,
// without duplicates.
std::vector<std::string> ProbeKeys(const wire::StoredRecord& record,
                                   const std::vector<std::string>& block_keys);

// The ID number of a record that has the shape of a GB 11643 number but
// fails one of its checks (check character, birth date, region): most
// likely one mistyped or swapped character away from the true number.
// "" for a valid number, for none, and for numbers whose digits are lost
// or were never a GB 11643 number (scientific notation, a spreadsheet's 15
// significant digits, wrong length or characters, other identifiers).
std::string MistypedIdNumber(const wire::StoredRecord& record);

// The valid 18-character GB 11643 numbers one slip away from `id18`: one
// character replaced (a digit, or the check character), or two
// neighbouring characters swapped, where the check character fits and the
// birth date is plausible. Sorted. Empty unless `id18` has 18 characters.
std::vector<std::string> IdNumberCorrections(std::string_view id18);

// Whether the residents listed under `index_key` are candidates (every
// kind but n).
bool FindsCandidates(std::string_view index_key);

// The valid GB 11643 ID number of a record (18 characters; not a passport
// or permit), or "".
std::string GbIdNumber(const wire::StoredRecord& record);

// The birth date a record states: its valid birth_date, else the one inside
// a valid 18-character ID number ("YYYY-MM-DD"), else "".
std::string BirthDateOf(const wire::StoredRecord& record);

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_RESOLVE_BLOCKING_H_
