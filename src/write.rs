//! Writing the output safely.
//!
//! - **One gate.** Every path the site writes passes `site_path`, which
//!   refuses anything that would leave the output root.
//! - **Only what almanac made.** The output folder must be new, empty, or
//!   marked by an earlier build (`.almanac-output`); almanac never replaces a
//!   folder of the project's own (`.git`, content, data, theme, templates,
//!   scripts, static) or one above them, a symlink, or a file.
//! - **Atomic.** The new site is written whole into a staging folder beside
//!   the output, and swapped in with one `rename` (`RENAME_EXCHANGE` on
//!   Linux): a reader, a kill or a failed build sees the old site or the new
//!   one, never a mix. Files whose bytes did not change are hard links to the
//!   old ones, so they keep their inode and mtime (incremental deploys).
//! - **One build at a time.** A lock file beside the output
//!   (`.NAME.almanac-lock`, there only while a build runs) makes a second
//!   build of the same output exit 2. The build that holds it removes staging
//!   folders that killed builds left behind; a build stopped by SIGINT,
//!   SIGTERM or SIGHUP removes its own.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// The file that marks a folder as almanac's output: almanac replaces only
/// folders that hold it (or are empty, or do not exist).
pub const MARKER: &str = ".almanac-output";
const MARKER_TEXT: &str = "This folder is almanac's output: every build replaces its contents.\n\
Files put here by hand are removed by the next build.\n";

/// Where a build writes: the atomic staging folder, or `serve`'s live folder.
pub trait Sink: Sync {
    fn write(&self, rel: &str, contents: &[u8]) -> Result<()>;
    fn copy(&self, rel: &str, from: &std::path::Path) -> Result<()>;

    /// Writes the file made of `parts`, in order.
    fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<()> {
        self.write(rel, &parts.concat())
    }

    /// Links at `rel` the file the version of a handbook written before
    /// this one wrote there; `false` when there is none or it could not be
    /// linked (the caller writes the file then).
    fn link_before(&self, _rel: &str) -> Result<bool> {
        Ok(false)
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, contents: &[u8]) -> Result<()> {
        Staging::write(self, rel, contents)
    }

    fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<()> {
        Staging::write_parts(self, rel, parts)
    }

    fn copy(&self, rel: &str, from: &std::path::Path) -> Result<()> {
        Staging::copy(self, rel, from)
    }
}

/// A temporary sibling of the output folder that the new site is written
/// into as it is rendered. `commit` swaps it in; dropping it uncommitted
/// removes it.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// The output folder existed: unchanged files are linked from it.
    incremental: bool,
    /// Every path of the new site, `/`-separated, relative to the output root,
    /// and whether its file is linked from the old output (its bytes did not
    /// change).
    site: Mutex<HashMap<String, bool>>,
    /// Folders made in the staging folder: each is made once, not once per file.
    made: Mutex<HashSet<PathBuf>>,
    /// The output's lock, held (and its file kept) until the build ends.
    lock: (std::fs::File, PathBuf),
    committed: bool,
}

/// What `commit` did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    /// Files written because they were new or changed.
    pub written: usize,
    /// Files left as they were (the same inode, the same mtime).
    pub unchanged: usize,
    /// Files of the previous output the site no longer has.
    pub removed: usize,
}

impl Staging {
    /// Takes the output's lock, removes what killed builds left behind, and
    /// makes an empty staging folder.
    pub fn new(out_dir: &Path) -> Result<Staging> {
        let parent = match out_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = out_dir
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        std::fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
        let lock_path = parent.join(format!(".{name}.almanac-lock"));
        let lock = lock_output(&lock_path, out_dir)?;
        remove_stale_staging(parent, &name);
        let dir = parent.join(format!(".{name}.almanac-new-{}", std::process::id()));
        // Registered before it exists: a signal in between must not leave it.
        crate::cleanup::remove_on_signal(&dir);
        if let Err(e) = std::fs::create_dir(&dir) {
            crate::cleanup::forget(&dir);
            return Err(Error::io("creating", &dir, e));
        }
        Ok(Staging {
            dir,
            target: out_dir.to_path_buf(),
            incremental: out_dir.is_dir(),
            site: Mutex::default(),
            made: Mutex::default(),
            lock: (lock, lock_path),
            committed: false,
        })
    }

