//! Newline-delimited JSON files (`*.ndjson`, `*.jsonl`, and compressed ones): read as pandas' `read_json(lines=True)` reads them, then described as a Parquet file's columns are.
//!
//! pandas reads the whole file: it splits it at `\n`, strips each line and
//! drops blank ones, decodes the objects with ujson ([`decode`]), builds a
//! DataFrame of them (a column per name, in order of first appearance, a
//! row missing a name holding NaN) and converts each column's type
//! ([`types`]). So does polarsdesc: a file is read whole, on one core, and
//! so only a file whose text fits in a quarter of its share of
//! `--max-memory` (a bomb that inflates past it fails alone, within it).

mod decode;
mod types;

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use polars::prelude::*;

use self::decode::Value;
use self::types::Typed;
use super::columnar::{self, keys::polars_keys};
use super::decompress::{self, Compression};
use super::{Described, FileError};
use crate::describe::large::column::SpooledColumn;
use crate::describe::{groups, Include, Options};
use crate::parallel::SpareCores;

/// Reads and describes the NDJSON file at `path`.
///
/// # Errors
/// When the file cannot be read or decompressed, is not UTF-8, a line is
/// not one JSON object, or (with `--by`) a key column is missing or of a
/// type not grouped.
pub(super) fn describe_file(
    path: &Path,
    options: &Options,
    spare: &SpareCores,
) -> Result<Described, FileError> {
    let limit = text_limit(options);
    let bytes = match Compression::of_name(path.as_os_str()) {
        Some(compression) => read_all(decompress::open(path, compression)?, limit)?,
        None => {
            if std::fs::metadata(path)?.len() > limit as u64 {
                return Err(too_large(limit));
            }
            std::fs::read(path)?
        }
    };
    describe_text(&bytes, options, spare)
}

/// The most text of an NDJSON file read: a quarter of its share of
/// `--max-memory`, since its decoded values take about three times the
/// text again while the columns are typed.
fn text_limit(options: &Options) -> usize {
    options.memory.record_limit()
}

fn too_large(limit: usize) -> FileError {
    FileError::ReadWhole {
        format: "NDJSON",
        limit_mib: limit >> 20,
    }
}

/// Describes the NDJSON file named `name` whose bytes, as stored, are
/// `bytes` (an object).
///
/// # Errors
/// As [`describe_file`].
pub(super) fn describe_bytes(
    bytes: Vec<u8>,
    name: &Path,
    options: &Options,
    spare: &SpareCores,
) -> Result<Described, FileError> {
    let limit = text_limit(options);
    let bytes = match Compression::of_name(name.as_os_str()) {
        Some(Compression::Zip) => read_all(
            decompress::zip_entry(Cursor::new(bytes), &name.display().to_string())?,
            limit,
        )?,
        Some(compression) => read_all(
            decompress::stream(Box::new(Cursor::new(bytes)), compression)?,
            limit,
        )?,
        None if bytes.len() > limit => return Err(too_large(limit)),
        None => bytes,
    };
    describe_text(&bytes, options, spare)
}

/// The whole text `reader` gives (decompressed), if it is at most `limit`
/// bytes: a decompression bomb fails at the limit, within memory.
fn read_all(reader: Box<dyn Read + Send>, limit: usize) -> Result<Vec<u8>, FileError> {
    let mut bytes = Vec::new();
    reader.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// The columns of a file, as decoded: a name's values, row by row.
#[derive(Default)]
struct Columns<'a> {
    names: Vec<String>,
    values: Vec<Vec<Value<'a>>>,
    by_name: HashMap<String, usize, foldhash::fast::FixedState>,
    rows: usize,
    /// The column of the row's next field if the rows name their fields in
    /// the same order (they mostly do): no hashing then.
    next: usize,
}

impl<'a> Columns<'a> {
    /// Adds the current row's field `name`: a new name starts a column
    /// missing in the earlier rows; a name given twice in a row keeps its
    /// last value.
    fn field(&mut self, name: Cow<'_, str>, value: Value<'a>) {
        let in_order = self.names.get(self.next).is_some_and(|next| *next == *name);
        let column = match in_order.then_some(self.next) {
            Some(column) => column,
            None => match self.by_name.get(name.as_ref()) {
                Some(&column) => column,
                None => {
                    let name = name.into_owned();
                    self.by_name.insert(name.clone(), self.names.len());
                    self.names.push(name);
                    self.values.push(vec![Value::Null; self.rows]);
                    self.names.len() - 1
                }
            },
        };
        self.next = column + 1;
        let values = &mut self.values[column];
        match values.get_mut(self.rows) {
            Some(earlier) => *earlier = value,
            None => values.push(value),
        }
    }

    /// Ends the current row: a name it lacks is missing in it.
    fn end_row(&mut self) {
        self.rows += 1;
        self.next = 0;
        for column in &mut self.values {
            if column.len() < self.rows {
                column.push(Value::Null);
            }
        }
    }
}

/// The columns of the NDJSON text `bytes`, decoded line by line.
///
/// # Errors
/// When `bytes` is not UTF-8 or a line is not one JSON object.
fn decode_lines(bytes: &[u8]) -> Result<Columns<'_>, FileError> {
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let line = bytes[..error.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        FileError::Json {
            line: line as u64 + 1,
            reason: "not UTF-8 text (pandas reads JSON as UTF-8)".into(),
        }
    })?;
    let mut columns = Columns::default();
    for (number, line) in text.split('\n').enumerate() {
        // Python's `str.strip()`, as pandas' `_combine_lines`.
        let line =
            line.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c));
        if line.is_empty() {
            continue;
        }
        decode::object(line, &mut |name, value| columns.field(name, value)).map_err(|reason| {
            FileError::Json {
                line: number as u64 + 1,
                reason,
            }
        })?;
        columns.end_row();
    }
    Ok(columns)
}

