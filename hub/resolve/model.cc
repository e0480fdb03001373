#include "hub/resolve/model.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "gridhub_types.h"
#include "schema/fields.h"
#include "schema/status.h"

namespace gridhub::hub {
namespace {

absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool IsProbability(double p) { return std::isfinite(p) && p > 0 && p <= 1; }

bool Allowed(std::string_view field, Level level) {
  const std::vector<Level>& levels = FieldLevels(field);
  return std::find(levels.begin(), levels.end(), level) != levels.end();
}

// log2(p / (1 - p)).
double LogOdds(double p) { return std::log2(p / (1 - p)); }

// 2^w / (1 + 2^w), without overflow.
double Probability(double weight) {
  return weight >= 0 ? 1 / (1 + std::exp2(-weight)) : std::exp2(weight) / (1 + std::exp2(weight));
}

}  // namespace

// ---- TermFrequencies ----

void TermFrequencies::Add(std::string_view field, std::string_view value) {
  FieldCounts& counts = fields_[AbslView(field)];
  ++counts.total;
  ++counts.counts[AbslView(value)];
}

void TermFrequencies::AddRecord(const wire::StoredRecord& record) {
  for (const auto& [field, value] : record.fields) {
    if (value.valid) Add(field, value.value);
  }
}

double TermFrequencies::Frequency(std::string_view field, std::string_view value) const {
  auto f = fields_.find(AbslView(field));
  if (f == fields_.end() || f->second.total == 0) return 0;
  auto v = f->second.counts.find(AbslView(value));
  if (v == f->second.counts.end()) return 0;
  return static_cast<double>(v->second) / static_cast<double>(f->second.total);
}

// ---- Model ----

Model Model::Default() {
  Model model;
  // m: how often a true pair shows the level (entry errors, people who move
  // or change phone); u: how often two different candidates do. Each
  // field's m (and u) sum to 1 over its levels.
  const struct {
    std::string_view field;
    Level level;
    double m, u;
  } kDefaults[] = {
      // Strangers almost never share an ID number; different valid numbers
      // for one person are rare (re-issue, data entry of a relative's).
      // typo: a number upgraded from 15 digits one digit from another, as
      // often a twin's (consecutive sequence numbers) as a typo.
      {schema::kIdNumber, Level::kExact, 0.95, 1e-6},
      {schema::kIdNumber, Level::kTypo, 0.02, 1e-3},
      {schema::kIdNumber, Level::kDifferent, 0.03, 1 - 1e-6 - 1e-3},
      {schema::kName, Level::kExact, 0.85, 0.001},
      {schema::kName, Level::kHomophone, 0.06, 0.002},
      {schema::kName, Level::kTypo, 0.04, 0.002},
      // A part missing on one side, or one Han character replaced by one
      // that sounds different: among candidates (who share a phone or an
      // address) siblings' names look like that more often than one
      // person's name does, so weak evidence against, weaker than a
      // different name.
      {schema::kName, Level::kPartial, 0.01, 0.08},
      {schema::kName, Level::kDifferent, 0.04, 0.915},
      // Candidates are blocked partly on birth date, hence u above 1/20000.
      {schema::kBirthDate, Level::kExact, 0.85, 0.003},
      {schema::kBirthDate, Level::kPartial, 0.04, 0.002},
      {schema::kBirthDate, Level::kTypo, 0.05, 0.01},
      {schema::kBirthDate, Level::kDifferent, 0.06, 0.985},
      {schema::kGender, Level::kExact, 0.97, 0.5},
      {schema::kGender, Level::kDifferent, 0.03, 0.5},
      // People change phones; families share them.
      {schema::kPhone, Level::kExact, 0.6, 0.001},
      {schema::kPhone, Level::kDifferent, 0.4, 0.999},
      // Registered household address and where one lives often differ
      // between departments; a partial match is weak evidence.
      // typo: unparsed (e.g. Latin) texts a few characters apart.
      {schema::kHouseholdAddress, Level::kExact, 0.45, 0.01},
      {schema::kHouseholdAddress, Level::kTypo, 0.1, 0.005},
      {schema::kHouseholdAddress, Level::kPartial, 0.2, 0.05},
      {schema::kHouseholdAddress, Level::kDifferent, 0.25, 0.935},
      {schema::kCurrentAddress, Level::kExact, 0.45, 0.01},
      {schema::kCurrentAddress, Level::kTypo, 0.1, 0.005},
      {schema::kCurrentAddress, Level::kPartial, 0.2, 0.05},
      {schema::kCurrentAddress, Level::kDifferent, 0.25, 0.935},
      {schema::kGridCode, Level::kExact, 0.6, 0.05},
      {schema::kGridCode, Level::kDifferent, 0.4, 0.95},
      // Most residents are Han: agreement says little, disagreement more.
      {schema::kEthnicity, Level::kExact, 0.97, 0.85},
      {schema::kEthnicity, Level::kDifferent, 0.03, 0.15},
      // Another identifier (schema/other_id.h): strangers rarely share one,
      // but it has no check character, so typos are common and a
      // difference is weak evidence, never a cannot-link.
      {schema::kOtherId, Level::kExact, 0.85, 1e-5},
      {schema::kOtherId, Level::kTypo, 0.07, 1e-4},
      {schema::kOtherId, Level::kDifferent, 0.08, 1 - 1e-5 - 1e-4},
  };
  for (const auto& d : kDefaults) {
    FieldParams& field = model.fields_[std::string(d.field)];
    field.levels[d.level] = LevelParams{d.m, d.u};
  }
  model.fields_[std::string(schema::kName)].term_frequency = true;
  model.fields_[std::string(schema::kPhone)].term_frequency = true;
  return model;
}

absl::StatusOr<Model> Model::FromWire(const wire::MatchModel& wire) {
  if (wire.version != kMatchModelVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported match model version ", wire.version));
  }
  Model model;
  GRIDHUB_RETURN_IF_ERROR(model.SetPrior(wire.prior));
  GRIDHUB_RETURN_IF_ERROR(model.SetThresholds(wire.review_threshold, wire.link_threshold));
  for (const wire::FieldModel& field : wire.fields) {
    if (model.fields_.count(field.field) > 0) {
      return absl::InvalidArgumentError(absl::StrCat("field ", field.field, " appears twice"));
    }
    if (FieldLevels(field.field).empty()) {
      return absl::InvalidArgumentError(absl::StrCat("not a canonical field: ", field.field));
    }
    FieldParams& params = model.fields_[field.field];
    params.term_frequency = field.__isset.term_frequency && field.term_frequency;
    for (const wire::LevelProbability& lp : field.levels) {
      std::optional<Level> level = ParseLevel(lp.level);
      if (!level.has_value()) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown level ", lp.level, " of ", field.field));
      }
      if (*level == Level::kMissing) continue;
      if (params.levels.count(*level) > 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("level ", lp.level, " of ", field.field, " appears twice"));
      }
      GRIDHUB_RETURN_IF_ERROR(model.SetLevel(field.field, *level, lp.m, lp.u));
    }
  }
  model.training_.trained_at_ms = wire.__isset.trained_at_ms ? wire.trained_at_ms : 0;
  model.training_.training_pairs = wire.__isset.training_pairs ? wire.training_pairs : 0;
  model.training_.em_iterations = wire.__isset.em_iterations ? wire.em_iterations : 0;
  return model;
}

