//! Where a simulator keeps what its instances share besides live sessions: the state and last
//! heartbeat of each signed-in agent, and the conferences.
//!
//! In memory ([`Store::Memory`], the default) one process is the gateway. In Redis
//! ([`Store::Redis`]) every simulator on the same Redis and prefix is one gateway: live
//! sessions are the runtime's `RedisBackend`, agents' states are two hashes
//! (`{prefix}:agent-state`, `{prefix}:heartbeat`), and the conferences one hash
//! (`{prefix}:conferences`: a `version`, and each conference as JSON under `c:{id}`). A change
//! to the conferences applies the handler's rules to all of them and writes back the
//! conferences it changed only if the version is still the one it read (a script compares and
//! writes), else it reads again and reapplies: handlers run the same rules on the same data
//! whichever instance they are on, and two instances never both win. Each instance keeps the
//! conferences of the version it last read or wrote, so while no other instance wrote, a
//! change reads only the version. Within one instance changes take turns (a local lock), so
//! only instances race. Agents' state changes ride in the same script, so they land with the
//! conference change that caused them.
//!
//! An agent's state is stored with the sign-in it belongs to (`AgentSession::login`): the
//! sign-out or idle sign-out of one session never removes the state of the agent's next
//! session, whichever instance signs it in meanwhile.
//!
//! When the store fails, the call fails with the catalogue's 100-007 (operation failed) and
//! changes nothing: never a success without state. Redis connections reconnect by themselves,
//! so the simulator recovers when Redis returns. Not supported: Redis Cluster (the scripts
//! touch keys of several slots).

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;
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

/// How long a change to the conferences keeps trying while other instances change them first,
/// before it answers 100-007.
const CONTENDED_FOR: Duration = Duration::from_secs(3);

/// The longest pause between two tries.
const MAX_BACKOFF: Duration = Duration::from_millis(50);

/// Where a simulator keeps its agents, sessions and conferences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Store {
    /// In this process: the simulator is the whole gateway.
    Memory,
    /// In Redis: every simulator on the same Redis and prefix is one gateway.
    Redis {
        /// `redis://host:port` (`redis://:password@host:port/db` with a password and database).
        url: String,
        /// The prefix of every key (two gateways on one Redis use two prefixes).
        prefix: String,
    },
}

impl Store {
    /// `memory`, or a Redis URL with `prefix` for its keys (memory has no keys: the prefix is
    /// not used).
    ///
    /// # Errors
    /// When `store` is neither.
    pub fn parse(store: &str, prefix: &str) -> Result<Self, String> {
        if store == "memory" {
            Ok(Self::Memory)
        } else if store.starts_with("redis://") || store.starts_with("redis+unix://") {
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

/// The store did not answer (or answered data it cannot read): the call fails with 100-007.
#[derive(Debug)]
pub struct StoreError(String);

impl StoreError {
    pub(crate) fn new(reason: impl fmt::Display) -> Self {
        Self(reason.to_string())
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the simulator's store failed: {}", self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<RedisStoreError> for StoreError {
    fn from(e: RedisStoreError) -> Self {
        Self::new(e)
    }
}

impl From<redis::RedisError> for StoreError {
    fn from(e: redis::RedisError) -> Self {
        Self::new(e)
    }
}

impl<D> From<StoreError> for GatewayError<ErrorCode, D> {
    fn from(e: StoreError) -> Self {
        tracing::warn!(error = %e.0, "the store failed: the call answers 100-007");
        GatewayError::with_message(ErrorCode::OperationFailed, e.to_string())
    }
}

/// A live-session store error as a handler answers it (100-007).
pub(crate) fn store_error<D>(e: RedisStoreError) -> GatewayError<ErrorCode, D> {
    StoreError::from(e).into()
}

/// What every instance of one gateway must agree on: the agents sign-in checks (without their
/// passwords) and the timers. The first instance stores it; the others compare theirs.
#[derive(Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Setup {
    /// Agent id, role and VDN of each agent of the data set, in order.
    pub(crate) agents: Vec<(String, String, u32)>,
    /// Each timer and limit, by name (milliseconds; `null` for none).
    pub(crate) timers: BTreeMap<String, Option<u64>>,
}

impl Setup {
    fn agrees_with(&self, stored: &Self) -> Result<(), StoreError> {
        if self.agents != stored.agents {
            return Err(StoreError::new(format_args!(
                "this simulator's data set has other agents (ids, roles or VDNs) than the one the \
                 first simulator on this Redis prefix stored ({} agents there, {} here): every \
                 instance of one gateway needs the same data set",
                stored.agents.len(),
                self.agents.len()
            )));
        }
        let differ: Vec<String> = self
            .timers
            .iter()
            .filter(|(name, value)| stored.timers.get(*name) != Some(value))
            .map(|(name, value)| {
                let there = stored.timers.get(name).copied().flatten();
                format!("{name}: {value:?} here, {there:?} there")
            })
            .collect();
        if !differ.is_empty() {
            return Err(StoreError::new(format_args!(
                "this simulator's timers differ from those of the first simulator on this Redis \
                 prefix ({}): every instance of one gateway needs the same timers",
                differ.join("; ")
            )));
        }
        Ok(())
    }
}

/// Agents' states and conferences, in this process or in Redis.
pub(crate) enum SharedState {
    Memory(Mutex<InMemory>),
    Redis(Box<InRedis>),
}

impl fmt::Debug for SharedState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Memory(_) => f.write_str("SharedState::Memory"),
            Self::Redis(redis) => write!(f, "SharedState::Redis({})", redis.conferences),
        }
    }
}

