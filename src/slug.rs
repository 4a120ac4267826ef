//! GitHub-compatible heading ids: the same algorithm as github-slugger, which
//! github.com uses for README anchors, so links that work there work here.

use ahash::AHashMap as HashMap;

mod nfkd_ascii;
mod removed;

/// The slug of one heading's text, without de-duplication.
pub(crate) fn slug(text: &str) -> String {
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
    github_slug(text)
}

/// github-slugger's `slug`: the text lower-cased, the characters it
/// removes (`removed::REMOVED`) dropped, and each space made a `-`.
fn github_slug(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            ' ' => out.push('-'),
            c if is_removed(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether github-slugger drops `c` from a slug.
fn is_removed(c: char) -> bool {
    let c = c as u32;
    removed::REMOVED
        .binary_search_by(|&(first, last)| {
            if last < c {
                std::cmp::Ordering::Less
            } else if first > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// What an ASCII byte of a heading's text becomes in its slug: lower case,
/// letters, digits, `_` and `-` kept, a space as `-`, the rest dropped.
pub(crate) const fn ascii_slug_byte(b: u8) -> Option<u8> {
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
pub(crate) fn is_safe_id(id: &str) -> bool {
    !id.is_empty()
        && !id.chars().any(|c| {
            c.is_control()
                || c.is_whitespace()
                || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\' | '#' | '%')
        })
}

/// The id MkDocs gives a heading: Python-Markdown's default `toc` slugify
/// (`markdown.extensions.toc.slugify`): the text in NFKD form with what is
/// not ASCII dropped, then `[^\w\s-]` dropped, trimmed, lower-cased, and
/// each run of `-` and spaces made one `-`. It differs from GitHub's where
/// punctuation sits between words (`Caret, Mark & Tilde` is
/// `caret-mark-tilde` here, `caret-mark--tilde` on GitHub) and on accents
/// (`Café` is `cafe`).
pub(crate) fn python_markdown_slug(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' || is_python_space(c) {
                kept.push(c.to_ascii_lowercase());
            }
            continue;
        }
        nfkd_ascii_of(c, |a| kept.push(a));
    }
    let mut out = String::with_capacity(kept.len());
    let mut run = false;
    for c in kept.trim_matches(is_python_space).chars() {
        if c == '-' || is_python_space(c) {
            run = true;
            continue;
        }
        if run {
            out.push('-');
            run = false;
        }
        out.push(c);
    }
    if run {
        out.push('-');
    }
    out
}

/// A heading's id as Zola makes it (`slugify.anchors = "on"`, its default,
/// the `slug` crate's rule): letters transliterated to ASCII and lowercased,
/// every run of anything else one `-`, none at either end
/// (`get_image_metadata` is `get-image-metadata`).
pub(crate) fn zola_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            push(c, &mut out);
            continue;
        }
        if !nfkd_ascii_of(c, |a| push(a, &mut out)) {
            push(' ', &mut out);
        }
    }
    out
}

/// The id GitBook gives a heading, as its links show it (earthly's docs,
/// published on GitBook, link `#3.-auto-skip` for "3. Auto-skip" and
/// `#mount-less-than-mount-spec-greater-than` for `--mount <mount-spec>`):
/// lower case, `<` and `>` spelt out as words, every run of anything but
/// letters, digits, `.`, `+` and `_` one `-`, none at either end.
pub(crate) fn gitbook_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    let mut push = |piece: &str, out: &mut String| {
        for c in piece.chars() {
            if c.is_alphanumeric() || matches!(c, '.' | '+' | '_') {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.extend(c.to_lowercase());
            } else {
                dash = true;
            }
        }
    };
    for c in text.chars() {
        let word = match c {
            '<' => " less than ",
            '>' => " greater than ",
            _ => {
                let mut buf = [0u8; 4];
                push(c.encode_utf8(&mut buf), &mut out);
                continue;
            }
        };
        push(word, &mut out);
    }
    out
}

