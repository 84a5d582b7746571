//! Ctrl-C and SIGTERM: a flag the workers poll, so a run stops between files and cleans up.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C / SIGTERM handler. Call once, from `main`.
///
/// # Errors
/// When a handler is already installed.
pub fn install_handler() -> std::result::Result<(), ctrlc::Error> {
    ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst))
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
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}
