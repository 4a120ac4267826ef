//! `versions:`: the handbook as it stood at each release tag, read from the
//! repository's objects.
//!
//! - **Reading.** Each kept tag's tree is laid out in a scratch folder from
//!   its blobs (git2; no checkout, the working tree and the repository are
//!   left alone). A blob is written once and hard-linked wherever a version
//!   has it, so a file unchanged across versions costs one link.
//! - **Building.** Every version is loaded and laid out first (the switcher
//!   of one needs the pages of all), then written into its folder of one
//!   staging output: the latest release (or the working tree, with `branch:`)
//!   at the root, each other under `/TAG/`. Nothing is put in place unless
//!   every version built.
//! - **Sharing.** A guide's markdown is rendered once for every version whose
//!   text and site around it are the same (`RenderCache`); the calendar,
//!   metrics and reports are built once, at the root, from the latest data,
//!   and the older versions' navigation links there.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use git2::{Oid, Repository};

use crate::build::{self, BuildOptions, BuildReport};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::load::history::{compare_versions, is_prerelease, version_from_tag};
use crate::project::{Paths, Project};
use crate::version_site::{
    Change, DIFF_LINES_SHOWN, PageDiff, PageMap, RenderCache, SharedData, TreeFacts, Version,
    VersionBuild, VersionUi,
};

/// A folder that holds the versions' files while they are built, removed
/// when dropped.
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// A scratch folder in the temporary folder, or in memory (`/dev/shm`)
    /// when about `bytes` fit there many times over and `TMPDIR` does not
    /// say where: laying out thousands of files there takes half the time.
    fn new(bytes: u64) -> Result<Scratch> {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let parent = match in_memory(bytes) {
            Some(shm) => shm,
            None => std::env::temp_dir(),
        };
        let dir = parent.join(format!(
            "almanac-versions-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("blobs"))
            .map_err(|e| Error::io("making a scratch folder", &dir, e))?;
        Ok(Scratch { dir })
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }
}

/// `/dev/shm` when it is a writable folder with room for `bytes` 8 times
/// over (and `bytes` is under 1 GB), and `TMPDIR` is not set.
fn in_memory(bytes: u64) -> Option<PathBuf> {
    if std::env::var_os("TMPDIR").is_some() || bytes > 1 << 30 {
        return None;
    }
    free_bytes(Path::new("/dev/shm")).filter(|&free| free / 8 > bytes)?;
    Some(PathBuf::from("/dev/shm"))
}

#[cfg(target_os = "linux")]
// `statvfs`'s counts are `u64` on 64-bit Linux only.
#[allow(clippy::useless_conversion)]
fn free_bytes(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is a NUL-terminated string and `stat` a valid statvfs
    // the call fills.
    let failed = unsafe { libc::statvfs(path.as_ptr(), &mut stat) } != 0;
    let writable = unsafe { libc::access(path.as_ptr(), libc::W_OK) } == 0;
    (!failed && writable).then(|| u64::from(stat.f_bavail) * u64::from(stat.f_frsize))
}

#[cfg(not(target_os = "linux"))]
fn free_bytes(_: &Path) -> Option<u64> {
    None
}

/// The bytes of the blobs under `tree`, from the objects' headers.
fn tree_bytes(repo: &Repository, tree: &git2::Tree) -> u64 {
    let Ok(odb) = repo.odb() else {
        return u64::MAX;
    };
    let mut total = 0u64;
    let _ = tree.walk(git2::TreeWalkMode::PreOrder, |_, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            let size = odb
                .read_header(entry.id())
                .map_or(0, |(size, _)| size as u64);
            total = total.saturating_add(size);
        }
        git2::TreeWalkResult::Ok
    });
    total
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A git error, said with what almanac was doing.
fn git(context: impl Into<String>) -> impl FnOnce(git2::Error) -> Error {
    let context = context.into();
    move |e| Error::Git {
        context,
        message: e.message().to_string(),
    }
}

