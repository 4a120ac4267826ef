//! `almanac build`, end to end on fixture sites.

mod common;

use common::{Fixture, attr_values, main_of};

#[test]
fn heading_ids_follow_github_slugs() {
    let site = Fixture::with(&[(
        "content/README.md",
        "# Guide\n\n## Usage\n\n## Usage\n\n## What's new in v1.2?\n\n## 🚀 Launch\n\n## C++ & Rust\n\n\
         ## Rollback {#rollback}\n\n## Rollback\n\n<a id=\"legacy-anchor\"></a>\n",
    )]);
    site.build(&[]);
    let html = site.read("public/index.html");
    let ids = attr_values(main_of(&html), "id");
    assert_eq!(
        ids,
        [
            "guide",
            "usage",
            "usage-1",
            "whats-new-in-v12",
            "-launch",
            "c--rust",
            "rollback",
            "rollback-1",
            "legacy-anchor"
        ]
    );
    // The heading is its text alone: the theme's script adds the `#` link.
    assert!(html.contains(r#"<h2 id="usage-1">Usage</h2>"#), "{html}");
}

#[test]
fn relative_md_links_are_rewritten_to_pages() {
    let site = Fixture::with(&[
        ("scripts/release.sh", "#!/bin/sh\n"),
        (
            "content/README.md",
            "# Home\n\n[guide](release/guide.md#the-steps) [section](release/) [readme](release/README.md)\n\
             [spaced](notes/my%20notes.md) [same](#home) [out](../scripts/release.sh) [web](https://example.org/x.md)\n\
             ![diagram](img/flow.svg)\n",
        ),
        (
            "content/release/README.md",
            "# Release\n\n[up](../README.md) [sibling](guide.md)\n",
        ),
        ("content/release/guide.md", "# Guide\n\n## The steps\n"),
        ("content/notes/my notes.md", "# Notes\n"),
        (
            "content/img/flow.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    site.build(&[]);
    let home = site.read("public/index.html");
    let hrefs = attr_values(main_of(&home), "href");
    assert!(hrefs.contains(&"release/guide.html#the-steps"), "{hrefs:?}");
    assert!(hrefs.contains(&"release/index.html"), "{hrefs:?}");
    assert!(hrefs.contains(&"notes/my%20notes.html"), "{hrefs:?}");
    assert!(hrefs.contains(&"#home"), "{hrefs:?}");
    assert!(hrefs.contains(&"_repo/scripts/release.sh"), "{hrefs:?}");
    assert!(
        hrefs.contains(&"https://example.org/x.md"),
        "external links are kept: {hrefs:?}"
    );
    assert_eq!(attr_values(main_of(&home), "src"), ["img/flow.svg"]);
    assert!(site.exists("public/img/flow.svg"), "images are copied");
    assert!(site.exists("public/notes/my notes.html"));
    assert_eq!(
        site.read("public/_repo/scripts/release.sh"),
        "#!/bin/sh\n",
        "linked repo files are copied"
    );

    let section = site.read("public/release/index.html");
    let hrefs = attr_values(main_of(&section), "href");
    assert!(
        hrefs.contains(&"../index.html") && hrefs.contains(&"guide.html"),
        "{hrefs:?}"
    );
}

#[test]
fn links_out_of_content_go_to_the_repository_when_configured() {
    let site = Fixture::with(&[
        (
            "almanac.yaml",
            "repo_url: https://git.example.org/team/tool/\n",
        ),
        ("scripts/x.sh", "echo\n"),
        ("content/README.md", "# Home\n\n[script](../scripts/x.sh)\n"),
    ]);
    site.build(&[]);
    let home = site.read("public/index.html");
    assert!(
        attr_values(main_of(&home), "href")
            .contains(&"https://git.example.org/team/tool/blob/main/scripts/x.sh")
    );
    assert!(
        home.contains("https://git.example.org/team/tool/edit/main/content/README.md"),
        "edit link"
    );
    assert!(!site.exists("public/_repo"));
}

#[test]
fn pages_are_ordered_by_weight_then_title() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        ("content/zeta.md", "---\nweight: 1\n---\n# Zeta\n"),
        ("content/alpha.md", "# Alpha\n"),
        ("content/beta.md", "---\nweight: 2\n---\n# Beta\n"),
        ("content/Gamma.md", "# gamma\n"),
        (
            "content/ops/README.md",
            "---\nweight: 3\ntitle: Operations\n---\n",
        ),
        ("content/ops/b.md", "# B\n"),
        ("content/ops/a.md", "# A\n"),
    ]);
    site.build(&[]);
    let home = site.read("public/index.html");
    let nav = &home[home.find("<nav class=\"al-sidebar\"").unwrap()..home.find("</nav>").unwrap()];
    let titles: Vec<&str> = nav
        .split("\">")
        .skip(1)
        .filter_map(|s| s.split("</a>").next())
        .filter(|s| !s.contains('<'))
        .collect();
    // Weighted pages first by weight, then the rest by title (case-insensitive); sections nest.
    assert_eq!(
        titles,
        [
            "Home",
            "Zeta",
            "Beta",
            "Operations",
            "A",
            "B",
            "Alpha",
            "gamma"
        ]
    );

    // prev/next follow the same order, across sections.
    let b = site.read("public/ops/b.html");
    assert!(b.contains("rel=\"prev\" href=\"a.html\""), "{b}");
    assert!(b.contains("rel=\"next\" href=\"../alpha.html\""), "{b}");
    // Breadcrumbs lead back through the section.
    assert!(
        b.contains(
            "<ol><li><a href=\"../index.html\">Home</a></li>\
             <li><a href=\"index.html\">Operations</a></li>\
             <li aria-current=\"page\">B</li></ol>"
        ),
        "{b}"
    );
}

#[test]
fn drafts_are_skipped_unless_asked_for() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        (
            "content/wip.md",
            "---\ndraft: true\n---\n# Work in progress\n",
        ),
    ]);
    site.build(&[]);
    assert!(!site.exists("public/wip.html"));
    site.build(&["--drafts"]);
    assert!(site.read("public/wip.html").contains("Work in progress"));
}

