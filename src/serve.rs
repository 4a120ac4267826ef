//! `almanac serve`: builds into a temporary folder, serves it on 127.0.0.1,
//! rebuilds what changed on every save and reloads open tabs through
//! server-sent events. A failed rebuild keeps the last good site and shows
//! the error as an overlay until it is fixed.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::build::{BuildOptions, MarkdownCache, Mode, Reuse, prepare};
use crate::error::{Error, Result};
use crate::load::history::History;
use crate::project::Paths;
use crate::timing::Timer;
use crate::watch::{self, Change, Layout};
use crate::write::Sink;

/// The script `serve` adds to every HTML page it sends (never to `build` output).
const LIVE_JS: &str = r#"(function () {
  var overlay;
  function show(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "almanac-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:99999;background:rgba(13,17,23,.92);color:#f0f6fc;padding:2rem;overflow:auto;font:14px/1.5 ui-monospace,monospace";
      document.body.appendChild(overlay);
    }
    overlay.innerHTML = "<h2 style=\"color:#ff7b72;margin-top:0\">almanac: the last change did not build</h2><p>The page below is the last good build. Fix the file and save.</p>";
    var pre = document.createElement("pre");
    pre.textContent = message;
    pre.style.whiteSpace = "pre-wrap";
    overlay.appendChild(pre);
  }
  var events = new EventSource("/__almanac/events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("build-error", function (e) { show(JSON.parse(e.data).message); });
})();
"#;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Print each rebuild's stage times (`-v`).
    pub verbose: bool,
    pub port: u16,
    pub bind: String,
    pub open: bool,
    /// The date plan statuses are as of, for every rebuild of the session.
    pub today: chrono::NaiveDate,
}

/// A serve session's memory between rebuilds.
pub struct Session {
    paths: Paths,
    options: BuildOptions,
    out: PathBuf,
    cache: MarkdownCache,
    history: Option<History>,
    /// The site's shape last time: when it holds, only changed pages are rendered.
    shape: Vec<String>,
    /// Output path → hash of what was written there.
    written: HashMap<String, u64>,
    /// Each page's search data last time.
    search_entries: crate::search::Pages,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    pub pages_rendered: usize,
    pub files_written: usize,
    pub files_removed: usize,
    /// Stage by stage, for `-v`.
    pub timings: Vec<crate::timing::Lap>,
}

impl Session {
    /// The files the pages' includes read (`{{#include}}`), wherever they
    /// are: a change to one is a change of the content.
    pub fn included_files(&self) -> HashSet<PathBuf> {
        self.cache
            .pages
            .values()
            .filter_map(|(_, r)| r.expansion.as_deref())
            .flat_map(|x| x.read.iter().map(|(path, _)| path.clone()))
            .collect()
    }

    pub fn new(paths: Paths, out: PathBuf, today: chrono::NaiveDate) -> Session {
        let options = BuildOptions {
            out: Some(out.clone()),
            today,
            ..BuildOptions::default()
        };
        Session {
            paths,
            options,
            out,
            cache: MarkdownCache::default(),
            history: None,
            shape: Vec::new(),
            written: HashMap::new(),
            search_entries: Default::default(),
        }
    }