/// Lays out `tree` under `into` from its blobs: each blob written once into
/// the scratch's `blobs/` (executable ones apart) and hard-linked. Symbolic
/// links and submodules are left out; so are names git itself refuses
/// (`.`, `..`, `.git`), which a crafted tree could hold. Returns what was
/// laid out (`TreeFacts`), its markdown files' paths relative to `project`
/// (the project's folder in the tree, `None` at its root), the blobs of
/// the files under `data` (a `/`-terminated folder of the tree) left out of
/// its hash.
fn lay_out_tree(
    repo: &Repository,
    tree: &git2::Tree,
    scratch: &Path,
    (into, project, data): (&Path, Option<&str>, Option<&str>),
    stored_blobs: &mut HashSet<(Oid, bool)>,
) -> Result<TreeFacts> {
    use std::hash::{Hash, Hasher};
    let store = scratch.join("blobs");
    let mut failed: Option<Error> = None;
    let mut files = std::collections::hash_map::DefaultHasher::new();
    let mut blobs = HashMap::new();
    let under = project.map(|p| format!("{}/", p.trim_end_matches('/')));
    std::fs::create_dir_all(into).map_err(|e| Error::io("making a folder", into, e))?;
    let walked = tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        let Ok(name) = entry.name() else {
            return git2::TreeWalkResult::Skip;
        };
        if matches!(name, "." | "..") || name.eq_ignore_ascii_case(".git") || name.contains('\\') {
            return git2::TreeWalkResult::Skip;
        }
        let path = into.join(dir).join(name);
        (dir, name, entry.filemode()).hash(&mut files);
        let blob = entry.kind() == Some(git2::ObjectType::Blob);
        if blob && !is_markdown(name) && data.is_none_or(|d| !dir.starts_with(d)) {
            entry.id().hash(&mut files);
        }
        if blob && is_markdown(name) {
            let file = format!("{dir}{name}");
            let file = match &under {
                Some(p) => file.strip_prefix(p.as_str()).map(str::to_string),
                None => Some(file),
            };
            if let Some(file) = file {
                blobs.insert(file, entry.id());
            }
        }
        let done = match entry.kind() {
            Some(git2::ObjectType::Tree) => {
                std::fs::create_dir_all(&path).map_err(|e| Error::io("making a folder", &path, e))
            }
            Some(git2::ObjectType::Blob) if entry.filemode() != 0o120000 => {
                let exec = entry.filemode() & 0o111 != 0;
                let stored = store.join(format!("{}{}", entry.id(), if exec { "x" } else { "" }));
                let fresh = stored_blobs.insert((entry.id(), exec));
                store_blob(repo, entry.id(), &stored, exec, fresh).and_then(|()| {
                    std::fs::hard_link(&stored, &path)
                        .or_else(|_| std::fs::copy(&stored, &path).map(drop))
                        .map_err(|e| Error::io("laying out a version", &path, e))
                })
            }
            _ => Ok(()),
        };
        match done {
            Ok(()) => git2::TreeWalkResult::Ok,
            Err(e) => {
                failed = Some(e);
                git2::TreeWalkResult::Abort
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    walked.map_err(git("reading a tagged tree"))?;
    Ok(TreeFacts {
        files: files.finish(),
        blobs,
    })
}

/// Writes blob `id` to `stored` unless an earlier version did (`fresh`:
/// none did).
fn store_blob(repo: &Repository, id: Oid, stored: &Path, exec: bool, fresh: bool) -> Result<()> {
    if !fresh {
        return Ok(());
    }
    let blob = repo.find_blob(id).map_err(git("reading a blob"))?;
    std::fs::write(stored, blob.content()).map_err(|e| Error::io("writing", stored, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if exec { 0o755 } else { 0o644 };
        std::fs::set_permissions(stored, std::fs::Permissions::from_mode(mode))
            .map_err(|e| Error::io("writing", stored, e))?;
    }
    #[cfg(not(unix))]
    let _ = exec;
    Ok(())
}

/// The project root's path inside the repository's working tree (`None`
/// when they are the same folder).
fn root_prefix_in(repo: &Repository, root: &Path) -> Option<String> {
    crate::load::history::project_prefix(repo.workdir()?, root)
}

/// `--at REV` of `check`: the project as it stood at `rev`, laid out in a
/// scratch folder, and the paths to check it there.
pub fn tree_at_revision(paths: &Paths, rev: &str) -> Result<(Scratch, Paths)> {
    git2::opts::strict_hash_verification(false);
    let repo = Repository::discover(&paths.root).map_err(git("--at needs a git repository"))?;
    let tree = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_tree())
        .map_err(git(format!("--at {rev}: no such revision")))?;
    let scratch = Scratch::new(tree_bytes(&repo, &tree))?;
    let top = scratch.path().join("tree");
    lay_out_tree(
        &repo,
        &tree,
        scratch.path(),
        (&top, None, None),
        &mut HashSet::new(),
    )?;
    let root = match root_prefix_in(&repo, &paths.root) {
        Some(prefix) => top.join(prefix),
        None => top,
    };
    Ok((scratch, moved(paths, root)))
}

/// `paths` for the project moved to `root`.
fn moved(paths: &Paths, root: PathBuf) -> Paths {
    Paths {
        content: moved_flag(&paths.root, &root, paths.content.as_deref()),
        data: moved_flag(&paths.root, &root, paths.data.as_deref()),
        config: moved_flag(&paths.root, &root, paths.config.as_deref()),
        root,
    }
}

/// A path flag (`--content`, `--data`, `--config`) for a project moved from
/// `from` to `to`: a path inside the old root moves with it.
fn moved_flag(from: &Path, to: &Path, flag: Option<&Path>) -> Option<PathBuf> {
    let flag = flag?;
    if flag.is_relative() {
        // Relative flags are taken from the root (`Project::load`).
        return Some(flag.to_path_buf());
    }
    let from = from.canonicalize().unwrap_or_else(|_| from.to_path_buf());
    match flag.strip_prefix(&from) {
        Ok(rel) => Some(to.join(rel)),
        Err(_) => Some(flag.to_path_buf()),
    }
}

/// A release tag a version is built from.
#[derive(Debug, Clone)]
struct Tagged {
    version: String,
    tag: String,
    commit: Oid,
}

/// The newest `keep` final releases among the tags matching `pattern`, newest first.
fn release_tags(repo: &Repository, pattern: &str, keep: usize) -> Result<Vec<Tagged>> {
    let names = repo.tag_names(None).map_err(git("listing tags"))?;
    let mut tags: Vec<Tagged> = names
        .iter()
        .filter_map(|name| name.ok().flatten())
        .filter_map(|name| {
            let version = version_from_tag(pattern, name)?;
            if is_prerelease(&version) {
                return None;
            }
            let commit = repo
                .revparse_single(&format!("refs/tags/{name}"))
                .and_then(|o| o.peel_to_commit())
                .ok()?;
            Some(Tagged {
                version,
                tag: name.to_string(),
                commit: commit.id(),
            })
        })
        .collect();
    tags.sort_by(|a, b| compare_versions(&b.version, &a.version).then(a.tag.cmp(&b.tag)));
    tags.dedup_by(|a, b| compare_versions(&a.version, &b.version).is_eq());
    tags.truncate(keep);
    Ok(tags)
}

/// A version's folder: its tag, made safe as one path segment.
fn version_dir(tag: &str) -> String {
    let safe: String = tag
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '?' | '#' | '%' | ' ' => '-',
            c => c,
        })
        .collect();
    match safe.trim_matches('.') {
        "" => "version/".to_string(),
        s => format!("{s}/"),
    }
}

