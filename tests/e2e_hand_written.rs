//! An interface written by hand, with no spec and no generated code: types with the derives
//! (`CodeEnum`, `Validate`, `Constrained`), a hand-written `gatespec::Protocol` (its own
//! envelope, session headers and refusal codes) and hand-written `impl gatespec::Interface`s,
//! served by the runtime's `server::Routes` (with the desk as session store, and a notice board
//! without one) and called with `client::Client::call` and `client::Session` over loopback. It
//! shows that the macros and the runtime stand on their own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use gatespec::client::{Client, ClientError, Session};
use gatespec::server::{self, Caller, Context, Options, Routes, SessionStore};
use gatespec::{
    Anyone, CodeEnum, Constrained, EnvelopeFormat, GatewayError, Interface, Method, NoDetail,
    NoResult, PathParams, Protocol, RefusalCodes, RenewalHeader, RetcodeType, SignedIn, Validate,
};
use serde::{Deserialize, Serialize};

/// The desk service's result codes.
#[derive(CodeEnum, Debug, Clone, PartialEq)]
#[code(string)]
enum DeskCode {
    #[code("E-1", meaning = "invalid request")]
    Invalid,
    #[code("E-2", meaning = "not signed in")]
    NotSignedIn,
    #[code("E-3", meaning = "no permission")]
    NoPermission,
    #[code("E-4", meaning = "wrong password")]
    WrongPassword,
    #[code("E-5", meaning = "the room is full")]
    Full,
    #[code("E-9", meaning = "internal error")]
    Internal,
    #[code(other)]
    Other(String),
}

/// Rooms, sent as integers.
#[derive(CodeEnum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[code(int)]
enum Room {
    #[code(1, meaning = "the small room")]
    Small,
    #[code(2, meaning = "the large room")]
    Large,
}

/// A user number, 1000-1999, sent as a string in the path.
#[derive(Constrained, Debug, Clone, PartialEq)]
#[constrained(range(min = 1000, max = 1999))]
struct UserNo(String);

/// The desk's protocol: the envelope `{"code": .., "text": .., "data": ..}` with success code
/// `"OK"`, its own session headers (the renewal written `desk=<session>`), the `user` path
/// parameter naming the caller, and its own refusal codes.
const DESK: Protocol = Protocol {
    envelope: EnvelopeFormat {
        message: "text",
        retcode: "code",
        result: "data",
        retcode_type: RetcodeType::Text,
        success: "OK",
    },
    session_header: Some("X-Desk-Session"),
    renewal_header: Some(RenewalHeader {
        name: "X-Desk-Renewed",
        prefix: "desk=",
        suffix: "",
    }),
    caller_param: Some("user"),
    refusals: RefusalCodes::new("E-1", "E-2", "E-3", "E-3", "E-9", "E-1"),
    catalogue: <DeskCode as CodeEnum>::CODES,
};

/// `/desk/{user}` paths.
#[derive(Serialize, Deserialize, Validate, Debug, Clone, PartialEq)]
struct UserPath {
    user: UserNo,
}

fn user_path(user: &UserNo, action: &str, path: &mut String) {
    path.push_str("/desk/");
    gatespec::push_path_segment(path, user);
    path.push('/');
    path.push_str(action);
}

#[derive(Serialize, Deserialize, Validate, Debug, Clone, PartialEq)]
struct EnterPath {
    user: UserNo,
}

impl PathParams for EnterPath {
    fn write_path(&self, path: &mut String) {
        user_path(&self.user, "enter", path);
    }
}

impl PathParams for UserPath {
    fn write_path(&self, path: &mut String) {
        user_path(&self.user, "book", path);
    }
}

#[derive(Serialize, Deserialize, Validate, Debug, Clone, PartialEq)]
struct LeavePath {
    user: UserNo,
}

impl PathParams for LeavePath {
    fn write_path(&self, path: &mut String) {
        user_path(&self.user, "leave", path);
    }
}

/// Sign-in: `PUT /desk/{user}/enter`, no session needed; answers a session in `Set-GUID`.
struct Enter;

#[derive(Serialize, Deserialize, Validate, Debug, Clone, PartialEq)]
struct EnterRequest {
    #[validate(length(max = 16))]
    password: String,
}

