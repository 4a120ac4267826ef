//! `almanac build`: load → index → render → check → write.
//!
//! `build` is the checklist; `prepare` runs the stages before writing and
//! `Prepared::write` writes each output with a function of its own. Stage
//! timing lives in `timing`, where the output goes (`Sink`) in `write`, and
//! where links point in `links`.

use std::collections::BTreeSet;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use rayon::prelude::*;

use crate::check::{self, Finding, Severity};
use crate::error::{Error, Result};
use crate::index::{SiteIndex, Target, page_url, relative_href, root_prefix};
use crate::links::{REPO_FILES_DIR, alias_url, blob_base, rewrite_link, sitemap_url};
use crate::load::guides::Guide;
use crate::load::history::{self, Update};
use crate::markdown::{self, Rendered};
use crate::project::{Load, Paths, Project, Texts};
use crate::releases::ReleaseData;
use crate::render::context::{NavForms, SiteView, UpdatedView, page_view};
use crate::render::native;
use crate::render::theme::Theme;
use crate::report;
use crate::search::PageSearch;
use crate::shortcodes;
use crate::site::{DataPage, Site, SitePage};
use crate::timing::{Lap, Timer};
use crate::write::{Sink, Staging, check_output_dir};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Broken internal links fail the build.
    pub strict: bool,
    /// The date plan statuses and report pages are as of, decided by the caller.
    pub today: NaiveDate,
    /// One version of a handbook with `versions:` (`versions::build`).
    pub version: Option<Arc<crate::version_site::VersionBuild>>,
}

#[derive(Debug)]
pub struct BuildReport {
    pub out_dir: PathBuf,
    pub pages: usize,
    /// False when `--strict` found broken links and nothing was written.
    pub written: bool,
    /// Files written, left unchanged and removed in the output folder.
    pub files: crate::write::Committed,
    pub warnings: Vec<String>,
    pub findings: Vec<Finding>,
    /// Wall time of each stage and the peak memory at its end, for `-v`.
    pub timings: Vec<Lap>,
    /// The site as loaded and rendered, handed back so that the caller
    /// decides when its memory is freed.
    pub site: Option<BuiltSite>,
    /// With `versions:`: how many pages took their markdown from another
    /// version's rendering, and how many were linked to the next version's
    /// page without rendering anything (`Carried`).
    pub shared_renderings: Option<(usize, usize)>,
}

/// The whole site in memory, in millions of small allocations: freeing them
/// one by one takes longer than some builds, so the CLI, whose last step a
/// build is, lets the process hand the memory back at exit instead.
pub struct BuiltSite(pub Prepared);

impl std::fmt::Debug for BuiltSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BuiltSite")
    }
}

/// `almanac build`: load, index and lay out the site, check the docs for
/// the report pages, render and write the pages (checking their links as
/// the last are written), then put the output in place.
pub fn build(paths: &Paths, options: &BuildOptions) -> Result<BuildReport> {
    let mut timer = Timer::start();
    let mut prepared = prepare(paths, options, &mut timer, Mode::Build)?;
    let scanned = prepared.titles();
    let out_dir = prepared.out_dir.clone();
    let staging = Staging::new(&out_dir)?;
    prepared.write(paths, options, &staging, None)?;
    timer.lap("markdown, render, write and check links");
    if prepared.titles_held(&scanned) {
        // The links were checked as the last files were written.
        return finish(prepared, staging, options, timer);
    }
    drop(staging);
    let mut prepared = prepare(paths, options, &mut timer, Mode::Retry)?;
    let staging = Staging::new(&out_dir)?;
    prepared.write(paths, options, &staging, None)?;
    timer.lap("render and write again (a heading the title scan missed)");
    finish(prepared, staging, options, timer)
}

/// Every version of a handbook with `versions:` (`versions::build`): each
/// loaded and laid out first, `ui` told their pages, then each written into
/// its folder of one staging output. An older version that does not load
/// (no content yet, a config that does not parse) is left out with a
/// warning; the root's errors are the build's.
pub(crate) fn build_versions(
    options: &BuildOptions,
    out_dir: &std::path::Path,
    version_paths: Vec<Paths>,
    make: crate::version_site::MakeVersion,
    warnings: &mut Vec<String>,
    ui: crate::version_site::TellPages,
    mut timer: Timer,
) -> Result<BuildReport> {
    // Oldest first: each version is compared with the last one that built.
    let mut versions = Vec::new();
    let mut previous = None;
    let mut root_failed = None;
    for (i, paths) in version_paths.into_iter().enumerate().rev() {
        let build = make(i, previous, i == 0)?;
        let mut options = options.clone();
        options.out = Some(out_dir.to_path_buf());
        options.version = Some(Arc::clone(&build));
        match prepare(&paths, &options, &mut timer, Mode::Build) {
            Ok(prepared) => {
                versions.push((i, previous, paths, options, build, prepared));
                previous = Some(i);
            }
            // A release that does not build is left out; the working tree's
            // errors are the build's.
            Err(e) if build.version.release => {
                let said = e.render(false);
                warnings.push(format!(
                    "version {} (tag `{}`) is left out: {}",
                    build.version.name,
                    build.version.tag.as_deref().unwrap_or("-"),
                    said.lines().next().unwrap_or_default()
                ));
                if i == 0 {
                    root_failed = Some(e);
                }
            }
            Err(e) => return Err(e),
        }
    }
    // The latest release did not build: the newest that did takes its place.
    if let Some(e) = root_failed {
        let Some((i, previous, paths, mut options, ..)) = versions.pop() else {
            return Err(e);
        };
        let build = make(i, previous, true)?;
        options.version = Some(Arc::clone(&build));
        let prepared = prepare(&paths, &options, &mut timer, Mode::Build)?;
        versions.push((i, previous, paths, options, build, prepared));
    }
    versions.reverse();
    let versions: Vec<_> = versions
        .into_iter()
        .map(|(_, _, paths, options, build, prepared)| (paths, options, build, prepared))
        .collect();
    let built: Vec<_> = versions.iter().map(|(_, _, b, _)| Arc::clone(b)).collect();
    let maps: Vec<_> = versions.iter().map(|(.., p)| p.page_map()).collect();
    timer.lap("versions: load and lay out");
    ui(&built, maps)?;
    timer.lap("versions: renames for the switchers");
    let staging = Staging::new(out_dir)?;
    let mut findings = Vec::new();
    let mut pages = 0;
    let mut root = None;
    // The files of the version written before, by hash: an older release's
    // page the same as the next release's is linked to it.
    let mut before: Option<(String, HashMap<String, u128>)> = None;
    // The pages the older version written before kept for the next
    // (`Carried`): each the next has the same is linked, unrendered.
    let mut carried = HashMap::new();
    for (paths, options, build, mut prepared) in versions {
        if !build.version.dir.is_empty() {
            let _ = build.before.set(std::mem::take(&mut carried));
        }
        let sink = Prefixed {
            inner: &staging,
            dir: &build.version.dir,
            wrote: Mutex::default(),
            like: before
                .as_ref()
                .filter(|(dir, _)| !dir.is_empty() && !build.version.dir.is_empty()),
        };
        let scanned = prepared.titles();
        prepared.write(&paths, &options, &sink, None)?;
        if !prepared.titles_held(&scanned) {
            // Laid out with titles that were not the pages': nothing of
            // this version is the next's.
            lock(&build.written).clear();
            prepared = prepare(&paths, &options, &mut timer, Mode::Retry)?;
            prepared.write(&paths, &options, &sink, None)?;
        }
        carried = std::mem::take(&mut *lock(&build.written));
        let wrote = sink.wrote.into_inner().unwrap_or_else(|e| e.into_inner());
        before = Some((build.version.dir.clone(), wrote));
        pages += prepared.site.pages.len();
        let label = |text: &str| match build.version.dir.is_empty() {
            true => text.to_string(),
            false => format!("[{}] {text}", build.version.name),
        };
        findings.extend(prepared.findings.iter().map(|f| {
            let mut f = f.clone();
            f.message = label(&f.message);
            f
        }));
        warnings.extend(prepared.warnings.iter().map(|w| label(w)));
        warnings.extend(prepared.page_warnings().iter().map(|w| label(w)));
        if root.is_none() {
            root = Some(prepared);
        }
    }
    timer.lap("versions: markdown, render, write and check links");
    let Some(root) = root else {
        return Err(Error::NoGuides { folder: ".".into() });
    };
    let report = BuildReport {
        out_dir: out_dir.to_path_buf(),
        pages,
        written: false,
        files: Default::default(),
        warnings: std::mem::take(warnings),
        findings,
        timings: Vec::new(),
        site: Some(BuiltSite(root)),
        shared_renderings: built.first().map(|b| {
            let linked = built.iter().map(|b| b.linked.load(Ordering::Relaxed));
            (b.cache.hits(), linked.sum())
        }),
    };
    put_in_place(report, staging, options, timer)
}

/// A version's folder of the output.
struct Prefixed<'a> {
    inner: &'a Staging,
    /// `/`-terminated, or empty for the root.
    dir: &'a str,
    /// Each file written here (its path in the folder) and its bytes' hash.
    wrote: Mutex<HashMap<String, u128>>,
    /// The folder of the version written before, and what it wrote: a file
    /// with the same bytes there is linked, not written again. Most pages
    /// of older releases are the same from one to the next.
    like: Option<&'a (String, HashMap<String, u128>)>,
}

impl Sink for Prefixed<'_> {
    fn write(&self, rel: &str, contents: &[u8]) -> Result<()> {
        self.write_parts(rel, &[contents])
    }

    fn write_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<()> {
        let hash = parts_hash(parts);
        let like = self.like.and_then(|(dir, wrote)| {
            (wrote.get(rel) == Some(&hash)).then(|| format!("{dir}{rel}"))
        });
        self.wrote
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string(), hash);
        self.inner
            .write_parts_like(&format!("{}{rel}", self.dir), parts, like.as_deref())
    }

    fn copy(&self, rel: &str, from: &std::path::Path) -> Result<()> {
        let bytes = std::fs::read(from).map_err(|e| Error::io("copying", from, e))?;
        self.write(rel, &bytes)
    }

    fn link_before(&self, rel: &str) -> Result<bool> {
        let Some((dir, wrote)) = self.like else {
            return Ok(false);
        };
        let Some(&hash) = wrote.get(rel) else {
            return Ok(false);
        };
        if !self
            .inner
            .link(&format!("{}{rel}", self.dir), &format!("{dir}{rel}"))?
        {
            return Ok(false);
        }
        lock(&self.wrote).insert(rel.to_string(), hash);
        Ok(true)
    }
}

