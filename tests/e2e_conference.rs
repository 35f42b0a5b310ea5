//! Every agentconf interface through the generated client against the simulator over loopback:
//! each operation's success, seen in what queryconfinfos answers afterwards, and each rule's
//! refusal code (the caller's conference, the chairperson, and the rule of the operation).

mod loopback;

use std::collections::HashMap;

use agentgateway::agentconf::{
    AgentconfClient, ApplyToShiftPresidentRequest, BatchAddParticipantRequest,
    BatchRemoveParticipantRequest, HoldParticipantRequest, ModifyConfResourceRequest,
    PlayVoiceToConfRequest, PlayVoiceToParticipantRequest, ProlongTimeRequest,
    QueryConfInfosRequest, RequestAgentConfRequest, StopVoiceToParticipantRequest,
    UnholdParticipantRequest,
};
use agentgateway::{
    AddressType, ChannelState, ConfInfo, ConfRole, ConfState, InvitedParticipant, ModifyType,
    ParticipantAddress, PlayType,
};
use loopback::{Gateway, id, retcode, unsent};
use serde_json::Value;

/// Agents 1001-1005 and inspector 2001 of VDN 1, signed in from the start; no conference yet.
const DATA: &str = r#"
agents:
  - {id: "1001", role: agent, vdn: 1, guid: g1001.AgentGateway0}
  - {id: "1002", role: agent, vdn: 1, guid: g1002.AgentGateway0}
  - {id: "1003", role: agent, vdn: 1, guid: g1003.AgentGateway0}
  - {id: "1004", role: agent, vdn: 1, guid: g1004.AgentGateway0}
  - {id: "1005", role: agent, vdn: 1, guid: g1005.AgentGateway0}
  - {id: "2001", role: inspector, vdn: 1, guid: g2001.AgentGateway0}
"#;

const AGENTS: [&str; 6] = ["1001", "1002", "1003", "1004", "1005", "2001"];
const PHONE: &str = "70005";
const FILE: &str = "y:/conf/120/1136287.V3";

/// The gateway and the conference of the tests: agent 1001 chairs it (room for 5, 60
/// minutes), agent 1002 has answered, agent 1003's call rings, phone 70005 takes part; agents
/// 1004 and 1005 are in no conference.
struct Fixture {
    gw: Gateway,
    conf_id: i64,
    /// A client per agent of the data set (building one is the slow part of a call).
    clients: HashMap<&'static str, AgentconfClient>,
}

impl Fixture {
    async fn start() -> Self {
        Self::with_minutes(60).await
    }

    async fn with_minutes(minutes: i32) -> Self {
        let gw = Gateway::start(DATA).await;
        let chair = AgentconfClient::new(gw.client_of("1001").await);
        chair
            .request_agent_conf(id("1001"), &request(minutes))
            .await
            .unwrap();
        let conf_id = AgentconfClient::new(gw.client_of("2001").await)
            .query_all_conf_ids(id("2001"))
            .await
            .unwrap()
            .conf_ids[0];
        let invite = |address_type, address: &str| InvitedParticipant {
            address_type,
            address: address.to_owned(),
            device_call_type: None,
            device_type: None,
        };
        let add = BatchAddParticipantRequest {
            addresses: vec![
                invite(AddressType::AgentId, "1002"),
                invite(AddressType::AgentId, "1003"),
                invite(AddressType::PhoneNumber, PHONE),
            ],
            beep_tone: None,
            play_mode: None,
            voice_path: None,
            caller: None,
        };
        chair.batch_add_participant(id("1001"), &add).await.unwrap();
        let mut clients = HashMap::new();
        for agent in AGENTS {
            clients.insert(agent, AgentconfClient::new(gw.client_of(agent).await));
        }
        let fixture = Self {
            gw,
            conf_id,
            clients,
        };
        fixture
            .conf("1002")
            .answer_agent_conf(id("1002"))
            .await
            .unwrap();
        fixture
    }

