//! Documented commands against the repository: a repo script that is run must
//! exist (and be executable when run directly) and accept the flags shown;
//! `npm run`/`yarn`/`pnpm` scripts, `make` targets and `just` recipes must
//! exist. Nothing is ever executed: scripts and build files are read.

pub(crate) use crate::commands as extract;
mod invocation;
mod options;
mod repo;
mod shell;
mod tasks;

pub use invocation::{Invocation, classify};
pub use options::{Flags, accepted_flags};
pub use repo::Repo;
pub use shell::{Word, split_command_line};
pub use tasks::{MakeTargets, parse_just_recipes, parse_make_targets};

use std::collections::HashMap;

use super::{Finding, Kind};
use crate::finding::Severity;
use crate::index::normalize;
use extract::{Command, CommandOrigin};
use invocation::is_assignment;
use repo::Script;
use tasks::{Listing, build_file, just_recipes, make_targets, package_scripts, task_problem};

/// Findings for the commands documented in one guide (`file`, root-relative).
/// `Err` when a file the commands are checked against cannot be read as
/// what it is (a package.json that is not JSON).
pub fn check(
    file: &str,
    page: &crate::markdown::Rendered,
    repo: &mut Repo,
) -> crate::error::Result<Vec<Finding>> {
    let (commands, examples) = (&page.commands, page.task_examples);
    let mut findings = Vec::new();
    let mut block = Block::default();
    // A file the page links for download ("download the installer",
    // then `bash Miniconda3-latest-MacOSX-x86_64.sh`): the reader has it.
    // Not a file a forge shows (`…/blob/main/scripts/x.sh`): that is the
    // repository's own, which must be there.
    block.made.words.extend(page.links.iter().filter_map(|l| {
        let url = l.target.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        if rest.contains("/blob/") || rest.contains("/tree/") {
            return None;
        }
        let path = rest.split(['?', '#']).next()?;
        let name = path.rsplit_once('/')?.1;
        name.contains('.').then(|| name.to_string())
    }));
    // A README in a folder of the repository is read there: its commands
    // may run from that folder (`icons/README.md`: `./tools/rasterize.sh`).
    let page_dir = file.rsplit_once('/').map_or("", |(dir, _)| dir);
    // The packages the page installs, read when first needed.
    let mut installed: Option<Vec<String>> = None;
    // Where the page's commands first went outside the repository (a `cd`
    // to a folder it does not have, an `ssh` login), as a hint, and how
    // many findings there were then.
    let mut went_elsewhere: Option<(usize, String)> = None;
    for command in commands {
        // A new block runs where the page's commands start again, but what
        // the page's earlier blocks named is there still (`python -m venv
        // venv`, then `source ./venv/bin/activate` in the next block; the
        // file `curl -O …/install.sh` fetched). That one of them built
        // something is not carried over: it made what its block ran.
        if command.starts_block {
            block = Block {
                made: Made {
                    words: std::mem::take(&mut block.made.words),
                    anything: false,
                },
                ..Block::default()
            };
        }
        for words in split_command_line(&command.text) {
            let invocation = classify(&words);
            let made_before = block.made.mark();
            block.note(&words);
            // A shell on another machine (`ssh ubuntu@<instance-ip>`): the
            // block's later lines run there, and the page's later blocks
            // may too.
            if remote_shell(&words) {
                block.cwd = None;
                if went_elsewhere.is_none() {
                    went_elsewhere = Some((
                        findings.len(),
                        format!(
                            "an earlier block logged in to another machine (`{}`): the command may run there, not in this repository",
                            command.text.trim()
                        ),
                    ));
                }
                continue;
            }
            // Once a `cd` left the repository or went where the block made a
            // folder, nothing is judged until the block ends.
            let Some(dir) = block.cwd.clone() else {
                continue;
            };
            let at = At {
                file,
                command,
                dir: &dir,
                made: &block.made,
                made_before,
                shows_script: examples.script,
            };
            if let Invocation::Cd { dir: to } = invocation {
                let dynamic =
                    to.text.starts_with(['/', '~', '-']) || to.text.contains(['$', '`', '*']);
                block.cwd = if dynamic {
                    None
                } else {
                    normalize(&dir, &to.text).filter(|d| d.is_empty() || repo.is_dir(d))
                };
                // Into a folder the repository does not have (`cd
                // homebrew-tap`, `cd etcd` after a clone): the page's later
                // blocks may go on there.
                if block.cwd.is_none() && to.text != "-" && went_elsewhere.is_none() {
                    went_elsewhere = Some((
                        findings.len(),
                        format!(
                            "an earlier block went to `{}`, which is not in this repository: the command may run there",
                            to.text
                        ),
                    ));
                }
                continue;
            }
            let before = findings.len();
            judge(&at, repo, &invocation, examples, &mut findings)?;
            // Wrong from the root but right from the page's folder: the
            // page's reader runs it there.
            let missing = findings[before..].iter().all(says_missing);
            let from = (findings.len() > before && missing && dir.is_empty())
                .then(|| run_from(page_dir, repo, &invocation))
                .flatten();
            if let Some(from) = from {
                let mut again = Vec::new();
                let from_page = At { dir: from, ..at };
                judge(&from_page, repo, &invocation, examples, &mut again)?;
                if again.is_empty() {
                    findings.truncate(before);
                }
            }
            // `yarn add --dev simple-git-hooks`, then `yarn simple-git-hooks`
            // (anywhere on the page: each tab installs in its own block):
            // the binary the reader installed, in their own project.
            if let Invocation::Package {
                script, bare: true, ..
            } = invocation
                && findings.len() > before
                && installed
                    .get_or_insert_with(|| installs(commands))
                    .contains(&script.text)
            {
                findings.truncate(before);
            }
        }
    }
    let missing_error = |f: &Finding| says_missing(f) && f.severity == Severity::Error;
    if let Some((after, hint)) = went_elsewhere {
        for f in findings[after..].iter_mut().filter(|f| missing_error(f)) {
            f.severity = Severity::Warning;
            f.hint = Some(hint.clone());
        }
    }
    if findings.iter().any(missing_error)
        && let Some(other) = another_repository(page, repo)
    {
        for f in &mut findings {
            if missing_error(f) {
                f.severity = Severity::Warning;
                f.hint = Some(format!(
                    "the page also shows `{other}`: the command may be run in a checkout of it"
                ));
            }
        }
    }
    Ok(findings)
}

