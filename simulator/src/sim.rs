//! The simulated gateway: the generated [`AgentconfServer`] and [`OnlineagentServer`] over an
//! in-memory store of agents, sessions and conferences.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use agentgateway::agentconf::{
    AgentconfServer, AnswerAgentConfPath, BatchAddParticipantPath, BatchAddParticipantRequest,
    ChangeParticipantModePath, ChangeParticipantModeRequest, QueryAllConfIdsPath,
    QueryAllConfIdsResult, QueryConfInfosPath, QueryConfInfosRequest, QueryConfInfosResult,
    RequestAgentConfPath, RequestAgentConfRequest, RequestAgentConfResult, StopVoiceToConfFailure,
    StopVoiceToConfPath,
};
use agentgateway::onlineagent::{
    GetAgentStatusPath, GetAgentStatusResult, LoginPath, LoginRequest, LoginResult, LogoutPath,
    OnlineagentServer,
};
use agentgateway::{
    AddressType, AgentState, ChannelAttrib, ChannelState, ConfInfo, ConfRole, ConfState, ErrorCode,
    ParticipantInfo, SignInStatus, UserDefinedDeviceCallType, UserDefinedDeviceType,
};
use gatespec::server::{Caller, Context, SessionStore};
use gatespec::{Constrained, GatewayError, NoResult};

use crate::data::{Conference, DataSet, Role};

/// A handler's failure.
type Failure = GatewayError<ErrorCode>;

/// A signed-in agent's session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentSession {
    /// The agent id.
    pub agent_id: String,
    /// Inspector or common agent.
    pub role: Role,
    /// The agent's VDN.
    pub vdn: u32,
    /// The session Guid.
    pub guid: String,
    /// The agent's state since sign-in (the sign-in `status`; idle for seeded sessions).
    pub state: AgentState,
}

impl Caller for AgentSession {
    fn agent_id(&self) -> &str {
        &self.agent_id
    }

    fn role(&self) -> &str {
        self.role.as_str()
    }
}

/// An agent of the data set: what sign-in checks.
#[derive(Debug)]
struct Account {
    id: String,
    role: Role,
    vdn: u32,
    password: String,
}

#[derive(Debug)]
struct State {
    /// Agents in data-set order.
    accounts: Vec<Account>,
    /// Live sessions by Guid.
    sessions: HashMap<String, AgentSession>,
    conferences: BTreeMap<i64, Conference>,
}

impl State {
    fn session_of(&self, agent_id: &str) -> Option<&AgentSession> {
        self.sessions.values().find(|s| s.agent_id == agent_id)
    }

    /// The conference `agent` takes part in (as an agent-ID address), in its VDN.
    fn conference_of(&mut self, session: &AgentSession) -> Option<&mut Conference> {
        self.conferences
            .values_mut()
            .find(|c| c.vdn == session.vdn && c.has_agent(&session.agent_id))
    }

    /// The conference chaired by the caller: 101-001 without a conference, 101-002 when another
    /// agent chairs it.
    fn chaired_conference(&mut self, session: &AgentSession) -> Result<&mut Conference, Failure> {
        let Some(conference) = self.conference_of(session) else {
            return Err(no_conference(&session.agent_id));
        };
        if !conference.is_chaired_by(&session.agent_id) {
            return Err(GatewayError::with_message(
                ErrorCode::NotChairperson,
                format!(
                    "agent {} does not chair conference {}",
                    session.agent_id, conference.info.conf_id
                ),
            ));
        }
        Ok(conference)
    }
}

/// The cause the simulated queuing device passes through when asked to stop an announcement
/// that does not play (the simulator's own number: the vendor lists no cause codes).
pub const NO_ANNOUNCEMENT_CAUSE: i32 = 1;

fn no_conference(agent: &str) -> Failure {
    GatewayError::with_message(
        ErrorCode::NoConference,
        format!("agent {agent} takes part in no conference"),
    )
}

/// The simulator: agents, sessions and conferences, changed by the interfaces. Cheap to clone;
/// clones share the state.
#[derive(Clone, Debug)]
pub struct Simulator {
    state: Arc<Mutex<State>>,
    /// Calls that reached a handler.
    handled: Arc<AtomicU64>,
}

