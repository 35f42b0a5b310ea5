//! The spec's examples as tests of the generated crate. Every example becomes tests:
//!
//! - a request body and a successful response decode into the generated types, validate clean
//!   and serialise back to the same JSON; a deliberately broken copy of each is refused at a
//!   known path;
//! - a failure response is the interface's envelope with a catalogue code, and its result member
//!   decodes as the interface's failure detail;
//! - URI and query parameters (when the example gives all mandatory ones) parse into the
//!   `<Interface>Path` struct, validate and render the expected path; a copy with one broken
//!   parameter is refused at that parameter.
//!
//! Which value to break, and how, is decided here from the model: the first constrained value
//! (array limit, range, length, constrained scalar, closed code table, allowed codes) is pushed
//! just past its limit; without one, the first mandatory value gets the wrong JSON type.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::emit::ident;
use crate::model::{
    CodeType, Direction, Example, Field, Interface, InterfaceResult, Length, PathSegment, Range,
    Scalar, Shape, Spec, TableId,
};
use crate::raw::CodeValue;

/// A broken copy of an example and where it must fail.
#[derive(Debug, Clone, PartialEq)]
pub struct Broken {
    /// The broken JSON.
    pub json: String,
    /// The JSON path of the broken value.
    pub path: String,
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// Breaks values of one message travelling in one direction.
struct Breaker<'s> {
    spec: &'s Spec,
    direction: Direction,
}

impl Breaker<'_> {
    /// Breaks the first constrained value of `value` (an object of `table`); returns its path.
    fn table(&self, table: TableId, value: &mut Value, path: &str) -> Option<String> {
        let object = value.as_object_mut()?;
        for field in &self.spec.table(table).fields {
            let Some(member) = object.get_mut(&field.name) else {
                continue;
            };
            let field_path = join(path, &field.name);
            if let Some(found) = self.field(field, member, &field_path) {
                return Some(found);
            }
        }
        None
    }

    fn field(&self, field: &Field, value: &mut Value, path: &str) -> Option<String> {
        if let (Some(items), Value::Array(elements)) = (&field.items, &mut *value) {
            if let (Some(max), Some(first)) = (items.max, elements.first().cloned()) {
                let max = usize::try_from(max).ok()?;
                elements.resize(max + 1, first);
                return Some(path.to_owned());
            }
            if let Some(min) = items.min.filter(|m| *m > 0) {
                elements.truncate(usize::try_from(min - 1).ok()?);
                return Some(path.to_owned());
            }
        }
        self.value(
            &field.shape,
            field.range.as_ref(),
            field.length.as_ref(),
            field.allowed_codes.as_deref(),
            value,
            path,
        )
    }

    fn value(
        &self,
        shape: &Shape,
        range: Option<&Range>,
        length: Option<&Length>,
        allowed: Option<&[CodeValue]>,
        value: &mut Value,
        path: &str,
    ) -> Option<String> {
        match shape {
            Shape::Scalar(scalar) => {
                if let Some(range) = range {
                    let beyond = range
                        .max
                        .map_or_else(|| range.min.map(|m| m - 1), |m| m.checked_add(1))?;
                    *value = match scalar {
                        Scalar::String => Value::String(beyond.to_string()),
                        _ => Value::from(beyond),
                    };
                    return Some(path.to_owned());
                }
                if let (Some(length), Value::String(_)) = (length, &*value) {
                    let max = usize::try_from(length.max?).ok()?;
                    *value = Value::String("x".repeat(max + 1));
                    return Some(path.to_owned());
                }
                None
            }
            Shape::Newtype(id, wire) => {
                let def = self.spec.scalar(*id);
                let length = (*wire == Scalar::String)
                    .then_some(def.length.as_ref())
                    .flatten();
                self.value(
                    &Shape::Scalar(*wire),
                    def.range.as_ref(),
                    length,
                    None,
                    value,
                    path,
                )
            }
            Shape::Code(id, _) => {
                *value = self.code(*id, allowed)?;
                Some(path.to_owned())
            }
            Shape::Object(table) => self.table(*table, value, path),
            Shape::Array(item) => {
                let first = value.as_array_mut()?.first_mut()?;
                self.value(item, None, None, allowed, first, &format!("{path}[0]"))
            }
        }
    }

    /// A code the field refuses: a listed one it does not allow, else an unlisted one where the
    /// table does not keep it in this direction.
    fn code(&self, id: crate::model::CodeTableId, allowed: Option<&[CodeValue]>) -> Option<Value> {
        let table = self.spec.code_table(id);
        let listed_but_refused = allowed.and_then(|allowed| {
            table
                .codes
                .iter()
                .find(|c| !allowed.contains(&c.value))
                .map(|c| c.value.clone())
        });
        let code = match listed_but_refused {
            Some(code) => code,
            None if table.keeps_unknown(self.direction) => return None,
            None => match table.code_type {
                CodeType::Int => {
                    let max = table
                        .codes
                        .iter()
                        .filter_map(|c| match c.value {
                            CodeValue::Int(i) => Some(i),
                            CodeValue::Str(_) => None,
                        })
                        .max()
                        .unwrap_or(0);
                    CodeValue::Int(max.checked_add(1)?)
                }
                CodeType::String => CodeValue::Str("unlisted-code".to_owned()),
            },
        };
        Some(match code {
            CodeValue::Int(i) => Value::from(i),
            CodeValue::Str(s) => Value::String(s),
        })
    }
}

