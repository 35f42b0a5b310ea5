//! Live sessions in Redis, shared by every server instance that points at the same Redis: a
//! session signed in on one instance resolves on all, an event published on one answers a poll
//! held on another, and sign-out, renewal and idle sign-out hold everywhere.
//!
//! **Data.** Per session (`sid`: the id it got at sign-in, which never changes): a hash
//! `{prefix}:s:{sid}` (agent, caller as JSON, current id, renewal and activity times, push
//! target, drop count), a list `{prefix}:q:{sid}` of encoded events and a set
//! `{prefix}:ids:{sid}` of the ids that name it. Per id, `{prefix}:id:{id}` holds
//! `sid|valid_until` (`0`: the current id); an id renewed away expires with Redis key expiry
//! when its validity ends. Per agent, `{prefix}:agent:{agent}` holds the sid. The sorted set
//! `{prefix}:active` orders sessions by last activity, for the reaper. Every change is one Lua
//! script, so it is atomic across instances.
//!
//! **Delivery.** A waiting poll blocks on the session's list (`BLPOP`, on a connection of its
//! own, kept for a later wait when the pops ended normally) in slices of at most
//! [`WAIT_SLICE`], checking between slices that its id is still current. Ending a session
//! (sign-out, a new sign-in, idle sign-out) leaves an end marker on its list, which wakes a
//! poll waiting on it at once, wherever it waits; the marker expires after a minute. An event goes to exactly one poll, on whichever instance; `LPOP`/`BLPOP` take it
//! off the list, so two polls never get the same event. When a poll's HTTP connection drops
//! while it waits, its `BLPOP` is abandoned with its Redis connection: an event Redis handed
//! to that connection in the same instant is lost (at most once), every other event stays
//! queued for the next poll.
//!
//! **Failures.** A Redis error is the backend's error ([`RedisStoreError`]); the facade passes
//! it on, so a handler answers the protocol's failure code and never a success without state.
//! The multiplexed connection reconnects by itself (redis-rs `ConnectionManager`), so the
//! store recovers when Redis comes back.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use redis::aio::ConnectionManager;
use redis::{AsyncCommands, Script};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::backend::{
    DueRenewal, EncodedEvent, Ended, Found, Published, PushTarget, SessionBackend, Timestamp,
    Waited,
};

/// The longest a waiting poll blocks on Redis before it checks that its session id is still
/// current. A session that ends wakes its waiting polls at once (an end marker), so this only
/// bounds what a lost marker would cost; each slice is one more round trip per waiting poll.
pub const WAIT_SLICE: Duration = Duration::from_secs(3);

/// What ending a session leaves on its list: no event is an empty string.
const END_MARKER: &str = "";

/// How many connections for blocking pops stay open between waits, at most.
const MAX_IDLE_BLOCKING: usize = 256;

/// Why the Redis store could not answer.
#[derive(Debug, thiserror::Error)]
pub enum RedisStoreError {
    /// Redis refused or the connection failed.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// A stored caller, push target or event did not decode (written by another version, say).
    #[error("redis store data: {0}")]
    Data(String),
}

