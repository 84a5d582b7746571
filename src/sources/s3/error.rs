//! A failed request to object storage, said as one sentence naming the URL, and what kind of failure it is (the object is missing, the endpoint is unreachable, something else).

use std::io;

use super::S3Url;

/// A request that failed, as one sentence naming the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{url}: {reason}")]
pub struct RemoteError {
    pub url: String,
    pub reason: String,
    pub kind: RemoteErrorKind,
}

/// What kind of failure a [`RemoteError`] is: what the caller does next depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteErrorKind {
    /// The object asked for does not exist (the bucket does).
    NotFound,
    /// The endpoint did not answer (refused, timed out, not resolved): not
    /// this object's fault, and every other request would fail alike.
    Unreachable,
    /// Anything else: denied, a bucket that does not exist, a bad
    /// configuration, an object that cannot be addressed.
    Other,
}

/// How a failure looked to the client that saw it, before it is said plainly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seen {
    NotFound,
    Denied,
    Other,
}

impl RemoteError {
    /// A failure of kind [`RemoteErrorKind::Other`], with its reason.
    pub fn new(url: &str, reason: &str) -> Self {
        RemoteError {
            url: url.to_string(),
            reason: reason.to_string(),
            kind: RemoteErrorKind::Other,
        }
    }

    /// Whether the object asked for does not exist (the bucket does).
    pub fn is_not_found(&self) -> bool {
        self.kind == RemoteErrorKind::NotFound
    }

    /// Whether the endpoint stopped answering (see [`RemoteErrorKind::Unreachable`]).
    pub fn is_unreachable(&self) -> bool {
        self.kind == RemoteErrorKind::Unreachable
    }

    /// A failure a client saw (`text`: its message and causes), said
    /// plainly: what is missing, refused or unreachable.
    pub(super) fn said_plainly(url: &S3Url, seen: Seen, text: &str) -> Self {
        let (kind, reason) = classify(url, seen, text);
        RemoteError {
            url: url.to_string(),
            reason,
            kind,
        }
    }

    /// An `object_store` error, said plainly.
    pub(super) fn of(url: &S3Url, error: &object_store::Error) -> Self {
        let seen = match error {
            object_store::Error::NotFound { .. } => Seen::NotFound,
            object_store::Error::PermissionDenied { .. }
            | object_store::Error::Unauthenticated { .. } => Seen::Denied,
            _ => Seen::Other,
        };
        Self::said_plainly(url, seen, &with_causes(error))
    }
}

impl RemoteError {
    /// This failure as a reader's I/O error: its reason is the message,
    /// and [`RemoteError::in_io`] finds the failure in it again.
    pub fn into_io(self) -> io::Error {
        let kind = match self.kind {
            RemoteErrorKind::NotFound => io::ErrorKind::NotFound,
            _ => io::ErrorKind::Other,
        };
        io::Error::new(kind, InIo(self))
    }

    /// The failure an I/O error made by [`RemoteError::into_io`] carries.
    pub fn in_io(error: &io::Error) -> Option<&RemoteError> {
        error
            .get_ref()?
            .downcast_ref::<InIo>()
            .map(|carried| &carried.0)
    }
}

/// A [`RemoteError`] inside an I/O error, shown as its reason only (the
/// file's path is said by whoever reports the file).
#[derive(Debug)]
struct InIo(RemoteError);

impl std::fmt::Display for InIo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.reason)
    }
}

impl std::error::Error for InIo {}

/// An error's message followed by its causes' (the cause, refused or timed
/// out, is deep in the chain).
pub(super) fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The kind and the plain reason of a failure.
fn classify(url: &S3Url, seen: Seen, text: &str) -> (RemoteErrorKind, String) {
    use RemoteErrorKind::{NotFound, Other, Unreachable};
    if text.contains("NoSuchBucket") {
        return (Other, format!("the bucket {} does not exist", url.bucket));
    }
    if seen == Seen::NotFound {
        return (NotFound, "no such object".into());
    }
    let denied_text = [
        "403",
        "AccessDenied",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
    ];
    if seen == Seen::Denied || denied_text.iter().any(|t| text.contains(t)) {
        return (Other, access_denied(text));
    }
    let endpoint = endpoint_name();
    if text.contains("onnection refused") {
        return (
            Unreachable,
            format!("cannot reach the endpoint ({endpoint}): connection refused"),
        );
    }
    if ["timed out", "Timeout", "deadline"]
        .iter()
        .any(|t| text.contains(t))
    {
        return (
            Unreachable,
            format!("the endpoint ({endpoint}) did not answer in time"),
        );
    }
    if text.contains("dns error") || text.contains("failed to lookup") {
        return (
            Unreachable,
            format!("cannot resolve the endpoint ({endpoint})"),
        );
    }
    if [
        "onnection reset",
        "onnection closed",
        "broken pipe",
        "error sending request",
    ]
    .iter()
    .any(|t| text.contains(t))
    {
        return (
            Unreachable,
            format!(
                "the endpoint ({endpoint}) stopped answering: {}",
                first_line(text)
            ),
        );
    }
    (Other, first_line(text))
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

pub(super) fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> S3Url {
        S3Url::parse("s3://b/k.csv").unwrap()
    }

    #[test]
    fn failures_are_sorted_by_what_the_caller_does_next() {
        let missing = RemoteError::said_plainly(&url(), Seen::NotFound, "404 NoSuchKey");
        assert!(missing.is_not_found() && !missing.is_unreachable());
        let no_bucket = RemoteError::said_plainly(&url(), Seen::NotFound, "NoSuchBucket");
        assert_eq!(no_bucket.reason, "the bucket b does not exist");
        assert_eq!(no_bucket.kind, RemoteErrorKind::Other);
        for text in [
            "error sending request: tcp connect error: Connection refused (os error 111)",
            "operation timed out",
            "dns error: failed to lookup address information",
            "connection closed before message completed",
        ] {
            let error = RemoteError::said_plainly(&url(), Seen::Other, text);
            assert!(error.is_unreachable(), "{text}: {error}");
        }
        let denied = RemoteError::said_plainly(&url(), Seen::Other, "403 InvalidAccessKeyId");
        assert!(denied
            .reason
            .starts_with("the credentials are not accepted"));
        assert_eq!(denied.kind, RemoteErrorKind::Other);
    }
}
