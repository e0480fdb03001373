#include <gtest/gtest.h>
#include <thrift/TToString.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gridhub_types.h"
#include "hub/store/codec.h"
#include "hub/store/keys.h"
#include "hub/store/kv_store.h"
#include "tests/hub/test_dir.h"

namespace gridhub::hub {
namespace {

std::unique_ptr<KvStore> Open(const std::string& dir, bool statistics = false) {
  StoreOptions options;
  options.path = dir + "/db";
  options.statistics = statistics;
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

// A write set need not be in key order, and a key it writes twice ends
// with its last value (put after delete, delete after put), whether or not
// the rest of the set is in order.
TEST(StoreTest, WriteOfAKeyTwiceKeepsItsLastValueInAnyOrder) {
  testing::TempDir dir;
  auto store = Open(dir.path());
  WriteSet unordered;
  unordered.Put(Family::kIndex, "b", "1");
  unordered.Put(Family::kMeta, "z", "1");
  unordered.Put(Family::kIndex, "a", "1");
  unordered.Delete(Family::kIndex, "b");
  unordered.Put(Family::kIndex, "c", "old");
  unordered.Put(Family::kIndex, "c", "new");
  ASSERT_TRUE(store->Write(unordered, false).ok());
  WriteSet ordered;  // in family and key order already
  ordered.Put(Family::kIndex, "d", "1");
  ordered.Delete(Family::kIndex, "d");
  ordered.Put(Family::kIndex, "e", "1");
  ASSERT_TRUE(store->Write(ordered, false).ok());
  auto value = [&](Family f, const std::string& k) {
    auto got = store->Get(f, k);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? *got : std::nullopt;
  };
  EXPECT_EQ(value(Family::kIndex, "a"), "1");
  EXPECT_EQ(value(Family::kIndex, "b"), std::nullopt);
  EXPECT_EQ(value(Family::kIndex, "c"), "new");
  EXPECT_EQ(value(Family::kIndex, "d"), std::nullopt);
  EXPECT_EQ(value(Family::kIndex, "e"), "1");
  EXPECT_EQ(value(Family::kMeta, "z"), "1");
}

// MultiGet answers as Get would, key by key and in the caller's order:
// unsorted and repeated keys, absent and deleted keys, values on disk (after
// a reopen) and in the memtable, another family's key, and no keys at all.
TEST(StoreTest, MultiGetAnswersLikeGetInTheCallersOrder) {
  testing::TempDir dir;
  {
    auto store = Open(dir.path());
    WriteSet w;
    for (int i = 0; i < 500; ++i) w.Put(Family::kIndex, "k" + std::to_string(i), "v" + std::to_string(i));
    w.Put(Family::kRaw, "only-in-raw", "x");
    ASSERT_TRUE(store->Write(w, true).ok());
  }
  auto store = Open(dir.path());  // the first values now come from a table file
  WriteSet w;
  w.Put(Family::kIndex, "k7", "new7");
  w.Delete(Family::kIndex, "k9");
  w.Put(Family::kIndex, "fresh", "f");
  ASSERT_TRUE(store->Write(w, false).ok());
  const std::vector<std::string> keys = {"k42", "k7",  "missing", "k9",  "fresh",
                                         "k42", "k499", "only-in-raw", ""};
  std::vector<std::optional<std::string>> values;
  ASSERT_TRUE(store->MultiGet(Family::kIndex, keys, &values).ok());
  ASSERT_EQ(values.size(), keys.size());
  const std::vector<std::optional<std::string>> want = {
      "v42", "new7", std::nullopt, std::nullopt, "f", "v42", "v499", std::nullopt, std::nullopt};
  EXPECT_EQ(values, want);
  for (size_t i = 0; i < keys.size(); ++i) {
    auto one = store->Get(Family::kIndex, keys[i]);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(*one, values[i]) << keys[i];
  }
  values.push_back("stale");
  ASSERT_TRUE(store->MultiGet(Family::kIndex, {}, &values).ok());
  EXPECT_TRUE(values.empty());
}

TEST(StoreTest, ScanHonoursPrefixStartAndStop) {
  testing::TempDir dir;
  auto store = Open(dir.path());
  WriteSet w;
  const std::string a = keys::Record("police", "A");
  w.Put(Family::kJudgement, keys::Judgement(a, keys::Record("grid", "2")), "");
  w.Put(Family::kJudgement, keys::Judgement(a, keys::Record("grid", "1")), "");
  // A longer record id: not a match for A's prefix.
  w.Put(Family::kJudgement, keys::Judgement(keys::Record("police", "AB"), a), "");
  w.Put(Family::kJudgement, keys::Judgement(keys::Record("police", "B"), a), "");
  ASSERT_TRUE(store->Write(w, false).ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(store
                  ->Scan(Family::kJudgement, keys::JudgementPrefix(a), "",
                         [&](std::string_view k, std::string_view) {
                           seen.emplace_back(k.substr(keys::JudgementPrefix(a).size()));
                           return true;
                         })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{keys::Record("grid", "1"), keys::Record("grid", "2")}));

  seen.clear();
  ASSERT_TRUE(store->Scan(Family::kJudgement, "", "", [&](std::string_view k, std::string_view) {
                seen.emplace_back(k);
                return seen.size() < 2;  // stop early
              }).ok());
  EXPECT_EQ(seen.size(), 2u);
}

TEST(StoreTest, PostingsCountResidentsAndDropTheListPastTheCap) {
  keys::Posting p;
  p.Add("R0000000002");
  p.Add("R0000000001");
  p.Add("R0000000001");  // already there
  EXPECT_EQ(p.count, 2);
  EXPECT_EQ(p.residents, (std::vector<std::string>{"R0000000001", "R0000000002"}));
  keys::Posting back;
  ASSERT_TRUE(keys::DecodePosting(keys::EncodePosting(p), &back));
  EXPECT_EQ(back.count, 2);
  EXPECT_EQ(back.residents, p.residents);
  p.Remove("R0000000002");
  EXPECT_EQ(p.residents, (std::vector<std::string>{"R0000000001"}));
  for (size_t i = 0; i < keys::kPostingCap + 5; ++i) p.Add(keys::ResidentId(100 + i));
  EXPECT_TRUE(p.common());
  EXPECT_TRUE(p.residents.empty());
  EXPECT_EQ(p.count, static_cast<int64_t>(keys::kPostingCap) + 6);
  ASSERT_TRUE(keys::DecodePosting(keys::EncodePosting(p), &back));
  EXPECT_TRUE(back.common());
  EXPECT_FALSE(keys::DecodePosting("x", &back));
}

// Counters only when asked for (they cost a little on every operation), and
// then they count: three keys written, one read found in the memtable, one
// read that nothing holds.
TEST(StoreTest, EngineStatisticsOnlyWhenAsked) {
  testing::TempDir dir;
  {
    auto plain = Open(dir.path());
    ASSERT_NE(plain, nullptr);
    WriteSet w;
    w.Put(Family::kMeta, "a", "1");
    ASSERT_TRUE(plain->Write(w, false).ok());
    ASSERT_TRUE(plain->Get(Family::kMeta, "a").ok());
    EXPECT_EQ(plain->EngineStatistics(), "");
  }
  auto store = Open(dir.path(), /*statistics=*/true);
  ASSERT_NE(store, nullptr);
  WriteSet w;
  w.Put(Family::kIndex, "k1", "1");
  w.Put(Family::kIndex, "k2", "2");
  w.Put(Family::kResident, "R0000000001", "r");
  ASSERT_TRUE(store->Write(w, false).ok());
  ASSERT_TRUE(store->Get(Family::kIndex, "k1").ok());
  ASSERT_TRUE(store->Get(Family::kIndex, "absent").ok());
  const std::string stats = store->EngineStatistics();
  EXPECT_NE(stats.find("rocksdb.number.keys.written 3\n"), std::string::npos) << stats;
  EXPECT_NE(stats.find("rocksdb.memtable.hit 1\n"), std::string::npos) << stats;
  EXPECT_NE(stats.find("rocksdb.number.keys.read 2\n"), std::string::npos) << stats;
}

// The store keeps one write's buffer for the next: each write still
// carries only its own keys (the engine counts every key written), from
// writes of any size and from several threads at once.
TEST(StoreTest, EachWriteCarriesOnlyItsOwnKeys) {
  testing::TempDir dir;
  auto store = Open(dir.path(), /*statistics=*/true);
  ASSERT_NE(store, nullptr);
  WriteSet large;
  for (int i = 0; i < 2000; ++i) large.Put(Family::kIndex, absl::StrCat("k", i), std::string(100, 'v'));
  ASSERT_TRUE(store->Write(large, false).ok());
  WriteSet one;
  one.Put(Family::kMeta, "a", "1");
  ASSERT_TRUE(store->Write(one, false).ok());
  WriteSet removal;
  removal.Delete(Family::kIndex, "k7");
  ASSERT_TRUE(store->Write(removal, false).ok());
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        WriteSet w;
        w.Put(Family::kRaw, absl::StrCat("t", t, "-", i), "x");
        EXPECT_TRUE(store->Write(w, false).ok());
      }
    });
  }
  for (auto& w : writers) w.join();
  const std::string stats = store->EngineStatistics();
  EXPECT_NE(stats.find("rocksdb.number.keys.written 2102\n"), std::string::npos) << stats;
  auto deleted = store->Get(Family::kIndex, "k7");
  ASSERT_TRUE(deleted.ok());
  EXPECT_FALSE(deleted->has_value());
  auto kept = store->Get(Family::kIndex, "k8");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->value_or(""), std::string(100, 'v'));
}

