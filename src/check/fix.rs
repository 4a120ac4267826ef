//! `almanac check --fix`: the broken links almanac can mend for certain (a
//! page git shows was renamed, a renamed heading, a fragment in the wrong
//! letter case), as edits of the link destinations in the markdown source,
//! with the hints that tell of them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::{Finding, Kind};
use crate::error::{Error, LineIndex, Result};
use crate::load::guides::{Guide, file_name, parent};
use crate::load::history::{self, Moves};

/// A file whose link destinations `--fix` rewrites: its text before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFix {
    /// Root-relative: the diff's `a/` and `b/` paths.
    pub file: String,
    /// Where it is read and written.
    pub path: PathBuf,
    pub before: String,
    pub after: String,
    /// How many links it rewrites.
    pub links: usize,
}

impl FileFix {
    /// The change as `diff -u` shows it.
    pub fn diff(&self) -> String {
        unified_diff(&self.file, &self.before, &self.after)
    }
}

/// Writes the fixes. When a file changed since it was read, that is an
/// error and nothing is written.
pub fn apply(fixes: &[FileFix]) -> Result<()> {
    for fix in fixes {
        let now = std::fs::read_to_string(&fix.path)
            .map_err(|e| Error::io("reading a file to fix", &fix.path, e))?;
        if now != fix.before {
            return Err(Error::io(
                "fixing links",
                &fix.path,
                std::io::Error::other("the file changed while almanac was checking it"),
            ));
        }
    }
    for fix in fixes {
        std::fs::write(&fix.path, &fix.after)
            .map_err(|e| Error::io("writing the fixed links", &fix.path, e))?;
    }
    Ok(())
}

/// One line on what `--fix` did (or, with `dry_run`, would do).
pub fn summary(fixes: &[FileFix], dry_run: bool) -> String {
    let links: usize = fixes.iter().map(|f| f.links).sum();
    let (links, files) = (plural(links, "link"), plural(fixes.len(), "file"));
    match (fixes.is_empty(), dry_run) {
        (true, _) => "--fix: no broken link that almanac can fix for certain".to_string(),
        (false, true) => {
            format!("--fix --dry-run: would rewrite {links} in {files}; nothing written")
        }
        (false, false) => format!("--fix: rewrote {links} in {files}"),
    }
}

fn plural(n: usize, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

/// What the site holds that a fix needs to know.
pub struct Site<'a> {
    pub root: &'a Path,
    pub guides: &'a [Guide],
    /// The pages' ids, in the guides' order.
    pub pages: &'a dyn super::ids::PageIds,
}

