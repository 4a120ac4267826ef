//! Other generators' template syntax in a guide, expanded before the markdown
//! pass so that `build` and `check` see the same content: mdBook's
//! `{{#include file:2:5}}`, `{{#include file:anchor}}`, `{{#rustdoc_include}}`,
//! `{{#playground}}` and `{{#title}}`, pymdownx.snippets' `--8<-- "file"`,
//! and Hugo's (and Zola's)
//! `{{< name … >}}…{{< /name >}}` and `{{% … %}}`, whose tags are dropped so
//! that the markdown between them renders; and VitePress's
//! `<!--@include: ./part.md{3,}-->` (its `#region`s too). Included files are read like every
//! other file the docs name: regular files inside the repository, bounded,
//! no cycles. A line map sends each line of the expanded text back to the
//! file and line it came from, so an included file's links are reported at
//! their own `file:line`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::bounded::{Read, read_bounded};
pub(crate) use crate::expansion::{Expansion, Problem};
use crate::expansion::{hash_text, roots};

/// How deep includes nest (mdBook stops at 10 too).
const MAX_DEPTH: usize = 10;
/// The most an expanded page may weigh: includes of includes cannot grow a
/// page without bound.
const MAX_EXPANDED: usize = 8 << 20;
/// The most files one page includes, nested ones counted: includes of empty
/// files, a thousand each, would otherwise read without end.
const MAX_INCLUDES: usize = 1000;

/// Whether `text[body_start..]` may hold syntax `expand` changes: the cheap
/// test that keeps pages without `{{` off the expansion.
pub(crate) fn needed(text: &str, body_start: usize, vars: &Vars) -> bool {
    let Some(body) = text.get(body_start..) else {
        return false;
    };
    let body = body.as_bytes();
    if vars.is_some() && memchr::memmem::find(body, b"{{").is_some() {
        return true;
    }
    if memchr::memmem::find(body, b"@include:").is_some() {
        return true;
    }
    if memchr::memmem::find(body, b"--8<--").is_some() {
        return true;
    }
    // One scan for `{`: `{{#`, `{{<`, `{{%`, `{%`, or `{{ name(…) }}`.
    memchr::memchr_iter(b'{', body).any(|at| match body.get(at + 1) {
        Some(b'%') => true,
        Some(b'{') => {
            matches!(body.get(at + 2), Some(b'#' | b'<' | b'%')) || {
                let inner = &body[at + 2..];
                let close = memchr::memmem::find(inner, b"}}").unwrap_or(0);
                std::str::from_utf8(&inner[..close]).is_ok_and(|i| zola_call(i).is_some())
            }
        }
        _ => false,
    })
}

/// The variables an MkDocs site's `macros` plugin fills in (`{{ msrv }}`
/// from its config's `extra:`, `{{ git.tag }}`), when it has the plugin
/// (`Config::macro_vars`).
pub(crate) type Vars = Option<std::sync::Arc<BTreeMap<String, String>>>;

/// `text` (the guide `file`, relative to the repository at `root`) with its
/// includes and Hugo shortcodes expanded, and where each line came from.
pub(crate) fn expand(
    root: &Path,
    file: &str,
    text: &str,
    body_start: usize,
    vars: &Vars,
) -> (String, Expansion) {
    let (project, real_root) = roots(root);
    let own = root.join(file);
    let mut x = Expander {
        project,
        real_root,
        out: String::with_capacity(text.len()),
        includes: 0,
        lines: 1,
        dirty: false,
        expansion: Expansion::default(),
        vars: vars.clone(),
    };
    x.out.push_str(&text[..body_start]);
    x.lines += memchr::memchr_iter(b'\n', &text.as_bytes()[..body_start]).count();
    let mut stack: Vec<PathBuf> = own.canonicalize().into_iter().collect();
    let dir = own.parent().map(Path::to_path_buf).unwrap_or_default();
    let first = x.lines;
    x.chunk(file, &dir, &text[body_start..], first, &mut stack);
    let Expander { out, expansion, .. } = x;
    (out, expansion)
}

struct Expander {
    /// The project's folder, which names files (canonical).
    project: PathBuf,
    /// The repository, which bounds the reads (canonical).
    real_root: PathBuf,
    out: String,
    /// The includes done or tried so far.
    includes: usize,
    /// The line of `out` being written.
    lines: usize,
    /// An include was written: the next line is mapped again.
    dirty: bool,
    expansion: Expansion,
    /// The `macros` plugin's variables (`Vars`).
    vars: Vars,
}

impl Expander {
    fn push(&mut self, s: &str) {
        self.lines += memchr::memchr_iter(b'\n', s.as_bytes()).count();
        self.out.push_str(s);
    }

