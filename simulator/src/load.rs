//! `agentgateway-sim load`: drives one gateway, or several instances of one gateway, with many
//! agents for a bounded time and prints what it measured.
//!
//! Agents `first..first+agents` (password `pw<id>`, as `scripts/load` writes its data set) sign
//! in and each long-polls its events; agent number `i` (counting from 0) makes all of its calls
//! through the `i % n`-th of the `n` gateways given, each with its own client. Pairs of agents
//! run conferences (request, wait for `AgentConf_RequestSuccess`, invite the partner, the
//! partner answers, query, release); with several gateways each pair's chairperson and member
//! use different gateways, so the conference's events cross instances. An inspector (on the
//! first gateway) queries conferences in a loop. At the end every agent signs out.
//!
//! The report gives requests per second, p50/p99 latency per operation, errors, events received
//! per second, and the delivery latency of the events the tool's own calls cause: from the
//! moment the causing call's HTTP answer reached this client to the moment the event came out
//! of the receiving agent's event stream (its long poll answered with it), both read from this
//! process's monotonic clock. Each agent's stream is read by a task of its own all along, so
//! an event's arrival is not delayed by what the agent does meanwhile; the gateway's polling
//! protocol (one event per poll, the client pausing between polls) is part of the latency.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use agentgateway::agentconf::{
    AgentconfClient, BatchAddParticipantRequest, QueryConfInfosRequest, RequestAgentConfRequest,
};
use agentgateway::agentevent::{GetAgentEvent, GetAgentEventPath};
use agentgateway::onlineagent::{Login, LoginPath, LoginRequest, Logout, LogoutPath};
use agentgateway::{AddressType, AgentId, Event, InvitedParticipant, ParticipantChangeType};
use gatespec::EventCatalogue as _;
use gatespec::client::{Client, EventStream, EventStreamOptions, Session, StreamExt as _};
use tokio::sync::{Mutex, mpsc, oneshot, watch};

pub(crate) struct LoadArgs {
    pub(crate) gateways: Vec<String>,
    pub(crate) agents: u32,
    pub(crate) first: u32,
    pub(crate) inspector: Option<u32>,
    pub(crate) duration: Duration,
    pub(crate) pairs: u32,
    /// A fixed pause between an agent's polls instead of the protocol's 200-500 ms.
    pub(crate) repoll: Option<Duration>,
}

/// How long a chairperson waits for its conference's set-up event.
const SET_UP_WAIT: Duration = Duration::from_secs(10);
/// How long a pair waits, before its first conference, for both agents' sign-in state events
/// (so that those are not taken for the state events its conferences cause).
const SETTLE_WAIT: Duration = Duration::from_secs(3);
/// How long the streams are read on after the last call, for the events still due.
const DUE_WAIT: Duration = Duration::from_secs(5);

/// Latencies of one operation, and its failures.
#[derive(Default)]
struct Operation {
    micros: Vec<u64>,
    errors: u64,
    first_error: Option<String>,
}

impl Operation {
    fn push(&mut self, elapsed: Duration) {
        self.micros
            .push(u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX));
    }

    fn error(&mut self, message: String) {
        self.errors += 1;
        self.first_error.get_or_insert(message);
    }
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
            Ok(_) => operation.push(started.elapsed()),
            Err(e) => operation.error(crate::chain(e)),
        }
    }

    fn error(&mut self, name: &'static str, message: String) {
        self.operations.entry(name).or_default().error(message);
    }
}

type Shared = Arc<Mutex<Stats>>;

/// An event the tool causes and waits to see delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Delivery {
    /// requestagentconf answered (chair) → `AgentConf_RequestSuccess` at the chair.
    RequestSuccess,
    /// answeragentconf answered (member) → `AgentConf_ParticipantChanged` (joined) at the chair.
    MemberJoined,
    /// releaseagentconf answered (chair) → `AgentState_Ready` at the member.
    ReadyMember,
    /// releaseagentconf answered (chair) → `AgentState_Ready` at the chair.
    ReadyChair,
}