/// A 128-bit hash of `parts` as they are split (a page is split the same
/// way in every version: chrome, content, chrome), each part's length
/// hashed with it, so that `["ab", "c"]` and `["a", "bc"]` differ (a title
/// and its page's content). Inputs of the same hash are taken to be the
/// same: two keyed 64-bit hashes, which no two of a site's files share by
/// chance.
fn parts_hash(parts: &[&[u8]]) -> u128 {
    use std::hash::{BuildHasher, Hasher};
    let mut a = ahash::RandomState::with_seeds(1, 2, 3, 4).build_hasher();
    let mut b = ahash::RandomState::with_seeds(5, 6, 7, 8).build_hasher();
    for part in parts {
        for h in [&mut a, &mut b] {
            h.write_usize(part.len());
            h.write(part);
        }
    }
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

/// Reports the findings and, unless `--strict` found broken links, puts the
/// staged output in place.
fn finish(
    prepared: Prepared,
    staging: Staging,
    options: &BuildOptions,
    timer: Timer,
) -> Result<BuildReport> {
    let mut report = BuildReport {
        out_dir: prepared.out_dir.clone(),
        pages: prepared.site.pages.len(),
        written: false,
        files: Default::default(),
        warnings: prepared.warnings.clone(),
        findings: prepared.findings.clone(),
        timings: Vec::new(),
        site: None,
        shared_renderings: None,
    };
    report.warnings.extend(prepared.page_warnings());
    report.site = Some(BuiltSite(prepared));
    put_in_place(report, staging, options, timer)
}

/// Puts the staged output in place, unless `--strict` met a broken link:
/// nothing staged is kept then, and the output stays as it was.
fn put_in_place(
    mut report: BuildReport,
    staging: Staging,
    options: &BuildOptions,
    mut timer: Timer,
) -> Result<BuildReport> {
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error);
    if options.strict && errors.count() > 0 {
        drop(staging);
        report.timings = timer.into_laps();
        return Ok(report);
    }
    report.files = staging.commit()?;
    timer.lap("update output");
    report.timings = timer.into_laps();
    report.written = true;
    Ok(report)
}

/// Markdown results kept between `serve` rebuilds: a guide whose text, and
/// the site around it, did not change is not rendered again.
#[derive(Default)]
pub struct MarkdownCache {
    /// The pages, assets and data the rendering depended on.
    pub fingerprint: u64,
    /// Guide path → (hash of its text, its rendering).
    pub pages: HashMap<String, (u64, Rendered)>,
    /// Guide path → the guide as last loaded, reused while its file's
    /// modification time and length hold.
    pub guides: HashMap<String, Guide>,
}

/// How `prepare` loads and renders, and what it keeps.
pub enum Mode<'a> {
    /// `almanac build`: the sources held only up to a budget, each guide's
    /// markdown rendered as its page is written and its HTML dropped once
    /// written, so the site's HTML is never held at once. Titles come from
    /// `title::first_heading_title`, checked after writing.
    Build,
    /// `almanac build` again when a title the quick scan found was not the
    /// page's: every guide rendered before any page is written, its source
    /// dropped once rendered; the links checked before writing.
    Retry,
    /// A `serve` rebuild: every guide rendered before writing and its source
    /// kept, for the next rebuild to reuse (`reuse`, when only content
    /// changed). No check of the links: serve shows pages, not findings.
    Serve(Option<Reuse<'a>>),
}

/// What a `serve` rebuild takes back from the last one.
pub struct Reuse<'a> {
    pub cache: &'a mut MarkdownCache,
    /// The git history last read (`None`: read it).
    pub history: Option<&'a history::History>,
}

impl Mode<'_> {
    fn streamed(&self) -> bool {
        matches!(self, Mode::Build)
    }
}

/// Everything loaded and rendered, ready to be written.
pub struct Prepared {
    project: Project,
    index: SiteIndex,
    history: history::History,
    /// Each guide's markdown; in a streamed build, until its pages are
    /// written, only the titles a quick scan found.
    rendered: Vec<Rendered>,
    site: Site,
    findings: Vec<Finding>,
    warnings: Vec<String>,
    theme: Theme,
    today: NaiveDate,
    out_dir: PathBuf,
    /// The docs check's summary for the report pages.
    docs: DocsCheck,
    /// A streamed build's sources, rendered as their pages are written.
    streamed: Option<Streamed>,
    /// A `serve` rebuild's record for the next one.
    served: Option<Served>,
    /// Each page's search data as the last `write` read it, by URL: `serve`
    /// hands them to its next rebuild, which reads only the pages it writes
    /// again.
    search_entries: Mutex<crate::search::Pages>,
}

/// What a streamed build (`Mode::Build`) keeps to render each page as it is
/// written.
struct Streamed {
    /// What was read of each guide before writing its page: the page must be
    /// written from a file that still starts that way.
    seen: Vec<Seen>,
    /// The sources read whole, each taken by its page.
    sources: Vec<Mutex<Option<String>>>,
}

/// What a `serve` rebuild records for the next one.
struct Served {
    /// Guides rendered again (not taken from the cache).
    fresh: Vec<usize>,
    /// `text_hash` of each guide's source.
    hashes: Vec<u64>,
    /// `MarkdownInput::fingerprint` of this rebuild.
    fingerprint: u64,
}

/// The docs check behind the report pages' docs health.
enum DocsCheck {
    /// Worked out from what the build loaded (or the error that stopped it,
    /// which fails the build only if the site has a report page).
    Done(Result<report::DocsHealth>),
    /// The check must load the project itself: the build left drafts out
    /// (the check reads them) or read only the first lines of some sources
    /// (past the source budget).
    FromDisk,
}

/// The first `len` bytes of a guide's file as read by `prepare`, by `text_hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub len: usize,
    pub hash: u64,
}

/// The stages before writing: load; index (history, site index, theme, and
/// a streamed build's titles); check the docs for the report pages while
/// every source is whole; render the markdown (or hold the sources, as
/// `mode` says); check the links; lay out the site.
pub fn prepare(
    paths: &Paths,
    options: &BuildOptions,
    timer: &mut Timer,
    mut mode: Mode,
) -> Result<Prepared> {
    let mut project = load(paths, options, &mut mode)?;
    timer.lap("load");
    let out_dir = output_dir(&project, options)?;
    let cached_history = match &mode {
        Mode::Serve(Some(reuse)) => reuse.history,
        _ => None,
    };
    let today = options.today;
    let version = options.version.as_deref();
    let (history, index, theme, mut scanned) =
        lay_out(&project, cached_history, version, mode.streamed())?;
    let calendar = project.calendar.as_ref().map(|(c, _)| c);
    let data = ReleaseData::new(calendar, project.metrics.as_ref(), &history.releases, today);
    let index = index.with_generated(data.pages().into_iter().map(|p| p.url));
    timer.lap(match mode.streamed() {
        true => "git history, site index, theme and titles",
        false => "git history, site index and theme",
    });
    if let Some(scanned) = &mut scanned {
        take_rereads(&mut project.guides, scanned);
    }
    let docs = docs_check(options, &project, &index, &history, &data);
    let retry = matches!(mode, Mode::Retry);
    let (rendered, streamed, served) = match mode {
        Mode::Build => {
            let (titles, streamed) = hold_sources(&mut project.guides, scanned.unwrap_or_default());
            (titles, Some(streamed), None)
        }
        Mode::Retry => {
            let shared = MarkdownInput::new(&project, &index, &data);
            let (rendered, _) =
                render_markdown_cached(&mut project.guides, &[], &shared, None, Sources::Drop)?;
            timer.lap("markdown");
            (rendered, None, None)
        }
        Mode::Serve(reuse) => {
            let shared = MarkdownInput::new(&project, &index, &data);
            let (rendered, served) = render_for_serve(&mut project.guides, &shared, reuse)?;
            timer.lap("markdown");
            (rendered, None, Some(served))
        }
    };
    // A streamed build checks the links as it writes its last pages; `serve`
    // shows pages, not findings.
    let findings = if retry {
        let mut findings =
            check::links::check(&project.guides, &rendered, &index, project.config.generator);
        crate::include::relocate(&mut findings, &project.guides, &rendered);
        timer.lap("check links");
        findings
    } else {
        Vec::new()
    };
    let elsewhere = options.version.as_ref().is_some_and(|v| v.data_elsewhere());
    let (site, warnings) = lay_out_site(
        &project, &rendered, &index, &history, &data, today, elsewhere,
    );
    timer.lap("site");
    Ok(Prepared {
        project,
        index,
        history,
        rendered,
        site,
        findings,
        warnings,
        theme,
        today,
        out_dir,
        docs,
        streamed,
        served,
        search_entries: Mutex::default(),
    })
}

/// The project, taking back from a `serve` cache the guides whose files did
/// not change. A streamed build holds the sources it reads only up to a budget.
fn load(paths: &Paths, options: &BuildOptions, mode: &mut Mode) -> Result<Project> {
    let mut earlier = match mode {
        Mode::Serve(Some(reuse)) => Some(std::mem::take(&mut reuse.cache.guides)),
        _ => None,
    };
    let texts = match mode {
        // An older version holds none: every version is laid out before
        // any is written, and their sources together would weigh as many
        // sites; each page is read again as it is written.
        Mode::Build if options.version.as_ref().is_some_and(|v| v.data_elsewhere()) => {
            Texts::Bounded(0)
        }
        Mode::Build => Texts::Bounded(crate::project::source_budget()),
        Mode::Retry | Mode::Serve(_) => Texts::Whole,
    };
    let mut project =
        Project::load_reusing(paths, options.drafts, Load::Strict, texts, earlier.as_mut())?;
    if let Some(version) = &options.version {
        version.adjust(&mut project);
    }
    Ok(project)
}

