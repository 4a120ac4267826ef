//! Live data in guides: `{{ chart(kpi="test_pass_rate") }}`, `{{ kpi(id="…") }}`,
//! `{{ next_release() }}`, `{{ calendar(quarter="2025-Q3") }}`. Finding and
//! checking them is pure; expanding them needs the release data.

use std::collections::BTreeMap;

/// One `{{ name(key="value", …) }}` in a guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    pub name: String,
    pub args: BTreeMap<String, String>,
    /// Byte range in the guide's text, braces included.
    pub start: usize,
    pub end: usize,
}

/// What each shortcode accepts: (name, required args, optional args).
const KNOWN: &[(&str, &[&str], &[&str])] = &[
    ("chart", &[], &["kpi", "name"]),
    ("kpi", &["id"], &[]),
    ("next_release", &[], &[]),
    ("calendar", &[], &["quarter"]),
];

/// Shortcodes in `text[body_start..]`, outside fenced code and code spans.
/// Only `{{ … }}` that starts with one of almanac's shortcode names is
/// almanac's: other generators' syntax (`{{< tabs >}}`, `{{% note %}}`,
/// `{{#include x.md}}`, `{{ version }}`) is left alone. One of almanac's
/// that does not parse is returned as an error with its offset.
pub fn find(text: &str, body_start: usize) -> Vec<Result<Shortcode, (usize, String)>> {
    let mut out = Vec::new();
    if memchr::memmem::find(&text.as_bytes()[body_start..], b"{{").is_none() {
        return out;
    }
    let mut offset = body_start;
    let mut fence: Option<&str> = None;
    for line in text[body_start..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(open), Some(m))
                if open == m
                    && trimmed
                        .trim_end()
                        .chars()
                        .all(|c| c == m.chars().next().unwrap_or('`')) =>
            {
                fence = None
            }
            (Some(_), _) => {}
            (None, None) => scan_line(line, offset, &mut out),
        }
        offset += line.len();
    }
    out
}

fn scan_line(line: &str, offset: usize, out: &mut Vec<Result<Shortcode, (usize, String)>>) {
    let mut from = 0;
    while let Some(open) = line[from..].find("{{") {
        let start = from + open;
        // Inside a code span when an odd number of backticks come before.
        if line[..start].matches('`').count() % 2 == 1 {
            from = start + 2;
            continue;
        }
        let Some(close) = line[start..].find("}}") else {
            return;
        };
        let end = start + close + 2;
        if !is_almanacs(&line[start + 2..end - 2]) {
            from = end;
            continue;
        }
        out.push(
            parse_call(&line[start + 2..end - 2])
                .map(|(name, args)| Shortcode {
                    name,
                    args,
                    start: offset + start,
                    end: offset + end,
                })
                .map_err(|e| (offset + start, e)),
        );
        from = end;
    }
}

/// Whether the inside of a `{{ … }}` starts with the name of one of
/// almanac's shortcodes (followed by its `(`, a space or nothing).
pub(crate) fn is_almanacs(inner: &str) -> bool {
    let inner = inner.trim_start();
    let name_end = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let (name, rest) = inner.split_at(name_end);
    KNOWN.iter().any(|(known, _, _)| *known == name)
        && rest.trim_start().chars().next().is_none_or(|c| c == '(')
}

/// `name(key="value", key2='v')` → name and arguments.
pub fn parse_call(inner: &str) -> Result<(String, BTreeMap<String, String>), String> {
    let inner = inner.trim();
    let (name, rest) = inner.split_once('(').ok_or_else(|| {
        format!("`{{{{ {inner} }}}}` is not a shortcode call like `{{{{ kpi(id=\"…\") }}}}`")
    })?;
    let name = name.trim();
    let body = rest
        .trim_end()
        .strip_suffix(')')
        .ok_or_else(|| format!("`{name}(` is missing its `)`"))?;
    let mut args = BTreeMap::new();
    let mut rest = body.trim();
    while !rest.is_empty() {
        let (key, after) = rest
            .split_once('=')
            .ok_or_else(|| format!("`{name}`: arguments are written key=\"value\""))?;
        let after = after.trim_start();
        let quote = after
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .ok_or_else(|| format!("`{name}`: quote the value of `{}`", key.trim()))?;
        let close = after[1..]
            .find(quote)
            .ok_or_else(|| format!("`{name}`: unclosed quote"))?;
        args.insert(key.trim().to_string(), after[1..1 + close].to_string());
        rest = after[close + 2..]
            .trim_start()
            .trim_start_matches(',')
            .trim_start();
    }
    Ok((name.to_string(), args))
}

