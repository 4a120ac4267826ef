//! What one version of a handbook with `versions:` is built with: the
//! other versions' pages (the switcher, the banner, the canonical link), its
//! changes since the version before (the "what changed" page), and the
//! renderings every version shares. `versions` makes these; `build` reads them.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use git2::Oid;

use crate::error::Result;
use crate::markdown::Rendered;
use crate::project::Project;
use crate::search::PageSearch;

/// One version of the handbook.
#[derive(Debug, Clone)]
pub(crate) struct Version {
    /// As readers see it: `1.2.0`, or `dev` for the working tree.
    pub(crate) name: String,
    /// Its folder in the output, `/`-terminated (`""` at the root).
    pub(crate) dir: String,
    /// The tagged commit (`None`: the working tree).
    pub(crate) commit: Option<Oid>,
    /// A release, not the working tree.
    pub(crate) release: bool,
    /// Its tag, for messages.
    pub(crate) tag: Option<String>,
}

/// A page of one version changed since the version before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    Added,
    Modified,
    /// Renamed from the path given (and maybe edited).
    Renamed(String),
}

/// What a version's page says about its change since the previous version.
#[derive(Debug, Clone)]
pub(crate) struct PageDiff {
    /// Root-relative path in this version (the old path for a removed page).
    pub(crate) file: String,
    pub(crate) change: Option<Change>,
    /// Unified diff lines: (`+`, `-`, ` ` or `@`, text).
    pub(crate) lines: Vec<(char, String)>,
    pub(crate) added: usize,
    pub(crate) removed: usize,
    /// Lines left out of a long diff.
    pub(crate) cut: usize,
}

/// Lines of one page's diff shown at most.
pub(crate) const DIFF_LINES_SHOWN: usize = 400;

/// What one version's build takes from the others: set before it is
/// prepared (`shared`, `diffs`), and once every version is laid out (`ui`).
#[derive(Debug)]
pub struct VersionBuild {
    pub(crate) version: Version,
    /// The root's calendar and metrics, for an older version whose data
    /// pages are the root's.
    pub(crate) shared: Option<SharedData>,
    /// Where the history of last updates starts: the repository and the
    /// tagged commit.
    pub(crate) history_at: Option<(PathBuf, Oid)>,
    /// The pages changed since the previous version, and its name.
    pub(crate) diffs: Option<(String, Vec<PageDiff>)>,
    /// The "what changed" page's URL in this version, once loaded.
    pub(crate) changes_url: OnceLock<String>,
    /// The switcher, banner and canonical link of each page.
    pub(crate) ui: OnceLock<VersionUi>,
    /// Renderings shared by every version.
    pub(crate) cache: Arc<RenderCache>,
    /// The first version's history, whose releases every version shares.
    pub(crate) histories: Arc<Mutex<Option<crate::load::history::History>>>,
    /// The files each commit changed, which every version's walk for its
    /// pages' last updates shares.
    pub(crate) changed: Arc<crate::load::history::Changed>,
    /// The site's title where a version's config names none (a tag from
    /// before the title was set, or before almanac): the project's. A
    /// version is laid out in a scratch folder, whose name is no title.
    pub(crate) title: Option<String>,
    /// This version's pages as written, by URL, when it is an older one:
    /// the next older version links those its own would equal.
    pub(crate) written: Mutex<HashMap<String, Arc<Carried>>>,
    /// The pages of the older version written just before this one
    /// (`written`), set before this one is written.
    pub(crate) before: OnceLock<HashMap<String, Arc<Carried>>>,
    /// How many of its pages were linked from the version written before,
    /// unrendered.
    pub(crate) linked: AtomicUsize,
    /// Its tree as laid out (`None`: the working tree).
    pub(crate) tree: Option<Arc<TreeFacts>>,
}

