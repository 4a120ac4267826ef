//! Relative links, images and `#fragments` against the pages and anchors the
//! renderer produced.

use ahash::{AHashMap as HashMap, AHashSet as HashSet};
use std::sync::Mutex;

use rayon::prelude::*;

use super::mkdocs::{self, MkDocs};
use super::{Finding, Kind, Names, Severity, did_you_mean, list_dir};
use crate::index::{SiteIndex, Target, Withheld};
use crate::load::guides::{Guide, file_name, parent};
use crate::markdown::{Link, LinkKind, Rendered};

/// Findings for every guide's links, in guide order; guides in parallel.
/// `generator` is the other generator whose config is at the root, if any
/// (its heading ids are accepted too).
pub fn check(
    guides: &[Guide],
    rendered: &[Rendered],
    index: &SiteIndex,
    generator: Option<&str>,
) -> Vec<Finding> {
    let anchors: Vec<Anchors> = rendered
        .par_iter()
        .map(|r| Anchors::new(r.anchors.iter().map(String::as_str)))
        .collect();
    let mkdocs = MkDocs::read(&index.site_root());
    let hooks = render_hooks(&index.site_root());
    // What MkDocs or Zola makes of each page: ids, and why some cannot be known.
    let generator_pages: Vec<GeneratorPage> = match &mkdocs {
        Some(m) => guides
            .par_iter()
            .zip(rendered)
            .map(|(g, r)| GeneratorPage::mkdocs(m, &g.text, r))
            .collect(),
        None => generator_pages(rendered, generator, hooks.preprocessor.as_deref()),
    };
    let routes = routes_in_code(index.root());
    let site = Pages {
        guides,
        rendered,
        anchors: &anchors,
        index,
        judge_references: mkdocs.is_none(),
        mkdocs: mkdocs.as_ref(),
        generator_pages: &generator_pages,
        dir_listings: &Mutex::default(),
        ignores: &Mutex::default(),
        generated_elsewhere: generated_elsewhere(index, guides),
        generator,
        nested: &NestedSites::find(index.root(), guides),
        routes_in_code: routes.as_deref(),
        hooks: &hooks,
        defer_anchors: false,
        texts_held: true,
    };
    let per_guide: Vec<Vec<Finding>> = (0..guides.len())
        .into_par_iter()
        .map(|g| site.findings(g))
        .collect();
    per_guide.into_iter().flatten().collect()
}

/// What Zola, VitePress or VuePress makes of each page, and which pages'
/// shortcodes write content (`generator_page`); nothing when no page has
/// any of it.
fn generator_pages(
    rendered: &[Rendered],
    generator: Option<&str>,
    preprocessor: Option<&str>,
) -> Vec<GeneratorPage> {
    let pages: Vec<Option<GeneratorPage>> = rendered
        .par_iter()
        .map(|r| generator_page(generator, preprocessor, r))
        .collect();
    match pages.iter().any(Option::is_some) {
        true => pages.into_iter().map(Option::unwrap_or_default).collect(),
        false => Vec::new(),
    }
}

/// What Zola, VitePress or VuePress makes of `page`: the ids it gives the
/// headings; and, of any page with a Hugo shortcode that writes content of
/// its own (`{{< cli/tools-list >}}`), or of an mdBook's every page when a
/// `preprocessor` almanac does not know runs on them, that its ids cannot
/// all be known.
fn generator_page(
    generator: Option<&str>,
    preprocessor: Option<&str>,
    page: &Rendered,
) -> Option<GeneratorPage> {
    let slug: Option<fn(&str) -> String> = match generator {
        Some("Zola") => Some(crate::slug::zola_slug),
        Some("VitePress" | "VuePress") => Some(crate::slug::vitepress_slug),
        Some("GitBook") => Some(crate::slug::gitbook_slug),
        _ => None,
    };
    let writer = page
        .expansion
        .as_ref()
        .and_then(|x| x.writing_shortcode())
        .map(|name| format!("its shortcode `{name}` writes part of the page as the site is built"))
        .or_else(|| {
            let framework = matches!(
                generator,
                Some("VitePress" | "VuePress" | "Docusaurus" | "Astro")
            );
            let name = page.component.as_deref().filter(|_| framework)?;
            Some(format!(
                "its component `<{name}>` writes part of the page as the site is built"
            ))
        })
        .or_else(|| {
            preprocessor.map(|p| {
                format!("the mdBook preprocessor `{p}` (book.toml) runs on the markdown first")
            })
        });
    if slug.is_none() && writer.is_none() {
        return None;
    }
    Some(GeneratorPage {
        ids: slug
            .map(|slug| {
                crate::markdown::generator_ids(&page.headings, slug)
                    .into_iter()
                    .collect()
            })
            .unwrap_or_default(),
        unknown: writer,
    })
}

/// A page's anchors, sorted and each once, to look fragments up in: half
/// the memory of a hash set, and no answer depends on their order.
struct Anchors<'a>(Vec<&'a str>);

impl<'a> Anchors<'a> {
    fn new(anchors: impl Iterator<Item = &'a str>) -> Self {
        let mut sorted: Vec<&str> = anchors.collect();
        sorted.sort_unstable();
        sorted.dedup();
        Anchors(sorted)
    }

    fn contains(&self, id: &str) -> bool {
        self.0.binary_search(&id).is_ok()
    }

    fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.0.iter().copied()
    }
}

/// A finding of a guide's links, or a link's `#fragment` to look for in a
/// page once every page's anchors are known (`Stream`).
#[derive(Debug, Clone)]
pub enum Slot {
    Found(Box<Finding>),
    /// A link (what a finding says of it) to `page`'s `#fragment`.
    Anchor {
        kind: LinkKind,
        target: Box<str>,
        line: usize,
        column: usize,
        page: usize,
        fragment: Box<str>,
    },
}

/// `check` guide by guide, for a check that holds no page text
/// (`super::stream`): as each guide is read, what needs no other page is
/// judged at once (`Stream::guide`); the `#fragment`s of links are looked
/// up in the pages' anchors at the end (`Stream::finish`). The same
/// findings in the same order as `check`.
pub struct Stream<'a> {
    guides: &'a [Guide],
    index: &'a SiteIndex,
    generator: Option<&'a str>,
    mkdocs: Option<MkDocs>,
    generated_elsewhere: bool,
    nested: NestedSites,
    routes_in_code: Option<String>,
    hooks: Hooks,
    dir_listings: Mutex<HashMap<String, std::sync::Arc<Names>>>,
    ignores: Mutex<Option<crate::load::history::Ignores>>,
}

impl<'a> Stream<'a> {
    pub fn new(guides: &'a [Guide], index: &'a SiteIndex, generator: Option<&'a str>) -> Self {
        Stream {
            guides,
            index,
            generator,
            mkdocs: MkDocs::read(&index.site_root()),
            generated_elsewhere: generated_elsewhere(index, guides),
            nested: NestedSites::find(index.root(), guides),
            routes_in_code: routes_in_code(index.root()),
            hooks: render_hooks(&index.site_root()),
            dir_listings: Mutex::default(),
            ignores: Mutex::default(),
        }
    }

