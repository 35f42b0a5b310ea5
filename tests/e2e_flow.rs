//! The whole session and conference flow over loopback sockets, with the generated
//! clients and `gatespec::client::Session` against the simulator, on a data set without seeded
//! Guids: sign in -> request a conference -> add participants -> change a participant's mode ->
//! query the conference as its member and as an inspector -> list the VDN's conference IDs as
//! inspector (and be refused as a common agent with 101-004) -> sign out -> old Guid refused.

use agentgateway::agentconf::{
    AgentconfClient, BatchAddParticipantRequest, ChangeParticipantModeRequest,
    QueryConfInfosRequest, RequestAgentConfRequest,
};
use agentgateway::onlineagent::{
    Login, LoginPath, LoginRequest, Logout, LogoutPath, OnlineagentClient,
};
use agentgateway::{
    AddressType, AgentState, ChannelAttrib, ChannelState, ConfInfo, ConfRole, ErrorCode,
    InvitedParticipant, SignInStatus, UserDefinedDeviceType,
};
use gatespec::client::{ClientError, Session};

mod loopback;
use loopback::{Gateway, id, retcode};

/// Agents sign in with passwords; nobody is signed in at start. Conference 500 runs in VDN 2.
const DATA: &str = r#"
agents:
  - {id: "1001", role: agent, vdn: 1, password: chair-pw}
  - {id: "1002", role: agent, vdn: 1, password: member-pw}
  - {id: "1003", role: agent, vdn: 1, password: outsider-pw}
  - {id: "2001", role: inspector, vdn: 1, password: inspector-pw}
  - {id: "3001", role: inspector, vdn: 2, password: other-vdn-pw}
conferences:
  - vdn: 2
    confId: 500
    confState: 0
    startTime: 1
    applyConfTime: 60
    confHaveBeenTime: 0
    addresses:
      - {addressType: "6", address: "80001", deviceCallType: 0, deviceType: 1, channelAttrib: 3, channelState: 0, role: 1, enterTime: 1}
"#;

/// What the flow adds to the shared harness.
trait SignIn {
    /// Signs `agent` in on a new client.
    async fn sign_in(&self, agent: &str, password: &str)
    -> Result<Session, ClientError<ErrorCode>>;
}

impl SignIn for Gateway {
    async fn sign_in(
        &self,
        agent: &str,
        password: &str,
    ) -> Result<Session, ClientError<ErrorCode>> {
        Session::sign_in::<Login>(&self.client(), &login_path(agent), &login(password))
            .await
            .map(|(session, _)| session)
    }
}

fn login_path(agent: &str) -> LoginPath {
    LoginPath { agentid: id(agent) }
}

fn login(password: &str) -> LoginRequest {
    LoginRequest {
        password: password.to_owned(),
        phonenum: "40038".to_owned(),
        autoanswer: None,
        autoenteridle: None,
        releasephone: None,
        agenttype: None,
        status: None,
        ip: None,
        phonelinkage: None,
        call_back_uri: None,
        service_token: None,
    }
}

fn conf(session: &Session) -> AgentconfClient {
    AgentconfClient::new(session.clone())
}

fn invite(address_type: AddressType, address: &str) -> InvitedParticipant {
    InvitedParticipant {
        address_type,
        address: address.to_owned(),
        device_call_type: None,
        device_type: None,
    }
}

async fn query_one(session: &Session, agent: &str, conf_id: i64) -> Vec<ConfInfo> {
    conf(session)
        .query_conf_infos(
            id(agent),
            &QueryConfInfosRequest {
                conf_ids: vec![conf_id, 500],
            },
        )
        .await
        .unwrap()
        .confs
}

