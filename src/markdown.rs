//! One pulldown-cmark pass per guide: the HTML, plus the headings, anchors,
//! links and commands seen on the way, with their source line and column, so
//! the checker never parses a page again and sees the ids the site emits.

pub(crate) use crate::html::{escape, escape_into};
use pulldown_cmark::{
    BlockQuoteKind, BrokenLink, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options,
    Parser, Tag, TagEnd,
};
use serde::Serialize;

pub(crate) use crate::commands::{Command, CommandOrigin};
use crate::commands::{block_commands, names_repo_path};
use crate::index::Target;

use crate::error::LineIndex;
use crate::slug::Slugger;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Rendered {
    pub html: String,
    /// Text of the first `#` heading.
    pub title: Option<String>,
    pub headings: Vec<Heading>,
    /// Every id a `#fragment` may name: headings, `{#id}`, raw `id`/`name`, footnotes.
    pub anchors: Vec<String>,
    pub links: Vec<Link>,
    pub commands: Vec<Command>,
    /// Lines after an `<!-- almanac-ignore-next-line -->` comment.
    pub ignored_lines: Vec<usize>,
    /// The page has ```mermaid diagrams (the theme then loads Mermaid).
    pub has_mermaid: bool,
    /// The start of the page's plain text, code left out (kept up to the
    /// pass's limit: none in a build, whose search index reads the HTML).
    pub text: String,
    /// Labels of the page's footnotes (`[^1]:`), which Python-Markdown
    /// gives the ids `fn:1` and `fnref:1`.
    pub footnotes: Vec<String>,
    /// `{#id}`s that were not safe as written, and the ids used instead.
    pub unsafe_ids: Vec<UnsafeId>,
    /// Reference links (`[text][label]`, `[label][]`) whose label has no
    /// definition: they render as literal brackets.
    pub broken_references: Vec<BrokenReference>,
    /// Other generators' syntax expanded before the pass (includes, Hugo
    /// shortcodes): where the expanded lines come from.
    #[serde(skip)]
    pub expansion: Option<Box<crate::expansion::Expansion>>,
    /// The task files the page shows as examples (a scan's).
    #[serde(skip)]
    pub task_examples: crate::commands::TaskExamples,
    /// The first component of a JavaScript framework the page's HTML
    /// blocks hold (`<ApiIndex />`: a tag in capitals), which a VitePress
    /// or MDX site renders as part of the page.
    #[serde(skip)]
    pub component: Option<Box<str>>,
}

/// A full or collapsed reference link whose label is never defined. (A
/// shortcut `[label]` is not one: brackets in prose are too common.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenReference {
    /// The label as written.
    pub label: String,
    /// Where the link starts (its `[`).
    pub line: usize,
    pub column: usize,
    /// Its bytes in the page's text, brackets included.
    pub span: std::ops::Range<usize>,
}

/// A heading id written with characters unsafe in an attribute or a URL
/// (`{#a"b}`): the page, its table of contents, the search index and the
/// check all use `id`, its slug, instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnsafeId {
    pub written: String,
    pub id: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
    /// The id was written (`{#id}`, `{ id="x" }`), not made from the text.
    #[serde(skip)]
    pub explicit: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    Link,
    Image,
    /// `<a href>` or another raw HTML `href`.
    HtmlLink,
    /// `<img src>` or another raw HTML `src`.
    HtmlImage,
}

impl LinkKind {
    pub fn is_image(self) -> bool {
        matches!(self, LinkKind::Image | LinkKind::HtmlImage)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub kind: LinkKind,
    /// The destination as written (before rewriting).
    pub target: String,
    pub line: usize,
    pub column: usize,
    /// What the destination resolved to, when rendering resolved it.
    #[serde(skip)]
    pub resolved: Option<Target>,
}

pub(crate) fn options() -> Options {
    crate::title::options()
}

struct OpenHeading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    /// Where an `{#id}` unsafe as written starts (see `slug::is_safe_id`).
    unsafe_id_at: Option<usize>,
    classes: Vec<CowStr<'a>>,
    text: String,
    inner: Vec<Event<'a>>,
}

struct OpenCode {
    lang: String,
    /// Offset of the first content line.
    offset: usize,
    text: String,
}

/// Renders `text[body_start..]`; positions are reported in `text` (the whole
/// file, front matter included). `rewrite` maps a link destination to the href
/// to emit, or `None` to keep it. (The build renders with `render_with`.)
#[cfg(test)]
pub(crate) fn render(text: &str, body_start: usize, rewrite: Rewrite) -> Rendered {
    pass(text, body_start, Some((rewrite, &|_, _| None, TEXT_LIMIT)))
}

/// `render`, with code blocks highlighted by `highlight(lang, code)` (classed
/// HTML, or `None` to leave the block plain), and at most about `text_limit`
/// bytes of text kept for search.
pub(crate) fn render_with(
    text: &str,
    body_start: usize,
    rewrite: Rewrite,
    highlight: Highlight,
    text_limit: usize,
) -> Rendered {
    pass(text, body_start, Some((rewrite, highlight, text_limit)))
}

/// The same pass for `check`: headings, anchors, links and the documented
/// commands, without HTML or search text. (Rendering leaves the commands out.)
pub(crate) fn scan(text: &str, body_start: usize) -> Rendered {
    pass(text, body_start, None)
}

/// Maps a link destination to the href to emit (`None` keeps it), and what
/// it resolved to when the caller resolved it (kept in the `Link` for `check`).
pub(crate) type Rewrite<'a> = &'a dyn Fn(&str) -> (Option<String>, Option<Target>);

