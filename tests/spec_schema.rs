//! The checked-in JSON Schema of the spec format is current, and accepts every spec in spec/.

use std::path::Path;

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives in the workspace")
}

#[test]
fn checked_in_schema_is_current() {
    let path = workspace().join("spec/gatespec.schema.json");
    let checked_in = std::fs::read_to_string(&path).expect("spec/gatespec.schema.json");
    let current = gatespec_codegen::schema::format_schema_text();
    assert!(
        checked_in == current,
        "spec/gatespec.schema.json is stale; run `cargo run -q --bin gatespec -- schema > spec/gatespec.schema.json`"
    );
}

#[test]
fn schema_accepts_every_spec_file() {
    let path = workspace().join("spec/gatespec.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("schema"))
            .expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("valid JSON Schema");
    let files = gatespec_codegen::load::spec_files(&workspace().join("spec")).expect("spec/");
    assert!(!files.is_empty());
    for file in files {
        let text = std::fs::read_to_string(&file).expect("spec file");
        let value: serde_json::Value = serde_saphyr::from_str(&text).expect("YAML");
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
}

#[test]
fn schema_rejects_an_unknown_key() {
    let schema = gatespec_codegen::schema::format_schema();
    let validator = jsonschema::validator_for(schema).expect("valid JSON Schema");
    let value: serde_json::Value = serde_saphyr::from_str(
        "enums:\n  X:\n    description: x\n    code_type: int\n    codes: []\n    colour: red\n",
    )
    .expect("YAML");
    assert!(!validator.is_valid(&value));
}

#[test]
fn checked_in_spec_lints_clean() {
    let checked = gatespec_codegen::check_path(&workspace().join("spec"));
    let rendered = checked.diagnostics.render(
        &checked.sources,
        gatespec_codegen::diagnostic::RenderStyle::Plain,
    );
    assert!(checked.diagnostics.is_empty(), "{rendered}");
    assert!(checked.spec.is_some());
}

#[test]
fn format_reference_example_is_a_valid_spec() {
    let readme =
        std::fs::read_to_string(workspace().join("spec/README.md")).expect("spec/README.md");
    let section = readme
        .split("## A small, complete example")
        .nth(1)
        .expect("example section");
    let yaml = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("yaml block");
    let checked = gatespec_codegen::check_texts([("README-example.yaml", yaml)]);
    let rendered = checked.diagnostics.render(
        &checked.sources,
        gatespec_codegen::diagnostic::RenderStyle::Plain,
    );
    assert!(checked.diagnostics.is_empty(), "{rendered}");
    assert_eq!(checked.spec.expect("valid").interfaces.len(), 1);
}
