//! Git history, through git2. The only module that touches git: everything
//! downstream sees owned, plain values.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use git2::{Delta, DiffFindOptions, DiffOptions, Repository};
use serde::Serialize;

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
    let git = |context: String| {
        move |e: git2::Error| Error::Git {
            context,
            message: e.message().to_string(),
        }
    };
    let repo =
        Repository::discover(root).map_err(git("--changed-since needs a git repository".into()))?;
    let object = repo
        .revparse_single(rev)
        .map_err(|_| Error::UnknownRevision {
            rev: rev.to_string(),
            shallow: repo.is_shallow(),
        })?;
    let tree = object
        .peel_to_tree()
        .map_err(git(format!("`{rev}` does not name a commit")))?;
    let mut options = DiffOptions::new();
    options.include_untracked(true).recurse_untracked_dirs(true);
    let mut diff = repo
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options))
        .map_err(git(format!("comparing with `{rev}`")))?;
    let mut find = DiffFindOptions::new();
    find.renames(true).for_untracked(true);
    if diff.find_similar(Some(&mut find)).is_err() {
        // A partial clone without the base's blobs: a rename is then a
        // deletion and an addition, which touch the same files.
        diff = repo
            .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options))
            .map_err(git(format!("comparing with `{rev}`")))?;
    }

    let workdir = repo.workdir().ok_or(Error::NoWorkTree)?;
    let prefix = project_prefix(workdir, root);
    let relative = |p: Option<&Path>| in_project(prefix.as_deref(), p?);
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

/// The files git tracks (its index), relative to the project root: the only
/// repository files a site may copy. `None` when the root is in no git
/// repository (or its index cannot be read).
pub fn tracked_paths(root: &Path) -> Option<HashSet<String>> {
    let repo = Repository::discover(root).ok()?;
    let index = repo.index().ok()?;
    let prefix = repo.workdir().and_then(|w| project_prefix(w, root));
    let tracked = index.iter().filter_map(|entry| {
        let path = String::from_utf8(entry.path).ok()?;
        match &prefix {
            None => Some(path),
            Some(prefix) => path
                .strip_prefix(prefix.as_str())?
                .strip_prefix('/')
                .map(str::to_string),
        }
    });
    Some(tracked.collect())
}

/// The project root relative to the repository's working tree (`None` when they are the same).
pub(crate) fn project_prefix(workdir: &Path, root: &Path) -> Option<String> {
    let workdir = workdir.canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let rel = root.strip_prefix(&workdir).ok()?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    (!rel.is_empty()).then_some(rel)
}

/// A release as git knows it: a tag matching the calendar's `tag_pattern`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaggedRelease {
    pub version: String,
    pub tag: String,
    /// The tagger date of an annotated tag, else the tagged commit's committer date.
    pub date: DateTime<FixedOffset>,
    pub annotated: bool,
    /// The release's range, merges excluded, newest first: from the
    /// previous release (exclusive) to this tag (inclusive). For a final
    /// release the previous release is the highest lower *final* version
    /// whose commit is an ancestor; for a pre-release, the highest lower
    /// version of any kind that is an ancestor (git-cliff's range). With
    /// none, the whole history up to the tag.
    pub commits: Vec<Commit>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commit {
    pub id: String,
    /// Committer time.
    pub time: DateTime<FixedOffset>,
    /// Author name after .mailmap.
    pub author: String,
    pub email: String,
    pub subject: String,
    pub body: String,
}

/// The last commit that touched a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Update {
    pub time: DateTime<FixedOffset>,
    pub author: String,
}

#[derive(Debug, Default, Clone)]
pub struct History {
    /// Sorted by version, oldest first.
    pub releases: Vec<TaggedRelease>,
    /// Root-relative path → its last update.
    pub updates: HashMap<String, Update>,
    /// What is missing (no repository, no tags, a shallow clone), for a warning.
    pub notes: Vec<String>,
    /// Each author's (after `.mailmap`) first commit time in the whole
    /// history reachable from `HEAD` and the release tags, merges excluded:
    /// who is a new contributor. Empty unless asked for (`read`, `read_report`).
    pub first_commits: std::collections::BTreeMap<String, DateTime<FixedOffset>>,
    /// The URL of the `origin` remote, which names the project stably (feed ids).
    pub remote: Option<String>,
}

/// Reads releases and the last update of each of `files` (root-relative) in
/// one pass over the history. Never fails: what cannot be read becomes a note.
/// The releases and last updates git knows. No repository is no history
/// (with a note); a repository that cannot be read (a garbage `HEAD`, a
/// truncated pack) is an error naming it, never a silently empty history.
pub fn read(root: &Path, tag_pattern: &str, files: &[String]) -> Result<History> {
    read_with(root, tag_pattern, files, &|_, _| true, true, None)
}

/// The files each commit changed, as the walk for last updates found them:
/// shared by the versions of a handbook, whose walks go through the same
/// commits (from each tag back to where every page was last changed), so
/// that each commit is compared with its parent once.
#[derive(Debug, Default)]
pub struct Changed {
    /// The top-level folders a walk compares → each commit's changes there.
    by_commit: std::sync::Mutex<HashMap<Vec<String>, CommitPaths>>,
}

/// Each commit → the paths it changed.
type CommitPaths = HashMap<git2::Oid, std::sync::Arc<[String]>>;

impl Changed {
    fn get(&self, tops: &[String], commit: git2::Oid) -> Option<std::sync::Arc<[String]>> {
        let known = self.by_commit.lock().unwrap_or_else(|e| e.into_inner());
        known.get(tops)?.get(&commit).cloned()
    }

