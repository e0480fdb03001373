#!/usr/bin/env python3
"""Turn a FEBRL dataset into files gridhub imports, plus ground truth.

usage: ops/febrl-to-csv.py FEBRL_CSV [FEBRL_CSV...] --out DIR

For each input (e.g. ../shared/datasets/febrl/dataset3.csv, or dataset4a.csv
and dataset4b.csv for the two-file linkage) writes DIR/<stem>.csv with headers
gridhub recognizes, and DIR/truth.csv (source,record_id,person_id) for
ops/evaluate.py. The mapping (documented in the README):

  rec_id                         -> record id (编号); person = the N of rec-N-org / rec-N-dup-k
  given_name + surname           -> name (Latin letters: lower-cased, single spaces)
  date_of_birth (YYYYMMDD)       -> birth_date (invalid dates stay invalid)
  street_number address_1 address_2 suburb postcode state -> current_address
  soc_sec_id                     -> other_id (header 其他证件号码): a generic 7-digit identifier
                                    without a check character, NOT a GB 11643 ID number, so it never
                                    takes the id_number field (whose different valid values are a
                                    cannot-link); a soc_sec_id typo is weak evidence against a link
"""
import argparse
import csv
import os
import re
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="+", help="FEBRL CSV files")
    ap.add_argument("--out", required=True, help="output directory")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    truth_rows = []
    for path in args.inputs:
        source = os.path.splitext(os.path.basename(path))[0]
        out_path = os.path.join(args.out, source + ".csv")
        with open(path, encoding="utf-8", newline="") as f, \
                open(out_path, "w", encoding="utf-8", newline="") as out:
            reader = csv.DictReader(f, skipinitialspace=True)
            writer = csv.writer(out)
            writer.writerow(["编号", "姓名", "出生日期", "现住址", "其他证件号码"])
            n = 0
            for row in reader:
                rec_id = row["rec_id"].strip()
                m = re.match(r"rec-(\d+)-(org|dup-\d+)$", rec_id)
                if not m:
                    sys.exit(f"febrl-to-csv: {path}: unexpected rec_id {rec_id!r}")
                name = " ".join(p for p in (row["given_name"].strip(), row["surname"].strip()) if p)
                address = " ".join(row[k].strip() for k in (
                    "street_number", "address_1", "address_2", "suburb", "postcode", "state")
                    if row[k].strip())
                writer.writerow([rec_id, name, row["date_of_birth"].strip(), address,
                                 row["soc_sec_id"].strip()])
                truth_rows.append((source, rec_id, m.group(1)))
                n += 1
        print(f"febrl-to-csv: {path}: {n} records -> {out_path}", file=sys.stderr)
    with open(os.path.join(args.out, "truth.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "record_id", "person_id"])
        w.writerows(truth_rows)


if __name__ == "__main__":
    main()
