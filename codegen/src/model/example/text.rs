//! Positions inside an example: byte offsets in the example's JSON text mapped back to the YAML
//! block that holds it, so that findings point at the offending value.

use crate::model::ExampleText;
use crate::source::{Sources, Span};

/// Maps byte offsets in the example text to byte offsets in the YAML file.
pub(super) struct TextMap {
    /// File offset of the start of each text line (after the block's indentation).
    line_starts: Vec<usize>,
    /// Fallback: the whole scalar.
    scalar: Span,
}

impl TextMap {
    pub(super) fn new(sources: &Sources, text: &ExampleText) -> Self {
        let scalar = text.span;
        let fallback = TextMap {
            line_starts: Vec::new(),
            scalar,
        };
        let Some(file) = sources.get(scalar.file) else {
            return fallback;
        };
        let source = &file.text;
        let start = scalar.start.min(source.len());
        // The parser places a literal block (`|`) either at its indicator or at its first line.
        let mut file_line = if source[start..].starts_with('|') {
            match source[start..].find('\n') {
                Some(newline) => start + newline + 1,
                None => return fallback,
            }
        } else {
            source[..start].rfind('\n').map_or(0, |i| i + 1)
        };
        let mut indent = None;
        let mut line_starts = Vec::new();
        for line in text.text.split_inclusive('\n') {
            let file_rest = &source[file_line.min(source.len())..];
            let file_line_len = file_rest.find('\n').map_or(file_rest.len(), |n| n + 1);
            let file_text = &file_rest[..file_line_len];
            let content = line.trim_end_matches('\n');
            if content.is_empty() {
                line_starts.push(file_line);
            } else {
                let indent = *indent.get_or_insert_with(|| {
                    file_text.len() - file_text.trim_start_matches(' ').len()
                });
                if !file_text
                    .get(indent..)
                    .is_some_and(|t| t.starts_with(content))
                {
                    return fallback;
                }
                line_starts.push(file_line + indent);
            }
            file_line += file_line_len;
        }
        TextMap {
            line_starts,
            scalar,
        }
    }

    pub(super) fn span(&self, text: &str, start: usize, end: usize) -> Span {
        if self.line_starts.is_empty() {
            return self.scalar;
        }
        let before = &text[..start.min(text.len())];
        let line = before.matches('\n').count();
        let line_offset = before.rfind('\n').map_or(0, |i| i + 1);
        match self.line_starts.get(line) {
            Some(file_start) => {
                let len = text[start.min(text.len())..end.min(text.len())]
                    .find('\n')
                    .unwrap_or(end.saturating_sub(start));
                Span::new(self.scalar.file, file_start + (start - line_offset), len)
            }
            None => self.scalar,
        }
    }
}
