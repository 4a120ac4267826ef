//! `almanac serve` over real HTTP on 127.0.0.1, and incremental rebuilds
//! compared with full builds.

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use almanac::project::Paths;
use almanac::serve::Session;
use almanac::watch::Change;
use common::Fixture;

use common::Served as Server;

fn start(site: &Fixture) -> Server {
    common::serve(site.root(), &[])
}

/// A raw HTTP/1.1 exchange: (status, headers, body).
fn http(addr: &str, request_line: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "{request_line}\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

fn get(addr: &str, path: &str) -> (u16, String) {
    let (status, _, body) = http(addr, &format!("GET {path} HTTP/1.1"));
    (status, body)
}

/// Opens the event stream; received event names come through the channel.
fn events(addr: &str) -> Receiver<String> {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /__almanac/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let reader = BufReader::new(stream);
        for line in reader.lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                let _ = tx.send(name.to_string());
            }
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    rx
}

fn site() -> Fixture {
    Fixture::with(&[
        ("content/README.md", "# Home\n\n[Guide](guide.md)\n"),
        ("content/guide.md", "# Guide\n\nFirst version.\n"),
        ("static/style.css", "body { color: red }\n"),
    ])
}

#[test]
fn serves_reloads_and_survives_mistakes() {
    let site = site();
    let server = start(&site);
    let (status, body) = get(&server.addr, "/guide.html");
    assert_eq!(status, 200);
    assert!(
        body.contains("First version.")
            && body.contains("<script src=\"/__almanac/live.js\"></script>"),
        "{body}"
    );
    let (status, head, _) = http(&server.addr, "GET /style.css HTTP/1.1");
    assert_eq!(status, 200);
    assert!(
        head.to_lowercase().contains("content-type: text/css"),
        "{head}"
    );

    let reloads = events(&server.addr);
    site.write("content/guide.md", "# Guide\n\nSecond version.\n");
    assert_eq!(
        reloads.recv_timeout(Duration::from_secs(30)).as_deref(),
        Ok("reload")
    );
    assert!(
        get(&server.addr, "/guide.html")
            .1
            .contains("Second version.")
    );

    site.write(
        "content/guide.md",
        "---\ntitle: [oops\n---\n# Guide\n\nThird version.\n",
    );
    assert_eq!(
        reloads.recv_timeout(Duration::from_secs(30)).as_deref(),
        Ok("build-error")
    );
    let (status, body) = get(&server.addr, "/guide.html");
    assert_eq!(status, 200);
    assert!(
        body.contains("Second version."),
        "the last good page is still served"
    );
    // A tab opened now learns about the error at once.
    let late = events(&server.addr);
    assert_eq!(
        late.recv_timeout(Duration::from_secs(30)).as_deref(),
        Ok("build-error")
    );

    site.write("content/guide.md", "# Guide\n\nFixed version.\n");
    assert_eq!(
        reloads.recv_timeout(Duration::from_secs(30)).as_deref(),
        Ok("reload")
    );
    assert!(
        get(&server.addr, "/guide.html")
            .1
            .contains("Fixed version.")
    );
    let messages: Vec<String> = server.log.try_iter().collect();
    assert!(
        messages.iter().any(|l| l.contains("content/guide.md:2:")),
        "the error is in the terminal: {messages:?}"
    );
}

#[test]
fn only_the_output_folder_is_served() {
    let site = site();
    site.write("secret.txt", "do not serve");
    let server = start(&site);
    std::os::unix::fs::symlink(
        site.path("secret.txt"),
        std::path::Path::new(&server.dir).join("escape.txt"),
    )
    .unwrap();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "//etc/passwd",
        "/escape.txt",
        "/nope.html",
    ] {
        let (status, body) = get(&server.addr, path);
        assert!(status == 404 || status == 400, "{path}: {status}");
        assert!(!body.contains("do not serve"), "{path}");
    }
    let (status, _) = get(&server.addr, "/..%5csecret.txt");
    assert_eq!(status, 400);
    let (status, _, _) = http(&server.addr, "GET http://elsewhere/etc/passwd HTTP/1.1");
    assert!(status == 400 || status == 404, "{status}");
    let (status, _, _) = http(&server.addr, "POST /guide.html HTTP/1.1");
    assert_eq!(status, 405);
    // HEAD: the length of the page, no body.
    let (status, head, body) = http(&server.addr, "HEAD /guide.html HTTP/1.1");
    assert_eq!((status, body.as_str()), (200, ""));
    assert!(head.to_lowercase().contains("content-length:"), "{head}");
    // Unknown pages get the 404 page.
    let (status, body) = get(&server.addr, "/missing/page.html");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "{body}");
}