    /// Rebuilds after `changes` (empty: everything). Guides whose text is
    /// unchanged reuse their markdown; when the site's shape (pages, titles,
    /// order) held and only guides changed, only their pages are rendered.
    /// Files are written only when their bytes changed.
    pub fn rebuild(&mut self, changes: &HashSet<Change>) -> Result<Rebuilt> {
        let mut timer = Timer::start();
        let content_only = !changes.is_empty() && changes.iter().all(|c| *c == Change::Content);
        let reuse = content_only.then_some(Reuse {
            cache: &mut self.cache,
            history: self.history.as_ref(),
        });
        let mut prepared = prepare(&self.paths, &self.options, &mut timer, Mode::Serve(reuse))?;
        let shape = prepared.shape();
        let only: Option<HashSet<usize>> = (content_only
            && shape == self.shape
            && prepared.fingerprint() == self.cache.fingerprint)
            .then(|| {
                let mut only = prepared.fresh_pages();
                // Report pages show the docs check's numbers, which any edit
                // of the content may change: they are written again with the
                // pages edited.
                only.extend(prepared.report_pages());
                only
            });
        let pages_rendered = only.as_ref().map_or(prepared.page_count(), HashSet::len);

        if self.history.is_none() {
            self.history = Some(prepared.history().clone());
        }
        let sink = LiveDir {
            dir: self.out.clone(),
            previous: &self.written,
            now: Mutex::new(HashMap::new()),
            temps: AtomicUsize::new(0),
        };
        if only.is_some() {
            // The pages not written again keep their search entries.
            prepared.keep_search_entries(std::mem::take(&mut self.search_entries));
        }
        timer.lap("what changed");
        prepared.write(&self.paths, &self.options, &sink, only.as_ref())?;
        self.search_entries = prepared.take_search_entries();
        timer.lap("write");
        // The rendered pages move into the cache for the next rebuild.
        // So do the guides, which the next load takes back unless their
        // files changed.
        let cache = prepared.into_cache();
        let now = sink.now.into_inner().unwrap_or_default();
        let files_written = now
            .iter()
            .filter(|(k, h)| self.written.get(*k) != Some(h))
            .count();
        let mut files_removed = 0;
        let mut written = now;
        if only.is_some() {
            // Pages not rendered this time are still there, unchanged.
            for (k, h) in &self.written {
                written.entry(k.clone()).or_insert(*h);
            }
        } else {
            for stale in self.written.keys().filter(|k| !written.contains_key(*k)) {
                if std::fs::remove_file(self.out.join(stale)).is_ok() {
                    files_removed += 1;
                }
            }
        }
        self.written = written;
        self.cache = cache;
        self.shape = shape;
        timer.lap("keep for next time");
        Ok(Rebuilt {
            timings: timer.laps().to_vec(),
            pages_rendered,
            files_written,
            files_removed,
        })
    }
}

/// The served folder: a file is written only when its bytes changed, to a
/// temporary name beside it and renamed into place, so a request during a
/// rebuild gets the old file or the new one, never half of one.
struct LiveDir<'a> {
    dir: PathBuf,
    previous: &'a HashMap<String, u64>,
    now: Mutex<HashMap<String, u64>>,
    /// Numbers the temporary files of this rebuild.
    temps: AtomicUsize,
}

impl LiveDir<'_> {
    fn put(&self, rel: &str, contents: &[u8]) -> Result<()> {
        let rel = &*crate::write::site_path(rel)?;
        let hash = crate::build::stable_hash(contents);
        let path = self.dir.join(rel);
        if self.previous.get(rel) != Some(&hash) || !path.exists() {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io("creating", parent, e))?;
            }
            let n = self.temps.fetch_add(1, Ordering::Relaxed);
            let temp = path.with_file_name(format!(".almanac-tmp-{}-{n}", std::process::id()));
            let written = std::fs::write(&temp, contents)
                .and_then(|()| std::fs::rename(&temp, &path))
                .map_err(|e| Error::io("writing", &path, e));
            if written.is_err() {
                let _ = std::fs::remove_file(&temp);
            }
            written?;
        }
        if let Ok(mut now) = self.now.lock() {
            now.insert(rel.to_string(), hash);
        }
        Ok(())
    }
}

impl Sink for LiveDir<'_> {
    fn write(&self, rel: &str, contents: &[u8]) -> Result<()> {
        self.put(rel, contents)
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let bytes = std::fs::read(from).map_err(|e| Error::io("reading", from, e))?;
        self.put(rel, &bytes)
    }
}