/// The fixes for `findings`, whose hints now say what was renamed and how
/// many links `--fix` rewrites. `rev` is `--changed-since`'s revision;
/// renames are looked for between it (else `HEAD`) and the working tree.
pub fn plan(site: &Site, findings: &mut [Finding], rev: Option<&str>) -> Result<Vec<FileFix>> {
    let fixable = |f: &Finding| {
        matches!(
            f.kind,
            Kind::BrokenLink | Kind::BrokenImage | Kind::BrokenAnchor | Kind::AnchorCase
        )
    };
    if !findings.iter().any(fixable) {
        return Ok(Vec::new());
    }
    let moves = history::moves_since(site.root, rev)?;
    let was: HashMap<&str, &str> = moves
        .renamed
        .iter()
        .map(|(old, new)| (new.as_str(), old.as_str()))
        .collect();
    let by_file: HashMap<&str, usize> = site
        .guides
        .iter()
        .enumerate()
        .map(|(i, g)| (g.file.as_str(), i))
        .collect();
    let context = Context {
        site,
        moves: &moves,
        was,
        by_file,
        old_headings: HashMap::new(),
    };
    let wanted = context.old_texts_wanted(findings);
    let context = Context {
        old_headings: old_headings(history::texts_at(site.root, rev, &wanted)?),
        ..context
    };
    let causes: Vec<Option<Cause>> = findings.iter().map(|f| context.cause(f)).collect();
    let mut texts = Texts {
        site,
        by_file: &context.by_file,
        read: HashMap::new(),
    };
    let mut edits = Edits::default();
    for (i, (finding, cause)) in findings.iter().zip(&causes).enumerate() {
        if let Some(new_target) = cause.as_ref().and_then(|c| c.new_target.as_deref())
            && let Some((text, body_start)) = texts.get(&finding.file)
        {
            for at in locate(text, body_start, finding) {
                edits.add(i, &finding.file, at, new_target);
            }
        }
    }
    let fixed = edits.fixed();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (i, cause) in causes.iter().enumerate() {
        if let Some(cause) = cause
            && fixed.contains(&i)
        {
            *counts.entry(cause.group.as_str()).or_default() += 1;
        }
    }
    for (i, (finding, cause)) in findings.iter_mut().zip(&causes).enumerate() {
        let Some(cause) = cause else { continue };
        let hint = match (fixed.contains(&i), cause.new_target.is_some()) {
            (true, _) => format!(
                "{}; `--fix` rewrites {}",
                cause.what,
                plural(
                    counts.get(cause.group.as_str()).copied().unwrap_or(1),
                    "link"
                )
            ),
            (false, true) => format!("{}; `--fix` cannot rewrite this link", cause.what),
            (false, false) => cause.what.clone(),
        };
        finding.hint = Some(hint);
    }
    Ok(edits.into_fixes(&texts))
}

/// Why a finding's link broke, when almanac knows for certain.
struct Cause {
    /// What the hint says (before what `--fix` does about it).
    what: String,
    /// The destination to write instead; `None` when there are several
    /// candidates and the hint lists them.
    new_target: Option<String>,
    /// Links with the same cause, counted together in the hint.
    group: String,
}

struct Context<'a> {
    site: &'a Site<'a>,
    moves: &'a Moves,
    /// New path → old path of each rename.
    was: HashMap<&'a str, &'a str>,
    /// Guide file → its index.
    by_file: HashMap<&'a str, usize>,
    /// The heading ids at the revision of the pages looked at, by their path then.
    old_headings: HashMap<String, Vec<String>>,
}

