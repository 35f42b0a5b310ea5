//! Live sessions (`server::live`): long poll, renewal, idle sign-out, the queue cap, many
//! sessions at once, and a store other than the default behind the facade. Timers run on
//! Tokio's paused clock where they matter, so a two-minute timeout takes no time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use gatespec::server::Caller;
use gatespec::server::live::{
    EncodedEvent, Ended, Found, LiveSessions, MemoryBackend, Published, PushTarget, SessionBackend,
    Settings, Timestamp, Waited,
};
use serde_json::json;
use tokio::time::{Instant, advance, sleep};

#[derive(Clone, Debug, PartialEq, Eq)]
struct Agent {
    id: String,
}

impl Caller for Agent {
    fn agent_id(&self) -> &str {
        &self.id
    }

    fn role(&self) -> &str {
        "agent"
    }
}

fn agent(id: &str) -> Agent {
    Agent { id: id.to_owned() }
}

async fn sign_in<B: SessionBackend<Agent>>(live: &LiveSessions<Agent, B>, id: &str) -> String {
    match live.sign_in(agent(id), None).await {
        Ok(signed_in) => signed_in.id,
        Err(e) => panic!("sign-in failed: {e}"),
    }
}

async fn publish(live: &LiveSessions<Agent>, agent_id: &str, n: u32) -> Published {
    live.publish(agent_id, &json!({"n": n})).await.unwrap()
}

