//! Two simulators on one Redis, over HTTP, act as one gateway (`agentgateway-sim serve --store
//! redis://...`): a session signed in on instance A works on B, an operation on A answers a
//! poll held on B at once, a sign-out on B refuses the Guid on A, idle sign-out and Guid
//! renewal hold across instances, killing A mid-poll leaves the client's event stream going on
//! through B behind a failover balancer, and a Redis restart gives 100-007 (operation failed),
//! then recovery with the sessions kept.
//!
//! Each instance runs on a Tokio runtime of its own in a thread of its own, so killing it ends
//! every task and connection it had, as killing the process would.

#[path = "harness/redis_server.rs"]
mod redis_server;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use agentgateway::agentconf::{
    AgentconfClient, BatchAddParticipantRequest, RequestAgentConfRequest,
};
use agentgateway::agentevent::{AgenteventClient, GetAgentEvent, GetAgentEventPath};
use agentgateway::onlineagent::{Login, LoginPath, LoginRequest, OnlineagentClient};
use agentgateway::{
    AddressType, AgentId, AgentState, ErrorCode, Event, InvitedParticipant, ParticipantChangeType,
    SignInStatus,
};
use agentgateway_sim::{DataSet, Options, Simulator, Store};
use gatespec::EventCatalogue as _;
use gatespec::client::{
    Client, ClientError, EventStream, EventStreamOptions, Session, StreamExt as _,
};
use redis_server::RedisServer;
use tokio::net::{TcpListener, TcpStream};

const DATA: &str = r#"
agents:
  - {id: "1001", role: agent, vdn: 1, password: pw1001}
  - {id: "1002", role: agent, vdn: 1, password: pw1002}
  - {id: "1003", role: agent, vdn: 1, password: pw1003}
"#;

/// Generous for one event on loopback: nothing waits this long unless something is wrong.
const WAIT: Duration = Duration::from_secs(8);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn id(agent: &str) -> AgentId {
    agent.parse().unwrap()
}

/// One simulator process: its own runtime on its own thread, serving until killed.
struct Instance {
    base: String,
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Instance {
    fn start(redis: &RedisServer, prefix: &str, options: Options) -> Self {
        let store = Store::Redis {
            url: redis.url(),
            prefix: prefix.to_owned(),
        };
        let (ready, started) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let data = DataSet::from_yaml(DATA).unwrap();
                let sim = Simulator::with_store(data, options, &store).await.unwrap();
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                ready.send(listener.local_addr().unwrap()).unwrap();
                tokio::select! {
                    _ = agentgateway_sim::serve(listener, agentgateway_sim::app(sim)) => {}
                    _ = stopped => {}
                }
            });
            // Every task of the instance ends here: its connections close mid-request.
            runtime.shutdown_background();
        });
        let addr = started.recv().expect("the instance started");
        Self {
            base: format!("http://{addr}"),
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn client(&self) -> Client {
        Client::builder(&self.base).build().unwrap()
    }

    /// `session`'s Guid, used through this instance.
    fn resume(&self, session: &Session) -> Session {
        Session::resume(&self.client(), session.session_id().unwrap())
    }

    fn kill(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A failover TCP balancer: each connection goes to the first backend that accepts it.
async fn balancer(backends: Vec<SocketAddr>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else {
                return;
            };
            let backends = backends.clone();
            tokio::spawn(async move {
                for backend in backends {
                    if let Ok(mut outbound) = TcpStream::connect(backend).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        return;
                    }
                }
            });
        }
    });
    base
}

async fn sign_in(client: &Client, who: &str) -> Session {
    let login = LoginRequest::new(format!("pw{who}"), "40038".to_owned());
    Session::sign_in::<Login>(client, &LoginPath { agentid: id(who) }, &login)
        .await
        .unwrap()
        .0
}

fn stream_options() -> EventStreamOptions {
    EventStreamOptions::default()
        .request_timeout(Duration::from_secs(12))
        .repoll_delay(ms(5), ms(20))
        .backoff(ms(50), ms(200))
}

