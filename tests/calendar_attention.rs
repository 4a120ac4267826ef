//! The calendar says what slipped and its charts tell the truth (issue 20):
//! an attention block with overdue releases and replans, the current
//! quarter first, charts that say "No data yet", keep to what their unit
//! allows and state their values; release pages that page through time
//! and say when a shipped release's tag is missing.

mod common;

use common::{Fixture, Git, at, main_of};

const CALENDAR: &str = "timezone: UTC
tag_pattern: 'v{version}'
slip_tolerance_days: 2
themes:
  - { quarter: 2026-Q3, title: Reporting }
  - { quarter: 2027-Q2, title: After stable }
releases:
  - version: 0.5.0
    type: minor
    name: Serve
    planned: { feature_freeze: 2026-08-25, release: 2026-09-01 }
  - version: 0.6.0
    type: minor
    name: Check in CI
    planned: { feature_freeze: 2026-10-06, release: 2026-10-13 }
    replans: [ { on: 2026-10-05, release: 2026-10-20, reason: git2 upgrade changed tag dates } ]
    actual: { release: 2026-10-22 }
  - version: 1.0.0
    type: major
    name: Stable
    planned: { feature_freeze: 2027-01-19, release: 2027-02-16 }
    replans: [ { on: 2026-11-17, release: 2027-02-23, reason: Longer candidate window } ]
  - version: 1.1.0
    type: minor
    planned: { release: 2027-05-04 }
";

const METRICS: &str = "kpis:
  - { id: test_pass_rate, name: Test pass rate, unit: '%', target: { op: '>=', value: 95 } }
  - { id: docs_errors, name: Docs errors, unit: errors, target: { op: '<=', value: 0 } }
  - { id: uptime, name: Uptime, unit: '%', target: { op: '>=', value: 99 } }
observations:
  - { release: 0.5.0, values: { test_pass_rate: 99.5, docs_errors: 0 } }
  - { release: 0.6.0, values: { test_pass_rate: 100, docs_errors: 1 } }
";

/// 0.5.0 is tagged; 0.6.0 shipped by the calendar's date, its tag missing.
fn site() -> Fixture {
    let site = Fixture::with(&[
        ("almanac.yaml", "title: Handbook\n"),
        ("content/README.md", "# Handbook\n"),
        ("content/metrics.md", "# Metrics\n\nHow we measure.\n"),
        ("data/calendar.yaml", CALENDAR),
        ("data/metrics.yaml", METRICS),
    ]);
    let git = Git::init(&site);
    let who = ("Ada", "ada@example.org");
    let c = git.commit_as("main", &[], "feat: serve", who, at("2026-08-20T10:00:00Z"));
    git.annotated_tag("v0.5.0", c, at("2026-09-01T12:00:00Z"));
    site
}