/// Whether the words open a shell on another machine: `ssh host` with no
/// command to run there (`ssh -i key.pem ubuntu@<ip>`), `vagrant ssh`,
/// `gcloud compute ssh vm`; prefixes (`sudo`, `VAR=x`) aside. Not a test
/// of a key (`ssh -T git@github.com`, a forge's `git@` user), nor a tunnel
/// with no shell (`-N`, `-f`).
fn remote_shell(words: &[Word]) -> bool {
    let words: Vec<&str> = words
        .iter()
        .map(|w| w.text.as_str())
        .skip_while(|w| *w == "sudo" || (w.contains('=') && !w.starts_with('-')))
        .collect();
    match words.as_slice() {
        ["vagrant", "ssh", ..] => true,
        ["gcloud", rest @ ..] => rest.contains(&"ssh"),
        ["ssh", rest @ ..] => {
            // Options that take a value.
            const VALUED: &[&str] = &[
                "-i", "-p", "-l", "-o", "-F", "-J", "-L", "-R", "-D", "-b", "-c", "-E", "-e", "-I",
                "-m", "-O", "-Q", "-S", "-W", "-w", "-B",
            ];
            let mut positional = Vec::new();
            let mut skip = false;
            for w in rest {
                if skip {
                    skip = false;
                } else if w.starts_with('-') {
                    if ["-T", "-N", "-f", "-G", "-V"].contains(w) {
                        return false;
                    }
                    skip = VALUED.contains(w);
                } else {
                    positional.push(*w);
                }
            }
            matches!(positional.as_slice(), [host] if !host.starts_with("git@"))
        }
        _ => false,
    }
}

