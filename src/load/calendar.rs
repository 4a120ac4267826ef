//! `data/calendar.yaml`: the release plan (DESIGN §5). Parsing is strict
//! (unknown keys, bad dates) and the plan is validated: milestones in order,
//! versions unique. Softer inconsistencies are plan warnings.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::config::yaml_error;
use crate::error::{Error, Result};

/// `data/calendar.yaml`: the release plan. Actual dates come from git tags.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schemars(title = "calendar.yaml")]
pub struct Calendar {
    /// The zone dates are in: `UTC`, a fixed offset such as `+02:00`, or an
    /// IANA name such as `Europe/Berlin`.
    #[serde(default = "default_timezone")]
    #[schemars(example = &"Europe/Berlin")]
    pub timezone: String,
    /// How release tags are named; `{version}` stands for the version.
    #[serde(default = "default_tag_pattern")]
    #[schemars(regex(pattern = r"\{version\}"), example = &"release-{version}")]
    pub tag_pattern: String,
    /// Days a release may ship after its plan and still be on time.
    #[serde(default = "default_tolerance")]
    #[schemars(example = 3)]
    pub slip_tolerance_days: i64,
    /// The host part of `calendar.ics` UIDs, which must outlive renames of
    /// the site: by default derived from `repo_url` or the `origin` remote.
    #[serde(default)]
    #[schemars(example = &"acme.example.org")]
    pub uid_domain: Option<String>,
    /// Longest expected gap, in days, between consecutive planned releases of a type.
    #[serde(default)]
    #[schemars(example = BTreeMap::from([(ReleaseType::Minor, 42), (ReleaseType::Patch, 14)]))]
    pub cadence_days: BTreeMap<ReleaseType, i64>,
    /// Each quarter's theme: what the releases of the quarter focus on.
    #[serde(default)]
    pub themes: Vec<Theme>,
    /// The planned releases.
    #[serde(default)]
    pub releases: Vec<PlannedRelease>,
}

fn default_timezone() -> String {
    "UTC".into()
}
fn default_tag_pattern() -> String {
    "v{version}".into()
}
fn default_tolerance() -> i64 {
    2
}

/// A quarter's theme.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// The quarter, as YYYY-Qn.
    pub quarter: Quarter,
    /// The theme's name.
    #[schemars(example = &"Hardening")]
    pub title: String,
    /// What the quarter's work focuses on.
    #[serde(default)]
    #[schemars(example = ["tests", "security"])]
    pub focus: Vec<String>,
}

/// The kind of a release.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ReleaseType {
    Major,
    Minor,
    Patch,
    Hotfix,
    Security,
}

impl ReleaseType {
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseType::Major => "major",
            ReleaseType::Minor => "minor",
            ReleaseType::Patch => "patch",
            ReleaseType::Hotfix => "hotfix",
            ReleaseType::Security => "security",
        }
    }
}

/// A planned release.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlannedRelease {
    /// The version: a digit first, then letters, digits, `.`, `-` and `+`.
    #[schemars(schema_with = "version_schema", example = &"1.4.0")]
    pub version: String,
    /// What kind of release it is.
    #[serde(rename = "type")]
    #[schemars(example = ReleaseType::Minor)]
    pub kind: ReleaseType,
    /// The release's name.
    #[serde(default)]
    #[schemars(example = &"Console polish")]
    pub name: Option<String>,
    /// The planned dates, in order: feature_freeze ≤ rc ≤ release.
    pub planned: Milestones,
    /// Later plans, oldest first; the last one is in force.
    #[serde(default)]
    pub replans: Vec<Replan>,
    /// The actual release date, when it is not the tag's.
    #[serde(default)]
    pub actual: Option<Actual>,
    /// `cancelled`; otherwise the status is derived from the dates and tags.
    #[serde(default)]
    #[schemars(example = PlanStatus::Cancelled)]
    pub status: Option<PlanStatus>,
}

/// What `is_version` accepts; also a YAML number (`version: 2025.10`),
/// which almanac reads as written.
fn version_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "anyOf": [
            { "type": "string", "pattern": r"^(?!.*\.\.)[0-9][A-Za-z0-9.+-]*$", "maxLength": 100 },
            { "type": "number", "minimum": 0 },
        ]
    })
}

