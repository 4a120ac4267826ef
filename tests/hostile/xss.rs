//! Hostile input: xss. Names a pull request controls (file names, heading
//! ids) reach attributes, URLs and the search index; none may become markup
//! or a script URL.

use std::path::Path;

use crate::common::{Fixture, attr_values};

/// The `#{id}` of `## Stripes {#…}` in the attack below, as the site writes it.
const SLUGGED: &str = "zonfocusalert1x";

#[test]
fn a_heading_id_with_quotes_reaches_neither_the_page_nor_the_search_index_raw() {
    let f = Fixture::with(&[
        (
            "content/index.md",
            "# Home\n\n## Stripes {#z\"onfocus=\"alert(1)\"x=\"}\n\nZebra stripes.\n",
        ),
        (
            "content/other.md",
            "# Other\n\nSee [stripes](index.md#zonfocusalert1x).\n",
        ),
    ]);
    let run = f.build(&[]);
    // The id is slugged, with a warning that says where.
    assert!(
        run.stderr.contains("content/index.md:3:12") && run.stderr.contains("#zonfocusalert1x"),
        "{}",
        run.stderr
    );
    let index = f.read("public/search-index.js");
    assert!(!index.contains("onfocus=\\\""), "{index}");
    // The section's entry: [page, id, heading, excerpt].
    assert!(
        index.contains(&format!(",\"{SLUGGED}\",\"Stripes\",")),
        "{index}"
    );
    let page = f.read("public/index.html");
    assert!(page.contains(&format!("<h2 id=\"{SLUGGED}\">")), "{page}");
    assert!(!page.contains("onfocus="), "{page}");
    // The theme's scripts build search results from nodes, never from markup.
    for script in ["almanac.js", "search.js"] {
        let script = f.read(&format!("public/assets/{script}"));
        assert!(
            !script.contains("innerHTML"),
            "search results use innerHTML"
        );
    }

    // check sees the id the page got: a link to it is fine, the id as
    // written is a warning at its position.
    let run = f.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    let finding = &findings[0];
    assert_eq!(finding["kind"], "unsafe-heading-id");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(
        (&finding["file"], &finding["line"], &finding["column"]),
        (&"content/index.md".into(), &3.into(), &12.into())
    );
}

#[test]
fn single_quotes_and_backticks_in_a_heading_id_are_slugged_and_links_agree() {
    let f = Fixture::with(&[(
        "content/index.md",
        "# Home\n\n## Deploy {#x`onmouseover=alert(1)`}\n\n## Back {#'back'}\n\n[d](#xonmouseoveralert1) [b](#back)\n",
    )]);
    f.build(&[]);
    let page = f.read("public/index.html");
    assert!(page.contains("<h2 id=\"xonmouseoveralert1\">"), "{page}");
    assert!(page.contains("<h2 id=\"back\">"), "{page}");
    assert!(!page.contains("'back'"), "{page}");
    let run = f.run(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let kinds: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["unsafe-heading-id", "unsafe-heading-id"]);
}

/// Guides named to break out of an href, at the top and in a folder whose
/// own name is hostile too (breadcrumbs, children, pager, sidebar).
const HOSTILE_NAMES: &[&str] = &[
    "content/javascript:alert(document.domain).md",
    "content/a#b.md",
    "content/c?d.md",
    "content/e%20f.md",
    "content/sp ace.md",
    "content/new\nline.md",
    "content/q\"uote.md",
    "content/x:y/index.md",
    "content/x:y/javascript:void(0).md",
    "content/x:y/g h#i.md",
];

fn hostile_site() -> Fixture {
    let mut files = vec![("content/index.md", "# Home\n\nWelcome.\n")];
    files.extend(
        HOSTILE_NAMES
            .iter()
            .map(|&name| (name, "# Page\n\nText.\n")),
    );
    Fixture::with(&files)
}

/// Every HTML file under `dir`, relative to it.
fn html_files(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            rel.to_str().unwrap().to_string()
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 3 <= bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// What an href in the page at `page` (relative to the output) points at,
/// as a browser resolves it: `None` for a fragment or another scheme.
fn file_of(page: &str, href: &str) -> Option<String> {
    let href = href.replace("&amp;", "&").replace("&#39;", "'");
    if href.starts_with('#') || href.starts_with("http") {
        return None;
    }
    let path = href.split(['#', '?']).next().unwrap();
    let mut parts: Vec<String> = page.split('/').map(String::from).collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(percent_decode(s)),
        }
    }
    if path.ends_with('/') || path.is_empty() {
        parts.push("index.html".into());
    }
    Some(parts.join("/"))
}

