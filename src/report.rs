//! The quarterly release report (DESIGN §7): a pure model of one quarter built
//! from the release data and the docs check, and its JSON, Markdown and HTML
//! forms. The same facts in every form.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::check::format::Summary;
use crate::load::calendar::{Quarter, Theme};
use crate::load::history::TaggedRelease;
use crate::load::metrics::Metrics;
use crate::releases::{
    self, ChangeGroup, HIGHLIGHTS, KpiState, KpiStatus, METRICS_URL, QuarterStats, Release,
    ReleaseStatus, Trend, release_url,
};
use crate::render::data::IncidentRow;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub quarter: String,
    /// The date the numbers are as of (`--as-of`, else today).
    pub as_of: String,
    pub theme: Option<Theme>,
    /// No release shipped or planned, and no KPI data.
    pub empty: bool,
    /// Final releases shipped in the quarter.
    pub shipped: Vec<ReportRelease>,
    /// Final releases planned in the quarter and not shipped.
    pub planned_not_shipped: Vec<ReportRelease>,
    /// The quarter's pre-releases (`2.0.0-rc.1`), shipped or not: listed
    /// apart, counted in none of the quarter's figures.
    pub prereleases: Vec<ReportRelease>,
    pub stats: QuarterStats,
    pub kpis: Vec<KpiStatus>,
    pub scorecard: Scorecard,
    pub incidents: Vec<IncidentRow>,
    pub hotfixes: Vec<String>,
    pub changelog: Vec<ChangeGroup>,
    pub contributors: Vec<String>,
    /// Authors (after `.mailmap`) whose first commit in the whole history
    /// falls in the quarter, up to `as_of`.
    pub new_contributors: Vec<String>,
    pub docs_health: DocsHealth,
    pub recommendations: Vec<Recommendation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportRelease {
    #[serde(flatten)]
    pub release: Release,
    /// The release's page, relative to the site root.
    pub url: String,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Scorecard {
    pub pass: usize,
    pub fail: usize,
    /// Quarter to date, missing the target so far but able to reach it.
    pub in_progress: usize,
    pub no_data: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DocsHealth {
    #[serde(flatten)]
    pub summary: Summary,
    pub by_kind: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Recommendation {
    pub text: String,
    /// Where the handbook covers it, relative to the site root.
    pub link: Option<String>,
}

pub struct Inputs<'a> {
    pub quarter: Quarter,
    pub as_of: chrono::NaiveDate,
    pub themes: &'a [Theme],
    pub tolerance_days: i64,
    pub releases: &'a [Release],
    pub tags: &'a [TaggedRelease],
    pub metrics: Option<&'a Metrics>,
    pub docs: DocsHealth,
    /// Each author's first commit (`History::first_commits`).
    pub first_commits: &'a BTreeMap<String, chrono::DateTime<chrono::FixedOffset>>,
    /// The calendar's time zone, which decides a commit's day.
    pub zone: crate::load::calendar::Zone,
}

/// A content-relative doc link (`operations/metrics.md#x`) as a site URL.
pub fn doc_url(doc: &str) -> String {
    let (path, fragment) = doc
        .split_once('#')
        .map_or((doc, None), |(p, f)| (p, Some(f)));
    let page = if path.ends_with(".md") {
        crate::index::page_url(path)
    } else {
        path.to_string()
    };
    match fragment {
        Some(f) => format!("{page}#{f}"),
        None => page,
    }
}

pub fn build(input: &Inputs) -> Report {
    let q = input.quarter;
    let in_quarter: Vec<&Release> = input.releases.iter().filter(|r| r.quarter == q).collect();
    let wrap = |r: &&Release| ReportRelease {
        release: (*r).clone(),
        url: release_url(&r.version),
    };
    let shipped: Vec<ReportRelease> = in_quarter
        .iter()
        .filter(|r| r.status == ReleaseStatus::Released && !r.prerelease)
        .map(wrap)
        .collect();
    let planned_not_shipped: Vec<ReportRelease> = in_quarter
        .iter()
        .filter(|r| r.status.is_pending() && !r.prerelease)
        .map(wrap)
        .collect();
    let prereleases: Vec<ReportRelease> = in_quarter
        .iter()
        .filter(|r| r.prerelease && r.status != ReleaseStatus::Cancelled)
        .map(wrap)
        .collect();
    let stats = releases::quarter_stats(q, input.releases, input.tags, input.as_of);
    let kpis = input
        .metrics
        .map(|m| releases::kpi_statuses(m, q, input.releases, input.tags, input.as_of))
        .unwrap_or_default();
    let scorecard = Scorecard {
        pass: kpis.iter().filter(|k| k.status == KpiState::Pass).count(),
        fail: kpis.iter().filter(|k| k.status == KpiState::Fail).count(),
        in_progress: kpis
            .iter()
            .filter(|k| k.status == KpiState::InProgress)
            .count(),
        no_data: kpis.iter().filter(|k| k.status == KpiState::NoData).count(),
    };
    let incidents: Vec<IncidentRow> = input
        .metrics
        .map(|m| {
            m.incidents
                .iter()
                .filter(|i| q.contains(i.detected.date_naive()))
                .map(IncidentRow::from)
                .collect()
        })
        .unwrap_or_default();
    let hotfixes = shipped
        .iter()
        .filter(|r| r.release.kind == crate::load::calendar::ReleaseType::Hotfix)
        .map(|r| r.release.version.clone())
        .collect();

    // Changelog highlights: every shipped release's breaking changes,
    // features, fixes and performance work, merged, breaking first.
    let mut merged: Vec<ChangeGroup> = Vec::new();
    for r in &shipped {
        let highlights = r
            .release
            .changelog
            .iter()
            .filter(|g| HIGHLIGHTS.contains(&g.kind.as_str()));
        for group in highlights {
            match merged.iter_mut().find(|g| g.kind == group.kind) {
                Some(g) => g.changes.extend(group.changes.iter().cloned()),
                None => merged.push(group.clone()),
            }
        }
    }
    let order = |kind: &str| merged_rank(kind);
    merged.sort_by_key(|g| order(&g.kind));

    let contributors: BTreeSet<String> = shipped
        .iter()
        .flat_map(|r| r.release.contributors.iter().cloned())
        .collect();
    let new_contributors = input
        .first_commits
        .iter()
        .filter(|(_, t)| {
            let day = input.zone.date_of(t);
            q.contains(day) && day <= input.as_of
        })
        .map(|(name, _)| name.clone())
        .collect();

    let recommendations = recommend(&kpis, &shipped, input.tolerance_days, input.metrics);
    // Counted KPIs have values (zero hotfixes) in any quarter begun.
    let observed = |id: &str| {
        input.metrics.is_some_and(|m| {
            m.kpis
                .iter()
                .any(|k| k.id == id && k.source == crate::load::metrics::Source::Manual)
        })
    };
    let empty = shipped.is_empty()
        && planned_not_shipped.is_empty()
        && prereleases.is_empty()
        && incidents.is_empty()
        && kpis.iter().all(|k| k.value.is_none() || !observed(&k.id));
    Report {
        quarter: q.to_string(),
        as_of: input.as_of.to_string(),
        theme: input.themes.iter().find(|t| t.quarter == q).cloned(),
        empty,
        shipped,
        planned_not_shipped,
        prereleases,
        stats,
        kpis,
        scorecard,
        incidents,
        hotfixes,
        changelog: merged,
        contributors: contributors.into_iter().collect(),
        new_contributors,
        docs_health: input.docs.clone(),
        recommendations,
    }
}

fn merged_rank(kind: &str) -> (u8, usize, String) {
    const ORDER: &[&str] = &[
        "breaking", "security", "feat", "fix", "perf", "revert", "refactor", "docs", "test",
        "build", "ci", "style", "chore",
    ];
    match ORDER.iter().position(|k| *k == kind) {
        Some(i) => (0, i, String::new()),
        None if kind == "other" => (2, 0, String::new()),
        None => (1, 0, kind.to_string()),
    }
}

/// What to do about the misses: a failing KPI, slip beyond tolerance, more
/// hotfixes than targeted. Each links to where the handbook covers it.
fn recommend(
    kpis: &[KpiStatus],
    shipped: &[ReportRelease],
    tolerance: i64,
    metrics: Option<&Metrics>,
) -> Vec<Recommendation> {
    let doc_of = |id: &str| -> Option<String> {
        metrics?
            .kpis
            .iter()
            .find(|k| k.id == id)?
            .doc
            .as_deref()
            .map(doc_url)
    };
    let mut out = Vec::new();
    for k in kpis.iter().filter(|k| k.status == KpiState::Fail) {
        let (value, target) = (k.value.unwrap_or_default(), k.target);
        let target = target
            .map(|t| {
                format!(
                    "{} {}",
                    t.symbol(),
                    crate::render::theme::format_number(t.value)
                )
            })
            .unwrap_or_default();
        out.push(Recommendation {
            text: format!(
                "{} missed its target ({} against {target}){}: agree an action with an owner for next quarter.",
                k.name,
                crate::render::theme::format_number(value),
                k.tier.as_deref().map(|t| format!(", a `{t}` KPI")).unwrap_or_default()
            ),
            link: k.doc.as_deref().map(doc_url).or_else(|| Some(format!("{METRICS_URL}#kpi-{}", k.id))),
        });
    }
    let late: Vec<&ReportRelease> = shipped
        .iter()
        .filter(|r| r.release.on_time == Some(false))
        .collect();
    if !late.is_empty() {
        let list: Vec<String> = late
            .iter()
            .map(|r| {
                format!(
                    "{} ({} days)",
                    r.release.version,
                    r.release.slip_days.unwrap_or_default()
                )
            })
            .collect();
        out.push(Recommendation {
            text: format!(
                "{} slipped beyond the {tolerance}-day tolerance: {}. Replan earlier, when the risk shows, rather than at the release date.",
                if late.len() == 1 { "One release".to_string() } else { format!("{} releases", late.len()) },
                list.join(", ")
            ),
            link: doc_of("on_time_rate").or_else(|| Some("calendar/index.html".to_string())),
        });
    }
    if let Some(k) = kpis
        .iter()
        .find(|k| k.id == "hotfix_count" && k.status == KpiState::Fail)
    {
        let _ = k;
        out.push(Recommendation {
            text: "More hotfixes than targeted: look for the common cause in the post-incident reviews.".into(),
            link: doc_of("hotfix_count"),
        });
    }
    out
}

/// The report as GitHub-flavoured Markdown; links into the handbook are
/// prefixed with `base` (the site's URL with a trailing `/`, or a relative
/// path to its root), or left out (plain text) without one: a relative link
/// pasted into an issue leads nowhere.
pub fn markdown(r: &Report, base: Option<&str>) -> String {
    let num = crate::render::theme::format_number;
    let opt = |x: Option<f64>| x.map_or("–".to_string(), num);
    let link = |text: &str, url: &str| match base {
        Some(base) => format!("[{text}]({base}{url})"),
        None => text.to_string(),
    };
    // A quarter not over yet says so in its title and before its figures.
    let (to_date, so_far) = match r.stats.to_date {
        true => (" (to date)", "To date: "),
        false => ("", ""),
    };
    let mut md = format!("# Release report {}{to_date}\n\n", r.quarter);
    if let Some(t) = &r.theme {
        md.push_str(&format!("**Theme:** {}", t.title));
        if !t.focus.is_empty() {
            md.push_str(&format!(" (focus: {})", t.focus.join(", ")));
        }
        md.push_str("\n\n");
    }
    md.push_str(&format!("Numbers as of {}.\n\n", r.as_of));
    if r.stats.to_date {
        md.push_str(&format!(
            "_Quarter to date: {} of 3 months elapsed; rates are per elapsed month, and a KPI that can still reach its target is in progress._\n\n",
            num(r.stats.months_elapsed)
        ));
    }
    if r.empty {
        md.push_str(&format!(
            "_Empty quarter: no release was shipped or planned in {}, and no observed KPI has data._\n\n",
            r.quarter
        ));
    }
    md.push_str("## Releases\n\n");
    md.push_str(&format!(
        "{so_far}{} shipped, {} planned but not shipped{}; on time {}, total slip {}, median lead time {}.\n\n",
        r.stats.released,
        r.stats.planned_not_released,
        match r.stats.overdue {
            0 => String::new(),
            n => format!(" ({n} overdue, slip still open)"),
        },
        r.stats.on_time_rate.map_or("–".to_string(), |v| format!("{}%", num(v))),
        r.stats.total_slip_days.map_or("–".to_string(), |v| format!("{v} days")),
        r.stats.lead_time_days.map_or("–".to_string(), |v| format!("{} days", num(v)))
    ));
    let rows = |list: &[ReportRelease]| -> String {
        let mut t = String::from(
            "| Release | Type | Planned | Actual | Slip (days) | On time | Commits | Lead time (days) |\n|---|---|---|---|---|---|---|---|\n",
        );
        for rr in list {
            let x = &rr.release;
            t.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                link(&x.version, &rr.url),
                x.kind.as_str(),
                x.latest_planned.map(|d| d.to_string()).unwrap_or_default(),
                x.actual.map_or("–".to_string(), |d| d.to_string()),
                x.slip_days.map_or("–".to_string(), |s| match x.slip_open {
                    true => format!("{s} so far"),
                    false => s.to_string(),
                }),
                x.on_time.map_or("–", |b| if b { "yes" } else { "no" }),
                x.commits,
                opt(x.lead_time_days)
            ));
        }
        t
    };
    if !r.shipped.is_empty() {
        md.push_str(&rows(&r.shipped));
        md.push('\n');
    }
    if !r.planned_not_shipped.is_empty() {
        md.push_str("Planned but not shipped:\n\n");
        md.push_str(&rows(&r.planned_not_shipped));
        md.push('\n');
    }
    if !r.prereleases.is_empty() {
        md.push_str("Pre-releases (not counted in the figures above):\n\n");
        md.push_str(&rows(&r.prereleases));
        md.push('\n');
    }
    md.push_str("## KPIs\n\n");
    md.push_str(&format!(
        "{so_far}{} pass, {} fail, {} in progress, {} without data.\n\n",
        r.scorecard.pass, r.scorecard.fail, r.scorecard.in_progress, r.scorecard.no_data
    ));
    if !r.kpis.is_empty() {
        md.push_str(
            "| KPI | Value | Target | Status | Trend | Tier |\n|---|---|---|---|---|---|\n",
        );
        for k in &r.kpis {
            md.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                link(&k.name, &kpi_url(k)),
                opt(k.value),
                k.target
                    .map(|t| format!("{} {}", t.symbol(), num(t.value)))
                    .unwrap_or_default(),
                k.status,
                trend_text(k),
                k.tier.as_deref().unwrap_or("")
            ));
        }
        md.push('\n');
    }
    md.push_str("## Incidents and hotfixes\n\n");
    md.push_str(&format!(
        "{} incident(s), {} hotfix(es){}.\n\n",
        r.incidents.len(),
        r.hotfixes.len(),
        if r.hotfixes.is_empty() {
            String::new()
        } else {
            format!(": {}", r.hotfixes.join(", "))
        }
    ));
    for i in &r.incidents {
        md.push_str(&format!(
            "- **{}** ({}) on {}{}: restored in {} h{}{}\n",
            i.id,
            i.severity.as_deref().unwrap_or("unrated"),
            i.detected,
            i.release
                .as_ref()
                .map(|v| format!(", release {v}"))
                .unwrap_or_default(),
            opt(i.hours_to_restore),
            if i.rollback { ", rolled back" } else { "" },
            review_url(i.review.as_deref(), base)
                .map(|l| format!(" ([review]({l}))"))
                .unwrap_or_default()
        ));
    }
    if !r.incidents.is_empty() {
        md.push('\n');
    }
    md.push_str("## Changelog highlights\n\n");
    for g in &r.changelog {
        md.push_str(&format!("### {}\n\n", g.title));
        for c in &g.changes {
            md.push_str(&format!(
                "- {}{} ({})\n",
                c.scope
                    .as_ref()
                    .map(|s| format!("**{}:** ", releases::subject_markdown(s)))
                    .unwrap_or_default(),
                releases::subject_markdown(&c.description),
                c.commit
            ));
            if let (true, Some(note)) = (g.kind == "breaking", &c.note) {
                for line in note.lines() {
                    md.push_str(&format!("  > {}\n", releases::subject_markdown(line)));
                }
            }
        }
        md.push('\n');
    }
    if r.changelog.is_empty() {
        md.push_str("No commits in this quarter's releases.\n\n");
    }
    md.push_str("## Contributors\n\n");
    md.push_str(&format!(
        "{}{}\n\n",
        if r.contributors.is_empty() {
            "None recorded.".to_string()
        } else {
            r.contributors.join(", ")
        },
        if r.new_contributors.is_empty() {
            String::new()
        } else {
            format!(" (new: {})", r.new_contributors.join(", "))
        }
    ));
    md.push_str("## Docs health\n\n");
    md.push_str(&format!(
        "`almanac check`: {} errors, {} warnings over {} pages, {} links and {} commands.\n\n",
        r.docs_health.summary.errors,
        r.docs_health.summary.warnings,
        r.docs_health.summary.pages,
        r.docs_health.summary.links,
        r.docs_health.summary.commands
    ));
    if !r.recommendations.is_empty() {
        md.push_str("## Recommendations\n\n");
        for rec in &r.recommendations {
            match (&rec.link, base) {
                (Some(l), Some(_)) => {
                    md.push_str(&format!("- {} ({})\n", rec.text, link("guide", l)))
                }
                _ => md.push_str(&format!("- {}\n", rec.text)),
            }
        }
        md.push('\n');
    }
    md
}

