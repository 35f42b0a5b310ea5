//! Where in a JSON text a decoding error is, as a path (`result.confs[0].confState`).
//!
//! Decoding first with plain serde_json and, on an error, walking the text up to the position
//! the error names keeps the path out of the decoding itself: no tracking deserializer is
//! compiled per decoded type, and a valid text costs nothing extra. The walk is one
//! non-generic function over the bytes.

/// The path of the value serde_json was reading when it failed on `json` with `error`: object
/// members as `.name` (the first without the dot), array items as `[index]`, and `.` for the
/// text as a whole. An error at the end of an object (a missing member) names the object; the
/// text ending early names the container left open.
pub(crate) fn path_of(json: &str, error: &serde_json::Error) -> String {
    // At the end of the text, serde_json names its last byte; the error is past it.
    let past = usize::from(error.is_eof());
    path_at(json, error.line(), error.column() + past)
}

/// The path of the value being read at `line`:`column` (one-based, as serde_json counts them).
fn path_at(json: &str, line: usize, column: usize) -> String {
    let bytes = json.as_bytes();
    let Some(end) = offset_of(bytes, line, column) else {
        return ".".to_owned();
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() && i <= end {
        match bytes[i] {
            b'{' => {
                value_starts(&mut stack);
                stack.push(Frame::Object {
                    key: None,
                    in_value: false,
                });
                i += 1;
            }
            b'[' => {
                value_starts(&mut stack);
                stack.push(Frame::Array {
                    index: 0,
                    in_value: false,
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                value_ends(&mut stack, i, end);
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Object { key, in_value }) => {
                        *key = None;
                        *in_value = false;
                    }
                    Some(Frame::Array { index, in_value }) => {
                        *index += 1;
                        *in_value = false;
                    }
                    None => {}
                }
                i += 1;
            }
            b':' => {
                if let Some(Frame::Object { in_value, .. }) = stack.last_mut() {
                    *in_value = true;
                }
                i += 1;
            }
            b'"' => {
                let start = i + 1;
                i = start;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let text = json.get(start..i.min(bytes.len())).unwrap_or_default();
                match stack.last_mut() {
                    Some(Frame::Object {
                        key,
                        in_value: false,
                    }) => *key = Some(unescape(text)),
                    _ => {
                        value_starts(&mut stack);
                        value_ends(&mut stack, i, end);
                    }
                }
                i += 1;
            }
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            _ => {
                // A number or a literal: up to the next delimiter.
                value_starts(&mut stack);
                while i < bytes.len()
                    && !matches!(bytes[i], b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                {
                    i += 1;
                }
                value_ends(&mut stack, i - 1, end);
            }
        }
    }
    render(&stack)
}

/// An open container while walking: the member or item being read.
enum Frame {
    Object { key: Option<String>, in_value: bool },
    Array { index: usize, in_value: bool },
}

/// A value begins in the innermost container (an array's item; an object's member value is
/// already marked by its colon).
fn value_starts(stack: &mut [Frame]) {
    if let Some(Frame::Array { in_value, .. }) = stack.last_mut() {
        *in_value = true;
    }
}

/// A value ended at byte `last`. An error past it (at a delimiter, at the end of the text) was
/// met between values, so it belongs to the container; an error on its last byte is the
/// value's own.
fn value_ends(stack: &mut [Frame], last: usize, end: usize) {
    if last < end {
        match stack.last_mut() {
            Some(Frame::Object { in_value, .. } | Frame::Array { in_value, .. }) => {
                *in_value = false;
            }
            None => {}
        }
    }
}

fn render(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object {
                key: Some(key),
                in_value: true,
            } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array {
                index,
                in_value: true,
            } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
            // The walk stopped between members or items: the container itself.
            _ => break,
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// The byte offset of `line`:`column`; serde_json counts columns in bytes. `None` when the
/// error has no position (line 0).
fn offset_of(bytes: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        let newline = bytes.get(start..)?.iter().position(|b| *b == b'\n')?;
        start += newline + 1;
    }
    Some((start + column).saturating_sub(1))
}

/// A member name as written, with the common escapes undone (a `\u` escape is kept as written).
fn unescape(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => out.push_str("\\u"),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::{path_at, path_of};

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Participant {
        #[serde(rename = "addressType")]
        address_type: String,
        code: i32,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Conf {
        #[serde(rename = "confId")]
        conf_id: i64,
        addresses: Vec<Participant>,
        tags: Option<Vec<u8>>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Confs {
        confs: Vec<Conf>,
        #[serde(default)]
        note: Option<String>,
    }

    /// The path serde_path_to_error reports, and the one the walk finds from the position.
    fn both(json: &str) -> (String, String) {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        // Trailing characters are found after the value, by `end`: the text as a whole.
        let tracked = match serde_path_to_error::deserialize::<_, Confs>(&mut deserializer) {
            Ok(_) => {
                deserializer.end().expect_err("the case is invalid");
                ".".to_owned()
            }
            // Tracking writes `?` for a member it had not named yet; the walk names the object.
            Err(e) => e.path().to_string().trim_end_matches(".?").to_owned(),
        };
        let error = serde_json::from_str::<Confs>(json).expect_err("the case is invalid");
        (tracked, path_of(json, &error))
    }

    #[test]
    fn the_walk_finds_what_path_tracking_finds() {
        let cases = [
            r#"{"confs": [{"confId": "x", "addresses": []}]}"#,
            r#"{"confs": [{"confId": 1, "addresses": [{"addressType": "9", "code": 1}, {"addressType": 9, "code": 1}]}]}"#,
            r#"{"confs": [{"confId": 1, "addresses": [{"addressType": "9", "code": 1.5}]}]}"#,
            r#"{"confs": [{"confId": 1, "addresses": [{"addressType": "9"}]}]}"#,
            r#"{"confs": [{"confId": 1}]}"#,
            r#"{"confs": [{"confId": 1, "addresses": [], "tags": [1, 2, 300]}]}"#,
            r#"{"confs": [{"confId": 1, "addresses": [], "tags": {}}]}"#,
            r#"{"note": 5, "confs": []}"#,
            r#"{"confs": 7}"#,
            "{\n  \"confs\": [\n    {\"confId\": 1,\n     \"addresses\": [{\"addressType\": \"9\", \"code\": \"one\"}]}\n  ]\n}",
            r#"{"confs": [{"confId": 1, "addresses": [], "tags": null}, {"confId": 99999999999999999999}]}"#,
            r#"{"confs": [{"confId": 1, "addresses": [{"addressType": "a\"b,]}", "code": true}]}]}"#,
            r#"{"co\"nfs": 1}"#,
            r#"[]"#,
            r#"{"confs": [{"confId": 1, "addresses": [], "tags": null}"#,
            r#"{"confs": [{"confId": 1, "addresses": [], "tags": null}]} x"#,
            r#"{"confs": [{"confId": 1 "addresses": []}]}"#,
        ];
        for json in cases {
            let (tracked, walked) = both(json);
            assert_eq!(walked, tracked, "{json}");
        }
    }

    #[test]
    fn positions_outside_the_text_name_the_whole() {
        assert_eq!(path_at("{}", 0, 0), ".");
        assert_eq!(path_at("{}", 9, 1), ".");
        assert_eq!(path_at(r#"{"a": [1, 2"#, 1, 99), "a");
    }
}