#[tokio::test]
async fn sign_in_conference_and_sign_out() {
    let gw = Gateway::start(DATA).await;
    assert!(gw.sim.sessions().await.is_empty(), "no seeded sessions");

    // Sign in: the Guid comes from Set-GUID and is sent afterwards.
    let chair_client = gw.client();
    let (chair, signed_in) =
        Session::sign_in::<Login>(&chair_client, &login_path("1001"), &login("chair-pw"))
            .await
            .unwrap();
    let guid = chair.session_id().unwrap();
    assert!(guid.ends_with(".AgentGateway0"), "{guid}");
    assert_eq!(
        chair.caller().as_deref(),
        Some("1001"),
        "bound to its agent"
    );
    assert_eq!(gw.sim.session_of("1001").await.unwrap().guid, guid);
    assert_eq!(signed_in.vdnid, Some(1));
    assert_eq!(signed_in.workno.as_deref(), Some("1001"));
    let status = OnlineagentClient::new(chair.clone())
        .get_agent_status(id("1001"))
        .await
        .unwrap();
    assert_eq!(status.agent_state, AgentState::Idle);
    // Signed in already: 100-002; a wrong password or an unknown agent: 100-004.
    assert_eq!(retcode(gw.sign_in("1001", "chair-pw").await), "100-002");
    assert_eq!(retcode(gw.sign_in("1002", "guess").await), "100-004");
    assert_eq!(retcode(gw.sign_in("4444", "").await), "100-004");
    assert_eq!(
        chair.session_id().as_deref(),
        Some(guid.as_str()),
        "unchanged"
    );

    let member = gw.sign_in("1002", "member-pw").await.unwrap();
    let outsider = gw.sign_in("1003", "outsider-pw").await.unwrap();
    let inspector = gw.sign_in("2001", "inspector-pw").await.unwrap();
    let other_inspector = gw.sign_in("3001", "other-vdn-pw").await.unwrap();
    assert_ne!(member.session_id(), chair.session_id(), "fresh Guids");

    // Request a conference: the requester chairs it.
    let request = RequestAgentConfRequest {
        member_num: 4,
        conf_caller_no: Some("10000".to_owned()),
        time: Some(50),
        prompt_time: Some(5),
        beep_tone: Some(false),
        play_mode: None,
        voice_path: None,
    };
    conf(&chair)
        .request_agent_conf(id("1001"), &request)
        .await
        .unwrap();
    assert_eq!(
        retcode(conf(&chair).request_agent_conf(id("1001"), &request).await),
        "101-003",
        "already in a conference"
    );
    let listed = conf(&inspector)
        .query_all_conf_ids(id("2001"))
        .await
        .unwrap()
        .conf_ids;
    assert_eq!(listed.len(), 1, "{listed:?}");
    let conf_id = listed[0];
    assert_ne!(conf_id, 500);

    // Add participants: a phone and agent 1002 (held until it answers).
    let add = BatchAddParticipantRequest {
        addresses: vec![
            invite(AddressType::PhoneNumber, "70005"),
            invite(AddressType::AgentId, "1002"),
        ],
        beep_tone: None,
        play_mode: None,
        voice_path: None,
        caller: None,
    };
    conf(&chair)
        .batch_add_participant(id("1001"), &add)
        .await
        .unwrap();
    assert_eq!(
        retcode(conf(&member).batch_add_participant(id("1002"), &add).await),
        "101-002",
        "only the chairperson invites"
    );
    assert_eq!(
        retcode(conf(&outsider).answer_agent_conf(id("1003")).await),
        "101-001"
    );
    let held = query_one(&member, "1002", conf_id).await;
    let state_of = |confs: &[ConfInfo], address: &str| {
        confs[0]
            .addresses
            .iter()
            .find(|a| a.address == address)
            .map(|a| (a.channel_state, a.channel_attrib, a.role))
            .unwrap()
    };
    assert_eq!(state_of(&held, "1002").0, ChannelState::Held);
    conf(&member).answer_agent_conf(id("1002")).await.unwrap();

    // Change a participant's mode: chairperson only.
    let listen_only = ChangeParticipantModeRequest {
        attribute: ChannelAttrib::ListenOnly,
        address_type: AddressType::PhoneNumber,
        address: "70005".to_owned(),
    };
    conf(&chair)
        .change_participant_mode(id("1001"), &listen_only)
        .await
        .unwrap();
    assert_eq!(
        retcode(
            conf(&member)
                .change_participant_mode(id("1002"), &listen_only)
                .await
        ),
        "101-002"
    );
    assert_eq!(
        retcode(
            conf(&outsider)
                .change_participant_mode(id("1003"), &listen_only)
                .await
        ),
        "101-001"
    );
    let stranger = ChangeParticipantModeRequest {
        address: "79999".to_owned(),
        ..listen_only.clone()
    };
    assert_eq!(
        retcode(
            conf(&chair)
                .change_participant_mode(id("1001"), &stranger)
                .await
        ),
        "000-002"
    );

    // Query the conference as its member and as an inspector.
    let as_member = query_one(&member, "1002", conf_id).await;
    assert_eq!(
        as_member.len(),
        1,
        "the member sees its conference, not VDN 2's"
    );
    assert_eq!(as_member[0].conf_id, conf_id);
    assert_eq!(as_member[0].apply_conf_time, 50);
    assert_eq!(
        state_of(&as_member, "1001"),
        (
            ChannelState::InProgress,
            ChannelAttrib::ListenAndSpeak,
            ConfRole::Chairperson
        )
    );
    assert_eq!(
        state_of(&as_member, "70005"),
        (
            ChannelState::InProgress,
            ChannelAttrib::ListenOnly,
            ConfRole::Participant
        )
    );
    assert_eq!(state_of(&as_member, "1002").0, ChannelState::InProgress);
    let phone = as_member[0]
        .addresses
        .iter()
        .find(|a| a.address == "70005")
        .unwrap();
    assert_eq!(phone.device_type, UserDefinedDeviceType::Unknown, "default");
    assert_eq!(query_one(&inspector, "2001", conf_id).await, as_member);
    assert!(query_one(&outsider, "1003", conf_id).await.is_empty());
    let other_vdn = query_one(&other_inspector, "3001", conf_id).await;
    assert_eq!(
        other_vdn.iter().map(|c| c.conf_id).collect::<Vec<_>>(),
        [500]
    );

    // List the VDN's conference IDs: inspectors only, 101-004 for a common agent.
    assert_eq!(
        conf(&other_inspector)
            .query_all_conf_ids(id("3001"))
            .await
            .unwrap()
            .conf_ids,
        [500]
    );
    assert_eq!(
        retcode(conf(&outsider).query_all_conf_ids(id("1003")).await),
        "101-004"
    );
    assert_eq!(
        retcode(conf(&chair).query_all_conf_ids(id("1001")).await),
        "101-004"
    );

    // Sign out: the session forgets the Guid, and the gateway refuses the old one.
    chair
        .sign_out::<Logout>(
            &LogoutPath {
                agentid: id("1001"),
            },
            &(),
        )
        .await
        .unwrap();
    assert_eq!(chair.session_id(), None);
    assert!(!chair.is_signed_in());
    assert!(gw.sim.session_of("1001").await.is_none());
    assert_eq!(
        retcode(conf(&chair).query_all_conf_ids(id("1001")).await),
        "100-006",
        "no Guid is sent any more"
    );
    let old = Session::resume(&gw.client(), guid.clone());
    assert_eq!(
        retcode(
            conf(&old)
                .query_conf_infos(
                    id("1001"),
                    &QueryConfInfosRequest {
                        conf_ids: vec![conf_id]
                    }
                )
                .await
        ),
        "000-003",
        "the old Guid is refused"
    );
    assert_eq!(
        retcode(OnlineagentClient::new(old.clone()).logout(id("1001")).await),
        "000-003"
    );

    // Signing in again hands out a new Guid, with the state asked for.
    let again_client = gw.client();
    let again = Session::sign_in::<Login>(
        &again_client,
        &login_path("1001"),
        &LoginRequest {
            status: Some(SignInStatus::Busy),
            ..login("chair-pw")
        },
    )
    .await
    .unwrap()
    .0;
    assert_ne!(again.session_id().as_deref(), Some(guid.as_str()));
    let status = OnlineagentClient::new(again.clone())
        .get_agent_status(id("1001"))
        .await
        .unwrap();
    assert_eq!(status.agent_state, AgentState::Busy);
}

