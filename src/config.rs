//! Plain configuration for each command, built once from the command line (the library never sees clap).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::describe;
use crate::error::{Error, Result};
use crate::shards::Shard;
pub use crate::sources::DiscoverOptions;
use crate::thresholds::Thresholds;

/// The seed of the embedded default data set, so every fresh clone summarizes the same numbers.
pub const DEFAULT_SEED: u64 = 42;

/// The folder `run` reads, and `generate` writes, when none is given.
pub const DEFAULT_DATA_DIR: &str = "data";

/// The first day of the reference article's data set.
pub fn default_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2010, 1, 1).expect("valid date")
}

/// What `generate` makes.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateConfig {
    /// Folder the CSV files are written to (created if missing).
    pub dir: PathBuf,
    /// Letters per label: 2 gives the article's 1,326 labels, 3 gives 22,100.
    pub label_length: usize,
    /// Only the first N labels, when set.
    pub label_limit: Option<usize>,
    /// First date (inclusive).
    pub start: NaiveDate,
    /// Last date (inclusive).
    pub end: NaiveDate,
    /// Seed for byte-identical output; `None` draws a fresh one.
    pub seed: Option<u64>,
    /// Worker threads.
    pub jobs: usize,
}

impl GenerateConfig {
    /// The article's data set in `dir`: 1,326 labels, 2010-01-01 to today, the fixed default seed.
    pub fn default_data_set(dir: &Path, jobs: usize) -> Self {
        GenerateConfig {
            dir: dir.to_path_buf(),
            label_length: 2,
            label_limit: None,
            start: default_start(),
            end: chrono::Local::now().date_naive(),
            seed: Some(DEFAULT_SEED),
            jobs,
        }
    }
}

/// The most files `generate` makes without an explicit `--labels`.
pub const MAX_FILES_WITHOUT_LIMIT: u64 = 1_000_000;

/// `n` with thousands separators: 22,100.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut text = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// Where `run` writes its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    /// Standard output (`-o -`).
    Stdout,
    /// A file, replaced atomically.
    File(PathBuf),
}

/// The encoding of `run`'s result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Parquet,
    Csv,
    Json,
}

impl OutputFormat {
    /// The format a file name implies, from its extension.
    pub fn from_extension(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "parquet" | "pq" => Some(OutputFormat::Parquet),
            "csv" => Some(OutputFormat::Csv),
            "json" => Some(OutputFormat::Json),
            _ => None,
        }
    }

    /// The name of the format, as `--format` spells it.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Parquet => "parquet",
            OutputFormat::Csv => "csv",
            OutputFormat::Json => "json",
        }
    }

    /// `explicit` if given; otherwise CSV for stdout, a FIFO or a device, and
    /// the extension's format for a file.
    ///
    /// # Errors
    /// When no format is given and the file's extension names none, or the
    /// given format contradicts the extension (CSV bytes in `x.parquet`).
    pub fn resolve(explicit: Option<Self>, target: &OutputTarget) -> Result<Self> {
        match (explicit, target) {
            (Some(format), OutputTarget::File(path)) => match Self::from_extension(path) {
                Some(implied) if implied != format => Err(Error::InvalidConfig(format!(
                    "--format {} contradicts the extension of '{}' ({}): change one of them",
                    format.name(),
                    path.display(),
                    implied.name()
                ))),
                _ => Ok(format),
            },
            (Some(format), OutputTarget::Stdout) => Ok(format),
            (None, OutputTarget::Stdout) => Ok(OutputFormat::Csv),
            // A FIFO or a device is a stream, like stdout: text unless told.
            (None, OutputTarget::File(path)) if crate::destination::is_stream(path) => {
                Ok(OutputFormat::Csv)
            }
            (None, OutputTarget::File(path)) => Self::from_extension(path).ok_or_else(|| {
                Error::InvalidConfig(format!(
                    "cannot tell the output format from '{}': use --format parquet|csv|json \
                     or an extension .parquet, .csv or .json",
                    path.display()
                ))
            }),
        }
    }
}

/// What `run` summarizes, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct RunConfig {
    /// Files, folders (their `*.csv`) and glob patterns.
    pub inputs: Vec<PathBuf>,
    /// How folders are searched.
    pub discover: DiscoverOptions,
    /// How each file is read and described (percentiles, separator).
    pub describe: describe::Options,
    /// Where the result goes.
    pub output: OutputTarget,
    /// How the result is encoded.
    pub format: OutputFormat,
    /// Worker threads.
    pub jobs: usize,
    /// When the inputs hold no CSV file, generate this data set first (the
    /// embedded default of a bare `polarsdesc run`).
    pub generate_if_empty: Option<GenerateConfig>,
    /// Reuse of earlier results: the cache, and `--resume`.
    pub store: StoreOptions,
    /// Stop at the first file that fails.
    pub strict: bool,
    /// Write the failed files here, as CSV.
    pub errors_file: Option<PathBuf>,
    /// Compare a statistic with thresholds, adding `threshold` and `above_threshold`.
    pub thresholds: Option<Thresholds>,
    /// Describe only this shard's files, and write its part into the
    /// output folder (`--shard`).
    pub shard: Option<Shard>,
}

