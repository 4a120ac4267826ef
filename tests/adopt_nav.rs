//! Issue 18, part A: a docs site written for MkDocs, mdBook or Hugo keeps
//! its title, its navigation's order, names and sections, and the front
//! matter that means what almanac's means, with no almanac.yaml.

mod common;

use common::{Fixture, almanac};

/// The sidebar of `page` (output-relative) as (depth, title) rows, depth
/// counted in nested lists; a heading that is not a link is `[title]`.
fn nav(f: &Fixture, page: &str) -> Vec<(usize, String)> {
    let html = f.read(page);
    let start = html.find("<ul class=\"al-nav\">").expect("a nav");
    let mut rows = Vec::new();
    let mut depth = 0usize;
    let mut rest = &html[start + "<ul class=\"al-nav\">".len()..];
    loop {
        let next = ["<ul", "</ul>", "<a href=", "<span>"]
            .iter()
            .filter_map(|t| rest.find(t).map(|i| (i, *t)))
            .min();
        let Some((i, tag)) = next else { break };
        rest = &rest[i + tag.len()..];
        match tag {
            "<ul" => depth += 1,
            "</ul>" if depth == 0 => break,
            "</ul>" => depth -= 1,
            "<span>" => {
                let title = &rest[..rest.find("</span>").unwrap()];
                rows.push((depth, format!("[{title}]")));
            }
            _ => {
                let text = &rest[rest.find('>').unwrap() + 1..];
                rows.push((depth, text[..text.find("</a>").unwrap()].to_string()));
            }
        }
    }
    rows
}

fn titles(rows: &[(usize, String)]) -> Vec<&str> {
    rows.iter().map(|(_, t)| t.as_str()).collect()
}

fn site_title(f: &Fixture, page: &str) -> String {
    let html = f.read(page);
    let start = html.find("<title>").unwrap() + "<title>".len();
    html[start..start + html[start..].find("</title>").unwrap()].to_string()
}

#[test]
fn an_mkdocs_site_keeps_its_name_nav_order_titles_and_sections() {
    let f = Fixture::with(&[
        (
            "mkdocs.yml",
            "site_name: Widget Docs\nsite_description: All about widgets\nrepo_url: https://github.com/acme/widget\nedit_uri: edit/trunk/pages/\ndocs_dir: pages\nexclude_docs: |\n  drafts/\n  *.tmp.md\ntheme:\n  name: material\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\nnav:\n  - Home: index.md\n  - Getting started:\n    - Install it: zeta-install.md\n    - alpha-usage.md\n  - Setup:\n    - setup/index.md\n    - Colors: setup/colors.md\n    - Fonts: setup/b-fonts.md\n  - Reference:\n    - ref/z.md\n    - ref/a.md\n  - GitHub: https://github.com/acme/widget\n",
        ),
        // almanac's default content folder, which MkDocs' docs_dir overrides.
        ("content/stray.md", "# Stray\n"),
        ("pages/index.md", "# Welcome\n"),
        ("pages/zeta-install.md", "# Installation\n"),
        ("pages/alpha-usage.md", "# Usage\n"),
        ("pages/setup/index.md", "# Setting up\n"),
        ("pages/setup/colors.md", "# Changing the colors\n"),
        ("pages/setup/b-fonts.md", "# Changing the fonts\n"),
        ("pages/ref/z.md", "# Zed\n"),
        ("pages/ref/a.md", "# Ay\n"),
        ("pages/aaa-unlisted.md", "# Not in nav\n"),
        ("pages/drafts/wip.md", "# Work in progress\n"),
        ("pages/notes.tmp.md", "# Temp\n"),
    ]);
    f.build(&[]);
    assert!(site_title(&f, "public/index.html").contains("Widget Docs"));
    assert!(
        f.read("public/index.html").contains("All about widgets"),
        "site_description is the site's description"
    );
    let rows = nav(&f, "public/zeta-install.html");
    assert_eq!(
        titles(&rows),
        [
            // The nav's name for the home page.
            "Home",
            // A section over pages of no folder of their own is a heading.
            "[Getting started]",
            // Listed in nav, in its order, under its names.
            "Install it",
            "Usage",
            "Setup",
            "Colors",
            "Fonts",
            "Reference",
            "Zed",
            "Ay",
        ],
        "{rows:?}"
    );
    // The sections are nested as the nav nests them.
    assert!(rows.contains(&(1, "Install it".to_string())), "{rows:?}");
    assert!(rows.contains(&(1, "Colors".to_string())), "{rows:?}");
    assert!(rows.contains(&(1, "Ay".to_string())), "{rows:?}");
    // The page keeps its own heading; the nav's name is the nav's.
    assert!(
        f.read("public/zeta-install.html")
            .contains("<title>Installation")
    );
    // Left out of nav: built and reachable by its address, as MkDocs
    // does, but in no navigation and no previous/next chain.
    let unlisted = f.read("public/aaa-unlisted.html");
    assert!(unlisted.contains("<title>Not in nav"));
    assert!(!unlisted.contains("class=\"al-pager\"") || !unlisted.contains("rel=\"next\""));
    assert!(!f.read("public/ref/a.html").contains("aaa-unlisted"));
    // exclude_docs is honoured, and content/ is not MkDocs' docs_dir.
    assert!(!f.exists("public/drafts/wip.html"));
    assert!(!f.exists("public/notes.tmp.html"));
    assert!(!f.exists("public/stray.html"));
    // repo_url and edit_uri's branch make the edit links.
    assert!(
        f.read("public/zeta-install.html")
            .contains("https://github.com/acme/widget/edit/trunk/"),
        "edit link from repo_url and edit_uri"
    );
}

