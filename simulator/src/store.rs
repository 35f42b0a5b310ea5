//! Where a simulator keeps what its instances share besides live sessions: the state and last
//! heartbeat of each signed-in agent, and the conferences.
//!
//! In memory ([`Store::Memory`], the default) one process is the gateway. In Redis
//! ([`Store::Redis`]) every simulator on the same Redis and prefix is one gateway: live
//! sessions are the runtime's `RedisBackend`, agents' states are two hashes
//! (`{prefix}:agent-state`, `{prefix}:heartbeat`), and the conferences one JSON document with a
//! version (`{prefix}:conferences`). A change to the conferences reads the document, applies
//! the handler's rules to it and writes it back only if the version is still the one it read
//! (a script compares and writes), else it reads again and reapplies: handlers run the same
//! rules on the same data whichever instance they are on, and two instances never both win.
//! Agents' state changes ride in the same script, so they land with the conference change
//! that caused them.
//!
//! When the store fails, the call fails with the catalogue's 100-007 (operation failed) and
//! changes nothing: never a success without state. Redis connections reconnect by themselves,
//! so the simulator recovers when Redis returns.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use agentgateway::{AgentState, ErrorCode};
use gatespec::GatewayError;
use gatespec::server::live::RedisStoreError;
use redis::Script;
use redis::aio::ConnectionManager;

use crate::conference::Conference;
use crate::events::Outbox;
use crate::sim::{AgentStatus, State};

/// The prefix of every Redis key of a simulated gateway unless `--store-prefix` says otherwise.
pub const DEFAULT_PREFIX: &str = "agentgateway";

/// How often a change to the conferences is tried again when another instance changed them
/// first.
const ATTEMPTS: u32 = 200;

/// Where a simulator keeps its agents, sessions and conferences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Store {
    /// In this process: the simulator is the whole gateway.
    Memory,
    /// In Redis: every simulator on the same Redis and prefix is one gateway.
    Redis {
        /// `redis://host:port` (or `rediss://` for TLS, `redis://:password@host:port/db`).
        url: String,
        /// The prefix of every key (two gateways on one Redis use two prefixes).
        prefix: String,
    },
}

impl Store {
    /// `memory`, or a Redis URL with `prefix` for its keys.
    ///
    /// # Errors
    /// When `store` is neither.
    pub fn parse(store: &str, prefix: &str) -> Result<Self, String> {
        if store == "memory" {
            Ok(Self::Memory)
        } else if store.starts_with("redis://")
            || store.starts_with("rediss://")
            || store.starts_with("redis+unix://")
        {
            Ok(Self::Redis {
                url: store.to_owned(),
                prefix: prefix.to_owned(),
            })
        } else {
            Err(format!(
                "`{store}` is no store: use `memory` or a Redis URL such as redis://127.0.0.1:6379"
            ))
        }
    }
}

/// The store did not answer: the call changed nothing and fails with 100-007.
#[derive(Debug)]
pub struct StoreFailed(String);

impl StoreFailed {
    pub(crate) fn new(reason: impl fmt::Display) -> Self {
        Self(reason.to_string())
    }
}

impl fmt::Display for StoreFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the simulator's store failed: {}", self.0)
    }
}

impl std::error::Error for StoreFailed {}

impl From<RedisStoreError> for StoreFailed {
    fn from(e: RedisStoreError) -> Self {
        Self::new(e)
    }
}

impl From<redis::RedisError> for StoreFailed {
    fn from(e: redis::RedisError) -> Self {
        Self::new(e)
    }
}

impl<D> From<StoreFailed> for GatewayError<ErrorCode, D> {
    fn from(e: StoreFailed) -> Self {
        tracing::warn!(error = %e.0, "the store failed: the call answers 100-007");
        GatewayError::with_message(ErrorCode::OperationFailed, e.to_string())
    }
}

/// A live-session store error as a handler answers it (100-007).
pub(crate) fn failed<D>(e: RedisStoreError) -> GatewayError<ErrorCode, D> {
    StoreFailed::from(e).into()
}

