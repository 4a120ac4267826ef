//! The search index: every word of every page, generated pages included, per
//! section (issue 20), and in shards on large sites.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::Fixture;
use serde_json::Value;

/// The index a build wrote into `out`: its pages (title, section, url), its
/// entries (page, id, heading, excerpt) and each term's entries with weights.
struct Index {
    pages: Vec<(String, String, String)>,
    entries: Vec<(usize, String, String, String)>,
    terms: HashMap<String, Vec<(usize, u64)>>,
    shards: Option<Vec<String>>,
}

fn call_argument<'a>(script: &'a str, call: &str) -> &'a str {
    script
        .strip_prefix(&format!("window.{call} && window.{call}("))
        .and_then(|s| s.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("a call of {call}: {}", &script[..script.len().min(200)]))
}

fn add_terms(terms: &mut HashMap<String, Vec<(usize, u64)>>, rows: &Value) {
    for row in rows.as_array().unwrap() {
        // Each entry as the difference d from the one before: `d` (weight
        // 1) or `-(d + 1), weight`.
        let mut at = 0;
        let mut list = row[1]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap());
        let mut postings = Vec::new();
        while let Some(v) = list.next() {
            let (d, weight) = match v {
                0.. => (v, 1),
                _ => (-v - 1, list.next().unwrap() as u64),
            };
            // A term's entries are each once, in order: after the first,
            // every difference is at least 1.
            assert!(
                postings.is_empty() || d > 0,
                "{}: entry {at} repeated or out of order",
                row[0]
            );
            at += d as usize;
            postings.push((at, weight));
        }
        terms.insert(row[0].as_str().unwrap().to_string(), postings);
    }
}

/// A term's shard as the build names it: its first `chars` characters, each
/// an ASCII letter or digit, else `_`.
fn shard_key(term: &str, chars: usize) -> String {
    let mut it = term.chars();
    (0..chars)
        .map(|_| match it.next() {
            Some(c) if c.is_ascii_alphanumeric() => c,
            _ => '_',
        })
        .collect()
}

fn read_index(out: &Path) -> Index {
    let script = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    let index: Value = serde_json::from_str(call_argument(&script, "almanacSearch")).unwrap();
    let text = |v: &Value| v.as_str().unwrap().to_string();
    let pages = index["p"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (text(&p[0]), text(&p[1]), text(&p[2])))
        .collect();
    let mut terms = HashMap::new();
    let Some(keys) = index["s"].as_array() else {
        let entries = index["e"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e[0].as_u64().unwrap() as usize,
                    text(&e[1]),
                    text(&e[2]),
                    text(&e[3]),
                )
            })
            .collect();
        add_terms(&mut terms, &index["t"]);
        return Index {
            pages,
            entries,
            terms,
            shards: None,
        };
    };
    // A sharded index: each page's count of entries, the entries in
    // chunks, the terms in shards named by their first characters.
    let mut entries = Vec::new();
    for (page, n) in index["n"].as_array().unwrap().iter().enumerate() {
        for _ in 0..n.as_u64().unwrap() {
            entries.push((page, String::new(), String::new(), String::new()));
        }
    }
    let chunk = index["c"].as_u64().unwrap() as usize;
    for k in 0..entries.len().div_ceil(chunk) {
        let file =
            std::fs::read_to_string(out.join(format!("search-index/entries-{k}.js"))).unwrap();
        let (at, rows) = call_argument(&file, "almanacSearchEntries")
            .split_once(',')
            .unwrap();
        assert_eq!(at, k.to_string());
        let rows: Value = serde_json::from_str(rows).unwrap();
        for (i, row) in rows.as_array().unwrap().iter().enumerate() {
            let e = &mut entries[k * chunk + i];
            (e.1, e.2, e.3) = (text(&row[0]), text(&row[1]), text(&row[2]));
        }
    }
    let mut shards = Vec::new();
    for key in keys {
        let key = text(key);
        let shard = std::fs::read_to_string(out.join(format!("search-index/{key}.js"))).unwrap();
        let rows: Value =
            serde_json::from_str(call_argument(&shard, "almanacSearchShard")).unwrap();
        for row in rows.as_array().unwrap() {
            let term = row[0].as_str().unwrap();
            assert_eq!(
                shard_key(term, key.chars().count()),
                key,
                "{term} in shard {key}"
            );
        }
        add_terms(&mut terms, &rows);
        shards.push(key);
    }
    Index {
        pages,
        entries,
        terms,
        shards: Some(shards),
    }
}