/// The id VitePress gives a heading (its `slugify`, from `@mdit-vue/shared`):
/// combining marks and control characters dropped, each run of spaces and
/// ASCII punctuation one `-` (none at either end), lower case, and `_`
/// before a leading digit. `server.host` is `server-host` (GitHub's is
/// `serverhost`).
pub(crate) fn vitepress_slug(text: &str) -> String {
    const SPECIAL: &str = "~`!@#$%^&*()-_+=[]{}|\\;:\"'\u{201c}\u{201d}\u{2018}\u{2019}<>,.?/";
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_control() || ('\u{300}'..='\u{36f}').contains(&c) {
            return;
        }
        if c.is_whitespace() || SPECIAL.contains(c) {
            dash = true;
            return;
        }
        if dash && !out.is_empty() {
            out.push('-');
        }
        dash = false;
        out.extend(c.to_lowercase());
    };
    for c in text.chars() {
        // NFKD makes the fullwidth forms (`：`, `（`) and the ideographic
        // space ASCII, punctuation included.
        let c = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        };
        if c.is_ascii() || !nfkd_ascii_of(c, |a| push(a, &mut out)) {
            push(c, &mut out);
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// Hands `each` the ASCII that `c`'s NFKD form keeps (`é` → `e`), if it keeps
/// any: whether it did.
fn nfkd_ascii_of(c: char, mut each: impl FnMut(char)) -> bool {
    let code = c as u32;
    let at = nfkd_ascii::NFKD_ASCII.binary_search_by(|&(first, last, _, _)| {
        if last < code {
            std::cmp::Ordering::Less
        } else if first > code {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
    match at.map(|at| nfkd_ascii::NFKD_ASCII[at]) {
        Ok((_, _, ascii, false)) => ascii.chars().for_each(each),
        Ok((first, _, ascii, true)) => each(char::from(ascii.as_bytes()[0] + (code - first) as u8)),
        Err(_) => return false,
    }
    true
}

/// Python's `\s` and `str.strip()` on ASCII.
fn is_python_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\x1c'..='\x1f'
    )
}

/// Python-Markdown's `toc.unique`: `id` made unique among `used` by a
/// `_1`, `_2`… suffix (an empty id becomes `_1`).
pub(crate) fn python_markdown_unique(mut id: String, used: &mut ahash::AHashSet<String>) -> String {
    while id.is_empty() || used.contains(&id) {
        let numbered = id
            .rsplit_once('_')
            .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|(base, n)| Some((base.to_string(), n.parse::<u64>().ok()?)));
        id = match numbered {
            Some((base, n)) => format!("{base}_{}", n + 1),
            None => format!("{id}_1"),
        };
    }
    used.insert(id.clone());
    id
}

/// Hands out unique ids within one page: the second "Usage" becomes `usage-1`.
#[derive(Debug, Default)]
pub(crate) struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// Reserves an id given explicitly (`{#id}`, raw HTML) so generated ones avoid it.
    pub(crate) fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(0);
    }

    pub(crate) fn unique(&mut self, text: &str) -> String {
        self.unique_slug(slug(text))
    }

    /// `slug` made unique: the first free of `slug`, `slug-1`, `slug-2`…
    /// (GitHub's rule, and Zola's for its own slugs).
    pub(crate) fn unique_slug(&mut self, slug: String) -> String {
        let base = match self.seen.entry(slug) {
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

    /// Ids as earthly's docs link them on GitBook (docs.earthly.dev).
    #[test]
    fn gitbook_slugs_are_the_ones_its_links_use() {
        for (heading, id) in [
            ("3. Auto-skip", "3.-auto-skip"),
            ("`--allow-privileged`", "allow-privileged"),
            (
                "Use `RUN --push` for deployment commands",
                "use-run-push-for-deployment-commands",
            ),
            (
                "`--mount <mount-spec>`",
                "mount-less-than-mount-spec-greater-than",
            ),
            ("IF ... vs RUN if ...", "if-...-vs-run-if-..."),
            ("Use COPY +my-target", "use-copy-+my-target"),
        ] {
            assert_eq!(gitbook_slug(heading), id, "{heading}");
        }
    }

    // Expected ids printed by node running `@mdit-vue/shared`'s `slugify`
    // (VitePress's), its three regular expressions as published.
    #[test]
    fn vitepress_slug_cases() {
        let cases = [
            ("server.host", "server-host"),
            ("build.assetsInlineLimit", "build-assetsinlinelimit"),
            ("Deprecate CJS Node API", "deprecate-cjs-node-api"),
            ("Café crème", "cafe-creme"),
            ("9.7.0 November 11, 2025", "_9-7-0-november-11-2025"),
            ("- leading -- dashes -", "leading-dashes"),
            ("安装：快速开始", "安装-快速开始"),
            ("C++ — the «good» parts...", "c-—-the-«good»-parts"),
            ("Hello_World 2", "hello-world-2"),
            ("`import.meta.glob`", "import-meta-glob"),
            ("Tab\there", "tabhere"),
        ];
        for (text, id) in cases {
            assert_eq!(vitepress_slug(text), id, "{text:?}");
        }
    }

    // Expected ids printed by Python-Markdown's `toc.slugify` (Python 3.11).
    #[test]
    fn python_markdown_slug_cases() {
        let cases = [
            ("Caret, Mark & Tilde", "caret-mark-tilde"),
            ("Sub- and superscripts", "sub-and-superscripts"),
            ("Café crème", "cafe-creme"),
            ("9.7.0 November 11, 2025", "970-november-11-2025"),
            ("- leading -- dashes -", "-leading-dashes-"),
            ("⚠️ Final notes", "final-notes"),
            ("ﬁle ①", "file-1"),
            ("安装：快速开始", ""),
            ("Ünïcödé  Straße", "unicode-strae"),
            ("C++ — the «good» parts...", "c-the-good-parts"),
            ("Hello_World 2", "hello_world-2"),
        ];
        for (text, id) in cases {
            assert_eq!(python_markdown_slug(text), id, "{text:?}");
        }
        let mut used = ahash::AHashSet::from_iter(["usage".to_string()]);
        let ids: Vec<String> = ["usage", "usage", "", ""]
            .iter()
            .map(|s| python_markdown_unique(s.to_string(), &mut used))
            .collect();
        assert_eq!(ids, ["usage_1", "usage_2", "_1", "_2"]);
    }

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

    /// Emoji, variation selectors, ZWJ sequences, keycaps, CJK, other
    /// scripts and punctuation runs: each expected slug is what
    /// github-slugger 2.0.0 (GitHub's rule) gives, run with node.
    #[test]
    fn github_slugs_beyond_ascii() {
        let cases = [
            // U+FE0F (a mark) stays, the emoji before it goes.
            ("⚠️ Final notes", "\u{fe0f}-final-notes"),
            ("⚠ Final notes", "-final-notes"),
            ("©️ Copyright", "\u{fe0f}-copyright"),
            // ZWJ (a format character) goes with the emoji it joins.
            ("👩\u{200d}💻 Developer setup", "-developer-setup"),
            ("👨\u{200d}👩\u{200d}👧\u{200d}👦 Family", "-family"),
            ("🏳️\u{200d}🌈 Pride", "\u{fe0f}-pride"),
            ("❤️\u{200d}🔥 Hot", "\u{fe0f}-hot"),
            // Keycaps: the digit and both marks stay, `#` goes.
            ("1️⃣ First step", "1\u{fe0f}\u{20e3}-first-step"),
            ("#️⃣ Hash key", "\u{fe0f}\u{20e3}-hash-key"),
            ("✅ Done", "-done"),
            ("🇺🇸 Flags", "-flags"),
            ("👍🏽 Thumbs", "-thumbs"),
            ("🫠 melting", "-melting"),
            ("emoji🙂inside", "emojiinside"),
            ("日本語の見出し", "日本語の見出し"),
            ("中文标题：安装", "中文标题安装"),
            ("한국어 제목", "한국어-제목"),
            ("Привет, мир!", "привет-мир"),
            ("Ελληνικά ΟΔΟΣ", "ελληνικά-οδος"),
            ("Final ΣΑΣ", "final-σας"),
            ("İstanbul", "i\u{307}stanbul"),
            ("naïve café", "naïve-café"),
            ("e\u{301}", "e\u{301}"),
            ("क्षत्रिय", "क्षत्रिय"),
            ("العربية", "العربية"),
            ("ไทย", "ไทย"),
            ("ＡＢＣ fullwidth", "ａｂｃ-fullwidth"),
            ("ﬁ ligature", "ﬁ-ligature"),
            // Punctuation runs: dashes other than `-` go, `-` and `_` stay.
            ("a — b – c", "a--b--c"),
            ("a -- b", "a----b"),
            ("a...b", "ab"),
            ("(a) [b] {c}", "a-b-c"),
            ("“quoted” ‘single’", "quoted-single"),
            ("«guillemets»", "guillemets"),
            ("¿Qué? ¡Sí!", "qué-sí"),
            ("Ünïcödé—Test", "ünïcödétest"),
            ("foo_bar‿baz", "foo_bar‿baz"),
            ("$100 & €50", "100--50"),
            ("→ arrows ←", "-arrows-"),
            ("math ∑ ∞", "math--"),
            // Numbers: Nd and Nl stay, No goes.
            ("x²+y³", "xy"),
            ("½ cup", "-cup"),
            ("Ⅻ roman", "ⅻ-roman"),
            // Other spaces and invisible characters go; only ` ` becomes `-`.
            ("a\u{a0}b", "ab"),
            ("zero\u{200b}width", "zerowidth"),
            ("soft\u{ad}hyphen", "softhyphen"),
        ];
        for (text, want) in cases {
            assert_eq!(slug(text), want, "slug of {text:?}");
        }
    }

    /// github-slugger's own test suite (`test/fixtures.json` of 2.0.0):
    /// every Unicode category, repeated headings, emoji and gemoji.
    #[test]
    fn github_slugger_fixtures() {
        let fixtures: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("../tests/fixtures/github-slugger.json")).unwrap();
        assert_eq!(fixtures.len(), 78);
        let mut slugger = Slugger::default();
        for fixture in &fixtures {
            let (input, want) = (&fixture["input"], &fixture["expected"]);
            let (input, want) = (input.as_str().unwrap(), want.as_str().unwrap());
            let got = slugger.unique_slug(github_slug(input));
            assert_eq!(got, want, "{}: {input:?}", fixture["name"]);
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
