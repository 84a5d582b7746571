//! The worker pool that owns the cores: one rayon pool of `-j` threads, files spread across it.

use crate::error::{Error, Result};

/// Stack size of each worker: Polars' query planning recurses deeply enough to
/// overflow rayon's default 2 MiB stacks.
const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;

/// The number of cores the machine offers (at least 1).
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A pool of `jobs` worker threads.
///
/// # Errors
/// When the operating system refuses to start the threads.
pub fn pool(jobs: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .stack_size(WORKER_STACK_BYTES)
        .thread_name(|i| format!("polarsdesc-worker-{i}"))
        .build()
        .map_err(|err| Error::InvalidConfig(format!("cannot start {jobs} worker threads: {err}")))
}
