//! The command line: clap derive structs (their one-time conversion into the library's plain config is in `convert`).

mod convert;

pub use convert::Config;

use std::num::NonZeroUsize;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use polarsdesc::config::{default_start, CacheCheck, OutputFormat, DEFAULT_DATA_DIR};
use polarsdesc::describe::Kind;
use polarsdesc::parallel::available_cores;
use polarsdesc::thresholds::DEFAULT_STAT;

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
    /// Summarize CSV, Parquet, Arrow and NDJSON files: count, mean, std, min,
    /// percentiles and max of every numeric column of every file, equal to
    /// pandas' describe(), in one table.
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
            "{}\nPolars {} (csv, parquet, ipc, lazy)\ninputs: CSV, Parquet, Arrow IPC (Feather), \
             NDJSON; local files, s3:// (object_store); .gz .bz2 .xz .zst .zip\nbuilt for {}-{}",
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
    /// Files, folders (meaning their *.csv files, compressed too, *.parquet,
    /// *.arrow, *.feather, *.ipc, *.ndjson and *.jsonl files) or glob
    /// patterns, on disk or in S3 (s3://bucket/prefix/,
    /// s3://bucket/prefix/*.csv) [default: data/]
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

    /// The kinds of column to describe, as pandas' describe(include=...):
    /// number, text (pandas' object and str columns; object says the same),
    /// str (pandas 3's str columns alone), bool, or all;
    /// comma-separated. Text and bool columns get count, unique, top and
    /// freq (new columns of the output) [default: pandas' own: number, or
    /// every column of a file that has no numeric one]
    #[arg(long, value_enum, value_name = "KIND,...", value_delimiter = ',')]
    pub include: Vec<KindArg>,

    /// Kinds of column not to describe, as pandas' describe(exclude=...):
    /// alone, every other kind is described.
    #[arg(long, value_enum, value_name = "KIND,...", value_delimiter = ',')]
    pub exclude: Vec<KindArg>,

    /// Describe each file per group of these key columns' values, as
    /// pandas' df.groupby([COLUMN, ...]).describe(): groups sorted by key,
    /// rows with a missing key left out; each key becomes a column of the
    /// output, typed as pandas reads it (comma-separated, or repeated)
    #[arg(long, value_name = "COLUMN,...", value_delimiter = ',')]
    pub by: Vec<String>,

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
    /// percentile (such as 50%) or max; unique or freq with --include text
    /// or bool.
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

    /// Rounds of runs: each round runs every number of workers once, in
    /// turn (1, 2, 4, then 1, 2, 4 again), so a slow spell of the machine
    /// falls on every row alike; more rounds, steadier medians.
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

/// The kinds of column of --include and --exclude, as spelled on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    All,
    Number,
    /// pandas' object and str columns
    #[value(alias = "object")]
    Text,
    /// pandas 3's str columns alone
    #[value(alias = "string")]
    Str,
    Bool,
    /// pandas' category columns (Parquet and Arrow dictionaries)
    Category,
}

impl From<KindArg> for Kind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::All => Kind::All,
            KindArg::Number => Kind::Number,
            KindArg::Text => Kind::Text,
            KindArg::Str => Kind::Str,
            KindArg::Bool => Kind::Bool,
            KindArg::Category => Kind::Category,
        }
    }
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

#[cfg(test)]
mod tests;
