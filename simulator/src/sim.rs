//! The simulated gateway's state: agents, live sessions and conferences, shared by the handlers
//! of the generated server traits (`crate::agentconf`, `crate::onlineagent`,
//! `crate::agentevent`).

use std::collections::{BTreeMap, HashSet};
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use agentgateway::{AgentState, ConfInfo, ErrorCode, Event};
use futures_util::FutureExt as _;
use gatespec::server::live::{
    LiveSessions, MemoryBackend, MemoryOrRedis, Published, RedisBackend, SessionBackend, Settings,
};
use gatespec::server::{Caller, SessionStore, StoreFailure};
use gatespec::{Constrained, GatewayError};
use serde::{Deserialize, Serialize};

use crate::conference::{Conference, Failure};
use crate::data::{DataSet, Role};
use crate::events::{Outbox, conference_content};
use crate::store::{Setup, SharedState, Store, StoreError, random_login};

/// The live sessions of a simulator: in memory, or in Redis shared with other instances.
pub(crate) type Live = LiveSessions<AgentSession, MemoryOrRedis<AgentSession>>;

/// What a signed-in agent's session knows about its agent: the caller of every interface.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentSession {
    /// The agent id.
    pub agent_id: String,
    /// Inspector or common agent.
    pub role: Role,
    /// The agent's VDN.
    pub vdn: u32,
    /// Which sign-in of the agent this session is (a random number): the state an ended
    /// session leaves behind is never taken for a later session's.
    pub login: u64,
}

impl Caller for AgentSession {
    fn agent_id(&self) -> &str {
        &self.agent_id
    }

    fn role(&self) -> &str {
        self.role.as_str()
    }
}

/// A live session as it is now ([`Simulator::session_of`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// The agent id.
    pub agent_id: String,
    /// Inspector or common agent.
    pub role: Role,
    /// The agent's VDN.
    pub vdn: u32,
    /// The session's current Guid.
    pub guid: String,
    /// The agent's state: the sign-in `status` (idle for seeded sessions), idle after sayfree
    /// and after a conference ends for it.
    pub state: AgentState,
    /// When the last heartbeat (handshake) arrived, epoch milliseconds.
    pub last_heartbeat: Option<i64>,
    /// Whether the session receives its events by push (signed in with a callback URI and a
    /// service token) rather than by polling.
    pub push: bool,
    /// Which sign-in of the agent this session is ([`AgentSession::login`]).
    pub login: u64,
}

impl SessionInfo {
    /// The session's caller data.
    pub fn caller(&self) -> AgentSession {
        AgentSession {
            agent_id: self.agent_id.clone(),
            role: self.role,
            vdn: self.vdn,
            login: self.login,
        }
    }
}

/// The timers and behaviour a simulator runs with. The defaults are the reference's: a poll
/// holds 10 s, an agent that neither polls nor sends a heartbeat for 2 minutes is signed out,
/// a poll renews a Guid older than 60 s and a Guid renewed away stays valid for 120 s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct Options {
    /// How long an event poll holds the request while no event is queued.
    pub hold: Duration,
    /// A session with neither poll nor heartbeat for this long is signed out.
    pub idle_timeout: Duration,
    /// A poll renews the session's Guid once it is this old (`None`: never).
    pub renewal_interval: Option<Duration>,
    /// How long a Guid renewed away keeps naming its session.
    pub old_guid_validity: Duration,
    /// How long setting up a requested conference takes: its `AgentConf_RequestSuccess` (and
    /// the chairperson's operations) come this long after requestagentconf answered. Zero:
    /// the conference is set up, and the event queued, before requestagentconf answers.
    pub conference_setup: Duration,
    /// How many conferences a VDN runs at most: a request beyond it is answered with success
    /// and followed by `AgentConf_RequestFailed` (`None`: no limit).
    pub conference_limit: Option<usize>,
    /// How long a conference minute lasts: a conference ends with `AgentConf_Timeout` once it
    /// has run the minutes applied for (requestagentconf's `time`, prolonged by prolongtime;
    /// a data-set conference counts the minutes it had run already). `None`: conferences never
    /// time out. Shorten it to see timeouts in tests.
    pub conference_minute: Option<Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            hold: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            renewal_interval: Some(Duration::from_secs(60)),
            old_guid_validity: Duration::from_secs(120),
            conference_setup: Duration::ZERO,
            conference_limit: None,
            conference_minute: Some(Duration::from_secs(60)),
        }
    }
}

