//! Rust names for everything the spec defines, decided once here so that every emitter agrees.
//!
//! Wire names become snake_case fields and code names UpperCamelCase variants (via heck),
//! keyword-safe. Two wire names that map to the same Rust name are a spec error that names both;
//! nothing is silently suffixed.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{CodeTableId, Field, InterfaceResult, Shape, Spec};
use crate::raw::UnknownCodes;
use crate::source::Span;

/// Words that cannot be identifiers as they are (Rust 2024, strict and reserved).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either; they get a trailing underscore.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names the generated code itself uses; a spec type with one of these names would shadow them.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Self", "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box",
];

/// A keyword-safe identifier: `type` -> `r#type`, `self` -> `self_`, `3way` -> `_3way`.
pub fn safe_ident(word: &str) -> String {
    let word = if word.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{word}")
    } else {
        word.to_owned()
    };
    if NOT_RAW.contains(&word.as_str()) {
        format!("{word}_")
    } else if KEYWORDS.contains(&word.as_str()) {
        format!("r#{word}")
    } else {
        word
    }
}

/// The snake_case Rust field name of a wire name.
pub fn field_ident(wire: &str) -> String {
    let snake: String = wire
        .to_snake_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    safe_ident(&snake)
}

/// The UpperCamelCase Rust name of a snake_case spec name.
pub fn type_ident(name: &str) -> String {
    let camel: String = name
        .to_upper_camel_case()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    safe_ident(&camel)
}

/// Rust names already taken in one scope (a table, a code table, ...), with the spec name and
/// place that took each, so that a second claim reports both.
struct Scope {
    what: String,
    taken: BTreeMap<String, (String, Span)>,
}

impl Scope {
    fn new(what: impl Into<String>) -> Self {
        Scope {
            what: what.into(),
            taken: BTreeMap::new(),
        }
    }

    /// Claims `ident` for the spec name `name`; a collision is reported, the same name twice is
    /// not (that is a duplicate, reported where it is defined).
    fn claim(&mut self, out: &mut Vec<Diagnostic>, ident: &str, name: &str, span: Span) {
        match self.taken.get(ident) {
            Some((first, _)) if first == name => {}
            Some((first, first_span)) => {
                out.push(collision(ident, name, span, first, *first_span, &self.what));
            }
            None => {
                self.taken.insert(ident.to_owned(), (name.to_owned(), span));
            }
        }
    }

    fn contains(&self, ident: &str) -> bool {
        self.taken.contains_key(ident)
    }
}

/// The field name of a row: its `rust_name` (kept, made keyword-safe) or one from its wire name.
fn row_ident(field: &Field) -> String {
    if field.ident.is_empty() {
        field_ident(&field.name)
    } else {
        safe_ident(&field.ident)
    }
}

fn assign_fields(out: &mut Vec<Diagnostic>, fields: &mut [Field], scope: &mut Scope, what: &str) {
    for field in fields {
        field.ident = row_ident(field);
        check_ident(out, &field.ident, &field.name, field.span, what);
        scope.claim(out, &field.ident, &field.name, field.span);
    }
}

/// Assigns every Rust name and decides which code tables keep unknown codes.
pub fn assign(spec: &mut Spec, out: &mut Vec<Diagnostic>) {
    for table in &mut spec.tables {
        let mut scope = Scope::new(format!("table `{}`", table.name));
        assign_fields(out, &mut table.fields, &mut scope, "field");
    }
    for interface in &mut spec.interfaces {
        interface.type_name = type_ident(&interface.id);
        let mut scope = Scope::new(format!("the URI parameters of `{}`", interface.id));
        assign_fields(out, &mut interface.path_params, &mut scope, "URI parameter");
        assign_fields(
            out,
            &mut interface.query_params,
            &mut scope,
            "query parameter",
        );
    }
    let mut catalogue = Scope::new("the error catalogue");
    for error in &mut spec.errors {
        error.ident = type_ident(&error.name);
        catalogue.claim(out, &error.ident, &error.name, error.span);
    }
    let received = received_code_tables(spec);
    for (index, table) in spec.code_tables.iter_mut().enumerate() {
        let mut scope = Scope::new(format!("code table `{}`", table.name));
        for code in &mut table.codes {
            code.ident = type_ident(&code.name);
            scope.claim(out, &code.ident, &code.name, code.span);
        }
        let open = match table.unknown_codes {
            Some(UnknownCodes::Keep) => true,
            Some(UnknownCodes::Reject) => false,
            None => received.contains(&CodeTableId(index)),
        };
        // Left to the direction: kept when a gateway sends it, refused in requests.
        table.refuse_in_requests = open && table.unknown_codes.is_none();
        table.fallback = open.then(|| {
            ["Other", "Unlisted", "UnlistedCode"]
                .into_iter()
                .find(|name| !scope.contains(name))
                .unwrap_or("UnlistedCodeValue")
                .to_owned()
        });
    }
}

/// Code tables that appear in some interface's result or failure result: a client receives them
/// from the gateway, so by default they keep unknown codes instead of failing the whole response.
fn received_code_tables(spec: &Spec) -> Vec<CodeTableId> {
    let mut found = Vec::new();
    let mut visited = vec![false; spec.tables.len()];
    let mut pending: Vec<usize> = Vec::new();
    fn reach(shape: &Shape, found: &mut Vec<CodeTableId>, pending: &mut Vec<usize>) {
        let mut shape = shape;
        while let Shape::Array(item) = shape {
            shape = item;
        }
        match shape {
            Shape::Code(id, _) if !found.contains(id) => found.push(*id),
            Shape::Object(table) => pending.push(table.0),
            _ => {}
        }
    }
    for interface in &spec.interfaces {
        match &interface.result {
            Some(InterfaceResult::Table(table)) => pending.push(table.0),
            Some(InterfaceResult::Value(field)) => reach(&field.shape, &mut found, &mut pending),
            None => {}
        }
    }
    for interface in &spec.interfaces {
        if let Some(failure) = interface.failure {
            pending.push(failure.0);
        }
    }
    while let Some(index) = pending.pop() {
        if std::mem::replace(&mut visited[index], true) {
            continue;
        }
        for field in &spec.tables[index].fields {
            reach(&field.shape, &mut found, &mut pending);
        }
    }
    found
}

fn check_ident(out: &mut Vec<Diagnostic>, ident: &str, wire: &str, span: Span, what: &str) {
    if ident.trim_start_matches("r#").trim_matches('_').is_empty() {
        out.push(
            Diagnostic::error(
                DiagnosticCode::BadName,
                span,
                format!("{what} `{wire}` has no letters or digits to make a Rust name from"),
            )
            .help("wire names need at least one ASCII letter or digit"),
        );
    }
}

fn collision(
    ident: &str,
    name: &str,
    span: Span,
    first: &str,
    first_span: Span,
    scope: &str,
) -> Diagnostic {
    Diagnostic::error(
        DiagnosticCode::NameCollision,
        span,
        format!("`{name}` and `{first}` both become the Rust name `{ident}` in {scope}"),
    )
    .label(format!("becomes `{ident}`"))
    .with_secondary(first_span, format!("`{first}` also becomes `{ident}`"))
    .help(format!(
        "give one of them its own Rust name with `rust_name: ...` (the wire name stays `{name}`)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_digits() {
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("confIds"), "conf_ids");
        assert_eq!(field_ident("Content-Type"), "content_type");
        assert_eq!(field_ident("3way"), "_3way");
        assert_eq!(type_ident("self"), "Self_");
        assert_eq!(type_ident("query_conf_infos"), "QueryConfInfos");
        assert_eq!(type_ident("match"), "Match");
    }
}
