//! `almanac init [DIR]`: a starter handbook that builds and checks cleanly,
//! to edit rather than to write from a blank page. Never overwrites a file.

use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::error::{Error, Result};
use crate::schema::SchemaFile;

/// The files of a new handbook, as (path, contents), for a project named `name`.
pub fn starter(name: &str, today: NaiveDate) -> Vec<(&'static str, String)> {
    // The first release: a Tuesday about a month out, freeze and candidate the week before.
    let mut release = today + Duration::days(28);
    while release.weekday() != Weekday::Tue {
        release += Duration::days(1);
    }
    let freeze = release - Duration::days(7);
    let rc = release - Duration::days(5);
    let quarter = format!("{}-Q{}", release.year(), (release.month() - 1) / 3 + 1);
    let mut files = vec![
        (
            "almanac.yaml",
            format!(
                "# almanac configuration; every key is optional.\ntitle: {name} handbook\ndescription: How {name} plans, ships and measures releases.\n# repo_url: https://github.com/you/{name}   # adds \"Edit this page\" links\n# base_url: https://docs.example.org/        # adds sitemap.xml\n"
            ),
        ),
        (
            "content/README.md",
            format!(
                "---\ntitle: {name} handbook\ndescription: Start here.\nweight: 0\n---\n\n# {name} handbook\n\nHow we release {name}. Start with the [release guide](release/release-guide.md#steps);\nthe next release is {{{{ next_release() }}}}.\n"
            ),
        ),
        (
            "content/release/README.md",
            "---\ntitle: Releasing\nweight: 10\n---\n\n# Releasing\n\nThe guides in this section describe a release from plan to announcement.\n".to_string(),
        ),
        (
            "content/release/release-guide.md",
            format!(
                "---\ntitle: Release guide\ndescription: The steps of a release, in order.\nweight: 10\naudience: Release managers\nowner: \"@release-team\"\nreview_by: {}\n---\n\n# Release guide\n\n## Steps\n\n1. Freeze features on the date in the [calendar](../README.md).\n2. Tag the release candidate and test it.\n3. Tag the release, publish it and announce it.\n\n> [!TIP]\n> Run `almanac check` before you tag: it proves every link and documented\n> command in this handbook still works.\n",
                today + Duration::days(180)
            ),
        ),
        (
            "data/calendar.yaml",
            format!(
                "# The plan. Actual dates come from git tags named like v1.0.0.\ntimezone: UTC\ntag_pattern: 'v{{version}}'\nslip_tolerance_days: 2\nthemes:\n  - {{ quarter: {quarter}, title: First release, focus: [docs] }}\nreleases:\n  - version: 1.0.0\n    type: major\n    name: First release\n    planned: {{ feature_freeze: {freeze}, rc: {rc}, release: {release} }}\n"
            ),
        ),
        (
            "data/metrics.yaml",
            "# KPIs with targets. `source: git` ones are computed from tags and commits.\nkpis:\n  - { id: on_time_rate, name: On-time rate, source: git, unit: '%', target: { op: '>=', value: 75 } }\n  - { id: test_pass_rate, name: Test pass rate, unit: '%', target: { op: '>=', value: 95 } }\nobservations: []\n".to_string(),
        ),
    ];
    // Editors with the YAML language server validate and complete the data
    // files against their schema (`almanac schema`) from this first line.
    for (path, text) in &mut files {
        let schema = match *path {
            "almanac.yaml" => SchemaFile::Config,
            "data/calendar.yaml" => SchemaFile::Calendar,
            "data/metrics.yaml" => SchemaFile::Metrics,
            _ => continue,
        };
        text.insert_str(0, &schema.modeline());
    }
    files
}

/// Writes the starter files into `dir`; refuses when any of them exists.
pub fn run(dir: &Path, today: NaiveDate) -> Result<Vec<String>> {
    let name = dir
        .canonicalize()
        .ok()
        .or_else(|| std::env::current_dir().ok().map(|c| c.join(dir)))
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "project".into());
    let files = starter(&name, today);
    let existing: Vec<&str> = files
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| dir.join(p).exists())
        .collect();
    if !existing.is_empty() {
        return Err(Error::NotOverwriting {
            dir: dir.to_path_buf(),
            existing: existing.iter().map(|p| p.to_string()).collect(),
        });
    }
    for (path, text) in &files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
        }
        std::fs::write(&target, text).map_err(|e| Error::io("writing", &target, e))?;
    }
    Ok(files.into_iter().map(|(p, _)| p.to_string()).collect())
}
