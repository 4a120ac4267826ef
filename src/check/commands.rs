//! Documented commands against the repository: a repo script that is run must
//! exist (and be executable when run directly) and accept the flags shown;
//! `npm run`/`yarn`/`pnpm` scripts, `make` targets and `just` recipes must
//! exist. Nothing is ever executed: scripts and build files are read.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{Finding, Kind, Severity, did_you_mean, list_dir, listing};
use crate::index::normalize;
use crate::markdown::{Command, CommandOrigin};

/// One word of a command line, unquoted, with its byte offset in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub offset: usize,
}

/// Splits a command line into simple commands. `&&`, `||`, `;`, `|`, `&` and
/// newlines separate commands; `$( … )` and backquoted text are commands of
/// their own; comments, redirections and their file names are dropped.
pub fn split_command_line(line: &str) -> Vec<Vec<Word>> {
    let mut out = Vec::new();
    split_into(line, 0, &mut out);
    out
}

fn split_into(line: &str, base: usize, out: &mut Vec<Vec<Word>>) {
    let bytes = line.as_bytes();
    let mut command: Vec<Word> = Vec::new();
    let mut word = String::new();
    let mut word_start: Option<usize> = None;
    let mut skip_next_word = false; // the file name after a redirection
    let mut i = 0;

    fn end_word(
        word: &mut String,
        start: &mut Option<usize>,
        skip: &mut bool,
        command: &mut Vec<Word>,
        base: usize,
    ) {
        if let Some(s) = start.take() {
            if *skip {
                *skip = false;
            } else {
                command.push(Word {
                    text: std::mem::take(word),
                    offset: base + s,
                });
            }
            word.clear();
        }
    }

    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                end_word(
                    &mut word,
                    &mut word_start,
                    &mut skip_next_word,
                    &mut command,
                    base,
                );
                if c == b'\n' {
                    out.extend((!command.is_empty()).then(|| std::mem::take(&mut command)));
                }
                i += 1;
            }
            b'#' if word_start.is_none() => {
                // A comment runs to the end of the line.
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'\'' => {
                word_start.get_or_insert(i);
                let end = line[i + 1..].find('\'').map_or(line.len(), |e| i + 1 + e);
                word.push_str(&line[i + 1..end]);
                i = end + 1;
            }
            b'"' => {
                word_start.get_or_insert(i);
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' && i + 1 < bytes.len() {
                        i += 1;
                    } else if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'(') {
                        let end = matching_paren(line, i + 1);
                        split_into(&line[i + 2..end], base + i + 2, out);
                        word.push_str("$(…)");
                        i = end + 1;
                        continue;
                    }
                    let ch = line[i..].chars().next().unwrap_or(' ');
                    word.push(ch);
                    i += ch.len_utf8();
                }
                i += 1;
            }
            b'\\' => {
                word_start.get_or_insert(i);
                if let Some(ch) = line[i + 1..].chars().next() {
                    if ch != '\n' {
                        word.push(ch);
                    }
                    i += 1 + ch.len_utf8();
                } else {
                    i += 1;
                }
            }
            b'$' if bytes.get(i + 1) == Some(&b'(') && bytes.get(i + 2) != Some(&b'(') => {
                word_start.get_or_insert(i);
                let end = matching_paren(line, i + 1);
                split_into(&line[i + 2..end], base + i + 2, out);
                word.push_str("$(…)");
                i = end + 1;
            }
            b'`' => {
                word_start.get_or_insert(i);
                let end = line[i + 1..].find('`').map_or(line.len(), |e| i + 1 + e);
                split_into(&line[i + 1..end], base + i + 1, out);
                word.push_str("`…`");
                i = end + 1;
            }
            b'>' | b'<' => {
                // `2>` and `&>`: the digits before belong to the operator.
                if word.chars().all(|c| c.is_ascii_digit()) && word_start.is_some() {
                    word.clear();
                    word_start = None;
                }
                end_word(
                    &mut word,
                    &mut word_start,
                    &mut skip_next_word,
                    &mut command,
                    base,
                );
                i += 1;
                while i < bytes.len() && matches!(bytes[i], b'>' | b'<' | b'&' | b'|') {
                    i += 1;
                }
                // `>&2` names a descriptor, not a file.
                let rest = &line[i..];
                if !(line[..i].ends_with('&')
                    && rest.starts_with(|c: char| c.is_ascii_digit() || c == '-'))
                {
                    skip_next_word = true;
                } else {
                    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'-') {
                        i += 1;
                    }
                }
            }
            b'&' | b'|' | b';' | b'(' | b')' => {
                end_word(
                    &mut word,
                    &mut word_start,
                    &mut skip_next_word,
                    &mut command,
                    base,
                );
                out.extend((!command.is_empty()).then(|| std::mem::take(&mut command)));
                i += 1;
            }
            _ => {
                word_start.get_or_insert(i);
                let ch = line[i..].chars().next().unwrap_or(' ');
                word.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    end_word(
        &mut word,
        &mut word_start,
        &mut skip_next_word,
        &mut command,
        base,
    );
    out.extend((!command.is_empty()).then_some(command));
}