#[test]
fn an_almanac_yaml_wins_over_mkdocs_yml() {
    let f = Fixture::with(&[
        ("almanac.yaml", "title: Our handbook\n"),
        (
            "mkdocs.yml",
            "site_name: Widget Docs\nnav:\n  - b.md\n  - a.md\n",
        ),
        ("docs/index.md", "# Home\n"),
        ("docs/a.md", "# A\n"),
        ("docs/b.md", "# B\n"),
    ]);
    f.build(&[]);
    assert!(site_title(&f, "public/index.html").contains("Our handbook"));
    // What almanac.yaml does not say still comes from mkdocs.yml.
    assert_eq!(titles(&nav(&f, "public/a.html")), ["Home", "B", "A"]);
}

#[test]
fn an_mdbook_summary_orders_and_nests_the_nav_and_is_not_a_page() {
    let f = Fixture::with(&[
        (
            "book.toml",
            "[book]\nauthors = [\"Ann\"]\nlanguage = \"en\"\ntitle = \"The Widget Book\"\n\n[output.html]\ngit-repository-url = \"https://github.com/acme/book\"\n",
        ),
        (
            "src/SUMMARY.md",
            "# Summary\n\n[Introduction](README.md)\n\n# User guide\n\n- [Installing](guide/zz-install.md)\n- [Reading](guide/aa-read.md)\n\n# Reference\n\n- [Command line](cli/README.md)\n    - [build](cli/build.md)\n    - [init](cli/init.md)\n        - [Draft chapter]()\n- [Format](format/index.md)\n    - [Theme](format/theme/README.md)\n        - [index.hbs](format/theme/index-hbs.md)\n\n---\n\n[Contributors](misc/contributors.md)\n",
        ),
        ("src/README.md", "# Introduction\n"),
        ("src/guide/zz-install.md", "# Installation\n"),
        ("src/guide/aa-read.md", "# Reading books\n"),
        ("src/cli/README.md", "# Command-line tool\n"),
        ("src/cli/init.md", "# The init command\n"),
        (
            "src/cli/build.md",
            "# The build command\n\n```console\n{{#include ../../listings/build.txt:2:}}\n```\n\n{{#include ../shared/flags.md}}\n",
        ),
        ("listings/build.txt", "HEADER\n$ mdbook build\n"),
        ("src/shared/flags.md", "Flags: **--open** opens it.\n"),
        ("src/format/index.md", "# Format\n"),
        ("src/format/theme/README.md", "# Theme\n"),
        ("src/format/theme/index-hbs.md", "# index.hbs\n"),
        ("src/misc/contributors.md", "# Contributors\n"),
    ]);
    f.build(&[]);
    assert!(!f.exists("public/SUMMARY.html"), "SUMMARY.md is not a page");
    assert!(site_title(&f, "public/index.html").contains("The Widget Book"));
    let rows = nav(&f, "public/cli/build.html");
    assert_eq!(
        titles(&rows),
        [
            "Introduction",
            // Each part title is a heading over its chapters, whether they
            // share a folder or not, as mdBook shows it.
            "[User guide]",
            "Installing",
            "Reading",
            "[Reference]",
            "Command line",
            "build",
            "init",
            "Format",
            "Theme",
            "index.hbs",
            // A suffix chapter stays at the top, not under a "Misc" folder.
            "Contributors",
        ],
        "{rows:?}"
    );
    // Chapters follow their part at its level; sub-chapters nest.
    assert!(rows.contains(&(0, "[Reference]".to_string())), "{rows:?}");
    assert!(rows.contains(&(0, "Installing".to_string())), "{rows:?}");
    assert!(rows.contains(&(1, "init".to_string())), "{rows:?}");
    assert!(rows.contains(&(2, "index.hbs".to_string())), "{rows:?}");
    assert!(
        !f.exists("public/misc/index.html"),
        "no page for a folder the nav empties"
    );
    // The includes render in the page, and no page shows mdBook's syntax.
    let build = f.read("public/cli/build.html");
    let main = common::main_of(&build);
    assert!(
        main.contains(">mdbook<") && !main.contains("HEADER"),
        "{main}"
    );
    assert!(main.contains("<strong>--open</strong>"), "{main}");
    for page in [
        "index.html",
        "cli/build.html",
        "guide/aa-read.html",
        "format/theme/index-hbs.html",
    ] {
        let html = f.read(&format!("public/{page}"));
        assert_eq!(
            common::raw_syntax_left(common::main_of(&html)),
            Vec::<&str>::new(),
            "{page}"
        );
    }
}

