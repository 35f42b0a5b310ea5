//! Live sessions for event-driven gateways: sign-in creates a session whose caller polls for
//! events; the server publishes events to agents, renews session ids on the polling answer and
//! signs out sessions that stop polling.
//!
//! [`LiveSessions`] is the facade a server uses; its data sits behind one storage trait,
//! [`SessionBackend`], with [`MemoryBackend`] as default and `RedisBackend` (feature `redis`)
//! for sessions shared by several server instances. A server implements [`SessionStore`](super::SessionStore) by delegating to
//! [`LiveSessions::resolve`] (an id renewed away keeps resolving until its validity runs out).
//!
//! | what | default | setting |
//! |---|---|---|
//! | a poll holds the request while no event is queued | 10 s | [`Settings::hold`] |
//! | a session with no poll or heartbeat is signed out after | 2 min | [`Settings::idle_timeout`] |
//! | a poll renews the session id once it is this old | 60 s | [`Settings::renewal_interval`] |
//! | an id renewed away stays valid for | 120 s | [`Settings::old_id_validity`] |
//! | events queued per session, at most | 256 | [`Settings::queue_capacity`] |
//! | the reaper looks for idle sessions every | 5 s | [`Settings::reap_interval`] |
//!
//! **Bounded memory.** An idle session holds its caller data, its ids and a `Notify`; its queue
//! allocates only while events wait in it (a few hundred bytes in all with
//! [`MemoryBackend`]; the `live_sessions_memory` test measures it). A queue holds at most
//! [`Settings::queue_capacity`] events: publishing to a full queue **drops its oldest event**
//! and counts the drop ([`Published::DroppedOldest`], [`LiveSessions::dropped_events`]), so a
//! slow poller loses old events rather than its session, and a caller that never polls is
//! signed out by the reaper with its queue after [`Settings::idle_timeout`].
//!
//! **Several polls for one session.** Each holds until an event or the end of its hold; an
//! event answers exactly one of them (never two copies); nothing here caps their number, which
//! is the HTTP server's connection limit's job; and they hold no lock another request needs, so
//! the agent's other calls are answered meanwhile and no poll renews the id away under another.
//! A client that polls twice only splits its events between the two answers
//! (`hostile_requests::concurrent_polls_for_one_session` holds this).
//!
//! ```
//! use std::time::Duration;
//! use gatespec::server::live::{LiveSessions, Settings};
//! use gatespec::server::Caller;
//!
//! #[derive(Clone, Debug)]
//! struct Agent(String);
//! impl Caller for Agent {
//!     fn agent_id(&self) -> &str { &self.0 }
//!     fn role(&self) -> &str { "agent" }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! let live = LiveSessions::new(Settings::default().hold(Duration::from_millis(50)));
//! let Ok(signed_in) = live.sign_in(Agent("7".into()), None).await;
//! let session = signed_in.id;
//! assert_eq!(live.resolve(&session).await.map(|a| a.0), Some("7".to_owned()));
//!
//! // The handler of the polling interface: an event queued for the agent answers at once.
//! let Ok(_) = live.publish("7", &serde_json::json!({"type": "ready"})).await else { panic!() };
//! let Ok(Some(polled)) = live.poll(&session).await else { panic!() };
//! assert_eq!(polled.event.unwrap().get(), r#"{"type":"ready"}"#);
//! // None queued: the poll holds, then answers without one.
//! let Ok(Some(polled)) = live.poll(&session).await else { panic!() };
//! assert!(polled.event.is_none() && polled.renewed.is_none());
//!
//! let Ok(ended) = live.sign_out(&session).await;
//! assert_eq!(ended.map(|e| e.agent_id), Some("7".to_owned()));
//! assert!(live.resolve(&session).await.is_none());
//! # });
//! ```

mod backend;
#[cfg(feature = "redis")]
mod choice;
mod memory;
#[cfg(feature = "redis")]
pub mod redis_store;

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::marker::PhantomData;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::task::AbortHandle;

