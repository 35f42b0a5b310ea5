//! The structural check: the YAML tree of a file against the format's JSON Schema.
//!
//! serde stops at the first problem; this pass reports every unknown key, missing key and value of
//! the wrong kind in a file at once, each at its own line and column. The schema is derived from
//! the `raw` structs, so the check, the deserializer and editor completion cannot disagree.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::load::tree::{Node, follow};
use crate::raw::{Loc, Sp};
use crate::schema::format_schema;
use crate::source::{SourceId, Span};

fn validator() -> Result<&'static Validator, String> {
    static VALIDATOR: OnceLock<Result<Validator, String>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| jsonschema::validator_for(format_schema()).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(Clone::clone)
}

/// Checks one file's tree; returns one diagnostic per structural problem.
pub fn check(file: SourceId, root: &Sp<Node>) -> Vec<Diagnostic> {
    let validator = match validator() {
        Ok(v) => v,
        Err(message) => {
            return vec![Diagnostic::error(
                DiagnosticCode::Internal,
                Span::new(file, 0, 0),
                format!("the format's JSON Schema is invalid: {message}"),
            )];
        }
    };
    let instance = root.value.to_json();
    let errors: Vec<ValidationError<'_>> = validator.iter_errors(&instance).collect();
    let mut out = Vec::new();
    for error in &errors {
        if is_typo_consequence(error, &errors) {
            continue;
        }
        describe(file, root, error, &mut out);
    }
    out
}

/// A missing key that was only misspelled: the unknown-key error already says "did you mean".
fn is_typo_consequence(error: &ValidationError<'_>, all: &[ValidationError<'_>]) -> bool {
    let ValidationErrorKind::Required { property } = error.kind() else {
        return false;
    };
    let Some(missing) = property.as_str() else {
        return false;
    };
    all.iter().any(|other| match other.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            other.instance_path().as_str() == error.instance_path().as_str()
                && unexpected
                    .iter()
                    .any(|u| suggest(u, &[missing.to_owned()]).is_some())
        }
        _ => false,
    })
}

/// The allowed values when a schema is a choice between constants (how documented enums look).
fn constant_choices(schema_path: &str) -> Option<Vec<String>> {
    let branches = format_schema().pointer(schema_path)?.as_array()?;
    branches
        .iter()
        .map(|b| b.get("const").map(value_text))
        .collect()
}

fn span(file: SourceId, loc: Loc) -> Span {
    Span::new(file, loc.start, loc.len)
}

fn pointer_segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// A readable path such as `interfaces.query_conf_infos.method`.
fn dotted(segments: &[String]) -> String {
    let mut out = String::new();
    for segment in segments {
        if segment.parse::<usize>().is_ok() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(segment);
        }
    }
    if out.is_empty() {
        "the file".to_owned()
    } else {
        out
    }
}

