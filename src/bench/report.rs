//! The speedup experiment's results: a table for people, JSON for machines, and what in them is noise.

use serde_json::{json, Value};

use super::noise::{self, Noise};
use super::timing::{seconds, TimeIt};

/// The mark of an efficiency above 100% in the table, explained under it.
const ABOVE_IDEAL: &str = "*";

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
    /// Whole runs, by number of workers, in the order of `--jobs-list`.
    pub runs: Vec<Measurement>,
}

/// The wall times of repeated runs with one number of workers.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub workers: usize,
    /// Seconds, one per repetition (at least one), in the order run.
    pub times: Vec<f64>,
}

impl Measurement {
    pub fn median(&self) -> f64 {
        noise::median(&self.times)
    }

    pub fn min(&self) -> f64 {
        self.times.iter().copied().fold(f64::INFINITY, f64::min)
    }

    pub fn max(&self) -> f64 {
        self.times.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    }

    /// How much the repetitions disagree.
    pub fn noise(&self) -> Noise {
        Noise::of(&self.times)
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

    /// The table printed on stdout, an efficiency above 100% marked and
    /// explained under it.
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
            text.push_str(&self.row(measurement));
        }
        if self.runs.iter().any(|m| self.above_ideal(m)) {
            text.push_str(&format!(
                "\n{ABOVE_IDEAL} above 100% (a speedup above the number of workers): \
                 noise in the timings, not a real gain; read it as 100%\n"
            ));
        }
        text
    }

    /// One line of the table, its efficiency marked when above 100%.
    fn row(&self, measurement: &Measurement) -> String {
        let speedup = self.speedup(measurement).unwrap_or(f64::NAN);
        let mark = if self.above_ideal(measurement) {
            ABOVE_IDEAL
        } else {
            ""
        };
        format!(
            "{:>7} {:>10} {:>10} {:>10} {:>8.2}x {:>10.0}%{mark}\n",
            measurement.workers,
            seconds(measurement.median()),
            seconds(measurement.min()),
            seconds(measurement.max()),
            speedup,
            100.0 * speedup / measurement.workers as f64,
        )
    }

    /// Whether `measurement` is more than `workers` times as fast as one
    /// worker, which workers sharing out the same files are not: noise in
    /// either median. Unrounded, so that a `2.00x` above 2 is marked too.
    pub fn above_ideal(&self, measurement: &Measurement) -> bool {
        self.speedup(measurement)
            .is_some_and(|speedup| speedup > measurement.workers as f64)
    }

    /// One warning per row whose times vary too widely for its median to be
    /// trusted, naming it: printed on stderr after the table, kept in the JSON.
    pub fn warnings(&self) -> Vec<String> {
        self.runs.iter().filter_map(noise_warning).collect()
    }

    /// The results as JSON (times in seconds).
    pub fn json(&self) -> Value {
        let (path, timing) = &self.one_file;
        let runs: Vec<Value> = self
            .runs
            .iter()
            .map(|m| {
                let speedup = self.speedup(m);
                let noise = m.noise();
                json!({
                    "workers": m.workers,
                    "times_s": m.times,
                    "median_s": m.median(),
                    "min_s": m.min(),
                    "max_s": m.max(),
                    "speedup": speedup,
                    "efficiency": speedup.map(|s| s / m.workers as f64),
                    "above_ideal": self.above_ideal(m),
                    "spread": noise.spread,
                    "outliers": noise.outliers,
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
            "warnings": self.warnings(),
        })
    }
}

/// The warning for a row whose spread is wide, with what it is made of and
/// what to do: fewer interruptions, or more runs for the median to stand on
/// (an odd number, so that it is a run's own time).
fn noise_warning(measurement: &Measurement) -> Option<String> {
    let noise = measurement.noise();
    if !noise.is_wide() {
        return None;
    }
    let runs = measurement.times.len();
    let outliers = match noise.outliers {
        0 => String::new(),
        1 => format!("; 1 of {runs} runs is an outlier"),
        n => format!("; {n} of {runs} runs are outliers"),
    };
    Some(format!(
        "the timings of -j {} vary widely ({} to {}, median {}){outliers}: \
         close other programs, or use --repeat {}",
        measurement.workers,
        seconds(measurement.min()),
        seconds(measurement.max()),
        seconds(measurement.median()),
        (2 * runs + 1).max(9),
    ))
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

    /// The report with other times: `runs` as (workers, times).
    fn with_runs(runs: &[(usize, &[f64])]) -> BenchReport {
        BenchReport {
            runs: runs
                .iter()
                .map(|&(workers, times)| Measurement {
                    workers,
                    times: times.to_vec(),
                })
                .collect(),
            ..report()
        }
    }

    #[test]
    #[allow(clippy::approx_constant)] // 0.318 s is a timing, not 1/pi
    fn noisy_rows_are_named_in_warnings() {
        let r = with_runs(&[
            // Widely spread, by one outlier.
            (1, &[0.631, 1.37, 0.601, 0.628, 0.640]),
            // Quiet.
            (2, &[0.320, 0.316, 0.318, 0.330, 0.317]),
            // Widely spread, evenly.
            (4, &[0.33, 0.50, 0.34, 0.45, 0.36]),
        ]);
        let warnings = r.warnings();
        assert_eq!(
            warnings,
            [
                "the timings of -j 1 vary widely (601 ms to 1.37 s, median 631 ms); \
                 1 of 5 runs is an outlier: close other programs, or use --repeat 11",
                "the timings of -j 4 vary widely (330 ms to 500 ms, median 360 ms): \
                 close other programs, or use --repeat 11",
            ]
        );
        let json = r.json();
        assert_eq!(json["warnings"], json!(warnings));
        assert_eq!(json["runs"][0]["outliers"], 1);
        assert_eq!(json["runs"][2]["outliers"], 0);
        assert!((json["runs"][2]["spread"].as_f64().unwrap() - 0.17 / 0.36).abs() < 1e-12);
        // Two close runs and a third far off: the outlier count says nothing, the spread says it.
        let r = with_runs(&[(1, &[0.4, 0.6]), (2, &[0.2, 0.21, 0.3])]);
        assert_eq!(
            r.warnings(),
            [
                "the timings of -j 1 vary widely (400 ms to 600 ms, median 500 ms): \
                 close other programs, or use --repeat 9",
                "the timings of -j 2 vary widely (200 ms to 300 ms, median 210 ms): \
                 close other programs, or use --repeat 9",
            ]
        );
    }

    #[test]
    fn quiet_rows_give_no_warning() {
        // Spreads of 22% and 22%, under a quarter.
        let r = report();
        assert_eq!(r.warnings(), Vec::<String>::new());
        assert_eq!(r.json()["warnings"], json!([]));
    }

    #[test]
    fn an_efficiency_above_100_percent_is_marked_as_noise() {
        // -j 2 more than twice as fast as -j 1.
        let r = with_runs(&[(1, &[0.5, 0.4, 0.45]), (2, &[0.21, 0.2]), (4, &[0.2, 0.2])]);
        let table = r.table();
        assert!(
            table.ends_with(
                "      1     450 ms     400 ms     500 ms     1.00x        100%\n\
                 \x20     2     205 ms     200 ms     210 ms     2.20x        110%*\n\
                 \x20     4     200 ms     200 ms     200 ms     2.25x         56%\n\
                 \n\
                 * above 100% (a speedup above the number of workers): \
                 noise in the timings, not a real gain; read it as 100%\n"
            ),
            "{table}"
        );
        let json = r.json();
        let above: Vec<&Value> = (0..3).map(|i| &json["runs"][i]["above_ideal"]).collect();
        assert_eq!(above, [false, true, false]);
        // Exactly the ideal is not above it, and says nothing (see table_and_json).
        assert!(!report().above_ideal(&report().runs[1]));
    }
}
