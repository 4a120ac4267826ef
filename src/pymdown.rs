//! MkDocs Material's block and inline markup (Python-Markdown's and
//! PyMdown's extensions), rewritten into CommonMark and HTML before the
//! markdown pass: admonitions (`!!! note "Title"`), collapsible ones
//! (`??? tip`, `???+ tip`), content tabs (`=== "Rust"`), attribute lists
//! (`{ .class #id }`, dropped), icon shortcodes (`:material-console:`,
//! dropped), the `markdown` attribute of an HTML block, and the definitions
//! of definition lists (`:   text`, a block of its own under its term).
//!
//! A page without any of them is not copied (`expand` returns `None` after a
//! few SIMD scans). A rewritten page keeps a map from its offsets back to the
//! source's, so every line and column the pass reports is the one written.

use crate::html::escape;

/// A page's body with MkDocs markup rewritten, and where each of its bytes
/// came from.
pub(crate) struct Expanded {
    pub text: String,
    /// (offset in `text`, offset in the source, bytes copied), in order.
    /// Inserted markup is a piece of length 0: its bytes map to the offset
    /// of the construct it replaces.
    pieces: Vec<(usize, usize, usize)>,
}

impl Expanded {
    /// The source offset of byte `at` of `text`.
    pub(crate) fn source_offset(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.0 <= at);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some((new, old, len)) => old + (at - new).min(len),
            None => at,
        }
    }
}

#[derive(Default)]
struct Out {
    text: String,
    pieces: Vec<(usize, usize, usize)>,
}

impl Out {
    fn copy(&mut self, source: &str, from: usize, to: usize) {
        if from >= to {
            return;
        }
        match self.pieces.last_mut() {
            Some((new, old, len)) if *new + *len == self.text.len() && *old + *len == from => {
                *len += to - from
            }
            _ => self.pieces.push((self.text.len(), from, to - from)),
        }
        self.text.push_str(&source[from..to]);
    }

    fn insert(&mut self, markup: &str, at: usize) {
        self.pieces.push((self.text.len(), at, 0));
        self.text.push_str(markup);
    }
}

const ICON_SETS: [&str; 4] = [":material-", ":fontawesome-", ":octicons-", ":simple-"];

/// Whether `body` may hold any of the markup: three SIMD scans for the
/// bytes its markers start with, each hit looked at where it is. (A page
/// it lets through needlessly costs time, not output: `expand` then finds
/// nothing to change.)
fn may_have_markup(body: &str) -> bool {
    let b = body.as_bytes();
    let at = |i: usize, marker: &str| b[i..].starts_with(marker.as_bytes());
    // `!!! `, `??? `, `???+ `, `=== "`, `===! "`, `===+ "`; `!!!note`, `???tip`.
    let blocks = memchr::memchr3_iter(b'!', b'?', b'=', b).any(|i| {
        ["!!! ", "??? ", "???+ ", "=== \"", "===! \"", "===+ \""]
            .iter()
            .any(|m| at(i, m))
            || ((at(i, "!!!") || at(i, "???")) && b.get(i + 3).is_some_and(u8::is_ascii_alphabetic))
            || (at(i, "???+") && b.get(i + 4).is_some_and(u8::is_ascii_alphabetic))
    });
    // Icons, `:::`, `\n:   `, `<Tabs`, ` markdown` in a tag, attribute lists.
    let inline = || {
        memchr::memchr3_iter(b':', b'<', b'{', b).any(|i| match b[i] {
            b':' => {
                ICON_SETS.iter().any(|m| at(i, m))
                    || at(i, ":::")
                    || ((at(i, ": ") || at(i, ":\t")) && (i == 0 || b[i - 1] == b'\n'))
            }
            b'<' => {
                at(i, "<Tabs") || {
                    let tag = &b[i..b.len().min(i + 512)];
                    let end = memchr::memchr(b'>', tag).unwrap_or(tag.len());
                    memchr::memmem::find(&tag[..end], b" markdown").is_some()
                }
            }
            _ => attr_list_len(body, i).is_some(),
        })
    };
    // MDX imports start a line.
    let imports = || body.starts_with("import ") || memchr::memmem::find(b, b"\nimport ").is_some();
    blocks || inline() || imports()
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Admonition,
    Details,
    TabSet,
    Tab,
    /// A definition (`:   text`) of Python-Markdown's definition lists.
    Definition,
    /// Docusaurus' `:::note` … `:::` (this many colons): closed by a line of
    /// colons, not by indentation.
    Directive(usize),
    /// Docusaurus' `<Tabs>` … `</Tabs>` and its `<TabItem>`s: closed by
    /// their closing tags.
    JsxTabs,
    JsxTab,
}

