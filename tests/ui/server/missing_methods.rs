//! A service without `server_defaults` (the edge-case spec's `calls`): a server that implements
//! only some of its interfaces does not compile, and rustc names the missing methods.

#[allow(dead_code, unused_imports)]
mod edge {
    include!("../../specs/codegen/edge_cases.rs");
}

use edge::ErrorCode;
use edge::calls::{
    CallsServer, CurrentModePath, CurrentModeResult, ListCallsPath, ListCallsResult,
    RequestConfPath, RequestConfRequest, StartCallPath, StartCallRequest, StartCallResult,
    StopCallFailure, StopCallPath, TransferChairPath, TransferChairRequest, TransferChairResult,
};
use gatespec::server::{Caller, Context, SessionStore};
use gatespec::{GatewayError, NoResult};

#[derive(Clone, Debug)]
struct Agent(String);

impl Caller for Agent {
    fn agent_id(&self) -> &str {
        &self.0
    }

    fn role(&self) -> &str {
        "inspector"
    }
}

/// A server written before the service gained `say_busy` and `list_keywords`.
struct Calls;

impl SessionStore for Calls {
    type Caller = Agent;

    async fn resolve(&self, session_id: &str) -> Option<Agent> {
        Some(Agent(session_id.to_owned()))
    }
}

impl CallsServer for Calls {
    async fn start_call(
        &self,
        _ctx: Context<Agent>,
        _path: StartCallPath,
        _body: StartCallRequest,
    ) -> Result<StartCallResult, GatewayError<ErrorCode>> {
        Err(GatewayError::new(ErrorCode::BadInput))
    }

    async fn stop_call(
        &self,
        _ctx: Context<Agent>,
        _path: StopCallPath,
    ) -> Result<NoResult, GatewayError<ErrorCode, StopCallFailure>> {
        Err(GatewayError::new(ErrorCode::BadInput))
    }

    async fn request_conf(
        &self,
        _ctx: Context<Option<Agent>>,
        _path: RequestConfPath,
        _body: RequestConfRequest,
    ) -> Result<NoResult, GatewayError<ErrorCode>> {
        Ok(NoResult)
    }

    async fn list_calls(
        &self,
        _ctx: Context<Option<Agent>>,
        _path: ListCallsPath,
    ) -> Result<ListCallsResult, GatewayError<ErrorCode>> {
        Err(GatewayError::new(ErrorCode::BadInput))
    }

    async fn transfer_chair(
        &self,
        _ctx: Context<Agent>,
        _path: TransferChairPath,
        _body: TransferChairRequest,
    ) -> Result<TransferChairResult, GatewayError<ErrorCode>> {
        Err(GatewayError::new(ErrorCode::BadInput))
    }

    async fn current_mode(
        &self,
        _ctx: Context<Option<Agent>>,
        _path: CurrentModePath,
    ) -> Result<CurrentModeResult, GatewayError<ErrorCode>> {
        Err(GatewayError::new(ErrorCode::BadInput))
    }
}

fn main() {
    let _app = edge::calls::router(Calls);
}
