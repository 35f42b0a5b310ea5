//! Many agents and push mode against the simulator over loopback: 200 agents signed in through
//! one `Client`, each polling its own events concurrently, every event reaching exactly its
//! own agent; and agents in push mode, whose events the simulator posts to the runtime's
//! callback router while heartbeats keep them signed in (and their absence signs them out).

mod loopback;

use std::time::Duration;

use agentgateway::Event;
use agentgateway::agentevent::{GetAgentEvent, GetAgentEventPath};
use agentgateway::onlineagent::{HandShake, HandShakePath, Login, LoginPath, LoginRequest};
use agentgateway_sim::Options;
use gatespec::callback::{CallbackSessions, Delivery};
use gatespec::client::{Client, EventStreamOptions, Session};
use gatespec::{EventCatalogue, RawEvent};
use loopback::{Gateway, id, retcode};
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(8);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

async fn sign_in(client: &Client, who: &str, push: Option<(&str, &str)>) -> Session {
    let mut login = LoginRequest::new(format!("pw{who}"), "40038".to_owned());
    if let Some((uri, token)) = push {
        login = login
            .with_call_back_uri(uri.to_owned())
            .with_service_token(token.to_owned());
    }
    Session::sign_in::<Login>(client, &LoginPath { agentid: id(who) }, &login)
        .await
        .unwrap()
        .0
}

/// An event of the test's own: the agent it is for and its number, in its content.
fn marked(agent: &str, seq: u64) -> Event {
    Event::from_raw(RawEvent {
        event_type: "Test_Marked".to_owned(),
        agent: agent.to_owned(),
        content: serde_json::json!({"for": agent, "seq": seq}),
        error: None,
    })
}

const AGENTS: u32 = 200;
const MARKED: u64 = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_agents_through_one_client_each_get_exactly_their_events() {
    let mut data = String::from("agents:\n");
    let agents: Vec<String> = (0..AGENTS).map(|n| (3000 + n).to_string()).collect();
    for agent in &agents {
        data.push_str(&format!(
            "  - {{id: \"{agent}\", role: agent, vdn: 1, password: pw{agent}}}\n"
        ));
    }
    let gw = Gateway::start_with(
        &data,
        Options {
            hold: ms(2000),
            ..Options::default()
        },
    )
    .await;
    let client = gw.client();
    let options = EventStreamOptions::default()
        .request_timeout(Duration::from_secs(6))
        .repoll_delay(ms(5), ms(50));

    let mut polling = tokio::task::JoinSet::new();
    for agent in &agents {
        let (client, agent) = (client.clone(), agent.clone());
        polling.spawn(async move {
            let session = sign_in(&client, &agent, None).await;
            let mut stream = session.events_with::<GetAgentEvent, Event>(
                GetAgentEventPath {
                    agentid: id(&agent),
                    calldata: None,
                },
                options,
            );
            let mut seen = Vec::new();
            // Sign-in's two events, then the marked ones in order.
            while seen.len() < 2 + MARKED as usize {
                let event = stream.wait_for(WAIT, |_| true).await.unwrap();
                assert_eq!(event.agent(), agent, "an event of another agent arrived");
                if let Event::Unknown(raw) = &event {
                    assert_eq!(
                        raw.content["for"],
                        agent.as_str(),
                        "another agent's content"
                    );
                }
                seen.push(event);
            }
            let types: Vec<&str> = seen.iter().map(|e| e.event_type()).collect();
            assert_eq!(
                types[..2],
                ["AgentOther_InService", "AgentState_Ready"],
                "agent {agent}"
            );
            let seqs: Vec<u64> = seen[2..]
                .iter()
                .map(|e| e.raw().unwrap().content["seq"].as_u64().unwrap())
                .collect();
            assert_eq!(seqs, (0..MARKED).collect::<Vec<_>>(), "agent {agent}");
            // Nothing more is queued for it.
            assert!(
                stream.wait_for(ms(300), |_| true).await.is_err(),
                "no further event for {agent}"
            );
            agent
        });
    }
    // Publish once everyone is signed in, interleaving the agents.
    let deadline = tokio::time::Instant::now() + WAIT;
    while gw.sim.signed_in().await < AGENTS as usize {
        assert!(tokio::time::Instant::now() < deadline, "sign-ins stalled");
        tokio::time::sleep(ms(20)).await;
    }
    for seq in 0..MARKED {
        for agent in &agents {
            gw.sim.publish(agent, &marked(agent, seq)).await;
        }
    }
    let mut done = Vec::new();
    while let Some(finished) = polling.join_next().await {
        done.push(finished.unwrap());
    }
    done.sort();
    assert_eq!(done, agents);
}