/// Where an incident's review is: its URL, or its page in the handbook (a
/// content-relative link, as a KPI's `doc`) after `base`; none without one.
pub fn review_url(review: Option<&str>, base: Option<&str>) -> Option<String> {
    match (review?, base) {
        (url, _) if url.contains("://") => Some(url.to_string()),
        (doc, Some(base)) => Some(format!("{base}{}", doc_url(doc))),
        (_, None) => None,
    }
}

/// Where a KPI is explained, relative to the site root: its `doc`, else its
/// section of the metrics dashboard.
pub fn kpi_url(k: &KpiStatus) -> String {
    k.doc
        .as_deref()
        .map(doc_url)
        .unwrap_or_else(|| format!("{METRICS_URL}#kpi-{}", k.id))
}

pub fn trend_text(k: &KpiStatus) -> String {
    let arrow = match k.trend {
        Trend::Up => "↑",
        Trend::Down => "↓",
        Trend::Flat => "→",
        Trend::None => return "–".into(),
    };
    match k.improving {
        Some(true) => format!("{arrow} better"),
        Some(false) => format!("{arrow} worse"),
        None => arrow.to_string(),
    }
}

/// Everything `almanac report` and the site's report pages need.
pub struct Generated {
    pub report: Report,
    /// Inline SVG charts for the HTML form.
    pub charts: ReportCharts,
}

