//! An MkDocs Material site built as it is (issue 18): its admonitions,
//! content tabs, attribute lists, icons and `markdown` HTML blocks render,
//! and none of their syntax is printed.

mod common;

use common::{Fixture, main_of};

const MKDOCS_YML: &str = "site_name: Pump Control\nnav:\n  - Home: index.md\n  - Guide: guide.md\n";

/// A page using every construct, as MkDocs Material's docs write them.
const GUIDE: &str = r#"# Guide

## :material-console: Run it

!!! warning "Important"
    Stop the pump first.

    - one
    - two

!!! note
    A note with a [link](index.md).

!!! tip ""
    No title here.

??? question "Why a pump?"
    Because.

???+ info
    Open by default.

=== "Linux"

    ```sh
    make pump
    ```

=== ":fontawesome-brands-windows: Windows"

    Run `pump.exe`.

    !!! danger "Inside a tab"
        Nested.

Between the sets.

=== "A"
    First of the second set.
=== "B"
    Second of the second set.

[Get started](index.md){ .md-button .md-button--primary }

:fontawesome-solid-rocket:{ .lg .middle } Fast, and :octicons-mark-github-16: open.

A paragraph with a class.
{: .lead #with-class }

<div class="grid cards" markdown>
-   __Set up in 5 minutes__

    ---

    Install it.

-   __Made to measure__
</div>

## :octicons-gear-16: Configure { #configure }

<!-- md:option type:note -->

:   !!! note

        A definition holding an admonition.

`retries`

:   How often to try.

Code keeps it all: `!!! note`, `:material-x:` and `{ .class }`.
"#;

fn site() -> Fixture {
    Fixture::with(&[
        ("mkdocs.yml", MKDOCS_YML),
        ("docs/index.md", "# Home\n\nWelcome.\n"),
        ("docs/guide.md", GUIDE),
    ])
}

#[test]
fn no_mkdocs_syntax_is_printed_outside_code() {
    let site = site();
    site.build(&[]);
    let html = site.read("public/guide.html");
    let main = main_of(&html);
    let prose = common::outside_code(main);
    for raw in [
        "!!!",
        "???",
        "===",
        ":material-",
        ":fontawesome-",
        ":octicons-",
        "{ .",
        "{:",
        " markdown",
        ":   ",
    ] {
        assert!(!prose.contains(raw), "`{raw}` printed in:\n{prose}");
    }
    // Code spans keep what they show.
    assert!(main.contains("<code>!!! note</code>"), "{main}");
    assert!(main.contains("<code>:material-x:</code>"), "{main}");
    assert!(main.contains("<code>{ .class }</code>"), "{main}");
    // A definition list's definitions render, admonition and all.
    assert!(
        main.contains("<div class=\"definition\">\n<div class=\"admonition note\">"),
        "{main}"
    );
    assert!(main.contains("<p>How often to try.</p>"), "{main}");
}

#[test]
fn admonitions_are_titled_boxes_with_their_markdown_inside() {
    let site = site();
    site.build(&[]);
    let html = site.read("public/guide.html");
    let main = main_of(&html);
    assert!(
        main.contains(
            "<div class=\"admonition warning\">\n<p class=\"admonition-title\">Important</p>\n<p>Stop the pump first.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n</div>"
        ),
        "{main}"
    );
    // No title written: the type is the title. `""`: no title at all.
    assert!(main.contains("<div class=\"admonition note\">\n<p class=\"admonition-title\">Note</p>\n<p>A note with a <a href=\"index.html\">link</a>.</p>"), "{main}");
    assert!(
        main.contains("<div class=\"admonition tip\">\n<p>No title here.</p>"),
        "{main}"
    );
    // `???` collapses, `???+` starts open.
    assert!(main.contains("<details class=\"admonition question\">\n<summary>Why a pump?</summary>\n<p>Because.</p>\n</details>"), "{main}");
    assert!(
        main.contains("<details class=\"admonition info\" open>\n<summary>Info</summary>"),
        "{main}"
    );
}

#[test]
fn content_tabs_are_one_set_per_run_of_tabs() {
    let site = site();
    site.build(&[]);
    let html = site.read("public/guide.html");
    let main = main_of(&html);
    assert_eq!(
        main.matches("<div class=\"tabbed-set\">").count(),
        2,
        "{main}"
    );
    assert_eq!(main.matches("type=\"radio\"").count(), 4, "{main}");
    assert_eq!(main.matches(" checked>").count(), 2, "{main}");
    // The icon leaves the label; the code in a tab is code; an admonition
    // nests in a tab.
    assert!(
        main.contains("<label for=\"__tabbed_1_2\">Windows</label>"),
        "{main}"
    );
    assert!(
        main.contains("<pre class=\"highlight\" data-lang=\"sh\">"),
        "{main}"
    );
    let windows = &main[main.find("__tabbed_1_2\">Windows").unwrap()..];
    let nested = windows
        .find("<div class=\"admonition danger\">")
        .expect("nested admonition");
    assert!(
        nested < windows.find("Between the sets.").unwrap(),
        "{main}"
    );
    assert!(main.contains("<p>Second of the second set.</p>"), "{main}");
}

#[test]
fn icons_and_attribute_lists_leave_the_text_and_the_table_of_contents() {
    let site = site();
    site.build(&[]);
    let html = site.read("public/guide.html");
    let main = main_of(&html);
    assert!(main.contains("<h2 id=\"run-it\">Run it</h2>"), "{main}");
    assert!(
        main.contains("<h2 id=\"configure\">Configure</h2>"),
        "{main}"
    );
    let toc = &html[html.find("On this page").expect("a table of contents")..];
    assert!(toc.contains("<a href=\"#run-it\">Run it</a>"), "{toc}");
    assert!(
        toc.contains("<a href=\"#configure\">Configure</a>"),
        "{toc}"
    );
    assert!(
        main.contains("<a href=\"index.html\">Get started</a></p>"),
        "{main}"
    );
    assert!(main.contains("<p>Fast, and open.</p>"), "{main}");
    // An attribute list's id stays an anchor.
    assert!(
        main.contains("<p>A paragraph with a class.\n<a id=\"with-class\"></a></p>"),
        "{main}"
    );
}

#[test]
fn a_markdown_html_block_renders_its_markdown_and_keeps_its_classes_to_itself() {
    let site = site();
    site.build(&[]);
    let html = site.read("public/guide.html");
    let main = main_of(&html);
    assert!(
        main.contains("<div class=\"grid cards\">\n<ul>\n<li>\n<p><strong>Set up in 5 minutes</strong></p>\n<hr />"),
        "{main}"
    );
    // The theme's own layout uses no class a page's markup uses.
    let css = site.read("public/assets/almanac.css");
    for class in [".cards ", ".card ", ".tabs ", ".tab "] {
        assert!(
            !css.contains(&format!("\n{class}")),
            "the theme styles `{class}`"
        );
    }
}

#[test]
fn check_reports_a_link_in_an_admonition_in_a_tab_where_it_is_written() {
    let site = Fixture::with(&[
        ("mkdocs.yml", MKDOCS_YML),
        (
            "docs/index.md",
            "# Home\n\nSee [the setup](guide.md#setup).\n",
        ),
        (
            "docs/guide.md",
            "# Guide\n\n=== \"One\"\n\n    !!! note \"Deep\"\n        :material-link: See [gone](missing.md).\n\nSet up.\n{: #setup }\n",
        ),
    ]);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    // The destination, after the icon as written (the icon is dropped from
    // the page, not from the positions).
    assert!(all.contains("--> docs/guide.md:6:36\n"), "{all}");
    // An attribute list's id is an anchor a link may name.
    assert!(all.contains("1 error, 0 warnings"), "{all}");
}

/// A Docusaurus page (MDX in a `.md` file): imports, admonitions with and
/// without titles, nested and in a list, and `<Tabs>` of `<TabItem>`s.
const DOCUSAURUS_PAGE: &str = r#"---
sidebar_position: 2
---

import Tabs from '@theme/Tabs';
import TabItem from '@theme/TabItem';

# Install

:::tip[Before you start]
You need **Node 18**.
:::

:::note
A note with no title.

::::danger Careful
Nested *inside*.
::::
:::

1. Download it.

    :::warning
    Check the **checksum**.
    :::

<Tabs groupId="os">
<TabItem value="mac" label="macOS">

Run `brew install widget`.

</TabItem>
<TabItem value="linux">

Run `apt install widget`.

</TabItem>
</Tabs>

```js
import Tabs from '@theme/Tabs';
:::note
```
"#;

#[test]
fn docusaurus_admonitions_tabs_and_imports_render() {
    let site = Fixture::with(&[
        (
            "docusaurus.config.js",
            "// @ts-check\nconst config = {\n  title: 'Widget',\n  tagline: 'Widgets, documented',\n  themeConfig: { navbar: { title: 'Not this' } },\n};\nmodule.exports = config;\n",
        ),
        ("docs/intro.md", "# Intro\n"),
        ("docs/install.md", DOCUSAURUS_PAGE),
    ]);
    site.build(&[]);
    let html = site.read("public/install.html");
    let main = main_of(&html);
    let prose = common::outside_code(main);
    for raw in [":::", "import ", "<Tabs", "<TabItem", "&lt;Tab"] {
        assert!(!prose.contains(raw), "`{raw}` printed in:\n{prose}");
    }
    assert!(main.contains("<div class=\"admonition tip\">"), "{main}");
    assert!(
        main.contains("<p class=\"admonition-title\">Before you start</p>"),
        "{main}"
    );
    assert!(
        main.contains("You need <strong>Node 18</strong>."),
        "{main}"
    );
    assert!(
        main.contains("<p class=\"admonition-title\">Note</p>"),
        "{main}"
    );
    // The nested one is inside the note.
    let note = main.find("admonition note").unwrap();
    let danger = main.find("admonition danger").unwrap();
    let note_end = note + main[note..].find("</div>\n</div>").expect("nested closes");
    assert!(note < danger && danger < note_end, "{main}");
    assert!(
        main.contains("<p class=\"admonition-title\">Careful</p>"),
        "{main}"
    );
    // In a list item, and the tabs as a tab set named by label or value.
    let at = main.find("Download it.").unwrap();
    let item = &main[at..at + main[at..].find("</li>").unwrap()];
    assert!(
        item.contains("admonition warning") && item.contains("<strong>checksum</strong>"),
        "{item}"
    );
    assert!(
        main.contains(">macOS</label>") && main.contains(">linux</label>"),
        "{main}"
    );
    assert_eq!(
        main.matches("class=\"tabbed-content\"").count(),
        2,
        "{main}"
    );
    assert!(main.contains("<code>brew install widget</code>"), "{main}");
    // Code keeps them.
    let code = &main[main.find("<pre").unwrap()..];
    assert!(
        code.contains("@theme/Tabs") && code.contains(":::"),
        "{code}"
    );
    // The site is named as docusaurus.config.js names it.
    assert!(html.contains("<title>Install · Widget</title>"), "{html}");
}

#[test]
fn a_link_to_a_pages_url_is_read_from_the_folder_mkdocs_serves_the_page_at() {
    // httpx's docs: `async.md` is served at `async/`, so
    // `../advanced/transports` is `advanced/transports.md`'s page.
    let site = Fixture::with(&[
        ("mkdocs.yml", "site_name: HTTPX\n"),
        (
            "docs/async.md",
            "# Async\n\nSee [the transport](../advanced/transports#asgitransport),\n\
             [a typo](../advanced/transportz) and [a file](../advanced/transports.txt).\n",
        ),
        (
            "docs/advanced/transports.md",
            "# Transports\n\n## ASGITransport\n\nText.\n",
        ),
    ]);
    let (_, found) = common::check_json(&site, &[]);
    let targets: Vec<&str> = found
        .iter()
        .map(|f| f["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        ["../advanced/transportz", "../advanced/transports.txt"],
        "{found:?}"
    );
    // almanac's own site links the page where it writes it.
    site.run(&["build"]);
    let html = site.read("public/async.html");
    assert!(
        html.contains("href=\"advanced/transports.html#asgitransport\""),
        "{html}"
    );
}

/// VitePress's containers (Vite's own docs): `::: tip NOTE`, with a space
/// after the colons, a title or none, and `::: code-group` (tabs of code
/// blocks, no title of their own) render as admonitions, never as raw
/// colons; headings carry VitePress's ids too, which its links name.
#[test]
fn vitepress_containers_render() {
    let site = Fixture::with(&[
        (
            "docs/.vitepress/config.ts",
            "export default {\n  title: 'Widget',\n  description: 'Widgets, documented',\n}\n",
        ),
        (
            "docs/index.md",
            "# Install\n\n::: tip NOTE\nYou need **Node 18**.\n:::\n\n::: warning\nCheck it.\n:::\n\n::: code-group\n\n```sh [npm]\nnpm i widget\n```\n\n```sh [pnpm]\npnpm add widget\n```\n\n:::\n\nSee [the host](./config#server-host).\n",
        ),
        (
            "docs/config.md",
            "# Config\n\n## server.host\n\nThe host.\n",
        ),
    ]);
    // The link names VitePress's id: the built page has it too, and the
    // build's link check finds it.
    site.build(&["--strict"]);
    let config = site.read("public/config.html");
    assert!(
        config.contains("<h2 id=\"serverhost\"><a id=\"server-host\"></a>server.host</h2>"),
        "{config}"
    );
    let html = site.read("public/index.html");
    let main = main_of(&html);
    let prose = common::outside_code(main);
    assert!(!prose.contains(":::"), "raw colons in:\n{prose}");
    assert!(
        main.contains("<p class=\"admonition-title\">NOTE</p>")
            && main.contains("You need <strong>Node 18</strong>."),
        "{main}"
    );
    assert!(
        main.contains("<p class=\"admonition-title\">Warning</p>"),
        "{main}"
    );
    let group = main.find("admonition code-group").expect("a code group");
    let rest = &main[group..];
    assert!(
        !rest[..rest.find("<pre").unwrap()].contains("admonition-title"),
        "{rest}"
    );
    assert!(html.contains("Widget"), "{html}");
}

/// With the `macros` plugin on, a page's `{{ name }}` is its value: the
/// config's `extra:` (nextest's `{{ msrv }}`, a nested one by its dotted
/// name), `config.*`, and `git.tag` (trivy's release links), in code too,
/// as the plugin renders the whole page; a name it does not give stays as
/// written. Without the plugin nothing is filled in.
#[test]
fn the_macros_plugins_variables_are_filled_in() {
    let files = [
        (
            "mkdocs.yml",
            "site_name: Nextest\nplugins:\n  - search\n  - macros\nextra:\n  msrv: \"1.91\"\n  links:\n    repo: https://github.com/nextest-rs/nextest\n",
        ),
        (
            "docs/index.md",
            "# Home\n\nNeeds Rust {{ msrv }} ([repo]({{ links.repo }}), {{ config.site_name }}, release {{ git.tag }}, {{ unknown }}).\n\n\
             ```sh\ncargo install --version {{ git.tag }} nextest\n```\n",
        ),
    ];
    let site = Fixture::with(&files);
    let git = common::Git::init(&site);
    let head = git.commit_all("release", 1_700_000_000);
    git.lightweight_tag("v0.9.108", head);
    site.build(&[]);
    let html = site.read("public/index.html");
    assert!(html.contains("Needs Rust 1.91"), "{html}");
    assert!(
        html.contains("href=\"https://github.com/nextest-rs/nextest\""),
        "{html}"
    );
    assert!(
        html.contains("Nextest, release v0.9.108, {{ unknown }}"),
        "{html}"
    );
    assert!(html.contains("v0.9.108"), "{html}");
    assert!(!html.contains("{{ git.tag }}"), "{html}");

    let plain = Fixture::with(&[
        ("mkdocs.yml", "site_name: Plain\nextra:\n  msrv: \"1.91\"\n"),
        ("docs/index.md", "# Home\n\nNeeds Rust {{ msrv }}.\n"),
    ]);
    plain.build(&[]);
    assert!(
        plain
            .read("public/index.html")
            .contains("Needs Rust {{ msrv }}.")
    );
}