    fn mark(&mut self, file: &str, line: usize) {
        if let Some(last) = self.expansion.map.last_mut()
            && last.0 == self.lines
        {
            *last = (self.lines, file.to_string(), line);
            return;
        }
        self.expansion
            .map
            .push((self.lines, file.to_string(), line));
    }

    /// `text`, lines of `file` from line `first`, written out expanded.
    fn chunk(
        &mut self,
        file: &str,
        dir: &Path,
        text: &str,
        first: usize,
        stack: &mut Vec<PathBuf>,
    ) {
        self.mark(file, first);
        let mut fence: Option<&str> = None;
        let mut n = first;
        let mut at = 0;
        while at < text.len() {
            let mut end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
            let line = &text[at..end];
            if self.dirty {
                self.mark(file, n);
                self.dirty = false;
            }
            let trimmed = line.trim_start();
            let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
            let in_code = match (fence, marker) {
                (None, Some(m)) => {
                    fence = Some(m);
                    true
                }
                (Some(open), Some(m)) if open == m && trimmed[m.len()..].trim().is_empty() => {
                    fence = None;
                    true
                }
                (Some(_), _) => true,
                (None, None) => false,
            };
            let line = if !in_code && open_tag(line) {
                // A Hugo tag over several lines: taken whole, up to 30 lines.
                let mut more = 0;
                while open_tag(&text[at..end]) && end < text.len() && more < 30 {
                    end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
                    more += 1;
                }
                &text[at..end]
            } else {
                line
            };
            // pymdownx.snippets' `--8<-- "file"`, in code too (it runs
            // before the markdown: code files are included into fences).
            if let Some(spec) = snippet(line) {
                self.snippet(file, dir, spec, n, stack);
                n += 1;
                at = end;
                continue;
            }
            if let Some(spec) = vitepress_include(line).filter(|_| !in_code) {
                let column = line.len() - line.trim_start().len() + 1;
                self.vitepress(file, dir, spec, n, column, stack);
                if line.ends_with('\n') {
                    self.push("\n");
                }
            } else if !line.contains("{{") && !line.contains("{%") {
                self.push(line);
            } else {
                self.line(file, dir, line, n, in_code, stack);
            }
            n += memchr::memchr_iter(b'\n', line.as_bytes()).count();
            at = end;
        }
    }

