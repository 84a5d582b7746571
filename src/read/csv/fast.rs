//! The fast path of a small file: Polars' CSV parser reads the numeric columns, where every block is plain and the values it parses are ordinary.

use polars::prelude::*;

use super::body::CsvFile;
use super::{layout, scan};
use crate::describe::{stats, ColumnStats, Options};
use crate::parallel::SpareCores;
use crate::read::FileError;

/// The fast path: Polars parses the numeric columns, first without pandas'
/// missing-value strings (a string comparison per field), then with them if
/// the file needs them (it fails to parse, or holds NaN: Polars reads "nan"
/// as NaN). `None` when the file needs pandas' exact rules: a block that is
/// not plain, a value that does not parse, or values Polars and pandas may
/// read differently.
pub(super) fn describe(
    file: &CsvFile,
    layout: &layout::Layout,
    options: &Options,
    spare: &SpareCores,
) -> Result<Option<Vec<ColumnStats>>, FileError> {
    // Polars sees the columns by position ("c3"), never by the file's names:
    // a name such as "*" or "^x$" would be read as a wildcard or a regex.
    let names: Vec<String> = layout
        .numeric
        .iter()
        .map(|&i| scan::column_name(i))
        .collect();
    for pandas_nulls in [false, true] {
        let scanned = scan::scan(file, layout, &layout.numeric, pandas_nulls, spare)?
            .select(
                names
                    .iter()
                    .map(|name| col(name.as_str()))
                    .collect::<Vec<_>>(),
            )
            .collect();
        let Ok(parsed) = scanned else { continue };
        let mut columns = Vec::with_capacity(names.len());
        for (name, &position) in names.iter().zip(&layout.numeric) {
            match ordinary_values(parsed.column(name)?)? {
                Ordinary::Yes(values) => columns.push(stats::describe_column(
                    &layout.names[position],
                    &values,
                    &options.percentiles,
                    stats::Kind::Float,
                )),
                Ordinary::NaN if !pandas_nulls => break,
                Ordinary::NaN | Ordinary::Unusual => return Ok(None),
            }
        }
        if columns.len() == names.len() {
            return Ok(Some(columns));
        }
    }
    Ok(None)
}

/// What the fast path parsed in one column.
pub(super) enum Ordinary {
    /// Values in row order, NaN where missing.
    Yes(Vec<f64>),
    /// A NaN: a spelling of NaN, missing to pandas or text.
    NaN,
    /// An infinity (pandas reads " inf" as text), or a magnitude of 2^62 or
    /// more (an integer pandas may not take as a number, or whose int64
    /// percentiles wrap around).
    Unusual,
}

/// The values of a parsed column, if they are ordinary.
pub(super) fn ordinary_values(column: &Column) -> PolarsResult<Ordinary> {
    let parsed = column.as_materialized_series().f64()?;
    let mut values = Vec::with_capacity(parsed.len());
    for chunk in parsed.downcast_iter() {
        let start = values.len();
        values.extend_from_slice(chunk.values());
        if chunk.validity().is_some_and(|mask| mask.unset_bits() > 0) {
            // Missing values become NaN (after checking the others).
            let validity = chunk.validity().expect("nulls have a validity mask");
            for (value, valid) in values[start..].iter_mut().zip(validity.iter()) {
                if !valid {
                    *value = 0.0;
                }
            }
            let unusual = unusual(&values[start..]);
            for (value, valid) in values[start..].iter_mut().zip(validity.iter()) {
                if !valid {
                    *value = f64::NAN;
                }
            }
            if let Some(unusual) = unusual {
                return Ok(unusual);
            }
        } else if let Some(unusual) = unusual(&values[start..]) {
            return Ok(unusual);
        }
    }
    Ok(Ordinary::Yes(values))
}

/// Whether parsed values hold a NaN or another unusual value.
fn unusual(values: &[f64]) -> Option<Ordinary> {
    const WIDE: f64 = 4_611_686_018_427_387_904.0; // 2^62
                                                   // One test for the common case: NaN and infinity fail it too.
    if values.iter().all(|v| v.abs() < WIDE) {
        return None;
    }
    Some(if values.iter().any(|v| v.is_nan()) {
        Ordinary::NaN
    } else {
        Ordinary::Unusual
    })
}
