// hub/resolve/resolver.h: scoring one pair of records with the rules that
// beat the score, and the explanation shown for it.
//
// ScorePair compares two records (compare.h), weighs the levels with the
// model (model.h), adjusts exact matches of term-frequency fields by how
// common the shared value is (kRareValueBonus), caps the household
// fields' joint agreement (kHouseholdBonus), and applies the ID-number rules: the same
// valid GB 11643 number links whatever the score; two different valid
// numbers never link automatically (a score above the link threshold is
// queued for review instead; below it the pair is simply not linked). Judgements by stewards are applied by the
// caller, which knows them.
//
// Thread-safe: pure functions.
#ifndef GRIDHUB_HUB_RESOLVE_RESOLVER_H_
#define GRIDHUB_HUB_RESOLVE_RESOLVER_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/resolve/blocking.h"  // GbIdNumber
#include "hub/resolve/compare.h"
#include "hub/resolve/model.h"

namespace gridhub::wire {
class PairExplanation;
class StoredRecord;
}  // namespace gridhub::wire

namespace gridhub::hub {

// Relative frequency of `value` among residents' values of `field`, or 0
// when unknown (then the field-wide weight is used).
using FrequencyFn = std::function<double(std::string_view field, std::string_view value)>;

// Rules that beat the score, spelled as in PairExplanation.rule.
inline constexpr std::string_view kRuleSameId = "same_id_number";
inline constexpr std::string_view kRuleDifferentIds = "different_id_numbers";
inline constexpr std::string_view kRuleJudgedMatch = "judged_match";
inline constexpr std::string_view kRuleJudgedNoMatch = "judged_no_match";

// Phone, household address, current address and grid code agree together
// for everyone in a household, so their positive weights count as the
// strongest of them plus at most this many bits (the rest is the pair's
// household_adjustment, <= 0, included in its total weight).
inline constexpr double kHouseholdBonus = 2.0;
// Term-frequency adjustment lowers the exact weight of common values freely
// but raises that of rare names by at most this many bits over the
// field-wide weight, and never raises a phone's.
inline constexpr double kRareValueBonus = 1.0;
bool IsHouseholdField(std::string_view field);

struct PairScore {
  std::vector<FieldComparison> comparisons;
  ScoredPair scored;      // decision already reflects the ID-number rules
  std::string_view rule;  // "" when the score alone decided
  double household_adjustment = 0;
};

// Scores a pair. `frequency` may be empty (no term-frequency adjustment).
PairScore ScorePair(const Model& model, const wire::StoredRecord& a, const wire::StoredRecord& b,
                    const FrequencyFn& frequency);

// Hex SHA-256 of `bytes`, truncated to `hex_chars` (at most 64).
std::string HexSha256(std::string_view bytes, size_t hex_chars = 64);

// A pair's stable id: 16 hex characters of SHA-256 over the two record keys
// (keys::Record) in sorted order, so (a, b) and (b, a) have the same id.
std::string PairId(std::string_view record_key_a, std::string_view record_key_b);

// The wire form of a score: fields, weights, decision, rule. Residents are
// left for the caller.
wire::PairExplanation Explain(const wire::StoredRecord& a, const wire::StoredRecord& b,
                              const PairScore& score);

// "link", "review", "no_link".
std::string_view DecisionName(Decision decision);

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_RESOLVE_RESOLVER_H_