#[test]
fn site_templates_override_the_theme_file_by_file() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        ("content/page.md", "# A page\n\nBody text.\n"),
        (
            "templates/section.html",
            "<!DOCTYPE html><title>{{ page.title }}</title><main>custom {{ page.content | safe }}</main>",
        ),
    ]);
    site.build(&[]);
    let home = site.read("public/index.html");
    assert!(
        home.starts_with("<!DOCTYPE html><title>Home</title><main>custom <h1 id=\"home\">"),
        "{home}"
    );
    // Pages still use the theme's own page.html.
    let page = site.read("public/page.html");
    assert!(
        page.contains("class=\"al-sidebar\"") && page.contains("Body text."),
        "{page}"
    );
}

#[test]
fn zero_config_builds_a_plain_docs_folder() {
    let site = Fixture::with(&[
        (
            "docs/index.md",
            "# Project docs\n\nSee [setup](setup.md).\n",
        ),
        ("docs/setup.md", "# Setup\n"),
        ("README.md", "# Repo readme, not part of the docs\n"),
    ]);
    let run = site.build(&[]);
    assert!(run.stderr.contains("built 2 pages"), "{}", run.stderr);
    assert!(
        site.read("public/index.html")
            .contains("href=\"setup.html\"")
    );
}

#[test]
fn zero_config_builds_a_folder_of_markdown() {
    let site = Fixture::with(&[("notes.md", "# Notes\n"), ("README.md", "# Top\n")]);
    site.build(&[]);
    assert!(site.exists("public/index.html") && site.exists("public/notes.html"));
}

#[test]
fn base_url_enables_the_sitemap() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        ("content/a b.md", "# A\n"),
    ]);
    site.build(&[]);
    assert!(!site.exists("public/sitemap.xml"));
    site.build(&["--base-url", "https://docs.example.org/handbook/"]);
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://docs.example.org/handbook/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://docs.example.org/handbook/a%20b.html</loc>"),
        "{sitemap}"
    );
    // The 404 page is served from any path, so its links are absolute when the URL is known.
    assert!(
        site.read("public/404.html")
            .contains("href=\"https://docs.example.org/handbook/index.html\"")
    );
}

#[test]
fn the_built_404_page_carries_the_nav_with_absolute_links_when_the_url_is_known() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        ("content/ops/README.md", "# Operations\n"),
        ("content/ops/run book.md", "# Run book\n"),
    ]);
    let sidebar = |html: &str| {
        html.split_once("<nav class=\"al-sidebar\"")
            .and_then(|(_, rest)| rest.split_once("</nav>"))
            .map(|(nav, _)| nav.to_string())
            .unwrap_or_else(|| panic!("no sidebar in {html}"))
    };
    site.build(&["--base-url", "https://docs.example.org/handbook/"]);
    let html = site.read("public/404.html");
    let nav = sidebar(&html);
    for link in [
        "href=\"https://docs.example.org/handbook/index.html\"",
        "href=\"https://docs.example.org/handbook/ops/index.html\"",
        "href=\"https://docs.example.org/handbook/ops/run%20book.html\"",
    ] {
        assert!(nav.contains(link), "{link} in {nav}");
    }
    assert!(html.contains("href=\"https://docs.example.org/handbook/assets/almanac.css\""));
    assert!(!nav.contains("aria-current"), "{nav}");
    // Without the URL, the nav is there with links from the site's root
    // folder (where hosts serve 404.html).
    site.build(&[]);
    let nav = sidebar(&site.read("public/404.html"));
    assert!(nav.contains("href=\"ops/run%20book.html\""), "{nav}");
    assert!(!nav.contains("https://"), "{nav}");
}

