//! The storage behind live sessions: one trait, [`SessionBackend`], for sessions, renewed ids
//! and event queues, and the values it stores and answers.

use std::future::Future;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// An event as the store keeps it: already encoded JSON, so a store needs no event type and a
/// shared store can keep it as bytes.
pub type EncodedEvent = Box<RawValue>;

/// A point in time: milliseconds since the Unix epoch. Stores compare these, never their own
/// clock, so several server instances sharing a store agree on what is due (as far as their
/// clocks agree) and tests can run on Tokio's paused time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// Milliseconds since the Unix epoch.
    pub fn as_millis(self) -> u64 {
        self.0
    }

    /// The time `duration` later (saturating).
    pub fn after(self, duration: Duration) -> Self {
        Self(
            self.0
                .saturating_add(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)),
        )
    }

    /// The time `duration` earlier (saturating at the epoch).
    pub fn before(self, duration: Duration) -> Self {
        Self(
            self.0
                .saturating_sub(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)),
        )
    }
}

/// Where a session in push mode gets its events: the caller's callback address and the token
/// it sent at sign-in. The server delivers them itself (for instance a task that waits on the
/// session's queue with [`SessionBackend::wait_event`] and posts each event); the store only
/// keeps the target.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PushTarget {
    /// The callback address events are posted to.
    pub address: String,
    /// The token the caller expects with each posted event, if it sent one.
    pub token: Option<String>,
}

/// A live session as a lookup finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found<C> {
    /// The session's current id (differs from the id looked up when that one was renewed).
    pub current_id: String,
    /// The id of the agent that signed in.
    pub agent_id: String,
    /// What the session knows about its caller.
    pub caller: C,
    /// When the current id was handed out (sign-in or the last renewal).
    pub renewed_at: Timestamp,
    /// Where events are pushed, for a session in push mode.
    pub push: Option<PushTarget>,
}

/// A session that ended (signed out, replaced by a new sign-in of its agent, or idle too long).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ended<C> {
    /// The session's current id when it ended.
    pub id: String,
    /// The id of the agent that had signed in.
    pub agent_id: String,
    /// What the session knew about its caller.
    pub caller: C,
}

/// A renewal a poll makes if it is due ([`SessionBackend::open_poll`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DueRenewal<'a> {
    /// Renew when the current id was handed out at or before this time.
    pub due: Timestamp,
    /// The new id.
    pub new_id: &'a str,
    /// Until when the renewed-away id keeps naming the session.
    pub old_valid_until: Timestamp,
}

/// What happened to a published event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Published {
    /// The event is queued for the session.
    Queued,
    /// The queue was full: its oldest event was dropped to make room (the session's drop count
    /// went up by one).
    DroppedOldest,
    /// No live session: the event was discarded.
    NoSession,
}

/// What waiting for a session's next event gave.
#[derive(Clone, Debug)]
pub enum Waited {
    /// The next event, taken off the queue.
    Event(EncodedEvent),
    /// None arrived before the deadline.
    TimedOut,
    /// The session ended (or never existed).
    Ended,
}

