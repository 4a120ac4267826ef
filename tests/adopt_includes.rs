//! Issue 18, part C: other generators' includes and shortcodes. mdBook's
//! `{{#include}}` family is expanded, Hugo's `{{< … >}}` and `{{% … %}}`
//! never stop a build and their inner markdown renders, and `check` sees the
//! same expanded content, reporting an included file's links at its own
//! `file:line`.

mod common;

use common::{Fixture, check_json, main_of};

/// `html` without its tags: code as a reader sees it, highlighting left out.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

const MAIN_RS: &str = "fn main() {\n    let x = 1;\n    println!(\"{x}\");\n    // ANCHOR: setup\n    let config = Config::default();\n    // ANCHOR_END: setup\n}\n";

#[test]
fn an_mdbook_include_with_line_ranges_and_anchors_renders_in_the_page() {
    let site = Fixture::with(&[
        ("listings/main.rs", MAIN_RS),
        ("content/shared/note.md", "A **shared** note.\n"),
        (
            "content/README.md",
            "# Book\n\n{{#title The Book}}\n\n```rust\n{{#include ../listings/main.rs:2:3}}\n```\n\n\
             ```rust\n{{#include ../listings/main.rs:setup}}\n```\n\n\
             ```rust\n{{#rustdoc_include ../listings/main.rs::1}}\n```\n\n\
             {{#include shared/note.md}}\n\n{{#playground ../listings/main.rs editable}}\n\nWritten as is: `\\{{#include x.md}}`.\n",
        ),
    ]);
    let run = site.build(&[]);
    let html = site.read("public/index.html");
    let main = &text_of(main_of(&html));
    assert!(main.contains("let x = 1;"), "{main}");
    assert!(main.contains("println!"), "{main}");
    let blocks: Vec<String> = main_of(&html)
        .split("<pre")
        .skip(1)
        .map(|b| text_of(&b[..b.find("</pre>").unwrap()]))
        .collect();
    assert!(
        blocks[0].contains("let x = 1;") && !blocks[0].contains("fn main"),
        "2:3 starts at line 2: {blocks:?}"
    );
    assert!(
        main.contains("Config::default()"),
        "the anchor's lines: {main}"
    );
    assert!(
        !main.contains("ANCHOR"),
        "anchor lines are left out: {main}"
    );
    assert!(main.contains("fn main()"), "::1 is the first line: {main}");
    // `{{#playground}}` is the file as a Rust code block.
    assert_eq!(
        main_of(&html).matches("data-lang=\"rust").count(),
        4,
        "{}",
        main_of(&html)
    );
    assert!(
        main_of(&html).contains("<strong>shared</strong>"),
        "included markdown renders: {main}"
    );
    assert!(
        !common::outside_code(main_of(&html)).contains("{{#"),
        "no raw directive outside code: {main}"
    );
    assert!(
        main.contains("{{#include x.md}}"),
        "an escaped directive is text: {main}"
    );
    assert!(!run.stderr.contains("include"), "{}", run.stderr);
}

#[test]
fn an_mdbook_title_directive_names_the_page() {
    let site = Fixture::with(&[
        (
            "content/README.md",
            "# Book
",
        ),
        (
            "content/guide.md",
            "{{#title Installing the widget}}
# Install

Text.
",
        ),
        (
            "content/fenced.md",
            "# Fenced

```text
{{#title Not a title}}
```
",
        ),
    ]);
    site.build(&[]);
    let html = site.read("public/guide.html");
    let title = &html[html.find("<title>").unwrap()..html.find("</title>").unwrap()];
    assert!(title.contains("Installing the widget"), "{title}");
    // The page's own heading stays, and the directive is not shown.
    assert!(
        main_of(&html).contains(">Install</h1>"),
        "{}",
        main_of(&html)
    );
    assert!(!common::outside_code(main_of(&html)).contains("{{#"));
    let fenced = site.read("public/fenced.html");
    assert!(!fenced[..fenced.find("</title>").unwrap()].contains("Not a title"));
}