#[test]
fn front_matter_feeds_the_page() {
    let site = Fixture::with(&[(
        "content/README.md",
        "---\ntitle: Hotfix guide\ndescription: When and how to ship a hotfix.\naudience: [Release managers]\n\
         owner: '@ops'\nreview_by: 2030-01-01\naliases: [old/hotfix.md]\n---\nBody without a heading.\n",
    )]);
    site.build(&[]);
    let html = site.read("public/index.html");
    assert!(
        html.contains("<h1>Hotfix guide</h1>"),
        "a title heading is added when the body has none"
    );
    assert!(
        html.contains("<meta name=\"description\" content=\"When and how to ship a hotfix.\">")
    );
    assert!(
        html.contains("Release managers")
            && html.contains("Owner: @ops")
            && html.contains("Review by 2030-01-01")
    );
    assert!(
        site.read("public/old/hotfix.html")
            .contains("url=../index.html"),
        "aliases redirect"
    );
}

#[test]
fn markdown_extensions_render() {
    let site = Fixture::with(&[(
        "content/README.md",
        "# Ext\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n- [ ] todo\n\n\
         Text[^1].\n\n[^1]: The note.\n\n> [!WARNING]\n> Careful.\n",
    )]);
    site.build(&[]);
    let html = site.read("public/index.html");
    let main = main_of(&html);
    assert!(main.contains("<table>") && main.contains("<del>old</del>"));
    assert!(main.contains("type=\"checkbox\"") && main.contains("checked"));
    assert!(main.contains("class=\"footnote-definition\" id=\"1\""));
    assert!(main.contains("<div class=\"alert alert-warning\" role=\"note\">"));
    assert!(main.contains("<p class=\"alert-title\">Warning</p>"));
}

/// The class names that the selectors of a style sheet name (comments left
/// out), selector by selector: `.al-nav .al-active > a` gives both.
fn css_selector_classes(css: &str) -> Vec<(String, String)> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(open) = rest.find("/*") {
        text.push_str(&rest[..open]);
        rest = rest[open..]
            .find("*/")
            .map_or("", |end| &rest[open + end + 2..]);
    }
    text.push_str(rest);
    let mut found = Vec::new();
    let blocks: Vec<&str> = text.split('{').collect();
    // What comes before each `{`, after the last `}`, is a selector (or an
    // at-rule's prelude); declarations never precede a `{`.
    for piece in &blocks[..blocks.len() - 1] {
        let selector = piece.rsplit('}').next().unwrap().trim();
        let bytes = selector.as_bytes();
        for (i, _) in selector.match_indices('.') {
            let after_digit = i > 0 && bytes[i - 1].is_ascii_digit();
            if after_digit || !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
                continue;
            }
            let name: String = selector[i + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            found.push((selector.to_string(), name));
        }
    }
    found
}

/// Issue 18: pages adopted from Hugo, Docsy, Bootstrap or MkDocs write raw
/// HTML with classes like `sidebar`, `nav`, `active` and `badge`. The theme's
/// own classes are all `al-…`, so those keep whatever the page meant and pick
/// up none of the theme's layout (a page's `sidebar` is not made sticky).
#[test]
fn a_pages_own_classes_are_not_the_themes() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        (
            "content/docsy.md",
            "# Docsy\n\n## One\n\n## Two\n\n\
             <div class=\"sidebar\"><ul class=\"nav\"><li class=\"active\">x</li></ul></div>\n\n\
             A <span class=\"badge\">b</span> in text.\n",
        ),
    ]);
    site.build(&[]);
    let html = site.read("public/docsy.html");
    let main = main_of(&html);
    assert!(
        main.contains(
            "<div class=\"sidebar\"><ul class=\"nav\"><li class=\"active\">x</li></ul></div>"
        ),
        "{main}"
    );
    assert!(
        main.contains("A <span class=\"badge\">b</span> in text."),
        "{main}"
    );
    // Those classes are the page's alone: the chrome around it has its own.
    for class in [
        "sidebar", "nav", "active", "badge", "content", "main", "layout",
    ] {
        assert_eq!(
            html.matches(&format!("class=\"{class}\"")).count(),
            usize::from(["sidebar", "nav", "active", "badge"].contains(&class)),
            "class=\"{class}\" in {html}"
        );
    }
    for chrome in [
        "<nav class=\"al-sidebar\"",
        "<ul class=\"al-nav\">",
        "<li class=\"al-active\">",
        "<main class=\"al-main\"",
        "<article class=\"al-content\">",
        "<div class=\"al-layout\">",
    ] {
        assert!(html.contains(chrome), "{chrome} in {html}");
    }
    let css = site.read("public/assets/almanac.css");
    let classes = css_selector_classes(&css);
    assert!(classes.len() > 100, "{classes:?}");
    for (selector, class) in &classes {
        assert!(
            ![
                "sidebar", "nav", "active", "badge", "content", "main", "layout"
            ]
            .contains(&class.as_str()),
            "the theme styles a page's `.{class}`: `{selector}`"
        );
    }
    // What the theme styles without its prefix is page markup that the
    // markdown pass writes or that MkDocs and GitHub pages mean: admonitions
    // and their types, alerts, tabs, card grids, definitions, footnotes.
    let page_markup = [
        "admonition",
        "admonition-title",
        "alert",
        "alert-title",
        "alert-tip",
        "alert-important",
        "alert-warning",
        "alert-caution",
        "tabbed-set",
        "tabbed-content",
        "definition",
        "grid",
        "cards",
        "card",
        "mermaid",
        "footnote-definition",
        "footnote-definition-label",
        "note",
        "tip",
        "hint",
        "success",
        "check",
        "done",
        "important",
        "example",
        "warning",
        "caution",
        "attention",
        "failure",
        "fail",
        "missing",
        "danger",
        "error",
        "bug",
        "quote",
        "cite",
    ];
    for (selector, class) in &classes {
        assert!(
            class.starts_with("al-") || page_markup.contains(&class.as_str()),
            "`.{class}` is neither the theme's (al-) nor page markup: `{selector}`"
        );
    }
}

