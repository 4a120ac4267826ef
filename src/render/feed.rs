//! What names the release feeds stably (the UID domain of `calendar.ics`,
//! the ids of `releases.xml`), and the Atom feed of shipped releases.

use chrono::{DateTime, Utc};

use crate::markdown::escape;
use crate::releases::Release;

/// The stable names and the build time the feeds need.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedSite {
    /// The host part of iCal UIDs and Atom tag URIs.
    pub uid_domain: String,
    /// The feed's build time: `SOURCE_DATE_EPOCH` when set, else the start
    /// of today (UTC).
    pub stamp: DateTime<Utc>,
    /// The site's URL with a trailing `/`, for absolute links; else links
    /// are relative to the feed, which sits at the site root.
    pub base: String,
}

impl FeedSite {
    /// The UID domain is `uid_domain` from the calendar when set, else
    /// derived from `repo_url`, else from the `origin` remote
    /// (`https://github.com/acme/tool.git` → `tool.acme.github.com`), else
    /// `almanac.invalid`: never from the site's title, which may change.
    pub fn new(
        explicit: Option<&str>,
        repo_url: Option<&str>,
        remote: Option<&str>,
        base_url: Option<&str>,
    ) -> FeedSite {
        let uid_domain = explicit
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .or_else(|| repo_url.and_then(domain_of_url))
            .or_else(|| remote.and_then(domain_of_url))
            .unwrap_or_else(|| "almanac.invalid".into());
        FeedSite {
            uid_domain,
            stamp: build_time(),
            base: base_url
                .map(|u| format!("{}/", u.trim_end_matches('/')))
                .unwrap_or_default(),
        }
    }
}

/// `SOURCE_DATE_EPOCH` when set (reproducible builds), else the start of
/// today in UTC: to the day, so that builds of one day (a full build and
/// `serve`'s rebuilds) write the same bytes.
pub fn build_time() -> DateTime<Utc> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(|| {
            let today = Utc::now().date_naive();
            today.and_time(chrono::NaiveTime::MIN).and_utc()
        })
}

/// A repository URL as a domain-like name: `https://github.com/acme/tool.git`,
/// `git@github.com:acme/tool.git` and `ssh://git@github.com:22/acme/tool`
/// all give `tool.acme.github.com`.
pub fn domain_of_url(url: &str) -> Option<String> {
    let url = url.trim();
    let (rest, scp) = match url.split_once("://") {
        Some((_, rest)) => (rest, false),
        None => (url, true),
    };
    let (host, path) = if scp {
        rest.split_once(':')?
    } else {
        rest.split_once('/').unwrap_or((rest, ""))
    };
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).rev().collect();
    parts.push(host);
    let domain: String = parts
        .join(".")
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        .collect();
    let domain = domain.trim_matches('.').to_string();
    (!host.is_empty() && !domain.is_empty()).then_some(domain)
}

/// `releases.xml`: an Atom feed (RFC 4287) with one entry per shipped
/// release, newest first, each with its changelog highlights. Its `updated`
/// is the newest release's date, so a build with nothing new changes nothing.
pub fn atom(title: &str, site: &FeedSite, releases: &[Release]) -> String {
    let mut shipped: Vec<&Release> = releases
        .iter()
        .filter(|r| r.status == crate::releases::ReleaseStatus::Released && r.actual.is_some())
        .collect();
    shipped.sort_by(|a, b| {
        b.actual
            .cmp(&a.actual)
            .then_with(|| crate::load::history::compare_versions(&b.version, &a.version))
    });
    let time = |r: &Release| {
        r.actual
            .map(|d| format!("{d}T00:00:00Z"))
            .unwrap_or_default()
    };
    let base = &site.base;
    let domain = escape(&site.uid_domain);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{} releases</title>\n", escape(title)));
    out.push_str(&format!("  <id>tag:{domain},2000:releases</id>\n"));
    if !base.is_empty() {
        out.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}releases.xml\"/>\n",
            escape(base)
        ));
    }
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}calendar/index.html\"/>\n",
        escape(base)
    ));
    out.push_str(&format!(
        "  <updated>{}</updated>\n",
        shipped
            .first()
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |r| time(r))
    ));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n  <generator>almanac</generator>\n",
        escape(title)
    ));
    for r in shipped {
        let name = r
            .name
            .as_deref()
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        let pre = if r.prerelease { " (pre-release)" } else { "" };
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <title>{}{}{pre}</title>\n",
            escape(&r.version),
            escape(&name)
        ));
        out.push_str(&format!(
            "    <id>tag:{domain},2000:release/{}</id>\n",
            escape(&r.version)
        ));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}{}\"/>\n",
            escape(base),
            escape(&super::data::release_url(&r.version))
        ));
        out.push_str(&format!("    <updated>{}</updated>\n", time(r)));
        out.push_str(&format!("    <published>{}</published>\n", time(r)));
        out.push_str(&format!(
            "    <summary>{} release {}, shipped {}{}.</summary>\n",
            r.kind.as_str(),
            escape(&r.version),
            r.actual.map(|d| d.to_string()).unwrap_or_default(),
            match r.commits {
                0 => String::new(),
                1 => ", 1 commit".to_string(),
                n => format!(", {n} commits"),
            }
        ));
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            escape(&highlights_html(r))
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// A release's changelog highlights (breaking changes, features, fixes,
/// performance) as HTML.
fn highlights_html(r: &Release) -> String {
    let mut html = String::new();
    for group in r
        .changelog
        .iter()
        .filter(|g| crate::report::HIGHLIGHTS.contains(&g.kind.as_str()))
    {
        html.push_str(&format!("<h3>{}</h3><ul>", escape(&group.title)));
        for c in &group.changes {
            html.push_str("<li>");
            if let Some(scope) = &c.scope {
                html.push_str(&format!("<strong>{}:</strong> ", escape(scope)));
            }
            html.push_str(&c.html);
            if let (true, Some(note)) = (group.kind == "breaking", &c.note_html) {
                html.push_str(&format!("<blockquote>{note}</blockquote>"));
            }
            html.push_str("</li>");
        }
        html.push_str("</ul>");
    }
    if html.is_empty() {
        html.push_str("<p>No breaking changes, features or fixes.</p>");
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_domains_from_repository_urls() {
        for url in [
            "https://github.com/acme/tool.git",
            "git@github.com:acme/tool.git",
            "ssh://git@github.com:22/acme/tool",
            "https://user@GitHub.com/acme/tool/",
        ] {
            assert_eq!(
                domain_of_url(url).as_deref(),
                Some("tool.acme.github.com"),
                "{url}"
            );
        }
        let site = FeedSite::new(None, None, None, None);
        assert_eq!(site.uid_domain, "almanac.invalid");
        let site = FeedSite::new(
            Some("cal.example.org"),
            Some("https://x.org/a/b"),
            None,
            None,
        );
        assert_eq!(site.uid_domain, "cal.example.org");
    }
}
