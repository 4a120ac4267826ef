//! The search index: every word of every page (guides, sections and the
//! pages made from the data), per section (a page's `h2`/`h3`), as an
//! inverted index of terms → (entry, weight) built here. It is written as a
//! script so it loads from `file://` too, and fetched only when someone
//! searches; a site of more than `SHARD_PAGES` pages writes its terms in
//! shards, by their first character, fetched as a query needs them.

use crate::html::decode;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::error::Result;
use crate::site::Site;
use crate::write::Sink;

/// Sites with more pages than this write their terms in shards.
pub(crate) const SHARD_PAGES: usize = 1000;

/// The shown start of a section's text, in characters.
const EXCERPT_CHARS: usize = 150;

/// Longer tokens (hashes, URLs run together) are not indexed.
const MAX_TERM_CHARS: usize = 40;

/// A word's weight in a section's heading, and in its page's title (the
/// page's first entry), on top of its count in the text.
const HEADING_WEIGHT: u32 = 10;
const TITLE_WEIGHT: u32 = 20;

/// What a page gives the index: its sections, the first being the text
/// before its first `h2`/`h3` (id ""). Held from the page's writing to the
/// index's, for every page at once: packed in three allocations, whatever
/// the number of sections.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct PageSearch {
    /// Each section's id, heading, excerpt and terms, one after another.
    text: Box<str>,
    /// Where each of those ends in `text`, then where the section's weights
    /// end in `weights`: five a section.
    ends: Box<[usize]>,
    /// The weights of each section's terms, in order, one section after another.
    weights: Box<[u32]>,
}

/// A section of a page's search data, as `from_content` makes it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// The heading's id ("" for the page's start).
    pub id: String,
    /// The heading's text ("" for the page's start).
    pub heading: String,
    /// The start of the section's text, spaces collapsed.
    pub excerpt: String,
    /// The section's terms, joined by spaces (see `terms`).
    pub terms: String,
    /// Each term's weight, in the same order.
    pub weights: Vec<u32>,
}

/// The last build's pages' search data, by page URL: `serve` keeps the
/// pages it does not write again.
pub(crate) type Pages = HashMap<String, Arc<PageSearch>>;

/// The words of `text`, lower case: runs of letters and digits (Unicode's
/// `Alphabetic` and `N*`: the theme's script splits queries the same way).
pub(crate) fn words(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            // Skip to a word, then to its end; ASCII bytes are read as they
            // are, others as characters.
            let mut start = None;
            let mut plain = true;
            while at < bytes.len() {
                let b = bytes[at];
                let (word, len) = match b {
                    0..=127 => (b.is_ascii_alphanumeric(), 1),
                    _ => {
                        let c = text[at..].chars().next()?;
                        (c.is_alphanumeric(), c.len_utf8())
                    }
                };
                if !word {
                    if start.is_some() {
                        break;
                    }
                } else {
                    plain &= b.is_ascii_lowercase() || b.is_ascii_digit();
                    start.get_or_insert(at);
                }
                at += len;
            }
            let start = start?;
            let w = &text[start..at];
            if w.len() > MAX_TERM_CHARS && w.chars().count() > MAX_TERM_CHARS {
                continue;
            }
            return Some(match plain {
                true => Cow::Borrowed(w),
                false => Cow::Owned(w.to_lowercase()),
            });
        }
    })
}

/// Adds `weight` to `word`'s in `terms`.
fn add<'a>(terms: &mut ahash::AHashMap<Cow<'a, str>, u32>, word: Cow<'a, str>, weight: u32) {
    match terms.get_mut(&word) {
        Some(w) => *w += weight,
        None => {
            terms.insert(word, weight);
        }
    }
}

/// The terms joined by spaces, and their weights: two allocations a
/// section (a 10,000-page site has millions of section terms). Their order
/// is the map's: the index sorts the site's terms once.
fn compact(terms: &ahash::AHashMap<Cow<str>, u32>) -> (String, Vec<u32>) {
    let mut joined = String::with_capacity(terms.keys().map(|t| t.len() + 1).sum());
    let mut weights = Vec::with_capacity(terms.len());
    for (term, weight) in terms {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(term);
        weights.push(*weight);
    }
    (joined, weights)
}

