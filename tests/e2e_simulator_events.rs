//! The simulator as an event-driven gateway, over loopback with shortened timers: the events of
//! sign-in and of a conference reach the agents concerned through the runtime's event stream,
//! the chairperson's operations wait for `AgentConf_RequestSuccess`, an agent that stops polling
//! is signed out, a Guid renewed on the polling answer is adopted while the old one expires,
//! a conference that runs its time ends with `AgentConf_Timeout`, and an event type the spec
//! does not list arrives as the unknown variant.

mod loopback;

use std::time::Duration;

use agentgateway::agentconf::{
    AgentconfClient, ApplyToShiftPresidentRequest, BatchAddParticipantRequest,
    ChangeParticipantModeRequest, HoldParticipantRequest, ProlongTimeRequest,
    RequestAgentConfRequest,
};
use agentgateway::agentevent::{GetAgentEvent, GetAgentEventPath};
use agentgateway::onlineagent::{Login, LoginPath, LoginRequest, OnlineagentClient};
use agentgateway::{
    AddressType, AgentConfParticipantChangedContent, ChannelAttrib, ErrorCode, Event,
    InvitedParticipant, ParticipantAddressType, ParticipantChangeType, SignInStatus,
    UserDefinedDeviceCallType, UserDefinedDeviceType,
};
use agentgateway_sim::Options;
use gatespec::client::{EventStream, EventStreamError, EventStreamOptions, LostReason, Session};
use gatespec::{EventCatalogue, RawEvent};
use loopback::{Gateway, id, retcode};

const DATA: &str = r#"
agents:
  - {id: "1001", role: agent, vdn: 1, password: pw1001}
  - {id: "1002", role: agent, vdn: 1, password: pw1002}
  - {id: "1003", role: agent, vdn: 1, password: pw1003}
"#;

/// Generous for one event on loopback: nothing waits this long unless something is wrong.
const WAIT: Duration = Duration::from_secs(5);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Short holds and timers: a poll holds 200 ms.
fn timers() -> Options {
    Options {
        hold: ms(200),
        ..Options::default()
    }
}

/// A stream that re-polls quickly and gives up after a few refusals.
fn stream_options() -> EventStreamOptions {
    EventStreamOptions::default()
        .request_timeout(Duration::from_secs(3))
        .repoll_delay(ms(5), ms(20))
        .backoff(ms(20), ms(100))
        .give_up_after(3, 3)
}