impl Delivery {
    fn name(self) -> &'static str {
        match self {
            Self::RequestSuccess => "event: request success",
            Self::MemberJoined => "event: member joined",
            Self::ReadyMember => "event: ready (member)",
            Self::ReadyChair => "event: ready (chair)",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Self::RequestSuccess => {
                "requestagentconf answered -> AgentConf_RequestSuccess at the chair"
            }
            Self::MemberJoined => {
                "member's answeragentconf answered -> AgentConf_ParticipantChanged (joined) at the chair"
            }
            Self::ReadyMember => "releaseagentconf answered -> AgentState_Ready at the member",
            Self::ReadyChair => "releaseagentconf answered -> AgentState_Ready at the chair",
        }
    }

    /// What an arriving event is matched on.
    fn kind(self) -> Kind {
        match self {
            Self::RequestSuccess => Kind::RequestSuccess,
            Self::MemberJoined => Kind::Joined,
            Self::ReadyMember | Self::ReadyChair => Kind::Ready,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    RequestSuccess,
    Joined,
    Ready,
}

impl Kind {
    fn of(event: &Event) -> Option<Self> {
        match event {
            Event::AgentConfRequestSuccess { .. } => Some(Self::RequestSuccess),
            Event::AgentConfParticipantChanged { content, .. }
                if content.change_type == ParticipantChangeType::Joined =>
            {
                Some(Self::Joined)
            }
            Event::AgentStateReady { .. } => Some(Self::Ready),
            _ => None,
        }
    }
}

/// An expected event: registered before the causing call is sent, so it cannot arrive unseen.
struct Due {
    delivery: Delivery,
    crosses: bool,
    answered: Option<Instant>,
    arrived: Option<Instant>,
}

/// The events due and the delivery latencies measured.
#[derive(Default)]
struct Deliveries {
    /// Per agent and kind, in the order of the calls that cause them (an agent's events come
    /// in the order they were queued, so the first to arrive belongs to the oldest call).
    due: HashMap<(u32, Kind), VecDeque<Due>>,
    measured: BTreeMap<Delivery, Operation>,
    crossing: Vec<u64>,
    all: Vec<u64>,
    /// Events that arrived before their call's answer did (measured as 0).
    early: u64,
}

impl Deliveries {
    /// `agent` is to get `delivery`'s event once the call about to be sent answers.
    fn expect(&mut self, agent: u32, delivery: Delivery, crosses: bool) {
        self.due
            .entry((agent, delivery.kind()))
            .or_default()
            .push_back(Due {
                delivery,
                crosses,
                answered: None,
                arrived: None,
            });
    }

    /// The call answered at `at` (the latest expected for `agent` and `kind`).
    fn answered(&mut self, agent: u32, kind: Kind, at: Instant) {
        let Some(queue) = self.due.get_mut(&(agent, kind)) else {
            return;
        };
        let Some(due) = queue.back_mut() else { return };
        match due.arrived {
            Some(arrived) => {
                if arrived < at {
                    self.early += 1;
                }
                let (delivery, crosses) = (due.delivery, due.crosses);
                queue.pop_back();
                self.measure(delivery, crosses, arrived.saturating_duration_since(at));
            }
            None => due.answered = Some(at),
        }
    }

    /// The call failed: its event is not due.
    fn cancel(&mut self, agent: u32, kind: Kind) {
        if let Some(queue) = self.due.get_mut(&(agent, kind))
            && queue.back().is_some_and(|due| due.answered.is_none())
        {
            queue.pop_back();
        }
    }

    /// `event` came out of `agent`'s stream at `at`.
    fn arrived(&mut self, agent: u32, event: &Event, at: Instant) {
        let Some(kind) = Kind::of(event) else { return };
        let Some(queue) = self.due.get_mut(&(agent, kind)) else {
            return;
        };
        let Some(index) = queue.iter().position(|due| due.arrived.is_none()) else {
            return;
        };
        let due = &mut queue[index];
        match due.answered {
            Some(answered) => {
                let (delivery, crosses) = (due.delivery, due.crosses);
                queue.remove(index);
                self.measure(delivery, crosses, at.saturating_duration_since(answered));
            }
            None => due.arrived = Some(at),
        }
    }

    fn measure(&mut self, delivery: Delivery, crosses: bool, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.measured
            .entry(delivery)
            .or_default()
            .micros
            .push(micros);
        self.all.push(micros);
        if crosses {
            self.crossing.push(micros);
        }
    }

    /// Events whose call answered and that have not arrived yet.
    fn outstanding(&self) -> usize {
        self.due
            .values()
            .flatten()
            .filter(|due| due.answered.is_some())
            .count()
    }

    /// Counts what never arrived as errors.
    fn finish(&mut self) {
        for ((agent, _), queue) in std::mem::take(&mut self.due) {
            for due in queue {
                if let Some(answered) = due.answered {
                    self.measured
                        .entry(due.delivery)
                        .or_default()
                        .error(format!(
                            "agent {agent} got no {} within {:.1} s",
                            due.delivery.what(),
                            answered.elapsed().as_secs_f64()
                        ));
                }
            }
        }
    }
}

type Tracker = Arc<std::sync::Mutex<Deliveries>>;

fn track(tracker: &Tracker) -> std::sync::MutexGuard<'_, Deliveries> {
    tracker
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

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
    repoll: Option<Duration>,
) -> Result<EventStream<Event, agentgateway::ErrorCode>, String> {
    let mut options = EventStreamOptions::default();
    if let Some(pause) = repoll {
        options = options.repoll_delay(pause, pause);
    }
    Ok(session.events_with::<GetAgentEvent, Event>(
        GetAgentEventPath {
            agentid: id(agent)?,
            calldata: None,
        },
        options,
    ))
}

