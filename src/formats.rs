//! Which reader a file's name asks for: its compression (as pandas infers it) and its format (CSV, Parquet, Arrow IPC, NDJSON).
//!
//! Name rules only: discovery (`sources`) uses them to pick a folder's
//! inputs, and `read` to pick the reader; neither reads a byte here.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// How a file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Bzip2,
    Xz,
    Zstd,
    Zip,
}

/// The extensions pandas recognises, and what each means.
const EXTENSIONS: [(&str, Compression); 5] = [
    (".gz", Compression::Gzip),
    (".bz2", Compression::Bzip2),
    (".zip", Compression::Zip),
    (".xz", Compression::Xz),
    (".zst", Compression::Zstd),
];

/// Whether a file name is a tar archive's, which pandas reads (when it holds
/// one file) and polarsdesc does not.
pub fn is_tar(name: &OsStr) -> bool {
    [".tar", ".tar.gz", ".tar.bz2", ".tar.xz"]
        .iter()
        .any(|extension| ends_with_ignoring_case(name.as_encoded_bytes(), extension))
}

/// Whether `name` ends with `extension` (lower case), in any case.
pub fn ends_with_ignoring_case(name: &[u8], extension: &str) -> bool {
    name.len() >= extension.len()
        && name[name.len() - extension.len()..].eq_ignore_ascii_case(extension.as_bytes())
}

impl Compression {
    /// The compression a file name implies, as pandas' `infer_compression` reads it.
    pub fn of_name(name: &OsStr) -> Option<Compression> {
        let name = name.as_encoded_bytes();
        EXTENSIONS
            .iter()
            .find(|(extension, _)| ends_with_ignoring_case(name, extension))
            .map(|&(_, compression)| compression)
    }

    /// The extension, with its dot.
    pub fn extension(self) -> &'static str {
        EXTENSIONS
            .iter()
            .find(|(_, compression)| *compression == self)
            .map_or("", |(extension, _)| extension)
    }
}

/// A columnar format polarsdesc reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columnar {
    /// `*.parquet`.
    Parquet,
    /// Arrow IPC files: `*.arrow`, `*.feather`, `*.ipc`.
    Ipc,
}

impl Columnar {
    /// The format of a file named `name` (by its extension, in any case).
    pub fn of_name(name: &[u8]) -> Option<Columnar> {
        let ends = |extension: &str| {
            name.len() > extension.len() && ends_with_ignoring_case(name, extension)
        };
        if ends(".parquet") {
            Some(Columnar::Parquet)
        } else if ends(".arrow") || ends(".feather") || ends(".ipc") {
            Some(Columnar::Ipc)
        } else {
            None
        }
    }

    /// The format's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Columnar::Parquet => "Parquet",
            Columnar::Ipc => "Arrow IPC (Feather)",
        }
    }
}

/// Whether a file name is an NDJSON file's: `*.ndjson` or `*.jsonl`, maybe
/// compressed (`*.jsonl.gz`), in any case.
pub fn is_ndjson_name(name: &[u8]) -> bool {
    let name = match Compression::of_name(OsStr::from_bytes(name)) {
        Some(compression) => &name[..name.len() - compression.extension().len()],
        None => name,
    };
    [".ndjson", ".jsonl"]
        .iter()
        .any(|extension| name.len() > extension.len() && ends_with_ignoring_case(name, extension))
}

/// The reader a file's name asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Anything not named otherwise: CSV (maybe compressed), as `read_csv` reads it.
    Csv,
    /// Parquet or Arrow IPC, as `read_parquet` / `read_feather` read them.
    Columnar(Columnar),
    /// JSON lines (maybe compressed), as `read_json(lines=True)` reads them.
    Ndjson,
}

impl Format {
    /// The format `path` is named as.
    pub fn of_path(path: &Path) -> Format {
        let Some(name) = path.file_name() else {
            return Format::Csv;
        };
        let name = name.as_encoded_bytes();
        if let Some(columnar) = Columnar::of_name(name) {
            Format::Columnar(columnar)
        } else if is_ndjson_name(name) {
            Format::Ndjson
        } else {
            Format::Csv
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_pandas_infers_them() {
        let of = |name: &str| Compression::of_name(OsStr::new(name));
        assert_eq!(of("a.csv.gz"), Some(Compression::Gzip));
        assert_eq!(of("A.CSV.GZ"), Some(Compression::Gzip));
        assert_eq!(of("a.csv.bz2"), Some(Compression::Bzip2));
        assert_eq!(of("a.zip"), Some(Compression::Zip));
        assert_eq!(of("a.csv.xz"), Some(Compression::Xz));
        assert_eq!(of("a.csv.zst"), Some(Compression::Zstd));
        assert_eq!(of("a.csv"), None);
        assert_eq!(of("a.tgz"), None, "pandas does not know .tgz");
    }

    #[test]
    fn formats_by_name() {
        let of = |name: &str| Format::of_path(Path::new(name));
        assert_eq!(of("d/a.csv"), Format::Csv);
        assert_eq!(of("d/a.PARQUET"), Format::Columnar(Columnar::Parquet));
        assert_eq!(of("a.feather"), Format::Columnar(Columnar::Ipc));
        assert_eq!(of("a.jsonl.gz"), Format::Ndjson);
        assert_eq!(
            of(".parquet"),
            Format::Csv,
            "a hidden file named by its dot only"
        );
    }
}
