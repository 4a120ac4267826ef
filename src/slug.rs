//! GitHub-compatible heading ids: the same algorithm as github-slugger, which
//! github.com uses for README anchors, so links that work there work here.

use ahash::AHashMap as HashMap;

/// The slug of one heading's text, without de-duplication.
pub fn slug(text: &str) -> String {
    let text = text.trim();
    if text.is_ascii() {
        // Most headings: byte by byte.
        let mut out = Vec::with_capacity(text.len());
        for b in text.bytes() {
            match ASCII_SLUG[usize::from(b)] {
                0 => {}
                kept => out.push(kept),
            }
        }
        // Only ASCII was kept.
        return String::from_utf8(out).unwrap_or_default();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            match c {
                ' ' => out.push('-'),
                '-' | '_' => out.push(c),
                c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
                _ => {}
            }
        } else if c == ' ' {
            out.push('-');
        } else if c == '-' || c == '_' || c.is_alphanumeric() || is_combining_mark(c) {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// What an ASCII byte of a heading's text becomes in its slug: lower case,
/// letters, digits, `_` and `-` kept, a space as `-`, the rest dropped.
pub const fn ascii_slug_byte(b: u8) -> Option<u8> {
    match b {
        b' ' => Some(b'-'),
        b'-' | b'_' => Some(b),
        b if b.is_ascii_alphanumeric() => Some(b.to_ascii_lowercase()),
        _ => None,
    }
}

/// `ascii_slug_byte` by byte, 0 for a byte dropped.
const ASCII_SLUG: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 128 {
        if let Some(kept) = ascii_slug_byte(b as u8) {
            table[b] = kept;
        }
        b += 1;
    }
    table
};

/// Whether an id written as `{#id}` is kept as written: it holds no quote,
/// angle bracket, backtick, backslash, `#`, `%`, space or control character,
/// so it can neither leave an attribute nor change what a `#fragment` or a
/// script that joins it into markup reads. Anything else becomes its slug.
pub fn is_safe_id(id: &str) -> bool {
    !id.is_empty()
        && !id.chars().any(|c| {
            c.is_control()
                || c.is_whitespace()
                || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\' | '#' | '%')
        })
}

/// Combining marks are kept by GitHub (they are part of a letter in many scripts).
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0E31 | 0x0E34..=0x0E3A | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0x3099..=0x309A | 0xFE20..=0xFE2F)
}

/// Hands out unique ids within one page: the second "Usage" becomes `usage-1`.
#[derive(Debug, Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// Reserves an id given explicitly (`{#id}`, raw HTML) so generated ones avoid it.
    pub fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(0);
    }

    pub fn unique(&mut self, text: &str) -> String {
        let base = match self.seen.entry(slug(text)) {
            std::collections::hash_map::Entry::Vacant(free) => {
                let id = free.key().clone();
                free.insert(0);
                return id;
            }
            std::collections::hash_map::Entry::Occupied(taken) => taken.key().clone(),
        };
        let mut candidate = base.clone();
        while self.seen.contains_key(&candidate) {
            let n = self.seen.entry(base.clone()).or_insert(0);
            *n += 1;
            candidate = format!("{base}-{n}");
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Cases checked against github.com's rendering of README headings.
    #[test]
    fn github_slug_cases() {
        let cases = [
            ("Hello World", "hello-world"),
            ("Release v1.2.0 (final)", "release-v120-final"),
            ("What's new?", "whats-new"),
            ("foo_bar-baz", "foo_bar-baz"),
            ("  Trim me  ", "trim-me"),
            ("A  B", "a--b"),
            ("C++ & Rust", "c--rust"),
            ("🚀 Launch day", "-launch-day"),
            ("Über Größe", "über-größe"),
            ("日本語の見出し", "日本語の見出し"),
            ("`cargo test` fails", "cargo-test-fails"),
            ("1. Prepare", "1-prepare"),
            ("Q&A: rollbacks/hotfixes", "qa-rollbackshotfixes"),
        ];
        for (text, want) in cases {
            assert_eq!(slug(text), want, "slug of {text:?}");
        }
    }

    /// ASCII text takes a shorter way: the same slugs as the general one.
    #[test]
    fn ascii_slugs_match_the_general_rule() {
        let general = |text: &str| -> String {
            let mut out = String::new();
            for c in text.trim().chars() {
                match c {
                    ' ' => out.push('-'),
                    '-' | '_' => out.push(c),
                    c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
                    _ => {}
                }
            }
            out
        };
        for text in crate::testing::ascii_texts(0x1234_5678_9abc_def1, 3000, 19) {
            assert_eq!(slug(&text), general(&text), "{text:?}");
        }
    }

    #[test]
    fn duplicates_get_numbered_suffixes() {
        let mut s = Slugger::default();
        let ids: Vec<_> = ["Usage", "Usage", "Usage-1", "Usage"]
            .iter()
            .map(|t| s.unique(t))
            .collect();
        // github-slugger: the third heading's own slug `usage-1` is taken, so it becomes `usage-1-1`.
        assert_eq!(ids, ["usage", "usage-1", "usage-1-1", "usage-2"]);
    }

    #[test]
    fn ids_that_could_leave_an_attribute_are_not_safe() {
        for id in [
            "rollback", "v1.2.0", "step:1", "q&a", "über", "a/b", "x_y-z",
        ] {
            assert!(is_safe_id(id), "{id}");
        }
        for id in [
            "",
            "z\"onfocus=\"alert(1)\"x=\"",
            "a'b",
            "<script>",
            "a>b",
            "a`b",
            "a\\b",
            "a#b",
            "100%",
            "a\tb",
            "a\u{85}b",
        ] {
            assert!(!is_safe_id(id), "{id:?}");
        }
    }

    #[test]
    fn reserved_ids_are_avoided() {
        let mut s = Slugger::default();
        s.reserve("rollback");
        assert_eq!(s.unique("Rollback"), "rollback-1");
    }
}