fn events(session: &Session, who: &str) -> EventStream<Event, ErrorCode> {
    session.events_with::<GetAgentEvent, Event>(
        GetAgentEventPath {
            agentid: id(who),
            calldata: None,
        },
        stream_options(),
    )
}

/// Takes events until one matches (within [`WAIT`]); transport failures in between are the
/// stream's to retry.
async fn until(
    stream: &mut EventStream<Event, ErrorCode>,
    wanted: impl Fn(&Event) -> bool,
) -> Event {
    stream
        .wait_for(WAIT, wanted)
        .await
        .expect("the awaited event")
}

fn retcode<T: std::fmt::Debug>(outcome: Result<T, ClientError<ErrorCode>>) -> String {
    match outcome {
        Err(ClientError::Gateway(e)) => e.retcode().to_owned(),
        other => panic!("expected a gateway failure, got {other:?}"),
    }
}

fn request() -> RequestAgentConfRequest {
    RequestAgentConfRequest {
        member_num: 3,
        conf_caller_no: None,
        time: Some(60),
        prompt_time: None,
        beep_tone: None,
        play_mode: None,
        voice_path: None,
    }
}

fn invite(agent: &str) -> BatchAddParticipantRequest {
    BatchAddParticipantRequest {
        addresses: vec![InvitedParticipant {
            address_type: AddressType::AgentId,
            address: agent.to_owned(),
            device_call_type: None,
            device_type: None,
        }],
        beep_tone: None,
        caller: None,
        play_mode: None,
        voice_path: None,
    }
}

