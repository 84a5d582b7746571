//! How the S3 client is configured: from the `AWS_*` variables and the AWS tools' profile files, with short timeouts and no silent fallback on the instance metadata service.

use std::sync::OnceLock;
use std::time::Duration;

use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::{ClientOptions, RetryConfig};

use super::{RemoteError, SCHEME};

/// The settings read from the environment, checked once: a value that is
/// not what its variable takes is an error naming the variable, never
/// silently replaced by a default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// How long one request may take: `POLARSDESC_S3_TIMEOUT` seconds, else
    /// 30 (a block of 8 MiB at 300 kB/s).
    pub timeout: Duration,
    /// Attempts per request: `AWS_MAX_ATTEMPTS`, else 3.
    pub attempts: usize,
    /// Requests kept in flight by the prefetch: `POLARSDESC_S3_REQUESTS`, else 64.
    pub requests: usize,
    /// `AWS_ALLOW_HTTP`: plain `http://` endpoints allowed.
    pub allow_http: bool,
}

/// How long the retries of one request may take in all.
pub const RETRY_BUDGET: Duration = Duration::from_secs(10);

/// The process's settings, read and checked on first use.
///
/// # Errors
/// When a variable holds what it does not take (one line naming it).
pub fn settings() -> Result<&'static Settings, String> {
    static SETTINGS: OnceLock<Result<Settings, String>> = OnceLock::new();
    SETTINGS
        .get_or_init(|| Settings::read(|name| std::env::var(name).ok()))
        .as_ref()
        .map_err(Clone::clone)
}

impl Settings {
    /// The settings `environment` (a lookup of variables) gives.
    fn read(environment: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let number = |name: &str, default: u64, what: &str| -> Result<u64, String> {
            match environment(name) {
                None => Ok(default),
                Some(value) => value
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("{name}={value:?} is not {what}")),
            }
        };
        let allow_http = match environment("AWS_ALLOW_HTTP") {
            None => false,
            Some(value) => match value.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" | "" => false,
                _ => return Err(format!("AWS_ALLOW_HTTP={value:?} is not true or false")),
            },
        };
        Ok(Settings {
            timeout: Duration::from_secs(number(
                "POLARSDESC_S3_TIMEOUT",
                30,
                "a whole number of seconds above 0",
            )?),
            attempts: usize::try_from(number(
                "AWS_MAX_ATTEMPTS",
                3,
                "a whole number of attempts above 0",
            )?)
            .unwrap_or(usize::MAX),
            requests: usize::try_from(number(
                "POLARSDESC_S3_REQUESTS",
                super::super::prefetch::DEFAULT_REQUESTS as u64,
                "a whole number of requests above 0",
            )?)
            .unwrap_or(usize::MAX),
            allow_http,
        })
    }

    /// The HTTP client's options: short timeouts, plain HTTP only if allowed.
    pub fn client_options(&self) -> ClientOptions {
        ClientOptions::new()
            .with_connect_timeout(Duration::from_secs(3))
            .with_timeout(self.timeout)
            .with_allow_http(self.allow_http)
    }
}

/// Checks an endpoint URL before any request: `http(s)://host[:port][/path]`,
/// plain HTTP only with `AWS_ALLOW_HTTP`.
fn check_endpoint(name: &str, endpoint: &str, allow_http: bool) -> Result<(), String> {
    let parsed = url::Url::parse(endpoint).ok().filter(|url| {
        matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty())
    });
    let Some(url) = parsed else {
        return Err(format!(
            "{name}={endpoint:?} is not an endpoint URL: it needs a scheme and a host, as in \
             https://s3.example.com or http://127.0.0.1:9000"
        ));
    };
    if url.scheme() == "http" && !allow_http {
        return Err(format!(
            "{name}={endpoint:?} is plain HTTP, which is refused unless AWS_ALLOW_HTTP=true \
             is set (for a server on a trusted network)"
        ));
    }
    Ok(())
}

