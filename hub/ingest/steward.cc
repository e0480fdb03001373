// Placeholder while resolution lands (replaced in this session).
#include "gridhub_types.h"
#include "hub/ingest/ingest.h"

namespace gridhub::hub {

absl::StatusOr<std::vector<wire::ReviewItem>> Ingestor::ListReview(const std::string&, int,
                                                                   std::string*) const {
  return absl::UnimplementedError("review");
}
absl::StatusOr<std::vector<std::string>> Ingestor::DecideReview(const std::string&,
                                                                const std::string&,
                                                                const std::string&,
                                                                const std::string&) {
  return absl::UnimplementedError("review");
}
absl::StatusOr<std::vector<std::string>> Ingestor::MergeResidents(const std::string&,
                                                                  const std::string&,
                                                                  const std::string&,
                                                                  const std::string&) {
  return absl::UnimplementedError("merge");
}
absl::StatusOr<std::vector<std::string>> Ingestor::SplitResident(
    const std::string&, const std::vector<wire::RecordRef>&, const std::string&,
    const std::string&) {
  return absl::UnimplementedError("split");
}
absl::StatusOr<wire::ResidentExplanation> Ingestor::ExplainResident(const std::string&) const {
  return absl::UnimplementedError("explain");
}
absl::StatusOr<wire::PairExplanation> Ingestor::ExplainPair(const wire::RecordRef&,
                                                            const wire::RecordRef&) const {
  return absl::UnimplementedError("why");
}
absl::StatusOr<wire::MatchModel> Ingestor::GetModel() const {
  return absl::UnimplementedError("model");
}
absl::StatusOr<wire::MatchModel> Ingestor::TrainModel() { return absl::UnimplementedError("model"); }

}  // namespace gridhub::hub
