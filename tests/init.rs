//! `almanac init`: a starter handbook that builds and checks cleanly, and
//! never overwrites anything.

mod common;

use common::{Fixture, almanac};

#[test]
fn a_new_handbook_builds_and_checks_cleanly() {
    let tmp = Fixture::new();
    let dir = tmp.path("handbook");
    let run = almanac(&["init", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("created ") && run.stderr.contains("data/calendar.yaml"),
        "{}",
        run.stderr
    );
    let check = almanac(&["-C", dir.to_str().unwrap(), "check", "--deny-warnings"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    let build = almanac(&["-C", dir.to_str().unwrap(), "build", "--strict"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let home = tmp.read("handbook/public/index.html");
    // The title comes from the folder's name.
    assert!(home.contains("<title>handbook handbook</title>"), "{home}");
    assert!(tmp.exists("handbook/public/calendar/1.0.0.html"));
}

#[test]
fn init_never_overwrites() {
    let site = Fixture::with(&[("content/README.md", "# Mine\n")]);
    let run = site.run(&["init"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not overwriting existing files")
            && run.stderr.contains("content/README.md"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("content/README.md"), "# Mine\n");
    assert!(
        !site.exists("almanac.yaml"),
        "nothing is written when anything is in the way"
    );
}
