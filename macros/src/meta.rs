//! A small, uniform parser for the arguments of `#[code(..)]`, `#[validate(..)]` and
//! `#[constrained(..)]`.
//!
//! Arguments are parsed into [`Item`]s first and interpreted afterwards, so an unknown key is
//! one recorded error and the remaining keys are still checked.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitInt, LitStr, Token};

/// An integer literal, possibly negative, with its value.
#[derive(Clone, Debug)]
pub(crate) struct IntLit {
    pub(crate) value: i128,
    pub(crate) span: Span,
    /// The literal as written, for messages.
    pub(crate) text: String,
}

/// The value after `key =`.
#[derive(Clone, Debug)]
pub(crate) enum Value {
    Int(IntLit),
    Str(LitStr),
    Bool(syn::LitBool),
    Path(syn::Path),
}

impl Value {
    pub(crate) fn span(&self) -> Span {
        match self {
            Value::Int(int) => int.span,
            Value::Str(lit) => lit.span(),
            Value::Bool(lit) => lit.span,
            Value::Path(path) => syn::spanned::Spanned::span(path),
        }
    }

    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Value::Int(_) => "an integer",
            Value::Str(_) => "a string",
            Value::Bool(_) => "a boolean",
            Value::Path(_) => "a path",
        }
    }
}

/// One comma-separated argument.
#[derive(Clone, Debug)]
pub(crate) enum Item {
    /// A bare literal: `0`, `-1`, `"6"`.
    Lit(Value),
    /// A bare word: `int`, `required`, `other`.
    Flag(Ident),
    /// `key = value`.
    NameValue(Ident, Value),
    /// `key(items..)`.
    List(Ident, Vec<Item>),
}

impl Item {
    pub(crate) fn span(&self) -> Span {
        match self {
            Item::Lit(value) => value.span(),
            Item::Flag(ident) | Item::NameValue(ident, _) | Item::List(ident, _) => ident.span(),
        }
    }

    /// The key of a flag, name-value or list item.
    pub(crate) fn key(&self) -> Option<&Ident> {
        match self {
            Item::Lit(_) => None,
            Item::Flag(ident) | Item::NameValue(ident, _) | Item::List(ident, _) => Some(ident),
        }
    }
}

fn parse_int(input: ParseStream<'_>) -> syn::Result<IntLit> {
    let neg: Option<Token![-]> = input.parse()?;
    let lit: LitInt = input.parse()?;
    let magnitude: i128 = lit.base10_parse().map_err(|_| {
        syn::Error::new(
            lit.span(),
            "integer literal is too large (at most 39 digits)",
        )
    })?;
    let span = match &neg {
        Some(minus) => minus.span.join(lit.span()).unwrap_or(lit.span()),
        None => lit.span(),
    };
    Ok(IntLit {
        value: if neg.is_some() { -magnitude } else { magnitude },
        span,
        text: format!(
            "{}{}",
            if neg.is_some() { "-" } else { "" },
            lit.base10_digits()
        ),
    })
}

fn parse_value(input: ParseStream<'_>) -> syn::Result<Value> {
    if input.peek(LitStr) {
        Ok(Value::Str(input.parse()?))
    } else if input.peek(LitInt) || input.peek(Token![-]) {
        Ok(Value::Int(parse_int(input)?))
    } else if input.peek(syn::LitBool) {
        Ok(Value::Bool(input.parse()?))
    } else if input.peek(Ident) || input.peek(Token![::]) {
        Ok(Value::Path(input.call(syn::Path::parse_mod_style)?))
    } else {
        Err(input.error("expected a literal or a path"))
    }
}

impl Parse for Item {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) || input.peek(LitInt) || input.peek(Token![-]) {
            return Ok(Item::Lit(parse_value(input)?));
        }
        let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        if input.peek(Token![=]) {
            let _: Token![=] = input.parse()?;
            Ok(Item::NameValue(key, parse_value(input)?))
        } else if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            let items = Punctuated::<Item, Token![,]>::parse_terminated(&content)?;
            Ok(Item::List(key, items.into_iter().collect()))
        } else {
            Ok(Item::Flag(key))
        }
    }
}

/// Parses the arguments of `#[name(..)]`.
pub(crate) fn parse_args(attr: &syn::Attribute) -> syn::Result<Vec<Item>> {
    attr.parse_args_with(Punctuated::<Item, Token![,]>::parse_terminated)
        .map(|items| items.into_iter().collect())
}

/// Every `#[name(..)]` attribute's items; parse errors are recorded and the attribute skipped.
pub(crate) fn collect(
    cx: &mut crate::ctxt::Ctxt,
    attrs: &[syn::Attribute],
    name: &str,
) -> Vec<Item> {
    let mut items = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident(name)) {
        match parse_args(attr) {
            Ok(parsed) => items.extend(parsed),
            Err(err) => cx.syn_error(err),
        }
    }
    items
}
