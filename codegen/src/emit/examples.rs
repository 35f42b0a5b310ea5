//! The spec's examples as tests of the generated crate: each example request and response must
//! decode into the generated types, validate clean and serialise back to the same JSON; a
//! deliberately broken copy of each must be refused at a known path.
//!
//! Which value to break, and how, is decided here from the model: the first constrained value
//! (array limit, range, length, constrained scalar, closed code table) is pushed just past its
//! limit; without one, the first mandatory value gets the wrong JSON type.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::emit::ident;
use crate::model::{CodeType, Field, Interface, Scalar, Shape, Spec, TableId};
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

/// Breaks the first constrained value of `value` (an object of `table`); returns its path.
fn break_constraint(spec: &Spec, table: TableId, value: &mut Value, path: &str) -> Option<String> {
    let object = value.as_object_mut()?;
    for field in &spec.table(table).fields {
        let Some(member) = object.get_mut(&field.name) else {
            continue;
        };
        let field_path = join(path, &field.name);
        if let Some(found) = break_field(spec, field, &field.shape, member, &field_path) {
            return Some(found);
        }
    }
    None
}

fn break_field(
    spec: &Spec,
    field: &Field,
    shape: &Shape,
    value: &mut Value,
    path: &str,
) -> Option<String> {
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
    let range = field.range.as_ref();
    let length = field.length.as_ref();
    break_value(spec, shape, range, length, value, path)
}

fn break_value(
    spec: &Spec,
    shape: &Shape,
    range: Option<&crate::model::Range>,
    length: Option<&crate::model::Length>,
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
        Shape::Newtype(id) => {
            let def = spec.scalar(*id);
            break_value(
                spec,
                &Shape::Scalar(def.scalar),
                def.range.as_ref(),
                def.length.as_ref(),
                value,
                path,
            )
        }
        Shape::Code(id, _) => {
            let table = spec.code_table(*id);
            if table.fallback.is_some() {
                return None;
            }
            *value = match table.code_type {
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
                    Value::from(max.checked_add(1)?)
                }
                CodeType::String => Value::String("unlisted-code".to_owned()),
            };
            Some(path.to_owned())
        }
        Shape::Object(table) => break_constraint(spec, *table, value, path),
        Shape::Array(item) => {
            let first = value.as_array_mut()?.first_mut()?;
            break_value(spec, item, None, None, first, &format!("{path}[0]"))
        }
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
    *member = match member {
        Value::Bool(_) => Value::String("not a boolean".to_owned()),
        _ => Value::Bool(true),
    };
    Some(join(path, &field.name))
}

/// Breaks `example` (an object of `table` at `path`, or the envelope holding it in `result`).
pub fn break_example(
    spec: &Spec,
    table: TableId,
    example: &str,
    result_member: Option<&str>,
) -> Option<Broken> {
    let mut root: Value = serde_json::from_str(example).ok()?;
    let (target, prefix) = match result_member {
        Some(member) => (root.get_mut(member)?, member.to_owned()),
        None => (&mut root, String::new()),
    };
    let path = match break_constraint(spec, table, target, &prefix) {
        Some(path) => path,
        None => break_type(spec, table, target, &prefix)?,
    };
    Some(Broken {
        json: serde_json::to_string(&root).ok()?,
        path,
    })
}

fn tests_for(name: &str, ty: &TokenStream, text: &str, broken: Option<Broken>) -> TokenStream {
    let ok = ident(&format!("{name}_round_trips"));
    let text = Literal::string(text);
    let broken = broken.map(|b| {
        let fails = ident(&format!("{name}_broken_copy_is_refused"));
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

fn interface_tests(spec: &Spec, interface: &Interface) -> TokenStream {
    let Some(example) = &interface.example else {
        return TokenStream::new();
    };
    let service = ident(&spec.services[interface.service.0].name);
    let mut out = TokenStream::new();
    if let (Some(text), Some(table)) = (&example.request, interface.request) {
        let name = ident(&spec.table(table).name);
        let ty = quote!(super::#service::#name);
        let broken = break_example(spec, table, &text.text, None);
        out.extend(tests_for(
            &format!("{}_request", interface.id),
            &ty,
            &text.text,
            broken,
        ));
    }
    if let Some(text) = &example.response {
        let envelope = &spec.envelopes[interface.envelope.0];
        let envelope_name = ident(&envelope.name);
        let result = match interface.result {
            Some(table) => {
                let name = ident(&spec.table(table).name);
                quote!(super::#service::#name)
            }
            None => quote!(::gatespec::NoResult),
        };
        let ty = quote!(super::#envelope_name<#result>);
        let broken = interface
            .result
            .and_then(|table| break_example(spec, table, &text.text, Some(&envelope.result.0)));
        out.extend(tests_for(
            &format!("{}_response", interface.id),
            &ty,
            &text.text,
            broken,
        ));
    }
    out
}

/// The `examples` test module (its items; the caller wraps it in `#[cfg(test)]`), or nothing
/// when the spec has no examples.
pub fn examples_module(spec: &Spec) -> Option<TokenStream> {
    let tests: Vec<TokenStream> = spec
        .interfaces
        .iter()
        .map(|i| interface_tests(spec, i))
        .filter(|t| !t.is_empty())
        .collect();
    (!tests.is_empty()).then(|| quote!(#(#tests)*))
}
