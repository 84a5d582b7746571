//! Inputs in a bucket: `s3://bucket/prefix/` (its CSV objects, one level unless `-r`), `s3://bucket/prefix/*.csv` (a glob on the key), and single objects.

use std::path::{Path, PathBuf};

use glob::{MatchOptions, Pattern};

use super::s3::{self, ObjectInfo, S3Url};
use super::{is_input_name, DiscoverOptions, Discovered, Input};
use crate::error::{Error, Result};

/// Adds the objects one `s3://` input names to `found`, sorted by key.
///
/// A URL that ends with `/` is a folder; one with glob metacharacters a
/// pattern on the keys (matched after its fixed part, `*` not crossing a
/// `/`); any other an object, or, when no such object exists, a folder (as
/// `aws s3 ls` reads it). An object that does not exist is kept, so that
/// reading it fails with its URL.
///
/// # Errors
/// When the bucket cannot be listed (it does not exist, access is denied,
/// the endpoint cannot be reached), naming the URL.
pub fn discover_objects(
    input: &Path,
    options: DiscoverOptions,
    found: &mut Discovered,
) -> Result<()> {
    let text = input.to_string_lossy();
    let url = S3Url::parse(&text).map_err(remote)?;
    let client = s3::client().map_err(remote)?;
    let is_pattern = url.key.contains(['*', '?', '[']);
    let (objects, root, named) = if is_pattern {
        let fixed = fixed_part(&url.key);
        let rest = Pattern::new(&url.key[fixed.len()..]).map_err(|err| Error::Glob {
            pattern: text.to_string(),
            message: err.to_string(),
        })?;
        let recursive = url.key[fixed.len()..].contains('/') || options.recursive;
        let listed = client
            .list(&url.with_key(fixed), recursive)
            .map_err(remote)?
            .objects;
        let options = MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: true,
        };
        let matching = listed
            .into_iter()
            .filter(|object| {
                object
                    .url
                    .key
                    .strip_prefix(fixed)
                    .is_some_and(|rest_of_key| rest.matches_with(rest_of_key, options))
            })
            .collect();
        (matching, fixed.to_string(), false)
    } else if url.key.is_empty() || url.key.ends_with('/') {
        (
            folder_objects(client, &url, options.recursive, found)?,
            url.key.clone(),
            false,
        )
    } else {
        match client.head(&url) {
            Ok(object) => (vec![object], parent_key(&url.key), true),
            Err(err) if !err.is_not_found() => return Err(remote(err)),
            Err(_) => {
                // Not an object: perhaps a folder named without its slash.
                let folder = url.with_key(&format!("{}/", url.key));
                let objects = folder_objects(client, &folder, options.recursive, found)?;
                if objects.is_empty() {
                    found.files.push(Input {
                        path: input.to_path_buf(),
                        named: true,
                        relative: PathBuf::from(&url.key),
                        inode: None,
                        object: None,
                    });
                    return Ok(());
                }
                (objects, folder.key, false)
            }
        }
    };
    let mut objects = objects;
    objects.sort_by(|a, b| a.url.key.cmp(&b.url.key));
    found.files.extend(objects.into_iter().map(|object| {
        Input {
            path: PathBuf::from(object.url.to_string()),
            named,
            relative: PathBuf::from(
                object
                    .url
                    .key
                    .strip_prefix(root.as_str())
                    .unwrap_or(&object.url.key)
                    .trim_start_matches('/'),
            ),
            inode: None,
            object: Some(object),
        }
    }));
    Ok(())
}

/// The CSV objects of the folder `url` (see [`csv_objects`]); its
/// subfolders not searched are counted in `found`, as a local folder's are.
fn folder_objects(
    client: &s3::Client,
    url: &S3Url,
    recursive: bool,
    found: &mut Discovered,
) -> Result<Vec<ObjectInfo>> {
    let listing = client.list(url, recursive).map_err(remote)?;
    found.skipped_folders += listing.subfolders;
    Ok(csv_objects(listing.objects))
}

/// The objects whose names are CSV files' (`*.csv` and compressed forms),
/// not hidden.
fn csv_objects(objects: Vec<ObjectInfo>) -> Vec<ObjectInfo> {
    objects
        .into_iter()
        .filter(|object| {
            let name = object.url.key.rsplit('/').next().unwrap_or_default();
            !name.starts_with('.') && is_input_name(name.as_ref())
        })
        .collect()
}

/// The key up to the last `/` before the first metacharacter: where a
/// pattern's matches are listed from.
fn fixed_part(key: &str) -> &str {
    let first = key.find(['*', '?', '[']).unwrap_or(key.len());
    match key[..first].rfind('/') {
        Some(slash) => &key[..=slash],
        None => "",
    }
}

/// The folder part of a key (`a/b/` of `a/b/c.csv`).
fn parent_key(key: &str) -> String {
    key.rfind('/')
        .map_or_else(String::new, |slash| key[..=slash].to_string())
}

fn remote(error: s3::RemoteError) -> Error {
    Error::Remote(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_parts_and_parents() {
        assert_eq!(fixed_part("data/2024/*.csv"), "data/2024/");
        assert_eq!(fixed_part("*.csv"), "");
        assert_eq!(fixed_part("data/a*/x.csv"), "data/");
        assert_eq!(parent_key("a/b/c.csv"), "a/b/");
        assert_eq!(parent_key("c.csv"), "");
    }
}
