//! The onlineagent interfaces: the generated [`OnlineagentServer`] over the simulator's agents
//! and sessions (sign-in and forced sign-in, sign-out, status, idle, heartbeat, Guid update).

use agentgateway::onlineagent::{
    ForceLoginPath, ForceLoginRequest, ForceLoginResult, GetAgentStatusPath, GetAgentStatusResult,
    HandShakePath, LoginPath, LoginRequest, LoginResult, LogoutPath, OnlineagentServer,
    SayFreePath, UpdateGuidPath, UpdateGuidResult,
};
use agentgateway::{AgentState, ErrorCode, SignInStatus};
use gatespec::server::Context;
use gatespec::{Constrained, GatewayError, NoResult};

use crate::conference::Failure;
use crate::sim::{AgentSession, Simulator, now_ms, random_guid};

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
    fn sign_in(
        &self,
        agent_id: String,
        password: &str,
        status: SignInStatus,
        force: bool,
    ) -> Result<SignedIn, Failure> {
        let mut state = self.state();
        let wrong = || {
            GatewayError::with_message(
                ErrorCode::WrongCredentials,
                format!("wrong agent id or password for agent {agent_id}"),
            )
        };
        let Some(account) = state.accounts.iter().find(|a| a.id == agent_id) else {
            return Err(wrong());
        };
        if account.password != password {
            return Err(wrong());
        }
        let (role, vdn) = (account.role, account.vdn);
        if force {
            state.sessions.retain(|_, s| s.agent_id != agent_id);
        } else if state.session_of(&agent_id).is_some() {
            return Err(GatewayError::with_message(
                ErrorCode::AlreadySignedIn,
                format!("agent {agent_id} has already signed in"),
            ));
        }
        let guid = random_guid();
        let agent_state = match status {
            SignInStatus::Busy => AgentState::Busy,
            SignInStatus::Idle => AgentState::Idle,
            SignInStatus::WrapUp => AgentState::WrapUp,
        };
        state.sessions.insert(
            guid.clone(),
            AgentSession {
                agent_id: agent_id.clone(),
                role,
                vdn,
                guid: guid.clone(),
                state: agent_state,
                last_heartbeat: None,
            },
        );
        tracing::info!(agent = %agent_id, force, "signed in");
        Ok(SignedIn {
            guid,
            agent_id,
            vdn,
            login_time: now_ms(),
        })
    }

    /// Changes the live session with `guid` (sayfree, handshake).
    fn update_session(&self, guid: &str, change: impl FnOnce(&mut AgentSession)) {
        if let Some(session) = self.state().sessions.get_mut(guid) {
            change(session);
        }
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
        let signed_in = self.sign_in(
            path.agentid.into_inner(),
            &body.password,
            body.status_or_default(),
            true,
        )?;
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
        Ok(GetAgentStatusResult {
            agent_state: ctx.caller().state,
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
        let now = now_ms();
        self.update_session(ctx.session_id(), |session| {
            session.last_heartbeat = Some(now)
        });
        Ok(NoResult)
    }

    async fn login(
        &self,
        ctx: Context<Option<AgentSession>>,
        path: LoginPath,
        body: LoginRequest,
    ) -> Result<LoginResult, Failure> {
        self.count();
        let signed_in = self.sign_in(
            path.agentid.into_inner(),
            &body.password,
            body.status_or_default(),
            false,
        )?;
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
        self.state().sessions.remove(ctx.session_id());
        tracing::info!(agent = %ctx.caller().agent_id, "signed out");
        Ok(NoResult)
    }

    async fn say_free(
        &self,
        ctx: Context<AgentSession>,
        _path: SayFreePath,
    ) -> Result<NoResult, Failure> {
        self.count();
        self.update_session(ctx.session_id(), |session| session.state = AgentState::Idle);
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
        {
            let mut state = self.state();
            let Some(mut session) = state.sessions.remove(ctx.session_id()) else {
                // Signed out by a concurrent call after the router resolved the Guid.
                return Err(GatewayError::new(ErrorCode::NotSignedIn));
            };
            session.guid.clone_from(&guid);
            state.sessions.insert(guid.clone(), session);
        }
        ctx.renew_session(guid.clone());
        tracing::info!(agent = %ctx.caller().agent_id, "Guid updated");
        Ok(UpdateGuidResult { guid })
    }
}