impl Context<'_> {
    /// The path a root-relative file had at the revision.
    fn old_path<'p>(&'p self, file: &'p str) -> &'p str {
        self.was.get(file).copied().unwrap_or(file)
    }

    /// The pages whose text at the revision the findings' causes need: the
    /// targets of broken fragments, and the renamed targets of links with
    /// one, when the change edited them (else their headings are the same).
    fn old_texts_wanted(&self, findings: &[Finding]) -> Vec<String> {
        let mut wanted: HashSet<String> = HashSet::new();
        for f in findings {
            let Some(resolved) = f.resolved.as_deref() else {
                continue;
            };
            let page = match f.kind {
                Kind::BrokenAnchor => resolved,
                Kind::BrokenLink if f.target.contains('#') => {
                    match self.moves.renamed.get(resolved) {
                        Some(new) => new.as_str(),
                        None => continue,
                    }
                }
                _ => continue,
            };
            if self.moves.edited.contains(page) {
                wanted.insert(self.old_path(page).to_string());
            }
        }
        let mut wanted: Vec<String> = wanted.into_iter().collect();
        wanted.sort();
        wanted
    }

    fn cause(&self, f: &Finding) -> Option<Cause> {
        let resolved = f.resolved.as_deref()?;
        match f.kind {
            Kind::BrokenLink | Kind::BrokenImage => self.moved(f, resolved),
            Kind::BrokenAnchor => self.heading_renamed(f, resolved),
            Kind::AnchorCase => self.case(f, resolved),
            _ => None,
        }
    }

    /// A link to `missing`, a file the change renamed; or a relative link of
    /// a page the change moved, to a file that is still where it was.
    fn moved(&self, f: &Finding, missing: &str) -> Option<Cause> {
        let (path, rest) = split_target(&f.target);
        if path.is_empty() || path.starts_with('/') || path.starts_with("@/") {
            return None;
        }
        let here = self.by_file.get(f.file.as_str())?;
        let dir = parent(&self.site.guides[*here].file);
        let exists = |p: &str| self.site.root.join(p).is_file();
        let (new, renamed, group) = match self.renamed_to(missing) {
            Some(new) => (new, true, missing.to_string()),
            None => {
                // The linking page was moved: where the link led from its old place.
                let old_file = self.was.get(f.file.as_str())?;
                let decoded = crate::index::percent_decode(path);
                let meant = crate::index::normalize(parent(old_file), &decoded)?;
                let now = match self.renamed_to(&meant) {
                    Some(new) => new,
                    None if exists(&meant) => meant,
                    None => return None,
                };
                (now, false, format!("moved:{}", f.file))
            }
        };
        let link = match renamed {
            // Renamed within its folder: the link keeps its way there.
            true => same_folder(path, missing, &new),
            false => None,
        };
        let link = link.unwrap_or_else(|| {
            let mut link = relative(dir, &new).replace(' ', "%20");
            if path.starts_with("./") && !link.starts_with("../") {
                link.insert_str(0, "./");
            }
            link
        });
        let what = match renamed {
            true => format!("renamed to `{link}` in this change"),
            false => format!(
                "this page was moved from `{}` in this change; the link led to `{link}`",
                self.was.get(f.file.as_str()).copied().unwrap_or_default()
            ),
        };
        // A fragment whose heading was renamed too is mended with the path.
        let rest = match rest.strip_prefix('#') {
            Some(fragment) => {
                match self.renamed_id(&new, &crate::index::percent_decode(fragment)) {
                    Some(Renamed::To(id)) => format!("#{id}"),
                    _ => rest.to_string(),
                }
            }
            None => rest.to_string(),
        };
        Some(Cause {
            what,
            new_target: Some(format!("{link}{rest}")),
            group,
        })
    }

    /// Where the root-relative `path` was renamed to, when it was and the
    /// new file is there; a page's `x.html` (as mdBook books link it)
    /// follows its `x.md`; a folder (`x/`, `x/index.html`) its README.md.
    fn renamed_to(&self, path: &str) -> Option<String> {
        let exists = |p: &str| self.site.root.join(p).is_file();
        if let Some(new) = self.moves.renamed.get(path) {
            return exists(new).then(|| new.clone());
        }
        // A folder (`setup/`), whose index page moved with it.
        let folder = path.trim_end_matches('/');
        let slash = if path.ends_with('/') { "/" } else { "" };
        if let Some(new_dir) = ["README.md", "index.md", "_index.md"]
            .iter()
            .find_map(|index| {
                let new = self.moves.renamed.get(&format!("{folder}/{index}"))?;
                let new_dir = new.strip_suffix(index)?.strip_suffix('/')?;
                exists(new).then(|| new_dir.to_string())
            })
        {
            return Some(format!("{new_dir}{slash}"));
        }
        let stem = path.strip_suffix(".html")?;
        if let Some(new) = self.moves.renamed.get(&format!("{stem}.md")) {
            let new_stem = new.strip_suffix(".md")?;
            return exists(new).then(|| format!("{new_stem}.html"));
        }
        // `x/index.html`, the page of the folder's index.
        let dir = stem.strip_suffix("/index")?;
        ["README.md", "_index.md"].iter().find_map(|index| {
            let new = self.moves.renamed.get(&format!("{dir}/{index}"))?;
            let new_dir = new.strip_suffix(index)?;
            exists(new).then(|| format!("{new_dir}index.html"))
        })
    }

    /// A `#fragment` of `page` naming a heading the change renamed.
    fn heading_renamed(&self, f: &Finding, page: &str) -> Option<Cause> {
        let (before, fragment) = f.target.split_once('#')?;
        let fragment = crate::index::percent_decode(fragment);
        let group = format!("{page}#{fragment}");
        match self.renamed_id(page, &fragment)? {
            Renamed::To(id) => Some(Cause {
                what: format!("the heading `#{fragment}` was renamed to `#{id}` in this change"),
                new_target: Some(format!("{before}#{id}")),
                group,
            }),
            Renamed::OneOf(ids) => {
                let ids: Vec<String> = ids.iter().map(|id| format!("`#{id}`")).collect();
                let by = match ids.len() {
                    1 => format!("maybe by {}", ids[0]),
                    _ => format!("by {}", ids.join(" or ")),
                };
                Some(Cause {
                    what: format!(
                        "the heading `#{fragment}` was replaced in this change, {by}; `--fix` leaves the link, as it cannot be sure"
                    ),
                    new_target: None,
                    group,
                })
            }
        }
    }

    /// A `#fragment` of `page` that matches one of its ids but for letter case.
    fn case(&self, f: &Finding, page: &str) -> Option<Cause> {
        let (before, fragment) = f.target.split_once('#')?;
        let fragment = crate::index::percent_decode(fragment);
        let anchors = self.site.pages.anchors(*self.by_file.get(page)?);
        let wanted = fragment.to_lowercase();
        let mut matching = anchors.iter().filter(|a| a.to_lowercase() == wanted);
        let id = matching.next()?;
        if matching.next().is_some() {
            return None;
        }
        Some(Cause {
            what: f.hint.clone().unwrap_or_else(|| format!("write `#{id}`")),
            new_target: Some(format!("{before}#{id}")),
            group: format!("{page}#{fragment}"),
        })
    }

    /// Where the heading `id` of the guide `page` (root-relative, as it is
    /// now) went since the revision, if it was one of its headings then.
    fn renamed_id(&self, page: &str, id: &str) -> Option<Renamed> {
        let now = *self.by_file.get(page)?;
        if self.site.pages.anchors(now).contains(&id) {
            return None;
        }
        let then = self.old_headings.get(self.old_path(page))?;
        let before: Vec<&str> = then.iter().map(String::as_str).collect();
        let after = self.site.pages.heading_ids(now);
        renamed_heading(&before, &after, id)
    }
}