/// The packages the commands install (`npm install -D husky`, `yarn add
/// --dev a b`, `pnpm add x@2`, `bun add y`) or run as binaries (`npx
/// husky init`, `pnpm exec x`, `yarn dlx y`, `bunx z`), by name without a
/// version.
fn installs(commands: &[Command]) -> Vec<String> {
    let mut names = Vec::new();
    for command in commands {
        for words in split_command_line(&command.text) {
            let Some(at) = words.iter().position(|w| {
                matches!(
                    w.text.as_str(),
                    "npm" | "yarn" | "pnpm" | "bun" | "npx" | "bunx"
                )
            }) else {
                continue;
            };
            let tool = words[at].text.as_str();
            let verb = words.get(at + 1).map(|w| w.text.as_str());
            let (from, one) = match (tool, verb) {
                ("npx" | "bunx", _) => (at + 1, true),
                (_, Some("install" | "i" | "add")) => (at + 2, false),
                ("pnpm" | "yarn", Some("exec" | "dlx")) => (at + 2, true),
                _ => continue,
            };
            let named = words[from.min(words.len())..]
                .iter()
                .filter(|w| !w.text.starts_with('-'))
                .take(if one { 1 } else { usize::MAX });
            for word in named {
                let name = word.text.as_str();
                // `@scope/name@2` keeps its scope, drops its version.
                let bare = match name.strip_prefix('@') {
                    Some(rest) => rest
                        .split_once('@')
                        .map_or(name, |(n, _)| &name[..n.len() + 1]),
                    None => name.split_once('@').map_or(name, |(n, _)| n),
                };
                names.push(bare.to_string());
            }
        }
    }
    names
}

/// Whether `f` says a script or task is not there.
fn says_missing(f: &Finding) -> bool {
    matches!(f.kind, Kind::MissingCommand | Kind::UnknownTask)
}

/// The names make reads its makefile from, in the order it tries them.
const MAKEFILES: &[&str] = &["GNUmakefile", "makefile", "Makefile"];

/// The names just reads its justfile from.
const JUSTFILES: &[&str] = &["Justfile", ".justfile", "justfile"];

/// The findings about one simple command (not a `cd`).
fn judge(
    at: &At,
    repo: &mut Repo,
    invocation: &Invocation,
    examples: crate::commands::TaskExamples,
    findings: &mut Vec<Finding>,
) -> crate::error::Result<()> {
    match *invocation {
        Invocation::Script { path, args, direct } => {
            check_script(at, repo, path, args, direct, findings)
        }
        // The page shows such a file: the task may be the example's.
        Invocation::Package { .. } if examples.package => {}
        Invocation::Make { .. } if examples.make => {}
        Invocation::Just { .. } if examples.just => {}
        Invocation::Package {
            script,
            dir: prefix,
            bare,
        } => check_package(at, repo, script, prefix, bare, findings)?,
        Invocation::Make {
            dir: make_dir,
            file: make_file,
            ref targets,
        } => check_make(at, repo, make_dir, make_file, targets, findings),
        Invocation::Just {
            file: just_file,
            recipe,
        } => check_just(at, repo, just_file, recipe, findings),
        Invocation::Cd { .. } | Invocation::Other => {}
    }
    Ok(())
}