impl Interface for Enter {
    const PROTOCOL: &'static Protocol = &DESK;
    const LOG_NAME: &'static str = "enter";
    const METHOD: Method = Method::Put;
    const PATH: &'static str = "/desk/{user}/enter";
    type Access = Anyone;
    const ROLES: &'static [&'static str] = &[];
    const ERRORS: &'static [&'static str] = &["E-1", "E-4"];
    type Path = EnterPath;
    type Request = EnterRequest;
    type Result = NoResult;
    type Failure = NoDetail;
    type ErrorCode = DeskCode;
}

/// Book seats: `POST /desk/{user}/book`, members only.
struct Book;

#[derive(Serialize, Deserialize, Validate, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct BookRequest {
    room: Room,
    #[validate(range(min = 1, max = 8))]
    seats: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 10))]
    note: Option<String>,
    #[validate(items(max = 3))]
    guests: Vec<String>,
}

#[derive(Serialize, Deserialize, Validate, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct BookResult {
    room: Room,
    seats_left: u32,
}

/// What a refused booking carries in `data`: the seats still free.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct BookFailure {
    seats_left: u32,
}

impl Interface for Book {
    const PROTOCOL: &'static Protocol = &DESK;
    const LOG_NAME: &'static str = "book";
    const METHOD: Method = Method::Post;
    const PATH: &'static str = "/desk/{user}/book";
    type Access = SignedIn;
    const ROLES: &'static [&'static str] = &["member"];
    const ERRORS: &'static [&'static str] = &["E-1", "E-2", "E-3", "E-5"];
    type Path = UserPath;
    type Request = BookRequest;
    type Result = BookResult;
    type Failure = BookFailure;
    type ErrorCode = DeskCode;
}

/// Sign-out: `DELETE /desk/{user}/leave`.
struct Leave;

impl Interface for Leave {
    const PROTOCOL: &'static Protocol = &DESK;
    const LOG_NAME: &'static str = "leave";
    const METHOD: Method = Method::Delete;
    const PATH: &'static str = "/desk/{user}/leave";
    type Access = SignedIn;
    const ROLES: &'static [&'static str] = &[];
    const ERRORS: &'static [&'static str] = &["E-2"];
    type Path = LeavePath;
    type Request = ();
    type Result = NoResult;
    type Failure = NoDetail;
    type ErrorCode = DeskCode;
}

/// Opening hours: `GET /desk/{user}/hours?day=N`, no session needed, no `Set-GUID`.
struct Hours;

/// The URI parameter and the optional query-string parameter `day` (1-7).
#[derive(Serialize, Deserialize, Validate, Debug, Clone, PartialEq)]
struct HoursPath {
    user: UserNo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 7))]
    day: Option<u8>,
}

impl PathParams for HoursPath {
    fn write_path(&self, path: &mut String) {
        user_path(&self.user, "hours", path);
        if let Some(day) = &self.day {
            gatespec::push_query_param(path, "day", day);
        }
    }
}

#[derive(Serialize, Deserialize, Validate, Debug, Clone, PartialEq)]
struct HoursResult {
    #[validate(range(max = 24))]
    opens: u8,
}

impl Interface for Hours {
    const PROTOCOL: &'static Protocol = &DESK;
    const LOG_NAME: &'static str = "hours";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/desk/{user}/hours";
    type Access = Anyone;
    const ROLES: &'static [&'static str] = &[];
    const ERRORS: &'static [&'static str] = &[];
    const QUERY: &'static [&'static str] = &["day"];
    type Path = HoursPath;
    type Request = ();
    type Result = HoursResult;
    type Failure = NoDetail;
    type ErrorCode = DeskCode;
}

#[derive(Clone, Debug)]
struct Visitor {
    user: String,
    role: &'static str,
}

impl Caller for Visitor {
    fn agent_id(&self) -> &str {
        &self.user
    }

    fn role(&self) -> &str {
        self.role
    }
}

/// The desk: users with passwords and roles, sessions, free seats per room.
#[derive(Default)]
struct Desk {
    sessions: Mutex<HashMap<String, Visitor>>,
    seats: Mutex<HashMap<Room, u32>>,
    issued: Mutex<u32>,
}

