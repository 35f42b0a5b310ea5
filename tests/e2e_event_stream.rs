//! `Session::events`: the runtime's event stream over a hand-written polling interface (its
//! result an optional event), against a scripted long-polling gateway over loopback: events in
//! order with empty answers skipped, a renewed session adopted mid-stream, session refusals and
//! transport failures counted in a row until `SessionLost`, a fatal failure, `wait_for`, and
//! dropping the stream stopping the polls.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gatespec::client::{
    Client, ClientError, EventStreamError, EventStreamOptions, LostReason, Session, StreamExt,
    WaitError,
};
use gatespec::server::axum;
use gatespec::{
    Anyone, CodeEnum, EnvelopeFormat, Interface, Method, NoDetail, PathParams, Protocol,
    RefusalCodes, RenewalHeader, RetcodeType, Validate,
};
use serde::{Deserialize, Serialize};

#[derive(CodeEnum, Debug, Clone, PartialEq)]
#[code(string)]
enum HubCode {
    #[code("1", meaning = "invalid request")]
    Invalid,
    #[code("2", meaning = "not signed in")]
    NotSignedIn,
    #[code("3", meaning = "no permission")]
    NoPermission,
    #[code(other)]
    Other(String),
}

/// A hub whose polling answer carries its event in `event` and renews sessions in
/// `X-Renewed`.
const HUB: Protocol = Protocol {
    envelope: EnvelopeFormat {
        message: "message",
        retcode: "retcode",
        result: "event",
        retcode_type: RetcodeType::Text,
        success: "0",
    },
    session_header: Some("X-Session"),
    renewal_header: Some(RenewalHeader {
        name: "X-Renewed",
        prefix: "",
        suffix: "",
    }),
    caller_param: Some("user"),
    refusals: RefusalCodes::new("1", "2", "3", "3", "9", "1"),
    catalogue: <HubCode as CodeEnum>::CODES,
};

#[derive(Serialize, Deserialize, Validate, Debug, Clone, PartialEq)]
struct PollPath {
    user: String,
}

impl PathParams for PollPath {
    fn write_path(&self, path: &mut String) {
        path.push_str("/hub/");
        gatespec::push_path_segment(path, &self.user);
        path.push_str("/events");
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Note {
    n: u32,
}

struct PollEvents;

impl Interface for PollEvents {
    const PROTOCOL: &'static Protocol = &HUB;
    const LOG_NAME: &'static str = "pollEvents";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/hub/{user}/events";
    type Access = Anyone;
    const ROLES: &'static [&'static str] = &[];
    const ERRORS: &'static [&'static str] = &[];
    type Path = PollPath;
    type Request = ();
    type Result = Option<Note>;
    type Failure = NoDetail;
    type ErrorCode = HubCode;
}

