#include "schema/regions.h"

#include <algorithm>
#include <iterator>

namespace gridhub::schema {
namespace {

constexpr RegionPeriod kRegions[] = {
#include "regions_table.inc"
};

}  // namespace

std::vector<const RegionPeriod*> RegionPeriods(int code) {
  std::vector<const RegionPeriod*> out;
  auto it = std::lower_bound(std::begin(kRegions), std::end(kRegions), code,
                             [](const RegionPeriod& r, int c) { return r.code < c; });
  for (; it != std::end(kRegions) && it->code == code; ++it) out.push_back(&*it);
  return out;
}

bool RegionInForce(int code, int from_year, int to_year) {
  for (const RegionPeriod* p : RegionPeriods(code)) {
    const int end = p->last_year == 0 ? 9999 : p->last_year;
    if (p->first_year <= to_year && end >= from_year) return true;
  }
  return false;
}

bool ProvinceExists(int pp) {
  auto it = std::lower_bound(std::begin(kRegions), std::end(kRegions), pp * 10000,
                             [](const RegionPeriod& r, int c) { return r.code < c; });
  return it != std::end(kRegions) && it->code / 10000 == pp;
}

}  // namespace gridhub::schema
