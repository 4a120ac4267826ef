//! Hostile input: what the build writes and removes (issue 15, items 1, 2, 6, 7).
//! Nothing is written outside the output folder, nothing is removed that
//! almanac did not make, the output changes in one step, and a stopped build
//! leaves nothing behind.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Fixture;

/// Every file under `dir`, except the output folder: what a build must
/// leave alone.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() || e.file_type().is_symlink())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap_or_default())
        })
        .filter(|(rel, _)| !rel.starts_with("site/public/"))
        .collect();
    files.sort();
    files
}

/// A project under `outer/site`, beside a `victim` folder it must never touch.
fn beside_a_victim(files: &[(&str, &str)]) -> Fixture {
    let outer = Fixture::new();
    outer.write("victim/index.html", "<p>the victim's page</p>");
    outer.write("victim/x.html", "<p>the victim's file</p>");
    outer.write("x.svg", "<svg>the victim's chart</svg>");
    outer.write("site/content/README.md", "# Home\n");
    for (path, text) in files {
        outer.write(&format!("site/{path}"), text);
    }
    outer
}

fn run_in(outer: &Fixture, args: &[&str]) -> crate::common::Run {
    let root = outer.path("site");
    let mut all = vec!["-C", root.to_str().unwrap()];
    all.extend_from_slice(args);
    crate::common::almanac(&all)
}

