//! The edge-case spec's generated code (tests/specs/codegen, checked in by tests/codegen.rs)
//! compiles without warnings and behaves: keyword fields, optional values, 64-bit and closed code
//! tables, constrained scalars, several URI parameters.
#![deny(warnings)]

mod edge {
    include!("../../specs/codegen/edge_cases.rs");
}

use edge::calls::{RequestConfRequest, SayBusy, SayBusyPath, StartCallPath, StartCallRequest};
use gatespec::Interface;
use edge::{Keyword, Leg, MemberCount, Mode, PlayMode, Wide};
use gatespec::{CodeEnum, Validate};

// `main` reads a deprecated field and code on purpose; the generated module itself compiles
// without a warning under `deny(warnings)`.
#[allow(deprecated)]
fn main() {
    let leg: Leg = serde_json::from_str(
        r#"{"type":"x","self":1,"3way":true,"content_type":5,"match":[0,1,2,7],"wide":5000000000,"mode":"b"}"#,
    )
    .unwrap();
    assert_eq!(leg.r#type, "x");
    assert_eq!(leg.self_, Some(1));
    assert_eq!(leg._3way, Some(true));
    assert_eq!(leg.content_type_code, Some(5));
    assert_eq!(
        leg.r#match.as_deref(),
        Some(&[Keyword::Type, Keyword::Self_, Keyword::Other, Keyword::Unlisted(7)][..])
    );
    assert_eq!(leg.wide, Some(Wide::Big));
    assert_eq!(leg.mode, Mode::Beta);
    // `match` allows at most 3 codes.
    assert_eq!(leg.validate().unwrap_err().iter().next().unwrap().path, "match");
    // `dial` takes digits, `*` and `#` only.
    let dialled: Leg = serde_json::from_str(r#"{"type":"x","mode":"a","dial":"*99#"}"#).unwrap();
    dialled.validate().unwrap();
    let bad: Leg = serde_json::from_str(r#"{"type":"x","mode":"a","dial":"99a"}"#).unwrap();
    assert!(bad.validate().unwrap_err().to_string().contains("does not match `^[0-9*#]+$`"));
    // The closed table refuses unknown codes.
    assert!(serde_json::from_str::<Mode>(r#""z""#).is_err());
    assert_eq!(Wide::from_code(-1).unwrap(), Wide::Negative);

    // Query-string parameters travel in the same struct as the URI parameters.
    let busy = SayBusyPath { agentid: "153".to_owned(), reason: Some(3), note: "back at 3".to_owned() };
    assert_eq!(gatespec::path_of(&busy), "/edge/calls/153/saybusy?reason=3&note=back%20at%203");
    assert_eq!(SayBusy::QUERY, &["reason", "note"]);
    let quiet = SayBusyPath { reason: None, ..busy.clone() };
    assert_eq!(gatespec::path_of(&quiet), "/edge/calls/153/saybusy?note=back%20at%203");
    assert!(SayBusyPath { reason: Some(100), ..busy }.validate().is_err());

    let path = StartCallPath { agentid: "153".to_owned(), leg: 2 };
    assert_eq!(gatespec::path_of(&path), "/edge/calls/153/legs/2/start");
    let request = StartCallRequest {
        caller: None,
        members: MemberCount::try_from(4).unwrap(),
        legs: vec![],
        primary: None,
    };
    assert_eq!(serde_json::to_string(&request).unwrap(), r#"{"members":4,"legs":[]}"#);
    // The default edition (v1) allows 120 members; v2 would allow 240.
    assert!(MemberCount::try_from(121).is_err());

    // Values sent as strings are read as their documented types, and written back as such.
    let conf: RequestConfRequest =
        serde_json::from_str(r#"{"memberNum":4,"time":"50","beepTone":"true","playMode":"1"}"#).unwrap();
    assert_eq!(conf.time, Some(50));
    assert_eq!(conf.play_mode, Some(PlayMode::Tone));
    assert_eq!(
        serde_json::to_string(&conf).unwrap(),
        r#"{"memberNum":4,"time":50,"beepTone":true,"playMode":1}"#
    );
    // voicePath is mandatory when beepTone is true.
    let violations = conf.validate().unwrap_err();
    assert_eq!(violations.iter().next().unwrap().path, "voicePath");
    assert!(violations.to_string().contains("is mandatory when `beepTone` is true"));
    // Defaults the gateway assumes for absent values.
    let bare: RequestConfRequest = serde_json::from_str(r#"{"memberNum":4}"#).unwrap();
    bare.validate().unwrap();
    assert_eq!(bare.time_or_default(), 60);
    assert!(!bare.beep_tone_or_default());
    assert_eq!(bare.play_mode_or_default(), PlayMode::File);
    assert_eq!(bare.voice_path_or_default(), "y:/default.V3");
    assert!(serde_json::from_str::<RequestConfRequest>(r#"{"memberNum":4,"beepTone":"yes"}"#).is_err());
}
