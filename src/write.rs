//! Writing the output safely: nothing in the output folder changes until the
//! whole site has rendered. Files go into a temporary sibling folder, which
//! becomes the output on a first build. On a rebuild only files whose bytes
//! changed are staged and moved into place, unchanged files are left alone
//! (no rewrite, no new inode), and files the site no longer has are removed.
//! A failed build removes the staging folder and leaves the output as it was.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// A temporary sibling of the output folder that pages are written into as
/// they are rendered. `commit` puts them in place; dropping it uncommitted
/// removes it.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// The output folder existed: only changed files are staged.
    incremental: bool,
    /// Every path of the new site, `/`-separated, relative to the output root.
    site: Mutex<HashSet<String>>,
    /// The paths staged because they are new or changed.
    staged: Mutex<HashSet<String>>,
    /// Folders made in the staging folder: each is made once, not once per file.
    made: Mutex<HashSet<PathBuf>>,
    committed: bool,
}

/// What `commit` did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    /// Files written because they were new or changed.
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files of the previous output the site no longer has.
    pub removed: usize,
}

impl Staging {
    pub fn new(out_dir: &Path) -> Result<Staging> {
        let parent = out_dir.parent().unwrap_or(Path::new("."));
        let name = out_dir
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.almanac-new-{}", std::process::id()));
        std::fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).map_err(|e| Error::io("creating", &dir, e))?;
        Ok(Staging {
            dir,
            target: out_dir.to_path_buf(),
            incremental: out_dir.is_dir(),
            site: Mutex::default(),
            staged: Mutex::default(),
            made: Mutex::default(),
            committed: false,
        })
    }

    /// Writes `contents` at `rel` (a `/`-separated path under the output root),
    /// unless the output already holds exactly these bytes there.
    pub fn write(&self, rel: &str, contents: &[u8]) -> Result<()> {
        self.write_parts(rel, &[contents])
    }

    /// `write` for the file made of `parts` in order, written as they are
    /// (one `writev`), never joined in memory.
    pub fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<()> {
        // A path written twice keeps the last bytes, as a plain folder would:
        // the second write always goes to the staging folder.
        let first = lock(&self.site).insert(rel.to_string());
        if first && self.incremental && same_bytes(&self.target.join(rel), parts) {
            return Ok(());
        }
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent()
            && !lock(&self.made).contains(parent)
        {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
            lock(&self.made).insert(parent.to_path_buf());
        }
        write_all(&path, parts).map_err(|e| Error::io("writing", &path, e))?;
        lock(&self.staged).insert(rel.to_string());
        Ok(())
    }

    pub fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let bytes = std::fs::read(from).map_err(|e| Error::io("copying", from, e))?;
        self.write(rel, &bytes)
    }

    /// Puts the new output in place of the old one.
    pub fn commit(mut self) -> Result<Committed> {
        let staged = std::mem::take(&mut *lock(&self.staged));
        let site = std::mem::take(&mut *lock(&self.site));
        let mut done = Committed {
            written: staged.len(),
            unchanged: site.len().saturating_sub(staged.len()),
            removed: 0,
        };
        if !self.incremental || !self.target.is_dir() {
            let _ = std::fs::remove_file(&self.target);
            std::fs::rename(&self.dir, &self.target)
                .map_err(|e| Error::io("moving the new output into place", &self.target, e))?;
            self.committed = true;
            return Ok(done);
        }
        for rel in &staged {
            let to = self.target.join(rel);
            clear_way(&self.target, &to)?;
            std::fs::rename(self.dir.join(rel), &to)
                .map_err(|e| Error::io("moving into place", &to, e))?;
        }
        done.removed = remove_stale(&self.target, &site)?;
        self.committed = true;
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(done)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether the file at `path` holds exactly `parts`, in order (the size is
/// compared first).
fn same_bytes(path: &Path, parts: &[&[u8]]) -> bool {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let same = |old: Vec<u8>| {
        let mut rest = old.as_slice();
        parts
            .iter()
            .all(|part| match rest.split_at_checked(part.len()) {
                Some((head, tail)) if head == *part => {
                    rest = tail;
                    true
                }
                _ => false,
            })
            && rest.is_empty()
    };
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == len as u64)
        && std::fs::read(path).is_ok_and(same)
}

/// Creates (or truncates) the file at `path` and writes `parts` into it.
fn write_all(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    use std::io::{IoSlice, Write};
    let mut file = std::fs::File::create(path)?;
    let mut slices: Vec<IoSlice> = parts.iter().map(|p| IoSlice::new(p)).collect();
    let mut slices = slices.as_mut_slice();
    IoSlice::advance_slices(&mut slices, 0);
    while !slices.is_empty() {
        match file.write_vectored(slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Makes room for a file at `to` under `root`: folders above it, and no
/// folder where the file goes or file where a folder goes.
fn clear_way(root: &Path, to: &Path) -> Result<()> {
    let mut at = to.parent();
    let mut above = Vec::new();
    while let Some(dir) = at.filter(|d| d.starts_with(root) && *d != root) {
        above.push(dir);
        at = dir.parent();
    }
    for dir in above.into_iter().rev() {
        if dir.is_file() || dir.is_symlink() {
            std::fs::remove_file(dir).map_err(|e| Error::io("removing", dir, e))?;
        }
        if !dir.exists() {
            std::fs::create_dir(dir).map_err(|e| Error::io("creating", dir, e))?;
        }
    }
    if to.is_dir() && !to.is_symlink() {
        std::fs::remove_dir_all(to).map_err(|e| Error::io("removing", to, e))?;
    }
    Ok(())
}

/// Removes what is under `root` but not in `site`, and folders left empty;
/// returns how many files went.
fn remove_stale(root: &Path, site: &HashSet<String>) -> Result<usize> {
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1) {
        let entry = entry.map_err(|e| Error::io("listing", root, e.into()))?;
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else if !site.contains(&rel) {
            std::fs::remove_file(entry.path())
                .map_err(|e| Error::io("removing", entry.path(), e))?;
            removed += 1;
        }
    }
    // Deepest first, so a folder's empty sub-folders are gone before it.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for dir in dirs {
        let _ = std::fs::remove_dir(dir);
    }
    Ok(removed)
}

/// Refuses an output folder whose replacement would delete the project's own files.
pub fn check_output_dir(root: &Path, out_dir: &Path, protected: &[&Path]) -> Result<()> {
    let canonical = |p: &Path| -> PathBuf {
        // The output may not exist yet: canonicalize the nearest existing ancestor.
        let mut existing = p.to_path_buf();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_owned());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut c = existing.canonicalize().unwrap_or(existing);
        c.extend(rest.into_iter().rev());
        c
    };
    let out = canonical(out_dir);
    for p in std::iter::once(root).chain(protected.iter().copied()) {
        if canonical(p).starts_with(&out) {
            return Err(Error::Usage(format!(
                "refusing to write the site to `{}`: it would replace `{}`",
                out_dir.display(),
                p.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_in_parts_is_its_parts_joined() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.html");
        write_all(&path, &[b"", b"<p>", b"", b"body", b"</p>\n"]).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"<p>body</p>\n");
        // The same bytes cut anywhere are the same file; other bytes are not.
        assert!(same_bytes(&path, &[b"<p>body</p>\n"]));
        assert!(same_bytes(&path, &[b"<p>bo", b"", b"dy</p>\n"]));
        assert!(!same_bytes(&path, &[b"<p>body", b"</p>!"]));
        assert!(!same_bytes(&path, &[b"<p>body</p>\n", b"more"]));
        write_all(&path, &[b"", b""]).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"");
        assert!(same_bytes(&path, &[]));
    }
}
