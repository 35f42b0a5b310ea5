//! A second, invented gateway (tests/specs/ticket) whose protocol differs from the AgentGateway's
//! in every fact the spec declares — session header `X-Session`, a bare renewal header
//! `X-Session-Renewed`, integer result codes in `{"msg", "code", "data"}`, its own refusal codes,
//! the caller parameter `user`, a role refusal of its own — generated at compile time, served by
//! its generated router and called with its generated clients over loopback. Nothing of the
//! AgentGateway is in the runtime, so all of it comes from this spec. Its `tickets` service has
//! default server methods (`server_defaults: not_supported`): a server written before the
//! service gained `closeTicket` compiles and answers it with the spec's 501. Its `info` service
//! needs no sign-in, and its server no session store.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use gatespec::client::{Client, ClientError, Session};
use gatespec::server::{Caller, Context, SessionStore};
use gatespec::{Constrained, GatewayError, NoResult};
use serde_json::{Value, json};

mod ticket {
    gatespec::include_spec!("specs/ticket");
}

use ticket::ErrorCode;
use ticket::auth::{
    AuthServer, CloseSessionPath, OpenSession, OpenSessionPath, OpenSessionRequest,
    OpenSessionResult,
};
use ticket::info::{DeskHoursPath, DeskHoursResult, InfoClient, InfoServer};
use ticket::tickets::{
    AssignTicketFailure, AssignTicketPath, AssignTicketRequest, CloseTicketPath, OpenTicketPath,
    OpenTicketRequest, OpenTicketResult, TicketsClient, TicketsServer,
};

#[derive(Clone, Debug)]
struct User {
    no: String,
    supervisor: bool,
}

impl Caller for User {
    fn agent_id(&self) -> &str {
        &self.no
    }

    fn role(&self) -> &str {
        if self.supervisor {
            "supervisor"
        } else {
            "clerk"
        }
    }
}

/// The desk: users, live sessions, tickets (a ticket's holder locks it). Clones share it.
#[derive(Clone, Default)]
struct Desk(Arc<DeskState>);

#[derive(Default)]
struct DeskState {
    sessions: Mutex<HashMap<String, User>>,
    holders: Mutex<HashMap<i64, String>>,
    issued: AtomicI64,
}

impl std::ops::Deref for Desk {
    type Target = DeskState;

    fn deref(&self) -> &DeskState {
        &self.0
    }
}

impl Desk {
    fn issue(&self, user: User) -> String {
        let token = format!("t{}", self.issued.fetch_add(1, Ordering::Relaxed));
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.insert(token.clone(), user);
        }
        token
    }
}

fn desk_failure() -> GatewayError<ErrorCode> {
    GatewayError::new(ErrorCode::DeskFailure)
}

impl SessionStore for Desk {
    type Caller = User;

    async fn resolve(&self, session_id: &str) -> Option<User> {
        self.sessions.lock().ok()?.get(session_id).cloned()
    }
}

impl AuthServer for Desk {
    async fn open_session(
        &self,
        ctx: Context<Option<User>>,
        path: OpenSessionPath,
        body: OpenSessionRequest,
    ) -> Result<OpenSessionResult, GatewayError<ErrorCode>> {
        let no = path.user.get().clone();
        let supervisor = match (no.as_str(), body.password.as_str()) {
            ("1001", "clerk-pw") => false,
            ("1002", "boss-pw") => true,
            _ => return Err(GatewayError::new(ErrorCode::WrongPassword)),
        };
        ctx.renew_session(self.issue(User { no, supervisor }));
        Ok(OpenSessionResult { expires_in: 600 })
    }

    async fn close_session(
        &self,
        ctx: Context<User>,
        _path: CloseSessionPath,
    ) -> Result<NoResult, GatewayError<ErrorCode>> {
        self.sessions
            .lock()
            .map_err(|_| desk_failure())?
            .remove(ctx.session_id());
        Ok(NoResult)
    }
}

