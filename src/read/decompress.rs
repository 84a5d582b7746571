//! Compressed inputs, as pandas infers them from the file name: `.gz`, `.bz2`, `.xz`, `.zst` and single-file `.zip` archives, streamed.
//!
//! pandas' `read_csv` looks at the end of the name, in any case (`x.CSV.GZ`).
//! Each reader streams: a pass over a large compressed file holds one block
//! of it at a time, like a pass over a plain one. A `.zip` must hold exactly
//! one entry, as pandas requires (its messages are kept).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

pub use crate::formats::Compression;

/// The decompressed bytes of the file at `path`, streamed.
///
/// # Errors
/// When the file cannot be opened, or (for a zip) its directory cannot be
/// read, it holds other than one entry, or the entry's method is neither
/// stored nor deflate. Corrupt data surfaces as an error of the reads.
pub fn open(path: &Path, compression: Compression) -> io::Result<Box<dyn Read + Send>> {
    match compression {
        Compression::Zip => zip_entry(File::open(path)?, &path.display().to_string()),
        stream_format => stream(Box::new(File::open(path)?), stream_format),
    }
}

/// The decompressed bytes of a stream in a format other than zip.
///
/// # Errors
/// For zip, which needs to seek (see [`zip_entry`]).
pub fn stream(
    raw: Box<dyn Read + Send>,
    compression: Compression,
) -> io::Result<Box<dyn Read + Send>> {
    let raw = BufReader::with_capacity(1 << 16, raw);
    Ok(match compression {
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(raw)),
        Compression::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(raw)),
        Compression::Xz => Box::new(liblzma::bufread::XzDecoder::new_multi_decoder(raw)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(raw)?),
        Compression::Zip => return Err(invalid("a zip archive must be read whole".into())),
    })
}

/// The one entry of the zip archive `archive` (named `name` in messages),
/// streamed from where its data starts.
///
/// # Errors
/// As [`open`].
pub fn zip_entry<R: Read + Seek + Send + 'static>(
    archive: R,
    name: &str,
) -> io::Result<Box<dyn Read + Send>> {
    let mut archive = zip::ZipArchive::new(archive).map_err(zip_error)?;
    let names: Vec<String> = archive
        .file_names()
        .map(|name| name.map(String::from).map_err(zip_error))
        .collect::<io::Result<_>>()?;
    match names.len() {
        0 => return Err(invalid(format!("Zero files found in ZIP file {name}"))),
        1 => {}
        _ => {
            return Err(invalid(format!(
                "Multiple files found in ZIP file. Only one file per ZIP: {names:?}"
            )))
        }
    }
    let entry = archive.by_index_raw(0).map_err(zip_error)?;
    let (method, start, size) = (
        entry.compression(),
        entry.data_start(),
        entry.compressed_size(),
    );
    drop(entry);
    let start = start.ok_or_else(|| invalid("the zip entry's data cannot be found".into()))?;
    let mut raw = archive.into_inner();
    raw.seek(SeekFrom::Start(start))?;
    let data = BufReader::new(raw).take(size);
    // The methods Python's zipfile reads (and so pandas); the zip crate's
    // constants, as its enum names bzip2 and LZMA only with its own decoders built in.
    match method {
        zip::CompressionMethod::Stored => Ok(Box::new(data)),
        zip::CompressionMethod::Deflated => {
            Ok(Box::new(flate2::bufread::DeflateDecoder::new(data)))
        }
        zip::CompressionMethod::BZIP2 => Ok(Box::new(bzip2::bufread::BzDecoder::new(data))),
        zip::CompressionMethod::LZMA => zip_lzma(data),
        other => Err(invalid(format!(
            "the zip entry is compressed with {other}, which polarsdesc does not read \
             (stored, deflate, bzip2 and LZMA, as pandas)"
        ))),
    }
}

/// The data of a zip entry compressed with LZMA (APPNOTE 5.8.8): a version
/// (2 bytes), the size of the properties (2 bytes, 5), LZMA1's properties,
/// then raw LZMA1 data ending with its end marker (as Python writes it).
fn zip_lzma<R: BufRead + Send + 'static>(mut data: R) -> io::Result<Box<dyn Read + Send>> {
    let mut header = [0u8; 4];
    data.read_exact(&mut header)?;
    let properties_size = u16::from_le_bytes([header[2], header[3]]);
    if properties_size != 5 {
        return Err(invalid(format!(
            "the zip entry's LZMA properties are {properties_size} bytes, not 5"
        )));
    }
    let mut properties = [0u8; 5];
    data.read_exact(&mut properties)?;
    let lzma_error =
        |err: liblzma::stream::Error| invalid(format!("the zip entry's LZMA data: {err}"));
    let mut filters = liblzma::stream::Filters::new();
    filters.lzma1_properties(&properties).map_err(lzma_error)?;
    let stream = liblzma::stream::Stream::new_raw_decoder(&filters).map_err(lzma_error)?;
    Ok(Box::new(liblzma::bufread::XzDecoder::new_stream(
        data, stream,
    )))
}

fn zip_error(error: zip::result::ZipError) -> io::Error {
    match error {
        zip::result::ZipError::Io(error) => error,
        other => invalid(other.to_string()),
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_streams_the_original_bytes() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let text = b"a,b\n1,2\n3,4\n".repeat(1000);
        let write = |name: &str, bytes: Vec<u8>| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&text).unwrap();
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        bz.write_all(&text).unwrap();
        let mut xz = liblzma::write::XzEncoder::new(Vec::new(), 1);
        xz.write_all(&text).unwrap();
        let mut zipped = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        zipped
            .start_file("x.csv", zip::write::SimpleFileOptions::default())
            .unwrap();
        zipped.write_all(&text).unwrap();
        let files = [
            (write("x.csv.gz", gz.finish().unwrap()), Compression::Gzip),
            (write("x.csv.bz2", bz.finish().unwrap()), Compression::Bzip2),
            (write("x.csv.xz", xz.finish().unwrap()), Compression::Xz),
            (
                write("x.csv.zst", zstd::encode_all(&text[..], 1).unwrap()),
                Compression::Zstd,
            ),
            (
                write("x.zip", zipped.finish().unwrap().into_inner()),
                Compression::Zip,
            ),
        ];
        for (path, compression) in files {
            let mut out = Vec::new();
            open(&path, compression)
                .unwrap()
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out, text, "{compression:?}");
        }
    }

    #[test]
    fn a_zip_must_hold_one_file() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let mut two = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        for name in ["x.csv", "y.csv"] {
            two.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            two.write_all(b"a\n1\n").unwrap();
        }
        let path = dir.path().join("two.zip");
        std::fs::write(&path, two.finish().unwrap().into_inner()).unwrap();
        let error = open(&path, Compression::Zip).err().unwrap();
        assert_eq!(
            error.to_string(),
            "Multiple files found in ZIP file. Only one file per ZIP: [\"x.csv\", \"y.csv\"]"
        );
    }
}
