//! The command line: clap derive structs, and their one-time conversion into the library's plain config.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use polarsdesc::bench::plot;
use polarsdesc::config::{
    default_jobs_list, default_start, jobs_list, BenchConfig, CacheCheck, DiscoverOptions,
    GenerateConfig, OutputFormat, OutputTarget, RunConfig, StoreOptions, DEFAULT_DATA_DIR,
};
use polarsdesc::describe::Percentiles;
use polarsdesc::merge::MergeConfig;
use polarsdesc::parallel::available_cores;
use polarsdesc::shards::ShardSpec;
use polarsdesc::thresholds::{Thresholds, DEFAULT_STAT};

/// Describe a folder of per-label CSV time series: pandas describe() statistics
/// for every numeric column of every file, computed with Polars in parallel,
/// collected into one tidy table.
#[derive(Debug, Parser)]
#[command(name = "polarsdesc", version, long_version = long_version(), max_term_width = 100)]
#[command(
    after_help = "Exit codes: 0 all inputs summarized; 1 some inputs failed (named on \
                        stderr, the rest written); 2 usage error or nothing could be done; \
                        130 interrupted."
)]
pub struct Cli {
    /// Show only warnings and errors on stderr: no progress bar, preview or summary.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Summarize CSV files: count, mean, std, min, percentiles and max of every
    /// numeric column of every file, equal to pandas' describe(), in one table.
    ///
    /// With no PATH, reads data/; if data/ holds no CSV file, it first generates
    /// the demo data set there (seed 42).
    Run(RunArgs),
    /// Generate the demo data set: one CSV per label of random values on
    /// business days, in the exact format pandas' to_csv writes.
    Generate(GenerateArgs),
    /// Combine the parts of a sharded run (`run --shard K/N -o DIR`) into one
    /// table, sorted as a single run's; refuses parts missing, repeated, or
    /// made by another version or with other options.
    Merge(MergeArgs),
    /// The speedup experiment: time one file, predict the sequential run, then
    /// time whole runs with 1, 2, 4, ... workers and print the speedup.
    ///
    /// Runs are real `run`s (Parquet written to a temporary folder, no cache).
    /// The table goes to stdout.
    Bench(BenchArgs),
    /// Print a completion script for SHELL to stdout (bash, zsh, fish,
    /// powershell, elvish); README's "Shell completions" says where it goes.
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout: `polarsdesc man > polarsdesc.1`.
    Man,
}

/// Options of `polarsdesc completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// What `--version` says, for bug reports: the version, the Polars it is
/// built on, what it reads, and the machine it was built for.
fn long_version() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        format!(
            "{}\nPolars {} (csv, parquet, lazy)\ninputs: local files, s3:// (object_store); \
             .gz .bz2 .xz .zst .zip\nbuilt for {}-{}",
            env!("CARGO_PKG_VERSION"),
            polarsdesc::POLARS_VERSION,
            std::env::consts::ARCH,
            std::env::consts::OS,
        )
    })
}

