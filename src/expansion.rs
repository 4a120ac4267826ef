//! What expanding a guide's includes and shortcodes (`include`) produced
//! beside the text: where each line came from, what was not done, what was
//! skipped and read. Kept with the guide's rendering (`markdown::Rendered`).

use std::path::{Path, PathBuf};

use crate::bounded::{Read, read_bounded};

/// A guide's text with the other generators' syntax expanded.
#[derive(Debug, Clone, Default)]
pub struct Expansion {
    /// Where each run of lines of the expanded text comes from: (its first
    /// line in the expanded text, the file, that line's number in the file),
    /// in order.
    pub(crate) map: Vec<(usize, String, usize)>,
    /// Includes not done: a missing file, one outside the repository, a cycle.
    pub problems: Vec<Problem>,
    /// The shortcodes left out, one per occurrence: (the generator, the name).
    pub skipped: Vec<(&'static str, String)>,
    /// The names of the Hugo shortcodes closed (`{{< /tabs >}}`): those
    /// wrap markdown; one never closed writes what it shows itself.
    pub closed: Vec<String>,
    /// The Hugo shortcodes written on a line of their own, one per
    /// occurrence: those may write blocks, headings too.
    pub block_shortcodes: Vec<String>,
    /// `{{#title …}}`.
    pub title: Option<String>,
    /// The paths of Hugo's `{{< ref >}}` and `{{< relref >}}` shortcodes,
    /// written in their place: Hugo finds such a page by its name too
    /// (`SiteIndex::resolve_hugo_ref`).
    pub refs: Vec<String>,
    /// Every file an include named (canonical when it exists) and a hash of
    /// what was read from it (`None`: not read): `serve` renders the page
    /// again when one of them changes.
    pub read: Vec<(PathBuf, Option<u64>)>,
}

/// An include that was not done, where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Expansion {
    /// A shortcode of the page that writes content of its own as the site
    /// is built (a Hugo shortcode never closed, on a line of its own:
    /// `{{< cli/tools-list >}}`), not one that only wraps the page's
    /// markdown (`{{< tabs >}}…`) or writes a value in a line (`absURL`).
    pub fn writing_shortcode(&self) -> Option<&str> {
        self.block_shortcodes
            .iter()
            .map(String::as_str)
            .find(|name| !self.closed.iter().any(|c| c == name))
    }

    /// The file and line that line `line` of the expanded text comes from
    /// (`None` when it is the guide's own line, unmoved).
    pub fn locate(&self, line: usize) -> Option<(&str, usize)> {
        let i = self.map.partition_point(|(at, _, _)| *at <= line);
        let (at, file, from) = self.map.get(i.checked_sub(1)?)?;
        Some((file.as_str(), from + (line - at)))
    }
}

/// The project's folder and the repository's, which bounds the reads: the
/// git work tree around the project (an mdBook in `guide/` includes the code
/// beside it), else the project's folder; both canonical.
pub(crate) fn roots(root: &Path) -> (PathBuf, PathBuf) {
    let project = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let real_root = project
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(&project)
        .to_path_buf();
    (project, real_root)
}

/// A hash of an included file's text, to tell when it changed.
pub(crate) fn hash_text(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl Expansion {
    /// Whether every file the includes named still reads as it did.
    pub fn includes_unchanged(&self, root: &Path) -> bool {
        let (_, real_root) = roots(root);
        self.read.iter().all(|(path, hash)| {
            let now = match read_bounded(&real_root, path) {
                Read::Text(text) => Some(hash_text(&text)),
                _ => None,
            };
            now == *hash
        })
    }
}
