//! `versions:`: a handbook per release tag, read from the repository's
//! objects, on the fixture repository of `common::versions` (its history is
//! told there).

mod common;

use common::check_json;
use common::versions::{CONFIG, repository};
use common::{Fixture, Git, at};

/// The `href`s of a page's version switcher, by the version each names.
fn switcher(html: &str) -> Vec<(String, String)> {
    let start = html
        .find("<details class=\"al-versions\">")
        .expect("a switcher");
    let end = start + html[start..].find("</details>").unwrap();
    html[start..end]
        .split("<li><a href=\"")
        .skip(1)
        .map(|item| {
            let (href, rest) = item.split_once('"').unwrap();
            let name = rest.split_once('>').unwrap().1;
            let name = name.split([' ', '<']).next().unwrap();
            (name.to_string(), href.to_string())
        })
        .collect()
}

#[test]
fn each_kept_release_gets_a_folder_the_latest_the_root() {
    let site = repository(CONFIG);
    let run = site.build(&[]);
    // The latest release at the root, from its tag: not the working tree.
    assert!(site.exists("public/guides/approvals.html"));
    assert!(!site.exists("public/guides/unreleased.html"));
    assert!(site.exists("public/v1.1.0/guides/patching.html"));
    assert!(site.exists("public/v1.0.0/guides/hotfix.html"));
    assert!(!site.exists("public/v1.2.0"), "the latest is the root");
    assert!(
        !site.exists("public/v1.3.0-rc1"),
        "pre-releases are not versions"
    );
    // A tag whose config does not parse, and one before almanac, are left
    // out with a warning naming the tag; the build goes on.
    assert!(!site.exists("public/v1.1.5"));
    assert!(!site.exists("public/v0.9.0"));
    assert!(run.stderr.contains("`v1.1.5`"), "{}", run.stderr);
    assert!(run.stderr.contains("`v0.9.0`"), "{}", run.stderr);
    let names = versions_named(&site.read("public/index.html"));
    assert_eq!(names, ["1.2.0", "1.1.0", "1.0.0"]);
    // Each version's config is its own.
    assert!(
        site.read("public/index.html")
            .contains("<title>Release Handbook</title>")
    );
    assert!(
        site.read("public/v1.0.0/index.html")
            .contains("<title>Handbook</title>")
    );
}

#[test]
fn the_switcher_follows_renames_and_falls_back_to_the_home_page() {
    let site = repository(CONFIG);
    site.build(&[]);
    let hotfix = site.read("public/v1.0.0/guides/hotfix.html");
    let links = switcher(&hotfix);
    assert_eq!(
        links,
        [
            (
                "1.2.0".to_string(),
                "../../guides/patching.html".to_string()
            ),
            ("1.1.0".into(), "../../v1.1.0/guides/patching.html".into()),
            ("1.0.0".into(), "../../v1.0.0/guides/hotfix.html".into()),
        ]
    );
    // And back: the renamed page of the latest leads to the old name.
    let patching = switcher(&site.read("public/guides/patching.html"));
    assert!(patching.contains(&("1.0.0".into(), "../v1.0.0/guides/hotfix.html".into())));
    // A removed page: the other versions' home pages.
    let legacy = site.read("public/v1.0.0/guides/legacy.html");
    let links = switcher(&legacy);
    assert_eq!(links[0], ("1.2.0".into(), "../../index.html".into()));
    assert_eq!(links[1], ("1.1.0".into(), "../../v1.1.0/index.html".into()));
    assert!(legacy.contains("its home page (this page is not in it)"));
    // An added page has no past: the older versions' homes.
    let approvals = switcher(&site.read("public/guides/approvals.html"));
    assert_eq!(
        approvals[2],
        ("1.0.0".into(), "../v1.0.0/index.html".into())
    );
}

