//! Vendor notes as the `x-gatespec-notes` extension.

use serde_json::{Map, Value, json};

use crate::model::Note;

/// The notes as `[{vendor, resolution}]`.
pub fn list(notes: &[Note]) -> Value {
    notes
        .iter()
        .map(|n| json!({"vendor": n.vendor, "resolution": n.resolution}))
        .collect()
}

/// Adds `x-gatespec-notes` to `map` when there are notes.
pub fn insert(map: &mut Map<String, Value>, notes: &[Note]) {
    if !notes.is_empty() {
        map.insert("x-gatespec-notes".into(), list(notes));
    }
}