/// A release's milestones.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Milestones {
    /// The date features freeze.
    #[serde(default)]
    #[schemars(example = &"2025-07-29")]
    pub feature_freeze: Option<NaiveDate>,
    /// The date of the release candidate.
    #[serde(default)]
    #[schemars(example = &"2025-07-31")]
    pub rc: Option<NaiveDate>,
    /// The release date.
    #[schemars(example = &"2025-08-05")]
    pub release: NaiveDate,
}

/// A change of plan.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Replan {
    /// The date the plan changed.
    #[schemars(example = &"2025-07-20")]
    pub on: NaiveDate,
    /// The new release date.
    #[schemars(example = &"2025-08-12")]
    pub release: NaiveDate,
    /// The new feature freeze, if it moved.
    #[serde(default)]
    #[schemars(example = &"2025-08-05")]
    pub feature_freeze: Option<NaiveDate>,
    /// The new release candidate date, if it moved.
    #[serde(default)]
    #[schemars(example = &"2025-08-07")]
    pub rc: Option<NaiveDate>,
    /// Why the plan changed.
    #[serde(default)]
    #[schemars(example = &"CI outage")]
    pub reason: Option<String>,
}

/// What happened, when git's tags do not say it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Actual {
    /// The date the release shipped; overrides the tag's date.
    #[schemars(example = &"2025-08-14")]
    pub release: NaiveDate,
}

/// A status given in the plan; otherwise it is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PlanStatus {
    Cancelled,
}

/// `2025-Q3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    pub q: u32,
}

impl Quarter {
    pub fn of(date: NaiveDate) -> Quarter {
        Quarter {
            year: date.year(),
            q: (date.month() - 1) / 3 + 1,
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.q - 1) * 3 + 1, 1).unwrap_or_default()
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or_default()
    }

    pub fn next(self) -> Quarter {
        if self.q == 4 {
            Quarter {
                year: self.year + 1,
                q: 1,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q + 1,
            }
        }
    }

    pub fn prev(self) -> Quarter {
        if self.q == 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q - 1,
            }
        }
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        Quarter::of(date) == self
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

impl std::str::FromStr for Quarter {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Quarter, String> {
        let bad = || format!("`{s}` is not a quarter: write it as YYYY-Qn, e.g. 2025-Q3");
        let (year, q) = s.trim().split_once(['-', ' ']).ok_or_else(bad)?;
        let q = q.strip_prefix(['Q', 'q']).ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let q: u32 = q.parse().map_err(|_| bad())?;
        if !(1..=4).contains(&q) || !(1000..=9999).contains(&year) {
            return Err(bad());
        }
        Ok(Quarter { year, q })
    }
}

impl<'de> Deserialize<'de> for Quarter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Quarter, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Quarter {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Quarter".into()
    }

    /// What `Quarter::from_str` accepts: a year from 1000 to 9999, `-` or a
    /// space, `Q` or `q`, and 1 to 4 (Rust's integer parsing takes a `+` and
    /// leading zeros), around spaces.
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A quarter, as YYYY-Qn.",
            "pattern": r"^\s*\+?0*[1-9][0-9]{3}[- ][Qq]\+?0*[1-4]\s*$",
            "examples": ["2025-Q3"],
        })
    }
}

impl Serialize for Quarter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl PlannedRelease {
    /// The release date in force: the last replan's, else the plan's.
    pub fn latest_planned(&self) -> NaiveDate {
        self.replans
            .last()
            .map_or(self.planned.release, |r| r.release)
    }

    /// Milestones in force, with replanned ones replacing the originals.
    pub fn milestones(&self) -> Vec<(&'static str, NaiveDate)> {
        let mut freeze = self.planned.feature_freeze;
        let mut rc = self.planned.rc;
        for r in &self.replans {
            freeze = r.feature_freeze.or(freeze);
            rc = r.rc.or(rc);
        }
        let mut out = Vec::new();
        out.extend(freeze.map(|d| ("feature_freeze", d)));
        out.extend(rc.map(|d| ("rc", d)));
        out.push(("release", self.latest_planned()));
        out
    }
}

/// A calendar inconsistency worth a warning, at a position in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanWarning {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses and validates the calendar's text; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Calendar> {
    let calendar: Calendar = if text.trim().is_empty() {
        serde_yaml::from_str("{}").map_err(|e| yaml_error(file, text, &e, 0))?
    } else {
        serde_yaml::from_str(text).map_err(|e| yaml_error(file, text, &e, 0))?
    };
    validate(file, text, &calendar)?;
    Ok(calendar)
}

