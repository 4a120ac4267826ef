//! `almanac check`: findings about the docs. A finding is data, never an
//! error; the exit code is decided from the findings' severities.

pub mod commands;
pub mod data;
pub mod external;
pub mod fix;
pub mod format;
pub mod ids;
pub mod links;
pub mod mkdocs;
pub mod names;
pub mod stream;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::config::Level;
use crate::error::{Error, Result};
pub use crate::finding::{Finding, Kind, Severity};
use crate::index::SiteIndex;
use crate::markdown::{self, Rendered};
use crate::project::{Load, Paths, Project};
use format::Summary;

#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// `--changed-since REV`.
    pub changed_since: Option<String>,
    pub external: bool,
    /// The date `review_by` is compared with.
    pub today: NaiveDate,
    /// `--at REV`: the repository the project was laid out from, apart, and
    /// REV. Release tags are read there, those after REV left out.
    pub at: Option<(std::path::PathBuf, String)>,
    /// Whether `--external` draws a progress bar.
    pub progress: external::Progress,
}

#[derive(Debug)]
pub struct CheckReport {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Texts of the files with findings, to show their lines.
    pub sources: HashMap<String, String>,
    /// What `--fix` rewrites (see `fix::plan`); empty unless `run` made the report.
    pub fixes: Vec<fix::FileFix>,
}

/// Checks the project's docs. `Err` only when almanac cannot do the check
/// (bad config, unreadable files, an unknown revision).
pub fn run(paths: &Paths, options: &CheckOptions) -> Result<CheckReport> {
    match options.external {
        // Guide by guide, holding no page text.
        false => stream::run(paths, options),
        // The external links of every page are checked together.
        true => run_held(paths, options),
    }
}

/// `run` on the guides' texts loaded whole and held: what `--external`
/// does, and the reference `stream::run` is tested against.
pub fn run_held(paths: &Paths, options: &CheckOptions) -> Result<CheckReport> {
    let project = Project::load(paths, true, Load::Lenient)?;
    let (history, index) = history_and_index(&project, options)?;
    let scanned = scan(&project);
    let mut report = check_project(&project, &index, &history, &scanned, options)?;
    let site = fix::Site {
        root: &project.root,
        guides: &project.guides,
        pages: &scanned.pages,
    };
    report.fixes = fix::plan(
        &site,
        &mut report.findings,
        options.changed_since.as_deref(),
    )?;
    report.sources = sources(project, &report.findings);
    Ok(report)
}

/// The release history `check` reads (tags up to `--at`'s revision) and
/// the index of what links may lead to.
fn history_and_index(
    project: &Project,
    options: &CheckOptions,
) -> Result<(crate::load::history::History, SiteIndex)> {
    // The pages generated from the data can be linked to, like guides: the
    // release tags decide which exist, their commits do not matter here.
    let calendar = project.calendar.as_ref().map(|(c, _)| c);
    let git_root = options.at.as_ref().map_or(&project.root, |(root, _)| root);
    let mut history = crate::load::history::read_some(
        git_root,
        calendar.map_or("v{version}", |c| c.tag_pattern.as_str()),
        &[],
        &|_, _| false,
    )?;
    if let Some((root, rev)) = &options.at {
        let until = crate::load::history::rev_date(root, rev)?;
        history.releases.retain(|r| r.date.date_naive() <= until);
    }
    let release_data = crate::releases::ReleaseData::new(
        calendar,
        project.metrics.as_ref(),
        &history.releases,
        options.today,
    );
    let index = SiteIndex::new(project)
        .with_generated(release_data.pages().into_iter().map(|p| p.url))
        .with_unknown_dirs(unknown_dirs(project));
    Ok((history, index))
}

/// Each guide's scan (`markdown::scan`), and its text once expanded when
/// includes changed it: what the check reads of the pages.
pub struct Scanned {
    pub pages: Vec<Rendered>,
    pub expanded: Vec<Option<String>>,
}

/// Scans every guide of `project`, whose texts must be whole.
pub fn scan(project: &Project) -> Scanned {
    let (pages, expanded) = project
        .guides
        .par_iter()
        .map(|g| {
            scan_expanded(
                (&project.root, &project.config.macro_vars),
                &g.file,
                &g.text,
                g.body_start,
            )
        })
        .unzip();
    Scanned { pages, expanded }
}

