//! Script option reading: the options a script accepts, read from its
//! `case` patterns, `getopts`/`getopt` specs, argparse calls and usage text.

use std::collections::HashSet;

use crate::check::{did_you_mean, listing};

/// The options a script accepts, read statically from its source.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// Whole options: `--dry-run`, `-h`.
    pub names: HashSet<String>,
    /// Single-letter options from `getopts`/`getopt -o`, which may be bundled (`-xv`).
    pub short: HashSet<char>,
}

impl Flags {
    pub fn accepts(&self, flag: &str) -> bool {
        let name = flag.split_once('=').map_or(flag, |(n, _)| n);
        if self.names.contains(name) {
            return true;
        }
        match flag.strip_prefix('-') {
            Some(letters) if !letters.starts_with('-') && !letters.is_empty() => letters
                .chars()
                .all(|c| self.short.contains(&c) || self.names.contains(&format!("-{c}"))),
            _ => false,
        }
    }

    /// "did you mean" and the options the script accepts.
    pub(super) fn hint(&self, flag: &str, script: &str) -> String {
        let known = self.sorted();
        match did_you_mean(flag, known.iter().map(String::as_str)) {
            Some(near) => format!(
                "did you mean `{near}`? `{script}` accepts {}",
                listing(flag, &known)
            ),
            None => format!("`{script}` accepts {}", listing(flag, &known)),
        }
    }

