// Tests of hub/resolve/compare.h, hub/resolve/model.h and
// hub/resolve/blocking.h: comparison levels from normalized records, weights,
// term frequency, decisions, EM, and the block keys that find candidates.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gridhub_types.h"
#include "hub/resolve/blocking.h"
#include "hub/resolve/compare.h"
#include "hub/resolve/golden.h"
#include "hub/resolve/model.h"
#include "hub/resolve/resolver.h"
#include "hub/store/codec.h"
#include "hub/store/keys.h"
#include "schema/fields.h"
#include "schema/id_number.h"
#include "schema/normalize.h"

namespace gridhub::hub {
namespace {

constexpr char kHome[] = "浙江省杭州市桐庐县";

// A record of raw values normalized as ingest does.
wire::StoredRecord Record(const std::map<std::string, std::string>& raw) {
  schema::NormalizeOptions options;
  options.today_yyyymmdd = 20240601;
  options.home_county = kHome;
  wire::StoredRecord rec;
  for (const auto& [field, value] : raw) {
    schema::Normalized n = schema::NormalizeField(field, value, options);
    wire::NormalizedValue nv;
    nv.value = n.value;
    nv.valid = n.valid;
    nv.flags = n.flags;
    nv.parts = n.parts;
    rec.fields[field] = nv;
  }
  return rec;
}

// The level of `field` when comparing two records holding only that field.
Level LevelOf(const std::string& field, const std::string& a, const std::string& b) {
  Level level = Level::kMissing;
  for (const FieldComparison& c : CompareRecords(Record({{field, a}}), Record({{field, b}}))) {
    if (c.field == field) level = c.level;
  }
  // Comparison is symmetric.
  for (const FieldComparison& c : CompareRecords(Record({{field, b}}), Record({{field, a}}))) {
    if (c.field == field) {
      EXPECT_EQ(c.level, level) << field << ": " << b << " vs " << a;
    }
  }
  return level;
}

std::string ValidId(const std::string& first17) {
  return first17 + schema::IdCheckCharacter(first17);
}

// The values of a record's block keys of one kind.
std::vector<std::string> KeysOfKind(const wire::StoredRecord& rec, std::string_view kind) {
  std::vector<std::string> out;
  for (const std::string& key : BlockKeys(rec)) {
    if (key.size() > kind.size() && key.compare(0, kind.size(), kind) == 0 &&
        key[kind.size()] == '\0') {
      out.push_back(key.substr(kind.size() + 1));
    }
  }
  return out;
}

bool ShareStrongKey(const wire::StoredRecord& a, const wire::StoredRecord& b) {
  const std::vector<std::string> kb = BlockKeys(b);
  for (const std::string& key : BlockKeys(a)) {
    if (FindsCandidates(key) && std::find(kb.begin(), kb.end(), key) != kb.end()) return true;
  }
  return false;
}

// Whether `a` finds `b` as a candidate through a strong key: one of a's
// probe keys is one of b's block keys.
bool Finds(const wire::StoredRecord& a, const wire::StoredRecord& b) {
  const std::vector<std::string> listed = BlockKeys(b);
  for (const std::string& key : ProbeKeys(a, BlockKeys(a))) {
    if (FindsCandidates(key) && std::find(listed.begin(), listed.end(), key) != listed.end()) return true;
  }
  return false;
}

// The number `id` with character `i` replaced by `c` (the check character
// no longer fits when `id` was valid and `c` differs).
std::string Slip(std::string id, size_t i, char c) {
  id[i] = c;
  return id;
}

TEST(BlockingTest, IdNumberCorrectionsAreTheValidNumbersOneSlipAway) {
  const std::string valid = ValidId("33012219850312001");
  for (const std::string& typed :
       {Slip(valid, 15, valid[15] == '0' ? '7' : '0'),          // a digit of the sequence
        Slip(valid, 17, valid[17] == '1' ? '2' : '1'),          // the check character
        Slip(Slip(valid, 15, valid[16]), 16, valid[15])}) {      // neighbours swapped
    ASSERT_NE(typed, valid);
    const std::vector<std::string> corrections = IdNumberCorrections(typed);
    EXPECT_TRUE(std::binary_search(corrections.begin(), corrections.end(), valid)) << typed;
    EXPECT_FALSE(std::binary_search(corrections.begin(), corrections.end(), typed)) << typed;
    EXPECT_LE(corrections.size(), 40u) << typed;
    for (const std::string& c : corrections) {
      EXPECT_EQ(c[17], schema::IdCheckCharacter(std::string_view(c).substr(0, 17))) << c;
    }
  }
  EXPECT_TRUE(IdNumberCorrections("3301221985031200").empty());  // not 18 characters
}

TEST(BlockingTest, MistypedIdNumberMeetsItsValidNumberEitherWay) {
  const std::string born_1985_03_12 = "33012219850312";
  const std::string valid = ValidId(born_1985_03_12 + "001");
  const auto zhang = Record({{"id_number", valid}, {"name", "张伟"}});
  // One digit of the sequence mistyped: the number is invalid, so it has
  // no id key, but it is listed under rb (region + birth + surname sound)
  // and under ix with each valid number one slip away.
  const std::string typed = Slip(valid, 16, valid[16] == '3' ? '5' : '3');
  const auto slipped = Record({{"id_number", typed}, {"name", "章卫"}});
  ASSERT_FALSE(slipped.fields.at("id_number").valid);
  EXPECT_EQ(MistypedIdNumber(slipped), typed);
  EXPECT_TRUE(GbIdNumber(slipped).empty());
  EXPECT_TRUE(KeysOfKind(slipped, kBlockId).empty());
  EXPECT_EQ(KeysOfKind(slipped, kBlockRegionBirth).size(), 1u);
  EXPECT_FALSE(KeysOfKind(slipped, kBlockIdSlip).empty());
  // Whichever arrives second finds the other.
  EXPECT_TRUE(Finds(zhang, slipped));
  EXPECT_TRUE(Finds(slipped, zhang));
  // Two valid numbers do not meet through rb or ix: a twin (same region,
  // birth date and surname) and a homophone namesake are found, if at all,
  // through other keys, and never linked on the score (applier.h).
  const auto twin = Record({{"id_number", ValidId(born_1985_03_12 + "010")}, {"name", "章伟"}});
  const std::vector<std::string> probes = ProbeKeys(zhang, BlockKeys(zhang));
  EXPECT_TRUE(std::binary_search(probes.begin(), probes.end(), keys::Index(kBlockIdSlip, valid)));
  for (const auto* r : {&zhang, &twin}) {
    for (const std::string& key : BlockKeys(*r)) {
      EXPECT_NE(keys::IndexKind(key), kBlockRegionBirth);
      EXPECT_NE(keys::IndexKind(key), kBlockIdSlip);
    }
  }
  // Someone else born that day with another surname: rb does not list them
  // together even when both numbers are mistyped.
  const auto wang = Record({{"id_number", Slip(ValidId(born_1985_03_12 + "021"), 16, '9')},
                            {"name", "王芳"}});
  EXPECT_NE(KeysOfKind(wang, kBlockRegionBirth), KeysOfKind(slipped, kBlockRegionBirth));
  // Without a name the rb key still exists (and meets other nameless
  // records and names not written in Han characters).
  const auto nameless = Record({{"id_number", typed}});
  const std::string nameless_key = keys::Index(kBlockRegionBirth, born_1985_03_12 + "|");
  EXPECT_EQ(KeysOfKind(nameless, kBlockRegionBirth),
            std::vector<std::string>{nameless_key.substr(kBlockRegionBirth.size() + 1)});
  const auto latin = Record({{"id_number", typed}, {"name", "Wei Zhang"}});
  EXPECT_EQ(KeysOfKind(latin, kBlockRegionBirth), KeysOfKind(nameless, kBlockRegionBirth));
  // Digits lost to a spreadsheet are not a slip: no rb, no ix.
  const auto scientific = Record({{"id_number", "3.30122E+17"}, {"name", "张伟"}});
  EXPECT_TRUE(MistypedIdNumber(scientific).empty());
  EXPECT_TRUE(KeysOfKind(scientific, kBlockRegionBirth).empty());
  EXPECT_TRUE(KeysOfKind(scientific, kBlockIdSlip).empty());
}

TEST(CompareTest, MistypedIdNumberOneSlipFromAValidOneIsATypo) {
  const std::string valid = ValidId("33012219850312001");
  const std::string typed = Slip(valid, 16, valid[16] == '3' ? '5' : '3');  // same parity
  auto level = [](const wire::StoredRecord& a, const wire::StoredRecord& b) {
    for (const FieldComparison& c : CompareRecords(a, b)) {
      if (c.field == "id_number") return c.level;
    }
    return Level::kMissing;
  };
  const auto with_valid = Record({{"id_number", valid}});
  const auto with_typed = Record({{"id_number", typed}});
  EXPECT_EQ(level(with_valid, with_typed), Level::kTypo);
  EXPECT_EQ(level(with_typed, with_valid), Level::kTypo);
  // Further away, or two mistyped numbers: no evidence either way.
  const auto far = Record({{"id_number", Slip(Slip(valid, 16, '7'), 10, '9')}});
  EXPECT_EQ(level(with_valid, far), Level::kMissing);
  EXPECT_EQ(level(with_typed, far), Level::kMissing);
  // A slip that changes the sex the number states: a twin's, more likely.
  const auto other_sex = Record({{"id_number", Slip(valid, 16, valid[16] == '2' ? '1' : '2')}});
  ASSERT_FALSE(other_sex.fields.at("id_number").valid);
  EXPECT_EQ(level(with_valid, other_sex), Level::kMissing);
}

TEST(BlockingTest, BirthDateMeetsAnAddressNotEveryoneBornThatDay) {
  const std::string address = "桐庐县城南街道迎春南路168号3幢2单元501室";
  const auto a = Record({{"name", "李娜"}, {"birth_date", "1990-07-01"}, {"current_address", address}});
  // Renamed (or misnamed) at the same address, same birth date: a strong key.
  const auto renamed = Record({{"name", "李小娜"}, {"birth_date", "1990-07-01"}, {"current_address", address}});
  // Born the same day elsewhere: nothing in common worth a comparison.
  const auto stranger = Record({{"name", "赵敏"}, {"birth_date", "1990-07-01"},
                                {"current_address", "桐庐县分水镇新龙村12号"}});
  EXPECT_FALSE(KeysOfKind(a, kBlockBirthAddress).empty());
  EXPECT_TRUE(ShareStrongKey(a, renamed));
  EXPECT_FALSE(ShareStrongKey(a, stranger));
  const std::vector<std::string> ka = BlockKeys(a), ks = BlockKeys(stranger);
  for (const std::string& key : ka) {
    EXPECT_EQ(std::find(ks.begin(), ks.end(), key), ks.end()) << "shared key " << key;
  }
}

TEST(BlockingTest, NameMeetsAnAddressWhateverTheBirthDate) {
  const std::string address = "桐庐县城南街道迎春南路168号3幢2单元501室";
  const auto a = Record({{"name", "李娜"}, {"birth_date", "1990-07-01"}, {"current_address", address}});
  // The birth date mistyped in its year and month (no nb or ba key in
  // common), or missing, at the same address: na brings them together.
  const auto mistyped = Record({{"name", "李娜"}, {"birth_date", "1991-08-01"},
                                {"household_address", address}});
  const auto undated = Record({{"name", "李娜"}, {"current_address", address}});
  // A homophone sounds the same.
  const auto homophone = Record({{"name", "李纳"}, {"current_address", address}});
  EXPECT_FALSE(KeysOfKind(a, kBlockNameAddress).empty());
  EXPECT_TRUE(ShareStrongKey(a, mistyped));
  EXPECT_TRUE(Finds(mistyped, a));
  EXPECT_TRUE(Finds(undated, a));
  EXPECT_TRUE(Finds(a, undated));
  EXPECT_TRUE(Finds(homophone, a));
  // A name in pinyin, and a minority name written with another separator,
  // meet their Han and standard spellings at the same address too.
  const auto han = Record({{"name", "张伟"}, {"current_address", address}});
  const auto latin = Record({{"name", "ZHANG Wei"}, {"household_address", address}});
  EXPECT_TRUE(Finds(latin, han));
  EXPECT_TRUE(Finds(han, latin));
  const auto dotted = Record({{"name", "买买提·艾力"}, {"current_address", address}});
  const auto bullet = Record({{"name", "买买提•艾力"}, {"current_address", address}});
  EXPECT_TRUE(Finds(bullet, dotted));
  // A flatmate of another name and birth date, and a namesake elsewhere
  // born another day, share a key with `a` (the address's sound, the name)
  // that finds no candidates: sharing a home or a name is no reason to
  // compare.
  const auto flatmate = Record({{"name", "赵敏"}, {"birth_date", "1962-03-15"},
                                {"current_address", address}});
  const auto namesake = Record({{"name", "李娜"}, {"birth_date", "1975-11-20"},
                                {"current_address", "桐庐县分水镇新龙村12号"}});
  EXPECT_FALSE(Finds(flatmate, a));
  EXPECT_FALSE(Finds(a, flatmate));
  EXPECT_FALSE(Finds(namesake, a));
  EXPECT_FALSE(Finds(a, namesake));
  const std::vector<std::string> shared = KeysOfKind(namesake, kBlockName);
  ASSERT_EQ(shared.size(), 1u);
  EXPECT_EQ(shared, KeysOfKind(a, kBlockName));
  EXPECT_FALSE(FindsCandidates(keys::Index(kBlockName, "李娜")));
}

// A record looks for candidates under the block keys of its stored record
// (computed while preparing it), and a resident's postings are written from
// the block keys of its members as the resident keeps them (IndexKeysOf):
// the two must agree, or a record would miss the resident it belongs to and
// a posting would keep or lose a key it should not.
TEST(BlockingTest, ResidentMembersKeepTheirRecordsBlockKeys) {
  const std::vector<std::map<std::string, std::string>> raws = {
      {{"id_number", ValidId("33012219850312001")}, {"name", "张伟"}, {"phone", "138-0571-2345"},
       {"birth_date", "1985-03-12"}, {"grid_code", "330122001001"},
       {"household_address", "浙江省杭州市桐庐县城南街道迎春南路168号3幢2单元501室"},
       {"current_address", "桐庐县分水镇新龙村12号"}},
      {{"name", "Wei Zhang"}, {"birth_date", "1985-03"}, {"phone", "0571-6488 1234"}},
      {{"name", "阿卜杜拉·买买提"}, {"birth_date", "1979-11-02"}, {"other_id", "G12345678"}},
      {{"id_number", "330122198503120019"}, {"name", "李娜"}, {"birth_date", "not a date"}},
      {{"id_number", "3.30122E+17"}, {"name", "王芳"}, {"current_address", "迎春南路168号"}},
  };
  for (size_t i = 0; i < raws.size(); ++i) {
    wire::StoredRecord rec = Record(raws[i]);
    rec.source = i % 2 == 0 ? "police" : "grid";
    rec.record_id = "R" + std::to_string(i);
    rec.imported_at_ms = 1700000000000 + static_cast<int64_t>(i);
    wire::Resident resident;
    resident.entity_id = "R0000000001";
    UpsertMember(rec, &resident);
    const std::vector<wire::StoredRecord> members = MemberRecords(resident);
    ASSERT_EQ(members.size(), 1u);
    const std::vector<std::string> keys = BlockKeys(rec);
    EXPECT_FALSE(keys.empty()) << "record " << i;
    EXPECT_EQ(BlockKeys(members[0]), keys) << "record " << i;
    const std::set<std::string> of_resident = IndexKeysOf(resident);
    EXPECT_EQ(std::vector<std::string>(of_resident.begin(), of_resident.end()), keys)
        << "record " << i;
  }
}

// How residents are stored (golden.h, StripProvenance): provenance once per
// member, canonical field names as codes, and back again unchanged.
TEST(StoredResidentTest, ProvenanceIsStoredOncePerMemberAndRestoredExactly) {
  wire::Resident resident;
  resident.entity_id = "R0000000001";
  const std::vector<std::map<std::string, std::string>> raws = {
      {{"id_number", ValidId("33012219850312001")}, {"name", "张伟"}, {"phone", "13805712345"},
       {"household_address", "浙江省杭州市桐庐县城南街道迎春南路168号"}},
      {{"name", "张伟"}, {"birth_date", "1985-03-12"}, {"current_address", "迎春南路168号"},
       {"grid_code", "330122001001"}},
      {{"id_number", ValidId("33012219850312001")}, {"name", "張偉"}, {"ethnicity", "汉族"}},
  };
  const std::vector<std::string> sources = {"police", "grid", "civil"};
  for (size_t i = 0; i < raws.size(); ++i) {
    wire::StoredRecord rec = Record(raws[i]);
    rec.source = sources[i];
    rec.record_id = "REC-" + std::to_string(100 + i);
    rec.imported_at_ms = 1700000000000 + 1000 * static_cast<int64_t>(i);
    if (i == 1) rec.attributes["走访事项"] = "人口信息核实";
    UpsertMember(rec, &resident);
  }
  // A value whose record is not a member (not made by UpsertMember) keeps
  // its provenance as it is.
  wire::ProvenancedValue stray;
  stray.field = "phone";
  stray.value = "13900000000";
  stray.source = "legacy";
  stray.record_id = "L1";
  stray.observed_at_ms = 42;
  resident.values.push_back(stray);

  wire::Resident stored = resident;
  StripProvenance(&stored);
  ASSERT_EQ(stored.values.size(), resident.values.size());
  std::set<int16_t> timed;
  for (size_t i = 0; i < stored.values.size(); ++i) {
    const wire::ProvenancedValue& v = stored.values[i];
    const wire::ProvenancedValue& full = resident.values[i];
    EXPECT_EQ(v.value, full.value);
    if (full.source == "legacy") {
      EXPECT_FALSE(v.__isset.member);
      EXPECT_EQ(v, full);
      continue;
    }
    ASSERT_TRUE(v.__isset.member) << full.field;
    const wire::RecordRef& member = stored.records.at(static_cast<size_t>(v.member));
    EXPECT_EQ(member.source, full.source);
    EXPECT_EQ(member.record_id, full.record_id);
    EXPECT_TRUE(v.source.empty());
    EXPECT_TRUE(v.record_id.empty());
    // The import time once per member.
    EXPECT_EQ(v.observed_at_ms != 0, timed.insert(v.member).second) << full.field;
    // An address keeps region_key, not the province, city and county it
    // spells out; every other part is kept (a grid code's county too).
    StringMap kept = full.parts;
    if (kept.count("region_key")) {
      for (const char* part : {"province", "city", "county"}) kept.erase(part);
    }
    EXPECT_EQ(v.parts, kept) << full.field;
    if (schema::IsCanonicalField(full.field)) {
      EXPECT_TRUE(v.field.empty());
      EXPECT_TRUE(v.__isset.field_code);
    } else {
      EXPECT_EQ(v.field, full.field);  // an attribute keeps its name
      EXPECT_FALSE(v.__isset.field_code);
    }
  }
  EXPECT_EQ(timed.size(), 3u);
  const auto household = std::find_if(resident.values.begin(), resident.values.end(),
                                      [](const auto& v) { return v.field == "household_address"; });
  ASSERT_NE(household, resident.values.end());
  EXPECT_EQ(household->parts.at("province"), "浙江省");
  EXPECT_EQ(household->parts.at("county"), "桐庐县");
  EXPECT_LT(Encode(stored).size() * 5, Encode(resident).size() * 4)
      << "stored residents should be at least a fifth smaller";

  // Read back: exactly the resident, whatever its members' order of joining.
  wire::Resident read = stored;
  RestoreProvenance(&read);
  EXPECT_EQ(read, resident);
  // Decoding the stored bytes gives the same.
  wire::Resident decoded;
  ASSERT_TRUE(Decode(Encode(stored), &decoded, "resident").ok());
  RestoreProvenance(&decoded);
  EXPECT_EQ(decoded, resident);
  // Stripping twice changes nothing more.
  wire::Resident twice = stored;
  StripProvenance(&twice);
  EXPECT_EQ(twice, stored);
  // Residents of older stores (full provenance) are read as they are.
  wire::Resident old = resident;
  RestoreProvenance(&old);
  EXPECT_EQ(old, resident);
  // A value that would not come back exactly keeps its full form: here,
  // another import time than its member's other values.
  wire::Resident odd = resident;
  odd.values[1].observed_at_ms += 5;
  wire::Resident odd_stored = odd;
  StripProvenance(&odd_stored);
  EXPECT_FALSE(odd_stored.values[1].__isset.member);
  EXPECT_TRUE(odd_stored.values[2].__isset.member);
  EXPECT_TRUE(odd_stored.values[3].__isset.member);
  RestoreProvenance(&odd_stored);
  EXPECT_EQ(odd_stored, odd);
  // A member position past the members is left as stored, not guessed.
  wire::Resident broken = stored;
  const size_t last = broken.values.size() - 2;  // the last member's last value
  broken.values[last].member = 99;
  RestoreProvenance(&broken);
  EXPECT_TRUE(broken.values[last].source.empty());
  for (size_t i = 0; i < last; ++i) EXPECT_EQ(broken.values[i], read.values[i]);
}

// An address's province, city and county are stored only as region_key's
// slots, and only when they come back exactly from it.
TEST(StoredResidentTest, RegionPartsAreStoredInRegionKeyOnlyWhenExactlyRestorable) {
  wire::Resident resident;
  resident.entity_id = "R0000000001";
  wire::RecordRef ref;
  ref.source = "grid";
  ref.record_id = "G1";
  resident.records.push_back(ref);
  auto address = [&](StringMap parts) {
    wire::ProvenancedValue v;
    v.field = "current_address";
    v.value = "某地址";
    v.source = "grid";
    v.record_id = "G1";
    v.observed_at_ms = 1700000000000;
    v.parts = std::move(parts);
    v.__isset.parts = true;
    return v;
  };
  // 0: all three; 1: no province (its slot empty); 2: a county part that is
  // not its slot; 3: a slot without its part; 4: a '|' inside a part (four
  // slots: the parts are kept); 5: no region_key, a county part (a grid
  // code's); 6: no region parts; 7: a region_key short enough to live inside
  // its string (restoring it inserts beside it, which moves it).
  resident.values = {
      address({{"region_key", "浙江省|杭州市|桐庐县"}, {"province", "浙江省"},
               {"city", "杭州市"}, {"county", "桐庐县"}, {"town", "城南街道"}}),
      address({{"region_key", "|杭州市|桐庐县"}, {"city", "杭州市"}, {"county", "桐庐县"}}),
      address({{"region_key", "浙江省|杭州市|桐庐县"}, {"province", "浙江省"},
               {"city", "杭州市"}, {"county", "富阳区"}}),
      address({{"region_key", "浙江省|杭州市|桐庐县"}, {"city", "杭州市"}, {"county", "桐庐县"}}),
      address({{"region_key", "浙|江省|杭州市|桐庐县"}, {"province", "浙|江省"},
               {"city", "杭州市"}, {"county", "桐庐县"}}),
      address({{"county", "330122"}, {"key", "a|b"}}),
      address({{"key", "城南街道|||迎春南路|168|||"}}),
      address({{"region_key", "|津市|城区"}, {"city", "津市"}, {"county", "城区"},
               {"key", "0123456789abcde"}}),
  };
  wire::Resident stored = resident;
  StripProvenance(&stored);
  const std::vector<bool> compact = {true, true, false, false, true, true, true, true};
  const std::vector<bool> derived = {true, true, false, false, false, false, true, true};
  for (size_t i = 0; i < compact.size(); ++i) {
    const wire::ProvenancedValue& v = stored.values[i];
    EXPECT_EQ(v.__isset.member, compact[i]) << "value " << i;
    if (!compact[i]) {
      EXPECT_EQ(v, resident.values[i]) << "value " << i;
      continue;
    }
    if (!derived[i]) {
      EXPECT_EQ(v.parts, resident.values[i].parts) << "value " << i;
      continue;
    }
    for (const char* part : {"province", "city", "county"}) {
      EXPECT_EQ(v.parts.count(part), 0u) << "value " << i << " " << part;
    }
  }
  EXPECT_EQ(stored.values[0].parts.at("town"), "城南街道");
  EXPECT_EQ(stored.values[0].parts.at("region_key"), "浙江省|杭州市|桐庐县");

  wire::Resident decoded;
  ASSERT_TRUE(DecodeResident(Encode(stored), &decoded, "resident").ok());
  EXPECT_EQ(decoded, resident);
  // Restored with room to spare, so the entries shift in place instead of
  // moving to new memory: value 7's slots must be read before that.
  wire::Resident roomy = stored;
  for (auto& v : roomy.values) v.parts.reserve(16);
  RestoreProvenance(&roomy);
  EXPECT_EQ(roomy, resident);
  // A compact value stored before region parts were left out (they are all
  // there) reads the same.
  wire::Resident earlier = stored;
  earlier.values[0].parts = resident.values[0].parts;
  RestoreProvenance(&earlier);
  EXPECT_EQ(earlier, resident);

  // Only address values are region-stripped and restored: another field
  // with parts of those names (none has them today) keeps them as they are,
  // and gains none on the way back.
  wire::Resident other = resident;
  other.values = {address({{"region_key", "浙江省|杭州市|桐庐县"}, {"province", "浙江省"},
                           {"city", "杭州市"}, {"county", "桐庐县"}}),
                  address({{"region_key", "浙江省|杭州市|桐庐县"}})};
  for (auto& v : other.values) v.field = "grid_code";
  wire::Resident other_stored = other;
  StripProvenance(&other_stored);
  for (size_t i = 0; i < other.values.size(); ++i) {
    EXPECT_TRUE(other_stored.values[i].__isset.member) << "value " << i;
    EXPECT_EQ(other_stored.values[i].parts, other.values[i].parts) << "value " << i;
  }
  wire::Resident other_decoded;
  ASSERT_TRUE(DecodeResident(Encode(other_stored), &other_decoded, "resident").ok());
  EXPECT_EQ(other_decoded, other);
}

// MemberGbIdNumbers reads members' numbers from the values directly; it must
// give what GbIdNumber gives on the member records MemberRecords builds, for
// every kind of id_number value and for random residents made of them.
TEST(MemberGbIdNumbersTest, EqualsGbIdNumberOfMemberRecords) {
  auto value = [](int member, std::string v, std::vector<std::string> flags) {
    wire::ProvenancedValue p;
    p.field = std::string(schema::kIdNumber);
    p.value = std::move(v);
    p.source = "s";
    p.record_id = absl::StrCat("m", member);
    p.flags = std::move(flags);
    p.__isset.flags = !p.flags.empty();
    return p;
  };
  const std::vector<std::pair<std::string, std::vector<std::string>>> kinds = {
      {"11010519491231002X", {}},                                   // valid, 18
      {"110105491231002", {}},                                      // 15 digits
      {"11010519491231002X", {std::string(kFlagInvalid)}},          // invalid
      {"11010519491231002X", {std::string(schema::kFlagOtherIdentifier)}},
      {"", {}},                                                     // empty
      {"22010519800101001X", {"upgraded_from_15"}},                 // valid, a repair flag
  };
  std::mt19937 rng(7);
  for (int round = 0; round < 500; ++round) {
    wire::Resident r;
    const int members = 1 + static_cast<int>(rng() % 4);
    for (int m = 0; m < members; ++m) {
      wire::RecordRef ref;
      ref.source = "s";
      ref.record_id = absl::StrCat("m", m);
      r.records.push_back(ref);
    }
    const int values = static_cast<int>(rng() % 7);
    for (int i = 0; i < values; ++i) {
      const auto& [v, flags] = kinds[rng() % kinds.size()];
      // Sometimes a value of a record that is not a member, or another field.
      const int member = static_cast<int>(rng() % (members + 1));
      wire::ProvenancedValue p = value(member, v, flags);
      if (rng() % 5 == 0) p.field = std::string(schema::kPhone);
      r.values.push_back(std::move(p));
    }
    const std::vector<wire::StoredRecord> records = MemberRecords(r);
    const std::vector<std::string> ids = MemberGbIdNumbers(r);
    ASSERT_EQ(ids.size(), records.size());
    for (size_t k = 0; k < ids.size(); ++k) {
      EXPECT_EQ(ids[k], GbIdNumber(records[k])) << "round " << round << " member " << k;
    }
  }
}

// Content hashes and pair ids: SHA-256 in hex (FIPS 180-2 test vectors),
// cut to the length asked, the same on every call and thread.
TEST(HexSha256Test, KnownDigestsWholeAndCut) {
  const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  const std::string empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  for (int round = 0; round < 3; ++round) {  // the per-thread context is reused
    EXPECT_EQ(HexSha256("abc"), abc);
    EXPECT_EQ(HexSha256(""), empty);
    EXPECT_EQ(HexSha256("abc", 16), abc.substr(0, 16));
    EXPECT_EQ(HexSha256("abc", 1), abc.substr(0, 1));
    EXPECT_EQ(HexSha256("abc", 200), abc);
  }
  EXPECT_EQ(HexSha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  std::string other;
  std::thread t([&] { other = HexSha256("abc"); });
  t.join();
  EXPECT_EQ(other, abc);
}

TEST(DamerauDistanceTest, CountsOneEditOrAdjacentSwap) {
  auto d = [](std::string_view a, std::string_view b) {
    return DamerauDistance(CodePoints(a), CodePoints(b));
  };
  EXPECT_EQ(d("", ""), 0);
  EXPECT_EQ(d("abc", ""), 3);
  EXPECT_EQ(d("abc", "abc"), 0);
  EXPECT_EQ(d("abc", "abd"), 1);    // substitution
  EXPECT_EQ(d("abc", "acb"), 1);    // adjacent transposition
  EXPECT_EQ(d("abc", "abcd"), 1);   // insertion
  EXPECT_EQ(d("abc", "ac"), 1);     // deletion
  EXPECT_EQ(d("abc", "cba"), 2);    // not adjacent
  EXPECT_EQ(d("ca", "abc"), 3);     // optimal string alignment, not full Damerau
  EXPECT_EQ(d("张伟", "张玮"), 1);  // code points, not bytes
  EXPECT_EQ(d("张伟", "伟张"), 1);
  EXPECT_EQ(d("王小明", "王明"), 1);
}

TEST(CompareTest, OneEntryPerCanonicalFieldAndMissingWhenAbsentOrInvalid) {
  auto comparisons = CompareRecords(Record({{"name", "张三"}, {"phone", "13812345678"}}),
                                    Record({{"name", "张三"}, {"phone", "not a phone"}}));
  ASSERT_EQ(comparisons.size(), 10u);
  EXPECT_EQ(comparisons[0].field, "id_number");
  EXPECT_EQ(comparisons[0].level, Level::kMissing);
  EXPECT_EQ(comparisons[1].field, "name");
  EXPECT_EQ(comparisons[1].level, Level::kExact);
  EXPECT_EQ(comparisons[1].value, "张三");
  EXPECT_EQ(comparisons[4].field, "phone");
  EXPECT_EQ(comparisons[4].level, Level::kMissing);  // invalid on one side
  EXPECT_EQ(comparisons[4].value, "");
}

TEST(CompareTest, IdNumberLevels) {
  const std::string id = ValidId("33012219800101001");
  EXPECT_EQ(LevelOf("id_number", id, "'" + id), Level::kExact);
  // Two valid 18-character numbers one digit apart: the check character
  // would have caught a typo, so they are two people's (twins').
  EXPECT_EQ(LevelOf("id_number", id, ValidId("33012219800101003")), Level::kDifferent);
  EXPECT_EQ(LevelOf("id_number", id, ValidId("33012219801001001")), Level::kDifferent);  // swap
  EXPECT_EQ(LevelOf("id_number", id, ValidId("33012219800101771")), Level::kDifferent);
  EXPECT_EQ(LevelOf("id_number", id, ValidId("33012719751231002")), Level::kDifferent);
  // A 15-digit number with a typo, upgraded: its check character differs too.
  EXPECT_EQ(LevelOf("id_number", id, "330122800101007"), Level::kTypo);  // substitution
  EXPECT_EQ(LevelOf("id_number", id, "330122801001001"), Level::kTypo);  // adjacent swap
  EXPECT_EQ(LevelOf("id_number", id, "330122800101001"), Level::kExact);  // upgraded, equal
  // ... but not when the numbers state different sexes: a twin's number.
  EXPECT_EQ(LevelOf("id_number", id, "330122800101002"), Level::kDifferent);
  EXPECT_EQ(LevelOf("id_number", id, "330122800101771"), Level::kDifferent);  // two digits
  // A number failing its check one slip away from the valid one: a typo
  // (CompareTest.MistypedIdNumberOneSlipFromAValidOneIsATypo); further away,
  // no evidence.
  EXPECT_EQ(LevelOf("id_number", id, "330122198001010019"), Level::kTypo);
  EXPECT_EQ(LevelOf("id_number", id, "330122198001017719"), Level::kMissing);
  // Typed identifiers: one edit on the whole value.
  EXPECT_EQ(LevelOf("id_number", "E12345678", "e12345678"), Level::kExact);
  EXPECT_EQ(LevelOf("id_number", "E12345678", "E12345679"), Level::kTypo);
  EXPECT_EQ(LevelOf("id_number", "E12345678", "E12345687"), Level::kTypo);
  EXPECT_EQ(LevelOf("id_number", "E12345678", "E12345600"), Level::kDifferent);
  EXPECT_EQ(LevelOf("id_number", "E12345678", id), Level::kDifferent);
}

TEST(CompareTest, OtherIdLevels) {
  EXPECT_EQ(LevelOf("other_id", "1804974", "1804-974"), Level::kExact);
  EXPECT_EQ(LevelOf("other_id", "1804974", "1804975"), Level::kTypo);
  EXPECT_EQ(LevelOf("other_id", "1804974", "1809474"), Level::kTypo);   // adjacent swap
  EXPECT_EQ(LevelOf("other_id", "1804974", "18049745"), Level::kTypo);  // one added
  EXPECT_EQ(LevelOf("other_id", "1804974", "6089216"), Level::kDifferent);
  EXPECT_EQ(LevelOf("other_id", "1804974", "NONE"), Level::kMissing);   // placeholder
  // Never a cannot-link: strong agreement elsewhere still links.
  const Model model = Model::Default();
  const std::map<std::string, std::string> person = {
      {"name", "mitchell green"},
      {"birth_date", "19560409"},
      {"current_address", "7 wallaby place delmar cleveland 2119 sa"}};
  auto with_id = [&](const std::string& other_id) {
    auto raw = person;
    raw["other_id"] = other_id;
    return Record(raw);
  };
  auto c = CompareRecords(with_id("1804974"), with_id("6089216"));
  EXPECT_EQ(c[9].field, "other_id");
  EXPECT_EQ(c[9].level, Level::kDifferent);
  EXPECT_EQ(model.Score(c, nullptr).decision, Decision::kLink);
  // Alone, a shared identifier reaches the link threshold only just: a
  // disagreeing name or gender sends the pair to review.
  auto alone = CompareRecords(Record({{"other_id", "1804974"}}), Record({{"other_id", "1804974"}}));
  EXPECT_EQ(model.Score(alone, nullptr).decision, Decision::kLink);
  auto other_name = CompareRecords(Record({{"other_id", "1804974"}, {"name", "mitchell green"}}),
                                   Record({{"other_id", "1804974"}, {"name", "harley mccarthy"}}));
  EXPECT_EQ(model.Score(other_name, nullptr).decision, Decision::kReview);
}

TEST(CompareTest, NameLevels) {
  EXPECT_EQ(LevelOf("name", "张伟", "张伟"), Level::kExact);
  EXPECT_EQ(LevelOf("name", "張偉", "张伟"), Level::kExact);  // traditional, normalized
  EXPECT_EQ(LevelOf("name", "张伟", "章伟"), Level::kHomophone);
  EXPECT_EQ(LevelOf("name", "zhang wei", "张伟"), Level::kHomophone);
  EXPECT_EQ(LevelOf("name", "Zhang Wei", "张伟"), Level::kHomophone);
  EXPECT_EQ(LevelOf("name", "ZHANGWEI", "张伟"), Level::kHomophone);
  EXPECT_EQ(LevelOf("name", "王小明", "王明"), Level::kTypo);     // one dropped
  EXPECT_EQ(LevelOf("name", "李明华", "李华明"), Level::kTypo);   // adjacent swap
  // One Han character for another: a typo when it sounds alike.
  EXPECT_EQ(LevelOf("name", "王阳", "王燕"), Level::kTypo);       // yang / yan
  EXPECT_EQ(LevelOf("name", "陈静", "陈进"), Level::kTypo);       // jing / jin
  EXPECT_EQ(LevelOf("name", "张三", "张山"), Level::kTypo);       // san / shan
  // ... else partial: a sibling's name or a slip of the pen.
  EXPECT_EQ(LevelOf("name", "刘岩", "刘亮"), Level::kPartial);
  EXPECT_EQ(LevelOf("name", "王建国", "王建军"), Level::kPartial);
  EXPECT_EQ(LevelOf("name", "张大伟", "张太伟"), Level::kPartial);
  EXPECT_EQ(LevelOf("name", "王阳", "王云"), Level::kPartial);
  EXPECT_EQ(LevelOf("name", "王阳", "李云"), Level::kDifferent);
  EXPECT_EQ(LevelOf("name", "zhang wie", "张伟"), Level::kTypo);  // Latin typo against Han
  EXPECT_EQ(LevelOf("name", "zhang san", "zhang sam"), Level::kTypo);
  EXPECT_EQ(LevelOf("name", "张伟", "李娜"), Level::kDifferent);
  EXPECT_EQ(LevelOf("name", "张伟", "123"), Level::kMissing);
  // Latin names: words in another order, words with typos, a word missing.
  EXPECT_EQ(LevelOf("name", "mitchell green", "green mitchell"), Level::kHomophone);
  EXPECT_EQ(LevelOf("name", "Wei Zhang", "张伟"), Level::kHomophone);
  EXPECT_EQ(LevelOf("name", "rebecca trene rry", "rebecca trenerry"), Level::kHomophone);
  EXPECT_EQ(LevelOf("name", "olivia blacwkell", "oliiva blackwell"), Level::kTypo);
  EXPECT_EQ(LevelOf("name", "erni humphreys", "erin humpjeys"), Level::kTypo);  // 2 edits in 8
  EXPECT_EQ(LevelOf("name", "spyke karlen", "karlsen spyke"), Level::kTypo);
  EXPECT_EQ(LevelOf("name", "humphreys", "humpjeys"), Level::kTypo);
  EXPECT_EQ(LevelOf("name", "michaela", "michaela thrussell"), Level::kPartial);
  EXPECT_EQ(LevelOf("name", "michaela", "thrussell michaela"), Level::kPartial);
  EXPECT_EQ(LevelOf("name", "michaela", "michaels thrussell"), Level::kPartial);
  EXPECT_EQ(LevelOf("name", "买买提", "买买提·艾力"), Level::kPartial);
  EXPECT_EQ(LevelOf("name", "买买提·艾力", "买买提·阿力"), Level::kTypo);  // ai li / a li
  EXPECT_EQ(LevelOf("name", "holly callado", "sarah callado"), Level::kDifferent);  // a relative
  EXPECT_EQ(LevelOf("name", "tom smith", "jack jones"), Level::kDifferent);
  EXPECT_EQ(LevelOf("name", "anna lee", "anne leigh"), Level::kDifferent);  // lee / leigh: 3 edits
  EXPECT_EQ(LevelOf("name", "bendkv", "bendpyk"), Level::kDifferent);       // 2 edits in 6
}

TEST(CompareTest, BirthDateLevels) {
  EXPECT_EQ(LevelOf("birth_date", "1980-03-15", "1980/3/15"), Level::kExact);
  EXPECT_EQ(LevelOf("birth_date", "1980-03", "1980年3月"), Level::kExact);
  EXPECT_EQ(LevelOf("birth_date", "1980年3月", "1980-03-15"), Level::kPartial);
  EXPECT_EQ(LevelOf("birth_date", "1980-03", "1980-04-15"), Level::kDifferent);
  EXPECT_EQ(LevelOf("birth_date", "1980-03-15", "1980-03-16"), Level::kTypo);  // one digit
  EXPECT_EQ(LevelOf("birth_date", "1980-03-15", "1988-03-15"), Level::kTypo);
  EXPECT_EQ(LevelOf("birth_date", "1980-12-21", "1980-12-12"), Level::kTypo);  // adjacent swap
  EXPECT_EQ(LevelOf("birth_date", "1980-03-05", "1980-05-03"), Level::kTypo);  // day <-> month
  EXPECT_EQ(LevelOf("birth_date", "1980-03", "1980-04"), Level::kTypo);
  EXPECT_EQ(LevelOf("birth_date", "1980-03-15", "1981-04-15"), Level::kDifferent);
  EXPECT_EQ(LevelOf("birth_date", "1980-03-05", "1981-05-03"), Level::kDifferent);
  EXPECT_EQ(LevelOf("birth_date", "1980-03-15", "1980-02-30"), Level::kMissing);  // bad date
}

TEST(CompareTest, ExactOrDifferentFields) {
  EXPECT_EQ(LevelOf("gender", "男", "M"), Level::kExact);
  EXPECT_EQ(LevelOf("gender", "男", "女"), Level::kDifferent);
  EXPECT_EQ(LevelOf("gender", "男", "未知"), Level::kMissing);
  EXPECT_EQ(LevelOf("ethnicity", "汉族", "01"), Level::kExact);
  EXPECT_EQ(LevelOf("ethnicity", "汉族", "回族"), Level::kDifferent);
  EXPECT_EQ(LevelOf("grid_code", "330122-112-007", "330122112007"), Level::kExact);
  EXPECT_EQ(LevelOf("grid_code", "330122112007", "330122112008"), Level::kDifferent);
  EXPECT_EQ(LevelOf("phone", "+86 138 1234 5678", "13812345678"), Level::kExact);
  EXPECT_EQ(LevelOf("phone", "13812345678", "13812345679"), Level::kDifferent);
  EXPECT_EQ(FieldLevels("other_id"),
            (std::vector<Level>{Level::kExact, Level::kTypo, Level::kDifferent}));
  EXPECT_EQ(FieldLevels("name").size(), 5u);
  EXPECT_TRUE(FieldLevels("nickname").empty());
}

TEST(CompareTest, AddressLevels) {
  for (const std::string field : {"household_address", "current_address"}) {
    EXPECT_EQ(LevelOf(field, "浙江省杭州市桐庐县城南街道迎春路1号", "城南街道迎春路1号"),
              Level::kExact);
    EXPECT_EQ(LevelOf(field, "城南街道迎春路1号", "城南街道迎春路5号"), Level::kPartial);
    EXPECT_EQ(LevelOf(field, "城南街道迎春路1号", "迎春路5号"),
              Level::kPartial);  // town on one side
    EXPECT_EQ(LevelOf(field, "富春江镇芦茨村3组", "富春江镇芦茨村5组"), Level::kPartial);
    EXPECT_EQ(LevelOf(field, "城南街道迎春路1号", "富春江镇迎春路1号"), Level::kDifferent);
    EXPECT_EQ(LevelOf(field, "城南街道迎春路1号", "城南街道白云路1号"), Level::kDifferent);
    EXPECT_EQ(LevelOf(field, "迎春路1号", "迎春路5号"), Level::kDifferent);  // no town at all
    // Province, city and county compared slot by slot (parts["region_key"]).
    EXPECT_EQ(LevelOf(field, "陕西省西安市长安区韦曲街道青年路1号", "西安市长安区韦曲街道青年路1号"),
              Level::kExact);
    EXPECT_EQ(LevelOf(field, "陕西省西安市长安区韦曲街道青年路1号", "长安区韦曲街道青年路1号"),
              Level::kExact);
    EXPECT_EQ(LevelOf(field, "陕西省西安市长安区韦曲街道青年路1号",
                      "河北省石家庄市长安区韦曲街道青年路1号"),
              Level::kDifferent);
    EXPECT_EQ(LevelOf(field, "西安市长安区韦曲街道青年路1号", "石家庄市长安区韦曲街道青年路5号"),
              Level::kDifferent);
    // Unparsed (Latin) addresses: bigram similarity.
    EXPECT_EQ(LevelOf(field, "7 wallaby place delmar cleveland 2119 sa",
                      "7 wallaby  place delmar cleveland 2119 sa"),
              Level::kExact);
    EXPECT_EQ(LevelOf(field, "42 tallara parkway yarra bin 2148 vic",
                      "42 tallara parkway yarrabin 2148 vic"),
              Level::kExact);  // the key has no spaces
    EXPECT_EQ(LevelOf(field, "7 wallaby place delmar cleveland 2119 sa",
                      "7 walaby place delmar cleveland 2119 sa"),
              Level::kTypo);
    EXPECT_EQ(LevelOf(field, "12 main street springfield 2000 nsw",
                      "14 main street springfield 2000 nsw"),
              Level::kPartial);  // another house number: no typo
    EXPECT_EQ(LevelOf(field, "78 summit cottage louis loder street kaleen 4870 nsw",
                      "78 louis loder street kaleen 4870 nsw"),
              Level::kPartial);
    EXPECT_EQ(LevelOf(field, "7 wallaby place delmar cleveland 2119 sa",
                      "177 pridhamstreet milton marsden 3165 nsw"),
              Level::kDifferent);
  }
  // Each address kind is compared with its own kind only.
  auto c = CompareRecords(Record({{"household_address", "城南街道迎春路1号"}}),
                          Record({{"current_address", "城南街道迎春路1号"}}));
  EXPECT_EQ(c[5].level, Level::kMissing);
  EXPECT_EQ(c[6].level, Level::kMissing);
}

// ---- Model ----

TEST(ModelTest, DefaultWeightsAreOrdered) {
  const Model model = Model::Default();
  auto w = [&](std::string_view field, Level level) { return model.Weight(field, level); };
  EXPECT_GT(w("id_number", Level::kExact), w("id_number", Level::kTypo));
  EXPECT_GT(w("id_number", Level::kTypo), 0);
  EXPECT_LT(w("id_number", Level::kDifferent), 0);
  EXPECT_GT(w("name", Level::kExact), w("name", Level::kHomophone));
  EXPECT_GT(w("name", Level::kHomophone), w("name", Level::kTypo));
  EXPECT_GT(w("name", Level::kTypo), 0);
  EXPECT_GT(w("name", Level::kTypo), w("name", Level::kPartial));
  EXPECT_GT(w("name", Level::kPartial), w("name", Level::kDifferent));
  EXPECT_LT(w("name", Level::kDifferent), 0);
  EXPECT_GT(w("birth_date", Level::kExact), w("birth_date", Level::kPartial));
  EXPECT_GT(w("birth_date", Level::kPartial), w("birth_date", Level::kTypo));
  EXPECT_GT(w("birth_date", Level::kTypo), 0);
  EXPECT_LT(w("birth_date", Level::kDifferent), 0);
  for (std::string_view field : {"household_address", "current_address"}) {
    EXPECT_GT(w(field, Level::kExact), w(field, Level::kTypo));
    EXPECT_GT(w(field, Level::kTypo), w(field, Level::kPartial));
    EXPECT_GT(w(field, Level::kPartial), 0);
    EXPECT_LT(w(field, Level::kDifferent), 0);
  }
  for (std::string_view field : {"gender", "phone", "grid_code", "ethnicity"}) {
    EXPECT_GT(w(field, Level::kExact), 0) << field;
    EXPECT_LT(w(field, Level::kDifferent), 0) << field;
  }
  EXPECT_GT(w("other_id", Level::kExact), w("other_id", Level::kTypo));
  EXPECT_GT(w("other_id", Level::kTypo), 0);
  EXPECT_LT(w("other_id", Level::kDifferent), 0);
  EXPECT_LT(w("other_id", Level::kExact), w("id_number", Level::kExact));
  // No check character: a different other_id weighs less than a different
  // ID number (which, besides, is a cannot-link).
  EXPECT_GT(w("other_id", Level::kDifferent), w("id_number", Level::kDifferent));
  EXPECT_DOUBLE_EQ(w("id_number", Level::kExact), std::log2(0.95 / 1e-6));
  EXPECT_EQ(w("name", Level::kMissing), 0);
  EXPECT_EQ(w("gender", Level::kHomophone), 0);  // no such level
  EXPECT_EQ(w("favourite_colour", Level::kExact), 0);
  // Each field's m and u are distributions over its levels.
  for (const std::string& field : model.Fields()) {
    double m = 0, u = 0;
    for (Level level : FieldLevels(field)) {
      ASSERT_NE(model.Params(field, level), nullptr) << field;
      m += model.Params(field, level)->m;
      u += model.Params(field, level)->u;
    }
    EXPECT_NEAR(m, 1, 1e-9) << field;
    EXPECT_NEAR(u, 1, 1e-9) << field;
  }
}

TEST(ModelTest, WireRoundTripAndValidation) {
  Model model = Model::Default();
  model.set_training(TrainingInfo{1700000000000, 500, 7});
  const wire::MatchModel stored = model.ToWire();
  EXPECT_EQ(stored.version, kMatchModelVersion);
  EXPECT_EQ(stored.fields.size(), 10u);
  EXPECT_EQ(stored.fields[0].field, "id_number");
  EXPECT_EQ(stored.fields[0].levels[0].level, "exact");
  auto back = Model::FromWire(stored);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->ToWire(), stored);
  EXPECT_TRUE(back->term_frequency("name"));
  EXPECT_FALSE(back->term_frequency("gender"));
  EXPECT_EQ(back->training().em_iterations, 7);

  auto broken = [&](auto edit) {
    wire::MatchModel m = stored;
    edit(m);
    return Model::FromWire(m).status().code();
  };
  constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
  EXPECT_EQ(broken([](wire::MatchModel& m) { m.version = 2; }), kInvalid);
  EXPECT_EQ(broken([](wire::MatchModel& m) { m.prior = 1; }), kInvalid);
  EXPECT_EQ(broken([](wire::MatchModel& m) { m.review_threshold = 20; }), kInvalid);
  EXPECT_EQ(broken([](wire::MatchModel& m) { m.fields[1].field = "nickname"; }), kInvalid);
  EXPECT_EQ(broken([](wire::MatchModel& m) { m.fields.push_back(m.fields[0]); }), kInvalid);
  EXPECT_EQ(broken([](wire::MatchModel& m) { m.fields[0].levels[0].u = 0; }), kInvalid);
  EXPECT_EQ(broken([](wire::MatchModel& m) { m.fields[0].levels[0].level = "fuzzy"; }), kInvalid);
  EXPECT_EQ(broken([](wire::MatchModel& m) { m.fields[0].levels[1].level = "exact"; }), kInvalid);
  EXPECT_EQ(broken([](wire::MatchModel& m) { m.fields[0].levels[1].level = "homophone"; }),
            kInvalid);
  // "missing" is accepted and ignored.
  wire::MatchModel with_missing = stored;
  wire::LevelProbability missing;
  missing.level = "missing";
  missing.m = missing.u = 1;
  with_missing.fields[0].levels.push_back(missing);
  auto ok = Model::FromWire(with_missing);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->Weight("id_number", Level::kMissing), 0);
  EXPECT_EQ(Model().SetLevel("gender", Level::kTypo, 0.5, 0.5).code(), kInvalid);
  EXPECT_EQ(Model().SetThresholds(5, 4).code(), kInvalid);
}

std::vector<FieldComparison> Pair(const std::map<std::string, Level>& levels) {
  std::vector<FieldComparison> out;
  for (const auto& [field, level] : levels) out.push_back(FieldComparison{field, level, ""});
  return out;
}

TEST(ModelTest, ScoreSumsWeightsAndDecides) {
  const Model model = Model::Default();
  const ScoredPair id_only =
      model.Score(Pair({{"id_number", Level::kExact}, {"name", Level::kMissing}}), nullptr);
  EXPECT_DOUBLE_EQ(id_only.prior_weight, std::log2(0.05 / 0.95));
  EXPECT_DOUBLE_EQ(id_only.total_weight,
                   id_only.prior_weight + model.Weight("id_number", Level::kExact));
  EXPECT_NEAR(id_only.probability, 1 / (1 + std::exp2(-id_only.total_weight)), 1e-12);
  ASSERT_EQ(id_only.fields.size(), 2u);
  EXPECT_EQ(id_only.fields[1].weight, 0);  // missing
  EXPECT_EQ(id_only.decision, Decision::kLink);

  // Name, birth date and gender without an ID number: link.
  EXPECT_EQ(model
                .Score(Pair({{"name", Level::kExact},
                             {"birth_date", Level::kExact},
                             {"gender", Level::kExact}}),
                       nullptr)
                .decision,
            Decision::kLink);
  // A name alone: review.
  EXPECT_EQ(
      model.Score(Pair({{"name", Level::kExact}, {"gender", Level::kExact}}), nullptr).decision,
      Decision::kReview);
  // A relative sharing the household's phone and address: review, not link.
  EXPECT_EQ(model
                .Score(Pair({{"name", Level::kDifferent},
                             {"phone", Level::kExact},
                             {"household_address", Level::kExact},
                             {"grid_code", Level::kExact}}),
                       nullptr)
                .decision,
            Decision::kReview);
  // A shared phone and nothing else: no link, no review.
  const ScoredPair phone =
      model.Score(Pair({{"name", Level::kDifferent}, {"phone", Level::kExact}}), nullptr);
  EXPECT_EQ(phone.decision, Decision::kNoLink);
  EXPECT_LT(phone.probability, 0.94);
  // Different valid ID numbers never link automatically, however strong the rest.
  const ScoredPair conflict = model.Score(Pair({{"id_number", Level::kDifferent},
                                                {"name", Level::kExact},
                                                {"birth_date", Level::kExact},
                                                {"gender", Level::kExact},
                                                {"household_address", Level::kExact}}),
                                          nullptr);
  EXPECT_GE(conflict.total_weight, model.link_threshold());
  EXPECT_EQ(conflict.decision, Decision::kReview);
  // An empty model knows nothing: only the prior.
  EXPECT_DOUBLE_EQ(Model().Score(Pair({{"name", Level::kExact}}), nullptr).total_weight,
                   std::log2(0.05 / 0.95));
}

TEST(ModelTest, TermFrequencyLowersCommonNames) {
  TermFrequencies tf;
  for (int i = 0; i < 50; ++i) tf.Add("name", "张伟");
  for (int i = 0; i < 9949; ++i) tf.Add("name", "某" + std::to_string(i));
  tf.Add("name", "欧阳娜娜");
  EXPECT_DOUBLE_EQ(tf.Frequency("name", "张伟"), 0.005);
  EXPECT_DOUBLE_EQ(tf.Frequency("name", "欧阳娜娜"), 1e-4);
  EXPECT_EQ(tf.Frequency("name", "李娜"), 0);
  EXPECT_EQ(tf.Frequency("phone", "13812345678"), 0);

  const Model model = Model::Default();
  const double common = model.ExactWeightTf("name", tf.Frequency("name", "张伟"));
  const double rare = model.ExactWeightTf("name", tf.Frequency("name", "欧阳娜娜"));
  EXPECT_LT(common, rare);
  EXPECT_LT(common, model.Weight("name", Level::kExact));
  EXPECT_GT(rare, model.Weight("name", Level::kExact));
  EXPECT_DOUBLE_EQ(common, std::log2(0.85 / 0.005));
  EXPECT_DOUBLE_EQ(model.ExactWeightTf("name", 1e-9),
                   std::log2(0.85 / kTermFrequencyFloor));  // floored
  EXPECT_DOUBLE_EQ(model.ExactWeightTf("name", 0), std::log2(0.85 / kTermFrequencyFloor));

  auto score = [&](const std::string& name) {
    return model.Score({FieldComparison{"name", Level::kExact, name}}, &tf);
  };
  EXPECT_LT(score("张伟").total_weight, score("欧阳娜娜").total_weight);
  EXPECT_TRUE(score("张伟").fields[0].tf_adjusted);
  // A value never counted falls back to the field-wide weight.
  EXPECT_FALSE(score("李娜").fields[0].tf_adjusted);
  EXPECT_DOUBLE_EQ(score("李娜").fields[0].weight, model.Weight("name", Level::kExact));
  // Fields without term frequency ignore the counts.
  tf.Add("gender", "1");
  EXPECT_FALSE(
      model.Score({FieldComparison{"gender", Level::kExact, "1"}}, &tf).fields[0].tf_adjusted);

  TermFrequencies from_records;
  from_records.AddRecord(Record({{"name", "张伟"}, {"phone", "bad"}}));
  EXPECT_EQ(from_records.Frequency("name", "张伟"), 1);
  EXPECT_EQ(from_records.Frequency("phone", "bad"), 0);  // invalid values are not counted
}

// ---- EM ----

// Uniform in [0, 1) from the engine's bits (portable, unlike std::
// distributions).
double Uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

Level Draw(std::mt19937_64& rng, const std::vector<Level>& levels,
           const std::vector<double>& probs) {
  double x = Uniform(rng);
  for (size_t i = 0; i + 1 < levels.size(); ++i) {
    if (x < probs[i]) return levels[i];
    x -= probs[i];
  }
  return levels.back();
}

// A known model unlike Default(), and pairs drawn from it (10% missing).
struct Synthetic {
  Model truth;
  std::vector<std::vector<FieldComparison>> pairs;
};

Synthetic MakeSynthetic(int n, uint64_t seed) {
  Synthetic s;
  EXPECT_TRUE(s.truth.SetPrior(0.3).ok());
  const std::map<std::string, std::vector<std::pair<double, double>>> params = {
      {"id_number", {{0.7, 0.002}, {0.05, 0.003}, {0.25, 0.995}}},
      {"name", {{0.75, 0.02}, {0.1, 0.03}, {0.06, 0.05}, {0.02, 0.02}, {0.07, 0.88}}},
      {"birth_date", {{0.8, 0.02}, {0.05, 0.01}, {0.08, 0.07}, {0.07, 0.9}}},
      {"gender", {{0.95, 0.5}, {0.05, 0.5}}},
      {"phone", {{0.5, 0.05}, {0.5, 0.95}}},
      {"household_address", {{0.45, 0.05}, {0.1, 0.03}, {0.2, 0.12}, {0.25, 0.8}}},
      {"grid_code", {{0.7, 0.2}, {0.3, 0.8}}},
  };
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> mu;
  for (const auto& [field, levels] : params) {
    EXPECT_EQ(levels.size(), FieldLevels(field).size()) << field;
    for (size_t i = 0; i < levels.size(); ++i) {
      EXPECT_TRUE(
          s.truth.SetLevel(field, FieldLevels(field)[i], levels[i].first, levels[i].second).ok());
      mu[field].first.push_back(levels[i].first);
      mu[field].second.push_back(levels[i].second);
    }
  }
  std::mt19937_64 rng(seed);
  for (int i = 0; i < n; ++i) {
    const bool match = Uniform(rng) < 0.3;
    std::vector<FieldComparison> pair;
    for (const auto& [field, probs] : mu) {
      Level level = Draw(rng, FieldLevels(field), match ? probs.first : probs.second);
      if (Uniform(rng) < 0.1) level = Level::kMissing;
      pair.push_back(FieldComparison{field, level, ""});
    }
    s.pairs.push_back(std::move(pair));
  }
  return s;
}

TEST(TrainEmTest, RecoversAKnownModel) {
  const Synthetic s = MakeSynthetic(40000, 20240601);
  auto trained = TrainEm(s.pairs, Model::Default(), 500, 1e-7);
  ASSERT_TRUE(trained.ok()) << trained.status();
  EXPECT_LT(trained->training().em_iterations, 500);  // converged
  EXPECT_EQ(trained->training().training_pairs, 40000);
  EXPECT_NEAR(trained->prior(), 0.3, 0.01);
  for (const std::string& field : s.truth.Fields()) {
    for (Level level : FieldLevels(field)) {
      const LevelParams* want = s.truth.Params(field, level);
      const LevelParams* got = trained->Params(field, level);
      ASSERT_NE(got, nullptr);
      EXPECT_NEAR(got->m, want->m, 0.02) << field << " " << LevelName(level);
      EXPECT_NEAR(got->u, want->u, 0.01) << field << " " << LevelName(level);
    }
  }
  // Fields the data never shows keep their starting values; flags and
  // thresholds carry over.
  EXPECT_EQ(trained->Params("ethnicity", Level::kExact)->m, 0.97);
  EXPECT_TRUE(trained->term_frequency("name"));
  EXPECT_EQ(trained->link_threshold(), Model::Default().link_threshold());
}

TEST(TrainEmTest, FrozenParametersKeepTheirValueAndSmoothingAvoidsZero) {
  const Synthetic s = MakeSynthetic(5000, 7);
  EmOptions options;
  options.frozen_u.insert({"id_number", Level::kExact});
  options.freeze_prior = true;
  auto trained = TrainEm(s.pairs, Model::Default(), 200, 1e-6, options);
  ASSERT_TRUE(trained.ok()) << trained.status();
  EXPECT_EQ(trained->Params("id_number", Level::kExact)->u, 1e-6);
  EXPECT_EQ(trained->prior(), Model::Default().prior());
  double u = 0;
  for (Level level : FieldLevels("id_number")) u += trained->Params("id_number", level)->u;
  EXPECT_NEAR(u, 1, 1e-9);
  // With no name typo in the data, smoothing keeps its m and u positive.
  std::vector<std::vector<FieldComparison>> no_typos;
  for (const auto& pair : s.pairs) {
    std::vector<FieldComparison> kept = pair;
    for (FieldComparison& c : kept) {
      if (c.field == "name" && c.level == Level::kTypo) c.level = Level::kDifferent;
    }
    no_typos.push_back(std::move(kept));
  }
  auto smoothed = TrainEm(no_typos, Model::Default(), 100, 1e-6);
  ASSERT_TRUE(smoothed.ok()) << smoothed.status();
  EXPECT_GT(smoothed->Params("name", Level::kTypo)->m, 0);
  EXPECT_GT(smoothed->Params("name", Level::kTypo)->u, 0);
  EXPECT_TRUE(std::isfinite(smoothed->Weight("name", Level::kTypo)));
}

TEST(TrainEmTest, RejectsBadArguments) {
  const Synthetic s = MakeSynthetic(10, 1);
  constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
  EXPECT_EQ(TrainEm({}, Model::Default(), 10, 1e-6).status().code(), kInvalid);
  EXPECT_EQ(TrainEm(s.pairs, Model::Default(), 0, 1e-6).status().code(), kInvalid);
  EXPECT_EQ(TrainEm(s.pairs, Model::Default(), 10, -1).status().code(), kInvalid);
  EmOptions unknown;
  unknown.frozen_m.insert({"gender", Level::kTypo});
  EXPECT_EQ(TrainEm(s.pairs, Model::Default(), 10, 1e-6, unknown).status().code(), kInvalid);
  EmOptions no_smoothing;
  no_smoothing.pseudo_count = 0;
  EXPECT_EQ(TrainEm(s.pairs, Model::Default(), 10, 1e-6, no_smoothing).status().code(), kInvalid);
  Model heavy = Model::Default();
  ASSERT_TRUE(heavy.SetLevel("gender", Level::kExact, 1, 0.5).ok());
  EmOptions all_mass;
  all_mass.frozen_m.insert({"gender", Level::kExact});
  EXPECT_EQ(TrainEm(s.pairs, heavy, 10, 1e-6, all_mass).status().code(), kInvalid);
  // One round is allowed and reported.
  auto once = TrainEm(s.pairs, Model::Default(), 1, 0);
  ASSERT_TRUE(once.ok());
  EXPECT_EQ(once->training().em_iterations, 1);
}

}  // namespace
}  // namespace gridhub::hub
