//! The handbook as people use it, in a real browser: Playwright drives
//! Debian's Chromium against `almanac serve` over HTTP on 127.0.0.1, and
//! axe-core checks accessibility. Each test runs one script of
//! `tests/browser/` (its checks are there); `.ci/run` installs the pinned
//! npm packages with `npm ci --prefix tests/browser`.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

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

/// `almanac serve` on the project at `root`, with "today" fixed.
fn serve(root: &Path, today: &str) -> Server {
    let epoch = common::at(&format!("{today}T12:00:00Z")).to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args([
            "-C",
            root.to_str().unwrap(),
            "--color",
            "never",
            "serve",
            "--port",
            "0",
        ])
        .env("SOURCE_DATE_EPOCH", epoch)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, log) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(line) = log.recv_timeout(Duration::from_millis(200))
            && let Some(rest) = line.strip_prefix("serving ")
        {
            // "serving DIR at http://127.0.0.1:PORT/ (Ctrl-C to stop)"
            let (_, after) = rest.split_once(" at ").unwrap();
            let url = after.split_whitespace().next().unwrap().to_string();
            assert!(url.ends_with('/'), "{line}");
            return Server { child, url };
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("serve did not start");
}

/// Runs `tests/browser/<script>` against the served site; its report is
/// printed, and a failed check fails the test.
fn run(script: &str, server: &Server) {
    let out = Command::new("node")
        .arg(scripts().join(script))
        .arg(&server.url)
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
    run("axe.mjs", &server);
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
    let run = Command::new("node")
        .arg(scripts().join("search.mjs"))
        .arg(&server.url)
        .arg(&file_url)
        .arg(&large_url)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&run.stdout);
    println!("{report}");
    assert!(
        run.status.success(),
        "search.mjs failed:\n{report}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