#[tokio::test]
async fn sign_in_makes_a_new_session_and_leaves_others_alone() {
    let gw = Gateway::start(DATA).await;
    assert!(gw.sim.sessions().await.is_empty(), "no seeded sessions");
    // Another session through the same client, holding a stale Guid: sign-in neither sends nor
    // touches it.
    let client = gw.client();
    let stale = Session::resume(&client, "stale.AgentGateway0");
    let (session, _) =
        Session::sign_in::<Login>(&client, &login_path("1003"), &login("outsider-pw"))
            .await
            .unwrap();
    let guid = session.session_id().unwrap();
    assert_ne!(guid, "stale.AgentGateway0");
    assert_eq!(gw.sim.session_of("1003").await.unwrap().guid, guid);
    assert_eq!(session.caller().as_deref(), Some("1003"));
    assert_eq!(stale.session_id().as_deref(), Some("stale.AgentGateway0"));
    // A failed sign-in makes no session.
    let refused = Session::sign_in::<Login>(&client, &login_path("1002"), &login("wrong")).await;
    assert_eq!(retcode(refused.map(|(s, _)| s.session_id())), "100-004");
    // Signing another agent in through 1003's session: the gateway signs 1002 in, but the
    // session handed out for 1002 never replaces 1003's.
    let through = OnlineagentClient::new(session.clone())
        .login(id("1002"), &login("member-pw"))
        .await;
    match through {
        Err(ClientError::ForeignSession {
            session_of,
            handed_to,
        }) => assert_eq!((session_of.as_str(), handed_to.as_str()), ("1003", "1002")),
        other => panic!("expected a foreign session, got {other:?}"),
    }
    assert_eq!(session.session_id().as_deref(), Some(guid.as_str()));
    OnlineagentClient::new(session.clone())
        .get_agent_status(id("1003"))
        .await
        .unwrap();
}