/// Storage for live sessions: each session's caller data, its current id and renewed-away ids
/// (valid until a time), its last activity, and its queue of encoded events. The facade
/// ([`LiveSessions`](super::LiveSessions)) holds the policy (timeouts, renewal, caps); a store
/// only keeps data and answers atomically.
///
/// [`MemoryBackend`](super::MemoryBackend) is the default. A store shared by several server
/// instances (Redis, say) implements the same contract with `C: Serialize + DeserializeOwned`:
/// every method is one atomic step on the shared data (for instance a script), events are
/// stored as the JSON they are, and [`wait_event`](Self::wait_event) blocks on the store
/// (a blocking pop with the remaining time as timeout) rather than on this process.
///
/// Each agent has at most one live session: inserting a session for an agent that has one
/// ends the older one.
pub trait SessionBackend<C>: Send + Sync + 'static {
    /// Why the store could not answer (a shared store's connection failed, say).
    type Error: std::error::Error + Send + Sync + 'static;

    /// Stores a new session `id` for `agent_id`, active and renewed at `now`, with an empty
    /// queue. Returns the agent's previous session, which this ends.
    fn insert(
        &self,
        id: &str,
        agent_id: &str,
        caller: C,
        push: Option<PushTarget>,
        now: Timestamp,
    ) -> impl Future<Output = Result<Option<Ended<C>>, Self::Error>> + Send;

    /// [`insert`](Self::insert) unless `agent_id` has a live session: `false`, and nothing
    /// stored, when it has. A store shared by several instances makes the check and the insert
    /// one atomic step (two sign-ins of one agent racing on two instances: one wins); the
    /// default checks, then inserts, which is atomic only for a store no other process writes.
    fn insert_exclusive(
        &self,
        id: &str,
        agent_id: &str,
        caller: C,
        push: Option<PushTarget>,
        now: Timestamp,
    ) -> impl Future<Output = Result<bool, Self::Error>> + Send
    where
        C: Send,
    {
        async move {
            if self.find_agent(agent_id).await?.is_some() {
                return Ok(false);
            }
            self.insert(id, agent_id, caller, push, now).await?;
            Ok(true)
        }
    }

    /// The live session `id` names at `now`: its current id, or an id renewed away whose
    /// validity has not run out.
    fn find(
        &self,
        id: &str,
        now: Timestamp,
    ) -> impl Future<Output = Result<Option<Found<C>>, Self::Error>> + Send;

    /// The current id of `agent_id`'s live session, if it has one.
    fn find_agent(
        &self,
        agent_id: &str,
    ) -> impl Future<Output = Result<Option<String>, Self::Error>> + Send;

    /// Records activity (a poll, a heartbeat) of the session whose current id is `id`.
    /// `false` when there is no such session.
    fn touch(
        &self,
        id: &str,
        now: Timestamp,
    ) -> impl Future<Output = Result<bool, Self::Error>> + Send;

    /// Renews the session whose current id is `current`: `renewed` becomes its current id
    /// (renewed at `now`) and `current` keeps naming it until `old_valid_until`. Atomic: `false`
    /// (and nothing changes) when `current` is no longer a current id, because another poll
    /// renewed it first or the session ended.
    fn renew(
        &self,
        current: &str,
        renewed: &str,
        now: Timestamp,
        old_valid_until: Timestamp,
    ) -> impl Future<Output = Result<bool, Self::Error>> + Send;

    /// Ends the session `id` names at `now` (as [`find`](Self::find) resolves it), dropping its
    /// queue; wakes its waiters, which see [`Waited::Ended`].
    fn remove(
        &self,
        id: &str,
        now: Timestamp,
    ) -> impl Future<Output = Result<Option<Ended<C>>, Self::Error>> + Send;

    /// Appends `event` to the queue of the session whose current id is `id`, dropping the
    /// oldest event first when the queue holds `capacity` events; wakes one waiter.
    fn push_event(
        &self,
        id: &str,
        event: EncodedEvent,
        capacity: usize,
    ) -> impl Future<Output = Result<Published, Self::Error>> + Send;

    /// The start of a poll of the session `id` names at `now`: records activity and, with
    /// `renewal`, renews the session's current id when it is due. Answers the session's current
    /// id afterwards (`None`: no such session). The default runs [`find`](Self::find),
    /// [`touch`](Self::touch) and [`renew`](Self::renew); a shared store does it in one round
    /// trip.
    fn open_poll(
        &self,
        id: &str,
        now: Timestamp,
        renewal: Option<DueRenewal<'_>>,
    ) -> impl Future<Output = Result<Option<String>, Self::Error>> + Send {
        async move {
            // Only the id and time are kept across the awaits (the caller data need not be Send).
            let Some((mut current, renewed_at)) = self
                .find(id, now)
                .await?
                .map(|found| (found.current_id, found.renewed_at))
            else {
                return Ok(None);
            };
            self.touch(&current, now).await?;
            if let Some(renewal) = renewal
                && renewed_at <= renewal.due
                && self
                    .renew(&current, renewal.new_id, now, renewal.old_valid_until)
                    .await?
            {
                renewal.new_id.clone_into(&mut current);
            }
            Ok(Some(current))
        }
    }

    /// The end of a poll: the current id of the session `id` names at `now` (a concurrent
    /// poll may have renewed it), with activity recorded. The default runs
    /// [`find`](Self::find) and [`touch`](Self::touch); a shared store does it in one round
    /// trip.
    fn close_poll(
        &self,
        id: &str,
        now: Timestamp,
    ) -> impl Future<Output = Result<Option<String>, Self::Error>> + Send {
        async move {
            let Some(current) = self.find(id, now).await?.map(|found| found.current_id) else {
                return Ok(None);
            };
            self.touch(&current, now).await?;
            Ok(Some(current))
        }
    }

    /// [`push_event`](Self::push_event) for `agent_id`'s live session (`NoSession` without
    /// one). The default finds the session, then pushes; a shared store does both in one round
    /// trip.
    fn push_to_agent(
        &self,
        agent_id: &str,
        event: EncodedEvent,
        capacity: usize,
    ) -> impl Future<Output = Result<Published, Self::Error>> + Send {
        async move {
            match self.find_agent(agent_id).await? {
                Some(id) => self.push_event(&id, event, capacity).await,
                None => Ok(Published::NoSession),
            }
        }
    }

    /// Takes the next event of the session whose current id is `id`, waiting until `deadline`
    /// for one to arrive. Waiting is not activity.
    fn wait_event(
        &self,
        id: &str,
        deadline: tokio::time::Instant,
    ) -> impl Future<Output = Result<Waited, Self::Error>> + Send;

    /// How many events the session whose current id is `id` has dropped because its queue was
    /// full (`None`: no such session).
    fn dropped_events(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<Option<u64>, Self::Error>> + Send;

    /// Ends every session last active before `idle_before`, and forgets renewed-away ids whose
    /// validity ran out by `now`. Returns the ended sessions (each exactly once, even when
    /// several server instances reap the same store).
    fn expire(
        &self,
        idle_before: Timestamp,
        now: Timestamp,
    ) -> impl Future<Output = Result<Vec<Ended<C>>, Self::Error>> + Send;

    /// How many live sessions the store holds.
    fn count(&self) -> impl Future<Output = Result<usize, Self::Error>> + Send;
}
