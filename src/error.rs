//! Errors that stop almanac from doing its job (exit code 2). Broken links and
//! other problems in the docs are findings, not errors.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a user's file, with the line shown back to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// Path relative to the project root, `/`-separated.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
    /// The offending line, without its newline.
    pub source_line: String,
    pub hint: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}:{}:{}: {}", .0.file, .0.line, .0.column, .0.message)]
    Located(Box<Located>),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("template `{name}`: {message}")]
    Template { name: String, message: String },
    #[error(
        "cannot read the git repository `{git_dir}`: {message} (`git fsck` tells what is damaged)"
    )]
    Repository { git_dir: String, message: String },
    /// `init` into a folder that already holds some of the starter's files.
    #[error("not overwriting existing files in `{}`: {}", .dir.display(), .existing.join(", "))]
    NotOverwriting { dir: PathBuf, existing: Vec<String> },
    /// The project root given is not a folder.
    #[error("project root `{}` is not a folder", .root.display())]
    RootNotAFolder { root: PathBuf },
    /// A folder named on the command line (`what` is `content` or `data`) is not there.
    #[error("{what} folder `{folder}` does not exist")]
    MissingFolder { what: &'static str, folder: String },
    /// An error in the config file not tied to a line of it; `file` names
    /// the config file when there is one.
    #[error("{}{message}", .file.as_ref().map(|f| format!("{f}: ")).unwrap_or_default())]
    Config {
        file: Option<String>,
        message: String,
    },
    /// A glob of the config's `key` that does not compile: `pattern` names
    /// the one at fault, when one is.
    #[error(
        "almanac.yaml: {key}: {}{message}",
        .pattern.as_ref().map(|p| format!("invalid pattern `{p}`: ")).unwrap_or_default()
    )]
    Pattern {
        key: String,
        pattern: Option<String>,
        message: String,
    },
    /// A `--quarter` that is not `YYYY-Qn`.
    #[error("{0}")]
    Quarter(String),
    /// A git operation `--changed-since` needs failed: `context` says which.
    #[error("{context}: {message}")]
    Git { context: String, message: String },
    /// `--changed-since` in a bare repository.
    #[error("--changed-since needs a repository with a working tree")]
    NoWorkTree,
    /// `--changed-since REV` for a revision the repository does not have.
    #[error(
        "revision `{rev}` not found.{} fetch it first, e.g. `git fetch --depth=1 origin main` for `origin/main`",
        if *.shallow { " This is a shallow clone;" } else { "" }
    )]
    UnknownRevision { rev: String, shallow: bool },
    /// `--as-of` that is not a date, outside a git repository.
    #[error("`{0}` is not a date (YYYY-MM-DD) and there is no git repository to look it up in")]
    AsOfWithoutRepository(String),
    /// `--as-of` that is neither a date nor a revision of the repository.
    #[error("`{0}` is neither a date (YYYY-MM-DD) nor a revision of this repository")]
    UnknownAsOf(String),
    /// A build of a content folder without any guide.
    #[error("no markdown guides found in `{folder}`")]
    NoGuides { folder: String },
    /// A guide whose file changed between its first read and its page.
    #[error("`{file}` changed while the site was being built: build again")]
    Changed { file: String },
    /// SIGINT or SIGTERM arrived while the site was being written.
    #[error("stopped by a signal")]
    Stopped,
    /// A path of the site that would land outside the output folder (shown escaped).
    #[error("refusing to write `{path}`: it is outside the output folder")]
    OutsideOutput { path: String },
    /// Another build holds the output folder's lock.
    #[error(
        "another almanac build is writing `{}` (it holds `{}`)\n  = hint: wait for it to finish, or build into another folder with --out",
        .out_dir.display(),
        .lock.display()
    )]
    Locked { out_dir: PathBuf, lock: PathBuf },
    /// An output folder almanac must not replace: `why`, and what to do instead.
    #[error("refusing to write the site to `{}`: {why}\n  = hint: {hint}", .out_dir.display())]
    OutputFolder {
        out_dir: PathBuf,
        why: String,
        hint: String,
    },
    /// A template error Tera reports without a place in a template.
    #[error("in the templates: {0}")]
    Templates(String),
    /// `serve` cannot bind its address.
    #[error("cannot listen on {bind}:{port}: {source}")]
    Listen {
        bind: String,
        port: u16,
        source: std::io::Error,
    },
    /// The file watcher of `serve` cannot start; `path` is the folder it
    /// could not watch, when it got that far.
    #[error(
        "cannot watch {}: {message}",
        .path.as_ref().map_or_else(|| "for changes".to_string(), |p| format!("`{}`", p.display()))
    )]
    Watch {
        path: Option<PathBuf>,
        message: String,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error at `line:column` of `text`, the contents of `file`.
    pub fn at(
        file: &str,
        text: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        let source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .to_string();
        Error::Located(Box::new(Located {
            file: file.to_string(),
            line: line.max(1),
            column: column.max(1),
            message: message.into(),
            source_line,
            hint: None,
        }))
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        if let Error::Located(loc) = &mut self {
            loc.hint = Some(hint.into());
        }
        self
    }

    /// A git repository almanac needs (for dates and releases) but cannot read.
    pub fn repository(git_dir: &str, message: impl Into<String>) -> Self {
        Error::Repository {
            git_dir: git_dir.to_string(),
            message: message.into(),
        }
    }

    pub fn io(context: impl fmt::Display, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            context: format!("{context} `{}`", path.display()),
            source,
        }
    }

    /// Renders the error the way rustc does, with the offending line and a caret.
    pub fn render(&self, color: bool) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        match self {
            Error::Located(loc) => {
                let start = loc
                    .source_line
                    .char_indices()
                    .nth(loc.column - 1)
                    .map_or(loc.source_line.len(), |(i, _)| i);
                let end = loc.source_line[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8());
                let title = Level::ERROR.primary_title(&loc.message);
                let snippet = Snippet::source(&loc.source_line)
                    .line_start(loc.line)
                    .path(&loc.file)
                    .annotation(AnnotationKind::Primary.span(start..end));
                let mut report = vec![title.element(snippet)];
                if let Some(hint) = &loc.hint {
                    report.push(Group::with_title(Level::HELP.secondary_title(hint)));
                }
                renderer.render(&report).to_string()
            }
            other => {
                let report = [Group::with_title(
                    Level::ERROR.primary_title(other.to_string()),
                )];
                renderer.render(&report).to_string()
            }
        }
    }
}