#[test]
fn unknown_config_key_fails_with_its_position() {
    let site = Fixture::with(&[
        ("almanac.yaml", "title: x\nbase_ulr: https://x\n"),
        ("content/README.md", "# Home\n"),
    ]);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--> almanac.yaml:2:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown field `base_ulr`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("base_ulr: https://x"),
        "the offending line is shown: {}",
        run.stderr
    );
    assert!(!site.exists("public"));
}

#[test]
fn rebuilds_rewrite_only_what_changed_and_remove_what_went() {
    use std::os::unix::fs::MetadataExt;
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        ("content/a.md", "# A\n\nFirst.\n"),
        ("content/b.md", "# B\n\nFirst.\n"),
    ]);
    site.build(&[]);
    let inode = |rel: &str| std::fs::metadata(site.path(rel)).unwrap().ino();
    let (a, b) = (inode("public/a.html"), inode("public/b.html"));

    site.write("content/b.md", "# B\n\nSecond.\n");
    let run = site.build(&[]);
    assert_eq!(
        inode("public/a.html"),
        a,
        "an unchanged page is not rewritten"
    );
    assert_ne!(inode("public/b.html"), b);
    assert!(site.read("public/b.html").contains("Second."));
    // b.html and the search index changed; nothing was removed.
    assert!(
        run.stderr.contains("(2 files written,") && run.stderr.contains(" 0 removed)"),
        "{}",
        run.stderr
    );

    // A guide that goes takes its page along; a stray file where a folder
    // now goes makes way; the result is what a first build writes.
    std::fs::remove_file(site.path("content/a.md")).unwrap();
    site.write("public/ops", "a stray file");
    site.write("public/stale/old.html", "gone soon");
    site.write("content/ops/x.md", "# X\n");
    site.build(&[]);
    assert!(!site.exists("public/a.html") && !site.exists("public/stale"));
    assert!(site.read("public/ops/x.html").contains("<h1"));
    site.build(&["--out", "fresh"]);
    assert_eq!(site.snapshot("public"), site.snapshot("fresh"));
}

#[test]
fn broken_front_matter_fails_and_leaves_the_previous_output() {
    let site = Fixture::with(&[("content/README.md", "# Home\n"), ("content/a.md", "# A\n")]);
    site.build(&[]);
    let before = site.snapshot("public");
    site.write("content/a.md", "---\ntitle: A\nweight: [1\n---\n# A\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("content/a.md:3:9"), "{}", run.stderr);
    assert!(
        run.stderr.contains("weight: [1"),
        "the offending line is shown: {}",
        run.stderr
    );
    assert_eq!(
        site.snapshot("public"),
        before,
        "public/ must be byte-identical"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("almanac-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left behind: {leftovers:?}"
    );
}

#[test]
fn unclosed_front_matter_is_an_error() {
    let site = Fixture::with(&[("content/README.md", "---\ntitle: Home\n\n# Home\n")]);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("front matter is never closed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/README.md:1:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: end the front matter"),
        "{}",
        run.stderr
    );
}

#[test]
fn template_errors_name_the_template_line_and_column() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        (
            "templates/page.html",
            "<html>\n<body>\n{{ page.title }}\n</body>\n",
        ),
        ("content/a.md", "# A\n"),
    ]);
    site.build(&[]);
    let before = site.snapshot("public");
    site.write(
        "templates/page.html",
        "<html>\n<body>\n{{ page.title }\n</body>\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("templates/page.html:3:15"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("{{ page.title }"), "{}", run.stderr);
    assert_eq!(site.snapshot("public"), before);
}

#[test]
fn template_rendering_errors_are_reported() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        (
            "templates/section.html",
            "<main>\n{{ page.title | no_such_filter }}\n</main>\n",
        ),
    ]);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("templates/section.html:2:17"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Unknown filter `no_such_filter`"),
        "{}",
        run.stderr
    );
    assert!(!site.exists("public"));
}