pub use backend::{
    DueRenewal, EncodedEvent, Ended, Found, Published, PushTarget, SessionBackend, Timestamp,
    Waited,
};
#[cfg(feature = "redis")]
pub use choice::MemoryOrRedis;
pub use memory::MemoryBackend;
#[cfg(feature = "redis")]
pub use redis_store::{RedisBackend, RedisStoreError};

use super::Caller;
use crate::event::EventTiming;

/// The timers and limits of [`LiveSessions`] (defaults in the [module docs](self)).
#[derive(Clone, Copy, Debug)]
#[must_use]
pub struct Settings {
    hold: Duration,
    idle_timeout: Duration,
    renewal_interval: Option<Duration>,
    old_id_validity: Duration,
    queue_capacity: usize,
    reap_interval: Duration,
    new_session_id: fn() -> String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            hold: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            renewal_interval: Some(Duration::from_secs(60)),
            old_id_validity: Duration::from_secs(120),
            queue_capacity: 256,
            reap_interval: Duration::from_secs(5),
            new_session_id: random_session_id,
        }
    }
}

impl Settings {
    /// The defaults, with the timers a spec declares (its event catalogue's
    /// [`TIMING`](crate::EventCatalogue::TIMING)): hold, idle sign-out, renewal interval and
    /// the validity of renewed-away ids.
    ///
    /// ```
    /// use std::time::Duration;
    /// use gatespec::EventTiming;
    /// use gatespec::server::live::Settings;
    ///
    /// let timing = EventTiming { hold: Some(Duration::from_secs(5)), ..EventTiming::default() };
    /// assert_eq!(Settings::for_timing(&timing).hold_time(), Duration::from_secs(5));
    /// ```
    pub fn for_timing(timing: &EventTiming) -> Self {
        let defaults = Self::default();
        Self {
            hold: timing.hold.unwrap_or(defaults.hold),
            idle_timeout: timing.idle_sign_out.unwrap_or(defaults.idle_timeout),
            renewal_interval: timing.renewal.or(defaults.renewal_interval),
            old_id_validity: timing.renewed_valid.unwrap_or(defaults.old_id_validity),
            ..defaults
        }
    }

    /// How long a poll holds the request while no event is queued (default 10 s).
    pub fn hold(mut self, hold: Duration) -> Self {
        self.hold = hold;
        self
    }

    /// A session with neither poll nor heartbeat for this long is signed out (default 2 min).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// A poll renews the session id once the id is this old (default 60 s); `None` never
    /// renews.
    pub fn renewal_interval(mut self, interval: Option<Duration>) -> Self {
        self.renewal_interval = interval;
        self
    }

    /// How long an id renewed away keeps naming its session (default 120 s).
    pub fn old_id_validity(mut self, validity: Duration) -> Self {
        self.old_id_validity = validity;
        self
    }

    /// The most events a session's queue holds (default 256, at least 1); publishing to a full
    /// queue drops its oldest event.
    pub fn queue_capacity(mut self, capacity: usize) -> Self {
        self.queue_capacity = capacity.max(1);
        self
    }

    /// How often the reaper looks for idle sessions (default 5 s): a session is signed out
    /// between [`idle_timeout`](Self::idle_timeout) and that plus this after its last activity.
    pub fn reap_interval(mut self, interval: Duration) -> Self {
        self.reap_interval = interval.max(Duration::from_millis(1));
        self
    }

    /// Makes session ids (default [`random_session_id`]): they must be unique and
    /// unguessable, since an id is all a caller shows.
    pub fn session_ids(mut self, new_session_id: fn() -> String) -> Self {
        self.new_session_id = new_session_id;
        self
    }

    /// The hold of a poll.
    pub fn hold_time(&self) -> Duration {
        self.hold
    }

