//! Parquet and Arrow IPC (Feather) files: read by Polars, each column typed as pandas' `read_parquet` and `read_feather` type it, and described as a CSV file's numeric columns are.
//!
//! pandas reads both with pyarrow, whose `to_pandas` decides the types
//! `describe()` then sees (checked with pandas 3.1.1 and pyarrow 26):
//!
//! - float64: float64, nulls as NaN;
//! - integers without nulls keep their type: int64 (summed in blocks, its
//!   percentiles interpolated with int64 differences), int8 to int32 (the
//!   differences wrap at their width, as numpy's do: the median of an int8
//!   column `[-100, 100]` is 128.0), unsigned ones;
//! - integers with a null become float64;
//! - float32 is summed and divided in float32 by numpy: not described yet
//!   (left out, with a warning);
//! - timestamps and durations are described by pandas (as times): not yet
//!   by polarsdesc (left out, with a warning);
//! - booleans, strings, dates, decimals, dictionaries, lists and structs
//!   are not numeric to pandas, and are left out as pandas leaves them out.

use std::fs::File;
use std::io::Cursor;
use std::path::Path;

use polars::prelude::*;
use polars_io::ipc::IpcReader;
use polars_io::mmap::MmapBytesReader;
use polars_io::prelude::{ParquetReader, SerReader};

use super::groups;
use super::large::column::SpooledColumn;
use super::large::spool::Spooled;
use super::{large, Described, FileError, Options};
use crate::parallel::SpareCores;

/// A columnar format polarsdesc reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `*.parquet`.
    Parquet,
    /// Arrow IPC files: `*.arrow`, `*.feather`, `*.ipc`.
    Ipc,
}

impl Format {
    /// The format of a file named `name` (by its extension, in any case).
    pub fn of_name(name: &[u8]) -> Option<Format> {
        let ends = |extension: &str| {
            name.len() > extension.len()
                && super::decompress::ends_with_ignoring_case(name, extension)
        };
        if ends(".parquet") {
            Some(Format::Parquet)
        } else if ends(".arrow") || ends(".feather") || ends(".ipc") {
            Some(Format::Ipc)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Parquet => "Parquet",
            Format::Ipc => "Arrow IPC (Feather)",
        }
    }
}

/// Reads and describes the file at `path`, of `format`.
///
/// # Errors
/// When the file cannot be read or is not of its format, or (with `--by`)
/// a key column is missing or of a type not grouped.
pub(super) fn describe_file(
    path: &Path,
    format: Format,
    options: &Options,
    spare: &SpareCores,
) -> Result<Described, FileError> {
    describe_source(File::open(path)?, format, options, spare)
}

/// Describes the file of `format` whose bytes are `bytes` (an object).
///
/// # Errors
/// As [`describe_file`].
pub(super) fn describe_bytes(
    bytes: Vec<u8>,
    format: Format,
    options: &Options,
    spare: &SpareCores,
) -> Result<Described, FileError> {
    describe_source(Cursor::new(bytes), format, options, spare)
}

/// Reads the columns needed of `source`, of `format`, and describes them.
fn describe_source<R: MmapBytesReader>(
    source: R,
    format: Format,
    options: &Options,
    spare: &SpareCores,
) -> Result<Described, FileError> {
    let unreadable = |error: PolarsError| FileError::Unreadable {
        format: format.name(),
        reason: error.to_string(),
    };
    let (frame, warnings) = match format {
        Format::Parquet => {
            let mut reader = ParquetReader::new(source);
            let schema = reader.schema().map_err(unreadable)?;
            let read = columns_to_read(&schema, options)?;
            let frame = reader.with_columns(Some(read.names)).finish();
            (frame.map_err(unreadable)?, read.warnings)
        }
        Format::Ipc => {
            let mut reader = IpcReader::new(source);
            let schema = reader.schema().map_err(unreadable)?;
            let read = columns_to_read(&schema, options)?;
            let frame = reader.with_columns(Some(read.names)).finish();
            (frame.map_err(unreadable)?, read.warnings)
        }
    };
    describe_frame(&frame, warnings, options, spare)
}