fn describe(
    file: SourceId,
    root: &Sp<Node>,
    error: &ValidationError<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let segments = pointer_segments(error.instance_path().as_str());
    let (node, key) = follow(root, &segments);
    let where_ = dotted(&segments);
    let at_value = span(file, node.loc);
    // Problems with a whole mapping read best at the key that introduces it.
    let at_owner = span(file, key.map_or(node.loc, |k| k.loc));
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let allowed = allowed_keys(error.schema_path().as_str());
            for name in unexpected {
                let key_loc = node.value.entry(name).map_or(node.loc, |(k, _)| k.loc);
                let mut d = Diagnostic::error(
                    DiagnosticCode::UnknownKey,
                    span(file, key_loc),
                    format!("unknown key `{name}` in {where_}"),
                )
                .label("not a key of this mapping");
                d = match suggest(name, &allowed) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None if !allowed.is_empty() => {
                        d.help(format!("expected one of: {}", allowed.join(", ")))
                    }
                    None => d,
                };
                out.push(d);
            }
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or("?");
            out.push(
                Diagnostic::error(
                    DiagnosticCode::MissingKey,
                    at_owner,
                    format!("missing key `{name}` in {where_}"),
                )
                .label(format!("`{name}` is required here"))
                .help(format!(
                    "add `{name}: ...` to this mapping (see spec/README.md)"
                )),
            );
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => json_type_name(&t.to_string()),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| json_type_name(&t.to_string()))
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            out.push(
                Diagnostic::error(
                    DiagnosticCode::WrongType,
                    at_value,
                    format!("{where_} must be {expected}, found {}", node.value.kind()),
                )
                .label(format!("expected {expected}")),
            );
        }
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<String> = match options.as_ref() {
                Value::Array(items) => items.iter().map(value_text).collect(),
                other => vec![value_text(other)],
            };
            out.push(unknown_value(
                at_value,
                &where_,
                &node.value.to_json(),
                &allowed,
            ));
        }
        ValidationErrorKind::Minimum { limit } => out.push(
            Diagnostic::error(
                DiagnosticCode::OutOfRange,
                at_value,
                format!("{where_} must be at least {limit}"),
            )
            .label("too small"),
        ),
        ValidationErrorKind::OneOfNotValid { .. }
            if constant_choices(error.schema_path().as_str()).is_some() =>
        {
            let allowed = constant_choices(error.schema_path().as_str()).unwrap_or_default();
            out.push(unknown_value(
                at_value,
                &where_,
                &node.value.to_json(),
                &allowed,
            ));
        }
        ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. } => {
            // Explain with the alternative that came closest (fewest problems), leaving out the
            // ones the value does not even have the kind of (an optional key's `null`).
            let mut branches = Vec::new();
            alternatives(error, &mut branches);
            let fewest = branches.iter().map(Vec::len).min().unwrap_or(0);
            let closest: Vec<&Vec<&ValidationError<'_>>> =
                branches.iter().filter(|b| b.len() == fewest).collect();
            if let [only] = closest.as_slice() {
                for inner in only.iter() {
                    describe(file, root, inner, out);
                }
                return;
            }
            let mut readings: Vec<String> = Vec::new();
            for reading in closest.iter().filter_map(|b| b.first().map(|e| short(e))) {
                if !readings.contains(&reading) {
                    readings.push(reading);
                }
            }
            let label = match readings.as_slice() {
                [] => format!("no form of this key is {}", node.value.kind()),
                [only] => only.clone(),
                [first, rest @ ..] => format!(
                    "as one form: {first}; as another: {}",
                    rest.join("; as another: ")
                ),
            };
            out.push(
                Diagnostic::error(
                    DiagnosticCode::InvalidForm,
                    at_value,
                    format!("{where_} does not have any of the allowed forms"),
                )
                .label(label)
                .help("see spec/README.md for the forms this key accepts"),
            );
        }
        // Any other rule of the schema: the value does not have the form the key takes.
        _ => out.push(
            Diagnostic::error(
                DiagnosticCode::InvalidForm,
                at_value,
                format!("{where_}: {error}"),
            )
            .label("invalid here"),
        ),
    }
}

/// The branches of a choice (`oneOf`, `anyOf`) with their problems, nested choices at the same
/// place opened up; branches of another JSON kind than the value are left out.
fn alternatives<'e, 'a>(
    error: &'e ValidationError<'a>,
    out: &mut Vec<Vec<&'e ValidationError<'a>>>,
) {
    let (ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context }) =
        error.kind()
    else {
        return;
    };
    let here = error.instance_path().as_str();
    for branch in context {
        let at_here = |e: &ValidationError<'_>| e.instance_path().as_str() == here;
        match branch.as_slice() {
            [only]
                if at_here(only)
                    && matches!(
                        only.kind(),
                        ValidationErrorKind::OneOfNotValid { .. }
                            | ValidationErrorKind::AnyOf { .. }
                    ) =>
            {
                alternatives(only, out);
            }
            problems
                if !problems.is_empty()
                    && problems.iter().all(|e| {
                        at_here(e) && matches!(e.kind(), ValidationErrorKind::Type { .. })
                    }) => {}
            problems => out.push(problems.iter().collect()),
        }
    }
}

/// One problem in a few words, for a list of readings.
fn short(error: &ValidationError<'_>) -> String {
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let keys: Vec<String> = unexpected.iter().map(|k| format!("`{k}`")).collect();
            format!("{} is not a key of it", keys.join(", "))
        }
        ValidationErrorKind::Required { property } => {
            format!("`{}` is missing", property.as_str().unwrap_or("?"))
        }
        _ => error.to_string(),
    }
}

fn unknown_value(at: Span, where_: &str, found: &Value, allowed: &[String]) -> Diagnostic {
    let found = value_text(found);
    let d = Diagnostic::error(
        DiagnosticCode::UnknownValue,
        at,
        format!("`{found}` is not a valid value for {where_}"),
    )
    .label(format!("expected one of: {}", allowed.join(", ")));
    match suggest(&found, allowed) {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d,
    }
}

/// The keys the schema allows at the object whose `additionalProperties` was violated.
fn allowed_keys(schema_path: &str) -> Vec<String> {
    let Some(object_path) = schema_path.strip_suffix("/additionalProperties") else {
        return Vec::new();
    };
    format_schema()
        .pointer(object_path)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .map(|props| props.keys().cloned().collect())
        .unwrap_or_default()
}

fn suggest(found: &str, allowed: &[String]) -> Option<String> {
    allowed
        .iter()
        .map(|a| (strsim::jaro_winkler(found, a), a))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, a)| a.clone())
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn json_type_name(t: &str) -> String {
    match t {
        "object" => "a mapping",
        "array" => "a sequence",
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean (true or false)",
        "null" => "empty",
        other => other,
    }
    .to_owned()
}
