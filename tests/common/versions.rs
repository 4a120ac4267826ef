//! The fixture repository of the versions tests (`tests/versions.rs`, and
//! the browser's in `tests/ux.rs`), made with git2 at fixed dates:
//!
//! - v0.9.0: before almanac (no guides): left out;
//! - v1.0.0: release, hotfix and legacy guides; a link broken only here, a
//!   script documented only here;
//! - v1.1.0: hotfix renamed to patching (git's rename detection), legacy
//!   removed, a line of the release guide changed and one added;
//! - v1.1.5: a config that does not parse: left out, with a warning;
//! - v1.2.0: the config's title changed, an approvals guide added;
//! - v1.3.0-rc1: a pre-release: not a version;
//! - then a commit past the last tag, which only `branch:` builds.

use super::{Fixture, Git, at};

pub const CONFIG: &str = "title: Handbook\nversions:\n  keep: 5\n";

const RELEASE_V1: &str = "# Release guide\n\nStep one.\nStep two.\n\nSee [the missing page](missing.md).\n\n```sh\n./scripts/cut.sh\n```\n\n## Freeze\n\nFreeze the branch.\n";
const RELEASE_V11: &str = "# Release guide\n\nStep one.\nStep 2, revised.\nStep three.\n\n## Freeze\n\nFreeze the branch.\n";
const HOTFIX: &str = "# Hotfix\n\nHow to ship a fix fast, from the release branch, with a\nreview by the on-call lead and a tag once it is merged.\n\n## Steps\n\nPatch it on the branch.\nTag it.\n";

/// The fixture repository at the end of its history (see the module's doc).
pub fn repository(config: &str) -> Fixture {
    let site = Fixture::with(&[
        ("src/main.c", "int main(void) { return 0; }\n"),
        ("almanac.yaml", config),
    ]);
    let git = Git::init(&site);
    let c = git.commit_all("code only", at("2024-12-01T10:00:00Z"));
    git.lightweight_tag("v0.9.0", c);

    site.write(
        "content/README.md",
        "# Home\n\nSee the [release guide](guides/release.md) and the [hotfix guide](guides/hotfix.md#steps).\n",
    );
    site.write("content/guides/release.md", RELEASE_V1);
    site.write("scripts/cut.sh", "#!/bin/sh\necho cut\n");
    std::fs::set_permissions(
        site.path("scripts/cut.sh"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    site.write("content/guides/hotfix.md", HOTFIX);
    site.write(
        "content/guides/legacy.md",
        "# Legacy process\n\nThe zanzibar procedure, retired since.\n",
    );
    site.write(
        "data/calendar.yaml",
        "releases:\n  - version: 1.0.0\n    type: minor\n    planned: { release: 2025-01-10 }\n",
    );
    let c = git.commit_all("docs", at("2025-01-10T10:00:00Z"));
    git.lightweight_tag("v1.0.0", c);

    site.write("content/guides/release.md", RELEASE_V11);
    std::fs::rename(
        site.path("content/guides/hotfix.md"),
        site.path("content/guides/patching.md"),
    )
    .unwrap();
    std::fs::remove_file(site.path("content/guides/legacy.md")).unwrap();
    std::fs::remove_file(site.path("scripts/cut.sh")).unwrap();
    site.write(
        "content/README.md",
        "# Home\n\nSee the [release guide](guides/release.md) and the [patching guide](guides/patching.md#steps).\n",
    );
    let c = git.commit_all("rename hotfix", at("2025-02-10T10:00:00Z"));
    git.lightweight_tag("v1.1.0", c);

    site.write("almanac.yaml", "titel: typo\n");
    let c = git.commit_all("broken config", at("2025-02-20T10:00:00Z"));
    git.lightweight_tag("v1.1.5", c);

    site.write(
        "almanac.yaml",
        &config.replace("Handbook", "Release Handbook"),
    );
    site.write(
        "content/guides/approvals.md",
        "# Approvals\n\nWho approves what.\n",
    );
    let c = git.commit_all("approvals", at("2025-03-10T10:00:00Z"));
    git.lightweight_tag("v1.2.0", c);
    let c = git.commit_all("rc", at("2025-03-20T10:00:00Z"));
    git.lightweight_tag("v1.3.0-rc1", c);

    site.write("content/guides/unreleased.md", "# Unreleased\n\nNot yet.\n");
    git.commit_all("past the last tag", at("2025-04-01T10:00:00Z"));
    site
}