#[derive(Debug, Default, Serialize)]
pub struct ReportCharts {
    pub slip: String,
    /// One chart per KPI: the quarter's values, after the previous
    /// quarter's for the trend.
    pub kpis: Vec<String>,
    /// The quarter before the report's, which the KPI charts start with.
    pub previous: String,
}

/// The report for `quarter` as of `as_of`: git data after that date is ignored.
pub fn generate(
    project: &crate::project::Project,
    tags: &[TaggedRelease],
    first_commits: &BTreeMap<String, chrono::DateTime<chrono::FixedOffset>>,
    quarter: Quarter,
    as_of: chrono::NaiveDate,
    docs: DocsHealth,
) -> Generated {
    let calendar = project.calendar.as_ref().map(|(c, _)| c);
    let zone = calendar.map(|c| c.zone()).unwrap_or_default();
    let tags: Vec<TaggedRelease> = tags
        .iter()
        .filter(|t| zone.date_of(&t.date) <= as_of)
        .cloned()
        .collect();
    let rules = releases::ChangelogRules::new(&project.config.changelog);
    let data = crate::releases::ReleaseData::with_rules(
        calendar,
        project.metrics.as_ref(),
        &tags,
        as_of,
        &rules,
    )
    .with_first_commits(first_commits);
    generate_with(project, &data, quarter, docs)
}