/// The index of the `)` closing the `(` at `open`, or the end of the line.
fn matching_paren(line: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in line[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return open + i;
                }
            }
            _ => {}
        }
    }
    line.len()
}

/// What a simple command runs, once prefixes (`VAR=x`, `sudo`, `env`, shell
/// keywords) are skipped.
#[derive(Debug, PartialEq, Eq)]
pub enum Invocation<'a> {
    /// A file of the repository; `direct` when it is executed itself (needs +x).
    Script {
        path: &'a Word,
        args: &'a [Word],
        direct: bool,
    },
    /// `npm run X`, `yarn X`, `pnpm X`; `dir` from `--prefix`/`--cwd`/`-C`.
    Package {
        script: &'a Word,
        dir: Option<&'a str>,
    },
    /// `make [-C dir] [-f file] targets…`
    Make {
        dir: Option<&'a str>,
        file: Option<&'a str>,
        targets: Vec<&'a Word>,
    },
    /// `just [-f file] recipe …`
    Just {
        file: Option<&'a str>,
        recipe: &'a Word,
    },
    /// `cd DIR`: later commands on the line run there.
    Cd {
        dir: &'a Word,
    },
    Other,
}

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time", "exec", "nohup",
    "command",
];

pub fn classify(words: &[Word]) -> Invocation<'_> {
    let mut i = 0;
    while i < words.len() {
        let w = words[i].text.as_str();
        if KEYWORDS.contains(&w) || is_assignment(w) {
            i += 1;
        } else if w == "sudo" || w == "env" {
            i += 1;
            while i < words.len()
                && (words[i].text.starts_with('-') || is_assignment(&words[i].text))
            {
                // `sudo -u user`: the option's value is not the command.
                let takes_value = w == "sudo"
                    && matches!(
                        words[i].text.as_str(),
                        "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U"
                    );
                i += 1 + usize::from(takes_value);
            }
        } else {
            break;
        }
    }
    let Some(cmd) = words.get(i) else {
        return Invocation::Other;
    };
    let rest = &words[i + 1..];
    match cmd.text.as_str() {
        "bash" | "sh" | "zsh" | "source" | "." => {
            // `bash -c '…'` and `bash -x script` (options before the file).
            let mut j = 0;
            while j < rest.len() && rest[j].text.starts_with('-') {
                if rest[j].text == "-c" {
                    return Invocation::Other;
                }
                j += 1;
            }
            match rest.get(j) {
                Some(path) if is_repo_path(&path.text, cmd.text != "source" && cmd.text != ".") => {
                    Invocation::Script {
                        path,
                        args: &rest[j + 1..],
                        direct: false,
                    }
                }
                _ => Invocation::Other,
            }
        }
        "npm" | "yarn" | "pnpm" => package_script(&cmd.text, rest),
        "make" | "gmake" => {
            let (mut dir, mut file, mut targets) = (None, None, Vec::new());
            let mut j = 0;
            while j < rest.len() {
                let w = rest[j].text.as_str();
                match w {
                    "-C" | "--directory" => {
                        dir = rest.get(j + 1).map(|w| w.text.as_str());
                        j += 1;
                    }
                    "-f" | "--file" | "--makefile" => {
                        file = rest.get(j + 1).map(|w| w.text.as_str());
                        j += 1;
                    }
                    "-j" | "-l" | "-o" | "-W" | "-I" => j += 1,
                    _ if w.starts_with('-') || is_assignment(w) => {}
                    _ => targets.push(&rest[j]),
                }
                j += 1;
            }
            Invocation::Make { dir, file, targets }
        }
        "just" => {
            let mut file = None;
            let mut j = 0;
            while j < rest.len() && rest[j].text.starts_with('-') {
                if matches!(rest[j].text.as_str(), "-f" | "--justfile") {
                    file = rest.get(j + 1).map(|w| w.text.as_str());
                    j += 1;
                } else if matches!(
                    rest[j].text.as_str(),
                    "-d" | "--working-directory" | "--set" | "--shell"
                ) {
                    j += 1;
                }
                j += 1;
            }
            while j < rest.len() && is_assignment(&rest[j].text) {
                j += 1;
            }
            match rest.get(j) {
                Some(recipe) => Invocation::Just { file, recipe },
                None => Invocation::Other,
            }
        }
        "cd" => match rest.first() {
            Some(dir) => Invocation::Cd { dir },
            None => Invocation::Other,
        },
        // A word without a `/` is a program on PATH (`mkfs.ext4`, `setup-tool.sh`).
        path if path.contains('/') && is_repo_path(path, false) => Invocation::Script {
            path: cmd,
            args: rest,
            direct: true,
        },
        _ => Invocation::Other,
    }
}

