//! `check --external` shows a progress bar to a person at a terminal, and
//! none in CI, with `-q`, or when stderr is not a terminal.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use common::Fixture;

/// A server that answers every request with 200 after `delay`, long enough
/// for the bar to be drawn.
fn slow_server(delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut request = Vec::new();
                let mut buf = [0; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                std::thread::sleep(delay);
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            });
        }
    });
    base
}

fn site() -> Fixture {
    let base = slow_server(Duration::from_millis(400));
    let links: String = (0..4)
        .map(|i| format!("- [{i}]({base}/page/{i})\n"))
        .collect();
    Fixture::with(&[
        ("content/README.md", &format!("# Home\n\n{links}")),
        // One at a time: the bar is seen for over a second.
        ("almanac.yaml", "check:\n  external:\n    concurrency: 1\n"),
    ])
}

/// What a terminal shows of `almanac check --external` (and `extra` flags),
/// run under `script` in a pseudo-terminal, with `CI` as given.
fn on_a_terminal(site: &Fixture, extra: &str, ci: Option<&str>) -> String {
    let _ = std::fs::remove_dir_all(site.path(".almanac-cache"));
    let command = format!(
        "stty cols 120 rows 40; {} -C {} check --external {extra}",
        env!("CARGO_BIN_EXE_almanac"),
        site.root().display()
    );
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", &command, "/dev/null"])
        .env_remove("CI");
    if let Some(ci) = ci {
        script.env("CI", ci);
    }
    let out = script.output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("ok: 1 pages, 4 links"), "{shown}");
    shown
}

#[test]
fn a_bar_on_a_terminal_and_none_in_ci_with_q_or_in_a_pipe() {
    if !common::tool_available("script", "apt-get install bsdutils") {
        return;
    }
    let site = site();
    let shown = on_a_terminal(&site, "", None);
    assert!(shown.contains("checking external links"), "{shown}");
    assert!(shown.contains("/4 ["), "{shown}");

    let shown = on_a_terminal(&site, "", Some("true"));
    assert!(!shown.contains("checking external links"), "CI: {shown}");
    let shown = on_a_terminal(&site, "-q", None);
    assert!(!shown.contains("checking external links"), "-q: {shown}");

    let _ = std::fs::remove_dir_all(site.path(".almanac-cache"));
    let run = site.run_env(&["check", "--external"], &[("CI", "")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("checking external links"),
        "{}",
        run.stderr
    );
}