/// The folder of the page's (`page_dir`, root-relative) where what
/// `invocation` runs is there: the page's own for a script; for a package
/// script or a just recipe the nearest above it that has the file, as npm,
/// pnpm, yarn and just look for theirs (Starlight's
/// `docs/grammars/README.md`: `pnpm grammars` is `docs/package.json`'s);
/// for a make target likewise the nearest makefile above it, the folder
/// the page documents (traefik's `docs/content/contributing/…` shows
/// `make docs-build`, a target of `docs/Makefile`).
fn run_from<'p>(page_dir: &'p str, repo: &mut Repo, invocation: &Invocation) -> Option<&'p str> {
    let walks_up = matches!(
        invocation,
        Invocation::Package { dir: None, .. }
            | Invocation::Just { file: None, .. }
            | Invocation::Make {
                dir: None,
                file: None,
                ..
            }
    );
    let mut dir = page_dir;
    while !dir.is_empty() {
        if there_from(dir, repo, invocation) {
            return Some(dir);
        }
        if !walks_up {
            return None;
        }
        dir = dir.rsplit_once('/').map_or("", |(up, _)| up);
    }
    None
}

/// Whether what `invocation` runs (a script, or the file that lists its
/// task) is there from the folder `dir`.
fn there_from(dir: &str, repo: &mut Repo, invocation: &Invocation) -> bool {
    let has = |sub: Option<&str>, file: Option<&str>, names: &[&str]| {
        build_file(repo.root, &within(dir, sub), file, names)
            .0
            .is_some()
    };
    match *invocation {
        Invocation::Script { path, .. } => normalize(dir, &path.text)
            .is_some_and(|rel| matches!(repo.script(&rel), Script::File { .. })),
        Invocation::Package { dir: sub, .. } => has(sub, None, &["package.json"]),
        Invocation::Make { dir: sub, file, .. } => has(sub, file, MAKEFILES),
        Invocation::Just { file, .. } => has(None, file, JUSTFILES),
        Invocation::Cd { .. } | Invocation::Other => false,
    }
}

/// Another repository the page shows: one its commands `git clone`, or one
/// whose files it links to twice or more (`github.com/kubernetes/kubernetes/blob/…`). A
/// handbook's page about another project's checkout documents that
/// project's scripts and tasks: missing here, they may well be there.
fn another_repository(page: &crate::markdown::Rendered, repo: &mut Repo) -> Option<String> {
    // A fork's `origin` has another owner: the name decides.
    fn name(repository: &str) -> &str {
        repository.rsplit('/').next().unwrap_or_default()
    }
    let own = repo.own_repository().map(|r| name(r).to_string());
    // One link to a tool's README (nvm's, to install Node) is no page about
    // that repository: two links into its files are.
    let mut counts: HashMap<String, usize> = HashMap::new();
    for repository in page
        .links
        .iter()
        .filter(|l| l.kind == crate::markdown::LinkKind::Link)
        .filter(|l| l.target.contains("/blob/") || l.target.contains("/tree/"))
        .filter_map(|l| extract::forge_repository(&l.target))
    {
        *counts.entry(repository).or_default() += 1;
    }
    let mut linked: Vec<String> = counts
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(r, _)| r)
        .collect();
    linked.sort();
    let cloned = page.commands.iter().flat_map(|c| {
        split_command_line(&c.text)
            .into_iter()
            .filter_map(|words| {
                let at = words.iter().position(|w| w.text == "clone")?;
                let git = at > 0 && matches!(words[at - 1].text.as_str(), "git" | "repo");
                if !git {
                    return None;
                }
                match words[at + 1..].iter().find(|w| !w.text.starts_with('-')) {
                    // A forge's repository by its name; another URL, or a
                    // variable (`$REPO_URL`), as written.
                    Some(url) => extract::forge_repository(&url.text).or_else(|| {
                        let url = url.text.as_str();
                        (url.contains(['/', ':']) || url.starts_with('$')).then(|| url.to_string())
                    }),
                    // `git clone <your-repo-url>`: the reader's own
                    // repository, a placeholder the shell reads as `<`.
                    None => c
                        .text
                        .split_once("clone")
                        .map(|(_, rest)| rest.trim_start())
                        .filter(|rest| rest.starts_with('<'))
                        .and_then(|rest| rest.split_whitespace().next())
                        .map(str::to_string),
                }
            })
            .collect::<Vec<_>>()
    });
    linked
        .into_iter()
        .chain(cloned)
        .find(|r| own.as_deref() != Some(name(r)))
}

