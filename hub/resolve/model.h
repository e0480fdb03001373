// hub/resolve/model.h: the Fellegi-Sunter match model: turning comparison
// levels (compare.h) into weights, a match probability and a decision, and
// estimating the model from unlabelled pairs by EM.
//
// For each field and level, m = P(level | same person) and u = P(level |
// different people); the level's weight is log2(m / u) bits, kMissing always
// weighs 0. A pair's total weight is the prior log-odds log2(λ / (1 - λ)),
// λ = P(same person) among candidate pairs, plus the field weights; its
// match probability is 2^w / (1 + 2^w).
//
// Term frequency (Splink's adjustment): for fields flagged term_frequency
// (name, phone) an exact match weighs log2(m_exact / f), where f is how
// common the shared value is (its relative frequency among records, clamped
// to [kTermFrequencyFloor, 1]) instead of the field-wide u_exact: two
// records sharing 张伟 say less than two sharing 欧阳娜娜.
//
// Decisions (Default() thresholds, in total weight = log2 posterior odds):
//   link    w >= 12  (P >= 0.9998)
//   review  4 <= w < 12  (0.94 <= P < 0.9998): queued for a steward
//   none    w < 4
// Why not link at P >= 0.99 (w >= 6.6): the independence assumption
// counts correlated agreement twice (a family shares phone, address and
// grid; a parent and child share all three and the surname, scoring ~9.5 at
// the default priors), so posteriors are overconfident; at 12 linking needs
// an ID number, or a name with the birth date, phone or address. The review
// floor is above P = 0.5 for the same reason: a household sharing a phone
// (~0.3) would flood the queue. A pair whose valid ID numbers differ never
// links automatically (DESIGN.md: a strong cannot-link); above the link
// threshold it is queued for review instead.
//
// Thread-safe: a Model is immutable after setup, so its const methods may be
// called concurrently; TermFrequencies is safe for concurrent const calls
// only (Add needs external synchronization).
#ifndef GRIDHUB_HUB_RESOLVE_MODEL_H_
#define GRIDHUB_HUB_RESOLVE_MODEL_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hub/resolve/compare.h"

namespace gridhub::wire {
class MatchModel;
class StoredRecord;
}  // namespace gridhub::wire

namespace gridhub::hub {

// The lowest relative frequency term-frequency adjustment uses (Splink's
// tf_minimum_u_value): at most log2(0.85 / 1e-4) = 13 bits for a name, so
// a rare name alone reaches review, not link, at the default prior.
inline constexpr double kTermFrequencyFloor = 1e-4;

// The MatchModel.version this code reads and writes.
inline constexpr int32_t kMatchModelVersion = 1;

// How often each value of each field occurs among records. Thread-compatible.
class TermFrequencies {
 public:
  // Counts one occurrence of `value` in `field`.
  void Add(std::string_view field, std::string_view value);
  // Counts the valid value of every field of `record`.
  void AddRecord(const wire::StoredRecord& record);
  // Occurrences of `value` over occurrences of any value of `field`; 0 when
  // the value (or the field) was never added.
  double Frequency(std::string_view field, std::string_view value) const;

 private:
  struct FieldCounts {
    int64_t total = 0;
    absl::flat_hash_map<std::string, int64_t> counts;
  };
  absl::flat_hash_map<std::string, FieldCounts> fields_;
};

struct LevelParams {
  double m = 0;  // P(level | same person), in (0, 1]
  double u = 0;  // P(level | different people), in (0, 1]
};

enum class Decision { kNoLink, kReview, kLink };

// Where a model's parameters came from (MatchModel fields 6-8).
struct TrainingInfo {
  int64_t trained_at_ms = 0;   // 0: never trained (hand-set)
  int64_t training_pairs = 0;  // comparison vectors EM saw
  int32_t em_iterations = 0;   // rounds EM ran
};

// One field's part in a score: the evidence shown with a link.
struct FieldWeight {
  std::string field;
  Level level = Level::kMissing;
  double weight = 0;         // bits; 0 for missing
  bool tf_adjusted = false;  // weight from the value's term frequency
};

struct ScoredPair {
  double prior_weight = 0;          // log2(λ / (1 - λ))
  double total_weight = 0;          // prior_weight + Σ fields[i].weight
  double probability = 0;           // 2^total / (1 + 2^total)
  std::vector<FieldWeight> fields;  // in the order of the comparisons
  Decision decision = Decision::kNoLink;
};

class Model {
 public:
  // An empty model (no fields: every weight 0), prior 0.05, Default()'s
  // thresholds.
  Model() = default;

  // Hand-set starting values for EM (see model.cc for each number): e.g.
  // id_number exact m .95 u 1e-6, name exact .85 / .001 with term
  // frequency, phone exact .6 / .001 with term frequency; prior 0.05;
  // link at 12, review at 4.
  static Model Default();

