//! Parquet and Arrow IPC (Feather) files: read by Polars, each column typed as pandas' `read_parquet` and `read_feather` type it, and described as a CSV file's columns are.
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
//! - float32 keeps its type: pandas computes its mean in float32, its std
//!   and percentiles partly so (`stats::Float32Rules`);
//! - float16 keeps its type: pandas computes its std and percentiles
//!   partly in float16 (`stats::Float16Rules`);
//! - timestamps and durations are described by pandas (as times): not yet
//!   by polarsdesc (left out, with a warning);
//! - strings (pandas' `str`) and booleans (`bool`, `object` with a null)
//!   are not numeric: described with `--include` text or bool (and by
//!   default in a file with neither numbers nor times), as pandas does
//!   (`text`);
//! - dictionaries of strings are pandas' `category`: described with
//!   `--include category` or `all` (and by default in a file with neither
//!   numbers nor times), counted per category in the dictionary's order
//!   (`categories`); dictionaries of other values are left out (a warning);
//! - dates, decimals, bytes, lists and structs are pandas' objects: left
//!   out (with a warning when `--include` asks for them; not done yet).

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;

use polars::prelude::*;
use polars_io::ipc::IpcReader;
use polars_io::mmap::MmapBytesReader;
use polars_io::prelude::{ParquetReader, SerReader};

mod batches;
mod categories;
pub mod keys;
mod text;

use self::batches::{for_each_batch, NumberColumn};
pub(super) use self::text::{TextColumns, TextType};
use super::{Described, FileError};
use crate::describe::large::{self, column::SpooledColumn};
use crate::describe::{groups, Include, Options};
use crate::parallel::SpareCores;
use keys::PolarsKey;

pub use crate::formats::Columnar as Format;

