//! Where a file the user names as an output is really written: a regular file replaced atomically, a stream, or a refusal.
//!
//! The rules of a careful Unix tool:
//!
//! - `-`, `/dev/stdout`, `/dev/fd/1`: our standard output;
//! - a symbolic link is followed (however many) and the regular file it leads
//!   to is replaced atomically; the link stays a link;
//! - a FIFO, a character device (`/dev/null`, a terminal) or a descriptor
//!   under `/dev/fd` or `/proc/self/fd` is written in place, as a stream;
//! - a folder, a socket or a block device is refused, before any input is read;
//! - nothing that is not ours is ever unlinked;
//! - `s3://bucket/key` is an object, written in one PUT (readers see the old
//!   object or the whole new one, as with a rename).

use std::fs::{self, File, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::atomic;
use crate::error::{Error, Result};
use crate::sources::s3::{self, S3Url};

/// Symbolic links followed before giving up, as the kernel does (`ELOOP`).
const MAX_LINKS: usize = 40;

/// Where an output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Our standard output.
    Stdout,
    /// A FIFO or a character device, opened and written in place.
    Stream(PathBuf),
    /// A regular file (or one to create) at this path, symbolic links
    /// followed; replaced atomically.
    File(PathBuf),
    /// An object in a bucket, replaced in one PUT.
    Object(S3Url),
}

impl Destination {
    /// Decides how `path` is written, without writing anything.
    ///
    /// # Errors
    /// When `path` is (or leads to) a folder, a socket or a block device, or
    /// its symbolic links loop or cannot be read.
    pub fn resolve(path: &Path) -> io::Result<Destination> {
        if is_stdout_alias(path) {
            return Ok(Destination::Stdout);
        }
        if s3::is_s3(path) {
            return object_destination(path);
        }
        let mut current = path.to_path_buf();
        for _ in 0..MAX_LINKS {
            let metadata = match fs::symlink_metadata(&current) {
                Err(err) if err.kind() == io::ErrorKind::NotFound => {
                    return Ok(Destination::File(current))
                }
                Err(err) => return Err(err),
                Ok(metadata) => metadata,
            };
            if !metadata.file_type().is_symlink() {
                return classify(current, &metadata, false);
            }
            if is_descriptor_link(&current) {
                // `/proc/self/fd/N` leads to `pipe:[1234]` and the like: only
                // the kernel can follow it, and the result is written in place.
                return classify(current.clone(), &fs::metadata(&current)?, true);
            }
            let target = fs::read_link(&current)?;
            current = atomic::folder_of(&current).join(target);
        }
        Err(io::Error::other("too many levels of symbolic links"))
    }

    /// The file written to, when it is a path.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Destination::Stdout | Destination::Object(_) => None,
            Destination::Stream(path) | Destination::File(path) => Some(path),
        }
    }

    /// Whether the bytes end up on a terminal (where binary output is no use).
    pub fn is_terminal(&self) -> bool {
        match self {
            Destination::Stdout => io::stdout().is_terminal(),
            Destination::Stream(path) => File::open(path).is_ok_and(|file| file.is_terminal()),
            Destination::File(_) | Destination::Object(_) => false,
        }
    }

    /// Whether this is a regular file that keeps a journal and a cache beside it.
    pub fn is_file(&self) -> bool {
        matches!(self, Destination::File(_))
    }

    /// Writes what `fill` writes: into a file atomically (flushed to disk
    /// first when `durable`), a stream or stdout in place (buffered), an
    /// object in one PUT (so it is held in memory first).
    ///
    /// # Errors
    /// When the write fails (`Filled::Io`) or `fill` fails (`Filled::Failed`);
    /// a file is then left as it was. A closed pipe is an error of kind
    /// `BrokenPipe`.
    fn write_with(
        &self,
        staging: Option<&Path>,
        durable: bool,
        fill: &mut dyn FnMut(&mut dyn Write) -> Result<(), Filled>,
    ) -> Result<(), Filled> {
        match self {
            Destination::Stdout => {
                let mut stdout = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
                fill(&mut stdout)?;
                Ok(stdout.flush()?)
            }
            Destination::Stream(path) => {
                let stream = OpenOptions::new().write(true).truncate(true).open(path)?;
                let mut stream = io::BufWriter::with_capacity(1 << 16, stream);
                fill(&mut stream)?;
                Ok(stream.flush()?)
            }
            Destination::File(path) => atomic::write_staged(path, staging, durable, |file| {
                let mut file = io::BufWriter::with_capacity(1 << 16, file);
                fill(&mut file)?;
                Ok(file.flush()?)
            }),
            Destination::Object(url) => {
                let mut bytes = Vec::new();
                fill(&mut bytes)?;
                s3::client()
                    .and_then(|client| client.put(url, bytes))
                    .map_err(|err| Filled::Io(io::Error::other(err.reason)))
            }
        }
    }
}

/// Why writing an output failed: the writing itself, or what filled it.
enum Filled {
    Io(io::Error),
    Failed(Error),
}

impl From<io::Error> for Filled {
    fn from(error: io::Error) -> Self {
        Filled::Io(error)
    }
}

/// An output as the user named it, resolved: its name for messages, and where its bytes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sink {
    /// The path as given (`-` for stdout), for messages.
    pub name: PathBuf,
    pub destination: Destination,
    /// Where a file's temporary is written, when not beside it (see
    /// [`atomic::write_staged`]).
    pub staging: Option<PathBuf>,
}

