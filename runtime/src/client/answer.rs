//! Decoding an answer: bytes and HTTP status in, the interface's result or a [`ClientError`] out.
//! A pure function, so that every case is testable without sockets.

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::ClientError;
use crate::gateway_error::GatewayError;
use crate::interface::Interface;

/// The characters of a response body kept in [`ClientError::Status`] and
/// [`ClientError::Decode`].
const MAX_KEPT_BODY: usize = 4096;

/// Decodes the answer to a call of interface `I`: the HTTP `status` and the response `body`.
///
/// The result code is looked at first: a failure code gives [`ClientError::Gateway`] with the
/// code and message, whatever the result member holds (absent, `null`, `{}`, or the interface's
/// failure detail, which is decoded into the error when it fits [`Interface::Failure`]). Only a
/// success code makes the result member decode as [`Interface::Result`] (absent or `null` is
/// read as `null`, which result types without members accept).
///
/// # Errors
/// [`ClientError::Status`] for a non-2xx status, [`ClientError::Decode`] for a body that is not
/// the envelope or a successful result that is not the interface's (with the JSON path), and
/// [`ClientError::Gateway`] for a failure code.
pub fn decode_answer<I: Interface>(
    status: u16,
    body: &[u8],
) -> Result<I::Result, ClientError<I::ErrorCode, I::Failure>> {
    if !(200..300).contains(&status) {
        return Err(ClientError::Status {
            status,
            body: kept_text(body),
        });
    }
    let envelope = I::ENVELOPE;
    let answer = envelope.read(body).map_err(|e| ClientError::Decode {
        status,
        body: kept_text(body),
        path: e.member,
        source: e.source,
    })?;
    if !envelope.is_success(&answer.retcode) {
        let mut failure = GatewayError::from_wire(answer.retcode, answer.message);
        // A detail that does not decode is left out: the answer is still this failure.
        failure.set_detail(
            answer
                .result
                .and_then(|raw| serde_json::from_str(raw.get()).ok()),
        );
        return Err(ClientError::Gateway(failure));
    }
    let raw = answer.result.map_or("null", RawValue::get);
    decode_json(raw).map_err(|(path, source)| ClientError::Decode {
        status,
        body: kept_text(body),
        path: member_path(envelope.result, &path),
        source,
    })
}

/// `json` as `T`, or the JSON path where it is not. The path is found from the error's position
/// (see `json_path`), so decoding compiles no path-tracking deserializer per result type.
fn decode_json<T: DeserializeOwned>(json: &str) -> Result<T, (String, serde_json::Error)> {
    serde_json::from_str(json).map_err(|e| (crate::json_path::path_of(json, &e), e))
}

/// A path inside the member `member` (`result`, `result.confs[0]`).
fn member_path(member: &str, inner: &str) -> String {
    match inner {
        "" | "." => member.to_owned(),
        _ if inner.starts_with('[') => format!("{member}{inner}"),
        _ => format!("{member}.{inner}"),
    }
}

/// The start of a body as text, for error messages.
pub(super) fn kept_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    match text.char_indices().nth(MAX_KEPT_BODY) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

