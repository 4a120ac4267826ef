//! Guides: markdown files under the content dir, with optional YAML front matter.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::config::yaml_error;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(deserialize_with = "number_or_numeral")]
    pub weight: Option<i64>,
    #[serde(deserialize_with = "bool_or_word")]
    pub draft: bool,
    #[serde(deserialize_with = "one_or_many")]
    pub audience: Vec<String>,
    pub owner: Option<String>,
    pub review_by: Option<NaiveDate>,
    pub aliases: Vec<String>,
    /// The page's name in the navigation, when shorter than its title
    /// (Hugo's `linkTitle`; an MkDocs `nav` or mdBook `SUMMARY.md` title).
    #[serde(rename = "linkTitle")]
    pub link_title: Option<String>,
    /// Hugo's and Zola's last URL segment: the page is reachable there too
    /// (as an alias).
    pub slug: Option<String>,
    /// Docusaurus' `linkTitle`.
    pub sidebar_label: Option<String>,
    /// Docusaurus' `weight`.
    pub sidebar_position: Option<f64>,
    /// Just the Docs' `weight`.
    pub nav_order: Option<f64>,
    /// Keys almanac does not use (MkDocs' `hide`, Zola's `sort_by`…): kept for
    /// templates as `page.extra`, reported by `check`, never a build failure,
    /// so docs written for other tools build as they are.
    #[serde(skip)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

pub(crate) const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "weight",
    "draft",
    "audience",
    "owner",
    "review_by",
    "aliases",
    "linkTitle",
    "sidebar_label",
    "slug",
    "sidebar_position",
    "nav_order",
];

/// A name or a list of names. A visitor rather than an untagged enum, whose
/// error ("did not match any variant") says neither what is accepted nor where.
/// A whole number, or the same written as a string (`weight: 08`, which
/// YAML reads as the string "08"; `weight: "2"`), as Hugo casts it. A
/// visitor, so that an error keeps the value's line.
fn number_or_numeral<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct Numeral;
    impl serde::de::Visitor<'_> for Numeral {
        type Value = Option<i64>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number")
        }

        fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Option<i64>, E> {
            Ok(Some(n))
        }

        fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Option<i64>, E> {
            i64::try_from(n)
                .map(Some)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(n), &self))
        }

        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Option<i64>, E> {
            s.trim()
                .parse()
                .map(Some)
                .map_err(|_| E::invalid_type(serde::de::Unexpected::Str(s), &self))
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Option<i64>, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Numeral)
}

/// `true`/`false`, or the same written as a string (`draft: 'false'`), as
/// Hugo casts it.
fn bool_or_word<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct Word;
    impl serde::de::Visitor<'_> for Word {
        type Value = bool;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a boolean")
        }

        fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<bool, E> {
            Ok(b)
        }

        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<bool, E> {
            match s.trim().to_ascii_lowercase().as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(E::invalid_type(serde::de::Unexpected::Str(s), &self)),
            }
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<bool, E> {
            Ok(false)
        }
    }
    d.deserialize_any(Word)
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct OneOrMany;
    impl<'de> serde::de::Visitor<'de> for OneOrMany {
        type Value = Vec<String>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a name or a list of names, like `ops` or `[ops, dev]`")
        }

        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Vec<String>, E> {
            Ok(vec![s.to_string()])
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<String>, A::Error> {
            let mut names = Vec::new();
            while let Some(name) = seq.next_element::<String>()? {
                names.push(name);
            }
            Ok(names)
        }
    }
    d.deserialize_any(OneOrMany)
}

/// One markdown file of the content dir.
#[derive(Debug, Clone)]
pub struct Guide {
    /// Path relative to the project root, for messages (`content/release/hotfix.md`).
    pub file: String,
    /// Path relative to the content dir (`release/hotfix.md`).
    pub path: String,
    pub front: FrontMatter,
    /// The whole file; the markdown body starts at `body_start`.
    pub text: String,
    pub body_start: usize,
    /// The file's modification time and length when it was read: `serve`
    /// reads again only the guides whose stamp changed.
    pub stamp: Option<(std::time::SystemTime, u64)>,
    /// Taken back from an earlier load (its file did not change since).
    pub reused: bool,
    /// When the file was read.
    pub read_at: Option<std::time::SystemTime>,
    /// `text` holds only the file's first lines (`Texts::Bounded`), front
    /// matter included.
    pub partial: bool,
    /// Its place and name in an adopted navigation (`mkdocs.yml`,
    /// `SUMMARY.md`, `_category_.json`), which win over its front matter's
    /// `weight` and `linkTitle`: set at every load, as they change with
    /// files other than this one.
    pub nav_weight: Option<i64>,
    pub nav_title: Option<String>,
    /// The section an adopted navigation lists it in (a folder, `""` for
    /// the top, or a heading's key), when it says.
    pub nav_parent: Option<String>,
    /// The section it stands for when it is not its folder's index page
    /// (an mdBook chapter with sub-chapters).
    pub nav_section: Option<String>,
    /// An adopted navigation leaves it out: built, but in no navigation.
    pub nav_hidden: bool,
}

