//! The default theme's `page.html` and `section.html` (with `base.html`)
//! written out directly, byte for byte what Tera renders from them: a page's
//! chrome through the template engine cost as much as its markdown. Used only
//! while a site keeps those three templates as the theme has them; a test
//! renders every page both ways and compares.

use super::context::{PageView, SiteView};
use crate::markdown::escape_into as esc;

/// The page without its content, and where the content goes: written around
/// it, the page's HTML is never copied.
pub(crate) fn chrome(site: &SiteView, root: &str, page: &PageView) -> (String, usize) {
    let mut out = crate::markdown::reuse_buffer(page.nav_html.len() + 4096);
    let mut at = 0;
    let o = &mut out;
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\" data-root=\"");
    esc(o, root);
    o.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    if page.is_home {
        esc(o, site.title);
    } else {
        esc(o, page.title);
        o.push_str(" · ");
        esc(o, site.title);
    }
    o.push_str("</title>\n");
    match page.description.filter(|d| !d.is_empty()) {
        Some(description) => meta_description(o, description),
        None if !site.description.is_empty() => meta_description(o, site.description),
        None => {}
    }
    o.push_str("\n<meta name=\"generator\" content=\"almanac\">");
    o.push_str(&page.versions.head);
    o.push_str("\n<link rel=\"stylesheet\" href=\"");
    esc(o, root);
    o.push_str("assets/almanac.css\">\n<link rel=\"stylesheet\" href=\"");
    esc(o, root);
    o.push_str(concat!(
        "assets/highlight.css\">\n",
        "<script>document.documentElement.classList.add(\"al-js\"); document.documentElement.dataset.theme = localStorage.getItem(\"almanac-theme\") || \"\";</script>\n",
        "</head>\n<body>\n",
        "<a class=\"al-skip-link\" href=\"#content\">Skip to content</a>\n",
        "<input type=\"checkbox\" id=\"nav-toggle\" class=\"al-nav-toggle\" aria-hidden=\"true\" tabindex=\"-1\">\n",
        "<header class=\"al-topbar\">\n",
        "  <label for=\"nav-toggle\" class=\"al-nav-label\" aria-label=\"Toggle navigation\">&#9776;</label>\n",
        "  <button type=\"button\" class=\"al-nav-button\" aria-expanded=\"false\" aria-controls=\"al-sidebar\" aria-label=\"Navigation\">&#9776;</button>\n",
        "  <a class=\"al-brand\" href=\""
    ));
    esc(o, root);
    o.push_str("index.html\">");
    esc(o, site.title);
    o.push_str("</a>");
    o.push_str(&page.versions.bar);
    o.push_str(concat!(
        "\n",
        "  <div class=\"al-search\" role=\"search\">\n",
        "    <label for=\"search-input\" class=\"al-visually-hidden\">Search the handbook</label>\n",
        "    <input id=\"search-input\" type=\"search\" role=\"combobox\" aria-autocomplete=\"list\" placeholder=\"Search (press /)\" autocomplete=\"off\" aria-controls=\"search-results\" aria-expanded=\"false\">\n",
        "    <div id=\"search-results\" class=\"al-search-results\" role=\"listbox\" aria-label=\"Search results\" hidden></div>\n",
        "  </div>\n",
        "  <button class=\"al-theme-button\" type=\"button\" aria-label=\"Toggle dark mode\" title=\"Toggle dark mode\">&#9680;</button>\n",
        "</header>\n",
        "<div class=\"al-layout\">\n",
        "  <nav class=\"al-sidebar\" aria-label=\"Handbook\" id=\"al-sidebar\">\n    "
    ));
    o.push_str(&page.nav_html);
    o.push_str("\n  </nav>\n  <main class=\"al-main\" id=\"content\">");
    o.push_str(&page.versions.banner);
    o.push_str("\n  ");
    main(o, page, &mut at);
    o.push_str("\n  </main>\n  ");
    aside(o, page);
    o.push_str("\n</div>\n<footer class=\"al-footer\">Built with almanac</footer>\n<script src=\"");
    esc(o, root);
    o.push_str("assets/almanac.js\"></script>\n");
    o.push_str("<script defer src=\"");
    esc(o, root);
    o.push_str("assets/search.js\"></script>\n");
    if page.has_mermaid {
        o.push_str("<script src=\"");
        esc(o, root);
        o.push_str("assets/vendor/mermaid.min.js\"></script>\n<script>almanacMermaid();</script>");
    }
    o.push_str("\n</body>\n</html>\n");
    (out, at)
}

fn meta_description(o: &mut String, description: &str) {
    o.push_str("<meta name=\"description\" content=\"");
    esc(o, description);
    o.push_str("\">");
}

