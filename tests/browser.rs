//! The bundled handbook in a real browser: Debian's Chromium, headless.
//! Search, Mermaid, dark mode and console errors; screenshots are written to
//! `target/screenshots/` for people to look at.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn built_handbook() -> Option<(tempfile::TempDir, PathBuf)> {
    if !common::browser_available() {
        return None;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let run = common::almanac(&[
        "-C",
        env!("CARGO_MANIFEST_DIR"),
        "build",
        "--out",
        site.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    Some((tmp, site))
}

/// Runs headless Chromium on `url` with `extra` flags; (stdout, stderr).
fn chromium(url: &str, extra: &[&str]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--enable-logging=stderr".into(),
        "--v=0".into(),
        "--virtual-time-budget=8000".into(),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(url.to_string());
    let out = Command::new("chromium")
        .args(&args)
        .output()
        .expect("chromium is installed (apt-get install chromium; .ci/run does)");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn url(site: &Path, page: &str) -> String {
    format!("file://{}/{page}", site.display())
}

fn console_messages(log: &str) -> Vec<&str> {
    log.lines().filter(|l| l.contains("CONSOLE")).collect()
}

/// Screenshots of `page` at 1280×900 in light and dark, written as
/// `NAME-light.png` and `NAME-dark.png` in `screenshot_dir()`.
fn screenshot_light_and_dark(page: &str, name: &str) {
    for (scheme, flags) in [("light", vec![]), ("dark", vec!["--force-dark-mode"])] {
        let target = screenshot_dir().join(format!("{name}-{scheme}.png"));
        let shot = format!("--screenshot={}", target.display());
        let mut args = vec!["--window-size=1280,900", shot.as_str()];
        args.extend(flags);
        chromium(page, &args);
        assert!(
            std::fs::metadata(&target).is_ok_and(|m| m.len() > 10_000),
            "{} was written",
            target.display()
        );
    }
}

fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn pages_load_without_console_errors() {
    let Some((_tmp, site)) = built_handbook() else {
        return;
    };
    for page in [
        "index.html",
        "release/hotfix-guide.html",
        "calendar/index.html",
        "metrics/index.html",
        "reports/2026-Q3.html",
    ] {
        let (dom, log) = chromium(&url(&site, page), &["--dump-dom"]);
        assert!(dom.contains("</html>"), "{page} did not render: {log}");
        assert_eq!(console_messages(&log), Vec::<&str>::new(), "{page}");
    }
}

#[test]
fn search_from_a_shared_link_finds_the_hotfix_guide() {
    let Some((_tmp, site)) = built_handbook() else {
        return;
    };
    let (dom, log) = chromium(
        &format!("{}?q=hotfix", url(&site, "index.html")),
        &["--dump-dom"],
    );
    let results = dom
        .split("id=\"search-results\"")
        .nth(1)
        .expect("a results panel");
    // Each result links its section, with the words to highlight there.
    assert!(
        results.contains("href=\"release/hotfix-guide.html?h=hotfix"),
        "{results}"
    );
    assert!(
        results.contains("<mark>Hotfix</mark>") || results.contains("<mark>hotfix</mark>"),
        "matches are highlighted"
    );
    assert_eq!(console_messages(&log), Vec::<&str>::new());
    chromium(
        &format!("{}?q=rollback", url(&site, "release/index.html")),
        &[
            "--window-size=1280,900",
            &format!(
                "--screenshot={}",
                screenshot_dir().join("search.png").display()
            ),
        ],
    );
}

#[test]
fn search_links_a_heading_that_matches() {
    let Some((_tmp, site)) = built_handbook() else {
        return;
    };
    // The index holds each section's id, the page's own.
    let index = std::fs::read_to_string(site.join("search-index.js")).unwrap();
    assert!(
        index.contains("\"bring-the-fix-home\",\"Bring the fix home\""),
        "{index}"
    );
    let page = std::fs::read_to_string(site.join("release/hotfix-guide.html")).unwrap();
    assert!(page.contains("<h3 id=\"bring-the-fix-home\">"));
    let (dom, log) = chromium(
        &format!("{}?q=bring", url(&site, "index.html")),
        &["--dump-dom"],
    );
    let results = dom.split("id=\"search-results\"").nth(1).unwrap();
    assert!(
        results.contains("href=\"release/hotfix-guide.html?h=bring#bring-the-fix-home\""),
        "{results}"
    );
    assert_eq!(console_messages(&log), Vec::<&str>::new());
}

#[test]
fn mermaid_blocks_become_diagrams() {
    let Some((_tmp, site)) = built_handbook() else {
        return;
    };
    let (dom, log) = chromium(
        &url(&site, "release/team-release-guide.html"),
        &["--dump-dom"],
    );
    let diagram = dom
        .split("<pre class=\"mermaid\"")
        .nth(1)
        .expect("a mermaid block");
    assert!(
        diagram
            .trim_start()
            .starts_with("data-processed=\"true\"><svg"),
        "{}",
        &diagram[..200.min(diagram.len())]
    );
    assert_eq!(console_messages(&log), Vec::<&str>::new());
}

#[test]
fn code_is_highlighted_without_scripts() {
    let Some((_tmp, site)) = built_handbook() else {
        return;
    };
    let html = std::fs::read_to_string(site.join("release/hotfix-guide.html")).unwrap();
    assert!(html.contains("<pre class=\"highlight\" data-lang=\"bash\"><code class=\"language-bash\"><span class=\"hl-"), "colours are in the HTML");
    let (dom, _) = chromium(&url(&site, "release/hotfix-guide.html"), &["--dump-dom"]);
    assert!(
        dom.contains("class=\"al-copy-button\""),
        "copy buttons are added"
    );
}

#[test]
fn headings_get_a_link_to_their_section() {
    let Some((_tmp, site)) = built_handbook() else {
        return;
    };
    let page = "release/hotfix-guide.html";
    let html = std::fs::read_to_string(site.join(page)).unwrap();
    let ids: Vec<String> = html
        .match_indices("<h2 id=\"")
        .map(|(at, open)| {
            let rest = &html[at + open.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect();
    assert!(ids.len() > 2, "{html}");
    assert!(
        !html.contains("class=\"al-anchor\""),
        "the links are not in the HTML"
    );
    let (dom, _) = chromium(&url(&site, page), &["--dump-dom"]);
    for id in &ids {
        assert!(
            dom.contains(&format!(
                "<a class=\"al-anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></h2>"
            )),
            "{id}: {dom}"
        );
    }
}

#[test]
fn dark_mode_follows_the_system() {
    let Some((_tmp, site)) = built_handbook() else {
        return;
    };
    let page = url(&site, "release/hotfix-guide.html");
    let (light, _) = chromium(&page, &["--dump-dom"]);
    let (dark, _) = chromium(&page, &["--force-dark-mode", "--dump-dom"]);
    assert!(light.contains("data-scheme=\"light\""));
    assert!(dark.contains("data-scheme=\"dark\""));
    screenshot_light_and_dark(&page, "guide");
}

#[test]
fn no_request_leaves_the_site() {
    let Some((_tmp, site)) = built_handbook() else {
        return;
    };
    for entry in walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "html" || e == "css") {
            let text = std::fs::read_to_string(path).unwrap();
            for attr in ["src=\"http", "href=\"//", "url(http", "@import \"http"] {
                assert!(!text.contains(attr), "{} loads {attr}…", path.display());
            }
            for link in common::attr_values(&text, "href") {
                if link.starts_with("http") {
                    assert!(
                        !text.contains(&format!("<link rel=\"stylesheet\" href=\"{link}\"")),
                        "{link}"
                    );
                }
            }
        }
    }
}

#[test]
fn pages_have_landmarks_and_a_skip_link() {
    let Some((_tmp, site)) = built_handbook() else {
        return;
    };
    let html = std::fs::read_to_string(site.join("release/hotfix-guide.html")).unwrap();
    for landmark in [
        "<header",
        "<nav class=\"al-sidebar\" aria-label=",
        "<main class=\"al-main\" id=\"content\">",
        "<footer",
        "role=\"search\"",
        "lang=\"en\"",
    ] {
        assert!(html.contains(landmark), "{landmark}");
    }
    assert!(html.contains("<a class=\"al-skip-link\" href=\"#content\">Skip to content</a>"));
    assert!(
        html.contains("<label for=\"search-input\""),
        "the search box is labelled"
    );
}

/// Issue 15: names a pull request controls (a heading id, a file name, a
/// title) reach the search results as text and attributes, never as markup:
/// a shared `?q=` link must not plant a handler that runs on ↓.
#[test]
fn a_shared_search_link_plants_no_handler_from_hostile_names() {
    if !common::browser_available() {
        return;
    }
    let site = common::Fixture::with(&[
        (
            "content/index.md",
            "# Home\n\n## Stripes {#z\"onfocus=\"alert(1)\"x=\"}\n\nZebra stripes.\n",
        ),
        (
            "content/a\"onfocus=\"alert(2)\"x=\".md",
            "---\ntitle: \"Stripes <img src=x onerror=alert(3)>\"\n---\n\nMore stripes.\n",
        ),
    ]);
    site.build(&[]);
    let (dom, log) = chromium(
        &format!("{}?q=stripes", url(&site.path("public"), "index.html")),
        &["--dump-dom"],
    );
    let results = dom
        .split("id=\"search-results\"")
        .nth(1)
        .expect("a results panel");
    let results = &results[..results
        .find("id=\"search-status\"")
        .unwrap_or(results.len())];
    assert_eq!(
        results.matches("class=\"al-search-result\"").count(),
        2,
        "{results}"
    );
    assert!(!results.contains(" onfocus="), "{results}");
    assert!(!results.contains("<img"), "{results}");
    assert!(
        results.contains("href=\"index.html?h=stripes#zonfocusalert1x\""),
        "{results}"
    );
    assert!(
        results.contains("href=\"a%22onfocus=%22alert(2)%22x=%22.html?h=stripes\""),
        "{results}"
    );
    assert_eq!(console_messages(&log), Vec::<&str>::new());
}

/// An MkDocs Material page: a script in it reads the styles the browser
/// computed, and leaves them on `<body data-probe>` for the DOM dump.
const MKDOCS_PAGE: &str = r#"# Pumps

!!! warning "Important"
    Stop the pump first.

??? tip "More"
    Hidden until opened.

=== "Linux"
    Run `make pump`.
=== "Windows"
    Run `pump.exe`.

```rust
{{#include ../listings/pump.rs:2:4}}
```

<script>
addEventListener("load", () => {
  const style = (el) => getComputedStyle(el);
  const box = document.querySelector(".admonition.warning");
  const tabs = document.querySelectorAll(".tabbed-content");
  const labels = document.querySelectorAll(".tabbed-set > label");
  document.body.dataset.probe = [
    style(box).borderLeftStyle,
    style(box.querySelector(".admonition-title")).color,
    style(box).backgroundColor,
    style(tabs[0]).display,
    style(tabs[1]).display,
    labels[0].getBoundingClientRect().top === labels[1].getBoundingClientRect().top,
    // The mdBook include: lines 2 to 4 of the file, highlighted, on a
    // code background.
    (() => {
      const code = [...document.querySelectorAll("pre code")].find((c) => c.textContent.includes("fn start"));
      if (!code) return "no include";
      const keyword = [...code.querySelectorAll("span")].find((s) => s.textContent === "fn");
      return [
        code.textContent.includes("// pump.rs") ? "line 1 shown" : "lines 2-4",
        keyword && style(keyword).color !== style(code).color ? "highlighted" : "plain",
        style(code.closest("pre")).backgroundColor !== "rgba(0, 0, 0, 0)",
      ].join(",");
    })(),
  ].join("|");
});
</script>
"#;

#[test]
fn mkdocs_admonitions_tabs_and_an_mdbook_include_are_styled_in_light_and_dark() {
    if !common::browser_available() {
        return;
    }
    let site = common::Fixture::with(&[
        ("mkdocs.yml", "site_name: Pumps\n"),
        ("docs/index.md", MKDOCS_PAGE),
        (
            "listings/pump.rs",
            "// pump.rs\nfn start(rate: u32) -> bool {\n    rate > 0\n}\n",
        ),
    ]);
    site.build(&[]);
    let page = url(&site.path("public"), "index.html");
    let probe = |flags: &[&str]| {
        let mut args = vec!["--dump-dom"];
        args.extend_from_slice(flags);
        let (dom, log) = chromium(&page, &args);
        assert_eq!(console_messages(&log), Vec::<&str>::new());
        let start = dom.find("data-probe=\"").expect("the probe ran") + "data-probe=\"".len();
        dom[start..start + dom[start..].find('"').unwrap()].to_string()
    };
    // A bordered box titled in the warning colour on the soft background;
    // the first tab shown, the second hidden, their labels side by side.
    assert_eq!(
        probe(&[]),
        "solid|rgb(154, 103, 0)|rgb(246, 248, 250)|block|none|true|lines 2-4,highlighted,true"
    );
    assert_eq!(
        probe(&["--force-dark-mode"]),
        "solid|rgb(210, 153, 34)|rgb(21, 27, 35)|block|none|true|lines 2-4,highlighted,true"
    );
    screenshot_light_and_dark(&page, "mkdocs");
}