/// The text of the file at `path` (`file` names it in messages): a file that
/// is not UTF-8 is an error at the line and column of its first bad byte.
pub fn read_text(path: &Path, file: &str) -> Result<String> {
    let bytes = read_file(path).map_err(|e| Error::io("reading", path, e))?;
    text_of(file, bytes)
}

/// `read_text` for `check`, which reports every problem and stops at none:
/// a file that is not UTF-8 is read with U+FFFD for its bad bytes, and the
/// error at the first of them comes back beside the text.
pub fn read_text_lossy(path: &Path, file: &str) -> Result<(String, Option<Error>)> {
    let bytes = read_file(path).map_err(|e| Error::io("reading", path, e))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, None)),
        Err(e) => {
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Ok((text, text_of(file, e.into_bytes()).err()))
        }
    }
}

/// The most bytes a config or data file may hold.
const MAX_FILE: u64 = 256 << 20;

/// The bytes of the regular file at `path`. Anything else is refused before
/// it is opened: a FIFO would never end, `/dev/zero` never stops, a folder
/// has no text; and so is a file over 256 MB.
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::{Error as IoError, ErrorKind, Read};
    #[cfg(test)]
    crate::testing::note_read(path);
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(IoError::new(
            ErrorKind::InvalidInput,
            "not a regular file (a FIFO, a device or a folder)",
        ));
    }
    let too_large = || IoError::new(ErrorKind::InvalidData, "larger than 256 MB");
    if meta.len() > MAX_FILE {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?
        .take(MAX_FILE + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(too_large());
    }
    Ok(bytes)
}

/// `bytes` as text, or an error at the first byte that is not UTF-8.
pub fn text_of(file: &str, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let good = e.utf8_error().valid_up_to();
        // The prefix before the bad byte is valid UTF-8.
        let before = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
        let (line, column) = line_col(before, before.len());
        let shown = String::from_utf8_lossy(bytes);
        Error::at(
            file,
            &shown,
            line,
            column,
            format!(
                "not UTF-8 text: byte 0x{:02X} is not valid here",
                bytes[good]
            ),
        )
        .with_hint("save the file as UTF-8")
    })
}

