//! The command line (DESIGN §2). Flags only; behaviour lives in the library.
//! This module and `main` are the only places that know clap: the library
//! has its own plain enums, and the flags' values map onto them here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "almanac",
    version,
    about = "Release handbooks: build the site, check the docs, write the quarterly report"
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Args)]
pub(crate) struct Global {
    /// Project root; every path in messages is relative to it.
    #[arg(
        short = 'C',
        long = "root",
        global = true,
        value_name = "DIR",
        default_value = "."
    )]
    pub(crate) root: PathBuf,
    /// Markdown guides (default: content/, else docs/).
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) content: Option<PathBuf>,
    /// YAML data files (default: data/).
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) data: Option<PathBuf>,
    /// Config file (default: almanac.yaml, optional).
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Print less (errors only).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Print more.
    #[arg(short, long, global = true)]
    pub(crate) verbose: bool,
    /// Colour in messages; `auto` honours NO_COLOR and whether stderr is a terminal.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the handbook site.
    Build(BuildArgs),
    /// Check links, anchors and documented commands (for CI).
    Check(CheckArgs),
    /// Serve the site locally and rebuild on change.
    Serve(ServeArgs),
    /// Render the quarterly release report.
    Report(ReportArgs),
    /// Start a new handbook.
    Init { dir: Option<PathBuf> },
    /// Print the JSON Schema of almanac.yaml, calendar.yaml or metrics.yaml (for editors).
    Schema {
        #[arg(value_enum)]
        file: SchemaFile,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write man pages: almanac(1) to standard output, or with --out every page to DIR.
    Man {
        /// Write almanac.1 and a page per subcommand (almanac-check.1, …) here.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// `almanac schema`: the values of `almanac::schema::SchemaFile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SchemaFile {
    /// almanac.yaml
    Config,
    /// data/calendar.yaml
    Calendar,
    /// data/metrics.yaml
    Metrics,
}

impl From<SchemaFile> for almanac::schema::SchemaFile {
    fn from(file: SchemaFile) -> Self {
        match file {
            SchemaFile::Config => Self::Config,
            SchemaFile::Calendar => Self::Calendar,
            SchemaFile::Metrics => Self::Metrics,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// Output folder (default: public/).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    /// Absolute URL the site is published at (enables sitemap.xml).
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// Include pages with `draft: true`.
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Fail (exit 1, output untouched) when a link or anchor is broken.
    #[arg(long)]
    pub(crate) strict: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub(crate) format: CheckFormat,
    /// Report only what changed since REV broke (a pull request's base).
    #[arg(long, value_name = "REV")]
    pub(crate) changed_since: Option<String>,
    /// Also fetch external URLs.
    #[arg(long)]
    pub(crate) external: bool,
    /// Warnings fail the check too (exit 1).
    #[arg(long)]
    pub(crate) deny_warnings: bool,
    /// Check the docs as they were at REV (a release tag): its pages against
    /// its own scripts, read from the repository, the working tree untouched.
    #[arg(long, value_name = "REV", conflicts_with = "changed_since")]
    pub(crate) at: Option<String>,
    /// Rewrite the links almanac can mend for certain (a page or heading
    /// renamed in this change, a fragment's letter case), print each change
    /// as a diff, then check again.
    #[arg(long, conflicts_with = "at")]
    pub(crate) fix: bool,
    /// With --fix: print the diffs, write nothing.
    #[arg(long, requires = "fix")]
    pub(crate) dry_run: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    #[arg(long, default_value_t = 1111)]
    pub(crate) port: u16,
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) bind: String,
    #[arg(long)]
    pub(crate) open: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// The quarter, e.g. 2025-Q3.
    #[arg(long, value_name = "YYYY-Qn")]
    pub(crate) quarter: String,
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub(crate) format: ReportFormat,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
    /// Pin git-derived data to a date (YYYY-MM-DD) or a revision: later tags are ignored.
    #[arg(long, value_name = "DATE|REV")]
    pub(crate) as_of: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    Html,
    Md,
    Json,
}

impl From<ReportFormat> for almanac::report::Format {
    fn from(format: ReportFormat) -> Self {
        match format {
            ReportFormat::Html => Self::Html,
            ReportFormat::Md => Self::Md,
            ReportFormat::Json => Self::Json,
        }
    }
}

/// `check --format`: the values of `almanac::check::format::Format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CheckFormat {
    Human,
    Json,
    Github,
    Sarif,
    /// JUnit XML (Jenkins, GitLab test reports).
    Junit,
    /// GitLab Code Quality JSON.
    Codeclimate,
}

impl From<CheckFormat> for almanac::check::format::Format {
    fn from(format: CheckFormat) -> Self {
        match format {
            CheckFormat::Human => Self::Human,
            CheckFormat::Json => Self::Json,
            CheckFormat::Github => Self::Github,
            CheckFormat::Sarif => Self::Sarif,
            CheckFormat::Junit => Self::Junit,
            CheckFormat::Codeclimate => Self::Codeclimate,
        }
    }
}
