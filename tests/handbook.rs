//! The bundled handbook (this repository's own content/) builds into a site
//! whose every internal link and anchor resolves.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use common::{almanac, attr_values};

fn build_handbook() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let root = env!("CARGO_MANIFEST_DIR");
    let run = almanac(&["-C", root, "build", "--out", site.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("error["),
        "the handbook has broken links:\n{}",
        run.stderr
    );
    (out, site)
}

fn html_files(dir: &Path) -> HashMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn every_guide_becomes_a_page() {
    let (_tmp, site) = build_handbook();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let guides: Vec<_> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .collect();
    assert!(guides.len() >= 7, "an overview and at least six guides");
    for guide in guides {
        let rel = guide
            .path()
            .strip_prefix(&content)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let page = if rel.ends_with("README.md") {
            rel.replace("README.md", "index.html")
        } else {
            rel.replace(".md", ".html")
        };
        assert!(site.join(&page).is_file(), "{rel} → {page} missing");
    }
}

#[test]
fn internal_links_and_anchors_resolve() {
    let (_tmp, site) = build_handbook();
    let pages = html_files(&site);
    let mut checked = 0;
    for (file, html) in &pages {
        for href in attr_values(html, "href")
            .into_iter()
            .chain(attr_values(html, "src"))
        {
            if href.contains("://") || href.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
            assert!(
                !path.ends_with(".md"),
                "{file}: href {href} still points at markdown"
            );
            let target = if path.is_empty() {
                file.clone()
            } else {
                let dir = Path::new(file).parent().unwrap();
                normalize(&dir.join(path.replace("%20", " ")))
            };
            assert!(
                site.join(&target).exists(),
                "{file}: {href} → {target} does not exist"
            );
            if !fragment.is_empty() {
                let target_html = &pages[&target];
                assert!(
                    target_html.contains(&format!("id=\"{fragment}\"")),
                    "{file}: {href}: no id `{fragment}` in {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c.as_os_str().to_str().unwrap() {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s.to_string()),
        }
    }
    parts.join("/")
}
