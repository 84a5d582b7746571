#!/usr/bin/env bash
# The wheel in dist/ (scripts/dist.sh) installed into a fresh venv on a PATH
# without Rust, then used as a user would: the command and the Python package,
# checked against pandas (scripts/wheel_check.py). Run by .ci/run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
wheel=$(ls dist/polarsdesc-*.whl)
venv=target/wheel-venv
rm -rf "$venv" target/wheel-check
python3 -I -m venv "$venv"
# pandas to judge the numbers, at the pinned versions of the tests (pip's
# constraints take no extras: `moto[s3]` is written `moto`).
sed 's/\[[a-z0-9,]*\]//' tests/requirements.txt > target/wheel-constraints.txt
"$venv/bin/python" -I -m pip install --quiet --disable-pip-version-check \
    -c target/wheel-constraints.txt "$wheel" pandas
mkdir -p target/wheel-check
env -i HOME="$HOME" PATH="$root/$venv/bin:/usr/bin:/bin" \
    "$venv/bin/python" -I scripts/wheel_check.py "$root/target/wheel-check"
