//! The onlineagent session interfaces through the generated client and `client::Session`
//! against the simulator over loopback: forced sign-in replacing a live session, setting idle,
//! the heartbeat, and trading the Guid for a new one (the old one refused afterwards).

mod loopback;

use agentgateway::onlineagent::{
    ForceLogin, ForceLoginPath, ForceLoginRequest, Login, LoginPath, LoginRequest, Logout,
    LogoutPath, OnlineagentClient,
};
use agentgateway::{AgentState, SignInStatus};
use gatespec::client::Session;
use loopback::{Gateway, id, retcode, unsent};

/// Agents 1001 and 1003 sign in with passwords; 1002 is signed in from the start.
const DATA: &str = r#"
agents:
  - {id: "1001", role: agent, vdn: 1, password: pw1001}
  - {id: "1002", role: agent, vdn: 1, password: pw1002, guid: g1002.AgentGateway0}
  - {id: "1003", role: agent, vdn: 1, password: pw1003}
"#;

fn login(password: &str, status: Option<SignInStatus>) -> LoginRequest {
    LoginRequest {
        password: password.to_owned(),
        phonenum: "40038".to_owned(),
        autoanswer: None,
        autoenteridle: None,
        releasephone: None,
        agenttype: None,
        status,
        ip: None,
        phonelinkage: None,
        call_back_uri: None,
        service_token: None,
    }
}

fn force_login(password: &str, status: Option<SignInStatus>) -> ForceLoginRequest {
    ForceLoginRequest {
        password: password.to_owned(),
        phonenum: "40038".to_owned(),
        autoanswer: None,
        autoenteridle: None,
        releasephone: Some(false),
        agenttype: None,
        status,
        ip: None,
        phonelinkage: None,
        call_back_uri: None,
        service_token: None,
    }
}

fn agent(session: &Session) -> OnlineagentClient {
    OnlineagentClient::new(session.clone())
}

async fn sign_in(gw: &Gateway, who: &str, password: &str) -> Session {
    Session::sign_in::<Login>(
        &gw.client(),
        &LoginPath { agentid: id(who) },
        &login(password, None),
    )
    .await
    .unwrap()
    .0
}

async fn force(
    gw: &Gateway,
    who: &str,
    request: &ForceLoginRequest,
) -> Result<Session, gatespec::client::ClientError<agentgateway::ErrorCode>> {
    Session::sign_in::<ForceLogin>(&gw.client(), &ForceLoginPath { agentid: id(who) }, request)
        .await
        .map(|(session, result)| {
            assert_eq!(result.workno.as_deref(), Some(who));
            session
        })
}

#[tokio::test]
async fn forced_sign_in_replaces_a_live_session() {
    let gw = Gateway::start(DATA).await;
    let first = sign_in(&gw, "1001", "pw1001").await;
    let old = first.session_id().unwrap();
    // Sign-in refuses an agent that has signed in; forced sign-in is the way.
    let again = agent(&first)
        .login(id("1001"), &login("pw1001", None))
        .await;
    assert_eq!(retcode(again), "100-002");
    assert_eq!(
        retcode(force(&gw, "1001", &force_login("guess", None)).await),
        "100-004"
    );
    assert_eq!(
        retcode(force(&gw, "4444", &force_login("", None)).await),
        "100-004"
    );
    agent(&first).get_agent_status(id("1001")).await.unwrap();

    let second = force(
        &gw,
        "1001",
        &force_login("pw1001", Some(SignInStatus::Busy)),
    )
    .await
    .unwrap();
    let new = second.session_id().unwrap();
    assert_ne!(new, old);
    assert_eq!(gw.sim.session_of("1001").await.unwrap().guid, new);
    assert_eq!(
        gw.sim
            .sessions()
            .await
            .iter()
            .filter(|s| s.agent_id == "1001")
            .count(),
        1,
        "one session per agent"
    );
    assert_eq!(
        retcode(agent(&first).get_agent_status(id("1001")).await),
        "000-003",
        "the replaced Guid is refused"
    );
    let status = agent(&second).get_agent_status(id("1001")).await.unwrap();
    assert_eq!(status.agent_state, AgentState::Busy, "the status asked for");

    // Forced sign-in also signs in an agent without a session, and checks the body's rules.
    force(&gw, "1003", &force_login("pw1003", None))
        .await
        .unwrap();
    let not_ipv4 = ForceLoginRequest {
        ip: Some("10.0.0.256".to_owned()),
        ..force_login("pw1003", None)
    };
    assert!(unsent(
        OnlineagentClient::new(gw.anonymous())
            .force_login(id("1003"), &not_ipv4)
            .await
    ));
}