/// The report for `quarter` from a site's release data (as of its today):
/// the releases already computed for the site, unless a tag is dated after
/// that day, which the report must not see.
pub fn generate_from(
    project: &crate::project::Project,
    data: &crate::releases::ReleaseData,
    quarter: Quarter,
    docs: DocsHealth,
) -> Generated {
    let zone = data.calendar.map(|c| c.zone()).unwrap_or_default();
    if data
        .tags
        .iter()
        .all(|t| zone.date_of(&t.date) <= data.today)
    {
        generate_with(project, data, quarter, docs)
    } else {
        generate(
            project,
            data.tags,
            data.first_commits,
            quarter,
            data.today,
            docs,
        )
    }
}

/// The report for `quarter` from release data whose tags are all as of its today.
fn generate_with(
    project: &crate::project::Project,
    data: &crate::releases::ReleaseData,
    quarter: Quarter,
    docs: DocsHealth,
) -> Generated {
    let calendar = data.calendar;
    let report = build(&Inputs {
        quarter,
        as_of: data.today,
        themes: calendar.map_or(&[][..], |c| c.themes.as_slice()),
        tolerance_days: calendar.map_or(0, |c| c.slip_tolerance_days),
        releases: &data.releases,
        tags: data.tags,
        metrics: project.metrics.as_ref(),
        docs,
        first_commits: data.first_commits,
        zone: calendar.map(|c| c.zone()).unwrap_or_default(),
    });
    // Shipped releases and overdue ones, whose slip is still open.
    let shipped: Vec<Release> = report
        .shipped
        .iter()
        .chain(&report.planned_not_shipped)
        .filter(|r| r.release.slip_days.is_some())
        .map(|r| r.release.clone())
        .collect();
    let charts = ReportCharts {
        slip: if shipped.is_empty() {
            String::new()
        } else {
            crate::render::charts::slip_chart(&shipped, report_tolerance(calendar))
        },
        kpis: project
            .metrics
            .iter()
            .flat_map(|m| m.kpis.iter().map(move |k| (m, k)))
            .map(|(m, k)| {
                crate::render::charts::kpi_chart(
                    k.title(),
                    k.unit.as_deref().unwrap_or(""),
                    &kpi_points(m, k, data, quarter),
                    k.target,
                )
            })
            .collect(),
        previous: quarter.prev().to_string(),
    };
    Generated { report, charts }
}

