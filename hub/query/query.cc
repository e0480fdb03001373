#include "hub/query/query.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gridhub_types.h"
#include "hub/store/codec.h"
#include "hub/store/keys.h"
#include "schema/fields.h"
#include "schema/id_number.h"
#include "schema/status.h"

namespace gridhub::hub {

absl::StatusOr<wire::Resident> ResidentQuery::GetById(const std::string& id) const {
  std::string current = id;
  for (int hops = 0; hops < 64; ++hops) {
    GRIDHUB_ASSIGN_OR_RETURN(auto bytes, store_->Get(Family::kResident, current));
    if (!bytes) return absl::NotFoundError(absl::StrCat("no resident ", current));
    wire::Resident r;
    GRIDHUB_RETURN_IF_ERROR(DecodeResident(*bytes, &r, absl::StrCat("resident ", current)));
    if (!r.__isset.merged_into) {
      if (r.records.empty()) return absl::NotFoundError(absl::StrCat("resident ", current, " has no records left"));
      RebuildGolden(golden_, &r);
      return r;
    }
    current = r.merged_into;
  }
  return absl::DataLossError(absl::StrCat("merged-into chain from ", id, " does not end"));
}

absl::StatusOr<wire::Resident> ResidentQuery::Get(const std::string& key) const {
  if (keys::LooksLikeResidentId(key)) return GetById(key);
  schema::IdNumber id = schema::NormalizeIdNumber(key);
  if (!id.valid) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not a resident id (R + 10 digits) nor a valid ID number (", absl::StrJoin(id.flags, ", "),
        ")"));
  }
  GRIDHUB_ASSIGN_OR_RETURN(auto bytes,
                           store_->Get(Family::kIndex, keys::Index(keys::kIndexIdNumber, id.value)));
  if (!bytes) {
    // A store built before index keys were hashed (index shape 3 and
    // older, refused for imports until rebuilt) spells the value out.
    GRIDHUB_ASSIGN_OR_RETURN(
        bytes, store_->Get(Family::kIndex, keys::UnhashedIndex(keys::kIndexIdNumber, id.value)));
  }
  keys::Posting posting;
  if (bytes && !keys::DecodePosting(*bytes, &posting)) {
    return absl::DataLossError("index entry of an ID number is unreadable");
  }
  // The oldest resident one of whose records holds the number: the key is a
  // hash of the number, and two numbers with one hash (about one chance in
  // a million among ten million keys) would share the posting.
  for (const std::string& resident_id : posting.residents) {  // oldest first
    GRIDHUB_ASSIGN_OR_RETURN(wire::Resident r, GetById(resident_id));
    const bool holds = std::any_of(r.values.begin(), r.values.end(), [&](const auto& v) {
      return v.field == schema::kIdNumber && v.value == id.value;
    });
    if (holds) return r;
  }
  return absl::NotFoundError("no resident has this ID number");
}

absl::StatusOr<std::vector<wire::Resident>> ResidentQuery::Page(const std::string& cursor,
                                                                int limit,
                                                                std::string* next) const {
  std::vector<wire::Resident> out;
  next->clear();
  if (limit <= 0) return absl::InvalidArgumentError("limit must be positive");
  absl::Status decode_status;
  std::string last;
  bool more = false;
  GRIDHUB_RETURN_IF_ERROR(store_->Scan(
      Family::kResident, "", cursor, [&](std::string_view k, std::string_view v) {
        if (k == cursor) return true;  // the cursor is exclusive
        if (static_cast<int>(out.size()) == limit) {
          more = true;
          return false;
        }
        wire::Resident r;
        decode_status = DecodeResident(v, &r, absl::StrCat("resident ", std::string(k)));
        if (!decode_status.ok()) return false;
        last = std::string(k);
        if (!r.__isset.merged_into && !r.records.empty()) {
          RebuildGolden(golden_, &r);
          out.push_back(std::move(r));
        }
        return true;
      }));
  GRIDHUB_RETURN_IF_ERROR(decode_status);
  if (more) *next = last;
  return out;
}

}  // namespace gridhub::hub
