//! Live sessions over HTTP, with no spec: a hand-written notice board whose server keeps its
//! sessions in `server::live::LiveSessions` (resolving through it as its `SessionStore`),
//! answers a long-polling interface with each member's next notice and the renewed session in
//! its renewal header, and publishes notices members post to each other. Called with plain
//! HTTP requests over loopback, on real time with short timers.

use std::time::{Duration, Instant};

use gatespec::server::live::{LiveSessions, Settings};
use gatespec::server::{Caller, Context, Options, Routes, SessionStore};
use gatespec::{
    Anyone, CodeEnum, EnvelopeFormat, GatewayError, Interface, Method, NoDetail, NoResult,
    PathParams, Protocol, RefusalCodes, RenewalHeader, RetcodeType, SignedIn, Validate,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(CodeEnum, Debug, Clone, PartialEq)]
#[code(string)]
enum BoardCode {
    #[code("B-1", meaning = "invalid request")]
    Invalid,
    #[code("B-2", meaning = "not signed in")]
    NotSignedIn,
    #[code("B-3", meaning = "no permission")]
    NoPermission,
    #[code("B-9", meaning = "internal error")]
    Internal,
    #[code(other)]
    Other(String),
}

const BOARD: Protocol = Protocol {
    envelope: EnvelopeFormat {
        message: "text",
        retcode: "code",
        result: "data",
        retcode_type: RetcodeType::Text,
        success: "OK",
    },
    session_header: Some("X-Board-Session"),
    renewal_header: Some(RenewalHeader {
        name: "X-Board-Renewed",
        prefix: "board=",
        suffix: "",
    }),
    caller_param: Some("member"),
    refusals: RefusalCodes::new("B-1", "B-2", "B-3", "B-3", "B-9", "B-1"),
    catalogue: <BoardCode as CodeEnum>::CODES,
};

/// `/board/{member}/<action>` for each interface.
macro_rules! member_path {
    ($name:ident, $action:literal) => {
        #[derive(Serialize, Deserialize, Validate, Debug, Clone, PartialEq)]
        struct $name {
            member: String,
        }
        impl PathParams for $name {
            fn write_path(&self, path: &mut String) {
                path.push_str("/board/");
                gatespec::push_path_segment(path, &self.member);
                path.push_str(concat!("/", $action));
            }
        }
    };
}
member_path!(JoinPath, "join");
member_path!(NoticesPath, "notices");
member_path!(PostPath, "post");

/// Sign-in: `PUT /board/{member}/join`; the session comes in the renewal header.
struct Join;

impl Interface for Join {
    const PROTOCOL: &'static Protocol = &BOARD;
    const LOG_NAME: &'static str = "join";
    const METHOD: Method = Method::Put;
    const PATH: &'static str = "/board/{member}/join";
    type Access = Anyone;
    const ROLES: &'static [&'static str] = &[];
    const ERRORS: &'static [&'static str] = &[];
    type Path = JoinPath;
    type Request = ();
    type Result = NoResult;
    type Failure = NoDetail;
    type ErrorCode = BoardCode;
}

/// The long poll: `GET /board/{member}/notices`, the next notice or none.
struct Notices;

#[derive(Serialize, Deserialize, Validate, Debug, Clone, PartialEq)]
struct Notice {
    from: String,
    text: String,
}

impl Interface for Notices {
    const PROTOCOL: &'static Protocol = &BOARD;
    const LOG_NAME: &'static str = "notices";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/board/{member}/notices";
    type Access = SignedIn;
    const ROLES: &'static [&'static str] = &[];
    const ERRORS: &'static [&'static str] = &["B-3"];
    type Path = NoticesPath;
    type Request = ();
    type Result = Option<Notice>;
    type Failure = NoDetail;
    type ErrorCode = BoardCode;
}

/// `POST /board/{member}/post` with `{"to", "text"}`: a notice for another member.
struct Post;

#[derive(Serialize, Deserialize, Validate, Debug, Clone, PartialEq)]
struct PostRequest {
    to: String,
    text: String,
}

impl Interface for Post {
    const PROTOCOL: &'static Protocol = &BOARD;
    const LOG_NAME: &'static str = "post";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/board/{member}/post";
    type Access = SignedIn;
    const ROLES: &'static [&'static str] = &[];
    const ERRORS: &'static [&'static str] = &[];
    type Path = PostPath;
    type Request = PostRequest;
    type Result = NoResult;
    type Failure = NoDetail;
    type ErrorCode = BoardCode;
}

#[derive(Clone, Debug, PartialEq)]
struct Member(String);

impl Caller for Member {
    fn agent_id(&self) -> &str {
        &self.0
    }

    fn role(&self) -> &str {
        "member"
    }
}

struct Board {
    live: LiveSessions<Member>,
}

impl SessionStore for Board {
    type Caller = Member;

    async fn resolve(&self, session_id: &str) -> Option<Member> {
        self.live.resolve(session_id).await
    }
}

fn internal() -> GatewayError<BoardCode> {
    GatewayError::new(BoardCode::Internal)
}