/// Agents' states and conferences, in this process or in Redis.
pub(crate) enum Shared {
    Memory(Mutex<InMemory>),
    Redis(InRedis),
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Memory(_) => f.write_str("Shared::Memory"),
            Self::Redis(redis) => write!(f, "Shared::Redis({})", redis.conferences),
        }
    }
}

#[derive(Default)]
pub(crate) struct InMemory {
    agents: HashMap<String, AgentStatus>,
    conferences: BTreeMap<i64, Conference>,
}

pub(crate) struct InRedis {
    connection: ConnectionManager,
    /// Hash: `version`, `data` (the conferences as JSON).
    conferences: String,
    /// Hash: agent id -> its state (JSON of the code).
    states: String,
    /// Hash: agent id -> its last heartbeat, epoch milliseconds.
    heartbeats: String,
    scripts: Scripts,
}

struct Scripts {
    seed: Script,
    commit: Script,
    heartbeat: Script,
    set_state: Script,
}

impl Scripts {
    fn new() -> Self {
        Self {
            // KEYS: conferences, states. ARGV: the conferences, then agent/state pairs. Only the
            // first instance on an empty prefix seeds (and then seeds the sessions too).
            seed: Script::new(
                r"
if redis.call('HSETNX', KEYS[1], 'data', ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'version', '1')
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
return 1
",
            ),
            // KEYS: conferences, states. ARGV: the version read ('' for none), the new
            // conferences ('' when unchanged), then agent/state pairs, set for agents still
            // signed in.
            commit: Script::new(
                r"
local version = redis.call('HGET', KEYS[1], 'version') or ''
if version ~= ARGV[1] then return 0 end
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[1], 'version', tostring((tonumber(version) or 0) + 1), 'data', ARGV[2])
end
for i = 3, #ARGV, 2 do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 1 then redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
end
return 1
",
            ),
            // KEYS: states. ARGV: agent, state. Only for a signed-in agent.
            set_state: Script::new(
                r"
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
",
            ),
            // KEYS: states, heartbeats. ARGV: agent, epoch ms. Only for a signed-in agent.
            heartbeat: Script::new(
                r"
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
",
            ),
        }
    }
}

fn encode<T: serde::Serialize>(what: &str, value: &T) -> Result<String, StoreFailed> {
    serde_json::to_string(value).map_err(|e| StoreFailed::new(format_args!("{what}: {e}")))
}

fn decode<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, StoreFailed> {
    serde_json::from_str(text).map_err(|e| StoreFailed::new(format_args!("stored {what}: {e}")))
}

impl Shared {
    pub(crate) fn memory() -> Self {
        Self::Memory(Mutex::new(InMemory::default()))
    }

    /// Agents' states and conferences in the Redis at `client`, under `prefix`.
    pub(crate) async fn redis(client: redis::Client, prefix: &str) -> Result<Self, StoreFailed> {
        let connection = ConnectionManager::new(client).await?;
        Ok(Self::Redis(InRedis {
            connection,
            conferences: format!("{prefix}:conferences"),
            states: format!("{prefix}:agent-state"),
            heartbeats: format!("{prefix}:heartbeat"),
            scripts: Scripts::new(),
        }))
    }

    fn in_memory(memory: &Mutex<InMemory>) -> std::sync::MutexGuard<'_, InMemory> {
        memory.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores the data set's signed-in agents and conferences, unless another instance did
    /// already: whether this one did (and so seeds the sessions too).
    pub(crate) async fn seed(
        &self,
        agents: Vec<(String, AgentState)>,
        conferences: BTreeMap<i64, Conference>,
    ) -> Result<bool, StoreFailed> {
        match self {
            Self::Memory(memory) => {
                let mut memory = Self::in_memory(memory);
                for (agent, state) in agents {
                    memory.agents.insert(agent, AgentStatus::signed_in(state));
                }
                memory.conferences = conferences;
                Ok(true)
            }
            Self::Redis(redis) => {
                let mut invocation = redis.scripts.seed.prepare_invoke();
                invocation
                    .key(&redis.conferences)
                    .key(&redis.states)
                    .arg(encode("conferences", &conferences)?);
                for (agent, state) in &agents {
                    invocation.arg(agent).arg(encode("agent state", state)?);
                }
                let seeded: i64 = invocation
                    .invoke_async(&mut redis.connection.clone())
                    .await?;
                Ok(seeded == 1)
            }
        }
    }