/// One scripted answer to a poll.
#[derive(Clone)]
enum Answer {
    Event(u32),
    Empty,
    Renew(&'static str, u32),
    Refuse(&'static str),
    Status(u16),
    Garbage,
}

/// The scripted gateway: answers polls from the script, then holds each poll 30 ms and
/// answers it empty; records the session header of every poll.
#[derive(Default)]
struct Script {
    answers: VecDeque<Answer>,
    sessions: Vec<String>,
}

struct Hub {
    base: String,
    script: Arc<Mutex<Script>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Hub {
    async fn start(answers: &[Answer]) -> Self {
        let script = Arc::new(Mutex::new(Script {
            answers: answers.iter().cloned().collect(),
            sessions: Vec::new(),
        }));
        let state = script.clone();
        let app = axum::Router::new().route(
            "/hub/{user}/events",
            axum::routing::get(move |headers: axum::http::HeaderMap| {
                let state = state.clone();
                async move {
                    let next = {
                        let mut script = state.lock().unwrap();
                        let session = headers
                            .get("x-session")
                            .map(|v| v.to_str().unwrap().to_owned())
                            .unwrap_or_default();
                        script.sessions.push(session);
                        script.answers.pop_front()
                    };
                    let next = match next {
                        Some(answer) => answer,
                        None => {
                            tokio::time::sleep(Duration::from_millis(30)).await;
                            Answer::Empty
                        }
                    };
                    answer(next)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { base, script, task }
    }

    fn session(&self, id: &str) -> Session {
        Session::resume(&Client::builder(&self.base).build().unwrap(), id)
    }

    fn polls(&self) -> Vec<String> {
        self.script.lock().unwrap().sessions.clone()
    }
}

fn answer(answer: Answer) -> axum::response::Response {
    use axum::response::IntoResponse;
    let event = |n: u32| format!(r#"{{"message":"","retcode":"0","event":{{"n":{n}}}}}"#);
    match answer {
        Answer::Event(n) => event(n).into_response(),
        Answer::Empty => r#"{"message":"","retcode":"0"}"#.into_response(),
        Answer::Renew(id, n) => ([("X-Renewed", id)], event(n)).into_response(),
        Answer::Refuse(code) => {
            format!(r#"{{"message":"refused","retcode":"{code}"}}"#).into_response()
        }
        Answer::Status(status) => axum::http::StatusCode::from_u16(status)
            .unwrap()
            .into_response(),
        Answer::Garbage => r#"{"message":"","retcode":"0","event":{"n":"x"}}"#.into_response(),
    }
}

fn path() -> PollPath {
    PollPath {
        user: "u1".to_owned(),
    }
}

/// Short pauses, so that tests run in milliseconds.
fn quick() -> EventStreamOptions {
    EventStreamOptions::default()
        .request_timeout(Duration::from_secs(5))
        .repoll_delay(Duration::from_millis(1), Duration::from_millis(5))
        .backoff(Duration::from_millis(5), Duration::from_millis(20))
}

#[tokio::test]
async fn events_arrive_in_order_and_a_renewal_is_adopted_mid_stream() {
    use Answer::*;
    let hub = Hub::start(&[Empty, Event(1), Renew("s-2", 2), Event(3)]).await;
    let session = hub.session("s-1");
    let mut events = session.events_with::<PollEvents, _>(path(), quick());
    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(events.next().await.unwrap().unwrap().n);
    }
    assert_eq!(got, [1, 2, 3]);
    assert_eq!(
        hub.polls(),
        ["s-1", "s-1", "s-1", "s-2"],
        "the poll after the renewal sends the new session"
    );
    assert_eq!(session.session_id().as_deref(), Some("s-2"));
    assert_eq!(session.caller().as_deref(), Some("u1"));
}

#[tokio::test]
async fn session_refusals_in_a_row_end_the_stream() {
    use Answer::*;
    // Two refusals, then an event (the count starts again), then three refusals in a row.
    let hub = Hub::start(&[
        Refuse("3"),
        Refuse("2"),
        Event(1),
        Refuse("3"),
        Refuse("3"),
        Refuse("3"),
        Event(2),
    ])
    .await;
    let mut events = hub
        .session("s-1")
        .events_with::<PollEvents, _>(path(), quick().give_up_after(3, 8));
    assert_eq!(events.next().await.unwrap().unwrap().n, 1);
    match events.next().await {
        Some(Err(EventStreamError::SessionLost {
            reason: LostReason::Refused(3),
            last: Some(ClientError::Gateway(last)),
        })) => assert_eq!(last.retcode(), "3"),
        other => panic!("expected the session lost, got {other:?}"),
    }
    assert!(events.next().await.is_none(), "the stream has ended");
    assert_eq!(hub.polls().len(), 6, "no poll after the session was lost");
}

#[tokio::test]
async fn transport_failures_back_off_and_end_the_stream() {
    use Answer::*;
    let hub = Hub::start(&[Status(503), Garbage, Event(1), Status(502), Status(503)]).await;
    let mut events = hub
        .session("s-1")
        .events_with::<PollEvents, _>(path(), quick().give_up_after(15, 2));
    // An answer that does not decode is reported, and the stream goes on.
    match events.next().await {
        Some(Err(e @ EventStreamError::Undecodable(ClientError::Decode { .. }))) => {
            assert!(!e.is_terminal());
            let chain = causes(&e);
            assert_eq!(chain.len(), 3, "stream, decode, JSON: {chain:?}");
            assert_eq!(chain[0], "undecodable event answer");
            assert!(chain[1].starts_with("undecodable response (HTTP 200)"));
            assert_each_cause_once(&chain);
        }
        other => panic!("expected an undecodable answer, got {other:?}"),
    }
    assert_eq!(events.next().await.unwrap().unwrap().n, 1);
    match events.next().await {
        Some(Err(e @ EventStreamError::SessionLost { .. })) => {
            assert!(matches!(
                e,
                EventStreamError::SessionLost {
                    reason: LostReason::Unreachable(2),
                    last: Some(ClientError::Status { status: 503, .. }),
                }
            ));
            assert!(e.is_terminal());
            let chain = causes(&e);
            assert_eq!(
                chain[..2],
                [
                    "session lost: 2 transport failures in a row",
                    "HTTP status 503"
                ]
            );
            assert_each_cause_once(&chain);
        }
        other => panic!("expected the session lost, got {other:?}"),
    }
    assert!(events.next().await.is_none());
}

/// The messages of an error and its causes, outermost first.
fn causes(error: &dyn std::error::Error) -> Vec<String> {
    std::iter::successors(Some(error), |e| e.source())
        .map(ToString::to_string)
        .collect()
}

/// No message repeats a cause's message: a reporter walking the chain prints each cause once.
fn assert_each_cause_once(chain: &[String]) {
    for (i, message) in chain.iter().enumerate() {
        for cause in &chain[i + 1..] {
            assert!(
                !message.contains(cause.as_str()),
                "`{message}` repeats its cause `{cause}`"
            );
        }
    }
}

#[tokio::test]
async fn a_failure_polling_cannot_mend_ends_the_stream() {
    let hub = Hub::start(&[Answer::Refuse("1")]).await;
    let mut events = hub
        .session("s-1")
        .events_with::<PollEvents, _>(path(), quick());
    assert!(matches!(
        events.next().await,
        Some(Err(EventStreamError::Failed(ClientError::Gateway(_))))
    ));
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn a_session_without_an_id_is_lost_at_once() {
    let hub = Hub::start(&[Answer::Event(1)]).await;
    let session = Session::anonymous(&Client::builder(&hub.base).build().unwrap());
    let mut events = session.events_with::<PollEvents, _>(path(), quick());
    assert!(matches!(
        events.next().await,
        Some(Err(EventStreamError::SessionLost {
            reason: LostReason::SignedOut,
            last: None
        }))
    ));
    assert!(hub.polls().is_empty());
}

#[tokio::test]
async fn wait_for_skips_to_the_wanted_event_or_times_out() {
    use Answer::*;
    let hub = Hub::start(&[Event(1), Event(2), Event(3)]).await;
    let mut events = hub
        .session("s-1")
        .events_with::<PollEvents, _>(path(), quick());
    let two = events
        .wait_for(Duration::from_secs(5), |note| note.n == 2)
        .await
        .unwrap();
    assert_eq!(two.n, 2);
    assert_eq!(events.next().await.unwrap().unwrap().n, 3);
    // Nothing more comes: the gateway holds and answers empty.
    assert!(matches!(
        events.wait_for(Duration::from_millis(200), |_| true).await,
        Err(WaitError::Timeout)
    ));
}

#[tokio::test]
async fn dropping_the_stream_stops_polling() {
    let hub = Hub::start(&[]).await;
    let session = hub.session("s-1");
    let mut events = session.events_with::<PollEvents, _>(path(), quick());
    assert!(matches!(
        events.wait_for(Duration::from_millis(300), |_| true).await,
        Err(WaitError::Timeout)
    ));
    let polled = hub.polls().len();
    assert!(polled >= 2, "it long-polled: {polled}");
    drop(events);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(hub.polls().len(), polled, "no poll after the drop");
}
