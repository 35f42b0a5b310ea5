//! The three ways to use the generator — the `gatespec` CLI (checked-in generated/ crate), the
//! build.rs `Builder` and the `include_spec!` macro — produce the same items.

use std::path::{Path, PathBuf};

use gatespec::{Interface, Validate};
use proc_macro2::TokenStream;
use quote::ToTokens;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

/// Items in one canonical text: formatted by the generator's own formatter, so that layout
/// choices (such as the trailing comma of a wrapped list) do not count as differences.
fn canonical(tokens: TokenStream) -> String {
    gatespec_codegen::emit::format(tokens).expect("items parse")
}

/// The items of each inline module of a single-file expansion, by module name.
fn modules_of(file: &syn::File) -> Vec<(String, String)> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) => {
                let items = &m.content.as_ref()?.1;
                let tokens: TokenStream = items.iter().map(ToTokens::to_token_stream).collect();
                Some((m.ident.to_string(), canonical(tokens)))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn cli_builder_and_macro_produce_the_same_items() {
    let spec = workspace().join("spec");

    // The macro's expansion (without its rebuild markers).
    let macro_items = gatespec_codegen::include::items(&spec).expect("spec expands");
    let macro_file: syn::File = syn::parse2(macro_items).expect("expansion parses");
    let from_macro = modules_of(&macro_file);
    assert!(from_macro.iter().any(|(name, _)| name == "agentconf"));

    // What build.rs writes.
    let temp = tempfile::tempdir().expect("temp dir");
    let written = gatespec_codegen::Builder::new()
        .out_dir(temp.path())
        .compile(&spec)
        .expect("builder");
    let builder_file =
        syn::parse_file(&std::fs::read_to_string(written).expect("read")).expect("parses");
    assert!(
        modules_of(&builder_file) == from_macro,
        "the Builder's output differs from the macro's"
    );

    // The CLI's checked-in crate: one file per module.
    for (name, items) in &from_macro {
        let text =
            std::fs::read_to_string(workspace().join("generated/src").join(format!("{name}.rs")))
                .expect("generated module file");
        let file = syn::parse_file(&text).expect("parses");
        let tokens: TokenStream = file.items.iter().map(ToTokens::to_token_stream).collect();
        assert!(
            &canonical(tokens) == items,
            "generated/src/{name}.rs differs from the macro's `{name}`"
        );
    }
}

#[test]
fn macro_expansion_of_a_broken_spec_is_an_error() {
    let error = gatespec_codegen::include::expand(
        &workspace().join("tests/specs/broken/duplicate_code.yaml"),
    )
    .expect_err("broken");
    assert!(
        error.contains("gatespec::missing-gateway") || error.contains("gatespec::duplicate-code"),
        "{error}"
    );
}

/// The same bindings, generated at compile time.
mod included {
    gatespec::include_spec!("../spec");
}

#[test]
fn macro_bindings_behave_like_the_generated_crate() {
    let json = r#"{"confIds":[1029888,1029889]}"#;
    let ours: included::agentconf::QueryConfInfosRequest =
        serde_json::from_str(json).expect("decodes");
    let theirs: agentgateway::agentconf::QueryConfInfosRequest =
        serde_json::from_str(json).expect("decodes");
    ours.validate().expect("valid");
    assert_eq!(
        serde_json::to_string(&ours).unwrap(),
        serde_json::to_string(&theirs).unwrap()
    );
    assert_eq!(
        included::agentconf::QueryConfInfos::PATH,
        agentgateway::agentconf::QueryConfInfos::PATH
    );
}
