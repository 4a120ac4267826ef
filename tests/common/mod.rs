//! Test fixtures: a site in a temp folder, the real `almanac` binary run on it,
//! and helpers to read what it wrote.
#![allow(dead_code)]

pub mod versions;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

pub struct Fixture {
    dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A fixture with the given files (path, contents).
    pub fn with(files: &[(&str, &str)]) -> Fixture {
        let f = Fixture::new();
        for (path, text) in files {
            f.write(path, text);
        }
        f
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// Runs `almanac -C <fixture> args…`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    /// Builds and asserts success.
    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let run = self.run(&all);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// Every file under `rel`, relative to it, with its bytes: to compare output trees.
    pub fn snapshot(&self, rel: &str) -> Vec<(String, Vec<u8>)> {
        let base = self.path(rel);
        let mut files: Vec<_> = walkdir::WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }
}

/// `almanac check --format json ARGS…` on `site`: its exit code (0 or 1,
/// asserted) and its findings.
pub fn check_json(site: &Fixture, args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = site.run(&all);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    let json: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    (
        run.code,
        json["findings"].as_array().cloned().unwrap_or_default(),
    )
}

pub fn almanac(args: &[&str]) -> Run {
    almanac_env(args, &[])
}

/// Runs the real binary with extra environment variables.
pub fn almanac_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_almanac"));
    cmd.args(args).env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("running almanac");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The `<main>` element of a page: what the page's own content became.
pub fn main_of(html: &str) -> &str {
    let open = html.find("<main").expect("a <main> element");
    let start = open + html[open..].find('>').unwrap() + 1;
    let end = html.rfind("</main>").expect("a </main>");
    &html[start..end]
}

/// `html` with its code blocks and code spans left out: the prose.
pub fn outside_code(html: &str) -> String {
    let mut prose = String::new();
    let mut rest = html;
    while let Some(start) = ["<pre", "<code"].iter().filter_map(|t| rest.find(t)).min() {
        prose.push_str(&rest[..start]);
        let close = if rest[start..].starts_with("<pre") {
            "</pre>"
        } else {
            "</code>"
        };
        let end = rest[start..]
            .find(close)
            .map_or(rest.len(), |e| start + e + close.len());
        rest = &rest[end..];
    }
    prose.push_str(rest);
    prose
}

/// The other generators' syntax left raw in a page's `<main>`, outside
/// code blocks and code spans: what a page built from adopted docs must
/// never show.
pub fn raw_syntax_left(main: &str) -> Vec<&'static str> {
    let prose = outside_code(main);
    [
        "!!!",
        "???",
        "=== &quot;",
        ":material-",
        ":fontawesome-",
        ":octicons-",
        "{{&lt;",
        "{{<",
        "{{%",
        "{{#",
        "{ .",
        "{:",
        "{%",
        ":::",
        "+++",
        "&lt;Tabs",
        "&lt;TabItem",
    ]
    .into_iter()
    .filter(|raw| prose.contains(raw))
    .collect()
}

/// Values of `attr="…"` in `html`, in order.
pub fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let start = i + needle.len();
            let end = start + html[start..].find('"').unwrap();
            &html[start..end]
        })
        .collect()
}

/// A real git repository in a fixture, committed through git2 with fixed dates.
pub struct Git {
    pub repo: git2::Repository,
}

impl Git {
    pub fn init(site: &Fixture) -> Git {
        let repo = git2::Repository::init(site.root()).unwrap();
        Git { repo }
    }

    /// Commits the whole working tree (additions and deletions) at `unix_time`.
    pub fn commit_all(&self, message: &str, unix_time: i64) -> git2::Oid {
        let mut index = self.repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.update_all(["*"], None).unwrap();
        index.write().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::new(
            "Ada Tester",
            "ada@example.org",
            &git2::Time::new(unix_time, 0),
        )
        .unwrap();
        let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .unwrap()
    }
}

/// Unix seconds of an RFC 3339 time, for fixed commit dates.
pub fn at(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .timestamp()
}