    /// Writes `contents` at `rel` (a `/`-separated path under the output root).
    pub fn write(&self, rel: &str, contents: &[u8]) -> Result<()> {
        self.write_parts(rel, &[contents])
    }

    /// `write` for the file made of `parts` in order, written as they are
    /// (one `writev`), never joined in memory. Where the old output holds
    /// exactly these bytes, its file is linked instead.
    pub fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<()> {
        self.write_parts_like(rel, parts, None)
    }

    /// `write_parts`, or a link to the file at `like`, a path this build
    /// wrote before with the same bytes (the caller compared their hashes):
    /// one file for the pages that several versions of a handbook have the
    /// same.
    pub fn write_parts_like(&self, rel: &str, parts: &[&[u8]], like: Option<&str>) -> Result<()> {
        if crate::cleanup::stopping() {
            return Err(Error::Stopped);
        }
        let rel = site_path(rel)?;
        let path = self.dir.join(rel.as_ref());
        if let Some(parent) = path.parent()
            && !lock(&self.made).contains(parent)
        {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
            lock(&self.made).insert(parent.to_path_buf());
        }
        // A path written twice keeps the last bytes, as a plain folder would.
        let first = lock(&self.site)
            .insert(rel.clone().into_owned(), false)
            .is_none();
        if first {
            let old = self.target.join(rel.as_ref());
            if self.incremental
                && same_bytes(&old, parts)
                && std::fs::hard_link(&old, &path).is_ok()
            {
                lock(&self.site).insert(rel.into_owned(), true);
                return Ok(());
            }
        } else {
            // It may be a link to another file: never write through it.
            let _ = std::fs::remove_file(&path);
        }
        if let Some(like) = like {
            let like = self.dir.join(site_path(like)?.as_ref());
            if std::fs::hard_link(&like, &path).is_ok() {
                return Ok(());
            }
        }
        write_all(&path, parts).map_err(|e| Error::io("writing", &path, e))
    }

    pub fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let bytes = std::fs::read(from).map_err(|e| Error::io("copying", from, e))?;
        self.write(rel, &bytes)
    }

    /// Links at `rel` the file this build wrote at `like`, unless `rel` was
    /// written already; `false` when it was not linked.
    pub fn link(&self, rel: &str, like: &str) -> Result<bool> {
        if crate::cleanup::stopping() {
            return Err(Error::Stopped);
        }
        let rel = site_path(rel)?;
        let path = self.dir.join(rel.as_ref());
        let like = self.dir.join(site_path(like)?.as_ref());
        if lock(&self.site).contains_key(rel.as_ref()) {
            return Ok(false);
        }
        if let Some(parent) = path.parent()
            && !lock(&self.made).contains(parent)
        {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
            lock(&self.made).insert(parent.to_path_buf());
        }
        if std::fs::hard_link(&like, &path).is_err() {
            return Ok(false);
        }
        lock(&self.site).insert(rel.into_owned(), false);
        Ok(true)
    }

    /// Puts the new output in place of the old one, in one rename.
    pub fn commit(mut self) -> Result<Committed> {
        let marker = self.dir.join(MARKER);
        std::fs::write(&marker, MARKER_TEXT).map_err(|e| Error::io("writing", &marker, e))?;
        let site = std::mem::take(&mut *lock(&self.site));
        let linked = site.values().filter(|&&linked| linked).count();
        let mut done = Committed {
            written: site.len() - linked,
            unchanged: linked,
            removed: 0,
        };
        if std::fs::symlink_metadata(&self.target).is_err() {
            std::fs::rename(&self.dir, &self.target)
                .map_err(|e| Error::io("moving the new output into place", &self.target, e))?;
            self.committed = true;
            crate::cleanup::forget(&self.dir);
            return Ok(done);
        }
        swap(&self.dir, &self.target)?;
        // The staging folder now holds the old output.
        self.committed = true;
        done.removed = count_gone(&self.dir, &site);
        let _ = std::fs::remove_dir_all(&self.dir);
        crate::cleanup::forget(&self.dir);
        Ok(done)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        crate::cleanup::forget(&self.dir);
        // Removed while still held; the file closes (and unlocks) after.
        let _ = std::fs::remove_file(&self.lock.1);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The gate every path the site writes passes: `rel`, `/`-separated and
/// relative to the output root, with `.` and empty segments dropped.
/// Refused when it is absolute, holds a NUL, or climbs above the root.
pub fn site_path(rel: &str) -> Result<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    let refuse = || {
        Err(Error::OutsideOutput {
            path: rel.escape_debug().to_string(),
        })
    };
    if rel.starts_with('/') || rel.contains('\0') {
        return refuse();
    }
    if rel
        .split('/')
        .all(|s| !s.is_empty() && s != "." && s != "..")
    {
        return Ok(Cow::Borrowed(rel));
    }
    let mut kept: Vec<&str> = Vec::new();
    for segment in rel.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if kept.pop().is_none() {
                    return refuse();
                }
            }
            s => kept.push(s),
        }
    }
    if kept.is_empty() {
        return refuse();
    }
    Ok(Cow::Owned(kept.join("/")))
}

