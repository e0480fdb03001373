#include "hub/ingest/overlay.h"

#include <set>

namespace gridhub::hub {

absl::StatusOr<std::optional<std::string>> Overlay::Get(Family family,
                                                        std::string_view key) const {
  auto it = pending_.find(Key(static_cast<int>(family), std::string(key)));
  if (it != pending_.end()) return it->second;
  return store_->Get(family, key);
}

void Overlay::Put(Family family, std::string key, std::string value) {
  pending_[Key(static_cast<int>(family), std::move(key))] = std::move(value);
}

void Overlay::Delete(Family family, std::string key) {
  pending_[Key(static_cast<int>(family), std::move(key))] = std::nullopt;
}

absl::StatusOr<std::vector<std::string>> Overlay::KeysWithPrefix(Family family,
                                                                 std::string_view prefix) const {
  std::set<std::string> keys;
  absl::Status s = store_->Scan(family, prefix, "", [&](std::string_view k, std::string_view) {
    keys.emplace(k);
    return true;
  });
  if (!s.ok()) return s;
  const int f = static_cast<int>(family);
  for (auto it = pending_.lower_bound(Key(f, std::string(prefix)));
       it != pending_.end() && it->first.first == f &&
       std::string_view(it->first.second).substr(0, prefix.size()) == prefix;
       ++it) {
    if (it->second) {
      keys.insert(it->first.second);
    } else {
      keys.erase(it->first.second);
    }
  }
  return std::vector<std::string>(keys.begin(), keys.end());
}

WriteSet Overlay::ToWriteSet() const {
  WriteSet writes;
  for (const auto& [key, value] : pending_) {
    const Family family = static_cast<Family>(key.first);
    if (value) {
      writes.Put(family, key.second, *value);
    } else {
      writes.Delete(family, key.second);
    }
  }
  return writes;
}

}  // namespace gridhub::hub