async fn sign_in(gw: &Gateway, who: &str, status: Option<SignInStatus>) -> Session {
    let mut login = LoginRequest::new(format!("pw{who}"), "40038".to_owned());
    login.status = status;
    Session::sign_in::<Login>(&gw.client(), &LoginPath { agentid: id(who) }, &login)
        .await
        .unwrap()
        .0
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

/// The next event (within [`WAIT`]).
async fn next(stream: &mut EventStream<Event, ErrorCode>) -> Event {
    stream.wait_for(WAIT, |_| true).await.unwrap()
}

/// The next event's type name and agent.
async fn next_type(stream: &mut EventStream<Event, ErrorCode>) -> (String, String) {
    let event = next(stream).await;
    (event.event_type().to_owned(), event.agent().to_owned())
}

fn owned(pair: (&str, &str)) -> (String, String) {
    (pair.0.to_owned(), pair.1.to_owned())
}

/// The content of an `AgentConf_ParticipantChanged` event (panics on any other event).
async fn participant_change(
    stream: &mut EventStream<Event, ErrorCode>,
    to: &str,
) -> AgentConfParticipantChangedContent {
    match next(stream).await {
        Event::AgentConfParticipantChanged { agent, content } => {
            assert_eq!(agent, to, "addressed to the receiving agent");
            content
        }
        other => panic!("expected AgentConf_ParticipantChanged for {to}, got {other:?}"),
    }
}

fn agent_change(
    conf_id: i64,
    agent: &str,
    change: ParticipantChangeType,
) -> AgentConfParticipantChangedContent {
    AgentConfParticipantChangedContent {
        result: 0,
        change_reason: 255,
        change_type: change,
        conf_id,
        participant: agent.to_owned(),
        participant_type: ParticipantAddressType::AgentId,
        // Invited without device types: batchaddparticipant's defaults.
        device_call_type: UserDefinedDeviceCallType::NormalCall,
        device_type: UserDefinedDeviceType::Unknown,
    }
}

fn invite(agents: &[&str]) -> BatchAddParticipantRequest {
    BatchAddParticipantRequest {
        addresses: agents
            .iter()
            .map(|a| InvitedParticipant {
                address_type: AddressType::AgentId,
                address: (*a).to_owned(),
                device_call_type: None,
                device_type: None,
            })
            .collect(),
        beep_tone: None,
        play_mode: None,
        voice_path: None,
        caller: None,
    }
}

fn conference_request() -> RequestAgentConfRequest {
    RequestAgentConfRequest {
        member_num: 5,
        conf_caller_no: None,
        time: Some(30),
        prompt_time: None,
        beep_tone: None,
        play_mode: None,
        voice_path: None,
    }
}

#[tokio::test]
async fn sign_in_reports_in_service_then_the_chosen_status() {
    let gw = Gateway::start_with(DATA, timers()).await;
    for (who, status, expected) in [
        ("1001", None, "AgentState_Ready"),
        (
            "1002",
            Some(SignInStatus::Busy),
            "AgentState_SetNotReady_Success",
        ),
        ("1003", Some(SignInStatus::WrapUp), "AgentState_Work"),
    ] {
        let session = sign_in(&gw, who, status).await;
        let mut stream = events(&session, who);
        assert_eq!(
            next_type(&mut stream).await,
            owned(("AgentOther_InService", who))
        );
        assert_eq!(next_type(&mut stream).await, owned((expected, who)));
    }
}

#[tokio::test]
async fn a_conference_reports_to_its_members_and_the_chair_waits_for_request_success() {
    let setup = ms(800);
    let gw = Gateway::start_with(
        DATA,
        Options {
            conference_setup: setup,
            ..timers()
        },
    )
    .await;
    let mut agents = Vec::new();
    for who in ["1001", "1002", "1003"] {
        let session = sign_in(&gw, who, None).await;
        let mut stream = events(&session, who);
        assert_eq!(
            next_type(&mut stream).await,
            owned(("AgentOther_InService", who))
        );
        assert_eq!(
            next_type(&mut stream).await,
            owned(("AgentState_Ready", who))
        );
        agents.push((AgentconfClient::new(session), stream));
    }
    let [
        (chair, chair_events),
        (second, second_events),
        (third, third_events),
    ] = &mut agents[..]
    else {
        unreachable!()
    };

    // Requested, not set up yet: the chairperson's operations are refused until the event.
    chair
        .request_agent_conf(id("1001"), &conference_request())
        .await
        .unwrap();
    assert_eq!(
        retcode(
            chair
                .batch_add_participant(id("1001"), &invite(&["1002"]))
                .await
        ),
        "101-001",
        "inviting before AgentConf_RequestSuccess"
    );
    let success = chair_events
        .wait_for(WAIT, |e| {
            matches!(
                e,
                Event::AgentConfRequestSuccess { .. } | Event::AgentConfRequestFailed { .. }
            )
        })
        .await
        .unwrap();
    let Event::AgentConfRequestSuccess { agent, content } = success else {
        panic!("the request failed: {success:?}")
    };
    assert_eq!(agent, "1001");
    let conf_id = content["confId"].as_i64().unwrap();
    assert_eq!(gw.sim.conference(conf_id).await.unwrap().conf_id, conf_id);
    assert_eq!(
        next_type(chair_events).await,
        owned(("AgentConf_SelfJoinResult", "1001"))
    );

    chair
        .batch_add_participant(id("1001"), &invite(&["1002", "1003"]))
        .await
        .unwrap();
    // 1002 answers: the chair (the only other member that joined) hears of it.
    second.answer_agent_conf(id("1002")).await.unwrap();
    assert_eq!(
        participant_change(chair_events, "1001").await,
        agent_change(conf_id, "1002", ParticipantChangeType::Joined)
    );
    // 1003 rejects: its phone is released and it is ready; both members hear it left.
    third.reject_agent_conf(id("1003")).await.unwrap();
    assert_eq!(
        next_type(third_events).await,
        owned(("AgentOther_PhoneRelease", "1003"))
    );
    assert_eq!(
        next_type(third_events).await,
        owned(("AgentState_Ready", "1003"))
    );
    for (stream, to) in [(&mut *chair_events, "1001"), (&mut *second_events, "1002")] {
        assert_eq!(
            participant_change(stream, to).await,
            agent_change(conf_id, "1003", ParticipantChangeType::Left)
        );
    }

    // Rights: listening only mutes (reported), speaking only is not reported.
    let mode = |attribute| ChangeParticipantModeRequest {
        attribute,
        address_type: AddressType::AgentId,
        address: "1002".to_owned(),
    };
    chair
        .change_participant_mode(id("1001"), &mode(ChannelAttrib::ListenOnly))
        .await
        .unwrap();
    assert_eq!(
        participant_change(chair_events, "1001").await,
        agent_change(conf_id, "1002", ParticipantChangeType::Muted)
    );
    chair
        .change_participant_mode(id("1001"), &mode(ChannelAttrib::SpeakOnly))
        .await
        .unwrap();
    chair
        .hold_participant(
            id("1001"),
            &HoldParticipantRequest {
                address_type: AddressType::AgentId,
                address: "1002".to_owned(),
                play_mode: None,
                voice_path: "y:/conf/120/1136287.V3".to_owned(),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        participant_change(chair_events, "1001").await,
        agent_change(conf_id, "1002", ParticipantChangeType::Held),
        "the speaking-only change was not reported"
    );

    // The chair goes to 1002: it is told it presides, the others see changeType 2.
    chair
        .apply_to_shift_president(
            id("1001"),
            &ApplyToShiftPresidentRequest {
                dest_agent_no: id("1002"),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        next_type(second_events).await,
        owned(("AgentConf_PresidentChanged", "1002"))
    );
    assert_eq!(
        participant_change(chair_events, "1001").await,
        agent_change(conf_id, "1002", ParticipantChangeType::ChairChanged)
    );

    // The new chair releases the conference: it ends for both members.
    second.release_agent_conf(id("1002")).await.unwrap();
    assert_eq!(
        next_type(second_events).await,
        owned(("AgentState_Ready", "1002"))
    );
    assert_eq!(
        next_type(chair_events).await,
        owned(("AgentState_Ready", "1001"))
    );
    assert!(gw.sim.conference(conf_id).await.is_none());
}

#[tokio::test]
async fn a_conference_beyond_the_limit_reports_request_failed() {
    let gw = Gateway::start_with(
        DATA,
        Options {
            conference_limit: Some(1),
            ..timers()
        },
    )
    .await;
    let first = sign_in(&gw, "1001", None).await;
    let second = sign_in(&gw, "1002", None).await;
    AgentconfClient::new(first)
        .request_agent_conf(id("1001"), &conference_request())
        .await
        .unwrap();
    let mut stream = events(&second, "1002");
    AgentconfClient::new(second)
        .request_agent_conf(id("1002"), &conference_request())
        .await
        .unwrap();
    let answer = stream
        .wait_for(WAIT, |e| {
            matches!(
                e,
                Event::AgentConfRequestSuccess { .. } | Event::AgentConfRequestFailed { .. }
            )
        })
        .await
        .unwrap();
    assert_eq!(answer.event_type(), "AgentConf_RequestFailed");
    assert!(gw.sim.session_of("1002").await.is_some());
}

#[tokio::test]
async fn a_conference_that_runs_its_time_ends_with_timeout_for_its_members() {
    let minute = ms(150);
    let gw = Gateway::start_with(
        DATA,
        Options {
            conference_minute: Some(minute),
            ..timers()
        },
    )
    .await;
    let mut agents = Vec::new();
    for who in ["1001", "1002"] {
        let session = sign_in(&gw, who, None).await;
        let mut stream = events(&session, who);
        stream
            .wait_for(WAIT, |e| e.event_type() == "AgentState_Ready")
            .await
            .unwrap();
        agents.push((AgentconfClient::new(session), stream));
    }
    let [(chair, chair_events), (member, member_events)] = &mut agents[..] else {
        unreachable!()
    };
    let requested = std::time::Instant::now();
    chair
        .request_agent_conf(
            id("1001"),
            &RequestAgentConfRequest {
                time: Some(4),
                ..conference_request()
            },
        )
        .await
        .unwrap();
    let Event::AgentConfRequestSuccess { content, .. } = chair_events
        .wait_for(WAIT, |e| e.event_type() == "AgentConf_RequestSuccess")
        .await
        .unwrap()
    else {
        unreachable!()
    };
    let conf_id = content["confId"].as_i64().unwrap();
    chair
        .batch_add_participant(id("1001"), &invite(&["1002"]))
        .await
        .unwrap();
    member.answer_agent_conf(id("1002")).await.unwrap();
    // Four minutes applied for (the least requestagentconf takes), three more granted: seven.
    let granted = chair
        .prolong_time(id("1001"), &ProlongTimeRequest { prolong_time: 3 })
        .await
        .unwrap();
    assert_eq!(granted.applyed_time, 3);

    // Past the four minutes first applied for, the conference runs on and counts its minutes.
    tokio::time::sleep((minute * 5).saturating_sub(requested.elapsed())).await;
    let running = gw
        .sim
        .conference(conf_id)
        .await
        .expect("prolonged, still running");
    assert_eq!(running.apply_conf_time, 7);
    assert!(running.conf_have_been_time >= 4, "{running:?}");

    for (stream, who) in [(&mut *chair_events, "1001"), (&mut *member_events, "1002")] {
        let timeout = stream
            .wait_for(WAIT, |e| e.event_type() == "AgentConf_Timeout")
            .await
            .unwrap();
        assert!(
            requested.elapsed() >= minute * 7,
            "not before the seven minutes: {:?}",
            requested.elapsed()
        );
        let Event::AgentConfTimeout { agent, content } = timeout else {
            unreachable!()
        };
        assert_eq!(agent, who);
        assert_eq!(content["confId"].as_i64(), Some(conf_id));
        assert_eq!(next_type(stream).await, owned(("AgentState_Ready", who)));
    }
    assert!(gw.sim.conference(conf_id).await.is_none(), "ended");
    assert_eq!(
        retcode(
            chair
                .prolong_time(id("1001"), &ProlongTimeRequest { prolong_time: 1 })
                .await
        ),
        "101-001",
        "no conference any more"
    );
}

#[tokio::test]
async fn an_agent_that_stops_polling_is_signed_out_and_its_guid_refused() {
    let gw = Gateway::start_with(
        DATA,
        Options {
            idle_timeout: ms(600),
            ..timers()
        },
    )
    .await;
    let polling = sign_in(&gw, "1001", None).await;
    let silent = sign_in(&gw, "1002", None).await;
    let mut stream = events(&polling, "1001");
    // The polling agent stays signed in well past the idle timeout; the silent one does not.
    let deadline = tokio::time::Instant::now() + ms(2000);
    while tokio::time::Instant::now() < deadline {
        match stream.wait_for(ms(200), |_| true).await {
            Ok(_) | Err(gatespec::client::WaitError::Timeout) => {}
            Err(e) => panic!("the polling agent's stream ended: {e:?}"),
        }
    }
    assert!(
        gw.sim.session_of("1001").await.is_some(),
        "polling keeps it in"
    );
    assert!(gw.sim.session_of("1002").await.is_none(), "signed out");
    let status = OnlineagentClient::new(silent.clone())
        .get_agent_status(id("1002"))
        .await;
    assert_eq!(retcode(status), "000-003", "its Guid is refused");
    // Its event stream ends with SessionLost after the refusals.
    let mut lost = events(&silent, "1002");
    match lost.wait_for(WAIT, |_| true).await {
        Err(gatespec::client::WaitError::Stream(EventStreamError::SessionLost {
            reason: LostReason::Refused(3),
            ..
        })) => {}
        other => panic!("expected SessionLost, got {other:?}"),
    }
}

#[tokio::test]
async fn a_guid_renewed_mid_stream_is_adopted_and_the_old_one_expires() {
    let gw = Gateway::start_with(
        DATA,
        // Renewal well beyond the hold (on Redis a hold may run a tick longer), so no poll
        // after the first renewal renews again before the checks.
        Options {
            renewal_interval: Some(ms(600)),
            old_guid_validity: ms(1000),
            ..timers()
        },
    )
    .await;
    let session = sign_in(&gw, "1001", None).await;
    let first_guid = session.session_id().unwrap();
    let mut stream = events(&session, "1001");
    assert_eq!(
        next_type(&mut stream).await,
        owned(("AgentOther_InService", "1001"))
    );
    assert_eq!(
        next_type(&mut stream).await,
        owned(("AgentState_Ready", "1001"))
    );
    // Poll on until the session's id changed (the stream adopted Set-GUID).
    let deadline = tokio::time::Instant::now() + WAIT;
    while session.session_id().as_deref() == Some(first_guid.as_str()) {
        assert!(tokio::time::Instant::now() < deadline, "never renewed");
        let _ = stream.wait_for(ms(100), |_| true).await;
    }
    let renewed = session.session_id().unwrap();
    assert_eq!(gw.sim.session_of("1001").await.unwrap().guid, renewed);
    // The old Guid still names the session for a while...
    let old = Session::resume(&gw.client(), first_guid.clone());
    let status = OnlineagentClient::new(old.clone())
        .get_agent_status(id("1001"))
        .await;
    assert!(status.is_ok() || retcode(status) == "000-003");
    // ...and is refused once its validity ran out, while the stream goes on with the new one.
    tokio::time::sleep(ms(1300)).await;
    let old = Session::resume(&gw.client(), first_guid);
    assert_eq!(
        retcode(
            OnlineagentClient::new(old)
                .get_agent_status(id("1001"))
                .await
        ),
        "000-003"
    );
    gw.sim
        .publish(
            "1001",
            &Event::AgentStateReady {
                agent: "1001".to_owned(),
            },
        )
        .await;
    assert_eq!(
        stream
            .wait_for(WAIT, |e| e.event_type() == "AgentState_Ready")
            .await
            .unwrap()
            .agent(),
        "1001"
    );
    assert!(gw.sim.session_of("1001").await.is_some());
}

#[tokio::test]
async fn an_unknown_event_type_arrives_as_the_unknown_variant_and_the_stream_goes_on() {
    let gw = Gateway::start_with(DATA, timers()).await;
    let session = sign_in(&gw, "1001", None).await;
    let mut stream = events(&session, "1001");
    assert_eq!(
        next_type(&mut stream).await,
        owned(("AgentOther_InService", "1001"))
    );
    assert_eq!(
        next_type(&mut stream).await,
        owned(("AgentState_Ready", "1001"))
    );
    let unlisted = Event::from_raw(RawEvent {
        event_type: "AgentOther_Restricted".to_owned(),
        agent: "1001".to_owned(),
        content: serde_json::json!({"reason": 3, "detail": ["a", "b"]}),
        error: None,
    });
    assert!(matches!(unlisted, Event::Unknown(_)));
    gw.sim.publish("1001", &unlisted).await;
    gw.sim
        .publish(
            "1001",
            &Event::AgentOtherPhoneRelease {
                agent: "1001".to_owned(),
            },
        )
        .await;
    match next(&mut stream).await {
        Event::Unknown(raw) => {
            assert_eq!(raw.event_type, "AgentOther_Restricted");
            assert_eq!(raw.agent, "1001");
            assert_eq!(raw.content["detail"][1], "b");
        }
        other => panic!("expected the unknown variant, got {other:?}"),
    }
    assert_eq!(
        next_type(&mut stream).await,
        owned(("AgentOther_PhoneRelease", "1001"))
    );
}