    /// The idle timeout.
    pub fn idle_time(&self) -> Duration {
        self.idle_timeout
    }
}

/// A new session id: 128 bits from the operating system's random source, as 32 hex digits.
pub fn random_session_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No OS source: std's randomly keyed hasher still gives unpredictable words.
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_usize(i);
            chunk.copy_from_slice(&hasher.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Wall-clock time that advances with Tokio's clock (so paused time in tests moves it).
#[derive(Clone, Copy, Debug)]
struct Clock {
    wall_at_origin: Timestamp,
    origin: tokio::time::Instant,
}

impl Clock {
    fn start() -> Self {
        let wall = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Self {
            wall_at_origin: Timestamp(0).after(wall),
            origin: tokio::time::Instant::now(),
        }
    }

    fn now(&self) -> Timestamp {
        self.wall_at_origin.after(self.origin.elapsed())
    }
}

/// A session just signed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession<C> {
    /// The new session's id, to hand out (sign-in's answer).
    pub id: String,
    /// The agent's previous session, which this sign-in ended.
    pub replaced: Option<Ended<C>>,
}

/// The answer of a poll.
#[derive(Clone, Debug)]
pub struct Polled {
    /// The agent's next event, if one arrived within the hold.
    pub event: Option<EncodedEvent>,
    /// The session's new id, when the poll renewed it or was made with an id renewed away:
    /// the handler hands it out with [`Context::renew_session`](crate::server::Context::renew_session).
    pub renewed: Option<String>,
}

impl Polled {
    /// The event decoded as `E`.
    pub fn event_as<E: DeserializeOwned>(&self) -> Option<Result<E, serde_json::Error>> {
        self.event.as_deref().map(|e| serde_json::from_str(e.get()))
    }
}

/// Why an event could not be published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError<E> {
    /// The event cannot be written as JSON.
    #[error("the event cannot be written as JSON")]
    Encode(#[source] serde_json::Error),
    /// The store failed.
    #[error("the session store failed")]
    Store(#[source] E),
}

/// Live sessions over a [`SessionBackend`] (by default in memory): sign-in, resolve, long
/// poll with periodic id renewal, publish, heartbeat, sign-out, and a reaper that signs out
/// idle sessions. Cheap to clone; clones share the sessions. The reaper is a Tokio task that
/// stops when the last clone is dropped.
///
/// One agent has at most one live session: signing it in again ends the previous one
/// ([`NewSession::replaced`]); a server that refuses a second sign-in uses
/// [`sign_in_exclusive`](Self::sign_in_exclusive).
pub struct LiveSessions<C, B = MemoryBackend<C>> {
    shared: Arc<Shared<C, B>>,
}

struct Shared<C, B> {
    backend: Arc<B>,
    settings: Settings,
    clock: Clock,
    on_idle_sign_out: Arc<OnceLock<SignOutHook<C>>>,
    reaper: AbortHandle,
    caller: PhantomData<fn() -> C>,
}

/// Told of each session the reaper signs out.
type SignOutHook<C> = Box<dyn Fn(&Ended<C>) + Send + Sync>;

impl<C, B> Drop for Shared<C, B> {
    fn drop(&mut self) {
        self.reaper.abort();
    }
}

impl<C, B> Clone for LiveSessions<C, B> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<C, B: fmt::Debug> fmt::Debug for LiveSessions<C, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiveSessions")
            .field("backend", &self.shared.backend)
            .field("settings", &self.shared.settings)
            .finish_non_exhaustive()
    }
}

impl<C: Caller> LiveSessions<C> {
    /// Live sessions in memory. Starts the reaper, so it must be called within a Tokio runtime
    /// (it panics otherwise, as `tokio::spawn` does).
    pub fn new(settings: Settings) -> Self {
        Self::with_backend(MemoryBackend::new(), settings)
    }
}

