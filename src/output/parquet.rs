//! Parquet encoding of the result (zstd-compressed, with column statistics).

use polars::prelude::*;

use super::Encoder;

pub struct ParquetEncoder;

impl Encoder for ParquetEncoder {
    fn encode(&self, frame: &mut DataFrame, out: &mut Vec<u8>) -> PolarsResult<()> {
        ParquetWriter::new(out).finish(frame).map(|_| ())
    }
}
