"""pandas' own describe() of CSV files, as JSON lines: the oracle of the tests.

    python3 scripts/pandas_describe.py [--percentiles 0.1,0.9] [--sep ';'] FILE...

For each file, one line: {"path", "ok": true, "columns": [...], "stats": {column: {stat: repr}}}
with the numeric columns pandas describes, in its order, or {"path", "ok": false,
"error": "<exception type>: <message>"} when `pd.read_csv(path)` fails. A file with
no numeric column gives "columns": [] (pandas describes its text columns
then, as polarsdesc does: scripts/include_differential.py judges those). Floats are Python reprs, so they read back exactly
("nan", "inf"). The tests run this with the pinned test environment
(scripts/test_env.py); polarsdesc's numbers must equal these.
"""
import argparse
import json
import sys
import warnings

import pandas as pd


def describe(path, percentiles, sep):
    # pandas warns of mixed types, overflow and NaN arithmetic; the numbers are the answer.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            frame = pd.read_csv(path, sep=sep)
        except Exception as error:  # noqa: BLE001 - every failure is an answer here
            return {"path": path, "ok": False, "error": f"{type(error).__name__}: {error}"}
        numeric = frame.select_dtypes(include="number")
        if numeric.columns.empty:
            return {"path": path, "ok": True, "columns": [], "stats": {}}
        table = numeric.describe(percentiles=percentiles)
    columns = [str(c) for c in table.columns]
    stats = {
        str(column): {str(stat): repr(float(table.loc[stat, column])) for stat in table.index}
        for column in table.columns
    }
    return {"path": path, "ok": True, "columns": columns, "stats": stats}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--percentiles")
    parser.add_argument("--sep", default=",")
    parser.add_argument("files", nargs="*")
    parser.add_argument("--files-from", help="a file listing one path per line")
    args = parser.parse_args()
    percentiles = [float(p) for p in args.percentiles.split(",")] if args.percentiles else None
    files = list(args.files)
    if args.files_from:
        with open(args.files_from, encoding="utf-8", errors="surrogateescape") as listing:
            files += [line.rstrip("\n") for line in listing if line.strip()]
    for path in files:
        print(json.dumps(describe(path, percentiles, args.sep)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
