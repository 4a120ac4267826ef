//! The release model: the calendar's plan joined with git's tags and
//! commits, and the numbers derived from them (DESIGN §5 definitions). Pure:
//! everything here is computed from values, and tested with values, except
//! the feeds' build time (`build_time`), read from the clock.
//!
//! `ReleaseData` gathers it for the site, the check and the report; its
//! views (pages' HTML, feeds, charts) are `render`'s.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use chrono::NaiveDate;
use serde::Serialize;

use crate::load::calendar::{Calendar, Milestones, PlanStatus, Quarter, ReleaseType, Replan};
use crate::load::history::{Commit, TaggedRelease, compare_versions, is_prerelease, version_core};
use crate::load::metrics::{Metrics, Source};
use crate::site::{DataPage, SitePage};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Release {
    pub version: String,
    #[serde(rename = "type")]
    pub kind: ReleaseType,
    /// A SemVer pre-release (`2.0.0-rc.1`): shown, but not counted in a
    /// quarter's figures, which are about final releases.
    pub prerelease: bool,
    pub name: Option<String>,
    /// As first planned; `None` for a tag the calendar does not mention.
    pub planned: Option<Milestones>,
    pub replans: Vec<Replan>,
    /// The release date in force (the last replan's).
    pub latest_planned: Option<NaiveDate>,
    pub actual: Option<NaiveDate>,
    pub tag: Option<String>,
    /// Actual − latest planned; for an overdue release, the slip so far
    /// (today − latest planned), with `slip_open`.
    pub slip_days: Option<i64>,
    pub baseline_slip_days: Option<i64>,
    /// Within the tolerance. An overdue release is late (`false`) once its
    /// slip so far exceeds the tolerance, and not judged (`None`) before.
    pub on_time: Option<bool>,
    /// The slip is still growing: the release is overdue, not shipped.
    pub slip_open: bool,
    pub status: ReleaseStatus,
    pub quarter: Quarter,
    pub commits: usize,
    pub lead_time_days: Option<f64>,
    pub lead_time_p90_days: Option<f64>,
    pub reverts: usize,
    pub changelog: Vec<ChangeGroup>,
    pub contributors: Vec<String>,
}

/// Where a release stands: serialized (for templates and JSON) and shown
/// as `released`, `planned`, `overdue` or `cancelled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReleaseStatus {
    Released,
    /// Not shipped, and its date has not passed.
    Planned,
    /// Not shipped, and its date has passed.
    Overdue,
    Cancelled,
}

impl ReleaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseStatus::Released => "released",
            ReleaseStatus::Planned => "planned",
            ReleaseStatus::Overdue => "overdue",
            ReleaseStatus::Cancelled => "cancelled",
        }
    }

    /// Planned or overdue: still to ship.
    pub fn is_pending(self) -> bool {
        matches!(self, ReleaseStatus::Planned | ReleaseStatus::Overdue)
    }
}

impl std::fmt::Display for ReleaseStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A KPI's quarter against its target: serialized and shown as `pass`,
/// `fail`, `in-progress` or `no-data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KpiState {
    Pass,
    Fail,
    /// A quarter to date whose value misses the target but can still reach it.
    InProgress,
    NoData,
}

impl KpiState {
    pub fn as_str(self) -> &'static str {
        match self {
            KpiState::Pass => "pass",
            KpiState::Fail => "fail",
            KpiState::InProgress => "in-progress",
            KpiState::NoData => "no-data",
        }
    }
}

impl std::fmt::Display for KpiState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The changelog groups that reports and the release feed highlight.
pub(crate) const HIGHLIGHTS: &[&str] = &["breaking", "feat", "fix", "perf"];

/// A KPI's value against the quarter before: serialized as `up`, `down`,
/// `flat`, or `none` without two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    Up,
    Down,
    Flat,
    None,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChangeGroup {
    /// The conventional-commit type (`feat`), `breaking` for breaking changes first.
    pub kind: String,
    pub title: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Change {
    pub scope: Option<String>,
    /// The subject's description as written.
    pub description: String,
    /// The description as HTML: `code` spans become `<code>`, the rest is text.
    pub html: String,
    pub commit: String,
    pub author: String,
    pub breaking: bool,
    /// The `BREAKING CHANGE:` footer's text: the migration note.
    pub note: Option<String>,
    pub note_html: Option<String>,
}

/// A parsed conventional-commit subject (and body, for `BREAKING CHANGE:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Conventional {
    /// Lowercased type; `other` when the subject does not follow the convention.
    pub kind: String,
    pub scope: Option<String>,
    pub breaking: bool,
    pub description: String,
    /// The `BREAKING CHANGE:` (or `BREAKING-CHANGE:`) footer's text, up to
    /// the next footer.
    pub note: Option<String>,
}

