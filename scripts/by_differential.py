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
        to uint64, int64 with nulls, float32 with and without missing
        values) or leaves out as pandas does (bool, string, date, decimal,
        dictionary, list).
    by_differential.py make-ndjson DIR SEED COUNT
        writes COUNT random NDJSON files (some .jsonl, some gzipped) into
        DIR: key columns k1 and k2 (text, text that looks numeric, integers,
        integers with missing values, floats, booleans) and value columns of
        every kind pandas' read_json types apart: floats written with many
        digits and exponents (ujson's imprecise floats), integers past 2^53
        and 2^63, whole floats (int64 to pandas), NaN and Infinity, numbers
        as text (spaces, underscores, "nan", "1e3"), text mixed with
        numbers, booleans with numbers or nulls, nested values, nulls only,
        a date-named column (dates past 1971 in seconds, or small numbers);
        fields missing from some rows, blank lines, names given twice.
    by_differential.py compare DIR RESULT.parquet KEYS [INCLUDE]
        runs pandas.read_csv(f).groupby(KEYS).describe(include=...) on every
        file of DIR and compares it with polarsdesc's table: the groups,
        their order, the key values (as Python writes them), the columns,
        count, unique, top, freq, and the numbers at 1e-12. INCLUDE is
        polarsdesc's --include (number, text, str, bool, category, all,
        comma-separated; pandas' default without it). Prints each difference
        and exits 1 if there is one.

KEYS are column names separated by commas (k1, or k1,k2), or - for
pandas' describe() of each whole file. .parquet files are read with
pandas.read_parquet, .feather with read_feather, .ndjson and .jsonl
(maybe gzipped) with read_json(lines=True), the others with read_csv. pandas
describes dates as times, which polarsdesc leaves out with a warning: they
are left out of pandas' frame too.
"""

import gzip
import json
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
    if random.random() < 0.5:
        # Text with missing values, spellings of booleans (a bool column, or
        # an object one with a missing value), Python integers.
        kind = random.choice(["text", "bool", "bool_missing", "wide"])
        if kind == "text":
            values = [random.choice(["a", "b", "B", " b", "1.50", "NA", ""]) for _ in range(rows)]
        elif kind == "wide":
            values = [random.choice(["18446744073709551616", "+018446744073709551616", "-5", "NA"]) for _ in range(rows)]
        else:
            values = [random.choice(["True", "TRUE", "false", "False"]) for _ in range(rows)]
            if kind == "bool_missing":
                values[random.randrange(rows)] = ""
        columns["t"] = values
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
        lines = ["k1,x,n,k2,w"]
        for row in range(500_000):
            k1 = f"g{random.randrange(3000)}" if row % 11 else random.choice(NA[:2])
            x = repr(random.gauss(5, 2)) if row % 13 else ""
            w = random.choice(["p", "q", "r", "", f"v{row % 50}"])
            lines.append(f"{k1},{x},{random.randrange(10 ** 9)},{row % 7},{w}")
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
        if kind == "ts":
            # Times without a zone, of a unit, before 1970 too, some missing.
            unit = random.choice(["ns", "us", "ms"])
            stamps = [datetime.datetime(1969, 12, 31, 23, 59) + datetime.timedelta(seconds=30 * random.randrange(groups + 1),
                                                                              microseconds=random.choice([0, 500]))
                      for _ in range(rows)]
            return pa.array(maybe(stamps, nulls), pa.timestamp(unit))
        if kind == "date":
            return pa.array(maybe([datetime.date(2024, 2, 28) + datetime.timedelta(days=random.randrange(groups + 1))
                                   for _ in range(rows)], nulls))
        if kind == "decimal":
            return pa.array(maybe([decimal.Decimal(random.choice(["1.250", "-0.001", "2.5", "0"])) for _ in range(rows)],
                                  nulls), pa.decimal128(9, 3))
        if kind == "cat":
            # pandas' category: groups in the categories' order (shuffled,
            # one never seen), not sorted. No nulls: Polars' Arrow reader
            # refuses the key pyarrow writes under one (polarsdesc says so).
            listed = ["b", "a", "", "zz never seen", "é"][: groups + 1] + ["zz never seen"]
            listed = list(dict.fromkeys(listed))
            random.shuffle(listed)
            seen = [i for i, name in enumerate(listed) if name != "zz never seen"]
            indices = pa.array([random.choice(seen) for _ in range(rows)], pa.int8())
            return pa.DictionaryArray.from_arrays(indices, pa.array(listed))
        raise ValueError(kind)

    KEY_KINDS = ["str", "int32", "int8", "int64", "bool", "float", "ts", "date", "decimal", "cat"]
    for index in range(count):
        rows = random.choice([1, 2, 3, 7, 50, 3000])
        groups = random.choice([1, 2, 4])
        columns = {
            "k1": key(random.choice(KEY_KINDS), rows, groups),
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
            # float32: some with nulls and NaN, some whole (pandas rounds the
            # percentiles to float32 only when a value is missing).
            "f32": pa.array(
                maybe([random.choice([random.gauss(0, 10.0 ** random.randrange(-3, 8)), float("nan")])
                       if random.random() < 0.5 else random.gauss(0, 1e4) for _ in range(rows)],
                      random.random() < 0.5),
                pa.float32(),
            ),
            "f32_whole": pa.array([random.gauss(0, 1e3) for _ in range(rows)], pa.float32()),
            "flag": pa.array([random.random() < 0.5 for _ in range(rows)]),
            "name": pa.array([random.choice(["x", "y"]) for _ in range(rows)]),
            "word": pa.array(maybe([random.choice(["x", "y", "z", "", "NA"]) for _ in range(rows)], True)),
            "day": pa.array([datetime.date(2024, 1, 1 + i % 28) for i in range(rows)]),
            "money": pa.array([decimal.Decimal("1.25")] * rows),
            "cat": pa.array([random.choice(["p", "q"]) for _ in range(rows)]).dictionary_encode(),
            "items": pa.array([[1, 2]] * rows),
            "k2": key(random.choice(KEY_KINDS), rows, groups),
        }
        table = pa.table(columns)
        if index % 5 == 4:
            # Written by pandas with an index (as any filtered frame's
            # to_parquet is): an unnamed one (stored as __index_level_0__),
            # a named one, or two levels; read_parquet restores it as the
            # index, which describe() leaves out.
            frame = table.select(["k1", "f", "i64", "i_null", "f32", "k2"]).to_pandas()
            shuffled = list(range(rows))
            random.shuffle(shuffled)
            which = random.choice(["unnamed", "named", "levels"])
            if which == "unnamed":
                frame.index = pd.Index([3 * i + 1 for i in shuffled])
            elif which == "named":
                frame.index = pd.Index([float(i) for i in shuffled], name="idx")
            else:
                frame.index = pd.MultiIndex.from_arrays([shuffled, [i % 2 for i in shuffled]], names=["lvl_a", "lvl_b"])
            if index % 2:
                frame.to_feather(folder / f"p{index:03}.feather")
            else:
                frame.to_parquet(folder / f"p{index:03}.parquet")
            continue
        if index % 3 == 2:
            # Arrow IPC (Feather v2), as pandas' read_feather reads it.
            pa.feather.write_feather(table.drop_columns(["items"]), folder / f"p{index:03}.feather")
        else:
            pq.write_table(table, folder / f"p{index:03}.parquet")


def json_number(kind):
    """A JSON number token of a random `kind`."""
    if kind == "float":
        choice = random.random()
        if choice < 0.3:
            return repr(random.uniform(-1e6, 1e6))
        if choice < 0.5:
            return f"{random.uniform(0, 1):.{random.randrange(1, 22)}f}"
        if choice < 0.7:
            return f"{random.uniform(-9, 9):.{random.randrange(0, 17)}e}".replace("e", random.choice("eE"))
        return str(random.randrange(-10 ** 6, 10 ** 6)) + "." + str(random.randrange(10 ** random.randrange(1, 20)))
    if kind == "big":
        return str(random.choice([2 ** 53 + 1, 2 ** 62 + 7, 2 ** 63 - 1, -(2 ** 63), 12345678901234567]))
    return str(random.randrange(-1000, 1000))


def json_column(kind, rows):
    """A value column of `rows` JSON tokens (None: the field is left out)."""

    def sometimes(token, other, share=0.1):
        return other if random.random() < share else token

    if kind == "float":
        return [sometimes(json_number("float"), random.choice(["null", "NaN", None])) for _ in range(rows)]
    if kind == "int":
        return [json_number("int") for _ in range(rows)]
    if kind == "int_big":
        return [random.choice([json_number("big"), json_number("int")]) for _ in range(rows)]
    if kind == "uint":
        return [str(random.choice([2 ** 63, 2 ** 64 - 1, 5, 2 ** 63 + 12345])) for _ in range(rows)]
    if kind == "int_missing":
        return [sometimes(json_number("int"), random.choice(["null", None])) for _ in range(rows)]
    if kind == "whole_float":
        return [f"{random.randrange(-50, 50)}.0" for _ in range(rows)]
    if kind == "infinite":
        return [sometimes(json_number("float"), random.choice(["Infinity", "-Infinity", "NaN"]), 0.2) for _ in range(rows)]
    if kind == "numeric_text":
        spelled = ["1", " 2 ", "1_000", "3.5", "nan", "inf", "-Infinity", "1e3", "+4", "007", "0.1"]
        values = [json.dumps(random.choice(spelled)) for _ in range(rows)]
        if random.random() < 0.3:
            values[random.randrange(rows)] = "null"
        return values
    if kind == "integer_text":
        return [json.dumps(random.choice(["1", " 2", "3_0", "-4", "+5"])) for _ in range(rows)]
    if kind == "text_and_numbers":
        return [random.choice(['"12"', "3", "4.5", '" 6 "']) for _ in range(rows)]
    if kind == "bool_and_numbers":
        return [random.choice(["true", "false", "2", "3.0"]) for _ in range(rows)]
    if kind == "bool_null":
        return [random.choice(["true", "false", "null"]) for _ in range(rows)]
    if kind == "bool":
        return [random.choice(["true", "false"]) for _ in range(rows)]
    if kind == "text":
        return [json.dumps(random.choice(["a", "b", "x\"y", "é"])) for _ in range(rows)]
    if kind == "nested":
        return [random.choice(["[1, 2]", '{"x": 1}', "3"]) for _ in range(rows)]
    if kind == "nulls":
        return [random.choice(["null", None]) for _ in range(rows)]
    raise ValueError(kind)


JSON_KINDS = [
    "float", "int", "int_big", "uint", "int_missing", "whole_float", "infinite", "numeric_text",
    "integer_text", "text_and_numbers", "bool_and_numbers", "bool_null", "bool", "text", "nested", "nulls",
]


def json_key(kind, rows, groups):
    """A key column of `rows` JSON tokens, about `groups` distinct keys."""
    missing = random.random() < 0.4

    def maybe_missing(token):
        return random.choice(["null", None]) if missing and random.random() < 0.1 else token

    if kind == "text":
        names = [json.dumps(f"t{random.randrange(10 ** 6)}") for _ in range(groups)] + ['"B"', '"b"', '"é"']
        return [maybe_missing(random.choice(names)) for _ in range(rows)]
    if kind == "numeric_text":
        return [maybe_missing(random.choice(['"01"', '"1"', '"2"', '"10"', '" 3"'])) for _ in range(rows)]
    if kind == "int":
        values = [str(random.randrange(-groups, groups)) for _ in range(rows)]
        return [maybe_missing(value) for value in values] if random.random() < 0.5 else values
    if kind == "float":
        return [maybe_missing(random.choice(["0.5", "1.25", "-3.0", "1e2", "2"])) for _ in range(rows)]
    return [random.choice(["true", "false"]) for _ in range(rows)]


def make_ndjson(folder, seed, count):
    random.seed(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        rows = random.choice([1, 2, 5, 30, 200, 1500])
        groups = random.choice([1, 3, 40])
        columns = {
            "k1": json_key(random.choice(["text", "numeric_text", "int", "float", "bool"]), rows, groups),
            "k2": json_key(random.choice(["text", "int"]), rows, 3),
        }
        for kind in random.sample(JSON_KINDS, random.randrange(3, 9)):
            columns[f"v_{kind}"] = json_column(kind, rows)
        date_name = random.choice(["date", "created_at", "Timestamp_x", "ts_time"])
        if random.random() < 0.5:
            columns[date_name] = [str(random.randrange(31536001, 2 * 10 ** 9)) for _ in range(rows)]
        else:
            columns[date_name] = [str(random.randrange(0, 100)) for _ in range(rows)]
        lines = []
        for row in range(rows):
            fields = [(name, tokens[row]) for name, tokens in columns.items() if tokens[row] is not None]
            if random.random() < 0.3:
                random.shuffle(fields)
            if fields and fields[0][0].startswith("v_") and random.random() < 0.05:
                fields.append((fields[0][0], fields[-1][1]))  # a name given twice: the last value counts
            lines.append(" " * random.randrange(2) + "{" + ", ".join(f'"{name}": {token}' for name, token in fields) + "}")
            if random.random() < 0.02:
                lines.append("   ")
        text = "\n".join(lines) + random.choice(["", "\n", "\r\n"])
        name = f"j{index:03}" + random.choice([".ndjson", ".jsonl"])
        if random.random() < 0.2:
            with gzip.open(folder / (name + ".gz"), "wt", encoding="utf-8") as out:
                out.write(text)
        else:
            (folder / name).write_text(text, encoding="utf-8")


def same_number(ours, theirs):
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    if ours is None:
        return False
    return ours == theirs or abs(ours - theirs) <= 1e-12 * max(abs(theirs), 1e-300)


# polarsdesc's --include kinds as pandas' include.
PANDAS_KINDS = {"number": ["number"], "text": ["object", "str"], "str": ["str"], "bool": ["bool"],
                "category": ["category"], "object": ["object", "str"]}


def pandas_include(include, frame, times, keys):
    """pandas' include for polarsdesc's --include `include` (None: the
    default) on `frame`, whose time columns `times` were dropped: by default
    pandas takes numbers and times, and every column when there are neither
    (keys aside)."""
    if include == "all":
        return "all"
    if include is not None:
        return [kind for name in include.split(",") for kind in PANDAS_KINDS[name]]
    data = frame.drop(columns=[key for key in keys if key in frame.columns])
    if not data.select_dtypes("number").columns.empty or any(t not in keys for t in times):
        return ["number"]
    return "all"


def pandas_rows(frame, keys, include):
    """pandas' groups, in order: (key strings, column, stats) per group and column."""
    if keys == ["-"]:
        described = frame.describe(include=include)
        return [([], column, described[column]) for column in described.columns]
    if frame[keys].dropna().empty:
        return []  # no group
    described = frame.groupby(keys).describe(include=include)
    rows = []
    columns = list(dict.fromkeys(described.columns.get_level_values(0)))
    for index, group in described.iterrows():
        values = index if isinstance(index, tuple) else (index,)
        for column in columns:
            rows.append(([str(v) for v in values], column, group[column]))
    return rows


def read(file, keys):
    """`file` as pandas reads it, without its times (which polarsdesc leaves
    out, but as keys), and the names of the times."""
    if file.suffix == ".parquet":
        frame = pd.read_parquet(file)
    elif file.suffix == ".feather":
        frame = pd.read_feather(file)
    elif ".ndjson" in file.name or ".jsonl" in file.name:
        frame = pd.read_json(file, lines=True)
    else:
        return pd.read_csv(file), []
    times = list(frame.select_dtypes(include=["datetime", "datetimetz", "timedelta"]).columns)
    return frame.drop(columns=[column for column in times if column not in keys]), times


def same_value(stat, ours, theirs):
    """Whether polarsdesc's `ours` is pandas' `theirs` for the statistic `stat`."""
    if theirs is None or (not isinstance(theirs, str) and pd.isna(theirs)):
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    if stat == "top":
        return ours == str(theirs)
    if stat in ("count", "unique", "freq"):
        return ours == int(theirs)
    return same_number(ours, float(theirs))


def compare(folder, result, keys, include=None):
    keys = keys.split(",")
    table = pq.read_table(result).to_pylist()
    ours = {}
    for row in table:
        ours.setdefault(Path(row["path"]).name, []).append(row)
    differences = []
    files = sorted(
        file for pattern in ["*.csv*", "*.parquet", "*.feather", "*.ndjson*", "*.jsonl*"] for file in folder.glob(pattern)
    )
    for file in files:
        try:
            frame, times = read(file, keys)
            theirs = pandas_rows(frame, keys, pandas_include(include, frame, times, keys))
        except Exception:  # pandas cannot read or group it: polarsdesc fails it too (no rows)
            theirs = []
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
                got = row.get(stat)
                if not same_value(stat, got, value):
                    differences.append(
                        f"{file.name} {group} {column!r} {stat}: pandas {value!r}, polarsdesc {got!r}"
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
    if argv[0] == "make-ndjson":
        make_ndjson(Path(argv[1]), int(argv[2]), int(argv[3]))
        return 0
    if argv[0] == "compare":
        return compare(Path(argv[1]), argv[2], argv[3], argv[4] if len(argv) > 4 else None)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