/// A page an older version wrote, as the next older version needs it to
/// tell, before rendering anything, that its own page would be the same
/// bytes and then to link that file instead: the bytes are made of the
/// site's shape, theme and settings (`build::PageParts::site_key`), the
/// page's place, source blob, last update and version markup
/// (`build::carry_key`), and where its links lead.
#[derive(Debug)]
pub(crate) struct Carried {
    pub(crate) key: u64,
    /// The rendering without its HTML: the rest of the build reads its
    /// links, headings and anchors.
    pub(crate) rendered: Rendered,
    /// What the link check judged of the page's links as it was written,
    /// the `#fragment`s still to look up: the same site and the same
    /// source are judged the same.
    pub(crate) slots: Vec<crate::check::links::Slot>,
    pub(crate) generator: Option<crate::check::links::GeneratorPage>,
    pub(crate) search: Arc<PageSearch>,
}

/// What an older version's tree is, as laid out: a hash of every path in
/// it (with its mode) and of every file's blob but the markdown's and the
/// data's (an older version's data pages are the root's), and the blob of
/// each markdown file, by its path in the project.
#[derive(Debug, Default)]
pub(crate) struct TreeFacts {
    pub(crate) files: u64,
    pub(crate) blobs: HashMap<String, Oid>,
}

#[derive(Debug, Clone)]
pub(crate) struct SharedData {
    pub(crate) calendar: Option<(crate::load::calendar::Calendar, String)>,
    pub(crate) metrics: Option<crate::load::metrics::Metrics>,
    pub(crate) metrics_text: Option<String>,
}

impl VersionBuild {
    /// The history of this version: `whole` read for the first version,
    /// then `updates` alone (its last updates), with the first's releases.
    pub(crate) fn history(
        &self,
        whole: impl FnOnce() -> Result<crate::load::history::History>,
        updates: impl FnOnce() -> Result<crate::load::history::History>,
    ) -> Result<crate::load::history::History> {
        let mut first = self.histories.lock().unwrap_or_else(|e| e.into_inner());
        match first.as_ref() {
            Some(known) => {
                let mut mine = updates()?;
                mine.releases = known.releases.clone();
                mine.first_commits = known.first_commits.clone();
                Ok(mine)
            }
            None => {
                let history = whole()?;
                *first = Some(history.clone());
                Ok(history)
            }
        }
    }

    /// An older version links to the root's data pages rather than making its own.
    pub(crate) fn data_elsewhere(&self) -> bool {
        self.shared.is_some()
    }

    /// The loaded project, adjusted: the root's data for an older version,
    /// and the "what changed" page added.
    pub(crate) fn adjust(&self, project: &mut Project) {
        if let Some(title) = self
            .title
            .as_ref()
            .filter(|_| project.config.title.is_empty())
        {
            project.config.title = title.clone();
        }
        if let Some(shared) = &self.shared {
            project.calendar = shared.calendar.clone();
            project.metrics = shared.metrics.clone();
            project.metrics_text = shared.metrics_text.clone();
        }
        let Some((previous, diffs)) = &self.diffs else {
            return;
        };
        let files: HashSet<&str> = project.guides.iter().map(|g| g.file.as_str()).collect();
        let prefix = &project.content_prefix;
        let in_content = |f: &str| prefix.is_empty() || f.starts_with(&format!("{prefix}/"));
        let shown: Vec<&PageDiff> = diffs
            .iter()
            .filter(|d| match d.change {
                Some(_) => files.contains(d.file.as_str()),
                None => in_content(&d.file),
            })
            .collect();
        let taken: HashSet<&str> = project.guides.iter().map(|g| g.path.as_str()).collect();
        let path = (1..)
            .map(|n| match n {
                1 => "what-changed.md".to_string(),
                n => format!("what-changed-{n}.md"),
            })
            .find(|p| !taken.contains(p.as_str()))
            .unwrap_or_default();
        let text = changes_markdown(&self.version.name, previous, &shown, prefix);
        let file = match prefix.is_empty() {
            true => path.clone(),
            false => format!("{prefix}/{path}"),
        };
        if let Ok(mut guide) = crate::load::guides::parse(&file, &path, text) {
            guide.nav_hidden = true;
            let _ = self.changes_url.set(crate::index::page_url(&guide.path));
            project.guides.push(guide);
        }
    }
}

