//! The `queryconfinfos` server both server benchmarks use (benches/server.rs in process,
//! examples/bench_server.rs over sockets): one session, the vendor example as every answer, served
//! by the generated router and by a hand-written axum handler that makes the same checks and
//! writes the same envelope.

use std::collections::HashMap;
use std::sync::Arc;

use agentgateway::agentconf::{
    AgentconfServer, QueryConfInfosPath, QueryConfInfosRequest, QueryConfInfosResult,
};
use agentgateway::{AgentId, ErrorCode};
use gatespec::server::axum::body::{Body, Bytes};
use gatespec::server::axum::extract::{Path, State};
use gatespec::server::axum::http::{HeaderMap, HeaderValue, Response, header};
use gatespec::server::axum::{self, Router};
use gatespec::server::{Caller, Context, SessionStore};
use gatespec::{CodeEnum, GatewayError, Validate};
use serde::Serialize;

pub const AGENT: &str = "153";
pub const GUID: &str = "bench-guid-153";
pub const URI: &str = "/agentgateway/resource/agentconf/153/queryconfinfos";
/// The vendor page's request body.
pub const BODY: &str = "{\n    \"confIds\": [\n        1029888,\n        1029889\n    ]\n}\n";
/// The vendor page's result.
pub const RESULT: &str = r#"{"confs":[{"confId":1029888,"confState":0,"startTime":1475745454000,"applyConfTime":60,"confHaveBeenTime":29,"addresses":[{"addressType":"6","address":"70005","deviceCallType":0,"deviceType":0,"channelAttrib":3,"channelState":0,"role":0,"enterTime":1475745464000},{"addressType":"9","address":"153","deviceCallType":0,"deviceType":6,"channelAttrib":3,"channelState":0,"role":1,"enterTime":1475745454000}]}]}"#;

#[derive(Clone, Debug)]
struct Agent {
    id: String,
}

impl Caller for Agent {
    fn agent_id(&self) -> &str {
        &self.id
    }

    fn role(&self) -> &str {
        "agent"
    }
}

/// The server both routers call: one session, and the vendor example as every answer.
#[derive(Debug)]
struct Conferences {
    sessions: HashMap<String, Agent>,
    result: QueryConfInfosResult,
}

impl Conferences {
    fn new() -> Self {
        let agent = Agent {
            id: AGENT.to_owned(),
        };
        Self {
            sessions: HashMap::from([(GUID.to_owned(), agent)]),
            result: serde_json::from_str(RESULT).unwrap(),
        }
    }

    fn lookup(&self, guid: &str) -> Option<Agent> {
        self.sessions.get(guid).cloned()
    }

    async fn query(&self, _caller: &Agent, _body: &QueryConfInfosRequest) -> QueryConfInfosResult {
        self.result.clone()
    }
}

impl SessionStore for Conferences {
    type Caller = Agent;

    async fn resolve(&self, session_id: &str) -> Option<Agent> {
        self.lookup(session_id)
    }
}

impl AgentconfServer for Conferences {
    async fn query_conf_infos(
        &self,
        ctx: Context<Agent>,
        _path: QueryConfInfosPath,
        body: QueryConfInfosRequest,
    ) -> Result<QueryConfInfosResult, GatewayError<ErrorCode>> {
        Ok(self.query(ctx.caller(), &body).await)
    }
}

/// The generated router.
pub fn generated() -> Router {
    agentgateway::agentconf::router(Conferences::new())
}

/// The same interface by hand: the same checks in the same order and the same envelope.
pub fn hand_written() -> Router {
    Router::new()
        .route(
            "/agentgateway/resource/agentconf/{agentid}/queryconfinfos",
            axum::routing::post(query_conf_infos),
        )
        .with_state(Arc::new(Conferences::new()))
}

#[derive(Serialize)]
struct Envelope<'a, R> {
    message: &'a str,
    retcode: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<R>,
}

fn envelope<R: Serialize>(retcode: &str, message: &str, result: Option<R>) -> Response<Body> {
    let bytes = serde_json::to_vec(&Envelope {
        message,
        retcode,
        result,
    })
    .unwrap_or_default();
    let mut response = Response::new(Body::from(bytes));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    response
}

fn refuse(code: ErrorCode, reason: &str) -> Response<Body> {
    let message = format!("{}: {reason}", code.description());
    let retcode = code.code().to_string();
    envelope::<()>(&retcode, &message, None)
}

async fn query_conf_infos(
    State(server): State<Arc<Conferences>>,
    Path(agentid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    if agentid.parse::<AgentId>().is_err() {
        return refuse(ErrorCode::InvalidParameter, "invalid URI parameter");
    }
    let Some(guid) = headers
        .get("Guid")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .filter(|v| !v.is_empty())
    else {
        return refuse(ErrorCode::NotSignedIn, "no `Guid` header");
    };
    let Some(caller) = server.lookup(&guid) else {
        return refuse(ErrorCode::NoPermission, "unknown or expired session");
    };
    if caller.id != agentid {
        return refuse(ErrorCode::NoPermission, "the session is another agent's");
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return refuse(ErrorCode::InvalidParameter, "not JSON");
    }
    let request: QueryConfInfosRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => return refuse(ErrorCode::InvalidParameter, &e.to_string()),
    };
    if request.validate().is_err() {
        return refuse(ErrorCode::InvalidParameter, "invalid request body");
    }
    let result = server.query(&caller, &request).await;
    envelope("0", "", Some(result))
}