#[test]
fn a_rebuild_failing_midway_leaves_the_previous_output() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n\nChanged later.\n"),
        ("content/a.md", "# A\n"),
        ("content/b.md", "# B\n"),
    ]);
    site.build(&[]);
    let before = site.snapshot("public");
    // The home page renders (and differs) before the guides' template fails.
    site.write("content/README.md", "# Home\n\nChanged.\n");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.no_such_field.deeper }}{% endblock main %}",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("templates/page.html"), "{}", run.stderr);
    assert_eq!(site.snapshot("public"), before);
}

#[test]
fn invalid_data_file_is_located() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        (
            "data/calendar.yaml",
            "releases:\n  - version: 1.0.0\n    planned: { release: 2025-01-06\n",
        ),
    ]);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("data/calendar.yaml:"), "{}", run.stderr);
}

#[test]
fn strict_fails_on_broken_links_and_writes_nothing() {
    let site = Fixture::with(&[
        (
            "content/README.md",
            "# Home\n\n[gone](missing.md) [anchor](other.md#nope)\n",
        ),
        ("content/other.md", "# Other\n\n## Yes\n"),
    ]);
    let run = site.build(&[]);
    assert!(
        run.stderr
            .contains("content/README.md:3:8: error[broken-link]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/README.md:3:29: error[broken-anchor]"),
        "{}",
        run.stderr
    );
    std::fs::remove_dir_all(site.path("public")).unwrap();
    let run = site.run(&["build", "--strict"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!site.exists("public"));
}

#[test]
fn refuses_to_replace_the_project_with_its_output() {
    let site = Fixture::with(&[("content/README.md", "# Home\n")]);
    for out in [".", "content", ".."] {
        let run = site.run(&["build", "--out", out]);
        assert_eq!(run.code, 2, "--out {out}: {}", run.stderr);
        assert!(
            run.stderr.contains("refusing to write the site"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(site.read("content/README.md"), "# Home\n");
}

#[test]
fn empty_content_is_an_error_not_an_empty_site() {
    let site = Fixture::with(&[("content/.keep", "")]);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no markdown guides found in `content`"),
        "{}",
        run.stderr
    );
}

#[test]
fn static_files_are_copied_verbatim() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        ("static/robots.txt", "User-agent: *\n"),
    ]);
    site.build(&[]);
    assert_eq!(site.read("public/robots.txt"), "User-agent: *\n");
    assert!(site.exists("public/assets/almanac.css"));
}

#[test]
fn search_index_is_a_script_safe_call_with_every_page() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n\nWelcome.\n"),
        (
            "content/tags.md",
            "# Closing `</script>` tags\n\n## Escaping `<b>`\n\nText with `</script>` in it.\n\n\
             ## Rollback {#undo}\n\n## Déjà vu\n",
        ),
    ]);
    site.build(&[]);
    let script = site.read("public/search-index.js");
    assert!(!script.contains("</script"), "{script}");
    let json = script
        .strip_prefix("window.almanacSearch && window.almanacSearch(")
        .and_then(|s| s.strip_suffix(");\n"))
        .expect("a call with the index");
    let index: serde_json::Value = serde_json::from_str(json).unwrap();
    let titles: Vec<&str> = index["p"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Home", "Closing </script> tags"]);
    // The second page's sections: its start, then each h2 with its id.
    let sections: Vec<(&str, &str)> = index["e"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e[0] == 1)
        .map(|e| (e[1].as_str().unwrap(), e[2].as_str().unwrap()))
        .collect();
    assert_eq!(
        sections,
        [
            ("", ""),
            ("escaping-b", "Escaping <b>"),
            ("undo", "Rollback"),
            ("déjà-vu", "Déjà vu")
        ]
    );
    assert!(
        index["e"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e[3].as_str().unwrap().contains("Text with </script> in it")),
        "{index}"
    );
}

