//! Rendering of offending values for messages: bounded, so hostile input cannot make an error
//! message (or validation) expensive.

use core::fmt;

/// The number of characters of a string value kept in a message.
pub(crate) const MAX_SHOWN_CHARS: usize = 64;

/// A string shown JSON-style: quoted, escaped, and cut after [`MAX_SHOWN_CHARS`] characters.
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        let mut chars = self.0.chars();
        for c in chars.by_ref().take(MAX_SHOWN_CHARS) {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                c if c.is_control() => write!(f, "{}", c.escape_default())?,
                c => fmt::Write::write_char(f, c)?,
            }
        }
        if chars.next().is_some() {
            f.write_str("…")?;
        }
        f.write_str("\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_escapes_and_truncates() {
        assert_eq!(Quoted("a\"b\\c\n").to_string(), r#""a\"b\\c\n""#);
        let long = "x".repeat(100);
        let shown = Quoted(&long).to_string();
        assert_eq!(shown.chars().count(), MAX_SHOWN_CHARS + 3);
        assert!(shown.ends_with("…\""));
    }
}
