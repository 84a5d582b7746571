//! A columnar file's columns read a batch at a time (Parquet: of row groups; Arrow IPC: of record batches), and its numeric columns spooled as pandas types them.
//!
//! A batch is a run of whole row groups of at least [`BATCH_ROWS`] rows (or
//! the rest of the file): what a batch's Arrow buffers take is bounded by
//! the writer's row groups, and what is kept of it (the values, in row
//! order) is spilled past the file's share of `--max-memory`, as a large
//! CSV file's values are.

use std::fs::File;
use std::io::{Cursor, Read, Seek};

use polars::prelude::*;
use polars_arrow::io::ipc::read::{read_file_metadata, FileReader};
use polars_io::mmap::MmapBytesReader;
use polars_io::prelude::{ParquetReader, SerReader};

use super::{unreadable, Format, Source};
use crate::describe::large::column::SpooledColumn;
use crate::describe::large::spool::Spool;
use crate::read::FileError;

/// The fewest rows read at a time (whole row groups are read).
pub(super) const BATCH_ROWS: usize = 1 << 20;

/// Calls `visit` with the columns `names` of the file in `source`, of
/// `format`, a batch of row groups at a time, in row order.
///
/// # Errors
/// When the file cannot be read or is not of its format, or `visit` fails.
pub(super) fn for_each_batch(
    source: Source,
    format: Format,
    names: &[String],
    held_values: usize,
    visit: &mut dyn FnMut(DataFrame) -> Result<(), FileError>,
) -> Result<(), FileError> {
    // An Arrow IPC file's record batches are gathered up to the values the
    // share holds (and BATCH_ROWS rows).
    let rows = (held_values / names.len().max(1)).clamp(1, BATCH_ROWS);
    match (source, format) {
        (Source::File(path), Format::Parquet) => parquet_batches(|| File::open(path), names, visit),
        (Source::Bytes(bytes), Format::Parquet) => {
            parquet_batches(|| Ok(Cursor::new(bytes)), names, visit)
        }
        (Source::File(path), Format::Ipc) => ipc_batches(
            std::io::BufReader::new(File::open(path)?),
            names,
            rows,
            visit,
        ),
        (Source::Bytes(bytes), Format::Ipc) => ipc_batches(Cursor::new(bytes), names, rows, visit),
    }
}

/// The Arrow IPC file `reader` reads, its record batches gathered into
/// batches of at least `rows` rows (`to_feather` writes record batches of
/// 65,536 rows), so that memory holds a batch, not the file.
fn ipc_batches<R: Read + Seek>(
    mut reader: R,
    names: &[String],
    rows: usize,
    visit: &mut dyn FnMut(DataFrame) -> Result<(), FileError>,
) -> Result<(), FileError> {
    let failed = |error| unreadable(Format::Ipc, error);
    let metadata = read_file_metadata(&mut reader).map_err(failed)?;
    let mut projection = (names.iter())
        .map(|name| {
            (metadata.schema.index_of(name))
                .ok_or_else(|| failed(polars_err!(ColumnNotFound: "{name}")))
        })
        .collect::<Result<Vec<usize>, FileError>>()?;
    projection.sort_unstable();
    let mut pending: Option<DataFrame> = None;
    for batch in FileReader::new(reader, metadata, Some(projection), None) {
        let frame = DataFrame::from(batch.map_err(failed)?);
        match &mut pending {
            Some(gathered) => {
                gathered.vstack_mut_owned(frame)?;
            }
            None => pending = Some(frame),
        }
        if pending
            .as_ref()
            .is_some_and(|gathered| gathered.height() >= rows)
        {
            visit(pending.take().expect("gathered"))?;
        }
    }
    match pending {
        Some(rest) => visit(rest),
        // No batch at all: the columns without rows.
        None => Ok(()),
    }
}

/// The Parquet file `open` opens, read in batches of whole row groups.
fn parquet_batches<R: MmapBytesReader>(
    open: impl Fn() -> std::io::Result<R>,
    names: &[String],
    visit: &mut dyn FnMut(DataFrame) -> Result<(), FileError>,
) -> Result<(), FileError> {
    let metadata = ParquetReader::new(open()?)
        .get_metadata()
        .map_err(|error| unreadable(Format::Parquet, error))?
        .clone();
    let group_rows: Vec<usize> = (metadata.row_groups.iter())
        .map(|group| group.num_rows())
        .collect();
    let (mut start, mut rows) = (0, 0);
    for (index, group) in group_rows.iter().enumerate() {
        rows += group;
        if rows < BATCH_ROWS && index + 1 < group_rows.len() {
            continue;
        }
        let mut reader = ParquetReader::new(open()?);
        reader.set_metadata(metadata.clone());
        let frame = reader
            .with_columns(Some(names.to_vec()))
            .with_slice(Some((start, rows)))
            .finish()
            .map_err(|error| unreadable(Format::Parquet, error))?;
        visit(frame)?;
        (start, rows) = (start + rows, 0);
    }
    Ok(())
}