impl Options {
    /// The live sessions' settings: the simulator's timers, Guids in the gateway's shape, and a
    /// reaper that looks often enough for short idle timeouts.
    fn settings(&self) -> Settings {
        let reap = (self.idle_timeout / 4).clamp(Duration::from_millis(10), Duration::from_secs(5));
        Settings::default()
            .hold(self.hold)
            .idle_timeout(self.idle_timeout)
            .renewal_interval(self.renewal_interval)
            .old_id_validity(self.old_guid_validity)
            .reap_interval(reap)
            .session_ids(random_guid)
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

/// What the simulator keeps about a signed-in agent beside its live session.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AgentStatus {
    pub(crate) state: AgentState,
    pub(crate) last_heartbeat: Option<i64>,
}

impl AgentStatus {
    /// Just signed in, in `state`.
    pub(crate) fn signed_in(state: AgentState) -> Self {
        Self {
            state,
            last_heartbeat: None,
        }
    }
}

/// The conferences as a change sees them ([`Simulator::change`]), and the agents' state
/// changes it makes, which the store applies with it.
#[derive(Debug)]
pub(crate) struct State<'a> {
    pub(crate) conferences: &'a mut BTreeMap<i64, Conference>,
    pub(crate) agent_states: Vec<(String, AgentState)>,
}

impl<'a> State<'a> {
    pub(crate) fn new(conferences: &'a mut BTreeMap<i64, Conference>) -> Self {
        Self {
            conferences,
            agent_states: Vec::new(),
        }
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

    /// The conference chaired by the caller: 101-001 without a conference (or before the
    /// requested conference is set up, which `AgentConf_RequestSuccess` announces), 101-002
    /// when another agent chairs it.
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
        if !conference.is_set_up() {
            return Err(GatewayError::with_message(
                ErrorCode::NoConference,
                format!(
                    "conference {} is not set up yet: wait for AgentConf_RequestSuccess",
                    conference.conf_id
                ),
            ));
        }
        Ok(conference)
    }

    /// Sets up the requested conference `conf_id` (unless it is set up already, or gone), or
    /// fails it when its VDN runs `limit` conferences already, and queues what the chair is
    /// told.
    pub(crate) fn set_up(&mut self, conf_id: i64, limit: Option<usize>, outbox: &mut Outbox) {
        let Some(conference) = self.conferences.get(&conf_id) else {
            return;
        };
        if conference.is_set_up() {
            return;
        }
        let chair = conference.chair().unwrap_or_default().to_owned();
        let over_limit = limit.is_some_and(|limit| {
            self.conferences
                .values()
                .filter(|c| c.vdn == conference.vdn && c.is_set_up())
                .count()
                >= limit
        });
        if over_limit {
            self.conferences.remove(&conf_id);
            tracing::info!(
                conf = conf_id,
                "conference request failed: the VDN runs its most"
            );
            outbox.push(Event::AgentConfRequestFailed {
                agent: chair,
                content: conference_content(conf_id),
            });
            return;
        }
        if let Some(conference) = self.conferences.get_mut(&conf_id) {
            conference.mark_set_up();
            conference.start_clock(now_ms());
        }
        tracing::info!(conf = conf_id, chair = %chair, "conference set up");
        outbox.push(Event::AgentConfRequestSuccess {
            agent: chair.clone(),
            content: conference_content(conf_id),
        });
        outbox.push(Event::AgentConfSelfJoinResult {
            agent: chair,
            content: conference_content(conf_id),
        });
    }

    /// Sets the state of a signed-in agent (agents not signed in are left alone).
    pub(crate) fn set_agent_state(&mut self, agent_id: &str, state: AgentState) {
        self.agent_states.push((agent_id.to_owned(), state));
    }