/// The config file `paths` name.
fn read_config(paths: &Paths) -> Result<Config> {
    let path = match &paths.config {
        Some(p) => paths.root.join(p),
        None => paths.root.join("almanac.yaml"),
    };
    Config::load(&paths.root, &path, paths.config.is_some())
}

/// The data folder `paths` and `config` name, as they name it (relative
/// to the project's root, unless absolute).
fn data_dir_of<'a>(paths: &'a Paths, config: &'a Config) -> &'a Path {
    match (&paths.data, &config.data_dir) {
        (Some(d), _) | (None, Some(d)) => d,
        (None, None) => Path::new("data"),
    }
}

/// The calendar's `tag_pattern`, read without loading the calendar.
fn calendar_tag_pattern(paths: &Paths, config: &Config) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Pattern {
        tag_pattern: Option<String>,
    }
    let dir = paths.root.join(data_dir_of(paths, config));
    ["calendar.yaml", "calendar.yml"].iter().find_map(|name| {
        let text = std::fs::read_to_string(dir.join(name)).ok()?;
        serde_yaml::from_str::<Pattern>(&text).ok()?.tag_pattern
    })
}

/// `almanac build` with `versions:` configured: every kept version into one
/// output; without it, the plain build.
pub fn build(paths: &Paths, options: &BuildOptions) -> Result<BuildReport> {
    let config = read_config(paths)?;
    let Some(wanted) = config.versions.clone() else {
        return build::build(paths, options);
    };
    git2::opts::strict_hash_verification(false);
    let mut warnings = Vec::new();
    let repo = match Repository::discover(&paths.root) {
        Ok(repo) => repo,
        Err(_) => {
            warnings
                .push("`versions:` needs a git repository: only the working tree is built".into());
            return plain(paths, options, warnings);
        }
    };
    let pattern = wanted
        .tags
        .clone()
        .or_else(|| calendar_tag_pattern(paths, &config))
        .unwrap_or_else(|| "v{version}".to_string());
    let tags = release_tags(&repo, &pattern, wanted.keep)?;
    if tags.is_empty() {
        // The pattern the repository's own tags follow, if a common one.
        let instead = [
            "v{version}",
            "{version}",
            "release-{version}",
            "release/v{version}",
        ]
        .into_iter()
        .filter(|p| *p != pattern)
        .find_map(|p| {
            let found = release_tags(&repo, p, 1).ok()?;
            found.first().map(|t| (p, t.tag.clone()))
        });
        let hint = match instead {
            Some((p, tag)) => format!(
                " (tags here are named like `{tag}`: set `tags: \"{p}\"` under `versions:`)"
            ),
            None => String::new(),
        };
        warnings.push(format!(
            "`versions:`: no final release tag matches `{pattern}`: only the working tree is built{hint}"
        ));
        return plain(paths, options, warnings);
    }
    build_versions(paths, options, &config, &repo, &tags, warnings)
}