impl Guide {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// `README.md`, `index.md` and `_index.md` are their folder's index page.
    pub fn is_index(&self) -> bool {
        is_index_name(file_name(&self.path))
    }

    /// The folder this guide belongs to, relative to the content dir ("" at the top).
    pub fn dir(&self) -> &str {
        parent(&self.path)
    }
}

pub fn is_index_name(name: &str) -> bool {
    matches!(name, "README.md" | "index.md" | "_index.md")
}

pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

pub fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// mdBook's `{{#title Text}}` on a line of its own, outside code: the
/// page's title, as a front matter `title` would be.
fn mdbook_title(body: &str) -> Option<String> {
    memchr::memmem::find(body.as_bytes(), b"{{#title")?;
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let trimmed = line.trim();
        for mark in ["```", "~~~"] {
            if trimmed.starts_with(mark) {
                fence = match fence {
                    None => Some(mark),
                    Some(open) if open == mark => None,
                    open => open,
                };
            }
        }
        if fence.is_some() {
            continue;
        }
        let Some(rest) = trimmed.strip_prefix("{{#title") else {
            continue;
        };
        let title = rest.strip_suffix("}}")?;
        if !title.starts_with(char::is_whitespace) {
            continue;
        }
        let title = title.trim();
        return (!title.is_empty()).then(|| title.to_string());
    }
    None
}

/// Splits front matter from the body. `file` names the guide in errors.
pub fn parse(file: &str, path: &str, text: String) -> Result<Guide> {
    match parse_lenient(file, path, text) {
        (guide, None) => Ok(guide),
        (_, Some(err)) => Err(err),
    }
}

/// Like `parse`, but a guide with bad front matter is still returned (with
/// default front matter and its body) beside the error, so `check` can report
/// the error and go on checking the page.
pub fn parse_lenient(file: &str, path: &str, text: String) -> (Guide, Option<Error>) {
    let (mut front, body_start, error) = match locate_front_matter(&text) {
        Err(()) => {
            let fence = if is_toml_front(&text) { "+++" } else { "---" };
            let err = Error::at(file, &text, 1, 1, "front matter is never closed").with_hint(
                format!("end the front matter with a line containing only `{fence}`"),
            );
            (FrontMatter::default(), 0, Some(err))
        }
        Ok((None, body_start)) => (FrontMatter::default(), body_start, None),
        Ok((Some(toml), body_start)) if is_toml_front(&text) => {
            match toml_front_matter(&text[toml.clone()]) {
                Ok(mut front) => {
                    relative_aliases(path, &mut front);
                    slug_alias(path, &mut front);
                    (front, body_start, None)
                }
                Err((offset, message)) => {
                    let (line, column) = crate::error::line_col(&text, toml.start + offset);
                    let err = Error::at(file, &text, line, column, message).with_hint(
                        "TOML front matter sits between `+++` lines, as Hugo and Zola write it",
                    );
                    (FrontMatter::default(), body_start, Some(err))
                }
            }
        }
        Ok((Some(yaml), body_start)) => match parse_front_matter(&text[yaml.clone()]).or_else(
            // A key given twice with the same value (k6's docs, by the
            // thousand) means one thing: read once (`check` warns of it).
            |e| match repeated_keys(&text[yaml.clone()]) {
                Repeats::Same(once) => parse_front_matter(&once),
                _ => Err(e),
            },
        ) {
            Ok(mut front) => {
                relative_aliases(path, &mut front);
                match bad_alias(file, &text, yaml.start, &front.aliases) {
                    None => {
                        slug_alias(path, &mut front);
                        (front, body_start, None)
                    }
                    Some(err) => {
                        front.aliases.clear();
                        (front, body_start, Some(err))
                    }
                }
            }
            Err(e) => (
                FrontMatter::default(),
                body_start,
                Some(yaml_error(file, &text, &e, 1)),
            ),
        },
    };
    if front.title.is_none() {
        front.title = mdbook_title(&text[body_start..]);
    }
    let guide = Guide {
        file: file.to_string(),
        path: path.to_string(),
        front,
        text,
        body_start,
        stamp: None,
        reused: false,
        read_at: None,
        partial: false,
        nav_weight: None,
        nav_title: None,
        nav_parent: None,
        nav_section: None,
        nav_hidden: false,
    };
    (guide, error)
}

/// A Hugo or Zola `slug` names the page's last URL segment: the page is
/// reachable there too, as an alias (its file name stays its URL, which
/// links to it use). Never an error: a slug that cannot be a path is left out.
fn slug_alias(path: &str, front: &mut FrontMatter) {
    // Hugo's `url` is the page's URL from the site's root (kubeflow's
    // `url = "/events/gsoc-2024/"`): the page is there.
    if let Some(url) = front.extra.get("url").and_then(|v| v.as_str())
        && url.starts_with('/')
        && !url.contains("://")
    {
        let alias = url.to_string();
        if alias_problem(&alias).is_none() && !front.aliases.contains(&alias) {
            front.aliases.push(alias);
        }
    }
    let Some(slug) = front.slug.as_deref().map(|s| s.trim_matches('/')) else {
        return;
    };
    if slug.is_empty() || is_index_name(file_name(path)) {
        return;
    }
    let dir = parent(path);
    let alias = if dir.is_empty() {
        format!("{slug}/")
    } else {
        format!("{dir}/{slug}/")
    };
    if alias_problem(&alias).is_none() && !front.aliases.contains(&alias) {
        front.aliases.push(alias);
    }
}

