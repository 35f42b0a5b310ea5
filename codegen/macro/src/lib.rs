//! `include_spec!("spec/...")`: the items `gatespec generate` would write, expanded in place.
//!
//! Use it through the runtime crate (`gatespec::include_spec!`, feature `include-spec`). The path
//! is relative to the including crate's `Cargo.toml`. The expansion is exactly what
//! `gatespec_codegen::include::expand` returns, the same tokens as the CLI and `build.rs` paths.

use std::path::PathBuf;

use gatespec_codegen::generate::Settings;
use proc_macro::TokenStream;
use syn::parse::{Parse, ParseStream};

/// The macro's input: the spec's path, then options (`default_methods`).
struct Input {
    path: syn::LitStr,
    settings: Settings,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path: syn::LitStr = input.parse()?;
        let mut settings = Settings::default();
        while !input.is_empty() {
            input.parse::<syn::Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let option: syn::Ident = input.parse()?;
            if option == "default_methods" {
                settings.default_methods = true;
            } else {
                return Err(syn::Error::new(
                    option.span(),
                    format!("unknown option `{option}`; the only option is `default_methods`"),
                ));
            }
        }
        Ok(Input { path, settings })
    }
}

/// Expands to the bindings generated from the spec at the given path (a directory or a file,
/// relative to the crate's manifest directory). A spec with errors becomes a `compile_error!`
/// carrying the rendered diagnostics.
///
/// `include_spec!("spec/gateway", default_methods)` gives every service's server trait default
/// methods that answer the protocol's `refusals.not_supported` code (like `gatespec generate
/// --default-methods`).
#[proc_macro]
pub fn include_spec(input: TokenStream) -> TokenStream {
    let Input { path, settings } = match syn::parse::<Input>(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error().into(),
    };
    let base = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
    let root = base.join(path.value());
    match gatespec_codegen::include::expand(&root, &settings) {
        Ok(tokens) => tokens.into(),
        Err(message) => syn::Error::new(path.span(), message)
            .to_compile_error()
            .into(),
    }
}
