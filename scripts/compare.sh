#!/usr/bin/env bash
# Compare polarsdesc with the floor and the Python anchors on the same data, as ratios.
#
#   scripts/compare.sh [--rounds N] [--data DIR] [--skip-generate]
#
# Builds polarsdesc (release) and the hand-written floor (a copy of
# ../shared/anchors/floor, built outside the project), installs pandas, polars,
# duckdb and pyarrow into a temporary venv, generates the article's data set
# (seed 42) unless --data is given, then times every tool in alternating rounds
# and prints the ratio table (scripts/compare.py). Set COMPARE_VENV=DIR to reuse
# a venv between runs.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_DIR:-$root/../shared}
rounds=5
data=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --skip-generate) extra+=(--skip-generate); shift ;;
    *) echo "usage: $0 [--rounds N] [--data DIR] [--skip-generate]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/polarsdesc-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "building polarsdesc" >&2
(cd "$root" && cargo build --release --quiet)
polarsdesc=$root/target/release/polarsdesc

echo "building the floor (outside the project)" >&2
cp -r "$shared/anchors/floor" "$work/floor"
chmod -R u+w "$work/floor"
(cd "$work/floor" && cargo build --release --quiet)
floor=$work/floor/target/release/floor

venv=${COMPARE_VENV:-$work/venv}
if [ ! -x "$venv/bin/python" ]; then
  echo "installing pandas, polars, duckdb, pyarrow into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pandas polars duckdb pyarrow
fi

if [ -z "$data" ]; then
  data=$work/data
  "$polarsdesc" -q generate --dir "$data" --seed 42
fi

"$venv/bin/python" -W ignore "$root/scripts/compare.py" \
  --data "$data" --polarsdesc "$polarsdesc" --floor "$floor" \
  --anchors "$shared/anchors/anchors.py" --seed-generate "$shared/anchors/seed_generate.py" \
  --rounds "$rounds" "${extra[@]}"