/// The first `chars` characters of `text`, runs of spaces as one, `…` when
/// cut.
fn collapsed(text: &str, chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(chars.saturating_mul(2)));
    let mut n = 0;
    for word in text.split_whitespace() {
        if n > 0 {
            out.push(' ');
            n += 1;
        }
        for c in word.chars() {
            if n >= chars {
                out.truncate(out.trim_end().len());
                out.push('…');
                return out;
            }
            out.push(c);
            n += 1;
        }
    }
    out
}

/// A page's search data from its HTML: the content of its
/// `<article class="al-content">` (else its `<main>`, else all of it),
/// `<pre>`, `<script>`, `<style>` and `<svg>` left out, cut at each `h2`/`h3`
/// with an id. `title` (the page's) weighs on the first section.
pub(crate) fn from_html(title: &str, html: &str, depth: Depth) -> PageSearch {
    from_content(title, content_of(html), depth)
}

/// How deep the index reads: on a site of up to `FULL_TEXT_PAGES` pages,
/// every word, each `h2`/`h3` section an entry of its own; above, one entry
/// a page with its title, its headings and the first `LARGE_SITE_PAGE_TEXT`
/// bytes of its text, so that the index's cost does not grow with the
/// length of the pages: every word of a 10,000-page site, by section (195,000
/// entries, 74 MB), took longer to index than the site took to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Depth {
    /// The bytes of text a section's entry holds.
    text_bytes: usize,
    /// Whether each `h2`/`h3` is an entry of its own.
    sections: bool,
}

pub(crate) const FULL_TEXT_PAGES: usize = 500;
const LARGE_SITE_PAGE_TEXT: usize = 300;

impl Depth {
    pub(crate) const EVERY_WORD: Depth = Depth {
        text_bytes: usize::MAX,
        sections: true,
    };

    pub(crate) fn for_site(pages: usize) -> Depth {
        match pages <= FULL_TEXT_PAGES {
            true => Depth::EVERY_WORD,
            false => Depth {
                text_bytes: LARGE_SITE_PAGE_TEXT,
                sections: false,
            },
        }
    }
}