    fn put(&self, tops: &[String], commit: git2::Oid, paths: std::sync::Arc<[String]>) {
        let mut known = self.by_commit.lock().unwrap_or_else(|e| e.into_inner());
        match known.get_mut(tops) {
            Some(commits) => {
                commits.insert(commit, paths);
            }
            None => {
                known.insert(tops.to_vec(), HashMap::from([(commit, paths)]));
            }
        }
    }
}

/// `read`, with the files' last updates as of commit `at` (a version of the
/// handbook built from a tag) rather than `HEAD`, the commits' changes
/// shared with the other versions' (`changed`).
pub fn read_at(
    root: &Path,
    tag_pattern: &str,
    files: &[String],
    (at, changed): (git2::Oid, &Changed),
) -> Result<History> {
    read_with(
        root,
        tag_pattern,
        files,
        &|_, _| true,
        true,
        Some((at, changed)),
    )
}

/// `read_at` without the releases' commits and the authors' first commits:
/// the last updates as of `at`, for a version whose releases are known.
pub fn updates_at(
    root: &Path,
    tag_pattern: &str,
    files: &[String],
    (at, changed): (git2::Oid, &Changed),
) -> Result<History> {
    read_with(
        root,
        tag_pattern,
        files,
        &|_, _| false,
        false,
        Some((at, changed)),
    )
}

/// `read_some` with each author's first commit: what a report needs.
pub fn read_report(
    root: &Path,
    tag_pattern: &str,
    wants_commits: &dyn Fn(&str, chrono::NaiveDate) -> bool,
) -> Result<History> {
    read_with(root, tag_pattern, &[], wants_commits, true, None)
}

/// `read`, listing the commits only of the releases `wants_commits(version,
/// tag date)` picks (the others keep their tag and date, with no commits): a
/// report needs a few releases, not every commit of a long history.
pub fn read_some(
    root: &Path,
    tag_pattern: &str,
    files: &[String],
    wants_commits: &dyn Fn(&str, chrono::NaiveDate) -> bool,
) -> Result<History> {
    read_with(root, tag_pattern, files, wants_commits, false, None)
}

