//! The repository view the commands are checked against: folders, scripts
//! and task files, each read once and within bounds, and git's ignores.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::join_rel;
use super::options::{Flags, accepted_flags};
use super::tasks::{Listing, MakeTargets};
use crate::check::{did_you_mean, list_dir};

/// Reads and caches what commands are checked against.
pub struct Repo<'a> {
    pub(super) root: &'a Path,
    pub(super) ignores: crate::load::history::Ignores,
    /// Whether a root-relative folder exists, asked once per folder.
    dirs: HashMap<String, bool>,
    /// `root` with its symbolic links resolved: what is read must be inside it.
    pub(super) real_root: PathBuf,
    scripts: HashMap<String, Script>,
    pub(super) package_scripts: HashMap<PathBuf, Listing>,
    pub(super) make_targets: HashMap<PathBuf, Option<MakeTargets>>,
    pub(super) just_recipes: HashMap<PathBuf, Listing>,
}

impl<'a> Repo<'a> {
    pub fn new(root: &'a Path) -> Repo<'a> {
        Repo {
            root,
            ignores: crate::load::history::Ignores::open(root),
            dirs: HashMap::new(),
            real_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            scripts: HashMap::new(),
            package_scripts: HashMap::new(),
            make_targets: HashMap::new(),
            just_recipes: HashMap::new(),
        }
    }
}

/// What a documented repo path is, read once per path.
pub(super) enum Script {
    Missing {
        hint: Option<String>,
    },
    Folder,
    File {
        executable: bool,
        flags: Option<Flags>,
    },
}

/// The most of a script or build file that is read: its options and targets
/// are near the top, and a bigger file is not judged.
pub(crate) const READ_LIMIT: u64 = 1 << 20;

/// A file the docs name, as far as almanac is willing to read it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Read {
    Text(String),
    /// Nothing there (or a symbolic link to nothing).
    Missing,
    /// There, but not read: not a regular file (a FIFO would never end,
    /// `/dev/zero` never stops), outside the repository once symbolic links
    /// are followed, over `READ_LIMIT`, or not UTF-8. Nothing is judged from it.
    Refused,
}

/// Reads `path` if it is a regular file of the repository at `real_root`
/// (canonical), at most `READ_LIMIT` bytes of it.
pub(crate) fn read_bounded(real_root: &Path, path: &Path) -> Read {
    use std::io::Read as _;
    let Ok(real) = path.canonicalize() else {
        return if path.symlink_metadata().is_ok() {
            Read::Refused
        } else {
            Read::Missing
        };
    };
    if !real.starts_with(real_root) {
        return Read::Refused;
    }
    match std::fs::metadata(&real) {
        Ok(m) if m.is_file() && m.len() <= READ_LIMIT => {}
        Ok(_) => return Read::Refused,
        Err(_) => return Read::Missing,
    }
    let mut bytes = Vec::new();
    let read = std::fs::File::open(&real)
        .and_then(|file| file.take(READ_LIMIT + 1).read_to_end(&mut bytes));
    match read {
        Ok(n) if n as u64 <= READ_LIMIT => {
            String::from_utf8(bytes).map_or(Read::Refused, Read::Text)
        }
        Ok(_) => Read::Refused,
        Err(_) => Read::Refused,
    }
}

impl Repo<'_> {
    pub(super) fn is_dir(&mut self, rel: &str) -> bool {
        let root = self.root;
        *self
            .dirs
            .entry(rel.to_string())
            .or_insert_with(|| root.join(rel).is_dir())
    }

    pub(super) fn script(&mut self, rel: &str) -> &Script {
        let (root, real_root) = (self.root, &self.real_root);
        self.scripts.entry(rel.to_string()).or_insert_with(|| {
            let full = root.join(rel);
            match std::fs::metadata(&full) {
                Err(_) => {
                    let (name, parent) = (
                        crate::load::guides::file_name(rel),
                        crate::load::guides::parent(rel),
                    );
                    let siblings = list_dir(&root.join(parent));
                    let hint = did_you_mean(name, siblings.iter().map(String::as_str))
                        .map(|n| format!("did you mean `{}`?", join_rel(parent, n)));
                    Script::Missing { hint }
                }
                Ok(m) if m.is_dir() => Script::Folder,
                Ok(m) => Script::File {
                    // Only a regular file's mode is judged.
                    executable: is_executable(&m) || !m.is_file(),
                    flags: match read_bounded(real_root, &full) {
                        Read::Text(text) => accepted_flags(&text),
                        Read::Missing | Read::Refused => None,
                    },
                },
            }
        })
    }
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    true
}