/// `html` with every `{` an entity: a diff line that holds a shortcode or
/// another generator's include (`{{ kpi(…) }}`, `{{#include …}}`) is shown,
/// never run.
fn inert(html: &str) -> String {
    html.replace('{', "&#123;")
}

/// The id of a page's section on the "what changed" page.
pub(crate) fn change_id(file: &str) -> String {
    let mut id = String::from("change-");
    for c in file.chars() {
        id.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '-'
        });
    }
    id
}

/// The "what changed" page: each changed page's diff.
fn changes_markdown(name: &str, previous: &str, diffs: &[&PageDiff], prefix: &str) -> String {
    use std::fmt::Write;
    let esc = crate::markdown::escape;
    let mut md = format!("---\ntitle: \"What changed since {previous}\"\n---\n\n");
    let count = |f: fn(&Option<Change>) -> bool| diffs.iter().filter(|d| f(&d.change)).count();
    let added = count(|c| matches!(c, Some(Change::Added)));
    let removed = count(Option::is_none);
    let changed = diffs.len() - added - removed;
    let _ = writeln!(
        md,
        "The pages of the handbook for **{name}** that differ from **{previous}**: \
         {changed} changed, {added} added, {removed} removed.\n"
    );
    if diffs.is_empty() {
        md.push_str("No page changed.\n");
    }
    let rel = |file: &str| -> String {
        let inner = match prefix.is_empty() {
            true => file,
            false => file.strip_prefix(&format!("{prefix}/")).unwrap_or(file),
        };
        inner.replace(' ', "%20")
    };
    for d in diffs {
        let title = match &d.change {
            Some(Change::Added) => "added",
            Some(Change::Modified) => "changed",
            Some(Change::Renamed(_)) => "renamed",
            None => "removed",
        };
        let _ = writeln!(
            md,
            "## `{}` ({title}) {{#{}}}\n",
            d.file.replace('`', "'"),
            change_id(&d.file)
        );
        match &d.change {
            Some(Change::Renamed(from)) => {
                let _ = writeln!(md, "Was `{}`. ", from.replace('`', "'"));
            }
            None => md.push_str("Not in this version. "),
            _ => {}
        }
        if d.change.is_some() {
            let _ = write!(md, "[Read the page]({}). ", rel(&d.file));
        }
        let _ = writeln!(md, "{} added, {} removed.\n", d.added, d.removed);
        if d.lines.is_empty() {
            continue;
        }
        md.push_str("<pre class=\"al-diff\"><code>");
        for (origin, text) in &d.lines {
            let class = match origin {
                '+' => "al-diff-add",
                '-' => "al-diff-del",
                '@' => "al-diff-hunk",
                _ => "al-diff-same",
            };
            let mark = match origin {
                '@' => "",
                '+' => "+",
                '-' => "-",
                _ => " ",
            };
            let _ = writeln!(
                md,
                "<span class=\"{class}\">{mark}{}</span>",
                inert(&esc(text.trim_end_matches(['\n', '\r'])))
            );
        }
        if d.cut > 0 {
            let _ = writeln!(
                md,
                "<span class=\"al-diff-hunk\">… {} more lines</span>",
                d.cut
            );
        }
        md.push_str("</code></pre>\n\n");
    }
    md
}

/// Makes version `i`'s build, given the older version it is compared with,
/// and whether it is at the output's root.
pub(crate) type MakeVersion<'a> =
    &'a dyn Fn(usize, Option<usize>, bool) -> Result<Arc<VersionBuild>>;

/// Told every version's pages once all are laid out (`build::build_versions`).
pub(crate) type TellPages<'a> = &'a dyn Fn(&[Arc<VersionBuild>], Vec<PageMap>) -> Result<()>;