impl Kind {
    /// Closed by a marker of its own, not by a line indented less.
    fn closed_explicitly(self) -> bool {
        matches!(self, Kind::Directive(_) | Kind::JsxTabs | Kind::JsxTab)
    }
}

struct Container {
    kind: Kind,
    /// Column of its marker in the source.
    indent: usize,
    /// Spaces its markup is written with (the marker's, container
    /// indentation taken off).
    rel: usize,
    /// A tab set's number on the page, and its tabs so far.
    set: (usize, usize),
}

impl Container {
    fn close(&self) -> &'static str {
        match self.kind {
            Kind::Details => "</details>",
            _ => "</div>",
        }
    }
    /// The column its content starts at.
    fn content(&self) -> usize {
        match self.kind {
            Kind::TabSet => self.indent,
            k if k.closed_explicitly() => self.indent,
            _ => self.indent + 4,
        }
    }
    /// Whether its content is indented under it (and so dedented here).
    fn indents(&self) -> bool {
        self.kind != Kind::TabSet && !self.kind.closed_explicitly()
    }
}

/// `body` with MkDocs markup rewritten, or `None` when it has none.
pub(crate) fn expand(body: &str) -> Option<Expanded> {
    if !may_have_markup(body) {
        return None;
    }
    let mut out = Out::default();
    let mut stack: Vec<Container> = Vec::new();
    // An open fence: its character, its length, the stack depth and the
    // indentation it opened at.
    let mut fence: Option<(u8, usize, usize, usize)> = None;
    let mut list_context = false;
    let mut tab_sets = 0usize;
    let mut changed = false;
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            out.copy(body, start, at);
            continue;
        }
        let (mut indent, _) = columns(content, usize::MAX);
        let tab_marker = tab_title(content.trim_start()).is_some();
        // Close what the line is outside of.
        while let Some(top) = stack.last() {
            let outside = match top.kind {
                Kind::TabSet => indent < top.indent || (indent == top.indent && !tab_marker),
                k if k.closed_explicitly() => false,
                _ => indent < top.content(),
            };
            if !outside {
                break;
            }
            let top = stack.pop().expect("a container");
            close(&mut out, &top, start);
            if fence.is_some_and(|(_, _, depth, _)| depth > stack.len()) {
                fence = None;
            }
        }
        let depth = stack.iter().filter(|c| c.indents()).count();
        let (_, mut strip) = columns(content, depth * 4);
        if depth > 0 {
            changed = true;
        }
        let mut rest = &content[strip..];
        let mut rel = indent.saturating_sub(depth * 4);
        let mut trimmed = rest.trim_start();
        if let Some((c, n, _, opened)) = fence {
            let run = trimmed.len() - trimmed.trim_start_matches(c as char).len();
            if run >= n && rel < opened + 4 && trimmed[run..].trim().is_empty() {
                fence = None;
            }
            out.copy(body, start + strip, at);
            continue;
        }
        // Docusaurus (MDX): `:::type[Title]` … `:::`, `<Tabs>`, imports.
        if (rel < 4 || list_context)
            && let Some(step) = docusaurus(trimmed, &stack)
        {
            changed = true;
            let pad = " ".repeat(rel);
            match step {
                Docusaurus::Import => {}
                Docusaurus::Close(kind) => {
                    while let Some(top) = stack.pop() {
                        close(&mut out, &top, start);
                        if top.kind == kind
                            || matches!((top.kind, kind), (Kind::Directive(_), Kind::Directive(_)))
                        {
                            break;
                        }
                    }
                }
                Docusaurus::Admonition(colons, class, title) => {
                    let mut markup =
                        format!("{pad}<div class=\"admonition {}\">\n", escape(&class));
                    if !title.is_empty() {
                        markup.push_str(&format!(
                            "{pad}<p class=\"admonition-title\">{}</p>\n",
                            title_html(&title)
                        ));
                    }
                    markup.push('\n');
                    out.insert(&markup, start);
                    stack.push(Container {
                        kind: Kind::Directive(colons),
                        indent,
                        rel,
                        set: (0, 0),
                    });
                }
                Docusaurus::Tabs => {
                    tab_sets += 1;
                    out.insert(&format!("{pad}<div class=\"tabbed-set\">\n\n"), start);
                    stack.push(Container {
                        kind: Kind::JsxTabs,
                        indent,
                        rel,
                        set: (tab_sets, 0),
                    });
                }
                Docusaurus::Tab(title) => {
                    let Some(set) = stack.iter_mut().rev().find(|c| c.kind == Kind::JsxTabs) else {
                        out.copy(body, start, at);
                        continue;
                    };
                    set.set.1 += 1;
                    let (tab_set, n) = set.set;
                    out.insert(&tab_markup(&pad, tab_set, n, &title), start);
                    stack.push(Container {
                        kind: Kind::JsxTab,
                        indent,
                        rel,
                        set: (0, 0),
                    });
                }
            }
            continue;
        }
        // `:   text` defines the term above it; the text, and the lines
        // indented under it, are its content (an admonition, often).
        if rel < 4
            && let Some(marker) = definition_marker(trimmed)
        {
            changed = true;
            let pad = " ".repeat(rel);
            out.insert(&format!("{pad}<div class=\"definition\">\n\n"), start);
            stack.push(Container {
                kind: Kind::Definition,
                indent,
                rel,
                set: (0, 0),
            });
            strip += rest.len() - trimmed.len() + marker;
            rest = &content[strip..];
            (rel, trimmed) = (0, rest);
            // What opens on the same line sits at the definition's content.
            indent += 4;
        }
        for c in [b'`', b'~'] {
            let run = trimmed.len() - trimmed.trim_start_matches(c as char).len();
            if run >= 3 && (rel < 4 || list_context) && !(c == b'`' && trimmed[run..].contains('`'))
            {
                fence = Some((c, run, stack.len(), rel));
            }
        }
        if fence.is_some() {
            out.copy(body, start + strip, at);
            continue;
        }
        let marker_here = rel < 4 || list_context;
        if marker_here && let Some((kind, classes, title)) = admonition(trimmed) {
            changed = true;
            let pad = " ".repeat(rel);
            let classes = escape(&classes.join(" "));
            let mut markup = match kind {
                Kind::Details => {
                    let open = if trimmed.starts_with("???+") {
                        " open"
                    } else {
                        ""
                    };
                    format!("{pad}<details class=\"admonition {classes}\"{open}>\n")
                }
                _ => format!("{pad}<div class=\"admonition {classes}\">\n"),
            };
            match (kind, title) {
                (Kind::Details, title) => {
                    markup.push_str(&format!("{pad}<summary>{}</summary>\n", title_html(&title)))
                }
                (_, title) if !title.is_empty() => markup.push_str(&format!(
                    "{pad}<p class=\"admonition-title\">{}</p>\n",
                    title_html(&title)
                )),
                _ => {}
            }
            markup.push('\n');
            out.insert(&markup, start);
            stack.push(Container {
                kind,
                indent,
                rel,
                set: (0, 0),
            });
            continue;
        }
        if marker_here && let Some((title, selected)) = tab_title(trimmed) {
            changed = true;
            let pad = " ".repeat(rel);
            let mut markup = String::new();
            let continues = stack
                .last()
                .is_some_and(|c| c.kind == Kind::TabSet && c.indent == indent);
            if !continues || selected {
                // `===!` starts a new set right after another.
                if continues && let Some(set) = stack.pop() {
                    close(&mut out, &set, start);
                }
                tab_sets += 1;
                markup.push_str(&format!("{pad}<div class=\"tabbed-set\">\n"));
                stack.push(Container {
                    kind: Kind::TabSet,
                    indent,
                    rel,
                    set: (tab_sets, 0),
                });
            }
            let Some(set) = stack.last_mut() else {
                continue;
            };
            set.set.1 += 1;
            let (tab_set, n) = set.set;
            markup.push_str(&tab_markup(&pad, tab_set, n, &title));
            out.insert(&markup, start);
            stack.push(Container {
                kind: Kind::Tab,
                indent,
                rel,
                set: (0, 0),
            });
            continue;
        }
        if rel < 4 {
            list_context = is_list_item(trimmed);
        }
        let from = start + strip;
        if trimmed.starts_with('<')
            && let Some(attr) = markdown_attr(rest)
        {
            changed = true;
            out.copy(body, from, from + attr.start);
            out.copy(body, from + attr.end, at);
            if !line.ends_with('\n') {
                out.insert("\n", at);
            }
            out.insert("\n", at);
            continue;
        }
        changed |= inline(&mut out, body, from, at, trimmed.starts_with('#'));
    }
    while let Some(top) = stack.pop() {
        if !out.text.ends_with('\n') {
            out.insert("\n", body.len());
        }
        close(&mut out, &top, body.len());
    }
    changed.then_some(Expanded {
        text: out.text,
        pieces: out.pieces,
    })
}

