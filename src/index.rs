//! Where every page lands in the output, and what a relative link points at.
//! The renderer rewrites links with `resolve`; the checker reports what it
//! cannot resolve, so the two always agree.

use ahash::{AHashMap as HashMap, AHashSet as HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::load::guides::{file_name, is_index_name, parent};
use crate::project::Project;

/// The output path of a guide, relative to the site root: `release/hotfix.md` →
/// `release/hotfix.html`, `release/README.md` → `release/index.html`.
pub(crate) fn page_url(path: &str) -> String {
    let dir = parent(path);
    let name = file_name(path);
    let stem = if is_index_name(name) {
        "index"
    } else {
        name.strip_suffix(".md").unwrap_or(name)
    };
    join(dir, &format!("{stem}.html"))
}

/// The output path of a folder's index page.
pub(crate) fn section_url(dir: &str) -> String {
    join(dir, "index.html")
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Why a repository file a guide links to is not published (copied under
/// `_repo/`): secrets must not leave with the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    /// Under `.git/`: the repository's own files (its config may hold a token).
    /// Never linked, not even to the forge.
    Git,
    /// A dotfile or a file in a dot-folder (`.env`).
    Hidden,
    /// Reached through a symbolic link that leads out of the repository.
    Outside,
    /// Not a regular file (a FIFO, a device).
    NotAFile,
    /// A file git does not track.
    Untracked,
}

/// What a link destination refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A URL with a scheme (`https:`, `mailto:`) or protocol-relative.
    External,
    /// `#fragment` (or an empty link) on the same page.
    SamePage { fragment: Option<String> },
    /// A guide; `page` indexes the guides the index was built from.
    Page {
        page: usize,
        fragment: Option<String>,
    },
    /// A folder of the content dir with no index guide (a generated section page).
    Section {
        dir: String,
        fragment: Option<String>,
    },
    /// A non-markdown file of the content dir, copied to the output.
    Asset { path: String },
    /// A file of the repository outside the content dir (root-relative path).
    RepoFile { path: String },
    /// A repository file that is never published (root-relative path).
    Withheld { path: String, why: Withheld },
    /// A page almanac generates from the data (the calendar, a release, metrics, a report).
    Generated {
        url: String,
        fragment: Option<String>,
    },
    /// Nothing there. `path` is root-relative.
    Missing {
        path: String,
        fragment: Option<String>,
    },
    /// The link climbs above the project root.
    OutsideRoot,
}

impl Target {
    /// Whether a link resolved to this may still be reported, or names a
    /// repository file the site copies: what a streamed build keeps of a
    /// page's links once the page is written.
    pub fn looked_at_again(&self) -> bool {
        match self {
            Target::External | Target::Asset { .. } | Target::Generated { .. } => false,
            Target::SamePage { fragment }
            | Target::Page { fragment, .. }
            | Target::Section { fragment, .. } => fragment.is_some(),
            Target::RepoFile { .. }
            | Target::Withheld { .. }
            | Target::Missing { .. }
            | Target::OutsideRoot => true,
        }
    }
}

pub struct SiteIndex {
    root: PathBuf,
    /// The folder that holds the site generator's config, when not the
    /// root (`Config::site_dir`), root-relative ("" for the root).
    site_dir: PathBuf,
    /// Folders another folder is mounted on (`Config::content_mounts`).
    content_mounts: Vec<(String, String)>,
    /// The content dir relative to the root ("" when the root is the content dir).
    content_prefix: String,
    pages: HashMap<String, usize>,
    /// Every folder holding guides (and its ancestors) → its index guide, if any.
    dirs: HashMap<String, Option<usize>>,
    assets: HashSet<String>,
    guide_paths: Vec<String>,
    /// Each guide's output page (`page_url` of its path).
    guide_urls: Vec<String>,
    /// Site-root-relative URLs of the pages generated from the data.
    generated: HashSet<String>,
    /// Folders of generated pages that cannot be known (their data file is
    /// invalid): links into them are not judged.
    unknown_dirs: Vec<String>,
    /// The path the published site lives under (`/handbook` for a
    /// `base_url` of `https://example.org/handbook/`), which site-absolute
    /// links may start with; empty for a site at the host's root.
    site_prefix: String,
    /// Whether linked repository files are copied into the site (no
    /// `repo_url` to link to instead).
    copies_repo_files: bool,
    /// The adopted generator serves each page as a folder (MkDocs'
    /// `use_directory_urls`): see `resolve_served`.
    served_in_folders: bool,
    /// A Docusaurus site (its config at the root, or in `website/` beside
    /// the docs): see `resolve_served`.
    docusaurus: bool,
    /// A VitePress site: a page's URL may leave out `.md`.
    vitepress: bool,
    /// In a Docusaurus site, each page's URL as Docusaurus makes it, from
    /// its folder and its `slug`, `id` or file name without a number
    /// prefix (`faq/OrganizingState.md` with `id: organizing-state` is
    /// `faq/organizing-state`), content-relative.
    docusaurus_urls: HashMap<String, usize>,
    /// Hugo lowercases the URLs of pages (`Translate.md` at `translate/`):
    /// each page's content-relative path in lower case, made when first
    /// needed.
    lowercase_pages: Option<std::sync::OnceLock<HashMap<String, usize>>>,
    /// What git tracks (`None`: not a repository), read when a link first
    /// names a repository file to copy.
    tracked: std::sync::OnceLock<Option<std::collections::HashSet<String>>>,
    /// The root with symbolic links resolved, likewise.
    real_root: std::sync::OnceLock<Option<PathBuf>>,
    /// The pages by the names Hugo's `ref` finds them by, made when first
    /// needed (`resolve_hugo_ref`).
    hugo_names: std::sync::OnceLock<HashMap<String, Vec<usize>>>,
    /// The pages by their aliases (front matter `aliases`, and a Hugo or
    /// Zola `slug`), each without its slashes at either end, in lower case:
    /// the site serves the page there too (kueue's `/docs/installation/`).
    aliases: HashMap<String, usize>,
    /// In a Docusaurus site, the URLs of its blog's posts, made when first
    /// needed (`docusaurus_blog_urls`).
    docusaurus_blog: std::sync::OnceLock<HashSet<String>>,
}

impl SiteIndex {
    /// The index of `project`'s guides and assets (the pages generated from
    /// the data are added by `with_generated`).
    pub fn new(project: &Project) -> SiteIndex {
        let guides = &project.guides;
        let mut index = SiteIndex {
            root: project.root.clone(),
            site_dir: project.config.site_dir.clone().unwrap_or_default(),
            content_mounts: project.config.content_mounts.clone(),
            content_prefix: project.content_prefix.trim_matches('/').to_string(),
            pages: HashMap::with_capacity(guides.len()),
            dirs: HashMap::default(),
            assets: project.assets.iter().cloned().collect(),
            guide_paths: guides.iter().map(|g| g.path.clone()).collect(),
            guide_urls: guides.par_iter().map(|g| page_url(&g.path)).collect(),
            generated: HashSet::default(),
            unknown_dirs: Vec::new(),
            site_prefix: site_prefix(project.config.base_url.as_deref()),
            copies_repo_files: project.config.repo_url.is_none(),
            served_in_folders: project
                .config
                .adopted
                .as_ref()
                .is_some_and(|a| a.served_in_folders),
            docusaurus: project.config.generator == Some("Docusaurus")
                || ["js", "ts", "mjs"].iter().any(|ext| {
                    project
                        .root
                        .join(format!("website/docusaurus.config.{ext}"))
                        .is_file()
                }),
            docusaurus_urls: HashMap::default(),
            vitepress: matches!(project.config.generator, Some("VitePress" | "VuePress")),
            // A content repository with no config of its own whose section
            // pages are Hugo's `_index.md` (grafana's `docs/sources/`) is
            // served as a Hugo site is, by a site elsewhere.
            lowercase_pages: (project.config.generator == Some("Hugo")
                || (project.config.generator.is_none()
                    && guides.iter().any(|g| file_name(&g.path) == "_index.md")))
            .then(std::sync::OnceLock::new),
            tracked: std::sync::OnceLock::new(),
            real_root: std::sync::OnceLock::new(),
            hugo_names: std::sync::OnceLock::new(),
            docusaurus_blog: std::sync::OnceLock::new(),
            aliases: guides
                .iter()
                .enumerate()
                .flat_map(|(i, g)| {
                    g.front
                        .aliases
                        .iter()
                        .map(move |a| (a.trim_matches('/').to_lowercase(), i))
                })
                .filter(|(a, _)| !a.is_empty())
                .collect(),
        };
        for (i, guide) in guides.iter().enumerate() {
            index.pages.insert(guide.path.clone(), i);
            // A folder already listed has its ancestors listed too.
            let mut dir = guide.dir();
            while !index.dirs.contains_key(dir) {
                index.dirs.insert(dir.to_string(), None);
                if dir.is_empty() {
                    break;
                }
                dir = parent(dir);
            }
        }
        for (i, guide) in guides.iter().enumerate() {
            if guide.is_index() {
                index.dirs.insert(guide.dir().to_string(), Some(i));
            }
        }
        if index.docusaurus {
            index.docusaurus_urls = guides
                .iter()
                .enumerate()
                .map(|(i, g)| (docusaurus_url(g), i))
                .collect();
        }
        index
    }

    /// Folders that are sections, each with its index guide if it has one.
    pub fn sections(&self) -> impl Iterator<Item = (&str, Option<usize>)> {
        self.dirs.iter().map(|(d, g)| (d.as_str(), *g))
    }

    /// Adds the pages generated from the data, so guides can link to them.
    pub fn with_generated(mut self, urls: impl IntoIterator<Item = String>) -> SiteIndex {
        self.generated.extend(urls);
        self
    }

    /// Marks the folders of generated pages that cannot be listed because
    /// their data is invalid: the invalid file is the finding, not every link
    /// to a page it would make.
    pub fn with_unknown_dirs(mut self, dirs: impl IntoIterator<Item = String>) -> SiteIndex {
        self.unknown_dirs.extend(dirs);
        self
    }

    /// The root with its symbolic links resolved, once.
    pub(crate) fn real_root(&self) -> Option<&Path> {
        self.real_root
            .get_or_init(|| self.root.canonicalize().ok())
            .as_deref()
    }

    /// A Hugo site (see `lowercase_pages`).
    fn is_hugo(&self) -> bool {
        self.lowercase_pages.is_some()
    }

    /// The site serves each page as a folder (`setup.md` at `setup/`):
    /// Hugo's, MkDocs' with directory URLs, Astro's.
    pub(crate) fn serves_pages_as_folders(&self) -> bool {
        self.served_in_folders || self.is_hugo()
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder of the site generator's config: the root, or the folder
    /// the site is kept in (`docs/` for `docs/mkdocs.yml`).
    pub fn site_root(&self) -> PathBuf {
        self.root.join(&self.site_dir)
    }

    pub fn content_prefix(&self) -> &str {
        &self.content_prefix
    }

    /// Resolves `dest`, written in the guide at content-relative `from`.
    pub fn resolve(&self, from: &str, dest: &str) -> Target {
        let dest = dest.trim();
        if has_scheme(dest) || dest.starts_with("//") {
            return Target::External;
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(percent_decode(f))),
            None => (dest, None),
        };
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        if path.is_empty() {
            return Target::SamePage { fragment };
        }
        // `../argocd-cm.md/`: MkDocs and browsers take the page.
        let path = path
            .strip_suffix('/')
            .filter(|p| p.ends_with(".md"))
            .unwrap_or(path);
        let decoded = percent_decoded(path);
        if decoded.starts_with('/') {
            return self.resolve_site_absolute(&decoded, fragment, from);
        }
        // Zola's internal link: `@/docs/page.md`, from the content folder.
        let (from_dir, decoded) = match decoded.strip_prefix("@/") {
            Some(rest) => ("", std::borrow::Cow::Owned(rest.to_string())),
            None => (parent(from), decoded),
        };
        let base = [self.content_prefix.as_str(), from_dir];
        let Some(target) = normalize_in(&base, &decoded) else {
            return Target::OutsideRoot;
        };
        self.resolve_root_relative(target, fragment)
    }

    /// A link written from the site's root (`/docs/setup/`, as Hugo and
    /// Docusaurus sites write them): against the content folder, as the
    /// built site serves it (after the published prefix, if any), where
    /// `/docs/setup/` may also be the page `docs/setup.md`; else against
    /// the repository's root, as GitHub reads it.
    /// In a Hugo site with a folder per language (`content/en/docs/…`), a
    /// page's site-absolute links start from its language's folder, then
    /// from the default language's.
    fn resolve_site_absolute(&self, path: &str, fragment: Option<String>, from: &str) -> Target {
        let found = self.resolve_site_absolute_in_tree(path, fragment.clone(), from);
        if !matches!(found, Target::Missing { .. } | Target::OutsideRoot) {
            return found;
        }
        if let Some(page) = self
            .page_ignoring_case(path, from)
            .or_else(|| self.page_by_alias(path, from))
        {
            return Target::Page { page, fragment };
        }
        // A Docusaurus blog's post (pnpm.io's `/blog/whats-different-in-pnpm-12`).
        if self.docusaurus {
            let url = path.split(['#', '?']).next().unwrap_or_default();
            let blog = self
                .docusaurus_blog
                .get_or_init(|| docusaurus_blog_urls(&self.root, &self.site_dir));
            if blog.contains(url.trim_matches('/')) {
                return Target::Generated {
                    url: url.to_string(),
                    fragment,
                };
            }
        }
        // A file a site generator serves from its static folder at the
        // site's root: `static/` (Hugo, Docusaurus, Zola, SvelteKit),
        // `public/` (Next.js, Astro, Nuxt, Vite; VitePress's in the docs
        // folder). Not a `public/` that almanac wrote.
        let in_site = path.trim_start_matches('/');
        let file = in_site.split(['#', '?']).next().unwrap_or_default();
        if file.is_empty() || file.ends_with('/') {
            return found;
        }
        let content = self.content_prefix.as_str();
        // A site in a folder of the repository has its static folder
        // beside its content (kind's `site/static/` by `site/content/`).
        let beside = match parent(content) {
            "" => None,
            site => Some(format!("{site}/static")),
        };
        // The static folder of a site kept in a folder of the project,
        // whose content is deeper (dapr's `daprdocs/content/en`).
        let site_static = (!self.site_dir.as_os_str().is_empty())
            .then(|| format!("{}/static", self.site_dir.display()));
        let statics = ["static", "public"]
            .into_iter()
            .flat_map(|dir| [dir.to_string(), format!("{content}/{dir}")])
            .chain([
                format!("{content}/.vitepress/public"),
                format!("{content}/.vuepress/public"),
                // Docusaurus set up in a folder of its own beside the docs.
                "website/static".to_string(),
            ])
            .chain(beside)
            .chain(site_static);
        let Some(file_path) = normalize_in(&[], file) else {
            return found;
        };
        for dir in statics {
            let dir = self.root.join(dir.trim_start_matches('/'));
            if dir.join(&file_path).is_file() && !dir.join(crate::write::MARKER).exists() {
                return Target::Generated {
                    url: file.to_string(),
                    fragment,
                };
            }
        }
        found
    }

    fn resolve_site_absolute_in_tree(
        &self,
        path: &str,
        fragment: Option<String>,
        from: &str,
    ) -> Target {
        let in_site = match path.strip_prefix(self.site_prefix.as_str()) {
            Some(rest)
                if !self.site_prefix.is_empty() && (rest.is_empty() || rest.starts_with('/')) =>
            {
                rest
            }
            _ => path,
        };
        // Below the site's root (`/handbook` alone is its root).
        let in_site = in_site.strip_prefix('/').unwrap_or(in_site);
        let mut site = None;
        let language = language_of(from);
        // Its own language's folder, then the default language's (Hugo
        // serves `/docs/x` from the default language, `en` unless set).
        let languages = language
            .into_iter()
            .chain(language.filter(|l| *l != "en").map(|_| "en"));
        for base in std::iter::once(None).chain(languages.map(Some)) {
            let base = [self.content_prefix.as_str(), base.unwrap_or("")];
            let Some(target) = normalize_in(&base, in_site) else {
                continue;
            };
            let found = self.resolve_root_relative(target, fragment.clone());
            let Target::Missing { path: missing, .. } = &found else {
                return found;
            };
            if let Some(page) = self.pretty_page(missing) {
                return Target::Page { page, fragment };
            }
            if let Some(mdx) = self.mdx_page(missing, fragment.clone()) {
                return mdx;
            }
            site.get_or_insert(found);
        }
        if !self.content_prefix.is_empty()
            && let Some(target) = normalize_in(&[], path)
        {
            let found = self.resolve_root_relative(target, fragment.clone());
            let Target::Missing { path: missing, .. } = &found else {
                return found;
            };
            // The content folder served under its own name (`docs/` at
            // `/docs/`, as prometheus.io serves its `docs/concepts/x.md` at
            // `/docs/concepts/x/`).
            if let Some(page) = self.pretty_page(missing) {
                return Target::Page { page, fragment };
            }
            if let Some(mdx) = self.mdx_page(missing, fragment.clone()) {
                return mdx;
            }
            // Report the path under the content folder when the link names
            // one of its folders, else the repository's.
            let first = in_site.split('/').next().unwrap_or("");
            let in_content =
                !first.is_empty() && self.root.join(&self.content_prefix).join(first).exists();
            if !in_content || site.is_none() {
                return found;
            }
        }
        site.unwrap_or(Target::OutsideRoot)
    }

    /// Where a link that `resolve` found nothing at leads on the site of
    /// the adopted generator when it serves each page as a folder (MkDocs:
    /// `a.md` at `a/`): a link it leaves as written (`as_written`: raw
    /// HTML, or a page's URL rather than a file's) is read from that
    /// folder, and `../b` or `b/` is the page of `b.md` (httpx's
    /// `[…](../advanced/transports)`).
    ///
    /// Docusaurus serves `dir/b.md` at `dir/b`, so a page's URL there is
    /// read from the file's own folder (`./essentials/part-1-overview`), and
    /// a `.md` path not beside the file is tried from the docs' root next,
    /// as Docusaurus tries it (redux's `[…](api/Store.md)` from any folder).
    pub(crate) fn resolve_served(
        &self,
        from: &str,
        dest: &str,
        as_written: bool,
    ) -> Option<Target> {
        if self.docusaurus {
            let there = match self.resolve(from, dest) {
                Target::Missing { path, fragment } if is_page_url(dest) => Target::Page {
                    page: self.pretty_page(&path).or_else(|| {
                        let url = self.content_rel(&path)?.trim_end_matches('/');
                        self.docusaurus_urls.get(url).copied()
                    })?,
                    fragment,
                },
                Target::Missing { .. } if is_md_path(dest) && !dest.starts_with('/') => {
                    self.resolve("", dest)
                }
                there => there,
            };
            return (!matches!(there, Target::Missing { .. } | Target::OutsideRoot))
                .then_some(there);
        }
        // VitePress serves `setup.md` at `setup` (and `setup.html`): a link
        // may leave out the extension (`./server-options#server-host`).
        if self.vitepress {
            return match self.resolve(from, dest) {
                Target::Missing { path, fragment } => Some(Target::Page {
                    page: self.pretty_page(&path)?,
                    fragment,
                }),
                _ => None,
            };
        }
        // Hugo writes every link as it is: each is read from the page's
        // folder (`setup.md` is served at `setup/`).
        let hugo = self.is_hugo();
        if !(self.served_in_folders && as_written || hugo) {
            return None;
        }
        let served = served_as(from).unwrap_or_else(|| from.to_string());
        let there = match self.resolve(&served, dest) {
            Target::Missing { path, fragment } => {
                let mdx = || self.mdx_page(&path, fragment.clone());
                match self.pretty_page(&path).ok_or_else(mdx) {
                    Ok(page) => Target::Page { page, fragment },
                    Err(Some(mdx)) => mdx,
                    // What the page's URL folder has from the site's static
                    // folder (`./logo/logo.png` on the home page).
                    Err(None) if hugo => match self.content_rel(&path) {
                        Some(rel) if !rel.is_empty() => {
                            self.resolve_site_absolute(&format!("/{rel}"), fragment, from)
                        }
                        _ => Target::Missing { path, fragment },
                    },
                    Err(None) => Target::Missing { path, fragment },
                }
            }
            there => there,
        };
        if !matches!(there, Target::Missing { .. } | Target::OutsideRoot) {
            return Some(there);
        }
        // A translated page shows what its default-language page has
        // (Hugo shares a bundle's untranslated files): `es/docs/x.md` reads
        // from `en/docs/`.
        let language = language_of(from).filter(|l| hugo && *l != "en")?;
        let default = format!("en{}", &from[language.len()..]);
        self.resolve_served(&default, dest, as_written)
    }

    /// In a Hugo site, which lowercases its pages' URLs, the guide the
    /// site-absolute `path` names whatever the case of its file
    /// (`/functions/lang/translate/` for `functions/lang/Translate.md`), in
    /// the page's language folder or the default one.
    fn page_ignoring_case(&self, path: &str, from: &str) -> Option<usize> {
        let pages = self.lowercase_pages.as_ref()?.get_or_init(|| {
            self.pages
                .iter()
                .map(|(p, &i)| (p.to_lowercase(), i))
                .collect()
        });
        self.in_language_folders(path, from).find_map(|base| {
            [
                format!("{base}.md"),
                format!("{base}/_index.md"),
                format!("{base}/index.md"),
            ]
            .iter()
            .find_map(|key| pages.get(key).copied())
        })
    }

    /// The page whose alias the site-absolute `path` is, from the site's
    /// root, its language's folder or the default language's.
    fn page_by_alias(&self, path: &str, from: &str) -> Option<usize> {
        if self.aliases.is_empty() {
            return None;
        }
        self.in_language_folders(path, from)
            .find_map(|key| self.aliases.get(&key).copied())
    }

    /// The site-absolute `path`, its published prefix and slashes at
    /// either end left out, in lower case, as the site's root, the language
    /// folder of the page `from` and the default language's folder (`en`)
    /// each have it: where Hugo serves it from, in order.
    fn in_language_folders(&self, path: &str, from: &str) -> impl Iterator<Item = String> {
        let path = path.trim_start_matches('/');
        let path = match path.strip_prefix(self.site_prefix.trim_start_matches('/')) {
            Some(rest) if !self.site_prefix.is_empty() => rest,
            _ => path,
        };
        let wanted = path.trim_matches('/').to_lowercase();
        let language = language_of(from);
        std::iter::once(None)
            .chain(language.map(Some))
            .chain(language.filter(|l| *l != "en").map(|_| Some("en")))
            .map(move |folder| match folder {
                None => wanted.clone(),
                Some(l) => format!("{l}/{wanted}"),
            })
    }

    /// The file of a static folder at the site's root (`public/`) that a
    /// relative link of the page `from` names as the browser reads it, from
    /// the page's URL: cert-manager's `a.yaml` on the page served at
    /// `/docs/tutorials/x/` is `public/docs/tutorials/x/a.yaml`. For an
    /// application whose routes are code, which serves its pages so.
    pub(crate) fn resolve_in_static_served(&self, from: &str, dest: &str) -> Option<Target> {
        let served = served_as(from).unwrap_or_else(|| from.to_string());
        let Target::Missing { path, fragment } = self.resolve(&served, dest) else {
            return None;
        };
        let rel = self.content_rel(&path).filter(|r| !r.is_empty())?;
        match self.resolve_site_absolute(&format!("/{rel}"), fragment, from) {
            found @ Target::Generated { .. } => Some(found),
            _ => None,
        }
    }

    /// Whether the root-relative `path` is a page the site's Hugo config
    /// mounts as a file of its own (buildpacks' `…/concepts/buildpack.md`
    /// from `content/docs/.common/`), by its file or its URL, and that file
    /// is there.
    pub(crate) fn mounted_file(&self, path: &str) -> bool {
        let Some(rel) = self.content_rel(path) else {
            return false;
        };
        let rel = rel.trim_end_matches('/');
        self.content_mounts.iter().any(|(at, source)| {
            let page = at.strip_suffix(".md").unwrap_or(at);
            at.ends_with(".md")
                && (rel == at || rel == page || rel.strip_suffix(".html") == Some(page))
                && self.root.join(source.trim_start_matches('/')).is_file()
        })
    }

    /// The folder the site's Hugo config mounts into the content where the
    /// root-relative `path` is (any such folder when `path` is `None`):
    /// its pages are not among the guides.
    pub(crate) fn mounted_content(&self, path: Option<&str>) -> Option<&str> {
        let rel = match path {
            Some(path) => Some(self.content_rel(path)?),
            None => None,
        };
        self.content_mounts
            .iter()
            .find(|(at, _)| {
                rel.is_none_or(|rel| {
                    at.is_empty()
                        || rel == at
                        || rel
                            .strip_prefix(at.as_str())
                            .is_some_and(|r| r.starts_with('/'))
                })
            })
            .map(|(_, source)| source.as_str())
    }

    /// What a Hugo `{{< ref >}}` (or `relref`) path that is not beside the
    /// page names, as Hugo looks it up next: from the content folder's
    /// root, then a path with no folder by the name of a page (`setup.md`,
    /// `setup`) or of a section's folder (`quickstarts` or `quickstarts.md`
    /// for `…/quickstarts/_index.md`) anywhere in the site, in any case. A name
    /// more than one page has is Hugo's to refuse: it is taken as found,
    /// its `#fragment` not looked up. `None`: not there either.
    pub(crate) fn resolve_hugo_ref(&self, from: &str, dest: &str) -> Option<Target> {
        let dest = dest.trim();
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(percent_decode(f))),
            None => (dest, None),
        };
        let path = path.trim_matches('/');
        if path.is_empty() || path.starts_with('.') || has_scheme(dest) {
            return None;
        }
        let found = |t: &Target| !matches!(t, Target::Missing { .. } | Target::OutsideRoot);
        let from_root = self.resolve(from, &format!("/{}", dest.trim_start_matches('/')));
        if found(&from_root) {
            return Some(from_root);
        }
        if path.contains('/') {
            return None;
        }
        let names = self.hugo_names.get_or_init(|| {
            let mut names: HashMap<String, Vec<usize>> = HashMap::default();
            for (i, page) in self.guide_paths.iter().enumerate() {
                let page = page.to_ascii_lowercase();
                let name = file_name(&page);
                let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
                let key = match stem {
                    "_index" | "index" => file_name(parent(&page)),
                    stem => stem,
                };
                if !key.is_empty() {
                    names.entry(key.to_string()).or_default().push(i);
                }
            }
            names
        });
        let name = path.to_ascii_lowercase();
        let name = name.strip_suffix(".md").unwrap_or(&name);
        match names.get(name)?.as_slice() {
            [page] => Some(Target::Page {
                page: *page,
                fragment,
            }),
            _ => Some(Target::Generated {
                url: path.to_string(),
                fragment: None,
            }),
        }
    }

    /// The guide a pretty URL names by its root-relative path: `docs/setup/`
    /// or `docs/setup` is served from `docs/setup.md`.
    pub(crate) fn pretty_page(&self, missing: &str) -> Option<usize> {
        let page = format!("{}.md", missing.trim_end_matches('/'));
        self.content_rel(&page)
            .and_then(|rel| self.pages.get(rel))
            .copied()
    }

    /// The MDX page of the content a site's URL names (`/docs/install/`
    /// for `docs/install.mdx` or `docs/install/index.mdx`, as Astro and
    /// Docusaurus serve them): there, though almanac does not read MDX, so
    /// its anchors are not looked up.
    fn mdx_page(&self, missing: &str, fragment: Option<String>) -> Option<Target> {
        let path = missing.trim_end_matches('/');
        let rel = self.content_rel(path)?;
        if rel.is_empty() {
            return None;
        }
        let numbered = || {
            // Docusaurus leaves a number prefix out of the URL
            // (`concepts/evaluation-api/` is `01-evaluation-api.mdx`).
            let name = file_name(path);
            let dir = self.root.join(parent(path));
            std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
                let file = e.file_name();
                let file = file.to_str()?;
                let stem = file
                    .strip_suffix(".mdx")
                    .or_else(|| file.strip_suffix(".md"))?;
                let (n, rest) = stem.split_once(['-', '_', '.'])?;
                (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && rest == name)
                    .then_some(())
            })
        };
        let found = [format!("{path}.mdx"), format!("{path}/index.mdx")]
            .iter()
            .any(|f| self.root.join(f).is_file())
            || (self.docusaurus && !name_is_empty(path) && numbered().is_some());
        found.then(|| Target::Generated {
            url: rel.to_string(),
            fragment,
        })
    }

    /// What the root-relative path `target` names.
    fn resolve_root_relative(&self, target: String, fragment: Option<String>) -> Target {
        if let Some(rel) = self.content_rel(&target) {
            if let Some(&page) = self.pages.get(rel) {
                return Target::Page { page, fragment };
            }
            // A folder, or another index file of a folder (README.md beside index.md).
            let dir = match rel.trim_end_matches('/') {
                r if is_index_name(file_name(r)) => parent(r),
                r => r,
            };
            if let Some(index) = self.dirs.get(dir) {
                return self.folder_page(dir, *index, fragment);
            }
            if self.assets.contains(rel) {
                return Target::Asset {
                    path: rel.to_string(),
                };
            }
            let folder_index = format!("{}/index.html", rel.trim_end_matches('/'));
            if let Some(url) = [rel, folder_index.as_str()]
                .into_iter()
                .find(|u| self.generated.contains(*u))
            {
                return Target::Generated {
                    url: url.to_string(),
                    fragment,
                };
            }
            let top = rel.split('/').next().unwrap_or(rel);
            if self.unknown_dirs.iter().any(|d| d == top) {
                return Target::Generated {
                    url: rel.to_string(),
                    fragment,
                };
            }
            // The output page of a guide, as mdBook books link their
            // pages: `a.html` is `a.md`'s page, `x/index.html` the folder's.
            if let Some(stem) = rel.strip_suffix(".html") {
                if file_name(stem) == "index"
                    && let Some(index) = self.dirs.get(parent(stem))
                {
                    return self.folder_page(parent(stem), *index, fragment);
                }
                if let Some(&page) = self.pages.get(format!("{stem}.md").as_str()) {
                    return Target::Page { page, fragment };
                }
            }
            // A file in a hidden folder of the content (GitBook's
            // `.gitbook/assets/`), which the site leaves out: there, but
            // withheld, not missing.
            let hidden = rel
                .split('/')
                .any(|seg| seg.starts_with('.') && seg.len() > 1);
            if hidden && self.root.join(&target).is_file() {
                let path = target.trim_end_matches('/').to_string();
                let why = self.withheld(&path).unwrap_or(Withheld::Hidden);
                return Target::Withheld { path, why };
            }
            // A folder or file of the content that is neither a page nor an
            // asset (a README's `./pkg`, a folder of code with no markdown):
            // a repository file, as the forge shows it.
            if !hidden && self.root.join(&target).exists() {
                let path = target.trim_end_matches('/').to_string();
                return match self.withheld(&path) {
                    Some(why) => Target::Withheld { path, why },
                    None => Target::RepoFile { path },
                };
            }
        } else if target.is_empty() || self.root.join(&target).exists() {
            // The repository's root, or one of its files outside the content folder.
            let path = target.trim_end_matches('/').to_string();
            return match self.withheld(&path) {
                Some(why) => Target::Withheld { path, why },
                None => Target::RepoFile { path },
            };
        }
        Target::Missing {
            path: target,
            fragment,
        }
    }

    /// A folder of guides: its index guide's page, or its generated list.
    fn folder_page(&self, dir: &str, index: Option<usize>, fragment: Option<String>) -> Target {
        match index {
            Some(page) => Target::Page { page, fragment },
            None => Target::Section {
                dir: dir.to_string(),
                fragment,
            },
        }
    }

    /// Why the existing repository file at root-relative `path` must not be
    /// published, if it must not. With `repo_url` set nothing is copied (links
    /// go to the forge), and only `.git/` is refused.
    fn withheld(&self, path: &str) -> Option<Withheld> {
        let hidden = |p: &str| {
            if p.split('/').any(|seg| seg == ".git") {
                Some(Withheld::Git)
            } else if p.split('/').any(|seg| seg.starts_with('.')) {
                Some(Withheld::Hidden)
            } else {
                None
            }
        };
        match hidden(path) {
            Some(Withheld::Git) => return Some(Withheld::Git),
            Some(why) if self.copies_repo_files => return Some(why),
            _ => {}
        }
        if !self.copies_repo_files {
            return None;
        }
        let full = self.root.join(path);
        let Some(real_root) = self.real_root() else {
            return Some(Withheld::Outside);
        };
        // Where the path really leads: inside the repository, and no dotfile there either.
        let real = full.canonicalize().ok()?;
        let Ok(real_rel) = real.strip_prefix(real_root) else {
            return Some(Withheld::Outside);
        };
        let real_rel = real_rel.to_string_lossy().replace('\\', "/");
        if let Some(why) = hidden(&real_rel) {
            return Some(why);
        }
        let meta = std::fs::metadata(&real).ok()?;
        if meta.is_dir() {
            // A folder is linked to, never copied.
            return None;
        }
        if !meta.is_file() {
            return Some(Withheld::NotAFile);
        }
        let tracked = self
            .tracked
            .get_or_init(|| crate::load::history::tracked_paths(&self.root));
        match tracked {
            Some(tracked) if !tracked.contains(&real_rel) => Some(Withheld::Untracked),
            _ => None,
        }
    }

    /// The content-relative path of guide number `page`.
    pub fn guide_path(&self, page: usize) -> &str {
        &self.guide_paths[page]
    }

    /// The output page of guide number `page`.
    pub fn guide_url(&self, page: usize) -> &str {
        &self.guide_urls[page]
    }

    /// The content-relative form of a root-relative path, if it is inside the content dir.
    pub fn content_rel<'a>(&self, root_rel: &'a str) -> Option<&'a str> {
        if self.content_prefix.is_empty() {
            return Some(root_rel);
        }
        let rest = root_rel.strip_prefix(self.content_prefix.as_str())?;
        if rest.is_empty() {
            Some("")
        } else {
            rest.strip_prefix('/')
        }
    }
}

