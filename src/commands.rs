//! Command extraction: the commands a page documents, found in its shell
//! and YAML code blocks and in inline code naming a repository script. The
//! markdown pass calls it; `check` judges what it found.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommandOrigin {
    /// A line of a shell-language fenced block.
    Fence,
    /// A `run:` step in a yaml block.
    RunStep,
    /// Inline code naming a repository path.
    Inline,
}

/// One logical command line as documented (continuations joined, prompt stripped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Command {
    pub text: String,
    pub origin: CommandOrigin,
    pub line: usize,
    pub column: usize,
    /// Where each physical line of a continued command starts in `text`:
    /// (byte offset in `text`, line, column). Empty for a one-line command.
    #[serde(skip)]
    pub continuations: Vec<(usize, usize, usize)>,
    /// The first command of its code block (or inline code): a `cd` and the
    /// files earlier commands made hold until the next one.
    #[serde(skip)]
    pub starts_block: bool,
    /// Inline code in a paragraph or list item that links a forge's
    /// repository (`github.com/nodejs/release-keys`): that repository, as
    /// `forge_repository` names it. The command may well run there.
    #[serde(skip)]
    pub beside_repository: Option<String>,
}

impl Command {
    pub fn new(
        text: impl Into<String>,
        origin: CommandOrigin,
        line: usize,
        column: usize,
    ) -> Command {
        Command {
            text: text.into(),
            origin,
            line,
            column,
            continuations: Vec::new(),
            starts_block: true,
            beside_repository: None,
        }
    }

    /// Source line and column of byte `offset` of `text`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let (start, line, column) = self
            .continuations
            .iter()
            .rev()
            .find(|(start, _, _)| *start <= offset)
            .copied()
            .unwrap_or((0, self.line, self.column));
        let chars = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (line, column + chars)
    }
}

const SHELL_LANGS: &[&str] = &["bash", "sh", "shell", "console", "zsh"];

/// The task files a page shows in code blocks: a justfile, a Makefile, a
/// package.json with scripts. On such a page, `just X`, `make X` or
/// `npm run X` may run the example shown, not the repository's file (the
/// README of `just` itself, a tutorial that writes a Makefile).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaskExamples {
    pub just: bool,
    pub make: bool,
    pub package: bool,
    /// A script: a block whose text starts with `#!`.
    pub script: bool,
}

impl TaskExamples {
    /// Notes a code block in language `lang` (lower case) holding `text`.
    pub(crate) fn note(&mut self, lang: &str, text: &str) {
        if text.starts_with("#!") {
            self.script = true;
        }
        match lang {
            "just" | "justfile" => self.just = true,
            "make" | "makefile" | "mk" => self.make = true,
            "json" | "jsonc" | "json5" if text.contains("\"scripts\"") => self.package = true,
            _ => {}
        }
    }
}

/// The repository a forge URL names, as `host/owner/name` in lower case:
/// `https://github.com/nodejs/release-keys/blob/main/README.md` and
/// `git@github.com:nodejs/release-keys.git` are `github.com/nodejs/release-keys`.
/// `None` for another host, or a forge page that is no repository's
/// (`github.com/orgs/…`, `github.com/features`).
pub(crate) fn forge_repository(url: &str) -> Option<String> {
    const FORGES: &[&str] = &["github.com", "gitlab.com", "bitbucket.org", "codeberg.org"];
    const NOT_OWNERS: &[&str] = &[
        "about",
        "apps",
        "collections",
        "customer-stories",
        "enterprise",
        "events",
        "explore",
        "features",
        "login",
        "marketplace",
        "new",
        "notifications",
        "organizations",
        "orgs",
        "pricing",
        "readme",
        "search",
        "security",
        "settings",
        "site",
        "sponsors",
        "team",
        "topics",
        "trending",
        "users",
    ];
    let rest = ["https://", "http://", "ssh://", "git://"]
        .iter()
        .find_map(|scheme| url.strip_prefix(scheme))
        .or_else(|| url.strip_prefix("git@").map(|r| r.trim_start()))?;
    let rest = rest.strip_prefix("git@").unwrap_or(rest);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let (host, path) = rest.split_once(['/', ':'])?;
    let host = host.to_ascii_lowercase();
    if !FORGES.contains(&host.as_str()) {
        return None;
    }
    let path = path.split(['#', '?']).next().unwrap_or_default();
    let mut parts = path.split('/').filter(|s| !s.is_empty());
    let owner = parts.next()?.to_ascii_lowercase();
    let name = parts.next()?.to_ascii_lowercase();
    let name = name.strip_suffix(".git").unwrap_or(&name);
    if NOT_OWNERS.contains(&owner.as_str()) || name.is_empty() {
        return None;
    }
    // The repository or its code; not its releases, issues or wiki, which
    // a page links for reading, not to run anything there.
    let rest = parts.next();
    let rest = if rest == Some("-") {
        parts.next()
    } else {
        rest
    };
    if rest.is_some_and(|r| !matches!(r, "tree" | "blob" | "raw" | "src")) {
        return None;
    }
    Some(format!("{host}/{owner}/{name}"))
}

