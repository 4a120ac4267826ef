//! almanac: a static-site generator for release documentation.
//! Pipeline: load → index → render → check → write (see DESIGN.md §3).

pub mod build;
pub mod check;
pub mod cleanup;
pub mod cli;
pub mod config;
pub mod error;
pub mod highlight;
pub mod http;
pub mod include;
pub mod index;
pub mod init;
pub mod links;
pub mod load;
pub mod markdown;
pub mod project;
pub mod pymdown;
pub mod releases;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod shortcodes;
pub mod site;
pub mod slug;
pub mod timing;
pub mod watch;
pub mod write;

use std::io::Write;

use cli::{Cli, Command};
use error::{Error, Result};
use project::Paths;

/// How a successful run ends: 0, or 1 when the docs have error findings.
pub fn run(cli: &Cli, color: bool, stderr: &mut dyn Write) -> Result<i32> {
    let g = &cli.global;
    let paths = Paths {
        root: g.root.clone(),
        content: g.content.clone(),
        data: g.data.clone(),
        config: g.config.clone(),
    };
    match &cli.command {
        Command::Build(args) => run_build(g, &paths, args, stderr),
        Command::Check(args) => {
            let options = check::CheckOptions {
                changed_since: args.changed_since.clone(),
                external: args.external,
                today: chrono::Local::now().date_naive(),
            };
            let report = check::run(&paths, &options)?;
            let text = check::format::render(
                args.format,
                &report.findings,
                &report.summary,
                &report.sources,
                color,
            );
            if !print(&text, "the findings")? {
                return Ok(0);
            }
            let failed =
                report.summary.errors > 0 || (args.deny_warnings && report.summary.warnings > 0);
            Ok(i32::from(failed))
        }
        Command::Serve(args) => {
            let options = serve::ServeOptions {
                port: args.port,
                bind: args.bind.clone(),
                open: args.open,
                verbose: g.verbose,
            };
            serve::run(&paths, &options, color, stderr)
        }
        Command::Report(args) => run_report(g, &paths, args, stderr),
        Command::Init { dir } => {
            let dir = g
                .root
                .join(dir.as_deref().unwrap_or(std::path::Path::new(".")));
            let written = init::run(&dir, build::today())?;
            if !g.quiet {
                for file in &written {
                    let _ = writeln!(stderr, "created {}", dir.join(file).display());
                }
                let _ = writeln!(stderr, "next: almanac -C {} serve", dir.display());
            }
            Ok(0)
        }
    }
}

/// `almanac build`: the site, then what it found and, with `-v`, its stages.
fn run_build(
    g: &cli::Global,
    paths: &Paths,
    args: &cli::BuildArgs,
    stderr: &mut dyn Write,
) -> Result<i32> {
    let options = build::BuildOptions {
        out: args.out.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        strict: args.strict,
    };
    let report = build::build(paths, &options)?;
    let say = |stderr: &mut dyn Write, line: String| {
        writeln!(stderr, "{line}").map_err(|e| Error::Io {
            context: "writing to stderr".into(),
            source: e,
        })
    };
    for warning in &report.warnings {
        if !g.quiet {
            say(stderr, format!("warning: {warning}"))?;
        }
    }
    for finding in &report.findings {
        if args.strict || !g.quiet {
            say(stderr, finding.to_string())?;
        }
    }
    if !report.written {
        say(
            stderr,
            format!(
                "error: {} broken link(s) with --strict; nothing written",
                report
                    .findings
                    .iter()
                    .filter(|f| f.severity == check::Severity::Error)
                    .count()
            ),
        )?;
        return Ok(1);
    }
    if g.verbose {
        for lap in &report.timings {
            say(stderr, verbose_line(lap))?;
        }
    }
    if !g.quiet {
        say(
            stderr,
            format!(
                "built {} pages into {} ({} files written, {} unchanged, {} removed)",
                report.pages,
                report.out_dir.display(),
                report.files.written,
                report.files.unchanged,
                report.files.removed
            ),
        )?;
    }
    Ok(0)
}

/// A stage as `build -v` lists it, with the peak memory and how many cores
/// were busy where the system tells.
fn verbose_line(lap: &timing::Lap) -> String {
    match lap.peak_kb {
        Some(kb) => {
            // How many cores were busy on average: 1.0 is a serial stage.
            let cores = lap
                .cpu
                .filter(|_| !lap.took.is_zero())
                .map_or(String::new(), |cpu| {
                    let busy = cpu.as_secs_f64() / lap.took.as_secs_f64();
                    format!(", {busy:.1} cores")
                });
            format!("{lap}  (peak {} MB{cores})", kb / 1024)
        }
        None => lap.to_string(),
    }
}

/// `almanac report`: the quarter's report, to stdout or `--out`.
fn run_report(
    g: &cli::Global,
    paths: &Paths,
    args: &cli::ReportArgs,
    stderr: &mut dyn Write,
) -> Result<i32> {
    let quarter: load::calendar::Quarter = args.quarter.parse().map_err(Error::Usage)?;
    let (text, root) = report::run(paths, quarter, args.format, args.as_of.as_deref())?;
    match &args.out {
        Some(path) => {
            let path = root.join(path);
            std::fs::write(&path, text).map_err(|e| Error::io("writing the report", &path, e))?;
            if !g.quiet {
                let _ = writeln!(stderr, "wrote the {quarter} report to {}", path.display());
            }
        }
        None => {
            print(&text, "the report")?;
        }
    }
    Ok(0)
}

/// Writes `what` to stdout. `Ok(false)` when the reader went away
/// (`almanac check | head`): like ripgrep, almanac then stops quietly. Any
/// other failure, such as a full disk, is an error.
fn print(text: &str, what: &str) -> Result<bool> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Error::Io {
            context: format!("writing {what} to stdout"),
            source: e,
        }),
    }
}

/// Seeded randomness for the parsers' fuzz-style tests, and a count of the
/// files read.
#[cfg(test)]
pub(crate) mod testing {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    /// Every file `error::read_file` read, how many times.
    static READS: Mutex<Option<HashMap<PathBuf, usize>>> = Mutex::new(None);

    /// Counts a read of `path` (`error::read_file`, where every source is read).
    pub fn note_read(path: &Path) {
        let mut reads = READS.lock().unwrap_or_else(|e| e.into_inner());
        *reads
            .get_or_insert_with(HashMap::new)
            .entry(path.to_path_buf())
            .or_default() += 1;
    }

    /// How many times each file under `dir` was read so far.
    pub fn reads_under(dir: &Path) -> HashMap<PathBuf, usize> {
        let reads = READS.lock().unwrap_or_else(|e| e.into_inner());
        reads
            .iter()
            .flatten()
            .filter(|(path, _)| path.starts_with(dir))
            .map(|(path, n)| (path.clone(), *n))
            .collect()
    }

    /// A xorshift generator: the same numbers from the same seed.
    pub fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    /// `count` strings of printable ASCII, up to `max_len` characters each.
    pub fn ascii_texts(seed: u64, count: usize, max_len: u64) -> impl Iterator<Item = String> {
        let mut next = xorshift(seed);
        (0..count).map(move |_| {
            let len = next() % (max_len + 1);
            (0..len)
                .map(|_| char::from(b' ' + (next() % 95) as u8))
                .collect()
        })
    }
}