#[derive(Default)]
pub(crate) struct InMemory {
    /// Signed-in agents: their sign-in (`AgentSession::login`) and status.
    agents: HashMap<String, (u64, AgentStatus)>,
    conferences: BTreeMap<i64, Conference>,
}

impl InMemory {
    /// Forgets the state of sign-in `login` of `agent` (a later sign-in's state stays).
    fn forget(&mut self, agent: &str, login: u64) {
        if self.agents.get(agent).is_some_and(|(l, _)| *l == login) {
            self.agents.remove(agent);
        }
    }
}

pub(crate) struct InRedis {
    connection: ConnectionManager,
    /// Changes of this instance take turns: only other instances make a change try again.
    turn: tokio::sync::Mutex<()>,
    /// Hash: `version`, and `c:{id}` -> each conference as JSON.
    conferences: String,
    /// The conferences of the version this instance last read or wrote.
    cached: std::sync::Mutex<Option<(String, BTreeMap<i64, Conference>)>>,
    /// Hash: agent id -> its state (JSON of the code).
    states: String,
    /// Hash: agent id -> its last heartbeat, epoch milliseconds.
    heartbeats: String,
    /// The set-up (agents, timers) the first instance stored, for the others to compare.
    setup: String,
    scripts: Scripts,
}

struct Scripts {
    seed: Script,
    commit: Script,
    set_state: Script,
    heartbeat: Script,
    forget: Script,
}

/// An agent's entry in the states hash: `{login}|{state}`. The Lua below keeps the login part
/// and replaces the state part.
const KEEP_LOGIN: &str = r"
local function restate(key, agent, state)
  local entry = redis.call('HGET', key, agent)
  if not entry then return 0 end
  local sep = string.find(entry, '|', 1, true)
  redis.call('HSET', key, agent, string.sub(entry, 1, sep) .. state)
  return 1
end
";

impl Scripts {
    fn new() -> Self {
        Self {
            // KEYS: conferences, states, setup. ARGV: the first version, the set-up, the number
            // of conference fields n, n field/JSON pairs, then agent/entry pairs. Only the
            // first instance on an empty prefix seeds (and then seeds the sessions too); the
            // others get the set-up it stored. The first version is random, so a Redis that
            // lost its data and was seeded again never matches a version an instance cached.
            seed: Script::new(
                r"
if redis.call('HSETNX', KEYS[1], 'version', ARGV[1]) == 0 then
  return {0, redis.call('GET', KEYS[3]) or ''}
end
redis.call('SET', KEYS[3], ARGV[2])
local n = tonumber(ARGV[3])
for i = 4, 3 + 2 * n, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
for i = 4 + 2 * n, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
return {1, ''}
",
            ),
            // KEYS: conferences, states. ARGV: the version read ('' for none), the number of
            // conference fields n, n field/JSON pairs (an empty JSON removes the conference),
            // then agent/state pairs, set for agents still signed in. Answers the new version
            // ('' when another instance wrote first).
            commit: Script::new(&format!(
                r"{KEEP_LOGIN}
local version = redis.call('HGET', KEYS[1], 'version') or ''
if version ~= ARGV[1] then return '' end
local n = tonumber(ARGV[2])
if n > 0 then
  version = tostring((tonumber(version) or 0) + 1)
  redis.call('HSET', KEYS[1], 'version', version)
end
for i = 3, 2 + 2 * n, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[1], ARGV[i])
  else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
for i = 3 + 2 * n, #ARGV, 2 do restate(KEYS[2], ARGV[i], ARGV[i + 1]) end
return version
"
            )),
            // KEYS: states. ARGV: agent, state. Only for a signed-in agent.
            set_state: Script::new(&format!(
                r"{KEEP_LOGIN}
return restate(KEYS[1], ARGV[1], ARGV[2])
"
            )),
            // KEYS: states, heartbeats. ARGV: agent, epoch ms. Only for a signed-in agent.
            heartbeat: Script::new(
                r"
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
",
            ),
            // KEYS: states, heartbeats. ARGV: agent, login. Only the state of that sign-in.
            forget: Script::new(
                r"
local entry = redis.call('HGET', KEYS[1], ARGV[1])
if not entry or string.sub(entry, 1, #ARGV[2] + 1) ~= ARGV[2] .. '|' then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
",
            ),
        }
    }
}

