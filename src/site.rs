//! The site's shape: one page per guide plus a page per folder without an
//! index guide; titles, ordering by weight then title, the navigation order
//! that prev/next follow, and breadcrumbs.

use ahash::AHashMap as HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::index::{SiteIndex, page_url, percent_encode_path, section_url};
use crate::load::guides::{Guide, file_name, parent};
use crate::markdown::{Rendered, escape};
use crate::project::humanize;

#[derive(Debug, Clone)]
pub struct SitePage {
    pub url: String,
    pub title: String,
    pub description: Option<String>,
    /// The guide this page renders; `None` for a generated section page.
    pub guide: Option<usize>,
    /// For a section's index page, the section's folder (content-relative).
    pub section: Option<String>,
    /// The folder of the section this page sits in (its parent section for a section page).
    pub parent: Option<String>,
    pub weight: Option<i64>,
    /// A page generated from the release data rather than a guide.
    pub data: Option<DataPage>,
    /// A heading of an adopted navigation (a MkDocs section over pages of
    /// several folders, an mdBook part): no page is written for it, and its
    /// `url` is its first page's (empty when it has none).
    pub heading: bool,
    /// Left out of an adopted navigation: written, but in no navigation and
    /// no previous/next chain.
    pub hidden: bool,
}

/// Pages generated from `data/`: the calendar, one per release, the metrics dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataPage {
    Calendar,
    /// Index into the release list.
    Release(usize),
    Metrics,
    /// The quarterly report of a quarter.
    Report(crate::load::calendar::Quarter),
}

/// One row of the navigation tree as a page shows it, flattened depth-first.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavItem<'a> {
    pub title: &'a str,
    /// The page's URL from the site root, percent-encoded.
    pub url: &'a str,
    pub depth: usize,
    pub is_section: bool,
    /// The page being rendered.
    pub active: bool,
    /// A section whose children are listed (the current page is in it).
    pub open: bool,
    /// The page the row links to (its index in `Site::pages`).
    #[serde(skip)]
    pub page: usize,
    /// Non-zero for the row standing in for this many pages of a long folder
    /// that the window around the current page leaves out; `title` and `url`
    /// are then the folder's section page, which lists them all.
    pub more: usize,
    /// A heading of an adopted navigation, not a page (`url` is its first
    /// page's).
    pub heading: bool,
}

/// Sites up to this many pages show the whole tree on every page; larger ones
/// show the top level and the branch leading to the current page, so a page's
/// size does not grow with the site.
const FULL_NAV_PAGES: usize = 200;

/// In a larger site an open folder lists at most this many of its entries,
/// a window around the current page (or the open sub-folder), so a page's
/// navigation stays the same size however many pages a folder has.
const NAV_WINDOW: usize = 21;

/// A folder above the current page's (below the top level) lists this many
/// entries around the open sub-folder: the way back up, not a second copy of
/// a long list.
const ANCESTOR_WINDOW: usize = 5;

pub(crate) struct Site {
    pub pages: Vec<SitePage>,
    /// Page indexes in reading order: home first, then depth-first by weight and title.
    pub order: Vec<usize>,
    /// How many of `order` the navigation shows; the pages after them are
    /// hidden ones (`SitePage::hidden`).
    pub listed: usize,
    by_section: HashMap<String, usize>,
    children: HashMap<String, Vec<usize>>,
    /// Each page's title and href, HTML-escaped once for every navigation
    /// that shows them, and its href (`url` percent-encoded).
    escaped: Vec<Escaped>,
    /// The name a guide's page has in the navigation when it is not its
    /// title (`linkTitle`, an adopted nav's title), by page number.
    nav_titles: Vec<Option<String>>,
}

/// A page's title and href as every navigation writes them.
struct Escaped {
    title_html: String,
    href_html: String,
    href: String,
}

