//! `polarsdesc generate`: the demo data set, one pandas-shaped CSV per label, written in parallel.

pub mod calendar;
pub mod case;
mod csv;
pub mod labels;
pub mod values;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::atomic;
use crate::config::{thousands, GenerateConfig, MAX_FILES_WITHOUT_LIMIT};
use crate::error::{Error, Result};
use crate::interrupt;
use crate::progress::Console;
use labels::label_count;

/// What `generate` made.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateReport {
    /// CSV files written.
    pub files: usize,
    /// Data rows in each file.
    pub rows_per_file: usize,
    /// Bytes written, in total.
    pub bytes: u64,
    /// The seed used (the given one, or a fresh one).
    pub seed: u64,
    /// Wall time of the whole command.
    pub elapsed: Duration,
}

/// Writes one `<label>.csv` per label into `config.dir`, leaving other files alone.
///
/// # Errors
/// When the config is invalid (see [`GenerateConfig::validate`]) or its
/// dates hold no business day, the folder cannot be created, it ignores case and two labels differ
/// only in case, a label's name is taken by something that is not a regular
/// file (a link, a folder), a file cannot be written (the error names it;
/// files already renamed into place stay complete), the OS has no randomness
/// for an unseeded run, or the run is interrupted. The first three are found
/// before anything is written.
pub fn generate(config: &GenerateConfig, console: &Console) -> Result<GenerateReport> {
    let started = Instant::now();
    let seed = match config.seed {
        Some(seed) => seed,
        None => values::fresh_seed().map_err(|err| Error::InvalidConfig(err.to_string()))?,
    };
    config.validate()?;
    let days = calendar::business_days(config.start, config.end);
    if days.is_empty() {
        return Err(Error::InvalidConfig(format!(
            "there are no business days from {} to {}: the files would hold only their header",
            config.start, config.end
        )));
    }
    let dates = csv::DateColumn::new(&days);
    let labels = labels::labels(config.label_length, config.label_limit);
    fs::create_dir_all(&config.dir).map_err(|err| Error::write(&config.dir, err))?;
    check_folder(&config.dir, &labels)?;

    let bar = console.bar(labels.len() as u64, "generating", "files");
    let write_label = |buffer: &mut Vec<u8>, label: &String| -> Result<u64> {
        interrupt::check()?;
        csv::render(&dates, &mut values::label_rng(seed, label), buffer);
        let path = config.dir.join(format!("{label}.csv"));
        atomic::write_bytes(&path, buffer).map_err(|err| Error::write(&path, err))?;
        bar.inc(1);
        Ok(buffer.len() as u64)
    };
    let sizes: Vec<u64> = crate::parallel::pool(config.jobs)?.install(|| {
        labels
            .par_iter()
            .map_init(|| Vec::with_capacity(dates.file_capacity()), write_label)
            .collect::<Result<_>>()
    })?;
    bar.finish_and_clear();

    Ok(GenerateReport {
        files: sizes.len(),
        rows_per_file: dates.rows(),
        bytes: sizes.iter().sum(),
        seed,
        elapsed: started.elapsed(),
    })
}

/// Refuses a folder where some labels' files would be lost or would replace
/// something that is not a generated file.
fn check_folder(dir: &Path, labels: &[String]) -> Result<()> {
    if let Some((first, second)) = case::first_collision(labels) {
        if case::ignores_case(dir).map_err(|err| Error::write(dir, err))? {
            return Err(Error::InvalidConfig(format!(
                "{} is on a file system that ignores case, where {}.csv and {}.csv would \
                 overwrite each other: generate into a case-sensitive folder, or pass \
                 --labels {second} (the labels before the first such pair)",
                dir.display(),
                labels[first],
                labels[second],
            )));
        }
    }
    for label in labels {
        let path = dir.join(format!("{label}.csv"));
        if let Ok(metadata) = fs::symlink_metadata(&path) {
            if !metadata.is_file() {
                return Err(Error::InvalidConfig(format!(
                    "{} exists and is not a regular file (a link, a folder, ...): \
                     refusing to replace it",
                    path.display()
                )));
            }
        }
    }
    Ok(())
}

impl std::fmt::Display for GenerateReport {
    /// "generated 1326 files x 4409 rows (171.3 MB) in 0.25 s (seed 42)"
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "generated {} files x {} rows ({:.1} MB) in {:.2} s (seed {})",
            self.files,
            self.rows_per_file,
            self.bytes as f64 / 1e6,
            self.elapsed.as_secs_f64(),
            self.seed
        )
    }
}

impl GenerateConfig {
    /// Checks the options against each other.
    ///
    /// # Errors
    /// When the date range is empty, there would be no labels, more labels
    /// are asked for than exist, or so many would be made (without
    /// `--labels`) that they are surely a mistake.
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
        let available = label_count(self.label_length);
        match self.label_limit {
            Some(wanted) if wanted as u64 > available => {
                let more = if self.label_length < 26 {
                    format!(
                        "; --label-length {} gives {}",
                        self.label_length + 1,
                        thousands(label_count(self.label_length + 1))
                    )
                } else {
                    String::new()
                };
                Err(Error::InvalidConfig(format!(
                    "--labels {wanted}: there are only {} labels of {} letters{more}",
                    thousands(available),
                    self.label_length
                )))
            }
            None if available > MAX_FILES_WITHOUT_LIMIT => Err(Error::InvalidConfig(format!(
                "--label-length {} makes {} files, more than {} in one go: \
                 add --labels N to make the first N",
                self.label_length,
                thousands(available),
                thousands(MAX_FILES_WITHOUT_LIMIT)
            ))),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_that_hold_no_business_day_write_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = GenerateConfig::default_data_set(&dir.path().join("out"), 1);
        config.label_limit = Some(2);
        let date = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        // Start after end (what a library caller can pass without the CLI's check).
        (config.start, config.end) = (date("2024-01-05"), date("2024-01-01"));
        let error = generate(&config, &Console::silent())
            .unwrap_err()
            .to_string();
        assert!(error.contains("is before --start"), "{error}");
        // A weekend.
        (config.start, config.end) = (date("2024-01-06"), date("2024-01-07"));
        let error = generate(&config, &Console::silent())
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "there are no business days from 2024-01-06 to 2024-01-07: the files would hold only their header"
        );
        assert!(!dir.path().join("out").exists());
        (config.start, config.end) = (date("2024-01-05"), date("2024-01-08"));
        assert_eq!(
            generate(&config, &Console::silent()).unwrap().rows_per_file,
            2
        );
    }
}
