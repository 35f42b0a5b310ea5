//! A synthetic spec of 1,000 interfaces loads, checks and generates. (How long that takes is
//! measured by the `codegen` benchmark, not here.)

#[test]
fn a_thousand_interfaces_generate() {
    let text = gatespec_tests::synthetic_spec(1000);
    let checked = gatespec_codegen::check_texts([("synthetic.yaml", text.as_str())]);
    let rendered = checked.diagnostics.render(
        &checked.sources,
        gatespec_codegen::diagnostic::RenderStyle::Plain,
    );
    let spec = checked.spec.unwrap_or_else(|| panic!("{rendered}"));
    assert_eq!(spec.interfaces.len(), 1000);
    let files = gatespec_codegen::emit::crate_files(&spec, "// synthetic\n").expect("generates");
    let service = files
        .iter()
        .find(|(name, _)| name == "svc.rs")
        .expect("service module");
    assert_eq!(
        service.1.matches("impl ::gatespec::Interface for").count(),
        1000
    );
}
