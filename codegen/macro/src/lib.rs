//! `include_spec!("spec/...")`: the items `gatespec generate` would write, expanded in place.
//!
//! Use it through the runtime crate (`gatespec::include_spec!`, feature `include-spec`). The path
//! is relative to the including crate's `Cargo.toml`. The expansion is exactly what
//! `gatespec_codegen::include::expand` returns, the same tokens as the CLI and `build.rs` paths.

use std::path::PathBuf;

use proc_macro::TokenStream;

/// Expands to the bindings generated from the spec at the given path (a directory or a file,
/// relative to the crate's manifest directory). A spec with errors becomes a `compile_error!`
/// carrying the rendered diagnostics.
#[proc_macro]
pub fn include_spec(input: TokenStream) -> TokenStream {
    let literal = match syn::parse::<syn::LitStr>(input) {
        Ok(literal) => literal,
        Err(error) => return error.to_compile_error().into(),
    };
    let base = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
    let root = base.join(literal.value());
    match gatespec_codegen::include::expand(&root) {
        Ok(tokens) => tokens.into(),
        Err(message) => syn::Error::new(literal.span(), message)
            .to_compile_error()
            .into(),
    }
}