/// What a report's KPI chart plots: the previous quarter's values and the
/// quarter's, never a later one's, nor any after the report's date. A
/// computed (`source: git`) KPI has one value per quarter, labelled with it;
/// observations are labelled with their release, period or date.
fn kpi_points(
    metrics: &Metrics,
    kpi: &crate::load::metrics::Kpi,
    data: &crate::releases::ReleaseData,
    quarter: Quarter,
) -> Vec<(String, Option<f64>)> {
    let today = data.today;
    let shown = |day: chrono::NaiveDate| {
        (quarter.prev().contains(day) || quarter.contains(day)) && day <= today
    };
    if kpi.source == crate::load::metrics::Source::Git {
        return [quarter.prev(), quarter]
            .into_iter()
            .filter(|q| q.first_day() <= today)
            .map(|q| {
                let value =
                    releases::kpi_value(metrics, &kpi.id, q, &data.releases, data.tags, today);
                (q.to_string(), value)
            })
            .collect();
    }
    // An observation's day: its date, else its period's end, else its
    // release's (as `kpi_value` places it).
    let mut points: Vec<(chrono::NaiveDate, usize, String, f64)> = metrics
        .observations
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let value = *o.values.get(&kpi.id)?;
            let release = || {
                data.releases
                    .iter()
                    .find(|r| Some(&r.version) == o.release.as_ref())
            };
            let day = o
                .date
                .or_else(|| o.period.map(Quarter::last_day))
                .or_else(|| release().and_then(|r| r.actual.or(r.latest_planned)))?;
            let label = o
                .release
                .clone()
                .or_else(|| o.period.map(|p| p.to_string()))
                .unwrap_or_else(|| day.to_string());
            shown(day).then_some((day, i, label, value))
        })
        .collect();
    points.sort_by_key(|p| (p.0, p.1));
    points
        .into_iter()
        .map(|(_, _, label, value)| (label, Some(value)))
        .collect()
}

