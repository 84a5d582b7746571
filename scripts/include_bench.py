"""--include all against today's numeric-only run and pandas' describe(include="all"), side by side.

    python scripts/include_bench.py DATA_DIR POLARSDESC [--rounds N] [--jobs N]

Times, in alternating rounds (the VM is noisy), the whole process of:
  - polarsdesc run DATA (numbers only, today's run),
  - polarsdesc run DATA --include all,
  - the article's pandas Pool with describe(include="all") per file (run with
    the Python this script runs under, which needs pandas),
and prints each one's median and the ratios. No cache: every run reads every file.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

POOL = """
import glob, multiprocessing, os, sys
import pandas as pd
def describe(path):
    return pd.read_csv(path).describe(include="all")
if __name__ == "__main__":
    files = sorted(glob.glob(os.path.join(sys.argv[1], "*.csv")))
    with multiprocessing.Pool(int(sys.argv[2])) as pool:
        pool.map(describe, files)
"""


def timed(command):
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("polarsdesc")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        pool = os.path.join(work, "pool.py")
        with open(pool, "w") as script:
            script.write(POOL)
        out = os.path.join(work, "out.parquet")
        base = [args.polarsdesc, "-q", "run", args.data, "--no-cache", "-o", out, "-j", str(args.jobs)]
        commands = {
            "polarsdesc (numbers)": base,
            "polarsdesc --include all": base + ["--include", "all"],
            'pandas Pool describe(include="all")': [sys.executable, "-W", "ignore", pool, args.data, str(args.jobs)],
        }
        times = {name: [] for name in commands}
        for round_ in range(args.rounds):
            for name, command in commands.items():
                times[name].append(timed(command))
            print(f"round {round_ + 1}/{args.rounds}", file=sys.stderr)
    medians = {name: statistics.median(values) for name, values in times.items()}
    numbers = medians["polarsdesc (numbers)"]
    include_all = medians["polarsdesc --include all"]
    print(f"| command | median (s) | min-max (s) | vs numbers only | vs --include all |")
    print(f"|---|---|---|---|---|")
    for name, median in medians.items():
        low, high = min(times[name]), max(times[name])
        print(f"| {name} | {median:.3f} | {low:.3f}-{high:.3f} | {median / numbers:.2f}x | {median / include_all:.2f}x |")


if __name__ == "__main__":
    main()
