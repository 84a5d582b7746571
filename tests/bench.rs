//! `polarsdesc bench`, the speedup experiment, through the real binary: the table, the JSON and the chart.

mod common;

use common::TestEnv;

const FILES: usize = 12;

/// One row of the table: workers, median, min, max, speedup, efficiency (and
/// its mark when above 100%); the rows end at a blank line or the end.
fn table_rows(table: &str) -> Vec<Vec<String>> {
    let header = table
        .lines()
        .position(|line| line.starts_with("workers"))
        .unwrap_or_else(|| panic!("no table header in {table}"));
    table
        .lines()
        .skip(header + 1)
        .take_while(|line| !line.is_empty())
        .map(|line| {
            // "      2     225 ms     200 ms     250 ms     2.00x        100%"
            let words: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(words.len(), 9, "{line}");
            vec![
                words[0].to_string(),
                format!("{} {}", words[1], words[2]),
                format!("{} {}", words[3], words[4]),
                format!("{} {}", words[5], words[6]),
                words[7].to_string(),
                words[8].to_string(),
            ]
        })
        .collect()
}

/// Equal up to the last bits: serde_json's default float parsing may be one
/// unit in the last place off the shortest form it wrote.
fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() <= 1e-12 * expected.abs(),
        "{actual} != {expected}"
    );
}