fn is_assignment(w: &str) -> bool {
    match w.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

/// A relative path into the repository, with nothing dynamic in it. A bare
/// name (`deploy.sh`) only counts as an argument of `bash` (`strict` false
/// for `source`, which searches PATH).
fn is_repo_path(w: &str, bare_allowed: bool) -> bool {
    if w.is_empty() || w.starts_with('/') || w.starts_with('~') || w.starts_with('-') {
        return false;
    }
    if w.contains(['$', '*', '?', '[', '`', '{', '<', '>']) || w.contains("://") {
        return false;
    }
    w.contains('/') || (bare_allowed && w.contains('.') && !w.starts_with('.'))
}

const YARN_COMMANDS: &[&str] = &[
    "add",
    "audit",
    "autoclean",
    "bin",
    "cache",
    "check",
    "config",
    "constraints",
    "create",
    "dedupe",
    "dlx",
    "exec",
    "explain",
    "generate-lock-entry",
    "global",
    "help",
    "import",
    "info",
    "init",
    "install",
    "licenses",
    "link",
    "list",
    "login",
    "logout",
    "node",
    "npm",
    "outdated",
    "owner",
    "pack",
    "patch",
    "patch-commit",
    "plugin",
    "policies",
    "publish",
    "rebuild",
    "remove",
    "search",
    "set",
    "stage",
    "tag",
    "team",
    "unlink",
    "unplug",
    "up",
    "upgrade",
    "upgrade-interactive",
    "version",
    "versions",
    "why",
    "workspace",
    "workspaces",
];
const PNPM_COMMANDS: &[&str] = &[
    "add",
    "audit",
    "bin",
    "config",
    "create",
    "dedupe",
    "deploy",
    "dlx",
    "doctor",
    "env",
    "exec",
    "fetch",
    "i",
    "import",
    "init",
    "install",
    "install-test",
    "it",
    "licenses",
    "link",
    "list",
    "ln",
    "ls",
    "outdated",
    "pack",
    "patch",
    "patch-commit",
    "prune",
    "publish",
    "rebuild",
    "remove",
    "rm",
    "root",
    "server",
    "setup",
    "store",
    "un",
    "uninstall",
    "unlink",
    "up",
    "update",
    "why",
];
/// npm commands that run the package.json script of the same name.
const NPM_SCRIPT_ALIASES: &[(&str, &str)] = &[
    ("test", "test"),
    ("t", "test"),
    ("tst", "test"),
    ("start", "start"),
    ("stop", "stop"),
    ("restart", "restart"),
];

fn package_script<'a>(manager: &str, rest: &'a [Word]) -> Invocation<'a> {
    let mut dir = None;
    let mut j = 0;
    while j < rest.len() && rest[j].text.starts_with('-') {
        if matches!(rest[j].text.as_str(), "--prefix" | "--cwd" | "-C" | "--dir") {
            dir = rest.get(j + 1).map(|w| w.text.as_str());
            j += 1;
        }
        j += 1;
    }
    let Some(sub) = rest.get(j) else {
        return Invocation::Other;
    };
    let script_after = |k: usize| match rest.get(k) {
        Some(script) if !script.text.starts_with('-') => Invocation::Package { script, dir },
        _ => Invocation::Other,
    };
    match (manager, sub.text.as_str()) {
        (_, "run" | "run-script") => script_after(j + 1),
        ("npm", name) => match NPM_SCRIPT_ALIASES.iter().find(|(alias, _)| *alias == name) {
            Some(_) => Invocation::Package { script: sub, dir },
            None => Invocation::Other,
        },
        ("yarn", name) if YARN_COMMANDS.contains(&name) => Invocation::Other,
        ("pnpm", name) if PNPM_COMMANDS.contains(&name) => Invocation::Other,
        (_, _) => Invocation::Package { script: sub, dir },
    }
}

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
    fn hint(&self, flag: &str, script: &str) -> String {
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
        {
            for alt in pattern.split('|') {
                let alt = alt.trim().trim_matches(['"', '\'']);
                if !alt.starts_with('-') {
                    continue;
                }
                if matches!(alt, "-*" | "--*" | "-?*" | "-?" | "--?*") {
                    // A catch-all for options: it either rejects them or accepts anything.
                    let body: String = lines[n..]
                        .iter()
                        .take(4)
                        .copied()
                        .collect::<Vec<_>>()
                        .join("\n");
                    if !rejects(&body) {
                        return None;
                    }
                    continue;
                }
                let name = alt.trim_end_matches('*').trim_end_matches('=');
                if name.len() > 1 && !name.contains(['[', '*', '?']) {
                    flags.names.insert(name.to_string());
                }
            }
        }
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
        if line.contains("add_argument(") {
            for quoted in quoted_strings(line) {
                if quoted.starts_with('-') && quoted.len() > 1 {
                    flags.names.insert(quoted.to_string());
                }
            }
        }
        if let Some(end) = crate::markdown::heredoc_end(line) {
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

/// Reads and caches what commands are checked against.
pub struct Repo<'a> {
    root: &'a Path,
    ignores: crate::load::history::Ignores,
    /// Whether a root-relative folder exists, asked once per folder.
    dirs: HashMap<String, bool>,
    /// `root` with its symbolic links resolved: what is read must be inside it.
    real_root: PathBuf,
    scripts: HashMap<String, Script>,
    package_scripts: HashMap<PathBuf, Listing>,
    make_targets: HashMap<PathBuf, Option<MakeTargets>>,
    just_recipes: HashMap<PathBuf, Listing>,
}

impl<'a> Repo<'a> {
    pub fn new(root: &'a Path) -> Repo<'a> {
        Repo {
            root,
            ignores: crate::load::history::Ignores::open(root),
            dirs: HashMap::new(),
            real_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            scripts: HashMap::new(),
            package_scripts: HashMap::new(),
            make_targets: HashMap::new(),
            just_recipes: HashMap::new(),
        }
    }
}

/// What a documented repo path is, read once per path.
enum Script {
    Missing {
        hint: Option<String>,
    },
    Folder,
    File {
        executable: bool,
        flags: Option<Flags>,
    },
}

/// The most of a script or build file that is read: its options and targets
/// are near the top, and a bigger file is not judged.
pub(crate) const READ_LIMIT: u64 = 1 << 20;

/// A file the docs name, as far as almanac is willing to read it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Read {
    Text(String),
    /// Nothing there (or a symbolic link to nothing).
    Missing,
    /// There, but not read: not a regular file (a FIFO would never end,
    /// `/dev/zero` never stops), outside the repository once symbolic links
    /// are followed, over `READ_LIMIT`, or not UTF-8. Nothing is judged from it.
    Refused,
}

/// Reads `path` if it is a regular file of the repository at `real_root`
/// (canonical), at most `READ_LIMIT` bytes of it.
pub(crate) fn read_bounded(real_root: &Path, path: &Path) -> Read {
    use std::io::Read as _;
    let Ok(real) = path.canonicalize() else {
        return if path.symlink_metadata().is_ok() {
            Read::Refused
        } else {
            Read::Missing
        };
    };
    if !real.starts_with(real_root) {
        return Read::Refused;
    }
    match std::fs::metadata(&real) {
        Ok(m) if m.is_file() && m.len() <= READ_LIMIT => {}
        Ok(_) => return Read::Refused,
        Err(_) => return Read::Missing,
    }
    let mut bytes = Vec::new();
    let read = std::fs::File::open(&real)
        .and_then(|file| file.take(READ_LIMIT + 1).read_to_end(&mut bytes));
    match read {
        Ok(n) if n as u64 <= READ_LIMIT => {
            String::from_utf8(bytes).map_or(Read::Refused, Read::Text)
        }
        Ok(_) => Read::Refused,
        Err(_) => Read::Refused,
    }
}

/// The names a task file defines (package.json scripts, just recipes).
enum Listing {
    /// No such file: a task documented against it cannot run.
    Missing,
    /// The file is there but was not read (see `Read::Refused`): say nothing.
    Unread,
    Names(Vec<String>),
}

impl Listing {
    /// For `task_problem`: `None` when the file is missing; skip when unread.
    fn known(&self, entry: &str) -> Option<Option<(bool, &[String])>> {
        match self {
            Listing::Missing => Some(None),
            Listing::Unread => None,
            Listing::Names(names) => Some(Some((names.iter().any(|n| n == entry), names))),
        }
    }
}

impl Repo<'_> {
    fn is_dir(&mut self, rel: &str) -> bool {
        let root = self.root;
        *self
            .dirs
            .entry(rel.to_string())
            .or_insert_with(|| root.join(rel).is_dir())
    }

    fn script(&mut self, rel: &str) -> &Script {
        let (root, real_root) = (self.root, &self.real_root);
        self.scripts.entry(rel.to_string()).or_insert_with(|| {
            let full = root.join(rel);
            match std::fs::metadata(&full) {
                Err(_) => {
                    let (name, parent) = (
                        crate::load::guides::file_name(rel),
                        crate::load::guides::parent(rel),
                    );
                    let siblings = list_dir(&root.join(parent));
                    let hint = did_you_mean(name, siblings.iter().map(String::as_str))
                        .map(|n| format!("did you mean `{}`?", join_rel(parent, n)));
                    Script::Missing { hint }
                }
                Ok(m) if m.is_dir() => Script::Folder,
                Ok(m) => Script::File {
                    // Only a regular file's mode is judged.
                    executable: is_executable(&m) || !m.is_file(),
                    flags: match read_bounded(real_root, &full) {
                        Read::Text(text) => accepted_flags(&text),
                        Read::Missing | Read::Refused => None,
                    },
                },
            }
        })
    }
}