/// One tab of a tab set: its radio input, its label and its content's
/// opening (checked when it is the set's first).
fn tab_markup(pad: &str, tab_set: usize, n: usize, title: &str) -> String {
    let checked = if n == 1 { " checked" } else { "" };
    format!(
        "{pad}<input type=\"radio\" name=\"__tabbed_{tab_set}\" id=\"__tabbed_{tab_set}_{n}\"{checked}>\n\
         {pad}<label for=\"__tabbed_{tab_set}_{n}\">{}</label>\n\
         {pad}<div class=\"tabbed-content\">\n\n",
        title_html(title)
    )
}

/// What a line of Docusaurus' MDX markup does.
enum Docusaurus {
    /// `import Tabs from '@theme/Tabs';`: an MDX import, which shows nothing.
    Import,
    /// `:::tip[Title]` (or `:::tip Title`): the colons, the type, the title.
    Admonition(usize, String, String),
    /// A line of colons, `</TabItem>`, `</Tabs>`: closes the innermost of
    /// its kind (and what is open inside it).
    Close(Kind),
    Tabs,
    /// `<TabItem value="mac" label="macOS">`: the tab's title.
    Tab(String),
}

/// `line` (indentation taken off) as Docusaurus markup, given what is open.
fn docusaurus(line: &str, stack: &[Container]) -> Option<Docusaurus> {
    let line = line.trim_end();
    let colons = line.len() - line.trim_start_matches(':').len();
    if colons >= 3 {
        let rest = &line[colons..];
        if rest.is_empty() {
            let open = stack
                .iter()
                .any(|c| matches!(c.kind, Kind::Directive(n) if n <= colons));
            return open.then_some(Docusaurus::Close(Kind::Directive(colons)));
        }
        // VitePress writes a space after the colons (`::: tip NOTE`).
        let rest = rest.trim_start();
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_len);
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let after = after.trim();
        // `[Title]`, then `{attributes}`; or a title after a space (v2).
        let title = match after.strip_prefix('[') {
            Some(t) => t.split_once(']')?.0.to_string(),
            None if after.starts_with('{') => String::new(),
            None => after.to_string(),
        };
        let title = match title.trim() {
            // VitePress's tabs of code blocks: no title of their own.
            "" if name == "code-group" => String::new(),
            "" => {
                let mut chars = name.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
            t => t.to_string(),
        };
        return Some(Docusaurus::Admonition(colons, name.to_string(), title));
    }
    if line.starts_with("import ") && is_mdx_import(line) {
        return Some(Docusaurus::Import);
    }
    let tag = line.strip_prefix('<')?;
    let inside = |k: Kind| stack.iter().any(|c| c.kind == k);
    if tag.starts_with("/TabItem>") && inside(Kind::JsxTab) {
        return Some(Docusaurus::Close(Kind::JsxTab));
    }
    if tag.starts_with("/Tabs>") && inside(Kind::JsxTabs) {
        return Some(Docusaurus::Close(Kind::JsxTabs));
    }
    let attrs = |rest: &str| {
        rest.ends_with('>')
            .then(|| rest.trim_end_matches('>').to_string())
    };
    if let Some(rest) = tag.strip_prefix("Tabs")
        && (rest.starts_with([' ', '>']))
    {
        attrs(rest)?;
        return Some(Docusaurus::Tabs);
    }
    if let Some(rest) = tag.strip_prefix("TabItem")
        && rest.starts_with([' ', '>'])
        && inside(Kind::JsxTabs)
    {
        let rest = attrs(rest)?;
        let value = |key: &str| {
            let at = rest.find(&format!("{key}="))? + key.len() + 1;
            let quoted = &rest[at..];
            let q = quoted.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            Some(quoted[1..].split(q).next()?.to_string())
        };
        return Some(Docusaurus::Tab(
            value("label")
                .or_else(|| value("value"))
                .unwrap_or_default(),
        ));
    }
    None
}