/// The heading ids of each page of `texts` (path → text), as the check
/// reads them; pages in parallel.
fn old_headings(texts: HashMap<String, String>) -> HashMap<String, Vec<String>> {
    use rayon::prelude::*;
    texts
        .into_par_iter()
        .map(|(file, text)| {
            let (old, _) = crate::load::guides::parse_lenient(&file, &file, text);
            let ids = crate::markdown::scan(&old.text, old.body_start)
                .headings
                .into_iter()
                .map(|h| h.id)
                .collect();
            (file, ids)
        })
        .collect()
}

/// Where a heading id went.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Renamed {
    To(String),
    /// Several new ids took its place.
    OneOf(Vec<String>),
}

/// Where the heading id `id` of a page whose heading ids were `before` went
/// now that they are `after`: the headings both keep are lined up (their
/// longest common sequence), and `id` was replaced by the new ids in the
/// same gap: the one in the same place when the gap kept its length, else
/// the one new id where `id` alone was. Else the candidates; `None` when
/// `id` was no heading, is still there, or its place has no new id.
fn renamed_heading(before: &[&str], after: &[&str], id: &str) -> Option<Renamed> {
    let at = before.iter().position(|b| *b == id)?;
    if after.contains(&id) || before.len().saturating_mul(after.len()) > 4_000_000 {
        return None;
    }
    // Longest common subsequence, by suffix lengths.
    let width = after.len() + 1;
    let mut lengths = vec![0u32; (before.len() + 1) * width];
    for i in (0..before.len()).rev() {
        for j in (0..after.len()).rev() {
            lengths[i * width + j] = if before[i] == after[j] {
                lengths[(i + 1) * width + j + 1] + 1
            } else {
                lengths[(i + 1) * width + j].max(lengths[i * width + j + 1])
            };
        }
    }
    // Walk it to the gap holding `at`: `before[i0..i]` against `after[j0..j]`.
    let (mut i, mut j, mut i0, mut j0) = (0, 0, 0, 0);
    loop {
        let end = i >= before.len() || j >= after.len();
        if end && at < i0 {
            return None;
        }
        if end || before[i] == after[j] {
            if (i0..i).contains(&at) || end {
                let (i, j) = if end {
                    (before.len(), after.len())
                } else {
                    (i, j)
                };
                let old_gap = &before[i0..i];
                let new_gap = &after[j0..j];
                let fresh: Vec<&str> = new_gap
                    .iter()
                    .copied()
                    .filter(|n| !before.contains(n))
                    .collect();
                if old_gap.len() == new_gap.len() && fresh.contains(&new_gap[at - i0]) {
                    return Some(Renamed::To(new_gap[at - i0].to_string()));
                }
                // Two headings merged into one: which became it is not known.
                return match (old_gap.len(), fresh.as_slice()) {
                    (_, []) => None,
                    (1, [one]) => Some(Renamed::To(one.to_string())),
                    (_, many) => Some(Renamed::OneOf(many.iter().map(|s| s.to_string()).collect())),
                };
            }
            i += 1;
            j += 1;
            (i0, j0) = (i, j);
        } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// The link `path` (as written, to the root-relative `old`) with only its
/// file name changed, when `new` is in the same folder as `old` and the
/// name is written as it is.
fn same_folder(path: &str, old: &str, new: &str) -> Option<String> {
    let (old_name, new_name) = (file_name(old), file_name(new));
    if parent(old) != parent(new) || new_name.contains([' ', '%', '(', ')', '<', '>']) {
        return None;
    }
    let way = path.strip_suffix(old_name)?;
    (way.is_empty() || way.ends_with('/')).then(|| format!("{way}{new_name}"))
}

/// A link destination's path, and the rest (`?query`, `#fragment`).
fn split_target(target: &str) -> (&str, &str) {
    let end = target.find(['?', '#']).unwrap_or(target.len());
    target.split_at(end)
}

/// The relative link from a page in the root-relative folder `dir` to the
/// root-relative file `to`.
fn relative(dir: &str, to: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let shared = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out = "../".repeat(from.len() - shared);
    out.push_str(&to_parts[shared..].join("/"));
    out
}

/// Where `finding`'s link destination is written in `text`: at the
/// finding's line and column (an inline link), or in the reference
/// definitions with that destination (a reference link, whose finding
/// points at its `[`). Nothing when the source does not show the
/// destination as the parser read it (escapes, entities).
fn locate(text: &str, body_start: usize, finding: &Finding) -> Vec<Range<usize>> {
    let target = finding.target.as_str();
    if target.is_empty() || target.contains('\n') || finding.line == 0 {
        return Vec::new();
    }
    let lines = LineIndex::new(text);
    let start = lines.offset_of_line(finding.line);
    let Some(line) = lines.line_text(finding.line) else {
        return Vec::new();
    };
    let Some(at) = line
        .char_indices()
        .nth(finding.column.saturating_sub(1))
        .map(|(i, _)| start + i)
    else {
        return Vec::new();
    };
    let here = &text[at..];
    if here.starts_with(target) {
        return std::iter::once(at..at + target.len()).collect();
    }
    if !(here.starts_with('[') || here.starts_with("![")) {
        return Vec::new();
    }
    let body_start = body_start.min(text.len());
    let body = text.get(body_start..).unwrap_or("");
    let parser = pulldown_cmark::Parser::new_ext(body, crate::markdown::options());
    let mut found: Vec<Range<usize>> = parser
        .reference_definitions()
        .iter()
        .filter(|(_, def)| def.dest.as_ref() == target)
        .filter_map(|(_, def)| {
            let span = def.span.clone();
            let written = body.get(span.clone())?;
            let after = written.find("]:")? + 2;
            let offset = written[after..].find(target)? + after;
            let begin = body_start + span.start + offset;
            Some(begin..begin + target.len())
        })
        .collect();
    found.sort_by_key(|r| r.start);
    found
}

/// The texts of the files with findings: the guides', else read from disk
/// (an included file).
struct Texts<'a> {
    site: &'a Site<'a>,
    by_file: &'a HashMap<&'a str, usize>,
    read: HashMap<String, Option<String>>,
}

impl<'a> Texts<'a> {
    /// The text of `file`, and where its markdown starts (after front matter).
    /// A guide loaded without its text (`Texts::Dropped`) is read again.
    fn get(&mut self, file: &str) -> Option<(&str, usize)> {
        let guide = self.held(file);
        if let Some(guide) = guide {
            return Some((&guide.text, guide.body_start));
        }
        let body_start = self
            .by_file
            .get(file)
            .map_or(0, |&g| self.site.guides[g].body_start);
        let root = self.site.root;
        self.read
            .entry(file.to_string())
            .or_insert_with(|| std::fs::read_to_string(root.join(file)).ok())
            .as_deref()
            .filter(|text| text.is_char_boundary(body_start))
            .map(|text| (text, body_start))
    }

    /// The text of `file` as `get` gave it.
    fn text(&self, file: &str) -> Option<&str> {
        match self.held(file) {
            Some(guide) => Some(&guide.text),
            None => self.read.get(file)?.as_deref(),
        }
    }

    /// The guide `file`, when it holds its text.
    fn held(&self, file: &str) -> Option<&'a Guide> {
        let site: &'a Site<'a> = self.site;
        let &g = self.by_file.get(file)?;
        Some(&site.guides[g]).filter(|guide| !guide.partial)
    }
}