    fn pages<'p>(
        &'p self,
        rendered: &'p [Rendered],
        anchors: &'p [Anchors<'p>],
        generator_pages: &'p [GeneratorPage],
    ) -> Pages<'p> {
        Pages {
            guides: self.guides,
            rendered,
            anchors,
            index: self.index,
            judge_references: self.mkdocs.is_none(),
            mkdocs: self.mkdocs.as_ref(),
            generator_pages,
            dir_listings: &self.dir_listings,
            ignores: &self.ignores,
            generated_elsewhere: self.generated_elsewhere,
            generator: self.generator,
            nested: &self.nested,
            routes_in_code: self.routes_in_code.as_deref(),
            hooks: &self.hooks,
            defer_anchors: true,
            texts_held: false,
        }
    }

    /// Guide `g`'s link findings, scanned as `page` from its `text`, with
    /// what the other generator makes of it (in an MkDocs or Zola project).
    pub fn guide(
        &self,
        g: usize,
        page: &Rendered,
        text: &str,
    ) -> (Vec<Slot>, Option<GeneratorPage>) {
        let pages = self.pages(&[], &[], &[]);
        let mut slots: Vec<Slot> = pages
            .broken_references_in(g, page, text)
            .into_iter()
            .map(|f| Slot::Found(Box::new(f)))
            .collect();
        let mut found = Vec::new();
        for link in &page.links {
            if let Some((page, fragment)) = pages.link_findings(g, link, refs(page), &mut found) {
                slots.push(Slot::Anchor {
                    kind: link.kind,
                    target: link.target.as_str().into(),
                    line: link.line,
                    column: link.column,
                    page,
                    fragment: fragment.into(),
                });
            }
            slots.extend(found.drain(..).map(|f| Slot::Found(Box::new(f))));
        }
        let generator = match &self.mkdocs {
            Some(m) => Some(GeneratorPage::mkdocs(m, text, page)),
            None => generator_page(self.generator, self.hooks.preprocessor.as_deref(), page),
        };
        (slots, generator)
    }

    /// The findings of every guide's `slots`, by guide, once every
    /// page is scanned (`ids`) with what the other generator makes of each
    /// (`generator_pages`, from `guide`; none without one).
    pub fn finish(
        &self,
        ids: &[super::ids::Ids],
        generator_pages: Vec<GeneratorPage>,
        slots: Vec<Vec<Slot>>,
    ) -> Vec<Vec<Finding>> {
        let anchors: Vec<Anchors> = ids.par_iter().map(|i| Anchors::new(i.anchors())).collect();
        let pages = self.pages(&[], &anchors, &generator_pages);
        slots
            .into_par_iter()
            .enumerate()
            .map(|(g, slots)| {
                slots
                    .into_iter()
                    .filter_map(|slot| match slot {
                        Slot::Found(f) => Some(*f),
                        Slot::Anchor {
                            kind,
                            target,
                            line,
                            column,
                            page,
                            fragment,
                        } => {
                            let link = Link {
                                kind,
                                target: target.into(),
                                line,
                                column,
                                resolved: None,
                            };
                            pages
                                .missing_anchor(g, &link, page, &fragment)
                                .map(|mut f| {
                                    pages.hooks.judge(&link, &mut f);
                                    f
                                })
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

/// What checking one guide's links looks at.
struct Pages<'a> {
    guides: &'a [Guide],
    rendered: &'a [Rendered],
    anchors: &'a [Anchors<'a>],
    index: &'a SiteIndex,
    /// Whether reference links with no definition are reported: not in an
    /// MkDocs project, whose plugins (autorefs, snippets' `auto_append`,
    /// hooks) may define labels when the site is built.
    judge_references: bool,
    /// The project's MkDocs settings, when it is an MkDocs project.
    mkdocs: Option<&'a MkDocs>,
    /// By page, in an MkDocs or Zola project (else empty).
    generator_pages: &'a [GeneratorPage],
    /// Folder listings for "did you mean" hints, read once per folder.
    dir_listings: &'a Mutex<HashMap<String, std::sync::Arc<Names>>>,
    /// The repository's ignore rules, opened when a link first names a
    /// missing file.
    ignores: &'a Mutex<Option<crate::load::history::Ignores>>,
    /// The docs are built by another generator (its config file is at the
    /// root): a site-absolute link may name what that site serves beyond
    /// the content (GitHub reads such a link from the repository's root).
    generated_elsewhere: bool,
    /// The other generator whose config is at the root (`mdBook`,
    /// `MkDocs`…), if any: its site is the content folder alone.
    generator: Option<&'a str>,
    /// The sites other generators build from folders of the project.
    nested: &'a NestedSites,
    /// The site is an application's whose routes its code makes (the
    /// config file named): a link from the site's root may be one of them.
    routes_in_code: Option<&'a str>,
    /// Hugo's render hooks of the project, which make links' and images'
    /// URLs in code, and an mdBook's preprocessor.
    hooks: &'a Hooks,
    /// A link's `#fragment` is not looked up but handed back
    /// (`link_findings`): the pages' anchors are not all known yet (`Stream`).
    defer_anchors: bool,
    /// The guides hold their texts; else a page's text is read again in
    /// the rare case one is needed.
    texts_held: bool,
}

/// The paths of the Hugo `ref` shortcodes of `page` (`Expansion::refs`).
fn refs(page: &Rendered) -> &[String] {
    page.expansion.as_ref().map_or(&[], |x| x.refs.as_slice())
}

/// A page as the other generator of the project (MkDocs, Zola) builds it.
#[derive(Debug, Clone, Default)]
pub struct GeneratorPage {
    /// Ids that generator gives it besides almanac's (`mkdocs::page_ids`, `markdown::generator_ids`).
    ids: HashSet<String>,
    /// Why some of its ids cannot be known, if so.
    unknown: Option<String>,
}

impl GeneratorPage {
    /// What MkDocs (`m`) makes of the page `r` scanned from `text`.
    fn mkdocs(m: &MkDocs, text: &str, r: &Rendered) -> GeneratorPage {
        GeneratorPage {
            ids: mkdocs::page_ids(text, r),
            unknown: m.page_unknown_ids(text),
        }
    }
}

impl Pages<'_> {
    /// The findings for guide number `g`'s links.
    fn findings(&self, g: usize) -> Vec<Finding> {
        let page = &self.rendered[g];
        let mut findings = self.broken_references_in(g, page, &self.guides[g].text);
        for link in &page.links {
            self.link_findings(g, link, refs(page), &mut findings);
        }
        findings
    }

    /// Guide `g`'s reference links whose label has no definition; `page`
    /// is its scan, of `text`.
    fn broken_references_in(&self, g: usize, page: &Rendered, text: &str) -> Vec<Finding> {
        let guide = &self.guides[g];
        page.broken_references
            .iter()
            .filter(|r| self.judge_references && meant_as_link(text, r.span.clone(), &r.label))
            .map(|r| {
                let message = format!(
                    "no definition of the reference `[{}]`: the link shows as literal brackets",
                    r.label
                );
                let f = Finding::new(
                    Kind::BrokenReference,
                    &guide.file,
                    r.line,
                    r.column,
                    &r.label,
                    message,
                )
                .hint(format!(
                    "add a line `[{}]: <url>` to the page, or write the link inline",
                    r.label
                ));
                self.hooks.judge_reference(f)
            })
            .collect()
    }

    /// The findings for one link of guide `g`; with `defer_anchors`, the
    /// page and `#fragment` to look for instead of looking (no finding
    /// then).
    fn link_findings(
        &self,
        g: usize,
        link: &Link,
        refs: &[String],
        findings: &mut Vec<Finding>,
    ) -> Option<(usize, String)> {
        let before = findings.len();
        let deferred = self.link_findings_as_written(g, link, refs, findings);
        for f in &mut findings[before..] {
            self.hooks.judge(link, f);
        }
        deferred
    }

    fn link_findings_as_written(
        &self,
        g: usize,
        link: &Link,
        refs: &[String],
        findings: &mut Vec<Finding>,
    ) -> Option<(usize, String)> {
        let Pages { guides, index, .. } = self;
        let guide = &guides[g];
        let finding = |kind: Kind, message: String, hint: Option<String>, resolved: &str| {
            link_finding(guide, link, kind, message, hint, resolved)
        };
        let missing_anchor = |target_page: usize, fragment: &str| {
            self.missing_anchor(g, link, target_page, fragment)
        };
        if let Some(empty) = empty_link(guide, link) {
            findings.push(empty);
            return None;
        }
        let mut resolved = match &link.resolved {
            Some(target) => std::borrow::Cow::Borrowed(target),
            None => std::borrow::Cow::Owned(index.resolve(&guide.path, &link.target)),
        };
        // MkDocs serves `a.md` at `a/`, where the browser reads the links
        // it leaves as written: raw HTML, and a page's URL that names no
        // file (a markdown link to a file is the file's, as MkDocs reads it).
        // A folder with no index page is no file either: traefik's
        // `./#certificate-resolver` is the page's own URL, served at
        // `overview/`, not the folder `overview.md` is in.
        let folder = matches!(resolved.as_ref(), Target::Section { .. });
        // `./#x` and `../#x` from a page such a site serves as a folder
        // are its own URL and its folder's (longhorn's Hugo pages'
        // `./#recommendation`), not the folder the file is in.
        let own_url =
            index.serves_pages_as_folders() && !guide.is_index() && names_only_dots(&link.target);
        if folder || own_url || matches!(resolved.as_ref(), Target::Missing { .. }) {
            let as_written = match link.kind {
                LinkKind::HtmlLink | LinkKind::HtmlImage => true,
                _ => crate::index::is_page_url(&link.target),
            };
            if let Some(there) = index.resolve_served(&guide.path, &link.target, as_written)
                && (!(folder || own_url) || matches!(there, Target::Page { .. }))
            {
                resolved = std::borrow::Cow::Owned(there);
            }
        }
        // An application whose routes are code serves its static folder
        // at the pages' URLs.
        if matches!(resolved.as_ref(), Target::Missing { .. })
            && self.routes_in_code.is_some()
            && let Some(there) = index.resolve_in_static_served(&guide.path, &link.target)
        {
            resolved = std::borrow::Cow::Owned(there);
        }
        // Hugo's `ref` finds a page from the content root and by its name.
        if matches!(resolved.as_ref(), Target::Missing { .. })
            && refs.contains(&link.target)
            && let Some(there) = index.resolve_hugo_ref(&guide.path, &link.target)
        {
            resolved = std::borrow::Cow::Owned(there);
        }
        match resolved.as_ref() {
            Target::SamePage { fragment: Some(f) } if self.defer_anchors => {
                return Some((g, f.clone()));
            }
            Target::Page {
                page,
                fragment: Some(f),
            } if self.defer_anchors => return Some((*page, f.clone())),
            Target::SamePage { fragment: Some(f) } => findings.extend(missing_anchor(g, f)),
            Target::Page {
                page,
                fragment: Some(f),
            } => findings.extend(missing_anchor(*page, f)),
            Target::Section {
                dir,
                fragment: Some(f),
            } if !f.is_empty() => findings.push(finding(
                Kind::BrokenAnchor,
                format!("no anchor `#{f}`: `{dir}/` has no index page, only a generated list"),
                None,
                dir,
            )),
            // A page the Hugo config mounts as a file of its own: there,
            // its anchors unknown (its source is no page here).
            Target::Missing { path, .. } if index.mounted_file(path) => {}
            Target::Missing { path, .. } => {
                let f = self.missing_target(g, link, path);
                // A `ref` may name a page by its name anywhere in the site,
                // mounted content too.
                let mount = match refs.contains(&link.target) {
                    true => index.mounted_content(None),
                    false => index.mounted_content(Some(path)),
                };
                if let Some(source) = mount {
                    findings.push(f.severity(Severity::Warning).hint(format!(
                        "the site's Hugo config mounts `{source}` into its content: the page may be there, where almanac does not look"
                    )));
                    return None;
                }
                match self.nested.judge(&guide.file, &link.target, path, index.root()) {
                    Nested::Found => {}
                    Nested::LeavesForAPage(site) => findings.push(f.severity(Severity::Warning).hint(format!(
                        "the link leaves the site built from `{site}/` for a web page: on the host that serves it, another site may be there; almanac cannot see it"
                    ))),
                    Nested::Translated(other) => findings.push(f.severity(Severity::Warning).hint(format!(
                        "`{other}/` has this page: a translation's site may fall back to it, as i18n plugins do; GitHub does not"
                    ))),
                    Nested::Unknown => findings.push(f),
                }
            }
            Target::Withheld { path, why } => {
                let (message, hint) = withheld_message(path, *why);
                let f = finding(Kind::PrivateFile, message, hint, path);
                // A dotfile (`.github/…`) or an untracked file is a fine
                // link on the forge; only the site leaves it out.
                findings.push(if matches!(why, Withheld::Hidden | Withheld::Untracked) {
                    f.severity(Severity::Warning)
                } else {
                    f
                });
            }
            Target::OutsideRoot => findings.push(self.outside_root(g, link)),
            _ => {}
        }
        None
    }

    /// A finding when `fragment` names no anchor of guide `target_page`, for
    /// a link of guide `g`.
    fn missing_anchor(
        &self,
        g: usize,
        link: &Link,
        target_page: usize,
        fragment: &str,
    ) -> Option<Finding> {
        let Pages {
            guides, anchors, ..
        } = self;
        let guide = &guides[g];
        let finding = |kind: Kind, message: String, hint: Option<String>, resolved: &str| {
            link_finding(guide, link, kind, message, hint, resolved)
        };
        // A text fragment (`#:~:text=timeout`, or after an id) scrolls to
        // words, not to an element: only the id before it is looked up.
        let fragment = fragment.split(":~:").next().unwrap_or_default();
        if fragment.is_empty() || anchors[target_page].contains(fragment) {
            return None;
        }
        let generator_page = self.generator_pages.get(target_page);
        if generator_page.is_some_and(|p| p.ids.contains(fragment)) {
            return None;
        }
        let file = &guides[target_page].file;
        let whose = if target_page == g {
            "this page".to_string()
        } else {
            format!("`{file}`")
        };
        if let Some(id) = same_but_case(fragment, &anchors[target_page]) {
            return Some(finding(
                Kind::AnchorCase,
                format!(
                    "`#{fragment}` matches the heading `#{id}` in {whose} only when letter case is ignored"
                ),
                Some(format!(
                    "write `#{id}`: GitHub ignores the case of a fragment, but browsers on other hosts (and almanac's site) do not"
                )),
                file,
            ));
        }
        // Ids MkDocs makes as it builds the site (hooks, plugins,
        // content tabs) cannot be seen: not sure, so not an error.
        let unknown = generator_page.and_then(|p| p.unknown.clone()).or_else(|| {
            (self.mkdocs.is_some() && fragment.starts_with("__"))
                .then(|| "Python-Markdown extensions make `__` ids as the site is built".into())
        });
        if let Some(why) = unknown {
            let target = &guides[target_page];
            let text = match self.texts_held {
                true => std::borrow::Cow::Borrowed(target.text.as_str()),
                false => std::borrow::Cow::Owned(
                    crate::error::read_file(&self.index.root().join(&target.file))
                        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                        .unwrap_or_default(),
                ),
            };
            if made_from_page_text(fragment, &text) {
                return None;
            }
            let f = finding(
                Kind::BrokenAnchor,
                format!("no heading or anchor `#{fragment}` that almanac can see in {whose}"),
                Some(format!(
                    "{why}, so the id may exist on the built site; check it there"
                )),
                file,
            );
            return Some(f.severity(Severity::Warning));
        }
        // The page's title from its front matter, which Docusaurus and Hugo
        // themes write as the page's heading with no id of its own
        // (karmada's API reference links `object-meta#objectmeta` by the
        // hundred): the link lands at the top of the page, on the title.
        let title = guides[target_page].front.title.as_deref();
        if title.is_some_and(|t| crate::slug::slug(t) == fragment) {
            let f = finding(
                Kind::BrokenAnchor,
                format!("no heading or anchor `#{fragment}` in {whose}: only its title, from its front matter, says that"),
                Some("a site that writes the title as the page's heading gives it no id; the link lands at the top of the page all the same. Link the page without the fragment".into()),
                file,
            );
            return Some(f.severity(Severity::Warning));
        }
        let hint = did_you_mean(fragment, anchors[target_page].iter())
            .map(|id| format!("did you mean `#{id}`?"));
        Some(finding(
            Kind::BrokenAnchor,
            format!("no heading or anchor `#{fragment}` in {whose}"),
            hint,
            file,
        ))
    }

    /// A link of guide `g` that climbs above the project root. Into the
    /// rest of the repository, its file is looked for on disk: an error
    /// when it is not there, a warning when it is (the site has only the
    /// project). Above the repository's root it is a forge's page, as GitHub
    /// reads it from the file's URL (`../../issues` from the root README,
    /// `../../assets/x.png` from `docs/`: the branch `assets`): a warning,
    /// never an error.
    fn outside_root(&self, g: usize, link: &Link) -> Finding {
        let guide = &self.guides[g];
        let kind = match link.kind.is_image() {
            true => Kind::BrokenImage,
            false => Kind::BrokenLink,
        };
        let finding = |message: String, hint: Option<String>| {
            link_finding(guide, link, kind, message, hint, "")
        };
        let real_root = self.index.real_root();
        let landed = match (real_root, link.target.starts_with('/')) {
            (Some(root), false) => lands_at(root, &guide.file, &link.target).map(|at| (root, at)),
            _ => None,
        };
        let Some((root, landed)) = landed else {
            return finding("the link leaves the project root".to_string(), None);
        };
        let in_repository = root
            .ancestors()
            .find(|a| a.join(".git").exists())
            .is_some_and(|repository| landed.starts_with(repository));
        // As the project root sees it: `../README.md`.
        let shown = root
            .ancestors()
            .enumerate()
            .find_map(|(up, base)| {
                let rest = landed.strip_prefix(base).ok()?;
                Some(format!(
                    "{}{}",
                    "../".repeat(up),
                    rest.to_string_lossy().replace('\\', "/")
                ))
            })
            .unwrap_or_else(|| link.target.clone());
        match in_repository {
            true if landed.exists() => finding(
                format!("`{shown}` is outside the project: the forge shows it, the built site does not have it"),
                Some("link it by its URL on the forge, or move it into the project".to_string()),
            )
            .severity(Severity::Warning),
            true => finding(format!("`{shown}` does not exist"), None),
            false => finding(
                "the link climbs above the repository's root: a forge reads it as one of its own pages (another branch, `../../issues`, `../../wiki`), which almanac cannot check".to_string(),
                Some("write it as an absolute URL, which `almanac check --external` checks".to_string()),
            )
            .severity(Severity::Warning),
        }
    }

    /// A link of guide `g` to `path`, which does not exist.
    fn missing_target(&self, g: usize, link: &Link, path: &str) -> Finding {
        let Pages {
            guides,
            index,
            dir_listings,
            ..
        } = self;
        let guide = &guides[g];
        let finding = |kind: Kind, message: String, hint: Option<String>, resolved: &str| {
            link_finding(guide, link, kind, message, hint, resolved)
        };
        let kind = if link.kind.is_image() {
            Kind::BrokenImage
        } else {
            Kind::BrokenLink
        };
        let name = file_name(path.trim_end_matches('/'));
        let siblings = dir_listings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(parent(path).to_string())
            .or_insert_with_key(|dir| {
                std::sync::Arc::new(Names::new(list_dir(&index.root().join(dir))))
            })
            .clone();
        let hint = siblings
            .closest(name)
            .map(|n| format!("did you mean `{n}`?"));
        let f = finding(kind, format!("`{path}` does not exist"), hint, path);
        // `ENGLISH_VERSION_URL`: a name in capitals with underscores, which
        // a template or hook fills in as the site is built (fastapi's
        // translation banner), not a file.
        let bare_target = link
            .target
            .trim()
            .split(['#', '?'])
            .next()
            .unwrap_or_default();
        if is_placeholder_name(bare_target) {
            return f.severity(Severity::Warning).hint(format!(
                "`{bare_target}` reads as a placeholder that a template or hook fills in as the site is built: almanac cannot see what it becomes"
            ));
        }
        // `@snippets/a.sh`, `@assets/diagram.svg`: a bundler's alias (a
        // VuePress or Vite `alias`, an Astro tsconfig path) that the site's
        // code maps to a folder; not a folder named `@…` beside the page.
        if let Some(alias) = bundler_alias(&link.target)
            && (matches!(
                self.generator,
                Some("VitePress" | "VuePress" | "Docusaurus")
            ) || self.routes_in_code.is_some()
                || index.site_root().join("package.json").is_file())
        {
            return f.severity(Severity::Warning).hint(format!(
                "`{alias}` is an alias the site's bundler maps to a folder (its config or tsconfig says which): almanac cannot follow it"
            ));
        }
        // A file git ignores is one a build makes (uv's generated CLI
        // reference, `docs/reference/cli.md`): it exists where the docs are
        // built.
        let ignored = {
            let mut ignores = self.ignores.lock().unwrap_or_else(|e| e.into_inner());
            ignores
                .get_or_insert_with(|| crate::load::history::Ignores::open(index.root()))
                .ignored(path.trim_end_matches('/'))
        };
        if ignored {
            return f.severity(Severity::Warning).hint(
                "git ignores this path, so a build makes the file: almanac cannot check it unless it is made before `almanac check`".to_string(),
            );
        }
        if let Some(config) = self.routes_in_code
            && link.target.trim_start().starts_with('/')
        {
            return f.severity(Severity::Warning).hint(format!(
                "the site's pages are routes of its code (`{config}`), which almanac cannot see: a link from the site's root may be one of them"
            ));
        }
        // `pyproject#packages` beside `pyproject.md`: a page's URL as a
        // generator that serves pages without `.md` writes it (poetry's
        // docs, built by a site in another repository). GitHub does not
        // read it so: a warning.
        let bare = file_name(path.trim_end_matches('/'));
        // A name may have dots of its own (envoy gateway's `./notes/v0.2.0`
        // beside `notes/v0.2.0.md`): `.md` is added, not swapped in.
        if !link.target.trim_start().starts_with('/') && !bare.is_empty() {
            let base = index.root().join(path.trim_end_matches('/'));
            if let Some(page) = ["md", "mdx"]
                .iter()
                .map(|ext| {
                    let mut name = base.clone().into_os_string();
                    name.push(format!(".{ext}"));
                    std::path::PathBuf::from(name)
                })
                .find(|p| p.is_file())
            {
                let page = page.file_name().unwrap_or_default().to_string_lossy();
                return f.severity(Severity::Warning).hint(format!(
                    "`{page}` is there: a generator that serves pages without `.md` (Hugo, VitePress) reads this link as that page; GitHub does not, so link `{page}` unless the docs are read only on that site"
                ));
            }
        }
        // Feeds and sitemaps are the generator's output (Hugo's
        // `/blog/index.xml`, or `feed.xml` as an output format names it).
        let built_elsewhere = self.generator.is_some() || self.generated_elsewhere;
        if built_elsewhere && path.ends_with(".xml") {
            return f.severity(Severity::Warning).hint(
                "the site's generator writes its feeds and sitemaps as it builds: almanac cannot see them".to_string(),
            );
        }
        let book = self.generator == Some("mdBook");
        if built_elsewhere && leaves_for_a_page(index.content_prefix(), &link.target, path, book) {
            return f.severity(Severity::Warning).hint(format!(
                "the link leaves the site's folder `{}/` for a web page: on the host that serves the site, another site may be there (`../std/` beside a book); almanac cannot see it",
                index.content_prefix()
            ));
        }
        if built_elsewhere && another_sites_path(index, &guide.path, &link.target) {
            return f.severity(Severity::Warning).hint(
                "a link from the site's root whose first folder is neither in the content nor in the repository may be a path of the site this page is published on; almanac cannot see it".to_string(),
            );
        }
        // A page of a site a build assembles (renovate's generated
        // `modules/platform/azure/index.md`): not in the repository.
        if (path.ends_with(".md") || path.ends_with('/'))
            && let Some((config, docs)) = self
                .hooks
                .assembled
                .get_or_init(|| assembled_mkdocs_site(&self.hooks.root))
        {
            return f.severity(Severity::Warning).hint(format!(
                "`{config}` builds its site from `{docs}/`, which is not in the repository: a build assembles it, and may make this page; almanac cannot see it"
            ));
        }
        f
    }
}

/// Whether `name` is a placeholder's: capitals and digits in two or more
/// words joined by `_` (`ENGLISH_VERSION_URL`, `YOUR_REPO_URL`), not a
/// file's name (`LICENSE`, `CODE_OF_CONDUCT.md`).
fn is_placeholder_name(name: &str) -> bool {
    name.contains('_')
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.split('_').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// The alias a link's path starts with, as bundlers name them: a first
/// folder `@name` (`@snippets/installation/run_nu.sh`), not Zola's `@/`.
fn bundler_alias(target: &str) -> Option<&str> {
    let first = target.trim().split(['/', '#', '?']).next()?;
    let name = first.strip_prefix('@')?;
    (!name.is_empty() && target.trim().len() > first.len()).then_some(first)
}

/// An `empty-link` finding when `link` of `guide` has an empty target.
/// (mdBook's `SUMMARY.md` lists draft chapters as `[Title]()`.)
fn empty_link(guide: &Guide, link: &Link) -> Option<Finding> {
    if !(link.target.trim().is_empty()
        && matches!(link.kind, LinkKind::Link | LinkKind::Image)
        && file_name(&guide.path) != "SUMMARY.md")
    {
        return None;
    }
    let what = if link.kind.is_image() {
        "image"
    } else {
        "link"
    };
    Some(link_finding(
        guide,
        link,
        Kind::EmptyLink,
        format!("the {what} has an empty target: it leads back to this page"),
        Some("fill in the target between the parentheses, or remove the link".into()),
        &guide.file,
    ))
}

/// Where the relative link `dest` of the file `file` (relative to the
/// canonical `root`) lands on disk, its `..`s taken as written (`None`:
/// it climbs above the file system's root).
fn lands_at(root: &std::path::Path, file: &str, dest: &str) -> Option<std::path::PathBuf> {
    let path = dest.split(['#', '?']).next().unwrap_or_default();
    let path = crate::index::percent_decode(path);
    let mut at = root.to_path_buf();
    at.extend(parent(file).split('/').filter(|s| !s.is_empty()));
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if !at.pop() {
                    return None;
                }
            }
            name => at.push(name),
        }
    }
    Some(at)
}

/// A finding about `link` of `guide`, which leads to the file `resolved`.
fn link_finding(
    guide: &Guide,
    link: &Link,
    kind: Kind,
    message: String,
    hint: Option<String>,
    resolved: &str,
) -> Finding {
    Finding::new(
        kind,
        &guide.file,
        link.line,
        link.column,
        &link.target,
        message,
    )
    .hint(hint)
    .resolved(resolved.to_string())
}

/// Whether the id `fragment` may have been made from the text of the
/// page `text` as the site was built (a hook's `<!-- md:option type:x -->`
/// becoming `#+type:x`): its words, without leading punctuation, appear in
/// the page other than as a `#fragment`.
fn made_from_page_text(fragment: &str, text: &str) -> bool {
    let core = fragment.trim_start_matches(|c: char| !c.is_alphanumeric());
    let prefix = &fragment[..fragment.len() - core.len()];
    core.len() >= 3
        && text.match_indices(core).any(|(at, _)| {
            let before = &text[..at];
            !(before.ends_with(prefix) && before[..before.len() - prefix.len()].ends_with('#'))
        })
}

/// The anchor of `anchors` that `fragment` names when letter case is
/// ignored, as GitHub matches fragments, if there is exactly one.
fn same_but_case<'a>(fragment: &str, anchors: &Anchors<'a>) -> Option<&'a str> {
    let wanted = fragment.to_lowercase();
    let mut matching = anchors.iter().filter(|id| id.to_lowercase() == wanted);
    let id = matching.next()?;
    matching.next().is_none().then_some(id)
}