/// Findings for the commands documented in one guide (`file`, root-relative).
/// `Err` when a file the commands are checked against cannot be read as
/// what it is (a package.json that is not JSON).
pub fn check(
    file: &str,
    commands: &[Command],
    repo: &mut Repo,
) -> crate::error::Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let mut block = Block::default();
    for command in commands {
        if command.starts_block {
            block = Block::default();
        }
        for words in split_command_line(&command.text) {
            // A finding about `word`, which documents the file `resolved`.
            let finding =
                |kind: Kind, word: &Word, message: String, hint: Option<String>, resolved: &str| {
                    let (line, column) = command.position(word.offset);
                    Finding::new(kind, file, line, column, &word.text, message)
                        .hint(hint)
                        .resolved(resolved.to_string())
                };
            let invocation = classify(&words);
            let made_before = block.made.mark();
            block.note(&words);
            // Once a `cd` left the repository or went where the block made a
            // folder, nothing is judged until the block ends.
            let Some(dir) = block.cwd.clone() else {
                continue;
            };
            match invocation {
                Invocation::Cd { dir: to } => {
                    let dynamic =
                        to.text.starts_with(['/', '~', '-']) || to.text.contains(['$', '`', '*']);
                    block.cwd = if dynamic {
                        None
                    } else {
                        normalize(&dir, &to.text).filter(|d| d.is_empty() || repo.is_dir(d))
                    };
                }
                Invocation::Script { path, args, direct } => {
                    // `hack/x.sh`, `2017/08/13`, `(0.5/4`: a path of this
                    // repository only when written `./…` or when its first
                    // folder is there.
                    let explicit = path.text.starts_with("./") || path.text.starts_with("../");
                    if !explicit
                        && let Some((first, _)) = path.text.split_once('/')
                        && !repo.is_dir(&join_rel(&dir, first))
                    {
                        continue;
                    }
                    let Some(rel) = normalize(&dir, &path.text) else {
                        continue;
                    };
                    // Inline code that only names a path (`./dist`, `./flake.nix`)
                    // runs nothing: it is a command with arguments, or a script.
                    let inline = command.origin == CommandOrigin::Inline;
                    let mention = inline && args.is_empty() && !is_script_name(&rel);
                    // Prose naming `./zola build` or `./configure` most often
                    // means a program the reader downloads or generates first:
                    // a bare name with no extension, beside the page, is not judged.
                    let bare_program = inline
                        && path
                            .text
                            .strip_prefix("./")
                            .is_some_and(|name| !name.contains(['/', '.']));
                    // A missing path that a command before it may have made,
                    // or that git ignores (`bin/`, `dist/`), is not judged.
                    let missing_excused = mention
                        || bare_program
                        || block.made.may_have_made(
                            made_before,
                            &rel,
                            rel.split_once('/')
                                .is_some_and(|(first, _)| repo.is_dir(first)),
                        )
                        || repo.ignores.ignored(&rel);
                    match repo.script(&rel) {
                        Script::Missing { .. } if missing_excused => {}
                        Script::Missing { hint } => findings.push(finding(
                            Kind::MissingCommand,
                            path,
                            format!("`{rel}` does not exist"),
                            hint.clone(),
                            &rel,
                        )),
                        Script::Folder if mention => {}
                        Script::Folder => findings.push(finding(
                            Kind::MissingCommand,
                            path,
                            format!("`{rel}` is a folder, not a script"),
                            None,
                            &rel,
                        )),
                        Script::File { executable, .. } if mention && !executable => {}
                        Script::File { executable, flags } => {
                            if direct && !executable {
                                findings.push(finding(
                                    Kind::NotExecutable,
                                    path,
                                    format!("`{rel}` is not executable"),
                                    Some(format!(
                                        "run `chmod +x {rel}` (and commit it), or document it as `bash {rel}`"
                                    )),
                                    &rel,
                                ));
                            }
                            let Some(flags) = flags else { continue };
                            for arg in args.iter().take_while(|a| a.text != "--") {
                                if is_flag(&arg.text) && !flags.accepts(&arg.text) {
                                    let name = arg
                                        .text
                                        .split_once('=')
                                        .map_or(arg.text.as_str(), |(n, _)| n);
                                    findings.push(finding(
                                        Kind::UnknownFlag,
                                        arg,
                                        format!("`{rel}` does not accept `{name}`"),
                                        Some(flags.hint(name, &rel)),
                                        &rel,
                                    ));
                                }
                            }
                        }
                    }
                }
                Invocation::Package {
                    script,
                    dir: prefix,
                } => {
                    let pkg_dir = within(&dir, prefix);
                    if prefix.is_some() && !repo.is_dir(&pkg_dir) {
                        continue; // another repository's folder
                    }
                    let manifest = repo.root.join(&pkg_dir).join("package.json");
                    if !repo.package_scripts.contains_key(&manifest) {
                        let scripts = package_scripts(&repo.real_root, repo.root, &manifest)?;
                        repo.package_scripts.insert(manifest.clone(), scripts);
                    }
                    let scripts = &repo.package_scripts[&manifest];
                    let shown = join_rel(&pkg_dir, "package.json");
                    let Some(known) = scripts.known(&script.text) else {
                        continue;
                    };
                    let invoked = format!("`{}` runs a package script", script.text);
                    let problem = task_problem(&script.text, "script", &invoked, &shown, known);
                    if let Some((message, hint, severity)) = problem {
                        let f = finding(Kind::UnknownTask, script, message, hint, &shown);
                        findings.push(f.severity(severity));
                    }
                }
                Invocation::Make {
                    dir: make_dir,
                    file: make_file,
                    targets,
                } => {
                    let base = within(&dir, make_dir);
                    if make_dir.is_some() && !repo.is_dir(&base) {
                        continue; // `make -C releng …` in another repository
                    }
                    let (makefile, shown) = build_file(
                        repo.root,
                        &base,
                        make_file,
                        &["GNUmakefile", "makefile", "Makefile"],
                    );
                    let real_root = &repo.real_root;
                    let known = match &makefile {
                        Some(m) => repo
                            .make_targets
                            .entry(m.clone())
                            .or_insert_with(|| make_targets(real_root, m))
                            .as_ref(),
                        None => None,
                    };
                    for target in targets {
                        let invoked = format!("`make {}`", target.text);
                        let problem = task_problem(
                            &target.text,
                            "target",
                            &invoked,
                            &shown,
                            known.map(|t| (t.has(&target.text), t.names.as_slice())),
                        );
                        if let Some((message, hint, severity)) = problem {
                            let f = finding(Kind::UnknownTask, target, message, hint, &shown);
                            findings.push(f.severity(severity));
                        }
                    }
                }
                Invocation::Just {
                    file: just_file,
                    recipe,
                } => {
                    let (justfile, shown) = build_file(
                        repo.root,
                        &dir,
                        just_file,
                        &["Justfile", ".justfile", "justfile"],
                    );
                    let real_root = &repo.real_root;
                    let listing = match &justfile {
                        Some(j) => repo
                            .just_recipes
                            .entry(j.clone())
                            .or_insert_with(|| just_recipes(real_root, j)),
                        None => &Listing::Missing,
                    };
                    let Some(known) = listing.known(&recipe.text) else {
                        continue;
                    };
                    let invoked = format!("`just {}`", recipe.text);
                    let problem = task_problem(&recipe.text, "recipe", &invoked, &shown, known);
                    if let Some((message, hint, severity)) = problem {
                        let f = finding(Kind::UnknownTask, recipe, message, hint, &shown);
                        findings.push(f.severity(severity));
                    }
                }
                Invocation::Other => {}
            }
        }
    }
    Ok(findings)
}

