//! The generated validators enforce what the spec says, on the edge-case spec's bindings
//! (tests/specs/codegen, checked in by tests/codegen.rs): codes kept in responses but refused in
//! requests, allowed codes, rules between fields, a scalar on several wire types, single-value
//! results and query parameters; and the names the model chose where the usual one was taken.
//! Its examples run here as tests too (`edge::examples`). Also how tables with optional fields
//! are built (`new` from the mandatory fields, `with_` setters, `Default` where every field is
//! optional), here and in the AgentGateway bindings.

// Not every generated item is used here; the trybuild case uses more of them.
#[allow(dead_code)]
mod edge {
    include!("specs/codegen/edge_cases.rs");
}

use edge::calls::{
    CurrentMode, CurrentModeResult, ListCallsResult, ListKeywords, ListKeywordsResult,
    RequestConfRequest, StartCallRequest, TransferChair, TransferChairRequest, TransferChairResult,
};
use edge::{AgentNumber, Keyword, Leg, MemberCount, Mode, PlayMode, Reply};
use gatespec::{Constraint, Interface, Validate};

fn leg(codes: &str) -> Leg {
    serde_json::from_str(&format!(r#"{{"type":"x","mode":"a","match":{codes}}}"#)).unwrap()
}

fn messages(value: &impl Validate) -> Vec<String> {
    match value.validate() {
        Ok(()) => Vec::new(),
        Err(violations) => violations.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn unlisted_codes_are_kept_in_responses_and_refused_in_requests() {
    // Keyword is reached from a result (listCalls) and from a request (startCall), and says
    // nothing about unknown codes: kept when a gateway sends one, refused in a request.
    let odd = leg("[0,7]");
    assert_eq!(odd.r#match.as_deref().unwrap()[1], Keyword::Unlisted(7));
    let request = StartCallRequest::new(MemberCount::try_from(4).unwrap(), vec![odd.clone()]);
    assert_eq!(
        messages(&request),
        ["legs[0].match[1]: 7 is not one of the accepted Keyword codes 0, 1, 2"]
    );
    let response: Reply<ListCallsResult> = serde_json::from_str(
        r#"{"msg":"","code":0,"data":{"legs":[{"type":"x","mode":"a","match":[7]}]}}"#,
    )
    .unwrap();
    response.validate().unwrap();
    ListCallsResult { legs: vec![odd] }
        .validate_response()
        .unwrap();
    // A table that says `reject` has no fallback at all.
    assert!(serde_json::from_str::<Mode>(r#""z""#).is_err());
}

#[test]
fn allowed_codes_are_enforced_in_fields_arrays_and_results() {
    let conf: RequestConfRequest = serde_json::from_str(r#"{"memberNum":4,"holdMode":1}"#).unwrap();
    let violations = conf.validate().unwrap_err();
    let v = violations.iter().next().unwrap();
    assert_eq!(v.path, "holdMode");
    assert_eq!(
        v.constraint,
        Constraint::Code {
            table: "PlayMode",
            accepted: "2".to_owned()
        }
    );
    let chair: TransferChairRequest =
        serde_json::from_str(r#"{"destAgentNo":2001,"modes":[2,1]}"#).unwrap();
    assert_eq!(
        messages(&chair),
        ["modes[1]: 1 is not one of the accepted PlayMode codes 2"]
    );
    let mode: Reply<CurrentModeResult> =
        serde_json::from_str(r#"{"msg":"","code":0,"data":1}"#).unwrap();
    assert_eq!(
        messages(&mode),
        ["data: 1 is not one of the accepted PlayMode codes 2"]
    );
    assert_eq!(
        mode.result.map(|r| r.0),
        Some(PlayMode::Tone),
        "the value still decodes; only validation refuses it"
    );
}

#[test]
fn enforced_rules_between_fields() {
    // promptTime below time, with time's default (60) when absent.
    let late: RequestConfRequest =
        serde_json::from_str(r#"{"memberNum":4,"promptTime":60}"#).unwrap();
    assert_eq!(
        messages(&late),
        ["promptTime: 60 is not less than `time` (60)"]
    );
    let fine: RequestConfRequest =
        serde_json::from_str(r#"{"memberNum":4,"promptTime":59}"#).unwrap();
    fine.validate().unwrap();
    let short: RequestConfRequest =
        serde_json::from_str(r#"{"memberNum":4,"time":5,"promptTime":5}"#).unwrap();
    assert_eq!(
        messages(&short),
        ["promptTime: 5 is not less than `time` (5)"]
    );
    // videoLayout only with mediaAbility 1 (absent counts as its default, 0).
    let audio: RequestConfRequest =
        serde_json::from_str(r#"{"memberNum":4,"videoLayout":"2x2"}"#).unwrap();
    assert_eq!(
        messages(&audio),
        ["videoLayout: is set, but it is only meaningful when `mediaAbility` is 1"]
    );
    let video: RequestConfRequest =
        serde_json::from_str(r#"{"memberNum":4,"mediaAbility":1,"videoLayout":"2x2"}"#).unwrap();
    video.validate().unwrap();
    // An explained rule is documentation only: voicePath without beepTone passes.
    let quiet: RequestConfRequest =
        serde_json::from_str(r#"{"memberNum":4,"voicePath":"y:/a.V3"}"#).unwrap();
    quiet.validate().unwrap();
    // phones and agents together hold at most 3.
    let crowd: TransferChairRequest =
        serde_json::from_str(r#"{"destAgentNo":2001,"phones":["1","2"],"agents":["154","155"]}"#)
            .unwrap();
    assert_eq!(
        messages(&crowd),
        ["`phones` and `agents` total 4, expected at most 3"]
    );
}

#[test]
fn one_scalar_travels_as_a_number_and_as_a_string() {
    let chair: TransferChairRequest = serde_json::from_str(
        r#"{"destAgentNo":2001,"backupAgentNo":2002,"memberText":"4","agents":["154"]}"#,
    )
    .unwrap();
    assert_eq!(chair.dest_agent_no, AgentNumber::try_from("2001").unwrap());
    assert_eq!(chair.member_text, Some(MemberCount::try_from(4).unwrap()));
    assert_eq!(
        serde_json::to_string(&chair).unwrap(),
        r#"{"destAgentNo":2001,"backupAgentNo":2002,"memberText":"4","agents":["154"]}"#
    );
    // The scalar's range applies on every wire type (the default edition: 101..=59999).
    for body in [
        r#"{"destAgentNo":60000}"#,
        r#"{"destAgentNo":100}"#,
        r#"{"destAgentNo":"2001"}"#,
        r#"{"destAgentNo":2001,"memberText":"121"}"#,
        r#"{"destAgentNo":2001,"memberText":4}"#,
    ] {
        assert!(
            serde_json::from_str::<TransferChairRequest>(body).is_err(),
            "{body} must not decode"
        );
    }
}

#[test]
fn single_value_results() {
    let call: Reply<TransferChairResult> =
        serde_json::from_str(r#"{"msg":"","code":0,"data":"1234-5678"}"#).unwrap();
    assert_eq!(
        call.result.as_ref().map(|r| r.0.as_str()),
        Some("1234-5678")
    );
    call.validate().unwrap();
    let long: Reply<TransferChairResult> = serde_json::from_str(&format!(
        r#"{{"msg":"","code":0,"data":"{}"}}"#,
        "9".repeat(33)
    ))
    .unwrap();
    assert_eq!(
        long.validate().unwrap_err().iter().next().unwrap().path,
        "data"
    );
    // Without rules of its own, the result is the value's type itself.
    let keywords: ListKeywordsResult = vec![Keyword::Type, Keyword::Unlisted(9)];
    let reply: Reply<ListKeywordsResult> =
        serde_json::from_str(r#"{"msg":"","code":0,"data":[0,9]}"#).unwrap();
    assert_eq!(reply.result, Some(keywords));
    reply.validate().unwrap();
    assert_eq!(CurrentMode::PATH, "/edge/calls/mode");
}

fn signed_in<I: Interface>() -> bool {
    <I::Access as gatespec::Access>::SIGNED_IN
}

#[test]
fn a_condition_prerequisite_does_not_ask_for_a_session() {
    // transferChair: signed in, plus a condition the server cannot check.
    assert!(signed_in::<TransferChair>());
    assert_eq!(TransferChair::QUERY, &["reason"]);
    // listKeywords: only a condition, so no session is needed.
    assert!(!signed_in::<ListKeywords>());
}

#[test]
fn a_table_with_optional_fields_is_built_from_its_mandatory_ones() {
    let members = MemberCount::try_from(4).unwrap();
    let bare = RequestConfRequest::new(members);
    assert_eq!(
        serde_json::to_value(&bare).unwrap(),
        serde_json::json!({"memberNum": 4}),
        "the optional fields are absent"
    );
    bare.validate().unwrap();
    let full = RequestConfRequest::new(members)
        .with_time(30)
        .with_beep_tone(true)
        .with_voice_path("y:/conf/1.V3".to_owned())
        .with_hold_mode(PlayMode::File);
    assert_eq!(
        serde_json::to_value(&full).unwrap(),
        serde_json::json!({"memberNum": 4, "time": 30, "beepTone": true, "voicePath": "y:/conf/1.V3", "holdMode": 2})
    );
    full.validate().unwrap();
    // Setters do not validate; validate() (run by the client and the server) does.
    let out_of_range = RequestConfRequest::new(MemberCount::try_from(4).unwrap()).with_time(2);
    assert_eq!(
        messages(&out_of_range),
        [
            "time: 2 is not in 4..=1440",
            "promptTime: 3 is not less than `time` (2)"
        ]
    );
}

#[test]
fn agentgateway_requests_and_results_are_built_without_naming_every_field() {
    use agentgateway::SignInStatus;
    use agentgateway::onlineagent::{LoginRequest, LoginResult};

    // Sign-in: 2 mandatory fields, 9 optional ones.
    let login = LoginRequest::new("pw".to_owned(), "40038".to_owned())
        .with_status(SignInStatus::Idle)
        .with_autoanswer(false);
    assert_eq!(
        serde_json::to_value(&login).unwrap(),
        serde_json::json!({"password": "pw", "phonenum": "40038", "autoanswer": false, "status": 4})
    );
    login.validate().unwrap();
    assert!(!login.autoanswer_or_default() && login.releasephone_or_default());
    // Sign-in's result has no mandatory field: `Default`, then setters.
    let result = LoginResult::default()
        .with_workno("153".to_owned())
        .with_vdnid(1);
    assert_eq!(
        serde_json::to_value(&result).unwrap(),
        serde_json::json!({"vdnid": 1, "workno": "153"})
    );
}

#[test]
fn the_catalogue_keeps_unlisted_codes_under_a_free_name() {
    use gatespec::CodeEnum;
    // The spec names error "7" `other`, so the variant for unlisted codes is `Unlisted`.
    assert_eq!(
        edge::ErrorCode::from_code("7").unwrap(),
        edge::ErrorCode::Other
    );
    assert_eq!(
        edge::ErrorCode::from_code("99").unwrap(),
        edge::ErrorCode::Unlisted("99".to_owned())
    );
}

/// A result is only ever received: its `validate()` checks it as a response, so a code the
/// table keeps without listing it is no violation; a table that requests also carry still
/// refuses it there.
#[test]
fn results_validate_as_responses() {
    use agentgateway::agentconf::{BatchRemoveParticipantResult, QueryConfInfosResult};
    use agentgateway::{ConfInfo, ParticipantAddress};
    let conf: QueryConfInfosResult = serde_json::from_str(
        r#"{"confs":[{"confId":1,"confState":0,"startTime":1,"applyConfTime":60,"confHaveBeenTime":0,
            "addresses":[{"addressType":"3","address":"70005","deviceCallType":0,"deviceType":1,
            "channelAttrib":3,"channelState":0,"role":0,"enterTime":1}]}]}"#,
    )
    .unwrap();
    assert!(conf.validate().is_ok(), "{:?}", conf.validate());
    assert_eq!(ConfInfo::DIRECTION, gatespec::Direction::Response);

    // ParticipantAddress travels both ways (batchremoveparticipant's request and result).
    let removed: BatchRemoveParticipantResult =
        serde_json::from_str(r#"{"noExistParticipants":[{"addressType":"3","address":"1"}]}"#)
            .unwrap();
    assert!(removed.validate().is_ok());
    let address = &removed.no_exist_participants[0];
    assert_eq!(ParticipantAddress::DIRECTION, gatespec::Direction::Request);
    assert!(address.validate().is_err(), "a request may not send code 3");
    assert!(address.validate_response().is_ok());
}