fn number(event: &EncodedEvent) -> u64 {
    let value: serde_json::Value = serde_json::from_str(event.get()).unwrap();
    value["n"].as_u64().unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_poll_answers_at_once_when_an_event_arrives() {
    let live = LiveSessions::new(Settings::default());
    let session = sign_in(&live, "7").await;
    let started = Instant::now();
    let poll = tokio::spawn({
        let live = live.clone();
        async move { live.poll(&session).await }
    });
    sleep(Duration::from_millis(1500)).await;
    assert!(!poll.is_finished(), "the poll did not hold");
    assert_eq!(publish(&live, "7", 1).await, Published::Queued);
    let polled = poll.await.unwrap().unwrap().unwrap();
    assert_eq!(started.elapsed(), Duration::from_millis(1500));
    assert_eq!(number(&polled.event.unwrap()), 1);
    assert_eq!(polled.renewed, None);
}

#[tokio::test(start_paused = true)]
async fn a_queued_event_answers_without_holding_and_events_come_in_order() {
    let live = LiveSessions::new(Settings::default());
    let session = sign_in(&live, "7").await;
    for n in 1..=2 {
        publish(&live, "7", n).await;
    }
    // By session: whichever id names it.
    assert_eq!(
        live.publish_to_session(&session, &json!({"n": 3}))
            .await
            .unwrap(),
        Published::Queued
    );
    assert_eq!(
        live.publish_to_session("unknown", &json!({"n": 4}))
            .await
            .unwrap(),
        Published::NoSession
    );
    let started = Instant::now();
    for n in 1..=3_u32 {
        let polled = live.poll(&session).await.unwrap().unwrap();
        assert_eq!(number(polled.event.as_ref().unwrap()), u64::from(n));
        assert_eq!(
            polled.event_as::<serde_json::Value>().unwrap().unwrap()["n"],
            n
        );
    }
    assert_eq!(started.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn a_poll_without_events_answers_empty_after_the_hold() {
    let live = LiveSessions::new(Settings::default());
    let session = sign_in(&live, "7").await;
    let started = Instant::now();
    let polled = live.poll(&session).await.unwrap().unwrap();
    assert!(polled.event.is_none());
    assert_eq!(
        started.elapsed(),
        Duration::from_secs(10),
        "the default hold"
    );

    let live = LiveSessions::new(Settings::default().hold(Duration::from_secs(3)));
    let session = sign_in(&live, "7").await;
    let started = Instant::now();
    assert!(live.poll(&session).await.unwrap().unwrap().event.is_none());
    assert_eq!(started.elapsed(), Duration::from_secs(3));
    // An event for another agent does not end the hold.
    let other = sign_in(&live, "8").await;
    let started = Instant::now();
    let poll = tokio::spawn({
        let live = live.clone();
        async move { live.poll(&session).await }
    });
    sleep(Duration::from_secs(1)).await;
    publish(&live, "8", 1).await;
    assert!(poll.await.unwrap().unwrap().unwrap().event.is_none());
    assert_eq!(started.elapsed(), Duration::from_secs(3));
    let polled = live.poll(&other).await.unwrap().unwrap();
    assert_eq!(number(&polled.event.unwrap()), 1);
}

#[tokio::test(start_paused = true)]
async fn a_poll_renews_the_id_when_due_and_the_old_id_resolves_until_its_validity_ends() {
    let settings = Settings::default()
        .hold(Duration::from_secs(1))
        .idle_timeout(Duration::from_secs(600));
    let live = LiveSessions::new(settings);
    let first = sign_in(&live, "7").await;

    // Not due yet.
    sleep(Duration::from_secs(30)).await;
    assert_eq!(live.poll(&first).await.unwrap().unwrap().renewed, None);

    // Due after 60 s: the answer hands out a new id.
    sleep(Duration::from_secs(30)).await;
    let renewed_at = Instant::now();
    let polled = live.poll(&first).await.unwrap().unwrap();
    let second = polled.renewed.expect("a renewal");
    assert_ne!(second, first);
    assert_eq!(live.resolve(&second).await, Some(agent("7")));
    assert_eq!(
        live.session_of_agent("7").await.unwrap(),
        Some(second.clone())
    );

    // The new id is not renewed again at once; a poll with the old id learns the new one.
    assert_eq!(live.poll(&second).await.unwrap().unwrap().renewed, None);
    let polled = live.poll(&first).await.unwrap().unwrap();
    assert_eq!(polled.renewed.as_deref(), Some(second.as_str()));
    // Events reach the session whichever id polls.
    publish(&live, "7", 5).await;
    let polled = live.poll(&first).await.unwrap().unwrap();
    assert_eq!(number(&polled.event.unwrap()), 5);

    // The old id stays valid for 120 s after the renewal, then no longer resolves.
    sleep(Duration::from_secs(119) - renewed_at.elapsed()).await;
    assert_eq!(live.resolve(&first).await, Some(agent("7")));
    sleep(Duration::from_secs(2)).await;
    assert_eq!(live.resolve(&first).await, None);
    assert!(live.poll(&first).await.unwrap().is_none());
    assert!(!live.heartbeat(&first).await.unwrap());
    assert!(
        live.sign_out(&first).await.unwrap().is_none(),
        "an expired id signs nothing out"
    );
    assert_eq!(live.resolve(&second).await, Some(agent("7")));
}

#[tokio::test(start_paused = true)]
async fn renewal_follows_the_settings() {
    let settings = Settings::default()
        .hold(Duration::from_millis(100))
        .renewal_interval(Some(Duration::from_secs(2)))
        .old_id_validity(Duration::from_secs(3))
        .session_ids(|| format!("s{}", NEXT_ID.fetch_add(1, Ordering::Relaxed)));
    static NEXT_ID: AtomicUsize = AtomicUsize::new(0);
    let live = LiveSessions::new(settings);
    let mut ids = vec![sign_in(&live, "7").await];
    for _ in 0..3 {
        sleep(Duration::from_secs(2)).await;
        let current = ids.last().unwrap().clone();
        ids.push(live.poll(&current).await.unwrap().unwrap().renewed.unwrap());
    }
    assert_eq!(ids, ["s0", "s1", "s2", "s3"]);
    // Renewed at 2, 4 and 6 s (plus the holds): s0 valid until about 5 s, s1 until 7 s.
    assert_eq!(live.resolve("s0").await, None);
    assert_eq!(live.resolve("s1").await, Some(agent("7")));
    assert_eq!(live.resolve("s2").await, Some(agent("7")));

    // Never renewed when renewal is off.
    let live = LiveSessions::new(
        Settings::default()
            .hold(Duration::from_millis(100))
            .renewal_interval(None),
    );
    let session = sign_in(&live, "7").await;
    sleep(Duration::from_secs(100)).await;
    assert_eq!(live.poll(&session).await.unwrap().unwrap().renewed, None);
}

#[tokio::test(start_paused = true)]
async fn sessions_that_stop_polling_are_signed_out_and_heartbeats_keep_push_sessions() {
    let live = LiveSessions::new(Settings::default());
    let quiet = sign_in(&live, "1").await;
    let polling = sign_in(&live, "2").await;
    let push = PushTarget {
        address: "https://example.invalid/events".to_owned(),
        token: Some("t".to_owned()),
    };
    let pushed = live
        .sign_in(agent("3"), Some(push.clone()))
        .await
        .unwrap()
        .id;
    let pushed_silent = live
        .sign_in(agent("4"), Some(push.clone()))
        .await
        .unwrap()
        .id;
    assert_eq!(live.find(&pushed).await.unwrap().unwrap().push, Some(push));

    let poller = tokio::spawn({
        let live = live.clone();
        async move {
            let mut id = polling;
            while let Some(polled) = live.poll(&id).await.unwrap() {
                if let Some(renewed) = polled.renewed {
                    id = renewed;
                }
                sleep(Duration::from_millis(300)).await;
            }
        }
    });
    let heart = tokio::spawn({
        let live = live.clone();
        async move {
            while live.heartbeat(&pushed).await.unwrap() {
                sleep(Duration::from_secs(30)).await;
            }
        }
    });

    // The sessions that neither poll nor send heartbeats are gone after two minutes and at most
    // one reaper interval; the others are not.
    sleep(Duration::from_secs(119)).await;
    assert_eq!(live.count().await.unwrap(), 4);
    sleep(Duration::from_secs(7)).await;
    assert_eq!(live.resolve(&quiet).await, None);
    assert_eq!(live.resolve(&pushed_silent).await, None);
    assert!(live.session_of_agent("2").await.unwrap().is_some());
    assert_eq!(live.resolve(&pushed_silent).await, None);
    assert!(
        live.find(&live.session_of_agent("3").await.unwrap().unwrap())
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(live.count().await.unwrap(), 2);

    // Ten minutes on, the polling and the heartbeating sessions are still live.
    sleep(Duration::from_secs(600)).await;
    assert_eq!(live.count().await.unwrap(), 2);
    assert!(live.publish("1", &json!({"n": 1})).await.unwrap() == Published::NoSession);
    poller.abort();
    heart.abort();
}

#[tokio::test(start_paused = true)]
async fn reaping_by_hand_ends_idle_sessions_once() {
    let live = LiveSessions::new(
        Settings::default()
            .idle_timeout(Duration::from_secs(10))
            .reap_interval(Duration::from_secs(3600)),
    );
    let told = Arc::new(std::sync::Mutex::new(Vec::new()));
    assert!(live.on_idle_sign_out({
        let told = Arc::clone(&told);
        move |ended| told.lock().unwrap().push(ended.agent_id.clone())
    }));
    assert!(!live.on_idle_sign_out(|_| {}), "one hook only");
    let session = sign_in(&live, "1").await;
    let kept = sign_in(&live, "2").await;
    // The reaper's first look happens at once; the next is an hour away.
    sleep(Duration::from_secs(11)).await;
    assert!(live.heartbeat(&kept).await.unwrap());
    assert_eq!(live.count().await.unwrap(), 2);
    let ended = live.reap().await.unwrap();
    assert_eq!(
        ended,
        [Ended {
            id: session.clone(),
            agent_id: "1".to_owned(),
            caller: agent("1"),
        }]
    );
    assert!(live.reap().await.unwrap().is_empty());
    assert_eq!(*told.lock().unwrap(), ["1"]);
    assert_eq!(live.count().await.unwrap(), 1);
}

#[tokio::test(start_paused = true)]
async fn signing_out_ends_a_holding_poll_and_the_session() {
    let live = LiveSessions::new(Settings::default());
    let session = sign_in(&live, "7").await;
    publish(&live, "7", 1).await;
    let started = Instant::now();
    let poll = tokio::spawn({
        let live = live.clone();
        let session = session.clone();
        async move {
            let first = live.poll(&session).await.unwrap();
            let second = live.poll(&session).await.unwrap();
            (first, second)
        }
    });
    sleep(Duration::from_secs(2)).await;
    let ended = live.sign_out(&session).await.unwrap().unwrap();
    assert_eq!(ended.agent_id, "7");
    let (first, second) = poll.await.unwrap();
    assert!(first.unwrap().event.is_some());
    assert!(second.is_none(), "signed out during the hold");
    assert_eq!(started.elapsed(), Duration::from_secs(2));
    assert_eq!(live.resolve(&session).await, None);
    assert_eq!(live.publish("7", &1).await.unwrap(), Published::NoSession);
}

#[tokio::test(start_paused = true)]
async fn signing_in_again_replaces_the_agents_session() {
    let live = LiveSessions::new(Settings::default());
    let first = sign_in(&live, "7").await;
    publish(&live, "7", 1).await;
    let again = live.sign_in(agent("7"), None).await.unwrap();
    assert_eq!(again.replaced.map(|e| e.id), Some(first.clone()));
    assert_eq!(live.resolve(&first).await, None);
    assert_eq!(live.resolve(&again.id).await, Some(agent("7")));
    // The new session starts with an empty queue.
    let polled = live
        .poll_for(&again.id, Duration::from_secs(1))
        .await
        .unwrap()
        .unwrap();
    assert!(polled.event.is_none());
    assert_eq!(live.count().await.unwrap(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_full_queue_drops_its_oldest_events_and_counts_them() {
    let live = LiveSessions::new(Settings::default().queue_capacity(3));
    let session = sign_in(&live, "7").await;
    let published: Vec<Published> = {
        let mut all = Vec::new();
        for n in 1..=5 {
            all.push(publish(&live, "7", n).await);
        }
        all
    };
    assert_eq!(
        published,
        [
            Published::Queued,
            Published::Queued,
            Published::Queued,
            Published::DroppedOldest,
            Published::DroppedOldest,
        ]
    );
    assert_eq!(live.dropped_events(&session).await.unwrap(), Some(2));
    let mut got = Vec::new();
    while let Some(event) = live
        .poll_for(&session, Duration::ZERO)
        .await
        .unwrap()
        .unwrap()
        .event
    {
        got.push(number(&event));
    }
    assert_eq!(got, [3, 4, 5]);

    // The default capacity is 256.
    let live = LiveSessions::new(Settings::default());
    let session = sign_in(&live, "7").await;
    for n in 0..256 {
        assert_eq!(publish(&live, "7", n).await, Published::Queued);
    }
    assert_eq!(publish(&live, "7", 256).await, Published::DroppedOldest);
    assert_eq!(live.dropped_events(&session).await.unwrap(), Some(1));
    assert_eq!(live.dropped_events("unknown").await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_sessions_poll_and_receive_only_their_own_events() {
    const AGENTS: usize = 300;
    const EVENTS: u64 = 20;
    let live = LiveSessions::new(Settings::default().hold(Duration::from_millis(200)));
    let mut pollers = Vec::new();
    for a in 0..AGENTS {
        let id = sign_in(&live, &format!("a{a}")).await;
        let live = live.clone();
        pollers.push(tokio::spawn(async move {
            let mut got = Vec::new();
            while got.len() < EVENTS as usize {
                let polled = live.poll(&id).await.unwrap().expect("still signed in");
                if let Some(event) = polled.event {
                    let value: serde_json::Value = serde_json::from_str(event.get()).unwrap();
                    assert_eq!(value["to"], format!("a{a}"), "cross-talk");
                    got.push(value["n"].as_u64().unwrap());
                }
            }
            got
        }));
    }
    // Two publishers interleave; each agent's events come from one of them, in order.
    let publishers: Vec<_> = (0..2)
        .map(|p| {
            let live = live.clone();
            tokio::spawn(async move {
                for n in 0..EVENTS {
                    for a in (p..AGENTS).step_by(2) {
                        let to = format!("a{a}");
                        let published =
                            live.publish(&to, &json!({"to": to, "n": n})).await.unwrap();
                        assert_eq!(published, Published::Queued);
                    }
                    tokio::task::yield_now().await;
                }
            })
        })
        .collect();
    for publisher in publishers {
        publisher.await.unwrap();
    }
    for poller in pollers {
        assert_eq!(poller.await.unwrap(), (0..EVENTS).collect::<Vec<_>>());
    }
}

/// A store wrapping the default one: counts the reaper's calls, and shows that the facade
/// works over any [`SessionBackend`].
#[derive(Debug, Default)]
struct Counting {
    inner: MemoryBackend<Agent>,
    expires: Arc<AtomicUsize>,
}

impl SessionBackend<Agent> for Counting {
    type Error = std::convert::Infallible;

    async fn insert(
        &self,
        id: &str,
        agent_id: &str,
        caller: Agent,
        push: Option<PushTarget>,
        now: Timestamp,
    ) -> Result<Option<Ended<Agent>>, Self::Error> {
        self.inner.insert(id, agent_id, caller, push, now).await
    }
    async fn find(&self, id: &str, now: Timestamp) -> Result<Option<Found<Agent>>, Self::Error> {
        self.inner.find(id, now).await
    }
    async fn find_agent(&self, agent_id: &str) -> Result<Option<String>, Self::Error> {
        self.inner.find_agent(agent_id).await
    }
    async fn touch(&self, id: &str, now: Timestamp) -> Result<bool, Self::Error> {
        self.inner.touch(id, now).await
    }
    async fn renew(
        &self,
        current: &str,
        renewed: &str,
        now: Timestamp,
        old_valid_until: Timestamp,
    ) -> Result<bool, Self::Error> {
        self.inner
            .renew(current, renewed, now, old_valid_until)
            .await
    }
    async fn remove(&self, id: &str, now: Timestamp) -> Result<Option<Ended<Agent>>, Self::Error> {
        self.inner.remove(id, now).await
    }
    async fn push_event(
        &self,
        id: &str,
        event: EncodedEvent,
        capacity: usize,
    ) -> Result<Published, Self::Error> {
        self.inner.push_event(id, event, capacity).await
    }
    async fn wait_event(&self, id: &str, deadline: Instant) -> Result<Waited, Self::Error> {
        self.inner.wait_event(id, deadline).await
    }
    async fn dropped_events(&self, id: &str) -> Result<Option<u64>, Self::Error> {
        self.inner.dropped_events(id).await
    }
    async fn expire(
        &self,
        idle_before: Timestamp,
        now: Timestamp,
    ) -> Result<Vec<Ended<Agent>>, Self::Error> {
        self.expires.fetch_add(1, Ordering::SeqCst);
        self.inner.expire(idle_before, now).await
    }
    async fn count(&self) -> Result<usize, Self::Error> {
        self.inner.count().await
    }
}

#[tokio::test(start_paused = true)]
async fn the_reaper_runs_on_its_interval_and_stops_with_the_facade() {
    let backend = Counting::default();
    let expires = Arc::clone(&backend.expires);
    let live = LiveSessions::with_backend(
        backend,
        Settings::default()
            .idle_timeout(Duration::from_secs(4))
            .reap_interval(Duration::from_secs(1)),
    );
    let session = sign_in(&live, "7").await;
    let clone = live.clone();
    sleep(Duration::from_millis(4500)).await;
    assert_eq!(expires.load(Ordering::SeqCst), 5, "at 0, 1, 2, 3 and 4 s");
    assert_eq!(clone.resolve(&session).await, Some(agent("7")));
    sleep(Duration::from_secs(1)).await;
    assert_eq!(
        clone.resolve(&session).await,
        None,
        "idle for more than 4 s"
    );

    drop(live);
    sleep(Duration::from_secs(2)).await;
    assert_eq!(
        expires.load(Ordering::SeqCst),
        8,
        "a clone keeps the reaper running (6, 7 s)"
    );
    drop(clone);
    advance(Duration::from_secs(10)).await;
    tokio::task::yield_now().await;
    assert_eq!(
        expires.load(Ordering::SeqCst),
        8,
        "stopped with the last clone"
    );
}

/// Of many sign-ins of one agent at once, exactly one starts a session; the others change
/// nothing. After sign-out the agent signs in again.
async fn exclusive_sign_in_has_one_winner<B: SessionBackend<Agent>>(live: LiveSessions<Agent, B>) {
    let tries: Vec<_> = (0..16)
        .map(|_| {
            let live = live.clone();
            tokio::spawn(async move { live.sign_in_exclusive(agent("7"), None).await.ok() })
        })
        .collect();
    let mut winners = Vec::new();
    for attempt in tries {
        winners.extend(attempt.await.unwrap().flatten());
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    let current = live.session_of_agent("7").await.ok().flatten();
    assert_eq!(
        current.as_ref(),
        Some(&winners[0]),
        "the winner's session stands"
    );
    assert!(live.sign_out(&winners[0]).await.is_ok());
    let again = live
        .sign_in_exclusive(agent("7"), None)
        .await
        .ok()
        .flatten();
    assert!(again.is_some(), "free again after sign-out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exclusive_sign_in_has_one_winner_in_memory_and_over_the_default_method() {
    exclusive_sign_in_has_one_winner(LiveSessions::new(Settings::default())).await;
    // `Counting` keeps the trait's default `insert_exclusive` (check, then insert): right for
    // a store no other process writes, one call at a time.
    let live = LiveSessions::with_backend(Counting::default(), Settings::default());
    let first = live.sign_in_exclusive(agent("8"), None).await.unwrap();
    assert!(first.is_some());
    assert_eq!(
        live.sign_in_exclusive(agent("8"), None).await.unwrap(),
        None
    );
}
