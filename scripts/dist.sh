#!/usr/bin/env bash
# Builds what a user installs without Rust into dist/: the wheel (the Python
# package and the polarsdesc command in one file, for every CPython from 3.9
# on) and the command alone, both stripped of debug information.
#
#   scripts/dist.sh          # then: pip install dist/polarsdesc-*.whl
#
# It reuses the release build of the tests (same profile, same features), so
# after `cargo test --release` it takes about a minute. maturin comes from
# the pinned test environment (scripts/test_env.py).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
python=$(python3 -I scripts/test_env.py)
cargo build --release --bin polarsdesc --quiet
rm -rf target/wheels-raw
PATH="$(dirname "$python"):$PATH" maturin build --release --quiet -m python/Cargo.toml \
    -o target/wheels-raw
"$python" -I scripts/dist.py --wheel target/wheels-raw/polarsdesc-*.whl \
    --cli target/release/polarsdesc --out dist
