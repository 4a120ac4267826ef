//! Front matter and data files: invalid ones (found while loading), keys
//! almanac does not know, and pages whose `review_by` date has passed.

use chrono::NaiveDate;

use super::{Finding, Kind, Severity};
use crate::error::{Error, LineIndex};
use crate::load::calendar::Calendar;
use crate::load::guides::Guide;

/// A loading problem (bad YAML, a wrong type, unclosed front matter) as a finding.
pub fn from_problem(problem: &Error) -> Finding {
    match problem {
        Error::Located(loc) => Finding::new(
            Kind::DataError,
            &loc.file,
            loc.line,
            loc.column,
            "",
            &loc.message,
        )
        .hint(loc.hint.clone())
        .resolved(loc.file.clone()),
        other => Finding::new(Kind::DataError, "", 1, 1, "", other.to_string()),
    }
}

/// Calendar inconsistencies (`plan-warning`): weekend milestones, planned
/// releases past with no tag or actual date, cadence gaps.
pub fn plan_findings(
    project: &crate::project::Project,
    calendar: &Calendar,
    text: &str,
    today: NaiveDate,
    history: &crate::load::history::History,
) -> Vec<Finding> {
    let tagged: Vec<&str> = history
        .releases
        .iter()
        .map(|r| r.version.as_str())
        .collect();
    let released = |v: &str| {
        tagged.contains(&v)
            || calendar
                .releases
                .iter()
                .any(|r| r.version == v && r.actual.is_some())
    };
    let file = project
        .calendar_file()
        .unwrap_or_else(|| "data/calendar.yaml".to_string());
    crate::load::calendar::plan_warnings(text, calendar, today, &released)
        .into_iter()
        .chain(crate::load::calendar::history_warnings(
            text,
            calendar,
            &history.releases,
        ))
        .map(|w| plan_warning(&file, w))
        .collect()
}

/// A `plan-warning` finding at its place in the data file `file`.
fn plan_warning(file: &str, w: crate::load::calendar::PlanWarning) -> Finding {
    Finding::new(Kind::PlanWarning, file, w.line, w.column, "", w.message)
        .resolved(file.to_string())
}

/// Metrics worth a `plan-warning`: values entered for computed KPIs.
pub fn metrics_findings(project: &crate::project::Project) -> Vec<Finding> {
    let (Some(metrics), Some(text)) = (&project.metrics, &project.metrics_text) else {
        return Vec::new();
    };
    let file = project.metrics_file();
    crate::load::metrics::warnings(text, metrics)
        .into_iter()
        .map(|w| plan_warning(&file, w))
        .collect()
}

/// Shortcodes that do not parse, are unknown, or name a missing KPI.
/// `text` is the guide `file`'s text, expanded if includes changed it.
pub fn check_shortcodes(
    file: &str,
    text: &str,
    body_start: usize,
    kpi_ids: &[&str],
    metrics_file: &str,
) -> Vec<Finding> {
    crate::shortcodes::find(text, body_start)
        .into_iter()
        .filter_map(|code| {
            let (offset, message) = match code {
                Err(e) => e,
                Ok(code) => (code.start, crate::shortcodes::validate(&code, kpi_ids, metrics_file).err()?),
            };
            let (line, column) = crate::error::line_col(text, offset);
            let hint = "shortcodes: chart(kpi=…|name=\"timeline\"|name=\"slip\"), kpi(id=…), next_release(), calendar(quarter=…)";
            Some(
                Finding::new(Kind::DataError, file, line, column, "", message)
                    .hint(hint.to_string())
                    .resolved(metrics_file.to_string()),
            )
        })
        .collect()
}

/// In `foreign_keys`: every key is another tool's.
const ANY_KEY: &str = "*";

/// The files that say a site is Hugo's.
const HUGO_CONFIGS: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "config/_default/hugo.yaml",
    "config/_default/hugo.toml",
    "hugo.json",
    "config.toml",
    "config.yaml",
];