impl<C: Caller, B: SessionBackend<C>> LiveSessions<C, B> {
    /// Live sessions stored in `backend`. Starts the reaper, so it must be called within a
    /// Tokio runtime (it panics otherwise, as `tokio::spawn` does).
    pub fn with_backend(backend: B, settings: Settings) -> Self {
        let backend = Arc::new(backend);
        let clock = Clock::start();
        let on_idle_sign_out = Arc::new(OnceLock::new());
        let reaper = Reaper {
            backend: Arc::clone(&backend),
            settings,
            clock,
            on_idle_sign_out: Arc::clone(&on_idle_sign_out),
        };
        let reaper = tokio::spawn(reaper.run()).abort_handle();
        Self {
            shared: Arc::new(Shared {
                backend,
                settings,
                clock,
                on_idle_sign_out,
                reaper,
                caller: PhantomData,
            }),
        }
    }

    /// Has `hook` told of each session the reaper signs out for idleness (the server may have
    /// state of its own to clean up); sign-out and a new sign-in return the session they end
    /// instead. Only one hook can be set: `false` when one was set before.
    pub fn on_idle_sign_out(&self, hook: impl Fn(&Ended<C>) + Send + Sync + 'static) -> bool {
        self.shared.on_idle_sign_out.set(Box::new(hook)).is_ok()
    }

    /// The store.
    pub fn backend(&self) -> &B {
        &self.shared.backend
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.shared.settings
    }

    /// The time as the store sees it.
    pub fn now(&self) -> Timestamp {
        self.shared.clock.now()
    }

    /// Signs `caller` in: a new session with an empty queue, active from now; `push` for a
    /// caller that receives its events by push (then heartbeats keep it alive). Ends the
    /// agent's previous session, if any.
    pub async fn sign_in(
        &self,
        caller: C,
        push: Option<PushTarget>,
    ) -> Result<NewSession<C>, B::Error> {
        let id = (self.shared.settings.new_session_id)();
        let agent_id = caller.agent_id().to_owned();
        let replaced = self
            .shared
            .backend
            .insert(&id, &agent_id, caller, push, self.now())
            .await?;
        tracing::debug!(agent = %agent_id, "live session started");
        Ok(NewSession { id, replaced })
    }

    /// Signs `caller` in unless its agent has a live session (`None` then, and nothing
    /// changes): a server that refuses a second sign-in, atomically even across instances
    /// sharing a store ([`SessionBackend::insert_exclusive`]).
    pub async fn sign_in_exclusive(
        &self,
        caller: C,
        push: Option<PushTarget>,
    ) -> Result<Option<String>, B::Error> {
        let id = (self.shared.settings.new_session_id)();
        let agent_id = caller.agent_id().to_owned();
        let stored = self
            .shared
            .backend
            .insert_exclusive(&id, &agent_id, caller, push, self.now())
            .await?;
        if stored {
            tracing::debug!(agent = %agent_id, "live session started");
        }
        Ok(stored.then_some(id))
    }

    /// The caller of the live session `session_id` names: the contract of
    /// [`SessionStore::resolve`](super::SessionStore::resolve), which a server implements by
    /// delegating here. An id renewed
    /// away resolves until its validity ends. A failing store refuses the session (and logs
    /// why); a server over a store that can fail also delegates
    /// [`SessionStore::try_resolve`](super::SessionStore::try_resolve) to
    /// [`try_resolve`](Self::try_resolve), so the caller is told the store failed instead.
    pub async fn resolve(&self, session_id: &str) -> Option<C> {
        match self.find(session_id).await {
            Ok(found) => found.map(|found| found.caller),
            Err(e) => {
                tracing::warn!(error = %e, "the session store failed: the session is refused");
                None
            }
        }
    }

    /// The caller of the live session `session_id` names, or the store's error: the contract
    /// of [`SessionStore::try_resolve`](super::SessionStore::try_resolve).
    ///
    /// # Errors
    /// When the store fails.
    pub async fn try_resolve(&self, session_id: &str) -> Result<Option<C>, B::Error> {
        Ok(self.find(session_id).await?.map(|found| found.caller))
    }

