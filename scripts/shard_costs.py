"""What sharding costs and how balanced it is, on a folder of CSV files.

    python3 scripts/shard_costs.py DATA --shards 4,16 [--rounds 5] [--polarsdesc PATH]

For each N: runs `polarsdesc run DATA --shard K/N` for every K, one after the
other (cache off), and compares the total with one `run` of the whole folder
(median of the rounds, alternating); then reads the parts and says how the
files and their bytes are spread over the shards (the largest shard over the
mean). Needs pyarrow.
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

import pyarrow.parquet as pq


def timed(command):
    started = time.perf_counter()
    subprocess.run(command, check=False, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--shards", default="4,16")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--polarsdesc", default="target/release/polarsdesc")
    args = parser.parse_args()
    binary = os.path.abspath(args.polarsdesc)
    with tempfile.TemporaryDirectory() as work:
        single = [binary, "-q", "run", args.data, "--no-cache", "-o", f"{work}/single.parquet"]
        for count in [int(n) for n in args.shards.split(",")]:
            parts = f"{work}/parts{count}"
            shards = [[binary, "-q", "run", args.data, "--no-cache", "--shard", f"{k}/{count}", "-o", parts]
                      for k in range(count)]
            timed(single)
            one, all_shards = [], []
            for _ in range(args.rounds):
                one.append(timed(single))
                all_shards.append(sum(timed(shard) for shard in shards))
            files, sizes = [], []
            for k in range(count):
                table = pq.read_table(f"{parts}/part-{k:05d}-of-{count:05d}.parquet")
                paths = set(table.column("path").to_pylist())
                files.append(len(paths))
                sizes.append(sum(os.path.getsize(p) for p in paths))
            print(f"N={count}: one run {statistics.median(one)*1000:.0f} ms, "
                  f"{count} shards one after another {statistics.median(all_shards)*1000:.0f} ms "
                  f"({statistics.median(all_shards)/statistics.median(one):.3f}x); "
                  f"files per shard {min(files)}-{max(files)} (largest/mean {max(files)/statistics.mean(files):.2f}), "
                  f"bytes largest/mean {max(sizes)/statistics.mean(sizes):.2f}")


if __name__ == "__main__":
    main()