/// Checks that failure answers to interface `I` decode as the gateway's failure, with code and
/// message, whatever the result member holds: absent, `null`, `{}`, an array, an object of
/// unknown members, and `detail` (a JSON failure detail that must decode into
/// [`Interface::Failure`], for interfaces that declare one). Every code the interface lists and
/// every refusal code of its protocol is tried, with the members in the vendor's order and in
/// another. The bindings' generated tests call it for every interface.
///
/// # Errors
/// A description of the first answer that decoded otherwise.
pub fn check_failure_answers<I: Interface>(detail: Option<&str>) -> Result<(), String> {
    let refusals = &I::PROTOCOL.refusals;
    let mut codes: Vec<&str> = I::ERRORS.to_vec();
    codes.extend([
        refusals.invalid_parameter,
        refusals.not_signed_in,
        refusals.no_permission,
        crate::interface::role_refusal::<I>(),
        refusals.internal_error,
        refusals.unknown_path,
    ]);
    codes.sort_unstable();
    codes.dedup();
    let results = [
        None,
        Some("null"),
        Some("{}"),
        Some("[1,2]"),
        Some(r#"{"unexpected":true}"#),
    ]
    .into_iter()
    .map(|r| (r, false))
    .chain(detail.map(|d| (Some(d), true)));
    let message = "refused: \"why\"";
    let envelope = I::ENVELOPE;
    for (result, is_detail) in results {
        let raw = result
            .map(|r| RawValue::from_string(r.to_owned()))
            .transpose()
            .map_err(|e| format!("{result:?} is not JSON: {e}"))?;
        for code in &codes {
            let in_order = envelope
                .write(code, message, raw.as_deref())
                .map_err(|e| e.to_string())?;
            let code_json = match (envelope.retcode_type, code.parse::<i64>()) {
                (crate::envelope::RetcodeType::Integer, Ok(number)) => number.to_string(),
                _ => json_text(code)?,
            };
            let result_member = match result {
                Some(r) => format!("{}:{r},", json_text(envelope.result)?),
                None => String::new(),
            };
            let reordered = format!(
                "{{{result_member}{}:{code_json},{}:{}}}",
                json_text(envelope.retcode)?,
                json_text(envelope.message)?,
                json_text(message)?,
            );
            for body in [in_order, reordered.into_bytes()] {
                let text = String::from_utf8_lossy(&body).into_owned();
                match decode_answer::<I>(200, &body) {
                    Err(ClientError::Gateway(failure))
                        if failure.retcode() == *code
                            && failure.message() == message
                            && (!is_detail || failure.detail().is_some()) => {}
                    Err(ClientError::Gateway(failure)) => {
                        return Err(format!(
                            "{}: {text} decoded as failure {:?} ({:?}) with detail {:?}",
                            I::LOG_NAME,
                            failure.retcode(),
                            failure.message(),
                            failure.detail()
                        ));
                    }
                    Err(other) => {
                        return Err(format!(
                            "{}: {text} did not decode as a failure: {}",
                            I::LOG_NAME,
                            ErrorKind(&other)
                        ));
                    }
                    Ok(_) => {
                        return Err(format!("{}: {text} decoded as a success", I::LOG_NAME));
                    }
                }
            }
        }
    }
    Ok(())
}

/// `text` as a JSON string.
fn json_text(text: &str) -> Result<String, String> {
    serde_json::to_string(text).map_err(|e| e.to_string())
}

/// Which kind of error, for messages (the catalogue type need not be `Display`).
struct ErrorKind<'e, E, D>(&'e ClientError<E, D>);

