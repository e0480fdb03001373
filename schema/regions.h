// schema/regions.h: GB/T 2260 region codes with their history (1981-2023).
//
// The first six digits of an ID number are the region code in force when
// the number was issued; many have since been retired or renumbered. This
// table (compiled in from schema/data/gbt2260_history.csv) answers whether a
// code existed and when.
//
// Thread-safe: immutable data.
#ifndef GRIDHUB_SCHEMA_REGIONS_H_
#define GRIDHUB_SCHEMA_REGIONS_H_

#include <string_view>
#include <vector>

namespace gridhub::schema {

struct RegionPeriod {
  int code;          // e.g. 330125
  int first_year;    // year the code came into force
  int last_year;     // year it was retired or changed; 0 = still in use
  char level;        // 'P' province, 'C' prefecture, 'X' county
  const char* province;
  const char* prefecture;  // "" for provinces
  const char* name;
};

// Every period of `code`, oldest first (a code can be reused). Empty when
// the code never existed.
std::vector<const RegionPeriod*> RegionPeriods(int code);

// True when `code` was in force at some time in [from_year, to_year].
bool RegionInForce(int code, int from_year, int to_year);

// True when any code of province `pp` (first two digits) exists.
bool ProvinceExists(int pp);

}  // namespace gridhub::schema

#endif  // GRIDHUB_SCHEMA_REGIONS_H_
