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
    /// This repository on its forge (its `origin` remote), once asked.
    own: Option<Option<String>>,
    /// The files git tracks, by name, read when a script named without a
    /// folder is first missing.
    tracked_names: Option<HashMap<String, String>>,
    /// The names of the pages in a `cli/` or `commands/` folder (`lane`
    /// for `docs/cli/lane.md`), read when first asked.
    command_pages: Option<std::collections::HashSet<String>>,
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
            own: None,
            tracked_names: None,
            command_pages: None,
        }
    }

    /// This repository as `forge_repository` names it, from its `origin`
    /// remote (`None`: no remote, or not on a known forge).
    pub(super) fn own_repository(&mut self) -> Option<&str> {
        let root = self.root;
        self.own
            .get_or_insert_with(|| {
                let repo = git2::Repository::discover(root).ok()?;
                let remote = repo.find_remote("origin").ok()?;
                crate::commands::forge_repository(remote.url().ok()?)
            })
            .as_deref()
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

pub(crate) use crate::bounded::{Read, read_bounded};

impl Repo<'_> {
    pub(super) fn is_dir(&mut self, rel: &str) -> bool {
        let root = self.root;
        *self
            .dirs
            .entry(rel.to_string())
            .or_insert_with(|| root.join(rel).is_dir())
    }

    /// Where the repository keeps a file named `name` (the first tracked
    /// path, in order), if anywhere.
    pub(super) fn tracked_named(&mut self, name: &str) -> Option<&str> {
        let root = self.root;
        self.tracked_names
            .get_or_insert_with(|| {
                let mut paths: Vec<String> = crate::load::history::tracked_paths(root)
                    .map(|t| t.into_iter().collect())
                    .unwrap_or_default();
                paths.sort();
                let mut names = HashMap::new();
                for path in paths {
                    let name = crate::load::guides::file_name(&path).to_string();
                    names.entry(name).or_insert(path);
                }
                names
            })
            .get(name)
            .map(String::as_str)
    }

    /// Whether the docs have a page for a command named `name`, in a
    /// `cli/` or `commands/` folder: pnpm.io's `docs/cli/lane.md` for
    /// `pnpm lane`. Docs of the tool itself, whose commands are no scripts.
    pub(super) fn has_command_page(&mut self, name: &str) -> bool {
        let root = self.root;
        self.command_pages
            .get_or_insert_with(|| {
                let paths: Vec<String> = match crate::load::history::tracked_paths(root) {
                    Some(tracked) => tracked.into_iter().collect(),
                    None => walkdir::WalkDir::new(root)
                        .max_depth(6)
                        .into_iter()
                        .filter_entry(|e| {
                            e.depth() == 0
                                || !e.file_name().to_string_lossy().starts_with('.')
                                    && e.file_name() != "node_modules"
                        })
                        .filter_map(|e| e.ok())
                        .filter_map(|e| {
                            let rel = e.path().strip_prefix(root).ok()?;
                            rel.to_str().map(|r| r.replace('\\', "/"))
                        })
                        .collect(),
                };
                paths
                    .iter()
                    .filter_map(|path| {
                        let (folder, file) = path.rsplit_once('/')?;
                        let folder = folder.rsplit('/').next()?;
                        let stem = file
                            .strip_suffix(".md")
                            .or_else(|| file.strip_suffix(".mdx"))?;
                        matches!(folder, "cli" | "commands").then(|| stem.to_string())
                    })
                    .collect()
            })
            .contains(name)
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
