//! What an MkDocs project's `mkdocs.yml` tells `check` about the pages as
//! MkDocs builds them: the ids Python-Markdown gives headings and
//! footnotes, the ids almanac cannot know (hooks, plugins and extensions
//! that change pages when the site is built), and where raw HTML paths
//! resolve (`use_directory_urls`).

use std::path::Path;

use ahash::AHashSet as HashSet;
use serde_yaml::Value;

use crate::bounded::{Read, read_bounded};
use crate::markdown::Rendered;
use crate::slug::{python_markdown_slug, python_markdown_unique};

/// An MkDocs project's settings that change what `check` may be sure of.
#[derive(Debug, Clone, Default)]
pub struct MkDocs {
    /// Why some ids of every built page cannot be known, if so: a hook
    /// that changes pages, a plugin or extension almanac does not know, a
    /// `toc` slugify it does not emulate, a config it cannot read.
    pub unknown_ids: Option<String>,
    /// `pymdownx.tabbed` is on: pages with content tabs have tab ids.
    tabbed: bool,
    /// `pymdownx.snippets` is on: pages with `--8<--` include other files.
    snippets: bool,
    /// `use_directory_urls` (MkDocs' default): `docs/a.md` is served at
    /// `a/`, one folder deeper than its file.
    pub directory_urls: bool,
}

/// Plugins that add no ids to the pages of the docs (or only ids almanac
/// sees, like autorefs' `[](){#id}`), with or without `material/`.
const KNOWN_PLUGINS: &[&str] = &[
    "search",
    "blog",
    "minify",
    "social",
    "offline",
    "privacy",
    "optimize",
    "meta",
    "info",
    "typeset",
    "autorefs",
    "git-revision-date",
    "git-revision-date-localized",
    "git-authors",
    "git-committers",
    "redirects",
    "awesome-pages",
    "literate-nav",
    "section-index",
    "glightbox",
    "rss",
    "exclude",
    "exclude-search",
    "mermaid2",
    "tags",
    "mkdocstrings",
];

/// Markdown extensions that add no ids almanac cannot see (after
/// `markdown.extensions.`), besides those handled by page (`pymdownx.tabbed`,
/// `pymdownx.snippets`, `pymdownx.blocks.tab`).
const KNOWN_EXTENSIONS: &[&str] = &[
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "toc",
    "tables",
    "fenced_code",
    "codehilite",
    "meta",
    "nl2br",
    "sane_lists",
    "smarty",
    "wikilinks",
    "extra",
    "legacy_attrs",
    "legacy_em",
    "pymdownx.arithmatex",
    "pymdownx.b64",
    "pymdownx.betterem",
    "pymdownx.caret",
    "pymdownx.critic",
    "pymdownx.details",
    "pymdownx.emoji",
    "pymdownx.escapeall",
    "pymdownx.extra",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.keys",
    "pymdownx.magiclink",
    "pymdownx.mark",
    "pymdownx.pathconverter",
    "pymdownx.progressbar",
    "pymdownx.saneheaders",
    "pymdownx.smartsymbols",
    "pymdownx.striphtml",
    "pymdownx.superfences",
    "pymdownx.tasklist",
    "pymdownx.tilde",
    "pymdownx.blocks.admonition",
    "pymdownx.blocks.caption",
    "pymdownx.blocks.definition",
    "pymdownx.blocks.details",
    "pymdownx.blocks.html",
];

/// Hook events whose functions see or change a page's content.
const PAGE_HOOKS: &[&str] = &[
    "on_page_read_source",
    "on_page_markdown",
    "on_page_content",
    "on_page_context",
    "on_post_page",
    "on_post_build",
];

