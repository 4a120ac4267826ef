//! `data/*.yaml`: every file is visible to templates as `data.<file stem>`.
//! The calendar and metrics get their own schemas on top of this.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::yaml_error;
use crate::error::{Error, Result, display_path};

pub type DataFiles = BTreeMap<String, serde_json::Value>;

/// Parses one data file's text; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<serde_json::Value> {
    if text.trim().is_empty() {
        return Ok(serde_json::Value::Null);
    }
    serde_yaml::from_str(text).map_err(|e| yaml_error(file, text, &e, 0))
}

/// Every data file of `data_dir`. An invalid file goes to `invalid`, which
/// either fails the load (returns the error) or notes it and skips the file.
/// The text of each file read is put in `texts`, by path.
pub fn load(
    root: &Path,
    data_dir: &Path,
    invalid: &mut dyn FnMut(Error) -> Result<()>,
    texts: &mut BTreeMap<std::path::PathBuf, String>,
) -> Result<DataFiles> {
    let mut files = DataFiles::new();
    let entries = match std::fs::read_dir(data_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(files),
        Err(e) => return Err(Error::io("reading data dir", data_dir, e)),
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    for path in paths {
        let file = display_path(root, &path);
        let text = match crate::error::read_text(&path, &file) {
            Ok(text) => text,
            // Not UTF-8: invalid like a YAML error, with its position.
            Err(e @ Error::Located(_)) => {
                invalid(e)?;
                continue;
            }
            Err(e) => return Err(e),
        };
        let stem = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        match parse(&file, &text) {
            Ok(value) => {
                files.insert(stem, value);
            }
            Err(e) => invalid(e)?,
        }
        texts.insert(path, text);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_becomes_json_values() {
        let v = parse(
            "data/x.yaml",
            "releases:\n  - { version: 1.4.0, planned: 2025-08-05 }\n",
        )
        .unwrap();
        assert_eq!(v["releases"][0]["version"], "1.4.0");
        assert_eq!(v["releases"][0]["planned"], "2025-08-05");
    }

    #[test]
    fn invalid_yaml_is_located() {
        let err = parse("data/x.yaml", "a: 1\nb: [1, 2\n").unwrap_err();
        let Error::Located(loc) = err else {
            panic!("{err}")
        };
        assert_eq!(loc.file, "data/x.yaml");
        assert!(loc.line >= 2, "{loc:?}");
    }
}
