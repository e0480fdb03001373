#!/usr/bin/env bash
# ops/fuzz.sh [SECONDS] [TARGET...]: build the libFuzzer targets (clang, ASan,
# UBSan) into build-fuzz/ and run each for SECONDS (default 600), two at a
# time. Targets: fuzz_id_number fuzz_name fuzz_gender fuzz_birth_date
# fuzz_phone fuzz_household_address fuzz_grid_code fuzz_ethnicity fuzz_csv
# fuzz_xlsx (default: all). Corpora grow in build-fuzz/corpus/TARGET, seeded
# from the normalizer case files and test data; a finding is saved as
# build-fuzz/findings/TARGET/crash-* and the script exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
if [[ -n "${1:-}" && ! "$1" =~ ^[0-9]+$ ]]; then
  echo "ops/fuzz.sh: SECONDS must be a whole number, not \"$1\" (see --help)" >&2
  exit 2
fi
SECONDS_EACH=${1:-600}
shift || true
ALL=(fuzz_id_number fuzz_name fuzz_gender fuzz_birth_date fuzz_phone fuzz_household_address
     fuzz_grid_code fuzz_ethnicity fuzz_csv fuzz_xlsx)
TARGETS=("${@:-${ALL[@]}}")
[ $# -eq 0 ] && TARGETS=("${ALL[@]}")
ops/install-deps.sh >/dev/null
B=build-fuzz
if [ ! -f "$B/CMakeCache.txt" ]; then
  cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DGRIDHUB_FUZZ=ON >/dev/null
fi
cmake --build "$B" -j2 --target "${TARGETS[@]}"

seed() {  # seed corpus: inputs of the case files for a field, test files for readers
  local target=$1 dir=$B/corpus/$1
  mkdir -p "$dir"
  [ -n "$(ls -A "$dir")" ] && return
  local field=${target#fuzz_}
  case $field in
    csv) cp tests/testdata/*.csv "$dir"/ 2>/dev/null || true
         printf 'a,b\n1,2\n"x,y",3\n' >"$dir/basic" ;;
    xlsx) cp tests/testdata/xlsx/*.xlsx "$dir"/ ;;
    *) local n=0
       for f in tests/schema/cases/${field}*.cases; do
         [ -f "$f" ] || continue
         grep -v '^[#@]' "$f" | awk -F' [|] ' 'NF>=3 {print $1}' | while IFS= read -r line; do
           n=$((n+1)); printf '\000%s' "$line" >"$dir/case-$n-$RANDOM"
         done
       done ;;
  esac
}

run() {
  local target=$1
  seed "$target"
  mkdir -p "$B/findings/$target"
  echo "fuzz: $target for ${SECONDS_EACH}s"
  if "$B/bin/$target" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$B/findings/$target/" -print_final_stats=1 \
      "$B/corpus/$target" >"$B/$target.log" 2>&1; then
    echo "fuzz: $target clean: $(grep -E 'stat::number_of_executed_units' "$B/$target.log" | awk '{print $2}') runs"
  else
    echo "fuzz: $target FOUND A PROBLEM: see $B/$target.log and $B/findings/$target/" >&2
    return 1
  fi
}

# Two lanes, each running its share of the targets one after another.
lane() {
  local failed=0
  for t in "$@"; do run "$t" || failed=1; done
  return $failed
}
lane_a=() lane_b=()
for i in "${!TARGETS[@]}"; do
  if [ $((i % 2)) -eq 0 ]; then lane_a+=("${TARGETS[$i]}"); else lane_b+=("${TARGETS[$i]}"); fi
done
status=0
lane "${lane_a[@]}" & a=$!
if [ ${#lane_b[@]} -gt 0 ]; then lane "${lane_b[@]}" & b=$!; else b=""; fi
wait "$a" || status=1
[ -n "$b" ] && { wait "$b" || status=1; }
exit $status
