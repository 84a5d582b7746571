//! polarsdesc: pandas-exact `describe()` statistics for every CSV in a folder, with Polars, in parallel.
//!
//! The library behind the `polarsdesc` command. It takes plain configuration
//! ([`config::RunConfig`], [`config::GenerateConfig`]) and never sees the
//! command line:
//!
//! - [`generate()`] writes the demo data set, one pandas-shaped CSV per label;
//! - [`run()`] describes every input file on a pool of worker threads and
//!   writes one tidy table (see [`summary::table`]);
//! - [`bench()`] measures how much faster parallelism makes `run`.
//!
//! One file is read by its format's reader in [`read`] and described in
//! [`describe`] (which knows nothing of formats), the maths in
//! [`describe::stats`].

pub mod atomic;
pub mod bench;
pub mod config;
pub mod describe;
pub mod destination;
pub mod error;
pub mod formats;
pub mod generate;
pub mod interrupt;
pub mod merge;
pub mod output;
pub mod parallel;
pub mod progress;
pub mod pyfloat;
pub mod read;
pub mod results;
pub mod shards;
pub mod sources;
pub mod summary;
pub mod temporary;
pub mod thresholds;

pub use bench::{bench, BenchReport};
pub use error::{Error, ExitCode, Result};
pub use generate::{generate, GenerateReport};
pub use merge::{merge, MergeReport};
pub use summary::{run, RunReport};

/// The version of Polars this polarsdesc is built on (for `--version`).
pub const POLARS_VERSION: &str = polars::VERSION;
