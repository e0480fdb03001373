#include "hub/resolve/resolver.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "gridhub_types.h"
#include "schema/fields.h"
#include "schema/id_number.h"

namespace gridhub::hub {

bool IsHouseholdField(std::string_view field) {
  return field == schema::kPhone || field == schema::kHouseholdAddress ||
         field == schema::kCurrentAddress || field == schema::kGridCode;
}

PairScore ScorePair(const Model& model, const wire::StoredRecord& a, const wire::StoredRecord& b,
                    const FrequencyFn& frequency) {
  PairScore out;
  out.comparisons = CompareRecords(a, b);
  out.scored = model.Score(out.comparisons, nullptr);
  ScoredPair& s = out.scored;
  if (frequency) {
    for (size_t i = 0; i < out.comparisons.size(); ++i) {
      const FieldComparison& c = out.comparisons[i];
      if (c.level != Level::kExact || !model.term_frequency(c.field)) continue;
      const double f = frequency(c.field, c.value);
      if (f <= 0) continue;
      double w = model.ExactWeightTf(c.field, f);
      // A phone says more the fewer share it, but never more than the
      // field-wide weight: one nobody else has yet may be a family's line.
      // A rare name says more than an average one, by at most
      // kRareValueBonus bits: in a young store every name looks rare.
      w = std::min(w, s.fields[i].weight + (c.field == schema::kPhone ? 0 : kRareValueBonus));
      s.total_weight += w - s.fields[i].weight;
      s.fields[i].weight = w;
      s.fields[i].tf_adjusted = true;
    }
  }
  // Phone, addresses and grid agree together for everyone in one household:
  // counted as independent they would make any two family members one
  // person. Their agreement counts as the strongest of them plus at most
  // kHouseholdBonus bits.
  double household = 0, strongest = 0;
  for (const FieldWeight& fw : s.fields) {
    if (fw.weight <= 0 || !IsHouseholdField(fw.field)) continue;
    household += fw.weight;
    strongest = std::max(strongest, fw.weight);
  }
  if (household > strongest + kHouseholdBonus) {
    out.household_adjustment = -(household - (strongest + kHouseholdBonus));
    s.total_weight += out.household_adjustment;
  }
  {
    const double odds = std::exp2(s.total_weight);
    s.probability = std::isinf(odds) ? 1.0 : odds / (1 + odds);
  }
  const std::string id_a = GbIdNumber(a), id_b = GbIdNumber(b);
  if (!id_a.empty() && id_a == id_b) {
    out.rule = kRuleSameId;
    s.decision = Decision::kLink;
  } else if (!id_a.empty() && !id_b.empty()) {
    out.rule = kRuleDifferentIds;
    // Only a pair that would otherwise link goes to a steward: families
    // share phones and addresses, and each member has a number of their own.
    s.decision = s.total_weight >= model.link_threshold() ? Decision::kReview : Decision::kNoLink;
  } else if (s.total_weight >= model.link_threshold()) {
    s.decision = Decision::kLink;
  } else if (s.total_weight >= model.review_threshold()) {
    s.decision = Decision::kReview;
  } else {
    s.decision = Decision::kNoLink;
  }
  return out;
}

std::string PairId(std::string_view record_key_a, std::string_view record_key_b) {
  if (record_key_b < record_key_a) std::swap(record_key_a, record_key_b);
  std::string buf(record_key_a);
  buf.push_back('\x02');
  buf.append(record_key_b);
  return HexSha256(buf, 16);
}

std::string HexSha256(std::string_view bytes, size_t hex_chars) {
  // Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up again
  // on every digest (measurable when every imported record is hashed).
  static EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  const EVP_MD* md = fetched != nullptr ? fetched : EVP_sha256();
  // One context per thread, reset for each digest: EVP_Digest allocates,
  // zeroes and frees a context every time (a third of its cost on records
  // of a few hundred bytes).
  struct CtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (ctx == nullptr || EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) {
    EVP_Digest(bytes.data(), bytes.size(), digest, &len, md, nullptr);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  const size_t n = std::min<size_t>(hex_chars, 2 * len);
  std::string hex(n, '\0');
  for (size_t i = 0; i < n; ++i) {
    const unsigned char byte = digest[i / 2];
    hex[i] = kHex[i % 2 == 0 ? byte >> 4 : byte & 0xF];
  }
  return hex;
}

std::string_view DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kLink:
      return "link";
    case Decision::kReview:
      return "review";
    case Decision::kNoLink:
      return "no_link";
  }
  return "no_link";
}

wire::PairExplanation Explain(const wire::StoredRecord& a, const wire::StoredRecord& b,
                              const PairScore& score) {
  wire::PairExplanation out;
  out.a.source = a.source;
  out.a.record_id = a.record_id;
  out.b.source = b.source;
  out.b.record_id = b.record_id;
  for (const FieldWeight& fw : score.scored.fields) {
    wire::FieldEvidence e;
    e.field = fw.field;
    e.level = std::string(LevelName(fw.level));
    e.weight = fw.weight;
    if (fw.tf_adjusted) {
      e.tf_adjusted = true;
      e.__isset.tf_adjusted = true;
    }
    out.fields.push_back(std::move(e));
  }
  out.prior_weight = score.scored.prior_weight;
  out.total_weight = score.scored.total_weight;
  out.probability = score.scored.probability;
  out.decision = std::string(DecisionName(score.scored.decision));
  if (!score.rule.empty()) {
    out.rule = std::string(score.rule);
    out.__isset.rule = true;
  }
  if (score.household_adjustment != 0) {
    out.household_adjustment = score.household_adjustment;
    out.__isset.household_adjustment = true;
  }
  return out;
}

}  // namespace gridhub::hub