impl Simulator {
    /// A simulator over `data`; agents with a `guid` are signed in from the start.
    pub fn new(data: DataSet) -> Self {
        let mut accounts = Vec::new();
        let mut sessions = HashMap::new();
        for agent in data.agents {
            let id = agent.id.into_inner();
            if let Some(guid) = agent.guid {
                sessions.insert(
                    guid.clone(),
                    AgentSession {
                        agent_id: id.clone(),
                        role: agent.role,
                        vdn: agent.vdn,
                        guid,
                        state: AgentState::Idle,
                    },
                );
            }
            accounts.push(Account {
                id,
                role: agent.role,
                vdn: agent.vdn,
                password: agent.password,
            });
        }
        let conferences = data
            .conferences
            .into_iter()
            .map(|c| (c.info.conf_id, c))
            .collect();
        Self {
            state: Arc::new(Mutex::new(State {
                accounts,
                sessions,
                conferences,
            })),
            handled: Arc::new(AtomicU64::new(0)),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn count(&self) {
        self.handled.fetch_add(1, Ordering::Relaxed);
    }

    /// The live sessions, in data-set order of their agents.
    pub fn sessions(&self) -> Vec<AgentSession> {
        let state = self.state();
        state
            .accounts
            .iter()
            .filter_map(|a| state.session_of(&a.id).cloned())
            .collect()
    }

    /// The session of `agent_id`, if it is signed in.
    pub fn session_of(&self, agent_id: &str) -> Option<AgentSession> {
        self.state().session_of(agent_id).cloned()
    }

    /// A conference as it is now.
    pub fn conference(&self, conf_id: i64) -> Option<Conference> {
        self.state().conferences.get(&conf_id).cloned()
    }

    /// How many calls reached a handler (refused requests never do).
    pub fn handled_calls(&self) -> u64 {
        self.handled.load(Ordering::Relaxed)
    }

    /// The vendor page's visibility rule: an inspector sees every conference of its VDN, a
    /// common agent only a conference of its VDN it takes part in.
    pub fn may_see(session: &AgentSession, conference: &Conference) -> bool {
        conference.vdn == session.vdn
            && match session.role {
                Role::Inspector => true,
                Role::Agent => conference.has_agent(&session.agent_id),
            }
    }

    /// The requested conferences `session` may see, in request order, each once. Conferences
    /// it may not see are left out exactly like conferences that do not exist.
    pub fn visible(&self, session: &AgentSession, conf_ids: &[i64]) -> Vec<ConfInfo> {
        let state = self.state();
        let mut seen = HashSet::new();
        conf_ids
            .iter()
            .filter(|id| seen.insert(**id))
            .filter_map(|id| state.conferences.get(id))
            .filter(|c| Self::may_see(session, c))
            .map(|c| c.info.clone())
            .collect()
    }
}

impl SessionStore for Simulator {
    type Caller = AgentSession;

    async fn resolve(&self, session_id: &str) -> Option<AgentSession> {
        self.state().sessions.get(session_id).cloned()
    }
}

/// Milliseconds since the Unix epoch.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn participant(address_type: AddressType, address: String, role: ConfRole) -> ParticipantInfo {
    ParticipantInfo {
        address_type,
        address,
        device_call_type: UserDefinedDeviceCallType::NormalCall,
        device_type: UserDefinedDeviceType::Agent,
        channel_attrib: ChannelAttrib::ListenAndSpeak,
        channel_state: ChannelState::InProgress,
        role,
        enter_time: now_ms(),
    }
}

impl AgentconfServer for Simulator {
    async fn answer_agent_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: AnswerAgentConfPath,
    ) -> Result<NoResult, Failure> {
        self.count();
        let session = ctx.caller();
        let mut state = self.state();
        let Some(conference) = state.conference_of(session) else {
            return Err(no_conference(&session.agent_id));
        };
        // An invited agent is held until it answers.
        for address in &mut conference.info.addresses {
            if address.address_type == AddressType::AgentId && address.address == session.agent_id {
                address.channel_state = ChannelState::InProgress;
            }
        }
        Ok(NoResult)
    }