#[test]
fn older_versions_say_so_and_point_at_the_latest_page() {
    let site = repository(CONFIG);
    site.build(&["--base-url", "https://docs.example.org/"]);
    let hotfix = site.read("public/v1.0.0/guides/hotfix.html");
    // An older release's page names its version through the theme's script
    // (the browser test reads "1.0.0" there); without it, this.
    assert!(hotfix.contains(
        "You are reading the handbook for <strong class=\"al-version-name\">an older release</strong>"
    ));
    assert!(hotfix.contains("data-version=\"1.0.0\""));
    assert!(hotfix.contains("The latest release is <strong>1.2.0</strong>"));
    assert!(hotfix.contains(
        "<link rel=\"canonical\" href=\"https://docs.example.org/guides/patching.html\">"
    ));
    // The latest has no banner and no canonical link of its own.
    let latest = site.read("public/guides/patching.html");
    assert!(!latest.contains("al-version-banner"));
    assert!(!latest.contains("rel=\"canonical\""));
    // The sitemap lists the latest only.
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("https://docs.example.org/guides/patching.html"));
    assert!(!sitemap.contains("v1.0.0"), "{sitemap}");
    assert!(!site.exists("public/v1.0.0/sitemap.xml"));
}

#[test]
fn what_changed_shows_each_pages_added_and_removed_lines() {
    let site = repository(CONFIG);
    site.build(&[]);
    let changes = site.read("public/v1.1.0/what-changed.html");
    assert!(changes.contains("<span class=\"al-diff-del\">-Step two.</span>"));
    assert!(changes.contains("<span class=\"al-diff-add\">+Step 2, revised.</span>"));
    assert!(changes.contains("<span class=\"al-diff-add\">+Step three.</span>"));
    // Unchanged lines are context, not changes.
    assert!(changes.contains("<span class=\"al-diff-same\"> Step one.</span>"));
    // The rename and the removal are listed.
    assert!(changes.contains("Was <code>content/guides/hotfix.md</code>"));
    assert!(changes.contains("id=\"change-content-guides-legacy-md\""));
    // Each changed page links to its own diff; an unchanged one does not.
    let release = site.read("public/v1.1.0/guides/release.html");
    assert!(release.contains(
        "Changed since 1.0.0: <a href=\"../what-changed.html#change-content-guides-release-md\">what changed</a>"
    ));
    assert!(changes.contains("id=\"change-content-guides-release-md\""));
    let approvals = site.read("public/guides/approvals.html");
    assert!(approvals.contains("New since 1.1.0"));
    // The oldest version has nothing to compare with.
    assert!(!site.exists("public/v1.0.0/what-changed.html"));
    assert!(
        !site
            .read("public/v1.0.0/guides/release.html")
            .contains("al-version-changed")
    );
}

#[test]
fn data_pages_are_built_once_at_the_root_and_linked_from_every_version() {
    let site = repository(CONFIG);
    site.build(&[]);
    assert!(site.exists("public/calendar/index.html"));
    assert!(!site.exists("public/v1.0.0/calendar"));
    assert!(!site.exists("public/v1.0.0/calendar.ics"));
    let old = site.read("public/v1.0.0/guides/release.html");
    assert!(
        old.contains("href=\"../../calendar/index.html\""),
        "{}",
        common::main_of(&old)
    );
}

#[test]
fn an_older_releases_pages_that_the_next_has_the_same_are_one_file() {
    use std::os::unix::fs::MetadataExt;
    let site = Fixture::with(&[("almanac.yaml", CONFIG)]);
    let git = Git::init(&site);
    site.write(
        "content/README.md",
        "# Home\n\nSee [the steps](steps.md).\n",
    );
    site.write("content/steps.md", "# Steps\n\nOne.\n");
    for (n, (notes, date)) in [
        ("Aardvark.", "2025-01-10T10:00:00Z"),
        ("Bison.", "2025-02-10T10:00:00Z"),
        ("Cheetah.", "2025-03-10T10:00:00Z"),
    ]
    .into_iter()
    .enumerate()
    {
        site.write("content/notes.md", &format!("# Notes\n\n{notes}\n"));
        let c = git.commit_all(notes, at(date));
        git.lightweight_tag(&format!("v1.{n}.0"), c);
    }
    site.build(&[]);
    let inode = |rel: &str| std::fs::metadata(site.path(rel)).unwrap().ino();
    let (old, older) = ("public/v1.1.0/steps.html", "public/v1.0.0/steps.html");
    assert_eq!(inode(old), inode(older), "the same page is one file");
    assert_eq!(site.read(old), site.read(older));
    // A page that changed is a file of each version's.
    let notes = ["public/v1.1.0/notes.html", "public/v1.0.0/notes.html"];
    assert_ne!(inode(notes[0]), inode(notes[1]));
    assert!(site.read(notes[0]).contains("Bison."));
    assert!(site.read(notes[1]).contains("Aardvark."));
    // The shared page names no version; its menu says which link is which.
    let page = site.read(old);
    assert!(page.contains("<span class=\"al-version-name\">older release</span>"));
    assert!(!page.contains("aria-current=\"true\""), "{page}");
    let named: Vec<String> = switcher(&page).into_iter().map(|(v, _)| v).collect();
    assert_eq!(named, ["1.2.0", "1.1.0", "1.0.0"]);
    assert!(page.contains("data-version=\"1.1.0\""));
    // The latest, at the root, names itself.
    let latest = site.read("public/steps.html");
    assert!(latest.contains("data-version=\"1.2.0\" aria-current=\"true\""));
    assert_ne!(inode("public/steps.html"), inode(old));
    // Search is each version's own still (1.1.0's "what changed" page
    // quotes the line it removed).
    assert!(
        site.read("public/v1.0.0/search-index.js")
            .contains("aardvark")
    );
    assert!(!site.read("public/search-index.js").contains("aardvark"));
}

