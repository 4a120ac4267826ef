//! `check --external`: external URLs fetched concurrently, with a timeout,
//! retries with backoff for transient failures, a cache of recent successes
//! and exclude patterns. Only this module talks to the network.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use globset::GlobSet;
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

    let outcomes = fetch_all(&urls, config);
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

/// Fetches `urls` with `config.concurrency` workers; outcomes in `urls` order.
pub fn fetch_all(urls: &[&str], config: &ExternalConfig) -> Vec<Outcome> {
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