#[test]
fn an_included_files_broken_link_is_reported_at_its_own_file_and_line() {
    let site = Fixture::with(&[
        (
            "snippets/links.md",
            "Shared links.\n\n[gone](missing-page.md)\n",
        ),
        (
            "content/README.md",
            "# Home\n\n{{#include ../snippets/links.md}}\n\nSome text.\n\n[also gone](nowhere.md)\n",
        ),
    ]);
    let (_, findings) = check_json(&site, &[]);
    let at = |target: &str| {
        findings.iter().find(|f| f["target"] == target).map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
    };
    assert_eq!(
        at("missing-page.md"),
        Some(("snippets/links.md".to_string(), 3)),
        "{findings:#?}"
    );
    // The guide's own lines after the include keep their numbers.
    assert_eq!(
        at("nowhere.md"),
        Some(("content/README.md".to_string(), 7)),
        "{findings:#?}"
    );
    // The build reports the include's link where check does.
    let run = site.run(&["build"]);
    assert!(
        run.stderr.contains("snippets/links.md:3:"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_include_cycle_is_a_warning_not_a_hang() {
    let site = Fixture::with(&[
        (
            "content/README.md",
            "# Home\n\n{{#include a.md}}\n\n{{#include README.md}}\n",
        ),
        ("content/a.md", "In A.\n\n{{#include b.md}}\n"),
        ("content/b.md", "In B.\n\n{{#include a.md}}\n"),
    ]);
    let run = site.build(&[]);
    assert!(run.stderr.contains("cycle"), "{}", run.stderr);
    let html = site.read("public/index.html");
    let main = main_of(&html);
    assert!(main.contains("In A.") && main.contains("In B."), "{main}");
    assert!(!main.contains("{{#"), "{main}");
    let (_, findings) = check_json(&site, &[]);
    assert!(
        findings
            .iter()
            .any(|f| f["kind"] == "data-error" && f["message"].as_str().unwrap().contains("cycle")),
        "{findings:#?}"
    );
}

#[test]
fn an_include_that_leaves_the_repository_is_refused_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET-VALUE\n").unwrap();
    let site = Fixture::with(&[(
        "content/README.md",
        "# Home\n\n{{#include ../../../../../../../../etc/hostname}}\n\n{{#include link.txt}}\n\n\
         {{#include fifo}}\n\n{{#include ../content}}\n",
    )]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            site.path("content/link.txt"),
        )
        .unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(site.path("content/fifo"))
            .status()
            .unwrap();
        assert!(made.success());
    }
    let run = site.build(&[]);
    let html = site.read("public/index.html");
    assert!(!html.contains("TOP-SECRET-VALUE"), "{html}");
    assert!(
        run.stderr.matches("is not read").count() >= 3,
        "each refused include is named: {}",
        run.stderr
    );
    let (_, findings) = check_json(&site, &[]);
    let refused = findings
        .iter()
        .filter(|f| f["kind"] == "data-error" && f["file"] == "content/README.md")
        .count();
    assert!(refused >= 3, "{findings:#?}");
}

#[test]
fn hugo_shortcodes_never_stop_a_build_and_their_inner_markdown_renders() {
    let site = Fixture::with(&[
        ("content/other.md", "# Other\n"),
        ("content/img/diagram.png", "png"),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n# Home\n\n\
             {{< tabs >}}\n{{% tab \"Linux\" %}}\nRun **make** here.\n{{% /tab %}}\n{{% tab \"Mac\" %}}\nUse *brew*.\n{{% /tab %}}\n{{< /tabs >}}\n\n\
             {{% blocks/cover\n  title=\"Welcome\"\n  height=\"full\" %}}\nCover *text*.\n{{% /blocks/cover %}}\n\n\
             {{< alert title=\"Note\" >}}Mind the **gap**.{{< /alert >}}\n\n\
             {{< figure src=\"img/diagram.png\" caption=\"The flow\" >}}\n\n\
             See [the other page]({{< ref \"other.md\" >}}).\n\n\
             ```\n{{</* tabs */>}}\n```\n\n[broken](nowhere.md)\n\n{{< highlight go >}}\nfunc main() {}\n{{< /highlight >}}\n",
        ),
    ]);
    let run = site.build(&[]);
    let html = site.read("public/index.html");
    let main = main_of(&html);
    assert!(main.contains("<strong>make</strong>"), "{main}");
    assert!(main.contains("<em>brew</em>"), "{main}");
    assert!(main.contains("Cover <em>text</em>"), "{main}");
    assert!(main.contains("<strong>gap</strong>"), "{main}");
    assert!(
        main.contains("diagram.png") && main.contains("The flow"),
        "{main}"
    );
    assert!(
        main.contains("href=\"other/\"") || main.contains("href=\"other"),
        "{main}"
    );
    assert!(
        main.contains("data-lang=\"go\""),
        "highlight is a code block: {main}"
    );
    let prose = common::outside_code(main);
    assert!(!prose.contains("{{<") && !prose.contains("{{%"), "{prose}");
    assert!(
        main.contains("{{&lt; tabs &gt;}}"),
        "an escaped shortcode is shown: {main}"
    );
    // One summary line, not one per occurrence.
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("shortcode"))
        .collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].contains("skipped 5 Hugo shortcodes of 4 kinds: tab, alert, blocks/cover, tabs"),
        "{}",
        lines[0]
    );
    // The multi-line tag kept the lines: check reports the link where it is.
    let (_, findings) = check_json(&site, &[]);
    let broken = findings
        .iter()
        .find(|f| f["target"] == "nowhere.md")
        .unwrap();
    assert_eq!(broken["line"], 31, "{findings:#?}");
}