/// A builder for `bucket`, from the environment and the profile files,
/// with short timeouts; refuses to fall back on the instance metadata
/// service unless asked to.
pub(super) fn configure(bucket: &str) -> Result<AmazonS3Builder, RemoteError> {
    let refuse = |reason: String| RemoteError::new(&format!("{SCHEME}{bucket}"), &reason);
    let settings = settings().map_err(refuse)?;
    let retry = RetryConfig {
        max_retries: settings.attempts.saturating_sub(1),
        retry_timeout: RETRY_BUDGET,
        ..RetryConfig::default()
    };
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .with_retry(retry)
        .with_client_options(settings.client_options());
    let from_environment = std::env::var_os("AWS_ACCESS_KEY_ID").is_some()
        || std::env::var_os("AWS_WEB_IDENTITY_TOKEN_FILE").is_some()
        || std::env::var_os("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").is_some()
        || std::env::var_os("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some();
    let profile = profile::load();
    if let Some(region) = profile
        .get("region")
        .filter(|_| std::env::var_os("AWS_REGION").is_none())
    {
        builder = builder.with_region(region);
    }
    let mut endpoint_from = if std::env::var_os("AWS_ENDPOINT_URL").is_some() {
        "AWS_ENDPOINT_URL"
    } else {
        "AWS_ENDPOINT"
    };
    if let Some(endpoint) = profile
        .get("endpoint_url")
        .filter(|_| std::env::var_os("AWS_ENDPOINT_URL").is_none())
    {
        builder = builder.with_endpoint(endpoint);
        endpoint_from = "the profile's endpoint_url";
    }
    for (key, name) in [
        (AmazonS3ConfigKey::S3Endpoint, "AWS_ENDPOINT_URL_S3"),
        (AmazonS3ConfigKey::Endpoint, endpoint_from),
    ] {
        if let Some(endpoint) = builder.get_config_value(&key) {
            check_endpoint(name, &endpoint, settings.allow_http).map_err(refuse)?;
        }
    }
    if from_environment {
        return Ok(builder);
    }
    if let (Some(key), Some(secret)) = (
        profile.get("aws_access_key_id"),
        profile.get("aws_secret_access_key"),
    ) {
        builder = builder
            .with_access_key_id(key)
            .with_secret_access_key(secret);
        if let Some(token) = profile.get("aws_session_token") {
            builder = builder.with_token(token);
        }
        return Ok(builder);
    }
    if truthy("AWS_SKIP_SIGNATURE") {
        return Ok(builder.with_skip_signature(true));
    }
    if std::env::var("AWS_EC2_METADATA_DISABLED").is_ok_and(|v| v.eq_ignore_ascii_case("false")) {
        return Ok(builder);
    }
    Err(RemoteError::new(
        &format!("{SCHEME}{bucket}"),
        "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile in \
         ~/.aws/credentials (AWS_PROFILE), AWS_SKIP_SIGNATURE=true for a public bucket, or \
         AWS_EC2_METADATA_DISABLED=false to ask the instance metadata service",
    ))
}

fn truthy(name: &str) -> bool {
    std::env::var(name)
        .is_ok_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
}

/// The AWS tools' profile files, read as they read them.
mod profile {
    use std::collections::HashMap;
    use std::path::PathBuf;

    /// The settings of the selected profile (`AWS_PROFILE`, else `default`):
    /// from `~/.aws/config` (`[profile NAME]`, or `[default]`), then
    /// `~/.aws/credentials` (`[NAME]`), which wins.
    pub fn load() -> HashMap<String, String> {
        let name = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into());
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default();
        let config = std::env::var_os("AWS_CONFIG_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(".aws/config"));
        let credentials = std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(".aws/credentials"));
        let config_section = if name == "default" {
            "default".to_string()
        } else {
            format!("profile {name}")
        };
        let mut settings = section(&config, &config_section);
        settings.extend(section(&credentials, &name));
        settings
    }

    /// The `key = value` lines of `[name]` in an INI file.
    pub fn section(path: &std::path::Path, name: &str) -> HashMap<String, String> {
        let Ok(text) = std::fs::read_to_string(path) else {
            return HashMap::new();
        };
        let mut inside = false;
        let mut settings = HashMap::new();
        for line in text.lines().map(str::trim) {
            if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                inside = header.trim() == name;
            } else if inside && !line.starts_with(['#', ';']) {
                if let Some((key, value)) = line.split_once('=') {
                    settings.insert(key.trim().to_ascii_lowercase(), value.trim().to_string());
                }
            }
        }
        settings
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn reads_the_named_section() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("credentials");
            std::fs::write(
                &path,
                "[default]\naws_access_key_id = A\n\n[work]\n# a comment\nAWS_ACCESS_KEY_ID=B\naws_secret_access_key = C\n",
            )
            .unwrap();
            assert_eq!(super::section(&path, "default")["aws_access_key_id"], "A");
            let work = super::section(&path, "work");
            assert_eq!(
                (
                    work["aws_access_key_id"].as_str(),
                    work["aws_secret_access_key"].as_str()
                ),
                ("B", "C")
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> Result<Settings, String> {
        Settings::read(|name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        })
    }

    #[test]
    fn settings_default_and_refuse_what_they_do_not_take() {
        let defaults = read(&[]).unwrap();
        assert_eq!(
            (
                defaults.timeout,
                defaults.attempts,
                defaults.requests,
                defaults.allow_http
            ),
            (Duration::from_secs(30), 3, 64, false)
        );
        let set = read(&[
            ("POLARSDESC_S3_TIMEOUT", "5"),
            ("AWS_MAX_ATTEMPTS", "1"),
            ("POLARSDESC_S3_REQUESTS", "8"),
            ("AWS_ALLOW_HTTP", "TRUE"),
        ])
        .unwrap();
        assert_eq!(
            (set.timeout, set.attempts, set.requests, set.allow_http),
            (Duration::from_secs(5), 1, 8, true)
        );
        for (name, value) in [
            ("POLARSDESC_S3_TIMEOUT", "ten"),
            ("POLARSDESC_S3_TIMEOUT", "0"),
            ("POLARSDESC_S3_REQUESTS", "-1"),
            ("AWS_MAX_ATTEMPTS", "3.5"),
            ("AWS_ALLOW_HTTP", "maybe"),
        ] {
            let message = read(&[(name, value)]).unwrap_err();
            assert!(
                message.starts_with(&format!("{name}=\"{value}\" is not")),
                "{message}"
            );
        }
    }

    #[test]
    fn endpoints_need_a_scheme_a_host_and_leave_for_plain_http() {
        assert!(check_endpoint("E", "https://s3.example.com", false).is_ok());
        assert!(check_endpoint("E", "http://127.0.0.1:9000", true).is_ok());
        for bad in [
            "127.0.0.1:47311",
            "localhost:9000",
            "s3.example.com",
            "ftp://host",
            "http://",
        ] {
            let message = check_endpoint("E", bad, true).unwrap_err();
            assert!(
                message.contains("needs a scheme and a host"),
                "{bad}: {message}"
            );
        }
        let message = check_endpoint("E", "http://127.0.0.1:9000", false).unwrap_err();
        assert!(message.contains("AWS_ALLOW_HTTP=true"), "{message}");
    }
}