/// Where a file's bytes are: each reading opens it anew.
#[derive(Clone, Copy)]
enum Source<'a> {
    File(&'a Path),
    Bytes(&'a [u8]),
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
    describe_source(Source::File(path), format, options, spare)
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
    describe_source(Source::Bytes(&bytes), format, options, spare)
}

/// The columns of the file in `source` that pandas restores as the frame's
/// index (`pandas` metadata, `index_columns`: what `to_parquet` and
/// `to_feather` of a frame with an index store, `__index_level_0__` for an
/// unnamed one): `describe()` leaves them out. None when the file has no
/// such metadata, or it cannot be read (then the file's reading fails on
/// its own).
fn pandas_index_columns(source: Source, format: Format) -> Vec<String> {
    let metadata = match (source, format) {
        (Source::File(path), _) => File::open(path)
            .ok()
            .and_then(|file| pandas_metadata(file, format)),
        (Source::Bytes(bytes), _) => pandas_metadata(Cursor::new(bytes), format),
    };
    let Some(metadata) = metadata else {
        return Vec::new();
    };
    let Ok(metadata) = serde_json::from_str::<serde_json::Value>(&metadata) else {
        return Vec::new();
    };
    // A RangeIndex is stored as a description, not a column.
    (metadata["index_columns"].as_array().into_iter().flatten())
        .filter_map(|column| column.as_str().map(String::from))
        .collect()
}

/// The `pandas` entry of a file's metadata (Parquet key-value metadata,
/// Arrow IPC schema metadata).
fn pandas_metadata<R: MmapBytesReader>(reader: R, format: Format) -> Option<String> {
    match format {
        Format::Parquet => {
            let mut reader = ParquetReader::new(reader);
            let metadata = reader.get_metadata().ok()?;
            (metadata.key_value_metadata().as_ref()?.iter())
                .find(|pair| pair.key == "pandas")
                .and_then(|pair| pair.value.clone())
        }
        Format::Ipc => {
            let metadata = IpcReader::new(reader).custom_metadata().ok()??;
            metadata.get("pandas").map(|value| value.to_string())
        }
    }
}

/// The schema of the file in `source`.
///
/// # Errors
/// When the file is not of its format, saying what it is instead when that
/// can be told (empty, an Arrow IPC stream rather than a file).
fn schema_of(source: Source, format: Format) -> Result<std::sync::Arc<ArrowSchema>, FileError> {
    let start = match source {
        Source::File(path) => {
            let mut start = Vec::with_capacity(8);
            File::open(path)?.take(8).read_to_end(&mut start)?;
            start
        }
        Source::Bytes(bytes) => bytes[..bytes.len().min(8)].to_vec(),
    };
    if let Some(reason) = not_of_format(&start, format) {
        return Err(FileError::Unreadable {
            format: format.name(),
            reason,
        });
    }
    match source {
        Source::File(path) => schema_with(File::open(path)?, format),
        Source::Bytes(bytes) => schema_with(Cursor::new(bytes), format),
    }
}

/// What a file that starts with `start` is, when it is plainly not of
/// `format`: empty, or an Arrow IPC stream (which `pyarrow.ipc.new_stream`
/// writes: no `ARROW1` magic, a continuation marker first).
fn not_of_format(start: &[u8], format: Format) -> Option<String> {
    if start.is_empty() {
        return Some("the file is empty (0 bytes)".into());
    }
    match format {
        Format::Ipc if start.starts_with(&[0xFF, 0xFF, 0xFF, 0xFF]) => Some(
            "it is an Arrow IPC stream, not an Arrow IPC file (Feather): pandas' read_feather \
             does not read streams either; write it with pyarrow.feather.write_feather or \
             pyarrow.ipc.new_file"
                .into(),
        ),
        Format::Ipc if start.starts_with(b"FEA1") => Some(
            "it is a Feather version 1 file, which is not read yet (pandas reads it): write it \
             again with pandas' to_feather (version 2)"
                .into(),
        ),
        Format::Ipc if !start.starts_with(b"ARROW1") => {
            Some("it does not start as an Arrow IPC file (Feather v2) does (ARROW1)".into())
        }
        Format::Parquet if !start.starts_with(b"PAR1") => {
            Some("it does not start as a Parquet file does (PAR1)".into())
        }
        _ => None,
    }
}

fn schema_with<R: MmapBytesReader>(
    reader: R,
    format: Format,
) -> Result<std::sync::Arc<ArrowSchema>, FileError> {
    match format {
        Format::Parquet => ParquetReader::new(reader).schema(),
        Format::Ipc => IpcReader::new(reader).schema(),
    }
    .map_err(|error| unreadable(format, error))
}

fn unreadable(format: Format, error: PolarsError) -> FileError {
    let reason = error.to_string();
    // pyarrow writes pandas' code -1 under a missing category; Polars'
    // Arrow reader checks the keys under nulls too, and refuses it.
    let reason = match reason.contains("dictionary key must fit") {
        true => "a category (dictionary) column has missing values, whose keys (-1, as \
                 pyarrow writes them) Polars' Arrow IPC reader refuses: not read yet (the \
                 same frame written as Parquet is read)"
            .into(),
        false => reason,
    };
    FileError::Unreadable {
        format: format.name(),
        reason,
    }
}

/// Reads the columns needed of `source`, of `format`, and describes them:
/// the keys on a lent core (if one is free) while the numeric columns are
/// read here.
fn describe_source(
    source: Source,
    format: Format,
    options: &Options,
    spare: &SpareCores,
) -> Result<Described, FileError> {
    let index = pandas_index_columns(source, format);
    let schema = schema_of(source, format)?;
    let ToRead {
        numbers,
        texts,
        order,
        include,
        warnings,
    } = columns_to_read(&schema, &index, options)?;
    // A category key's groups come in its categories' order.
    let mut key_categories = Vec::with_capacity(options.by.len());
    for key in &options.by {
        let dtype = schema.get(key.as_str()).map(|field| field.dtype());
        key_categories.push(match dtype.and_then(TextType::of_arrow) {
            Some(TextType::Category) => Some(categories_of(source, format, key)?),
            _ => None,
        });
    }
    let held_values = options.memory.held_values();
    let (keys, numeric) = crate::parallel::join_on_spare_core(
        spare,
        || -> Result<Option<groups::KeyRows>, FileError> {
            if options.by.is_empty() {
                return Ok(None);
            }
            let mut keys: Vec<Option<PolarsKey>> = options.by.iter().map(|_| None).collect();
            for_each_batch(source, format, &options.by, held_values, &mut |frame| {
                let named = keys.iter_mut().zip(&options.by).zip(&mut key_categories);
                for ((key, name), categories) in named {
                    let column = frame.column(name)?;
                    if key.is_none() {
                        *key = Some(match categories.take() {
                            Some(categories) => PolarsKey::category(categories),
                            None => PolarsKey::new(name, column.dtype())?,
                        });
                    }
                    key.as_mut().expect("made").push(column, held_values)?;
                }
                Ok(())
            })?;
            // A file without rows: keys without rows.
            let keys = (keys.into_iter().zip(&options.by))
                .map(|(key, name)| key.map_or_else(|| PolarsKey::new(name, &DataType::Null), Ok))
                .collect::<Result<Vec<_>, FileError>>()?;
            Ok(Some(keys::polars_key_rows(keys)?))
        },
        || -> Result<(Vec<SpooledColumn>, TextColumns), FileError> {
            let mut columns: Vec<NumberColumn> =
                numbers.iter().map(|name| NumberColumn::new(name)).collect();
            let mut texts = text_columns(source, format, texts, options)?;
            if !options.by.is_empty() {
                texts = texts.spooled();
            }
            let names: Vec<String> = numbers.iter().chain(texts.names()).cloned().collect();
            if !names.is_empty() {
                for_each_batch(source, format, &names, held_values, &mut |frame| {
                    for column in columns.iter_mut() {
                        column.push(frame.column(column.name())?)?;
                    }
                    texts.push(&frame)?;
                    let held = columns.iter().map(NumberColumn::held_bytes).sum::<usize>()
                        + texts.held_bytes();
                    if held > held_values * 8 {
                        columns.iter_mut().try_for_each(NumberColumn::spill)?;
                        texts.spill()?;
                    }
                    Ok(())
                })?;
            }
            let mut numeric = Vec::with_capacity(columns.len());
            for column in columns {
                numeric.extend(column.finish()?);
            }
            Ok((numeric, texts))
        },
    );
    let (numeric, texts) = numeric?;
    match keys? {
        Some(keys) => {
            let texts = texts.finish_spooled(spare)?;
            let columns = groups::GroupedColumns {
                numeric: &numeric,
                texts: &texts,
                order: &order,
            };
            described(keys, columns, include, warnings, options, spare)
        }
        None => whole_file(&numeric, texts, &order, include, warnings, options, spare),
    }
}

/// The tallies of the text, boolean and category columns `texts` of the
/// file in `source`, of `format`, their categories read first.
///
/// # Errors
/// When a dictionary cannot be read, or its categories take more than the
/// share's distinct values may.
fn text_columns(
    source: Source,
    format: Format,
    texts: Vec<(String, TextType)>,
    options: &Options,
) -> Result<TextColumns, FileError> {
    let (categories, tallied): (Vec<_>, Vec<_>) =
        (texts.into_iter()).partition(|(_, text_type)| *text_type == TextType::Category);
    let mut texts = TextColumns::new(tallied, options);
    for (name, _) in categories {
        texts.with_category(&name, categories_of(source, format, &name)?, options)?;
    }
    Ok(texts)
}

/// The categories of the dictionary column `name`, of strings by its type.
///
/// # Errors
/// When the dictionary cannot be read or turns out not to hold strings.
fn categories_of(source: Source, format: Format, name: &str) -> Result<Vec<String>, FileError> {
    categories::categories(source, format, name)?.ok_or_else(|| FileError::Unreadable {
        format: format.name(),
        reason: format!("the dictionary of column '{name}' does not hold strings"),
    })
}

/// A Parquet, Arrow or NDJSON file described whole: its `numeric` columns (if
/// `include` takes numbers) and its `texts` (those `include` selects), in
/// the file's `order`.
///
/// # Errors
/// When the memory share cannot hold a column.
pub(super) fn whole_file(
    numeric: &[SpooledColumn],
    texts: TextColumns,
    order: &[String],
    include: Include,
    mut warnings: Vec<String>,
    options: &Options,
    spare: &SpareCores,
) -> Result<Described, FileError> {
    let numbers = match include.numbers {
        true => large::describe_columns(numeric, options, spare)?,
        false => Vec::new(),
    };
    let texts = texts.finish(include, options, spare)?;
    let rows = text::in_file_order(numbers, texts, order);
    if rows.is_empty() {
        warnings.push(nothing_to_describe(include));
    }
    Ok(Described::whole(&rows, warnings))
}

/// A typed file's `columns` that `include` selects described per group of
/// `keys` (`--by`), after the `warnings` of reading.
///
/// # Errors
/// When the key columns hold too many distinct values, or the memory
/// share cannot hold a column.
pub(super) fn described(
    keys: groups::KeyRows,
    columns: groups::GroupedColumns<'_>,
    include: Include,
    warnings: Vec<String>,
    options: &Options,
    spare: &SpareCores,
) -> Result<Described, FileError> {
    let grouped = groups::describe_groups(keys, columns, include, options, spare)?;
    Ok(Described::grouped(grouped, include, warnings))
}

/// Why a file whose rows are read gives no row of statistics.
fn nothing_to_describe(include: Include) -> String {
    format!("no {} column: nothing to describe", include.kinds_named())
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
        | ArrowDataType::Float32
        | ArrowDataType::Int8
        | ArrowDataType::Int16
        | ArrowDataType::Int32
        | ArrowDataType::Int64
        | ArrowDataType::UInt8
        | ArrowDataType::UInt16
        | ArrowDataType::UInt32
        | ArrowDataType::UInt64
        | ArrowDataType::Float16 => Plan::Numbers,
        // pandas 3's describe() leaves time-zone-aware times out unless
        // include="all" (or "datetimetz") asks for them.
        ArrowDataType::Timestamp(_, Some(_)) => Plan::NotNumeric,
        ArrowDataType::Timestamp(..) | ArrowDataType::Duration(_) => {
            Plan::LeftOut("a column of times, which pandas describes as times (not done yet)")
        }
        _ => Plan::NotNumeric,
    }
}

