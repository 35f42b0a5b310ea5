//! Push mode on the client side, against the simulator over loopback: a heartbeat task keeps
//! calling `handshake` for its session until its guard is dropped or the session signed out,
//! and the runtime's callback router accepts pushed events only with a registered session's
//! current Guid (renewals included) and the service token, refusing the rest with the spec's
//! envelope and codes; the generated router fixes the spec's event enum and token header.

mod loopback;

use std::time::Duration;

use agentgateway::Event;
use agentgateway::onlineagent::{
    HandShake, HandShakePath, Login, LoginPath, LoginRequest, Logout, LogoutPath, OnlineagentClient,
};
use gatespec::callback::{CallbackEndpoint, CallbackSessions, Delivery};
use gatespec::client::Session;
use loopback::{Gateway, id};
use serde::Deserialize;
use tokio::sync::mpsc;

const DATA: &str = r#"
agents:
  - {id: "1001", role: agent, vdn: 1, password: pw1001}
  - {id: "1002", role: agent, vdn: 1, password: pw1002}
"#;

async fn sign_in(gw: &Gateway, who: &str) -> Session {
    let login = LoginRequest::new(format!("pw{who}"), "40038".to_owned());
    Session::sign_in::<Login>(&gw.client(), &LoginPath { agentid: id(who) }, &login)
        .await
        .unwrap()
        .0
}

async fn last_beat(gw: &Gateway, who: &str) -> Option<i64> {
    gw.sim.session_of(who).await.and_then(|s| s.last_heartbeat)
}

#[tokio::test]
async fn the_heartbeat_beats_until_dropped_or_signed_out() {
    let gw = Gateway::start(DATA).await;
    let session = sign_in(&gw, "1001").await;
    let beat = Duration::from_millis(40);
    let heartbeat = session.heartbeat::<HandShake>(
        HandShakePath {
            agentid: id("1001"),
        },
        beat,
    );
    assert_eq!(
        last_beat(&gw, "1001").await,
        None,
        "the first beat comes one interval later"
    );
    tokio::time::sleep(beat * 3).await;
    let first = last_beat(&gw, "1001").await.expect("beaten");
    tokio::time::sleep(beat * 3).await;
    let later = last_beat(&gw, "1001").await.unwrap();
    assert!(later > first, "it keeps beating");
    assert!(heartbeat.is_running());
    drop(heartbeat);
    tokio::time::sleep(beat * 2).await;
    let stopped = last_beat(&gw, "1001").await.unwrap();
    tokio::time::sleep(beat * 3).await;
    assert_eq!(
        last_beat(&gw, "1001").await.unwrap(),
        stopped,
        "no beat after the drop"
    );

    // Signed out: the task ends by itself.
    let heartbeat = session.heartbeat::<HandShake>(
        HandShakePath {
            agentid: id("1001"),
        },
        beat,
    );
    session
        .sign_out::<Logout>(
            &LogoutPath {
                agentid: id("1001"),
            },
            &(),
        )
        .await
        .unwrap();
    tokio::time::sleep(beat * 3).await;
    assert!(!heartbeat.is_running());

    // Refused by the gateway (the session was replaced elsewhere): the task ends too.
    let other = sign_in(&gw, "1002").await;
    let stale = Session::resume(&gw.client(), "stale.AgentGateway0");
    let refused = stale.heartbeat::<HandShake>(
        HandShakePath {
            agentid: id("1002"),
        },
        beat,
    );
    tokio::time::sleep(beat * 3).await;
    assert!(!refused.is_running());
    // Every clone of a session dropped: its heartbeat ends.
    let orphan = other.heartbeat::<HandShake>(
        HandShakePath {
            agentid: id("1002"),
        },
        beat,
    );
    drop(other);
    tokio::time::sleep(beat * 3).await;
    assert!(!orphan.is_running());
}

/// A pushed event as the reference describes it (the spec's typed event enum replaces it).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PushedEvent {
    event_type: String,
    work_no: String,
    content: Option<serde_json::Value>,
}

const CALLBACK: &str = "/service-cloud/rest/cc-ai/v1/agentevent/pushresult";

