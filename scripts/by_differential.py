"""pandas' df.groupby(keys).describe() against polarsdesc's --by, file for file.

    by_differential.py make DIR SEED COUNT [--large]
        writes COUNT random long tables into DIR, each with the key columns
        k1 and k2 (of a random kind per file: text, text that looks numeric,
        integers written several ways, integers with missing values (float
        keys), floats, booleans in every spelling, integers above int64),
        missing keys, one-row groups, few and many groups, and value
        columns: floats with missing values, int64, an empty column, text.
        With --large, one more file past polarsdesc's 8 MiB block, read on
        every core, with thousands of groups.
    by_differential.py make-parquet DIR SEED COUNT
        writes COUNT random Parquet files (every third one Arrow IPC,
        .feather) into DIR (pyarrow): key columns k1
        and k2 (strings with nulls, int32, int64 with and without nulls,
        booleans with nulls, floats with NaN) and value columns of every type
        pandas distinguishes that polarsdesc describes (float64 with nulls
        and NaN, int64, int8/16/32 with differences past their width, uint8
        to uint64, int64 with nulls) or leaves out as pandas does (bool, string, date,
        decimal, dictionary, list).
    by_differential.py compare DIR RESULT.parquet KEYS
        runs pandas.read_csv(f).groupby(KEYS).describe() on every file of
        DIR and compares it with polarsdesc's table: the groups, their
        order, the key values (as Python writes them), the columns, count,
        and the numbers at 1e-12. Prints each difference and exits 1 if
        there is one.

KEYS are column names separated by commas (k1, or k1,k2), or - for
pandas' describe() of each whole file. .parquet files are read with
pandas.read_parquet, the others with pandas.read_csv.
"""

import math
import random
import sys
import warnings
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

warnings.simplefilter("ignore")

NA = ["", "NA", "nan", "NaN", "null", "None", "n/a", "#N/A"]


def key_values(kind, rows, groups):
    """A key column of `rows` fields of one kind, about `groups` distinct keys."""
    missing = random.random() < 0.5

    def maybe_missing(value):
        return random.choice(NA) if missing and random.random() < 0.1 else value

    if kind == "text":
        names = [f"t{random.randrange(10 ** 6)}" for _ in range(groups)] + ["é", "B", "b", " b"]
        return [maybe_missing(random.choice(names)) for _ in range(rows)]
    if kind == "numeric_text":
        # Looks numeric, but one field is text: pandas keeps every field as written.
        values = [maybe_missing(random.choice(["01", "1", "001", "+1", "2", "10"])) for _ in range(rows)]
        values[random.randrange(rows)] = "x"
        return values
    if kind == "int":
        spellings = lambda n: random.choice([str(n), f"0{n}" if n >= 0 else str(n), f"+{n}" if n >= 0 else str(n)])
        values = [random.randrange(-groups, groups) for _ in range(rows)]
        return [maybe_missing(spellings(v)) for v in values]
    if kind == "float":
        values = [random.choice([0.5, 1.25, 1e16, -3.0, 2.0, 1e-7]) * random.randrange(1, groups + 1) for _ in range(rows)]
        return [maybe_missing(random.choice([repr(v), f"{v:.17g}"])) for v in values]
    if kind == "bool":
        return [maybe_missing(random.choice(["True", "TRUE", "true", "False", "false", "FALSE"])) for _ in range(rows)]
    if kind == "uint":
        base = 2 ** 63
        # No missing value: with one, pandas keeps Python integers (object).
        return [str(base + random.randrange(groups)) if i else str(base + 1) for i in range(rows)]
    raise ValueError(kind)


KEY_KINDS = ["text", "numeric_text", "int", "float", "bool", "uint"]


def value_columns(rows):
    columns = {}
    columns["x"] = [random.choice(["", "NA"]) if random.random() < 0.1 else repr(random.gauss(0, 10)) for _ in range(rows)]
    columns["n"] = [str(random.randrange(-(2 ** 40), 2 ** 40)) for _ in range(rows)]
    if random.random() < 0.5:
        columns["small"] = [str(random.randrange(-3, 4)) for _ in range(rows)]
    if random.random() < 0.3:
        columns["empty"] = [""] * rows
    if random.random() < 0.3:
        columns["word"] = [random.choice(["a", "b"]) for _ in range(rows)]
    return columns


