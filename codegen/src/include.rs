//! The expansion behind `gatespec::include_spec!`: the single-file items plus an `include_str!`
//! of every spec file, so that cargo rebuilds the including crate when the spec changes.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;

use crate::diagnostic::RenderStyle;
use crate::{check_path, emit};

/// The items for the spec at `root`, or the rendered diagnostics when it has errors.
pub fn expand(root: &Path) -> Result<TokenStream, String> {
    let checked = check_path(root);
    let Some(spec) = &checked.spec else {
        return Err(format!(
            "the spec at {} has errors:\n{}",
            root.display(),
            checked
                .diagnostics
                .render(&checked.sources, RenderStyle::Plain)
        ));
    };
    let items = emit::single_file(spec);
    let inputs = checked.sources.iter().map(|(_, file)| {
        let path = file.path.to_string_lossy().into_owned();
        quote!(
            const _: &str = include_str!(#path);
        )
    });
    Ok(quote!(#items #(#inputs)*))
}

/// The expansion without the rebuild markers: the tokens to compare with the other paths.
pub fn items(root: &Path) -> Result<TokenStream, String> {
    let checked = check_path(root);
    match &checked.spec {
        Some(spec) => Ok(emit::single_file(spec)),
        None => Err(checked
            .diagnostics
            .render(&checked.sources, RenderStyle::Plain)),
    }
}
