//! `almanac schema`: JSON Schemas of the files people write by hand, derived
//! (schemars) from the same types that parse them, so an editor validates
//! and completes them as almanac reads them.

use schemars::JsonSchema;

use crate::config::Config;
use crate::load::calendar::Calendar;
use crate::load::metrics::Metrics;

/// A file almanac has a schema for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaFile {
    /// `almanac.yaml`.
    Config,
    /// `data/calendar.yaml`.
    Calendar,
    /// `data/metrics.yaml`.
    Metrics,
}

impl SchemaFile {
    pub const ALL: [SchemaFile; 3] = [Self::Config, Self::Calendar, Self::Metrics];

    /// `config`, `calendar` or `metrics`: the argument of `almanac schema`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Config => "config",
            Self::Calendar => "calendar",
            Self::Metrics => "metrics",
        }
    }

    /// Where this version's schema is published: `schemas/NAME.schema.json`
    /// of the repository at the release's tag, which never changes once
    /// tagged (the test `committed_schemas_are_current` keeps the files in
    /// step with the types).
    pub fn url(self) -> String {
        format!(
            "https://raw.githubusercontent.com/almanac-ssg/almanac/v{}/schemas/{}.schema.json",
            env!("CARGO_PKG_VERSION"),
            self.name()
        )
    }

    /// The schema, as JSON Schema draft-07: the draft editors support in
    /// full (VS Code's YAML extension warns that 2020-12 is only partly
    /// supported).
    pub fn schema(self) -> serde_json::Value {
        let schema = match self {
            Self::Config => of::<Config>(),
            Self::Calendar => of::<Calendar>(),
            Self::Metrics => of::<Metrics>(),
        };
        let mut value = schema.to_value();
        scalars_as_text(&mut value);
        if let Some(object) = value.as_object_mut() {
            object.insert("$id".into(), self.url().into());
        }
        value
    }

    /// The schema as the text `almanac schema` prints.
    pub fn text(self) -> String {
        serde_json::to_string_pretty(&self.schema()).unwrap_or_default() + "\n"
    }

    /// The comment at the top of a YAML file that tells editors with the YAML
    /// language server (VS Code's YAML extension, Neovim, Helix, Zed) its schema.
    pub fn modeline(self) -> String {
        format!("# yaml-language-server: $schema={}\n", self.url())
    }
}

fn of<T: JsonSchema>() -> schemars::Schema {
    schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// almanac reads a YAML plain scalar into a text field as written
/// (`edit_branch: 2024`, `name: 2025`), while an editor turns YAML into JSON
/// first and sees a number there. So a text field without a format or a
/// pattern takes numbers and booleans too; fields with a pattern that a
/// number can match say so themselves (a release's `version`).
fn scalars_as_text(node: &mut serde_json::Value) {
    use serde_json::Value;
    match node {
        Value::Object(object) => {
            let constrained = ["format", "pattern", "enum", "const"]
                .iter()
                .any(|k| object.contains_key(*k));
            let widened = match object.get("type") {
                Some(Value::String(t)) if t == "string" && !constrained => {
                    Some(serde_json::json!(["string", "number", "boolean"]))
                }
                Some(Value::Array(types))
                    if types == &[Value::from("string"), Value::from("null")] && !constrained =>
                {
                    Some(serde_json::json!(["string", "number", "boolean", "null"]))
                }
                _ => None,
            };
            if let Some(types) = widened {
                object.insert("type".into(), types);
            }
            for (key, child) in object.iter_mut() {
                // Examples and defaults are values, not schemas.
                if key != "examples" && key != "default" {
                    scalars_as_text(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(scalars_as_text),
        _ => {}
    }
}