/// A thousand includes of a file that includes a thousand others, ten deep,
/// would read files for ever: a page stops at a bound, says so, and builds.
#[test]
fn includes_that_fan_out_are_bounded_not_a_hang() {
    let fan = "{{#include empty.md}}\n".repeat(1000);
    let site = Fixture::with(&[
        (
            "content/README.md",
            "# Home\n\n{{#include ../parts/b.md}}\n",
        ),
        ("parts/b.md", &"{{#include c.md}}\n".repeat(1000)),
        ("parts/c.md", &fan),
        ("parts/empty.md", ""),
    ]);
    let started = std::time::Instant::now();
    let run = site.build(&[]);
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(
        run.stderr.matches("a page includes at most").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn a_zola_site_with_toml_front_matter_and_shortcodes_builds_as_zola_shows_it() {
    let site = Fixture::with(&[
        (
            "config.toml",
            "base_url = \"https://widgets.example\"\ntitle = \"Widget notes\"\ndescription = \"Notes on widgets\"\n\n[markdown]\nhighlight_code = true\n",
        ),
        (
            "content/_index.md",
            "+++\ntitle = \"Home\"\nsort_by = \"weight\"\n+++\n# Home\n",
        ),
        (
            "content/b-second.md",
            "+++\ntitle = \"Second\"\nweight = 1\ndate = 2024-05-01\n\n[taxonomies]\ntags = [\"ops\"]\n\n[extra]\nbanner = \"blue\"\n+++\n\n# Second page\n\n\
             {{ youtube(id=\"dQw4\", autoplay=true) }}\n\n\
             {% note(kind=\"warning\") %}\nThis is **inside** a note.\n{% end %}\n\n\
             Press {{ kbd(key=\"ctrl\") }} to go on.\n\n\
             ```\n{{ literal(x=1) }}\n```\n\n`{{ in_span() }}` stays.\n\n[gone](missing.md)\n\n\
             See [the first](@/a-first.md), [its data](@/a-first.md#get-data) and [its second](@/a-first.md#get-data-1), not [this](@/a-first.md#nope).\n",
        ),
        (
            "content/a-first.md",
            "\n+++\ntitle = \"First\"\nweight = 2\ndraft = false\n+++\n# First page\n\n## `get_data`\n\n## get_data\n",
        ),
        (
            "content/hidden.md",
            "+++\ntitle = \"Hidden\"\ndraft = true\n+++\n# Hidden\n",
        ),
    ]);
    let run = site.build(&[]);
    let html = site.read("public/b-second.html");
    let main = main_of(&html);
    // The front matter is read, not shown.
    assert!(!main.contains("+++") && !main.contains("sort_by"), "{main}");
    assert!(html.contains("<title>Second · Widget notes"), "{html}");
    assert!(
        main.contains("This is <strong>inside</strong> a note."),
        "{main}"
    );
    assert!(main.contains("Press  to go on."), "{main}");
    let prose = common::outside_code(main);
    assert!(
        !prose.contains("{%") && !prose.contains("youtube("),
        "{prose}"
    );
    // Code keeps what it shows.
    assert!(main.contains("{{ literal(x=1) }}"), "{main}");
    assert!(main.contains("{{ in_span() }}"), "{main}");
    // Weight orders the nav; draft pages are not built.
    let home = site.read("public/index.html");
    let second = home.find(">Second</a>").expect("Second in nav");
    let first = home.find(">First</a>").expect("First in nav");
    assert!(second < first, "weight 1 before weight 2");
    assert!(!site.exists("public/hidden.html"));
    assert!(
        run.stderr
            .contains("skipped 3 Zola shortcodes of 3 kinds: kbd, note, youtube"),
        "{}",
        run.stderr
    );
    // check: Zola's own keys and `[extra]` are no mistakes; the broken link
    // is reported where it is written.
    let (_, findings) = check_json(&site, &[]);
    let keys: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["kind"] == "data-error")
        .collect();
    assert!(keys.is_empty(), "{keys:#?}");
    let broken = findings
        .iter()
        .find(|f| f["target"] == "missing.md")
        .unwrap();
    assert_eq!(broken["line"], 29, "{findings:#?}");
    // `@/` links are from the content folder, and Zola's heading ids
    // (`get_data` is `get-data`, then `get-data-1`) are the page's.
    let zola: Vec<(&str, &str)> = findings
        .iter()
        .filter(|f| f["target"].as_str().unwrap().starts_with('@'))
        .map(|f| (f["kind"].as_str().unwrap(), f["target"].as_str().unwrap()))
        .collect();
    assert_eq!(
        zola,
        [("broken-anchor", "@/a-first.md#nope")],
        "{findings:#?}"
    );
    assert!(main.contains("href=\"a-first.html\""), "{main}");
    // The build's own link check agrees.
    assert!(run.stderr.contains("#nope"), "{}", run.stderr);
    assert!(!run.stderr.contains("#get-data"), "{}", run.stderr);
}

#[test]
fn bad_toml_front_matter_is_a_located_error() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        (
            "content/bad.md",
            "+++\ntitle = \"Open\nweight = 1\n+++\n# Bad\n",
        ),
        ("content/open.md", "+++\ntitle = \"Never closed\"\n# Body\n"),
    ]);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("content/bad.md:2:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("invalid TOML front matter"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(site.path("content/bad.md")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("content/open.md:1:1"), "{}", run.stderr);
    assert!(run.stderr.contains("`+++`"), "{}", run.stderr);
}

