//! Objects in S3 (`s3://bucket/key`): listing, reading whole or in ranges, writing in one PUT, configured as the AWS tools are.
//!
//! The client is `object_store`'s (the one Polars builds), driven by a small
//! tokio runtime of its own. Configuration comes from the standard `AWS_*`
//! variables (`AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ALLOW_HTTP`, credentials),
//! else from the profile files the AWS tools read (`~/.aws/credentials` and
//! `~/.aws/config`, `AWS_PROFILE`, `AWS_SHARED_CREDENTIALS_FILE`,
//! `AWS_CONFIG_FILE`). The instance metadata service (169.254.169.254) is never
//! asked unless `AWS_EC2_METADATA_DISABLED=false` says so: without credentials
//! a run stops at once, naming what it looked for, instead of waiting on an
//! address that only answers inside a cloud.
//!
//! Every request gives up within seconds (connect 3 s, whole request 30 s or
//! `POLARSDESC_S3_TIMEOUT`, at most 2 retries within 10 s; `AWS_MAX_ATTEMPTS`
//! sets the attempts), not after the client's default of 10 retries over 3
//! minutes. How the client is configured is in `config`; listings, and
//! objects whose keys object_store's paths would change, are requested in
//! `raw`; failures are said plainly in `error`.

mod config;
mod error;
mod raw;

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use config::configure;
pub use config::settings;
pub use error::{RemoteError, RemoteErrorKind};
use object_store::aws::AmazonS3;
use object_store::path::Path as ObjectPath;
use object_store::ObjectStoreExt;
use raw::Raw;

/// The scheme of the URLs this module reads and writes.
pub const SCHEME: &str = "s3://";

/// Whether `path` is an `s3://` URL.
pub fn is_s3(path: &Path) -> bool {
    path.as_os_str()
        .as_encoded_bytes()
        .starts_with(SCHEME.as_bytes())
}

/// An `s3://bucket/key` URL, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Url {
    pub bucket: String,
    pub key: String,
}

impl S3Url {
    /// Parses `s3://bucket/key` (the key may be empty or end with `/`).
    ///
    /// # Errors
    /// When the text is not an `s3://` URL with a bucket.
    pub fn parse(text: &str) -> Result<S3Url, RemoteError> {
        let rest = text
            .strip_prefix(SCHEME)
            .ok_or_else(|| RemoteError::new(text, "not an s3:// URL"))?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(RemoteError::new(
                text,
                "no bucket in the URL (s3://BUCKET/KEY)",
            ));
        }
        Ok(S3Url {
            bucket: bucket.to_string(),
            key: key.to_string(),
        })
    }

    /// The URL of `key` in the same bucket.
    pub fn with_key(&self, key: &str) -> S3Url {
        S3Url {
            bucket: self.bucket.clone(),
            key: key.to_string(),
        }
    }
}

impl std::fmt::Display for S3Url {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{SCHEME}{}/{}", self.bucket, self.key)
    }
}

/// What a listing or a HEAD says about an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    pub url: S3Url,
    pub size: u64,
    /// Last modified, nanoseconds since the epoch.
    pub modified_ns: u128,
    pub etag: Option<String>,
}

/// What a listing found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub objects: Vec<ObjectInfo>,
    /// Subfolders (common prefixes) of a one-level listing, not descended
    /// into; hidden ones (`.name/`) not counted.
    pub subfolders: usize,
}

/// The process's S3 client: one runtime, one [`Bucket`] per bucket.
pub struct Client {
    runtime: tokio::runtime::Runtime,
    buckets: Mutex<HashMap<String, Arc<Bucket>>>,
}

/// The two ways of requesting a bucket's objects: object_store's, for keys
/// its paths carry exactly, and [`Raw`], for listings and the other keys.
struct Bucket {
    store: AmazonS3,
    raw: Raw,
}

/// How the object at a URL is requested.
enum Address {
    /// Through object_store, with this path (the key, exactly).
    Store(ObjectPath),
    /// Through [`Raw`]: object_store's path would change the key.
    Raw,
}

impl Address {
    /// How to request the object at `url`.
    ///
    /// # Errors
    /// When its key cannot be requested exactly at all (see [`raw::unaddressable`]).
    fn of(url: &S3Url) -> Result<Address, RemoteError> {
        if let Some(error) = raw::unaddressable(url) {
            return Err(error);
        }
        Ok(match ObjectPath::parse(&url.key) {
            Ok(path) if path.as_ref() == url.key => Address::Store(path),
            _ => Address::Raw,
        })
    }
}