/// A map looked up for every page of every version, once for each version
/// (the switcher): hashed with `ahash`, not SipHash.
pub(crate) type FastMap<K, V> = HashMap<K, V, ahash::RandomState>;

/// The pages of each version: guide file → URL, and every URL.
#[derive(Debug, Default, Clone)]
pub(crate) struct PageMap {
    pub(crate) files: FastMap<String, String>,
    pub(crate) urls: HashSet<String, ahash::RandomState>,
}

/// What a version's pages say about the versions.
#[derive(Debug)]
pub(crate) struct VersionUi {
    pub(crate) versions: Vec<Version>,
    pub(crate) current: usize,
    /// The newest release.
    /// The newest release among `versions` (`None`: `serve`, which does not
    /// link it).
    pub(crate) latest: Option<usize>,
    pub(crate) pages: Arc<Vec<PageMap>>,
    /// For each version: this version's files → the file they became there.
    pub(crate) renames: Vec<FastMap<String, String>>,
    /// This version's files changed since the previous version.
    pub(crate) changed: HashMap<String, Change>,
    pub(crate) previous: Option<String>,
    pub(crate) changes_url: Option<String>,
    pub(crate) base_url: Option<String>,
}

/// A page's version markup: in `<head>`, in the top bar, above the content.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub(crate) struct VersionMarkup {
    pub(crate) head: String,
    pub(crate) bar: String,
    pub(crate) banner: String,
}

impl VersionUi {
    /// The URL in version `v` of the page at `url` here (from guide `file`),
    /// `None` when that version has no such page (its home is then shown).
    fn target(&self, v: usize, url: &str, file: Option<&str>) -> Option<&str> {
        let map = &self.pages[v];
        let by_file = file.and_then(|file| {
            map.files
                .get(file)
                .or_else(|| self.renames[v].get(file).and_then(|f| map.files.get(f)))
        });
        // A version known by its pages' URLs alone (one `serve` links to)
        // has the page if it has the URL.
        let by_url = || match file {
            Some(_) if !map.files.is_empty() => None,
            _ => map.urls.get(url),
        };
        by_file.or_else(by_url).map(String::as_str)
    }

