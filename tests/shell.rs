//! `almanac completions SHELL` and `almanac man`: generated from the command
//! line's own definition, so they offer every subcommand and flag there is.

mod common;

use common::{Fixture, almanac};

#[test]
fn completions_for_every_shell_name_the_subcommands_and_flags() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = almanac(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for word in ["check", "schema", "completions", "changed-since"] {
            assert!(run.stdout.contains(word), "{shell} completions lack {word}");
        }
    }
    let run = almanac(&["completions", "tcsh"]);
    assert_eq!(run.code, 2, "an unknown shell is a usage error");
}

#[test]
fn the_bash_completion_loads_and_completes() {
    let site = Fixture::new();
    site.write("almanac.bash", &almanac(&["completions", "bash"]).stdout);
    let script = site.path("almanac.bash");
    let out = std::process::Command::new("bash")
        .arg("-c")
        // Loads it, shows it registered, then asks it what follows
        // `almanac check --format ` as bash would on Tab.
        .arg(
            "set -e; source \"$1\"; complete -p almanac; \
             COMP_WORDS=(almanac check --format ''); COMP_CWORD=3; COMP_LINE='almanac check --format '; \
             COMP_POINT=${#COMP_LINE}; _almanac almanac '' --format; printf '%s\\n' \"${COMPREPLY[@]}\"",
        )
        .arg("bash")
        .arg(&script)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "loading printed errors: {stderr}");
    assert!(stdout.contains(" -F _almanac almanac"), "{stdout}");
    let offered: Vec<&str> = stdout.lines().skip(1).collect();
    for format in ["human", "json", "github", "sarif", "junit", "codeclimate"] {
        assert!(
            offered.contains(&format),
            "{format} not offered: {offered:?}"
        );
    }
}

#[test]
fn man_prints_the_main_page_or_writes_every_page() {
    let run = almanac(&["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(".ie \\n(.g .ds Aq"),
        "roff: {}",
        &run.stdout[..80]
    );
    assert!(run.stdout.contains(".TH almanac 1"), "{}", run.stdout);
    assert!(
        run.stdout.contains("almanac\\-check(1)"),
        "lists the subcommands' pages"
    );

    let site = Fixture::new();
    let run = site.run(&["man", "--out", "man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in [
        "almanac.1",
        "almanac-check.1",
        "almanac-schema.1",
        "almanac-completions.1",
    ] {
        assert!(site.exists(&format!("man/{page}")), "{page}");
    }
    let check = site.read("man/almanac-check.1");
    assert!(check.contains("\\-\\-changed\\-since"), "{check}");
}
