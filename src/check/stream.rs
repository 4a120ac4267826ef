//! `check` guide by guide, holding no page text: the guides are loaded
//! without their texts (`Texts::Dropped`: front matter, paths and ids are
//! all the index needs), then each is read again, scanned and checked on
//! its own (guides in parallel), and only its findings are kept, with the
//! little other pages' links need of it (its anchors and heading ids). The
//! `#fragment`s of links are looked up once every page is scanned. The
//! findings are those of `check_project` on whole texts, in the same order
//! (`tests/check_memory.rs` compares the two).

use std::collections::HashMap;
use std::sync::Mutex;

use rayon::prelude::*;

use super::ids::Ids;
use super::links::{GeneratorPage, Slot, Stream};
use super::{CheckOptions, CheckReport, Finding, commands, data, fix, names};
use crate::error::Result;
use crate::expansion::Expansion;
use crate::markdown::Rendered;
use crate::project::{Load, Paths, Project, Texts};

/// `check::run` without `--external`.
pub fn run(paths: &Paths, options: &CheckOptions) -> Result<CheckReport> {
    let project = Project::load_reusing(paths, true, Load::Lenient, Texts::Dropped, None)?;
    let (history, index) = super::history_and_index(&project, options)?;
    let changes = match &options.changed_since {
        Some(rev) => Some(crate::load::history::changes_since(&project.root, rev)?),
        None => None,
    };
    let Found {
        findings,
        pages,
        ids,
        counts,
    } = find(&project, &index, &history, options)?;
    let lines: Vec<super::Lines> = pages.iter().map(Kept::lines).collect();
    let mut report = super::finish(&project, &lines, findings, counts, changes.as_ref())?;
    drop(lines);
    let site = fix::Site {
        root: &project.root,
        guides: &project.guides,
        pages: &ids,
    };
    report.fixes = fix::plan(
        &site,
        &mut report.findings,
        options.changed_since.as_deref(),
    )?;
    report.sources = super::sources(project, &report.findings);
    Ok(report)
}

/// What checking one guide leaves: its findings, and what the findings of
/// other guides need of it.
struct Checked {
    /// What its findings are filtered and moved by.
    page: Kept,
    /// Its anchors and heading ids, for other pages' links and `--fix`.
    ids: Ids,
    /// Its links' findings, and the `#fragment`s to look up.
    links: Vec<Slot>,
    /// The includes not done.
    includes: Vec<Finding>,
    /// Its commands', front matter's, shortcodes' and heading ids' findings,
    /// in that order; `front` are the front matter's, which stay where
    /// they are when the others are moved to where includes came from.
    own: Vec<Finding>,
    front: std::ops::Range<usize>,
    /// What the other generator makes of it, in an MkDocs or Zola project.
    generator: Option<GeneratorPage>,
    links_count: usize,
    commands_count: usize,
}

/// What `find` found, and what is kept of the pages for the findings'
/// filtering and `--fix`.
struct Found {
    findings: Vec<Finding>,
    pages: Vec<Kept>,
    ids: Vec<Ids>,
    /// The pages' links and commands.
    counts: (usize, usize),
}