fn read_with(
    root: &Path,
    tag_pattern: &str,
    files: &[String],
    wants_commits: &dyn Fn(&str, chrono::NaiveDate) -> bool,
    authors: bool,
    updates_from: Option<(git2::Oid, &Changed)>,
) -> Result<History> {
    // Objects come from the local repository: verifying each one's hash on
    // every read would be most of the cost of a long history.
    git2::opts::strict_hash_verification(false);
    let mut history = History::default();
    let repo = match Repository::discover(root) {
        Ok(repo) => repo,
        Err(e) if e.code() == git2::ErrorCode::NotFound && !root.join(".git").exists() => {
            history.notes.push("no git repository: release dates come only from `actual:` in the calendar, and pages show no last-updated date".into());
            return Ok(history);
        }
        Err(e) => return Err(Error::repository(".git", e.message())),
    };
    let git_dir = git_dir_shown(root, repo.path());
    let broken = |e: git2::Error| Error::repository(&git_dir, e.message());
    // What refs point at, and the commits behind them, are there in any
    // clone (a shallow clone's history stops at its grafts): one that
    // cannot be read is a damaged repository, and so is any failure
    // other than a missing object. A missing tree is one a partial clone
    // (`--filter=tree:0`) has not fetched: those files go undated.
    let damaged = |e: git2::Error| -> Result<()> {
        match e.code() {
            git2::ErrorCode::NotFound => Ok(()),
            _ => Err(broken(e)),
        }
    };
    // HEAD names a commit, or a branch with none yet (a new repository).
    let unborn = match repo.head() {
        Ok(head) => {
            head.peel_to_commit().map_err(broken)?;
            false
        }
        Err(e) if e.code() == git2::ErrorCode::UnbornBranch => true,
        Err(e) => return Err(broken(e)),
    };
    if repo.is_shallow() {
        history.notes.push("this is a shallow clone: release commits and last-updated dates stop at the clone's depth (fetch with --unshallow for full history)".into());
    }
    let prefix = repo.workdir().and_then(|w| project_prefix(w, root));
    history.remote = repo
        .find_remote("origin")
        .ok()
        .and_then(|r| r.url().ok().map(str::to_string));
    let mailmap = repo.mailmap().ok();
    let to_commit = |c: &git2::Commit| -> Commit {
        let author = c.author();
        let author = mailmap
            .as_ref()
            .and_then(|m| m.resolve_signature(&author).ok())
            .unwrap_or(author);
        Commit {
            id: c.id().to_string(),
            time: git_time(c.committer().when()),
            author: author.name().unwrap_or("unknown").to_string(),
            email: author.email().unwrap_or("").to_string(),
            subject: c.summary().ok().flatten().unwrap_or("").to_string(),
            body: c.body().ok().flatten().unwrap_or("").to_string(),
        }
    };

    // Tags matching the pattern, sorted by version.
    let mut tagged: Vec<(String, String, git2::Oid, DateTime<FixedOffset>, bool)> = Vec::new();
    let mut failed: Option<git2::Error> = None;
    let listed = repo.tag_foreach(|oid, name| {
        let name = String::from_utf8_lossy(name)
            .trim_start_matches("refs/tags/")
            .to_string();
        let Some(version) = version_from_tag(tag_pattern, &name) else {
            return true;
        };
        // A tag of a tree or a blob is no release; a tag whose object is
        // not there is a damaged repository.
        let object = match repo.find_object(oid, None) {
            Ok(object) => object,
            Err(e) => {
                failed = Some(e);
                return false;
            }
        };
        let commit = match object.peel_to_commit() {
            Ok(commit) => commit,
            Err(e) if e.code() == git2::ErrorCode::NotFound => {
                failed = Some(e);
                return false;
            }
            Err(_) => return true,
        };
        let (date, annotated) = match object.as_tag().and_then(|t| t.tagger()) {
            Some(tagger) => (git_time(tagger.when()), true),
            None => (
                git_time(commit.committer().when()),
                object.as_tag().is_some(),
            ),
        };
        tagged.push((version, name, commit.id(), date, annotated));
        true
    });
    if let Some(e) = failed {
        return Err(broken(e));
    }
    listed.map_err(broken)?;
    tagged.sort_by(|a, b| compare_versions(&a.0, &b.0));
    if tagged.is_empty() {
        history.notes.push(format!(
            "no tags match `{tag_pattern}`: release dates come only from `actual:` in the calendar"
        ));
    }
    let wanted: Vec<bool> = tagged
        .iter()
        .map(|(version, _, _, date, _)| wants_commits(version, date.date_naive()))
        .collect();
    // Which tags each tag's commit reaches. Asked of git pair by pair
    // (`graph_descendant_of`), it took 5.6 s for containerd's 315 tags; one
    // walk of the whole history answers all at once, and costs 0.6 s on
    // 100,000 commits: it is taken for many tags only.
    let reach = match wanted.contains(&true) && tagged.len() > MANY_TAGS {
        true => Some(tags_reached(&repo, tagged.iter().map(|t| t.2)).map_err(broken)?),
        false => None,
    };
    for (i, (version, tag, oid, date, annotated)) in tagged.iter().enumerate() {
        let mut commits = Vec::new();
        if wanted[i] {
            let mut walk = repo.revwalk().map_err(broken)?;
            walk.set_sorting(git2::Sort::TIME).map_err(broken)?;
            walk.push(*oid).map_err(broken)?;
            let final_release = !is_prerelease(version);
            for (j, (v, _, previous, _, _)) in tagged[..i].iter().enumerate().rev() {
                if final_release && is_prerelease(v) {
                    continue;
                }
                let ancestor = match &reach {
                    Some(reach) => reach.reaches(*oid, j),
                    None => {
                        previous == oid
                            || repo.graph_descendant_of(*oid, *previous).map_err(broken)?
                    }
                };
                if ancestor {
                    walk.hide(*previous).map_err(broken)?;
                    break;
                }
            }
            for id in walk {
                let c = id.and_then(|id| repo.find_commit(id)).map_err(broken)?;
                if c.parent_count() <= 1 {
                    commits.push(to_commit(&c));
                }
            }
        }
        history.releases.push(TaggedRelease {
            version: version.clone(),
            tag: tag.clone(),
            date: *date,
            annotated: *annotated,
            commits,
        });
    }

    if authors && !unborn {
        let mut walk = repo.revwalk().map_err(broken)?;
        walk.push_head().map_err(broken)?;
        for (_, _, oid, _, _) in &tagged {
            walk.push(*oid).map_err(broken)?;
        }
        for id in walk {
            let c = id.and_then(|id| repo.find_commit(id)).map_err(broken)?;
            if c.parent_count() > 1 {
                continue;
            }
            let author = c.author();
            let author = mailmap
                .as_ref()
                .and_then(|m| m.resolve_signature(&author).ok())
                .unwrap_or(author);
            let time = git_time(c.committer().when());
            history
                .first_commits
                .entry(author.name().unwrap_or("unknown").to_string())
                .and_modify(|t| *t = (*t).min(time))
                .or_insert(time);
        }
    }

    // Last updates: one walk from HEAD, newest first, until every file is dated.
    let wanted: HashSet<String> = files
        .iter()
        .map(|f| with_prefix(prefix.as_deref(), f))
        .collect();
    let mut remaining = wanted.len();
    if remaining > 0 && !unborn {
        let mut walk = repo.revwalk().map_err(broken)?;
        match updates_from {
            Some((at, _)) => walk.push(at).map_err(broken)?,
            None => walk.push_head().map_err(broken)?,
        }
        let shared = updates_from.map(|(_, changed)| changed);
        walk.set_sorting(git2::Sort::TIME).map_err(broken)?;
        // The first path segment of every wanted file: a commit whose root
        // tree has the same entries there as its parent's changed none of them.
        let mut tops: Vec<String> = wanted
            .iter()
            .map(|f| f.split('/').next().unwrap_or("").to_string())
            .collect();
        tops.sort();
        tops.dedup();
        for id in walk {
            // Like `git log --no-merges`: the commit that made the change, not the merge.
            let commit = id.and_then(|id| repo.find_commit(id)).map_err(broken)?;
            if commit.parent_count() > 1 {
                continue;
            }
            let known = shared.and_then(|c| c.get(&tops, commit.id()));
            let paths = match known {
                Some(paths) => paths,
                None => {
                    let tree = match commit.tree() {
                        Ok(tree) => tree,
                        Err(e) => {
                            damaged(e)?;
                            continue;
                        }
                    };
                    let parent_tree = commit.parent(0).ok().and_then(|p| p.tree().ok());
                    // Only the top-level entries holding wanted files are
                    // compared: a commit that also touched a vendored tree
                    // is not compared whole.
                    let paths: std::sync::Arc<[String]> =
                        match changed_paths(&repo, parent_tree.as_ref(), &tree, &tops) {
                            Ok(paths) => paths.into(),
                            Err(e) => {
                                damaged(e)?;
                                continue;
                            }
                        };
                    if let Some(changed) = shared {
                        changed.put(&tops, commit.id(), std::sync::Arc::clone(&paths));
                    }
                    paths
                }
            };
            for path in paths.iter() {
                if !wanted.contains(path) {
                    continue;
                }
                let key = strip_prefix(prefix.as_deref(), path);
                if history.updates.contains_key(&key) {
                    continue;
                }
                let c = to_commit(&commit);
                history.updates.insert(
                    key,
                    Update {
                        time: c.time,
                        author: c.author,
                    },
                );
                remaining -= 1;
            }
            if remaining == 0 {
                break;
            }
        }
    }
    Ok(history)
}

