//! One CSV file as a Polars lazy scan: Polars' CSV chunk parser over the file's blocks, with projection pushdown.
//!
//! Polars' own `LazyCsvReader` routes every scan through its streaming engine
//! (an async executor, a line-counting pass, thread hand-offs), about 1.3 ms a
//! file on the article's data before any parsing. This scan plugs Polars' CSV
//! chunk parser (`read_chunk`, the one its readers use) into a lazy plan as an
//! anonymous scan instead: the plan, projection pushdown, parsing and
//! expressions are Polars', and everything runs on the calling worker thread.

use std::any::Any;
use std::sync::Arc;

use polars::io::csv::read::_csv_read_internal::{read_chunk, validate_utf8};
use polars::prelude::*;

use super::body::CsvFile;
use super::layout::{self, Layout, PANDAS_NA_VALUES};
use crate::parallel::SpareCores;

/// The body of one CSV file (the lines after the header), with its schema.
struct CsvBodyScan {
    file: CsvFile,
    spare: SpareCores,
    body_start: usize,
    schema: SchemaRef,
    has_quotes: bool,
    pandas_nulls: bool,
}

impl AnonymousScan for CsvBodyScan {
    fn as_any(&self) -> &dyn Any {
        self
    }

    /// Parses the projected columns, block by block, on this thread.
    fn scan(&self, args: AnonymousScanArgs) -> PolarsResult<DataFrame> {
        let projection = self.projection(args.with_columns.as_deref())?;
        let options = CsvParseOptions::default()
            .with_quote_char(self.has_quotes.then_some(b'"'))
            .with_null_values(self.pandas_nulls.then(pandas_null_values));
        let null_values = options
            .null_values
            .clone()
            .map(|values| values.compile(&self.schema))
            .transpose()?;
        let frames = self.file.map_blocks(
            self.body_start,
            self.has_quotes,
            &self.spare,
            |block| {
                // Polars checks neither the text of columns it does not
                // parse nor the field count of rows whose extra fields are
                // not projected; pandas rejects invalid UTF-8 and long rows.
                let count =
                    layout::count_lines_checking_fields(block, self.schema.len(), self.has_quotes)
                        .ok_or_else(
                            || polars_err!(ComputeError: "a row does not fit the header"),
                        )?;
                polars_ensure!(count.ascii || validate_utf8(block), ComputeError: "invalid UTF-8");
                read_chunk(
                    block,
                    &options,
                    &self.schema,
                    false,
                    &projection,
                    0,
                    count.lines + 1,
                    null_values.as_ref(),
                    usize::MAX,
                    block.len(),
                    Some(0),
                )
            },
        )?;
        let mut frames = frames.into_iter();
        let mut frame = frames.next().expect("a file has at least one block")?;
        for next in frames {
            frame.vstack_mut_owned(next?)?;
        }
        Ok(frame)
    }

    fn schema(&self, _infer_schema_length: Option<usize>) -> PolarsResult<SchemaRef> {
        Ok(self.schema.clone())
    }

    fn allows_projection_pushdown(&self) -> bool {
        true
    }
}

impl CsvBodyScan {
    /// The sorted indices of the columns the plan asks for (all when `None`).
    fn projection(&self, columns: Option<&[PlSmallStr]>) -> PolarsResult<Vec<usize>> {
        let Some(columns) = columns else {
            return Ok((0..self.schema.len()).collect());
        };
        let mut indices = columns
            .iter()
            .map(|name| self.schema.try_index_of(name))
            .collect::<PolarsResult<Vec<usize>>>()?;
        indices.sort_unstable();
        Ok(indices)
    }
}

/// pandas' missing-value strings, which Polars turns into nulls while parsing.
fn pandas_null_values() -> NullValues {
    NullValues::AllColumns(PANDAS_NA_VALUES.iter().map(|s| (*s).into()).collect())
}

/// The name Polars knows the column at `index` by: its position, never the
/// file's own name (which could read as a wildcard or a regex in `col`).
pub fn column_name(index: usize) -> String {
    format!("c{index}")
}

/// A lazy scan of `file` with the columns of `layout`: the `numeric` ones as
/// Float64, the others as text. With `pandas_nulls`, pandas' missing-value
/// strings parse as nulls; without, only empty fields do. A large file's
/// blocks are also parsed on the cores `spare` lends.
///
/// # Errors
/// When Polars rejects the schema (a bug: names are positions, never repeated).
pub fn scan(
    file: &CsvFile,
    layout: &Layout,
    numeric: &[usize],
    pandas_nulls: bool,
    spare: &SpareCores,
) -> PolarsResult<LazyFrame> {
    let mut dtypes = vec![DataType::String; layout.names.len()];
    for &index in numeric {
        dtypes[index] = DataType::Float64;
    }
    let schema: Schema = dtypes
        .into_iter()
        .enumerate()
        .map(|(index, dtype)| Field::new(column_name(index).into(), dtype))
        .collect();
    let schema = Arc::new(schema);
    let source = CsvBodyScan {
        file: file.clone(),
        spare: spare.clone(),
        body_start: layout.header_len,
        schema: Arc::clone(&schema),
        has_quotes: layout.has_quotes,
        pandas_nulls,
    };
    LazyFrame::anonymous_scan(
        Arc::new(source),
        ScanArgsAnonymous {
            schema: Some(schema),
            name: "csv",
            ..Default::default()
        },
    )
}
