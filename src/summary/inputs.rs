//! Which files a run reads: the inputs found, with the demo data set generated first when the embedded default asks for it and its folder holds no data.

use std::path::{Path, PathBuf};

use crate::config::{DiscoverOptions, GenerateConfig};
use crate::error::Result;
use crate::generate;
use crate::progress::Console;
use crate::sources::{self, Discovered};

/// The files `inputs` name; with `generate_if_empty` (the embedded default),
/// generates that data set first when its folder holds no data: missing,
/// empty, or only placeholders (the repository's `data/README.md`).
///
/// A folder that holds anything else is never written into: it may be the
/// user's data in a form `run` does not read (compressed files, subfolders).
///
/// # Errors
/// When a folder cannot be listed, a pattern is malformed, or the data set
/// cannot be generated.
pub fn find_inputs(
    inputs: &[PathBuf],
    options: DiscoverOptions,
    generate_if_empty: Option<&GenerateConfig>,
    console: &Console,
) -> Result<Discovered> {
    if let Some(demo) = generate_if_empty {
        if holds_no_data(&demo.dir) {
            console.info(&format!(
                "{}/ holds no data: generating the demo data set there first (seed {})",
                demo.dir.display(),
                demo.seed.map_or_else(|| "random".into(), |s| s.to_string())
            ));
            let generated = generate::generate(demo, console)?;
            console.info(&generated.to_string());
        } else if !sources::has_csv_files(&demo.dir) {
            console.note(&format!(
                "{}/ holds no CSV file but is not empty, so the demo data set is not generated \
                 there (`polarsdesc generate` makes it anywhere)",
                demo.dir.display()
            ));
        }
    }
    let discovered = sources::discover(inputs, options)?;
    if let Some(note) = skipped_note(&discovered) {
        console.note(&note);
    }
    Ok(discovered)
}

/// The note that subfolders were not searched, when some were not.
pub(super) fn skipped_note(discovered: &Discovered) -> Option<String> {
    let plural = |count: usize| if count == 1 { " was" } else { "s were" };
    let mut notes = Vec::new();
    let count = discovered.skipped_folders;
    if count > 0 {
        notes.push(format!(
            "{count} subfolder{} not searched (-r searches subfolders)",
            plural(count)
        ));
    }
    let count = discovered.skipped_links;
    if count > 0 {
        notes.push(format!(
            "{count} linked subfolder{} not searched: {} to a folder already searched \
             (a loop, or a second way into it)",
            plural(count),
            if count == 1 { "it leads" } else { "they lead" }
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

/// Files that say a folder is for data without being data: a fresh clone's
/// `data/` holds the README that explains it.
const PLACEHOLDERS: [&str; 5] = ["README.md", "README", ".gitkeep", ".keep", ".DS_Store"];

/// Whether `folder` does not exist, or holds nothing but placeholder files.
fn holds_no_data(folder: &Path) -> bool {
    match std::fs::read_dir(folder) {
        Ok(mut entries) => entries.all(|entry| {
            entry.is_ok_and(|entry| {
                PLACEHOLDERS.iter().any(|name| entry.file_name() == *name)
                    && entry.file_type().is_ok_and(|kind| kind.is_file())
            })
        }),
        Err(err) => err.kind() == std::io::ErrorKind::NotFound,
    }
}
