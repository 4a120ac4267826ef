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

/// How much of each page's text the markdown pass keeps for a site of `guides` guides.
pub fn text_limit(guides: usize) -> usize {
    if guides <= SMALL_SITE {
        crate::markdown::TEXT_LIMIT
    } else {
        LARGE_SITE_BODY
    }
}

/// `search-index.js`: `window.almanacSearch(...)` called with the entries,
/// serialized in parallel.
pub fn index_script(site: &Site, rendered: &[Rendered]) -> String {
    use rayon::prelude::*;
    let limit = text_limit(rendered.len());
    let entries: Vec<Vec<u8>> = site
        .order
        .par_iter()
        .filter_map(|&i| {
            let page = &site.pages[i];
            let r = &rendered[page.guide?];
            let section = site.ancestors(page).last().map_or("", |p| p.title.as_str());
            let mut end = r.text.len().min(limit);
            while !r.text.is_char_boundary(end) {
                end -= 1;
            }
            let entry = Entry {
                t: &page.title,
                s: section,
                u: &page.url,
                h: r.headings
                    .iter()
                    .filter(|h| h.level > 1)
                    .map(|h| (h.id.as_str(), h.text.as_str()))
                    .collect(),
                b: r.text[..end].trim(),
            };
            let mut json = EscapeLt(Vec::with_capacity(256 + end));
            serde_json::to_writer(&mut json, &entry).ok()?;
            Some(json.0)
        })
        .collect();
    let mut script = b"window.almanacSearch && window.almanacSearch([".to_vec();
    script.reserve(entries.iter().map(|e| e.len() + 1).sum::<usize>() + 4);
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            script.push(b',');
        }
        script.extend_from_slice(entry);
    }
    script.extend_from_slice(b"]);\n");
    String::from_utf8(script).unwrap_or_default()
}

/// A writer that spells `<` as `\u003c`: JSON strings never hold `</script>`
/// then (it cannot appear here anyway, but the index is a script).
struct EscapeLt(Vec<u8>);

impl std::io::Write for EscapeLt {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for (i, part) in buf.split(|&b| b == b'<').enumerate() {
            if i > 0 {
                self.0.extend_from_slice(b"\\u003c");
            }
            self.0.extend_from_slice(part);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
