//! Findings for people (rustc-like), for machines (JSON), for GitHub Actions
//! (workflow commands), for code-scanning tools (SARIF 2.1.0), for test
//! reports (JUnit XML: Jenkins, GitLab) and for GitLab Code Quality.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::json;

use super::{Finding, Kind, Severity};
use crate::error::LineIndex;

/// The forms `almanac check` writes its findings in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
    /// JUnit XML: a test case per page checked, a failure per error.
    Junit,
    /// GitLab Code Quality (Code Climate's JSON issues).
    Codeclimate,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub pages: usize,
    pub links: usize,
    pub commands: usize,
    pub errors: usize,
    pub warnings: usize,
    /// The root-relative files checked (every page), for the formats that
    /// list what passed too (JUnit).
    #[serde(skip)]
    pub checked: Vec<String>,
}

pub fn render(
    format: Format,
    findings: &[Finding],
    summary: &Summary,
    sources: &HashMap<String, String>,
    color: bool,
) -> String {
    match format {
        Format::Human => human(findings, summary, sources, color),
        Format::Json => json(findings, summary),
        Format::Github => github(findings, summary),
        Format::Sarif => sarif(findings),
        Format::Junit => junit(findings, summary),
        Format::Codeclimate => codeclimate(findings),
    }
}

/// `render`, written to `out` as it is made: the human and JSON reports
/// are never whole in memory (on 10,000 pages they weigh about 10 MB).
pub fn write(
    format: Format,
    findings: &[Finding],
    summary: &Summary,
    sources: &HashMap<String, String>,
    color: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => human_to(
            findings,
            summary,
            &mut SourceLines::new(sources),
            renderer(color),
            out,
        ),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json_doc(findings, summary))?;
            out.write_all(b"\n")
        }
        _ => out.write_all(render(format, findings, summary, sources, color).as_bytes()),
    }
}

fn renderer(color: bool) -> annotate_snippets::Renderer {
    use annotate_snippets::Renderer;
    if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
}

fn human(
    findings: &[Finding],
    summary: &Summary,
    sources: &HashMap<String, String>,
    color: bool,
) -> String {
    human_with(
        findings,
        summary,
        &mut SourceLines::new(sources),
        renderer(color),
    )
}

/// Lines of the files with findings, each file's line starts listed once
/// for its findings in a row (the findings are sorted by file): a page
/// with thousands of findings is not rescanned for each, and only the
/// current file's line starts are held.
struct SourceLines<'a> {
    sources: &'a HashMap<String, String>,
    index: Option<(&'a str, LineIndex<'a>)>,
    /// Work of the indexes let go (tests only).
    #[cfg(test)]
    done: usize,
}

/// Lines longer than this are not shown under a finding (only its position):
/// showing a megabyte-long line once per link on it would make the output,
/// and the time, grow with the square of the line.
const SHOWN_LINE_MAX: usize = 1000;

impl<'a> SourceLines<'a> {
    fn new(sources: &'a HashMap<String, String>) -> Self {
        SourceLines {
            sources,
            index: None,
            #[cfg(test)]
            done: 0,
        }
    }

    /// 1-based `line` of `file`, if it is short enough to show.
    fn line(&mut self, file: &str, line: usize) -> Option<&'a str> {
        let (name, text) = self.sources.get_key_value(file)?;
        if self.index.as_ref().is_none_or(|(held, _)| *held != name) {
            #[cfg(test)]
            {
                self.done += self.index.as_ref().map_or(0, |(_, i)| i.work());
            }
            self.index = Some((name.as_str(), LineIndex::new(text)));
        }
        let (_, index) = self.index.as_ref()?;
        index.line_text(line).filter(|l| l.len() <= SHOWN_LINE_MAX)
    }

    #[cfg(test)]
    fn work(&self) -> usize {
        self.done + self.index.as_ref().map_or(0, |(_, i)| i.work())
    }
}

