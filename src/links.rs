//! Where links point in the output: the href a markdown link is rewritten
//! to, and the URLs of the sitemap and alias redirects.

use crate::index::{SiteIndex, Target, page_url, percent_encode_path, relative_href, section_url};
use crate::load::guides::Guide;
use crate::project::Project;

/// Where files of the repository outside the content dir are copied when a
/// page links to them.
pub(crate) const REPO_FILES_DIR: &str = "_repo";

/// The href to emit for a link written as `dest` in `guide` (whose page is
/// at `from`), or `None` to keep it; and what the link resolved to.
pub(crate) fn rewrite_link(
    index: &SiteIndex,
    guide: &Guide,
    from: &str,
    dest: &str,
    blob_base: Option<&str>,
) -> (Option<String>, Option<Target>) {
    let target = match index.resolve(&guide.path, dest) {
        Target::Missing { .. }
            if let Some(served) =
                index.resolve_served(&guide.path, dest, crate::index::is_page_url(dest)) =>
        {
            served
        }
        target => target,
    };
    (href_for(index, from, &target, blob_base), Some(target))
}

/// The href from the page at `from` to a resolved link target, or `None`
/// to keep the link as written.
pub(crate) fn href_for(
    index: &SiteIndex,
    from: &str,
    target: &Target,
    blob_base: Option<&str>,
) -> Option<String> {
    let relative = |to: &str| relative_href(from, to);
    let with_fragment = |mut url: String, fragment: &Option<String>| {
        if let Some(f) = fragment {
            url.push('#');
            crate::index::push_percent_encoded(&mut url, f);
        }
        url
    };
    match target {
        // A withheld file is not copied: the link stays as written, and check reports it.
        Target::External
        | Target::SamePage { .. }
        | Target::OutsideRoot
        | Target::Withheld { .. } => None,
        Target::Page { page, fragment } => {
            Some(with_fragment(relative(index.guide_url(*page)), fragment))
        }
        Target::Section { dir, fragment } => {
            Some(with_fragment(relative(&section_url(dir)), fragment))
        }
        Target::Asset { path } => Some(relative(path)),
        Target::Generated { url, fragment } => Some(with_fragment(relative(url), fragment)),
        // The repository's root: its page on the host, or the link as written.
        Target::RepoFile { path } if path.is_empty() => {
            blob_base.map(|base| match base.rfind("/blob/") {
                Some(at) => format!("{}/tree/{}", &base[..at], &base[at + 6..]),
                None => base.to_string(),
            })
        }
        Target::RepoFile { path } => Some(match blob_base {
            Some(base) => format!("{base}/{}", percent_encode_path(path)),
            None => relative(&format!("{REPO_FILES_DIR}/{path}")),
        }),
        Target::Missing { path, fragment } => {
            // Keep broken `.md` links pointing where the page would be, never at a `.md`.
            let rel = index.content_rel(path)?;
            rel.ends_with(".md")
                .then(|| with_fragment(relative(&page_url(rel)), fragment))
        }
    }
}

/// `https://host/org/repo/blob/main` when a repository URL is configured.
pub(crate) fn blob_base(project: &Project) -> Option<String> {
    let repo = project.config.repo_url.as_deref()?.trim_end_matches('/');
    Some(format!("{repo}/blob/{}", project.config.edit_branch))
}

/// `release/index.html` → `https://host/release/`.
pub(crate) fn sitemap_url(base: &str, url: &str) -> String {
    let path = url.strip_suffix("index.html").unwrap_or(url);
    format!("{base}/{}", percent_encode_path(path))
}

/// Where an alias's redirect page goes: `old/guide.md`, `old/guide.html` or `old/guide/`.
pub(crate) fn alias_url(alias: &str) -> String {
    let alias = alias.trim_start_matches('/');
    if alias.ends_with(".md") {
        page_url(alias)
    } else if alias.ends_with('/') || alias.is_empty() {
        format!("{alias}index.html")
    } else if alias.ends_with(".html") {
        alias.to_string()
    } else {
        format!("{alias}.html")
    }
}