    fn conf(&self, agent: &str) -> AgentconfClient {
        self.clients[agent].clone()
    }

    /// The conference as the inspector sees it, if it still runs.
    async fn info(&self) -> Option<ConfInfo> {
        self.conf("2001")
            .query_conf_infos(
                id("2001"),
                &QueryConfInfosRequest {
                    conf_ids: vec![self.conf_id],
                },
            )
            .await
            .unwrap()
            .confs
            .pop()
    }

    /// A participant's channel state and role, if it takes part.
    async fn participant(&self, address: &str) -> Option<(ChannelState, ConfRole)> {
        self.info().await.and_then(|info| {
            info.addresses
                .iter()
                .find(|a| a.address == address)
                .map(|a| (a.channel_state, a.role))
        })
    }
}

/// A conference with room for 5, for `minutes`.
fn request(minutes: i32) -> RequestAgentConfRequest {
    RequestAgentConfRequest {
        member_num: 5,
        conf_caller_no: None,
        time: Some(minutes),
        prompt_time: None,
        beep_tone: None,
        play_mode: None,
        voice_path: None,
    }
}

fn phone() -> (AddressType, String) {
    (AddressType::PhoneNumber, PHONE.to_owned())
}

fn hold(address_type: AddressType, address: &str) -> HoldParticipantRequest {
    HoldParticipantRequest {
        address_type,
        address: address.to_owned(),
        play_mode: None,
        voice_path: FILE.to_owned(),
    }
}

fn unhold(address_type: AddressType, address: &str) -> UnholdParticipantRequest {
    UnholdParticipantRequest {
        address_type,
        address: address.to_owned(),
    }
}

fn removal(addresses: &[(AddressType, &str)]) -> BatchRemoveParticipantRequest {
    BatchRemoveParticipantRequest {
        addresses: addresses
            .iter()
            .map(|(address_type, address)| ParticipantAddress {
                address_type: address_type.clone(),
                address: (*address).to_owned(),
            })
            .collect(),
    }
}

#[tokio::test]
async fn reject_leave_and_release() {
    let f = Fixture::start().await;
    assert_eq!(
        f.participant("1003").await,
        Some((ChannelState::Held, ConfRole::Participant)),
        "a ringing invitation"
    );
    // Only a ringing call can be rejected.
    assert_eq!(
        retcode(f.conf("1002").reject_agent_conf(id("1002")).await),
        "100-007"
    );
    assert_eq!(
        retcode(f.conf("1001").reject_agent_conf(id("1001")).await),
        "100-007"
    );
    assert_eq!(
        retcode(f.conf("1004").reject_agent_conf(id("1004")).await),
        "101-001"
    );
    f.conf("1003").reject_agent_conf(id("1003")).await.unwrap();
    assert_eq!(f.participant("1003").await, None);
    assert_eq!(
        retcode(f.conf("1003").reject_agent_conf(id("1003")).await),
        "101-001"
    );

    // The chairperson cannot leave; a member can, once.
    let leave = |agent: &'static str| {
        let client = f.conf(agent);
        async move { client.request_leave_agent_conf(id(agent)).await }
    };
    assert_eq!(retcode(leave("1001").await), "101-007");
    leave("1002").await.unwrap();
    assert_eq!(f.participant("1002").await, None);
    assert_eq!(retcode(leave("1002").await), "101-001");
    assert_eq!(
        f.participant("1001").await.map(|p| p.1),
        Some(ConfRole::Chairperson)
    );

    // Only the chairperson releases, and the conference ends for all.
    let add = BatchAddParticipantRequest {
        addresses: vec![InvitedParticipant {
            address_type: AddressType::AgentId,
            address: "1004".to_owned(),
            device_call_type: None,
            device_type: None,
        }],
        beep_tone: None,
        play_mode: None,
        voice_path: None,
        caller: None,
    };
    f.conf("1001")
        .batch_add_participant(id("1001"), &add)
        .await
        .unwrap();
    f.conf("1004").answer_agent_conf(id("1004")).await.unwrap();
    assert_eq!(
        retcode(f.conf("1004").release_agent_conf(id("1004")).await),
        "101-002"
    );
    assert_eq!(
        retcode(f.conf("1005").release_agent_conf(id("1005")).await),
        "101-001"
    );
    f.conf("1001").release_agent_conf(id("1001")).await.unwrap();
    assert_eq!(f.info().await, None);
    assert!(f.gw.sim.conference(f.conf_id).await.is_none());
    assert!(
        f.conf("2001")
            .query_all_conf_ids(id("2001"))
            .await
            .unwrap()
            .conf_ids
            .is_empty()
    );
    assert_eq!(
        retcode(f.conf("1004").request_leave_agent_conf(id("1004")).await),
        "101-001"
    );
    assert_eq!(
        retcode(f.conf("1001").release_agent_conf(id("1001")).await),
        "101-001"
    );
}

