// hub/ingest/overlay.h: pending writes layered over a KvStore, so a batch of
// records can read its own writes before they are committed as one WriteSet.
//
// Not thread-safe: one batch, one thread (the ingest lock is held).
#ifndef GRIDHUB_HUB_INGEST_OVERLAY_H_
#define GRIDHUB_HUB_INGEST_OVERLAY_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "hub/ingest/workers.h"
#include "hub/store/kv_store.h"

namespace gridhub::hub {

class Overlay {
 public:
  explicit Overlay(const KvStore* store) : store_(store) {}

  // The pending value if written in this batch, else the store's.
  absl::StatusOr<std::optional<std::string>> Get(Family family, std::string_view key) const;

  // Whether this batch wrote or deleted `key` (then Get does not ask the
  // store).
  bool Pending(Family family, std::string_view key) const;

  // Room for `writes` pending keys of `family` (an estimate), so a batch's
  // writes do not rehash the table again and again as it fills.
  void Reserve(Family family, size_t writes) { pending_[static_cast<size_t>(family)].reserve(writes); }

  void Put(Family family, std::string key, std::string value);
  void Delete(Family family, std::string key);

  // Keys (not values) with `prefix` in family, merging store and pending
  // writes, in key order. Linear in the family's pending writes: meant for
  // small families (judgements).
  absl::StatusOr<std::vector<std::string>> KeysWithPrefix(Family family,
                                                          std::string_view prefix) const;

  // Everything pending, as one WriteSet (for KvStore::Write) in family and
  // key order, which the store then need not sort; the overlay is left
  // empty. With `helpers`, one of them sorts the index family meanwhile.
  WriteSet TakeWriteSet(Workers* helpers = nullptr);

 private:
  const KvStore* store_;
  // Per family: key -> value, nullopt = deleted.
  std::array<absl::flat_hash_map<std::string, std::optional<std::string>>, kFamilyCount> pending_;
};

}  // namespace gridhub::hub

#endif  // GRIDHUB_HUB_INGEST_OVERLAY_H_