wire::MatchModel Model::ToWire() const {
  wire::MatchModel out;
  out.version = kMatchModelVersion;
  out.prior = prior_;
  out.link_threshold = link_threshold_;
  out.review_threshold = review_threshold_;
  for (const std::string& name : Fields()) {
    const FieldParams& params = *Find(name);
    wire::FieldModel field;
    field.field = name;
    field.term_frequency = params.term_frequency;
    field.__isset.term_frequency = params.term_frequency;
    for (const auto& [level, p] : params.levels) {
      wire::LevelProbability lp;
      lp.level = std::string(LevelName(level));
      lp.m = p.m;
      lp.u = p.u;
      field.levels.push_back(std::move(lp));
    }
    out.fields.push_back(std::move(field));
  }
  out.trained_at_ms = training_.trained_at_ms;
  out.__isset.trained_at_ms = training_.trained_at_ms != 0;
  out.training_pairs = training_.training_pairs;
  out.__isset.training_pairs = training_.training_pairs != 0;
  out.em_iterations = training_.em_iterations;
  out.__isset.em_iterations = training_.em_iterations != 0;
  return out;
}

absl::Status Model::SetLevel(std::string_view field, Level level, double m, double u) {
  if (!Allowed(field, level)) {
    return absl::InvalidArgumentError(absl::StrCat("level ", std::string(LevelName(level)),
                                                   " is not one of field ", std::string(field)));
  }
  if (!IsProbability(m) || !IsProbability(u)) {
    return absl::InvalidArgumentError(absl::StrCat("m and u of ", std::string(field), " ",
                                                   std::string(LevelName(level)),
                                                   " must be in (0, 1]"));
  }
  fields_[std::string(field)].levels[level] = LevelParams{m, u};
  return absl::OkStatus();
}

absl::Status Model::SetPrior(double prior) {
  if (!(prior > 0 && prior < 1)) return absl::InvalidArgumentError("prior must be in (0, 1)");
  prior_ = prior;
  return absl::OkStatus();
}

