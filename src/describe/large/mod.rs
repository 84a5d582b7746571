//! A column of any length in memory that does not grow with it, with the same numbers as a short one's.
//!
//! A reader hands each numeric column's values over in row order, into a
//! spool per column (`spool`): held in memory up to the file's share of the
//! memory ceiling, spilled to an unnamed temporary file beyond it. Then each
//! column's statistics are taken from its spool (`column`: numpy's pairwise
//! sums, streamed; exact order statistics by histogram passes, `select`),
//! columns on every core. A text column's values, for `--by`, are spooled
//! so too (`texts`).

pub mod column;
pub mod select;
pub mod spool;
pub mod texts;

use std::io;

use super::stats::ColumnStats;
use super::Options;
use crate::parallel::SpareCores;
use column::SpooledColumn;

/// The statistics of `columns`, each on the calling thread or a core
/// `spare` lends, in column order.
///
/// # Errors
/// When spilled values cannot be read back.
pub fn describe_columns(
    columns: &[SpooledColumn],
    options: &Options,
    spare: &SpareCores,
) -> io::Result<Vec<ColumnStats>> {
    let limit = options.memory.selection_limit();
    crate::parallel::map_on_spare_cores(columns, spare, |column| {
        column.describe(&options.percentiles, limit)
    })
    .into_iter()
    .collect()
}