/// A language folder's name, as Hugo's multilingual sites name them: `en`,
/// `pt-br`, `zh-Hans`.
fn is_language_code(name: &str) -> bool {
    let (lang, region) = name.split_once('-').unwrap_or((name, ""));
    lang.len() == 2
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && (region.is_empty()
            || ((2..=4).contains(&region.len()) && region.bytes().all(|b| b.is_ascii_alphabetic())))
}

/// The language folder the content-relative path `from` is in, in a site
/// with a folder per language (`en/docs/setup.md` → `en`).
pub(crate) fn language_of(from: &str) -> Option<&str> {
    from.split_once('/')
        .map(|(first, _)| first)
        .filter(|first| is_language_code(first))
}

/// The path of `base_url` without its trailing `/`: what the published
/// site's own absolute links start with.
fn site_prefix(base_url: Option<&str>) -> String {
    let Some(url) = base_url else {
        return String::new();
    };
    let after_host = url.split_once("://").map_or(url, |(_, rest)| {
        rest.find('/').map_or("", |slash| &rest[slash..])
    });
    after_host.trim_end_matches('/').to_string()
}

fn has_scheme(dest: &str) -> bool {
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Joins `rel` onto the root-relative folder `base`, folding `.` and `..`.
/// `None` when the path climbs above the root. A trailing `/` is kept.
pub(crate) fn normalize(base: &str, rel: &str) -> Option<String> {
    normalize_in(&[base], rel)
}

/// `normalize` with the base folder given in parts, joined by `/`.
fn normalize_in(base: &[&str], rel: &str) -> Option<String> {
    let mut out =
        String::with_capacity(base.iter().map(|b| b.len() + 1).sum::<usize>() + rel.len());
    let base = if rel.starts_with('/') { &[][..] } else { base };
    let base_segments = base.iter().flat_map(|b| b.split('/'));
    for seg in base_segments.chain(rel.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                if out.is_empty() {
                    return None;
                }
                out.truncate(out.rfind('/').unwrap_or(0));
            }
            s => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(s);
            }
        }
    }
    if rel.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// A relative href from the page at `from_url` to `to_url` (both
