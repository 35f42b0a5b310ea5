//! `#[derive(CodeEnum)]`: parsing and checking of the code table.

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{Data, DeriveInput, Fields, Ident, LitStr};

use crate::code_enum_emit;
use crate::ctxt::Ctxt;
use crate::meta::{self, Item, Value};
use crate::rules::unknown_key;
use crate::ty;

/// How codes are written on the wire.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// Integers of the given type (`i32` or `i64`).
    Int(Ident),
    /// Strings.
    Str,
}

impl Kind {
    /// The `Repr` type and the type of `code()`.
    pub(crate) fn types(&self) -> (TokenStream, TokenStream) {
        match self {
            Kind::Int(int) => (quote!(#int), quote!(#int)),
            Kind::Str => (quote!(str), quote!(&str)),
        }
    }

    fn example(&self) -> &'static str {
        match self {
            Kind::Int(_) => "#[code(0, meaning = \"...\")]",
            Kind::Str => "#[code(\"6\", meaning = \"...\")]",
        }
    }
}

/// A checked code literal.
#[derive(Clone, Debug)]
pub(crate) enum Code {
    Int(i128, Span),
    Str(LitStr),
}

impl Code {
    fn key(&self) -> String {
        match self {
            Code::Int(value, _) => value.to_string(),
            Code::Str(lit) => format!("{:?}", lit.value()),
        }
    }

