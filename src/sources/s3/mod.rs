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
//! minutes. How the client is configured is in `config`.

mod config;

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use config::configure;
use futures::TryStreamExt;
use object_store::aws::AmazonS3;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};

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

/// The reason of a request for an object that does not exist.
const NO_SUCH_OBJECT: &str = "no such object";

/// What a listing found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub objects: Vec<ObjectInfo>,
    /// Subfolders (common prefixes) of a one-level listing, not descended
    /// into; hidden ones (`.name/`) not counted.
    pub subfolders: usize,
}

/// A request that failed, as one sentence naming the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{url}: {reason}")]
pub struct RemoteError {
    pub url: String,
    pub reason: String,
}

impl RemoteError {
    fn new(url: &str, reason: &str) -> Self {
        RemoteError {
            url: url.to_string(),
            reason: reason.to_string(),
        }
    }

    /// Whether the object asked for does not exist (the bucket does).
    pub fn is_not_found(&self) -> bool {
        self.reason == NO_SUCH_OBJECT
    }

    /// An `object_store` error, said plainly: what is missing or refused.
    fn of(url: &S3Url, error: &object_store::Error) -> Self {
        // The cause (refused, timed out) is deep in the chain of sources.
        let mut text = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        let reason = match error {
            object_store::Error::NotFound { .. } if text.contains("NoSuchBucket") => {
                format!("the bucket {} does not exist", url.bucket)
            }
            object_store::Error::NotFound { .. } => NO_SUCH_OBJECT.to_string(),
            _ if text.contains("NoSuchBucket") => {
                format!("the bucket {} does not exist", url.bucket)
            }
            object_store::Error::PermissionDenied { .. }
            | object_store::Error::Unauthenticated { .. } => access_denied(&text),
            _ if text.contains("403")
                || text.contains("AccessDenied")
                || text.contains("InvalidAccessKeyId")
                || text.contains("SignatureDoesNotMatch") =>
            {
                access_denied(&text)
            }
            _ if text.contains("Connection refused") || text.contains("onnection refused") => {
                format!(
                    "cannot reach the endpoint ({}): connection refused",
                    endpoint_name()
                )
            }
            _ if text.contains("timed out")
                || text.contains("Timeout")
                || text.contains("deadline") =>
            {
                format!("the endpoint ({}) did not answer in time", endpoint_name())
            }
            _ if text.contains("dns error") || text.contains("failed to lookup") => {
                format!("cannot resolve the endpoint ({})", endpoint_name())
            }
            _ => text.lines().next().unwrap_or_default().to_string(),
        };
        RemoteError {
            url: url.to_string(),
            reason,
        }
    }
}

fn access_denied(text: &str) -> String {
    let what = if text.contains("InvalidAccessKeyId") || text.contains("SignatureDoesNotMatch") {
        "the credentials are not accepted"
    } else {
        "access denied"
    };
    format!("{what} (check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or the profile, and the bucket's policy)")
}

fn endpoint_name() -> String {
    std::env::var("AWS_ENDPOINT_URL")
        .or_else(|_| std::env::var("AWS_ENDPOINT"))
        .unwrap_or_else(|_| "AWS S3".into())
}

/// The process's S3 client: one runtime, one store per bucket.
pub struct Client {
    runtime: tokio::runtime::Runtime,
    stores: Mutex<HashMap<String, Arc<AmazonS3>>>,
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
                    stores: Mutex::new(HashMap::new()),
                })
                .map_err(|err| {
                    RemoteError::new("s3://", &format!("cannot start the S3 client: {err}"))
                })
        })
        .as_ref()
        .map_err(Clone::clone)
}

impl Client {
    /// The store of `bucket`, configured from the environment.
    fn store(&self, url: &S3Url) -> Result<Arc<AmazonS3>, RemoteError> {
        let mut stores = self.stores.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(store) = stores.get(&url.bucket) {
            return Ok(Arc::clone(store));
        }
        let store = Arc::new(configure(&url.bucket).and_then(|builder| {
            builder
                .build()
                .map_err(|err| RemoteError::new(&url.to_string(), &first_line(&err.to_string())))
        })?);
        stores.insert(url.bucket.clone(), Arc::clone(&store));
        Ok(store)
    }