def write_file(path, rows, groups):
    columns = {"k1": key_values(random.choice(KEY_KINDS), rows, groups)}
    columns.update(value_columns(rows))
    columns["k2"] = key_values(random.choice(KEY_KINDS), rows, max(1, groups // 3))
    names = list(columns)
    if random.random() < 0.5:
        random.shuffle(names)
    lines = [",".join(names)]
    for row in range(rows):
        lines.append(",".join(columns[name][row] for name in names))
    path.write_text("\n".join(lines) + "\n")


def make(folder, seed, count, large):
    random.seed(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        rows = random.choice([1, 2, 3, 5, 17, 200, 2000])
        groups = random.choice([1, 2, 5, 50, 1000])
        write_file(folder / f"f{index:03}.csv", rows, groups)
    if large:
        lines = ["k1,x,n,k2"]
        for row in range(500_000):
            k1 = f"g{random.randrange(3000)}" if row % 11 else random.choice(NA[:2])
            x = repr(random.gauss(5, 2)) if row % 13 else ""
            lines.append(f"{k1},{x},{random.randrange(10 ** 9)},{row % 7}")
        (folder / "large.csv").write_text("\n".join(lines) + "\n")


def make_parquet(folder, seed, count):
    import datetime
    import decimal

    import pyarrow as pa
    import pyarrow.feather  # noqa: F401 (pa.feather)
    import pyarrow.parquet as pq

    random.seed(seed)
    folder.mkdir(parents=True, exist_ok=True)

    def maybe(values, nulls):
        return [None if nulls and random.random() < 0.1 else v for v in values]

    def key(kind, rows, groups):
        nulls = random.random() < 0.5
        if kind == "str":
            return pa.array(maybe([random.choice(["a", "b", "", "01", "é"][: groups + 1]) for _ in range(rows)], nulls))
        if kind == "int32":
            return pa.array([random.randrange(-groups, groups + 1) for _ in range(rows)], pa.int32())
        if kind == "int8":
            return pa.array([random.randrange(-groups, groups + 1) for _ in range(rows)], pa.int8())
        if kind == "int64":
            return pa.array(maybe([random.randrange(groups + 1) for _ in range(rows)], nulls), pa.int64())
        if kind == "bool":
            return pa.array(maybe([random.random() < 0.5 for _ in range(rows)], nulls))
        if kind == "float":
            return pa.array([random.choice([0.5, 2.0, float("nan"), -1.25]) for _ in range(rows)])
        raise ValueError(kind)

    for index in range(count):
        rows = random.choice([1, 2, 3, 7, 50, 3000])
        groups = random.choice([1, 2, 4])
        columns = {
            "k1": key(random.choice(["str", "int32", "int8", "int64", "bool", "float"]), rows, groups),
            "f": pa.array(maybe([random.choice([random.gauss(0, 1e3), float("nan")]) for _ in range(rows)], True)),
            "i64": pa.array([random.randrange(-(2 ** 62), 2 ** 62) for _ in range(rows)], pa.int64()),
            "i32": pa.array([random.choice([-(2 ** 31), 2 ** 31 - 1, 7]) for _ in range(rows)], pa.int32()),
            "i8": pa.array([random.choice([-128, 127, -100, 100, 3]) for _ in range(rows)], pa.int8()),
            "i16": pa.array([random.choice([-(2 ** 15), 2 ** 15 - 1, 9]) for _ in range(rows)], pa.int16()),
            "u8": pa.array([random.randrange(256) for _ in range(rows)], pa.uint8()),
            "u16": pa.array([random.randrange(2 ** 16) for _ in range(rows)], pa.uint16()),
            "u32": pa.array([random.randrange(2 ** 32) for _ in range(rows)], pa.uint32()),
            "u64": pa.array([random.randrange(2 ** 64) for _ in range(rows)], pa.uint64()),
            "i_null": pa.array(maybe([random.randrange(100) for _ in range(rows)], True), pa.int64()),
            "flag": pa.array([random.random() < 0.5 for _ in range(rows)]),
            "name": pa.array([random.choice(["x", "y"]) for _ in range(rows)]),
            "day": pa.array([datetime.date(2024, 1, 1 + i % 28) for i in range(rows)]),
            "money": pa.array([decimal.Decimal("1.25")] * rows),
            "cat": pa.array([random.choice(["p", "q"]) for _ in range(rows)]).dictionary_encode(),
            "items": pa.array([[1, 2]] * rows),
            "k2": key(random.choice(["str", "int32", "int8", "int64", "bool", "float"]), rows, groups),
        }
        table = pa.table(columns)
        if index % 3 == 2:
            # Arrow IPC (Feather v2), as pandas' read_feather reads it.
            pa.feather.write_feather(table.drop_columns(["items"]), folder / f"p{index:03}.feather")
        else:
            pq.write_table(table, folder / f"p{index:03}.parquet")


def same_number(ours, theirs):
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    if ours is None:
        return False
    return ours == theirs or abs(ours - theirs) <= 1e-12 * max(abs(theirs), 1e-300)


def pandas_rows(frame, keys):
    """pandas' groups, in order: (key strings, column, stats) per group and column."""
    if keys == ["-"]:
        described = frame.describe()
        return [([], column, described[column]) for column in described.columns]
    if frame[keys].dropna().empty:
        return []  # no group (pandas' describe of no groups is not a frame)
    described = frame.groupby(keys).describe()
    rows = []
    columns = list(dict.fromkeys(described.columns.get_level_values(0)))
    for index, group in described.iterrows():
        values = index if isinstance(index, tuple) else (index,)
        for column in columns:
            rows.append(([str(v) for v in values], column, group[column]))
    return rows


def compare(folder, result, keys):
    keys = keys.split(",")
    table = pq.read_table(result).to_pylist()
    ours = {}
    for row in table:
        ours.setdefault(Path(row["path"]).name, []).append(row)
    differences = []
    files = sorted(folder.glob("*.csv*")) + sorted(folder.glob("*.parquet")) + sorted(folder.glob("*.feather"))
    for file in files:
        try:
            readers = {".parquet": pd.read_parquet, ".feather": pd.read_feather}
            frame = readers.get(file.suffix, pd.read_csv)(file)
        except Exception:  # pandas cannot read it: polarsdesc fails it too (no rows)
            frame = None
        theirs = [] if frame is None else pandas_rows(frame, keys)
        mine = ours.get(file.name, [])
        shape = lambda rows: [(k, c) for k, c, _ in rows]
        my_shape = [([str(row[k]) for k in keys if k != "-"], row["column"]) for row in mine]
        if shape(theirs) != my_shape:
            differences.append(
                f"{file.name}: pandas has the groups and columns {shape(theirs)[:6]}... "
                f"({len(theirs)}), polarsdesc {my_shape[:6]}... ({len(mine)})"
            )
            continue
        for (group, column, stats), row in zip(theirs, mine):
            for stat, value in stats.items():
                expected = None if pd.isna(value) else float(value)
                got = row.get(stat)
                ok = got == expected if stat == "count" else same_number(got, expected)
                if not ok:
                    differences.append(
                        f"{file.name} {group} {column!r} {stat}: pandas {expected!r}, polarsdesc {got!r}"
                    )
    for difference in differences[:50]:
        print(difference)
    print(f"{len(files)} files compared, {len(differences)} differences", file=sys.stderr)
    return 1 if differences else 0


def main(argv):
    if argv[0] == "make":
        make(Path(argv[1]), int(argv[2]), int(argv[3]), "--large" in argv)
        return 0
    if argv[0] == "make-parquet":
        make_parquet(Path(argv[1]), int(argv[2]), int(argv[3]))
        return 0
    if argv[0] == "compare":
        return compare(Path(argv[1]), argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
