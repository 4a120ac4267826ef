//! The command check on docs as real teams write them (issue 16, classes
//! 1–7): each look-alike gives no finding, and the real defect beside it is
//! still found at its line and column.

mod common;

use common::{Fixture, Git};

fn findings(site: &Fixture) -> Vec<(String, u64, u64)> {
    common::check_json(site, &[])
        .1
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn missing(line: u64, column: u64) -> (String, u64, u64) {
    ("missing-command".to_string(), line, column)
}

fn executable(site: &Fixture, rel: &str, text: &str) {
    site.write(rel, text);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(site.path(rel), std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A repository with `scripts/` (one script) and `docs/index.md` = `doc`.
fn site(doc: &str) -> Fixture {
    let site = Fixture::with(&[("docs/index.md", doc)]);
    executable(&site, "scripts/release.sh", "#!/bin/sh\necho release\n");
    site
}

#[test]
fn program_output_in_unprompted_blocks_is_not_a_command() {
    let site = site(
        "# Home\n\n```bash\n\
         CPU: 12.5% (0.5/4 cores utilized)\n\
         ✅ Syntax validation (3/3 passed)\n\
         2017/08/13 17:43:21 starting\n\
         1. Verify the token\n\
         a. kubectl get pod\n\
         e.g., 2048\n\
         (y/N): y\n\
         192.168.1.106\n\
         proxmox-01.lab.local:8006\n\
         0.1.4-alpha.1\n\
         commit 6d25e1f (origin/release-1.20)\n\
         mkfs.ext4 /dev/sdb1\n\
         setup-tool.sh install\n\
         ├── scripts/gone.sh\n\
         status: ./scripts/gone.sh\n\
         ./scripts/release-approval.sh --dry-run\n\
         automatically by running the `./init.sh <function-name>` script.)\n\
         Done. Run the `./scripts/gone.sh` script next.\n\
         ./scripts/other.sh --all  # Run all the steps.\n\
         docker build -t gone .\n\
         ```\n",
    );
    assert_eq!(findings(&site), [missing(19, 1), missing(22, 1)]);
}

#[test]
fn angle_bracket_prompts_are_prompts() {
    let site = site(
        "# Home\n\n```sh\n\
         > curl 127.0.0.1:1338/v1/metrics\n\
         {\"ok\": true}\n\
         > ./scripts/gone.sh\n\
         ```\n",
    );
    assert_eq!(findings(&site), [missing(6, 3)]);
}

#[test]
fn cd_on_its_own_line_moves_the_lines_after_it() {
    let site = site(
        "# Home\n\n```sh\n\
         cd tools\n\
         ./run.sh\n\
         ./gone.sh\n\
         ```\n\n\
         ```sh\n\
         git clone https://github.com/containerd/nri\n\
         cd nri\n\
         ./build.sh --all\n\
         ```\n\n\
         ```sh\n\
         cd /tmp\n\
         ./anything.sh\n\
         ```\n\n\
         ```sh\n\
         ./run.sh\n\
         ```\n",
    );
    executable(&site, "tools/run.sh", "#!/bin/sh\n");
    // A `cd` holds to the end of its block only.
    assert_eq!(findings(&site), [missing(6, 1), missing(21, 1)]);
}

#[test]
fn files_the_block_makes_are_not_missing() {
    let site = site(
        "# Home\n\n```sh\n\
         go build -o mytool .\n\
         ./mytool --version\n\
         ```\n\n\
         ```sh\n\
         make\n\
         ./out/app serve\n\
         ```\n\n\
         ```sh\n\
         ./bin/tool --help\n\
         ./dist/app\n\
         ./scripts/gone.sh\n\
         ```\n",
    );
    site.write(".gitignore", "bin/\n/dist\n");
    site.write("Makefile", "all:\n\techo\n");
    Git::init(&site);
    assert_eq!(findings(&site), [missing(16, 1)]);
}

#[test]
fn other_repositories_commands_are_not_judged() {
    let site = site(
        "# Home\n\n```sh\n\
         scripts/gone.sh\n\
         hack/update-vendor.sh\n\
         make -C tools nope\n\
         make -C releng prepare-branch\n\
         npm --prefix web run build\n\
         make anything-at-all\n\
         ```\n",
    );
    site.write("tools/Makefile", "all:\n\techo\n");
    site.write("Makefile", "%:\n\t@echo $@\n");
    assert_eq!(
        findings(&site),
        [missing(4, 1), ("unknown-task".to_string(), 6, 15)]
    );
}

#[test]
fn inline_code_that_only_names_a_path_runs_nothing() {
    let site = site(
        "# Home\n\nArtifacts go in the `./dist` folder; test with `go test ./...`;\n\
         see `./flake.nix` and `./bin`.\n\n\
         Run `./scripts/gone.sh`, or `./tools/build --all`.\n\n\
         Imports must be fully specified, such as `./helpers.js`; run `./gone.js --x`.\n",
    );
    site.write("flake.nix", "{ }\n");
    // A module's path in prose (k6's docs) is no command; with arguments it is.
    assert_eq!(
        findings(&site),
        [missing(6, 6), missing(6, 30), missing(8, 63)]
    );
}

#[test]
fn prose_naming_a_program_the_reader_fetches_first_is_not_judged() {
    // Zola's docs: set the build command "to `./zola build`, so we can have
    // our site built with the locally downloaded Zola binary".
    let site = site(
        "# Home\n\nSet the build command to `./zola build`, or run `./configure --prefix=/usr`.\n\n\
         Then `./scripts/gone --all` and `./build.sh --all`.\n",
    );
    assert_eq!(findings(&site), [missing(5, 7), missing(5, 34)]);
}

#[test]
fn only_ci_steps_in_yaml_are_commands() {
    let site = site(
        "# Home\n\n```yaml\n\
         service: |\n\
         \x20 run: foo/bar\n\
         run: ./scripts/gone.sh\n\
         ```\n\n\
         ```yaml\n\
         jobs:\n\
         \x20 docs:\n\
         \x20   steps:\n\
         \x20     - uses: actions/checkout@v4\n\
         \x20     - name: Check\n\
         \x20       run: ./scripts/gone.sh\n\
         ```\n\n\
         ```yaml\n\
         test:\n\
         \x20 script:\n\
         \x20   - ./scripts/release.sh\n\
         \x20   - ./scripts/gone-too.sh\n\
         ```\n",
    );
    assert_eq!(findings(&site), [missing(15, 14), missing(22, 7)]);
}

#[test]
fn inline_commands_beside_a_link_to_another_repository_are_that_repositorys() {
    // As nodejs/Release's GOVERNANCE.md writes the steps done in another
    // repository: its scripts are not this one's.
    let site = site(
        "# Releasers\n\n\
         * Open a PR in [nodejs/release-keys](https://github.com/nodejs/release-keys) to add the key via `./cli.sh add $KEY_ID`, then run `./generate-gpg-dir.sh`.\n\
         * In [our own repository](https://github.com/acme/handbook), run `./bin/sync.sh --all`.\n\
         * Then run `./bin/publish.sh --now`.\n\n\
         Loose text: see [the keys](https://gitlab.com/acme/keys/-/blob/main/README.md) and run `./keys.sh list`.\n\n\
         [Settings](https://github.com/orgs/acme/teams) are not a repository: `./team.sh add` is judged.\n\n\
         See [the releases](https://github.com/other/tool/releases) and run `./notes.sh --new`.\n",
    );
    // A contributor's fork: its `origin` has another owner, the same name.
    let git = Git::init(&site);
    git.repo
        .remote("origin", "git@github.com:contributor/Handbook.git")
        .unwrap();
    // Not judged: beside another repository's link. Judged: beside this
    // repository's own link (its `origin`'s name), beside none, and beside
    // a forge page that is no repository's.
    assert_eq!(
        findings(&site),
        [
            missing(4, 67),
            missing(5, 13),
            missing(9, 71),
            missing(11, 69)
        ]
    );
}

#[test]
fn a_bare_program_the_reader_downloads_is_not_judged_unless_it_was_renamed() {
    // "Download and extract the tarball, then:" `./prometheus`; but
    // `./release` beside `release.sh` is the script, renamed.
    let site = Fixture::with(&[(
        "docs/index.md",
        "# Install\n\n```bash\n./prometheus --config.file=prometheus.yml\n./release --dry-run\n```\n",
    )]);
    executable(&site, "release.sh", "#!/bin/sh\n");
    assert_eq!(findings(&site), [missing(5, 1)]);
}

/// "Write the following content in a file named `test.sh`:", a block
/// that starts with `#!`, then `bash test.sh` (fluent-bit's docs): the
/// reader's own script, in the folder they are in, is not judged. A
/// missing script in a folder of the repository still is, and so is a
/// bare name on a page that shows no script.
#[test]
fn a_script_the_page_shows_is_the_readers_own() {
    let site = Fixture::with(&[
        (
            "docs/stdin.md",
            "# Stdin\n\nWrite this in a file named `test.sh`:\n\n```sh\n#!/bin/sh\necho hi\n```\n\n\
             ```sh\nbash test.sh | fluent-bit -i stdin\n./scripts/gone.sh\n```\n",
        ),
        ("docs/plain.md", "# Plain\n\n```sh\nbash test.sh\n```\n"),
    ]);
    let found: Vec<(String, String)> = common::check_json(&site, &[])
        .1
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["target"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("docs/plain.md".to_string(), "test.sh".to_string()),
            ("docs/stdin.md".to_string(), "./scripts/gone.sh".to_string())
        ]
    );
}

/// A script the page links for download ("download the installer", then
/// `bash Miniconda3-latest-MacOSX-x86_64.sh`, as kubeflow's docs write it)
/// is the reader's; one the page links on a forge (`…/blob/main/…`) is the
/// repository's own, and still judged.
#[test]
fn a_script_the_page_links_for_download_is_the_readers() {
    let site = Fixture::with(&[(
        "docs/install.md",
        "# Install\n\nDownload [the installer](https://repo.anaconda.com/miniconda/Miniconda3-latest-MacOSX-x86_64.sh) \
         or read [the script](https://github.com/acme/tool/blob/main/release.sh).\n\n\
         ```sh\nbash Miniconda3-latest-MacOSX-x86_64.sh\nbash release.sh\n```\n",
    )]);
    let found: Vec<String> = common::check_json(&site, &[])
        .1
        .iter()
        .map(|f| f["target"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(found, ["release.sh"]);
}

#[test]
fn a_task_of_a_page_that_shows_its_own_example_file_is_not_judged() {
    // As `just`'s README: it writes justfiles, then runs their recipes.
    let site = Fixture::with(&[
        ("justfile", "test:\n    cargo test\n"),
        ("Makefile", "all:\n\ttrue\n"),
        (
            "docs/just.md",
            "# Recipes\n\n```just\nbuild:\n    cc main.c\n```\n\n```console\n$ just build\n$ just test-all\n```\n",
        ),
        (
            "docs/make.md",
            "# Make\n\n```makefile\nhello:\n\techo hi\n```\n\n```sh\nmake hello\n```\n",
        ),
        (
            "docs/plain.md",
            "# Plain\n\n```sh\njust test-all\nmake hello\n```\n",
        ),
    ]);
    let found: Vec<(String, String, u64)> = common::check_json(&site, &[])
        .1
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let task = |line| {
        (
            "unknown-task".to_string(),
            "docs/plain.md".to_string(),
            line,
        )
    };
    assert_eq!(found, [task(4), task(5)]);
}

#[test]
fn what_an_earlier_block_of_the_page_named_or_fetched_is_there_later() {
    // As opentelemetry.io's guides: a virtualenv made in one block and
    // used in the next; a script fetched, then run. A build in an earlier
    // block does not excuse a later missing script.
    let site = site(
        "# Guide\n\n```sh\npython -m venv venv\n```\n\n```sh\nsource ./venv/bin/activate\n```\n\n\
         ```sh\ncurl -L -O https://example.org/releases/latest/download/auto-install.sh\n```\n\n\
         ```sh\nsh ./auto-install.sh --now\n./auto-install.sh --now\n```\n\n\
         ```sh\ncargo build\n```\n\n```sh\n./scripts/gone.sh --x\n```\n",
    );
    assert_eq!(findings(&site), [missing(25, 1)]);
}

#[test]
fn commands_after_an_ssh_login_run_on_another_machine() {
    // As open-telemetry/community's runner guide: `ssh ubuntu@<instance-ip>`,
    // then the runner's own `./svc.sh` on that machine.
    let site = site(
        "# Home\n\n```bash\n\
         ./scripts/gone-before.sh\n\
         ssh -i key.pem ubuntu@<instance-ip>\n\
         ./configure-runner.sh\n\
         ```\n\n\
         ```bash\n\
         sudo ./svc.sh install\n\
         ```\n",
    );
    let found = common::check_json(&site, &[]).1;
    let said = common::severity_and_target(&found);
    assert_eq!(
        said,
        [
            ("error", "./scripts/gone-before.sh"),
            ("warning", "./svc.sh")
        ]
    );
    assert!(
        found[1]["hint"]
            .as_str()
            .unwrap()
            .contains("`ssh -i key.pem ubuntu@<instance-ip>`"),
        "{found:?}"
    );
    // A command run through ssh, a test of a key or a tunnel is no login:
    // the page's commands stay here.
    site.write(
        "docs/index.md",
        "# Home\n\n```bash\nssh host uptime\nssh -T git@github.com\nssh -N -L 8080:db:5432 bastion\n./scripts/gone.sh\n```\n",
    );
    assert_eq!(findings(&site), [missing(7, 1)]);
}

#[test]
fn a_script_named_without_its_folder_that_the_repository_keeps_elsewhere_is_a_warning() {
    // As powertools' security page: `bash verify_provenance.sh 2.20.0`,
    // the script kept in `.github/actions/verify-provenance/`.
    let site = site(
        "# Home\n\n```shell\nbash verify_provenance.sh 2.20.0\nbash gone.sh\n./scripts/check.sh\n```\n",
    );
    for script in [
        ".github/actions/verify-provenance/verify_provenance.sh",
        "tools/check.sh",
    ] {
        executable(&site, script, "#!/bin/sh\n");
    }
    let git = common::Git::init(&site);
    git.commit_all("docs", 1_700_000_000);
    let found = common::check_json(&site, &[]).1;
    let said = common::severity_and_target(&found);
    // A name the repository has nowhere, or a path through a folder, is
    // still an error.
    assert_eq!(
        said,
        [
            ("warning", "verify_provenance.sh"),
            ("error", "gone.sh"),
            ("error", "./scripts/check.sh"),
        ]
    );
    assert!(
        found[0]["hint"]
            .as_str()
            .unwrap()
            .contains(".github/actions/verify-provenance/verify_provenance.sh"),
        "{found:?}"
    );
}