#[test]
fn many_clients_at_once() {
    let site = site();
    let server = start(&site);
    let addr = server.addr.clone();
    let threads: Vec<_> = (0..24)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || get(&addr, if i % 2 == 0 { "/" } else { "/guide.html" }).0)
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 200);
    }
}

#[test]
fn ctrl_c_stops_cleanly() {
    let site = site();
    let mut server = start(&site);
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(code) = server.child.try_wait().unwrap() {
            break code;
        }
        assert!(Instant::now() < deadline, "serve did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(code.success(), "{code:?}");
    assert!(
        !std::path::Path::new(&server.dir).exists(),
        "the temporary output is removed"
    );
}

#[test]
fn incremental_rebuilds_equal_a_full_build() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n\n[Guide](guide.md#setup)\n"),
        ("content/guide.md", "# Guide\n\n## Setup\n\nText.\n"),
        ("content/ops/README.md", "# Ops\n"),
        ("content/ops/old.md", "# Old page\n"),
        (
            "data/calendar.yaml",
            "releases:\n  - { version: 1.0.0, type: minor, planned: { release: 2030-01-08 } }\n",
        ),
    ]);
    let out = Fixture::new();
    let paths = Paths {
        root: site.root().to_path_buf(),
        ..Paths::default()
    };
    let mut session = Session::new(paths, out.path("live"), chrono::Local::now().date_naive());
    session.rebuild(&HashSet::new()).unwrap();
    let content: HashSet<Change> = [Change::Content].into();

    // An edit inside one page renders that page only.
    site.write("content/guide.md", "# Guide\n\n## Setup\n\nMore text.\n");
    let r = session.rebuild(&content).unwrap();
    assert_eq!(r.pages_rendered, 1, "{r:?}");
    // Add a page, rename a heading, delete a page, change data.
    site.write("content/ops/new.md", "# New page\n");
    session.rebuild(&content).unwrap();
    site.write(
        "content/guide.md",
        "# Guide\n\n## Installation\n\nMore text.\n",
    );
    session.rebuild(&content).unwrap();
    std::fs::remove_file(site.path("content/ops/old.md")).unwrap();
    let r = session.rebuild(&content).unwrap();
    assert!(r.files_removed >= 1, "{r:?}");
    site.write(
        "data/calendar.yaml",
        "releases:\n  - { version: 1.1.0, type: minor, planned: { release: 2030-02-05 } }\n",
    );
    session.rebuild(&[Change::Data].into()).unwrap();
    // A heading renamed: one page written again, the others' search entries
    // kept from the last rebuild.
    site.write(
        "content/guide.md",
        "# Guide\n\n## Deploying\n\nMore text.\n",
    );
    let r = session.rebuild(&content).unwrap();
    assert_eq!(r.pages_rendered, 1, "{r:?}");
    assert!(out.read("live/search-index.js").contains("Deploying"));

    let run = common::almanac(&[
        "-C",
        site.root().to_str().unwrap(),
        "build",
        "--out",
        out.path("full").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let live = out.snapshot("live");
    // The marker that says a build's output folder is almanac's is the one
    // file serve's folder does not need.
    let mut full = out.snapshot("full");
    full.retain(|(name, _)| name != almanac::write::MARKER);
    // Serve's 404 page links from `/`, as it answers any path (see
    // the_404_page_at_a_nested_path_links_from_the_root_and_shows_the_nav);
    // a build's links from where hosts put it.
    let (live_404, full_404) = (out.read("live/404.html"), out.read("full/404.html"));
    assert_eq!(
        live_404.replace("=\"/", "=\""),
        full_404,
        "404.html differs from a full build other than by its root"
    );
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&live), names(&full));
    for ((name, a), (_, b)) in live.iter().zip(&full) {
        assert!(
            a == b || name == "404.html",
            "{name} differs from a full build"
        );
    }
    assert!(
        !out.exists("live/ops/old.html")
            && out.exists("live/calendar/1.1.0.html")
            && !out.exists("live/calendar/1.0.0.html")
    );
}

/// A page of `paragraphs` lines whose last words are `end`: a page cut
/// short is missing them.
fn long_page(version: &str, paragraphs: usize) -> String {
    let mut page = String::from("# Long\n\n");
    for i in 0..paragraphs {
        page.push_str(&format!(
            "Paragraph {i} of the long page, version {version}, with words enough to weigh.\n\n"
        ));
    }
    page.push_str(&format!("END-OF-PAGE-{version}\n"));
    page
}

