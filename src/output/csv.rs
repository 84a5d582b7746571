//! CSV encoding of the result: a header line, then one line per row; missing values are empty.

use std::io::Write;

use polars::prelude::*;
use polars_io::csv::write::BatchedWriter;
use polars_io::prelude::CsvWriter;

use super::TableEncoder;

pub struct CsvEncoder<'w> {
    writer: BatchedWriter<&'w mut dyn Write>,
}

impl<'w> CsvEncoder<'w> {
    /// A CSV table of `schema` written to `out`.
    pub fn new(schema: &Schema, out: &'w mut dyn Write) -> PolarsResult<Self> {
        let writer = CsvWriter::new(out).include_header(true).batched(schema)?;
        Ok(CsvEncoder { writer })
    }
}

impl TableEncoder for CsvEncoder<'_> {
    fn write(&mut self, frame: &mut DataFrame) -> PolarsResult<()> {
        frame.rechunk_mut();
        self.writer.write_batch(frame)
    }

    fn finish(mut self: Box<Self>) -> PolarsResult<()> {
        self.writer.finish()
    }
}