/// The paths under the root tree's entries `tops` that differ from `old`
/// (`None`: a root commit's empty parent) to `new`, as `git diff
/// --name-only` lists them: each file added, removed, or changed in its
/// content or mode (a submodule is a file here). Entries with the same id
/// on both sides are not read any further, so a commit costs the folders
/// it changed. git2's diff answers the same, with pathspec matching and a
/// path joined for every entry it passes: most of a build's time on a long
/// history (60% at 2,000 commits).
fn changed_paths(
    repo: &Repository,
    old: Option<&git2::Tree>,
    new: &git2::Tree,
    tops: &[String],
) -> std::result::Result<Vec<String>, git2::Error> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    for top in tops {
        let before = old.and_then(|t| t.get_name(top));
        let after = new.get_name(top);
        compare_entries(repo, (before.as_ref(), after.as_ref()), &mut path, &mut out)?;
    }
    Ok(out)
}

/// Adds to `out` what differs between one name's entries on the two sides
/// (either may be missing), under `path`, the folder they are in.
fn compare_entries(
    repo: &Repository,
    (old, new): (Option<&git2::TreeEntry>, Option<&git2::TreeEntry>),
    path: &mut Vec<u8>,
    out: &mut Vec<String>,
) -> std::result::Result<(), git2::Error> {
    let name = match (old, new) {
        (Some(a), Some(b)) if a.id() == b.id() && a.filemode() == b.filemode() => return Ok(()),
        (None, None) => return Ok(()),
        (Some(e), _) | (None, Some(e)) => e.name_bytes(),
    };
    let len = path.len();
    if len > 0 {
        path.push(b'/');
    }
    path.extend_from_slice(name);
    let folder = |e: Option<&git2::TreeEntry>| {
        e.filter(|e| e.kind() == Some(git2::ObjectType::Tree))
            .map(|e| repo.find_tree(e.id()))
            .transpose()
    };
    let (old_folder, new_folder) = (folder(old)?, folder(new)?);
    // A file on either side (a folder on the other, or none) is a changed path.
    if (old.is_some() && old_folder.is_none()) || (new.is_some() && new_folder.is_none()) {
        out.push(String::from_utf8_lossy(path).into_owned());
    }
    if old_folder.is_some() || new_folder.is_some() {
        if let Some(after) = &new_folder {
            for entry in after.iter() {
                let before = old_folder
                    .as_ref()
                    .and_then(|t| t.get_name_bytes(entry.name_bytes()))
                    .filter(|e| is_folder(e) == is_folder(&entry));
                compare_entries(repo, (before.as_ref(), Some(&entry)), path, out)?;
            }
        }
        if let Some(before) = &old_folder {
            for entry in before.iter() {
                let kept = new_folder
                    .as_ref()
                    .and_then(|t| t.get_name_bytes(entry.name_bytes()))
                    .is_some_and(|e| is_folder(&e) == is_folder(&entry));
                if !kept {
                    compare_entries(repo, (Some(&entry), None), path, out)?;
                }
            }
        }
    }
    path.truncate(len);
    Ok(())
}

fn is_folder(entry: &git2::TreeEntry) -> bool {
    entry.kind() == Some(git2::ObjectType::Tree)
}

/// Above this many release tags, which tags reach which is worked out in
/// one walk (`tags_reached`) rather than asked of git pair by pair.
const MANY_TAGS: usize = 64;

/// For each commit reachable from the tags, the tags (by index) whose
/// commits it reaches, itself included: a bit set per commit, shared with
/// its parent where they are the same (most commits of a history), so a
/// long history costs a pointer a commit.
#[derive(Default)]
struct TagsReached {
    bits: HashMap<git2::Oid, std::rc::Rc<Vec<u64>>>,
}

impl TagsReached {
    /// Whether `commit` has tag `j`'s commit among its ancestors (or is it).
    fn reaches(&self, commit: git2::Oid, j: usize) -> bool {
        self.bits
            .get(&commit)
            .is_some_and(|b| b[j / 64] & (1 << (j % 64)) != 0)
    }
}

/// `TagsReached` for the tags at `commits` (in their order): one walk of
/// their history, ancestors first, each commit's set the union of its
/// parents' and its own tags'.
fn tags_reached(
    repo: &Repository,
    commits: impl Iterator<Item = git2::Oid>,
) -> std::result::Result<TagsReached, git2::Error> {
    use std::rc::Rc;
    let commits: Vec<git2::Oid> = commits.collect();
    let words = commits.len().div_ceil(64).max(1);
    let mut own: HashMap<git2::Oid, Vec<usize>> = HashMap::new();
    let mut walk = repo.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    for (j, &c) in commits.iter().enumerate() {
        own.entry(c).or_default().push(j);
        walk.push(c)?;
    }
    let none = Rc::new(vec![0u64; words]);
    let mut reached = TagsReached::default();
    for id in walk {
        let id = id?;
        // A shallow clone's oldest commits have parents it does not hold.
        let parents: Vec<&Rc<Vec<u64>>> = match repo.find_commit(id) {
            Ok(commit) => commit
                .parent_ids()
                .filter_map(|p| reached.bits.get(&p))
                .collect(),
            Err(_) => Vec::new(),
        };
        let tags = own.get(&id);
        let set = match (parents.as_slice(), tags) {
            ([], None) => Rc::clone(&none),
            ([only], None) => Rc::clone(only),
            _ => {
                let mut set = vec![0u64; words];
                for p in &parents {
                    for (w, b) in set.iter_mut().zip(p.iter()) {
                        *w |= b;
                    }
                }
                for &j in tags.into_iter().flatten() {
                    set[j / 64] |= 1 << (j % 64);
                }
                match parents.iter().find(|p| p.as_slice() == set.as_slice()) {
                    Some(same) => Rc::clone(same),
                    None => Rc::new(set),
                }
            }
        };
        reached.bits.insert(id, set);
    }
    Ok(reached)
}