impl SessionStore for Desk {
    type Caller = Visitor;

    async fn resolve(&self, session_id: &str) -> Option<Visitor> {
        self.sessions.lock().ok()?.get(session_id).cloned()
    }
}

impl Desk {
    fn enter(
        &self,
        ctx: &Context<Option<Visitor>>,
        path: &EnterPath,
        body: &EnterRequest,
    ) -> Result<NoResult, GatewayError<DeskCode>> {
        let user = path.user.get().clone();
        let role = match (user.as_str(), body.password.as_str()) {
            ("1001", "member-pw") => "member",
            ("1002", "guest-pw") => "guest",
            _ => return Err(GatewayError::new(DeskCode::WrongPassword)),
        };
        let guid = {
            let mut issued = self.issued.lock().map_err(|_| internal())?;
            *issued += 1;
            format!("desk-{user}-{issued}")
        };
        self.sessions
            .lock()
            .map_err(|_| internal())?
            .insert(guid.clone(), Visitor { user, role });
        ctx.renew_session(guid);
        Ok(NoResult)
    }

    fn book(&self, body: &BookRequest) -> Result<BookResult, GatewayError<DeskCode, BookFailure>> {
        let mut seats = self.seats.lock().map_err(|_| internal().allow_detail())?;
        let free = seats.entry(body.room).or_insert(10);
        let wanted = u32::from(body.seats);
        if wanted > *free {
            return Err(GatewayError::with_message(
                DeskCode::Full,
                format!("only {free} seats left"),
            )
            .with_detail(BookFailure { seats_left: *free }));
        }
        *free -= wanted;
        Ok(BookResult {
            room: body.room,
            seats_left: *free,
        })
    }
}

fn internal() -> GatewayError<DeskCode> {
    GatewayError::new(DeskCode::Internal)
}

async fn serve() -> (String, tokio::task::JoinHandle<()>) {
    // Each handler's context follows from its interface's `Access`: `Context<Option<Visitor>>`
    // for `Enter` and `Hours` (anyone), `Context<Visitor>` for `Book` and `Leave` (signed in).
    // The runtime names each call's span after the interface's log name.
    let app = Routes::new(Desk::default(), Options::default())
        .route(Enter, |desk, ctx, path, body| async move {
            desk.enter(&ctx, &path, &body)
        })
        .route(
            Book,
            |desk, _ctx, _path, body| async move { desk.book(&body) },
        )
        .route(
            Leave,
            |desk: Arc<Desk>, ctx: Context<Visitor>, _path, ()| async move {
                desk.sessions
                    .lock()
                    .map_err(|_| internal())?
                    .remove(ctx.session_id());
                Ok(NoResult)
            },
        )
        .route(
            Hours,
            |_desk, _ctx, path, ()| async move { Ok(opening(&path)) },
        )
        .into_router()
        .fallback(server::not_found(&DESK));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = server::axum::serve(listener, app).await;
    });
    (base, task)
}

/// When the desk opens on the day `path` asks about: Sundays later.
fn opening(path: &HoursPath) -> HoursResult {
    HoursResult {
        opens: if path.day == Some(7) { 10 } else { 8 },
    }
}

/// A notice board that keeps no sessions: it serves only `Hours`, which anyone may call, and
/// needs no `SessionStore`.
struct Board;

async fn serve_board() -> (String, tokio::task::JoinHandle<()>) {
    let app = Routes::without_sessions(Board, Options::default())
        .route(
            Hours,
            |_board: Arc<Board>, ctx: Context<Option<server::NoCaller>>, path, ()| async move {
                // No caller is ever known, whatever session header is sent.
                assert!(ctx.caller().is_none());
                Ok(opening(&path))
            },
        )
        .into_router()
        .fallback(server::not_found(&DESK));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = server::axum::serve(listener, app).await;
    });
    (base, task)
}

fn user(no: &str) -> UserNo {
    no.parse().unwrap()
}

fn code<T: std::fmt::Debug, D: std::fmt::Debug>(
    outcome: Result<T, ClientError<DeskCode, D>>,
) -> DeskCode {
    match outcome {
        Err(ClientError::Gateway(e)) => e.code().cloned().unwrap(),
        other => panic!("expected a gateway failure, got {other:?}"),
    }
}

