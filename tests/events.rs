//! Generated event catalogues: typed variants decoded by the event type, unlisted types and
//! undecodable content kept whole (never an error), content validated with its rules, the
//! polling interface's optional event through the envelope, and the member names each spec
//! declares (the edge-case spec writes `{"kind", "who", "body"}` in a `data` member, the
//! AgentGateway `{"eventType", "workNo", "content"}` in an `event` member).

#[allow(dead_code)]
mod edge {
    include!("specs/codegen/edge_cases.rs");
}

use agentgateway::agentevent::GetAgentEvent;
use agentgateway::onlineagent::HandShake;
use agentgateway::{ParticipantAddressType, ParticipantChangeType};
use gatespec::client::{ClientError, decode_answer};
use gatespec::{EventCatalogue, HeartbeatInterface, Interface, PollingInterface, Validate};

fn edge_event(json: &str) -> edge::Event {
    serde_json::from_str(json).expect("an event object always decodes")
}

#[test]
fn edge_events_decode_by_type_with_the_declared_member_names() {
    let quota = edge_event(r#"{"kind":"QUOTA_CHANGED","who":"153","body":{"used":3,"limit":10}}"#);
    let edge::Event::QuotaChanged { agent, content } = &quota else {
        panic!("{quota:?}");
    };
    assert_eq!(
        (agent.as_str(), content.used, content.limit),
        ("153", 3, 10)
    );
    assert_eq!(quota.event_type(), "QUOTA_CHANGED");
    // The spec's own `Unknown` event is a listed type; unlisted ones go to `Unlisted`.
    let named_unknown = edge_event(r#"{"kind":"Unknown","who":"9","body":null}"#);
    assert!(matches!(named_unknown, edge::Event::Unknown { .. }));
    let dotted = edge_event(r#"{"kind":"call.ringing","who":"9","body":[1,{"x":null}]}"#);
    let edge::Event::CallRinging { content, .. } = &dotted else {
        panic!("{dotted:?}");
    };
    assert_eq!(content, &serde_json::json!([1, {"x": null}]));
    assert_eq!(
        <edge::Event as EventCatalogue>::TYPES,
        ["Unknown", "call.ringing", "QUOTA_CHANGED"]
    );
}

#[test]
fn unlisted_types_and_undecodable_content_are_kept_whole() {
    let text = r#"{"kind":"call.released","who":"153","body":{"cause":[1,2]}}"#;
    let unlisted = edge_event(text);
    let raw = unlisted.raw().expect("kept whole");
    assert_eq!(raw.event_type, "call.released");
    assert_eq!(raw.error, None);
    assert_eq!(
        serde_json::to_value(&unlisted).unwrap(),
        serde_json::from_str::<serde_json::Value>(text).unwrap()
    );
    // A listed type whose content does not decode: kept, with the JSON path of the problem.
    let text = r#"{"kind":"QUOTA_CHANGED","who":"153","body":{"used":"three","limit":10}}"#;
    let malformed = edge_event(text);
    let edge::Event::Unlisted(raw) = &malformed else {
        panic!("{malformed:?}");
    };
    let error = raw.error.as_ref().expect("the decode error is attached");
    assert_eq!(error.path, "body.used");
    assert_eq!(
        serde_json::to_value(&malformed).unwrap(),
        serde_json::from_str::<serde_json::Value>(text).unwrap()
    );
    // An event without content that carries some is kept too.
    let extra = edge_event(r#"{"kind":"Unknown","who":"9","body":{"x":1}}"#);
    assert_eq!(
        extra
            .raw()
            .and_then(|r| r.error.as_ref())
            .map(|e| e.path.as_str()),
        Some("body")
    );
    // Only an object without its type member is not an event at all.
    assert!(serde_json::from_str::<edge::Event>(r#"{"who":"9"}"#).is_err());
}

#[test]
fn event_content_is_validated_with_its_rules() {
    let broken =
        edge_event(r#"{"kind":"QUOTA_CHANGED","who":"153","body":{"used":10,"limit":10}}"#);
    let violations = broken.validate().unwrap_err();
    let paths: Vec<&str> = violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["body.used"]);
    let out_of_range =
        edge_event(r#"{"kind":"QUOTA_CHANGED","who":"153","body":{"used":5000,"limit":9000}}"#);
    assert!(
        out_of_range
            .validate()
            .unwrap_err()
            .to_string()
            .contains("body.used")
    );
}

#[test]
fn edge_polling_answers_carry_the_event_in_the_result_member() {
    let idle = decode_answer::<edge::calls::NextEvent>(200, br#"{"msg":"","code":0}"#).unwrap();
    assert_eq!(idle, None);
    let event = decode_answer::<edge::calls::NextEvent>(
        200,
        br#"{"msg":"","code":0,"data":{"kind":"Unknown","who":"153"}}"#,
    )
    .unwrap();
    assert!(matches!(event, Some(edge::Event::Unknown { ref agent }) if agent == "153"));
}

#[test]
fn agentgateway_polling_answers() {
    assert_eq!(GetAgentEvent::ENVELOPE.result, "event");
    let none = decode_answer::<GetAgentEvent>(200, br#"{"message":"","retcode":"0"}"#).unwrap();
    assert!(none.is_none());
    let body = br#"{"message":"","retcode":"0","event":{"eventType":"AgentConf_ParticipantChanged","workNo":"154","content":{"result":0,"changeReason":255,"changeType":3,"confId":1031168,"participant":"154","participantType":9,"deviceCallType":0,"deviceType":0}}}"#;
    let Some(agentgateway::Event::AgentConfParticipantChanged { agent, content }) =
        decode_answer::<GetAgentEvent>(200, body).unwrap()
    else {
        panic!("not a participant change");
    };
    assert_eq!(agent, "154");
    assert_eq!(content.change_type, ParticipantChangeType::Muted);
    assert_eq!(content.participant_type, ParticipantAddressType::AgentId);
    // A newer gateway's change type is kept by the code table, not refused.
    let newer = String::from_utf8_lossy(body).replace(r#""changeType":3"#, r#""changeType":9"#);
    let Some(agentgateway::Event::AgentConfParticipantChanged { content, .. }) =
        decode_answer::<GetAgentEvent>(200, newer.as_bytes()).unwrap()
    else {
        panic!("not a participant change");
    };
    assert_eq!(content.change_type, ParticipantChangeType::Other(9));
    // A malformed listed event does not fail the answer: it is kept whole with the error.
    let malformed = String::from_utf8_lossy(body).replace(r#""confId":1031168"#, r#""confId":"x""#);
    let event = decode_answer::<GetAgentEvent>(200, malformed.as_bytes())
        .unwrap()
        .unwrap();
    let raw = event.raw().unwrap();
    assert_eq!(raw.error.as_ref().unwrap().path, "content.confId");
    // Failures stay failures.
    let refused = decode_answer::<GetAgentEvent>(200, br#"{"message":"","retcode":"100-006"}"#);
    assert!(matches!(refused, Err(ClientError::Gateway(_))));
}

fn polling<P: PollingInterface>() -> &'static str {
    P::LOG_NAME
}

fn heartbeat<H: HeartbeatInterface>() -> &'static str {
    H::LOG_NAME
}

#[test]
fn agentgateway_declares_its_event_interfaces_and_callback() {
    assert_eq!(polling::<GetAgentEvent>(), "getAgentEvent");
    assert_eq!(heartbeat::<HandShake>(), "handShake");
    let format = <agentgateway::Event as EventCatalogue>::FORMAT;
    assert_eq!(
        (format.event_type, format.agent, format.content),
        ("eventType", "workNo", "content")
    );
    let callback = <agentgateway::Event as EventCatalogue>::CALLBACK.unwrap();
    assert_eq!(
        callback.path,
        "/service-cloud/rest/cc-ai/v1/agentevent/pushresult"
    );
    assert_eq!(callback.log_name, "pushEvent");
    assert_eq!(callback.headers, ["Content-Type", "Guid", "service_token"]);
    assert_eq!(callback.token_header, Some("service_token"));
    assert_eq!(callback.method, gatespec::Method::Post);
    assert!(<edge::Event as EventCatalogue>::CALLBACK.is_none());
    // The pushed body is the bare event object.
    let pushed: agentgateway::Event = serde_json::from_str(
        r#"{"eventType":"AgentOther_PhoneRelease","workNo":"291","content":null}"#,
    )
    .unwrap();
    assert!(matches!(
        pushed,
        agentgateway::Event::AgentOtherPhoneRelease { .. }
    ));
}

/// A session calls the polling and heartbeat interfaces on its own: the generated `path_for`
/// fills the caller parameter with the session's agent (checked like any value of it) and
/// leaves the optional query parameters out.
#[test]
fn session_interfaces_build_their_path_from_the_agent() {
    let path = GetAgentEvent::path_for("153").expect("a valid agent ID");
    assert_eq!(
        gatespec::path_of(&path),
        "/agentgateway/resource/agentevent/153"
    );
    assert_eq!(
        gatespec::path_of(&HandShake::path_for("153").expect("a valid agent ID")),
        "/agentgateway/resource/onlineagent/153/handshake"
    );
    // Not an agent ID of the spec's range: no path, never a request with it.
    assert!(GetAgentEvent::path_for("7").is_none());
    assert!(HandShake::path_for("agent-7").is_none());
}

/// The spec's session timers reach the runtime as the catalogue's `TIMING`, which clients and
/// servers take as their defaults; a spec that declares none leaves every timer to them.
#[test]
fn session_timers_come_from_the_spec() {
    use std::time::Duration;
    let timing = <agentgateway::Event as EventCatalogue>::TIMING;
    assert_eq!(timing.hold, Some(Duration::from_secs(10)));
    assert_eq!(
        timing.repoll,
        Some((Duration::from_millis(200), Duration::from_millis(500)))
    );
    assert_eq!(timing.heartbeat, Some(Duration::from_secs(30)));
    assert_eq!(timing.idle_sign_out, Some(Duration::from_secs(120)));
    assert_eq!(timing.renewal, Some(Duration::from_secs(60)));
    assert_eq!(timing.renewed_valid, Some(Duration::from_secs(120)));
    let options = gatespec::client::EventStreamOptions::for_timing(&timing);
    assert_eq!(options.get_request_timeout(), Duration::from_secs(20));
    let settings = gatespec::server::live::Settings::for_timing(&timing);
    assert_eq!(
        (settings.hold_time(), settings.idle_time()),
        (Duration::from_secs(10), Duration::from_secs(120))
    );
    assert_eq!(
        <edge::Event as EventCatalogue>::TIMING,
        gatespec::EventTiming::default()
    );
}

/// A session whose agent cannot fill the polling path gets one failure, not a poll.
#[tokio::test]
async fn an_event_stream_without_a_valid_agent_fails_at_once() {
    use gatespec::client::{Client, EventStreamError, Session, StreamExt};
    let client = Client::builder("http://127.0.0.1:9").build().unwrap();
    let session = Session::resume(&client, "some-session-id");
    let mut events = session.event_stream::<GetAgentEvent>();
    let first = events.next().await.expect("one item");
    let Err(EventStreamError::Failed(ClientError::Invalid(violations))) = first else {
        panic!("{first:?}");
    };
    assert_eq!(violations.iter().next().unwrap().path, "agentid");
    assert!(events.next().await.is_none());
}