impl RunConfig {
    /// A run that does the whole job every time, for measuring it: the inputs
    /// described (no cache, no journal, no generation) and Parquet written to
    /// `output`.
    pub fn measured(
        inputs: Vec<PathBuf>,
        describe: describe::Options,
        output: PathBuf,
        jobs: usize,
    ) -> Self {
        RunConfig {
            output: OutputTarget::File(output),
            ..RunConfig::in_memory(inputs, DiscoverOptions::default(), describe, jobs, None)
        }
    }

    /// A run whose table stays in memory (see `summary::collect`): no output,
    /// cache, journal or generation; every file described every time.
    pub fn in_memory(
        inputs: Vec<PathBuf>,
        discover: DiscoverOptions,
        describe: describe::Options,
        jobs: usize,
        thresholds: Option<Thresholds>,
    ) -> Self {
        RunConfig {
            inputs,
            discover,
            describe,
            output: OutputTarget::Stdout,
            format: OutputFormat::Parquet,
            jobs,
            generate_if_empty: None,
            store: StoreOptions {
                cache: false,
                resume: false,
                journal: false,
                check: CacheCheck::Metadata,
            },
            strict: false,
            errors_file: None,
            thresholds,
            shard: None,
        }
    }
}

/// What `bench` measures.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchConfig {
    /// Files, folders and glob patterns, as for `run`.
    pub inputs: Vec<PathBuf>,
    /// Generate this data set first when the inputs hold no CSV file.
    pub generate_if_empty: Option<GenerateConfig>,
    /// How each file is read and described.
    pub describe: describe::Options,
    /// Numbers of workers to run with, ascending, starting at 1.
    pub jobs_list: Vec<usize>,
    /// Runs per number of workers.
    pub repeat: usize,
    /// Write the results here as JSON.
    pub json: Option<PathBuf>,
    /// Draw the speedup chart here (.svg or .png).
    pub plot: Option<PathBuf>,
}

/// 1, 2, 4, ... up to `cores`, and `cores` itself.
pub fn default_jobs_list(cores: usize) -> Vec<usize> {
    let mut list: Vec<usize> = std::iter::successors(Some(1usize), |n| n.checked_mul(2))
        .take_while(|&n| n <= cores)
        .collect();
    if list.last() != Some(&cores) && cores > 0 {
        list.push(cores);
    }
    list
}

/// `requested` sorted, without repeats, always starting with 1 (the speedup
/// is measured against one worker).
///
/// # Errors
/// When a number is 0.
pub fn jobs_list(requested: &[usize]) -> Result<Vec<usize>> {
    if requested.contains(&0) {
        return Err(Error::InvalidConfig(
            "--jobs-list: the number of workers must be at least 1".into(),
        ));
    }
    let mut list = requested.to_vec();
    list.push(1);
    list.sort_unstable();
    list.dedup();
    Ok(list)
}

