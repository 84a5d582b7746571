#!/usr/bin/env bash
# One big CSV file: polarsdesc against Python Polars, DuckDB and pandas (scripts/bigfile.py).
#
#   scripts/bigfile.sh [--rounds 3] [--sizes 1,4] [--skip pandas@4]
#
# Builds polarsdesc (release), makes a venv with pinned pandas, numpy,
# Polars, DuckDB (BIGFILE_VENV=DIR reuses one), makes the files from a fixed
# seed in BIGFILE_DATA (default target/bigfile; 3.7 GB for sizes 1 and 4),
# then times every tool in alternating rounds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
(cd "$root" && cargo build --release --quiet)
venv=${BIGFILE_VENV:-$root/target/bench-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pandas==3.1.1 numpy==2.4.6 polars==2.1.0 duckdb==2.0.1 pyarrow==26.0.1
fi
exec "$venv/bin/python" "$root/scripts/bigfile.py" --data "${BIGFILE_DATA:-$root/target/bigfile}" \
  --polarsdesc "$root/target/release/polarsdesc" "$@"
