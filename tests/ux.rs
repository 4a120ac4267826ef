//! The handbook as people use it, in a real browser: Playwright drives
//! Debian's Chromium against `almanac serve` over HTTP on 127.0.0.1, and
//! axe-core checks accessibility. Each test runs one script of
//! `tests/browser/` (its checks are there); `.ci/run` installs the pinned
//! npm packages with `npm ci --prefix tests/browser`.

mod common;

use common::Served;

use std::path::{Path, PathBuf};
use std::process::Command;

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Whether node, the npm packages and Chromium are here; in CI
/// (`ALMANAC_REQUIRE_BROWSER`) their absence fails the test.
fn available() -> bool {
    if !common::browser_available() {
        return false;
    }
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let packages = scripts().join("node_modules/playwright-core").is_dir()
        && scripts().join("node_modules/axe-core").is_dir();
    if !(node && packages) {
        assert!(
            std::env::var_os("ALMANAC_REQUIRE_BROWSER").is_none(),
            "node and the browser test packages are required here: npm ci --prefix tests/browser"
        );
        eprintln!(
            "skipped: run `npm ci --prefix tests/browser` (node {node}, packages {packages})"
        );
        return false;
    }
    true
}

/// `SOURCE_DATE_EPOCH` for noon UTC on `today` (YYYY-MM-DD).
fn epoch(today: &str) -> String {
    common::at(&format!("{today}T12:00:00Z")).to_string()
}

/// `almanac serve` on the project at `root`, with "today" fixed.
fn serve(root: &Path, today: &str) -> Served {
    common::serve(root, &[("SOURCE_DATE_EPOCH", &epoch(today))])
}

/// Runs `tests/browser/<script>` against the served site, with `extra`
/// arguments after its URL; its report is printed, and a failed check
/// fails the test.
fn run(script: &str, server: &Served, extra: &[&str]) {
    run_at(script, &server.url(), extra);
}

/// `run` against the site at `url` (served, or a `file://` folder).
fn run_at(script: &str, url: &str, extra: &[&str]) {
    let out = Command::new("node")
        .arg(scripts().join(script))
        .arg(url)
        .args(extra)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    println!("{report}");
    assert!(
        out.status.success(),
        "{script} failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn handbook() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_page_type_passes_axe_on_phone_and_desktop_in_light_and_dark() {
    if !available() {
        return;
    }
    let server = serve(handbook(), "2026-12-06");
    run("axe.mjs", &server, &[]);
}

#[test]
fn the_quarterly_report_prints_on_three_pages_with_dates_whole_and_passes_axe() {
    if !available() {
        return;
    }
    // The standalone file, as `almanac report` writes it to send.
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("report-2026-Q3.html");
    let written = common::almanac_env(
        &[
            "-C",
            handbook().to_str().unwrap(),
            "report",
            "--quarter",
            "2026-Q3",
            "--out",
            file.to_str().unwrap(),
        ],
        &[("SOURCE_DATE_EPOCH", &epoch("2026-12-06"))],
    );
    assert_eq!(written.code, 0, "{}", written.stderr);
    let server = serve(handbook(), "2026-12-06");
    run("report.mjs", &server, &[file.to_str().unwrap()]);
}

/// A 57-page site: a long guide (eight sections, four subsections, a shell
/// block, a wide table, a Mermaid diagram) and five sections of ten pages.
fn frame_fixture() -> common::Fixture {
    let site = common::Fixture::new();
    site.write(
        "content/README.md",
        "# Fixture handbook\n\nSee the [long guide](long.md).\n",
    );
    let para = "Release trains leave on time; what is not ready waits for the next one. ".repeat(6);
    let mut long = String::from(
        "# Long guide\n\nA guide with [many sections](#section-8) to read on any screen.\n\n",
    );
    for n in 1..=8 {
        long.push_str(&format!("## Section {n}\n\n"));
        for _ in 0..5 {
            long.push_str(&format!("{para}\n\n"));
        }
        match n {
            3 => long.push_str("```console\n$ almanac build\nbuilt 57 pages\n```\n\n"),
            4 => {
                let row = |cell: &dyn Fn(usize) -> String| {
                    let cells: Vec<String> = (1..=12).map(cell).collect();
                    format!("| {} |\n", cells.join(" | "))
                };
                long.push_str(&row(&|i| format!("Column {i}")));
                long.push_str(&format!("|{}\n", "---|".repeat(12)));
                long.push_str(&row(&|i| format!("value-{i}-long-cell")));
                long.push('\n');
            }
            5 => long.push_str("```mermaid\ngraph LR\n  plan --> ship\n```\n\n"),
            _ => {}
        }
        if n % 2 == 0 {
            long.push_str(&format!("### Detail {n}\n\n{para}\n\n"));
        }
    }
    site.write("content/long.md", &long);
    for a in 1..=5 {
        site.write(
            &format!("content/area-{a}/README.md"),
            &format!("# Area {a}\n\nPages of area {a}.\n"),
        );
        for p in 1..=10 {
            site.write(
                &format!("content/area-{a}/page-{p:02}.md"),
                &format!("# Area {a} page {p:02}\n\nText of page {p} in area {a}.\n"),
            );
        }
    }
    site
}

#[test]
fn the_frame_works_by_touch_and_keyboard_on_phone_tablet_and_desktop() {
    if !available() {
        return;
    }
    let site = frame_fixture();
    let server = serve(site.root(), "2026-12-06");
    run("frame.mjs", &server, &[]);
}

#[test]
fn calendar_chips_and_chart_text_are_readable_and_the_timeline_shows_today() {
    if !available() {
        return;
    }
    // After 1.0.0's planned 2027-02-23: overdue.
    let server = serve(handbook(), "2027-03-02");
    run("calendar.mjs", &server, &[]);
}

/// Whole-site search (issue 20): served over HTTP, and built into a folder
/// opened from `file://`.
#[test]
fn search_finds_every_word_per_section_on_phone_and_desktop() {
    if !available() {
        return;
    }
    let server = serve(handbook(), "2026-12-06");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let built = common::almanac(&[
        "-C",
        handbook().to_str().unwrap(),
        "build",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let file_url = format!("file://{}/", out.display());
    // A site of 1,001 pages, whose index is sharded.
    let large = common::Fixture::with(&[("content/README.md", "# Home\n\nWelcome.\n")]);
    for i in 0..1001 {
        let own: Vec<String> = (0..30).map(|j| format!("w{i}x{j}")).collect();
        large.write(
            &format!("content/part{}/p{i:04}.md", i % 4),
            &format!(
                "# Page {i}\n\nWord{i} and ünïcode text.\n\n## More {{#more}}\n\n{}\n",
                own.join(" ")
            ),
        );
    }
    large.build(&[]);
    let large_url = format!("file://{}/", large.path("public").display());
    run("search.mjs", &server, &[&file_url, &large_url]);
}

#[test]
fn switching_version_from_a_deep_page_shows_the_banner_and_searches_that_version() {
    if !available() {
        return;
    }
    let site = common::versions::repository(common::versions::CONFIG);
    site.build(&[]);
    let url = format!("file://{}/", site.path("public").display());
    // ALMANAC_SCREENSHOT_VERSIONS=FILE also writes the README's screenshot.
    let shot = std::env::var("ALMANAC_SCREENSHOT_VERSIONS").ok();
    run_at(
        "versions.mjs",
        &url,
        &shot.as_deref().into_iter().collect::<Vec<_>>(),
    );
}