/// Whether the reference link `[text][label]` (or `[label][]`) at `span` of
/// `text` reads as a link its author meant, rather than brackets in prose
/// or code that happen to pair up: not glued to a word or to other
/// brackets (`map[string][]string`, `a[i][j]`, `[[x][y] z](url)`, a key
/// in quotes (`["key"][100]`), tag
/// chains `[Volume][NFS] [Flaky]`), not a tag (`[sig-storage][Slow]`,
/// `[Driver: local][LocalVolumeType: dir]`), not a release note's prefix
/// tags (`- [kubeadm][structured authz] fixed …`).
pub fn meant_as_link(text: &str, span: std::ops::Range<usize>, label: &str) -> bool {
    let (Some(before), Some(after)) = (text.get(..span.start), text.get(span.end..)) else {
        return false;
    };
    let line_before = &before[before.rfind('\n').map_or(0, |at| at + 1)..];
    let line_after = &after[..after.find('\n').unwrap_or(after.len())];
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '[' | ']'));
    if glued(line_before.chars().next_back())
        || line_before.trim_end().ends_with(']')
        || glued(line_after.chars().next())
        || line_after.starts_with('(')
        || line_after.trim_start().starts_with('[')
    {
        return false;
    }
    if label.starts_with(char::is_uppercase) || label.contains(": ") {
        return false;
    }
    let link_text = text[span.start + 1..].split("][").next().unwrap_or("");
    // A key in quotes is a subscript (`["root key"][100]`, `['a'][i]`).
    let quoted =
        |q: char| link_text.len() >= 2 && link_text.starts_with(q) && link_text.ends_with(q);
    if quoted('"') || quoted('\'') {
        return false;
    }
    let lead = line_before
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['-', '*', '+', '.', ')'])
        .trim_start();
    let prefix_tags = lead.is_empty() && !line_after.trim().is_empty() && !link_text.contains(' ');
    !prefix_tags
}

