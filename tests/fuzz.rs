//! No panic on any input: deterministic pseudo-random inputs built from the
//! characters each parser cares about.

use almanac::check::commands::{
    MakeTargets, accepted_flags, parse_just_recipes, parse_make_targets, split_command_line,
};
use almanac::load::{calendar, metrics};
use almanac::shortcodes;

fn inputs(pieces: &[&str], count: usize, seed: u64) -> Vec<String> {
    let mut state = seed;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|_| {
            let len = next() % 40;
            (0..len)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect()
        })
        .collect()
}

#[test]
fn command_lines_never_panic() {
    let pieces = [
        "./x.sh", " ", "--flag", "-v", "'", "\"", "\\", "$(", ")", "`", "&&", "||", "|", ";", "&",
        ">", "2>&1", "<", "#", "é", "🚀", "\n", "VAR=1", "sudo", "make", "npm run", "cd ..", "(",
        "=",
    ];
    for line in inputs(&pieces, 5000, 0x1234_5678_9abc_def1) {
        for words in split_command_line(&line) {
            for w in words {
                assert!(w.offset <= line.len(), "{line:?}");
            }
        }
    }
}

#[test]
fn scripts_and_build_files_never_panic() {
    let pieces = [
        "case \"$1\" in\n",
        "esac\n",
        "-h|--help)",
        " ;;\n",
        "getopts \"",
        "ab:",
        "\"",
        "getopt -o ",
        "--long ",
        "x,y:",
        "add_argument(",
        "'--z'",
        "usage",
        "<<EOF\n",
        "EOF\n",
        "include ",
        "a.mk",
        ":",
        "=",
        "%",
        "$(",
        ")",
        "\t",
        "\\\n",
        "define ",
        "endef\n",
        "alias ",
        ":=",
        "@",
        "[",
        "]",
        "é",
        " ",
        "\n",
    ];
    for text in inputs(&pieces, 5000, 0xdead_beef_cafe_f00d) {
        let _ = accepted_flags(&text);
        let mut targets = MakeTargets::default();
        let _ = parse_make_targets(&text, &mut targets);
        let _ = parse_just_recipes(&text);
    }
}

#[test]
fn data_files_and_shortcodes_never_panic() {
    let pieces = [
        "releases:\n",
        "  - ",
        "version: ",
        "1.0.0",
        "type: ",
        "minor",
        "planned: {",
        "release: ",
        "2025-07-01",
        "}",
        "\n",
        "kpis:\n",
        "id: ",
        "x",
        "target: {op: '>=', value: ",
        "1",
        "observations:\n",
        "values: {x: 1}",
        "timezone: ",
        "+02:00",
        "{{ ",
        "kpi(id=\"",
        "\") }}",
        "chart(",
        "```\n",
        "`",
        "é",
        " ",
        ":",
        "'",
        "\"",
    ];
    for text in inputs(&pieces, 4000, 0x0bad_c0de_1234_5678) {
        if let Err(almanac::error::Error::Located(loc)) =
            calendar::parse("data/calendar.yaml", &text)
        {
            assert!(loc.line >= 1 && loc.column >= 1);
        }
        if let Err(almanac::error::Error::Located(loc)) = metrics::parse("data/metrics.yaml", &text)
        {
            assert!(loc.line >= 1 && loc.column >= 1);
        }
        for code in shortcodes::find(&text, 0).into_iter().flatten() {
            assert!(code.start < code.end && code.end <= text.len());
            let _ = shortcodes::validate(&code, &["x"], "data/metrics.yaml");
        }
    }
}