/// The output folder, once it is known to be safe to replace and there is
/// something to build.
fn output_dir(project: &Project, options: &BuildOptions) -> Result<PathBuf> {
    let out_dir = project.output_dir(options.out.as_deref());
    check_output_dir(
        &project.root,
        &out_dir,
        &[
            &project.content_dir,
            &project.data_dir,
            &project.root.join("templates"),
            &project.root.join("themes"),
            &project.root.join("static"),
            &project.root.join("scripts"),
            &project.root.join(".git"),
        ],
    )?;
    if project.guides.is_empty() {
        return Err(Error::NoGuides {
            folder: if project.content_prefix.is_empty() {
                ".".into()
            } else {
                project.content_prefix.clone()
            },
        });
    }
    Ok(out_dir)
}

/// The history, the index of the site and the theme; with each guide's
/// title from a quick scan in a streamed build, done meanwhile (none needs
/// another).
fn lay_out(
    project: &Project,
    cached_history: Option<&history::History>,
    version: Option<&crate::version_site::VersionBuild>,
    streamed: bool,
) -> Result<(
    history::History,
    SiteIndex,
    Theme,
    Option<Vec<ScannedTitle>>,
)> {
    let calendar = project.calendar.as_ref().map(|(c, _)| c);
    let tag_pattern = calendar.map_or("v{version}", |c| c.tag_pattern.as_str());
    let layout = || {
        let history = match cached_history {
            Some(h) => Ok(h.clone()),
            None => {
                let files: Vec<String> = project.guides.iter().map(|g| g.file.clone()).collect();
                match version.and_then(|v| v.history_at.as_ref().map(|at| (v, at))) {
                    // A version's pages are as old as its tag says; its
                    // releases are every version's.
                    Some((v, (repo, at))) => v.history(
                        || history::read_at(repo, tag_pattern, &files, (*at, &v.changed)),
                        || history::updates_at(repo, tag_pattern, &files, (*at, &v.changed)),
                    ),
                    None => history::read(&project.root, tag_pattern, &files),
                }
            }
        };
        let theme = Theme::load(&project.root, &project.config);
        (history, SiteIndex::new(project), theme)
    };
    let ((history, index, theme), scanned) = if streamed {
        let (layout, scanned) = rayon::join(layout, || scan_titles(project));
        (layout, Some(scanned?))
    } else {
        (layout(), None)
    };
    Ok((history?, index, theme?, scanned))
}

/// Puts back into the guides the sources the title scan read whole again
/// (their first lines held no title).
fn take_rereads(guides: &mut [Guide], scanned: &mut [ScannedTitle]) {
    for (g, scan) in guides.iter_mut().zip(scanned) {
        if let Some(text) = scan.reread.take() {
            g.text = text;
            g.partial = false;
        }
    }
}

/// The docs check for the report pages, on the project as loaded (its
/// sources still whole). The check reads drafts: a build that left some out
/// (or that read only the first lines of sources past its budget) leaves
/// the check to load the project itself.
fn docs_check(
    options: &BuildOptions,
    project: &Project,
    index: &SiteIndex,
    history: &history::History,
    data: &ReleaseData,
) -> DocsCheck {
    let reports = data
        .pages()
        .into_iter()
        .any(|p| matches!(p.data, Some(DataPage::Report(_))));
    if !reports {
        return DocsCheck::Done(Ok(report::DocsHealth::default()));
    }
    if (project.drafts_left_out && !options.drafts) || project.guides.iter().any(|g| g.partial) {
        return DocsCheck::FromDisk;
    }
    let scanned = check::scan(project);
    let checked = check::check_project(
        project,
        index,
        history,
        &scanned,
        &check_options(data.today),
    );
    DocsCheck::Done(checked.map(|c| report::docs_health(&c)))
}

/// The check's options for the report pages' docs health.
fn check_options(today: NaiveDate) -> check::CheckOptions {
    check::CheckOptions {
        changed_since: None,
        external: false,
        progress: check::external::Progress::Hidden,
        today,
        at: None,
    }
}

/// A streamed build's sources, moved out of the guides: a source read whole
/// is kept for its page; past the budget only the first lines were read
/// (unless the heading comes later), and the page reads its source when it
/// is written, so a large site is never held at once. With the titles the
/// scan found, as the pages' markdown until they are written.
fn hold_sources(guides: &mut [Guide], scanned: Vec<ScannedTitle>) -> (Vec<Rendered>, Streamed) {
    let mut titles = Vec::with_capacity(scanned.len());
    let mut streamed = Streamed {
        seen: Vec::with_capacity(scanned.len()),
        sources: Vec::with_capacity(scanned.len()),
    };
    for (g, scan) in guides.iter_mut().zip(scanned) {
        let text = std::mem::take(&mut g.text);
        titles.push(Rendered {
            title: scan.title,
            ..Rendered::default()
        });
        streamed.seen.push(scan.seen);
        streamed
            .sources
            .push(Mutex::new((!g.partial).then_some(text)));
    }
    (titles, streamed)
}

/// A `serve` rebuild's markdown, reusing the last rebuild's where the inputs
/// and a guide's text are the same; the sources are kept.
fn render_for_serve(
    guides: &mut [Guide],
    shared: &MarkdownInput,
    reuse: Option<Reuse>,
) -> Result<(Vec<Rendered>, Served)> {
    let fingerprint = shared.fingerprint();
    let cached = reuse
        .map(|r| r.cache)
        .filter(|c| c.fingerprint == fingerprint);
    // A guide taken back unchanged from the last load keeps its hash.
    let known = |g: &Guide| {
        let cache = cached.as_deref()?;
        g.reused
            .then(|| cache.pages.get(&g.path).map(|(h, _)| *h))?
    };
    let hashes: Vec<u64> = guides
        .par_iter()
        .map(|g| known(g).unwrap_or_else(|| text_hash(&g.text)))
        .collect();
    let (rendered, fresh) = render_markdown_cached(guides, &hashes, shared, cached, Sources::Keep)?;
    let served = Served {
        fresh,
        hashes,
        fingerprint,
    };
    Ok((rendered, served))
}

/// The site's pages, data pages included unless a page of the content has
/// their URL; and the warnings of the load, the history and the layout.
fn lay_out_site(
    project: &Project,
    rendered: &[Rendered],
    index: &SiteIndex,
    history: &history::History,
    data: &ReleaseData,
    today: NaiveDate,
    elsewhere: bool,
) -> (Site, Vec<String>) {
    let title = project.title();
    let mut site = Site::new(&project.guides, rendered, index, &title);
    site.place_sections(&project.nav_sections);
    let mut warnings = project.warnings.clone();
    // Tags matter only when a past release has no `actual:` date to fall back
    // on; last-updated dates matter to every site.
    let calendar = project.calendar.as_ref().map(|(c, _)| c);
    let tags_needed = calendar.is_some_and(|c| {
        c.releases
            .iter()
            .any(|r| r.actual.is_none() && r.status.is_none() && r.latest_planned() < today)
    });
    for note in &history.notes {
        if tags_needed || !note.contains("tags") {
            warnings.push(note.clone());
        }
    }
    let urls: HashSet<&str> = site.pages.iter().map(|q| q.url.as_str()).collect();
    let sections: HashSet<&str> = site
        .pages
        .iter()
        .filter_map(|q| q.section.as_deref())
        .collect();
    let data_pages: Vec<SitePage> = data
        .pages()
        .into_iter()
        .filter(|p| {
            let taken = urls.contains(p.url.as_str())
                || p.section.as_deref().is_some_and(|s| sections.contains(s));
            if taken {
                warnings.push(format!(
                    "`{}` is a page of the content already: the generated one is left out",
                    p.url
                ));
            }
            !taken
        })
        .map(|mut p| {
            // An older version links to the root's data pages.
            if elsewhere {
                p.url = format!("../{}", p.url);
            }
            p
        })
        .collect();
    site.add_pages(data_pages);
    (site, warnings)
}

impl Prepared {
    /// The git history as read for this build.
    pub fn history(&self) -> &history::History {
        &self.history
    }

    /// How many pages the site has.
    pub fn page_count(&self) -> usize {
        self.site.order.len()
    }

    /// The site's shape: each page's URL, title and place. `serve` renders
    /// only the changed pages again while it holds.
    pub fn shape(&self) -> Vec<String> {
        self.site
            .pages
            .iter()
            .map(|p| {
                format!(
                    "{}|{}|{:?}|{:?}|{:?}|{:?}",
                    p.url, p.title, p.parent, p.section, p.weight, p.description
                )
            })
            .collect()
    }

    /// Each guide's title as the navigation was laid out with.
    fn titles(&self) -> Vec<Option<String>> {
        self.rendered.iter().map(|r| r.title.clone()).collect()
    }

    /// The pages as the version switcher sees them: each guide's file and
    /// URL, and every URL written here.
    pub(crate) fn page_map(&self) -> crate::version_site::PageMap {
        let mut map = crate::version_site::PageMap::default();
        for page in self.site.pages.iter().filter(|p| !p.heading) {
            if page.url.starts_with("../") {
                continue;
            }
            if let Some(g) = page.guide {
                map.files
                    .insert(self.project.guides[g].file.clone(), page.url.clone());
            }
            map.urls.insert(page.url.clone());
        }
        map
    }

    /// Whether the titles the navigation was laid out with (`scanned`) are
    /// the pages' own, now rendered (where the front matter gives none).
    fn titles_held(&self, scanned: &[Option<String>]) -> bool {
        self.rendered
            .iter()
            .zip(scanned)
            .zip(&self.project.guides)
            .all(|((r, scanned), g)| g.front.title.is_some() || r.title == *scanned)
    }

