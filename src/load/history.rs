//! Git history, through git2. The only module that touches git: everything
//! downstream sees owned, plain values.

use std::collections::HashSet;
use std::path::Path;

use git2::{Delta, DiffFindOptions, DiffOptions, Repository};

use crate::error::{Error, Result};

/// Files that differ between a revision and the working tree, as paths
/// relative to the project root.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Added, modified, or the new side of a rename.
    pub changed: HashSet<String>,
    /// Deleted, or the old side of a rename.
    pub removed: HashSet<String>,
}

impl Changes {
    /// Whether `path` was touched at all.
    pub fn touches(&self, path: &str) -> bool {
        self.changed.contains(path) || self.removed.contains(path)
    }
}

/// What changed in the working tree (committed or not, untracked included)
/// since `rev`.
pub fn changes_since(root: &Path, rev: &str) -> Result<Changes> {
    let repo = Repository::discover(root).map_err(|e| {
        Error::Usage(format!(
            "--changed-since needs a git repository: {}",
            e.message()
        ))
    })?;
    let object = repo.revparse_single(rev).map_err(|_| {
        let shallow = if repo.is_shallow() { " This is a shallow clone;" } else { "" };
        Error::Usage(format!(
            "revision `{rev}` not found.{shallow} fetch it first, e.g. `git fetch --depth=1 origin main` for `origin/main`"
        ))
    })?;
    let tree = object
        .peel_to_tree()
        .map_err(|e| Error::Usage(format!("`{rev}` does not name a commit: {}", e.message())))?;
    let mut options = DiffOptions::new();
    options.include_untracked(true).recurse_untracked_dirs(true);
    let mut diff = repo
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options))
        .map_err(|e| Error::Usage(format!("comparing with `{rev}`: {}", e.message())))?;
    let mut find = DiffFindOptions::new();
    find.renames(true).for_untracked(true);
    diff.find_similar(Some(&mut find))
        .map_err(|e| Error::Usage(format!("finding renames since `{rev}`: {}", e.message())))?;

    let workdir = repo.workdir().ok_or_else(|| {
        Error::Usage("--changed-since needs a repository with a working tree".into())
    })?;
    let prefix = project_prefix(workdir, root);
    let relative = |p: Option<&Path>| -> Option<String> {
        let p = p?.to_string_lossy().replace('\\', "/");
        match &prefix {
            None => Some(p),
            Some(prefix) => p
                .strip_prefix(prefix.as_str())
                .map(|s| s.trim_start_matches('/').to_string()),
        }
    };
    let mut changes = Changes::default();
    for delta in diff.deltas() {
        let old = relative(delta.old_file().path());
        let new = relative(delta.new_file().path());
        match delta.status() {
            Delta::Deleted => changes.removed.extend(old),
            Delta::Renamed => {
                changes.removed.extend(old);
                changes.changed.extend(new);
            }
            Delta::Unmodified | Delta::Ignored => {}
            _ => changes.changed.extend(new),
        }
    }
    Ok(changes)
}

/// The project root relative to the repository's working tree (`None` when they are the same).
fn project_prefix(workdir: &Path, root: &Path) -> Option<String> {
    let workdir = workdir.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let rel = root.strip_prefix(&workdir).ok()?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    (!rel.is_empty()).then_some(rel)
}
