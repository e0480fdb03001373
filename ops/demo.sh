#!/usr/bin/env bash
# ops/demo.sh: gridhub end to end on the embedded store.
#
# Installs dependencies if missing, builds, creates development certificates,
# generates a small synthetic county (three departments' exports with their
# own headers, formats and mess: police CSV in UTF-8, civil affairs CSV in
# GB18030, grid members' XLSX workbook), starts hubd on a free loopback port,
# imports the three sources, prints one resident's unified record as two
# different users, stops the server and exits 0.
#
# Environment: DEMO_DIR (default: a new /tmp/gridhub-demo-* directory),
# DEMO_PERSONS (default 300), DEMO_SEED (default 7).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

step() { printf '\n== %s\n' "$*"; }

step "installing dependencies (if missing)"
ops/install-deps.sh
step "building hubd and hubctl"
ops/build.sh hubd hubctl >/dev/null
BIN="$ROOT/${BUILD_DIR:-build}/bin"

WORK=${DEMO_DIR:-$(mktemp -d /tmp/gridhub-demo-XXXXXX)}
mkdir -p "$WORK"
step "working in $WORK"
ops/gen-certs.sh "$WORK/certs"
/usr/bin/python3 ops/gen-county.py --out "$WORK/county" --persons "${DEMO_PERSONS:-300}" \
  --seed "${DEMO_SEED:-7}" --xlsx

step "starting hubd (mutual TLS, loopback, any free port)"
rm -f "$WORK/hubd.port"
"$BIN/hubd" --data-dir "$WORK/data" --certs "$WORK/certs" --listen 127.0.0.1:0 \
  --port-file "$WORK/hubd.port" 2>"$WORK/hubd.log" &
HUBD_PID=$!
stop_hubd() {
  if kill -0 "$HUBD_PID" 2>/dev/null; then
    kill -TERM "$HUBD_PID"
    wait "$HUBD_PID" || true
  fi
}
trap stop_hubd EXIT
for _ in $(seq 1 300); do
  [ -s "$WORK/hubd.port" ] && break
  kill -0 "$HUBD_PID" 2>/dev/null || { cat "$WORK/hubd.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$WORK/hubd.port" ] || { echo "hubd did not start; log:" >&2; cat "$WORK/hubd.log" >&2; exit 1; }
export HUB_SERVER="127.0.0.1:$(cat "$WORK/hubd.port")" HUB_CERTS="$WORK/certs"
echo "hubd is at $HUB_SERVER (log: $WORK/hubd.log)"
"$BIN/hubctl" --user steward ping

step "what the civil-affairs file looks like to gridhub (hubctl inspect: offline)"
"$BIN/hubctl" inspect --rows 2 "$WORK/county/civil.csv"

# Columns are recognized from their headers; no --map or --record-id needed.
step "importing police household register (UTF-8)"
"$BIN/hubctl" --user steward import --source police "$WORK/county/police.csv"
step "importing civil-affairs benefit roll (GB18030)"
"$BIN/hubctl" --user steward import --source civil "$WORK/county/civil.csv"
step "importing grid members' visit workbook (XLSX)"
"$BIN/hubctl" --user steward import --source grid "$WORK/county/grid.xlsx"

step "re-importing the police file: every row unchanged"
"$BIN/hubctl" --user steward import --source police "$WORK/county/police.csv"

step "quarantine: rows and records kept out, with reasons"
"$BIN/hubctl" --user steward quarantine list | tail -n 8

# Pick a resident known to all three departments.
"$BIN/hubctl" --user steward export --purpose data_quality --json >"$WORK/residents.jsonl"
read -r RESIDENT ID_NUMBER < <(/usr/bin/python3 - "$WORK/residents.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if {x["source"] for x in r["records"]} >= {"police", "civil", "grid"} and "id_number" in r:
        print(r["entity_id"], r["id_number"])
        break
PY
)
[ -n "${RESIDENT:-}" ] || { echo "no resident found in all three sources" >&2; exit 1; }
echo "$(wc -l <"$WORK/residents.jsonl") residents; showing $RESIDENT"

step "as steward: why the records of $RESIDENT are one resident (hubctl explain)"
"$BIN/hubctl" --user steward explain "$RESIDENT" | head -n 40

step "as steward: pairs waiting for a decision (hubctl review list)"
"$BIN/hubctl" --user steward review list --limit 5

step "as officer (police), purpose investigation, case AJ-2026-0117, by ID number"
"$BIN/hubctl" --user officer get --purpose investigation --case AJ-2026-0117 "$ID_NUMBER"
step "as civil (civil affairs), purpose benefit_review, by resident id"
"$BIN/hubctl" --user civil get --purpose benefit_review "$RESIDENT"
step "as civil, purpose investigation: refused by policy"
"$BIN/hubctl" --user civil get --purpose investigation "$RESIDENT" || true

step "stopping hubd"
stop_hubd
trap - EXIT
echo "demo finished; files are in $WORK"
