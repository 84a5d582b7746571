//! Who owns the cores: `-j` worker threads of ours, each running Polars inline on itself.
//!
//! Polars 0.55 hands the work of a query to its own global thread pool unless
//! the calling thread has opted out, as its streaming engine's threads do. Our
//! `run` workers opt out too, so each file's scan and statistics run start to
//! finish on the worker that took the file: `-j N` means N busy cores, with no
//! hand-offs and no second pool competing for them. They are plain threads, not
//! rayon's: Polars runs inline through a one-thread rayon pool built on the
//! current thread, which rayon refuses to build on a thread that already
//! belongs to a pool. `generate` does not touch Polars and uses a rayon pool.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::interrupt;

/// Stack size of each `run` worker: Polars' query planning recurses deeply.
const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;

/// The name prefix of worker threads (shown by debuggers and profilers).
const WORKER_NAME: &str = "polarsdesc-worker";

/// The number of cores the machine offers (at least 1).
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Makes Polars run its work on the calling thread instead of handing it to its
/// global pool. Call on a thread that is not a rayon worker.
pub fn run_polars_inline() {
    polars_async::executor::ALLOW_RAYON_THREADS.set(false);
}

/// Cores whose workers have run out of items, lent to the work still
/// running: a large file's blocks are parsed on them. Busy threads never
/// exceed `-j`, since a core is lent only after its worker has finished.
#[derive(Debug, Clone, Default)]
pub struct SpareCores(Arc<AtomicUsize>);

impl SpareCores {
    /// No spare cores, ever (a single file described on its own).
    pub fn none() -> Self {
        SpareCores::default()
    }

    fn give(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }

    /// Borrows a spare core, if there is one; it is given back when the
    /// returned guard is dropped.
    pub fn borrow(&self) -> Option<BorrowedCore> {
        self.0
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |free| {
                free.checked_sub(1)
            })
            .ok()
            .map(|_| BorrowedCore(self.clone()))
    }
}

/// A core borrowed from [`SpareCores`], given back on drop.
#[derive(Debug)]
pub struct BorrowedCore(SpareCores);

/// `work` applied to every item, on the calling thread and on any cores
/// `spare` lends meanwhile (a thread each, up to one per item); results in
/// the items' order.
pub fn map_on_spare_cores<T: Sync, R: Send>(
    items: &[T],
    spare: &SpareCores,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: std::sync::Mutex<Vec<Option<R>>> =
        std::sync::Mutex::new(items.iter().map(|_| None).collect());
    let take_items = || loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(index) else {
            break;
        };
        let result = work(item);
        results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(result);
    };
    std::thread::scope(|scope| {
        for _ in 1..items.len() {
            let Some(core) = spare.borrow() else { break };
            let take_items = &take_items;
            scope.spawn(crate::interrupt::in_current_scope(move || {
                take_items();
                drop(core);
            }));
        }
        take_items();
    });
    (results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter())
    .map(|result| result.expect("every item taken"))
    .collect()
}

/// `(first(), second())`: `first` on a core `spare` lends, meanwhile, if
/// one is free, else on the calling thread before `second`.
pub fn join_on_spare_core<A: Send, B>(
    spare: &SpareCores,
    first: impl FnOnce() -> A + Send,
    second: impl FnOnce() -> B,
) -> (A, B) {
    let Some(core) = spare.borrow() else {
        return (first(), second());
    };
    std::thread::scope(|scope| {
        let first = scope.spawn(crate::interrupt::in_current_scope(move || {
            let result = first();
            drop(core);
            result
        }));
        let second = second();
        let first = first
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    })
}

impl Drop for BorrowedCore {
    fn drop(&mut self) {
        self.0.give();
    }
}

/// Calls `work` with every item (and its index) on `jobs` worker threads that
/// run Polars inline. Each worker takes the next item when it finishes one,
/// so a slow file holds up nothing else; a worker with nothing left to take
/// lends its core to the others through the [`SpareCores`] passed to `work`.
/// The workers are in the caller's interrupt scope (see [`interrupt`]).
///
/// # Errors
/// When the operating system refuses to start a thread.
pub fn for_each_on_workers<T: Sync>(
    jobs: usize,
    items: &[T],
    work: impl Fn(usize, &T, &SpareCores) + Sync,
) -> Result<()> {
    let next = AtomicUsize::new(0);
    let workers = jobs.clamp(1, items.len().max(1));
    // With fewer items than jobs, the cores without a worker are spare at once.
    let spare = SpareCores(Arc::new(AtomicUsize::new(jobs.max(1) - workers)));
    let worker = || {
        run_polars_inline();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else { break };
            work(index, item, &spare);
        }
        spare.give();
    };
    std::thread::scope(|scope| {
        for i in 0..workers {
            std::thread::Builder::new()
                .name(format!("{WORKER_NAME}-{i}"))
                .stack_size(WORKER_STACK_BYTES)
                .spawn_scoped(scope, interrupt::in_current_scope(worker))
                .map_err(|err| thread_error(jobs, &err))?;
        }
        Ok(())
    })
}