    async fn batch_add_participant(
        &self,
        ctx: Context<AgentSession>,
        _path: BatchAddParticipantPath,
        body: BatchAddParticipantRequest,
    ) -> Result<NoResult, Failure> {
        self.count();
        let session = ctx.caller();
        let mut state = self.state();
        let conf_id = state.chaired_conference(session)?.info.conf_id;
        // An invited agent must not be in another conference (checked before changing anything).
        if let Some(busy) = body.addresses.iter().find(|invited| {
            invited.address_type == AddressType::AgentId
                && state
                    .conferences
                    .values()
                    .any(|c| c.info.conf_id != conf_id && c.has_agent(&invited.address))
        }) {
            return Err(GatewayError::with_message(
                ErrorCode::AlreadyInConference,
                format!("agent {} is already in another conference", busy.address),
            ));
        }
        let Some(conference) = state.conferences.get_mut(&conf_id) else {
            return Err(no_conference(&session.agent_id));
        };
        let new: Vec<_> =
            body.addresses
                .iter()
                .filter(|invited| {
                    !conference.info.addresses.iter().any(|a| {
                        a.address_type == invited.address_type && a.address == invited.address
                    })
                })
                .collect();
        if let Some(limit) = conference.member_num {
            let total = conference.info.addresses.len() + new.len();
            if total > usize::try_from(limit).unwrap_or(usize::MAX) {
                return Err(GatewayError::with_message(
                    ErrorCode::OperationFailed,
                    format!(
                        "conference {} holds at most {limit} participants",
                        conference.info.conf_id
                    ),
                ));
            }
        }
        for invited in new {
            let mut entry = participant(
                invited.address_type.clone(),
                invited.address.clone(),
                ConfRole::Participant,
            );
            entry.device_call_type = invited.device_call_type_or_default();
            entry.device_type = invited.device_type_or_default();
            if invited.address_type == AddressType::AgentId {
                entry.channel_state = ChannelState::Held;
            }
            conference.info.addresses.push(entry);
        }
        tracing::info!(
            conf = conference.info.conf_id,
            participants = conference.info.addresses.len(),
            "participants added"
        );
        Ok(NoResult)
    }

    async fn change_participant_mode(
        &self,
        ctx: Context<AgentSession>,
        _path: ChangeParticipantModePath,
        body: ChangeParticipantModeRequest,
    ) -> Result<NoResult, Failure> {
        self.count();
        let mut state = self.state();
        let conference = state.chaired_conference(ctx.caller())?;
        let conf_id = conference.info.conf_id;
        let Some(participant) = conference
            .info
            .addresses
            .iter_mut()
            .find(|a| a.address_type == body.address_type && a.address == body.address)
        else {
            return Err(GatewayError::with_message(
                ErrorCode::InvalidParameter,
                format!("conference {conf_id} has no participant {}", body.address),
            ));
        };
        participant.channel_attrib = body.attribute;
        Ok(NoResult)
    }

