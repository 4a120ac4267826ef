//! `almanac check`, end to end: each case asserts the finding's kind, file,
//! line and column, and the look-alikes that must not be findings.

mod common;

use common::{Fixture, severity_and_target};
use serde_json::Value;

/// (kind, file, line, column) of every finding, from `--format json`.
fn findings(site: &Fixture, args: &[&str]) -> (i32, Vec<(String, String, u64, u64)>) {
    let (code, findings) = common::check_json(site, args);
    let list = findings
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    (code, list)
}

fn f(kind: &str, file: &str, line: u64, column: u64) -> (String, String, u64, u64) {
    (kind.to_string(), file.to_string(), line, column)
}

fn executable(site: &Fixture, rel: &str, text: &str) {
    site.write(rel, text);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(site.path(rel), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn clean_docs_exit_zero() {
    let site = Fixture::with(&[
        ("docs/README.md", "# Home\n\n[setup](setup.md#install)\n"),
        ("docs/setup.md", "# Setup\n\n## Install\n"),
    ]);
    let (code, list) = findings(&site, &[]);
    assert_eq!((code, list), (0, vec![]));
}

#[test]
fn links_of_every_form() {
    let site = Fixture::with(&[
        (
            "docs/index.md",
            "# Home\n\
             [inline](gone.md) [ref][r] <a href=\"raw-gone.md\">raw</a>\n\
             ![image](missing.png) <img src=\"raw-missing.png\">\n\
             [folder](sub/) [folder-index](sub/README.md) [spaced](my%20page.md) [case](SETUP.md)\n\
             [up-and-out](../scripts/tool.sh) [repo-missing](../scripts/none.sh) [escape](../../../etc/passwd)\n\
             \n[r]: also-gone.md\n",
        ),
        ("docs/sub/README.md", "# Sub\n"),
        ("docs/my page.md", "# Mine\n"),
        ("docs/setup.md", "# Setup\n"),
        ("scripts/tool.sh", "#!/bin/sh\n"),
    ]);
    let (code, list) = findings(&site, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        list,
        [
            f("broken-link", "docs/index.md", 2, 10),
            // A reference link points at its use: the definition is shared.
            f("broken-link", "docs/index.md", 2, 19),
            f("broken-link", "docs/index.md", 2, 37),
            f("broken-image", "docs/index.md", 3, 10),
            f("broken-image", "docs/index.md", 3, 33),
            // Paths are case-exact: SETUP.md is not setup.md.
            f("broken-link", "docs/index.md", 4, 76),
            f("broken-link", "docs/index.md", 5, 49),
            f("broken-link", "docs/index.md", 5, 78),
        ]
    );
}

#[test]
fn anchors_same_page_cross_page_duplicates_custom_and_raw() {
    let site = Fixture::with(&[
        (
            "docs/index.md",
            "# Home\n\n## Usage\n\n## Usage\n\n<a name=\"legacy\"></a>\n\n\
             [ok](#usage-1) [ok](#legacy) [ok](other.md#custom) [ok](other.md#whats-new)\n\
             [bad](#usage-2) [bad](other.md#whats-new-1) [ok](other.md#raw-id)\n",
        ),
        (
            "docs/other.md",
            "# Other\n\n## Rollback {#custom}\n\n## What's new?\n\n<div id=\"raw-id\"></div>\n",
        ),
    ]);
    let (_, list) = findings(&site, &[]);
    assert_eq!(
        list,
        [
            f("broken-anchor", "docs/index.md", 10, 7),
            f("broken-anchor", "docs/index.md", 10, 23)
        ]
    );
}

#[test]
fn links_in_code_are_not_links() {
    let site = Fixture::with(&[(
        "docs/index.md",
        "# Home\n\n`[x](gone.md)`\n\n```markdown\n[y](gone.md)\n```\n\n    [z](gone.md)\n",
    )]);
    assert_eq!(findings(&site, &[]), (0, vec![]));
}

#[test]
fn anchor_hint_suggests_the_nearest_heading() {
    let site = Fixture::with(&[(
        "docs/index.md",
        "# Home\n\n## Rollback steps\n\n[x](#rollback-step)\n",
    )]);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("error[broken-anchor]: no heading or anchor `#rollback-step` in this page"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--> docs/index.md:5:5"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("[x](#rollback-step)"),
        "the source line is shown: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("did you mean `#rollback-steps`?"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("failed: 1 error, 0 warnings (1 pages, 1 links, 0 commands checked)"),
        "{}",
        run.stdout
    );
}

const DEPLOY: &str = "#!/bin/bash\nwhile [ $# -gt 0 ]; do\n  case \"$1\" in\n    --env) env=$2; shift 2 ;;\n    -n|--dry-run) dry=1; shift ;;\n    *) echo \"unknown option $1\" >&2; exit 2 ;;\n  esac\ndone\n";

fn command_site(doc: &str) -> Fixture {
    let site = Fixture::with(&[
        ("docs/index.md", doc),
        ("scripts/plain.sh", "#!/bin/sh\necho \"$@\"\n"),
        (
            "package.json",
            "{ \"scripts\": { \"build\": \"tsc\", \"test\": \"jest\" } }",
        ),
        (
            "Makefile",
            "include mk/extra.mk\n.PHONY: docs\ndocs:\n\techo docs\n",
        ),
        ("mk/extra.mk", "release: docs\n\techo\n"),
        ("justfile", "lint:\n    echo lint\n"),
    ]);
    executable(&site, "scripts/deploy.sh", DEPLOY);
    site
}

#[test]
fn documented_commands_are_checked() {
    let site = command_site(
        "# Home\n\n```bash\n\
         ./scripts/deploy.sh --env prod --dryrun\n\
         ./scripts/plain.sh\n\
         ./scripts/gone.sh && npm run bild\n\
         make releas\n\
         just lnt\n\
         yarn tset\n\
         ./scripts/deploy.sh \\\n  --env prod \\\n  --verbose\n\
         ```\n",
    );
    let (code, list) = findings(&site, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        list,
        [
            f("unknown-flag", "docs/index.md", 4, 32),
            f("not-executable", "docs/index.md", 5, 1),
            f("missing-command", "docs/index.md", 6, 1),
            f("unknown-task", "docs/index.md", 6, 30),
            f("unknown-task", "docs/index.md", 7, 6),
            f("unknown-task", "docs/index.md", 8, 6),
            f("unknown-task", "docs/index.md", 9, 6),
            f("unknown-flag", "docs/index.md", 12, 3),
        ]
    );
}

#[test]
fn valid_command_look_alikes_are_not_findings() {
    let site = command_site(
        "# Home\n\n```bash\n\
         # ./scripts/gone.sh in a comment\n\
         bash scripts/plain.sh --anything\n\
         ./scripts/deploy.sh --env=prod -n --dry-run -- --not-an-option\n\
         sudo DEBUG=1 ./scripts/deploy.sh --env prod\n\
         npm test && npm run build && make release docs V=1 && just lint\n\
         cat <<'EOF'\n./scripts/gone.sh\nEOF\n\
         echo \"./scripts/gone.sh is just text\"\n\
         ```\n\n\
         ```console\n$ ./scripts/deploy.sh -n\n./scripts/gone.sh: output, not a command\n```\n\n\
         ```text\n./scripts/gone.sh\n```\n\n\
         Run `./scripts/deploy.sh --env prod` or `scripts/gone.sh` (a path in prose, not a command).\n",
    );
    let (code, list) = findings(&site, &[]);
    assert_eq!((code, list), (0, vec![]));
}

#[test]
fn console_prompts_yaml_run_steps_and_inline_code() {
    let site = command_site(
        "# Home\n\n```console\n$ ./scripts/gone.sh\nsome output\n```\n\n\
         ```yaml\nsteps:\n  - run: npm run nope\n  - run: |\n      make docs\n      ./scripts/deploy.sh --bogus\n```\n\n\
         Then `./scripts/missing.sh --x` runs.\n",
    );
    let (_, list) = findings(&site, &[]);
    assert_eq!(
        list,
        [
            f("missing-command", "docs/index.md", 4, 3),
            f("unknown-task", "docs/index.md", 10, 18),
            f("unknown-flag", "docs/index.md", 13, 27),
            f("missing-command", "docs/index.md", 16, 7),
        ]
    );
}

/// A README in a folder of the repository documents commands run from
/// that folder (kubernetes/community's `icons/README.md`:
/// `./tools/rasterize.sh`, which is `icons/tools/rasterize.sh`); what is
/// missing from both the root and the page's folder is still an error.
#[test]
fn commands_may_run_from_the_pages_folder() {
    let site = Fixture::with(&[
        ("docs/index.md", "# Home\n\n[icons](icons/README.md)\n"),
        (
            "docs/icons/README.md",
            "# Icons\n\n```sh\n./tools/rasterize.sh\n./tools/gone.sh\nmake icons\n```\n",
        ),
        ("docs/icons/Makefile", "icons:\n\techo icons\n"),
        // pnpm runs the nearest package.json above the folder (Starlight's
        // `docs/grammars/README.md` and `docs/package.json`).
        (
            "docs/site/grammars/README.md",
            "# Grammars\n\n```sh\npnpm grammars\n```\n",
        ),
        (
            "docs/site/package.json",
            "{ \"scripts\": { \"grammars\": \"node generate.mjs\" } }",
        ),
        // make likewise, with the nearest makefile above the page (traefik's
        // `docs/Makefile` and `docs/content/contributing/documentation.md`).
        (
            "docs/site/contributing/docs.md",
            "# Docs\n\n```sh\nmake docs-build\nmake docs-gone\n```\n",
        ),
        ("docs/site/Makefile", "docs-build:\n\techo build\n"),
    ]);
    executable(&site, "docs/icons/tools/rasterize.sh", "#!/bin/sh\n");
    let (code, list) = findings(&site, &[]);
    assert_eq!(
        (code, list),
        (
            1,
            vec![
                f("missing-command", "docs/icons/README.md", 5, 1),
                f("unknown-task", "docs/site/contributing/docs.md", 5, 6),
            ]
        )
    );
}

/// A handbook page about another project's checkout (it links to that
/// repository's files twice or more, or clones it) documents that
/// project's scripts and make targets: missing here, they are warnings that
/// name the repository. The same commands on a page that shows no other
/// repository, or links one tool's README, are errors.
#[test]
fn a_page_showing_another_repository_warns_of_its_missing_commands() {
    const BLOCK: &str = "```sh\n./hack/local-up-cluster.sh\nmake test-e2e-node\n```\n";
    let linked = format!(
        "# Local cluster\n\nSee [the script](https://github.com/kubernetes/kubernetes/blob/master/hack/local-up-cluster.sh) and [its tests](https://github.com/kubernetes/kubernetes/tree/master/test).\n\n{BLOCK}"
    );
    let cloned = format!(
        "# Clone\n\n```sh\ngit clone https://github.com/kubernetes/kubernetes.git\n```\n\n{BLOCK}"
    );
    // The reader's own repository, a placeholder (linkerd's blog:
    // `git clone <your-repo-url>`), or a repository on another host.
    let placeholder = format!("# Demo\n\n```sh\ngit clone <your-repo-url>\n```\n\n{BLOCK}");
    let elsewhere =
        format!("# Go\n\n```sh\ngit clone https://go.googlesource.com/go\n```\n\n{BLOCK}");
    // One link to a tool's README is no page about that tool's checkout.
    let plain = format!(
        "# Plain\n\nInstall [nvm](https://github.com/nvm-sh/nvm/blob/master/README.md).\n\n{BLOCK}"
    );
    let site = Fixture::with(&[
        (
            "docs/index.md",
            "# Home\n\n[a](linked.md) [b](cloned.md) [c](plain.md) [d](placeholder.md) [e](elsewhere.md)\n",
        ),
        ("docs/placeholder.md", &placeholder),
        ("docs/elsewhere.md", &elsewhere),
        ("docs/linked.md", &linked),
        ("docs/cloned.md", &cloned),
        ("docs/plain.md", &plain),
        ("hack/verify.sh", "#!/bin/sh\n"),
        ("Makefile", "generate:\n\techo\n"),
    ]);
    let (code, all) = common::check_json(&site, &[]);
    assert_eq!(code, 1);
    let seen: Vec<(&str, &str, &str, u64)> = all
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap(),
                f["kind"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("docs/cloned.md", "missing-command", "warning", 8),
            ("docs/cloned.md", "unknown-task", "warning", 9),
            ("docs/elsewhere.md", "missing-command", "warning", 8),
            ("docs/elsewhere.md", "unknown-task", "warning", 9),
            ("docs/linked.md", "missing-command", "warning", 6),
            ("docs/linked.md", "unknown-task", "warning", 7),
            ("docs/placeholder.md", "missing-command", "warning", 8),
            ("docs/placeholder.md", "unknown-task", "warning", 9),
            ("docs/plain.md", "missing-command", "error", 6),
            ("docs/plain.md", "unknown-task", "error", 7),
        ]
    );
    let said = |file: &str| {
        all.iter()
            .find(|f| f["file"] == file)
            .and_then(|f| f["hint"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert!(said("docs/linked.md").contains("github.com/kubernetes/kubernetes"));
    assert!(said("docs/placeholder.md").contains("<your-repo-url>"));
    assert!(said("docs/elsewhere.md").contains("go.googlesource.com/go"));
}

#[test]
fn tasks_without_a_build_file_are_warnings() {
    // With no package.json or Makefile here at all, the commands may well
    // run in another repository (issue 16): a warning, not an error.
    let site = Fixture::with(&[(
        "docs/index.md",
        "# Home\n\n```sh\nnpm run build\nmake all\n```\n",
    )]);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("0 errors, 2 warnings") || run.stdout.contains("2 warnings"),
        "{}",
        run.stdout
    );
    let run = site.run(&["check", "--deny-warnings"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("there is no `package.json`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("there is no `Makefile`"),
        "{}",
        run.stdout
    );
}

#[test]
fn cd_changes_where_paths_resolve() {
    let site = Fixture::with(&[(
        "docs/index.md",
        "# Home\n\n```sh\ncd tools && ./run.sh && cd .. && ./run.sh\n```\n",
    )]);
    executable(&site, "tools/run.sh", "#!/bin/sh\n");
    let (_, list) = findings(&site, &[]);
    assert_eq!(list, [f("missing-command", "docs/index.md", 4, 34)]);
}

#[test]
fn front_matter_and_data_errors_are_findings() {
    let site = Fixture::with(&[
        (
            "docs/index.md",
            "---\ntitle: [unclosed\n---\n# Home\n\n[bad](gone.md)\n",
        ),
        (
            "docs/old.md",
            "---\nreview_by: 2001-01-01\nhide: [toc]\n---\n# Old\n",
        ),
        (
            "data/metrics.yaml",
            "kpis:\n  - id: x\n    target: {op: '>=', value: 1\n",
        ),
    ]);
    let (code, list) = findings(&site, &[]);
    assert_eq!(code, 1);
    let kinds: Vec<_> = list
        .iter()
        .map(|(k, file, line, _)| (k.as_str(), file.as_str(), *line))
        .collect();
    assert_eq!(
        kinds,
        [
            ("data-error", "data/metrics.yaml", 4),
            ("data-error", "docs/index.md", 2),
            ("broken-link", "docs/index.md", 6),
            ("stale-page", "docs/old.md", 2),
            ("data-error", "docs/old.md", 3),
        ]
    );
}

/// A markdown file in another encoding (Latin-1 session notes in a large
/// community repository) is a finding at its first bad byte, and the rest
/// of the file, read with U+FFFD for its bad bytes, is still checked; the
/// check does not stop there.
#[test]
fn a_file_not_utf8_is_a_finding_and_still_checked() {
    let site = Fixture::with(&[("docs/README.md", "# Home\n\n[notes](notes.md)\n")]);
    let latin1 = b"# Notes\n\n- **\xA6** Code vs. talk.\n\n[gone](gone.md)\n";
    std::fs::write(site.path("docs/notes.md"), latin1).unwrap();
    let (code, list) = findings(&site, &[]);
    assert_eq!(
        (code, list),
        (
            1,
            vec![
                f("data-error", "docs/notes.md", 3, 5),
                f("broken-link", "docs/notes.md", 5, 8),
            ]
        )
    );
    // A build still refuses it: the page would show U+FFFD.
    let out = site.run(&["build"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("docs/notes.md:3:5"), "{}", out.stderr);
}

/// A book's link out of its `src/` to a web page that is not in the
/// repository (the rust book's `../std/index.html`: the standard library's
/// docs beside the book on doc.rust-lang.org; `../reference/items.md`,
/// which mdBook makes `.html`) is a warning; a missing page inside the book
/// is still an error, and so are the links out in docs that no other
/// generator builds (they are read on the forge).
#[test]
fn a_link_out_of_a_books_folder_to_a_web_page_is_a_warning() {
    const PAGE: &str = "# Guessing game\n\n[std](../std/index.html#prelude) [nomicon](../nomicon/) [reference](../reference/items.md) [notes](notes.md)\n";
    let book = Fixture::with(&[
        ("book.toml", "[book]\ntitle = \"The Book\"\n"),
        ("src/SUMMARY.md", "# Summary\n\n- [Game](game.md)\n"),
        ("src/game.md", PAGE),
    ]);
    let (code, all) = common::check_json(&book, &[]);
    let seen: Vec<(&str, u64, &str)> = all
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap(),
                f["column"].as_u64().unwrap(),
                f["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        (code, seen),
        (
            1,
            vec![
                ("warning", 7, "broken-link"),
                ("warning", 44, "broken-link"),
                ("warning", 69, "broken-link"),
                ("error", 100, "broken-link"),
            ]
        )
    );
    let plain = Fixture::with(&[("docs/game.md", PAGE)]);
    let (code, all) = common::check_json(&plain, &[]);
    assert_eq!(code, 1);
    assert!(
        all.iter().all(|f| f["severity"] == "error") && all.len() == 4,
        "{all:?}"
    );
}

/// A VitePress site (`docs/.vitepress/config.ts`, as Vite's own docs):
/// headings have VitePress's ids (`## server.host` is `#server-host`) and a
/// page's URL may leave out `.md` (`./config/server#server-host`). The same
/// links are broken where no VitePress config says so.
#[test]
fn vitepress_ids_and_page_urls() {
    const GUIDE: &str = "# Guide\n\n[host](./config/server#server-host) [html](./config/server.html#server-host) [bad](./config/server#server-nope)\n";
    const SERVER: &str = "# Server options\n\n## server.host\n\nThe host.\n";
    let vitepress = Fixture::with(&[
        (
            "docs/.vitepress/config.ts",
            "export default {\n  title: 'Vite',\n}\n",
        ),
        ("docs/index.md", GUIDE),
        ("docs/config/server.md", SERVER),
    ]);
    let (code, list) = findings(&vitepress, &[]);
    assert_eq!(
        (code, list),
        (1, vec![f("broken-anchor", "docs/index.md", 3, 84)])
    );
    let plain = Fixture::with(&[("docs/index.md", GUIDE), ("docs/config/server.md", SERVER)]);
    let (code, list) = findings(&plain, &[]);
    assert_eq!(code, 1);
    assert_eq!(list.len(), 3, "{list:?}");
}

/// A Hugo site in a folder of the repository (goreleaser's `www/`, with
/// `www/hugo.yaml`; kind's `site/config.toml`): its content is
/// `www/content`, its site-absolute links resolve there, and a feed its
/// output formats write (`/blog/feed.xml`) is a warning; a missing page in
/// a folder it has is still an error.
#[test]
fn a_hugo_site_in_a_folder_of_the_repository() {
    let site = Fixture::with(&[
        ("README.md", "# Tool\n"),
        (
            "www/hugo.yaml",
            "baseURL: https://example.org/\ntitle: Tool\noutputFormats:\n  rss:\n    baseName: feed\n",
        ),
        ("www/content/_index.md", "# Tool\n"),
        (
            "www/content/customization/_index.md",
            "# Customization\n\n## Builds\n",
        ),
        (
            "www/content/blog/post.md",
            "# Post\n\n[c](/customization/#builds) [feed](/blog/feed.xml) [gone](/customization/gone/)\n",
        ),
    ]);
    // The same site with Hugo's old config name.
    let old_name = Fixture::with(&[
        ("README.md", "# Tool\n"),
        (
            "site/config.toml",
            "baseURL = \"https://example.org/\"\ntitle = \"Tool\"\n",
        ),
        // The home page's relative image is the static folder's, beside the content.
        (
            "site/content/_index.md",
            "# Tool\n\n![logo](./logo/logo.png)\n",
        ),
        ("site/static/logo/logo.png", "png"),
        ("site/content/docs/user/quick-start.md", "# Quick start\n"),
        (
            "site/content/docs/guide.md",
            "# Guide\n\n[start](/docs/user/quick-start/) [gone](/docs/user/gone/)\n",
        ),
    ]);
    let (code, list) = findings(&old_name, &[]);
    assert_eq!(
        (code, list),
        (
            1,
            vec![f("broken-link", "site/content/docs/guide.md", 3, 41)]
        )
    );
    let (code, all) = common::check_json(&site, &[]);
    let seen: Vec<(&str, &str, &str)> = all
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap(),
                f["file"].as_str().unwrap(),
                f["target"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        (code, seen),
        (
            1,
            vec![
                ("warning", "www/content/blog/post.md", "/blog/feed.xml"),
                ("error", "www/content/blog/post.md", "/customization/gone/"),
            ]
        )
    );
}

/// Sites other generators build from folders of the project: cargo's book
/// (`doc/book/book.toml`) links out of its `src/` to the books beside it on
/// the host (warnings); fastapi's `docs/en/mkdocs.yml` serves `/img/…`
/// from `docs/en/docs/`, and its translations without a config of their own
/// use it too. What none of the sites has is still an error.
#[test]
fn sites_built_from_folders_of_the_project() {
    let book = Fixture::with(&[
        ("README.md", "# Cargo\n\n[book](doc/book/src/index.md)\n"),
        ("doc/book/book.toml", "[book]\ntitle = \"Cargo\"\n"),
        (
            "doc/book/src/index.md",
            "# Book\n\n[std](../../std/index.html) [cfg](../../reference/cfg.md) [gone](gone.md)\n",
        ),
    ]);
    let (code, all) = common::check_json(&book, &[]);
    let seen = severity_and_target(&all);
    assert_eq!(
        (code, seen),
        (
            1,
            vec![
                ("warning", "../../std/index.html"),
                ("warning", "../../reference/cfg.md"),
                ("error", "gone.md"),
            ]
        )
    );
    let translated = Fixture::with(&[
        ("docs/en/mkdocs.yml", "site_name: Tool\n"),
        ("docs/en/docs/index.md", "# Tool\n\n![a](/img/a.png)\n"),
        ("docs/en/docs/img/a.png", "png"),
        (
            "docs/de/docs/index.md",
            "# Werkzeug\n\n![a](/img/a.png) ![b](/img/gone.png)\n",
        ),
    ]);
    let (code, list) = findings(&translated, &[]);
    assert_eq!(
        (code, list),
        (1, vec![f("broken-image", "docs/de/docs/index.md", 3, 23)])
    );
    // A page outside the sites' folder tree is read as GitHub reads it.
    let apart = Fixture::with(&[
        ("docs/site/en/mkdocs.yml", "site_name: Tool\n"),
        ("docs/site/en/docs/index.md", "# Tool\n\n![a](/img/a.png)\n"),
        ("docs/site/en/docs/img/a.png", "png"),
        ("docs/notes.md", "# Notes\n\n![a](/img/a.png)\n"),
    ]);
    let (code, list) = findings(&apart, &[]);
    assert_eq!(
        (code, list),
        (1, vec![f("broken-image", "docs/notes.md", 3, 6)])
    );
}

/// A README at the root links folders of code (kind's `./pkg`, `./pkg/cluster`):
/// with the content at the root they are folders of the content with no
/// markdown, there on disk, not missing.
#[test]
fn links_to_folders_of_code_in_the_content() {
    let site = Fixture::with(&[
        (
            "README.md",
            "# Tool\n\n[pkg](./pkg) [cluster](./pkg/cluster/) [main](pkg/main.go) [gone](./gone)\n",
        ),
        ("pkg/main.go", "package pkg\n"),
        ("pkg/cluster/cluster.go", "package cluster\n"),
    ]);
    let (code, list) = findings(&site, &[]);
    assert_eq!(
        (code, list),
        (1, vec![f("broken-link", "README.md", 3, 67)])
    );
}

/// A folder the repository lacks that an earlier block named (electron's
/// `gn gen out/Testing`) holds what the build made there: the built
/// executable under it is not judged; a path under a folder no command
/// named still is.
#[test]
fn paths_under_a_folder_an_earlier_block_named() {
    let site = Fixture::with(&[(
        "docs/build.md",
        "# Build\n\n```sh\ngn gen out/Testing --args=x\n```\n\n```sh\nninja -C out/Testing electron\n```\n\n```sh\n./out/Testing/electron.exe\n./elsewhere/run.sh\n```\n",
    )]);
    let (code, list) = findings(&site, &[]);
    assert_eq!(
        (code, list),
        (1, vec![f("missing-command", "docs/build.md", 13, 1)])
    );
}

/// Docs written for a site that serves pages without `.md` (poetry's,
/// built by a website in another repository): `pyproject#packages` beside
/// `pyproject.md` is a warning that names the page (`./notes/v0.2.0` beside
/// `notes/v0.2.0.md` too), not an error; with no
/// such page it is still an error. An application's routes config in the
/// site's own folder (Starlight's `docs/astro.config.mjs`) makes missing
/// site-absolute links warnings, as at the root.
#[test]
fn page_urls_without_md_and_routes_config_in_a_folder() {
    let site = Fixture::with(&[
        (
            "docs/basic-usage.md",
            "# Basic usage\n\n[packages](pyproject#packages) [gone](nothing#x) [notes](./notes/v0.2.0)\n",
        ),
        ("docs/pyproject.md", "# pyproject\n\n## Packages\n"),
        // A name with dots of its own: `v0.2.0.md`, not `v0.2.md`.
        ("docs/notes/v0.2.0.md", "# v0.2.0\n"),
    ]);
    let (code, all) = common::check_json(&site, &[]);
    let seen = severity_and_target(&all);
    assert_eq!(
        (code, seen),
        (
            1,
            vec![
                ("warning", "pyproject#packages"),
                ("error", "nothing#x"),
                ("warning", "./notes/v0.2.0"),
            ]
        )
    );
    let hint = all[0]["hint"].as_str().unwrap_or_default();
    assert!(hint.contains("`pyproject.md` is there"), "{hint}");
    let starlight = Fixture::with(&[
        ("docs/astro.config.mjs", "export default {}\n"),
        (
            "docs/index.md",
            "# Home\n\n[config](/reference/configuration/)\n",
        ),
    ]);
    let (code, all) = common::check_json(&starlight, &[]);
    assert_eq!(code, 0, "{all:?}");
    assert_eq!(all.len(), 1, "{all:?}");
}

/// A front matter key given twice with the same value (k6's docs have
/// 1,700 of them) is a warning at the repeat, and the page is read as if
/// once; given twice with different values it is still an error, which
/// value is meant cannot be known. The build reads the first kind too.
#[test]
fn a_front_matter_key_repeated_with_its_value_is_a_warning() {
    let site = Fixture::with(&[
        (
            "docs/fail.md",
            "---\ntitle: 'fail'\ndescription: 'Throws.'\ndescription: 'Throws.'\n---\n\n# fail\n",
        ),
        (
            "docs/other.md",
            "---\ntitle: Other\nweight: 1\nweight: 2\n---\n\n# Other\n",
        ),
    ]);
    let (code, all) = common::check_json(&site, &[]);
    let seen: Vec<(&str, &str, u64)> = all
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap(),
                f["file"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        (code, seen),
        (
            1,
            vec![
                ("warning", "docs/fail.md", 4),
                ("error", "docs/other.md", 4)
            ]
        )
    );
    std::fs::remove_file(site.path("docs/other.md")).unwrap();
    site.build(&[]);
    assert!(
        site.read("public/fail.html").contains("<title>fail"),
        "the front matter's title"
    );
}

/// A content repository that a site elsewhere builds with Hugo (grafana's
/// k6-docs: `_index.md` section pages, no config of its own): a
/// site-absolute link whose first folder is in neither the content nor the
/// repository (`/media/docs/…`, the site's media) is a warning; a link with
/// a placeholder for the reader (`/docs/k6/<K6_VERSION>/…`) is not checked;
/// one that goes through a folder none of them has (`/docs/mimir/latest/…`,
/// another product's docs on the host, from a repository with a `docs/`)
/// is a warning too, a page missing from a folder they have is not. Pages
/// are served as Hugo serves them, a link read from the page's URL
/// (`../create-a-test/` beside `record.md`).
#[test]
fn a_hugo_content_repository_without_its_site() {
    let site = Fixture::with(&[
        ("docs/sources/_index.md", "# k6\n"),
        (
            "docs/sources/using.md",
            "# Using\n\n![chart](/media/docs/k6-oss/chart.png) [next](/docs/k6/<K6_VERSION>/extensions/) [gone](gone.md)\n\n\
             [mimir](/docs/mimir/latest/ruler/#remote) [missing](/docs/sources/gone/)\n",
        ),
        (
            "docs/sources/studio/record.md",
            "# Record\n\n[create](../create-a-test/) [lost](../lost/)\n",
        ),
        ("docs/sources/studio/create-a-test.md", "# Create\n"),
    ]);
    let (code, all) = common::check_json(&site, &[]);
    let seen = severity_and_target(&all);
    assert_eq!(
        (code, seen),
        (
            1,
            vec![
                ("error", "../lost/"),
                ("warning", "/media/docs/k6-oss/chart.png"),
                ("error", "gone.md"),
                ("warning", "/docs/mimir/latest/ruler/#remote"),
                ("error", "/docs/sources/gone/"),
            ]
        )
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let site = Fixture::with(&[("docs/index.md", "---\nreview_by: 2001-01-01\n---\n# Home\n")]);
    assert_eq!(site.run(&["check"]).code, 0);
    assert_eq!(site.run(&["check", "--deny-warnings"]).code, 1);
}

/// Check's "today" is build's: `SOURCE_DATE_EPOCH` pins it, so a page due
/// for review between two pinned dates is stale as of the later one only.
#[test]
fn source_date_epoch_pins_today_for_stale_pages() {
    let site = Fixture::with(&[("docs/index.md", "---\nreview_by: 2026-06-01\n---\n# Home\n")]);
    let stale = |date: &str| {
        let epoch = common::at(date).to_string();
        let run = site.run_env(&["check"], &[("SOURCE_DATE_EPOCH", &epoch)]);
        run.stderr.contains("stale") || run.stdout.contains("stale")
    };
    assert!(!stale("2026-01-01T00:00:00Z"));
    assert!(stale("2026-07-01T00:00:00Z"));
}

#[test]
fn config_severity_and_ignores() {
    let site = Fixture::with(&[
        (
            "almanac.yaml",
            "check:\n  severity: { stale-page: error, broken-image: off }\n  ignore_files: ['docs/archive/**']\n  ignore_targets: ['legacy/*']\n",
        ),
        (
            "docs/index.md",
            "---\nreview_by: 2001-01-01\n---\n# Home\n\n![x](gone.png) [l](legacy/old.md) [m](gone.md)\n",
        ),
        ("docs/archive/old.md", "# Old\n\n[x](gone.md)\n"),
    ]);
    let (code, list) = findings(&site, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        list,
        [
            f("stale-page", "docs/index.md", 2, 1),
            f("broken-link", "docs/index.md", 6, 39)
        ]
    );
}

#[test]
fn ignore_next_line_comment() {
    let site = Fixture::with(&[(
        "docs/index.md",
        "# Home\n\n<!-- almanac-ignore-next-line -->\n[x](gone.md)\n[y](gone-too.md)\n",
    )]);
    let (_, list) = findings(&site, &[]);
    assert_eq!(list, [f("broken-link", "docs/index.md", 5, 5)]);
}

#[test]
fn github_format_prints_workflow_commands() {
    let site = Fixture::with(&[("docs/index.md", "# Home\n\n[x](gone.md)\n")]);
    let run = site.run(&["check", "--format", "github"]);
    assert_eq!(run.code, 1);
    let first = run.stdout.lines().next().unwrap();
    assert_eq!(
        first,
        "::error file=docs/index.md,line=3,col=5,title=almanac broken-link::`docs/gone.md` does not exist"
    );
}

#[test]
fn json_fields_match_the_design() {
    let site = Fixture::with(&[("docs/index.md", "# Home\n\n[x](#nope)\n")]);
    let run = site.run(&["check", "--format", "json"]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let finding = json["findings"][0].as_object().unwrap();
    let mut keys: Vec<_> = finding.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "column", "file", "hint", "kind", "line", "message", "severity", "target"
        ]
    );
    assert_eq!(finding["target"], "#nope");
    assert_eq!(finding["severity"], "error");
    let summary = json["summary"].as_object().unwrap();
    let mut keys: Vec<_> = summary.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["commands", "errors", "links", "pages", "warnings"]);
    assert_eq!(json["summary"]["errors"], 1);
}

#[test]
fn sarif_has_the_2_1_0_structure() {
    let site = Fixture::with(&[("docs/index.md", "# Home\n\n[x](gone.md)\n\n---\n")]);
    let run = site.run(&["check", "--format", "sarif"]);
    assert_eq!(run.code, 1);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "almanac");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let result = &run0["results"][0];
    assert_eq!(result["ruleId"], "broken-link");
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "broken-link");
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "docs/index.md");
    assert_eq!(location["region"]["startLine"], 3);
    assert_eq!(location["region"]["startColumn"], 5);
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .contains("does not exist")
    );
}

#[test]
fn a_mkdocs_repository_checks_with_zero_config() {
    // A repository laid out for MkDocs/GitHub: docs/, scripts/, package.json, mkdocs.yml.
    let site = Fixture::with(&[
        ("mkdocs.yml", "site_name: Tool\nnav:\n  - Home: index.md\n"),
        (
            "package.json",
            "{ \"scripts\": { \"docs\": \"mkdocs build\", \"test\": \"vitest\" } }",
        ),
        (
            "docs/index.md",
            "---\nhide:\n  - navigation\n---\n# Tool\n\n!!! note\n    MkDocs admonition.\n\n\
             See [install](getting-started/install.md#requirements) and [API](reference/).\n\n\
             ```bash\nnpm run docs\n./scripts/release.sh --dry-run\n```\n",
        ),
        (
            "docs/getting-started/install.md",
            "# Install\n\n## Requirements\n",
        ),
        ("docs/reference/index.md", "# Reference\n"),
    ]);
    executable(
        &site,
        "scripts/release.sh",
        "#!/bin/sh\ncase \"$1\" in\n  --dry-run) ;;\n  *) echo \"usage: release.sh [--dry-run]\" >&2; exit 2 ;;\nesac\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // MkDocs' own front matter keys are not mistakes in an MkDocs project.
    assert!(run.stdout.contains("no problems found"), "{}", run.stdout);
    // A key no generator reads still is, as a warning.
    site.write(
        "docs/getting-started/install.md",
        "---
titel: Install
---
# Install

## Requirements
",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("warning[data-error]: front matter key `titel`"),
        "{}",
        run.stdout
    );
}

#[test]
fn bad_config_is_exit_2() {
    let site = Fixture::with(&[
        ("almanac.yaml", "check:\n  severty: {}\n"),
        ("docs/index.md", "# Home\n"),
    ]);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("almanac.yaml:2:3"), "{}", run.stderr);
}

mod changed_since {
    use super::*;
    use common::Git;

    /// main has a pre-existing broken link (not this change's fault); the
    /// change renames a heading, deletes a page and adds a page with a broken link.
    fn repo() -> Fixture {
        let site = Fixture::with(&[
            (
                "docs/index.md",
                "# Home\n\n[old breakage](never-existed.md)\n",
            ),
            ("docs/guide.md", "# Guide\n\n## Rollback steps\n"),
            (
                "docs/links-to-guide.md",
                "# A\n\n[steps](guide.md#rollback-steps)\n",
            ),
            ("docs/links-to-old.md", "# B\n\n[old](old.md)\n"),
            ("docs/old.md", "# Old\n"),
        ]);
        let git = Git::init(&site);
        git.commit_all("docs: initial", 1_750_000_000);
        git.repo
            .branch(
                "base",
                &git.repo.head().unwrap().peel_to_commit().unwrap(),
                false,
            )
            .unwrap();
        site.write("docs/guide.md", "# Guide\n\n## Rolling back\n");
        std::fs::remove_file(site.path("docs/old.md")).unwrap();
        site.write("docs/new.md", "# New\n\n[typo](gude.md)\n");
        site
    }

    #[test]
    fn reports_what_the_change_broke_anywhere() {
        let site = repo();
        let (code, list) = findings(&site, &["--changed-since", "base"]);
        assert_eq!(code, 1);
        assert_eq!(
            list,
            [
                f("broken-anchor", "docs/links-to-guide.md", 3, 9),
                f("broken-link", "docs/links-to-old.md", 3, 7),
                f("broken-link", "docs/new.md", 3, 8),
            ]
        );
        // Without the filter the old breakage is there too.
        let (_, all) = findings(&site, &[]);
        assert!(
            all.contains(&f("broken-link", "docs/index.md", 3, 16)),
            "{all:?}"
        );
    }

    #[test]
    fn committed_changes_count_too() {
        let site = repo();
        Git {
            repo: git2::Repository::open(site.root()).unwrap(),
        }
        .commit_all("docs: rework", 1_750_086_400);
        let (_, list) = findings(&site, &["--changed-since", "base"]);
        assert_eq!(list.len(), 3, "{list:?}");
    }

    #[test]
    fn an_unknown_revision_is_a_clear_error() {
        let site = repo();
        let run = site.run(&["check", "--changed-since", "origin/main"]);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr.contains("revision `origin/main` not found"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("git fetch"), "{}", run.stderr);
    }

    #[test]
    fn works_in_a_shallow_clone_when_the_revision_is_there() {
        let origin = repo();
        Git {
            repo: git2::Repository::open(origin.root()).unwrap(),
        }
        .commit_all("docs: rework", 1_750_086_400);
        let clone = Fixture::new();
        let dest = clone.path("clone");
        let url = format!("file://{}", origin.root().display());
        let status = std::process::Command::new("git")
            .args(["clone", "-q", "--depth", "1", &url, dest.to_str().unwrap()])
            .status()
            .expect("git is installed");
        assert!(status.success());
        let run = common::almanac(&[
            "-C",
            dest.to_str().unwrap(),
            "check",
            "--changed-since",
            "HEAD",
        ]);
        // The clone carries the old breakage, but nothing changed since HEAD.
        assert_eq!(run.code, 0, "{}", run.stdout);
        assert!(run.stdout.contains("no problems found"), "{}", run.stdout);
        let run = common::almanac(&[
            "-C",
            dest.to_str().unwrap(),
            "check",
            "--changed-since",
            "HEAD~1",
        ]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("shallow clone"), "{}", run.stderr);
    }
}

mod external {
    use super::*;
    use std::collections::HashMap;
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    /// A small HTTP server on 127.0.0.1 that answers by path and counts
    /// requests. It serves at most 200 connections or 60 seconds, then stops.
    fn server() -> (String, Arc<Mutex<HashMap<String, usize>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let counter = hits.clone();
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut served = 0;
            while Instant::now() < deadline && served < 200 {
                let Ok((stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                served += 1;
                let hits = counter.clone();
                std::thread::spawn(move || {
                    stream.set_nonblocking(false).unwrap();
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut request = String::new();
                    reader.read_line(&mut request).unwrap();
                    let mut header = String::new();
                    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                        header.clear();
                    }
                    let mut parts = request.split_whitespace();
                    let (method, path) = (
                        parts.next().unwrap_or(""),
                        parts.next().unwrap_or("").to_string(),
                    );
                    let count = {
                        let mut h = hits.lock().unwrap();
                        let c = h.entry(path.clone()).or_default();
                        *c += 1;
                        *c
                    };
                    let status = match (path.as_str(), method) {
                        ("/ok", _) => "200 OK",
                        ("/flaky", _) if count == 1 => "503 Service Unavailable",
                        ("/flaky", _) => "200 OK",
                        ("/no-head", "HEAD") => "405 Method Not Allowed",
                        ("/no-head", _) => "200 OK",
                        ("/slow", _) => {
                            std::thread::sleep(Duration::from_secs(3));
                            "200 OK"
                        }
                        _ => "404 Not Found",
                    };
                    let mut stream = reader.into_inner();
                    let _ = write!(
                        stream,
                        "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                });
            }
        });
        (base, hits)
    }

    #[test]
    fn external_links_are_fetched_retried_cached_and_excluded() {
        let (base, hits) = server();
        let site = Fixture::with(&[
            (
                "almanac.yaml",
                "check:\n  external:\n    timeout_secs: 1\n    retries: 1\n    concurrency: 4\n    exclude: ['*/excluded']\n",
            ),
            (
                "docs/index.md",
                &format!(
                    "# Home\n\n[a]({base}/ok) [b]({base}/gone)\n[c]({base}/flaky) [d]({base}/no-head)\n[e]({base}/slow) [f]({base}/excluded)\n"
                ),
            ),
        ]);
        // Without --external nothing is fetched.
        assert_eq!(findings(&site, &[]), (0, vec![]));
        assert!(hits.lock().unwrap().is_empty());

        let (code, list) = findings(&site, &["--external"]);
        assert_eq!(code, 1);
        let col_gone = format!("[a]({base}/ok) [b](").len() as u64 + 1;
        assert_eq!(
            list,
            [
                f("external-link", "docs/index.md", 3, col_gone),
                f("external-link", "docs/index.md", 5, 5)
            ]
        );
        {
            let h = hits.lock().unwrap();
            assert_eq!(h["/flaky"], 2, "a 503 is retried");
            assert_eq!(h["/gone"], 1, "a 404 is not retried");
            assert_eq!(h["/slow"], 2, "a timeout is retried");
            assert_eq!(h["/no-head"], 2, "HEAD refused, then GET");
            assert!(!h.contains_key("/excluded"));
        }
        let run = site.run(&["check", "--external"]);
        assert!(run.stdout.contains("answered HTTP 404"), "{}", run.stdout);
        // Successes are cached: the second and third runs did not fetch /ok again.
        assert_eq!(hits.lock().unwrap()["/ok"], 1);
        assert!(site.exists(".almanac-cache/external.json"));
    }
}

/// Issue 16, links and anchors: each class of false finding beside the
/// true defect it looks like, which is still found at its line and column.
mod links_on_real_docs {
    use super::*;

    /// (kind, severity, line, column) of every finding in `file`.
    fn located(site: &Fixture, file: &str) -> (i32, Vec<(String, String, u64, u64)>) {
        let (code, findings) = common::check_json(site, &[]);
        let list = findings
            .iter()
            .filter(|f| f["file"] == file)
            .map(|f| {
                (
                    f["kind"].as_str().unwrap().to_string(),
                    f["severity"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                )
            })
            .collect();
        (code, list)
    }

    fn e(kind: &str, line: u64, column: u64) -> (String, String, u64, u64) {
        (kind.to_string(), "error".to_string(), line, column)
    }

    fn w(kind: &str, line: u64, column: u64) -> (String, String, u64, u64) {
        (kind.to_string(), "warning".to_string(), line, column)
    }

    #[test]
    fn images_in_a_hidden_folder_of_the_content_are_there_not_missing() {
        let site = Fixture::with(&[
            (
                "docs/guide.md",
                "# Guide\n\n![Form](.images/form.png)\n\n![Gone](.images/gone.png)\n",
            ),
            ("docs/.images/form.png", "png"),
        ]);
        assert_eq!(
            located(&site, "docs/guide.md"),
            (1, vec![w("private-file", 3, 9), e("broken-image", 5, 9)])
        );
    }

    #[test]
    fn gitbooks_assets_are_published_and_its_blocks_are_no_pages() {
        // GitBook keeps a space's images in `.gitbook/assets/` and its
        // reusable blocks in `.gitbook/includes/`.
        let site = Fixture::with(&[
            (
                "docs/guide.md",
                "# Guide\n\n![Form](.gitbook/assets/form%20(1).png)\n\n![Gone](.gitbook/assets/gone.png)\n",
            ),
            ("docs/.gitbook/assets/form (1).png", "png"),
            ("docs/.gitbook/includes/block.md", "# A block\n"),
            ("docs/.gitbook/.secret", "token"),
        ]);
        assert_eq!(
            located(&site, "docs/guide.md"),
            (1, vec![e("broken-image", 5, 9)])
        );
        site.build(&[]);
        assert!(site.exists("public/.gitbook/assets/form (1).png"));
        assert!(
            site.read("public/guide.html")
                .contains("src=\".gitbook/assets/form%20(1).png\"")
        );
        assert!(!site.exists("public/.gitbook/includes/block.html"));
        assert!(!site.exists("public/.gitbook/.secret"));
    }

    #[test]
    fn email_autolinks() {
        let site = Fixture::with(&[(
            "docs/index.md",
            "# Home\n\nMail <release-team@example.com> or <a.b+c@lists.example.org>.\n\
             Or read <gone.md> [the guide](gone.md).\n",
        )]);
        // `<gone.md>` is not an autolink (no scheme): plain text.
        assert_eq!(
            located(&site, "docs/index.md"),
            (1, vec![e("broken-link", 4, 31)])
        );
    }

    #[test]
    fn heading_ids_as_github_slugs_them() {
        let site = Fixture::with(&[(
            "docs/index.md",
            "# Home\n\n### ⚠️ Final notes\n\n## 👩‍💻 Developer setup\n\n## 安装：快速开始\n\n\
             ## C++ — the «good» parts...\n\n\
             [a](#️-final-notes) [b](#-developer-setup) [c](#安装快速开始) [d](#c--the-good-parts)\n\
             [x](#-final-notes)\n",
        )]);
        // Without U+FE0F, the id is another one.
        assert_eq!(
            located(&site, "docs/index.md"),
            (1, vec![e("broken-anchor", 12, 5)])
        );
    }

    #[test]
    fn links_to_the_repository_root() {
        let site = Fixture::with(&[
            ("README.md", "# Tool\n"),
            (
                "docs/guides/setup.md",
                "# Setup\n\n[home](/) [repo](../../) [repo too](../../README.md)\n[gone](../../nope/)\n",
            ),
            ("docs/index.md", "# Docs\n"),
        ]);
        let run = site.run(&["check"]);
        assert!(!run.stdout.contains("`` does not exist"), "{}", run.stdout);
        assert_eq!(
            located(&site, "docs/guides/setup.md"),
            (1, vec![e("broken-link", 4, 8)])
        );
        // The site still builds, and `/` is the site's home page.
        site.build(&[]);
        let html = site.read("public/guides/setup.html");
        assert!(html.contains("href=\"../index.html\">home</a>"), "{html}");
    }

    #[test]
    fn html_links_to_pages_built_from_markdown() {
        let site = Fixture::with(&[
            (
                "docs/SUMMARY.md",
                "# Summary\n\n[A](./a-email.html) [A setup](a-email.html#setup) [format](format/index.html)\n\
                 [B](./b.html) [A typo](a-email.html#stup)\n",
            ),
            ("docs/a-email.md", "# A\n\n## Setup\n"),
            ("docs/format/README.md", "# Format\n"),
        ]);
        assert_eq!(
            located(&site, "docs/SUMMARY.md"),
            (1, vec![e("broken-link", 4, 5), e("broken-anchor", 4, 24)])
        );
        // The build links the same pages.
        site.build(&[]);
        let html = site.read("public/SUMMARY.html");
        assert!(html.contains("href=\"a-email.html#setup\""), "{html}");
        assert!(html.contains("href=\"format/index.html\""), "{html}");
    }

    #[test]
    fn site_absolute_links() {
        let site = Fixture::with(&[
            ("almanac.yaml", "base_url: https://example.org/handbook/\n"),
            ("CONTRIBUTING.md", "# Contributing\n"),
            (
                "content/docs/overview.md",
                "# Overview\n\n[setup](/docs/setup/) [setup](/docs/setup) [install](/docs/setup/#install)\n\
                 [about](/about/) [published](/handbook/docs/setup/) [contributing](/CONTRIBUTING.md) [root](/handbook)\n\
                 [gone](/docs/nope/) [bad anchor](/docs/setup/#instal)\n",
            ),
            ("content/docs/setup.md", "# Setup\n\n## Install\n"),
            ("content/about/_index.md", "# About\n"),
        ]);
        assert_eq!(
            located(&site, "content/docs/overview.md"),
            (1, vec![e("broken-link", 5, 8), e("broken-anchor", 5, 34)])
        );
        site.build(&[]);
        let html = site.read("public/docs/overview.html");
        assert!(html.contains("href=\"setup.html#install\""), "{html}");
        assert!(html.contains("href=\"../about/index.html\""), "{html}");
    }

    #[test]
    fn site_absolute_links_in_a_site_with_a_folder_per_language() {
        // Hugo's multilingual layout: `/docs/setup/` in an English page is
        // `content/en/docs/setup.md`; in a Norwegian page without that
        // page it is the default language's.
        let site = Fixture::with(&[
            (
                "content/en/docs/overview.md",
                "# Overview\n\n[setup](/docs/setup/) [about](/about)\n[gone](/docs/nope/)\n",
            ),
            ("content/en/docs/setup.md", "# Setup\n"),
            ("content/en/about/_index.md", "# About\n"),
            (
                "content/no/docs/overview.md",
                "# Oversikt\n\n[setup](/docs/setup/) [about](/about)\n[gone](/docs/nope/)\n",
            ),
        ]);
        for page in ["content/en/docs/overview.md", "content/no/docs/overview.md"] {
            assert_eq!(
                located(&site, page),
                (1, vec![e("broken-link", 4, 8)]),
                "{page}"
            );
        }
    }

    #[test]
    fn site_absolute_links_to_folders_another_generator_serves_are_warnings() {
        // A Hugo site's pages link what Hugo serves beyond the content (its
        // theme's pages, the host's): almanac cannot see them, so it is not
        // sure. A plain repository's are read from its root, as GitHub does.
        let site = Fixture::with(&[
            (
                "content/notes.md",
                "# Notes\n\n[api](/reference/api/) [setup](/docs/setup/)\n[gone](/docs/nope/)\n",
            ),
            ("content/docs/setup.md", "# Setup\n"),
        ]);
        assert_eq!(
            located(&site, "content/notes.md"),
            (1, vec![e("broken-link", 3, 7), e("broken-link", 4, 8)])
        );
        site.write("hugo.toml", "title = 'Notes'\n");
        assert_eq!(
            located(&site, "content/notes.md"),
            (1, vec![w("broken-link", 3, 7), e("broken-link", 4, 8)])
        );
    }

    #[test]
    fn fragments_that_differ_only_in_case() {
        let site = Fixture::with(&[
            (
                "docs/index.md",
                "# Home\n\n## Flow\n\n[flow](#Flow) [other](other.md#Access-To-GCP) [typo](#Flwo)\n",
            ),
            ("docs/other.md", "# Other\n\n## Access to GCP\n"),
        ]);
        assert_eq!(
            located(&site, "docs/index.md"),
            (
                1,
                vec![
                    w("anchor-case", 5, 8),
                    w("anchor-case", 5, 23),
                    e("broken-anchor", 5, 54)
                ]
            )
        );
        let run = site.run(&["check"]);
        assert!(run.stdout.contains("help: write `#flow`"), "{}", run.stdout);
        // Alone, a case difference is a warning: the check passes.
        site.write("docs/index.md", "# Home\n\n## Flow\n\n[flow](#Flow)\n");
        assert_eq!(site.run(&["check"]).code, 0);
    }

    #[test]
    fn reference_links_without_a_definition() {
        let site = Fixture::with(&[
            ("docs/guide.md", "# Guide\n"),
            (
                "docs/index.md",
                "# Home\n\n\
             - [ ] a task, [x] done, see [1] and [WIP] [optional]\n\
             - Go's `map[string][]string` and a map[string][]string in prose, a[i][j]\n\
             - [sig-storage][Slow] [Conformance] [Driver: local][LocalVolumeType: dir]\n\
             - [kubeadm][structured authz] avoided a default\n\
             - [[job failed][1.10] ci-kubernetes-e2e](https://example.org/job)\n\
             - a key path: [\"root key with a .\"][100] or ['a'][idx]\n\
             - Read [the guide][guide] and [guide][].\n\n\
             Install [it][install], then [configure][] it.\n\n\
             [guide]: guide.md\n",
            ),
        ]);
        // Only the full and collapsed forms are sure; `[x]` alone is prose.
        assert_eq!(
            located(&site, "docs/index.md"),
            (
                1,
                vec![e("broken-reference", 11, 9), e("broken-reference", 11, 29)]
            )
        );
        let run = site.run(&["check"]);
        assert!(
            run.stdout
                .contains("error[broken-reference]: no definition of the reference `[install]`"),
            "{}",
            run.stdout
        );
        // An MkDocs project's plugins may define labels at build time.
        site.write("mkdocs.yml", "site_name: x\n");
        assert_eq!(located(&site, "docs/index.md"), (0, vec![]));
    }

    #[test]
    fn empty_link_targets() {
        let site = Fixture::with(&[
            (
                "docs/index.md",
                "# Home\n\n[top](#) [dashboard]() ![logo](<>)\n",
            ),
            // mdBook's draft chapters.
            ("docs/SUMMARY.md", "# Summary\n\n- [Draft chapter]()\n"),
        ]);
        assert_eq!(
            located(&site, "docs/index.md"),
            (0, vec![w("empty-link", 3, 22), w("empty-link", 3, 32)])
        );
        assert_eq!(located(&site, "docs/SUMMARY.md"), (0, vec![]));
    }

    #[test]
    fn other_generators_template_syntax() {
        let page = "# Home\n\n{{< tabs >}}\n{{% note %}}Hugo{{% /note %}}\n{{< /tabs >}}\n\n\
                    {{#include file.md}}\n{{#title The book}}\n{{ mdbook-version }} {{ include_file('x') }}\n";
        let site = Fixture::with(&[
            ("docs/index.md", page),
            ("docs/file.md", "Included text.\n"),
        ]);
        assert_eq!(located(&site, "docs/index.md"), (0, vec![]));
        // The build expands the include, drops the Hugo tags, and does not stop.
        site.build(&[]);
        let html = site.read("public/index.html");
        assert!(html.contains("Included text.") && !html.contains("{{#include"));
        // One of almanac's own beside them is still judged.
        site.write(
            "docs/index.md",
            &format!("{page}\nRate: {{{{ kpi(id=\"nope\") }}}}\n"),
        );
        assert_eq!(
            located(&site, "docs/index.md"),
            (1, vec![e("data-error", 11, 7)])
        );
        assert_eq!(site.run(&["build"]).code, 2);
    }

    #[test]
    fn new_kinds_in_every_format() {
        let site = Fixture::with(&[(
            "docs/index.md",
            "# Home\n\n## Flow\n\nSee [it][install], [flow](#Flow) and [x]().\n",
        )]);
        let kinds = ["broken-reference", "anchor-case", "empty-link"];
        let github = site.run(&["check", "--format", "github"]).stdout;
        for (kind, level) in kinds.iter().zip(["error", "warning", "warning"]) {
            assert!(
                github.contains(&format!("::{level} file=docs/index.md,line=5,"))
                    && github.contains(&format!("title=almanac {kind}::")),
                "{kind}: {github}"
            );
        }
        let sarif: Value =
            serde_json::from_str(&site.run(&["check", "--format", "sarif"]).stdout).unwrap();
        let run0 = &sarif["runs"][0];
        let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
        let results = run0["results"].as_array().unwrap();
        for kind in kinds {
            assert!(rules.iter().any(|r| r["id"] == kind), "{kind}");
            let result = results.iter().find(|r| r["ruleId"] == kind).unwrap();
            assert_eq!(
                rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
                kind
            );
        }
        let json = site.run(&["check", "--format", "json"]).stdout;
        for kind in kinds {
            assert!(
                json.contains(&format!("\"kind\": \"{kind}\"")),
                "{kind}: {json}"
            );
        }
    }
}

/// An MkDocs site's docs as MkDocs builds them: Python-Markdown's heading
/// ids, footnote ids, ids made by hooks, raw HTML served one folder deeper.
/// Each look-alike beside the real defect that is still found.
mod mkdocs_docs {
    use super::*;

    /// (kind, severity, line, column) of every finding in `file`.
    fn located(site: &Fixture, file: &str) -> Vec<(String, String, u64, u64)> {
        let run = site.run(&["check", "--format", "json"]);
        assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
        let json: Value = serde_json::from_str(&run.stdout).unwrap();
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["file"] == file)
            .map(|f| {
                (
                    f["kind"].as_str().unwrap().to_string(),
                    f["severity"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                )
            })
            .collect()
    }

    fn e(kind: &str, line: u64, column: u64) -> (String, String, u64, u64) {
        (kind.to_string(), "error".to_string(), line, column)
    }

    fn w(kind: &str, line: u64, column: u64) -> (String, String, u64, u64) {
        (kind.to_string(), "warning".to_string(), line, column)
    }

    const MKDOCS_YML: &str = "site_name: Tool\nmarkdown_extensions:\n  - attr_list\n  - footnotes\n  \
         - toc:\n      permalink: true\n  - pymdownx.emoji:\n      \
         emoji_generator: !!python/name:material.extensions.emoji.to_svg\n";

    #[test]
    fn attr_list_heading_ids_are_the_ids_in_check_and_build() {
        let site = Fixture::with(&[
            (
                "docs/changelog.md",
                "# Changelog\n\n### 9.7.0 <small>November 11, 2025</small> { id=\"9.7.0\" }\n\n\
                 ### Navigation path <small>Breadcrumbs</small> { id=navigation-path }\n\n\
                 ## Wide { .wide #custom }\n\n## Bad { id=\"a'b\" }\n",
            ),
            (
                "docs/index.md",
                "# Home\n\n[a](changelog.md#9.7.0) [b](changelog.md#navigation-path) \
                 [c](changelog.md#custom)\n[d](changelog.md#9.8.0)\n",
            ),
        ]);
        // Without mkdocs.yml too: the ids are the page's ids.
        assert_eq!(
            located(&site, "docs/index.md"),
            vec![e("broken-anchor", 4, 5)]
        );
        // A quote in the id is still not kept as written.
        assert_eq!(
            located(&site, "docs/changelog.md"),
            vec![w("unsafe-heading-id", 9, 8)]
        );
        site.write("mkdocs.yml", MKDOCS_YML);
        assert_eq!(
            located(&site, "docs/index.md"),
            vec![e("broken-anchor", 4, 5)]
        );
        site.build(&[]);
        let html = site.read("public/changelog.html");
        for tag in [
            "<h3 id=\"9.7.0\">",
            "<h3 id=\"navigation-path\">",
            "<h2 id=\"custom\" class=\"wide\">",
            "<h2 id=\"ab\">",
        ] {
            assert!(html.contains(tag), "{tag}: {html}");
        }
    }

    #[test]
    fn python_markdown_slugs_count_in_an_mkdocs_project() {
        let page = "# Formatting\n\n### Caret, Mark & Tilde\n\n### Sub- and superscripts\n\n\
                    ## Usage\n\n## Usage\n\n## Café crème\n\n\
                    [a](#caret-mark-tilde) [b](#caret-mark--tilde) [c](#sub-and-superscripts)\n\
                    [d](#usage_1) [e](#usage-1) [f](#cafe-creme)\n[g](#caret-mark-tildes)\n";
        let site = Fixture::with(&[("docs/index.md", page)]);
        // Not an MkDocs project: GitHub's ids only.
        let github_only = located(&site, "docs/index.md");
        assert!(
            github_only.contains(&e("broken-anchor", 13, 5)),
            "{github_only:?}"
        );
        site.write("mkdocs.yml", MKDOCS_YML);
        assert_eq!(
            located(&site, "docs/index.md"),
            vec![e("broken-anchor", 15, 5)]
        );
        // A slugify almanac does not emulate: not sure, so a warning.
        site.write(
            "mkdocs.yml",
            "site_name: Tool\nmarkdown_extensions:\n  - toc:\n      \
             slugify: !!python/name:markdown.extensions.toc.slugify_unicode\n",
        );
        assert_eq!(
            located(&site, "docs/index.md"),
            vec![w("broken-anchor", 15, 5)]
        );
    }

    #[test]
    fn python_markdown_footnote_ids() {
        let site = Fixture::with(&[
            ("mkdocs.yml", MKDOCS_YML),
            (
                "docs/index.md",
                "# Notes\n\nText[^1] and more[^note].\n\n[^1]: One.\n[^note]: Two.\n\n\
                 [a](#fn:1) [b](#fnref:1) [c](#fn:note)\n[d](#fn:2)\n",
            ),
        ]);
        assert_eq!(
            located(&site, "docs/index.md"),
            vec![e("broken-anchor", 9, 5)]
        );
    }

    #[test]
    fn ids_a_page_hook_makes_are_not_errors() {
        let site = Fixture::with(&[
            (
                "mkdocs.yml",
                "site_name: Tool\nhooks:\n  - hooks/shortcodes.py\n",
            ),
            (
                "hooks/shortcodes.py",
                "import re\n\ndef on_page_markdown(markdown, *, page, config, files):\n    \
                 return re.sub(r\"<!-- md:setting (\\S+) -->\", r\"`\\1` { #\\1 }\", markdown)\n",
            ),
            (
                "docs/plugin.md",
                "# Plugin\n\n#### <!-- md:setting config.blog_dir -->\n\nThe folder.\n",
            ),
            (
                "docs/index.md",
                "# Home\n\n[a](plugin.md#config.blog_dir)\n[b](plugin.md#advanced-settings)\n",
            ),
        ]);
        // The hook's id is made from the page's text: nothing to say. Another
        // may exist on the built site: a warning, not an error.
        assert_eq!(
            located(&site, "docs/index.md"),
            vec![w("broken-anchor", 4, 5)]
        );
        // A hook that does not touch pages adds no ids: sure again.
        site.write(
            "hooks/shortcodes.py",
            "def on_config(config):\n    return config\n",
        );
        assert_eq!(
            located(&site, "docs/index.md"),
            vec![e("broken-anchor", 3, 5), e("broken-anchor", 4, 5)]
        );
    }

    #[test]
    fn raw_html_paths_resolve_from_the_folder_mkdocs_serves() {
        let site = Fixture::with(&[
            ("mkdocs.yml", MKDOCS_YML),
            ("docs/assets/layer.png", "png"),
            (
                "docs/setup/cards.md",
                "# Cards\n\n<img src=\"../../assets/layer.png\" alt=\"\">\n\
                 <img src=\"../../assets/gone.png\" alt=\"\">\n\
                 <a href=\"../../assets/layer.png\">png</a>\n\n\
                 ![md](../../assets/layer.png) ![md](../assets/layer.png)\n",
            ),
        ]);
        // Markdown images keep the file's folder: MkDocs rewrites them.
        assert_eq!(
            located(&site, "docs/setup/cards.md"),
            vec![e("broken-image", 4, 11), e("broken-image", 7, 7)]
        );
        // Not served one folder deeper: the raw paths are broken too.
        site.write("mkdocs.yml", "site_name: Tool\nuse_directory_urls: false\n");
        assert_eq!(
            located(&site, "docs/setup/cards.md"),
            vec![
                e("broken-image", 3, 11),
                e("broken-image", 4, 11),
                e("broken-link", 5, 10),
                e("broken-image", 7, 7)
            ]
        );
    }
}

/// (severity, kind, message) of each finding of `almanac -C dir check`.
fn judged(dir: &std::path::Path) -> (i32, Vec<(String, String, String)>) {
    let run = common::almanac(&["-C", dir.to_str().unwrap(), "check", "--format", "json"]);
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", run.stdout, run.stderr));
    let field = |f: &Value, k: &str| f[k].as_str().unwrap_or_default().to_string();
    let list = json["findings"].as_array().cloned().unwrap_or_default();
    let list = list
        .iter()
        .map(|f| {
            (
                field(f, "severity"),
                field(f, "target"),
                field(f, "message"),
            )
        })
        .collect();
    (run.code, list)
}

#[test]
fn a_link_above_the_project_is_looked_for_in_the_repository_and_above_it_left_to_the_forge() {
    // The project is a folder of its repository (a monorepo's docs).
    let repo = Fixture::with(&[
        ("README.md", "# The repository\n"),
        (
            "site/docs/index.md",
            "# Guide\n\nSee [the repository](../../README.md), [a file it lacks](../../GONE.md),\n\
             [the tracker](../../../issues) and [a picture on another branch](../../../assets/x.png).\n",
        ),
    ]);
    common::Git::init(&repo);
    let (code, found) = judged(&repo.path("site"));
    assert_eq!(code, 1, "{found:?}");
    let said = |target: &str| {
        found
            .iter()
            .find(|(_, t, _)| t == target)
            .unwrap_or_else(|| panic!("no finding for {target}: {found:?}"))
            .clone()
    };
    // In the repository: looked for on disk.
    let (severity, _, message) = said("../../README.md");
    assert_eq!(severity, "warning");
    assert!(
        message.contains("`../README.md` is outside the project"),
        "{message}"
    );
    let (severity, _, message) = said("../../GONE.md");
    assert_eq!(severity, "error");
    assert_eq!(message, "`../GONE.md` does not exist");
    // Above it: a forge's own page, which almanac cannot check.
    for target in ["../../../issues", "../../../assets/x.png"] {
        let (severity, _, message) = said(target);
        assert_eq!(severity, "warning", "{target}");
        assert!(message.contains("above the repository's root"), "{message}");
    }
    assert_eq!(found.len(), 4, "{found:?}");
}

#[test]
fn a_root_readmes_links_to_the_forges_pages_are_not_errors() {
    // GitHub reads `../../issues` from the root README as the repository's
    // issues: common in READMEs, and no error.
    let site = Fixture::with(&[(
        "README.md",
        "# Tool\n\nReport bugs in [the issues](../../issues); see [the wiki](../../wiki).\n",
    )]);
    common::Git::init(&site);
    let (code, found) = judged(site.root());
    assert_eq!(code, 0, "{found:?}");
    assert!(found.iter().all(|(s, ..)| s == "warning"), "{found:?}");
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn a_site_path_through_the_content_folders_own_name_finds_its_page() {
    // prometheus.io serves `docs/concepts/x.md` at `/docs/concepts/x/`.
    let site = Fixture::with(&[
        (
            "docs/concepts/types.md",
            "# Types\n\n## Counter\n\nCounts.\n",
        ),
        (
            "docs/concepts/model.md",
            "# Model\n\nA [counter](/docs/concepts/types/#counter), [the types](/docs/concepts/types),\n\
             [a gauge](/docs/concepts/types/#gauge) and [a typo](/docs/concepts/typse/).\n",
        ),
    ]);
    let (code, found) = findings(&site, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            f("broken-anchor", "docs/concepts/model.md", 4, 11),
            f("broken-link", "docs/concepts/model.md", 4, 53),
        ]
    );
}

#[test]
fn a_site_path_to_a_generators_static_folder_is_its_file() {
    // Hugo serves `static/img/x.png` at `/img/x.png`; Next.js `public/…`.
    let site = Fixture::with(&[
        ("hugo.toml", "title = \"Docs\"\n"),
        ("static/img/arch.png", "png"),
        ("public/logo.svg", "svg"),
        (
            "content/a.md",
            "# A\n\n![arch](/img/arch.png) ![logo](/logo.svg) ![gone](/img/gone.png)\n",
        ),
    ]);
    let (_, found) = common::check_json(&site, &[]);
    let targets: Vec<&str> = found
        .iter()
        .map(|f| f["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["/img/gone.png"], "{found:?}");
    // A `public/` that almanac wrote is its output, no static folder.
    let site = Fixture::with(&[
        ("public/.almanac-output", ""),
        ("public/logo.svg", "svg"),
        ("docs/a.md", "# A\n\n![logo](/logo.svg)\n"),
    ]);
    let (code, found) = findings(&site, &[]);
    assert_eq!(
        (code, found),
        (1, vec![f("broken-image", "docs/a.md", 3, 9)])
    );
}

#[test]
fn in_a_site_whose_routes_are_code_a_missing_site_path_is_a_warning() {
    // A Next.js site: `/community` is a route of its code.
    let site = Fixture::with(&[
        ("next.config.ts", "export default {};\n"),
        (
            "docs/a.md",
            "# A\n\nSee [the community](/community) and [the guide](guide.md).\n",
        ),
    ]);
    let (code, found) = common::check_json(&site, &[]);
    assert_eq!(code, 1, "the relative link is still an error: {found:?}");
    let by_target = |t: &str| found.iter().find(|f| f["target"] == t).unwrap().clone();
    let route = by_target("/community");
    assert_eq!(route["severity"], "warning");
    assert!(route["hint"].as_str().unwrap().contains("next.config.ts"));
    assert_eq!(by_target("guide.md")["severity"], "error");
    // Its static folder serves files at the pages' URLs (cert-manager's
    // `public/docs/tutorials/x/a.yaml` beside the page `/docs/tutorials/x/`).
    let site = Fixture::with(&[
        ("next.config.js", "module.exports = {};\n"),
        (
            "content/docs/tut/README.md",
            "# Tutorial\n\n<a href=\"a.yaml\">a</a> [b](b.yaml)\n",
        ),
        ("public/docs/tut/a.yaml", "kind: A\n"),
    ]);
    assert_eq!(severities(&site), vec![said("error", "b.yaml")]);
}

/// (severity, target) of each finding of `check` in `site`.
fn severities(site: &Fixture) -> Vec<(String, String)> {
    common::check_json(site, &[])
        .1
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["target"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn said(severity: &str, target: &str) -> (String, String) {
    (severity.to_string(), target.to_string())
}

/// An MkDocs config in a folder of the project whose docs folder git
/// ignores and is not there (renovate's `tools/mkdocs/`, whose build copies
/// `docs/usage/` in and writes module pages beside it): a missing page is
/// a warning naming the config. Without the ignore rule, or when that docs
/// folder is there, it is an error still.
#[test]
fn a_site_a_build_assembles_makes_its_missing_pages_warnings() {
    let files = [
        ("tools/mkdocs/mkdocs.yml", "site_name: Renovate Docs\n"),
        (
            "docs/usage/index.md",
            "# Usage\n\n[Azure](./modules/platform/azure/index.md)\n",
        ),
    ];
    let site = Fixture::with(&files);
    site.write("tools/mkdocs/.gitignore", "/docs\n");
    common::Git::init(&site);
    assert_eq!(
        severities(&site),
        vec![said("warning", "./modules/platform/azure/index.md")]
    );
    let (_, all) = common::check_json(&site, &[]);
    assert!(
        all[0]["hint"]
            .as_str()
            .unwrap()
            .contains("`tools/mkdocs/mkdocs.yml` builds its site from `tools/mkdocs/docs/`"),
        "{all:?}"
    );
    let plain = Fixture::with(&files);
    common::Git::init(&plain);
    assert_eq!(
        severities(&plain),
        vec![said("error", "./modules/platform/azure/index.md")]
    );
}

#[test]
fn a_link_to_a_file_git_ignores_is_a_warning_a_build_makes_it() {
    // uv's docs link its generated CLI reference, which `.gitignore` lists.
    let site = Fixture::with(&[
        (".gitignore", "/docs/reference/cli.md\n"),
        (
            "docs/index.md",
            "# Home\n\nSee [the CLI](reference/cli.md#uv-run) and [gone](reference/gone.md).\n",
        ),
    ]);
    common::Git::init(&site);
    assert_eq!(
        severities(&site),
        [
            said("warning", "reference/cli.md#uv-run"),
            said("error", "reference/gone.md")
        ]
    );
}

#[test]
fn a_link_in_an_images_alt_text_is_text() {
    let site = Fixture::with(&[(
        "docs/index.md",
        "# Home\n\n![a logo [url](missing.md) here](https://example.com/logo.png) [real](gone.md)\n",
    )]);
    assert_eq!(severities(&site), [said("error", "gone.md")]);
}

#[test]
fn hugo_links_are_judged_as_hugo_serves_them() {
    let site = Fixture::with(&[
        ("hugo.toml", "title = \"Docs\"\n"),
        ("content/en/functions/lang/Translate.md", "# Translate\n"),
        (
            "content/en/functions/images/Fit.md",
            "# Fit\n\n{{< img src=\"images/x.jpg\" >}}\n",
        ),
        (
            "layouts/_shortcodes/img.html",
            "{{ resources.Get (.Get \"src\") }}\n",
        ),
        ("assets/images/x.jpg", "jpg"),
        (
            "content/en/guide.md",
            "# Guide\n\n[Lowercased](/functions/lang/translate/) and [missing](/functions/lang/gone/).\n",
        ),
    ]);
    // Hugo lowercases URLs; the site's own `img` shortcode reads `assets/`.
    assert_eq!(severities(&site), [said("error", "/functions/lang/gone/")]);
    // A render hook makes each link's URL: what it cannot resolve is a warning.
    site.write(
        "layouts/_markup/render-link.html",
        "<a href=\"{{ .Destination }}\">\n",
    );
    site.write(
        "content/en/glossary.md",
        "# Glossary\n\nA [glob pattern](g).\n",
    );
    let found = severities(&site);
    assert!(found.iter().all(|(s, _)| s == "warning"), "{found:?}");
    assert!(found.contains(&said("warning", "g")), "{found:?}");
}

#[test]
fn docusaurus_beside_the_docs_serves_its_static_folder() {
    let site = Fixture::with(&[
        ("website/docusaurus.config.js", "module.exports = {};\n"),
        ("website/static/img/a.png", "png"),
        ("docs/x.md", "# X\n\n![d](/img/a.png) ![gone](/img/b.png)\n"),
    ]);
    let found = severities(&site);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "/img/b.png");
}

#[test]
fn docusaurus_links_are_read_as_docusaurus_reads_them() {
    // As redux's docs: config in `website/`, docs in `docs/`.
    let site = Fixture::with(&[
        ("website/docusaurus.config.ts", "export default {};\n"),
        ("docs/api/Store.md", "# Store\n\n## getState()\n"),
        (
            "docs/faq/OrganizingState.md",
            "---\nid: organizing-state\n---\n# Organizing State\n\n## Where\n",
        ),
        ("docs/guide/01-other.md", "# Other\n"),
        (
            "docs/guide/intro.md",
            "# Intro\n\n[From the docs' root](api/Store.md#getstate), [a page URL](./other),\n\
             [by its id](/faq/organizing-state#where), [a typo](api/Stor.md) and [another](./otter).\n",
        ),
    ]);
    assert_eq!(
        severities(&site),
        [said("error", "api/Stor.md"), said("error", "./otter")]
    );
    // The built page links them where almanac writes them.
    site.run(&["build"]);
    let html = site.read("public/guide/intro.html");
    for href in [
        "../api/Store.html#getstate",
        "01-other.html",
        "../faq/OrganizingState.html#where",
    ] {
        assert!(html.contains(&format!("href=\"{href}\"")), "{href}: {html}");
    }
}

#[test]
fn sites_kept_as_test_inputs_and_vendored_code_are_not_the_projects_docs() {
    // As mdBook's repository: books under `tests/`, broken on purpose.
    let site = Fixture::with(&[
        ("README.md", "# Tool\n\nSee [testing](tests/README.md).\n"),
        ("tests/README.md", "# Tests\n\nRun [the suite](gone.md).\n"),
        ("tests/suite/links/book.toml", "[book]\ntitle = \"t\"\n"),
        (
            "tests/suite/links/src/index.md",
            "# Case\n\n[broken](nope.md)\n",
        ),
        (
            "tests/suite/init/src/SUMMARY.md",
            "# Summary\n\n- [Intro](intro.md)\n",
        ),
        ("vendor/lib/README.md", "# Lib\n\n[broken](nope.md)\n"),
    ]);
    let (_, found) = findings(&site, &[]);
    // Only the repository's own test notes are docs.
    assert_eq!(found, [f("broken-link", "tests/README.md", 3, 17)]);
}

#[test]
fn hugo_pages_are_read_as_hugo_builds_them() {
    // Hugo serves `setup.md` at `setup/` and writes its links as they are;
    // it casts `weight: 08` and `draft: 'false'`, and reads an alias with
    // `..` from the page's folder.
    let site = Fixture::with(&[
        ("hugo.toml", "baseURL = \"https://example.org/\"\n"),
        (
            "content/_index.md",
            "# Home\n\n<a href=\"docs/guide/setup/\">Start</a>\n",
        ),
        ("content/docs/img/diagram.svg", "svg"),
        ("content/docs/guide/install.md", "# Install\n"),
        (
            "content/docs/guide/setup.md",
            "---\ntitle: Setup\nweight: 08\ndraft: 'false'\naliases:\n  - ../old-setup\n---\n\
             # Setup\n\n[install](../install/), ![d](../../img/diagram.svg), [gone](../gone/).\n",
        ),
    ]);
    assert_eq!(severities(&site), [said("error", "../gone/")]);
    site.write(
        "content/docs/guide/setup.md",
        "---\ntitle: Setup\nweight: 08\ndraft: 'false'\naliases:\n  - ../old-setup\n---\n# Setup\n\n[install](../install/).\n",
    );
    site.build(&[]);
    // The alias is the page's old path, from its folder.
    assert!(
        site.exists("public/docs/old-setup.html"),
        "{:?}",
        site.snapshot("public")
            .iter()
            .map(|(p, _)| p.clone())
            .collect::<Vec<_>>()
    );
    assert!(
        site.read("public/docs/guide/setup.html")
            .contains("href=\"install.html\"")
    );
}

#[test]
fn text_fragments_template_placeholders_and_a_page_with_a_slash_are_no_defects() {
    let site = Fixture::with(&[
        ("docs/cm.md", "# Config map\n\n## Keys\n"),
        (
            "docs/a.md",
            "# A\n\n[t](cm.md#:~:text=timeout) [k](cm.md#keys:~:text=x) [s](cm.md/)\n\
             <a href=\"{{$compare_url}}\">compare</a> [gone](cm.md#nope:~:text=x)\n",
        ),
    ]);
    assert_eq!(severities(&site), [said("error", "cm.md#nope:~:text=x")]);
}

#[test]
fn a_hugo_site_configured_in_its_config_folder_shares_a_bundles_files_across_languages() {
    // opentelemetry.io: `config/_default/hugo.yaml`; a translated page shows
    // the English bundle's picture.
    let site = Fixture::with(&[
        (
            "config/_default/hugo.yaml",
            "baseURL: https://example.org/\n",
        ),
        ("content/en/docs/concepts/_index.md", "# Concepts\n"),
        ("content/en/docs/concepts/diagram.svg", "svg"),
        (
            "content/en/docs/concepts/libraries.md",
            "# Libraries\n\n![d](../diagram.svg)\n",
        ),
        ("content/es/docs/concepts/_index.md", "# Conceptos\n"),
        (
            "content/es/docs/concepts/libraries.md",
            "# Bibliotecas\n\n![d](../diagram.svg) ![x](../gone.svg)\n",
        ),
    ]);
    assert_eq!(severities(&site), [said("error", "../gone.svg")]);
}

/// A site kept in a folder of the repository, its generator's config
/// there and nowhere at the root, is the project's site, read as that
/// generator reads it: traefik's `docs/mkdocs.yml` with `docs_dir:
/// content` serves `a.md` at `a/` (a link to a page's URL is read from
/// there), and an MkDocs project's undefined reference may be autorefs';
/// helix's `book/book.toml` links its host's `/master/`. What the site
/// lacks is still an error.
#[test]
fn a_site_whose_config_is_in_a_folder_of_the_repository() {
    let mkdocs = Fixture::with(&[
        ("README.md", "# Proxy\n"),
        ("docs/mkdocs.yml", "site_name: Proxy\ndocs_dir: content\n"),
        ("docs/content/index.md", "# Proxy\n"),
        (
            "docs/content/reference/install/providers/ingress.md",
            "# Ingress\n\n[routing](../../../routing/ingress/#opts) [api][proxy.Api] [gone](../../../routing/gone/)\n",
        ),
        (
            "docs/content/reference/routing/ingress.md",
            "# Ingress\n\n## Opts\n",
        ),
        // `./` is the page's own URL (`tls/overview/`), not its folder.
        (
            "docs/content/reference/tls/overview.md",
            "# TLS\n\n[r](./#certificate-resolver) [n](./#nowhere)\n\n## Certificate Resolver\n",
        ),
    ]);
    assert_eq!(
        severities(&mkdocs),
        vec![
            said("error", "../../../routing/gone/"),
            said("error", "./#nowhere"),
        ]
    );
    let book = Fixture::with(&[
        ("README.md", "# Editor\n"),
        (
            "book/book.toml",
            "[book]\ntitle = \"Editor\"\nsrc = \"src\"\n",
        ),
        ("book/src/SUMMARY.md", "- [Intro](./intro.md)\n"),
        (
            "book/src/intro.md",
            "# Intro\n\n<a href=\"/master/\">master</a> [gone](./gone.md)\n",
        ),
    ]);
    assert_eq!(
        severities(&book),
        vec![said("warning", "/master/"), said("error", "./gone.md")]
    );
}

/// Hugo's `ref` finds a page from the content root and by its name, or a
/// section by its folder's, anywhere in the site (dapr's
/// `{{< ref "pubsub-overview.md" >}}`, `{{< ref kubernetes >}}`); a name
/// two pages share is Hugo's to refuse; a plain link is not looked up so.
/// The site is in `daprdocs/`, its content per language; with content
/// mounted from elsewhere, a `ref` found nowhere is a warning that says so.
#[test]
fn hugo_refs_are_looked_up_as_hugo_does() {
    let config = "baseURL = \"https://docs.example.org\"\ntitle = \"Docs\"\n\
                  [languages.en]\ncontentDir = \"content/en\"\n";
    let page = "---\ntitle: Start\n---\n\n\
                [a]({{< ref \"pubsub-overview.md#topics\" >}}) [b]({{< ref kubernetes >}}) \
                [c]({{< ref \"concepts/overview\" >}}) [d]({{< ref setup.md >}}) \
                [e]({{< ref gone.md >}}) [f](pubsub-overview.md) \
                [g]({{< ref \"pubsub-overview.md#nowhere\" >}})\n";
    let files = [
        ("README.md", "# Docs\n"),
        ("daprdocs/config.toml", config),
        ("daprdocs/content/en/_index.md", "---\ntitle: Docs\n---\n"),
        ("daprdocs/content/en/start/first.md", page),
        (
            "daprdocs/content/en/building-blocks/pubsub/pubsub-overview.md",
            "---\ntitle: Pub/sub\n---\n\n## Topics\n",
        ),
        (
            "daprdocs/content/en/hosting/kubernetes/_index.md",
            "---\ntitle: Kubernetes\n---\n",
        ),
        (
            "daprdocs/content/en/concepts/overview.md",
            "---\ntitle: Overview\n---\n",
        ),
        (
            "daprdocs/content/en/a/setup.md",
            "---\ntitle: Setup A\n---\n",
        ),
        (
            "daprdocs/content/en/b/setup.md",
            "---\ntitle: Setup B\n---\n",
        ),
    ];
    let site = Fixture::with(&files);
    assert_eq!(
        severities(&site),
        vec![
            said("error", "gone.md"),
            said("error", "pubsub-overview.md"),
            said("error", "pubsub-overview.md#nowhere"),
        ]
    );
    // SDK docs mounted from submodules: the missing `ref` may be there.
    let mounted = Fixture::with(&files);
    mounted.write(
        "daprdocs/config.toml",
        &format!(
            "{config}[module]\n[[module.mounts]]\nsource = \"content/en\"\ntarget = \"content\"\n\
             [[module.mounts]]\nsource = \"../sdkdocs/python/docs\"\ntarget = \"content/sdks/python\"\n"
        ),
    );
    let (_, all) = common::check_json(&mounted, &[]);
    let gone = all.iter().find(|f| f["target"] == "gone.md").unwrap();
    assert_eq!(gone["severity"], "warning");
    assert!(
        gone["hint"]
            .as_str()
            .unwrap()
            .contains("../sdkdocs/python/docs"),
        "{gone}"
    );
}

/// An MkDocs config under another name (Textual's `mkdocs-common.yml`,
/// which its Makefile passes to `mkdocs`) makes an MkDocs project too, and
/// the `exclude` plugin's globs leave its snippets out of the site.
#[test]
fn an_mkdocs_config_under_another_name() {
    let site = Fixture::with(&[
        ("README.md", "# UI\n"),
        (
            "mkdocs-common.yml",
            "site_name: UI\nplugins:\n  autorefs:\n  exclude:\n    glob:\n      - \"snippets/*\"\n",
        ),
        (
            "mkdocs-online.yml",
            "INHERIT: mkdocs-common.yml\nsite_url: https://example.org/\n",
        ),
        (
            "docs/index.md",
            "# UI\n\nSee [the widget][ui.widget.Widget] and [gone](gone.md).\n",
        ),
        ("docs/snippets/see_also.md", "[a](./align.md)\n"),
    ]);
    assert_eq!(severities(&site), vec![said("error", "gone.md")]);
}

/// A VuePress site (nushell's `.vuepress/config.js` at the root) gives
/// headings the ids VitePress does (`# Themes / New features [[toc](#x)]`
/// is `#themes-new-features-toc`), and `@[code](@snippets/run.sh)` names a
/// file by the alias its bundler maps (a warning, never an error). A
/// heading nobody has and a missing page are still errors.
#[test]
fn vuepress_ids_and_bundler_aliases() {
    let site = Fixture::with(&[
        ("package.json", "{ \"name\": \"site\" }"),
        (".vuepress/config.js", "export default { title: 'Nu' }\n"),
        (
            "blog/release.md",
            "# Release\n\n- [new](#themes-new-features-toc) [gone](#nowhere)\n\n\
             # Themes / New features [[toc](#release)]\n\n@[code](@snippets/run.sh)\n\n[old](./old.md)\n",
        ),
    ]);
    assert_eq!(
        severities(&site),
        vec![
            said("error", "#nowhere"),
            said("warning", "@snippets/run.sh"),
            said("error", "./old.md"),
        ]
    );
}

/// `yarn X` and `pnpm X` run the binary of an installed package when no
/// script has that name: the project's own (`yarn prettier` in prettier's
/// docs), a dependency's (`yarn tsc`, typescript's), or one the page
/// installs or runs elsewhere (`yarn add --dev simple-git-hooks`, `npx
/// husky init` in another tab). `yarn run X` is always a script; a name
/// none of these has is still an error.
#[test]
fn yarn_and_pnpm_run_the_binaries_of_installed_packages() {
    let site = Fixture::with(&[
        (
            "package.json",
            "{ \"name\": \"prettier\", \"scripts\": { \"test\": \"jest\" }, \"devDependencies\": { \"typescript\": \"5\" } }",
        ),
        (
            "docs/precommit.md",
            "# Hooks\n\n```sh\nyarn prettier . --write\nyarn tsc --noEmit\n\
             yarn add --dev simple-git-hooks@2\nyarn simple-git-hooks\nyarn run simple-git-hooks\n```\n\n\
             ```sh\nnpx husky init\n```\n\n```sh\nyarn husky init\npnpm lint-staged\n```\n",
        ),
    ]);
    assert_eq!(
        severities(&site),
        vec![
            said("error", "simple-git-hooks"),
            said("error", "lint-staged"),
        ]
    );
}

/// Docs of the package manager itself (pnpm.io: 170 false errors): a
/// command that has its own page in a `cli/` folder (`docs/cli/lane.md`)
/// is the tool's, not a script, and so is one of npm's that pnpm hands on
/// (`pnpm access`); `-r` and `--filter` run in the workspace's packages,
/// and a reader's placeholder (`[-r]`) names no script. `pnpm run lane`
/// is still a script, and a name nothing explains still an error.
#[test]
fn a_package_managers_own_docs_name_its_commands_not_scripts() {
    let site = Fixture::with(&[
        (
            "package.json",
            "{ \"name\": \"pnpm.io\", \"scripts\": { \"build\": \"x\" } }",
        ),
        (
            "docs/cli/lane.md",
            "# pnpm lane\n\n```sh\npnpm lane create beta\n```\n",
        ),
        (
            "docs/filtering.md",
            "# Filtering\n\n```sh\npnpm --filter foo... test\npnpm -r lint\npnpm [-r] publish\n\
             pnpm access list packages\npnpm lane\npnpm run lane\npnpm gone\n```\n",
        ),
    ]);
    assert_eq!(
        severities(&site),
        vec![said("error", "lane"), said("error", "gone")]
    );
}

/// A `cd` into a folder the repository does not have (argo-rollouts'
/// `cd homebrew-tap`, etcd's `cd etcd` after a clone) moves the reader
/// there: the page's later blocks' missing scripts may be that folder's,
/// warnings that name it. Missing scripts before it are still errors. A
/// binary in a build's output folder the repository lacks (`./bin/etcd`)
/// is a warning too; in one it has, an error.
#[test]
fn a_cd_out_of_the_repository_carries_over_to_later_blocks() {
    let site = Fixture::with(&[
        (
            "docs/releasing.md",
            "# Releasing\n\n```sh\n./gone.sh\n./bin/etcd\n./build/gone.sh\n```\n\n```sh\ncd homebrew-tap\n./update.sh x\n```\n\n\
             ```sh\n./update.sh x @1.3\n```\n\n```sh\n./clusters/\n```\n",
        ),
        ("build/README.md", "# Build\n"),
    ]);
    let (_, all) = common::check_json(&site, &[]);
    assert_eq!(
        severity_and_target(&all),
        vec![
            ("error", "./gone.sh"),
            ("warning", "./bin/etcd"),
            ("error", "./build/gone.sh"),
            ("warning", "./update.sh"),
        ]
    );
    assert!(
        all[3]["hint"].as_str().unwrap().contains("homebrew-tap"),
        "{:?}",
        all[3]
    );
}

/// Hugo's module mounts may put one file in several places of the content
/// (buildpacks' `content/docs/.common/concepts/buildpack.md`, mounted in
/// three sections): a link to one of those pages, by its URL or its file,
/// is found; a page no mount makes is still missing.
#[test]
fn a_page_hugo_mounts_as_a_file_is_there() {
    let site = Fixture::with(&[
        (
            "config.toml",
            "baseURL = 'https://buildpacks.io/'\n\n[[module.mounts]]\n    source = 'content'\n    target = 'content'\n\
             [[module.mounts]]\n    source = 'content/docs/.common/concepts/buildpack.md'\n    target = 'content/docs/for-app-developers/concepts/buildpack.md'\n",
        ),
        (
            "content/docs/.common/concepts/buildpack.md",
            "---\ntitle: Buildpack\n---\n\nText.\n",
        ),
        (
            "content/docs/build.md",
            "---\ntitle: Build\n---\n\n[by URL](/docs/for-app-developers/concepts/buildpack/), \
             [by file](for-app-developers/concepts/buildpack.md) and [gone](/docs/gone/).\n",
        ),
    ]);
    assert_eq!(severities(&site), vec![said("error", "/docs/gone/")]);
}

/// Hugo's `url` front matter is the page's URL from the site's root
/// (kubeflow's `url = "/events/gsoc-2024/"` for
/// `past-events/2024/gsoc-2024.md`): a link there finds the page.
#[test]
fn a_hugo_pages_url_is_where_links_find_it() {
    let site = Fixture::with(&[
        ("hugo.toml", "baseURL = 'https://www.kubeflow.org/'\n"),
        (
            "content/past-events/2024/gsoc-2024.md",
            "+++\ntitle = \"GSoC 2024\"\nurl = \"/events/gsoc-2024/\"\n+++\n\n## Projects\n",
        ),
        (
            "content/events/gsoc-2025.md",
            "+++\ntitle = \"GSoC 2025\"\n+++\n\n[2024](/events/gsoc-2024/#projects) and [gone](/events/gsoc-2023/).\n",
        ),
    ]);
    assert_eq!(severities(&site), vec![said("error", "/events/gsoc-2023/")]);
}

/// A `.gitbook.yaml` a repository kept from before it moved on to
/// Docusaurus (redux's) does not make it a GitBook space: the Docusaurus
/// site in `website/` is read, and its `api/Store.md` from any folder of
/// the docs is found as Docusaurus finds it.
#[test]
fn another_generators_site_comes_before_a_gitbook_config_left_behind() {
    let site = Fixture::with(&[
        (".gitbook.yaml", "root: ./docs/\n"),
        (
            "website/docusaurus.config.js",
            "module.exports = { presets: [['classic', { docs: { path: '../docs' } }]] };\n",
        ),
        ("docs/api/Store.md", "# Store\n\n## dispatch(action)\n"),
        (
            "docs/usage/Troubleshooting.md",
            "# Troubleshooting\n\n[dispatch](api/Store.md#dispatchaction)\n",
        ),
    ]);
    assert_eq!(severities(&site), vec![]);
}

/// In a Docusaurus site an MDX page is there at its URL from the site's
/// root (`/docs/reference/intro` for `docs/reference/intro.mdx`), and a
/// number prefix is left out of it (`concepts/evaluation-api/` for
/// `01-evaluation-api.mdx`), as openfeature.dev links them; a page that is
/// not there is still an error.
#[test]
fn a_docusaurus_sites_mdx_pages_are_found_at_their_urls() {
    let site = Fixture::with(&[
        (
            "docusaurus.config.js",
            "module.exports = { title: 'OpenFeature' };\n",
        ),
        ("docs/reference/intro.mdx", "# Intro\n"),
        (
            "docs/reference/concepts/01-evaluation-api.mdx",
            "# Evaluation API\n",
        ),
        (
            "docs/tutorials/five-minutes.md",
            "# Five minutes\n\n[intro](/docs/reference/intro), [api](/docs/reference/concepts/evaluation-api/) \
             and [gone](/docs/reference/concepts/gone/).\n",
        ),
    ]);
    assert_eq!(
        severities(&site),
        vec![said("error", "/docs/reference/concepts/gone/")]
    );
}

/// A Docusaurus blog's posts are at `/blog/<slug>`, or at
/// `/blog/YYYY/MM/DD/<name>` from a file or folder named by its date
/// (pnpm.io's docs link `/blog/whats-different-in-pnpm-12`); a post that
/// is not there is still an error.
#[test]
fn a_docusaurus_blogs_posts_are_found_at_their_urls() {
    let site = Fixture::with(&[
        (
            "docusaurus.config.js",
            "module.exports = { title: 'pnpm' };\n",
        ),
        (
            "blog/2026-08-10-whats-different.md",
            "---\ntitle: What's different\nslug: whats-different-in-pnpm-12\n---\n\nText.\n",
        ),
        (
            "blog/2020-05-27-flat-node-modules/index.md",
            "---\ntitle: Flat\n---\n\nText.\n",
        ),
        (
            "docs/installation.md",
            "# Installation\n\nSee [12](/blog/whats-different-in-pnpm-12), \
             [flat](/blog/2020/05/27/flat-node-modules/) and [gone](/blog/gone-post).\n",
        ),
    ]);
    assert_eq!(severities(&site), vec![said("error", "/blog/gone-post")]);
}

/// A fragment that is the slug of the target page's front matter title,
/// which the page has as no heading (karmada's generated API reference
/// links `object-meta#objectmeta` 259 times), lands at the top of the page,
/// on the title a site writes: a warning, not an error. Another missing
/// fragment there is still an error.
#[test]
fn a_fragment_naming_the_pages_title_is_a_warning() {
    let site = Fixture::with(&[
        (
            "docs/object-meta.md",
            "---\ntitle: \"ObjectMeta\"\n---\n\nObjectMeta is metadata.\n\n## name\n",
        ),
        (
            "docs/pod.md",
            "# Pod\n\n[meta](object-meta.md#objectmeta), [name](object-meta.md#name), [gone](object-meta.md#gone).\n",
        ),
    ]);
    assert_eq!(
        severities(&site),
        vec![
            said("warning", "object-meta.md#objectmeta"),
            said("error", "object-meta.md#gone")
        ]
    );
}

/// A Docusaurus site kept in `website/` reads its own `website/docs/`
/// (gatekeeper's), unless its config points the docs elsewhere (redux's
/// `path: '../docs'`, the root's `docs/`).
#[test]
fn a_docusaurus_site_in_a_folder_reads_its_own_docs() {
    let own = Fixture::with(&[
        ("docs/design.md", "# Design\n"),
        (
            "website/docusaurus.config.js",
            "module.exports = { title: 'Gate' };\n",
        ),
        ("website/docs/intro.md", "# Intro\n\n[gone](./gone.md)\n"),
    ]);
    assert_eq!(severities(&own), vec![said("error", "./gone.md")]);
    let beside = Fixture::with(&[
        ("docs/intro.md", "# Intro\n\n[lost](./lost.md)\n"),
        (
            "website/docusaurus.config.js",
            "module.exports = { title: 'Redux', presets: [['classic', { docs: { path: '../docs' } }]] };\n",
        ),
        ("website/docs/old.md", "# Old\n\n[gone](./gone.md)\n"),
    ]);
    assert_eq!(severities(&beside), vec![said("error", "./lost.md")]);
}

/// A Hugo shortcode on a line of its own that is never closed writes part
/// of the page as the site is built (jaeger's `{{< cli/tools-list >}}`): an
/// anchor into that page almanac cannot see is a warning. One that wraps
/// markdown (`{{< tabs >}}…{{< /tabs >}}`) or writes a value in a line
/// (`{{< absURL "…" >}}`) writes no headings: still an error. A link whose
/// URL a shortcode writes is no empty link.
#[test]
fn a_hugo_shortcode_that_writes_a_page_leaves_its_ids_unknown() {
    let site = Fixture::with(&[
        (
            "hugo.toml",
            "baseURL = \"https://example.org/\"\ntitle = \"Tracing\"\n",
        ),
        ("content/_index.md", "---\ntitle: Tracing\n---\n"),
        (
            "content/docs/start.md",
            "---\ntitle: Start\n---\n\n[a](../cli/#jaeger-collector) [b](../tabs/#gone) [c](../inline/#gone)\n",
        ),
        (
            "content/docs/cli.md",
            "---\ntitle: CLI\n---\n\n{{< cli/tools-list >}}\n",
        ),
        (
            "content/docs/tabs.md",
            "---\ntitle: Tabs\n---\n\n{{< tabs >}}\n## Shown\n{{< /tabs >}}\n",
        ),
        (
            "content/docs/inline.md",
            "---\ntitle: Inline\n---\n\nSee [home]({{< absURL \"/\" >}}).\n",
        ),
    ]);
    assert_eq!(
        severities(&site),
        vec![
            said("warning", "../cli/#jaeger-collector"),
            said("error", "../tabs/#gone"),
            said("error", "../inline/#gone"),
        ]
    );
}

/// A translation built with a sibling language's config (fastapi's
/// `docs/de/docs/`, built with `docs/en/mkdocs.yml`) falls back to that
/// language's page where it has none of its own, as i18n plugins do: a
/// warning that names it; a page no language has is still an error. A
/// target in capitals with underscores (`ENGLISH_VERSION_URL`) is a
/// placeholder a hook fills in: a warning.
#[test]
fn a_translations_missing_page_falls_back_to_a_sibling_languages() {
    let site = Fixture::with(&[
        ("README.md", "# API\n"),
        ("docs/en/mkdocs.yml", "site_name: API\n"),
        ("docs/en/docs/index.md", "# API\n"),
        ("docs/en/docs/newsletter.md", "# Newsletter\n"),
        (
            "docs/de/docs/help.md",
            "# Hilfe\n\n[n](newsletter.md) [g](gone.md) [e](ENGLISH_VERSION_URL)\n",
        ),
    ]);
    let (_, all) = common::check_json(&site, &[]);
    assert_eq!(
        severity_and_target(&all),
        vec![
            ("warning", "newsletter.md"),
            ("error", "gone.md"),
            ("warning", "ENGLISH_VERSION_URL"),
        ]
    );
    assert!(all[0]["hint"].as_str().unwrap().contains("docs/en/docs/"));
}

#[test]
fn an_mdbook_preprocessor_almanac_cannot_run_leaves_names_and_ids_unsure() {
    // As the Rust Reference: `[preprocessor.spec]` turns rule names into
    // links' URLs and `r[rule]` lines into `#r-rule` ids.
    let page = "# Statics\n\nr[items.static.intro]\nA static.\n\n\
                See [statics][items.static], [the rule](#r-items.static.intro), \
                [divergence](divergence), [a typo](../items/enums.mdr) \
                and [gone](gone.md).\n\n\
                [items.static]: items.static\n\nAn [undefined] reference: [undefined][].\n";
    let site = Fixture::with(&[
        ("book.toml", "[book]\ntitle = \"Ref\"\n"),
        ("src/SUMMARY.md", "- [Statics](statics.md)\n"),
        ("src/statics.md", page),
    ]);
    // Without a preprocessor every one of them is an error.
    let plain = severities(&site);
    assert!(
        plain.iter().all(|(s, _)| s == "error") && plain.len() == 6,
        "{plain:?}"
    );
    // A known one (diagrams) changes nothing.
    site.write(
        "book.toml",
        "[book]\ntitle = \"Ref\"\n\n[preprocessor.mermaid]\ncommand = \"mdbook-mermaid\"\n",
    );
    assert_eq!(severities(&site), plain);
    // One almanac does not know: names and ids it may make are warnings;
    // links to files stay errors.
    site.write(
        "book.toml",
        "[book]\ntitle = \"Ref\"\n\n[preprocessor.spec]\ncommand = \"cargo run -p mdbook-spec\"\n",
    );
    let mut found = severities(&site);
    found.sort();
    assert_eq!(
        found,
        [
            said("error", "../items/enums.mdr"),
            said("error", "gone.md"),
            said("warning", "#r-items.static.intro"),
            said("warning", "divergence"),
            said("warning", "items.static"),
            said("warning", "undefined"),
        ]
    );
    // The build judges the links as `check` does.
    let run = site.run(&["build", "--strict"]);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(" error["))
        .collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].contains("enums.mdr") && errors[1].contains("gone.md"),
        "{errors:?}"
    );
}

#[test]
fn a_site_absolute_link_to_a_pages_alias_is_that_page() {
    // As kueue: `aliases: [/docs/installation/]` on the installation page,
    // linked by that URL from the other pages.
    let site = Fixture::with(&[
        ("site/hugo.toml", "title = \"Docs\"\n"),
        (
            "site/content/en/docs/getting-started/installation.md",
            "---\ntitle: Installation\naliases:\n  - /docs/installation/\n---\n\n## Feature gates\n",
        ),
        (
            "site/content/en/docs/concepts/queues.md",
            "---\ntitle: Queues\nslug: cluster-queues\n---\n\nSee [gates](/docs/installation/#feature-gates), \
             [queues](/docs/concepts/cluster-queues/), [a typo](/docs/instalation/), \
             [no such heading](/docs/installation/#gone) and [quick](/docs/getting-started/quick/).\n",
        ),
        // Tempo's alias from the page's folder.
        (
            "site/content/en/docs/quick.md",
            "---\ntitle: Quick\naliases: [./getting-started/quick/]\n---\n",
        ),
    ]);
    let mut found = severities(&site);
    found.sort();
    assert_eq!(
        found,
        [
            said("error", "/docs/instalation/"),
            said("error", "/docs/installation/#gone"),
        ]
    );
    // The built page links the page itself.
    site.run(&["build"]);
    let html = site.read("public/en/docs/concepts/queues.html");
    assert!(
        html.contains("href=\"../getting-started/installation.html#feature-gates\""),
        "{html}"
    );
}

#[test]
fn an_astro_site_reads_its_docs_collection_as_astro_serves_it() {
    // As kyverno's website: Starlight's docs in `src/content/docs/`, MDX
    // pages beside markdown, keys of its own in the content config.
    let site = Fixture::with(&[
        ("astro.config.mjs", "export default { title: 'Kyverno' }\n"),
        ("README.md", "# The website's repository\n"),
        (
            "src/content.config.ts",
            "const docs = defineCollection({ schema: docsSchema({ extend: z.object({ excerpt: z.string() }) }) })\n",
        ),
        (
            "src/content/docs/guides/b.md",
            "---\ntitle: B\n---\n\n## Step\n",
        ),
        (
            "src/content/docs/guides/install.mdx",
            "---\ntitle: Install\n---\n",
        ),
        (
            "src/content/docs/guides/a.md",
            "---\ntitle: A\nexcerpt: About A\nsidebar:\n  order: 1\nsubtitel: typo\n---\n\n\
             [b](/guides/b/#step), [served](../b/), [install](/guides/install/#helm), \
             [file](b.md), [gone](gone.md), [no step](/guides/b/#gone).\n",
        ),
    ]);
    let found = common::check_json(&site, &[]).1;
    let mut said: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap(),
                f["kind"].as_str().unwrap(),
                f["target"].as_str().unwrap(),
            )
        })
        .collect();
    said.sort();
    assert_eq!(
        said,
        [
            ("error", "broken-anchor", "/guides/b/#gone"),
            ("error", "broken-link", "gone.md"),
            ("warning", "data-error", "subtitel"),
        ]
    );
    // The site's pages are the collection's, not the repository's README.
    let run = site.run(&["check", "--format", "json"]);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["summary"]["pages"], 2, "{}", run.stdout);
}

#[test]
fn a_vitepress_include_brings_its_files_headings_and_links() {
    // As vitest's `guide/cli.md`: `<!--@include: ./cli-generated.md-->`.
    let site = Fixture::with(&[
        ("docs/.vitepress/config.ts", "export default {}\n"),
        (
            "docs/guide/cli-generated.md",
            "### standalone\n\nSee [the reporters](./reporters.md#gone).\n",
        ),
        (
            "docs/guide/parts.md",
            "# Parts\n\n<!-- #region usage -->\n### usage step\n<!-- #endregion usage -->\n### left out\n",
        ),
        ("docs/guide/reporters.md", "# Reporters\n"),
        (
            "docs/guide/cli.md",
            "# CLI\n\n## Options\n\n<!--@include: ./cli-generated.md-->\n\n<!--@include: ./parts.md#usage-->\n\n\
             ```md\n<!--@include: ./not-here.md-->\n```\n",
        ),
        (
            "docs/api.md",
            "# API\n\n[standalone](/guide/cli#standalone), [usage](/guide/cli#usage-step) \
             and [left out](/guide/cli#left-out).\n",
        ),
    ]);
    let found = common::check_json(&site, &[]).1;
    let said: Vec<(&str, &str, u64)> = found
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap(),
                f["target"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // The included file's link is reported at its own file and line; the
    // region alone is included; an include in a code block is code.
    assert_eq!(
        said,
        [
            ("docs/api.md", "/guide/cli#left-out", 3),
            ("docs/guide/cli-generated.md", "./reporters.md#gone", 3),
        ]
    );
}

#[test]
fn a_zensical_config_is_read_as_mkdocs_settings() {
    // As mkdocstrings: `zensical.toml`, whose `[project]` holds MkDocs'
    // settings, `pymdownx` extensions nested as TOML tables.
    let site = Fixture::with(&[
        (
            "zensical.toml",
            "[project]\nsite_name = \"Handbook\"\ndocs_dir = \"pages\"\n\n\
             [project.markdown_extensions.toc]\npermalink = true\n\
             [project.markdown_extensions.pymdownx.tabbed]\nalternate_style = true\n",
        ),
        ("pages/setup.md", "# Setup\n\n## Install\n"),
        (
            "pages/index.md",
            "# Home\n\nSee [the API][mkdocstrings.BaseHandler], [install](setup.md#install), \
             [served](setup/#install) and [gone](gone.md).\n",
        ),
    ]);
    // Autorefs may define the reference; MkDocs serves `setup.md` at `setup/`.
    assert_eq!(severities(&site), [said("error", "gone.md")]);
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("public/index.html").contains("Handbook"));
}

#[test]
fn a_vitepress_site_reads_its_src_dir_and_leaves_component_pages_ids_unsure() {
    // As vuejs/docs: `.vitepress/config.ts` at the root with `srcDir: 'src'`,
    // and an index page that is a Vue component.
    let site = Fixture::with(&[
        (
            ".vitepress/config.ts",
            "export default defineConfig({\n  title: 'Vue.js',\n  srcDir: 'src',\n})\n",
        ),
        ("README.md", "# The docs' repository\n"),
        (
            "src/api/index.md",
            "---\ntitle: API\n---\n\n<script setup>\nimport ApiIndex from './ApiIndex.vue'\n</script>\n\n<ApiIndex />\n",
        ),
        ("src/guide/intro.md", "# Intro\n\n## Setup\n"),
        (
            "src/guide/next.md",
            "# Next\n\n[setup](/guide/intro#setup), [composition](/api/#composition-api), \
             [gone](/guide/intro#gone) and [missing](/guide/gone).\n",
        ),
    ]);
    let mut found = severities(&site);
    found.sort();
    assert_eq!(
        found,
        [
            said("error", "/guide/gone"),
            said("error", "/guide/intro#gone"),
            said("warning", "/api/#composition-api"),
        ]
    );
}

#[test]
fn dots_from_a_page_served_as_a_folder_are_its_own_url() {
    // As longhorn's Hugo pages: `./#recommendation` is the page itself,
    // `../#requirements` its folder's section page.
    let site = Fixture::with(&[
        ("hugo.toml", "title = \"Docs\"\n"),
        (
            "content/docs/install/_index.md",
            "---\ntitle: Install\n---\n\n## Requirements\n\n[here](./#requirements)\n",
        ),
        (
            "content/docs/install/airgap.md",
            "---\ntitle: Airgap\n---\n\n## Recommendation\n\n[self](./#recommendation), \
             [section](../#requirements), [gone](./#gone) and [up gone](../#gone).\n",
        ),
    ]);
    let mut found: Vec<(String, String)> = common::check_json(&site, &[])
        .1
        .iter()
        .map(|f| {
            (
                f["target"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].0 == "../#gone" && found[0].1.contains("install/_index.md"),
        "{found:?}"
    );
    assert!(
        found[1].0 == "./#gone" && found[1].1.contains("this page"),
        "{found:?}"
    );
}
