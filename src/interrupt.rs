//! Ctrl-C and SIGTERM: a flag the workers poll, so a run stops between files and cleans up.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C / SIGTERM handler. Call once, from `main`.
///
/// The first signal asks the run to stop: workers finish the file in hand (a
/// large file, the block in hand), temporary files are removed, nothing
/// half-written is renamed into place, and the process exits with 130. A
/// second signal exits at once.
///
/// # Errors
/// When a handler is already installed.
pub fn install_handler() -> std::result::Result<(), ctrlc::Error> {
    ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    })
}

/// Asks the run in progress to stop, as a first signal does (for a library
/// caller that learns of an interrupt its own way: the Python package on
/// `KeyboardInterrupt`).
pub fn request() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Forgets an interrupt once the run it stopped has returned, so that the
/// process can run again (a notebook stays usable after Ctrl-C).
pub fn clear() {
    INTERRUPTED.store(false, Ordering::SeqCst);
}

/// Whether an interrupt has arrived.
pub fn requested() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// Returns [`Error::Interrupted`] once an interrupt has arrived.
///
/// # Errors
/// After Ctrl-C or SIGTERM.
pub fn check() -> Result<()> {
    if requested() {
        Err(Error::Interrupted { resumable: false })
    } else {
        Ok(())
    }
}