/// Highlights a code block: `(language, code)` → the inner HTML of `<code>`.
pub(crate) type Highlight<'a> = &'a dyn Fn(&str, &str) -> Option<String>;

/// Plain text kept per page by `render` (the tests'; the build keeps none:
/// the search index reads the pages' HTML, every word of it).
#[cfg(test)]
pub(crate) const TEXT_LIMIT: usize = 3000;

fn pass(text: &str, body_start: usize, html_with: Option<(Rewrite, Highlight, usize)>) -> Rendered {
    // MkDocs markup (admonitions, tabs, attribute lists, icons) is rewritten
    // first, on the pages that have it; positions map back to the source.
    match crate::pymdown::expand(&text[body_start..]) {
        Some(expanded) => pass_in(text, body_start, &expanded.text, Some(&expanded), html_with),
        None => pass_in(text, body_start, &text[body_start..], None, html_with),
    }
}

/// The pass over `body`: `text[body_start..]`, or its MkDocs rewrite with
/// the map of its offsets back to the source's.
fn pass_in<'t>(
    text: &str,
    body_start: usize,
    body: &'t str,
    expanded: Option<&crate::pymdown::Expanded>,
    html_with: Option<(Rewrite, Highlight, usize)>,
) -> Rendered {
    let source_offset = |at: usize| body_start + expanded.map_or(at, |e| e.source_offset(at));
    let (rewrite, highlight, text_limit): (Rewrite, Highlight, usize) = match html_with {
        Some(all) => all,
        None => (&|_| (None, None), &|_, _| None, 0),
    };
    let html = html_with.is_some();
    let keep_text = |text: &mut String, more: &str| {
        if text.len() < text_limit {
            text.push_str(more);
        }
    };
    // Lines are counted only if a position is wanted: a rendered page often
    // needs none.
    let lines = LineIndex::new(text);
    let mut out = Rendered::default();
    let mut slugger = Slugger::default();
    let mut heading: Option<OpenHeading> = None;
    // The level of the plain heading being written, if any.
    let mut plain_heading: Option<HeadingLevel> = None;
    let mut code: Option<OpenCode> = None;

    // Explicit ids first, so generated ones never collide with them. Only a
    // page with an attribute block that may hold an id can have one: others
    // are not parsed twice.
    if may_have_heading_id(body.as_bytes()) {
        for (event, _) in Parser::new_ext(body, options()).into_offset_iter() {
            if let Event::Start(Tag::Heading { id, attrs, .. }) = event
                && let Some(id) = attr_id(id, &attrs)
            {
                match crate::slug::is_safe_id(&id) {
                    true => slugger.reserve(&id),
                    false => slugger.reserve(&crate::slug::slug(&id)),
                }
            }
        }
    }

    // A scan's open paragraphs, list items and table cells: where their
    // commands start, and the forge repository one of their links names.
    let mut blocks: Vec<(usize, Option<String>)> = Vec::new();
    // Inside an image's alt text, where a link is text, not a link.
    let mut in_image = 0usize;
    let mut step = |event: Event<'t>, range: std::ops::Range<usize>| -> Option<Event<'t>> {
        let offset = source_offset(range.start);
        let event = match event {
            Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell) if !html => {
                blocks.push((out.commands.len(), None));
                return None;
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let id = attr_id(id, &attrs);
                // A heading of plain words is written as it streams: its
                // text, and so its id, is its source line.
                let plain = (html && id.is_none() && classes.is_empty() && attrs.is_empty())
                    .then(|| plain_heading_text(&body[range.clone()]))
                    .flatten();
                if let Some(text) = plain {
                    let id = slugger.unique(text);
                    let open = open_heading_tag(level as u8, &id, "");
                    note_heading(&mut out, level as u8, text.to_string(), id, false);
                    plain_heading = Some(level);
                    return Some(Event::Html(open.into()));
                }
                let unsafe_id_at =
                    id.as_deref()
                        .filter(|id| !crate::slug::is_safe_id(id))
                        .map(|_| {
                            let source = &body[range.clone()];
                            offset + source.rfind('{').unwrap_or(0)
                        });
                heading = Some(OpenHeading {
                    level,
                    id,
                    unsafe_id_at,
                    classes,
                    text: String::new(),
                    inner: Vec::new(),
                });
                return None;
            }
            Event::End(TagEnd::Heading(_)) => {
                keep_text(&mut out.text, " ");
                if let Some(level) = plain_heading.take() {
                    return Some(Event::Html(CLOSE_HEADING[level as usize - 1].into()));
                }
                let h = heading.take()?;
                let markup = close_heading(h, &mut slugger, &mut out, html, &lines);
                Event::Html(markup.into())
            }
            // `<someone@example.com>`: a `mailto:` link, written so by the HTML writer.
            email @ Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => email,
            Event::Start(tag @ Tag::Link { .. }) if in_image > 0 => Event::Start(tag),
            Event::End(TagEnd::Image) => {
                in_image = in_image.saturating_sub(1);
                event
            }
            Event::Start(mut tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let kind = if matches!(tag, Tag::Image { .. }) {
                    in_image += 1;
                    LinkKind::Image
                } else {
                    LinkKind::Link
                };
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                    if !html
                        && let Some((_, linked @ None)) = blocks.last_mut()
                        && kind == LinkKind::Link
                    {
                        *linked = crate::commands::forge_repository(dest_url);
                    }
                    let dest = std::mem::replace(dest_url, CowStr::Borrowed(""));
                    *dest_url = note_link(
                        &mut out,
                        kind,
                        dest,
                        (offset, &body[range.clone()]),
                        &lines,
                        rewrite,
                    );
                }
                Event::Start(tag)
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => info
                        .split([' ', ',', '{'])
                        .next()
                        .unwrap_or("")
                        .to_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                // Where the code starts, for the commands of a scan.
                let offset = if html {
                    0
                } else {
                    let fenced = matches!(kind, CodeBlockKind::Fenced(_));
                    lines.offset_of_line(lines.line_of(offset) + usize::from(fenced))
                };
                code = Some(OpenCode {
                    lang,
                    offset,
                    text: String::new(),
                });
                return None;
            }
            Event::End(TagEnd::CodeBlock) => {
                let block = code.take()?;
                if !html {
                    out.task_examples.note(&block.lang, &block.text);
                    out.commands.extend(block_commands(
                        &block.lang,
                        &block.text,
                        lines.line_of(block.offset),
                    ));
                    return None;
                }
                Event::Html(code_html(&block, highlight, &mut out).into())
            }
            Event::Text(t) => {
                if let Some(block) = &mut code {
                    block.text.push_str(&t);
                    return None;
                }
                if let Some(h) = &mut heading {
                    h.text.push_str(&t);
                }
                keep_text(&mut out.text, &t);
                Event::Text(t)
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) if !html => {
                keep_text(&mut out.text, " ");
                // Inline commands beside a link to another repository may
                // be that repository's.
                if let Some((from, Some(repository))) = blocks.pop() {
                    for command in out.commands.iter_mut().skip(from) {
                        if command.origin == CommandOrigin::Inline
                            && command.beside_repository.is_none()
                        {
                            command.beside_repository = Some(repository.clone());
                        }
                    }
                }
                return None;
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell)
            | Event::SoftBreak
            | Event::HardBreak => {
                keep_text(&mut out.text, " ");
                event
            }
            Event::Code(t) => {
                if let Some(h) = &mut heading {
                    h.text.push_str(&t);
                }
                keep_text(&mut out.text, &t);
                if !html && names_repo_path(&t) {
                    let (line, column) = lines.line_col(offset + 1);
                    out.commands.push(Command::new(
                        t.to_string(),
                        CommandOrigin::Inline,
                        line,
                        column,
                    ));
                }
                Event::Code(t)
            }
            Event::Html(h) => {
                if out.component.is_none() {
                    out.component = component_tag(&h);
                }
                let h = raw_heading_anchor(&mut out, &mut slugger, h, html);
                Event::Html(raw_html(&mut out, h, offset, &lines, rewrite))
            }
            Event::InlineHtml(h) => {
                Event::InlineHtml(raw_html(&mut out, h, offset, &lines, rewrite))
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert(kind);
                Event::Html(format!("<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{title}</p>\n").into())
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html("</div>\n".into()),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                out.anchors.push(label.to_string());
                out.footnotes.push(label.to_string());
                Event::Start(Tag::FootnoteDefinition(label))
            }
            other => other,
        };
        match &mut heading {
            Some(h) if html => {
                h.inner.push(event);
                None
            }
            None if html => Some(event),
            _ => None,
        }
    };
    // Reference links with no definition: the parser calls this only for
    // those, so an ordinary page pays nothing.
    let mut broken: Vec<(std::ops::Range<usize>, CowStr<'t>)> = Vec::new();
    let note_broken = |link: BrokenLink<'t>| {
        if matches!(link.link_type, LinkType::Reference | LinkType::Collapsed) {
            let mut span = link.span;
            // The span of `[label][]` leaves its `[]` out.
            if body[span.end..].starts_with("[]") {
                span.end += 2;
            }
            broken.push((span, link.reference));
        }
        None
    };
    // Events stream into the HTML writer as they are parsed.
    let events = Parser::new_with_broken_link_callback(body, options(), Some(note_broken))
        .into_offset_iter()
        .filter_map(|(event, range)| step(event, range));
    if html {
        let mut markup = reuse_buffer(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut markup, events);
        out.html = markup;
    } else {
        events.for_each(drop);
    }
    out.broken_references = broken
        .into_iter()
        .map(|(span, label)| {
            let (line, column) = lines.line_col(source_offset(span.start));
            BrokenReference {
                label: label.into_string(),
                line,
                column,
                span: source_offset(span.start)..source_offset(span.end),
            }
        })
        .collect();
    out
}