fn validate(file: &str, text: &str, calendar: &Calendar) -> Result<()> {
    let tz = &calendar.timezone;
    if Zone::parse(tz).is_none() {
        let (line, column) = key_position(text, None, "timezone");
        return Err(Error::at(
            file,
            text,
            line,
            column,
            format!("unsupported timezone `{tz}`"),
        )
        .with_hint(
            "use UTC, a fixed offset such as +02:00, or an IANA name such as Europe/Berlin",
        ));
    }
    if !calendar.tag_pattern.contains("{version}") {
        let (line, column) = key_position(text, None, "tag_pattern");
        return Err(Error::at(
            file,
            text,
            line,
            column,
            "tag_pattern must contain `{version}`",
        )
        .with_hint("for tags like v1.4.0 write 'v{version}'"));
    }
    let mut seen = HashSet::new();
    for r in &calendar.releases {
        if !is_version(&r.version) {
            let (line, column) = version_offset(text, &r.version, 1)
                .or_else(|| text.find(r.version.as_str()))
                .map_or_else(
                    || key_position(text, None, "releases"),
                    |o| crate::error::line_col(text, o),
                );
            return Err(Error::at(
                file,
                text,
                line,
                column,
                format!("`{}` is not a release version", r.version.escape_debug()),
            )
            .with_hint(
                "a version starts with a digit and holds only letters, digits, `.`, `-` and `+`, such as 1.4.0, 2.0.0-rc.1 or 2025.10",
            ));
        }
        if !seen.insert(r.version.as_str()) {
            let (line, column) = nth_version_position(text, &r.version, 2);
            return Err(Error::at(
                file,
                text,
                line,
                column,
                format!("version {} is planned twice", r.version),
            ));
        }
        let p = &r.planned;
        let order = [
            ("feature_freeze", p.feature_freeze),
            ("rc", p.rc),
            ("release", Some(p.release)),
        ];
        let dated: Vec<(&str, NaiveDate)> = order
            .iter()
            .filter_map(|(k, d)| d.map(|d| (*k, d)))
            .collect();
        for pair in dated.windows(2) {
            let ((first, a), (then, b)) = (pair[0], pair[1]);
            if a > b {
                let (line, column) = key_position(text, Some(&r.version), first);
                return Err(Error::at(
                    file,
                    text,
                    line,
                    column,
                    format!("{}: {first} ({a}) is after {then} ({b})", r.version),
                )
                .with_hint("milestones go feature_freeze ≤ rc ≤ release"));
            }
        }
    }
    Ok(())
}

/// Warnings about the plan: weekend milestones, planned releases already past
/// with no release, gaps longer than the cadence. `released` says whether a
/// version has an actual date (from git or the file).
pub fn plan_warnings(
    text: &str,
    calendar: &Calendar,
    today: NaiveDate,
    released: &dyn Fn(&str) -> bool,
) -> Vec<PlanWarning> {
    let mut warnings = Vec::new();
    for r in &calendar.releases {
        if r.status == Some(PlanStatus::Cancelled) {
            continue;
        }
        // Every date written, the plan's and each replan's, at its own
        // place: a Saturday plan replanned to a Sunday is two warnings.
        let mut dates: Vec<(&str, &str, NaiveDate)> = Vec::new();
        let p = &r.planned;
        dates.extend(p.feature_freeze.map(|d| ("", "feature_freeze", d)));
        dates.extend(p.rc.map(|d| ("", "rc", d)));
        dates.push(("", "release", p.release));
        for replan in &r.replans {
            dates.extend(
                replan
                    .feature_freeze
                    .map(|d| ("replanned ", "feature_freeze", d)),
            );
            dates.extend(replan.rc.map(|d| ("replanned ", "rc", d)));
            dates.push(("replanned ", "release", replan.release));
        }
        let mut seen: Vec<NaiveDate> = Vec::new();
        for (replanned, name, date) in dates {
            seen.push(date);
            if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                let n = seen.iter().filter(|d| **d == date).count();
                let (line, column) = date_position(text, &r.version, date, n)
                    .unwrap_or_else(|| key_position(text, Some(&r.version), name));
                warnings.push(PlanWarning {
                    line,
                    column,
                    message: format!(
                        "{}: {replanned}{name} falls on a {} ({date})",
                        r.version,
                        date.weekday()
                    ),
                });
            }
        }
        if r.latest_planned() < today && !released(&r.version) {
            let (line, column) = key_position(text, Some(&r.version), "version");
            warnings.push(PlanWarning {
                line,
                column,
                message: format!(
                    "{} was planned for {} and has no tag or actual date",
                    r.version,
                    r.latest_planned()
                ),
            });
        }
    }
    for (kind, days) in &calendar.cadence_days {
        let mut of_kind: Vec<&PlannedRelease> = calendar
            .releases
            .iter()
            .filter(|r| r.kind == *kind && r.status != Some(PlanStatus::Cancelled))
            .collect();
        of_kind.sort_by_key(|r| r.latest_planned());
        for pair in of_kind.windows(2) {
            let gap = (pair[1].latest_planned() - pair[0].latest_planned()).num_days();
            if gap > *days {
                let (line, column) = key_position(text, Some(&pair[1].version), "version");
                warnings.push(PlanWarning {
                    line,
                    column,
                    message: format!(
                        "{} comes {gap} days after {}: the {} cadence is {days} days",
                        pair[1].version,
                        pair[0].version,
                        kind.as_str()
                    ),
                });
            }
        }
    }
    warnings
}

