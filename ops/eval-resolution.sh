#!/usr/bin/env bash
# ops/eval-resolution.sh: measure identity resolution end to end on the real product.
# Run `ops/eval-resolution.sh --help` for usage.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
prog=eval-resolution

usage() {
  cat <<'EOF'
usage: ops/eval-resolution.sh [options] county N [--seed S]
       ops/eval-resolution.sh [options] febrl3
       ops/eval-resolution.sh [options] febrl4
       ops/eval-resolution.sh --help

Measures identity resolution of the real product: builds hubd and hubctl if
needed, makes development certificates (ops/gen-certs.sh) in a temporary
directory, starts build/bin/hubd on 127.0.0.1 (any free port) with an empty
data directory and default settings, imports the data set's files with
`hubctl import` as user steward, exports the residents with `hubctl export
--json` and scores them against the ground truth with ops/evaluate.py.
hubd is stopped on exit, whatever happens.

data sets:
  county N     ops/gen-county.py --persons N --seed S (default seed 7): police.csv,
               civil.csv, grid.csv imported as sources police, civil, grid
  febrl3       FEBRL 3 (../shared/datasets/febrl/dataset3.csv): deduplication of
               5,000 records, 6,538 true pairs; source dataset3
  febrl4       FEBRL 4 (dataset4a.csv + dataset4b.csv): linkage of two files of
               5,000 records, 5,000 true pairs; sources dataset4a, dataset4b
               (FEBRL files go through ops/febrl-to-csv.py; mapping in the README)

options:
  --seed S         generator seed (county only; default 7)
  --work DIR       work in DIR (kept afterwards) instead of a temporary
                   directory that is removed on exit
  --febrl-dir DIR  where the FEBRL files are (default ../shared/datasets/febrl
                   beside the project's root)
  --no-build       use build/bin/hubd and hubctl as they are (default: bring
                   them up to date with ops/build.sh first)
  --json           print the figures as one JSON object on stdout
  --help           this help

output (stdout): records and persons in the truth, residents exported, true,
predicted and correct pairs, precision, recall, F1, and wall times (import,
and the whole run including the data set's preparation, excluding the
build). Progress and hubctl's import summaries go to stderr.

exit status: 0 figures printed, 1 failure, 2 usage error
EOF
}

die() { echo "$prog: $*" >&2; exit 1; }
usage_error() { echo "$prog: $*" >&2; echo "run '$prog --help' for usage" >&2; exit 2; }

MODE= PERSONS= SEED=7 WORK= JSON=0 BUILD=1
FEBRL_DIR=$(cd "$ROOT/.." && pwd)/shared/datasets/febrl
while [ $# -gt 0 ]; do
  case "$1" in
    --help|-h) usage; exit 0 ;;
    --seed) [ $# -ge 2 ] || usage_error "--seed needs a value"; SEED=$2; shift 2 ;;
    --seed=*) SEED=${1#--seed=}; shift ;;
    --work) [ $# -ge 2 ] || usage_error "--work needs a directory"; WORK=$2; shift 2 ;;
    --work=*) WORK=${1#--work=}; shift ;;
    --febrl-dir) [ $# -ge 2 ] || usage_error "--febrl-dir needs a directory"; FEBRL_DIR=$2; shift 2 ;;
    --febrl-dir=*) FEBRL_DIR=${1#--febrl-dir=}; shift ;;
    --json) JSON=1; shift ;;
    --no-build) BUILD=0; shift ;;
    -*) usage_error "unknown option $1" ;;
    county)
      [ -z "$MODE" ] || usage_error "one data set at a time"
      MODE=county
      [ $# -ge 2 ] || usage_error "county needs a number of persons"
      PERSONS=$2; shift 2 ;;
    febrl3|febrl4)
      [ -z "$MODE" ] || usage_error "one data set at a time"
      MODE=$1; shift ;;
    *) usage_error "unknown data set $1 (county N, febrl3, febrl4)" ;;
  esac
done
[ -n "$MODE" ] || usage_error "name a data set: county N, febrl3 or febrl4"
case "$SEED" in ''|*[!0-9]*) usage_error "--seed must be a number" ;; esac
if [ "$MODE" = county ]; then
  case "$PERSONS" in ''|*[!0-9]*|0) usage_error "county needs a positive number of persons" ;; esac
fi

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
BUILD_DIR=${BUILD_DIR:-build}
BIN="$ROOT/$BUILD_DIR/bin"
cd "$ROOT"

log() { printf '%s: %s\n' "$prog" "$*" >&2; }
now() { date +%s.%N; }

if [ "$BUILD" = 1 ]; then
  log "building hubd and hubctl (if out of date)"
  ops/build.sh hubd hubctl >&2 || die "build failed"
fi
[ -x "$BIN/hubd" ] && [ -x "$BIN/hubctl" ] || die "no $BIN/hubd or $BIN/hubctl (drop --no-build)"

if [ -n "$WORK" ]; then
  mkdir -p "$WORK"
  WORK=$(cd "$WORK" && pwd)
  KEEP=1
else
  WORK=$(mktemp -d /tmp/gridhub-eval-XXXXXX)
  KEEP=0