/// What `serve` shows of the versions when `versions:` is configured: the
/// working tree as `dev`, and the releases an earlier `almanac build` wrote
/// in folders of the output (the latest release is at the output's root,
/// where `serve` shows the working tree: it is not linked). Returns the
/// version `serve` builds with, the output folder and the versions' folders
/// (`v1.1.0/`), `None` when there is nothing to link.
pub fn for_serve(paths: &Paths) -> Option<(Arc<VersionBuild>, PathBuf, Vec<String>)> {
    let config = read_config(paths).ok()?;
    let wanted = config.versions.clone()?;
    let repo = Repository::discover(&paths.root).ok()?;
    let pattern = wanted
        .tags
        .clone()
        .or_else(|| calendar_tag_pattern(paths, &config))
        .unwrap_or_else(|| "v{version}".to_string());
    let out = paths.root.join(&config.output_dir);
    let mut versions = vec![Version {
        name: "dev".into(),
        dir: String::new(),
        commit: None,
        release: false,
        tag: None,
    }];
    let mut maps = vec![PageMap::default()];
    let mut latest = None;
    for (k, t) in release_tags(&repo, &pattern, wanted.keep)
        .ok()?
        .into_iter()
        .enumerate()
    {
        let dir = version_dir(&t.tag);
        let built = out.join(&dir);
        if !built.join("index.html").is_file() {
            continue;
        }
        // The newest release has a folder when `branch:` puts the working
        // tree at the root: it is the latest.
        if k == 0 {
            latest = Some(versions.len());
        }
        let urls = walkdir::WalkDir::new(&built)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let rel = e.path().strip_prefix(&built).ok()?.to_str()?;
                rel.ends_with(".html").then(|| rel.replace('\\', "/"))
            })
            .collect();
        versions.push(Version {
            name: t.version,
            dir,
            commit: Some(t.commit),
            release: true,
            tag: Some(t.tag),
        });
        maps.push(PageMap {
            files: Default::default(),
            urls,
        });
    }
    if versions.len() == 1 {
        return None;
    }
    let dirs = versions[1..].iter().map(|v| v.dir.clone()).collect();
    let build = Arc::new(VersionBuild {
        version: versions[0].clone(),
        shared: None,
        history_at: None,
        diffs: None,
        changes_url: OnceLock::new(),
        ui: OnceLock::new(),
        cache: Arc::default(),
        histories: Arc::default(),
        changed: Arc::default(),
        title: None,
        written: Default::default(),
        before: OnceLock::new(),
        linked: Default::default(),
        tree: None,
    });
    let renames = vec![Default::default(); versions.len()];
    let _ = build.ui.set(VersionUi {
        versions,
        current: 0,
        latest,
        pages: Arc::new(maps),
        renames,
        changed: HashMap::new(),
        previous: None,
        changes_url: None,
        base_url: None,
    });
    Some((build, out, dirs))
}

