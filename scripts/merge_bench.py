"""Time `polarsdesc merge` on many parts: 1,000 parts of 1,000 rows by default.

    python3 scripts/merge_bench.py [--parts 1000] [--rows 1000] [--rounds 5] [--polarsdesc PATH]

Makes one real part (a file of ROWS numeric columns, described by
`run --shard 0/1`), copies it PARTS times as the parts of a PARTS-shard run
(each with its own shard and labels in its metadata and rows, with pyarrow),
then times `merge` (median of the rounds) and reports its peak memory. Needs
pyarrow.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import tempfile
import time

import pyarrow as pa
import pyarrow.parquet as pq


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--polarsdesc", default="target/release/polarsdesc")
    args = parser.parse_args()
    binary = os.path.abspath(args.polarsdesc)
    with tempfile.TemporaryDirectory() as work:
        os.makedirs(f"{work}/in")
        header = ",".join(f"c{i}" for i in range(args.rows))
        row = ",".join(str(i % 7) for i in range(args.rows))
        with open(f"{work}/in/x.csv", "w") as f:
            f.write(f"{header}\n{row}\n{row}\n")
        subprocess.run([binary, "-q", "run", f"{work}/in", "--shard", "0/1", "-o", f"{work}/one"], check=True)
        first = f"{work}/one/part-00000-of-00001.parquet"
        template = pq.read_table(first)
        meta = json.loads(pq.ParquetFile(first).metadata.metadata[b"polarsdesc"])
        os.makedirs(f"{work}/parts")
        for k in range(args.parts):
            table = template.set_column(0, "label", pa.array([f"label{k:06d}"] * template.num_rows, pa.large_string()))
            meta["shard"] = f"{k}/{args.parts}"
            schema_meta = {b"polarsdesc": json.dumps(meta).encode()}
            pq.write_table(table.replace_schema_metadata(schema_meta),
                           f"{work}/parts/part-{k:05d}-of-{args.parts:05d}.parquet")
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            subprocess.run([binary, "-q", "merge", f"{work}/parts", "-o", f"{work}/all.parquet"], check=True)
            times.append(time.perf_counter() - started)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows = pq.read_metadata(f"{work}/all.parquet").num_rows
        print(f"merge of {args.parts} parts x {args.rows} rows ({rows} rows): median {statistics.median(times):.3f} s "
              f"(min {min(times):.3f}, max {max(times):.3f}), peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
