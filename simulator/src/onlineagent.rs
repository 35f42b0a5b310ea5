//! The onlineagent interfaces: the generated [`OnlineagentServer`] over the simulator's agents
//! and live sessions (sign-in and forced sign-in, in polling or push mode, sign-out, status,
//! idle, heartbeat, Guid update).

use agentgateway::onlineagent::{
    ForceLoginPath, ForceLoginRequest, ForceLoginResult, GetAgentStatusPath, GetAgentStatusResult,
    HandShakePath, LoginPath, LoginRequest, LoginResult, LogoutPath, OnlineagentServer,
    SayFreePath, UpdateGuidPath, UpdateGuidResult,
};
use agentgateway::{AgentState, ErrorCode, SignInStatus};
use gatespec::server::Context;
use gatespec::{Constrained, GatewayError, NoResult};

use gatespec::server::live::{PushTarget, SessionBackend as _};

use crate::conference::Failure;
use crate::events::Outbox;
use crate::sim::{AgentSession, Simulator, now_ms, random_guid};
use crate::store::{random_login, store_error};

/// A session just started by sign-in or forced sign-in.
struct SignedIn {
    guid: String,
    agent_id: String,
    vdn: u32,
    login_time: i64,
}

impl Simulator {
    /// Signs `agent_id` in with `password`: 100-004 for an unknown agent or a wrong password;
    /// an agent with a session is refused with 100-002 unless `force`, which ends that session.
    /// With both a callback URI and a service token the session is in push mode. Queues the
    /// sign-in's events.
    async fn sign_in(
        &self,
        agent_id: String,
        password: &str,
        status: SignInStatus,
        force: bool,
        push: Option<PushTarget>,
    ) -> Result<SignedIn, Failure> {
        let caller = {
            let wrong = || {
                GatewayError::with_message(
                    ErrorCode::WrongCredentials,
                    format!("wrong agent id or password for agent {agent_id}"),
                )
            };
            let Some(account) = self.account(&agent_id) else {
                return Err(wrong());
            };
            if account.password != password {
                return Err(wrong());
            }
            AgentSession {
                agent_id: agent_id.clone(),
                role: account.role,
                vdn: account.vdn,
                login: random_login(),
            }
        };
        let (vdn, login) = (caller.vdn, caller.login);
        let agent_state = match status {
            SignInStatus::Busy => AgentState::Busy,
            SignInStatus::Idle => AgentState::Idle,
            SignInStatus::WrapUp => AgentState::WrapUp,
        };
        let guid = if force {
            let signed_in = self.live.sign_in(caller, push.clone()).await;
            signed_in.map_err(store_error)?.id
        } else {
            // One atomic step, even against a sign-in of the agent on another instance.
            let signed_in = self.live.sign_in_exclusive(caller, push.clone()).await;
            signed_in.map_err(store_error)?.ok_or_else(|| {
                GatewayError::with_message(
                    ErrorCode::AlreadySignedIn,
                    format!("agent {agent_id} has already signed in"),
                )
            })?
        };
        // Nobody knows the new Guid before this answers, so no call sees the session before
        // its state. A session whose state could not be stored is ended again.
        if let Err(e) = self.shared().signed_in(&agent_id, login, agent_state).await {
            if let Err(also) = self.live.sign_out(&guid).await {
                tracing::warn!(agent = %agent_id, error = %also, "a session without state stays until it idles out");
            }
            return Err(e.into());
        }
        if let Some(target) = push {
            crate::push::start(self.clone(), guid.clone(), target);
        }
        let mut outbox = Outbox::new();
        outbox.signed_in(&agent_id, agent_state);
        self.publish_all(outbox.into_events()).await;
        tracing::info!(agent = %agent_id, force, "signed in");
        Ok(SignedIn {
            guid,
            agent_id,
            vdn,
            login_time: now_ms(),
        })
    }
}

/// Where a sign-in asks its events to be pushed: both a callback URI and a service token
/// make a session in push mode.
fn push_target(call_back_uri: Option<String>, service_token: Option<String>) -> Option<PushTarget> {
    match (call_back_uri, service_token) {
        (Some(address), Some(token)) if !address.is_empty() && !token.is_empty() => {
            Some(PushTarget {
                address,
                token: Some(token),
            })
        }
        _ => None,
    }
}