async fn serve(settings: Settings) -> String {
    let board = Board {
        live: LiveSessions::new(settings),
    };
    let app = Routes::new(board, Options::default())
        .route(
            Join,
            |board, ctx: Context<Option<Member>>, path: JoinPath, ()| async move {
                let signed_in = board.live.sign_in(Member(path.member), None).await;
                let Ok(signed_in) = signed_in;
                ctx.renew_session(signed_in.id);
                Ok(NoResult)
            },
        )
        .route(Notices, |board, ctx: Context<Member>, _, ()| async move {
            let Ok(polled) = board.live.poll(ctx.session_id()).await;
            let polled = polled.ok_or_else(|| GatewayError::new(BoardCode::NoPermission))?;
            if let Some(renewed) = &polled.renewed {
                ctx.renew_session(renewed.clone());
            }
            polled
                .event_as::<Notice>()
                .transpose()
                .map_err(|_| internal())
        })
        .route(
            Post,
            |board, ctx: Context<Member>, _, body: PostRequest| async move {
                let notice = Notice {
                    from: ctx.agent_id().to_owned(),
                    text: body.text,
                };
                board
                    .live
                    .publish(&body.to, &notice)
                    .await
                    .map_err(|_| internal())?;
                Ok(NoResult)
            },
        )
        .into_router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum_serve(listener, app).await });
    base
}

async fn axum_serve(listener: tokio::net::TcpListener, app: gatespec::server::Router) {
    let _ = gatespec::server::axum::serve(listener, app).await;
}

/// One call: the envelope and the session the renewal header hands out, if any.
async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    session: Option<&str>,
    body: Option<Value>,
) -> (Value, Option<String>) {
    let mut request = http.request(method, url);
    if let Some(session) = session {
        request = request.header("X-Board-Session", session);
    }
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let renewed = response.headers().get("X-Board-Renewed").map(|v| {
        v.to_str()
            .unwrap()
            .strip_prefix("board=")
            .unwrap()
            .to_owned()
    });
    let body = response.bytes().await.unwrap();
    (serde_json::from_slice(&body).unwrap(), renewed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_long_poll_for_notices_adopt_renewed_sessions_and_are_signed_out_when_idle() {
    let base = serve(
        Settings::default()
            .hold(Duration::from_millis(600))
            .renewal_interval(Some(Duration::from_millis(1500)))
            .old_id_validity(Duration::from_millis(1200))
            .idle_timeout(Duration::from_millis(2500))
            .reap_interval(Duration::from_millis(50)),
    )
    .await;
    let http = reqwest::Client::new();
    let join = |member: &str| {
        let url = format!("{base}/board/{member}/join");
        let http = http.clone();
        async move { call(&http, reqwest::Method::PUT, url, None, None).await }
    };
    let (answer, alice) = join("alice").await;
    assert_eq!(answer["code"], "OK");
    let alice = alice.expect("a session");
    let bob = join("bob").await.1.expect("a session");
    let notices = |member: &str, session: &str| {
        let url = format!("{base}/board/{member}/notices");
        let (http, session) = (http.clone(), session.to_owned());
        async move { call(&http, reqwest::Method::GET, url, Some(&session), None).await }
    };

    // Alice's poll holds until Bob posts, then answers at once with the notice.
    let started = Instant::now();
    let poll = tokio::spawn(notices("alice", &alice));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let url = format!("{base}/board/bob/post");
    let body = json!({"to": "alice", "text": "hello"});
    let (answer, _) = call(&http, reqwest::Method::POST, url, Some(&bob), Some(body)).await;
    assert_eq!(answer["code"], "OK");
    let (answer, renewed) = poll.await.unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(600),
        "held: {:?}",
        started.elapsed()
    );
    assert_eq!(answer["data"], json!({"from": "bob", "text": "hello"}));
    assert_eq!(renewed, None);

    // Nothing for Bob: his poll answers empty after the hold.
    let started = Instant::now();
    let (answer, _) = notices("bob", &bob).await;
    assert!(started.elapsed() >= Duration::from_millis(600));
    assert_eq!(
        (answer["code"].clone(), answer["data"].clone()),
        (json!("OK"), Value::Null)
    );

    // Alice's session id is renewed on a poll once it is 1.5 s old; the old id keeps working
    // (and learns the new one) until its validity ends, then it is refused.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let renewal = tokio::time::Instant::now();
    let (_, renewed) = notices("alice", &alice).await;
    let alice_renewed = renewed.expect("a renewal on the polling answer");
    assert_ne!(alice_renewed, alice);
    let (answer, renewed) = notices("alice", &alice).await;
    assert_eq!(answer["code"], "OK");
    assert_eq!(renewed.as_deref(), Some(alice_renewed.as_str()));
    let (answer, renewed) = notices("alice", &alice_renewed).await;
    assert_eq!((answer["code"].as_str(), renewed), (Some("OK"), None));
    tokio::time::sleep_until(renewal + Duration::from_millis(1500)).await;
    let (answer, _) = notices("alice", &alice).await;
    assert_eq!(answer["code"], "B-3", "the old id expired: {answer}");

    // Bob stopped polling more than 2.5 s ago: he was signed out.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (answer, _) = notices("bob", &bob).await;
    assert_eq!(answer["code"], "B-3", "{answer}");
    let (answer, _) = notices("alice", &alice_renewed).await;
    assert_eq!(answer["code"], "OK");
}