#[test]
fn hugo_and_docusaurus_front_matter_orders_names_and_hides_pages() {
    let f = Fixture::with(&[
        ("content/_index.md", "---\ntitle: Goldydocs\n---\n"),
        (
            "content/docs/_index.md",
            "---\ntitle: Documentation\nlinkTitle: Docs\nweight: 20\n---\n",
        ),
        (
            "content/docs/getting-started.md",
            "---\ntitle: Getting Started with Goldydocs\nlinkTitle: Getting started\nweight: 2\nslug: start\n---\n# Getting Started with Goldydocs\n\n\
             {{% pageinfo %}}\nThis is a *placeholder* page.\n{{% /pageinfo %}}\n\n\
             {{< alert title=\"Note\" >}}Read **this** first.{{< /alert >}}\n\n\
             {{< tabpane >}}\n{{< tab header=\"Linux\" >}}\nRun `make`.\n{{< /tab >}}\n{{< /tabpane >}}\n",
        ),
        (
            "content/docs/overview.md",
            "---\ntitle: Overview\nsidebar_position: 1\n---\n",
        ),
        (
            "content/docs/zz.md",
            "---\ntitle: Last\nnav_order: 3\n---\n",
        ),
        (
            "content/docs/secret.md",
            "---\ntitle: Secret\ndraft: true\n---\n",
        ),
        ("content/about.md", "---\ntitle: About\nweight: 10\n---\n"),
    ]);
    let run = f.build(&[]);
    let rows = nav(&f, "public/docs/overview.html");
    assert_eq!(
        titles(&rows),
        [
            "Goldydocs",
            "About",
            "Docs",
            "Overview",
            "Getting started",
            "Last"
        ],
        "{rows:?}"
    );
    // Shortcodes leave their markdown rendered and nothing raw.
    let page = f.read("public/docs/getting-started.html");
    let main = common::main_of(&page);
    assert!(
        main.contains("<em>placeholder</em>") && main.contains("<strong>this</strong>"),
        "{main}"
    );
    assert!(main.contains("<code>make</code>"), "{main}");
    assert_eq!(common::raw_syntax_left(main), Vec::<&str>::new(), "{main}");
    // `_index.md` is the section's page, titled by its front matter.
    assert!(
        f.read("public/docs/index.html")
            .contains("<title>Documentation")
    );
    // The slug is an address of the page too.
    assert!(f.exists("public/docs/start/index.html"));
    assert!(!f.exists("public/docs/secret.html"));
    // These keys are almanac's, not extras to report.
    let check = f.run(&["check"]);
    for key in ["linkTitle", "sidebar_position", "nav_order", "slug"] {
        assert!(!check.stdout.contains(key), "{key}: {}", check.stdout);
        assert!(!run.stderr.contains(key), "{key}: {}", run.stderr);
    }
}

