//! `data/metrics.yaml`: KPI definitions with targets, observations and
//! incidents (DESIGN §5). `source: git` KPIs are computed, never entered.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::calendar::{Quarter, find_key};
use crate::config::yaml_error;
use crate::error::{Error, Result};

/// `data/metrics.yaml`: KPI definitions with targets, observations and incidents.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schemars(title = "metrics.yaml")]
pub struct Metrics {
    /// The KPIs, each with an id that observations and shortcodes use.
    #[serde(default)]
    pub kpis: Vec<Kpi>,
    /// Measured values of the KPIs, per release, date or quarter.
    #[serde(default)]
    pub observations: Vec<Observation>,
    /// Incidents in production, for the report's incident section.
    #[serde(default)]
    pub incidents: Vec<Incident>,
}

/// A key performance indicator.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    /// The KPI's id: a-z, 0-9, `_` and `-`. With `source: git`, one of the
    /// KPIs almanac computes.
    #[schemars(regex(pattern = r"^[a-z0-9_-]+$"), example = &"test_pass_rate")]
    pub id: String,
    /// The KPI's name in pages and reports (default: its id).
    #[serde(default)]
    #[schemars(example = &"Test pass rate")]
    pub name: Option<String>,
    /// What the KPI measures.
    #[serde(default)]
    #[schemars(example = &"Share of CI test runs on main that pass.")]
    pub description: Option<String>,
    /// The unit values are in.
    #[serde(default)]
    #[schemars(example = &"%")]
    pub unit: Option<String>,
    /// The value to meet.
    #[serde(default)]
    pub target: Option<Target>,
    /// How binding the target is.
    #[serde(default)]
    #[schemars(example = &"must")]
    pub tier: Option<String>,
    /// Where the KPI is explained: a content-relative link with an anchor.
    #[serde(default)]
    #[schemars(example = &"release/METRICS.md#quality")]
    pub doc: Option<String>,
    /// `manual` (values are observations) or `git` (computed from tags and commits).
    #[serde(default)]
    #[schemars(example = Source::Git)]
    pub source: Source,
}

impl Kpi {
    pub fn title(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

/// Where a KPI's values come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Entered as observations.
    #[default]
    Manual,
    /// Computed from git's tags and commits.
    Git,
}

/// A KPI's target.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// How a value compares with the target.
    #[schemars(example = Op::AtLeast)]
    pub op: Op,
    /// The target value.
    #[schemars(example = 95)]
    pub value: f64,
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Op {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = ">")]
    Above,
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = "<")]
    Below,
    #[serde(rename = "==")]
    Equal,
}

impl Target {
    pub fn met_by(&self, value: f64) -> bool {
        match self.op {
            Op::AtLeast => value >= self.value,
            Op::Above => value > self.value,
            Op::AtMost => value <= self.value,
            Op::Below => value < self.value,
            Op::Equal => (value - self.value).abs() < 1e-9,
        }
    }

    /// Whether a larger value is better (for trends).
    pub fn higher_is_better(&self) -> bool {
        matches!(self.op, Op::AtLeast | Op::Above)
    }

    pub fn symbol(&self) -> &'static str {
        match self.op {
            Op::AtLeast => "≥",
            Op::Above => ">",
            Op::AtMost => "≤",
            Op::Below => "<",
            Op::Equal => "=",
        }
    }
}

/// Values measured for a release, on a date or over a quarter (at least one of the three).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
#[schemars(extend("anyOf" = [
    { "required": ["release"] }, { "required": ["period"] }, { "required": ["date"] }
]))]
pub struct Observation {
    /// The release measured.
    #[serde(default)]
    #[schemars(example = &"1.4.0")]
    pub release: Option<String>,
    /// The quarter measured, as YYYY-Qn.
    #[serde(default)]
    pub period: Option<Quarter>,
    /// The date of the measurement.
    #[serde(default)]
    #[schemars(example = &"2025-08-14")]
    pub date: Option<NaiveDate>,
    /// The values, by KPI id; every id must be a KPI of `kpis`.
    #[schemars(example = BTreeMap::from([("test_pass_rate", 96.1), ("coverage", 91.0)]))]
    pub values: BTreeMap<String, f64>,
}