/// One simple command being judged: the guide it is documented in, the
/// command line, the folder it runs in and what the block made before it.
struct At<'c> {
    file: &'c str,
    command: &'c Command,
    dir: &'c str,
    made: &'c Made,
    made_before: (usize, bool),
    /// The page shows a script (a code block that starts with `#!`): a
    /// missing one run by its bare name may be the one the reader writes.
    shows_script: bool,
}

impl At<'_> {
    /// A finding about `word`, which documents the file `resolved`.
    fn finding(
        &self,
        kind: Kind,
        word: &Word,
        message: String,
        hint: Option<String>,
        resolved: &str,
    ) -> Finding {
        let (line, column) = self.command.position(word.offset);
        Finding::new(kind, self.file, line, column, &word.text, message)
            .hint(hint)
            .resolved(resolved.to_string())
    }
}

/// A repository script that is run: it must exist, be executable when run
/// directly, and accept the options shown.
fn check_script(
    at: &At,
    repo: &mut Repo,
    path: &Word,
    args: &[Word],
    direct: bool,
    findings: &mut Vec<Finding>,
) {
    let Some(Judged {
        rel,
        mention,
        missing_excused,
    }) = judged(at, repo, path, args)
    else {
        return;
    };
    // `./bin/etcd` where the repository has no `bin/`: what a build
    // writes there (etcd's docs run its binaries), not a script to commit.
    let first = rel.split('/').next().unwrap_or_default();
    let built = rel.contains('/') && BUILD_OUTPUTS.contains(&first) && !repo.is_dir(first);
    match repo.script(&rel) {
        Script::Missing { .. } if missing_excused => {}
        Script::Missing { .. } if built => findings.push(
            at.finding(
                Kind::MissingCommand,
                path,
                format!("`{rel}` does not exist"),
                Some(format!(
                    "the repository has no `{first}/`, where builds write their output: the file may be built before it runs, or the command runs in another checkout"
                )),
                &rel,
            )
            .severity(Severity::Warning),
        ),
        Script::Missing { hint } => {
            let hint = hint.clone();
            // `bash verify_provenance.sh` where the repository keeps it in
            // another folder (`.github/actions/…/`): the reader fetches it,
            // or runs it from there.
            let elsewhere = (!rel.contains('/'))
                .then(|| repo.tracked_named(&rel).map(str::to_string))
                .flatten();
            let f = at.finding(
                Kind::MissingCommand,
                path,
                format!("`{rel}` does not exist"),
                hint,
                &rel,
            );
            findings.push(match elsewhere {
                Some(there) => f.severity(Severity::Warning).hint(format!(
                    "the repository has `{there}`: the page may mean that file, fetched or run from its folder; name its path if so"
                )),
                None => f,
            });
        }
        Script::Folder if mention => {}
        Script::Folder => findings.push(at.finding(
            Kind::MissingCommand,
            path,
            format!("`{rel}` is a folder, not a script"),
            None,
            &rel,
        )),
        Script::File { executable, .. } if mention && !executable => {}
        Script::File { executable, flags } => {
            if direct && !executable {
                findings.push(at.finding(
                    Kind::NotExecutable,
                    path,
                    format!("`{rel}` is not executable"),
                    Some(format!(
                        "run `chmod +x {rel}` (and commit it), or document it as `bash {rel}`"
                    )),
                    &rel,
                ));
            }
            let Some(flags) = flags else { return };
            for arg in args.iter().take_while(|a| a.text != "--") {
                if is_flag(&arg.text) && !flags.accepts(&arg.text) {
                    let name = arg
                        .text
                        .split_once('=')
                        .map_or(arg.text.as_str(), |(n, _)| n);
                    findings.push(at.finding(
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

/// A script path as `check_script` judges it: root-relative, and what is
/// excused about it.
struct Judged {
    rel: String,
    /// Inline code that only names the path: it runs nothing.
    mention: bool,
    /// A missing path that is not judged.
    missing_excused: bool,
}

/// `path` as a file of this repository, or `None` when it is not one
/// (another repository's path, a date, a path out of the repository).
fn judged(at: &At, repo: &mut Repo, path: &Word, args: &[Word]) -> Option<Judged> {
    let (dir, command) = (at.dir, at.command);
    // `hack/x.sh`, `2017/08/13`, `(0.5/4`: a path of this
    // repository only when written `./…` or when its first
    // folder is there.
    let explicit = path.text.starts_with("./") || path.text.starts_with("../");
    if !explicit
        && let Some((first, _)) = path.text.split_once('/')
        && !repo.is_dir(&join_rel(dir, first))
    {
        return None;
    }
    // Inline code beside a link to another repository (`Open a PR in
    // [nodejs/release-keys](…) … via `./cli.sh add $KEY_ID``) may be
    // that repository's: not judged.
    // A fork's `origin` has another owner: the name decides.
    fn name(repository: &str) -> &str {
        repository.rsplit('/').next().unwrap_or_default()
    }
    if let Some(other) = &command.beside_repository
        && command.origin == CommandOrigin::Inline
        && repo.own_repository().map(name) != Some(name(other))
    {
        return None;
    }
    let rel = normalize(dir, &path.text)?;
    // Inline code that only names a path (`./dist`, `./flake.nix`)
    // runs nothing: it is a command with arguments, or a script.
    let inline = command.origin == CommandOrigin::Inline;
    // A JavaScript or TypeScript file alone in prose is a module's path
    // ("imports must be fully specified, such as `./helpers.js`"): run, it
    // would be `node ./x.js`.
    let module = rel
        .rsplit_once('.')
        .is_some_and(|(_, ext)| matches!(ext, "js" | "mjs" | "cjs" | "ts"));
    let mention = inline && args.is_empty() && (!is_script_name(&rel) || module);
    // `./zola build`, `./configure` or, after "download and extract the
    // tarball", `./prometheus` most often means a program the reader
    // downloads or generates first: a bare name with no extension is not
    // judged, in prose or in a block. Unless a file of that name with an
    // extension is there (`./release` for `release.sh`): a rename.
    let bare_program = path
        .text
        .strip_prefix("./")
        .filter(|name| !name.is_empty() && !name.contains(['/', '.']))
        .is_some_and(|name| {
            let prefix = format!("{name}.");
            inline
                || !super::list_dir(&repo.root.join(dir))
                    .iter()
                    .any(|f| f.starts_with(&prefix))
        });
    // A missing path that a command before it may have made,
    // or that git ignores (`bin/`, `dist/`), is not judged.
    let missing_excused = mention
        || bare_program
        || at.made.may_have_made(
            at.made_before,
            &rel,
            rel.split_once('/')
                .is_some_and(|(first, _)| repo.is_dir(first)),
        )
        || repo.ignores.ignored(&rel)
        // "Write the following in a file named `test.sh`:" and a block
        // that starts with `#!`, then `bash test.sh` (fluent-bit's docs):
        // the reader's script, in the folder they are in.
        || (at.shows_script && !rel.contains('/'));
    Some(Judged {
        rel,
        mention,
        missing_excused,
    })
}

/// `npm run X`, `yarn X`, `pnpm X`: the package.json must have the script.
fn check_package(
    at: &At,
    repo: &mut Repo,
    script: &Word,
    prefix: Option<&str>,
    bare: bool,
    findings: &mut Vec<Finding>,
) -> crate::error::Result<()> {
    let dir = at.dir;
    let pkg_dir = within(dir, prefix);
    if prefix.is_some() && !repo.is_dir(&pkg_dir) {
        return Ok(()); // another repository's folder
    }
    let manifest = repo.root.join(&pkg_dir).join("package.json");
    if !repo.package_scripts.contains_key(&manifest) {
        let scripts = package_scripts(&repo.real_root, repo.root, &manifest)?;
        repo.package_scripts.insert(manifest.clone(), scripts);
    }
    let scripts = &repo.package_scripts[&manifest];
    let shown = join_rel(&pkg_dir, "package.json");
    let Some(known) = scripts.known(&script.text) else {
        return Ok(());
    };
    let invoked = format!("`{}` runs a package script", script.text);
    let problem = task_problem(&script.text, "script", &invoked, &shown, known);
    // `yarn prettier` runs the binary of a package the manifest names (its
    // own, a dependency) when no script has that name; `pnpm lane` in docs
    // with a page `cli/lane.md` is the tool's own command, documented here
    // (pnpm.io), not a script.
    if problem.is_some()
        && bare
        && (tasks::package_names(&repo.real_root, &manifest).contains(&script.text)
            || repo.has_command_page(&script.text))
    {
        return Ok(());
    }
    if let Some((message, hint, severity)) = problem {
        let f = at.finding(Kind::UnknownTask, script, message, hint, &shown);
        findings.push(f.severity(severity));
    }
    Ok(())
}

/// `make X`: the makefile (or one it includes) must have the target.
fn check_make(
    at: &At,
    repo: &mut Repo,
    make_dir: Option<&str>,
    make_file: Option<&str>,
    targets: &[&Word],
    findings: &mut Vec<Finding>,
) {
    let dir = at.dir;
    let base = within(dir, make_dir);
    if make_dir.is_some() && !repo.is_dir(&base) {
        return; // `make -C releng …` in another repository
    }
    let (makefile, shown) = build_file(repo.root, &base, make_file, MAKEFILES);
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
            let f = at.finding(Kind::UnknownTask, target, message, hint, &shown);
            findings.push(f.severity(severity));
        }
    }
}

/// `just X`: the justfile must have the recipe.
fn check_just(
    at: &At,
    repo: &mut Repo,
    just_file: Option<&str>,
    recipe: &Word,
    findings: &mut Vec<Finding>,
) {
    let dir = at.dir;
    let (justfile, shown) = build_file(repo.root, dir, just_file, JUSTFILES);
    let real_root = &repo.real_root;
    let listing = match &justfile {
        Some(j) => repo
            .just_recipes
            .entry(j.clone())
            .or_insert_with(|| just_recipes(real_root, j)),
        None => &Listing::Missing,
    };
    let Some(known) = listing.known(&recipe.text) else {
        return;
    };
    let invoked = format!("`just {}`", recipe.text);
    let problem = task_problem(&recipe.text, "recipe", &invoked, &shown, known);
    if let Some((message, hint, severity)) = problem {
        let f = at.finding(Kind::UnknownTask, recipe, message, hint, &shown);
        findings.push(f.severity(severity));
    }
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
            // A URL's file is what a fetch writes (`curl -O …/install.sh`).
            let fetched = text
                .contains("://")
                .then(|| text.split(['?', '#']).next().unwrap_or_default())
                .and_then(|url| url.rsplit('/').next());
            for word in [text, value].into_iter().chain(fetched) {
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
        // A folder the repository lacks that an earlier command named
        // (`gn gen out/Testing`) holds what it made (`./out/Testing/electron`).
        let under = |w: &str| rel.strip_prefix(w).is_some_and(|r| r.starts_with('/'));
        mark.1
            || self.words[..mark.0]
                .iter()
                .any(|w| w == rel || w == name || ((w == first || under(w)) && !first_is_there))
    }
}

/// Folders builds write their output to, by convention.
const BUILD_OUTPUTS: &[&str] = &[
    "bin", "build", "out", "dist", "target", "_output", "_build", "_out",
];

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