/// Inline code that invokes a file of the repository: `./scripts/release.sh --dry-run`.
pub(crate) fn names_repo_path(code: &str) -> bool {
    let code = code.trim();
    let first = code.split_whitespace().next().unwrap_or("");
    let first = match first {
        "bash" | "sh" | "zsh" => code.split_whitespace().nth(1).unwrap_or(""),
        _ => first,
    };
    (first.starts_with("./") || first.starts_with("../"))
        && first.len() > 2
        && !first.ends_with('/')
        // `./...` is a Go package pattern.
        && !first.ends_with("/...")
}

/// The commands of a fenced block in a shell language, or the `run:` steps of a yaml block.
/// `first_line` is the line number of the block's first line of text.
pub(crate) fn block_commands(lang: &str, text: &str, first_line: usize) -> Vec<Command> {
    let numbered = text.lines().enumerate().map(|(i, l)| (first_line + i, l));
    let mut commands = if SHELL_LANGS.contains(&lang) {
        shell_commands(numbered, lang == "console")
    } else if matches!(lang, "yaml" | "yml") {
        run_steps(numbered)
    } else {
        Vec::new()
    };
    for (i, c) in commands.iter_mut().enumerate() {
        c.starts_block = i == 0;
    }
    commands
}

/// The prompt a documented command line starts with: `$ ` (or `> `, as
/// PowerShell and many READMEs write it).
fn strip_prompt(line: &str) -> Option<&str> {
    line.strip_prefix("$ ").or_else(|| line.strip_prefix("> "))
}

/// A line of an unprompted shell block that cannot start a command: program
/// output shown beside the commands. A leading symbol no command starts
/// with (emoji, box drawing, arrows, bullets), a `key: value` line, a
/// list marker (`1.`, `a)`), or a sentence (`reads_as_prose`).
fn looks_like_output(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    let symbol = line.starts_with(|c: char| !c.is_ascii() && !c.is_alphabetic());
    let key = first.len() > 1
        && first.ends_with(':')
        && first[..first.len() - 1]
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let list_marker = first.len() >= 2
        && first.ends_with(['.', ')'])
        && (first[..first.len() - 1].bytes().all(|b| b.is_ascii_digit())
            || (first.len() == 2 && first.as_bytes()[0].is_ascii_alphabetic()));
    let bullet = matches!(first, "-" | "*" | "+") && line.len() > 2;
    symbol || key || list_marker || bullet || reads_as_prose(line)
}

/// A sentence of program output: four words or more, the first a word of
/// letters, the last ending a sentence (`script.)`, `done.`, `ready!`).
/// crossplane's `xpkg init` prints "automatically by running the
/// `./init.sh <function-name>` script.)", whose backticks are no command
/// substitution. A command line ends with an argument, not a full stop
/// (`cd ..`, `docker build .` end with a path).
fn reads_as_prose(line: &str) -> bool {
    // A comment's full stop is not the command's (`make test  # Run all.`).
    let line = line.split(" #").next().unwrap_or_default();
    let words: Vec<&str> = line.split_whitespace().collect();
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    let last = last.trim_end_matches(')');
    let Some(before) = last
        .strip_suffix(['.', '!', '?'])
        .and_then(|w| w.chars().next_back())
    else {
        return false;
    };
    words.len() >= 4
        && first
            .trim_end_matches(['.', ',', ':', ';', '!'])
            .chars()
            .all(|c| c.is_ascii_alphabetic())
        && (before.is_alphanumeric() || before == '`')
}

