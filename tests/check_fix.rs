//! `almanac check --fix`: links to a page or heading renamed in this change,
//! and fragments in the wrong letter case, rewritten in the source with a
//! diff of each change; the hints that tell of them.

mod common;

use common::{Fixture, Git, at, check_json};

const INDEX: &str = "# Home\n\nRead [approvals](approval.md) and [the steps](approval.md#sign-off-steps).\n\n```md\nA link in code stays: [approvals](approval.md)\n```\n";
const CHECKLIST: &str = "---\ntitle: Checklist\n---\n# Checklist\n\nSee [approvals](../approval.md \"Approvals\") and [again][ref].\n\n[ref]: ../approval.md\n";
const APPROVAL: &str = "# Approval\n\nWho approves a release, and when.\n\n## Sign-off steps\n\n1. Ask.\n2. Wait.\n3. Record it.\n";
const GUIDE: &str = "# Guide\n\n## Rollback steps\n\nUndo it.\n\n## Other\n\nMore.\n";
const LINKS: &str =
    "# Links\n\n[steps](guide.md?x=1#rollback-steps) and [other](guide.md#Other).\n";

/// A committed handbook; then, in the working tree (not staged), the
/// approvals page is renamed and a heading of the guide is renamed.
fn renamed_in_working_tree() -> Fixture {
    let site = Fixture::with(&[
        ("docs/index.md", INDEX),
        ("docs/release/checklist.md", CHECKLIST),
        ("docs/approval.md", APPROVAL),
        ("docs/guide.md", GUIDE),
        ("docs/links.md", LINKS),
    ]);
    let git = Git::init(&site);
    git.commit_all("docs: initial", at("2026-01-05T10:00:00Z"));
    std::fs::rename(
        site.path("docs/approval.md"),
        site.path("docs/approvals.md"),
    )
    .unwrap();
    site.write(
        "docs/guide.md",
        &GUIDE.replace("## Rollback steps", "## Rolling back"),
    );
    site
}