/// The check on a project already loaded and indexed: `run` after loading,
/// and a build's report pages (docs health) on what the build loaded. The
/// report's `sources` are left empty. `index` must know the generated pages.
pub fn check_project(
    project: &Project,
    index: &SiteIndex,
    history: &crate::load::history::History,
    scanned: &Scanned,
    options: &CheckOptions,
) -> Result<CheckReport> {
    let changes = match &options.changed_since {
        Some(rev) => Some(crate::load::history::changes_since(&project.root, rev)?),
        None => None,
    };
    let rendered = &scanned.pages;
    let findings = find(project, index, history, scanned, options)?;
    let counts = (
        rendered.iter().map(|r| r.links.len()).sum(),
        rendered.iter().map(|r| r.commands.len()).sum(),
    );
    let lines: Vec<Lines> = rendered
        .iter()
        .map(|r| (r.ignored_lines.as_slice(), r.expansion.as_deref()))
        .collect();
    finish(project, &lines, findings, counts, changes.as_ref())
}

/// A page's ignored lines (`<!-- almanac-ignore-next-line -->`) and
/// includes: what its findings are filtered and moved by.
type Lines<'a> = (&'a [usize], Option<&'a crate::expansion::Expansion>);

/// The findings the config and ignore comments keep, filtered by
/// `--changed-since`'s `changes`, in order; with the summary. `counts` are
/// the pages' links and commands.
fn finish(
    project: &Project,
    pages: &[Lines],
    mut findings: Vec<Finding>,
    (links, commands): (usize, usize),
    changes: Option<&crate::load::history::Changes>,
) -> Result<CheckReport> {
    let ignore_targets = globs(&project.config.check.ignore_targets, "check.ignore_targets")?;
    keep_wanted(&mut findings, project, pages, &ignore_targets)?;
    if let Some(changes) = changes {
        // Findings in what the change touched, and findings anywhere about
        // files it touched (a removed page, a renamed heading, a changed script).
        findings.retain(|f| {
            changes.changed.contains(&f.file)
                || f.resolved.as_deref().is_some_and(|r| changes.touches(r))
        });
    }
    findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.kind).cmp(&(&b.file, b.line, b.column, b.kind))
    });
    findings.dedup();

    let summary = Summary {
        pages: project.guides.len(),
        links,
        commands,
        errors: findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count(),
        warnings: findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count(),
        checked: project.guides.iter().map(|g| g.file.clone()).collect(),
    };
    Ok(CheckReport {
        findings,
        summary,
        sources: HashMap::new(),
        fixes: Vec::new(),
    })
}

/// Every finding, before the config and ignore comments have their say.
fn find(
    project: &Project,
    index: &SiteIndex,
    history: &crate::load::history::History,
    scanned: &Scanned,
    options: &CheckOptions,
) -> Result<Vec<Finding>> {
    let rendered = &scanned.pages;
    let mut findings: Vec<Finding> = project.problems.iter().map(data::from_problem).collect();
    // Findings about expanded texts (includes) are moved to the file and line
    // each came from.
    let relocate = |mut found: Vec<Finding>| {
        crate::include::relocate(&mut found, &project.guides, rendered);
        found
    };
    findings.extend(relocate(links::check(
        &project.guides,
        rendered,
        index,
        project.config.generator,
    )));
    for page in rendered {
        findings.extend(
            page.expansion
                .iter()
                .flat_map(|x| crate::include::findings(x)),
        );
    }
    findings.extend(names::file_names(
        index.content_prefix(),
        &project.guides,
        &project.assets,
        &project.unnamed,
    ));
    findings.extend(find_in_guides(project, scanned, options, &relocate)?);
    findings.extend(data::metrics_findings(project));
    if let Some((calendar, text)) = &project.calendar {
        findings.extend(data::plan_findings(
            project,
            calendar,
            text,
            options.today,
            history,
        ));
    }
    if options.external {
        let config = &project.config.check;
        let exclude = globs(
            &[
                config.ignore_targets.clone(),
                config.external.exclude.clone(),
            ]
            .concat(),
            "check.external.exclude",
        )?;
        findings.extend(relocate(external::check(
            &project.root,
            &project.guides,
            rendered,
            &config.external,
            &exclude,
            options.progress,
        )));
    }
    Ok(findings)
}