/// Unknown front matter keys (warnings: other tools' keys are common) and stale pages.
/// Front matter keys that another generator reads, by the file that says
/// the docs are written for it. Such a key is not a mistake in that
/// project; any other unknown key (`titel`) still is.
const FOREIGN_KEYS: &[(&[&str], &[&str])] = &[
    (
        &["mkdocs.yml", "mkdocs.yaml"],
        &[
            "hide",
            "icon",
            "status",
            "template",
            "search",
            "tags",
            "authors",
            "date",
            "categories",
            "links",
            "slug",
            "social",
            "comments",
            "subtitle",
            "readtime",
            "draft",
            "pin",
            "nav_title",
        ],
    ),
    (
        HUGO_CONFIGS,
        &[
            "date",
            "lastmod",
            "publishDate",
            "expiryDate",
            "linkTitle",
            "menu",
            "slug",
            "url",
            "type",
            "layout",
            "tags",
            "categories",
            "keywords",
            "toc",
            "summary",
            "images",
            "outputs",
            "resources",
            "cascade",
            "params",
            "headless",
            "translationKey",
            "no_list",
            "simple_list",
            "hide_summary",
            "manualLink",
            "author",
            "authors",
            "sidebar",
            "icon",
            "exclude_search",
            "hide_feedback",
            "notoc",
            "math",
            "chem",
        ],
    ),
    (
        &[
            "docusaurus.config.js",
            "docusaurus.config.ts",
            "docusaurus.config.mjs",
            // Set up in a folder of its own beside the docs (redux).
            "website/docusaurus.config.js",
            "website/docusaurus.config.ts",
            "website/docusaurus.config.mjs",
        ],
        &[
            "id",
            "slug",
            "sidebar_label",
            "sidebar_position",
            "sidebar_class_name",
            "sidebar_custom_props",
            "displayed_sidebar",
            "hide_title",
            "hide_table_of_contents",
            "toc_min_heading_level",
            "toc_max_heading_level",
            "pagination_label",
            "pagination_next",
            "pagination_prev",
            "custom_edit_url",
            "keywords",
            "image",
            "tags",
            "last_update",
            "unlisted",
            "authors",
            "date",
        ],
    ),
    (
        &["config.toml", "zola.toml"],
        &[
            "date",
            "updated",
            "template",
            "page_template",
            "sort_by",
            "paginate_by",
            "paginate_path",
            "paginate_reversed",
            "insert_anchor_links",
            "in_search_index",
            "render",
            "redirect_to",
            "transparent",
            "generate_feeds",
            "taxonomies",
            "authors",
            "path",
            "summary",
        ],
    ),
    (
        // Starlight's keys; an Astro site's own are its content config's.
        crate::config::ASTRO_CONFIGS,
        &[
            "slug",
            "editUrl",
            "head",
            "tableOfContents",
            "template",
            "hero",
            "lastUpdated",
            "prev",
            "next",
            "sidebar",
            "banner",
            "pagefind",
            "draft",
        ],
    ),
    (
        &["_config.yml", "_config.yaml"],
        &[
            "layout",
            "permalink",
            "nav_order",
            "parent",
            "grand_parent",
            "has_children",
            "nav_exclude",
            "has_toc",
            "search_exclude",
            "redirect_from",
            "tags",
            "categories",
            "date",
            "published",
            "excerpt",
        ],
    ),
];

/// The Astro content configs, which name the fields of its collections.
const CONTENT_CONFIGS: &[&str] = &[
    "src/content.config.ts",
    "src/content.config.mjs",
    "src/content.config.js",
    "src/content/config.ts",
    "src/content/config.mjs",
    "src/content/config.js",
];

/// `root`, and `site` when it is another folder: where a generator's
/// config may be.
fn config_dirs<'a>(
    root: &'a std::path::Path,
    site: &'a std::path::Path,
) -> Vec<&'a std::path::Path> {
    match site == root {
        true => vec![root],
        false => vec![root, site],
    }
}

/// Whether one of `files` (a generator's config names) is in one of `dirs`.
fn has_config(dirs: &[&std::path::Path], files: &[&str]) -> bool {
    files.iter().any(|f| {
        dirs.iter().any(|dir| match *f {
            "mkdocs.yml" => crate::config::mkdocs_config_name(dir).is_some(),
            f => dir.join(f).is_file(),
        })
    })
}

/// Whether the docs are written for another generator: its config is at
/// `root` or in `site` (`foreign_keys` reads what it allows), or an Astro
/// content config is there.
pub fn written_for_another_generator(root: &std::path::Path, site: &std::path::Path) -> bool {
    let dirs = config_dirs(root, site);
    FOREIGN_KEYS
        .iter()
        .any(|(files, _)| has_config(&dirs, files))
        || has_config(&dirs, CONTENT_CONFIGS)
}

/// The front matter keys of the generators whose config files are at
/// `root`, or in `site`, the folder of the project's site (`root` or one
/// of its folders, `SiteIndex::site_root`); and in an Astro site, the keys
/// its content collections' schemas name (`excerpt: z.string()` in
/// `src/content.config.ts`), which are code.
pub fn foreign_keys(root: &std::path::Path, site: &std::path::Path) -> Vec<String> {
    let dirs = config_dirs(root, site);
    let mut keys: Vec<String> = Vec::new();
    let mut hugo = false;
    for (files, known) in FOREIGN_KEYS {
        if has_config(&dirs, files) {
            keys.extend(known.iter().map(|k| k.to_string()));
            hugo |= *files == HUGO_CONFIGS;
        }
    }
    if hugo {
        keys.extend(template_params(&dirs));
    }
    for dir in &dirs {
        for name in CONTENT_CONFIGS {
            if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
                keys.extend(schema_keys(&text));
                // A schema another package defines (starlight-blog's
                // `blogSchema`) names keys almanac cannot read: any goes.
                if text.lines().any(|l| {
                    l.trim_start().starts_with("import")
                        && l.contains("Schema")
                        && !l.contains("@astrojs/starlight/schema")
                }) {
                    keys.push(ANY_KEY.to_string());
                }
            }
        }
    }
    keys
}