/// Options of `polarsdesc run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// CSV files, folders (meaning their *.csv files) or glob patterns, on
    /// disk or in S3 (s3://bucket/prefix/, s3://bucket/prefix/*.csv)
    /// [default: data/]
    #[arg(value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// Search the subfolders of folders too, links to folders included, each
    /// folder once (the label stays the file's stem).
    #[arg(short, long)]
    pub recursive: bool,

    /// The field separator, as pandas' read_csv(sep=...): one character,
    /// such as ';' or '\t' (a tab) [default: ,]
    #[arg(long, value_name = "CHAR", value_parser = separator)]
    pub sep: Option<u8>,

    /// Where to write the result; '-' writes to stdout (CSV unless --format
    /// says otherwise). A symbolic link is followed; a FIFO or a device is
    /// written as a stream; a file that is also an input is refused; an
    /// s3:// URL is written in one PUT. With --shard, the folder (or s3://
    /// prefix) of the parts [default: summary.parquet, or parts/ with --shard]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Describe only shard K of N of the files (0 <= K < N <= 100000), chosen
    /// by a hash of each file's path, and write part-0000K-of-0000N.parquet
    /// into the -o folder;
    /// `auto` reads K and N from a Slurm job array or a Kubernetes Indexed Job.
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<String>,

    /// The number of shards, for --shard auto where the scheduler does not
    /// give it (Kubernetes); POLARSDESC_SHARDS also sets it.
    #[arg(long, value_name = "N")]
    pub shards: Option<NonZeroUsize>,

    /// Output format [default: from the output file's extension]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,

    /// Percentiles to report, as comma-separated fractions in [0, 1]; the
    /// median is always added [default: 0.25,0.5,0.75]
    #[arg(short, long, value_name = "P,...", value_delimiter = ',')]
    pub percentiles: Option<Vec<f64>>,

    #[command(flatten)]
    pub jobs: JobsArg,

    /// The most memory the run may take, shared by its workers (K, M, G
    /// suffixes: 512M, 2G). A large file is read in blocks, its values
    /// spilled to a temporary file (TMPDIR) beyond its share, so its size
    /// does not matter; a file that needs more (one record longer than a
    /// quarter of its share) fails alone, saying so [default: 1G, at least 64M]
    #[arg(long, value_name = "SIZE")]
    pub max_memory: Option<String>,

    /// Continue an interrupted run (even one killed with kill -9): files it
    /// finished are not read again. Needs an output file.
    #[arg(long)]
    pub resume: bool,

    /// Do not reuse or keep results between runs. By default a cache beside
    /// the output (.NAME.cache) lets a rerun skip unchanged files.
    #[arg(long)]
    pub no_cache: bool,

    /// How the cache decides that a file is unchanged: `metadata` (path,
    /// size, modification and change times, inode; reads nothing) or
    /// `content` (path, size and a hash of the bytes; reads every file).
    #[arg(long, value_enum, value_name = "HOW", default_value = "metadata")]
    pub cache_check: CacheCheckArg,

    /// Stop at the first file that fails, with exit code 2.
    #[arg(long)]
    pub strict: bool,

    /// Also write the files that failed to FILE, as CSV (path, line, reason).
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,

    /// Add the columns `threshold` and `above_threshold` (the statistic of
    /// --stat is greater than X). With --thresholds, the threshold of labels
    /// that match no line of the file.
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub threshold: Option<f64>,

    /// Thresholds per label, from a CSV with the header `label,threshold`; a
    /// label may be a glob pattern (`*a*`, `*`), the first matching line wins.
    #[arg(long, value_name = "FILE")]
    pub thresholds: Option<PathBuf>,

    /// The statistic compared with the threshold: count, mean, std, min, a
    /// percentile (such as 50%) or max.
    #[arg(long, value_name = "NAME", default_value = DEFAULT_STAT)]
    pub stat: String,
}

/// Options of `polarsdesc merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The folder (or s3:// prefix) of parts (part-0000K-of-0000N.parquet) of one
    /// sharded run.
    #[arg(value_name = "DIR")]
    pub folder: PathBuf,

    /// Where to write the table; '-' writes to stdout.
    #[arg(short, long, value_name = "FILE", default_value = "summary.parquet")]
    pub output: PathBuf,

    /// Output format [default: from the output file's extension]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
}

/// Options of `polarsdesc generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Folder to write the CSV files into (created if missing; other files are left alone).
    #[arg(short, long, value_name = "DIR", default_value = DEFAULT_DATA_DIR)]
    pub dir: PathBuf,

    /// Write only the first N labels [default: all of them]
    #[arg(short = 'n', long, value_name = "N")]
    pub labels: Option<usize>,

    /// Letters per label: 2 gives the article's 1,326 labels, 3 gives 22,100.
    #[arg(long, value_name = "K", default_value_t = 2)]
    pub label_length: usize,

    /// First date, inclusive (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", default_value_t = default_start())]
    pub start: NaiveDate,

    /// Last date, inclusive (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE")]
    pub end: Option<NaiveDate>,

    /// Seed that makes the output byte-identical on every run and thread
    /// count [default: fresh random data]
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    #[command(flatten)]
    pub jobs: JobsArg,
}

/// Options of `polarsdesc bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// CSV files, folders or glob patterns, as for `run` [default: data/,
    /// generated first when it holds no CSV file]
    #[arg(value_name = "PATH")]
    pub inputs: Vec<PathBuf>,

    /// Numbers of workers to time, comma-separated; 1 is always included
    /// [default: 1, 2, 4, ... up to all cores]
    #[arg(long, value_name = "N,...", value_delimiter = ',')]
    pub jobs_list: Option<Vec<usize>>,

    /// Runs per number of workers.
    #[arg(long, value_name = "N", default_value_t = NonZeroUsize::MIN.saturating_add(2))]
    pub repeat: NonZeroUsize,

    /// Percentiles to compute, as for `run` [default: 0.25,0.5,0.75]
    #[arg(short, long, value_name = "P,...", value_delimiter = ',')]
    pub percentiles: Option<Vec<f64>>,

    /// Also write the results as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Draw the speedup against workers, with the ideal line, to FILE (.svg or .png).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
}

