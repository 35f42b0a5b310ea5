//! Live sessions shared through a real Redis by two instances (`A` and `B`, two
//! `LiveSessions` facades on one Redis, as two server processes would be): sign-in, polls,
//! publishing, sign-out, renewal, idle sign-out and capped queues hold across instances, Redis
//! unreachable at start is a clear error, and a Redis restart gives errors, then recovery.
//!
//! The harness starts `redis-server` on a free loopback port (installing Debian's package with
//! apt when the binary is missing) and stops it at the end.

use std::net::TcpListener;
use std::time::Duration;

use gatespec::server::Caller;
use gatespec::server::live::{LiveSessions, Published, RedisBackend, Settings};
use serde::{Deserialize, Serialize};

#[path = "harness/redis_server.rs"]
mod redis_server;

use redis_server::RedisServer;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Agent {
    id: String,
    role: String,
}

impl Caller for Agent {
    fn agent_id(&self) -> &str {
        &self.id
    }
    fn role(&self) -> &str {
        &self.role
    }
}

fn agent(id: &str) -> Agent {
    Agent {
        id: id.to_owned(),
        role: "agent".to_owned(),
    }
}

type Shared = LiveSessions<Agent, RedisBackend<Agent>>;

async fn instance(redis: &RedisServer, settings: Settings) -> Shared {
    let backend = RedisBackend::connect(&redis.url(), "test")
        .await
        .expect("connect to redis");
    LiveSessions::with_backend(backend, settings)
}

fn settings() -> Settings {
    Settings::default()
        .hold(Duration::from_secs(5))
        .renewal_interval(None)
}

