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

/// Copies the bundled handbook (guides, data, config, scripts) into `dir`.
fn copy_handbook(dir: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for top in ["content", "data", "scripts", "almanac.yaml"] {
        for entry in walkdir::WalkDir::new(root.join(top))
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_type().is_file() {
                let to = dir.join(entry.path().strip_prefix(root).unwrap());
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::copy(entry.path(), to).unwrap();
            }
        }
    }
}

/// Commits every file of `dir` (a repository made on the first call) as
/// `who` at `unix_time`.
fn commit_all(dir: &Path, who: (&str, &str), unix_time: i64) {
    let repo = git2::Repository::open(dir).unwrap_or_else(|_| git2::Repository::init(dir).unwrap());
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::new(who.0, who.1, &git2::Time::new(unix_time, 0)).unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, "docs", &tree, &parents)
        .unwrap();
}

#[test]
fn built_in_page_templates_render_the_same_bytes_as_copies_of_them() {
    // The built-in page templates are written out natively; a site holding
    // copies of them goes through Tera. Every file must come out the same.
    let (native, tera) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [native.path(), tera.path()] {
        copy_handbook(dir);
        // Pages with what the handbook lacks: no toc, a blank description,
        // a section whose pages have descriptions, badges without an owner.
        let extra = [
            (
                "content/edge/README.md",
                "---\ndescription: \"\"\n---\nNo heading here.\n",
            ),
            (
                "content/edge/one.md",
                "---\ntitle: \"One & <two>\"\ndescription: A \"quoted\" page\naudience: [dev, ops]\n---\nBody only.\n",
            ),
            (
                "content/edge/two.md",
                "---\nowner: \"\"\nreview_by: 2030-01-02\n---\n# Two\n\n## Only one subheading\n",
            ),
        ];
        for (path, text) in extra {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    std::fs::create_dir_all(tera.path().join("templates")).unwrap();
    for name in ["base.html", "page.html", "section.html"] {
        std::fs::copy(theme.join(name), tera.path().join("templates").join(name)).unwrap();
    }
    for dir in [native.path(), tera.path()] {
        // A history, so that pages show when and by whom they were last
        // updated: one commit of everything, then one of a single page by
        // someone whose name needs escaping.
        commit_all(dir, ("Ada Tester", "ada@example.org"), 1_767_225_600);
        std::fs::write(
            dir.join("content/edge/two.md"),
            "---\nowner: \"\"\nreview_by: 2030-01-02\n---\n# Two\n\n## Only one subheading\n\nEdited.\n",
        )
        .unwrap();
        commit_all(dir, ("O'Brien & \"Co\"", "ob@example.org"), 1_767_312_000);
        let run = almanac(&["-C", dir.to_str().unwrap(), "build"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let (a, b) = (
        html_files(&native.path().join("public")),
        html_files(&tera.path().join("public")),
    );
    assert!(a.len() > 15, "{}", a.len());
    let updated = a
        .values()
        .filter(|html| html.contains("Last updated "))
        .count();
    assert!(updated > 10, "pages with a last-updated date: {updated}");
    assert!(
        a.values().any(
            |html| html.contains("Last updated 2026-01-02 by O&#x27;Brien")
                || html.contains("Last updated 2026-01-02 by O&#39;Brien")
        ),
        "the second commit's page shows its author"
    );
    let mut names: Vec<&String> = a.keys().collect();
    names.sort();
    assert_eq!(names, {
        let mut n: Vec<&String> = b.keys().collect();
        n.sort();
        n
    });
    for name in names {
        assert_eq!(a[name], b[name], "{name} differs");
    }
}