impl Index {
    /// The (page URL, section id) of the entries holding every word.
    fn find(&self, words: &[&str]) -> Vec<(String, String)> {
        let mut found: Option<Vec<usize>> = None;
        for word in words {
            let hits: Vec<usize> = self
                .terms
                .get(*word)
                .map(|list| list.iter().map(|&(e, _)| e).collect())
                .unwrap_or_default();
            found = Some(match found {
                None => hits,
                Some(before) => before.into_iter().filter(|e| hits.contains(e)).collect(),
            });
        }
        found
            .unwrap_or_default()
            .into_iter()
            .map(|e| {
                let (page, id, _, _) = &self.entries[e];
                (self.pages[*page].2.clone(), id.clone())
            })
            .collect()
    }
}

fn build_handbook() -> (tempfile::TempDir, Index) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = common::almanac(&[
        "-C",
        env!("CARGO_MANIFEST_DIR"),
        "build",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = read_index(&out);
    (tmp, index)
}

/// Issue 20: "yanked" and "INC-2" are deep in the guides, and the release
/// pages, calendar, metrics and reports are made from the data.
#[test]
fn the_handbook_index_holds_every_word_of_every_page() {
    let (tmp, index) = build_handbook();
    // Deep in the hotfix guide, in its rollback section.
    let yanked = index.find(&["yanked"]);
    assert!(
        yanked.contains(&("release/hotfix-guide.html".into(), "rollback".into())),
        "{yanked:?}"
    );
    // INC-2 is in the guides and in the metrics dashboard made from data/metrics.yaml.
    let incident = index.find(&["inc", "2"]);
    for url in [
        "release/hotfix-guide.html",
        "operations/metrics.html",
        "metrics/index.html",
    ] {
        assert!(
            incident.iter().any(|(u, _)| u == url),
            "{url}: {incident:?}"
        );
    }
    // Every generated page is in the index.
    let urls: Vec<&str> = index.pages.iter().map(|p| p.2.as_str()).collect();
    for url in [
        "calendar/index.html",
        "calendar/0.4.1.html",
        "metrics/index.html",
        "reports/2026-Q3.html",
    ] {
        assert!(urls.contains(&url), "{url} not in {urls:?}");
    }
    // A release page is found by its version's words.
    let version = index.find(&["0", "4", "1"]);
    assert!(
        version.iter().any(|(u, _)| u == "calendar/0.4.1.html"),
        "{version:?}"
    );
    // Every section id is one the page has.
    let out = tmp.path().join("site");
    for (page, id, heading, _) in &index.entries {
        if id.is_empty() {
            continue;
        }
        let url = &index.pages[*page].2;
        let html = std::fs::read_to_string(out.join(url)).unwrap();
        let escaped = id.replace('&', "&amp;").replace('"', "&quot;");
        assert!(
            html.contains(&format!(" id=\"{escaped}\"")),
            "{url}#{id} ({heading})"
        );
    }
    // The handbook is small: one file.
    assert!(index.shards.is_none());
}

/// The last word of a long page is found, in its own section, and so are
/// the words of its code blocks (never shown); scripts and the site's frame
/// are left out.
#[test]
fn long_pages_are_indexed_to_their_last_word_by_section() {
    let mut long = String::from("# Long guide\n\nOpening words.\n\n## Middle part\n\n");
    for i in 0..2000 {
        long.push_str(&format!("filler{} ", i % 50));
    }
    long.push_str(
        "\n\n```sh\ncodeonlyword --flag\n```\n\n### The very end {#end}\n\nLast word zebrafinch.\n",
    );
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n\nWelcome.\n"),
        ("content/long.md", &long),
    ]);
    site.build(&[]);
    let index = read_index(&site.path("public"));
    assert_eq!(
        index.find(&["zebrafinch"]),
        [("long.html".to_string(), "end".to_string())]
    );
    assert_eq!(
        index.find(&["opening"]),
        [("long.html".to_string(), String::new())]
    );
    // The heading's words weigh more than the text's.
    let very = &index.terms["very"];
    assert_eq!(very.len(), 1);
    assert!(very[0].1 > 1, "{very:?}");
    // The count of a word in its section.
    let filler = &index.terms["filler7"];
    assert_eq!(filler.len(), 1, "{filler:?}");
    assert_eq!(filler[0].1, 40);
    // A code block's words are found in its section, and never shown.
    assert_eq!(
        index.find(&["codeonlyword", "flag"]),
        [("long.html".to_string(), "middle-part".to_string())]
    );
    assert!(index.entries.iter().all(|e| !e.3.contains("codeonlyword")));
    // The sidebar and footer of every page are not its words.
    assert!(index.find(&["built"]).is_empty(), "the footer's words");
    // Each section's excerpt is the start of its text.
    let end = index.entries.iter().find(|e| e.1 == "end").unwrap();
    assert_eq!(
        (end.2.as_str(), end.3.as_str()),
        ("The very end", "Last word zebrafinch.")
    );
}

