#!/usr/bin/env python3
"""The Python package against the CLI on the same folder, side by side: what calling the engine from Python costs.

Alternates, in every round: the CLI (`polarsdesc run FOLDER --no-cache -o
T.parquet`, a process of its own), `polarsdesc.describe(FOLDER)` in this
process (pandas table), the same with `as_polars=True`, the extension call
alone (`_polarsdesc.describe_table`, the table as Python lists), and the
article's loop, `pd.read_csv(f).describe()` per file in this process. Prints
medians and the ratio to the CLI.

    python scripts/python_overhead.py --binary target/release/polarsdesc --folder DATA --rounds 9

Needs the package installed (`pip install ./python`) with pandas (and
Polars for its row).
"""

import argparse
import pathlib
import statistics
import subprocess
import tempfile
import time

import pandas as pd

import polarsdesc
from polarsdesc import _polarsdesc


def timed(action):
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--folder", required=True)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    folder = args.folder
    files = sorted(pathlib.Path(folder).glob("*.csv"))
    try:
        import polars  # noqa: F401

        has_polars = True
    except ImportError:
        has_polars = False
    with tempfile.TemporaryDirectory() as out:
        cli = [args.binary, "-q", "run", folder, "-o", f"{out}/t.parquet", "--no-cache"]
        variants = {
            "CLI (process, Parquet written)": lambda: subprocess.run(cli, check=True),
            "describe() -> pandas": lambda: polarsdesc.describe(folder),
            "extension call alone (lists)": lambda: _polarsdesc.describe_table([folder]),
            "pandas loop (the article)": lambda: {f.stem: pd.read_csv(f).describe() for f in files},
        }
        if has_polars:
            variants["describe(as_polars=True)"] = lambda: polarsdesc.describe(folder, as_polars=True)
        times = {name: [] for name in variants}
        for action in variants.values():  # warm-up
            action()
        for _ in range(args.rounds):
            for name, action in variants.items():
                times[name].append(timed(action))
    base = statistics.median(times["CLI (process, Parquet written)"])
    print(f"{len(files)} files, {args.rounds} rounds, median")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<32} {median:8.3f} s  {median / base:6.2f}x")


if __name__ == "__main__":
    main()