    /// Records a sign-in: the agent is in `state`, without heartbeat.
    pub(crate) async fn signed_in(
        &self,
        agent: &str,
        state: AgentState,
    ) -> Result<(), StoreFailed> {
        match self {
            Self::Memory(memory) => {
                Self::in_memory(memory)
                    .agents
                    .insert(agent.to_owned(), AgentStatus::signed_in(state));
                Ok(())
            }
            Self::Redis(redis) => {
                let state = encode("agent state", &state)?;
                let () = redis::pipe()
                    .atomic()
                    .hset(&redis.states, agent, state)
                    .ignore()
                    .hdel(&redis.heartbeats, agent)
                    .ignore()
                    .query_async(&mut redis.connection.clone())
                    .await?;
                Ok(())
            }
        }
    }

    /// Forgets a signed-out agent's state.
    pub(crate) async fn signed_out(&self, agent: &str) -> Result<(), StoreFailed> {
        match self {
            Self::Memory(memory) => {
                Self::in_memory(memory).agents.remove(agent);
                Ok(())
            }
            Self::Redis(redis) => {
                let () = redis::pipe()
                    .atomic()
                    .hdel(&redis.states, agent)
                    .ignore()
                    .hdel(&redis.heartbeats, agent)
                    .ignore()
                    .query_async(&mut redis.connection.clone())
                    .await?;
                Ok(())
            }
        }
    }

    /// Forgets the state of an agent the reaper signed out: at once in memory, in a task for
    /// Redis (the reaper's hook cannot wait).
    pub(crate) fn forget_idle(self: Arc<Self>, agent: String) {
        if let Self::Memory(memory) = &*self {
            Self::in_memory(memory).agents.remove(&agent);
            return;
        }
        tokio::spawn(async move {
            if let Err(e) = self.signed_out(&agent).await {
                tracing::warn!(agent = %agent, error = %e, "the state of an agent signed out for idleness stays");
            }
        });
    }

    /// A signed-in agent's state and heartbeat (`None`: not signed in).
    pub(crate) async fn agent(&self, agent: &str) -> Result<Option<AgentStatus>, StoreFailed> {
        match self {
            Self::Memory(memory) => Ok(Self::in_memory(memory).agents.get(agent).copied()),
            Self::Redis(redis) => {
                let (state, heartbeat): (Option<String>, Option<i64>) = redis::pipe()
                    .hget(&redis.states, agent)
                    .hget(&redis.heartbeats, agent)
                    .query_async(&mut redis.connection.clone())
                    .await?;
                state
                    .map(|state| {
                        Ok(AgentStatus {
                            state: decode("agent state", &state)?,
                            last_heartbeat: heartbeat,
                        })
                    })
                    .transpose()
            }
        }
    }

    /// Sets a signed-in agent's state (agents not signed in are left alone).
    pub(crate) async fn set_state(
        &self,
        agent: &str,
        state: AgentState,
    ) -> Result<(), StoreFailed> {
        match self {
            Self::Memory(memory) => {
                if let Some(status) = Self::in_memory(memory).agents.get_mut(agent) {
                    status.state = state;
                }
                Ok(())
            }
            Self::Redis(redis) => {
                let _: i64 = redis
                    .scripts
                    .set_state
                    .key(&redis.states)
                    .arg(agent)
                    .arg(encode("agent state", &state)?)
                    .invoke_async(&mut redis.connection.clone())
                    .await?;
                Ok(())
            }
        }
    }

    /// Records a signed-in agent's heartbeat at `now_ms`.
    pub(crate) async fn heartbeat(&self, agent: &str, now_ms: i64) -> Result<(), StoreFailed> {
        match self {
            Self::Memory(memory) => {
                if let Some(status) = Self::in_memory(memory).agents.get_mut(agent) {
                    status.last_heartbeat = Some(now_ms);
                }
                Ok(())
            }
            Self::Redis(redis) => {
                let _: i64 = redis
                    .scripts
                    .heartbeat
                    .key(&redis.states)
                    .key(&redis.heartbeats)
                    .arg(agent)
                    .arg(now_ms)
                    .invoke_async(&mut redis.connection.clone())
                    .await?;
                Ok(())
            }
        }
    }

