// schema/wire_map.h: the map type of the hot string maps in gridhub.thrift.
//
// A record's fields, a value's derived parts and a resident's golden fields
// are small maps (a handful to a few dozen entries) built, read and thrown
// away once per record on import. As std::map each entry is a node of its
// own: an allocation to build, a free to destroy, a pointer chase to look up.
// A sorted vector holds them in one allocation and keeps std::map's order,
// so the Thrift bytes written are the same as before.
//
// What differs from std::map, for code that uses these fields: inserting or
// erasing an entry moves the others, so a reference or iterator into the map
// does not survive an insertion or an erasure. Look up (find, at, contains)
// takes a std::string_view or a string literal without building a string.
//
// Included by the generated gridhub_types.h (cpp_include in gridhub.thrift).
#ifndef GRIDHUB_SCHEMA_WIRE_MAP_H_
#define GRIDHUB_SCHEMA_WIRE_MAP_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include <boost/container/flat_map.hpp>

namespace gridhub {

template <typename V>
using FlatMap = boost::container::flat_map<std::string, V, std::less<>>;
using StringMap = FlatMap<std::string>;

namespace wire {
using ::gridhub::FlatMap;
using ::gridhub::StringMap;
}  // namespace wire

// Room for `n` entries before a reader adds them one by one. Thrift's
// generated readers call it after each map's header (schema/reserve_maps.py
// adds the call at build time); bounded, as `n` comes from the bytes read.
template <typename V>
void ReserveEntries(FlatMap<V>& m, uint32_t n) {
  constexpr uint32_t kMostReserved = 256;
  m.reserve(n < kMostReserved ? n : kMostReserved);
}
template <typename M>
void ReserveEntries(M&, uint32_t) {}  // std::map: nothing to reserve

}  // namespace gridhub

namespace boost::container {

// Thrift's generated printTo() prints every field with to_string(), whose
// generic form needs operator<<.
template <typename K, typename V, typename C, typename A>
std::ostream& operator<<(std::ostream& out, const flat_map<K, V, C, A>& m) {
  out << "{";
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out << ", ";
    first = false;
    out << k << ": " << v;
  }
  return out << "}";
}

}  // namespace boost::container

#endif  // GRIDHUB_SCHEMA_WIRE_MAP_H_