impl Sink {
    /// Resolves the output named `name` (`-` is stdout).
    ///
    /// # Errors
    /// As [`Destination::resolve`], the error naming `name`.
    pub fn resolve(name: &Path) -> Result<Sink> {
        let destination = Destination::resolve(name).map_err(|err| Error::write(name, err))?;
        Ok(Sink {
            name: name.to_path_buf(),
            destination,
            staging: None,
        })
    }

    /// Standard output.
    pub fn stdout() -> Sink {
        Sink {
            name: "-".into(),
            destination: Destination::Stdout,
            staging: None,
        }
    }

    /// Writes `bytes` (see [`Sink::write_with`]).
    ///
    /// # Errors
    /// When the write fails, naming the output as the user named it.
    pub fn write(&self, bytes: &[u8], durable: bool) -> Result<()> {
        self.write_with(durable, &mut |out| {
            out.write_all(bytes)
                .map_err(|err| Error::write(&self.name, err))
        })
    }

    /// Writes what `fill` writes to `out`: a file is replaced atomically
    /// (flushed to disk first when `durable`), so that a failure leaves it as
    /// it was; a stream or stdout is written in place; an object in one PUT.
    ///
    /// # Errors
    /// When the write fails, naming the output as the user named it, or
    /// `fill` fails (its error).
    pub fn write_with(
        &self,
        durable: bool,
        fill: &mut dyn FnMut(&mut dyn Write) -> Result<()>,
    ) -> Result<()> {
        let staging = match &self.destination {
            Destination::File(_) => self.staging.as_deref(),
            _ => None,
        };
        let written = self.destination.write_with(staging, durable, &mut |out| {
            fill(out).map_err(Filled::Failed)
        });
        written.map_err(|filled| match filled {
            Filled::Io(err) => Error::write(&self.name, err),
            Filled::Failed(err) => err,
        })
    }

    /// `stdout`, or the output's name as given.
    pub fn describe(&self) -> String {
        match self.destination {
            Destination::Stdout => "stdout".into(),
            _ => self.name.display().to_string(),
        }
    }
}

/// Whether `path` is written as a stream (stdout, a FIFO, a device), so
/// that its name says nothing about a format.
pub fn is_stream(path: &Path) -> bool {
    matches!(
        Destination::resolve(path),
        Ok(Destination::Stdout | Destination::Stream(_))
    )
}

/// An `s3://bucket/key` output: an object, not a folder of the bucket.
fn object_destination(path: &Path) -> io::Result<Destination> {
    let url = S3Url::parse(&path.to_string_lossy()).map_err(|err| refusal(&err.reason))?;
    if url.key.is_empty() || url.key.ends_with('/') {
        return Err(refusal(
            "it names a folder of the bucket, not an object: give the object's key (s3://BUCKET/out.parquet)",
        ));
    }
    Ok(Destination::Object(url))
}

/// How a path that is not a link is written.
fn classify(path: PathBuf, metadata: &fs::Metadata, descriptor: bool) -> io::Result<Destination> {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return Err(refusal("it is a folder"));
    }
    if kind.is_file() {
        return Ok(if descriptor {
            Destination::Stream(path)
        } else {
            Destination::File(path)
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() || kind.is_char_device() {
            return Ok(Destination::Stream(path));
        }
        if kind.is_block_device() {
            return Err(refusal(
                "it is a block device; polarsdesc writes only files and streams",
            ));
        }
        if kind.is_socket() {
            return Err(refusal(
                "it is a socket; polarsdesc writes only files and streams",
            ));
        }
    }
    Err(refusal(
        "it is not a regular file, a FIFO or a character device",
    ))
}

fn refusal(reason: &str) -> io::Error {
    io::Error::other(reason.to_string())
}

/// `-`, `/dev/stdout` and its other spellings: our own standard output.
pub fn is_stdout_alias(path: &Path) -> bool {
    ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]
        .iter()
        .any(|alias| path == Path::new(alias))
}

/// A link to an open descriptor (`/dev/fd/N`, `/proc/<pid>/fd/N`), whose
/// target only the kernel can follow.
fn is_descriptor_link(path: &Path) -> bool {
    path.starts_with("/proc") || path.starts_with("/dev/fd")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdout_spellings() {
        for alias in ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
            assert_eq!(
                Destination::resolve(Path::new(alias)).unwrap(),
                Destination::Stdout
            );
        }
    }

    #[test]
    fn new_and_regular_files_are_files() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.csv");
        assert_eq!(
            Destination::resolve(&new).unwrap(),
            Destination::File(new.clone())
        );
        fs::write(&new, "x").unwrap();
        assert_eq!(Destination::resolve(&new).unwrap(), Destination::File(new));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        fs::write(&real, "x").unwrap();
        std::os::unix::fs::symlink("real.csv", dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("a"), dir.path().join("b")).unwrap();
        assert_eq!(
            Destination::resolve(&dir.path().join("b")).unwrap(),
            Destination::File(dir.path().join("real.csv"))
        );
        // A link to nothing yet: the file it names is created, as a shell would.
        std::os::unix::fs::symlink("later.csv", dir.path().join("c")).unwrap();
        assert_eq!(
            Destination::resolve(&dir.path().join("c")).unwrap(),
            Destination::File(dir.path().join("later.csv"))
        );
        std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
        assert!(Destination::resolve(&dir.path().join("loop")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_streams_and_folders_are_refused() {
        assert_eq!(
            Destination::resolve(Path::new("/dev/null")).unwrap(),
            Destination::Stream("/dev/null".into())
        );
        let dir = tempfile::tempdir().unwrap();
        let err = Destination::resolve(dir.path()).unwrap_err();
        assert_eq!(err.to_string(), "it is a folder");
    }
}