#[test]
fn a_tag_with_no_config_takes_the_projects_title_not_its_scratch_folders() {
    // Tags from before almanac: no config, so no title of their own.
    let site = Fixture::with(&[
        // No heading to take a title from: the folder's name is the title.
        (
            "README.md",
            "Widget tools. See [the guide](docs/guide.md).\n",
        ),
        ("docs/guide.md", "# Guide\n\nFirst.\n"),
    ]);
    let git = Git::init(&site);
    let c = git.commit_all("one", at("2025-01-10T10:00:00Z"));
    git.lightweight_tag("v1.0.0", c);
    site.write("docs/guide.md", "# Guide\n\nSecond.\n");
    let c = git.commit_all("two", at("2025-02-10T10:00:00Z"));
    git.lightweight_tag("v1.1.0", c);
    site.write("almanac.yaml", "versions:\n  keep: 5\n");
    site.build(&[]);
    let folder = site.root().canonicalize().unwrap();
    let folder = folder.file_name().unwrap().to_string_lossy();
    for page in ["public/guide.html", "public/v1.0.0/guide.html"] {
        let html = site.read(page);
        assert!(
            html.contains(&format!("<title>Guide · {folder}</title>")),
            "{page}: {}",
            &html[..html.find("</title>").unwrap_or(0)]
        );
    }
}

#[test]
fn search_and_last_updated_are_each_versions_own() {
    let site = repository(CONFIG);
    site.build(&[]);
    // "zanzibar" is only in a page 1.0.0 has.
    assert!(
        site.read("public/v1.0.0/search-index.js")
            .contains("zanzibar")
    );
    assert!(!site.read("public/search-index.js").contains("zanzibar"));
    // The release guide was last changed for 1.1.0; in 1.0.0 it is as of 1.0.0.
    assert!(
        site.read("public/v1.0.0/guides/release.html")
            .contains("2025-01-10")
    );
    assert!(
        site.read("public/guides/release.html")
            .contains("2025-02-10")
    );
}

#[test]
fn with_a_branch_the_working_tree_is_the_root_and_every_release_has_a_folder() {
    let site = repository("title: Handbook\nversions:\n  keep: 2\n  branch: main\n");
    let run = site.build(&[]);
    assert!(site.exists("public/guides/unreleased.html"));
    assert!(site.exists("public/v1.2.0/guides/approvals.html"));
    assert!(
        !site.exists("public/v1.0.0"),
        "keep: 2 keeps 1.2.0 and 1.1.5"
    );
    let names = versions_named(&site.read("public/index.html"));
    // 1.1.5 does not load: left out.
    assert_eq!(names, ["dev", "1.2.0"], "{}", run.stderr);
    let dev = site.read("public/guides/unreleased.html");
    assert!(dev.contains("as it is being written (<strong>dev</strong>)"));
    assert!(dev.contains("New since 1.2.0"));
}

