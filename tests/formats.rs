//! `check --format junit` (validated against a JUnit XSD by xmllint) and
//! `check --format codeclimate` (GitLab Code Quality).

mod common;

use common::Fixture;
use serde_json::Value;

/// Two pages with errors (one with a warning too), a clean page, a stale
/// page, and characters XML must escape in a target.
fn site() -> Fixture {
    Fixture::with(&[
        (
            "content/README.md",
            "# Home\n\nSee [guide](guide.md), [gone](gone.md) and [odd](<a&b \"q\".md>).\n",
        ),
        (
            "content/guide.md",
            "---\nreview_by: 2020-01-01\n---\n# Guide\n\n[top](#nowhere)\n",
        ),
        ("content/clean.md", "# Clean\n\n[home](README.md)\n"),
    ])
}

#[test]
fn junit_has_a_test_case_per_page_and_a_failure_per_error() {
    let site = site();
    let run = site.run(&["check", "--format", "junit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let xml = &run.stdout;
    for page in ["content/README.md", "content/guide.md", "content/clean.md"] {
        assert_eq!(
            xml.matches(&format!("<testcase name=\"{page}\"")).count(),
            1,
            "{page}:\n{xml}"
        );
    }
    // README: two broken links; guide: one broken anchor (and a stale-page warning).
    assert_eq!(xml.matches("<failure ").count(), 3, "{xml}");
    assert!(xml.contains("<failure type=\"broken-anchor\""), "{xml}");
    assert!(xml.contains("tests=\"3\" failures=\"2\""), "{xml}");
    assert!(
        xml.contains(
            "<testcase name=\"content/clean.md\" classname=\"almanac.check\" time=\"0\"/>"
        ),
        "{xml}"
    );
    let out = xml
        .split("<testcase name=\"content/guide.md\"")
        .nth(1)
        .unwrap();
    let out = out.split("</testcase>").next().unwrap();
    assert!(
        out.contains("<system-out>warning[stale-page] content/guide.md:"),
        "{out}"
    );
    assert!(xml.contains("a&amp;b &quot;q&quot;.md"), "{xml}");
}

#[test]
fn junit_validates_against_the_junit_xsd() {
    if !common::tool_available("xmllint", "apt-get install libxml2-utils") {
        return;
    }
    let xsd =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit/junit-10.xsd");
    let clean = Fixture::with(&[("content/README.md", "# Home\n")]);
    for (name, site) in [("findings", site()), ("clean", clean)] {
        let run = site.run(&["check", "--format", "junit"]);
        site.write("report.xml", &run.stdout);
        let out = std::process::Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .arg(site.path("report.xml"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            run.stdout
        );
    }
    // The schema is strict enough to catch a wrong shape: a failure outside a test case.
    let site = site();
    site.write(
        "bad.xml",
        "<testsuites><testsuite name=\"x\" tests=\"1\"><failure message=\"m\"/></testsuite></testsuites>",
    );
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(site.path("bad.xml"))
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "the XSD accepted a misplaced failure"
    );
}

fn issues(site: &Fixture) -> Vec<Value> {
    let run = site.run(&["check", "--format", "codeclimate"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).expect("codeclimate output is JSON");
    doc.as_array().expect("an array of issues").clone()
}

#[test]
fn codeclimate_has_gitlabs_fields() {
    let site = site();
    let issues = issues(&site);
    assert_eq!(issues.len(), 4, "{issues:#?}");
    for issue in &issues {
        assert!(
            issue["description"].as_str().is_some_and(|d| !d.is_empty()),
            "{issue}"
        );
        assert!(issue["check_name"].is_string(), "{issue}");
        assert!(issue["fingerprint"].is_string(), "{issue}");
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap()),
            "{issue}"
        );
        assert!(
            issue["location"]["path"]
                .as_str()
                .unwrap()
                .starts_with("content/"),
            "{issue}"
        );
        assert!(
            issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1,
            "{issue}"
        );
    }
    let anchor = issues
        .iter()
        .find(|i| i["check_name"] == "broken-anchor")
        .unwrap();
    assert_eq!(anchor["location"]["path"], "content/guide.md");
    assert_eq!(anchor["location"]["lines"]["begin"], 6);
    assert_eq!(anchor["severity"], "major");
    let stale = issues
        .iter()
        .find(|i| i["check_name"] == "stale-page")
        .unwrap();
    assert_eq!(stale["severity"], "minor");
}

#[test]
fn codeclimate_fingerprints_are_stable_and_distinct() {
    let site = site();
    let fingerprints = |issues: &[Value]| -> Vec<String> {
        issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };
    let first = fingerprints(&issues(&site));
    let second = fingerprints(&issues(&site));
    assert_eq!(first, second, "the same findings twice");
    let mut unique = first.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), first.len(), "each finding its own: {first:?}");

    // Lines added above a finding move it, but it is the same problem.
    site.write(
        "content/guide.md",
        "---\nreview_by: 2020-01-01\n---\n# Guide\n\nNew paragraph.\n\nAnother.\n\n[top](#nowhere)\n",
    );
    let moved = issues(&site);
    let anchor = moved
        .iter()
        .find(|i| i["check_name"] == "broken-anchor")
        .unwrap();
    assert_eq!(anchor["location"]["lines"]["begin"], 10);
    assert!(first.contains(&anchor["fingerprint"].as_str().unwrap().to_string()));

    // The same broken link twice in one file: two issues, two fingerprints.
    site.write(
        "content/clean.md",
        "# Clean\n\n[a](gone.md)\n\n[b](gone.md)\n",
    );
    let twice: Vec<String> = issues(&site)
        .iter()
        .filter(|i| i["location"]["path"] == "content/clean.md")
        .map(|i| i["fingerprint"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(twice.len(), 2);
    assert_ne!(twice[0], twice[1]);
}
