//! The default store: live sessions in this process's memory, one mutex around three maps,
//! waiters woken with `tokio::sync::Notify`.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use super::backend::{
    EncodedEvent, Ended, Found, Published, PushTarget, SessionBackend, Timestamp, Waited,
};

/// How many renewed-away ids a lookup follows to reach the current one: with the default
/// timers at most two are valid at once, so this only guards against loops.
const MAX_RENEWAL_HOPS: usize = 16;

/// Live sessions in memory: the default [`SessionBackend`], for one server instance.
///
/// An idle session costs its caller data, its two ids and agent id, one `Notify` and a few
/// map slots: a few hundred bytes (the `live_sessions_memory` test measures it). Its queue
/// allocates only while it holds events. Critical sections are short and never await.
pub struct MemoryBackend<C> {
    table: Mutex<Table<C>>,
}

impl<C> fmt::Debug for MemoryBackend<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let table = self.lock();
        f.debug_struct("MemoryBackend")
            .field("sessions", &table.sessions.len())
            .field("renewed_away", &table.renewed_away.len())
            .finish()
    }
}

impl<C> Default for MemoryBackend<C> {
    fn default() -> Self {
        Self {
            table: Mutex::new(Table {
                sessions: HashMap::new(),
                agents: HashMap::new(),
                renewed_away: HashMap::new(),
            }),
        }
    }
}

struct Table<C> {
    /// Live sessions by current id.
    sessions: HashMap<Box<str>, Live<C>>,
    /// Current id by agent id.
    agents: HashMap<Box<str>, Box<str>>,
    /// Renewed-away ids: the id they were renewed to, and until when they stay valid.
    renewed_away: HashMap<Box<str>, (Box<str>, Timestamp)>,
}

struct Live<C> {
    agent_id: Box<str>,
    caller: C,
    push: Option<Box<PushTarget>>,
    active_at: Timestamp,
    renewed_at: Timestamp,
    queue: VecDeque<EncodedEvent>,
    dropped: u64,
    wake: Arc<Notify>,
}

impl<C> Live<C> {
    fn ended(self, id: Box<str>) -> Ended<C> {
        self.wake.notify_waiters();
        Ended {
            id: id.into(),
            agent_id: self.agent_id.into(),
            caller: self.caller,
        }
    }
}

impl<C> Table<C> {
    /// The current id `id` names at `now`.
    fn current_id<'a>(&'a self, mut id: &'a str, now: Timestamp) -> Option<&'a str> {
        let mut valid = false;
        for _ in 0..MAX_RENEWAL_HOPS {
            if self.sessions.contains_key(id) {
                return Some(id);
            }
            let (renewed, until) = self.renewed_away.get(id)?;
            // The id looked up must be valid; ids renewed away after it outlive it.
            valid = valid || *until > now;
            if !valid {
                return None;
            }
            id = renewed;
        }
        None
    }

    /// Stores a new session `id` of `agent_id` (the agent has none now).
    fn store(
        &mut self,
        id: &str,
        agent_id: &str,
        caller: C,
        push: Option<PushTarget>,
        now: Timestamp,
    ) {
        self.agents.insert(agent_id.into(), id.into());
        self.sessions.insert(
            id.into(),
            Live {
                agent_id: agent_id.into(),
                caller,
                push: push.map(Box::new),
                active_at: now,
                renewed_at: now,
                queue: VecDeque::new(),
                dropped: 0,
                wake: Arc::new(Notify::new()),
            },
        );
    }

    fn remove_current(&mut self, id: &str) -> Option<Ended<C>> {
        let (id, live) = self.sessions.remove_entry(id)?;
        if self.agents.get(&live.agent_id).is_some_and(|c| *c == id) {
            self.agents.remove(&live.agent_id);
        }
        Some(live.ended(id))
    }
}

impl<C> MemoryBackend<C> {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Table<C>> {
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next event of `id`'s queue, or what to wait on for one (`None`: no session).
    fn take_or_wait(&self, id: &str) -> Result<Waited, Arc<Notify>> {
        let mut table = self.lock();
        let Some(live) = table.sessions.get_mut(id) else {
            return Ok(Waited::Ended);
        };
        match live.queue.pop_front() {
            Some(event) => {
                if live.queue.is_empty() {
                    // An idle session keeps no queue buffer.
                    live.queue = VecDeque::new();
                }
                Ok(Waited::Event(event))
            }
            None => Err(Arc::clone(&live.wake)),
        }
    }
}

impl<C: Clone + Send + Sync + 'static> SessionBackend<C> for MemoryBackend<C> {
    type Error = Infallible;