    /// The objects below `prefix` (its key read as a folder: with a `/`
    /// added unless it is empty), one level unless `recursive`.
    ///
    /// # Errors
    /// When the listing is refused or fails (no bucket, no access, no endpoint).
    pub fn list(&self, prefix: &S3Url, recursive: bool) -> Result<Listing, RemoteError> {
        let store = self.store(prefix)?;
        let folder = prefix.key.trim_end_matches('/');
        let location = (!folder.is_empty()).then(|| ObjectPath::from(folder));
        let listed = self.runtime.block_on(async {
            if recursive {
                let objects = store
                    .list(location.as_ref())
                    .try_collect::<Vec<_>>()
                    .await?;
                Ok((objects, 0))
            } else {
                let listing = store.list_with_delimiter(location.as_ref()).await?;
                let subfolders = listing
                    .common_prefixes
                    .iter()
                    .filter(|path| path.filename().is_some_and(|name| !name.starts_with('.')))
                    .count();
                Ok((listing.objects, subfolders))
            }
        });
        let (objects, subfolders) =
            listed.map_err(|err: object_store::Error| RemoteError::of(prefix, &err))?;
        Ok(Listing {
            objects: objects.into_iter().map(|meta| info(prefix, meta)).collect(),
            subfolders,
        })
    }

    /// What the object at `url` is (its size, time, ETag).
    ///
    /// # Errors
    /// When it does not exist or cannot be reached.
    pub fn head(&self, url: &S3Url) -> Result<ObjectInfo, RemoteError> {
        let store = self.store(url)?;
        let meta = self
            .runtime
            .block_on(store.head(&ObjectPath::from(url.key.as_str())))
            .map_err(|err| RemoteError::of(url, &err))?;
        Ok(info(url, meta))
    }

    /// The whole object at `url`.
    ///
    /// # Errors
    /// When the request fails.
    pub fn get(&self, url: &S3Url) -> Result<Vec<u8>, RemoteError> {
        let store = self.store(url)?;
        self.runtime
            .block_on(async {
                let got = store.get(&ObjectPath::from(url.key.as_str())).await?;
                got.bytes().await
            })
            .map(|bytes| bytes.to_vec())
            .map_err(|err| RemoteError::of(url, &err))
    }

    /// The bytes of `range` of the object at `url`.
    ///
    /// # Errors
    /// When the request fails.
    pub fn get_range(&self, url: &S3Url, range: Range<u64>) -> Result<Vec<u8>, RemoteError> {
        let store = self.store(url)?;
        if range.is_empty() {
            return Ok(Vec::new());
        }
        self.runtime
            .block_on(store.get_range(&ObjectPath::from(url.key.as_str()), range))
            .map(|bytes| bytes.to_vec())
            .map_err(|err| RemoteError::of(url, &err))
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
            let store = self.store(&object.url);
            let url = object.url.clone();
            let end = object.size.min(limit);
            async move {
                let store = store?;
                if end == 0 {
                    return Ok(Vec::new());
                }
                store
                    .get_range(&ObjectPath::from(url.key.as_str()), 0..end)
                    .await
                    .map(|bytes| bytes.to_vec())
                    .map_err(|err| RemoteError::of(&url, &err))
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
    /// answers these credentials: the first page of a listing beside the
    /// object. A listing refused for want of permission passes (a policy may
    /// let a user write without listing): the PUT will tell.
    ///
    /// # Errors
    /// When the bucket is missing, the endpoint cannot be reached, or the
    /// credentials are not accepted.
    pub fn check_bucket(&self, url: &S3Url) -> Result<(), RemoteError> {
        use futures::StreamExt;
        let store = self.store(url)?;
        let parent = url.key.rsplit_once('/').map_or("", |(parent, _)| parent);
        let location = (!parent.is_empty()).then(|| ObjectPath::from(parent));
        let first = self
            .runtime
            .block_on(async { store.list(location.as_ref()).next().await });
        match first {
            None | Some(Ok(_)) => Ok(()),
            Some(Err(err)) => {
                let error = RemoteError::of(url, &err);
                if error.reason.starts_with("access denied") {
                    Ok(())
                } else {
                    Err(error)
                }
            }
        }
    }

    /// Writes `bytes` as the object at `url`, in one PUT (atomic: readers see
    /// the old object or the whole new one).
    ///
    /// # Errors
    /// When the request fails.
    pub fn put(&self, url: &S3Url, bytes: Vec<u8>) -> Result<(), RemoteError> {
        let store = self.store(url)?;
        self.runtime
            .block_on(store.put(&ObjectPath::from(url.key.as_str()), bytes.into()))
            .map(drop)
            .map_err(|err| RemoteError::of(url, &err))
    }
}

fn info(url: &S3Url, meta: object_store::ObjectMeta) -> ObjectInfo {
    ObjectInfo {
        url: url.with_key(meta.location.as_ref()),
        size: meta.size,
        modified_ns: u128::try_from(meta.last_modified.timestamp_nanos_opt().unwrap_or(0))
            .unwrap_or(0),
        etag: meta.e_tag,
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
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
