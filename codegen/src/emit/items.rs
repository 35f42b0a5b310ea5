//! Emitters for the named definitions: code tables, the error catalogue, scalars, tables and
//! envelopes. Behaviour comes from the derives; each item is its fields and attributes.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::emit::docs::{Doc, field_doc, length_text, one_line, range_text, sentence, unit_text};
use crate::emit::{ident, serde_attr};
use crate::model::{
    CodeTable, CodeType, Envelope, Field, Length, Range, Scalar, ScalarType, Shape, Spec, Table,
};
use crate::raw::{CodeValue, LengthUnit};

/// The Rust type of a value of `shape`, as seen from a submodule of the generated root.
pub fn rust_type(spec: &Spec, shape: &Shape) -> TokenStream {
    match shape {
        Shape::Scalar(s) => scalar_type(*s),
        Shape::Code(id, _) => {
            let name = ident(&spec.code_table(*id).name);
            quote!(super::#name)
        }
        Shape::Newtype(id) => {
            let name = ident(&spec.scalar(*id).name);
            quote!(super::#name)
        }
        Shape::Object(id) => {
            let name = ident(&spec.table(*id).name);
            quote!(super::#name)
        }
        Shape::Array(item) => {
            let item = rust_type(spec, item);
            quote!(Vec<#item>)
        }
    }
}

fn scalar_type(scalar: Scalar) -> TokenStream {
    match scalar {
        Scalar::String => quote!(String),
        Scalar::Int => quote!(i32),
        Scalar::Long => quote!(i64),
        Scalar::Boolean => quote!(bool),
    }
}

fn bounds(min: Option<i64>, max: Option<i64>) -> TokenStream {
    let min = min.map(|m| {
        let m = Literal::i64_unsuffixed(m);
        quote!(min = #m)
    });
    let max = max.map(|m| {
        let m = Literal::i64_unsuffixed(m);
        quote!(max = #m)
    });
    let parts: Vec<TokenStream> = min.into_iter().chain(max).collect();
    quote!(#(#parts),*)
}

fn range_rule(range: &Range) -> TokenStream {
    let b = bounds(range.min, range.max);
    quote!(range(#b))
}

fn length_rule(length: &Length) -> TokenStream {
    let to_i64 = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    let b = bounds(length.min.map(to_i64), length.max.map(to_i64));
    match length.unit {
        LengthUnit::Characters => quote!(length(#b)),
        LengthUnit::Bytes => quote!(length(#b, unit = "bytes")),
    }
}

/// The `#[validate(...)]` attribute of a field, if it has rules.
fn validate_attr(field: &Field) -> TokenStream {
    let mut rules = Vec::new();
    if let Some(range) = &field.range {
        rules.push(range_rule(range));
    }
    if let Some(length) = &field.length {
        rules.push(length_rule(length));
    }
    if let Some(items) = &field.items {
        let b = bounds(items.min, items.max);
        rules.push(quote!(items(#b)));
    }
    if rules.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[validate(#(#rules),*)])
    }
}

/// One struct field: docs, serde name, rules, type (`Option` only where optional).
pub fn field(spec: &Spec, field: &Field) -> TokenStream {
    let doc = field_doc(spec, field).tokens();
    let name = ident(&field.ident);
    let wire = &field.name;
    let ty = rust_type(spec, &field.shape);
    let rules = validate_attr(field);
    // serde already uses the field's name (without `r#`); rename only where the wire differs.
    let rename =
        (field.ident.trim_start_matches("r#") != wire.as_str()).then(|| quote!(rename = #wire));
    if field.mandatory {
        let serde = rename.map(|r| quote!(#[serde(#r)]));
        quote! {
            #doc
            #serde
            #rules
            pub #name: #ty,
        }
    } else {
        let serde = rename.into_iter().chain([
            quote!(default),
            quote!(skip_serializing_if = "Option::is_none"),
        ]);
        quote! {
            #doc
            #[serde(#(#serde),*)]
            #rules
            pub #name: Option<#ty>,
        }
    }
}

fn table_doc(table: &Table, fallback: &str) -> Doc {
    let mut doc = Doc::new(&one_line(table.description.as_deref().unwrap_or(fallback)));
    if let Some(source) = &table.source {
        doc.paragraph(&format!("Vendor table: {}", sentence(source)));
    }
    doc.notes(&table.notes);
    doc
}

/// A parameter table as a struct.
pub fn table(spec: &Spec, table: &Table, fallback_doc: &str) -> TokenStream {
    let doc = table_doc(table, fallback_doc).tokens();
    let name = ident(&table.name);
    let fields = table.fields.iter().map(|f| field(spec, f));
    let serde = serde_attr();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
        #serde
        pub struct #name {
            #(#fields)*
        }
    }
}

/// A named constrained scalar as a newtype that can only hold valid values.
pub fn scalar(def: &ScalarType) -> TokenStream {
    let mut doc = Doc::new(&one_line(&def.description));
    let mut facts = Vec::new();
    if let Some(range) = &def.range {
        let what = if def.scalar == Scalar::String {
            "a decimal integer from"
        } else {
            "from"
        };
        facts.push(format!("Holds {what} {}.", range_text(range)));
    }
    if let Some(length) = &def.length {
        facts.push(format!("Length: {}.", length_text(length)));
    }
    if let Some(unit) = def.unit {
        facts.push(format!("Unit: {}.", unit_text(unit)));
    }
    if let Some(source) = &def.source {
        facts.push(format!("Vendor source: {}", sentence(source)));
    }
    doc.bullets(&facts);
    doc.notes(&def.notes);
    let doc = doc.tokens();
    let name = ident(&def.name);
    let inner = scalar_type(def.scalar);
    let mut rules = Vec::new();
    if let Some(range) = &def.range {
        rules.push(range_rule(range));
    }
    if let Some(length) = &def.length {
        rules.push(length_rule(length));
    }
    let copy = (def.scalar != Scalar::String).then(|| quote!(Copy,));
    quote! {
        #doc
        #[derive(Debug, Clone, #copy PartialEq, Eq, Hash, Constrained)]
        #[constrained(#(#rules),*)]
        pub struct #name(#inner);
    }
}

fn code_literal(value: &CodeValue) -> TokenStream {
    match value {
        CodeValue::Int(i) => {
            let lit = Literal::i64_unsuffixed(*i);
            quote!(#lit)
        }
        CodeValue::Str(s) => quote!(#s),
    }
}

/// The `#[code(int)]`/`#[code(string)]` kind and the fallback's payload type of a table.
fn code_kind(code_type: CodeType, wide: bool) -> (TokenStream, TokenStream) {
    match (code_type, wide) {
        (CodeType::String, _) => (quote!(string), quote!(String)),
        (CodeType::Int, false) => (quote!(int), quote!(i32)),
        (CodeType::Int, true) => (quote!(int = i64), quote!(i64)),
    }
}

/// A code table as a `CodeEnum`.
pub fn code_table(table: &CodeTable) -> TokenStream {
    let mut doc = Doc::new(&one_line(&table.description));
    let mut facts = Vec::new();
    if let Some(source) = &table.source {
        facts.push(format!("Vendor table: {}", sentence(source)));
    }
    facts.push(match &table.fallback {
        Some(v) => format!(
            "Unknown codes are kept in [`{}::{v}`] and sent back unchanged.",
            table.name
        ),
        None => "Unknown codes are refused.".to_owned(),
    });
    doc.bullets(&facts);
    doc.notes(&table.notes);
    let doc = doc.tokens();
    let wide = table
        .codes
        .iter()
        .any(|c| matches!(c.value, CodeValue::Int(i) if i32::try_from(i).is_err()));
    let (kind, payload) = code_kind(table.code_type, wide);
    let variants = table.codes.iter().map(|c| {
        let mut doc = Doc::new(&one_line(&c.meaning));
        if let Some(source) = &c.source {
            doc.paragraph(&format!("Vendor source: {}", sentence(source)));
        }
        doc.notes(&c.notes);
        let doc = doc.tokens();
        let name = ident(&c.ident);
        let code = code_literal(&c.value);
        let meaning = one_line(&c.meaning);
        quote! {
            #doc
            #[code(#code, meaning = #meaning)]
            #name,
        }
    });
    let fallback = table.fallback.as_ref().map(|v| {
        let v = ident(v);
        quote! {
            #[doc = " A code this table does not list, kept as received."]
            #[code(other)]
            #v(#payload),
        }
    });
    let copy = (table.code_type == CodeType::Int).then(|| quote!(Copy,));
    let name = ident(&table.name);
    quote! {
        #doc
        #[derive(Debug, Clone, #copy PartialEq, Eq, Hash, CodeEnum)]
        #[code(#kind)]
        pub enum #name {
            #(#variants)*
            #fallback
        }
    }
}

/// The error catalogue as a string-coded `CodeEnum` that keeps unknown codes.
pub fn error_catalogue(spec: &Spec) -> TokenStream {
    let variants = spec.errors.iter().map(|e| {
        let name: Ident = ident(&e.ident);
        let code = &e.code;
        let meaning = one_line(&e.meaning);
        let doc = Doc::new(&format!("`{code}`: {meaning}")).tokens();
        quote! {
            #doc
            #[code(#code, meaning = #meaning)]
            #name,
        }
    });
    let title = &spec.gateway.title;
    let doc = Doc::new(&format!(
        "The error-code catalogue of the {title}: the codes a failed call returns in the envelope's result code."
    ))
    .tokens();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, CodeEnum)]
        #[code(string)]
        pub enum ErrorCode {
            #(#variants)*
            #[doc = " A code the catalogue does not list, kept as received."]
            #[code(other)]
            Other(String),
        }
    }
}

/// A response envelope as a struct generic over the result.
pub fn envelope(envelope: &Envelope) -> TokenStream {
    let mut doc = Doc::new(&one_line(&envelope.description));
    if let Some(source) = &envelope.source {
        doc.paragraph(&format!("Vendor table: {}", sentence(source)));
    }
    doc.notes(&envelope.notes);
    let doc = doc.tokens();
    let name = ident(&envelope.name);
    let (message, message_doc) = (
        &envelope.message.0,
        Doc::new(&one_line(&envelope.message.1)).tokens(),
    );
    let (retcode, retcode_doc) = (
        &envelope.retcode.name,
        Doc::new(&one_line(&envelope.retcode.description)).tokens(),
    );
    let (result, result_doc) = (
        &envelope.result.0,
        Doc::new(&one_line(&envelope.result.1)).tokens(),
    );
    let retcode_type = match envelope.retcode.code_type {
        CodeType::String => quote!(String),
        CodeType::Int => quote!(i64),
    };
    let success = code_literal(&envelope.retcode.success);
    let success_type = match envelope.retcode.code_type {
        CodeType::String => quote!(&'static str),
        CodeType::Int => quote!(i64),
    };
    let success_doc = format!(
        " The result code that means success: `{}`.",
        envelope.retcode.success
    );
    let serde = serde_attr();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
        #serde
        pub struct #name<R> {
            #message_doc
            #[serde(rename = #message, default)]
            pub message: String,
            #retcode_doc
            #[serde(rename = #retcode)]
            pub retcode: #retcode_type,
            #result_doc
            #[serde(rename = #result, default = "Option::default", skip_serializing_if = "Option::is_none")]
            pub result: Option<R>,
        }

        impl<R> #name<R> {
            #[doc = #success_doc]
            pub const SUCCESS: #success_type = #success;
        }
    }
}