impl Site {
    /// A hash of the site's shape as its pages show it: every page the
    /// navigation, breadcrumbs and section lists may show (an adopted
    /// navigation's headings too) with its name there, and their order.
    /// Two sites of the same hash give a page at the same place the same
    /// navigation, breadcrumbs and neighbours. A hidden page that is no
    /// section's shows in no other page: it is left out (a version's "what
    /// changed" page, which names the version, or which the oldest version
    /// has not), and so are the guides' numbers.
    pub(crate) fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let shown = |p: &&SitePage| !p.hidden || p.section.is_some();
        for page in self.pages.iter().filter(shown) {
            let SitePage {
                url,
                title,
                description,
                guide,
                section,
                parent,
                weight,
                data,
                heading,
                hidden,
            } = page;
            let nav_title = guide.and_then(|g| self.nav_titles.get(g));
            (url, title, description, guide.is_some(), section, parent).hash(&mut h);
            (weight, data, heading, hidden, nav_title).hash(&mut h);
        }
        for page in self.order.iter().map(|&i| &self.pages[i]).filter(shown) {
            page.url.hash(&mut h);
        }
        self.listed.hash(&mut h);
        h.finish()
    }

    pub(crate) fn new(
        guides: &[Guide],
        rendered: &[Rendered],
        index: &SiteIndex,
        site_title: &str,
    ) -> Site {
        // A page per guide, in the guides' order: guide number `i` is page
        // number `i` (generated pages come after them).
        let mut pages: Vec<SitePage> = guides
            .par_iter()
            .zip(rendered)
            .enumerate()
            .map(|(i, (guide, r))| {
                let dir = guide.dir();
                let home = guide.is_index() && dir.is_empty();
                let fallback = || match guide.is_index() {
                    true if home => site_title.to_string(),
                    true => humanize(file_name(dir)),
                    false => humanize(file_name(&guide.path).trim_end_matches(".md")),
                };
                let title = guide
                    .front
                    .title
                    .clone()
                    .or_else(|| r.title.clone())
                    .unwrap_or_else(fallback);
                let section = match &guide.nav_section {
                    Some(key) => Some(key.clone()),
                    None => guide.is_index().then(|| dir.to_string()),
                };
                let parent = match (&guide.nav_parent, home) {
                    (_, true) => None,
                    (Some(key), false) => Some(key.clone()),
                    (None, false) if guide.is_index() => Some(parent(dir).to_string()),
                    (None, false) => Some(dir.to_string()),
                };
                SitePage {
                    url: page_url(&guide.path),
                    title,
                    description: guide.front.description.clone(),
                    guide: Some(i),
                    parent,
                    section,
                    weight: guide.nav_weight.or(guide.front.weight),
                    data: None,
                    heading: false,
                    hidden: guide.nav_hidden,
                }
            })
            .collect();
        let mut generated: Vec<&str> = index
            .sections()
            .filter(|(_, g)| g.is_none())
            .map(|(d, _)| d)
            .collect();
        generated.sort_unstable();
        for dir in generated {
            let title = if dir.is_empty() {
                site_title.to_string()
            } else {
                humanize(file_name(dir))
            };
            pages.push(SitePage {
                url: section_url(dir),
                title,
                description: None,
                guide: None,
                parent: parent_section(Some(dir), dir),
                section: Some(dir.to_string()),
                weight: None,
                data: None,
                heading: false,
                hidden: false,
            });
        }

        let nav_titles = guides
            .iter()
            .map(|g| {
                g.nav_title
                    .as_ref()
                    .or(g.front.link_title.as_ref())
                    .filter(|t| !t.trim().is_empty())
                    .cloned()
            })
            .collect();
        Site {
            pages,
            order: Vec::new(),
            listed: 0,
            by_section: HashMap::new(),
            children: HashMap::new(),
            escaped: Vec::new(),
            nav_titles,
        }
    }

    /// Places and names the generated pages of folders without an index
    /// page as an adopted navigation does, and adds its headings; called
    /// before `add_pages`.
    pub(crate) fn place_sections(
        &mut self,
        sections: &std::collections::BTreeMap<String, crate::project::NavSection>,
    ) {
        if sections.is_empty() {
            return;
        }
        for page in self.pages.iter_mut().filter(|p| p.guide.is_none()) {
            if let Some(placed) = page.section.as_ref().and_then(|s| sections.get(s)) {
                page.weight = placed.weight.or(page.weight);
                if let Some(title) = &placed.title {
                    page.title = title.clone();
                }
                if placed.parent.is_some() {
                    page.parent = placed.parent.clone();
                }
            }
        }
        for (key, heading) in sections.iter().filter(|(_, s)| s.heading) {
            self.pages.push(SitePage {
                url: String::new(),
                title: heading.title.clone().unwrap_or_default(),
                description: None,
                guide: None,
                section: Some(key.clone()),
                parent: heading.parent.clone(),
                weight: heading.weight,
                data: None,
                heading: true,
                hidden: false,
            });
        }
    }

    /// The name page number `page` has in the navigation.
    fn nav_title(&self, page: usize) -> &str {
        match self.nav_titles.get(page) {
            Some(Some(title)) => title,
            _ => &self.pages[page].title,
        }
    }

    /// Adds generated pages (their `parent` and `section` place them in the
    /// tree) and lays the site out: called once after `new`, with or without
    /// pages to add, before the navigation or the order is used.
    pub(crate) fn add_pages(&mut self, pages: Vec<SitePage>) {
        self.pages.extend(pages);
        self.link();
    }

    /// Sections, children in order, and the reading order.
    fn link(&mut self) {
        let pages = &self.pages;
        self.by_section = pages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.section.clone().map(|s| (s, i)))
            .collect();
        let mut children: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in pages.iter().enumerate().filter(|(_, p)| !p.hidden) {
            if let Some(parent) = &p.parent {
                children.entry(parent.clone()).or_default().push(i);
            }
        }
        let nav_titles = &self.nav_titles;
        let lowercase: Vec<String> = pages
            .par_iter()
            .enumerate()
            .map(|(i, p)| match nav_titles.get(i) {
                Some(Some(title)) => title.to_lowercase(),
                _ => p.title.to_lowercase(),
            })
            .collect();
        // A folder's generated page whose pages an adopted navigation
        // lists elsewhere has nothing to show: it is left out.
        loop {
            let empty = |i: &usize| {
                let p = &pages[*i];
                p.guide.is_none()
                    && p.data.is_none()
                    && !p.heading
                    && p.section
                        .as_ref()
                        .is_some_and(|s| children.get(s).is_none_or(Vec::is_empty))
            };
            let gone: ahash::AHashSet<usize> =
                children.values().flatten().copied().filter(empty).collect();
            if gone.is_empty() {
                break;
            }
            for list in children.values_mut() {
                list.retain(|i| !gone.contains(i));
            }
        }
        for list in children.values_mut() {
            list.sort_by(|&a, &b| {
                let key = |i: usize| {
                    let p = &pages[i];
                    (p.weight.is_none(), p.weight, &lowercase[i], &p.url)
                };
                key(a).cmp(&key(b))
            });
        }
        // A heading links to its first page.
        let heading_urls: Vec<(usize, String)> = (0..pages.len())
            .filter(|&i| pages[i].heading)
            .map(|i| {
                let mut at = i;
                while pages[at].heading {
                    match pages[at].section.as_ref().and_then(|s| children.get(s)) {
                        Some(list) if !list.is_empty() => at = list[0],
                        _ => return (i, String::new()),
                    }
                }
                (i, pages[at].url.clone())
            })
            .collect();
        for (i, url) in heading_urls {
            self.pages[i].url = url;
        }
        let pages = &self.pages;
        self.children = children;
        let known = self.escaped.len().min(pages.len());
        self.escaped.truncate(known);
        self.escaped
            .par_extend(pages[known..].par_iter().enumerate().map(|(i, p)| {
                let href = percent_encode_path(&p.url);
                let title = match nav_titles.get(known + i) {
                    Some(Some(title)) => title,
                    _ => &p.title,
                };
                Escaped {
                    title_html: escape(title),
                    href_html: escape(&href),
                    href,
                }
            }));
        self.order.clear();
        if let Some(&home) = self.by_section.get("") {
            self.order.push(home);
            self.walk("");
        }
        self.listed = self.order.len();
        let hidden = self.pages.iter().enumerate().filter(|(_, p)| p.hidden);
        self.order.extend(hidden.map(|(i, _)| i));
    }

    fn walk(&mut self, dir: &str) {
        let kids = self.children.get(dir).cloned().unwrap_or_default();
        for page in kids {
            if !self.pages[page].heading {
                self.order.push(page);
            }
            if let Some(section) = self.pages[page].section.clone() {
                self.walk(&section);
            }
        }
    }

    /// The navigation as page number `current` (an index into `pages`) shows it.
    pub(crate) fn nav_for(&self, current: usize) -> Vec<NavItem<'_>> {
        let page = &self.pages[current];
        let mut open: Vec<&str> = self
            .ancestors(page)
            .iter()
            .filter_map(|p| p.section.as_deref())
            .collect();
        open.extend(page.section.as_deref());
        let full = self.pages.len() <= FULL_NAV_PAGES;
        let mut items = Vec::new();
        if let Some(&home) = self.by_section.get("") {
            items.push(self.nav_item(home, 0, current, true));
        }
        self.walk_nav("", 0, &open, full, current, &mut items);
        items
    }

    fn walk_nav<'a>(
        &'a self,
        dir: &str,
        depth: usize,
        open: &[&str],
        full: bool,
        current: usize,
        items: &mut Vec<NavItem<'a>>,
    ) {
        let kids = self.children.get(dir).map_or(&[][..], Vec::as_slice);
        let here = kids.iter().position(|&p| p == current);
        // The folder of a section's own page is that page's list, not an ancestor.
        let own = self.pages[current].section.as_deref() == Some(dir);
        let window = if here.is_none() && !own && depth > 0 {
            ANCESTOR_WINDOW
        } else {
            NAV_WINDOW
        };
        let shown = if full || kids.len() <= window {
            0..kids.len()
        } else {
            let anchor = here
                .or_else(|| {
                    kids.iter().position(|&p| {
                        self.pages[p]
                            .section
                            .as_deref()
                            .is_some_and(|s| open.contains(&s))
                    })
                })
                .unwrap_or(0);
            let start = anchor.saturating_sub(window / 2).min(kids.len() - window);
            start..start + window
        };
        let folder = self.by_section.get(dir).copied();
        let more = |count: usize, items: &mut Vec<NavItem<'a>>| {
            if let (true, Some(folder)) = (count > 0, folder) {
                let mut item = self.nav_item(folder, depth, current, false);
                item.active = false;
                item.is_section = false;
                item.more = count;
                items.push(item);
            }
        };
        more(shown.start, items);
        for &p in &kids[shown.clone()] {
            let expand = self.pages[p]
                .section
                .as_deref()
                .filter(|s| full || open.contains(s));
            items.push(self.nav_item(p, depth, current, expand.is_some()));
            if let Some(section) = expand {
                self.walk_nav(section, depth + 1, open, full, current, items);
            }
        }
        more(kids.len() - shown.end, items);
    }

    fn nav_item(&self, page: usize, depth: usize, current: usize, open: bool) -> NavItem<'_> {
        let p = &self.pages[page];
        NavItem {
            title: self.nav_title(page),
            url: self.href(page),
            depth,
            is_section: p.section.is_some(),
            active: page == current,
            open,
            page,
            more: 0,
            heading: p.heading,
        }
    }

    /// The navigation as page number `current` shows it, as nested lists:
    /// what the default theme's sidebar holds. `root` leads back to the site
    /// root.
    pub(crate) fn nav_html(&self, current: usize) -> String {
        let here = &self.escaped[current].href_html;
        let folder = &here[..here.rfind('/').map_or(0, |i| i + 1)];
        self.nav_markup(current, NavLinks::From(folder))
    }

    /// The navigation on a page that is none of the site's (the 404 page,
    /// served at any depth): as the home page shows it, no entry current,
    /// each link `root` (a site URL with its `/`, `/`, or empty) then the
    /// page's URL.
    pub(crate) fn nav_html_from_root(&self, root: &str) -> String {
        let Some(&home) = self.by_section.get("").or(self.order.first()) else {
            return String::new();
        };
        self.nav_markup(home, NavLinks::Root(&escape(root)))
    }

    fn nav_markup(&self, current: usize, links: NavLinks<'_>) -> String {
        let items = self.nav_for(current);
        let prefix = match links {
            NavLinks::From(folder) | NavLinks::Root(folder) => folder.len(),
        };
        let mut html = String::with_capacity(64 + items.len() * (prefix + 80));
        html.push_str("<ul class=\"al-nav\">\n");
        // The depth of the list being written; whether its last entry is open.
        let (mut depth, mut entry_open) = (0, false);
        for item in &items {
            // A folder's entries are a list inside its own entry.
            while depth < item.depth {
                if !entry_open {
                    html.push_str("<li>");
                }
                html.push_str("<ul>\n");
                (depth, entry_open) = (depth + 1, false);
            }
            if entry_open {
                html.push_str("</li>\n");
            }
            while depth > item.depth {
                html.push_str("</ul></li>\n");
                depth -= 1;
            }
            let active = item.active && matches!(links, NavLinks::From(_));
            let class = match (active, item.more > 0, item.is_section) {
                (true, _, true) => " class=\"al-nav-section al-active\"",
                (true, _, false) => " class=\"al-active\"",
                (false, true, _) => " class=\"al-nav-more\"",
                (false, false, true) => " class=\"al-nav-section\"",
                (false, false, false) => "",
            };
            if item.heading && item.more == 0 {
                html.push_str("<li class=\"al-nav-heading\"><span>");
                html.push_str(&self.escaped[item.page].title_html);
                html.push_str("</span>");
                entry_open = true;
                continue;
            }
            html.push_str("<li");
            html.push_str(class);
            html.push_str("><a href=\"");
            match links {
                NavLinks::From(folder) => {
                    crate::index::push_relative(
                        &mut html,
                        &self.escaped[item.page].href_html,
                        folder,
                    );
                }
                NavLinks::Root(root) => {
                    html.push_str(root);
                    html.push_str(&self.escaped[item.page].href_html);
                }
            }
            html.push('"');
            if active {
                html.push_str(" aria-current=\"page\"");
            }
            html.push('>');
            if item.more > 0 {
                push_number(&mut html, item.more);
                html.push_str(" more in ");
            }
            html.push_str(&self.escaped[item.page].title_html);
            html.push_str("</a>");
            entry_open = true;
        }
        if entry_open {
            html.push_str("</li>\n");
        }
        for _ in 0..depth {
            html.push_str("</ul></li>\n");
        }
        html.push_str("</ul>");
        html
    }

    /// Page number `page`'s URL as an href from the site root: its `url`
    /// percent-encoded.
    pub(crate) fn href(&self, page: usize) -> &str {
        &self.escaped[page].href
    }

    /// The index in `pages` of guide number `guide`'s page.
    pub(crate) fn page_index_of_guide(&self, guide: usize) -> usize {
        guide
    }

    pub(crate) fn page_of_guide(&self, guide: usize) -> &SitePage {
        &self.pages[guide]
    }

    pub(crate) fn section_page(&self, dir: &str) -> Option<&SitePage> {
        self.by_section.get(dir).map(|&i| &self.pages[i])
    }

    /// Pages directly under a section, in order.
    pub(crate) fn children(&self, dir: &str) -> impl Iterator<Item = &SitePage> {
        self.children
            .get(dir)
            .into_iter()
            .flatten()
            .map(|&i| &self.pages[i])
    }

    /// The section pages above `page`, from the home page down.
    pub(crate) fn ancestors(&self, page: &SitePage) -> Vec<&SitePage> {
        let mut chain = Vec::new();
        let mut dir = page.parent.as_deref();
        while let Some(d) = dir {
            let Some(section) = self.section_page(d) else {
                break;
            };
            chain.push(section);
            dir = section.parent.as_deref();
        }
        chain.reverse();
        chain
    }
}

/// How the navigation's links are written: relative to the folder of the
/// page showing it, or from a root (escaped).
#[derive(Clone, Copy)]
enum NavLinks<'a> {
    From(&'a str),
    Root(&'a str),
}

fn push_number(out: &mut String, n: usize) {
    use std::fmt::Write;
    let _ = write!(out, "{n}");
}

/// The section a page sits in: its folder, or for a section's own page the folder above.
fn parent_section(section: Option<&str>, dir: &str) -> Option<String> {
    match section {
        Some("") => None,
        Some(s) => Some(parent(s).to_string()),
        None => Some(dir.to_string()),
    }
}
