#!/usr/bin/env bash
# ops/build.sh [TARGET...]: configure (once) and build gridhub into build/.
# Binaries land in build/bin/hubd and build/bin/hubctl. Uses -j2 (the
# project's machines have 2 cores); override with JOBS=N.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
GEN=()
command -v ninja >/dev/null 2>&1 && GEN=(-G Ninja)
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD_DIR" "${GEN[@]}" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}"
fi
if [ $# -gt 0 ]; then
  targets=()
  for t in "$@"; do targets+=(--target "$t"); done
  cmake --build "$BUILD_DIR" -j "${JOBS:-2}" "${targets[@]}"
else
  cmake --build "$BUILD_DIR" -j "${JOBS:-2}"
fi
