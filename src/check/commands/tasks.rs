//! Task files: package.json scripts, Makefile targets (with their includes)
//! and justfile recipes, and what a documented task that is not there is.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::join_rel;
use super::repo::{Read, read_bounded};
use crate::check::{Severity, did_you_mean, listing};

/// The names a task file defines (package.json scripts, just recipes).
pub(super) enum Listing {
    /// No such file: a task documented against it cannot run.
    Missing,
    /// The file is there but was not read (see `Read::Refused`): say nothing.
    Unread,
    Names(Vec<String>),
}

impl Listing {
    /// For `task_problem`: `None` when the file is missing; skip when unread.
    pub(super) fn known(&self, entry: &str) -> Option<Option<(bool, &[String])>> {
        match self {
            Listing::Missing => Some(None),
            Listing::Unread => None,
            Listing::Names(names) => Some(Some((names.iter().any(|n| n == entry), names))),
        }
    }
}

/// Why `entry` (a package script, make target or just recipe) cannot run, if
/// it cannot: `known` is `None` when the file listing them (`shown`) does not
/// exist, else whether `entry` is there and the names that are.
pub(super) fn task_problem(
    entry: &str,
    what: &str,
    invoked: &str,
    shown: &str,
    known: Option<(bool, &[String])>,
) -> Option<(String, Option<String>, Severity)> {
    let (found, names) = match known {
        // Docs often show another repository's commands (`make release-tools`
        // "from the kubernetes/release repository"): with no build file
        // here at all, almanac cannot be sure, so this is only a warning.
        None => {
            return Some((
                format!("{invoked}, but there is no `{shown}`"),
                Some("if the command runs in another repository, say so in the text; almanac does not judge it".into()),
                Severity::Warning,
            ));
        }
        Some(known) => known,
    };
    if found {
        return None;
    }
    let hint = did_you_mean(entry, names.iter().map(String::as_str))
        .map(|n| format!("did you mean `{n}`?"))
        .or_else(|| {
            (!names.is_empty()).then(|| format!("`{shown}` has {}", listing(entry, names)))
        });
    Some((
        format!("no {what} `{entry}` in `{shown}`"),
        hint,
        Severity::Error,
    ))
}

/// The file a task runner reads in `dir`: the one named with `-f`, else the
/// first of `names` that exists; with the name to show in messages.
pub(super) fn build_file(
    root: &Path,
    dir: &str,
    named: Option<&str>,
    names: &[&str],
) -> (Option<PathBuf>, String) {
    let file = match named {
        Some(f) => Some(root.join(dir).join(f)),
        None => names
            .iter()
            .map(|n| root.join(dir).join(n))
            // Any file, regular or not: one that cannot be read is not judged,
            // never taken for a missing one.
            .find(|p| p.symlink_metadata().is_ok() && !p.is_dir()),
    };
    let shown = match &file {
        Some(f) => crate::error::display_path(root, f),
        None => join_rel(dir, names.last().copied().unwrap_or_default()),
    };
    (file, shown)
}

/// The `scripts` of a package.json, read within bounds. One that is not
/// JSON is an error at its position: what it runs cannot be known.
pub(super) fn package_scripts(
    real_root: &Path,
    root: &Path,
    manifest: &Path,
) -> crate::error::Result<Listing> {
    let text = match read_bounded(real_root, manifest) {
        Read::Text(text) => text,
        Read::Missing => return Ok(Listing::Missing),
        Read::Refused => return Ok(Listing::Unread),
    };
    let file = crate::error::display_path(root, manifest);
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        let mut message = e.to_string();
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        // serde_json counts columns in bytes; messages count characters.
        let line = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
        let byte = e.column().saturating_sub(1).min(line.len());
        let column = line.get(..byte).map_or(byte, |s| s.chars().count()) + 1;
        crate::error::Error::at(
            &file,
            &text,
            e.line(),
            column,
            format!("not valid JSON: {message}"),
        )
        .with_hint(
            "npm cannot read this package.json either; fix it to check the documented scripts",
        )
    })?;
    let mut names: Vec<String> = json
        .get("scripts")
        .and_then(|s| s.as_object())
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    names.sort();
    Ok(Listing::Names(names))
}

/// The names of the packages whose binaries `yarn X` and `pnpm X` run
/// from the project of `manifest`: its own, its dependencies' (of every
/// kind) and its own `bin` entries.
pub(super) fn package_names(real_root: &Path, manifest: &Path) -> Vec<String> {
    let Read::Text(text) = read_bounded(real_root, manifest) else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    let mut names: Vec<String> = json
        .get("name")
        .and_then(|n| n.as_str())
        .map(str::to_string)
        .into_iter()
        .collect();
    for key in [
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "optionalDependencies",
        "bin",
    ] {
        if let Some(map) = json.get(key).and_then(|d| d.as_object()) {
            names.extend(map.keys().cloned());
        }
    }
    // Packages whose binaries have other names (`yarn tsc` is typescript's).
    let bins: Vec<String> = names
        .iter()
        .flat_map(|package| {
            OTHER_BINARIES
                .iter()
                .filter(move |(p, _)| p == package)
                .flat_map(|(_, bins)| bins.iter().map(|b| b.to_string()))
        })
        .collect();
    names.extend(bins);
    names
}

