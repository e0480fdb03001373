#!/usr/bin/env bash
# ops/test.sh: install dependencies if missing, build everything, run the
# whole suite through ctest. Exits non-zero on any failure.
#
# Long runs (fuzzing, soak, benchmarks) are not part of this; see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ops/install-deps.sh
ops/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j "${JOBS:-2}" --timeout 600
