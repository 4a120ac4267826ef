//! What a changed file means for `serve`: a pure `classify(path)`, and the
//! debounced notify watcher that feeds it (editor save bursts and atomic
//! renames arrive as one batch).

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// A guide or an asset of the content folder.
    Content,
    /// A data file: the pages that use it, which may be any.
    Data,
    /// Templates or theme files: every page.
    Theme,
    /// Files copied as they are.
    Static,
    /// `almanac.yaml`: everything.
    Config,
}

/// The folders a project's changes are sorted by.
#[derive(Debug, Clone)]
pub struct Layout {
    pub root: PathBuf,
    pub content: PathBuf,
    pub data: PathBuf,
    pub config: PathBuf,
    /// Where `serve` writes; never a source of changes.
    pub output: PathBuf,
}

/// What a change to `path` touches, or `None` when it does not matter
/// (editor swap files, version control, the output itself).
pub fn classify(layout: &Layout, path: &Path) -> Option<Change> {
    let name = path.file_name()?.to_string_lossy();
    let temporary = name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".crdownload"]
            .iter()
            .any(|s| name.ends_with(s))
        || name == "4913"
        || name == ".DS_Store"
        || name.contains(".almanac-new-")
        || name.contains(".almanac-old-");
    if temporary || path.starts_with(&layout.output) {
        return None;
    }
    let rel = path.strip_prefix(&layout.root).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    if [".git", "target", "node_modules", ".almanac-cache"].contains(&first.as_ref()) {
        return None;
    }
    if path == layout.config {
        Some(Change::Config)
    } else if path.starts_with(&layout.content) {
        Some(Change::Content)
    } else if path.starts_with(&layout.data) {
        Some(Change::Data)
    } else if first == "themes" || first == "templates" {
        Some(Change::Theme)
    } else if first == "static" {
        Some(Change::Static)
    } else {
        None
    }
}

/// Watches the project root; each debounced batch of paths goes to `tx`.
/// Keep the returned guard alive as long as watching should go on.
pub fn watch(root: &Path, tx: Sender<Vec<PathBuf>>) -> Result<impl Drop> {
    let mut debouncer = new_debouncer(
        Duration::from_millis(60),
        None,
        move |result: DebounceEventResult| {
            if let Ok(events) = result {
                // Reads (our own rebuild opening files) are events too: only writes count.
                let paths: Vec<PathBuf> = events
                    .into_iter()
                    .filter(|e| is_write(&e.event.kind))
                    .flat_map(|e| e.event.paths.clone())
                    .collect();
                if !paths.is_empty() {
                    let _ = tx.send(paths);
                }
            }
        },
    )
    .map_err(|e| Error::Watch {
        path: None,
        message: e.to_string(),
    })?;
    debouncer
        .watch(root, RecursiveMode::Recursive)
        .map_err(|e| Error::Watch {
            path: Some(root.to_path_buf()),
            message: e.to_string(),
        })?;
    Ok(debouncer)
}

fn is_write(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(
                ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any | ModifyKind::Other
            )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_paths() {
        let layout = Layout {
            root: "/r".into(),
            content: "/r/content".into(),
            data: "/r/data".into(),
            config: "/r/almanac.yaml".into(),
            output: "/tmp/out".into(),
        };
        let cases = [
            ("/r/content/a.md", Some(Change::Content)),
            ("/r/content/img/x.png", Some(Change::Content)),
            ("/r/content/.a.md.swp", None),
            ("/r/content/a.md~", None),
            ("/r/content/4913", None),
            ("/r/content/.#a.md", None),
            ("/r/data/calendar.yaml", Some(Change::Data)),
            ("/r/themes/default/templates/page.html", Some(Change::Theme)),
            ("/r/templates/page.html", Some(Change::Theme)),
            ("/r/static/robots.txt", Some(Change::Static)),
            ("/r/almanac.yaml", Some(Change::Config)),
            ("/r/.git/index", None),
            ("/r/target/debug/x", None),
            ("/r/README.md", None),
            ("/tmp/out/index.html", None),
        ];
        for (path, want) in cases {
            assert_eq!(classify(&layout, Path::new(path)), want, "{path}");
        }
    }
}