#[test]
fn a_get_during_a_rebuild_never_sees_a_truncated_page() {
    let site = site();
    site.write("content/long.md", &long_page("A", 30_000));
    let server = start(&site);
    let reloads = events(&server.addr);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (addr, stop) = (server.addr.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut bad = Vec::new();
                let mut seen = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let (status, body) = get(&addr, "/long.html");
                    seen += 1;
                    let whole = body.contains("END-OF-PAGE-") && body.contains("</html>");
                    if status != 200 || !whole {
                        bad.push((status, body.len()));
                    }
                }
                (seen, bad)
            })
        })
        .collect();
    for round in 0..16 {
        let version = if round % 2 == 0 { "B" } else { "A" };
        site.write("content/long.md", &long_page(version, 30_000));
        assert_eq!(
            reloads.recv_timeout(Duration::from_secs(30)).as_deref(),
            Ok("reload"),
            "round {round}"
        );
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut requests = 0;
    for reader in readers {
        let (seen, bad) = reader.join().unwrap();
        requests += seen;
        assert!(bad.is_empty(), "truncated or failed responses: {bad:?}");
    }
    assert!(requests > 20, "only {requests} requests were made");
    // No temporary file is left in the served folder.
    let left: Vec<_> = std::fs::read_dir(&server.dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("almanac-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn report_pages_show_fresh_docs_health_after_a_content_edit() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n\n[Guide](guide.md)\n"),
        ("content/guide.md", "# Guide\n\nText.\n"),
        (
            "data/calendar.yaml",
            "releases:\n  - version: 1.0.0\n    type: minor\n    planned: { release: 2025-07-01 }\n    actual: { release: 2025-07-01 }\n",
        ),
    ]);
    let server = start(&site);
    let health = |addr: &str| {
        let (status, body) = get(addr, "/reports/2025-Q3.html");
        assert_eq!(status, 200, "{body}");
        let at = body
            .find("id=\"docs-health\"")
            .expect("a docs-health section");
        let end = at + body[at..].find("</p>").unwrap();
        body[at..end].to_string()
    };
    let before = health(&server.addr);
    assert!(before.contains(">0 errors<"), "{before}");
    let reloads = events(&server.addr);
    site.write("content/guide.md", "# Guide\n\nSee [the plan](plan.md).\n");
    assert_eq!(
        reloads.recv_timeout(Duration::from_secs(30)).as_deref(),
        Ok("reload")
    );
    let after = health(&server.addr);
    assert!(after.contains(">1 errors<"), "{after}");
    assert!(after.contains("broken-link 1"), "{after}");
}

/// The server's peak resident memory, in MB (Linux).
fn peak_mb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb / 1024
}

#[test]
fn a_200_mb_request_header_is_refused_and_the_server_keeps_serving() {
    let site = site();
    let server = start(&site);
    assert_eq!(get(&server.addr, "/guide.html").0, 200);
    let before = peak_mb(server.child.id());
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(stream, "GET /guide.html HTTP/1.1\r\nHost: x\r\nX-Padding: ").unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..200 {
        if stream.write_all(&chunk).is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"\r\n\r\n");
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 431 "),
        "{}",
        &answer[..answer.len().min(200)]
    );
    let grew = peak_mb(server.child.id()).saturating_sub(before);
    assert!(grew < 32, "the server grew by {grew} MB");
    // Many small headers add up the same way.
    let mut many = String::from("GET / HTTP/1.1\r\n");
    for i in 0..20_000 {
        many.push_str(&format!("X-{i}: v\r\n"));
    }
    let (status, _, _) = http(&server.addr, many.trim_end());
    assert_eq!(status, 431);
    // Others are served as before.
    let (status, body) = get(&server.addr, "/guide.html");
    assert_eq!(status, 200);
    assert!(body.contains("First version."), "{body}");
}

#[test]
fn an_included_files_edit_renders_the_pages_that_include_it_again() {
    let site = Fixture::with(&[
        (
            "content/README.md",
            "# Home\n\n{{#include ../listings/note.md}}\n",
        ),
        ("content/guide.md", "# Guide\n\nNo includes.\n"),
        ("listings/note.md", "First **note**.\n"),
    ]);
    // The session keeps each page's markdown between rebuilds: a page whose
    // own text did not change is still rendered again when an included file
    // did.
    let out = Fixture::new();
    let paths = Paths {
        root: site.root().to_path_buf(),
        ..Paths::default()
    };
    let mut session = Session::new(paths, out.path("live"), chrono::Local::now().date_naive());
    session.rebuild(&HashSet::new()).unwrap();
    assert!(
        out.read("live/index.html")
            .contains("First <strong>note</strong>.")
    );
    let included = session.included_files();
    assert!(
        included.iter().any(|p| p.ends_with("listings/note.md")),
        "{included:?}"
    );
    site.write("listings/note.md", "Second **note**.\n");
    let r = session.rebuild(&[Change::Content].into()).unwrap();
    assert_eq!(r.pages_rendered, 1, "{r:?}");
    assert!(
        out.read("live/index.html")
            .contains("Second <strong>note</strong>.")
    );

    // Over the real watcher: listings/ is no folder almanac watches for
    // its own sake, but the page includes a file there.
    let server = start(&site);
    let reloads = events(&server.addr);
    site.write("listings/note.md", "Third **note**.\n");
    assert_eq!(
        reloads.recv_timeout(Duration::from_secs(3)).as_deref(),
        Ok("reload")
    );
    assert!(
        get(&server.addr, "/index.html")
            .1
            .contains("Third <strong>note</strong>.")
    );
}