/// A site of more than 1,000 pages writes its terms in shards by first
/// character, which the script fetches as a query needs them.
#[test]
fn large_sites_shard_the_terms() {
    let site = Fixture::with(&[("content/README.md", "# Home\n\nWelcome.\n")]);
    for i in 0..1001 {
        // Thirty words of its own per page (`w7x0` … `w7x29`): the terms
        // starting with "w" are too many for one shard.
        let own: Vec<String> = (0..30).map(|j| format!("w{i}x{j}")).collect();
        site.write(
            &format!("content/part{}/p{i:04}.md", i % 4),
            &format!(
                "# Page {i}\n\nWord{i} and ünïcode text, the same on every page.\n\n## More {{#more}}\n\n{}\n",
                own.join(" ")
            ),
        );
    }
    site.build(&[]);
    let out = site.path("public");
    let index = read_index(&out);
    let shards = index.shards.clone().expect("sharded");
    // "w" holds 30,000 terms: split by their first two characters.
    for key in ["wo", "w1", "w9"] {
        assert!(shards.contains(&key.to_string()), "{key} in {shards:?}");
    }
    assert!(!shards.contains(&"w".to_string()), "{shards:?}");
    // A site this large has one entry a page: its title, headings and
    // first 300 bytes of text.
    assert_eq!(
        index.find(&["w777x29"]),
        [("part1/p0777.html".to_string(), String::new())]
    );
    assert_eq!(index.entries.len(), index.pages.len());
    // Entries in chunks of 500: pages after the first chunk keep theirs.
    let (_, _, heading, excerpt) = index
        .entries
        .iter()
        .find(|(page, _, _, _)| index.pages[*page].0 == "Page 1000")
        .unwrap();
    assert_eq!(heading, "");
    assert!(excerpt.starts_with("Page 1000 Word1000 and"), "{excerpt}");
    assert!(shards.contains(&"_".to_string()), "{shards:?}");
    assert!(index.pages.len() > 1000);
    assert_eq!(
        index.find(&["word777"]),
        [("part1/p0777.html".to_string(), String::new())]
    );
    assert_eq!(index.find(&["ünïcode"]).len(), 1001);
}

/// Up to 500 pages every word of every section is found; above, a page is
/// one entry with its title, its headings (wherever they are) and the start
/// of its text, so the index does not grow with the length of the pages.
#[test]
fn large_sites_index_titles_headings_and_the_start_of_each_page() {
    let long = |n: usize| {
        format!(
            "# Page {n}\n\nOpening words here.\n\n{}\n\nDeepword{n} ends the filler.\n\n## Zanzibar{n} rollout\n\nMore text.\n",
            "Filler sentence of the page. ".repeat(60)
        )
    };
    for (pages, every_word) in [(500, true), (501, false)] {
        let site = Fixture::with(&[("content/README.md", "# Home\n\nWelcome.\n")]);
        for n in 1..pages {
            site.write(&format!("content/p{n:04}.md"), &long(n));
        }
        site.build(&[]);
        let index = read_index(&site.path("public"));
        assert_eq!(index.pages.len(), pages);
        let page = "p0007.html".to_string();
        let deep = index.find(&["deepword7"]);
        let heading = index.find(&["zanzibar7"]);
        if every_word {
            assert_eq!(deep, [(page.clone(), String::new())]);
            assert_eq!(heading, [(page, "zanzibar7-rollout".to_string())]);
        } else {
            assert!(deep.is_empty(), "past the start: {deep:?}");
            assert_eq!(heading, [(page.clone(), String::new())]);
            assert_eq!(index.find(&["opening", "page"]).len(), pages - 1);
        }
    }
}