/// The shared client, made on first use.
///
/// # Errors
/// When the runtime cannot start.
pub fn client() -> Result<&'static Client, RemoteError> {
    static CLIENT: OnceLock<Result<Client, RemoteError>> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("polarsdesc-s3")
                .enable_all()
                .build()
                .map(|runtime| Client {
                    runtime,
                    buckets: Mutex::new(HashMap::new()),
                })
                .map_err(|err| {
                    RemoteError::new("s3://", &format!("cannot start the S3 client: {err}"))
                })
        })
        .as_ref()
        .map_err(Clone::clone)
}

impl Client {
    /// The requests to the bucket of `url`, configured from the environment.
    fn bucket(&self, url: &S3Url) -> Result<Arc<Bucket>, RemoteError> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bucket) = buckets.get(&url.bucket) {
            return Ok(Arc::clone(bucket));
        }
        let refused = |reason: String| RemoteError::new(&url.to_string(), &reason);
        let builder = configure(&url.bucket)?;
        let settings = settings().map_err(refused)?;
        let store = builder
            .clone()
            .build()
            .map_err(|err| refused(error::first_line(&err.to_string())))?;
        let raw = Raw::new(&builder, &store, settings, &url.bucket).map_err(refused)?;
        let bucket = Arc::new(Bucket { store, raw });
        buckets.insert(url.bucket.clone(), Arc::clone(&bucket));
        Ok(bucket)
    }

    /// The objects below `prefix` (its key read as a folder: with a `/`
    /// added unless it is empty or ends with one), one level unless
    /// `recursive`. Keys come exactly as stored.
    ///
    /// # Errors
    /// When the listing is refused or fails (no bucket, no access, no endpoint).
    pub fn list(&self, prefix: &S3Url, recursive: bool) -> Result<Listing, RemoteError> {
        let bucket = self.bucket(prefix)?;
        let folder = if prefix.key.is_empty() || prefix.key.ends_with('/') {
            prefix.key.clone()
        } else {
            format!("{}/", prefix.key)
        };
        self.runtime
            .block_on(bucket.raw.list(prefix, &folder, recursive))
    }

    /// What the object at `url` is (its size, time, ETag).
    ///
    /// # Errors
    /// When it does not exist, cannot be reached or cannot be addressed.
    pub fn head(&self, url: &S3Url) -> Result<ObjectInfo, RemoteError> {
        let bucket = self.bucket(url)?;
        self.runtime.block_on(async {
            match Address::of(url)? {
                Address::Store(path) => bucket
                    .store
                    .head(&path)
                    .await
                    .map(|meta| info(url, meta))
                    .map_err(|err| RemoteError::of(url, &err)),
                Address::Raw => bucket.raw.head(url).await,
            }
        })
    }

    /// The whole object at `url`.
    ///
    /// # Errors
    /// When the request fails.
    pub fn get(&self, url: &S3Url) -> Result<Vec<u8>, RemoteError> {
        let bucket = self.bucket(url)?;
        self.runtime.block_on(fetch(&bucket, url, None))
    }

    /// The bytes of `range` of the object at `url`.
    ///
    /// # Errors
    /// When the request fails.
    pub fn get_range(&self, url: &S3Url, range: Range<u64>) -> Result<Vec<u8>, RemoteError> {
        if range.is_empty() {
            return Ok(Vec::new());
        }
        let bucket = self.bucket(url)?;
        self.runtime.block_on(fetch(&bucket, url, Some(range)))
    }

    /// The first `limit` bytes (or all) of each of `objects`, `in_flight`
    /// requests at a time, handed to `done` in order as they complete.
    pub fn get_heads(
        &self,
        objects: &[ObjectInfo],
        limit: u64,
        in_flight: usize,
        mut done: impl FnMut(usize, Result<Vec<u8>, RemoteError>) -> bool,
    ) {
        use futures::StreamExt;
        let requests = objects.iter().map(|object| {
            let bucket = self.bucket(&object.url);
            let url = object.url.clone();
            let end = object.size.min(limit);
            async move {
                let bucket = bucket?;
                if end == 0 {
                    return Ok(Vec::new());
                }
                fetch(&bucket, &url, Some(0..end)).await
            }
        });
        self.runtime.block_on(async {
            let mut results = futures::stream::iter(requests)
                .buffered(in_flight.max(1))
                .enumerate();
            while let Some((index, result)) = results.next().await {
                if !done(index, result) {
                    break;
                }
            }
        });
    }

    /// Checks, before any work, that the bucket of `url` exists and
    /// answers these credentials: the first key of a listing beside the
    /// object. A listing refused for want of permission passes (a policy may
    /// let a user write without listing): the PUT will tell.
    ///
    /// # Errors
    /// When the bucket is missing, the endpoint cannot be reached, the
    /// credentials are not accepted, or the key cannot be addressed.
    pub fn check_bucket(&self, url: &S3Url) -> Result<(), RemoteError> {
        Address::of(url)?;
        let bucket = self.bucket(url)?;
        let parent = url.key.rsplit_once('/').map_or("", |(parent, _)| parent);
        let folder = if parent.is_empty() {
            String::new()
        } else {
            format!("{parent}/")
        };
        match self.runtime.block_on(bucket.raw.probe(url, &folder)) {
            Err(error) if !error.reason.starts_with("access denied") => Err(error),
            _ => Ok(()),
        }
    }

    /// Writes `bytes` as the object at `url`, in one PUT (atomic: readers see
    /// the old object or the whole new one).
    ///
    /// # Errors
    /// When the request fails.
    pub fn put(&self, url: &S3Url, bytes: Vec<u8>) -> Result<(), RemoteError> {
        let bucket = self.bucket(url)?;
        self.runtime.block_on(async {
            match Address::of(url)? {
                Address::Store(path) => bucket
                    .store
                    .put(&path, bytes.into())
                    .await
                    .map(drop)
                    .map_err(|err| RemoteError::of(url, &err)),
                Address::Raw => bucket.raw.put(url, bytes).await,
            }
        })
    }
}