fn build_at(site: &Fixture, today: &str) {
    let run = site.run_env(
        &["build"],
        &[(
            "SOURCE_DATE_EPOCH",
            &at(&format!("{today}T12:00:00Z")).to_string(),
        )],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// The page's text without tags, whitespace runs made one space.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn section<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from}"));
    let end = html[start..].find(to).map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// The numbers an SVG draws as text: its tick labels among them.
fn drawn_numbers(svg: &str) -> Vec<f64> {
    svg.split("</text>")
        .filter_map(|t| t.rsplit('>').next())
        .filter_map(|t| t.trim().parse::<f64>().ok())
        .collect()
}

#[test]
fn the_calendar_starts_with_overdue_releases_and_replans() {
    let site = site();
    build_at(&site, "2027-03-02");
    let html = site.read("public/calendar/index.html");
    let main = main_of(&html);
    let attention = section(main, "id=\"attention\"", "id=\"timeline\"");
    let said = text(attention);
    // 1.0.0 was due 2027-02-23 (replanned from 02-16): 7 days, 14 past the first plan.
    assert!(
        said.contains("1.0.0 Stable: 7 days overdue , planned for 2027-02-23"),
        "{said}"
    );
    assert!(said.contains("14 days past the first plan"), "{said}");
    assert!(
        said.contains("2027-02-16 → 2027-02-23 (replanned 2026-11-17: Longer candidate window)"),
        "{said}"
    );
    // The attention block comes before the timeline and every quarter.
    assert!(main.find("id=\"attention\"") < main.find("id=\"2027-q1\""));
    // The quarter counts the open slip, and says so.
    let q1 = text(section(main, "id=\"2027-q1\"", "<table"));
    assert!(
        q1.contains("total slip 7 days (7 still open on overdue releases, which count as late"),
        "{q1}"
    );
    assert!(
        q1.contains("(1 overdue)") && q1.contains("on time 0%"),
        "{q1}"
    );
}

#[test]
fn a_shipped_replan_is_late_against_the_replan_and_the_first_plan() {
    let site = site();
    build_at(&site, "2026-11-01");
    let html = site.read("public/calendar/index.html");
    let said = text(section(
        main_of(&html),
        "id=\"attention\"",
        "id=\"timeline\"",
    ));
    assert!(
        said.contains(
            "0.6.0 : 2026-10-13 → 2026-10-20 (replanned 2026-10-05: git2 upgrade changed tag dates). \
             Shipped 2026-10-22: 2 d late against the replan , 9 d against the first plan."
        ),
        "{said}"
    );
    assert!(said.contains("No release is overdue."), "{said}");
    // Next milestones: 1.0.0's freeze is the first ahead.
    assert!(
        said.contains("2027-01-19 1.0.0 feature freeze 79 days"),
        "{said}"
    );
}

#[test]
fn quarters_run_current_then_upcoming_then_past_newest_first() {
    let site = site();
    build_at(&site, "2027-03-02");
    let html = site.read("public/calendar/index.html");
    let order: Vec<usize> = ["2027-q1", "2027-q2", "2026-q4", "2026-q3"]
        .iter()
        .map(|q| {
            html.find(&format!("<h2 id=\"{q}\""))
                .unwrap_or_else(|| panic!("no {q}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

#[test]
fn charts_say_no_data_keep_to_their_unit_and_draw_whole_counts() {
    let site = site();
    build_at(&site, "2027-03-02");
    // Uptime: never observed.
    let lead = site.read("public/charts/kpi-uptime.svg");
    assert!(lead.contains("No data yet"), "{lead}");
    assert!(drawn_numbers(&lead).is_empty(), "an empty axis: {lead}");
    assert!(!lead.contains("<line"), "{lead}");
    // A pass rate of 100% never has a tick over 100.
    let rate = site.read("public/charts/kpi-test_pass_rate.svg");
    let ticks = drawn_numbers(&rate);
    assert!(
        !ticks.is_empty() && ticks.iter().all(|v| *v <= 100.0),
        "{ticks:?}"
    );
    // Error counts: whole ticks, none negative.
    let errors = site.read("public/charts/kpi-docs_errors.svg");
    let ticks = drawn_numbers(&errors);
    assert!(ticks.len() >= 2, "{errors}");
    assert!(
        ticks.iter().all(|v| v.fract() == 0.0 && *v >= 0.0),
        "{ticks:?}"
    );
    // Pass and fail differ by shape and are named in a legend.
    assert!(errors.contains("misses target") && errors.contains("meets target"));
    // All text at least 16 px in a chart never shown under 31rem wide.
    for svg in [&rate, &errors, &site.read("public/charts/timeline.svg")] {
        let sizes: Vec<f64> = svg
            .split("font-size=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse().ok())
            .collect();
        assert!(
            !sizes.is_empty() && sizes.iter().all(|s| *s >= 15.9),
            "{sizes:?}"
        );
    }
}

#[test]
fn the_timeline_has_a_today_line_and_month_ticks() {
    let site = site();
    build_at(&site, "2027-03-02");
    let svg = site.read("public/charts/timeline.svg");
    assert!(svg.contains(">\ntoday Mar 2\n</text>"), "{svg}");
    // Quarter starts over a 9-month span: Oct 2026 … Jan 2027.
    for tick in ["Oct 2026", "Jan 2027"] {
        assert!(
            svg.contains(&format!(">\n{tick}\n</text>")),
            "{tick}: {svg}"
        );
    }
    assert!(!svg.contains(">\n2026-"), "no arbitrary date ticks: {svg}");
}

#[test]
fn chart_images_carry_their_values_as_alt_text() {
    let site = site();
    build_at(&site, "2027-03-02");
    let calendar = site.read("public/calendar/index.html");
    assert!(
        calendar.contains("alt=\"Planned and actual release dates as of 2027-03-02: 0.5.0 planned 2026-09-01, shipped 2026-09-01 (0 d); 0.6.0 planned 2026-10-20, shipped 2026-10-22 (2 d); 1.0.0 planned 2027-02-23, overdue by 7 d; 1.1.0 planned 2027-05-04\""),
        "{calendar}"
    );
    assert!(
        calendar.contains("alt=\"Slip in days per release against a tolerance of 2 days: 0.5.0 0, 0.6.0 2, 1.0.0 7 so far (overdue)\""),
        "{calendar}"
    );
    let metrics = site.read("public/metrics/index.html");
    assert!(
        metrics.contains("alt=\"Test pass rate, target ≥ 95%. 0.5.0: 99.5%, 0.6.0: 100%\""),
        "{metrics}"
    );
    assert!(
        metrics.contains("alt=\"Uptime, target ≥ 99%. No data yet\""),
        "{metrics}"
    );
    // And in a table under the chart, for those who read rather than hear.
    let errors = section(
        &metrics,
        "<summary>Docs errors: the values</summary>",
        "</details>",
    );
    assert!(
        text(errors).contains("0.5.0 0 errors 0.6.0 1 errors"),
        "{errors}"
    );
}

#[test]
fn release_pages_page_through_time_and_name_a_missing_tag() {
    let site = site();
    build_at(&site, "2027-03-02");
    let page = site.read("public/calendar/0.6.0.html");
    let pager = section(&page, "class=\"al-pager\"", "</nav>");
    let prev = section(pager, "rel=\"prev\"", "</a>");
    let next = section(pager, "rel=\"next\"", "</a>");
    assert!(
        prev.contains("href=\"../calendar/0.5.0.html\"") && prev.contains("0.5.0 Serve"),
        "{pager}"
    );
    assert!(
        next.contains("href=\"../calendar/1.0.0.html\"") && next.contains("1.0.0 Stable"),
        "{pager}"
    );
    let said = text(main_of(&page));
    assert!(!said.contains("No tag yet"), "{said}");
    assert!(
        said.contains("2026-10-22 (date from the calendar; tag v0.6.0 not found)"),
        "{said}"
    );
    // A release not shipped still has no tag yet.
    let planned = text(main_of(&site.read("public/calendar/1.1.0.html")));
    assert!(planned.contains("No tag yet"), "{planned}");
    // The oldest has no previous release.
    let oldest = site.read("public/calendar/0.5.0.html");
    assert!(!section(&oldest, "class=\"al-pager\"", "</nav>").contains("rel=\"prev\""));
}

#[test]
fn the_metrics_dashboard_has_its_own_title_beside_the_metrics_guide() {
    let site = site();
    build_at(&site, "2027-03-02");
    let dashboard = site.read("public/metrics/index.html");
    assert!(
        dashboard.contains("<title>Metrics dashboard · Handbook</title>"),
        "{dashboard}"
    );
    assert!(
        dashboard.contains("<h1>Metrics dashboard</h1>"),
        "{dashboard}"
    );
    let guide = site.read("public/metrics.html");
    assert!(guide.contains(">Metrics dashboard</a>"), "nav: {guide}");
    assert!(guide.contains("<title>Metrics"), "{guide}");
}
