//! Requests made with the key byte for byte: listings, and objects whose keys object_store's `Path` would change, signed and sent as object_store sends its own.
//!
//! object_store's `Path` cannot carry every key S3 stores: it drops a
//! leading, trailing or doubled `/`, refuses a control character, and one
//! such key in a listing fails the whole listing. So listings are made here
//! (one odd key then fails only itself, when it is read), and so are
//! requests for an object whose key `Path` would change. The signature
//! (SigV4), credentials, endpoint and HTTP client are object_store's; only
//! the URL is built here, each key percent-encoded once.
//!
//! One kind of key cannot be requested at all: one with a `.` or `..`
//! segment (`d/./x.csv`). URL parsers remove such segments (the WHATWG rules
//! the `url` crate follows, even for `%2E`), so the request would reach
//! another object. Such a key fails with that reason (see
//! [`unaddressable`]).

use std::ops::Range;
use std::time::{Duration, Instant};

use chrono::DateTime;
use object_store::aws::AwsCredentialProvider;
use object_store::aws::{AmazonS3, AmazonS3Builder, AmazonS3ConfigKey, AwsAuthorizer};
use object_store::client::{HttpClient, HttpConnector, HttpRequestBody, ReqwestConnector};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Deserialize;

use super::config::{Settings, RETRY_BUDGET};
use super::error::{first_line, with_causes, Seen};
use super::{Listing, ObjectInfo, RemoteError, S3Url};

/// What a key's bytes are sent as in a query value: everything but
/// `A-Za-z0-9-._~` percent-encoded (as SigV4 wants it).
const QUERY_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// ... and in a URL's path: the same, `/` kept.
const PATH_SET: &AsciiSet = &QUERY_SET.remove(b'/');

/// Requests to one bucket, made without object_store's `Path`.
#[derive(Debug)]
pub(super) struct Raw {
    http: HttpClient,
    /// `https://s3.REGION.amazonaws.com/BUCKET`, the endpoint with the
    /// bucket, or the virtual host: what a key is appended to.
    bucket_endpoint: String,
    region: String,
    /// None: requests are not signed (`AWS_SKIP_SIGNATURE`).
    credentials: Option<AwsCredentialProvider>,
    attempts: usize,
}

impl Raw {
    /// Requests to the bucket `builder` (the one `store` was built from)
    /// addresses, with `store`'s credentials.
    ///
    /// # Errors
    /// When the HTTP client cannot be made.
    pub(super) fn new(
        builder: &AmazonS3Builder,
        store: &AmazonS3,
        settings: &Settings,
        bucket: &str,
    ) -> Result<Raw, String> {
        let value = |key| builder.get_config_value(&key);
        let region = value(AmazonS3ConfigKey::Region).unwrap_or_else(|| "us-east-1".into());
        let virtual_hosted =
            value(AmazonS3ConfigKey::VirtualHostedStyleRequest).as_deref() == Some("true");
        let endpoint = value(AmazonS3ConfigKey::S3Endpoint).or(value(AmazonS3ConfigKey::Endpoint));
        let bucket_endpoint = match (endpoint, virtual_hosted) {
            (Some(endpoint), true) => endpoint.trim_end_matches('/').to_string(),
            (Some(endpoint), false) => format!("{}/{bucket}", endpoint.trim_end_matches('/')),
            (None, true) => format!("https://{bucket}.s3.{region}.amazonaws.com"),
            (None, false) => format!("https://s3.{region}.amazonaws.com/{bucket}"),
        };
        let skip_signature = value(AmazonS3ConfigKey::SkipSignature).as_deref() == Some("true");
        let http = ReqwestConnector::default()
            .connect(&settings.client_options())
            .map_err(|err| first_line(&err.to_string()))?;
        Ok(Raw {
            http,
            bucket_endpoint,
            region,
            credentials: (!skip_signature).then(|| store.credentials().clone()),
            attempts: settings.attempts.max(1),
        })
    }