#[test]
fn strict_checks_every_version() {
    let site = repository(CONFIG);
    let run = site.run(&["build", "--strict"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("[1.0.0]"), "{}", run.stderr);
    assert!(run.stderr.contains("missing.md"), "{}", run.stderr);
    assert!(!site.exists("public"), "nothing is written");
}

#[test]
fn check_at_checks_a_past_version_against_its_own_tree() {
    let site = repository(CONFIG);
    let (code, findings) = check_json(&site, &[]);
    assert_eq!(code, 0, "{findings:?}");
    let (code, findings) = check_json(&site, &["--at", "v1.0.0"]);
    assert_eq!(code, 1);
    // The script 1.0.0 documents is checked against 1.0.0's tree, where it
    // is, executable (it is gone from the working tree).
    assert!(!site.exists("scripts/cut.sh"));
    let run = site.run(&["check", "--format", "json", "--at", "v1.0.0"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["summary"]["commands"], 1, "{}", run.stdout);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["file"], "content/guides/release.md");
    assert_eq!(findings[0]["target"], "missing.md");
    assert_eq!(findings[0]["line"], 6);
    // A revision that does not exist is bad input.
    let run = site.run(&["check", "--at", "v9.9.9"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("v9.9.9"), "{}", run.stderr);
}

#[test]
fn a_bad_versions_key_is_an_error_at_its_line() {
    let site = repository("title: Handbook\nversions:\n  keep: many\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("almanac.yaml:3"), "{}", run.stderr);
    let site = repository("title: Handbook\nversions:\n  kept: 3\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("kept"), "{}", run.stderr);
}

#[test]
fn without_release_tags_the_working_tree_is_built_with_a_warning() {
    let site = repository("title: Handbook\nversions:\n  tags: \"release-{version}\"\n");
    let run = site.build(&[]);
    assert!(run.stderr.contains("release-{version}"), "{}", run.stderr);
    assert!(site.exists("public/guides/unreleased.html"));
    assert!(!site.read("public/index.html").contains("al-versions"));
}

#[test]
fn a_rebuild_gives_the_same_bytes() {
    let site = repository(CONFIG);
    site.build(&["--out", "one"]);
    site.build(&["--out", "two"]);
    let (one, two) = (site.snapshot("one"), site.snapshot("two"));
    assert!(one.len() > 20);
    assert!(one == two, "two builds of the same tags differ");
}

/// The versions a page's switcher names, in its order.
fn versions_named(html: &str) -> Vec<String> {
    switcher(html).into_iter().map(|(n, _)| n).collect()
}

/// A page's article: what its markdown became.
fn article(html: &str) -> &str {
    let start = html
        .find("<article class=\"al-content\">")
        .expect("an article");
    let end = start + html[start..].find("</article>").unwrap();
    &html[start..end]
}

#[test]
fn shared_renderings_are_what_each_version_alone_would_render() {
    let site = repository(CONFIG);
    let run = site.build(&["-v"]);
    // 1.1.0 and 1.2.0 have three guides with the same text whose links lead
    // to the same pages (1.2.0 adds a guide, which numbers them otherwise):
    // each is rendered once.
    let shared: usize = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("versions: "))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of shared renderings: {}", run.stderr));
    assert!(shared >= 3, "{}", run.stderr);
    // Each version's pages are what a build of its tag's files alone gives.
    let repo = git2::Repository::open(site.root()).unwrap();
    for (tag, dir) in [("v1.1.0", "v1.1.0/"), ("v1.0.0", "v1.0.0/"), ("v1.2.0", "")] {
        let alone = common::Fixture::new();
        let tree = repo.revparse_single(tag).unwrap().peel_to_tree().unwrap();
        let mut checkout = git2::build::CheckoutBuilder::new();
        checkout.target_dir(alone.root()).force();
        repo.checkout_tree(tree.as_object(), Some(&mut checkout))
            .unwrap();
        alone.write("almanac.yaml", "title: Handbook\n");
        alone.build(&[]);
        let pages = alone.snapshot("public");
        let mut compared = 0;
        for (path, bytes) in pages.iter().filter(|(p, _)| p.starts_with("guides/")) {
            let alone_html = String::from_utf8_lossy(bytes);
            let versioned = site.read(&format!("public/{dir}{path}"));
            assert_eq!(
                article(&alone_html),
                article(&versioned),
                "{tag}: {path} differs from a build of its own"
            );
            compared += 1;
        }
        assert!(compared >= 2, "{tag}: {compared} pages compared");
    }
}

#[test]
fn a_latest_release_that_does_not_build_gives_the_root_to_the_newest_that_does() {
    let site = repository(CONFIG);
    let git = common::Git {
        repo: git2::Repository::open(site.root()).unwrap(),
    };
    site.write("almanac.yaml", "titel: typo again\n");
    let c = git.commit_all("broken release", common::at("2025-05-01T10:00:00Z"));
    git.lightweight_tag("v1.4.0", c);
    // The working tree's config (the one that asks for versions) is fine.
    site.write("almanac.yaml", CONFIG);
    let run = site.build(&[]);
    assert!(run.stderr.contains("`v1.4.0`"), "{}", run.stderr);
    assert!(
        site.read("public/index.html")
            .contains("<title>Release Handbook</title>")
    );
    assert!(site.exists("public/guides/approvals.html"));
    assert!(!site.exists("public/v1.2.0"), "1.2.0 is at the root");
    assert!(!site.exists("public/v1.4.0"));
    let names = versions_named(&site.read("public/index.html"));
    assert_eq!(names, ["1.2.0", "1.1.0", "1.0.0"]);
    assert!(
        site.read("public/index.html")
            .contains("1.2.0 <small>latest</small>")
    );
    // The data pages are the root's, linked from the older versions.
    assert!(site.exists("public/calendar/index.html"));
    assert!(!site.exists("public/v1.1.0/calendar"));
}

/// Builds `site` into `linked/` and, rendering every page of every version
/// (`ALMANAC_NO_CARRY`), into `rendered/`; asserts the two are the same
/// files, byte for byte, with the same findings. Returns the first build
/// (`-v`) and how many files it wrote.
fn linked_is_rendered(site: &Fixture) -> (common::Run, usize) {
    let linked = site.build(&["-v", "--out", "linked"]);
    let rendered = site.run_env(
        &["build", "--out", "rendered"],
        &[("ALMANAC_NO_CARRY", "1")],
    );
    assert_eq!(rendered.code, 0, "{}", rendered.stderr);
    let (one, two) = (site.snapshot("linked"), site.snapshot("rendered"));
    let paths = |s: &[(String, Vec<u8>)]| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&one), paths(&two));
    for ((path, a), (_, b)) in one.iter().zip(&two) {
        assert!(
            a == b,
            "{path} differs from its rendering:\n{}\n----\n{}",
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b)
        );
    }
    assert_eq!(findings_of(&linked), findings_of(&rendered));
    (linked, one.len())
}

