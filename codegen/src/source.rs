//! Spec source files and byte spans into them.
//!
//! Every model item keeps a [`Span`] so that any later stage (lint, codegen) can point back at the
//! exact place in the YAML that it came from.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in [`Sources`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceId(pub(crate) u32);

/// A region of one spec file, in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The file the span is in.
    pub file: SourceId,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Length in bytes (may be 0 for a point).
    pub len: usize,
}

impl Span {
    /// A span from `start` covering `len` bytes of `file`.
    pub fn new(file: SourceId, start: usize, len: usize) -> Self {
        Span { file, start, len }
    }

    /// Byte offset one past the end.
    pub fn end(&self) -> usize {
        self.start + self.len
    }
}

/// One loaded spec file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given to the loader (used in messages).
    pub path: PathBuf,
    /// The whole text of the file.
    pub text: Arc<str>,
}

impl SourceFile {
    /// 1-based line and column (in characters) of a byte offset; offsets past the end clamp.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}

/// All files of one spec, in load order.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file and returns its id.
    pub fn add(&mut self, path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> SourceId {
        let id = SourceId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile {
            path: path.into(),
            text: text.into(),
        });
        id
    }

    /// The file with this id (`None` only for an id from another [`Sources`]).
    pub fn get(&self, id: SourceId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// All files with their ids.
    pub fn iter(&self) -> impl Iterator<Item = (SourceId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (SourceId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }

    /// `path:line:column` of the start of a span, as compilers print it.
    pub fn location(&self, span: Span) -> String {
        match self.get(span.file) {
            Some(file) => {
                let (line, column) = file.line_col(span.start);
                format!("{}:{line}:{column}", display_path(&file.path))
            }
            None => "<unknown>".to_owned(),
        }
    }
}

/// Paths print with forward slashes so that messages and snapshots are the same on every OS.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