impl MkDocs {
    /// The project's MkDocs settings, when `mkdocs.yml` (or `.yaml`) is at
    /// its root. A config that cannot be read or parsed still marks an
    /// MkDocs project, one whose ids are not all known.
    pub fn read(root: &Path) -> Option<MkDocs> {
        let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let name = crate::config::mkdocs_config_name(root)?;
        let read = read_bounded(&real_root, &root.join(&name));
        let unreadable = || MkDocs {
            unknown_ids: Some(format!("almanac cannot read `{name}`")),
            directory_urls: true,
            ..MkDocs::default()
        };
        let Some(text) = (match read {
            Read::Text(text) => crate::config::mkdocs_yaml(&name, &text),
            _ => None,
        }) else {
            return Some(unreadable());
        };
        // Tags (`!!python/name:…`, `!ENV`) parse as tagged values.
        let Ok(config) = serde_yaml::from_str::<Value>(&text) else {
            return Some(unreadable());
        };
        let mut mkdocs = MkDocs {
            directory_urls: !matches!(config.get("use_directory_urls"), Some(Value::Bool(false))),
            ..MkDocs::default()
        };
        let mut unknown = Vec::new();
        if config.get("INHERIT").is_some() {
            unknown.push(format!("`{name}` inherits another config (`INHERIT`)"));
        }
        for hook in entries(config.get("hooks")).map(|(name, _)| name) {
            if hook_changes_pages(&real_root, &root.join(&hook)) {
                unknown.push(format!(
                    "the hook `{hook}` changes pages as the site is built"
                ));
            }
        }
        for (plugin, _) in entries(config.get("plugins")) {
            let bare = plugin.strip_prefix("material/").unwrap_or(&plugin);
            if !KNOWN_PLUGINS.contains(&bare) {
                unknown.push(format!("the plugin `{plugin}` may change pages"));
            }
        }
        for (extension, options) in entries(config.get("markdown_extensions")) {
            let bare = extension
                .strip_prefix("markdown.extensions.")
                .unwrap_or(&extension);
            match bare {
                "toc" => {
                    if !toc_is_default(&text, options) {
                        unknown.push(
                            "`toc` makes heading ids with a slugify almanac does not emulate"
                                .to_string(),
                        );
                    }
                }
                "pymdownx.tabbed" | "pymdownx.blocks.tab" => mkdocs.tabbed = true,
                "pymdownx.snippets" => {
                    mkdocs.snippets = true;
                    if let Some(why) = appended_ids(&real_root, root, options) {
                        unknown.push(why);
                    }
                }
                known if KNOWN_EXTENSIONS.contains(&known) => {}
                other => unknown.push(format!("the markdown extension `{other}` may add ids")),
            }
        }
        // The first reason is enough to say why.
        mkdocs.unknown_ids = unknown.into_iter().next();
        Some(mkdocs)
    }

    /// Why some ids of the page with `text` cannot be known, if so: the
    /// whole project's reason, else content tabs, included snippets, an
    /// API block (`::: module`) or a tag listing in the page.
    pub fn page_unknown_ids(&self, text: &str) -> Option<String> {
        if let Some(why) = &self.unknown_ids {
            return Some(why.clone());
        }
        let lines = || text.lines().map(str::trim_start);
        if self.tabbed && lines().any(|l| l.starts_with("=== \"") || l.starts_with("/// tab")) {
            return Some("its content tabs get ids as the site is built".into());
        }
        if self.snippets && text.contains("--8<--") {
            return Some("it includes snippets of other files".into());
        }
        if lines().any(|l| l.starts_with("::: ")) {
            return Some("mkdocstrings writes its API blocks as the site is built".into());
        }
        if text.contains("<!-- material/tags") || text.contains("[TAGS]") {
            return Some("the tags plugin writes its listing as the site is built".into());
        }
        None
    }
}

/// Whether the MkDocs hook file at `path` handles a page event (so it may
/// change pages as the site is built); one that cannot be read may.
fn hook_changes_pages(real_root: &Path, path: &Path) -> bool {
    match read_bounded(real_root, path) {
        Read::Text(source) => source.lines().any(|line| {
            PAGE_HOOKS.iter().any(|event| {
                line.strip_prefix("def ")
                    .and_then(|rest| rest.trim_start().strip_prefix(event))
                    .is_some_and(|rest| rest.trim_start().starts_with('('))
            })
        }),
        _ => true,
    }
}