/// What the commands of one code block did before the current one.
struct Block {
    /// Where commands run, root-relative (`Some("")` is the root); `None`
    /// once a `cd` left the repository or went into a folder it does not have.
    cwd: Option<String>,
    made: Made,
}

/// What earlier commands of a block may have made.
#[derive(Default)]
struct Made {
    /// The words they wrote (`-o mytool`, `mkdir out`, `> run.sh`), in order.
    words: Vec<String>,
    /// One of them builds or fetches (`make`, `cargo build`, `git clone`,
    /// `curl -O`): what it made is unknown.
    anything: bool,
}

impl Default for Block {
    fn default() -> Block {
        Block {
            cwd: Some(String::new()),
            made: Made::default(),
        }
    }
}

impl Block {
    /// Takes note of one simple command of the block.
    fn note(&mut self, words: &[Word]) {
        let Some(at) = words.iter().position(|w| {
            !is_assignment(&w.text) && !matches!(w.text.as_str(), "sudo" | "env" | "time" | "exec")
        }) else {
            return;
        };
        let program = words[at].text.as_str();
        let program = program.rsplit('/').next().unwrap_or(program);
        let args = &words[at + 1..];
        if makes_files(program, args) {
            self.made.anything = true;
        }
        if program == "cd" {
            return;
        }
        // What a command runs is not what it makes: only its arguments count.
        for w in args {
            let text = w.text.trim_start_matches("./");
            let value = text.split_once('=').map_or(text, |(_, v)| v);
            for word in [text, value] {
                if !word.is_empty() {
                    self.made.words.push(word.trim_end_matches('/').to_string());
                }
            }
        }
    }
}

