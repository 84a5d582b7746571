"""One big CSV file: polarsdesc against Python Polars, DuckDB and pandas, side by side, wall time and peak memory.

    scripts/bigfile.sh [--rounds 3] [--sizes 1,4]      # builds polarsdesc, makes a venv, runs this

    python scripts/bigfile.py --data DIR --polarsdesc BIN [--rounds 3] [--sizes 1,4] [--skip pandas@4]

The files are made here from a fixed seed, never committed: `big1.csv`, 12
million rows (744 MB: a `YYYY-MM-DD HH:MM` time stamp, two float columns as
pandas writes them, an int64 column), and `big4.csv`, the same rows four
times (3 GB). Each round runs every command once, in turn (alternating, so a
noisy neighbour hits them all alike); each command is a whole process, timed
from outside (wall time; peak resident memory from `wait4`). The table gives
medians, and each time as a multiple of polarsdesc's (`-j 2`).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

COLUMNS = ["price", "volume", "trades"]

PEER = r'''
import sys
path, tool = sys.argv[1], sys.argv[2]
cols = ["price", "volume", "trades"]
if tool == "polars":
    import polars as pl
    out = pl.scan_csv(path).select([e for c in cols for e in (
        pl.col(c).count().alias(c + " count"), pl.col(c).mean().alias(c + " mean"),
        pl.col(c).std().alias(c + " std"), pl.col(c).min().alias(c + " min"),
        pl.col(c).quantile(0.25, "linear").alias(c + " 25%"),
        pl.col(c).quantile(0.5, "linear").alias(c + " 50%"),
        pl.col(c).quantile(0.75, "linear").alias(c + " 75%"), pl.col(c).max().alias(c + " max"))]
    ).collect()
elif tool == "duckdb":
    import duckdb
    sel = ", ".join(f"count({c}), avg({c}), stddev_samp({c}), min({c}), quantile_cont({c}, 0.25), "
                    f"quantile_cont({c}, 0.5), quantile_cont({c}, 0.75), max({c})" for c in cols)
    out = duckdb.sql(f"select {sel} from read_csv('{path}')").fetchall()
elif tool == "pandas":
    import pandas as pd
    out = pd.read_csv(path).describe()
'''


def make_data(folder, sizes):
    """big1.csv from the seed, and bigN.csv as N copies of its rows."""
    one = os.path.join(folder, "big1.csv")
    if not os.path.exists(one):
        import numpy as np
        import pandas as pd
        rng = np.random.default_rng(7)
        start = pd.Timestamp("2020-01-01")
        rows, chunk = 12_000_000, 1_000_000
        with open(one + ".tmp", "w") as out:
            for i in range(0, rows, chunk):
                stamps = (start + pd.to_timedelta(np.arange(i, i + chunk), unit="min"))
                frame = pd.DataFrame({
                    "time": stamps.strftime("%Y-%m-%d %H:%M"),
                    "price": rng.normal(100, 15, chunk),
                    "volume": rng.random(chunk) * 1000,
                    "trades": rng.integers(0, 1_000_000, chunk),
                })
                frame.to_csv(out, index=False, header=i == 0)
        os.replace(one + ".tmp", one)
    for size in sizes:
        path = os.path.join(folder, f"big{size}.csv")
        if size == 1 or os.path.exists(path):
            continue
        with open(path + ".tmp", "wb") as out, open(one, "rb") as source:
            for copy in range(size):
                source.seek(0)
                if copy:
                    source.readline()
                while block := source.read(1 << 24):
                    out.write(block)
        os.replace(path + ".tmp", path)


def timed(command):
    """Wall seconds and peak resident bytes of one whole process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if status != 0:
        sys.exit(f"{' '.join(command)} failed: {stderr}")
    return wall, usage.ru_maxrss * 1024


def main():
    if sys.argv[1:2] == ["--make-data"]:
        make_data(sys.argv[2], [int(s) for s in sys.argv[4].split(",")])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--polarsdesc", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="1,4")
    parser.add_argument("--skip", default="", help="tool@size pairs to leave out, e.g. pandas@4")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    skip = set(filter(None, args.skip.split(",")))
    os.makedirs(args.data, exist_ok=True)
    # In a child process: the peak memory of a command (`ru_maxrss`) counts
    # the pages of the process it was forked from, and making the data takes
    # hundreds of MB.
    subprocess.run([sys.executable, __file__, "--make-data", args.data, "--sizes", args.sizes],
                   check=True)
    out = os.path.join(args.data, "out.csv")
    for size in sizes:
        path = os.path.join(args.data, f"big{size}.csv")
        tools = [
            ("polarsdesc", "polarsdesc run (-j 2)",
             [args.polarsdesc, "-q", "run", path, "-o", out, "--no-cache", "-j", "2"]),
            ("polarsdesc-j1", "polarsdesc run -j 1",
             [args.polarsdesc, "-q", "run", path, "-o", out, "--no-cache", "-j", "1"]),
            ("polars", "Python Polars scan_csv + aggregations", [sys.executable, "-c", PEER, path, "polars"]),
            ("duckdb", "DuckDB read_csv + quantile_cont", [sys.executable, "-c", PEER, path, "duckdb"]),
            ("pandas", "pandas read_csv().describe()", [sys.executable, "-c", PEER, path, "pandas"]),
        ]
        commands = {label: command for tool, label, command in tools if f"{tool}@{size}" not in skip}
        for command in commands.values():
            timed(command)  # warm the page cache and the imports
        times = {name: [] for name in commands}
        peaks = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, command in commands.items():
                wall, peak = timed(command)
                times[name].append(wall)
                peaks[name].append(peak)
        size_mb = os.path.getsize(path) / 1e6
        base = statistics.median(times["polarsdesc run (-j 2)"])
        print(f"\nbig{size}.csv: {size_mb:,.0f} MB, median of {args.rounds} alternating rounds\n")
        print("| tool | median | min | max | peak memory | time / polarsdesc |")
        print("|---|---|---|---|---|---|")
        for name in commands:
            t = times[name]
            print(f"| {name} | {statistics.median(t):.2f} s | {min(t):.2f} s | {max(t):.2f} s | "
                  f"{max(peaks[name]) / 2**20:,.0f} MiB | {statistics.median(t) / base:.2f} |")


if __name__ == "__main__":
    main()
