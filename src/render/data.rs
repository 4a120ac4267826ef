//! The release data as site pages and files: the calendar page with its
//! quarters, month grids and upcoming milestones; a page per release; the
//! metrics dashboard; `calendar.ics`, `calendar.json` and the SVG charts.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use super::charts;
use crate::load::calendar::{Calendar, Quarter, Theme};
use crate::load::history::TaggedRelease;
use crate::load::metrics::{Incident, Metrics, Source};
use crate::releases::{self, KpiState, KpiStatus, QuarterStats, Release, ReleaseStatus};
use crate::shortcodes::Shortcode;
use crate::site::{DataPage, SitePage};

/// Where the generated pages live.
pub const CALENDAR_DIR: &str = "calendar";
pub const METRICS_URL: &str = "metrics/index.html";
pub const REPORTS_DIR: &str = "reports";

pub fn release_url(version: &str) -> String {
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
    pub feed: super::feed::FeedSite,
}

pub type FirstCommits = std::collections::BTreeMap<String, chrono::DateTime<chrono::FixedOffset>>;
static NO_FIRST_COMMITS: FirstCommits = FirstCommits::new();

impl<'a> ReleaseData<'a> {
    pub fn new(
        calendar: Option<&'a Calendar>,
        metrics: Option<&'a Metrics>,
        tags: &'a [TaggedRelease],
        today: NaiveDate,
    ) -> Self {
        Self::with_rules(
            calendar,
            metrics,
            tags,
            today,
            &releases::ChangelogRules::default(),
        )
    }

    /// `new`, with the changelog rules of the site's `changelog:` section.
    pub fn with_rules(
        calendar: Option<&'a Calendar>,
        metrics: Option<&'a Metrics>,
        tags: &'a [TaggedRelease],
        today: NaiveDate,
        rules: &releases::ChangelogRules,
    ) -> Self {
        let releases = calendar
            .map(|c| releases::releases(c, tags, today, rules))
            .unwrap_or_default();
        ReleaseData {
            calendar,
            metrics,
            tags,
            releases,
            today,
            first_commits: &NO_FIRST_COMMITS,
            feed: super::feed::FeedSite::new(
                calendar.and_then(|c| c.uid_domain.as_deref()),
                None,
                None,
                None,
            ),
        }
    }

    /// With the site's URL and repository, which name the feeds.
    pub fn with_site(mut self, config: &crate::config::Config, remote: Option<&str>) -> Self {
        self.feed = super::feed::FeedSite::new(
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
            Some(m) => releases::kpi_statuses(m, quarter, &self.releases, self.tags, self.today),
            None => Vec::new(),
        }
    }

