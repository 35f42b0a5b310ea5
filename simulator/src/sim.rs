//! The simulated gateway's state: agents, sessions and conferences, shared by the handlers of
//! the generated server traits (`crate::agentconf`, `crate::onlineagent`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use agentgateway::{AgentState, ConfInfo, ErrorCode};
use gatespec::server::{Caller, SessionStore};
use gatespec::{Constrained, GatewayError};

use crate::conference::{Conference, Failure};
use crate::data::{DataSet, Role};

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
    /// The agent's state: the sign-in `status` (idle for seeded sessions), idle after sayfree.
    pub state: AgentState,
    /// When the last heartbeat (handshake) arrived, epoch milliseconds.
    pub last_heartbeat: Option<i64>,
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
pub(crate) struct Account {
    pub(crate) id: String,
    pub(crate) role: Role,
    pub(crate) vdn: u32,
    pub(crate) password: String,
}

#[derive(Debug)]
pub(crate) struct State {
    /// Agents in data-set order.
    pub(crate) accounts: Vec<Account>,
    /// Live sessions by Guid.
    pub(crate) sessions: HashMap<String, AgentSession>,
    pub(crate) conferences: BTreeMap<i64, Conference>,
}

impl State {
    pub(crate) fn session_of(&self, agent_id: &str) -> Option<&AgentSession> {
        self.sessions.values().find(|s| s.agent_id == agent_id)
    }

    /// The conference `session`'s agent takes part in (as an agent-ID address, invited or
    /// joined), in its VDN.
    pub(crate) fn conference_of(&mut self, session: &AgentSession) -> Option<&mut Conference> {
        self.conferences
            .values_mut()
            .find(|c| c.vdn == session.vdn && c.has_agent(&session.agent_id))
    }

    /// The caller's conference: 101-001 without one.
    pub(crate) fn member_conference(
        &mut self,
        session: &AgentSession,
    ) -> Result<&mut Conference, Failure> {
        self.conference_of(session)
            .ok_or_else(|| no_conference(&session.agent_id))
    }

    /// The conference chaired by the caller: 101-001 without a conference, 101-002 when another
    /// agent chairs it.
    pub(crate) fn chaired_conference(
        &mut self,
        session: &AgentSession,
    ) -> Result<&mut Conference, Failure> {
        let conference = self.member_conference(session)?;
        if !conference.is_chaired_by(&session.agent_id) {
            return Err(GatewayError::with_message(
                ErrorCode::NotChairperson,
                format!(
                    "agent {} does not chair conference {}",
                    session.agent_id, conference.conf_id
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
                        last_heartbeat: None,
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
            .map(|c| (c.info.conf_id, Conference::from(c)))
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

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts a call that reached a handler.
    pub(crate) fn count(&self) {
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
            .map(Conference::info)
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
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
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
