//! Describing: pandas' `describe()` of the values a reader hands over, knowing nothing of file formats.
//!
//! The readers (`crate::read`, one per format) turn a file into its
//! columns as pandas' reader of that format types them, and hand them over
//! here: numbers spooled in row order ([`large::spool`]), text and bool
//! values tallied ([`categorical`]), key columns as distinct values and each
//! row's ([`groups::distinct`]). This module computes the statistics:
//!
//! - [`stats`]: **the describe maths** (count, mean, std, min, max; float32
//!   and float16 as numpy computes them), with numpy's pairwise sums
//!   (`pairwise`) and linear quantiles (`quantiles`) of selected order
//!   statistics; `percentiles` names them as pandas does;
//! - [`large`]: a column of any length in bounded memory (`spool` held or
//!   spilled, `select` order statistics by histogram passes, `column` its
//!   statistics);
//! - [`categorical`]: count, unique, top, freq of text and bool columns
//!   (`tally` in order of first appearance, `spill` past its memory);
//! - [`groups`]: pandas' `groupby(keys).describe()` order and each group's
//!   statistics;
//! - [`include`]: which kinds of column `--include`/`--exclude` select;
//!   [`memory`]: a file's share of `--max-memory`;
//! - [`row`], [`rows`]: the rows a file's description makes, in binary,
//!   held within the file's share and spilled past it.

pub mod categorical;
mod error;
pub mod groups;
pub mod include;
pub mod large;
pub mod memory;
mod pairwise;
mod percentiles;
mod quantiles;
pub mod row;
pub mod rows;
pub mod stats;

use std::io;
use std::path::PathBuf;

pub use error::DescribeError;
pub use include::{Include, Kind};
pub use memory::{ceiling_warning, MemoryShare};
pub use percentiles::Percentiles;
pub use row::Row;
pub use rows::{RowWriter, Rows};
pub use stats::ColumnStats;

/// How files are read and described: the options that change results, and
/// the memory one file may take (which does not).
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Percentiles to report besides count, mean, std, min and max.
    pub percentiles: Percentiles,
    /// The field separator (pandas' `sep`, a comma by default).
    pub separator: u8,
    /// The kinds of column described (numbers by default).
    pub include: Include,
    /// The key columns of `--by` (pandas' names): each file described per
    /// group of their values, as pandas' `groupby(by).describe()`; empty
    /// for a whole file.
    pub by: Vec<String>,
    /// The memory one file may take.
    pub memory: MemoryShare,
}

impl Default for Options {
    /// pandas' defaults (quartiles, commas), and the default ceiling shared
    /// by a worker per core.
    fn default() -> Self {
        Options {
            percentiles: Percentiles::default(),
            separator: b',',
            include: Include::default(),
            by: Vec::new(),
            memory: MemoryShare::of(
                MemoryShare::DEFAULT_CEILING,
                crate::parallel::available_cores(),
            ),
        }
    }
}

/// The statistics of one file.
#[derive(Debug)]
pub struct FileSummary {
    /// The file, as it was named on the command line or found in a folder.
    pub path: PathBuf,
    /// The file's name without its extensions: "ab" for `data/ab.csv.gz`.
    pub label: String,
    /// One row per column described, in file order; with `--by`, the
    /// columns of each group, groups in pandas' order.
    pub rows: Rows,
    /// Things the user should know that did not stop the file (a column left
    /// out because it holds text, as pandas would leave it out).
    pub warnings: Vec<String>,
    /// With `--by`: the key columns, and their types in this file.
    pub keys: Option<Vec<groups::KeyColumn>>,
}

impl FileSummary {
    /// The rows, decoded (for a file's rows held whole: tests, tools).
    ///
    /// # Errors
    /// When spilled rows cannot be read back.
    pub fn decoded(&self) -> io::Result<Vec<Row>> {
        let key_types: Vec<groups::KeyType> = (self.keys.iter().flatten())
            .map(|key| key.key_type)
            .collect();
        self.rows.decode_all(&key_types)
    }
}
