//! Hostile input: what almanac reads and where its output goes. Things named
//! as scripts or includes that never end, pages built to take quadratic time,
//! repository links to secrets, and a reader that goes away.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Fixture, Run};

fn mkfifo(path: &std::path::Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("running mkfifo");
    assert!(made.success(), "mkfifo {}", path.display());
}

fn symlink(target: impl AsRef<std::path::Path>, link: &std::path::Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// Runs `almanac -C <fixture> args…` with stdout going to `stdout`, killed
/// (and the test failed) if it is still running after `limit`: a regression
/// to a hang fails instead of hanging CI.
fn run_within(f: &Fixture, args: &[&str], stdout: Stdio, limit: Duration) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_almanac"));
    cmd.args(["-C", f.root().to_str().unwrap(), "--color", "never"]);
    spawn_within(cmd, args, stdout, limit).0
}

/// `run_within` for small fixtures, failed if almanac's resident memory
/// is seen above 500 MB: a run that reads without end fails here. Its
/// address space is capped too, so it cannot take the machine's memory first.
fn run_bounded(f: &Fixture, args: &[&str]) -> Run {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "ulimit -v 4000000 && exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_almanac"))
        .args(["-C", f.root().to_str().unwrap(), "--color", "never"]);
    let (run, peak_kb) = spawn_within(cmd, args, Stdio::piped(), LIMIT);
    assert!(
        peak_kb < 500 * 1024,
        "almanac {args:?} used {} MB of memory",
        peak_kb / 1024
    );
    run
}

/// `VmHWM` of a running process (Linux): its peak resident memory so far.
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `cmd args…`, killed after `limit`; with the highest peak memory seen
/// while it ran (sampled, so a lower bound).
fn spawn_within(mut cmd: Command, args: &[&str], stdout: Stdio, limit: Duration) -> (Run, u64) {
    cmd.args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("running almanac");
    // Read stderr on a thread so a chatty run cannot block on a full pipe.
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut out = child.stdout.take();
    let stdout_reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(out) = out.as_mut() {
            let _ = out.read_to_string(&mut text);
        }
        text
    });
    let started = Instant::now();
    let mut peak = 0;
    let status = loop {
        peak = peak.max(peak_kb(child.id()).unwrap_or(0));
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("almanac {args:?} still running after {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout_reader.join().unwrap(),
        stderr: reader.join().unwrap(),
    };
    (run, peak)
}

const LIMIT: Duration = Duration::from_secs(20);

/// A page with `n` broken links, one a line: output well past a pipe's buffer.
fn many_broken_links(n: usize) -> String {
    let mut page = String::from("# Links\n\n");
    for i in 0..n {
        page.push_str(&format!("[gone](missing-{i}.md)\n\n"));
    }
    page
}

