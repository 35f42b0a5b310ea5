//! Checking a page's examples against the declared types and constraints.
//!
//! The example's JSON is parsed with positions (jsonc-parser in strict JSON mode), so every
//! finding points at the offending value inside the YAML block that holds the example
//! (`text`). `json` checks the bodies, `rules` the enforced rules between fields; URI and query
//! parameters, which are text, are checked here.

mod json;
mod rules;
mod text;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{
    CodeType, Direction, Example, ExampleEntry, Field, Interface, Length, Range, Scalar, Shape,
    Spec,
};
use crate::raw::{CodeValue, LengthUnit};
use crate::source::Sources;

use json::Checker;

/// Every problem of one interface's examples.
pub fn check_interface(spec: &Spec, interface: &Interface, sources: &Sources) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for example in &interface.examples {
        check_example(spec, interface, example, sources, &mut out);
    }
    out
}

fn check_example(
    spec: &Spec,
    interface: &Interface,
    example: &Example,
    sources: &Sources,
    out: &mut Vec<Diagnostic>,
) {
    for entry in &example.headers {
        let declared = interface
            .headers
            .iter()
            .any(|h| spec.headers[h.0].name.eq_ignore_ascii_case(&entry.name));
        if !declared {
            out.push(
                Diagnostic::error(
                    DiagnosticCode::ExampleMismatch,
                    entry.span,
                    format!(
                        "example header `{}` is not a header of `{}`",
                        entry.name, interface.id
                    ),
                )
                .label("unknown header")
                .help("list it under the interface's `headers`, or fix the example"),
            );
        }
    }
    for id in &interface.headers {
        let header = &spec.headers[id.0];
        let present = example
            .headers
            .iter()
            .any(|e| e.name.eq_ignore_ascii_case(&header.name));
        if header.mandatory && !example.headers.is_empty() && !present {
            out.push(
                Diagnostic::warning(
                    DiagnosticCode::ExampleIncomplete,
                    example.span,
                    format!("the example omits mandatory header `{}`", header.name),
                )
                .help("copy the header from the page's example, or record in `notes` that the page omits it"),
            );
        }
    }
    params(
        spec,
        &example.path_params,
        &interface.path_params,
        "URI parameter",
        "path_params",
        out,
    );
    params(
        spec,
        &example.query_params,
        &interface.query_params,
        "query parameter",
        "query_params",
        out,
    );
    if !example.path_params.is_empty() || !example.query_params.is_empty() {
        let given = |name: &str| {
            example
                .path_params
                .iter()
                .chain(&example.query_params)
                .any(|e| e.name == name)
        };
        for param in interface
            .path_params
            .iter()
            .chain(&interface.query_params)
            .filter(|p| p.mandatory && !given(&p.name))
        {
            out.push(
                Diagnostic::warning(
                    DiagnosticCode::ExampleIncomplete,
                    example.span,
                    format!(
                        "the example gives URI or query parameters but not mandatory `{}`",
                        param.name
                    ),
                )
                .with_secondary(param.span, "declared here")
                .help("give every mandatory parameter, so that the example's path can be rendered and tested"),
            );
        }
    }
    if let Some(text) = &example.request {
        match interface.request {
            Some(table) => {
                let mut c =
                    Checker::new(spec, sources, text, "example request", Direction::Request);
                if let Some(root) = c.parse() {
                    c.table(&root, table, "");
                }
                out.extend(c.out);
            }
            None => out.push(
                Diagnostic::error(
                    DiagnosticCode::ExampleMismatch,
                    text.span,
                    format!(
                        "the example has a request body but `{}` declares none",
                        interface.id
                    ),
                )
                .help("declare the body under `request`, or remove the example body"),
            ),
        }
    }
    if let Some(text) = &example.response {
        let mut c = Checker::new(spec, sources, text, "example response", Direction::Response);
        if let Some(root) = c.parse() {
            c.envelope(&root, interface);
        }
        out.extend(c.out);
    }
}

/// Every problem of the event catalogue's examples: each is an event object of its own type,
/// with its content as the catalogue declares it.
pub fn check_events(spec: &Spec, sources: &Sources) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, event) in spec.events.iter().enumerate() {
        for example in &event.examples {
            let mut c = Checker::new(
                spec,
                sources,
                &example.text,
                "example event",
                Direction::Response,
            );
            if let Some(root) = c.parse() {
                c.event(&root, Some(crate::model::EventId(index)), "");
            }
            out.extend(c.out);
        }
    }
    out
}

/// URI or query parameter values: declared, and valid for their field.
fn params(
    spec: &Spec,
    entries: &[ExampleEntry],
    declared: &[Field],
    what: &str,
    key: &str,
    out: &mut Vec<Diagnostic>,
) {
    for entry in entries {
        match declared.iter().find(|p| p.name == entry.name) {
            None => out.push(
                Diagnostic::error(
                    DiagnosticCode::ExampleMismatch,
                    entry.span,
                    format!("example {what} `{}` is not declared in `{key}`", entry.name),
                )
                .help("fix the name or declare the parameter"),
            ),
            Some(param) => {
                if let Some(problem) = param_value_problem(spec, param, &entry.value) {
                    out.push(
                        Diagnostic::error(
                            DiagnosticCode::ExampleInvalid,
                            entry.value_span,
                            format!("example {what} `{}`: {problem}", entry.name),
                        )
                        .label("invalid value")
                        .with_secondary(param.span, "declared here"),
                    );
                }
            }
        }
    }
}

