"""The pinned Python environment of the tests: a venv built from tests/requirements.txt, once.

    python3 -I scripts/test_env.py [VENV]     # default target/test-venv; prints its python

The tests (tests/common/python.rs) and .ci/run both call this, so they use the
same packages at the same versions, never whatever the machine's python3 has.
The venv is built the first time and rebuilt only when the requirements (or
the Python that builds it) change: a stamp inside it records what it was built
from. A lock beside it makes parallel callers wait for one build. Exit 0 and
the venv's python on stdout, or exit 1 and the reason on stderr (no network,
a Python too old for the pins): the tests then skip with that reason.
"""
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUIREMENTS = os.path.join(ROOT, "tests", "requirements.txt")
STAMP = "polarsdesc-requirements.sha256"
#: How long a failed build is remembered: callers in that time fail at once
#: with its reason instead of each waiting on pip again (a machine offline).
FAILURE_MEMORY_SECONDS = 3600


def fingerprint():
    """What the venv is built from: the pins and this Python."""
    with open(REQUIREMENTS, "rb") as pins:
        digest = hashlib.sha256(pins.read())
    digest.update(sys.version.encode())
    digest.update(os.path.realpath(sys.executable).encode())
    return digest.hexdigest()


def python_of(venv):
    return os.path.join(venv, "bin", "python")


def is_current(venv, wanted):
    try:
        with open(os.path.join(venv, STAMP)) as stamp:
            return stamp.read().strip() == wanted and os.path.exists(python_of(venv))
    except OSError:
        return False


def build(venv, wanted):
    """Builds the venv afresh; the stamp is written last, so a build that
    stops halfway is built again next time."""
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-I", "-m", "venv", venv], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    subprocess.run(
        [python_of(venv), "-I", "-m", "pip", "install", "--quiet", "--no-input",
         "--disable-pip-version-check", "-r", REQUIREMENTS],
        check=True, env=env, stdout=sys.stderr,
    )
    stamp = os.path.join(venv, STAMP)
    with open(stamp + ".tmp", "w") as out:
        out.write(wanted + "\n")
    os.replace(stamp + ".tmp", stamp)


def earlier_failure(failed, wanted):
    """The reason of a build of the same pins that failed within the hour."""
    try:
        if os.path.getmtime(failed) + FAILURE_MEMORY_SECONDS < time.time():
            return None
        with open(failed) as record:
            fingerprint_line, reason = record.read().split("\n", 1)
    except (OSError, ValueError):
        return None
    return reason.strip() if fingerprint_line == wanted else None


def main():
    venv = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "test-venv"))
    if sys.version_info < (3, 11):
        sys.exit(f"the pinned test environment needs Python 3.11 or later, {sys.executable} is {sys.version.split()[0]}")
    os.makedirs(os.path.dirname(venv), exist_ok=True)
    wanted = fingerprint()
    failed = venv + ".failed"
    with open(venv + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not is_current(venv, wanted):
            remembered = earlier_failure(failed, wanted)
            if remembered:
                sys.exit(f"{remembered} (at most an hour ago; delete {failed} to try again now)")
            print(f"building the pinned test environment {venv} from {REQUIREMENTS} ...", file=sys.stderr)
            try:
                build(venv, wanted)
            except (subprocess.CalledProcessError, OSError) as error:
                reason = f"cannot build the pinned test environment {venv}: {error}"
                with open(failed, "w") as out:
                    out.write(wanted + "\n" + reason + "\n")
                sys.exit(reason)
            if os.path.exists(failed):
                os.remove(failed)
    print(python_of(venv))


if __name__ == "__main__":
    main()