/// Hugo reads an alias with `..` or `.` from the page's folder: `../old-a`
/// of `docs/guide/a.md` is `/docs/old-a`, `./getting-started/x/` of
/// `tempo/docker-example.md` is `/tempo/getting-started/x/`. Made site-absolute
/// here; one that climbs above the content stays as written (and is an
/// error).
fn relative_aliases(path: &str, front: &mut FrontMatter) {
    for alias in &mut front.aliases {
        if alias.starts_with('/') || !alias.split('/').any(|s| s == ".." || s == ".") {
            continue;
        }
        let mut parts: Vec<String> = parent(path)
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let mut inside = true;
        for segment in alias.split('/') {
            match segment {
                "" | "." => {}
                ".." => inside &= parts.pop().is_some(),
                name => parts.push(name.to_string()),
            }
        }
        if inside && !parts.is_empty() {
            let slash = if alias.ends_with('/') { "/" } else { "" };
            *alias = format!("/{}{slash}", parts.join("/"));
        }
    }
}

/// The longest file name most file systems take, in bytes.
const NAME_MAX: usize = 255;

/// The error for the first alias that cannot be a path inside the site,
/// located at the alias in the front matter (which starts at byte
/// `yaml_start` of `text`).
fn bad_alias(file: &str, text: &str, yaml_start: usize, aliases: &[String]) -> Option<Error> {
    aliases.iter().find_map(|alias| {
        let why = alias_problem(alias)?;
        let at = text[yaml_start..]
            .find(alias.as_str())
            .filter(|_| !alias.is_empty())
            .or_else(|| text[yaml_start..].find("aliases"))
            .map_or(yaml_start, |i| yaml_start + i);
        let (line, column) = crate::error::line_col(text, at);
        let shown: String = alias.chars().take(60).collect();
        let ellipsis = if shown.len() < alias.len() { "…" } else { "" };
        Some(
            Error::at(
                file,
                text,
                line,
                column,
                format!("alias `{}{ellipsis}` {why}", shown.escape_debug()),
            )
            .with_hint(format!(
                "an alias is the old path of this page inside the site, such as `old/guide.html` or `/old-guide/`; each part of it at most {} bytes",
                NAME_MAX - ".html".len()
            )),
        )
    })
}

/// Why `alias` cannot be an alias: it names a file the build writes, so it
/// must stay inside the site, not replace its home page, and fit the file
/// system's file names (with `.html` added).
pub fn alias_problem(alias: &str) -> Option<String> {
    let longest = alias.split('/').map(str::len).max().unwrap_or(0);
    if alias.split(['/', '\\']).any(|s| s == "..") {
        Some("climbs out of the site with `..`".into())
    } else if alias.contains("://") || alias.starts_with("//") {
        Some("is a URL, not a path inside the site".into())
    } else if alias.chars().any(char::is_control) {
        Some("holds a control character".into())
    } else if alias.trim_start_matches('/').is_empty() {
        Some("would replace the site's home page".into())
    } else if longest + ".html".len() > NAME_MAX {
        Some(format!(
            "has a file name of {longest} bytes, too long for a redirect page"
        ))
    } else {
        None
    }
}

/// The top-level keys of YAML front matter given more than once.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Repeats {
    None,
    /// Each repeat says what the first said: the text with the repeats
    /// left out.
    Same(String),
    /// A key given twice with different values: which one is meant?
    Differ,
}

/// The repeats of `yaml`'s top-level keys (a key at the start of a line,
/// its value that line and the indented lines after it).
pub(crate) fn repeated_keys(yaml: &str) -> Repeats {
    repeated_key_offsets(yaml).0
}

