//! A finding of `almanac check`: what kind it is, how severe, and where. The
//! kinds are declared once, in the table below, with their names, default
//! severities and descriptions; everything else about a kind comes from it.

use serde::{Deserialize, Serialize};

/// Declares `Kind` from one row per kind: the variant, the name that the
/// output, the config and the docs use, the default severity and a one-line
/// description (the SARIF rule text).
macro_rules! kinds {
    ($($variant:ident = $name:literal, $severity:ident, $description:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Kind {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl Kind {
            /// Every kind, in the table's order.
            pub const ALL: [Kind; [$(Kind::$variant),*].len()] = [$(Kind::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)*
                }
            }

            pub fn description(self) -> &'static str {
                match self {
                    $(Kind::$variant => $description,)*
                }
            }

            /// The severity a kind has unless the config says otherwise.
            pub fn default_severity(self) -> Severity {
                match self {
                    $(Kind::$variant => Severity::$severity,)*
                }
            }
        }
    };
}

kinds! {
    BrokenLink = "broken-link", Error,
        "A relative link's file does not exist";
    BrokenAnchor = "broken-anchor", Error,
        "The #fragment names no anchor in the target page";
    BrokenImage = "broken-image", Error,
        "An image file does not exist";
    ExternalLink = "external-link", Error,
        "An external URL failed";
    MissingCommand = "missing-command", Error,
        "A documented repository script does not exist";
    NotExecutable = "not-executable", Error,
        "A documented script is run directly but is not executable";
    UnknownFlag = "unknown-flag", Error,
        "A documented option is not accepted by the repository script";
    UnknownTask = "unknown-task", Error,
        "A documented npm/yarn/pnpm script, make target or just recipe does not exist";
    DataError = "data-error", Error,
        "Front matter or a data file is invalid";
    StalePage = "stale-page", Warning,
        "The page's review_by date has passed";
    PlanWarning = "plan-warning", Warning,
        "The release calendar is inconsistent";
    UnservableName = "unservable-name", Warning,
        "A content file's name cannot be served by every host";
    UnsafeHeadingId = "unsafe-heading-id", Warning,
        "A {#id} holds characters unsafe in an attribute or URL and was slugged";
    BrokenReference = "broken-reference", Error,
        "A reference link's label has no definition and renders as literal brackets";
    EmptyLink = "empty-link", Warning,
        "A link or image has an empty target";
    AnchorCase = "anchor-case", Warning,
        "The #fragment matches a heading only when letter case is ignored (GitHub does; most hosts do not)";
    PrivateFile = "private-file", Error,
        "A link to a repository file that is never published (.git, a dotfile, a symbolic link out of the repository, an untracked file)";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    pub severity: Severity,
    /// Relative to the project root.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub target: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The root-relative file the finding is about (a link's target, a script),
    /// to tell which findings a change caused.
    #[serde(skip)]
    pub resolved: Option<String>,
}

impl Finding {
    /// A finding of `kind` at `file:line:column`, with the kind's default
    /// severity, no hint and nothing resolved.
    pub fn new(
        kind: Kind,
        file: impl Into<String>,
        line: usize,
        column: usize,
        target: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            kind,
            severity: kind.default_severity(),
            file: file.into(),
            line,
            column,
            target: target.into(),
            message: message.into(),
            hint: None,
            resolved: None,
        }
    }

    /// With a hint on how to fix it (`None` for none).
    pub fn hint(mut self, hint: impl Into<Option<String>>) -> Finding {
        self.hint = hint.into();
        self
    }

    /// With the file the finding is about (`None` for none).
    pub fn resolved(mut self, resolved: impl Into<Option<String>>) -> Finding {
        self.resolved = resolved.into();
        self
    }

    /// With another severity than the kind's default, for the cases a kind
    /// is sometimes surer or less sure.
    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            self.file,
            self.line,
            self.column,
            self.severity.as_str(),
            self.kind.as_str(),
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_the_design_names() {
        for kind in Kind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            let back: Kind = serde_json::from_str(&json).unwrap();
            assert_eq!(back, kind);
        }
    }

    /// The first column of the README's table of finding kinds, in the
    /// section "Checking the docs in CI".
    fn documented_kinds(readme: &str) -> Vec<String> {
        let section = readme
            .split("\n## ")
            .find(|s| s.starts_with("Checking the docs in CI"))
            .expect("the README has a section \"Checking the docs in CI\"");
        let mut lines = section.lines().skip_while(|l| !l.starts_with("| kind |"));
        lines.next().expect("the section has a table of kinds");
        lines
            .skip(1)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let first = l.trim_start_matches('|').split('|').next().unwrap_or("");
                first.trim().trim_matches('`').to_string()
            })
            .collect()
    }

    #[test]
    fn the_readme_documents_every_kind_and_no_other() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
            .expect("README.md");
        let mut documented = documented_kinds(&readme);
        documented.sort();
        let mut declared: Vec<String> = Kind::ALL.iter().map(|k| k.as_str().to_string()).collect();
        declared.sort();
        assert_eq!(documented, declared);
    }

    #[test]
    fn severity_defaults_from_the_kind_and_can_be_overridden() {
        let f = Finding::new(Kind::StalePage, "a.md", 3, 1, "review_by", "late");
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!((f.hint.as_deref(), f.resolved.as_deref()), (None, None));
        let f = Finding::new(Kind::DataError, "a.md", 1, 1, "", "bad")
            .severity(Severity::Warning)
            .hint(Some("fix it".to_string()))
            .resolved("a.md".to_string());
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.hint.as_deref(), Some("fix it"));
        assert_eq!(f.resolved.as_deref(), Some("a.md"));
    }
}
