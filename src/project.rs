//! `Project`: everything loaded from disk, immutable, shared by every stage.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result, display_path};
use crate::load::calendar::{self, Calendar};
use crate::load::data::{self, DataFiles};
use crate::load::guides::{self, Guide, file_name};
use crate::load::metrics::{self, Metrics};

/// Where to find things; the CLI's global options.
#[derive(Debug, Clone, Default)]
pub struct Paths {
    pub root: PathBuf,
    pub content: Option<PathBuf>,
    pub data: Option<PathBuf>,
    pub config: Option<PathBuf>,
}

#[derive(Debug)]
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    pub content_dir: PathBuf,
    /// The content dir relative to the root, `/`-separated ("" for the root itself).
    pub content_prefix: String,
    pub data_dir: PathBuf,
    pub guides: Vec<Guide>,
    /// Non-markdown files of the content dir, content-relative.
    pub assets: Vec<String>,
    /// Files and folders of the content dir left out because their names
    /// are not UTF-8 (root-relative, as messages show paths).
    pub unnamed: Vec<String>,
    pub data: DataFiles,
    /// `data/calendar.yaml`, typed and validated, with its text (for positions).
    pub calendar: Option<(Calendar, String)>,
    /// `data/metrics.yaml`, typed and validated.
    pub metrics: Option<Metrics>,
    /// Its text, for positions.
    pub metrics_text: Option<String>,
    /// Things worth telling the user that do not stop the build.
    pub warnings: Vec<String>,
    /// Draft guides were read and left out (loaded without drafts).
    pub drafts_left_out: bool,
    /// With `Load::Lenient`: invalid front matter and data files, which `check`
    /// reports as findings instead of stopping.
    pub problems: Vec<Error>,
    /// Sections without a guide of their own that an adopted navigation
    /// (`mkdocs.yml`, `SUMMARY.md`, Docusaurus' `_category_.json`) places,
    /// names or makes: key (a folder, or a heading's `/nav/N`) → section.
    pub nav_sections: BTreeMap<String, NavSection>,
}

/// How loading treats invalid front matter and data files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// The first one is the error (build).
    Strict,
    /// Collected in `Project::problems`; the rest loads (check).
    Lenient,
}

/// How much of each guide loading reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Texts {
    /// Every file whole.
    Whole,
    /// Whole files while they add up to less than the budget (bytes),
    /// then the first lines of each (`HEAD_BYTES`, more when its front
    /// matter runs on): a build lays the site out from front matter and
    /// titles, and reads a page whole again as it writes it only when its
    /// source was not kept, so a large site is never held at once.
    /// `Guide::partial` tells which.
    Bounded(usize),
    /// Every file read whole for its front matter, then its text dropped
    /// (`Guide::partial`, an empty `text`; `body_start` still says where
    /// the markdown starts): `check` reads each guide again as it checks
    /// it, so a large site is never held at once.
    Dropped,
}

/// How many bytes of sources a build reads whole and keeps until their pages
/// are written (every source of a site of 10,000 pages), unless
/// `ALMANAC_SOURCE_BUDGET_MB` says otherwise.
pub fn source_budget() -> usize {
    std::env::var("ALMANAC_SOURCE_BUDGET_MB")
        .ok()
        .and_then(|mb| mb.trim().parse::<usize>().ok())
        .map_or(256 << 20, |mb| mb << 20)
}

/// How much of a guide `Texts::Bounded` reads first, past the budget: front matter and a first
/// heading fit in it nearly always.
pub const HEAD_BYTES: usize = 4096;

/// A guide past the source budget keeps only what the site's layout reads
/// of it, its front matter and its title's lines (`Guide::partial`): its
/// page reads the file again when it is written. A short file read whole
/// goes too, or a site of many short pages would be held at once.
fn keep_layout_lines(guide: &mut Guide) {
    let end = match guide.front.title {
        Some(_) => guide.body_start,
        None => crate::title::first_heading(&guide.text, guide.body_start)
            .map_or(guide.text.len(), |(_, end)| end),
    };
    guide.text.truncate(end);
    guide.text.shrink_to_fit();
    guide.partial = true;
}

/// Whether a file last modified at `modified` had settled when it was read at
/// `read_at`: a file changed within two seconds of being read may change
/// again without its modification time moving (coarse timestamps), so it is
/// read again rather than trusted (git's "racily clean" rule).
fn settled(modified: std::time::SystemTime, read_at: Option<std::time::SystemTime>) -> bool {
    read_at.is_some_and(|read| modified + std::time::Duration::from_secs(2) < read)
}

impl Project {
    pub fn load(paths: &Paths, drafts: bool, mode: Load) -> Result<Project> {
        Project::load_reusing(paths, drafts, mode, Texts::Whole, None)
    }