/// The page parameters a Hugo site's templates read (`.Params.go_file`,
/// `.Param "category"`, `index .Params "x"`), in its `layouts/` and its
/// themes': any front matter key is a parameter in Hugo, and one a
/// template reads is no mistake (keda's scaler pages' `maintainer`).
fn template_params(dirs: &[&std::path::Path]) -> Vec<String> {
    let mut names = Vec::new();
    let layouts = dirs.iter().flat_map(|dir| {
        let themes = std::fs::read_dir(dir.join("themes"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|theme| theme.path().join("layouts"));
        std::iter::once(dir.join("layouts")).chain(themes)
    });
    for folder in layouts {
        let files = walkdir::WalkDir::new(folder)
            .max_depth(8)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .take(5000);
        for file in files {
            let Ok(text) = std::fs::read_to_string(file.path()) else {
                continue;
            };
            for marker in [".Params.", ".Param \"", "index .Params \""] {
                for (at, _) in text.match_indices(marker) {
                    let name: String = text[at + marker.len()..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                        .collect();
                    if !name.is_empty() {
                        names.push(name.to_lowercase());
                    }
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The names an Astro content config gives its schemas' fields: each
/// `name: z.…` (or `name: reference(…)`, `name: image()`).
fn schema_keys(text: &str) -> impl Iterator<Item = String> + '_ {
    text.match_indices(':').filter_map(|(at, _)| {
        let after = text[at + 1..].trim_start();
        if !(after.starts_with("z.")
            || after.starts_with("reference(")
            || after.starts_with("image("))
        {
            return None;
        }
        let before = text[..at].trim_end();
        let name = before
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
            .unwrap_or_default();
        (!name.is_empty()).then(|| name.to_string())
    })
}

/// `text` is the guide's text (`guide.text` unless it was dropped at load),
/// its markdown starting at `body_start`.
pub fn check_guide(
    guide: &Guide,
    text: &str,
    body_start: usize,
    today: NaiveDate,
    foreign: &[String],
) -> Vec<Finding> {
    let mut findings = Vec::new();
    if body_start == 0 {
        return findings;
    }
    let Some(front) = text.get(..body_start) else {
        return findings;
    };
    let lines = LineIndex::new(text);
    let key_offset = |key: &str| {
        [
            format!("\n{key}:"),
            format!("\n{key} ="),
            format!("\n{key}="),
        ]
        .iter()
        .find_map(|written| front.find(written.as_str()))
    };
    let key_position = |key: &str| key_offset(key).map_or((1, 1), |i| lines.line_col(i + 1));
    // Zola's `[extra]` table is the page's own keys for its templates.
    let zola_extra = front.find("\n[extra]");
    let in_zola_extra =
        |key: &str| zola_extra.is_some_and(|t| key_offset(key).is_some_and(|k| k > t));
    let finding = |kind, severity, key: &str, message: String, hint: &str| {
        let (line, column) = key_position(key);
        Finding::new(kind, &guide.file, line, column, key, message)
            .severity(severity)
            .hint(hint.to_string())
            .resolved(guide.file.clone())
    };
    for key in guide.front.extra.keys().filter(|k| {
        !foreign
            .iter()
            .any(|f| f == ANY_KEY || f.eq_ignore_ascii_case(k))
            && !in_zola_extra(k)
    }) {
        let known = crate::load::guides::KNOWN_KEYS;
        let hint = match super::did_you_mean(key, known.iter().copied()) {
            Some(near) => {
                format!("did you mean `{near}`? templates still see this one as `page.extra`")
            }
            None => format!(
                "known keys: {}; templates still see this one as `page.extra`",
                known.join(", ")
            ),
        };
        findings.push(finding(
            Kind::DataError,
            Severity::Warning,
            key,
            format!("front matter key `{key}` is not one almanac uses"),
            &hint,
        ));
    }
    // A key given twice with the same value: read once, but YAML allows
    // one (most parsers refuse the file).
    if let Some(start) = front.find('\n').map(|n| n + 1)
        && let (crate::load::guides::Repeats::Same(_), repeats) =
            crate::load::guides::repeated_key_offsets(&front[start..])
    {
        for (key, at) in repeats {
            let (line, column) = lines.line_col(start + at);
            findings.push(
                Finding::new(
                    Kind::DataError,
                    &guide.file,
                    line,
                    column,
                    &key,
                    format!("front matter key `{key}` is given twice, with the same value"),
                )
                .severity(Severity::Warning)
                .hint(
                    "remove the second: YAML allows a key once, and most parsers refuse the file"
                        .to_string(),
                )
                .resolved(guide.file.clone()),
            );
        }
    }
    if let Some(date) = guide.front.review_by.filter(|d| *d < today) {
        findings.push(finding(
            Kind::StalePage,
            Severity::Warning,
            "review_by",
            format!("review_by {date} has passed: this page is due for review"),
            "review the page, then move `review_by` forward",
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::guides::parse;

    fn findings(text: &str, today: &str) -> Vec<(Kind, Severity, usize, usize)> {
        let guide = parse("content/g.md", "g.md", text.to_string()).unwrap();
        let today = NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap();
        check_guide(&guide, &guide.text, guide.body_start, today, &[])
            .into_iter()
            .map(|f| (f.kind, f.severity, f.line, f.column))
            .collect()
    }

    #[test]
    fn review_by_in_the_past_is_a_stale_page() {
        let text = "---\ntitle: T\nreview_by: 2026-01-31\n---\n";
        assert_eq!(
            findings(text, "2026-02-01"),
            [(Kind::StalePage, Severity::Warning, 3, 1)]
        );
        assert!(
            findings(text, "2026-01-31").is_empty(),
            "due today is not yet stale"
        );
    }

    #[test]
    fn unknown_keys_are_warnings_at_their_line() {
        let text = "---\ntitle: T\nhide: [toc]\n---\n";
        assert_eq!(
            findings(text, "2026-01-01"),
            [(Kind::DataError, Severity::Warning, 3, 1)]
        );
    }

    #[test]
    fn keys_of_the_generator_the_docs_are_written_for_are_not_warnings() {
        let text = "---\ntitle: T\nhide: [toc]\ntitel: typo\n---\n";
        let guide = parse("content/g.md", "g.md", text.to_string()).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let warned = |keys: &[String]| -> Vec<Finding> {
            check_guide(&guide, &guide.text, guide.body_start, today, keys)
        };
        let lines =
            |keys: &[String]| -> Vec<usize> { warned(keys).iter().map(|f| f.line).collect() };
        let dir = tempfile::tempdir().unwrap();
        assert!(foreign_keys(dir.path(), dir.path()).is_empty());
        std::fs::write(dir.path().join("mkdocs.yml"), "site_name: x\n").unwrap();
        let mkdocs = foreign_keys(dir.path(), dir.path());
        // `hide` is MkDocs Material's; `titel` is a typo in any project.
        assert_eq!(lines(&mkdocs), [4]);
        let hints: Vec<String> = warned(&mkdocs).into_iter().filter_map(|f| f.hint).collect();
        assert!(hints[0].starts_with("did you mean `title`?"), "{hints:?}");
        // An Astro site's content config names its schemas' fields.
        let astro = tempfile::tempdir().unwrap();
        std::fs::write(astro.path().join("astro.config.mjs"), "export default {}\n").unwrap();
        std::fs::create_dir(astro.path().join("src")).unwrap();
        let config = astro.path().join("src/content.config.ts");
        std::fs::write(
            &config,
            "schema: z.object({ hide: z.array(z.string()).optional(), cover: image() })\n",
        )
        .unwrap();
        let keys = foreign_keys(astro.path(), astro.path());
        assert!(keys.iter().any(|k| k == "sidebar"), "{keys:?}");
        assert_eq!(lines(&keys), [4]);
        // A schema from another package: any key may be its.
        std::fs::write(
            &config,
            "import { blogSchema } from 'starlight-blog/schema'\n",
        )
        .unwrap();
        let keys = foreign_keys(astro.path(), astro.path());
        assert!(lines(&keys).is_empty(), "{keys:?}");
        // A Hugo site's templates read page parameters of its own.
        let hugo = tempfile::tempdir().unwrap();
        std::fs::write(hugo.path().join("hugo.toml"), "title = \"x\"\n").unwrap();
        std::fs::create_dir_all(hugo.path().join("themes/t/layouts/partials")).unwrap();
        std::fs::write(
            hugo.path().join("themes/t/layouts/partials/hero.html"),
            "{{ .Params.Hide }} {{ .Param \"titel\" }}\n",
        )
        .unwrap();
        let keys = foreign_keys(hugo.path(), hugo.path());
        assert!(lines(&keys).is_empty(), "{keys:?}");
    }
}
