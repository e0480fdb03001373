#!/usr/bin/env bash
# ops/bench.sh: import + resolve throughput and peak memory (tests/bench/ingest_bench.cc).
# Run `ops/bench.sh --help` for usage.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  cat <<'EOF'
usage: ops/bench.sh [--persons N] [--seed S] [--out DIR] [--batch N] [--threads N] [--sync]
       ops/bench.sh --help

Generates a synthetic county with ops/gen-county.py (about 2 source records
per person) into DIR unless DIR already holds it, builds build/bin/ingest_bench
(ops/build.sh), and runs it under /usr/bin/time over a fresh RocksDB store in
a temporary directory: records/s (wall and user CPU), peak RSS, and pairwise
precision / recall / F1 against DIR/truth.csv. Progress every 100,000 records
goes to stderr. It is a benchmark, not a test: the machine is shared, so
read user CPU beside wall time.

options:
  --persons N   persons to generate (default 500000: about 1,000,000 records)
  --seed S      generator seed (default 7)
  --out DIR     data directory (default /tmp/g<N/1000>k, e.g. /tmp/g500k)
  --batch N     records per Ingestor::Import call (default 5000; hubctl import
                sends 2000-5000)
  --threads N   IngestOptions::prepare_threads (default 2)
  --sync        sync every batch to disk, as hubd does (default: unsynced)

example:
  ops/bench.sh --persons 100000       # ~200k records, a few minutes
  ops/bench.sh                        # ~1M records
EOF
}

persons=500000 seed=7 out="" batch=5000 threads=2 sync=(--no-sync)
while [ $# -gt 0 ]; do
  case "$1" in
    --help|-h) usage; exit 0 ;;
    --persons) persons=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --sync) sync=(); shift ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || out="/tmp/g$((persons / 1000))k"

if [ ! -f "$out/truth.csv" ] || [ ! -f "$out/police.csv" ]; then
  echo "bench.sh: generating $persons persons (seed $seed) into $out" >&2
  /usr/bin/python3 "$ROOT/ops/gen-county.py" --out "$out" --persons "$persons" --seed "$seed"
fi
"$ROOT/ops/build.sh" ingest_bench >&2
echo "command: build/bin/ingest_bench ${sync[*]} --batch $batch --threads $threads --truth $out/truth.csv $out"
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load average/load average/')"
/usr/bin/time -f "time: wall %e s, user CPU %U s, system %S s, peak RSS %M KB" \
  "$ROOT/build/bin/ingest_bench" "${sync[@]}" --batch "$batch" --threads "$threads" \
  --truth "$out/truth.csv" "$out"