thread_local! {
    /// Buffers of written pages (their HTML, their template's markup), given
    /// back by `recycle` for the next page this thread renders: a build then
    /// grows a few buffers instead of allocating (and growing) two per page.
    static SPARE: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// An empty buffer of at least `capacity` bytes: one that `recycle` gave
/// back on this thread, if any.
pub(crate) fn reuse_buffer(capacity: usize) -> String {
    let mut buffer = SPARE
        .with(|spare| spare.borrow_mut().pop())
        .unwrap_or_default();
    buffer.clear();
    buffer.reserve(capacity);
    buffer
}

/// Gives a buffer that is no longer needed back to `reuse_buffer` on this
/// thread (a few are kept).
pub(crate) fn recycle(buffer: String) {
    SPARE.with(|spare| {
        let mut spare = spare.borrow_mut();
        if spare.len() < 4 && buffer.capacity() > 0 {
            spare.push(buffer);
        }
    });
}

/// A code block as HTML: Mermaid source for the diagram script, highlighted
/// code when the language is known, else escaped text.
fn code_html(block: &OpenCode, highlight: Highlight, out: &mut Rendered) -> String {
    if block.lang == "mermaid" {
        out.has_mermaid = true;
        return format!("<pre class=\"mermaid\">{}</pre>\n", escape(&block.text));
    }
    let lang_attr = if block.lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape(&block.lang))
    };
    let class = if block.lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(&block.lang))
    };
    match (!block.lang.is_empty())
        .then(|| highlight(&block.lang, &block.text))
        .flatten()
    {
        Some(inner) => {
            format!("<pre class=\"highlight\"{lang_attr}><code{class}>{inner}</code></pre>\n")
        }
        None => format!(
            "<pre{lang_attr}><code{class}>{}</code></pre>\n",
            escape(&block.text)
        ),
    }
}

