//! Names the site publishes: file and folder names of the content, which
//! become URLs, and heading ids written as `{#id}`, which become attributes
//! and `#fragments`.

use super::{Finding, Kind, Severity};
use crate::load::guides::Guide;
use crate::markdown::Rendered;

/// Characters a file name may hold on Linux but not on Windows, whose
/// checkouts and web hosts (IIS, Azure) cannot store such a page.
const NOT_PORTABLE: &[char] = &['\\', ':', '*', '?', '"', '<', '>', '|'];

/// The first character of `name` that a web host may not store, if any:
/// a control character (a newline, a tab) or one of `NOT_PORTABLE`.
pub fn unportable_char(name: &str) -> Option<char> {
    name.chars()
        .find(|&c| c.is_control() || NOT_PORTABLE.contains(&c))
}

/// A finding for each content file whose name, or a folder's name on its
/// path, cannot be served everywhere (a warning: almanac writes it and
/// percent-encodes every link to it), and for each file left out because
/// its name is not UTF-8 (an error: it has no page). `prefix` is the
/// content folder, root-relative.
pub fn file_names(
    prefix: &str,
    guides: &[Guide],
    assets: &[String],
    unnamed: &[String],
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let paths = guides
        .iter()
        .map(|g| (g.path.as_str(), g.file.clone()))
        .chain(assets.iter().map(|a| {
            let file = match prefix {
                "" => a.clone(),
                _ => format!("{prefix}/{a}"),
            };
            (a.as_str(), file)
        }));
    for (rel, file) in paths {
        let Some((name, c)) = rel
            .split('/')
            .find_map(|name| Some((name, unportable_char(name)?)))
        else {
            continue;
        };
        let what = if rel.ends_with(name) {
            "file"
        } else {
            "folder"
        };
        findings.push(finding(
            Severity::Warning,
            file,
            name,
            format!(
                "the {what} name `{}` holds {}, which Windows checkouts and some web hosts cannot store",
                name.escape_debug(),
                shown(c)
            ),
        ));
    }
    for path in unnamed {
        findings.push(finding(
            Severity::Error,
            path.clone(),
            "",
            "the name is not UTF-8, so the file has no URL and is left out of the site".into(),
        ));
    }
    findings
}

fn finding(severity: Severity, file: String, target: &str, message: String) -> Finding {
    Finding::new(Kind::UnservableName, file, 1, 1, target, message)
        .severity(severity)
        .hint("rename it with letters, digits, `-`, `_` and `.`".to_string())
}

/// `c` as a message names it.
fn shown(c: char) -> String {
    match c {
        '\n' => "a line break".into(),
        '\t' => "a tab".into(),
        c if c.is_control() => format!("the control character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}

/// A warning for each `{#id}` of `guide` that was not safe as written: the
/// page uses its slug instead, so links to the id as written are broken.
pub fn heading_ids(guide: &Guide, page: &Rendered) -> Vec<Finding> {
    page.unsafe_ids
        .iter()
        .map(|u| {
            let message = format!(
                "the heading id `{}` holds characters unsafe in an HTML attribute or a URL; the page uses `#{}`",
                u.written, u.id
            );
            let target = format!("{{#{}}}", u.written);
            Finding::new(Kind::UnsafeHeadingId, &guide.file, u.line, u.column, target, message)
                .hint("write ids with letters, digits, `-`, `_`, `.` and `:` only".to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::unportable_char;

    #[test]
    fn names_hosts_cannot_store() {
        for name in ["hotfix-guide.md", "a#b.md", "e%20f.md", "über.md", "a b.md"] {
            assert_eq!(unportable_char(name), None, "{name}");
        }
        for (name, c) in [
            ("javascript:alert(document.domain).md", ':'),
            ("c?d.md", '?'),
            ("new\nline.md", '\n'),
            ("a\\b.md", '\\'),
            ("x|y.md", '|'),
        ] {
            assert_eq!(unportable_char(name), Some(c), "{name:?}");
        }
    }
}
