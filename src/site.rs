//! The site's shape: one page per guide plus a page per folder without an
//! index guide; titles, ordering by weight then title, the navigation order
//! that prev/next follow, and breadcrumbs.

use std::collections::HashMap;

use serde::Serialize;

use crate::index::{SiteIndex, page_url, section_url};
use crate::load::guides::{Guide, file_name, parent};
use crate::markdown::Rendered;
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
    weight: Option<i64>,
}

/// One row of the navigation tree, flattened depth-first.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    pub depth: usize,
    pub is_section: bool,
}

pub struct Site {
    pub pages: Vec<SitePage>,
    /// Page indexes in reading order: home first, then depth-first by weight and title.
    pub order: Vec<usize>,
    pub nav: Vec<NavItem>,
    by_section: HashMap<String, usize>,
    children: HashMap<String, Vec<usize>>,
    page_of_guide: Vec<usize>,
}

impl Site {
    pub fn new(guides: &[Guide], rendered: &[Rendered], index: &SiteIndex, site_title: &str) -> Site {
        let mut pages = Vec::with_capacity(guides.len() + 8);
        let mut page_of_guide = vec![usize::MAX; guides.len()];
        for (i, (guide, r)) in guides.iter().zip(rendered).enumerate() {
            let section = guide.is_index().then(|| guide.dir().to_string());
            let fallback = match &section {
                Some(dir) if dir.is_empty() => site_title.to_string(),
                Some(dir) => humanize(file_name(dir)),
                None => humanize(file_name(&guide.path).trim_end_matches(".md")),
            };
            page_of_guide[i] = pages.len();
            pages.push(SitePage {
                url: page_url(&guide.path),
                title: guide.front.title.clone().or_else(|| r.title.clone()).unwrap_or(fallback),
                description: guide.front.description.clone(),
                guide: Some(i),
                parent: parent_section(section.as_deref(), guide.dir()),
                section,
                weight: guide.front.weight,
            });
        }
        let mut generated: Vec<&str> = index.sections().filter(|(_, g)| g.is_none()).map(|(d, _)| d).collect();
        generated.sort_unstable();
        for dir in generated {
            let title = if dir.is_empty() { site_title.to_string() } else { humanize(file_name(dir)) };
            pages.push(SitePage {
                url: section_url(dir),
                title,
                description: None,
                guide: None,
                parent: parent_section(Some(dir), dir),
                section: Some(dir.to_string()),
                weight: None,
            });
        }

        let by_section: HashMap<String, usize> =
            pages.iter().enumerate().filter_map(|(i, p)| p.section.clone().map(|s| (s, i))).collect();
        let mut children: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in pages.iter().enumerate() {
            if let Some(parent) = &p.parent {
                children.entry(parent.clone()).or_default().push(i);
            }
        }
        for list in children.values_mut() {
            list.sort_by(|&a, &b| {
                let (a, b) = (&pages[a], &pages[b]);
                (a.weight.is_none(), a.weight, a.title.to_lowercase(), &a.url)
                    .cmp(&(b.weight.is_none(), b.weight, b.title.to_lowercase(), &b.url))
            });
        }
        let mut site = Site {
            pages,
            order: Vec::new(),
            nav: Vec::new(),
            by_section,
            children,
            page_of_guide,
        };
        if let Some(&home) = site.by_section.get("") {
            site.order.push(home);
            site.nav.push(site.nav_item(home, 0));
            site.walk("", 0);
        }
        site
    }

    fn walk(&mut self, dir: &str, depth: usize) {
        let kids = self.children.get(dir).cloned().unwrap_or_default();
        for page in kids {
            self.order.push(page);
            self.nav.push(self.nav_item(page, depth));
            if let Some(section) = self.pages[page].section.clone() {
                self.walk(&section, depth + 1);
            }
        }
    }

    fn nav_item(&self, page: usize, depth: usize) -> NavItem {
        let p = &self.pages[page];
        NavItem {
            title: p.title.clone(),
            url: p.url.clone(),
            depth,
            is_section: p.section.is_some(),
        }
    }

    pub fn page_of_guide(&self, guide: usize) -> &SitePage {
        &self.pages[self.page_of_guide[guide]]
    }

    pub fn section_page(&self, dir: &str) -> Option<&SitePage> {
        self.by_section.get(dir).map(|&i| &self.pages[i])
    }

    /// Pages directly under a section, in order.
    pub fn children(&self, dir: &str) -> impl Iterator<Item = &SitePage> {
        self.children.get(dir).into_iter().flatten().map(|&i| &self.pages[i])
    }

    /// The section pages above `page`, from the home page down.
    pub fn ancestors(&self, page: &SitePage) -> Vec<&SitePage> {
        let mut chain = Vec::new();
        let mut dir = page.parent.clone();
        while let Some(d) = dir {
            let Some(section) = self.section_page(&d) else { break };
            chain.push(section);
            dir = section.parent.clone();
        }
        chain.reverse();
        chain
    }
}

/// The section a page sits in: its folder, or for a section's own page the folder above.
fn parent_section(section: Option<&str>, dir: &str) -> Option<String> {
    match section {
        Some("") => None,
        Some(s) => Some(parent(s).to_string()),
        None => Some(dir.to_string()),
    }
}
