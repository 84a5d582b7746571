"""Finishes the wheel maturin built: the extension stripped, the polarsdesc command added, so that one file gives both faces.

    python scripts/dist.py --wheel RAW.whl --cli target/release/polarsdesc --out dist

The release profile keeps line tables (for profiles), which makes the
extension and the command about 570 MB each; stripped, they are a tenth of
that. The command goes in the wheel's `.data/scripts/`, which pip installs
into the environment's `bin/` (as ruff's wheel carries its binary). The
wheel's RECORD is written anew, with the hashes and sizes of what it holds.
The stripped command is also left in `--out` on its own.
"""
import argparse
import base64
import hashlib
import os
import subprocess
import tempfile
import zipfile


def stripped(data, name):
    """The bytes of an ELF file without its debug information and symbols."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, os.path.basename(name))
        with open(path, "wb") as out:
            out.write(data)
        subprocess.run(["strip", "--strip-unneeded", path], check=True)
        with open(path, "rb") as back:
            return back.read()


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wheel", required=True)
    parser.add_argument("--cli", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    name = os.path.basename(args.wheel)
    distribution = "-".join(name.split("-")[:2])  # polarsdesc-0.1.0
    with open(args.cli, "rb") as cli:
        command = stripped(cli.read(), "polarsdesc")
    target = os.path.join(args.out, name)
    records = []
    with zipfile.ZipFile(args.wheel) as source, \
            zipfile.ZipFile(target + ".tmp", "w", zipfile.ZIP_DEFLATED) as wheel:
        record_name = None
        for entry in source.infolist():
            if entry.filename.endswith(".dist-info/RECORD"):
                record_name = entry.filename
                continue
            data = source.read(entry)
            if entry.filename.endswith(".so"):
                data = stripped(data, entry.filename)
            wheel.writestr(entry, data)
            records.append(record_line(entry.filename, data))
        script = zipfile.ZipInfo(f"{distribution}.data/scripts/polarsdesc", (2026, 1, 1, 0, 0, 0))
        script.external_attr = 0o100755 << 16
        script.compress_type = zipfile.ZIP_DEFLATED
        wheel.writestr(script, command)
        records.append(record_line(script.filename, command))
        records.append(f"{record_name},,")
        wheel.writestr(record_name, "\n".join(records) + "\n")
    os.replace(target + ".tmp", target)
    machine = os.uname().machine
    alone = os.path.join(args.out, f"{distribution}-{machine}-linux")
    with open(alone, "wb") as out:
        out.write(command)
    os.chmod(alone, 0o755)
    for path in (target, alone):
        print(f"{path}: {os.path.getsize(path) / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