/// `from_html` of the content alone (a guide's rendered markdown).
pub(crate) fn from_content(title: &str, content: &str, depth: Depth) -> PageSearch {
    let mut sections = vec![Open::default()];
    let mut heading: Option<u8> = None;
    // The tag whose content is skipped, while inside one (nesting counted).
    let mut skip: Option<(&str, usize)> = None;
    // Inside a `<pre>` whose words are indexed (nesting counted).
    let mut in_code = 0usize;
    let mut rest = content;
    while let Some(mut lt) = memchr::memchr(b'<', rest.as_bytes()) {
        // A page entry whose text is full reads only headings from here on:
        // straight to the next `<h2`/`<h3` (one inside `<pre>` is escaped).
        if !depth.sections && heading.is_none() && sections[0].full {
            let next_heading = memchr::memmem::find_iter(rest.as_bytes(), b"<h")
                .find(|&at| matches!(rest.as_bytes().get(at + 2), Some(b'2' | b'3')));
            let Some(at) = next_heading else {
                rest = "";
                break;
            };
            skip = None;
            rest = &rest[at..];
            lt = 0;
        }
        if skip.is_none() {
            match in_code > 0 {
                true => push_code(&mut sections, &rest[..lt]),
                false => push_text(&mut sections, heading.is_some(), depth, &rest[..lt]),
            }
        }
        let after = &rest[lt + 1..];
        // A comment is passed over whole.
        if let Some(comment) = after.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(gt) = memchr::memchr(b'>', after.as_bytes()) else {
            break;
        };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        let closing = tag.starts_with('/');
        let named = &tag[usize::from(closing)..];
        let name_end = named
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(named.len());
        let name = &named[..name_end];
        let lower;
        let name = match name.bytes().any(|b| b.is_ascii_uppercase()) {
            true => {
                lower = name.to_ascii_lowercase();
                lower.as_str()
            }
            false => name,
        };
        if let Some((skipped, depth)) = &mut skip {
            if name == *skipped {
                match closing {
                    true if *depth == 1 => skip = None,
                    true => *depth -= 1,
                    false => *depth += 1,
                }
            }
            continue;
        }
        match name {
            // Code blocks' words are found too (a command, a config key),
            // though never shown in an excerpt; a large site's index leaves
            // them out with the rest of the text.
            "pre" if depth.sections && !tag.ends_with('/') => match closing {
                true => in_code = in_code.saturating_sub(1),
                false => {
                    in_code += 1;
                    push_code(&mut sections, " ");
                }
            },
            "pre" | "script" | "style" | "svg" | "template" if !closing => {
                let skipped = match name {
                    "pre" => "pre",
                    "script" => "script",
                    "style" => "style",
                    "svg" => "svg",
                    _ => "template",
                };
                if !tag.ends_with('/') {
                    skip = Some((skipped, 1));
                }
            }
            "h2" | "h3" if !closing => match attribute(tag, "id") {
                // On a large site a page is one entry: its headings' words
                // weigh on it.
                Some(_) if !depth.sections => {
                    push_text(&mut sections, true, depth, " ");
                    heading = Some(name.as_bytes()[1]);
                }
                Some(id) => {
                    sections.push(Open {
                        id: decode(id).into_owned(),
                        ..Open::default()
                    });
                    heading = Some(name.as_bytes()[1]);
                }
                None => push_text(&mut sections, heading.is_some(), depth, " "),
            },
            "h2" | "h3" if closing && heading == Some(name.as_bytes()[1]) => heading = None,
            // Inline elements do not part words.
            "a" | "abbr" | "b" | "bdi" | "bdo" | "cite" | "code" | "data" | "del" | "dfn"
            | "em" | "i" | "ins" | "kbd" | "mark" | "q" | "s" | "samp" | "small" | "span"
            | "strong" | "sub" | "sup" | "time" | "u" | "var" | "wbr" => {}
            _ => push_text(&mut sections, heading.is_some(), depth, " "),
        }
    }
    if skip.is_none() {
        push_text(&mut sections, heading.is_some(), depth, rest);
    }
    // One map counts the words of every section in turn.
    let mut counts = ahash::AHashMap::new();
    let mut sections: Vec<Section> = sections
        .iter()
        .enumerate()
        .map(|(n, open)| open.finish((n == 0).then_some(title), depth, &mut counts))
        .collect();
    // A section with neither words nor a heading (an empty start) is left out.
    if sections.len() > 1 && sections[0].terms.is_empty() {
        sections.remove(0);
    }
    PageSearch::new(&sections)
}

/// A section of a page's search data, as the index reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SectionRef<'a> {
    pub id: &'a str,
    pub heading: &'a str,
    pub excerpt: &'a str,
    terms: &'a str,
    weights: &'a [u32],
}

impl PageSearch {
    pub(crate) fn new(sections: &[Section]) -> PageSearch {
        let len = sections
            .iter()
            .map(|s| s.id.len() + s.heading.len() + s.excerpt.len() + s.terms.len())
            .sum();
        let mut text = String::with_capacity(len);
        let mut ends = Vec::with_capacity(5 * sections.len());
        let mut weights = Vec::with_capacity(sections.iter().map(|s| s.weights.len()).sum());
        for s in sections {
            for part in [&s.id, &s.heading, &s.excerpt, &s.terms] {
                text.push_str(part);
                ends.push(text.len());
            }
            weights.extend_from_slice(&s.weights);
            ends.push(weights.len());
        }
        PageSearch {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
            weights: weights.into_boxed_slice(),
        }
    }

