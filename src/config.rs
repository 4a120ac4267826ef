//! `almanac.yaml` → `Config`. Every key is optional; unknown keys are errors
//! with line and column so a typo never silently does nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::finding::Kind;

/// `almanac.yaml`: the site's settings. Every key is optional.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(default, deny_unknown_fields)]
#[schemars(title = "almanac.yaml")]
pub struct Config {
    /// The site's title, in every page's header and title.
    #[schemars(example = &"Acme release handbook")]
    pub title: String,
    /// One sentence on what the handbook is, for the home page and search engines.
    #[schemars(example = &"How Acme plans, ships and measures releases.")]
    pub description: String,
    /// Absolute URL the site is published at; enables `sitemap.xml`.
    #[schemars(example = &"https://docs.example.org/handbook/")]
    pub base_url: Option<String>,
    /// Folder of the markdown guides, relative to the project root (default:
    /// `content/`, else `docs/`).
    #[schemars(with = "Option<String>", example = &"docs")]
    pub content_dir: Option<PathBuf>,
    /// `data/` unless set; a folder set here must exist.
    #[schemars(with = "Option<String>", example = &"release-data")]
    pub data_dir: Option<PathBuf>,
    /// Where `almanac build` writes the site.
    #[schemars(with = "String", example = &"public")]
    pub output_dir: PathBuf,
    /// The theme: `default`, or a folder under `themes/`.
    #[schemars(example = &"default")]
    pub theme: String,
    /// Repository web URL, for "edit this page" links.
    #[schemars(example = &"https://github.com/acme/widget")]
    pub repo_url: Option<String>,
    /// Branch the edit links point at.
    #[schemars(example = &"main")]
    pub edit_branch: String,
    /// What `almanac check` reports, and how severely.
    pub check: CheckConfig,
    /// Which commits release pages and reports list.
    pub changelog: ChangelogConfig,
    /// `versions:`: the handbook as it stood at each release tag.
    pub versions: Option<VersionsConfig>,
    /// What another generator's config (`mkdocs.yml`, `book.toml`) at the
    /// root says that almanac's does not: its navigation, its exclusions.
    #[serde(skip)]
    pub adopted: Option<Adopted>,
    /// The other generator whose config is at the root (`MkDocs`, `mdBook`,
    /// `Hugo`, `Zola`), when one is.
    #[serde(skip)]
    pub generator: Option<&'static str>,
    /// The folder of the project that holds that generator's config when
    /// it is not the root (traefik's `docs/mkdocs.yml`, dapr's
    /// `daprdocs/config.toml`), project-relative.
    #[serde(skip)]
    pub site_dir: Option<PathBuf>,
    /// Hugo's module mounts that put files from another folder into the
    /// content (dapr's SDK docs, from submodules): (where in the content,
    /// content-relative; the folder mounted, as the config writes it).
    #[serde(skip)]
    pub content_mounts: Vec<(String, String)>,
    /// The file this was read from and its text, to point at a key's line.
    #[serde(skip)]
    pub source: Option<Source>,
    /// The variables an adopted MkDocs site's `macros` plugin fills in
    /// (`include::Vars`).
    #[serde(skip)]
    pub macro_vars: Option<std::sync::Arc<BTreeMap<String, String>>>,
}

/// The variables the mkdocs-macros plugin gives pages: the config's
/// `extra:` (`{{ msrv }}`; nested tables by dotted names), `config.*`'s
/// strings, and what its git plugin reads (`git.tag`, the newest tag
/// reachable from `HEAD`; `git.commit`, `git.short_commit`).
fn macro_vars(root: &Path, yaml: &serde_yaml::Value) -> BTreeMap<String, String> {
    fn flatten(prefix: &str, value: &serde_yaml::Value, out: &mut BTreeMap<String, String>) {
        use serde_yaml::Value;
        match value {
            Value::String(s) => {
                out.insert(prefix.to_string(), s.clone());
            }
            Value::Number(n) => {
                out.insert(prefix.to_string(), n.to_string());
            }
            Value::Bool(b) => {
                out.insert(prefix.to_string(), b.to_string());
            }
            Value::Mapping(map) => {
                for (k, v) in map {
                    if let Some(k) = k.as_str() {
                        let name = match prefix {
                            "" => k.to_string(),
                            p => format!("{p}.{k}"),
                        };
                        flatten(&name, v, out);
                    }
                }
            }
            _ => {}
        }
    }
    let mut vars = BTreeMap::new();
    if let Some(extra) = yaml.get("extra") {
        flatten("", extra, &mut vars);
        flatten("extra", extra, &mut vars);
    }
    if let serde_yaml::Value::Mapping(map) = yaml {
        for (k, v) in map {
            if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
                vars.insert(format!("config.{k}"), v.to_string());
            }
        }
    }
    if let Ok(repo) = git2::Repository::discover(root) {
        if let Ok(head) = repo.head().and_then(|h| h.peel_to_commit()) {
            let id = head.id().to_string();
            vars.insert("git.short_commit".into(), id[..7.min(id.len())].to_string());
            vars.insert("git.commit".into(), id);
        }
        let mut options = git2::DescribeOptions::new();
        options.describe_tags();
        let mut format = git2::DescribeFormatOptions::new();
        format.abbreviated_size(0);
        if let Ok(tag) = repo
            .describe(&options)
            .and_then(|d| d.format(Some(&format)))
        {
            vars.insert("git.tag".into(), tag);
        }
    }
    vars
}

/// A config file's name (root-relative) and text.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub file: String,
    pub text: String,
}

/// The `check:` section.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// Per-kind severity: `error`, `warning` or `off`.
    #[schemars(schema_with = "severity_schema", example = example_severity())]
    pub severity: BTreeMap<Kind, Level>,
    /// Globs of root-relative files whose findings are not reported.
    #[schemars(example = ["content/archive/**"])]
    pub ignore_files: Vec<String>,
    /// Globs of link targets and command paths that are not checked.
    #[schemars(example = ["https://internal.example.org/**", "./scripts/secret-*.sh"])]
    pub ignore_targets: Vec<String>,
    /// How `check --external` fetches URLs.
    pub external: ExternalConfig,
}