#[tokio::test]
async fn hold_and_unhold_a_participant() {
    let f = Fixture::start().await;
    let (t, a) = phone();
    f.conf("1001")
        .hold_participant(id("1001"), &hold(t.clone(), &a))
        .await
        .unwrap();
    assert_eq!(
        f.participant(PHONE).await.map(|p| p.0),
        Some(ChannelState::Held)
    );
    let held = f.gw.sim.conference(f.conf_id).await.unwrap();
    let held = held.participant(&t, &a).unwrap().hold().unwrap();
    assert_eq!(held.voice_path, FILE);
    assert_eq!(
        retcode(
            f.conf("1001")
                .hold_participant(id("1001"), &hold(t.clone(), &a))
                .await
        ),
        "100-007",
        "held already"
    );
    assert_eq!(
        retcode(
            f.conf("1002")
                .hold_participant(id("1002"), &hold(t.clone(), &a))
                .await
        ),
        "101-002"
    );
    assert_eq!(
        retcode(
            f.conf("1004")
                .hold_participant(id("1004"), &hold(t.clone(), &a))
                .await
        ),
        "101-001"
    );
    assert_eq!(
        retcode(
            f.conf("1001")
                .hold_participant(id("1001"), &hold(t.clone(), "79999"))
                .await
        ),
        "000-002",
        "not a participant"
    );
    let anonymous = AgentconfClient::new(f.gw.anonymous());
    assert_eq!(
        retcode(
            anonymous
                .hold_participant(id("1001"), &hold(t.clone(), &a))
                .await
        ),
        "100-006",
        "no Guid"
    );

    assert_eq!(
        retcode(
            f.conf("1002")
                .unhold_participant(id("1002"), &unhold(t.clone(), &a))
                .await
        ),
        "101-002"
    );
    f.conf("1001")
        .unhold_participant(id("1001"), &unhold(t.clone(), &a))
        .await
        .unwrap();
    assert_eq!(
        f.participant(PHONE).await.map(|p| p.0),
        Some(ChannelState::InProgress)
    );
    assert_eq!(
        retcode(
            f.conf("1001")
                .unhold_participant(id("1001"), &unhold(t.clone(), &a))
                .await
        ),
        "100-007",
        "not held"
    );
    assert_eq!(
        retcode(
            f.conf("1001")
                .unhold_participant(id("1001"), &unhold(AddressType::AgentId, "1005"))
                .await
        ),
        "000-002"
    );
}