/// Whether a body line starts a git trailer / conventional footer
/// (`Token: value`, `Token #value`, `BREAKING CHANGE: value`).
fn is_footer(line: &str) -> bool {
    if line.starts_with("BREAKING CHANGE:") {
        return true;
    }
    let token_end = line.find(": ").or_else(|| line.find(" #"));
    token_end.is_some_and(|i| {
        i > 0
            && line[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

fn breaking_note(body: &str) -> Option<String> {
    let mut note: Option<Vec<&str>> = None;
    for line in body.lines() {
        match &mut note {
            Some(lines) if is_footer(line) => break,
            Some(lines) => lines.push(line),
            None => {
                if let Some(rest) = line
                    .strip_prefix("BREAKING CHANGE:")
                    .or_else(|| line.strip_prefix("BREAKING-CHANGE:"))
                {
                    note = Some(vec![rest.trim()]);
                }
            }
        }
    }
    note.map(|lines| lines.join("\n").trim().to_string())
        .filter(|n| !n.is_empty())
}

pub(crate) fn parse_conventional(subject: &str, body: &str) -> Conventional {
    let breaking_footer = body
        .lines()
        .any(|l| l.starts_with("BREAKING CHANGE:") || l.starts_with("BREAKING-CHANGE:"));
    let other = || Conventional {
        kind: if subject.starts_with("Revert \"") {
            "revert".into()
        } else {
            "other".into()
        },
        scope: None,
        breaking: breaking_footer,
        description: subject.trim().to_string(),
        note: breaking_footer.then(|| breaking_note(body)).flatten(),
    };
    let Some((head, description)) = subject.split_once(':') else {
        return other();
    };
    let (head, bang) = match head.strip_suffix('!') {
        Some(h) => (h, true),
        None => (head, false),
    };
    let (kind, scope) = match head.split_once('(') {
        Some((k, rest)) => match rest.strip_suffix(')') {
            Some(scope) => (k, Some(scope.trim().to_string())),
            None => return other(),
        },
        None => (head, None),
    };
    if kind.is_empty()
        || !kind.chars().all(|c| c.is_ascii_alphabetic())
        || description.trim().is_empty()
    {
        return other();
    }
    Conventional {
        kind: kind.to_ascii_lowercase(),
        scope: scope.filter(|s| !s.is_empty()),
        breaking: bang || breaking_footer,
        description: description.trim().to_string(),
        note: breaking_footer.then(|| breaking_note(body)).flatten(),
    }
}

/// A commit subject as HTML: `code` spans become `<code>`, everything else
/// (markdown included) is text.
pub(crate) fn subject_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        match after.find('`') {
            Some(close) if close > 0 => {
                crate::markdown::escape_into(&mut out, &rest[..open]);
                out.push_str("<code>");
                crate::markdown::escape_into(&mut out, &after[..close]);
                out.push_str("</code>");
                rest = &after[close + 1..];
            }
            _ => break,
        }
    }
    crate::markdown::escape_into(&mut out, rest);
    out
}

/// A commit subject as Markdown text: `code` spans kept, every other
/// character markdown would read as markup backslash-escaped.
pub(crate) fn subject_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let escape = |out: &mut String, text: &str| {
        for c in text.chars() {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '&'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    };
    let mut rest = s;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        match after.find('`') {
            Some(close) if close > 0 => {
                escape(&mut out, &rest[..open]);
                out.push_str(&rest[open..open + close + 2]);
                rest = &after[close + 1..];
            }
            _ => break,
        }
    }
    escape(&mut out, rest);
    out
}

/// Which commits a changelog lists and how it groups them, from the
/// `changelog:` section of almanac.yaml.
#[derive(Debug, Clone)]
pub struct ChangelogRules {
    /// (type, scope): a `None` scope skips the type whatever its scope.
    skip: Vec<(String, Option<String>)>,
    authors: globset::GlobSet,
    other: bool,
    fold: BTreeMap<String, String>,
}

impl ChangelogRules {
    pub fn new(config: &crate::config::ChangelogConfig) -> ChangelogRules {
        let skip = config
            .skip
            .iter()
            .map(|s| {
                let s = s.trim().to_ascii_lowercase();
                match s.split_once('(') {
                    Some((kind, scope)) => (
                        kind.trim().to_string(),
                        Some(scope.trim_end_matches(')').trim().to_string()),
                    ),
                    None => (s, None),
                }
            })
            .collect();
        let mut authors = globset::GlobSetBuilder::new();
        for pattern in &config.skip_authors {
            // The config's globs were checked when it was read.
            if let Ok(glob) = globset::GlobBuilder::new(pattern)
                .case_insensitive(true)
                .build()
            {
                authors.add(glob);
            }
        }
        let mut fold: BTreeMap<String, String> =
            [("tests", "test"), ("doc", "docs"), ("ci", "build")]
                .into_iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
        for (from, to) in &config.fold {
            fold.insert(from.to_ascii_lowercase(), to.to_ascii_lowercase());
        }
        ChangelogRules {
            skip,
            authors: authors
                .build()
                .unwrap_or_else(|_| globset::GlobSet::empty()),
            other: config.other,
            fold,
        }
    }

    /// The group a type's commits go into.
    fn group_of<'k>(&'k self, kind: &'k str) -> &'k str {
        self.fold.get(kind).map_or(kind, String::as_str)
    }

    fn skips(&self, commit: &Commit, cc: &Conventional) -> bool {
        let group = self.group_of(&cc.kind);
        (cc.kind == "other" && !self.other)
            || self.skip.iter().any(|(kind, s)| {
                (*kind == cc.kind || kind == group)
                    && s.as_deref().is_none_or(|s| {
                        cc.scope
                            .as_deref()
                            .is_some_and(|c| c.eq_ignore_ascii_case(s))
                    })
            })
            || self.authors.is_match(&commit.author)
            || self.authors.is_match(&commit.email)
    }

    /// A group's title; `build` says "Build and CI" when `ci` folds into it.
    fn title(&self, kind: &str) -> String {
        if kind == "build" && self.fold.get("ci").is_some_and(|g| g == "build") {
            return "Build and CI".into();
        }
        group_title(kind)
    }
}

impl Default for ChangelogRules {
    fn default() -> Self {
        ChangelogRules::new(&crate::config::ChangelogConfig::default())
    }
}

/// Section titles for the usual types; unknown types keep their own name.
fn group_title(kind: &str) -> String {
    match kind {
        "breaking" => "Breaking changes".into(),
        "feat" => "Features".into(),
        "fix" => "Bug fixes".into(),
        "perf" => "Performance".into(),
        "security" => "Security".into(),
        "refactor" => "Refactoring".into(),
        "docs" => "Documentation".into(),
        "test" => "Tests".into(),
        "build" => "Build".into(),
        "ci" => "Continuous integration".into(),
        "chore" => "Chores".into(),
        "style" => "Style".into(),
        "revert" => "Reverts".into(),
        "other" => "Other".into(),
        k => {
            let mut c = k.chars();
            c.next()
                .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        }
    }
}

const GROUP_ORDER: &[&str] = &[
    "breaking", "security", "feat", "fix", "perf", "revert", "refactor", "docs", "test", "build",
    "ci", "style", "chore",
];

/// Commits grouped by type (folded: `tests` into `test`, `doc` into `docs`,
/// `ci` into `build`), less those `rules` skip: breaking changes first, with
/// their migration notes, and again under their own type; then the usual
/// order, then unknown types alphabetically, then `other`.
pub(crate) fn changelog(commits: &[Commit], rules: &ChangelogRules) -> Vec<ChangeGroup> {
    let mut groups: BTreeMap<String, Vec<Change>> = BTreeMap::new();
    for c in commits.iter().rev() {
        let cc = parse_conventional(&c.subject, &c.body);
        if rules.skips(c, &cc) {
            continue;
        }
        let change = Change {
            scope: cc.scope.clone(),
            html: subject_html(&cc.description),
            description: cc.description.clone(),
            commit: c.id.chars().take(7).collect(),
            author: c.author.clone(),
            breaking: cc.breaking,
            note_html: cc.note.as_deref().map(subject_html),
            note: cc.note.clone(),
        };
        if cc.breaking {
            groups
                .entry("breaking".to_string())
                .or_default()
                .push(change.clone());
        }
        groups
            .entry(rules.group_of(&cc.kind).to_string())
            .or_default()
            .push(change);
    }
    let rank = |k: &str| match GROUP_ORDER.iter().position(|g| *g == k) {
        Some(i) => (0, i, String::new()),
        None if k == "other" => (2, 0, String::new()),
        None => (1, 0, k.to_string()),
    };
    let mut out: Vec<ChangeGroup> = groups
        .into_iter()
        .map(|(kind, changes)| ChangeGroup {
            title: rules.title(&kind),
            kind,
            changes,
        })
        .collect();
    out.sort_by_key(|g| rank(&g.kind));
    out
}

/// Median and 90th percentile (nearest rank) of `values`.
pub(crate) fn median_p90(mut values: Vec<f64>) -> (Option<f64>, Option<f64>) {
    if values.is_empty() {
        return (None, None);
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    let median = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    let p90 = values[((0.9 * n as f64).ceil() as usize).clamp(1, n) - 1];
    (Some(round2(median)), Some(round2(p90)))
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Lead time of each commit of a release: tag time − committer time, in days.
pub(crate) fn lead_times(release: &TaggedRelease) -> Vec<f64> {
    release
        .commits
        .iter()
        .map(|c| (release.date - c.time).num_seconds() as f64 / 86_400.0)
        .collect()
}

/// The plan joined with the tags. `today` decides planned vs overdue.
pub(crate) fn releases(
    calendar: &Calendar,
    tags: &[TaggedRelease],
    today: NaiveDate,
    rules: &ChangelogRules,
) -> Vec<Release> {
    let zone = calendar.zone();
    let by_version: BTreeMap<&str, &TaggedRelease> =
        tags.iter().map(|t| (t.version.as_str(), t)).collect();
    let mut out = Vec::new();
    for plan in &calendar.releases {
        let tag = by_version.get(plan.version.as_str()).copied();
        let actual = plan
            .actual
            .as_ref()
            .map(|a| a.release)
            .or_else(|| tag.map(|t| zone.date_of(&t.date)));
        let latest = plan.latest_planned();
        let slip = actual.map(|a| (a - latest).num_days());
        let status = if plan.status == Some(PlanStatus::Cancelled) {
            ReleaseStatus::Cancelled
        } else if actual.is_some() {
            ReleaseStatus::Released
        } else if latest < today {
            ReleaseStatus::Overdue
        } else {
            ReleaseStatus::Planned
        };
        let open = status == ReleaseStatus::Overdue;
        let slip = if open {
            Some((today - latest).num_days())
        } else {
            slip
        };
        let baseline = actual
            .or(open.then_some(today))
            .map(|a| (a - plan.planned.release).num_days());
        let mut release = from_parts(
            plan.version.clone(),
            plan.kind,
            plan.name.clone(),
            Some(plan.planned.clone()),
            plan.replans.clone(),
            actual,
            tag,
            slip,
            baseline,
            calendar.slip_tolerance_days,
            status,
            Quarter::of(actual.unwrap_or(latest)),
            rules,
        );
        if open {
            release.slip_open = true;
            release.on_time = slip
                .filter(|s| *s > calendar.slip_tolerance_days)
                .map(|_| false);
        }
        out.push(release);
    }
    // Tags the calendar does not mention are releases too (unplanned).
    let mut finals: Vec<&str> = tags
        .iter()
        .map(|t| t.version.as_str())
        .filter(|v| !is_prerelease(v))
        .collect();
    finals.sort_by(|a, b| compare_versions(a, b));
    for tag in tags
        .iter()
        .filter(|t| !calendar.releases.iter().any(|r| r.version == t.version))
    {
        let actual = zone.date_of(&tag.date);
        // `finals` is in version order: the previous final is found by bisection.
        let below = finals.partition_point(|f| compare_versions(f, &tag.version).is_lt());
        let kind = semver_type(&tag.version, below.checked_sub(1).map(|i| finals[i]));
        out.push(from_parts(
            tag.version.clone(),
            kind,
            None,
            None,
            Vec::new(),
            Some(actual),
            Some(tag),
            None,
            None,
            calendar.slip_tolerance_days,
            ReleaseStatus::Released,
            Quarter::of(actual),
            rules,
        ));
    }
    out.sort_by(|a, b| compare_versions(&a.version, &b.version));
    out
}

/// The type of a release the calendar does not mention, from SemVer against
/// `previous`, the previous final release (the highest final version below
/// it): the first differing number of the core names it (`major`, `minor`,
/// else `patch`). A pre-release is typed as the release it leads to
/// (`2.0.0-rc.1` after `1.4.0` is major). With no earlier final release,
/// `x.0.0` is major, `x.y.0` minor, anything else a patch.
pub(crate) fn semver_type(version: &str, previous: Option<&str>) -> ReleaseType {
    let core = version_core(version);
    let at = |c: &[u64], i: usize| c.get(i).copied().unwrap_or(0);
    match previous.map(version_core) {
        Some(p) if at(&p, 0) != at(&core, 0) => ReleaseType::Major,
        Some(p) if at(&p, 1) != at(&core, 1) => ReleaseType::Minor,
        Some(_) => ReleaseType::Patch,
        None if at(&core, 1) == 0 && at(&core, 2) == 0 => ReleaseType::Major,
        None if at(&core, 2) == 0 => ReleaseType::Minor,
        None => ReleaseType::Patch,
    }
}

#[allow(clippy::too_many_arguments)]
fn from_parts(
    version: String,
    kind: ReleaseType,
    name: Option<String>,
    planned: Option<Milestones>,
    replans: Vec<Replan>,
    actual: Option<NaiveDate>,
    tag: Option<&TaggedRelease>,
    slip_days: Option<i64>,
    baseline_slip_days: Option<i64>,
    tolerance: i64,
    status: ReleaseStatus,
    quarter: Quarter,
    rules: &ChangelogRules,
) -> Release {
    let (lead, p90) = tag
        .map(|t| median_p90(lead_times(t)))
        .unwrap_or((None, None));
    let commits = tag.map_or(&[][..], |t| t.commits.as_slice());
    let contributors: BTreeSet<String> = commits.iter().map(|c| c.author.clone()).collect();
    let latest_planned = replans
        .last()
        .map(|r| r.release)
        .or(planned.as_ref().map(|p| p.release));
    Release {
        prerelease: is_prerelease(&version),
        version,
        kind,
        name,
        planned,
        replans,
        latest_planned,
        actual,
        tag: tag.map(|t| t.tag.clone()),
        slip_days,
        baseline_slip_days,
        on_time: slip_days.map(|s| s <= tolerance),
        slip_open: false,
        status,
        quarter,
        commits: commits.len(),
        lead_time_days: lead,
        lead_time_p90_days: p90,
        reverts: commits
            .iter()
            .filter(|c| parse_conventional(&c.subject, &c.body).kind == "revert")
            .count(),
        changelog: changelog(commits, rules),
        contributors: contributors.into_iter().collect(),
    }
}

/// Numbers of one quarter, from its final releases (DESIGN §5: a release
/// belongs to the quarter of its actual date, or of its planned date while
/// unreleased; pre-releases are steps on the way, counted in none of these).
/// "No data" is `None`, never zero: a quarter that has not begun has none,
/// and a sum or a rate over no release is none.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuarterStats {
    pub quarter: Quarter,
    /// Begun and not ended on the day the numbers are as of: rates are per
    /// elapsed month, and a KPI that can still reach its target is `in-progress`.
    pub to_date: bool,
    /// Months elapsed: 3 for an ended quarter, 3 × elapsed days ÷ the
    /// quarter's days for one to date, 0 for one not begun.
    pub months_elapsed: f64,
    pub released: usize,
    pub planned_not_released: usize,
    /// Planned releases whose date has passed with no tag.
    pub overdue: usize,
    /// On-time share of the shipped releases with a plan and of the overdue
    /// ones already past the tolerance.
    pub on_time_rate: Option<f64>,
    /// Slip of the shipped releases with a plan plus the slip so far of the
    /// overdue ones; `None` with neither.
    pub total_slip_days: Option<i64>,
    /// Final releases shipped per elapsed month.
    pub release_frequency: Option<f64>,
    pub lead_time_days: Option<f64>,
    pub lead_time_p90_days: Option<f64>,
    pub hotfix_count: Option<usize>,
    pub revert_count: Option<usize>,
}

pub(crate) fn quarter_stats(
    quarter: Quarter,
    releases: &[Release],
    tags: &[TaggedRelease],
    today: NaiveDate,
) -> QuarterStats {
    let finals = || {
        releases
            .iter()
            .filter(|r| r.quarter == quarter && !r.prerelease)
    };
    let shipped: Vec<&Release> = finals()
        .filter(|r| r.status == ReleaseStatus::Released)
        .collect();
    let overdue: Vec<&Release> = finals()
        .filter(|r| r.status == ReleaseStatus::Overdue)
        .collect();
    let judged: Vec<bool> = shipped
        .iter()
        .chain(&overdue)
        .filter_map(|r| r.on_time)
        .collect();
    let slips: Vec<i64> = shipped
        .iter()
        .chain(&overdue)
        .filter_map(|r| r.slip_days)
        .collect();
    let lead: Vec<f64> = shipped
        .iter()
        .filter_map(|r| tags.iter().find(|t| Some(&t.tag) == r.tag.as_ref()))
        .flat_map(lead_times)
        .collect();
    let (lead_time, p90) = median_p90(lead);
    let begun = quarter.first_day() <= today;
    let ended = quarter.last_day() <= today;
    let months_elapsed = if ended {
        3.0
    } else if begun {
        let days = |a: NaiveDate, b: NaiveDate| ((b - a).num_days() + 1) as f64;
        3.0 * days(quarter.first_day(), today) / days(quarter.first_day(), quarter.last_day())
    } else {
        0.0
    };
    QuarterStats {
        quarter,
        to_date: begun && !ended,
        months_elapsed: round2(months_elapsed),
        released: shipped.len(),
        planned_not_released: finals().filter(|r| r.status.is_pending()).count(),
        overdue: overdue.len(),
        on_time_rate: (!judged.is_empty()).then(|| {
            round2(100.0 * judged.iter().filter(|&&b| b).count() as f64 / judged.len() as f64)
        }),
        total_slip_days: (!slips.is_empty()).then(|| slips.iter().sum()),
        release_frequency: begun.then(|| round2(shipped.len() as f64 / months_elapsed)),
        lead_time_days: lead_time,
        lead_time_p90_days: p90,
        hotfix_count: begun.then(|| {
            shipped
                .iter()
                .filter(|r| r.kind == ReleaseType::Hotfix)
                .count()
        }),
        revert_count: begun.then(|| shipped.iter().map(|r| r.reverts).sum()),
    }
}

/// The value of a `source: git` KPI in a quarter, by its id.
pub(crate) fn computed_value(id: &str, stats: &QuarterStats) -> Option<f64> {
    match id {
        "release_frequency" => stats.release_frequency,
        "lead_time" | "lead_time_days" => stats.lead_time_days,
        "lead_time_p90" | "lead_time_p90_days" => stats.lead_time_p90_days,
        "hotfix_count" | "hotfixes" => stats.hotfix_count.map(|n| n as f64),
        "revert_count" | "reverts" => stats.revert_count.map(|n| n as f64),
        "on_time_rate" => stats.on_time_rate,
        "slip" | "slip_days" | "total_slip_days" => stats.total_slip_days.map(|n| n as f64),
        _ => None,
    }
}

/// Computed KPIs that only grow as a quarter goes on: a miss of an upper
/// bound is final even in a quarter to date.
fn only_grows(id: &str) -> bool {
    matches!(id, "hotfix_count" | "hotfixes" | "revert_count" | "reverts")
}

/// A KPI in one quarter against its target.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KpiStatus {
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
    pub tier: Option<String>,
    pub value: Option<f64>,
    pub target: Option<crate::load::metrics::Target>,
    pub status: KpiState,
    pub previous: Option<f64>,
    pub trend: Trend,
    /// Whether the trend moves towards the target.
    pub improving: Option<bool>,
    pub doc: Option<String>,
}

/// The quarter's value of a KPI: computed for `source: git`, else the latest
/// observation dated in the quarter (by `date`, `period`, or its release's quarter).
pub(crate) fn kpi_value(
    metrics: &Metrics,
    id: &str,
    quarter: Quarter,
    releases: &[Release],
    tags: &[TaggedRelease],
    today: NaiveDate,
) -> Option<f64> {
    let kpi = metrics.kpis.iter().find(|k| k.id == id)?;
    if kpi.source == Source::Git {
        return computed_value(id, &quarter_stats(quarter, releases, tags, today));
    }
    metrics
        .observations
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let value = *o.values.get(id)?;
            let when = o
                .date
                .or_else(|| o.period.map(Quarter::last_day))
                .or_else(|| {
                    let r = releases
                        .iter()
                        .find(|r| Some(&r.version) == o.release.as_ref())?;
                    r.actual.or(r.latest_planned)
                })?;
            (quarter.contains(when) && when <= today).then_some((when, i, value))
        })
        .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)))
        .map(|(_, _, v)| v)
}