/// Well-known packages whose binaries are not named after them.
const OTHER_BINARIES: &[(&str, &[&str])] = &[
    ("typescript", &["tsc", "tsserver"]),
    ("@biomejs/biome", &["biome"]),
    ("@playwright/test", &["playwright"]),
    ("@angular/cli", &["ng"]),
    ("@vue/cli", &["vue"]),
    ("@nestjs/cli", &["nest"]),
    ("@changesets/cli", &["changeset"]),
    ("@commitlint/cli", &["commitlint"]),
    ("@docusaurus/core", &["docusaurus"]),
    ("@11ty/eleventy", &["eleventy"]),
    ("@sveltejs/kit", &["svelte-kit"]),
    ("@tauri-apps/cli", &["tauri"]),
    ("@redocly/cli", &["redocly"]),
    ("@swc/cli", &["swc"]),
    ("@storybook/cli", &["storybook", "sb"]),
    ("storybook", &["sb"]),
    ("nuxt", &["nuxi"]),
    ("npm-run-all", &["run-s", "run-p"]),
    ("npm-run-all2", &["npm-run-all", "run-s", "run-p"]),
    ("@microsoft/api-extractor", &["api-extractor"]),
];

/// The targets a Makefile defines, with the files it includes.
#[derive(Debug, Default)]
pub struct MakeTargets {
    pub names: Vec<String>,
    /// `%` pattern rules: `%.o` makes `main.o` a target.
    patterns: Vec<String>,
    /// A target name built from a variable: anything may be a target.
    dynamic: bool,
}

impl MakeTargets {
    pub(super) fn has(&self, target: &str) -> bool {
        self.dynamic
            || self.names.iter().any(|n| n == target)
            || self.patterns.iter().any(|p| match p.split_once('%') {
                Some((pre, post)) => {
                    target.len() >= pre.len() + post.len()
                        && target.starts_with(pre)
                        && target.ends_with(post)
                }
                None => false,
            })
    }
}

pub(super) fn make_targets(real_root: &Path, makefile: &Path) -> Option<MakeTargets> {
    let mut targets = MakeTargets::default();
    let mut seen = HashSet::new();
    read_makefile(real_root, makefile, &mut targets, &mut seen).then_some(targets)
}

