"""Large CSV files whose percentiles are hard to get exactly: for the differential tests of the bounded-memory reader.

    python scripts/hard_percentiles.py DIR [--rows 560000] [--seed 1]

Each file is larger than one block (8 MiB), so polarsdesc reads it block by
block, and its percentiles land where a histogram-based selection can go
wrong: many ties, sorted and reverse-sorted values, one value only, NaN and
infinities (read by pandas' rules), integers past 2^53 and past 2^62, values
at the edges of the key buckets (powers of two and their float neighbours,
-0.0 and 0.0), and a column of timestamps beside the numbers. Written with
the standard library only, from the seed, the same bytes every time.
"""
import argparse
import math
import os
import random


def write(path, header, rows):
    with open(path, "w", newline="") as out:
        out.write(",".join(header) + "\n")
        for row in rows:
            out.write(",".join(row) + "\n")


def files(rows, rng):
    n = rows
    yield "ties.csv", ["a", "b"], (
        (repr(rng.choice([0.5, 1.5, 2.5, 3.0])), str(rng.randint(0, 3))) for _ in range(3 * n)
    )
    yield "sorted.csv", ["up", "down"], (
        (repr(i * 0.37 + 1e-3), repr((n - i) * -1.25)) for i in range(n)
    )
    yield "equal.csv", ["same", "also"], (("42.125", "-7") for _ in range(2 * n))
    edges = [1.0, math.nextafter(1.0, 0), math.nextafter(1.0, 2), 2.0, math.nextafter(2.0, 0),
             0.0, -0.0, -1.0, math.nextafter(-1.0, 0), 65536.0, math.nextafter(65536.0, 0),
             5e-324, -5e-324, 1.7976931348623157e308]
    yield "edges.csv", ["edge", "mostly_one"], (
        (repr(rng.choice(edges)), repr(1.0 if rng.random() < 0.9 else rng.choice(edges)))
        for _ in range(n)
    )
    specials = ["nan", "NaN", "", "NA", "inf", "-inf", "Infinity"]
    yield "special.csv", ["x", "y"], (
        (rng.choice(specials) if rng.random() < 0.05 else repr(rng.gauss(0, 1e6)),
         repr(rng.uniform(-1, 1)))
        for _ in range(n)
    )
    yield "wide_ints.csv", ["past53", "past62"], (
        (str(2**53 + rng.randint(-1000, 1000) * 3), str(2**62 + rng.randint(0, 2**40)))
        for _ in range(n)
    )
    yield "stamped.csv", ["time", "price", "count"], (
        (f"2024-01-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}", repr(round(rng.gauss(100, 15), 4)),
         str(rng.randint(-5, 5)))
        for i in range(n)
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--rows", type=int, default=560_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    rng = random.Random(args.seed)
    for name, header, rows in files(args.rows, rng):
        write(os.path.join(args.dir, name), header, rows)


if __name__ == "__main__":
    main()