fn human_with(
    findings: &[Finding],
    summary: &Summary,
    lines: &mut SourceLines,
    renderer: annotate_snippets::Renderer,
) -> String {
    let mut out = Vec::new();
    // Writing to memory does not fail.
    let _ = human_to(findings, summary, lines, renderer, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

fn human_to(
    findings: &[Finding],
    summary: &Summary,
    lines: &mut SourceLines,
    renderer: annotate_snippets::Renderer,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use annotate_snippets::{AnnotationKind, Group, Level, Snippet};
    for f in findings {
        let level = match f.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.clone().primary_title(&f.message).id(f.kind.as_str());
        let line_text = lines.line(&f.file, f.line);
        let mut report = match line_text {
            Some(line) => {
                let mut start = line
                    .char_indices()
                    .nth(f.column - 1)
                    .map_or(line.len(), |(i, _)| i);
                // Underline the target (a link's destination, a flag) where the line shows it.
                let len = match line[start..]
                    .find(f.target.as_str())
                    .filter(|_| !f.target.is_empty())
                {
                    Some(at) => {
                        start += at;
                        f.target.len()
                    }
                    None => line[start..].chars().next().map_or(0, char::len_utf8),
                };
                let snippet = Snippet::source(line)
                    .line_start(f.line)
                    .path(&f.file)
                    .annotation(AnnotationKind::Primary.span(start..start + len));
                vec![title.element(snippet)]
            }
            None => vec![
                title.element(
                    annotate_snippets::Origin::path(&f.file)
                        .line(f.line)
                        .char_column(f.column),
                ),
            ],
        };
        if let Some(hint) = &f.hint {
            report.push(Group::with_title(Level::HELP.secondary_title(hint)));
        }
        out.write_all(renderer.render(&report).as_bytes())?;
        out.write_all(b"\n\n")?;
    }
    let checked = format!(
        "{} pages, {} links, {} commands checked",
        summary.pages, summary.links, summary.commands
    );
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if summary.errors + summary.warnings == 0 {
        writeln!(out, "ok: {checked}, no problems found")
    } else {
        writeln!(
            out,
            "{}: {}, {} ({checked})",
            if summary.errors > 0 { "failed" } else { "ok" },
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
        )
    }
}

fn json(findings: &[Finding], summary: &Summary) -> String {
    let mut out = serde_json::to_string_pretty(&json_doc(findings, summary)).unwrap_or_default();
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    findings: Vec<AsValue<'a, Finding>>,
    summary: AsValue<'a, Summary>,
}

fn json_doc<'a>(findings: &'a [Finding], summary: &'a Summary) -> JsonDoc<'a> {
    JsonDoc {
        findings: findings.iter().map(AsValue).collect(),
        summary: AsValue(summary),
    }
}

/// Serialized as its `serde_json::Value` (keys sorted), made as it is
/// written: the JSON of `json!` without a tree of every finding at once.
struct AsValue<'a, T>(&'a T);

impl<T: Serialize> Serialize for AsValue<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        serde_json::to_value(self.0)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

/// Workflow commands: GitHub shows them as annotations on the pull request.
fn github(findings: &[Finding], summary: &Summary) -> String {
    let escape_data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let escape_prop = |s: &str| escape_data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for f in findings {
        let message = match &f.hint {
            Some(hint) => format!("{} ({hint})", f.message),
            None => f.message.clone(),
        };
        out.push_str(&format!(
            "::{} file={},line={},col={},title={}::{}\n",
            f.severity.as_str(),
            escape_prop(&f.file),
            f.line,
            f.column,
            escape_prop(&format!("almanac {}", f.kind.as_str())),
            escape_data(&message)
        ));
    }
    out.push_str(&format!(
        "almanac check: {} errors, {} warnings ({} pages, {} links, {} commands)\n",
        summary.errors, summary.warnings, summary.pages, summary.links, summary.commands
    ));
    out
}

fn sarif(findings: &[Finding]) -> String {
    let rules: Vec<_> = Kind::ALL
        .iter()
        .map(|k| {
            json!({
                "id": k.as_str(),
                "shortDescription": { "text": k.description() },
                "defaultConfiguration": { "level": k.default_severity().as_str() },
            })
        })
        .collect();
    let results: Vec<_> = findings
        .iter()
        .map(|f| {
            let text = match &f.hint {
                Some(hint) => format!("{} ({hint})", f.message),
                None => f.message.clone(),
            };
            json!({
                "ruleId": f.kind.as_str(),
                "ruleIndex": Kind::ALL.iter().position(|k| *k == f.kind),
                "level": f.severity.as_str(),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": crate::index::percent_encode_path(&f.file),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": { "startLine": f.line, "startColumn": f.column },
                    }
                }],
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "almanac",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/almanac-ssg/almanac",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// A finding's text with its hint, for the formats with one message field.
fn with_hint(f: &Finding) -> String {
    match &f.hint {
        Some(hint) => format!("{} ({hint})", f.message),
        None => f.message.clone(),
    }
}

/// JUnit XML as lychee and other linters write it: one suite, one test case
/// per file checked (every page, and any other file with findings), a
/// `<failure>` per error finding. Warnings do not fail a test case: they are
/// listed in its `<system-out>`. Shaped after Jenkins' junit-10.xsd, which
/// GitLab's parser also reads.
fn junit(findings: &[Finding], summary: &Summary) -> String {
    let mut files: Vec<&str> = summary.checked.iter().map(String::as_str).collect();
    files.extend(findings.iter().map(|f| f.file.as_str()));
    files.sort_unstable();
    files.dedup();
    let mut by_file: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in findings {
        by_file.entry(f.file.as_str()).or_default().push(f);
    }
    let failed = files
        .iter()
        .filter(|file| {
            by_file
                .get(*file)
                .is_some_and(|fs| fs.iter().any(|f| f.severity == Severity::Error))
        })
        .count();
    let mut cases = String::new();
    for file in &files {
        let found = by_file.get(file).map_or(&[][..], Vec::as_slice);
        let name = xml_escape(file);
        cases.push_str(&format!(
            "    <testcase name=\"{name}\" classname=\"almanac.check\" time=\"0\""
        ));
        if found.is_empty() {
            cases.push_str("/>\n");
            continue;
        }
        cases.push_str(">\n");
        for f in found.iter().filter(|f| f.severity == Severity::Error) {
            cases.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                f.kind.as_str(),
                xml_escape(&f.message),
                xml_escape(&junit_line(f)),
            ));
        }
        let warnings: Vec<String> = found
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .map(|f| junit_line(f))
            .collect();
        if !warnings.is_empty() {
            cases.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                xml_escape(&warnings.join("\n"))
            ));
        }
        cases.push_str("    </testcase>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"almanac check\" tests=\"{n}\" failures=\"{failed}\" errors=\"0\">\n  \
         <testsuite name=\"almanac check\" tests=\"{n}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\" time=\"0\">\n\
         {cases}  </testsuite>\n</testsuites>\n",
        n = files.len(),
    )
}