/// Whether the `toc` extension's `options` make heading ids as almanac
/// does: the default slugify and separator. `text` is the config file.
fn toc_is_default(text: &str, options: Option<&Value>) -> bool {
    // The parser drops `!!python/name:` tags: the line is read as written.
    let default = options.and_then(|o| o.get("slugify")).is_none()
        || toc_slugify(text).is_some_and(|value| {
            value.trim_end_matches(['\'', '"']).trim_end()
                == "!!python/name:markdown.extensions.toc.slugify"
        });
    let separator = options
        .and_then(|o| o.get("separator"))
        .is_none_or(|s| s.as_str() == Some("-"));
    default && separator
}

/// The ids MkDocs gives a page besides those almanac's site has: headings
/// slugged by Python-Markdown's rule (`_1` for duplicates), `fn:x` and
/// `fnref:x` for its footnotes, and attr_list ids on other elements
/// (`[text](url){ #id }`, a paragraph's `{: #id }`).
pub fn page_ids(text: &str, page: &Rendered) -> HashSet<String> {
    let mut used: HashSet<String> = page
        .headings
        .iter()
        .filter(|h| h.explicit)
        .map(|h| h.id.clone())
        .collect();
    let mut ids = HashSet::new();
    for heading in page.headings.iter().filter(|h| !h.explicit) {
        ids.insert(python_markdown_unique(
            python_markdown_slug(&heading.text),
            &mut used,
        ));
    }
    for label in &page.footnotes {
        ids.insert(format!("fn:{label}"));
        ids.insert(format!("fnref:{label}"));
    }
    ids.extend(attr_list_ids(text).map(str::to_string));
    ids
}

/// Ids given by attr_list blocks anywhere in `text`: `{ #id }`,
/// `{: #id .class }`, `{ id="x" }`, where every word of the block is an
/// attribute.
fn attr_list_ids(text: &str) -> impl Iterator<Item = &str> {
    text.lines().flat_map(|line| {
        line.match_indices('{').filter_map(move |(open, _)| {
            let rest = &line[open + 1..];
            let inside = &rest[..rest.find(['}', '{'])?];
            let words = inside.trim_start_matches(':').split_whitespace();
            let attribute = |w: &str| w.starts_with(['#', '.']) || w.contains('=');
            if words.clone().next().is_none() || !words.clone().all(attribute) {
                return None;
            }
            words
                .filter_map(|w| {
                    let id = w.strip_prefix('#').or_else(|| w.strip_prefix("id="))?;
                    Some(id.trim_matches(['"', '\'']))
                })
                .next_back()
        })
    })
}

/// The value of `toc`'s `slugify:` option as written in mkdocs.yml (the
/// first `slugify:` line indented under a `- toc:` entry).
fn toc_slugify(config: &str) -> Option<&str> {
    let mut lines = config.lines();
    let indent = |l: &str| l.len() - l.trim_start().len();
    while let Some(line) = lines.next() {
        let entry = line.trim_start().trim_start_matches("- ").trim_start();
        if !(entry.starts_with("toc:") || entry.starts_with("markdown.extensions.toc:")) {
            continue;
        }
        let depth = indent(line);
        for option in lines.by_ref() {
            if option.trim().is_empty() || option.trim_start().starts_with('#') {
                continue;
            }
            if indent(option) <= depth {
                break;
            }
            if let Some(value) = option.trim_start().strip_prefix("slugify:") {
                return Some(value.trim());
            }
        }
        return None;
    }
    None
}

/// The names of a list of plugins, hooks or extensions as mkdocs.yml
/// writes them (`- name`, `- name: {options}`, or a mapping), with their
/// options.
fn entries(list: Option<&Value>) -> impl Iterator<Item = (String, Option<&Value>)> {
    let items: Vec<(String, Option<&Value>)> = match list {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(name) => Some((name.clone(), None)),
                Value::Mapping(map) => map
                    .iter()
                    .next()
                    .and_then(|(k, v)| Some((k.as_str()?.to_string(), Some(v)))),
                _ => None,
            })
            .collect(),
        Some(Value::Mapping(map)) => map
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), Some(v))))
            .collect(),
        _ => Vec::new(),
    };
    items.into_iter()
}

