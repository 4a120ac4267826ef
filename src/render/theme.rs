//! The theme: `themes/<name>/templates/*.html` and `static/`, with the default
//! theme compiled in so the binary works anywhere. A site's `templates/x.html`
//! replaces the theme's `x.html`, file by file, and a theme without some
//! template gets the built-in one.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::error::{Error, Result, display_path};

macro_rules! builtin {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../themes/default/", $path)))),*]
    };
}

/// The default theme as compiled in: (path under the theme folder, contents).
const DEFAULT_THEME: &[(&str, &str)] = builtin!(
    "templates/base.html",
    "templates/page.html",
    "templates/section.html",
    "templates/404.html",
    "templates/redirect.html",
    "templates/sitemap.xml",
    "templates/calendar.html",
    "templates/release.html",
    "templates/metrics.html",
    "templates/report.html",
    "templates/report_page.html",
    "templates/report_body.html",
    "templates/report_style.html",
    "static/assets/almanac.css",
    "static/assets/almanac.js",
    "static/assets/search.js",
    "static/assets/search.css",
    "static/assets/vendor/mermaid.min.js",
    "static/assets/vendor/mermaid.LICENSE",
);

pub(crate) struct Theme {
    pub tera: Tera,
    sources: BTreeMap<String, Source>,
    /// Files copied to the output root: (output path, contents). The
    /// built-in theme's are borrowed from the binary, never copied (the
    /// diagram script alone weighs 3.5 MB).
    pub static_files: Vec<(String, Cow<'static, [u8]>)>,
}

struct Source {
    /// Where the template came from, for messages.
    file: String,
    text: String,
}

impl Theme {
    /// The theme `config` names, with the site's own templates over it.
    pub(crate) fn load(root: &Path, config: &crate::config::Config) -> Result<Theme> {
        let theme = config.theme.as_str();
        let theme_dir = root.join("themes").join(theme);
        let mut templates: BTreeMap<String, Source> = BTreeMap::new();
        let mut static_files = Vec::new();
        if theme_dir.join("templates").is_dir() {
            read_dir_into(root, &theme_dir.join("templates"), &mut templates)?;
            for (rel, path) in files_under(&theme_dir.join("static"))? {
                let bytes = std::fs::read(&path).map_err(|e| Error::io("reading", &path, e))?;
                static_files.push((rel, Cow::Owned(bytes)));
            }
            // A theme written for an older almanac, or one that changes a
            // few pages, gets the built-in templates it does not have (the
            // report's page and body came later): never a build that stops
            // on a template the theme could not know about.
            for (path, text) in DEFAULT_THEME {
                if let Some(name) = path.strip_prefix("templates/")
                    && !templates.contains_key(name)
                {
                    templates.insert(name.to_string(), builtin_source(name, text));
                }
            }
        } else if theme == "default" {
            for (path, text) in DEFAULT_THEME {
                if let Some(name) = path.strip_prefix("templates/") {
                    templates.insert(name.to_string(), builtin_source(name, text));
                } else if let Some(rel) = path.strip_prefix("static/") {
                    static_files.push((rel.to_string(), Cow::Borrowed(text.as_bytes())));
                }
            }
        } else {
            let message = format!(
                "theme `{theme}` not found: expected a folder `{}`",
                display_path(root, &theme_dir.join("templates"))
            );
            return Err(config
                .error_at(&["theme"], Some(theme), message)
                .with_hint("use `theme: default`, or add the theme under `themes/`"));
        }
        // Zola's templates live in `templates/` too; theirs are not almanac's.
        if config.generator != Some("Zola") {
            read_dir_into(root, &root.join("templates"), &mut templates)?;
        }

        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        // `{{ x | num }}`: 100 for 100.0, 66.67 for 66.666…
        tera.register_filter("num", |x: f64, _: tera::Kwargs, _: &tera::State| {
            format_number(x)
        });
        tera.add_raw_templates(
            templates
                .iter()
                .map(|(name, s)| (name.as_str(), s.text.as_str())),
        )
        .map_err(|e| template_error(&e, &templates))?;
        Ok(Theme {
            tera,
            sources: templates,
            static_files,
        })
    }

    /// A hash of the templates: their names, where they came from and their text.
    pub(crate) fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (name, source) in &self.sources {
            (name, &source.file, &source.text).hash(&mut h);
        }
        h.finish()
    }

    /// Whether the templates `names` are all the built-in theme's own (not
    /// replaced by the site or a theme folder).
    pub(crate) fn builtin(&self, names: &[&str]) -> bool {
        names.iter().all(|name| {
            self.sources
                .get(*name)
                .is_some_and(|s| s.file.starts_with("<built-in theme>/"))
        })
    }