#[test]
fn the_404_page_at_a_nested_path_links_from_the_root_and_shows_the_nav() {
    let site = Fixture::with(&[
        ("content/README.md", "# Home\n"),
        ("content/guide.md", "# Guide\n"),
        ("content/ops/README.md", "# Operations\n"),
        ("content/ops/runbook.md", "# Runbook\n"),
        // Under serve the site's URL is not where the pages are: the 404
        // page must not send the reader there.
        (
            "almanac.yaml",
            "base_url: https://docs.example.org/handbook\n",
        ),
    ]);
    let server = start(&site);
    let (status, body) = get(&server.addr, "/no/such/page.html");
    assert_eq!(status, 404);
    for asset in [
        "href=\"/assets/almanac.css\"",
        "src=\"/assets/almanac.js\"",
        "data-root=\"/\"",
    ] {
        assert!(body.contains(asset), "{asset} in {body}");
    }
    let nav = body
        .split_once("<nav class=\"al-sidebar\"")
        .and_then(|(_, rest)| rest.split_once("</nav>"))
        .map(|(nav, _)| nav)
        .unwrap_or_else(|| panic!("no sidebar in {body}"));
    for link in [
        "href=\"/index.html\"",
        "href=\"/guide.html\"",
        "href=\"/ops/index.html\"",
        "href=\"/ops/runbook.html\"",
    ] {
        assert!(nav.contains(link), "{link} in {nav}");
    }
    assert!(!nav.contains("aria-current"), "no page is current: {nav}");
    assert!(!body.contains("docs.example.org"), "{body}");
    // The assets it names are there.
    let (status, css) = get(&server.addr, "/assets/almanac.css");
    assert_eq!(status, 200);
    assert!(css.contains(".al-topbar"));
}

#[test]
fn with_versions_serve_shows_the_working_tree_and_links_the_built_releases() {
    let site = common::versions::repository(common::versions::CONFIG);
    // Before a build there is nothing to link: no switcher.
    let server = start(&site);
    let (status, home) = get(&server.addr, "/");
    assert_eq!(status, 200);
    assert!(!home.contains("al-versions"), "{home}");
    drop(server);
    site.build(&[]);
    let server = start(&site);
    // The working tree (with the page past the last tag), as "dev".
    let (status, page) = get(&server.addr, "/guides/unreleased.html");
    assert_eq!(status, 200);
    assert!(
        page.contains("as it is being written (<strong>dev</strong>)"),
        "{page}"
    );
    // The latest release is at the output's root, where serve shows the
    // working tree: it is not linked, and no other release is called latest.
    assert!(page.contains("The releases built in the output are in the version menu"));
    assert!(!page.contains("latest"), "{page}");
    // The releases built in folders are linked, the page where they have it.
    assert!(
        page.contains("href=\"../v1.1.0/index.html\" data-version=\"1.1.0\">1.1.0"),
        "{page}"
    );
    let (_, patching) = get(&server.addr, "/guides/patching.html");
    assert!(
        patching.contains("href=\"../v1.1.0/guides/patching.html\" data-version=\"1.1.0\">1.1.0"),
        "{patching}"
    );
    // And served from the output as built.
    let (status, old) = get(&server.addr, "/v1.0.0/guides/hotfix.html");
    assert_eq!(status, 200);
    assert!(old.contains("data-version=\"1.0.0\""));
    assert!(old.contains("You are reading the handbook for <strong class=\"al-version-name\">"));
    let (status, _) = get(&server.addr, "/v1.0.0/../../etc/passwd");
    assert_eq!(status, 404);
}

#[test]
fn with_versions_and_a_branch_serve_links_the_latest_release_too() {
    let site = common::versions::repository("title: Handbook\nversions:\n  branch: main\n");
    site.build(&[]);
    let server = start(&site);
    let (_, page) = get(&server.addr, "/guides/approvals.html");
    assert!(
        page.contains("The latest release is <strong>1.2.0</strong>"),
        "{page}"
    );
    assert!(
        page.contains("href=\"../v1.2.0/guides/approvals.html\">this page there"),
        "{page}"
    );
    let (status, _) = get(&server.addr, "/v1.2.0/guides/approvals.html");
    assert_eq!(status, 200);
}