    pub(crate) fn markup(&self, root: &str, url: &str, file: Option<&str>) -> VersionMarkup {
        use std::fmt::Write;
        let esc = crate::markdown::escape;
        let up = match self.versions[self.current].dir.is_empty() {
            true => "",
            false => "../",
        };
        let href = |v: usize, target: Option<&str>| -> String {
            let dir = &self.versions[v].dir;
            format!("{root}{up}{dir}{}", target.unwrap_or("index.html"))
        };
        let current = &self.versions[self.current];
        // An older release's page names no version: the same page of every
        // older release is then the same file, linked rather than written
        // again. The theme's script names it from the menu's link to this
        // very page; without the script it reads "an older release".
        let shared = !current.dir.is_empty()
            && current.release
            && self.latest.is_some_and(|l| l != self.current);
        let name = match shared {
            true => "<span class=\"al-version-name\">older release</span>".to_string(),
            false => esc(&current.name),
        };
        let mut m = VersionMarkup::default();
        let _ = write!(
            m.bar,
            "<details class=\"al-versions\"><summary><span class=\"al-visually-hidden\">Version: </span>{name}</summary><ul>"
        );
        for (v, version) in self.versions.iter().enumerate() {
            let target = match v == self.current {
                true => Some(url),
                false => self.target(v, url, file),
            };
            let note = match (Some(v) == self.latest, version.release, target.is_some()) {
                (true, _, true) => " <small>latest</small>",
                (true, _, false) => " <small>latest, home</small>",
                (false, false, _) => " <small>development</small>",
                (false, true, false) => " <small>home</small>",
                _ => "",
            };
            let current = match v == self.current && !shared {
                true => " aria-current=\"true\"",
                false => "",
            };
            // `href(v, target)`, escaped, written as it is made: a page
            // writes one per version.
            m.bar.push_str("<li><a href=\"");
            for part in [root, up, &version.dir, target.unwrap_or("index.html")] {
                crate::markdown::escape_into(&mut m.bar, part);
            }
            m.bar.push_str("\" data-version=\"");
            crate::markdown::escape_into(&mut m.bar, &version.name);
            m.bar.push('"');
            m.bar.push_str(current);
            m.bar.push('>');
            crate::markdown::escape_into(&mut m.bar, &version.name);
            m.bar.push_str(note);
            m.bar.push_str("</a></li>");
        }
        m.bar.push_str("</ul></details>");
        let what = match current.release {
            true if shared => {
                "the handbook for <strong class=\"al-version-name\">an older release</strong>"
                    .to_string()
            }
            true => format!("the handbook for <strong>{}</strong>", esc(&current.name)),
            false => "the handbook as it is being written (<strong>dev</strong>)".to_string(),
        };
        match self.latest {
            Some(latest) if latest != self.current => {
                let there = self.target(latest, url, file);
                let link = match there {
                    Some(_) => "this page there",
                    None => "its home page (this page is not in it)",
                };
                let _ = write!(
                    m.banner,
                    "<div class=\"al-version-banner\" role=\"note\"><p>You are reading {what}. The latest release is <strong>{}</strong>: <a href=\"{}\">{link}</a>.</p></div>",
                    esc(&self.versions[latest].name),
                    esc(&href(latest, there))
                );
                if let Some(there) = there {
                    let canonical = match &self.base_url {
                        Some(base) => format!("{base}/{}{there}", self.versions[latest].dir),
                        None => href(latest, Some(there)),
                    };
                    let _ = write!(
                        m.head,
                        "<link rel=\"canonical\" href=\"{}\">",
                        esc(&canonical)
                    );
                }
            }
            Some(_) => {}
            None => {
                let _ = write!(
                    m.banner,
                    "<div class=\"al-version-banner\" role=\"note\"><p>You are reading {what}. The releases built in the output are in the version menu.</p></div>"
                );
            }
        }
        if let (Some(file), Some(previous), Some(changes)) =
            (file, &self.previous, &self.changes_url)
            && let Some(change) = self.changed.get(file)
        {
            let what = match change {
                Change::Added => format!("New since {}", esc(previous)),
                Change::Modified => format!("Changed since {}", esc(previous)),
                Change::Renamed(_) => format!("Moved since {}", esc(previous)),
            };
            let _ = write!(
                m.banner,
                "<p class=\"al-version-changed\">{what}: <a href=\"{root}{}#{}\">what changed</a></p>",
                esc(changes),
                change_id(file)
            );
        }
        m
    }
}

/// Each link destination of a page and what it was rewritten to: all a
/// page's rendering takes from the site around it.
pub(crate) type Rewrites = Vec<(String, (Option<String>, Option<crate::index::Target>))>;

/// What a link was rewritten to, said without the guides' numbering, which
/// differs between versions: a page is named by its guide's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Portable {
    href: Option<String>,
    target: Option<crate::index::Target>,
    page: Option<String>,
}

impl Portable {
    /// `rewrite` without guide numbers: `guide_path(n)` is guide `n`'s path.
    pub(crate) fn new(
        (href, target): &(Option<String>, Option<crate::index::Target>),
        guide_path: impl Fn(usize) -> String,
    ) -> Portable {
        use crate::index::Target;
        let (target, page) = match target {
            Some(Target::Page { page, fragment }) => (
                Some(Target::Page {
                    page: usize::MAX,
                    fragment: fragment.clone(),
                }),
                Some(guide_path(*page)),
            ),
            other => (other.clone(), None),
        };
        Portable {
            href: href.clone(),
            target,
            page,
        }
    }
}

