//! The loader never panics: arbitrary bytes, and random edits of the real spec files, always end
//! in diagnostics (or a clean model), and rendering those diagnostics never panics either.

use std::path::Path;

use gatespec_codegen::diagnostic::RenderStyle;
use proptest::prelude::*;

fn spec_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    gatespec_codegen::load::spec_files(&root)
        .expect("spec/")
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("spec file");
            (p.display().to_string(), text)
        })
        .collect()
}

fn check_and_render(files: &[(String, String)]) {
    let checked =
        gatespec_codegen::check_texts(files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let rendered = checked
        .diagnostics
        .render(&checked.sources, RenderStyle::Plain);
    assert_eq!(checked.spec.is_some(), !checked.diagnostics.has_errors());
    if checked.diagnostics.has_errors() {
        assert!(!rendered.is_empty());
    }
}

/// YAML and JSON fragments that make edits land on interesting syntax.
const FRAGMENTS: &[&str] = &[
    ":",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "|",
    ">",
    "&a ",
    "*a",
    "<<: *a",
    "\n",
    "  ",
    "#",
    "!!str ",
    "~",
    "null",
    "true",
    "0x1F",
    "-1",
    "99999999999999999999",
    "1e400",
    "\t",
    "\u{feff}",
    "é",
    "名",
    "{agentid}",
    "type: object",
    "items: ConfInfo",
    "enum: ConfState",
    "code: \"9\"",
    "mandatory: maybe",
    "range: {min: 9, max: 1}",
    "max_items: 0",
    ",",
    "\\u12",
    "]]]",
    "{{{",
];

#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, fragment: usize },
    DuplicateLine { at: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), 0..FRAGMENTS.len())
            .prop_map(|(at, fragment)| Edit::Insert { at, fragment }),
        any::<usize>().prop_map(|at| Edit::DuplicateLine { at }),
    ]
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &mut String, edit: &Edit) {
    match edit {
        Edit::Delete { at, len } => {
            let start = floor_boundary(text, *at);
            let end = floor_boundary(text, (start + len).min(text.len()));
            if end > start {
                text.replace_range(start..end, "");
            }
        }
        Edit::Insert { at, fragment } => {
            let at = floor_boundary(text, *at);
            text.insert_str(at, FRAGMENTS[*fragment]);
        }
        Edit::DuplicateLine { at } => {
            let at = floor_boundary(text, *at);
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
            let line = text[start..end].to_owned();
            text.insert_str(end, &line);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        check_and_render(&[("fuzz.yaml".to_owned(), text)]);
    }

    #[test]
    fn arbitrary_yaml_like_text_never_panics(text in "[a-zA-Z0-9_:{}\\[\\], \"'|>#\\-\n]{0,300}") {
        check_and_render(&[("fuzz.yaml".to_owned(), text)]);
    }

    #[test]
    fn edited_real_spec_never_panics(
        file in any::<prop::sample::Index>(),
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let mut files = spec_files();
        let index = file.index(files.len());
        for e in &edits {
            apply(&mut files[index].1, e);
        }
        check_and_render(&files);
    }
}