#[test]
fn long_folders_show_a_window_of_the_navigation() {
    let site = Fixture::with(&[("content/README.md", "# Home\n")]);
    site.write("content/ops/README.md", "# Operations\n");
    for i in 0..250 {
        site.write(
            &format!("content/ops/p{i:03}.md"),
            &format!("# Page {i:03}\n"),
        );
    }
    site.build(&[]);
    let page = site.read("public/ops/p120.html");
    let nav = &page[page.find("<nav class=\"al-sidebar\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    let titles: Vec<&str> = nav
        .split("\">")
        .skip(1)
        .filter_map(|s| s.split("</a>").next())
        .collect();
    let pages: Vec<&str> = titles
        .iter()
        .copied()
        .filter(|t| t.starts_with("Page "))
        .collect();
    // A window of 21 around the current page, the rest one link each side
    // to the folder's page, which lists them all.
    let expected: Vec<String> = (110..=130).map(|i| format!("Page {i:03}")).collect();
    assert_eq!(pages, expected);
    assert!(titles.contains(&"110 more in Operations"), "{titles:?}");
    assert!(titles.contains(&"119 more in Operations"), "{titles:?}");
    assert!(nav.contains("aria-current=\"page\">Page 120<"));
    // Every row links to a page that is there, from this page's folder.
    for href in attr_values(nav, "href") {
        let target = site.path("public/ops").join(href);
        assert!(target.is_file(), "{href} from ops/p120.html");
    }
    // At the start of the folder the window starts there too.
    let first = site.read("public/ops/p000.html");
    assert!(first.contains("229 more in Operations"));
    assert!(!first.contains(">0 more"));
    // The folder's page lists every page.
    let folder = site.read("public/ops/index.html");
    assert_eq!(main_of(&folder).matches("class=\"al-card\"").count(), 250);
}

#[test]
fn folders_above_the_current_one_show_a_short_window() {
    let site = Fixture::with(&[("content/README.md", "# Home\n")]);
    site.write("content/ops/README.md", "# Operations\n");
    for i in 0..250 {
        site.write(
            &format!("content/ops/p{i:03}.md"),
            &format!("# Page {i:03}\n"),
        );
    }
    // Sorted by title, the sub-folder comes right after "Page 120".
    site.write("content/ops/deep/README.md", "# Page 120 and on\n");
    for i in 0..30 {
        site.write(
            &format!("content/ops/deep/d{i:02}.md"),
            &format!("# Deep {i:02}\n"),
        );
    }
    site.build(&[]);
    let titles = |rel: &str| -> Vec<String> {
        let page = site.read(rel);
        let nav = &page[page.find("<nav class=\"al-sidebar\"").unwrap()..];
        let nav = &nav[..nav.find("</nav>").unwrap()];
        nav.split("\">")
            .skip(1)
            .filter_map(|s| s.split("</a>").next())
            .map(str::to_string)
            .collect()
    };
    let nav = titles("public/ops/deep/d15.html");
    let ops: Vec<&str> = nav
        .iter()
        .map(String::as_str)
        .filter(|t| t.starts_with("Page "))
        .collect();
    // Two entries each side of the open folder, then links to the rest.
    assert_eq!(
        ops,
        [
            "Page 119",
            "Page 120",
            "Page 120 and on",
            "Page 121",
            "Page 122"
        ]
    );
    assert!(
        nav.contains(&"119 more in Operations".to_string()),
        "{nav:?}"
    );
    assert!(
        nav.contains(&"127 more in Operations".to_string()),
        "{nav:?}"
    );
    // The current page's own folder keeps the long window.
    let deep: Vec<String> = (5..=25).map(|i| format!("Deep {i:02}")).collect();
    let shown: Vec<&String> = nav.iter().filter(|t| t.starts_with("Deep ")).collect();
    assert_eq!(shown, deep.iter().collect::<Vec<_>>());
    // On the folder's own page, its entries are its list, not an ancestor's.
    let folder = titles("public/ops/deep/index.html");
    let shown = folder.iter().filter(|t| t.starts_with("Deep ")).count();
    assert_eq!(shown, 21, "{folder:?}");
}

#[test]
fn templates_get_the_navigation_as_rows_or_as_markup() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        ("content/a.md", "# A & B\n"),
        (
            "templates/page.html",
            "{% for item in page.nav %}[{{ item.depth }} {{ item.title }}{% if item.active %} *{% endif %}]{% endfor %}",
        ),
        ("templates/section.html", "{{ page.nav_html | safe }}"),
    ]);
    site.build(&[]);
    assert_eq!(site.read("public/a.html"), "[0 Home][0 A &amp; B *]");
    let home = site.read("public/index.html");
    assert_eq!(
        home,
        "<ul class=\"al-nav\">\n\
         <li class=\"al-nav-section al-active\"><a href=\"index.html\" aria-current=\"page\">Home</a></li>\n\
         <li><a href=\"a.html\">A &amp; B</a></li>\n\
         </ul>"
    );
}