/// Each guide's documented commands, front matter, shortcodes and heading ids.
fn find_in_guides(
    project: &Project,
    scanned: &Scanned,
    options: &CheckOptions,
    relocate: &dyn Fn(Vec<Finding>) -> Vec<Finding>,
) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let mut repo = commands::Repo::new(&project.root);
    let kpi_ids: Vec<&str> = project
        .metrics
        .iter()
        .flat_map(|m| m.kpis.iter().map(|k| k.id.as_str()))
        .collect();
    let foreign = data::foreign_keys(&project.root, &project.site_root());
    let metrics_file = project.metrics_file();
    let pages = project.guides.iter().zip(&scanned.pages);
    for ((guide, page), expanded) in pages.zip(&scanned.expanded) {
        findings.extend(relocate(commands::check(&guide.file, page, &mut repo)?));
        findings.extend(data::check_guide(
            guide,
            &guide.text,
            guide.body_start,
            options.today,
            &foreign,
        ));
        let text = expanded.as_deref().unwrap_or(&guide.text);
        findings.extend(relocate(data::check_shortcodes(
            &guide.file,
            text,
            guide.body_start,
            &kpi_ids,
            &metrics_file,
        )));
        findings.extend(relocate(names::heading_ids(guide, page)));
    }
    Ok(findings)
}

/// Leaves out the findings on ignored lines (`<!-- almanac-ignore-next-line
/// -->`), in ignored files or about ignored targets, and those of kinds the
/// config turns off; gives the rest the config's severity.
fn keep_wanted(
    findings: &mut Vec<Finding>,
    project: &Project,
    pages: &[Lines],
    ignore_targets: &GlobSet,
) -> Result<()> {
    let config = &project.config.check;
    let ignored: HashSet<(&str, usize)> = project
        .guides
        .iter()
        .zip(pages)
        .flat_map(|(g, &(ignored_lines, expansion))| {
            ignored_lines
                .iter()
                .map(move |&l| match expansion.and_then(|x| x.locate(l)) {
                    Some(at) => at,
                    None => (g.file.as_str(), l),
                })
        })
        .collect();
    findings.retain(|f| !ignored.contains(&(f.file.as_str(), f.line)));

    let ignore_files = globs(&config.ignore_files, "check.ignore_files")?;
    findings.retain(|f| {
        !ignore_files.is_match(&f.file)
            && (f.target.is_empty() || !ignore_targets.is_match(&f.target))
    });
    findings.retain_mut(|f| match config.severity.get(&f.kind) {
        Some(Level::Off) => false,
        Some(Level::Error) => {
            f.severity = Severity::Error;
            true
        }
        Some(Level::Warning) => {
            f.severity = Severity::Warning;
            true
        }
        None => true,
    });
    Ok(())
}

/// The texts of files with findings, to show their lines (a guide loaded
/// without its text is read again): of each, only the lines findings are
/// on; the others are left empty, so the lines keep their numbers.
fn sources(project: Project, findings: &[Finding]) -> HashMap<String, String> {
    let mut lines: HashMap<&str, HashSet<usize>> = HashMap::new();
    for f in findings {
        lines.entry(f.file.as_str()).or_default().insert(f.line);
    }
    let root = &project.root;
    let held: HashMap<&str, &str> = project
        .guides
        .iter()
        .filter(|g| !g.partial && lines.contains_key(g.file.as_str()))
        .map(|g| (g.file.as_str(), g.text.as_str()))
        .collect();
    lines
        .into_par_iter()
        .filter_map(|(file, wanted)| {
            let text = match held.get(file) {
                Some(text) => only_lines(text, &wanted),
                None => only_lines(&std::fs::read_to_string(root.join(file)).ok()?, &wanted),
            };
            Some((file.to_string(), text))
        })
        .collect()
}

/// `text` with only its lines numbered in `wanted` (1-based) left, the
/// others emptied: every line keeps its number.
fn only_lines(text: &str, wanted: &HashSet<usize>) -> String {
    let mut kept = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            kept.push('\n');
        }
        if wanted.contains(&(i + 1)) {
            kept.push_str(line);
        }
    }
    kept
}

/// `markdown::scan` of a guide as the build renders it: other generators'
/// includes and shortcodes expanded first (the expanded text is returned
/// too, when there was anything to expand).
fn scan_expanded(
    (root, vars): (&std::path::Path, &crate::include::Vars),
    file: &str,
    text: &str,
    body_start: usize,
) -> (Rendered, Option<String>) {
    if !crate::include::needed(text, body_start, vars) {
        return (markdown::scan(text, body_start), None);
    }
    let (text, expansion) = crate::include::expand(root, file, text, body_start, vars);
    let mut page = markdown::scan(&text, body_start);
    page.expansion = Some(Box::new(expansion));
    (page, Some(text))
}