    /// Reads the conferences.
    pub(crate) async fn read<R>(
        &self,
        f: impl FnOnce(&BTreeMap<i64, Conference>) -> R,
    ) -> Result<R, StoreFailed> {
        match self {
            Self::Memory(memory) => Ok(f(&Self::in_memory(memory).conferences)),
            Self::Redis(redis) => {
                let data: Option<String> = redis::AsyncCommands::hget(
                    &mut redis.connection.clone(),
                    &redis.conferences,
                    "data",
                )
                .await?;
                let conferences = match data {
                    Some(data) => decode("conferences", &data)?,
                    None => BTreeMap::new(),
                };
                Ok(f(&conferences))
            }
        }
    }

    /// Applies `change` to the conferences (agents' state changes included), atomically for
    /// every instance: the value and the events it queued. Nothing is stored when it fails.
    /// On Redis `change` may run more than once (each time on fresh data), so it must only
    /// change what it is given.
    pub(crate) async fn change<R, E: From<StoreFailed>>(
        &self,
        mut change: impl FnMut(&mut State, &mut Outbox) -> Result<R, E>,
    ) -> Result<(R, Outbox), E> {
        match self {
            Self::Memory(memory) => {
                let mut memory = Self::in_memory(memory);
                let mut state = State::new(std::mem::take(&mut memory.conferences));
                let mut outbox = Outbox::new();
                let outcome = change(&mut state, &mut outbox);
                memory.conferences = state.conferences;
                for (agent, agent_state) in state.agent_states {
                    if let Some(status) = memory.agents.get_mut(&agent) {
                        status.state = agent_state;
                    }
                }
                Ok((outcome?, outbox))
            }
            Self::Redis(redis) => {
                for attempt in 0..ATTEMPTS {
                    if attempt > 0 {
                        // Another instance changed the conferences between our read and write.
                        let jitter = u64::from(attempt.min(20)) * 100 + now_nanos() % 500;
                        tokio::time::sleep(Duration::from_micros(jitter)).await;
                    }
                    if let Some(done) = redis.try_change(&mut change).await? {
                        return Ok(done);
                    }
                }
                Err(StoreFailed::new(format_args!(
                    "the conferences changed under {ATTEMPTS} attempts in a row"
                ))
                .into())
            }
        }
    }
}

impl InRedis {
    /// One read-change-write round: `None` when another instance wrote in between.
    async fn try_change<R, E: From<StoreFailed>>(
        &self,
        change: &mut impl FnMut(&mut State, &mut Outbox) -> Result<R, E>,
    ) -> Result<Option<(R, Outbox)>, E> {
        let mut connection = self.connection.clone();
        let (version, data): (Option<String>, Option<String>) = redis::cmd("HMGET")
            .arg(&self.conferences)
            .arg("version")
            .arg("data")
            .query_async(&mut connection)
            .await
            .map_err(StoreFailed::from)?;
        let conferences = match &data {
            Some(data) => decode("conferences", data)?,
            None => BTreeMap::new(),
        };
        let mut state = State::new(conferences);
        let mut outbox = Outbox::new();
        let value = change(&mut state, &mut outbox)?;
        let written = encode("conferences", &state.conferences)?;
        let unchanged = data.as_deref() == Some(written.as_str());
        if unchanged && state.agent_states.is_empty() {
            return Ok(Some((value, outbox)));
        }
        let mut invocation = self.scripts.commit.prepare_invoke();
        invocation
            .key(&self.conferences)
            .key(&self.states)
            .arg(version.unwrap_or_default())
            .arg(if unchanged { String::new() } else { written });
        for (agent, agent_state) in &state.agent_states {
            invocation
                .arg(agent)
                .arg(encode("agent state", agent_state)?);
        }
        let committed: i64 = invocation
            .invoke_async(&mut connection)
            .await
            .map_err(StoreFailed::from)?;
        Ok((committed == 1).then_some((value, outbox)))
    }
}

fn now_nanos() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()))
}
