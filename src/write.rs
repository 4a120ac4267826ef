//! Writing the output atomically: everything goes into a temporary sibling
//! folder which is then swapped in, so a failed build never leaves a
//! half-written site and the previous output stays until the new one is whole.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A temporary sibling of the output folder that pages are written into as
/// they are rendered. `commit` swaps it in; dropping it uncommitted removes it.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn new(out_dir: &Path) -> Result<Staging> {
        let parent = out_dir.parent().unwrap_or(Path::new("."));
        let name = out_dir
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.almanac-new-{}", std::process::id()));
        std::fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).map_err(|e| Error::io("creating", &dir, e))?;
        Ok(Staging {
            dir,
            target: out_dir.to_path_buf(),
            committed: false,
        })
    }

    /// Writes `contents` at `rel` (a `/`-separated path under the output root).
    pub fn write(&self, rel: &str, contents: &[u8]) -> Result<()> {
        let path = self.prepare(rel)?;
        std::fs::write(&path, contents).map_err(|e| Error::io("writing", &path, e))
    }

    pub fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let path = self.prepare(rel)?;
        std::fs::copy(from, &path)
            .map(drop)
            .map_err(|e| Error::io("copying", from, e))
    }

    fn prepare(&self, rel: &str) -> Result<PathBuf> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
        }
        Ok(path)
    }

    /// Puts the new output in place of the old one.
    pub fn commit(mut self) -> Result<()> {
        let parent = self.target.parent().unwrap_or(Path::new("."));
        let name = self
            .target
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let previous = parent.join(format!(".{name}.almanac-old-{}", std::process::id()));
        let had_previous = self.target.exists();
        if had_previous {
            std::fs::rename(&self.target, &previous)
                .map_err(|e| Error::io("moving aside the previous output", &self.target, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_previous {
                let _ = std::fs::rename(&previous, &self.target);
            }
            return Err(Error::io(
                "moving the new output into place",
                &self.target,
                e,
            ));
        }
        self.committed = true;
        if had_previous {
            let _ = std::fs::remove_dir_all(&previous);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
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
