//! `almanac build`: load → index → render → check → write.

use std::collections::BTreeSet;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;

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
use crate::render::context::{NavForms, SiteView, UpdatedView, page_view};
use crate::render::data::ReleaseData;
use crate::render::native;
use crate::render::theme::Theme;
use crate::report;
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
}

pub fn build(paths: &Paths, options: &BuildOptions) -> Result<BuildReport> {
    let mut timer = Timer::start();
    let mut prepared = prepare(paths, options, &mut timer, None, false, Render::Streamed)?;
    let scanned: Vec<Option<String>> = prepared.rendered.iter().map(|r| r.title.clone()).collect();
    let out_dir = prepared.out_dir.clone();
    let staging = Staging::new(&out_dir)?;
    prepared.write(paths, options, &staging, None)?;
    timer.lap("markdown, render, write and check links");
    // The titles the navigation was built with must be the pages' own
    // (where the front matter gives none).
    let titles_held = prepared
        .rendered
        .iter()
        .zip(&scanned)
        .zip(&prepared.project.guides)
        .all(|((r, scanned), g)| g.front.title.is_some() || r.title == *scanned);
    if !titles_held {
        drop(staging);
        prepared = prepare(paths, options, &mut timer, None, false, Render::Now)?;
        let staging = Staging::new(&out_dir)?;
        prepared.write(paths, options, &staging, None)?;
        timer.lap("render and write again (a heading the title scan missed)");
        return finish(prepared, staging, options, timer);
    }
    // The links were checked as the last files were written.
    finish(prepared, staging, options, timer)
}

/// Reports the findings and, unless `--strict` found broken links, puts the
/// staged output in place.
fn finish(
    prepared: Prepared,
    staging: Staging,
    options: &BuildOptions,
    mut timer: Timer,
) -> Result<BuildReport> {
    let mut report = BuildReport {
        out_dir: prepared.out_dir.clone(),
        pages: prepared.site.pages.len(),
        written: false,
        files: Default::default(),
        warnings: prepared.warnings.clone(),
        findings: prepared.findings.clone(),
        timings: Vec::new(),
    };
    let guides = prepared.project.guides.iter().zip(&prepared.rendered);
    for (guide, unsafe_id) in guides.flat_map(|(g, r)| r.unsafe_ids.iter().map(move |u| (g, u))) {
        report.warnings.push(format!(
            "{}:{}:{}: the heading id `{}` holds characters unsafe in an HTML attribute or a URL; the page uses `#{}`",
            guide.file, unsafe_id.line, unsafe_id.column, unsafe_id.written, unsafe_id.id
        ));
    }
    // Other generators' syntax: the includes not done, one line for the
    // shortcodes left out.
    let expansions = prepared
        .rendered
        .iter()
        .filter_map(|r| r.expansion.as_deref());
    for p in expansions.clone().flat_map(|x| &x.problems) {
        report
            .warnings
            .push(format!("{}:{}:{}: {}", p.file, p.line, p.column, p.message));
    }
    report
        .warnings
        .extend(crate::include::summary(expansions.flat_map(|x| &x.skipped)));
    // The whole site is in memory, in millions of small allocations: freeing
    // them one by one takes longer than some builds. `build` is the CLI's last
    // step, so the process hands the memory back at exit instead.
    std::mem::forget(prepared);
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error);
    if options.strict && errors.count() > 0 {
        // Nothing staged is kept: the output stays as it was.
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

/// Everything loaded and rendered, ready to be written.
pub struct Prepared {
    pub project: Project,
    pub index: SiteIndex,
    pub history: history::History,
    pub rendered: Vec<Rendered>,
    pub site: Site,
    pub findings: Vec<Finding>,
    pub warnings: Vec<String>,
    pub theme: Theme,
    pub today: NaiveDate,
    pub out_dir: PathBuf,
    /// Guides rendered again (not taken from the cache).
    pub fresh: Vec<usize>,
    /// `text_hash` of each guide's source, when the sources were kept.
    pub hashes: Vec<u64>,
    /// What a streamed build read of each guide before writing its page:
    /// the page must be written from a file that still starts that way.
    pub seen: Vec<Seen>,
    /// A streamed build's sources read whole, each taken by its page.
    pub sources: Vec<Mutex<Option<String>>>,
    /// Each guide's search entry as the last `write` serialized it (not in a
    /// streamed build): `serve` hands them to its next rebuild, which
    /// serializes only the pages it writes again.
    pub search_entries: Mutex<Vec<Vec<u8>>>,
    pub fingerprint: u64,
    /// Markdown is rendered as each page is written (`Render::Streamed`):
    /// until then `rendered` holds only the titles a quick scan found.
    pub streamed: bool,
}

/// The first `len` bytes of a guide's file as read by `prepare`, by `text_hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub len: usize,
    pub hash: u64,
}