/// Logical command lines of a shell block: `\` continuations joined, comments
/// and heredoc bodies skipped. When the block uses `$ ` prompts (or is a
/// `console` block), only prompted lines are commands; the rest is output.
fn shell_commands<'a>(
    lines: impl Iterator<Item = (usize, &'a str)> + Clone,
    console: bool,
) -> Vec<Command> {
    let prompted = console
        || lines.clone().any(|(_, l)| {
            let l = l.trim_start();
            l.starts_with("$ ") || l.starts_with("> ")
        });
    let mut commands = Vec::new();
    let mut current: Option<Command> = None;
    let mut heredoc: Option<String> = None;
    for (line_no, raw) in lines {
        if let Some(end) = &heredoc {
            if raw.trim() == end {
                heredoc = None;
            }
            continue;
        }
        let text = match current {
            Some(_) => raw,
            None => {
                let trimmed = raw.trim_start();
                match strip_prompt(trimmed) {
                    Some(rest) => rest.trim_start(),
                    None if prompted => continue,
                    None if looks_like_output(trimmed) => continue,
                    None => trimmed,
                }
            }
        };
        if current.is_none() && (text.trim().is_empty() || text.trim_start().starts_with('#')) {
            continue;
        }
        let (body, continues) = match text.trim_end().strip_suffix('\\') {
            Some(body) => (body, true),
            None => (text, false),
        };
        let body = body.trim_end();
        let column = raw[..raw.len() - text.len()].chars().count() + 1;
        match &mut current {
            Some(command) => {
                command.text.push(' ');
                let lead = body.len() - body.trim_start().len();
                let column = column + body[..lead].chars().count();
                command
                    .continuations
                    .push((command.text.len(), line_no, column));
                command.text.push_str(body.trim_start());
            }
            None => current = Some(Command::new(body, CommandOrigin::Fence, line_no, column)),
        }
        if !continues && let Some(done) = current.take() {
            heredoc = heredoc_end(&done.text);
            commands.push(done);
        }
    }
    commands.extend(current);
    commands
}

/// The terminator of a heredoc started on this command line (`<<EOF`, `<<-'EOF'`).
pub(crate) fn heredoc_end(command: &str) -> Option<String> {
    let at = command.find("<<")?;
    let rest = command[at + 2..].trim_start_matches('-').trim_start();
    if rest.starts_with('<') {
        return None; // `<<<` here-string
    }
    let word: String = rest
        .trim_start_matches(['\'', '"'])
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}

/// The shell steps of a CI file written in a yaml block: GitHub Actions'
/// `run:` in a step (`- run:`, or any `run:` under `steps:`) and GitLab's
/// `script:`, `before_script:` and `after_script:`, single-line or block
/// scalars or lists. Another key named `run` is not a command.
fn run_steps<'a>(lines: impl Iterator<Item = (usize, &'a str)> + Clone) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut block: Option<(usize, Vec<(usize, &str)>)> = None;
    // The indent of the open `steps:` key, and of an open GitLab script list.
    let mut steps: Option<usize> = None;
    let mut script_list: Option<usize> = None;
    for (line_no, raw) in lines {
        let indent = raw.len() - raw.trim_start().len();
        if let Some((block_indent, body)) = &mut block {
            if raw.trim().is_empty() || indent > *block_indent {
                body.push((line_no, raw));
                continue;
            }
            flush_run_block(&mut block, &mut commands);
        }
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if steps.is_some_and(|at| indent <= at) && !trimmed.starts_with("- ") {
            steps = None;
        }
        if let Some(at) = script_list {
            match trimmed.strip_prefix("- ") {
                Some(item) if indent >= at => {
                    run_step_line(&mut commands, line_no, raw, item);
                    continue;
                }
                _ => script_list = None,
            }
        }
        let item = trimmed.strip_prefix("- ");
        let step = item.map_or(trimmed, str::trim_start);
        let key_indent = raw.len() - step.len();
        if step.starts_with("steps:") {
            steps = Some(indent);
            continue;
        }
        let (value, is_script) = match step.strip_prefix("run:") {
            Some(v) if item.is_some() || steps.is_some() => (v, false),
            _ => match ["script:", "before_script:", "after_script:"]
                .iter()
                .find_map(|k| step.strip_prefix(k))
            {
                Some(v) => (v, true),
                None => continue,
            },
        };
        let value_trimmed = value.trim();
        if value_trimmed.starts_with('|') || value_trimmed.starts_with('>') {
            block = Some((key_indent, Vec::new()));
        } else if is_script && value_trimmed.is_empty() {
            script_list = Some(key_indent);
        } else if is_script && value_trimmed.starts_with('[') {
            // `script: [a, b]`: not split here; too rare to be sure of.
        } else {
            run_step_line(&mut commands, line_no, raw, value);
        }
    }
    flush_run_block(&mut block, &mut commands);
    commands
}