absl::Status Model::SetThresholds(double review, double link) {
  if (!std::isfinite(review) || !std::isfinite(link) || review > link) {
    return absl::InvalidArgumentError("thresholds must be finite with review <= link");
  }
  review_threshold_ = review;
  link_threshold_ = link;
  return absl::OkStatus();
}

void Model::SetTermFrequency(std::string_view field, bool on) {
  fields_[std::string(field)].term_frequency = on;
}

const Model::FieldParams* Model::Find(std::string_view field) const {
  auto it = fields_.find(field);
  return it == fields_.end() ? nullptr : &it->second;
}

bool Model::term_frequency(std::string_view field) const {
  const FieldParams* params = Find(field);
  return params != nullptr && params->term_frequency;
}

const LevelParams* Model::Params(std::string_view field, Level level) const {
  const FieldParams* params = Find(field);
  if (params == nullptr) return nullptr;
  auto it = params->levels.find(level);
  return it == params->levels.end() ? nullptr : &it->second;
}

std::vector<std::string> Model::Fields() const {
  std::vector<std::string> out;
  for (std::string_view field : schema::kCanonicalFields) {
    const FieldParams* params = Find(field);
    if (params != nullptr && !params->levels.empty()) out.emplace_back(field);
  }
  return out;
}

double Model::Weight(std::string_view field, Level level) const {
  if (level == Level::kMissing) return 0;
  const LevelParams* p = Params(field, level);
  return p == nullptr ? 0 : std::log2(p->m / p->u);
}

double Model::ExactWeightTf(std::string_view field, double value_frequency) const {
  const LevelParams* p = Params(field, Level::kExact);
  if (p == nullptr) return 0;
  // NaN and values below the floor take the floor.
  const double f =
      std::min(1.0, std::max(kTermFrequencyFloor, value_frequency >= 0 ? value_frequency : 0));
  return std::log2(p->m / f);
}

ScoredPair Model::Score(const std::vector<FieldComparison>& comparisons,
                        const TermFrequencies* tf) const {
  ScoredPair out;
  out.prior_weight = LogOdds(prior_);
  out.total_weight = out.prior_weight;
  bool id_conflict = false;
  for (const FieldComparison& c : comparisons) {
    FieldWeight fw;
    fw.field = c.field;
    fw.level = c.level;
    fw.weight = Weight(c.field, c.level);
    if (c.level == Level::kExact && tf != nullptr && term_frequency(c.field)) {
      const double frequency = tf->Frequency(c.field, c.value);
      if (frequency > 0) {
        fw.weight = ExactWeightTf(c.field, frequency);
        fw.tf_adjusted = true;
      }
    }
    id_conflict = id_conflict || (c.field == schema::kIdNumber && c.level == Level::kDifferent);
    out.total_weight += fw.weight;
    out.fields.push_back(std::move(fw));
  }
  out.probability = Probability(out.total_weight);
  if (out.total_weight >= link_threshold_ && !id_conflict) {
    out.decision = Decision::kLink;
  } else if (out.total_weight >= review_threshold_) {
    out.decision = Decision::kReview;
  }
  return out;
}

// ---- EM ----

namespace {

// One field's parameters while EM runs.
struct EmField {
  std::string name;
  std::vector<Level> levels;
  std::vector<double> m, u;
  std::vector<bool> frozen_m, frozen_u;
};

// Frozen probabilities keep their value; the free ones share the rest of the
// mass in proportion to their expected counts plus `alpha`. Returns the
// largest change.
double Reestimate(const std::vector<double>& counts, const std::vector<bool>& frozen, double alpha,
                  std::vector<double>* probs) {
  double frozen_mass = 0, free_total = 0;
  for (size_t l = 0; l < counts.size(); ++l) {
    if (frozen[l]) {
      frozen_mass += (*probs)[l];
    } else {
      free_total += counts[l] + alpha;
    }
  }
  double change = 0;
  for (size_t l = 0; l < counts.size(); ++l) {
    if (frozen[l]) continue;
    const double p = (1 - frozen_mass) * (counts[l] + alpha) / free_total;
    change = std::max(change, std::abs(p - (*probs)[l]));
    (*probs)[l] = p;
  }
  return change;
}

// An error when the frozen probabilities leave no mass for the free ones.
absl::Status CheckFrozenMass(const std::string& field, const std::vector<double>& probs,
                             const std::vector<bool>& frozen) {
  double mass = 0;
  for (size_t l = 0; l < probs.size(); ++l) mass += frozen[l] ? probs[l] : 0;
  if (mass < 1 || std::find(frozen.begin(), frozen.end(), false) == frozen.end()) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("frozen parameters of ", field, " leave no mass for its other levels"));
}

}  // namespace