#[tokio::test]
async fn the_callback_router_hands_registered_sessions_events_to_the_application() {
    let gw = Gateway::start(DATA).await;
    let first = sign_in(&gw, "1001").await;
    let second = sign_in(&gw, "1002").await;
    let sessions = CallbackSessions::new();
    sessions.register(&first);
    sessions.register(&second);
    let (tx, mut rx) = mpsc::channel::<Delivery<PushedEvent>>(8);
    let app = CallbackEndpoint::new(&agentgateway::PROTOCOL, sessions.clone())
        .service_token("service_token", "s3cret")
        .router(CALLBACK, tx);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}{CALLBACK}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let _ = gatespec::server::axum::serve(listener, app).await;
    });
    let http = reqwest::Client::new();
    let push = |guid: Option<String>, token: Option<&'static str>, body: &'static str| {
        let mut request = http
            .post(&url)
            .header("Content-Type", "application/json; charset=UTF-8")
            .body(body);
        if let Some(guid) = guid {
            request = request.header("Guid", guid);
        }
        if let Some(token) = token {
            request = request.header("service_token", token);
        }
        async move {
            let answer: serde_json::Value =
                serde_json::from_str(&request.send().await.unwrap().text().await.unwrap()).unwrap();
            answer["retcode"].as_str().unwrap().to_owned()
        }
    };
    const READY: &str = r#"{"eventType":"AgentState_Ready","workNo":"1002","content":null}"#;

    assert_eq!(push(second.session_id(), Some("s3cret"), READY).await, "0");
    let delivery = rx.recv().await.unwrap();
    assert_eq!(delivery.event.event_type, "AgentState_Ready");
    assert_eq!(delivery.event.work_no, "1002");
    assert!(delivery.event.content.is_none());
    assert_eq!(
        delivery.session.caller().as_deref(),
        Some("1002"),
        "the right agent"
    );

    // Refusals, in the spec's codes; nothing reaches the application.
    assert_eq!(push(None, Some("s3cret"), READY).await, "100-006");
    assert_eq!(
        push(Some("nobody".to_owned()), Some("s3cret"), READY).await,
        "000-003"
    );
    assert_eq!(
        push(first.session_id(), Some("guess"), READY).await,
        "000-003"
    );
    assert_eq!(push(first.session_id(), None, READY).await, "000-003");
    assert_eq!(
        push(first.session_id(), Some("s3cret"), r#"{"eventType":7}"#).await,
        "000-002"
    );
    assert!(rx.try_recv().is_err());

    // A renewed Guid is accepted, the old one no longer.
    let old = first.session_id();
    OnlineagentClient::new(first.clone())
        .update_guid(id("1001"))
        .await
        .unwrap();
    assert_ne!(first.session_id(), old);
    assert_eq!(push(old, Some("s3cret"), READY).await, "000-003");
    assert_eq!(push(first.session_id(), Some("s3cret"), READY).await, "0");
    assert_eq!(
        rx.recv().await.unwrap().session.caller().as_deref(),
        Some("1001")
    );

    // Unregistered: refused.
    sessions.unregister(&first);
    assert_eq!(
        push(first.session_id(), Some("s3cret"), READY).await,
        "000-003"
    );
    server.abort();
}

#[tokio::test]
async fn the_generated_callback_router_decodes_the_specs_events_and_checks_its_token_header() {
    let gw = Gateway::start(DATA).await;
    let agent = sign_in(&gw, "1001").await;
    let sessions = CallbackSessions::new();
    sessions.register(&agent);
    let (tx, mut rx) = mpsc::channel(8);
    let app = agentgateway::events::callback_router(CALLBACK, sessions, "s3cret".to_owned(), tx);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}{CALLBACK}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let _ = gatespec::server::axum::serve(listener, app).await;
    });
    let http = reqwest::Client::new();
    let guid = agent.session_id().unwrap();
    let push = |token: &'static str, body: &'static str| {
        let request = http
            .post(&url)
            .header("Content-Type", "application/json; charset=UTF-8")
            .header("Guid", &guid)
            .header("service_token", token)
            .body(body);
        async move {
            let answer: serde_json::Value =
                serde_json::from_str(&request.send().await.unwrap().text().await.unwrap()).unwrap();
            answer["retcode"].as_str().unwrap().to_owned()
        }
    };

    // Typed by the spec's catalogue, unknown types kept whole.
    let ready = r#"{"eventType":"AgentState_Ready","workNo":"1001","content":null}"#;
    assert_eq!(push("s3cret", ready).await, "0");
    let delivery: Delivery<Event> = rx.recv().await.unwrap();
    assert_eq!(
        delivery.event,
        Event::AgentStateReady {
            agent: "1001".to_owned()
        }
    );
    assert_eq!(delivery.session.caller().as_deref(), Some("1001"));
    let unknown = r#"{"eventType":"AgentMedia_Something","workNo":"1001","content":{"x":1}}"#;
    assert_eq!(push("s3cret", unknown).await, "0");
    let Event::Unknown(raw) = rx.recv().await.unwrap().event else {
        panic!("an unlisted event type is kept as the unknown variant")
    };
    assert_eq!(raw.event_type, "AgentMedia_Something");

    // The spec's service-token header is checked; the spec's method only.
    assert_eq!(push("guess", ready).await, "000-003");
    let get = http.get(&url).header("Guid", &guid).send().await.unwrap();
    assert_eq!(get.status(), reqwest::StatusCode::METHOD_NOT_ALLOWED);
    assert!(rx.try_recv().is_err());
    server.abort();
}
