//! Live sessions under load, in memory on one instance and in Redis on two: many agents each
//! long-polling, events published to them round-robin (through both instances for Redis), and
//! for each store the events per second and the delivery latency (publish to poll answer) p50
//! and p99.
//!
//! `scripts/bench-live-stores` starts a `redis-server`, runs this with its URL and adds the
//! commands Redis ran per event (its round trips, polls and sign-ins included):
//! `bench_live_stores REDIS_URL [AGENTS] [EVENTS] [RATE]` (defaults 1000, 20000 and 2000/s: the
//! burst publishes EVENTS as fast as it can, the paced run EVENTS/4 at RATE per second).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use gatespec::server::Caller;
use gatespec::server::live::{LiveSessions, RedisBackend, SessionBackend, Settings};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Agent(String);

impl Caller for Agent {
    fn agent_id(&self) -> &str {
        &self.0
    }
    fn role(&self) -> &str {
        "agent"
    }
}

struct Outcome {
    events_per_second: f64,
    p50: Duration,
    p99: Duration,
}

fn settings() -> Settings {
    Settings::default()
        .hold(Duration::from_secs(2))
        .renewal_interval(None)
        .queue_capacity(100_000)
}

/// Signs `agents` in spread over `instances`, polls each from its instance, publishes `events`
/// round-robin through the instances, and waits until every event was delivered.
async fn run<B: SessionBackend<Agent>>(
    instances: &[LiveSessions<Agent, B>],
    agents: usize,
    events: usize,
    rate: Option<u64>,
) -> Outcome {
    let origin = Instant::now();
    let mut ids = Vec::with_capacity(agents);
    for a in 0..agents {
        let live = &instances[a % instances.len()];
        let Ok(signed_in) = live.sign_in(Agent(format!("a{a}")), None).await else {
            panic!("sign-in failed");
        };
        ids.push(signed_in.id);
    }
    let delivered = Arc::new(AtomicU64::new(0));
    let total = events as u64;
    let mut pollers = Vec::with_capacity(agents);
    for (a, id) in ids.into_iter().enumerate() {
        let live = instances[(a + 1) % instances.len()].clone();
        let delivered = Arc::clone(&delivered);
        pollers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while delivered.load(Ordering::Relaxed) < total {
                let Ok(Some(polled)) = live.poll(&id).await else {
                    break;
                };
                if let Some(event) = polled.event {
                    let sent: u64 = event.get().parse().unwrap_or(0);
                    let now = u64::try_from(origin.elapsed().as_micros()).unwrap_or(u64::MAX);
                    latencies.push(Duration::from_micros(now.saturating_sub(sent)));
                    delivered.fetch_add(1, Ordering::Relaxed);
                }
            }
            latencies
        }));
    }
    let started = Instant::now();
    let publishers = 8;
    let mut tasks = Vec::new();
    for p in 0..publishers {
        let instances: Vec<_> = instances.to_vec();
        tasks.push(tokio::spawn(async move {
            for (n, e) in (p..events).step_by(publishers).enumerate() {
                // Paced: each publisher sends its share of `rate` on schedule.
                if let Some(rate) = rate {
                    let due = Duration::from_secs_f64((n * publishers) as f64 / rate as f64);
                    tokio::time::sleep_until((started + due).into()).await;
                }
                let live = &instances[e % instances.len()];
                let sent = u64::try_from(origin.elapsed().as_micros()).unwrap_or(u64::MAX);
                let agent = format!("a{}", e % agents);
                let _ = live.publish(&agent, &sent).await;
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    while delivered.load(Ordering::Relaxed) < total {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = started.elapsed();
    let mut latencies = Vec::with_capacity(events);
    // Each poller stops within one hold once every event is delivered.
    for poller in pollers {
        if let Ok(mut l) = poller.await {
            latencies.append(&mut l);
        }
    }
    latencies.sort_unstable();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Outcome {
        events_per_second: events as f64 / elapsed.as_secs_f64(),
        p50: at(0.5),
        p99: at(0.99),
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let Some(url) = args.next() else {
        eprintln!("usage: bench_live_stores REDIS_URL [AGENTS] [EVENTS]");
        std::process::exit(2);
    };
    let agents: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let events: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);

    let rate: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let memory = [LiveSessions::<Agent>::new(settings())];
    let memory_burst = run(&memory, agents, events, None).await;
    let memory_paced = run(&memory, agents, events / 4, Some(rate)).await;

    let mut redis_instances = Vec::new();
    for _ in 0..2 {
        match RedisBackend::<Agent>::connect(&url, "bench").await {
            Ok(backend) => redis_instances.push(LiveSessions::with_backend(backend, settings())),
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
    }
    let _ = redis_instances[0].backend().clear().await;
    let redis_burst = run(&redis_instances, agents, events, None).await;
    let _ = redis_instances[0].backend().clear().await;
    let redis_paced = run(&redis_instances, agents, events / 4, Some(rate)).await;

    println!(
        "{agents} agents long-polling; {events} events as fast as 8 publishers go (burst), then {} at {rate}/s (paced)",
        events / 4
    );
    println!(
        "{:<22} {:>14} {:>11} {:>11} {:>11} {:>11}",
        "store", "burst events/s", "burst p50", "burst p99", "paced p50", "paced p99"
    );
    for (name, burst, paced) in [
        ("memory, 1 instance", &memory_burst, &memory_paced),
        ("redis, 2 instances", &redis_burst, &redis_paced),
    ] {
        println!(
            "{:<22} {:>14.0} {:>11.2?} {:>11.2?} {:>11.2?} {:>11.2?}",
            name, burst.events_per_second, burst.p50, burst.p99, paced.p50, paced.p99
        );
    }
    println!(
        "ratio redis/memory: burst events/s {:.3}, paced p50 {:.1}x, paced p99 {:.1}x",
        redis_burst.events_per_second / memory_burst.events_per_second,
        redis_paced.p50.as_secs_f64() / memory_paced.p50.as_secs_f64().max(1e-9),
        redis_paced.p99.as_secs_f64() / memory_paced.p99.as_secs_f64().max(1e-9),
    );
}