    /// The live session `session_id` names (its current id, or one renewed away that is still
    /// valid).
    pub async fn find(&self, session_id: &str) -> Result<Option<Found<C>>, B::Error> {
        self.shared.backend.find(session_id, self.now()).await
    }

    /// The current id of `agent_id`'s live session.
    pub async fn session_of_agent(&self, agent_id: &str) -> Result<Option<String>, B::Error> {
        self.shared.backend.find_agent(agent_id).await
    }

    /// Long poll with the configured hold ([`poll_for`](Self::poll_for)).
    pub async fn poll(&self, session_id: &str) -> Result<Option<Polled>, B::Error> {
        self.poll_for(session_id, self.shared.settings.hold).await
    }

    /// Long poll: the session's next event, at once when one is queued or arrives within
    /// `hold`, else none after `hold`. Counts as activity. Renews the session id when it is
    /// due ([`Settings::renewal_interval`]); the answer then carries the new id, as it does when
    /// `session_id` was renewed away. `None`: no live session (unknown, expired, or signed out
    /// during the hold).
    pub async fn poll_for(
        &self,
        session_id: &str,
        hold: Duration,
    ) -> Result<Option<Polled>, B::Error> {
        let backend = &self.shared.backend;
        let deadline = tokio::time::Instant::now() + hold;
        let now = self.now();
        let settings = &self.shared.settings;
        // Generated each poll, used only by a poll that renews.
        let new_id = settings
            .renewal_interval
            .map(|_| (settings.new_session_id)());
        let renewal = settings
            .renewal_interval
            .zip(new_id.as_deref())
            .map(|(interval, new_id)| DueRenewal {
                due: now.before(interval),
                new_id,
                old_valid_until: now.after(settings.old_id_validity),
            });
        let Some(mut current) = backend.open_poll(session_id, now, renewal).await? else {
            return Ok(None);
        };
        let event = loop {
            match backend.wait_event(&current, deadline).await? {
                Waited::Event(event) => break Some(event),
                Waited::TimedOut => break None,
                // Renewed by a concurrent poll (then its new id goes on waiting), or ended.
                Waited::Ended => match backend.find(&current, self.now()).await? {
                    Some(found) if found.current_id != current => current = found.current_id,
                    _ => return Ok(None),
                },
            }
        };
        // A poll that renewed concurrently may have moved the session on meanwhile.
        if let Some(moved_on) = backend.close_poll(&current, self.now()).await? {
            current = moved_on;
        }
        let renewed = (current != session_id).then_some(current);
        Ok(Some(Polled { event, renewed }))
    }

    /// A heartbeat: activity of the session `session_id` names, which keeps a session in push
    /// mode alive. `false`: no live session.
    pub async fn heartbeat(&self, session_id: &str) -> Result<bool, B::Error> {
        let now = self.now();
        match self.shared.backend.find(session_id, now).await? {
            Some(found) => self.shared.backend.touch(&found.current_id, now).await,
            None => Ok(false),
        }
    }

    /// Queues `event` (written as JSON) for `agent_id`'s live session.
    pub async fn publish<E: Serialize + ?Sized>(
        &self,
        agent_id: &str,
        event: &E,
    ) -> Result<Published, PublishError<B::Error>> {
        let event = serde_json::value::to_raw_value(event).map_err(PublishError::Encode)?;
        self.publish_encoded(agent_id, event)
            .await
            .map_err(PublishError::Store)
    }

    /// Queues `event` (written as JSON) for the live session `session_id` names.
    pub async fn publish_to_session<E: Serialize + ?Sized>(
        &self,
        session_id: &str,
        event: &E,
    ) -> Result<Published, PublishError<B::Error>> {
        let event = serde_json::value::to_raw_value(event).map_err(PublishError::Encode)?;
        let Some(found) = self.find(session_id).await.map_err(PublishError::Store)? else {
            return Ok(Published::NoSession);
        };
        self.push(&found.agent_id, &found.current_id, event)
            .await
            .map_err(PublishError::Store)
    }