const DATA: &str = r#"
agents:
  - {id: "1001", role: agent, vdn: 1, password: pw1001}
  - {id: "1002", role: agent, vdn: 1, password: pw1002}
"#;

const CALLBACK: &str = "/service-cloud/rest/cc-ai/v1/agentevent/pushresult";

#[tokio::test]
async fn push_mode_posts_events_to_the_callback_and_heartbeats_keep_the_agent_in() {
    let gw = Gateway::start_with(
        DATA,
        Options {
            idle_timeout: ms(800),
            ..Options::default()
        },
    )
    .await;
    let sessions = CallbackSessions::new();
    let (tx, mut rx) = mpsc::channel::<Delivery<Event>>(16);
    // The generated router: the spec's protocol, event enum and service-token header.
    let app =
        agentgateway::events::callback_router(CALLBACK, sessions.clone(), "s3cret".to_owned(), tx);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}{CALLBACK}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let _ = gatespec::server::axum::serve(listener, app).await;
    });

    let client = gw.client();
    let beating = sign_in(&client, "1001", Some((&url, "s3cret"))).await;
    sessions.register(&beating);
    let _heartbeat = beating.heartbeat::<HandShake>(
        HandShakePath {
            agentid: id("1001"),
        },
        ms(150),
    );
    let silent = sign_in(&client, "1002", Some((&url, "s3cret"))).await;
    sessions.register(&silent);
    assert!(gw.sim.session_of("1001").await.unwrap().push);

    // Sign-in's events arrive at the callback, each with its agent's session.
    let mut received: Vec<(String, String)> = Vec::new();
    while received.len() < 4 {
        let delivery = tokio::time::timeout(WAIT, rx.recv())
            .await
            .unwrap()
            .unwrap();
        let agent = delivery.event.agent().to_owned();
        assert_eq!(delivery.session.caller().as_deref(), Some(agent.as_str()));
        received.push((agent, delivery.event.event_type().to_owned()));
    }
    for agent in ["1001", "1002"] {
        let types: Vec<&str> = received
            .iter()
            .filter(|(a, _)| a == agent)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(
            types,
            ["AgentOther_InService", "AgentState_Ready"],
            "{agent}"
        );
    }

    // A push session does not poll: 000-001.
    let poll = beating
        .call::<GetAgentEvent>(
            &GetAgentEventPath {
                agentid: id("1001"),
                calldata: None,
            },
            &(),
        )
        .await;
    assert_eq!(retcode(poll), "000-001");

    // Past the idle timeout: the agent with heartbeats is in and still gets events.
    tokio::time::sleep(ms(1800)).await;
    assert!(
        gw.sim.session_of("1001").await.is_some(),
        "heartbeats keep it in"
    );
    assert!(
        gw.sim.session_of("1002").await.is_none(),
        "no heartbeat: signed out"
    );
    gw.sim
        .publish(
            "1001",
            &Event::AgentOtherPhoneRelease {
                agent: "1001".to_owned(),
            },
        )
        .await;
    let delivery = tokio::time::timeout(WAIT, rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(delivery.event.event_type(), "AgentOther_PhoneRelease");
    assert_eq!(delivery.session.caller().as_deref(), Some("1001"));
    server.abort();
}