impl TicketsServer for Desk {
    async fn open_ticket(
        &self,
        ctx: Context<User>,
        _path: OpenTicketPath,
        body: OpenTicketRequest,
    ) -> Result<OpenTicketResult, GatewayError<ErrorCode>> {
        if body.title == "crash" {
            panic!("the desk crashed on purpose");
        }
        let ticket_id = self.issued.fetch_add(1, Ordering::Relaxed) + 100;
        self.holders
            .lock()
            .map_err(|_| desk_failure())?
            .insert(ticket_id, ctx.agent_id().to_owned());
        // Every answer renews the session: the old token stops working.
        let renewed = self.issue(ctx.caller().clone());
        self.sessions
            .lock()
            .map_err(|_| desk_failure())?
            .remove(ctx.session_id());
        ctx.renew_session(renewed);
        Ok(OpenTicketResult { ticket_id })
    }

    async fn assign_ticket(
        &self,
        _ctx: Context<User>,
        path: AssignTicketPath,
        body: AssignTicketRequest,
    ) -> Result<NoResult, GatewayError<ErrorCode, AssignTicketFailure>> {
        let mut holders = self
            .holders
            .lock()
            .map_err(|_| desk_failure().allow_detail())?;
        match holders.get(&path.ticket_id) {
            Some(holder) if holder != body.assignee.get() => Err(GatewayError::with_message(
                ErrorCode::TicketLocked,
                format!("ticket {} is held by {holder}", path.ticket_id),
            )
            .with_detail(AssignTicketFailure {
                locked_by: holder.parse().map_err(|_| desk_failure().allow_detail())?,
                since: Some(1_700_000_000),
            })),
            _ => {
                holders.insert(path.ticket_id, body.assignee.get().clone());
                Ok(NoResult)
            }
        }
    }

    async fn close_ticket(
        &self,
        _ctx: Context<User>,
        path: CloseTicketPath,
    ) -> Result<NoResult, GatewayError<ErrorCode>> {
        self.holders
            .lock()
            .map_err(|_| desk_failure())?
            .remove(&path.ticket_id);
        Ok(NoResult)
    }
}

/// The desk's opening hours: a server of the `info` service, which needs no session store.
struct Board;

impl InfoServer for Board {
    async fn desk_hours(
        &self,
        ctx: Context<Option<gatespec::server::NoCaller>>,
        path: DeskHoursPath,
    ) -> Result<DeskHoursResult, GatewayError<ErrorCode>> {
        // Nobody is ever known to a service that keeps no sessions.
        assert!(ctx.caller().is_none());
        Ok(match path.day {
            Some(7) => DeskHoursResult::new(10).with_closes(14),
            _ => DeskHoursResult::new(8),
        })
    }
}

/// The tickets service as a server written before it gained `closeTicket`: it still compiles,
/// and the default method answers the spec's `not_supported` code. It shares the desk's state.
struct OlderDesk(Desk);

impl SessionStore for OlderDesk {
    type Caller = User;

    async fn resolve(&self, session_id: &str) -> Option<User> {
        self.0.resolve(session_id).await
    }
}

impl TicketsServer for OlderDesk {
    async fn open_ticket(
        &self,
        ctx: Context<User>,
        path: OpenTicketPath,
        body: OpenTicketRequest,
    ) -> Result<OpenTicketResult, GatewayError<ErrorCode>> {
        self.0.open_ticket(ctx, path, body).await
    }

    async fn assign_ticket(
        &self,
        ctx: Context<User>,
        path: AssignTicketPath,
        body: AssignTicketRequest,
    ) -> Result<NoResult, GatewayError<ErrorCode, AssignTicketFailure>> {
        self.0.assign_ticket(ctx, path, body).await
    }
}

async fn serve() -> (String, tokio::task::JoinHandle<()>) {
    let desk = Desk::default();
    serve_app(
        ticket::auth::router(desk.clone())
            .merge(ticket::tickets::router(desk))
            .merge(ticket::info::router(Board)),
    )
    .await
}

