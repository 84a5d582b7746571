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

use polars::prelude::*;
use polars_io::csv::read::_csv_read_internal::{read_chunk, NullValuesCompiled};
use polars_io::prelude::{CsvParseOptions, NullValues};

use super::body::CsvFile;
use super::layout::Layout;
use super::numbers::NA_VALUES;
use super::plain;
use crate::parallel::SpareCores;

/// The body of one CSV file (the lines after the header), with its schema.
struct CsvBodyScan {
    file: CsvFile,
    spare: SpareCores,
    body_start: usize,
    separator: u8,
    schema: SchemaRef,
    pandas_nulls: bool,
}

/// The error of a block that is not plain (see `plain`): the
/// file is then read by pandas' rules instead.
const NOT_PLAIN: &str = "a block that Polars would read differently from pandas";

impl AnonymousScan for CsvBodyScan {
    fn as_any(&self) -> &dyn Any {
        self
    }

    /// Parses the projected columns, block by block, on this thread.
    fn scan(&self, args: AnonymousScanArgs) -> PolarsResult<DataFrame> {
        let projection = self.projection(args.with_columns.as_deref())?;
        let parser = BlockParser::new(
            Arc::clone(&self.schema),
            self.separator,
            projection,
            self.pandas_nulls,
        )?;
        let frames = self
            .file
            .map_blocks(self.body_start, &self.spare, |block| parser.parse(block))?;
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

/// Polars' CSV chunk parser, set up for the blocks of one file: the schema
/// of every column (the candidates Float64), the columns to parse, and
/// whether pandas' missing-value strings are nulls.
pub struct BlockParser {
    schema: SchemaRef,
    /// Which columns are parsed as numbers (where a blank would be read
    /// differently): the Float64 ones of the schema.
    numeric: Vec<bool>,
    projection: Vec<usize>,
    options: CsvParseOptions,
    null_values: Option<NullValuesCompiled>,
}

impl BlockParser {
    /// A parser of the columns at `projection` (sorted) of `schema`.
    ///
    /// # Errors
    /// When Polars rejects the null values for the schema (a bug).
    pub fn new(
        schema: SchemaRef,
        separator: u8,
        projection: Vec<usize>,
        pandas_nulls: bool,
    ) -> PolarsResult<Self> {
        let options = CsvParseOptions::default()
            .with_separator(separator)
            .with_null_values(pandas_nulls.then(pandas_null_values));
        let null_values = options
            .null_values
            .clone()
            .map(|values| values.compile(&schema))
            .transpose()?;
        let numeric = schema
            .iter_values()
            .map(|dtype| dtype == &DataType::Float64)
            .collect();
        Ok(BlockParser {
            schema,
            numeric,
            projection,
            options,
            null_values,
        })
    }

    /// The parsed columns of `block` (whole records of the body).
    ///
    /// # Errors
    /// When the block is not plain (pandas' rules must read it) or a value
    /// does not parse.
    pub fn parse(&self, block: &[u8]) -> PolarsResult<DataFrame> {
        // Polars checks neither the field count of rows whose extra
        // fields it does not parse, nor the blanks pandas reads its own
        // way: a block that is not plain goes to pandas' rules.
        let plain = plain::check(block, self.options.separator, &self.numeric)
            .ok_or_else(|| polars_err!(ComputeError: "{NOT_PLAIN}"))?;
        let options = self
            .options
            .clone()
            .with_quote_char(plain.quoted.then_some(b'"'));
        read_chunk(
            block,
            &options,
            &self.schema,
            false,
            &self.projection,
            0,
            plain.lines + 1,
            self.null_values.as_ref(),
            usize::MAX,
            block.len(),
            Some(0),
        )
    }
}

/// pandas' missing-value strings, which Polars turns into nulls while parsing.
fn pandas_null_values() -> NullValues {
    NullValues::AllColumns(NA_VALUES.iter().map(|s| (*s).into()).collect())
}

/// The schema of a file's columns, by position: the `numeric` ones Float64,
/// the others text.
pub fn schema_of(layout: &Layout, numeric: &[usize]) -> SchemaRef {
    let mut dtypes = vec![DataType::String; layout.width];
    for &index in numeric {
        dtypes[index] = DataType::Float64;
    }
    let schema: Schema = dtypes
        .into_iter()
        .enumerate()
        .map(|(index, dtype)| Field::new(column_name(index).into(), dtype))
        .collect();
    Arc::new(schema)
}

/// The name Polars knows the column at `index` by: its position, never the
/// file's own name (which could read as a wildcard or a regex in `col`).
pub fn column_name(index: usize) -> String {
    format!("c{index}")
}

/// A lazy scan of `file` with the columns of `layout`: the `numeric` ones as
/// Float64, the others as text. With `pandas_nulls`, pandas' missing-value
/// strings parse as nulls; without, only empty fields do. A large file's
/// blocks are also parsed on the cores `spare` lends. Collecting it fails
/// when a block is not plain or a value does not parse.
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
    let schema = schema_of(layout, numeric);
    let source = CsvBodyScan {
        file: file.clone(),
        spare: spare.clone(),
        body_start: layout.header_len,
        separator: layout.separator,
        schema: Arc::clone(&schema),
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