#[tokio::test]
async fn setting_idle() {
    let gw = Gateway::start(DATA).await;
    let (session, _) = Session::sign_in::<Login>(
        &gw.client(),
        &LoginPath {
            agentid: id("1001"),
        },
        &login("pw1001", Some(SignInStatus::WrapUp)),
    )
    .await
    .unwrap();
    let client = agent(&session);
    let state = || async {
        client
            .get_agent_status(id("1001"))
            .await
            .unwrap()
            .agent_state
    };
    assert_eq!(state().await, AgentState::WrapUp);
    client.say_free(id("1001")).await.unwrap();
    assert_eq!(state().await, AgentState::Idle);
    assert_eq!(
        gw.sim.session_of("1001").await.unwrap().state,
        AgentState::Idle
    );
    let guid = session.session_id().unwrap();
    session
        .sign_out::<Logout>(
            &LogoutPath {
                agentid: id("1001"),
            },
            &(),
        )
        .await
        .unwrap();
    let stale = OnlineagentClient::new(Session::resume(&gw.client(), guid));
    assert_eq!(retcode(stale.say_free(id("1001")).await), "000-003");
}

#[tokio::test]
async fn the_heartbeat_answers_a_live_session() {
    let gw = Gateway::start(DATA).await;
    assert_eq!(
        gw.sim.session_of("1002").await.unwrap().last_heartbeat,
        None
    );
    let seeded = OnlineagentClient::new(gw.client_of("1002").await);
    seeded.hand_shake(id("1002")).await.unwrap();
    assert!(
        gw.sim
            .session_of("1002")
            .await
            .unwrap()
            .last_heartbeat
            .is_some()
    );
    // Without a session, with an unknown one, or with another agent's.
    let anonymous = OnlineagentClient::new(gw.anonymous());
    assert_eq!(retcode(anonymous.hand_shake(id("1002")).await), "100-006");
    let unknown = OnlineagentClient::new(Session::resume(&gw.client(), "nobody.AgentGateway0"));
    assert_eq!(retcode(unknown.hand_shake(id("1002")).await), "000-003");
    assert_eq!(retcode(seeded.hand_shake(id("1001")).await), "000-003");
    // Signed out: the heartbeat no longer keeps anything alive.
    seeded.logout(id("1002")).await.unwrap();
    assert_eq!(retcode(seeded.hand_shake(id("1002")).await), "000-003");
}

#[tokio::test]
async fn updating_the_guid_hands_out_a_new_one_and_ends_the_old() {
    let gw = Gateway::start(DATA).await;
    let session = sign_in(&gw, "1001", "pw1001").await;
    let old = session.session_id().unwrap();
    let updated = agent(&session).update_guid(id("1001")).await.unwrap();
    assert_ne!(updated.guid, old);
    assert_eq!(
        session.session_id().as_deref(),
        Some(updated.guid.as_str()),
        "the client adopted Set-GUID"
    );
    assert_eq!(gw.sim.session_of("1001").await.unwrap().guid, updated.guid);
    agent(&session).get_agent_status(id("1001")).await.unwrap();
    let stale = OnlineagentClient::new(Session::resume(&gw.client(), old));
    assert_eq!(retcode(stale.get_agent_status(id("1001")).await), "000-003");
    assert_eq!(retcode(stale.update_guid(id("1001")).await), "000-003");

    // On the wire: the result and `Set-GUID: JSESSIONID=<guid>` carry the same Guid.
    let response = reqwest::Client::new()
        .put(format!(
            "{}/agentgateway/resource/onlineagent/1001/updateGuid",
            gw.base
        ))
        .header("Guid", &updated.guid)
        .header("Content-Type", "application/json; charset=UTF-8")
        .send()
        .await
        .unwrap();
    let header = response.headers()["set-guid"].to_str().unwrap().to_owned();
    let envelope: serde_json::Value =
        serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(envelope["retcode"], "0", "{envelope}");
    let newest = envelope["result"]["guid"].as_str().unwrap();
    assert_eq!(header, format!("JSESSIONID={newest}"));
    assert_eq!(gw.sim.session_of("1001").await.unwrap().guid, newest);
}

