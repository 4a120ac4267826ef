//! The release data (`releases::ReleaseData`) as site pages and files: the
//! calendar page with its quarters, month grids and upcoming milestones; a
//! page per release; the metrics dashboard; `calendar.ics`, `calendar.json`
//! and the SVG charts.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use super::charts;
use crate::load::calendar::{Quarter, Theme};
use crate::load::metrics::Incident;
use crate::releases::{
    self, KpiState, KpiStatus, METRICS_URL, QuarterStats, Release, ReleaseData, ReleaseStatus,
    release_url,
};
use crate::shortcodes::Shortcode;

/// The release data's views: the files beside the pages, the calendar and
/// metrics pages, and the shortcodes' HTML.
impl ReleaseData<'_> {
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
                charts::timeline(&self.releases, self.today),
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

    pub fn calendar_view(&self) -> CalendarView {
        let current = self.current_quarter();
        // The current quarter, then the upcoming ones (soonest first), then
        // the past (newest first): what a release manager reads first.
        let mut order = self.quarters();
        order.sort_by_key(|q| {
            let when = q.cmp(&current);
            let rank = match when {
                std::cmp::Ordering::Equal => 0,
                std::cmp::Ordering::Greater => 1,
                std::cmp::Ordering::Less => 2,
            };
            let distance = (q.year * 4 + q.q as i32 - (current.year * 4 + current.q as i32)).abs();
            (rank, distance)
        });
        let quarters = order
            .into_iter()
            .map(|q| {
                let open_slip: Vec<i64> = self
                    .releases
                    .iter()
                    .filter(|r| r.quarter == q && !r.prerelease && r.slip_open)
                    .filter_map(|r| r.slip_days)
                    .collect();
                QuarterView {
                    quarter: q.to_string(),
                    when: match q.cmp(&current) {
                        std::cmp::Ordering::Equal => "current",
                        std::cmp::Ordering::Greater => "upcoming",
                        std::cmp::Ordering::Less => "past",
                    },
                    theme: self
                        .calendar
                        .and_then(|c| c.themes.iter().find(|t| t.quarter == q))
                        .cloned(),
                    stats: releases::quarter_stats(q, &self.releases, self.tags, self.today),
                    open_slip_days: (!open_slip.is_empty()).then(|| open_slip.iter().sum()),
                    releases: self
                        .releases
                        .iter()
                        .filter(|r| r.quarter == q)
                        .map(ReleaseRow::from)
                        .collect(),
                    months: (0..3)
                        .map(|m| self.month(q.year, (q.q - 1) * 3 + 1 + m))
                        .collect(),
                }
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
        let tolerance = self.calendar.map_or(0, |c| c.slip_tolerance_days);
        CalendarView {
            tolerance_days: tolerance,
            quarters,
            upcoming,
            today: self.today.to_string(),
            overdue: self
                .releases
                .iter()
                .filter(|r| r.status == ReleaseStatus::Overdue)
                .map(|r| OverdueRow {
                    version: r.version.clone(),
                    name: r.name.clone(),
                    url: release_url(&r.version),
                    planned: r.latest_planned.map(|d| d.to_string()).unwrap_or_default(),
                    days_overdue: r.latest_planned.map_or(0, |d| (self.today - d).num_days()),
                    baseline_days: r.baseline_slip_days,
                })
                .collect(),
            replans: self.replan_rows(),
            timeline_alt: charts::describe_timeline(&self.releases, self.today),
            slip_alt: charts::describe_slip(&self.releases, tolerance),
        }
    }

    /// Replans worth attention: of releases not shipped yet, or shipped in
    /// the last 90 days; newest plan first.
    fn replan_rows(&self) -> Vec<ReplanRow> {
        let recent = |r: &Release| match r.actual {
            None => r.status.is_pending(),
            Some(a) => (self.today - a).num_days() <= RECENT_DAYS,
        };
        let mut rows: Vec<ReplanRow> = self
            .releases
            .iter()
            .filter(|r| !r.replans.is_empty() && recent(r))
            .map(|r| {
                let first = r.planned.as_ref().map(|p| p.release);
                let mut from = first;
                let steps = r
                    .replans
                    .iter()
                    .map(|p| {
                        let step = ReplanStep {
                            from: from.map(|d| d.to_string()).unwrap_or_default(),
                            to: p.release.to_string(),
                            on: p.on.to_string(),
                            reason: p.reason.clone(),
                        };
                        from = Some(p.release);
                        step
                    })
                    .collect();
                ReplanRow {
                    version: r.version.clone(),
                    url: release_url(&r.version),
                    status: r.status,
                    actual: r.actual.map(|d| d.to_string()),
                    steps,
                    slip_days: r.slip_days,
                    baseline_slip_days: r.baseline_slip_days,
                    slip_open: r.slip_open,
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            b.steps
                .last()
                .map(|s| &s.to)
                .cmp(&a.steps.last().map(|s| &s.to))
        });
        rows
    }

    fn month(&self, year: i32, month: u32) -> Month {
        let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(self.today);
        let days_in = (28..=31)
            .rev()
            .find(|&d| NaiveDate::from_ymd_opt(year, month, d).is_some())
            .unwrap_or(28);
        let lead = first.weekday().num_days_from_monday() as usize;
        let mut cells: Vec<Day> = (0..lead).map(|_| Day::default()).collect();
        let mut listed = Vec::new();
        for day in 1..=days_in {
            let date = NaiveDate::from_ymd_opt(year, month, day).unwrap_or(first);
            let mut events = Vec::new();
            for r in &self.releases {
                for (m, d) in milestones(r) {
                    if d == date {
                        events.push(DayEvent {
                            label: format!("{} {}", r.version, m),
                            version: r.version.clone(),
                            kind: m,
                            url: release_url(&r.version),
                        });
                        listed.push(MonthEvent {
                            date: date.format("%b %-d").to_string(),
                            version: r.version.clone(),
                            milestone: m,
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
            events: listed,
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
                            Some(k) => self.kpi_alt(k),
                            None => id.clone(),
                        };
                        (format!("kpi-{id}"), alt)
                    }
                    (None, Some("slip")) => (
                        "slip".to_string(),
                        charts::describe_slip(
                            &self.releases,
                            self.calendar.map_or(0, |c| c.slip_tolerance_days),
                        ),
                    ),
                    _ => (
                        "timeline".to_string(),
                        charts::describe_timeline(&self.releases, self.today),
                    ),
                };
                format!(
                    "<figure class=\"al-chart\" tabindex=\"0\"><img src=\"{root}charts/{file}.svg\" alt=\"{}\"></figure>",
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

    pub fn metrics_view(&self) -> MetricsView {
        let quarter = self.current_quarter();
        let kpis = self.kpis(quarter);
        let incidents: Vec<IncidentRow> = self
            .metrics
            .map(|m| m.incidents.iter().map(IncidentRow::from).collect())
            .unwrap_or_default();
        let chart_alt = self
            .metrics
            .map(|m| {
                m.kpis
                    .iter()
                    .map(|k| (k.id.clone(), self.kpi_alt(k)))
                    .collect()
            })
            .unwrap_or_default();
        let chart_values = self
            .metrics
            .map(|m| {
                m.kpis
                    .iter()
                    .map(|k| {
                        let unit = k.unit.as_deref().unwrap_or("");
                        let rows = self
                            .kpi_points(&k.id)
                            .into_iter()
                            .map(|(label, v)| ChartValue {
                                label,
                                value: v.map(|v| match unit {
                                    "" => super::theme::format_number(v),
                                    "%" => format!("{}%", super::theme::format_number(v)),
                                    u => format!("{} {u}", super::theme::format_number(v)),
                                }),
                            })
                            .collect();
                        (k.id.clone(), rows)
                    })
                    .collect()
            })
            .unwrap_or_default();
        MetricsView {
            chart_alt,
            chart_values,
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

impl ReleaseData<'_> {
    /// A KPI chart's values, as the alt text of its image.
    fn kpi_alt(&self, kpi: &crate::load::metrics::Kpi) -> String {
        charts::describe_points(
            kpi.title(),
            kpi.unit.as_deref().unwrap_or(""),
            &self.kpi_points(&kpi.id),
            kpi.target,
        )
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

/// Shipped releases whose replans the calendar still lists.
const RECENT_DAYS: i64 = 90;

#[derive(Debug, Serialize)]
pub struct CalendarView {
    pub today: String,
    pub tolerance_days: i64,
    /// Current quarter first, then upcoming, then past (newest first).
    pub quarters: Vec<QuarterView>,
    pub upcoming: Vec<MilestoneRow>,
    /// Planned releases whose date has passed with no tag.
    pub overdue: Vec<OverdueRow>,
    /// Replans of releases still open or shipped in the last 90 days.
    pub replans: Vec<ReplanRow>,
    /// The charts' values, as their images' alt text.
    pub timeline_alt: String,
    pub slip_alt: String,
}

#[derive(Debug, Serialize)]
pub struct OverdueRow {
    pub version: String,
    pub name: Option<String>,
    pub url: String,
    /// The release date in force (the last replan's).
    pub planned: String,
    pub days_overdue: i64,
    /// Days past the first plan.
    pub baseline_days: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct ReplanRow {
    pub version: String,
    pub url: String,
    pub status: ReleaseStatus,
    pub actual: Option<String>,
    pub steps: Vec<ReplanStep>,
    pub slip_days: Option<i64>,
    pub baseline_slip_days: Option<i64>,
    pub slip_open: bool,
}

#[derive(Debug, Serialize)]
pub struct ReplanStep {
    pub from: String,
    pub to: String,
    /// When the plan changed.
    pub on: String,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct QuarterView {
    pub quarter: String,
    /// `current`, `upcoming` or `past`.
    pub when: &'static str,
    pub theme: Option<Theme>,
    pub stats: QuarterStats,
    /// The part of the quarter's total slip that is still open (overdue releases).
    pub open_slip_days: Option<i64>,
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
    pub slip_open: bool,
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
            slip_open: r.slip_open,
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
    pub version: String,
    pub kind: &'static str,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct Month {
    pub title: String,
    pub weeks: Vec<Vec<Day>>,
    /// The month's milestones as a list, under the grid.
    pub events: Vec<MonthEvent>,
}

#[derive(Debug, Serialize)]
pub struct MonthEvent {
    /// `Oct 13`.
    pub date: String,
    pub version: String,
    pub milestone: &'static str,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct MetricsView {
    pub quarter: String,
    /// Each KPI chart's values by KPI id, as the alt text of its image.
    pub chart_alt: std::collections::BTreeMap<String, String>,
    /// Each KPI chart's points by KPI id, for a table under the chart.
    pub chart_values: std::collections::BTreeMap<String, Vec<ChartValue>>,
    pub scorecard: Vec<KpiStatus>,
    pub passing: usize,
    pub failing: usize,
    pub in_progress: usize,
    pub no_data: usize,
    pub incidents: Vec<IncidentRow>,
}

/// One point of a chart: its label (release or quarter) and value, `None`
/// for no data.
#[derive(Debug, Serialize)]
pub struct ChartValue {
    pub label: String,
    pub value: Option<String>,
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