/// When `prepare` renders the markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Render {
    /// Every guide now, before any page is written (`serve`, which keeps the
    /// results between rebuilds).
    Now,
    /// Each guide as its page is written, its HTML dropped once written: the
    /// site's HTML is never held at once, nor its sources past a budget.
    /// Titles come from `markdown::first_heading_title`, checked after writing.
    Streamed,
}

/// Loads, renders the markdown (reusing `cache` where it can) and lays out
/// the site. Unless `keep_sources`, each guide's text is dropped once its
/// markdown is rendered.
pub fn prepare(
    paths: &Paths,
    options: &BuildOptions,
    timer: &mut Timer,
    cache: Option<(&mut MarkdownCache, Option<&history::History>)>,
    keep_sources: bool,
    render: Render,
) -> Result<Prepared> {
    let (mut cache, cached_history) = match cache {
        Some((c, h)) => (Some(c), h),
        None => (None, None),
    };
    let mut earlier = cache.as_mut().map(|c| std::mem::take(&mut c.guides));
    // A streamed build holds the sources it reads only up to a budget.
    let texts = match render {
        Render::Streamed => Texts::Bounded(crate::project::source_budget()),
        Render::Now => Texts::Whole,
    };
    let mut project =
        Project::load_reusing(paths, options.drafts, Load::Strict, texts, earlier.as_mut())?;
    timer.lap("load");
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
        return Err(Error::Usage(format!(
            "no markdown guides found in `{}`",
            if project.content_prefix.is_empty() {
                "."
            } else {
                &project.content_prefix
            }
        )));
    }
    let calendar = project.calendar.as_ref().map(|(c, _)| c);
    let tag_pattern = calendar.map_or("v{version}", |c| c.tag_pattern.as_str());
    let today = today();
    let streamed = render == Render::Streamed;
    // The history, the index of the site and the theme are laid out while a
    // streamed build scans the titles: none needs another.
    let layout = || {
        let history = match cached_history {
            Some(h) => Ok(h.clone()),
            None => {
                let files: Vec<String> = project.guides.iter().map(|g| g.file.clone()).collect();
                history::read(&project.root, tag_pattern, &files)
            }
        };
        let theme = Theme::load(&project.root, &project.config);
        (history, SiteIndex::new(&project), theme)
    };
    let ((history, index, theme), scanned) = if streamed {
        let (layout, scanned) = rayon::join(layout, || scan_titles(&project));
        (layout, Some(scanned?))
    } else {
        (layout(), None)
    };
    let history = history?;
    let theme = theme?;
    let data = ReleaseData::new(calendar, project.metrics.as_ref(), &history.releases, today);
    let index = index.with_generated(data.pages().into_iter().map(|p| p.url));
    timer.lap(match streamed {
        true => "git history, site index, theme and titles",
        false => "git history, site index and theme",
    });
    let fingerprint = fingerprint(&project);
    let cached = cache.filter(|c| c.fingerprint == fingerprint);
    // Hashes of the sources, for `serve`'s next rebuild (which keeps them).
    let hashes: Vec<u64> = if keep_sources {
        // A guide taken back unchanged from the last load keeps its hash.
        let known = |g: &Guide| {
            let cache = cached.as_deref()?;
            g.reused
                .then(|| cache.pages.get(&g.path).map(|(h, _)| *h))?
        };
        project
            .guides
            .par_iter()
            .map(|g| known(g).unwrap_or_else(|| text_hash(&g.text)))
            .collect()
    } else {
        Vec::new()
    };
    let mut seen = Vec::new();
    let mut sources = Vec::new();
    let (rendered, fresh) = if let Some(scanned) = scanned {
        // A source read whole is kept for its page; past the budget only
        // the first lines were read (unless the heading comes later), and
        // the page reads its source when it is written: a large site is
        // never held at once.
        let mut titles = Vec::with_capacity(scanned.len());
        seen.reserve(scanned.len());
        sources.reserve(scanned.len());
        for (g, scan) in project.guides.iter_mut().zip(scanned) {
            if let Some(text) = scan.reread {
                g.text = text;
                g.partial = false;
            }
            let text = std::mem::take(&mut g.text);
            titles.push(Rendered {
                title: scan.title,
                ..Rendered::default()
            });
            seen.push(scan.seen);
            sources.push(Mutex::new((!g.partial).then_some(text)));
        }
        (titles, Vec::new())
    } else {
        let shared = MarkdownInput::new(&project, &index, &data);
        let done =
            render_markdown_cached(&mut project.guides, &hashes, &shared, cached, keep_sources)?;
        timer.lap("markdown");
        done
    };
    // `serve` (which keeps the sources) shows pages, not findings: its
    // rebuilds skip the check.
    let findings = if streamed || keep_sources {
        Vec::new()
    } else {
        let mut findings =
            check::links::check(&project.guides, &rendered, &index, project.config.generator);
        crate::include::relocate(&mut findings, &project.guides, &rendered);
        timer.lap("check links");
        findings
    };
    let title = project.title();
    let mut site = Site::new(&project.guides, &rendered, &index, &title);
    site.place_sections(&project.nav_sections);
    let mut warnings = project.warnings.clone();
    // Tags matter only when a past release has no `actual:` date to fall back
    // on; last-updated dates matter to every site.
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
        .collect();
    site.add_pages(data_pages);
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
        fresh,
        hashes,
        seen,
        sources,
        search_entries: Mutex::default(),
        fingerprint,
        streamed,
    })
}

