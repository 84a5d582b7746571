"""pandas' describe(include=...) against polarsdesc's --include, file for file.

    include_differential.py make DIR SEED COUNT [--large]
        writes COUNT random CSV files into DIR: text, boolean, mixed, empty,
        numeric columns, integers too wide for 64 bits; ties of every kind for `top`; NA spellings; quoted
        values (line ends inside); numbers in text columns; CRLF, byte-order
        marks, repeated and empty names, implicit indexes, blank lines, short
        rows, gzip. With --large, two more files past polarsdesc's 8 MiB
        block, read on every core: one with numbers, one of quoted text only.
    include_differential.py typed DIR FORMAT
        rewrites every CSV file of DIR that pandas reads as FORMAT (parquet,
        feather or ndjson) with pandas' to_parquet/to_feather/to_json (an implicit index
        is stored as pandas stores it), and removes the CSV files: str,
        bool, bool with nulls, null-typed and numeric columns, and (Parquet,
        Feather) category columns of shuffled categories. Python
        integers too wide for Arrow are written as their text.
    include_differential.py compare DIR RESULT.parquet INCLUDE
        runs pandas.read_csv(f).describe(include=INCLUDE) on every file of DIR
        (read_parquet, read_feather for those)
        and compares it with polarsdesc's table (columns, order, count,
        unique, top, freq; the numbers at 1e-12). Prints each difference and
        exits 1 if there is one.

INCLUDE is "all", "default" (describe() with no include: the numbers, or
every column of a file that has none), or kinds separated by commas
(number, object, str, bool, category).
"""

import gzip
import math
import random
import zlib
import sys
import warnings
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

warnings.simplefilter("ignore")

NA = ["", "NA", "nan", "NaN", "null", "NULL", "None", "n/a", "#N/A", "<NA>", "-NaN"]
TRUE = ["True", "TRUE", "true", "tRuE"]
FALSE = ["False", "FALSE", "false", "fAlSe"]


def quoted(value):
    if any(c in value for c in ',"\n\r') or (value and random.random() < 0.1):
        return '"' + value.replace('"', '""') + '"'
    return value


