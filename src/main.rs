//! The `almanac` program: parses the command line, decides the process-wide
//! facts (colour, today's date), runs the command, and owns how the process
//! ends (exit codes, a reader that went away, memory left to the exit).

mod cli;

use std::io::{IsTerminal, Write};

use chrono::NaiveDate;
use clap::{CommandFactory, Parser};

use almanac::error::{Error, Result};
use almanac::project::Paths;
use almanac::{build, check, init, load, report, serve};
use cli::{Cli, ColorChoice, Command};

/// mimalloc rather than the system allocator: a build makes millions of
/// small strings on every core (see the Performance section of the README).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages off for the process: mimalloc asks for them on
/// its arenas, and each 2 MB page keeps a neighbourhood of a few live bytes
/// resident. A build's peak memory without them: 210 → 178 MB on 10,000
/// pages, 727 → 662 MB on 100,000, in the same time (README, Performance).
fn no_huge_pages() {
    // SAFETY: a process-wide flag for later page faults.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// `check` holds little and frees much as it goes (a text per page, read,
/// checked and dropped): huge pages off, and mimalloc told to give freed
/// memory back at once rather than a second later (its purge delay:
/// option 15 of the mimalloc 3 that libmimalloc-sys 0.1.49 builds, which
/// its bindings do not name). Together a third of `check`'s peak memory
/// on 10,000 pages (160 → 104 MB when the check held more), with no cost
/// in time beyond this machine's noise. A build gives memory back as
/// pages are written but takes it again for the next: at once would cost
/// it 8% in time on 100,000 pages, for 10% less memory.
fn lean_allocator() {
    unsafe extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    const PURGE_DELAY: std::ffi::c_int = 15;
    no_huge_pages();
    // SAFETY: mimalloc's options may be set at any time, from any thread.
    unsafe {
        mi_option_set(PURGE_DELAY, 0);
    }
}

fn main() {
    let cli = Cli::parse();
    let color = match cli.global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
        }
    };
    let code = match run(&cli, color, today(), &mut std::io::stderr()) {
        Ok(code) => code,
        // The reader of our output went away (`almanac check | head`): stop
        // quietly, as ripgrep does.
        Err(err) if broken_pipe(&err) => 0,
        Err(err) => {
            // Nowhere left to say it (stderr closed or full): the exit code still does.
            let _ = writeln!(std::io::stderr(), "{}", err.render(color));
            2
        }
    };
    std::process::exit(code);
}

/// The date "today" for every command (plan status, stale pages, the
/// report): `SOURCE_DATE_EPOCH` when set (reproducible builds), else the
/// local date. Decided once, here, so build, check, serve and report agree.
fn today() -> NaiveDate {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map_or_else(|| chrono::Local::now().date_naive(), |t| t.date_naive())
}

/// Whether `err` comes of a write to a pipe whose reader is gone.
fn broken_pipe(err: &Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cause {
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::BrokenPipe
        {
            return true;
        }
        cause = e.source();
    }
    false
}

/// How a successful run ends: 0, or 1 when the docs have error findings.
fn run(cli: &Cli, color: bool, today: NaiveDate, stderr: &mut dyn Write) -> Result<i32> {
    let g = &cli.global;
    let paths = Paths {
        root: g.root.clone(),
        content: g.content.clone(),
        data: g.data.clone(),
        config: g.config.clone(),
    };
    match &cli.command {
        Command::Build(args) => {
            no_huge_pages();
            let options = build::BuildOptions {
                out: args.out.clone(),
                base_url: args.base_url.clone(),
                drafts: args.drafts,
                strict: args.strict,
                today,
                version: None,
            };
            let mut report = almanac::versions::build(&paths, &options)?;
            let site = report.site.take();
            let code = tell_build(&report, args.strict, g, stderr);
            // The site's memory goes back with the process, not one small
            // allocation at a time (see `BuiltSite`).
            std::mem::forget(site);
            code
        }
        Command::Check(args) => {
            lean_allocator();
            let options = check::CheckOptions {
                changed_since: args.changed_since.clone(),
                external: args.external,
                today,
                at: args
                    .at
                    .as_ref()
                    .map(|rev| (paths.root.clone(), rev.clone())),
                progress: check::external::Progress::decide(
                    std::io::stderr().is_terminal(),
                    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false"),
                    g.quiet,
                ),
            };
            // `--at REV`: the tree of REV, laid out apart (kept until the
            // findings, which quote its files, are written).
            let at = match &args.at {
                Some(rev) => Some(almanac::versions::tree_at_revision(&paths, rev)?),
                None => None,
            };
            let paths = at.as_ref().map_or(paths.clone(), |(_, p)| p.clone());
            let mut report = check::run(&paths, &options)?;
            if args.fix {
                report = fix(&paths, &options, report, args, g, stderr)?;
            }
            // Written as it is made, not held whole.
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            check::format::write(
                args.format.into(),
                &report.findings,
                &report.summary,
                &report.sources,
                color,
                &mut stdout,
            )
            .and_then(|()| stdout.flush())
            .map_err(|e| Error::Io {
                context: "writing the findings to stdout".to_string(),
                source: e,
            })?;
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
                today,
            };
            serve::run(&paths, &options, color, stderr)
        }
        Command::Report(args) => {
            let quarter: load::calendar::Quarter = args.quarter.parse().map_err(Error::Quarter)?;
            let report::Written {
                text,
                root,
                warnings,
            } = report::run(
                &paths,
                quarter,
                args.format.into(),
                args.as_of.as_deref(),
                today,
            )?;
            for warning in warnings.iter().filter(|_| !g.quiet) {
                let _ = writeln!(stderr, "warning: {warning}");
            }
            match &args.out {
                Some(path) => {
                    let path = root.join(path);
                    std::fs::write(&path, text)
                        .map_err(|e| Error::io("writing the report", &path, e))?;
                    if !g.quiet {
                        let _ =
                            writeln!(stderr, "wrote the {quarter} report to {}", path.display());
                    }
                }
                None => print(&text, "the report")?,
            }
            Ok(0)
        }
        Command::Init { dir } => {
            let dir = g
                .root
                .join(dir.as_deref().unwrap_or(std::path::Path::new(".")));
            let written = init::run(&dir, today)?;
            if !g.quiet {
                for file in &written {
                    let _ = writeln!(stderr, "created {}", dir.join(file).display());
                }
                let _ = writeln!(stderr, "next: almanac -C {} serve", dir.display());
            }
            Ok(0)
        }
        Command::Schema { file } => {
            let file: almanac::schema::SchemaFile = (*file).into();
            print(&file.text(), "the schema")?;
            Ok(0)
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "almanac", &mut out);
            print(&String::from_utf8_lossy(&out), "the completions")?;
            Ok(0)
        }
        Command::Man { out } => man(out.as_deref().map(|o| g.root.join(o)), g, stderr),
    }
}

