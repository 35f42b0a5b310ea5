//! The generated client against a deliberately broken gateway on loopback: a raw TCP server
//! that answers each request with a scripted misbehaviour (too slow, cut short, not JSON, the
//! wrong types, unknown codes, 5xx and 3xx, a reset connection, an endless body, a garbage
//! renewal header, a long poll that never answers). Each case maps to its typed error, nothing
//! panics, and a session keeps or loses its id exactly as documented.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use agentgateway::agentconf::{AgentconfClient, QueryConfInfosRequest, QueryConfInfosResult};
use agentgateway::agentevent::{GetAgentEvent, GetAgentEventPath};
use agentgateway::onlineagent::{Login, LoginPath, LoginRequest};
use agentgateway::{AgentId, ErrorCode, Event};
use gatespec::client::{
    Client, ClientError, EventStreamError, EventStreamOptions, LostReason, Session, StreamExt,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the broken gateway does with one request.
#[derive(Clone)]
enum Misbehaviour {
    /// Writes these bytes (a whole HTTP response, however wrong) and closes.
    Raw(String),
    /// Waits, then answers with the vendor's example.
    Slow(Duration),
    /// Closes the connection with a reset before answering.
    Reset,
    /// Answers 200 with a chunked body that never ends.
    Endless,
    /// Reads the request and never answers.
    Never,
}

/// A JSON answer with `status` and extra header lines.
fn answer(status: &str, headers: &str, body: &str) -> Misbehaviour {
    Misbehaviour::Raw(format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ))
}

/// The vendor example's success answer.
const EXAMPLE: &str = r#"{"message":"","retcode":"0","result":{"confs":[]}}"#;

struct BrokenGateway {
    base: String,
    script: Arc<Mutex<Vec<Misbehaviour>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for BrokenGateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl BrokenGateway {
    /// A gateway that misbehaves as `script` says, one entry per request (the last one
    /// repeats).
    async fn start(script: Vec<Misbehaviour>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let script = Arc::new(Mutex::new(script));
        let next = script.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let act = {
                    let mut script = next.lock().unwrap();
                    if script.len() > 1 {
                        script.remove(0)
                    } else {
                        script[0].clone()
                    }
                };
                tokio::spawn(misbehave(stream, act));
            }
        });
        Self { base, script, task }
    }

    fn client(&self) -> Client {
        Client::builder(&self.base)
            .timeout(Duration::from_millis(500))
            .max_answer_bytes(64 * 1024)
            .build()
            .unwrap()
    }

    fn conf(&self) -> AgentconfClient {
        AgentconfClient::new(Session::resume(&self.client(), "g-1"))
    }

    fn remaining(&self) -> usize {
        self.script.lock().unwrap().len()
    }
}

