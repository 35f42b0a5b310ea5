//! agentgateway-sim: a runnable AgentGateway simulator.
//!
//! [`Simulator`] implements the generated `agentgateway::agentconf::AgentconfServer` and
//! `agentgateway::onlineagent::OnlineagentServer` (every interface of the spec) over an
//! store of agents, sessions and conferences (in memory, or in Redis shared by several instances: [`Store`]) loaded from a [`DataSet`] (YAML; an
//! example data set is embedded):
//!
//! - sessions ([`onlineagent`]): agents sign in with their password and get a fresh Guid in
//!   `Set-GUID` (forced sign-in replaces a live session), sign out, go idle, send heartbeats and
//!   trade their Guid for a new one; sessions are the runtime's live sessions
//!   (`gatespec::server::live`), signed out when they neither poll nor beat;
//! - events ([`agentevent`], [`events`], [`push`]): the agent's events by long poll (renewing
//!   the Guid on the answer) or, for a session signed in with a callback URI and a service
//!   token, posted to the callback; timers in [`Options`];
//! - conferences ([`agentconf`], rules in [`conference`]): agents request conferences (becoming
//!   their chairperson), invite, answer, reject, leave and remove participants, change their
//!   rights, hold them, play announcements, prolong the conference, change its capacity, hand
//!   the chair on and release it; queries follow the vendor page's visibility rule: an inspector
//!   sees every conference of its VDN, a common agent only a conference it takes part in, and
//!   the rest are answered exactly like conferences that do not exist.
//!
//! [`app`] is the router the binary serves, over plain HTTP ([`serve`]) or HTTPS
//! ([`tls::serve_tls`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use agentgateway_sim::{DataSet, Simulator};
//!
//! let sim = Simulator::new(DataSet::default_data()?);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! tokio::spawn(agentgateway_sim::serve(listener, agentgateway_sim::app(sim)));
//! # Ok(()) }
//! ```

pub mod agentconf;
pub mod agentevent;
pub mod conference;
pub mod conn;
pub mod data;
pub mod events;
pub mod onlineagent;
pub mod push;
pub mod sim;
pub mod store;
pub mod tls;

use axum::Router;
use tokio::net::TcpListener;

pub use conference::{Announcement, Conference, ConferenceAnnouncement, Participant};
pub use data::{DataSet, Role};
pub use sim::{AgentSession, Options, SessionInfo, Simulator};
pub use store::{Store, StoreError};

/// The OpenAPI 3.1 document of the spec the simulator serves: `generated/openapi.json`, which
/// `gatespec generate` writes from the spec and `gatespec check` keeps current, embedded at build
/// time.
pub const OPENAPI: &str = include_str!("../../generated/openapi.json");

/// The path the simulator serves [`OPENAPI`] at.
pub const OPENAPI_PATH: &str = "/openapi.json";

/// The simulator's router: the generated agentconf, agentevent and onlineagent routes, the
/// OpenAPI document at [`OPENAPI_PATH`], and the envelope with HTTP 404 for unknown paths. Every refusal code comes from the spec (a common agent calling the
/// inspector-only `queryvdnconfid` gets the `101-004` its role prerequisite declares).
pub fn app(sim: Simulator) -> Router {
    agentgateway::agentconf::router(sim.clone())
        .merge(agentgateway::agentevent::router(sim.clone()))
        .merge(agentgateway::onlineagent::router(sim))
        .route(OPENAPI_PATH, axum::routing::get(openapi))
        .fallback(gatespec::server::not_found(&agentgateway::PROTOCOL))
}

/// `GET /openapi.json`: the embedded document as JSON.
async fn openapi() -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
}

/// Serves `app` over plain HTTP on `listener` until the task is dropped. A client that does not
/// send a request's headers within [`HEADER_TIMEOUT`](conn::HEADER_TIMEOUT) is disconnected.
///
/// # Errors
/// None so far: a failed accept is logged and retried. The `Result` leaves room for errors
/// that end serving.
pub async fn serve(listener: TcpListener, app: Router) -> std::io::Result<()> {
    serve_with_header_timeout(listener, app, conn::HEADER_TIMEOUT).await
}

/// [`serve`] with another header timeout.
///
/// # Errors
/// As [`serve`].
pub async fn serve_with_header_timeout(
    listener: TcpListener,
    app: Router,
    header_timeout: std::time::Duration,
) -> std::io::Result<()> {
    conn::accept_loop(listener, move |tcp, _peer| {
        conn::serve_connection(tcp, app.clone(), header_timeout)
    })
    .await;
    Ok(())
}