#[test]
fn a_guide_named_like_a_javascript_url_never_becomes_a_script_href() {
    let f = hostile_site();
    f.build(&[]);
    let out = f.path("public");
    let pages = html_files(&out);
    // Every page was written under its own name.
    for name in HOSTILE_NAMES {
        let page = name
            .trim_start_matches("content/")
            .replace("index.md", "index.html")
            .replace(".md", ".html");
        assert!(pages.contains(&page), "{page} not in {pages:?}");
    }
    let mut links = 0;
    for page in &pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        for href in attr_values(&html, "href") {
            // A relative href whose first segment has a `:` is a scheme.
            let first = href.split('/').next().unwrap();
            assert!(!first.contains(':'), "{page}: href=\"{href}\"");
            assert!(
                !href.contains(['?', ' ', '\n', '"']) && !href[1..].contains('#'),
                "{page}: href=\"{href}\" is not percent-encoded"
            );
            // …and the encoded link reaches the page.
            if let Some(file) = file_of(page, href) {
                assert!(
                    out.join(&file).is_file(),
                    "{page}: href=\"{href}\" → {file}"
                );
                links += 1;
            }
        }
    }
    // The sidebar alone links every page from every page.
    assert!(links > pages.len() * HOSTILE_NAMES.len(), "{links} links");
    // The section page's breadcrumbs, children and pager were among them.
    let section = f.read("public/x:y/index.html");
    assert!(
        section.contains("<a href=\"javascript%3Avoid(0).html\">"),
        "{section}"
    );
    assert!(section.contains("href=\"g%20h%23i.html\""), "{section}");
    // The search index holds URLs (each page's third field), never a scheme.
    let index = f.read("public/search-index.js");
    let json = index
        .strip_prefix("window.almanacSearch && window.almanacSearch(")
        .and_then(|s| s.strip_suffix(");\n"))
        .unwrap();
    let index: serde_json::Value = serde_json::from_str(json).unwrap();
    let urls: Vec<&str> = index["p"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[2].as_str().unwrap())
        .collect();
    assert!(!urls.iter().any(|u| u.contains(':')), "{urls:?}");
    assert!(
        urls.contains(&"javascript%3Aalert(document.domain).html"),
        "{urls:?}"
    );
}

#[test]
fn check_flags_file_names_that_cannot_be_served_everywhere() {
    let f = hostile_site();
    let run = f.run(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut flagged: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "unservable-name")
        .map(|f| {
            assert_eq!(f["severity"], "warning", "{f}");
            (
                f["file"].as_str().unwrap().to_string(),
                f["target"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    flagged.sort();
    let want: Vec<(String, String)> = [
        ("content/c?d.md", "c?d.md"),
        (
            "content/javascript:alert(document.domain).md",
            "javascript:alert(document.domain).md",
        ),
        ("content/new\nline.md", "new\nline.md"),
        ("content/q\"uote.md", "q\"uote.md"),
        ("content/x:y/g h#i.md", "x:y"),
        ("content/x:y/index.md", "x:y"),
        ("content/x:y/javascript:void(0).md", "x:y"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(flagged, want);
    // Names every host serves once encoded are not findings.
    assert_eq!(run.code, 0, "{}", run.stdout);
    let sarif = f.run(&["check", "--format", "sarif"]).stdout;
    assert!(
        sarif.contains("\"uri\": \"content/javascript%3Aalert(document.domain).md\""),
        "{sarif}"
    );
}

#[test]
fn a_guide_whose_name_is_not_utf8_is_left_out_and_check_says_so() {
    use std::os::unix::ffi::OsStrExt;
    let f = Fixture::with(&[("content/index.md", "# Home\n")]);
    let name = std::ffi::OsStr::from_bytes(b"x\xffy.md");
    std::fs::write(f.path("content").join(name), "# X\n").unwrap();
    let run = f.build(&[]);
    assert!(
        run.stderr.contains("`content/x\u{FFFD}y.md` is left out"),
        "{}",
        run.stderr
    );
    let run = f.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let finding = &report["findings"][0];
    assert_eq!(finding["kind"], "unservable-name");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["file"], "content/x\u{FFFD}y.md");
}