/// Reads one request (head and declared body), then misbehaves.
async fn misbehave(mut stream: TcpStream, act: Misbehaviour) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    let body_start = loop {
        let Ok(n) = stream.read(&mut buffer).await else {
            return;
        };
        if n == 0 {
            return;
        }
        request.extend_from_slice(&buffer[..n]);
        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&request[..body_start]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap_or(0));
    while request.len() < body_start + length {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    match act {
        Misbehaviour::Raw(bytes) => {
            let _ = stream.write_all(bytes.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Misbehaviour::Slow(delay) => {
            tokio::time::sleep(delay).await;
            if let Misbehaviour::Raw(bytes) = answer("200 OK", "", EXAMPLE) {
                let _ = stream.write_all(bytes.as_bytes()).await;
            }
        }
        Misbehaviour::Reset => {
            let _ = stream.set_zero_linger();
            drop(stream);
        }
        Misbehaviour::Endless => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = format!("1000\r\n{}\r\n", " ".repeat(0x1000));
            while stream.write_all(chunk.as_bytes()).await.is_ok() {}
        }
        Misbehaviour::Never => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    }
}

fn agent() -> AgentId {
    "153".parse().unwrap()
}

fn query() -> QueryConfInfosRequest {
    QueryConfInfosRequest {
        conf_ids: vec![1_029_888],
    }
}

async fn call_with(
    act: Misbehaviour,
) -> Result<QueryConfInfosResult, ClientError<ErrorCode, gatespec::NoDetail>> {
    let gateway = BrokenGateway::start(vec![act]).await;
    gateway.conf().query_conf_infos(agent(), &query()).await
}

/// Each misbehaviour of a one-shot call and what it must become.
#[tokio::test]
async fn each_misbehaviour_of_a_call_is_its_typed_error() {
    use Misbehaviour::*;
    type Check = fn(&ClientError<ErrorCode, gatespec::NoDetail>) -> bool;
    let cases: Vec<(&str, Misbehaviour, Check)> = vec![
        (
            "too slow: the client's timeout",
            Slow(Duration::from_secs(3)),
            |e| matches!(e, ClientError::Transport(t) if t.is_timeout()),
        ),
        (
            "cut short: fewer bytes than declared",
            Raw(
                "HTTP/1.1 200 OK\r\nContent-Length: 200\r\nConnection: close\r\n\r\n{\"message\""
                    .to_owned(),
            ),
            |e| matches!(e, ClientError::Transport(_)),
        ),
        ("reset before answering", Reset, |e| {
            matches!(e, ClientError::Transport(_))
        }),
        (
            "not JSON",
            answer("200 OK", "", "<html>busy</html>"),
            |e| matches!(e, ClientError::Decode { status: 200, path, .. } if path.is_empty()),
        ),
        ("an empty body", answer("200 OK", "", ""), |e| {
            matches!(e, ClientError::Decode { status: 200, .. })
        }),
        (
            "a wrong type deep in the result",
            answer(
                "200 OK",
                "",
                r#"{"message":"","retcode":"0","result":{"confs":[{"confId":"x"}]}}"#,
            ),
            |e| matches!(e, ClientError::Decode { path, .. } if path == "result.confs[0].confId"),
        ),
        (
            "no result on success",
            answer("200 OK", "", r#"{"message":"","retcode":"0"}"#),
            |e| matches!(e, ClientError::Decode { path, .. } if path.starts_with("result")),
        ),
        (
            "a retcode of the wrong type",
            answer("200 OK", "", r#"{"message":"","retcode":[0]}"#),
            |e| matches!(e, ClientError::Decode { path, .. } if path == "retcode"),
        ),
        (
            "a retcode the catalogue does not know",
            answer("200 OK", "", r#"{"message":"new","retcode":"999-999"}"#),
            |e| {
                matches!(e, ClientError::Gateway(g)
                    if g.retcode() == "999-999" && matches!(g.code(), None | Some(ErrorCode::Other(_))))
            },
        ),
        (
            "a documented failure",
            answer("200 OK", "", r#"{"message":"busy","retcode":"100-007"}"#),
            |e| {
                matches!(e, ClientError::Gateway(g)
                    if g.code() == Some(&ErrorCode::OperationFailed) && g.message() == "busy")
            },
        ),
        (
            "HTTP 500 with an envelope",
            answer(
                "500 Internal Server Error",
                "",
                r#"{"message":"","retcode":"0","result":{"confs":[]}}"#,
            ),
            |e| matches!(e, ClientError::Status { status: 500, .. }),
        ),
        (
            "HTTP 503 without a body",
            answer("503 Service Unavailable", "", ""),
            |e| matches!(e, ClientError::Status { status: 503, body } if body.is_empty()),
        ),
        (
            "a redirect is not followed",
            answer(
                "302 Found",
                "Location: http://127.0.0.1:9/elsewhere\r\n",
                "",
            ),
            |e| matches!(e, ClientError::Status { status: 302, .. }),
        ),
        ("an endless body", Endless, |e| {
            matches!(
                e,
                ClientError::TooLarge {
                    status: 200,
                    limit: 65536
                }
            )
        }),
        (
            "a declared length over the limit",
            Raw("HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n{".to_owned()),
            |e| matches!(e, ClientError::TooLarge { limit: 65536, .. }),
        ),
    ];
    for (what, act, check) in cases {
        let outcome = call_with(act).await;
        match &outcome {
            Err(e) => {
                assert!(check(e), "{what}: unexpected {e:?}");
                // Every error prints; none panics.
                assert!(!e.to_string().is_empty(), "{what}");
            }
            Ok(result) => panic!("{what}: accepted {result:?}"),
        }
    }
}

#[tokio::test]
async fn tolerated_deviations_still_decode() {
    // The result code as a number, members in another order, unknown members, no message.
    for body in [
        r#"{"retcode":0,"result":{"confs":[]},"message":""}"#,
        r#"{"result":{"confs":[]},"retcode":"0","extra":[1,2]}"#,
    ] {
        let result = call_with(answer("200 OK", "", body)).await;
        assert_eq!(result.unwrap().confs, vec![], "{body}");
    }
}

#[tokio::test]
async fn a_garbage_renewal_header_is_ignored_and_hands_out_no_session() {
    // On a call: the answer counts, the session keeps its id.
    let gateway =
        BrokenGateway::start(vec![answer("200 OK", "Set-GUID: garbage\r\n", EXAMPLE)]).await;
    let session = Session::resume(&gateway.client(), "g-1");
    AgentconfClient::new(session.clone())
        .query_conf_infos(agent(), &query())
        .await
        .unwrap();
    assert_eq!(session.session_id().as_deref(), Some("g-1"));

    // On sign-in: no session handed out is an error, not a session without an id.
    let signed_in = r#"{"message":"","retcode":"0","result":{"vdnid":1,"workno":"153"}}"#;
    for header in ["Set-GUID: garbage\r\n", "Set-GUID: JSESSIONID=\r\n", ""] {
        let gateway = BrokenGateway::start(vec![answer("200 OK", header, signed_in)]).await;
        let outcome = Session::sign_in::<Login>(
            &gateway.client(),
            &LoginPath { agentid: agent() },
            &LoginRequest::new("pw".to_owned(), "40038".to_owned()),
        )
        .await;
        assert!(
            matches!(outcome, Err(ClientError::NoSession)),
            "{header:?}: {outcome:?}"
        );
    }
}

#[tokio::test]
async fn a_long_poll_that_never_answers_ends_the_stream_as_unreachable() {
    let gateway = BrokenGateway::start(vec![Misbehaviour::Never]).await;
    let session = Session::resume(&gateway.client(), "g-1");
    let mut events = session.events_with::<GetAgentEvent, Event>(
        GetAgentEventPath {
            agentid: agent(),
            calldata: None,
        },
        EventStreamOptions::default()
            .request_timeout(Duration::from_millis(150))
            .repoll_delay(Duration::from_millis(1), Duration::from_millis(2))
            .backoff(Duration::from_millis(5), Duration::from_millis(10))
            .give_up_after(3, 2),
    );
    match events.next().await {
        Some(Err(EventStreamError::SessionLost {
            reason: LostReason::Unreachable(2),
            last: Some(ClientError::Transport(e)),
        })) => assert!(e.is_timeout()),
        other => panic!("expected the session lost as unreachable, got {other:?}"),
    }
    assert!(events.next().await.is_none(), "the stream ends");
}

#[tokio::test]
async fn a_poll_answer_too_large_or_broken_is_skipped_and_the_stream_goes_on() {
    let ready = r#"{"message":"","retcode":"0","event":{"eventType":"AgentState_Ready","workNo":"153","content":null}}"#;
    let gateway = BrokenGateway::start(vec![
        Misbehaviour::Endless,
        answer("200 OK", "", r#"{"message":"","retcode":"0","event":7}"#),
        answer("200 OK", "", ready),
        Misbehaviour::Never,
    ])
    .await;
    let session = Session::resume(&gateway.client(), "g-1");
    let mut events = session.events_with::<GetAgentEvent, Event>(
        GetAgentEventPath {
            agentid: agent(),
            calldata: None,
        },
        EventStreamOptions::default()
            .request_timeout(Duration::from_secs(2))
            .repoll_delay(Duration::from_millis(1), Duration::from_millis(2)),
    );
    assert!(matches!(
        events.next().await,
        Some(Err(EventStreamError::Undecodable(
            ClientError::TooLarge { .. }
        )))
    ));
    assert!(matches!(
        events.next().await,
        Some(Err(EventStreamError::Undecodable(
            ClientError::Decode { .. }
        )))
    ));
    assert_eq!(
        events.next().await.unwrap().unwrap(),
        Event::AgentStateReady {
            agent: "153".to_owned()
        }
    );
    drop(events);
    assert_eq!(gateway.remaining(), 1, "the script was played to its end");
}