/// Live sessions in Redis (see the [module docs](self)). `C`, the caller data, is stored as
/// JSON.
pub struct RedisBackend<C> {
    client: redis::Client,
    connection: ConnectionManager,
    /// Connections for blocking pops, idle between waits (a wait that is dropped mid-pop drops
    /// its connection instead: Redis may hand it an event nobody reads).
    idle_blocking: std::sync::Mutex<Vec<redis::aio::MultiplexedConnection>>,
    prefix: String,
    scripts: Scripts,
    caller: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for RedisBackend<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisBackend")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl<C> RedisBackend<C> {
    /// Connects to Redis at `url` (`redis://127.0.0.1:6379`), keeping every key under
    /// `prefix` (instances of one gateway share a prefix; two gateways on one Redis do not).
    ///
    /// # Errors
    /// When the URL is malformed or Redis cannot be reached now: a clear error at start, not
    /// at the first request.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, RedisStoreError> {
        let client = redis::Client::open(url)?;
        // One attempt first: the connection manager retries with back-off (about 10 s) before
        // it gives up, which is right for reconnecting while serving, not for a wrong address
        // at start.
        let mut probe = client.get_multiplexed_async_connection().await?;
        let () = redis::cmd("PING").query_async(&mut probe).await?;
        let connection =
            ConnectionManager::new_with_config(client.clone(), manager_config()).await?;
        Ok(Self {
            client,
            connection,
            idle_blocking: std::sync::Mutex::new(Vec::new()),
            prefix: prefix.to_owned(),
            scripts: Scripts::new(),
            caller: PhantomData,
        })
    }

    /// The multiplexed, reconnecting connection the store uses, for a server that keeps data
    /// of its own in the same Redis (same timeouts; no second socket).
    pub fn connection(&self) -> ConnectionManager {
        self.connection.clone()
    }

    fn key(&self, kind: &str, name: &str) -> String {
        format!("{}:{kind}:{name}", self.prefix)
    }

    /// [`SessionBackend::wait_event`], popping on `blocking` (taken from the idle ones, or
    /// opened, when first needed).
    async fn wait_with(
        &self,
        id: &str,
        deadline: tokio::time::Instant,
        blocking: &mut Option<redis::aio::MultiplexedConnection>,
    ) -> Result<Waited, RedisStoreError> {
        loop {
            // One round trip: is the id still current, and is an event queued?
            let mut connection = self.connection.clone();
            let (status, value): (i64, String) = self
                .scripts
                .take
                .arg(&self.prefix)
                .arg(id)
                .invoke_async(&mut connection)
                .await?;
            let queue = match status {
                1 if value == END_MARKER => return Ok(Waited::Ended),
                1 => return event_from(value),
                2 => self.key("q", &value),
                // Unknown, ended, or renewed away: the facade follows the session from here.
                _ => return Ok(Waited::Ended),
            };
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Ok(Waited::TimedOut);
            }
            let slice = (deadline - now).min(WAIT_SLICE);
            let connection = match blocking {
                Some(connection) => connection,
                None => {
                    let idle = self
                        .idle_blocking
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .pop();
                    let connection = match idle {
                        Some(connection) => connection,
                        None => {
                            self.client
                                .get_multiplexed_async_connection_with_config(&blocking_config())
                                .await?
                        }
                    };
                    blocking.insert(connection)
                }
            };
            let popped: Option<(String, String)> =
                connection.blpop(&queue, slice.as_secs_f64()).await?;
            match popped {
                Some((_, event)) if event == END_MARKER => return Ok(Waited::Ended),
                Some((_, event)) => return event_from(event),
                None => {}
            }
        }
    }

    /// Queues `event` with `script` (`push_event` by session id, `push_to_agent` by agent).
    async fn enqueue(
        &self,
        script: &Script,
        whose: &str,
        event: &EncodedEvent,
        capacity: usize,
    ) -> Result<Published, RedisStoreError> {
        let outcome: i64 = script
            .arg(&self.prefix)
            .arg(whose)
            .arg(event.get())
            .arg(capacity)
            .invoke_async(&mut self.connection.clone())
            .await?;
        Ok(match outcome {
            0 => Published::NoSession,
            1 => Published::Queued,
            _ => Published::DroppedOldest,
        })
    }

    /// Every key of this prefix deleted (tests and tools; not needed in service).
    ///
    /// # Errors
    /// When Redis fails.
    pub async fn clear(&self) -> Result<(), RedisStoreError> {
        let mut connection = self.connection.clone();
        let pattern = format!("{}:*", self.prefix);
        let keys: Vec<String> = connection.keys(pattern).await?;
        if !keys.is_empty() {
            let _: () = connection.del(keys).await?;
        }
        Ok(())
    }
}

/// How the shared connection reconnects: a few tries over about 1.5 s, so a short Redis restart
/// passes unnoticed, and while Redis stays away calls fail within that time (the handler
/// answers its failure code) rather than each waiting out redis-rs's default back-off of
/// several seconds. After a failed reconnection the next call fails at once and starts the
/// next one. A command that gets no answer in 2 s fails.
fn manager_config() -> redis::aio::ConnectionManagerConfig {
    redis::aio::ConnectionManagerConfig::new()
        .set_number_of_retries(4)
        .set_min_delay(Duration::from_millis(100))
        .set_max_delay(Duration::from_secs(1))
        .set_connection_timeout(Some(Duration::from_secs(1)))
        .set_response_timeout(Some(Duration::from_secs(2)))
}