    /// One line holding `{{`: mdBook's directives are expanded (in code too,
    /// where includes mostly are), Hugo's tags outside code are dropped.
    fn line(
        &mut self,
        file: &str,
        dir: &Path,
        line: &str,
        n: usize,
        in_code: bool,
        stack: &mut Vec<PathBuf>,
    ) {
        let mut buf = String::with_capacity(line.len());
        let mut hugo = false;
        let mut rest = line;
        let skipped_before = self.expansion.skipped.len();
        while let Some(at) = next_open(rest) {
            let after = &rest[at + 2..];
            let column = line.len() - rest.len() + at + 1;
            // Zola's `{% name(args) %}` … `{% end %}`: the tags go, the
            // markdown between them renders.
            if rest[at..].starts_with("{%") {
                match after
                    .find("%}")
                    .map(|close| (close, zola_block(&after[..close])))
                {
                    Some((close, Some(name))) if !in_code => {
                        buf.push_str(&rest[..at]);
                        if name != "end" {
                            self.expansion.skipped.push(("Zola", name.to_string()));
                        }
                        rest = &after[close + 2..];
                        hugo = true;
                    }
                    // GitBook's and Liquid's `{% name args %}`: a hint or a
                    // set of tabs on lines of their own becomes the
                    // Docusaurus markup almanac renders (an admonition,
                    // tabs), an embed a link; any other tag goes.
                    Some((close, None))
                        if !in_code
                            && !in_code_span(&rest[..at])
                            && liquid_tag(&after[..close]).is_some() =>
                    {
                        let (name, args) = liquid_tag(&after[..close]).unwrap_or_default();
                        let alone = buf.trim().is_empty()
                            && rest[..at].trim().is_empty()
                            && after[close + 2..].trim().is_empty();
                        buf.push_str(&rest[..at]);
                        match gitbook_block(name, args).filter(|_| alone) {
                            Some(markup) => buf.push_str(&markup),
                            None if name.starts_with("end") => {}
                            None => {
                                let from = match GITBOOK_TAGS.contains(&name) {
                                    true => "GitBook",
                                    false => "Liquid",
                                };
                                self.expansion.skipped.push((from, name.to_string()));
                            }
                        }
                        rest = &after[close + 2..];
                        hugo = true;
                    }
                    _ => {
                        buf.push_str(&rest[..at + 2]);
                        rest = after;
                    }
                }
                continue;
            }
            // `\{{#include …}}` is mdBook's way to write the directive itself.
            if after.starts_with('#') && rest[..at].ends_with('\\') {
                buf.push_str(&rest[..at - 1]);
                buf.push_str("{{");
                rest = after;
                continue;
            }
            // A variable of the `macros` plugin, in code too (the plugin
            // renders the whole page).
            if let Some((close, value)) = self.variable(after) {
                buf.push_str(&rest[..at]);
                buf.push_str(&value);
                rest = &after[close + 2..];
                continue;
            }
            match after.chars().next() {
                Some('#') => {
                    let Some(close) = after.find("}}") else { break };
                    buf.push_str(&rest[..at]);
                    let directive = &after[1..close];
                    let alone = buf.trim().is_empty() && after[close + 2..].trim().is_empty();
                    rest = &after[close + 2..];
                    // Another preprocessor's directive on a line of its
                    // own, outside code: the tabs of mdbook-tabs become a
                    // tab set; any other (blacksmith's
                    // `{{#installer_table}}`) writes a block almanac
                    // cannot, and goes. One within a line (PyO3's
                    // `{{#PYO3_DOCS_URL}}` in a link) is written as it is.
                    let name = directive.split_whitespace().next().unwrap_or_default();
                    if !in_code && alone && !MDBOOK_DIRECTIVES.contains(&name) {
                        match mdbook_tabs(name, directive) {
                            Some(markup) => buf.push_str(&markup),
                            None if name.starts_with("end") => {}
                            None => self.expansion.skipped.push(("mdBook", name.to_string())),
                        }
                        hugo = true;
                        continue;
                    }
                    self.push(&buf);
                    buf.clear();
                    self.directive(file, dir, directive, n, column, stack);
                }
                Some(open @ ('<' | '%'))
                    if !in_code || after[1..].trim_start().starts_with("/*") =>
                {
                    let end = if open == '<' { ">}}" } else { "%}}" };
                    let Some(close) = after[1..].find(end) else {
                        break;
                    };
                    buf.push_str(&rest[..at]);
                    let inner = after[1..1 + close].trim();
                    rest = &after[1 + close + end.len()..];
                    hugo = true;
                    self.shortcode(inner, open, &mut buf);
                    // The lines a tag spanned stay lines.
                    let spanned = memchr::memchr_iter(b'\n', inner.as_bytes()).count();
                    buf.extend(std::iter::repeat_n('\n', spanned));
                }
                // Zola's `{{ name(args) }}` (or a template macro's) that is
                // not almanac's own: left out and counted.
                _ if !in_code && !in_code_span(&rest[..at]) => {
                    match after
                        .find("}}")
                        .filter(|&close| zola_call(&after[..close]).is_some())
                    {
                        Some(close) => {
                            buf.push_str(&rest[..at]);
                            let name = zola_call(&after[..close]).unwrap_or_default();
                            self.expansion.skipped.push(("Zola", name.to_string()));
                            rest = &after[close + 2..];
                            hugo = true;
                        }
                        None => {
                            buf.push_str(&rest[..at + 2]);
                            rest = after;
                        }
                    }
                }
                _ => {
                    buf.push_str(&rest[..at + 2]);
                    rest = after;
                }
            }
        }
        buf.push_str(rest);
        // A line that held only shortcode tags is a blank line, not spaces
        // (four of which would start a code block).
        if hugo && buf.trim().is_empty() {
            // Hugo shortcodes on a line of their own may write blocks
            // (`{{< cli/tools-list >}}`); inline ones write a value (`absURL`).
            let names = self.expansion.skipped[skipped_before..]
                .iter()
                .filter(|(generator, _)| *generator == "Hugo")
                .map(|(_, name)| name.clone())
                .collect::<Vec<_>>();
            self.expansion.block_shortcodes.extend(names);
            buf.clear();
            let lines = memchr::memchr_iter(b'\n', line.as_bytes()).count();
            buf.extend(std::iter::repeat_n('\n', lines));
        }
        self.push(&buf);
    }

    /// The value of the `macros` variable `{{ name }}` whose inside
    /// starts `after` (a dotted name, `git.tag`), and where its `}}` is.
    fn variable(&self, after: &str) -> Option<(usize, String)> {
        let vars = self.vars.as_ref()?;
        let close = after.find("}}")?;
        let name = after[..close].trim();
        let dotted = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        dotted.then(|| vars.get(name))?.map(|v| (close, v.clone()))
    }

    /// Whether the site has its own template for the Hugo shortcode `name`.
    fn own_shortcode(&self, name: &str) -> bool {
        ["layouts/_shortcodes", "layouts/shortcodes"]
            .iter()
            .any(|dir| {
                self.project
                    .join(dir)
                    .join(format!("{name}.html"))
                    .is_file()
            })
    }

