//! Reading spec files: YAML text -> spanned tree -> structural check -> raw structs.
//!
//! Problems are collected, never thrown: one run reports every problem of every file.

pub mod revision;
pub mod structure;
pub mod tree;

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, DiagnosticCode, Diagnostics};
use crate::raw::{Sp, SpecFile};
use crate::source::{SourceId, Sources, Span};
use tree::Node;

/// A file that passed the structural check.
#[derive(Debug)]
pub struct RawFile {
    /// Which file.
    pub id: SourceId,
    /// Its content.
    pub spec: SpecFile,
}

/// Everything read from a spec path.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The text of every file, for diagnostics.
    pub sources: Sources,
    /// The files that are structurally sound, in path order.
    pub files: Vec<RawFile>,
    /// Problems found so far.
    pub diagnostics: Diagnostics,
}

/// Spec files below `path` (a directory, searched recursively) or `path` itself, sorted so that
/// the result does not depend on the file system's order.
pub fn spec_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let entry_path = entry.path();
            if entry.file_type()?.is_dir() {
                pending.push(entry_path);
            } else if entry_path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml")
            {
                found.push(entry_path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Reads every spec file under `path`.
pub fn load_path(path: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    match spec_files(path) {
        Ok(files) if files.is_empty() => {
            let id = loaded.sources.add(path, "");
            loaded.diagnostics.push(
                Diagnostic::error(
                    DiagnosticCode::NoSpecFiles,
                    Span::new(id, 0, 0),
                    format!("no .yaml spec files found at {}", path.display()),
                )
                .help("pass a spec directory (such as `spec`) or a single .yaml file"),
            );
        }
        Ok(files) => {
            for file in files {
                match std::fs::read_to_string(&file) {
                    Ok(text) => load_text(&mut loaded, &file, text),
                    Err(error) => {
                        let id = loaded.sources.add(&file, "");
                        loaded.diagnostics.push(Diagnostic::error(
                            DiagnosticCode::Io,
                            Span::new(id, 0, 0),
                            format!("cannot read {}: {error}", file.display()),
                        ));
                    }
                }
            }
        }
        Err(error) => {
            let id = loaded.sources.add(path, "");
            loaded.diagnostics.push(Diagnostic::error(
                DiagnosticCode::Io,
                Span::new(id, 0, 0),
                format!("cannot read {}: {error}", path.display()),
            ));
        }
    }
    loaded
}

/// Adds one file given as text (used by tests and by the in-memory entry points).
pub fn load_text(loaded: &mut Loaded, path: &Path, text: String) {
    let id = loaded.sources.add(path, text.as_str());
    match parse_file(id, &text) {
        Ok(spec) => loaded.files.push(RawFile { id, spec }),
        Err(problems) => loaded.diagnostics.extend(problems),
    }
}

fn parse_file(id: SourceId, text: &str) -> Result<SpecFile, Vec<Diagnostic>> {
    let tree: Sp<Node> = match serde_saphyr::from_str(text) {
        Ok(tree) => tree,
        Err(error) => return Err(vec![yaml_error(id, text, &error)]),
    };
    if matches!(tree.value, Node::Null) {
        return Ok(SpecFile::default());
    }
    let problems = structure::check(id, &tree);
    if !problems.is_empty() {
        return Err(problems);
    }
    serde_saphyr::from_str::<SpecFile>(text).map_err(|error| vec![yaml_error(id, text, &error)])
}

fn yaml_error(id: SourceId, text: &str, error: &serde_saphyr::Error) -> Diagnostic {
    let start = error.location().map_or(0, |l| {
        let from_bytes = l.span().byte_offset().and_then(|o| usize::try_from(o).ok());
        from_bytes.unwrap_or_else(|| offset_of(text, l.line(), l.column()))
    });
    let start = start.min(text.len());
    let message = error.without_snippet().to_string();
    // The library appends its own position; ours is in the rendered snippet.
    let message = match message.find(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message,
    };
    Diagnostic::error(
        DiagnosticCode::Yaml,
        Span::new(id, start, 0),
        format!("invalid YAML: {message}"),
    )
    .label("here")
}

/// Byte offset of a 1-based line and character column.
fn offset_of(text: &str, line: u64, column: u64) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum();
    let rest = &text[line_start.min(text.len())..];
    let in_line: usize = rest
        .chars()
        .take(column.saturating_sub(1) as usize)
        .take_while(|c| *c != '\n')
        .map(char::len_utf8)
        .sum();
    line_start + in_line
}