/// `path` relative to `root`, `/`-separated, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    rel.to_string_lossy().replace('\\', "/")
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(offset)
}

/// Offset → line:column look-ups in a text. Nothing is counted up front:
/// `line_col` counts on from the offset asked before (offsets mostly come in
/// order), and the line starts are listed only when `line_of` or
/// `offset_of_line` first needs them. A page whose links all resolve asks
/// for none.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: std::cell::OnceCell<Vec<usize>>,
    /// The last offset `line_col` counted to, with its line and column: the
    /// next offset on the same line counts on from there, so many links on
    /// one long line cost the line once, not once each.
    counted: std::cell::Cell<(usize, usize, usize)>,
    /// Bytes looked at, for the tests that bound the work.
    #[cfg(test)]
    work: std::cell::Cell<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            starts: std::cell::OnceCell::new(),
            counted: std::cell::Cell::new((0, 1, 1)),
            #[cfg(test)]
            work: std::cell::Cell::new(0),
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            self.worked(self.text.len());
            let mut starts = Vec::with_capacity(self.text.len() / 40 + 1);
            starts.push(0);
            starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
            starts
        })
    }

    /// 1-based line of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts().partition_point(|&s| s <= offset)
    }

    /// Byte offset where 1-based `line` starts (the end of the text past the last line).
    pub fn offset_of_line(&self, line: usize) -> usize {
        self.starts()
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The text of 1-based `line`, without its line ending (`None` past the
    /// last line, as `str::lines` counts them).
    pub fn line_text(&self, line: usize) -> Option<&'a str> {
        let starts = self.starts();
        let start = *starts.get(line.checked_sub(1)?)?;
        if start == self.text.len() {
            return None;
        }
        let end = starts.get(line).map_or(self.text.len(), |&next| next - 1);
        let text = &self.text[start..end];
        Some(text.strip_suffix('\r').unwrap_or(text))
    }

    /// Bytes looked at so far (tests only).
    #[cfg(test)]
    pub(crate) fn work(&self) -> usize {
        self.work.get()
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let bytes = self.text.as_bytes();
        let (line, column) = match self.counted.get() {
            (from, line, column) if from <= offset => {
                self.worked(offset - from);
                let span = &bytes[from..offset];
                match memchr::memrchr(b'\n', span) {
                    None => (line, column + self.text[from..offset].chars().count()),
                    Some(last) => (
                        line + memchr::memchr_iter(b'\n', span).count(),
                        self.text[from + last + 1..offset].chars().count() + 1,
                    ),
                }
            }
            // Backwards (rare): from the start of the offset's line.
            _ => {
                let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
                self.worked(offset - start);
                (
                    self.line_of(offset),
                    self.text[start..offset].chars().count() + 1,
                )
            }
        };
        self.counted.set((offset, line, column));
        (line, column)
    }

    #[cfg(test)]
    fn worked(&self, bytes: usize) {
        self.work.set(self.work.get() + bytes);
    }

    #[cfg(not(test))]
    fn worked(&self, _: usize) {}
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let text = "ab\ncdé f\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // `f` follows a two-byte character: column counts characters.
        assert_eq!(line_col(text, text.find('f').unwrap()), (2, 5));
        assert_eq!(line_col(text, 10_000), (3, 1));
        assert_eq!(LineIndex::new(text).offset_of_line(2), 3);
    }

    #[test]
    fn line_text_agrees_with_lines() {
        for text in ["", "a", "a\n", "a\r\nb", "\n\nc\n", "x\ny\r\n\nz"] {
            let index = LineIndex::new(text);
            for n in 0..6 {
                assert_eq!(
                    index.line_text(n),
                    n.checked_sub(1).and_then(|i| text.lines().nth(i)),
                    "line {n} of {text:?}"
                );
            }
        }
    }

    /// Offsets asked in any order get the lines the list of line starts gives.
    #[test]
    fn counted_lines_agree_with_the_line_starts() {
        let text = "one\n\ntwo é\nthree\n\n\nfour";
        let mut next = crate::testing::xorshift(0xfeed_beef);
        let lines = LineIndex::new(text);
        for _ in 0..500 {
            let offset = floor_char_boundary(text, (next() % (text.len() as u64 + 3)) as usize);
            let offset = offset.min(text.len());
            let (line, column) = lines.line_col(offset);
            assert_eq!(line, lines.line_of(offset), "line at {offset}");
            let start = lines.offset_of_line(line);
            assert_eq!(
                column,
                text[start..offset].chars().count() + 1,
                "column at {offset}"
            );
        }
    }

    /// Links on one long line (issue 15): each is measured from the one
    /// before it, so twice the links on a line twice as long is twice the
    /// work, not four times.
    #[test]
    fn many_offsets_on_one_long_line_cost_the_line_once() {
        let work = |links: usize| {
            let text = "[é](x.md) ".repeat(links);
            let lines = LineIndex::new(&text);
            for (at, _) in text.match_indices("](") {
                let (line, column) = lines.line_col(at);
                assert_eq!(line, 1);
                assert_eq!(column, text[..at].chars().count() + 1);
            }
            lines.work()
        };
        let (small, large) = (work(5_000), work(10_000));
        assert!(small > 0);
        assert!(
            large <= small * 2 + 16,
            "10,000 links cost {large}, 5,000 cost {small}: more than linear"
        );
    }

    #[test]
    fn text_that_is_not_utf8_is_located_at_its_first_bad_byte() {
        let err = text_of("data/x.yaml", b"a: 1\nb: caf\xe9 x\n".to_vec()).unwrap_err();
        assert_eq!(
            err.to_string().split(": not").next(),
            Some("data/x.yaml:2:7")
        );
        assert!(err.to_string().contains("0xE9"), "{err}");
        assert_eq!(text_of("a", b"ok".to_vec()).unwrap(), "ok");
    }

    /// The typed errors say what the `Usage(String)` messages they replace said.
    #[test]
    fn typed_errors_keep_their_messages() {
        let cases = [
            (
                Error::UnknownRevision {
                    rev: "origin/main".into(),
                    shallow: true,
                },
                "revision `origin/main` not found. This is a shallow clone; fetch it first, e.g. `git fetch --depth=1 origin main` for `origin/main`",
            ),
            (
                Error::Config {
                    file: Some("almanac.yaml".into()),
                    message: "bad".into(),
                },
                "almanac.yaml: bad",
            ),
            (
                Error::Config {
                    file: None,
                    message: "bad".into(),
                },
                "bad",
            ),
            (
                Error::Pattern {
                    key: "check.ignore".into(),
                    pattern: Some("[".into()),
                    message: "unclosed".into(),
                },
                "almanac.yaml: check.ignore: invalid pattern `[`: unclosed",
            ),
            (
                Error::Pattern {
                    key: "check.ignore".into(),
                    pattern: None,
                    message: "too big".into(),
                },
                "almanac.yaml: check.ignore: too big",
            ),
            (
                Error::Watch {
                    path: None,
                    message: "no inotify".into(),
                },
                "cannot watch for changes: no inotify",
            ),
            (
                Error::Watch {
                    path: Some("/p".into()),
                    message: "gone".into(),
                },
                "cannot watch `/p`: gone",
            ),
            (
                Error::Locked {
                    out_dir: "public".into(),
                    lock: ".almanac.lock".into(),
                },
                "another almanac build is writing `public` (it holds `.almanac.lock`)\n  = hint: wait for it to finish, or build into another folder with --out",
            ),
            (
                Error::OutputFolder {
                    out_dir: "public".into(),
                    why: "it is a file, not a folder".into(),
                    hint: "choose another --out, or remove the file".into(),
                },
                "refusing to write the site to `public`: it is a file, not a folder\n  = hint: choose another --out, or remove the file",
            ),
            (
                Error::NotOverwriting {
                    dir: "x".into(),
                    existing: vec!["a".into(), "b".into()],
                },
                "not overwriting existing files in `x`: a, b",
            ),
        ];
        for (err, message) in cases {
            assert_eq!(err.to_string(), message);
        }
    }

    #[test]
    fn located_error_names_file_line_and_column() {
        let err = Error::at("content/a.md", "one\ntwo: [\n", 2, 6, "bad yaml")
            .with_hint("close the list");
        assert_eq!(err.to_string(), "content/a.md:2:6: bad yaml");
        let shown = err.render(false);
        assert!(shown.contains("two: ["), "{shown}");
        assert!(shown.contains("content/a.md:2:6"), "{shown}");
        assert!(shown.contains("close the list"), "{shown}");
    }
}