/// `repeated_keys`, with the byte offset in `yaml` of each repeat.
pub(crate) fn repeated_key_offsets(yaml: &str) -> (Repeats, Vec<(String, usize)>) {
    // Each entry: its key, where its value starts, where the entry starts
    // and ends (its indented lines included).
    let mut entries: Vec<(&str, usize, usize, usize)> = Vec::new();
    let mut at = 0;
    for line in yaml.split_inclusive('\n') {
        let key = line.split_once(':').map(|(key, _)| key).filter(|key| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
        // Indented lines, and a block list's `- item` lines, are the value
        // of the key above them.
        let list_item = line.starts_with('-') && !line.starts_with("---");
        let continued = line.starts_with([' ', '\t']) || list_item || line.trim().is_empty();
        match (key, entries.last_mut()) {
            (Some(key), _) => entries.push((key, at + key.len() + 1, at, at + line.len())),
            (None, Some(last)) if continued => last.3 = at + line.len(),
            (None, _) => {}
        }
        at += line.len();
    }
    // A value as written, its spacing at line ends and around the first
    // line left out: made only for a key given again.
    let value = |from: usize, to: usize| {
        let mut lines = yaml[from..to].lines();
        let mut text = lines.next().unwrap_or_default().trim().to_string();
        for line in lines {
            text.push('\n');
            text.push_str(line.trim_end());
        }
        text.trim_end().to_string()
    };
    let mut repeats = Vec::new();
    let mut keep = String::new();
    let mut kept_to = 0;
    for (i, &(key, value_at, start, end)) in entries.iter().enumerate() {
        let Some(&(_, first_at, _, first_end)) = entries[..i].iter().find(|(k, ..)| *k == key)
        else {
            continue;
        };
        if value(first_at, first_end) != value(value_at, end) {
            return (Repeats::Differ, Vec::new());
        }
        keep.push_str(&yaml[kept_to..start]);
        kept_to = end;
        repeats.push((key.to_string(), start));
    }
    if repeats.is_empty() {
        return (Repeats::None, repeats);
    }
    keep.push_str(&yaml[kept_to..]);
    (Repeats::Same(keep), repeats)
}

fn parse_front_matter(yaml: &str) -> Result<FrontMatter, serde_yaml::Error> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    if let Some(front) = simple_front_matter(yaml) {
        return Ok(front);
    }
    let mut front: FrontMatter = serde_yaml::from_str(yaml)?;
    if may_have_unknown_keys(yaml) {
        front.extra = unknown_keys(yaml);
    }
    Ok(other_generators_words(front))
}

/// Whether the guide's front matter is TOML (`+++`, Hugo's and Zola's).
fn is_toml_front(text: &str) -> bool {
    toml_front_start(text.strip_prefix('\u{feff}').unwrap_or(text)).is_some()
}

/// `text` from its opening `+++`, which Zola lets blank lines come before
/// (a `---` there is a rule), when it opens TOML front matter.
fn toml_front_start(text: &str) -> Option<&str> {
    Some(text.trim_start_matches(['\n', '\r', ' ', '\t'])).filter(|t| t.starts_with("+++"))
}

/// TOML front matter, read as its YAML form would be: the same keys, and
/// the rest (Zola's `[extra]` table flattened) as `page.extra`. The error
/// is an offset into `toml` and a message.
fn toml_front_matter(toml: &str) -> std::result::Result<FrontMatter, (usize, String)> {
    let table: toml::Table = toml::from_str(toml).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        (at, format!("invalid TOML front matter: {}", e.message()))
    })?;
    let mut all = serde_json::Map::new();
    for (key, value) in table {
        match (key.as_str(), crate::config::toml_to_json(value)) {
            ("extra", serde_json::Value::Object(extra)) => {
                for (k, v) in extra {
                    all.entry(k).or_insert(v);
                }
            }
            (_, value) => {
                all.insert(key, value);
            }
        }
    }
    let value = serde_json::Value::Object(all);
    let mut front = FrontMatter::deserialize(&value).map_err(|e| {
        let key = e.to_string();
        let at = toml
            .find(key.split('`').nth(1).unwrap_or("\u{0}"))
            .unwrap_or(0);
        (at, format!("invalid TOML front matter: {e}"))
    })?;
    if let serde_json::Value::Object(mut all) = value {
        all.retain(|k, _| !KNOWN_KEYS.contains(&k.as_str()));
        front.extra = all.into_iter().collect();
    }
    Ok(other_generators_words(front))
}

/// Other generators' words for almanac's keys.
fn other_generators_words(mut front: FrontMatter) -> FrontMatter {
    // Other generators' words for `weight` (Docusaurus allows fractions,
    // whose order rounding keeps in all but the rarest cases).
    if front.link_title.is_none() {
        front.link_title = front.sidebar_label.take();
    }
    if front.weight.is_none() {
        front.weight = front
            .sidebar_position
            .or(front.nav_order)
            .filter(|w| w.is_finite())
            .map(|w| w.round() as i64);
    }
    front
}