    /// Warnings about the pages' markdown: unsafe heading ids, the includes
    /// of other generators not done and the shortcodes left out.
    fn page_warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        let guides = self.project.guides.iter().zip(&self.rendered);
        for (guide, unsafe_id) in guides.flat_map(|(g, r)| r.unsafe_ids.iter().map(move |u| (g, u)))
        {
            warnings.push(format!(
                "{}:{}:{}: the heading id `{}` holds characters unsafe in an HTML attribute or a URL; the page uses `#{}`",
                guide.file, unsafe_id.line, unsafe_id.column, unsafe_id.written, unsafe_id.id
            ));
        }
        let expansions = self.rendered.iter().filter_map(|r| r.expansion.as_deref());
        for p in expansions.clone().flat_map(|x| &x.problems) {
            warnings.push(format!("{}:{}:{}: {}", p.file, p.line, p.column, p.message));
        }
        warnings.extend(crate::include::summary(expansions.flat_map(|x| &x.skipped)));
        warnings
    }

    /// The page indexes of the guides rendered again in this `serve` rebuild.
    pub fn fresh_pages(&self) -> HashSet<usize> {
        self.served
            .iter()
            .flat_map(|s| &s.fresh)
            .map(|&g| self.site.page_index_of_guide(g))
            .collect()
    }

    /// The page indexes of the report pages, whose docs health any edit of
    /// the content may change.
    pub fn report_pages(&self) -> impl Iterator<Item = usize> + '_ {
        self.site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.data, Some(DataPage::Report(_))))
            .map(|(i, _)| i)
    }

    /// `MarkdownInput::fingerprint` of a `serve` rebuild (0 otherwise).
    pub fn fingerprint(&self) -> u64 {
        self.served.as_ref().map_or(0, |s| s.fingerprint)
    }

    /// Hands the pages not written again their last search entries (`serve`).
    pub(crate) fn keep_search_entries(&mut self, entries: crate::search::Pages) {
        *self
            .search_entries
            .get_mut()
            .unwrap_or_else(|e| e.into_inner()) = entries;
    }

    /// Each page's search data as the last `write` read it.
    pub(crate) fn take_search_entries(&mut self) -> crate::search::Pages {
        std::mem::take(
            self.search_entries
                .get_mut()
                .unwrap_or_else(|e| e.into_inner()),
        )
    }

    /// The rendered pages and the guides, for the next `serve` rebuild,
    /// which takes back the guides unless their files changed.
    pub fn into_cache(self) -> MarkdownCache {
        let fingerprint = self.fingerprint();
        let hashes = self.served.map(|s| s.hashes).unwrap_or_default();
        let mut cache = MarkdownCache {
            fingerprint,
            pages: HashMap::with_capacity(self.rendered.len()),
            guides: HashMap::with_capacity(self.rendered.len()),
        };
        for ((g, r), hash) in self
            .project
            .guides
            .into_iter()
            .zip(self.rendered)
            .zip(&hashes)
        {
            cache.pages.insert(g.path.clone(), (*hash, r));
            cache.guides.insert(g.path.clone(), g);
        }
        cache
    }

    /// Renders the pages (all, or only the page indexes in `only`) and every
    /// other file into `out`.
    pub fn write(
        &mut self,
        paths: &Paths,
        options: &BuildOptions,
        out: &dyn Sink,
        only: Option<&HashSet<usize>>,
    ) -> Result<()> {
        let Prepared {
            project,
            index,
            history,
            rendered,
            site,
            theme,
            today,
            streamed,
            search_entries,
            docs,
            served,
            ..
        } = self;
        let today = *today;
        let calendar = project.calendar.as_ref().map(|(c, _)| c);
        let rules = crate::releases::ChangelogRules::new(&project.config.changelog);
        let data = ReleaseData::with_rules(
            calendar,
            project.metrics.as_ref(),
            &history.releases,
            today,
            &rules,
        )
        .with_first_commits(&history.first_commits)
        .with_site(&project.config, history.remote.as_deref());
        // Report pages carry the docs check's summary, worked out once for all of them.
        let wants_report = site.pages.iter().enumerate().any(|(i, p)| {
            matches!(p.data, Some(DataPage::Report(_))) && only.is_none_or(|o| o.contains(&i))
        });
        let docs = match std::mem::replace(docs, DocsCheck::FromDisk) {
            _ if !wants_report => report::DocsHealth::default(),
            DocsCheck::Done(docs) => docs?,
            DocsCheck::FromDisk => {
                report::docs_health(&check::run(paths, &check_options(data.today))?)
            }
        };
        let title = project.title();
        // A streamed build renders each guide's markdown as its page is
        // written: the titles the site was laid out with are not read again.
        if streamed.is_some() {
            *rendered = Vec::new();
        }
        let input = SiteInput {
            project,
            index,
            site,
            rendered,
            data: &data,
            updates: &history.updates,
            docs: &docs,
            streamed: streamed.as_ref(),
            search_entries,
            serving: served.is_some(),
            version: options.version.as_deref(),
        };
        let written = write_site(&input, options, &title, theme, out, only)?;
        if let Some(done) = written.rendered {
            // What the pages' markdown gave, their HTML left out: titles,
            // anchors and links.
            *rendered = done;
        }
        if let Some(found) = written.findings {
            self.findings = found;
        }
        Ok(())
    }
}

/// A hash of a guide's source that `serve` compares between rebuilds.
fn text_hash(text: &str) -> u64 {
    stable_hash(text.as_bytes())
}

/// A hash with fixed keys: the same bytes hash the same in every rebuild
/// (sources, and the files `serve` wrote).
pub(crate) fn stable_hash(bytes: &[u8]) -> u64 {
    ahash::RandomState::with_seeds(1, 2, 3, 4).hash_one(bytes)
}

/// What becomes of a guide's source once its markdown is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sources {
    /// Kept for the next `serve` rebuild.
    Keep,
    /// Dropped: it is not needed again.
    Drop,
}

/// `render_markdown`, reusing the cache's result for guides whose text did not change.
fn render_markdown_cached(
    guides: &mut [Guide],
    hashes: &[u64],
    shared: &MarkdownInput,
    cache: Option<&mut MarkdownCache>,
    sources: Sources,
) -> Result<(Vec<Rendered>, Vec<usize>)> {
    // Cached pages are moved out of the cache, not copied.
    let mut rendered: Vec<Option<Rendered>> = match cache {
        None => vec![None; guides.len()],
        Some(cache) => guides
            .iter()
            .enumerate()
            .map(|(i, guide)| match cache.pages.remove(&guide.path) {
                // A page with includes is as fresh as the files it includes.
                Some((hash, r))
                    if hashes.get(i) == Some(&hash)
                        && r.expansion
                            .as_ref()
                            .is_none_or(|x| x.includes_unchanged(&shared.root)) =>
                {
                    Some(r)
                }
                _ => None,
            })
            .collect(),
    };
    let fresh: Vec<usize> = (0..rendered.len())
        .filter(|&i| rendered[i].is_none())
        .collect();
    let results: Vec<Result<Rendered>> = guides
        .par_iter_mut()
        .zip(rendered.par_iter())
        .filter(|(_, done)| done.is_none())
        .map(|(guide, _)| {
            // The page's HTML is kept until the site is written: no slack.
            let page = render_one(shared, guide, &guide.text).map(|mut r| {
                r.html.shrink_to_fit();
                r
            });
            if sources == Sources::Drop {
                // The page's HTML is kept until the site is written; its
                // source is not needed again, and at 10,000 pages they weigh
                // as much as each other.
                guide.text = String::new();
            }
            page
        })
        .collect();
    for (&i, r) in fresh.iter().zip(results) {
        rendered[i] = Some(r?);
    }
    let rendered = rendered
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    Ok((rendered, fresh))
}

/// What the markdown pass of every guide shares.
struct MarkdownInput<'a> {
    /// A hash of the project's pages, assets, config and data files, which
    /// the index and the release data were made from.
    project: u64,
    /// A hash of the data alone (`across_versions`).
    data_hash: u64,
    /// `across_versions`, worked out once.
    across: u64,
    /// The data's pages and charts are a folder up (an older version's).
    data_up: bool,
    index: &'a SiteIndex,
    data: &'a ReleaseData<'a>,
    /// `https://host/org/repo/blob/main` when a repository URL is configured.
    blob_base: Option<String>,
    kpi_ids: Vec<String>,
    metrics_file: String,
    /// The repository, where included files are read.
    root: std::path::PathBuf,
    /// Search text kept per page by the markdown pass: none, the index
    /// reads the pages' HTML.
    text_limit: usize,
    /// The heading ids of the generator the docs were written for (Zola,
    /// VitePress), which their links name: each heading gets its id too.
    generator_slug: Option<fn(&str) -> String>,
    /// The variables an MkDocs site's `macros` plugin fills in.
    macro_vars: crate::include::Vars,
}

impl<'a> MarkdownInput<'a> {
    fn new(project: &Project, index: &'a SiteIndex, data: &'a ReleaseData<'a>) -> Self {
        let mut input = MarkdownInput {
            project: project_hash(project),
            across: 0,
            data_hash: data_hash(project),
            data_up: false,
            index,
            data,
            blob_base: blob_base(project),
            kpi_ids: project
                .metrics
                .iter()
                .flat_map(|m| m.kpis.iter().map(|k| k.id.clone()))
                .collect(),
            metrics_file: project.metrics_file(),
            root: project.root.clone(),
            text_limit: 0,
            macro_vars: project.config.macro_vars.clone(),
            generator_slug: match project.config.generator {
                Some("Zola") => Some(crate::slug::zola_slug),
                Some("VitePress" | "VuePress") => Some(crate::slug::vitepress_slug),
                Some("GitBook") => Some(crate::slug::gitbook_slug),
                _ => None,
            },
        };
        input.across = input.across_versions();
        input
    }

    /// `fingerprint` but for the root, and for the site's pages: versions
    /// are laid out in folders of their own, which matters only to pages with
    /// includes (not shared), and a page's links are compared one by one
    /// (`RenderCache`).
    fn across_versions(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (
            self.data_hash,
            &self.blob_base,
            &self.kpi_ids,
            &self.metrics_file,
            self.text_limit,
        )
            .hash(&mut h);
        h.finish()
    }

