//! Tests of the generated crate, one per interface: failure answers decode as the gateway's
//! failure, whatever their result member holds, and an interface's declared failure detail
//! decodes into its `<Interface>Failure` type. The checks themselves are one runtime function
//! (`gatespec::client::check_failure_answers`); per interface this emits a call, with a sample
//! failure detail built from the model where the interface declares one.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::emit::ident;
use crate::model::{Field, Interface, Length, Range, Scalar, Shape, Spec, TableId};
use crate::raw::CodeValue;

/// How deep sample objects nest before giving up (a table that contains itself).
const MAX_DEPTH: usize = 16;

/// A JSON object of `table` with every mandatory member set to a value its type accepts when
/// decoded; `None` when the table nests too deep.
pub fn sample_object(spec: &Spec, table: TableId, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut object = serde_json::Map::new();
    for field in spec.table(table).fields.iter().filter(|f| f.mandatory) {
        object.insert(field.name.clone(), sample_field(spec, field, depth)?);
    }
    Some(Value::Object(object))
}

fn sample_field(spec: &Spec, field: &Field, depth: usize) -> Option<Value> {
    match &field.shape {
        Shape::Array(item) => {
            let count = field
                .items
                .and_then(|r| r.min)
                .and_then(|m| usize::try_from(m).ok())
                .unwrap_or(0);
            let element = sample_shape(spec, item, None, None, depth)?;
            Some(Value::Array(vec![element; count]))
        }
        shape => sample_shape(
            spec,
            shape,
            field.range.as_ref(),
            field.length.as_ref(),
            depth,
        ),
    }
}

fn sample_shape(
    spec: &Spec,
    shape: &Shape,
    range: Option<&Range>,
    length: Option<&Length>,
    depth: usize,
) -> Option<Value> {
    Some(match shape {
        Shape::Scalar(scalar) => sample_scalar(*scalar, range, length),
        Shape::Newtype(id, wire) => {
            let def = spec.scalar(*id);
            sample_scalar(*wire, def.range.as_ref(), def.length.as_ref())
        }
        Shape::Code(id, _) => match &spec.code_table(*id).codes.first()?.value {
            CodeValue::Int(i) => Value::from(*i),
            CodeValue::Str(s) => Value::from(s.as_str()),
        },
        Shape::Object(table) => sample_object(spec, *table, depth + 1)?,
        Shape::Array(item) => Value::Array(vec![sample_shape(spec, item, None, None, depth)?]),
    })
}

fn sample_scalar(scalar: Scalar, range: Option<&Range>, length: Option<&Length>) -> Value {
    let number = range.map_or(0, |r| r.min.or(r.max).unwrap_or(0));
    match scalar {
        Scalar::Boolean => Value::Bool(false),
        Scalar::Int | Scalar::Long => Value::from(number),
        Scalar::String if range.is_some() => Value::from(number.to_string()),
        Scalar::String => {
            let min = length
                .and_then(|l| l.min)
                .and_then(|m| usize::try_from(m).ok())
                .unwrap_or(0);
            Value::from("x".repeat(min))
        }
    }
}

fn interface_test(spec: &Spec, interface: &Interface) -> TokenStream {
    let service = ident(&spec.services[interface.service.0].names.module);
    let name = ident(&interface.names.descriptor);
    let test = ident(&interface.names.answers_test);
    let detail = match interface
        .failure
        .and_then(|table| sample_object(spec, table, 0))
    {
        Some(sample) => {
            let text = Literal::string(&sample.to_string());
            quote!(Some(#text))
        }
        None => quote!(None),
    };
    quote! {
        #[::gatespec::__private::client_only]
        #[test]
        fn #test() {
            if let Err(e) = ::gatespec::client::check_failure_answers::<super::#service::#name>(#detail) {
                panic!("{e}");
            }
        }
    }
}

/// The `answers` test module (its items; the caller wraps it in `#[cfg(test)]`), or nothing
/// when the spec has no interface.
pub fn answers_module(spec: &Spec) -> Option<TokenStream> {
    let tests: Vec<TokenStream> = spec
        .interfaces
        .iter()
        .map(|i| interface_test(spec, i))
        .collect();
    (!tests.is_empty()).then(|| quote!(#(#tests)*))
}