/// A new session's script arguments, encoded.
struct NewSession<'a> {
    id: &'a str,
    agent_id: &'a str,
    caller: String,
    push: String,
    now: Timestamp,
}

impl<'a> NewSession<'a> {
    fn encode<C: Serialize>(
        id: &'a str,
        agent_id: &'a str,
        caller: &C,
        push: Option<&PushTarget>,
        now: Timestamp,
    ) -> Result<Self, RedisStoreError> {
        Ok(Self {
            id,
            agent_id,
            caller: encode("caller", caller)?,
            push: match push {
                Some(target) => encode("push target", target)?,
                None => String::new(),
            },
            now,
        })
    }

    /// `script` (insert or insert_exclusive) with these arguments.
    fn invocation<'s>(&self, script: &'s Script, prefix: &str) -> redis::ScriptInvocation<'s> {
        let mut invocation = script.prepare_invoke();
        invocation
            .arg(prefix)
            .arg(self.id)
            .arg(self.agent_id)
            .arg(&self.caller)
            .arg(&self.push)
            .arg(self.now.as_millis());
        invocation
    }
}

/// A session as the scripts answer it: `[current id, agent, caller, renewed_at, push]`.
type Row = (String, String, String, u64, String);

fn decode<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, RedisStoreError> {
    serde_json::from_str(text).map_err(|e| RedisStoreError::Data(format!("{what}: {e}")))
}

fn encode<T: Serialize + ?Sized>(what: &str, value: &T) -> Result<String, RedisStoreError> {
    serde_json::to_string(value).map_err(|e| RedisStoreError::Data(format!("{what}: {e}")))
}

fn ended<C: DeserializeOwned>(row: Row) -> Result<Ended<C>, RedisStoreError> {
    let (id, agent_id, caller, ..) = row;
    Ok(Ended {
        id,
        agent_id,
        caller: decode("caller", &caller)?,
    })
}