    /// One Hugo tag's inside (`name args`, `/name`, `/* escaped */`).
    fn shortcode(&mut self, inner: &str, open: char, buf: &mut String) {
        if let Some(escaped) = inner.strip_prefix("/*").and_then(|i| i.strip_suffix("*/")) {
            let close = if open == '<' { '>' } else { '%' };
            buf.push_str(&format!("{{{{{open} {} {close}}}}}", escaped.trim()));
            return;
        }
        if let Some(closing) = inner.strip_prefix('/') {
            let closing = closing.trim();
            if closing == "highlight" {
                buf.push_str("```");
            } else if !self.expansion.closed.iter().any(|c| c == closing) {
                self.expansion.closed.push(closing.to_string());
            }
            return;
        }
        let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let args = hugo_args(args);
        let get = |key: &str| args.named.get(key).map(String::as_str);
        match name {
            "ref" | "relref" => {
                if let Some(path) = get("path").or(args.positional.first().map(String::as_str)) {
                    buf.push_str(path);
                    self.expansion.refs.push(path.to_string());
                }
            }
            // An image shortcode of the site's own (`layouts/_shortcodes/img.html`)
            // may read `src` anywhere (`resources.Get` reads `assets/`):
            // left to it, not checked as a path beside the page.
            "figure" | "img" | "imgproc" if get("src").is_some() && !self.own_shortcode(name) => {
                let src = get("src").unwrap_or_default();
                let alt = get("alt").or(get("caption")).or(get("title")).unwrap_or("");
                let alt: String = alt
                    .chars()
                    .filter(|c| !matches!(c, '[' | ']' | '\n'))
                    .collect();
                buf.push_str(&format!("![{alt}](<{}>)", src.replace(['<', '>'], "")));
            }
            // `{{< highlight go "linenos=table" >}}`: a fenced code block.
            "highlight" => {
                buf.push_str("```");
                buf.push_str(args.positional.first().map_or("", String::as_str));
            }
            _ => {
                // A link's URL the shortcode writes (`[home]({{< absURL "/" >}})`):
                // a template's placeholder, which `check` leaves alone, not
                // an empty link.
                if buf.ends_with("](") || buf.ends_with("href=\"") || buf.ends_with("src=\"") {
                    buf.push_str(&format!("{{{{{name}}}}}"));
                }
                self.expansion.skipped.push(("Hugo", name.to_string()))
            }
        }
    }

    /// One mdBook directive (`include path:2:5`, `title Text`, …) at `file:n:column`.
    fn directive(
        &mut self,
        file: &str,
        dir: &Path,
        directive: &str,
        n: usize,
        column: usize,
        stack: &mut Vec<PathBuf>,
    ) {
        let (kind, args) = directive
            .trim()
            .split_once(char::is_whitespace)
            .unwrap_or((directive.trim(), ""));
        let args = args.trim();
        match kind {
            "title" => self.expansion.title = Some(args.to_string()),
            "include" | "rustdoc_include" if !args.is_empty() => {
                let spec = args.split_whitespace().next().unwrap_or("");
                self.include(file, dir, spec, n, column, stack);
            }
            // A Rust code block of the file, its other words the block's attributes.
            "playground" | "playpen" if !args.is_empty() => {
                let mut words = args.split_whitespace();
                let spec = words.next().unwrap_or("");
                let attributes: Vec<&str> = words.collect();
                let fence = match attributes.is_empty() {
                    true => "```rust\n".to_string(),
                    false => format!("```rust,{}\n", attributes.join(",")),
                };
                self.push(&fence);
                self.include(file, dir, spec, n, column, stack);
                self.push("\n```");
            }
            // Not mdBook's: written as it was.
            _ => {
                self.push("{{#");
                self.push(directive);
                self.push("}}");
            }
        }
    }

    /// pymdownx.snippets' include of `spec` (`path`, `path:3:5`), from
    /// the project's folder (its `base_path`, `.`) or else the page's: the
    /// file's lines in place of the line. A file that is not there, or a
    /// section (`path:name`), leaves the line out, as snippets does unless
    /// its `check_paths` is on.
    fn snippet(&mut self, file: &str, dir: &Path, spec: &str, n: usize, stack: &mut Vec<PathBuf>) {
        let (path, range) = match spec.split_once(':') {
            Some((p, r)) => (p, Some(r)),
            None => (spec, None),
        };
        let numeric =
            range.is_none_or(|r| r.split(':').all(|p| p.bytes().all(|b| b.is_ascii_digit())));
        let base = [self.project.clone(), dir.to_path_buf()]
            .into_iter()
            .find(|base| base.join(path).is_file());
        match base {
            Some(base) if numeric && !path.is_empty() => {
                self.include(file, &base, spec, n, 1, stack);
                self.push("\n");
            }
            _ => self.push("\n"),
        }
    }