/// Whether `target`, a link written from the site's root (`/docs/x/`),
/// names a first folder that is neither in the content folder nor in the
/// repository, or goes on through a deeper folder none of them has: in a
/// site another generator builds, a path it serves from elsewhere (its
/// theme, a proxy, the host), which almanac cannot judge.
fn another_sites_path(index: &SiteIndex, from: &str, target: &str) -> bool {
    let Some(path) = target.trim().strip_prefix('/') else {
        return false;
    };
    let path = path.split(['#', '?']).next().unwrap_or("");
    let first = crate::index::percent_decode(path.split('/').next().unwrap_or(""));
    if first.is_empty() || first == "." || first == ".." {
        return false;
    }
    let content = index.root().join(index.content_prefix());
    // In a site with a folder per language, the page's language folder too.
    let language = crate::index::language_of(from);
    let mut bases = vec![content.clone(), index.root().to_path_buf()];
    bases.extend(language.map(|l| content.join(l)));
    // A folder the path goes through that none of them has, with more
    // after it: a tree of another site (grafana.com's
    // `/docs/mimir/latest/…` from loki's docs, whose repository has a
    // `docs/` but no `docs/mimir/`), not a page missing from this one.
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(crate::index::percent_decode)
        .collect();
    bases.iter().all(|base| {
        let mut at = base.clone();
        segments.iter().enumerate().any(|(i, segment)| {
            at.push(segment);
            !at.exists() && (i == 0 || i + 1 < segments.len())
        })
    })
}