/// Front matter of the commonest shape read without the YAML parser: one
/// `key: value` per line for `title`, `description`, `owner` (a plain scalar
/// starting with a letter, or quoted without escapes), `weight` (an integer)
/// and `draft` (`true`/`false`), with blank and comment lines. `None` for
/// anything else, which the YAML parser reads; where this answers, it answers
/// as the parser would (a test compares them).
fn simple_front_matter(yaml: &str) -> Option<FrontMatter> {
    let mut front = FrontMatter::default();
    let mut seen: Vec<&str> = Vec::with_capacity(4);
    for line in yaml.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line.split_once(':')?;
        if !(value.is_empty() || value.starts_with(' ')) || seen.contains(&key) {
            return None;
        }
        seen.push(key);
        let value = value.trim_matches(' ');
        match key {
            "title" => front.title = Some(simple_string(value)?),
            "description" => front.description = Some(simple_string(value)?),
            "owner" => front.owner = Some(simple_string(value)?),
            "weight" => front.weight = Some(simple_integer(value)?),
            "draft" => {
                front.draft = match value {
                    "true" => true,
                    "false" => false,
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    Some(front)
}

/// A one-line YAML string that means what it spells, or `None`.
fn simple_string(value: &str) -> Option<String> {
    let quoted = |q: char| {
        let inner = value.strip_prefix(q)?.strip_suffix(q)?;
        (!inner.contains([q, '\\'])).then(|| inner.to_string())
    };
    match value.chars().next()? {
        '"' => quoted('"'),
        '\'' => quoted('\''),
        c if c.is_ascii_alphabetic() => {
            // Not a comment, a mapping, a tab or a word YAML reads as something else.
            let plain = !value.contains(" #")
                && !value.contains(": ")
                && !value.ends_with(':')
                && !value.contains('\t')
                && !matches!(
                    value.to_ascii_lowercase().as_str(),
                    "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
                );
            plain.then(|| value.to_string())
        }
        _ => None,
    }
}

/// A YAML integer written plainly (`42`, `-3`; no sign `+`, leading zero or `_`).
fn simple_integer(value: &str) -> Option<i64> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    plain.then(|| value.parse().ok()).flatten()
}

/// False when every top-level key is almanac's own, read off the lines that
/// start at column 0: the YAML is then not parsed a second time for extras.
/// Anything unusual (flow style, quoted or complex keys) answers true.
fn may_have_unknown_keys(yaml: &str) -> bool {
    yaml.lines().any(|line| {
        if line.is_empty()
            || line.starts_with([' ', '\t', '#'])
            || line.trim_end() == "---"
            || line.trim_end() == "..."
        {
            return false;
        }
        match line.split_once(':') {
            Some((key, _)) => !KNOWN_KEYS.contains(&key),
            None => true,
        }
    })
}

/// The byte range of the front matter's YAML (if there is front matter) and
/// where the body starts; `Err` when the front matter is never closed.
fn locate_front_matter(text: &str) -> Result<(Option<std::ops::Range<usize>>, usize), ()> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let text_no_bom = toml_front_start(text_no_bom).unwrap_or(text_no_bom);
    let Some(after_open) = strip_fence_line(text_no_bom) else {
        return Ok((None, bom));
    };
    let yaml_start = text.len() - after_open.len();
    let toml = text_no_bom.starts_with('+');
    // The closing `---` (or `...`; `+++` for TOML) is on a line of its own.
    // A longer run closes too (`----------`, as litmus' docs close theirs):
    // Hugo and Docusaurus' gray-matter close at a line that starts with the
    // delimiter, and no YAML or TOML line is only dashes or pluses.
    let run_of = |line: &str, c: char| line.len() >= 3 && line.chars().all(|l| l == c);
    let mut offset = yaml_start;
    for line in after_open.split_inclusive('\n') {
        let trimmed = line.trim_end();
        let closes = match toml {
            true => run_of(trimmed, '+'),
            false => run_of(trimmed, '-') || trimmed == "...",
        };
        if closes {
            return Ok((Some(yaml_start..offset), offset + line.len()));
        }
        offset += line.len();
    }
    // A `---` never closed and not followed by a `key:` line is a
    // thematic break that starts the page (traefik's included snippets),
    // not front matter left open.
    let looks_like_yaml = after_open
        .lines()
        .map(str::trim_end)
        .find(|l| !l.is_empty())
        .and_then(|l| l.split_once(':'))
        .is_some_and(|(key, _)| {
            let key = key.trim_matches(['"', '\'']);
            !key.is_empty()
                && !key.starts_with(char::is_whitespace)
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
        });
    if !toml && !looks_like_yaml {
        return Ok((None, bom));
    }
    Err(())
}

/// The top-level keys of a front matter block that are not almanac's own.
fn unknown_keys(yaml: &str) -> BTreeMap<String, serde_json::Value> {
    match serde_yaml::from_str::<BTreeMap<String, serde_json::Value>>(yaml) {
        Ok(mut all) => {
            all.retain(|k, _| !KNOWN_KEYS.contains(&k.as_str()));
            all
        }
        Err(_) => BTreeMap::new(),
    }
}

/// The text after the opening `---` or `+++` line. Hugo's TOML front
/// matter may start on that line (`+++ title="Buildpack API"`, as
/// buildpacks' docs write it): Hugo reads on from the `+++`.
fn strip_fence_line(text: &str) -> Option<&str> {
    if let Some(rest) = text.strip_prefix("+++")
        && let Some(toml) = rest.strip_prefix([' ', '\t'])
        && toml.lines().next().is_some_and(|l| l.contains('='))
    {
        return Some(toml.trim_start_matches([' ', '\t']));
    }
    let rest = text
        .strip_prefix("---")
        .or_else(|| text.strip_prefix("+++"))?;
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

/// GitBook's folder of a space's uploads (`.gitbook/assets/`).
const GITBOOK: &str = ".gitbook";

/// Every `*.md` under `content_dir` (hidden files and folders skipped, but
/// for the files of GitBook's `.gitbook/` that are not markdown), and the
/// other files, which are copied to the output as they are.
pub struct ContentFiles {
    pub markdown: Vec<String>,
    pub assets: Vec<String>,
    /// Files and folders left out because their names are not UTF-8: they
    /// have no URL (content-relative, the bad bytes shown as `U+FFFD`).
    pub unnamed: Vec<String>,
}

pub fn list(content_dir: &Path, skip: &[std::path::PathBuf]) -> Result<ContentFiles> {
    let mut files = ContentFiles {
        markdown: Vec::new(),
        assets: Vec::new(),
        unnamed: Vec::new(),
    };
    let (listed, unnamed) = walk(content_dir, "", skip)?;
    for rel in listed {
        let in_gitbook = rel.split('/').any(|segment| segment == GITBOOK);
        if rel.ends_with(".md") && in_gitbook {
            // GitBook's own (reusable blocks), not pages.
            continue;
        }
        if rel.ends_with(".md") {
            files.markdown.push(rel);
        } else {
            files.assets.push(rel);
        }
    }
    files.unnamed = unnamed;
    Ok(files)
}

/// The files of a folder, and the entries left out because their names are
/// not UTF-8.
type Listing = (Vec<String>, Vec<String>);

/// The files under `dir`, named from the content folder (`prefix` names
/// `dir`, "" at the top): each folder's entries in name order, a sub-folder's
/// files where the sub-folder sorts, hidden names and `skip` left out,
/// symbolic links not followed. Sub-folders are listed in parallel.
fn walk(dir: &Path, prefix: &str, skip: &[std::path::PathBuf]) -> Result<Listing> {
    use rayon::prelude::*;
    let listing = |e: std::io::Error| Error::io("listing", dir, e);
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(listing)? {
        let entry = entry.map_err(listing)?;
        let name = entry.file_name();
        let kind = entry.file_type().map_err(listing)?;
        // GitBook keeps a space's images in `.gitbook/assets/`: the one
        // hidden folder whose files pages show.
        if name.to_string_lossy().starts_with('.') && !(name == GITBOOK && kind.is_dir()) {
            continue;
        }
        entries.push((name, kind));
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    // A name is one path segment as it is: `\` is an ordinary character here.
    let named = |name: &std::ffi::OsStr| {
        let name = name.to_string_lossy();
        match prefix {
            "" => name.into_owned(),
            _ => format!("{prefix}/{name}"),
        }
    };
    let below: Vec<Option<Result<Listing>>> = entries
        .par_iter()
        .map(|(name, kind)| {
            let path = dir.join(name);
            (kind.is_dir() && name.to_str().is_some() && !skip.contains(&path))
                .then(|| walk(&path, &named(name), skip))
        })
        .collect();
    let (mut files, mut unnamed) = (Vec::new(), Vec::new());
    for ((name, kind), below) in entries.iter().zip(below) {
        match below {
            Some(listed) => {
                let (more, more_unnamed) = listed?;
                files.extend(more);
                unnamed.extend(more_unnamed);
            }
            None if name.to_str().is_none() && (kind.is_file() || kind.is_dir()) => {
                unnamed.push(named(name));
            }
            None if kind.is_file() => files.push(named(name)),
            None => {}
        }
    }
    Ok((files, unnamed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_matches_a_sorted_walk() {
        // The plain definition: walkdir, sorted by name, hidden names and the
        // skipped folders left out.
        fn reference(dir: &Path, skip: &[std::path::PathBuf]) -> Vec<String> {
            walkdir::WalkDir::new(dir)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0
                        || !(e.file_name().to_string_lossy().starts_with('.')
                            || skip.iter().any(|s| s == e.path()))
                })
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    let rel = e.path().strip_prefix(dir).unwrap();
                    rel.to_string_lossy().replace('\\', "/")
                })
                .collect()
        }
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "README.md",
            "a.md",
            "b/index.md",
            "b/z.png",
            "b/c/d.md",
            "b-c.md",
            "b0/x.md",
            ".hidden.md",
            ".git/config",
            "b/.cache/y.md",
            "public/out.md",
            "Z.md",
            "é.md",
            "deep/1/2/3/4.md",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
        }
        std::fs::create_dir_all(root.join("empty/inner")).unwrap();
        std::os::unix::fs::symlink(root.join("b"), root.join("link")).unwrap();
        let skip = vec![root.join("public")];
        let (listed, unnamed) = walk(root, "", &skip).unwrap();
        assert_eq!(listed, reference(root, &skip));
        assert!(unnamed.is_empty());
        assert!(listed.contains(&"b/c/d.md".to_string()), "{listed:?}");
        assert!(
            !listed
                .iter()
                .any(|f| f.contains("hidden") || f.starts_with("public"))
        );
    }

    fn guide(text: &str) -> Result<Guide> {
        parse("content/g.md", "g.md", text.to_string())
    }

    #[test]
    fn no_front_matter_means_whole_file_is_body() {
        let g = guide("# Title\n\nText\n").unwrap();
        assert_eq!(g.front, FrontMatter::default());
        assert_eq!(g.body(), "# Title\n\nText\n");
    }

    #[test]
    fn front_matter_fields_are_read() {
        let g = guide(
            "---\ntitle: Hotfix guide\nweight: 3\naudience: [Release managers, QA]\nowner: '@ops'\nreview_by: 2027-01-31\n---\nBody\n",
        )
        .unwrap();
        assert_eq!(g.front.title.as_deref(), Some("Hotfix guide"));
        assert_eq!(g.front.weight, Some(3));
        assert_eq!(g.front.audience, ["Release managers", "QA"]);
        assert_eq!(g.front.review_by, NaiveDate::from_ymd_opt(2027, 1, 31));
        assert_eq!(g.body(), "Body\n");
    }

    #[test]
    fn audience_may_be_a_single_string() {
        let g = guide("---\naudience: Everyone\n---\n").unwrap();
        assert_eq!(g.front.audience, ["Everyone"]);
    }

    #[test]
    fn numbers_and_flags_written_as_strings_are_cast_as_hugo_casts_them() {
        let g = guide("---\nweight: 08\ndraft: 'false'\n---\n").unwrap();
        assert_eq!((g.front.weight, g.front.draft), (Some(8), false));
        let g = guide("---\nweight: \"-2\"\ndraft: \"True\"\n---\n").unwrap();
        assert_eq!((g.front.weight, g.front.draft), (Some(-2), true));
        // Words are still no numbers or flags, and are located.
        for bad in [
            "---\ntitle: t\ndraft: maybe\n---\n",
            "---\ntitle: t\nweight: 2.5\n---\n",
        ] {
            let Err(Error::Located(loc)) = guide(bad) else {
                panic!("{bad}")
            };
            assert_eq!(loc.line, 3, "{bad}");
        }
    }

    #[test]
    fn an_alias_with_dots_is_read_from_the_pages_folder() {
        let g = parse(
            "content/docs/guide/a.md",
            "docs/guide/a.md",
            "---\naliases: [../old-a, old/b.html, /c/, ./getting-started/a/]\n---\n".into(),
        )
        .unwrap();
        assert_eq!(
            g.front.aliases,
            [
                "/docs/old-a",
                "old/b.html",
                "/c/",
                "/docs/guide/getting-started/a/"
            ]
        );
        // Above the site it is still an error.
        assert!(parse("a.md", "a.md", "---\naliases: [../../x]\n---\n".into()).is_err());
    }

    #[test]
    fn bad_front_matter_is_located_in_the_file() {
        let err = guide("---\ntitle: ok\nweight: heavy\n---\nBody\n").unwrap_err();
        let Error::Located(loc) = err else {
            panic!("{err}")
        };
        assert_eq!(loc.line, 3);
        assert_eq!(loc.source_line, "weight: heavy");
    }

    #[test]
    fn unknown_front_matter_keys_are_kept_as_extra() {
        let g = guide("---\ntitle: T\nsort_by: weight\nhide: [toc]\n---\n").unwrap();
        assert_eq!(g.front.title.as_deref(), Some("T"));
        let keys: Vec<_> = g.front.extra.keys().map(String::as_str).collect();
        assert_eq!(keys, ["hide", "sort_by"]);
        assert_eq!(g.front.extra["hide"][0], "toc");
    }

    #[test]
    fn extras_are_found_however_the_keys_are_written() {
        // Quoted, flow-style and commented: whatever the quick key scan
        // cannot vouch for is parsed, so no extra is ever missed.
        for (yaml, extra) in [
            ("title: T\nweight: 1\n# hide: x\n", None),
            ("\"hide\": [toc]\ntitle: T\n", Some("hide")),
            ("{title: T, hide: [toc]}\n", Some("hide")),
            ("title: T\nsort_by:\n  - weight\n", Some("sort_by")),
            ("title: >\n  folded: not a key\n", None),
        ] {
            let g = guide(&format!("---\n{yaml}---\n")).unwrap();
            let keys: Vec<_> = g.front.extra.keys().map(String::as_str).collect();
            assert_eq!(keys, extra.into_iter().collect::<Vec<_>>(), "{yaml}");
        }
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = guide("---\ntitle: x\n\n# Body\n").unwrap_err();
        assert!(err.to_string().contains("never closed"), "{err}");
    }

    #[test]
    fn a_page_that_starts_with_a_thematic_break_has_no_front_matter() {
        // traefik's snippet: a rule, then an admonition; never closed, and
        // no `key:` after the fence.
        let text = "---\n\n!!! question \"Using Traefik OSS in Production?\"\n    Text.\n";
        let g = guide(text).unwrap();
        assert_eq!(g.body_start, 0);
        assert!(g.body().starts_with("---"));
        // A key after it is front matter left open, still an error.
        for open in ["---\n\ntitle: x\n# Body\n", "---\n\"title\": x\n"] {
            assert!(guide(open).is_err(), "{open}");
        }
    }

    /// As Hugo and Docusaurus read them: front matter closed by a longer
    /// run of dashes (litmus' docs; the build stopped at the page's first
    /// line of text), and Hugo's TOML begun on the `+++` line (buildpacks').
    #[test]
    fn front_matter_closed_by_a_longer_rule_or_begun_on_the_fence_line() {
        let g = guide("---\nid: x\ntitle: Additional\n----------------\n\nThis guide.\n").unwrap();
        assert_eq!(g.front.title.as_deref(), Some("Additional"));
        assert_eq!(g.body().trim(), "This guide.");
        let g = guide("+++ title=\"Buildpack API\"\nweight=2\n+++\n\nText.\n").unwrap();
        assert_eq!(g.front.title.as_deref(), Some("Buildpack API"));
        assert_eq!(g.body().trim(), "Text.");
        let g = guide("+++\ntitle=\"T\"\n++++\nText.\n").unwrap();
        assert_eq!(g.front.title.as_deref(), Some("T"));
        // An indented run is a block scalar's line, not the end.
        let g = guide("---\ndescription: |\n  ----\n  more\ntitle: T\n---\nText.\n").unwrap();
        assert_eq!(g.front.title.as_deref(), Some("T"));
        // A page that opens with a longer rule has no front matter.
        let g = guide("----\n\ntitle: x\n").unwrap();
        assert_eq!(g.body_start, 0);
    }

    #[test]
    fn a_thematic_break_later_is_not_front_matter() {
        let g = guide("# Title\n\n---\n\ntext\n").unwrap();
        assert_eq!(g.body_start, 0);
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;

    /// Front matter parsing returns a guide or an error for any input, never panics.
    #[test]
    fn simple_front_matter_reads_as_the_yaml_parser_does() {
        let values = [
            "Release guide",
            "\"Approve the SBOM\"",
            "'single quoted'",
            "\"with \\\"escape\\\"\"",
            "'it''s'",
            "Release: guide",
            "Release:guide",
            "a # comment",
            "a#b",
            "yes",
            "No",
            "ON",
            "null",
            "~",
            "true",
            "1.0",
            "v1.2",
            "42",
            "-3",
            "007",
            "0",
            "-0",
            "+5",
            "1_000",
            "0x1F",
            "1e3",
            "99999999999999999999",
            "Ünïcode",
            "-dash",
            "[a, b]",
            "{a: 1}",
            "&anchor x",
            "*alias",
            "!!str 5",
            "|",
            ">",
            "",
            "trailing:",
            "tab\there",
            "\"unclosed",
            "'a' b",
            "R&D and C++",
            "%percent",
            "@at",
        ];
        let keys = [
            "title",
            "description",
            "owner",
            "weight",
            "draft",
            "aliases",
        ];
        let mut fast = 0;
        for key in keys {
            for value in values {
                for layout in [
                    format!("{key}: {value}\n"),
                    format!("# note\n{key}: {value}\nweight: 3\n"),
                    format!("{key}:   {value}  \r\n\ndraft: false\n"),
                    format!("{key}: {value}\n{key}: {value}\n"),
                    format!("{key}:{value}\n"),
                ] {
                    let Some(simple) = simple_front_matter(&layout) else {
                        continue;
                    };
                    fast += 1;
                    let parsed: FrontMatter = serde_yaml::from_str(&layout).unwrap_or_else(|e| {
                        panic!("{layout:?}: read simply, refused by YAML: {e}")
                    });
                    assert_eq!(simple, parsed, "{layout:?}");
                }
            }
        }
        // The fast path does answer for the common shapes.
        assert!(fast > 40, "{fast}");
        assert!(simple_front_matter("title: \"Approve the SBOM\"\nweight: 43\n").is_some());
    }

    #[test]
    fn fuzz_front_matter_never_panics() {
        let pieces = [
            "---", "\n", "title", ":", " ", "[", "]", "{", "}", "weight: ", "1", "'", "\"",
            "\u{feff}", "é", "...", "\r\n", "- ", "&a", "*a", "!!str",
        ];
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(next() % 30) {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            if let Err(crate::error::Error::Located(loc)) = parse("g.md", "g.md", text.clone()) {
                assert!(loc.line >= 1 && loc.column >= 1, "{text:?}");
            }
        }
    }
}

#[cfg(test)]
mod repeated_key_tests {
    use super::{Repeats, repeated_key_offsets, repeated_keys};

    #[test]
    fn a_key_repeated_with_its_value_is_read_once() {
        let yaml = "title: 'fail'\ndescription: 'Throws.'\ndescription: 'Throws.'\nweight: 2\n";
        assert_eq!(
            repeated_key_offsets(yaml),
            (
                Repeats::Same("title: 'fail'\ndescription: 'Throws.'\nweight: 2\n".into()),
                vec![("description".to_string(), 37)]
            )
        );
    }

    #[test]
    fn repeats_with_other_values_or_lists_differ() {
        assert_eq!(repeated_keys("weight: 1\nweight: 2\n"), Repeats::Differ);
        assert_eq!(
            repeated_keys("aliases:\n- /a\naliases:\n- /b\n"),
            Repeats::Differ
        );
        assert_eq!(
            repeated_keys("tags:\n  - a\n  - b\ntitle: x\ntags:\n  - a\n  - b\n"),
            Repeats::Same("tags:\n  - a\n  - b\ntitle: x\n".into())
        );
        assert_eq!(repeated_keys("title: a\nurl: 'b: c'\n"), Repeats::None);
    }
}
