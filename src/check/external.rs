//! `check --external`: external URLs fetched concurrently, with a timeout,
//! retries with backoff for transient failures, a cache of recent successes
//! and exclude patterns, with a progress bar for a person watching. Only
//! this module talks to the network.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use globset::GlobSet;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::{Deserialize, Serialize};

use super::{Finding, Kind};
use crate::config::ExternalConfig;
use crate::load::guides::Guide;
use crate::markdown::Rendered;

/// How one URL fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// An HTTP status that is not success.
    Status(u16),
    /// No answer: a timeout, a refused connection, an unknown host.
    Failed(String),
}

/// Whether fetching draws a progress bar (on stderr).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Hidden,
    Bar,
}

impl Progress {
    /// A bar only for a person watching: stderr is a terminal, the run is
    /// not in CI (`CI` set, as GitHub, GitLab, Jenkins' plugins and most CI
    /// services do) and `-q` was not given.
    pub fn decide(stderr_is_terminal: bool, ci: bool, quiet: bool) -> Progress {
        if stderr_is_terminal && !ci && !quiet {
            Progress::Bar
        } else {
            Progress::Hidden
        }
    }

    /// The bar for `len` URLs; a hidden one draws nothing.
    fn bar(self, len: usize) -> ProgressBar {
        if self == Progress::Hidden || len == 0 {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} checking external links {pos}/{len} [{bar:30}] {elapsed} {wide_msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(Duration::from_millis(100));
        bar
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    /// URL → unix seconds of its last successful check.
    ok: BTreeMap<String, u64>,
}

/// Findings for every failing external link of the guides.
pub fn check(
    root: &Path,
    guides: &[Guide],
    rendered: &[Rendered],
    config: &ExternalConfig,
    exclude: &GlobSet,
    progress: Progress,
) -> Vec<Finding> {
    let mut uses: HashMap<&str, Vec<(usize, usize, usize)>> = HashMap::new();
    for (g, page) in rendered.iter().enumerate() {
        for link in &page.links {
            let url = link.target.as_str();
            if (url.starts_with("http://") || url.starts_with("https://")) && !exclude.is_match(url)
            {
                uses.entry(url)
                    .or_default()
                    .push((g, link.line, link.column));
            }
        }
    }
    let cache_path = root.join(&config.cache_file);
    let mut cache: Cache = std::fs::read_to_string(&cache_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let max_age = config.cache_max_age_hours * 3600;
    let mut urls: Vec<&str> = uses
        .keys()
        .copied()
        .filter(|u| {
            cache
                .ok
                .get(*u)
                .is_none_or(|&t| now.saturating_sub(t) > max_age)
        })
        .collect();
    urls.sort_unstable();

    let bar = progress.bar(urls.len());
    let outcomes = fetch_all(&urls, config, &bar);
    bar.finish_and_clear();
    let mut findings = Vec::new();
    for (url, outcome) in urls.iter().zip(outcomes) {
        let message = match outcome {
            Outcome::Ok => {
                cache.ok.insert(url.to_string(), now);
                continue;
            }
            Outcome::Status(code) => format!("{url} answered HTTP {code}"),
            Outcome::Failed(why) => format!("{url} failed: {why}"),
        };
        for &(g, line, column) in &uses[url] {
            findings.push(Finding::new(
                Kind::ExternalLink,
                &guides[g].file,
                line,
                column,
                *url,
                &message,
            ));
        }
    }
    cache
        .ok
        .retain(|_, &mut t| now.saturating_sub(t) <= max_age);
    if let Some(dir) = cache_path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(text) = serde_json::to_string_pretty(&cache) {
        let _ = std::fs::write(&cache_path, text);
    }
    findings
}

/// Fetches `urls` with `config.concurrency` workers; outcomes in `urls`
/// order. `bar` moves on as each is done.
pub fn fetch_all(urls: &[&str], config: &ExternalConfig, bar: &ProgressBar) -> Vec<Outcome> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(config.timeout_secs.max(1))))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!(
            "almanac/",
            env!("CARGO_PKG_VERSION"),
            " (docs link check)"
        ))
        .build()
        .into();
    let next = Mutex::new(0usize);
    let results = Mutex::new(vec![Outcome::Ok; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..config.concurrency.clamp(1, 64).min(urls.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = {
                        let Ok(mut n) = next.lock() else { return };
                        let i = *n;
                        *n += 1;
                        i
                    };
                    let Some(url) = urls.get(i) else { return };
                    let outcome = fetch(&agent, url, config.retries);
                    if let Ok(mut r) = results.lock() {
                        r[i] = outcome;
                    }
                    bar.set_message(url.to_string());
                    bar.inc(1);
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

/// HEAD (GET when HEAD is refused); transient failures retried with exponential backoff.
fn fetch(agent: &ureq::Agent, url: &str, retries: u32) -> Outcome {
    let mut attempt = 0;
    loop {
        let outcome = match agent.head(url).call() {
            Ok(r) if matches!(r.status().as_u16(), 405 | 501 | 403) => {
                match agent.get(url).call() {
                    Ok(r) => status_outcome(r.status().as_u16()),
                    Err(e) => Outcome::Failed(e.to_string()),
                }
            }
            Ok(r) => status_outcome(r.status().as_u16()),
            Err(e) => Outcome::Failed(e.to_string()),
        };
        let transient = match &outcome {
            Outcome::Ok => false,
            Outcome::Status(code) => *code == 429 || *code >= 500,
            Outcome::Failed(_) => true,
        };
        if !transient || attempt >= retries {
            return outcome;
        }
        std::thread::sleep(Duration::from_millis(200 << attempt.min(6)));
        attempt += 1;
    }
}

fn status_outcome(code: u16) -> Outcome {
    if (200..300).contains(&code) {
        Outcome::Ok
    } else {
        Outcome::Status(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_only_on_a_terminal_outside_ci_without_quiet() {
        for (terminal, ci, quiet, expected) in [
            (true, false, false, Progress::Bar),
            (false, false, false, Progress::Hidden),
            (true, true, false, Progress::Hidden),
            (true, false, true, Progress::Hidden),
            (false, true, true, Progress::Hidden),
        ] {
            assert_eq!(
                Progress::decide(terminal, ci, quiet),
                expected,
                "terminal {terminal}, CI {ci}, quiet {quiet}"
            );
        }
    }
}
