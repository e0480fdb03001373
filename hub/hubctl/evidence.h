// hub/hubctl/evidence.h: identity-resolution replies for people (aligned
// tables) and scripts (one JSON object a line): pair explanations, review
// items, resident explanations, steward results and the match model; and
// the SOURCE:RECORD_ID arguments that name records.
//
// Weights are bits (log2 of m/u), shown as "+8.1 bits"; "tf" marks an exact
// weight adjusted for how common the value is. Replies carry record ids and
// comparison levels, never field values.
//
// Thread-safe: pure functions.
#ifndef GRIDHUB_HUB_HUBCTL_EVIDENCE_H_
#define GRIDHUB_HUB_HUBCTL_EVIDENCE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gridhub::wire {
class MatchModel;
class PairExplanation;
class RecordRef;
class ResidentExplanation;
class ReviewItem;
class StewardResult;
}  // namespace gridhub::wire

namespace gridhub::hubctl {

// "police:P1" -> {police, P1}, split at the first ':' (record ids may hold
// more). kInvalidArgument quoting `arg` when the source or the record id is
// empty.
absl::StatusOr<wire::RecordRef> ParseRecordRef(const std::string& arg);
// {police, P1} -> "police:P1".
std::string RefText(const wire::RecordRef& ref);

// One row per field (field, level, weight, tf), the household cap when
// one applied, then prior, total, probability, decision, rule and where
// each record is now.
std::string PairText(const wire::PairExplanation& pair);
std::string PairJson(const wire::PairExplanation& pair);

// A table of review items: pair id, the two records, total weight,
// probability and the informative levels; then how to decide.
std::string ReviewText(const std::vector<wire::ReviewItem>& items);
std::string ReviewItemJson(const wire::ReviewItem& item);

// Every member with its strongest tie (as PairText), then the history.
std::string ResidentExplanationText(const wire::ResidentExplanation& explanation);
std::string ResidentExplanationJson(const wire::ResidentExplanation& explanation);

std::string StewardResultText(const wire::StewardResult& result);
std::string StewardResultJson(const wire::StewardResult& result);

// Per field the levels with m, u and weight; prior, thresholds, training.
std::string ModelText(const wire::MatchModel& model);
std::string ModelJson(const wire::MatchModel& model);

}  // namespace gridhub::hubctl

#endif  // GRIDHUB_HUB_HUBCTL_EVIDENCE_H_