    /// `load`, taking from `earlier` (content-relative path → guide) each guide
    /// whose file has the same modification time and length as when it was read.
    pub fn load_reusing(
        paths: &Paths,
        drafts: bool,
        mode: Load,
        texts: Texts,
        earlier: Option<&mut HashMap<String, Guide>>,
    ) -> Result<Project> {
        let earlier = earlier.map(|e| std::sync::Mutex::new(std::mem::take(e)));
        let root = &paths.root;
        if !root.is_dir() {
            return Err(Error::RootNotAFolder { root: root.clone() });
        }
        let config = match &paths.config {
            Some(file) => Config::load(root, &root.join(file), true)?,
            None => Config::load(root, &root.join("almanac.yaml"), false)?,
        };
        let content_dir = content_dir(root, paths.content.as_deref(), &config)?;
        let content_prefix = display_path(root, &content_dir);
        let content_prefix = if content_prefix == "." {
            String::new()
        } else {
            content_prefix
        };
        let data_dir = data_dir(root, paths.data.as_deref(), &config)?;

        let mut listed = guides::list(&content_dir, &skip_dirs(root, &content_dir, &config))?;
        if let Some(adopted) = &config.adopted {
            leave_out(&mut listed, adopted);
        }
        // Bytes read whole so far (`Texts::Bounded`).
        let held = std::sync::atomic::AtomicUsize::new(0);
        let loaded: Vec<Result<(Guide, Option<Error>)>> = listed
            .markdown
            .par_iter()
            .map(|rel| {
                let path = content_dir.join(rel);
                // Stamps are for the next load's `earlier` (`serve`).
                let stamp = earlier
                    .as_ref()
                    .and_then(|_| std::fs::metadata(&path).ok())
                    .and_then(|m| Some((m.modified().ok()?, m.len())));
                if let (Some(earlier), Some(stamp)) = (&earlier, stamp) {
                    let mut earlier = earlier.lock().unwrap_or_else(|e| e.into_inner());
                    if let Some(mut guide) = earlier.remove(rel.as_str())
                        && guide.stamp == Some(stamp)
                        && settled(stamp.0, guide.read_at)
                    {
                        guide.reused = true;
                        return Ok((guide, None));
                    }
                }
                let read_at = std::time::SystemTime::now();
                let file = display_path(root, &path);
                let whole = || {
                    // `check` reads a file that is not UTF-8 all the same
                    // (U+FFFD for its bad bytes), the first bad byte a finding.
                    let (text, not_utf8) = match mode {
                        Load::Strict => (crate::error::read_text(&path, &file)?, None),
                        Load::Lenient => crate::error::read_text_lossy(&path, &file)?,
                    };
                    let (guide, problem) = guides::parse_lenient(&file, rel, text);
                    Ok::<_, Error>((guide, not_utf8.or(problem)))
                };
                let (mut guide, problem) = match texts {
                    Texts::Whole => whole()?,
                    Texts::Dropped => {
                        let (mut guide, problem) = whole()?;
                        guide.text = String::new();
                        guide.partial = true;
                        (guide, problem)
                    }
                    Texts::Bounded(budget)
                        if held.load(std::sync::atomic::Ordering::Relaxed) < budget =>
                    {
                        let (guide, problem) = whole()?;
                        held.fetch_add(guide.text.len(), std::sync::atomic::Ordering::Relaxed);
                        (guide, problem)
                    }
                    Texts::Bounded(_) => match read_head(&path, HEAD_BYTES)
                        .map_err(|e| Error::io("reading", &path, e))?
                    {
                        Head::Whole(text) | Head::Lines(text) => {
                            match guides::parse_lenient(&file, rel, text) {
                                // Front matter that runs past the head, or any
                                // problem: judged on the whole file.
                                (_, Some(_)) => whole()?,
                                (mut guide, None) => {
                                    keep_layout_lines(&mut guide);
                                    (guide, None)
                                }
                            }
                        }
                        Head::Unsure => whole()?,
                    },
                };
                guide.stamp = stamp;
                guide.read_at = Some(read_at);
                Ok((guide, problem))
            })
            .collect();
        let mut all = Vec::with_capacity(loaded.len());
        let mut problems = Vec::new();
        let mut drafts_left_out = false;
        for loaded in loaded {
            let (guide, problem) = loaded?;
            if let Some(problem) = problem {
                match mode {
                    Load::Strict => return Err(problem),
                    Load::Lenient => problems.push(problem),
                }
            }
            if drafts || !guide.front.draft {
                all.push(guide);
            } else {
                drafts_left_out = true;
            }
        }
        let mut warnings = Vec::new();
        let unnamed: Vec<String> = listed
            .unnamed
            .iter()
            .map(|rel| display_path(root, &content_dir.join(rel)))
            .collect();
        for path in &unnamed {
            warnings.push(format!(
                "`{path}` is left out: its name is not UTF-8, so it can have no URL; rename it"
            ));
        }
        let mut guides = drop_shadowed_indexes(all, &mut warnings);
        for g in &mut guides {
            (g.nav_weight, g.nav_title) = (None, None);
            (g.nav_parent, g.nav_section, g.nav_hidden) = (None, None, false);
        }
        let mut nav_sections = match &config.adopted {
            Some(adopted) => follow_nav(&mut guides, &adopted.nav),
            None => BTreeMap::new(),
        };
        docusaurus_categories(&content_dir, &listed.assets, &mut guides, &mut nav_sections);
        // Each data file is read once: the typed passes take the texts the
        // generic pass read.
        let mut texts = BTreeMap::new();
        let data = match mode {
            Load::Strict => data::load(root, &data_dir, &mut |e| Err(e), &mut texts)?,
            Load::Lenient => data::load(
                root,
                &data_dir,
                &mut |e| {
                    problems.push(e);
                    Ok(())
                },
                &mut texts,
            )?,
        };
        // With no `almanac.yaml`, another generator's `data/` is its own
        // (Hugo's templates read `data/calendar.yml`, buildpacks' a Teamup
        // calendar's id): a calendar or metrics file that is not almanac's
        // is left out with a warning, not an error.
        let mut foreign = config
            .source
            .is_none()
            .then_some(config.generator)
            .flatten()
            .map(|generator| (generator, &mut warnings));
        let calendar = typed(
            root,
            (&data_dir, &mut texts),
            "calendar",
            (mode, foreign.as_mut()),
            &mut problems,
            calendar::parse,
        )?;
        let metrics = typed_all(
            root,
            (&data_dir, &mut texts),
            "metrics",
            (mode, foreign.as_mut()),
            &mut problems,
            metrics::parse_all,
        )?;
        let (metrics, metrics_text) = match metrics {
            Some((m, text)) => (m, Some(text)),
            None => (None, None),
        };
        Ok(Project {
            root: root.clone(),
            config,
            content_dir,
            content_prefix,
            data_dir,
            guides,
            assets: listed.assets,
            unnamed,
            data,
            calendar,
            metrics,
            metrics_text,
            warnings,
            drafts_left_out,
            problems,
            nav_sections,
        })
    }