    fn sorted(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .names
            .iter()
            .cloned()
            .chain(self.short.iter().map(|c| format!("-{c}")))
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

/// The options `script` accepts: `case` patterns over `--opt)`, `getopts`
/// strings, `getopt -o/-l` lists, argparse `add_argument`, and usage text.
/// `None` when none of these is found, or when a `-*)` branch takes any option.
pub fn accepted_flags(script: &str) -> Option<Flags> {
    let mut flags = Flags::default();
    let mut case_depth = 0usize;
    let mut in_usage_heredoc: Option<String> = None;
    let lines: Vec<&str> = script.lines().collect();
    for (n, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        if let Some(end) = &in_usage_heredoc {
            if line == end {
                in_usage_heredoc = None;
            } else {
                usage_flags(line, &mut flags);
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.starts_with("case ") && line.ends_with(" in")
            || line.contains(" in") && line.starts_with("case ")
        {
            case_depth += 1;
        }
        if line == "esac" || line.starts_with("esac") {
            case_depth = case_depth.saturating_sub(1);
        }
        if case_depth > 0
            && let Some(pattern) = case_pattern(line)
            && !case_flags(pattern, &lines[n..], &mut flags)
        {
            return None;
        }
        getopt_flags(line, &mut flags);
        if line.contains("add_argument(") {
            for quoted in quoted_strings(line) {
                if quoted.starts_with('-') && quoted.len() > 1 {
                    flags.names.insert(quoted.to_string());
                }
            }
        }
        if let Some(end) = super::extract::heredoc_end(line) {
            // A heredoc that is a usage text: it says "usage" in its first lines.
            let body: String = lines[n + 1..]
                .iter()
                .take(3)
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            if body.contains("usage") || line.to_lowercase().contains("usage") {
                in_usage_heredoc = Some(end);
            }
        } else if (line.starts_with("echo") || line.starts_with("printf"))
            && line.to_lowercase().contains("usage")
        {
            usage_flags(line, &mut flags);
        }
    }
    (!flags.names.is_empty() || !flags.short.is_empty()).then_some(flags)
}

/// The options of one `case` pattern (`-n|--dry-run)`) into `flags`; `after`
/// is the script from the pattern's line on. `false` when the pattern is a
/// catch-all for options that accepts anything.
fn case_flags(pattern: &str, after: &[&str], flags: &mut Flags) -> bool {
    for alt in pattern.split('|') {
        let alt = alt.trim().trim_matches(['"', '\'']);
        if !alt.starts_with('-') {
            continue;
        }
        if matches!(alt, "-*" | "--*" | "-?*" | "-?" | "--?*") {
            // A catch-all for options: it either rejects them or accepts anything.
            let body: String = after.iter().take(4).copied().collect::<Vec<_>>().join("\n");
            if !rejects(&body) {
                return false;
            }
            continue;
        }
        let name = alt.trim_end_matches('*').trim_end_matches('=');
        if name.len() > 1 && !name.contains(['[', '*', '?']) {
            flags.names.insert(name.to_string());
        }
    }
    true
}

/// The options a `getopts` or `getopt` call on `line` declares, into `flags`.
fn getopt_flags(line: &str, flags: &mut Flags) {
    if let Some(at) = line.find("getopts ")
        && let Some(spec) = first_word(&line[at + 8..])
    {
        flags
            .short
            .extend(spec.chars().filter(|c| c.is_ascii_alphanumeric()));
    }
    if let Some(at) = line.find("getopt ") {
        let words: Vec<&str> = line[at + 7..].split_whitespace().collect();
        for pair in words.windows(2) {
            let value = pair[1].trim_matches(['"', '\'']);
            match pair[0] {
                "-o" | "--options" => flags
                    .short
                    .extend(value.chars().filter(|c| c.is_ascii_alphanumeric())),
                "-l" | "--long" | "--longoptions" => {
                    for long in value.split(',') {
                        let long = long.trim_end_matches(':');
                        if !long.is_empty() {
                            flags.names.insert(format!("--{long}"));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// The pattern list of a `case` branch line: `-h|--help)` → `-h|--help`.
fn case_pattern(line: &str) -> Option<&str> {
    let line = line.strip_prefix('(').unwrap_or(line).trim_start();
    if !line.starts_with(['-', '"', '\'']) {
        return None;
    }
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (c, Some(q)) if c == q => quote = None,
            (')', None) => return Some(&line[..i]),
            (' ', None) => return None,
            _ => {}
        }
    }
    None
}

fn rejects(body: &str) -> bool {
    let body = body.to_lowercase();
    [
        "unknown",
        "invalid",
        "unrecognized",
        "unsupported",
        "usage",
        "exit 1",
        "exit 2",
        "die",
        "error",
        ">&2",
        "fail",
    ]
    .iter()
    .any(|w| body.contains(w))
}

fn first_word(s: &str) -> Option<&str> {
    let s = s.trim_start();
    match s.chars().next()? {
        q @ ('"' | '\'') => s[1..].split(q).next(),
        _ => s.split_whitespace().next(),
    }
}

fn quoted_strings(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find(['"', '\'']) {
        let q = rest.as_bytes()[start] as char;
        let Some(len) = rest[start + 1..].find(q) else {
            break;
        };
        out.push(&rest[start + 1..start + 1 + len]);
        rest = &rest[start + 2 + len..];
    }
    out
}

/// Options named in a line of usage text: `  --version X  …`, `[-n|--dry-run]`.
fn usage_flags(line: &str, flags: &mut Flags) {
    for token in line.split(|c: char| {
        c.is_whitespace() || matches!(c, '[' | ']' | '|' | ',' | '(' | ')' | '{' | '}')
    }) {
        let token = token.trim_matches(['"', '\'', '.', ':', ';']);
        let name = token.split_once('=').map_or(token, |(n, _)| n);
        let valid = |s: &str| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        if let Some(long) = name.strip_prefix("--") {
            if !long.is_empty()
                && long.starts_with(|c: char| c.is_ascii_alphabetic())
                && valid(long)
            {
                flags.names.insert(name.to_string());
            }
        } else if let Some(short) = name.strip_prefix('-')
            && short.len() == 1
            && short.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            flags.names.insert(name.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(script: &str) -> Option<Vec<String>> {
        accepted_flags(script).map(|f| f.sorted())
    }

    #[test]
    fn flags_from_case_patterns() {
        let script = "while [ $# -gt 0 ]; do\n  case \"$1\" in\n    -h|--help) usage ;;\n    --version=*) v=${1#*=} ;;\n    \"--dry-run\") d=1 ;;\n    -*) echo \"unknown option $1\" >&2; exit 2 ;;\n    *) files+=(\"$1\") ;;\n  esac\ndone\n";
        assert_eq!(
            flags(script).unwrap(),
            ["--dry-run", "--help", "--version", "-h"]
        );
    }

    #[test]
    fn a_permissive_option_catch_all_means_unknown() {
        let script = "case \"$1\" in\n  --known) ;;\n  -*) extra+=(\"$1\") ;;\nesac\n";
        assert_eq!(flags(script), None);
    }

    #[test]
    fn flags_from_getopts_and_getopt() {
        assert_eq!(
            flags("while getopts \":hv:o:\" opt; do\n  case $opt in h) ;; esac\ndone\n").unwrap(),
            ["-h", "-o", "-v"]
        );
        let getopt = "ARGS=$(getopt -o hn --long help,dry-run,version: -- \"$@\")\n";
        assert_eq!(
            flags(getopt).unwrap(),
            ["--dry-run", "--help", "--version", "-h", "-n"]
        );
    }

    #[test]
    fn flags_from_argparse_and_usage_text() {
        let py = "p = argparse.ArgumentParser()\np.add_argument('-o', '--output')\np.add_argument(\"--force\", action='store_true')\n";
        assert_eq!(flags(py).unwrap(), ["--force", "--output", "-o"]);
        let usage =
            "usage() {\n  cat <<EOF\nUsage: x.sh [--fast] [-q|--quiet] --target=NAME\nEOF\n}\n";
        assert_eq!(
            flags(usage).unwrap(),
            ["--fast", "--quiet", "--target", "-q"]
        );
    }

    #[test]
    fn scripts_without_readable_options_say_nothing() {
        assert_eq!(flags("#!/bin/sh\necho \"$@\"\n"), None);
    }

    #[test]
    fn bundled_short_flags() {
        let f = accepted_flags("getopts 'xv' o\n").unwrap();
        assert!(f.accepts("-xv") && f.accepts("-x") && !f.accepts("-xq") && !f.accepts("--x"));
        let f = accepted_flags("case $1 in\n --out) ;;\nesac\n").unwrap();
        assert!(f.accepts("--out=dir") && !f.accepts("--outdir"));
    }
}