#[test]
fn check_judges_almanacs_shortcodes_in_an_included_file_where_they_are_written() {
    let site = Fixture::with(&[
        (
            "data/metrics.yaml",
            "kpis:\n  - { id: pass_rate, name: Pass rate, unit: '%', target: { op: '>=', value: 95 } }\n",
        ),
        (
            "content/README.md",
            "# Home\n\nOurs: {{ kpi(id=\"pass_rate\") }}\n\n{{#include ../parts/kpis.md}}\n",
        ),
        (
            "parts/kpis.md",
            "Shared numbers.\n\nCoverage: {{ kpi(id=\"coverage\") }}\n",
        ),
    ]);
    let (code, findings) = check_json(&site, &[]);
    assert_eq!(code, 1, "{findings:#?}");
    let located: Vec<(&str, u64, u64)> = findings
        .iter()
        .filter(|f| f["kind"] == "data-error")
        .map(|f| {
            (
                f["file"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(located, [("parts/kpis.md", 3, 11)], "{findings:#?}");
    // The build refuses it at the same place.
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("parts/kpis.md:3:11"), "{}", run.stderr);
}

/// GitBook's blocks (fluent-bit's docs: 3,200 `{% tab %}` lines shown raw):
/// a hint is an admonition, tabs a tab set, an embed a link, a content-ref
/// its link; other tags (`{% code %}`, Liquid's `{% raw %}`) go and are
/// counted; inside a code block every tag stays as written. Check reports
/// a link after them at its own line.
#[test]
fn gitbook_blocks_render_and_their_tags_never_show() {
    let site = Fixture::with(&[
        ("docs/other.md", "# Other\n"),
        (
            "docs/README.md",
            "# Pipeline\n\n\
             {% hint style=\"warning\" %}\nMind the **buffer**.\n{% endhint %}\n\n\
             {% tabs %}\n{% tab title=\"fluent-bit.yaml\" %}\nUse *YAML*.\n{% endtab %}\n\
             {% tab title=\"fluent-bit.conf\" %}\nUse *classic*.\n{% endtab %}\n{% endtabs %}\n\n\
             {% embed url=\"https://www.youtube.com/watch?v=abc\" %}\n\n\
             {% content-ref url=\"other.md\" %}\n[other.md](other.md)\n{% endcontent-ref %}\n\n\
             {% code title=\"run.sh\" %}\n```sh\necho {% raw %}\n```\n{% endcode %}\n\n\
             {% raw %}Kept {{ text }}{% endraw %}\n\n[broken](nowhere.md)\n\n\
             {% highlight ruby %}\nputs 1\n{% endhighlight %}\n",
        ),
    ]);
    let run = site.build(&[]);
    let html = site.read("public/index.html");
    let main = main_of(&html);
    assert!(
        main.contains("<div class=\"admonition warning\">")
            && main.contains("Mind the <strong>buffer</strong>."),
        "{main}"
    );
    assert!(main.contains("tabbed-set"), "{main}");
    assert!(
        main.contains("fluent-bit.yaml") && main.contains("Use <em>classic</em>."),
        "{main}"
    );
    assert!(
        main.contains("href=\"https://www.youtube.com/watch?v=abc\""),
        "{main}"
    );
    assert!(main.contains("href=\"other.html\""), "{main}");
    assert!(
        text_of(main).contains("echo {% raw %}"),
        "code keeps its tags: {main}"
    );
    assert!(
        main.contains("data-lang=\"ruby\""),
        "Jekyll's highlight is a fence: {main}"
    );
    assert_eq!(common::raw_syntax_left(main), Vec::<&str>::new(), "{main}");
    assert!(
        run.stderr
            .contains("skipped 2 GitBook shortcodes of 2 kinds: code, content-ref")
            && run
                .stderr
                .contains("skipped 1 Liquid shortcode of 1 kind: raw"),
        "{}",
        run.stderr
    );
    let (_, findings) = check_json(&site, &[]);
    let broken = findings
        .iter()
        .find(|f| f["target"] == "nowhere.md")
        .unwrap();
    assert_eq!(broken["line"], 30, "{findings:#?}");
    assert_eq!(findings.len(), 1, "{findings:#?}");
}

/// mdbook-tabs' `{{#tabs}}` (PyO3's guide) is a tab set; another
/// preprocessor's directive on a line of its own (blacksmith's
/// `{{#installer_table}}`) goes and is counted, while one within a line
/// (`{{#PYO3_DOCS_URL}}` in a link) or in code is written as it is.
#[test]
fn other_preprocessors_directives_never_show_raw() {
    let site = Fixture::with(&[
        ("book.toml", "[book]\ntitle = \"Guide\"\n"),
        (
            "src/SUMMARY.md",
            "# Summary\n\n- [Debugging](debugging.md)\n",
        ),
        (
            "src/debugging.md",
            "# Debugging\n\n{{#tabs }}\n{{#tab name=\"Using rust-gdb\" }}\nRun **gdb**.\n{{#endtab }}\n\
             {{#tab name=\"Using lldb\" }}\nRun *lldb*.\n{{#endtab }}\n{{#endtabs }}\n\n\
             {{#installer_table}}\n\nSee [Py]({{#PYO3_DOCS_URL}}/pyo3/struct.Py.html).\n\n\
             ```toml\npyo3 = { {{#PYO3_CRATE_VERSION}} }\n```\n",
        ),
    ]);
    let run = site.build(&[]);
    let html = site.read("public/debugging.html");
    let main = main_of(&html);
    assert!(
        main.contains("tabbed-set") && main.contains("Using lldb"),
        "{main}"
    );
    assert!(main.contains("Run <strong>gdb</strong>."), "{main}");
    assert!(!common::outside_code(main).contains("{{#tab"), "{main}");
    assert!(!main.contains("installer_table"), "{main}");
    assert!(
        text_of(main).contains("pyo3 = { {{#PYO3_CRATE_VERSION}} }"),
        "{main}"
    );
    assert!(
        main.contains("PYO3_DOCS_URL%7D%7D/pyo3/struct.Py.html"),
        "written as it is: {main}"
    );
    assert!(
        run.stderr
            .contains("skipped 1 mdBook shortcode of 1 kind: installer_table"),
        "{}",
        run.stderr
    );
}

/// pymdownx.snippets' `--8<-- "file"` (trivy's telemetry flags): the file's
/// lines in place, from the project's folder or the page's, in code too
/// (a code file into a fence), a line range as mdBook's; a file that is
/// not there, or a section, leaves the line out, as snippets does; a link
/// in the included file is checked at its own line.
#[test]
fn mkdocs_snippets_are_included() {
    let site = Fixture::with(&[
        (
            "mkdocs.yml",
            "site_name: Snips\nmarkdown_extensions:\n  - pymdownx.snippets\n",
        ),
        (
            "docs/flags.md",
            "The flags:\n\n- `--debug`\n- [gone](nowhere.md)\n",
        ),
        ("examples/run.sh", "#!/bin/sh\necho first\necho second\n"),
        (
            "docs/index.md",
            "# Home\n\n--8<-- \"docs/flags.md\"\n\n```sh\n--8<-- \"examples/run.sh\"\n```\n\n\
             ```sh\n--8<-- 'examples/run.sh:3:3'\n```\n\n--8<-- \"missing.md\"\n\n--8<-- \"examples/run.sh:intro\"\n\nEnd.\n",
        ),
    ]);
    site.build(&[]);
    let html = site.read("public/index.html");
    let main = main_of(&html);
    let text = text_of(main);
    assert!(main.contains("<code>--debug</code>"), "{main}");
    assert!(
        text.contains("echo first") && text.contains("echo second"),
        "{main}"
    );
    assert_eq!(
        text.matches("echo second").count(),
        2,
        "the range once more: {main}"
    );
    assert_eq!(text.matches("echo first").count(), 1, "{main}");
    assert!(
        !text.contains("--8<--") && !text.contains("--8&lt;--"),
        "{main}"
    );
    assert!(text.contains("End."), "{main}");
    let (_, findings) = check_json(&site, &[]);
    let broken: Vec<(&str, u64)> = findings
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), f["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(broken, [("docs/flags.md", 4)], "{findings:#?}");
}