    async fn stop_voice_to_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: StopVoiceToConfPath,
    ) -> Result<NoResult, GatewayError<ErrorCode, StopVoiceToConfFailure>> {
        self.count();
        let mut state = self.state();
        let conference = state
            .chaired_conference(ctx.caller())
            .map_err(GatewayError::allow_detail)?;
        if conference.info.conf_state != ConfState::AnnouncementPlaying {
            // The queuing device refuses to stop what does not play; its cause is passed
            // through.
            return Err(GatewayError::with_message(
                ErrorCode::OperationFailed,
                format!(
                    "conference {} plays no announcement",
                    conference.info.conf_id
                ),
            )
            .with_detail(StopVoiceToConfFailure {
                error_reason: NO_ANNOUNCEMENT_CAUSE,
            }));
        }
        conference.info.conf_state = ConfState::Normal;
        tracing::info!(conf = conference.info.conf_id, "announcement stopped");
        Ok(NoResult)
    }

    async fn query_conf_infos(
        &self,
        ctx: Context<AgentSession>,
        path: QueryConfInfosPath,
        body: QueryConfInfosRequest,
    ) -> Result<QueryConfInfosResult, Failure> {
        self.count();
        // The router has checked that the session is agent `path.agentid`'s.
        let _ = path;
        let confs = self.visible(ctx.caller(), &body.conf_ids);
        tracing::info!(
            role = %ctx.caller().role,
            requested = body.conf_ids.len(),
            found = confs.len(),
            "conferences queried"
        );
        Ok(QueryConfInfosResult { confs })
    }

    async fn query_all_conf_ids(
        &self,
        ctx: Context<AgentSession>,
        _path: QueryAllConfIdsPath,
    ) -> Result<QueryAllConfIdsResult, Failure> {
        self.count();
        // The router lets only inspectors through (the interface's role prerequisite).
        let vdn = ctx.caller().vdn;
        let conf_ids = self
            .state()
            .conferences
            .values()
            .filter(|c| c.vdn == vdn)
            .map(|c| c.info.conf_id)
            .collect();
        Ok(QueryAllConfIdsResult { conf_ids })
    }

    async fn request_agent_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: RequestAgentConfPath,
        body: RequestAgentConfRequest,
    ) -> Result<RequestAgentConfResult, Failure> {
        self.count();
        let session = ctx.caller();
        let mut state = self.state();
        if let Some(conference) = state.conference_of(session) {
            return Err(GatewayError::with_message(
                ErrorCode::AlreadyInConference,
                format!(
                    "agent {} is already in conference {}",
                    session.agent_id, conference.info.conf_id
                ),
            ));
        }
        let conf_id = state
            .conferences
            .keys()
            .next_back()
            .map_or(1, |last| last.saturating_add(1));
        let start = now_ms();
        let conference = Conference {
            vdn: session.vdn,
            member_num: u32::try_from(body.member_num).ok(),
            info: ConfInfo {
                conf_id,
                conf_state: ConfState::Normal,
                start_time: start,
                apply_conf_time: body.time_or_default(),
                conf_have_been_time: 0,
                addresses: vec![participant(
                    AddressType::AgentId,
                    session.agent_id.clone(),
                    ConfRole::Chairperson,
                )],
            },
        };
        state.conferences.insert(conf_id, conference);
        tracing::info!(conf = conf_id, chair = %session.agent_id, "conference started");
        Ok(RequestAgentConfResult {})
    }
}

impl OnlineagentServer for Simulator {
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

    async fn login(
        &self,
        ctx: Context<Option<AgentSession>>,
        path: LoginPath,
        body: LoginRequest,
    ) -> Result<LoginResult, Failure> {
        self.count();
        let agent_id = path.agentid.get().clone();
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
        if account.password != body.password {
            return Err(wrong());
        }
        let (role, vdn) = (account.role, account.vdn);
        if state.session_of(&agent_id).is_some() {
            return Err(GatewayError::with_message(
                ErrorCode::AlreadySignedIn,
                format!("agent {agent_id} has already signed in"),
            ));
        }
        let guid = random_guid();
        let agent_state = match body.status_or_default() {
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
            },
        );
        ctx.renew_session(guid);
        tracing::info!(agent = %agent_id, "signed in");
        Ok(LoginResult {
            vdnid: i32::try_from(vdn).ok(),
            workno: Some(agent_id),
            mediatype: Some("TTF".to_owned()),
            login_time: Some(now_ms().to_string()),
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
}

/// A random session Guid in the gateway's shape (`<uuid>.AgentGateway0`).
pub fn random_guid() -> String {
    let word = || {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        hasher.finish()
    };
    let (a, b) = (word(), word());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}.AgentGateway0",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        ((b >> 48) & 0x3fff) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_guids_differ_and_look_like_the_gateways() {
        let (a, b) = (random_guid(), random_guid());
        assert_ne!(a, b);
        assert!(a.ends_with(".AgentGateway0"));
        assert_eq!(a.len(), 36 + ".AgentGateway0".len());
    }

    #[test]
    fn visibility_rule() {
        let sim = Simulator::new(DataSet::default_data().unwrap());
        let ids = [1029888, 1029889, 2048001, 7];
        let confs = |agent: &str| -> Vec<i64> {
            let session = sim.session_of(agent).unwrap();
            sim.visible(&session, &ids)
                .iter()
                .map(|c| c.conf_id)
                .collect()
        };
        assert_eq!(confs("200"), [1029888, 1029889]);
        assert_eq!(confs("300"), [2048001]);
        assert_eq!(confs("153"), [1029888]);
        assert_eq!(confs("154"), [1029889]);
        assert_eq!(confs("155"), Vec::<i64>::new());
    }
}