fn report_tolerance(calendar: Option<&crate::load::calendar::Calendar>) -> i64 {
    calendar.map_or(0, |c| c.slip_tolerance_days)
}

/// The docs check's summary, by kind, for the report's docs-health section.
pub fn docs_health(check: &crate::check::CheckReport) -> DocsHealth {
    let mut by_kind = BTreeMap::new();
    for f in &check.findings {
        *by_kind.entry(f.kind.as_str().to_string()).or_insert(0) += 1;
    }
    DocsHealth {
        summary: check.summary.clone(),
        by_kind,
    }
}

/// The forms of the report `almanac report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Md,
    Json,
}

/// `almanac report`: the report of `quarter` in `format`, as of `as_of` (a
/// date, a revision, or `today`), with the warnings to show.
pub fn run(
    paths: &crate::project::Paths,
    quarter: Quarter,
    format: Format,
    as_of: Option<&str>,
    today: chrono::NaiveDate,
) -> crate::error::Result<Written> {
    let project = crate::project::Project::load(paths, false, crate::project::Load::Strict)?;
    let as_of = match as_of {
        None => today,
        Some(s) => match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(date) => date,
            Err(_) => crate::load::history::rev_date(&project.root, s)?,
        },
    };
    let pattern = project
        .calendar
        .as_ref()
        .map_or("v{version}", |(c, _)| c.tag_pattern.as_str());
    // Commits only of the releases near the quarter (the one before and the
    // one after included): a long history is not read in full for one report.
    let (from, to) = (quarter.prev().first_day(), quarter.next().last_day());
    let near = |d: chrono::NaiveDate| from <= d && d <= to;
    let releases = project
        .calendar
        .as_ref()
        .map_or(&[][..], |(c, _)| c.releases.as_slice());
    let wants_commits = |version: &str, tagged: chrono::NaiveDate| {
        near(tagged)
            || releases.iter().any(|r| {
                r.version == version
                    && (near(r.latest_planned())
                        || r.actual.as_ref().is_some_and(|a| near(a.release)))
            })
    };
    let history = crate::load::history::read_report(&project.root, pattern, &wants_commits)?;
    let options = crate::check::CheckOptions {
        changed_since: None,
        external: false,
        progress: crate::check::external::Progress::Hidden,
        today: as_of,
        at: None,
    };
    let docs = docs_health(&crate::check::run(paths, &options)?);
    let generated = generate(
        &project,
        &history.releases,
        &history.first_commits,
        quarter,
        as_of,
        docs,
    );
    let (base, warnings) = links_base(project.config.base_url.as_deref(), format);
    let text = match format {
        Format::Json => serde_json::to_string_pretty(&generated.report).unwrap_or_default() + "\n",
        Format::Md => markdown(&generated.report, base.as_deref()),
        Format::Html => {
            let mut theme = crate::render::theme::Theme::load(&project.root, &project.config)?;
            let title = project.title();
            theme.tera.global_context().insert(
                "site",
                &crate::render::context::SiteView {
                    title: &title,
                    description: &project.config.description,
                    base_url: project.config.base_url.as_deref(),
                },
            );
            let mut context = tera::Context::new();
            insert_view(&mut context, &generated, base.as_deref());
            theme.render("report.html", &context)?
        }
    };
    Ok(Written {
        text,
        root: project.root,
        warnings,
    })
}

