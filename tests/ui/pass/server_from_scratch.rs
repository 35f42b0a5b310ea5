//! A team's own service implementing the generated AgentGateway server trait from scratch: its
//! own session store and data, only the interfaces it serves (the others answer the default
//! methods' 000-002), the generated router composed with tower middleware, served on a loopback
//! socket and called through the generated client.
#![deny(warnings)]

use std::collections::HashMap;

use agentgateway::agentconf::{
    self, AgentconfClient, AgentconfServer, QueryAllConfIdsPath, QueryAllConfIdsResult,
    QueryConfInfosPath, QueryConfInfosRequest, QueryConfInfosResult, StopVoiceToConfFailure,
    StopVoiceToConfPath,
};
use agentgateway::{ConfInfo, ConfState, ErrorCode};
use gatespec::{GatewayError, NoResult};
use gatespec::server::axum;
use gatespec::server::{Caller as CallerTrait, Context, SessionStore};

/// What the service knows about a signed-in caller.
#[derive(Clone, Debug)]
struct Caller {
    agent: String,
    inspector: bool,
}

impl CallerTrait for Caller {
    fn agent_id(&self) -> &str {
        &self.agent
    }

    fn role(&self) -> &str {
        if self.inspector { "inspector" } else { "agent" }
    }
}

/// The service: sessions by Guid, and the conferences it runs.
struct Conferences {
    sessions: HashMap<String, Caller>,
    running: Vec<ConfInfo>,
}

impl SessionStore for Conferences {
    type Caller = Caller;

    async fn resolve(&self, session_id: &str) -> Option<Caller> {
        self.sessions.get(session_id).cloned()
    }
}

impl AgentconfServer for Conferences {
    async fn query_conf_infos(
        &self,
        ctx: Context<Caller>,
        path: QueryConfInfosPath,
        body: QueryConfInfosRequest,
    ) -> Result<QueryConfInfosResult, GatewayError<ErrorCode>> {
        // The router has validated the path and the body and checked the session.
        assert_eq!(path.agentid.to_string(), ctx.agent_id());
        if !ctx.caller().inspector {
            return Err(GatewayError::with_message(
                ErrorCode::NotInspector,
                "only inspectors here",
            ));
        }
        // Dynamic authentication: hand the caller a new Guid (sent as `Set-GUID`).
        ctx.renew_session(format!("{}-renewed", ctx.session_id()));
        let confs = self
            .running
            .iter()
            .filter(|c| body.conf_ids.contains(&c.conf_id))
            .cloned()
            .collect();
        Ok(QueryConfInfosResult { confs })
    }

    async fn query_all_conf_ids(
        &self,
        _ctx: Context<Caller>,
        _path: QueryAllConfIdsPath,
    ) -> Result<QueryAllConfIdsResult, GatewayError<ErrorCode>> {
        let conf_ids = self.running.iter().map(|c| c.conf_id).collect();
        Ok(QueryAllConfIdsResult { conf_ids })
    }

    async fn stop_voice_to_conf(
        &self,
        _ctx: Context<Caller>,
        _path: StopVoiceToConfPath,
    ) -> Result<NoResult, GatewayError<ErrorCode, StopVoiceToConfFailure>> {
        // The device's cause travels with the refusal.
        Err(GatewayError::new(ErrorCode::OperationFailed)
            .with_detail(StopVoiceToConfFailure { error_reason: 7 }))
    }

    // The other interfaces are answered by the trait's default methods (the spec's
    // `server_defaults: not_supported`): 000-002, "this server does not implement ...".
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let service = Conferences {
            sessions: HashMap::from([
                (
                    "g-200".to_owned(),
                    Caller {
                        agent: "200".to_owned(),
                        inspector: true,
                    },
                ),
                (
                    "g-200-renewed".to_owned(),
                    Caller {
                        agent: "200".to_owned(),
                        inspector: true,
                    },
                ),
                (
                    "g-153".to_owned(),
                    Caller {
                        agent: "153".to_owned(),
                        inspector: false,
                    },
                ),
            ]),
            running: vec![ConfInfo {
                conf_id: 42,
                conf_state: ConfState::Normal,
                start_time: 0,
                apply_conf_time: 60,
                conf_have_been_time: 1,
                addresses: vec![],
            }],
        };
        // The generated router is an axum Router: tower middleware composes.
        let app = agentconf::router(service).layer(axum::middleware::map_response(
            |mut response: axum::response::Response| async move {
                response
                    .headers_mut()
                    .insert("x-served-by", axum::http::HeaderValue::from_static("mine"));
                response
            },
        ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, app).await });

        let client = |guid: &str| {
            AgentconfClient::new(gatespec::client::Session::resume(
                &gatespec::client::Client::builder(&base)
                    .build()
                    .expect("client"),
                guid,
            ))
        };
        let body = QueryConfInfosRequest {
            conf_ids: vec![42, 43],
        };
        let inspector = client("g-200");
        let found = inspector
            .query_conf_infos("200".parse().expect("agent id"), &body)
            .await
            .expect("inspector query");
        assert_eq!(found.confs.len(), 1);
        // The client adopted the renewed session and goes on with it.
        assert_eq!(inspector.inner().session_id().as_deref(), Some("g-200-renewed"));
        inspector
            .query_conf_infos("200".parse().expect("agent id"), &body)
            .await
            .expect("query with the renewed session");

        let refused = client("g-153")
            .query_conf_infos("153".parse().expect("agent id"), &body)
            .await
            .expect_err("not an inspector");
        let failure = refused.gateway().expect("a gateway failure");
        assert_eq!(failure.code(), Some(&ErrorCode::NotInspector));
        assert_eq!(failure.message(), "only inspectors here");

        // (Each query renewed the inspector's session; the store knows only the first renewal.)
        let refused = client("g-200")
            .stop_voice_to_conf("200".parse().expect("agent id"))
            .await
            .expect_err("the device refuses");
        let failure = refused.gateway().expect("a gateway failure");
        assert_eq!(failure.detail(), Some(&StopVoiceToConfFailure { error_reason: 7 }));

        // An interface the service does not implement: the default method answers.
        let refused = client("g-200")
            .release_agent_conf("200".parse().expect("agent id"))
            .await
            .expect_err("not implemented here");
        let failure = refused.gateway().expect("a gateway failure");
        assert_eq!(failure.code(), Some(&ErrorCode::InvalidParameter));
        assert!(failure
            .message()
            .ends_with(": this server does not implement `releaseAgentConf`"));
    });
}
