//! The simulated gateway: the generated [`AgentconfServer`] over an in-memory conference store.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use agentgateway::agentconf::{
    AgentconfServer, QueryConfInfosPath, QueryConfInfosRequest, QueryConfInfosResult,
};
use agentgateway::{ConfInfo, ErrorCode};
use gatespec::server::{Context, Session, SessionStore};
use gatespec::{Constrained, GatewayError};

use crate::data::{Conference, DataSet, Role};

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
}

impl Session for AgentSession {
    fn agent_id(&self) -> &str {
        &self.agent_id
    }

    fn role(&self) -> &str {
        self.role.as_str()
    }
}

#[derive(Debug)]
struct State {
    /// Sessions in data-set order.
    sessions: Vec<AgentSession>,
    by_guid: HashMap<String, usize>,
    conferences: BTreeMap<i64, Conference>,
    /// Calls that reached a handler.
    handled: AtomicU64,
}

/// The simulator: sessions and conferences, immutable once loaded. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Simulator {
    state: Arc<State>,
}

impl Simulator {
    /// A simulator over `data`; agents without a Guid get a random one.
    pub fn new(data: DataSet) -> Self {
        let sessions: Vec<AgentSession> = data
            .agents
            .into_iter()
            .map(|agent| AgentSession {
                agent_id: agent.id.into_inner(),
                role: agent.role,
                vdn: agent.vdn,
                guid: agent.guid.unwrap_or_else(random_guid),
            })
            .collect();
        let by_guid = sessions
            .iter()
            .enumerate()
            .map(|(i, s)| (s.guid.clone(), i))
            .collect();
        let conferences = data
            .conferences
            .into_iter()
            .map(|c| (c.info.conf_id, c))
            .collect();
        Self {
            state: Arc::new(State {
                sessions,
                by_guid,
                conferences,
                handled: AtomicU64::new(0),
            }),
        }
    }

    /// The seeded sessions, in data-set order.
    pub fn sessions(&self) -> &[AgentSession] {
        &self.state.sessions
    }

    /// The session of `agent_id`, if it is signed in.
    pub fn session_of(&self, agent_id: &str) -> Option<&AgentSession> {
        self.state.sessions.iter().find(|s| s.agent_id == agent_id)
    }

    /// How many calls reached a handler (refused requests never do).
    pub fn handled_calls(&self) -> u64 {
        self.state.handled.load(Ordering::Relaxed)
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
        let mut seen = HashSet::new();
        conf_ids
            .iter()
            .filter(|id| seen.insert(**id))
            .filter_map(|id| self.state.conferences.get(id))
            .filter(|c| Self::may_see(session, c))
            .map(|c| c.info.clone())
            .collect()
    }
}

impl SessionStore for Simulator {
    type Session = AgentSession;

    async fn resolve(&self, guid: &str) -> Option<AgentSession> {
        let index = *self.state.by_guid.get(guid)?;
        self.state.sessions.get(index).cloned()
    }
}

impl AgentconfServer for Simulator {
    async fn query_conf_infos(
        &self,
        ctx: Context<AgentSession>,
        path: QueryConfInfosPath,
        body: QueryConfInfosRequest,
    ) -> Result<QueryConfInfosResult, GatewayError<ErrorCode>> {
        self.state.handled.fetch_add(1, Ordering::Relaxed);
        // The router has checked that the session is agent `path.agentid`'s.
        let _ = path;
        let confs = self.visible(ctx.session(), &body.conf_ids);
        tracing::info!(
            role = %ctx.session().role,
            requested = body.conf_ids.len(),
            found = confs.len(),
            "conferences queried"
        );
        Ok(QueryConfInfosResult { confs })
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
            sim.visible(session, &ids)
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
