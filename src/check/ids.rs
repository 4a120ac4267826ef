//! A page's ids as `--fix` and other pages' links read them: from its
//! whole scan (`Rendered`), or kept compact once the page is checked
//! (`Ids`, `super::stream`).

use crate::markdown::Rendered;

/// The anchors (every id a `#fragment` may name) and heading ids of
/// pages, by page number, as the scan listed them.
pub trait PageIds: Sync {
    fn anchors(&self, page: usize) -> Vec<&str>;
    fn heading_ids(&self, page: usize) -> Vec<&str>;
}

impl PageIds for Vec<Rendered> {
    fn anchors(&self, page: usize) -> Vec<&str> {
        self[page].anchors.iter().map(String::as_str).collect()
    }

    fn heading_ids(&self, page: usize) -> Vec<&str> {
        self[page].headings.iter().map(|h| h.id.as_str()).collect()
    }
}

/// A page's anchors back to back in one string (a string each would weigh
/// several times as much), then the heading ids that are not anchors (a
/// heading's id nearly always is one); the headings as their ids' numbers.
#[derive(Debug, Default)]
pub struct Ids {
    text: Box<str>,
    /// Where each id ends in `text`.
    ends: Box<[usize]>,
    anchors: usize,
    headings: Box<[usize]>,
}

impl Ids {
    /// The ids of `page`.
    pub fn new(page: &Rendered) -> Ids {
        let mut text = String::with_capacity(page.anchors.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(page.anchors.len());
        let mut end = |text: &mut String, id: &str| {
            text.push_str(id);
            ends.push(text.len());
            ends.len() - 1
        };
        // Made for every page a build writes: ahash, not SipHash.
        let mut number: ahash::AHashMap<&str, usize> =
            ahash::AHashMap::with_capacity(page.anchors.len());
        for id in &page.anchors {
            let n = end(&mut text, id);
            number.entry(id).or_insert(n);
        }
        let headings: Vec<usize> = page
            .headings
            .iter()
            .map(|h| match number.get(h.id.as_str()) {
                Some(&n) => n,
                None => end(&mut text, &h.id),
            })
            .collect();
        Ids {
            text: text.into_boxed_str(),
            anchors: page.anchors.len(),
            headings: headings.into_boxed_slice(),
            ends: ends.into_boxed_slice(),
        }
    }

    /// The anchors of `page` alone, no heading ids: what a build's link
    /// check looks fragments up in.
    pub fn anchors_of(page: &Rendered) -> Ids {
        let mut text = String::with_capacity(page.anchors.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(page.anchors.len());
        for id in &page.anchors {
            text.push_str(id);
            ends.push(text.len());
        }
        Ids {
            text: text.into_boxed_str(),
            anchors: page.anchors.len(),
            headings: Box::default(),
            ends: ends.into_boxed_slice(),
        }
    }

    fn id(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |j| self.ends[j]);
        &self.text[start..self.ends[i]]
    }

    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        (0..self.anchors).map(|i| self.id(i))
    }

    pub fn heading_ids(&self) -> impl Iterator<Item = &str> {
        self.headings.iter().map(|&n| self.id(n))
    }
}

impl PageIds for Vec<Ids> {
    fn anchors(&self, page: usize) -> Vec<&str> {
        self[page].anchors().collect()
    }

    fn heading_ids(&self, page: usize) -> Vec<&str> {
        self[page].heading_ids().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_back_as_scanned() {
        let text = "# Intro\n\n## Set up {#setup}\n\n<a id=\"raw\"></a>\n\n## Intro\n\n## Ünïcode é\n\nA note.[^1]\n\n[^1]: A footnote.\n";
        let page = crate::markdown::scan(text, 0);
        let pages = vec![page];
        let ids = vec![Ids::new(&pages[0])];
        assert!(pages[0].anchors.len() >= 5, "{:?}", pages[0].anchors);
        assert_eq!(ids.anchors(0), pages.anchors(0));
        assert_eq!(ids.heading_ids(0), pages.heading_ids(0));
        // A build keeps the anchors alone.
        let anchors = vec![Ids::anchors_of(&pages[0])];
        assert_eq!(anchors.anchors(0), pages.anchors(0));
        assert!(anchors.heading_ids(0).is_empty());
        let empty = vec![Ids::new(&Rendered::default())];
        assert!(empty.anchors(0).is_empty() && empty.heading_ids(0).is_empty());
    }
}
