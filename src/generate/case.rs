//! Folders that ignore case (macOS and Windows by default): detecting one, and the labels that would overwrite each other there.
//!
//! The 2-letter labels include `ab`, `aB` and `AB`. Where a file system
//! ignores case those are one file, and which label's data survives would
//! depend on timing; `generate` refuses instead of losing files silently.

use std::fs::{self, OpenOptions};
use std::io;
use std::path::Path;

/// The first two labels (by index, in order) that are the same when case is
/// ignored, if any.
pub fn first_collision(labels: &[String]) -> Option<(usize, usize)> {
    let mut seen = std::collections::HashMap::with_capacity(labels.len());
    for (index, label) in labels.iter().enumerate() {
        if let Some(&earlier) = seen.get(&label.to_ascii_lowercase()) {
            return Some((earlier, index));
        }
        seen.insert(label.to_ascii_lowercase(), index);
    }
    None
}

/// Whether `folder` ignores case in file names, found out the way git does:
/// create a file with a lower-case name and look for it in upper case.
///
/// # Errors
/// When the probe file cannot be created (the folder is not writable).
pub fn ignores_case(folder: &Path) -> io::Result<bool> {
    let nonce = std::process::id();
    let lower = folder.join(format!(".polarsdesc-case-probe-{nonce}-x"));
    let upper = folder.join(format!(".POLARSDESC-CASE-PROBE-{nonce}-X"));
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&lower)?;
    let ignores = fs::symlink_metadata(&upper).is_ok();
    fs::remove_file(&lower)?;
    Ok(ignores)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::labels::labels;

    #[test]
    fn the_article_labels_collide_first_at_a_b() {
        let all = labels(2, None);
        let (a, b) = first_collision(&all).unwrap();
        assert_eq!((all[a].as_str(), all[b].as_str()), ("ab", "aB"));
        assert_eq!(b, 26);
        assert_eq!(first_collision(&all[..26]), None);
    }

    #[test]
    fn this_folder_is_probed_without_leaving_anything() {
        let dir = tempfile::tempdir().unwrap();
        // The test machines' file systems (ext4, tmpfs) respect case.
        assert!(!ignores_case(dir.path()).unwrap());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        assert!(ignores_case(&dir.path().join("missing")).is_err());
    }
}
