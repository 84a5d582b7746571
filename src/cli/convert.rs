//! The parsed arguments converted, once, into the library's plain config structs.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use polarsdesc::bench::plot;
use polarsdesc::config::{
    default_jobs_list, jobs_list, BenchConfig, DiscoverOptions, GenerateConfig, OutputFormat,
    OutputTarget, RunConfig, StoreOptions, DEFAULT_DATA_DIR,
};
use polarsdesc::describe::{Include, Kind, Percentiles};
use polarsdesc::merge::MergeConfig;
use polarsdesc::parallel::available_cores;
use polarsdesc::shards::ShardSpec;
use polarsdesc::thresholds::{StatColumns, Thresholds, DEFAULT_STAT};

use super::{BenchArgs, Command, GenerateArgs, KindArg, MergeArgs, RunArgs};

/// A parsed command, converted into the library's config.
pub enum Config {
    Run(RunConfig),
    Generate(GenerateConfig),
    Bench(BenchConfig),
    Merge(MergeConfig),
    Completions(clap_complete::Shell),
    Man,
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
            Some(text) => polarsdesc::config::memory_ceiling("--max-memory", text)?,
            None => polarsdesc::describe::MemoryShare::DEFAULT_CEILING,
        };
        let kinds = |args: &[KindArg]| args.iter().map(|&k| Kind::from(k)).collect::<Vec<_>>();
        let include = Include::resolve(&kinds(&self.include), &kinds(&self.exclude))
            .map_err(polarsdesc::Error::InvalidConfig)?;
        polarsdesc::describe::groups::check_keys(&self.by)
            .map_err(polarsdesc::Error::InvalidConfig)?;
        let describe = polarsdesc::describe::Options {
            percentiles: percentiles.clone(),
            separator: self.sep.unwrap_or(b','),
            include,
            by: self.by,
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
        let columns = StatColumns {
            percentiles: &percentiles,
            include,
        };
        let thresholds = match (&self.thresholds, self.threshold) {
            (Some(file), fallback) => {
                Some(Thresholds::from_file(file, fallback, &self.stat, &columns)?)
            }
            (None, Some(threshold)) => Some(Thresholds::fixed(threshold, &self.stat, &columns)?),
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