#[test]
fn a_reader_that_goes_away_does_not_crash_check() {
    // `almanac check --format json | true`: the pipe is closed before almanac
    // writes, and the output is far larger than a pipe holds.
    let f = Fixture::with(&[("content/index.md", &many_broken_links(3000))]);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_almanac"));
    cmd.args([
        "-C",
        f.root().to_str().unwrap(),
        "check",
        "--format",
        "json",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.is_empty(),
        "a closed pipe ends the run quietly:\n{stderr}"
    );
}

#[test]
fn a_full_disk_under_stdout_is_an_error_not_a_panic() {
    // `almanac report --quarter 2026-Q3 > /dev/full` and the same for check.
    let f = Fixture::with(&[("content/index.md", &many_broken_links(3000))]);
    for args in [
        &["report", "--quarter", "2026-Q3"][..],
        &["check", "--format", "json"][..],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let run = run_within(&f, args, Stdio::from(full), LIMIT);
        assert_eq!(run.code, 2, "{args:?}: stderr:\n{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        assert!(
            run.stderr.contains("to stdout") && run.stderr.contains("No space left"),
            "{args:?}: the message says what failed:\n{}",
            run.stderr
        );
    }
}

/// Generous for a debug build on a busy machine; the quadratic code took
/// minutes on these pages even when optimised.
const LARGE_LIMIT: Duration = Duration::from_secs(90);

#[test]
fn a_page_of_100000_broken_reference_links_finishes() {
    let n = 100_000;
    let mut page = String::from("# References\n\n");
    for i in 0..n {
        page.push_str(&format!("[gone][r{i}]\n"));
    }
    page.push('\n');
    for i in 0..n {
        page.push_str(&format!("[r{i}]: missing-{i}.md\n"));
    }
    let f = Fixture::with(&[("content/index.md", &page)]);
    let run = run_within(&f, &["check"], Stdio::piped(), LARGE_LIMIT);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!("failed: {n} errors")),
        "{}",
        &run.stdout[run.stdout.len().saturating_sub(300)..]
    );
    let run = run_within(&f, &["-q", "build"], Stdio::piped(), LARGE_LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn many_links_on_one_long_line_finish() {
    // About 1 MB on one line: each link's column was counted from the line's start.
    let n = 40_000;
    let line: Vec<String> = (0..n).map(|i| format!("[é](missing-{i}.md)")).collect();
    let page = format!("# One line\n\n{}\n", line.join(" "));
    let f = Fixture::with(&[("content/index.md", &page)]);
    for format in ["human", "json"] {
        let run = run_within(
            &f,
            &["check", "--format", format],
            Stdio::piped(),
            LARGE_LIMIT,
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        // The last link's column is right, counted in characters.
        let last = format!("missing-{}.md", n - 1);
        let column = page.lines().nth(2).unwrap();
        let column = column[..column.find(&last).unwrap()].chars().count() + 1;
        let shown = match format {
            "human" => format!("content/index.md:3:{column}"),
            _ => format!("\"column\": {column}"),
        };
        assert!(run.stdout.contains(&shown), "{format}: no `{shown}`");
    }
    let run = run_within(&f, &["-q", "build"], Stdio::piped(), LARGE_LIMIT);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_fifo_named_as_a_documented_script_does_not_hang_check() {
    // Nothing ever writes to the FIFO: opening it to read would wait forever.
    let f = Fixture::with(&[(
        "content/index.md",
        "# Deploy\n\n```bash\n./scripts/deploy.sh --env prod\nbash scripts/deploy.sh --dry-run\n```\n",
    )]);
    std::fs::create_dir_all(f.path("scripts")).unwrap();
    mkfifo(&f.path("scripts/deploy.sh"));
    let run = run_bounded(&f, &["check"]);
    // It exists; what it accepts cannot be read, so nothing is judged.
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("no problems found"), "{}", run.stdout);
}

#[test]
fn a_fifo_named_as_a_nested_sites_config_does_not_hang_check() {
    // `check` looks for another generator's config beside and above each
    // page (cargo's `doc/book/book.toml`): a FIFO there is no config.
    let f = Fixture::with(&[(
        "guide/src/index.md",
        "# Guide\n\n[std](../../std/index.html)\n",
    )]);
    mkfifo(&f.path("guide/book.toml"));
    mkfifo(&f.path("guide/src/mkdocs.yml"));
    let run = run_bounded(&f, &["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("does not exist"), "{}", run.stdout);
}

#[test]
fn a_fifo_named_as_an_mkdocs_config_deeper_or_a_blog_post_does_not_hang_check() {
    // `check` looks for an MkDocs config a few folders down (a site a build
    // assembles, as renovate's `tools/mkdocs/`) and reads a Docusaurus
    // blog's posts for their slugs: a FIFO by either name is read as
    // nothing.
    let f = Fixture::with(&[
        ("docusaurus.config.js", "module.exports = {};\n"),
        ("blog/2020-01-01-hello.md", "# Hello\n"),
        (
            "docs/index.md",
            "# Home\n\n[post](/blog/hello-post) [gone](gone.md)\n",
        ),
    ]);
    std::fs::create_dir_all(f.path("tools/mkdocs")).unwrap();
    mkfifo(&f.path("tools/mkdocs/mkdocs.yml"));
    mkfifo(&f.path("blog/2020-02-02-stuck.md"));
    let run = run_bounded(&f, &["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("does not exist"), "{}", run.stdout);
}

#[test]
fn a_fifo_or_dev_zero_as_a_data_file_or_the_config_is_an_error_not_a_hang() {
    for (name, make) in [
        ("data/notes.yaml", "fifo"),
        ("data/metrics.yaml", "zero"),
        ("almanac.yaml", "fifo"),
    ] {
        let f = Fixture::with(&[("content/index.md", "# Home\n")]);
        std::fs::create_dir_all(f.path("data")).unwrap();
        match make {
            "fifo" => mkfifo(&f.path(name)),
            _ => symlink("/dev/zero", &f.path(name)),
        }
        for command in ["build", "check"] {
            let run = run_bounded(&f, &[command]);
            assert_eq!(run.code, 2, "{command} with {name}: {}", run.stderr);
            assert!(
                run.stderr.contains(name) && run.stderr.contains("not a regular file"),
                "{command} with {name}: {}",
                run.stderr
            );
        }
    }
}

#[test]
fn a_fifo_included_by_the_makefile_does_not_hang_check() {
    let f = Fixture::with(&[
        (
            "content/index.md",
            "# Build\n\n```bash\nmake release\n```\n",
        ),
        ("Makefile", "all:\n\techo all\ninclude rules.mk\n"),
    ]);
    mkfifo(&f.path("rules.mk"));
    let run = run_bounded(&f, &["check"]);
    // `release` may be defined in the unread include: not an error.
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn a_script_linked_to_dev_zero_is_not_read() {
    let f = Fixture::with(&[(
        "content/index.md",
        "# Zero\n\n```bash\nbash scripts/zero.sh --fast\n```\n",
    )]);
    std::fs::create_dir_all(f.path("scripts")).unwrap();
    symlink("/dev/zero", &f.path("scripts/zero.sh"));
    let run = run_bounded(&f, &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn makefiles_naming_dev_zero_are_not_read() {
    // `-include /dev/zero` in the Makefile, and a Makefile given as `-f /dev/zero`.
    let f = Fixture::with(&[
        (
            "content/index.md",
            "# Build\n\n```bash\nmake release\nmake -f /dev/zero all\n```\n",
        ),
        ("Makefile", "all:\n\techo all\n-include /dev/zero\n"),
    ]);
    let run = run_bounded(&f, &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn a_script_linked_out_of_the_repository_is_not_read() {
    // Its options would make `--fast` an unknown flag, if almanac read it.
    let elsewhere = tempfile::tempdir().unwrap();
    let outside = elsewhere.path().join("tool.sh");
    std::fs::write(
        &outside,
        "#!/bin/sh\ncase $1 in\n  --slow) ;;\n  *) exit 2 ;;\nesac\n",
    )
    .unwrap();
    let f = Fixture::with(&[(
        "content/index.md",
        "# Tool\n\n```bash\nbash scripts/tool.sh --fast\n```\n",
    )]);
    std::fs::create_dir_all(f.path("scripts")).unwrap();
    symlink(&outside, &f.path("scripts/tool.sh"));
    let run = run_bounded(&f, &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // The same script inside the repository is read and judged.
    std::fs::remove_file(f.path("scripts/tool.sh")).unwrap();
    std::fs::copy(&outside, f.path("scripts/tool.sh")).unwrap();
    let run = run_bounded(&f, &["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("unknown-flag"), "{}", run.stdout);
}

#[test]
fn a_script_over_a_megabyte_is_not_judged() {
    let mut script = String::from("#!/bin/sh\ncase $1 in\n  --slow) ;;\n  *) exit 2 ;;\nesac\n");
    while script.len() <= 1 << 20 {
        script.push_str("# padding padding padding padding padding padding padding\n");
    }
    let f = Fixture::with(&[
        (
            "content/index.md",
            "# Tool\n\n```bash\nbash scripts/tool.sh --fast\n```\n",
        ),
        ("scripts/tool.sh", &script),
    ]);
    let run = run_bounded(&f, &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

// Repository links: what `build` copies under `public/_repo/` when no
// `repo_url` is set, and what `check` says about it.

/// Every file the build wrote, as text, with its path: to look for a secret.
fn published(f: &Fixture) -> Vec<(String, String)> {
    f.snapshot("public")
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

fn assert_not_published(f: &Fixture, secret: &str) {
    for (path, text) in published(f) {
        assert!(!text.contains(secret), "public/{path} holds the secret");
    }
}

#[test]
fn a_link_to_a_symlink_to_the_process_environment_publishes_nothing() {
    // `[env](../env.txt)` with `env.txt → /proc/self/environ`: the CI's tokens.
    let f = Fixture::with(&[("content/index.md", "# Setup\n\nSee [env](../env.txt).\n")]);
    symlink("/proc/self/environ", &f.path("env.txt"));
    let secret = ("CI_DEPLOY_TOKEN", "ghp_not_for_the_website_12345");
    let run = f.run_env(&["build"], &[secret]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_not_published(&f, secret.1);
    assert!(!f.exists("public/_repo"), "nothing is copied");
    assert!(run.stderr.contains("private-file"), "{}", run.stderr);

    let run = f.run_env(&["check"], &[secret]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("error[private-file]")
            && run.stdout.contains("leads out of the repository")
            && run.stdout.contains("content/index.md:3:"),
        "{}",
        run.stdout
    );
    let strict = f.run_env(&["build", "--strict"], &[secret]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[test]
fn links_through_symlinks_to_system_files_and_outside_folders_publish_nothing() {
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("secret.txt"), "outside-secret-4711").unwrap();
    let f = Fixture::with(&[(
        "content/index.md",
        "# Links\n\n[passwd](../passwd)\n\n[outside](../shared/secret.txt)\n",
    )]);
    symlink("/etc/passwd", &f.path("passwd"));
    symlink(elsewhere.path(), &f.path("shared"));
    let run = f.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_not_published(&f, "outside-secret-4711");
    assert_not_published(&f, "root:x:0:0");
    assert!(!f.exists("public/_repo"), "nothing is copied");

    let run = f.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        run.stdout.matches("\"kind\": \"private-file\"").count(),
        2,
        "{}",
        run.stdout
    );
}

#[test]
fn git_config_and_dotfiles_are_never_published() {
    let f = Fixture::with(&[
        (
            "content/index.md",
            "# Repo\n\n[remote](../.git/config)\n\n[env](../.env)\n\n[ci](../.github/ci.yml)\n\n[release](../scripts/release.sh)\n",
        ),
        (".env", "API_TOKEN=dotenv-secret-31337\n"),
        (".github/ci.yml", "on: push\n"),
        ("scripts/release.sh", "#!/bin/sh\necho release\n"),
    ]);
    let git = crate::common::Git::init(&f);
    git.commit_all(
        "everything, .env too",
        crate::common::at("2026-01-05T10:00:00Z"),
    );
    // A token in the remote URL, as CI checkouts often have.
    let config = f.read(".git/config")
        + "[remote \"origin\"]\n\turl = https://x-access-token:git-config-secret-2718@example.org/r.git\n";
    f.write(".git/config", &config);

    let run = f.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (path, text) in published(&f) {
        for secret in ["git-config-secret-2718", "dotenv-secret-31337"] {
            assert!(!text.contains(secret), "public/{path} holds {secret}");
        }
        assert!(
            !path.starts_with("_repo/.") && !path.contains("/."),
            "public/{path} is a dotfile"
        );
    }
    // A tracked regular file is still published.
    assert_eq!(
        f.read("public/_repo/scripts/release.sh"),
        "#!/bin/sh\necho release\n"
    );

    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    // `.git/config` is an error; `.env` and `.github/ci.yml` are fine links
    // on the forge, left out of the site: warnings.
    assert_eq!(
        run.stdout.matches("error[private-file]").count(),
        1,
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches("warning[private-file]").count(),
        2,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("`.git/config` is inside `.git/`"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("set `repo_url`"), "{}", run.stdout);
}

#[test]
fn only_files_git_tracks_are_published() {
    let f = Fixture::with(&[
        (
            "content/index.md",
            "# Notes\n\n[tracked](../notes/tracked.txt)\n\n[local](../notes/local.txt)\n",
        ),
        ("notes/tracked.txt", "tracked\n"),
    ]);
    let git = crate::common::Git::init(&f);
    git.commit_all("notes", crate::common::at("2026-01-05T10:00:00Z"));
    // Left in the checkout, never committed: a key, a dump, a build product.
    f.write("notes/local.txt", "untracked-secret-1618\n");

    let run = f.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(f.exists("public/_repo/notes/tracked.txt"));
    assert_not_published(&f, "untracked-secret-1618");

    let run = f.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("`notes/local.txt` is not tracked by git"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches("warning[private-file]").count(),
        1,
        "{}",
        run.stdout
    );
}

#[test]
fn with_a_repo_url_dotfiles_link_to_the_forge_and_git_internals_are_refused() {
    let f = Fixture::with(&[
        ("almanac.yaml", "repo_url: https://example.org/org/repo\n"),
        (
            "content/index.md",
            "# CI\n\n[ci](../.github/ci.yml)\n\n[head](../.git/HEAD)\n",
        ),
        (".github/ci.yml", "on: push\n"),
    ]);
    // A real repository: a `.git` that almanac cannot read is an error.
    crate::common::Git::init(&f);
    let run = f.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = f.read("public/index.html");
    assert!(
        page.contains("https://example.org/org/repo/blob/main/.github/ci.yml"),
        "{page}"
    );
    assert!(!page.contains("blob/main/.git/HEAD"), "{page}");
    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        run.stdout.matches("error[private-file]").count(),
        1,
        "{}",
        run.stdout
    );
}