/// `warning[stale-page] content/x.md:3:1: message (hint)`: a finding on one line.
fn junit_line(f: &Finding) -> String {
    format!(
        "{}[{}] {}:{}:{}: {}",
        f.severity.as_str(),
        f.kind.as_str(),
        f.file,
        f.line,
        f.column,
        with_hint(f)
    )
}

/// Text and attribute values for XML. Characters XML 1.0 cannot hold at all
/// (most control characters) become U+FFFD rather than an invalid document.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push_str(&format!("&#{};", c as u32)),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// GitLab Code Quality: Code Climate's issue fields that GitLab reads. The
/// fingerprint is a hash of the kind, the file, the target and the message
/// (not the line), so an issue keeps its identity when lines above it move
/// and GitLab can tell new issues from old ones; the same problem twice in
/// one file gets a `#2` in its hash.
fn codeclimate(findings: &[Finding]) -> String {
    let mut seen: HashMap<(Kind, &str, &str, &str), usize> = HashMap::new();
    let issues: Vec<_> = findings
        .iter()
        .map(|f| {
            let n = seen
                .entry((f.kind, &f.file, &f.target, &f.message))
                .or_insert(0);
            *n += 1;
            json!({
                "type": "issue",
                "check_name": f.kind.as_str(),
                "description": with_hint(f),
                "categories": ["Bug Risk"],
                "severity": match f.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                "fingerprint": fingerprint(f, *n),
                "location": {
                    "path": f.file,
                    "lines": { "begin": f.line },
                },
            })
        })
        .collect();
    serde_json::to_string_pretty(&issues).unwrap_or_default() + "\n"
}

/// A stable hex digest of what a finding is about (its `nth` occurrence):
/// FNV-1a over 128 bits, the same on every run, platform and Rust version.
fn fingerprint(f: &Finding, nth: usize) -> String {
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013B;
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    let fields = [
        f.kind.as_str(),
        f.file.as_str(),
        f.target.as_str(),
        f.message.as_str(),
        &nth.to_string(),
    ];
    for field in fields {
        // A separator no field holds, so ("ab", "c") and ("a", "bc") differ.
        for byte in field.bytes().chain([0xff]) {
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broken(file: &str, line: usize, column: usize, target: &str) -> Finding {
        Finding::new(
            Kind::BrokenLink,
            file,
            line,
            column,
            target,
            format!("`{target}` does not exist"),
        )
    }

    /// The human format's work and output for `n` broken links, one a line
    /// or all on one line (issue 15: both grew with the square of `n`).
    fn human_cost(n: usize, one_line: bool) -> (usize, usize) {
        let mut text = String::new();
        let mut findings = Vec::new();
        for i in 0..n {
            let target = format!("missing-{i}.md");
            let (line, column) = if one_line {
                (1, text.chars().count() + 8)
            } else {
                (i + 1, 8)
            };
            text.push_str(&format!("[gone]({target})"));
            text.push(if one_line { ' ' } else { '\n' });
            findings.push(broken("page.md", line, column, &target));
        }
        let sources = HashMap::from([("page.md".to_string(), text)]);
        let mut lines = SourceLines::new(&sources);
        let summary = Summary::default();
        let out = human_with(
            &findings,
            &summary,
            &mut lines,
            annotate_snippets::Renderer::plain(),
        );
        (lines.work(), out.len())
    }

    #[test]
    fn many_findings_in_one_file_cost_linear_work() {
        for one_line in [false, true] {
            let (work, out) = human_cost(2_000, one_line);
            let (work2, out2) = human_cost(4_000, one_line);
            assert!(
                work2 <= work * 21 / 10,
                "one_line={one_line}: work {work} → {work2} for twice the findings"
            );
            assert!(
                out2 <= out * 21 / 10,
                "one_line={one_line}: output {out} → {out2} bytes for twice the findings"
            );
        }
    }

    #[test]
    fn a_short_line_is_shown_under_its_finding() {
        let sources = HashMap::from([(
            "page.md".to_string(),
            "intro\nsee [x](gone.md)\n".to_string(),
        )]);
        let findings = [broken("page.md", 2, 10, "gone.md")];
        let out = human(&findings, &Summary::default(), &sources, false);
        assert!(out.contains("see [x](gone.md)"), "{out}");
        assert!(out.contains("page.md:2:10"), "{out}");
    }
}