    /// VitePress's include `spec` (`./part.md`, `./part.md{3,5}`,
    /// `./part.md#region`), relative to the page; one from the source root
    /// (`@/…`), which almanac does not know, is left as the comment it is.
    fn vitepress(
        &mut self,
        file: &str,
        dir: &Path,
        spec: &str,
        n: usize,
        column: usize,
        stack: &mut Vec<PathBuf>,
    ) {
        if spec.starts_with("@/") {
            return;
        }
        let (rest, lines) = match spec.strip_suffix('}').and_then(|s| s.rsplit_once('{')) {
            Some((rest, lines)) => (rest, Some(lines.replace(',', ":"))),
            None => (spec, None),
        };
        let (path, region) = match rest.split_once('#') {
            Some((path, region)) => (path, Some(format!("#{region}"))),
            None => (rest, None),
        };
        // A region's name wins over a line range, which VitePress applies within it.
        let range = region
            .or(lines)
            .map(|r| format!(":{r}"))
            .unwrap_or_default();
        self.include(file, dir, &format!("{path}{range}"), n, column, stack);
    }

    fn problem(&mut self, file: &str, line: usize, column: usize, message: String) {
        self.expansion.problems.push(Problem {
            file: file.to_string(),
            line,
            column,
            message,
        });
    }

    fn include(
        &mut self,
        file: &str,
        dir: &Path,
        spec: &str,
        n: usize,
        column: usize,
        stack: &mut Vec<PathBuf>,
    ) {
        let (path, range) = match spec.split_once(':') {
            Some((p, r)) => (p, Some(r)),
            None => (spec, None),
        };
        if path.is_empty() {
            return self.problem(file, n, column, "`{{#include}}` names no file".into());
        }
        self.includes += 1;
        if self.includes > MAX_INCLUDES {
            // Said once: the page's other includes are left out too.
            if self.includes == MAX_INCLUDES + 1 {
                self.problem(
                    file,
                    n,
                    column,
                    format!("`{path}` and the includes after it are left out: a page includes at most {MAX_INCLUDES} files"),
                );
            }
            return;
        }
        if stack.len() > MAX_DEPTH {
            return self.problem(
                file,
                n,
                column,
                format!("`{path}` is not included: includes nest more than {MAX_DEPTH} deep"),
            );
        }
        let full = dir.join(path);
        let read = read_bounded(&self.real_root, &full);
        let real = full.canonicalize().unwrap_or_else(|_| full.clone());
        let hash = match &read {
            Read::Text(text) => Some(hash_text(text)),
            _ => None,
        };
        self.expansion.read.push((real, hash));
        let text = match read {
            Read::Text(text) => text,
            Read::Missing => {
                return self.problem(file, n, column, format!("included file `{path}` not found"));
            }
            Read::Refused => {
                return self.problem(
                    file,
                    n,
                    column,
                    format!(
                        "included file `{path}` is not read: not a regular file of the repository, or too big"
                    ),
                );
            }
        };
        let real = full.canonicalize().unwrap_or(full);
        if stack.contains(&real) {
            return self.problem(
                file,
                n,
                column,
                format!("`{path}` is not included: it includes this file again (a cycle)"),
            );
        }
        if self.out.len() + text.len() > MAX_EXPANDED {
            return self.problem(
                file,
                n,
                column,
                format!("`{path}` is not included: the page would grow past 8 MB"),
            );
        }
        let name = relative(&self.project, &real);
        let Some((first, part)) = select(&text, range) else {
            return self.problem(
                file,
                n,
                column,
                format!("`{spec}`: no such lines or anchor in `{path}`"),
            );
        };
        let part = part.strip_suffix('\n').unwrap_or(&part);
        let inner_dir = real.parent().map(Path::to_path_buf).unwrap_or_default();
        stack.push(real);
        self.chunk(&name, &inner_dir, part, first, stack);
        stack.pop();
        self.dirty = true;
    }
}

/// `path` relative to the folder `from` (both canonical), `../` as needed.
fn relative(from: &Path, path: &Path) -> String {
    let mut up = String::new();
    for dir in from.ancestors() {
        if let Ok(rest) = path.strip_prefix(dir) {
            return format!("{up}{}", rest.to_string_lossy().replace('\\', "/"));
        }
        up.push_str("../");
    }
    path.to_string_lossy().into_owned()
}