fn close_heading(
    h: OpenHeading,
    slugger: &mut Slugger,
    out: &mut Rendered,
    html: bool,
    lines: &LineIndex,
) -> String {
    let text = h.text.trim().to_string();
    let id = match (&h.id, h.unsafe_id_at) {
        (Some(id), None) => id.to_string(),
        (Some(written), Some(at)) => {
            // Slugged (as it was reserved), or spelled from the text when
            // nothing of it is left.
            let id = match crate::slug::slug(written) {
                id if id.is_empty() => slugger.unique(&text),
                id => id,
            };
            let (line, column) = lines.line_col(at);
            out.unsafe_ids.push(UnsafeId {
                written: written.to_string(),
                id: id.clone(),
                line,
                column,
            });
            id
        }
        (None, _) => slugger.unique(&text),
    };
    let level = h.level as u8;
    let markup = html.then(|| open_heading_tag(level, &id, &h.classes.join(" ")));
    note_heading(out, level, text, id, h.id.is_some());
    let Some(mut markup) = markup else {
        return String::new();
    };
    pulldown_cmark::html::push_html(&mut markup, h.inner.into_iter());
    markup.push_str(CLOSE_HEADING[usize::from(level) - 1]);
    markup
}

/// Gives each heading of `page` the id another generator's `slug` makes of
/// it too, as an empty `<a id>` at its start (the links of docs written for
/// Zola or VitePress name `#server-host` where GitHub's id is
/// `serverhost`), and notes it as an anchor. Explicit ids are kept alone.
pub(crate) fn add_heading_ids(page: &mut Rendered, slug: fn(&str) -> String) {
    let mut added = Vec::new();
    for (h, id) in page
        .headings
        .iter()
        .zip(generator_ids(&page.headings, slug))
    {
        if h.explicit || id.is_empty() || id == h.id || page.anchors.contains(&id) {
            continue;
        }
        let mut tag = format!("<h{} id=\"", h.level);
        escape_into(&mut tag, &h.id);
        tag.push('"');
        let Some(at) = page.html.find(&tag) else {
            continue;
        };
        let Some(end) = page.html[at..].find('>').map(|e| at + e + 1) else {
            continue;
        };
        let mut anchor = String::from("<a id=\"");
        escape_into(&mut anchor, &id);
        anchor.push_str("\"></a>");
        page.html.insert_str(end, &anchor);
        added.push(id);
    }
    page.anchors.extend(added);
}

/// The id another generator gives each of `headings`, in order: `slug` of
/// its text, with `-1`, `-2`… for repeats; an id written on the heading
/// stays (and is taken).
pub(crate) fn generator_ids(headings: &[Heading], slug: fn(&str) -> String) -> Vec<String> {
    let mut slugger = Slugger::default();
    headings
        .iter()
        .map(|heading| match heading.explicit {
            true => {
                slugger.reserve(&heading.id);
                heading.id.clone()
            }
            false => slugger.unique_slug(slug(&heading.text)),
        })
        .collect()
}

/// The closing tags of headings, by level.
const CLOSE_HEADING: [&str; 6] = [
    "</h1>\n", "</h2>\n", "</h3>\n", "</h4>\n", "</h5>\n", "</h6>\n",
];

/// `<hN id="…">` (with `class` when not empty). The default theme's script
/// adds the `#` link to the section (as it adds copy buttons): written into
/// every heading of every page it was 6% of a large site's bytes.
fn open_heading_tag(level: u8, id: &str, class: &str) -> String {
    let mut tag = String::with_capacity(id.len() + class.len() + 24);
    tag.push_str("<h");
    tag.push(char::from(b'0' + level));
    tag.push_str(" id=\"");
    escape_into(&mut tag, id);
    tag.push('"');
    if !class.is_empty() {
        tag.push_str(" class=\"");
        escape_into(&mut tag, class);
        tag.push('"');
    }
    tag.push('>');
    tag
}

/// Notes a heading: the page's title (its first `#`), an anchor, a row of
/// the table of contents.
fn note_heading(out: &mut Rendered, level: u8, text: String, id: String, explicit: bool) {
    if level == 1 && out.title.is_none() {
        out.title = Some(text.clone());
    }
    out.anchors.push(id.clone());
    out.headings.push(Heading {
        level,
        text,
        id,
        explicit,
    });
}

/// The id a heading's attribute block gives it: `{#id}`, else an `id`
/// key-value attribute as Python-Markdown's attr_list writes it
/// (`{ id="9.7.0" }`, `{ id='x' }`, `{ id=x }`), its quotes taken off. (When
/// a block has both, `#id` wins.) A heading with no attributes allocates
/// nothing.
fn attr_id<'a>(
    id: Option<CowStr<'a>>,
    attrs: &[(CowStr<'a>, Option<CowStr<'a>>)],
) -> Option<CowStr<'a>> {
    if id.is_some() || attrs.is_empty() {
        return id;
    }
    let value = attrs
        .iter()
        .rev()
        .find(|(key, _)| key.as_ref() == "id")?
        .1
        .as_ref()?;
    fn unquote(value: &str) -> &str {
        let quoted = value.len() >= 2
            && [b'"', b'\'']
                .iter()
                .any(|&q| value.as_bytes()[0] == q && value.as_bytes()[value.len() - 1] == q);
        if quoted {
            &value[1..value.len() - 1]
        } else {
            value
        }
    }
    let id = match value {
        CowStr::Borrowed(value) => CowStr::Borrowed(unquote(value)),
        other => CowStr::from(unquote(other).to_string()),
    };
    (!id.is_empty()).then_some(id)
}