/// An incident in production.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// The incident's id.
    #[schemars(example = &"INC-7")]
    pub id: String,
    /// The release it happened in.
    #[serde(default)]
    #[schemars(example = &"1.4.0")]
    pub release: Option<String>,
    /// How severe it was.
    #[serde(default)]
    #[schemars(example = &"high")]
    pub severity: Option<String>,
    /// When it was detected: a date-time like 2025-08-15T09:00Z (seconds and
    /// the offset optional; a bare date is midnight UTC).
    #[serde(deserialize_with = "timestamp")]
    #[schemars(with = "String", regex(pattern = TIMESTAMP), example = &"2025-08-15T09:00Z")]
    pub detected: DateTime<FixedOffset>,
    /// When it was resolved, in the same form.
    #[serde(default, deserialize_with = "optional_timestamp")]
    #[schemars(with = "String", regex(pattern = TIMESTAMP), example = &"2025-08-15T11:30Z")]
    pub resolved: Option<DateTime<FixedOffset>>,
    /// The release that fixed it.
    #[serde(default)]
    #[schemars(example = &"1.4.1")]
    pub fixed_in: Option<String>,
    /// Whether the release was rolled back.
    #[serde(default)]
    #[schemars(example = true)]
    pub rollback: bool,
    /// What happened, in a sentence.
    #[serde(default)]
    #[schemars(example = &"Login failed for SSO users")]
    pub summary: Option<String>,
    /// Link to the post-incident review.
    #[serde(default)]
    #[schemars(example = &"https://wiki.example.org/postmortems/inc-7")]
    pub review: Option<String>,
}

/// The forms `parse_timestamp` reads, for the schema: a date, then `Z` or
/// a time (`T` or a space; seconds and a fraction optional), itself followed
/// by `Z` or an offset such as `+02:00` or `-5`.
const TIMESTAMP: &str = r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}(?:Z|[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{1,2}(?::[0-9]{2})?)?)?\s*$";

impl Incident {
    /// Hours from detection to resolution.
    pub fn hours_to_restore(&self) -> Option<f64> {
        self.resolved
            .map(|r| (r - self.detected).num_minutes() as f64 / 60.0)
    }
}

/// `2025-08-15T09:00Z`, with or without seconds, `Z` or an offset; a bare date is midnight UTC.
pub fn parse_timestamp(s: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t);
    }
    let utc = FixedOffset::east_opt(0)?;
    let s = s.trim();
    let (body, offset) = if let Some(body) = s.strip_suffix('Z') {
        (body, utc)
    } else if let Some(i) = s.rfind(['+', '-']).filter(|&i| i > 10) {
        let secs = super::calendar::parse_offset(&s[i..])?;
        (&s[..i], FixedOffset::east_opt(secs)?)
    } else {
        (s, utc)
    };
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(body, format) {
            return naive.and_local_timezone(offset).single();
        }
    }
    let date = NaiveDate::parse_from_str(body, "%Y-%m-%d").ok()?;
    date.and_hms_opt(0, 0, 0)?
        .and_local_timezone(offset)
        .single()
}

fn timestamp<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<DateTime<FixedOffset>, D::Error> {
    let s = String::deserialize(d)?;
    parse_timestamp(&s).ok_or_else(|| {
        serde::de::Error::custom(format!("`{s}` is not a date-time like 2025-08-15T09:00Z"))
    })
}

fn optional_timestamp<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<DateTime<FixedOffset>>, D::Error> {
    timestamp(d).map(Some)
}

/// Parses and validates the metrics' text; `file` names it in errors. The
/// first problem is the error (see `parse_all` for every one).
pub fn parse(file: &str, text: &str) -> Result<Metrics> {
    let (metrics, mut errors) = parse_all(file, text);
    match (metrics, errors.is_empty()) {
        (Some(metrics), true) => Ok(metrics),
        _ => Err(errors.remove(0)),
    }
}

/// The ids a `source: git` KPI can have: what almanac computes from history.
pub const COMPUTED_KPIS: &[&str] = &[
    "release_frequency",
    "lead_time",
    "lead_time_days",
    "lead_time_p90",
    "lead_time_p90_days",
    "hotfix_count",
    "hotfixes",
    "revert_count",
    "reverts",
    "on_time_rate",
    "slip",
    "slip_days",
    "total_slip_days",
];