/// The lines of `text` an include's range names (`2:5`, `3:`, `:7`, `4`,
/// `anchor`), with the number of the first; `ANCHOR:` lines left out.
///
/// VitePress's `#name` is the lines between `#region name` and
/// `#endregion` comments, or the whole file when it has no such region
/// (VitePress also reads it as a heading's id).
fn select(text: &str, range: Option<&str>) -> Option<(usize, String)> {
    if let Some(name) = range.and_then(|r| r.trim().strip_prefix('#')) {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let marks = |l: &str, word: &str| {
            l.split_once(word)
                .is_some_and(|(_, after)| after.split_whitespace().next() == Some(name))
        };
        let Some(start) = lines.iter().position(|l| marks(l, "#region")) else {
            return Some((1, text.to_string()));
        };
        let end = lines[start..]
            .iter()
            .position(|l| l.contains("#endregion"))
            .map_or(lines.len(), |e| start + e);
        return Some((start + 2, lines[start + 1..end].concat()));
    }
    let is_anchor = |l: &str| l.contains("ANCHOR:") || l.contains("ANCHOR_END:");
    let keep = |lines: &[&str]| -> String {
        lines
            .iter()
            .filter(|l| !is_anchor(l))
            .copied()
            .collect::<String>()
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(range) = range.map(str::trim).filter(|r| !r.is_empty()) else {
        return Some((1, keep(&lines)));
    };
    let number = |s: &str| -> Option<Option<usize>> {
        if s.is_empty() {
            Some(None)
        } else {
            s.parse().ok().map(Some)
        }
    };
    let bounds = match range.split_once(':') {
        Some((a, b)) => number(a).zip(number(b)),
        None => number(range).map(|a| (a, a)),
    };
    match bounds {
        Some((from, to)) => {
            let from = from.unwrap_or(1).max(1);
            let to = to.unwrap_or(lines.len()).min(lines.len());
            (from <= to).then(|| (from, keep(&lines[from - 1..to])))
        }
        None => {
            let start = lines.iter().position(|l| {
                l.split_once("ANCHOR:")
                    .is_some_and(|(_, name)| name.trim() == range)
            })?;
            let end = lines[start..]
                .iter()
                .position(|l| {
                    l.split_once("ANCHOR_END:")
                        .is_some_and(|(_, name)| name.trim() == range)
                })
                .map_or(lines.len(), |e| start + e);
            Some((start + 2, keep(&lines[start + 1..end])))
        }
    }
}

/// The spec of a line that is VitePress's include: `<!--@include: spec-->`.
fn vitepress_include(line: &str) -> Option<&str> {
    let inner = line.trim().strip_prefix("<!--")?.strip_suffix("-->")?;
    let spec = inner.trim_start().strip_prefix("@include:")?.trim();
    (!spec.is_empty()).then_some(spec)
}

/// Where the next `{{` or `{%` starts in `s`.
fn next_open(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    memchr::memchr_iter(b'{', bytes).find(|&i| matches!(bytes.get(i + 1), Some(b'{' | b'%')))
}

/// Whether a code span is open at the end of `before` (an odd number of
/// backticks on the line so far).
fn in_code_span(before: &str) -> bool {
    before.matches('`').count() % 2 == 1
}

/// The name of a call `name(args)` (the inside of `{{ … }}`), when it is
/// one and not almanac's own shortcode.
fn zola_call(inner: &str) -> Option<&str> {
    let inner = inner.trim();
    let (name, args) = inner.split_once('(')?;
    let name = name.trim_end();
    let ident = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (ident && args.ends_with(')') && !crate::shortcodes::is_almanacs(inner)).then_some(name)
}

/// mdBook's own directives (`{{#include …}}`…), expanded anywhere.
const MDBOOK_DIRECTIVES: &[&str] = &[
    "include",
    "rustdoc_include",
    "playground",
    "playpen",
    "title",
];

/// mdbook-tabs' `{{#tabs }}`, `{{#tab name="macOS" }}`, `{{#endtab }}` and
/// `{{#endtabs }}` as the Docusaurus markup almanac renders as a tab set.
fn mdbook_tabs(name: &str, directive: &str) -> Option<String> {
    match name {
        "tab" => {
            let args = hugo_args(directive.trim_start_matches(name));
            Some(tab_item(args.named.get("name")?))
        }
        // The same markup as GitBook's tags of these names.
        "tabs" | "endtabs" | "endtab" => gitbook_block(name, ""),
        _ => None,
    }
}

/// The Docusaurus tab `<TabItem label="…">` that a tab titled `title` is
/// written as (quotes and angle brackets left out of the title).
fn tab_item(title: &str) -> String {
    format!("<TabItem label=\"{}\">", title.replace(['"', '<', '>'], ""))
}

/// The file a pymdownx.snippets line includes: `--8<-- "path"` (or with
/// `'`), at the start of its line.
fn snippet(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("--8<--")?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let (path, after) = rest[1..].split_once(quote)?;
    (after.trim().is_empty() && !path.trim().is_empty()).then(|| path.trim())
}

/// GitBook's block tags (`{% hint %}`, `{% tabs %}`, `{% content-ref %}`…),
/// and the legacy ones (`{% method %}`, `{% sample %}`).
const GITBOOK_TAGS: &[&str] = &[
    "code",
    "column",
    "columns",
    "common",
    "content-ref",
    "embed",
    "file",
    "hint",
    "method",
    "sample",
    "step",
    "stepper",
    "swagger",
    "swagger-description",
    "swagger-parameter",
    "swagger-response",
    "tab",
    "tabs",
];

/// A Liquid tag's name and arguments (the inside of `{% … %}`, `-` trim
/// markers allowed): `hint style="info"`, `endhint`, `include x.html`.
fn liquid_tag(inner: &str) -> Option<(&str, &str)> {
    let inner = inner.trim_start_matches('-').trim_end_matches('-').trim();
    let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    let word = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    word.then_some((name, args.trim()))
}

/// What a GitBook or Liquid tag on a line of its own is written as: the
/// Docusaurus markup for a hint (`:::warning` … `:::`) and for tabs
/// (`<Tabs>`, `<TabItem label="…">`), an autolink for an embed, a fence for
/// Jekyll's `{% highlight ruby %}`; `None` for a tag that only goes.
fn gitbook_block(name: &str, args: &str) -> Option<String> {
    let named = hugo_args(args).named;
    let arg = |key: &str| named.get(key).cloned();
    match name {
        "hint" => {
            let style = arg("style").unwrap_or_else(|| "info".into());
            let style: String = style
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            Some(format!(
                ":::{}",
                if style.is_empty() { "info" } else { &style }
            ))
        }
        "endhint" => Some(":::".into()),
        "tabs" => Some("<Tabs>".into()),
        "endtabs" => Some("</Tabs>".into()),
        "tab" => Some(tab_item(&arg("title").unwrap_or_default())),
        "endtab" => Some("</TabItem>".into()),
        "embed" => arg("url")
            .filter(|u| u.starts_with("http") && !u.contains([' ', '<', '>']))
            .map(|u| format!("<{u}>")),
        // Jekyll's `{% highlight ruby %}` … `{% endhighlight %}`: a fence.
        "highlight" => {
            let lang = args.split_whitespace().next().unwrap_or_default();
            let plain = lang
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-_.#".contains(c));
            Some(format!("```{}", if plain { lang } else { "" }))
        }
        "endhighlight" => Some("```".into()),
        _ => None,
    }
}

/// The name of Zola's block shortcode tag (the inside of `{% … %}`):
/// `name(args)` opens one, `end` closes it.
fn zola_block(inner: &str) -> Option<&str> {
    let inner = inner.trim();
    if inner == "end" {
        return Some("end");
    }
    zola_call(inner)
}

/// Whether `text` opens a Hugo tag (`{{<`, `{{%`) it does not close.
fn open_tag(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find("{{") {
        let after = &rest[at + 2..];
        let close = match after.chars().next() {
            Some('<') => ">}}",
            Some('%') => "%}}",
            _ => {
                rest = after;
                continue;
            }
        };
        match after[1..].find(close) {
            Some(end) => rest = &after[1 + end + close.len()..],
            None => return true,
        }
    }
    false
}

#[derive(Default)]
struct HugoArgs {
    positional: Vec<String>,
    named: BTreeMap<String, String>,
}

/// `src="a.png" caption="A b"`, `"docs/x.md"`: named and positional values.
fn hugo_args(s: &str) -> HugoArgs {
    let mut args = HugoArgs::default();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let (key, after) = match rest.find(|c: char| c == '=' || c.is_whitespace() || c == '"') {
            Some(i) if rest[i..].starts_with('=') => (Some(&rest[..i]), rest[i + 1..].trim_start()),
            _ => (None, rest),
        };
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'' | '`')) => match after[1..].find(q) {
                Some(end) => (&after[1..1 + end], &after[end + 2..]),
                None => (&after[1..], ""),
            },
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        match key {
            Some(k) => {
                args.named.insert(k.to_string(), value.to_string());
            }
            None => args.positional.push(value.to_string()),
        }
        rest = next.trim_start();
    }
    args
}