/// Gives the first mandatory member present the wrong JSON type; returns its path.
fn break_type(spec: &Spec, table: TableId, value: &mut Value, path: &str) -> Option<String> {
    let object = value.as_object_mut()?;
    let field = spec
        .table(table)
        .fields
        .iter()
        .find(|f| f.mandatory && object.contains_key(&f.name))?;
    let member = object.get_mut(&field.name)?;
    *member = wrong_type(member);
    Some(join(path, &field.name))
}

fn wrong_type(value: &Value) -> Value {
    match value {
        Value::Bool(_) => Value::String("not a boolean".to_owned()),
        _ => Value::Bool(true),
    }
}

/// Breaks a request body (an object of `table`).
pub fn break_request(spec: &Spec, table: TableId, example: &str) -> Option<Broken> {
    let mut root: Value = serde_json::from_str(example).ok()?;
    let breaker = Breaker {
        spec,
        direction: Direction::Request,
    };
    let path = match breaker.table(table, &mut root, "") {
        Some(path) => path,
        None => break_type(spec, table, &mut root, "")?,
    };
    Some(Broken {
        json: serde_json::to_string(&root).ok()?,
        path,
    })
}

/// Breaks the result of a successful response, held in the envelope's `member`.
pub fn break_result(
    spec: &Spec,
    result: &InterfaceResult,
    example: &str,
    member: &str,
) -> Option<Broken> {
    let mut root: Value = serde_json::from_str(example).ok()?;
    let target = root.get_mut(member)?;
    let breaker = Breaker {
        spec,
        direction: Direction::Response,
    };
    let path = match result {
        InterfaceResult::Table(table) => match breaker.table(*table, target, member) {
            Some(path) => path,
            None => break_type(spec, *table, target, member)?,
        },
        InterfaceResult::Value(field) => match breaker.field(field, target, member) {
            Some(path) => path,
            None => {
                *target = wrong_type(target);
                member.to_owned()
            }
        },
        // A broken event is kept by the event enum, not refused: no broken copy.
        InterfaceResult::Event { .. } => return None,
    };
    Some(Broken {
        json: serde_json::to_string(&root).ok()?,
        path,
    })
}

/// The round-trip test of an example body and, when it has one, the test of its broken copy.
fn tests_for(
    (round_trips, broken_copy_is_refused): (&str, &str),
    ty: &TokenStream,
    text: &str,
    broken: Option<Broken>,
) -> TokenStream {
    let ok = ident(round_trips);
    let text = Literal::string(text);
    let broken = broken.map(|b| {
        let fails = ident(broken_copy_is_refused);
        let json = Literal::string(&b.json);
        let path = &b.path;
        quote! {
            #[test]
            fn #fails() {
                if let Err(e) = ::gatespec::example::fails_at::<#ty>(#json, #path) {
                    panic!("{e}");
                }
            }
        }
    });
    quote! {
        #[test]
        fn #ok() {
            if let Err(e) = ::gatespec::example::round_trip::<#ty>(#text) {
                panic!("{e}");
            }
        }
        #broken
    }
}