pub(crate) fn kpi_statuses(
    metrics: &Metrics,
    quarter: Quarter,
    releases: &[Release],
    tags: &[TaggedRelease],
    today: NaiveDate,
) -> Vec<KpiStatus> {
    let to_date = quarter.first_day() <= today && today < quarter.last_day();
    metrics
        .kpis
        .iter()
        .map(|kpi| {
            let value = kpi_value(metrics, &kpi.id, quarter, releases, tags, today);
            let previous = kpi_value(metrics, &kpi.id, quarter.prev(), releases, tags, today);
            let status = match (value, kpi.target) {
                (None, _) => KpiState::NoData,
                (Some(v), Some(t)) if !t.met_by(v) => {
                    let settled =
                        kpi.source == Source::Git && only_grows(&kpi.id) && !t.higher_is_better();
                    if to_date && !settled {
                        KpiState::InProgress
                    } else {
                        KpiState::Fail
                    }
                }
                (Some(_), _) => KpiState::Pass,
            };
            let trend = match (value, previous) {
                (Some(v), Some(p)) if (v - p).abs() < 1e-9 => Trend::Flat,
                (Some(v), Some(p)) if v > p => Trend::Up,
                (Some(_), Some(_)) => Trend::Down,
                _ => Trend::None,
            };
            let improving = kpi.target.and_then(|t| match trend {
                Trend::Up => Some(t.higher_is_better()),
                Trend::Down => Some(!t.higher_is_better()),
                _ => None,
            });
            KpiStatus {
                id: kpi.id.clone(),
                name: kpi.title().to_string(),
                unit: kpi.unit.clone(),
                tier: kpi.tier.clone(),
                value,
                target: kpi.target,
                status,
                previous,
                trend,
                improving,
                doc: kpi.doc.clone(),
            }
        })
        .collect()
}