    /// A hash of everything a page's markdown rendering depends on besides
    /// its own text, for `serve` to tell when a rendering can be reused.
    /// Every field is named here: a new input of the markdown pass is hashed
    /// or said not to matter.
    fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let MarkdownInput {
            project,
            // Part of `project`.
            data_hash: _,
            // Made of the fields hashed here.
            across: _,
            data_up,
            // Made from the project's pages, assets and config (`project`).
            index: _,
            // Made from the data files (`project`) and the history, which a
            // rebuild that reuses renderings reuses too.
            data: _,
            blob_base,
            kpi_ids,
            metrics_file,
            root,
            text_limit,
            // From the project's config (`project`).
            generator_slug: _,
            macro_vars: _,
        } = self;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (
            project,
            blob_base,
            kpi_ids,
            metrics_file,
            root,
            text_limit,
            data_up,
        )
            .hash(&mut h);
        h.finish()
    }
}

/// A hash of the data (shortcodes), all a page's markdown pass takes from
/// the project besides its links (`MarkdownInput`'s other fields).
fn data_hash(project: &Project) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    project.calendar.as_ref().map(|(_, text)| text).hash(&mut h);
    format!("{:?}", project.metrics).hash(&mut h);
    h.finish()
}

/// A hash of what the site index and the release data are made from: the
/// set of pages and assets (link rewriting) and the data (shortcodes).
fn project_hash(project: &Project) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for g in &project.guides {
        g.path.hash(&mut h);
    }
    project.assets.hash(&mut h);
    project.calendar.as_ref().map(|(_, text)| text).hash(&mut h);
    format!("{:?}", project.metrics).hash(&mut h);
    format!("{:?}", project.config).hash(&mut h);
    h.finish()
}

/// One guide's markdown pass: other generators' includes and shortcodes
/// expanded first (`include`), links rewritten to output pages, shortcodes
/// expanded with the release data.
fn render_one(shared: &MarkdownInput, guide: &Guide, text: &str) -> Result<Rendered> {
    render_recording(shared, guide, text, None)
}

/// `render_one`, recording into `rewrites` how each link was rewritten.
fn render_recording(
    shared: &MarkdownInput,
    guide: &Guide,
    text: &str,
    rewrites: Option<&std::cell::RefCell<crate::version_site::Rewrites>>,
) -> Result<Rendered> {
    if !crate::include::needed(text, guide.body_start, &shared.macro_vars) {
        return render_expanded(shared, guide, text, None, rewrites);
    }
    let (expanded, expansion) = crate::include::expand(
        &shared.root,
        &guide.file,
        text,
        guide.body_start,
        &shared.macro_vars,
    );
    let mut page = render_expanded(shared, guide, &expanded, Some(&expansion), rewrites)?;
    page.expansion = Some(Box::new(expansion));
    Ok(page)
}

/// `render_one` on the guide's text once expanded (`expansion` says where
/// its lines come from).
fn render_expanded(
    shared: &MarkdownInput,
    guide: &Guide,
    text: &str,
    expansion: Option<&crate::include::Expansion>,
    rewrites: Option<&std::cell::RefCell<crate::version_site::Rewrites>>,
) -> Result<Rendered> {
    let from = page_url(&guide.path);
    let rewrite = |dest: &str| {
        let done = rewrite_link(
            shared.index,
            guide,
            &from,
            dest,
            shared.blob_base.as_deref(),
        );
        if let Some(rewrites) = rewrites {
            rewrites.borrow_mut().push((dest.to_string(), done.clone()));
        }
        done
    };
    let render = |text: &str| {
        let mut page = markdown::render_with(
            text,
            guide.body_start,
            &rewrite,
            &crate::highlight::highlight,
            shared.text_limit,
        );
        if let Some(slug) = shared.generator_slug {
            markdown::add_heading_ids(&mut page, slug);
        }
        page
    };
    let codes = shortcodes::find(text, guide.body_start);
    if codes.is_empty() {
        return Ok(render(text));
    }
    // Each shortcode becomes an HTML comment of the same length (so
    // positions stay put), replaced by its HTML after rendering.
    let kpi_ids: Vec<&str> = shared.kpi_ids.iter().map(String::as_str).collect();
    let mut root = root_prefix(&page_url(&guide.path));
    if shared.data_up {
        root.push_str("../");
    }
    let mut source = text.to_string();
    let mut expansions = Vec::with_capacity(codes.len());
    for (i, code) in codes.into_iter().enumerate().rev() {
        let at = |offset: usize, message: String| {
            let (line, column) = crate::error::line_col(text, offset);
            let mut error = Error::at(&guide.file, text, line, column, message);
            if let (Error::Located(loc), Some((file, at))) =
                (&mut error, expansion.and_then(|x| x.locate(line)))
            {
                (loc.file, loc.line) = (file.to_string(), at);
            }
            error
        };
        let code = code.map_err(|(offset, e)| at(offset, e))?;
        shortcodes::validate(&code, &kpi_ids, &shared.metrics_file)
            .map_err(|e| at(code.start, e))?;
        let placeholder = format!(
            "<!--almanac:{i}{}-->",
            " ".repeat((code.end - code.start).saturating_sub(15 + i.to_string().len()))
        );
        source.replace_range(code.start..code.end, &placeholder);
        expansions.push((placeholder, shared.data.expand(&code, &root)));
    }
    let mut page = render(&source);
    for (placeholder, html) in expansions {
        page.html = page.html.replacen(&placeholder, &html, 1);
    }
    Ok(page)
}

/// What a streamed build's quick scan found of a guide.
struct ScannedTitle {
    title: Option<String>,
    /// What the scan saw of the guide.
    seen: Seen,
    /// The guide's source, when it had to be read again to find the title
    /// (its first lines held none).
    reread: Option<String>,
}

/// Each guide's title from a quick scan of what was read (a streamed build).
fn scan_titles(project: &Project) -> Result<Vec<ScannedTitle>> {
    project
        .guides
        .par_iter()
        .map(|g| {
            let found = |title, seen| ScannedTitle {
                title,
                seen,
                reread: None,
            };
            if g.front.title.is_some() {
                return Ok(found(None, text_seen(g)));
            }
            let title = crate::title::first_heading_title(&g.text, g.body_start);
            if title.is_some() || !g.partial {
                return Ok(found(title, text_seen(g)));
            }
            let text = reread(&project.root, g, Some(text_seen(g)))?;
            let title = crate::title::first_heading_title(&text, g.body_start);
            let seen = Seen {
                len: text.len(),
                hash: text_hash(&text),
            };
            Ok(ScannedTitle {
                title,
                seen,
                reread: Some(text),
            })
        })
        .collect()
}

/// What the site's layout took from a guide, for `reread` to compare: its
/// front matter when that names the title, else all that was read.
fn text_seen(guide: &Guide) -> Seen {
    let len = match guide.front.title {
        Some(_) => guide.body_start,
        None => guide.text.len(),
    };
    Seen {
        len,
        hash: text_hash(&guide.text[..len]),
    }
}

/// A guide's source read whole for its page (a streamed build read only its
/// first lines, or let it go after the first look), refusing a file that no
/// longer starts as it did: its front matter and title are laid out already.
fn reread(root: &std::path::Path, guide: &Guide, seen: Option<Seen>) -> Result<String> {
    let path = root.join(&guide.file);
    let text = crate::error::read_text(&path, &guide.file)?;
    let same = |seen: Seen| {
        text.get(..seen.len)
            .is_some_and(|head| text_hash(head) == seen.hash)
    };
    if seen.is_some_and(|seen| !same(seen)) {
        return Err(Error::Changed {
            file: guide.file.clone(),
        });
    }
    Ok(text)
}

/// Renders every page and copies every file into `out`, pages in parallel.
fn write_site(
    input: &SiteInput,
    options: &BuildOptions,
    title: &str,
    theme: &mut Theme,
    out: &dyn Sink,
    only: Option<&HashSet<usize>>,
) -> Result<Written> {
    let project = input.project;
    let base_url = options
        .base_url
        .as_deref()
        .or(project.config.base_url.as_deref())
        .map(|u| u.trim_end_matches('/').to_string());
    let site_view = SiteView {
        title,
        description: &project.config.description,
        base_url: base_url.as_deref(),
    };
    let globals = theme.tera.global_context();
    globals.insert("site", &site_view);
    globals.insert("data", &project.data);
    let mut parts = PageParts::new(input, &site_view, theme);
    let older = input.version.is_some_and(|v| !v.version.dir.is_empty());
    // `ALMANAC_NO_CARRY` renders every page, for comparing.
    let carry = std::env::var_os("ALMANAC_NO_CARRY").is_none();
    if older && carry && parts.markdown.is_some() && only.is_none() {
        parts.carry = parts.site_key(input, theme);
    }
    let written = write_pages(input, &parts, theme, out, only)?;
    // Each page's search data: the pages written now, and the last
    // rebuild's for the others (`serve`).
    let mut searches = std::mem::take(
        &mut *input
            .search_entries
            .lock()
            .unwrap_or_else(|e| e.into_inner()),
    );
    if only.is_none() {
        searches.clear();
    }
    // A `serve` rebuild whose pages give the index what they gave it last
    // time (an edit past the part a large site indexes, a change of
    // markup) leaves the index as it is: making it is most of a large
    // site's rebuild.
    let index_unchanged = only.is_some()
        && written
            .iter()
            .flatten()
            .all(|(_, (url, search))| searches.get(url).is_some_and(|old| old == search));
    // Each written page's markdown goes to its guide's place, moved as it
    // comes: a large site's pages are never held twice.
    let n = project.guides.len();
    let mut streamed_pages = input.streamed.map(|_| vec![Rendered::default(); n]);
    let mut page_links: Vec<PageLinks> = Vec::new();
    if parts.links.is_some() {
        page_links.resize_with(n, PageLinks::default);
    }
    searches.reserve(written.len());
    for (markdown, (url, search)) in written.into_iter().flatten() {
        if let (Some(all), Some((g, r, links))) = (&mut streamed_pages, markdown) {
            all[g] = r;
            if let Some(slot) = page_links.get_mut(g) {
                *slot = links;
            }
        }
        searches.insert(url, search);
    }
    let rendered = streamed_pages.as_deref().unwrap_or(input.rendered);
    let index = (!index_unchanged).then_some(&searches);
    let check = || {
        let stream = parts.links.as_ref()?;
        let ids: Vec<check::ids::Ids> = parts
            .ids
            .into_iter()
            .map(|ids| ids.into_inner().unwrap_or_default())
            .collect();
        let mut slots = Vec::with_capacity(n);
        let mut generator_pages = Vec::new();
        // In an MkDocs or Zola project, what it makes of every page.
        let generator = page_links.iter().any(|p| p.generator.is_some());
        for page in page_links {
            slots.push(page.slots);
            if generator {
                generator_pages.push(page.generator.unwrap_or_default());
            }
        }
        let mut findings: Vec<Finding> = stream
            .finish(&ids, generator_pages, slots)
            .into_iter()
            .flatten()
            .collect();
        crate::include::relocate(&mut findings, &project.guides, rendered);
        Some(findings)
    };
    // The links' last lookups while the rest is written: the anchors they
    // are looked up in are small beside the index's postings.
    let (findings, rest) = rayon::join(check, || {
        write_rest(input, rendered, index, &site_view, theme, out)
    });
    rest?;
    *input
        .search_entries
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = searches;
    Ok(Written {
        rendered: streamed_pages,
        findings,
    })
}

