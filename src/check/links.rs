//! Relative links, images and `#fragments` against the pages and anchors the
//! renderer produced.

use ahash::{AHashMap as HashMap, AHashSet as HashSet};
use std::sync::Mutex;

use rayon::prelude::*;

use super::{Finding, Kind, Names, Severity, did_you_mean, list_dir};
use crate::index::{SiteIndex, Target, Withheld};
use crate::load::guides::{Guide, file_name, parent};
use crate::markdown::{LinkKind, Rendered};

/// Findings for every guide's links, in guide order; guides in parallel.
pub fn check(guides: &[Guide], rendered: &[Rendered], index: &SiteIndex) -> Vec<Finding> {
    let anchors: Vec<HashSet<&str>> = rendered
        .par_iter()
        .map(|r| r.anchors.iter().map(String::as_str).collect())
        .collect();
    let site = Pages {
        guides,
        rendered,
        anchors: &anchors,
        index,
        judge_references: !["mkdocs.yml", "mkdocs.yaml"]
            .iter()
            .any(|name| index.root().join(name).is_file()),
        dir_listings: Mutex::default(),
    };
    let per_guide: Vec<Vec<Finding>> = (0..guides.len())
        .into_par_iter()
        .map(|g| site.findings(g))
        .collect();
    per_guide.into_iter().flatten().collect()
}

/// What checking one guide's links looks at.
struct Pages<'a> {
    guides: &'a [Guide],
    rendered: &'a [Rendered],
    anchors: &'a [HashSet<&'a str>],
    index: &'a SiteIndex,
    /// Whether reference links with no definition are reported: not in an
    /// MkDocs project, whose plugins (autorefs, snippets' `auto_append`,
    /// hooks) may define labels when the site is built.
    judge_references: bool,
    /// Folder listings for "did you mean" hints, read once per folder.
    dir_listings: Mutex<HashMap<String, std::sync::Arc<Names>>>,
}

impl Pages<'_> {
    /// The findings for guide number `g`'s links.
    fn findings(&self, g: usize) -> Vec<Finding> {
        let Pages {
            guides,
            anchors,
            index,
            dir_listings,
            ..
        } = self;
        let (guide, page) = (&guides[g], &self.rendered[g]);
        let mut findings: Vec<Finding> = page
            .broken_references
            .iter()
            .filter(|r| {
                self.judge_references && meant_as_link(&guide.text, r.span.clone(), &r.label)
            })
            .map(|r| Finding {
                kind: Kind::BrokenReference,
                severity: Kind::BrokenReference.default_severity(),
                file: guide.file.clone(),
                line: r.line,
                column: r.column,
                target: r.label.clone(),
                message: format!(
                    "no definition of the reference `[{}]`: the link shows as literal brackets",
                    r.label
                ),
                hint: Some(format!(
                    "add a line `[{}]: <url>` to the page, or write the link inline",
                    r.label
                )),
                resolved: None,
            })
            .collect();
        for link in &page.links {
            let finding =
                |kind: Kind, message: String, hint: Option<String>, resolved: &str| Finding {
                    kind,
                    severity: kind.default_severity(),
                    file: guide.file.clone(),
                    line: link.line,
                    column: link.column,
                    target: link.target.clone(),
                    message,
                    hint,
                    resolved: Some(resolved.to_string()),
                };
            let missing_anchor = |target_page: usize, fragment: &str| {
                if fragment.is_empty() || anchors[target_page].contains(fragment) {
                    return None;
                }
                let file = &guides[target_page].file;
                let whose = if target_page == g {
                    "this page".to_string()
                } else {
                    format!("`{file}`")
                };
                if let Some(id) = same_but_case(fragment, &anchors[target_page]) {
                    return Some(finding(
                        Kind::AnchorCase,
                        format!(
                            "`#{fragment}` matches the heading `#{id}` in {whose} only when letter case is ignored"
                        ),
                        Some(format!(
                            "write `#{id}`: GitHub ignores the case of a fragment, but browsers on other hosts (and almanac's site) do not"
                        )),
                        file,
                    ));
                }
                let hint = did_you_mean(fragment, anchors[target_page].iter().copied())
                    .map(|id| format!("did you mean `#{id}`?"));
                Some(finding(
                    Kind::BrokenAnchor,
                    format!("no heading or anchor `#{fragment}` in {whose}"),
                    hint,
                    file,
                ))
            };
            // (mdBook's `SUMMARY.md` lists draft chapters as `[Title]()`.)
            if link.target.trim().is_empty()
                && matches!(link.kind, LinkKind::Link | LinkKind::Image)
                && file_name(&guide.path) != "SUMMARY.md"
            {
                let what = if link.kind.is_image() {
                    "image"
                } else {
                    "link"
                };
                findings.push(finding(
                    Kind::EmptyLink,
                    format!("the {what} has an empty target: it leads back to this page"),
                    Some("fill in the target between the parentheses, or remove the link".into()),
                    &guide.file,
                ));
                continue;
            }
            let resolved = match &link.resolved {
                Some(target) => std::borrow::Cow::Borrowed(target),
                None => std::borrow::Cow::Owned(index.resolve(&guide.path, &link.target)),
            };
            match resolved.as_ref() {
                Target::SamePage { fragment: Some(f) } => findings.extend(missing_anchor(g, f)),
                Target::Page {
                    page,
                    fragment: Some(f),
                } => findings.extend(missing_anchor(*page, f)),
                Target::Section {
                    dir,
                    fragment: Some(f),
                } if !f.is_empty() => findings.push(finding(
                    Kind::BrokenAnchor,
                    format!("no anchor `#{f}`: `{dir}/` has no index page, only a generated list"),
                    None,
                    dir,
                )),
                Target::Missing { path, .. } => {
                    let kind = if link.kind.is_image() {
                        Kind::BrokenImage
                    } else {
                        Kind::BrokenLink
                    };
                    let name = file_name(path.trim_end_matches('/'));
                    let siblings = dir_listings
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .entry(parent(path).to_string())
                        .or_insert_with_key(|dir| {
                            std::sync::Arc::new(Names::new(list_dir(&index.root().join(dir))))
                        })
                        .clone();
                    let hint = siblings
                        .closest(name)
                        .map(|n| format!("did you mean `{n}`?"));
                    findings.push(finding(
                        kind,
                        format!("`{path}` does not exist"),
                        hint,
                        path,
                    ));
                }
                Target::Withheld { path, why } => {
                    let (message, hint) = withheld_message(path, *why);
                    let mut f = finding(Kind::PrivateFile, message, hint, path);
                    // A dotfile (`.github/…`) or an untracked file is a fine
                    // link on the forge; only the site leaves it out.
                    if matches!(why, Withheld::Hidden | Withheld::Untracked) {
                        f.severity = Severity::Warning;
                    }
                    findings.push(f);
                }
                Target::OutsideRoot => findings.push(finding(
                    Kind::BrokenLink,
                    "the link leaves the project root".to_string(),
                    None,
                    "",
                )),
                _ => {}
            }
        }
        findings
    }
}

