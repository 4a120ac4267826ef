//! Invocation classification: what a simple command runs (a repository
//! script, a package script, a make target, a just recipe, a `cd`).

use super::shell::Word;

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
    /// `npm run X`, `yarn X`, `pnpm X`; `dir` from `--prefix`/`--cwd`/`-C`;
    /// `bare` for `yarn X` and `pnpm X` without `run`, which run the
    /// binary `X` of an installed package when no script has that name.
    Package {
        script: &'a Word,
        dir: Option<&'a str>,
        bare: bool,
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
    let i = command_start(words);
    let Some(cmd) = words.get(i) else {
        return Invocation::Other;
    };
    let rest = &words[i + 1..];
    match cmd.text.as_str() {
        "bash" | "sh" | "zsh" | "source" | "." => shell_script(cmd, rest),
        "npm" | "yarn" | "pnpm" => package_script(&cmd.text, rest),
        "make" | "gmake" => make(rest),
        "just" => just(rest),
        "cd" => match rest.first() {
            Some(dir) => Invocation::Cd { dir },
            None => Invocation::Other,
        },
        // A word without a `/` is a program on PATH (`mkfs.ext4`, `setup-tool.sh`);
        // one that ends in `/` is a folder, which runs nothing (the top of
        // a tree listing in a `sh` block: `./clusters/`, `├── staging`).
        path if path.contains('/') && !path.ends_with('/') && is_repo_path(path, false) => {
            Invocation::Script {
                path: cmd,
                args: rest,
                direct: true,
            }
        }
        _ => Invocation::Other,
    }
}

/// The index of the word that is the command, once prefixes (`VAR=x`,
/// `sudo -u user`, `env`, shell keywords) are skipped.
fn command_start(words: &[Word]) -> usize {
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
    i
}

/// `bash x.sh`, `sh -x x.sh`, `source x.sh`: the script, unless it is `-c '…'`.
fn shell_script<'a>(cmd: &Word, rest: &'a [Word]) -> Invocation<'a> {
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

/// `make [-C dir] [-f file] targets…`
fn make(rest: &[Word]) -> Invocation<'_> {
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

/// `just [-f file] recipe …`
fn just(rest: &[Word]) -> Invocation<'_> {
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