/// Adds the targets of the Makefile at `path` and of what it includes;
/// `false` when there is no such file.
fn read_makefile(
    real_root: &Path,
    path: &Path,
    targets: &mut MakeTargets,
    seen: &mut HashSet<PathBuf>,
) -> bool {
    if !seen.insert(path.to_path_buf()) {
        return true;
    }
    let text = match read_bounded(real_root, path) {
        Read::Text(text) => text,
        Read::Missing => return false,
        // Its targets are unknown: any target may be one of them.
        Read::Refused => {
            targets.dynamic = true;
            return true;
        }
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    for include in parse_make_targets(&text, targets) {
        // A missing include is make's problem (or generated at build time), not the docs'.
        read_makefile(real_root, &dir.join(include), targets, seen);
    }
    true
}

/// Adds the targets of one Makefile's text to `targets`; returns the files it includes.
pub fn parse_make_targets(text: &str, targets: &mut MakeTargets) -> Vec<String> {
    let mut includes = Vec::new();
    let mut in_define = false;
    let mut logical = String::new();
    for raw in text.lines() {
        if raw.starts_with('\t') && logical.is_empty() {
            continue; // a recipe line
        }
        if let Some(joined) = raw.strip_suffix('\\') {
            logical.push_str(joined);
            logical.push(' ');
            continue;
        }
        logical.push_str(raw);
        let line = std::mem::take(&mut logical);
        let line = line.split('#').next().unwrap_or("");
        let trimmed = line.trim();
        if in_define {
            in_define = trimmed != "endef";
            continue;
        }
        if trimmed.starts_with("define ") || trimmed == "define" {
            in_define = true;
            continue;
        }
        if let Some(files) = ["include ", "-include ", "sinclude "]
            .iter()
            .find_map(|p| trimmed.strip_prefix(p))
        {
            includes.extend(
                files
                    .split_whitespace()
                    .filter(|f| !f.contains('$'))
                    .map(String::from),
            );
            continue;
        }
        // A top-level expansion may write rules whose names make knows
        // only then: `$(eval $(call rule,…))`, or envoyproxy/gateway's
        // wrapper `$(if $(MAKECMDGOALS),$(MAKECMDGOALS): %: _run)`, which
        // makes any goal a target. Not those that only print or stop.
        if let Some(call) = trimmed.strip_prefix("$(").or(trimmed.strip_prefix("${"))
            && !["info ", "warning ", "error ", "shell "]
                .iter()
                .any(|f| call.starts_with(f))
        {
            targets.dynamic = true;
            continue;
        }
        let Some(colon) = rule_colon(line) else {
            continue;
        };
        let lhs = &line[..colon];
        if lhs.contains('=') {
            continue;
        }
        for name in lhs.split_whitespace() {
            if name.contains('$') {
                targets.dynamic = true;
            } else if name.contains('%') {
                targets.patterns.push(name.to_string());
            } else if !(name.starts_with('.')
                && name[1..]
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_'))
            {
                targets.names.push(name.to_string());
            }
        }
    }
    targets.names.sort();
    targets.names.dedup();
    includes
}

/// The colon of a rule line (`target: prereqs`), not of `:=`/`::=` or inside `$( )`.
fn rule_colon(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut depth = 0i32;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'(' | b'{' => depth += 1,
            b')' | b'}' => depth -= 1,
            b':' if depth == 0 => {
                let after = &line[i + 1..];
                if after.starts_with('=') || after.starts_with(":=") {
                    return None;
                }
                return Some(i);
            }
            b'=' if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// Recipes (and aliases) of a justfile.
pub(super) fn just_recipes(real_root: &Path, path: &Path) -> Listing {
    match read_bounded(real_root, path) {
        Read::Text(text) => Listing::Names(parse_just_recipes(&text)),
        Read::Missing => Listing::Missing,
        Read::Refused => Listing::Unread,
    }
}

pub fn parse_just_recipes(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t', '#', '[']) || line.trim().is_empty() {
            continue;
        }
        if let Some(alias) = line.strip_prefix("alias ") {
            if let Some((name, _)) = alias.split_once(":=") {
                names.push(name.trim().to_string());
            }
            continue;
        }
        if ["set ", "export ", "import ", "mod "]
            .iter()
            .any(|p| line.starts_with(p))
        {
            continue;
        }
        let line = line.trim_start_matches('@');
        let name: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let rest = &line[name.len()..];
        // `name params…:` is a recipe; `name := value` is a variable.
        if !name.is_empty()
            && rest.contains(':')
            && !rest.trim_start().starts_with(":=")
            && !rest.trim_start().starts_with('=')
        {
            names.push(name);
        }
    }
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn make_targets_and_includes() {
        let mut t = MakeTargets::default();
        let text = "CC := gcc\nVERSION = 1\ninclude rules.mk\n-include $(DEPS)\n.PHONY: all test\nall: build test\n\tcc x\nbuild test:: deps\n%.o: %.c\n\t$(CC) -c $<\ndefine RECIPE\nfake: target\nendef\n# comment: no\nlong-target: a \\\n  b\n";
        let includes = parse_make_targets(text, &mut t);
        assert_eq!(includes, ["rules.mk"]);
        assert_eq!(t.names, ["all", "build", "long-target", "test"]);
        assert!(t.has("main.o") && !t.has("fake") && !t.has("CC"));
    }

    #[test]
    fn rules_an_expansion_writes_make_any_target_possible() {
        // envoyproxy/gateway's wrapper: every goal is a target.
        let wrapper = "_run:\n\t@$(MAKE) -f tools/make/common.mk $(MAKECMDGOALS)\n.PHONY: _run\n$(if $(MAKECMDGOALS),$(MAKECMDGOALS): %: _run)\n";
        let eval = "$(foreach p,$(PLATFORMS),$(eval $(call build-rule,$(p))))\n";
        for text in [wrapper, eval] {
            let mut t = MakeTargets::default();
            parse_make_targets(text, &mut t);
            assert!(t.has("docs-release"), "{text}");
        }
        // Printing or stopping writes no rule.
        let mut t = MakeTargets::default();
        parse_make_targets("$(info building)\n$(warning x: y)\nall:\n\techo\n", &mut t);
        assert!(t.has("all") && !t.has("docs-release"));
    }

    #[test]
    fn just_recipes() {
        let text = "set shell := [\"bash\", \"-c\"]\nversion := \"1\"\n# comment\n[private]\n@lint:\n    cargo clippy\ntest filter='': build\n    cargo test {{filter}}\nalias t := test\nbuild:\n    cargo build\n";
        assert_eq!(parse_just_recipes(text), ["build", "lint", "t", "test"]);
    }
}