impl Git {
    /// Commits the working tree with explicit parents and author, updating `branch`.
    pub fn commit_as(
        &self,
        branch: &str,
        parents: &[git2::Oid],
        message: &str,
        who: (&str, &str),
        time: i64,
    ) -> git2::Oid {
        let mut index = self.repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.update_all(["*"], None).unwrap();
        index.write().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::new(who.0, who.1, &git2::Time::new(time, 0)).unwrap();
        let parents: Vec<git2::Commit> = parents
            .iter()
            .map(|p| self.repo.find_commit(*p).unwrap())
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        let id = self
            .repo
            .commit(None, &sig, &sig, message, &tree, &refs)
            .unwrap();
        self.repo
            .reference(&format!("refs/heads/{branch}"), id, true, "test")
            .unwrap();
        self.repo.set_head(&format!("refs/heads/{branch}")).unwrap();
        id
    }

    pub fn annotated_tag(&self, name: &str, target: git2::Oid, time: i64) {
        let object = self.repo.find_object(target, None).unwrap();
        let sig = git2::Signature::new("Release Bot", "bot@example.org", &git2::Time::new(time, 0))
            .unwrap();
        self.repo
            .tag(name, &object, &sig, &format!("Release {name}"), false)
            .unwrap();
    }

    pub fn lightweight_tag(&self, name: &str, target: git2::Oid) {
        let object = self.repo.find_object(target, None).unwrap();
        self.repo.tag_lightweight(name, &object, false).unwrap();
    }
}

impl Fixture {
    /// Runs `almanac -C <fixture> args…` with extra environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut all = vec!["-C", self.root().to_str().unwrap(), "--color", "never"];
        all.extend_from_slice(args);
        almanac_env(&all, env)
    }
}

/// Whether Debian's Chromium is here for the browser tests. `.ci/run`
/// installs it and sets `ALMANAC_REQUIRE_BROWSER=1`, so there a missing
/// browser fails the run; elsewhere (`cargo test` on a fresh machine) the
/// browser tests say they were skipped.
pub fn browser_available() -> bool {
    let found = Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("ALMANAC_REQUIRE_BROWSER").is_none(),
            "chromium is required here: apt-get install chromium"
        );
        eprintln!(
            "skipped: chromium is not installed (apt-get install chromium to run the browser tests)"
        );
    }
    found
}

/// `almanac serve --port 0` running on a project, stopped when dropped.
pub struct Served {
    pub child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// The folder it serves.
    pub dir: String,
    /// Its stderr, line by line.
    pub log: Receiver<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

/// Starts `almanac serve` on the project at `root` with `env`, and waits
/// for its "serving DIR at http://ADDR/" line.
pub fn serve(root: &Path, env: &[(&str, &str)]) -> Served {
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
        .envs(env.iter().copied())
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
            let (dir, url) = rest.split_once(" at http://").unwrap();
            let addr = url.split('/').next().unwrap().to_string();
            return Served {
                child,
                addr,
                dir: dir.to_string(),
                log,
            };
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("serve did not start");
}

/// Whether the external program `tool` runs (`tool --version`). Missing, the
/// test that needs it is skipped with a printed reason, unless
/// `ALMANAC_REQUIRE_TOOLS` is set (CI): then it fails. `install` says how to get it.
pub fn tool_available(tool: &str, install: &str) -> bool {
    let runs = Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !runs {
        assert!(
            std::env::var_os("ALMANAC_REQUIRE_TOOLS").is_none(),
            "{tool} is required here (ALMANAC_REQUIRE_TOOLS is set): {install}"
        );
        eprintln!("skipped: {tool} is not installed ({install})");
    }
    runs
}

/// (severity, target) of each finding of `check --format json`.
pub fn severity_and_target(all: &[serde_json::Value]) -> Vec<(&str, &str)> {
    all.iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap(),
                f["target"].as_str().unwrap(),
            )
        })
        .collect()
}
