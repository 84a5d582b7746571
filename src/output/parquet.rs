//! Parquet encoding of the result (zstd-compressed, with column statistics), strings as plain UTF-8, provenance in the metadata.

use polars::prelude::*;
use polars_io::parquet::write::KeyValueMetadata;
use polars_io::prelude::ParquetWriter;
use polars_parquet::write::schema_to_metadata_key;

use super::{Encoder, Provenance};

pub struct ParquetEncoder;

impl Encoder for ParquetEncoder {
    fn encode(
        &self,
        frame: &mut DataFrame,
        provenance: &Provenance,
        out: &mut Vec<u8>,
    ) -> PolarsResult<()> {
        // Polars declares its strings as Arrow `string_view` in the file's
        // Arrow schema; pyarrow then reads them as such, and cannot
        // concatenate them with tables that pandas wrote. The bytes on disk
        // are plain UTF-8 either way, so declare the oldest Arrow types
        // (`large_string`), which every reader takes.
        let arrow_schema = schema_to_metadata_key(&frame.schema().to_arrow(CompatLevel::oldest()));
        let mut pairs = vec![(arrow_schema.key, arrow_schema.value.unwrap_or_default())];
        pairs.extend(provenance.pairs());
        ParquetWriter::new(out)
            .with_key_value_metadata(Some(KeyValueMetadata::from_static(pairs)))
            .finish(frame)
            .map(|_| ())
    }
}
