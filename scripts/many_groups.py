"""A table of many small groups, the hardest shape for --by: ROWS rows whose key is one of KEYS random names.

    python scripts/many_groups.py OUT.csv ROWS KEYS [--seed N]

Writes `key,a,b` (key `k<n>`, `a` a float with six decimals, `b` an
integer): about KEYS * (1 - e^(-ROWS/KEYS)) distinct groups, most of one to
three rows. Time it with scripts/by_bench.py OUT.csv key ...
"""

import argparse
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("rows", type=int)
    parser.add_argument("keys", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    draw = random.Random(args.seed)
    with open(args.out, "w") as out:
        out.write("key,a,b\n")
        for _ in range(args.rows):
            out.write(f"k{draw.randrange(args.keys)},{draw.uniform(0, 100):.6f},{draw.randrange(1000)}\n")


if __name__ == "__main__":
    main()
