//! The broken-spec corpus: every file under `specs/broken/` is loaded together with
//! `specs/base.yaml` (or alone when its first line says `standalone`) and must
//!
//! - produce exactly the errors its `# expect: <code> <line>:<column>` comments list, at those
//!   positions in the case file, and
//! - render them like the snapshot (reviewed by a person), without panicking.

use std::collections::BTreeSet;
use std::path::Path;

use gatespec_codegen::diagnostic::{RenderStyle, Severity};

fn expectations(text: &str) -> BTreeSet<(String, usize, usize)> {
    text.lines()
        .filter_map(|line| line.strip_prefix("# expect: "))
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
        assert!(
            checked.spec.is_none(),
            "{name}: a broken spec must not produce a model"
        );

        let case_file = checked
            .sources
            .iter()
            .find(|(_, f)| f.path == Path::new(&name))
            .map(|(id, _)| id)
            .expect("case file loaded");
        let mut found = BTreeSet::new();
        for d in checked.diagnostics.iter() {
            assert_ne!(d.code, "gatespec::internal", "{name}: {}", d.message);
            if d.severity == Severity::Error {
                assert_eq!(
                    d.primary.span.file, case_file,
                    "{name}: error outside the case file: {}",
                    d.message
                );
                let file = checked.sources.get(case_file).expect("case source");
                let (line, column) = file.line_col(d.primary.span.start);
                found.insert((d.code.to_owned(), line, column));
            }
        }
        let expected = expectations(&text);
        if found != expected {
            mismatches.push(format!(
                "{name}:\n  found    {found:?}\n  expected {expected:?}"
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
fn corpus_is_large_enough() {
    let cases = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/broken"))
        .expect("corpus directory")
        .count();
    assert!(
        cases >= 15,
        "the broken-spec corpus has {cases} cases, want at least 15"
    );
}