    /// Queues an encoded event for `agent_id`'s live session.
    pub async fn publish_encoded(
        &self,
        agent_id: &str,
        event: EncodedEvent,
    ) -> Result<Published, B::Error> {
        let capacity = self.shared.settings.queue_capacity;
        let published = self
            .shared
            .backend
            .push_to_agent(agent_id, event, capacity)
            .await?;
        if published == Published::DroppedOldest {
            tracing::warn!(agent = %agent_id, capacity, "event queue full: dropped its oldest event");
        }
        Ok(published)
    }

    async fn push(
        &self,
        agent_id: &str,
        id: &str,
        event: EncodedEvent,
    ) -> Result<Published, B::Error> {
        let capacity = self.shared.settings.queue_capacity;
        let published = self.shared.backend.push_event(id, event, capacity).await?;
        if published == Published::DroppedOldest {
            tracing::warn!(agent = %agent_id, capacity, "event queue full: dropped its oldest event");
        }
        Ok(published)
    }

    /// How many events the session `session_id` names dropped because its queue was full.
    pub async fn dropped_events(&self, session_id: &str) -> Result<Option<u64>, B::Error> {
        match self.find(session_id).await? {
            Some(found) => self.shared.backend.dropped_events(&found.current_id).await,
            None => Ok(None),
        }
    }

    /// Signs the session `session_id` names out: it no longer resolves (nor do its ids renewed
    /// away), its queue is dropped and a poll holding on it answers `None`.
    pub async fn sign_out(&self, session_id: &str) -> Result<Option<Ended<C>>, B::Error> {
        self.shared.backend.remove(session_id, self.now()).await
    }

    /// What the reaper does every [`Settings::reap_interval`]: signs out the sessions idle
    /// for [`Settings::idle_timeout`] and forgets ids renewed away that are no longer valid.
    pub async fn reap(&self) -> Result<Vec<Ended<C>>, B::Error> {
        let shared = &self.shared;
        let hook = &*shared.on_idle_sign_out;
        expire(&*shared.backend, &shared.settings, &shared.clock, hook).await
    }

    /// How many live sessions there are.
    pub async fn count(&self) -> Result<usize, B::Error> {
        self.shared.backend.count().await
    }
}

async fn expire<C: Caller, B: SessionBackend<C>>(
    backend: &B,
    settings: &Settings,
    clock: &Clock,
    hook: &OnceLock<SignOutHook<C>>,
) -> Result<Vec<Ended<C>>, B::Error> {
    let now = clock.now();
    let ended = backend
        .expire(now.before(settings.idle_timeout), now)
        .await?;
    for session in &ended {
        tracing::info!(
            agent = %session.agent_id,
            idle_timeout = ?settings.idle_timeout,
            "signed out: no poll or heartbeat"
        );
        if let Some(hook) = hook.get() {
            hook(session);
        }
    }
    Ok(ended)
}

/// The reaper's task: holds the store, not the facade, so dropping the facade aborts it.
struct Reaper<C, B> {
    backend: Arc<B>,
    settings: Settings,
    clock: Clock,
    on_idle_sign_out: Arc<OnceLock<SignOutHook<C>>>,
}

impl<C: Caller, B: SessionBackend<C>> Reaper<C, B> {
    async fn run(self) {
        let mut ticks = tokio::time::interval(self.settings.reap_interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let (backend, hook) = (&*self.backend, &*self.on_idle_sign_out);
            if let Err(e) = expire(backend, &self.settings, &self.clock, hook).await {
                tracing::warn!(error = %e, "the session store failed while signing out idle sessions");
            }
        }
    }
}