/// Whether a response example answers with the envelope's success code (true when it cannot
/// tell: the model has checked the example, so the test then reports what is wrong).
fn is_success(spec: &Spec, interface: &Interface, text: &str) -> bool {
    let envelope = &spec.envelopes[interface.envelope.0];
    let Ok(root) = serde_json::from_str::<Value>(text) else {
        return true;
    };
    match (root.get(&envelope.retcode.name), &envelope.retcode.success) {
        (Some(Value::String(code)), CodeValue::Str(success)) => code == success,
        (Some(Value::Number(code)), CodeValue::Int(success)) => code.as_i64() == Some(*success),
        _ => true,
    }
}

/// RFC 3986 unreserved characters stay as they are, as `gatespec::push_path_segment` does.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How the runtime writes a parameter's value back (integers without leading zeros).
fn rendered(spec: &Spec, field: &Field, text: &str) -> String {
    let integer = match &field.shape {
        Shape::Scalar(s) => matches!(s, Scalar::Int | Scalar::Long),
        Shape::Code(id, _) => spec.code_table(*id).code_type == CodeType::Int,
        Shape::Newtype(id, _) => spec.scalar(*id).scalar != Scalar::String,
        Shape::Object(_) | Shape::Array(_) => false,
    };
    let canonical = integer
        .then(|| text.parse::<i64>().ok().map(|i| i.to_string()))
        .flatten();
    let text = canonical.as_deref().unwrap_or(text);
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// The path (with query string) the example's parameters render to, if it gives every
/// mandatory one.
fn expected_path(spec: &Spec, interface: &Interface, example: &Example) -> Option<String> {
    let value = |field: &Field, entries: &[crate::model::ExampleEntry]| {
        entries
            .iter()
            .find(|e| e.name == field.name)
            .map(|e| rendered(spec, field, &e.value))
    };
    let mut path = String::new();
    for segment in &interface.path {
        match segment {
            PathSegment::Literal(text) => path.push_str(text),
            PathSegment::Param(i) => {
                path.push_str(&value(&interface.path_params[*i], &example.path_params)?);
            }
        }
    }
    let mut first = true;
    for q in &interface.query_params {
        match value(q, &example.query_params) {
            Some(v) => {
                path.push(if first { '?' } else { '&' });
                first = false;
                path.push_str(&utf8_percent_encode(&q.name, SEGMENT).to_string());
                path.push('=');
                path.push_str(&v);
            }
            None if q.mandatory => return None,
            None => {}
        }
    }
    Some(path)
}

/// A broken text for a parameter, if it has a constraint to break.
fn broken_param(spec: &Spec, field: &Field, text: &str) -> Option<String> {
    // Parameters are text; the breaker writes numbers where the type is a number.
    let mut value = Value::String(text.to_owned());
    let breaker = Breaker {
        spec,
        direction: Direction::Request,
    };
    breaker.field(field, &mut value, &field.name)?;
    Some(match value {
        Value::String(s) => s,
        other => other.to_string(),
    })
}

/// The `<Interface>Path` struct built from the example's texts; `broken` replaces one value.
fn path_struct(
    service: &proc_macro2::Ident,
    interface: &Interface,
    example: &Example,
    broken: Option<(&str, &str)>,
) -> TokenStream {
    let path_type = ident(&interface.names.path);
    let fields = interface
        .path_params
        .iter()
        .map(|p| (p, &example.path_params))
        .chain(
            interface
                .query_params
                .iter()
                .map(|q| (q, &example.query_params)),
        )
        .map(|(field, entries)| {
            let name = ident(&field.ident);
            let wire = &field.name;
            let text = match broken {
                Some((param, text)) if param == field.name => Some(text.to_owned()),
                _ => entries
                    .iter()
                    .find(|e| e.name == field.name)
                    .map(|e| e.value.clone()),
            };
            let parsed = text.map(|t| quote!(::gatespec::example::param(#wire, #t)?));
            match (parsed, field.mandatory) {
                (Some(parsed), true) => quote!(#name: #parsed),
                (Some(parsed), false) => quote!(#name: Some(#parsed)),
                (None, _) => quote!(#name: None),
            }
        });
    quote!(super::#service::#path_type { #(#fields),* })
}

fn path_tests(
    spec: &Spec,
    service: &proc_macro2::Ident,
    interface: &Interface,
    example: &Example,
) -> TokenStream {
    if example.path_params.is_empty() && example.query_params.is_empty() {
        return TokenStream::new();
    }
    let Some(expected) = expected_path(spec, interface, example) else {
        return TokenStream::new();
    };
    let renders = ident(&example.tests.path_renders);
    let build = path_struct(service, interface, example, None);
    let broken = interface
        .path_params
        .iter()
        .map(|p| (p, &example.path_params))
        .chain(
            interface
                .query_params
                .iter()
                .map(|q| (q, &example.query_params)),
        )
        .find_map(|(field, entries)| {
            let entry = entries.iter().find(|e| e.name == field.name)?;
            Some((field, broken_param(spec, field, &entry.value)?))
        })
        .map(|(field, text)| {
            let refused = ident(&example.tests.broken_path_is_refused);
            let build = path_struct(service, interface, example, Some((&field.name, &text)));
            let wire = &field.name;
            quote! {
                #[test]
                fn #refused() -> Result<(), String> {
                    ::gatespec::example::params_refused(|| Ok(#build), #wire)
                }
            }
        });
    quote! {
        #[test]
        fn #renders() -> Result<(), String> {
            let path = #build;
            ::gatespec::example::renders(&path, #expected)
        }
        #broken
    }
}

fn example_tests(
    spec: &Spec,
    interface: &Interface,
    example: &Example,
    service: &proc_macro2::Ident,
) -> TokenStream {
    let tests = &example.tests;
    let mut out = path_tests(spec, service, interface, example);
    if let (Some(text), Some(table)) = (&example.request, interface.request) {
        let name = ident(&spec.table(table).name);
        let ty = quote!(super::#service::#name);
        let broken = break_request(spec, table, &text.text);
        out.extend(tests_for(
            (
                &tests.request_round_trips,
                &tests.request_broken_copy_is_refused,
            ),
            &ty,
            &text.text,
            broken,
        ));
    }
    if let Some(text) = &example.response {
        let envelope = &spec.envelopes[interface.envelope.0];
        let envelope_name = ident(&envelope.name);
        if is_success(spec, interface, &text.text) {
            let result = match &interface.result {
                Some(_) => {
                    let name = ident(&interface.names.result);
                    quote!(super::#service::#name)
                }
                None => quote!(::gatespec::NoResult),
            };
            let ty = quote!(super::#envelope_name<#result>);
            let broken = interface
                .result
                .as_ref()
                .and_then(|r| break_result(spec, r, &text.text, &envelope.result.0));
            out.extend(tests_for(
                (
                    &tests.response_round_trips,
                    &tests.response_broken_copy_is_refused,
                ),
                &ty,
                &text.text,
                broken,
            ));
        } else {
            let test = ident(&tests.response_is_a_failure);
            let json = Literal::string(&text.text);
            let name = ident(&interface.names.descriptor);
            out.extend(quote! {
                #[test]
                fn #test() -> Result<(), String> {
                    ::gatespec::example::failure::<super::#service::#name>(#json)
                }
            });
        }
    }
    out
}

fn interface_tests(spec: &Spec, interface: &Interface) -> TokenStream {
    let service = ident(&spec.services[interface.service.0].names.module);
    interface
        .examples
        .iter()
        .map(|example| example_tests(spec, interface, example, &service))
        .collect()
}

/// The `examples` test module (its items; the caller wraps it in `#[cfg(test)]`), or nothing
/// when the spec has no examples.
pub fn examples_module(spec: &Spec) -> Option<TokenStream> {
    let tests: Vec<TokenStream> = spec
        .interfaces
        .iter()
        .map(|i| interface_tests(spec, i))
        .chain(std::iter::once(super::events::event_tests(spec)))
        .filter(|t| !t.is_empty())
        .collect();
    (!tests.is_empty()).then(|| quote!(#(#tests)*))
}