impl Made {
    /// How much had been noted: what the commands before the current one did.
    fn mark(&self) -> (usize, bool) {
        (self.words.len(), self.anything)
    }

    /// Whether `rel` (root-relative) may be a file that the commands before
    /// `mark` made: after a build, or when one of them named it, its file
    /// name or its first folder.
    fn may_have_made(&self, mark: (usize, bool), rel: &str, first_is_there: bool) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let first = rel.split('/').next().unwrap_or(rel);
        mark.1
            || self.words[..mark.0]
                .iter()
                .any(|w| w == rel || w == name || (w == first && !first_is_there))
    }
}

/// Programs that build, fetch or unpack files: after one of them in a
/// block, a missing path may be what it made.
const MAKERS: &[&str] = &[
    "make",
    "gmake",
    "cmake",
    "ninja",
    "meson",
    "bazel",
    "bazelisk",
    "cargo",
    "go",
    "mvn",
    "mvnw",
    "gradle",
    "gradlew",
    "ant",
    "npm",
    "npx",
    "yarn",
    "pnpm",
    "bun",
    "deno",
    "pip",
    "pip3",
    "poetry",
    "uv",
    "gcc",
    "cc",
    "clang",
    "g++",
    "c++",
    "javac",
    "tsc",
    "dotnet",
    "swift",
    "zig",
    "rustc",
    "wget",
    "tar",
    "unzip",
    "gunzip",
    "nix",
    "just",
    "task",
    "configure",
    "autogen.sh",
    "bootstrap",
    "hugo",
    "mdbook",
    "mkdocs",
    "zola",
    "jekyll",
    "install",
    "cp",
    "mv",
    "ln",
    "rsync",
    "scp",
    "mkdir",
    "touch",
    "tee",
    "dd",
    "openssl",
    "ssh-keygen",
];