/// Parses the metrics and reports every problem once, at its own line: the
/// metrics less what is wrong (bad or repeated KPIs, observations of unknown
/// KPIs), so that one mistake does not make the KPIs that are defined look
/// missing too. `None` when the file is not the right shape at all.
pub fn parse_all(file: &str, text: &str) -> (Option<Metrics>, Vec<Error>) {
    if text.trim().is_empty() {
        return (Some(Metrics::default()), Vec::new());
    }
    let mut metrics: Metrics = match serde_yaml::from_str(text) {
        Ok(m) => m,
        Err(e) => return (None, vec![yaml_error(file, text, &e, 0)]),
    };
    let mut errors = Vec::new();
    let mut ids = HashSet::new();
    let mut keep = Vec::with_capacity(metrics.kpis.len());
    for kpi in &metrics.kpis {
        if !is_kpi_id(&kpi.id) {
            let at = nth_key_value(text, "id", &kpi.id, 1);
            let at = if at == (1, 1) {
                text.find(kpi.id.as_str())
                    .map_or(at, |o| crate::error::line_col(text, o))
            } else {
                at
            };
            errors.push(
                Error::at(
                    file,
                    text,
                    at.0,
                    at.1,
                    format!("`{}` is not a KPI id", kpi.id.escape_debug()),
                )
                .with_hint("a KPI id holds only a-z, 0-9, `_` and `-`, such as test_pass_rate"),
            );
            keep.push(false);
            continue;
        }
        if !ids.insert(kpi.id.clone()) {
            let at = nth_key_value(text, "id", &kpi.id, 2);
            errors.push(Error::at(
                file,
                text,
                at.0,
                at.1,
                format!("KPI `{}` is defined twice", kpi.id),
            ));
            keep.push(false);
            continue;
        }
        if kpi.source == Source::Git && !COMPUTED_KPIS.contains(&kpi.id.as_str()) {
            let at = nth_key_value(text, "id", &kpi.id, 1);
            errors.push(
                Error::at(
                    file,
                    text,
                    at.0,
                    at.1,
                    format!(
                        "`{}` has `source: git`, but almanac computes no such KPI",
                        kpi.id
                    ),
                )
                .with_hint(format!(
                    "computed KPIs: {}; or drop `source: git` and enter its values as observations",
                    COMPUTED_KPIS.join(", ")
                )),
            );
        }
        keep.push(true);
    }
    let mut keep = keep.into_iter();
    metrics.kpis.retain(|_| keep.next().unwrap_or(false));
    let mut known: Vec<&str> = ids.iter().map(String::as_str).collect();
    known.sort_unstable();
    let known = known.join(", ");
    // The nth observation of a key is at its nth place in the file.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut dateless = 0;
    for obs in &mut metrics.observations {
        for key in &obs.values.keys().cloned().collect::<Vec<_>>() {
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            let problem = if !ids.contains(key.as_str()) {
                Some((
                    format!("observation of `{key}`, which is not a KPI"),
                    format!("define it under kpis, or use one of: {known}"),
                ))
            } else if obs.values.get(key).is_some_and(|v| !v.is_finite()) {
                Some((
                    format!("the value of `{key}` is not a number (.nan or .inf)"),
                    "write the measured number, or leave the KPI out of this observation: no data is shown as a gap".to_string(),
                ))
            } else {
                None
            };
            if let Some((message, hint)) = problem {
                let (line, column) = observation_value_position(text, key, *n);
                errors.push(Error::at(file, text, line, column, message).with_hint(hint));
                obs.values.remove(key);
            }
        }
        if obs.release.is_none() && obs.period.is_none() && obs.date.is_none() {
            dateless += 1;
            let (line, column) = observation_value_position(
                text,
                obs.values.keys().next().map_or("values", |s| s),
                dateless,
            );
            errors.push(Error::at(
                file,
                text,
                line,
                column,
                "an observation needs a release, a period or a date",
            ));
        }
    }
    metrics
        .observations
        .retain(|o| o.release.is_some() || o.period.is_some() || o.date.is_some());
    (Some(metrics), errors)
}

/// Warnings about the metrics: a hand-entered value for a KPI almanac
/// computes from git (the value is ignored), at the value.
pub fn warnings(text: &str, metrics: &Metrics) -> Vec<super::calendar::PlanWarning> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for obs in &metrics.observations {
        for key in obs.values.keys() {
            let n = seen.entry(key.as_str()).or_insert(0);
            *n += 1;
            if metrics
                .kpis
                .iter()
                .any(|k| &k.id == key && k.source == Source::Git)
            {
                let (line, column) = observation_value_position(text, key, *n);
                out.push(super::calendar::PlanWarning {
                    line,
                    column,
                    message: format!(
                        "a value entered for `{key}`, which almanac computes from git (`source: git`): it is ignored"
                    ),
                });
            }
        }
    }
    out
}

/// Whether `id` is a KPI id: `[a-z0-9_-]+`. It names the KPI's chart file.
pub fn is_kpi_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-'))
}