#[test]
fn bench_prints_a_table_and_writes_json_and_charts() {
    let env = TestEnv::new();
    env.generate_small("in", FILES, 7);
    let output = env
        .cmd()
        .args(["bench", "in", "--jobs-list", "2", "--repeat", "2"])
        .args(["--json", "bench.json", "--plot", "speedup.svg"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let table = String::from_utf8(output.stdout).unwrap();
    let bytes: u64 = std::fs::read_dir(env.join("in"))
        .unwrap()
        .map(|entry| entry.unwrap().metadata().unwrap().len())
        .sum();
    assert!(table.starts_with(&format!(
        "polarsdesc bench: {FILES} files, {:.1} MB, ",
        bytes as f64 / 1e6
    )));
    assert!(table.contains("one file (in/"), "{table}");
    assert!(
        table.contains("per loop (mean ± std. dev. of 7 runs, "),
        "{table}"
    );
    assert!(table.contains("sequential, predicted from one file: "));
    assert!(table.contains("; measured (-j 1): "), "{table}");

    let rows = table_rows(&table);
    assert_eq!(
        rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        ["1", "2"]
    );
    assert_eq!(
        (rows[0][4].as_str(), rows[0][5].as_str()),
        ("1.00x", "100%")
    );
    let speedup: f64 = rows[1][4].trim_end_matches('x').parse().unwrap();
    let efficiency: f64 = rows[1][5].trim_end_matches(['%', '*']).parse().unwrap();
    assert!((efficiency - 100.0 * speedup / 2.0).abs() <= 1.0, "{table}");

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.join("bench.json")).unwrap()).unwrap();
    assert_eq!(json["files"], FILES);
    assert_eq!(json["bytes"], bytes);
    assert!(json["cores"].as_u64().unwrap() >= 1);
    assert!(json["one_file"]["path"]
        .as_str()
        .unwrap()
        .starts_with("in/"));
    assert!(json["one_file"]["mean_s"].as_f64().unwrap() > 0.0);
    assert_eq!(json["one_file"]["runs"], 7);
    let predicted = json["predicted_sequential_s"].as_f64().unwrap();
    let one = json["one_file"]["mean_s"].as_f64().unwrap();
    assert_close(predicted, one * FILES as f64);
    let runs = json["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    for (run, workers) in runs.iter().zip([1, 2]) {
        assert_eq!(run["workers"], workers);
        let times: Vec<f64> = run["times_s"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_f64().unwrap())
            .collect();
        assert_eq!(times.len(), 2);
        let (min, max) = (
            run["min_s"].as_f64().unwrap(),
            run["max_s"].as_f64().unwrap(),
        );
        assert_close(min, times.iter().copied().fold(f64::INFINITY, f64::min));
        assert_close(max, times.iter().copied().fold(0.0, f64::max));
        assert_close(
            run["median_s"].as_f64().unwrap(),
            (times[0] + times[1]) / 2.0,
        );
    }
    assert_eq!(runs[0]["speedup"], 1.0);
    // The speedup is the -j 1 median over the -j 2 median, in the JSON and
    // (rounded) in the table.
    let median = |run: &serde_json::Value| run["median_s"].as_f64().unwrap();
    let expected = median(&runs[0]) / median(&runs[1]);
    assert_close(runs[1]["speedup"].as_f64().unwrap(), expected);
    assert_eq!(format!("{expected:.2}x"), rows[1][4], "{table}");
    assert_eq!(
        json["measured_sequential_s"].as_f64(),
        runs[0]["median_s"].as_f64()
    );

    let svg = std::fs::read_to_string(env.join("speedup.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("speedup over -j 1"));
    assert!(svg.contains("ideal (speedup = workers)"));
    // Only the requested files: the runs wrote to a temporary folder.
    assert_eq!(env.files_in("."), ["bench.json", "in", "speedup.svg"]);
}

#[test]
fn bench_draws_a_png_chart_and_warns_of_failing_files() {
    let env = TestEnv::new();
    env.generate_small("in", 3, 7);
    // The first file fails: the next one is timed, and the runs go on.
    env.write("in/aa.csv", ",data\n2020-01-01,1\n2020-01-02,1,2\n");
    let output = env
        .cmd()
        .args(["-q", "bench", "in", "--jobs-list", "1", "--repeat", "2"])
        .args(["--plot", "speedup.png"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    // Said once, not once per run (then perhaps that the runs of tiny files
    // vary widely, as they may on a busy machine).
    let stderr = String::from_utf8(output.stderr).unwrap();
    let mut lines = stderr.lines();
    assert_eq!(
        lines.next(),
        Some(
            "polarsdesc: warning: 1 of 4 files fail (`polarsdesc run` names them); \
             the times include trying them"
        ),
        "{stderr}"
    );
    assert!(
        lines.all(|line| line.starts_with("polarsdesc: warning: the timings of -j 1 vary widely")),
        "{stderr}"
    );
    let png = std::fs::read(env.join("speedup.png")).unwrap();
    // (the table on stdout names the file timed)
    assert!(String::from_utf8(output.stdout)
        .unwrap()
        .contains("one file (in/ab.csv): "));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let decoded = image::load_from_memory(&png).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (800, 560));
    // Not a blank picture: the text and lines are drawn.
    let rgb = decoded.to_rgb8();
    let dark = rgb
        .pixels()
        .filter(|p| p.0.iter().all(|&c| c < 100))
        .count();
    assert!(dark > 1000, "{dark} dark pixels");
}

#[test]
fn bench_rejects_what_it_cannot_do() {
    let env = TestEnv::new();
    std::fs::create_dir(env.join("empty")).unwrap();
    let output = env.cmd().args(["bench", "empty"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("polarsdesc: error: "), "{stderr}");
    assert!(stderr.contains("empty"), "{stderr}");

    env.write("bad/x.csv", "");
    let output = env.cmd().args(["bench", "bad"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "polarsdesc: error: bench: no input file can be described (`polarsdesc run` says why)\n"
    );
    std::fs::remove_dir_all(env.join("bad")).unwrap();

    let output = env
        .cmd()
        .args(["bench", "empty", "--plot", "chart.pdf"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "polarsdesc: error: --plot chart.pdf: the chart is written as .svg or .png\n"
    );
    assert_eq!(env.files_in("."), ["empty"]);
}

#[test]
fn an_unwritable_json_still_prints_the_measurements() {
    let env = TestEnv::new();
    env.generate_small("in", 2, 7);
    let output = env
        .cmd()
        .args(["-q", "bench", "in", "--jobs-list", "1", "--repeat", "1"])
        .args(["--json", "missing/bench.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let table = String::from_utf8(output.stdout).unwrap();
    assert_eq!(table_rows(&table).len(), 1, "{table}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("polarsdesc: error: cannot write missing/bench.json"),
        "{stderr}"
    );
    assert_eq!(env.files_in("."), ["in"]);
}

#[test]
fn bench_says_which_figures_are_noise() {
    let env = TestEnv::new();
    env.generate_small("in", FILES, 7);
    let output = env
        .cmd()
        .args(["bench", "in", "--jobs-list", "1,2,4", "--repeat", "3"])
        .args(["--json", "bench.json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let table = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.join("bench.json")).unwrap()).unwrap();

    // Each row's noise in the JSON, from its times.
    let runs = json["runs"].as_array().unwrap();
    let mut noisy = Vec::new();
    for (run, row) in runs.iter().zip(table_rows(&table)) {
        let field = |name: &str| run[name].as_f64().unwrap();
        let spread = (field("max_s") - field("min_s")) / field("median_s");
        assert_close(field("spread"), spread);
        assert!(run["outliers"].as_u64().unwrap() < 3, "{run}");
        if field("spread") > 0.25 {
            noisy.push(format!("-j {} vary widely", run["workers"]));
        }
        // Above 100% is marked in the table, and only then.
        let above = field("speedup") > field("workers");
        assert_eq!(run["above_ideal"], above, "{run}");
        assert_eq!(row[5].ends_with('*'), above, "{table}");
    }
    let any_above = runs.iter().any(|run| run["above_ideal"] == true);
    assert_eq!(
        table.ends_with(
            "\n\n* above 100% (a speedup above the number of workers): \
             noise in the timings, not a real gain; read it as 100%\n"
        ),
        any_above,
        "{table}"
    );

    // The rows whose spread is wide are warned of on stderr, as in the JSON.
    let warnings: Vec<&str> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert_eq!(warnings.len(), noisy.len(), "{warnings:?}");
    for (warning, row) in warnings.iter().zip(&noisy) {
        assert!(
            warning.starts_with(&format!("the timings of {row} (")),
            "{warning}"
        );
        assert!(
            warning.ends_with("close other programs, or use --repeat 9"),
            "{warning}"
        );
    }
    let expected: String = warnings
        .iter()
        .map(|w| format!("polarsdesc: warning: {w}\n"))
        .collect();
    assert_eq!(stderr, expected);
}
