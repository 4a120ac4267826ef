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
    /// Site-root-relative URL, percent-encoded.
    u: &'a str,
    /// Headings: the text alone when the theme's script can spell the id
    /// from it, else (id, text); the id is searched too (`{#rollback}`).
    h: Vec<HeadingEntry<'a>>,
    /// The start of the text.
    b: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum HeadingEntry<'a> {
    Text(&'a str),
    IdAndText(&'a str, &'a str),
}

impl<'a> HeadingEntry<'a> {
    /// About the length of its JSON.
    fn len(&self) -> usize {
        match self {
            HeadingEntry::Text(text) => text.len() + 3,
            HeadingEntry::IdAndText(id, text) => id.len() + text.len() + 8,
        }
    }

    fn new(id: &'a str, text: &'a str) -> Self {
        if spelled_from(text, id) {
            HeadingEntry::Text(text)
        } else {
            HeadingEntry::IdAndText(id, text)
        }
    }
}

/// Whether `id` is the slug the theme's script spells from ASCII `text`:
/// lower case, letters, digits, `_` and `-` kept, spaces as `-`, the rest
/// dropped (GitHub's rule, on ASCII). Most headings' ids are, and the index
/// then holds their text alone: a large site's index was two thirds ids.
fn spelled_from(text: &str, id: &str) -> bool {
    let id = id.as_bytes();
    let mut at = 0;
    for &b in text.as_bytes() {
        if !b.is_ascii() {
            return false;
        }
        let Some(c) = crate::slug::ascii_slug_byte(b) else {
            continue;
        };
        if id.get(at) != Some(&c) {
            return false;
        }
        at += 1;
    }
    at == id.len()
}

/// Body text kept per page in the index: all of it (as the markdown pass
/// kept it) for handbooks of up to `SMALL_SITE` pages, the start for larger
/// sites so the index stays a few megabytes.
const SMALL_SITE: usize = 1000;
const LARGE_SITE_BODY: usize = 300;

/// How much of each page's text the markdown pass keeps for a site of `guides` guides.
pub(crate) fn text_limit(guides: usize) -> usize {
    if guides <= SMALL_SITE {
        crate::markdown::TEXT_LIMIT
    } else {
        LARGE_SITE_BODY
    }
}

/// Page number `at`'s entry in the index, as JSON (`<` spelled `\\u003c`).
pub(crate) fn entry(site: &Site, at: usize, r: &Rendered, limit: usize) -> Vec<u8> {
    let page = &site.pages[at];
    let section = site.ancestors(page).last().map_or("", |p| p.title.as_str());
    let mut end = r.text.len().min(limit);
    while !r.text.is_char_boundary(end) {
        end -= 1;
    }
    let entry = Entry {
        t: &page.title,
        s: section,
        u: site.href(at),
        h: r.headings
            .iter()
            .filter(|h| h.level > 1)
            .map(|h| HeadingEntry::new(&h.id, &h.text))
            .collect(),
        b: r.text[..end].trim(),
    };
    // The strings, their quotes and commas, and some escapes.
    let headings: usize = entry.h.iter().map(HeadingEntry::len).sum();
    let mut json = Vec::with_capacity(
        64 + entry.t.len() + entry.s.len() + entry.u.len() + headings + entry.b.len() * 9 / 8,
    );
    let mut serializer = serde_json::Serializer::with_formatter(&mut json, NoLt);
    // Serializing strings and numbers into memory cannot fail.
    let _ = entry.serialize(&mut serializer);
    json
}

/// Every guide's entry, by guide, serialized in parallel; `previous` (the
/// entries of the last rebuild, by guide) is taken for guides `redo` leaves
/// out: `serve` serializes only the pages it rendered again.
pub(crate) fn entries(
    site: &Site,
    rendered: &[Rendered],
    mut previous: Vec<Vec<u8>>,
    redo: impl Fn(usize) -> bool + Sync,
) -> Vec<Vec<u8>> {
    use rayon::prelude::*;
    let limit = text_limit(rendered.len());
    previous.resize_with(rendered.len(), Vec::new);
    previous
        .into_par_iter()
        .enumerate()
        .map(|(guide, old)| {
            if !old.is_empty() && !redo(guide) {
                return old;
            }
            entry(
                site,
                site.page_index_of_guide(guide),
                &rendered[guide],
                limit,
            )
        })
        .collect()
}

/// `search-index.js`: `window.almanacSearch(...)` called with the guides'
/// `entries` (by guide), in the site's order.
pub(crate) fn index_script<'a>(site: &Site, entries: &'a [Vec<u8>]) -> Vec<&'a [u8]> {
    script(
        site.order
            .iter()
            .filter_map(|&i| Some(entries[site.pages[i].guide?].as_slice())),
    )
}

/// The pieces of `search-index.js` around `entries`, in order: written as
/// they are, the entries are never joined in memory.
pub(crate) fn script<'a>(entries: impl Iterator<Item = &'a [u8]>) -> Vec<&'a [u8]> {
    let mut parts: Vec<&[u8]> = vec![b"window.almanacSearch && window.almanacSearch(["];
    for (i, entry) in entries.enumerate() {
        if i > 0 {
            parts.push(b",");
        }
        parts.push(entry);
    }
    parts.push(b"]);\n");
    parts
}

/// JSON as serde_json writes it compactly, with `<` spelled `\\u003c` in
/// strings: the index never holds `</script>` (it cannot appear here anyway,
/// but the index is a script).
struct NoLt;

impl serde_json::ser::Formatter for NoLt {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if memchr::memchr(b'<', fragment.as_bytes()).is_none() {
            return writer.write_all(fragment.as_bytes());
        }
        for (i, part) in fragment.split('<').enumerate() {
            if i > 0 {
                writer.write_all(b"\\u003c")?;
            }
            writer.write_all(part.as_bytes())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::spelled_from;
    use crate::slug::slug;

    #[test]
    fn ids_spelled_from_ascii_text() {
        for (text, id) in [
            ("Usage", "usage"),
            ("What's new in v1.2?", "whats-new-in-v12"),
            ("C++ & Rust", "c--rust"),
            ("snake_case and kebab-case", "snake_case-and-kebab-case"),
            ("", ""),
        ] {
            assert!(spelled_from(text, id), "{text}");
        }
        for (text, id) in [
            ("Usage", "usage-1"),
            ("Usage", "usag"),
            ("Rollback", "undo"),
            ("Déjà vu", "déjà-vu"),
        ] {
            assert!(!spelled_from(text, id), "{text} -> {id}");
        }
    }

    /// On ASCII text, GitHub's slug (ours) is the script's simple rule: every
    /// heading without an explicit id is then written as its text alone.
    #[test]
    fn github_slugs_of_ascii_text_are_spelled_by_the_script() {
        for text in crate::testing::ascii_texts(0x2545_f491_4f6c_dd1d, 5000, 23) {
            // A heading's text is trimmed.
            let text = text.trim();
            assert!(spelled_from(text, &slug(text)), "{text:?}");
        }
    }
}
