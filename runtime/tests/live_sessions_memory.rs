//! Memory per live session in the default store, measured with a counting global allocator
//! (`allocation-counter`, so this binary holds only these tests): an idle session, a session
//! holding a long poll, and a queue that gives its buffer back once drained. Run with
//! `--nocapture` to see the numbers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use allocation_counter::measure;
use gatespec::server::Caller;
use gatespec::server::live::{LiveSessions, Settings};

const SESSIONS: usize = 1000;

#[derive(Clone, Debug)]
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

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap()
}

/// Bytes still allocated per session after `run`, which creates `SESSIONS` of something.
fn bytes_per_session(run: impl FnOnce()) -> i64 {
    let info = measure(run);
    info.bytes_current / i64::try_from(SESSIONS).unwrap()
}

#[test]
fn an_idle_session_costs_a_few_hundred_bytes_and_a_holding_poll_a_little_more() {
    let rt = runtime();
    let live: LiveSessions<Agent> = rt.block_on(async { LiveSessions::new(Settings::default()) });
    let mut ids = Vec::with_capacity(SESSIONS);
    let agents: Vec<Agent> = (0..SESSIONS)
        .map(|n| Agent { id: format!("{n}") })
        .collect();

    // The store's share: caller data, ids, wake-up handle, map slots.
    let idle = bytes_per_session(|| {
        rt.block_on(async {
            for agent in agents {
                ids.push(live.sign_in(agent, None).await.unwrap().id);
            }
        });
    });
    // What the test keeps on its side: the ids it was handed (the vector was allocated before).
    let ids_kept =
        i64::try_from(ids.iter().map(String::capacity).sum::<usize>() / SESSIONS).unwrap();
    let idle = idle - ids_kept;
    eprintln!("idle session in the memory store: {idle} bytes");
    assert!((100..768).contains(&idle), "{idle} bytes per idle session");

    // Each session holding a long poll: the task running the poll and its waiter.
    let mut polls = Vec::with_capacity(SESSIONS);
    let polling = bytes_per_session(|| {
        rt.block_on(async {
            for id in &ids {
                let live = live.clone();
                let id = id.clone();
                polls.push(tokio::spawn(async move { live.poll(&id).await }));
            }
            // Let every poll start holding.
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(1)).await;
        });
    });
    let handles = i64::try_from(std::mem::size_of_val(&polls[0])).unwrap();
    let polling = polling - handles;
    eprintln!("a long poll holding on it, as a task: {polling} bytes more");
    assert!(polling < 4096, "{polling} bytes per holding poll");

    // Holds end without events; the sessions go back to idle, their queues allocate nothing.
    let after = measure(|| {
        rt.block_on(async {
            for poll in polls.drain(..) {
                assert!(poll.await.unwrap().unwrap().unwrap().event.is_none());
            }
        });
    });
    eprintln!(
        "after the holds: {} bytes per session freed",
        -after.bytes_current / i64::try_from(SESSIONS).unwrap()
    );
    assert_eq!(rt.block_on(live.count()).unwrap(), SESSIONS);
}

#[test]
fn a_drained_queue_gives_its_buffer_back() {
    let rt = runtime();
    let live: LiveSessions<Agent> = rt.block_on(async { LiveSessions::new(Settings::default()) });
    let agent = Agent { id: "1".to_owned() };
    let id = rt.block_on(live.sign_in(agent, None)).unwrap().id;
    let info = measure(|| {
        rt.block_on(async {
            for n in 0..100 {
                live.publish("1", &n).await.unwrap();
            }
            for _ in 0..100 {
                let polled = live.poll(&id).await.unwrap().unwrap();
                assert!(polled.event.is_some());
            }
        });
    });
    assert!(info.bytes_max > 1000, "the queue held 100 events");
    assert_eq!(
        info.bytes_current, 0,
        "drained, the session is back to its idle size"
    );
}