/// The same desk with the older tickets server.
async fn serve_older() -> (String, tokio::task::JoinHandle<()>) {
    let desk = Desk::default();
    serve_app(ticket::auth::router(desk.clone()).merge(ticket::tickets::router(OlderDesk(desk))))
        .await
}

async fn serve_app(app: gatespec::server::Router) -> (String, tokio::task::JoinHandle<()>) {
    let app = app.fallback(gatespec::server::not_found(&ticket::PROTOCOL));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = gatespec::server::axum::serve(listener, app).await;
    });
    (base, task)
}

fn user(no: &str) -> ticket::UserNo {
    no.parse().unwrap()
}

async fn sign_in(base: &str, no: &str, password: &str) -> Session {
    let client = Client::builder(base).build().unwrap();
    let (session, result) = Session::sign_in::<OpenSession>(
        &client,
        &OpenSessionPath { user: user(no) },
        &OpenSessionRequest {
            password: password.to_owned(),
        },
    )
    .await
    .unwrap();
    assert_eq!(result.expires_in, 600);
    session
}

/// The code of a gateway failure (as text, the way the catalogue keys it).
fn code<T: std::fmt::Debug, D: std::fmt::Debug>(
    outcome: Result<T, ClientError<ErrorCode, D>>,
) -> String {
    match outcome {
        Err(ClientError::Gateway(e)) => e.retcode().to_owned(),
        other => panic!("expected a gateway failure, got {other:?}"),
    }
}

fn new_ticket(title: &str) -> OpenTicketRequest {
    OpenTicketRequest {
        title: title.to_owned(),
        priority: ticket::Priority::High,
    }
}

/// A raw call: status, `X-Session-Renewed`, body as JSON and as text.
async fn raw(
    method: reqwest::Method,
    url: &str,
    session: Option<&str>,
    body: &str,
) -> (u16, Option<String>, Value, String) {
    let mut request = reqwest::Client::new()
        .request(method, url)
        .header("Content-Type", "application/json");
    if let Some(session) = session {
        request = request.header("X-Session", session);
    }
    let response = request.body(body.to_owned()).send().await.unwrap();
    let status = response.status().as_u16();
    let renewed = response
        .headers()
        .get("x-session-renewed")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap();
    (status, renewed, value, text)
}

