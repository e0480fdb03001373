#include "hub/ingest/overlay.h"

#include <set>

namespace gridhub::hub {

absl::StatusOr<std::optional<std::string>> Overlay::Get(Family family,
                                                        std::string_view key) const {
  const auto& pending = pending_[static_cast<size_t>(family)];
  auto it = pending.find(absl::string_view(key.data(), key.size()));
  if (it != pending.end()) return it->second;
  return store_->Get(family, key);
}

bool Overlay::Pending(Family family, std::string_view key) const {
  return pending_[static_cast<size_t>(family)].contains(absl::string_view(key.data(), key.size()));
}

void Overlay::Put(Family family, std::string key, std::string value) {
  pending_[static_cast<size_t>(family)].insert_or_assign(std::move(key), std::move(value));
}

void Overlay::Delete(Family family, std::string key) {
  pending_[static_cast<size_t>(family)].insert_or_assign(std::move(key), std::nullopt);
}

absl::StatusOr<std::vector<std::string>> Overlay::KeysWithPrefix(Family family,
                                                                 std::string_view prefix) const {
  std::set<std::string> keys;
  absl::Status s = store_->Scan(family, prefix, "", [&](std::string_view k, std::string_view) {
    keys.emplace(k);
    return true;
  });
  if (!s.ok()) return s;
  for (const auto& [key, value] : pending_[static_cast<size_t>(family)]) {
    if (std::string_view(key).substr(0, prefix.size()) != prefix) continue;
    if (value) {
      keys.insert(key);
    } else {
      keys.erase(key);
    }
  }
  return std::vector<std::string>(keys.begin(), keys.end());
}

WriteSet Overlay::TakeWriteSet() {
  WriteSet writes;
  for (size_t f = 0; f < kFamilyCount; ++f) {
    const Family family = static_cast<Family>(f);
    for (auto& [key, value] : pending_[f]) {
      if (value) {
        writes.Put(family, key, std::move(*value));
      } else {
        writes.Delete(family, key);
      }
    }
    pending_[f].clear();
  }
  return writes;
}

}  // namespace gridhub::hub
