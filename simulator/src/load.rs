//! `agentgateway-sim load`: drives a gateway with many agents through one generated client for
//! a bounded time and prints what it measured.
//!
//! Agents `first..first+agents` (password `pw<id>`, as `scripts/load` writes its data set) sign
//! in and each long-polls its events; pairs of them run conferences (request, wait for
//! `AgentConf_RequestSuccess`, invite the partner, the partner answers, query, release) while an
//! inspector queries conferences in a loop. At the end every agent signs out. The report gives
//! requests per second, p50/p99 latency per operation, errors, and events received.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use agentgateway::agentconf::{
    AgentconfClient, BatchAddParticipantRequest, QueryConfInfosRequest, RequestAgentConfRequest,
};
use agentgateway::agentevent::{GetAgentEvent, GetAgentEventPath};
use agentgateway::onlineagent::{Login, LoginPath, LoginRequest, Logout, LogoutPath};
use agentgateway::{AddressType, AgentId, Event, InvitedParticipant};
use gatespec::EventCatalogue as _;
use gatespec::client::{Client, EventStream, EventStreamOptions, Session, StreamExt as _};
use tokio::sync::Mutex;

pub(crate) struct LoadArgs {
    pub(crate) gateway: String,
    pub(crate) agents: u32,
    pub(crate) first: u32,
    pub(crate) inspector: Option<u32>,
    pub(crate) duration: Duration,
    pub(crate) pairs: u32,
}

/// Latencies of one operation, and its failures.
#[derive(Default)]
struct Operation {
    micros: Vec<u64>,
    errors: u64,
    first_error: Option<String>,
}

#[derive(Default)]
struct Stats {
    operations: BTreeMap<&'static str, Operation>,
}

impl Stats {
    fn record<T, E: std::error::Error>(
        &mut self,
        name: &'static str,
        started: Instant,
        outcome: &Result<T, E>,
    ) {
        let operation = self.operations.entry(name).or_default();
        match outcome {
            Ok(_) => operation
                .micros
                .push(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)),
            Err(e) => {
                operation.errors += 1;
                operation.first_error.get_or_insert_with(|| crate::chain(e));
            }
        }
    }

    fn succeeded(&mut self, name: &'static str, started: Instant) {
        self.record::<(), std::fmt::Error>(name, started, &Ok(()));
    }

    fn error(&mut self, name: &'static str, message: String) {
        let operation = self.operations.entry(name).or_default();
        operation.errors += 1;
        operation.first_error.get_or_insert(message);
    }
}

type Shared = Arc<Mutex<Stats>>;

fn id(n: u32) -> Result<AgentId, String> {
    n.to_string()
        .parse()
        .map_err(|e| format!("agent {n} is not an agent id: {e}"))
}

async fn sign_in(client: &Client, agent: u32) -> Result<Session, String> {
    let login = LoginRequest::new(format!("pw{agent}"), agent.to_string());
    Session::sign_in::<Login>(
        client,
        &LoginPath {
            agentid: id(agent)?,
        },
        &login,
    )
    .await
    .map(|(session, _)| session)
    .map_err(|e| crate::failure(&format!("sign-in of agent {agent}"), e))
}

fn events(
    session: &Session,
    agent: u32,
) -> Result<EventStream<Event, agentgateway::ErrorCode>, String> {
    Ok(session.events_with::<GetAgentEvent, Event>(
        GetAgentEventPath {
            agentid: id(agent)?,
            calldata: None,
        },
        EventStreamOptions::default(),
    ))
}