/// Warnings that need git's tags: a final release's tag (no older than the
/// calendar's first planned release) with no calendar entry, a replan dated
/// after the release shipped, an `actual.release` more than a year from its
/// tag. Pre-release tags are steps on the way, which calendars rarely list.
pub fn history_warnings(
    text: &str,
    calendar: &Calendar,
    tags: &[crate::load::history::TaggedRelease],
) -> Vec<PlanWarning> {
    let zone = calendar.zone();
    let tag_date = |version: &str| {
        tags.iter()
            .find(|t| t.version == version)
            .map(|t| zone.date_of(&t.date))
    };
    let mut warnings = Vec::new();
    let first_planned = calendar.releases.iter().map(|r| r.planned.release).min();
    let at_releases =
        find_key(text, "releases").map_or((1, 1), |o| crate::error::line_col(text, o));
    for tag in tags {
        let date = zone.date_of(&tag.date);
        if crate::load::history::is_prerelease(&tag.version)
            || calendar.releases.iter().any(|r| r.version == tag.version)
            || first_planned.is_none_or(|first| date < first)
        {
            continue;
        }
        warnings.push(PlanWarning {
            line: at_releases.0,
            column: at_releases.1,
            message: format!(
                "tag {} ({date}) matches `{}` but {} has no calendar entry",
                tag.tag, calendar.tag_pattern, tag.version
            ),
        });
    }
    for r in &calendar.releases {
        let shipped = r
            .actual
            .as_ref()
            .map(|a| a.release)
            .or_else(|| tag_date(&r.version));
        let count = |date: NaiveDate| {
            let mut n = usize::from(r.planned.release == date)
                + usize::from(r.planned.rc == Some(date))
                + usize::from(r.planned.feature_freeze == Some(date));
            for p in &r.replans {
                n += usize::from(p.on == date)
                    + usize::from(p.release == date)
                    + usize::from(p.rc == Some(date))
                    + usize::from(p.feature_freeze == Some(date));
            }
            n
        };
        if let Some(shipped) = shipped {
            for replan in r.replans.iter().filter(|p| p.on > shipped) {
                let (line, column) = date_position(text, &r.version, replan.on, 1)
                    .unwrap_or_else(|| key_position(text, Some(&r.version), "replans"));
                warnings.push(PlanWarning {
                    line,
                    column,
                    message: format!(
                        "{}: replanned on {} but shipped on {shipped}: a replan after the release changes nothing",
                        r.version, replan.on
                    ),
                });
            }
        }
        if let (Some(actual), Some(tagged)) = (r.actual.as_ref(), tag_date(&r.version)) {
            let apart = (actual.release - tagged).num_days().abs();
            if apart > 365 {
                let (line, column) =
                    date_position(text, &r.version, actual.release, count(actual.release) + 1)
                        .unwrap_or_else(|| key_position(text, Some(&r.version), "actual"));
                warnings.push(PlanWarning {
                    line,
                    column,
                    message: format!(
                        "{}: actual release {} is {apart} days from its tag's date ({tagged}): a typo in the year?",
                        r.version, actual.release
                    ),
                });
            }
        }
    }
    warnings
}

/// The calendar's time zone: a fixed offset, or an IANA zone whose offset
/// follows daylight saving.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    Fixed(chrono::FixedOffset),
    Named(chrono_tz::Tz),
}