impl OnlineagentServer for Simulator {
    async fn force_login(
        &self,
        ctx: Context<Option<AgentSession>>,
        path: ForceLoginPath,
        body: ForceLoginRequest,
    ) -> Result<ForceLoginResult, Failure> {
        self.count();
        let signed_in = self
            .sign_in(
                path.agentid.into_inner(),
                &body.password,
                body.status_or_default(),
                true,
                push_target(body.call_back_uri, body.service_token),
            )
            .await?;
        ctx.renew_session(signed_in.guid);
        Ok(ForceLoginResult {
            vdnid: i32::try_from(signed_in.vdn).ok(),
            workno: Some(signed_in.agent_id),
            mediatype: Some("TTF".to_owned()),
            login_time: Some(signed_in.login_time.to_string()),
            is_force_change: Some("false".to_owned()),
            server_name: Some("AgentGateway".to_owned()),
            time_remaining: None,
        })
    }

    async fn get_agent_status(
        &self,
        ctx: Context<AgentSession>,
        _path: GetAgentStatusPath,
    ) -> Result<GetAgentStatusResult, Failure> {
        self.count();
        let agent = &ctx.caller().agent_id;
        let agent_state = self
            .shared()
            .agent(agent)
            .await?
            .ok_or_else(|| {
                // Signed out by a concurrent call, or the store lost the state.
                GatewayError::with_message(
                    ErrorCode::OperationFailed,
                    format!("no state is recorded for agent {agent}"),
                )
            })?
            .state;
        Ok(GetAgentStatusResult {
            agent_state,
            is_working: false,
        })
    }

    async fn hand_shake(
        &self,
        ctx: Context<AgentSession>,
        _path: HandShakePath,
    ) -> Result<NoResult, Failure> {
        self.count();
        // The router answered 000-003 or 100-006 unless the session is live.
        let live = self
            .live
            .heartbeat(ctx.session_id())
            .await
            .map_err(store_error)?;
        if !live {
            // Signed out by a concurrent call after the router resolved the Guid.
            return Err(GatewayError::new(ErrorCode::NotSignedIn));
        }
        self.shared()
            .heartbeat(&ctx.caller().agent_id, now_ms())
            .await?;
        Ok(NoResult)
    }

    async fn login(
        &self,
        ctx: Context<Option<AgentSession>>,
        path: LoginPath,
        body: LoginRequest,
    ) -> Result<LoginResult, Failure> {
        self.count();
        let signed_in = self
            .sign_in(
                path.agentid.into_inner(),
                &body.password,
                body.status_or_default(),
                false,
                push_target(body.call_back_uri, body.service_token),
            )
            .await?;
        ctx.renew_session(signed_in.guid);
        Ok(LoginResult {
            vdnid: i32::try_from(signed_in.vdn).ok(),
            workno: Some(signed_in.agent_id),
            mediatype: Some("TTF".to_owned()),
            login_time: Some(signed_in.login_time.to_string()),
            is_force_change: Some("false".to_owned()),
            server_name: Some("AgentGateway".to_owned()),
            time_remaining: None,
        })
    }

    async fn logout(
        &self,
        ctx: Context<AgentSession>,
        _path: LogoutPath,
    ) -> Result<NoResult, Failure> {
        self.count();
        self.live
            .sign_out(ctx.session_id())
            .await
            .map_err(store_error)?;
        self.shared()
            .signed_out(&ctx.caller().agent_id, ctx.caller().login)
            .await?;
        tracing::info!(agent = %ctx.caller().agent_id, "signed out");
        Ok(NoResult)
    }

    async fn say_free(
        &self,
        ctx: Context<AgentSession>,
        _path: SayFreePath,
    ) -> Result<NoResult, Failure> {
        self.count();
        self.shared()
            .set_state(&ctx.caller().agent_id, AgentState::Idle)
            .await?;
        tracing::info!(agent = %ctx.caller().agent_id, "idle");
        Ok(NoResult)
    }

    async fn update_guid(
        &self,
        ctx: Context<AgentSession>,
        _path: UpdateGuidPath,
    ) -> Result<UpdateGuidResult, Failure> {
        self.count();
        let guid = random_guid();
        // The old Guid is refused at once (unlike a renewal on the polling answer).
        let now = self.live.now();
        let backend = self.live.backend();
        let found = self
            .live
            .find(ctx.session_id())
            .await
            .map_err(store_error)?;
        let renewed = match found {
            Some(found) => backend
                .renew(&found.current_id, &guid, now, now)
                .await
                .map_err(store_error)?,
            None => false,
        };
        if !renewed {
            // Signed out (or renewed) by a concurrent call after the router resolved the Guid.
            return Err(GatewayError::new(ErrorCode::NotSignedIn));
        }
        ctx.renew_session(guid.clone());
        tracing::info!(agent = %ctx.caller().agent_id, "Guid updated");
        Ok(UpdateGuidResult { guid })
    }
}