    /// Ends a conference, however it ends (released by its chair, timed out): every agent that
    /// joined gets `farewell`'s event, if any, then is idle again and told so. Returns the
    /// conference, `None` if it was already gone.
    pub(crate) fn end_conference(
        &mut self,
        conf_id: i64,
        outbox: &mut Outbox,
        farewell: impl Fn(&str) -> Option<Event>,
    ) -> Option<Conference> {
        let conference = self.conferences.remove(&conf_id)?;
        for agent in conference.joined_agents() {
            if let Some(event) = farewell(agent) {
                outbox.push(event);
            }
            self.set_agent_state(agent, AgentState::Idle);
            outbox.state(agent, AgentState::Idle);
        }
        Some(conference)
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

/// The in-memory stores answer without waiting (their futures complete on their first poll),
/// so the synchronous constructor seeds them directly.
fn at_once<T, E>(future: impl Future<Output = Result<T, E>>) -> Option<T> {
    future.now_or_never().and_then(Result::ok)
}

/// The simulator: agents, live sessions and conferences, changed by the interfaces. Cheap to
/// clone; clones share the state. Simulators on one Redis ([`Store::Redis`]) share it too.
#[derive(Clone, Debug)]
pub struct Simulator {
    /// Agents in data-set order.
    accounts: Arc<[Account]>,
    shared: Arc<SharedState>,
    pub(crate) live: Live,
    pub(crate) options: Options,
    /// Posts the events of sessions in push mode (`None` when no HTTP client could be built).
    pub(crate) pusher: Option<reqwest::Client>,
    /// Calls that reached a handler.
    handled: Arc<AtomicU64>,
}

/// The data set split into what sign-in checks, the sessions it starts with and its
/// conferences (their clocks started now).
struct Seed {
    accounts: Arc<[Account]>,
    sessions: Vec<(String, AgentSession)>,
    conferences: BTreeMap<i64, Conference>,
}

impl Seed {
    fn new(data: DataSet) -> Self {
        let mut accounts = Vec::new();
        let mut sessions = Vec::new();
        for agent in data.agents {
            let id = agent.id.into_inner();
            if let Some(guid) = agent.guid {
                let caller = AgentSession {
                    agent_id: id.clone(),
                    role: agent.role,
                    vdn: agent.vdn,
                    login: random_login(),
                };
                sessions.push((guid, caller));
            }
            accounts.push(Account {
                id,
                role: agent.role,
                vdn: agent.vdn,
                password: agent.password,
            });
        }
        let started = now_ms();
        let conferences = data
            .conferences
            .into_iter()
            .map(|c| {
                let mut conference = Conference::from(c);
                conference.start_clock(started);
                (conference.conf_id, conference)
            })
            .collect();
        Self {
            accounts: accounts.into(),
            sessions,
            conferences,
        }
    }

    /// What every instance must agree on.
    fn setup(&self, options: &Options) -> Setup {
        let ms = |d: Duration| Some(u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let timers = [
            ("hold_ms", ms(options.hold)),
            ("idle_timeout_ms", ms(options.idle_timeout)),
            ("renewal_interval_ms", options.renewal_interval.and_then(ms)),
            ("old_guid_validity_ms", ms(options.old_guid_validity)),
            ("conference_setup_ms", ms(options.conference_setup)),
            (
                "conference_limit",
                options
                    .conference_limit
                    .map(|n| u64::try_from(n).unwrap_or(u64::MAX)),
            ),
            (
                "conference_minute_ms",
                options.conference_minute.and_then(ms),
            ),
        ];
        Setup {
            agents: self
                .accounts
                .iter()
                .map(|a| (a.id.clone(), a.role.as_str().to_owned(), a.vdn))
                .collect(),
            timers: timers
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        }
    }

    /// The seeded agents (sign-in and state), idle.
    fn agents(&self) -> Vec<(String, u64, AgentState)> {
        self.sessions
            .iter()
            .map(|(_, caller)| (caller.agent_id.clone(), caller.login, AgentState::Idle))
            .collect()
    }
}

impl Simulator {
    /// A simulator over `data` with the reference's timers, in memory; agents with a `guid`
    /// are signed in from the start. Must be called within a Tokio runtime (the live sessions'
    /// reaper is a task).
    pub fn new(data: DataSet) -> Self {
        Self::with_options(data, Options::default())
    }

    /// A simulator over `data` with `options`, in memory. Must be called within a Tokio
    /// runtime.
    pub fn with_options(data: DataSet, options: Options) -> Self {
        let seed = Seed::new(data);
        let live = LiveSessions::with_backend(
            MemoryOrRedis::Memory(MemoryBackend::new()),
            options.settings(),
        );
        let shared = SharedState::memory();
        let setup = seed.setup(&options);
        let _ = at_once(shared.seed(seed.agents(), seed.conferences, &setup));
        for (guid, caller) in seed.sessions {
            // Seeded sessions keep the data set's Guid, so they go straight to the store.
            let id = caller.agent_id.clone();
            let _ = at_once(live.backend().insert(&guid, &id, caller, None, live.now()));
        }
        Self::assemble(seed.accounts, shared, live, options)
    }

    /// A simulator over `data` with `options`, keeping its state in `store`. On Redis, the
    /// first simulator on an empty prefix seeds the data set's sessions and conferences; the
    /// others find them there (every instance must load the same data set: sign-in checks its
    /// own copy of the agents).
    ///
    /// # Errors
    /// When Redis cannot be reached (or the URL is malformed): a clear error at start.
    pub async fn with_store(
        data: DataSet,
        options: Options,
        store: &Store,
    ) -> Result<Self, StoreError> {
        let (url, prefix) = match store {
            Store::Memory => return Ok(Self::with_options(data, options)),
            Store::Redis { url, prefix } => (url, prefix),
        };
        let seed = Seed::new(data);
        let backend = RedisBackend::connect(url, prefix).await?;
        let shared = SharedState::redis(backend.connection(), prefix);
        let live =
            LiveSessions::with_backend(MemoryOrRedis::Redis(Box::new(backend)), options.settings());
        let setup = seed.setup(&options);
        if shared.seed(seed.agents(), seed.conferences, &setup).await? {
            for (guid, caller) in seed.sessions {
                let id = caller.agent_id.clone();
                live.backend()
                    .insert(&guid, &id, caller, None, live.now())
                    .await?;
            }
        }
        Ok(Self::assemble(seed.accounts, shared, live, options))
    }

    fn assemble(
        accounts: Arc<[Account]>,
        shared: SharedState,
        live: Live,
        options: Options,
    ) -> Self {
        let shared = Arc::new(shared);
        let forget = Arc::downgrade(&shared);
        live.on_idle_sign_out(move |ended| {
            tracing::info!(agent = %ended.agent_id, "signed out: no poll or heartbeat");
            if let Some(shared) = forget.upgrade() {
                shared.forget_idle(ended.agent_id.clone(), ended.caller.login);
            }
        });
        let pusher = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| tracing::warn!(error = %e, "no HTTP client: push mode cannot deliver"))
            .ok();
        let sim = Self {
            accounts,
            shared,
            live,
            options,
            pusher,
            handled: Arc::new(AtomicU64::new(0)),
        };
        if let Some(minute) = options.conference_minute {
            tokio::spawn(conference_clock(
                Arc::downgrade(&sim.shared),
                sim.live.clone(),
                minute,
                options.conference_limit,
            ));
        }
        sim
    }

    /// The data set's agent `agent_id`.
    pub(crate) fn account(&self, agent_id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == agent_id)
    }

    /// Agents' states and the conferences.
    pub(crate) fn shared(&self) -> &SharedState {
        &self.shared
    }

    /// Applies `change` to the conferences (atomically for every instance sharing the store,
    /// see [`crate::store`]), then publishes the events it queued, in order.
    pub(crate) async fn change<R, E: From<StoreError>>(
        &self,
        change: impl FnMut(&mut State<'_>, &mut Outbox) -> Result<R, E>,
    ) -> Result<R, E> {
        let (value, outbox) = self.shared.change(change).await?;
        self.publish_all(outbox.into_events()).await;
        Ok(value)
    }

    /// The options the simulator runs with.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Counts a call that reached a handler.
    pub(crate) fn count(&self) {
        self.handled.fetch_add(1, Ordering::Relaxed);
    }

    /// The live sessions, in data-set order of their agents.
    pub async fn sessions(&self) -> Vec<SessionInfo> {
        let mut sessions = Vec::new();
        for account in self.accounts.iter() {
            sessions.extend(self.session_of(&account.id).await);
        }
        sessions
    }

    /// The live session of `agent_id`, if it is signed in (and the store answers).
    pub async fn session_of(&self, agent_id: &str) -> Option<SessionInfo> {
        let guid = self.live.session_of_agent(agent_id).await.ok()??;
        let found = self.live.find(&guid).await.ok()??;
        let status = self.shared.agent(agent_id).await.ok().flatten();
        Some(SessionInfo {
            agent_id: found.caller.agent_id,
            role: found.caller.role,
            vdn: found.caller.vdn,
            guid: found.current_id,
            state: status.map_or(AgentState::Idle, |s| s.state),
            last_heartbeat: status.and_then(|s| s.last_heartbeat),
            push: found.push.is_some(),
            login: found.caller.login,
        })
    }

    /// How many agents are signed in (0 when the store does not answer).
    pub async fn signed_in(&self) -> usize {
        self.live.count().await.unwrap_or(0)
    }

    /// Queues `event` for `agent_id` (or posts it, for a session in push mode) as the
    /// interfaces do: for tools and tests that need events no interface emits.
    pub async fn publish(&self, agent_id: &str, event: &Event) -> Published {
        match self.live.publish(agent_id, event).await {
            Ok(published) => published,
            Err(e) => {
                tracing::warn!(agent = %agent_id, error = %e, "event not published");
                Published::NoSession
            }
        }
    }

    /// Publishes events in order.
    pub(crate) async fn publish_all(&self, events: Vec<(String, Event)>) {
        for (agent, event) in events {
            self.publish(&agent, &event).await;
        }
    }

    /// A conference as it is now (`None` also when the store does not answer).
    pub async fn conference(&self, conf_id: i64) -> Option<Conference> {
        self.shared
            .read(|conferences| conferences.get(&conf_id).cloned())
            .await
            .ok()
            .flatten()
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
    ///
    /// # Errors
    /// When the store does not answer.
    pub async fn visible(
        &self,
        session: &AgentSession,
        conf_ids: &[i64],
    ) -> Result<Vec<ConfInfo>, StoreError> {
        self.shared
            .read(|conferences| {
                let mut seen = HashSet::new();
                conf_ids
                    .iter()
                    .filter(|id| seen.insert(**id))
                    .filter_map(|id| conferences.get(id))
                    .filter(|c| Self::may_see(session, c))
                    .map(Conference::info)
                    .collect()
            })
            .await
    }
}

impl SessionStore for Simulator {
    type Caller = AgentSession;

    async fn resolve(&self, session_id: &str) -> Option<AgentSession> {
        self.live.resolve(session_id).await
    }

    /// A Redis that does not answer is 100-007, not an unknown session: the agent's session
    /// may well be live.
    async fn try_resolve(&self, session_id: &str) -> Result<Option<AgentSession>, StoreFailure> {
        Ok(self.live.try_resolve(session_id).await?)
    }
}

/// Ends the conferences that have run their time: every agent that joined gets
/// `AgentConf_Timeout` and then, free again, `AgentState_Ready`. Runs until the simulator is
/// dropped, looking four times a conference minute (at most once a second). Instances sharing a
/// store all look; a conference ends once (the change is atomic).
async fn conference_clock(
    shared: Weak<SharedState>,
    live: Live,
    minute: Duration,
    limit: Option<usize>,
) {
    let mut ticks =
        tokio::time::interval((minute / 4).clamp(Duration::from_millis(5), Duration::from_secs(1)));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let ticked = shared
            .change(|state, outbox| {
                let now = now_ms();
                // Requested conferences whose set-up the requesting instance did not finish.
                let overdue: Vec<i64> = state
                    .conferences
                    .values()
                    .filter(|c| c.setup_overdue(now))
                    .map(|c| c.conf_id)
                    .collect();
                for conf_id in overdue {
                    state.set_up(conf_id, limit, outbox);
                }
                let ended: Vec<i64> = state
                    .conferences
                    .values_mut()
                    .filter_map(|c| c.tick(now, minute).then_some(c.conf_id))
                    .collect();
                let mut timed_out = Vec::new();
                for conf_id in ended {
                    let ended = state.end_conference(conf_id, outbox, |agent| {
                        Some(Event::AgentConfTimeout {
                            agent: agent.to_owned(),
                            content: conference_content(conf_id),
                        })
                    });
                    timed_out.extend(ended.map(|c| (conf_id, c.apply_conf_time)));
                }
                Ok::<_, StoreError>(timed_out)
            })
            .await;
        drop(shared);
        let (timed_out, outbox) = match ticked {
            Ok(ticked) => ticked,
            Err(e) => {
                tracing::warn!(error = %e, "conference clock: the store failed");
                continue;
            }
        };
        for (conf_id, minutes) in timed_out {
            tracing::info!(conf = conf_id, minutes, "conference timed out");
        }
        for (agent, event) in outbox.into_events() {
            if let Err(e) = live.publish(&agent, &event).await {
                tracing::warn!(agent = %agent, error = %e, "event not published");
            }
        }
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

    #[tokio::test]
    async fn visibility_rule() {
        let sim = Simulator::new(DataSet::default_data().unwrap());
        let ids = [1029888, 1029889, 2048001, 7];
        let confs = |agent: &str| -> Vec<i64> {
            let session = sim
                .session_of(agent)
                .now_or_never()
                .flatten()
                .unwrap()
                .caller();
            sim.visible(&session, &ids)
                .now_or_never()
                .unwrap()
                .unwrap()
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