fn number(event: &serde_json::value::RawValue) -> u64 {
    let value: serde_json::Value = serde_json::from_str(event.get()).expect("event JSON");
    value["n"].as_u64().expect("n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_behave_as_one_store() {
    let redis = RedisServer::start();
    let a = instance(&redis, settings()).await;
    let b = instance(&redis, settings()).await;

    // Sign in on A, call and poll on B.
    let signed_in = a.sign_in(agent("153"), None).await.expect("sign in");
    let id = signed_in.id;
    assert_eq!(b.resolve(&id).await, Some(agent("153")));
    assert_eq!(
        b.session_of_agent("153").await.expect("redis"),
        Some(id.clone())
    );
    assert_eq!(a.count().await.expect("redis"), 1);
    assert_eq!(
        a.publish("153", &serde_json::json!({"n": 1}))
            .await
            .expect("redis"),
        Published::Queued
    );
    let polled = b.poll(&id).await.expect("redis").expect("live");
    assert_eq!(polled.event.as_deref().map(number), Some(1));

    // A poll held on B is answered at once by an event published on A.
    let held = tokio::spawn({
        let b = b.clone();
        let id = id.clone();
        async move {
            let started = tokio::time::Instant::now();
            let polled = b.poll(&id).await;
            (polled, started.elapsed())
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    a.publish("153", &serde_json::json!({"n": 2}))
        .await
        .expect("redis");
    let (polled, waited) = held.await.expect("poll task");
    let polled = polled.expect("redis").expect("live");
    assert_eq!(polled.event.as_deref().map(number), Some(2));
    assert!(
        waited < Duration::from_secs(1),
        "the held poll waited {waited:?}"
    );

    // Each event goes to exactly one of two polls, whichever instance holds it.
    let polls: Vec<_> = [a.clone(), b.clone()]
        .into_iter()
        .map(|live| {
            let id = id.clone();
            tokio::spawn(async move { live.poll_for(&id, Duration::from_secs(2)).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    a.publish("153", &serde_json::json!({"n": 3}))
        .await
        .expect("redis");
    b.publish("153", &serde_json::json!({"n": 4}))
        .await
        .expect("redis");
    let mut got = Vec::new();
    for poll in polls {
        let polled = poll
            .await
            .expect("poll task")
            .expect("redis")
            .expect("live");
        got.extend(polled.event.as_deref().map(number));
    }
    got.sort_unstable();
    assert_eq!(got, [3, 4]);

    // Sign-out on B ends a poll held on A (its end marker wakes it: the wait slice is 3 s, the
    // hold 5 s) and refuses the id on A.
    let held = tokio::spawn({
        let a = a.clone();
        let id = id.clone();
        async move { a.poll(&id).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let ended = b.sign_out(&id).await.expect("redis").expect("was live");
    assert_eq!(ended.agent_id, "153");
    let polled = tokio::time::timeout(Duration::from_secs(1), held)
        .await
        .expect("the held poll ends with the session")
        .expect("poll task")
        .expect("redis");
    assert!(polled.is_none());
    assert_eq!(a.resolve(&id).await, None);
    assert_eq!(a.count().await.expect("redis"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_on_one_instance_is_accepted_on_the_other() {
    let redis = RedisServer::start();
    let renewing = settings()
        .renewal_interval(Some(Duration::ZERO))
        .old_id_validity(Duration::from_millis(600));
    let a = instance(&redis, renewing).await;
    let b = instance(&redis, settings()).await;
    let id = a.sign_in(agent("201"), None).await.expect("sign in").id;
    a.publish("201", &serde_json::json!({"n": 1}))
        .await
        .expect("redis");
    let polled = a.poll(&id).await.expect("redis").expect("live");
    let renewed = polled.renewed.expect("the poll renewed the id");
    assert_ne!(renewed, id);
    assert_eq!(b.resolve(&renewed).await, Some(agent("201")));
    // The old id keeps naming the session for its grace period, then Redis forgets it.
    assert_eq!(b.resolve(&id).await, Some(agent("201")));
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(b.resolve(&id).await, None);
    assert_eq!(b.resolve(&renewed).await, Some(agent("201")));
    // Events published through the agent reach the renewed session.
    b.publish("201", &serde_json::json!({"n": 2}))
        .await
        .expect("redis");
    let polled = b.poll(&renewed).await.expect("redis").expect("live");
    assert_eq!(polled.event.as_deref().map(number), Some(2));
    // A long session does not pile up dead ids: renewing again keeps only the ids that still
    // name it (the one just renewed away and the new one).
    a.publish("201", &serde_json::json!({"n": 3}))
        .await
        .expect("redis");
    let polled = a.poll(&renewed).await.expect("redis").expect("live");
    let newest = polled.renewed.expect("renewed again");
    let mut ids = redis.cli(&["SMEMBERS", &format!("test:ids:{id}")]);
    ids.sort();
    let mut expected = vec![renewed, newest];
    expected.sort();
    assert_eq!(ids, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_are_signed_out_once_across_instances_and_queues_are_capped() {
    let redis = RedisServer::start();
    let short = settings()
        .idle_timeout(Duration::from_millis(400))
        .reap_interval(Duration::from_millis(100))
        .queue_capacity(2);
    let a = instance(&redis, short).await;
    let b = instance(&redis, short).await;
    let reaped = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for live in [&a, &b] {
        let reaped = std::sync::Arc::clone(&reaped);
        live.on_idle_sign_out(move |_| {
            reaped.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        });
    }
    let idle = a.sign_in(agent("300"), None).await.expect("sign in").id;
    let busy = a.sign_in(agent("301"), None).await.expect("sign in").id;

    // The queue holds two events: a third drops the oldest, and the drop is counted.
    for n in 1..=3 {
        let published = b
            .publish("301", &serde_json::json!({"n": n}))
            .await
            .expect("redis");
        let expected = if n == 3 {
            Published::DroppedOldest
        } else {
            Published::Queued
        };
        assert_eq!(published, expected);
    }
    assert_eq!(a.dropped_events(&busy).await.expect("redis"), Some(1));
    let first = b.poll(&busy).await.expect("redis").expect("live");
    assert_eq!(first.event.as_deref().map(number), Some(2));

    // `busy` keeps polling on B; `idle` never does and is signed out by one of the reapers.
    for _ in 0..8 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        b.heartbeat(&busy).await.expect("redis");
    }
    assert_eq!(b.resolve(&idle).await, None);
    assert_eq!(a.resolve(&busy).await, Some(agent("301")));
    assert_eq!(reaped.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_unreachable_at_start_is_a_clear_error() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let error = RedisBackend::<Agent>::connect(&format!("redis://127.0.0.1:{port}"), "test")
        .await
        .expect_err("nothing listens there");
    let text = error.to_string();
    assert!(text.starts_with("redis: "), "{text}");
    let malformed = RedisBackend::<Agent>::connect("http://nowhere", "test")
        .await
        .expect_err("not a redis URL");
    assert!(malformed.to_string().starts_with("redis: "), "{malformed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_restart_gives_errors_then_recovery() {
    let mut redis = RedisServer::start();
    let a = instance(&redis, settings()).await;
    let b = instance(&redis, settings()).await;
    let id = a.sign_in(agent("400"), None).await.expect("sign in").id;

    redis.stop();
    // Every operation that needs the store fails; none pretends to succeed.
    assert!(
        a.publish("400", &serde_json::json!({"n": 1}))
            .await
            .is_err()
    );
    assert!(b.poll_for(&id, Duration::from_millis(200)).await.is_err());
    assert!(b.sign_in(agent("401"), None).await.is_err());
    assert_eq!(b.resolve(&id).await, None);

    redis.run();
    // The connections come back by themselves (a call may fail once more while a connection
    // is re-established), and the session survived (append-only file).
    let mut recovered = None;
    for _ in 0..40 {
        if let Ok(Some(found)) = b.find(&id).await {
            recovered = Some(found);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(recovered.map(|f| f.agent_id), Some("400".to_owned()));
    let mut published = Err(String::new());
    for _ in 0..40 {
        published = a
            .publish("400", &serde_json::json!({"n": 5}))
            .await
            .map_err(|e| e.to_string());
        if published.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    published.expect("redis is back");
    let polled = b.poll(&id).await.expect("redis").expect("live");
    assert_eq!(polled.event.as_deref().map(number), Some(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_instances_signing_one_agent_in_at_once_exactly_one_wins() {
    let redis = RedisServer::start();
    let a = instance(&redis, settings()).await;
    let b = instance(&redis, settings()).await;
    for round in 0..5 {
        let (on_a, on_b) = tokio::join!(
            a.sign_in_exclusive(agent("153"), None),
            b.sign_in_exclusive(agent("153"), None),
        );
        let winners: Vec<String> = [on_a.expect("A"), on_b.expect("B")]
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: {winners:?}");
        assert_eq!(
            a.session_of_agent("153").await.expect("find"),
            Some(winners[0].clone())
        );
        b.sign_out(&winners[0]).await.expect("sign out");
    }
}
