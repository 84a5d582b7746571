//! Reading a folder (or bucket prefix) of parts: each part's table and what it records about itself; anything that is not a part refused.

use std::fs::File;
use std::path::{Path, PathBuf};

use polars_io::prelude::{ParquetReader, SerReader};

use super::{a_few, refused, Part};
use crate::error::{Error, Result};
use crate::output::{provenance, Provenance};
use crate::shards::Shard;
use crate::sources::s3;

/// Every part in `folder` (a local folder, or a prefix of a bucket), read;
/// hidden files are skipped, anything else that is not a part is refused.
pub(super) fn read_parts(folder: &Path) -> Result<Vec<Part>> {
    let entries = if s3::is_s3(folder) {
        bucket_entries(folder)?
    } else {
        folder_entries(folder)?
    };
    let mut parts = Vec::new();
    let mut strangers = Vec::new();
    for (name, path) in entries {
        crate::interrupt::check()?;
        if name.starts_with('.') {
            continue;
        }
        match Shard::of_part_name(&name) {
            Some(Ok(shard)) => parts.push(read_part(&path, shard)?),
            Some(Err(error)) => return Err(refused(format!("{name}: {error}"))),
            None => strangers.push(name),
        }
    }
    if !strangers.is_empty() {
        strangers.sort();
        return Err(refused(format!(
            "{} holds files that are not parts ({}): a folder of parts must hold parts only",
            folder.display(),
            a_few(&strangers)
        )));
    }
    if parts.is_empty() {
        return Err(refused(format!(
            "{} holds no parts (part-0000K-of-0000N.parquet, written by `run --shard K/N -o {}`)",
            folder.display(),
            folder.display()
        )));
    }
    parts.sort_by_key(|part| part.shard.index);
    Ok(parts)
}

/// The names and paths of the entries of a local folder.
fn folder_entries(folder: &Path) -> Result<Vec<(String, PathBuf)>> {
    let entries = std::fs::read_dir(folder).map_err(|cause| Error::Input {
        path: folder.to_path_buf(),
        cause,
    })?;
    Ok(entries
        .flatten()
        .map(|entry| {
            (
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            )
        })
        .collect())
}

/// The names and URLs of the objects directly below a prefix of a bucket.
fn bucket_entries(folder: &Path) -> Result<Vec<(String, PathBuf)>> {
    let url = s3::S3Url::parse(&folder.to_string_lossy())
        .map_err(|error| Error::Remote(error.to_string()))?;
    let objects = s3::client()
        .and_then(|client| client.list(&url, false))
        .map_err(|error| Error::Remote(error.to_string()))?
        .objects;
    Ok(objects
        .into_iter()
        .map(|object| {
            let name = object
                .url
                .key
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            (name, PathBuf::from(object.url.to_string()))
        })
        .collect())
}

/// One part and what it records about itself.
fn read_part(path: &Path, shard: Shard) -> Result<Part> {
    let unreadable = |reason: String| {
        refused(format!(
            "cannot read the part {}: {reason} (a job killed while copying it? run shard {shard} again)",
            path.display()
        ))
    };
    let mut reader = ParquetReader::new(part_bytes(path).map_err(unreadable)?);
    let metadata = reader
        .get_metadata()
        .map_err(|err| unreadable(first_line(&err.to_string())))?;
    let provenance = metadata
        .key_value_metadata()
        .iter()
        .flatten()
        .find(|pair| pair.key == provenance::METADATA_KEY)
        .and_then(|pair| pair.value.as_deref())
        .and_then(Provenance::parse)
        .ok_or_else(|| {
            unreadable("it does not record what made it (not written by polarsdesc)".into())
        })?;
    let frame = reader
        .finish()
        .map_err(|err| unreadable(first_line(&err.to_string())))?;
    Ok(Part {
        path: path.to_path_buf(),
        shard,
        provenance,
        frame,
    })
}

/// A part's bytes: a local file is mapped, an object fetched whole.
fn part_bytes(
    path: &Path,
) -> std::result::Result<Box<dyn polars_io::mmap::MmapBytesReader>, String> {
    if s3::is_s3(path) {
        let url = s3::S3Url::parse(&path.to_string_lossy()).map_err(|err| err.reason)?;
        let bytes = s3::client()
            .and_then(|client| client.get(&url))
            .map_err(|err| err.reason)?;
        Ok(Box::new(std::io::Cursor::new(bytes)))
    } else {
        let file = File::open(path).map_err(|err| err.to_string())?;
        Ok(Box::new(file))
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}
