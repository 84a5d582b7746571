//! The categories of a Parquet or Arrow dictionary column, in the order pandas restores them: the file's dictionaries, one after another.
//!
//! pandas reads a dictionary column as `category` (pyarrow's `to_pandas`),
//! its categories those of the dictionary as written, unobserved ones
//! included (`to_parquet` and `to_feather` of a `category` column write its
//! categories as the dictionary); where row groups or record batches carry
//! different dictionaries, pyarrow unifies them: the first one's values,
//! then each later one's new values in order. Polars reads such a column as
//! its values alone, so the dictionaries are read here: a Parquet column's
//! dictionary page in each row group (its values PLAIN-encoded, as the
//! format requires), an Arrow file's dictionary from its first record
//! batch (an IPC file holds one dictionary per column, deltas aside).

use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};

use polars::prelude::*;
use polars_arrow::array::{Array, DictionaryArray};
use polars_arrow::io::ipc::read::{read_file_metadata, FileReader};
use polars_arrow::match_integer_type;
use polars_io::mmap::MmapBytesReader;
use polars_io::prelude::{ParquetReader, SerReader};
use polars_parquet::parquet::compression::DecompressionContext;
use polars_parquet::parquet::page::{CompressedPage, Page};
use polars_parquet::parquet::read::{decompress, PageMetaData, PageReader};
use polars_parquet::read::{ColumnChunkMetadata, PhysicalType};

use super::{unreadable, Format, Source};
use crate::read::FileError;

/// The most bytes a Parquet dictionary page may take (pyarrow's pages are
/// 1 MiB at most; a larger limit is a damaged header's).
const MOST_PAGE_BYTES: usize = 1 << 30;

/// The categories of the dictionary column `name` of the file in `source`,
/// in pandas' order; `None` when its dictionary does not hold strings (not
/// described yet).
///
/// # Errors
/// When the file cannot be read, or its dictionary is damaged.
pub(super) fn categories(
    source: Source,
    format: Format,
    name: &str,
) -> Result<Option<Vec<String>>, FileError> {
    match (source, format) {
        (Source::File(path), Format::Parquet) => parquet_categories(|| File::open(path), name),
        (Source::Bytes(bytes), Format::Parquet) => {
            parquet_categories(|| Ok(Cursor::new(bytes)), name)
        }
        (Source::File(path), Format::Ipc) => {
            ipc_categories(std::io::BufReader::new(File::open(path)?), name)
        }
        (Source::Bytes(bytes), Format::Ipc) => ipc_categories(Cursor::new(bytes), name),
    }
}

/// The dictionary of column `name` in the first record batch of the Arrow
/// IPC file `reader` reads (none in a file without batches: no values).
fn ipc_categories<R: Read + Seek>(
    mut reader: R,
    name: &str,
) -> Result<Option<Vec<String>>, FileError> {
    let failed = |error| unreadable(Format::Ipc, error);
    let metadata = read_file_metadata(&mut reader).map_err(failed)?;
    let index = (metadata.schema.index_of(name))
        .ok_or_else(|| failed(polars_err!(ColumnNotFound: "{name}")))?;
    let Some(batch) = FileReader::new(reader, metadata, Some(vec![index]), None).next() else {
        return Ok(Some(Vec::new()));
    };
    let batch = batch.map_err(failed)?;
    let array = batch.arrays()[0].as_ref();
    let ArrowDataType::Dictionary(key, _, _) = array.dtype() else {
        return Ok(None);
    };
    let values: Box<dyn Array> = match_integer_type!(key, |$T| {
        (array.as_any().downcast_ref::<DictionaryArray<$T>>())
            .expect("a dictionary column's array")
            .values()
            .clone()
    });
    let series = Series::try_from((PlSmallStr::from(name), values)).map_err(failed)?;
    if !matches!(series.dtype(), DataType::String) {
        return Ok(None);
    }
    let strings = series.str().map_err(failed)?;
    Ok(Some(
        strings
            .iter()
            .map(|value| value.unwrap_or_default().to_string())
            .collect(),
    ))
}