#[test]
fn an_alias_that_climbs_out_of_the_site_is_refused_where_it_is_written() {
    let outer = beside_a_victim(&[(
        "content/a.md",
        "---\ntitle: A\naliases: [\"../../victim/x.html\"]\n---\n# A\n",
    )]);
    let before = tree(outer.root());
    let run = run_in(&outer, &["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("content/a.md:3:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("climbs out of the site"),
        "{}",
        run.stderr
    );
    assert_eq!(
        tree(outer.root()),
        before,
        "nothing outside the output changed"
    );
    // `check` names the same mistake.
    let run = run_in(&outer, &["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("data-error"), "{}", run.stdout);
    assert!(
        run.stdout.contains("climbs out of the site"),
        "{}",
        run.stdout
    );
    // A plain alias still works.
    outer.write(
        "site/content/a.md",
        "---\ntitle: A\naliases: [old/a.html]\n---\n# A\n",
    );
    let run = run_in(&outer, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(outer.exists("site/public/old/a.html"));
}

#[test]
fn a_calendar_version_that_is_a_path_is_a_located_data_error() {
    let outer = beside_a_victim(&[(
        "data/calendar.yaml",
        "releases:\n  - version: 1.0.0\n    type: major\n    planned: { release: 2025-01-10 }\n  - version: '../../../victim/index'\n    type: minor\n    planned: { release: 2025-02-10 }\n",
    )]);
    let before = tree(outer.root());
    let run = run_in(&outer, &["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("data/calendar.yaml:5:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("is not a release version"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(outer.root()), before);
    let run = run_in(&outer, &["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("data-error"), "{}", run.stdout);
}

#[test]
fn a_kpi_id_that_is_a_path_is_a_located_data_error() {
    let outer = beside_a_victim(&[(
        "data/metrics.yaml",
        "kpis:\n  - { id: test_pass_rate, unit: '%', target: { op: '>=', value: 95 } }\n  - { id: ../../../x, unit: '%', target: { op: '>=', value: 95 } }\n",
    )]);
    let before = tree(outer.root());
    let run = run_in(&outer, &["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("data/metrics.yaml:3:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("is not a KPI id"), "{}", run.stderr);
    assert_eq!(tree(outer.root()), before);
}

#[test]
fn an_output_folder_outside_the_project_with_files_of_its_own_is_not_emptied() {
    let outer = beside_a_victim(&[]);
    outer.write("elsewhere/a.txt", "a");
    outer.write("elsewhere/b/c.txt", "c");
    outer.write("elsewhere/.hidden", "h");
    let before = tree(outer.root());
    let out = outer.path("elsewhere");
    let run = run_in(&outer, &["build", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("refusing to write the site"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did not write"), "{}", run.stderr);
    assert_eq!(tree(outer.root()), before);
    // An empty or new folder there is fine, and so is building it again.
    let fresh = outer.path("fresh");
    for _ in 0..2 {
        let run = run_in(&outer, &["build", "--out", fresh.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert!(outer.exists("fresh/index.html") && outer.exists("fresh/.almanac-output"));
}

#[test]
fn output_into_the_projects_own_folders_is_refused() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        ("content/release/guide.md", "# Guide\n"),
        ("scripts/release.sh", "#!/bin/sh\necho hi\n"),
        ("src/main.rs", "fn main() {}\n"),
        ("data/calendar.yaml", "releases: []\n"),
        (".git/HEAD", "ref: refs/heads/main\n"),
        (".git/config", "[core]\n"),
    ]);
    let before = tree(site.root());
    for out in [
        ".git",
        ".git/site",
        "content/release",
        "scripts",
        "src",
        "data",
        "data/site",
    ] {
        let run = site.run(&["build", "--out", out]);
        assert_eq!(run.code, 2, "--out {out}: {}", run.stderr);
        assert!(
            run.stderr.contains("refusing to write the site"),
            "--out {out}: {}",
            run.stderr
        );
        assert_eq!(tree(site.root()), before, "--out {out} changed the project");
    }
}

#[test]
fn an_output_that_is_a_file_or_a_symlink_is_refused() {
    let outer = beside_a_victim(&[]);
    outer.write("site/notes.txt", "my notes");
    let run = run_in(&outer, &["build", "--out", "notes.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("is a file"), "{}", run.stderr);
    assert_eq!(outer.read("site/notes.txt"), "my notes");

    std::os::unix::fs::symlink(outer.path("victim"), outer.path("site/public")).unwrap();
    let before = tree(outer.root());
    let run = run_in(&outer, &["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("symlink"), "{}", run.stderr);
    assert_eq!(tree(outer.root()), before);
    assert_eq!(outer.read("victim/x.html"), "<p>the victim's file</p>");
}

#[test]
fn an_output_built_by_almanac_is_replaced_and_hand_added_files_go() {
    let site = Fixture::with(&[("content/README.md", "# Home\n"), ("content/a.md", "# A\n")]);
    site.build(&[]);
    assert!(site.exists("public/.almanac-output"));
    site.write("public/stray.txt", "put here by hand");
    let run = site.build(&[]);
    assert!(!site.exists("public/stray.txt"));
    assert!(run.stderr.contains(" 1 removed)"), "{}", run.stderr);
    // An output written before the marker existed is still almanac's.
    std::fs::remove_file(site.path("public/.almanac-output")).unwrap();
    site.build(&[]);
    assert!(site.exists("public/.almanac-output"));
}

#[test]
fn a_second_build_of_the_same_output_while_one_runs_exits_2_and_changes_nothing() {
    let site = Fixture::with(&[("content/README.md", "# Home\n"), ("content/a.md", "# A\n")]);
    site.build(&[]);
    site.write("content/a.md", "# A changed\n");
    let before = site.snapshot("public");
    // Another build holds the output's lock.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(site.path(".public.almanac-lock"))
        .unwrap();
    lock.lock().unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("another almanac build is writing"),
        "{}",
        run.stderr
    );
    assert_eq!(site.snapshot("public"), before);
    drop(lock);
    site.build(&[]);
    assert!(site.read("public/a.html").contains("A changed"));
}

/// A site of `n` pages, each saying `word`.
fn pages(site: &Fixture, n: usize, word: &str) {
    site.write("content/README.md", &format!("# Home {word}\n"));
    for i in 0..n {
        site.write(
            &format!("content/p{i:04}.md"),
            &format!("# Page {i}\n\n{word} {}\n", "text ".repeat(200)),
        );
    }
}

fn spawn_build(site: &Fixture) -> Child {
    Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args(["-C", site.root().to_str().unwrap(), "build"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn staging_left(site: &Fixture) -> Vec<String> {
    std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".almanac-new-") || n.contains(".almanac-old-"))
        .collect()
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_never_a_mix() {
    let site = Fixture::new();
    pages(&site, 400, "old");
    site.build(&[]);
    pages(&site, 400, "new");
    // How long a whole build takes here, to spread the kills over it.
    let started = Instant::now();
    let mut child = spawn_build(&site);
    child.wait().unwrap();
    let whole = started.elapsed();
    pages(&site, 400, "old");
    site.build(&[]);
    let mut word = "new";
    for step in 0..12u32 {
        pages(&site, 400, word);
        let mut child = spawn_build(&site);
        std::thread::sleep(whole * step / 10);
        let _ = child.kill();
        child.wait().unwrap();
        let words: std::collections::HashSet<&str> = (0..400)
            .map(|i| {
                let page = site.read(&format!("public/p{i:04}.html"));
                if page.contains("new text") {
                    "new"
                } else {
                    "old"
                }
            })
            .collect();
        assert_eq!(words.len(), 1, "kill {step}: a mix of old and new pages");
        // The next build finishes what the killed one started.
        let last = *words.iter().next().unwrap();
        word = if last == "new" { "old" } else { "new" };
        if step % 4 == 3 {
            site.build(&[]);
            assert!(staging_left(&site).is_empty(), "{:?}", staging_left(&site));
            word = if word == "new" { "old" } else { "new" };
        }
    }
}

#[test]
fn a_staging_folder_a_killed_build_left_is_removed_by_the_next_build() {
    let site = Fixture::with(&[("content/README.md", "# Home\n")]);
    site.write(".public.almanac-new-999999/index.html", "left by a kill -9");
    site.write(".public.almanac-new-999999/big/x.html", "left by a kill -9");
    site.build(&[]);
    assert_eq!(staging_left(&site), Vec::<String>::new());
}

#[test]
fn a_build_stopped_by_sigterm_or_sigint_removes_its_staging_folder() {
    let site = Fixture::new();
    pages(&site, 1500, "first");
    for signal in ["-TERM", "-INT"] {
        let mut child = spawn_build(&site);
        // Wait until the build has made its staging folder, then stop it.
        let deadline = Instant::now() + Duration::from_secs(30);
        while staging_left(&site).is_empty() && child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "the build never staged");
            std::thread::sleep(Duration::from_millis(2));
        }
        let status = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        child.wait().unwrap();
        assert_eq!(
            staging_left(&site),
            Vec::<String>::new(),
            "after kill {signal}"
        );
    }
}

#[test]
fn serve_removes_its_folder_when_it_cannot_listen() {
    let site = Fixture::with(&[("content/README.md", "# Home\n")]);
    let tmp = tempfile::tempdir().unwrap();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let run = crate::common::almanac_env(
        &[
            "-C",
            site.root().to_str().unwrap(),
            "serve",
            "--port",
            &port,
        ],
        &[("TMPDIR", tmp.path().to_str().unwrap())],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot listen"), "{}", run.stderr);
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn serve_stopped_by_sigterm_removes_its_folder() {
    let site = Fixture::with(&[("content/README.md", "# Home\n")]);
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args(["-C", site.root().to_str().unwrap(), "serve", "--port", "0"])
        .env("TMPDIR", tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("serving ") {
        line.clear();
        let n = std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
        assert!(n > 0, "serve ended before serving");
    }
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().collect();
    assert!(left.is_empty(), "{left:?}");
}