// What a fresh buffer and protocol give, to compare Encode's kept encoder
// with.
std::string FreshEncoding(const wire::RecordRef& ref) {
  auto buffer = std::make_shared<apache::thrift::transport::TMemoryBuffer>();
  apache::thrift::protocol::TCompactProtocolT<apache::thrift::transport::TMemoryBuffer> proto(buffer);
  ref.write(&proto);
  return buffer->getBufferAsString();
}

// A value whose encoding fails half way, leaving the encoder mid-struct.
struct FailsHalfWay {
  uint32_t write(apache::thrift::protocol::TProtocol* proto) const {
    proto->writeStructBegin("FailsHalfWay");
    proto->writeFieldBegin("a", apache::thrift::protocol::T_STRING, 1);
    proto->writeString("partial");
    throw std::runtime_error("failed half way");
  }
};

// Encode keeps a thread's buffer and protocol between calls: each value's
// bytes are still exactly a fresh encoder's, after a larger value, after a
// value too large to keep the buffer for, and after a failure half way.
TEST(CodecTest, EncodingIsAFreshEncodersAfterAnyEarlierValue) {
  auto ref = [](std::string source, std::string id) {
    wire::RecordRef r;
    r.source = std::move(source);
    r.record_id = std::move(id);
    return r;
  };
  const wire::RecordRef small = ref("police", "P1");
  const wire::RecordRef large = ref("grid", std::string(5000, 'x'));
  const wire::RecordRef huge = ref("civil", std::string(3 << 20, 'y'));
  EXPECT_EQ(Encode(small), FreshEncoding(small));
  EXPECT_EQ(Encode(large), FreshEncoding(large));
  EXPECT_EQ(Encode(small), FreshEncoding(small));
  EXPECT_EQ(Encode(huge), FreshEncoding(huge));
  EXPECT_EQ(Encode(small), FreshEncoding(small));
  EXPECT_THROW(Encode(FailsHalfWay()), std::runtime_error);
  const std::string after = Encode(small);
  EXPECT_EQ(after, FreshEncoding(small));
  wire::RecordRef decoded;
  ASSERT_TRUE(Decode(after, &decoded, "record ref").ok());
  EXPECT_EQ(decoded, small);
  // Each thread has its own encoder.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const wire::RecordRef r = ref(absl::StrCat("s", t), std::string(static_cast<size_t>(i * 7), 'z'));
        EXPECT_EQ(Encode(r), FreshEncoding(r));
      }
    });
  }
  for (auto& t : threads) t.join();
}