/// Whether `program args…` makes files: a build tool, an unpacker, a copy;
/// `curl` with `-o`/`-O`; `git clone` (and other git commands that change
/// the work tree); `python -m …` or `setup.py`; `docker cp`.
fn makes_files(program: &str, args: &[Word]) -> bool {
    let arg = |i: usize| args.get(i).map_or("", |w| w.text.as_str());
    match program {
        "curl" => args.iter().any(|a| {
            let a = a.text.as_str();
            matches!(
                a,
                "--output" | "--remote-name" | "--remote-name-all" | "--output-dir"
            ) || (a.starts_with('-') && !a.starts_with("--") && a.contains(['o', 'O']))
        }),
        "git" => matches!(
            arg(0),
            "clone"
                | "checkout"
                | "switch"
                | "worktree"
                | "submodule"
                | "pull"
                | "archive"
                | "apply"
                | "am"
                | "restore"
                | "stash"
                | "reset"
                | "merge"
                | "rebase"
                | "cherry-pick"
        ),
        "python" | "python3" => arg(0) == "-m" || arg(0).ends_with("setup.py"),
        "docker" | "podman" | "kubectl" => matches!(arg(0), "cp" | "save" | "export" | "build"),
        _ => MAKERS.contains(&program),
    }
}

/// A file name that says it is a script, so inline code naming it runs it.
fn is_script_name(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && matches!(
                ext,
                "sh" | "bash"
                    | "zsh"
                    | "fish"
                    | "ksh"
                    | "py"
                    | "rb"
                    | "pl"
                    | "js"
                    | "mjs"
                    | "cjs"
                    | "ts"
                    | "ps1"
                    | "bat"
                    | "cmd"
                    | "php"
                    | "lua"
                    | "r"
                    | "jl"
            )
    })
}

/// The folder a `-C DIR`/`--prefix DIR` option names, from the current one.
fn within(cwd: &str, option: Option<&str>) -> String {
    match option {
        Some(d) => normalize(cwd, d).unwrap_or_default(),
        None => cwd.to_string(),
    }
}

