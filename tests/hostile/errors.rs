//! Hostile input: errors. Every exit 2 names a file, and the line and
//! column when there is one (issue 15, item 11).

#[allow(unused_imports)]
use crate::common::Fixture;
use crate::common::{Git, Run, at};

/// The run failed with exit 2 and its message points at `position`
/// (`file:line:column`), with no OS error or library jargon instead.
fn fails_at(run: &Run, position: &str) {
    assert_eq!(
        run.code, 2,
        "exit {}: {}{}",
        run.code, run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains(&format!("--> {position}\n")),
        "expected {position} in:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
}

fn site(files: &[(&str, &str)]) -> Fixture {
    let f = Fixture::with(&[("content/README.md", "# Home\n")]);
    for (path, text) in files {
        f.write(path, text);
    }
    f
}

#[test]
fn a_guide_saved_as_latin1_is_located_at_its_first_bad_byte() {
    let f = site(&[]);
    std::fs::write(f.path("content/caf.md"), b"# Menu\n\nUn caf\xe9 noir\n").unwrap();
    let run = f.run(&["build"]);
    fails_at(&run, "content/caf.md:3:7");
    assert!(run.stderr.contains("UTF-8"), "{}", run.stderr);
    assert!(!f.exists("public"), "nothing is written");
}

#[test]
fn a_data_file_saved_as_latin1_is_located_at_its_first_bad_byte() {
    let f = site(&[]);
    std::fs::create_dir_all(f.path("data")).unwrap();
    std::fs::write(f.path("data/team.yaml"), b"lead: Ana\ncity: M\xfcnchen\n").unwrap();
    fails_at(&f.run(&["build"]), "data/team.yaml:2:8");
    // `check` reports it as a data-error at the same place.
    let check = f.run(&["check", "--format", "json"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check.stdout.contains("\"file\": \"data/team.yaml\""),
        "{}",
        check.stdout
    );
    assert!(check.stdout.contains("\"line\": 2"), "{}", check.stdout);
}

#[test]
fn a_theme_that_does_not_exist_points_at_its_line_of_almanac_yaml() {
    let f = site(&[("almanac.yaml", "title: Handbook\ntheme: nosuch\n")]);
    let run = f.run(&["build"]);
    fails_at(&run, "almanac.yaml:2:8");
    assert!(
        run.stderr.contains("theme `nosuch` not found"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_alias_longer_than_a_file_name_is_located_in_the_front_matter() {
    let alias = format!("old/{}.html", "x".repeat(300));
    let guide = format!("---\ntitle: Moved\naliases:\n  - {alias}\n---\n# Moved\n");
    let f = site(&[("content/moved.md", &guide)]);
    let run = f.run(&["build"]);
    fails_at(&run, "content/moved.md:4:5");
    assert!(!run.stderr.contains("File name too long"), "{}", run.stderr);
    // `check` says the same as a data-error.
    let check = f.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check.stdout.contains("--> content/moved.md:4:5"),
        "{}",
        check.stdout
    );
}

#[test]
fn a_bad_glob_in_ignore_files_is_located_in_almanac_yaml() {
    let f = site(&[(
        "almanac.yaml",
        "title: Handbook\ncheck:\n  ignore_files:\n    - 'docs/archive/**'\n    - 'docs/[old/*'\n",
    )]);
    let run = f.run(&["check"]);
    fails_at(&run, "almanac.yaml:5:8");
    assert!(
        run.stderr.contains("`docs/[old/*` is not a valid glob"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_template_extending_a_missing_template_names_the_template() {
    let f = site(&[(
        "templates/page.html",
        "{# the site's page #}\n{% extends \"layout.html\" %}\n",
    )]);
    let run = f.run(&["build"]);
    fails_at(&run, "templates/page.html:2:1");
    assert!(!run.stderr.contains("``"), "{}", run.stderr);
    assert!(run.stderr.contains("layout.html"), "{}", run.stderr);
}

#[test]
fn templates_that_include_each_other_name_the_template() {
    let f = site(&[
        (
            "templates/nav.html",
            "<nav>{% include \"menu.html\" %}</nav>\n",
        ),
        (
            "templates/menu.html",
            "<ul>\n{% include \"nav.html\" %}</ul>\n",
        ),
        ("templates/page.html", "{% include \"nav.html\" %}\n"),
    ]);
    let run = f.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("``"), "{}", run.stderr);
    assert!(
        run.stderr.contains("--> templates/menu.html:2:1\n")
            || run.stderr.contains("--> templates/nav.html:1:6\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_malformed_package_json_is_reported_as_malformed_not_missing() {
    let f = site(&[
        (
            "content/README.md",
            "# Home\n\n```bash\nnpm run lint\n```\n",
        ),
        (
            "package.json",
            "{\n  \"scripts\": {\n    \"lint\": \"eslint .\",\n  }\n}\n",
        ),
    ]);
    let run = f.run(&["check"]);
    fails_at(&run, "package.json:4:3");
    assert!(run.stderr.contains("not valid JSON"), "{}", run.stderr);
    assert!(!run.stdout.contains("there is no"), "{}", run.stdout);
}

#[test]
fn a_configured_data_dir_that_is_missing_says_so() {
    let f = site(&[
        ("almanac.yaml", "title: Handbook\ndata_dir: release-data\n"),
        (
            "content/README.md",
            "# Home\n\n{{ kpi(id=\"test_pass_rate\") }}\n",
        ),
    ]);
    for command in ["build", "check"] {
        let run = f.run(&[command]);
        fails_at(&run, "almanac.yaml:2:11");
        assert!(
            run.stderr
                .contains("data folder `release-data` does not exist"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("no KPI"), "{}", run.stderr);
    }
}

/// A repository with a release tag and two commits, for the corruptions below.
fn repository() -> Fixture {
    let f = site(&[("content/guide.md", "# Guide\n")]);
    let git = Git::init(&f);
    let first = git.commit_all("docs: start", at("2025-07-01T10:00:00Z"));
    git.lightweight_tag("v1.0.0", first);
    f.write("content/guide.md", "# Guide\n\nMore.\n");
    git.commit_all("docs: more", at("2025-07-02T10:00:00Z"));
    f
}

#[test]
fn a_garbage_head_is_an_error_naming_the_git_folder() {
    let f = repository();
    f.build(&[]);
    let before = f.snapshot("public");
    f.write(".git/HEAD", "this is not a ref\n");
    for command in ["build", "check"] {
        let run = f.run(&[command]);
        assert_eq!(run.code, 2, "{command}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains("cannot read the git repository `.git`"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        f.snapshot("public"),
        before,
        "the previous site is untouched"
    );
}

#[test]
fn a_truncated_pack_is_an_error_naming_the_git_folder() {
    let f = repository();
    // Pack every object, as `git gc` does, remove the loose ones, then cut
    // the pack in half.
    let packs = f.path(".git/objects/pack");
    let name = {
        let repo = git2::Repository::open(f.root()).unwrap();
        let mut pack = repo.packbuilder().unwrap();
        let mut walk = repo.revwalk().unwrap();
        walk.push_head().unwrap();
        pack.insert_walk(&mut walk).unwrap();
        let mut bytes = git2::Buf::new();
        pack.write_buf(&mut bytes).unwrap();
        let odb = repo.odb().unwrap();
        let mut indexer = git2::Indexer::new(Some(&odb), &packs, 0o644, true).unwrap();
        use std::io::Write;
        indexer.write_all(&bytes).unwrap();
        indexer.commit().unwrap()
    };
    for entry in std::fs::read_dir(f.path(".git/objects")).unwrap() {
        let path = entry.unwrap().path();
        let loose = path.file_name().unwrap().len() == 2;
        if loose {
            std::fs::remove_dir_all(path).unwrap();
        }
    }
    // Packed whole, the repository reads as before.
    f.build(&[]);
    let pack_file = packs.join(format!("pack-{name}.pack"));
    let len = std::fs::metadata(&pack_file).unwrap().len();
    let mut perms = std::fs::metadata(&pack_file).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&pack_file, perms).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&pack_file)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    let run = f.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot read the git repository `.git`"),
        "{}",
        run.stderr
    );
}

#[test]
fn audience_given_as_a_mapping_says_what_shapes_are_accepted() {
    let f = site(&[(
        "content/ops.md",
        "---\ntitle: Ops\naudience:\n  team: ops\n---\n# Ops\n",
    )]);
    let run = f.run(&["build"]);
    fails_at(&run, "content/ops.md:4:3");
    assert!(!run.stderr.contains("untagged enum"), "{}", run.stderr);
    assert!(
        run.stderr.contains("expected a name or a list of names"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_duplicate_key_points_at_the_second_occurrence() {
    let f = site(&[(
        "content/ops.md",
        "---\ntitle: Ops\nowner: ana\ntitle: Operations\n---\n# Ops\n",
    )]);
    let run = f.run(&["build"]);
    fails_at(&run, "content/ops.md:4:1");
    assert!(
        run.stderr.contains("duplicate field `title`"),
        "{}",
        run.stderr
    );

    let f = site(&[(
        "data/calendar.yaml",
        "releases:\n  - version: 1.0.0\n    type: major\n    planned: { release: 2025-07-01 }\n    type: minor\n",
    )]);
    fails_at(&f.run(&["build"]), "data/calendar.yaml:5:5");
}

#[test]
fn an_invalid_calendar_adds_no_broken_links_to_its_pages() {
    let f = site(&[
        (
            "content/README.md",
            "# Home\n\nSee [the calendar](calendar/index.html), [1.0.0](calendar/1.0.0.html) \
             and [the reports](reports/index.html).\n",
        ),
        (
            "data/calendar.yaml",
            "releases:\n  - version: 1.0.0\n    type: major\n    planned: { release: 2025-07-32 }\n",
        ),
    ]);
    let run = f.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let kinds: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["data-error"], "{}", run.stdout);
}

#[test]
fn an_unknown_flag_of_a_script_with_thousands_of_options_gets_a_short_hint() {
    let mut script = String::from("#!/bin/sh\nwhile [ $# -gt 0 ]; do\n  case \"$1\" in\n");
    for i in 0..5000 {
        script.push_str(&format!("    --option-{i}) shift ;;\n"));
    }
    script
        .push_str("    --dry-run) shift ;;\n    *) echo \"unknown $1\"; exit 1 ;;\n  esac\ndone\n");
    let f = site(&[
        ("scripts/deploy.sh", &script),
        (
            "content/README.md",
            "# Home\n\n```bash\n./scripts/deploy.sh --dryrun\n```\n",
        ),
    ]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(f.path("scripts/deploy.sh"), perms).unwrap();
    }
    let run = f.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let hint = run
        .stdout
        .lines()
        .find(|l| l.starts_with("help:"))
        .unwrap_or_else(|| panic!("no hint: {}", run.stdout));
    assert!(hint.contains("did you mean `--dry-run`?"), "{hint}");
    assert!(hint.ends_with(" and 4991 more"), "{hint}");
    assert!(hint.len() < 400, "{} bytes: {hint}", hint.len());
}
