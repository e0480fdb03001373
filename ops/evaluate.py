#!/usr/bin/env python3
"""Pairwise precision, recall and F1 of gridhub's residents against ground truth.

usage: ops/evaluate.py --truth TRUTH.csv --residents RESIDENTS.jsonl [--json]

TRUTH.csv has columns source,record_id,person_id (ops/gen-county.py writes
truth.csv; FEBRL's truth comes from its rec_id). RESIDENTS.jsonl is the output
of `hubctl export --json` (one resident a line with "records": [{"source",
"record_id"}]). A pair of records is predicted linked when both are in one
resident, truly linked when they share a person_id. Records of the truth file
that are missing from the export (rejected or quarantined) count as singletons,
so they cost recall; records not in the truth file (e.g. deliberately
malformed rows) are ignored.
"""
import argparse
import collections
import csv
import json
import sys


def pairs(n):
    return n * (n - 1) // 2


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--truth", required=True, help="CSV with source,record_id,person_id")
    ap.add_argument("--residents", required=True, help="JSON Lines from hubctl export --json")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    truth = {}
    with open(args.truth, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            truth[(row["source"], row["record_id"])] = row["person_id"]

    predicted = {}
    with open(args.residents, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"evaluate: {args.residents}:{n}: not JSON: {e}")
            for rec in r["records"]:
                key = (rec["source"], rec["record_id"])
                if key in truth:
                    predicted[key] = r["entity_id"]

    missing = [k for k in truth if k not in predicted]
    for i, key in enumerate(missing):
        predicted[key] = f"missing-{i}"

    joint = collections.Counter((predicted[k], truth[k]) for k in truth)
    pred_sizes = collections.Counter(predicted[k] for k in truth)
    true_sizes = collections.Counter(truth.values())
    tp = sum(pairs(n) for n in joint.values())
    pp = sum(pairs(n) for n in pred_sizes.values())
    tpairs = sum(pairs(n) for n in true_sizes.values())
    precision = tp / pp if pp else 1.0
    recall = tp / tpairs if tpairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    result = {
        "records": len(truth), "missing_from_export": len(missing),
        "persons": len(true_sizes), "residents": len(pred_sizes),
        "true_pairs": tpairs, "predicted_pairs": pp, "correct_pairs": tp,
        "precision": round(precision, 5), "recall": round(recall, 5), "f1": round(f1, 5),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"records {result['records']} ({len(missing)} not in the export), "
              f"persons {result['persons']}, residents {result['residents']}")
        print(f"pairs: true {tpairs}, predicted {pp}, correct {tp}")
        print(f"precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}")


if __name__ == "__main__":
    main()
