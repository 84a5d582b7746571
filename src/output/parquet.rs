//! Parquet encoding of the result (zstd-compressed, with column statistics), strings as plain UTF-8, provenance in the metadata; a row group per batch.

use std::io::Write;

use polars::prelude::*;
use polars_io::parquet::write::{BatchedWriter, KeyValueMetadata, ParquetCompression};
use polars_io::prelude::ParquetWriter;
use polars_parquet::write::schema_to_metadata_key;
use polars_parquet::write::ZstdLevel;

use super::{Provenance, TableEncoder};

pub struct ParquetEncoder<'w> {
    writer: BatchedWriter<&'w mut dyn Write>,
}

impl<'w> ParquetEncoder<'w> {
    /// A Parquet file of `schema` written to `out`, `provenance` in its metadata.
    pub fn new(
        schema: &Schema,
        provenance: &Provenance,
        out: &'w mut dyn Write,
    ) -> PolarsResult<Self> {
        // Polars declares its strings as Arrow `string_view` in the file's
        // Arrow schema; pyarrow then reads them as such, and cannot
        // concatenate them with tables that pandas wrote. The bytes on disk
        // are plain UTF-8 either way, so declare the oldest Arrow types
        // (`large_string`), which every reader takes.
        let arrow_schema = schema_to_metadata_key(&schema.to_arrow(CompatLevel::oldest()));
        let mut pairs = vec![(arrow_schema.key, arrow_schema.value.unwrap_or_default())];
        pairs.extend(provenance.pairs());
        // zstd's fastest level: a long table's result is millions of rows,
        // and the levels above it save little on columns of floats.
        let zstd = ZstdLevel::try_new(1)?;
        let writer = ParquetWriter::new(out)
            .with_compression(ParquetCompression::Zstd(Some(zstd)))
            .with_key_value_metadata(Some(KeyValueMetadata::from_static(pairs)))
            .batched(schema)?;
        Ok(ParquetEncoder { writer })
    }
}

impl TableEncoder for ParquetEncoder<'_> {
    fn write(&mut self, frame: &mut DataFrame) -> PolarsResult<()> {
        if frame.height() == 0 {
            return Ok(());
        }
        frame.rechunk_mut();
        self.writer.write_batch(frame)
    }

    fn finish(self: Box<Self>) -> PolarsResult<()> {
        self.writer.finish().map(|_| ())
    }
}
