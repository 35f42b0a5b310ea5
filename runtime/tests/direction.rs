//! Codes per direction: a table that keeps unlisted codes only in responses refuses them in
//! requests, and a field may accept only some codes of its table.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use gatespec::{CodeEnum, Constraint, Direction, Validate, ValidationContext, Violations};
use serde::{Deserialize, Serialize};

/// Kept in responses, refused in requests (the spec leaves `unknown_codes` to the direction).
#[derive(CodeEnum, Debug, Clone, PartialEq, Eq)]
#[code(string)]
enum AddressType {
    #[code("6", meaning = "phone number")]
    PhoneNumber,
    #[code("9", meaning = "agent ID")]
    AgentId,
    #[code(other, refuse_in_requests)]
    Other(String),
}

/// Kept in both directions (`unknown_codes: keep`).
#[derive(CodeEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[code(int)]
enum DeviceType {
    #[code(0, meaning = "unknown")]
    Unknown,
    #[code(other)]
    Other(i32),
}

#[derive(CodeEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[code(int)]
enum PlayMode {
    #[code(1, meaning = "tone")]
    Tone,
    #[code(2, meaning = "file")]
    File,
}

#[derive(Debug, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase")]
struct Participant {
    address_type: AddressType,
    device_type: Option<DeviceType>,
    #[validate(codes(2))]
    play_mode: Option<PlayMode>,
    #[validate(codes(2))]
    modes: Vec<PlayMode>,
}

#[derive(Debug, Serialize, Deserialize, Validate)]
struct Envelope<R> {
    retcode: String,
    #[validate(response)]
    result: Option<R>,
}

fn participant(json: &str) -> Participant {
    serde_json::from_str(json).unwrap()
}

#[test]
fn unlisted_codes_are_refused_in_requests_only() {
    let odd = participant(r#"{"addressType":"3","deviceType":77,"modes":[]}"#);
    assert_eq!(odd.address_type, AddressType::Other("3".to_owned()));
    let violations = odd.validate().unwrap_err();
    assert_eq!(
        violations.to_string(),
        "addressType: \"3\" is not one of the accepted AddressType codes \"6\", \"9\""
    );
    assert_eq!(
        violations.as_slice()[0].constraint,
        Constraint::Code {
            table: "AddressType",
            accepted: "\"6\", \"9\"".to_owned()
        }
    );
    // Received from a gateway, the same value is kept and valid.
    odd.validate_response().unwrap();
    let mut sink = Violations::default();
    odd.validate_into(&mut ValidationContext::with_direction(
        &mut sink,
        Direction::Response,
    ));
    assert!(sink.is_empty());
}

#[test]
fn an_envelope_validates_its_result_as_a_response() {
    let envelope: Envelope<Participant> =
        serde_json::from_str(r#"{"retcode":"0","result":{"addressType":"3","modes":[1]}}"#)
            .unwrap();
    // The unlisted address type passes; the field's code subset still applies.
    let violations = envelope.validate().unwrap_err();
    assert_eq!(
        violations.to_string(),
        "result.modes[0]: 1 is not one of the accepted PlayMode codes 2"
    );
}

#[test]
fn a_subset_of_codes_is_enforced_through_option_and_arrays() {
    let ok = participant(r#"{"addressType":"6","playMode":2,"modes":[2,2]}"#);
    ok.validate().unwrap();
    let bad = participant(r#"{"addressType":"9","playMode":1,"modes":[2,1]}"#);
    let lines: Vec<String> = bad
        .validate()
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            "playMode: 1 is not one of the accepted PlayMode codes 2",
            "modes[1]: 1 is not one of the accepted PlayMode codes 2",
        ]
    );
}

#[test]
fn a_table_that_keeps_codes_keeps_them_in_requests_too() {
    let ok = participant(r#"{"addressType":"6","deviceType":77,"modes":[]}"#);
    ok.validate().unwrap();
    assert_eq!(DeviceType::from_code(77).unwrap(), DeviceType::Other(77));
}

/// A result: only ever received, so `validate()` checks it as a response.
#[derive(Debug, Deserialize, Validate)]
#[validate(response)]
#[serde(rename_all = "camelCase")]
struct Received {
    participants: Vec<Participant>,
}

#[test]
fn a_received_type_validates_as_a_response_by_default() {
    let received: Received =
        serde_json::from_str(r#"{"participants":[{"addressType":"3","modes":[2]}]}"#).unwrap();
    assert_eq!(Received::DIRECTION, Direction::Response);
    assert!(
        received.validate().is_ok(),
        "a kept code is not a violation"
    );
    // Sent back as part of a request, the same participant is refused.
    assert_eq!(Participant::DIRECTION, Direction::Request);
    let violations = received.participants[0].validate().unwrap_err();
    assert_eq!(violations.iter().next().unwrap().path, "addressType");
}