    /// Whether any template names `field` (`page.nav`, not `page.nav_html`):
    /// what no template shows need not be computed for every page.
    pub(crate) fn uses(&self, field: &str) -> bool {
        self.sources.values().any(|s| {
            s.text.match_indices(field).any(|(at, _)| {
                !s.text[at + field.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            })
        })
    }

    pub(crate) fn render(&self, name: &str, context: &tera::Context) -> Result<String> {
        self.tera
            .render(name, context)
            .map_err(|e| template_error(&e, &self.sources))
    }
}

fn builtin_source(name: &str, text: &str) -> Source {
    Source {
        file: format!("<built-in theme>/templates/{name}"),
        text: text.to_string(),
    }
}

fn read_dir_into(root: &Path, dir: &Path, templates: &mut BTreeMap<String, Source>) -> Result<()> {
    for (name, path) in files_under(dir)? {
        let file = display_path(root, &path);
        let text = crate::error::read_text(&path, &file)?;
        templates.insert(name, Source { file, text });
    }
    Ok(())
}

/// A number for people: no trailing `.0`, at most two decimals.
pub(crate) fn format_number(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    if rounded == rounded.trunc() {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.2}").trim_end_matches('0').to_string()
    }
}

/// Files under `dir` (none when it does not exist), as (relative path, path).
fn files_under(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io("listing", dir, e.into()))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            files.push((
                rel.to_string_lossy().replace('\\', "/"),
                entry.path().to_path_buf(),
            ));
        }
    }
    Ok(files)
}

/// A Tera error as a located error when it points into a template we know.
fn template_error(err: &tera::Error, templates: &BTreeMap<String, Source>) -> Error {
    // Errors between templates name the one whose `extends` or `include`
    // is at fault: point at that tag.
    let between = match err.kind() {
        tera::ErrorKind::MissingParent { current, parent } => Some((current, "extends", parent)),
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Some((tpl, "extends", inheritance_chain.last().unwrap_or(tpl))),
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            Some((tpl, "include", include_chain.get(1).unwrap_or(tpl)))
        }
        _ => None,
    };
    if let Some((name, tag, other)) = between {
        let message = err.to_string();
        let Some(source) = templates.get(name) else {
            return Error::Template {
                name: name.clone(),
                message,
            };
        };
        let (line, column) = tag_position(&source.text, tag, other).unwrap_or((1, 1));
        let hint = match err.kind() {
            tera::ErrorKind::MissingParent { parent, .. } => format!(
                "add `templates/{parent}`, or extend one of: {}",
                templates.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
            _ => "templates may not extend or include themselves, directly or through others"
                .to_string(),
        };
        return Error::at(&source.file, &source.text, line, column, message).with_hint(hint);
    }
    let (name, line, column, message) = match err.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            (
                r.filename().to_string(),
                span.start_line,
                span.start_col + 1,
                r.message().to_string(),
            )
        }
        // Reference checks (unknown filter, function…) arrive as pre-rendered reports.
        _ => match parse_report(&err.to_string()) {
            Some(located) => located,
            None => return Error::Templates(err.to_string()),
        },
    };
    match templates.get(&name) {
        Some(source) => Error::at(&source.file, &source.text, line, column, message),
        None => Error::Template {
            name,
            message: format!("line {line}, column {column}: {message}"),
        },
    }
}

/// The 1-based line and column of the `{% tag "other" %}` in a template's
/// text (the first `{% tag` when none names `other`).
fn tag_position(text: &str, tag: &str, other: &str) -> Option<(usize, usize)> {
    let tags: Vec<usize> = text
        .match_indices("{%")
        .map(|(i, _)| i)
        .filter(|&i| {
            text[i + 2..]
                .trim_start_matches(['-', ' ', '\t', '\n', '\r'])
                .starts_with(tag)
        })
        .collect();
    let named = tags.iter().copied().find(|&i| {
        let end = text[i..].find("%}").map_or(text.len(), |e| i + e);
        text[i..end].contains(other)
    });
    let at = named.or_else(|| tags.first().copied())?;
    Some(crate::error::line_col(text, at))
}

/// (template, line, column, message) from Tera's `error: MSG\n --> NAME:L:C` report text.
fn parse_report(report: &str) -> Option<(String, usize, usize, String)> {
    let message = report
        .lines()
        .next()?
        .trim()
        .trim_start_matches("error: ")
        .to_string();
    let locus = report.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = locus.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?.to_string(), line, column, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tera_report_loci() {
        let report = "error: Unknown filter `x`\n  --> page.html:2:17\n   |\n 2 | {{ a | x }}\n";
        assert_eq!(
            parse_report(report),
            Some(("page.html".into(), 2, 17, "Unknown filter `x`".into()))
        );
        assert_eq!(parse_report("just a message"), None);
    }

    #[test]
    fn numbers_for_people() {
        assert_eq!(format_number(100.0), "100");
        assert_eq!(format_number(66.666), "66.67");
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(-1.0), "-1");
    }

    #[test]
    fn the_built_in_theme_loads() {
        let config = crate::config::Config::default();
        let theme = Theme::load(Path::new("/nonexistent-root"), &config).unwrap();
        assert!(theme.tera.get_template_names().any(|n| n == "page.html"));
        assert!(
            theme
                .static_files
                .iter()
                .any(|(p, _)| p == "assets/almanac.css")
        );
    }
}