/// The `-j` option shared by the commands.
#[derive(Debug, Args)]
pub struct JobsArg {
    /// Worker threads; -j 1 runs sequentially [default: all cores]
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<NonZeroUsize>,
}

impl JobsArg {
    fn resolve(&self) -> usize {
        self.jobs.map_or_else(available_cores, NonZeroUsize::get)
    }
}

/// The ways of checking the cache, as spelled on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CacheCheckArg {
    Metadata,
    Content,
}

impl From<CacheCheckArg> for CacheCheck {
    fn from(check: CacheCheckArg) -> Self {
        match check {
            CacheCheckArg::Metadata => CacheCheck::Metadata,
            CacheCheckArg::Content => CacheCheck::Content,
        }
    }
}

/// One separator byte: a single ASCII character, or `\t` for a tab.
fn separator(text: &str) -> Result<u8, String> {
    match text.as_bytes() {
        b"\\t" | b"tab" => Ok(b'\t'),
        [byte] if byte.is_ascii() && !matches!(byte, b'\n' | b'\r' | b'"') => Ok(*byte),
        _ => Err(format!(
            "the separator must be one ASCII character other than a quote or a line end \
             (pandas reads longer ones as regular expressions, which polarsdesc does not), got {text:?}"
        )),
    }
}

/// The output formats, as spelled on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Parquet,
    Csv,
    Json,
}

impl From<FormatArg> for OutputFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Parquet => OutputFormat::Parquet,
            FormatArg::Csv => OutputFormat::Csv,
            FormatArg::Json => OutputFormat::Json,
        }
    }
}

/// A parsed command, converted into the library's config.
pub enum Config {
    Run(RunConfig),
    Generate(GenerateConfig),
    Bench(BenchConfig),
    Merge(MergeConfig),
    Completions(clap_complete::Shell),
    Man,
}

/// Writes the completion script of `shell`, generated from the clap definitions.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    let mut command = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "polarsdesc", out);
}

/// Writes the man page (roff), generated from the clap definitions, with a
/// section for each command.
///
/// # Errors
/// When `out` cannot be written.
pub fn write_man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let command = <Cli as clap::CommandFactory>::command();
    clap_mangen::Man::new(command.clone()).render(out)?;
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let man = clap_mangen::Man::new(sub.clone());
        out.write_all(b".SH \"")?;
        out.write_all(sub.get_name().to_uppercase().as_bytes())?;
        out.write_all(b"\"\n")?;
        man.render_description_section(out)?;
        man.render_options_section(out)?;
    }
    Ok(())
}

impl Command {
    /// Converts the parsed arguments into the library's config, once.
    ///
    /// # Errors
    /// When options are invalid together (bad percentiles, unknown output
    /// extension, empty date range).
    pub fn into_config(self) -> polarsdesc::Result<Config> {
        match self {
            Command::Run(args) => args.into_config().map(Config::Run),
            Command::Generate(args) => args.into_config().map(Config::Generate),
            Command::Bench(args) => args.into_config().map(Config::Bench),
            Command::Merge(args) => args.into_config().map(Config::Merge),
            Command::Completions(args) => Ok(Config::Completions(args.shell)),
            Command::Man => Ok(Config::Man),
        }
    }
}

