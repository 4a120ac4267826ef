//! The Atom feed of shipped releases (`releases.xml`). What names it stably
//! is `releases::FeedSite`.

use crate::markdown::escape;
use crate::releases::{FeedSite, Release};

/// `releases.xml`: an Atom feed (RFC 4287) with one entry per shipped
/// release, newest first, each with its changelog highlights. Its `updated`
/// is the newest release's date, so a build with nothing new changes nothing.
pub(crate) fn atom(title: &str, site: &FeedSite, releases: &[Release]) -> String {
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
            escape(&crate::releases::release_url(&r.version))
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
        .filter(|g| crate::releases::HIGHLIGHTS.contains(&g.kind.as_str()))
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