/// Drains an agent's events until the run ends, counting them.
async fn drain(
    mut stream: EventStream<Event, agentgateway::ErrorCode>,
    received: Arc<AtomicU64>,
    stats: Shared,
    until: Instant,
) {
    while let Ok(Some(item)) = tokio::time::timeout_at(until.into(), stream.next()).await {
        match item {
            Ok(_) => {
                received.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => stats.lock().await.error("events", crate::chain(&e)),
        }
    }
}

/// One pair's conferences, back to back until the run ends.
async fn conferences(
    chair: (u32, Session, EventStream<Event, agentgateway::ErrorCode>),
    member: (u32, Session),
    received: Arc<AtomicU64>,
    stats: Shared,
    until: Instant,
) {
    let (chair_id, chair_session, mut chair_events) = chair;
    let (member_id, member_session) = member;
    let (Ok(chair_agent), Ok(member_agent)) = (id(chair_id), id(member_id)) else {
        return;
    };
    let chair = AgentconfClient::new(chair_session);
    let member = AgentconfClient::new(member_session);
    let request = RequestAgentConfRequest {
        member_num: 2,
        conf_caller_no: None,
        time: Some(60),
        prompt_time: None,
        beep_tone: None,
        play_mode: None,
        voice_path: None,
    };
    let invite = BatchAddParticipantRequest {
        addresses: vec![InvitedParticipant {
            address_type: AddressType::AgentId,
            address: member_id.to_string(),
            device_call_type: None,
            device_type: None,
        }],
        beep_tone: None,
        play_mode: None,
        voice_path: None,
        caller: None,
    };
    while Instant::now() < until {
        let started = Instant::now();
        let outcome = chair
            .request_agent_conf(chair_agent.clone(), &request)
            .await;
        stats
            .lock()
            .await
            .record("requestagentconf", started, &outcome);
        if outcome.is_err() {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        // The chair's operations wait for the set-up event.
        let started = Instant::now();
        let set_up = chair_events
            .wait_for(Duration::from_secs(10), |e| {
                received.fetch_add(1, Ordering::Relaxed);
                matches!(
                    e,
                    Event::AgentConfRequestSuccess { .. } | Event::AgentConfRequestFailed { .. }
                )
            })
            .await;
        let conf_id = match set_up {
            Ok(Event::AgentConfRequestSuccess { content, .. }) => {
                stats
                    .lock()
                    .await
                    .succeeded("event: request success", started);
                content.get("confId").and_then(serde_json::Value::as_i64)
            }
            Ok(other) => {
                stats.lock().await.error(
                    "event: request success",
                    format!("got {}", other.event_type()),
                );
                None
            }
            Err(e) => {
                stats
                    .lock()
                    .await
                    .error("event: request success", crate::chain(&e));
                None
            }
        };
        let started = Instant::now();
        let outcome = chair
            .batch_add_participant(chair_agent.clone(), &invite)
            .await;
        stats
            .lock()
            .await
            .record("batchaddparticipant", started, &outcome);
        let started = Instant::now();
        let outcome = member.answer_agent_conf(member_agent.clone()).await;
        stats
            .lock()
            .await
            .record("answeragentconf", started, &outcome);
        if let Some(conf_id) = conf_id {
            let started = Instant::now();
            let outcome = chair
                .query_conf_infos(
                    chair_agent.clone(),
                    &QueryConfInfosRequest {
                        conf_ids: vec![conf_id],
                    },
                )
                .await;
            stats
                .lock()
                .await
                .record("queryconfinfos (chair)", started, &outcome);
        }
        let started = Instant::now();
        let outcome = chair.release_agent_conf(chair_agent.clone()).await;
        stats
            .lock()
            .await
            .record("releaseagentconf", started, &outcome);
    }
    drain(chair_events, received, stats, until).await;
}

/// An inspector querying conferences in a loop.
async fn inspect(session: Session, agent: u32, stats: Shared, until: Instant) {
    let Ok(agent) = id(agent) else { return };
    let inspector = AgentconfClient::new(session);
    let body = QueryConfInfosRequest {
        conf_ids: (1..=20).collect(),
    };
    while Instant::now() < until {
        let started = Instant::now();
        let outcome = inspector.query_conf_infos(agent.clone(), &body).await;
        stats
            .lock()
            .await
            .record("queryconfinfos (inspector)", started, &outcome);
    }
}

pub(crate) async fn load(args: LoadArgs) -> Result<(), String> {
    let client = crate::client(&args.gateway, Duration::from_secs(30), None, false)?;
    let stats: Shared = Arc::default();
    let received = Arc::new(AtomicU64::new(0));

    let started = Instant::now();
    let mut sessions = Vec::new();
    for agent in args.first..args.first + args.agents {
        sessions.push((agent, sign_in(&client, agent).await?));
    }
    let inspector = match args.inspector {
        Some(agent) => Some((agent, sign_in(&client, agent).await?)),
        None => None,
    };
    eprintln!(
        "load: {} agents signed in through one client in {:.1} s",
        sessions.len(),
        started.elapsed().as_secs_f64()
    );

    let run_started = Instant::now();
    let until = run_started + args.duration;
    let mut tasks = tokio::task::JoinSet::new();
    let pairs = usize::try_from(args.pairs)
        .unwrap_or(0)
        .min(sessions.len() / 2);
    for (index, (agent, session)) in sessions.iter().enumerate() {
        let stream = events(session, *agent)?;
        if index < pairs {
            let (member, member_session) = &sessions[index + pairs];
            tasks.spawn(conferences(
                (*agent, session.clone(), stream),
                (*member, member_session.clone()),
                received.clone(),
                stats.clone(),
                until,
            ));
        } else {
            tasks.spawn(drain(stream, received.clone(), stats.clone(), until));
        }
    }
    if let Some((agent, session)) = &inspector {
        tasks.spawn(inspect(session.clone(), *agent, stats.clone(), until));
    }
    while tasks.join_next().await.is_some() {}
    let elapsed = run_started.elapsed().as_secs_f64();

    for (agent, session) in sessions.iter().chain(inspector.iter()) {
        let started = Instant::now();
        let outcome = session
            .sign_out::<Logout>(
                &LogoutPath {
                    agentid: id(*agent)?,
                },
                &(),
            )
            .await;
        stats.lock().await.record("logout", started, &outcome);
    }

    let stats = stats.lock().await;
    report(
        &stats,
        elapsed,
        received.load(Ordering::Relaxed),
        args.agents,
    );
    let errors: u64 = stats.operations.values().map(|o| o.errors).sum();
    if errors > 0 {
        return Err(format!("{errors} error(s)"));
    }
    Ok(())
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    // Nearest rank.
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

fn report(stats: &Stats, elapsed: f64, events: u64, agents: u32) {
    println!(
        "{:<28} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "operation", "count", "per s", "p50 ms", "p99 ms", "errors"
    );
    let mut total = 0usize;
    for (name, operation) in &stats.operations {
        let mut micros = operation.micros.clone();
        micros.sort_unstable();
        total += micros.len();
        println!(
            "{:<28} {:>9} {:>9.1} {:>9.2} {:>9.2} {:>7}",
            name,
            micros.len(),
            micros.len() as f64 / elapsed,
            percentile(&micros, 50.0),
            percentile(&micros, 99.0),
            operation.errors
        );
        if let Some(error) = &operation.first_error {
            println!("    first error: {error}");
        }
    }
    println!(
        "total: {total} calls in {elapsed:.1} s ({:.1}/s); {events} events to {agents} long-polling agents",
        total as f64 / elapsed
    );
}