def column_values(kind, rows):
    """A column of `rows` fields of one kind (as written in the file)."""
    if kind == "text":
        alphabet = random.choice(
            [["a", "b"], ["x", "y", "z", "w"], ["α", "b,c", 'q"t', " a", "a ", "two\nlines", "\t"]]
        )
        return [random.choice(alphabet + [random.choice(NA)] * (random.random() < 0.2)) for _ in range(rows)]
    if kind == "ties":
        # Every value equally often, in a shuffled order: top is the first seen.
        values = [random.choice(["p", "q", "r", "s"]) for _ in range(2)] * (rows // 2 + 1)
        random.shuffle(values)
        return values[:rows]
    if kind == "bool":
        return [random.choice(TRUE + FALSE) for _ in range(rows)]
    if kind == "bool_na":
        return [random.choice(TRUE + FALSE + NA[:3]) for _ in range(rows)]
    if kind == "bool_text":
        values = [random.choice(TRUE + FALSE) for _ in range(rows)]
        values[random.randrange(rows)] = random.choice(["yes", "True ", "1"])
        return values
    if kind == "mixed":
        values = [random.choice(["1", "2.50", "007", "-3"]) for _ in range(rows)]
        values[random.randrange(rows)] = random.choice(["x", "1,5", "inf_"])
        return values
    if kind == "wide":
        # Integers too wide for 64 bits: pandas' object column of Python integers.
        values = [random.choice(["5", " 7 ", "+05", "-0", "0", "-1", "18446744073709551616", ""]) for _ in range(rows)]
        values[random.randrange(rows)] = random.choice(["123456789012345678901234567890", "+0123456789012345678901234567890"])
        return values
    if kind == "uint_text":
        # Above int64 beside a negative or a missing value: pandas keeps
        # every token as text, "NA" and "" too.
        values = [random.choice(["9223372036854775808", "5", " 7", "NA", "", "-1", "nan"]) for _ in range(rows)]
        values[random.randrange(rows)] = "9223372036854775809"
        values[random.randrange(rows)] = random.choice(["NA", "-2", ""])
        return values
    if kind == "numbers":
        return [random.choice(["1", "2", "3.5", "", "-0.25", "1e3"]) for _ in range(rows)]
    if kind == "empty":
        return [random.choice(NA[:2]) for _ in range(rows)]
    raise ValueError(kind)


KINDS = ["text", "ties", "bool", "bool_na", "bool_text", "mixed", "numbers", "empty", "wide", "uint_text"]


def write_file(path, rows, width):
    """A file of `rows` rows of `width` random columns, in one of the shapes
    pandas reads: CRLF line ends, a byte-order mark, repeated or empty
    header names, an implicit index (rows one field longer than the
    header), blank lines, short rows; some compressed."""
    kinds = [random.choice(KINDS) for _ in range(width)]
    columns = [column_values(kind, max(rows, 1)) for kind in kinds]
    names = [random.choice([f"c{i}", "c0", ""]) if random.random() < 0.2 else f"c{i}" for i in range(width)]
    index = random.random() < 0.15
    lines = [",".join(names)]
    for row in range(rows):
        fields = [quoted(column[row]) for column in columns]
        if index:
            fields.insert(0, f"i{row}")
        elif random.random() < 0.05:
            fields = fields[: random.randrange(len(fields)) + 1]
        lines.append(",".join(fields))
        if random.random() < 0.03:
            lines.append("")
    end = "\r\n" if random.random() < 0.2 else "\n"
    text = ("\ufeff" if random.random() < 0.1 else "") + end.join(lines) + end
    data = text.encode("utf-8")
    if random.random() < 0.1:
        path = path.with_name(path.name + ".gz")
        data = gzip.compress(data)
    path.write_bytes(data)


def make(folder, seed, count, large):
    random.seed(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        rows = random.choice([0, 1, 2, 3, 5, 17, 200])
        write_file(folder / f"f{index:03}.csv", rows, random.randint(1, 6))
    if large:
        # Text only, quoted, past one block: no numeric column reads the
        # blocks first, so the tallies check them, with pandas' tokenizer.
        lines = ["quoted,other"]
        for row in range(400_000):
            lines.append(f'"v{row % 3001}, with a comma","{random.choice(TRUE)}"')
        (folder / "large_text.csv").write_text("\n".join(lines) + "\n")
        # Past one 8 MiB block: the blocks' tallies are combined in order,
        # with the most frequent values tied across the blocks.
        lines = ["word,flag,maybe,number"]
        words = [f"w{i}" for i in range(5000)]
        for row in range(600_000):
            word = words[row % len(words)] if row % 7 else random.choice(words)
            flag = random.choice(TRUE + FALSE)
            maybe = random.choice(TRUE + NA[:2])
            lines.append(f"{word},{flag},{maybe},{row % 1000}")
        (folder / "large.csv").write_text("\n".join(lines) + "\n")


def typed(folder, form):
    """Rewrites the CSV files of `folder` that pandas reads as `form` files."""
    for file in sorted(folder.glob("*.csv*")):
        try:
            frame = pd.read_csv(file)
        except Exception:  # noqa: BLE001 - unreadable: nothing to rewrite
            file.unlink()
            continue
        for name in frame.columns:
            if frame[name].dtype == object and any(isinstance(v, int) and not isinstance(v, bool) for v in frame[name]):
                frame[name] = frame[name].map(lambda v: v if v is None or v != v else str(v)).astype("str")
        frame.columns = [str(name) for name in frame.columns]
        if form != "ndjson":
            # Polars' Arrow reader refuses missing categories (polarsdesc says so).
            as_categories(frame, random.Random(zlib.crc32(file.name.encode())), form == "parquet")
        target = folder / (file.name.split(".")[0] + "." + form)
        if form == "parquet":
            frame.to_parquet(target)
        elif form == "ndjson":
            frame.to_json(target, orient="records", lines=True)
        else:
            frame.to_feather(target) if isinstance(frame.index, pd.RangeIndex) else frame.reset_index(drop=True).to_feather(target)
        file.unlink()


def as_categories(frame, rng, with_missing):
    """Makes about half of `frame`'s str columns (those without a missing
    value unless `with_missing`) pandas' category columns, their categories
    shuffled (ties for `top` go to the category listed first, not to the
    value seen first) and one of them never observed."""
    for name in frame.columns:
        if frame[name].dtype != "str" or rng.random() < 0.5:
            continue
        if not with_missing and frame[name].isna().any():
            continue
        categories = sorted(frame[name].dropna().unique()) + ["never seen"]
        rng.shuffle(categories)
        frame[name] = pd.Categorical(frame[name], categories=categories)


def read(file):
    """pandas' reader of `file`, by its extension."""
    if file.suffix == ".parquet":
        return pd.read_parquet(file)
    if file.suffix == ".feather":
        return pd.read_feather(file)
    if file.suffix == ".ndjson":
        return pd.read_json(file, lines=True)
    return pd.read_csv(file)


def pandas_include(spec):
    if spec == "default":
        return None
    if spec == "all":
        return "all"
    kinds = {"number": "number", "text": "object", "object": "object", "str": "str", "bool": "bool",
             "category": "category"}
    return [kinds[kind] for kind in spec.split(",")]


def same_number(ours, theirs):
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    if ours is None:
        return False
    return ours == theirs or abs(ours - theirs) <= 1e-12 * max(abs(theirs), 1e-300)


def compare(folder, result, spec):
    table = pq.read_table(result).to_pylist()
    ours = {}
    for row in table:
        ours.setdefault(Path(row["path"]).name, []).append(row)
    differences = []
    text_only = 0
    files = sorted(f for suffix in ("csv", "parquet", "feather", "ndjson") for f in folder.glob(f"*.{suffix}*"))
    for file in files:
        try:
            frame = read(file)
        except Exception:  # pandas cannot read it: polarsdesc fails it too (no rows)
            frame = None
        try:
            described = pd.DataFrame() if frame is None else frame.describe(include=pandas_include(spec))
        except ValueError as error:
            # No column of the kinds asked for: polarsdesc gives no rows.
            described = pd.DataFrame()
            if not any(reason in str(error) for reason in ("No objects to concatenate", "No ", "without columns")):
                differences.append(f"{file.name}: pandas failed: {error}")
        rows = ours.get(file.name, [])
        text_only += "unique" in described.index and "mean" not in described.index
        # read_json's labels may be numbers (a column "007" is 7): by their text.
        described.columns = [str(label) for label in described.columns]
        if list(described.columns) != [row["column"] for row in rows]:
            differences.append(
                f"{file.name}: pandas describes {list(described.columns)}, "
                f"polarsdesc {[row['column'] for row in rows]}"
            )
            continue
        for row in rows:
            theirs = described[row["column"]]
            for stat in described.index:
                value = theirs[stat]
                mine = row.get(stat)
                if stat == "top":
                    if isinstance(value, float) and value.is_integer():
                        # A Python integer's top: pandas' frame holds it as
                        # a float where every value of its column is a number.
                        value = int(value)
                    expected = None if (isinstance(value, float) and math.isnan(value)) else str(value)
                    ok = mine == expected
                elif stat in ("count", "unique", "freq"):
                    expected = None if pd.isna(value) else int(value)
                    ok = mine == expected
                else:
                    expected = None if pd.isna(value) else float(value)
                    ok = same_number(mine, expected)
                if not ok:
                    differences.append(
                        f"{file.name} {row['column']!r} {stat}: pandas {expected!r}, polarsdesc {mine!r}"
                    )
    for difference in differences:
        print(difference)
    print(f"{len(files)} files compared ({text_only} described by text alone), "
          f"{len(differences)} differences", file=sys.stderr)
    return 1 if differences else 0


def main(argv):
    if argv[0] == "make":
        make(Path(argv[1]), int(argv[2]), int(argv[3]), "--large" in argv)
        return 0
    if argv[0] == "typed":
        typed(Path(argv[1]), argv[2])
        return 0
    if argv[0] == "compare":
        return compare(Path(argv[1]), argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