#[tokio::test]
async fn hold_without_its_mandatory_announcement_is_refused_before_the_handler() {
    let f = Fixture::start().await;
    let before = f.gw.sim.handled_calls();
    let response = reqwest::Client::new()
        .post(format!(
            "{}/agentgateway/resource/agentconf/1001/holdparticipant",
            f.gw.base
        ))
        .header("Guid", "g1001.AgentGateway0")
        .header("Content-Type", "application/json; charset=UTF-8")
        .body(r#"{"addressType":"6","address":"70005","playMode":2}"#)
        .send()
        .await
        .unwrap();
    let envelope: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(envelope["retcode"], "000-002", "{envelope}");
    assert!(
        envelope["message"].as_str().unwrap().contains("voicePath"),
        "{envelope}"
    );
    assert_eq!(f.gw.sim.handled_calls(), before);
    assert_eq!(
        f.participant(PHONE).await.map(|p| p.0),
        Some(ChannelState::InProgress)
    );
}

#[tokio::test]
async fn prolonging_keeps_the_conference_within_1440_minutes() {
    // The page's example: 100 minutes asked for, 50 granted.
    let f = Fixture::with_minutes(1390).await;
    let prolong = |minutes| ProlongTimeRequest {
        prolong_time: minutes,
    };
    let granted = f
        .conf("1001")
        .prolong_time(id("1001"), &prolong(100))
        .await
        .unwrap();
    assert_eq!(granted.applyed_time, 50);
    assert_eq!(f.info().await.unwrap().apply_conf_time, 1440);
    let granted = f
        .conf("1001")
        .prolong_time(id("1001"), &prolong(1))
        .await
        .unwrap();
    assert_eq!(granted.applyed_time, 0, "at the limit");

    let f = Fixture::start().await;
    let granted = f
        .conf("1001")
        .prolong_time(id("1001"), &prolong(100))
        .await
        .unwrap();
    assert_eq!(granted.applyed_time, 100);
    assert_eq!(f.info().await.unwrap().apply_conf_time, 160);
    let granted = f
        .conf("1001")
        .prolong_time(id("1001"), &prolong(1440))
        .await
        .unwrap();
    assert_eq!(granted.applyed_time, 1280);
    assert_eq!(
        retcode(f.conf("1002").prolong_time(id("1002"), &prolong(5)).await),
        "101-002"
    );
    assert_eq!(
        retcode(f.conf("1004").prolong_time(id("1004"), &prolong(5)).await),
        "101-001"
    );
    assert!(unsent(
        f.conf("1001")
            .prolong_time(id("1001"), &prolong(1441))
            .await
    ));
    assert!(unsent(
        f.conf("1001").prolong_time(id("1001"), &prolong(0)).await
    ));
}

#[tokio::test]
async fn the_chair_goes_to_a_member_that_has_joined() {
    let f = Fixture::start().await;
    let to = |dest: u32| ApplyToShiftPresidentRequest {
        dest_agent_no: dest.to_string().parse().unwrap(),
    };
    let shift = |agent: &'static str, dest| {
        let client = f.conf(agent);
        async move { client.apply_to_shift_president(id(agent), &to(dest)).await }
    };
    assert_eq!(retcode(shift("1001", 1001).await), "101-005");
    assert_eq!(
        retcode(shift("1001", 1003).await),
        "000-002",
        "still ringing"
    );
    assert_eq!(
        retcode(shift("1001", 1004).await),
        "000-002",
        "not a member"
    );
    assert_eq!(retcode(shift("1002", 1002).await), "101-002");
    assert_eq!(retcode(shift("1004", 1002).await), "101-001");
    // destAgentNo is an AgentId: a value below the agent ID range cannot even be built.
    assert!("100".parse::<agentgateway::AgentId>().is_err());
    shift("1001", 1002).await.unwrap();
    assert_eq!(
        f.participant("1002").await.map(|p| p.1),
        Some(ConfRole::Chairperson)
    );
    assert_eq!(
        f.participant("1001").await.map(|p| p.1),
        Some(ConfRole::Participant)
    );
    // The roles have changed hands: the old chair may leave, the new one may not.
    assert_eq!(
        retcode(f.conf("1002").request_leave_agent_conf(id("1002")).await),
        "101-007"
    );
    f.conf("1001")
        .request_leave_agent_conf(id("1001"))
        .await
        .unwrap();
    assert_eq!(f.participant("1001").await, None);
}