/// Whether the docs are built by another generator: its config file is at
/// the root, or the pages are named as Hugo and Zola name a section's
/// (`_index.md`), in a content repository that a site elsewhere builds
/// (grafana/k6-docs, with no config of its own).
fn generated_elsewhere(index: &SiteIndex, guides: &[Guide]) -> bool {
    super::data::written_for_another_generator(index.root(), &index.site_root())
        || guides.iter().any(|g| file_name(&g.path) == "_index.md")
}

/// Sites other generators build from folders of the project, their config
/// beside or above some guide (cargo's `doc/book/book.toml`, fastapi's
/// `docs/en/mkdocs.yml` for each language): each one's root-relative
/// content folder, where its site-absolute links resolve.
#[derive(Debug, Default)]
pub(crate) struct NestedSites {
    /// Each site's content folder, whether mdBook builds it, and the
    /// folder its config is in.
    roots: Vec<(String, bool, String)>,
}

/// What a nested site makes of a missing link.
enum Nested {
    /// The site has it: a site-absolute link into its content folder (or
    /// another language's, which shares its files).
    Found,
    /// A relative link out of the content folder (named) to a web page.
    LeavesForAPage(String),
    /// A translation's missing page that a sibling language's site (its
    /// content folder, named) has.
    Translated(String),
    Unknown,
}

