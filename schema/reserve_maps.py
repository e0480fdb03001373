#!/usr/bin/env python3
"""Adds room for a map's entries to Thrift's generated readers.

Thrift 0.17's C++ reader of a map clears it, reads the map's header (the
entry count among it) and adds the entries one by one, never reserving:
right for std::map, but a sorted-vector map (schema/wire_map.h) then grows
by moving its entries several times. After each map header this inserts
::gridhub::ReserveEntries(this-><field>, <count>), which reserves for those
maps (bounded) and does nothing for others.

Usage: reserve_maps.py GENERATED.cpp...   (edits the files in place)
Fails when a map header is not where the generator put it before, so a new
Thrift version's code is looked at instead of silently left as it is.
"""
import re
import sys

CLEAR = re.compile(r"^(\s*)this->(\w+)\.clear\(\);$")
HEADER = re.compile(r"^(\s*)xfer \+= iprot->readMapBegin\((\w+), (\w+), (\w+)\);$")


def rewrite(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, cleared, done = [], None, 0
    for line in lines:
        out.append(line)
        m = CLEAR.match(line)
        if m:
            cleared = m.group(2)
            continue
        m = HEADER.match(line)
        if m:
            if cleared is None:
                sys.exit(f"{path}: a map header without the clear() before it: {line.strip()}")
            out.append(f"{m.group(1)}::gridhub::ReserveEntries(this->{cleared}, {m.group(4)});")
            cleared = None
            done += 1
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    return done


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for path in sys.argv[1:]:
        rewrite(path)


if __name__ == "__main__":
    main()