impl<E, D> std::fmt::Display for ErrorKind<'_, E, D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            ClientError::Decode { path, source, .. } => {
                write!(f, "undecodable at `{path}`: {source}")
            }
            ClientError::Status { status, .. } => write!(f, "HTTP status {status}"),
            _ => f.write_str("another client error"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        CodeEnum, EnvelopeFormat, Method, PathParams, Protocol, RefusalCodes, RetcodeType, Validate,
    };
    use serde::{Deserialize, Serialize};

    #[derive(CodeEnum, Debug, Clone, PartialEq)]
    #[code(string)]
    enum Code {
        #[code("7", meaning = "Locked.")]
        Locked,
        #[code(other)]
        Other(String),
    }

    const TEST: Protocol = Protocol {
        envelope: EnvelopeFormat {
            message: "msg",
            retcode: "code",
            result: "data",
            retcode_type: RetcodeType::Integer,
            success: "0",
        },
        session_header: None,
        renewal_header: None,
        caller_param: None,
        refusals: RefusalCodes::new("1", "2", "3", "4", "5", "6"),
        catalogue: <Code as CodeEnum>::CODES,
    };

    #[derive(Serialize, Deserialize, Validate)]
    struct NoPath {}

    impl PathParams for NoPath {
        fn write_path(&self, path: &mut String) {
            path.push_str("/lock");
        }
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Locked {
        id: u32,
        holders: Vec<String>,
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Holder {
        holder: String,
    }

    struct Lock;

    impl Interface for Lock {
        const PROTOCOL: &'static Protocol = &TEST;
        const LOG_NAME: &'static str = "lock";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/lock";
        type Access = crate::Anyone;
        const ROLES: &'static [&'static str] = &[];
        const ERRORS: &'static [&'static str] = &["7"];
        type Path = NoPath;
        type Request = ();
        type Result = Locked;
        type Failure = Holder;
        type ErrorCode = Code;
    }

    fn decode(body: &str) -> Result<Locked, ClientError<Code, Holder>> {
        decode_answer::<Lock>(200, body.as_bytes())
    }

    #[test]
    fn the_result_code_decides_how_the_result_is_read() {
        assert_eq!(
            decode(r#"{"msg":"","code":0,"data":{"id":1,"holders":["a"]}}"#).ok(),
            Some(Locked {
                id: 1,
                holders: vec!["a".into()]
            })
        );
        // A failure: whatever the result member holds, the gateway's code and message.
        for data in [
            "",
            r#","data":null"#,
            r#","data":{}"#,
            r#","data":[1]"#,
            r#","data":{"holder":5}"#,
        ] {
            let body = format!(r#"{{"msg":"held","code":7{data}}}"#);
            match decode(&body) {
                Err(ClientError::Gateway(e)) => {
                    assert_eq!(
                        (e.retcode(), e.message(), e.detail()),
                        ("7", "held", None),
                        "{body}"
                    );
                    assert_eq!(e.code(), Some(&Code::Locked));
                }
                other => panic!("{body}: {other:?}"),
            }
        }
        // The declared failure detail, typed.
        match decode(r#"{"data":{"holder":"b"},"code":7,"msg":"held"}"#) {
            Err(ClientError::Gateway(e)) => {
                assert_eq!(e.detail(), Some(&Holder { holder: "b".into() }));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn what_does_not_decode_says_where() {
        let path = |body: &str| match decode(body) {
            Err(ClientError::Decode { path, .. }) => path,
            other => panic!("{body}: {other:?}"),
        };
        assert_eq!(
            path(r#"{"msg":"","code":0,"data":{"id":1,"holders":[2]}}"#),
            "data.holders[0]"
        );
        assert_eq!(path(r#"{"msg":"","code":0}"#), "data");
        assert_eq!(path(r#"{"msg":"","data":{}}"#), "code");
        assert_eq!(path("<html>"), "");
        assert!(matches!(
            decode_answer::<Lock>(503, b"busy"),
            Err(ClientError::Status { status: 503, .. })
        ));
    }

    #[test]
    fn the_generated_check_passes_here_and_catches_a_wrong_detail() {
        assert_eq!(
            check_failure_answers::<Lock>(Some(r#"{"holder":"b"}"#)),
            Ok(())
        );
        let wrong = check_failure_answers::<Lock>(Some(r#"{"holder":1}"#));
        assert!(wrong.is_err_and(|e| e.contains("with detail None")));
    }

    #[test]
    fn member_paths() {
        assert_eq!(member_path("result", "."), "result");
        assert_eq!(
            member_path("data", "confs[0].confId"),
            "data.confs[0].confId"
        );
        assert_eq!(member_path("data", "[2]"), "data[2]");
    }

    #[test]
    fn long_bodies_are_cut() {
        let body = "é".repeat(MAX_KEPT_BODY + 10);
        assert_eq!(
            kept_text(body.as_bytes()).chars().count(),
            MAX_KEPT_BODY + 1
        );
    }
}