#[test]
fn the_title_is_the_readme_heading_not_a_capitalised_folder_name() {
    let f = Fixture::with(&[
        (
            "pmpc/README.md",
            "<!-- a comment -->\n[![CI](https://ci.example/badge.svg)](https://ci.example)\n\n# The **PMPC** project [![docs](x.svg)](y)\n\nText.\n",
        ),
        ("pmpc/docs/guide.md", "# Guide\n"),
        ("etcd/docs/guide.md", "# Guide\n"),
    ]);
    let root = f.path("pmpc");
    let run = almanac(&["-C", root.to_str().unwrap(), "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site_title(&f, "pmpc/public/index.html"), "The PMPC project");
    // No README, no remote: the folder as it is spelt.
    let root = f.path("etcd");
    let run = almanac(&["-C", root.to_str().unwrap(), "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site_title(&f, "etcd/public/index.html"), "etcd");
}

#[test]
fn the_title_is_the_remote_repository_name_when_there_is_no_readme() {
    let f = Fixture::with(&[("docs/guide.md", "# Guide\n")]);
    let repo = git2::Repository::init(f.root()).unwrap();
    repo.remote("origin", "git@github.com:acme/widget-docs.git")
        .unwrap();
    f.build(&[]);
    assert_eq!(site_title(&f, "public/index.html"), "widget-docs");
}

#[test]
fn a_hugo_config_names_the_site_and_its_default_languages_content() {
    let f = Fixture::with(&[
        (
            "hugo.toml",
            "baseURL = \"https://example.org/\"\ntitle = \"Goldydocs\"\ndefaultContentLanguage = \"en\"\n\n[params]\ndescription = \"A sample site\"\n\n[languages.en]\ncontentDir = \"content/en\"\n\n[languages.no]\ncontentDir = \"content/no\"\n",
        ),
        ("content/en/_index.md", "---\nlinkTitle: Start\n---\n"),
        (
            "content/en/docs/_index.md",
            "---\ntitle: Documentation\n---\n",
        ),
        ("content/en/docs/a.md", "---\ntitle: A page\n---\n"),
        ("content/no/docs/a.md", "---\ntitle: En side\n---\n"),
    ]);
    f.build(&[]);
    assert!(site_title(&f, "public/index.html").contains("Goldydocs"));
    assert!(f.read("public/index.html").contains("A sample site"));
    // The default language's content is the site, at its root.
    assert!(f.exists("public/docs/a.html"));
    assert!(!f.exists("public/no/docs/a.html"));
    assert_eq!(
        titles(&nav(&f, "public/docs/a.html")),
        ["Start", "Documentation", "A page"]
    );

    let f = Fixture::with(&[
        (
            "hugo.yaml",
            "title: Yaml Docs\ncontentDir: content/en\nlanguages:\n  en:\n    weight: 1\n",
        ),
        ("content/en/guide.md", "# Guide\n"),
    ]);
    f.build(&[]);
    assert!(site_title(&f, "public/guide.html").contains("Yaml Docs"));
    assert!(f.exists("public/guide.html"));
}

#[test]
fn docusaurus_categories_and_sidebar_labels_place_and_name_the_nav() {
    let f = Fixture::with(&[
        ("docs/intro.md", "---\nsidebar_position: 1\n---\n# Intro\n"),
        (
            "docs/tutorial-basics/_category_.json",
            "{\n  \"label\": \"Tutorial - Basics\",\n  \"position\": 2\n}\n",
        ),
        (
            "docs/tutorial-basics/create-a-page.md",
            "---\nsidebar_position: 1\nsidebar_label: New page\n---\n# Create a Page\n",
        ),
        (
            "docs/a-extras/_category_.yml",
            "label: Tutorial - Extras\nposition: 3\n",
        ),
        ("docs/a-extras/deploy.md", "# Deploy\n"),
    ]);
    f.build(&[]);
    let rows = nav(&f, "public/intro.html");
    assert_eq!(
        titles(&rows)[1..],
        [
            "Intro",
            "Tutorial - Basics",
            "New page",
            "Tutorial - Extras",
            "Deploy"
        ],
        "{rows:?}"
    );
    assert!(
        f.read("public/tutorial-basics/create-a-page.html")
            .contains("<title>Create a Page")
    );
}

#[test]
fn an_mkdocs_docs_dir_outside_the_project_is_not_followed() {
    let f = Fixture::with(&[
        ("outside/secret.md", "# Secret\n"),
        ("site/mkdocs.yml", "site_name: Mine\ndocs_dir: ../outside\n"),
        ("site/docs/guide.md", "# Guide\n"),
    ]);
    let root = f.path("site");
    let run = almanac(&["-C", root.to_str().unwrap(), "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(f.exists("site/public/guide.html"));
    assert!(!f.exists("site/public/secret.html"));
}

#[test]
fn a_mkdocs_section_over_pages_of_several_folders_nests_them_under_its_name() {
    // Material for MkDocs' own nav: a section of top-level pages and
    // folders, a section whose first entry is its index page and whose
    // other page lives elsewhere, and a section of one folder with no index.
    let f = Fixture::with(&[
        (
            "mkdocs.yml",
            "site_name: Shapes\nnav:\n  - Home: index.md\n  - Getting started:\n    - Installation: getting-started.md\n    - Tutorials:\n      - tutorials/index.md\n      - Blogs:\n        - tutorials/blogs/basic.md\n        - tutorials/blogs/engage.md\n    - Changelog:\n      - changelog/index.md\n      - How to upgrade: upgrade.md\n  - Setup:\n    - setup/index.md\n    - Colors: setup/colors.md\n",
        ),
        ("docs/index.md", "# Welcome\n"),
        ("docs/getting-started.md", "# Installation\n"),
        ("docs/tutorials/index.md", "# Tutorials\n"),
        ("docs/tutorials/blogs/basic.md", "# Basic blogs\n"),
        ("docs/tutorials/blogs/engage.md", "# Engagement\n"),
        ("docs/changelog/index.md", "# Changelog\n"),
        ("docs/upgrade.md", "# How to upgrade\n"),
        ("docs/setup/index.md", "# Setup\n"),
        ("docs/setup/colors.md", "# Changing the colors\n"),
    ]);
    f.build(&[]);
    let rows = nav(&f, "public/upgrade.html");
    let expected: Vec<(usize, String)> = [
        (0, "Home"),
        (0, "[Getting started]"),
        (1, "Installation"),
        (1, "Tutorials"),
        (2, "Blogs"),
        (3, "Basic blogs"),
        (3, "Engagement"),
        (1, "Changelog"),
        (2, "How to upgrade"),
        (0, "Setup"),
        (1, "Colors"),
    ]
    .iter()
    .map(|(d, t)| (*d, t.to_string()))
    .collect();
    assert_eq!(rows, expected);
    // Breadcrumbs follow the nav, not the folders: upgrade.md is at the
    // top of docs/, but sits under Getting started › Changelog.
    let html = f.read("public/upgrade.html");
    let crumbs = &html[html.find("class=\"al-breadcrumbs\"").unwrap()..];
    let crumbs = &crumbs[..crumbs.find("</nav>").unwrap()];
    let names: Vec<&str> = crumbs
        .split("\">")
        .skip(1)
        .filter_map(|s| s.split("</a>").next().filter(|_| s.contains("</a>")))
        .collect();
    assert_eq!(
        names,
        ["Welcome", "Getting started", "Changelog"],
        "{crumbs}"
    );
    // Previous and next follow the nav's reading order and skip the heading.
    let pager = |page: &str| {
        let html = f.read(page);
        let pager = &html[html.find("class=\"al-pager\"").unwrap()..];
        attr_hrefs(&pager[..pager.find("</nav>").unwrap()])
    };
    assert_eq!(pager("public/index.html"), ["getting-started.html"]);
    assert_eq!(
        pager("public/changelog/index.html"),
        ["../tutorials/blogs/engage.html", "../upgrade.html"]
    );
    assert_eq!(
        pager("public/upgrade.html"),
        ["changelog/index.html", "setup/index.html"]
    );
    // A heading is not a page.
    assert!(!f.exists("public/nav"));
}

fn attr_hrefs(html: &str) -> Vec<String> {
    common::attr_values(html, "href")
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_config_toml_is_hugos_or_zolas_only_when_it_has_their_base_url() {
    let hugo = Fixture::with(&[
        (
            "config.toml",
            "baseURL = \"https://example.org/\"\ntitle = \"Hugo Old Style\"\n[params]\ndescription = \"From params\"\n",
        ),
        (
            "content/_index.md",
            "+++\ntitle = \"Start\"\n+++\nWelcome.\n",
        ),
        (
            "content/docs/a.md",
            "+++\ntitle = \"A page\"\nlinkTitle = \"A\"\n+++\n# A page\n",
        ),
    ]);
    hugo.build(&[]);
    assert!(site_title(&hugo, "public/index.html").contains("Hugo Old Style"));
    assert!(hugo.read("public/index.html").contains("From params"));
    assert!(titles(&nav(&hugo, "public/docs/a.html")).contains(&"A"));
    // Some other tool's config.toml names nothing.
    let other = Fixture::with(&[
        (
            "config.toml",
            "title = \"Not a site\"\n[server]\nport = 8080\n",
        ),
        ("README.md", "# The real name\n"),
        ("docs/a.md", "# A\n"),
    ]);
    other.build(&[]);
    assert_eq!(site_title(&other, "public/index.html"), "The real name");
}

/// A Hugo site's `data/` is Hugo's: a `calendar.yml` the theme reads
/// (buildpacks' Teamup calendar) is left out with a warning, and the build
/// goes on; with an `almanac.yaml` the folder is almanac's, and the same
/// file is an error at its line. Front matter as Hugo and Docusaurus read
/// it: TOML begun on the `+++` line, YAML closed by a longer run of dashes.
#[test]
fn another_generators_data_and_front_matter_do_not_stop_the_build() {
    let f = Fixture::with(&[
        (
            "hugo.toml",
            "baseURL = \"https://example.org/\"\ntitle = \"Packs\"\n",
        ),
        (
            "data/calendar.yml",
            "# teamup calendar id\nid: ksxw26c3km72mq3imn\nsubcalendars:\n  - 1\n",
        ),
        ("data/metrics.yaml", "talks:\n  - name: KubeCon\n"),
        (
            "content/spec.md",
            "+++ title=\"Buildpack API\"\naliases=[\"/docs/reference/buildpack-api/\"]\n+++\n\nThe spec.\n",
        ),
        (
            "content/more.md",
            "---\nid: more\ntitle: More Commands\n----------------\n\nSee [the API](/docs/reference/buildpack-api/).\n",
        ),
    ]);
    let run = f.build(&[]);
    assert!(
        run.stderr
            .contains("`data/calendar.yml` is left out: it is not almanac's release calendar")
            && run.stderr.contains("the data folder is Hugo's"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`data/metrics.yaml` is left out"),
        "{}",
        run.stderr
    );
    let spec = f.read("public/spec.html");
    assert!(spec.contains("<title>Buildpack API"), "{spec}");
    assert!(!spec.contains("+++"), "{spec}");
    let more = f.read("public/more.html");
    assert!(more.contains("<title>More Commands"), "{more}");
    assert!(!more.contains("id: more"), "{more}");
    let (code, findings) = common::check_json(&f, &[]);
    assert_eq!(code, 0, "{findings:?}");

    f.write("almanac.yaml", "title: Packs\n");
    let run = f.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("data/calendar.yml:2:1"),
        "{}",
        run.stderr
    );
}

/// A GitBook space (`.gitbook.yaml`, as earthly's and fluent-bit's docs):
/// its `root` is the content, its `SUMMARY.md` the navigation (`##`
/// groups), and a heading's id GitBook's too (`#3.-auto-skip`, links
/// earthly writes by the dozen), on the built page as well; a fragment
/// neither rule gives is still an error, and so is a summary's link to a
/// page that is not there.
#[test]
fn a_gitbook_space_has_its_root_summary_and_heading_ids() {
    let f = Fixture::with(&[
        (
            ".gitbook.yaml",
            "root: ./docs/\n\nstructure:\n  readme: README.md\n  summary: SUMMARY.md\n",
        ),
        (
            "docs/SUMMARY.md",
            "# Table of contents\n\n* [Intro](README.md)\n\n## Guides\n\n* [Zeta setup](setup.md)\n* [Alpha](alpha.md)\n* [Gone](gone.md)\n",
        ),
        (
            "docs/README.md",
            "# Intro\n\nSee [skip](setup.md#3.-auto-skip), [mount](setup.md#mount-less-than-mount-spec-greater-than) \
             and [nothing](setup.md#auto-skip).\n",
        ),
        (
            "docs/setup.md",
            "# Zeta setup\n\n## 3. Auto-skip\n\n## `--mount <mount-spec>`\n",
        ),
        ("docs/alpha.md", "# Alpha\n"),
        ("README.md", "# The repository\n"),
    ]);
    let (_, findings) = common::check_json(&f, &[]);
    let errors: Vec<(&str, &str)> = findings
        .iter()
        .filter(|x| x["severity"] == "error")
        .map(|x| (x["file"].as_str().unwrap(), x["target"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [
            ("docs/README.md", "setup.md#auto-skip"),
            ("docs/SUMMARY.md", "gone.md")
        ],
        "{findings:#?}"
    );
    f.build(&[]);
    let rows = nav(&f, "public/setup.html");
    let titles = titles(&rows);
    let at = |t: &str| titles.iter().position(|x| *x == t).unwrap_or(usize::MAX);
    assert!(
        at("Intro") < at("[Guides]")
            && at("[Guides]") < at("Zeta setup")
            && at("Zeta setup") < at("Alpha"),
        "{rows:?}"
    );
    let setup = f.read("public/setup.html");
    assert!(setup.contains("id=\"3.-auto-skip\""), "{setup}");
}