/// Every file but the pages: the data's files, 404, sitemap, aliases,
/// static files, search index (unless `searches` is `None`: it has not
/// changed) and repository files.
fn write_rest(
    input: &SiteInput,
    rendered: &[Rendered],
    searches: Option<&crate::search::Pages>,
    site_view: &SiteView,
    theme: &mut Theme,
    out: &dyn Sink,
) -> Result<()> {
    let project = input.project;
    let base_url = site_view.base_url;
    // An older version's data files and sitemap are the root's.
    let elsewhere = input.version.is_some_and(|v| v.data_elsewhere());
    for (path, contents) in input.data.files(site_view.title) {
        if !elsewhere {
            out.write(&path, contents.as_bytes())?;
        }
    }
    let root_404 = match (input.serving, base_url) {
        // `serve` answers any missing path with it, at the site's root.
        (true, _) => "/".to_string(),
        (false, Some(url)) => format!("{url}/"),
        (false, None) => String::new(),
    };
    write_404(theme, input.site, &root_404, out)?;
    if !elsewhere {
        write_sitemap(input.site, theme, base_url, out)?;
    }
    write_aliases(project, input.site, theme, out)?;
    write_static_files(theme, rendered, out)?;
    if let Some(searches) = searches {
        crate::search::write_index(input.site, searches, out)?;
    }
    for asset in &project.assets {
        out.copy(asset, &project.content_dir.join(asset))?;
    }
    copy_tree(&project.root.join("static"), out)?;
    write_repo_files(project, input.index, rendered, out)
}

/// What every page shares.
struct PageParts<'a> {
    site_view: &'a SiteView<'a>,
    /// `https://host/org/repo/edit/main`, for "edit this page".
    edit_base: Option<String>,
    nav: NavForms,
    /// Guides' and sections' pages are written by `render::native`.
    native_page: bool,
    native_section: bool,
    /// The markdown pass's input, when each page renders its guide's
    /// markdown as it is written (a streamed build).
    markdown: Option<MarkdownInput<'a>>,
    /// A streamed build's link check: each page's links are judged as it
    /// is written, their `#fragment`s once every page's anchors are known.
    links: Option<check::links::Stream<'a>>,
    /// Each guide's anchors once its page is written (a streamed build): a
    /// link to a page written before it is looked up at once, and only
    /// the others wait for the end.
    ids: Vec<std::sync::OnceLock<check::ids::Ids>>,
    /// An older version of a handbook with `versions:` (streamed): what
    /// its pages share (`site_key`). Its pages are kept for the next older
    /// version to link (`Carried`).
    carry: Option<u64>,
}

/// What the link check needs of a page once it is written (a streamed
/// build), its anchors aside (`PageParts::ids`).
#[derive(Default)]
struct PageLinks {
    slots: Vec<check::links::Slot>,
    generator: Option<check::links::GeneratorPage>,
    /// An older version's page: `slots` as judged, before the anchors
    /// found were taken out, for the next older version (`Carried`).
    judged: Option<Vec<check::links::Slot>>,
}

impl<'a> PageParts<'a> {
    fn new(input: &SiteInput<'a>, site_view: &'a SiteView<'a>, theme: &Theme) -> Self {
        let project = input.project;
        PageParts {
            site_view,
            edit_base: project.config.repo_url.as_deref().map(|repo| {
                format!(
                    "{}/edit/{}",
                    repo.trim_end_matches('/'),
                    project.config.edit_branch
                )
            }),
            nav: NavForms {
                items: theme.uses("page.nav"),
                html: theme.uses("page.nav_html"),
            },
            // Guides and sections skip the template engine while the site
            // keeps the theme's own page templates (`render::native` writes
            // the same bytes).
            native_page: theme.builtin(&["base.html", "page.html"]),
            native_section: theme.builtin(&["base.html", "page.html", "section.html"]),
            markdown: input.streamed.map(|_| {
                let mut shared = MarkdownInput::new(project, input.index, input.data);
                // An older version's data pages and charts are the root's.
                shared.data_up = input.version.is_some_and(|v| v.data_elsewhere());
                shared
            }),
            links: input.streamed.map(|_| {
                check::links::Stream::new(&project.guides, input.index, project.config.generator)
            }),
            ids: match input.streamed {
                Some(_) => (0..project.guides.len())
                    .map(|_| std::sync::OnceLock::new())
                    .collect(),
                None => Vec::new(),
            },
            carry: None,
        }
    }

    /// A hash of everything the pages of an older version share that their
    /// bytes and their links' judgement depend on: the site's shape, the
    /// theme, the settings, the markdown pass's shared inputs, and what
    /// links are resolved against (`files_key`). Every input is named: a
    /// new one is hashed or said not to matter. `None` for the working
    /// tree, which is not laid out from git.
    fn site_key(&self, input: &SiteInput, theme: &Theme) -> Option<u64> {
        use std::hash::{Hash, Hasher};
        let PageParts {
            site_view,
            edit_base,
            nav,
            native_page,
            native_section,
            markdown,
            // What the link check keeps: not in the pages' bytes.
            links: _,
            ids: _,
            carry: _,
        } = self;
        let files = PageParts::files_key(input)?;
        let project = input.project;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        files.hash(&mut h);
        format!("{:?}", project.config).hash(&mut h);
        (
            input.site.fingerprint(),
            theme.fingerprint(),
            (site_view.title, site_view.description, site_view.base_url),
            edit_base,
            (nav.items, nav.html, native_page, native_section),
            markdown.as_ref().map(|m| m.across),
            input.serving,
        )
            .hash(&mut h);
        // Templates of the site's own read the data's files.
        if !(native_page & native_section) {
            format!("{:?}", project.data).hash(&mut h);
        }
        Some(h.finish())
    }

    /// A hash of what a page's links are resolved and judged against: the
    /// tree's paths and its files but the markdown and the data
    /// (`TreeFacts`), the guides in their order and the assets. Guides
    /// made, not read ("what changed", which the oldest version has not),
    /// are no link's target.
    fn files_key(input: &SiteInput) -> Option<u64> {
        use std::hash::{Hash, Hasher};
        let tree = input.version?.tree.as_ref()?;
        let project = input.project;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        tree.files.hash(&mut h);
        for (g, guide) in project.guides.iter().enumerate() {
            if guide.read_at.is_some() {
                (g, &guide.path).hash(&mut h);
            }
        }
        (&project.assets, &project.content_prefix).hash(&mut h);
        Some(h.finish())
    }
}

/// A page written: in a streamed build its guide, its markdown (the HTML
/// let go) and what the link check needs of it; its URL and search data.
type WrittenPage = (
    Option<(usize, Rendered, PageLinks)>,
    (String, Arc<PageSearch>),
);

/// Writes the pages (all, or the page indexes in `only`) in parallel.
fn write_pages(
    input: &SiteInput,
    parts: &PageParts,
    theme: &Theme,
    out: &dyn Sink,
    only: Option<&HashSet<usize>>,
) -> Result<Vec<Option<WrittenPage>>> {
    let site = input.site;
    // Into a vector made at its size (a filtered parallel iterator would
    // gather runs of pages and join them, holding a large site's twice).
    let mut written = Vec::new();
    (0..site.order.len())
        .into_par_iter()
        .map(|position| {
            let page = &site.pages[site.order[position]];
            let wanted = only.is_none_or(|o| o.contains(&site.order[position]))
                // An older version's data pages are the root's (`../`).
                && !page.url.starts_with("../");
            wanted
                .then(|| write_page(input, parts, theme, out, position))
                .transpose()
        })
        .collect_into_vec(&mut written);
    // The first page that failed, in the site's order.
    if let Some(at) = written.iter().position(Result::is_err)
        && let Err(e) = written.swap_remove(at)
    {
        return Err(e);
    }
    // Made in place: the pages are not held twice.
    Ok(written.into_iter().map(Result::unwrap_or_default).collect())
}

