//! Release data end to end: a real git repository made with git2 at fixed
//! dates, a calendar and metrics, and what the built site says about them.

mod common;

use common::{Fixture, Git, at};
use serde_json::Value;

const CALENDAR: &str = "timezone: UTC
tag_pattern: 'v{version}'
slip_tolerance_days: 2
themes:
  - { quarter: 2025-Q3, title: Hardening, focus: [tests] }
releases:
  - version: 1.0.0
    type: minor
    name: First
    planned: { feature_freeze: 2025-06-26, rc: 2025-06-30, release: 2025-07-02 }
  - version: 1.1.0
    type: minor
    planned: { release: 2025-07-08 }
    replans: [ { on: 2025-07-05, release: 2025-07-14, reason: CI outage } ]
  - version: 1.1.1
    type: hotfix
    planned: { release: 2025-07-17 }
  - version: 1.2.0
    type: minor
    planned: { release: 2025-07-21 }
  - version: 1.2.5
    type: patch
    planned: { release: 2025-08-15 }
  - version: 1.3.0
    type: minor
    planned: { release: 2025-12-01 }
";

const METRICS: &str = "kpis:
  - { id: test_pass_rate, name: Test pass rate, unit: '%', target: { op: '>=', value: 95 } }
  - { id: on_time_rate, source: git, unit: '%', target: { op: '>=', value: 75 } }
  - { id: hotfix_count, source: git, target: { op: '<=', value: 0 } }
observations:
  - { release: 1.0.0, values: { test_pass_rate: 93 } }
  - { release: 1.1.0, values: { test_pass_rate: 97.5 } }
";

/// The history behind the calendar: an annotated and a lightweight tag, a
/// merge, a breaking change, a hotfix branch, a revert, and a mailmap.
fn repo() -> Fixture {
    let site = Fixture::with(&[
        ("almanac.yaml", "title: Handbook\n"),
        ("content/README.md", "# Handbook\n"),
        ("content/guide.md", "# Guide\n"),
        ("data/calendar.yaml", CALENDAR),
        ("data/metrics.yaml", METRICS),
        (
            ".mailmap",
            "Bob Builder <bob@example.org> <bob@old.example>\n",
        ),
    ]);
    let git = Git::init(&site);
    let ada = ("Ada Tester", "ada@example.org");
    let bob = ("bob", "bob@old.example");
    let a = git.commit_as(
        "main",
        &[],
        "feat: first release",
        ada,
        at("2025-07-01T10:00:00Z"),
    );
    git.annotated_tag("v1.0.0", a, at("2025-07-03T12:00:00Z"));
    site.write("src.txt", "b");
    let b = git.commit_as(
        "main",
        &[a],
        "fix(check): handle empty files",
        bob,
        at("2025-07-10T10:00:00Z"),
    );
    site.write("content/guide.md", "# Guide\n\nMore.\n");
    let d = git.commit_as(
        "docs",
        &[b],
        "docs: write the guide",
        ada,
        at("2025-07-12T10:00:00Z"),
    );
    site.write("content/guide.md", "# Guide\n");
    site.write("src.txt", "c");
    let c = git.commit_as(
        "main",
        &[b],
        "feat!: new config format",
        ada,
        at("2025-07-14T10:00:00Z"),
    );
    site.write("content/guide.md", "# Guide\n\nMore.\n");
    let m = git.commit_as(
        "main",
        &[c, d],
        "Merge branch 'docs'",
        ada,
        at("2025-07-15T10:00:00Z"),
    );
    git.lightweight_tag("v1.1.0", m);
    site.write("src.txt", "h");
    let h = git.commit_as(
        "hotfix/1.1.1",
        &[m],
        "fix: quarter boundary",
        bob,
        at("2025-07-17T10:00:00Z"),
    );
    git.annotated_tag("v1.1.1", h, at("2025-07-17T15:00:00Z"));
    site.write("src.txt", "e");
    let e = git.commit_as(
        "main",
        &[m],
        "Revert \"fix(check): handle empty files\"",
        ada,
        at("2025-07-20T10:00:00Z"),
    );
    git.lightweight_tag("v1.2.0", e);
    site.write("tag-unrelated.txt", "x");
    git.lightweight_tag("nightly-2025-07-20", e);
    site
}

