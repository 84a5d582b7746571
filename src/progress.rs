//! Everything the user sees on stderr: the progress bar (hidden off-terminal and under `--quiet`) and messages.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where progress and messages go, and how they look.
#[derive(Debug, Clone)]
pub struct Console {
    quiet: bool,
    color: bool,
    interactive: bool,
    /// Not even warnings and errors (the caller reports them itself).
    muted: bool,
}

impl Console {
    /// A console on stderr; colour only on a terminal and when `NO_COLOR` is unset.
    pub fn stderr(quiet: bool) -> Self {
        let interactive = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Console {
            quiet,
            color: interactive && !no_color,
            interactive,
            muted: false,
        }
    }

    /// A console that prints nothing, not even warnings and errors (for
    /// library callers that report the outcome themselves, and benchmarks).
    pub fn silent() -> Self {
        Console {
            quiet: true,
            color: false,
            interactive: false,
            muted: true,
        }
    }

    /// Whether informational messages are suppressed.
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// A progress bar over `total` items (`unit`: "files", "steps"), drawn on
    /// stderr only when it is a terminal and the console is not quiet.
    pub fn bar(&self, total: u64, verb: &str, unit: &str) -> ProgressBar {
        if self.quiet || !self.interactive {
            return ProgressBar::hidden();
        }
        let template = if self.color {
            format!("{{prefix:.bold}} [{{bar:30.cyan/blue}}] {{pos}}/{{len}} {unit}  {{per_sec:0}}  ETA {{eta}}")
        } else {
            format!("{{prefix}} [{{bar:30}}] {{pos}}/{{len}} {unit}  {{per_sec:0}}  ETA {{eta}}")
        };
        let style = ProgressStyle::with_template(&template)
            .expect("progress template is valid")
            .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
            .with_style(style)
            .with_prefix(verb.to_string());
        bar.enable_steady_tick(Duration::from_millis(100));
        bar
    }

    /// An informational line on stderr, unless quiet.
    pub fn info(&self, message: &str) {
        if !self.quiet {
            self.print(message);
        }
    }

    /// A note on stderr, unless quiet: `polarsdesc: note: ...` (something the
    /// user may not expect, such as files left out, that changes nothing wrong).
    pub fn note(&self, message: &str) {
        if !self.quiet {
            let label = self.paint("note:", "36");
            self.print(&format!("polarsdesc: {label} {message}"));
        }
    }

    /// A warning on stderr, even when quiet: `polarsdesc: warning: ...`.
    pub fn warn(&self, message: &str) {
        let label = self.paint("warning:", "33");
        self.print(&format!("polarsdesc: {label} {message}"));
    }

    /// An error on stderr, even when quiet: `polarsdesc: error: ...`.
    pub fn error(&self, message: &str) {
        let label = self.paint("error:", "31");
        self.print(&format!("polarsdesc: {label} {message}"));
    }

    /// `text` wrapped in an ANSI colour when colour is on.
    pub fn paint(&self, text: &str, ansi_code: &str) -> String {
        if self.color {
            format!("\x1b[{ansi_code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn print(&self, message: &str) {
        if self.muted {
            return;
        }
        // A closed stderr is not worth failing the run over.
        let _ = writeln!(std::io::stderr().lock(), "{message}");
    }
}