    /// Every object below `prefix` (the key as given: a folder's ends with
    /// `/`), one level (with its subfolders counted) unless `recursive`.
    pub(super) async fn list(
        &self,
        url: &S3Url,
        prefix: &str,
        recursive: bool,
    ) -> Result<Listing, RemoteError> {
        let mut listing = Listing {
            objects: Vec::new(),
            subfolders: 0,
        };
        let mut token = None;
        loop {
            let page = self
                .list_page(url, prefix, recursive, token.as_deref(), None)
                .await?;
            listing.objects.extend(page.objects(url));
            listing.subfolders += page.visible_subfolders();
            token = page.next_continuation_token;
            if token.is_none() {
                return Ok(listing);
            }
        }
    }

    /// Whether the bucket answers: the first key below `prefix`, if any.
    pub(super) async fn probe(&self, url: &S3Url, prefix: &str) -> Result<(), RemoteError> {
        self.list_page(url, prefix, true, None, Some(1))
            .await
            .map(drop)
    }

    /// One page of a ListObjectsV2, keys URL-encoded by the server (so that
    /// any key, control characters included, survives the XML).
    async fn list_page(
        &self,
        url: &S3Url,
        prefix: &str,
        recursive: bool,
        token: Option<&str>,
        max_keys: Option<usize>,
    ) -> Result<ListPage, RemoteError> {
        let mut query = vec![
            ("list-type", "2".to_string()),
            ("encoding-type", "url".into()),
        ];
        if !prefix.is_empty() {
            query.push(("prefix", prefix.to_string()));
        }
        if !recursive {
            query.push(("delimiter", "/".into()));
        }
        if let Some(token) = token {
            query.push(("continuation-token", token.to_string()));
        }
        if let Some(max_keys) = max_keys {
            query.push(("max-keys", max_keys.to_string()));
        }
        let query: Vec<String> = query
            .iter()
            .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, QUERY_SET)))
            .collect();
        let address = format!("{}?{}", self.bucket_endpoint, query.join("&"));
        let body = self.send(url, "GET", &address, None, Vec::new()).await?.1;
        quick_xml::de::from_reader(body.as_slice()).map_err(|err| {
            RemoteError::new(
                &url.to_string(),
                &format!("the listing the endpoint sent cannot be read: {err}"),
            )
        })
    }

    /// What the object at `url` is (size, time, ETag).
    pub(super) async fn head(&self, url: &S3Url) -> Result<ObjectInfo, RemoteError> {
        let (headers, _) = self
            .send(url, "HEAD", &self.object_address(url), None, Vec::new())
            .await?;
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        Ok(ObjectInfo {
            url: url.clone(),
            size: header("content-length")
                .and_then(|size| size.parse().ok())
                .unwrap_or(0),
            modified_ns: header("last-modified")
                .and_then(|time| DateTime::parse_from_rfc2822(&time).ok())
                .map_or(0, |time| nanoseconds(time.timestamp_nanos_opt())),
            etag: header("etag"),
        })
    }

    /// The object at `url`, whole or the bytes of `range`.
    pub(super) async fn get(
        &self,
        url: &S3Url,
        range: Option<Range<u64>>,
    ) -> Result<Vec<u8>, RemoteError> {
        let range = range.map(|range| format!("bytes={}-{}", range.start, range.end - 1));
        let address = self.object_address(url);
        Ok(self.send(url, "GET", &address, range, Vec::new()).await?.1)
    }

    /// Writes `bytes` as the object at `url`, in one PUT.
    pub(super) async fn put(&self, url: &S3Url, bytes: Vec<u8>) -> Result<(), RemoteError> {
        let address = self.object_address(url);
        self.send(url, "PUT", &address, None, bytes).await.map(drop)
    }

    fn object_address(&self, url: &S3Url) -> String {
        format!(
            "{}/{}",
            self.bucket_endpoint,
            utf8_percent_encode(&url.key, PATH_SET)
        )
    }

    /// Sends one request, signed, retried as object_store retries (a
    /// connection that fails, a server error, throttling) within
    /// [`RETRY_BUDGET`]; the headers and body of its answer.
    async fn send(
        &self,
        url: &S3Url,
        method: &str,
        address: &str,
        range: Option<String>,
        body: Vec<u8>,
    ) -> Result<(http::HeaderMap, Vec<u8>), RemoteError> {
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = self
                .send_once(url, method, address, range.as_deref(), &body)
                .await;
            let retry = match &outcome {
                Ok(_) => false,
                Err((_, retryable)) => *retryable,
            };
            let backoff = Duration::from_millis(100 << attempt.min(4));
            if !retry || attempt >= self.attempts || started.elapsed() + backoff > RETRY_BUDGET {
                return outcome.map_err(|(error, _)| error);
            }
            tokio::time::sleep(backoff).await;
        }
    }

    /// One try: the answer, or the error and whether another try may help.
    async fn send_once(
        &self,
        url: &S3Url,
        method: &str,
        address: &str,
        range: Option<&str>,
        body: &[u8],
    ) -> Result<(http::HeaderMap, Vec<u8>), (RemoteError, bool)> {
        let fatal = |error: RemoteError| (error, false);
        let mut builder = http::Request::builder().method(method).uri(address);
        if let Some(range) = range {
            builder = builder.header("range", range);
        }
        let mut request = builder
            .body(HttpRequestBody::from(body.to_vec()))
            .map_err(|err| fatal(RemoteError::new(&url.to_string(), &err.to_string())))?;
        if let Some(credentials) = &self.credentials {
            let credential = credentials
                .get_credential()
                .await
                .map_err(|err| fatal(RemoteError::of(url, &err)))?;
            AwsAuthorizer::new(&credential, "s3", &self.region).authorize(&mut request, None);
        }
        let response = match self.http.execute(request).await {
            Ok(response) => response,
            Err(err) => {
                let error = RemoteError::said_plainly(url, Seen::Other, &with_causes(&err));
                return Err((error, true));
            }
        };
        let (parts, body) = response.into_parts();
        let body = body.bytes().await.map(|bytes| bytes.to_vec());
        let status = parts.status;
        if status.is_success() {
            let body = body.map_err(|err| {
                (
                    RemoteError::said_plainly(url, Seen::Other, &with_causes(&err)),
                    true,
                )
            })?;
            return Ok((parts.headers, body));
        }
        let text = format!(
            "HTTP {status}: {}",
            String::from_utf8_lossy(&body.unwrap_or_default())
        );
        let seen = match status.as_u16() {
            404 => Seen::NotFound,
            401 | 403 => Seen::Denied,
            _ => Seen::Other,
        };
        let retryable = status.is_server_error() || status.as_u16() == 429;
        Err((RemoteError::said_plainly(url, seen, &text), retryable))
    }
}