/// A file's replacements by byte range (start, end): what is written, and
/// the findings (their indexes) it fixes.
type FileEdits = BTreeMap<(usize, usize), (String, Vec<usize>)>;

/// Replacements by file and byte range, with the findings they fix. Two
/// findings that would write different things at overlapping bytes fix nothing.
#[derive(Default)]
struct Edits {
    by_file: BTreeMap<String, FileEdits>,
    conflicts: HashSet<usize>,
}

impl Edits {
    fn add(&mut self, finding: usize, file: &str, at: Range<usize>, with: &str) {
        let edits = self.by_file.entry(file.to_string()).or_default();
        match edits.get_mut(&(at.start, at.end)) {
            Some((same, findings)) if same == with => findings.push(finding),
            Some((_, findings)) => {
                self.conflicts.insert(finding);
                self.conflicts.extend(findings.iter().copied());
            }
            None => {
                let overlapping: Vec<usize> = edits
                    .iter()
                    .filter(|((s, e), _)| *s < at.end && at.start < *e)
                    .flat_map(|(_, (_, f))| f.iter().copied())
                    .collect();
                if !overlapping.is_empty() {
                    self.conflicts.insert(finding);
                    self.conflicts.extend(overlapping);
                    return;
                }
                edits.insert((at.start, at.end), (with.to_string(), vec![finding]));
            }
        }
    }

