//! gatespec-codegen: loads gatespec YAML specs into one validated model and generates Rust
//! bindings from it.
//!
//! Data flows one way: YAML text -> spanned tree ([`load`]) -> raw structs ([`raw`]) -> validated
//! [`model`] -> emitters.

pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod generate;
pub mod include;
pub mod load;
pub mod model;
pub mod openapi;
pub mod raw;
pub mod schema;
pub mod source;

use std::path::Path;

pub use generate::Builder;

use diagnostic::Diagnostics;
use source::Sources;

/// The OpenAPI 3.1 document of a validated spec, pretty-printed ([`openapi::document`] for the
/// JSON value).
pub fn openapi(spec: &model::Spec) -> String {
    openapi::document_text(spec)
}

/// The outcome of loading and checking a spec.
#[derive(Debug)]
pub struct Checked {
    /// The validated model, when there were no errors.
    pub spec: Option<model::Spec>,
    /// The files read, for rendering diagnostics.
    pub sources: Sources,
    /// Every problem found (errors and warnings), sorted by position.
    pub diagnostics: Diagnostics,
}

/// Loads and checks every spec file under `path` (a directory or one file), for the spec's
/// default edition of the vendor reference.
pub fn check_path(path: &Path) -> Checked {
    finish(load::load_path(path), None)
}

/// Like [`check_path`], for the named edition of the vendor reference (`gateway.versions`).
pub fn check_path_version(path: &Path, version: Option<&str>) -> Checked {
    finish(load::load_path(path), version)
}

/// Checks spec files already read (from a git revision, say) for the named edition.
pub fn check_loaded(loaded: load::Loaded, version: Option<&str>) -> Checked {
    finish(loaded, version)
}

/// Loads and checks specs given as `(path, text)` pairs, as if they were files of one directory.
pub fn check_texts<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Checked {
    let mut loaded = load::Loaded::default();
    for (path, text) in files {
        load::load_text(&mut loaded, Path::new(path), text.to_owned());
    }
    finish(loaded, None)
}

fn finish(loaded: load::Loaded, version: Option<&str>) -> Checked {
    let load::Loaded {
        sources,
        files,
        mut diagnostics,
    } = loaded;
    let spec = model::build(&sources, &files, version, &mut diagnostics);
    diagnostics.sort();
    let spec = if diagnostics.has_errors() { None } else { spec };
    Checked {
        spec,
        sources,
        diagnostics,
    }
}