/// Decodes and describes an NDJSON file's (decompressed) bytes.
fn describe_text(
    bytes: &[u8],
    options: &Options,
    spare: &SpareCores,
) -> Result<Described, FileError> {
    let Columns { names, values, .. } = decode_lines(bytes)?;
    let names = types::pandas_labels(names);
    let typed: Vec<(String, Typed)> = names
        .into_iter()
        .zip(values)
        .map(|(name, values)| {
            let typed = types::pandas_type(&name, values);
            (name, typed)
        })
        .collect();
    let mut numeric: Vec<SpooledColumn> = Vec::new();
    let mut warnings = Vec::new();
    for (name, typed) in &typed {
        if matches!(typed, Typed::Dates) && !options.by.contains(name) {
            warnings.push(format!(
                "column '{name}' is named like a date, and pandas reads it as dates where it \
                 can, which it describes as times (not done yet); it is left out"
            ));
        }
        if let Some(series) = numeric_series(name, typed) {
            numeric.extend(columnar::pandas_column(&series.into_column())?);
        }
    }
    // pandas' default takes numbers and times: a file with neither (keys
    // aside) has every column described.
    let is_key = |name: &str| options.by.iter().any(|key| key == name);
    let found = numeric.iter().any(|column| !is_key(&column.name))
        || (typed.iter()).any(|(name, t)| matches!(t, Typed::Dates) && !is_key(name));
    let include = options.include.for_file(found);
    let (texts, frame) = text_columns(&typed, include, &options.by, &mut warnings);
    let mut texts = columnar::TextColumns::new(texts, options);
    if !options.by.is_empty() {
        texts = texts.spooled();
    }
    texts.push(&frame)?;
    let order: Vec<String> = typed.iter().map(|(name, _)| name.clone()).collect();
    if !options.by.is_empty() {
        let keys = keys(&typed, &options.by)?;
        let texts = texts.finish_spooled(spare)?;
        let columns = groups::GroupedColumns {
            numeric: &numeric,
            texts: &texts,
            order: &order,
        };
        return columnar::described(keys, columns, include, warnings, options, spare);
    }
    columnar::whole_file(&numeric, texts, &order, include, warnings, options, spare)
}

/// The text and boolean columns of `typed` that `include` may select (the
/// keys `by` aside), and a frame of their values; a warning for each object
/// column it asks for.
fn text_columns(
    typed: &[(String, Typed)],
    include: Include,
    by: &[String],
    warnings: &mut Vec<String>,
) -> (Vec<(String, columnar::TextType)>, DataFrame) {
    let mut texts = Vec::new();
    let mut columns = Vec::new();
    for (name, typed) in typed.iter().filter(|(name, _)| !by.contains(name)) {
        let (text_type, column) = match typed {
            Typed::Text(values) if include.strings => {
                let values: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
                (columnar::TextType::Str, Column::new(name.into(), values))
            }
            Typed::Bool(values) if include.booleans => {
                (columnar::TextType::Bool, Column::new(name.into(), values))
            }
            Typed::Object if include.objects => {
                warnings.push(format!(
                    "column '{name}' holds mixed values (pandas' object column), which pandas \
                     describes (count, unique, top, freq; not done yet); it is left out"
                ));
                continue;
            }
            _ => continue,
        };
        texts.push((name.clone(), text_type));
        columns.push(column);
    }
    let rows = columns.first().map_or(0, Column::len);
    let frame = DataFrame::new(rows, columns).expect("columns of one file's rows");
    (texts, frame)
}

/// A numeric column as a Series of pandas' type (NaN for missing values).
fn numeric_series(name: &str, typed: &Typed) -> Option<Series> {
    let name = PlSmallStr::from(name);
    match typed {
        Typed::Int64(values) => Some(Series::new(name, values)),
        Typed::UInt64(values) => Some(Series::new(name, values)),
        Typed::Float64(values) => Some(Series::new(name, values)),
        _ => None,
    }
}

/// The key columns `by` of a file's `typed` columns, as pandas groups them.
///
/// # Errors
/// When a key column is missing, or is neither numbers, booleans nor text.
fn keys(typed: &[(String, Typed)], by: &[String]) -> Result<groups::KeyRows, FileError> {
    let mut columns = Vec::with_capacity(by.len());
    for key in by {
        let Some((_, column)) = typed.iter().find(|(name, _)| name == key) else {
            let names: Vec<String> = typed.iter().map(|(name, _)| name.clone()).collect();
            return Err(FileError::MissingKey {
                name: key.clone(),
                columns: super::quoted_names(&names),
            });
        };
        let series = match column {
            Typed::Bool(values) => Series::new(key.into(), values),
            Typed::Text(values) => {
                let values: Vec<Option<&str>> = values.iter().map(Option::as_deref).collect();
                Series::new(key.into(), values)
            }
            Typed::Object | Typed::Dates => {
                let dtype = if matches!(column, Typed::Dates) {
                    "a column of dates"
                } else {
                    "an object column (of mixed values)"
                };
                return Err(FileError::KeyType {
                    column: key.clone(),
                    dtype: dtype.into(),
                });
            }
            number => numeric_series(key, number).expect("a numeric column"),
        };
        columns.push(series.into_column());
    }
    let columns: Vec<&Column> = columns.iter().collect();
    polars_keys(&columns)
}
