//! `polarsdesc`: parse the command line, call the library, map the outcome to an exit code.

mod cli;

use std::io::{self, Write};
use std::process::ExitCode as ProcessExitCode;

use anyhow::Context;
use clap::Parser;

use polarsdesc::progress::Console;
use polarsdesc::ExitCode;

fn main() -> ProcessExitCode {
    let cli = cli::Cli::parse();
    let console = Console::stderr(cli.quiet);
    match try_main(cli, &console) {
        Ok(code) => code.into(),
        Err(err) if is_broken_pipe(&err) => ExitCode::Success.into(),
        Err(err) => {
            console.error(&format!("{err:#}"));
            exit_code_of(&err).into()
        }
    }
}

fn try_main(cli: cli::Cli, console: &Console) -> anyhow::Result<ExitCode> {
    polarsdesc::interrupt::install_handler().context("cannot install the Ctrl-C handler")?;
    polarsdesc::parallel::quiet_worker_panics();
    match cli.command.into_config()? {
        cli::Config::Run(config) => Ok(polarsdesc::run(&config, console)?.exit_code()),
        cli::Config::Merge(config) => Ok(polarsdesc::merge(&config, console)?.exit_code()),
        cli::Config::Generate(config) => {
            let report = polarsdesc::generate(&config, console)
                .with_context(|| format!("generating into {}", config.dir.display()))?;
            console.info(&report.to_string());
            Ok(ExitCode::Success)
        }
        cli::Config::Completions(shell) => {
            cli::write_completions(shell, &mut io::stdout().lock());
            Ok(ExitCode::Success)
        }
        cli::Config::Man => {
            cli::write_man(&mut io::stdout().lock())
                .map_err(|err| polarsdesc::Error::write("<stdout>".as_ref(), err))?;
            Ok(ExitCode::Success)
        }
        cli::Config::Bench(config) => {
            let report = polarsdesc::bench(&config, console)?;
            // The table first: a JSON or chart that cannot be written must
            // not cost the measurements.
            let mut stdout = io::stdout().lock();
            stdout
                .write_all(report.table().as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|err| polarsdesc::Error::write("<stdout>".as_ref(), err))?;
            polarsdesc::bench::write_outputs(&report, &config)?;
            Ok(ExitCode::Success)
        }
    }
}

/// The exit code an error carries: the library's own, or 2.
fn exit_code_of(err: &anyhow::Error) -> ExitCode {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<polarsdesc::Error>())
        .map_or(ExitCode::Failure, polarsdesc::Error::exit_code)
}

/// Writing to a closed pipe (`polarsdesc run -o - | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<polarsdesc::Error>()
            .is_some_and(polarsdesc::Error::is_broken_pipe)
            || cause
                .downcast_ref::<io::Error>()
                .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