/// Whether a key column of type `dtype` is grouped: integers, floats,
/// booleans, strings, categories of strings, naive times, dates, decimals.
fn is_groupable(dtype: &ArrowDataType) -> bool {
    matches!(plan(dtype), Plan::Numbers)
        || TextType::of_arrow(dtype) == Some(TextType::Category)
        || matches!(
            dtype,
            ArrowDataType::Null
                | ArrowDataType::Boolean
                | ArrowDataType::Utf8
                | ArrowDataType::LargeUtf8
                | ArrowDataType::Utf8View
                | ArrowDataType::Timestamp(_, None)
                | ArrowDataType::Date32
                | ArrowDataType::Decimal(..)
        )
}

/// A column of a type that is not grouped, as its user knows it.
fn type_name(dtype: &ArrowDataType) -> String {
    let kind = match dtype {
        ArrowDataType::Dictionary(..) => return "a category (dictionary-encoded) column".into(),
        ArrowDataType::Timestamp(_, Some(zone)) => format!("times in the time zone {zone}"),
        ArrowDataType::Duration(_) => "durations".into(),
        ArrowDataType::Date64 => "dates in milliseconds".into(),
        ArrowDataType::Time32(_) | ArrowDataType::Time64(_) => "times of day".into(),
        ArrowDataType::List(_) | ArrowDataType::LargeList(_) | ArrowDataType::FixedSizeList(..) => {
            "lists".into()
        }
        ArrowDataType::Struct(_) => "structs".into(),
        ArrowDataType::Binary | ArrowDataType::LargeBinary | ArrowDataType::BinaryView => {
            "bytes".into()
        }
        ArrowDataType::Float16 => "float16 numbers".into(),
        other => format!("values of type {other:?}"),
    };
    format!("a column of {kind}")
}

