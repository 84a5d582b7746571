"""Awkward CSV files for the differential test against pandas: real-world shapes and every trap we know.

    python3 scripts/awkward_csv.py DIR --count 2000 --seed 1 [--sep ';']

Writes DIR/awkward_00000.csv ... (some compressed: .csv.gz, .csv.bz2,
.csv.xz, .csv.zst, .csv.zip). Each file mixes, at random: repeated, blank and
pattern-like header names; implicit index columns; \\n, \\r\\n and lone \\r line
ends; blank lines and lines of blanks; a byte-order mark; short rows and
(rarely) a row too long; numbers in every spelling pandas reads (signs, blanks
around them, exponents, quotes, inf, huge and tiny values, integers past 64
bits) and pandas' missing-value strings, text among numbers (sometimes past
the first 100 rows), booleans. The test (tests/pandas_differential.rs) runs
pandas and polarsdesc on them and fails on any difference.
"""
import argparse
import bz2
import gzip
import io
import lzma
import pathlib
import random
import zipfile

NA = ["", "NA", "N/A", "n/a", "nan", "NaN", "-nan", "-NaN", "NULL", "null", "None", "<NA>",
      "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "1.#IND", "1.#QNAN"]
NOT_NA = ["NAN", "Nan", "none", "na", " NA", "NA ", "nan "]
NAMES = ["a", "a", "a.1", "b", "", "x", "value", "Unnamed: 1", "*", "^zz$", "0.count", ".*",
         "col,comma", "é", "a.2", "x.1", "data", " a", "a "]


def number(rng, sep):
    kind = rng.random()
    if kind < 0.30:
        return str(rng.randint(-1000, 1000))
    if kind < 0.55:
        return repr(rng.uniform(-1e3, 1e3))
    if kind < 0.62:
        return f"{rng.uniform(-10, 10):.3e}"
    if kind < 0.66:
        return rng.choice(["+1.5", ".5", "5.", "-.25", "1.e3", "1E+05", "00012", "-0", "+0", "1e-320",
                           "4.9e-324", "1e400", "-1e400", "1e-400"])
    if kind < 0.70:
        return rng.choice(["inf", "-inf", "+inf", "Infinity", "-Infinity", "INF", "inF"])
    if kind < 0.74:
        return repr(rng.choice([1.7e308, -1.7e308, 1e308, 1e200, -1e200, 1e155]))
    if kind < 0.78:
        return rng.choice(["9223372036854775807", "-9223372036854775808", "9223372036854775808",
                           "18446744073709551615", "18446744073709551616", "-9223372036854775809",
                           "9007199254740993"])
    if kind < 0.86:
        core = repr(rng.uniform(-100, 100)) if rng.random() < 0.5 else str(rng.randint(-9, 9))
        blanks = [b for b in [" ", "\t", "  "] if sep not in b]
        return rng.choice(blanks) * rng.randint(0, 1) + core + rng.choice(blanks + [""])
    if kind < 0.90:
        return '"' + repr(rng.uniform(0, 1)) + '"'
    return repr(rng.gauss(0, 1) * 10 ** rng.randint(-5, 15))


def cell(rng, column_kind, row, sep):
    r = rng.random()
    if r < 0.08:
        return rng.choice(NA)
    if column_kind == "text" or (column_kind == "late_text" and row > 105 and r < 0.2):
        return rng.choice(["x", "abc", '"q, uoted"', "True", "False", " ", rng.choice(NOT_NA), "1_000",
                           "0x10", "1.5x", '"say ""hi"""'])
    if column_kind == "bool":
        return rng.choice(["True", "False", "TRUE", "false"])
    if column_kind == "sometimes_text" and r < 0.02:
        return rng.choice(["x", " ", rng.choice(NOT_NA), " inf", "inf "])
    return number(rng, sep)


def make_file(rng, sep):
    columns = rng.randint(1, 6)
    header = [rng.choice(NAMES) for _ in range(columns)]
    header = ['"' + h + '"' if (sep in h or "," in h or rng.random() < 0.05) else h for h in header]
    index_columns = rng.choice([0, 0, 0, 1, 2])
    kinds = [rng.choice(["num", "num", "num", "text", "late_text", "sometimes_text", "bool"]) for _ in header]
    rows = rng.choice([0, 1, 2, 3, 10, 50, 99, 100, 101, 150, 300])
    eol = rng.choice(["\n", "\n", "\r\n", "\r", "mixed"])
    # One file in twenty has a row too long (pandas fails it): where, at random.
    long_row = rng.randint(1, rows) if rows > 1 and rng.random() < 0.05 else None
    lines = []
    if rng.random() < 0.03:
        lines.append("#comment line")
    lines.append(sep.join(header) + (sep if rng.random() < 0.05 else ""))
    for row in range(rows):
        cells = [str(rng.randint(0, 9)) if i else "2020-01-0" + str(rng.randint(1, 9))
                 for i in range(index_columns)]
        cells += [cell(rng, kinds[c], row, sep) for c in range(columns)]
        if rng.random() < 0.05:
            cells = cells[: rng.randint(1, len(cells))]
        if row == long_row:
            cells += ["9"] * (columns + index_columns + 1 - len(cells))
        lines.append(sep.join(cells))
        if rng.random() < 0.02:
            lines.append(rng.choice(["", "  ", "\t", " \t "]))
    out = []
    for line in lines:
        end = rng.choice(["\n", "\r\n", "\r"]) if eol == "mixed" else eol
        out.append(line + end)
    text = "".join(out)
    if rng.random() < 0.2:
        text = text.rstrip("\r\n")
    data = text.encode("utf-8")
    if rng.random() < 0.05:
        data = b"\xef\xbb\xbf" + data
    return data


def compress(rng, data):
    kind = rng.random()
    if kind < 0.85:
        return ".csv", data
    if kind < 0.89:
        return ".csv.gz", gzip.compress(data)
    if kind < 0.92:
        return ".csv.bz2", bz2.compress(data)
    if kind < 0.95:
        return ".csv.xz", lzma.compress(data)
    if kind < 0.97:
        try:
            import zstandard
        except ImportError:
            return ".csv", data
        return ".csv.zst", zstandard.ZstdCompressor().compress(data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])) as archive:
        archive.writestr("data.csv", data)
    return ".csv.zip", buffer.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sep", default=",")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = pathlib.Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    for i in range(args.count):
        suffix, data = compress(rng, make_file(rng, args.sep))
        (out / f"awkward_{i:05d}{suffix}").write_bytes(data)


if __name__ == "__main__":
    main()
