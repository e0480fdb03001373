#!/usr/bin/env bash
# ops/bench.sh: import + resolve throughput and peak memory (tests/bench/ingest_bench.cc).
# Run `ops/bench.sh --help` for usage.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  cat <<'EOF'
usage: ops/bench.sh [--persons N] [--seed S] [--out DIR] [--batch N] [--ahead N] [--threads N]
                   [--sync] [--stats]
                   [--side-by-side OTHER_INGEST_BENCH [--rounds R]]
       ops/bench.sh --help

Generates a synthetic county with ops/gen-county.py (about 2 source records
per person) into DIR unless DIR already holds it, builds build/bin/ingest_bench
(ops/build.sh), and runs it under /usr/bin/time over a fresh RocksDB store in
a temporary directory: records/s (wall and user CPU), peak RSS, the phases of
Import (resolve, finish, write) and pairwise precision / recall / F1 against
DIR/truth.csv. Progress every 100,000 records
goes to stderr. It is a benchmark, not a test: the machine is shared, so
read user CPU beside wall time.

options:
  --persons N   persons to generate (default 500000: about 1,000,000 records)
  --seed S      generator seed (default 7)
  --out DIR     data directory (default /tmp/g<N/1000>k, e.g. /tmp/g500k)
  --batch N     records per Ingestor::Import call (default 5000; hubctl import
                sends 2000-5000)
  --ahead N     batches read ahead on a second thread at a low CPU priority
                (ingest_bench's default: 3), which pre-processes them
                (Ingestor::StartPreprocess: content hashes, normalization,
                block keys) while the one before is imported; each batch is
                imported as far as it got and Import does the rest, so the
                import never waits for it (0 = only read ahead). The
                end-to-end records/s is the figure to read: Import's own
                includes only part of the normalization.
  --threads N   IngestOptions::prepare_threads (default 2)
  --sync        sync every batch to disk, as hubd does (default: unsynced)
  --stats       also print RocksDB's counters after the import (block cache
                hits and misses, point reads served by memtables and levels)
  --side-by-side OTHER
                compare build/bin/ingest_bench with another build of it (e.g.
                one built at an older commit and copied aside): both run at the
                same time on the same data, R rounds (default 2), and each
                prints its CPU (user + system). Back-to-back runs on this
                shared machine differ by 10-25% from one hour to the next;
                side by side, both see the same machine, so compare their CPU
                (wall times are of two runs sharing two cores). The side
                started first alternates (the second one started often
                ran slower). No F1 then.
  --rounds R    rounds of --side-by-side

example:
  ops/bench.sh --persons 100000       # ~200k records, a few minutes
  ops/bench.sh                        # ~1M records
EOF
}

persons=500000 seed=7 out="" batch=5000 threads=2 sync=(--no-sync) other="" rounds=2 stats=()
ahead=()  # ingest_bench's default unless given (older builds compared side by side lack --ahead)
while [ $# -gt 0 ]; do
  case "$1" in
    --help|-h) usage; exit 0 ;;
    --persons) persons=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --ahead) ahead=(--ahead "$2"); shift 2 ;;
    --sync) sync=(); shift ;;
    --stats) stats=(--stats); shift ;;
    --side-by-side) other=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || out="/tmp/g$((persons / 1000))k"

if [ ! -f "$out/truth.csv" ] || [ ! -f "$out/police.csv" ]; then
  echo "bench.sh: generating $persons persons (seed $seed) into $out" >&2
  /usr/bin/python3 "$ROOT/ops/gen-county.py" --out "$out" --persons "$persons" --seed "$seed"
fi
"$ROOT/ops/build.sh" ingest_bench >&2
if [ -n "$other" ]; then
  [ -x "$other" ] || { echo "bench.sh: $other is not an executable ingest_bench" >&2; exit 2; }
  case "$rounds" in ''|*[!0-9]*) echo "bench.sh: --rounds needs a number" >&2; exit 2 ;; esac
  this="$ROOT/build/bin/ingest_bench"
  echo "side by side, $rounds rounds: A = $this, B = $other"
  echo "command: ingest_bench ${sync[*]} --batch $batch --threads $threads $out"
  logs=$(mktemp -d)
  trap 'rm -rf "$logs"' EXIT
  for ((r = 1; r <= rounds; r++)); do
    pids=()
    # The side started second often ran slower (twice the system time in
    # some rounds): the order alternates from round to round.
    order="A B"; [ $((r % 2)) -eq 0 ] && order="B A"
    for side in $order; do
      bin=$this; [ "$side" = B ] && bin=$other
      /usr/bin/time -f "$side round $r: CPU %U s user + %S s system, wall %e s, peak RSS %M KB" \
        -o "$logs/$side.time" "$bin" "${sync[@]}" ${ahead[@]+"${ahead[@]}"} --batch "$batch" \
        --threads "$threads" "$out" \
        > "$logs/$side.out" 2> "$logs/$side.err" &
      pids+=($!)
    done
    failed=""
    first=${order%% *} second=${order##* }
    echo "round $r: $first started first"
    wait "${pids[0]}" || failed="$first"
    wait "${pids[1]}" || failed="$failed $second"
    if [ -n "$failed" ]; then
      for side in $failed; do
        echo "bench.sh: run $side of round $r failed:" >&2
        tail -5 "$logs/$side.err" >&2
      done
      exit 1
    fi
    for side in A B; do
      grep -h "end to end\|in Ingestor::Import" "$logs/$side.out" | sed "s/^/$side round $r: /"
      cat "$logs/$side.time"
    done
  done
  exit 0
fi
echo "command: build/bin/ingest_bench ${sync[*]}${stats[*]:+ ${stats[*]}}${ahead[*]:+ ${ahead[*]}} --batch $batch --threads $threads --truth $out/truth.csv $out"
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load average/load average/')"
/usr/bin/time -f "time: wall %e s, user CPU %U s, system %S s, peak RSS %M KB" \
  "$ROOT/build/bin/ingest_bench" "${sync[@]}" ${stats[@]+"${stats[@]}"} ${ahead[@]+"${ahead[@]}"} --batch "$batch" \
  --threads "$threads" --truth "$out/truth.csv" "$out"
