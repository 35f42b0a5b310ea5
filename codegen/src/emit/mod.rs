//! Emitters: the validated model to Rust tokens, formatted with prettyplease.
//!
//! One token tree per module ([`modules`]); [`crate_files`] lays them out as the files of a crate
//! (`lib.rs`, `codes.rs`, `types.rs`, one file per service) and [`single_file`] as one file of
//! inline modules for `build.rs` and the `include_spec!` macro. Both come from the same tokens.

mod answers;
pub mod docs;
mod events;
pub mod examples;
mod interfaces;
mod items;
mod protocol;
mod rules;
mod service;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::emit::docs::{Doc, one_line};
use crate::model::{Spec, TableOrigin};

pub use interfaces::path_template;

/// An identifier, raw (`r#type`) where the model made it raw.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The file a module is read from: its name without `r#` (`pub mod r#match;` reads `match.rs`).
fn file_name(module: &str) -> String {
    format!("{}.rs", module.trim_start_matches("r#"))
}

/// Points serde's derives at the runtime's re-export, so users need no serde dependency.
fn serde_attr() -> TokenStream {
    quote!(#[serde(crate = "::gatespec::__private::serde")])
}

/// One generated module.
#[derive(Debug)]
pub struct Module {
    /// Module name (`codes`, `types`, a service's module), as the model decided it.
    pub name: String,
    /// Module documentation.
    pub doc: Doc,
    /// The items.
    pub items: TokenStream,
    /// Whether the root re-exports everything in it.
    pub glob_export: bool,
}

/// The modules of the generated crate, in a fixed order: code tables, types, then services.
pub fn modules(spec: &Spec) -> Vec<Module> {
    let code_tables = spec.code_tables.iter().map(items::code_table);
    let catalogue = items::error_catalogue(spec);
    let scalars = spec.scalars.iter().map(items::scalar);
    let envelopes = spec.envelopes.iter().map(items::envelope);
    let protocol = protocol::protocol(spec);
    let tables = spec
        .tables
        .iter()
        .filter(|t| t.origin == TableOrigin::Named)
        .map(|t| items::table(spec, t, &format!("The `{}` table.", t.name)));
    // Each module imports exactly the derives it uses, so that derive lists stay short and no
    // import is unused.
    let serde = quote!(
        use ::gatespec::__private::serde::{Deserialize, Serialize};
    );
    let types_imports = {
        let constrained = (!spec.scalars.is_empty()).then(|| {
            quote!(
                use ::gatespec::Constrained;
            )
        });
        let serde = (!spec.envelopes.is_empty()
            || spec.tables.iter().any(|t| t.origin == TableOrigin::Named))
        .then(|| serde.clone());
        let validate = (!spec.envelopes.is_empty()
            || spec.tables.iter().any(|t| t.origin == TableOrigin::Named))
        .then(|| {
            quote!(
                use ::gatespec::Validate;
            )
        });
        quote!(#constrained #serde #validate)
    };
    let mut modules = vec![
        Module {
            name: spec.names.codes_module.clone(),
            doc: Doc::new(
                "Code tables and the error-code catalogue. Re-exported at the crate root.",
            ),
            items: quote!(use ::gatespec::CodeEnum; #(#code_tables)* #catalogue),
            glob_export: true,
        },
        Module {
            name: spec.names.types_module.clone(),
            doc: Doc::new(
                "Constrained scalars, response envelopes, the gateway's protocol and the parameter tables interfaces share. Re-exported at the crate root.",
            ),
            items: quote!(#types_imports #(#scalars)* #(#envelopes)* #protocol #(#tables)*),
            glob_export: true,
        },
    ];
    if let Some(items) = events::events_module(spec) {
        modules.push(Module {
            name: spec.names.events_module.clone(),
            doc: Doc::new(
                "The event catalogue: the `Event` enum and the content of each event. Re-exported at the crate root.",
            ),
            items,
            glob_export: true,
        });
    }
    for (index, service) in spec.services.iter().enumerate() {
        let mut interfaces = spec
            .interfaces
            .iter()
            .filter(|i| i.service.0 == index)
            .map(|i| interfaces::interface(spec, i))
            .peekable();
        let imports = interfaces
            .peek()
            .is_some()
            .then(|| quote!(#serde use ::gatespec::Validate;));
        let mut doc = Doc::new(&format!(
            "{}.",
            one_line(&service.title).trim_end_matches('.')
        ));
        if let Some(description) = &service.description {
            doc.paragraph(&one_line(description));
        }
        doc.paragraph(&format!("Base path: `{}`.", service.base_path));
        let client_server = service::service(spec, index);
        modules.push(Module {
            name: service.names.module.clone(),
            doc,
            items: quote!(#imports #(#interfaces)* #client_server),
            glob_export: false,
        });
    }
    modules
}

/// Documentation of the generated crate.
fn crate_doc(spec: &Spec) -> Doc {
    let gateway = &spec.gateway;
    let mut doc = Doc::new(&format!(
        "Typed bindings for the {}.",
        one_line(&gateway.title)
    ));
    if let Some(description) = &gateway.description {
        doc.paragraph(&one_line(description));
    }
    if let Some(reference) = &gateway.reference {
        doc.paragraph(&format!("Transcribed from: {}.", one_line(reference)));
    }
    if let Some(version) = &spec.version {
        doc.paragraph(&format!(
            "Constraints are those of the `{version}` edition of the vendor reference; generate with `--version` for another."
        ));
    }
    doc.paragraph("Generated by gatespec from the YAML spec; do not edit by hand.");
    doc
}

/// Formats a token stream of items as a Rust file (prettyplease).
pub fn format(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// The generated crate as `(file name, text)` pairs relative to its `src/`, each starting with
/// `header` (a comment naming the generator and the spec).
pub fn crate_files(spec: &Spec, header: &str) -> Result<Vec<(String, String)>, String> {
    let modules = modules(spec);
    let crate_doc = crate_doc(spec).inner_tokens();
    // `cargo fmt` must leave generated files alone (the drift check compares bytes): module
    // files are skipped, and lib.rs is written the way rustfmt writes it (sorted declarations).
    let mut names: Vec<&str> = modules.iter().map(|m| m.name.as_str()).collect();
    names.sort_unstable();
    let allow = allow_deprecated(spec);
    let decls = names.iter().map(|m| {
        let name = ident(m);
        quote! {
            #[rustfmt::skip]
            #allow
            pub mod #name;
        }
    });
    let mut exported: Vec<&str> = modules
        .iter()
        .filter(|m| m.glob_export)
        .map(|m| m.name.as_str())
        .collect();
    exported.sort_unstable();
    let exports = exported.iter().map(|m| {
        let name = ident(m);
        quote!(pub use #name::*;)
    });
    let examples = examples::examples_module(spec);
    let examples_name = ident(&spec.names.examples_module);
    let examples_decl = examples.is_some().then(|| {
        quote! {
            #[cfg(test)]
            #[rustfmt::skip]
            #allow
            mod #examples_name;
        }
    });
    let answers = answers::answers_module(spec);
    let answers_name = ident(&spec.names.answers_module);
    let answers_decl = answers.is_some().then(|| {
        quote! {
            #[cfg(test)]
            #[rustfmt::skip]
            #allow
            mod #answers_name;
        }
    });
    let mut files = vec![(
        "lib.rs".to_owned(),
        format!(
            "{header}{}",
            format(quote!(#crate_doc #(#decls)* #answers_decl #examples_decl #(#exports)*))?
        ),
    )];
    if let Some(tests) = answers {
        let doc = Doc::new(
            "Failure answers of every interface decode as the gateway's failure (code, message, detail), whatever their result member holds.",
        )
        .inner_tokens();
        files.push((
            file_name(&spec.names.answers_module),
            format!("{header}{}", format(quote!(#doc #tests))?),
        ));
    }
    if let Some(tests) = examples {
        let doc = examples_doc().inner_tokens();
        files.push((
            file_name(&spec.names.examples_module),
            format!("{header}{}", format(quote!(#doc #tests))?),
        ));
    }
    for module in &modules {
        let doc = module.doc.inner_tokens();
        let items = &module.items;
        files.push((
            file_name(&module.name),
            format!("{header}{}", format(quote!(#doc #items))?),
        ));
    }
    Ok(files)
}

/// The generated items as inline modules in one token stream (no crate-level attributes), for
/// `include!` from `build.rs` output and for the `include_spec!` macro.
pub fn single_file(spec: &Spec) -> TokenStream {
    let modules = modules(spec);
    let allow = allow_deprecated(spec);
    let mods = modules.iter().map(|m| {
        let name = ident(&m.name);
        let doc = m.doc.tokens();
        let items = &m.items;
        quote! {
            #doc
            #allow
            pub mod #name {
                #items
            }
        }
    });
    let exports = modules.iter().filter(|m| m.glob_export).map(|m| {
        let name = ident(&m.name);
        quote!(pub use #name::*;)
    });
    let examples = examples::examples_module(spec).map(|tests| {
        let doc = examples_doc().tokens();
        let name = ident(&spec.names.examples_module);
        quote! {
            #doc
            #[cfg(test)]
            #allow
            mod #name {
                #tests
            }
        }
    });
    quote!(#(#mods)* #(#exports)* #examples)
}

/// `#[allow(deprecated)]` for the generated modules of a spec that deprecates something: the
/// generated code itself (derives, constructors, routers, tests) uses what the spec deprecates,
/// and an allow on the module covers derive output too. Uses in the user's code still warn.
fn allow_deprecated(spec: &Spec) -> Option<TokenStream> {
    let fields = spec
        .tables
        .iter()
        .flat_map(|t| &t.fields)
        .any(|f| f.deprecated.is_some());
    let codes = spec
        .code_tables
        .iter()
        .flat_map(|t| &t.codes)
        .any(|c| c.deprecated.is_some());
    let interfaces = spec.interfaces.iter().any(|i| i.deprecated.is_some());
    (fields || codes || interfaces).then(|| quote!(#[allow(deprecated)]))
}

fn examples_doc() -> Doc {
    Doc::new(
        "The spec's examples as tests: request bodies and successful responses decode, validate and round-trip, failure answers decode as failures, URI and query parameters render the path; a broken copy of each is refused at a known place.",
    )
}

/// [`single_file`] formatted, with `header` on top.
pub fn single_file_text(spec: &Spec, header: &str) -> Result<String, String> {
    Ok(format!("{header}{}", format(single_file(spec))?))
}