impl<C> SessionBackend<C> for RedisBackend<C>
where
    C: Serialize + DeserializeOwned + Send + Sync + 'static,
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
        let new = NewSession::encode(id, agent_id, &caller, push.as_ref(), now)?;
        let previous: Option<Row> = new
            .invocation(&self.scripts.insert, &self.prefix)
            .invoke_async(&mut self.connection.clone())
            .await?;
        previous.map(ended).transpose()
    }

    async fn insert_exclusive(
        &self,
        id: &str,
        agent_id: &str,
        caller: C,
        push: Option<PushTarget>,
        now: Timestamp,
    ) -> Result<bool, Self::Error> {
        let new = NewSession::encode(id, agent_id, &caller, push.as_ref(), now)?;
        let stored: i64 = new
            .invocation(&self.scripts.insert_exclusive, &self.prefix)
            .invoke_async(&mut self.connection.clone())
            .await?;
        Ok(stored == 1)
    }

    async fn find(&self, id: &str, now: Timestamp) -> Result<Option<Found<C>>, Self::Error> {
        let mut connection = self.connection.clone();
        let row: Option<Row> = self
            .scripts
            .find
            .arg(&self.prefix)
            .arg(id)
            .arg(now.as_millis())
            .invoke_async(&mut connection)
            .await?;
        let Some((current_id, agent_id, caller, renewed_at, push)) = row else {
            return Ok(None);
        };
        Ok(Some(Found {
            current_id,
            agent_id,
            caller: decode("caller", &caller)?,
            renewed_at: Timestamp(renewed_at),
            push: if push.is_empty() {
                None
            } else {
                Some(decode("push target", &push)?)
            },
        }))
    }

    async fn find_agent(&self, agent_id: &str) -> Result<Option<String>, Self::Error> {
        let mut connection = self.connection.clone();
        let current: Option<String> = self
            .scripts
            .find_agent
            .arg(&self.prefix)
            .arg(agent_id)
            .invoke_async(&mut connection)
            .await?;
        Ok(current)
    }

    async fn touch(&self, id: &str, now: Timestamp) -> Result<bool, Self::Error> {
        let mut connection = self.connection.clone();
        let touched: bool = self
            .scripts
            .touch
            .arg(&self.prefix)
            .arg(id)
            .arg(now.as_millis())
            .invoke_async(&mut connection)
            .await?;
        Ok(touched)
    }

    async fn renew(
        &self,
        current: &str,
        renewed: &str,
        now: Timestamp,
        old_valid_until: Timestamp,
    ) -> Result<bool, Self::Error> {
        let mut connection = self.connection.clone();
        let done: bool = self
            .scripts
            .renew
            .arg(&self.prefix)
            .arg(current)
            .arg(renewed)
            .arg(now.as_millis())
            .arg(old_valid_until.as_millis())
            .invoke_async(&mut connection)
            .await?;
        Ok(done)
    }

    async fn open_poll(
        &self,
        id: &str,
        now: Timestamp,
        renewal: Option<DueRenewal<'_>>,
    ) -> Result<Option<String>, Self::Error> {
        let mut connection = self.connection.clone();
        let mut invocation = self.scripts.open_poll.prepare_invoke();
        invocation.arg(&self.prefix).arg(id).arg(now.as_millis());
        match renewal {
            Some(renewal) => invocation
                .arg(renewal.due.as_millis())
                .arg(renewal.new_id)
                .arg(renewal.old_valid_until.as_millis()),
            None => invocation.arg("").arg("").arg(""),
        };
        Ok(invocation.invoke_async(&mut connection).await?)
    }

    async fn close_poll(&self, id: &str, now: Timestamp) -> Result<Option<String>, Self::Error> {
        let mut connection = self.connection.clone();
        Ok(self
            .scripts
            .close_poll
            .arg(&self.prefix)
            .arg(id)
            .arg(now.as_millis())
            .invoke_async(&mut connection)
            .await?)
    }

    async fn remove(&self, id: &str, now: Timestamp) -> Result<Option<Ended<C>>, Self::Error> {
        let mut connection = self.connection.clone();
        let row: Option<Row> = self
            .scripts
            .remove
            .arg(&self.prefix)
            .arg(id)
            .arg(now.as_millis())
            .invoke_async(&mut connection)
            .await?;
        row.map(ended).transpose()
    }

    async fn push_event(
        &self,
        id: &str,
        event: EncodedEvent,
        capacity: usize,
    ) -> Result<Published, Self::Error> {
        self.enqueue(&self.scripts.push_event, id, &event, capacity)
            .await
    }

    async fn push_to_agent(
        &self,
        agent_id: &str,
        event: EncodedEvent,
        capacity: usize,
    ) -> Result<Published, Self::Error> {
        self.enqueue(&self.scripts.push_to_agent, agent_id, &event, capacity)
            .await
    }

    async fn wait_event(
        &self,
        id: &str,
        deadline: tokio::time::Instant,
    ) -> Result<Waited, Self::Error> {
        // Blocking pops hold their connection: each wait takes one of its own, only when
        // nothing is queued, and gives it back when its pops ended normally.
        let mut blocking = None;
        let waited = self.wait_with(id, deadline, &mut blocking).await;
        if let (Ok(_), Some(connection)) = (&waited, blocking) {
            let mut idle = self
                .idle_blocking
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if idle.len() < MAX_IDLE_BLOCKING {
                idle.push(connection);
            }
        }
        waited
    }

    async fn dropped_events(&self, id: &str) -> Result<Option<u64>, Self::Error> {
        let mut connection = self.connection.clone();
        let dropped: Option<u64> = self
            .scripts
            .dropped
            .arg(&self.prefix)
            .arg(id)
            .invoke_async(&mut connection)
            .await?;
        Ok(dropped)
    }

    async fn expire(
        &self,
        idle_before: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<Ended<C>>, Self::Error> {
        let mut connection = self.connection.clone();
        let rows: Vec<Row> = self
            .scripts
            .expire
            .arg(&self.prefix)
            .arg(idle_before.as_millis())
            .arg(now.as_millis())
            .invoke_async(&mut connection)
            .await?;
        rows.into_iter().map(ended).collect()
    }

    async fn count(&self) -> Result<usize, Self::Error> {
        let mut connection = self.connection.clone();
        let count: usize = connection.zcard(self.key("active", "all")).await?;
        Ok(count)
    }
}

/// A connection for blocking pops: its answers may take a whole [`WAIT_SLICE`], which the
/// default response timeout (half a second) would cut short.
fn blocking_config() -> redis::AsyncConnectionConfig {
    redis::AsyncConnectionConfig::new()
        .set_response_timeout(Some(WAIT_SLICE * 2 + Duration::from_secs(1)))
}