/// site-root-relative output paths), percent-encoded: every link between the
/// site's own pages is made here, so a file named `c?d.md` or
/// `javascript:x.md` is a path in every link to it.
pub(crate) fn relative_href(from_url: &str, to_url: &str) -> String {
    let folder = &from_url[..from_url.rfind('/').map_or(0, |slash| slash + 1)];
    let mut path = String::with_capacity(to_url.len() + 9);
    push_relative(&mut path, to_url, folder);
    if path.is_empty() {
        path.push_str("./");
    }
    if path.bytes().all(|b| PATH_SAFE[usize::from(b)]) {
        return path;
    }
    percent_encode_path(&path)
}

/// `url` (from the site root) as a link from a page in `folder` (from the
/// site root, ending in `/` unless empty): up to the folders they share,
/// then down, so links between neighbours stay short.
pub(crate) fn push_relative(out: &mut String, url: &str, folder: &str) {
    let (u, f) = (url.as_bytes(), folder.as_bytes());
    let mut same = 0;
    while same < u.len().min(f.len()) && u[same] == f[same] {
        same += 1;
    }
    let shared = memchr::memrchr(b'/', &f[..same]).map_or(0, |slash| slash + 1);
    for _ in memchr::memchr_iter(b'/', &f[shared..]) {
        out.push_str("../");
    }
    out.push_str(&url[shared..]);
}