#[tokio::test]
async fn removing_participants_answers_those_not_in_the_conference() {
    let f = Fixture::start().await;
    let chair = f.conf("1001");
    let removed = chair
        .batch_remove_participant(
            id("1001"),
            &removal(&[
                (AddressType::PhoneNumber, PHONE),
                (AddressType::PhoneNumber, "79999"),
                (AddressType::AgentId, "1003"),
            ]),
        )
        .await
        .unwrap();
    assert_eq!(
        removed.no_exist_participants,
        removal(&[(AddressType::PhoneNumber, "79999")]).addresses
    );
    let left: Vec<String> = f
        .info()
        .await
        .unwrap()
        .addresses
        .into_iter()
        .map(|a| a.address)
        .collect();
    assert_eq!(left, ["1001", "1002"]);

    // The chairperson cannot remove itself, and then nobody is removed.
    let with_chair = removal(&[
        (AddressType::AgentId, "1002"),
        (AddressType::AgentId, "1001"),
    ]);
    assert_eq!(
        retcode(
            chair
                .batch_remove_participant(id("1001"), &with_chair)
                .await
        ),
        "101-006"
    );
    assert!(f.participant("1002").await.is_some());
    let one = removal(&[(AddressType::AgentId, "1001")]);
    assert_eq!(
        retcode(
            f.conf("1002")
                .batch_remove_participant(id("1002"), &one)
                .await
        ),
        "101-002"
    );
    assert_eq!(
        retcode(
            f.conf("1004")
                .batch_remove_participant(id("1004"), &one)
                .await
        ),
        "101-001"
    );
    let too_many = BatchRemoveParticipantRequest {
        addresses: vec![removal(&[(AddressType::PhoneNumber, "1")]).addresses[0].clone(); 31],
    };
    assert!(unsent(
        chair.batch_remove_participant(id("1001"), &too_many).await
    ));
    // A removed agent is free for a conference of its own.
    f.conf("1003")
        .request_agent_conf(id("1003"), &request(30))
        .await
        .unwrap();
    assert_eq!(
        retcode(
            f.conf("1002")
                .request_agent_conf(id("1002"), &request(30))
                .await
        ),
        "101-003",
        "still in the first one"
    );
}