/// Many agents through one `Client` at once: each session signs in, renews its Guid and calls
/// as its own agent, concurrently; the simulator refuses any call whose Guid is another agent's
/// (`000-003`), so a session sending the wrong Guid fails the test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_sessions_through_one_client_never_cross() {
    const AGENTS: u32 = 40;
    let data: String = std::iter::once("agents:\n".to_owned())
        .chain((0..AGENTS).map(|n| {
            format!(
                "  - {{id: \"{id}\", role: agent, vdn: 1, password: pw{id}}}\n",
                id = 5000 + n
            )
        }))
        .collect();
    let gw = Gateway::start(&data).await;
    let client = gw.client();
    let statuses = [
        (SignInStatus::Busy, AgentState::Busy),
        (SignInStatus::WrapUp, AgentState::WrapUp),
        (SignInStatus::Idle, AgentState::Idle),
    ];
    let tasks: Vec<_> = (0..AGENTS)
        .map(|n| {
            let client = client.clone();
            let who = (5000 + n).to_string();
            let (status, expected) = statuses[n as usize % statuses.len()];
            tokio::spawn(async move {
                let (session, result) = Session::sign_in::<Login>(
                    &client,
                    &LoginPath { agentid: id(&who) },
                    &login(&format!("pw{who}"), Some(status)),
                )
                .await
                .unwrap();
                assert_eq!(result.workno.as_deref(), Some(who.as_str()));
                assert_eq!(session.caller().as_deref(), Some(who.as_str()));
                let online = agent(&session);
                let first = session.session_id().unwrap();
                for _ in 0..3 {
                    let state = online.get_agent_status(id(&who)).await.unwrap().agent_state;
                    assert_eq!(state, expected, "agent {who}");
                    tokio::task::yield_now().await;
                }
                // A renewal is adopted by this session (and its clones) only.
                let renewed = online.update_guid(id(&who)).await.unwrap().guid;
                assert_ne!(renewed, first);
                assert_eq!(session.session_id().as_deref(), Some(renewed.as_str()));
                assert_eq!(
                    online.inner().session_id().as_deref(),
                    Some(renewed.as_str())
                );
                online.hand_shake(id(&who)).await.unwrap();
                (who, session)
            })
        })
        .collect();
    let mut sessions = Vec::new();
    for task in tasks {
        sessions.push(task.await.unwrap());
    }
    // Every session holds exactly its agent's live Guid, and no two are the same.
    let mut guids = std::collections::HashSet::new();
    for (who, session) in &sessions {
        let guid = session.session_id().unwrap();
        assert_eq!(
            gw.sim.session_of(who).await.unwrap().guid,
            guid,
            "agent {who}"
        );
        assert!(guids.insert(guid));
    }
    assert_eq!(gw.sim.sessions().await.len(), AGENTS as usize);
    // Signing out one agent leaves the others' sessions alone.
    let (who, first) = &sessions[0];
    first
        .sign_out::<Logout>(&LogoutPath { agentid: id(who) }, &())
        .await
        .unwrap();
    assert!(!first.is_signed_in());
    for (who, session) in &sessions[1..] {
        agent(session).get_agent_status(id(who)).await.unwrap();
    }
}