/// `../` repeated once per folder level of `url`: the way back to the site root.
pub(crate) fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

pub(crate) fn percent_decode(s: &str) -> String {
    percent_decoded(s).into_owned()
}

/// `percent_decode`, borrowing `s` when it has nothing to decode.
fn percent_decoded(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('%') {
        return s.into();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).map_or(s.into(), Into::into)
}

/// Escapes what may not appear raw in an href path (spaces, quotes, `#`,
/// `?`, `%`, `:`, non-ASCII): the one encoder of every href the site writes
/// to its own files. `:` is escaped so that no relative path's first segment
/// reads as a scheme (`javascript:…`).
pub(crate) fn percent_encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_percent_encoded(&mut out, s);
    out
}

/// `percent_encode_path`, appending to `out`.
pub(crate) fn push_percent_encoded(out: &mut String, s: &str) {
    let safe = |b: u8| PATH_SAFE[usize::from(b)];
    if s.bytes().all(safe) {
        out.push_str(s);
        return;
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if safe(b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// The bytes an href path keeps as they are, by byte.
const PATH_SAFE: [bool; 256] = {
    let mut safe = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        safe[b] = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        b += 1;
    }
    safe
};

/// Where MkDocs serves the page of the content-relative `path` when pages
/// are folders: `a/b.md` at `a/b/` (as if `a/b/index.md`); `None` for an
/// index or README, served at its own folder.
pub(crate) fn served_as(path: &str) -> Option<String> {
    let name = file_name(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    if ["index", "_index", "readme"]
        .iter()
        .any(|i| stem.eq_ignore_ascii_case(i))
    {
        return None;
    }
    Some(match parent(path) {
        "" => format!("{stem}/index.md"),
        dir => format!("{dir}/{stem}/index.md"),
    })
}

/// Whether a link's path (before any `#` or `?`) is a page's URL as a site
/// serves it, not a file's: it ends in `/`, or its last part has no
/// extension (`../advanced/transports`, `setup/`).
pub(crate) fn is_page_url(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or_default();
    !path.is_empty() && (path.ends_with('/') || !file_name(path).contains('.'))
}

/// Whether a link's path (before any `#` or `?`) names a `.md` file.
pub(crate) fn is_md_path(dest: &str) -> bool {
    dest.split(['#', '?'])
        .next()
        .unwrap_or_default()
        .ends_with(".md")
}

/// The URLs of a Docusaurus blog's posts (`blog/` in the site's folder,
/// else at the root or in `website/`), without slashes at either end:
/// `blog/<slug>` for a post whose front matter names a `slug` (the slug
/// alone when it starts with `/`), else `blog/YYYY/MM/DD/<name>` for a
/// file or folder named `YYYY-MM-DD-name` (`…/index.md` in the folder),
/// and `blog/<path>` as it is.
fn docusaurus_blog_urls(root: &Path, site_dir: &Path) -> HashSet<String> {
    let mut urls = HashSet::default();
    let blog = [site_dir.join("blog"), root.join("website/blog")]
        .into_iter()
        .map(|dir| match dir.is_absolute() {
            true => dir,
            false => root.join(dir),
        })
        .find(|dir| dir.is_dir());
    let Some(blog) = blog else {
        return urls;
    };
    for entry in walkdir::WalkDir::new(&blog)
        .max_depth(4)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        let Some(rel) = entry
            .path()
            .strip_prefix(&blog)
            .ok()
            .and_then(|r| r.to_str())
        else {
            continue;
        };
        let rel = rel.replace('\\', "/");
        let Some(stem) = rel.strip_suffix(".md").or_else(|| rel.strip_suffix(".mdx")) else {
            continue;
        };
        // A folder's `index.md` is the folder's post.
        let stem = match stem.rsplit_once('/') {
            Some((dir, "index")) => dir,
            _ if stem == "index" => continue,
            _ => stem,
        };
        urls.insert(format!("blog/{stem}"));
        let (dir, name) = stem.rsplit_once('/').unwrap_or(("", stem));
        let dated = name.get(..11).filter(|d| {
            d.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 | 10 => b == b'-',
                _ => b.is_ascii_digit(),
            })
        });
        if let Some(date) = dated {
            let rest = &name[11..];
            let path = format!("{}/{}/{}/{rest}", &date[..4], &date[5..7], &date[8..10]);
            urls.insert(match dir {
                "" => format!("blog/{path}"),
                dir => format!("blog/{dir}/{path}"),
            });
        }
        // A regular file only (a FIFO by a post's name would never end),
        // its front matter read as a guide's.
        let text = crate::error::read_file(entry.path())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let (post, _) = crate::load::guides::parse_lenient(&rel, &rel, text);
        if let Some(slug) = post.front.slug.as_deref() {
            urls.insert(match slug.strip_prefix('/') {
                Some(absolute) => absolute.trim_matches('/').to_string(),
                None => format!("blog/{}", slug.trim_matches('/')),
            });
        }
    }
    urls
}

