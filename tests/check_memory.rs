//! `almanac check` holds no page text: its peak memory does not grow with
//! the size of the pages' texts. Bytes held are counted by this test
//! binary's allocator (one test only, so nothing else allocates meanwhile).

use almanac::check::{self, CheckOptions, CheckReport};
use almanac::project::Paths;

#[path = "common/counting.rs"]
mod counting;

use counting::peak_during;

#[global_allocator]
static GLOBAL: counting::Counting<std::alloc::System> = counting::Counting(std::alloc::System);

/// A site of `pages` guides, each with `padding` bytes of prose besides
/// headings, links between pages (with `#fragment`s), a broken anchor and a
/// documented command; in a fresh folder.
fn site(pages: usize, padding: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let line = "The release manager confirms that every blocking issue is closed first.\n";
    let prose = line.repeat(padding / line.len() + 1);
    for i in 0..pages {
        let section = format!("content/part-{}", i % 20);
        std::fs::create_dir_all(dir.path().join(&section)).expect("mkdir");
        let next = (i + 1) % pages;
        let text = format!(
            "---\ntitle: Page {i}\n---\n\n# Page {i}\n\n{prose}\n## Setup\n\n\
             See [the next page](../part-{}/page-{next}.md#setup) and \
             [a missing part](../part-{}/page-{next}.md#nowhere-{i}).\n\n\
             ```sh\n./scripts/missing-{i}.sh\n```\n",
            next % 20,
            next % 20,
        );
        std::fs::write(dir.path().join(format!("{section}/page-{i}.md")), text).expect("write");
    }
    dir
}

fn options() -> CheckOptions {
    CheckOptions {
        changed_since: None,
        external: false,
        today: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
        at: None,
        progress: check::external::Progress::Hidden,
    }
}

fn paths(dir: &tempfile::TempDir) -> Paths {
    Paths {
        root: dir.path().to_path_buf(),
        ..Paths::default()
    }
}

#[test]
fn check_memory_does_not_grow_with_the_page_texts() {
    const PAGES: usize = 2000;
    let short = site(PAGES, 200);
    let long = site(PAGES, 20_000);
    // What the longer texts add up to: about 40 MB.
    let grown = PAGES * (20_000 - 200);

    let run = |dir: &tempfile::TempDir| -> CheckReport {
        check::run(&paths(dir), &options()).expect("check runs")
    };
    let (short_report, short_peak) = peak_during(|| run(&short));
    let (long_report, long_peak) = peak_during(|| run(&long));
    // The same findings on both sites: a broken anchor and a missing
    // script per page (so the check really read every page).
    assert_eq!(short_report.findings.len(), long_report.findings.len());
    assert!(short_report.findings.len() >= 2 * PAGES);
    assert!(
        long_peak < short_peak + grown / 20,
        "peak {long_peak} bytes with long texts, {short_peak} with short: grows with the texts"
    );

    // The measure sees texts held: the check that holds them all (as
    // `--external` does) grows by about as much as they weigh.
    let held = |dir: &tempfile::TempDir| check::run_held(&paths(dir), &options()).expect("check");
    let (_, short_held) = peak_during(|| held(&short));
    let (_, long_held) = peak_during(|| held(&long));
    eprintln!(
        "peak bytes: {short_peak} (short texts), {long_peak} (long); held: {short_held}, {long_held}"
    );
    assert!(
        long_held > short_held + grown / 2,
        "held texts not seen: {long_held} vs {short_held}"
    );
}
