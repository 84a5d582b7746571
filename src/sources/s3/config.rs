//! How the S3 client is configured: from the `AWS_*` variables and the AWS tools' profile files, with short timeouts and no silent fallback on the instance metadata service.

use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::{ClientOptions, RetryConfig};

use super::{RemoteError, SCHEME};

/// How long one request may take, in seconds: `POLARSDESC_S3_TIMEOUT`, else 30
/// (a block of 8 MiB at 300 kB/s).
fn request_timeout_seconds() -> u64 {
    std::env::var("POLARSDESC_S3_TIMEOUT")
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|&seconds| seconds > 0)
        .unwrap_or(30)
}

/// A builder for `bucket`, from the environment and the profile files,
/// with short timeouts; refuses to fall back on the instance metadata
/// service unless asked to.
pub(super) fn configure(bucket: &str) -> Result<AmazonS3Builder, RemoteError> {
    let attempts: usize = std::env::var("AWS_MAX_ATTEMPTS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(3);
    let retry = RetryConfig {
        max_retries: attempts.saturating_sub(1),
        retry_timeout: Duration::from_secs(10),
        ..RetryConfig::default()
    };
    let options = ClientOptions::new()
        .with_connect_timeout(Duration::from_secs(3))
        .with_timeout(Duration::from_secs(request_timeout_seconds()))
        .with_allow_http(truthy("AWS_ALLOW_HTTP"));
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .with_retry(retry)
        .with_client_options(options);
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
    if let Some(endpoint) = profile
        .get("endpoint_url")
        .filter(|_| std::env::var_os("AWS_ENDPOINT_URL").is_none())
    {
        builder = builder.with_endpoint(endpoint);
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
