"""A folder of NDJSON files described: polarsdesc against the tools a user would pick instead, side by side.

    python scripts/ndjson_bench.py CSV_FOLDER NDJSON_FOLDER POLARSDESC [--rounds N] [--jobs N]

Writes NDJSON_FOLDER from the article's CSV_FOLDER first if it is missing:
one <label>.ndjson per <label>.csv, a line {"day": "2010-01-01", "data":
0.43} per row (the column is not named like a date, so that pandas does
not spend time on dates polarsdesc leaves out). Then times, in alternating
rounds, the whole process of each command and its peak memory (as
by_bench.py):
  - polarsdesc run NDJSON_FOLDER;
  - pandas: the article's loop, read_json(lines=True).describe() per file
    on a multiprocessing.Pool of --jobs processes;
  - Python Polars: read_ndjson per file, then count, mean, std, min, the
    quartiles (linear) and max of every numeric column;
  - DuckDB: the same statistics with quantile_cont over read_json of the
    folder, GROUP BY filename.
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from by_bench import report  # noqa: E402

PEERS = {
    "pandas read_json().describe() on a Pool": """
import sys, glob, multiprocessing, warnings
import pandas as pd
def describe(path):
    warnings.simplefilter("ignore")
    return pd.read_json(path, lines=True).describe()
if __name__ == "__main__":
    files = sorted(glob.glob(sys.argv[1] + "/*.ndjson"))
    with multiprocessing.Pool(int(sys.argv[2])) as pool:
        pool.map(describe, files)
""",
    "Python Polars read_ndjson() per file": """
import sys, glob, polars as pl
for path in sorted(glob.glob(sys.argv[1] + "/*.ndjson")):
    frame = pl.read_ndjson(path)
    stats = []
    for name, dtype in frame.schema.items():
        if dtype.is_numeric():
            c = pl.col(name)
            stats += [c.count(), c.mean(), c.std(), c.min()]
            stats += [c.quantile(q, "linear").alias(f"{name} {q}") for q in (0.25, 0.5, 0.75)]
            stats += [c.max()]
    frame.select([s.alias(f"s{i}") for i, s in enumerate(stats)])
""",
    "DuckDB read_json() GROUP BY filename": """
import sys, duckdb
duckdb.sql(f\"\"\"SELECT filename, count(data), avg(data), stddev_samp(data), min(data),
    quantile_cont(data, 0.25), quantile_cont(data, 0.5), quantile_cont(data, 0.75), max(data)
    FROM read_json('{sys.argv[1]}/*.ndjson', format='newline_delimited', filename=true)
    GROUP BY filename\"\"\").fetchall()
""",
}


def make(csv_folder, folder):
    folder.mkdir(parents=True)
    for path in sorted(csv_folder.glob("*.csv")):
        lines = []
        for row in path.read_text().splitlines()[1:]:
            day, data = row.split(",")
            lines.append(json.dumps({"day": day, "data": float(data)}))
        (folder / (path.stem + ".ndjson")).write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("csv_folder", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("polarsdesc")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    if not args.folder.exists():
        make(args.csv_folder, args.folder)
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "out.parquet")
        ours = "polarsdesc run"
        commands = {
            ours: [args.polarsdesc, "-q", "run", str(args.folder), "--no-cache", "-o", out,
                   "-j", str(args.jobs)],
        }
        for name, source in PEERS.items():
            script = os.path.join(work, f"peer{len(commands)}.py")
            with open(script, "w") as file:
                file.write(source)
            commands[name] = [sys.executable, "-W", "ignore", script, str(args.folder), str(args.jobs)]
        report(commands, args.rounds, ours)

if __name__ == "__main__":
    main()
