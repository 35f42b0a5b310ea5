//! The spec loader on arbitrary text in place of one file of the real spec: it ends in a model
//! or diagnostics, and rendering the diagnostics never panics.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use gatespec_codegen::diagnostic::RenderStyle;
use libfuzzer_sys::fuzz_target;

/// The real spec's files but the one the input replaces.
fn other_files() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        gatespec_codegen::load::spec_files(&root)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| !p.ends_with("agentconf/queryconfinfos.yaml"))
            .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?)))
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let files = other_files()
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .chain(std::iter::once((
            "spec/agentgateway/agentconf/queryconfinfos.yaml",
            &*text,
        )));
    let checked = gatespec_codegen::check_texts(files);
    let rendered = checked
        .diagnostics
        .render(&checked.sources, RenderStyle::Plain);
    assert_eq!(checked.spec.is_some(), !checked.diagnostics.has_errors());
    assert!(!checked.diagnostics.has_errors() || !rendered.is_empty());
});
