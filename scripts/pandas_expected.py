"""Regenerate tests/fixtures/pandas/expected.json: what pandas' describe() says about each fixture.

    python3 scripts/pandas_expected.py          # needs pandas (pip install pandas)

For every CSV in tests/fixtures/pandas/ this records `pd.read_csv(path).describe()`
for the numeric columns, once with pandas' default percentiles and once with
`percentiles=[0.1, 0.333, 0.5, 0.9]` (pandas >= 3 no longer adds the median by
itself; polarsdesc always does, so it is passed explicitly). Values are stored as
Python `repr` strings, so they read back as the exact same float ("nan", "inf").
The test `tests/pandas_exact.rs` compares polarsdesc's output with this file.
"""
import json
import pathlib
import sys
import warnings

import numpy as np
import pandas as pd

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pandas"
CASES = {"default": None, "custom": [0.1, 0.333, 0.5, 0.9]}


def describe(path, percentiles):
    frame = pd.read_csv(path)
    if frame.select_dtypes(include="number").columns.empty:
        return {}  # pandas would describe text columns instead; polarsdesc reports none
    table = frame.describe(percentiles=percentiles)
    return {
        str(column): {str(stat): repr(float(table.loc[stat, column])) for stat in table.index}
        for column in table.columns
    }


def main():
    warnings.simplefilter("ignore")
    files = sorted(p.name for p in FIXTURES.glob("*.csv"))
    expected = {
        "generated_by": "scripts/pandas_expected.py",
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "cases": {
            name: {
                "percentiles": percentiles,
                "files": {f: describe(FIXTURES / f, percentiles) for f in files},
            }
            for name, percentiles in CASES.items()
        },
    }
    out = FIXTURES / "expected.json"
    out.write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
    print(f"wrote {out} ({len(files)} files, pandas {pd.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