/// The repository's git folder for messages: from the project root when
/// it is inside it (`.git`), else as it is.
fn git_dir_shown(root: &Path, git_dir: &Path) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let shown = crate::error::display_path(&root, git_dir);
    shown.trim_end_matches('/').to_string()
}

/// A repository path relative to the project root (inside the repository
/// at `prefix`), `/`-separated; `None` outside it.
pub(crate) fn in_project(prefix: Option<&str>, path: &Path) -> Option<String> {
    let path = path.to_string_lossy().replace('\\', "/");
    match prefix {
        None => Some(path),
        Some(prefix) => path
            .strip_prefix(prefix)?
            .strip_prefix('/')
            .map(str::to_string),
    }
}

fn with_prefix(prefix: Option<&str>, path: &str) -> String {
    match prefix {
        Some(p) => format!("{p}/{path}"),
        None => path.to_string(),
    }
}

fn strip_prefix(prefix: Option<&str>, path: &str) -> String {
    match prefix {
        Some(p) => path
            .strip_prefix(p)
            .map_or(path, |s| s.trim_start_matches('/'))
            .to_string(),
        None => path.to_string(),
    }
}

fn git_time(t: git2::Time) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(t.offset_minutes() * 60)
        .unwrap_or(FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()));
    DateTime::from_timestamp(t.seconds(), 0)
        .unwrap_or_default()
        .with_timezone(&offset)
}

/// The version a tag names under `pattern` (`v{version}`): `v1.4.0` → `1.4.0`.
/// The repository's ignore rules (`.gitignore` files, `.git/info/exclude`),
/// for paths relative to the project root: a documented `bin/tool` or
/// `dist/app` under an ignored folder is made by a build, not committed.
pub struct Ignores {
    repo: Option<Repository>,
    /// The project root, relative to the repository's work tree.
    prefix: std::path::PathBuf,
}

impl Ignores {
    pub fn open(root: &Path) -> Ignores {
        let repo = Repository::discover(root).ok();
        let prefix = repo
            .as_ref()
            .and_then(|r| {
                let workdir = r.workdir()?.canonicalize().ok()?;
                let root = root.canonicalize().ok()?;
                root.strip_prefix(workdir).ok().map(Path::to_path_buf)
            })
            .unwrap_or_default();
        Ignores { repo, prefix }
    }

    /// Whether git ignores `rel` (root-relative); false outside a repository.
    pub fn ignored(&self, rel: &str) -> bool {
        self.repo
            .as_ref()
            .is_some_and(|r| r.is_path_ignored(self.prefix.join(rel)).unwrap_or(false))
    }
}

pub fn version_from_tag(pattern: &str, tag: &str) -> Option<String> {
    let (prefix, suffix) = pattern.split_once("{version}")?;
    let version = tag.strip_prefix(prefix)?.strip_suffix(suffix)?;
    (!version.is_empty() && version.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| version.to_string())
}

/// Whether `version` is a pre-release: SemVer's (§9: a `-` after the
/// core, before any `+build`), or PEP 440's and others' with no `-`
/// (`1.0.0b1`, `2.1rc1`, `1.0.0.beta0`, `3.0.dev2`), as Python projects
/// tag them.
pub fn is_prerelease(version: &str) -> bool {
    let version = version.split('+').next().unwrap_or(version);
    version.contains('-')
        || version.split('.').any(|part| {
            let word = part
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .to_ascii_lowercase();
            matches!(
                word.as_str(),
                "a" | "b" | "c" | "rc" | "alpha" | "beta" | "pre" | "preview" | "dev"
            )
        })
}

/// The numeric core of a version (`1.4.0-rc.1` → `[1, 4, 0]`).
pub fn version_core(version: &str) -> Vec<u64> {
    let v = version.split('+').next().unwrap_or(version);
    let core = v.split_once('-').map_or(v, |(c, _)| c);
    core.split('.').map(|n| n.parse().unwrap_or(0)).collect()
}

/// SemVer §11 precedence: the core compared number by number, a
/// pre-release before its release, pre-release identifiers compared one by
/// one (numbers as numbers and below words, a shorter list first when
/// equal so far: `rc.2` < `rc.10` < `rc.10.1`), build metadata ignored.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    // No allocation: versions are compared O(n log n) times per build.
    fn parts(v: &str) -> (&str, Option<&str>) {
        let v = v.split('+').next().unwrap_or(v);
        match v.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (v, None),
        }
    }
    fn nums(core: &str) -> impl Iterator<Item = u64> + '_ {
        core.split('.').map(|n| n.parse::<u64>().unwrap_or(0))
    }
    let identifier = |x: &str, y: &str| -> Ordering {
        let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        match (numeric(x), numeric(y)) {
            (true, true) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => x.cmp(y),
        }
    };
    let ((core_a, pre_a), (core_b, pre_b)) = (parts(a), parts(b));
    nums(core_a)
        .cmp(nums(core_b))
        .then_with(|| match (pre_a, pre_b) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => {
                let (mut xs, mut ys) = (x.split('.'), y.split('.'));
                loop {
                    match (xs.next(), ys.next()) {
                        (None, None) => break Ordering::Equal,
                        (None, Some(_)) => break Ordering::Less,
                        (Some(_), None) => break Ordering::Greater,
                        (Some(x), Some(y)) => match identifier(x, y) {
                            Ordering::Equal => {}
                            o => break o,
                        },
                    }
                }
            }
        })
}