impl Prepared {
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
            seen,
            sources,
            search_entries,
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
        // Report pages carry the docs check's summary: run it once for all of them.
        let wants_report = site.pages.iter().enumerate().any(|(i, p)| {
            matches!(p.data, Some(DataPage::Report(_))) && only.is_none_or(|o| o.contains(&i))
        });
        let docs = if wants_report {
            report::docs_health(paths, data.today)?
        } else {
            report::DocsHealth::default()
        };
        let title = project.title();
        let input = SiteInput {
            project,
            index,
            site,
            rendered,
            data: &data,
            updates: &history.updates,
            docs: &docs,
            streamed: *streamed,
            seen,
            sources,
            search_entries,
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

/// A hash of what every page's markdown rendering depends on besides its own
/// text: the set of pages and assets (link rewriting) and the data (shortcodes).
fn fingerprint(project: &Project) -> u64 {
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

/// A hash of a guide's source that `serve` compares between rebuilds.
fn text_hash(text: &str) -> u64 {
    stable_hash(text.as_bytes())
}

/// A hash with fixed keys: the same bytes hash the same in every rebuild
/// (sources, and the files `serve` wrote).
pub(crate) fn stable_hash(bytes: &[u8]) -> u64 {
    ahash::RandomState::with_seeds(1, 2, 3, 4).hash_one(bytes)
}

/// `render_markdown`, reusing the cache's result for guides whose text did not change.
fn render_markdown_cached(
    guides: &mut [Guide],
    hashes: &[u64],
    shared: &MarkdownInput,
    cache: Option<&mut MarkdownCache>,
    keep_sources: bool,
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
            if !keep_sources {
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
    index: &'a SiteIndex,
    data: &'a ReleaseData<'a>,
    /// `https://host/org/repo/blob/main` when a repository URL is configured.
    blob_base: Option<String>,
    kpi_ids: Vec<String>,
    metrics_file: String,
    /// The repository, where included files are read.
    root: std::path::PathBuf,
    /// Search text kept per page.
    text_limit: usize,
}

impl<'a> MarkdownInput<'a> {
    fn new(project: &Project, index: &'a SiteIndex, data: &'a ReleaseData<'a>) -> Self {
        MarkdownInput {
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
            text_limit: crate::search::text_limit(project.guides.len()),
        }
    }
}

/// One guide's markdown pass: other generators' includes and shortcodes
/// expanded first (`include`), links rewritten to output pages, shortcodes
/// expanded with the release data.
fn render_one(shared: &MarkdownInput, guide: &Guide, text: &str) -> Result<Rendered> {
    if !crate::include::needed(text, guide.body_start) {
        return render_expanded(shared, guide, text, None);
    }
    let (expanded, expansion) =
        crate::include::expand(&shared.root, &guide.file, text, guide.body_start);
    let mut page = render_expanded(shared, guide, &expanded, Some(&expansion))?;
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
) -> Result<Rendered> {
    let from = page_url(&guide.path);
    let rewrite = |dest: &str| {
        rewrite_link(
            shared.index,
            guide,
            &from,
            dest,
            shared.blob_base.as_deref(),
        )
    };
    let render = |text: &str| {
        markdown::render_with(
            text,
            guide.body_start,
            &rewrite,
            &crate::highlight::highlight,
            shared.text_limit,
        )
    };
    let codes = shortcodes::find(text, guide.body_start);
    if codes.is_empty() {
        return Ok(render(text));
    }
    // Each shortcode becomes an HTML comment of the same length (so
    // positions stay put), replaced by its HTML after rendering.
    let kpi_ids: Vec<&str> = shared.kpi_ids.iter().map(String::as_str).collect();
    let root = root_prefix(&page_url(&guide.path));
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
            let title = markdown::first_heading_title(&g.text, g.body_start);
            if title.is_some() || !g.partial {
                return Ok(found(title, text_seen(g)));
            }
            let text = reread(&project.root, g, Some(text_seen(g)))?;
            let title = markdown::first_heading_title(&text, g.body_start);
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
        return Err(Error::Usage(format!(
            "`{}` changed while the site was being built: build again",
            guide.file
        )));
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
    let SiteInput {
        project,
        index,
        site,
        rendered,
        data,
        updates,
        docs,
        streamed,
        seen,
        sources,
        search_entries,
    } = *input;
    let shared = streamed.then(|| MarkdownInput::new(project, index, data));
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
    let edit_base = project.config.repo_url.as_deref().map(|repo| {
        format!(
            "{}/edit/{}",
            repo.trim_end_matches('/'),
            project.config.edit_branch
        )
    });

    let nav = NavForms {
        items: theme.uses("page.nav"),
        html: theme.uses("page.nav_html"),
    };
    // Guides and sections skip the template engine while the site keeps the
    // theme's own page templates (`render::native` writes the same bytes).
    let native_page = theme.builtin(&["base.html", "page.html"]);
    let native_section = native_page && theme.builtin(&["section.html"]);
    let search_limit = crate::search::text_limit(project.guides.len());
    let pages: Vec<Option<(usize, Rendered, Vec<u8>)>> = (0..site.order.len())
        .into_par_iter()
        .filter(|&position| only.is_none_or(|o| o.contains(&site.order[position])))
        .map(|position| {
            let page = &site.pages[site.order[position]];
            let fresh = match (page.guide, &shared) {
                (Some(g), Some(shared)) => {
                    let guide = &project.guides[g];
                    let kept = sources
                        .get(g)
                        .and_then(|s| s.lock().unwrap_or_else(|e| e.into_inner()).take());
                    let text = match kept {
                        Some(text) => text,
                        None => reread(&project.root, guide, seen.get(g).copied())?,
                    };
                    Some((g, render_one(shared, guide, &text)?))
                }
                _ => None,
            };
            let guide = page.guide.map(|g| {
                let r = fresh.as_ref().map_or(&rendered[g], |(_, r)| r);
                (&project.guides[g], r)
            });
            let mut view = page_view(site, position, guide, edit_base.as_deref(), nav);
            view.updated = guide
                .and_then(|(g, _)| updates.get(&g.file))
                .map(|u| UpdatedView {
                    date: u.time.format("%Y-%m-%d").to_string(),
                    author: u.author.clone(),
                });
            let root = root_prefix(&page.url);
            let native = match page.section {
                Some(_) => native_section,
                None => native_page,
            };
            // Once the page is written its HTML goes. Kept: its search
            // entry, its anchors, and its links (only those
            // the link check or the copy of repository files looks at again
            // were recorded); its headings too when another generator's ids
            // for them are checked.
            let keep = |fresh: Option<(usize, Rendered)>| {
                fresh.map(|(g, mut r)| {
                    let entry = crate::search::entry(site, site.order[position], &r, search_limit);
                    markdown::recycle(std::mem::take(&mut r.html));
                    if project.config.generator.is_none() {
                        r.headings = Vec::new();
                    }
                    r.text = String::new();
                    (g, r, entry)
                })
            };
            if page.data.is_none() && native {
                let (chrome, at) = native::chrome(&site_view, &root, &view);
                let (before, after) = chrome.split_at(at);
                let parts = [before.as_bytes(), view.content.as_bytes(), after.as_bytes()];
                out.write_parts(&page.url, &parts)?;
                markdown::recycle(chrome);
                drop(view);
                return Ok(keep(fresh));
            }
            let mut context = tera::Context::new();
            context.insert("root", &root);
            context.insert("page", &view);
            let template = match page.data {
                Some(DataPage::Calendar) => {
                    context.insert("calendar", &data.calendar_view());
                    "calendar.html"
                }
                Some(DataPage::Release(i)) => {
                    context.insert("release", &data.release_view(i));
                    "release.html"
                }
                Some(DataPage::Metrics) => {
                    context.insert("metrics", &data.metrics_view());
                    "metrics.html"
                }
                Some(DataPage::Report(quarter)) => {
                    let generated = report::generate_from(project, data, quarter, docs.clone());
                    context.insert("report", &generated.report);
                    context.insert("charts", &generated.charts);
                    context.insert("base", &root_prefix(&page.url));
                    "report.html"
                }
                None if page.section.is_some() => "section.html",
                None => "page.html",
            };
            out.write(&page.url, theme.render(template, &context)?.as_bytes())?;
            drop((context, view));
            Ok(keep(fresh))
        })
        .collect::<Result<_>>()?;
    // The search entries of a streamed build, in the site's order.
    let mut entries = Vec::new();
    let streamed_pages = streamed.then(|| {
        let mut all = vec![Rendered::default(); project.guides.len()];
        for (g, r, entry) in pages.into_iter().flatten() {
            all[g] = r;
            entries.push(entry);
        }
        all
    });
    let rendered = streamed_pages.as_deref().unwrap_or(rendered);

    // The rest of the site is written while a streamed build checks its
    // links (the files are few but the search index is large).
    let rest = || -> Result<()> {
        for (path, contents) in data.files(title) {
            out.write(&path, contents.as_bytes())?;
        }

        let mut context = tera::Context::new();
        // The 404 page is served at any depth: absolute links when the site's URL is known.
        context.insert(
            "root",
            &base_url.as_ref().map_or(String::new(), |u| format!("{u}/")),
        );
        out.write("404.html", theme.render("404.html", &context)?.as_bytes())?;
        if let Some(base) = &base_url {
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
            )?;
        }
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

        // The diagram script weighs 3.5 MB: only a site with a diagram gets it.
        let diagrams = rendered.iter().any(|r| r.has_mermaid);
        for (path, bytes) in std::mem::take(&mut theme.static_files) {
            if diagrams || !path.starts_with("assets/vendor/mermaid") {
                out.write(&path, &bytes)?;
            }
        }
        out.write("assets/highlight.css", crate::highlight::css().as_bytes())?;
        if streamed {
            let parts = crate::search::script(entries.iter().map(Vec::as_slice));
            out.write_parts("search-index.js", &parts)?;
        } else {
            // Guides whose page was not written again keep their entry.
            let previous =
                std::mem::take(&mut *search_entries.lock().unwrap_or_else(|e| e.into_inner()));
            let redo = |g: usize| only.is_none_or(|o| o.contains(&site.page_index_of_guide(g)));
            let entries = crate::search::entries(site, rendered, previous, redo);
            out.write_parts(
                "search-index.js",
                &crate::search::index_script(site, &entries),
            )?;
            *search_entries.lock().unwrap_or_else(|e| e.into_inner()) = entries;
        }
        for asset in &project.assets {
            out.copy(asset, &project.content_dir.join(asset))?;
        }
        copy_tree(&project.root.join("static"), out)?;
        if project.config.repo_url.is_none() {
            // Only what the index resolved to a publishable file: regular,
            // tracked, inside the repository, no dotfile (`SiteIndex::withheld`).
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
        }
        Ok(())
    };
    let check = || {
        streamed.then(|| {
            let mut findings =
                check::links::check(&project.guides, rendered, index, project.config.generator);
            crate::include::relocate(&mut findings, &project.guides, rendered);
            findings
        })
    };
    let (rest, findings) = rayon::join(rest, check);
    rest?;
    Ok(Written {
        rendered: streamed_pages,
        findings,
    })
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
    /// Render each guide's markdown as its page is written (`Render::Streamed`).
    streamed: bool,
    /// What `prepare` read of each guide (a streamed build).
    seen: &'a [Seen],
    /// The sources `prepare` kept (a streamed build).
    sources: &'a [Mutex<Option<String>>],
    /// Each guide's search entry: the last rebuild's in, this one's out.
    search_entries: &'a Mutex<Vec<Vec<u8>>>,
}

/// The date "today" for plan status: `SOURCE_DATE_EPOCH` when set (reproducible
/// builds), else the local date.
pub fn today() -> NaiveDate {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map_or_else(|| chrono::Local::now().date_naive(), |t| t.date_naive())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert!(err.to_string().contains("changed while"), "{err}");
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
