#include "hub/ingest/overlay.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

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

WriteSet Overlay::TakeWriteSet(Workers* helpers) {
  using Entry = std::pair<std::string, std::optional<std::string>>;
  std::array<std::vector<Entry>, kFamilyCount> entries;
  size_t total = 0;
  for (size_t f = 0; f < kFamilyCount; ++f) {
    auto& pending = pending_[f];
    entries[f].reserve(pending.size());
    // (begin() after each extract would scan the emptied slots again.)
    for (auto it = pending.begin(); it != pending.end();) {
      auto node = pending.extract(it++);
      entries[f].emplace_back(std::move(node.key()), std::move(node.mapped()));
    }
    total += entries[f].size();
  }
  // Sorting a batch's writes is a quarter of the time its write takes, and
  // the index family is about half of them: it is sorted on a helper while
  // this thread sorts the others. (std::sort of strings does not throw.)
  auto by_key = [](const Entry& a, const Entry& b) { return a.first < b.first; };
  auto sort_family = [&](size_t f) { std::sort(entries[f].begin(), entries[f].end(), by_key); };
  const size_t index = static_cast<size_t>(Family::kIndex);
  RunAlongside(entries[index].size() >= 1024 ? helpers : nullptr, [&] { sort_family(index); },
               [&] {
                 for (size_t f = 0; f < kFamilyCount; ++f) {
                   if (f != index) sort_family(f);
                 }
               });
  WriteSet writes;
  writes.Reserve(total);
  for (size_t f = 0; f < kFamilyCount; ++f) {
    const Family family = static_cast<Family>(f);
    for (auto& [key, value] : entries[f]) {
      if (value) {
        writes.Put(family, std::move(key), std::move(*value));
      } else {
        writes.Delete(family, std::move(key));
      }
    }
  }
  return writes;
}

}  // namespace gridhub::hub
