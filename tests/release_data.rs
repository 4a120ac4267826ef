//! Release data on histories like real ones (issue 19): pre-releases in
//! SemVer order, git-cliff's release ranges, new contributors over the whole
//! history, "no data" kept apart from zero, quarters to date, overdue
//! releases, and changelogs people read. Every fixture is a git repository
//! made with git2 at fixed dates; every expected figure is worked out by hand
//! in the comments beside it.

mod common;

use common::{Fixture, Git, at};
use serde_json::Value;

fn report_json(site: &Fixture, quarter: &str, as_of: &str) -> Value {
    let run = site.run(&[
        "report",
        "--quarter",
        quarter,
        "--format",
        "json",
        "--as-of",
        as_of,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn build_at(site: &Fixture, today: &str) {
    let run = site.run_env(&["build"], &[("SOURCE_DATE_EPOCH", &at(today).to_string())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

fn calendar_json(site: &Fixture) -> Value {
    serde_json::from_str(&site.read("public/calendar.json")).unwrap()
}

fn release<'a>(releases: &'a Value, version: &str) -> &'a Value {
    releases
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["version"] == version)
        .unwrap_or_else(|| panic!("no {version} in {releases:#}"))
}

fn versions(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_str().unwrap())
        .collect()
}

/// A history with ten release candidates, a beta on a side branch, and
/// authors whose first commits fall in different quarters:
///
/// ```text
/// 2025-11-03 Ada (old address, mailmapped)  feat: start        ← v0.9.0 (annotated, 2025-11-04)
///   └ side: 2026-04-11 Dee  fix: side                          ← v1.0.0-beta.1
/// 2026-04-01 … 2026-04-10 Bob  fix: step 1 … 10                ← v1.0.0-rc.1 … rc.10 (one each)
/// 2026-04-12 Cy   feat: ship                                   ← v1.0.0
/// 2026-05-04 Ada  fix: patch                                   ← v1.0.1
/// 2026-06-01 Eve  feat!: new api                               ← v2.0.0-rc.1
/// 2026-06-20 Fay  docs: typo                                   (not released)
/// ```
///
/// No tag is in the calendar: their types come from SemVer.
fn prerelease_repo() -> Fixture {
    let site = Fixture::with(&[
        ("almanac.yaml", "title: Pre-releases\n"),
        ("content/README.md", "# Pre-releases\n"),
        (
            "data/calendar.yaml",
            "slip_tolerance_days: 2\nreleases: []\n",
        ),
        (".mailmap", "Ada <ada@example.org> <ada@old.example>\n"),
    ]);
    let git = Git::init(&site);
    let c0 = git.commit_as(
        "main",
        &[],
        "feat: start",
        ("A. Lovelace", "ada@old.example"),
        at("2025-11-03T10:00:00Z"),
    );
    git.annotated_tag("v0.9.0", c0, at("2025-11-04T10:00:00Z"));
    site.write("side", "x");
    let side = git.commit_as(
        "side",
        &[c0],
        "fix: side",
        ("Dee", "dee@example.org"),
        at("2026-04-11T10:00:00Z"),
    );
    git.lightweight_tag("v1.0.0-beta.1", side);
    std::fs::remove_file(site.path("side")).unwrap();
    let mut head = c0;
    for n in 1..=10 {
        site.write("f", &n.to_string());
        head = git.commit_as(
            "main",
            &[head],
            &format!("fix: step {n}"),
            ("Bob", "bob@example.org"),
            at(&format!("2026-04-{n:02}T10:00:00Z")),
        );
        git.lightweight_tag(&format!("v1.0.0-rc.{n}"), head);
    }
    site.write("f", "ship");
    let ship = git.commit_as(
        "main",
        &[head],
        "feat: ship",
        ("Cy", "cy@example.org"),
        at("2026-04-12T10:00:00Z"),
    );
    git.lightweight_tag("v1.0.0", ship);
    site.write("f", "patch");
    let patch = git.commit_as(
        "main",
        &[ship],
        "fix: patch",
        ("Ada", "ada@example.org"),
        at("2026-05-04T10:00:00Z"),
    );
    git.lightweight_tag("v1.0.1", patch);
    site.write("f", "api");
    let api = git.commit_as(
        "main",
        &[patch],
        "feat!: new api",
        ("Eve", "eve@example.org"),
        at("2026-06-01T10:00:00Z"),
    );
    git.lightweight_tag("v2.0.0-rc.1", api);
    site.write("f", "typo");
    git.commit_as(
        "main",
        &[api],
        "docs: typo",
        ("Fay", "fay@example.org"),
        at("2026-06-20T10:00:00Z"),
    );
    site
}

#[test]
fn release_candidates_count_in_semver_order_and_a_final_counts_from_the_previous_final() {
    let site = prerelease_repo();
    build_at(&site, "2026-06-30T12:00:00Z");
    let json = calendar_json(&site);
    let releases = &json["releases"];
    // SemVer §11: rc.2 before rc.10, the beta before the rc's, 1.0.0 after them.
    let order = versions(releases);
    let mut expected = vec!["0.9.0", "1.0.0-beta.1"];
    let rcs: Vec<String> = (1..=10).map(|n| format!("1.0.0-rc.{n}")).collect();
    expected.extend(rcs.iter().map(String::as_str));
    expected.extend(["1.0.0", "1.0.1", "2.0.0-rc.1"]);
    assert_eq!(order, expected);

    // Each rc counts from the rc before it: one commit each, lead time 0
    // (a lightweight tag's date is its commit's).
    for rc in &rcs {
        let r = release(releases, rc);
        assert_eq!(
            (r["commits"].as_i64(), r["prerelease"].as_bool()),
            (Some(1), Some(true)),
            "{rc}"
        );
        assert_eq!(r["lead_time_days"], 0.0, "{rc}");
    }
    // The beta on the side branch is no ancestor of rc.1: rc.1 counts from
    // 0.9.0 (its one commit), the beta counts its own one commit.
    assert_eq!(release(releases, "1.0.0-rc.1")["contributors"][0], "Bob");
    assert_eq!(release(releases, "1.0.0-beta.1")["commits"], 1);
    assert_eq!(release(releases, "1.0.0-beta.1")["contributors"][0], "Dee");

    // 1.0.0 counts from 0.9.0, the previous final: steps 1–10 and ship = 11
    // commits. Lead times from the tag (2026-04-12 10:00): 11, 10, …, 2
    // days and 0. Sorted 0,2,3,…,11: median the 6th = 6, p90 the
    // ceil(0.9·11) = 10th = 10.
    let v100 = release(releases, "1.0.0");
    assert_eq!(
        (
            v100["commits"].as_i64(),
            v100["lead_time_days"].as_f64(),
            v100["lead_time_p90_days"].as_f64(),
            v100["prerelease"].as_bool()
        ),
        (Some(11), Some(6.0), Some(10.0), Some(false))
    );
    assert_eq!(v100["contributors"], serde_json::json!(["Bob", "Cy"]));
    // 1.0.1 from 1.0.0; 2.0.0-rc.1 from 1.0.1 (the previous tag of any kind).
    assert_eq!(release(releases, "1.0.1")["commits"], 1);
    assert_eq!(release(releases, "2.0.0-rc.1")["commits"], 1);
    // The first tag counts the whole history up to it.
    assert_eq!(release(releases, "0.9.0")["commits"], 1);

    // Types from SemVer against the previous final release: 0.9.0 has none
    // (x.y.0: minor), 1.0.0 after 0.9.0 is major, so are its pre-releases;
    // 1.0.1 is a patch; 2.0.0-rc.1 after 1.0.1 is major.
    let types: Vec<(&str, &str)> = [
        "0.9.0",
        "1.0.0-beta.1",
        "1.0.0-rc.2",
        "1.0.0",
        "1.0.1",
        "2.0.0-rc.1",
    ]
    .iter()
    .map(|v| (*v, release(releases, v)["type"].as_str().unwrap()))
    .collect();
    assert_eq!(
        types,
        [
            ("0.9.0", "minor"),
            ("1.0.0-beta.1", "major"),
            ("1.0.0-rc.2", "major"),
            ("1.0.0", "major"),
            ("1.0.1", "patch"),
            ("2.0.0-rc.1", "major")
        ]
    );

    let page = site.read("public/calendar/1.0.0.html");
    assert!(
        page.contains("<tr><th>Commits</th><td>11</td></tr>"),
        "{page}"
    );
    assert!(
        page.contains("median 6 days, p90 10 days"),
        "{}",
        common::main_of(&page)
    );
    assert!(
        site.read("public/calendar/1.0.0-rc.10.html")
            .contains(">pre-release<")
    );
}

#[test]
fn the_report_counts_final_releases_lists_pre_releases_apart_and_new_contributors_by_first_commit()
{
    let site = prerelease_repo();
    let r = report_json(&site, "2026-Q2", "2026-06-30");
    assert_eq!(versions(&r["shipped"]), ["1.0.0", "1.0.1"]);
    let mut pre = vec!["1.0.0-beta.1".to_string()];
    pre.extend((1..=10).map(|n| format!("1.0.0-rc.{n}")));
    pre.push("2.0.0-rc.1".into());
    assert_eq!(versions(&r["prereleases"]), pre);
    // Two final releases in three months: 0.67 a month.
    assert_eq!(r["stats"]["released"], 2);
    assert_eq!(r["stats"]["release_frequency"], 0.67);
    // Pooled lead times: 1.0.0's eleven (0,2,3,…,11) and 1.0.1's 0:
    // sorted 0,0,2,3,4,5,6,7,8,9,10,11; median (5+6)/2 = 5.5; p90 the
    // ceil(0.9·12) = 11th = 10.
    assert_eq!(r["stats"]["lead_time_days"], 5.5);
    assert_eq!(r["stats"]["lead_time_p90_days"], 10.0);
    // Contributors of the shipped releases; new ones are those whose first
    // commit in the whole history is in Q2: not Ada (2025-11, under her old
    // address, mailmapped), but Dee (side branch) and Fay (not released yet).
    assert_eq!(r["contributors"], serde_json::json!(["Ada", "Bob", "Cy"]));
    assert_eq!(
        r["new_contributors"],
        serde_json::json!(["Bob", "Cy", "Dee", "Eve", "Fay"])
    );
    // As of 2026-06-10, Fay has not committed yet.
    let r = report_json(&site, "2026-Q2", "2026-06-10");
    assert_eq!(
        r["new_contributors"],
        serde_json::json!(["Bob", "Cy", "Dee", "Eve"])
    );
}

const PLAN: &str = "slip_tolerance_days: 2
themes:
  - { quarter: 2025-Q4, title: Quiet }
releases:
  - { version: 3.0.0, type: minor, planned: { release: 2026-01-20 } }
  - { version: 3.0.1, type: hotfix, planned: { release: 2026-01-25 } }
  - { version: 3.1.0, type: minor, planned: { release: 2026-02-10 } }
  - { version: 3.2.0, type: minor, planned: { release: 2026-05-05 } }
";

const KPIS: &str = "kpis:
  - { id: on_time_rate, source: git, unit: '%', target: { op: '>=', value: 75 } }
  - { id: slip_days, name: Slip, source: git, unit: days, target: { op: '<=', value: 5 } }
  - { id: release_frequency, source: git, target: { op: '>=', value: 1 } }
  - { id: hotfix_count, source: git, target: { op: '<=', value: 0 } }
";

/// 3.0.0 ships a day late, the hotfix 3.0.1 on its day, 3.1.0 (planned
/// 2026-02-10) never ships, 3.2.0 is planned for Q2; 2025-Q4 has a theme
/// and no release.
fn plan_repo() -> Fixture {
    let site = Fixture::with(&[
        ("almanac.yaml", "title: Plans\n"),
        ("content/README.md", "# Plans\n"),
        ("data/calendar.yaml", PLAN),
        ("data/metrics.yaml", KPIS),
    ]);
    let git = Git::init(&site);
    let who = ("Ada", "ada@example.org");
    let c1 = git.commit_as("main", &[], "feat: one", who, at("2026-01-15T10:00:00Z"));
    git.annotated_tag("v3.0.0", c1, at("2026-01-21T10:00:00Z"));
    site.write("f", "2");
    let c2 = git.commit_as("main", &[c1], "fix: two", who, at("2026-01-24T10:00:00Z"));
    git.annotated_tag("v3.0.1", c2, at("2026-01-25T12:00:00Z"));
    site
}

fn kpi_statuses(r: &Value) -> Vec<(&str, &str)> {
    r["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["id"].as_str().unwrap(), k["status"].as_str().unwrap()))
        .collect()
}

#[test]
fn a_future_quarter_has_no_data_no_passes_and_no_recommendations() {
    let site = plan_repo();
    let r = report_json(&site, "2030-Q1", "2026-03-15");
    let stats = &r["stats"];
    for field in [
        "total_slip_days",
        "release_frequency",
        "on_time_rate",
        "hotfix_count",
        "revert_count",
        "lead_time_days",
    ] {
        assert!(stats[field].is_null(), "{field}: {stats:#}");
    }
    assert_eq!(
        kpi_statuses(&r),
        [
            ("on_time_rate", "no-data"),
            ("slip_days", "no-data"),
            ("release_frequency", "no-data"),
            ("hotfix_count", "no-data")
        ]
    );
    assert_eq!(
        r["scorecard"],
        serde_json::json!({ "pass": 0, "fail": 0, "in_progress": 0, "no_data": 4 })
    );
    assert_eq!(r["recommendations"], serde_json::json!([]));
    let md = site.run(&[
        "report",
        "--quarter",
        "2030-Q1",
        "--format",
        "md",
        "--as-of",
        "2026-03-15",
    ]);
    assert!(md.stdout.contains("total slip –,"), "{}", md.stdout);
    assert!(
        md.stdout
            .contains("0 pass, 0 fail, 0 in progress, 4 without data."),
        "{}",
        md.stdout
    );
    assert!(!md.stdout.contains("## Recommendations"), "{}", md.stdout);
}

#[test]
fn a_quarter_without_releases_is_a_gap_in_the_slip_chart_not_a_zero() {
    let site = plan_repo();
    build_at(&site, "2026-03-15T12:00:00Z");
    // 2025-Q4 (a theme, no release) has no slip; 2026-Q1 has 1 + 0 + 33
    // (3.1.0 overdue since 2026-02-10) = 34. 2026-Q2 is after today.
    let svg = site.read("public/charts/kpi-slip_days.svg");
    assert!(
        svg.contains("<desc>Slip, target ≤ 5 days. 2025-Q4: no data, 2026-Q1: 34 days</desc>"),
        "{svg}"
    );
    let calendar = site.read("public/calendar/index.html");
    assert!(
        calendar.contains("<p class=\"al-stats\">0 released</p>"),
        "2025-Q4 says no slip rather than 0 days: {calendar}"
    );
}

#[test]
fn a_quarter_to_date_counts_elapsed_months_and_keeps_reachable_kpis_in_progress() {
    let site = plan_repo();
    let r = report_json(&site, "2026-Q1", "2026-03-15");
    let stats = &r["stats"];
    // 1 Jan – 15 Mar is 31 + 28 + 15 = 74 of the quarter's 90 days:
    // 3 × 74 / 90 = 2.47 months; 2 releases / 2.4667 = 0.81 a month.
    assert_eq!(stats["to_date"], true);
    assert_eq!(stats["months_elapsed"], 2.47);
    assert_eq!(stats["release_frequency"], 0.81);
    // 3.1.0 is overdue by 33 days (10 Feb – 15 Mar), over the tolerance:
    // on time 2 of 3 = 66.67%, total slip 1 + 0 + 33 = 34, still open.
    assert_eq!(
        (
            stats["on_time_rate"].as_f64(),
            stats["total_slip_days"].as_i64(),
            stats["overdue"].as_i64()
        ),
        (Some(66.67), Some(34), Some(1))
    );
    // Frequency, on-time rate and slip can still reach their targets; the
    // one hotfix already breaks `<= 0` for good.
    assert_eq!(
        kpi_statuses(&r),
        [
            ("on_time_rate", "in-progress"),
            ("slip_days", "in-progress"),
            ("release_frequency", "in-progress"),
            ("hotfix_count", "fail")
        ]
    );
    assert_eq!(
        r["scorecard"],
        serde_json::json!({ "pass": 0, "fail": 1, "in_progress": 3, "no_data": 0 })
    );

    // The quarter over (as of 10 April): three months, 2 / 3 = 0.67 a
    // month; 3.1.0's open slip is 59 days (10 Feb – 10 Apr): 60 in all.
    let r = report_json(&site, "2026-Q1", "2026-04-10");
    let stats = &r["stats"];
    assert_eq!(
        (
            stats["to_date"].as_bool(),
            stats["months_elapsed"].as_f64(),
            stats["release_frequency"].as_f64(),
            stats["total_slip_days"].as_i64()
        ),
        (Some(false), Some(3.0), Some(0.67), Some(60))
    );
    assert_eq!(
        kpi_statuses(&r),
        [
            ("on_time_rate", "fail"),
            ("slip_days", "fail"),
            ("release_frequency", "fail"),
            ("hotfix_count", "fail")
        ]
    );
}

#[test]
fn an_overdue_release_counts_against_on_time_rate_with_its_open_slip() {
    let site = plan_repo();
    build_at(&site, "2026-03-15T12:00:00Z");
    let json = calendar_json(&site);
    let v310 = release(&json["releases"], "3.1.0");
    assert_eq!(
        (
            v310["status"].as_str(),
            v310["slip_days"].as_i64(),
            v310["slip_open"].as_bool(),
            v310["on_time"].as_bool(),
            v310["baseline_slip_days"].as_i64()
        ),
        (Some("overdue"), Some(33), Some(true), Some(false), Some(33))
    );
    let page = site.read("public/calendar/3.1.0.html");
    assert!(page.contains("33 days so far (overdue)"), "{page}");
    let calendar = site.read("public/calendar/index.html");
    assert!(
        calendar.contains(
            "2 released, 1 still planned (1 overdue) · quarter to date · on time 66.67% · total slip 34 days"
        ),
        "{calendar}"
    );
    let slip = site.read("public/charts/slip.svg");
    assert!(slip.contains("3.1.0 33 so far (overdue)"), "{slip}");

    // Within the tolerance (one day late on 11 Feb) it is not judged yet:
    // on time 2 of 2, slip 1 + 0 + 1 = 2.
    let r = report_json(&site, "2026-Q1", "2026-02-11");
    assert_eq!(
        (
            r["stats"]["on_time_rate"].as_f64(),
            r["stats"]["total_slip_days"].as_i64()
        ),
        (Some(100.0), Some(2))
    );
    assert!(r["planned_not_shipped"][0]["on_time"].is_null());
    assert_eq!(r["planned_not_shipped"][0]["slip_days"], 1);
}

/// One release whose commits are what real histories hold: a breaking
/// change with its migration note, `test`/`tests`, `doc`/`docs`, `ci` and
/// `build`, dependency and release chores, a bot, a non-conventional
/// subject, and a subject with code and markup in it.
fn changelog_repo(config: &str) -> Fixture {
    let site = Fixture::with(&[
        ("almanac.yaml", config),
        ("content/README.md", "# Changes\n"),
        ("data/calendar.yaml", "releases: []\n"),
    ]);
    let git = Git::init(&site);
    let ada = ("Ada", "ada@example.org");
    let commits: &[(&str, (&str, &str))] = &[
        (
            "feat(api)!: drop the v1 endpoints\n\nThey were deprecated a year ago.\n\nBREAKING CHANGE: call `/v2/items` instead of `/v1/items`;\nthe old paths return 410.\nRefs: #12",
            ada,
        ),
        ("test: cover the parser", ada),
        ("tests: more cases", ada),
        ("doc: typo", ada),
        ("docs: install guide", ada),
        ("ci: cache cargo", ada),
        ("build: bump msrv", ada),
        ("chore(deps): bump serde", ada),
        ("chore(release): 1.0.0", ada),
        ("chore: tidy", ada),
        ("Update README", ada),
        (
            "fix: handle `--flag` with *stars*, <b>tags</b> & [links](x)",
            ada,
        ),
        (
            "fix: bump lockfile",
            (
                "dependabot[bot]",
                "49699333+dependabot[bot]@users.noreply.github.com",
            ),
        ),
        ("perf: faster", ada),
        ("style: fmt", ("Zed", "zed@example.org")),
    ];
    let mut parents = Vec::new();
    for (i, (message, who)) in commits.iter().enumerate() {
        site.write("f", &i.to_string());
        let id = git.commit_as(
            "main",
            &parents,
            message,
            *who,
            at("2026-02-01T10:00:00Z") + 3600 * i as i64,
        );
        parents = vec![id];
    }
    git.annotated_tag("v1.0.0", parents[0], at("2026-02-10T10:00:00Z"));
    site
}

fn groups(release: &Value) -> Vec<(&str, &str)> {
    release["changelog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["kind"].as_str().unwrap(), g["title"].as_str().unwrap()))
        .collect()
}

fn descriptions<'a>(release: &'a Value, kind: &str) -> Vec<&'a str> {
    release["changelog"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} group"))["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["description"].as_str().unwrap())
        .collect()
}

#[test]
fn changelogs_keep_migration_notes_fold_groups_and_skip_chores_and_bots() {
    let site = changelog_repo("title: Changes\n");
    build_at(&site, "2026-03-01T12:00:00Z");
    let json = calendar_json(&site);
    let v1 = release(&json["releases"], "1.0.0");
    // tests → test, doc → docs, ci → build; chore(deps), chore(release) and
    // the bot skipped; the non-conventional subject under "Other".
    assert_eq!(
        groups(v1),
        [
            ("breaking", "Breaking changes"),
            ("feat", "Features"),
            ("fix", "Bug fixes"),
            ("perf", "Performance"),
            ("docs", "Documentation"),
            ("test", "Tests"),
            ("build", "Build and CI"),
            ("style", "Style"),
            ("chore", "Chores"),
            ("other", "Other")
        ]
    );
    assert_eq!(descriptions(v1, "test"), ["cover the parser", "more cases"]);
    assert_eq!(descriptions(v1, "docs"), ["typo", "install guide"]);
    assert_eq!(descriptions(v1, "build"), ["cache cargo", "bump msrv"]);
    assert_eq!(descriptions(v1, "chore"), ["tidy"]);
    assert_eq!(descriptions(v1, "other"), ["Update README"]);
    assert_eq!(
        descriptions(v1, "fix"),
        ["handle `--flag` with *stars*, <b>tags</b> & [links](x)"]
    );
    // The breaking feature, with its footer up to the next trailer, and
    // again under Features.
    let breaking = &v1["changelog"][0]["changes"][0];
    assert_eq!(breaking["description"], "drop the v1 endpoints");
    assert_eq!(
        breaking["note"],
        "call `/v2/items` instead of `/v1/items`;\nthe old paths return 410."
    );
    assert_eq!(descriptions(v1, "feat"), ["drop the v1 endpoints"]);

    let page = site.read("public/calendar/1.0.0.html");
    assert_eq!(page.matches(">Tests</h3>").count(), 1, "{page}");
    assert!(
        page.contains(
            "<blockquote class=\"al-migration\">call <code>/v2/items</code> instead of <code>/v1/items</code>;\nthe old paths return 410.</blockquote>"
        ),
        "{page}"
    );
    // Code spans are code; the rest is text, escaped.
    assert!(
        page.contains(
            "handle <code>--flag</code> with *stars*, &lt;b&gt;tags&lt;/b&gt; &amp; [links](x) <code>"
        ),
        "{page}"
    );
    assert!(!page.contains("bump serde") && !page.contains("bump lockfile"));
}

#[test]
fn report_highlights_are_features_fixes_performance_and_breaking_changes_only() {
    let site = changelog_repo("title: Changes\n");
    let r = report_json(&site, "2026-Q1", "2026-03-31");
    let kinds: Vec<&str> = r["changelog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["breaking", "feat", "fix", "perf"]);
    let md = site.run(&[
        "report",
        "--quarter",
        "2026-Q1",
        "--format",
        "md",
        "--as-of",
        "2026-03-31",
    ]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    let md = md.stdout;
    // Markdown in a subject is escaped; code spans stay code.
    assert!(
        md.contains("- handle `--flag` with \\*stars\\*, \\<b\\>tags\\</b\\> \\& \\[links\\](x) ("),
        "{md}"
    );
    assert!(
        md.contains("- **api:** drop the v1 endpoints (",)
            && md.contains(
                "  > call `/v2/items` instead of `/v1/items`;\n  > the old paths return 410.\n"
            ),
        "{md}"
    );
    for absent in ["### Chores", "### Tests", "### Other", "### Documentation"] {
        assert!(!md.contains(absent), "{absent}: {md}");
    }
}

#[test]
fn changelog_filters_come_from_almanac_yaml() {
    let site = changelog_repo(
        "title: Changes\nchangelog:\n  skip: [chore, 'docs(install)']\n  skip_authors: ['zed*']\n  other: false\n  fold: { ci: ci }\n",
    );
    build_at(&site, "2026-03-01T12:00:00Z");
    let json = calendar_json(&site);
    let v1 = release(&json["releases"], "1.0.0");
    // `skip` replaces the defaults: chore(deps) goes with `chore`; the bot
    // is no longer skipped (only Zed is); ci is its own group again.
    assert_eq!(
        groups(v1),
        [
            ("breaking", "Breaking changes"),
            ("feat", "Features"),
            ("fix", "Bug fixes"),
            ("perf", "Performance"),
            ("docs", "Documentation"),
            ("test", "Tests"),
            ("build", "Build"),
            ("ci", "Continuous integration")
        ]
    );
    assert_eq!(
        descriptions(v1, "fix"),
        [
            "handle `--flag` with *stars*, <b>tags</b> & [links](x)",
            "bump lockfile"
        ]
    );
    // A scoped skip leaves the type's other commits.
    assert_eq!(descriptions(v1, "docs"), ["typo", "install guide"]);

    let bad = changelog_repo("title: Changes\nchangelog:\n  skip_authors: ['[bot']\n");
    let run = bad.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("almanac.yaml:3:") && run.stderr.contains("not a valid glob"),
        "{}",
        run.stderr
    );
}

fn ics_lines(site: &Fixture, prefix: &str) -> Vec<String> {
    site.read("public/calendar.ics")
        .split("\r\n")
        .filter(|l| l.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

#[test]
fn renaming_the_site_keeps_ical_uids_and_dtstamp_is_the_build_time() {
    let site = plan_repo();
    build_at(&site, "2026-03-01T12:34:56Z");
    // No uid_domain, repo_url or remote: the fixed fallback.
    let uids = ics_lines(&site, "UID:");
    assert_eq!(
        uids,
        [
            "UID:3.0.0-release@almanac.invalid",
            "UID:3.0.1-release@almanac.invalid",
            "UID:3.1.0-release@almanac.invalid",
            "UID:3.2.0-release@almanac.invalid"
        ]
    );
    // RFC 5545: DTSTAMP is when the feed was made (SOURCE_DATE_EPOCH here),
    // the same for every event, not the event's date.
    assert_eq!(
        ics_lines(&site, "DTSTAMP:"),
        vec!["DTSTAMP:20260301T123456Z"; 4]
    );

    site.write("almanac.yaml", "title: A new name for the site\n");
    build_at(&site, "2026-03-01T12:34:56Z");
    assert_eq!(ics_lines(&site, "UID:"), uids, "a new title keeps the UIDs");
    assert!(
        site.read("public/calendar.ics")
            .contains("X-WR-CALNAME:A new name for the site")
    );

    // The `origin` remote names the project; `uid_domain` overrides it.
    git2::Repository::open(site.root())
        .unwrap()
        .remote("origin", "git@github.com:acme/tool.git")
        .unwrap();
    build_at(&site, "2026-03-01T12:34:56Z");
    assert_eq!(
        ics_lines(&site, "UID:")[0],
        "UID:3.0.0-release@tool.acme.github.com"
    );
    site.write(
        "data/calendar.yaml",
        &format!("uid_domain: releases.example.org\n{PLAN}"),
    );
    build_at(&site, "2026-03-01T12:34:56Z");
    assert_eq!(
        ics_lines(&site, "UID:")[0],
        "UID:3.0.0-release@releases.example.org"
    );
}

#[test]
fn releases_xml_is_an_atom_feed_of_shipped_releases_with_their_highlights() {
    let site = prerelease_repo();
    site.write(
        "almanac.yaml",
        "title: Pre-releases\nbase_url: https://docs.example.org/tool/\n",
    );
    build_at(&site, "2026-06-30T12:00:00Z");
    let xml = site.read("public/releases.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}: {xml}"));
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(
        feed.title.as_ref().unwrap().content,
        "Pre-releases releases"
    );
    // All 15 tags shipped: newest first (by date, then version).
    let titles: Vec<&str> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.as_str())
        .collect();
    assert_eq!(titles.len(), 15);
    assert_eq!(
        titles[..4],
        [
            "2.0.0-rc.1 (pre-release)",
            "1.0.1",
            "1.0.0",
            "1.0.0-beta.1 (pre-release)"
        ]
    );
    assert_eq!(titles[14], "0.9.0");
    let v100 = &feed.entries[2];
    assert_eq!(
        v100.links[0].href,
        "https://docs.example.org/tool/calendar/1.0.0.html"
    );
    assert_eq!(
        v100.updated.unwrap().to_rfc3339(),
        "2026-04-12T00:00:00+00:00"
    );
    // Highlights only: 1.0.0's features and fixes.
    let content = v100.content.as_ref().unwrap().body.as_deref().unwrap();
    assert!(
        content.starts_with(
            "<h3>Features</h3><ul><li>ship</li></ul><h3>Bug fixes</h3><ul><li>step 1</li>"
        ),
        "{content}"
    );
    // 2.0.0-rc.1's breaking feature comes first.
    let rc = feed.entries[0]
        .content
        .as_ref()
        .unwrap()
        .body
        .as_deref()
        .unwrap();
    assert!(
        rc.starts_with("<h3>Breaking changes</h3><ul><li>new api</li></ul>"),
        "{rc}"
    );
    assert_eq!(
        feed.updated.unwrap().to_rfc3339(),
        "2026-06-01T00:00:00+00:00",
        "the feed is as new as its newest release"
    );
    let calendar = site.read("public/calendar/index.html");
    assert!(
        calendar.contains("href=\"../releases.xml\""),
        "linked from the calendar"
    );
}

fn findings(run: &common::Run) -> Vec<(String, String, u64, String)> {
    let json: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn each_data_error_is_reported_once_at_its_line_in_the_real_data_file() {
    let site = Fixture::with(&[
        ("almanac.yaml", "title: K\n"),
        (
            "content/README.md",
            "# K\n\n{{ kpi(id=\"lead_time\") }}\n\n[Metrics](metrics/index.html)\n",
        ),
        ("content/typo.md", "# Typo\n\n{{ kpi(id=\"lead_tme\") }}\n"),
        (
            "plans/metrics.yaml",
            "kpis:
  - { id: lead_time, source: git, target: { op: '<=', value: 5 } }
  - { id: deploy_count, source: git }
  - { id: pass_rate, target: { op: '>=', value: 90 } }
observations:
  - { date: 2026-01-05, values: { pass_rate: 95, bogus: 3 } }
  - { date: 2026-01-06, values: { other_bad: 1 } }
  - { date: 2026-01-07, values: { bogus: 4 } }
",
        ),
    ]);
    let run = site.run(&["check", "--data", "plans", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let found = findings(&run);
    let e = |file: &str, line: u64, message: &str| {
        (
            "data-error".to_string(),
            file.to_string(),
            line,
            message.to_string(),
        )
    };
    // Not "no KPI `lead_time`" (it is defined), no broken link to the
    // metrics page, and the second and third bad observations too.
    assert_eq!(
        found,
        [
            e(
                "content/typo.md",
                3,
                "no KPI `lead_tme` in plans/metrics.yaml"
            ),
            e(
                "plans/metrics.yaml",
                3,
                "`deploy_count` has `source: git`, but almanac computes no such KPI"
            ),
            e(
                "plans/metrics.yaml",
                6,
                "observation of `bogus`, which is not a KPI"
            ),
            e(
                "plans/metrics.yaml",
                7,
                "observation of `other_bad`, which is not a KPI"
            ),
            e(
                "plans/metrics.yaml",
                8,
                "observation of `bogus`, which is not a KPI"
            ),
        ]
    );
}

#[test]
fn a_saturday_plan_replanned_to_a_sunday_is_two_warnings_each_at_its_date() {
    let site = Fixture::with(&[
        ("content/README.md", "# Plans\n"),
        (
            "data/calendar.yaml",
            "releases:
  - version: 2.0.0
    type: major
    planned: { rc: 2099-03-04, release: 2099-03-07 }
    replans:
      - { on: 2099-03-01, release: 2099-03-08, reason: late review }
",
        ),
    ]);
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let w = |line: u64, message: &str| {
        (
            "plan-warning".to_string(),
            "data/calendar.yaml".to_string(),
            line,
            message.to_string(),
        )
    };
    assert_eq!(
        findings(&run),
        [
            w(4, "2.0.0: release falls on a Sat (2099-03-07)"),
            w(6, "2.0.0: replanned release falls on a Sun (2099-03-08)"),
        ]
    );
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    // Columns of the dates themselves: `    planned: { rc: 2099-03-04, release: `
    // is 40 characters wide, `      - { on: 2099-03-01, release: ` 35.
    assert_eq!(json["findings"][0]["column"], 41);
    assert_eq!(json["findings"][1]["column"], 36);
}

#[test]
fn data_that_should_be_questioned_is_a_plan_warning_at_its_line() {
    let site = Fixture::with(&[
        ("content/README.md", "# Plans\n"),
        (
            "data/calendar.yaml",
            "timezone: UTC
releases:
  - { version: 1.0.0, type: minor, planned: { release: 2026-01-12 } }
  - version: 1.1.0
    type: minor
    planned: { release: 2026-02-09 }
    replans: [ { on: 2026-02-20, release: 2026-02-23 } ]
  - version: 1.2.0
    type: minor
    planned: { release: 2026-03-09 }
    actual: { release: 2027-03-11 }
",
        ),
        (
            "data/metrics.yaml",
            "kpis:
  - { id: on_time_rate, source: git, target: { op: '>=', value: 80 } }
observations:
  - { period: 2026-Q1, values: { on_time_rate: 90 } }
",
        ),
    ]);
    let git = Git::init(&site);
    let who = ("Ada", "ada@example.org");
    let mut parent = Vec::new();
    // v0.9.0 predates the calendar's first plan, v1.2.0-rc.1 is a
    // pre-release: neither needs an entry. v1.0.1 does.
    for (i, (tag, when)) in [
        ("v0.9.0", "2025-12-01T10:00:00Z"),
        ("v1.0.0", "2026-01-12T10:00:00Z"),
        ("v1.0.1", "2026-01-20T10:00:00Z"),
        ("v1.1.0", "2026-02-10T10:00:00Z"),
        ("v1.2.0-rc.1", "2026-03-02T10:00:00Z"),
        ("v1.2.0", "2026-03-10T10:00:00Z"),
    ]
    .into_iter()
    .enumerate()
    {
        site.write("f", &i.to_string());
        let id = git.commit_as("main", &parent, &format!("fix: {tag}"), who, at(when));
        git.lightweight_tag(tag, id);
        parent = vec![id];
    }
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "warnings only: {}", run.stdout);
    let w = |file: &str, line: u64, message: &str| {
        (
            "plan-warning".to_string(),
            file.to_string(),
            line,
            message.to_string(),
        )
    };
    assert_eq!(
        findings(&run),
        [
            w(
                "data/calendar.yaml",
                2,
                "tag v1.0.1 (2026-01-20) matches `v{version}` but 1.0.1 has no calendar entry"
            ),
            w(
                "data/calendar.yaml",
                7,
                "1.1.0: replanned on 2026-02-20 but shipped on 2026-02-10: a replan after the release changes nothing"
            ),
            // 2026-03-10 to 2027-03-11: 365 + 1 days.
            w(
                "data/calendar.yaml",
                11,
                "1.2.0: actual release 2027-03-11 is 366 days from its tag's date (2026-03-10): a typo in the year?"
            ),
            w(
                "data/metrics.yaml",
                4,
                "a value entered for `on_time_rate`, which almanac computes from git (`source: git`): it is ignored"
            ),
        ]
    );
}

#[test]
fn an_iana_time_zone_follows_daylight_saving_at_the_boundary() {
    // Berlin moves from +01:00 to +02:00 at 01:00 UTC on 2026-03-29.
    let site = Fixture::with(&[
        ("almanac.yaml", "title: Zones\n"),
        ("content/README.md", "# Zones\n"),
        (
            "data/calendar.yaml",
            "timezone: Europe/Berlin
releases:
  - { version: 1.0.0, type: minor, planned: { release: 2026-03-27 } }
  - { version: 1.1.0, type: minor, planned: { release: 2026-03-30 } }
",
        ),
    ]);
    let git = Git::init(&site);
    let who = ("Ada", "ada@example.org");
    let a = git.commit_as("main", &[], "feat: a", who, at("2026-03-20T10:00:00Z"));
    site.write("f", "b");
    let b = git.commit_as("main", &[a], "feat: b", who, at("2026-03-25T10:00:00Z"));
    // 22:30 UTC on the 28th is 23:30 CET, still the 28th; 22:30 UTC on
    // the 29th is 00:30 CEST, already the 30th. A fixed +01:00 would make
    // the second the 29th, a fixed +02:00 the first the 29th.
    git.annotated_tag("v1.0.0", a, at("2026-03-28T22:30:00Z"));
    git.annotated_tag("v1.1.0", b, at("2026-03-29T22:30:00Z"));
    build_at(&site, "2026-04-15T12:00:00Z");
    let json = calendar_json(&site);
    assert_eq!(json["timezone"], "Europe/Berlin");
    let r = &json["releases"];
    assert_eq!(
        (
            release(r, "1.0.0")["actual"].as_str(),
            release(r, "1.0.0")["slip_days"].as_i64()
        ),
        (Some("2026-03-28"), Some(1))
    );
    assert_eq!(
        (
            release(r, "1.1.0")["actual"].as_str(),
            release(r, "1.1.0")["slip_days"].as_i64()
        ),
        (Some("2026-03-30"), Some(0))
    );

    site.write(
        "data/calendar.yaml",
        "timezone: Europe/Berlinn\nreleases: []\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("data/calendar.yaml:1:")
            && run.stderr.contains("unsupported timezone `Europe/Berlinn`")
            && run.stderr.contains("an IANA name such as Europe/Berlin"),
        "{}",
        run.stderr
    );
}
