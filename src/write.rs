//! Writing the output atomically: everything goes into a temporary sibling
//! folder which is then swapped in, so a failed build never leaves a
//! half-written site and the previous output stays until the new one is whole.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// The files of a site, held in memory until they are all rendered.
#[derive(Default)]
pub struct Output {
    /// (path relative to the output root, contents)
    pub files: Vec<(String, Vec<u8>)>,
    /// (path relative to the output root, file to copy)
    pub copies: Vec<(String, PathBuf)>,
}

impl Output {
    pub fn add(&mut self, path: impl Into<String>, contents: impl Into<Vec<u8>>) {
        self.files.push((path.into(), contents.into()));
    }

    pub fn copy(&mut self, path: impl Into<String>, from: PathBuf) {
        self.copies.push((path.into(), from));
    }

    pub fn write_atomically(&self, out_dir: &Path) -> Result<()> {
        let parent = out_dir.parent().unwrap_or(Path::new("."));
        let name = out_dir.file_name().map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let pid = std::process::id();
        let staging = parent.join(format!(".{name}.almanac-new-{pid}"));
        let previous = parent.join(format!(".{name}.almanac-old-{pid}"));
        std::fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
        let _ = std::fs::remove_dir_all(&staging);
        if let Err(e) = self.write_into(&staging) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
        let had_previous = out_dir.exists();
        if had_previous {
            std::fs::rename(out_dir, &previous).map_err(|e| {
                let _ = std::fs::remove_dir_all(&staging);
                Error::io("moving aside the previous output", out_dir, e)
            })?;
        }
        if let Err(e) = std::fs::rename(&staging, out_dir) {
            if had_previous {
                let _ = std::fs::rename(&previous, out_dir);
            }
            let _ = std::fs::remove_dir_all(&staging);
            return Err(Error::io("moving the new output into place", out_dir, e));
        }
        if had_previous {
            let _ = std::fs::remove_dir_all(&previous);
        }
        Ok(())
    }

    fn write_into(&self, dir: &Path) -> Result<()> {
        let mut dirs: Vec<PathBuf> = self
            .files
            .iter()
            .map(|(p, _)| p)
            .chain(self.copies.iter().map(|(p, _)| p))
            .filter_map(|p| Path::new(p).parent().map(|d| dir.join(d)))
            .collect();
        dirs.push(dir.to_path_buf());
        dirs.sort_unstable();
        dirs.dedup();
        for d in &dirs {
            std::fs::create_dir_all(d).map_err(|e| Error::io("creating", d, e))?;
        }
        self.files.par_iter().try_for_each(|(rel, contents)| {
            let path = dir.join(rel);
            std::fs::write(&path, contents).map_err(|e| Error::io("writing", &path, e))
        })?;
        self.copies.par_iter().try_for_each(|(rel, from)| {
            std::fs::copy(from, dir.join(rel)).map(drop).map_err(|e| Error::io("copying", from, e))
        })
    }
}

/// Refuses an output folder whose replacement would delete the project's own files.
pub fn check_output_dir(root: &Path, out_dir: &Path, protected: &[&Path]) -> Result<()> {
    let canonical = |p: &Path| -> PathBuf {
        // The output may not exist yet: canonicalize the nearest existing ancestor.
        let mut existing = p.to_path_buf();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_owned());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut c = existing.canonicalize().unwrap_or(existing);
        c.extend(rest.into_iter().rev());
        c
    };
    let out = canonical(out_dir);
    for p in std::iter::once(root).chain(protected.iter().copied()) {
        if canonical(p).starts_with(&out) {
            return Err(Error::Usage(format!(
                "refusing to write the site to `{}`: it would replace `{}`",
                out_dir.display(),
                p.display()
            )));
        }
    }
    Ok(())
}