    /// The sections, in the page's order.
    pub(crate) fn sections(&self) -> impl ExactSizeIterator<Item = SectionRef<'_>> + '_ {
        let (mut start, mut first_weight) = (0, 0);
        self.ends.chunks_exact(5).map(move |ends| {
            let mut parts = [""; 4];
            for (part, &end) in parts.iter_mut().zip(ends) {
                *part = &self.text[start..end];
                start = end;
            }
            let weights = &self.weights[first_weight..ends[4]];
            first_weight = ends[4];
            SectionRef {
                id: parts[0],
                heading: parts[1],
                excerpt: parts[2],
                terms: parts[3],
                weights,
            }
        })
    }

    /// The `n`th section.
    #[cfg(test)]
    pub(crate) fn section(&self, n: usize) -> SectionRef<'_> {
        self.sections().nth(n).expect("no such section")
    }
}

impl<'a> SectionRef<'a> {
    /// Each term of the section with its weight.
    pub(crate) fn terms(self) -> impl Iterator<Item = (&'a str, u32)> + 'a {
        self.terms
            .split(' ')
            .filter(|t| !t.is_empty())
            .zip(self.weights.iter().copied())
    }
}

/// A section being read.
#[derive(Default)]
struct Open {
    id: String,
    heading: String,
    text: String,
    /// The text of its code blocks: searched, not shown.
    code: String,
    /// The text holds as much as the index's `Depth` takes.
    full: bool,
}

impl Open {
    /// The section, its words counted; `title` (the page's, for its first
    /// section) weighs too.
    fn finish<'a>(
        &'a self,
        title: Option<&'a str>,
        depth: Depth,
        terms: &mut ahash::AHashMap<Cow<'a, str>, u32>,
    ) -> Section {
        terms.clear();
        for word in words(&self.text).chain(words(&self.code)) {
            add(terms, word, 1);
        }
        let heading: Vec<Cow<str>> = words(&self.heading).collect();
        for word in &heading {
            add(terms, word.clone(), HEADING_WEIGHT);
        }
        // An id written for the heading (`{#rollback}`) is found too.
        for word in words(&self.id) {
            if !heading.contains(&word) {
                add(terms, word, HEADING_WEIGHT);
            }
        }
        for word in words(title.unwrap_or("")) {
            add(terms, word, TITLE_WEIGHT);
        }
        let (joined, weights) = compact(terms);
        Section {
            id: self.id.clone(),
            // A large site's page entry holds its headings' words, not a heading.
            heading: match depth.sections {
                true => collapsed(&self.heading, usize::MAX),
                false => String::new(),
            },
            excerpt: collapsed(&self.text, EXCERPT_CHARS),
            terms: joined,
            weights,
        }
    }
}

/// Adds `raw` (HTML text of a code block) to the last section's code.
fn push_code(sections: &mut [Open], raw: &str) {
    if let Some(open) = sections.last_mut() {
        open.code.push_str(&decode(raw));
    }
}

/// Adds `raw` (HTML text, entities undecoded) to the last section: to its
/// heading while `in_heading`, else to its text.
fn push_text(sections: &mut [Open], in_heading: bool, depth: Depth, raw: &str) {
    let Some(open) = sections.last_mut() else {
        return;
    };
    if !in_heading {
        if open.full {
            return;
        }
        let text = decode(raw);
        let room = depth.text_bytes.saturating_sub(open.text.len());
        if text.len() <= room {
            open.text.push_str(&text);
            return;
        }
        // The section's text is full: it ends at the last whole word.
        let mut cut = room;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = text[..cut]
            .rfind(|c: char| !c.is_alphanumeric())
            .unwrap_or(0);
        open.text.push_str(&text[..cut]);
        open.full = true;
        return;
    }
    let into = &mut open.heading;
    // Spaces are collapsed where text is shown (the excerpt, the heading).
    into.push_str(&decode(raw));
}