fn hint_at(findings: &[serde_json::Value], file: &str, line: u64) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f["file"] == file && f["line"] == line)
        .map(|f| f["hint"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The lines a diff removes and adds (not its `---`/`+++` headers).
fn changed_lines(diff: &str) -> Vec<&str> {
    diff.lines()
        .filter(|l| {
            (l.starts_with('-') || l.starts_with('+'))
                && !l.starts_with("---")
                && !l.starts_with("+++")
        })
        .collect()
}

const FIXED_LINKS: &str =
    "# Links\n\n[steps](guide.md?x=1#rolling-back) and [other](guide.md#other).\n";

#[test]
fn hints_say_what_was_renamed_and_how_many_links_fix_rewrites() {
    let site = renamed_in_working_tree();
    let (code, findings) = check_json(&site, &[]);
    assert_eq!(code, 1);
    // Four links in two pages lead to the renamed page.
    assert_eq!(
        hint_at(&findings, "docs/index.md", 3),
        [
            "renamed to `approvals.md` in this change; `--fix` rewrites 4 links",
            "renamed to `approvals.md` in this change; `--fix` rewrites 4 links",
        ]
    );
    assert_eq!(
        hint_at(&findings, "docs/release/checklist.md", 6),
        [
            "renamed to `../approvals.md` in this change; `--fix` rewrites 4 links",
            "renamed to `../approvals.md` in this change; `--fix` rewrites 4 links",
        ]
    );
    let links = hint_at(&findings, "docs/links.md", 3);
    assert!(
        links.contains(
            &"the heading `#rollback-steps` was renamed to `#rolling-back` in this change; `--fix` rewrites 1 link".to_string()
        ),
        "{links:?}"
    );
    assert!(
        links
            .iter()
            .any(|h| h.ends_with("; `--fix` rewrites 1 link") && h.contains("`#other`")),
        "{links:?}"
    );
    // The human output shows the same hint.
    let human = site.run(&["check"]);
    assert!(
        human
            .stdout
            .contains("renamed to `approvals.md` in this change; `--fix` rewrites 4 links"),
        "{}",
        human.stdout
    );
}

#[test]
fn fix_rewrites_only_the_link_destinations_then_the_check_passes() {
    let site = renamed_in_working_tree();
    let run = site.run(&["check", "--fix"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("--fix: rewrote 6 links in 3 files"),
        "{}",
        run.stderr
    );
    // Each file: only the destinations changed, the rest byte for byte.
    assert_eq!(
        site.read("docs/index.md"),
        INDEX
            .replacen("(approval.md)", "(approvals.md)", 1)
            .replace("(approval.md#", "(approvals.md#")
    );
    assert!(
        site.read("docs/index.md")
            .contains("stays: [approvals](approval.md)\n```")
    );
    assert_eq!(
        site.read("docs/release/checklist.md"),
        CHECKLIST.replace("../approval.md", "../approvals.md")
    );
    assert_eq!(site.read("docs/links.md"), FIXED_LINKS);
    assert_eq!(
        site.read("docs/guide.md"),
        GUIDE.replace("## Rollback steps", "## Rolling back")
    );
    // The diff is `diff -u`'s, and shows the link lines and nothing else.
    assert!(
        run.stdout
            .contains("--- a/docs/index.md\n+++ b/docs/index.md\n@@ -1,6 +1,6 @@\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        changed_lines(&run.stdout),
        [
            "-Read [approvals](approval.md) and [the steps](approval.md#sign-off-steps).",
            "+Read [approvals](approvals.md) and [the steps](approvals.md#sign-off-steps).",
            "-[steps](guide.md?x=1#rollback-steps) and [other](guide.md#Other).",
            "+[steps](guide.md?x=1#rolling-back) and [other](guide.md#other).",
            "-See [approvals](../approval.md \"Approvals\") and [again][ref].",
            "+See [approvals](../approvals.md \"Approvals\") and [again][ref].",
            "-[ref]: ../approval.md",
            "+[ref]: ../approvals.md",
        ]
    );
    // What remains: nothing.
    assert!(run.stdout.contains("ok: 5 pages"), "{}", run.stdout);
    let (code, findings) = check_json(&site, &[]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");

    // A second --fix finds nothing to do and changes nothing.
    let before = site.snapshot("docs");
    let again = site.run(&["check", "--fix"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(changed_lines(&again.stdout).is_empty(), "{}", again.stdout);
    assert!(!again.stdout.contains("--- a/"), "{}", again.stdout);
    assert!(
        again.stderr.contains("no broken link that almanac can fix"),
        "{}",
        again.stderr
    );
    assert_eq!(site.snapshot("docs"), before);
}

#[test]
fn dry_run_prints_the_diffs_and_writes_nothing() {
    let site = renamed_in_working_tree();
    let before = site.snapshot("docs");
    let run = site.run(&["check", "--fix", "--dry-run"]);
    // Nothing fixed: the findings stand, with exit 1.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("+[ref]: ../approvals.md\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("would rewrite 6 links in 3 files; nothing written"),
        "{}",
        run.stderr
    );
    assert_eq!(site.snapshot("docs"), before);
    // With a machine format, the diff goes to stderr and stdout stays JSON.
    let json = site.run(&["check", "--fix", "--dry-run", "--format", "json"]);
    assert_eq!(json.code, 1);
    assert!(
        serde_json::from_str::<serde_json::Value>(&json.stdout).is_ok(),
        "{}",
        json.stdout
    );
    assert!(
        json.stderr.contains("--- a/docs/links.md"),
        "{}",
        json.stderr
    );
    assert_eq!(site.snapshot("docs"), before);
}

#[test]
fn dry_run_needs_fix() {
    let site = renamed_in_working_tree();
    let run = site.run(&["check", "--dry-run"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--fix"), "{}", run.stderr);
}

#[test]
fn a_heading_replaced_by_two_is_listed_not_fixed() {
    let site = Fixture::with(&[
        (
            "docs/index.md",
            "# Home\n\nSee [approval](policy.md#approval).\n",
        ),
        (
            "docs/policy.md",
            "# Policy\n\n## Scope\n\n## Approval\n\n## History\n",
        ),
    ]);
    let git = Git::init(&site);
    git.commit_all("docs: initial", at("2026-01-05T10:00:00Z"));
    site.write(
        "docs/policy.md",
        "# Policy\n\n## Scope\n\n## Sign-off\n\n## Review\n\n## History\n",
    );
    let (code, findings) = check_json(&site, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        hint_at(&findings, "docs/index.md", 3),
        [
            "the heading `#approval` was replaced in this change, by `#sign-off` or `#review`; `--fix` leaves the link, as it cannot be sure"
        ]
    );
    let before = site.snapshot("docs");
    let run = site.run(&["check", "--fix"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stdout.contains("--- a/"), "{}", run.stdout);
    assert_eq!(site.snapshot("docs"), before);
}

#[test]
fn a_staged_rename_is_fixed_too() {
    let site = Fixture::with(&[
        (
            "docs/index.md",
            "# Home\n\n[Approvals](approval.md), [how](approval.md#sign-off-steps)\n",
        ),
        ("docs/approval.md", APPROVAL),
    ]);
    let git = Git::init(&site);
    git.commit_all("docs: initial", at("2026-01-05T10:00:00Z"));
    // `git mv docs/approval.md docs/release/approvals.md`, then a heading
    // of it renamed (not staged).
    std::fs::create_dir_all(site.path("docs/release")).unwrap();
    std::fs::rename(
        site.path("docs/approval.md"),
        site.path("docs/release/approvals.md"),
    )
    .unwrap();
    let mut index = git.repo.index().unwrap();
    index.remove_path("docs/approval.md".as_ref()).unwrap();
    index
        .add_path("docs/release/approvals.md".as_ref())
        .unwrap();
    index.write().unwrap();
    site.write(
        "docs/release/approvals.md",
        &APPROVAL.replace("## Sign-off steps", "## Signing off"),
    );

    let run = site.run(&["check", "--fix"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        site.read("docs/index.md"),
        "# Home\n\n[Approvals](release/approvals.md), [how](release/approvals.md#signing-off)\n"
    );
}

#[test]
fn changed_since_finds_renames_committed_since_the_base() {
    let site = Fixture::with(&[
        ("docs/index.md", "# Home\n\n[Approvals](./approval.md)\n"),
        ("docs/approval.md", APPROVAL),
        ("docs/guide.md", GUIDE),
        ("docs/links.md", LINKS),
    ]);
    let git = Git::init(&site);
    let base = git.commit_all("docs: initial", at("2026-01-05T10:00:00Z"));
    git.repo
        .branch("base", &git.repo.find_commit(base).unwrap(), false)
        .unwrap();
    std::fs::rename(
        site.path("docs/approval.md"),
        site.path("docs/approvals.md"),
    )
    .unwrap();
    site.write(
        "docs/guide.md",
        &GUIDE.replace("## Rollback steps", "## Rolling back"),
    );
    git.commit_all("docs: rename", at("2026-01-06T10:00:00Z"));

    // Against HEAD nothing was renamed: no hint of a rename.
    let (_, findings) = check_json(&site, &[]);
    let hints = hint_at(&findings, "docs/index.md", 3);
    assert!(hints.iter().all(|h| !h.contains("renamed")), "{hints:?}");

    let (code, findings) = check_json(&site, &["--changed-since", "base"]);
    assert_eq!(code, 1);
    assert_eq!(
        hint_at(&findings, "docs/index.md", 3),
        ["renamed to `./approvals.md` in this change; `--fix` rewrites 1 link"]
    );
    let run = site.run(&["check", "--changed-since", "base", "--fix"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        site.read("docs/index.md"),
        "# Home\n\n[Approvals](./approvals.md)\n"
    );
    assert_eq!(site.read("docs/links.md"), FIXED_LINKS);
}

#[test]
fn links_of_a_moved_page_lead_where_they_led() {
    let site = Fixture::with(&[
        ("docs/index.md", "# Home\n\n[Plan](plan.md)\n"),
        (
            "docs/plan.md",
            "# Plan\n\nBack to [the checklist](checklist.md), see [the guide](guide.md#other).\n\nMore words, so that git sees the same page.\n",
        ),
        ("docs/guide.md", GUIDE),
        ("docs/checklist.md", "# Checklist\n"),
    ]);
    let git = Git::init(&site);
    git.commit_all("docs: initial", at("2026-01-05T10:00:00Z"));
    std::fs::create_dir_all(site.path("docs/release")).unwrap();
    std::fs::rename(site.path("docs/plan.md"), site.path("docs/release/plan.md")).unwrap();

    let (_, findings) = check_json(&site, &[]);
    assert_eq!(
        hint_at(&findings, "docs/release/plan.md", 3),
        [
            "this page was moved from `docs/plan.md` in this change; the link led to `../checklist.md`; `--fix` rewrites 2 links",
            "this page was moved from `docs/plan.md` in this change; the link led to `../guide.md`; `--fix` rewrites 2 links",
        ]
    );
    let run = site.run(&["check", "--fix"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        site.read("docs/index.md"),
        "# Home\n\n[Plan](release/plan.md)\n"
    );
    assert_eq!(
        site.read("docs/release/plan.md"),
        "# Plan\n\nBack to [the checklist](../checklist.md), see [the guide](../guide.md#other).\n\nMore words, so that git sees the same page.\n"
    );
}

#[test]
fn without_git_a_broken_link_is_only_reported() {
    let site = Fixture::with(&[("docs/index.md", "# Home\n\n[Gone](gone.md)\n")]);
    let run = site.run(&["check", "--fix"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(site.read("docs/index.md"), "# Home\n\n[Gone](gone.md)\n");
    assert!(
        run.stderr.contains("no broken link that almanac can fix"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_repository_missing_old_objects_still_checks() {
    // A partial clone (as CI makes) lacks the base's blobs: renames are then
    // found only for files that kept their content, which costs hints, not
    // the check.
    let site = Fixture::with(&[
        (
            "docs/index.md",
            "# Home\n\n[Approvals](approval.md), [the guide](guide.md)\n",
        ),
        ("docs/approval.md", APPROVAL),
        ("docs/guide.md", GUIDE),
    ]);
    let git = Git::init(&site);
    let base = git.commit_all("docs: initial", at("2026-01-05T10:00:00Z"));
    git.repo
        .branch("base", &git.repo.find_commit(base).unwrap(), false)
        .unwrap();
    // One renamed as it was, one renamed and edited; committed.
    std::fs::rename(
        site.path("docs/approval.md"),
        site.path("docs/approvals.md"),
    )
    .unwrap();
    std::fs::remove_file(site.path("docs/guide.md")).unwrap();
    site.write("docs/guides.md", &format!("{GUIDE}\nOne more line.\n"));
    git.commit_all("docs: rename", at("2026-01-06T10:00:00Z"));
    // The clone never fetched the base's blob of the guide.
    let blob = git
        .repo
        .revparse_single("base:docs/guide.md")
        .unwrap()
        .id()
        .to_string();
    std::fs::remove_file(site.path(".git/objects").join(&blob[..2]).join(&blob[2..])).unwrap();

    let (code, findings) = check_json(&site, &["--changed-since", "base"]);
    assert_eq!(code, 1);
    assert_eq!(
        hint_at(&findings, "docs/index.md", 3),
        [
            "renamed to `approvals.md` in this change; `--fix` rewrites 1 link",
            "did you mean `guides.md`?",
        ]
    );
    let run = site.run(&["check", "--changed-since", "base", "--fix"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        site.read("docs/index.md"),
        "# Home\n\n[Approvals](approvals.md), [the guide](guide.md)\n"
    );
}

#[test]
fn a_link_to_a_renamed_pages_html_keeps_html() {
    // mdBook books link `x.html` for the page of `x.md`, and a folder's
    // `index.html` for its README.md.
    let site = Fixture::with(&[
        (
            "docs/index.md",
            "# Home\n\n[Approvals](approval.html#sign-off-steps), [setup](setup/index.html), [again](setup/), [and](./setup)\n",
        ),
        ("docs/approval.md", APPROVAL),
        (
            "docs/setup/README.md",
            "# Setup\n\nHow to set up the release tools.\n",
        ),
    ]);
    let git = Git::init(&site);
    git.commit_all("docs: initial", at("2026-01-05T10:00:00Z"));
    std::fs::rename(
        site.path("docs/approval.md"),
        site.path("docs/approvals.md"),
    )
    .unwrap();
    std::fs::rename(site.path("docs/setup"), site.path("docs/install")).unwrap();
    let run = site.run(&["check", "--fix"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        site.read("docs/index.md"),
        "# Home\n\n[Approvals](approvals.html#sign-off-steps), [setup](install/index.html), [again](install/), [and](./install)\n"
    );
}

#[test]
fn an_unknown_base_is_exit_2_and_nothing_is_written() {
    let site = renamed_in_working_tree();
    let before = site.snapshot("docs");
    let run = site.run(&["check", "--fix", "--changed-since", "no-such-branch"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no-such-branch"), "{}", run.stderr);
    assert!(!run.stdout.contains("--- a/"), "{}", run.stdout);
    assert_eq!(site.snapshot("docs"), before);
}

#[test]
fn the_printed_diff_is_one_git_apply_takes() {
    let site = renamed_in_working_tree();
    let run = site.run(&["check", "--fix", "--dry-run", "--format", "json", "-q"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // With -q and a machine format, stderr holds the diffs alone.
    site.write("fix.patch", &run.stderr);
    let applied = std::process::Command::new("git")
        .args(["apply", "fix.patch"])
        .current_dir(site.root())
        .output()
        .expect("git is installed");
    assert!(
        applied.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&applied.stderr),
        run.stderr
    );
    assert_eq!(site.read("docs/links.md"), FIXED_LINKS);
    assert_eq!(
        site.read("docs/release/checklist.md"),
        CHECKLIST.replace("../approval.md", "../approvals.md")
    );
    std::fs::remove_file(site.path("fix.patch")).unwrap();
    let (code, findings) = check_json(&site, &[]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}