impl Zone {
    /// `UTC`, `+02:00` or an IANA name such as `Europe/Berlin`.
    pub fn parse(tz: &str) -> Option<Zone> {
        if let Some(secs) = parse_offset(tz) {
            return chrono::FixedOffset::east_opt(secs).map(Zone::Fixed);
        }
        tz.parse::<chrono_tz::Tz>().ok().map(Zone::Named)
    }

    /// The calendar day of an instant in this zone.
    pub fn date_of<T: chrono::TimeZone>(&self, t: &chrono::DateTime<T>) -> NaiveDate {
        match self {
            Zone::Fixed(offset) => t.with_timezone(offset).date_naive(),
            Zone::Named(tz) => t.with_timezone(tz).date_naive(),
        }
    }
}

impl Default for Zone {
    fn default() -> Self {
        Zone::Named(chrono_tz::UTC)
    }
}

impl Calendar {
    /// The calendar's zone (validated when parsed; UTC otherwise).
    pub fn zone(&self) -> Zone {
        Zone::parse(&self.timezone).unwrap_or_default()
    }
}

/// `UTC`/`Z` → 0, `+02:00` → 7200 seconds east.
pub fn parse_offset(tz: &str) -> Option<i32> {
    if matches!(tz, "UTC" | "utc" | "Z" | "GMT" | "Etc/UTC") {
        return Some(0);
    }
    let sign = match tz.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let (h, m) = tz[1..].split_once(':').unwrap_or((&tz[1..], "0"));
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// Whether `v` is SemVer-like (`1.4.0`, `2.0.0-rc.1+build.5`, `2025.10`): it
/// names pages and files of the site, so it can never be a path.
pub fn is_version(v: &str) -> bool {
    v.starts_with(|c: char| c.is_ascii_digit())
        && v.len() <= 100
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
        && !v.contains("..")
}

/// Position of `key:` in the entry for `version` (or at the top level), for
/// messages about values that parsed but do not make sense.
pub fn key_position(text: &str, version: Option<&str>, key: &str) -> (usize, usize) {
    let start = match version {
        Some(v) => match version_offset(text, v, 1) {
            Some(o) => o,
            None => return (1, 1),
        },
        None => 0,
    };
    let rest = &text[start..];
    // The entry ends where the next list item at the same depth starts.
    let end = rest[1..].find("\n  - ").map_or(rest.len(), |e| e + 1);
    let at = find_key(&rest[..end], key)
        .map(|i| start + i)
        .unwrap_or(start);
    crate::error::line_col(text, at)
}

/// Position of the `n`th (1-based) `date` written in the entry for `version`.
fn date_position(text: &str, version: &str, date: NaiveDate, n: usize) -> Option<(usize, usize)> {
    let start = version_offset(text, version, 1)?;
    let rest = &text[start..];
    let end = rest[1..].find("\n  - ").map_or(rest.len(), |e| e + 1);
    let written = date.format("%Y-%m-%d").to_string();
    let (at, _) = rest[..end].match_indices(&written).nth(n.checked_sub(1)?)?;
    Some(crate::error::line_col(text, start + at))
}

/// Offset of the first `key:` in `text` (as a whole word).
pub fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(key) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = &text[at + key.len()..];
        if before.is_none_or(|c| !c.is_alphanumeric() && c != '_')
            && after.trim_start_matches(' ').starts_with(':')
        {
            return Some(at);
        }
        from = at + key.len();
    }
    None
}

/// Byte offset of the `n`th `version: V` (1-based).
fn version_offset(text: &str, version: &str, n: usize) -> Option<usize> {
    let mut count = 0;
    let mut from = 0;
    while let Some(i) = find_key(&text[from..], "version") {
        let at = from + i;
        let value = text[at + "version".len()..].trim_start_matches([' ', ':']);
        let value = value.trim_start_matches(['\'', '"']);
        if value.starts_with(version)
            && !value[version.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '.')
        {
            count += 1;
            if count == n {
                return Some(at);
            }
        }
        from = at + "version".len();
    }
    None
}