#[test]
fn the_navigation_nests_folders_and_links_by_the_shortest_path() {
    let site = Fixture::with(&[
        (
            "content/README.md",
            "# Home
",
        ),
        (
            "content/ops/README.md",
            "# Ops
",
        ),
        (
            "content/ops/a.md",
            "# A
",
        ),
        (
            "content/ops/deep/README.md",
            "# Deep
",
        ),
        (
            "content/ops/deep/b.md",
            "# B
",
        ),
        (
            "content/z.md",
            "# Z
",
        ),
        ("templates/page.html", "{{ page.nav_html | safe }}"),
    ]);
    site.build(&[]);
    assert_eq!(
        site.read("public/ops/deep/b.html"),
        "<ul class=\"al-nav\">\n\
         <li class=\"al-nav-section\"><a href=\"../../index.html\">Home</a></li>\n\
         <li class=\"al-nav-section\"><a href=\"../index.html\">Ops</a><ul>\n\
         <li><a href=\"../a.html\">A</a></li>\n\
         <li class=\"al-nav-section\"><a href=\"index.html\">Deep</a><ul>\n\
         <li class=\"al-active\"><a href=\"b.html\" aria-current=\"page\">B</a></li>\n\
         </ul></li>\n\
         </ul></li>\n\
         <li><a href=\"../../z.html\">Z</a></li>\n\
         </ul>"
    );
}

#[test]
fn last_updated_is_the_last_commit_touching_each_guide() {
    use common::{Git, at};
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        ("content/ops/a.md", "# A\n"),
        ("content/b.md", "# B\n"),
    ]);
    let git = Git::init(&site);
    git.commit_all("docs: start", at("2025-01-02T10:00:00Z"));
    site.write("src/x.txt", "code\n");
    git.commit_all("feat: code only", at("2025-02-03T10:00:00Z"));
    site.write("content/ops/a.md", "# A\n\nMore.\n");
    git.commit_all("docs: a", at("2025-03-04T10:00:00Z"));
    site.write("src/x.txt", "more code\n");
    site.write("README.md", "outside the content\n");
    git.commit_all("feat: more code", at("2025-04-05T10:00:00Z"));
    site.build(&[]);
    let updated = |page: &str| {
        let html = site.read(page);
        let at = html.find("Last updated ").expect("a date");
        html[at + 13..at + 23].to_string()
    };
    assert_eq!(updated("public/ops/a.html"), "2025-03-04");
    assert_eq!(updated("public/b.html"), "2025-01-02");
    assert_eq!(updated("public/index.html"), "2025-01-02");
}

#[test]
fn titles_the_quick_scan_misses_still_name_their_pages() {
    // The navigation is laid out from a quick scan of each page's first
    // heading; these two fool it, and the build notices and renders again.
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        ("content/a.md", "- # Listed title\n"),
        ("content/b.md", "# [Referenced title][r]\n\n[r]: a.md\n"),
    ]);
    let run = site.build(&["-v"]);
    assert!(
        run.stderr.contains("render and write again"),
        "{}",
        run.stderr
    );
    let home = site.read("public/index.html");
    assert!(home.contains(">Listed title</a>"), "{home}");
    assert!(home.contains(">Referenced title</a>"), "{home}");
    assert!(
        site.read("public/b.html")
            .contains("<title>Referenced title · ")
    );
}

#[test]
fn a_file_written_twice_keeps_its_last_bytes_on_every_build() {
    // An alias naming an existing page writes that path twice (the page,
    // then the redirect). A rebuild must not trip over it.
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        ("content/a.md", "---\naliases: [b.md]\n---\n# A\n"),
        ("content/b.md", "# B\n"),
    ]);
    site.build(&[]);
    let first = site.read("public/b.html");
    assert!(first.contains("url=a.html"), "{first}");
    let run = site.build(&[]);
    assert_eq!(site.read("public/b.html"), first);
    assert!(run.stderr.contains(" 0 removed)"), "{}", run.stderr);
}