/// Whether `body` may hold a heading attribute block that gives an id: a
/// `{…}` that ends its line and holds a `#` or `id=`. Cheap enough to run
/// on every page: only the last `}` of a line is looked at.
fn may_have_heading_id(body: &[u8]) -> bool {
    memchr::memchr_iter(b'}', body).any(|end| {
        let rest = &body[end + 1..];
        match rest.iter().find(|&&c| c != b' ' && c != b'\t') {
            None | Some(b'\n' | b'\r') => {}
            Some(_) => return false,
        }
        let line_start = memchr::memrchr(b'\n', &body[..end]).map_or(0, |at| at + 1);
        let Some(open) = memchr::memrchr(b'{', &body[line_start..end]) else {
            return false;
        };
        let inside = &body[line_start + open + 1..end];
        memchr::memchr(b'#', inside).is_some() || memchr::memmem::find(inside, b"id=").is_some()
    })
}

/// Spaces and punctuation that markdown and HTML leave as they are.
const PLAIN_PUNCTUATION: &[u8] = b" ,.:;?()/'+=%-";

/// The text of an ATX heading (`## Exit criteria`) made of plain words:
/// letters, digits, spaces and punctuation that markdown and HTML leave as
/// they are, so the heading renders as its source text.
fn plain_heading_text(source: &str) -> Option<&str> {
    let line = source.trim_end_matches(['\n', '\r']);
    let rest = line.trim_start_matches('#');
    if !(1..=6).contains(&(line.len() - rest.len())) || !rest.starts_with(' ') {
        return None;
    }
    let text = rest.trim_matches(' ');
    let plain = |b: u8| b.is_ascii_alphanumeric() || PLAIN_PUNCTUATION.contains(&b);
    (!text.is_empty() && text.bytes().all(plain)).then_some(text)
}

fn note_link<'a>(
    out: &mut Rendered,
    kind: LinkKind,
    dest: CowStr<'a>,
    (offset, source): (usize, &str),
    lines: &LineIndex,
    rewrite: Rewrite,
) -> CowStr<'a> {
    // Point at the destination as written, where the source shows it (not for
    // reference links, whose destination is defined elsewhere).
    let inline = source
        .match_indices("](")
        .map(|(i, _)| i + 2)
        .find(|&i| source[i..].starts_with(dest.as_ref()));
    let at = inline
        .or_else(|| source.find(dest.as_ref()).filter(|_| !dest.is_empty()))
        .unwrap_or(0);
    let (href, resolved) = rewrite(&dest);
    record_link(out, kind, &dest, offset + at, lines, resolved);
    match href {
        Some(href) => href.into(),
        None => dest,
    }
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// Records a link at byte `at` of the text, unless the renderer resolved it
/// to a target no check reports on (a page without a fragment, an asset, a
/// URL): a rendered page keeps only the links that may still be broken (and
/// those into the repository, whose files are copied). Its line and column
/// are measured only then.
fn record_link(
    out: &mut Rendered,
    kind: LinkKind,
    target: &str,
    at: usize,
    lines: &LineIndex,
    resolved: Option<Target>,
) {
    if resolved.as_ref().is_some_and(|t| !t.looked_at_again()) {
        return;
    }
    // A template's placeholder (`<a href="{{$compare_url}}">` in a Hugo
    // include), filled where the page is built, or one the reader fills in
    // (`/docs/k6/<K6_VERSION>/…`; `<` and `>` are no URL's): no path to check.
    let angled = target.find('<').is_some_and(|i| target[i..].contains('>'));
    if target.contains("{{") && target.contains("}}") || angled {
        return;
    }
    let (line, column) = lines.line_col(at);
    out.links.push(Link {
        kind,
        target: target.to_string(),
        line,
        column,
        resolved,
    });
}

/// A raw HTML heading, whole in one chunk of an HTML block
/// (`<h1 align=center><code>just</code></h1>`): GitHub gives it the anchor
/// of its text, as it does a markdown heading, and so does almanac (an
/// `id` on the tag when it has none, else an empty `<a id>` in it).
fn raw_heading_anchor<'a>(
    out: &mut Rendered,
    slugger: &mut Slugger,
    chunk: CowStr<'a>,
    html: bool,
) -> CowStr<'a> {
    // A heading in a comment is no heading.
    if chunk.trim_start().starts_with("<!--") {
        return chunk;
    }
    let bytes = chunk.as_bytes();
    let Some(at) = memchr::memchr_iter(b'<', bytes).find(|&i| {
        matches!(bytes.get(i + 1), Some(b'h' | b'H'))
            && matches!(bytes.get(i + 2), Some(b'1'..=b'6'))
            && matches!(bytes.get(i + 3), Some(b'>' | b' ' | b'\t' | b'\n' | b'/'))
    }) else {
        return chunk;
    };
    let level = bytes[at + 2];
    let Some(open_end) = chunk[at..].find('>').map(|i| at + i) else {
        return chunk;
    };
    let close = format!("</h{}", level as char);
    let Some(close_at) = chunk[open_end..]
        .to_ascii_lowercase()
        .find(&close)
        .map(|i| open_end + i)
    else {
        return chunk;
    };
    let mut text = String::new();
    let mut in_tag = false;
    for c in chunk[open_end + 1..close_at].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = crate::html::decode(&text);
    if text.trim().is_empty() {
        return chunk;
    }
    let id = slugger.unique(text.trim());
    let tag = &chunk[at..=open_end];
    let has_id = html_attrs(tag).iter().any(|(name, ..)| *name == "id");
    // In a rendering, the `id` written here is noted with the chunk's
    // other attributes.
    if !html {
        out.anchors.push(id);
        return chunk;
    }
    let mut with_id = String::with_capacity(chunk.len() + id.len() + 16);
    match has_id {
        false => {
            with_id.push_str(&chunk[..at + 3]);
            with_id.push_str(" id=\"");
            with_id.push_str(&escape(&id));
            with_id.push('"');
            with_id.push_str(&chunk[at + 3..]);
        }
        true => {
            with_id.push_str(&chunk[..=open_end]);
            with_id.push_str("<a id=\"");
            with_id.push_str(&escape(&id));
            with_id.push_str("\"></a>");
            with_id.push_str(&chunk[open_end + 1..]);
        }
    }
    with_id.into()
}

