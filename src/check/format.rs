//! Findings for people (rustc-like), for machines (JSON), for GitHub Actions
//! (workflow commands) and for code-scanning tools (SARIF 2.1.0).

use std::collections::HashMap;

use serde::Serialize;
use serde_json::json;

use super::{Finding, Kind, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub pages: usize,
    pub links: usize,
    pub commands: usize,
    pub errors: usize,
    pub warnings: usize,
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
    }
}

fn human(
    findings: &[Finding],
    summary: &Summary,
    sources: &HashMap<String, String>,
    color: bool,
) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for f in findings {
        let level = match f.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.clone().primary_title(&f.message).id(f.kind.as_str());
        let line_text = sources
            .get(&f.file)
            .and_then(|text| text.lines().nth(f.line.saturating_sub(1)));
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
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    let checked = format!(
        "{} pages, {} links, {} commands checked",
        summary.pages, summary.links, summary.commands
    );
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if summary.errors + summary.warnings == 0 {
        out.push_str(&format!("ok: {checked}, no problems found\n"));
    } else {
        out.push_str(&format!(
            "{}: {}, {} ({checked})\n",
            if summary.errors > 0 { "failed" } else { "ok" },
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
        ));
    }
    out
}

fn json(findings: &[Finding], summary: &Summary) -> String {
    let doc = json!({ "findings": findings, "summary": summary });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
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
