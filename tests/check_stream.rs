//! `almanac check` reads each page again as it checks it and holds no page
//! text (`check::stream`). Its reference is the check on texts held whole
//! (`check::run_held`, what `--external` runs): the same findings, sources
//! and fixes, in every output format, on sites that use what the check
//! reads of a text (includes, ignore comments, references, front matter,
//! shortcodes, commands, MkDocs' and Zola's ids).

mod common;

use almanac::check::{self, CheckOptions, CheckReport, format::Format};
use almanac::project::Paths;
use common::Fixture;

fn options() -> CheckOptions {
    CheckOptions {
        changed_since: None,
        external: false,
        today: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date"),
        at: None,
        progress: check::external::Progress::Hidden,
    }
}

fn every_format(report: &CheckReport) -> Vec<String> {
    let formats = [
        Format::Human,
        Format::Json,
        Format::Github,
        Format::Sarif,
        Format::Junit,
        Format::Codeclimate,
    ];
    let mut out: Vec<String> = formats
        .into_iter()
        .map(|f| {
            check::format::render(f, &report.findings, &report.summary, &report.sources, false)
        })
        .collect();
    out.extend(report.fixes.iter().map(|f| f.diff()));
    out
}

/// Both checks of `site`, compared; the findings, for more checks.
fn same_as_held(site: &Fixture) -> Vec<String> {
    let paths = Paths {
        root: site.root().to_path_buf(),
        ..Paths::default()
    };
    let streamed = check::run(&paths, &options()).expect("check");
    let held = check::run_held(&paths, &options()).expect("check");
    let (streamed, held) = (every_format(&streamed), every_format(&held));
    for (s, h) in streamed.iter().zip(&held) {
        assert_eq!(s, h);
    }
    assert_eq!(streamed.len(), held.len());
    streamed
}

const GUIDE: &str = "---\ntitle: Guide\nowner: me\ntitel: typo\nreview_by: 2020-01-01\n---\n\n\
# Guide\n\n## Set up {#set-up}\n\n## Odd {#a\"b}\n\n\
See [other](other.md#steps), [gone](other.md#nowhere), [case](other.md#Steps),\n\
[same](#set-up), [same gone](#nope), [missing](missing.md), [x]() and [y][undefined].\n\n\
<!-- almanac-ignore-next-line -->\n[ignored](also-missing.md)\n\n\
```sh\n./scripts/missing.sh\nmake nosuch\n```\n\n\
Rate: {{ kpi(id=\"nope\") }}\n\n\
{{#include part.md}}\n";

#[test]
fn plain_site_with_includes() {
    let site = Fixture::with(&[
        ("docs/guide.md", GUIDE),
        (
            "docs/other.md",
            "# Other\n\n## Steps\n\nBack to [the guide](guide.md#set-up) and [a typo](guide.md#setup).\n",
        ),
        ("docs/part.md", "Included [broken](nowhere.md) link.\n"),
        ("Makefile", "all:\n\techo all\n"),
    ]);
    let out = same_as_held(&site);
    let human = &out[0];
    for kind in [
        "broken-link",
        "broken-anchor",
        "anchor-case",
        "empty-link",
        "broken-reference",
        "unsafe-heading-id",
        "data-error",
        "stale-page",
    ] {
        assert!(human.contains(kind), "{kind} missing from:\n{human}");
    }
    // The included file's own line is shown, and the ignored line is not reported.
    assert!(human.contains("docs/part.md") && !human.contains("also-missing.md"));
}

#[test]
fn mkdocs_site() {
    let site = Fixture::with(&[
        (
            "mkdocs.yml",
            "site_name: x\nmarkdown_extensions:\n  - toc:\n      permalink: true\n",
        ),
        (
            "docs/index.md",
            "# Home\n\n## Tabs & More\n\nSee [a](guide.md#install-it), [b](guide.md#gone), [c][label].\n",
        ),
        (
            "docs/guide.md",
            "# Guide\n\n## Install it\n\n## Ünïcode\n\nBack [home](index.md#tabs-more).\n",
        ),
    ]);
    let out = same_as_held(&site);
    assert!(out[0].contains("#gone"), "{}", out[0]);
}

#[test]
fn zola_site() {
    let site = Fixture::with(&[
        (
            "config.toml",
            "base_url = \"https://example.com\"\ntitle = \"x\"\n",
        ),
        (
            "content/_index.md",
            "+++\ntitle = \"Home\"\n+++\n\n# Home\n\n## Repeat\n\n## Repeat\n\nSee [a](guide.md#repeat-1), [b](guide.md#setup-1), [c](guide.md#nope).\n",
        ),
        (
            "content/guide.md",
            "+++\ntitle = \"Guide\"\n+++\n\n# Guide\n\n## Setup\n\n## Setup\n",
        ),
    ]);
    let out = same_as_held(&site);
    assert!(out[0].contains("#nope"), "{}", out[0]);
}
