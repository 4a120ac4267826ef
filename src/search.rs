//! The search index: one entry per guide (title, section, headings, the start
//! of its text), written as a script so it loads from `file://` too, and
//! fetched only when someone searches.

use serde::Serialize;

use crate::markdown::Rendered;
use crate::site::Site;

#[derive(Debug, Serialize)]
struct Entry<'a> {
    /// Title.
    t: &'a str,
    /// Section title.
    s: &'a str,
    /// Site-root-relative URL.
    u: &'a str,
    /// Headings: (id, text); the id is searched too (`{#rollback}`).
    h: Vec<(&'a str, &'a str)>,
    /// The start of the text.
    b: &'a str,
}

/// Body text kept per page in the index: all of it (as the markdown pass
/// kept it) for handbooks of up to `SMALL_SITE` pages, the start for larger
/// sites so the index stays a few megabytes.
const SMALL_SITE: usize = 1000;
const LARGE_SITE_BODY: usize = 300;

/// `search-index.js`: `window.almanacSearch(...)` called with the entries.
pub fn index_script(site: &Site, rendered: &[Rendered]) -> String {
    let entries: Vec<Entry> = site
        .order
        .iter()
        .filter_map(|&i| {
            let page = &site.pages[i];
            let r = &rendered[page.guide?];
            let section = site.ancestors(page).last().map_or("", |p| p.title.as_str());
            let limit = if site.pages.len() <= SMALL_SITE {
                usize::MAX
            } else {
                LARGE_SITE_BODY
            };
            let mut end = r.text.len().min(limit);
            while !r.text.is_char_boundary(end) {
                end -= 1;
            }
            Some(Entry {
                t: &page.title,
                s: section,
                u: &page.url,
                h: r.headings
                    .iter()
                    .filter(|h| h.level > 1)
                    .map(|h| (h.id.as_str(), h.text.as_str()))
                    .collect(),
                b: r.text[..end].trim(),
            })
        })
        .collect();
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into());
    // `</script>` cannot appear in JSON strings here, but `<` is escaped anyway for safety.
    format!(
        "window.almanacSearch && window.almanacSearch({});\n",
        json.replace('<', "\\u003c")
    )
}