/// The findings a build printed, its summary line left out.
fn findings_of(run: &common::Run) -> Vec<String> {
    let mut lines: Vec<String> = run
        .stderr
        .lines()
        .filter(|l| l.contains("error[") || l.contains("warning["))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn pages_linked_unrendered_are_what_rendering_them_gives() {
    let site = Fixture::with(&[
        ("almanac.yaml", "title: Handbook\nversions:\n  keep: 20\n"),
        ("src/main.c", "int main(void) { return 0; }\n"),
    ]);
    let git = Git::init(&site);
    let mut day = 0;
    let mut calendar = String::from("releases:\n");
    // Each release adds itself to the calendar, as a handbook's do: the
    // older versions' data pages are the root's, so their data files do
    // not keep their pages from being linked.
    let mut tag = |git: &Git, name: &str| {
        day += 1;
        let version = name.trim_start_matches('v');
        calendar.push_str(&format!(
            "  - version: {version}\n    type: minor\n    planned: {{ release: 2025-01-{day:02} }}\n"
        ));
        std::fs::create_dir_all(site.path("data")).unwrap();
        std::fs::write(site.path("data/calendar.yaml"), &calendar).unwrap();
        let c = git.commit_all(name, at(&format!("2025-01-{day:02}T10:00:00Z")));
        git.lightweight_tag(name, c);
    };
    site.write(
        "content/README.md",
        "# Home\n\nSee [the steps](steps.md), [the notes](notes.md#aardvark) and [the runner](../scripts/run.sh).\n",
    );
    site.write("content/steps.md", "# Steps\n\nOne.\n");
    site.write("content/notes.md", "# Notes\n\n## Aardvark\n\nA.\n");
    site.write("content/other.md", "# Other\n\nElsewhere.\n");
    // A link to the page each version but the oldest makes of its changes.
    site.write(
        "content/changes.md",
        "# Changes\n\nSee [what changed](what-changed.md#top).\n",
    );
    tag(&git, "v1.0.0");
    // The notes' text alone: every other page is the next version's.
    site.write("content/notes.md", "# Notes\n\n## Aardvark\n\nA, again.\n");
    tag(&git, "v1.1.0");
    // The heading the home page links to renamed: the same home page is
    // broken here, not in 1.1.0.
    site.write("content/notes.md", "# Notes\n\n## Bison\n\nB.\n");
    tag(&git, "v1.2.0");
    // A title in every page's navigation.
    site.write("content/other.md", "# Elsewhere\n\nElsewhere.\n");
    tag(&git, "v1.3.0");
    site.write("src/main.c", "int main(void) { return 1; }\n");
    tag(&git, "v1.4.0");
    // Changed and changed back: the same text, a later last update.
    site.write("content/steps.md", "# Steps\n\nTwo.\n");
    git.commit_all("steps for a while", at("2025-01-20T10:00:00Z"));
    site.write("content/steps.md", "# Steps\n\nOne.\n");
    tag(&git, "v1.5.0");
    // The file the home page links to comes: the link holds from here.
    site.write("scripts/run.sh", "#!/bin/sh\necho run\n");
    tag(&git, "v1.6.0");
    site.write(
        "almanac.yaml",
        "title: The Handbook\nversions:\n  keep: 20\n",
    );
    tag(&git, "v1.7.0");
    site.write("src/main.c", "int main(void) { return 2; }\n");
    tag(&git, "v1.8.0");

    let (linked, files) = linked_is_rendered(&site);
    assert!(files > 50, "{files} files");
    // Linked from the version written just before (1.8.0 is the root):
    // none into 1.6.0 (another title in 1.7.0), 1.5.0 (another file in
    // 1.6.0), 1.3.0 (another source file in 1.4.0) or 1.2.0 (another title
    // in the navigation); into 1.4.0 all but the steps (a later last update
    // in 1.5.0); into 1.1.0 and 1.0.0 all but the notes. The "what changed"
    // pages differ in every version.
    let count: usize = linked
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("versions: "))
        .find(|l| l.contains("linked"))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of linked pages: {}", linked.stderr));
    assert_eq!(count, 3 + 3 + 3, "{}", linked.stderr);
    // The home page linked from 1.2.0 into 1.1.0 is judged against 1.1.0's
    // notes, which have the heading.
    let anchor = |v: &str| {
        findings_of(&linked)
            .iter()
            .any(|f| f.contains("#aardvark") && f.contains(&format!("[{v}]")))
    };
    assert!(anchor("1.2.0"), "{:?}", findings_of(&linked));
    assert!(!anchor("1.1.0"), "{:?}", findings_of(&linked));
    // The script's link: broken before 1.6.0 only.
    let runner = |v: &str| {
        findings_of(&linked)
            .iter()
            .any(|f| f.contains("scripts/run.sh") && f.contains(&format!("[{v}]")))
    };
    assert!(
        runner("1.5.0") && !runner("1.6.0"),
        "{:?}",
        findings_of(&linked)
    );
}

