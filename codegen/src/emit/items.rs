//! Emitters for the named definitions: code tables, the error catalogue, scalars, tables and
//! envelopes. Behaviour comes from the derives; each item is its fields and attributes.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::emit::docs::{
    Doc, deprecated_attr, field_doc, length_text, one_line, range_text, rule_text, sentence,
    unit_text,
};
use crate::emit::rules::rule_check;
use crate::emit::{ident, serde_attr};
use crate::model::{
    CodeTable, CodeType, Envelope, Field, Length, Range, Scalar, ScalarType, Shape, Spec, Table,
    TableRule, rust,
};
use crate::raw::{CodeValue, LengthUnit, ScalarValue};

/// The Rust type of a value of `shape`, as seen from a submodule of the generated root.
pub fn rust_type(spec: &Spec, shape: &Shape) -> TokenStream {
    match shape {
        Shape::Scalar(s) => scalar_type(*s),
        Shape::Code(id, _) => {
            let name = ident(&spec.code_table(*id).name);
            quote!(super::#name)
        }
        Shape::Newtype(id, _) => {
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
    if let Some(pattern) = &field.pattern {
        rules.push(quote!(pattern = #pattern));
    }
    if let Some(codes) = &field.allowed_codes {
        let codes = codes.iter().map(code_literal);
        rules.push(quote!(codes(#(#codes),*)));
    }
    if rules.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[validate(#(#rules),*)])
    }
}

/// The serde adapter of a named scalar that travels in another JSON type than its own.
fn wire_adapter(spec: &Spec, shape: &Shape, mandatory: bool) -> Option<TokenStream> {
    let Shape::Newtype(id, wire) = shape else {
        return None;
    };
    let own = spec.scalar(*id).scalar;
    let module = match (own, wire) {
        (own, wire) if own == *wire => return None,
        (Scalar::String, Scalar::Int | Scalar::Long) => "number",
        (Scalar::Int | Scalar::Long, Scalar::String) => "text",
        // A number scalar as another number type needs no adapter: JSON has one number type.
        _ => return None,
    };
    let path = if mandatory {
        format!("::gatespec::wire::{module}")
    } else {
        format!("::gatespec::wire::{module}::option")
    };
    Some(quote!(with = #path))
}

/// One struct field: docs, serde name, rules, type (`Option` only where optional). `rules` are
/// the rules of its table, for its docs.
pub fn field(spec: &Spec, field: &Field, rules: &[TableRule]) -> TokenStream {
    let doc = field_doc(spec, field, rules).tokens();
    let deprecated = deprecated_attr(field.deprecated.as_ref());
    let name = ident(&field.ident);
    let wire = &field.name;
    let ty = rust_type(spec, &field.shape);
    let validate = validate_attr(field);
    // serde already uses the field's name (without `r#`); rename only where the wire differs.
    let rename =
        (field.ident.trim_start_matches("r#") != wire.as_str()).then(|| quote!(rename = #wire));
    let adapter = wire_adapter(spec, &field.shape, field.mandatory);
    if field.mandatory {
        let lenient = field
            .lenient
            .then(|| quote!(deserialize_with = "::gatespec::lenient::deserialize"));
        let parts: Vec<TokenStream> = rename.into_iter().chain(lenient).chain(adapter).collect();
        let serde = (!parts.is_empty()).then(|| quote!(#[serde(#(#parts),*)]));
        quote! {
            #doc
            #deprecated
            #serde
            #validate
            pub #name: #ty,
        }
    } else {
        let lenient = field
            .lenient
            .then(|| quote!(deserialize_with = "::gatespec::lenient::deserialize_option"));
        let serde = rename
            .into_iter()
            .chain([quote!(default)])
            .chain(lenient)
            .chain(adapter)
            .chain([quote!(skip_serializing_if = "Option::is_none")]);
        quote! {
            #doc
            #deprecated
            #[serde(#(#serde),*)]
            #validate
            pub #name: Option<#ty>,
        }
    }
}

/// A spec value as a Rust expression of the field's type (`60`, `true`, `"x"`, `super::Code::A`).
pub(crate) fn value_expr(spec: &Spec, shape: &Shape, value: &ScalarValue) -> TokenStream {
    match (shape, value) {
        (Shape::Code(id, _), value) => {
            let table = spec.code_table(*id);
            let code = match value {
                ScalarValue::Int(i) => CodeValue::Int(*i),
                ScalarValue::Str(s) => CodeValue::Str(s.clone()),
                ScalarValue::Bool(b) => CodeValue::Str(b.to_string()),
            };
            let table_name = ident(&table.name);
            match table.find(&code) {
                Some(c) => {
                    let variant = ident(&c.ident);
                    quote!(super::#table_name::#variant)
                }
                // The model only accepts listed codes; an unlisted one cannot get here.
                None => quote!(compile_error!("unlisted code")),
            }
        }
        (_, ScalarValue::Bool(b)) => quote!(#b),
        (_, ScalarValue::Int(i)) => {
            let lit = Literal::i64_unsuffixed(*i);
            quote!(#lit)
        }
        (_, ScalarValue::Str(s)) => quote!(#s),
    }
}

/// The `#[validate(custom)]` attribute of a table, and its methods: `<field>_or_default()`
/// accessors and the check of `required_if` conditions and enforced rules.
fn table_impl(spec: &Spec, table: &Table) -> (TokenStream, TokenStream) {
    let name = ident(&table.name);
    let accessors = table.fields.iter().filter_map(|f| {
        let default = f.default.as_ref()?;
        let field = ident(&f.ident);
        let method = ident(f.default_accessor.as_ref()?);
        let value = value_expr(spec, &f.shape, default);
        let doc = format!(
            " `{}`, or `{default}`, what the gateway assumes when it is absent.",
            f.name
        );
        Some(match &f.shape {
            Shape::Scalar(Scalar::String) => quote! {
                #[doc = #doc]
                pub fn #method(&self) -> &str {
                    self.#field.as_deref().unwrap_or(#value)
                }
            },
            shape => {
                let ty = rust_type(spec, shape);
                // Integer-coded tables and plain numbers are `Copy`; string-coded tables are not.
                let copy = match shape {
                    Shape::Code(id, _) => spec.code_table(*id).code_type == CodeType::Int,
                    _ => true,
                };
                let get = if copy {
                    quote!(self.#field)
                } else {
                    quote!(self.#field.clone())
                };
                quote! {
                    #[doc = #doc]
                    pub fn #method(&self) -> #ty {
                        #get.unwrap_or(#value)
                    }
                }
            }
        })
    });
    let accessors: Vec<TokenStream> = accessors.collect();
    let mut conditions: Vec<TokenStream> = table
        .fields
        .iter()
        .filter_map(|f| {
            let condition = f.required_if.as_ref()?;
            let other = table.fields.iter().find(|o| o.name == condition.field)?;
            let other_ident = ident(&other.ident);
            let value = value_expr(spec, &other.shape, &condition.equals);
            let test = match (&other.shape, other.mandatory) {
                (Shape::Scalar(Scalar::String), true) => quote!(self.#other_ident == #value),
                (Shape::Scalar(Scalar::String), false) => {
                    quote!(self.#other_ident.as_deref() == Some(#value))
                }
                (_, true) => quote!(self.#other_ident == #value),
                (_, false) => quote!(self.#other_ident == Some(#value)),
            };
            let field = ident(&f.ident);
            let wire = &f.name;
            let message = format!(
                "is mandatory when `{}` is {}",
                condition.field, condition.equals
            );
            Some(quote! {
                if #test && self.#field.is_none() {
                    ctx.field(#wire).report_invalid(::gatespec::Invalid::new(#message));
                }
            })
        })
        .collect();
    conditions.extend(
        table
            .rules
            .iter()
            .filter(|r| r.enforce)
            .filter_map(|r| rule_check(spec, table, &r.kind)),
    );
    let check_rules = ident(rust::CHECK_RULES);
    let check = (!conditions.is_empty()).then(|| {
        quote! {
            /// Checks the rules between fields: conditional mandatory fields and the enforced
            /// rules of the table.
            fn #check_rules(&self, ctx: &mut ::gatespec::ValidationContext<'_>) {
                #(#conditions)*
            }
        }
    });
    let attr = if check.is_some() {
        quote!(#[validate(custom = #name::#check_rules)])
    } else {
        TokenStream::new()
    };
    (attr, quote!(#(#accessors)* #check))
}

fn table_doc(table: &Table, fallback: &str) -> Doc {
    let mut doc = Doc::new(&one_line(table.description.as_deref().unwrap_or(fallback)));
    if let Some(source) = &table.source {
        doc.paragraph(&format!("Vendor table: {}", sentence(source)));
    }
    if !table.rules.is_empty() {
        doc.paragraph("Rules between fields:");
        let rules: Vec<String> = table.rules.iter().map(rule_text).collect();
        doc.bullets(&rules);
    }
    doc.notes(&table.notes);
    doc
}

/// How a table with optional fields is built without naming every field: `new` takes the
/// mandatory fields (in the vendor's order) and leaves the optional ones absent, and one
/// `with_<field>` setter per optional field sets it. A table whose fields are all optional
/// derives `Default` instead of `new`. Tables without optional fields get nothing: a struct
/// literal names every field anyway.
struct Construction {
    derive_default: bool,
    methods: TokenStream,
}

fn construction(spec: &Spec, table: &Table) -> Construction {
    let optional: Vec<&Field> = table.fields.iter().filter(|f| !f.mandatory).collect();
    if optional.is_empty() {
        return Construction {
            derive_default: false,
            methods: TokenStream::new(),
        };
    }
    let mandatory: Vec<&Field> = table.fields.iter().filter(|f| f.mandatory).collect();
    let new = (!mandatory.is_empty()).then(|| {
        let constructor = ident(crate::model::rust::CONSTRUCTOR);
        let params = mandatory.iter().map(|f| {
            let name = ident(&f.ident);
            let ty = rust_type(spec, &f.shape);
            quote!(#name: #ty)
        });
        let given = mandatory.iter().map(|f| ident(&f.ident));
        let absent = optional.iter().map(|f| ident(&f.ident));
        let names: Vec<String> = mandatory.iter().map(|f| format!("`{}`", f.name)).collect();
        let doc = format!(
            " From the mandatory fields ({}); the optional ones are absent until set with the `with_` methods.",
            names.join(", ")
        );
        // A constructor takes what the vendor's table makes mandatory, however many that is.
        let allow = (mandatory.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            #[doc = #doc]
            #allow
            pub fn #constructor(#(#params),*) -> Self {
                Self {
                    #(#given,)*
                    #(#absent: None,)*
                }
            }
        }
    });
    let setters = optional.iter().filter_map(|f| {
        let field = ident(&f.ident);
        let method = ident(f.setter.as_deref()?);
        let ty = rust_type(spec, &f.shape);
        let doc = format!(" Sets `{}`.", f.name);
        Some(quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #method(mut self, #field: #ty) -> Self {
                self.#field = Some(#field);
                self
            }
        })
    });
    Construction {
        derive_default: mandatory.is_empty(),
        methods: quote!(#new #(#setters)*),
    }
}

/// A parameter table as a struct.
pub fn table(spec: &Spec, table: &Table, fallback_doc: &str) -> TokenStream {
    let doc = table_doc(table, fallback_doc).tokens();
    let name = ident(&table.name);
    let fields = table.fields.iter().map(|f| field(spec, f, &table.rules));
    let serde = serde_attr();
    let (validate, methods) = table_impl(spec, table);
    let construction = construction(spec, table);
    let default = construction.derive_default.then(|| quote!(Default,));
    let constructors = &construction.methods;
    let methods = (!constructors.is_empty() || !methods.is_empty()).then(|| {
        quote! {
            impl #name {
                #constructors
                #methods
            }
        }
    });
    // Only ever received, with nothing a decoded value can break: no derive to expand and no
    // walk over every element at run time, only the impl saying so.
    if table.received_only && !checks_when_received(spec, table, &mut Vec::new()) {
        return quote! {
            #doc
            #[derive(Debug, Clone, #default PartialEq, Serialize, Deserialize)]
            #serde
            pub struct #name {
                #(#fields)*
            }
            #methods
            impl ::gatespec::Validate for #name {
                const DIRECTION: ::gatespec::Direction = ::gatespec::Direction::Response;
            }
        };
    }
    // Only ever received: `validate()` checks it as a response.
    let received = table.received_only.then(|| quote!(#[validate(response)]));
    quote! {
        #doc
        #[derive(Debug, Clone, #default PartialEq, Serialize, Deserialize, Validate)]
        #serde
        #validate
        #received
        pub struct #name {
            #(#fields)*
        }
        #methods
    }
}

/// Whether validating `table` as a response can find a violation: a field rule, a rule between
/// fields, or a nested table with one. Code tables check nothing in responses (a closed table
/// refuses unknown codes while decoding; a kept code is valid), nor do constrained scalars, which
/// hold only valid values. `seen` guards recursive tables.
fn checks_when_received(spec: &Spec, table: &Table, seen: &mut Vec<String>) -> bool {
    if seen.contains(&table.name) {
        return false;
    }
    seen.push(table.name.clone());
    let (custom, _) = table_impl(spec, table);
    !custom.is_empty()
        || table.fields.iter().any(|field| {
            !validate_attr(field).is_empty() || shape_checks_when_received(spec, &field.shape, seen)
        })
}

fn shape_checks_when_received(spec: &Spec, shape: &Shape, seen: &mut Vec<String>) -> bool {
    match shape {
        Shape::Scalar(_) | Shape::Code(..) | Shape::Newtype(..) => false,
        Shape::Object(id) => checks_when_received(spec, spec.table(*id), seen),
        Shape::Array(items) => shape_checks_when_received(spec, items, seen),
    }
}

/// The result type of an interface whose result is a single value: an alias of the value's
/// type, or a transparent newtype where the value has rules to check or travels in another
/// JSON type than its scalar's.
pub fn value_result(spec: &Spec, field: &Field, name: &str, doc: &Doc) -> TokenStream {
    let doc = doc.tokens();
    let name = ident(name);
    let ty = rust_type(spec, &field.shape);
    let validate = validate_attr(field);
    let adapter = wire_adapter(spec, &field.shape, true).map(|a| quote!(#[serde(#a)]));
    if validate.is_empty() && adapter.is_none() {
        return quote! {
            #doc
            pub type #name = #ty;
        };
    }
    let serde = serde_attr();
    // A result is only ever received: `validate()` checks it as a response.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
        #serde
        #[serde(transparent)]
        #[validate(response)]
        pub struct #name(#validate #adapter pub #ty);
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

pub(crate) fn code_literal(value: &CodeValue) -> TokenStream {
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
        Some(v) if table.refuse_in_requests => format!(
            "Unknown codes a gateway sends are kept in [`{}::{v}`]; validating a request refuses them (a server answers them as an invalid parameter).",
            table.name
        ),
        Some(v) => format!(
            "Unknown codes are kept in [`{}::{v}`] and sent back unchanged, in requests too.",
            table.name
        ),
        None => "Unknown codes are refused.".to_owned(),
    });
    doc.bullets(&facts);
    doc.notes(&table.notes);
    let doc = doc.tokens();
    let (kind, payload) = code_kind(table.code_type, table.wide());
    let variants = table.codes.iter().map(|c| {
        let mut doc = Doc::new(&one_line(&c.meaning));
        if let Some(source) = &c.source {
            doc.paragraph(&format!("Vendor source: {}", sentence(source)));
        }
        if !c.also.is_empty() {
            doc.paragraph("Other pages give this code another meaning:");
            let others: Vec<String> = c
                .also
                .iter()
                .map(|a| {
                    format!(
                        "{}: {}",
                        one_line(&a.source).trim_end_matches('.'),
                        sentence(&a.meaning)
                    )
                })
                .collect();
            doc.bullets(&others);
        }
        doc.notes(&c.notes);
        let doc = doc.tokens();
        let name = ident(&c.ident);
        let code = code_literal(&c.value);
        let meaning = one_line(&c.meaning);
        let deprecated = deprecated_attr(c.deprecated.as_ref());
        quote! {
            #doc
            #deprecated
            #[code(#code, meaning = #meaning)]
            #name,
        }
    });
    let fallback = table.fallback.as_ref().map(|v| {
        let v = ident(v);
        if table.refuse_in_requests {
            quote! {
                #[doc = " A code this table does not list, kept as received from a gateway; refused in requests."]
                #[code(other, refuse_in_requests)]
                #v(#payload),
            }
        } else {
            quote! {
                #[doc = " A code this table does not list, kept as received."]
                #[code(other)]
                #v(#payload),
            }
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
    let name = ident(&spec.names.error_code);
    let fallback = ident(&spec.names.error_fallback);
    let doc = Doc::new(&format!(
        "The error-code catalogue of the {title}: the codes a failed call returns in the envelope's result code."
    ))
    .tokens();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, CodeEnum)]
        #[code(string)]
        pub enum #name {
            #(#variants)*
            #[doc = " A code the catalogue does not list, kept as received."]
            #[code(other)]
            #fallback(String),
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
    let format = envelope_format(envelope);
    let serde = serde_attr();
    let [
        message_field,
        retcode_field,
        result_field,
        success_const,
        format_const,
    ] = [
        rust::ENVELOPE_MESSAGE,
        rust::ENVELOPE_RETCODE,
        rust::ENVELOPE_RESULT,
        rust::ENVELOPE_SUCCESS,
        rust::ENVELOPE_FORMAT,
    ]
    .map(ident);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
        #serde
        pub struct #name<R> {
            #message_doc
            #[serde(rename = #message, default)]
            pub #message_field: String,
            #retcode_doc
            #[serde(rename = #retcode)]
            pub #retcode_field: #retcode_type,
            #result_doc
            #[serde(rename = #result, default = "Option::default", skip_serializing_if = "Option::is_none")]
            #[validate(response)]
            pub #result_field: Option<R>,
        }

        impl<R> #name<R> {
            #[doc = #success_doc]
            pub const #success_const: #success_type = #success;
            /// The envelope as data for the runtime: member names, result code type, success code.
            pub const #format_const: ::gatespec::EnvelopeFormat = #format;
        }
    }
}

/// An envelope's `gatespec::EnvelopeFormat` value.
fn envelope_format(envelope: &Envelope) -> TokenStream {
    let message = &envelope.message.0;
    let retcode = &envelope.retcode.name;
    let result = &envelope.result.0;
    let retcode_type = match envelope.retcode.code_type {
        CodeType::String => quote!(::gatespec::RetcodeType::Text),
        CodeType::Int => quote!(::gatespec::RetcodeType::Integer),
    };
    let success = match &envelope.retcode.success {
        CodeValue::Int(i) => i.to_string(),
        CodeValue::Str(s) => s.clone(),
    };
    quote! {
        ::gatespec::EnvelopeFormat {
            message: #message,
            retcode: #retcode,
            result: #result,
            retcode_type: #retcode_type,
            success: #success,
        }
    }
}
