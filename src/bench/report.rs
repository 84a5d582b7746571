//! The speedup experiment's results: a table for people, JSON for machines.

use serde_json::{json, Value};

use super::timing::{seconds, TimeIt};

/// Everything `bench` measured.
#[derive(Debug, Clone)]
pub struct BenchReport {
    /// Files described in each run.
    pub files: usize,
    /// Their total size.
    pub bytes: u64,
    /// Cores of the machine.
    pub cores: usize,
    /// The file timed on its own, and its timing.
    pub one_file: (String, TimeIt),
    /// Whole runs, by number of workers, in the order run.
    pub runs: Vec<Measurement>,
}

/// The wall times of repeated runs with one number of workers.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub workers: usize,
    /// Seconds, one per repetition.
    pub times: Vec<f64>,
}

impl Measurement {
    pub fn median(&self) -> f64 {
        let mut sorted = self.times.clone();
        sorted.sort_by(f64::total_cmp);
        let middle = sorted.len() / 2;
        if sorted.len() % 2 == 1 {
            sorted[middle]
        } else {
            (sorted[middle - 1] + sorted[middle]) / 2.0
        }
    }

    pub fn min(&self) -> f64 {
        self.times.iter().copied().fold(f64::INFINITY, f64::min)
    }

    pub fn max(&self) -> f64 {
        self.times.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    }
}

impl BenchReport {
    /// The sequential time predicted from one file: its mean time × the files.
    pub fn predicted_sequential(&self) -> f64 {
        self.one_file.1.mean * self.files as f64
    }

    /// The measured sequential time (median with one worker).
    pub fn sequential(&self) -> Option<f64> {
        self.runs
            .iter()
            .find(|m| m.workers == 1)
            .map(Measurement::median)
    }

    /// Median speedup of `measurement` over one worker.
    pub fn speedup(&self, measurement: &Measurement) -> Option<f64> {
        self.sequential()
            .map(|sequential| sequential / measurement.median())
    }

    /// The table printed on stdout.
    pub fn table(&self) -> String {
        let (path, timing) = &self.one_file;
        let mut text = format!(
            "polarsdesc bench: {} files, {:.1} MB, {} cores\n\n\
             one file ({path}): {timing}\n\
             sequential, predicted from one file: {} ({} x {})",
            self.files,
            self.bytes as f64 / 1e6,
            self.cores,
            seconds(self.predicted_sequential()),
            self.files,
            seconds(timing.mean),
        );
        if let Some(sequential) = self.sequential() {
            text.push_str(&format!("; measured (-j 1): {}", seconds(sequential)));
        }
        text.push_str("\n\nworkers     median        min        max   speedup  efficiency\n");
        for measurement in &self.runs {
            let speedup = self.speedup(measurement).unwrap_or(f64::NAN);
            text.push_str(&format!(
                "{:>7} {:>10} {:>10} {:>10} {:>8.2}x {:>10.0}%\n",
                measurement.workers,
                seconds(measurement.median()),
                seconds(measurement.min()),
                seconds(measurement.max()),
                speedup,
                100.0 * speedup / measurement.workers as f64,
            ));
        }
        text
    }

    /// The results as JSON (times in seconds).
    pub fn json(&self) -> Value {
        let (path, timing) = &self.one_file;
        let runs: Vec<Value> = self
            .runs
            .iter()
            .map(|m| {
                let speedup = self.speedup(m);
                json!({
                    "workers": m.workers,
                    "times_s": m.times,
                    "median_s": m.median(),
                    "min_s": m.min(),
                    "max_s": m.max(),
                    "speedup": speedup,
                    "efficiency": speedup.map(|s| s / m.workers as f64),
                })
            })
            .collect();
        json!({
            "polarsdesc": env!("CARGO_PKG_VERSION"),
            "files": self.files,
            "bytes": self.bytes,
            "cores": self.cores,
            "one_file": {
                "path": path,
                "mean_s": timing.mean,
                "std_s": timing.std,
                "runs": timing.runs,
                "loops": timing.loops,
            },
            "predicted_sequential_s": self.predicted_sequential(),
            "measured_sequential_s": self.sequential(),
            "runs": runs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> BenchReport {
        BenchReport {
            files: 1000,
            bytes: 133_000_000,
            cores: 2,
            one_file: (
                "data/ab.csv".into(),
                TimeIt {
                    mean: 0.0004,
                    std: 0.00001,
                    runs: 7,
                    loops: 1000,
                },
            ),
            runs: vec![
                Measurement {
                    workers: 1,
                    times: vec![0.5, 0.4, 0.45],
                },
                Measurement {
                    workers: 2,
                    times: vec![0.25, 0.2],
                },
            ],
        }
    }

    #[test]
    fn statistics_of_the_runs() {
        let r = report();
        assert_eq!(r.runs[0].median(), 0.45);
        assert_eq!(r.runs[1].median(), 0.225);
        assert_eq!((r.runs[0].min(), r.runs[0].max()), (0.4, 0.5));
        assert_eq!(r.sequential(), Some(0.45));
        assert!((r.speedup(&r.runs[1]).unwrap() - 2.0).abs() < 1e-12);
        assert!((r.predicted_sequential() - 0.4).abs() < 1e-12);
    }

    #[test]
    fn table_and_json() {
        let r = report();
        let table = r.table();
        assert!(table.contains("one file (data/ab.csv): 400 µs ± 10.0 µs per loop"));
        assert!(table.contains(
            "sequential, predicted from one file: 400 ms (1000 x 400 µs); measured (-j 1): 450 ms"
        ));
        assert!(
            table.ends_with("      2     225 ms     200 ms     250 ms     2.00x        100%\n"),
            "{table}"
        );
        let json = r.json();
        assert_eq!(json["runs"][1]["workers"], 2);
        assert_eq!(json["runs"][1]["speedup"], 2.0);
        assert_eq!(json["one_file"]["loops"], 1000);
    }
}
