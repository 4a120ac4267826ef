//! The fuzz harness (issue 15): seeded and deterministic. Each case copies
//! the bundled handbook into a temp folder beside an `outside/` folder,
//! mutates its guides, front matter, data, `almanac.yaml` and file names,
//! and runs `build`, `check` and `report` on it under a time and memory
//! limit. Invariants, for every run:
//!
//! - no panic, no hang;
//! - exit code 0, 1 or 2;
//! - every exit 2 names a file;
//! - nothing is written or removed outside the output folder.
//!
//! CI runs a short campaign. A long one:
//! `ALMANAC_FUZZ_CASES=2000 ALMANAC_FUZZ_SEED=7 cargo test --release --test hostile campaign`.
//! A failure prints its seed and case; the same pair runs the same case.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Fixture;

/// xorshift64: the same seed, the same campaign.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces that parsers care about, and values that have broken tools before.
const PIECES: &[&str] = &[
    "\n",
    "---\n",
    ": ",
    "- ",
    "  ",
    "\t",
    "'",
    "\"",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "#",
    "##",
    "{#x\"onfocus=\"alert(1)\"}",
    "<script>alert(1)</script>",
    "](",
    "](../../../etc/passwd)",
    "](#nope)",
    "[x]: ../x.md",
    "```bash\n",
    "```\n",
    "$ ./scripts/release.sh --nope\n",
    "make nope\n",
    "npm run nope\n",
    "{{< tabs >}}",
    "{{% note %}}",
    "{{#include x.md}}",
    "{{ calendar() }}",
    "{{ kpi(id=\"x\") }}",
    "{% raw %}",
    "{{",
    "}}",
    "\u{0}",
    "\u{feff}",
    "é",
    "🚀",
    "\u{fe0f}",
    "\r\n",
    "\\",
    "%00",
    "%2e%2e/",
    "../",
    "..",
    "/",
    "`",
    "*",
    "_",
    "|",
    "<",
    ">",
    "&",
    "aliases: [\"../../outside/x.html\"]\n",
    "aliases: [/]\n",
    "version: '../../outside/index'\n",
    "id: ../../outside/x\n",
    "weight: 99999999999999999999\n",
    "title: [1\n",
    "draft: maybe\n",
    "review_by: 2025-13-45\n",
    "timezone: Mars/Olympus\n",
    "output_dir: ..\n",
    "output_dir: .git\n",
    "output_dir: content\n",
    "output_dir: ../outside\n",
    "theme: nosuch\n",
    "base_url: javascript:alert(1)\n",
    "&anchor",
    "*anchor",
    "!!binary",
    "9999-99-99",
    "2025-02-30",
    "-1",
    "1e309",
    "NaN",
    ".inf",
];

/// File names a guide may be renamed to.
const NAMES: &[&str] = &[
    "javascript:alert(document.domain).md",
    "a#b.md",
    "c?d.md",
    "e%20f.md",
    "sp ace.md",
    "ünï cödé.md",
    "-rf.md",
    "..md",
    "index.md",
    "README.md",
    "x\"y.md",
    "<b>.md",
];