impl RunArgs {
    fn into_config(self) -> polarsdesc::Result<RunConfig> {
        let jobs = self.jobs.resolve();
        let percentiles = percentiles(self.percentiles.as_deref())?;
        let ceiling = match self.max_memory.as_deref() {
            Some(text) => polarsdesc::config::memory_ceiling(text)?,
            None => polarsdesc::describe::MemoryShare::DEFAULT_CEILING,
        };
        let describe = polarsdesc::describe::Options {
            percentiles: percentiles.clone(),
            separator: self.sep.unwrap_or(b','),
            memory: polarsdesc::describe::MemoryShare::of(ceiling, jobs),
        };
        let shard = self
            .shard
            .as_deref()
            .map(|text| {
                let from_environment = |name: &str| std::env::var(name).ok();
                ShardSpec::parse(text)?
                    .resolve(from_environment, self.shards.map(NonZeroUsize::get))
            })
            .transpose()?;
        if self.shards.is_some() && shard.is_none() {
            return Err(polarsdesc::Error::InvalidConfig(
                "--shards is the number of shards of --shard auto; give --shard too".into(),
            ));
        }
        let default_output = if shard.is_some() {
            "parts"
        } else {
            "summary.parquet"
        };
        let output_path = self.output.unwrap_or_else(|| default_output.into());
        let output = if polarsdesc::destination::is_stdout_alias(&output_path) {
            OutputTarget::Stdout
        } else {
            OutputTarget::File(output_path)
        };
        let format = match (shard, self.format.map(OutputFormat::from)) {
            // Parts are Parquet: one table to every reader of the folder.
            (Some(_), None | Some(OutputFormat::Parquet)) => OutputFormat::Parquet,
            (Some(_), Some(other)) => {
                return Err(polarsdesc::Error::InvalidConfig(format!(
                    "--shard writes Parquet parts; --format {} is for merge",
                    other.name()
                )))
            }
            (None, explicit) => OutputFormat::resolve(explicit, &output)?,
        };
        let thresholds = match (&self.thresholds, self.threshold) {
            (Some(file), fallback) => Some(Thresholds::from_file(
                file,
                fallback,
                &self.stat,
                &percentiles,
            )?),
            (None, Some(threshold)) => {
                Some(Thresholds::fixed(threshold, &self.stat, &percentiles)?)
            }
            (None, None) if self.stat != DEFAULT_STAT => {
                return Err(polarsdesc::Error::InvalidConfig(
                    "--stat needs --threshold or --thresholds".into(),
                ))
            }
            (None, None) => None,
        };
        let (inputs, generate_if_empty) = inputs_or_default(self.inputs, jobs);
        Ok(RunConfig {
            inputs,
            discover: DiscoverOptions {
                recursive: self.recursive,
            },
            describe,
            output,
            format,
            jobs,
            generate_if_empty,
            store: StoreOptions {
                cache: !self.no_cache,
                resume: self.resume,
                journal: true,
                check: self.cache_check.into(),
            },
            strict: self.strict,
            errors_file: self.errors,
            thresholds,
            shard,
        })
    }
}

impl BenchArgs {
    fn into_config(self) -> polarsdesc::Result<BenchConfig> {
        let cores = available_cores();
        let jobs_list = match &self.jobs_list {
            Some(requested) => jobs_list(requested)?,
            None => default_jobs_list(cores),
        };
        if let Some(path) = &self.plot {
            plot::check_format(path)?;
        }
        let (inputs, generate_if_empty) = inputs_or_default(self.inputs, cores);
        Ok(BenchConfig {
            inputs,
            generate_if_empty,
            describe: polarsdesc::describe::Options {
                percentiles: percentiles(self.percentiles.as_deref())?,
                ..Default::default()
            },
            jobs_list,
            repeat: self.repeat.get(),
            json: self.json,
            plot: self.plot,
        })
    }
}

/// The requested percentiles, or pandas' default quartiles.
fn percentiles(requested: Option<&[f64]>) -> polarsdesc::Result<Percentiles> {
    requested.map_or_else(|| Ok(Percentiles::default()), Percentiles::new)
}

/// The inputs as given; none means data/, and the demo data set is generated
/// there first if it holds no CSV file (the embedded default).
fn inputs_or_default(inputs: Vec<PathBuf>, jobs: usize) -> (Vec<PathBuf>, Option<GenerateConfig>) {
    if inputs.is_empty() {
        let default_dir = Path::new(DEFAULT_DATA_DIR);
        let demo = GenerateConfig::default_data_set(default_dir, jobs);
        (vec![default_dir.to_path_buf()], Some(demo))
    } else {
        (inputs, None)
    }
}

impl MergeArgs {
    fn into_config(self) -> polarsdesc::Result<MergeConfig> {
        let output = if polarsdesc::destination::is_stdout_alias(&self.output) {
            OutputTarget::Stdout
        } else {
            OutputTarget::File(self.output)
        };
        let format = OutputFormat::resolve(self.format.map(Into::into), &output)?;
        Ok(MergeConfig {
            folder: self.folder,
            output,
            format,
        })
    }
}

impl GenerateArgs {
    fn into_config(self) -> polarsdesc::Result<GenerateConfig> {
        let jobs = self.jobs.resolve();
        let today = chrono::Local::now().date_naive();
        let config = GenerateConfig {
            dir: self.dir,
            label_length: self.label_length,
            label_limit: self.labels,
            start: self.start,
            end: self.end.unwrap_or(today),
            seed: self.seed,
            jobs,
        };
        config.validate()?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

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
        let Config::Run(config) =
            parse(&["polarsdesc", "run", "--threshold", "-1", "--stat", "max"])
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
}