/// `import Tabs from '@theme/Tabs';`, `import {A, B} from "./x";`,
/// `import './style.css';`: a whole ES import on one line.
fn is_mdx_import(line: &str) -> bool {
    let rest = line["import ".len()..]
        .trim()
        .trim_end_matches(';')
        .trim_end();
    let quoted = |s: &str| {
        s.len() >= 2
            && ((s.starts_with('\'') && s.ends_with('\''))
                || (s.starts_with('"') && s.ends_with('"')))
    };
    match rest.rsplit_once(" from ") {
        Some((what, source)) => {
            quoted(source.trim())
                && what
                    .chars()
                    .all(|c| c.is_alphanumeric() || " _$,{}*".contains(c))
        }
        None => quoted(rest),
    }
}

/// The length of a definition's marker (`:` and the spaces up to its text:
/// one to three, as Python-Markdown's `def_list` reads it; MkDocs pages
/// write three, nextest's one) at the start of `line`.
fn definition_marker(line: &str) -> Option<usize> {
    let after = line.strip_prefix(':')?;
    let rest = match after.strip_prefix('\t') {
        Some(rest) => rest,
        None => {
            let spaces = after.len() - after.trim_start_matches(' ').len();
            if !(1..=3).contains(&spaces) {
                return None;
            }
            &after[spaces..]
        }
    };
    (!rest.trim().is_empty() && !rest.starts_with([' ', '\t'])).then(|| line.len() - rest.len())
}