pub(super) fn is_assignment(w: &str) -> bool {
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

/// npm's commands, which pnpm also hands on to npm (`pnpm access`,
/// `pnpm view`: pnpm.io's docs), beside pnpm's own newer ones.
const NPM_COMMANDS: &[&str] = &[
    "access",
    "adduser",
    "approve-builds",
    "bugs",
    "cache",
    "cat-file",
    "cat-index",
    "ci",
    "completion",
    "deprecate",
    "dist-tag",
    "docs",
    "edit",
    "explain",
    "explore",
    "find-dupes",
    "find-hash",
    "fund",
    "get",
    "help",
    "hook",
    "ignored-builds",
    "info",
    "login",
    "logout",
    "org",
    "owner",
    "peers",
    "ping",
    "pkg",
    "prefix",
    "profile",
    "query",
    "repo",
    "runtime",
    "sbom",
    "search",
    "self-update",
    "set",
    "set-script",
    "shrinkwrap",
    "star",
    "stars",
    "team",
    "token",
    "undeprecate",
    "unpublish",
    "unstar",
    "v",
    "version",
    "view",
    "whoami",
    "with",
];

/// Whether `name` can be a package.json script's name as a command line
/// names it: not a reader's placeholder (`[-r]`, `<script>`, `{a,b}`), a
/// package (`@babel/core`), a workspace selector (`...foo`, `./packages/*`)
/// or a path.
fn may_name_a_script(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(['.', '@', '/'])
        && !name.contains(['[', ']', '{', '}', '<', '>', '|', '*', '$', '/', '\\', '='])
}

fn package_script<'a>(manager: &str, rest: &'a [Word]) -> Invocation<'a> {
    let mut dir = None;
    let mut j = 0;
    while j < rest.len() && rest[j].text.starts_with('-') {
        match rest[j].text.as_str() {
            "--prefix" | "--cwd" | "-C" | "--dir" => {
                dir = rest.get(j + 1).map(|w| w.text.as_str());
                j += 1;
            }
            // Run in the workspace's packages, not at the root: their
            // scripts are not the root's.
            "-r" | "--recursive" | "--filter" | "-F" | "--filter-prod" | "-w" | "--workspace"
            | "-ws" | "--workspaces" => return Invocation::Other,
            w if w.starts_with("--filter=") || w.starts_with("--workspace=") => {
                return Invocation::Other;
            }
            "--loglevel" | "--reporter" | "--config" => j += 1,
            _ => {}
        }
        j += 1;
    }
    // npm reads its workspace options after the script's name too (up to
    // `--`, after which words are the script's).
    let workspaces = rest[j..].iter().take_while(|w| w.text != "--").any(|w| {
        matches!(
            w.text.as_str(),
            "-w" | "--workspace" | "-ws" | "--workspaces"
        ) || w.text.starts_with("--workspace=")
    });
    if manager == "npm" && workspaces {
        return Invocation::Other;
    }
    let Some(sub) = rest.get(j) else {
        return Invocation::Other;
    };
    let script_after = |k: usize| match rest.get(k) {
        Some(script) if !script.text.starts_with('-') && may_name_a_script(&script.text) => {
            Invocation::Package {
                script,
                dir,
                bare: false,
            }
        }
        _ => Invocation::Other,
    };
    if !may_name_a_script(&sub.text) {
        return Invocation::Other;
    }
    match (manager, sub.text.as_str()) {
        (_, "run" | "run-script") => script_after(j + 1),
        ("npm", name) => match NPM_SCRIPT_ALIASES.iter().find(|(alias, _)| *alias == name) {
            Some(_) => Invocation::Package {
                script: sub,
                dir,
                bare: false,
            },
            None => Invocation::Other,
        },
        ("yarn", name) if YARN_COMMANDS.contains(&name) => Invocation::Other,
        ("pnpm", name) if PNPM_COMMANDS.contains(&name) || NPM_COMMANDS.contains(&name) => {
            Invocation::Other
        }
        (_, _) => Invocation::Package {
            script: sub,
            dir,
            bare: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::commands::split_command_line;

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
            Invocation::Package { script, dir, .. } => format!("package {} {dir:?}", script.text),
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
            // pnpm hands npm's commands on to npm (pnpm.io's docs).
            ("pnpm access list packages", "other"),
            ("pnpm view react", "other"),
            // In the workspace's packages, not the root.
            ("pnpm -r test", "other"),
            ("pnpm --filter foo... test", "other"),
            ("pnpm --filter=web build", "other"),
            ("npm run lint --workspaces", "other"),
            ("npm run lint -- --workspaces", "package lint None"),
            ("npm -w web run lint", "other"),
            // A reader's placeholder or a package is no script.
            ("pnpm [-r] publish", "other"),
            ("pnpm run <script>", "other"),
            ("yarn @babel/core", "other"),
            ("pnpm --loglevel warn run build", "package build None"),
            ("make -C docs -j4 html V=1", "make Some(\"docs\") None html"),
            ("make", "make None None "),
            ("just -f ci.just lint", "just Some(\"ci.just\") lint"),
            ("cd web", "cd web"),
            ("cargo test", "other"),
            ("/usr/bin/env python3", "other"),
            ("$HOME/bin/x", "other"),
            ("if ./check.sh; then", "script ./check.sh  direct=true"),
            // The top of a tree listing names a folder, which runs nothing.
            ("./clusters/", "other"),
        ];
        for (line, want) in cases {
            assert_eq!(kind(line), want, "{line}");
        }
    }
}