/// The committer date of `rev` (for `--as-of REV`), in UTC.
pub fn rev_date(root: &Path, rev: &str) -> Result<chrono::NaiveDate> {
    let repo =
        Repository::discover(root).map_err(|_| Error::AsOfWithoutRepository(rev.to_string()))?;
    let commit = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|_| Error::UnknownAsOf(rev.to_string()))?;
    Ok(git_time(commit.committer().when()).naive_utc().date())
}

/// What git's rename detection shows was moved between a revision and the
/// working tree, and what was edited: with `texts_at`, what `check` needs
/// to say where a page or a heading went (`check --fix`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Moves {
    /// Old path → new path, root-relative: renames committed since the
    /// revision, staged or not (a deleted file and a new one, tracked or
    /// not, with similar content).
    pub renamed: HashMap<String, String>,
    /// Files whose content differs from the revision's (modified, or
    /// renamed and edited), by their path now: the only pages whose headings
    /// may have been renamed.
    pub edited: HashSet<String>,
}

/// The renames between `rev` (`HEAD` when `None`) and the working tree.
/// None outside a git repository, before its first commit, or when git
/// cannot compare the contents (a partial clone missing the old blobs): a
/// hint less, never a failed check. An `Err` only for a `rev` the
/// repository does not have.
pub fn moves_since(root: &Path, rev: Option<&str>) -> Result<Moves> {
    let Ok(repo) = Repository::discover(root) else {
        return Ok(Moves::default());
    };
    let Some(tree) = tree_at(&repo, rev)? else {
        return Ok(Moves::default());
    };
    let Some(workdir) = repo.workdir() else {
        return Ok(Moves::default());
    };
    let mut options = DiffOptions::new();
    options.include_untracked(true).recurse_untracked_dirs(true);
    let Ok(mut diff) = repo.diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options)) else {
        return Ok(Moves::default());
    };
    let mut find = DiffFindOptions::new();
    find.renames(true).for_untracked(true);
    if diff.find_similar(Some(&mut find)).is_err() {
        // Old contents missing (a partial clone, as in CI): renames of
        // unchanged tracked files (committed, or `git mv`) are still found
        // by their ids. Untracked files are left out: hashing them all
        // cost a repository with untracked images half a second.
        let mut tracked = DiffOptions::new();
        let Ok(mut exact) = repo.diff_tree_to_workdir_with_index(Some(&tree), Some(&mut tracked))
        else {
            return Ok(Moves::default());
        };
        find.exact_match_only(true);
        if exact.find_similar(Some(&mut find)).is_err() {
            return Ok(Moves::default());
        }
        diff = exact;
    }
    let prefix = project_prefix(workdir, root);
    let relative = |p: Option<&Path>| in_project(prefix.as_deref(), p?);
    let mut moves = Moves::default();
    for delta in diff.deltas() {
        let (old, new) = (delta.old_file(), delta.new_file());
        let (Some(old_path), Some(new_path)) = (relative(old.path()), relative(new.path())) else {
            continue;
        };
        match delta.status() {
            Delta::Renamed => {
                // A zero id: libgit2 did not hash the working tree's file.
                if old.id() != new.id() || new.id().is_zero() {
                    moves.edited.insert(new_path.clone());
                }
                moves.renamed.insert(old_path, new_path);
            }
            Delta::Modified | Delta::Typechange => {
                moves.edited.insert(new_path);
            }
            _ => {}
        }
    }
    Ok(moves)
}

/// The texts at `rev` (`HEAD` when `None`) of the root-relative `paths`
/// that exist there as UTF-8 files; none outside a repository.
pub fn texts_at(
    root: &Path,
    rev: Option<&str>,
    paths: &[String],
) -> Result<HashMap<String, String>> {
    let mut texts = HashMap::new();
    let Ok(repo) = Repository::discover(root) else {
        return Ok(texts);
    };
    let Some(tree) = tree_at(&repo, rev)? else {
        return Ok(texts);
    };
    let prefix = repo.workdir().and_then(|w| project_prefix(w, root));
    for path in paths {
        let in_repo = match &prefix {
            None => path.clone(),
            Some(prefix) => format!("{prefix}/{path}"),
        };
        let blob = tree
            .get_path(Path::new(&in_repo))
            .and_then(|entry| entry.to_object(&repo))
            .and_then(|object| object.peel_to_blob());
        if let Ok(blob) = blob
            && let Ok(text) = std::str::from_utf8(blob.content())
        {
            texts.insert(path.clone(), text.to_string());
        }
    }
    Ok(texts)
}