/// What pandas makes of a column of a Parquet or Arrow file's type.
enum Plan {
    /// Numbers `describe()` takes: read.
    Numbers,
    /// Not numeric to pandas: not described (as pandas does not), and read
    /// only as a key.
    NotNumeric,
    /// Described by pandas, not yet by polarsdesc: why.
    LeftOut(&'static str),
}

/// pandas' view of a column of type `dtype` (after pyarrow's `to_pandas`).
fn plan(dtype: &ArrowDataType) -> Plan {
    match dtype {
        ArrowDataType::Float64
        | ArrowDataType::Int8
        | ArrowDataType::Int16
        | ArrowDataType::Int32
        | ArrowDataType::Int64
        | ArrowDataType::UInt8
        | ArrowDataType::UInt16
        | ArrowDataType::UInt32
        | ArrowDataType::UInt64 => Plan::Numbers,
        ArrowDataType::Float16 | ArrowDataType::Float32 => {
            Plan::LeftOut("a float32 or float16 column, which pandas sums in its own type (not done yet)")
        }
        ArrowDataType::Timestamp(..) | ArrowDataType::Duration(_) => {
            Plan::LeftOut("a column of times, which pandas describes as times (not done yet)")
        }
        _ => Plan::NotNumeric,
    }
}

/// Whether a key column of type `dtype` is grouped: 32 and 64 bit
/// integers, floats, booleans, strings.
fn is_groupable(dtype: &ArrowDataType) -> bool {
    matches!(plan(dtype), Plan::Numbers)
        || matches!(
            dtype,
            ArrowDataType::Float32
                | ArrowDataType::Null
                | ArrowDataType::Boolean
                | ArrowDataType::Utf8
                | ArrowDataType::LargeUtf8
                | ArrowDataType::Utf8View
        )
}

/// The columns of a file that are read, and a warning for each column
/// pandas would describe that is left out.
struct ToRead {
    names: Vec<String>,
    warnings: Vec<String>,
}

/// Which columns of a file whose schema is `schema` are read: those
/// described, and the keys.
///
/// # Errors
/// When a key column is missing or of a type not grouped.
fn columns_to_read(schema: &ArrowSchema, options: &Options) -> Result<ToRead, FileError> {
    let mut names = Vec::new();
    let mut warnings = Vec::new();
    for (name, field) in schema.iter() {
        let is_key = options.by.iter().any(|key| key == name.as_str());
        match plan(field.dtype()) {
            Plan::Numbers => names.push(name.to_string()),
            _ if is_key && is_groupable(field.dtype()) => names.push(name.to_string()),
            _ if is_key => {
                return Err(FileError::KeyType {
                    column: name.to_string(),
                    dtype: format!("{:?}", field.dtype()),
                })
            }
            Plan::NotNumeric => {}
            Plan::LeftOut(reason) => {
                warnings.push(format!("column '{name}' is {reason}; it is left out"))
            }
        }
    }
    if let Some(missing) = (options.by.iter()).find(|key| !schema.contains(key.as_str())) {
        let all: Vec<String> = schema.iter_names().map(|name| name.to_string()).collect();
        return Err(FileError::MissingKey {
            name: missing.clone(),
            columns: super::quoted_names(&all),
        });
    }
    Ok(ToRead { names, warnings })
}

/// The statistics of `frame`'s numeric columns (per group with `--by`).
fn describe_frame(
    frame: &DataFrame,
    mut warnings: Vec<String>,
    options: &Options,
    spare: &SpareCores,
) -> Result<Described, FileError> {
    let mut numeric = Vec::new();
    for column in frame.columns() {
        if let Some(column) = pandas_column(column)? {
            numeric.push(column);
        }
    }
    if options.by.is_empty() {
        let columns = large::describe_columns(&numeric, options, spare)?;
        if columns.is_empty() {
            warnings.push("no numeric column: nothing to describe".into());
        }
        return Ok(Described {
            columns,
            warnings,
            groups: None,
        });
    }
    let keys = (options.by.iter())
        .map(|name| frame.column(name))
        .collect::<PolarsResult<Vec<&Column>>>()?;
    let keys = groups::polars_keys(&keys)?;
    let (columns, groups, left_out) = groups::describe_groups(keys, &numeric, options, spare)?;
    super::group_warnings(&mut warnings, left_out, columns.is_empty(), &groups);
    Ok(Described {
        columns,
        warnings,
        groups: Some(groups),
    })
}

/// `column` as `describe()` takes it, if it is numeric to pandas (see
/// [`plan`]: only such columns and keys are read).
fn pandas_column(column: &Column) -> PolarsResult<Option<SpooledColumn>> {
    let series = column.as_materialized_series();
    let dtype = series.dtype();
    let name = column.name().to_string();
    let read = match dtype {
        DataType::Float64 => float_column(name, series)?,
        integer if integer.is_integer() && series.null_count() > 0 => {
            // pyarrow gives integers with a null as float64.
            float_column(name, &series.cast(&DataType::Float64)?)?
        }
        DataType::UInt64 => {
            let mut column = float_column(name, &series.cast(&DataType::Float64)?)?;
            column.integer_kind = true;
            column
        }
        integer if integer.is_integer() => {
            // int8 to int32: differences wrap at their width. Unsigned ones
            // below 64 bits: sorted differences are never negative, and fit.
            let bits = match integer {
                DataType::Int8 => 8,
                DataType::Int16 => 16,
                DataType::Int32 => 32,
                _ => 64,
            };
            let integers: Vec<i64> =
                (series.cast(&DataType::Int64)?.i64()?.into_no_null_iter()).collect();
            let mut column = float_column(name, &series.cast(&DataType::Float64)?)?;
            column.integers = Some(Spooled::Held(integers));
            column.integer_kind = true;
            column.integer_bits = bits;
            column
        }
        _ => return Ok(None),
    };
    Ok(Some(read))
}

/// A float64 column's values in row order, nulls and NaN as NaN (pandas'
/// missing values).
fn float_column(name: String, series: &Series) -> PolarsResult<SpooledColumn> {
    let values: Vec<f64> = (series.f64()?.iter())
        .map(|value| value.unwrap_or(f64::NAN))
        .collect();
    let (mut count, mut min, mut max) = (0, f64::INFINITY, f64::NEG_INFINITY);
    for &value in values.iter().filter(|v| !v.is_nan()) {
        count += 1;
        min = min.min(value);
        max = max.max(value);
    }
    Ok(SpooledColumn {
        name,
        values: Spooled::Held(values),
        integers: None,
        integer_kind: false,
        integer_bits: 64,
        count,
        min,
        max,
    })
}
