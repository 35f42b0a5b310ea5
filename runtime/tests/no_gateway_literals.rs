//! The runtime is generic: every fact about a particular gateway comes from its spec through
//! generated code. This fails on any AgentGateway literal in runtime/src (code, docs or tests):
//! its session headers and their value format, its caller parameter, its catalogue codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

/// The literals, as regular expressions, and what they are.
const FORBIDDEN: &[(&str, &str)] = &[
    (
        "(?i)guid",
        "the AgentGateway's session header (`Guid`, `Set-GUID`)",
    ),
    ("(?i)jsessionid", "the AgentGateway's renewal value format"),
    ("agentid", "the AgentGateway's caller parameter"),
    ("(?i)agent ?gateway", "the AgentGateway itself"),
    (r"\b(000|100|101)-\d{3}\b", "an AgentGateway catalogue code"),
];

fn rust_and_doc_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot read {}", dir.display());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_and_doc_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "md") {
            found.push(path);
        }
    }
}

#[test]
fn runtime_sources_name_no_particular_gateway() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_and_doc_files(&src, &mut files);
    assert!(files.len() > 10, "found only {files:?}");
    let patterns: Vec<(regex_lite::Regex, &str)> = FORBIDDEN
        .iter()
        .map(|(pattern, what)| (regex_lite::Regex::new(pattern).unwrap(), *what))
        .collect();
    let mut hits = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            for (pattern, what) in &patterns {
                if let Some(found) = pattern.find(line) {
                    hits.push(format!(
                        "{}:{}: `{}` is {what}",
                        file.strip_prefix(&src).unwrap_or(file).display(),
                        number + 1,
                        found.as_str()
                    ));
                }
            }
        }
    }
    assert!(
        hits.is_empty(),
        "runtime/src must stay generic; these belong in a spec:\n{}",
        hits.join("\n")
    );
}

#[test]
fn the_check_finds_what_it_looks_for() {
    let samples = [
        r#"headers.get("Guid")"#,
        "Set-GUID: JSESSIONID=x",
        "agent_param: Some(\"agentid\")",
        "the AgentGateway's code",
        r#"not_signed_in: "100-006""#,
    ];
    for sample in samples {
        assert!(
            FORBIDDEN
                .iter()
                .any(|(p, _)| regex_lite::Regex::new(p).unwrap().is_match(sample)),
            "{sample}"
        );
    }
}