/// The commands of a block scalar `run: |` whose lines are `block`, if one is open.
fn flush_run_block(block: &mut Option<(usize, Vec<(usize, &str)>)>, commands: &mut Vec<Command>) {
    if let Some((_, body)) = block.take() {
        let mut found = shell_commands(body.into_iter(), false);
        for c in &mut found {
            c.origin = CommandOrigin::RunStep;
        }
        commands.extend(found);
    }
}

/// A one-line step `value` (`run: ./x.sh`, `- ./x.sh` in a script list) on
/// line `line_no`, whose text is `raw`; quotes around it are dropped.
fn run_step_line(commands: &mut Vec<Command>, line_no: usize, raw: &str, value: &str) {
    let value_trimmed = value.trim();
    if value_trimmed.is_empty() {
        return;
    }
    let unquoted = value_trimmed.trim_matches(|c| c == '"' || c == '\'');
    let column = raw.len() - value.trim_start().len()
        + 1
        + usize::from(unquoted.len() < value_trimmed.len());
    commands.push(Command::new(
        unquoted,
        CommandOrigin::RunStep,
        line_no,
        column,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::scan;

    fn commands(text: &str) -> Vec<(String, usize, usize)> {
        scan(text, 0)
            .commands
            .into_iter()
            .map(|c| (c.text, c.line, c.column))
            .collect()
    }

    #[test]
    fn sentences_of_output_are_not_commands() {
        for line in [
            "automatically by running the `./init.sh <function-name>` script.)",
            "Done. Run the `./scripts/next.sh` script next.",
            "Your release is ready to publish!",
        ] {
            assert!(reads_as_prose(line), "{line}");
        }
        for line in [
            "make test-integration  # Run all integration tests.",
            "docker build -t release .",
            "cd ..",
            "./scripts/release.sh --notes done.",
            "echo done.",
        ] {
            assert!(!reads_as_prose(line), "{line}");
        }
    }

    #[test]
    fn forge_urls_name_their_repository() {
        let named = |url: &str| forge_repository(url);
        for (url, repository) in [
            (
                "https://github.com/nodejs/release-keys",
                "github.com/nodejs/release-keys",
            ),
            (
                "https://www.GitHub.com/NodeJS/Node/#release-keys",
                "github.com/nodejs/node",
            ),
            (
                "https://github.com/nodejs/docker-node/blob/main/keys/node.keys",
                "github.com/nodejs/docker-node",
            ),
            (
                "https://gitlab.com/acme/keys/-/blob/main/README.md",
                "gitlab.com/acme/keys",
            ),
            (
                "git@github.com:Acme/handbook.git",
                "github.com/acme/handbook",
            ),
            ("ssh://git@gitlab.com/acme/keys.git", "gitlab.com/acme/keys"),
            ("https://codeberg.org/a/b?tab=readme", "codeberg.org/a/b"),
        ] {
            assert_eq!(named(url).as_deref(), Some(repository), "{url}");
        }
        for url in [
            "https://github.com/orgs/nodejs/teams/releasers",
            "https://github.com/features",
            "https://github.com/nodejs",
            // Pages to read, not code to run.
            "https://github.com/example-org/app/releases",
            "https://github.com/o/r/issues/12",
            "https://gitlab.com/o/r/-/merge_requests/3",
            "https://docs.github.com/en/authentication",
            "https://example.org/a/b",
            "../README.md",
            "github.com/a/b",
        ] {
            assert_eq!(named(url), None, "{url}");
        }
    }

    #[test]
    fn inline_commands_know_the_repository_linked_beside_them() {
        let beside = |text: &str| -> Vec<Option<String>> {
            scan(text, 0)
                .commands
                .into_iter()
                .map(|c| c.beside_repository)
                .collect()
        };
        let other = Some("github.com/o/r".to_string());
        // Its list item or paragraph, before or after the command.
        assert_eq!(
            beside("* run `./a.sh x` in [r](https://github.com/o/r)\n* run `./b.sh x`\n"),
            [other.clone(), None]
        );
        assert_eq!(
            beside("Run `./a.sh x`.\n\n[r](https://github.com/o/r): `./b.sh x`.\n"),
            [None, other.clone()]
        );
        // A nested item's link is its own.
        assert_eq!(
            beside("* run `./a.sh x`\n  * see [r](https://github.com/o/r) `./b.sh x`\n"),
            [None, other]
        );
        // A fenced block is not beside the paragraph before it; an image is
        // no link to a repository.
        assert_eq!(
            beside(
                "In [r](https://github.com/o/r):\n\n```sh\n./a.sh x\n```\n\n![r](https://github.com/o/r/x.png) `./b.sh x`\n"
            ),
            [None, None]
        );
    }

    #[test]
    fn shell_blocks_yield_logical_commands() {
        let text = "```bash\n# comment\n./scripts/release.sh \\\n  --version 1.2.0 \\\n  --dry-run\n\nVAR=1 make test\n```\n";
        assert_eq!(
            commands(text),
            [
                (
                    "./scripts/release.sh --version 1.2.0 --dry-run".to_string(),
                    3,
                    1
                ),
                ("VAR=1 make test".to_string(), 7, 1)
            ]
        );
    }

    #[test]
    fn console_blocks_keep_only_prompted_lines() {
        let text = "```console\n$ cargo test\nrunning 3 tests\n  $ ./x.sh -v\n```\n";
        assert_eq!(
            commands(text),
            [
                ("cargo test".to_string(), 2, 3),
                ("./x.sh -v".to_string(), 4, 5)
            ]
        );
    }

    #[test]
    fn heredoc_bodies_are_not_commands() {
        let text = "```sh\ncat > notes.txt <<'EOF'\n./not-a-command.sh\nEOF\n./after.sh\n```\n";
        let found: Vec<_> = commands(text).into_iter().map(|c| c.0).collect();
        assert_eq!(found, ["cat > notes.txt <<'EOF'", "./after.sh"]);
    }

    #[test]
    fn other_languages_are_not_commands() {
        assert!(commands("```rust\nfn main() {}\n```\n\n```\n./x.sh\n```\n").is_empty());
    }

    #[test]
    fn yaml_run_steps_are_commands() {
        let text = "```yaml\nsteps:\n  - run: ./scripts/check.sh --fast\n  - name: t\n    run: |\n      cargo test\n      npm run lint\n```\n";
        assert_eq!(
            commands(text),
            [
                ("./scripts/check.sh --fast".to_string(), 3, 10),
                ("cargo test".to_string(), 6, 7),
                ("npm run lint".to_string(), 7, 7)
            ]
        );
    }

    #[test]
    fn inline_code_naming_a_repo_script_is_a_command() {
        let r = scan(
            "Run `./scripts/release.sh --help` or `bash scripts/x.sh`, not `cargo build`.\n",
            0,
        );
        let found: Vec<_> = r
            .commands
            .iter()
            .map(|c| (c.text.as_str(), c.origin, c.column))
            .collect();
        assert_eq!(
            found,
            [("./scripts/release.sh --help", CommandOrigin::Inline, 6)]
        );
    }

    #[test]
    fn continued_commands_map_offsets_to_their_lines() {
        let text = "```sh\n./a.sh \\\n    --flag \\\n  --other\n```\n";
        let c = &scan(text, 0).commands[0];
        assert_eq!(c.text, "./a.sh --flag --other");
        assert_eq!(c.position(0), (2, 1));
        assert_eq!(c.position(c.text.find("--flag").unwrap()), (3, 5));
        assert_eq!(c.position(c.text.find("--other").unwrap()), (4, 3));
    }
}