/// The folders of generated pages whose data file is there but invalid
/// (reported as a data-error): which pages they hold cannot be known.
fn unknown_dirs(project: &Project) -> Vec<String> {
    use crate::releases::{CALENDAR_DIR, METRICS_URL, REPORTS_DIR};
    let invalid = |name: &str| {
        ["yaml", "yml"]
            .iter()
            .any(|ext| project.data_dir.join(format!("{name}.{ext}")).is_file())
    };
    let mut dirs = Vec::new();
    if project.calendar.is_none() && invalid("calendar") {
        dirs.extend([CALENDAR_DIR.to_string(), REPORTS_DIR.to_string()]);
    }
    if project.metrics.is_none() && invalid("metrics") {
        dirs.extend(METRICS_URL.split('/').next().map(str::to_string));
    }
    dirs
}

fn globs(patterns: &[String], key: &str) -> Result<GlobSet> {
    let mut set = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| Error::Pattern {
            key: key.to_string(),
            pattern: Some(p.clone()),
            message: e.to_string(),
        })?;
        set.add(glob);
    }
    set.build().map_err(|e| Error::Pattern {
        key: key.to_string(),
        pattern: None,
        message: e.to_string(),
    })
}

/// The candidate closest to `wanted` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<(&str, Bag)> = candidates.into_iter().map(|c| (c, Bag::of(c))).collect();
    closest(wanted, candidates.iter().map(|(c, bag)| (*c, bag)))
}

/// How many names a hint lists at most.
pub const LISTED: usize = 10;

/// `names` (sorted) for a hint, joined by `, `: all of them when they are
/// few, else the `LISTED` nearest to `wanted` and how many more there are,
/// so a script with thousands of options does not make a line of megabytes.
pub fn listing(wanted: &str, names: &[String]) -> String {
    if names.len() <= LISTED {
        return names.join(", ");
    }
    // Measured on at most 64 characters of each name: a bound on the work
    // per name whatever the names are.
    let wanted: Vec<char> = wanted.chars().take(64).collect();
    let mut row = Vec::new();
    let mut ranked: Vec<(usize, &str)> = names
        .iter()
        .map(|n| {
            let head = &n[..n.char_indices().nth(64).map_or(n.len(), |(i, _)| i)];
            let d = levenshtein_within(&wanted, head, usize::MAX, &mut row).unwrap_or(usize::MAX);
            (d, n.as_str())
        })
        .collect();
    ranked.select_nth_unstable(LISTED - 1);
    ranked.truncate(LISTED);
    ranked.sort_unstable_by(|a, b| a.1.cmp(b.1));
    let shown: Vec<&str> = ranked.iter().map(|(_, n)| *n).collect();
    format!("{} and {} more", shown.join(", "), names.len() - LISTED)
}

/// Names to suggest from, measured once: a folder listing that many broken
/// links are checked against.
#[derive(Default)]
pub struct Names(Vec<(String, Bag)>);

impl Names {
    pub fn new(names: Vec<String>) -> Names {
        Names(
            names
                .into_iter()
                .map(|n| {
                    let bag = Bag::of(&n);
                    (n, bag)
                })
                .collect(),
        )
    }

    /// `did_you_mean` over these names.
    pub fn closest(&self, wanted: &str) -> Option<&str> {
        closest(wanted, self.0.iter().map(|(n, bag)| (n.as_str(), bag)))
    }
}

fn closest<'a, 'b>(
    wanted: &str,
    candidates: impl Iterator<Item = (&'a str, &'b Bag)>,
) -> Option<&'a str> {
    let wanted_bag = Bag::of(wanted);
    let wanted: Vec<char> = wanted.chars().collect();
    let mut limit = (wanted.len() / 3).max(2);
    // Character counts bound the edit distance from below (the length
    // difference, the bag distance) and rule most candidates out cheaply.
    // The rest are measured most promising first, so the best match is
    // found early and its distance rules out the others.
    let mut ranked: Vec<(usize, &str)> = candidates
        .filter_map(|(c, bag)| {
            let bound = bag
                .len
                .abs_diff(wanted.len())
                .max(bag.distance(&wanted_bag));
            (bound <= limit && !c.chars().eq(wanted.iter().copied())).then_some((bound, c))
        })
        .collect();
    ranked.sort_unstable();
    let mut row = Vec::new();
    let mut best: Option<(usize, &str)> = None;
    for (bound, c) in ranked {
        if bound > limit {
            break;
        }
        if let Some(d) = levenshtein_within(&wanted, c, limit, &mut row)
            && best.is_none_or(|b| (d, c) < b)
        {
            best = Some((d, c));
            limit = d;
        }
    }
    best.map(|(_, c)| c)
}

/// How many times each character occurs (letters, digits, `-`, `_` and `.`
/// each in a bin of their own, the rest in one), and how many characters
/// there are. Merging characters in a bin only lowers the bound below.
pub struct Bag {
    counts: [u16; 40],
    len: usize,
}

