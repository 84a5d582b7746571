//! The run's own files (output, `--errors`, journal, cache, temporaries): never read as inputs, and never written over one.
//!
//! Files are compared by device and inode (symbolic links followed), as `cp`
//! does to refuse copying a file onto itself, and by path for outputs that do
//! not exist yet. An output that is also an input is refused before anything
//! is read, with one exception: an output left by an earlier run in an input
//! folder (`run in -o in/summary.csv`, twice) is recognised by its content
//! and simply not read, so that reruns do not describe their own results;
//! in a bucket as on disk (an object is compared by its URL).

use std::ffi::OsStr;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use polars_io::prelude::{ParquetReader, SerReader};

use crate::destination::{Destination, Sink};
use crate::error::{Error, Result};
use crate::output::FAILURES_HEADER;
use crate::sources::FileId;
use crate::sources::{s3, Input};

/// What one of the run's files is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Output,
    Errors,
    Journal,
    Cache,
}

impl Role {
    fn describe(self) -> &'static str {
        match self {
            Role::Output => "the output (-o)",
            Role::Errors => "the --errors file",
            Role::Journal => "this run's journal",
            Role::Cache => "this run's cache",
        }
    }
}

/// One file the run writes.
#[derive(Debug)]
struct OwnFile {
    role: Role,
    /// Where it is really written (links followed).
    real: PathBuf,
    /// The file name of `real` (compared with every input's).
    real_name: Option<std::ffi::OsString>,
    /// As the user named it.
    name: PathBuf,
    id: Option<FileId>,
}

impl OwnFile {
    fn new(role: Role, real: PathBuf, name: PathBuf) -> OwnFile {
        OwnFile {
            role,
            id: FileId::of(&real),
            real_name: real.file_name().map(ToOwned::to_owned),
            real,
            name,
        }
    }
}

/// The files a run writes, to keep them apart from what it reads.
#[derive(Debug, Default)]
pub struct OwnFiles {
    files: Vec<OwnFile>,
}

impl OwnFiles {
    /// The run's files: its output and `--errors` sinks, and the journal and
    /// cache beside the output, if it keeps them.
    ///
    /// # Errors
    /// When `-o` and `--errors` name the same file, or either is the
    /// `--thresholds` file.
    pub fn new(
        output: &Sink,
        errors: Option<&Sink>,
        store: Option<(PathBuf, PathBuf)>,
        thresholds: Option<&Path>,
    ) -> Result<OwnFiles> {
        let mut own = OwnFiles::default();
        own.add(Role::Output, output);
        if let Some(errors) = errors {
            own.add(Role::Errors, errors);
        }
        if let Some((journal, cache)) = store {
            for (role, path) in [(Role::Journal, journal), (Role::Cache, cache)] {
                own.files.push(OwnFile::new(role, path.clone(), path));
            }
        }
        if let [output, errors, ..] = own.files.as_slice() {
            // Two writes to one device (`/dev/null`) do not disturb each other.
            let shareable = std::fs::metadata(&errors.real).is_ok_and(|m| {
                use std::os::unix::fs::FileTypeExt;
                m.file_type().is_char_device()
            });
            if errors.role == Role::Errors
                && output.is_same(&errors.real, errors.real.file_name(), errors.id)
                && !shareable
            {
                return Err(Error::InvalidConfig(format!(
                    "-o and --errors both name {}: give them different files",
                    errors.name.display()
                )));
            }
        }
        if let Some(thresholds) = thresholds {
            let id = FileId::of(thresholds);
            if let Some(file) = own
                .files
                .iter()
                .find(|file| file.is_same(thresholds, thresholds.file_name(), id))
            {
                return Err(Error::InvalidConfig(format!(
                    "{} is the --thresholds file and {}: refusing to overwrite it",
                    thresholds.display(),
                    file.role.describe()
                )));
            }
        }
        Ok(own)
    }

    fn add(&mut self, role: Role, sink: &Sink) {
        let real = match &sink.destination {
            Destination::File(real) | Destination::Stream(real) => real.clone(),
            // Compared with objects found in a bucket by URL.
            Destination::Object(url) => PathBuf::from(url.to_string()),
            Destination::Stdout => return,
        };
        self.files.push(OwnFile::new(role, real, sink.name.clone()));
    }

