//! `#[derive(CodeEnum)]`: the generated impls. Behaviour lives in generic runtime functions;
//! the expansion only holds the table.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::DeriveInput;

use crate::code_enum::{Code, Kind, Table};

fn code_literal(code: &Code) -> TokenStream {
    match code {
        Code::Int(value, span) => {
            let mut lit = Literal::i128_unsuffixed(*value);
            lit.set_span(*span);
            quote!(#lit)
        }
        Code::Str(lit) => quote!(#lit),
    }
}

/// The impls for a checked table.
pub(crate) fn emit(input: &DeriveInput, table: &Table) -> TokenStream {
    let ident = &input.ident;
    let name = ident.to_string();
    let (repr, code_ty) = table.kind.types();
    let entries = table.codes.iter().map(|c| {
        let code = code_literal(&c.code);
        let meaning = &c.meaning;
        quote!(::gatespec::CodeEntry { code: #code, meaning: #meaning })
    });
    let to_code = table.codes.iter().map(|c| {
        let variant = &c.ident;
        let code = code_literal(&c.code);
        quote!(Self::#variant => #code,)
    });
    let from_code = table.codes.iter().map(|c| {
        let variant = &c.ident;
        let code = code_literal(&c.code);
        quote!(#code => ::core::result::Result::Ok(Self::#variant),)
    });
    let describe = table.codes.iter().map(|c| {
        let variant = &c.ident;
        let meaning = &c.meaning;
        quote!(Self::#variant => #meaning,)
    });
    let has_fallback = table.fallback.is_some();
    let (fallback_code, fallback_from, fallback_describe, is_known) = match &table.fallback {
        Some(fallback) => {
            let variant = &fallback.ident;
            let meaning = &fallback.meaning;
            let (code, keep) = match table.kind {
                Kind::Int(_) => (quote!(*code), quote!(code)),
                Kind::Str => (
                    quote!(code.as_str()),
                    quote!(::std::borrow::ToOwned::to_owned(code)),
                ),
            };
            (
                quote!(Self::#variant(code) => #code,),
                quote!(_ => ::core::result::Result::Ok(Self::#variant(#keep)),),
                quote!(Self::#variant(_) => #meaning,),
                quote!(!::core::matches!(self, Self::#variant(_))),
            )
        }
        None => (
            quote!(),
            quote!(_ => ::core::result::Result::Err(::gatespec::UnknownCode::new::<Self>(code)),),
            quote!(),
            quote!(true),
        ),
    };
    let conversions = match &table.kind {
        Kind::Int(int) => quote! {
            #[automatically_derived]
            impl ::core::convert::TryFrom<#int> for #ident {
                type Error = ::gatespec::UnknownCode;
                fn try_from(code: #int) -> ::core::result::Result<Self, Self::Error> {
                    <Self as ::gatespec::CodeEnum>::from_code(code)
                }
            }
            #[automatically_derived]
            impl ::core::convert::From<#ident> for #int {
                fn from(value: #ident) -> Self {
                    ::gatespec::CodeEnum::code(&value)
                }
            }
        },
        Kind::Str => quote! {
            #[automatically_derived]
            impl ::core::convert::TryFrom<&str> for #ident {
                type Error = ::gatespec::UnknownCode;
                fn try_from(code: &str) -> ::core::result::Result<Self, Self::Error> {
                    <Self as ::gatespec::CodeEnum>::from_code(code)
                }
            }
        },
    };
    // A table that keeps unknown codes only in responses refuses its fallback in requests.
    let validate = match &table.fallback {
        Some(fallback) if fallback.refuse_in_requests => quote! {
            fn validate_into(&self, ctx: &mut ::gatespec::ValidationContext<'_>) {
                ::gatespec::rules::listed_in_requests(self, ctx);
            }
        },
        _ => quote!(),
    };
    let serde_and_fmt = common_impls(
        input,
        &quote! {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: ::gatespec::__private::serde::Serializer,
            {
                ::gatespec::__private::serialize_code(self, serializer)
            }
        },
        &quote! {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: ::gatespec::__private::serde::Deserializer<'de>,
            {
                ::gatespec::__private::deserialize_code(deserializer)
            }
        },
        &quote! {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::gatespec::__private::fmt_code(self, f)
            }
        },
        &validate,
    );
    quote! {
        #[automatically_derived]
        impl ::gatespec::CodeEnum for #ident {
            type Repr = #repr;
            const NAME: &'static str = #name;
            const CODES: &'static [::gatespec::CodeEntry<#repr>] = &[#(#entries),*];
            const HAS_FALLBACK: bool = #has_fallback;
            fn code(&self) -> #code_ty {
                match self {
                    #(#to_code)*
                    #fallback_code
                }
            }
            fn from_code(code: #code_ty) -> ::core::result::Result<Self, ::gatespec::UnknownCode> {
                match code {
                    #(#from_code)*
                    #fallback_from
                }
            }
            fn description(&self) -> &'static str {
                match self {
                    #(#describe)*
                    #fallback_describe
                }
            }
            fn is_known(&self) -> bool {
                #is_known
            }
        }
        #[automatically_derived]
        impl ::core::str::FromStr for #ident {
            type Err = ::gatespec::UnknownCode;
            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                ::gatespec::__private::parse_code(text)
            }
        }
        #conversions
        #serde_and_fmt
    }
}

/// `Serialize`, `Deserialize`, `Display` and `Validate` with the given bodies (an empty
/// `Validate` body accepts every value).
/// [`common_impls`] with bodies that are never run: emitted next to a derive's errors so that
/// uses of the type do not cascade into more errors.
pub(crate) fn stub_common_impls(input: &DeriveInput) -> TokenStream {
    let unreachable = quote!(::core::unimplemented!("the derive failed"));
    common_impls(
        input,
        &quote! {
            fn serialize<S>(&self, _: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: ::gatespec::__private::serde::Serializer,
            {
                #unreachable
            }
        },
        &quote! {
            fn deserialize<D>(_: D) -> ::core::result::Result<Self, D::Error>
            where
                D: ::gatespec::__private::serde::Deserializer<'de>,
            {
                #unreachable
            }
        },
        &quote! {
            fn fmt(&self, _: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #unreachable
            }
        },
        &quote!(),
    )
}

pub(crate) fn common_impls(
    input: &DeriveInput,
    serialize: &TokenStream,
    deserialize: &TokenStream,
    display: &TokenStream,
    validate: &TokenStream,
) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::gatespec::__private::serde::Serialize for #ident #ty_generics #where_clause {
            #serialize
        }
        #[automatically_derived]
        impl<'de> ::gatespec::__private::serde::Deserialize<'de> for #ident {
            #deserialize
        }
        #[automatically_derived]
        impl #impl_generics ::core::fmt::Display for #ident #ty_generics #where_clause {
            #display
        }
        #[automatically_derived]
        impl #impl_generics ::gatespec::Validate for #ident #ty_generics #where_clause {
            #validate
        }
    }
}

/// Stub impls emitted next to errors so that uses of the enum do not cascade into more errors.
pub(crate) fn stubs(input: &DeriveInput, kind: Option<&Kind>) -> TokenStream {
    if !input.generics.params.is_empty() {
        return TokenStream::new();
    }
    let ident = &input.ident;
    let name = ident.to_string();
    let default = Kind::Int(syn::Ident::new("i32", proc_macro2::Span::call_site()));
    let (repr, code_ty) = kind.unwrap_or(&default).types();
    let unreachable = quote!(::core::unimplemented!("the derive failed"));
    let common = stub_common_impls(input);
    quote! {
        impl ::gatespec::CodeEnum for #ident {
            type Repr = #repr;
            const NAME: &'static str = #name;
            const CODES: &'static [::gatespec::CodeEntry<#repr>] = &[];
            const HAS_FALLBACK: bool = false;
            fn code(&self) -> #code_ty { #unreachable }
            fn from_code(_: #code_ty) -> ::core::result::Result<Self, ::gatespec::UnknownCode> {
                #unreachable
            }
            fn description(&self) -> &'static str { #unreachable }
            fn is_known(&self) -> bool { #unreachable }
        }
        #common
    }
}