fn options() -> Options {
    Options {
        hold: Duration::from_secs(5),
        ..Options::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_signed_in_on_a_calls_and_polls_on_b_and_an_operation_on_a_answers_bs_held_poll()
{
    let redis = RedisServer::start();
    let a = Instance::start(&redis, "one", options());
    let b = Instance::start(&redis, "one", options());

    let on_a = sign_in(&a.client(), "1001").await;
    let on_b = b.resume(&on_a);
    let status = OnlineagentClient::new(on_b.clone())
        .get_agent_status(id("1001"))
        .await
        .expect("the Guid from A works on B");
    assert!(!status.is_working);
    // A second sign-in of the agent is refused on either instance.
    let again = LoginRequest::new("pw1001".to_owned(), "40038".to_owned());
    let refused = Session::sign_in::<Login>(
        &b.client(),
        &LoginPath {
            agentid: id("1001"),
        },
        &again,
    )
    .await;
    assert_eq!(retcode(refused.map(|(_, r)| r)), "100-002");

    // The sign-in's events, polled on B.
    let mut stream = events(&on_b, "1001");
    until(&mut stream, |e| matches!(e, Event::AgentStateReady { .. })).await;

    // A poll held on B is answered by an operation on A as soon as it is done: within 1 s,
    // where the Redis store's wait slice is 3 s and the hold 5 s, so the wake-up, not a later
    // look, delivered it (four times).
    let chair = AgentconfClient::new(on_a.clone());
    let mut conf_id = None;
    for round in 0..2 {
        for operation in ["request", "release"] {
            let waiting = tokio::spawn(async move {
                let event = until(&mut stream, |e| {
                    matches!(
                        e,
                        Event::AgentConfRequestSuccess { .. } | Event::AgentStateReady { .. }
                    )
                })
                .await;
                (event, Instant::now(), stream)
            });
            tokio::time::sleep(ms(300)).await;
            let sent = Instant::now();
            if operation == "request" {
                chair
                    .request_agent_conf(id("1001"), &request())
                    .await
                    .unwrap();
            } else {
                chair.release_agent_conf(id("1001")).await.unwrap();
            }
            let (event, received, back) = waiting.await.unwrap();
            stream = back;
            let took = received.saturating_duration_since(sent);
            assert!(
                took < ms(1000),
                "round {round}, {operation}: answered after {took:?}"
            );
            if let Event::AgentConfRequestSuccess { content, .. } = &event {
                conf_id = content["confId"].as_i64();
            }
            let expected = if operation == "request" {
                "AgentConf_RequestSuccess"
            } else {
                "AgentState_Ready"
            };
            assert_eq!(event.event_type(), expected);
            assert_eq!(event.agent(), "1001");
        }
    }

    // The conference made on A is the one B answers about.
    chair
        .request_agent_conf(id("1001"), &request())
        .await
        .unwrap();
    let conf_id = conf_id.expect("the event names the conference");
    let infos = AgentconfClient::new(on_b)
        .query_conf_infos(
            id("1001"),
            &agentgateway::agentconf::QueryConfInfosRequest {
                conf_ids: vec![conf_id, conf_id + 1],
            },
        )
        .await
        .expect("query on B");
    assert_eq!(
        infos.confs.len(),
        1,
        "the last request's conference: {infos:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_out_on_b_refuses_the_guid_on_a_and_ends_as_held_poll() {
    let redis = RedisServer::start();
    let a = Instance::start(&redis, "one", options());
    let b = Instance::start(&redis, "one", options());

    let on_a = sign_in(&a.client(), "1002").await;
    let poll = {
        let on_a = on_a.clone();
        tokio::spawn(async move {
            let events = AgenteventClient::new(on_a);
            // The sign-in's two events, then a poll that holds.
            for _ in 0..2 {
                events.get_agent_event(id("1002"), None).await.unwrap();
            }
            let started = Instant::now();
            (
                events.get_agent_event(id("1002"), None).await,
                started.elapsed(),
            )
        })
    };
    tokio::time::sleep(ms(500)).await;
    OnlineagentClient::new(b.resume(&on_a))
        .logout(id("1002"))
        .await
        .expect("sign-out on B");
    let (held, waited) = poll.await.unwrap();
    assert_eq!(retcode(held), "100-006", "the held poll on A ends");
    assert!(
        waited < ms(1500),
        "ended by the sign-out at once (not by the 3 s wait slice or the 5 s hold): {waited:?}"
    );
    let status = OnlineagentClient::new(on_a)
        .get_agent_status(id("1002"))
        .await;
    assert_eq!(retcode(status), "000-003", "the Guid is refused on A");
    // And the agent may sign in again, on A.
    sign_in(&a.client(), "1002").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sign_out_and_guid_renewal_hold_across_instances() {
    let redis = RedisServer::start();
    let timers = Options {
        hold: ms(200),
        idle_timeout: ms(2000),
        renewal_interval: Some(ms(500)),
        old_guid_validity: ms(3000),
        ..Options::default()
    };
    let a = Instance::start(&redis, "one", timers);
    let b = Instance::start(&redis, "one", timers);

    // Idle: signed in on A, never polled; B refuses the Guid and lets the agent sign in again,
    // with the new sign-in's state (not the ended session's).
    let idle = sign_in(&a.client(), "1003").await;
    tokio::time::sleep(ms(3000)).await;
    let status = OnlineagentClient::new(b.resume(&idle))
        .get_agent_status(id("1003"))
        .await;
    assert_eq!(retcode(status), "000-003", "signed out for idleness");
    let mut busy = LoginRequest::new("pw1003".to_owned(), "40038".to_owned());
    busy.status = Some(SignInStatus::Busy);
    let (again, _) = Session::sign_in::<Login>(
        &b.client(),
        &LoginPath {
            agentid: id("1003"),
        },
        &busy,
    )
    .await
    .expect("signs in again");
    let status = OnlineagentClient::new(a.resume(&again))
        .get_agent_status(id("1003"))
        .await
        .expect("the new session on A");
    assert_eq!(status.agent_state, AgentState::Busy);

    // Renewal: a poll on A after the renewal interval hands out a new Guid, which B accepts;
    // the old one works on B until its validity ends.
    let on_a = sign_in(&a.client(), "1001").await;
    let first = on_a.session_id().unwrap();
    tokio::time::sleep(ms(600)).await;
    AgenteventClient::new(on_a.clone())
        .get_agent_event(id("1001"), None)
        .await
        .expect("poll on A");
    let renewed_at = Instant::now();
    let renewed = on_a.session_id().unwrap();
    assert_ne!(first, renewed, "the poll renewed the Guid");
    let b_client = b.client();
    let status = |guid: &str| {
        let session = Session::resume(&b_client, guid.to_owned());
        async move {
            OnlineagentClient::new(session)
                .get_agent_status(id("1001"))
                .await
        }
    };
    status(&renewed).await.expect("the renewed Guid on B");
    status(&first)
        .await
        .expect("the old Guid on B, still valid");
    // Polls on B keep the session alive (renewing its Guid on) while the first Guid's validity
    // runs out.
    let on_b = Session::resume(&b_client, renewed);
    let polls = AgenteventClient::new(on_b.clone());
    while renewed_at.elapsed() < ms(3300) {
        polls
            .get_agent_event(id("1001"), None)
            .await
            .expect("poll on B");
    }
    assert_eq!(
        retcode(status(&first).await),
        "000-003",
        "the old Guid expired"
    );
    let latest = on_b.session_id().unwrap();
    status(&latest).await.expect("the session lives on");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_instance_a_mid_poll_the_event_stream_goes_on_through_b() {
    let redis = RedisServer::start();
    let mut a = Instance::start(&redis, "one", options());
    let b = Instance::start(&redis, "one", options());
    let front = balancer(vec![a.addr, b.addr]).await;
    let through_front = Client::builder(&front).build().unwrap();

    // The chair behind the balancer (so on A while A lives), the member on B.
    let chair = sign_in(&through_front, "1001").await;
    let member = sign_in(&b.client(), "1002").await;
    let mut stream = events(&chair, "1001");
    AgentconfClient::new(chair.clone())
        .request_agent_conf(id("1001"), &request())
        .await
        .unwrap();
    until(&mut stream, |e| {
        matches!(e, Event::AgentConfRequestSuccess { .. })
    })
    .await;
    AgentconfClient::new(chair.clone())
        .batch_add_participant(id("1001"), &invite("1002"))
        .await
        .unwrap();

    // The chair's poll is held on A when A dies; the member answers on B.
    let joined = tokio::spawn(async move {
        let event = until(&mut stream, |e| {
            matches!(e, Event::AgentConfParticipantChanged { content, .. }
                if content.change_type == ParticipantChangeType::Joined)
        })
        .await;
        (event, stream)
    });
    tokio::time::sleep(ms(500)).await;
    a.kill();
    AgentconfClient::new(member)
        .answer_agent_conf(id("1002"))
        .await
        .expect("answer on B");
    let (event, _stream) = tokio::time::timeout(WAIT, joined)
        .await
        .expect("the stream went on through B")
        .unwrap();
    match event {
        Event::AgentConfParticipantChanged { agent, content } => {
            assert_eq!(agent, "1001");
            assert_eq!(content.participant, "1002");
        }
        other => panic!("unexpected {other:?}"),
    }
    // The chair's session works on through the balancer.
    OnlineagentClient::new(chair)
        .get_agent_status(id("1001"))
        .await
        .expect("the session lives on B");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_restart_answers_operation_failed_then_recovers_with_the_sessions() {
    let mut redis = RedisServer::start();
    let a = Instance::start(&redis, "one", options());
    let b = Instance::start(&redis, "one", options());
    let on_a = sign_in(&a.client(), "1001").await;
    let on_b = b.resume(&on_a);

    redis.stop();
    let status = OnlineagentClient::new(on_b.clone())
        .get_agent_status(id("1001"))
        .await;
    assert_eq!(
        retcode(status),
        "100-007",
        "operation failed, not signed out"
    );
    let login = LoginRequest::new("pw1002".to_owned(), "40038".to_owned());
    let refused = Session::sign_in::<Login>(
        &a.client(),
        &LoginPath {
            agentid: id("1002"),
        },
        &login,
    )
    .await;
    assert_eq!(retcode(refused.map(|(_, r)| r)), "100-007");
    let conf = AgentconfClient::new(on_a.clone())
        .request_agent_conf(id("1001"), &request())
        .await;
    assert_eq!(retcode(conf), "100-007", "no success without state");

    redis.run();
    // The connections come back by themselves; the session signed in before is still there.
    let deadline = Instant::now() + WAIT;
    loop {
        match OnlineagentClient::new(on_b.clone())
            .get_agent_status(id("1001"))
            .await
        {
            Ok(_) => break,
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(ms(100)).await;
            }
            Err(e) => panic!("no recovery: {e:?}"),
        }
    }
    AgentconfClient::new(on_a)
        .request_agent_conf(id("1001"), &request())
        .await
        .expect("requests work again");
    // Nothing the failed sign-in tried was kept: agent 1002 signs in normally.
    sign_in(&b.client(), "1002").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_unreachable_at_start_is_a_clear_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let store = Store::Redis {
        url: format!("redis://127.0.0.1:{port}"),
        prefix: "one".to_owned(),
    };
    let data = DataSet::from_yaml(DATA).unwrap();
    let error = Simulator::with_store(data, options(), &store)
        .await
        .expect_err("no Redis there");
    let message = error.to_string();
    assert!(message.contains("store failed"), "{message}");
    assert!(
        Store::parse("mongodb://x", "p").is_err()
            && Store::parse("memory", "p") == Ok(Store::Memory)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_failure_mid_operation_answers_operation_failed_and_keeps_nothing() {
    let redis = RedisServer::start();
    let a = Instance::start(&redis, "one", options());
    let b = Instance::start(&redis, "one", options());
    let chair = sign_in(&a.client(), "1001").await;
    // Sessions stay reachable; everything else of this gateway is refused by Redis's ACL.
    let sessions_only = [
        "ACL",
        "SETUSER",
        "default",
        "resetkeys",
        "~one:s:*",
        "~one:q:*",
        "~one:ids:*",
        "~one:id:*",
        "~one:agent:*",
        "~one:active:*",
    ];
    assert_eq!(redis.cli(&sessions_only), ["OK"]);

    // The session resolves, then storing the conference fails.
    let conf = AgentconfClient::new(chair.clone())
        .request_agent_conf(id("1001"), &request())
        .await;
    assert_eq!(retcode(conf), "100-007");
    // The live session is made, then storing the agent's state fails: the session is ended.
    let login = LoginRequest::new("pw1002".to_owned(), "40038".to_owned());
    let refused = Session::sign_in::<Login>(
        &b.client(),
        &LoginPath {
            agentid: id("1002"),
        },
        &login,
    )
    .await;
    assert_eq!(retcode(refused.map(|(_, r)| r)), "100-007");

    assert_eq!(redis.cli(&["ACL", "SETUSER", "default", "allkeys"]), ["OK"]);
    // Nothing half made stays: no conference (else 101-003), no session (else 100-002).
    AgentconfClient::new(b.resume(&chair))
        .request_agent_conf(id("1001"), &request())
        .await
        .expect("the failed request left no conference");
    sign_in(&a.client(), "1002").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_instances_never_both_win_and_a_conference_times_out_once() {
    let redis = RedisServer::start();
    let timers = Options {
        conference_limit: Some(1),
        conference_minute: Some(ms(150)),
        ..options()
    };
    let a = Instance::start(&redis, "one", timers);
    let b = Instance::start(&redis, "one", timers);
    let on_a = sign_in(&a.client(), "1001").await;
    let on_b = sign_in(&b.client(), "1002").await;
    let mut a_events = events(&on_a, "1001");
    let mut b_events = events(&on_b, "1002");
    for stream in [&mut a_events, &mut b_events] {
        until(stream, |e| matches!(e, Event::AgentStateReady { .. })).await;
    }
    let outcome = |e: &Event| {
        matches!(
            e,
            Event::AgentConfRequestSuccess { .. } | Event::AgentConfRequestFailed { .. }
        )
    };

    // The VDN runs one conference at most: of two requests at once on two instances, exactly
    // one is set up, whichever instance is faster.
    let four_minutes = RequestAgentConfRequest {
        time: Some(4),
        ..request()
    };
    let (chair_a, chair_b) = (
        AgentconfClient::new(on_a.clone()),
        AgentconfClient::new(on_b.clone()),
    );
    let (ra, rb) = tokio::join!(
        chair_a.request_agent_conf(id("1001"), &four_minutes),
        chair_b.request_agent_conf(id("1002"), &four_minutes),
    );
    ra.unwrap();
    rb.unwrap();
    let (ea, eb) = (
        until(&mut a_events, outcome).await,
        until(&mut b_events, outcome).await,
    );
    let won: Vec<&str> = [&ea, &eb]
        .iter()
        .filter(|e| matches!(e, Event::AgentConfRequestSuccess { .. }))
        .map(|e| e.agent())
        .collect();
    assert_eq!(won.len(), 1, "{ea:?} {eb:?}");
    let (winner, winner_events) = if won == ["1001"] {
        ("1001", &mut a_events)
    } else {
        ("1002", &mut b_events)
    };

    // Applied for four minutes (600 ms here): both instances' clocks look, the conference ends
    // once, with one AgentConf_Timeout.
    let mut timeouts = 0;
    let quiet_until = Instant::now() + ms(2500);
    while let Ok(Some(event)) =
        tokio::time::timeout_at(quiet_until.into(), winner_events.next()).await
    {
        if matches!(event, Ok(Event::AgentConfTimeout { .. })) {
            timeouts += 1;
        }
    }
    assert_eq!(timeouts, 1, "{winner}'s conference timed out once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_that_disagree_on_agents_or_timers_refuse_to_start() {
    let redis = RedisServer::start();
    let store = Store::Redis {
        url: redis.url(),
        prefix: "one".to_owned(),
    };
    let data = || DataSet::from_yaml(DATA).unwrap();
    let _first = Simulator::with_store(data(), options(), &store)
        .await
        .expect("the first instance seeds");
    let _second = Simulator::with_store(data(), options(), &store)
        .await
        .expect("the same set-up joins");

    let slower = Options {
        hold: Duration::from_secs(9),
        ..options()
    };
    let error = Simulator::with_store(data(), slower, &store)
        .await
        .expect_err("other timers");
    let message = error.to_string();
    assert!(
        message.contains("timers differ")
            && message.contains("hold_ms: Some(9000) here, Some(5000) there"),
        "{message}"
    );

    let other_agents = DataSet::from_yaml(
        "agents:\n  - {id: \"1001\", role: inspector, vdn: 1, password: pw1001}\n",
    )
    .unwrap();
    let error = Simulator::with_store(other_agents, options(), &store)
        .await
        .expect_err("other agents");
    assert!(error.to_string().contains("other agents"), "{error}");

    // Another prefix is another gateway.
    let elsewhere = Store::Redis {
        url: redis.url(),
        prefix: "two".to_owned(),
    };
    Simulator::with_store(data(), slower, &elsewhere)
        .await
        .expect("another gateway on the same Redis");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_never_answers_from_conferences_a_lost_redis_no_longer_has() {
    let redis = RedisServer::start();
    let a = Instance::start(&redis, "one", options());
    let first = sign_in(&a.client(), "1001").await;
    AgentconfClient::new(first.clone())
        .request_agent_conf(id("1001"), &request())
        .await
        .unwrap();
    // A has now seen (and keeps) the conferences of the version its request wrote.

    // Redis loses everything; a new instance seeds the gateway again, and the agent requests
    // a conference of another length, which gets the same ID.
    assert_eq!(redis.cli(&["FLUSHALL"]), ["OK"]);
    let b = Instance::start(&redis, "one", options());
    let again = sign_in(&b.client(), "1001").await;
    let longer = RequestAgentConfRequest {
        time: Some(90),
        ..request()
    };
    AgentconfClient::new(again.clone())
        .request_agent_conf(id("1001"), &longer)
        .await
        .unwrap();

    // A answers with what Redis holds now, not with what it saw before the loss.
    let infos = AgentconfClient::new(a.resume(&again))
        .query_conf_infos(
            id("1001"),
            &agentgateway::agentconf::QueryConfInfosRequest { conf_ids: vec![1] },
        )
        .await
        .expect("query on A");
    let applied: Vec<i32> = infos.confs.iter().map(|c| c.apply_conf_time).collect();
    assert_eq!(applied, [90]);
}