/// A title's inline markdown as HTML (`` `base.html` ``, `*new*`), its icons
/// left out.
fn title_html(title: &str) -> String {
    let mut plain = Out::default();
    inline(&mut plain, title, 0, title.len(), false);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(plain.text.trim()));
    match html
        .strip_prefix("<p>")
        .and_then(|h| h.trim_end().strip_suffix("</p>"))
    {
        Some(inner) => inner.to_string(),
        None => escape(plain.text.trim()),
    }
}

fn close(out: &mut Out, container: &Container, at: usize) {
    let markup = format!("{}{}\n\n", " ".repeat(container.rel), container.close());
    out.insert(&markup, at);
}

/// The column `line`'s text starts at (tabs to the next multiple of 4), and
/// the bytes of up to `limit` columns of its indentation.
fn columns(line: &str, limit: usize) -> (usize, usize) {
    let mut col = 0;
    for (i, b) in line.bytes().enumerate() {
        if col >= limit {
            return (col, i);
        }
        match b {
            b' ' => col += 1,
            b'\t' => col = (col / 4 + 1) * 4,
            _ => return (col, i),
        }
    }
    (col, line.len())
}

fn is_list_item(line: &str) -> bool {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return true;
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// `!!! type "Title"`, `??? type`, `???+ type`: the kind, the classes and
/// the title (the type, capitalised, when none is written; empty when `""`).
fn admonition(line: &str) -> Option<(Kind, Vec<&str>, String)> {
    let (kind, rest) = if let Some(rest) = line.strip_prefix("!!!") {
        (Kind::Admonition, rest)
    } else if let Some(rest) = line.strip_prefix("???") {
        (Kind::Details, rest.strip_prefix('+').unwrap_or(rest))
    } else {
        return None;
    };
    // Python-Markdown's pattern is `!!! ?type`: the space may be left out
    // (`!!!note`, as trivy's docs write it), not the type.
    if !rest.starts_with([' ', '\t']) && !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let rest = rest.trim();
    let (words, title) = match rest.find('"') {
        Some(q) => {
            let title = rest[q + 1..].strip_suffix('"')?;
            (&rest[..q], Some(title.to_string()))
        }
        None => (rest, None),
    };
    let classes: Vec<&str> = words.split_whitespace().collect();
    let name = |w: &&str| {
        w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if classes.is_empty() || !classes.iter().all(name) {
        return None;
    }
    let title = title.unwrap_or_else(|| {
        let mut chars = classes[0].chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    });
    Some((kind, classes, title))
}

/// `=== "Title"` (or `===! "Title"` starting a new set, `===+` selected):
/// the title, and whether it starts a new set.
fn tab_title(line: &str) -> Option<(String, bool)> {
    let rest = line.strip_prefix("===")?;
    let (new_set, rest) = match rest.as_bytes().first() {
        Some(b'!') => (true, &rest[1..]),
        Some(b'+') => (false, &rest[1..]),
        _ => (false, rest),
    };
    let title = rest.trim().strip_prefix('"')?.strip_suffix('"')?;
    Some((title.to_string(), new_set))
}

/// The bytes of a ` markdown`, ` markdown="1"` (or `"block"`, `"span"`)
/// attribute in the opening tag that starts `line`.
fn markdown_attr(line: &str) -> Option<std::ops::Range<usize>> {
    let tag_end = line.find('>')?;
    let tag = &line[..tag_end];
    let mut from = 0;
    while let Some(i) = tag[from..].find(" markdown") {
        let start = from + i;
        let after = start + " markdown".len();
        match tag.as_bytes().get(after) {
            None | Some(b' ' | b'/') => return Some(start..after),
            Some(b'=') => {
                let value = &tag[after + 1..];
                let len = match value.as_bytes().first() {
                    Some(&q @ (b'"' | b'\'')) => value[1..].find(q as char)? + 2,
                    _ => value.find([' ', '/']).unwrap_or(value.len()),
                };
                return Some(start..after + 1 + len);
            }
            _ => from = after,
        }
    }
    None
}

/// Copies `body[from..to]` (one line), leaving out icon shortcodes (and the
/// attribute list that follows one) and, outside headings, attribute lists.
/// Code spans are left alone. Whether anything was left out.
fn inline(out: &mut Out, body: &str, from: usize, to: usize, heading: bool) -> bool {
    let line = &body[from..to];
    let bytes = line.as_bytes();
    let mut last = 0;
    let mut code: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                code = match code {
                    Some(n) if n == run => None,
                    None => Some(run),
                    open => open,
                };
                i += run;
                continue;
            }
            b':' if code.is_none() => {
                if let Some(len) = icon_len(&line[i..]) {
                    let mut end = i + len;
                    if let Some(attrs) = attr_list_len(line, end) {
                        end += attrs;
                    }
                    // One space of the two around it.
                    if bytes.get(end) == Some(&b' ') && (i == 0 || bytes[i - 1] == b' ') {
                        end += 1;
                    }
                    out.copy(body, from + last, from + i);
                    last = end;
                    i = end;
                    continue;
                }
            }
            b'{' if code.is_none() && !heading => {
                if let Some(len) = attr_list_len(line, i) {
                    let mut start = i;
                    // `text { .class }`: the space before goes too.
                    while start > last && bytes[start - 1] == b' ' {
                        start -= 1;
                    }
                    out.copy(body, from + last, from + start);
                    // Its classes are dropped; its id stays an anchor.
                    if let Some(id) = attr_id(&line[i + 1..i + len - 1]) {
                        out.insert(&format!("<a id=\"{}\"></a>", escape(id)), from + i);
                    }
                    last = i + len;
                    i = last;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out.copy(body, from + last, to);
    last > 0
}

/// The id an attribute list gives: its last `#id` or `id=…`.
fn attr_id(inner: &str) -> Option<&str> {
    inner
        .split_whitespace()
        .filter_map(|token| {
            token.strip_prefix('#').or_else(|| {
                let value = token.strip_prefix("id=")?;
                Some(value.trim_matches(['"', '\'']))
            })
        })
        .rfind(|id| !id.is_empty())
}

/// `:material-console:`, `:fontawesome-solid-rocket:`, `:octicons-mark-github-16:`.
fn icon_len(s: &str) -> Option<usize> {
    let set = ICON_SETS.iter().find(|set| s.starts_with(*set))?;
    let name = &s[set.len()..];
    let len = name
        .bytes()
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        .count();
    (len > 0 && name.as_bytes().get(len) == Some(&b':')).then_some(set.len() + len + 1)
}

/// The length of the attribute list at `s[i..]`: `{ .class #id key="v" }` or
/// `{: … }`, every token a class, an id or a key=value. Not `{{`.
fn attr_list_len(s: &str, i: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    if bytes.get(i) != Some(&b'{') || bytes.get(i + 1) == Some(&b'{') {
        return None;
    }
    if i > 0 && bytes[i - 1] == b'{' {
        return None;
    }
    let close = s[i + 1..].find(['}', '\n', '{'])? + 1;
    if bytes[i + close] != b'}' {
        return None;
    }
    let inner = &s[i + 1..i + close];
    let inner = inner.strip_prefix(':').unwrap_or(inner).trim();
    let mut tokens = 0;
    let mut rest = inner;
    while !rest.is_empty() {
        let token_end = match rest.as_bytes()[0] {
            b'.' | b'#' => {
                let n = rest[1..]
                    .find(|c: char| c.is_whitespace())
                    .map_or(rest.len(), |n| n + 1);
                (n > 1).then_some(n)?
            }
            _ => {
                let eq = rest.find('=')?;
                let key = &rest[..eq];
                if key.is_empty()
                    || !key
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                {
                    return None;
                }
                let value = &rest[eq + 1..];
                match value.as_bytes().first() {
                    Some(&q @ (b'"' | b'\'')) => eq + 1 + value[1..].find(q as char)? + 2,
                    _ => {
                        eq + 1
                            + value
                                .find(|c: char| c.is_whitespace())
                                .unwrap_or(value.len())
                    }
                }
            }
        };
        tokens += 1;
        rest = rest[token_end..].trim_start();
    }
    (tokens > 0).then_some(close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(body: &str) -> String {
        expand(body).map_or_else(|| body.to_string(), |e| e.text)
    }

    #[test]
    fn pages_without_markup_are_not_copied() {
        assert!(expand("# Title\n\nText {{ kpi(id=\"x\") }} and `{ .a }`.\n").is_none());
        assert!(expand("## Heading {#id}\n").is_none());
    }

    #[test]
    fn admonition_content_is_dedented_and_offsets_map_back() {
        let body = "!!! warning \"Mind\"\n    Text [x](y.md).\n\nAfter\n";
        let e = expand(body).unwrap();
        assert!(e.text.contains("<div class=\"admonition warning\">"));
        assert!(e.text.contains("<p class=\"admonition-title\">Mind</p>"));
        assert!(e.text.contains("\nText [x](y.md).\n"));
        assert!(e.text.contains("</div>\n\nAfter"));
        let at = e.text.find("y.md").unwrap();
        assert_eq!(e.source_offset(at), body.find("y.md").unwrap());
    }

    /// Python-Markdown's `!!! ?type`: `!!!note` is an admonition (trivy's
    /// docs), `???tip` a collapsible one; `!!!` alone, or followed by
    /// other than a type, is text.
    #[test]
    fn an_admonition_may_leave_out_the_space() {
        let text = expanded("!!!note\n    Kept *here*.\n");
        assert!(text.contains("<div class=\"admonition note\">"), "{text}");
        assert!(text.contains("\nKept *here*.\n"), "{text}");
        let text = expanded("???tip \"Open\"\n    x\n");
        assert!(
            text.contains("<details class=\"admonition tip\">"),
            "{text}"
        );
        for plain in ["!!!\n", "!!!Important!!!\n", "!!! \n"] {
            assert_eq!(expanded(plain), plain, "{plain}");
        }
    }

    #[test]
    fn tabs_and_details_nest() {
        let text = expanded("=== \"A\"\n    ??? tip\n        x\n=== \"B\"\n    y\n");
        assert!(
            text.contains("<details class=\"admonition tip\">"),
            "{text}"
        );
        assert!(text.contains("<summary>Tip</summary>"));
        assert_eq!(text.matches("<input").count(), 2);
        assert!(text.contains("\nx\n"));
        assert!(text.contains("\ny\n"));

        let text = expanded("=== \":octicons-file-code-16: `base.html`\"\n    x\n");
        assert!(text.contains("<label for=\"__tabbed_1_1\"><code>base.html</code></label>"));
        let text = expanded("!!! note\n\n    ```\n        !!! not\n    ```\n");
        assert_eq!(text.matches("<div").count(), 1, "{text}");
    }

    #[test]
    fn a_definition_holds_its_text_and_what_opens_on_its_line() {
        // Material's reference pages: a term, then `:   !!! note`.
        let text = expanded(
            "<!-- md:option type:note -->\n\n:   !!! note\n\n        Body text.\n\nAfter.\n",
        );
        assert!(
            text.contains("<div class=\"definition\">\n\n<div class=\"admonition note\">"),
            "{text}"
        );
        assert!(text.contains("\nBody text.\n"), "{text}");
        let after = text.find("After.").unwrap();
        assert_eq!(
            text[..after].matches("</div>").count(),
            2,
            "both closed: {text}"
        );
        assert!(!text.contains(":   "), "{text}");
        // A plain definition, continued by an indented line.
        let text = expanded("`retries`\n\n:   How often to try.\n    Defaults to 3.\n\nNext.\n");
        assert!(
            text.contains("<div class=\"definition\">\n\nHow often to try.\nDefaults to 3.\n"),
            "{text}"
        );
        assert!(text.find("</div>") < text.find("Next."), "{text}");
        // One space is a marker too, as Python-Markdown reads it (nextest's).
        let text = expanded("`NEXTEST_RUN_ID`\n: A UUID for the run.\n\n    Since 0.9.\n\nNext.\n");
        assert!(
            text.contains("<div class=\"definition\">\n\nA UUID for the run.\n\nSince 0.9.\n"),
            "{text}"
        );
        // A colon in prose or in code is no definition, nor four spaces.
        assert!(crate::pymdown::expand("Ratio:   3 to 1\n").is_none());
        assert!(!expanded("x\n:    four\n").contains("definition"));
        assert!(!expanded("!!! note\n    ```\n    :   x\n    ```\n").contains("definition"));
    }

    #[test]
    fn an_attribute_list_id_stays_an_anchor() {
        assert_eq!(
            expanded("Text.\n{: .lead #intro }\n"),
            "Text.\n<a id=\"intro\"></a>\n"
        );
    }

    #[test]
    fn icons_and_attribute_lists_are_dropped_outside_code() {
        let text = expanded(
            ":fontawesome-solid-rocket:{ .lg .middle } Go [b](c){ .md-button } `:material-x:`\n",
        );
        assert_eq!(text, "Go [b](c) `:material-x:`\n");
    }
}