    /// The site title: the configured one (or `mkdocs.yml`'s `site_name`,
    /// `book.toml`'s `title`), else the first heading of the root README,
    /// else the repository's name from its `origin` remote, else the
    /// project folder's name as it is spelt.
    pub fn title(&self) -> String {
        if !self.config.title.is_empty() {
            return self.config.title.clone();
        }
        untitled(&self.root)
    }

    /// The folder of the site generator's config: the root, or the folder
    /// the site is kept in (`Config::site_dir`).
    pub fn site_root(&self) -> PathBuf {
        match &self.config.site_dir {
            Some(dir) => self.root.join(dir),
            None => self.root.clone(),
        }
    }

    /// The metrics file's path as messages show it: where it is, or where
    /// it would be (`--data` may point anywhere).
    pub fn metrics_file(&self) -> String {
        let path = ["yaml", "yml"]
            .iter()
            .map(|ext| self.data_dir.join(format!("metrics.{ext}")))
            .find(|p| p.is_file())
            .unwrap_or_else(|| self.data_dir.join("metrics.yaml"));
        display_path(&self.root, &path)
    }

    /// The calendar's path relative to the root, when there is one.
    pub fn calendar_file(&self) -> Option<String> {
        ["yaml", "yml"]
            .iter()
            .map(|ext| self.data_dir.join(format!("calendar.{ext}")))
            .find(|p| p.is_file())
            .map(|p| display_path(&self.root, &p))
    }

    pub fn output_dir(&self, out: Option<&Path>) -> PathBuf {
        self.root.join(out.unwrap_or(&self.config.output_dir))
    }
}

/// A data folder and the texts of its files read so far, by path.
type DataDir<'a> = (&'a Path, &'a mut BTreeMap<PathBuf, String>);

