//! Build-time code highlighting: classed spans, coloured by
//! `assets/highlight.css` in light and dark, so pages need no script to show
//! colours. Shell (most of a release handbook's code) has a small tokenizer
//! of its own: syntect's bash grammar costs about 45 µs a line, which made
//! highlighting half of a 10,000-page build. Every other language goes
//! through syntect with bat's syntaxes (two-face).

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The syntax definitions, loaded once per process on first use: they are
/// immutable and take tens of milliseconds to load, which every `serve`
/// rebuild would otherwise pay again.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Names people write after the fence → the syntax's token.
fn token(lang: &str) -> &str {
    match lang {
        "console" | "shell" | "sh" | "zsh" | "shell-session" | "terminal" => "bash",
        "yml" => "yaml",
        "js" | "mjs" | "node" => "javascript",
        "ts" => "typescript",
        "py" => "python",
        "rs" => "rust",
        "patch" => "diff",
        "dockerfile" => "Dockerfile",
        other => other,
    }
}

/// The classed HTML of `code` in `lang`, or `None` for an unknown language.
pub(crate) fn highlight(lang: &str, code: &str) -> Option<String> {
    match token(lang) {
        "bash" => return Some(shell(code, lang == "console")),
        "markdown" | "md" => return Some(markdown(code)),
        _ => {}
    }
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(token(lang))?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// Shell as classed spans: prompts, commands, options, strings, variables,
/// operators and comments; in a console block (or a block with `$ ` prompts)
/// the lines without a prompt are output.
pub(crate) fn shell(code: &str, console: bool) -> String {
    let prompted = console || code.lines().any(|l| l.trim_start().starts_with("$ "));
    // Spans about treble a line of shell.
    let mut out = String::with_capacity(code.len() * 4);
    let mut continued = false;
    for line in code.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let indent = &body[..body.len() - body.trim_start().len()];
        let rest = &body[indent.len()..];
        if let Some(command) = rest.strip_prefix("$ ") {
            crate::markdown::escape_into(&mut out, indent);
            out.push_str("<span class=\"hl-sh-prompt\">$ </span>");
            shell_line(command, &mut out);
        } else if prompted && !continued {
            if !body.is_empty() {
                span(&mut out, "sh-output", body);
            }
        } else {
            shell_line(body, &mut out);
        }
        continued = body.trim_end().ends_with('\\');
        out.push_str(newline);
    }
    out
}

fn shell_line(line: &str, out: &mut String) {
    let bytes = line.as_bytes();
    let mut at_command = true;
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        // Most shell is ASCII: a char is decoded only past it.
        let c = match bytes[i] {
            b if b.is_ascii() => char::from(b),
            _ => rest.chars().next().unwrap_or(' '),
        };
        if c.is_whitespace() {
            out.push(c);
            i += c.len_utf8();
        } else if c == '#' {
            span(out, "sh-comment", rest);
            return;
        } else if c == '\'' || c == '"' {
            let end = rest[1..].find(c).map_or(rest.len(), |e| e + 2);
            span(out, "sh-string", &rest[..end]);
            i += end;
            at_command = false;
        } else if let Some(op) = matches!(
            c,
            '&' | '|' | '2' | '>' | '$' | ';' | '<' | '(' | ')' | '\\'
        )
        .then(|| {
            [
                "&&", "||", "2>&1", ">>", "$(", "|", ";", ">", "<", "&", "(", ")", "\\",
            ]
            .into_iter()
            .find(|op| rest.starts_with(op))
        })
        .flatten()
        {
            span(out, "sh-op", op);
            i += op.len();
            at_command = !matches!(op, ">" | ">>" | "<" | "2>&1" | "\\");
        } else if c == '$' {
            let end = if rest[1..].starts_with('{') {
                rest.find('}').map_or(rest.len(), |e| e + 1)
            } else {
                1 + rest[1..]
                    .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                    .unwrap_or(rest.len() - 1)
            };
            span(out, "sh-var", &rest[..end.max(1)]);
            i += end.max(1);
        } else {
            let end = word_end(rest).max(c.len_utf8());
            let word = &rest[..end];
            // `NAME=value` where a command would be.
            let assignment =
                at_command
                    .then(|| word.split_once('='))
                    .flatten()
                    .filter(|(name, _)| {
                        !name.is_empty()
                            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    });
            if let Some((name, value)) = assignment {
                span(out, "sh-var", name);
                out.push('=');
                crate::markdown::escape_into(out, value);
            } else if at_command {
                span(out, "sh-cmd", word);
                at_command = matches!(
                    word,
                    "sudo"
                        | "env"
                        | "time"
                        | "exec"
                        | "then"
                        | "do"
                        | "else"
                        | "if"
                        | "while"
                        | "!"
                );
            } else if word.starts_with('-') {
                span(out, "sh-flag", word);
            } else {
                crate::markdown::escape_into(out, word);
            }
            i += end;
        }
    }
}

