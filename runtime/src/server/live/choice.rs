//! [`MemoryOrRedis`]: the store chosen when the server starts (a command-line flag, say), for
//! servers that run alone in memory or as one of several instances on Redis.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::backend::{
    DueRenewal, EncodedEvent, Ended, Found, Published, PushTarget, SessionBackend, Timestamp,
    Waited,
};
use super::memory::MemoryBackend;
use super::redis_store::{RedisBackend, RedisStoreError};

/// Live sessions in this process or in Redis, chosen at start. Memory never fails; its
/// answers are those of [`MemoryBackend`], Redis's those of [`RedisBackend`].
#[derive(Debug)]
pub enum MemoryOrRedis<C> {
    /// In this process: one instance.
    Memory(MemoryBackend<C>),
    /// In Redis: every instance on the same Redis and prefix.
    Redis(Box<RedisBackend<C>>),
}

/// Runs the same call on whichever store this is; memory's `Infallible` error never happens.
macro_rules! either {
    ($store:expr, $backend:ident => $call:expr) => {
        match $store {
            MemoryOrRedis::Memory($backend) => match $call.await {
                Ok(answer) => Ok(answer),
                Err(never) => match never {},
            },
            MemoryOrRedis::Redis($backend) => $call.await,
        }
    };
}

impl<C> SessionBackend<C> for MemoryOrRedis<C>
where
    C: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    type Error = RedisStoreError;

    async fn insert(
        &self,
        id: &str,
        agent_id: &str,
        caller: C,
        push: Option<PushTarget>,
        now: Timestamp,
    ) -> Result<Option<Ended<C>>, Self::Error> {
        either!(self, b => b.insert(id, agent_id, caller, push, now))
    }

    async fn insert_exclusive(
        &self,
        id: &str,
        agent_id: &str,
        caller: C,
        push: Option<PushTarget>,
        now: Timestamp,
    ) -> Result<bool, Self::Error> {
        either!(self, b => b.insert_exclusive(id, agent_id, caller, push, now))
    }

    async fn find(&self, id: &str, now: Timestamp) -> Result<Option<Found<C>>, Self::Error> {
        either!(self, b => b.find(id, now))
    }

    async fn find_agent(&self, agent_id: &str) -> Result<Option<String>, Self::Error> {
        either!(self, b => b.find_agent(agent_id))
    }

    async fn touch(&self, id: &str, now: Timestamp) -> Result<bool, Self::Error> {
        either!(self, b => b.touch(id, now))
    }

    async fn renew(
        &self,
        current: &str,
        renewed: &str,
        now: Timestamp,
        old_valid_until: Timestamp,
    ) -> Result<bool, Self::Error> {
        either!(self, b => b.renew(current, renewed, now, old_valid_until))
    }

    async fn open_poll(
        &self,
        id: &str,
        now: Timestamp,
        renewal: Option<DueRenewal<'_>>,
    ) -> Result<Option<String>, Self::Error> {
        either!(self, b => b.open_poll(id, now, renewal))
    }

    async fn close_poll(&self, id: &str, now: Timestamp) -> Result<Option<String>, Self::Error> {
        either!(self, b => b.close_poll(id, now))
    }

    async fn remove(&self, id: &str, now: Timestamp) -> Result<Option<Ended<C>>, Self::Error> {
        either!(self, b => b.remove(id, now))
    }

    async fn push_event(
        &self,
        id: &str,
        event: EncodedEvent,
        capacity: usize,
    ) -> Result<Published, Self::Error> {
        either!(self, b => b.push_event(id, event, capacity))
    }

    async fn push_to_agent(
        &self,
        agent_id: &str,
        event: EncodedEvent,
        capacity: usize,
    ) -> Result<Published, Self::Error> {
        either!(self, b => b.push_to_agent(agent_id, event, capacity))
    }

    async fn wait_event(
        &self,
        id: &str,
        deadline: tokio::time::Instant,
    ) -> Result<Waited, Self::Error> {
        either!(self, b => b.wait_event(id, deadline))
    }

    async fn dropped_events(&self, id: &str) -> Result<Option<u64>, Self::Error> {
        either!(self, b => b.dropped_events(id))
    }

    async fn expire(
        &self,
        idle_before: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<Ended<C>>, Self::Error> {
        either!(self, b => b.expire(idle_before, now))
    }

    async fn count(&self) -> Result<usize, Self::Error> {
        either!(self, b => b.count())
    }
}
