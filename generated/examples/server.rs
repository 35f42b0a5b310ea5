//! A complete AgentGateway server on the generated traits (the README's server example;
//! tests/readme_server.rs checks that the README shows this file, and calls what `serve` serves
//! end to end).
//!
//! `cargo run -p agentgateway --example server`, then sign in as agent 153 with password
//! `secret` and call its conference interfaces.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use agentgateway::agentconf::{
    self, AgentconfServer, QueryConfInfosPath, QueryConfInfosRequest, QueryConfInfosResult,
    StopVoiceToConfFailure, StopVoiceToConfPath,
};
use agentgateway::onlineagent::{
    self, LoginPath, LoginRequest, LoginResult, LogoutPath, OnlineagentServer,
};
use agentgateway::{ErrorCode, PROTOCOL};
use gatespec::server::{Caller, Context, Router, SessionStore};
use gatespec::{Constrained, GatewayError, NoResult};

/// What the server knows about a signed-in agent.
#[derive(Clone, Debug)]
struct Agent {
    id: String,
    inspector: bool,
}

impl Caller for Agent {
    /// What the `agentid` of every path must name (the router checks it).
    fn agent_id(&self) -> &str {
        &self.id
    }

    /// The role that role prerequisites check (`inspector` for queryvdnconfid).
    fn role(&self) -> &str {
        if self.inspector { "inspector" } else { "agent" }
    }
}

/// The server's state, shared by the routers of both services: clones share it.
#[derive(Clone, Default)]
struct Gateway {
    /// Live sessions by Guid.
    sessions: Arc<Mutex<HashMap<String, Agent>>>,
    issued: Arc<AtomicU64>,
}

/// A failure for a state the server cannot reach (a poisoned lock).
fn operation_failed() -> GatewayError<ErrorCode> {
    GatewayError::new(ErrorCode::OperationFailed)
}

/// The router asks the store who sends a `Guid` before any interface that needs sign-in runs:
/// a missing Guid is refused with 100-006, an unknown one with 000-003.
impl SessionStore for Gateway {
    type Caller = Agent;

    async fn resolve(&self, guid: &str) -> Option<Agent> {
        self.sessions.lock().ok()?.get(guid).cloned()
    }
}

/// The services opt in to default methods (`server_defaults: not_supported` in the spec): the
/// interfaces not implemented here answer 000-002 "...: this server does not implement ...".
impl OnlineagentServer for Gateway {
    /// Sign-in needs no session, so its context holds an `Option<Agent>`; it hands one out.
    async fn login(
        &self,
        ctx: Context<Option<Agent>>,
        path: LoginPath,
        body: LoginRequest,
    ) -> Result<LoginResult, GatewayError<ErrorCode>> {
        // The router has validated the path and the body (lengths, codes, rules).
        let id = path.agentid.into_inner();
        if body.password != "secret" {
            return Err(GatewayError::new(ErrorCode::WrongCredentials));
        }
        let guid = format!("{id}-{}", self.issued.fetch_add(1, Ordering::Relaxed));
        let agent = Agent {
            id: id.clone(),
            inspector: false,
        };
        self.sessions
            .lock()
            .map_err(|_| operation_failed())?
            .insert(guid.clone(), agent);
        // Answered as `Set-GUID: JSESSIONID=<guid>`, which generated clients adopt.
        ctx.renew_session(guid);
        Ok(LoginResult::default().with_workno(id).with_vdnid(1))
    }

    /// Sign-out needs a session: its context holds the `Agent` the store resolved.
    async fn logout(
        &self,
        ctx: Context<Agent>,
        _path: LogoutPath,
    ) -> Result<NoResult, GatewayError<ErrorCode>> {
        self.sessions
            .lock()
            .map_err(|_| operation_failed())?
            .remove(ctx.session_id());
        Ok(NoResult)
    }
}

impl AgentconfServer for Gateway {
    /// A refusal with a code of the vendor's catalogue (and a message of the server's own).
    async fn query_conf_infos(
        &self,
        ctx: Context<Agent>,
        _path: QueryConfInfosPath,
        _body: QueryConfInfosRequest,
    ) -> Result<QueryConfInfosResult, GatewayError<ErrorCode>> {
        Err(GatewayError::with_message(
            ErrorCode::NoConference,
            format!("agent {} has no conference", ctx.agent_id()),
        ))
    }

    /// A refusal with the interface's failure detail, which the answer carries in `result`.
    async fn stop_voice_to_conf(
        &self,
        _ctx: Context<Agent>,
        _path: StopVoiceToConfPath,
    ) -> Result<NoResult, GatewayError<ErrorCode, StopVoiceToConfFailure>> {
        Err(GatewayError::new(ErrorCode::OperationFailed)
            .with_detail(StopVoiceToConfFailure { error_reason: 1 }))
    }
}

/// Both services on one router, and the envelope with HTTP 404 for unknown paths.
fn app(gateway: Gateway) -> Router {
    agentconf::router(gateway.clone())
        .merge(onlineagent::router(gateway))
        .fallback(gatespec::server::not_found(&PROTOCOL))
}

/// Serves a new gateway on `listener` until the task ends.
pub async fn serve(listener: tokio::net::TcpListener) -> std::io::Result<()> {
    gatespec::server::axum::serve(listener, app(Gateway::default())).await
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    serve(tokio::net::TcpListener::bind("127.0.0.1:8043").await?).await
}