/// The headings of an adopted navigation are in every page's sidebar: an
/// older release whose book names a part otherwise links none of the next
/// one's pages (the site's shape and the adopted navigation in the config
/// both say so).
#[test]
fn a_navigation_heading_renamed_keeps_the_pages_from_being_linked() {
    let site = Fixture::with(&[
        ("almanac.yaml", "title: Book\nversions:\n  keep: 5\n"),
        ("book.toml", "[book]\ntitle = \"Book\"\nsrc = \"src\"\n"),
        ("src/intro.md", "# Intro\n\nHello.\n"),
        ("src/steps.md", "# Steps\n\nOne.\n"),
    ]);
    let git = Git::init(&site);
    let summary =
        |part: &str| format!("# Summary\n\n[Intro](intro.md)\n\n# {part}\n\n- [Steps](steps.md)\n");
    for (n, part) in ["Part One", "Part Uno", "Part Uno"].iter().enumerate() {
        site.write("src/SUMMARY.md", &summary(part));
        let c = git.commit_all(part, at(&format!("2025-03-0{}T10:00:00Z", n + 1)));
        git.lightweight_tag(&format!("v1.{n}.0"), c);
    }
    let (linked, _) = linked_is_rendered(&site);
    assert!(site.read("linked/v1.0.0/intro.html").contains("Part One"));
    assert!(!site.read("linked/v1.0.0/intro.html").contains("Part Uno"));
    assert!(
        linked.stderr.contains("versions: 0 pages linked"),
        "{}",
        linked.stderr
    );
}
