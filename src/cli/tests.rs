//! Tests of the command line: the clap definitions, and the config each set of arguments becomes.

use clap::CommandFactory;
use polarsdesc::config::{default_jobs_list, OutputTarget, StoreOptions};

use super::*;

fn parse(args: &[&str]) -> Config {
    let cli = Cli::try_parse_from(args).expect("arguments parse");
    cli.command.into_config().expect("valid config")
}

#[test]
fn verify_command() {
    Cli::command().debug_assert();
}

#[test]
fn bare_run_reads_data_and_may_generate() {
    let Config::Run(config) = parse(&["polarsdesc", "run"]) else {
        panic!("expected run")
    };
    assert_eq!(config.inputs, vec![PathBuf::from("data")]);
    assert_eq!(config.output, OutputTarget::File("summary.parquet".into()));
    assert_eq!(config.format, OutputFormat::Parquet);
    let demo = config.generate_if_empty.expect("embedded default");
    assert_eq!(demo.seed, Some(42));
    assert_eq!(demo.label_length, 2);
}

#[test]
fn explicit_inputs_never_generate() {
    let Config::Run(config) = parse(&["polarsdesc", "run", "x", "-o", "-", "-j", "3"]) else {
        panic!("expected run")
    };
    assert_eq!(config.generate_if_empty, None);
    assert_eq!(config.output, OutputTarget::Stdout);
    assert_eq!(config.format, OutputFormat::Csv);
    assert_eq!(config.jobs, 3);
    assert_eq!(
        config.store,
        StoreOptions {
            cache: true,
            resume: false,
            journal: true,
            check: CacheCheck::Metadata,
        }
    );
    assert!(!config.strict && !config.discover.recursive);
}

#[test]
fn threshold_options() {
    let Config::Run(config) = parse(&["polarsdesc", "run", "--threshold", "0.2"]) else {
        panic!("expected run")
    };
    let thresholds = config.thresholds.expect("thresholds");
    assert_eq!(
        (thresholds.stat(), thresholds.for_label("zz")),
        ("mean", Some(0.2))
    );
    let Config::Run(config) = parse(&["polarsdesc", "run", "--threshold", "-1", "--stat", "max"])
    else {
        panic!("expected run")
    };
    assert_eq!(config.thresholds.unwrap().stat(), "max");
    let invalid = |args: &[&str]| {
        Cli::try_parse_from(args)
            .unwrap()
            .command
            .into_config()
            .is_err()
    };
    assert!(invalid(&["polarsdesc", "run", "--stat", "max"]));
    assert!(invalid(&[
        "polarsdesc",
        "run",
        "--threshold",
        "1",
        "--stat",
        "median"
    ]));
    assert!(invalid(&[
        "polarsdesc",
        "run",
        "--thresholds",
        "/no/such/file.csv"
    ]));
}

#[test]
fn reliability_options() {
    let args = [
        "polarsdesc",
        "run",
        "--resume",
        "--no-cache",
        "--strict",
        "--errors",
        "e.csv",
        "--cache-check",
        "content",
        "-r",
    ];
    let Config::Run(config) = parse(&args) else {
        panic!("expected run")
    };
    assert_eq!(
        config.store,
        StoreOptions {
            cache: false,
            resume: true,
            journal: true,
            check: CacheCheck::Content,
        }
    );
    assert!(config.strict && config.discover.recursive);
    assert_eq!(config.errors_file, Some(PathBuf::from("e.csv")));
}

#[test]
fn bench_options() {
    let Config::Bench(config) = parse(&["polarsdesc", "bench"]) else {
        panic!("expected bench")
    };
    assert_eq!(config.inputs, vec![PathBuf::from("data")]);
    assert!(config.generate_if_empty.is_some());
    assert_eq!(config.jobs_list, default_jobs_list(available_cores()));
    assert_eq!(config.repeat, 3);
    let args = [
        "polarsdesc",
        "bench",
        "in",
        "--jobs-list",
        "8,2",
        "--repeat",
        "5",
        "--json",
        "b.json",
        "--plot",
        "s.PNG",
    ];
    let Config::Bench(config) = parse(&args) else {
        panic!("expected bench")
    };
    assert_eq!(config.generate_if_empty, None);
    assert_eq!(config.jobs_list, [1, 2, 8]);
    assert_eq!(config.repeat, 5);
    assert_eq!(config.json, Some(PathBuf::from("b.json")));
    assert_eq!(config.plot, Some(PathBuf::from("s.PNG")));
    let invalid = |args: &[&str]| {
        Cli::try_parse_from(args).map_or(true, |cli| cli.command.into_config().is_err())
    };
    assert!(invalid(&["polarsdesc", "bench", "--plot", "s.pdf"]));
    assert!(invalid(&["polarsdesc", "bench", "--jobs-list", "0,2"]));
    assert!(invalid(&["polarsdesc", "bench", "--repeat", "0"]));
}

#[test]
fn percentiles_are_parsed_and_named() {
    let Config::Run(config) = parse(&["polarsdesc", "run", "-p", "0.1,0.9"]) else {
        panic!("expected run")
    };
    assert_eq!(config.describe.percentiles.names(), ["10%", "50%", "90%"]);
    let Config::Run(config) = parse(&["polarsdesc", "run", "--sep", ";"]) else {
        panic!("expected run")
    };
    assert_eq!(config.describe.separator, b';');
    let Config::Run(config) = parse(&["polarsdesc", "run", "--sep", "\\t"]) else {
        panic!("expected run")
    };
    assert_eq!(config.describe.separator, b'\t');
    assert!(Cli::try_parse_from(["polarsdesc", "run", "--sep", "::"]).is_err());
}

#[test]
fn bad_options_are_rejected() {
    let invalid = |args: &[&str]| {
        let cli = Cli::try_parse_from(args).expect("arguments parse");
        cli.command.into_config().is_err()
    };
    assert!(invalid(&["polarsdesc", "run", "-p", "1.5"]));
    assert!(invalid(&["polarsdesc", "run", "-o", "out.txt"]));
    assert!(invalid(&[
        "polarsdesc",
        "run",
        "-o",
        "s.csv",
        "--format",
        "json"
    ]));
    assert!(invalid(&["polarsdesc", "run", "-p", "0.1,0.1000001"]));
    assert!(invalid(&["polarsdesc", "generate", "--end", "2000-01-01"]));
    assert!(Cli::try_parse_from(["polarsdesc", "run", "-j", "0"]).is_err());
}
