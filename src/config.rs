//! `almanac.yaml` → `Config`. Every key is optional; unknown keys are errors
//! with line and column so a typo never silently does nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::check::Kind;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute URL the site is published at; enables `sitemap.xml`.
    pub base_url: Option<String>,
    pub content_dir: Option<PathBuf>,
    pub data_dir: PathBuf,
    pub output_dir: PathBuf,
    pub theme: String,
    /// Repository web URL, for "edit this page" links.
    pub repo_url: Option<String>,
    /// Branch the edit links point at.
    pub edit_branch: String,
    pub check: CheckConfig,
}

/// The `check:` section.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// Per-kind severity: `error`, `warning` or `off`.
    pub severity: BTreeMap<Kind, Level>,
    /// Globs of root-relative files whose findings are not reported.
    pub ignore_files: Vec<String>,
    /// Globs of link targets and command paths that are not checked.
    pub ignore_targets: Vec<String>,
    pub external: ExternalConfig,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}

/// `check.external`: how `--external` fetches URLs.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ExternalConfig {
    pub timeout_secs: u64,
    pub retries: u32,
    pub concurrency: usize,
    /// Where results are cached between runs (root-relative).
    pub cache_file: PathBuf,
    pub cache_max_age_hours: u64,
    /// Globs of URLs not fetched.
    pub exclude: Vec<String>,
}

impl Default for ExternalConfig {
    fn default() -> Self {
        ExternalConfig {
            timeout_secs: 10,
            retries: 2,
            concurrency: 8,
            cache_file: PathBuf::from(".almanac-cache/external.json"),
            cache_max_age_hours: 24,
            exclude: Vec::new(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            description: String::new(),
            base_url: None,
            content_dir: None,
            data_dir: PathBuf::from("data"),
            output_dir: PathBuf::from("public"),
            theme: "default".into(),
            repo_url: None,
            edit_branch: "main".into(),
            check: CheckConfig::default(),
        }
    }
}

impl Config {
    /// Parses the text of a config file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Config> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        serde_yaml::from_str(text).map_err(|e| yaml_error(file, text, &e, 0))
    }

    /// Reads `path` if it exists; a missing optional config is the default.
    pub fn load(root: &Path, path: &Path, required: bool) -> Result<Config> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&crate::error::display_path(root, path), &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                Ok(Config::default())
            }
            Err(e) => Err(Error::io("reading config", path, e)),
        }
    }
}

/// A YAML error as a located error. `line_offset` is the number of lines of the
/// file before the YAML text starts (front matter starts after `---`).
pub fn yaml_error(
    file: &str,
    full_text: &str,
    err: &serde_yaml::Error,
    line_offset: usize,
) -> Error {
    let (line, column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
    let mut message = err.to_string();
    // The library appends " at line L column C"; we show the position ourselves.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let hint = if message.contains("unknown field") {
        Some("remove the key or fix its spelling")
    } else if message.contains("did not find expected") || message.contains("mapping values") {
        Some("check the indentation and quoting on this line (quote values that contain `: `)")
    } else {
        None
    };
    let err = Error::at(file, full_text, line + line_offset, column, message);
    match hint {
        Some(h) => err.with_hint(h),
        None => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_is_the_default() {
        assert_eq!(
            Config::parse("almanac.yaml", "\n").unwrap(),
            Config::default()
        );
    }

    #[test]
    fn keys_override_defaults() {
        let c = Config::parse(
            "almanac.yaml",
            "title: Handbook\nrepo_url: https://example.org/r\n",
        )
        .unwrap();
        assert_eq!(c.title, "Handbook");
        assert_eq!(c.repo_url.as_deref(), Some("https://example.org/r"));
        assert_eq!(c.output_dir, PathBuf::from("public"));
    }

    #[test]
    fn check_section() {
        let text = "check:\n  severity: { stale-page: error, unknown-flag: off }\n  ignore_files: ['content/archive/**']\n";
        let c = Config::parse("almanac.yaml", text).unwrap();
        assert_eq!(c.check.severity[&Kind::StalePage], Level::Error);
        assert_eq!(c.check.severity[&Kind::UnknownFlag], Level::Off);
        assert_eq!(c.check.ignore_files, ["content/archive/**"]);
        let err =
            Config::parse("almanac.yaml", "check:\n  severity: { broken-lnk: off }\n").unwrap_err();
        assert!(err.to_string().starts_with("almanac.yaml:2:"), "{err}");
    }

    #[test]
    fn unknown_key_is_located() {
        let err = Config::parse("almanac.yaml", "title: x\nbase_ulr: y\n").unwrap_err();
        let Error::Located(loc) = err else {
            panic!("not located: {err}")
        };
        assert_eq!((loc.line, loc.column), (2, 1));
        assert!(loc.message.contains("base_ulr"), "{}", loc.message);
        assert_eq!(loc.source_line, "base_ulr: y");
    }
}