/// The columns of a file that are read, and a warning for each column
/// pandas would describe that is left out.
struct ToRead {
    numbers: Vec<String>,
    /// The text and boolean columns `include` may select.
    texts: Vec<(String, TextType)>,
    /// The names of the columns, in file order.
    order: Vec<String>,
    /// What is described of this file (pandas' default: every column of a
    /// file without numbers or times).
    include: Include,
    warnings: Vec<String>,
}

/// Which numeric columns of a file whose schema is `schema` are read (the
/// keys are read apart), after checking the keys.
///
/// # Errors
/// When a key column is missing or of a type not grouped.
fn columns_to_read(
    schema: &ArrowSchema,
    index: &[String],
    options: &Options,
) -> Result<ToRead, FileError> {
    let mut numbers = Vec::new();
    let mut texts = Vec::new();
    let mut warnings = Vec::new();
    // pandas' unnamed index levels have no name to group by.
    let unnamed = |name: &str| name.starts_with("__index_level_") && name.ends_with("__");
    let is_data = |name: &str| !index.iter().any(|column| column == name);
    // pandas' default takes numbers and times; a file with neither has
    // every column described (with --by, every column but the keys).
    let found = (schema.iter())
        .filter(|(name, _)| is_data(name) && !options.by.iter().any(|key| key == name.as_str()))
        .any(|(_, field)| matches!(plan(field.dtype()), Plan::Numbers | Plan::LeftOut(_)));
    let include = options.include.for_file(found);
    for (name, field) in schema.iter() {
        let is_key = options.by.iter().any(|key| key == name.as_str());
        let is_index = !is_data(name);
        // A named index level may be a key (pandas groups by index levels too).
        if is_index && (!is_key || unnamed(name)) {
            continue;
        }
        let text_type = TextType::of_arrow(field.dtype());
        if let Some(text_type) = text_type.filter(|t| !is_key && t.may_be_selected(include)) {
            texts.push((name.to_string(), text_type));
            continue;
        }
        if let Some(warning) = (!is_key)
            .then(|| text::not_done(name, field.dtype(), include))
            .flatten()
        {
            warnings.push(warning);
            continue;
        }
        match plan(field.dtype()) {
            Plan::Numbers => numbers.push(name.to_string()),
            _ if is_key && is_groupable(field.dtype()) => {}
            _ if is_key => {
                return Err(FileError::KeyType {
                    column: name.to_string(),
                    dtype: type_name(field.dtype()),
                })
            }
            Plan::NotNumeric
                if include == Include::ALL
                    && matches!(field.dtype(), ArrowDataType::Timestamp(_, Some(_))) =>
            {
                warnings.push(format!(
                    "column '{name}' is a column of times with a time zone, which pandas \
                     describes as times with --include all (not done yet); it is left out"
                ))
            }
            Plan::NotNumeric => {}
            Plan::LeftOut(reason) => {
                warnings.push(format!("column '{name}' is {reason}; it is left out"))
            }
        }
    }
    let is_column =
        |key: &str| schema.contains(key) && !(unnamed(key) && index.iter().any(|c| c == key));
    if let Some(missing) = (options.by.iter()).find(|key| !is_column(key)) {
        let all: Vec<String> = (schema.iter_names())
            .filter(|name| !index.iter().any(|column| column == name.as_str()))
            .map(|name| name.to_string())
            .collect();
        return Err(FileError::MissingKey {
            name: missing.clone(),
            columns: super::quoted_names(&all),
        });
    }
    let order = (schema.iter_names()).map(|name| name.to_string()).collect();
    Ok(ToRead {
        numbers,
        texts,
        order,
        include,
        warnings,
    })
}

/// `column`, read whole, as `describe()` takes it, if it is numeric to
/// pandas (see [`NumberColumn`]).
///
/// # Errors
/// When the values cannot be cast (a bug).
pub(super) fn pandas_column(column: &Column) -> Result<Option<SpooledColumn>, FileError> {
    let mut number = NumberColumn::new(column.name());
    number.push(column)?;
    number.finish()
}