fn event_from(text: String) -> Result<Waited, RedisStoreError> {
    RawValue::from_string(text)
        .map(Waited::Event)
        .map_err(|e| RedisStoreError::Data(format!("queued event: {e}")))
}

/// The Lua scripts: each one atomic step on the shared data. `ARGV[1]` is always the prefix.
struct Scripts {
    insert: Script,
    insert_exclusive: Script,
    find: Script,
    find_agent: Script,
    touch: Script,
    renew: Script,
    open_poll: Script,
    close_poll: Script,
    remove: Script,
    push_event: Script,
    push_to_agent: Script,
    take: Script,
    dropped: Script,
    expire: Script,
}

/// Helpers every script starts with: resolving an id and ending a session.
const COMMON: &str = r#"
local p = ARGV[1]
local function k(kind, name) return p .. ':' .. kind .. ':' .. name end
local active = k('active', 'all')
-- The session an id names at `now` (nil: unknown or its validity ran out), and whether the id
-- is the session's current one.
local function resolve(id, now)
  local entry = redis.call('GET', k('id', id))
  if not entry then return nil end
  local sep = string.find(entry, '|', 1, true)
  local sid = string.sub(entry, 1, sep - 1)
  local until_ = tonumber(string.sub(entry, sep + 1))
  if until_ ~= 0 and now ~= nil and until_ < now then return nil end
  if redis.call('EXISTS', k('s', sid)) == 0 then return nil end
  return sid, until_ == 0
end
local function row(sid)
  local h = redis.call('HMGET', k('s', sid), 'cur', 'agent', 'caller', 'renewed', 'push')
  return {h[1], h[2], h[3], tonumber(h[4]), h[5]}
end
-- Ends a session: deletes its data, its ids and its queue; returns its row.
local function finish(sid)
  local r = row(sid)
  for _, id in ipairs(redis.call('SMEMBERS', k('ids', sid))) do
    redis.call('DEL', k('id', id))
  end
  if redis.call('GET', k('agent', r[2])) == sid then
    redis.call('DEL', k('agent', r[2]))
  end
  redis.call('DEL', k('s', sid), k('ids', sid), k('q', sid))
  redis.call('ZREM', active, sid)
  -- Wakes a poll waiting on the list, wherever it waits; nothing else reads it any more.
  redis.call('RPUSH', k('q', sid), '')
  redis.call('PEXPIRE', k('q', sid), 60000)
  return r
end
-- Hands the session `sid` the new current id `new`; `cur` names it until `valid_until`.
local function renew_to(sid, cur, new, now, valid_until)
  redis.call('SET', k('id', cur), sid .. '|' .. valid_until)
  -- Redis forgets the renewed-away id when its validity ends.
  redis.call('PEXPIRE', k('id', cur), math.max(valid_until - now, 1))
  redis.call('SET', k('id', new), sid .. '|0')
  -- Ids whose validity ran out are gone: the set keeps only those that still name the session.
  for _, old in ipairs(redis.call('SMEMBERS', k('ids', sid))) do
    if redis.call('EXISTS', k('id', old)) == 0 then redis.call('SREM', k('ids', sid), old) end
  end
  redis.call('SADD', k('ids', sid), new)
  redis.call('HSET', k('s', sid), 'cur', new, 'renewed', now)
end
-- Appends an event to a session's queue, dropping the oldest when it holds `capacity`:
-- 1 queued, 2 queued after a drop.
local function enqueue(sid, event, capacity)
  local q = k('q', sid)
  local outcome = 1
  if redis.call('LLEN', q) >= capacity then
    redis.call('LPOP', q)
    redis.call('HINCRBY', k('s', sid), 'dropped', 1)
    outcome = 2
  end
  redis.call('RPUSH', q, event)
  return outcome
end
-- Stores a new session (its id is its sid) for an agent that has none now.
local function store(id, agent, caller, push, now)
  redis.call('HSET', k('s', id), 'cur', id, 'agent', agent, 'caller', caller,
    'renewed', now, 'active', now, 'push', push, 'dropped', 0)
  redis.call('SET', k('id', id), id .. '|0')
  redis.call('SADD', k('ids', id), id)
  redis.call('SET', k('agent', agent), id)
  redis.call('ZADD', active, now, id)