/// What `almanac report` wrote, and what its user should know.
pub struct Written {
    pub text: String,
    /// The project root, where `--out` is relative to.
    pub root: std::path::PathBuf,
    pub warnings: Vec<String>,
}

/// Where a report read outside the site links into the handbook: the site's
/// URL (`base_url`, with a trailing `/`), or nowhere, with a warning: a
/// link relative to a site root that is not there leads nowhere. JSON keeps
/// its site-relative `url` fields and needs no warning.
fn links_base(base_url: Option<&str>, format: Format) -> (Option<String>, Vec<String>) {
    let base = base_url
        .filter(|u| u.contains("://"))
        .map(|u| format!("{}/", u.trim_end_matches('/')));
    let warnings = match (&base, format) {
        (Some(_), _) | (None, Format::Json) => Vec::new(),
        (None, _) => vec![format!(
            "the report's links into the handbook are left out: {}. To link them, set `base_url: https://…` (the site's address) in almanac.yaml",
            match base_url {
                Some(u) => format!("`base_url` ({u}) is not an absolute URL"),
                None => "no `base_url` is set".to_string(),
            }
        )],
    };
    (base, warnings)
}

/// The report's view for its templates (`report.html`, and the site's
/// report pages): the report, its charts, each KPI's link, and where links
/// into the handbook start (`links` false: none, plain text instead).
pub fn insert_view(context: &mut tera::Context, generated: &Generated, base: Option<&str>) {
    context.insert("report", &generated.report);
    context.insert("charts", &generated.charts);
    let kpi_urls: Vec<String> = generated.report.kpis.iter().map(kpi_url).collect();
    context.insert("kpi_urls", &kpi_urls);
    let review_urls: Vec<Option<String>> = generated
        .report
        .incidents
        .iter()
        .map(|i| review_url(i.review.as_deref(), base))
        .collect();
    context.insert("review_urls", &review_urls);
    context.insert("links", &base.is_some());
    context.insert("base", base.unwrap_or(""));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_links_become_pages() {
        assert_eq!(
            doc_url("operations/metrics.md#lead-time"),
            "operations/metrics.html#lead-time"
        );
        assert_eq!(doc_url("release/README.md"), "release/index.html");
    }
}