/// The object at `url`, whole or the bytes of `range`, requested the way its key needs.
async fn fetch(
    bucket: &Bucket,
    url: &S3Url,
    range: Option<Range<u64>>,
) -> Result<Vec<u8>, RemoteError> {
    match Address::of(url)? {
        Address::Store(path) => {
            let fetched = match range {
                Some(range) => bucket.store.get_range(&path, range).await,
                None => match bucket.store.get(&path).await {
                    Ok(got) => got.bytes().await,
                    Err(err) => Err(err),
                },
            };
            fetched
                .map(|bytes| bytes.to_vec())
                .map_err(|err| RemoteError::of(url, &err))
        }
        Address::Raw => bucket.raw.get(url, range).await,
    }
}

fn info(url: &S3Url, meta: object_store::ObjectMeta) -> ObjectInfo {
    ObjectInfo {
        url: url.clone(),
        size: meta.size,
        modified_ns: u128::try_from(meta.last_modified.timestamp_nanos_opt().unwrap_or(0))
            .unwrap_or(0),
        etag: meta.e_tag,
    }
}

/// The whole of `object`, whose first bytes `head` were fetched ahead: the
/// rest fetched in one ranged GET (a Parquet file is read whole).
///
/// # Errors
/// When the rest cannot be fetched.
pub fn whole_object(object: &ObjectInfo, mut head: Vec<u8>) -> std::io::Result<Vec<u8>> {
    let fetched = head.len() as u64;
    if fetched < object.size {
        let rest = client()
            .and_then(|client| client.get_range(&object.url, fetched..object.size))
            .map_err(RemoteError::into_io)?;
        head.extend_from_slice(&rest);
    }
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let url = S3Url::parse("s3://bucket/a/b.csv").unwrap();
        assert_eq!(
            (url.bucket.as_str(), url.key.as_str()),
            ("bucket", "a/b.csv")
        );
        assert_eq!(url.to_string(), "s3://bucket/a/b.csv");
        assert_eq!(S3Url::parse("s3://bucket").unwrap().key, "");
        assert!(S3Url::parse("s3:///key").is_err());
        assert!(S3Url::parse("/local/file").is_err());
        assert!(is_s3(Path::new("s3://b/k")) && !is_s3(Path::new("data/s3://x")));
    }
}