/// Where `key: value` appears for the `n`th time (1-based).
fn nth_key_value(text: &str, key: &str, value: &str, n: usize) -> (usize, usize) {
    let mut count = 0;
    for (i, _) in text.match_indices(key) {
        let rest = text[i + key.len()..]
            .trim_start_matches([' ', ':'])
            .trim_start_matches(['\'', '"']);
        if rest.starts_with(value)
            && !rest[value.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            count += 1;
            if count == n {
                return crate::error::line_col(text, i);
            }
        }
    }
    (1, 1)
}

/// Where the `n`th (1-based) `key:` under `observations:` is.
fn observation_value_position(text: &str, key: &str, n: usize) -> (usize, usize) {
    let mut at = find_key(text, "observations").unwrap_or(0);
    for i in 0..n {
        match find_key(&text[at..], key) {
            Some(found) => at += found + if i + 1 < n { key.len() } else { 0 },
            None => break,
        }
    }
    crate::error::line_col(text, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    const METRICS: &str = "kpis:\n  - { id: test_pass_rate, name: Test pass rate, unit: '%', target: { op: '>=', value: 95 },\n      tier: must, doc: 'release/METRICS.md#quality' }\n  - { id: release_frequency, source: git, unit: releases/month, target: { op: '>=', value: 1 } }\nobservations:\n  - { release: 1.4.0, date: 2025-08-14, values: { test_pass_rate: 96.1 } }\n  - { period: 2025-Q3, values: { release_frequency: 2 } }\nincidents:\n  - { id: INC-7, release: 1.4.0, severity: high, detected: 2025-08-15T09:00Z,\n      resolved: 2025-08-15T11:30Z, fixed_in: 1.4.1, rollback: false }\n";

    #[test]
    fn parses_the_design_example() {
        let m = parse("data/metrics.yaml", METRICS).unwrap();
        assert_eq!(m.kpis.len(), 2);
        assert_eq!(m.kpis[1].source, Source::Git);
        assert!(m.kpis[0].target.unwrap().met_by(96.1));
        assert_eq!(m.incidents[0].hours_to_restore(), Some(2.5));
    }

    fn error_at(text: &str) -> (usize, usize, String) {
        match parse("data/metrics.yaml", text).unwrap_err() {
            Error::Located(loc) => (loc.line, loc.column, loc.message),
            other => panic!("not located: {other}"),
        }
    }

    #[test]
    fn data_errors_name_their_position() {
        let (line, _, msg) =
            error_at(&METRICS.replace("op: '>=', value: 95", "op: '=>', value: 95"));
        assert_eq!(line, 2, "{msg}");
        let (line, column, msg) = error_at(&METRICS.replace(
            "values: { test_pass_rate: 96.1 }",
            "values: { test_pas_rate: 96.1 }",
        ));
        assert_eq!((line, column), (6, 51), "{msg}");
        assert!(msg.contains("`test_pas_rate`, which is not a KPI"), "{msg}");
        // YAML's .nan and .inf parse as numbers; they are no measurement.
        for bad in [".nan", ".inf", "-.Inf"] {
            let (line, column, msg) = error_at(&METRICS.replace(
                "values: { test_pass_rate: 96.1 }",
                &format!("values: {{ test_pass_rate: {bad} }}"),
            ));
            assert_eq!((line, column), (6, 51), "{bad}: {msg}");
            assert!(msg.contains("`test_pass_rate` is not a number"), "{msg}");
        }
        let (line, _, msg) =
            error_at(&METRICS.replace("detected: 2025-08-15T09:00Z", "detected: yesterday"));
        assert_eq!(line, 9, "{msg}");
        let (line, column, msg) =
            error_at(&METRICS.replace("id: release_frequency,", "id: test_pass_rate,"));
        assert_eq!((line, column), (4, 7), "{msg}");
        let (line, _, msg) = error_at(&METRICS.replace("tier: must,", "tier: must, owner: x,"));
        assert_eq!(line, 3, "{msg}");
    }

    #[test]
    fn timestamps() {
        let t = parse_timestamp("2025-08-15T09:00Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2025-08-15T09:00:00+00:00");
        assert_eq!(
            parse_timestamp("2025-08-15T09:00:30+02:00")
                .unwrap()
                .to_rfc3339(),
            "2025-08-15T09:00:30+02:00"
        );
        assert_eq!(
            parse_timestamp("2025-08-15").unwrap().to_rfc3339(),
            "2025-08-15T00:00:00+00:00"
        );
        assert!(parse_timestamp("soon").is_none());
    }
}
