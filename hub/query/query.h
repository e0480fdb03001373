// hub/query/query.h: reads residents back: by resident id or ID number, and
// page by page for export.
//
// Reads follow merged-into pointers, so an id that was merged away still
// finds its resident. Results are full residents; the caller (the Thrift
// handler) applies the caller's grant (hub/query/view.h) before replying.
//
// Thread-safe: reads only; may run beside ingest (each read sees a
// committed state of every key it reads).
#ifndef GRIDHUB_HUB_QUERY_QUERY_H_
#define GRIDHUB_HUB_QUERY_QUERY_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "hub/resolve/golden.h"
#include "hub/store/kv_store.h"

namespace gridhub::wire {
class Resident;
}  // namespace gridhub::wire

namespace gridhub::hub {

class ResidentQuery {
 public:
  // `golden`: the source priorities of golden values, as the Ingestor's
  // (residents are stored without golden fields; see StripGolden).
  explicit ResidentQuery(const KvStore* store, GoldenOptions golden = {})
      : store_(store), golden_(std::move(golden)) {}

  // `key` is a resident id ("R" + 10 digits) or an ID number in any spelling
  // the normalizer accepts. kNotFound when nobody has it; kInvalidArgument
  // when it is neither a resident id nor a valid ID number (the message
  // says why, without echoing the value).
  absl::StatusOr<wire::Resident> Get(const std::string& key) const;

  // Up to `limit` live residents with ids after `cursor` ("" = from the
  // start), in id order. *next is the cursor for the following page, ""
  // at the end.
  absl::StatusOr<std::vector<wire::Resident>> Page(const std::string& cursor, int limit,
                                                   std::string* next) const;

 private:
  absl::StatusOr<wire::Resident> GetById(const std::string& id) const;
  const KvStore* store_;
  const GoldenOptions golden_;
};

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_QUERY_QUERY_H_