/// The `severity:` map: a key per kind of finding (with its description),
/// no other key, a `Level` each.
fn severity_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let level = generator.subschema_for::<Level>().to_value();
    let properties: serde_json::Map<String, serde_json::Value> = Kind::ALL
        .iter()
        .map(|kind| {
            let mut schema = level.clone();
            if let Some(object) = schema.as_object_mut() {
                object.insert("description".into(), kind.description().into());
            }
            (kind.as_str().to_string(), schema)
        })
        .collect();
    schemars::json_schema!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

fn example_severity() -> BTreeMap<Kind, Level> {
    BTreeMap::from([
        (Kind::StalePage, Level::Error),
        (Kind::PlanWarning, Level::Off),
    ])
}

/// How severe a kind of finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fails the check (exit 1).
    Error,
    /// Reported; fails the check only with `--deny-warnings`.
    Warning,
    /// Not reported.
    Off,
}

/// The `changelog:` section: which commits release pages and reports list,
/// in git-cliff's spirit.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ChangelogConfig {
    /// Commits left out by conventional type (`chore`) or type and scope
    /// (`chore(deps)`).
    #[schemars(example = ["chore(deps)", "chore(release)", "style"])]
    pub skip: Vec<String>,
    /// Globs on an author's name or email whose commits are left out (bots).
    #[schemars(example = [r"*\[bot\]", "ci@example.org"])]
    pub skip_authors: Vec<String>,
    /// Whether commits that do not follow the convention are listed, under "Other".
    #[schemars(example = false)]
    pub other: bool,
    /// Types whose commits go into another type's group; `tests` → `test`
    /// and `doc` → `docs` always, `ci` → `build` unless set otherwise here.
    #[schemars(example = BTreeMap::from([("perf", "feat"), ("refactor", "chore")]))]
    pub fold: BTreeMap<String, String>,
}

impl Default for ChangelogConfig {
    fn default() -> Self {
        ChangelogConfig {
            skip: vec!["chore(deps)".into(), "chore(release)".into()],
            // `[` starts a character class in a glob: `\[bot\]` is literal.
            skip_authors: vec![r"*\[bot\]".into()],
            other: true,
            fold: BTreeMap::new(),
        }
    }
}

/// The `versions:` section: which release tags get a handbook of their own
/// (the handbook as it stood at each, read from git).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct VersionsConfig {
    /// The tag names of releases, `{version}` standing for the version; the
    /// calendar's `tag_pattern` (else `v{version}`) when unset.
    #[schemars(example = &"v{version}", example = &"release-{version}")]
    pub tags: Option<String>,
    /// How many of the newest final releases (no pre-release suffix) are built.
    #[schemars(example = 5)]
    pub keep: usize,
    /// Built from the working tree at the site root as "dev" when set (the
    /// branch the working tree is on); the latest release is the root otherwise.
    #[schemars(example = &"main")]
    pub branch: Option<String>,
}

impl Default for VersionsConfig {
    fn default() -> Self {
        VersionsConfig {
            tags: None,
            keep: 5,
            branch: None,
        }
    }
}

/// `check.external`: how `--external` fetches URLs.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ExternalConfig {
    /// Seconds to wait for a URL before it counts as failed.
    #[schemars(example = 20)]
    pub timeout_secs: u64,
    /// How many times a failed URL is tried again.
    #[schemars(example = 3)]
    pub retries: u32,
    /// How many URLs are fetched at once.
    #[schemars(example = 4)]
    pub concurrency: usize,
    /// Where results are cached between runs (root-relative).
    #[schemars(with = "String", example = &".almanac-cache/external.json")]
    pub cache_file: PathBuf,
    /// How long a cached result is trusted.
    #[schemars(example = 72)]
    pub cache_max_age_hours: u64,
    /// Globs of URLs not fetched.
    #[schemars(example = ["https://twitter.com/**", "http://localhost*"])]
    pub exclude: Vec<String>,
}

impl Default for ExternalConfig {
    fn default() -> Self {
        ExternalConfig {
            timeout_secs: 10,
            retries: 2,
            concurrency: 8,
            cache_file: PathBuf::from(".almanac-cache/external.json"),
            cache_max_age_hours: 24,
            exclude: Vec::new(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            description: String::new(),
            base_url: None,
            content_dir: None,
            data_dir: None,
            output_dir: PathBuf::from("public"),
            theme: "default".into(),
            repo_url: None,
            edit_branch: "main".into(),
            check: CheckConfig::default(),
            changelog: ChangelogConfig::default(),
            versions: None,
            adopted: None,
            generator: None,
            site_dir: None,
            content_mounts: Vec::new(),
            source: None,
            macro_vars: None,
        }
    }
}

impl Config {
    /// Parses the text of a config file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Config> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let mut config: Config =
            serde_yaml::from_str(text).map_err(|e| yaml_error(file, text, &e, 0))?;
        config.source = Some(Source {
            file: file.to_string(),
            text: text.to_string(),
        });
        config.check_globs()?;
        Ok(config)
    }

    /// Reads `path` if it exists; a missing optional config is the default.
    /// What an `mkdocs.yml` or `book.toml` at the root says fills what it
    /// leaves unset.
    pub fn load(root: &Path, path: &Path, required: bool) -> Result<Config> {
        let file = crate::error::display_path(root, path);
        let mut config = match crate::error::read_file(path) {
            Ok(bytes) => Config::parse(&file, &crate::error::text_of(&file, bytes)?)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Config::default(),
            Err(e) => return Err(Error::io("reading config", path, e)),
        };
        config.adopt(root);
        Ok(config)
    }