fn nth_version_position(text: &str, version: &str, n: usize) -> (usize, usize) {
    version_offset(text, version, n).map_or((1, 1), |o| crate::error::line_col(text, o))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "timezone: UTC\ntag_pattern: 'v{version}'\nslip_tolerance_days: 2\nthemes:\n  - { quarter: 2025-Q3, title: Hardening, focus: [tests] }\nreleases:\n  - version: 1.4.0\n    type: minor\n    planned: { feature_freeze: 2025-07-29, rc: 2025-07-31, release: 2025-08-05 }\n    replans: [ { on: 2025-07-20, release: 2025-08-12, reason: CI outage } ]\n    actual: { release: 2025-08-14 }\n  - version: 1.4.1\n    type: hotfix\n    planned: { release: 2025-08-16 }\n";

    #[test]
    fn parses_the_design_example() {
        let c = parse("data/calendar.yaml", PLAN).unwrap();
        assert_eq!(c.releases.len(), 2);
        assert_eq!(
            c.releases[0].latest_planned(),
            NaiveDate::from_ymd_opt(2025, 8, 12).unwrap()
        );
        assert_eq!(c.themes[0].quarter, Quarter { year: 2025, q: 3 });
    }

    fn error_at(text: &str) -> (usize, usize, String) {
        match parse("data/calendar.yaml", text).unwrap_err() {
            Error::Located(loc) => (loc.line, loc.column, loc.message),
            other => panic!("not located: {other}"),
        }
    }

    #[test]
    fn data_errors_name_their_position() {
        let (line, _, msg) =
            error_at(&PLAN.replace("    type: hotfix\n", "    type: hotfix\n    owner: me\n"));
        assert_eq!(line, 14);
        assert!(msg.contains("unknown field `owner`"), "{msg}");
        let (line, _, msg) = error_at(&PLAN.replace("release: 2025-08-16", "release: 2025-02-30"));
        assert_eq!(line, 14, "{msg}");
        let (line, column, msg) =
            error_at(&PLAN.replace("feature_freeze: 2025-07-29", "feature_freeze: 2025-08-29"));
        assert_eq!((line, column), (9, 16), "{msg}");
        assert!(
            msg.contains("feature_freeze (2025-08-29) is after rc (2025-07-31)"),
            "{msg}"
        );
        let (line, column, msg) = error_at(&PLAN.replace("version: 1.4.1", "version: 1.4.0"));
        assert_eq!((line, column), (12, 5), "{msg}");
        assert!(msg.contains("planned twice"), "{msg}");
        let (line, _, msg) = error_at(&PLAN.replace("type: minor", "type: feature"));
        assert_eq!(line, 8, "{msg}");
        let (line, column, msg) =
            error_at(&PLAN.replace("timezone: UTC", "timezone: Europe/Pariss"));
        assert_eq!((line, column), (1, 1), "{msg}");
        let (line, _, msg) = error_at(&PLAN.replace("quarter: 2025-Q3", "quarter: 2025-Q5"));
        assert_eq!(line, 5, "{msg}");
    }

    #[test]
    fn plan_warnings_cases() {
        let mut text = PLAN.replace("release: 2025-08-16", "release: 2025-08-17"); // a Sunday
        text.push_str("cadence_days: { minor: 30 }\n  \n");
        text = text.replace("  - version: 1.4.1", "  - version: 1.5.0\n    type: minor\n    planned: { release: 2025-10-07 }\n  - version: 1.4.1");
        let c = parse("data/calendar.yaml", &text).unwrap();
        let today = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
        let warnings = plan_warnings(&text, &c, today, &|v| v == "1.4.0");
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "1.4.1: release falls on a Sun (2025-08-17)",
                "1.4.1 was planned for 2025-08-17 and has no tag or actual date",
                "1.5.0 comes 56 days after 1.4.0: the minor cadence is 30 days",
            ]
        );
    }

    #[test]
    fn quarters() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(Quarter::of(d("2025-09-30")).to_string(), "2025-Q3");
        assert_eq!(Quarter::of(d("2025-10-01")).to_string(), "2025-Q4");
        let q: Quarter = "2025-Q4".parse().unwrap();
        assert_eq!(
            (q.first_day(), q.last_day()),
            (d("2025-10-01"), d("2025-12-31"))
        );
        assert_eq!(q.next().to_string(), "2026-Q1");
        assert_eq!(q.next().prev(), q);
        for bad in ["2025-Q0", "2025Q3", "25-Q1", "2025-Q5", "x"] {
            assert!(bad.parse::<Quarter>().is_err(), "{bad}");
        }
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("UTC"), Some(0));
        assert_eq!(parse_offset("+02:00"), Some(7200));
        assert_eq!(parse_offset("-05:30"), Some(-(5 * 3600 + 30 * 60)));
        assert_eq!(parse_offset("Europe/Paris"), None);
        assert!(matches!(Zone::parse("Europe/Paris"), Some(Zone::Named(_))));
        assert_eq!(Zone::parse("Mars/Olympus"), None);
    }
}
