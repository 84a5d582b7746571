//! What makes a folder of parts one whole run: all there, once each, made alike, from the same listing; and where its merged table may not go.

use std::path::Path;

use serde_json::Value;

use super::{a_few, refused, Part};
use crate::destination::Destination;
use crate::error::Result;
use crate::output::provenance;
use crate::shards::Shard;
use crate::sources::s3;
use crate::sources::FileId;

/// Whether `destination` is inside `folder` (at any depth), compared by
/// identity, not spelling: a local folder by device and inode (so `.`, an
/// absolute path and a link to it are one folder), a bucket's by bucket and
/// prefix.
pub(super) fn is_inside(destination: &Destination, folder: &Path) -> bool {
    match destination {
        Destination::Object(url) => {
            s3::S3Url::parse(&folder.to_string_lossy()).is_ok_and(|parts| {
                let prefix = match parts.key.as_str() {
                    "" => String::new(),
                    key if key.ends_with('/') => key.to_string(),
                    key => format!("{key}/"),
                };
                url.bucket == parts.bucket && url.key.starts_with(&prefix)
            })
        }
        Destination::File(path) | Destination::Stream(path) if !s3::is_s3(folder) => {
            let Some(parts) = FileId::of(folder) else {
                return false;
            };
            std::path::absolute(path).is_ok_and(|path| {
                path.ancestors()
                    .skip(1)
                    .any(|ancestor| FileId::of(ancestor) == Some(parts))
            })
        }
        _ => false,
    }
}

/// Checks that `parts` are all the shards of one run, made alike.
pub(super) fn check_whole_run(parts: &[Part], folder: &Path) -> Result<()> {
    let name = |part: &Part| {
        part.path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    };
    let count = parts[0].shard.count;
    let other_counts: Vec<String> = parts
        .iter()
        .filter(|part| part.shard.count != count)
        .map(name)
        .collect();
    if !other_counts.is_empty() {
        return Err(refused(format!(
            "the parts in {} are of different runs: {} of {count} shards, but also {}",
            folder.display(),
            name(&parts[0]),
            other_counts.join(", ")
        )));
    }
    for part in parts {
        let recorded = part
            .provenance
            .get(provenance::SHARD)
            .and_then(Value::as_str);
        if recorded != Some(part.shard.to_string().as_str()) {
            return Err(refused(format!(
                "{} records shard {}, not the one its name says (renamed?)",
                name(part),
                recorded.unwrap_or("none")
            )));
        }
    }
    // `count` is at most MAX_SHARDS (a part's name is checked when read).
    let mut present = vec![false; count];
    for part in parts {
        present[part.shard.index] = true;
    }
    let missing: Vec<String> = (0..count)
        .filter(|&index| !present[index])
        .map(|index| Shard { index, count }.part_name())
        .collect();
    if !missing.is_empty() {
        return Err(refused(format!(
            "{} of the {count} parts are missing from {}: {} (run those shards first)",
            missing.len(),
            folder.display(),
            a_few(&missing)
        )));
    }
    check_same_listing(parts)?;
    let signature = |part: &Part| {
        (
            part.provenance.get(provenance::VERSION).cloned(),
            part.provenance.get(provenance::OPTIONS).cloned(),
        )
    };
    // The parts made like most of them are the run; the others are named.
    let expected = parts
        .iter()
        .map(signature)
        .max_by_key(|candidate| {
            parts
                .iter()
                .filter(|part| signature(part) == *candidate)
                .count()
        })
        .expect("at least one part");
    let odd: Vec<String> = parts
        .iter()
        .filter(|part| signature(part) != expected)
        .map(|part| {
            let (version, options) = signature(part);
            let what = if version != expected.0 {
                format!(
                    "made by polarsdesc {}, not {}",
                    version.unwrap_or(Value::Null),
                    expected.0.clone().unwrap_or(Value::Null)
                )
            } else {
                format!(
                    "made with options {}, not {}",
                    options.unwrap_or(Value::Null),
                    expected.1.clone().unwrap_or(Value::Null)
                )
            };
            format!("{} was {what}", name(part))
        })
        .collect();
    if !odd.is_empty() {
        return Err(refused(format!(
            "the parts were not made alike: {}",
            odd.join("; ")
        )));
    }
    Ok(())
}

/// Checks that every part saw the same inputs: a file added or removed
/// between two shards' runs would otherwise be missing from the merge, or
/// described twice, without a word.
fn check_same_listing(parts: &[Part]) -> Result<()> {
    let listing = |part: &Part| part.provenance.get(provenance::LISTING).cloned();
    let first = listing(&parts[0]);
    let differing: Vec<&Part> = parts.iter().filter(|part| listing(part) != first).collect();
    if differing.is_empty() {
        return Ok(());
    }
    let files = |part: &Part| {
        listing(part)
            .and_then(|listing| listing["files"].as_u64())
            .map_or_else(
                || "no listing recorded".to_string(),
                |n| format!("{n} files"),
            )
    };
    let name = |part: &Part| part.shard.part_name();
    let others: Vec<String> = differing
        .iter()
        .map(|part| format!("{} saw {}", name(part), files(part)))
        .collect();
    Err(refused(format!(
        "the shards saw different inputs: {} saw {}, but {} (files were added, removed or \
         renamed while the shards ran, or they ran in different folders): run every shard \
         again on the same inputs",
        name(&parts[0]),
        files(&parts[0]),
        a_few(&others)
    )))
}