/// Writes the page at `position` of the site's order, rendering its guide's
/// markdown first in a streamed build.
fn write_page(
    input: &SiteInput,
    parts: &PageParts,
    theme: &Theme,
    out: &dyn Sink,
    position: usize,
) -> Result<WrittenPage> {
    let SiteInput { project, site, .. } = *input;
    let page = &site.pages[site.order[position]];
    let root = root_prefix(&page.url);
    let file = page.guide.map(|g| project.guides[g].file.as_str());
    let versions = input
        .version
        .and_then(|v| v.ui.get())
        .map(|ui| ui.markup(&root, &page.url, file));
    let updated = file
        .and_then(|f| input.updates.get(f))
        .map(|u| UpdatedView {
            date: u.time.format("%Y-%m-%d").to_string(),
            author: u.author.clone(),
        });
    // An older version's page: linked when the version written before
    // wrote the same bytes, else rendered and kept for the next.
    let carry = match (page.guide, parts.carry, input.version) {
        (Some(g), Some(site_key), Some(version)) if page.data.is_none() => {
            let guide = &project.guides[g];
            version
                .tree
                .as_ref()
                // Read from the tree (not made, as "what changed" is).
                .filter(|_| guide.read_at.is_some())
                .and_then(|tree| tree.blobs.get(&guide.file))
                .map(|&blob| {
                    let inputs = (page, blob, updated.as_ref(), versions.as_ref());
                    carry_key(site_key, (position, site.pages.len()), inputs)
                })
        }
        _ => None,
    };
    if let (Some(key), Some(g)) = (carry, page.guide)
        && let Some(done) = link_carried(input, parts, out, page, g, key)?
    {
        return Ok(done);
    }
    let fresh = match page.guide {
        Some(g) => render_streamed(input, parts, g, carry.is_some())?,
        None => None,
    };
    let guide = page.guide.map(|g| {
        let r = match &fresh {
            Some((_, r, _)) => r,
            None => &input.rendered[g],
        };
        (&project.guides[g], r)
    });
    let mut view = page_view(site, position, guide, parts.edit_base.as_deref(), parts.nav);
    if let Some(markup) = versions {
        view.versions = markup;
    }
    view.updated = updated;
    let native = match page.section {
        Some(_) => parts.native_section,
        None => parts.native_page,
    };
    // What the next older version needs to link this page (`Carried`).
    let kept_for_next = |fresh: &mut Option<(usize, Rendered, PageLinks)>, search: &Arc<_>| {
        if let (Some(key), Some(version), Some((_, r, links))) = (carry, input.version, fresh)
            && let Some(slots) = links.judged.take()
            // A page with includes is as fresh as the files it includes.
            && r.expansion.is_none()
            // A link to a page made, not read ("what changed", which the
            // oldest version has not) leads elsewhere in another version.
            && !r.links.iter().any(|l| match &l.resolved {
                Some(Target::Page { page, .. }) => {
                    project.guides.get(*page).is_some_and(|g| g.read_at.is_none())
                }
                _ => false,
            })
        {
            let carried = crate::version_site::Carried {
                key,
                rendered: without_html(r),
                slots,
                generator: links.generator.clone(),
                search: Arc::clone(search),
            };
            lock(&version.written).insert(page.url.clone(), Arc::new(carried));
        }
    };
    // How much of the page the search index reads (less on a large site).
    let depth = crate::search::Depth::for_site(site.pages.len());
    if page.data.is_none() && native {
        let (chrome, at) = native::chrome(parts.site_view, &root, &view);
        let (before, after) = chrome.split_at(at);
        let pieces = [before.as_bytes(), view.content.as_bytes(), after.as_bytes()];
        out.write_parts(&page.url, &pieces)?;
        markdown::recycle(chrome);
        let search = page_search(input, &page.title, view.content, depth);
        drop(view);
        let mut fresh = fresh;
        kept_for_next(&mut fresh, &search);
        return Ok(keep(page, fresh, search));
    }
    let mut context = tera::Context::new();
    context.insert("root", &root);
    context.insert("page", &view);
    let template = match page.data {
        Some(data_page) => data_template(input, data_page, &page.url, &mut context),
        None if page.section.is_some() => "section.html",
        None => "page.html",
    };
    let html = theme.render(template, &context)?;
    out.write(&page.url, html.as_bytes())?;
    drop((context, view));
    let search = Arc::new(crate::search::from_html(&page.title, &html, depth));
    let mut fresh = fresh;
    kept_for_next(&mut fresh, &search);
    Ok(keep(page, fresh, search))
}

/// What is kept of a page once it is written: its search data, what the
/// link check needs of it (`PageLinks`, `PageParts::ids`), and the little
/// the rest of the build reads (its title, its links to repository files,
/// its includes, its diagrams and unsafe ids). Its HTML goes.
fn keep(
    page: &SitePage,
    fresh: Option<(usize, Rendered, PageLinks)>,
    search: Arc<PageSearch>,
) -> WrittenPage {
    let fresh = fresh.map(|(g, mut r, links)| {
        markdown::recycle(std::mem::take(&mut r.html));
        r.text = String::new();
        // The link check has what it needs (`PageLinks`): what is left
        // are the links to repository files, which the site copies.
        r.headings = Vec::new();
        r.anchors = Vec::new();
        r.links.retain(kept_link);
        r.links.shrink_to_fit();
        (g, r, links)
    });
    (fresh, (page.url.clone(), search))
}

/// A link the rest of the build reads once its page is written: to a
/// repository file, which the site copies.
fn kept_link(link: &markdown::Link) -> bool {
    link.resolved
        .as_ref()
        .is_none_or(|t| matches!(t, Target::RepoFile { .. }))
}

/// What `keep` keeps of `rendered`, copied from it.
fn kept(rendered: &Rendered) -> Rendered {
    let Rendered {
        html: _,
        title,
        headings: _,
        anchors: _,
        links,
        commands,
        ignored_lines,
        has_mermaid,
        text: _,
        footnotes,
        unsafe_ids,
        broken_references,
        expansion,
        task_examples,
        component,
    } = rendered;
    Rendered {
        title: title.clone(),
        links: links.iter().filter(|l| kept_link(l)).cloned().collect(),
        commands: commands.clone(),
        ignored_lines: ignored_lines.clone(),
        has_mermaid: *has_mermaid,
        footnotes: footnotes.clone(),
        unsafe_ids: unsafe_ids.clone(),
        broken_references: broken_references.clone(),
        expansion: expansion.clone(),
        task_examples: *task_examples,
        component: component.clone(),
        ..Rendered::default()
    }
}

/// `rendered` without its HTML and search text.
fn without_html(rendered: &mut Rendered) -> Rendered {
    let html = std::mem::take(&mut rendered.html);
    let text = std::mem::take(&mut rendered.text);
    let copy = rendered.clone();
    rendered.html = html;
    rendered.text = text;
    copy
}

/// A hash of all an older version's page is made of: what its pages
/// share (`PageParts::site_key`), its place, its source's blob, its last
/// update and its version markup.
fn carry_key(
    site_key: u64,
    (position, pages): (usize, usize),
    (page, blob, updated, versions): (
        &SitePage,
        git2::Oid,
        Option<&UpdatedView>,
        Option<&crate::version_site::VersionMarkup>,
    ),
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        site_key,
        position,
        &page.url,
        &page.title,
        &page.description,
    )
        .hash(&mut h);
    blob.hash(&mut h);
    updated.map(|u| (&u.date, &u.author)).hash(&mut h);
    versions.map(|v| (&v.head, &v.bar, &v.banner)).hash(&mut h);
    // The search entry kept with the page reads as much of it as the site's size says.
    crate::search::Depth::for_site(pages).hash(&mut h);
    h.finish()
}

/// An older version's page linked to the file the version written before
/// wrote for it, when all that file was made of is this page's too (the
/// same `key`, `carry_key`, which holds what its links are resolved and
/// judged against: `PageParts::files_key`). Nothing is read or rendered: the rendering and the link check's judgement kept with it
/// are this page's (`Carried`).
fn link_carried(
    input: &SiteInput,
    parts: &PageParts,
    out: &dyn Sink,
    page: &SitePage,
    g: usize,
    key: u64,
) -> Result<Option<WrittenPage>> {
    let Some(version) = input.version else {
        return Ok(None);
    };
    let Some(was) = version
        .before
        .get()
        .and_then(|before| before.get(&page.url))
    else {
        return Ok(None);
    };
    if was.key != key || !out.link_before(&page.url)? {
        return Ok(None);
    }
    version
        .linked
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    lock(&version.written).insert(page.url.clone(), Arc::clone(was));
    let mut links = PageLinks {
        slots: was.slots.clone(),
        generator: was.generator.clone(),
        judged: None,
    };
    found_anchors(parts, g, &was.rendered, &mut links);
    let fresh = (g, kept(&was.rendered), links);
    Ok(Some((
        Some(fresh),
        (page.url.clone(), Arc::clone(&was.search)),
    )))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A page's search entry, made from its content; in a build of several
/// versions, made once for the pages whose title and content they share.
fn page_search(
    input: &SiteInput,
    title: &str,
    content: &str,
    depth: crate::search::Depth,
) -> Arc<PageSearch> {
    let make = || crate::search::from_content(title, content, depth);
    match input.version {
        None => Arc::new(make()),
        Some(version) => {
            let key = (parts_hash(&[title.as_bytes(), content.as_bytes()]), depth);
            version.cache.search(key, make)
        }
    }
}

/// A guide's markdown rendered as its page is written (a streamed build:
/// `None` otherwise), from its source kept or read again.
fn render_streamed(
    input: &SiteInput,
    parts: &PageParts,
    g: usize,
    keep_judged: bool,
) -> Result<Option<(usize, Rendered, PageLinks)>> {
    let (Some(shared), Some(streamed)) = (&parts.markdown, input.streamed) else {
        return Ok(None);
    };
    // What the link check needs of the page, while its source is at hand.
    let with_links = |rendered: Rendered, text: &str| {
        let mut links = match &parts.links {
            Some(stream) => {
                let (slots, generator) = stream.guide(g, &rendered, text);
                PageLinks {
                    judged: keep_judged.then(|| slots.clone()),
                    slots,
                    generator,
                }
            }
            None => PageLinks::default(),
        };
        found_anchors(parts, g, &rendered, &mut links);
        (g, rendered, links)
    };
    let project = input.project;
    let guide = &project.guides[g];
    let kept = streamed.sources.get(g).and_then(|s| lock(s).take());
    let text = match kept {
        Some(text) => text,
        None => reread(&project.root, guide, streamed.seen.get(g).copied())?,
    };
    let Some(version) = input.version else {
        return Ok(Some(with_links(render_one(shared, guide, &text)?, &text)));
    };
    // Versions share the rendering of a page whose text is the same and
    // whose links lead to the same places.
    // Shortcodes link to the data pages, a folder up from an older version.
    let up = shared.data_up && text.contains("{{");
    let key = (
        guide.path.clone(),
        text_hash(&text),
        shared.across ^ u64::from(up),
    );
    let from = page_url(&guide.path);
    let now = |dest: &str| {
        rewrite_link(
            shared.index,
            guide,
            &from,
            dest,
            shared.blob_base.as_deref(),
        )
    };
    let guide_path = |n: usize| {
        project
            .guides
            .get(n)
            .map(|g| g.path.clone())
            .unwrap_or_default()
    };
    if let Some(r) = version.cache.get(&key, now, guide_path) {
        return Ok(Some(with_links(r, &text)));
    }
    let rewrites = std::cell::RefCell::new(Vec::new());
    let rendered = render_recording(shared, guide, &text, Some(&rewrites))?;
    // A page with includes is as fresh as the files it includes, which
    // differ between versions.
    if rendered.expansion.is_none() {
        version
            .cache
            .put(key, &rendered, rewrites.into_inner(), guide_path);
    }
    Ok(Some(with_links(rendered, &text)))
}

/// Tells the link check guide `g`'s anchors (`of` its rendering), and
/// takes out of `links` the `#fragment`s that pages written already have:
/// they need no more looking at.
fn found_anchors(parts: &PageParts, g: usize, of: &Rendered, links: &mut PageLinks) {
    if parts.links.is_none() {
        return;
    }
    if let Some(ids) = parts.ids.get(g) {
        let _ = ids.set(check::ids::Ids::anchors_of(of));
    }
    links.slots.retain(|slot| match slot {
        check::links::Slot::Anchor { page, fragment, .. } => !parts
            .ids
            .get(*page)
            .and_then(std::sync::OnceLock::get)
            .is_some_and(|ids| ids.anchors().any(|a| a == &**fragment)),
        check::links::Slot::Found(_) => true,
    });
    links.slots.shrink_to_fit();
}

/// The template of a page made from the data, its view put in `context`.
fn data_template(
    input: &SiteInput,
    data_page: DataPage,
    url: &str,
    context: &mut tera::Context,
) -> &'static str {
    let data = input.data;
    match data_page {
        DataPage::Calendar => {
            context.insert("calendar", &data.calendar_view());
            "calendar.html"
        }
        DataPage::Release(i) => {
            context.insert("release", &data.release_view(i));
            "release.html"
        }
        DataPage::Metrics => {
            context.insert("metrics", &data.metrics_view());
            "metrics.html"
        }
        DataPage::Report(quarter) => {
            // Inside the site: the site's frame, site-relative links.
            let generated = report::generate_from(input.project, data, quarter, input.docs.clone());
            report::insert_view(context, &generated, Some(&root_prefix(url)));
            "report_page.html"
        }
    }
}

