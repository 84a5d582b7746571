#!/usr/bin/env bash
# How polarsdesc run grows: time and peak memory from 100 to 20,000 files, and one ~1 GB file.
#
#   scripts/growth.sh [--rounds N] [--sizes "100 1000 5000 20000"]
#
# Files are the article's shape (business days 2010-01-01 to today, 3-letter
# labels so that 20,000 exist), generated with a fixed seed into a temporary
# folder; the large file is those rows repeated to about 1 GB. Needs about
# 4 GB of free disk in $TMPDIR. Prints a Markdown table.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rounds=3
sizes="100 1000 5000 20000"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--sizes \"100 1000 ...\"]" >&2; exit 2 ;;
  esac
done

(cd "$root" && cargo build --release --quiet)
bin=$root/target/release/polarsdesc
work=$(mktemp -d "${TMPDIR:-/tmp}/polarsdesc-growth.XXXXXX")
trap 'rm -rf "$work"' EXIT

# median of $rounds runs of "$@": prints "seconds peak_kb"
measure() {
  local best=()
  for _ in $(seq "$rounds"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
    best+=("$(cat "$work/time")")
  done
  printf '%s\n' "${best[@]}" | sort -n | sed -n "$(( (rounds + 1) / 2 ))p"
}

echo "| input | files | MB | wall (median of $rounds) | MB/s | peak RSS |"
echo "|---|---|---|---|---|---|"
largest=0
for n in $sizes; do
  dir=$work/files-$n
  "$bin" -q generate --dir "$dir" --label-length 3 --labels "$n" --seed 42
  "$bin" -q run --no-cache "$dir" -o "$work/out.parquet" # warm the page cache
  mb=$(du -sm --apparent-size "$dir" | cut -f1)
  read -r seconds peak_kb < <(measure "$bin" -q run --no-cache "$dir" -o "$work/out.parquet")
  echo "| $n files | $n | $mb | $seconds s | $(echo "$mb / $seconds" | bc) | $((peak_kb / 1024)) MB |"
  largest=$n
done

# One large file: the rows of the largest folder's files, repeated up to about 1 GB.
big=$work/big.csv
echo ",data" > "$big"
while [ "$(stat -c %s "$big")" -lt 1000000000 ]; do
  for f in "$work/files-$largest"/*.csv; do
    tail -n +2 "$f" >> "$big"
    [ "$(stat -c %s "$big")" -lt 1000000000 ] || break
  done
done
"$bin" -q run --no-cache "$big" -o "$work/out.parquet"
mb=$(( $(stat -c %s "$big") / 1000000 ))
rows=$(( $(wc -l < "$big") - 1 ))
read -r seconds peak_kb < <(measure "$bin" -q run --no-cache "$big" -o "$work/out.parquet")
echo "| one file, $rows rows | 1 | $mb | $seconds s | $(echo "$mb / $seconds" | bc) | $((peak_kb / 1024)) MB |"