/// `check --fix`: prints the diff of each fix (on stdout before human
/// findings, else on stderr, leaving stdout to the format), writes them
/// unless `--dry-run`, and checks again: the report of what remains.
fn fix(
    paths: &Paths,
    options: &check::CheckOptions,
    report: check::CheckReport,
    args: &cli::CheckArgs,
    g: &cli::Global,
    stderr: &mut dyn Write,
) -> Result<check::CheckReport> {
    let diff: String = report.fixes.iter().map(|f| f.diff()).collect();
    if args.format == cli::CheckFormat::Human {
        // A blank line between the diffs and the findings that follow.
        print(&diff, "the fixes")?;
        if !diff.is_empty() {
            print("\n", "the fixes")?;
        }
    } else {
        let _ = write!(stderr, "{diff}");
    }
    if !g.quiet {
        let _ = writeln!(
            stderr,
            "{}",
            check::fix::summary(&report.fixes, args.dry_run)
        );
    }
    if args.dry_run || report.fixes.is_empty() {
        return Ok(report);
    }
    check::fix::apply(&report.fixes)?;
    check::run(paths, options)
}

/// `almanac man`: the main page to stdout, or every page into `out`.
fn man(out: Option<std::path::PathBuf>, g: &cli::Global, stderr: &mut dyn Write) -> Result<i32> {
    let command = Cli::command();
    let Some(dir) = out else {
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut page)
            .map_err(|e| Error::Io {
                context: "rendering the man page".into(),
                source: e,
            })?;
        print(&String::from_utf8_lossy(&page), "the man page")?;
        return Ok(0);
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("creating", &dir, e))?;
    clap_mangen::generate_to(command, &dir)
        .map_err(|e| Error::io("writing man pages into", &dir, e))?;
    if !g.quiet {
        let _ = writeln!(stderr, "wrote man pages into {}", dir.display());
    }
    Ok(0)
}

/// Tells what a build did on stderr: its warnings, its findings, and what it
/// wrote (1 when `--strict` found broken links and nothing was written).
fn tell_build(
    report: &build::BuildReport,
    strict: bool,
    g: &cli::Global,
    stderr: &mut dyn Write,
) -> Result<i32> {
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
        if strict || !g.quiet {
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
            let line = match lap.peak_kb {
                Some(kb) => {
                    // How many cores were busy on average: 1.0 is a serial stage.
                    let cores =
                        lap.cpu
                            .filter(|_| !lap.took.is_zero())
                            .map_or(String::new(), |cpu| {
                                let busy = cpu.as_secs_f64() / lap.took.as_secs_f64();
                                format!(", {busy:.1} cores")
                            });
                    format!("{lap}  (peak {} MB{cores})", kb / 1024)
                }
                None => lap.to_string(),
            };
            say(stderr, line)?;
        }
        if let Some((shared, linked)) = report.shared_renderings {
            say(
                stderr,
                format!("versions: {shared} pages' markdown rendered once for several versions"),
            )?;
            say(
                stderr,
                format!(
                    "versions: {linked} pages linked to the same page of the next version, unrendered"
                ),
            )?;
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

/// Writes `text` (`what` names it in messages) to stdout. A reader that went
/// away (`almanac check | head`) is an error like any other here; `main`
/// ends the run quietly on it.
fn print(text: &str, what: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::Io {
            context: format!("writing {what} to stdout"),
            source: e,
        })
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(target_os = "linux")]
    fn no_huge_pages_turns_them_off_for_the_process() {
        // The flag is inherited: a test runner started with it set proves
        // nothing here, so the test reads it only after.
        super::no_huge_pages();
        // SAFETY: reads a process-wide flag.
        let after = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(after, 1);
    }

    #[test]
    fn option_15_is_mimallocs_purge_delay() {
        // `lean_allocator` sets the purge delay by its number, which the
        // bindings do not name: a mimalloc that numbers its options
        // otherwise would have it set another one. Its neighbours default
        // to 1 and 0; the purge delay to 1,000 ms in the mimalloc 3 that
        // libmimalloc-sys 0.1.49 builds (`options.c`).
        unsafe extern "C" {
            fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
        }
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads an option; mimalloc is this binary's allocator.
            assert_eq!(unsafe { mi_option_get(15) }, 1000);
        }
    }
}