/// `{% block main %}` of `page.html`.
/// `{% block main %}`; `at` is set to where the content goes.
fn main(o: &mut String, page: &PageView, at: &mut usize) {
    o.push('\n');
    if !page.breadcrumbs.is_empty() {
        o.push_str("\n<nav class=\"al-breadcrumbs\" aria-label=\"Breadcrumbs\">\n  <ol>");
        for crumb in &page.breadcrumbs {
            link(o, "<li><a href=\"", &crumb.href);
            esc(o, &crumb.title);
            o.push_str("</a></li>");
        }
        o.push_str("<li aria-current=\"page\">");
        esc(o, page.title);
        o.push_str("</li></ol>\n</nav>\n");
    }
    o.push('\n');
    o.push_str("\n<article class=\"al-content\">\n");
    let owner = page.owner.filter(|s| !s.is_empty());
    if !page.audience.is_empty() || owner.is_some() || page.review_by.is_some() {
        o.push_str("\n<div class=\"al-badges\">\n  ");
        for who in page.audience {
            o.push_str("<span class=\"al-badge al-badge-audience\" title=\"Audience\">");
            esc(o, who);
            o.push_str("</span>");
        }
        o.push_str("\n  ");
        if let Some(owner) = owner {
            o.push_str("<span class=\"al-badge al-badge-owner\" title=\"Owner\">Owner: ");
            esc(o, owner);
            o.push_str("</span>");
        }
        o.push_str("\n  ");
        if let Some(date) = &page.review_by {
            o.push_str("<span class=\"al-badge al-badge-review\" title=\"Review by\">Review by ");
            esc(o, date);
            o.push_str("</span>");
        }
        o.push_str("\n</div>\n");
    }
    o.push('\n');
    if !page.has_h1 {
        o.push_str("<h1>");
        esc(o, page.title);
        o.push_str("</h1>");
        if let Some(description) = page.description.filter(|d| !d.is_empty()) {
            o.push_str("<p class=\"al-lead\">");
            esc(o, description);
            o.push_str("</p>");
        }
    }
    o.push('\n');
    *at = o.len();
    o.push('\n');
    if !page.children.is_empty() {
        o.push_str("\n<section class=\"al-children\">\n  <h2 class=\"al-children-title\">In this section</h2>\n  <ul class=\"al-cards\">\n  ");
        for child in &page.children {
            o.push_str("\n    <li class=\"al-card\">");
            link(o, "<a href=\"", &child.href);
            esc(o, &child.title);
            o.push_str("</a>");
            if let Some(description) = child.description.as_deref().filter(|d| !d.is_empty()) {
                o.push_str("<p>");
                esc(o, description);
                o.push_str("</p>");
            }
            o.push_str("</li>\n  ");
        }
        o.push_str("\n  </ul>\n</section>\n");
    }
    o.push_str("\n</article>\n");
    if page.updated.is_some() || page.edit_url.is_some() {
        o.push_str("<div class=\"al-page-meta\">\n  ");
        if let Some(updated) = &page.updated {
            o.push_str("<span class=\"al-updated\">Last updated ");
            esc(o, &updated.date);
            o.push_str(" by ");
            esc(o, &updated.author);
            o.push_str("</span>");
        }
        o.push_str("\n  ");
        if let Some(edit) = &page.edit_url {
            o.push_str("<a class=\"al-edit-link\" href=\"");
            esc(o, edit);
            o.push_str("\">Edit this page</a>");
        }
        o.push_str("\n</div>");
    }
    o.push_str("\n<nav class=\"al-pager\" aria-label=\"Previous and next page\">\n  ");
    match &page.prev {
        Some(prev) => {
            link(o, "<a class=\"al-prev\" rel=\"prev\" href=\"", &prev.href);
            o.push_str("<span>Previous</span>");
            esc(o, &prev.title);
            o.push_str("</a>");
        }
        None => o.push_str("<span></span>"),
    }
    o.push_str("\n  ");
    if let Some(next) = &page.next {
        link(o, "<a class=\"al-next\" rel=\"next\" href=\"", &next.href);
        o.push_str("<span>Next</span>");
        esc(o, &next.title);
        o.push_str("</a>");
    }
    o.push_str("\n</nav>\n");
}

/// `open` (an `<a …href="` up to the URL), then `{{ href }}">`.
fn link(o: &mut String, open: &str, href: &str) {
    o.push_str(open);
    esc(o, href);
    o.push_str("\">");
}

/// `{% block aside %}` of `page.html`.
fn aside(o: &mut String, page: &PageView) {
    o.push('\n');
    if page.toc.len() > 1 {
        o.push_str("\n<aside class=\"al-toc\" aria-label=\"On this page\">\n  <p class=\"al-toc-title\">On this page</p>\n  <ul>\n  ");
        toc_items(o, page);
        o.push_str("\n  </ul>\n</aside>\n");
    }
    o.push('\n');
}

/// The `{% for h in page.toc %}` list of "On this page".
fn toc_items(o: &mut String, page: &PageView) {
    for h in &page.toc {
        o.push_str("<li");
        if h.level > 2 {
            o.push_str(" class=\"al-toc-h");
            o.push(char::from(b'0' + h.level % 10));
            o.push('"');
        }
        o.push_str("><a href=\"#");
        esc(o, h.id);
        o.push_str("\">");
        esc(o, h.title);
        o.push_str("</a></li>");
    }
}