fn booking(seats: u8) -> BookRequest {
    BookRequest {
        room: Room::Large,
        seats,
        note: Some("team".into()),
        guests: vec![],
    }
}

#[tokio::test]
async fn hand_written_interfaces_served_and_called() {
    let (base, task) = serve().await;
    let client = Client::builder(&base).build().unwrap();
    let path = |no: &str| UserPath { user: user(no) };

    // No session yet: the runtime refuses with the service's own code.
    assert_eq!(
        code(client.call::<Book>(&path("1001"), &booking(2)).await),
        DeskCode::NotSignedIn
    );

    // Sign in through the runtime's session type with the hand-written sign-in interface.
    let enter = EnterPath { user: user("1001") };
    assert_eq!(
        code(
            Session::sign_in::<Enter>(
                &client,
                &enter,
                &EnterRequest {
                    password: "no".into()
                }
            )
            .await
        ),
        DeskCode::WrongPassword
    );
    let (session, NoResult) = Session::sign_in::<Enter>(
        &client,
        &enter,
        &EnterRequest {
            password: "member-pw".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(session.session_id().as_deref(), Some("desk-1001-1"));

    // Calls within the session.
    let booked = session
        .call::<Book>(&path("1001"), &booking(3))
        .await
        .unwrap();
    assert_eq!(
        booked,
        BookResult {
            room: Room::Large,
            seats_left: 7
        }
    );
    // A refusal with its typed detail, carried in `data`.
    let full = session.call::<Book>(&path("1001"), &booking(8)).await;
    let Err(ClientError::Gateway(full)) = full else {
        panic!("expected a refusal, got {full:?}")
    };
    assert_eq!(full.code(), Some(&DeskCode::Full));
    assert_eq!(full.message(), "only 7 seats left");
    assert_eq!(full.detail(), Some(&BookFailure { seats_left: 7 }));
    // Another user's path: refused (the agent parameter is `user` here).
    assert_eq!(
        code(session.call::<Book>(&path("1002"), &booking(1)).await),
        DeskCode::NoPermission
    );
    // Invalid requests are not sent: the derives' rules run in the client.
    let invalid = session.call::<Book>(&path("1001"), &booking(9)).await;
    assert!(
        matches!(&invalid, Err(ClientError::Invalid(v)) if v.to_string().contains("seats")),
        "{invalid:?}"
    );
    // A constrained path value cannot even be made out of range.
    assert!("999".parse::<UserNo>().is_err());

    // A role the interface does not allow.
    let guest_client = Client::builder(&base).build().unwrap();
    let (guest, _) = Session::sign_in::<Enter>(
        &guest_client,
        &EnterPath { user: user("1002") },
        &EnterRequest {
            password: "guest-pw".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        code(guest.call::<Book>(&path("1002"), &booking(1)).await),
        DeskCode::NoPermission
    );

    // Raw HTTP: bad input gets the service's envelope and code, never a 500.
    let http = reqwest::Client::new();
    let raw = http
        .post(format!("{base}/desk/1001/book"))
        .header("Content-Type", "application/json")
        .header("X-Desk-Session", session.session_id().unwrap())
        .body(r#"{"room": 3, "seats": 1, "guests": []}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    let envelope: serde_json::Value = serde_json::from_slice(&raw.bytes().await.unwrap()).unwrap();
    assert_eq!(envelope["code"], "E-1", "{envelope}");
    // The message is the catalogue's wording, then where the body is wrong.
    assert_eq!(
        envelope["text"]
            .as_str()
            .unwrap_or_default()
            .split(" at line")
            .next(),
        Some(
            "invalid request: invalid request body at `room`: unknown Room code 3 (expected one of 1, 2)"
        ),
        "{envelope}"
    );
    let unknown = http
        .get(format!("{base}/desk/nowhere"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let envelope: serde_json::Value =
        serde_json::from_slice(&unknown.bytes().await.unwrap()).unwrap();
    assert_eq!(envelope["code"], "E-1");

    // Sign out: the session is forgotten and the old one refused.
    let old = session.session_id().unwrap();
    session
        .sign_out::<Leave>(&LeavePath { user: user("1001") }, &())
        .await
        .unwrap();
    assert_eq!(session.session_id(), None);
    assert_eq!(
        code(session.call::<Book>(&path("1001"), &booking(1)).await),
        DeskCode::NotSignedIn
    );
    let stale = Session::resume(&Client::builder(&base).build().unwrap(), old);
    assert_eq!(
        code(stale.call::<Book>(&path("1001"), &booking(1)).await),
        DeskCode::NoPermission
    );
    task.abort();
}

#[tokio::test]
async fn a_sign_in_without_a_renewal_header_is_no_session() {
    let (base, task) = serve().await;
    let client = Client::builder(&base).build().unwrap();
    let hours = HoursPath {
        user: user("1001"),
        day: None,
    };
    // An interface that answers without handing out a session is no sign-in.
    let outcome = Session::sign_in::<Hours>(&client, &hours, &()).await;
    assert!(
        matches!(outcome, Err(ClientError::NoSession)),
        "{outcome:?}"
    );
    // Called plainly, it works without a session.
    assert_eq!(
        client.call::<Hours>(&hours, &()).await.unwrap(),
        HoursResult { opens: 8 }
    );
    task.abort();
}

#[tokio::test]
async fn query_parameters_travel_with_the_uri_parameters() {
    let (base, task) = serve().await;
    let client = Client::builder(&base).build().unwrap();
    let sunday = HoursPath {
        user: user("1001"),
        day: Some(7),
    };
    assert_eq!(gatespec::path_of(&sunday), "/desk/1001/hours?day=7");
    assert_eq!(
        client.call::<Hours>(&sunday, &()).await.unwrap(),
        HoursResult { opens: 10 }
    );
    // An out-of-range value is refused by the client before sending...
    let bad = HoursPath {
        user: user("1001"),
        day: Some(9),
    };
    assert!(matches!(
        client.call::<Hours>(&bad, &()).await,
        Err(ClientError::Invalid(_))
    ));
    // ...and by the server, as is a value of the wrong type, with the service's code.
    let http = reqwest::Client::new();
    for query in ["day=9", "day=x", "day=1&day=2"] {
        let raw = http
            .get(format!("{base}/desk/1001/hours?{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(raw.status(), 200, "{query}");
        let envelope: serde_json::Value =
            serde_json::from_slice(&raw.bytes().await.unwrap()).unwrap();
        assert_eq!(envelope["code"], "E-1", "{query}: {envelope}");
    }
    // Unknown query parameters are ignored, like unknown JSON members.
    let raw = http
        .get(format!("{base}/desk/1001/hours?day=7&lang=en"))
        .send()
        .await
        .unwrap();
    let envelope: serde_json::Value = serde_json::from_slice(&raw.bytes().await.unwrap()).unwrap();
    assert_eq!(envelope["data"]["opens"], 10, "{envelope}");
    task.abort();
}

#[tokio::test]
async fn routes_without_sessions_serve_interfaces_anyone_may_call() {
    let (base, task) = serve_board().await;
    let sunday = HoursPath {
        user: user("1001"),
        day: Some(7),
    };
    // Without a session, and with one the board cannot know: the handler runs either way.
    let plain = Client::builder(&base).build().unwrap();
    assert_eq!(
        plain.call::<Hours>(&sunday, &()).await.unwrap(),
        HoursResult { opens: 10 }
    );
    let with_session = Session::resume(&Client::builder(&base).build().unwrap(), "desk-1001-1");
    assert_eq!(
        with_session.call::<Hours>(&sunday, &()).await.unwrap(),
        HoursResult { opens: 10 }
    );
    // The router's checks are the same: an invalid query parameter is refused before the handler.
    let raw = reqwest::Client::new()
        .get(format!("{base}/desk/1001/hours?day=9"))
        .send()
        .await
        .unwrap();
    let envelope: serde_json::Value = serde_json::from_slice(&raw.bytes().await.unwrap()).unwrap();
    assert_eq!(envelope["code"], "E-1", "{envelope}");
    // Only `Hours` is served here.
    let raw = reqwest::Client::new()
        .post(format!("{base}/desk/1001/book"))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 404);
    task.abort();
}