/// A numeric column being read: its values as float64 (pandas' missing
/// values as NaN) and, for an integer column, as int64.
pub(super) struct NumberColumn {
    name: String,
    dtype: Option<DataType>,
    values: Spool<f64>,
    integers: Spool<i64>,
    nulls: bool,
    count: usize,
    min: f64,
    max: f64,
}

impl NumberColumn {
    pub(super) fn new(name: &str) -> NumberColumn {
        NumberColumn {
            name: name.to_string(),
            dtype: None,
            values: Spool::default(),
            integers: Spool::default(),
            nulls: false,
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    pub(super) fn name(&self) -> &str {
        &self.name
    }

    /// The bytes its values hold in memory.
    pub(super) fn held_bytes(&self) -> usize {
        self.values.held_bytes() + self.integers.held_bytes()
    }

    /// Moves its values to temporary files.
    ///
    /// # Errors
    /// When a temporary file cannot be made or written.
    pub(super) fn spill(&mut self) -> std::io::Result<()> {
        self.values.spill()?;
        self.integers.spill()
    }

    /// Adds the next rows' values, `column` (of the same type in every batch).
    ///
    /// # Errors
    /// When the values cannot be cast (a bug) or spilled.
    pub(super) fn push(&mut self, column: &Column) -> Result<(), FileError> {
        let series = column.as_materialized_series();
        let dtype = self.dtype.get_or_insert_with(|| series.dtype().clone());
        if !(dtype.is_float() || dtype.is_integer()) {
            return Ok(());
        }
        let is_int64_kind = dtype.is_integer() && *dtype != DataType::UInt64;
        self.nulls |= series.null_count() > 0;
        let values = float_values(&series.cast(&DataType::Float64)?)?;
        for &value in values.iter().filter(|v| !v.is_nan()) {
            self.count += 1;
            self.min = self.min.min(value);
            self.max = self.max.max(value);
        }
        self.values.extend(&values)?;
        if is_int64_kind {
            let cast = series.cast(&DataType::Int64)?;
            let integers: Vec<i64> = cast.i64()?.iter().map(|v| v.unwrap_or(0)).collect();
            self.integers.extend(&integers)?;
        }
        Ok(())
    }

    /// The column as `describe()` takes it, typed as pyarrow's `to_pandas`
    /// types it; `None` when it is not numeric.
    ///
    /// # Errors
    /// When the spilled values cannot be written.
    pub(super) fn finish(self) -> Result<Option<SpooledColumn>, FileError> {
        let dtype = self.dtype.unwrap_or(DataType::Float64);
        if !(dtype.is_float() || dtype.is_integer()) {
            return Ok(None);
        }
        // pyarrow gives integers with a null as float64; uint64 is summed
        // as integers, without int64 differences; int8 to int32 differences
        // wrap at their width, unsigned ones below 64 bits never do.
        let integer_kind = dtype.is_integer() && !self.nulls;
        let integers = (integer_kind && dtype != DataType::UInt64).then_some(self.integers);
        let integer_bits = match dtype {
            DataType::Int8 => 8,
            DataType::Int16 => 16,
            DataType::Int32 => 32,
            _ => 64,
        };
        Ok(Some(SpooledColumn {
            name: self.name,
            float32: dtype == DataType::Float32,
            float16: dtype == DataType::Float16,
            values: self.values.finish()?,
            integers: integers.map(Spool::finish).transpose()?,
            integer_kind,
            integer_bits,
            count: self.count,
            min: self.min,
            max: self.max,
        }))
    }
}

/// A float64 column's values in row order, nulls and NaN as NaN (pandas'
/// missing values), copied chunk by chunk.
fn float_values(series: &Series) -> PolarsResult<Vec<f64>> {
    let mut values: Vec<f64> = Vec::with_capacity(series.len());
    for chunk in series.f64()?.downcast_iter() {
        let start = values.len();
        values.extend_from_slice(chunk.values());
        if let Some(validity) = chunk.validity().filter(|mask| mask.unset_bits() > 0) {
            for (value, valid) in values[start..].iter_mut().zip(validity.iter()) {
                if !valid {
                    *value = f64::NAN;
                }
            }
        }
    }
    Ok(values)
}