/// What a drain hands on besides counting.
struct Drain {
    agent: u32,
    /// Where a chairperson's task waits for its set-up events.
    set_up: Option<mpsc::UnboundedSender<Event>>,
    /// Told once the sign-in's state event has come.
    settled: Option<oneshot::Sender<()>>,
}

/// Reads an agent's events until told to stop, counting them and noting their arrival.
async fn drain(
    mut stream: EventStream<Event, agentgateway::ErrorCode>,
    mut to: Drain,
    received: Arc<AtomicU64>,
    tracker: Tracker,
    stats: Shared,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let item = tokio::select! {
            item = stream.next() => item,
            _ = stop.wait_for(|stop| *stop) => break,
        };
        let event = match item {
            Some(Ok(event)) => event,
            Some(Err(e)) => {
                stats.lock().await.error("events", crate::chain(&e));
                continue;
            }
            None => break,
        };
        let at = Instant::now();
        received.fetch_add(1, Ordering::Relaxed);
        track(&tracker).arrived(to.agent, &event, at);
        if event.event_type().starts_with("AgentState_")
            && let Some(settled) = to.settled.take()
        {
            let _ = settled.send(());
        }
        if matches!(
            event,
            Event::AgentConfRequestSuccess { .. } | Event::AgentConfRequestFailed { .. }
        ) && let Some(set_up) = &to.set_up
        {
            let _ = set_up.send(event);
        }
    }
}

/// One pair of agents.
struct Pair {
    chair: (u32, Session),
    member: (u32, Session),
    /// Whether the two use different gateways.
    crosses: bool,
    set_up: mpsc::UnboundedReceiver<Event>,
    settled: [oneshot::Receiver<()>; 2],
}