fn encode<T: serde::Serialize>(what: &str, value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::new(format_args!("{what}: {e}")))
}

fn decode<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::new(format_args!("stored {what}: {e}")))
}

/// An agent's entry in the states hash.
fn entry(login: u64, state: AgentState) -> Result<String, StoreError> {
    Ok(format!("{login}|{}", encode("agent state", &state)?))
}

/// The state part of an agent's entry.
fn state_of(entry: &str) -> Result<AgentState, StoreError> {
    let state = entry.split_once('|').map_or(entry, |(_login, state)| state);
    decode("agent state", state)
}

impl SharedState {
    pub(crate) fn memory() -> Self {
        Self::Memory(Mutex::new(InMemory::default()))
    }

    /// Agents' states and conferences in Redis, on `connection`, under `prefix`.
    pub(crate) fn redis(connection: ConnectionManager, prefix: &str) -> Self {
        Self::Redis(Box::new(InRedis {
            connection,
            turn: tokio::sync::Mutex::new(()),
            conferences: format!("{prefix}:conferences"),
            cached: std::sync::Mutex::new(None),
            states: format!("{prefix}:agent-state"),
            heartbeats: format!("{prefix}:heartbeat"),
            setup: format!("{prefix}:setup"),
            scripts: Scripts::new(),
        }))
    }

    fn in_memory(memory: &Mutex<InMemory>) -> std::sync::MutexGuard<'_, InMemory> {
        memory.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores the data set's signed-in agents (sign-in and state) and conferences, and
    /// `setup` (what every instance must agree on), unless another instance did already:
    /// whether this one did (and so seeds the sessions too).
    ///
    /// # Errors
    /// Besides a failing store: another instance stored a different `setup`.
    pub(crate) async fn seed(
        &self,
        agents: Vec<(String, u64, AgentState)>,
        conferences: BTreeMap<i64, Conference>,
        setup: &Setup,
    ) -> Result<bool, StoreError> {
        match self {
            Self::Memory(memory) => {
                let mut memory = Self::in_memory(memory);
                for (agent, login, state) in agents {
                    memory
                        .agents
                        .insert(agent, (login, AgentStatus::signed_in(state)));
                }
                memory.conferences = conferences;
                Ok(true)
            }
            Self::Redis(redis) => {
                let mut invocation = redis.scripts.seed.prepare_invoke();
                invocation
                    .key(&redis.conferences)
                    .key(&redis.states)
                    .key(&redis.setup)
                    // Below 2^40: Lua counts on from it exactly.
                    .arg((random_login() >> 24).to_string())
                    .arg(encode("set-up", setup)?)
                    .arg(conferences.len());
                for (conf_id, conference) in &conferences {
                    invocation
                        .arg(field(*conf_id))
                        .arg(encode("conference", conference)?);
                }
                for (agent, login, state) in &agents {
                    invocation.arg(agent).arg(entry(*login, *state)?);
                }
                let (seeded, stored): (i64, String) = invocation
                    .invoke_async(&mut redis.connection.clone())
                    .await?;
                if seeded == 0 {
                    let stored: Setup = decode("set-up", &stored)?;
                    setup.agrees_with(&stored)?;
                }
                Ok(seeded == 1)
            }
        }
    }

