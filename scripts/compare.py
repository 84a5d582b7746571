"""Time polarsdesc against the tools a user would pick instead, side by side, as ratios.

Called by scripts/compare.sh, which builds everything and prepares the data:

    python3 compare.py --data DIR --polarsdesc BIN --floor BIN --anchors anchors.py \
        --seed-generate seed_generate.py [--rounds 5] [--json results.json]

Every command runs once as a warm-up, then `--rounds` times in round-robin
order (so that a slow minute of the machine hits every tool alike). Wall time is
measured around the whole process; peak memory is the process's maximum resident
set size (for pandas_pool, the largest of its processes).
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(command, cwd=None):
    """Runs `command`; returns (seconds, peak RSS in MB). Fails loudly on a non-zero exit."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(command)} exited with {code}:\n{stderr}")
    return seconds, usage.ru_maxrss / 1024


def measure(commands, rounds, prepare=None):
    """Round-robin timing of {name: (command, cwd)}; returns {name: [(s, MB), ...]}.

    `prepare(command, cwd)`, if given, runs before each command and returns the
    (command, cwd) to run instead."""
    results = {name: [] for name in commands}
    for round_index in range(rounds + 1):
        for name, (command, cwd) in commands.items():
            if prepare:
                command, cwd = prepare(command, cwd)
            sample = run_once(command, cwd)
            if round_index > 0:  # round 0 warms the page cache and the interpreters
                results[name].append(sample)
        print(f"  round {round_index}/{rounds} done", file=sys.stderr)
    return results


def summarize(samples):
    seconds = [s for s, _ in samples]
    return {
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        "max_s": max(seconds),
        "peak_mb": max(mb for _, mb in samples),
    }


def table(title, stats, reference):
    print(f"\n{title} (ratio = tool time / {reference} time)\n")
    print(f"| tool | median | min | max | peak RSS | ratio |")
    print(f"|---|---|---|---|---|---|")
    base = stats[reference]["median_s"]
    for name, s in sorted(stats.items(), key=lambda item: item[1]["median_s"]):
        print(f"| {name} | {s['median_s']:.3f} s | {s['min_s']:.3f} s | {s['max_s']:.3f} s "
              f"| {s['peak_mb']:.0f} MB | {s['median_s'] / base:.2f} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--polarsdesc", required=True)
    parser.add_argument("--floor", required=True)
    parser.add_argument("--anchors", required=True)
    parser.add_argument("--seed-generate", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()

    python = sys.executable
    out = tempfile.mkdtemp(prefix="polarsdesc-compare-")
    cores = str(os.cpu_count())
    run_commands = {
        # --no-cache: every round really describes the files (a rerun would
        # otherwise reuse the cache of the previous round).
        "polarsdesc run": ([args.polarsdesc, "-q", "run", "--no-cache", args.data, "-o", os.path.join(out, "s.parquet")], None),
        "polarsdesc run -j 1": ([args.polarsdesc, "-q", "run", "--no-cache", args.data, "-j", "1", "-o", os.path.join(out, "s1.parquet")], None),
        "floor": ([args.floor, args.data, cores], None),
        "pandas_loop": ([python, args.anchors, args.data, "pandas_loop"], None),
        "pandas_pool": ([python, args.anchors, args.data, "pandas_pool"], None),
        "polars_glob": ([python, args.anchors, args.data, "polars_glob"], None),
        "duckdb_glob": ([python, args.anchors, args.data, "duckdb_glob"], None),
    }
    print(f"describing {args.data} ({len(os.listdir(args.data))} files), {args.rounds} rounds", file=sys.stderr)
    run_stats = {name: summarize(samples) for name, samples in measure(run_commands, args.rounds).items()}
    table("run: describe every CSV in the folder", run_stats, "polarsdesc run")

    generate_stats = {}
    if not args.skip_generate:
        generate_commands = {
            "polarsdesc generate": ([args.polarsdesc, "-q", "generate", "--dir", "GEN/data", "--seed", "42"], None),
            "pandas generator (article)": ([python, args.seed_generate], "GEN"),
        }
        fresh_folders = iter(range(1_000_000))

        def fresh_folder(command, cwd):
            # Every generation gets a folder never used before, and nothing is
            # deleted until the end: on ext4, creating files right after deleting
            # as many costs up to 1 s of kernel time (the inode allocator skips
            # recently deleted inodes), which would measure the harness, not the
            # tools. Pending writes of the previous command are flushed first.
            gen_dir = os.path.join(out, f"gen-{next(fresh_folders)}")
            os.makedirs(gen_dir)
            os.sync()
            place = lambda text: text.replace("GEN", gen_dir)
            return [place(part) for part in command], cwd and place(cwd)

        rounds = max(1, args.rounds // 2)
        print(f"generating the data set, {rounds} rounds", file=sys.stderr)
        samples = measure(generate_commands, rounds, prepare=fresh_folder)
        generate_stats = {name: summarize(s) for name, s in samples.items()}
        table("generate: the article's data set", generate_stats, "polarsdesc generate")

    ours = run_stats["polarsdesc run"]["median_s"]
    checks = [
        ("run <= 1.5x floor", ours / run_stats["floor"]["median_s"], "<=", 1.5),
        ("polars_glob / run >= 3", run_stats["polars_glob"]["median_s"] / ours, ">=", 3.0),
        ("pandas_loop / run >= 8", run_stats["pandas_loop"]["median_s"] / ours, ">=", 8.0),
        ("run -j 1 / run -j 2 >= 1.8", run_stats["polarsdesc run -j 1"]["median_s"] / ours, ">=", 1.8),
        ("run peak RSS < 100 MB", run_stats["polarsdesc run"]["peak_mb"], "<", 100.0),
    ]
    if generate_stats:
        checks.append(("pandas generator / generate >= 30",
                       generate_stats["pandas generator (article)"]["median_s"]
                       / generate_stats["polarsdesc generate"]["median_s"], ">=", 30.0))
    print("\n| goal | measured | met |\n|---|---|---|")
    for name, value, op, limit in checks:
        met = value <= limit if op == "<=" else value >= limit if op == ">=" else value < limit
        print(f"| {name} | {value:.2f} | {'yes' if met else 'NO'} |")

    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; "
          f"python {platform.python_version()}", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"run": run_stats, "generate": generate_stats}, f, indent=1)
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