/// Notes the anchors and links of a raw HTML fragment and rewrites its `href`/`src`.
/// The name of the component an HTML block starts with that makes content
/// of its own (`<ApiIndex />`): a self-closing tag whose name starts with a
/// capital. One that wraps markdown (`<DetailedExplanation>…`) shows what
/// it wraps, and Docusaurus' `<TOCInline />` and `<DocCardList />` list
/// headings and pages the site has: neither adds ids.
fn component_tag(html: &str) -> Option<Box<str>> {
    const LISTS: &[&str] = &["TOCInline", "DocCardList"];
    let rest = html.trim_start().strip_prefix('<')?;
    if !rest.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    let tag = &rest[..rest.find('>')?];
    (tag.trim_end().ends_with('/') && !LISTS.contains(&name.as_str())).then(|| name.into())
}

fn raw_html<'a>(
    out: &mut Rendered,
    html: CowStr<'a>,
    offset: usize,
    lines: &LineIndex,
    rewrite: Rewrite,
) -> CowStr<'a> {
    if html.trim_start().starts_with("<!--") {
        if html.contains("almanac-ignore-next-line") {
            let end = offset + html.trim_end().len();
            out.ignored_lines.push(lines.line_of(end) + 1);
        }
        return html;
    }
    let attrs = html_attrs(&html);
    if attrs.is_empty() {
        return html;
    }
    let mut rewritten = String::with_capacity(html.len());
    let mut last = 0;
    for (name, range, whole) in attrs {
        let value = &html[range.clone()];
        match name {
            "id" | "name" => out.anchors.push(value.to_string()),
            "href" | "src" => {
                let kind = if name == "src" {
                    LinkKind::HtmlImage
                } else {
                    LinkKind::HtmlLink
                };
                let (href, resolved) = rewrite(value);
                record_link(out, kind, value, offset + range.start, lines, resolved);
                // A JSX expression's path is written as a plain value.
                let jsx = whole != range;
                let href = href.or_else(|| jsx.then(|| value.to_string()));
                if let Some(href) = href {
                    rewritten.push_str(&html[last..whole.start]);
                    match jsx {
                        true => {
                            rewritten.push('"');
                            rewritten.push_str(&escape(&href));
                            rewritten.push('"');
                        }
                        false => rewritten.push_str(&escape(&href)),
                    }
                    last = whole.end;
                }
            }
            _ => {}
        }
    }
    if last == 0 {
        return html;
    }
    rewritten.push_str(&html[last..]);
    rewritten.into()
}