/// Where the generated pages live.
pub(crate) const CALENDAR_DIR: &str = "calendar";
pub(crate) const METRICS_URL: &str = "metrics/index.html";
pub(crate) const REPORTS_DIR: &str = "reports";

pub(crate) fn release_url(version: &str) -> String {
    format!("{CALENDAR_DIR}/{version}.html")
}

/// Everything derived from the calendar, metrics and history.
pub struct ReleaseData<'a> {
    pub calendar: Option<&'a Calendar>,
    pub metrics: Option<&'a Metrics>,
    pub tags: &'a [TaggedRelease],
    pub releases: Vec<Release>,
    pub today: NaiveDate,
    /// Each author's first commit, for reports' new contributors.
    pub first_commits: &'a FirstCommits,
    /// What names the feeds stably, and when they were made.
    pub feed: FeedSite,
}

pub(crate) type FirstCommits =
    std::collections::BTreeMap<String, chrono::DateTime<chrono::FixedOffset>>;
static NO_FIRST_COMMITS: FirstCommits = FirstCommits::new();

impl<'a> ReleaseData<'a> {
    pub fn new(
        calendar: Option<&'a Calendar>,
        metrics: Option<&'a Metrics>,
        tags: &'a [TaggedRelease],
        today: NaiveDate,
    ) -> Self {
        Self::with_rules(calendar, metrics, tags, today, &ChangelogRules::default())
    }

