//! View structs: what templates see. `site`, `nav` and `data` are global;
//! `root` (the way back to the site root) and `page` are per page.

use serde::Serialize;

use crate::markdown::Rendered;
use crate::site::{NavItem, Site, SitePage};

#[derive(Debug, Serialize)]
pub(crate) struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub(crate) struct LinkView {
    pub title: String,
    /// Site-root-relative URL: the output path, percent-encoded.
    pub url: String,
    /// The link from the page being rendered: the shortest relative path.
    pub href: String,
    pub description: Option<String>,
}

impl LinkView {
    /// A link to `to` from the page at `from_url`.
    pub(crate) fn new(to: &SitePage, from_url: &str) -> Self {
        LinkView {
            title: to.title.clone(),
            url: crate::index::percent_encode_path(&to.url),
            href: crate::index::relative_href(from_url, &to.url),
            description: to.description.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct UpdatedView {
    pub date: String,
    pub author: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct TocItem<'a> {
    pub level: u8,
    pub title: &'a str,
    pub id: &'a str,
}

#[derive(Debug, Serialize)]
pub(crate) struct PageView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    /// Site-root-relative URL of this page: its output path, percent-encoded.
    pub url: &'a str,
    /// The rendered markdown.
    pub content: &'a str,
    /// Whether the content starts with its own `#` heading (the theme then adds none).
    pub has_h1: bool,
    /// The content has Mermaid diagrams (the theme loads its script).
    pub has_mermaid: bool,
    pub toc: Vec<TocItem<'a>>,
    /// The guide's path relative to the project root; empty for a generated section page.
    pub source: &'a str,
    pub edit_url: Option<String>,
    pub audience: &'a [String],
    pub owner: Option<&'a str>,
    pub review_by: Option<String>,
    pub breadcrumbs: Vec<LinkView>,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    pub is_section: bool,
    pub is_home: bool,
    /// The navigation tree as this page shows it, row by row; computed only
    /// for templates that use it.
    pub nav: Vec<NavItem<'a>>,
    /// The same navigation as ready markup (what the default theme shows).
    pub nav_html: String,
    /// For a section page: the pages directly under it.
    pub children: Vec<LinkView>,
    /// The last commit that touched the guide.
    pub updated: Option<UpdatedView>,
    /// Front matter keys almanac itself does not use.
    pub extra: Option<&'a std::collections::BTreeMap<String, serde_json::Value>>,
    /// The version switcher, banner and canonical link (`versions:`): empty
    /// markup without versions.
    pub versions: crate::version_site::VersionMarkup,
}

/// Which of the navigation's two forms the templates use.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NavForms {
    pub items: bool,
    pub html: bool,
}

/// Everything a page template needs, with `guide` the page's guide if it has one.
pub(crate) fn page_view<'a>(
    site: &'a Site,
    position: usize,
    guide: Option<(&'a crate::load::guides::Guide, &'a Rendered)>,
    edit_base: Option<&str>,
    nav: NavForms,
) -> PageView<'a> {
    let page = &site.pages[site.order[position]];
    // Hidden pages (after `listed`) have no previous or next page.
    let around = |i: Option<usize>| {
        i.filter(|&i| i < site.listed && position < site.listed)
            .and_then(|i| site.order.get(i))
            .map(|&p| LinkView::new(&site.pages[p], &page.url))
    };
    let (content, toc, has_h1, source) = match guide {
        Some((g, r)) => (
            r.html.as_str(),
            r.headings
                .iter()
                .filter(|h| (2..=3).contains(&h.level))
                .map(|h| TocItem {
                    level: h.level,
                    title: &h.text,
                    id: &h.id,
                })
                .collect(),
            r.headings.first().is_some_and(|h| h.level == 1),
            g.file.as_str(),
        ),
        None => ("", Vec::new(), false, ""),
    };
    let front = guide.map(|(g, _)| &g.front);
    let mut view = PageView {
        title: &page.title,
        description: page.description.as_deref(),
        url: site.href(site.order[position]),
        content,
        has_h1,
        has_mermaid: guide.is_some_and(|(_, r)| r.has_mermaid),
        toc,
        source,
        edit_url: edit_base
            .filter(|_| !source.is_empty())
            .map(|base| format!("{base}/{source}")),
        audience: front.map_or(&[], |f| f.audience.as_slice()),
        owner: front.and_then(|f| f.owner.as_deref()),
        review_by: front.and_then(|f| f.review_by).map(|d| d.to_string()),
        breadcrumbs: site
            .ancestors(page)
            .into_iter()
            .map(|to| LinkView::new(to, &page.url))
            .collect(),
        prev: around(position.checked_sub(1)),
        next: around(Some(position + 1)),
        is_section: page.section.is_some(),
        is_home: page.section.as_deref() == Some(""),
        nav: Vec::new(),
        nav_html: String::new(),
        children: page
            .section
            .as_deref()
            .map(|dir| {
                site.children(dir)
                    .map(|to| LinkView::new(to, &page.url))
                    .collect()
            })
            .unwrap_or_default(),
        extra: front.map(|f| &f.extra),
        updated: None,
        versions: Default::default(),
    };
    let current = site.order[position];
    if nav.html {
        view.nav_html = site.nav_html(current);
    }
    if nav.items {
        view.nav = site.nav_for(current);
    }
    view
}