    /// The findings an edit fixes, every one of its edits standing.
    fn fixed(&self) -> HashSet<usize> {
        let mut fixed: HashSet<usize> = self
            .by_file
            .values()
            .flat_map(|edits| edits.values())
            .flat_map(|(_, findings)| findings.iter().copied())
            .collect();
        // A reference definition's finding fixed in one place and not in
        // another is not fixed.
        fixed.retain(|f| !self.conflicts.contains(f));
        fixed
    }

    fn into_fixes(self, texts: &Texts) -> Vec<FileFix> {
        let mut fixes = Vec::new();
        for (file, edits) in self.by_file {
            let Some(before) = texts.text(&file) else {
                continue;
            };
            let mut after = String::with_capacity(before.len());
            let mut from = 0;
            let mut links = 0;
            for ((start, end), (with, findings)) in &edits {
                if findings.iter().any(|f| self.conflicts.contains(f)) {
                    continue;
                }
                after.push_str(&before[from..*start]);
                after.push_str(with);
                from = *end;
                links += findings.len();
            }
            after.push_str(&before[from..]);
            if after != before {
                fixes.push(FileFix {
                    path: texts.site.root.join(&file),
                    file,
                    before: before.to_string(),
                    after,
                    links,
                });
            }
        }
        fixes
    }
}