fn build(site: &Fixture) -> common::Run {
    let run = site.run_env(
        &["build"],
        &[("SOURCE_DATE_EPOCH", &at("2025-09-01T00:00:00Z").to_string())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

#[test]
fn releases_dates_slip_ranges_and_lead_time() {
    let site = repo();
    build(&site);
    let json: Value = serde_json::from_str(&site.read("public/calendar.json")).unwrap();
    let releases = json["releases"].as_array().unwrap();
    let by = |v: &str| {
        releases
            .iter()
            .find(|r| r["version"] == v)
            .unwrap_or_else(|| panic!("{v} missing"))
    };
    let versions: Vec<&str> = releases
        .iter()
        .map(|r| r["version"].as_str().unwrap())
        .collect();
    assert_eq!(
        versions,
        ["1.0.0", "1.1.0", "1.1.1", "1.2.0", "1.2.5", "1.3.0"]
    );

    // Annotated tag: the tagger's date, not the commit's.
    let r = by("1.0.0");
    assert_eq!(
        (r["actual"].as_str(), r["tag"].as_str()),
        (Some("2025-07-03"), Some("v1.0.0"))
    );
    assert_eq!(
        (r["slip_days"].as_i64(), r["on_time"].as_bool()),
        (Some(1), Some(true))
    );
    assert_eq!(r["commits"], 1);

    // Lightweight tag on a merge: the commit's date; the merge itself is not counted.
    let r = by("1.1.0");
    assert_eq!(r["actual"], "2025-07-15");
    assert_eq!(
        (r["slip_days"].as_i64(), r["baseline_slip_days"].as_i64()),
        (Some(1), Some(7))
    );
    assert_eq!(r["commits"], 3);
    // Lead times 5, 3 and 1 days: median 3, p90 (nearest rank) 5.
    assert_eq!(
        (
            r["lead_time_days"].as_f64(),
            r["lead_time_p90_days"].as_f64()
        ),
        (Some(3.0), Some(5.0))
    );
    let groups: Vec<&str> = r["changelog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["kind"].as_str().unwrap())
        .collect();
    // The breaking feat is listed first as breaking, and again as a feature.
    assert_eq!(groups, ["breaking", "feat", "fix", "docs"]);
    assert_eq!(
        r["changelog"][0]["changes"][0]["description"],
        "new config format"
    );
    assert_eq!(
        r["contributors"],
        serde_json::json!(["Ada Tester", "Bob Builder"]),
        "mailmap applies"
    );

    // The hotfix branch: only its own commit.
    let r = by("1.1.1");
    assert_eq!(
        (
            r["type"].as_str(),
            r["actual"].as_str(),
            r["commits"].as_i64()
        ),
        (Some("hotfix"), Some("2025-07-17"), Some(1))
    );
    assert_eq!(r["lead_time_days"].as_f64(), Some(0.21));

    // 1.2.0 comes after the hotfix in version order: its range starts there.
    let r = by("1.2.0");
    assert_eq!(
        (
            r["commits"].as_i64(),
            r["reverts"].as_i64(),
            r["slip_days"].as_i64()
        ),
        (Some(1), Some(1), Some(-1))
    );

    assert_eq!(
        (
            by("1.2.5")["status"].as_str(),
            by("1.2.5")["quarter"].as_str()
        ),
        (Some("overdue"), Some("2025-Q3"))
    );
    assert_eq!(
        (
            by("1.3.0")["status"].as_str(),
            by("1.3.0")["quarter"].as_str()
        ),
        (Some("planned"), Some("2025-Q4"))
    );
}

#[test]
fn pages_show_releases_changelog_metrics_and_last_update() {
    let site = repo();
    build(&site);
    let page = site.read("public/calendar/1.1.0.html");
    let breaking = page.find("Breaking changes").unwrap();
    let fixes = page.find("Bug fixes").unwrap();
    assert!(breaking < fixes, "breaking changes come first");
    assert!(
        page.contains("<strong>check:</strong> handle empty files"),
        "{page}"
    );
    assert!(page.contains("Replanned on 2025-07-05"), "{page}");

    let calendar = site.read("public/calendar/index.html");
    assert!(calendar.contains("2025-Q3: Hardening"), "{calendar}");
    // 1.2.5, planned 2025-08-15 and untagged on 2025-09-01, is overdue by 17
    // days (over the 2-day tolerance): late, and its open slip counts. On
    // time 4 of 5 = 80%; total slip 1 + 1 + 0 − 1 + 17 = 18.
    assert!(
        calendar.contains(
            "4 released, 1 still planned (1 overdue) · quarter to date · on time 80% · total slip 18 days"
        ),
        "{calendar}"
    );

    let metrics = site.read("public/metrics/index.html");
    // Q3 (today is 2025-09-01): test pass rate 97.5 passes; one hotfix fails `<= 0`.
    assert!(
        metrics.contains("2025-Q3: 2 passing, 1 failing, 0 without data."),
        "{metrics}"
    );

    let guide = site.read("public/guide.html");
    assert!(
        guide.contains("Last updated 2025-07-12 by Ada Tester"),
        "{guide}"
    );
}

#[test]
fn ical_feed_parses_and_round_trips() {
    use icalendar::Component;
    let site = repo();
    build(&site);
    let text = site.read("public/calendar.ics");
    assert!(text.lines().all(|l| l.len() <= 76), "folded at 75 octets");
    assert!(text.contains("\r\n"), "CRLF line endings");
    let parsed: icalendar::Calendar = text.parse().expect("an independent parser reads it");
    let events: Vec<_> = parsed
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    // 1.0.0 has freeze, rc and release; the five others one release event each.
    assert_eq!(events.len(), 8);
    let release = events
        .iter()
        .find(|e| e.get_uid() == Some("1.1.0-release@almanac.invalid"))
        .expect("stable UID");
    assert_eq!(release.get_summary(), Some("Release: Minor 1.1.0"));
    let start = release.get_start().unwrap();
    assert_eq!(
        format!("{start:?}"),
        format!(
            "{:?}",
            icalendar::DatePerhapsTime::from(chrono::NaiveDate::from_ymd_opt(2025, 7, 15).unwrap())
        )
    );
    assert!(
        release
            .get_description()
            .unwrap()
            .contains("Replanned on 2025-07-05 to 2025-07-14: CI outage")
    );
    // A second build writes the same feed.
    build(&site);
    assert_eq!(site.read("public/calendar.ics"), text);
}

#[test]
fn without_git_the_site_builds_with_a_warning() {
    let site = Fixture::with(&[
        ("content/README.md", "# Handbook\n"),
        ("data/calendar.yaml", CALENDAR),
    ]);
    let run = build(&site);
    assert!(
        run.stderr.contains("warning: no git repository"),
        "{}",
        run.stderr
    );
    let json: Value = serde_json::from_str(&site.read("public/calendar.json")).unwrap();
    assert_eq!(json["releases"][0]["status"], "overdue");
}

#[test]
fn data_errors_stop_the_build_with_their_position() {
    let cases = [
        (
            "data/calendar.yaml",
            CALENDAR.replace("    name: First\n", "    name: First\n    owner: me\n"),
            "data/calendar.yaml:10:5",
            "unknown field `owner`",
        ),
        (
            "data/calendar.yaml",
            CALENDAR.replace("release: 2025-07-21", "release: 2025-07-32"),
            "data/calendar.yaml:20:",
            "input is out of range",
        ),
        (
            "data/calendar.yaml",
            CALENDAR.replace("rc: 2025-06-30", "rc: 2025-07-30"),
            "data/calendar.yaml:10:44",
            "rc (2025-07-30) is after release (2025-07-02)",
        ),
        (
            "data/calendar.yaml",
            CALENDAR.replace("version: 1.2.5", "version: 1.2.0"),
            "data/calendar.yaml:21:5",
            "version 1.2.0 is planned twice",
        ),
        (
            "data/metrics.yaml",
            METRICS.replace("op: '<='", "op: 'at most'"),
            "data/metrics.yaml:4:",
            "unknown variant `at most`",
        ),
        (
            "data/metrics.yaml",
            METRICS.replace(
                "values: { test_pass_rate: 93 }",
                "values: { pass_rate: 93 }",
            ),
            "data/metrics.yaml:6:33",
            "observation of `pass_rate`, which is not a KPI",
        ),
    ];
    for (file, text, position, message) in cases {
        let site = Fixture::with(&[
            ("content/README.md", "# Handbook\n"),
            ("data/calendar.yaml", CALENDAR),
            ("data/metrics.yaml", METRICS),
        ]);
        site.write(file, &text);
        let run = site.run(&["build"]);
        assert_eq!(run.code, 2, "{message}: {}", run.stderr);
        assert!(
            run.stderr.contains(position),
            "{message}: expected {position} in {}",
            run.stderr
        );
        assert!(run.stderr.contains(message), "{message}: {}", run.stderr);
        // `check` reports the same problem as a data-error finding.
        let check = site.run(&["check", "--format", "json"]);
        assert_eq!(check.code, 1, "{}", check.stdout);
        assert!(
            check.stdout.contains("\"kind\": \"data-error\""),
            "{}",
            check.stdout
        );
    }
}

#[test]
fn plan_warnings_are_check_findings() {
    let site = Fixture::with(&[
        ("content/README.md", "# Handbook\n"),
        (
            "data/calendar.yaml",
            "releases:\n  - version: 2.0.0\n    type: major\n    planned: { release: 2001-01-06 }\n",
        ),
    ]);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "warnings only: {}", run.stdout);
    assert!(
        run.stdout
            .contains("warning[plan-warning]: 2.0.0: release falls on a Sat (2001-01-06)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "warning[plan-warning]: 2.0.0 was planned for 2001-01-06 and has no tag or actual date"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn bundled_charts_have_targets_axis_labels_and_are_deterministic() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = tempfile::tempdir().unwrap();
    let first = out.path().join("one");
    let second = out.path().join("two");
    for dir in [&first, &second] {
        let run = common::almanac(&["-C", root, "build", "--out", dir.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let svg = std::fs::read_to_string(first.join("charts/kpi-test_pass_rate.svg")).unwrap();
    assert!(svg.contains("<title>Test pass rate</title>"), "{svg}");
    assert!(
        svg.contains("\ntarget ≥ 95%\n</text>"),
        "the target line is named in the legend: {svg}"
    );
    assert!(
        svg.contains("stroke-dasharray")
            || svg.matches("<line").count() + svg.matches("<polyline").count() > 2,
        "{svg}"
    );
    assert!(
        svg.contains("\n0.1.0\n</text>"),
        "x axis labels are releases: {svg}"
    );
    for entry in std::fs::read_dir(first.join("charts")).unwrap() {
        let path = entry.unwrap().path();
        let again = second.join("charts").join(path.file_name().unwrap());
        assert_eq!(
            std::fs::read(&path).unwrap(),
            std::fs::read(&again).unwrap(),
            "{} differs between builds",
            path.display()
        );
    }
}

#[test]
fn shortcodes_embed_live_data_in_guides() {
    let site = repo();
    site.write(
        "content/status.md",
        "# Status\n\nNext: {{ next_release() }}. Pass rate {{ kpi(id=\"test_pass_rate\") }}.\n\n\
         {{ chart(kpi=\"test_pass_rate\") }}\n\n{{ calendar(quarter=\"2025-Q3\") }}\n\n`{{ kpi(id=\"in code\") }}`\n",
    );
    build(&site);
    let html = site.read("public/status.html");
    assert!(
        html.contains("Next: <a href=\"calendar/1.2.5.html\">1.2.5</a>, planned for 2025-08-15."),
        "{html}"
    );
    assert!(
        html.contains(
            "<a class=\"al-kpi al-kpi-pass\" href=\"metrics/index.html#kpi-test_pass_rate\""
        ),
        "{html}"
    );
    assert!(html.contains(">97.5 %</a>"), "{html}");
    assert!(html.contains("<img src=\"charts/kpi-test_pass_rate.svg\" alt=\"Test pass rate, target ≥ 95%. 1.0.0: 93%, 1.1.0: 97.5%\">"), "{html}");
    assert!(
        html.contains("<caption>2025-Q3</caption>") && html.contains("calendar/1.1.1.html"),
        "{html}"
    );
    assert!(
        html.contains("<code>{{ kpi(id=\"in code\") }}</code>"),
        "code is left alone: {html}"
    );
}

#[test]
fn a_bad_shortcode_is_located() {
    let site = repo();
    site.write(
        "content/status.md",
        "# Status\n\nRate: {{ kpi(id=\"pass_rate\") }}\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no KPI `pass_rate` in data/metrics.yaml"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/status.md:3:7"),
        "{}",
        run.stderr
    );
    let check = site.run(&["check", "--format", "json"]);
    assert!(
        check.stdout.contains("no KPI `pass_rate`"),
        "{}",
        check.stdout
    );
    assert_eq!(check.code, 1);
}

#[test]
fn the_bundled_handbook_builds_without_its_git_history() {
    let copy = Fixture::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "data", "themes", "scripts"] {
        for entry in walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                copy.write(&rel, &std::fs::read_to_string(entry.path()).unwrap());
            }
        }
    }
    copy.write(
        "almanac.yaml",
        &std::fs::read_to_string(root.join("almanac.yaml")).unwrap(),
    );
    assert!(!copy.exists(".git"));
    let run = copy.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning: no git repository"),
        "{}",
        run.stderr
    );
    assert!(copy.exists("public/calendar/index.html") && copy.exists("public/metrics/index.html"));
}

#[test]
fn guides_can_link_to_generated_pages() {
    let site = repo();
    site.write(
        "content/status.md",
        "# Status\n\nSee [the calendar](calendar/), [1.1.0](calendar/1.1.0.html#changelog), \
         [metrics](metrics/index.html#kpi-test_pass_rate) and [nothing](calendar/9.9.9.html).\n",
    );
    let run = site.run_env(
        &["build"],
        &[("SOURCE_DATE_EPOCH", &at("2025-09-01T00:00:00Z").to_string())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/status.html");
    let hrefs = common::attr_values(common::main_of(&html), "href");
    for href in [
        "calendar/index.html",
        "calendar/1.1.0.html#changelog",
        "metrics/index.html#kpi-test_pass_rate",
    ] {
        assert!(hrefs.contains(&href), "{href} in {hrefs:?}");
    }
    let (code, out) = {
        let run = site.run(&["check", "--format", "json"]);
        (run.code, run.stdout)
    };
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&out).unwrap();
    let broken: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"].as_str().unwrap().starts_with("broken-"))
        .map(|f| f["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        broken,
        ["calendar/9.9.9.html"],
        "only the release that does not exist"
    );
}

#[test]
fn missing_tags_are_a_warning_only_when_a_release_needs_one() {
    let site = Fixture::with(&[
        ("content/README.md", "# Handbook\n"),
        (
            "data/calendar.yaml",
            "releases:\n  - { version: 1.0.0, type: minor, planned: { release: 2025-03-04 } }\n",
        ),
    ]);
    Git::init(&site).commit_all("docs", at("2025-03-01T10:00:00Z"));
    let run = build(&site);
    assert!(
        run.stderr.contains("warning: no tags match `v{version}`"),
        "{}",
        run.stderr
    );
    site.write(
        "data/calendar.yaml",
        "releases:\n  - { version: 1.0.0, type: minor, planned: { release: 2025-03-04 }, actual: { release: 2025-03-05 } }\n",
    );
    let run = build(&site);
    assert!(
        !run.stderr.contains("no tags match"),
        "every past release has its date: {}",
        run.stderr
    );
}