    /// `new`, with the changelog rules of the site's `changelog:` section.
    pub fn with_rules(
        calendar: Option<&'a Calendar>,
        metrics: Option<&'a Metrics>,
        tags: &'a [TaggedRelease],
        today: NaiveDate,
        rules: &ChangelogRules,
    ) -> Self {
        let releases = calendar
            .map(|c| releases(c, tags, today, rules))
            .unwrap_or_default();
        ReleaseData {
            calendar,
            metrics,
            tags,
            releases,
            today,
            first_commits: &NO_FIRST_COMMITS,
            feed: FeedSite::new(
                calendar.and_then(|c| c.uid_domain.as_deref()),
                None,
                None,
                None,
            ),
        }
    }

    /// With the site's URL and repository, which name the feeds.
    pub fn with_site(mut self, config: &crate::config::Config, remote: Option<&str>) -> Self {
        self.feed = FeedSite::new(
            self.calendar.and_then(|c| c.uid_domain.as_deref()),
            config.repo_url.as_deref(),
            remote,
            config.base_url.as_deref(),
        );
        self
    }

    /// With the history's first commit per author (`History::first_commits`).
    pub fn with_first_commits(mut self, first_commits: &'a FirstCommits) -> Self {
        self.first_commits = first_commits;
        self
    }

