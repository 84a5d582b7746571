//! Ctrl-C and SIGTERM, and the interrupt of one call: flags the workers poll, so a run stops between files and cleans up.
//!
//! A signal (the CLI's Ctrl-C or SIGTERM) sets a flag of the whole process:
//! every run stops. A library caller that makes several calls at once (the
//! Python package: one call per Python thread) stops one of them by
//! cancelling its [`Scope`]. The call enters its scope on the thread that
//! runs it; each thread the library starts for the call enters the same
//! scope ([`in_current_scope`], [`adopt`]); only those threads see the
//! cancellation, so the other calls carry on.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::error::{Error, Result};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// The scope of the call this thread works for, if any.
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

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

/// Whether the run on this thread should stop: a signal has arrived, or the
/// scope this thread works in has been cancelled.
pub fn requested() -> bool {
    INTERRUPTED.load(Ordering::Relaxed) || scope_cancelled()
}

fn scope_cancelled() -> bool {
    SCOPE.with(|scope| scope.borrow().as_ref().is_some_and(Scope::is_cancelled))
}

/// Returns [`Error::Interrupted`] once [`requested`].
///
/// # Errors
/// After Ctrl-C or SIGTERM, or once this thread's scope is cancelled.
pub fn check() -> Result<()> {
    if requested() {
        Err(Error::Interrupted { resumable: false })
    } else {
        Ok(())
    }
}

/// An `io::Error` of kind `Interrupted` once [`requested`]: the check of
/// loops whose errors are I/O errors (reading and spilling a file).
///
/// # Errors
/// After Ctrl-C or SIGTERM, or once this thread's scope is cancelled.
pub fn check_io() -> std::io::Result<()> {
    if requested() {
        Err(std::io::Error::new(
            std::io::ErrorKind::Interrupted,
            "interrupted",
        ))
    } else {
        Ok(())
    }
}

/// The interrupt of one call: cancelling it stops the threads in it and no
/// others. Clones share one flag.
#[derive(Debug, Clone, Default)]
pub struct Scope(Arc<AtomicBool>);

impl Scope {
    /// A scope not cancelled.
    pub fn new() -> Self {
        Scope::default()
    }

    /// Asks the threads in this scope to stop, as a signal asks every run.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether [`Scope::cancel`] has been called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Makes this the calling thread's scope until the returned guard is
    /// dropped; the thread then has its previous scope again.
    #[must_use = "the thread leaves the scope when the guard is dropped"]
    pub fn enter(&self) -> Entered {
        Entered(replace_scope(Some(self.clone())))
    }
}

/// A thread's stay in a scope (see [`Scope::enter`]); dropping it leaves.
#[derive(Debug)]
pub struct Entered(Option<Scope>);

impl Drop for Entered {
    fn drop(&mut self) {
        replace_scope(self.0.take());
    }
}

fn replace_scope(scope: Option<Scope>) -> Option<Scope> {
    SCOPE.with(|current| current.replace(scope))
}

/// The scope of the calling thread, if it has one.
pub fn current_scope() -> Option<Scope> {
    SCOPE.with(|scope| scope.borrow().clone())
}

/// `work`, made to run in the calling thread's scope: for a thread this
/// one starts for the same call (`spawn(in_current_scope(work))`).
pub fn in_current_scope<T>(work: impl FnOnce() -> T) -> impl FnOnce() -> T {
    let scope = current_scope();
    move || {
        let _entered = scope.as_ref().map(Scope::enter);
        work()
    }
}

/// Makes `scope` the calling thread's for the rest of its life: for the
/// threads of a pool built for one call.
pub fn adopt(scope: Option<Scope>) {
    replace_scope(scope);
}

#[cfg(test)]
mod tests {
    use super::*;

    // The process-wide flag is left alone: the tests run side by side in
    // one process, and setting it would stop the others' runs.

    /// Runs `work` on a thread of its own and returns its answer.
    fn on_new_thread(work: impl FnOnce() -> bool + Send) -> bool {
        std::thread::scope(|threads| threads.spawn(work).join().unwrap())
    }

    #[test]
    fn a_cancelled_scope_stops_its_threads_and_no_others() {
        let call = Scope::new();
        let other = Scope::new();
        let _entered = call.enter();
        assert!(!requested() && check().is_ok());
        call.cancel();
        assert!(requested());
        assert!(matches!(
            check(),
            Err(Error::Interrupted { resumable: false })
        ));
        assert!(!on_new_thread(|| {
            let _entered = other.enter();
            requested()
        }));
        assert!(!on_new_thread(requested), "a thread outside every scope");
        assert!(!other.is_cancelled());
    }

    #[test]
    fn threads_started_for_a_call_are_in_its_scope() {
        let call = Scope::new();
        let _entered = call.enter();
        let in_scope = in_current_scope(requested);
        let adopted = current_scope();
        call.cancel();
        assert!(on_new_thread(in_scope));
        assert!(on_new_thread(move || {
            adopt(adopted);
            requested()
        }));
    }

    #[test]
    fn leaving_a_scope_gives_the_thread_its_previous_one() {
        let outer = Scope::new();
        let inner = Scope::new();
        let outer_entered = outer.enter();
        {
            let _inner_entered = inner.enter();
            inner.cancel();
            assert!(requested());
        }
        assert!(!requested());
        assert!(current_scope().is_some_and(|scope| Arc::ptr_eq(&scope.0, &outer.0)));
        drop(outer_entered);
        assert!(current_scope().is_none());
    }
}