/// `diff -u a/file b/file` of two texts with the same number of lines (a
/// fix rewrites within lines), three lines of context.
fn unified_diff(file: &str, before: &str, after: &str) -> String {
    const CONTEXT: usize = 3;
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    if old == new {
        return String::new();
    }
    let changed: Vec<usize> = (0..old.len().max(new.len()))
        .filter(|&i| old.get(i) != new.get(i))
        .collect();
    let mut out = format!("--- a/{file}\n+++ b/{file}\n");
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &i in &changed {
        let start = i.saturating_sub(CONTEXT);
        let end = (i + CONTEXT + 1).min(old.len().max(new.len()));
        match hunks.last_mut() {
            Some((_, last_end)) if start <= *last_end => *last_end = end,
            _ => hunks.push((start, end)),
        }
    }
    let range = |start: usize, end: usize, len: usize| {
        let end = end.min(len);
        match end - start.min(end) {
            1 => format!("{}", start + 1),
            0 => format!("{start},0"),
            n => format!("{},{n}", start + 1),
        }
    };
    let line = |out: &mut String, mark: char, text: &str| {
        out.push(mark);
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    };
    for (start, end) in hunks {
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(start, end, old.len()),
            range(start, end, new.len())
        ));
        for i in start..end {
            match (old.get(i), new.get(i)) {
                (Some(a), Some(b)) if a == b => line(&mut out, ' ', a),
                (a, b) => {
                    if let Some(a) = a {
                        line(&mut out, '-', a);
                    }
                    if let Some(b) = b {
                        line(&mut out, '+', b);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_between_folders() {
        for (dir, to, link) in [
            ("docs", "docs/approvals.md", "approvals.md"),
            ("docs/release", "docs/approvals.md", "../approvals.md"),
            ("docs", "docs/release/approvals.md", "release/approvals.md"),
            ("", "README.md", "README.md"),
            ("a/b", "c/d.md", "../../c/d.md"),
            ("a", "a", "../a"),
        ] {
            assert_eq!(relative(dir, to), link, "{dir} → {to}");
        }
    }

    #[test]
    fn a_rename_in_the_same_folder_changes_only_the_name() {
        let cases = [
            (
                "../setup/old.md",
                "docs/setup/old.md",
                "docs/setup/new.md",
                Some("../setup/new.md"),
            ),
            ("./old.md", "docs/old.md", "docs/new.md", Some("./new.md")),
            ("old.md", "docs/old.md", "docs/new.md", Some("new.md")),
            // Another folder, a name written otherwise: computed afresh.
            ("old.md", "docs/old.md", "docs/x/new.md", None),
            ("ol%64.md", "docs/old.md", "docs/new.md", None),
            ("gold.md", "docs/gold.md", "docs/new.md", Some("new.md")),
            ("xold.md", "docs/old.md", "docs/new.md", None),
        ];
        for (path, old, new, link) in cases {
            assert_eq!(same_folder(path, old, new).as_deref(), link, "{path}");
        }
    }

    #[test]
    fn paths_normalize_within_the_root() {
        use crate::index::normalize;
        assert_eq!(normalize("docs/a", "../b.md").as_deref(), Some("docs/b.md"));
        assert_eq!(
            normalize("docs", "./x/./y.md").as_deref(),
            Some("docs/x/y.md")
        );
        assert_eq!(normalize("docs", "../../x.md"), None);
    }

    #[test]
    fn a_renamed_heading_is_found_by_its_place() {
        let to = |id: &str| Some(Renamed::To(id.to_string()));
        // Same place, new text.
        assert_eq!(
            renamed_heading(&["a", "old", "c"], &["a", "new", "c"], "old"),
            to("new")
        );
        // A heading added elsewhere does not confuse the place.
        assert_eq!(
            renamed_heading(&["a", "old", "c"], &["added", "a", "new", "c"], "old"),
            to("new")
        );
        // Two renamed side by side pair up in order.
        assert_eq!(
            renamed_heading(&["a", "x", "y"], &["a", "x2", "y2"], "y"),
            to("y2")
        );
        // At the end, and at the start.
        assert_eq!(
            renamed_heading(&["a", "old"], &["a", "new"], "old"),
            to("new")
        );
        assert_eq!(
            renamed_heading(&["old", "b"], &["new", "b"], "old"),
            to("new")
        );
        // Two removed where one is new: which became it is not known.
        assert_eq!(
            renamed_heading(&["a", "x", "y", "c"], &["a", "z", "c"], "y"),
            Some(Renamed::OneOf(vec!["z".into()]))
        );
        // Two new headings where one was: not certain.
        assert_eq!(
            renamed_heading(&["a", "old", "c"], &["a", "n1", "n2", "c"], "old"),
            Some(Renamed::OneOf(vec!["n1".into(), "n2".into()]))
        );
        // Removed, still there, never there.
        assert_eq!(
            renamed_heading(&["a", "old", "c"], &["a", "c"], "old"),
            None
        );
        assert_eq!(renamed_heading(&["a", "old"], &["old", "a"], "old"), None);
        assert_eq!(renamed_heading(&["a"], &["b"], "zzz"), None);
        // A heading moved into the gap is not new.
        assert_eq!(
            renamed_heading(&["a", "old", "c", "d"], &["a", "d", "c"], "old"),
            None
        );
    }

    #[test]
    fn the_diff_is_diff_u() {
        let before = "1\n2\n3\n4\n[a](old.md)\n6\n7\n8\n9\n10\n11\n12\n[b](old.md)";
        let after = "1\n2\n3\n4\n[a](new.md)\n6\n7\n8\n9\n10\n11\n12\n[b](new.md)";
        assert_eq!(
            unified_diff("docs/x.md", before, after),
            "--- a/docs/x.md\n+++ b/docs/x.md\n\
             @@ -2,7 +2,7 @@\n 2\n 3\n 4\n-[a](old.md)\n+[a](new.md)\n 6\n 7\n 8\n\
             @@ -10,4 +10,4 @@\n 10\n 11\n 12\n-[b](old.md)\n\\ No newline at end of file\n\
             +[b](new.md)\n\\ No newline at end of file\n"
        );
        assert_eq!(unified_diff("x", "same\n", "same\n"), "");
        assert_eq!(
            unified_diff("x", "a\n", "b\n"),
            "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"
        );
    }

    #[test]
    fn reference_definitions_are_located() {
        let text = "# T\n\nSee [the steps][steps].\n\n```\n[steps]: old.md\n```\n\n[steps]: old.md \"Title\"\n";
        let finding = Finding::new(Kind::BrokenLink, "x.md", 3, 5, "old.md", String::new());
        let found = locate(text, 0, &finding);
        assert_eq!(found.len(), 1);
        let at = found[0].clone();
        assert_eq!(&text[at.clone()], "old.md");
        assert!(text[..at.start].ends_with("\n[steps]: "), "{at:?}");
    }
}
