//! One CSV file as a Polars lazy scan: Polars' CSV reader over the file's bytes, with projection pushdown.
//!
//! Polars' own `LazyCsvReader` routes every scan through its streaming engine
//! (an async executor, a line-counting pass, thread hand-offs), about 1.3 ms a
//! file on the article's data before any parsing. This scan plugs Polars' CSV
//! chunk parser (`read_chunk`, the one its readers use) into a lazy plan as an
//! anonymous scan instead: the plan, projection pushdown, parsing and
//! expressions are Polars', and everything runs on the calling worker thread.

use std::any::Any;
use std::sync::Arc;

use polars::io::csv::read::_csv_read_internal::read_chunk;
use polars::prelude::*;

use super::layout::{Layout, PANDAS_NA_VALUES};

/// The CSV body (the bytes after the header) of one file, with its schema.
struct CsvBodyScan {
    bytes: Arc<Vec<u8>>,
    body_start: usize,
    /// Lines in the body (blank ones included): the parser's capacity.
    lines: usize,
    schema: SchemaRef,
    has_quotes: bool,
    pandas_nulls: bool,
}

impl AnonymousScan for CsvBodyScan {
    fn as_any(&self) -> &dyn Any {
        self
    }

    /// Parses the projected columns with Polars' CSV chunk parser, in one
    /// chunk on this thread (the file's lines were already counted and checked).
    fn scan(&self, args: AnonymousScanArgs) -> PolarsResult<DataFrame> {
        let body = &self.bytes[self.body_start..];
        let projection = match &args.with_columns {
            Some(columns) => {
                let mut indices = columns
                    .iter()
                    .map(|name| self.schema.try_index_of(name))
                    .collect::<PolarsResult<Vec<usize>>>()?;
                indices.sort_unstable();
                indices
            }
            None => (0..self.schema.len()).collect(),
        };
        let options = CsvParseOptions::default()
            .with_quote_char(self.has_quotes.then_some(b'"'))
            .with_null_values(self.pandas_nulls.then(pandas_null_values));
        let null_values = options
            .null_values
            .clone()
            .map(|values| values.compile(&self.schema))
            .transpose()?;
        read_chunk(
            body,
            &options,
            &self.schema,
            false,
            &projection,
            0,
            self.lines + 1,
            null_values.as_ref(),
            usize::MAX,
            body.len(),
            Some(0),
        )
    }

    fn schema(&self, _infer_schema_length: Option<usize>) -> PolarsResult<SchemaRef> {
        Ok(self.schema.clone())
    }

    fn allows_projection_pushdown(&self) -> bool {
        true
    }
}

/// pandas' missing-value strings, which Polars turns into nulls while parsing.
fn pandas_null_values() -> NullValues {
    NullValues::AllColumns(PANDAS_NA_VALUES.iter().map(|s| (*s).into()).collect())
}

/// A lazy scan of `bytes` (a whole file of `lines` body lines) with the columns of `layout`: the
/// `numeric` ones as Float64, the others as text. With `pandas_nulls`, pandas'
/// missing-value strings parse as nulls; without, only empty fields do.
///
/// # Errors
/// When Polars rejects the schema (duplicate names cannot happen: the layout
/// deduplicates them as pandas does).
pub fn scan(
    bytes: Arc<Vec<u8>>,
    layout: &Layout,
    lines: usize,
    numeric: &[usize],
    pandas_nulls: bool,
) -> PolarsResult<LazyFrame> {
    let schema: Schema = layout
        .names
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let dtype = if numeric.contains(&index) {
                DataType::Float64
            } else {
                DataType::String
            };
            Field::new(name.as_str().into(), dtype)
        })
        .collect();
    let source = CsvBodyScan {
        bytes,
        body_start: layout.header_len,
        lines,
        schema: Arc::new(schema),
        has_quotes: layout.has_quotes,
        pandas_nulls,
    };
    let schema = source.schema.clone();
    LazyFrame::anonymous_scan(
        Arc::new(source),
        ScanArgsAnonymous {
            schema: Some(schema),
            name: "csv",
            ..Default::default()
        },
    )
}