    async fn insert(
        &self,
        id: &str,
        agent_id: &str,
        caller: C,
        push: Option<PushTarget>,
        now: Timestamp,
    ) -> Result<Option<Ended<C>>, Infallible> {
        let mut table = self.lock();
        let previous = table.agents.get(agent_id).cloned();
        let previous = previous.and_then(|previous| table.remove_current(&previous));
        table.store(id, agent_id, caller, push, now);
        Ok(previous)
    }

    async fn insert_exclusive(
        &self,
        id: &str,
        agent_id: &str,
        caller: C,
        push: Option<PushTarget>,
        now: Timestamp,
    ) -> Result<bool, Infallible> {
        let mut table = self.lock();
        if table.agents.contains_key(agent_id) {
            return Ok(false);
        }
        table.store(id, agent_id, caller, push, now);
        Ok(true)
    }

    async fn find(&self, id: &str, now: Timestamp) -> Result<Option<Found<C>>, Infallible> {
        let table = self.lock();
        let Some(current) = table.current_id(id, now) else {
            return Ok(None);
        };
        Ok(table.sessions.get(current).map(|live| Found {
            current_id: current.to_owned(),
            agent_id: live.agent_id.to_string(),
            caller: live.caller.clone(),
            renewed_at: live.renewed_at,
            push: live.push.as_deref().cloned(),
        }))
    }

    async fn find_agent(&self, agent_id: &str) -> Result<Option<String>, Infallible> {
        Ok(self.lock().agents.get(agent_id).map(|id| id.to_string()))
    }

    async fn touch(&self, id: &str, now: Timestamp) -> Result<bool, Infallible> {
        let mut table = self.lock();
        Ok(match table.sessions.get_mut(id) {
            Some(live) => {
                live.active_at = live.active_at.max(now);
                true
            }
            None => false,
        })
    }

    async fn renew(
        &self,
        current: &str,
        renewed: &str,
        now: Timestamp,
        old_valid_until: Timestamp,
    ) -> Result<bool, Infallible> {
        let mut table = self.lock();
        let Some((old, mut live)) = table.sessions.remove_entry(current) else {
            return Ok(false);
        };
        live.renewed_at = now;
        let renewed: Box<str> = renewed.into();
        table.agents.insert(live.agent_id.clone(), renewed.clone());
        table.sessions.insert(renewed.clone(), live);
        table.renewed_away.insert(old, (renewed, old_valid_until));
        Ok(true)
    }

    async fn remove(&self, id: &str, now: Timestamp) -> Result<Option<Ended<C>>, Infallible> {
        let mut table = self.lock();
        let current = table.current_id(id, now).map(str::to_owned);
        Ok(current.and_then(|current| table.remove_current(&current)))
    }

    async fn push_event(
        &self,
        id: &str,
        event: EncodedEvent,
        capacity: usize,
    ) -> Result<Published, Infallible> {
        let mut table = self.lock();
        let Some(live) = table.sessions.get_mut(id) else {
            return Ok(Published::NoSession);
        };
        let mut published = Published::Queued;
        while live.queue.len() >= capacity.max(1) {
            live.queue.pop_front();
            live.dropped += 1;
            published = Published::DroppedOldest;
        }
        live.queue.push_back(event);
        live.wake.notify_one();
        Ok(published)
    }

    async fn wait_event(
        &self,
        id: &str,
        deadline: tokio::time::Instant,
    ) -> Result<Waited, Infallible> {
        loop {
            let wake = match self.take_or_wait(id) {
                Ok(waited) => return Ok(waited),
                Err(wake) => wake,
            };
            let notified = wake.notified();
            let mut notified = std::pin::pin!(notified);
            // Registered before looking again, so an event or sign-out in between wakes us.
            notified.as_mut().enable();
            if let Ok(waited) = self.take_or_wait(id) {
                return Ok(waited);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return Ok(match self.take_or_wait(id) {
                    Ok(waited) => waited,
                    Err(_) => Waited::TimedOut,
                });
            }
        }
    }

    async fn dropped_events(&self, id: &str) -> Result<Option<u64>, Infallible> {
        Ok(self.lock().sessions.get(id).map(|live| live.dropped))
    }

    async fn expire(
        &self,
        idle_before: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<Ended<C>>, Infallible> {
        let mut table = self.lock();
        let idle: Vec<Box<str>> = table
            .sessions
            .iter()
            .filter(|(_, live)| live.active_at < idle_before)
            .map(|(id, _)| id.clone())
            .collect();
        let ended = idle
            .iter()
            .filter_map(|id| table.remove_current(id))
            .collect();
        table.renewed_away.retain(|_, (_, until)| *until > now);
        Ok(ended)
    }

    async fn count(&self) -> Result<usize, Infallible> {
        Ok(self.lock().sessions.len())
    }
}