    /// The inputs without the run's own files, and a note for each file left
    /// out.
    ///
    /// # Errors
    /// When the output or the `--errors` file is also an input: named on the
    /// command line, or found in a folder or by a pattern and not recognisably
    /// an earlier run's output. Nothing has been read or written then.
    pub fn screen(&self, inputs: Vec<Input>) -> Result<(Vec<Input>, Vec<String>)> {
        let own_inodes: Vec<u64> = self
            .files
            .iter()
            .filter_map(|f| f.id)
            .map(|id| id.inode())
            .collect();
        let mut kept = Vec::with_capacity(inputs.len());
        let mut notes = Vec::new();
        for input in inputs {
            let name = input.path.file_name();
            if self.is_temporary(&input.path, name) {
                notes.push(format!(
                    "not reading {}: it is a temporary file of this run's output",
                    input.path.display()
                ));
                continue;
            }
            // A system call only for inputs that might be one of ours: an
            // inode already known to differ from all of ours needs none.
            let id = match input.inode {
                _ if own_inodes.is_empty() => None,
                Some(inode) if !own_inodes.contains(&inode) => None,
                _ => FileId::of(&input.path),
            };
            let Some(file) = self
                .files
                .iter()
                .find(|file| file.is_same(&input.path, name, id))
            else {
                if is_an_earlier_result(&input) {
                    notes.push(format!(
                        "not reading {}: it is a polarsdesc result table, left by an earlier run",
                        input.path.display()
                    ));
                } else {
                    kept.push(input);
                }
                continue;
            };
            match file.role {
                Role::Journal | Role::Cache => {}
                Role::Output | Role::Errors if !input.named && file.looks_like_ours() => {}
                role => return Err(overwrite_refusal(&input, role)),
            }
            notes.push(format!(
                "not reading {}: it is {}{}",
                input.path.display(),
                file.role.describe(),
                if matches!(file.role, Role::Output | Role::Errors) {
                    ", left by an earlier run"
                } else {
                    ""
                }
            ));
        }
        Ok((kept, notes))
    }

    /// Whether `path` (named `name`) is a temporary file of one of ours.
    fn is_temporary(&self, path: &Path, name: Option<&OsStr>) -> bool {
        // Temporaries are hidden files: most inputs are settled by one byte.
        name.is_some_and(|name| name.as_encoded_bytes().first() == Some(&b'.'))
            && self
                .files
                .iter()
                .any(|file| crate::atomic::is_temporary_of(path, &file.real))
    }
}

impl OwnFile {
    /// Whether `path` (named `name`, with identity `id` if it exists) is this file.
    fn is_same(&self, path: &Path, name: Option<&OsStr>, id: Option<FileId>) -> bool {
        match (self.id, id) {
            (Some(ours), Some(theirs)) => ours == theirs,
            (Some(_), None) => false,
            // Not a file of ours on disk: the same name in the same place?
            (None, _) => name == self.real_name.as_deref() && same_lexically(&self.real, path),
        }
    }

    /// Whether the file holds what polarsdesc writes in this role: the result
    /// table (Parquet, CSV or JSON), or the `--errors` CSV.
    fn looks_like_ours(&self) -> bool {
        match self.role {
            Role::Errors => first_line(&self.real).is_some_and(|line| line == FAILURES_HEADER),
            Role::Output => looks_like_a_result(&self.real),
            Role::Journal | Role::Cache => true,
        }
    }
}

/// Whether a Parquet input found in a folder, by a pattern or under a
/// prefix holds a polarsdesc result (an earlier run's output, or a shard's
/// part): not data to describe. Objects are checked only when named as
/// ours are (`summary.parquet`, `part-*.parquet`), since checking means
/// fetching them.
fn is_an_earlier_result(input: &Input) -> bool {
    let Some(name) = input.path.file_name() else {
        return false;
    };
    let name = name.as_encoded_bytes();
    let parquet =
        crate::formats::Columnar::of_name(name) == Some(crate::formats::Columnar::Parquet);
    if input.named || !parquet {
        return false;
    }
    if s3::is_s3(&input.path) && !(name == b"summary.parquet" || name.starts_with(b"part-")) {
        return false;
    }
    looks_like_a_result(&input.path)
}

/// The refusal to write over an input.
fn overwrite_refusal(input: &Input, role: Role) -> Error {
    let how = if input.named {
        "an input"
    } else {
        "an input (found in a folder or by a pattern)"
    };
    Error::InvalidConfig(format!(
        "{} is {how} and also {}: refusing to overwrite it; choose another name",
        input.path.display(),
        role.describe()
    ))
}