impl NestedSites {
    fn find(root: &std::path::Path, guides: &[Guide]) -> NestedSites {
        let mut seen = std::collections::HashSet::new();
        let mut roots = Vec::new();
        for guide in guides {
            let mut dir = parent(&guide.file);
            while !dir.is_empty() && seen.insert(dir.to_string()) {
                if let Some((content, book)) = site_content(&root.join(dir)) {
                    roots.push((format!("{dir}/{content}"), book, dir.to_string()));
                }
                dir = parent(dir);
            }
        }
        roots.sort();
        NestedSites { roots }
    }

    /// What the sites make of the missing `target` of the file `file`
    /// (root-relative), which resolved to the root-relative `path`.
    fn judge(&self, file: &str, target: &str, path: &str, root: &std::path::Path) -> Nested {
        let site = self
            .roots
            .iter()
            .filter(|(r, ..)| file.starts_with(&format!("{r}/")))
            .max_by_key(|(r, ..)| r.len());
        let target = target.trim();
        // A translation without a config of its own (fastapi's
        // `docs/de/docs/`) is built with another's: any of the sites whose
        // config is in the page's folder tree (`docs/en/` for `docs/de/…`)
        // may serve its site-absolute links. Not a page outside them (the
        // root README, which GitHub reads from the repository's root).
        if let Some(absolute) = target.strip_prefix('/') {
            let at = absolute.split(['#', '?']).next().unwrap_or_default();
            let at = crate::index::percent_decode(at);
            let at = at.trim_end_matches('/');
            let there = |(r, _, config): &(String, bool, String)| {
                let tree = parent(config);
                let near = tree.is_empty() || file.starts_with(&format!("{tree}/"));
                let base = root.join(r).join(at);
                near && (base.exists() || base.with_extension("md").is_file())
            };
            if !at.is_empty() && self.roots.iter().any(there) {
                return Nested::Found;
            }
            return Nested::Unknown;
        }
        // A translation's page missing from its language's folder is the
        // page of a sibling language's site (fastapi's
        // `docs/de/docs/newsletter.md` is `docs/en/docs/newsletter.md`,
        // whose `docs/en/mkdocs.yml` the translations build with): i18n
        // plugins fall back to it.
        for (r, _, tree) in &self.roots {
            let tree = tree.as_str();
            let family = parent(tree);
            let (Some(content), Some(rest)) = (
                r.strip_prefix(&format!("{tree}/")),
                path.strip_prefix(&format!("{family}/")),
            ) else {
                continue;
            };
            let Some((language, rest)) = rest.split_once('/') else {
                continue;
            };
            let mine = format!("{family}/{language}");
            if family.is_empty() || mine == tree || !file.starts_with(&format!("{mine}/")) {
                continue;
            }
            if let Some(rel) = rest.strip_prefix(&format!("{content}/"))
                && root.join(r).join(rel.trim_end_matches('/')).exists()
            {
                return Nested::Translated(r.clone());
            }
        }
        let Some((site, book, _)) = site else {
            return Nested::Unknown;
        };
        match leaves_for_a_page(site, target, path, *book) {
            true => Nested::LeavesForAPage(site.clone()),
            false => Nested::Unknown,
        }
    }
}

