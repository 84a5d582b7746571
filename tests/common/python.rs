//! The tests' one Python: the pinned venv `scripts/test_env.py` builds under `target/` from `tests/requirements.txt`, never the machine's own packages.
//!
//! The first test that needs Python builds the venv (a minute, once; a lock
//! makes parallel tests and test binaries wait for that one build); later
//! runs find it ready. Where it cannot be built (no `python3`, no network, a
//! Python too old for the pins) a test is skipped with the reason on stderr,
//! unless the variable its caller names (`POLARSDESC_REQUIRE_PANDAS`,
//! `POLARSDESC_REQUIRE_S3`; CI sets them) is set: then it fails.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The pinned venv's python, built on first use; or `None` after saying why
/// it cannot be had (a failure instead when `require` is set).
pub fn pinned(test: &str, require: &str) -> Option<PathBuf> {
    static PYTHON: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match PYTHON.get_or_init(build) {
        Ok(python) => Some(python.clone()),
        Err(reason) => {
            let message = format!("{test}: no pinned Python environment: {reason}");
            if std::env::var_os(require).is_some() {
                panic!("{message} ({require} is set, so this is a failure)");
            }
            super::say_skipped(&message);
            None
        }
    }
}

/// A command running `python` with none of the variables that would let the
/// machine's own packages in (`PYTHONPATH`, ...).
pub fn command(python: &Path) -> Command {
    let mut command = Command::new(python);
    for name in [
        "PYTHONPATH",
        "PYTHONHOME",
        "PYTHONSTARTUP",
        "PYTHONUSERBASE",
    ] {
        command.env_remove(name);
    }
    command
}

/// Runs `scripts/test_env.py` with the machine's `python3` (only to make
/// the venv: `-I` keeps its own packages out).
fn build() -> Result<PathBuf, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/test_env.py");
    let output = command(Path::new("python3"))
        .arg("-I")
        .arg(&script)
        .output()
        .map_err(|err| format!("cannot run python3 to build it ({err})"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(4).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(match tail.is_empty() {
            true => format!("python3 {} failed ({})", script.display(), output.status),
            false => tail.join(" | "),
        });
    }
    let python = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    if python.exists() {
        Ok(python)
    } else {
        Err(format!(
            "{} says the venv's python is {}, which does not exist",
            script.display(),
            python.display()
        ))
    }
}