/// "skipped 12 Hugo shortcodes of 3 kinds: tabs, tab, figure", the most used
/// first, a line per generator.
pub(crate) fn summary<'a>(
    skipped: impl Iterator<Item = &'a (&'static str, String)>,
) -> Vec<String> {
    let mut counts: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (generator, name) in skipped {
        *counts
            .entry(generator)
            .or_default()
            .entry(name.as_str())
            .or_default() += 1;
    }
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            one.to_string()
        } else {
            many.to_string()
        }
    };
    counts
        .into_iter()
        .map(|(generator, counts)| {
            let total: usize = counts.values().sum();
            let mut kinds: Vec<(&str, usize)> = counts.into_iter().collect();
            kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let names: Vec<&str> = kinds.iter().map(|k| k.0).collect();
            format!(
                "skipped {total} {generator} {} of {} {}: {} (their tags are left out, the text between them is kept)",
                plural(total, "shortcode", "shortcodes"),
                kinds.len(),
                plural(kinds.len(), "kind", "kinds"),
                names.join(", ")
            )
        })
        .collect()
}

/// Findings about guides' expanded texts moved to the file and line each
/// came from (an included file's link is reported in that file).
pub(crate) fn relocate(
    findings: &mut [crate::finding::Finding],
    guides: &[crate::load::guides::Guide],
    rendered: &[crate::markdown::Rendered],
) {
    let expanded: std::collections::HashMap<&str, &Expansion> = guides
        .iter()
        .zip(rendered)
        .filter_map(|(g, r)| Some((g.file.as_str(), r.expansion.as_deref()?)))
        .collect();
    if expanded.is_empty() {
        return;
    }
    for f in findings {
        if let Some((file, line)) = expanded.get(f.file.as_str()).and_then(|x| x.locate(f.line)) {
            (f.file, f.line) = (file.to_string(), line);
        }
    }
}