/// `data/NAME.yaml` (or `.yml`) if there is one: its name for messages and
/// its text (taken from those read already when it was).
fn read_data_file(
    root: &Path,
    (data_dir, texts): DataDir,
    name: &str,
) -> Result<Option<(String, String)>> {
    let Some(path) = ["yaml", "yml"]
        .iter()
        .map(|ext| data_dir.join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
    else {
        return Ok(None);
    };
    let file = display_path(root, &path);
    let text = match texts.remove(&path) {
        Some(text) => text,
        None => crate::error::read_text(&path, &file)?,
    };
    Ok(Some((file, text)))
}

/// A data file with a schema (`data/NAME.yaml`), parsed with `parse` when present.
fn typed<T>(
    root: &Path,
    data_dir: DataDir,
    name: &str,
    (mode, foreign): (Load, Foreign),
    problems: &mut Vec<Error>,
    parse: fn(&str, &str) -> Result<T>,
) -> Result<Option<(T, String)>> {
    let Some((file, text)) = read_data_file(root, data_dir, name)? else {
        return Ok(None);
    };
    match parse(&file, &text) {
        Ok(value) => Ok(Some((value, text))),
        Err(e) if let Some((generator, warnings)) = foreign => {
            warnings.push(not_almanacs(&file, name, generator, &e));
            Ok(None)
        }
        Err(e) if mode == Load::Lenient => {
            // The generic YAML pass may already have reported a syntax error here.
            if !problems.iter().any(|p| p.to_string() == e.to_string()) {
                problems.push(e);
            }
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Another generator's name, and the warnings to tell that a data file of
/// its folder is not almanac's (`typed`).
type Foreign<'a, 'w> = Option<&'a mut (&'static str, &'w mut Vec<String>)>;

/// The warning for a calendar or metrics file another generator's data
/// folder holds that is not almanac's.
fn not_almanacs(file: &str, name: &str, generator: &str, e: &Error) -> String {
    let what = match name {
        "calendar" => "release calendar",
        _ => "metrics",
    };
    let said = e.to_string();
    format!(
        "`{file}` is left out: it is not almanac's {what} ({}), and with no `almanac.yaml` the data folder is {generator}'s",
        said.lines().next().unwrap_or_default()
    )
}

/// A parser that returns what it could read and every problem.
type ParseAll<T> = fn(&str, &str) -> (Option<T>, Vec<Error>);

/// `typed` for a file whose parser reports every problem: in lenient mode
/// each is a problem of its own, and what parsed stays, so that one bad
/// entry does not make the good ones look missing too.
fn typed_all<T>(
    root: &Path,
    data_dir: DataDir,
    name: &str,
    (mode, foreign): (Load, Foreign),
    problems: &mut Vec<Error>,
    parse: ParseAll<T>,
) -> Result<Option<(Option<T>, String)>> {
    let Some((file, text)) = read_data_file(root, data_dir, name)? else {
        return Ok(None);
    };
    let (value, mut errors) = parse(&file, &text);
    if errors.is_empty() {
        return Ok(Some((value, text)));
    }
    if let Some((generator, warnings)) = foreign {
        warnings.push(not_almanacs(&file, name, generator, &errors[0]));
        return Ok(None);
    }
    if mode == Load::Strict {
        return Err(errors.remove(0));
    }
    for e in errors {
        // The generic YAML pass may already have reported a syntax error here.
        if !problems.iter().any(|p| p.to_string() == e.to_string()) {
            problems.push(e);
        }
    }
    Ok(Some((value, text)))
}

/// What `read_head` read.
enum Head {
    /// The file was no longer than the limit.
    Whole(String),
    /// Its first whole lines.
    Lines(String),
    /// Not UTF-8 (the whole read reports where), or no line ends in the head.
    Unsure,
}

/// The file at `path` if it is at most `limit` bytes long, else its first
/// whole lines within `limit` bytes.
fn read_head(path: &Path, limit: usize) -> std::io::Result<Head> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut head = Vec::with_capacity(limit + 1);
    // One byte past the limit tells a file of exactly `limit` bytes from a longer one.
    file.take(limit as u64 + 1).read_to_end(&mut head)?;
    if head.len() <= limit {
        return Ok(String::from_utf8(head).map_or(Head::Unsure, Head::Whole));
    }
    let Some(end) = memchr::memrchr(b'\n', &head[..limit]) else {
        return Ok(Head::Unsure);
    };
    head.truncate(end + 1);
    Ok(String::from_utf8(head).map_or(Head::Unsure, Head::Lines))
}

/// `--content`, else the configured dir, else `content/`, else `docs/`, else the root.
fn content_dir(root: &Path, flag: Option<&Path>, config: &Config) -> Result<PathBuf> {
    if let Some(dir) = flag.or(config.content_dir.as_deref()) {
        let dir = root.join(dir);
        if !dir.is_dir() {
            let missing = Error::MissingFolder {
                what: "content",
                folder: display_path(root, &dir),
            };
            return Err(match flag {
                Some(_) => missing,
                None => config.error_at(
                    &["content_dir"],
                    dir.strip_prefix(root).ok().and_then(Path::to_str),
                    missing.to_string(),
                ),
            });
        }
        return Ok(dir);
    }
    Ok(["content", "docs"]
        .iter()
        .map(|d| root.join(d))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| root.to_path_buf()))
}

/// `--data`, else the configured dir, which must exist; else `data/`,
/// which need not.
fn data_dir(root: &Path, flag: Option<&Path>, config: &Config) -> Result<PathBuf> {
    let missing = |dir: &Path| Error::MissingFolder {
        what: "data",
        folder: display_path(root, dir),
    };
    if let Some(dir) = flag {
        let dir = root.join(dir);
        if !dir.is_dir() {
            return Err(missing(&dir));
        }
        return Ok(dir);
    }
    match &config.data_dir {
        Some(dir) if !root.join(dir).is_dir() => Err(config
            .error_at(
                &["data_dir"],
                dir.to_str(),
                missing(&root.join(dir)).to_string(),
            )
            .with_hint("create the folder, or fix `data_dir` (the default is `data`)")),
        Some(dir) => Ok(root.join(dir)),
        None => Ok(root.join("data")),
    }
}

/// Folders never read as content when the content dir is the project root.
fn skip_dirs(root: &Path, content_dir: &Path, config: &Config) -> Vec<PathBuf> {
    if content_dir != root {
        return Vec::new();
    }
    // Third parties' code, vendored, is not this project's docs.
    let mut dirs: Vec<PathBuf> = [
        "target",
        "node_modules",
        "templates",
        "themes",
        "static",
        "vendor",
        "third_party",
    ]
    .iter()
    .map(|d| root.join(d))
    .collect();
    dirs.push(root.join(&config.output_dir));
    dirs.extend(test_projects(root));
    dirs
}

/// Whole sites kept as test inputs (`tests/testsuite/*/book.toml` in
/// mdBook's repository, broken on purpose): folders under a test folder
/// that hold a generator's config of their own.
fn test_projects(root: &Path) -> Vec<PathBuf> {
    const CONFIGS: &[&str] = &[
        "book.toml",
        "mkdocs.yml",
        "mkdocs.yaml",
        "hugo.toml",
        "hugo.yaml",
        "docusaurus.config.js",
        "docusaurus.config.ts",
        "almanac.yaml",
        // An mdBook book whose test writes its `book.toml`.
        "src/SUMMARY.md",
    ];
    ["tests", "test", "testdata", "fixtures"]
        .iter()
        .map(|t| root.join(t))
        .filter(|t| t.is_dir())
        .flat_map(|t| {
            walkdir::WalkDir::new(t)
                .max_depth(4)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_dir())
                .filter(|e| CONFIGS.iter().any(|c| e.path().join(c).is_file()))
                .map(|e| e.path().to_path_buf())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A folder has one index page: `index.md` beats `_index.md` beats `README.md`
/// (MkDocs and Zola agree on the first two; README is GitHub's fallback).
fn drop_shadowed_indexes(guides: Vec<Guide>, warnings: &mut Vec<String>) -> Vec<Guide> {
    let rank = |g: &Guide| match file_name(&g.path) {
        "index.md" => 0,
        "_index.md" => 1,
        _ => 2,
    };
    let mut best: BTreeMap<&str, (u8, &str)> = BTreeMap::new();
    for g in guides.iter().filter(|g| g.is_index()) {
        let entry = best.entry(g.dir()).or_insert((rank(g), &g.path));
        if rank(g) < entry.0 {
            *entry = (rank(g), &g.path);
        }
    }
    let keep: Vec<bool> = guides
        .iter()
        .map(|g| !g.is_index() || best.get(g.dir()).is_some_and(|(_, p)| *p == g.path))
        .collect();
    for (g, kept) in guides.iter().zip(&keep) {
        if !kept {
            let winner = best.get(g.dir()).map_or("", |(_, p)| *p);
            warnings.push(format!(
                "{}: not built, `{winner}` is this folder's index page",
                g.file
            ));
        }
    }
    guides
        .into_iter()
        .zip(keep)
        .filter_map(|(g, k)| k.then_some(g))
        .collect()
}

/// The title of a project at `root` whose config names none: its README's
/// first heading, else its remote's name, else its folder's.
pub(crate) fn untitled(root: &Path) -> String {
    readme_heading(root)
        .or_else(|| remote_name(root))
        .or_else(|| {
            root.canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .unwrap_or_else(|| "Handbook".into())
}

/// The text of the first `# ` heading of the root's README, plainly:
/// links and emphasis unwrapped, badges and images dropped.
fn readme_heading(root: &Path) -> Option<String> {
    let path = ["README.md", "readme.md", "Readme.md"]
        .iter()
        .map(|name| root.join(name))
        .find(|p| p.is_file())?;
    let text = String::from_utf8(crate::error::read_file(&path).ok()?).ok()?;
    let body = guides::parse("README.md", "README.md", text).ok()?;
    let mut fence = false;
    for line in body.body().lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
        }
        if fence || line.starts_with([' ', '\t']) {
            continue;
        }
        if let Some(heading) = line.strip_prefix("# ") {
            let plain = plain_text(heading.trim().trim_end_matches('#').trim());
            return (!plain.is_empty()).then_some(plain);
        }
        // `<h1>` in raw HTML, as many READMEs open.
        if let Some(at) = line.find("<h1") {
            let inner = &line[at..];
            let inner = &inner[inner.find('>')? + 1..];
            let inner = inner.split("</h1>").next().unwrap_or(inner);
            let plain = plain_text(inner);
            if !plain.is_empty() {
                return Some(plain);
            }
        }
    }
    None
}

/// Inline markdown and HTML as text: images and tags dropped, links'
/// text kept, emphasis and code marks removed.
fn plain_text(inline: &str) -> String {
    let mut out = String::new();
    let mut rest = inline;
    while let Some(c) = rest.chars().next() {
        let image = rest.starts_with("![");
        if image || c == '[' {
            let from = usize::from(image);
            let (text, after) = link_parts(&rest[from..]);
            if !image {
                out.push_str(&plain_text(text));
            }
            rest = after;
        } else if c == '<' {
            rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
        } else {
            if !matches!(c, '*' | '_' | '`') {
                out.push(c);
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `[text](url)` that `rest` starts with: its text, and what follows it
/// (brackets nest, as in a linked badge `[![alt](img)](url)`).
fn link_parts(rest: &str) -> (&str, &str) {
    let close = |open: u8, shut: u8, s: &str| {
        let mut depth = 0usize;
        for (i, b) in s.bytes().enumerate() {
            if b == open {
                depth += 1;
            } else if b == shut {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
        }
        None
    };
    let Some(end) = close(b'[', b']', rest) else {
        return (&rest[1..], "");
    };
    let text = &rest[1..end];
    let after = &rest[end + 1..];
    match after
        .starts_with('(')
        .then(|| close(b'(', b')', after))
        .flatten()
    {
        Some(paren) => (text, &after[paren + 1..]),
        None => (text, after),
    }
}

/// The repository's name from its `origin` remote's URL
/// (`https://github.com/kubernetes/sig-release.git` → `sig-release`).
fn remote_name(root: &Path) -> Option<String> {
    let repo = git2::Repository::discover(root).ok()?;
    let remote = repo.find_remote("origin").ok()?;
    let url = remote.url().ok()?;
    let name = url
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .rsplit(['/', ':'])
        .next()?;
    (!name.is_empty()).then(|| name.to_string())
}

/// Takes out of `listed` the files the adopted generator does not build:
/// its own (`SUMMARY.md`) and those `exclude_docs` names.
fn leave_out(listed: &mut guides::ContentFiles, adopted: &crate::config::Adopted) {
    let mut set = globset::GlobSetBuilder::new();
    for pattern in &adopted.exclude {
        let negated = pattern.starts_with('!');
        if negated {
            continue;
        }
        let anchored = pattern.starts_with('/');
        let p = pattern.trim_start_matches('/');
        let p = match p.strip_suffix('/') {
            Some(dir) => format!("{dir}/**"),
            None => p.to_string(),
        };
        let forms = if anchored || p.contains('/') {
            vec![p.clone(), format!("{p}/**")]
        } else {
            vec![format!("**/{p}"), format!("**/{p}/**")]
        };
        for form in forms {
            if let Ok(glob) = globset::Glob::new(&form) {
                set.add(glob);
            }
        }
    }
    let set = set.build().unwrap_or_else(|_| globset::GlobSet::empty());
    let keep = |path: &String| !adopted.not_pages.contains(path) && !set.is_match(path);
    listed.markdown.retain(keep);
    listed.assets.retain(keep);
}

/// A section of the navigation that no guide stands for: a folder's
/// generated page that an adopted navigation places or names, or a heading
/// of that navigation over pages from several folders (its key is then
/// `/nav/N`, which no folder can be).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NavSection {
    pub weight: Option<i64>,
    pub title: Option<String>,
    /// The section it sits in, when the navigation says (else its folder's parent).
    pub parent: Option<String>,
    /// A heading of the navigation, not a folder: nothing is written for it.
    pub heading: bool,
}

/// The key of a navigation heading that no folder stands for.
fn heading_key(at: i64) -> String {
    format!("/nav/{at}")
}

/// Applies an adopted navigation, which wins over folders: each page it
/// lists takes its place there (as its weight), its name there (as its nav
/// title) and the section it is listed in (as its nav parent). A section is
/// its own page's when it has one (an mdBook chapter with sub-chapters, a
/// MkDocs section whose first entry is an index page), else its pages'
/// folder's when they share one no other section claims, else a heading
/// over them. An mdBook part is a heading its chapters follow at its level.
/// Pages left out are built, but in no navigation (`nav_hidden`).
fn follow_nav(
    guides: &mut [Guide],
    nav: &[crate::config::NavEntry],
) -> BTreeMap<String, NavSection> {
    use crate::config::NavEntry;
    /// A listed guide: (guide, weight, title, parent, the section key it
    /// stands for when not its folder's).
    type Placed<'a> = (usize, i64, Option<&'a str>, String, Option<String>);
    struct Walk<'a> {
        by_path: HashMap<String, usize>,
        index_of: HashMap<String, usize>,
        /// Guides the navigation lists anywhere.
        listed: std::collections::HashSet<usize>,
        next: i64,
        placed: Vec<Placed<'a>>,
        sections: BTreeMap<String, NavSection>,
        /// The sections' keys so far.
        keys: std::collections::HashSet<String>,
    }
    fn files<'a>(entries: &'a [NavEntry], out: &mut Vec<&'a str>) {
        for e in entries {
            out.extend(e.page.as_deref());
            files(&e.children, out);
        }
    }
    impl<'a> Walk<'a> {
        fn guide(&self, page: Option<&str>) -> Option<usize> {
            page.and_then(|p| self.by_path.get(p).copied())
        }
        fn claimed(&self, key: &str) -> bool {
            self.keys.contains(key)
        }
        /// The folder all of `entries`' pages are in, when it is not the
        /// top, no section has it yet, and no page in it is listed outside
        /// `entries` (nor its index page anywhere: a section's index page
        /// is its first entry).
        fn own_folder(&self, entries: &'a [NavEntry], guides: &[Guide]) -> Option<String> {
            let mut inside = Vec::new();
            files(entries, &mut inside);
            let first = inside.first()?;
            let mut dir = guides::parent(first);
            for f in &inside {
                while !dir.is_empty() && !f.strip_prefix(dir).is_some_and(|r| r.starts_with('/')) {
                    dir = guides::parent(dir);
                }
            }
            let index_listed = self
                .index_of
                .get(dir)
                .is_some_and(|i| self.listed.contains(i));
            if dir.is_empty() || self.claimed(dir) || index_listed {
                return None;
            }
            let prefix = format!("{dir}/");
            let mine: std::collections::HashSet<usize> =
                inside.iter().filter_map(|f| self.guide(Some(f))).collect();
            let elsewhere = guides.iter().enumerate().any(|(i, g)| {
                g.path.starts_with(&prefix) && self.listed.contains(&i) && !mine.contains(&i)
            });
            (!elsewhere).then(|| dir.to_string())
        }
        fn walk(&mut self, entries: &'a [NavEntry], parent: &str, guides: &[Guide]) {
            for entry in entries {
                let at = self.next;
                self.next += 1;
                let title = entry.title.as_deref();
                if entry.part {
                    if let Some(title) = title {
                        self.sections.insert(
                            heading_key(at),
                            NavSection {
                                weight: Some(at),
                                title: Some(title.to_string()),
                                parent: Some(parent.to_string()),
                                heading: true,
                            },
                        );
                    }
                    self.walk(&entry.children, parent, guides);
                    continue;
                }
                let own = self.guide(entry.page.as_deref());
                if entry.children.is_empty() {
                    if let Some(i) = own {
                        self.placed.push((i, at, title, parent.to_string(), None));
                    }
                    continue;
                }
                // The page that stands for the section: its own, or a first
                // entry that is an index page (MkDocs' section index).
                let mut children = &entry.children[..];
                let (page, page_title) = match own {
                    Some(i) => (Some(i), title),
                    None => {
                        let first = children.first().filter(|c| c.children.is_empty());
                        match first.and_then(|c| self.guide(c.page.as_deref())) {
                            Some(i) if guides[i].is_index() => {
                                children = &children[1..];
                                (Some(i), title.or(first.and_then(|c| c.title.as_deref())))
                            }
                            _ => (None, title),
                        }
                    }
                };
                let key = match page {
                    // The home page stands for no section but the top.
                    Some(i) if guides[i].is_index() && guides[i].dir().is_empty() => {
                        self.placed
                            .push((i, at, page_title, parent.to_string(), None));
                        self.walk(children, parent, guides);
                        continue;
                    }
                    Some(i) => {
                        let dir = guides[i].dir();
                        let (key, own_key) = if guides[i].is_index() && !self.claimed(dir) {
                            (dir.to_string(), None)
                        } else {
                            (heading_key(at), Some(heading_key(at)))
                        };
                        self.placed
                            .push((i, at, page_title, parent.to_string(), own_key));
                        self.keys.insert(key.clone());
                        key
                    }
                    None => {
                        let section = NavSection {
                            weight: Some(at),
                            title: title.map(str::to_string),
                            parent: Some(parent.to_string()),
                            heading: false,
                        };
                        match self.own_folder(children, guides) {
                            Some(dir) => {
                                // Its index page, which the navigation does
                                // not list, stands for it.
                                match self.index_of.get(&dir) {
                                    Some(&i) => {
                                        self.placed.push((i, at, title, parent.to_string(), None))
                                    }
                                    None => {
                                        self.sections.insert(dir.clone(), section);
                                    }
                                }
                                self.keys.insert(dir.clone());
                                dir
                            }
                            // A heading needs a name; without one its entries
                            // stay where it is.
                            None if title.is_none() => {
                                self.walk(children, parent, guides);
                                continue;
                            }
                            None => {
                                let key = heading_key(at);
                                let heading = NavSection {
                                    heading: true,
                                    ..section
                                };
                                self.sections.insert(key.clone(), heading);
                                key
                            }
                        }
                    }
                };
                self.walk(children, &key, guides);
            }
        }
    }
    let by_path: HashMap<String, usize> = guides
        .iter()
        .enumerate()
        .map(|(i, g)| (g.path.clone(), i))
        .collect();
    let mut all = Vec::new();
    files(nav, &mut all);
    let listed = all
        .iter()
        .filter_map(|f| by_path.get(*f).copied())
        .collect();
    let mut walk = Walk {
        index_of: guides
            .iter()
            .enumerate()
            .filter(|(_, g)| g.is_index())
            .map(|(i, g)| (g.dir().to_string(), i))
            .collect(),
        by_path,
        listed,
        next: 0,
        placed: Vec::new(),
        sections: BTreeMap::new(),
        keys: std::collections::HashSet::new(),
    };
    walk.walk(nav, "", guides);
    // Pages it leaves out are built but shown in no navigation, as MkDocs
    // and mdBook do.
    if !nav.is_empty() {
        let placed: std::collections::HashSet<usize> = walk.placed.iter().map(|p| p.0).collect();
        for (i, guide) in guides.iter_mut().enumerate() {
            let home = guide.is_index() && guide.dir().is_empty();
            guide.nav_hidden = !placed.contains(&i) && !home;
        }
    }
    // A page listed twice keeps its first place.
    let mut done = std::collections::HashSet::new();
    for (i, at, title, parent, section) in walk.placed {
        if !done.insert(i) {
            continue;
        }
        let guide = &mut guides[i];
        guide.nav_weight = Some(at);
        guide.nav_title = title.map(str::to_string);
        guide.nav_parent = Some(parent);
        guide.nav_section = section;
    }
    walk.sections
}

/// Docusaurus' `_category_.json` (or `.yml`): a folder's `label` and
/// `position`, for its index page or, when it has none, its generated page;
/// what the page's own front matter or an adopted nav says wins.
fn docusaurus_categories(
    content_dir: &Path,
    assets: &[String],
    guides: &mut [Guide],
    sections: &mut BTreeMap<String, NavSection>,
) {
    for asset in assets {
        let name = file_name(asset);
        if !matches!(
            name,
            "_category_.json" | "_category_.yml" | "_category_.yaml"
        ) {
            continue;
        }
        let Some(text) = crate::error::read_file(&content_dir.join(asset))
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
        else {
            continue;
        };
        let Ok(value) = serde_yaml::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let label = value
            .get("label")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string);
        let position = value
            .get("position")
            .and_then(serde_json::Value::as_f64)
            .filter(|p| p.is_finite())
            .map(|p| p.round() as i64);
        let dir = guides::parent(asset);
        if dir.is_empty() {
            continue;
        }
        match guides.iter_mut().find(|g| g.is_index() && g.dir() == dir) {
            Some(index) => {
                if index.front.weight.is_none() && index.nav_weight.is_none() {
                    index.nav_weight = position;
                }
                if index.front.link_title.is_none() && index.nav_title.is_none() {
                    index.nav_title = label;
                }
            }
            None => {
                let entry = sections.entry(dir.to_string()).or_default();
                entry.weight = entry.weight.or(position);
                entry.title = entry.title.take().or(label);
            }
        }
    }
}

/// `release-calendar` → `Release calendar`.
pub fn humanize(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_whole_lines_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let head = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            match read_head(&path, 16).unwrap() {
                Head::Whole(t) => format!("whole {t:?}"),
                Head::Lines(t) => format!("lines {t:?}"),
                Head::Unsure => "unsure".to_string(),
            }
        };
        // Up to the limit, the file is the head.
        assert_eq!(
            head("a", b"0123456789abcde\n"),
            r#"whole "0123456789abcde\n""#
        );
        assert_eq!(head("b", b"# A\n"), r##"whole "# A\n""##);
        // Past it, the lines that end within it.
        assert_eq!(
            head("c", b"# A\nbody text\nmore text\n"),
            r##"lines "# A\nbody text\n""##
        );
        assert_eq!(head("d", b"0123456789abcdef\n"), "unsure");
        // A character cut at the limit is never split.
        assert_eq!(
            head("e", "# é\néééééééééé\n".as_bytes()),
            r##"lines "# é\n""##
        );
        assert_eq!(head("f", b"# \xff\n"), "unsure");
    }

    #[test]
    fn humanize_file_stems() {
        assert_eq!(humanize("release-calendar"), "Release calendar");
        assert_eq!(humanize("HOTFIX_GUIDE"), "HOTFIX GUIDE");
        assert_eq!(humanize(""), "");
    }

    #[test]
    fn only_files_that_had_settled_when_read_are_trusted() {
        use std::time::{Duration, SystemTime};
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert!(settled(t, Some(t + Duration::from_secs(3))));
        // Changed within two seconds of being read: it could have changed
        // again within the same timestamp tick.
        assert!(!settled(t, Some(t + Duration::from_millis(1500))));
        assert!(!settled(t, Some(t)));
        assert!(!settled(t, None));
    }
}