/// What is wrong with the text of a URI or query parameter, if anything.
fn param_value_problem(spec: &Spec, param: &Field, value: &str) -> Option<String> {
    match &param.shape {
        Shape::Code(id, _) => {
            let table = spec.code_table(*id);
            let code = match table.code_type {
                CodeType::String => CodeValue::Str(value.to_owned()),
                CodeType::Int => match parse_decimal(value) {
                    Some(v) => CodeValue::Int(v),
                    None => return Some(format!("`{value}` is not an integer code")),
                },
            };
            code_problem(spec, param, &code, Direction::Request)
        }
        Shape::Scalar(Scalar::Boolean) => (!matches!(value, "true" | "false"))
            .then(|| format!("`{value}` is not `true` or `false`")),
        _ => {
            let (scalar, range, length) = scalar_rules(spec, param)?;
            let problem = match scalar {
                Scalar::String => string_problem(range, length, value),
                Scalar::Int | Scalar::Long => match parse_decimal(value) {
                    Some(v) => int_problem(scalar, range, v),
                    None => Some(format!("`{value}` is not an integer")),
                },
                Scalar::Boolean => None,
            };
            problem.or_else(|| pattern_problem(param, value))
        }
    }
}

/// What is wrong with a code of a code field, if anything: unlisted (where the table does not
/// keep it travelling `direction`) or not among the field's `allowed_codes`.
pub(super) fn code_problem(
    spec: &Spec,
    field: &Field,
    code: &CodeValue,
    direction: Direction,
) -> Option<String> {
    let mut shape = &field.shape;
    while let Shape::Array(item) = shape {
        shape = item;
    }
    let Shape::Code(id, _) = shape else {
        return None;
    };
    let table = spec.code_table(*id);
    if let Some(allowed) = &field.allowed_codes
        && !allowed.contains(code)
    {
        let allowed: Vec<String> = allowed.iter().map(ToString::to_string).collect();
        return Some(format!(
            "code {code} is not one of the codes of `{}` the field allows ({})",
            table.name,
            allowed.join(", ")
        ));
    }
    if table.find(code).is_none() && !table.keeps_unknown(direction) {
        let listed: Vec<String> = table.codes.iter().map(|c| c.value.to_string()).collect();
        return Some(format!(
            "code {code} is not listed in `{}` ({})",
            table.name,
            listed.join(", ")
        ));
    }
    None
}

pub(super) fn pattern_problem(field: &Field, value: &str) -> Option<String> {
    let pattern = field.pattern.as_ref()?;
    regex_lite::Regex::new(pattern)
        .is_ok_and(|re| !re.is_match(value))
        .then(|| format!("\"{value}\" does not match `{pattern}`"))
}

/// The scalar, range and length that apply to a value of this field: its own, or those of its
/// named scalar (whose own type, not the wire type, says how they apply).
fn scalar_rules<'s>(
    spec: &'s Spec,
    field: &'s Field,
) -> Option<(Scalar, Option<&'s Range>, Option<&'s Length>)> {
    match &field.shape {
        Shape::Scalar(s) => Some((*s, field.range.as_ref(), field.length.as_ref())),
        Shape::Newtype(id, _) => {
            let def = spec.scalar(*id);
            Some((def.scalar, def.range.as_ref(), def.length.as_ref()))
        }
        _ => None,
    }
}

pub(super) fn string_problem(
    range: Option<&Range>,
    length: Option<&Length>,
    value: &str,
) -> Option<String> {
    if let Some(length) = length
        && let Some(problem) = length_problem(length, value)
    {
        return Some(problem);
    }
    let range = range?;
    match parse_decimal(value) {
        Some(v) if range.contains(v) => None,
        Some(v) => Some(format!("{v} is outside {range}")),
        None => Some(format!(
            "\"{value}\" is not a decimal integer (the field's range is {range})"
        )),
    }
}

/// A decimal integer written as digits with an optional minus sign, nothing else.
pub(super) fn parse_decimal(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

pub(super) fn length_problem(length: &Length, value: &str) -> Option<String> {
    let (count, unit) = match length.unit {
        LengthUnit::Characters => (value.chars().count(), "characters"),
        LengthUnit::Bytes => (value.len(), "bytes"),
    };
    let count = u64::try_from(count).unwrap_or(u64::MAX);
    if let Some(max) = length.max
        && count > max
    {
        return Some(format!(
            "{count} {unit} is longer than the maximum of {max}"
        ));
    }
    if let Some(min) = length.min
        && count < min
    {
        return Some(format!(
            "{count} {unit} is shorter than the minimum of {min}"
        ));
    }
    None
}

pub(super) fn int_problem(scalar: Scalar, range: Option<&Range>, value: i64) -> Option<String> {
    if let Some((lo, hi)) = scalar.bounds()
        && (value < lo || value > hi)
    {
        return Some(format!("{value} does not fit a 32-bit int"));
    }
    match range {
        Some(r) if !r.contains(value) => Some(format!("{value} is outside {r}")),
        _ => None,
    }
}
