"""One long table described per key: polarsdesc --by against the tools a user would pick instead, side by side.

    python scripts/by_bench.py TABLE KEY POLARSDESC [--rounds N] [--jobs N] [--without PEER]

TABLE is a .csv or .parquet file with the key column KEY. Times, in
alternating rounds (the VM is noisy), the whole process of each command,
and its peak memory (the largest resident set of the process and its
children, from wait4):
  - polarsdesc run TABLE --by KEY;
  - Python Polars: read, group_by(KEY).agg(count, mean, std, min, the
    quartiles with the linear method, max) on every numeric column;
  - DuckDB: the same with GROUP BY and quantile_cont;
  - pandas: read, groupby(KEY).describe().
The Python tools run under the Python that runs this script (which needs
polars, duckdb and pandas). Prints each one's median, range, peak memory,
and its time over polarsdesc's.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

PEERS = {
    "Python Polars group_by().agg()": """
import sys, polars as pl
path, key = sys.argv[1], sys.argv[2]
frame = pl.read_parquet(path) if path.endswith(".parquet") else pl.read_csv(path)
numeric = [name for name, dtype in frame.schema.items() if dtype.is_numeric() and name != key]
stats = []
for name in numeric:
    c = pl.col(name)
    stats += [c.count().alias(name + " count"), c.mean().alias(name + " mean"), c.std().alias(name + " std"),
              c.min().alias(name + " min")]
    stats += [c.quantile(q, "linear").alias(f"{name} {q}") for q in (0.25, 0.5, 0.75)]
    stats += [c.max().alias(name + " max")]
frame.group_by(key).agg(stats).sort(key)
""",
    "DuckDB GROUP BY": """
import sys, duckdb
path, key = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute(f"SET threads TO {sys.argv[3]}")
source = f"read_parquet('{path}')" if path.endswith(".parquet") else f"read_csv('{path}')"
columns = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
numeric = [name for name, dtype, *_ in columns if name != key and dtype in ("DOUBLE", "BIGINT", "INTEGER", "FLOAT")]
stats = []
for name in numeric:
    c = f'"{name}"'
    stats += [f"count({c})", f"avg({c})", f"stddev_samp({c})", f"min({c})"]
    stats += [f"quantile_cont({c}, {q})" for q in (0.25, 0.5, 0.75)]
    stats += [f"max({c})"]
con.execute(f'SELECT "{key}", {", ".join(stats)} FROM {source} GROUP BY "{key}" ORDER BY "{key}"').fetchall()
""",
    "pandas groupby().describe()": """
import sys, pandas as pd
path, key = sys.argv[1], sys.argv[2]
frame = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path)
frame.groupby(key).describe()
""",
}


def timed(command):
    """Wall time and peak resident memory (bytes) of `command`."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{command} failed ({status})")
    return elapsed, usage.ru_maxrss * 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("table")
    parser.add_argument("key")
    parser.add_argument("polarsdesc")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--without", action="append", default=[], metavar="PEER",
                        help="leave out the peers whose name starts with PEER (pandas takes minutes on "
                             "millions of groups)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "out.parquet")
        commands = {
            "polarsdesc --by": [args.polarsdesc, "-q", "run", args.table, "--by", args.key,
                                "--no-cache", "-o", out, "-j", str(args.jobs)],
        }
        for name, source in PEERS.items():
            if any(name.startswith(peer) for peer in args.without):
                continue
            script = os.path.join(work, f"peer{len(commands)}.py")
            with open(script, "w") as file:
                file.write(source)
            commands[name] = [sys.executable, "-W", "ignore", script, args.table, args.key, str(args.jobs)]
        report(commands, args.rounds, "polarsdesc --by")


def report(commands, rounds, ours):
    """Runs `commands` in alternating `rounds` and prints each one's median,
    range, peak memory and its time over the command named `ours`."""
    times = {name: [] for name in commands}
    memory = {name: 0 for name in commands}
    for round_ in range(rounds):
        for name, command in commands.items():
            elapsed, peak = timed(command)
            times[name].append(elapsed)
            memory[name] = max(memory[name], peak)
        print(f"round {round_ + 1}/{rounds}", file=sys.stderr)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print("| command | median (s) | min-max (s) | peak memory | vs polarsdesc |")
    print("|---|---|---|---|---|")
    for name, median in medians.items():
        low, high = min(times[name]), max(times[name])
        print(f"| {name} | {median:.3f} | {low:.3f}-{high:.3f} | {memory[name] / 2**20:,.0f} MiB "
              f"| {median / medians[ours]:.2f}x |")


if __name__ == "__main__":
    main()