/// Takes the output's lock file, or says that another build holds it. The
/// file is removed when the build ends; a build that locked a file another
/// build had just removed tries again with the new one.
fn lock_output(lock_path: &Path, out_dir: &Path) -> Result<std::fs::File> {
    loop {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path)
            .map_err(|e| Error::io("opening", lock_path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Locked {
                    out_dir: out_dir.to_path_buf(),
                    lock: lock_path.to_path_buf(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io("locking", lock_path, e)),
        }
        let held = file
            .metadata()
            .map_err(|e| Error::io("locking", lock_path, e))?;
        if std::fs::metadata(lock_path).is_ok_and(|now| same_file(&now, &held)) {
            return Ok(file);
        }
    }
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.ino() == b.ino() && a.dev() == b.dev()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

/// Removes the staging folders of this output that builds killed before
/// they could clean up left behind. Only called with the output's lock held,
/// so no live build owns them.
fn remove_stale_staging(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let new = format!(".{name}.almanac-new-");
    let old = format!(".{name}.almanac-old-");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if (file_name.starts_with(&new) || file_name.starts_with(&old))
            && entry.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Puts the folder `new` where `target` is and the old `target` where `new`
/// was, so that `target` is never missing nor mixed.
fn swap(new: &Path, target: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    if exchange(new, target).is_ok() {
        return Ok(());
    }
    // No atomic exchange here: the old output steps aside for the new one.
    let aside = new.with_file_name(
        new.file_name()
            .map(|n| {
                n.to_string_lossy()
                    .replace(".almanac-new-", ".almanac-old-")
            })
            .unwrap_or_default(),
    );
    std::fs::rename(target, &aside).map_err(|e| Error::io("moving aside", target, e))?;
    if let Err(e) = std::fs::rename(new, target) {
        let _ = std::fs::rename(&aside, target);
        return Err(Error::io("moving the new output into place", target, e));
    }
    std::fs::rename(&aside, new).map_err(|e| Error::io("moving", &aside, e))
}

/// `renameat2(RENAME_EXCHANGE)`: both names swap folders in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes());
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// How many files under `old` (the previous output) the new site does not have.
fn count_gone(old: &Path, site: &HashMap<String, bool>) -> usize {
    walkdir::WalkDir::new(old)
        .min_depth(1)
        .into_iter()
        .filter_map(std::result::Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter(|e| {
            let rel = e.path().strip_prefix(old).unwrap_or(e.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            rel != MARKER && !site.contains_key(&rel)
        })
        .count()
}

/// Whether `path` is a regular file (not a link) holding exactly `parts`, in
/// order (the size is compared first).
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
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == len as u64)
        && std::fs::read(path).is_ok_and(same)
}

/// Creates the file at `path` and writes `parts` into it.
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

/// Refuses an output folder that almanac must not replace: the project's
/// root or a folder above it, a folder almanac reads (`protected`) or one
/// inside it, anything in a `.git` folder, a symlink, a file, or a folder
/// holding files that almanac did not write.
pub fn check_output_dir(root: &Path, out_dir: &Path, protected: &[&Path]) -> Result<()> {
    let refuse = |why: String, hint: &str| {
        Err(Error::OutputFolder {
            out_dir: out_dir.to_path_buf(),
            why,
            hint: hint.to_string(),
        })
    };
    let out = canonical(out_dir);
    let root_c = canonical(root);
    if out.components().any(|c| c.as_os_str() == ".git") {
        return refuse(
            "it is inside a `.git` folder".into(),
            "choose an output folder outside the repository's metadata",
        );
    }
    for p in std::iter::once(root).chain(protected.iter().copied()) {
        let pc = canonical(p);
        if pc.starts_with(&out) {
            return refuse(
                format!("it would replace `{}`", p.display()),
                "the output must be a folder of its own, such as `public`",
            );
        }
        if pc != root_c && out.starts_with(&pc) {
            return refuse(
                format!("it is inside `{}`, which almanac reads", p.display()),
                "the output must be a folder of its own, such as `public`",
            );
        }
    }
    match std::fs::symlink_metadata(out_dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("reading", out_dir, e)),
        Ok(m) if m.file_type().is_symlink() => refuse(
            "it is a symlink, and almanac replaces its output folder whole".into(),
            "give --out the folder the link points to, or remove the link",
        ),
        Ok(m) if !m.is_dir() => refuse(
            "it is a file, not a folder".into(),
            "choose another --out, or remove the file",
        ),
        Ok(_) if owned(out_dir) => Ok(()),
        Ok(_) => refuse(
            format!("it holds files that almanac did not write (no `{MARKER}` in it)"),
            "almanac replaces only an empty folder or one it built: empty the folder, or choose another --out",
        ),
    }
}

/// Whether almanac may replace `dir`: it holds the marker, is empty, or was
/// written by a version of almanac from before the marker.
fn owned(dir: &Path) -> bool {
    let is_file = |name: &str| std::fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.is_file());
    is_file(MARKER)
        || std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
        || (is_file("index.html") && is_file("search-index.js") && is_file("assets/almanac.js"))
}

/// `p` made absolute with symlinks resolved, for a path that may not exist
/// yet: the nearest existing ancestor is resolved and the rest appended.
fn canonical(p: &Path) -> PathBuf {
    let mut existing = p.to_path_buf();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(&existing).is_err() {
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
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_path_stays_inside_the_output() {
        for (rel, kept) in [
            ("index.html", Some("index.html")),
            ("a/b/c.html", Some("a/b/c.html")),
            ("a/./b//c.html", Some("a/b/c.html")),
            ("a/../b.html", Some("b.html")),
            ("releases/1.0.0.html", Some("releases/1.0.0.html")),
            ("../x.html", None),
            ("a/../../x.html", None),
            ("../../../victim/index.html", None),
            ("/etc/passwd", None),
            ("a\\b.html", Some("a\\b.html")),
            ("a\0b.html", None),
            ("", None),
            (".", None),
            ("a/..", None),
        ] {
            assert_eq!(site_path(rel).ok().as_deref(), kept, "{rel:?}");
        }
    }

    #[test]
    fn an_output_folder_is_almanacs_only_when_marked_empty_or_built_by_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        assert!(check_output_dir(dir.path(), &out, &[]).is_ok(), "new");
        std::fs::create_dir(&out).unwrap();
        assert!(check_output_dir(dir.path(), &out, &[]).is_ok(), "empty");
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        assert!(
            check_output_dir(dir.path(), &out, &[]).is_err(),
            "someone's"
        );
        std::fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        assert!(check_output_dir(dir.path(), &out, &[]).is_ok(), "marked");
    }

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