/// The plain build, with the versions' warnings.
fn plain(paths: &Paths, options: &BuildOptions, warnings: Vec<String>) -> Result<BuildReport> {
    let mut report = build::build(paths, options)?;
    report.warnings.splice(0..0, warnings);
    Ok(report)
}

fn build_versions(
    paths: &Paths,
    options: &BuildOptions,
    config: &Config,
    repo: &Repository,
    tags: &[Tagged],
    mut warnings: Vec<String>,
) -> Result<BuildReport> {
    let branch = config.versions.as_ref().is_some_and(|v| v.branch.is_some());
    let mut timer = crate::timing::Timer::start();
    let title = match config.title.is_empty() {
        true => crate::project::untitled(&paths.root),
        false => config.title.clone(),
    };
    // The newest tree's size, and as much again for what the others change.
    let newest = repo
        .find_commit(tags[0].commit)
        .and_then(|c| c.tree())
        .map_or(u64::MAX, |t| tree_bytes(repo, &t));
    let scratch = Scratch::new(newest.saturating_mul(2))?;
    let prefix = root_prefix_in(repo, &paths.root);
    let mut versions: Vec<Version> = Vec::new();
    if branch {
        versions.push(Version {
            name: "dev".into(),
            dir: String::new(),
            commit: None,
            release: false,
            tag: None,
        });
    }
    for (i, t) in tags.iter().enumerate() {
        let at_root = i == 0 && versions.is_empty();
        versions.push(Version {
            name: t.version.clone(),
            dir: match at_root {
                true => String::new(),
                false => version_dir(&t.tag),
            },
            commit: Some(t.commit),
            release: true,
            tag: Some(t.tag.clone()),
        });
    }
    // Each version's files: the working tree's, or its tree laid out.
    // The data folder in the tree, as the working tree's config names it.
    let data = Some(data_dir_of(paths, config))
        .filter(|d| d.is_relative())
        .and_then(|d| d.to_str())
        .map(|d| {
            let d = d.trim_start_matches("./").trim_end_matches('/');
            match &prefix {
                Some(p) => format!("{}/{d}/", p.trim_end_matches('/')),
                None => format!("{d}/"),
            }
        });
    let mut roots = Vec::new();
    let mut trees = Vec::new();
    let mut stored = HashSet::new();
    for v in &versions {
        let Some(commit) = v.commit else {
            roots.push(paths.clone());
            trees.push(None);
            continue;
        };
        let tree = repo
            .find_commit(commit)
            .and_then(|c| c.tree())
            .map_err(git(format!("reading the tree of {}", v.name)))?;
        let top = scratch.path().join("trees").join(commit.to_string());
        let facts = lay_out_tree(
            repo,
            &tree,
            scratch.path(),
            (&top, prefix.as_deref(), data.as_deref()),
            &mut stored,
        )?;
        trees.push(Some(Arc::new(facts)));
        let root = match &prefix {
            Some(p) => top.join(p),
            None => top,
        };
        roots.push(moved(paths, root));
    }
    timer.lap("versions: lay out the tagged trees");
    let strip = |file: &str| crate::load::history::in_project(prefix.as_deref(), Path::new(file));
    // The root's data, for the older versions' pages: the newest version's
    // that loads (the guides' first lines only), or the root's error.
    let load = |paths: &Paths| {
        let texts = crate::project::Texts::Bounded(0);
        Project::load_reusing(
            paths,
            options.drafts,
            crate::project::Load::Strict,
            texts,
            None,
        )
    };
    let root_project = match load(&roots[0]) {
        Ok(project) => project,
        Err(e) => match roots[1..].iter().find_map(|p| load(p).ok()) {
            Some(project) if !branch => project,
            _ => return Err(e),
        },
    };
    let shared = SharedData {
        calendar: root_project.calendar.clone(),
        metrics: root_project.metrics.clone(),
        metrics_text: root_project.metrics_text.clone(),
    };
    drop(root_project);
    let out_dir = paths
        .root
        .join(options.out.as_deref().unwrap_or(&config.output_dir));
    let base_url = options
        .base_url
        .as_deref()
        .or(config.base_url.as_deref())
        .map(|u| u.trim_end_matches('/').to_string());
    let cache = Arc::new(RenderCache::default());
    let histories = Arc::default();
    let changed = Arc::default();
    // Each version compared with the previous one that builds.
    let make = |i: usize, previous: Option<usize>, at_root: bool| -> Result<Arc<VersionBuild>> {
        let mut version = versions[i].clone();
        if at_root {
            version.dir = String::new();
        }
        let diffs = match previous {
            Some(p) => Some((
                versions[p].name.clone(),
                page_diffs(repo, version.commit, versions[p].commit, &strip)?,
            )),
            None => None,
        };
        Ok(Arc::new(VersionBuild {
            history_at: version.commit.map(|c| (paths.root.clone(), c)),
            version,
            shared: (!at_root).then(|| shared.clone()),
            diffs,
            changes_url: OnceLock::new(),
            ui: OnceLock::new(),
            cache: Arc::clone(&cache),
            histories: Arc::clone(&histories),
            changed: Arc::clone(&changed),
            title: Some(title.clone()),
            written: Default::default(),
            before: OnceLock::new(),
            linked: Default::default(),
            tree: trees[i].clone(),
        }))
    };
    let built = build::build_versions(
        options,
        &out_dir,
        roots,
        &make,
        &mut warnings,
        &|built, maps| ui_for(built, maps, &base_url),
        timer,
    );
    // The scratch folder goes once every version is written.
    drop(scratch);
    built
}