/// The content folder of the site whose generator config is in `dir`
/// (relative to it), if there is one: mkdocs.yml's `docs_dir` (`docs`),
/// book.toml's `src` (`src`), a Hugo config's `content`.
fn site_content(dir: &std::path::Path) -> Option<(String, bool)> {
    // Regular files only, within bounds (a FIFO named `mkdocs.yml` is no config).
    let read = |name: &str| {
        crate::error::read_file(&dir.join(name))
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
    };
    // `key: value` or `key = "value"` on a line of its own.
    let value = |text: &str, key: &str| {
        text.lines().find_map(|line| {
            let rest = line.strip_prefix(key)?.trim_start();
            let rest = rest.strip_prefix([':', '='])?.trim();
            let v = rest.trim_matches(['"', '\'']);
            (!v.is_empty()).then(|| v.trim_end_matches('/').to_string())
        })
    };
    let mkdocs = crate::config::mkdocs_config_name(dir).and_then(|name| read(&name));
    let (content, book) = if let Some(text) = mkdocs {
        (
            value(&text, "docs_dir").unwrap_or_else(|| "docs".into()),
            false,
        )
    } else if let Some(text) = read("book.toml") {
        (value(&text, "src").unwrap_or_else(|| "src".into()), true)
    } else if ["hugo.toml", "hugo.yaml", "hugo.yml"]
        .iter()
        .any(|n| dir.join(n).is_file())
    {
        ("content".into(), false)
    } else {
        return None;
    };
    let inside = !content.starts_with(['/', '.']) && !content.contains("..");
    (inside && dir.join(&content).is_dir()).then_some((content, book))
}

/// Whether the root-relative `path` names a web page: `.html`, a folder, a
/// name with no extension; in a book also `.md`, which mdBook makes `.html`
/// whatever folder it is in (`../../reference/conditional-compilation.md`,
/// the Rust Reference beside cargo's book).
fn web_page(path: &str, book: bool) -> bool {
    crate::index::is_page_url(path)
        || path.ends_with(".html")
        || path.ends_with(".htm")
        || (book && path.ends_with(".md"))
}

/// Whether the relative link `target`, which resolved to the missing
/// root-relative `path`, climbs out of the content folder `site` (the site
/// another generator builds from it) to a web page, not a file of the
/// repository: `std/index.html`, `nomicon/`, `reference/items` from a book
/// in `src/`. The rust book's `../std/index.html` is the standard library's
/// docs beside the book on doc.rust-lang.org.
fn leaves_for_a_page(site: &str, target: &str, path: &str, book: bool) -> bool {
    !site.is_empty()
        && target.trim_start().starts_with("..")
        && !path.starts_with(&format!("{site}/"))
        && web_page(path, book)
}

/// Hugo's render hooks for links and images: templates that make each
/// one's URL (a glossary link `[glob](g)`, a page found by `GetPage`), so
/// where it leads is theirs to say.
///
/// Also an mdBook preprocessor whose work almanac does not know
/// (`[preprocessor.spec]` in `book.toml`): its code runs on the markdown
/// before mdBook reads it, and may define references, turn a name into a
/// link's URL (the Rust Reference's `[items.static]` → a rule's page) and
/// add ids (`r[rule]` → `#r-rule`).
#[derive(Debug, Clone, Default)]
struct Hooks {
    link: Option<&'static str>,
    image: Option<&'static str>,
    preprocessor: Option<Box<str>>,
    /// An MkDocs config in a folder of the project whose docs folder is not
    /// in the repository (`tools/mkdocs/mkdocs.yml` and its ignored
    /// `docs/`, which renovate's build assembles): its config and that
    /// folder. The site's pages are made as it is built. Looked for when a
    /// page is first found missing (a walk of the project's folders).
    assembled: std::sync::OnceLock<Option<(String, String)>>,
    /// The folder the hooks were read from.
    root: std::path::PathBuf,
}

/// mdBook preprocessors that leave links, references and heading ids as
/// written: the built-ins, and those that draw diagrams, typeset math,
/// style callouts or insert a table of contents of the page's own headings.
const HARMLESS_PREPROCESSORS: &[&str] = &[
    "links",
    "index",
    "katex",
    "mathjax",
    "mermaid",
    "admonish",
    "alerts",
    "callouts",
    "toc",
    "pagetoc",
    "open-on-gh",
    "emojicodes",
    "graphviz",
    "plantuml",
    "svgbob",
    "d2",
    "kroki-preprocessor",
    "last-changed",
    "catppuccin",
    "tabs",
    "footnote",
];

/// The first preprocessor of the mdBook at `root` whose work on the
/// markdown almanac does not know (`HARMLESS_PREPROCESSORS` aside).
fn unknown_preprocessor(root: &std::path::Path) -> Option<Box<str>> {
    let text = std::fs::read_to_string(root.join("book.toml")).ok()?;
    let toml = crate::config::toml_tree(&text)?;
    let names = toml.get("preprocessor")?.as_object()?;
    names
        .keys()
        .find(|name| !HARMLESS_PREPROCESSORS.contains(&name.as_str()))
        .map(|name| name.as_str().into())
}

/// Whether the path of `target` is made of `.` and `..` alone (`./`,
/// `../../`, `.`), before its `#fragment`.
fn names_only_dots(target: &str) -> bool {
    let path = target.split(['#', '?']).next().unwrap_or_default();
    !path.is_empty()
        && path
            .split('/')
            .all(|segment| matches!(segment, "" | "." | ".."))
}

