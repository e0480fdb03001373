#include "hub/ingest/overlay.h"

#include <algorithm>
#include <cstdint>
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

namespace {

// The first eight bytes of `key`, big-endian, zero-padded: keys whose heads
// differ compare as their heads do (std::string compares bytes unsigned).
uint64_t Head(const std::string& key) {
  uint64_t head = 0;
  const size_t n = std::min<size_t>(key.size(), 8);
  for (size_t i = 0; i < n; ++i) head |= uint64_t{static_cast<unsigned char>(key[i])} << (56 - 8 * i);
  return head;
}

}  // namespace

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
  // this thread sorts the others. What is sorted is each entry's position
  // with its key's first eight bytes, which decide most comparisons: moving
  // 16-byte pairs and comparing integers costs less than moving entries of
  // two strings and comparing their bytes (the sort was 3% of an import's
  // CPU). (Nothing here throws but allocation, before the sort.)
  struct Position {
    uint64_t head;
    uint32_t at;
  };
  std::array<std::vector<Position>, kFamilyCount> order;
  for (size_t f = 0; f < kFamilyCount; ++f) order[f].reserve(entries[f].size());
  auto sort_family = [&](size_t f) {
    const std::vector<Entry>& e = entries[f];
    std::vector<Position>& o = order[f];
    for (size_t i = 0; i < e.size(); ++i) o.push_back({Head(e[i].first), static_cast<uint32_t>(i)});
    std::sort(o.begin(), o.end(), [&e](const Position& a, const Position& b) {
      if (a.head != b.head) return a.head < b.head;
      return e[a.at].first < e[b.at].first;
    });
  };
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
    for (const Position& p : order[f]) {
      auto& [key, value] = entries[f][p.at];
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