/// Whether two paths name the same place, without asking the file system.
fn same_lexically(a: &Path, b: &Path) -> bool {
    match (std::path::absolute(a), std::path::absolute(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The first line of a text file (or object), without its line ending.
fn first_line(path: &Path) -> Option<String> {
    let start = if s3::is_s3(path) {
        object_bytes(path, Some(64 * 1024))?
    } else {
        let mut start = Vec::new();
        File::open(path)
            .ok()?
            .take(64 * 1024)
            .read_to_end(&mut start)
            .ok()?;
        start
    };
    let mut line = String::new();
    BufReader::new(start.as_slice()).read_line(&mut line).ok()?;
    Some(line.trim_end_matches(['\r', '\n']).to_string())
}

/// The bytes of the object at the URL `path`: its first `limit`, or all
/// (when it is small enough to be one of our tables); `None` when it cannot
/// be read.
fn object_bytes(path: &Path, limit: Option<u64>) -> Option<Vec<u8>> {
    const LARGEST_TABLE: u64 = 1 << 30;
    let url = s3::S3Url::parse(&path.to_string_lossy()).ok()?;
    let client = s3::client().ok()?;
    let size = client.head(&url).ok()?.size;
    let end = limit.map_or(size, |limit| limit.min(size));
    if end > LARGEST_TABLE {
        return None;
    }
    client.get_range(&url, 0..end).ok()
}

/// The column names of a Parquet table.
fn parquet_names(reader: impl polars_io::mmap::MmapBytesReader) -> Option<Vec<String>> {
    let schema = ParquetReader::new(reader).schema().ok()?;
    Some(schema.iter_names().map(|name| name.to_string()).collect())
}

/// The bytes a table is judged by: enough for a CSV header of many keys.
const JUDGED_BYTES: usize = 64 * 1024;

/// Whether `path` (a file or an object) holds a polarsdesc result: Parquet
/// whose columns are ours, CSV whose header is, or our JSON array of rows.
fn looks_like_a_result(path: &Path) -> bool {
    if s3::is_s3(path) {
        return object_bytes(path, None).is_some_and(|bytes| {
            let start = &bytes[..bytes.len().min(JUDGED_BYTES)];
            is_a_result(start, || parquet_names(std::io::Cursor::new(&bytes)))
        });
    }
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut start = Vec::new();
    if (&file)
        .take(JUDGED_BYTES as u64)
        .read_to_end(&mut start)
        .is_err()
    {
        return false;
    }
    is_a_result(&start, || parquet_names(file))
}

/// Whether a table that starts with `start` is a polarsdesc result; `names`
/// gives a Parquet table's column names.
fn is_a_result(start: &[u8], names: impl FnOnce() -> Option<Vec<String>>) -> bool {
    if start.starts_with(b"PAR1") {
        return names().is_some_and(|names| crate::results::table::are_result_columns(&names));
    }
    let text = String::from_utf8_lossy(start);
    let header = text.lines().next().unwrap_or_default();
    let mut fields = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(header.as_bytes());
    let is_csv_result = fields
        .records()
        .next()
        .and_then(Result::ok)
        .is_some_and(|record| {
            let names: Vec<&str> = record.iter().collect();
            crate::results::table::are_result_columns(&names)
        });
    let compact: String = text
        .chars()
        .take(64)
        .filter(|c| !c.is_whitespace())
        .collect();
    is_csv_result || compact == "[]" || compact.starts_with("[{\"label\":")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &Path, named: bool) -> Input {
        Input {
            path: path.to_path_buf(),
            named,
            relative: path.file_name().unwrap().into(),
            inode: None,
            object: None,
        }
    }

    #[test]
    fn an_output_named_as_an_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("self.csv");
        std::fs::write(&data, "a\n1\n").unwrap();
        let own = OwnFiles::new(&Sink::resolve(&data).unwrap(), None, None, None).unwrap();
        let err = own.screen(vec![input(&data, true)]).unwrap_err();
        assert!(
            err.to_string().contains("refusing to overwrite it"),
            "{err}"
        );
    }

    #[test]
    fn an_earlier_output_found_in_a_folder_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let summary = dir.path().join("summary.csv");
        std::fs::write(&summary, "label,path,column,count,mean\n").unwrap();
        let data = dir.path().join("a.csv");
        let own = OwnFiles::new(&Sink::resolve(&summary).unwrap(), None, None, None).unwrap();
        let (kept, notes) = own
            .screen(vec![input(&data, false), input(&summary, false)])
            .unwrap();
        assert_eq!(kept, [input(&data, false)]);
        assert_eq!(notes.len(), 1);
        // The same name holding someone's data is refused instead.
        std::fs::write(&summary, "x,y\n1,2\n").unwrap();
        let own = OwnFiles::new(&Sink::resolve(&summary).unwrap(), None, None, None).unwrap();
        assert!(own.screen(vec![input(&summary, false)]).is_err());
    }

    #[test]
    fn result_tables_are_told_by_their_columns_with_or_without_keys() {
        assert!(is_a_result(b"label,path,column,count,mean\n", || None));
        assert!(is_a_result(
            b"label,ticker,\"by, store\",path,column,count,mean\n",
            || None
        ));
        assert!(is_a_result(b"[\n  {\n    \"label\": \"a\"", || None));
        assert!(!is_a_result(b"label,path,count\n", || None));
        assert!(!is_a_result(b"x,label,path,column,count\n", || None));
        let keyed = ["label", "k", "path", "column", "count", "mean"].map(String::from);
        assert!(is_a_result(b"PAR1....", || Some(keyed.to_vec())));
        assert!(!is_a_result(b"PAR1....", || Some(vec![
            "label".into(),
            "x".into()
        ])));
    }

    #[test]
    fn output_errors_and_thresholds_must_differ() {
        let dir = tempfile::tempdir().unwrap();
        let out = Sink::resolve(&dir.path().join("o.csv")).unwrap();
        assert!(OwnFiles::new(&out, Some(&out), None, None).is_err());
        assert!(OwnFiles::new(&out, None, None, Some(&dir.path().join("o.csv"))).is_err());
    }
}