    /// Files beside the pages: (output path, contents).
    pub fn files(&self, site_title: &str) -> Vec<(String, String)> {
        let mut files = Vec::new();
        if let Some(calendar) = self.calendar {
            files.push((
                "calendar.ics".into(),
                super::ical::ics(site_title, &self.feed, &self.releases),
            ));
            files.push((
                "releases.xml".into(),
                super::feed::atom(site_title, &self.feed, &self.releases),
            ));
            let json =
                serde_json::json!({ "timezone": calendar.timezone, "releases": self.releases });
            files.push((
                "calendar.json".into(),
                serde_json::to_string_pretty(&json).unwrap_or_default() + "\n",
            ));
            files.push((
                "charts/timeline.svg".into(),
                charts::timeline(&self.releases),
            ));
            files.push((
                "charts/slip.svg".into(),
                charts::slip_chart(&self.releases, calendar.slip_tolerance_days),
            ));
        }
        if let Some(metrics) = self.metrics {
            for kpi in &metrics.kpis {
                let points = self.kpi_points(&kpi.id);
                let svg = charts::kpi_chart(
                    kpi.title(),
                    kpi.unit.as_deref().unwrap_or(""),
                    &points,
                    kpi.target,
                );
                files.push((format!("charts/kpi-{}.svg", kpi.id), svg));
            }
        }
        files
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
                    let v =
                        releases::kpi_value(metrics, id, q, &self.releases, self.tags, self.today);
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

    pub fn calendar_view(&self) -> CalendarView {
        let quarters = self
            .quarters()
            .into_iter()
            .map(|q| QuarterView {
                quarter: q.to_string(),
                theme: self
                    .calendar
                    .and_then(|c| c.themes.iter().find(|t| t.quarter == q))
                    .cloned(),
                stats: releases::quarter_stats(q, &self.releases, self.tags, self.today),
                releases: self
                    .releases
                    .iter()
                    .filter(|r| r.quarter == q)
                    .map(ReleaseRow::from)
                    .collect(),
                months: (0..3)
                    .map(|m| self.month(q.year, (q.q - 1) * 3 + 1 + m))
                    .collect(),
            })
            .collect();
        let mut upcoming: Vec<MilestoneRow> = self
            .releases
            .iter()
            .filter(|r| r.status.is_pending())
            .flat_map(|r| milestones(r).into_iter().map(move |(m, d)| (r, m, d)))
            .filter(|(_, _, d)| *d >= self.today)
            .map(|(r, m, d)| MilestoneRow {
                date: d.to_string(),
                version: r.version.clone(),
                milestone: m,
                url: release_url(&r.version),
                days_away: (d - self.today).num_days(),
            })
            .collect();
        upcoming.sort_by(|a, b| (&a.date, &a.version).cmp(&(&b.date, &b.version)));
        CalendarView {
            tolerance_days: self.calendar.map_or(0, |c| c.slip_tolerance_days),
            quarters,
            upcoming,
            today: self.today.to_string(),
        }
    }

    fn month(&self, year: i32, month: u32) -> Month {
        let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(self.today);
        let days_in = (28..=31)
            .rev()
            .find(|&d| NaiveDate::from_ymd_opt(year, month, d).is_some())
            .unwrap_or(28);
        let lead = first.weekday().num_days_from_monday() as usize;
        let mut cells: Vec<Day> = (0..lead).map(|_| Day::default()).collect();
        for day in 1..=days_in {
            let date = NaiveDate::from_ymd_opt(year, month, day).unwrap_or(first);
            let mut events = Vec::new();
            for r in &self.releases {
                for (m, d) in milestones(r) {
                    if d == date {
                        events.push(DayEvent {
                            label: format!("{} {}", r.version, m),
                            kind: m,
                            url: release_url(&r.version),
                        });
                    }
                }
            }
            cells.push(Day {
                day,
                weekend: matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
                today: date == self.today,
                events,
            });
        }
        while !cells.len().is_multiple_of(7) {
            cells.push(Day::default());
        }
        Month {
            title: first.format("%B %Y").to_string(),
            weeks: cells.chunks(7).map(<[Day]>::to_vec).collect(),
        }
    }

    /// The HTML of a (validated) shortcode on a page whose way back to the site root is `root`.
    pub fn expand(&self, code: &Shortcode, root: &str) -> String {
        let escape = crate::markdown::escape;
        let num = super::theme::format_number;
        match code.name.as_str() {
            "chart" => {
                let (file, alt) = match (
                    code.args.get("kpi"),
                    code.args.get("name").map(String::as_str),
                ) {
                    (Some(id), _) => {
                        let kpi = self
                            .metrics
                            .and_then(|m| m.kpis.iter().find(|k| &k.id == id));
                        let alt = match kpi {
                            Some(k) => format!(
                                "{} over time{}",
                                k.title(),
                                k.target
                                    .map(|t| format!(", target {} {}", t.symbol(), num(t.value)))
                                    .unwrap_or_default()
                            ),
                            None => id.clone(),
                        };
                        (format!("kpi-{id}"), alt)
                    }
                    (None, Some("slip")) => {
                        ("slip".to_string(), "Slip in days per release".to_string())
                    }
                    _ => (
                        "timeline".to_string(),
                        "Release timeline: planned and actual dates".to_string(),
                    ),
                };
                format!(
                    "<figure class=\"al-chart\"><img src=\"{root}charts/{file}.svg\" alt=\"{}\"></figure>",
                    escape(&alt)
                )
            }
            "kpi" => {
                let id = code.args.get("id").map_or("", String::as_str);
                let status = self
                    .kpis(self.current_quarter())
                    .into_iter()
                    .find(|k| k.id == id);
                match status {
                    Some(k) => {
                        let value = k.value.map_or("no data".to_string(), |v| {
                            format!(
                                "{}{}",
                                num(v),
                                k.unit
                                    .as_deref()
                                    .map(|u| format!(" {u}"))
                                    .unwrap_or_default()
                            )
                        });
                        let target = k
                            .target
                            .map(|t| format!("target {} {}", t.symbol(), num(t.value)))
                            .unwrap_or_default();
                        format!(
                            "<a class=\"al-kpi al-kpi-{}\" href=\"{root}{METRICS_URL}#kpi-{}\" title=\"{} in {}: {}\">{}</a>",
                            k.status,
                            escape(id),
                            escape(&k.name),
                            self.current_quarter(),
                            escape(&target),
                            escape(&value)
                        )
                    }
                    None => "<span class=\"al-kpi\">no data</span>".to_string(),
                }
            }
            "next_release" => {
                let next = self
                    .releases
                    .iter()
                    .filter(|r| r.status.is_pending())
                    .filter_map(|r| r.latest_planned.map(|d| (d, r)))
                    .min_by_key(|(d, _)| *d);
                match next {
                    Some((date, r)) => format!(
                        "<a href=\"{root}{}\">{}{}</a>, planned for {date}",
                        release_url(&r.version),
                        escape(&r.version),
                        r.name
                            .as_ref()
                            .map(|n| format!(" ({})", escape(n)))
                            .unwrap_or_default()
                    ),
                    None => "no release planned".to_string(),
                }
            }
            _ => {
                let quarter = code
                    .args
                    .get("quarter")
                    .and_then(|q| q.parse::<Quarter>().ok())
                    .unwrap_or_else(|| self.current_quarter());
                let rows: String = self
                    .releases
                    .iter()
                    .filter(|r| r.quarter == quarter)
                    .map(|r| {
                        format!(
                            "<tr><td><a href=\"{root}{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><span class=\"al-status al-status-{}\">{}</span></td></tr>",
                            release_url(&r.version),
                            escape(&r.version),
                            r.kind.as_str(),
                            r.latest_planned.map(|d| d.to_string()).unwrap_or_default(),
                            r.actual.map_or("–".to_string(), |d| d.to_string()),
                            r.slip_days.map(|s| format!("{s} d")).unwrap_or_default(),
                            r.status,
                            r.status
                        )
                    })
                    .collect();
                if rows.is_empty() {
                    return format!("<p class=\"al-stats\">No releases in {quarter}.</p>");
                }
                format!(
                    "<table class=\"al-data\"><caption>{quarter}</caption><thead><tr><th>Release</th><th>Type</th><th>Planned</th><th>Actual</th><th>Slip</th><th>Status</th></tr></thead><tbody>{rows}</tbody></table>"
                )
            }
        }
    }

    pub fn release_view(&self, i: usize) -> Option<&Release> {
        self.releases.get(i)
    }

    pub fn metrics_view(&self) -> MetricsView {
        let quarter = self.current_quarter();
        let kpis = self.kpis(quarter);
        let incidents: Vec<IncidentRow> = self
            .metrics
            .map(|m| m.incidents.iter().map(IncidentRow::from).collect())
            .unwrap_or_default();
        MetricsView {
            quarter: quarter.to_string(),
            passing: kpis.iter().filter(|k| k.status == KpiState::Pass).count(),
            failing: kpis.iter().filter(|k| k.status == KpiState::Fail).count(),
            in_progress: kpis
                .iter()
                .filter(|k| k.status == KpiState::InProgress)
                .count(),
            no_data: kpis.iter().filter(|k| k.status == KpiState::NoData).count(),
            scorecard: kpis,
            incidents,
        }
    }
}

/// The milestones of a release as shown on the calendar: freeze, rc, the
/// planned release, and the actual release when it differs.
fn milestones(r: &Release) -> Vec<(&'static str, NaiveDate)> {
    let mut out = Vec::new();
    if let Some(p) = &r.planned {
        out.extend(p.feature_freeze.map(|d| ("feature freeze", d)));
        out.extend(p.rc.map(|d| ("rc", d)));
    }
    match (r.latest_planned, r.actual) {
        (Some(p), Some(a)) if p != a => {
            out.push(("planned release", p));
            out.push(("released", a));
        }
        (_, Some(a)) => out.push(("released", a)),
        (Some(p), None) => out.push(("release", p)),
        (None, None) => {}
    }
    out
}

#[derive(Debug, Serialize)]
pub struct CalendarView {
    pub today: String,
    pub tolerance_days: i64,
    pub quarters: Vec<QuarterView>,
    pub upcoming: Vec<MilestoneRow>,
}

#[derive(Debug, Serialize)]
pub struct QuarterView {
    pub quarter: String,
    pub theme: Option<Theme>,
    pub stats: QuarterStats,
    pub releases: Vec<ReleaseRow>,
    pub months: Vec<Month>,
}

#[derive(Debug, Serialize)]
pub struct ReleaseRow {
    pub version: String,
    pub url: String,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub status: ReleaseStatus,
    pub planned: Option<String>,
    pub actual: Option<String>,
    pub slip_days: Option<i64>,
    pub on_time: Option<bool>,
}

impl From<&Release> for ReleaseRow {
    fn from(r: &Release) -> Self {
        ReleaseRow {
            version: r.version.clone(),
            url: release_url(&r.version),
            name: r.name.clone(),
            kind: r.kind.as_str(),
            status: r.status,
            planned: r.latest_planned.map(|d| d.to_string()),
            actual: r.actual.map(|d| d.to_string()),
            slip_days: r.slip_days,
            on_time: r.on_time,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct MilestoneRow {
    pub date: String,
    pub version: String,
    pub milestone: &'static str,
    pub url: String,
    pub days_away: i64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Day {
    /// 0 for the blank cells before the 1st and after the last day.
    pub day: u32,
    pub weekend: bool,
    pub today: bool,
    pub events: Vec<DayEvent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DayEvent {
    pub label: String,
    pub kind: &'static str,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct Month {
    pub title: String,
    pub weeks: Vec<Vec<Day>>,
}

#[derive(Debug, Serialize)]
pub struct MetricsView {
    pub quarter: String,
    pub scorecard: Vec<KpiStatus>,
    pub passing: usize,
    pub failing: usize,
    pub in_progress: usize,
    pub no_data: usize,
    pub incidents: Vec<IncidentRow>,
}

/// An incident as pages and reports show it.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentRow {
    pub id: String,
    pub release: Option<String>,
    pub severity: Option<String>,
    pub detected: String,
    pub hours_to_restore: Option<f64>,
    pub fixed_in: Option<String>,
    pub rollback: bool,
    pub summary: Option<String>,
    /// Link to the post-incident review.
    pub review: Option<String>,
}

impl From<&Incident> for IncidentRow {
    fn from(i: &Incident) -> Self {
        IncidentRow {
            id: i.id.clone(),
            release: i.release.clone(),
            severity: i.severity.clone(),
            detected: i.detected.format("%Y-%m-%d %H:%M").to_string(),
            hours_to_restore: i.hours_to_restore().map(releases::round2),
            fixed_in: i.fixed_in.clone(),
            rollback: i.rollback,
            summary: i.summary.clone(),
            review: i.review.clone(),
        }
    }
}