/// Whether each link destination of `rewrites` is rewritten `now` as it
/// was; if so, `rendered`'s links get their targets of now.
fn relink(
    rendered: &mut Rendered,
    rewrites: &[(String, Portable)],
    now: impl Fn(&str) -> (Option<String>, Option<crate::index::Target>),
    guide_path: impl Fn(usize) -> String,
) -> bool {
    let mut current = HashMap::with_capacity(rewrites.len());
    for (dest, was) in rewrites {
        let is = now(dest);
        if Portable::new(&is, &guide_path) != *was {
            return false;
        }
        current.insert(dest.as_str(), is.1);
    }
    for link in &mut rendered.links {
        if let Some(target) = current.get(link.target.as_str()) {
            link.resolved = target.clone();
        }
    }
    true
}

/// (guide path, hash of its text, hash of the other render inputs).
pub(crate) type RenderKey = (String, u64, u64);

/// A rendering and how its links were rewritten (destination, outcome).
type Kept = (Rendered, Vec<(String, Portable)>);

/// Renderings of guides' markdown shared by every version: a page whose
/// text and site around it are the same in several versions is rendered once.
#[derive(Debug, Default)]
pub(crate) struct RenderCache {
    pub(crate) pages: Mutex<HashMap<RenderKey, Kept>>,
    pub(crate) hits: AtomicUsize,
    /// Search entries by a hash of the page's title and content.
    pub(crate) searches: Mutex<HashMap<(u128, crate::search::Depth), Arc<PageSearch>>>,
}

impl RenderCache {
    /// The rendering kept for `key` if each of its links is rewritten now as
    /// it was then (`now(destination)`), its links' targets made this
    /// version's (guide numbers differ between versions).
    pub(crate) fn get(
        &self,
        key: &RenderKey,
        now: impl Fn(&str) -> (Option<String>, Option<crate::index::Target>),
        guide_path: impl Fn(usize) -> String,
    ) -> Option<Rendered> {
        let (mut rendered, rewrites) = self
            .pages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)?
            .clone();
        if !relink(&mut rendered, &rewrites, now, guide_path) {
            return None;
        }
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(rendered)
    }

    pub(crate) fn put(
        &self,
        key: RenderKey,
        rendered: &Rendered,
        rewrites: Rewrites,
        guide_path: impl Fn(usize) -> String,
    ) {
        let portable = rewrites
            .into_iter()
            .map(|(dest, done)| {
                let p = Portable::new(&done, &guide_path);
                (dest, p)
            })
            .collect();
        self.pages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, (rendered.clone(), portable));
    }

    /// The search entry of a page whose title and content hash to `key`,
    /// made with `make` the first time.
    pub(crate) fn search(
        &self,
        key: (u128, crate::search::Depth),
        make: impl FnOnce() -> PageSearch,
    ) -> Arc<PageSearch> {
        let lock = || self.searches.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = lock().get(&key) {
            return Arc::clone(known);
        }
        let made = Arc::new(make());
        lock().insert(key, Arc::clone(&made));
        made
    }

    /// How many renderings were taken from the cache.
    pub(crate) fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lines_are_shown_not_expanded() {
        let page = PageDiff {
            file: "docs/a.md".into(),
            change: Some(Change::Modified),
            lines: vec![
                ('-', "{{ kpi(id=\"gone\") }}\n".into()),
                ('+', "{{#include ../../secret.rs}}\n".into()),
                (' ', "<b>&</b>\n".into()),
            ],
            added: 1,
            removed: 1,
            cut: 0,
        };
        let md = changes_markdown("1.1", "1.0", &[&page], "docs");
        assert!(!md.contains("{{"), "{md}");
        assert!(
            md.contains("-&#123;&#123; kpi(id=&quot;gone&quot;) }}"),
            "{md}"
        );
        assert!(
            md.contains("+&#123;&#123;#include ../../secret.rs}}"),
            "{md}"
        );
        assert!(md.contains(" &lt;b&gt;&amp;&lt;/b&gt;"), "{md}");
        // The page it renders names no shortcode and includes nothing.
        assert!(crate::shortcodes::find(&md, 0).is_empty());
        assert!(!crate::include::needed(&md, 0, &None));
    }
}
