//! Plain configuration for each command, built once from the command line (the library never sees clap).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::describe::Percentiles;
use crate::error::{Error, Result};
pub use crate::summary::store::StoreOptions;
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

    /// Checks the options against each other.
    ///
    /// # Errors
    /// When the date range is empty or there would be no labels.
    pub fn validate(&self) -> Result<()> {
        if self.end < self.start {
            return Err(Error::InvalidConfig(format!(
                "--end {} is before --start {}",
                self.end, self.start
            )));
        }
        if !(1..=52).contains(&self.label_length) {
            return Err(Error::InvalidConfig(format!(
                "--label-length must be between 1 and 52, got {}",
                self.label_length
            )));
        }
        if self.label_limit == Some(0) {
            return Err(Error::InvalidConfig("--labels must be at least 1".into()));
        }
        Ok(())
    }
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

    /// `explicit` if given; otherwise CSV for stdout and the extension's format for a file.
    ///
    /// # Errors
    /// When no format is given and the file's extension names none.
    pub fn resolve(explicit: Option<Self>, target: &OutputTarget) -> Result<Self> {
        match (explicit, target) {
            (Some(format), _) => Ok(format),
            (None, OutputTarget::Stdout) => Ok(OutputFormat::Csv),
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
    /// Percentiles to report besides count, mean, std, min and max.
    pub percentiles: Percentiles,
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
}

impl RunConfig {
    /// A run that does the whole job every time, for measuring it: the inputs
    /// described (no cache, no journal, no generation) and Parquet written to
    /// `output`.
    pub fn measured(
        inputs: Vec<PathBuf>,
        percentiles: Percentiles,
        output: PathBuf,
        jobs: usize,
    ) -> Self {
        RunConfig {
            inputs,
            percentiles,
            output: OutputTarget::File(output),
            format: OutputFormat::Parquet,
            jobs,
            generate_if_empty: None,
            store: StoreOptions {
                cache: false,
                resume: false,
            },
            strict: false,
            errors_file: None,
            thresholds: None,
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
    pub percentiles: Percentiles,
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn explicit_format_wins_and_stdout_defaults_to_csv() {
        let file = OutputTarget::File("x.parquet".into());
        assert_eq!(
            OutputFormat::resolve(Some(OutputFormat::Json), &file).unwrap(),
            OutputFormat::Json
        );
        assert_eq!(
            OutputFormat::resolve(None, &OutputTarget::Stdout).unwrap(),
            OutputFormat::Csv
        );
        let unknown = OutputTarget::File("x.txt".into());
        assert!(OutputFormat::resolve(None, &unknown).is_err());
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
    }
}