/// The switcher's facts for each built version, once all are laid out:
/// `maps[i]` is version `i`'s pages. A page is followed across versions
/// through the renames git found between each version and the next older
/// one that built (`VersionBuild::diffs`), step by step.
fn ui_for(
    built: &[Arc<VersionBuild>],
    maps: Vec<PageMap>,
    base_url: &Option<String>,
) -> Result<()> {
    let versions: Vec<Version> = built.iter().map(|b| b.version.clone()).collect();
    let latest = versions.iter().position(|v| v.release);
    // Step `i`: version `i + 1` (older) → version `i`, and back.
    let newer: Vec<HashMap<&str, &str>> = built
        .iter()
        .map(|b| {
            b.diffs
                .iter()
                .flat_map(|(_, diffs)| diffs)
                .filter_map(|d| match &d.change {
                    Some(Change::Renamed(from)) => Some((from.as_str(), d.file.as_str())),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let older: Vec<HashMap<&str, &str>> = newer
        .iter()
        .map(|m| m.iter().map(|(&from, &to)| (to, from)).collect())
        .collect();
    let follow = |file: &str, from: usize, to: usize| -> String {
        let mut file = file;
        if to > from {
            for step in &older[from..to] {
                file = step.get(file).copied().unwrap_or(file);
            }
        } else {
            for step in newer[to..from].iter().rev() {
                file = step.get(file).copied().unwrap_or(file);
            }
        }
        file.to_string()
    };
    let maps = Arc::new(maps);
    for (i, b) in built.iter().enumerate() {
        let renames = (0..built.len())
            .map(|j| {
                maps[i]
                    .files
                    .keys()
                    .filter_map(|f| {
                        let there = follow(f, i, j);
                        (there != *f).then(|| (f.clone(), there))
                    })
                    .collect()
            })
            .collect();
        let (previous, changed) = match &b.diffs {
            Some((name, diffs)) => (
                Some(name.clone()),
                diffs
                    .iter()
                    .filter_map(|d| Some((d.file.clone(), d.change.clone()?)))
                    .collect(),
            ),
            None => (None, HashMap::new()),
        };
        let _ = b.ui.set(VersionUi {
            versions: versions.clone(),
            current: i,
            latest,
            pages: Arc::clone(&maps),
            renames,
            changed,
            previous,
            changes_url: b.changes_url.get().cloned(),
            base_url: base_url.clone(),
        });
    }
    Ok(())
}

/// The tree of `commit`, or of `HEAD` for the working tree.
fn tree_of<'r>(repo: &'r Repository, commit: Option<Oid>) -> Result<Option<git2::Tree<'r>>> {
    let found = match commit {
        Some(c) => repo.find_commit(c).and_then(|c| c.tree()),
        None => match repo.head().and_then(|h| h.peel_to_tree()) {
            Ok(t) => Ok(t),
            Err(_) => return Ok(None),
        },
    };
    found.map(Some).map_err(git("reading a tree"))
}

/// The diff from `old` to `new` (`None`: the working tree), renames found.
fn diff<'r>(repo: &'r Repository, old: Option<Oid>, new: Option<Oid>) -> Result<git2::Diff<'r>> {
    let old_tree = tree_of(repo, old)?;
    let mut opts = git2::DiffOptions::new();
    opts.context_lines(3);
    // Pages only: rename detection over a whole repository (a vendored
    // dependency tree) costs seconds per pair of versions.
    for pattern in ["*.md", "*.markdown", "*.MD"] {
        opts.pathspec(pattern);
    }
    let mut diff = match new {
        Some(_) => {
            let new_tree = tree_of(repo, new)?;
            repo.diff_tree_to_tree(old_tree.as_ref(), new_tree.as_ref(), Some(&mut opts))
        }
        None => {
            opts.include_untracked(true).recurse_untracked_dirs(true);
            repo.diff_tree_to_workdir_with_index(old_tree.as_ref(), Some(&mut opts))
        }
    }
    .map_err(git("comparing versions"))?;
    let mut find = git2::DiffFindOptions::new();
    find.renames(true).for_untracked(true);
    diff.find_similar(Some(&mut find))
        .map_err(git("finding renamed pages"))?;
    Ok(diff)
}

fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Path of a delta's side, as a string.
fn side(file: git2::DiffFile) -> Option<String> {
    file.path().and_then(|p| p.to_str()).map(str::to_string)
}

/// The markdown pages changed from `previous` to `version`, with their diffs.
fn page_diffs(
    repo: &Repository,
    version: Option<Oid>,
    previous: Option<Oid>,
    strip: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<PageDiff>> {
    let diff = diff(repo, previous, version)?;
    let mut pages = Vec::new();
    for (i, delta) in diff.deltas().enumerate() {
        let (old, new) = (side(delta.old_file()), side(delta.new_file()));
        let change = match delta.status() {
            git2::Delta::Added | git2::Delta::Untracked => Some(Change::Added),
            git2::Delta::Modified => Some(Change::Modified),
            git2::Delta::Renamed | git2::Delta::Copied => Some(Change::Renamed(
                old.as_deref().and_then(strip).unwrap_or_default(),
            )),
            git2::Delta::Deleted => None,
            _ => continue,
        };
        let path = match change {
            None => old,
            Some(_) => new,
        };
        let Some(file) = path.as_deref().filter(|p| is_markdown(p)).and_then(strip) else {
            continue;
        };
        let mut page = PageDiff {
            file,
            change,
            lines: Vec::new(),
            added: 0,
            removed: 0,
            cut: 0,
        };
        if let Ok(Some(patch)) = git2::Patch::from_diff(&diff, i) {
            for h in 0..patch.num_hunks() {
                let Ok((hunk, count)) = patch.hunk(h) else {
                    continue;
                };
                let header = String::from_utf8_lossy(hunk.header()).into_owned();
                push_line(&mut page, '@', header);
                for l in 0..count {
                    let Ok(line) = patch.line_in_hunk(h, l) else {
                        continue;
                    };
                    let origin = line.origin();
                    match origin {
                        '+' => page.added += 1,
                        '-' => page.removed += 1,
                        ' ' => {}
                        _ => continue,
                    }
                    push_line(
                        &mut page,
                        origin,
                        String::from_utf8_lossy(line.content()).into_owned(),
                    );
                }
            }
        }
        pages.push(page);
    }
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(pages)
}

fn push_line(page: &mut PageDiff, origin: char, text: String) {
    if page.lines.len() < DIFF_LINES_SHOWN {
        page.lines.push((origin, text));
    } else {
        page.cut += 1;
    }
}