fn name_is_empty(path: &str) -> bool {
    file_name(path).is_empty()
}

/// The content-relative URL Docusaurus gives a guide's page: a `slug`
/// from the site's root as it is, else its folder and its `slug`, `id` or
/// file name without a number prefix (`01-intro.md` is `intro`); a folder's
/// `index`/`README` is the folder.
fn docusaurus_url(guide: &crate::load::guides::Guide) -> String {
    let front = &guide.front;
    if let Some(slug) = front.slug.as_deref().filter(|s| s.starts_with('/')) {
        return slug.trim_matches('/').to_string();
    }
    let id = front.extra.get("id").and_then(|v| v.as_str());
    let stem = file_name(&guide.path)
        .rsplit_once('.')
        .map_or(file_name(&guide.path), |(stem, _)| stem);
    let stem = match stem.split_once(['-', '_', '.']) {
        Some((n, rest)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => stem,
    };
    let name = match front.slug.as_deref().or(id) {
        Some(name) => name.trim_matches('/'),
        None if guide.is_index() => "",
        None => stem,
    };
    let dir = guide.dir();
    match (dir.is_empty(), name.is_empty()) {
        (true, _) => name.to_string(),
        (false, true) => dir.to_string(),
        (false, false) => format!("{dir}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls() {
        assert_eq!(page_url("README.md"), "index.html");
        assert_eq!(page_url("release/_index.md"), "release/index.html");
        assert_eq!(
            page_url("release/hotfix-guide.md"),
            "release/hotfix-guide.html"
        );
    }

    #[test]
    fn normalize_folds_dots() {
        assert_eq!(
            normalize("content/a", "../b/./c.md").as_deref(),
            Some("content/b/c.md")
        );
        assert_eq!(normalize("content", "../../x"), None);
        assert_eq!(
            normalize("content/a", "/scripts/x.sh").as_deref(),
            Some("scripts/x.sh")
        );
        assert_eq!(
            normalize("content", "sub/").as_deref(),
            Some("content/sub/")
        );
    }

    #[test]
    fn normalize_agrees_with_a_segment_stack() {
        // The plain definition: a stack of segments.
        fn reference(base: &str, rel: &str) -> Option<String> {
            let mut parts: Vec<&str> = if rel.starts_with('/') {
                Vec::new()
            } else {
                base.split('/').filter(|s| !s.is_empty()).collect()
            };
            for seg in rel.split('/') {
                match seg {
                    "" | "." => {}
                    ".." => {
                        parts.pop()?;
                    }
                    s => parts.push(s),
                }
            }
            let mut out = parts.join("/");
            if rel.ends_with('/') && !out.is_empty() {
                out.push('/');
            }
            Some(out)
        }
        let pieces = ["", "a", "..", ".", "/", "b.md", "é"];
        let join = |ids: &[usize]| ids.iter().map(|&i| pieces[i]).collect::<Vec<_>>().join("/");
        let mut paths = vec![String::new()];
        for a in 0..pieces.len() {
            for b in 0..pieces.len() {
                for c in 0..pieces.len() {
                    paths.push(join(&[a, b, c]));
                }
            }
        }
        for base in ["", "content", "content/a", "x/y/z"] {
            for rel in &paths {
                assert_eq!(normalize(base, rel), reference(base, rel), "{base} + {rel}");
            }
        }
        // A base in parts (the content folder, then a page's folder).
        for (prefix, dir) in [("", ""), ("docs", ""), ("", "a/b"), ("docs", "a")] {
            let joined = [prefix, dir].join("/");
            for rel in &paths {
                assert_eq!(
                    normalize_in(&[prefix, dir], rel),
                    reference(&joined, rel),
                    "{prefix} + {dir} + {rel}"
                );
            }
        }
    }

    #[test]
    fn relative_hrefs() {
        assert_eq!(
            relative_href("index.html", "release/a.html"),
            "release/a.html"
        );
        assert_eq!(relative_href("release/a.html", "release/b.html"), "b.html");
        assert_eq!(
            relative_href("release/a.html", "index.html"),
            "../index.html"
        );
        assert_eq!(relative_href("a/b/c.html", "a/x/d.html"), "../x/d.html");
        assert_eq!(relative_href("a/b.html", "a/b/c.html"), "b/c.html");
        // A file name is a path, never a scheme, a query or a fragment.
        assert_eq!(
            relative_href("index.html", "javascript:alert(1).html"),
            "javascript%3Aalert(1).html"
        );
        assert_eq!(relative_href("x/y.html", "a#b.html"), "../a%23b.html");
        assert_eq!(relative_href("c?d.html", "e%20f.html"), "e%2520f.html");
        assert_eq!(relative_href("index.html", "g\nh.html"), "g%0Ah.html");
    }

    #[test]
    fn relative_hrefs_agree_with_segment_lists() {
        fn reference(from_url: &str, to_url: &str) -> String {
            let from_dirs: Vec<&str> = parent(from_url)
                .split('/')
                .filter(|s| !s.is_empty())
                .collect();
            let to_parts: Vec<&str> = to_url.split('/').collect();
            let common = from_dirs
                .iter()
                .zip(&to_parts[..to_parts.len().saturating_sub(1)])
                .take_while(|(a, b)| a == b)
                .count();
            let mut href = "../".repeat(from_dirs.len() - common);
            href.push_str(&to_parts[common..].join("/"));
            if href.is_empty() {
                href.push_str("./");
            }
            href
        }
        let urls = [
            "index.html",
            "a.html",
            "a/index.html",
            "a/b.html",
            "a/b/c.html",
            "a/b/index.html",
            "ab/c.html",
            "a/bc/d.html",
            "x/y/z/w.html",
            "a/x/d.html",
            "a/",
        ];
        for from in urls {
            for to in urls {
                assert_eq!(
                    relative_href(from, to),
                    reference(from, to),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn percent_round_trip() {
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_encode_path("my file.md"), "my%20file.md");
        assert_eq!(percent_encode_path("é\"#?%/ok"), "%C3%A9%22%23%3F%25/ok");
    }

    /// RFC 3986's path characters (and `/`) but `:` stay as they are; every
    /// other ASCII byte is escaped.
    #[test]
    fn path_characters_are_kept_and_the_rest_escaped() {
        let kept = "-._~/!$&'()*+,;=@";
        for b in 0u8..128 {
            let c = char::from(b);
            let encoded = percent_encode_path(&c.to_string());
            if c.is_ascii_alphanumeric() || kept.contains(c) {
                assert_eq!(encoded, c.to_string());
            } else {
                assert_eq!(encoded, format!("%{b:02X}"));
            }
        }
    }

    #[test]
    fn schemes_are_external() {
        assert!(has_scheme("https://x.org"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("a.md"));
        assert!(!has_scheme("./c:d.md"));
    }
}
