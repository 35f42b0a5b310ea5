//! The events the simulator emits, built from the generated [`Event`] enum and its content
//! structs: an `Outbox` collects them while a handler changes the conferences, and they are
//! published in order once the change is stored.
//!
//! Which interface emits what follows the reference and the spec's `events:` lists:
//!
//! | when | to whom | events |
//! |---|---|---|
//! | sign-in (and forced sign-in) | the agent | `AgentOther_InService`, then by status `AgentState_Ready` (idle), `AgentState_SetNotReady_Success` (busy) or `AgentState_Work` (wrap-up) |
//! | requestagentconf | the requester | `AgentConf_RequestSuccess` and `AgentConf_SelfJoinResult` once set up, or `AgentConf_RequestFailed` |
//! | a participant joins (an agent answers, a phone number is invited), leaves, rejects, is removed, muted or unmuted (changeparticipantmode with attribute 1 or 3), held or unheld | the other agents that joined | `AgentConf_ParticipantChanged` |
//! | rejectagentconf | the agent rejecting | `AgentOther_PhoneRelease`, `AgentState_Ready` |
//! | applytoshiftpresident | the new chairperson; the other agents that joined | `AgentConf_PresidentChanged`; `AgentConf_ParticipantChanged` with changeType 2 |
//! | stopvoicetoparticipant | the chairperson | `AgentConf_StopParticipantVoice` |
//! | a conference runs the minutes applied for (requestagentconf's `time`, prolonged by prolongtime) | the agents that joined | `AgentConf_Timeout`, then `AgentState_Ready` |
//! | the conference ends for an agent (it leaves, is removed, or the chair releases the conference) | that agent | `AgentState_Ready` |
//!
//! The reference does not document the content of the conference events other than
//! `AgentConf_ParticipantChanged`; the simulator sends `{"result":0,"confId":..}` in them.

use agentgateway::{
    AddressType, AgentConfParticipantChangedContent, AgentState, Event, ParticipantAddressType,
    ParticipantChangeType, ParticipantInfo,
};
use gatespec::RawContent;
use serde::Serialize;

use crate::conference::Conference;

/// `changeReason` of the participant changes the simulator reports: the vendor's example
/// value (no table of reasons is published).
pub const CHANGE_REASON: i32 = 255;

/// Events to publish, in order, each with the agent it goes to.
#[derive(Debug, Default)]
#[must_use]
pub(crate) struct Outbox {
    events: Vec<(String, Event)>,
}

/// The content the simulator gives the conference events the reference leaves undocumented.
#[derive(Serialize)]
struct ConferenceContent {
    result: i32,
    #[serde(rename = "confId")]
    conf_id: i64,
}

/// The content of a conference event about `conf_id`.
pub(crate) fn conference_content(conf_id: i64) -> RawContent {
    serde_json::to_value(ConferenceContent { result: 0, conf_id }).unwrap_or(RawContent::Null)
}

impl Outbox {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The events, in order.
    pub(crate) fn into_events(self) -> Vec<(String, Event)> {
        self.events
    }

    /// Adds `event` for its agent.
    pub(crate) fn push(&mut self, event: Event) {
        use gatespec::EventCatalogue as _;
        self.events.push((event.agent().to_owned(), event));
    }

    /// The events of a sign-in with the agent in `state`.
    pub(crate) fn signed_in(&mut self, agent: &str, state: AgentState) {
        self.push(Event::AgentOtherInService {
            agent: agent.to_owned(),
        });
        self.state(agent, state);
    }

    /// The event that reports `agent` in `state`, for the states that have one.
    pub(crate) fn state(&mut self, agent: &str, state: AgentState) {
        let agent = agent.to_owned();
        match state {
            AgentState::Idle => self.push(Event::AgentStateReady { agent }),
            AgentState::Busy => self.push(Event::AgentStateSetNotReadySuccess { agent }),
            AgentState::WrapUp => self.push(Event::AgentStateWork { agent }),
            _ => {}
        }
    }

    /// `AgentConf_ParticipantChanged` about `participant` of `conference` (as it is after the
    /// change) to every agent that joined it, except the participant itself.
    pub(crate) fn participant_changed(
        &mut self,
        conference: &Conference,
        participant: &ParticipantInfo,
        change: ParticipantChangeType,
    ) {
        let content = AgentConfParticipantChangedContent {
            result: 0,
            change_reason: CHANGE_REASON,
            change_type: change,
            conf_id: conference.conf_id,
            participant: participant.address.clone(),
            participant_type: participant_type(&participant.address_type),
            device_call_type: participant.device_call_type,
            device_type: participant.device_type,
        };
        let about_agent = participant.address_type == AddressType::AgentId;
        for agent in conference.joined_agents() {
            if about_agent && agent == participant.address {
                continue;
            }
            self.push(Event::AgentConfParticipantChanged {
                agent: agent.to_owned(),
                content: content.clone(),
            });
        }
    }
}

/// A request's address type as the integer code events carry.
fn participant_type(address_type: &AddressType) -> ParticipantAddressType {
    match address_type {
        AddressType::AgentId => ParticipantAddressType::AgentId,
        AddressType::PhoneNumber => ParticipantAddressType::PhoneNumber,
        AddressType::Other(code) => code.parse().map_or(
            ParticipantAddressType::Other(-1),
            ParticipantAddressType::Other,
        ),
    }
}