/// Where a shell word starting `rest` ends: at whitespace, a quote, or an
/// operator or `$` (bytes, decoding only non-ASCII chars).
fn word_end(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut j = 0;
    while j < bytes.len() {
        let b = bytes[j];
        if b.is_ascii() {
            let stop = char::from(b).is_whitespace()
                || matches!(
                    b,
                    b'\'' | b'"' | b'|' | b';' | b'&' | b'>' | b'<' | b'(' | b')' | b'$'
                );
            if stop {
                return j;
            }
            j += 1;
        } else {
            // `j` is on a char boundary: it moves by whole chars.
            let ch = rest[j..].chars().next().unwrap_or(' ');
            if ch.is_whitespace() {
                return j;
            }
            j += ch.len_utf8();
        }
    }
    bytes.len()
}

fn escape(s: &str) -> String {
    crate::markdown::escape(s)
}

fn span(out: &mut String, class: &str, text: &str) {
    out.push_str("<span class=\"hl-");
    out.push_str(class);
    out.push_str("\">");
    crate::markdown::escape_into(out, text);
    out.push_str("</span>");
}

/// Markdown as classed spans: headings, fences and fenced code, quote and
/// list markers, code spans, link destinations, strong emphasis and comments.
/// (bat's Markdown grammar takes about 0.25 s to compile on first use, longer
/// than a whole small site takes to build.)
pub(crate) fn markdown(code: &str) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    let mut fence: Option<&str> = None;
    for line in code.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let trimmed = body.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
        if let Some(open) = fence {
            let fence_char = if open == "```" { '`' } else { '~' };
            let closes =
                marker == Some(open) && trimmed.trim_end().trim_matches(fence_char).is_empty();
            span(&mut out, if closes { "md-fence" } else { "md-code" }, body);
            if closes {
                fence = None;
            }
        } else if let Some(m) = marker {
            fence = Some(m);
            span(&mut out, "md-fence", body);
        } else if (1..=6).contains(&hashes)
            && trimmed[hashes..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
        {
            span(&mut out, "md-heading", body);
        } else if body.trim_end() == "---" {
            span(&mut out, "md-fence", body);
        } else {
            out.push_str(&body[..body.len() - trimmed.len()]);
            markdown_line(trimmed, &mut out);
        }
        out.push_str(&line[body.len()..]);
    }
    out
}

/// One line outside fences: block markers, then inline spans.
fn markdown_line(line: &str, out: &mut String) {
    let mut rest = line;
    while let Some(after) = rest.strip_prefix('>') {
        span(out, "md-marker", ">");
        let spaces = after.len() - after.trim_start_matches(' ').len();
        out.push_str(&after[..spaces]);
        rest = &after[spaces..];
    }
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker_len = if ["- ", "* ", "+ "].iter().any(|m| rest.starts_with(m)) {
        1
    } else if digits > 0 && (rest[digits..].starts_with(". ") || rest[digits..].starts_with(") ")) {
        digits + 1
    } else {
        0
    };
    if marker_len > 0 {
        span(out, "md-marker", &rest[..marker_len]);
        rest = &rest[marker_len..];
    }
    let mut plain = 0;
    let mut i = 0;
    let bytes = rest.as_bytes();
    while i < rest.len() {
        let found = match bytes[i] {
            b'`' => {
                let ticks = rest[i..].len() - rest[i..].trim_start_matches('`').len();
                let fence = &rest[i..i + ticks];
                rest[i + ticks..]
                    .find(fence)
                    .map(|end| ("md-code", i + ticks + end + ticks))
            }
            b'*' | b'_' if rest[i..].starts_with("**") || rest[i..].starts_with("__") => rest
                [i + 2..]
                .find(&rest[i..i + 2])
                .map(|end| ("md-strong", i + 2 + end + 2)),
            b'<' if rest[i..].starts_with("<!--") => Some((
                "md-comment",
                rest[i..].find("-->").map_or(rest.len(), |end| i + end + 3),
            )),
            b']' if rest[i..].starts_with("](") => {
                out.push_str(&escape(&rest[plain..i + 2]));
                plain = i + 2;
                rest[i + 2..].find(')').map(|end| ("md-url", i + 2 + end))
            }
            _ => None,
        };
        match found {
            Some((class, end)) => {
                let start = if class == "md-url" { i + 2 } else { i };
                out.push_str(&escape(&rest[plain..start]));
                span(out, class, &rest[start..end]);
                plain = end;
                i = end;
            }
            None => i += 1,
        }
        while !rest.is_char_boundary(i) {
            i += 1;
        }
    }
    out.push_str(&escape(&rest[plain..]));
}