/// The tree of `rev` (`HEAD` when `None`; `None` for a `HEAD` with no commit yet).
fn tree_at<'r>(repo: &'r Repository, rev: Option<&str>) -> Result<Option<git2::Tree<'r>>> {
    let object = match rev {
        Some(rev) => repo
            .revparse_single(rev)
            .map_err(|_| Error::UnknownRevision {
                rev: rev.to_string(),
                shallow: repo.is_shallow(),
            })?,
        None => match repo.head().and_then(|h| h.peel(git2::ObjectType::Any)) {
            Ok(object) => object,
            Err(_) => return Ok(None),
        },
    };
    let tree = object.peel_to_tree().map_err(|e| Error::Git {
        context: format!("`{}` does not name a commit", rev.unwrap_or("HEAD")),
        message: e.message().to_string(),
    })?;
    Ok(Some(tree))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tags_reached` answers what git's own `graph_descendant_of` answers,
    /// for every pair of tags of random histories with branches and merges
    /// (the per-pair question it replaces cost seconds on real repositories).
    #[test]
    fn tags_reached_agrees_with_git_on_random_histories() {
        for seed in 1..=4u64 {
            let dir = tempfile::tempdir().unwrap();
            let repo = Repository::init(dir.path()).unwrap();
            let tree = {
                let mut index = repo.index().unwrap();
                repo.find_tree(index.write_tree().unwrap()).unwrap()
            };
            let sig = git2::Signature::new("T", "t@example.org", &git2::Time::new(1, 0)).unwrap();
            let mut next = crate::testing::xorshift(seed * 7919);
            let mut commits: Vec<git2::Oid> = Vec::new();
            for n in 0..60 {
                // Mostly a line, sometimes a branch from an older commit or
                // a merge of two.
                let parents: Vec<git2::Oid> = match (commits.len(), next() % 8) {
                    (0, _) => Vec::new(),
                    (len, 0) => vec![commits[(next() as usize) % len]],
                    (len, 1) if len > 2 => {
                        let a = commits[len - 1];
                        let b = commits[(next() as usize) % (len - 1)];
                        vec![a, b]
                    }
                    (len, _) => vec![commits[len - 1]],
                };
                let parents: Vec<git2::Commit> = parents
                    .iter()
                    .map(|p| repo.find_commit(*p).unwrap())
                    .collect();
                let refs: Vec<&git2::Commit> = parents.iter().collect();
                let id = repo
                    .commit(None, &sig, &sig, &format!("c{n}"), &tree, &refs)
                    .unwrap();
                commits.push(id);
            }
            let tagged: Vec<git2::Oid> = (0..70)
                .map(|_| commits[(next() as usize) % commits.len()])
                .collect();
            let reached = tags_reached(&repo, tagged.iter().copied()).unwrap();
            for (i, &a) in tagged.iter().enumerate() {
                // A fifth of the pairs (git's answer costs a walk each).
                for (j, &b) in tagged
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| (i * 31 + j) % 5 == 0)
                {
                    let git = a == b || repo.graph_descendant_of(a, b).unwrap();
                    assert_eq!(
                        reached.reaches(a, j),
                        git,
                        "seed {seed}: tag {i} reaches tag {j}?"
                    );
                }
            }
        }
    }

    /// `changed_paths` lists what git2's diff of the same trees lists, with
    /// the same top-level entries as its pathspec, for every commit of
    /// random histories: files added, edited, removed, made executable, a
    /// file turned into a folder and back, in nested folders and outside
    /// the tops.
    #[test]
    fn changed_paths_are_what_git_diff_lists() {
        for seed in 1..=3u64 {
            let dir = tempfile::tempdir().unwrap();
            let repo = Repository::init(dir.path()).unwrap();
            let names = [
                "docs/a.md",
                "docs/b.md",
                "docs/deep/c.md",
                "docs/deep/deeper/d.md",
                "docs/x",
                "docs/x/inside.md",
                "guide.md",
                "src/lib.rs",
                "src/deep/mod.rs",
            ];
            let tops: Vec<String> = ["docs", "guide.md", "missing"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            let mut next = crate::testing::xorshift(seed * 104_729);
            let mut parent: Option<git2::Oid> = None;
            for n in 0..50 {
                for _ in 0..1 + next() % 3 {
                    let name = names[(next() as usize) % names.len()];
                    let path = dir.path().join(name);
                    match next() % 5 {
                        // Removed (a folder too, when a file takes its name).
                        0 => {
                            let _ = std::fs::remove_file(&path);
                            let _ = std::fs::remove_dir_all(&path);
                        }
                        // Made executable, or plain again.
                        1 if path.is_file() => {
                            use std::os::unix::fs::PermissionsExt;
                            let mode = match std::fs::metadata(&path).unwrap().permissions().mode()
                                & 0o111
                            {
                                0 => 0o755,
                                _ => 0o644,
                            };
                            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
                                .unwrap();
                        }
                        _ => {
                            // `docs/x` is a file or a folder, by turns.
                            for above in path.ancestors().skip(1) {
                                if above.is_file() {
                                    std::fs::remove_file(above).unwrap();
                                }
                            }
                            if path.is_dir() {
                                std::fs::remove_dir_all(&path).unwrap();
                            }
                            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                            std::fs::write(&path, format!("{name} at {n}\n")).unwrap();
                        }
                    }
                }
                let mut index = repo.index().unwrap();
                index
                    .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
                    .unwrap();
                index.update_all(["*"], None).unwrap();
                index.write().unwrap();
                let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
                let sig =
                    git2::Signature::new("T", "t@example.org", &git2::Time::new(n, 0)).unwrap();
                let parents: Vec<git2::Commit> = parent
                    .iter()
                    .map(|p| repo.find_commit(*p).unwrap())
                    .collect();
                let old_tree = parents.first().map(|p| p.tree().unwrap());
                let mut opts = git2::DiffOptions::new();
                for top in &tops {
                    opts.pathspec(top);
                }
                let diff = repo
                    .diff_tree_to_tree(old_tree.as_ref(), Some(&tree), Some(&mut opts))
                    .unwrap();
                let mut git: Vec<String> = diff
                    .deltas()
                    .filter_map(|d| d.new_file().path())
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect();
                git.sort();
                git.dedup();
                let mut ours = changed_paths(&repo, old_tree.as_ref(), &tree, &tops).unwrap();
                ours.sort();
                assert_eq!(ours, git, "seed {seed}, commit {n}");
                let refs: Vec<&git2::Commit> = parents.iter().collect();
                parent = Some(
                    repo.commit(Some("HEAD"), &sig, &sig, &format!("c{n}"), &tree, &refs)
                        .unwrap(),
                );
            }
        }
    }

    /// Last updates read through a `Changed` shared by the walks of several
    /// tags (the versions of a handbook, in any order) are each tag's own:
    /// what a walk with nothing shared reads.
    #[test]
    fn shared_changes_give_each_tag_its_own_last_updates() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let files: Vec<String> = (0..8)
            .map(|n| match n % 3 {
                0 => format!("docs/page{n}.md"),
                1 => format!("docs/deep/page{n}.md"),
                _ => format!("src/code{n}.rs"),
            })
            .collect();
        let mut next = crate::testing::xorshift(4242);
        let mut commits = Vec::new();
        let mut parent: Option<git2::Oid> = None;
        for n in 0..40 {
            // The first commit writes every file; each later one a few.
            let touched: Vec<&String> = match n {
                0 => files.iter().collect(),
                _ => (0..1 + next() % 2)
                    .map(|_| &files[(next() as usize) % files.len()])
                    .collect(),
            };
            for f in touched {
                let path = dir.path().join(f);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, format!("{f} at {n}\n")).unwrap();
            }
            let mut index = repo.index().unwrap();
            index
                .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
                .unwrap();
            index.write().unwrap();
            let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
            let when = git2::Time::new(1_700_000_000 + n * 3600, 0);
            let sig = git2::Signature::new("T", "t@example.org", &when).unwrap();
            let parents: Vec<git2::Commit> = parent
                .iter()
                .map(|p| repo.find_commit(*p).unwrap())
                .collect();
            let refs: Vec<&git2::Commit> = parents.iter().collect();
            let id = repo
                .commit(Some("HEAD"), &sig, &sig, &format!("c{n}"), &tree, &refs)
                .unwrap();
            commits.push(id);
            parent = Some(id);
        }
        let tags = [
            commits[39],
            commits[5],
            commits[20],
            commits[0],
            commits[33],
        ];
        let shared = Changed::default();
        for at in tags {
            let with = updates_at(dir.path(), "v{version}", &files, (at, &shared)).unwrap();
            let alone =
                updates_at(dir.path(), "v{version}", &files, (at, &Changed::default())).unwrap();
            assert_eq!(with.updates.len(), files.len());
            for f in &files {
                assert_eq!(with.updates[f].time, alone.updates[f].time, "{f} at {at}");
            }
        }
        assert!(!shared.by_commit.lock().unwrap().is_empty());
    }

    #[test]
    fn tags_to_versions() {
        assert_eq!(
            version_from_tag("v{version}", "v1.4.0").as_deref(),
            Some("1.4.0")
        );
        assert_eq!(
            version_from_tag("release-{version}", "release-2.0.0-rc.1").as_deref(),
            Some("2.0.0-rc.1")
        );
        assert_eq!(version_from_tag("v{version}", "1.4.0"), None);
        assert_eq!(version_from_tag("v{version}", "vnext"), None);
    }

    #[test]
    fn tracked_paths_are_relative_to_the_project_root() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        for path in ["top.txt", "site/scripts/x.sh", "site/.env"] {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, path).unwrap();
        }
        std::fs::write(dir.path().join("site/untracked.txt"), "").unwrap();
        let mut index = repo.index().unwrap();
        for path in ["top.txt", "site/scripts/x.sh", "site/.env"] {
            index.add_path(Path::new(path)).unwrap();
        }
        index.write().unwrap();
        let tracked = tracked_paths(&dir.path().join("site")).unwrap();
        let mut tracked: Vec<_> = tracked.into_iter().collect();
        tracked.sort();
        assert_eq!(tracked, [".env", "scripts/x.sh"]);
        let plain = tempfile::tempdir().unwrap();
        assert_eq!(tracked_paths(plain.path()), None);
    }

    #[test]
    fn version_order() {
        let mut v = vec!["1.10.0", "1.2.0", "1.2.0-rc.1", "0.9.1", "1.2.1"];
        v.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(v, ["0.9.1", "1.2.0-rc.1", "1.2.0", "1.2.1", "1.10.0"]);
        // SemVer §11's own example, shuffled, and rc.10 after rc.2.
        let mut v = vec![
            "1.0.0",
            "1.0.0-rc.10",
            "1.0.0-beta.11",
            "1.0.0-alpha.beta",
            "1.0.0-rc.2",
            "1.0.0-beta",
            "1.0.0-alpha",
            "1.0.0-beta.2",
            "1.0.0-alpha.1",
            "1.0.0-rc.1+build.5",
        ];
        v.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(
            v,
            [
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1+build.5",
                "1.0.0-rc.2",
                "1.0.0-rc.10",
                "1.0.0",
            ]
        );
        assert!(is_prerelease("2.0.0-rc.1") && !is_prerelease("2.0.0+build-7"));
        // Without a hyphen, as Python projects tag them (httpx's
        // `1.0.0.beta0`); finals have numbers only, whatever their count.
        for pre in [
            "1.0.0b1",
            "2.1rc1",
            "1.0.0.beta0",
            "3.0.dev2",
            "1.0a1",
            "4.0.0.RC2",
        ] {
            assert!(is_prerelease(pre), "{pre}");
        }
        for last in ["0.28.1", "2024.10", "1.2.3.4", "10.0.0+b.1", "1.0.0+rc"] {
            assert!(!is_prerelease(last), "{last}");
        }
    }
}