/// Checks the name and arguments, and that a named KPI exists among
/// `kpi_ids`, those of `metrics_file` (named in the message).
pub fn validate(sc: &Shortcode, kpi_ids: &[&str], metrics_file: &str) -> Result<(), String> {
    let Some((_, required, optional)) = KNOWN.iter().find(|(n, _, _)| *n == sc.name) else {
        let names: Vec<&str> = KNOWN.iter().map(|k| k.0).collect();
        return Err(format!(
            "unknown shortcode `{}`; almanac has {}",
            sc.name,
            names.join(", ")
        ));
    };
    for r in *required {
        if !sc.args.contains_key(*r) {
            return Err(format!("`{}` needs `{r}=\"…\"`", sc.name));
        }
    }
    for key in sc.args.keys() {
        if !required.contains(&key.as_str()) && !optional.contains(&key.as_str()) {
            return Err(format!("`{}` takes no argument `{key}`", sc.name));
        }
    }
    let kpi = sc
        .args
        .get("kpi")
        .or_else(|| sc.args.get("id").filter(|_| sc.name == "kpi"));
    if let Some(id) = kpi
        && !kpi_ids.contains(&id.as_str())
    {
        return Err(format!("no KPI `{id}` in {metrics_file}"));
    }
    if let Some(name) = sc.args.get("name")
        && !matches!(name.as_str(), "timeline" | "slip")
    {
        return Err(format!(
            "`chart(name=…)` is `timeline` or `slip`, not `{name}`"
        ));
    }
    if sc.name == "chart" && sc.args.is_empty() {
        return Err("`chart` needs `kpi=\"…\"` or `name=\"timeline\"`".into());
    }
    if let Some(q) = sc.args.get("quarter") {
        q.parse::<crate::load::calendar::Quarter>()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        find(text, 0)
            .into_iter()
            .map(|r| match r {
                Ok(sc) => format!(
                    "{}{:?}@{}",
                    sc.name,
                    sc.args.values().collect::<Vec<_>>(),
                    sc.start
                ),
                Err((at, e)) => format!("error@{at}: {e}"),
            })
            .collect()
    }

    #[test]
    fn finds_calls_outside_code() {
        let text = "A {{ kpi(id=\"x\") }} b.\n\n`{{ kpi(id=\"no\") }}`\n\n```\n{{ chart(kpi=\"no\") }}\n```\n{{ next_release() }}\n";
        assert_eq!(names(text), ["kpi[\"x\"]@2", "next_release[]@76"]);
    }

    /// Only almanac's names are almanac's: Hugo, mdBook, Jinja and
    /// Handlebars syntax is someone else's.
    #[test]
    fn other_generators_syntax_is_not_a_shortcode() {
        let text = "{{< tabs >}} {{% note %}} {{#include file.md}} {{#title A}} \
                    {{ mdbook-version }} {{ language }} {{ include_file('x') }} {{ kpis }} \
                    {{kpi(id=\"a\")}} {{ calendar }} {{ chart (kpi=\"b\") }}\n";
        let found: Vec<String> = names(text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].starts_with("kpi[\"a\"]"), "{found:?}");
        assert!(found[1].starts_with("error@"), "{found:?}");
        assert!(found[2].starts_with("chart[\"b\"]"), "{found:?}");
    }

    #[test]
    fn parses_arguments() {
        let (name, args) = parse_call(" calendar(quarter='2025-Q3') ").unwrap();
        assert_eq!(
            (name.as_str(), args["quarter"].as_str()),
            ("calendar", "2025-Q3")
        );
        let (_, args) = parse_call("chart(kpi=\"a\", name=\"slip\")").unwrap();
        assert_eq!(args.len(), 2);
        assert!(parse_call("kpi id").is_err());
        assert!(parse_call("kpi(id=x)").is_err());
        assert!(parse_call("kpi(id=\"x)").is_err());
    }

    #[test]
    fn validation() {
        let sc = |t: &str| find(t, 0).remove(0).unwrap();
        let call = |t: &str| {
            let (name, args) = parse_call(t).unwrap();
            Shortcode {
                name,
                args,
                start: 0,
                end: t.len(),
            }
        };
        assert!(validate(&sc("{{ kpi(id=\"a\") }}"), &["a"], "data/metrics.yaml").is_ok());
        assert_eq!(
            validate(&sc("{{ kpi(id=\"b\") }}"), &["a"], "data/metrics.yaml").unwrap_err(),
            "no KPI `b` in data/metrics.yaml"
        );
        assert!(
            validate(&call("chrt(kpi=\"a\")"), &["a"], "data/metrics.yaml")
                .unwrap_err()
                .starts_with("unknown shortcode `chrt`")
        );
        assert!(validate(&sc("{{ kpi() }}"), &["a"], "data/metrics.yaml").is_err());
        assert!(
            validate(
                &sc("{{ calendar(quarter=\"2025-Q9\") }}"),
                &[],
                "data/metrics.yaml"
            )
            .is_err()
        );
        assert!(validate(&sc("{{ next_release(x=\"1\") }}"), &[], "data/metrics.yaml").is_err());
    }
}