    /// Records sign-in `login` of `agent`: the agent is in `state`, without heartbeat.
    pub(crate) async fn signed_in(
        &self,
        agent: &str,
        login: u64,
        state: AgentState,
    ) -> Result<(), StoreError> {
        match self {
            Self::Memory(memory) => {
                Self::in_memory(memory)
                    .agents
                    .insert(agent.to_owned(), (login, AgentStatus::signed_in(state)));
                Ok(())
            }
            Self::Redis(redis) => {
                let () = redis::pipe()
                    .atomic()
                    .hset(&redis.states, agent, entry(login, state)?)
                    .ignore()
                    .hdel(&redis.heartbeats, agent)
                    .ignore()
                    .query_async(&mut redis.connection.clone())
                    .await?;
                Ok(())
            }
        }
    }

    /// Forgets the state of sign-in `login` of `agent` (a later sign-in's state stays).
    pub(crate) async fn signed_out(&self, agent: &str, login: u64) -> Result<(), StoreError> {
        match self {
            Self::Memory(memory) => {
                Self::in_memory(memory).forget(agent, login);
                Ok(())
            }
            Self::Redis(redis) => {
                let _: i64 = redis
                    .scripts
                    .forget
                    .key(&redis.states)
                    .key(&redis.heartbeats)
                    .arg(agent)
                    .arg(login.to_string())
                    .invoke_async(&mut redis.connection.clone())
                    .await?;
                Ok(())
            }
        }
    }

    /// Forgets the state of a sign-in the reaper ended: at once in memory, in a task for Redis
    /// (the reaper's hook cannot wait).
    pub(crate) fn forget_idle(self: Arc<Self>, agent: String, login: u64) {
        if let Self::Memory(memory) = &*self {
            Self::in_memory(memory).forget(&agent, login);
            return;
        }
        tokio::spawn(async move {
            if let Err(e) = self.signed_out(&agent, login).await {
                tracing::warn!(agent = %agent, error = %e, "the state of an agent signed out for idleness stays");
            }
        });
    }

    /// A signed-in agent's state and heartbeat (`None`: not signed in).
    pub(crate) async fn agent(&self, agent: &str) -> Result<Option<AgentStatus>, StoreError> {
        match self {
            Self::Memory(memory) => Ok(Self::in_memory(memory)
                .agents
                .get(agent)
                .map(|(_, status)| *status)),
            Self::Redis(redis) => {
                let (entry, heartbeat): (Option<String>, Option<i64>) = redis::pipe()
                    .hget(&redis.states, agent)
                    .hget(&redis.heartbeats, agent)
                    .query_async(&mut redis.connection.clone())
                    .await?;
                entry
                    .map(|entry| {
                        Ok(AgentStatus {
                            state: state_of(&entry)?,
                            last_heartbeat: heartbeat,
                        })
                    })
                    .transpose()
            }
        }
    }