/// The part of a page that is its content.
fn content_of(html: &str) -> &str {
    let inside = |open: &str, close: &str| -> Option<&str> {
        let at = html.find(open)?;
        let start = at + html[at..].find('>')? + 1;
        let end = html.rfind(close).filter(|&end| end >= start)?;
        Some(&html[start..end])
    };
    inside("<article class=\"al-content\"", "</article>")
        .or_else(|| inside("<main", "</main>"))
        .or_else(|| inside("<body", "</body>"))
        .unwrap_or(html)
}

/// The value of attribute `name` in a tag's text (`h2 id="x" class=y`).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + name.len()..].trim_start();
        rest = &rest[at + name.len()..];
        if !before.is_some_and(|c| c.is_ascii_whitespace()) {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let v = &value[1..];
                &v[..v.find(q).unwrap_or(v.len())]
            }
            _ => {
                &value[..value
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .unwrap_or(value.len())]
            }
        });
    }
    None
}

/// Writes the index into `out`: `search-index.js`, and for a site of more
/// than `SHARD_PAGES` pages its shards in `search-index/`. `pages` holds
/// each page's search data, by URL.
///
/// A small site's index is one call, `almanacSearch({p, e, t})`: the pages
/// `[title, section, url]`, the entries `[page, id, heading, excerpt]` and
/// the terms `[term, [entry, weight, …]]` (entries as differences). A large
/// site's holds the pages, each with its number of entries (`n`), and the
/// shards' names (`s`): the terms by their first character (their first
/// two when that shard is large: `r` becomes `ra`, `re`, …), and the
/// entries by `ENTRY_CHUNK` (`entries-0`, …), fetched for the results shown.
pub(crate) fn write_index(site: &Site, pages: &Pages, out: &dyn Sink) -> Result<()> {
    use rayon::prelude::*;
    let mut page_rows: Vec<(&str, &str, &str, usize)> = Vec::with_capacity(pages.len());
    let mut entries: Vec<(usize, &str, &str, &str)> = Vec::with_capacity(pages.len());
    // Each page's search data and its first entry, in the site's order.
    let mut searched: Vec<(u32, &PageSearch)> = Vec::with_capacity(pages.len());
    for &i in &site.order {
        let page = &site.pages[i];
        let Some(search) = pages.get(&page.url) else {
            continue;
        };
        let section = site.ancestors(page).last().map_or("", |p| p.title.as_str());
        let p = page_rows.len();
        page_rows.push((&page.title, section, site.href(i), search.sections().len()));
        searched.push((entries.len() as u32, search));
        for s in search.sections() {
            entries.push((p, s.id, s.heading, s.excerpt));
        }
    }
    // The postings, gathered in parallel by runs of pages and joined in
    // order: each term's entries stay sorted.
    type Postings<'a> = ahash::AHashMap<&'a str, Vec<(u32, u32)>>;
    let postings: Postings = searched
        .par_iter()
        .fold(Postings::new, |mut postings, &(first, search)| {
            for (n, s) in search.sections().enumerate() {
                let e = first + n as u32;
                for (term, weight) in s.terms() {
                    postings.entry(term).or_default().push((e, weight));
                }
            }
            postings
        })
        .reduce(Postings::new, |mut before, after| {
            if before.is_empty() {
                return after;
            }
            for (term, mut list) in after {
                before.entry(term).or_default().append(&mut list);
            }
            before
        });
    let mut terms: Vec<(&str, Vec<(u32, u32)>)> = postings.into_iter().collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(b.0));

    let sharded = page_rows.len() > SHARD_PAGES;
    // About the bytes of the pages' rows (more when a title needs escapes).
    let rows: usize = page_rows
        .iter()
        .map(|(title, section, url, _)| title.len() + section.len() + url.len() + 12)
        .sum();
    let mut main = Vec::with_capacity(rows + 16 * page_rows.len() + 1024);
    main.extend_from_slice(b"window.almanacSearch && window.almanacSearch({\"p\":[");
    for (n, (title, section, url, _)) in page_rows.iter().enumerate() {
        if n > 0 {
            main.push(b',');
        }
        json(&mut main, &(title, section, url));
    }
    if !sharded {
        main.extend_from_slice(b"],\"e\":[");
        for (n, entry) in entries.iter().enumerate() {
            if n > 0 {
                main.push(b',');
            }
            json(&mut main, entry);
        }
        main.extend_from_slice(b"],\"t\":[");
        for (n, (term, list)) in terms.iter().enumerate() {
            if n > 0 {
                main.push(b',');
            }
            term_json(&mut main, term, list);
        }
        main.extend_from_slice(b"]});\n");
        return out.write("search-index.js", &main);
    }
    let counts: Vec<usize> = page_rows.iter().map(|p| p.3).collect();
    main.extend_from_slice(b"],\"n\":");
    json(&mut main, &counts);
    // The entries, by chunk; each file is written and let go in turn.
    entries
        .par_chunks(ENTRY_CHUNK)
        .enumerate()
        .try_for_each(|(k, chunk)| {
            let mut file = Vec::with_capacity(200 * chunk.len());
            file.extend_from_slice(b"window.almanacSearchEntries && window.almanacSearchEntries(");
            push_number(&mut file, k as u64);
            file.extend_from_slice(b",[");
            for (n, (_, id, heading, excerpt)) in chunk.iter().enumerate() {
                if n > 0 {
                    file.push(b',');
                }
                json(&mut file, &(id, heading, excerpt));
            }
            file.extend_from_slice(b"]);\n");
            out.write(&format!("search-index/entries-{k}.js"), &file)
        })?;
    drop(entries);
    // The terms, by first character, then by first two in a large shard;
    // the shards are written in parallel, each let go once written.
    type Row<'a> = (&'a str, Vec<(u32, u32)>);
    type Terms<'a> = Vec<Row<'a>>;
    let mut by_first: BTreeMap<String, Terms> = BTreeMap::new();
    for (term, list) in terms {
        by_first
            .entry(shard_key(term, 1))
            .or_default()
            .push((term, list));
    }
    let names: Vec<Vec<String>> = by_first
        .into_par_iter()
        .map(|(key, terms)| -> Result<Vec<String>> {
            // About the bytes the shard would take.
            let bytes: usize = terms.iter().map(|(t, l)| t.len() + 8 + 4 * l.len()).sum();
            let mut shards: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
            for row in &terms {
                let key = match bytes > SHARD_SPLIT_BYTES {
                    true => shard_key(row.0, 2),
                    false => key.clone(),
                };
                shards.entry(key).or_default().push(row);
            }
            shards
                .into_par_iter()
                .map(|(key, rows)| {
                    let size: usize = rows.iter().map(|(t, l)| t.len() + 8 + 4 * l.len()).sum();
                    let mut shard = Vec::with_capacity(64 + size);
                    shard.extend_from_slice(
                        b"window.almanacSearchShard && window.almanacSearchShard([",
                    );
                    for (n, (term, list)) in rows.into_iter().enumerate() {
                        if n > 0 {
                            shard.push(b',');
                        }
                        term_json(&mut shard, term, list);
                    }
                    shard.extend_from_slice(b"]);\n");
                    out.write(&format!("search-index/{key}.js"), &shard)?;
                    Ok(key)
                })
                .collect()
        })
        .collect::<Result<_>>()?;
    let names: Vec<String> = names.into_iter().flatten().collect();
    main.extend_from_slice(b",\"s\":");
    json(&mut main, &names);
    main.extend_from_slice(b",\"c\":");
    push_number(&mut main, ENTRY_CHUNK as u64);
    main.extend_from_slice(b"});\n");
    out.write("search-index.js", &main)
}

