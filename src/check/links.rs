//! Relative links, images and `#fragments` against the pages and anchors the
//! renderer produced.

use ahash::{AHashMap as HashMap, AHashSet as HashSet};
use std::sync::Mutex;

use rayon::prelude::*;

use super::{Finding, Kind, Names, Severity, did_you_mean, list_dir};
use crate::index::{SiteIndex, Target, Withheld};
use crate::load::guides::{Guide, file_name, parent};
use crate::markdown::Rendered;

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
        let mut findings = Vec::new();
        for link in &page.links {
            let finding =
                |kind: Kind, message: String, hint: Option<String>, resolved: &str| Finding {
                    kind,
                    severity: Severity::Error,
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
                let hint = did_you_mean(fragment, anchors[target_page].iter().copied())
                    .map(|id| format!("did you mean `#{id}`?"));
                let file = &guides[target_page].file;
                let whose = if target_page == g {
                    "this page".to_string()
                } else {
                    format!("`{file}`")
                };
                Some(finding(
                    Kind::BrokenAnchor,
                    format!("no heading or anchor `#{fragment}` in {whose}"),
                    hint,
                    file,
                ))
            };
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
                    findings.push(finding(Kind::PrivateFile, message, hint, path));
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