#[tokio::test]
async fn the_protocol_comes_from_the_spec() {
    let (base, task) = serve().await;

    // Signing in: the session comes back bare in `X-Session-Renewed`.
    let wrong = Session::sign_in::<OpenSession>(
        &Client::builder(&base).build().unwrap(),
        &OpenSessionPath { user: user("1001") },
        &OpenSessionRequest {
            password: "nope".to_owned(),
        },
    )
    .await;
    assert_eq!(code(wrong.map(|(s, _)| s.session_id())), "422");
    let clerk = sign_in(&base, "1001", "clerk-pw").await;
    let first = clerk.session_id().unwrap();
    assert!(first.starts_with('t'), "{first}");

    // Success, and the renewal handed out with it is adopted.
    let tickets = TicketsClient::new(clerk.clone());
    let opened = tickets
        .open_ticket(user("1001"), &new_ticket("Printer on fire"))
        .await
        .unwrap();
    let renewed = clerk.session_id().unwrap();
    assert_ne!(renewed, first, "the renewal was adopted");
    tickets
        .open_ticket(user("1001"), &new_ticket("Second"))
        .await
        .expect("calls go on with the renewed session");

    // Each refusal with the spec's own code.
    let anonymous =
        TicketsClient::new(Session::anonymous(&Client::builder(&base).build().unwrap()));
    assert_eq!(
        code(anonymous.open_ticket(user("1001"), &new_ticket("x")).await),
        "401",
        "not signed in"
    );
    let stale = TicketsClient::new(Session::resume(
        &Client::builder(&base).build().unwrap(),
        first,
    ));
    assert_eq!(
        code(stale.open_ticket(user("1001"), &new_ticket("x")).await),
        "403",
        "unknown session"
    );
    assert_eq!(
        code(tickets.open_ticket(user("1002"), &new_ticket("x")).await),
        "403",
        "another user's path"
    );
    let assign = |assignee: &str| AssignTicketRequest {
        assignee: user(assignee),
    };
    assert_eq!(
        code(
            tickets
                .assign_ticket(user("1001"), opened.ticket_id, &assign("1001"))
                .await
        ),
        "4031",
        "the interface's own role refusal"
    );
    assert_eq!(
        code(tickets.close_ticket(user("1001"), opened.ticket_id).await),
        "4030",
        "the protocol's missing-role code"
    );
    assert_eq!(
        code(
            tickets
                .open_ticket(user("1001"), &new_ticket("crash"))
                .await
        ),
        "500",
        "internal error"
    );

    // A failure with its typed detail.
    let boss = sign_in(&base, "1002", "boss-pw").await;
    let boss_tickets = TicketsClient::new(boss.clone());
    let locked = boss_tickets
        .assign_ticket(user("1002"), opened.ticket_id, &assign("1003"))
        .await;
    let Err(ClientError::Gateway(locked)) = locked else {
        panic!("expected the ticket to be locked, got {locked:?}")
    };
    assert_eq!(locked.code(), Some(&ErrorCode::TicketLocked));
    assert_eq!(
        locked.detail(),
        Some(&AssignTicketFailure {
            locked_by: user("1001"),
            since: Some(1_700_000_000),
        })
    );
    boss_tickets
        .assign_ticket(user("1002"), opened.ticket_id, &assign("1001"))
        .await
        .unwrap();
    boss_tickets
        .close_ticket(user("1002"), opened.ticket_id)
        .await
        .unwrap();

    // On the wire: integer codes, the declared member names in the vendor order, the
    // catalogue's wording with the precise reason.
    let session = boss.session_id().unwrap();
    let url = format!("{base}/api/tickets/1002");
    let (status, renewed, envelope, text) = raw(
        reqwest::Method::POST,
        &url,
        Some(&session),
        r#"{"title": "", "priority": 1}"#,
    )
    .await;
    assert_eq!((status, renewed), (200, None));
    assert_eq!(envelope["code"], json!(400));
    assert!(
        text.starts_with(r#"{"msg":"The request is invalid: invalid request body: title:"#),
        "{text}"
    );
    let (_, renewed, envelope, text) = raw(
        reqwest::Method::POST,
        &url,
        Some(&session),
        r#"{"title": "Wire", "priority": 1}"#,
    )
    .await;
    assert!(
        text.starts_with(r#"{"msg":"","code":0,"data":{"ticketId":"#),
        "{text}"
    );
    assert!(envelope["data"]["ticketId"].is_i64());
    assert!(
        renewed.is_some_and(|r| r.starts_with('t')),
        "the bare renewal value"
    );
    let (status, _, envelope, _) = raw(
        reqwest::Method::POST,
        &format!("{base}/api/tickets/999"),
        Some(&session),
        "{}",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(envelope["code"], json!(400), "{envelope}");
    assert!(
        envelope["msg"]
            .as_str()
            .is_some_and(|m| m.starts_with("The request is invalid: invalid URI parameter `user`: invalid UserNo: \"999\" is not in 1000..=1999")),
        "{envelope}"
    );
    let (status, _, envelope, text) =
        raw(reqwest::Method::GET, &format!("{base}/nowhere"), None, "").await;
    assert_eq!(status, 404);
    assert_eq!(envelope["code"], json!(404));
    assert_eq!(
        text,
        r#"{"msg":"Nothing answers at this path: no interface at /nowhere","code":404}"#
    );
    let (status, _, envelope, _) = raw(reqwest::Method::PATCH, &url, None, "{}").await;
    assert_eq!(status, 405);
    assert_eq!(envelope["code"], json!(400));

    // Signing out: the session is forgotten and refused afterwards.
    let old = clerk.session_id().unwrap();
    clerk
        .sign_out::<ticket::auth::CloseSession>(&CloseSessionPath { user: user("1001") }, &())
        .await
        .unwrap();
    assert_eq!(clerk.session_id(), None);
    let (_, _, envelope, _) = raw(
        reqwest::Method::POST,
        &format!("{base}/api/tickets/1001"),
        Some(&old),
        r#"{"title": "x", "priority": 1}"#,
    )
    .await;
    assert_eq!(envelope["code"], json!(403));
    task.abort();
}

#[tokio::test]
async fn an_older_server_answers_a_newer_interface_with_the_declared_code() {
    let (base, task) = serve_older().await;
    let boss = sign_in(&base, "1002", "boss-pw").await;
    let tickets = TicketsClient::new(boss.clone());
    let opened = tickets
        .open_ticket(user("1002"), &new_ticket("Old server"))
        .await
        .expect("the interfaces the older server implements work");
    let refused = tickets
        .close_ticket(user("1002"), opened.ticket_id)
        .await
        .expect_err("the older server does not implement closeTicket");
    let failure = refused.gateway().expect("a gateway failure");
    assert_eq!(failure.retcode(), "501");
    assert_eq!(failure.code(), Some(&ErrorCode::NotOffered));
    assert_eq!(
        failure.message(),
        "This desk does not offer that: this server does not implement `closeTicket`"
    );
    // The router's checks come first, as for any handler: no session, or a clerk, is refused
    // with the protocol's codes before the default method answers.
    let (_, _, envelope, _) = raw(
        reqwest::Method::DELETE,
        &format!("{base}/api/tickets/1002/{}", opened.ticket_id),
        None,
        "",
    )
    .await;
    assert_eq!(envelope["code"], json!(401), "{envelope}");
    let clerk = sign_in(&base, "1001", "clerk-pw").await;
    assert_eq!(
        code(
            TicketsClient::new(clerk.clone())
                .close_ticket(user("1001"), opened.ticket_id)
                .await
        ),
        "4030"
    );
    task.abort();
}

#[tokio::test]
async fn a_service_without_sign_in_is_served_without_a_session_store() {
    let (base, task) = serve().await;
    let info = InfoClient::new(Session::anonymous(&Client::builder(&base).build().unwrap()));
    assert_eq!(
        info.desk_hours(Some(7)).await.unwrap(),
        DeskHoursResult {
            opens: 10,
            closes: Some(14)
        }
    );
    assert_eq!(
        info.desk_hours(None).await.unwrap(),
        DeskHoursResult::new(8)
    );
    // A session header changes nothing for it.
    let with_session = InfoClient::new(Session::resume(
        &Client::builder(&base).build().unwrap(),
        "t0",
    ));
    assert_eq!(with_session.desk_hours(Some(1)).await.unwrap().opens, 8);
    let (_, _, envelope, _) = raw(
        reqwest::Method::GET,
        &format!("{base}/api/info/hours?day=8"),
        None,
        "",
    )
    .await;
    assert_eq!(envelope["code"], json!(400), "{envelope}");
    task.abort();
}

#[test]
fn the_generated_protocol_is_the_specs() {
    let protocol = &ticket::PROTOCOL;
    assert_eq!(protocol.session_header, Some("X-Session"));
    let renewal = protocol.renewal_header.unwrap();
    assert_eq!(
        (renewal.name, renewal.prefix, renewal.suffix),
        ("X-Session-Renewed", "", "")
    );
    assert_eq!(protocol.caller_param, Some("user"));
    assert_eq!(
        (
            protocol.envelope.message,
            protocol.envelope.retcode,
            protocol.envelope.result
        ),
        ("msg", "code", "data")
    );
    assert_eq!(
        protocol.envelope.retcode_type,
        gatespec::RetcodeType::Integer
    );
    assert_eq!(protocol.refusals.missing_role, "4030");
    assert_eq!(
        gatespec::role_refusal::<ticket::tickets::AssignTicket>(),
        "4031"
    );
    assert_eq!(
        gatespec::role_refusal::<ticket::tickets::CloseTicket>(),
        "4030"
    );
}

/// The ticket desk's events travel in its own event object; the generic runtime reads and
/// writes them with the member names its spec declares.
#[test]
fn events_use_the_ticket_desk_member_names() {
    use gatespec::EventCatalogue;
    let format = <ticket::Event as EventCatalogue>::FORMAT;
    assert_eq!(
        (format.event_type, format.agent, format.content),
        ("event", "user", "payload")
    );
    let text = r#"{"event":"TicketAssigned","user":"alice","payload":{"id":7}}"#;
    let event: ticket::Event = serde_json::from_str(text).unwrap();
    let ticket::Event::TicketAssigned { agent, content } = &event else {
        panic!("{event:?}");
    };
    assert_eq!(
        (agent.as_str(), content.id, content.by.as_deref()),
        ("alice", 7, None)
    );
    assert_eq!(serde_json::to_string(&event).unwrap(), text);
    // The AgentGateway's member names mean nothing here: no event type, so no event.
    let foreign = r#"{"eventType":"TicketAssigned","workNo":"1","content":{"id":7}}"#;
    assert!(serde_json::from_str::<ticket::Event>(foreign).is_err());
    let unlisted: ticket::Event =
        serde_json::from_str(r#"{"event":"DeskOpened","user":"alice","payload":[1]}"#).unwrap();
    assert_eq!(
        unlisted.raw().map(|r| r.event_type.as_str()),
        Some("DeskOpened")
    );
}

/// The ticket desk pushes with PUT and no service token: its generated callback router serves
/// PUT, checks `X-Session` alone, decodes its own event object and refuses with its own codes.
#[tokio::test]
async fn the_generated_callback_router_follows_the_ticket_desks_callback() {
    let (base, task) = serve().await;
    let clerk = sign_in(&base, "1001", "clerk-pw").await;
    let sessions = gatespec::callback::CallbackSessions::new();
    sessions.register(&clerk);
    let (tx, mut rx) = gatespec::callback::mpsc::channel(4);
    let app = ticket::events::callback_router("/hook", sessions, tx);
    let (hook, hook_task) = serve_app(app).await;
    let http = reqwest::Client::new();
    let push = |method: reqwest::Method, session: Option<String>| {
        let mut request = http
            .request(method, format!("{hook}/hook"))
            .header("Content-Type", "application/json")
            .body(r#"{"event":"TicketAssigned","user":"1001","payload":{"id":7}}"#);
        if let Some(session) = session {
            request = request.header("X-Session", session);
        }
        async move {
            let answer = request.send().await.unwrap();
            let status = answer.status();
            (status, answer.text().await.unwrap())
        }
    };

    let (status, body) = push(reqwest::Method::PUT, clerk.session_id()).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["code"], 0);
    let delivery = rx.recv().await.unwrap();
    let ticket::Event::TicketAssigned { agent, content } = &delivery.event else {
        panic!("{:?}", delivery.event);
    };
    assert_eq!((agent.as_str(), content.id), ("1001", 7));

    let (_, body) = push(reqwest::Method::PUT, None).await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["code"], 401);
    let (_, body) = push(reqwest::Method::PUT, Some("t-unknown".to_owned())).await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["code"], 403);
    let (status, _) = push(reqwest::Method::POST, clerk.session_id()).await;
    assert_eq!(status, reqwest::StatusCode::METHOD_NOT_ALLOWED);
    assert!(rx.try_recv().is_err());
    hook_task.abort();
    task.abort();
}
