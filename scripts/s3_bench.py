#!/usr/bin/env python3
"""Object storage benchmark: the same files from disk and from a local S3 server (moto), side by side.

Starts moto_server on loopback, uploads FOLDER once, then runs, alternating,
in every round: `polarsdesc run FOLDER` (disk) and `polarsdesc run
s3://bench/data/` with POLARSDESC_S3_REQUESTS set to each value of
--requests. With --latency-ms, the S3 runs go through a proxy that holds each
request that long before passing it on (a far bucket's round trip; loopback
has none). Prints the median wall time and peak memory (max RSS) of each.

    python scripts/s3_bench.py --binary target/release/polarsdesc --folder data \
        --rounds 5 --requests 1,4,16,32,64 [--latency-ms 20]

Needs a Python with moto and boto3 (the CI venv has them). Run nothing else
beside it: moto and polarsdesc share the two cores.
"""

import argparse
import os
import pathlib
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port):
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"nothing listens on {port}")


def delaying_proxy(listen_port, target_port, delay):
    """Forwards connections to target_port, holding each chunk a client sends for `delay` seconds."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen_port))
    server.listen(256)

    def pump(source, sink, hold):
        try:
            while True:
                data = source.recv(1 << 16)
                if not data:
                    break
                if hold:
                    time.sleep(hold)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def serve():
        while True:
            client, _ = server.accept()
            upstream = socket.create_connection(("127.0.0.1", target_port))
            threading.Thread(target=pump, args=(client, upstream, delay), daemon=True).start()
            threading.Thread(target=pump, args=(upstream, client, 0), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()


def measure(command, env):
    """Wall seconds and max RSS (MB) of one run."""
    with tempfile.NamedTemporaryFile() as report:
        start = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name] + command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        seconds = time.perf_counter() - start
        if done.returncode not in (0, 1):
            sys.exit(f"{command} failed: {done.stderr.decode()}")
        rss_kb = int(pathlib.Path(report.name).read_text().split()[-1])
    return seconds, rss_kb / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--folder", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", default="1,4,16,32,64")
    parser.add_argument("--latency-ms", type=float, default=0)
    args = parser.parse_args()

    import boto3

    port = free_port()
    moto = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
        endpoint_port = port
        if args.latency_ms:
            endpoint_port = free_port()
            delaying_proxy(endpoint_port, port, args.latency_ms / 1000)
            wait_for(endpoint_port)
        s3 = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{port}",
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
            region_name="us-east-1",
        )
        s3.create_bucket(Bucket="bench")
        files = sorted(pathlib.Path(args.folder).glob("*.csv"))
        for path in files:
            s3.upload_file(str(path), "bench", "data/" + path.name)
        env = dict(os.environ)
        env.update(
            AWS_ENDPOINT_URL=f"http://127.0.0.1:{endpoint_port}",
            AWS_ALLOW_HTTP="true",
            AWS_ACCESS_KEY_ID="bench",
            AWS_SECRET_ACCESS_KEY="bench",
            AWS_REGION="us-east-1",
        )
        with tempfile.TemporaryDirectory() as out:
            local = [args.binary, "-q", "run", args.folder, "-o", f"{out}/local.parquet", "--no-cache"]
            remote = [args.binary, "-q", "run", "s3://bench/data/", "-o", f"{out}/s3.parquet", "--no-cache"]
            variants = [("disk", local, {})] + [
                (f"s3, {n} in flight", remote, {"POLARSDESC_S3_REQUESTS": n})
                for n in args.requests.split(",")
            ]
            times = {name: [] for name, _, _ in variants}
            memory = {name: [] for name, _, _ in variants}
            for name, command, extra in variants:  # warm-up
                measure(command, {**env, **extra})
            for _ in range(args.rounds):
                for name, command, extra in variants:
                    seconds, rss = measure(command, {**env, **extra})
                    times[name].append(seconds)
                    memory[name].append(rss)
        base = statistics.median(times["disk"])
        print(f"{len(files)} files, {args.rounds} rounds, latency {args.latency_ms:g} ms per request")
        print(f"{'variant':<22} {'median s':>9} {'vs disk':>8} {'max RSS MB':>11}")
        for name, _, _ in variants:
            median = statistics.median(times[name])
            print(f"{name:<22} {median:>9.3f} {median / base:>7.2f}x {statistics.median(memory[name]):>11.1f}")
    finally:
        moto.kill()
        moto.wait()


if __name__ == "__main__":
    main()