/// Why the files `pymdownx.snippets` appends to every page may give it
/// ids, if so: one cannot be read, or has a heading or an attribute id.
/// (A glossary of `*[HTML]: …` abbreviations adds none.)
fn appended_ids(real_root: &Path, root: &Path, options: Option<&Value>) -> Option<String> {
    let options = options?;
    let bases: Vec<String> = match options.get("base_path") {
        Some(Value::String(one)) => vec![one.clone()],
        Some(Value::Sequence(many)) => many
            .iter()
            .filter_map(|b| b.as_str().map(str::to_string))
            .collect(),
        _ => vec![".".to_string()],
    };
    for (file, _) in entries(options.get("auto_append")) {
        let gives_ids = bases
            .iter()
            .map(|base| read_bounded(real_root, &root.join(base).join(&file)))
            .find(|read| !matches!(read, Read::Missing))
            .is_none_or(|read| match read {
                Read::Text(text) => text.lines().any(|l| {
                    l.starts_with('#') || l.contains("{#") || l.contains("{ #") || l.contains("id=")
                }),
                _ => true,
            });
        if gives_ids {
            return Some(format!(
                "`pymdownx.snippets` appends `{file}` to every page"
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_with_python_tags_is_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mkdocs.yml"),
            "site_name: x\nextra:\n  key: !ENV GOOGLE_KEY\nmarkdown_extensions:\n  - toc:\n      permalink: true\n  \
             - pymdownx.emoji:\n      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n  \
             - pymdownx.tabbed:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify\n        kwds:\n          case: lower\n\
             plugins:\n  - search\n  - material/blog\n",
        )
        .unwrap();
        let mkdocs = MkDocs::read(dir.path()).unwrap();
        assert_eq!(mkdocs.unknown_ids, None);
        assert!(mkdocs.tabbed && mkdocs.directory_urls);
    }

    #[test]
    fn unknown_slugify_hooks_and_plugins_make_ids_unknown() {
        let dir = tempfile::tempdir().unwrap();
        for (config, unknown) in [
            ("hooks:\n  - hooks/page.py\n", true),
            ("hooks:\n  - hooks/config.py\n", false),
            ("hooks:\n  - hooks/gone.py\n", true),
            ("plugins:\n  - macros\n", true),
            (
                "markdown_extensions:\n  - toc:\n      slugify: !!python/name:markdown.extensions.toc.slugify_unicode\n",
                true,
            ),
            (
                "markdown_extensions:\n  - toc:\n      slugify: !!python/name:markdown.extensions.toc.slugify\n",
                false,
            ),
            ("markdown_extensions: [: oops", true),
        ] {
            std::fs::create_dir_all(dir.path().join("hooks")).unwrap();
            std::fs::write(
                dir.path().join("hooks/page.py"),
                "def on_page_markdown(markdown, **kw):\n    return markdown\n",
            )
            .unwrap();
            std::fs::write(
                dir.path().join("hooks/config.py"),
                "def on_config(config):\n    return config\n",
            )
            .unwrap();
            std::fs::write(dir.path().join("mkdocs.yml"), config).unwrap();
            let mkdocs = MkDocs::read(dir.path()).unwrap();
            assert_eq!(mkdocs.unknown_ids.is_some(), unknown, "{config}");
        }
    }

    #[test]
    fn attr_list_ids_are_found_on_any_element() {
        let ids: Vec<&str> = attr_list_ids(
            "[Go](#top){ #back }\nA paragraph.\n{: #para .note }\n\
             ![x](a.png){ id=\"fig-1\" }\nfn main() { x }\n{{ jinja }}\n",
        )
        .collect();
        assert_eq!(ids, ["back", "para", "fig-1"]);
    }
}