/// `n` in decimal.
fn push_number(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Entries per file of a sharded index.
const ENTRY_CHUNK: usize = 500;

/// A shard of terms larger than this is split by the terms' first two
/// characters.
const SHARD_SPLIT_BYTES: usize = 256 * 1024;

/// The shard of a term by its first `chars` characters (1 or 2): each an
/// ASCII letter or digit as it is, else `_` (as is a missing second one).
pub(crate) fn shard_key(term: &str, chars: usize) -> String {
    let mut it = term.chars();
    (0..chars)
        .map(|_| match it.next() {
            Some(c) if c.is_ascii_alphanumeric() => c,
            _ => '_',
        })
        .collect()
}

/// `["term",[…]]`: each entry as the difference `d` from the one before
/// (the first from 0), written `d` when its weight is 1 (most are) and
/// `-(d + 1), weight` otherwise.
fn term_json(out: &mut Vec<u8>, term: &str, list: &[(u32, u32)]) {
    out.push(b'[');
    json(out, &term);
    out.extend_from_slice(b",[");
    let mut last = 0;
    for (n, &(e, w)) in list.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        let d = u64::from(e - last);
        if w == 1 {
            push_number(out, d);
        } else {
            out.push(b'-');
            push_number(out, d + 1);
            out.push(b',');
            push_number(out, u64::from(w));
        }
        last = e;
    }
    out.extend_from_slice(b"]]");
}

