//! A run's results: each file's rows (encoded and spilled by `describe::rows`) logged as files finish (`log`), and read back in the output's order (`table`).
//!
//! A file's rows are as many as its columns, or, with `--by`, its columns
//! times its groups: millions for a long table. So no stage holds them
//! all: describing writes them into [`crate::describe::RowWriter`] (spilled past the
//! file's share), the worker appends them to the run's [`log::Log`] (the
//! journal, or a temporary log), and the output is encoded from the log a
//! batch of rows at a time ([`table::Collector::for_each_batch`]).

pub mod log;
pub mod table;

pub use log::{Location, Log};
pub use table::{Batch, Collector, Logged};