  // The model stored as `wire`. Errors: kInvalidArgument when the version is
  // not kMatchModelVersion, the prior is not in (0, 1), review_threshold >
  // link_threshold, a field is not canonical or appears twice, a level is
  // unknown, repeated or not one of FieldLevels(field), or an m or u is not
  // in (0, 1]. A "missing" level is accepted and ignored (it weighs 0).
  static absl::StatusOr<Model> FromWire(const wire::MatchModel& wire);
  // The stored form: fields in canonical order, levels most similar first.
  wire::MatchModel ToWire() const;

  // Sets m and u of a level. Errors: kInvalidArgument when `field` is not
  // canonical, `level` not one of FieldLevels(field), or m or u not in (0, 1].
  absl::Status SetLevel(std::string_view field, Level level, double m, double u);
  // Errors: kInvalidArgument unless 0 < prior < 1.
  absl::Status SetPrior(double prior);
  // Errors: kInvalidArgument when review > link or either is not finite.
  absl::Status SetThresholds(double review, double link);
  // Flags `field` for term-frequency adjustment of its exact level.
  void SetTermFrequency(std::string_view field, bool on);

  double prior() const { return prior_; }
  double link_threshold() const { return link_threshold_; }
  double review_threshold() const { return review_threshold_; }
  bool term_frequency(std::string_view field) const;
  // m and u of a level, or nullptr when the model has none for it. The
  // pointer lives as long as the model is not modified.
  const LevelParams* Params(std::string_view field, Level level) const;
  // The fields with parameters, in canonical order.
  std::vector<std::string> Fields() const;

  // log2(m / u) of `level` of `field`; 0 for kMissing and for a field or
  // level the model has no parameters for.
  double Weight(std::string_view field, Level level) const;
  // The exact-match weight of a value with relative frequency
  // `value_frequency` (TermFrequencies::Frequency):
  //   log2(m_exact / clamp(value_frequency, kTermFrequencyFloor, 1)).
  // 0 when the model has no exact level for `field`.
  double ExactWeightTf(std::string_view field, double value_frequency) const;
  // Scores one pair. An exact match on a term_frequency field uses
  // ExactWeightTf when `tf` is given and knows the value (frequency > 0),
  // else Weight. `tf` may be null.
  ScoredPair Score(const std::vector<FieldComparison>& comparisons,
                   const TermFrequencies* tf) const;

  // Training provenance (MatchModel fields 6-8); zeros when untrained.
  const TrainingInfo& training() const { return training_; }
  void set_training(const TrainingInfo& training) { training_ = training; }

 private:
  struct FieldParams {
    std::map<Level, LevelParams> levels;
    bool term_frequency = false;
  };
  const FieldParams* Find(std::string_view field) const;

  std::map<std::string, FieldParams, std::less<>> fields_;
  double prior_ = 0.05;
  double link_threshold_ = 12;
  double review_threshold_ = 4;
  TrainingInfo training_;
};

// Options of TrainEm beyond its arguments.
struct EmOptions {
  // Parameters kept at their value in `start` (Splink's fix_u_probabilities
  // and the like): e.g. {"id_number", Level::kExact} in frozen_u, where a
  // sample of candidate pairs cannot show how rarely strangers share an ID
  // number. The free levels of the field share the rest of the probability
  // mass. Default: none.
  std::set<std::pair<std::string, Level>> frozen_m;
  std::set<std::pair<std::string, Level>> frozen_u;
  bool freeze_prior = false;
  // Pseudo-count added to every level's expected count (Laplace-style
  // smoothing), so no probability reaches 0 or 1 and no weight is infinite.
  // In pairs; must be > 0. Default: 0.01.
  double pseudo_count = 0.01;
};

// Estimates m, u and λ from unlabelled comparison vectors by expectation
// maximization under conditional independence, from `start`:
//   E: p_i = P(same person | pair i) under the current parameters;
//   M: m_l = Σ p_i [level_i = l] / Σ p_i, u_l = Σ (1 - p_i) [level_i = l] /
//      Σ (1 - p_i) (sums over pairs where the field is not missing, plus
//      pseudo_count per level), λ = mean p_i;
// until the largest change of any parameter is below `tolerance`, or
// `max_iterations` rounds. Missing levels, and fields or levels `start` has
// no parameters for, are left out of the likelihood; a field no pair shows
// keeps its parameters from `start`. Term frequencies play no part. The result keeps `start`'s
// thresholds and term-frequency flags and records training_pairs and em_iterations (==
// max_iterations when it stopped without converging); trained_at_ms is the caller's to set. Errors:
// kInvalidArgument when `pairs` is empty, max_iterations < 1, tolerance is negative or NaN,
// options.pseudo_count <= 0, a frozen parameter is not in `start`, or a field's frozen m (or u) sum
// to 1 or more while it has free levels.
absl::StatusOr<Model> TrainEm(const std::vector<std::vector<FieldComparison>>& pairs,
                              const Model& start, int max_iterations, double tolerance,
                              const EmOptions& options = {});

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_RESOLVE_MODEL_H_
