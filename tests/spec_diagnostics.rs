//! The broken-spec corpus: every file under `specs/broken/` is loaded together with
//! `specs/base.yaml` (or alone when its first line says `standalone`) and must
//!
//! - produce exactly the errors its `# expect: <code> <line>:<column>` comments list and the
//!   warnings its `# warn: <code> <line>:<column>` comments list, at those positions in the case
//!   file (a case with errors produces no model; a case with warnings only does), and
//! - render them like the snapshot (reviewed by a person), without panicking.
//!
//! Every diagnostic code a spec can cause has a case.

use std::collections::BTreeSet;
use std::path::Path;

use gatespec_codegen::diagnostic::{DiagnosticCode, RenderStyle, Severity};

fn broken_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/broken")
}

fn expectations(text: &str, prefix: &str) -> BTreeSet<(String, usize, usize)> {
    text.lines()
        .filter_map(|line| line.strip_prefix(prefix))
        .map(|rest| {
            let (code, position) = rest
                .split_once(' ')
                .expect("`# expect: <code> <line>:<col>`");
            let (line, column) = position.trim().split_once(':').expect("line:col");
            (
                code.to_owned(),
                line.parse().expect("line number"),
                column.parse().expect("column number"),
            )
        })
        .collect()
}

#[test]
fn broken_specs() {
    let base = include_str!("specs/base.yaml");
    let mut mismatches = Vec::new();
    insta::glob!("specs/broken/*.yaml", |path: &Path| {
        let text = std::fs::read_to_string(path).expect("readable case");
        let name = format!(
            "broken/{}",
            path.file_name().expect("file name").to_string_lossy()
        );
        let mut files = vec![(name.as_str(), text.as_str())];
        if !text.starts_with("# standalone") {
            files.insert(0, ("base.yaml", base));
        }
        let checked = gatespec_codegen::check_texts(files);
        let expected_errors = expectations(&text, "# expect: ");
        let expected_warnings = expectations(&text, "# warn: ");
        assert!(
            !expected_errors.is_empty() || !expected_warnings.is_empty(),
            "{name}: a case lists what it expects"
        );
        assert_eq!(
            checked.spec.is_none(),
            !expected_errors.is_empty(),
            "{name}: a spec with errors produces no model, one with warnings only does"
        );

        let case_file = checked
            .sources
            .iter()
            .find(|(_, f)| f.path == Path::new(&name))
            .map(|(id, _)| id)
            .expect("case file loaded");
        let mut errors = BTreeSet::new();
        let mut warnings = BTreeSet::new();
        for d in checked.diagnostics.iter() {
            assert_ne!(d.code, DiagnosticCode::Internal, "{name}: {}", d.message);
            assert_eq!(
                d.primary.span.file, case_file,
                "{name}: finding outside the case file: {}",
                d.message
            );
            let file = checked.sources.get(case_file).expect("case source");
            let (line, column) = file.line_col(d.primary.span.start);
            let found = (d.code.name().to_owned(), line, column);
            match d.severity {
                Severity::Error => errors.insert(found),
                Severity::Warning => warnings.insert(found),
            };
        }
        if errors != expected_errors || warnings != expected_warnings {
            mismatches.push(format!(
                "{name}:\n  errors   {errors:?}\n  expected {expected_errors:?}\n  warnings {warnings:?}\n  expected {expected_warnings:?}"
            ));
        }

        let rendered = checked
            .diagnostics
            .render(&checked.sources, RenderStyle::Plain);
        insta::assert_snapshot!(rendered);
    });
    assert!(
        mismatches.is_empty(),
        "errors (code, line, column) differ from the `# expect:` lines:\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn every_code_has_a_case() {
    let mut expected = BTreeSet::new();
    for entry in std::fs::read_dir(broken_dir()).expect("corpus directory") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("readable case");
        for prefix in ["# expect: ", "# warn: "] {
            expected.extend(
                expectations(&text, prefix)
                    .into_iter()
                    .map(|(code, ..)| code),
            );
        }
    }
    for name in &expected {
        assert!(
            DiagnosticCode::from_name(name).is_some(),
            "a case expects `{name}`, which is not a diagnostic code"
        );
    }
    let missing: Vec<&str> = DiagnosticCode::ALL
        .iter()
        .filter(|code| code.is_spec_problem() && !expected.contains(code.name()))
        .map(|code| code.name())
        .collect();
    assert!(
        missing.is_empty(),
        "diagnostic codes without a case in tests/specs/broken: {missing:?}"
    );
}

/// The codes no spec file causes, each shown once.
#[test]
fn file_system_problems_have_codes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = gatespec_codegen::check_path(dir.path());
    assert!(
        empty
            .diagnostics
            .iter()
            .any(|d| d.code == DiagnosticCode::NoSpecFiles),
        "an empty directory is reported"
    );
    let missing = gatespec_codegen::check_path(&dir.path().join("absent"));
    assert!(
        missing
            .diagnostics
            .iter()
            .any(|d| d.code == DiagnosticCode::Io),
        "a missing path is reported"
    );
}

/// spec/README.md's table of codes is the one `DiagnosticCode` renders.
#[test]
fn reference_table_is_current() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/README.md"))
            .expect("spec/README.md");
    let start = "<!-- diagnostic codes: generated from DiagnosticCode -->\n";
    let end = "<!-- end of diagnostic codes -->";
    let table = readme
        .split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map(|(table, _)| table)
        .expect("spec/README.md has the diagnostic-code markers");
    assert_eq!(
        table,
        DiagnosticCode::reference_table(),
        "spec/README.md's diagnostic table is stale: replace it with DiagnosticCode::reference_table()"
    );
}