/// The dictionary pages of column `name` in each row group of the Parquet
/// file `open` opens, their values one after another, each once.
fn parquet_categories<R: MmapBytesReader>(
    open: impl Fn() -> std::io::Result<R>,
    name: &str,
) -> Result<Option<Vec<String>>, FileError> {
    let failed = |error| unreadable(Format::Parquet, error);
    let metadata = ParquetReader::new(open()?)
        .get_metadata()
        .map_err(failed)?
        .clone();
    let mut reader = open()?;
    let mut categories: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for group in &metadata.row_groups {
        let Some(mut chunks) = group.columns_under_root_iter(name) else {
            continue;
        };
        let Some(chunk) = chunks.next() else { continue };
        if chunk.physical_type() != PhysicalType::ByteArray {
            return Ok(None);
        }
        for value in dictionary_page(&mut reader, chunk)? {
            if seen.insert(value.clone()) {
                categories.push(value);
            }
        }
    }
    Ok(Some(categories))
}

/// The values of the dictionary page of column chunk `chunk` (none when
/// its values are not dictionary-encoded).
fn dictionary_page<R: Read + Seek>(
    reader: &mut R,
    chunk: &ColumnChunkMetadata,
) -> Result<Vec<String>, FileError> {
    let damaged = |reason: String| FileError::Unreadable {
        format: Format::Parquet.name(),
        reason: format!("a dictionary page is damaged: {reason}"),
    };
    let Some(start) = chunk.dictionary_page_offset() else {
        return Ok(Vec::new());
    };
    let end = chunk.data_page_offset();
    let length = usize::try_from(end - start)
        .ok()
        .filter(|&length| length <= MOST_PAGE_BYTES)
        .ok_or_else(|| damaged(format!("it spans bytes {start} to {end}")))?;
    let mut bytes = vec![0; length];
    reader.seek(SeekFrom::Start(start as u64))?;
    reader.read_exact(&mut bytes)?;
    let meta = PageMetaData::new(
        start as u64,
        chunk.num_values(),
        chunk.compression(),
        chunk.descriptor().descriptor.clone(),
    );
    let cursor = Cursor::new(polars_buffer::Buffer::from_vec(bytes));
    let mut pages = PageReader::new_with_page_meta(cursor, meta, Vec::new(), MOST_PAGE_BYTES);
    let Some(page) = pages
        .read_dict()
        .map_err(|error| damaged(error.to_string()))?
    else {
        return Ok(Vec::new());
    };
    let mut buffer = Vec::new();
    let page = decompress(
        CompressedPage::Dict(page),
        &mut buffer,
        &mut DecompressionContext::Unset,
    )
    .map_err(|error| damaged(error.to_string()))?;
    let Page::Dict(page) = page else {
        return Err(damaged("it is not a dictionary page".into()));
    };
    plain_strings(&page.buffer, page.num_values).map_err(damaged)
}

/// `count` PLAIN-encoded byte arrays (a 4-byte little-endian length, then
/// the bytes), as UTF-8 text.
fn plain_strings(mut bytes: &[u8], count: usize) -> Result<Vec<String>, String> {
    let mut values = Vec::with_capacity(count.min(bytes.len() / 4));
    for _ in 0..count {
        let (length, rest) = (bytes.split_first_chunk::<4>())
            .ok_or_else(|| format!("it ends after {} of {count} values", values.len()))?;
        let length = u32::from_le_bytes(*length) as usize;
        let value = (rest.get(..length))
            .ok_or_else(|| format!("value {} runs past its end", values.len() + 1))?;
        let text = std::str::from_utf8(value)
            .map_err(|_| format!("value {} is not UTF-8", values.len() + 1))?;
        values.push(text.to_string());
        bytes = &rest[length..];
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::plain_strings;

    #[test]
    fn plain_byte_arrays_are_read_in_order_and_a_short_page_fails() {
        let page = [
            &1u32.to_le_bytes()[..],
            b"c",
            &2u32.to_le_bytes(),
            b"ab",
            &0u32.to_le_bytes(),
        ]
        .concat();
        assert_eq!(plain_strings(&page, 3).unwrap(), ["c", "ab", ""]);
        assert!(plain_strings(&page, 4)
            .unwrap_err()
            .contains("ends after 3 of 4"));
        assert!(plain_strings(&page[..10], 2)
            .unwrap_err()
            .contains("value 2 runs past"));
    }
}