/// The file a URL path names inside `root`, or the HTTP status to answer:
/// 400 for what cannot be a path, 404 for what is not there or leaves `root`
/// (`..`, encoded or not, and symlinks pointing out).
pub fn resolve(root: &Path, url_path: &str) -> std::result::Result<PathBuf, u16> {
    let path = url_path.split(['?', '#']).next().unwrap_or("");
    let decoded = crate::index::percent_decode(path);
    if decoded.contains(['\0', '\\']) || !decoded.starts_with('/') {
        return Err(400);
    }
    let mut file = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == ".." || segment == "." || segment.contains(':') {
            return Err(404);
        }
        file.push(segment);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let canonical = file.canonicalize().map_err(|_| 404u16)?;
    let root = root.canonicalize().map_err(|_| 404u16)?;
    if !canonical.starts_with(&root) || !canonical.is_file() {
        return Err(404);
    }
    Ok(canonical)
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" | "sh" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Server-sent-event streams of the open tabs.
#[derive(Default, Clone)]
struct Clients {
    streams: Arc<Mutex<Vec<Box<dyn Write + Send>>>>,
    /// The current build error, sent to tabs that connect while it lasts.
    error: Arc<Mutex<Option<String>>>,
}

impl Clients {
    fn broadcast(&self, event: &str, data: &str) {
        let message = format!("event: {event}\ndata: {data}\n\n");
        if let Ok(mut streams) = self.streams.lock() {
            streams.retain_mut(|s| {
                s.write_all(message.as_bytes())
                    .and_then(|_| s.flush())
                    .is_ok()
            });
        }
    }

    fn set_error(&self, error: Option<String>) {
        if let Ok(mut e) = self.error.lock() {
            *e = error;
        }
    }
}

fn error_event(message: &str) -> String {
    serde_json::json!({ "message": message }).to_string()
}

pub fn run(
    paths: &Paths,
    options: &ServeOptions,
    color: bool,
    stderr: &mut dyn Write,
) -> Result<i32> {
    let root = paths
        .root
        .canonicalize()
        .map_err(|e| Error::io("opening", &paths.root, e))?;
    let paths = Paths {
        root: root.clone(),
        ..paths.clone()
    };
    let out = std::env::temp_dir().join(format!("almanac-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| Error::io("creating", &out, e))?;
    let _scratch = Scratch(out.clone());
    // Before anything is announced: a signal from then on stops serve
    // through its loop, which removes the folder.
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        let _ = ctrlc::set_handler(move || {
            stop.store(true, Ordering::SeqCst);
        });
    }
    let clients = Clients::default();
    let mut session = Session::new(paths.clone(), out.clone(), options.today);
    // With `versions:`, the releases `almanac build` wrote in folders of the
    // output are linked from the switcher and served from there.
    let built = crate::versions::for_serve(&paths).map(|(version, public, dirs)| {
        session.options.version = Some(version);
        Built { public, dirs }
    });
    let started = Instant::now();
    match session.rebuild(&HashSet::new()) {
        Ok(r) => say(
            stderr,
            &format!(
                "built {} pages in {} ms",
                r.pages_rendered,
                started.elapsed().as_millis()
            ),
        ),
        Err(e) => {
            say(stderr, &e.render(color));
            clients.set_error(Some(e.render(false)));
        }
    }
    listen(options, &out, built, &clients, stderr)?;
    let (tx, rx) = std::sync::mpsc::channel();
    let layout = watch_layout(&paths, &root, &out);
    let _watcher = watch::watch(&root, tx)?;
    let live = Live {
        session: &mut session,
        clients: &clients,
        options,
        color,
    };
    live.follow(&layout, &rx, &stop, stderr);
    // The connections' threads end with the process; the folder goes with
    // `Scratch`.
    say(stderr, "stopped");
    Ok(0)
}

/// Writes `line` to stderr, as serve tells what it does.
fn say(stderr: &mut dyn Write, line: &str) {
    let _ = writeln!(stderr, "{line}");
}

/// Serves `out` on the address `options` name, in threads of its own; opens
/// a browser when asked.
/// The versions an earlier build wrote in folders of the output, which
/// `serve` serves as they are.
struct Built {
    /// The output folder.
    public: PathBuf,
    /// Their folders (`v1.1.0/`).
    dirs: Vec<String>,
}

fn listen(
    options: &ServeOptions,
    out: &Path,
    built: Option<Built>,
    clients: &Clients,
    stderr: &mut dyn Write,
) -> Result<()> {
    let server = crate::http::Server::bind((options.bind.as_str(), options.port)).map_err(|e| {
        Error::Listen {
            bind: options.bind.clone(),
            port: options.port,
            source: e,
        }
    })?;
    let addr = server.local_addr().map_or_else(
        |_| format!("{}:{}", options.bind, options.port),
        |a| a.to_string(),
    );
    say(
        stderr,
        &format!(
            "serving {} at http://{addr}/ (Ctrl-C to stop)",
            out.display()
        ),
    );
    if options.open {
        let _ = std::process::Command::new("xdg-open")
            .arg(format!("http://{addr}/"))
            .spawn();
    }
    let (clients, served) = (clients.clone(), out.to_path_buf());
    server
        .spawn(Arc::new(
            move |request: &crate::http::Request, stream: &std::net::TcpStream| {
                handle(request, stream, &served, built.as_ref(), &clients)
            },
        ))
        .map_err(|e| Error::io("starting the server for", out, e))?;
    Ok(())
}

/// Where the watcher tells content, data, config and output apart: the
/// project's folders as its config names them, or the defaults.
fn watch_layout(paths: &Paths, root: &Path, out: &Path) -> Layout {
    let project = crate::project::Project::load(paths, false, crate::project::Load::Lenient).ok();
    Layout {
        root: root.to_path_buf(),
        content: project
            .as_ref()
            .map_or_else(|| root.join("content"), |p| p.content_dir.clone()),
        data: project
            .as_ref()
            .map_or_else(|| root.join("data"), |p| p.data_dir.clone()),
        config: root.join(paths.config.as_deref().unwrap_or(Path::new("almanac.yaml"))),
        output: out.to_path_buf(),
    }
}

/// A serve session and the tabs it reloads.
struct Live<'a> {
    session: &'a mut Session,
    clients: &'a Clients,
    options: &'a ServeOptions,
    color: bool,
}

impl Live<'_> {
    /// Rebuilds on each batch of changes until `stop`.
    fn follow(
        mut self,
        layout: &Layout,
        rx: &std::sync::mpsc::Receiver<Vec<PathBuf>>,
        stop: &AtomicBool,
        stderr: &mut dyn Write,
    ) {
        let mut included = self.session.included_files();
        while !stop.load(Ordering::SeqCst) {
            let Ok(batch) = rx.recv_timeout(Duration::from_millis(200)) else {
                continue;
            };
            let classify = |p: &PathBuf| {
                watch::classify(layout, p).or_else(|| {
                    let real = p.canonicalize().unwrap_or_else(|_| p.clone());
                    (included.contains(&real) || included.contains(p)).then_some(Change::Content)
                })
            };
            let mut changes: HashSet<Change> = batch.iter().filter_map(classify).collect();
            // Later batches that arrived meanwhile join this rebuild.
            while let Ok(more) = rx.try_recv() {
                changes.extend(more.iter().filter_map(classify));
            }
            if changes.is_empty() {
                continue;
            }
            if self.rebuild(&changes, stderr) {
                included = self.session.included_files();
            }
        }
    }

    /// Rebuilds after `changes` and tells the tabs: reload, or the error.
    /// Whether the rebuild succeeded.
    fn rebuild(&mut self, changes: &HashSet<Change>, stderr: &mut dyn Write) -> bool {
        let started = Instant::now();
        match self.session.rebuild(changes) {
            Ok(r) => {
                self.clients.set_error(None);
                say(
                    stderr,
                    &format!(
                        "rebuilt in {} ms: {} pages rendered, {} files written, {} removed",
                        started.elapsed().as_millis(),
                        r.pages_rendered,
                        r.files_written,
                        r.files_removed
                    ),
                );
                if self.options.verbose {
                    for lap in &r.timings {
                        say(stderr, &lap.to_string());
                    }
                }
                self.clients.broadcast("reload", "{}");
                true
            }
            Err(e) => {
                say(stderr, &e.render(self.color));
                let plain = e.render(false);
                self.clients.broadcast("build-error", &error_event(&plain));
                self.clients.set_error(Some(plain));
                false
            }
        }
    }
}