    /// Sets a signed-in agent's state (agents not signed in are left alone).
    pub(crate) async fn set_state(&self, agent: &str, state: AgentState) -> Result<(), StoreError> {
        match self {
            Self::Memory(memory) => {
                if let Some((_, status)) = Self::in_memory(memory).agents.get_mut(agent) {
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
    pub(crate) async fn heartbeat(&self, agent: &str, now_ms: i64) -> Result<(), StoreError> {
        match self {
            Self::Memory(memory) => {
                if let Some((_, status)) = Self::in_memory(memory).agents.get_mut(agent) {
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
    ) -> Result<R, StoreError> {
        match self {
            Self::Memory(memory) => Ok(f(&Self::in_memory(memory).conferences)),
            Self::Redis(redis) => {
                let (_, conferences) = redis.current().await?;
                Ok(f(&conferences))
            }
        }
    }

    /// Applies `change` to the conferences (agents' state changes included), atomically for
    /// every instance: the value and the events it queued. When `change` fails, nothing is
    /// stored on Redis and no agent's state changes; the conference rules check before they
    /// change anything, so in memory nothing changed either. On Redis `change` may run more
    /// than once (each time on fresh data), so it must only change what it is given.
    pub(crate) async fn change<R, E: From<StoreError>>(
        &self,
        mut change: impl FnMut(&mut State<'_>, &mut Outbox) -> Result<R, E>,
    ) -> Result<(R, Outbox), E> {
        match self {
            Self::Memory(memory) => {
                let mut memory = Self::in_memory(memory);
                let InMemory {
                    agents,
                    conferences,
                } = &mut *memory;
                let mut state = State::new(conferences);
                let mut outbox = Outbox::new();
                let value = change(&mut state, &mut outbox)?;
                for (agent, agent_state) in state.agent_states {
                    if let Some((_, status)) = agents.get_mut(&agent) {
                        status.state = agent_state;
                    }
                }
                Ok((value, outbox))
            }
            Self::Redis(redis) => {
                let _turn = redis.turn.lock().await;
                let started = std::time::Instant::now();
                let mut pause = Duration::from_micros(250);
                loop {
                    if let Some(done) = redis.try_change(&mut change).await? {
                        return Ok(done);
                    }
                    // Another instance changed the conferences between our read and write.
                    if started.elapsed() >= CONTENDED_FOR {
                        return Err(StoreError::new(format_args!(
                            "other instances kept changing the conferences for {CONTENDED_FOR:?}"
                        ))
                        .into());
                    }
                    tokio::time::sleep(jittered(pause)).await;
                    pause = (pause * 2).min(MAX_BACKOFF);
                }
            }
        }
    }
}

/// Half to all of `pause`, at random, so instances that collided do not collide again.
fn jittered(pause: Duration) -> Duration {
    let random = RandomState::new().hash_one(pause);
    pause / 2 + pause.mul_f64((random % 1024) as f64 / 2048.0)
}

impl InRedis {
    /// The conferences as they are now, with their version: the cached ones when the version
    /// is still theirs (one small read), else all of them read again.
    async fn current(&self) -> Result<(String, BTreeMap<i64, Conference>), StoreError> {
        let mut connection = self.connection.clone();
        let version: Option<String> =
            redis::AsyncCommands::hget(&mut connection, &self.conferences, "version").await?;
        let version = version.unwrap_or_default();
        if let Some((cached, conferences)) = &*self.cache()
            && *cached == version
        {
            return Ok((version, conferences.clone()));
        }
        let fields: Vec<(String, String)> =
            redis::AsyncCommands::hgetall(&mut connection, &self.conferences).await?;
        let mut version = String::new();
        let mut conferences = BTreeMap::new();
        for (name, value) in fields {
            if name == "version" {
                version = value;
            } else {
                let conference: Conference = decode("conference", &value)?;
                conferences.insert(conference.conf_id, conference);
            }
        }
        *self.cache() = Some((version.clone(), conferences.clone()));
        Ok((version, conferences))
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Option<(String, BTreeMap<i64, Conference>)>> {
        self.cached.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One read-change-write round: `None` when another instance wrote in between.
    async fn try_change<R, E: From<StoreError>>(
        &self,
        change: &mut impl FnMut(&mut State<'_>, &mut Outbox) -> Result<R, E>,
    ) -> Result<Option<(R, Outbox)>, E> {
        let (version, before) = self.current().await?;
        let mut conferences = before.clone();
        let mut state = State::new(&mut conferences);
        let mut outbox = Outbox::new();
        let value = change(&mut state, &mut outbox)?;
        let agent_states = state.agent_states;
        // Only the conferences that changed (or went) are written.
        let mut written = Vec::new();
        for (conf_id, conference) in &conferences {
            if before.get(conf_id) != Some(conference) {
                written.push((field(*conf_id), encode("conference", conference)?));
            }
        }
        for conf_id in before.keys().filter(|id| !conferences.contains_key(id)) {
            written.push((field(*conf_id), String::new()));
        }
        if written.is_empty() && agent_states.is_empty() {
            return Ok(Some((value, outbox)));
        }
        let mut invocation = self.scripts.commit.prepare_invoke();
        invocation
            .key(&self.conferences)
            .key(&self.states)
            .arg(&version)
            .arg(written.len());
        for (name, json) in &written {
            invocation.arg(name).arg(json);
        }
        for (agent, agent_state) in &agent_states {
            invocation
                .arg(agent)
                .arg(encode("agent state", agent_state)?);
        }
        let committed: String = invocation
            .invoke_async(&mut self.connection.clone())
            .await
            .map_err(StoreError::from)?;
        if committed.is_empty() {
            return Ok(None);
        }
        *self.cache() = Some((committed, conferences));
        Ok(Some((value, outbox)))
    }
}

/// The hash field of conference `conf_id`.
fn field(conf_id: i64) -> String {
    format!("c:{conf_id}")
}

/// A random number for a sign-in ([`crate::AgentSession::login`]).
pub(crate) fn random_login() -> u64 {
    RandomState::new().hash_one(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    )
}