/// The colours: GitHub's in light mode, One Half Dark in dark mode (by system
/// preference, or by the theme's toggle).
pub(crate) fn css() -> String {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(themes_css).clone()
}

fn themes_css() -> String {
    use two_face::theme::{EmbeddedThemeName, extra};
    let themes = extra();
    let light = css_for_theme_with_class_style(themes.get(EmbeddedThemeName::Github), STYLE)
        .unwrap_or_default();
    let dark = css_for_theme_with_class_style(themes.get(EmbeddedThemeName::OneHalfDark), STYLE)
        .unwrap_or_default();
    // The dark rules apply under the system preference unless the page is set
    // to light, and whenever it is set to dark.
    let scoped = |css: &str, scope: &str| -> String {
        css.lines()
            .map(|l| {
                if l.starts_with(".hl-") {
                    // Each selector of a list: `.a, .b {` is `S .a, S .b {`.
                    l.split(", ")
                        .map(|selector| format!("{scope} {selector}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    // Every colour at AA contrast on the code background of its scheme
    // (almanac.css's `--code-bg`): the themes' comments and YAML keys were
    // 2.7:1.
    let light = legible(&format!("{light}\n{OWN_LIGHT}"), CODE_BG_LIGHT);
    let dark = legible(&format!("{dark}\n{OWN_DARK}"), CODE_BG_DARK);
    // Each palette applies alone: the light one's rules are not left
    // under the dark one's where the dark theme has no rule as specific.
    format!(
        "/* Code colours, generated by almanac from syntect themes. */\n@media (prefers-color-scheme: light) {{\n{}\n}}\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n{}\n",
        scoped(&light, ":root:not([data-theme=\"dark\"])"),
        scoped(&light, ":root[data-theme=\"light\"]"),
        scoped(&dark, ":root:not([data-theme=\"light\"])"),
        scoped(&dark, ":root[data-theme=\"dark\"]"),
    )
}

/// The code background in light and dark (almanac.css's `--code-bg`).
const CODE_BG_LIGHT: [u8; 3] = [0xf3, 0xf4, 0xf6];
const CODE_BG_DARK: [u8; 3] = [0x1b, 0x20, 0x29];

/// WCAG AA for normal text.
const AA: f64 = 4.5;

/// `css` with each `color: #rrggbb` that falls short of AA contrast on
/// `background` moved towards black (on a light background) or white (on a
/// dark one), in small steps, until it passes: the hue stays.
fn legible(css: &str, background: [u8; 3]) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("color: #") {
        let hex_start = at + "color: #".len();
        out.push_str(&rest[..hex_start]);
        // `background-color` is the token's background, not its text.
        let text_colour = !rest[..at].ends_with('-');
        rest = &rest[hex_start..];
        if !text_colour {
            continue;
        }
        let Some(rgb) = rest.get(..6).and_then(parse_rgb) else {
            continue;
        };
        let fixed = readable_on(rgb, background);
        out.push_str(&format!("{:02x}{:02x}{:02x}", fixed[0], fixed[1], fixed[2]));
        rest = &rest[6..];
    }
    out.push_str(rest);
    out
}

/// `rrggbb` as bytes; `None` for anything else.
fn parse_rgb(hex: &str) -> Option<[u8; 3]> {
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// `color`, or the nearest mix of it towards black or white that reaches AA
/// on `background`.
fn readable_on(color: [u8; 3], background: [u8; 3]) -> [u8; 3] {
    let towards: f64 = if luminance(background) > 0.5 {
        0.0
    } else {
        255.0
    };
    let mut mixed = color;
    for step in 0..=20 {
        let t = f64::from(step) / 20.0;
        mixed = color.map(|c| (f64::from(c) + (towards - f64::from(c)) * t).round() as u8);
        if contrast(mixed, background) >= AA {
            break;
        }
    }
    mixed
}

/// WCAG 2 relative luminance.
fn luminance(rgb: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

/// WCAG 2 contrast ratio.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Colours of the shell and markdown tokenizers, in the same two palettes
/// (GitHub light, One Half Dark).
const OWN_LIGHT: &str = ".hl-sh-prompt { color: #6e7781; user-select: none; }
.hl-sh-output { color: #57606a; }
.hl-sh-comment { color: #6e7781; font-style: italic; }
.hl-sh-string { color: #0a3069; }
.hl-sh-var { color: #953800; }
.hl-sh-flag { color: #0550ae; }
.hl-sh-cmd { color: #8250df; }
.hl-sh-op { color: #cf222e; }
.hl-md-heading { color: #0550ae; font-weight: 600; }
.hl-md-fence, .hl-md-marker { color: #cf222e; }
.hl-md-code { color: #0a3069; }
.hl-md-url { color: #0550ae; text-decoration: underline; }
.hl-md-strong { font-weight: 600; }
.hl-md-comment { color: #6e7781; font-style: italic; }";
const OWN_DARK: &str = ".hl-sh-prompt { color: #7f848e; }
.hl-sh-output { color: #9da5b4; }
.hl-sh-comment { color: #7f848e; }
.hl-sh-string { color: #98c379; }
.hl-sh-var { color: #e06c75; }
.hl-sh-flag { color: #61afef; }
.hl-sh-cmd { color: #c678dd; }
.hl-sh-op { color: #56b6c2; }
.hl-md-heading { color: #e06c75; font-weight: 600; }
.hl-md-fence, .hl-md-marker { color: #56b6c2; }
.hl-md-code { color: #98c379; }
.hl-md-url { color: #61afef; text-decoration: underline; }
.hl-md-strong { font-weight: 600; }
.hl-md-comment { color: #7f848e; }";

#[cfg(test)]
mod tests {
    use super::*;

    /// Two-face's JavaScript syntax loops forever on `x /*` in syntect 5.3.0
    /// as published (two non-consuming `set`s, trishume/syntect#706), and
    /// on rust-lang/cargo's JSON-with-comments sample; the vendored patch
    /// moves on. On a thread, so that a loop fails the test rather than
    /// hanging it.
    #[test]
    fn a_javascript_block_that_loops_the_parser_ends() {
        const CARGO: &str =
            "{\n    \"doctest\": true\n    /* Whether\n    */\n    \"test\": true\n}\n";
        let (done, got) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let html = (highlight("js", "x /*\n"), highlight("javascript", CARGO));
            let _ = done.send(html);
        });
        let (short, cargo) = got
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("highlighting ends");
        let short = short.expect("JavaScript is known");
        assert!(short.contains('x') && short.contains("/*"), "{short}");
        let cargo = cargo.expect("JavaScript is known");
        for word in ["doctest", "Whether", "test"] {
            assert!(cargo.contains(word), "{word} in {cargo}");
        }
    }

    #[test]
    fn known_languages_get_classed_spans() {
        for (lang, code) in [
            ("bash", "./scripts/release.sh --version 1.2.0\n"),
            ("console", "$ cargo test\n"),
            ("yaml", "key: value\n"),
            ("json", "{\"a\": 1}\n"),
            ("toml", "[package]\nname = \"x\"\n"),
            ("rust", "fn main() {}\n"),
            ("python", "def f(): pass\n"),
            ("javascript", "const x = 1;\n"),
            ("diff", "+added\n-removed\n"),
        ] {
            let html = highlight(lang, code).unwrap_or_else(|| panic!("{lang} is not highlighted"));
            assert!(html.contains("<span class=\"hl-"), "{lang}: {html}");
        }
        assert_eq!(highlight("no-such-language", "x"), None);
    }

    /// The text of the highlighted HTML, tags removed and entities decoded.
    fn text_of(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    #[test]
    fn shell_tokens() {
        let html = shell(
            "FOO=1 ./scripts/release.sh --version \"1.2\" $HOME && echo 'a' # note\n",
            false,
        );
        for part in [
            "<span class=\"hl-sh-var\">FOO</span>=1",
            "<span class=\"hl-sh-cmd\">./scripts/release.sh</span>",
            "<span class=\"hl-sh-flag\">--version</span>",
            "<span class=\"hl-sh-string\">&quot;1.2&quot;</span>",
            "<span class=\"hl-sh-var\">$HOME</span>",
            "<span class=\"hl-sh-op\">&amp;&amp;</span> <span class=\"hl-sh-cmd\">echo</span>",
            "<span class=\"hl-sh-comment\"># note</span>",
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
    }

    #[test]
    fn console_prompts_and_output() {
        let html = shell("$ cargo test\nrunning 3 tests\n$ ls > out.txt\n", true);
        assert!(html.starts_with("<span class=\"hl-sh-prompt\">$ </span><span class=\"hl-sh-cmd\">cargo</span> test\n"), "{html}");
        assert!(
            html.contains("<span class=\"hl-sh-output\">running 3 tests</span>"),
            "{html}"
        );
    }

    #[test]
    fn shell_highlighting_keeps_the_text() {
        let samples = [
            "a <b> & \"c\" 'd' $(e) ${f} 2>&1 | g; h || i\n",
            "sudo -E VAR=x make \\\n  --jobs=4 target\n",
            "echo \"unclosed\n# comment $x\n",
            "é ü 🚀 --flag\n$",
            "",
        ];
        for sample in samples {
            assert_eq!(text_of(&shell(sample, false)), sample, "{sample:?}");
            assert_eq!(text_of(&shell(sample, true)), sample, "{sample:?}");
        }
    }

    /// The byte scan ends a word where a scan by chars does, Unicode
    /// whitespace included.
    #[test]
    fn words_end_where_a_char_scan_ends_them() {
        let by_chars = |rest: &str| {
            rest.find(|ch: char| {
                ch.is_whitespace()
                    || matches!(
                        ch,
                        '\'' | '"' | '|' | ';' | '&' | '>' | '<' | '(' | ')' | '$'
                    )
            })
            .unwrap_or(rest.len())
        };
        let extra = [
            '\t', '\u{b}', '\u{c}', '\r', 'é', '\u{a0}', '\u{3000}', '🚀', '\u{2028}',
        ];
        let mut next = crate::testing::xorshift(0x5eed_0f5e11);
        for text in crate::testing::ascii_texts(0x0dd_ba11, 4000, 12) {
            // Some printable ASCII swapped for whitespace and non-ASCII.
            let text: String = text
                .chars()
                .map(|c| match next() % 4 {
                    0 => extra[(next() % extra.len() as u64) as usize],
                    _ => c,
                })
                .collect();
            assert_eq!(word_end(&text), by_chars(&text), "{text:?}");
        }
    }

    #[test]
    fn markdown_tokens() {
        let html = markdown(
            "---\ntitle: X\n---\n# Guide\n\n> - Run `make x` and **stop**, see [docs](a.md#b).\n1. <!-- note -->\n```sh\n# not a heading\n```\n",
        );
        for part in [
            "<span class=\"hl-md-fence\">---</span>\ntitle: X\n",
            "<span class=\"hl-md-heading\"># Guide</span>",
            "<span class=\"hl-md-marker\">&gt;</span> <span class=\"hl-md-marker\">-</span> Run",
            "<span class=\"hl-md-code\">`make x`</span>",
            "<span class=\"hl-md-strong\">**stop**</span>",
            "[docs](<span class=\"hl-md-url\">a.md#b</span>).",
            "<span class=\"hl-md-marker\">1.</span> <span class=\"hl-md-comment\">&lt;!-- note --&gt;</span>",
            "<span class=\"hl-md-fence\">```sh</span>\n<span class=\"hl-md-code\"># not a heading</span>\n<span class=\"hl-md-fence\">```</span>",
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
        assert_eq!(highlight("md", "# x"), Some(markdown("# x")));
    }

    #[test]
    fn markdown_highlighting_keeps_the_text() {
        let pieces = [
            "# ", "#", "> ", "- ", "1. ", "12) ", "`", "``", "**", "__", "*", "](", ")", "[",
            "<!--", "-->", "```", "~~~", "---", "\n", " ", "é", "🚀", "<b>", "&", "\"", "x",
        ];
        // Every sequence of three pieces, and some longer ones.
        let mut samples = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    samples.push(format!("{a}{b}{c}"));
                }
            }
        }
        samples.push("> > **a `b` c** [d](e) <!-- f\n```\n~~~\n```\n".into());
        for sample in samples {
            assert_eq!(text_of(&markdown(&sample)), sample, "{sample:?}");
        }
    }

    #[test]
    fn every_code_colour_passes_aa_on_its_background() {
        let css = css();
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .unwrap();
        let light = light.split_once(":root[data-theme=\"light\"]").unwrap().0;
        let colours = |part: &str| -> Vec<[u8; 3]> {
            part.match_indices("color: #")
                .filter(|(i, _)| !part[..*i].ends_with('-'))
                .filter_map(|(i, _)| parse_rgb(part.get(i + 8..i + 14)?))
                .collect()
        };
        assert!(colours(light).len() > 20 && colours(dark).len() > 20);
        for (part, background) in [(light, CODE_BG_LIGHT), (dark, CODE_BG_DARK)] {
            for colour in colours(part) {
                let ratio = contrast(colour, background);
                assert!(ratio >= AA, "{colour:?} on {background:?}: {ratio:.2}");
            }
        }
        // Each selector of a list is scoped: the dark theme's
        // `.hl-storage, .hl-meta.hl-mapping.hl-key .hl-string` coloured JSON
        // keys One Half Dark's purple in light mode.
        for line in css
            .lines()
            .filter(|l| l.contains(".hl-") && l.ends_with('{'))
        {
            for selector in line.trim_end_matches('{').split(',') {
                assert!(selector.trim().starts_with(":root"), "unscoped: {line}");
            }
        }
        // Backgrounds are left as the theme has them.
        assert!(light.contains("background-color: #ffffff"), "{light}");
        // GitHub's YAML key green (#63a35c) was 2.75:1 on the light background.
        assert!(contrast([0x63, 0xa3, 0x5c], CODE_BG_LIGHT) < AA);
    }

    #[test]
    fn the_code_backgrounds_are_the_themes() {
        let theme = include_str!("../themes/default/static/assets/almanac.css");
        for bg in [CODE_BG_LIGHT, CODE_BG_DARK] {
            let hex = format!("--code-bg: #{:02x}{:02x}{:02x};", bg[0], bg[1], bg[2]);
            assert!(theme.contains(&hex), "{hex} in almanac.css");
        }
        assert_eq!(parse_rgb("12345é"), None);
        assert_eq!(parse_rgb("0a3069"), Some([0x0a, 0x30, 0x69]));
    }

    #[test]
    fn a_readable_colour_is_kept_and_a_faint_one_darkened() {
        assert_eq!(
            readable_on([0x0a, 0x30, 0x69], CODE_BG_LIGHT),
            [0x0a, 0x30, 0x69]
        );
        let green = readable_on([0x63, 0xa3, 0x5c], CODE_BG_LIGHT);
        assert!(contrast(green, CODE_BG_LIGHT) >= AA);
        assert!(
            green[1] > green[0] && green[1] > green[2],
            "still green: {green:?}"
        );
        let grey = readable_on([0x5c, 0x63, 0x70], CODE_BG_DARK);
        assert!(contrast(grey, CODE_BG_DARK) >= AA && grey[0] > 0x5c);
    }

    #[test]
    fn css_covers_light_and_dark() {
        let css = css();
        assert!(
            css.contains("@media (prefers-color-scheme: light)"),
            "light by preference"
        );
        assert!(
            css.contains(":root[data-theme=\"light\"] .hl-"),
            "light by toggle"
        );
        // No rule of one palette applies under the other.
        for line in css
            .lines()
            .filter(|l| l.contains(".hl-") && l.ends_with('{'))
        {
            assert!(!line.starts_with(":root .hl-"), "in both palettes: {line}");
        }
        assert!(
            css.contains("@media (prefers-color-scheme: dark)"),
            "dark by preference"
        );
        assert!(
            css.contains(":root[data-theme=\"dark\"] .hl-"),
            "dark by toggle"
        );
    }
}