/// `value` as compact JSON, `<` spelled `\u003c` in strings.
fn json(out: &mut Vec<u8>, value: &impl Serialize) {
    let mut serializer = serde_json::Serializer::with_formatter(out, NoLt);
    // Serializing strings and numbers into memory cannot fail.
    let _ = value.serialize(&mut serializer);
}

/// JSON as serde_json writes it compactly, with `<` spelled `\\u003c` in
/// strings: the index never holds `</script>` (the index is a script).
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
    use super::*;

    fn terms<'a>(s: &SectionRef<'a>) -> Vec<(&'a str, u32)> {
        s.terms().collect()
    }

    #[test]
    fn words_are_lower_case_runs_of_letters_and_digits() {
        let w: Vec<Cow<str>> = words("INC-2 was yanked; Déjà-vu, v1.2 ÄÖ").collect();
        assert_eq!(
            w,
            ["inc", "2", "was", "yanked", "déjà", "vu", "v1", "2", "äö"]
        );
        // Words of more than 40 characters (hashes, run-together URLs) are left out.
        let long = format!("{} {} ok", "a".repeat(41), "é".repeat(40));
        let w: Vec<Cow<str>> = words(&long).collect();
        assert_eq!(w, ["é".repeat(40).as_str(), "ok"]);
    }

    #[test]
    fn pages_are_cut_at_h2_and_h3_with_ids() {
        let html = "<h1 id=\"t\">Hotfix</h1>\n<p>Intro <em>text</em> &amp; more.</p>\
            <h2 id=\"roll-back\">Roll <code>back</code></h2><p>Yank it. Yank!</p>\
            <h4 id=\"deep\">Deep</h4><p>still here</p>\
            <h3 id=\"a&amp;b\">A</h3><pre><code>hidden code</code></pre><p>tail</p>";
        let page = from_html("Hotfix guide", html, Depth::EVERY_WORD);
        let ids: Vec<&str> = page.sections().map(|s| s.id).collect();
        assert_eq!(ids, ["", "roll-back", "a&b"]);
        assert_eq!(page.section(0).excerpt, "Hotfix Intro text & more.");
        assert_eq!(page.section(1).heading, "Roll back");
        assert_eq!(page.section(1).excerpt, "Yank it. Yank! Deep still here");
        let first = terms(&page.section(0));
        // "hotfix" is in the h1 (1) and the title (20).
        assert!(first.contains(&("hotfix", 1 + TITLE_WEIGHT)), "{first:?}");
        assert!(first.contains(&("guide", TITLE_WEIGHT)), "{first:?}");
        let second = terms(&page.section(1));
        assert!(second.contains(&("roll", HEADING_WEIGHT)), "{second:?}");
        assert!(second.contains(&("yank", 2)), "{second:?}");
        assert!(second.contains(&("back", HEADING_WEIGHT)), "{second:?}");
        assert!(second.contains(&("deep", 1)), "{second:?}");
        let third = terms(&page.section(2));
        assert!(third.contains(&("tail", 1)), "{third:?}");
        // The id's words that the heading lacks.
        assert!(third.contains(&("b", HEADING_WEIGHT)), "{third:?}");
        // A code block's words are the section's, not its excerpt's; on a
        // large site's page entry they are left out.
        assert!(third.contains(&("hidden", 1)), "{third:?}");
        assert_eq!(page.section(2).excerpt, "tail");
        let large = from_html("Hotfix guide", html, Depth::for_site(FULL_TEXT_PAGES + 1));
        assert!(!terms(&large.section(0)).iter().any(|(t, _)| *t == "hidden"));
    }

    #[test]
    fn packed_sections_read_back_as_they_were_made() {
        let section = |id: &str, heading: &str, excerpt: &str, terms: &[(&str, u32)]| Section {
            id: id.into(),
            heading: heading.into(),
            excerpt: excerpt.into(),
            terms: terms.iter().map(|(t, _)| *t).collect::<Vec<_>>().join(" "),
            weights: terms.iter().map(|(_, w)| *w).collect(),
        };
        let made = [
            section("", "", "Intro", &[("intro", 1), ("déjà", 21)]),
            section("empty", "Empty", "", &[]),
            section("a&b", "A & B", "tail…", &[("tail", 3)]),
        ];
        let page = PageSearch::new(&made);
        assert_eq!(page.sections().len(), made.len());
        for (read, made) in page.sections().zip(&made) {
            assert_eq!(
                (read.id, read.heading, read.excerpt),
                (
                    made.id.as_str(),
                    made.heading.as_str(),
                    made.excerpt.as_str()
                )
            );
            let terms: Vec<(&str, u32)> = read.terms().collect();
            let expected: Vec<(&str, u32)> = made
                .terms
                .split(' ')
                .filter(|t| !t.is_empty())
                .zip(made.weights.iter().copied())
                .collect();
            assert_eq!(terms, expected);
        }
        assert_eq!(PageSearch::new(&[]).sections().len(), 0);
    }

    #[test]
    fn only_the_content_of_a_whole_page_is_read() {
        let html = "<html><body><nav>Sidebar words</nav><main><article class=\"al-content\">\
            <p>Calendar body</p><script>var x = 'nope';</script><svg><text>axis</text></svg>\
            </article><footer>Foot</footer></main></body></html>";
        let page = from_html("Calendar", html, Depth::EVERY_WORD);
        let mut all: Vec<&str> = page
            .sections()
            .flat_map(|s| s.terms().map(|(t, _)| t))
            .collect();
        all.sort_unstable();
        assert_eq!(all, ["body", "calendar"]);
    }

    #[test]
    fn broken_html_never_panics() {
        for html in [
            "<",
            "<h2",
            "<h2 id=>",
            "<h2 id='x",
            "&#xffffffff; &#;&",
            "<pre>unclosed",
            "<!-- open",
            "<article class=\"al-content\"",
            "é<h3 id=é>é</h3>é&",
        ] {
            let _ = from_html("t", html, Depth::EVERY_WORD);
            let _ = from_html("t", html, Depth::for_site(FULL_TEXT_PAGES + 1));
        }
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            decode("a &lt;b&gt; &#39;c&#x27; &bogus; & d"),
            "a <b> 'c' &bogus; & d"
        );
    }

    #[test]
    fn numbers_in_decimal() {
        let mut out = Vec::new();
        for n in [0, 7, 10, 1_234_567, u64::MAX] {
            push_number(&mut out, n);
            out.push(b' ');
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("0 7 10 1234567 {} ", u64::MAX)
        );
    }

    #[test]
    fn shards_by_first_characters() {
        assert_eq!(shard_key("rollback", 1), "r");
        assert_eq!(shard_key("2026", 1), "2");
        assert_eq!(shard_key("été", 1), "_");
        assert_eq!(shard_key("rollback", 2), "ro");
        assert_eq!(shard_key("r", 2), "r_");
        assert_eq!(shard_key("rü", 2), "r_");
        assert_eq!(shard_key("ét", 2), "_t");
    }
}
