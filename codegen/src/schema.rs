//! The JSON Schema of the spec format, derived from the `raw` structs.
//!
//! It is checked in as `spec/gatespec.schema.json` so editors (yaml-language-server) can validate
//! and complete spec files, and the loader uses the same schema for its structural check.

use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::raw::SpecFile;

/// The schema as a JSON value (built once).
pub fn format_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let generator = SchemaSettings::draft2020_12()
            .with(|s| s.inline_subschemas = true)
            .into_generator();
        let mut schema = generator.into_root_schema_for::<SpecFile>().to_value();
        if let Some(object) = schema.as_object_mut() {
            object.insert(
                "title".to_owned(),
                Value::String("gatespec interface spec".to_owned()),
            );
        }
        schema
    })
}

/// The schema as the pretty-printed text checked in at `spec/gatespec.schema.json`.
pub fn format_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(format_schema()).unwrap_or_default();
    text.push('\n');
    text
}