    /// The site pages to add: the calendar section with its releases, and metrics.
    pub fn pages(&self) -> Vec<SitePage> {
        let mut pages = Vec::new();
        if self.calendar.is_some() {
            pages.push(SitePage {
                url: format!("{CALENDAR_DIR}/index.html"),
                title: "Release calendar".into(),
                description: Some("Planned and actual release dates, quarter by quarter.".into()),
                guide: None,
                section: Some(CALENDAR_DIR.into()),
                parent: Some(String::new()),
                weight: Some(i64::MAX - 2),
                data: Some(DataPage::Calendar),
                heading: false,
                hidden: false,
            });
            for (i, r) in self.releases.iter().enumerate().rev() {
                pages.push(SitePage {
                    url: release_url(&r.version),
                    title: format!("{} {}", r.version, r.name.as_deref().unwrap_or(""))
                        .trim()
                        .to_string(),
                    description: None,
                    guide: None,
                    section: None,
                    parent: Some(CALENDAR_DIR.into()),
                    weight: Some(-(i as i64)),
                    data: Some(DataPage::Release(i)),
                    heading: false,
                    hidden: false,
                });
            }
        }
        let reported: Vec<Quarter> = self
            .quarters()
            .into_iter()
            .filter(|q| {
                self.releases
                    .iter()
                    .any(|r| r.quarter == *q && r.status == ReleaseStatus::Released)
            })
            .collect();
        if !reported.is_empty() {
            pages.push(SitePage {
                url: format!("{REPORTS_DIR}/index.html"),
                title: "Quarterly reports".into(),
                description: Some("One release report per quarter that shipped releases.".into()),
                guide: None,
                section: Some(REPORTS_DIR.into()),
                parent: Some(String::new()),
                weight: Some(i64::MAX),
                data: None,
                heading: false,
                hidden: false,
            });
            for (i, q) in reported.iter().enumerate() {
                pages.push(SitePage {
                    url: format!("{REPORTS_DIR}/{q}.html"),
                    title: format!("{q} report"),
                    description: self
                        .calendar
                        .and_then(|c| c.themes.iter().find(|t| t.quarter == *q))
                        .map(|t| t.title.clone()),
                    guide: None,
                    section: None,
                    parent: Some(REPORTS_DIR.into()),
                    weight: Some(-(i as i64)),
                    data: Some(DataPage::Report(*q)),
                    heading: false,
                    hidden: false,
                });
            }
        }
        if self.metrics.is_some() {
            pages.push(SitePage {
                url: METRICS_URL.into(),
                title: "Metrics dashboard".into(),
                description: Some("KPIs against their targets.".into()),
                guide: None,
                section: None,
                parent: Some(String::new()),
                weight: Some(i64::MAX - 1),
                data: Some(DataPage::Metrics),
                heading: false,
                hidden: false,
            });
        }
        pages
    }