/// `serve`'s output folder, removed however `serve` ends: stopped by a
/// signal, or unable to listen.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn handle(
    request: &crate::http::Request,
    stream: &std::net::TcpStream,
    out: &Path,
    built: Option<&Built>,
    clients: &Clients,
) -> crate::http::Answer {
    use crate::http::Answer;
    let url = request.url.as_str();
    let text = |status: u16, body: &str| Answer::Body {
        status,
        headers: Vec::new(),
        body: body.as_bytes().to_vec(),
    };
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return text(405, "method not allowed");
    }
    if url.starts_with("/__almanac/events") {
        let Ok(mut stream) = stream.try_clone() else {
            return Answer::Taken;
        };
        // A tab that stops reading does not hold up the others for long.
        let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
        let opened = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: connected\n\n")
            .and_then(|_| stream.flush());
        if opened.is_ok() {
            let error = clients.error.lock().ok().and_then(|e| e.clone());
            if let Some(message) = error {
                let _ = write!(
                    stream,
                    "event: build-error\ndata: {}\n\n",
                    error_event(&message)
                );
                let _ = stream.flush();
            }
            if let Ok(mut streams) = clients.streams.lock() {
                streams.push(Box::new(stream));
            }
        }
        return Answer::Taken;
    }
    if url.starts_with("/__almanac/live.js") {
        return Answer::Body {
            status: 200,
            headers: vec![("Content-Type", "text/javascript; charset=utf-8".into())],
            body: LIVE_JS.as_bytes().to_vec(),
        };
    }
    // A built version's folder is served from the output.
    let from = built
        .filter(|b| {
            b.dirs.iter().any(|d| {
                url.strip_prefix('/')
                    .is_some_and(|u| u.starts_with(d.as_str()))
            })
        })
        .map_or(out, |b| b.public.as_path());
    let (status, path) = match resolve(from, url) {
        Ok(path) => (200, path),
        Err(code) => (code, out.join("404.html")),
    };
    let mut body = std::fs::read(&path).unwrap_or_else(|_| b"not found".to_vec());
    let kind = if path.exists() {
        content_type(&path)
    } else {
        "text/plain; charset=utf-8"
    };
    if kind.starts_with("text/html") {
        let html = String::from_utf8_lossy(&body);
        let tag = "<script src=\"/__almanac/live.js\"></script>";
        let injected = match html.rfind("</body>") {
            Some(i) => format!("{}{tag}{}", &html[..i], &html[i..]),
            None => format!("{html}{tag}"),
        };
        body = injected.into_bytes();
    }
    Answer::Body {
        status,
        headers: vec![
            ("Content-Type", kind.to_string()),
            ("Cache-Control", "no-store".to_string()),
        ],
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_stays_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("guide")).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::write(root.join("guide/index.html"), "g").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let root_file = |p: &str| root.canonicalize().unwrap().join(p);
        assert_eq!(resolve(&root, "/"), Ok(root_file("index.html")));
        assert_eq!(
            resolve(&root, "/guide/?q=1"),
            Ok(root_file("guide/index.html"))
        );
        assert_eq!(resolve(&root, "/guide"), Ok(root_file("guide/index.html")));
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/guide/%2E%2E/%2e%2e/secret.txt",
            "/missing.html",
        ] {
            assert_eq!(resolve(&root, bad), Err(404), "{bad}");
        }
        assert_eq!(resolve(&root, "/a%00b"), Err(400));
        assert_eq!(resolve(&root, "/..%5csecret.txt"), Err(400));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt"))
                .unwrap();
            assert_eq!(
                resolve(&root, "/link.txt"),
                Err(404),
                "a symlink out of the root"
            );
        }
    }
}