absl::StatusOr<Model> TrainEm(const std::vector<std::vector<FieldComparison>>& pairs,
                              const Model& start, int max_iterations, double tolerance,
                              const EmOptions& options) {
  if (pairs.empty()) return absl::InvalidArgumentError("no comparison pairs to train on");
  if (max_iterations < 1) return absl::InvalidArgumentError("max_iterations must be at least 1");
  if (!(tolerance >= 0)) return absl::InvalidArgumentError("tolerance must be >= 0");
  if (!(options.pseudo_count > 0)) return absl::InvalidArgumentError("pseudo_count must be > 0");

  std::vector<EmField> fields;
  size_t frozen_found = 0;
  for (const std::string& name : start.Fields()) {
    EmField f;
    f.name = name;
    for (Level level : FieldLevels(name)) {
      const LevelParams* p = start.Params(name, level);
      if (p == nullptr) continue;
      f.levels.push_back(level);
      f.m.push_back(p->m);
      f.u.push_back(p->u);
      f.frozen_m.push_back(options.frozen_m.count({name, level}) > 0);
      f.frozen_u.push_back(options.frozen_u.count({name, level}) > 0);
      frozen_found += f.frozen_m.back() + f.frozen_u.back();
    }
    fields.push_back(std::move(f));
  }
  if (frozen_found != options.frozen_m.size() + options.frozen_u.size()) {
    return absl::InvalidArgumentError("a frozen parameter is not in the start model");
  }
  for (const EmField& f : fields) {
    GRIDHUB_RETURN_IF_ERROR(CheckFrozenMass(f.name, f.m, f.frozen_m));
    GRIDHUB_RETURN_IF_ERROR(CheckFrozenMass(f.name, f.u, f.frozen_u));
  }

  // Each pair as one level index per field; -1: not in the likelihood.
  const size_t n = pairs.size(), nf = fields.size();
  std::vector<int> codes(n * nf, -1);
  std::vector<bool> observed(nf, false);  // some pair shows the field
  for (size_t i = 0; i < n; ++i) {
    for (const FieldComparison& c : pairs[i]) {
      for (size_t f = 0; f < nf; ++f) {
        if (fields[f].name != c.field) continue;
        const auto& levels = fields[f].levels;
        auto it = std::find(levels.begin(), levels.end(), c.level);
        if (it == levels.end()) continue;
        codes[i * nf + f] = static_cast<int>(it - levels.begin());
        observed[f] = true;
      }
    }
  }

  const double alpha = options.pseudo_count;
  double lambda = start.prior();
  int iteration = 0;
  while (iteration < max_iterations) {
    ++iteration;
    // E step, accumulating the expected counts of the M step.
    std::vector<std::vector<double>> log_ratio(nf), count_m(nf), count_u(nf);
    for (size_t f = 0; f < nf; ++f) {
      const size_t levels = fields[f].levels.size();
      count_m[f].assign(levels, 0);
      count_u[f].assign(levels, 0);
      for (size_t l = 0; l < levels; ++l) {
        log_ratio[f].push_back(std::log(fields[f].m[l] / fields[f].u[l]));
      }
    }
    const double prior_log_odds = std::log(lambda / (1 - lambda));
    double sum_p = 0;
    for (size_t i = 0; i < n; ++i) {
      double x = prior_log_odds;
      for (size_t f = 0; f < nf; ++f) {
        const int l = codes[i * nf + f];
        if (l >= 0) x += log_ratio[f][l];
      }
      const double p = x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
      sum_p += p;
      for (size_t f = 0; f < nf; ++f) {
        const int l = codes[i * nf + f];
        if (l < 0) continue;
        count_m[f][l] += p;
        count_u[f][l] += 1 - p;
      }
    }
    // M step.
    double change = 0;
    for (size_t f = 0; f < nf; ++f) {
      if (!observed[f]) continue;  // no evidence: keep the start values
      change = std::max(change, Reestimate(count_m[f], fields[f].frozen_m, alpha, &fields[f].m));
      change = std::max(change, Reestimate(count_u[f], fields[f].frozen_u, alpha, &fields[f].u));
    }
    if (!options.freeze_prior) {
      const double next = (sum_p + alpha) / (static_cast<double>(n) + 2 * alpha);
      change = std::max(change, std::abs(next - lambda));
      lambda = next;
    }
    if (change < tolerance) break;
  }

  Model out = start;  // EM keeps every probability in (0, 1): these succeed
  GRIDHUB_RETURN_IF_ERROR(out.SetPrior(lambda));
  for (const EmField& f : fields) {
    for (size_t l = 0; l < f.levels.size(); ++l) {
      GRIDHUB_RETURN_IF_ERROR(out.SetLevel(f.name, f.levels[l], f.m[l], f.u[l]));
    }
  }
  TrainingInfo training;
  training.training_pairs = static_cast<int64_t>(n);
  training.em_iterations = iteration;
  out.set_training(training);
  return out;
}

}  // namespace gridhub::hub