    /// Fills what this config leaves unset from another generator's config
    /// at the root (`adopt_here`), else in a folder of the root: a site
    /// kept beside the code (`docs/mkdocs.yml`, `website/hugo.toml`).
    fn adopt(&mut self, root: &Path) {
        if self.adopt_here(root) {
            return;
        }
        for folder in site_folders(root) {
            let before = self.content_dir.clone();
            if self.adopt_here(&root.join(&folder)) {
                // The generator's content folder is the site folder's.
                match (&before, &self.content_dir) {
                    (None, Some(content)) => self.content_dir = Some(folder.join(content)),
                    // VitePress' site is the folder that holds `.vitepress/`.
                    (None, None) if matches!(self.generator, Some("VitePress" | "VuePress")) => {
                        self.content_dir = Some(folder.clone())
                    }
                    _ => {}
                }
                self.site_dir = Some(folder);
                return;
            }
        }
        // GitBook's `.gitbook.yaml` last: a repository that moved on from
        // GitBook often keeps it (redux's, beside its Docusaurus site).
        if let Some(text) = crate::error::read_file(&root.join(".gitbook.yaml"))
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
        {
            self.adopt_gitbook(root, &text);
        }
    }

    /// Fills what this config leaves unset from the `mkdocs.yml` (or
    /// `.yaml`) in `root`, else its `book.toml`, Hugo's, Zola's, Docusaurus'
    /// or VitePress' config; whether one was there.
    fn adopt_here(&mut self, root: &Path) -> bool {
        let read = |name: &str| {
            crate::error::read_file(&root.join(name))
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
        };
        if let Some(text) =
            mkdocs_config_name(root).and_then(|name| mkdocs_yaml(&name, &read(&name)?))
        {
            self.adopt_mkdocs(root, &text);
        } else if let Some(text) = read("book.toml") {
            self.adopt_mdbook(root, &text);
        } else if let Some(text) = read("hugo.yaml").or_else(|| read("hugo.yml")) {
            if let Ok(yaml) = serde_yaml::from_str::<serde_json::Value>(&text) {
                self.adopt_hugo(root, &yaml);
            }
        } else if let Some(tree) = read("hugo.toml").and_then(|t| toml_tree(&t)) {
            self.adopt_hugo(root, &tree);
        } else if let Some(text) =
            read("config/_default/hugo.yaml").or_else(|| read("config/_default/config.yaml"))
        {
            // Hugo's config folder (opentelemetry.io's).
            if let Ok(yaml) = serde_yaml::from_str::<serde_json::Value>(&text) {
                self.adopt_hugo(root, &yaml);
            }
        } else if let Some(tree) = read("config/_default/hugo.toml")
            .or_else(|| read("config/_default/config.toml"))
            .and_then(|t| toml_tree(&t))
        {
            self.adopt_hugo(root, &tree);
        } else if let Some(tree) = read("config.toml").and_then(|t| toml_tree(&t)) {
            // Hugo's old name for its config, and Zola's: only taken as
            // theirs when it has their base URL key.
            if tree.get("base_url").is_some() {
                self.adopt_zola(root, &tree);
            } else if tree.get("baseURL").or(tree.get("baseurl")).is_some() {
                self.adopt_hugo(root, &tree);
            }
        } else if let Some(text) = [
            "docusaurus.config.js",
            "docusaurus.config.ts",
            "docusaurus.config.mjs",
        ]
        .iter()
        .find_map(|name| read(name))
        {
            self.generator = Some("Docusaurus");
            self.fill(js_string(&text, "title"), js_string(&text, "tagline"));
            // Its docs are its folder's `docs/` unless the config points the
            // docs plugin elsewhere (redux's `website/` reads `path:
            // '../docs'`); gatekeeper's `website/docs/` is its site's.
            if !text.contains("'../") && !text.contains("\"../") {
                self.adopt_content_dir(root, "docs");
            }
        } else if let Some(yaml) = read("config.yaml")
            .and_then(|t| serde_yaml::from_str::<serde_json::Value>(&t).ok())
            .filter(|y| y.get("baseURL").or(y.get("baseurl")).is_some())
        {
            self.adopt_hugo(root, &yaml);
        } else if let Some((dir, text, generator)) = ["docs", ""].iter().find_map(|dir| {
            [("vitepress", "VitePress"), ("vuepress", "VuePress")]
                .iter()
                .find_map(|(folder, generator)| {
                    ["ts", "mts", "js", "mjs"].iter().find_map(|ext| {
                        let name = format!("{dir}/.{folder}/config.{ext}");
                        Some((*dir, read(name.trim_start_matches('/'))?, *generator))
                    })
                })
        }) {
            // VitePress (or VuePress, whose pages and ids are the same):
            // its site is the folder that holds `.vitepress/`, its pages
            // that folder's `srcDir` (vuejs/docs' `src/`).
            self.generator = Some(generator);
            self.fill(js_string(&text, "title"), js_string(&text, "description"));
            let src = js_string(&text, "srcDir")
                .map(|s| s.trim_start_matches("./").trim_end_matches('/').to_string())
                .filter(|s| !s.is_empty() && s != ".");
            match (dir.is_empty(), src) {
                (true, Some(src)) => {
                    self.adopt_content_dir(root, &src);
                }
                (false, Some(src)) => {
                    self.adopt_content_dir(root, &format!("{dir}/{src}"));
                }
                (false, None) => {
                    self.adopt_content_dir(root, dir);
                }
                (true, None) => {}
            }
        } else if let Some((name, text)) = ASTRO_CONFIGS
            .iter()
            .find_map(|name| Some((*name, read(name)?)))
        {
            self.adopt_astro(root, name, &text);
        }
        self.generator.is_some()
    }

