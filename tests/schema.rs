//! `almanac schema config|calendar|metrics`: JSON Schemas derived from the
//! types that parse the files. A real validator (the `jsonschema` crate)
//! checks that they accept the bundled files and reject bad input at the
//! keys the parser rejects.

mod common;

use common::{Fixture, almanac};
use serde_json::Value;

const FILES: [&str; 3] = ["config", "calendar", "metrics"];

fn schema(name: &str) -> Value {
    let run = almanac(&["schema", name]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("the schema is JSON")
}

fn validator(name: &str) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema(name))
        .unwrap_or_else(|e| panic!("the {name} schema is not a valid JSON Schema: {e}"))
}

/// A YAML document as the JSON value editors validate.
fn yaml(text: &str) -> Value {
    let value: Value = serde_yaml::from_str(text).expect("YAML");
    // An empty file is an empty mapping to almanac.
    if value.is_null() {
        Value::Object(Default::default())
    } else {
        value
    }
}

/// The validator's errors as (instance path, message). Where no branch of
/// an `anyOf` matched (an optional section: the section or null), the
/// errors of the branch that got deepest into the value, as editors show.
fn errors(validator: &jsonschema::Validator, text: &str) -> Vec<(String, String)> {
    let instance = yaml(text);
    let mut out = Vec::new();
    for e in validator.iter_errors(&instance) {
        deepest(&e, &mut out);
    }
    out
}

fn deepest(e: &jsonschema::ValidationError, out: &mut Vec<(String, String)>) {
    if let jsonschema::error::ValidationErrorKind::AnyOf { context } = e.kind() {
        let depth = |branch: &Vec<jsonschema::ValidationError>| {
            branch
                .iter()
                .map(|e| e.instance_path().as_str().len())
                .max()
                .unwrap_or(0)
        };
        if let Some(branch) = context.iter().max_by_key(|b| depth(b))
            && depth(branch) > e.instance_path().as_str().len()
        {
            for e in branch {
                deepest(e, out);
            }
            return;
        }
    }
    out.push((e.instance_path().to_string(), e.to_string()));
}