#[test]
fn titles_and_front_matter_past_the_first_lines_are_read() {
    // Past its source budget a build first reads only each file's first
    // lines (4 KB): a title or front matter further down is read from the
    // whole file, and the first look never passes for the page (its body is
    // rendered whole). Within the budget sources are read whole once. Both
    // ways give the same site.
    let filler = "Some words of a long introduction. ".repeat(200);
    let late_heading = format!("{filler}\n\n# Late heading\n\nThe end of the late page.\n");
    let long_front = format!(
        "---\ntitle: Long front matter\ndescription: {}\n---\n# Body heading\n\nThe end of the long page.\n",
        "d".repeat(5000)
    );
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        ("content/late.md", &late_heading),
        ("content/long.md", &long_front),
        ("content/short.md", "# Short\n"),
        // Past the budget only the lines up to the title are kept until
        // the page is written: the rest is read again then.
        (
            "content/setext.md",
            "Setext title\n============\n\nThe end of the setext page.\n",
        ),
    ]);
    let mut sites = Vec::new();
    for budget in ["0", "256"] {
        let run = site.run_env(&["build", "-v"], &[("ALMANAC_SOURCE_BUDGET_MB", budget)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        // Read correctly at first: no second pass was needed.
        assert!(
            !run.stderr.contains("render and write again"),
            "{}",
            run.stderr
        );
        let home = site.read("public/index.html");
        assert!(home.contains(">Late heading</a>"), "{home}");
        assert!(home.contains(">Long front matter</a>"), "{home}");
        assert!(home.contains(">Short</a>"), "{home}");
        assert!(home.contains(">Setext title</a>"), "{home}");
        let setext = site.read("public/setext.html");
        assert!(setext.contains("The end of the setext page."), "{setext}");
        let late = site.read("public/late.html");
        assert!(late.contains("The end of the late page."), "{late}");
        let long = site.read("public/long.html");
        assert!(long.contains("<title>Long front matter · "), "{long}");
        assert!(long.contains("The end of the long page."), "{long}");
        sites.push(site.snapshot("public"));
    }
    assert!(sites[0] == sites[1], "the budget changed the site");
}

#[test]
fn the_diagram_script_ships_only_with_diagrams() {
    let site = Fixture::with(&[("content/README.md", "# Home\n")]);
    site.build(&[]);
    assert!(site.exists("public/assets/almanac.js"));
    assert!(!site.exists("public/assets/vendor/mermaid.min.js"));
    site.write(
        "content/flow.md",
        "# Flow\n\n```mermaid\ngraph TD; a-->b\n```\n",
    );
    site.build(&[]);
    assert!(site.exists("public/assets/vendor/mermaid.min.js"));
    assert!(site.exists("public/assets/vendor/mermaid.LICENSE"));
    // Gone again with the last diagram.
    site.write("content/flow.md", "# Flow\n");
    site.build(&[]);
    assert!(!site.exists("public/assets/vendor/mermaid.min.js"));
}

/// A theme folder with only the template it changes builds: the report
/// pages, the 404 and the rest come from the built-in theme (a theme written
/// before `report_page.html` existed used to stop the build).
#[test]
fn a_theme_with_one_template_gets_the_rest_built_in() {
    let site = Fixture::with(&[
        ("almanac.yaml", "title: Themed\ntheme: plain\n"),
        ("content/README.md", "# Home\n\nWelcome.\n"),
        (
            "themes/plain/templates/page.html",
            "{% extends \"base.html\" %}{% block main %}<p class=\"plain\">{{ page.title }}</p>{% endblock main %}",
        ),
        (
            "data/calendar.yaml",
            "releases:\n  - { version: 1.0.0, type: minor, planned: { release: 2026-07-07 }, actual: { release: 2026-07-08 } }\n",
        ),
    ]);
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.read("public/index.html")
            .contains("<p class=\"plain\">Home</p>")
    );
    assert!(site.read("public/404.html").contains("Page not found"));
    assert!(site.read("public/reports/2026-Q3.html").contains("1.0.0"));
}

#[test]
fn a_build_judges_the_links_as_check_does() {
    // A build checks its pages' links as it writes them, from sources it
    // does not keep: what needs a page's text (a reference link with no
    // definition, an id a MkDocs hook makes from words on the page) is
    // judged as `check` judges it, with the sources whole or past the budget.
    let site = Fixture::with(&[
        (
            "content/README.md",
            "# Home\n\nSee [the guide][nowhere], [b](b.md#missing) and [c](c.md).\n",
        ),
        ("content/b.md", "# B\n\n## Present\n"),
    ]);
    // A build's findings, `file:line:col: error[kind]: message`.
    let findings = |stderr: &str| -> Vec<String> {
        let mut lines: Vec<String> = stderr
            .lines()
            .filter(|l| l.contains(": error[") || l.contains(": warning["))
            .map(str::to_string)
            .collect();
        lines.sort();
        lines
    };
    // `check --format github`'s, written the same way.
    let check = site.run(&["check", "--format", "github"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let mut expected: Vec<String> = check
        .stdout
        .lines()
        .filter_map(|l| {
            let (severity, rest) = l.strip_prefix("::")?.split_once(" file=")?;
            let (file, rest) = rest.split_once(",line=")?;
            let (line, rest) = rest.split_once(",col=")?;
            let (col, rest) = rest.split_once(",title=almanac ")?;
            let (kind, message) = rest.split_once("::")?;
            Some(format!(
                "{file}:{line}:{col}: {severity}[{kind}]: {message}"
            ))
        })
        .collect();
    expected.sort();
    for kind in ["broken-reference", "broken-anchor", "broken-link"] {
        assert!(
            expected.iter().any(|l| l.contains(&format!("[{kind}]"))),
            "{kind}: {expected:?}"
        );
    }
    for budget in ["0", "256"] {
        let run = site.run_env(&["build"], &[("ALMANAC_SOURCE_BUDGET_MB", budget)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(findings(&run.stderr), expected, "budget {budget}");
    }
}
