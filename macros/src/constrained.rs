//! `#[derive(Constrained)]`: newtypes that can only be constructed valid.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields, Visibility};

use crate::code_enum_emit::{common_impls, stub_common_impls};
use crate::ctxt::Ctxt;
use crate::meta;
use crate::rules::{Allowed, Rules};
use crate::ty;

const RULES: Allowed = Allowed {
    attr: "constrained",
    keys: &["range", "length"],
    misplaced: field_only,
};

fn field_only(key: &str) -> Option<String> {
    matches!(key, "items" | "required" | "custom" | "skip" | "nested").then(|| {
        format!(
            "`{key}` is a `#[validate(..)]` field rule; a constrained newtype takes only \
             `range(..)` and `length(..)`"
        )
    })
}

/// What the newtype wraps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Inner {
    Text,
    Int,
}

/// Expands `#[derive(Constrained)]` on `input`.
pub fn expand_constrained(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error(),
    };
    let mut cx = Ctxt::new();
    let checked = parse(&mut cx, &input);
    match checked {
        Some((inner_ty, inner, rules)) if !cx.has_errors() => emit(&input, inner_ty, inner, &rules),
        _ => {
            let errors = cx.to_compile_errors();
            let stubs = stubs(&input);
            quote!(#errors #stubs)
        }
    }
}

fn parse<'a>(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<(&'a syn::Type, Inner, Rules)> {
    let name = &input.ident;
    let usage = format!(
        "`Constrained` wraps exactly one private value: `struct {name}(String);` or `struct \
         {name}(i32);`"
    );
    let fields = match &input.data {
        Data::Struct(data) => &data.fields,
        Data::Enum(data) => {
            cx.error_spanned(data.enum_token, usage);
            return None;
        }
        Data::Union(data) => {
            cx.error_spanned(data.union_token, usage);
            return None;
        }
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned(&input.generics, "a constrained newtype cannot be generic");
    }
    let field = match fields {
        Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => unnamed.unnamed.first(),
        _ => None,
    };
    let Some(field) = field else {
        cx.error_spanned(fields, usage);
        return None;
    };
    if !matches!(field.vis, Visibility::Inherited) {
        cx.error_spanned(
            &field.vis,
            format!(
                "the wrapped value must be private, or any code could build an invalid `{name}`: \
                 remove this visibility and use `get()` / `into_inner()` to read the value"
            ),
        );
    }
    let inner = if ty::is_named(&field.ty, &["String"]) {
        Some(Inner::Text)
    } else if ty::is_named(&field.ty, ty::INTEGERS) {
        Some(Inner::Int)
    } else {
        cx.error_spanned(
            &field.ty,
            "a constrained newtype wraps `String` or an integer type (`i32`, `u16`, `i64`, ...)",
        );
        None
    };
    let items = meta::collect(cx, &input.attrs, "constrained");
    let rules = Rules::parse(cx, &items, &RULES);
    if rules.range.is_none() && rules.length.is_none() && !cx.has_errors() {
        cx.error_spanned(
            name,
            format!(
                "`{name}` has no constraint: add `#[constrained(range(min = .., max = ..))]` or \
                 `#[constrained(length(max = ..))]`"
            ),
        );
    }
    if inner == Some(Inner::Int)
        && let Some((bounds, _)) = &rules.length
    {
        let span = bounds.span.unwrap_or_else(proc_macro2::Span::call_site);
        cx.error_at(
            span,
            "`length` measures strings, but this newtype wraps an integer: use `range`",
        );
    }
    Some((&field.ty, inner?, rules))
}

fn emit(input: &DeriveInput, inner_ty: &syn::Type, inner: Inner, rules: &Rules) -> TokenStream {
    let ident = &input.ident;
    let name = ident.to_string();
    let ctx = quote!(ctx);
    let check_inner = rules.checks(&quote!(inner), &ctx);
    let check_text = rules.checks(&quote!(text), &ctx);
    let from_str = match inner {
        Inner::Text => quote! {
            ::gatespec::__private::check_constrained::<Self>(|ctx| { #check_text })?;
            ::core::result::Result::Ok(Self(::std::borrow::ToOwned::to_owned(text)))
        },
        Inner::Int => quote! {
            ::gatespec::__private::parse_constrained::<Self>(text, |text, ctx| { #check_text })
        },
    };
    let text_conversions = match inner {
        Inner::Text => quote! {
            #[automatically_derived]
            impl ::core::convert::TryFrom<&str> for #ident {
                type Error = ::gatespec::ConstraintError;
                fn try_from(text: &str) -> ::core::result::Result<Self, Self::Error> {
                    ::core::str::FromStr::from_str(text)
                }
            }
            #[automatically_derived]
            impl ::core::convert::AsRef<str> for #ident {
                fn as_ref(&self) -> &str {
                    &self.0
                }
            }
        },
        Inner::Int => quote!(),
    };
    let common = common_impls(
        input,
        &quote! {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: ::gatespec::__private::serde::Serializer,
            {
                ::gatespec::__private::serde::Serialize::serialize(&self.0, serializer)
            }
        },
        &quote! {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: ::gatespec::__private::serde::Deserializer<'de>,
            {
                ::gatespec::__private::deserialize_constrained(deserializer)
            }
        },
        &quote! {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.0, f)
            }
        },
        &quote!(),
    );
    quote! {
        #[automatically_derived]
        impl ::gatespec::Constrained for #ident {
            type Inner = #inner_ty;
            const NAME: &'static str = #name;
            fn check(inner: &#inner_ty) -> ::core::result::Result<(), ::gatespec::ConstraintError> {
                ::gatespec::__private::check_constrained::<Self>(|ctx| { #check_inner })
            }
            fn get(&self) -> &#inner_ty {
                &self.0
            }
            fn into_inner(self) -> #inner_ty {
                self.0
            }
        }
        #[automatically_derived]
        impl ::core::convert::TryFrom<#inner_ty> for #ident {
            type Error = ::gatespec::ConstraintError;
            fn try_from(inner: #inner_ty) -> ::core::result::Result<Self, Self::Error> {
                <Self as ::gatespec::Constrained>::check(&inner)?;
                ::core::result::Result::Ok(Self(inner))
            }
        }
        #[automatically_derived]
        impl ::core::str::FromStr for #ident {
            type Err = ::gatespec::ConstraintError;
            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                #from_str
            }
        }
        #[automatically_derived]
        impl ::core::convert::From<#ident> for #inner_ty {
            fn from(value: #ident) -> Self {
                value.0
            }
        }
        #text_conversions
        #common
    }
}

/// Stub impls emitted next to errors, so uses of the newtype do not cascade into more errors.
fn stubs(input: &DeriveInput) -> TokenStream {
    if !input.generics.params.is_empty() {
        return TokenStream::new();
    }
    stub_common_impls(input)
}