#[tokio::test]
async fn announcements_to_the_conference_and_to_a_participant() {
    let f = Fixture::start().await;
    let chair = f.conf("1001");
    assert_eq!(
        retcode(chair.stop_voice_to_conf(id("1001")).await),
        "100-007",
        "none playing"
    );
    let play = PlayVoiceToConfRequest {
        play_type: Some(PlayType::Background),
        play_mode: None,
        voice_path: FILE.to_owned(),
    };
    assert_eq!(
        retcode(f.conf("1002").play_voice_to_conf(id("1002"), &play).await),
        "101-002"
    );
    assert_eq!(
        retcode(f.conf("1004").play_voice_to_conf(id("1004"), &play).await),
        "101-001"
    );
    chair.play_voice_to_conf(id("1001"), &play).await.unwrap();
    assert_eq!(
        f.info().await.unwrap().conf_state,
        ConfState::AnnouncementPlaying
    );
    let kept = f.gw.sim.conference(f.conf_id).await.unwrap();
    let kept = kept.announcement().unwrap();
    assert_eq!(
        (kept.play_type, kept.announcement.voice_path.as_str()),
        (PlayType::Background, FILE)
    );
    assert_eq!(
        retcode(f.conf("1002").stop_voice_to_conf(id("1002")).await),
        "101-002"
    );
    chair.stop_voice_to_conf(id("1001")).await.unwrap();
    assert_eq!(f.info().await.unwrap().conf_state, ConfState::Normal);
    assert_eq!(
        retcode(chair.stop_voice_to_conf(id("1001")).await),
        "100-007"
    );

    let (t, a) = phone();
    let to_phone = PlayVoiceToParticipantRequest {
        address_type: t.clone(),
        address: a.clone(),
        play_mode: None,
        voice_path: FILE.to_owned(),
    };
    let stop_phone = StopVoiceToParticipantRequest {
        address_type: t.clone(),
        address: a.clone(),
    };
    assert_eq!(
        retcode(
            chair
                .stop_voice_to_participant(id("1001"), &stop_phone)
                .await
        ),
        "100-007",
        "none playing"
    );
    assert_eq!(
        retcode(
            f.conf("1002")
                .play_voice_to_participant(id("1002"), &to_phone)
                .await
        ),
        "101-002"
    );
    chair
        .play_voice_to_participant(id("1001"), &to_phone)
        .await
        .unwrap();
    assert_eq!(
        f.participant(PHONE).await.map(|p| p.0),
        Some(ChannelState::AnnouncementPlaying)
    );
    assert_eq!(
        f.info().await.unwrap().conf_state,
        ConfState::Normal,
        "only the channel"
    );
    assert_eq!(
        retcode(
            f.conf("1002")
                .stop_voice_to_participant(id("1002"), &stop_phone)
                .await
        ),
        "101-002"
    );
    chair
        .stop_voice_to_participant(id("1001"), &stop_phone)
        .await
        .unwrap();
    assert_eq!(
        f.participant(PHONE).await.map(|p| p.0),
        Some(ChannelState::InProgress)
    );
    assert_eq!(
        retcode(
            chair
                .stop_voice_to_participant(id("1001"), &stop_phone)
                .await
        ),
        "100-007"
    );
    let stranger = PlayVoiceToParticipantRequest {
        address: "79999".to_owned(),
        ..to_phone
    };
    assert_eq!(
        retcode(chair.play_voice_to_participant(id("1001"), &stranger).await),
        "000-002"
    );
    assert_eq!(
        retcode(
            f.conf("1004")
                .stop_voice_to_participant(id("1004"), &stop_phone)
                .await
        ),
        "101-001"
    );
}

#[tokio::test]
async fn the_number_of_participants_changes_within_the_conferences_limits() {
    let f = Fixture::start().await;
    let modify = |modify_type, modify_num| ModifyConfResourceRequest {
        modify_type,
        modify_num,
    };
    let chair = f.conf("1001");
    let member_num = async || f.gw.sim.conference(f.conf_id).await.unwrap().member_num;
    // Room for 5, 4 take part: 3 would not hold them.
    assert_eq!(
        retcode(
            chair
                .modify_conf_resource(id("1001"), &modify(ModifyType::Decrease, 2))
                .await
        ),
        "000-002"
    );
    // The page's example: 3 more.
    chair
        .modify_conf_resource(id("1001"), &modify(ModifyType::Increase, 3))
        .await
        .unwrap();
    assert_eq!(member_num().await, 8);
    assert_eq!(
        retcode(
            chair
                .modify_conf_resource(id("1001"), &modify(ModifyType::Increase, 113))
                .await
        ),
        "000-002",
        "more than 120"
    );
    chair
        .modify_conf_resource(id("1001"), &modify(ModifyType::Decrease, 4))
        .await
        .unwrap();
    assert_eq!(member_num().await, 4);
    assert_eq!(
        retcode(
            f.conf("1002")
                .modify_conf_resource(id("1002"), &modify(ModifyType::Increase, 2))
                .await
        ),
        "101-002"
    );
    assert_eq!(
        retcode(
            f.conf("1004")
                .modify_conf_resource(id("1004"), &modify(ModifyType::Increase, 2))
                .await
        ),
        "101-001"
    );
    assert!(unsent(
        chair
            .modify_conf_resource(id("1001"), &modify(ModifyType::Increase, 1))
            .await
    ));
    assert!(unsent(
        chair
            .modify_conf_resource(id("1001"), &modify(ModifyType::Increase, 119))
            .await
    ));
    assert_eq!(member_num().await, 4);
}