    /// GitBook's `.gitbook.yaml` (fluent-bit's docs, earthly's): its
    /// `root` is the content (the folder itself by default), and its
    /// `structure.summary` (`SUMMARY.md`) the navigation, read as mdBook's.
    fn adopt_gitbook(&mut self, root: &Path, text: &str) {
        self.generator = Some("GitBook");
        let yaml: serde_json::Value = serde_yaml::from_str(text).unwrap_or_default();
        let get = |path: &[&str]| {
            path.iter()
                .try_fold(&yaml, |v, key| v.get(key))
                .and_then(serde_json::Value::as_str)
                .map(|v| {
                    v.trim()
                        .trim_start_matches("./")
                        .trim_end_matches('/')
                        .to_string()
                })
        };
        let dir = get(&["root"]).filter(|r| !r.is_empty());
        let content = self.adopt_content_dir(root, dir.as_deref().unwrap_or("."));
        let summary_name = get(&["structure", "summary"])
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "SUMMARY.md".into());
        let summary = content.as_ref().and_then(|dir| {
            let text = crate::error::read_file(&root.join(dir).join(&summary_name)).ok()?;
            String::from_utf8(text).ok()
        });
        // The summary stays a page: its links are checked (GitBook, unlike
        // mdBook, makes no page a summary names that is not there).
        self.adopted = Some(Adopted {
            from: ".gitbook.yaml",
            nav: summary.as_deref().map(summary_nav).unwrap_or_default(),
            exclude: Vec::new(),
            not_pages: Vec::new(),
            served_in_folders: false,
        });
    }

    /// Astro's site: its pages are the docs collection (Starlight's
    /// `src/content/docs/`), else its content collections, else
    /// `src/pages/`; each is served as a folder (`guides/a.md` at
    /// `/guides/a/`).
    fn adopt_astro(&mut self, root: &Path, name: &'static str, text: &str) {
        self.generator = Some("Astro");
        self.fill(js_string(text, "title"), js_string(text, "description"));
        if let Some(dir) = ["src/content/docs", "src/content", "src/pages"]
            .into_iter()
            .find(|dir| root.join(dir).is_dir())
        {
            self.adopt_content_dir(root, dir);
        }
        self.adopted = Some(Adopted {
            from: name,
            nav: Vec::new(),
            exclude: Vec::new(),
            not_pages: Vec::new(),
            served_in_folders: true,
        });
    }

    /// Zola's `title`, `description` and `base_url`; its content is in `content/`.
    fn adopt_zola(&mut self, root: &Path, config: &serde_json::Value) {
        self.generator = Some("Zola");
        let string = |key: &str| {
            config
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        self.fill(string("title"), string("description"));
        if self.base_url.is_none() {
            self.base_url = string("base_url").filter(|u| u.contains("://"));
        }
        self.adopt_content_dir(root, "content");
    }

    /// Hugo's `title`, `baseURL`, `params.description` and `contentDir`
    /// (the site's, or its default language's).
    fn adopt_hugo(&mut self, root: &Path, config: &serde_json::Value) {
        self.generator = Some("Hugo");
        let string = |v: &serde_json::Value, key: &str| {
            v.get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let language = string(config, "defaultContentLanguage").unwrap_or_else(|| "en".into());
        let language = config
            .get("languages")
            .and_then(|l| l.get(&language))
            .cloned()
            .unwrap_or_default();
        let description = config
            .get("params")
            .and_then(|p| string(p, "description"))
            .or_else(|| {
                language
                    .get("params")
                    .and_then(|p| string(p, "description"))
            });
        self.fill(
            string(config, "title").or_else(|| string(&language, "title")),
            description,
        );
        if self.base_url.is_none() {
            self.base_url = string(config, "baseURL").filter(|u| u.contains("://"));
        }
        let content = string(config, "contentDir")
            .or_else(|| string(&language, "contentDir"))
            .unwrap_or_else(|| "content".into());
        let mounts = config
            .get("module")
            .and_then(|m| m.get("mounts"))
            .and_then(serde_json::Value::as_array);
        for mount in mounts.into_iter().flatten() {
            let (Some(source), Some(target)) = (string(mount, "source"), string(mount, "target"))
            else {
                continue;
            };
            let Some(inside) = target.trim_matches('/').strip_prefix("content") else {
                continue;
            };
            if (inside.is_empty() || inside.starts_with('/'))
                && source.trim_matches('/') != content.trim_matches('/')
            {
                let inside = inside.trim_matches('/').to_string();
                self.content_mounts.push((inside, source));
            }
        }
        self.adopt_content_dir(root, &content);
    }

    fn adopt_mkdocs(&mut self, root: &Path, text: &str) {
        self.generator = Some("MkDocs");
        use serde_yaml::Value;
        // A config MkDocs itself would refuse is no config to adopt.
        let Ok(yaml) = serde_yaml::from_str::<Value>(text) else {
            return;
        };
        let string = |key: &str| {
            yaml.get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        self.fill(string("site_name"), string("site_description"));
        if self.base_url.is_none() {
            self.base_url = string("site_url");
        }
        if self.repo_url.is_none() {
            self.repo_url = string("repo_url");
            // `edit_uri: edit/main/docs/`: the branch edit links point at.
            if let Some(branch) = string("edit_uri").and_then(|uri| {
                let mut parts = uri.trim_start_matches('/').split('/');
                matches!(parts.next(), Some("edit" | "blob"))
                    .then(|| parts.next().filter(|b| !b.is_empty()).map(str::to_string))
                    .flatten()
            }) {
                self.edit_branch = branch;
            }
        }
        let docs_dir = string("docs_dir").unwrap_or_else(|| "docs".into());
        self.adopt_content_dir(root, &docs_dir);
        let exclude = string("exclude_docs")
            .map(|list| {
                list.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        // The `exclude` plugin's `glob` patterns leave files out too
        // (Textual's `snippets/*`, included into pages, not built alone).
        let mut exclude: Vec<String> = exclude;
        let plugins = yaml.get("plugins");
        let plugin = |name: &str| match plugins? {
            Value::Mapping(map) => map.get(name).cloned(),
            Value::Sequence(list) => list.iter().find_map(|p| p.get(name).cloned()),
            _ => None,
        };
        if let Some(globs) = plugin("exclude")
            .as_ref()
            .and_then(|options| options.get("glob"))
            .and_then(Value::as_sequence)
        {
            exclude.extend(globs.iter().filter_map(Value::as_str).map(str::to_string));
        }
        let macros = match plugins {
            Some(Value::Sequence(list)) => list
                .iter()
                .any(|p| p.as_str() == Some("macros") || p.get("macros").is_some()),
            Some(Value::Mapping(map)) => map.get("macros").is_some(),
            _ => false,
        };
        if macros {
            self.macro_vars = Some(std::sync::Arc::new(macro_vars(root, &yaml)));
        }
        let nav = yaml
            .get("nav")
            .and_then(Value::as_sequence)
            .map(|items| mkdocs_nav(items))
            .unwrap_or_default();
        self.adopted = Some(Adopted {
            from: "mkdocs.yml",
            nav,
            exclude,
            not_pages: Vec::new(),
            served_in_folders: !matches!(yaml.get("use_directory_urls"), Some(Value::Bool(false))),
        });
    }

    fn adopt_mdbook(&mut self, root: &Path, text: &str) {
        self.generator = Some("mdBook");
        let toml = toml_tree(text).unwrap_or_default();
        let get = |table: &str, key: &str| {
            toml.get(table)
                .and_then(|t| t.get(key))
                .and_then(serde_json::Value::as_str)
                .filter(|v| !v.trim().is_empty())
                .map(str::to_string)
        };
        self.fill(get("book", "title"), get("book", "description"));
        if self.base_url.is_none() {
            self.base_url = get("output.html", "site-url").filter(|u| u.contains("://"));
        }
        if self.repo_url.is_none() {
            self.repo_url = get("output.html", "git-repository-url");
        }
        let src = get("book", "src").unwrap_or_else(|| "src".into());
        let content = self.adopt_content_dir(root, &src);
        let summary = content.as_ref().and_then(|dir| {
            let text = crate::error::read_file(&root.join(dir).join("SUMMARY.md")).ok()?;
            String::from_utf8(text).ok()
        });
        self.adopted = Some(Adopted {
            from: "book.toml",
            nav: summary.as_deref().map(summary_nav).unwrap_or_default(),
            exclude: Vec::new(),
            not_pages: vec!["SUMMARY.md".into()],
            served_in_folders: false,
        });
    }

    /// The other generator's title and description, where this config has none.
    fn fill(&mut self, title: Option<String>, description: Option<String>) {
        if self.title.is_empty()
            && let Some(title) = title
        {
            self.title = title;
        }
        if self.description.is_empty()
            && let Some(description) = description
        {
            self.description = description;
        }
    }

    /// The other generator's content folder, when this config names none
    /// and it exists; the content folder either way, if known.
    fn adopt_content_dir(&mut self, root: &Path, dir: &str) -> Option<PathBuf> {
        if self.content_dir.is_none() {
            let dir = PathBuf::from(dir.trim_end_matches('/'));
            // Only a folder inside the project: another tool's config is
            // not trusted to point the build elsewhere.
            let inside = dir.components().all(|c| {
                matches!(
                    c,
                    std::path::Component::Normal(_) | std::path::Component::CurDir
                )
            });
            if inside && root.join(&dir).is_dir() {
                self.content_dir = Some(dir);
            }
        }
        self.content_dir.clone()
    }

    /// An error about the value of `key` (a path of nested keys, as in
    /// `["check", "ignore_files"]`), at its line of the config file when it
    /// can be found there; `value` narrows it to one item of a list.
    pub fn error_at(&self, key: &[&str], value: Option<&str>, message: String) -> Error {
        let Some(source) = &self.source else {
            return Error::Config {
                file: None,
                message,
            };
        };
        match locate_key(&source.text, key, value) {
            Some(offset) => {
                let (line, column) = crate::error::line_col(&source.text, offset);
                Error::at(&source.file, &source.text, line, column, message)
            }
            None => Error::Config {
                file: Some(source.file.clone()),
                message,
            },
        }
    }

    /// Every glob of the `check:` section compiles.
    fn check_globs(&self) -> Result<()> {
        let lists: [(&[&str], &[String]); 4] = [
            (&["changelog", "skip_authors"], &self.changelog.skip_authors),
            (&["check", "ignore_files"], &self.check.ignore_files),
            (&["check", "ignore_targets"], &self.check.ignore_targets),
            (
                &["check", "external", "exclude"],
                &self.check.external.exclude,
            ),
        ];
        for (key, patterns) in lists {
            for p in patterns {
                if let Err(e) = globset::Glob::new(p) {
                    let message = format!("`{p}` is not a valid glob: {}", e.kind());
                    return Err(self.error_at(key, Some(p), message).with_hint(
                        "globs use `*`, `**`, `?`, `[abc]` and `{a,b}`; close every `[` and `{`",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// What another generator's config says that almanac's cannot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Adopted {
    /// The file it comes from (`mkdocs.yml`, `book.toml`).
    pub from: &'static str,
    /// Its navigation, in order (MkDocs' `nav`, mdBook's `SUMMARY.md`).
    pub nav: Vec<NavEntry>,
    /// gitignore-style patterns of content files that are not built
    /// (MkDocs' `exclude_docs`).
    pub exclude: Vec<String>,
    /// Content-relative files that are the generator's own, not pages
    /// (mdBook's `SUMMARY.md`).
    pub not_pages: Vec<String>,
    /// Each page is served as a folder (MkDocs' `use_directory_urls`, its
    /// default): `a.md` at `a/`, where the links it leaves as written
    /// (raw HTML, paths not to a `.md` file) are read from.
    pub served_in_folders: bool,
}

/// Astro's config file names.
pub(crate) const ASTRO_CONFIGS: &[&str] = &[
    "astro.config.mjs",
    "astro.config.ts",
    "astro.config.js",
    "astro.config.mts",
];

/// The name of the MkDocs config in `dir`: `mkdocs.yml` or `mkdocs.yaml`,
/// else a variant a Makefile passes to `mkdocs --config-file`
/// (Textual's `mkdocs-common.yml` and `mkdocs-online.yml`, a
/// `mkdocs.insiders.yml`): the one that names the site (`site_name:`),
/// the shortest name first, then by name.
pub(crate) fn mkdocs_config_name(dir: &Path) -> Option<String> {
    if let Some(name) = ["mkdocs.yml", "mkdocs.yaml"]
        .into_iter()
        .find(|name| dir.join(name).is_file())
    {
        return Some(name.to_string());
    }
    let mut variants: Vec<(bool, usize, String)> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .take(1000)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| {
            let stem = name
                .strip_suffix(".yml")
                .or_else(|| name.strip_suffix(".yaml"));
            stem.and_then(|s| s.strip_prefix("mkdocs"))
                .is_some_and(|rest| rest.starts_with(['-', '.', '_']))
        })
        .filter(|name| dir.join(name).is_file())
        .map(|name| {
            let names_site = crate::error::read_file(&dir.join(&name))
                .ok()
                .is_some_and(|b| {
                    String::from_utf8_lossy(&b)
                        .lines()
                        .any(|l| l.starts_with("site_name:"))
                });
            (!names_site, name.len(), name)
        })
        .collect();
    variants.sort();
    variants
        .into_iter()
        .next()
        .map(|(_, _, name)| name)
        .or_else(|| {
            // Zensical, MkDocs Material's successor, reads MkDocs' settings
            // from the `[project]` table of its own config.
            dir.join("zensical.toml")
                .is_file()
                .then(|| "zensical.toml".to_string())
        })
}

/// The MkDocs settings of the config `name` (`mkdocs_config_name`) whose
/// text is `text`, as `mkdocs.yml` YAML: a `zensical.toml`'s `[project]`
/// table, with the extensions its TOML nests by their dotted names
/// (`[project.markdown_extensions.pymdownx.tabbed]`) named as MkDocs names
/// them (`pymdownx.tabbed`).
pub(crate) fn mkdocs_yaml(name: &str, text: &str) -> Option<String> {
    if !name.ends_with(".toml") {
        return Some(text.to_string());
    }
    let mut tree = toml_tree(text)?;
    let mut project = tree.get_mut("project")?.take();
    if let Some(serde_json::Value::Object(extensions)) = project.get_mut("markdown_extensions") {
        let nested = std::mem::take(extensions);
        flatten_namespaces("", nested, extensions);
    }
    serde_yaml::to_string(&project).ok()
}

/// Extensions under a namespace (`pymdownx`, `markdown.extensions`,
/// `zensical.extensions`), named with their dotted path.
fn flatten_namespaces(
    prefix: &str,
    table: serde_json::Map<String, serde_json::Value>,
    out: &mut serde_json::Map<String, serde_json::Value>,
) {
    const NAMESPACES: &[&str] = &["pymdownx", "markdown", "extensions", "zensical", "material"];
    for (key, value) in table {
        let name = match prefix.is_empty() {
            true => key.clone(),
            false => format!("{prefix}.{key}"),
        };
        match value {
            serde_json::Value::Object(inner) if NAMESPACES.contains(&key.as_str()) => {
                flatten_namespaces(&name, inner, out)
            }
            value => {
                out.insert(name, value);
            }
        }
    }
}

/// The folders of the project that may hold a site's generator config,
/// in the order they are tried: the usual names of a docs site's folder
/// first, then the others by name. Not hidden folders, nor those of
/// examples, tests, templates, dependencies and build outputs, whose
/// configs are not the project's site.
fn site_folders(root: &Path) -> Vec<PathBuf> {
    const USUAL: &[&str] = &[
        "docs",
        "website",
        "www",
        "site",
        "documentation",
        "doc",
        "book",
        "guide",
        "handbook",
    ];
    const NOT_SITES: &[&str] = &[
        "example",
        "examples",
        "sample",
        "samples",
        "test",
        "tests",
        "testdata",
        "testing",
        "fixtures",
        "template",
        "templates",
        "vendor",
        "third_party",
        "node_modules",
        "target",
        "dist",
        "build",
        "out",
        "public",
        "themes",
    ];
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut others: Vec<String> = entries
        .flatten()
        .take(1000)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| {
            !name.starts_with('.')
                && !USUAL.contains(&name.as_str())
                && !NOT_SITES.contains(&name.to_ascii_lowercase().as_str())
        })
        .collect();
    others.sort();
    USUAL
        .iter()
        .map(|name| name.to_string())
        .filter(|name| root.join(name).is_dir())
        .chain(others)
        .map(PathBuf::from)
        .collect()
}

/// One entry of an adopted navigation: a page, a section of entries, or both.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NavEntry {
    pub title: Option<String>,
    /// Content-relative `.md` file; `None` for a section or a draft chapter.
    pub page: Option<String>,
    pub children: Vec<NavEntry>,
    /// An mdBook part title: a heading over the chapters that follow it,
    /// which stay at its level (a MkDocs section nests its entries).
    pub part: bool,
}

/// A nav path as a content-relative file, or `None` for a URL.
fn nav_page(path: &str) -> Option<String> {
    let path = path.trim();
    if path.is_empty() || path.contains("://") || path.starts_with("mailto:") {
        return None;
    }
    let path = path.split('#').next().unwrap_or(path);
    let path = path.trim_start_matches("./").trim_start_matches('/');
    let path = path.replace("%20", " ");
    // mdBook links may be written to the `.html` page.
    let path = match path.strip_suffix(".html") {
        Some(stem) => format!("{stem}.md"),
        None => path,
    };
    path.ends_with(".md").then_some(path)
}

/// MkDocs' `nav`: `- page.md`, `- Title: page.md`, `- Section: [entries]`.
fn mkdocs_nav(items: &[serde_yaml::Value]) -> Vec<NavEntry> {
    use serde_yaml::Value;
    items
        .iter()
        .filter_map(|item| match item {
            Value::String(path) => Some(NavEntry {
                title: None,
                page: nav_page(path),
                ..NavEntry::default()
            }),
            Value::Mapping(map) => {
                let (key, value) = map.iter().next()?;
                let title = key.as_str().map(str::to_string);
                match value {
                    Value::String(path) => Some(NavEntry {
                        title,
                        page: nav_page(path),
                        ..NavEntry::default()
                    }),
                    Value::Sequence(children) => Some(NavEntry {
                        title,
                        children: mkdocs_nav(children),
                        ..NavEntry::default()
                    }),
                    _ => None,
                }
            }
            _ => None,
        })
        .filter(|e| e.page.is_some() || !e.children.is_empty())
        .collect()
}

/// mdBook's `SUMMARY.md`: prefix and suffix chapters (`[Title](file.md)`),
/// numbered chapters in nested lists (`- [Title](file.md)`), draft chapters
/// (`- [Title]()`, no page) and part titles (`# Part`), each holding the
/// chapters up to the next part.
fn summary_nav(text: &str) -> Vec<NavEntry> {
    // The open entries: (indent, entry), innermost last.
    let mut stack: Vec<(usize, NavEntry)> = Vec::new();
    let mut top = Vec::new();
    let close = |stack: &mut Vec<(usize, NavEntry)>, top: &mut Vec<NavEntry>, indent: usize| {
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            let (_, entry) = stack.pop().expect("checked");
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(entry),
                None => top.push(entry),
            }
        }
    };
    let mut fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        let indent = line.len() - trimmed.len();
        // mdBook's parts are `# Title`; GitBook's groups `## Title`.
        let heading = trimmed
            .strip_prefix("# ")
            .or_else(|| trimmed.strip_prefix("## "))
            .or_else(|| trimmed.strip_prefix("### "));
        if let Some(part) = heading {
            // The first heading, before any chapter, is the summary's own.
            if !(stack.is_empty() && top.is_empty()) {
                close(&mut stack, &mut top, 0);
                let title = part.trim().trim_end_matches('#').trim().to_string();
                let part = NavEntry {
                    title: Some(title),
                    part: true,
                    ..NavEntry::default()
                };
                stack.push((0, part));
            }
            continue;
        }
        if trimmed.starts_with("---") {
            close(&mut stack, &mut top, 0);
            continue;
        }
        let item = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
            .map(str::trim_start);
        let link = item.unwrap_or(trimmed);
        let Some(rest) = link.strip_prefix('[') else {
            continue;
        };
        let Some((title, rest)) = rest.split_once("](") else {
            continue;
        };
        let Some((path, _)) = rest.split_once(')') else {
            continue;
        };
        // A prefix or suffix chapter is at the top, like an unindented item.
        let indent = if item.is_some() { indent + 1 } else { 0 };
        close(&mut stack, &mut top, indent);
        stack.push((
            indent,
            NavEntry {
                title: Some(title.trim().to_string()),
                page: nav_page(path),
                ..NavEntry::default()
            },
        ));
    }
    close(&mut stack, &mut top, 0);
    top
}

/// The string value of the first `key: '…'` (or `"…"`) at the outermost
/// level of the object a JavaScript config builds (`title: 'Widget'` in
/// `docusaurus.config.js`, not `navbar: { title: … }`), read plainly.
fn js_string(text: &str, key: &str) -> Option<String> {
    let mut depth = 0usize;
    let mut outer = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("//") || trimmed.starts_with('*') || trimmed.starts_with("/*") {
            continue;
        }
        let here = depth;
        depth += trimmed.matches(['{', '[', '(']).count();
        depth = depth.saturating_sub(trimmed.matches(['}', ']', ')']).count());
        let Some(rest) = trimmed.strip_prefix(key) else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix(':') else {
            continue;
        };
        // The outermost object is the shallowest level a key is seen at.
        if outer.is_some_and(|o| here > o) {
            continue;
        }
        outer = Some(here);
        let value = value.trim();
        let quote = value
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'))?;
        let inner = &value[1..];
        let end = inner.find(quote)?;
        let found = inner[..end].trim();
        if !found.is_empty() && !found.contains("${") {
            return Some(found.to_string());
        }
    }
    None
}

/// A TOML file as a JSON tree (dates as their TOML text), or `None` when it
/// does not parse.
pub(crate) fn toml_tree(text: &str) -> Option<serde_json::Value> {
    let table: toml::Table = toml::from_str(text).ok()?;
    Some(toml_to_json(toml::Value::Table(table)))
}

/// A TOML value as JSON: dates and times become their TOML text.
pub(crate) fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(items) => J::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// The byte offset in YAML `text` of the value of the nested `key` (or of
/// `value` within it), found by reading the lines as block or flow YAML
/// plainly: `None` when it is not spelt in a way this finds.
fn locate_key(text: &str, key: &[&str], value: Option<&str>) -> Option<usize> {
    let mut from = 0;
    for (depth, name) in key.iter().enumerate() {
        let mut found = None;
        let mut search = from;
        while let Some(i) = text[search..].find(name).map(|i| i + search) {
            let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            let before = &text[line_start..i];
            let after = &text[i + name.len()..];
            let key_like = after.trim_start_matches([' ', '\t']).starts_with(':')
                && (before.trim_start_matches([' ', '-']).is_empty()
                    || before.ends_with(['{', ',', ' ']))
                && !before.trim_start().starts_with('#')
                // A top-level key starts its line.
                && (depth > 0 || before.is_empty());
            if key_like {
                found = Some(i);
                break;
            }
            search = i + name.len();
        }
        from = found?;
    }
    match value {
        Some(v) => Some(text[from..].find(v).map_or(from, |i| from + i)),
        None => Some(from),
    }
}

/// A YAML error as a located error. `line_offset` is the number of lines of the
/// file before the YAML text starts (front matter starts after `---`).
pub(crate) fn yaml_error(
    file: &str,
    full_text: &str,
    err: &serde_yaml::Error,
    line_offset: usize,
) -> Error {
    let (mut line, mut column) = err
        .location()
        .map_or((1, 1), |l| (l.line() + line_offset, l.column()));
    let mut message = err.to_string();
    // The library appends " at line L column C"; we show the position ourselves.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    // A duplicate key is reported where its mapping starts: point at the
    // second occurrence, the one to remove.
    if let Some(key) = message
        .split_once("duplicate field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(key, _)| key)
        && let Some(at) = duplicate_key(full_text, line, column, key)
    {
        (line, column) = at;
    }
    let hint = if message.contains("unknown field") {
        Some("remove the key or fix its spelling")
    } else if message.contains("duplicate field") {
        Some("a key may appear once in a mapping: remove one of them")
    } else if message.contains("did not find expected") || message.contains("mapping values") {
        Some("check the indentation and quoting on this line (quote values that contain `: `)")
    } else {
        None
    };
    let err = Error::at(file, full_text, line, column, message);
    match hint {
        Some(h) => err.with_hint(h),
        None => err,
    }
}

/// The 1-based line and column of the second `key` of the mapping that
/// starts at `line`:`column` of `text` (block or flow style).
fn duplicate_key(text: &str, line: usize, column: usize, key: &str) -> Option<(usize, usize)> {
    let starts_key = |s: &str| {
        let rest = [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
            .into_iter()
            .find_map(|k| s.strip_prefix(k.as_str()).map(str::to_string))?;
        let rest = rest.trim_start_matches([' ', '\t']);
        rest.strip_prefix(':')
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\r']))
            .then_some(())
    };
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.get(line.checked_sub(1)?)?;
    let start = first.char_indices().nth(column.checked_sub(1)?)?.0;
    let mut seen = 0;
    if first[start..].starts_with('{') {
        // A flow mapping: the keys after `{` and `,` at its own depth.
        let mut depth = 0;
        let mut at_key = false;
        for (n, l) in lines.iter().enumerate().skip(line - 1) {
            let offset = if n == line - 1 { start } else { 0 };
            for (i, c) in l[offset..].char_indices() {
                let i = i + offset;
                if at_key && !c.is_whitespace() {
                    at_key = false;
                    if depth == 1 && starts_key(&l[i..]).is_some() {
                        seen += 1;
                        if seen == 2 {
                            return Some((n + 1, l[..i].chars().count() + 1));
                        }
                    }
                }
                match c {
                    '{' | '[' => {
                        depth += 1;
                        at_key = c == '{' && depth == 1;
                    }
                    '}' | ']' => {
                        depth -= 1;
                        if depth == 0 {
                            return None;
                        }
                    }
                    ',' => at_key = depth == 1,
                    _ => {}
                }
            }
        }
        return None;
    }
    // A block mapping: the keys at its indentation, until a line dedents or
    // starts the next list item.
    let indent = first[..start].chars().count();
    for (n, l) in lines.iter().enumerate().skip(line - 1) {
        let body = if n == line - 1 {
            &l[start..]
        } else {
            let trimmed = l.trim_start_matches(' ');
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let own = l.len() - trimmed.len();
            if own < indent || (own == indent && trimmed.starts_with("- ")) {
                return None;
            }
            if own > indent {
                continue;
            }
            trimmed
        };
        if starts_key(body).is_some() {
            seen += 1;
            if seen == 2 {
                return Some((n + 1, indent + 1));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {

    #[test]
    fn zensical_extensions_are_named_as_mkdocs_names_them() {
        let toml = "[project]\nsite_name = \"S\"\n\
                    [project.markdown_extensions.toc]\npermalink = true\n\
                    [project.markdown_extensions.pymdownx.snippets]\nbase_path = [\"docs\"]\n\
                    [project.markdown_extensions.zensical.extensions.preview]\n";
        let yaml = mkdocs_yaml("zensical.toml", toml).unwrap();
        let v: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(v["site_name"], "S");
        let ext = &v["markdown_extensions"];
        assert_eq!(ext["toc"]["permalink"], true);
        assert_eq!(ext["pymdownx.snippets"]["base_path"][0], "docs");
        assert!(ext.get("zensical.extensions.preview").is_some(), "{yaml}");
        // YAML passes as it is; a TOML with no `[project]` is no config.
        assert_eq!(
            mkdocs_yaml("mkdocs.yml", "a: b\n").as_deref(),
            Some("a: b\n")
        );
        assert_eq!(mkdocs_yaml("zensical.toml", "x = 1\n"), None);
    }

    use super::*;

    #[test]
    fn empty_config_is_the_default() {
        assert_eq!(
            Config::parse("almanac.yaml", "\n").unwrap(),
            Config::default()
        );
    }

    #[test]
    fn keys_override_defaults() {
        let c = Config::parse(
            "almanac.yaml",
            "title: Handbook\nrepo_url: https://example.org/r\n",
        )
        .unwrap();
        assert_eq!(c.title, "Handbook");
        assert_eq!(c.repo_url.as_deref(), Some("https://example.org/r"));
        assert_eq!(c.output_dir, PathBuf::from("public"));
    }

    #[test]
    fn check_section() {
        let text = "check:\n  severity: { stale-page: error, unknown-flag: off }\n  ignore_files: ['content/archive/**']\n";
        let c = Config::parse("almanac.yaml", text).unwrap();
        assert_eq!(c.check.severity[&Kind::StalePage], Level::Error);
        assert_eq!(c.check.severity[&Kind::UnknownFlag], Level::Off);
        assert_eq!(c.check.ignore_files, ["content/archive/**"]);
        let err =
            Config::parse("almanac.yaml", "check:\n  severity: { broken-lnk: off }\n").unwrap_err();
        assert!(err.to_string().starts_with("almanac.yaml:2:"), "{err}");
    }

    #[test]
    fn duplicate_keys_are_found_in_block_and_flow_mappings() {
        let text = "a: 1\nlist:\n  - name: x\n    sub:\n      name: y\n    name: z\n";
        assert_eq!(duplicate_key(text, 3, 5, "name"), Some((6, 5)));
        let text = "x: { a: 1, b: { a: 2 }, 'a': 3 }\n";
        assert_eq!(duplicate_key(text, 1, 4, "a"), Some((1, 25)));
        // Keys of the next list item are another mapping's.
        let text = "- a: 1\n- a: 2\n";
        assert_eq!(duplicate_key(text, 1, 3, "a"), None);
    }

    #[test]
    fn keys_are_located_by_their_path() {
        let text = "# theme: old\ntitle: x\ncheck:\n  severity: {}\n  ignore_files: ['a', 'b[']\ntheme: t\n";
        let at = |key: &[&str], value| {
            locate_key(text, key, value).map(|o| crate::error::line_col(text, o))
        };
        assert_eq!(at(&["theme"], None), Some((6, 1)));
        assert_eq!(at(&["check", "ignore_files"], Some("b[")), Some((5, 24)));
        assert_eq!(at(&["nothing"], None), None);
    }

    #[test]
    fn unknown_key_is_located() {
        let err = Config::parse("almanac.yaml", "title: x\nbase_ulr: y\n").unwrap_err();
        let Error::Located(loc) = err else {
            panic!("not located: {err}")
        };
        assert_eq!((loc.line, loc.column), (2, 1));
        assert!(loc.message.contains("base_ulr"), "{}", loc.message);
        assert_eq!(loc.source_line, "base_ulr: y");
    }
}