/// The includes not done, as `check` findings (warnings: the page builds
/// without them, as mdBook's does).
pub(crate) fn findings(
    expansion: &Expansion,
) -> impl Iterator<Item = crate::finding::Finding> + '_ {
    expansion.problems.iter().map(|p| {
        let hint =
            "mdBook's `{{#include path}}` reads a file of the repository, relative to the page";
        crate::finding::Finding::new(
            crate::finding::Kind::DataError,
            &p.file,
            p.line,
            p.column,
            "",
            &p.message,
        )
        .severity(crate::finding::Severity::Warning)
        .hint(hint.to_string())
        .resolved(p.file.clone())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_anchors() {
        let text = "a\nb\nc\n// ANCHOR: x\nd\n// ANCHOR_END: x\ne\n";
        assert_eq!(select(text, Some("2:3")), Some((2, "b\nc\n".into())));
        assert_eq!(select(text, Some(":2")), Some((1, "a\nb\n".into())));
        assert_eq!(select(text, Some("6:")).unwrap().1, "e\n");
        assert_eq!(select(text, Some("2")).unwrap().1, "b\n");
        assert_eq!(select(text, Some("x")), Some((5, "d\n".into())));
        assert_eq!(select(text, Some("nope")), None);
        assert_eq!(select(text, Some("9:12")), None);
        // VitePress's regions, or the whole file.
        let vite = "a\n<!-- #region usage -->\nb\n<!-- #endregion usage -->\nc\n";
        assert_eq!(select(vite, Some("#usage")), Some((3, "b\n".into())));
        assert_eq!(select(vite, Some("#other")).unwrap().1, vite);
        assert_eq!(
            vitepress_include("<!--@include: ./a.md{2,}-->\n"),
            Some("./a.md{2,}")
        );
        assert_eq!(vitepress_include("<!-- @include: -->"), None);
        assert_eq!(vitepress_include("text <!--@include: a.md-->"), None);
    }

    #[test]
    fn hugo_arguments() {
        let a = hugo_args(r#"src="a b.png" caption='C' "pos" bare"#);
        assert_eq!(a.named["src"], "a b.png");
        assert_eq!(a.named["caption"], "C");
        assert_eq!(a.positional, ["pos", "bare"]);
    }

    #[test]
    fn the_summary_names_the_most_used_first() {
        let names: Vec<(&str, String)> = ["tab", "tabs", "tab", "figure"]
            .map(|n| ("Hugo", n.to_string()))
            .into_iter()
            .chain([("Zola", "youtube".to_string())])
            .collect();
        assert_eq!(
            summary(names.iter()),
            [
                "skipped 4 Hugo shortcodes of 3 kinds: tab, figure, tabs (their tags are left out, the text between them is kept)",
                "skipped 1 Zola shortcode of 1 kind: youtube (their tags are left out, the text between them is kept)"
            ]
        );
        assert!(summary([].iter()).is_empty());
    }
}