/// A memory ceiling written as people write sizes: bytes, or a number with
/// a K, M, G or T suffix (powers of 1,024; `MB`, `MiB` alike): `512M`, `1.5G`.
/// `option` names it in messages (`--max-memory`, or Python's `max_memory`).
///
/// # Errors
/// When the text is not such a size, or it is below the smallest ceiling
/// ([`MemoryShare::SMALLEST_CEILING`](crate::describe::MemoryShare::SMALLEST_CEILING)).
pub fn memory_ceiling(option: &str, text: &str) -> Result<u64> {
    let invalid = || {
        Error::InvalidConfig(format!(
            "{option} must be a size such as 512M or 2G, got '{text}'"
        ))
    };
    let trimmed = text.trim();
    let lower = trimmed.to_ascii_lowercase();
    let without_unit = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (number, scale) = match without_unit.chars().last() {
        Some('k') => (&without_unit[..without_unit.len() - 1], 1u64 << 10),
        Some('m') => (&without_unit[..without_unit.len() - 1], 1 << 20),
        Some('g') => (&without_unit[..without_unit.len() - 1], 1 << 30),
        Some('t') => (&without_unit[..without_unit.len() - 1], 1 << 40),
        _ => (without_unit, 1),
    };
    let value: f64 = number.trim().parse().map_err(|_| invalid())?;
    if !value.is_finite() || value < 0.0 {
        return Err(invalid());
    }
    let bytes = (value * scale as f64).min(u64::MAX as f64) as u64;
    let smallest = crate::describe::MemoryShare::SMALLEST_CEILING;
    if bytes < smallest {
        return Err(Error::InvalidConfig(format!(
            "{option} {trimmed} is below {} MiB, the least a run needs (a few blocks of 8 MiB)",
            smallest >> 20
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_ceilings_as_people_write_them() {
        assert_eq!(memory_ceiling("--max-memory", "512M").unwrap(), 512 << 20);
        assert_eq!(memory_ceiling("--max-memory", "1.5G").unwrap(), 3 << 29);
        assert_eq!(memory_ceiling("--max-memory", "2GiB").unwrap(), 2 << 30);
        assert_eq!(memory_ceiling("--max-memory", "100mb").unwrap(), 100 << 20);
        assert_eq!(
            memory_ceiling("--max-memory", "67108864").unwrap(),
            64 << 20
        );
        for bad in ["", "lots", "-1G", "1Q", "nanG"] {
            assert!(memory_ceiling("--max-memory", bad).is_err(), "{bad}");
        }
        assert!(memory_ceiling("--max-memory", "10M")
            .unwrap_err()
            .to_string()
            .contains("below 64 MiB"));
    }

    #[test]
    fn format_from_extension() {
        let format = |name: &str| OutputFormat::from_extension(Path::new(name));
        assert_eq!(format("a.parquet"), Some(OutputFormat::Parquet));
        assert_eq!(format("a.PQ"), Some(OutputFormat::Parquet));
        assert_eq!(format("dir/a.csv"), Some(OutputFormat::Csv));
        assert_eq!(format("a.json"), Some(OutputFormat::Json));
        assert_eq!(format("a.txt"), None);
        assert_eq!(format("a"), None);
    }

    #[test]
    fn explicit_format_must_agree_and_stdout_defaults_to_csv() {
        let file = OutputTarget::File("x.parquet".into());
        assert_eq!(
            OutputFormat::resolve(Some(OutputFormat::Parquet), &file).unwrap(),
            OutputFormat::Parquet
        );
        assert_eq!(
            OutputFormat::resolve(None, &OutputTarget::Stdout).unwrap(),
            OutputFormat::Csv
        );
        let unknown = OutputTarget::File("x.txt".into());
        assert!(OutputFormat::resolve(None, &unknown).is_err());
        assert_eq!(
            OutputFormat::resolve(Some(OutputFormat::Csv), &unknown).unwrap(),
            OutputFormat::Csv
        );
        let err = OutputFormat::resolve(Some(OutputFormat::Csv), &file).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--format csv contradicts the extension of 'x.parquet' (parquet): change one of them"
        );
    }

    #[test]
    fn jobs_lists() {
        assert_eq!(default_jobs_list(1), [1]);
        assert_eq!(default_jobs_list(2), [1, 2]);
        assert_eq!(default_jobs_list(6), [1, 2, 4, 6]);
        assert_eq!(default_jobs_list(8), [1, 2, 4, 8]);
        assert_eq!(jobs_list(&[8, 2, 2]).unwrap(), [1, 2, 8]);
        assert!(jobs_list(&[0, 2]).is_err());
    }

    #[test]
    fn generate_validation() {
        let mut config = GenerateConfig::default_data_set(Path::new("d"), 1);
        assert!(config.validate().is_ok());
        config.end = NaiveDate::from_ymd_opt(2009, 1, 1).unwrap();
        assert!(config.validate().is_err());
        let message = |length, limit| {
            let config = GenerateConfig {
                label_length: length,
                label_limit: limit,
                ..GenerateConfig::default_data_set(Path::new("d"), 1)
            };
            config.validate().err().map(|err| err.to_string())
        };
        assert_eq!(
            message(2, Some(5000)).unwrap(),
            "--labels 5000: there are only 1,326 labels of 2 letters; --label-length 3 gives 22,100"
        );
        assert_eq!(message(2, Some(1326)), None);
        assert_eq!(
            message(8, None).unwrap(),
            "--label-length 8 makes 752,538,150 files, more than 1,000,000 in one go: \
             add --labels N to make the first N"
        );
        assert_eq!(message(8, Some(10)), None);
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }
}

/// How a run uses the results of earlier runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// Reuse and refresh the cache of the last complete run.
    pub cache: bool,
    /// Continue an interrupted run from its journal.
    pub resume: bool,
    /// Keep a journal while running, so that an interrupted run can be
    /// resumed (off only for runs that are thrown away, as `bench`'s).
    pub journal: bool,
    /// How a file is judged unchanged.
    pub check: CacheCheck,
}

impl StoreOptions {
    /// Whether the run keeps any file beside its output.
    pub fn keeps_files(&self) -> bool {
        self.cache || self.journal || self.resume
    }
}

/// How a file is judged unchanged since its result was stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CacheCheck {
    /// Same path, size, modification time, change time and inode (no read).
    #[default]
    Metadata,
    /// Same path, size and hash of the bytes (reads the file, but trusts no
    /// time stamp).
    Content,
}
