//! Writing answers: the envelope as a JSON response, with the result serialised straight into
//! it (once, into the buffer that becomes the body).

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Serialize;

use crate::envelope::{EnvelopeFormat, RetcodeType};

/// An envelope's body: the message, the result code and, when there is one, `result` written
/// by `serde_json` into the same buffer. The bytes are those of [`EnvelopeFormat::write`] with
/// the result as raw JSON; `capacity` is a guess of their length.
///
/// # Errors
/// The result cannot be written as JSON (a server bug, such as a map with non-string keys).
pub(super) fn envelope_bytes<R: Serialize + ?Sized>(
    envelope: &EnvelopeFormat,
    retcode: &str,
    message: &str,
    result: Option<&R>,
    capacity: usize,
) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::with_capacity(capacity);
    open(&mut out, envelope, retcode, message)?;
    if let Some(result) = result {
        let before = out.len();
        member(&mut out, envelope.result)?;
        let start = out.len();
        serde_json::to_writer(&mut out, result)?;
        // An absent optional result (no event pending, say) leaves its member out: the spec
        // declares the member optional, not nullable.
        if out[start..] == *b"null" {
            out.truncate(before);
        }
    }
    out.push(b'}');
    Ok(out)
}

/// `{"message":..,"retcode":..` with the format's member names, the code an integer when the
/// format says so and the code is one (as [`EnvelopeFormat::write`] does).
fn open(
    out: &mut Vec<u8>,
    envelope: &EnvelopeFormat,
    retcode: &str,
    message: &str,
) -> Result<(), serde_json::Error> {
    out.push(b'{');
    serde_json::to_writer(&mut *out, envelope.message)?;
    out.push(b':');
    serde_json::to_writer(&mut *out, message)?;
    member(out, envelope.retcode)?;
    match (envelope.retcode_type, retcode.parse::<i64>()) {
        (RetcodeType::Integer, Ok(code)) => serde_json::to_writer(&mut *out, &code),
        _ => serde_json::to_writer(&mut *out, retcode),
    }
}

/// `,"name":`.
fn member(out: &mut Vec<u8>, name: &str) -> Result<(), serde_json::Error> {
    out.push(b',');
    serde_json::to_writer(&mut *out, name)?;
    out.push(b':');
    Ok(())
}

/// An envelope as a JSON response with `status`.
pub(super) fn envelope_response<R: Serialize + ?Sized>(
    status: StatusCode,
    envelope: &EnvelopeFormat,
    retcode: &str,
    message: &str,
    result: Option<&R>,
) -> Response {
    match envelope_bytes(envelope, retcode, message, result, 128) {
        Ok(bytes) => json_response(status, bytes),
        Err(_) => {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
    }
}

/// `bytes` as a JSON response with `status`.
pub(super) fn json_response(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use serde_json::value::RawValue;

    use super::envelope_bytes;
    use crate::envelope::{EnvelopeFormat, RetcodeType};

    const TEXT: EnvelopeFormat = EnvelopeFormat {
        message: "message",
        retcode: "retcode",
        result: "result",
        retcode_type: RetcodeType::Text,
        success: "0",
    };
    const INTEGER: EnvelopeFormat = EnvelopeFormat {
        message: "m\"sg",
        retcode: "code",
        result: "data\u{e9}",
        retcode_type: RetcodeType::Integer,
        success: "0",
    };

    /// The same bytes as the envelope's own writer with the result as raw JSON.
    #[test]
    fn writes_what_the_envelope_writer_writes() {
        let result =
            serde_json::json!({"confs": [{"id": 1, "name": "a\"b\u{1}\u{e9}"}], "n": -2.5});
        let raw = serde_json::value::to_raw_value(&result).unwrap();
        for format in [TEXT, INTEGER] {
            for (retcode, message) in [("0", ""), ("E-42", "not \"signed\"\n in"), ("-7", "x")] {
                for with_result in [false, true] {
                    let expected = format
                        .write(retcode, message, with_result.then_some(&*raw))
                        .unwrap();
                    let written = envelope_bytes(
                        &format,
                        retcode,
                        message,
                        with_result.then_some(&result),
                        0,
                    )
                    .unwrap();
                    assert_eq!(
                        String::from_utf8(written).unwrap(),
                        String::from_utf8(expected).unwrap()
                    );
                    let none: Option<&RawValue> = None;
                    let empty = envelope_bytes(&format, retcode, message, none, 8).unwrap();
                    assert_eq!(empty, format.write(retcode, message, None).unwrap());
                }
            }
        }
    }

    /// A result that is not JSON is an error, not a half-written body.
    #[test]
    fn refuses_a_result_that_is_not_json() {
        let map = std::collections::BTreeMap::from([((1, 2), 3)]);
        assert!(envelope_bytes(&TEXT, "0", "", Some(&map), 0).is_err());
    }
}
