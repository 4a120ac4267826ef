//! `almanac report`: a git repository with fixed dates and data spanning three
//! quarters, asserted field by field in JSON and checked in Markdown and HTML.

mod common;

use common::{Fixture, Git, at};
use serde_json::Value;

const CALENDAR: &str = "slip_tolerance_days: 2
themes:
  - { quarter: 2025-Q3, title: Reporting, focus: [report] }
releases:
  - { version: 2.0.0, type: minor, planned: { release: 2025-05-06 } }
  - version: 2.1.0
    type: minor
    planned: { release: 2025-08-05 }
    replans: [ { on: 2025-07-30, release: 2025-08-12, reason: review backlog } ]
  - { version: 2.1.1, type: hotfix, planned: { release: 2025-08-20 } }
  - { version: 2.2.0, type: minor, planned: { release: 2025-11-04 } }
";

const METRICS: &str = "kpis:
  - { id: test_pass_rate, name: Test pass rate, unit: '%', target: { op: '>=', value: 95 }, tier: must, doc: 'metrics.md#quality' }
  - { id: on_time_rate, name: On-time rate, source: git, unit: '%', target: { op: '>=', value: 75 }, doc: 'metrics.md#delivery' }
  - { id: hotfix_count, name: Hotfixes, source: git, target: { op: '<=', value: 0 }, doc: 'metrics.md#stability' }
  - { id: lead_time, name: Lead time, source: git, unit: days, target: { op: '<=', value: 10 } }
observations:
  - { release: 2.0.0, values: { test_pass_rate: 96 } }
  - { release: 2.1.0, values: { test_pass_rate: 94 } }
incidents:
  - { id: INC-9, release: 2.1.0, severity: high, detected: 2025-08-16T08:00Z, resolved: 2025-08-16T12:30Z, fixed_in: 2.1.1, rollback: true, review: 'metrics.md#stability' }
";

const AS_OF: &str = "2025-09-30";

fn repo() -> (Fixture, Git) {
    let site = Fixture::with(&[
        ("almanac.yaml", "title: Tool handbook\n"),
        ("content/README.md", "# Tool handbook\n"),
        (
            "content/metrics.md",
            "# Metrics\n\n## Quality\n\n## Delivery\n\n## Stability\n",
        ),
        ("data/calendar.yaml", CALENDAR),
        ("data/metrics.yaml", METRICS),
    ]);
    let git = Git::init(&site);
    let (ada, bob, cy) = (
        ("Ada", "ada@example.org"),
        ("Bob", "bob@example.org"),
        ("Cy", "cy@example.org"),
    );
    let a = git.commit_as("main", &[], "feat: search", ada, at("2025-04-28T10:00:00Z"));
    site.write("f", "b");
    let b = git.commit_as(
        "main",
        &[a],
        "fix: crash on empty input",
        bob,
        at("2025-05-02T10:00:00Z"),
    );
    git.annotated_tag("v2.0.0", b, at("2025-05-07T10:00:00Z"));
    site.write("f", "c");
    let c = git.commit_as(
        "main",
        &[b],
        "feat(report): charts",
        cy,
        at("2025-08-01T10:00:00Z"),
    );
    site.write("f", "d");
    let d = git.commit_as(
        "main",
        &[c],
        "perf: faster builds",
        ada,
        at("2025-08-15T10:00:00Z"),
    );
    git.lightweight_tag("v2.1.0", d);
    site.write("f", "e");
    let e = git.commit_as(
        "main",
        &[d],
        "fix: quarter boundary",
        bob,
        at("2025-08-18T12:00:00Z"),
    );
    git.annotated_tag("v2.1.1", e, at("2025-08-19T12:00:00Z"));
    (site, git)
}

