//! The repository's CI integrations: the GitHub Action (`action.yml`), run
//! step by step as a runner would, and the pre-commit hook
//! (`.pre-commit-hooks.yaml`), run by pre-commit itself.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Fixture;
use serde_json::Value;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn action() -> Value {
    let text = std::fs::read_to_string(repo_root().join("action.yml")).unwrap();
    serde_yaml::from_str(&text).expect("action.yml is YAML")
}

#[test]
fn the_action_is_a_documented_composite_action() {
    let action = action();
    assert!(action["name"].is_string() && action["description"].is_string());
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_object().expect("inputs");
    for name in ["args", "working-directory", "sarif-file"] {
        let input = &inputs[name];
        let description = input["description"].as_str().unwrap_or_default();
        assert!(description.len() > 20, "input {name} is not described");
    }
    for (name, output) in action["outputs"].as_object().expect("outputs") {
        assert!(output["description"].is_string(), "output {name}");
    }
    for step in action["runs"]["steps"].as_array().unwrap() {
        let name = step["name"].as_str().expect("every step is named");
        match step["run"].as_str() {
            Some(script) => {
                assert_eq!(
                    step["shell"], "bash",
                    "{name}: composite steps need a shell"
                );
                // Inputs reach scripts through `env:` only: an expression
                // pasted into a script is a script injection.
                assert!(
                    !script.contains("${{"),
                    "{name} pastes an expression into its script"
                );
            }
            None => assert!(step["uses"].is_string(), "{name}: neither run nor uses"),
        }
    }
}

/// A GitHub runner for the action's steps, as far as they need one: the
/// `${{ }}` expressions they use, `if:` conditions of the form
/// `a != 'b'` / `a == 'b'`, `env:`, `working-directory:`, GitHub's files
/// (GITHUB_OUTPUT, GITHUB_PATH) and environment. Steps that `uses:` another
/// action are not run; their outputs are given.
struct Runner {
    workspace: PathBuf,
    temp: tempfile::TempDir,
    inputs: HashMap<String, String>,
    /// `steps.<id>.outputs.<name>`.
    outputs: HashMap<String, HashMap<String, String>>,
    /// Folders put first on PATH.
    path: Vec<PathBuf>,
    /// `uses:` steps met, with their evaluated `with:`.
    used: Vec<(String, HashMap<String, String>)>,
}

struct StepRun {
    name: String,
    code: i32,
    stdout: String,
    stderr: String,
}