/// The anchor of `anchors` that `fragment` names when letter case is
/// ignored, as GitHub matches fragments, if there is exactly one.
fn same_but_case<'a>(fragment: &str, anchors: &HashSet<&'a str>) -> Option<&'a str> {
    let wanted = fragment.to_lowercase();
    let mut matching = anchors.iter().filter(|id| id.to_lowercase() == wanted);
    let id = matching.next()?;
    matching.next().is_none().then_some(*id)
}

/// Whether the reference link `[text][label]` (or `[label][]`) at `span` of
/// `text` reads as a link its author meant, rather than brackets in prose
/// or code that happen to pair up: not glued to a word or to other
/// brackets (`map[string][]string`, `a[i][j]`, `[[x][y] z](url)`, tag
/// chains `[Volume][NFS] [Flaky]`), not a tag (`[sig-storage][Slow]`,
/// `[Driver: local][LocalVolumeType: dir]`), not a release note's prefix
/// tags (`- [kubeadm][structured authz] fixed …`).
pub fn meant_as_link(text: &str, span: std::ops::Range<usize>, label: &str) -> bool {
    let (Some(before), Some(after)) = (text.get(..span.start), text.get(span.end..)) else {
        return false;
    };
    let line_before = &before[before.rfind('\n').map_or(0, |at| at + 1)..];
    let line_after = &after[..after.find('\n').unwrap_or(after.len())];
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '[' | ']'));
    if glued(line_before.chars().next_back())
        || line_before.trim_end().ends_with(']')
        || glued(line_after.chars().next())
        || line_after.starts_with('(')
        || line_after.trim_start().starts_with('[')
    {
        return false;
    }
    if label.starts_with(char::is_uppercase) || label.contains(": ") {
        return false;
    }
    let link_text = text[span.start + 1..].split("][").next().unwrap_or("");
    let lead = line_before
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['-', '*', '+', '.', ')'])
        .trim_start();
    let prefix_tags = lead.is_empty() && !line_after.trim().is_empty() && !link_text.contains(' ');
    !prefix_tags
}

/// What to say about a link to a repository file that is not published.
fn withheld_message(path: &str, why: Withheld) -> (String, Option<String>) {
    let forge = "set `repo_url` in almanac.yaml to link to the file in the repository instead";
    match why {
        Withheld::Git => (
            format!("`{path}` is inside `.git/`, which is never published or linked"),
            None,
        ),
        Withheld::Hidden => (
            format!(
                "`{path}` is a hidden file (a name starting with `.`), which is never published"
            ),
            Some(forge.to_string()),
        ),
        Withheld::Outside => (
            format!(
                "`{path}` is a symbolic link that leads out of the repository; it is not published"
            ),
            None,
        ),
        Withheld::NotAFile => (
            format!("`{path}` is not a regular file; it is not published"),
            None,
        ),
        Withheld::Untracked => (
            format!("`{path}` is not tracked by git; only tracked files are published"),
            Some(format!("commit it (`git add {path}`), or {forge}")),
        ),
    }
}