    fn span(&self) -> Span {
        match self {
            Code::Int(_, span) => *span,
            Code::Str(lit) => lit.span(),
        }
    }
}

/// A variant with a known code.
#[derive(Debug)]
pub(crate) struct Coded {
    pub(crate) ident: Ident,
    pub(crate) code: Code,
    pub(crate) meaning: String,
}

/// The `#[code(other)]` variant.
#[derive(Debug)]
pub(crate) struct Fallback {
    pub(crate) ident: Ident,
    pub(crate) meaning: String,
    /// `#[code(other, refuse_in_requests)]`: unknown codes are kept only in responses.
    pub(crate) refuse_in_requests: bool,
}

/// A checked code table.
#[derive(Debug)]
pub(crate) struct Table {
    pub(crate) kind: Kind,
    pub(crate) codes: Vec<Coded>,
    pub(crate) fallback: Option<Fallback>,
}

/// Expands `#[derive(CodeEnum)]` on `input`.
pub fn expand_code_enum(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error(),
    };
    let mut cx = Ctxt::new();
    let (kind, table) = parse(&mut cx, &input);
    match table {
        Some(table) if !cx.has_errors() => code_enum_emit::emit(&input, &table),
        _ => {
            let errors = cx.to_compile_errors();
            let stubs = code_enum_emit::stubs(&input, kind.as_ref());
            quote!(#errors #stubs)
        }
    }
}

fn parse(cx: &mut Ctxt, input: &DeriveInput) -> (Option<Kind>, Option<Table>) {
    let data = match &input.data {
        Data::Enum(data) => data,
        Data::Struct(data) => {
            cx.error_spanned(
                data.struct_token,
                "`CodeEnum` can only be derived for enums: one unit variant per code, e.g. \
                 `enum Role { #[code(0, meaning = \"participant\")] Participant }`",
            );
            return (None, None);
        }
        Data::Union(data) => {
            cx.error_spanned(
                data.union_token,
                "`CodeEnum` cannot be derived for a union: use an enum with one unit variant \
                 per code",
            );
            return (None, None);
        }
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned(
            &input.generics,
            "a code enum cannot be generic: remove the generic parameters",
        );
    }
    let kind = parse_kind(cx, input);
    let mut table = Table {
        kind: kind
            .clone()
            .unwrap_or(Kind::Int(Ident::new("i32", Span::call_site()))),
        codes: Vec::new(),
        fallback: None,
    };
    let mut seen: HashMap<String, Ident> = HashMap::new();
    for variant in &data.variants {
        parse_variant(cx, input, kind.as_ref(), variant, &mut table, &mut seen);
    }
    if table.codes.is_empty() && !cx.has_errors() {
        cx.error_spanned(
            &input.ident,
            format!(
                "`{}` has no codes: add unit variants with `{}`",
                input.ident,
                table.kind.example()
            ),
        );
    }
    (kind, Some(table))
}

fn parse_kind(cx: &mut Ctxt, input: &DeriveInput) -> Option<Kind> {
    const KEYS: &[&str] = &["int", "string"];
    let mut kind: Option<Kind> = None;
    // Whether a kind was attempted (even a wrong one, already reported).
    let mut attempted = false;
    for item in meta::collect(cx, &input.attrs, "code") {
        if item.key().is_some_and(|key| KEYS.iter().any(|k| key == k)) {
            attempted = true;
        }
        let found = match &item {
            Item::Flag(key) if key == "int" => Kind::Int(Ident::new("i32", key.span())),
            Item::Flag(key) if key == "string" => Kind::Str,
            Item::NameValue(key, Value::Path(path)) if key == "int" => match path.get_ident() {
                Some(int) if int == "i32" || int == "i64" => Kind::Int(int.clone()),
                _ => {
                    cx.error_spanned(
                        path,
                        "integer codes are `i32` (the default) or `i64`: write \
                             `#[code(int)]` or `#[code(int = i64)]`",
                    );
                    continue;
                }
            },
            Item::NameValue(key, _) | Item::List(key, _) if KEYS.iter().any(|k| key == k) => {
                cx.error_spanned(
                    key,
                    "write `#[code(int)]`, `#[code(int = i64)]` or `#[code(string)]`",
                );
                continue;
            }
            Item::Lit(value) => {
                cx.error_at(
                    value.span(),
                    "a code belongs on a variant; on the enum write `#[code(int)]` or \
                     `#[code(string)]`",
                );
                continue;
            }
            other => {
                if let Some(key) = other.key() {
                    cx.error_spanned(key, unknown_key("#[code(..)]", &key.to_string(), KEYS));
                }
                continue;
            }
        };
        if kind.is_some() {
            cx.error_at(
                item.span(),
                "the code kind is declared twice: keep one of `#[code(int)]` and \
                 `#[code(string)]`",
            );
            continue;
        }
        kind = Some(found);
    }
    if kind.is_none() && !attempted {
        cx.error_spanned(
            &input.ident,
            format!(
                "missing code kind: add `#[code(int)]` (codes such as 0, 1) or \
                 `#[code(string)]` (codes such as \"6\", \"9\") above `enum {}`",
                input.ident
            ),
        );
    }
    kind
}

/// The first paragraph of the doc comment, for a default meaning.
fn doc_meaning(attrs: &[syn::Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(lit),
                ..
            }) = &nv.value
        {
            let line = lit.value().trim().to_owned();
            if line.is_empty() && !lines.is_empty() {
                break;
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
    }
    (!lines.is_empty()).then(|| lines.join(" "))
}

fn parse_variant(
    cx: &mut Ctxt,
    input: &DeriveInput,
    kind: Option<&Kind>,
    variant: &syn::Variant,
    table: &mut Table,
    seen: &mut HashMap<String, Ident>,
) {
    const KEYS: &[&str] = &["meaning", "other", "refuse_in_requests"];
    let enum_name = &input.ident;
    let mut code: Option<Value> = None;
    let mut other = false;
    let mut refuse_in_requests: Option<Ident> = None;
    let mut meaning: Option<String> = None;
    for item in meta::collect(cx, &variant.attrs, "code") {
        match item {
            Item::Lit(value) if code.is_some() => cx.error_at(
                value.span(),
                "a variant has exactly one code: declare another variant for this one",
            ),
            Item::Lit(value) => code = Some(value),
            Item::Flag(key) if key == "other" => other = true,
            Item::Flag(key) if key == "refuse_in_requests" => refuse_in_requests = Some(key),
            Item::NameValue(key, Value::Str(lit)) if key == "meaning" => {
                meaning = Some(lit.value())
            }
            Item::NameValue(key, value) if key == "meaning" => cx.error_at(
                value.span(),
                "`meaning` must be a string: `meaning = \"normal conference call\"`",
            ),
            Item::Flag(key) | Item::NameValue(key, _) | Item::List(key, _) => {
                if key == "int" || key == "string" {
                    cx.error_spanned(
                        &key,
                        format!("`{key}` belongs on the enum, not on a variant: write it above `enum {enum_name}`"),
                    );
                } else {
                    cx.error_spanned(&key, unknown_key("#[code(..)]", &key.to_string(), KEYS));
                }
            }
        }
    }
    let meaning = meaning
        .or_else(|| doc_meaning(&variant.attrs))
        .unwrap_or_else(|| variant.ident.to_string());
    if other {
        if let Some(value) = &code {
            cx.error_at(
                value.span(),
                "the `other` fallback variant holds every unknown code and has no code of its \
                 own: remove this code or `other`",
            );
        }
        parse_fallback(cx, enum_name, kind, variant, table, meaning);
        if let Some(fallback) = &mut table.fallback
            && fallback.ident == variant.ident
        {
            fallback.refuse_in_requests = refuse_in_requests.is_some();
        }
        return;
    }
    if let Some(key) = &refuse_in_requests {
        cx.error_spanned(
            key,
            "`refuse_in_requests` belongs on the `#[code(other)]` fallback variant: write \
             `#[code(other, refuse_in_requests)]`",
        );
    }
    if !matches!(variant.fields, Fields::Unit) {
        cx.error_spanned(
            &variant.fields,
            format!(
                "only the `#[code(other)]` fallback variant may carry data: make `{}` a unit \
                 variant",
                variant.ident
            ),
        );
    }
    let Some(value) = code else {
        let example = kind.map_or("#[code(0, meaning = \"...\")]", Kind::example);
        cx.error_spanned(
            &variant.ident,
            format!(
                "variant `{}` has no code: add `{example}` above it, or `#[code(other)]` to make \
                 it the fallback for unknown codes",
                variant.ident
            ),
        );
        return;
    };
    let Some(code) = check_code(cx, enum_name, kind, value) else {
        return;
    };
    match seen.get(&code.key()) {
        Some(previous) => cx.error_at(
            code.span(),
            format!(
                "duplicate code {}: variant `{previous}` already has it; each code must map to \
                 exactly one variant",
                code.key()
            ),
        ),
        None => {
            seen.insert(code.key(), variant.ident.clone());
        }
    }
    table.codes.push(Coded {
        ident: variant.ident.clone(),
        code,
        meaning,
    });
}

fn check_code(cx: &mut Ctxt, enum_name: &Ident, kind: Option<&Kind>, value: Value) -> Option<Code> {
    match (kind, value) {
        (Some(Kind::Int(int)), Value::Int(lit)) => {
            let fits = if int == "i64" {
                i64::try_from(lit.value).is_ok()
            } else {
                i32::try_from(lit.value).is_ok()
            };
            if !fits {
                cx.error_at(
                    lit.span,
                    format!(
                        "code {} does not fit in `{int}`; use `#[code(int = i64)]` on the enum",
                        lit.text
                    ),
                );
                return None;
            }
            Some(Code::Int(lit.value, lit.span))
        }
        (Some(Kind::Int(_)), Value::Str(lit)) => {
            let hint = match lit.value().parse::<i64>() {
                Ok(n) => format!("write it as an integer, `{n}`, or"),
                Err(_) => "or".to_owned(),
            };
            cx.error_spanned(
                &lit,
                format!(
                    "`{enum_name}` has integer codes (`#[code(int)]`), but this code is a \
                     string: {hint} declare `#[code(string)]` on the enum"
                ),
            );
            None
        }
        (Some(Kind::Str), Value::Int(lit)) => {
            cx.error_at(
                lit.span,
                format!(
                    "`{enum_name}` has string codes (`#[code(string)]`), but this code is an \
                     integer: write it as a string, `\"{}\"`, or declare `#[code(int)]` on the \
                     enum",
                    lit.text
                ),
            );
            None
        }
        (Some(Kind::Str), Value::Str(lit)) => Some(Code::Str(lit)),
        (None, Value::Int(lit)) => Some(Code::Int(lit.value, lit.span)),
        (None, Value::Str(lit)) => Some(Code::Str(lit)),
        (_, other) => {
            cx.error_at(
                other.span(),
                format!(
                    "a code is an integer or a string literal, not {}",
                    other.describe()
                ),
            );
            None
        }
    }
}

fn parse_fallback(
    cx: &mut Ctxt,
    enum_name: &Ident,
    kind: Option<&Kind>,
    variant: &syn::Variant,
    table: &mut Table,
    meaning: String,
) {
    if let Some(previous) = &table.fallback {
        cx.error_spanned(
            &variant.ident,
            format!(
                "`{enum_name}` already has a fallback variant, `{}`: only one variant can be \
                 `#[code(other)]`",
                previous.ident
            ),
        );
        return;
    }
    let expected = match kind {
        Some(Kind::Int(int)) => int.to_string(),
        Some(Kind::Str) => "String".to_owned(),
        None => "i32".to_owned(),
    };
    let field_ty = match &variant.fields {
        Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
            fields.unnamed.first().map(|f| &f.ty)
        }
        _ => None,
    };
    let shape_error = format!(
        "the fallback variant keeps the unknown code, so it must hold exactly one `{expected}`: \
         write `{}({expected})`",
        variant.ident
    );
    match field_ty {
        None => {
            let target: &dyn ToTokens = match &variant.fields {
                Fields::Unit => &variant.ident,
                fields => fields,
            };
            cx.error_spanned(target, shape_error);
        }
        Some(ty) if kind.is_some() && !ty::is_named(ty, &[expected.as_str()]) => {
            cx.error_spanned(ty, shape_error);
        }
        Some(_) => {}
    }
    table.fallback = Some(Fallback {
        ident: variant.ident.clone(),
        meaning: if variant.ident == meaning {
            "unknown code".to_owned()
        } else {
            meaning
        },
        refuse_in_requests: false,
    });
}