impl Runner {
    fn new(workspace: &Path, inputs: &[(&str, &str)]) -> Runner {
        let action = action();
        let mut all: HashMap<String, String> = action["inputs"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v["default"].as_str().unwrap_or("").to_string()))
            .collect();
        for (k, v) in inputs {
            all.insert(k.to_string(), v.to_string());
        }
        // almanac on PATH, as the cached install leaves it.
        let temp = tempfile::tempdir().unwrap();
        let bin = temp.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_almanac"), bin.join("almanac")).unwrap();
        Runner {
            workspace: workspace.to_path_buf(),
            temp,
            inputs: all,
            outputs: HashMap::new(),
            path: vec![bin],
            used: Vec::new(),
        }
    }

    fn value(&self, path: &str) -> String {
        let parts: Vec<&str> = path.trim().split('.').collect();
        match parts.as_slice() {
            ["inputs", name] => self.inputs.get(*name).cloned().unwrap_or_default(),
            ["steps", id, "outputs", name] => self
                .outputs
                .get(*id)
                .and_then(|o| o.get(*name))
                .cloned()
                .unwrap_or_default(),
            ["github", "action_path"] => repo_root().display().to_string(),
            ["github", "action_ref"] => "v1".to_string(),
            ["runner", "os"] => "Linux".to_string(),
            _ => panic!("the test runner does not know `{path}`"),
        }
    }

    /// `text` with its `${{ … }}` expressions evaluated.
    fn expand(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").expect("closed expression") + start;
            out.push_str(&self.value(&rest[start + 3..end]));
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    fn condition(&self, condition: &str) -> bool {
        let condition = condition
            .trim()
            .trim_start_matches("${{")
            .trim_end_matches("}}");
        let (left, right, equal) = match condition.split_once("!=") {
            Some((l, r)) => (l, r, false),
            None => {
                let (l, r) = condition.split_once("==").expect("a == or != condition");
                (l, r, true)
            }
        };
        let right = right.trim().trim_matches('\'');
        (self.value(left) == right) == equal
    }

    /// Runs every step as a runner would; `given` are the outputs of the
    /// `uses:` steps by id. Stops after a failed step, as a job does.
    fn run(&mut self, given: &[(&str, &[(&str, &str)])]) -> Vec<StepRun> {
        for (id, outputs) in given {
            let map = outputs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            self.outputs.insert(id.to_string(), map);
        }
        let action = action();
        let mut runs = Vec::new();
        for (i, step) in action["runs"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let name = step["name"].as_str().unwrap().to_string();
            if let Some(condition) = step["if"].as_str()
                && !self.condition(condition)
            {
                continue;
            }
            if let Some(uses) = step["uses"].as_str() {
                let with = step["with"]
                    .as_object()
                    .map(|w| {
                        w.iter()
                            .map(|(k, v)| (k.clone(), self.expand(v.as_str().unwrap_or(""))))
                            .collect()
                    })
                    .unwrap_or_default();
                self.used.push((uses.to_string(), with));
                continue;
            }
            let run = self.run_script(i, step);
            let failed = run.code != 0;
            runs.push(StepRun { name, ..run });
            if failed {
                break;
            }
        }
        runs
    }

    fn run_script(&mut self, i: usize, step: &Value) -> StepRun {
        let dir = self.temp.path().join(format!("step-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join("script.sh");
        std::fs::write(&script, step["run"].as_str().unwrap()).unwrap();
        let output = dir.join("output");
        let github_path = dir.join("path");
        std::fs::write(&output, "").unwrap();
        std::fs::write(&github_path, "").unwrap();
        let cwd = match step["working-directory"].as_str() {
            Some(wd) => self.workspace.join(self.expand(wd)),
            None => self.workspace.clone(),
        };
        let mut path = self.path.clone();
        path.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let mut command = Command::new("bash");
        // What `shell: bash` runs on GitHub's runners.
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .current_dir(&cwd)
            .env("PATH", std::env::join_paths(path).unwrap())
            .env("HOME", self.temp.path().join("home"))
            .env("CI", "true")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", &self.workspace)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_PATH", &github_path)
            .env("GITHUB_ACTION_PATH", repo_root())
            .env("RUNNER_TEMP", self.temp.path())
            .env("RUNNER_OS", "Linux");
        for (name, value) in &self.inputs {
            command.env(format!("INPUT_{}", name.to_uppercase()), value);
        }
        if let Some(env) = step["env"].as_object() {
            for (k, v) in env {
                command.env(k, self.expand(v.as_str().unwrap()));
            }
        }
        let out = command.output().unwrap();
        if let Some(id) = step["id"].as_str() {
            let text = std::fs::read_to_string(&output).unwrap();
            let map = text
                .lines()
                .filter_map(|l| l.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            self.outputs.insert(id.to_string(), map);
        }
        for line in std::fs::read_to_string(&github_path).unwrap().lines() {
            self.path.insert(0, PathBuf::from(line));
        }
        StepRun {
            name: String::new(),
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

fn docs_with_a_broken_link() -> Fixture {
    Fixture::with(&[
        (
            "docs/handbook/content/README.md",
            "# Home\n\nSee the [guide](guide.md).\n",
        ),
        (
            "docs/handbook/content/guide.md",
            "# Guide\n\nThe [plan](plan.md) and [home](README.md).\n",
        ),
    ])
}

#[test]
fn the_action_annotates_findings_and_writes_sarif() {
    let repo = docs_with_a_broken_link();
    let mut runner = Runner::new(
        repo.root(),
        &[
            ("working-directory", "docs/handbook"),
            ("sarif-file", "almanac.sarif"),
        ],
    );
    let runs = runner.run(&[("cache", &[("cache-hit", "true")])]);
    let names: Vec<&str> = runs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["Cache key for this almanac", "Write SARIF", "almanac"],
        "a warm cache installs nothing"
    );
    let check = runs.last().unwrap();
    assert_eq!(check.code, 1, "{}\n{}", check.stdout, check.stderr);
    assert!(
        check.stdout.contains(
            "::error file=docs/handbook/content/guide.md,line=3,col=12,title=almanac broken-link::"
        ),
        "{}",
        check.stdout
    );
    assert_eq!(runner.outputs["check"]["exit-code"], "1");
    // The cache key names the action's ref and its source; the install dir is on PATH.
    let key = &runner.outputs["key"]["key"];
    assert!(
        key.starts_with("almanac-Linux-v1-") && key.len() > "almanac-Linux-v1-".len() + 8,
        "{key}"
    );
    let (uses, with) = &runner.used[0];
    assert!(uses.starts_with("actions/cache@"), "{uses}");
    assert_eq!(&with["key"], key);
    assert_eq!(with["path"], "~/.cargo/bin/almanac");
    // SARIF: written with the same arguments, then handed to the upload.
    let sarif_path = &runner.outputs["sarif"]["path"];
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(sarif_path).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "broken-link");
    // Code scanning resolves paths from the repository's root.
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "docs/handbook/content/guide.md"
    );
    let (uses, with) = &runner.used[1];
    assert!(
        uses.starts_with("github/codeql-action/upload-sarif@"),
        "{uses}"
    );
    assert_eq!(&with["sarif_file"], sarif_path);
}

#[test]
fn the_action_passes_clean_docs_and_takes_args_from_the_input() {
    let repo = Fixture::with(&[("content/README.md", "# Home\n\n[me](#home)\n")]);
    // A branch name with shell syntax in `args` is an argument, not code.
    let mut runner = Runner::new(
        repo.root(),
        &[(
            "args",
            "check --format github --deny-warnings $(touch${IFS}pwned)",
        )],
    );
    let runs = runner.run(&[("cache", &[("cache-hit", "true")])]);
    let check = runs.last().unwrap();
    assert_eq!(
        check.code, 2,
        "the stray argument is refused: {}",
        check.stderr
    );
    assert!(!repo.exists("pwned"), "an input ran as shell code");

    let mut runner = Runner::new(
        repo.root(),
        &[("args", "check --format github --deny-warnings")],
    );
    let runs = runner.run(&[("cache", &[("cache-hit", "true")])]);
    assert_eq!(runs.len(), 2, "no SARIF unless asked");
    let check = runs.last().unwrap();
    assert_eq!(check.code, 0, "{}\n{}", check.stdout, check.stderr);
    assert!(!check.stdout.contains("::error"), "{}", check.stdout);
    assert_eq!(runner.outputs["check"]["exit-code"], "0");
}

#[test]
fn on_a_cache_miss_the_action_installs_from_its_own_source() {
    let repo = Fixture::with(&[("content/README.md", "# Home\n")]);
    let mut runner = Runner::new(repo.root(), &[]);
    // A stand-in for cargo that records how it was called.
    let bin = runner.temp.path().join("fake-cargo");
    std::fs::create_dir_all(&bin).unwrap();
    let log = runner.temp.path().join("cargo.log");
    std::fs::write(
        bin.join("cargo"),
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", log.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(bin.join("cargo"), std::fs::Permissions::from_mode(0o755)).unwrap();
    runner.path.insert(0, bin);
    let runs = runner.run(&[("cache", &[("cache-hit", "false")])]);
    let names: Vec<&str> = runs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["Cache key for this almanac", "Install almanac", "almanac"]
    );
    let args: Vec<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let home = runner.temp.path().join("home").display().to_string();
    assert_eq!(
        args,
        [
            "install",
            "--locked",
            "--path",
            &repo_root().display().to_string(),
            "--root",
            &format!("{home}/.cargo")
        ]
    );
    // What it installs is on PATH for the later steps.
    assert!(
        runner
            .path
            .iter()
            .any(|p| *p == Path::new(&home).join(".cargo/bin")),
        "{:?}",
        runner.path
    );
}

/// `git` in `dir`, asserting it worked.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `pre-commit try-repo <this repository> HOOK --all-files` in `dir`: the
/// hook as a user's `.pre-commit-config.yaml` would get it, built by
/// pre-commit's own `cargo install --path .` in its clone of this
/// repository. One change from what users get, for CI's time: the release
/// profile without optimisation (a cold optimised build took 7.5 minutes on
/// CI's 2 cores; pre-commit's `cargo install` has no `--locked`, so it
/// resolves its own dependency versions and shares no build with `.ci/run`'s).
/// The build and pre-commit's cache live under `target/`: made once, then
/// reused while this repository's commit stays the same (a working tree with
/// uncommitted changes is a new repository to pre-commit each time).
fn try_repo(dir: &Path, hook: &str) -> (i32, String) {
    let target = repo_root().join("target");
    let out = Command::new("pre-commit")
        .args([
            "try-repo",
            repo_root().to_str().unwrap(),
            hook,
            "--all-files",
            "--color",
            "never",
        ])
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", target.join("pre-commit-home"))
        .env("CARGO_TARGET_DIR", target.join("pre-commit"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn the_pre_commit_hook_fails_on_a_broken_link_then_passes_once_fixed() {
    if !common::tool_available("pre-commit", "pip install pre-commit") {
        return;
    }
    let repo = Fixture::with(&[(
        "content/README.md",
        "# Home\n\nSee the [guide](guide.md).\n",
    )]);
    let dir = repo.root();
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "A handbook"]);

    // The commit being made adds a page with a broken link.
    repo.write("content/guide.md", "# Guide\n\nThe [plan](plan.md).\n");
    git(dir, &["add", "-A"]);
    let (code, out) = try_repo(dir, "almanac-check");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("- hook id: almanac-check"), "{out}");
    assert!(
        out.contains("error[broken-link]") && out.contains("content/guide.md:3:12"),
        "{out}"
    );

    repo.write("content/guide.md", "# Guide\n\nThe [plan](README.md).\n");
    git(dir, &["add", "-A"]);
    let (code, out) = try_repo(dir, "almanac-check");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Passed"), "{out}");

    // A broken link already committed does not block the next commit;
    // almanac-check-all reports it whatever changed.
    repo.write("content/guide.md", "# Guide\n\nThe [plan](plan.md).\n");
    git(dir, &["commit", "-qam", "A broken link"]);
    let (code, out) = try_repo(dir, "almanac-check");
    assert_eq!(code, 0, "{out}");
    let (code, out) = try_repo(dir, "almanac-check-all");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("content/guide.md:3:12"), "{out}");
}

#[test]
fn the_pre_commit_manifest_is_valid_and_runs_almanac_once_per_commit() {
    if !common::tool_available("pre-commit", "pip install pre-commit") {
        return;
    }
    let out = Command::new("pre-commit")
        .args(["validate-manifest", ".pre-commit-hooks.yaml"])
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Value = serde_yaml::from_str(&text).unwrap();
    for hook in hooks.as_array().unwrap() {
        // almanac reads the whole project: file names would only make
        // pre-commit split it into several runs.
        assert_eq!(hook["pass_filenames"], false, "{hook}");
        assert_eq!(hook["language"], "rust", "{hook}");
    }
}