    /// The quarter whose numbers the dashboard shows: the current one.
    pub fn current_quarter(&self) -> Quarter {
        Quarter::of(self.today)
    }

    pub fn kpis(&self, quarter: Quarter) -> Vec<KpiStatus> {
        match self.metrics {
            Some(m) => kpi_statuses(m, quarter, &self.releases, self.tags, self.today),
            None => Vec::new(),
        }
    }

    /// The values a KPI chart plots: observations in order, or per quarter
    /// for `source: git`, where a quarter without data is a gap (`None`).
    pub fn kpi_points(&self, id: &str) -> Vec<(String, Option<f64>)> {
        let Some(metrics) = self.metrics else {
            return Vec::new();
        };
        let Some(kpi) = metrics.kpis.iter().find(|k| k.id == id) else {
            return Vec::new();
        };
        if kpi.source == Source::Git {
            return self
                .quarters()
                .into_iter()
                .filter(|q| *q <= self.current_quarter())
                .map(|q| {
                    let v = kpi_value(metrics, id, q, &self.releases, self.tags, self.today);
                    (q.to_string(), v)
                })
                .collect();
        }
        metrics
            .observations
            .iter()
            .filter_map(|o| {
                let v = *o.values.get(id)?;
                let label = o
                    .release
                    .clone()
                    .or_else(|| o.period.map(|p| p.to_string()))
                    .or_else(|| o.date.map(|d| d.to_string()))?;
                Some((label, Some(v)))
            })
            .collect()
    }

    /// Quarters with a release or a theme, in order.
    pub fn quarters(&self) -> Vec<Quarter> {
        let mut set: BTreeSet<Quarter> = self.releases.iter().map(|r| r.quarter).collect();
        if let Some(c) = self.calendar {
            set.extend(c.themes.iter().map(|t| t.quarter));
        }
        set.into_iter().collect()
    }

    /// A release page's view: the release, its neighbours in version order
    /// (previous = older), and the tag it was looked up by.
    pub fn release_view(&self, i: usize) -> Option<ReleaseView<'_>> {
        let release = self.releases.get(i)?;
        let link = |r: &Release| ReleaseLink {
            version: r.version.clone(),
            title: format!("{} {}", r.version, r.name.as_deref().unwrap_or(""))
                .trim()
                .to_string(),
            url: release_url(&r.version),
        };
        let expected_tag = self
            .calendar
            .map(|c| c.tag_pattern.replace("{version}", &release.version));
        Some(ReleaseView {
            release,
            previous: i
                .checked_sub(1)
                .and_then(|p| self.releases.get(p))
                .map(link),
            next: self.releases.get(i + 1).map(link),
            tag_missing: release.status == ReleaseStatus::Released && release.tag.is_none(),
            expected_tag,
        })
    }
}

/// A release page's data: the release's fields, and what the page adds.
#[derive(Debug, Serialize)]
pub struct ReleaseView<'r> {
    #[serde(flatten)]
    pub release: &'r Release,
    /// The release before it in version order (older), and after it.
    pub previous: Option<ReleaseLink>,
    pub next: Option<ReleaseLink>,
    /// Shipped (its date from the calendar) but no tag found.
    pub tag_missing: bool,
    /// The tag name `tag_pattern` gives this version.
    pub expected_tag: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ReleaseLink {
    pub version: String,
    pub title: String,
    /// From the site root.
    pub url: String,
}

/// The stable names and the build time the feeds need.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedSite {
    /// The host part of iCal UIDs and Atom tag URIs.
    pub uid_domain: String,
    /// The feed's build time: `SOURCE_DATE_EPOCH` when set, else the start
    /// of today (UTC).
    pub stamp: DateTime<Utc>,
    /// The site's URL with a trailing `/`, for absolute links; else links
    /// are relative to the feed, which sits at the site root.
    pub base: String,
}

