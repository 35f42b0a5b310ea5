//! The agentevent interface: the generated [`AgenteventServer`] over the simulator's live
//! sessions. A poll holds until an event is queued for the agent or the hold runs out, and
//! hands out the session's renewed Guid in `Set-GUID` when the poll renewed it.

use agentgateway::agentevent::{AgenteventServer, GetAgentEventPath, GetAgentEventResult};
use agentgateway::{ErrorCode, Event};
use gatespec::GatewayError;
use gatespec::server::Context;

use crate::conference::Failure;
use crate::sim::{AgentSession, Simulator};
use crate::store::store_error;

impl AgenteventServer for Simulator {
    async fn get_agent_event(
        &self,
        ctx: Context<AgentSession>,
        _path: GetAgentEventPath,
    ) -> Result<GetAgentEventResult, Failure> {
        self.count();
        let found = self
            .live
            .find(ctx.session_id())
            .await
            .map_err(store_error)?;
        if found.is_some_and(|found| found.push.is_some()) {
            return Err(GatewayError::with_message(
                ErrorCode::WrongEventMethod,
                "the agent signed in for push mode: its events are posted to its callback",
            ));
        }
        let polled = self
            .live
            .poll(ctx.session_id())
            .await
            .map_err(store_error)?;
        let Some(polled) = polled else {
            // Signed out during the hold.
            return Err(GatewayError::new(ErrorCode::NotSignedIn));
        };
        if let Some(renewed) = polled.renewed.clone() {
            ctx.renew_session(renewed);
        }
        match polled.event_as::<Event>() {
            None => Ok(None),
            Some(Ok(event)) => Ok(Some(event)),
            Some(Err(e)) => Err(GatewayError::with_message(
                ErrorCode::OperationFailed,
                format!("a queued event does not decode: {e}"),
            )),
        }
    }
}