/// Why `entry` (a package script, make target or just recipe) cannot run, if
/// it cannot: `known` is `None` when the file listing them (`shown`) does not
/// exist, else whether `entry` is there and the names that are.
fn task_problem(
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
fn build_file(
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

fn join_rel(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn is_flag(arg: &str) -> bool {
    arg.len() > 1
        && arg.starts_with('-')
        && !arg[1..].starts_with(|c: char| c.is_ascii_digit())
        && arg != "--"
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_: &std::fs::Metadata) -> bool {
    true
}

/// The `scripts` of a package.json, read within bounds. One that is not
/// JSON is an error at its position: what it runs cannot be known.
fn package_scripts(
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
    fn has(&self, target: &str) -> bool {
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

fn make_targets(real_root: &Path, makefile: &Path) -> Option<MakeTargets> {
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
fn just_recipes(real_root: &Path, path: &Path) -> Listing {
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

    fn words(line: &str) -> Vec<Vec<String>> {
        split_command_line(line)
            .into_iter()
            .map(|c| c.into_iter().map(|w| w.text).collect())
            .collect()
    }

    #[test]
    fn split_command_line_cases() {
        let cases: &[(&str, &[&[&str]])] = &[
            (
                "./a.sh --x && ./b.sh || c; d | e",
                &[&["./a.sh", "--x"], &["./b.sh"], &["c"], &["d"], &["e"]],
            ),
            ("echo 'a && b' \"c; d\"", &[&["echo", "a && b", "c; d"]]),
            (
                "x=$(./get.sh --id) ./run.sh",
                &[&["./get.sh", "--id"], &["x=$(…)", "./run.sh"]],
            ),
            (
                "echo `./inner.sh -q`",
                &[&["./inner.sh", "-q"], &["echo", "`…`"]],
            ),
            ("./a.sh > out.txt 2>&1", &[&["./a.sh"]]),
            ("./a.sh >/dev/null 2> err.log -v", &[&["./a.sh", "-v"]]),
            ("./a.sh # a comment --not-a-flag", &[&["./a.sh"]]),
            ("(cd sub && ./b.sh) &", &[&["cd", "sub"], &["./b.sh"]]),
            (
                "echo \"$(./nested.sh --deep)\"",
                &[&["./nested.sh", "--deep"], &["echo", "$(…)"]],
            ),
            ("a\\ b.sh", &[&["a b.sh"]]),
            ("", &[]),
        ];
        for (line, want) in cases {
            let want: Vec<Vec<String>> = want
                .iter()
                .map(|c| c.iter().map(|w| w.to_string()).collect())
                .collect();
            assert_eq!(words(line), want, "{line}");
        }
    }

    #[test]
    fn word_offsets_point_into_the_line() {
        let line = "FOO=1 ./x.sh  --flag";
        let cmd = &split_command_line(line)[0];
        assert_eq!(&line[cmd[2].offset..], "--flag");
    }

    fn kind(line: &str) -> String {
        let cmds = split_command_line(line);
        match classify(&cmds[0]) {
            Invocation::Script { path, args, direct } => {
                format!(
                    "script {} {} direct={direct}",
                    path.text,
                    args.iter()
                        .map(|a| a.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            }
            Invocation::Package { script, dir } => format!("package {} {dir:?}", script.text),
            Invocation::Make { dir, file, targets } => {
                format!(
                    "make {dir:?} {file:?} {}",
                    targets
                        .iter()
                        .map(|t| t.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            }
            Invocation::Just { file, recipe } => format!("just {file:?} {}", recipe.text),
            Invocation::Cd { dir } => format!("cd {}", dir.text),
            Invocation::Other => "other".into(),
        }
    }

    #[test]
    fn classify_cases() {
        let cases = [
            ("./scripts/x.sh -v", "script ./scripts/x.sh -v direct=true"),
            ("bin/tool run", "script bin/tool run direct=true"),
            ("VAR=1 OTHER=2 ./x.sh", "script ./x.sh  direct=true"),
            (
                "sudo -u deploy ./x.sh --now",
                "script ./x.sh --now direct=true",
            ),
            ("sudo -E env A=b ./x.sh", "script ./x.sh  direct=true"),
            (
                "bash scripts/x.sh --a",
                "script scripts/x.sh --a direct=false",
            ),
            ("sh -e ./x.sh", "script ./x.sh  direct=false"),
            ("bash deploy.sh", "script deploy.sh  direct=false"),
            ("bash -c 'echo hi'", "other"),
            ("source ./env.sh", "script ./env.sh  direct=false"),
            ("npm run build -- --watch", "package build None"),
            ("npm test", "package test None"),
            ("npm install", "other"),
            ("npm --prefix web run lint", "package lint Some(\"web\")"),
            ("yarn lint", "package lint None"),
            ("yarn add left-pad", "other"),
            ("yarn", "other"),
            ("pnpm run dev", "package dev None"),
            ("pnpm install", "other"),
            ("make -C docs -j4 html V=1", "make Some(\"docs\") None html"),
            ("make", "make None None "),
            ("just -f ci.just lint", "just Some(\"ci.just\") lint"),
            ("cd web", "cd web"),
            ("cargo test", "other"),
            ("/usr/bin/env python3", "other"),
            ("$HOME/bin/x", "other"),
            ("if ./check.sh; then", "script ./check.sh  direct=true"),
        ];
        for (line, want) in cases {
            assert_eq!(kind(line), want, "{line}");
        }
    }

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
    fn just_recipes() {
        let text = "set shell := [\"bash\", \"-c\"]\nversion := \"1\"\n# comment\n[private]\n@lint:\n    cargo clippy\ntest filter='': build\n    cargo test {{filter}}\nalias t := test\nbuild:\n    cargo build\n";
        assert_eq!(parse_just_recipes(text), ["build", "lint", "t", "test"]);
    }
}