/// Keeps panics on worker threads off stderr: the run reports them as the
/// file's error instead (see `summary`), so the user sees one line per file,
/// not a backtrace. Panics elsewhere are reported as usual.
pub fn quiet_worker_panics() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let on_worker = std::thread::current()
            .name()
            .is_some_and(|name| name.starts_with(WORKER_NAME));
        if !on_worker {
            default_hook(info);
        }
    }));
}

/// A rayon pool of `jobs` threads, for work that does not involve Polars. Its
/// threads are in the caller's interrupt scope (see [`interrupt`]): the pool
/// is built for one call.
///
/// # Errors
/// When the operating system refuses to start the threads.
pub fn pool(jobs: usize) -> Result<rayon::ThreadPool> {
    let scope = interrupt::current_scope();
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .thread_name(|i| format!("{WORKER_NAME}-{i}"))
        .start_handler(move |_| interrupt::adopt(scope.clone()))
        .build()
        .map_err(|err| thread_error(jobs, &err))
}

fn thread_error(jobs: usize, err: &dyn std::fmt::Display) -> Error {
    Error::InvalidConfig(format!("cannot start {jobs} worker threads: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The results of `work` over `items`, put back in item order.
    fn run<R: Send + Clone>(jobs: usize, items: &[u64], work: impl Fn(&u64) -> R + Sync) -> Vec<R> {
        let results: Vec<std::sync::Mutex<Option<R>>> =
            items.iter().map(|_| Default::default()).collect();
        for_each_on_workers(jobs, items, |index, item, _| {
            let previous = results[index].lock().unwrap().replace(work(item));
            assert!(previous.is_none(), "item {index} processed twice");
        })
        .unwrap();
        results
            .into_iter()
            .map(|r| r.into_inner().unwrap().expect("every item processed"))
            .collect()
    }

    #[test]
    fn every_item_is_processed_once_whatever_the_jobs() {
        let items: Vec<u64> = (0..200).collect();
        for jobs in [1, 2, 7, 500] {
            let squares = run(jobs, &items, |n| n * n);
            assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        }
        assert!(run(3, &[], |n| *n).is_empty());
    }

    #[test]
    fn finished_workers_lend_their_cores() {
        let items: Vec<u64> = (0..4).collect();
        let lent = std::sync::Mutex::new(Vec::new());
        for_each_on_workers(4, &items, |index, _, spare| {
            if index == 0 {
                // Wait for the three other workers to finish, then borrow their cores.
                std::thread::sleep(std::time::Duration::from_millis(200));
                let borrowed: Vec<BorrowedCore> = std::iter::from_fn(|| spare.borrow()).collect();
                lent.lock().unwrap().push(borrowed.len());
            }
        })
        .unwrap();
        assert_eq!(*lent.lock().unwrap(), [3]);
        // One item, three jobs: the two cores without a worker are spare at once.
        let borrowed = std::sync::Mutex::new(0);
        for_each_on_workers(3, &[0u8], |_, _, spare| {
            let cores: Vec<BorrowedCore> = std::iter::from_fn(|| spare.borrow()).collect();
            *borrowed.lock().unwrap() = cores.len();
        })
        .unwrap();
        assert_eq!(*borrowed.lock().unwrap(), 2);
        let none = SpareCores::none();
        assert!(none.borrow().is_none());
    }

    #[test]
    fn workers_are_in_the_interrupt_scope_of_their_caller() {
        let items: Vec<u64> = (0..8).collect();
        let call = interrupt::Scope::new();
        let entered = call.enter();
        call.cancel();
        assert!(run(2, &items, |_| interrupt::requested())
            .iter()
            .all(|&seen| seen));
        assert!(pool(2).unwrap().install(interrupt::requested));
        drop(entered);
        // Outside that scope (another call's workers), nothing was interrupted.
        assert!(!run(2, &items, |_| interrupt::requested())
            .iter()
            .any(|&seen| seen));
        assert!(!pool(2).unwrap().install(interrupt::requested));
    }

    #[test]
    fn uses_the_requested_number_of_threads() {
        let items: Vec<u64> = (0..64).collect();
        let names = run(3, &items, |_| {
            std::thread::sleep(std::time::Duration::from_millis(2));
            std::thread::current().name().unwrap().to_string()
        });
        let mut distinct: Vec<String> = names.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 3, "{distinct:?}");
    }
}