fn report_json(site: &Fixture, quarter: &str) -> Value {
    let run = site.run(&[
        "report",
        "--quarter",
        quarter,
        "--format",
        "json",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn json_report_field_by_field() {
    let (site, _git) = repo();
    let r = report_json(&site, "2025-Q3");
    assert_eq!(r["quarter"], "2025-Q3");
    assert_eq!(r["theme"]["title"], "Reporting");
    assert_eq!(r["empty"], false);

    let shipped = r["shipped"].as_array().unwrap();
    let versions: Vec<&str> = shipped
        .iter()
        .map(|x| x["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["2.1.0", "2.1.1"]);
    let v210 = &shipped[0];
    // Lightweight tag on D (2025-08-15) against the replanned 2025-08-12.
    assert_eq!(
        (
            v210["actual"].as_str(),
            v210["slip_days"].as_i64(),
            v210["on_time"].as_bool()
        ),
        (Some("2025-08-15"), Some(3), Some(false))
    );
    assert_eq!(v210["baseline_slip_days"], 10);
    assert_eq!(
        (
            v210["type"].as_str(),
            v210["status"].as_str(),
            v210["commits"].as_i64()
        ),
        (Some("minor"), Some("released"), Some(2))
    );
    // Lead times 14 and 0 days: median 7.
    assert_eq!(v210["lead_time_days"], 7.0);
    assert_eq!(v210["planned"]["release"], "2025-08-05");
    let v211 = &shipped[1];
    assert_eq!(
        (
            v211["slip_days"].as_i64(),
            v211["on_time"].as_bool(),
            v211["commits"].as_i64(),
            v211["lead_time_days"].as_f64()
        ),
        (Some(-1), Some(true), Some(1), Some(1.0))
    );
    assert_eq!(r["planned_not_shipped"].as_array().unwrap().len(), 0);

    let stats = &r["stats"];
    assert_eq!(
        (
            stats["on_time_rate"].as_f64(),
            stats["total_slip_days"].as_i64(),
            stats["hotfix_count"].as_i64()
        ),
        (Some(50.0), Some(2), Some(1))
    );
    // All Q3 commits: 14, 0 and 1 days → median 1.
    assert_eq!(stats["lead_time_days"], 1.0);

    let kpi = |id: &str| {
        r["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == id)
            .unwrap()
            .clone()
    };
    let k = kpi("test_pass_rate");
    assert_eq!(
        (
            k["value"].as_f64(),
            k["status"].as_str(),
            k["previous"].as_f64(),
            k["trend"].as_str(),
            k["improving"].as_bool()
        ),
        (
            Some(94.0),
            Some("fail"),
            Some(96.0),
            Some("down"),
            Some(false)
        )
    );
    assert_eq!(
        k["target"],
        serde_json::json!({ "op": ">=", "value": 95.0 })
    );
    let k = kpi("on_time_rate");
    assert_eq!(
        (
            k["value"].as_f64(),
            k["status"].as_str(),
            k["previous"].as_f64(),
            k["trend"].as_str()
        ),
        (Some(50.0), Some("fail"), Some(100.0), Some("down"))
    );
    let k = kpi("hotfix_count");
    assert_eq!(
        (
            k["value"].as_f64(),
            k["status"].as_str(),
            k["trend"].as_str(),
            k["improving"].as_bool()
        ),
        (Some(1.0), Some("fail"), Some("up"), Some(false))
    );
    assert_eq!(
        (
            kpi("lead_time")["value"].as_f64(),
            kpi("lead_time")["status"].as_str()
        ),
        (Some(1.0), Some("pass"))
    );
    assert_eq!(
        r["scorecard"],
        serde_json::json!({ "pass": 1, "fail": 3, "in_progress": 0, "no_data": 0 })
    );

    assert_eq!(r["incidents"][0]["hours_to_restore"], 4.5);
    assert_eq!(r["hotfixes"], serde_json::json!(["2.1.1"]));
    let groups: Vec<&str> = r["changelog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["kind"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["feat", "fix", "perf"]);
    assert_eq!(r["contributors"], serde_json::json!(["Ada", "Bob", "Cy"]));
    assert_eq!(r["new_contributors"], serde_json::json!(["Cy"]));
    assert_eq!(r["docs_health"]["errors"], 0);
    let recs: Vec<&str> = r["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["link"].as_str().unwrap_or(""))
        .collect();
    assert!(
        recs.contains(&"metrics.html#quality")
            && recs.contains(&"metrics.html#delivery")
            && recs.contains(&"metrics.html#stability"),
        "{recs:?}"
    );
}

#[test]
fn other_quarters_and_empty_ones() {
    let (site, _git) = repo();
    let q2 = report_json(&site, "2025-Q2");
    assert_eq!(q2["shipped"][0]["version"], "2.0.0");
    assert_eq!(q2["new_contributors"], serde_json::json!(["Ada", "Bob"]));
    let q4 = report_json(&site, "2025-Q4");
    assert_eq!(q4["planned_not_shipped"][0]["version"], "2.2.0");
    assert_eq!(q4["planned_not_shipped"][0]["status"], "planned");
    let q1 = report_json(&site, "2025-Q1");
    assert_eq!(q1["empty"], true);
    let md = site.run(&[
        "report",
        "--quarter",
        "2025-Q1",
        "--format",
        "md",
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(md.code, 0);
    assert!(md.stdout.contains("_Empty quarter"), "{}", md.stdout);
}

#[test]
fn bad_quarters_and_revisions_are_exit_2() {
    let (site, _git) = repo();
    for (args, message) in [
        (
            vec!["report", "--quarter", "2025-Q5"],
            "`2025-Q5` is not a quarter",
        ),
        (vec!["report", "--quarter", "Q3"], "write it as YYYY-Qn"),
        (
            vec!["report", "--quarter", "2025-Q3", "--as-of", "no-such-rev"],
            "neither a date",
        ),
    ] {
        let run = site.run(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(message), "{}", run.stderr);
    }
}

#[test]
fn markdown_and_html_state_the_same_facts() {
    let (site, _git) = repo();
    let md = site
        .run(&[
            "report",
            "--quarter",
            "2025-Q3",
            "--format",
            "md",
            "--as-of",
            AS_OF,
        ])
        .stdout;
    assert!(
        md.contains("| 2.1.0 | minor | 2025-08-12 | 2025-08-15 | 3 | no | 2 | 7 |"),
        "{md}"
    );
    assert!(md.contains("2 shipped, 0 planned but not shipped; on time 50%, total slip 2 days, median lead time 1 days."), "{md}");
    assert!(
        md.contains("| Test pass rate | 94 | ≥ 95 | fail | ↓ worse | must |"),
        "{md}"
    );
    assert!(
        md.contains(
            "**INC-9** (high) on 2025-08-16 08:00, release 2.1.0: restored in 4.5 h, rolled back"
        ),
        "{md}"
    );
    assert!(md.contains("Ada, Bob, Cy (new: Cy)"), "{md}");

    let run = site.run(&["report", "--quarter", "2025-Q3", "--as-of", AS_OF]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = run.stdout;
    assert!(
        html.contains("<span class=\"al-version\">2.1.0</span>"),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"al-late\">3 d</td>")
            && html.contains("<td class=\"al-ok\">-1 d</td>"),
        "{html}"
    );
    assert!(html.contains("<b>50%</b><span>on time</span>"), "{html}");
    assert!(html.contains("<td class=\"al-fail\">fail</td>"), "{html}");
    assert!(
        html.contains("<style>") && !html.contains("<link rel=\"stylesheet\""),
        "self-contained"
    );
    assert!(
        html.contains("<svg") && html.contains("<title>Test pass rate</title>"),
        "charts inline"
    );
}

/// The fixture with the site's URL set.
const SITE_URL: &str = "https://docs.example.org/tool/";

/// `almanac report` of 2025-Q3 as of `AS_OF` in `format`: (stdout, stderr).
fn report_text(site: &Fixture, format: &str) -> (String, String) {
    let run = site.run(&[
        "report",
        "--quarter",
        "2025-Q3",
        "--format",
        format,
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (run.stdout, run.stderr)
}

/// The targets of a Markdown text's inline links (`[text](target)`).
fn markdown_links(md: &str) -> Vec<&str> {
    md.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &md[at + 2..];
            rest.find(')').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn with_base_url_every_link_is_absolute_and_resolves_in_the_built_site() {
    let (site, _git) = repo();
    site.write(
        "almanac.yaml",
        &format!("title: Tool handbook\nbase_url: {SITE_URL}\n"),
    );
    let run = site.run_env(
        &["build"],
        &[("SOURCE_DATE_EPOCH", &at("2025-09-30T00:00:00Z").to_string())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (html, stderr) = report_text(&site, "html");
    assert!(!stderr.contains("warning"), "{stderr}");
    let (md, stderr) = report_text(&site, "md");
    assert!(!stderr.contains("warning"), "{stderr}");
    let html_links = common::attr_values(&html, "href");
    let md_links = markdown_links(&md);
    // The incident's review, a page of the handbook, is linked too.
    let review = format!("{SITE_URL}metrics.html#stability");
    assert!(
        html.contains(&format!("<a href=\"{review}\">INC-9</a>"))
            && md.contains(&format!("([review]({review}))")),
        "{md}"
    );
    assert!(html_links.len() >= 8, "{html_links:?}");
    assert!(md_links.len() >= 6, "{md_links:?}");
    for href in html_links.into_iter().chain(md_links) {
        let rel = href
            .strip_prefix(SITE_URL)
            .unwrap_or_else(|| panic!("{href} is not under the site's URL"));
        let (path, fragment) = rel.split_once('#').unwrap_or((rel, ""));
        let target = site.read(&format!("public/{path}"));
        if !fragment.is_empty() {
            assert!(
                target.contains(&format!("id=\"{fragment}\"")),
                "{href}: no anchor"
            );
        }
    }
    // The site has a report page per quarter with releases.
    assert!(
        site.exists("public/reports/2025-Q2.html") && site.exists("public/reports/2025-Q3.html")
    );
    assert!(
        !site.exists("public/reports/2025-Q4.html"),
        "no release shipped in Q4"
    );
}

#[test]
fn without_base_url_links_are_left_out_with_a_warning() {
    let (site, _git) = repo();
    for format in ["html", "md"] {
        let (text, stderr) = report_text(&site, format);
        assert!(
            stderr.contains("warning:") && stderr.contains("set `base_url:"),
            "{format}: {stderr}"
        );
        // The facts stay, as text: the release, the KPI, the advice.
        assert!(text.contains("2.1.0") && text.contains("Test pass rate"));
        let relative: Vec<&str> = match format {
            "html" => common::attr_values(&text, "href"),
            _ => markdown_links(&text),
        }
        .into_iter()
        .filter(|h| !h.contains("://"))
        .collect();
        assert_eq!(relative, Vec::<&str>::new(), "{format}: relative links");
    }
    // A site path is no URL either: the same warning, no links.
    site.write("almanac.yaml", "title: Tool handbook\nbase_url: /tool/\n");
    let (md, stderr) = report_text(&site, "md");
    assert!(stderr.contains("not an absolute URL"), "{stderr}");
    assert_eq!(markdown_links(&md), Vec::<&str>::new());
    // JSON keeps its site-relative `url` fields, for tools: no warning.
    let (_, stderr) = report_text(&site, "json");
    assert!(!stderr.contains("warning"), "{stderr}");
}

/// The fixture with 2.2.0 shipped in 2025-Q4 (tag and observation).
fn repo_with_a_q4_release() -> (Fixture, Git) {
    let (site, git) = repo();
    site.write(
        "data/metrics.yaml",
        &METRICS.replace(
            "incidents:",
            "  - { release: 2.2.0, date: 2025-11-05, values: { test_pass_rate: 99 } }\nincidents:",
        ),
    );
    site.write("f", "q4");
    let head = git.repo.head().unwrap().peel_to_commit().unwrap().id();
    let q4 = git.commit_as(
        "main",
        &[head],
        "feat: fourth quarter work",
        ("Dee", "dee@example.org"),
        at("2025-10-20T10:00:00Z"),
    );
    git.annotated_tag("v2.2.0", q4, at("2025-11-05T10:00:00Z"));
    (site, git)
}

#[test]
fn a_quarter_report_charts_and_tabulates_only_its_quarter() {
    let (site, _git) = repo_with_a_q4_release();
    let run = site.run(&["report", "--quarter", "2025-Q3", "--as-of", "2025-11-30"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = run.stdout;
    // Q4's release and Q4's quarter appear nowhere: no table row, no chart point or label.
    assert!(!html.contains("2.2.0"), "a Q4 version in the Q3 report");
    assert!(!html.contains("2025-Q4"), "a Q4 point in the Q3 report");
    // The charts hold the quarter, after the previous one for the trend, said so.
    let charts = &html[html.find("class=\"al-charts\"").expect("KPI charts")..];
    assert!(charts.contains("2.1.0") && charts.contains("2.0.0"));
    assert!(charts.contains("2025-Q3") && charts.contains("2025-Q2"));
    assert!(html.contains("after the previous quarter (2025-Q2) for the trend"));
    // The Q4 report does chart its own release.
    let run = site.run(&["report", "--quarter", "2025-Q4", "--as-of", "2025-11-30"]);
    assert!(run.stdout.contains("2.2.0"));
}

#[test]
fn an_unfinished_quarter_is_marked_to_date() {
    let (site, _git) = repo_with_a_q4_release();
    // "Today" is in 2025-Q4, which is not over.
    let today = [("SOURCE_DATE_EPOCH", at("2025-11-30T12:00:00Z").to_string())];
    let env: Vec<(&str, &str)> = today.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = site.run_env(&["report", "--quarter", "2025-Q4"], &env);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = run.stdout;
    assert!(
        html.contains("<title>Release report 2025-Q4 (to date)")
            && html.contains(
                "Release report 2025-Q4 <span class=\"al-to-date\">(to date)</span></h1>"
            ),
        "the title says so"
    );
    assert!(html.contains("<span>releases shipped to date</span>"));
    assert!(html.contains("<span>KPIs on target to date</span>"));
    assert!(html.contains("<th scope=\"col\">Value to date</th>"));
    let md = site
        .run_env(&["report", "--quarter", "2025-Q4", "--format", "md"], &env)
        .stdout;
    assert!(
        md.starts_with("# Release report 2025-Q4 (to date)\n"),
        "{md}"
    );
    assert!(
        md.contains("To date: 1 shipped, 0 planned but not shipped"),
        "{md}"
    );
    assert!(
        md.lines()
            .any(|l| l.starts_with("To date: ") && l.ends_with("in progress, 0 without data.")),
        "{md}"
    );
    // The quarter before is over: no mark.
    let q3 = site
        .run_env(&["report", "--quarter", "2025-Q3"], &env)
        .stdout;
    assert!(q3.contains("<h1>Release report 2025-Q3</h1>"));
    assert!(!q3.contains("to date"), "a finished quarter is not to date");
}

#[test]
fn report_pages_in_the_site_keep_its_frame_and_the_file_stands_alone() {
    let (site, _git) = repo();
    let run = site.run_env(
        &["build"],
        &[("SOURCE_DATE_EPOCH", &at("2025-09-30T00:00:00Z").to_string())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in ["public/reports/2025-Q3.html", "public/reports/index.html"] {
        let html = site.read(page);
        for part in [
            "<nav class=\"al-sidebar\"",
            "href=\"../index.html\"",
            "id=\"search-input\"",
            "class=\"al-theme-button\"",
            "<link rel=\"stylesheet\" href=\"../assets/almanac.css\">",
            "<script src=\"../assets/almanac.js\"></script>",
        ] {
            assert!(html.contains(part), "{page}: no {part}");
        }
    }
    let page = site.read("public/reports/2025-Q3.html");
    // Inside the site, links stay site-relative.
    assert!(page.contains("<a href=\"../calendar/2.1.0.html\">2.1.0</a>"));
    assert!(page.contains("<h1>Release report 2025-Q3</h1>"));
    // The file sent by itself: inline CSS, no file of the site's.
    let (file, _) = report_text(&site, "html");
    assert!(file.contains("<style>") && file.contains("<h1>Release report 2025-Q3</h1>"));
    assert!(
        !file.contains("<link") && !file.contains("<script"),
        "self-contained"
    );
    assert!(!file.contains("al-sidebar") && !file.contains("search-input"));
}

#[test]
fn as_of_pins_the_numbers() {
    let (site, git) = repo();
    let before = site
        .run(&[
            "report",
            "--quarter",
            "2025-Q3",
            "--format",
            "json",
            "--as-of",
            AS_OF,
        ])
        .stdout;
    // Later history: a new commit and a release tag after the as-of date.
    site.write("f", "later");
    let head = git.repo.head().unwrap().peel_to_commit().unwrap().id();
    let g = git.commit_as(
        "main",
        &[head],
        "feat: later work",
        ("Dee", "dee@example.org"),
        at("2025-10-02T10:00:00Z"),
    );
    git.annotated_tag("v2.2.0", g, at("2025-10-03T10:00:00Z"));
    let after = site
        .run(&[
            "report",
            "--quarter",
            "2025-Q3",
            "--format",
            "json",
            "--as-of",
            AS_OF,
        ])
        .stdout;
    assert_eq!(before, after);
    // A revision works as the pin too: the v2.1.1 commit's date.
    let by_rev = site.run(&[
        "report",
        "--quarter",
        "2025-Q3",
        "--format",
        "json",
        "--as-of",
        "v2.1.1",
    ]);
    assert_eq!(by_rev.code, 0, "{}", by_rev.stderr);
    let json: Value = serde_json::from_str(&by_rev.stdout).unwrap();
    assert_eq!(json["as_of"], "2025-08-18");
}

#[test]
fn html_report_renders_in_chromium_without_console_errors() {
    if !common::browser_available() {
        return;
    }
    let (site, _git) = repo();
    let run = site.run(&[
        "report",
        "--quarter",
        "2025-Q3",
        "--as-of",
        AS_OF,
        "--out",
        "report.html",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            &format!("--user-data-dir={}", profile.path().display()),
            "--dump-dom",
            &format!("file://{}", site.path("report.html").display()),
        ])
        .output()
        .expect("chromium is installed (apt-get install chromium; .ci/run does)");
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        dom.contains("Release report 2025-Q3"),
        "the page rendered: {log}"
    );
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:?}");
}

#[test]
fn findings_by_kind_are_listed_in_one_order_every_time() {
    let (site, _git) = repo();
    site.write(
        "content/broken.md",
        "# Broken\n\n[gone](gone.md), [anchor](README.md#nope), ![img](nope.png), [ref][missing]\n\n```sh\n./scripts/nope.sh\n```\n",
    );
    let by_kind = |html: &str| -> Vec<String> {
        let at = html.find("By kind: ").expect("a count by kind") + "By kind: ".len();
        let end = at + html[at..].find(".</p>").unwrap();
        html[at..end]
            .split(", ")
            .map(|k| k.split(' ').next().unwrap().to_string())
            .collect()
    };
    let (first, _) = report_text(&site, "html");
    let kinds = by_kind(&first);
    assert!(kinds.len() >= 4, "{kinds:?}");
    let mut sorted = kinds.clone();
    sorted.sort();
    // A map a template walks keeps its order (Tera's own maps are hash
    // maps unless it preserves order): the same report every time.
    assert_eq!(kinds, sorted);
    for _ in 0..3 {
        assert_eq!(by_kind(&report_text(&site, "html").0), kinds);
    }
}