/// Why the object at `url` cannot be requested exactly, if it cannot: a
/// key with a `.` or `..` segment (see the module's notes).
pub(super) fn unaddressable(url: &S3Url) -> Option<RemoteError> {
    url.key
        .split('/')
        .any(|segment| segment == "." || segment == "..")
        .then(|| {
            RemoteError::new(
                &url.to_string(),
                "a key with a '.' or '..' segment cannot be requested exactly (URL parsers \
             remove such segments, so the request would reach another object); rename the object",
            )
        })
}

/// One page of a listing, as the server sends it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListPage {
    #[serde(default)]
    contents: Vec<ListedObject>,
    #[serde(default)]
    common_prefixes: Vec<ListedPrefix>,
    next_continuation_token: Option<String>,
    encoding_type: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListedObject {
    key: String,
    size: u64,
    last_modified: String,
    #[serde(rename = "ETag")]
    e_tag: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListedPrefix {
    prefix: String,
}

impl ListPage {
    /// A key as stored: URL-decoded when the server encoded it (`+` is a
    /// space, as the AWS tools read it).
    fn decode(&self, text: &str) -> String {
        if self.encoding_type.as_deref() != Some("url") {
            return text.to_string();
        }
        let spaced = text.replace('+', " ");
        percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
    }

    fn objects<'a>(&'a self, url: &'a S3Url) -> impl Iterator<Item = ObjectInfo> + 'a {
        self.contents.iter().map(move |object| ObjectInfo {
            url: url.with_key(&self.decode(&object.key)),
            size: object.size,
            modified_ns: DateTime::parse_from_rfc3339(&object.last_modified)
                .map_or(0, |time| nanoseconds(time.timestamp_nanos_opt())),
            etag: object.e_tag.clone(),
        })
    }

    /// Subfolders not descended into; hidden ones (`.name/`) not counted.
    fn visible_subfolders(&self) -> usize {
        self.common_prefixes
            .iter()
            .filter(|folder| {
                let prefix = self.decode(&folder.prefix);
                let name = prefix
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("");
                !name.starts_with('.')
            })
            .count()
    }
}

fn nanoseconds(time: Option<i64>) -> u128 {
    time.and_then(|ns| u128::try_from(ns).ok()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_gives_keys_as_stored() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsTruncated>true</IsTruncated>
<Contents><Key>/d/x.csv</Key><LastModified>2026-12-02T07:55:38.000Z</LastModified><ETag>"6f"</ETag><Size>4</Size></Contents>
<Contents><Key>d/a%20b%2Bc+d.csv</Key><LastModified>2026-12-02T07:55:38.000Z</LastModified><ETag>"0c"</ETag><Size>5</Size></Contents>
<Contents><Key>d/tab%09x%C3%BC.csv</Key><LastModified>2026-12-02T07:55:38.500Z</LastModified><ETag>"0d"</ETag><Size>6</Size></Contents>
<CommonPrefixes><Prefix>d/sub/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>d/.hidden/</Prefix></CommonPrefixes>
<Name>bkt</Name><EncodingType>url</EncodingType><NextContinuationToken>abc=</NextContinuationToken></ListBucketResult>"#;
        let page: ListPage = quick_xml::de::from_reader(xml.as_bytes()).unwrap();
        let url = S3Url::parse("s3://bkt/").unwrap();
        let objects: Vec<ObjectInfo> = page.objects(&url).collect();
        let keys: Vec<&str> = objects.iter().map(|o| o.url.key.as_str()).collect();
        assert_eq!(keys, ["/d/x.csv", "d/a b+c d.csv", "d/tab\txü.csv"]);
        assert_eq!(objects[2].size, 6);
        assert_eq!(objects[2].etag.as_deref(), Some("\"0d\""));
        assert_eq!(objects[2].modified_ns, 1_796_198_138_500_000_000);
        assert_eq!(page.visible_subfolders(), 1);
        assert_eq!(page.next_continuation_token.as_deref(), Some("abc="));
    }

    #[test]
    fn keys_are_encoded_once_and_dot_segments_refused() {
        let encoded = utf8_percent_encode("/d/ü #%?\t.csv", PATH_SET).to_string();
        assert_eq!(encoded, "/d/%C3%BC%20%23%25%3F%09.csv");
        for key in ["d/./x.csv", "d/../x.csv", "./x.csv", "d/.."] {
            let url = S3Url::parse(&format!("s3://b/{key}")).unwrap();
            assert!(unaddressable(&url).is_some(), "{key}");
        }
        for key in ["d/.x.csv", "d/x..csv", "d//x.csv", "/x.csv"] {
            let url = S3Url::parse(&format!("s3://b/{key}")).unwrap();
            assert!(unaddressable(&url).is_none(), "{key}");
        }
    }
}