/// The `id`, `name`, `href` and `src` attribute values of the tags in `html`,
/// as byte ranges of the value, and of what the value is written as: the
/// same, but for a JSX expression (MDX, Docusaurus), whose value is the
/// path in `{require("../a.png").default}` or `{useBaseUrl('/img/a.png')}`
/// and which is written whole. Any other expression is no value.
#[allow(clippy::type_complexity)]
fn html_attrs(html: &str) -> Vec<(&'static str, std::ops::Range<usize>, std::ops::Range<usize>)> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut in_tag = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            c if in_tag && c.is_ascii_whitespace() => {
                let rest = &html[i + 1..];
                for name in ["href", "src", "id", "name"] {
                    let Some(after) = strip_prefix_ignore_case(rest, name) else {
                        continue;
                    };
                    let after = after.trim_start();
                    let Some(value) = after.strip_prefix('=') else {
                        continue;
                    };
                    let value = value.trim_start();
                    let start = html.len() - value.len();
                    if value.starts_with('{') {
                        let end = start + jsx_expression_len(value);
                        if let Some(path) = jsx_path(&html[start..end]) {
                            found.push((name, path.start + start..path.end + start, start..end));
                        }
                        i = end.saturating_sub(1);
                        break;
                    }
                    let (start, end) = match value.as_bytes().first() {
                        Some(q @ (b'"' | b'\'')) => match value[1..].find(*q as char) {
                            Some(len) => (start + 1, start + 1 + len),
                            None => break,
                        },
                        _ => (
                            start,
                            start
                                + value
                                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                                    .unwrap_or(value.len()),
                        ),
                    };
                    found.push((name, start..end, start..end));
                    i = end;
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The length of the JSX expression `{…}` that `text` starts with: up to
/// its closing brace, braces in quotes not counted (all of `text` when it
/// is never closed).
fn jsx_expression_len(text: &str) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (i, b) in text.bytes().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'' | b'`') => quote = Some(b),
            (None, b'{') => depth += 1,
            (None, b'}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// The range in `expression` (`{…}`) of the path it loads:
/// `require("…")` or `useBaseUrl("…")` with one string literal and no
/// `${…}` in it.
fn jsx_path(expression: &str) -> Option<std::ops::Range<usize>> {
    let inner = expression.strip_prefix('{')?.trim_start();
    let call = ["require(", "useBaseUrl("]
        .iter()
        .find_map(|f| inner.strip_prefix(f))?
        .trim_start();
    let quote = call
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let len = call[1..].find(quote)?;
    let path = &call[1..1 + len];
    if path.is_empty() || path.contains("${") {
        return None;
    }
    let start = expression.len() - call.len() + 1;
    Some(start..start + len)
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Rendered {
        render(text, 0, &|_| (None, None))
    }

    /// Each link of `r`: its kind, target, line and column.
    fn link_rows(r: &Rendered) -> Vec<(LinkKind, &str, usize, usize)> {
        r.links
            .iter()
            .map(|l| (l.kind, l.target.as_str(), l.line, l.column))
            .collect()
    }

    /// Headings written as they stream (plain words) and headings rendered
    /// apart (the rest) both come out as pulldown-cmark writes a heading,
    /// with the id added; and the text kept is the text shown.
    #[test]
    fn headings_render_as_pulldown_cmark_writes_them() {
        let alphabet: Vec<char> = "aZ09 ,.:;?()/'+=%-#*_`[]<>&\\!{}\"~|\té".chars().collect();
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut plain_ones = 0;
        for round in 0..4000 {
            let len = (next() % 16) as usize;
            let mut text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            // Plain words half of the time.
            if round % 2 == 0 {
                text.retain(|c| {
                    c.is_ascii_alphanumeric()
                        || u8::try_from(c).is_ok_and(|b| PLAIN_PUNCTUATION.contains(&b))
                });
            }
            let hashes = "#".repeat(1 + (next() % 6) as usize);
            let source = format!("{hashes} {text}\n\nAfter.\n");
            plain_ones += usize::from(plain_heading_text(&format!("{hashes} {text}\n")).is_some());
            let ours = plain(&source);
            let theirs = {
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&source, options()));
                html
            };
            if text.contains('{') {
                // `{#id .class key=value}`: attributes, which pulldown-cmark
                // writes and almanac reads (an id, classes) or drops.
                continue;
            }
            let Some(heading) = ours.headings.first() else {
                // Not a heading after all (`#` alone, `#5`…): as pulldown-cmark has it.
                assert_eq!(ours.html, theirs, "{source:?}");
                continue;
            };
            let with_id = theirs.replacen(
                &format!("<h{}>", heading.level),
                &format!("<h{} id=\"{}\">", heading.level, escape(&heading.id)),
                1,
            );
            assert_eq!(ours.html, with_id, "{source:?}");
            // The text: what pulldown-cmark's text and code events spell.
            let mut spelled = String::new();
            let mut inside = false;
            for event in Parser::new_ext(&source, options()) {
                match event {
                    Event::Start(Tag::Heading { .. }) => inside = true,
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) if inside => spelled.push_str(&t),
                    _ => {}
                }
            }
            assert_eq!(heading.text, spelled.trim(), "{source:?}");
            assert_eq!(heading.id, crate::slug::slug(&heading.text), "{source:?}");
        }
        assert!(plain_ones > 1000, "{plain_ones}");
    }

    #[test]
    fn links_carry_their_source_position() {
        let text = "---\ntitle: x\n---\n# T\n\nSee [a](a.md#x) and ![i](i.png).\n";
        let body_start = text.find("# T").unwrap();
        let r = render(text, body_start, &|_| (None, None));
        let found = link_rows(&r);
        assert_eq!(
            found,
            [
                (LinkKind::Link, "a.md#x", 6, 9),
                (LinkKind::Image, "i.png", 6, 26)
            ]
        );
    }

    #[test]
    fn reference_links_and_autolinks_are_links() {
        let r = plain("[a][ref] <https://x.org>\n\n[ref]: guide.md#top\n");
        let targets: Vec<_> = r.links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(targets, ["guide.md#top", "https://x.org"]);
    }

    #[test]
    fn links_in_code_are_not_links() {
        let r = plain("`[a](b.md)`\n\n```md\n[c](d.md)\n```\n");
        assert!(r.links.is_empty(), "{:?}", r.links);
    }

    #[test]
    fn a_raw_html_heading_has_the_anchor_of_its_text() {
        // As the README of `just` opens, and links back to `#just`.
        let text = "<h1 align=center><code>just</code></h1>\n\n## Just\n\n<H2 id=\"kept\">A &amp; B</H2>\n\n[top](#just)\n";
        // The check's scan and the build's rendering see the same anchors.
        for mut anchors in [scan(text, 0).anchors, plain(text).anchors] {
            anchors.sort();
            assert_eq!(anchors, ["a--b", "just", "just-1", "kept"]);
        }
        let html = plain(text).html;
        assert!(
            html.contains("<h1 id=\"just\" align=center><code>just</code></h1>"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"just-1\">"), "{html}");
        assert!(
            html.contains("<H2 id=\"kept\"><a id=\"a--b\"></a>A &amp; B</H2>"),
            "{html}"
        );
        // Not a heading: `<hr>`, `<header>`, a heading not closed in its chunk.
        for text in [
            "<hr>\n",
            "<header>x</header>\n",
            "<h3>open\n\ntext\n",
            "<!-- <h2>old</h2> -->\n",
        ] {
            assert_eq!(scan(text, 0).anchors, Vec::<String>::new(), "{text}");
            assert_eq!(plain(text).anchors, Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn components_that_write_content() {
        assert_eq!(component_tag("<ApiIndex />\n").as_deref(), Some("ApiIndex"));
        assert_eq!(
            component_tag("<ExampleRepl client:load lang=\"ts\"/>").as_deref(),
            Some("ExampleRepl")
        );
        for html in [
            "<DetailedExplanation title=\"x\">\n",
            "<TOCInline toc={toc} />\n",
            "<div id=\"a\" />",
            "<!-- <Note /> -->",
        ] {
            assert_eq!(component_tag(html), None, "{html}");
        }
    }

    #[test]
    fn raw_html_anchors_and_links() {
        let r = plain(
            "<a name=\"old\"></a>\n\n<p id='kept'>x <a href=\"g.md#s\">g</a> <img src=\"p.png\"></p>\n",
        );
        assert_eq!(r.anchors, ["old", "kept"]);
        let links = link_rows(&r);
        assert_eq!(
            links,
            [
                (LinkKind::HtmlLink, "g.md#s", 3, 25),
                (LinkKind::HtmlImage, "p.png", 3, 49)
            ]
        );
    }

    /// MDX's JSX attributes (litmus' docs: 60 images reported missing, all
    /// there): the path a `require` or `useBaseUrl` loads is the link, and
    /// is written as a plain value; any other expression is no link.
    #[test]
    fn jsx_attribute_expressions_name_their_paths() {
        let text = "<div>\n  <img src={require(\"../a.png\").default} alt=\"A\" />\n  \
                    <img src={useBaseUrl('/img/b.png')} />\n  <a href={props.url}>x</a>\n  \
                    <span style={{color: 'green'}} id=\"kept\">y</span>\n</div>\n";
        let r = render(text, 0, &|d| (Some(format!("/out/{d}")), None));
        let links = link_rows(&r);
        assert_eq!(
            links,
            [
                (LinkKind::HtmlImage, "../a.png", 2, 22),
                (LinkKind::HtmlImage, "/img/b.png", 3, 25)
            ]
        );
        assert_eq!(r.anchors, ["kept"]);
        assert!(
            r.html.contains("<img src=\"/out/../a.png\" alt=\"A\" />"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<img src=\"/out//img/b.png\" />"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<a href={props.url}>"), "{}", r.html);
        // A string never closed: no link, no panic.
        let r = plain("<div>\n<img src={require(\"x.png\n</div>\n");
        assert!(r.links.is_empty());
    }

    #[test]
    fn rewriting_touches_links_and_raw_html() {
        let r = render("[a](a.md) <a href=\"b.md\">b</a>\n", 0, &|d| {
            (Some(d.replace(".md", ".html")), None)
        });
        assert!(r.html.contains("<a href=\"a.html\">a</a>"), "{}", r.html);
        assert!(r.html.contains("<a href=\"b.html\">b</a>"), "{}", r.html);
    }

    #[test]
    fn title_is_the_first_h1_and_ids_are_unique() {
        let r = plain("## Before\n\n# Main title\n\n## Before\n");
        assert_eq!(r.title.as_deref(), Some("Main title"));
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["before", "main-title", "before-1"]);
    }

    #[test]
    fn heading_text_includes_code_and_link_text() {
        let r = plain("## Run `make` from [the root](x.md)\n");
        assert_eq!(r.headings[0].id, "run-make-from-the-root");
        assert!(r.html.contains("<code>make</code>"), "{}", r.html);
    }

    #[test]
    fn scan_finds_the_same_things_without_html() {
        let text = "# T\n\n## Usage\n\n[a](b.md#c) <a id=\"x\"></a>\n\n```sh\n./x.sh --y\n```\n";
        let (full, scanned) = (plain(text), scan(text, 0));
        assert!(scanned.html.is_empty() && !full.html.is_empty());
        assert!(scanned.text.is_empty() && full.text.contains("Usage"));
        assert!(full.commands.is_empty() && scanned.commands.len() == 1);
        assert_eq!(
            (full.headings, full.anchors, full.links),
            (scanned.headings, scanned.anchors, scanned.links)
        );
    }

    #[test]
    fn alerts_become_titled_boxes() {
        let r = plain("> [!TIP]\n> Use `--dry-run`.\n\n> plain quote\n");
        assert!(
            r.html.contains(
                "<div class=\"alert alert-tip\" role=\"note\">\n<p class=\"alert-title\">Tip</p>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<blockquote>"),
            "plain quotes stay quotes: {}",
            r.html
        );
    }

    /// Any input renders without panicking: a deterministic pseudo-random mix
    /// of markdown's special characters.
    #[test]
    fn fuzz_render_never_panics() {
        let pieces = [
            "#",
            "# ",
            "\n",
            "[",
            "]",
            "(",
            ")",
            "<",
            ">",
            "`",
            "```",
            "```bash\n",
            "$ ",
            "\\",
            "|",
            "-",
            "*",
            "{#",
            "}",
            "\"",
            "'",
            "<a href=\"",
            "<img src=",
            " id=",
            "é",
            "🚀",
            "> [!NOTE]\n",
            "[^1]",
            "[^1]: ",
            "run: ",
            "<<EOF\n",
            "EOF",
            "\r\n",
            "\t",
            "%",
            "#x",
            "../",
            "\u{0}",
        ];
        let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(next() % 40) {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let r = render(&text, 0, &|d| (Some(format!("x{d}")), None));
            for link in &r.links {
                assert!(link.line >= 1 && link.column >= 1);
            }
        }
    }
}