fn repo(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn schemas_accept_the_bundled_files_and_a_new_handbook() {
    for (name, file) in [
        ("config", "almanac.yaml"),
        ("calendar", "data/calendar.yaml"),
        ("metrics", "data/metrics.yaml"),
    ] {
        let errors = errors(&validator(name), &repo(file));
        assert!(errors.is_empty(), "{file}: {errors:#?}");
    }
    let tmp = Fixture::new();
    let dir = tmp.path("handbook");
    assert_eq!(almanac(&["init", dir.to_str().unwrap()]).code, 0);
    for (name, file) in [
        ("config", "handbook/almanac.yaml"),
        ("calendar", "handbook/data/calendar.yaml"),
        ("metrics", "handbook/data/metrics.yaml"),
    ] {
        let errors = errors(&validator(name), &tmp.read(file));
        assert!(errors.is_empty(), "{file}: {errors:#?}");
    }
}

/// Bad input the parser rejects: the file, its text, the line the parser
/// points at, and where the schema rejects it (a JSON pointer, and for an
/// unknown key, the key's name, which the validator reports at its parent).
struct Bad {
    file: &'static str,
    text: &'static str,
    line: usize,
    pointer: &'static str,
    names: Option<&'static str>,
}

const BAD: &[Bad] = &[
    // almanac.yaml
    Bad {
        file: "config",
        text: "title: T\ntitel: T\n",
        line: 2,
        pointer: "",
        names: Some("titel"),
    },
    Bad {
        file: "config",
        text: "check:\n  severity:\n    broken-lnk: error\n",
        line: 3,
        pointer: "/check/severity",
        names: Some("broken-lnk"),
    },
    Bad {
        file: "config",
        text: "check:\n  severity:\n    broken-link: fatal\n",
        line: 3,
        pointer: "/check/severity/broken-link",
        names: None,
    },
    Bad {
        file: "config",
        text: "check:\n  external:\n    timeout_secs: -1\n",
        line: 3,
        pointer: "/check/external/timeout_secs",
        names: None,
    },
    Bad {
        file: "config",
        text: "changelog:\n  other: sometimes\n",
        line: 2,
        pointer: "/changelog/other",
        names: None,
    },
    Bad {
        file: "config",
        text: "versions:\n  keep: many\n",
        line: 2,
        pointer: "/versions/keep",
        names: None,
    },
    // data/calendar.yaml
    Bad {
        file: "calendar",
        text: "timezone: UTC\ntag_patern: 'v{version}'\n",
        line: 2,
        pointer: "",
        names: Some("tag_patern"),
    },
    Bad {
        file: "calendar",
        text: "tag_pattern: 'release-'\n",
        line: 1,
        pointer: "/tag_pattern",
        names: None,
    },
    Bad {
        file: "calendar",
        text: "slip_tolerance_days: soon\n",
        line: 1,
        pointer: "/slip_tolerance_days",
        names: None,
    },
    Bad {
        file: "calendar",
        text: "themes:\n  - quarter: 2025-Q5\n    title: T\n",
        line: 2,
        pointer: "/themes/0/quarter",
        names: None,
    },
    Bad {
        file: "calendar",
        text: "releases:\n  - version: 1.0.0\n    type: beta\n    planned: { release: 2025-07-01 }\n",
        line: 3,
        pointer: "/releases/0/type",
        names: None,
    },
    Bad {
        file: "calendar",
        text: "releases:\n  - version: 1..0\n    type: major\n    planned: { release: 2025-07-01 }\n",
        line: 2,
        pointer: "/releases/0/version",
        names: None,
    },
    Bad {
        file: "calendar",
        text: "releases:\n  - version: 1.0.0\n    type: major\n    planned: { release: 2025-07-32 }\n",
        line: 4,
        pointer: "/releases/0/planned/release",
        names: None,
    },
    Bad {
        file: "calendar",
        text: "releases:\n  - version: 1.0.0\n    type: major\n    planned: { rc: 2025-07-01 }\n",
        line: 4,
        pointer: "/releases/0/planned",
        names: None,
    },
    Bad {
        file: "calendar",
        text: "releases:\n  - version: 1.0.0\n    type: major\n    planned: { release: 2025-07-01 }\n    actual: { release: 2025-07-02, note: x }\n",
        line: 5,
        pointer: "/releases/0/actual",
        names: Some("note"),
    },
    // data/metrics.yaml
    Bad {
        file: "metrics",
        text: "kpis:\n  - id: Test Pass\n",
        line: 2,
        pointer: "/kpis/0/id",
        names: None,
    },
    Bad {
        file: "metrics",
        text: "kpis:\n  - id: pass\n    source: svn\n",
        line: 3,
        pointer: "/kpis/0/source",
        names: None,
    },
    Bad {
        file: "metrics",
        text: "kpis:\n  - id: pass\n    target: { op: '=>', value: 95 }\n",
        line: 3,
        pointer: "/kpis/0/target/op",
        names: None,
    },
    Bad {
        file: "metrics",
        text: "kpis:\n  - id: pass\nobservations:\n  - values: { pass: 96 }\n",
        line: 4,
        pointer: "/observations/0",
        names: None,
    },
    Bad {
        file: "metrics",
        text: "kpis:\n  - id: pass\nobservations:\n  - period: 2025-Q3\n    values: { pass: high }\n",
        line: 5,
        pointer: "/observations/0/values/pass",
        names: None,
    },
    // The parser names the value but points at the incident (`incidents[0]`).
    Bad {
        file: "metrics",
        text: "incidents:\n  - id: INC-1\n    detected: yesterday\n",
        line: 2,
        pointer: "/incidents/0/detected",
        names: None,
    },
    Bad {
        file: "metrics",
        text: "incidents:\n  - id: INC-1\n    detected: 2025-08-15T09:00Z\n    severty: high\n",
        line: 4,
        pointer: "/incidents/0",
        names: Some("severty"),
    },
];

/// Where the parser rejects `bad`: its message, `FILE:LINE:COLUMN: …`.
fn parser_error(bad: &Bad) -> String {
    match bad.file {
        "calendar" => almanac::load::calendar::parse("data/calendar.yaml", bad.text)
            .expect_err("the parser accepted it")
            .to_string(),
        "metrics" => almanac::load::metrics::parse("data/metrics.yaml", bad.text)
            .expect_err("the parser accepted it")
            .to_string(),
        _ => {
            let site = Fixture::with(&[
                ("almanac.yaml", bad.text),
                ("content/README.md", "# Home\n"),
            ]);
            let run = site.run(&["check"]);
            assert_eq!(run.code, 2, "the parser accepted it: {}", run.stdout);
            run.stderr
        }
    }
}

#[test]
fn schemas_reject_bad_input_at_the_keys_the_parser_rejects() {
    let validators: Vec<_> = FILES.iter().map(|f| (*f, validator(f))).collect();
    for bad in BAD {
        let parsed = parser_error(bad);
        let file = match bad.file {
            "config" => "almanac.yaml",
            "calendar" => "data/calendar.yaml",
            _ => "data/metrics.yaml",
        };
        assert!(
            parsed.contains(&format!("{file}:{}:", bad.line)),
            "the parser's error is not at line {}:\n{}\n{parsed}",
            bad.line,
            bad.text
        );
        let validator = &validators.iter().find(|(f, _)| *f == bad.file).unwrap().1;
        let errors = errors(validator, bad.text);
        assert!(!errors.is_empty(), "the schema accepted:\n{}", bad.text);
        for (pointer, message) in &errors {
            assert_eq!(pointer, bad.pointer, "{message}\nin:\n{}", bad.text);
            if let Some(name) = bad.names {
                assert!(message.contains(name), "{message}");
            }
        }
    }
}

/// Input the parser accepts in its less common forms: the schema must not
/// mark it (an editor that flags what almanac reads is worse than none).
const GOOD: &[(&str, &str)] = &[
    ("calendar", ""),
    (
        "calendar",
        "timezone: +02:00\ntag_pattern: release-{version}-final\nslip_tolerance_days: 0\n",
    ),
    (
        "calendar",
        "themes:\n  - { quarter: 2025 Q3, title: T }\n  - { quarter: 2026-q1, title: U, focus: [] }\n",
    ),
    (
        "calendar",
        "cadence_days: { minor: 42, hotfix: 7 }\nreleases:\n  - version: 2.0.0-rc.1+build.5\n    type: security\n    name: ~\n    planned: { release: 2025-07-01 }\n    actual: ~\n    status: cancelled\n  - version: 2025.10\n    type: patch\n    planned: { feature_freeze: 2025-06-01, rc: 2025-06-02, release: 2025-06-03 }\n    replans: [ { on: 2025-05-01, release: 2025-06-10, rc: 2025-06-05, reason: CI } ]\n",
    ),
    ("metrics", ""),
    (
        "metrics",
        "kpis:\n  - { id: lead_time_p90, source: git, target: { op: '<', value: 3.5 } }\n  - { id: uptime-99, source: manual, tier: should, doc: ops.md#uptime }\nobservations:\n  - { date: 2025-08-14, values: { uptime-99: 99.95 } }\n  - { release: 1.4.0, values: {} }\n",
    ),
    (
        "metrics",
        "incidents:\n  - { id: A, detected: 2025-08-15T09:00Z }\n  - { id: B, detected: '2025-08-15 09:00', resolved: 2025-08-15T11:30:00+02:00 }\n  - { id: C, detected: 2025-08-15, resolved: 2025-08-16T10:00:00.5-05:00, rollback: true }\n",
    ),
    ("config", ""),
    // Plain scalars almanac reads as the text written, which editors see as numbers.
    ("config", "title: 2025\nedit_branch: 2024\n"),
    (
        "metrics",
        "kpis: [ { id: pass, name: 95 } ]\nobservations: [ { release: 1.4, values: { pass: 1 } } ]\nincidents: [ { id: 7, detected: 2025-08-15, fixed_in: 2.0 } ]\n",
    ),
    (
        "config",
        "base_url: ~\ncheck:\n  severity: { private-file: off, stale-page: error, anchor-case: warning }\n  external: { exclude: [] }\nchangelog: { fold: { perf: feat }, other: false }\nversions: { tags: 'release-{version}', keep: 3, branch: main }\n",
    ),
];

#[test]
fn schemas_accept_what_the_parser_accepts() {
    let validators: Vec<_> = FILES.iter().map(|f| (*f, validator(f))).collect();
    for (file, text) in GOOD {
        match *file {
            "calendar" => {
                almanac::load::calendar::parse("data/calendar.yaml", text)
                    .unwrap_or_else(|e| panic!("{e}\n{text}"));
            }
            "metrics" => {
                almanac::load::metrics::parse("data/metrics.yaml", text)
                    .unwrap_or_else(|e| panic!("{e}\n{text}"));
            }
            _ => {
                let site =
                    Fixture::with(&[("almanac.yaml", text), ("content/README.md", "# Home\n")]);
                let run = site.run(&["check"]);
                assert_eq!(run.code, 0, "{}\n{text}", run.stderr);
            }
        }
        let validator = &validators.iter().find(|(f, _)| f == file).unwrap().1;
        let errors = errors(validator, text);
        assert!(errors.is_empty(), "{file}: {errors:#?}\nin:\n{text}");
    }
}

/// Every key of every schema says what it is for, and every key that holds
/// a value rather than a section has an example (the issue's "descriptions
/// and examples for every key"). Keys are those of the file's top level and
/// of its sections (`definitions`).
#[test]
fn every_key_has_a_description_and_values_have_examples() {
    for name in FILES {
        let schema = schema(name);
        let mut objects = vec![("(top)".to_string(), &schema)];
        for (def, node) in schema["definitions"].as_object().unwrap() {
            objects.push((def.clone(), node));
        }
        let mut problems = Vec::new();
        for (at, object) in objects {
            let Some(properties) = object.get("properties").and_then(Value::as_object) else {
                continue;
            };
            for (key, property) in properties {
                if property
                    .get("description")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
                {
                    problems.push(format!("{name} {at}.{key}: no description"));
                }
                // A section (a struct of its own, a list of them, or an
                // optional one) has examples at its own keys.
                let section = property.get("$ref").is_some()
                    || property.pointer("/allOf/0/$ref").is_some()
                    || property.pointer("/items/$ref").is_some()
                    || property.pointer("/anyOf/0/$ref").is_some();
                if !section && property.get("examples").is_none() {
                    problems.push(format!("{name} {at}.{key}: no example"));
                }
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

/// The files the `$schema` URLs point at (in the repository, at the
/// release's tag) are what `almanac schema` prints.
#[test]
fn committed_schemas_are_current() {
    for name in FILES {
        let printed = almanac(&["schema", name]).stdout;
        assert_eq!(
            repo(&format!("schemas/{name}.schema.json")),
            printed,
            "schemas/{name}.schema.json is stale: run `almanac schema {name} > schemas/{name}.schema.json`"
        );
    }
}

#[test]
fn init_points_each_yaml_file_at_its_schema() {
    let tmp = Fixture::new();
    let dir = tmp.path("h");
    assert_eq!(almanac(&["init", dir.to_str().unwrap()]).code, 0);
    for (name, file) in [
        ("config", "h/almanac.yaml"),
        ("calendar", "h/data/calendar.yaml"),
        ("metrics", "h/data/metrics.yaml"),
    ] {
        let first = tmp.read(file).lines().next().unwrap().to_string();
        let id = schema(name)["$id"].as_str().unwrap().to_string();
        assert_eq!(
            first,
            format!("# yaml-language-server: $schema={id}"),
            "{file}"
        );
        assert!(
            id.ends_with(&format!("/schemas/{name}.schema.json")),
            "{id}"
        );
    }
}