end
"#;

impl Scripts {
    fn new() -> Self {
        let script = |body: &str| Script::new(&format!("{COMMON}\n{body}"));
        Self {
            insert: script(
                r#"
local id, agent, caller, push, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local previous = nil
local old = redis.call('GET', k('agent', agent))
if old and redis.call('EXISTS', k('s', old)) == 1 then previous = finish(old) end
store(id, agent, caller, push, now)
return previous
"#,
            ),
            insert_exclusive: script(
                r#"
local id, agent, caller, push, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local old = redis.call('GET', k('agent', agent))
if old and redis.call('EXISTS', k('s', old)) == 1 then return 0 end
store(id, agent, caller, push, now)
return 1
"#,
            ),
            find: script(
                r#"
local sid = resolve(ARGV[2], tonumber(ARGV[3]))
if not sid then return nil end
return row(sid)
"#,
            ),
            find_agent: script(
                r#"
local sid = redis.call('GET', k('agent', ARGV[2]))
if not sid then return nil end
return redis.call('HGET', k('s', sid), 'cur')
"#,
            ),
            touch: script(
                r#"
local sid, current = resolve(ARGV[2], nil)
if not sid or not current then return 0 end
local now = tonumber(ARGV[3])
redis.call('HSET', k('s', sid), 'active', now)
redis.call('ZADD', active, now, sid)
return 1
"#,
            ),
            renew: script(
                r#"
local cur, new, now, valid_until = ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local sid, current = resolve(cur, nil)
if not sid or not current then return 0 end
renew_to(sid, cur, new, now, valid_until)
return 1
"#,
            ),
            open_poll: script(
                r#"
local now = tonumber(ARGV[3])
local sid = resolve(ARGV[2], now)
if not sid then return nil end
local cur = redis.call('HGET', k('s', sid), 'cur')
redis.call('HSET', k('s', sid), 'active', now)
redis.call('ZADD', active, now, sid)
if ARGV[4] ~= '' and tonumber(redis.call('HGET', k('s', sid), 'renewed')) <= tonumber(ARGV[4]) then
  renew_to(sid, cur, ARGV[5], now, tonumber(ARGV[6]))
  cur = ARGV[5]
end
return cur
"#,
            ),
            close_poll: script(
                r#"
local now = tonumber(ARGV[3])
local sid = resolve(ARGV[2], now)
if not sid then return nil end
redis.call('HSET', k('s', sid), 'active', now)
redis.call('ZADD', active, now, sid)
return redis.call('HGET', k('s', sid), 'cur')
"#,
            ),
            remove: script(
                r#"
local sid = resolve(ARGV[2], tonumber(ARGV[3]))
if not sid then return nil end
return finish(sid)
"#,
            ),
            push_event: script(
                r#"
local sid, current = resolve(ARGV[2], nil)
if not sid or not current then return 0 end
return enqueue(sid, ARGV[3], tonumber(ARGV[4]))
"#,
            ),
            push_to_agent: script(
                r#"
local sid = redis.call('GET', k('agent', ARGV[2]))
if not sid or redis.call('EXISTS', k('s', sid)) == 0 then return 0 end
return enqueue(sid, ARGV[3], tonumber(ARGV[4]))
"#,
            ),
            take: script(
                r#"
local sid, current = resolve(ARGV[2], nil)
if not sid or not current then return {0, ''} end
local event = redis.call('LPOP', k('q', sid))
if event then return {1, event} end
return {2, sid}
"#,
            ),
            dropped: script(
                r#"
local sid, current = resolve(ARGV[2], nil)
if not sid or not current then return nil end
return tonumber(redis.call('HGET', k('s', sid), 'dropped'))
"#,
            ),
            expire: script(
                r#"
local idle_before = tonumber(ARGV[2])
local out = {}
for _, sid in ipairs(redis.call('ZRANGEBYSCORE', active, '-inf', '(' .. idle_before)) do
  if redis.call('EXISTS', k('s', sid)) == 1 then
    table.insert(out, finish(sid))
  else
    -- Its data is gone (deleted by hand, say): nothing to end but the entry.
    redis.call('ZREM', active, sid)
  end
end
return out
"#,
            ),
        }
    }
}
