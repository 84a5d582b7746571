//! What produced an output, recorded in its Parquet metadata under the key `polarsdesc`: the version and the options that change results.

use serde_json::{json, Map, Value};

/// The Parquet key-value metadata key polarsdesc writes.
pub const METADATA_KEY: &str = "polarsdesc";

/// The options that change results (must agree across the parts of a run).
pub const OPTIONS: &str = "options";
/// The files described.
pub const FILES: &str = "files";
/// The files that failed: path, line, reason.
pub const FAILURES: &str = "failures";
/// `K/N`, in a part of a sharded run.
pub const SHARD: &str = "shard";
/// The polarsdesc version.
pub const VERSION: &str = "version";
/// What the run found before it kept a shard's files: how many files, and a
/// fingerprint of their paths (must agree across the parts of a run).
pub const LISTING: &str = "listing";

/// Facts about how an output was made, as a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    fields: Map<String, Value>,
}

impl Default for Provenance {
    /// The version of polarsdesc, and nothing else.
    fn default() -> Self {
        let mut fields = Map::new();
        fields.insert(VERSION.into(), json!(env!("CARGO_PKG_VERSION")));
        Provenance { fields }
    }
}

impl Provenance {
    /// Adds (or replaces) one fact.
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.fields.insert(key.into(), value);
        self
    }

    /// One fact, if recorded.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key)
    }

    /// The key-value pairs to store in a file's metadata.
    pub fn pairs(&self) -> Vec<(String, String)> {
        vec![(
            METADATA_KEY.into(),
            Value::Object(self.fields.clone()).to_string(),
        )]
    }

    /// The provenance stored under [`METADATA_KEY`], if `text` is one.
    pub fn parse(text: &str) -> Option<Provenance> {
        match serde_json::from_str(text).ok()? {
            Value::Object(fields) => Some(Provenance { fields }),
            _ => None,
        }
    }
}