fi
[ -z "$(ls -A "$WORK/data" 2>/dev/null)" ] || die "$WORK/data is not empty: use a fresh --work directory"

HUBD_PID=
cleanup() {
  if [ -n "$HUBD_PID" ] && kill -0 "$HUBD_PID" 2>/dev/null; then
    kill -TERM "$HUBD_PID" 2>/dev/null || true
    wait "$HUBD_PID" 2>/dev/null || true
  fi
  if [ "$KEEP" = 0 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

T0=$(now)
# ---- the data set: files to import (source:path) and the truth
SOURCES=()
case "$MODE" in
  county)
    log "generating a county of $PERSONS persons (seed $SEED) in $WORK/input"
    "$PY" "$ROOT/ops/gen-county.py" --out "$WORK/input" --persons "$PERSONS" --seed "$SEED" >&2 \
      || die "gen-county.py failed"
    SOURCES=(police:"$WORK/input/police.csv" civil:"$WORK/input/civil.csv" grid:"$WORK/input/grid.csv")
    ;;
  febrl3)
    [ -f "$FEBRL_DIR/dataset3.csv" ] || die "no $FEBRL_DIR/dataset3.csv (see --febrl-dir)"
    "$PY" "$ROOT/ops/febrl-to-csv.py" "$FEBRL_DIR/dataset3.csv" --out "$WORK/input" \
      || die "febrl-to-csv.py failed"
    SOURCES=(dataset3:"$WORK/input/dataset3.csv")
    ;;
  febrl4)
    for f in dataset4a.csv dataset4b.csv; do
      [ -f "$FEBRL_DIR/$f" ] || die "no $FEBRL_DIR/$f (see --febrl-dir)"
    done
    "$PY" "$ROOT/ops/febrl-to-csv.py" "$FEBRL_DIR/dataset4a.csv" "$FEBRL_DIR/dataset4b.csv" \
      --out "$WORK/input" || die "febrl-to-csv.py failed"
    SOURCES=(dataset4a:"$WORK/input/dataset4a.csv" dataset4b:"$WORK/input/dataset4b.csv")
    ;;
esac

# ---- the server
log "certificates and hubd in $WORK"
ops/gen-certs.sh "$WORK/certs" >/dev/null || die "gen-certs.sh failed"
rm -f "$WORK/hubd.port"
"$BIN/hubd" --data-dir "$WORK/data" --certs "$WORK/certs" --listen 127.0.0.1:0 \
  --port-file "$WORK/hubd.port" 2>"$WORK/hubd.log" &
HUBD_PID=$!
for _ in $(seq 1 300); do
  [ -s "$WORK/hubd.port" ] && break
  kill -0 "$HUBD_PID" 2>/dev/null || { cat "$WORK/hubd.log" >&2; die "hubd exited"; }
  sleep 0.1
done
[ -s "$WORK/hubd.port" ] || { cat "$WORK/hubd.log" >&2; die "hubd did not start"; }
export HUB_SERVER="127.0.0.1:$(cat "$WORK/hubd.port")" HUB_CERTS="$WORK/certs" HUB_USER=steward

# ---- import, export, score
T1=$(now)
for s in "${SOURCES[@]}"; do
  log "importing ${s#*:} as source ${s%%:*}"
  "$BIN/hubctl" import --source "${s%%:*}" "${s#*:}" >&2 || die "import of ${s#*:} failed"
done
T2=$(now)
log "exporting residents"
"$BIN/hubctl" export --purpose data_quality --json >"$WORK/residents.jsonl" || die "export failed"
T3=$(now)
"$PY" "$ROOT/ops/evaluate.py" --json --truth "$WORK/input/truth.csv" \
  --residents "$WORK/residents.jsonl" >"$WORK/figures.json" || die "evaluate.py failed"

DATASET=$MODE
[ "$MODE" = county ] && DATASET="county $PERSONS --seed $SEED"
"$PY" - "$WORK/figures.json" "$DATASET" "$T0" "$T1" "$T2" "$T3" "$JSON" <<'PY'
import json, sys
path, dataset, t0, t1, t2, t3, as_json = sys.argv[1:]
r = json.load(open(path, encoding="utf-8"))
t0, t1, t2, t3 = map(float, (t0, t1, t2, t3))
r.update({"dataset": dataset, "import_seconds": round(t2 - t1, 1),
          "export_seconds": round(t3 - t2, 1), "wall_seconds": round(t3 - t0, 1)})
if as_json == "1":
    print(json.dumps(r))
else:
    print(f"data set   {dataset}")
    print(f"records    {r['records']} ({r['missing_from_export']} not in the export), "
          f"persons {r['persons']}, residents {r['residents']}")
    print(f"pairs      true {r['true_pairs']}, predicted {r['predicted_pairs']}, "
          f"correct {r['correct_pairs']}")
    print(f"precision  {r['precision']:.4f}   recall {r['recall']:.4f}   F1 {r['f1']:.4f}")
    print(f"wall time  import {r['import_seconds']} s, export {r['export_seconds']} s, "
          f"whole run {r['wall_seconds']} s")
PY
