//! Derive macros for gatespec. Use them through the runtime crate:
//! `use gatespec::{CodeEnum, Constrained, Validate};` — the attribute syntax is documented there.
//!
//! The expansion logic lives in plain functions over `proc_macro2` tokens
//! (`code_enum::expand_code_enum`, `validate::expand_validate`,
//! `constrained::expand_constrained`) so it can be unit- and snapshot-tested; the entry points
//! below only convert token types. No code path panics: every problem becomes a spanned
//! `compile_error!`, all problems of one derive are reported together, and stub impls keep the
//! rest of the user's crate compiling so no cascade of follow-up errors hides the real one.

pub(crate) mod code_enum;
mod code_enum_emit;
pub(crate) mod constrained;
mod ctxt;
mod meta;
mod rules;
mod serde_names;
mod ty;
pub(crate) mod validate;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Derives `gatespec::CodeEnum` (plus serde, `Display`, `FromStr`, `TryFrom` and `Validate`)
/// for a code table. See `gatespec::CodeEnum` for the attribute syntax.
#[proc_macro_derive(CodeEnum, attributes(code))]
pub fn derive_code_enum(input: TokenStream) -> TokenStream {
    code_enum::expand_code_enum(input.into()).into()
}

/// Derives `gatespec::Validate` for a struct. See `gatespec::Validate` for the attribute syntax.
#[proc_macro_derive(Validate, attributes(validate, serde))]
pub fn derive_validate(input: TokenStream) -> TokenStream {
    validate::expand_validate(input.into()).into()
}

/// Derives `gatespec::Constrained` (plus `TryFrom`, `FromStr`, serde, `Display` and `Validate`)
/// for a newtype that can only hold valid values. See `gatespec::Constrained` for the attribute
/// syntax.
#[proc_macro_derive(Constrained, attributes(constrained))]
pub fn derive_constrained(input: TokenStream) -> TokenStream {
    constrained::expand_constrained(input.into()).into()
}

/// Keeps the item it is on only when the runtime's `client` feature is on (the runtime turns on
/// this crate's `client` feature with its own). Generated client code carries it, so the same
/// generated items compile in a crate, from `build.rs` and from `include_spec!`, with or without
/// the HTTP client. Not public API.
#[doc(hidden)]
#[proc_macro_attribute]
pub fn client_only(_attr: TokenStream, item: TokenStream) -> TokenStream {
    if cfg!(feature = "client") {
        item
    } else {
        TokenStream::new()
    }
}

/// Like [`client_only`] for the runtime's `callback` feature (the generated push-callback
/// router). Not public API.
#[doc(hidden)]
#[proc_macro_attribute]
pub fn callback_only(_attr: TokenStream, item: TokenStream) -> TokenStream {
    if cfg!(feature = "callback") {
        item
    } else {
        TokenStream::new()
    }
}

/// Like [`client_only`] for the runtime's `server` feature (generated server traits and
/// routers). Not public API.
#[doc(hidden)]
#[proc_macro_attribute]
pub fn server_only(_attr: TokenStream, item: TokenStream) -> TokenStream {
    if cfg!(feature = "server") {
        item
    } else {
        TokenStream::new()
    }
}
