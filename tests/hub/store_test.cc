#include <gtest/gtest.h>

#include "hub/store/keys.h"
#include "hub/store/kv_store.h"
#include "tests/hub/test_dir.h"

namespace gridhub::hub {
namespace {

std::unique_ptr<KvStore> Open(const std::string& dir) {
  StoreOptions options;
  options.path = dir + "/db";
  auto store = OpenRocksStore(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

TEST(StoreTest, RoundTripAcrossReopen) {
  testing::TempDir dir;
  {
    auto store = Open(dir.path());
    WriteSet w;
    w.Put(Family::kRaw, keys::Record("police", "P1"), "raw-bytes");
    w.Put(Family::kResident, "R0000000001", "resident-bytes");
    w.Put(Family::kMeta, "k", "v");
    ASSERT_TRUE(store->Write(w, /*sync=*/true).ok());
  }
  auto store = Open(dir.path());
  auto raw = store->Get(Family::kRaw, keys::Record("police", "P1"));
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE(raw->has_value());
  EXPECT_EQ(**raw, "raw-bytes");
  auto resident = store->Get(Family::kResident, "R0000000001");
  ASSERT_TRUE(resident.ok() && resident->has_value());
  EXPECT_EQ(**resident, "resident-bytes");
}

TEST(StoreTest, FamiliesAreSeparate) {
  testing::TempDir dir;
  auto store = Open(dir.path());
  WriteSet w;
  w.Put(Family::kRaw, "same-key", "in-raw");
  ASSERT_TRUE(store->Write(w, false).ok());
  auto link = store->Get(Family::kLink, "same-key");
  ASSERT_TRUE(link.ok());
  EXPECT_FALSE(link->has_value());
}

TEST(StoreTest, DeleteAndMissingKey) {
  testing::TempDir dir;
  auto store = Open(dir.path());
  WriteSet put;
  put.Put(Family::kMeta, "a", "1");
  ASSERT_TRUE(store->Write(put, false).ok());
  WriteSet del;
  del.Delete(Family::kMeta, "a");
  ASSERT_TRUE(store->Write(del, false).ok());
  auto got = store->Get(Family::kMeta, "a");
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
}

TEST(StoreTest, ScanHonoursPrefixStartAndStop) {
  testing::TempDir dir;
  auto store = Open(dir.path());
  WriteSet w;
  w.Put(Family::kIndex, keys::Index("id", "A", "R0000000002"), "");
  w.Put(Family::kIndex, keys::Index("id", "A", "R0000000001"), "");
  w.Put(Family::kIndex, keys::Index("id", "AB", "R0000000003"), "");  // longer value: not a match
  w.Put(Family::kIndex, keys::Index("id", "B", "R0000000004"), "");
  ASSERT_TRUE(store->Write(w, false).ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(store
                  ->Scan(Family::kIndex, keys::IndexPrefix("id", "A"), "",
                         [&](std::string_view k, std::string_view) {
                           seen.emplace_back(keys::ResidentOfIndexKey(k));
                           return true;
                         })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"R0000000001", "R0000000002"}));

  seen.clear();
  ASSERT_TRUE(store->Scan(Family::kIndex, "", "", [&](std::string_view k, std::string_view) {
                seen.emplace_back(k);
                return seen.size() < 2;  // stop early
              }).ok());
  EXPECT_EQ(seen.size(), 2u);
}

TEST(StoreTest, SecondOpenOfSameDirectoryFailsCleanly) {
  testing::TempDir dir;
  auto first = Open(dir.path());
  StoreOptions options;
  options.path = dir.path() + "/db";
  auto second = OpenRocksStore(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition) << second.status();
}

TEST(StoreTest, EmptyPathIsInvalid) {
  EXPECT_EQ(OpenRocksStore(StoreOptions{}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(KeysTest, ResidentIds) {
  EXPECT_EQ(keys::ResidentId(42), "R0000000042");
  EXPECT_TRUE(keys::LooksLikeResidentId("R0000000042"));
  EXPECT_FALSE(keys::LooksLikeResidentId("R00000000x2"));
  EXPECT_FALSE(keys::LooksLikeResidentId("330122198001010012"));
}

}  // namespace
}  // namespace gridhub::hub
