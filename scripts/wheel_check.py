"""Checks an installed polarsdesc wheel as a user without Rust would use it: the command and the Python package, against pandas.

    python scripts/wheel_check.py WORK_DIR        # run by scripts/test_wheel.sh

The command from the wheel generates a small demo data set and describes it
to a CSV; `polarsdesc.describe` describes it in Python; both must equal
`pandas.read_csv(f).describe()` for every file (1e-12 relative), and neither
`cargo` nor `rustc` may be on PATH (the point of a wheel).
"""
import math
import os
import shutil
import subprocess
import sys

import pandas as pd

import polarsdesc


def close(ours, theirs):
    if math.isnan(theirs):
        return ours is None or math.isnan(ours)
    return abs(ours - theirs) <= 1e-12 * max(abs(ours), abs(theirs))


def main():
    work = sys.argv[1]
    for tool in ("cargo", "rustc"):
        if shutil.which(tool):
            sys.exit(f"{tool} is on PATH ({shutil.which(tool)}): this check needs a machine without Rust")
    command = shutil.which("polarsdesc")
    if not command or not command.startswith(sys.prefix):
        sys.exit(f"the polarsdesc command is not the wheel's: {command}")
    print(subprocess.run([command, "--version"], check=True, capture_output=True, text=True).stdout)
    data = os.path.join(work, "data")
    subprocess.run([command, "-q", "generate", "--dir", data, "--labels", "20", "--seed", "5",
                    "--start", "2020-01-01", "--end", "2020-12-31"], check=True)
    out = os.path.join(work, "summary.csv")
    subprocess.run([command, "-q", "run", data, "-o", out], check=True)
    from_command = pd.read_csv(out)
    from_python = polarsdesc.describe(data)
    checked = 0
    for table in (from_command, from_python):
        assert len(table) == 20, len(table)
        for _, row in table.iterrows():
            truth = pd.read_csv(os.path.join(data, os.path.basename(row["path"]))).describe()
            for stat in ("count", "mean", "std", "min", "25%", "50%", "75%", "max"):
                ours, theirs = float(row[stat]), float(truth[row["column"]][stat])
                if not close(ours, theirs):
                    sys.exit(f"{row['path']} {row['column']} {stat}: {ours!r}, pandas {theirs!r}")
                checked += 1
    print(f"wheel check: the command and the package agree with pandas on {checked} numbers")


if __name__ == "__main__":
    main()