/// The bundled handbook's sources: what each case starts from.
fn handbook() -> Vec<(String, Vec<u8>)> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["content", "data", "scripts"] {
        for entry in walkdir::WalkDir::new(repo.join(dir))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let rel = entry.path().strip_prefix(repo).unwrap();
            files.push((
                rel.to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
    files.push((
        "almanac.yaml".into(),
        std::fs::read(repo.join("almanac.yaml")).unwrap(),
    ));
    files
}

/// One case: the handbook with a few mutations.
fn mutate(rng: &mut Rng, mut files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    for _ in 0..1 + rng.below(4) {
        let texts: Vec<usize> = (0..files.len())
            .filter(|&i| !files[i].0.starts_with("scripts/"))
            .collect();
        let i = *rng.pick(&texts);
        let bytes = &mut files[i].1;
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            // Insert pieces.
            0 | 1 => {
                let mut insert = Vec::new();
                for _ in 0..1 + rng.below(5) {
                    insert.extend_from_slice(rng.pick(PIECES).as_bytes());
                }
                bytes.splice(at..at, insert);
            }
            // Delete a span, or cut the file short.
            2 => {
                let end = (at + rng.below(200)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 => bytes.truncate(at),
            // A random byte, valid UTF-8 or not.
            4 => bytes.insert(at, rng.next() as u8),
            // A guide under a hostile name.
            _ => {
                if files[i].0.ends_with(".md") {
                    let parent = files[i].0.rsplit_once('/').map_or("", |(p, _)| p);
                    files[i].0 = format!("{parent}/{}", rng.pick(NAMES));
                }
            }
        }
    }
    files
}

/// Every file under `dir` except the output folder, with its bytes.
fn outside_the_output(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.path() != dir.join("site/public"))
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let bytes = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap_or_default()
            } else {
                Vec::new()
            };
            (e.path().to_path_buf(), bytes)
        })
        .collect();
    files.sort();
    files
}

struct Outcome {
    code: Option<i32>,
    stderr: String,
    timed_out: bool,
}

/// Runs almanac with a memory limit (`ulimit -v`) and a time limit.
fn run_limited(root: &Path, args: &[&str], limit: Duration) -> Outcome {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("ulimit -v 4000000; exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_almanac"))
        .args(["--color", "never", "-C"])
        .arg(root)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let deadline = Instant::now() + limit;
    let (code, timed_out) = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break (status.code(), false);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break (None, true);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Outcome {
        code,
        stderr: reader.join().unwrap_or_default(),
        timed_out,
    }
}

/// Whether an error message names a file: a `--> file:line:col` locus, or
/// a quoted path.
fn names_a_file(stderr: &str) -> bool {
    stderr.contains("--> ")
        || stderr
            .split('`')
            .skip(1)
            .step_by(2)
            .any(|quoted| quoted.contains(['/', '.']))
}

#[test]
fn campaign() {
    let cases: u64 = std::env::var("ALMANAC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    let seed: u64 = std::env::var("ALMANAC_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let base = handbook();
    let commands: [&[&str]; 3] = [
        &["build"],
        &["check", "--format", "json"],
        &["report", "--quarter", "2026-Q3", "--format", "json"],
    ];
    let mut codes = [0usize; 3];
    for case in 0..cases {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (case + 1));
        let files = mutate(&mut rng, base.clone());
        let outer = Fixture::new();
        outer.write("outside/x.html", "<p>not almanac's</p>");
        outer.write("outside/index.html", "<p>not almanac's</p>");
        for (path, bytes) in &files {
            let at = outer.path(&format!("site/{path}"));
            std::fs::create_dir_all(at.parent().unwrap()).unwrap();
            std::fs::write(&at, bytes).unwrap();
        }
        #[cfg(unix)]
        for script in ["site/scripts/release.sh", "site/scripts/hotfix.sh"] {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(
                outer.path(script),
                std::fs::Permissions::from_mode(0o755),
            );
        }
        let root = outer.path("site");
        for args in commands {
            let before = outside_the_output(outer.root());
            let run = run_limited(&root, args, Duration::from_secs(60));
            let what = format!(
                "seed {seed} case {case}: almanac {}\n{}",
                args.join(" "),
                run.stderr
            );
            assert!(!run.timed_out, "hang: {what}");
            assert!(!run.stderr.contains("panicked"), "panic: {what}");
            let code = run.code.unwrap_or(-1);
            assert!(matches!(code, 0..=2), "exit code {code}: {what}");
            if code == 2 {
                assert!(names_a_file(&run.stderr), "exit 2 names no file: {what}");
            }
            codes[code as usize] += 1;
            assert!(
                outside_the_output(outer.root()) == before,
                "files changed outside the output: {what}"
            );
        }
    }
    // The campaign exercised both the happy path and the error paths.
    eprintln!("exit codes 0/1/2: {codes:?}");
    assert!(
        cases < 12 || (codes[0] + codes[1] > 0 && codes[2] > 0),
        "{codes:?}"
    );
}
