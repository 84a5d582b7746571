"""describe_wide against describe on one folder: the median of 3 calls each, after a call that warms the page cache (docs/python.md, "Cost of the call").

    polarsdesc generate --label-length 3 --dir /tmp/wide --start 2024-01-01 --end 2024-03-31 --seed 1
    python python/benches/describe_wide.py /tmp/wide
"""

import statistics
import sys
import time
import warnings

import polarsdesc


def median_seconds(function, folder, runs=3):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function(folder)
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, result.shape


def main(folder):
    warnings.simplefilter("ignore")  # a warning per call would flood the output
    polarsdesc.describe(folder)
    for function in (polarsdesc.describe, polarsdesc.describe_wide):
        median, times, shape = median_seconds(function, folder)
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"{function.__name__:14s} median {median:6.2f} s  (runs {runs})  shape {shape}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/wide")