/// Every finding, before the config and ignore comments have their say,
/// as `super::find` (without `--external`) finds them, in the same order;
/// with what is kept of the pages.
fn find(
    project: &Project,
    index: &crate::index::SiteIndex,
    history: &crate::load::history::History,
    options: &CheckOptions,
) -> Result<Found> {
    let stream = Stream::new(&project.guides, index, project.config.generator);
    let repo = Mutex::new(commands::Repo::new(&project.root));
    let foreign = data::foreign_keys(&project.root, &project.site_root());
    let kpi_ids: Vec<&str> = project
        .metrics
        .iter()
        .flat_map(|m| m.kpis.iter().map(|k| k.id.as_str()))
        .collect();
    let metrics_file = project.metrics_file();
    // Boxed: each is taken apart as soon as it is gathered.
    let checked: Vec<Result<Box<Checked>>> = project
        .guides
        .par_iter()
        .enumerate()
        .map(|(g, guide)| {
            let path = project.content_dir.join(&guide.path);
            // Not UTF-8: the load reported it.
            let (text, _) = crate::error::read_text_lossy(&path, &guide.file)?;
            // A file changed since it was loaded: its markdown starts where
            // it starts now.
            let body_start = match text.is_char_boundary(guide.body_start) {
                true => guide.body_start,
                false => {
                    crate::load::guides::parse_lenient(&guide.file, &guide.path, text.clone())
                        .0
                        .body_start
                }
            };
            let (page, expanded) = super::scan_expanded(
                (&project.root, &project.config.macro_vars),
                &guide.file,
                &text,
                body_start,
            );
            let (links, generator) = stream.guide(g, &page, &text);
            let includes = page
                .expansion
                .iter()
                .flat_map(|x| crate::include::findings(x))
                .collect();
            let mut own = {
                let mut repo = repo.lock().unwrap_or_else(|e| e.into_inner());
                commands::check(&guide.file, &page, &mut repo)?
            };
            let front_start = own.len();
            own.extend(data::check_guide(
                guide,
                &text,
                body_start,
                options.today,
                &foreign,
            ));
            let front = front_start..own.len();
            own.extend(data::check_shortcodes(
                &guide.file,
                expanded.as_deref().unwrap_or(&text),
                body_start,
                &kpi_ids,
                &metrics_file,
            ));
            own.extend(names::heading_ids(guide, &page));
            let (links_count, commands_count) = (page.links.len(), page.commands.len());
            let ids = Ids::new(&page);
            Ok(Box::new(Checked {
                page: Kept::of(page),
                ids,
                links,
                includes,
                own,
                front,
                generator,
                links_count,
                commands_count,
            }))
        })
        .collect();
    let n = checked.len();
    let mut pages = Vec::with_capacity(n);
    let mut ids = Vec::with_capacity(n);
    let mut slots = Vec::with_capacity(n);
    let mut rest = Vec::with_capacity(n);
    // What the other generator makes of the pages that have something:
    // (page, what), made one per page below only when there are any.
    let mut generator_some: Vec<(usize, GeneratorPage)> = Vec::new();
    let (mut links_count, mut commands_count) = (0, 0);
    for c in checked {
        let c = c?;
        pages.push(c.page);
        ids.push(c.ids);
        slots.push(c.links);
        if let Some(generator) = c.generator {
            generator_some.push((pages.len() - 1, generator));
        }
        links_count += c.links_count;
        commands_count += c.commands_count;
        rest.push((c.includes, c.own, c.front));
    }

    let relocate = Relocate::new(project, &pages);
    // One per page, or none when no page has any.
    let mut generator_pages: Vec<GeneratorPage> = Vec::new();
    if !generator_some.is_empty() {
        generator_pages.resize_with(pages.len(), GeneratorPage::default);
        for (page, generator) in generator_some {
            generator_pages[page] = generator;
        }
    }
    let mut links = stream.finish(&ids, generator_pages, slots);
    for found in &mut links {
        relocate.apply(found);
    }
    let names = names::file_names(
        index.content_prefix(),
        &project.guides,
        &project.assets,
        &project.unnamed,
    );
    let mut data = data::metrics_findings(project);
    if let Some((calendar, text)) = &project.calendar {
        data.extend(data::plan_findings(
            project,
            calendar,
            text,
            options.today,
            history,
        ));
    }
    // Made to measure: doubling the findings' room as they come would
    // hold up to three times their weight at once.
    let count = project.problems.len()
        + links.iter().map(Vec::len).sum::<usize>()
        + rest
            .iter()
            .map(|(includes, own, _)| includes.len() + own.len())
            .sum::<usize>()
        + names.len()
        + data.len();
    let mut findings: Vec<Finding> = Vec::with_capacity(count);
    findings.extend(project.problems.iter().map(data::from_problem));
    for found in links {
        findings.extend(found);
    }
    let mut owns = Vec::with_capacity(n);
    for (includes, own, front) in rest {
        findings.extend(includes);
        owns.push((own, front));
    }
    findings.extend(names);
    for (mut own, front) in owns {
        relocate.apply(&mut own[..front.start]);
        relocate.apply(&mut own[front.end..]);
        findings.extend(own);
    }
    findings.extend(data);
    Ok(Found {
        findings,
        pages,
        ids,
        counts: (links_count, commands_count),
    })
}

/// What the check still reads of a guide's scan once the guide is checked
/// (its ids are kept apart, as `Ids`): its ignored lines and includes,
/// which the findings are filtered and moved by.
struct Kept {
    ignored_lines: Box<[usize]>,
    expansion: Option<Box<Expansion>>,
}

impl Kept {
    fn of(page: Rendered) -> Kept {
        Kept {
            ignored_lines: page.ignored_lines.into_boxed_slice(),
            expansion: page.expansion,
        }
    }

    fn lines(&self) -> super::Lines<'_> {
        (&self.ignored_lines, self.expansion.as_deref())
    }
}

/// `crate::include::relocate` with its map made once: findings about
/// expanded texts are moved to the file and line each came from.
struct Relocate<'a> {
    expanded: HashMap<&'a str, &'a Expansion>,
}

impl<'a> Relocate<'a> {
    fn new(project: &'a Project, pages: &'a [Kept]) -> Self {
        Relocate {
            expanded: project
                .guides
                .iter()
                .zip(pages)
                .filter_map(|(g, k)| Some((g.file.as_str(), k.expansion.as_deref()?)))
                .collect(),
        }
    }

    fn apply(&self, findings: &mut [Finding]) {
        if self.expanded.is_empty() {
            return;
        }
        for f in findings {
            if let Some((file, line)) = self
                .expanded
                .get(f.file.as_str())
                .and_then(|x| x.locate(f.line))
            {
                (f.file, f.line) = (file.to_string(), line);
            }
        }
    }
}