/// The 404 page, served at any depth: its links (assets and the site's
/// navigation) start with `root`, absolute when the site's URL is known or
/// under `serve`.
fn write_404(theme: &Theme, site: &Site, root: &str, out: &dyn Sink) -> Result<()> {
    let mut context = tera::Context::new();
    context.insert("root", root);
    context.insert("nav_html", &site.nav_html_from_root(root));
    out.write("404.html", theme.render("404.html", &context)?.as_bytes())
}

/// `sitemap.xml`, when the site's URL is known.
fn write_sitemap(site: &Site, theme: &Theme, base_url: Option<&str>, out: &dyn Sink) -> Result<()> {
    let Some(base) = base_url else {
        return Ok(());
    };
    let mut urls: Vec<String> = site
        .order
        .iter()
        .map(|&p| sitemap_url(base, &site.pages[p].url))
        .collect();
    urls.sort();
    let mut context = tera::Context::new();
    context.insert("urls", &urls);
    out.write(
        "sitemap.xml",
        theme.render("sitemap.xml", &context)?.as_bytes(),
    )
}

/// A redirect page at each alias a guide's front matter names.
fn write_aliases(project: &Project, site: &Site, theme: &Theme, out: &dyn Sink) -> Result<()> {
    for (guide, g) in project.guides.iter().enumerate() {
        for alias in &g.front.aliases {
            let from = alias_url(alias);
            let mut context = tera::Context::new();
            context.insert(
                "target",
                &relative_href(&from, &site.page_of_guide(guide).url),
            );
            out.write(&from, theme.render("redirect.html", &context)?.as_bytes())?;
        }
    }
    Ok(())
}

/// The theme's static files and the highlighting style sheet.
fn write_static_files(theme: &mut Theme, rendered: &[Rendered], out: &dyn Sink) -> Result<()> {
    // The diagram script weighs 3.5 MB: only a site with a diagram gets it.
    let diagrams = rendered.iter().any(|r| r.has_mermaid);
    for (path, bytes) in std::mem::take(&mut theme.static_files) {
        if diagrams || !path.starts_with("assets/vendor/mermaid") {
            out.write(&path, &bytes)?;
        }
    }
    out.write("assets/highlight.css", crate::highlight::css().as_bytes())
}

/// The repository files pages link to, when there is no repository URL to
/// link to instead: only what the index resolved to a publishable file
/// (regular, tracked, inside the repository, no dotfile: `SiteIndex::withheld`).
fn write_repo_files(
    project: &Project,
    index: &SiteIndex,
    rendered: &[Rendered],
    out: &dyn Sink,
) -> Result<()> {
    if project.config.repo_url.is_some() {
        return Ok(());
    }
    let mut repo_files = BTreeSet::new();
    for (guide, r) in project.guides.iter().zip(rendered) {
        for link in &r.links {
            let resolved = match &link.resolved {
                Some(target) => std::borrow::Cow::Borrowed(target),
                None => std::borrow::Cow::Owned(index.resolve(&guide.path, &link.target)),
            };
            if let Target::RepoFile { path } = resolved.as_ref()
                && project.root.join(path).is_file()
            {
                repo_files.insert(path.clone());
            }
        }
    }
    for path in repo_files {
        out.copy(
            &format!("{REPO_FILES_DIR}/{path}"),
            &project.root.join(&path),
        )?;
    }
    Ok(())
}

/// What `write_site` leaves for the link check: a streamed build's pages
/// (their HTML let go) and the findings it checked them for.
struct Written {
    rendered: Option<Vec<Rendered>>,
    findings: Option<Vec<Finding>>,
}

fn copy_tree(dir: &std::path::Path, out: &dyn Sink) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io("listing", dir, e.into()))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            out.copy(&rel.to_string_lossy().replace('\\', "/"), entry.path())?;
        }
    }
    Ok(())
}

/// What the site is rendered from.
#[derive(Clone, Copy)]
struct SiteInput<'a> {
    project: &'a Project,
    index: &'a SiteIndex,
    site: &'a Site,
    rendered: &'a [Rendered],
    data: &'a ReleaseData<'a>,
    updates: &'a HashMap<String, Update>,
    /// The docs check's summary, for report pages.
    docs: &'a report::DocsHealth,
    /// A streamed build's sources: each guide's markdown is rendered as its
    /// page is written.
    streamed: Option<&'a Streamed>,
    /// Each page's search data: the last rebuild's in, this one's out.
    search_entries: &'a Mutex<crate::search::Pages>,
    /// A `serve` rebuild: the 404 page is served at any path of the server.
    serving: bool,
    /// One version of a handbook with `versions:`.
    version: Option<&'a crate::version_site::VersionBuild>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_hash_knows_where_each_part_ends() {
        // A search entry is shared by the hash of its title and content.
        assert_ne!(
            parts_hash(&[b"Install", b"<p>x</p>"]),
            parts_hash(&[b"Instal", b"l<p>x</p>"])
        );
        assert_eq!(parts_hash(&[b"a", b"b"]), parts_hash(&[b"a", b"b"]));
    }

    #[test]
    fn one_build_reads_each_source_once() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("content/README.md", "# Home\n\n[Guide](guide.md)\n"),
            (
                "content/guide.md",
                "---\nowner: ops\n---\n# Guide\n\nRun `./scripts/x.sh`. {{ kpi(id=\"lead\") }}\n",
            ),
            (
                "data/calendar.yaml",
                "releases:\n  - version: 1.0.0\n    type: minor\n    planned: { release: 2025-07-01 }\n    actual: { release: 2025-07-01 }\n",
            ),
            (
                "data/metrics.yaml",
                "kpis:\n  - id: lead\n    name: Lead time\n",
            ),
            ("data/teams.yaml", "ops: Operations\n"),
        ];
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let paths = Paths {
            root: dir.path().to_path_buf(),
            ..Paths::default()
        };
        let options = BuildOptions {
            out: Some(dir.path().join("public")),
            ..BuildOptions::default()
        };
        let report = build(&paths, &options).unwrap();
        // The site has report pages, whose docs health is the check's.
        assert!(dir.path().join("public/reports/2025-Q3.html").is_file());
        assert!(report.written);
        let reads = crate::testing::reads_under(dir.path());
        for (path, _) in files {
            let path = dir.path().join(path);
            assert_eq!(reads.get(&path), Some(&1), "{}: {reads:?}", path.display());
        }
    }

    #[test]
    fn pages_are_written_only_from_files_that_still_start_as_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        let head = "---\nowner: ops\n---\n# Old title\n";
        let guide = crate::load::guides::parse("a.md", "a.md", head.to_string()).unwrap();
        let seen = text_seen(&guide);
        // Whatever follows the part read may differ: it is rendered as read now.
        std::fs::write(&file, format!("{head}\nThe body.\n")).unwrap();
        let text = reread(dir.path(), &guide, Some(seen)).unwrap();
        assert!(text.ends_with("The body.\n"), "{text}");
        for changed in ["---\nowner: ops\n---\n# New title\n\nThe body.\n", "---\n"] {
            std::fs::write(&file, changed).unwrap();
            let err = reread(dir.path(), &guide, Some(seen)).unwrap_err();
            assert!(matches!(err, Error::Changed { .. }), "{err}");
        }
        // A title from the front matter: the front matter is what must hold.
        let head = "---\ntitle: Named\n---\n# Old heading\n";
        let guide = crate::load::guides::parse("a.md", "a.md", head.to_string()).unwrap();
        let seen = text_seen(&guide);
        std::fs::write(&file, "---\ntitle: Named\n---\n# New heading\n").unwrap();
        assert!(reread(dir.path(), &guide, Some(seen)).is_ok());
        std::fs::write(&file, "---\ntitle: Renamed\n---\n# New heading\n").unwrap();
        assert!(reread(dir.path(), &guide, Some(seen)).is_err());
    }
}
