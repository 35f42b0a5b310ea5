//! The three ways to use the generator — the `gatespec` CLI (checked-in generated/ crate), the
//! build.rs `Builder` and the `include_spec!` macro — produce the same items, with a build's
//! settings too (`--default-methods`, `Builder::default_methods`, `include_spec!(.., default_methods)`).

use std::path::{Path, PathBuf};

use gatespec::{Interface, Validate};
use gatespec_codegen::generate::Settings;
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
    let macro_items =
        gatespec_codegen::include::items(&spec, &Settings::default()).expect("spec expands");
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
        &Settings::default(),
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

/// The items of the CLI's crate files, by module name.
fn modules_of_crate(files: &[gatespec_codegen::generate::GeneratedFile]) -> Vec<(String, String)> {
    files
        .iter()
        .filter(|f| !["lib.rs", "examples.rs", "answers.rs"].contains(&f.path.as_str()))
        .map(|f| {
            let file = syn::parse_file(&f.text).expect("parses");
            let tokens: TokenStream = file.items.iter().map(ToTokens::to_token_stream).collect();
            (f.path.trim_end_matches(".rs").to_owned(), canonical(tokens))
        })
        .collect()
}

#[test]
fn default_methods_are_asked_for_the_same_way_on_every_path() {
    let spec = workspace().join("tests/specs/codegen");
    let settings = Settings {
        default_methods: true,
        ..Settings::default()
    };
    let macro_file: syn::File =
        syn::parse2(gatespec_codegen::include::items(&spec, &settings).expect("expands"))
            .expect("parses");
    let from_macro = modules_of(&macro_file);

    let temp = tempfile::tempdir().expect("temp dir");
    let written = gatespec_codegen::Builder::new()
        .out_dir(temp.path())
        .default_methods(true)
        .compile(&spec)
        .expect("builder");
    let builder_file =
        syn::parse_file(&std::fs::read_to_string(written).expect("read")).expect("parses");
    assert!(modules_of(&builder_file) == from_macro);

    let mut from_cli = modules_of_crate(
        &gatespec_codegen::generate::crate_files_with(&spec, &settings).expect("generates"),
    );
    let mut sorted_macro: Vec<(String, String)> = from_macro
        .iter()
        .filter(|(name, _)| name != "examples")
        .cloned()
        .collect();
    from_cli.sort();
    sorted_macro.sort();
    let names = |modules: &[(String, String)]| -> Vec<String> {
        modules.iter().map(|(name, _)| name.clone()).collect()
    };
    assert_eq!(names(&from_cli), names(&sorted_macro));
    assert!(
        from_cli == sorted_macro,
        "the CLI's modules differ from the macro's"
    );

    // With the setting every method of the server trait has a default; without it none has.
    let calls = |modules: &[(String, String)]| {
        modules
            .iter()
            .find(|(name, _)| name == "calls")
            .map(|(_, items)| items.clone())
            .expect("calls module")
    };
    let with_defaults = calls(&from_macro);
    assert_eq!(
        with_defaults
            .matches("::gatespec::server::not_supported::<")
            .count(),
        with_defaults
            .matches("impl ::gatespec::Interface for")
            .count(),
        "one default per interface of `calls`"
    );
    let plain: syn::File = syn::parse2(
        gatespec_codegen::include::items(&spec, &Settings::default()).expect("expands"),
    )
    .expect("parses");
    assert!(!calls(&modules_of(&plain)).contains("not_supported"));
}

#[test]
fn default_methods_need_a_declared_not_supported_code() {
    // The ticket desk declares one; a spec without one is refused, at its refusals.
    let temp = tempfile::tempdir().expect("temp dir");
    let spec = temp.path().join("gateway.yaml");
    let text = std::fs::read_to_string(workspace().join("tests/specs/ticket/gateway.yaml"))
        .expect("ticket gateway")
        .replace("      not_supported: 501\n", "")
        .replace("    server_defaults: not_supported\n", "");
    std::fs::write(&spec, text).expect("write");
    for file in ["auth.yaml", "tickets.yaml", "info.yaml"] {
        std::fs::copy(
            workspace().join("tests/specs/ticket").join(file),
            temp.path().join(file),
        )
        .expect("copy");
    }
    gatespec_codegen::generate::single_file(temp.path()).expect("generates without the setting");
    let error = gatespec_codegen::Builder::new()
        .out_dir(temp.path())
        .default_methods(true)
        .compile(temp.path())
        .expect_err("no code for the default methods to answer");
    let error = error.to_string();
    assert!(error.contains("gatespec::missing-key"), "{error}");
    assert!(
        error.contains("the protocol declares no `not_supported` refusal"),
        "{error}"
    );
}

/// The edge-case spec generated with default server methods, as a build may ask for.
mod edge_with_defaults {
    gatespec::include_spec!("specs/codegen", default_methods);
}

/// A server that implements none of the `calls` interfaces yet.
struct NothingYet;

#[derive(Clone, Debug)]
struct Agent;

impl gatespec::server::Caller for Agent {
    fn agent_id(&self) -> &str {
        "153"
    }

    fn role(&self) -> &str {
        "inspector"
    }
}

impl gatespec::server::SessionStore for NothingYet {
    type Caller = Agent;

    async fn resolve(&self, _session_id: &str) -> Option<Agent> {
        Some(Agent)
    }
}

impl edge_with_defaults::calls::CallsServer for NothingYet {}

#[tokio::test]
async fn a_build_with_default_methods_serves_a_server_that_implements_nothing() {
    let app = edge_with_defaults::calls::router(NothingYet);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = gatespec::server::axum::serve(listener, app).await;
    });
    let answer = reqwest::get(format!("{base}/edge/calls/list"))
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.text().await.unwrap(),
        r#"{"msg":"Not implemented here: this server does not implement `listCalls`","code":8}"#
    );
    task.abort();
}
