//! The expansion behind `gatespec::include_spec!`: the single-file items plus an `include_str!`
//! of every spec file, so that cargo rebuilds the including crate when the spec changes.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit;
use crate::generate::{GenerateError, Settings, checked_spec};

/// The items for the spec at `root` with a build's `settings`, or the rendered diagnostics
/// when it has errors.
pub fn expand(root: &Path, settings: &Settings) -> Result<TokenStream, String> {
    let (checked, spec) = checked_spec(root, settings).map_err(|e| match e {
        GenerateError::Spec(rendered) => {
            format!("the spec at {} has errors:\n{rendered}", root.display())
        }
        other => other.to_string(),
    })?;
    let items = emit::single_file(&spec);
    let inputs = checked.sources.iter().map(|(_, file)| {
        let path = file.path.to_string_lossy().into_owned();
        quote!(
            const _: &str = include_str!(#path);
        )
    });
    Ok(quote!(#items #(#inputs)*))
}

/// The expansion without the rebuild markers: the tokens to compare with the other paths.
pub fn items(root: &Path, settings: &Settings) -> Result<TokenStream, String> {
    match checked_spec(root, settings) {
        Ok((_, spec)) => Ok(emit::single_file(&spec)),
        Err(GenerateError::Spec(rendered)) => Err(rendered),
        Err(other) => Err(other.to_string()),
    }
}