impl Bag {
    fn of(s: &str) -> Bag {
        let mut counts = [0u16; 40];
        let mut len = 0;
        for c in s.chars() {
            let bin = match c {
                'a'..='z' => c as usize - 'a' as usize,
                'A'..='Z' => c as usize - 'A' as usize,
                '0'..='9' => 26 + c as usize - '0' as usize,
                '-' => 36,
                '_' => 37,
                '.' => 38,
                _ => 39,
            };
            counts[bin] = counts[bin].saturating_add(1);
            len += 1;
        }
        Bag { counts, len }
    }

    /// A lower bound of the edit distance: each edit changes the character
    /// counts by at most one on each side.
    fn distance(&self, other: &Bag) -> usize {
        let (mut extra, mut missing) = (0usize, 0usize);
        for (&have, &want) in self.counts.iter().zip(&other.counts) {
            if have > want {
                extra += usize::from(have - want);
            } else {
                missing += usize::from(want - have);
            }
        }
        extra.max(missing)
    }
}

/// The edit distance between `a` and `b`, or `None` once it must exceed `limit`.
fn levenshtein_within(a: &[char], b: &str, limit: usize, row: &mut Vec<usize>) -> Option<usize> {
    row.clear();
    row.extend(0..=a.len());
    for (j, cb) in b.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = j + 1;
        let mut best = row[0];
        for (i, ca) in a.iter().enumerate() {
            let above = row[i + 1];
            row[i + 1] = (above + 1)
                .min(row[i] + 1)
                .min(diagonal + usize::from(*ca != cb));
            diagonal = above;
            best = best.min(row[i + 1]);
        }
        if best > limit {
            return None;
        }
    }
    Some(row[a.len()]).filter(|&d| d <= limit)
}

#[cfg(test)]
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    levenshtein_within(&a, b, usize::MAX, &mut Vec::new()).unwrap_or(usize::MAX)
}

/// File names in `dir` (none when it cannot be read), for "did you mean" hints.
pub fn list_dir(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("same", "same"), 0);
    }

    #[test]
    fn bounded_distance_agrees_with_the_full_one() {
        // Every pair over a small alphabet: the early exit never changes the answer.
        let words: Vec<String> = (0..400u32)
            .map(|n| {
                let len = (n % 7) as usize;
                (0..len)
                    .map(|i| ['a', 'b', 'é'][((n / 7) as usize + i * i) % 3])
                    .collect()
            })
            .collect();
        let mut row = Vec::new();
        for a in &words {
            let chars: Vec<char> = a.chars().collect();
            for b in &words {
                let full = levenshtein(a, b);
                for limit in 0..4 {
                    let bounded = levenshtein_within(&chars, b, limit, &mut row);
                    assert_eq!(bounded, (full <= limit).then_some(full), "{a} {b} {limit}");
                }
            }
        }
    }

    #[test]
    fn bag_distance_never_exceeds_the_edit_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "release.md",
            "relaese.md",
            "é-x",
            "x-é",
            "hotfix-guide.md",
        ];
        for a in words {
            for b in words {
                assert!(
                    Bag::of(a).distance(&Bag::of(b)) <= levenshtein(a, b),
                    "{a} {b}"
                );
            }
        }
    }

    #[test]
    fn suggestions_are_the_closest_candidate() {
        let names: Vec<String> = (0..300u32)
            .map(|n| {
                let words = ["tag", "the", "hotfix", "release", "notes", "guide", "x"];
                let a = words[(n % 7) as usize];
                let b = words[((n / 7) % 7) as usize];
                format!("{a}-{b}-{:02}.md", n % 13)
            })
            .collect();
        for wanted in [
            "tag-the-01.md",
            "hotfx-guide-3.md",
            "release-notes-12-old.md",
            "zzz",
            "x-x-00.md",
        ] {
            let limit = (wanted.chars().count() / 3).max(2);
            let brute = names
                .iter()
                .map(String::as_str)
                .filter(|c| *c != wanted)
                .map(|c| (levenshtein(wanted, c), c))
                .filter(|(d, _)| *d <= limit)
                .min()
                .map(|(_, c)| c);
            assert_eq!(
                did_you_mean(wanted, names.iter().map(String::as_str)),
                brute,
                "{wanted}"
            );
            assert_eq!(Names::new(names.clone()).closest(wanted), brute, "{wanted}");
        }
    }

    #[test]
    fn suggestions_only_when_close() {
        assert_eq!(
            did_you_mean("rollbak", ["rollback", "release"]),
            Some("rollback")
        );
        assert_eq!(did_you_mean("zzz", ["rollback", "release"]), None);
    }
}
