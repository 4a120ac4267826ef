//! A large site is never held at once: a build's peak memory grows by less
//! than a third of what each added page's markdown weighs (issue 23's
//! 400 MB for 100,000 pages of 11.8 KB is 34%). Counted in bytes
//! the allocator was asked to hold (this test binary's own allocator), not
//! timed; a build of 2,000 generated pages beside one of 20,000, both past
//! the source budget, as every site past 256 MB of markdown is.

use std::path::Path;

#[path = "common/counting.rs"]
mod counting;

#[global_allocator]
static GLOBAL: counting::Counting<std::alloc::System> = counting::Counting(std::alloc::System);

/// Words for the generated prose.
const WORDS: [&str; 16] = [
    "release",
    "branch",
    "freeze",
    "candidate",
    "rollback",
    "sign",
    "publish",
    "notes",
    "approve",
    "staging",
    "canary",
    "metrics",
    "hotfix",
    "cut",
    "tag",
    "owner",
];

/// `pages` guides of about 12 KB each (the benchmark corpus's average) in
/// 20 folders, each with sections, a code block and links to other pages
/// and their headings. Returns the markdown's bytes.
fn generate(root: &Path, pages: usize) -> usize {
    let mut bytes = 0;
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("content/README.md"), "# Generated handbook\n").unwrap();
    for i in 0..pages {
        let dir = root.join(format!("content/s{:02}", i % 20));
        std::fs::create_dir_all(&dir).unwrap();
        let mut text = format!("# Page {i}\n\nThe {} guide.\n", WORDS[i % 16]);
        for s in 0..6 {
            text.push_str(&format!("\n## Step {s} of page {i}\n\n"));
            for w in 0..260 {
                text.push_str(WORDS[(i * 7 + s * 13 + w * w) % 16]);
                text.push(if w % 15 == 14 { '\n' } else { ' ' });
            }
            // Half the links name a heading, as in the benchmark corpus.
            let other = (i * 31 + s * 17 + 1) % pages;
            let fragment = match s % 2 {
                0 => format!("#step-{s}-of-page-{other}"),
                _ => String::new(),
            };
            text.push_str(&format!(
                "\nSee [page {other}](../s{:02}/p{other}.md{fragment}).\n",
                other % 20
            ));
        }
        text.push_str("\n```sh\n./scripts/release.sh --dry-run\n```\n");
        bytes += text.len();
        std::fs::write(dir.join(format!("p{i}.md")), text).unwrap();
    }
    bytes
}

/// The most bytes held at once during a build of `root`, beyond what was
/// held before it; and the pages built.
fn build_peak(root: &Path) -> (usize, usize) {
    let paths = almanac::project::Paths {
        root: root.to_path_buf(),
        content: None,
        data: None,
        config: None,
    };
    let options = almanac::build::BuildOptions {
        out: Some(root.join("public")),
        base_url: None,
        drafts: false,
        strict: false,
        today: chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
        version: None,
    };
    let (pages, peak) = counting::peak_during(|| {
        let report = almanac::build::build(&paths, &options).expect("the generated site builds");
        assert!(
            report.written && report.findings.is_empty(),
            "{:?}",
            report.findings
        );
        report.pages
    });
    (peak, pages)
}

#[test]
fn peak_memory_grows_by_less_than_a_third_of_each_added_page() {
    // Every source past the budget, as on a site of more than 256 MB of
    // markdown. The only test of this binary: nothing else reads the
    // environment while it is set.
    // SAFETY: no other thread of this process reads or writes the
    // environment now.
    unsafe { std::env::set_var("ALMANAC_SOURCE_BUDGET_MB", "0") };
    let small_dir = tempfile::tempdir().unwrap();
    let large_dir = tempfile::tempdir().unwrap();
    let small_bytes = generate(small_dir.path(), 2_000);
    let large_bytes = generate(large_dir.path(), 20_000);
    let (small, small_pages) = build_peak(small_dir.path());
    let (large, large_pages) = build_peak(large_dir.path());
    assert!(
        small_pages > 2_000 && large_pages > 20_000,
        "{small_pages} {large_pages}"
    );
    let added_pages = large_pages - small_pages;
    let added_markdown = large_bytes - small_bytes;
    let growth = large.saturating_sub(small);
    eprintln!(
        "2,000 pages: peak {:.1} MB; 20,000: {:.1} MB; {} bytes a page added, for {} of markdown",
        small as f64 / 1e6,
        large as f64 / 1e6,
        growth / added_pages,
        added_markdown / added_pages,
    );
    assert!(
        growth < added_markdown / 3,
        "the peak grew by {growth} bytes for {added_markdown} bytes of markdown added"
    );
}