/// Whether `target` (a link's URL as written) names a file: a path
/// through folders, or a name with a file's extension. `items.static`,
/// `divergence` and `std::fmt::Display` name none.
fn names_a_file(target: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        "md", "markdown", "html", "htm", "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "pdf",
        "txt", "json", "yaml", "yml", "toml", "xml", "csv", "sh", "rs", "py", "js", "css", "zip",
        "gz", "tgz", "mp4", "webm",
    ];
    let path = target.split(['#', '?']).next().unwrap_or_default();
    if path.contains('/') || path.contains('\\') || path.is_empty() {
        return !path.contains("::");
    }
    match path.rsplit_once('.') {
        None => false,
        Some((_, ext)) => EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()),
    }
}

fn render_hooks(root: &std::path::Path) -> Hooks {
    let find = |name: &str| -> Option<&'static str> {
        const LINK: &[&str] = &[
            "layouts/_markup/render-link.html",
            "layouts/_default/_markup/render-link.html",
        ];
        const IMAGE: &[&str] = &[
            "layouts/_markup/render-image.html",
            "layouts/_default/_markup/render-image.html",
        ];
        let list = if name == "link" { LINK } else { IMAGE };
        list.iter().copied().find(|f| root.join(f).is_file())
    };
    Hooks {
        link: find("link"),
        image: find("image"),
        preprocessor: unknown_preprocessor(root),
        assembled: std::sync::OnceLock::new(),
        root: root.to_path_buf(),
    }
}

/// An `mkdocs.yml` up to three folders down from `root` (not at `root`,
/// whose docs are the project's) whose `docs_dir` (default `docs`, beside
/// it) is not there and is one git ignores: a site whose pages a build
/// assembles, from the project's files and more (renovate's
/// `tools/mkdocs/`, whose `.gitignore` lists `/docs`). Its config and docs
/// folder, root-relative.
fn assembled_mkdocs_site(root: &std::path::Path) -> Option<(String, String)> {
    let mut ignores = None;
    walkdir::WalkDir::new(root)
        .min_depth(2)
        .max_depth(4)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_dir()
                && (name.starts_with('.')
                    || matches!(name.as_ref(), "node_modules" | "vendor" | "target")))
        })
        .filter_map(|e| e.ok())
        .filter(|e| matches!(e.file_name().to_str(), Some("mkdocs.yml" | "mkdocs.yaml")))
        .find_map(|e| {
            // Read only as a regular file: a FIFO by that name is no config.
            let text = String::from_utf8(crate::error::read_file(e.path()).ok()?).ok()?;
            let name = e.file_name().to_str()?;
            let yaml: serde_yaml::Value =
                serde_yaml::from_str(&crate::config::mkdocs_yaml(name, &text)?).ok()?;
            let docs_dir = yaml
                .get("docs_dir")
                .and_then(serde_yaml::Value::as_str)
                .unwrap_or("docs");
            let folder = e.path().parent()?;
            let docs = folder.join(docs_dir);
            if docs.is_dir() {
                return None;
            }
            let rel = |p: &std::path::Path| {
                p.strip_prefix(root)
                    .ok()?
                    .to_str()
                    .map(|s| s.replace('\\', "/"))
            };
            let (config, docs) = (rel(e.path())?, rel(&docs)?);
            let ignores = ignores.get_or_insert_with(|| crate::load::history::Ignores::open(root));
            ignores.ignored(&docs).then_some((config, docs))
        })
}

impl Hooks {
    /// `f`, about a markdown link or image: a warning where a render hook
    /// makes its URL, since almanac cannot run the hook.
    fn judge(&self, link: &Link, f: &mut Finding) {
        let hook = match link.kind {
            LinkKind::Link => self.link,
            LinkKind::Image => self.image,
            _ => None,
        };
        if let Some(hook) = hook
            && f.severity == Severity::Error
        {
            *f = f.clone().severity(Severity::Warning).hint(format!(
                "`{hook}` renders this link: it may lead elsewhere than the path written, which almanac cannot see"
            ));
        }
        if let Some(preprocessor) = &self.preprocessor
            && f.severity == Severity::Error
            && matches!(f.kind, Kind::BrokenLink | Kind::BrokenImage)
            && !names_a_file(&link.target)
        {
            *f = f.clone().severity(Severity::Warning).hint(format!(
                "`{}` names no file, and the mdBook preprocessor `{preprocessor}` (book.toml) runs on the markdown first: it may make the link's URL, which almanac cannot see",
                link.target
            ));
        }
    }

    /// `f`, about a reference with no definition: a warning where a
    /// preprocessor may define it.
    fn judge_reference(&self, f: Finding) -> Finding {
        match &self.preprocessor {
            Some(preprocessor) => f.severity(Severity::Warning).hint(format!(
                "the mdBook preprocessor `{preprocessor}` (book.toml) runs on the markdown first and may define it; almanac cannot run it"
            )),
            None => f,
        }
    }
}

/// The config file of a web framework at `root` whose site's routes are
/// made by its code (Next.js, Astro, Gatsby, Nuxt, SvelteKit, Remix), not
/// by files almanac reads.
fn routes_in_code(root: &std::path::Path) -> Option<String> {
    const CONFIGS: &[&str] = &[
        "next.config.js",
        "next.config.mjs",
        "next.config.ts",
        "astro.config.mjs",
        "astro.config.js",
        "astro.config.ts",
        "gatsby-config.js",
        "gatsby-config.ts",
        "nuxt.config.ts",
        "nuxt.config.js",
        "svelte.config.js",
        "remix.config.js",
    ];
    // At the root, or in the folder of the site's own package (Starlight's
    // `docs/astro.config.mjs`).
    ["", "docs/", "website/", "site/", "www/"]
        .iter()
        .flat_map(|dir| CONFIGS.iter().map(move |c| format!("{dir}{c}")))
        .find(|c| root.join(c).is_file())
}

/// What to say about a link to a repository file that is not published.
fn withheld_message(path: &str, why: Withheld) -> (String, Option<String>) {
    let forge = "set `repo_url` in almanac.yaml to link to the file in the repository instead";
    match why {
        Withheld::Git => (
            format!("`{path}` is inside `.git/`, which is never published or linked"),
            None,
        ),
        Withheld::Hidden => (
            format!(
                "`{path}` is hidden (its name or a folder above it starts with `.`), so the site never publishes it"
            ),
            Some(forge.to_string()),
        ),
        Withheld::Outside => (
            format!(
                "`{path}` is a symbolic link that leads out of the repository; it is not published"
            ),
            None,
        ),
        Withheld::NotAFile => (
            format!("`{path}` is not a regular file; it is not published"),
            None,
        ),
        Withheld::Untracked => (
            format!("`{path}` is not tracked by git; only tracked files are published"),
            Some(format!("commit it (`git add {path}`), or {forge}")),
        ),
    }
}