// Parts, fields and attributes are sorted vectors in C++ (schema/wire_map.h),
// std::maps before: entries must reach the wire in key order whatever the
// order they were added in, so stored bytes (and hashes over them) stay
// what they were.
TEST(CodecTest, FlatMapsEncodeInKeyOrderAsStdMapsDid) {
  wire::NormalizedValue v;
  v.value = "a";
  v.valid = true;
  v.parts["b"] = "2";
  v.parts.emplace("a", "1");
  v.__isset.parts = true;
  // Compact protocol: field 1 binary "a"; field 2 bool true; field 5 map of
  // two binary->binary entries, "a" -> "1" then "b" -> "2"; stop.
  const std::string want("\x18\x01" "a" "\x11" "\x3b\x02\x88" "\x01" "a" "\x01" "1" "\x01" "b" "\x01" "2" "\x00",
                         16);
  EXPECT_EQ(Encode(v), want);
  wire::NormalizedValue back;
  ASSERT_TRUE(Decode(want, &back, "normalized value").ok());
  EXPECT_EQ(back, v);
  ASSERT_EQ(back.parts.size(), 2u);
  EXPECT_EQ(back.parts.begin()->first, "a");
  // Look-up by view, without building a string.
  EXPECT_EQ(back.parts.find(std::string_view("b"))->second, "2");
  // Readers reserve room for a map's entries first (schema/reserve_maps.py):
  // five entries decoded, room for five, not grown one by one past them.
  wire::NormalizedValue five = v;
  for (const char* part : {"c", "d", "e"}) five.parts[part] = part;
  wire::NormalizedValue five_back;
  ASSERT_TRUE(Decode(Encode(five), &five_back, "normalized value").ok());
  EXPECT_EQ(five_back, five);
  EXPECT_EQ(five_back.parts.capacity(), 5u);
  // Thrift's printer goes through the map's operator<<.
  EXPECT_NE(apache::thrift::to_string(back).find("parts={a: 1, b: 2}"), std::string::npos)
      << apache::thrift::to_string(back);
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

// Stored index keys depend on StableHash64: these values must never change
// (they were computed by an independent implementation of the same scheme).
TEST(KeysTest, StableHash64IsPinned) {
  EXPECT_EQ(keys::StableHash64(""), 0xf598333d8025f6c3ULL);
  EXPECT_EQ(keys::StableHash64("a"), 0xdef31be9d026f103ULL);
  EXPECT_EQ(keys::StableHash64("13800000000"), 0xefd378537dc0b640ULL);
  EXPECT_EQ(keys::StableHash64("张伟"), 0x32e8a4eee62bd8e1ULL);
  EXPECT_EQ(keys::StableHash64("淳安县|汾口镇|||人民街|256|2|4|302|"), 0x0e81fdc99126af82ULL);
}

TEST(KeysTest, IndexKeysAreKindAndEightBytesOfHash) {
  const std::string key = keys::Index("ph", "13800000000");
  ASSERT_EQ(key.size(), 2u + 1u + 8u);
  EXPECT_EQ(keys::IndexKind(key), "ph");
  EXPECT_EQ(key, keys::Index("ph", "13800000000"));
  EXPECT_EQ(key.substr(3), std::string("\xef\xd3\x78\x53\x7d\xc0\xb6\x40", 8));  // big-endian
  EXPECT_NE(key, keys::Index("id", "13800000000"));
  // Distinct values, distinct keys (a county's phones and ID numbers are
  // close to each other).
  std::set<std::string> seen;
  for (int i = 0; i < 100000; ++i) {
    seen.insert(keys::Index("ph", absl::StrCat("138", 10000000 + i)));
  }
  EXPECT_EQ(seen.size(), 100000u);
}

TEST(KeysTest, ResidentIds) {
  EXPECT_EQ(keys::ResidentId(42), "R0000000042");
  EXPECT_TRUE(keys::LooksLikeResidentId("R0000000042"));
  EXPECT_FALSE(keys::LooksLikeResidentId("R00000000x2"));
  EXPECT_FALSE(keys::LooksLikeResidentId("330122198001010012"));
}

}  // namespace
}  // namespace gridhub::hub
