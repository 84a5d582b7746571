//! One CSV file as a Polars lazy scan: Polars' CSV reader over the file's bytes, with projection pushdown.
//!
//! Polars' own `LazyCsvReader` routes every scan through its streaming engine
//! (an async executor, a line-counting pass, thread hand-offs), about 1.3 ms a
//! file on the article's data before any parsing. This scan plugs Polars' CSV
//! parser into a lazy plan as an anonymous scan instead: the plan, projection
//! pushdown and expressions are Polars', and the parsing runs on the calling
//! worker thread.

use std::any::Any;
use std::io::Cursor;
use std::sync::Arc;

use polars::prelude::*;

use super::layout::{Layout, PANDAS_NA_VALUES};

/// The CSV body (the bytes after the header) of one file, with its schema.
struct CsvBodyScan {
    bytes: Arc<Vec<u8>>,
    body_start: usize,
    schema: SchemaRef,
    has_quotes: bool,
    pandas_nulls: bool,
}

impl AnonymousScan for CsvBodyScan {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn scan(&self, args: AnonymousScanArgs) -> PolarsResult<DataFrame> {
        let body = &self.bytes[self.body_start..];
        let quote = self.has_quotes.then_some(b'"');
        let null_values = self.pandas_nulls.then(pandas_null_values);
        CsvReadOptions::default()
            .with_has_header(false)
            .with_schema(Some(self.schema.clone()))
            .with_columns(args.with_columns)
            .with_n_threads(Some(1))
            .with_raise_if_empty(false)
            .map_parse_options(|options| {
                options
                    .with_quote_char(quote)
                    .with_null_values(null_values.clone())
            })
            .into_reader_with_file_handle(Cursor::new(body))
            .finish()
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

/// A lazy scan of `bytes` (a whole file) with the columns of `layout`: the
/// `numeric` ones as Float64, the others as text. With `pandas_nulls`, pandas'
/// missing-value strings parse as nulls; without, only empty fields do.
///
/// # Errors
/// When Polars rejects the schema (duplicate names cannot happen: the layout
/// deduplicates them as pandas does).
pub fn scan(
    bytes: Arc<Vec<u8>>,
    layout: &Layout,
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