impl FeedSite {
    /// The UID domain is `uid_domain` from the calendar when set, else
    /// derived from `repo_url`, else from the `origin` remote
    /// (`https://github.com/acme/tool.git` → `tool.acme.github.com`), else
    /// `almanac.invalid`: never from the site's title, which may change.
    pub fn new(
        explicit: Option<&str>,
        repo_url: Option<&str>,
        remote: Option<&str>,
        base_url: Option<&str>,
    ) -> FeedSite {
        let uid_domain = explicit
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .or_else(|| repo_url.and_then(domain_of_url))
            .or_else(|| remote.and_then(domain_of_url))
            .unwrap_or_else(|| "almanac.invalid".into());
        FeedSite {
            uid_domain,
            stamp: build_time(),
            base: base_url
                .map(|u| format!("{}/", u.trim_end_matches('/')))
                .unwrap_or_default(),
        }
    }
}

/// `SOURCE_DATE_EPOCH` when set (reproducible builds), else the start of
/// today in UTC: to the day, so that builds of one day (a full build and
/// `serve`'s rebuilds) write the same bytes.
pub(crate) fn build_time() -> DateTime<Utc> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(|| {
            let today = Utc::now().date_naive();
            today.and_time(chrono::NaiveTime::MIN).and_utc()
        })
}

/// A repository URL as a domain-like name: `https://github.com/acme/tool.git`,
/// `git@github.com:acme/tool.git` and `ssh://git@github.com:22/acme/tool`
/// all give `tool.acme.github.com`.
pub(crate) fn domain_of_url(url: &str) -> Option<String> {
    let url = url.trim();
    let (rest, scp) = match url.split_once("://") {
        Some((_, rest)) => (rest, false),
        None => (url, true),
    };
    let (host, path) = if scp {
        rest.split_once(':')?
    } else {
        rest.split_once('/').unwrap_or((rest, ""))
    };
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).rev().collect();
    parts.push(host);
    let domain: String = parts
        .join(".")
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        .collect();
    let domain = domain.trim_matches('.').to_string();
    (!host.is_empty() && !domain.is_empty()).then_some(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Templates and JSON read the statuses as the strings they always were.
    #[test]
    fn statuses_serialize_as_their_names() {
        let json = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
        for status in [
            ReleaseStatus::Released,
            ReleaseStatus::Planned,
            ReleaseStatus::Overdue,
            ReleaseStatus::Cancelled,
        ] {
            assert_eq!(json(serde_json::json!(status)), status.as_str());
            assert_eq!(status.to_string(), status.as_str());
        }
        for state in [
            KpiState::Pass,
            KpiState::Fail,
            KpiState::InProgress,
            KpiState::NoData,
        ] {
            assert_eq!(json(serde_json::json!(state)), state.as_str());
        }
        assert_eq!(json(serde_json::json!(KpiState::InProgress)), "in-progress");
        assert_eq!(json(serde_json::json!(KpiState::NoData)), "no-data");
        let trends = [Trend::Up, Trend::Down, Trend::Flat, Trend::None];
        let names: Vec<String> = trends.iter().map(|t| json(serde_json::json!(t))).collect();
        assert_eq!(names, ["up", "down", "flat", "none"]);
    }

    #[test]
    fn uid_domains_from_repository_urls() {
        for url in [
            "https://github.com/acme/tool.git",
            "git@github.com:acme/tool.git",
            "ssh://git@github.com:22/acme/tool",
            "https://user@GitHub.com/acme/tool/",
        ] {
            assert_eq!(
                domain_of_url(url).as_deref(),
                Some("tool.acme.github.com"),
                "{url}"
            );
        }
        let site = FeedSite::new(None, None, None, None);
        assert_eq!(site.uid_domain, "almanac.invalid");
        let site = FeedSite::new(
            Some("cal.example.org"),
            Some("https://x.org/a/b"),
            None,
            None,
        );
        assert_eq!(site.uid_domain, "cal.example.org");
    }

    #[test]
    fn conventional_subjects() {
        let c = parse_conventional("feat(check)!: report unknown flags", "");
        assert_eq!(
            (
                c.kind.as_str(),
                c.scope.as_deref(),
                c.breaking,
                c.description.as_str()
            ),
            ("feat", Some("check"), true, "report unknown flags")
        );
        let c = parse_conventional(
            "Fix: handle empty files",
            "Details.\n\nBREAKING CHANGE: exit code 2 now",
        );
        assert_eq!((c.kind.as_str(), c.breaking), ("fix", true));
        assert_eq!(
            parse_conventional("deps: bump tera", "").kind,
            "deps",
            "unknown types are kept"
        );
        assert_eq!(parse_conventional("Update README", "").kind, "other");
        assert_eq!(parse_conventional("Revert \"feat: x\"", "").kind, "revert");
        assert_eq!(parse_conventional("feat(: broken", "").kind, "other");
        assert_eq!(parse_conventional("WIP: x y: z", "").kind, "wip");
    }

    #[test]
    fn median_and_p90() {
        assert_eq!(median_p90(vec![]), (None, None));
        assert_eq!(median_p90(vec![3.0]), (Some(3.0), Some(3.0)));
        assert_eq!(median_p90(vec![4.0, 1.0, 3.0, 2.0]), (Some(2.5), Some(4.0)));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(median_p90(ten), (Some(5.5), Some(9.0)));
    }
}
