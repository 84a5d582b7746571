//! CSV encoding of the result: a header line, then one line per row; missing values are empty.

use polars::prelude::*;
use polars_io::prelude::{CsvWriter, SerWriter};

use super::{Encoder, Provenance};

pub struct CsvEncoder;

impl Encoder for CsvEncoder {
    fn encode(
        &self,
        frame: &mut DataFrame,
        _provenance: &Provenance,
        out: &mut Vec<u8>,
    ) -> PolarsResult<()> {
        CsvWriter::new(out).include_header(true).finish(frame)
    }
}