/// One pair's conferences, back to back until the run ends.
async fn conferences(pair: Pair, tracker: Tracker, stats: Shared, until: Instant) {
    let Pair {
        chair: (chair_id, chair_session),
        member: (member_id, member_session),
        crosses,
        mut set_up,
        settled,
    } = pair;
    let (Ok(chair_agent), Ok(member_agent)) = (id(chair_id), id(member_id)) else {
        return;
    };
    let [chair_settled, member_settled] = settled;
    let _ = tokio::time::timeout(SETTLE_WAIT, async {
        let _ = chair_settled.await;
        let _ = member_settled.await;
    })
    .await;
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
        // Set-up events of an earlier conference that were given up on.
        while set_up.try_recv().is_ok() {}
        track(&tracker).expect(chair_id, Delivery::RequestSuccess, false);
        let started = Instant::now();
        let outcome = chair
            .request_agent_conf(chair_agent.clone(), &request)
            .await;
        let answered = Instant::now();
        stats
            .lock()
            .await
            .record("requestagentconf", started, &outcome);
        if outcome.is_err() {
            track(&tracker).cancel(chair_id, Kind::RequestSuccess);
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        track(&tracker).answered(chair_id, Kind::RequestSuccess, answered);
        // The chair's operations wait for the set-up event.
        let conf_id = match tokio::time::timeout(SET_UP_WAIT, set_up.recv()).await {
            Ok(Some(Event::AgentConfRequestSuccess { content, .. })) => {
                content.get("confId").and_then(serde_json::Value::as_i64)
            }
            Ok(Some(other)) => {
                track(&tracker).cancel(chair_id, Kind::RequestSuccess);
                stats.lock().await.error(
                    Delivery::RequestSuccess.name(),
                    format!("got {}", other.event_type()),
                );
                None
            }
            // The tracker counts it as not delivered.
            Ok(None) | Err(_) => None,
        };
        let started = Instant::now();
        let outcome = chair
            .batch_add_participant(chair_agent.clone(), &invite)
            .await;
        stats
            .lock()
            .await
            .record("batchaddparticipant", started, &outcome);
        track(&tracker).expect(chair_id, Delivery::MemberJoined, crosses);
        let started = Instant::now();
        let outcome = member.answer_agent_conf(member_agent.clone()).await;
        let answered = Instant::now();
        stats
            .lock()
            .await
            .record("answeragentconf", started, &outcome);
        let joined = outcome.is_ok();
        if joined {
            track(&tracker).answered(chair_id, Kind::Joined, answered);
        } else {
            track(&tracker).cancel(chair_id, Kind::Joined);
        }
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
        {
            let mut tracker = track(&tracker);
            tracker.expect(chair_id, Delivery::ReadyChair, false);
            if joined {
                tracker.expect(member_id, Delivery::ReadyMember, crosses);
            }
        }
        let started = Instant::now();
        let outcome = chair.release_agent_conf(chair_agent.clone()).await;
        let answered = Instant::now();
        stats
            .lock()
            .await
            .record("releaseagentconf", started, &outcome);
        let mut tracker = track(&tracker);
        for agent in [chair_id, member_id] {
            if outcome.is_ok() {
                tracker.answered(agent, Kind::Ready, answered);
            } else {
                tracker.cancel(agent, Kind::Ready);
            }
        }
    }
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

/// The member of the `chair`-th of `pairs` pairs over `gateways` gateways: agent `chair + pairs`,
/// shifted by one when that would put both on one gateway, so that every pair crosses gateways
/// when there are several.
fn member_of(chair: usize, pairs: usize, gateways: usize) -> usize {
    if gateways > 1 && pairs.is_multiple_of(gateways) {
        pairs + (chair + 1) % pairs
    } else {
        pairs + chair
    }
}

pub(crate) async fn load(args: LoadArgs) -> Result<(), String> {
    if args.gateways.is_empty() {
        return Err("give at least one --gateway".to_owned());
    }
    let clients = args
        .gateways
        .iter()
        .map(|gateway| crate::client(gateway, Duration::from_secs(30), None, false))
        .collect::<Result<Vec<_>, _>>()?;
    let stats: Shared = Arc::default();
    let tracker: Tracker = Arc::default();
    let received = Arc::new(AtomicU64::new(0));

    let started = Instant::now();
    let mut sessions = Vec::new();
    for (index, agent) in (args.first..args.first + args.agents).enumerate() {
        let gateway = index % clients.len();
        sessions.push((agent, sign_in(&clients[gateway], agent).await?, gateway));
    }
    let inspector = match args.inspector {
        Some(agent) => Some((agent, sign_in(&clients[0], agent).await?)),
        None => None,
    };
    if clients.len() == 1 {
        eprintln!(
            "load: {} agents signed in through one client in {:.1} s",
            sessions.len(),
            started.elapsed().as_secs_f64()
        );
    } else {
        eprintln!(
            "load: {} agents signed in through {} gateways (agent number i on gateway i % {}, one client each: {}) in {:.1} s",
            sessions.len(),
            clients.len(),
            clients.len(),
            args.gateways.join(", "),
            started.elapsed().as_secs_f64()
        );
    }

    let run_started = Instant::now();
    let until = run_started + args.duration;
    let pairs = usize::try_from(args.pairs)
        .unwrap_or(0)
        .min(sessions.len() / 2);
    let (stop, stopped) = watch::channel(false);
    let mut drains = tokio::task::JoinSet::new();
    let mut settled: Vec<Option<oneshot::Receiver<()>>> = Vec::new();
    let mut set_ups: Vec<Option<mpsc::UnboundedReceiver<Event>>> = Vec::new();
    for (index, (agent, session, _)) in sessions.iter().enumerate() {
        let (settled_tx, settled_rx) = oneshot::channel();
        settled.push(Some(settled_rx));
        let set_up = if index < pairs {
            let (tx, rx) = mpsc::unbounded_channel();
            set_ups.push(Some(rx));
            Some(tx)
        } else {
            None
        };
        drains.spawn(drain(
            events(session, *agent, args.repoll)?,
            Drain {
                agent: *agent,
                set_up,
                settled: Some(settled_tx),
            },
            received.clone(),
            tracker.clone(),
            stats.clone(),
            stopped.clone(),
        ));
    }
    let mut tasks = tokio::task::JoinSet::new();
    let mut crossing_pairs = 0;
    for chair in 0..pairs {
        let member = member_of(chair, pairs, clients.len());
        let (chair_agent, chair_session, chair_gateway) = &sessions[chair];
        let (member_agent, member_session, member_gateway) = &sessions[member];
        let crosses = chair_gateway != member_gateway;
        crossing_pairs += usize::from(crosses);
        let (Some(set_up), Some(chair_settled), Some(member_settled)) = (
            set_ups[chair].take(),
            settled[chair].take(),
            settled[member].take(),
        ) else {
            return Err("a pair was formed twice".to_owned());
        };
        tasks.spawn(conferences(
            Pair {
                chair: (*chair_agent, chair_session.clone()),
                member: (*member_agent, member_session.clone()),
                crosses,
                set_up,
                settled: [chair_settled, member_settled],
            },
            tracker.clone(),
            stats.clone(),
            until,
        ));
    }
    if let Some((agent, session)) = &inspector {
        tasks.spawn(inspect(session.clone(), *agent, stats.clone(), until));
    }
    tokio::time::sleep_until(until.into()).await;
    while tasks.join_next().await.is_some() {}
    let elapsed = run_started.elapsed().as_secs_f64();
    // The events still due get a while to arrive.
    let grace = Instant::now() + DUE_WAIT;
    while Instant::now() < grace && track(&tracker).outstanding() > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop.send(true);
    while drains.join_next().await.is_some() {}
    let events_elapsed = run_started.elapsed().as_secs_f64();

    for (agent, session) in sessions
        .iter()
        .map(|(agent, session, _)| (agent, session))
        .chain(inspector.iter().map(|(agent, session)| (agent, session)))
    {
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
    let mut deliveries = std::mem::take(&mut *track(&tracker));
    deliveries.finish();
    report(
        &stats,
        &deliveries,
        Run {
            elapsed,
            events_elapsed,
            events: received.load(Ordering::Relaxed),
            agents: args.agents,
            gateways: clients.len(),
            crossing_pairs,
            pairs,
        },
    );
    let errors: u64 = stats
        .operations
        .values()
        .chain(deliveries.measured.values())
        .map(|o| o.errors)
        .sum();
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

/// The run's totals.
struct Run {
    /// Seconds from the start to the end of the last call.
    elapsed: f64,
    /// Seconds from the start until the streams stopped being read.
    events_elapsed: f64,
    events: u64,
    agents: u32,
    gateways: usize,
    crossing_pairs: usize,
    pairs: usize,
}

fn row(name: &str, operation: &Operation, elapsed: f64) -> usize {
    let mut micros = operation.micros.clone();
    micros.sort_unstable();
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
    micros.len()
}

fn report(stats: &Stats, deliveries: &Deliveries, run: Run) {
    let elapsed = run.elapsed;
    println!(
        "{:<28} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "operation", "count", "per s", "p50 ms", "p99 ms", "errors"
    );
    let mut total = 0usize;
    for (name, operation) in &stats.operations {
        total += row(name, operation, elapsed);
    }
    for (delivery, operation) in &deliveries.measured {
        row(delivery.name(), operation, elapsed);
    }
    println!(
        "total: {total} calls in {elapsed:.1} s ({:.1}/s); {} events to {} long-polling agents",
        total as f64 / elapsed,
        run.events,
        run.agents
    );
    println!(
        "events: {} received in {:.1} s ({:.1}/s) over {} gateway(s); {} of {} conference pairs cross gateways",
        run.events,
        run.events_elapsed,
        run.events as f64 / run.events_elapsed,
        run.gateways,
        run.crossing_pairs,
        run.pairs
    );
    let sorted = |micros: &[u64]| {
        let mut micros = micros.to_vec();
        micros.sort_unstable();
        micros
    };
    let all = sorted(&deliveries.all);
    let crossing = sorted(&deliveries.crossing);
    println!(
        "event delivery: {} measured, p50 {:.2} ms, p99 {:.2} ms; crossing gateways: {} measured, p50 {:.2} ms, p99 {:.2} ms; {} arrived before their call's answer (counted as 0)",
        all.len(),
        percentile(&all, 50.0),
        percentile(&all, 99.0),
        crossing.len(),
        percentile(&crossing, 50.0),
        percentile(&crossing, 99.0),
        deliveries.early
    );
    println!(
        "event rows: from the causing call's HTTP answer at this client to the event coming out of the receiving agent's long poll (the pauses between polls included):"
    );
    for delivery in deliveries.measured.keys() {
        println!("    {}: {}", delivery.name(), delivery.what());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_cross_gateways_when_there_are_several() {
        for gateways in 1..=4 {
            for pairs in 1..=12 {
                let members: Vec<_> = (0..pairs)
                    .map(|chair| member_of(chair, pairs, gateways))
                    .collect();
                let mut distinct = members.clone();
                distinct.sort_unstable();
                distinct.dedup();
                assert_eq!(distinct.len(), pairs, "{pairs} pairs, {gateways} gateways");
                for (chair, member) in members.into_iter().enumerate() {
                    assert!((pairs..2 * pairs).contains(&member));
                    if gateways > 1 {
                        assert_ne!(chair % gateways, member % gateways);
                    } else {
                        assert_eq!(member, chair + pairs);
                    }
                }
            }
        }
    }

    #[test]
    fn an_event_is_measured_from_its_calls_answer_whichever_comes_first() {
        let mut deliveries = Deliveries::default();
        let sent = Instant::now();
        let answered = sent + Duration::from_millis(5);
        let ready = Event::AgentStateReady {
            agent: "1002".to_owned(),
        };
        deliveries.expect(1002, Delivery::ReadyMember, true);
        deliveries.arrived(1002, &ready, answered + Duration::from_millis(40));
        deliveries.answered(1002, Kind::Ready, answered);
        deliveries.expect(1001, Delivery::ReadyChair, false);
        deliveries.answered(1001, Kind::Ready, answered);
        // Not due: ignored.
        deliveries.arrived(1003, &ready, answered);
        deliveries.arrived(1001, &ready, answered + Duration::from_millis(7));
        assert_eq!(deliveries.all, vec![40_000, 7_000]);
        assert_eq!(deliveries.crossing, vec![40_000]);
        assert_eq!(deliveries.early, 0);
        deliveries.expect(1001, Delivery::ReadyChair, false);
        deliveries.arrived(1001, &ready, sent);
        deliveries.answered(1001, Kind::Ready, answered);
        assert_eq!(deliveries.early, 1);
        assert_eq!(deliveries.all.last(), Some(&0));
        // Two releases before the first event arrives: the events go to the calls in order.
        deliveries.expect(1002, Delivery::ReadyMember, true);
        deliveries.answered(1002, Kind::Ready, answered);
        deliveries.expect(1002, Delivery::ReadyMember, true);
        deliveries.answered(1002, Kind::Ready, answered + Duration::from_millis(2));
        deliveries.arrived(1002, &ready, answered + Duration::from_millis(3));
        deliveries.arrived(1002, &ready, answered + Duration::from_millis(4));
        assert_eq!(deliveries.all[3..], [3_000, 2_000]);
        // A failed call is not waited for.
        deliveries.expect(1002, Delivery::ReadyMember, true);
        deliveries.cancel(1002, Kind::Ready);
        deliveries.expect(1001, Delivery::RequestSuccess, false);
        deliveries.answered(1001, Kind::RequestSuccess, answered);
        assert_eq!(deliveries.outstanding(), 1);
        deliveries.finish();
        assert_eq!(deliveries.measured[&Delivery::RequestSuccess].errors, 1);
        assert_eq!(deliveries.measured[&Delivery::ReadyMember].errors, 0);
    }
}
