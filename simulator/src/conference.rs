//! A running conference and the reference's rules for changing it: membership (invite, answer,
//! reject, leave, remove), the chair (transfer), holding, announcements, duration and capacity.
//!
//! Every rule is a method that either changes the conference or answers the catalogue code the
//! gateway gives for breaking it, so the rules are testable without HTTP. Who may call (the
//! caller's conference, the chairperson) is checked by the caller of these methods
//! (`crate::sim`).

use agentgateway::{
    AddressType, ChannelAttrib, ChannelState, ConfInfo, ConfRole, ConfState, ErrorCode,
    InvitedParticipant, ModifyType, ParticipantAddress, ParticipantInfo, PlayMode, PlayType,
    UserDefinedDeviceCallType, UserDefinedDeviceType,
};
use gatespec::GatewayError;
use serde::{Deserialize, Serialize};
use std::time::Duration;

use crate::data::ConferenceData;

/// A handler's failure.
pub(crate) type Failure = GatewayError<ErrorCode>;

/// The most participants a conference can hold: the top of requestagentconf's `memberNum`
/// range (1-120).
pub const MAX_MEMBERS: u32 = 120;

/// The longest a conference may last in total, in minutes (prolongtime's limit).
pub const MAX_MINUTES: i32 = 1440;

/// An announcement being played.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    /// The file played; empty for announcements of the data set, which does not name them.
    pub voice_path: String,
    /// How it is played.
    pub play_mode: PlayMode,
}

impl Announcement {
    /// An announcement the data set shows as playing, without its file.
    fn from_data_set() -> Self {
        Self {
            voice_path: String::new(),
            play_mode: PlayMode::PlayFile,
        }
    }
}

/// The announcement played to the whole conference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConferenceAnnouncement {
    /// Foreground or background tone.
    pub play_type: PlayType,
    /// What is played.
    pub announcement: Announcement,
}

/// One participant: what queryconfinfos reports, and what the simulator keeps beside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    info: ParticipantInfo,
    ringing: bool,
    hold: Option<Announcement>,
    announcement: Option<Announcement>,
}

impl Participant {
    fn new(address_type: AddressType, address: String, role: ConfRole, now_ms: i64) -> Self {
        Self {
            info: ParticipantInfo {
                address_type,
                address,
                device_call_type: UserDefinedDeviceCallType::NormalCall,
                device_type: UserDefinedDeviceType::Agent,
                channel_attrib: ChannelAttrib::ListenAndSpeak,
                channel_state: ChannelState::InProgress,
                role,
                enter_time: now_ms,
            },
            ringing: false,
            hold: None,
            announcement: None,
        }
    }

    /// A participant of the data set: its channel state says whether it is held or hears an
    /// announcement.
    fn from_data_set(info: ParticipantInfo) -> Self {
        let hold = (info.channel_state == ChannelState::Held).then(Announcement::from_data_set);
        let announcement = (info.channel_state == ChannelState::AnnouncementPlaying)
            .then(Announcement::from_data_set);
        Self {
            info,
            ringing: false,
            hold,
            announcement,
        }
    }

    /// What queryconfinfos reports about the participant.
    pub fn info(&self) -> &ParticipantInfo {
        &self.info
    }

    /// Whether it is an invited agent that has not answered yet.
    pub fn is_ringing(&self) -> bool {
        self.ringing
    }

    /// The hold announcement, while the chairperson holds the participant.
    pub fn hold(&self) -> Option<&Announcement> {
        self.hold.as_ref()
    }

    /// The announcement played to the participant's channel.
    pub fn announcement(&self) -> Option<&Announcement> {
        self.announcement.as_ref()
    }

    fn is(&self, address_type: &AddressType, address: &str) -> bool {
        self.info.address_type == *address_type && self.info.address == address
    }

    fn is_agent(&self, agent: &str) -> bool {
        self.is(&AddressType::AgentId, agent)
    }

    /// Keeps the reported channel state in step: a ringing or held channel is "held", one that
    /// hears an announcement "announcement played", any other "in progress".
    fn sync(&mut self) {
        self.info.channel_state = if self.ringing || self.hold.is_some() {
            ChannelState::Held
        } else if self.announcement.is_some() {
            ChannelState::AnnouncementPlaying
        } else {
            ChannelState::InProgress
        };
    }
}

/// A running conference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conference {
    /// The conference ID.
    pub conf_id: i64,
    /// The VDN the conference runs in.
    pub vdn: u32,
    /// How many participants it can hold (requestagentconf's `memberNum`, changed by
    /// modifyconfresource).
    pub member_num: u32,
    /// Start time, epoch milliseconds.
    pub start_time: i64,
    /// The duration applied for, in minutes (requestagentconf's `time`, prolonged by
    /// prolongtime).
    pub apply_conf_time: i32,
    /// Minutes since the start, as reported.
    pub conf_have_been_time: i32,
    participants: Vec<Participant>,
    announcement: Option<ConferenceAnnouncement>,
    /// Whether the conference is set up (`AgentConf_RequestSuccess` was published): the
    /// chairperson's operations wait for it.
    set_up: bool,
    /// When a requested conference is due to be set up, epoch milliseconds (`None`: at once,
    /// or set up already). Any instance's conference clock sets up a conference past due.
    #[serde(default)]
    setup_due_ms: Option<i64>,
    /// The conference's clock (`None` until it runs).
    clock: Option<Clock>,
}

/// When a conference's clock started (epoch milliseconds, so every instance sharing the
/// conference reads the same clock), and the minutes the conference had run before (those of
/// a data-set conference).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Clock {
    started_ms: i64,
    minutes_before: i32,
}

impl From<ConferenceData> for Conference {
    fn from(data: ConferenceData) -> Self {
        let info = data.info;
        let announcement =
            (info.conf_state == ConfState::AnnouncementPlaying).then(|| ConferenceAnnouncement {
                play_type: PlayType::Foreground,
                announcement: Announcement::from_data_set(),
            });
        Self {
            conf_id: info.conf_id,
            vdn: data.vdn,
            member_num: data.member_num.unwrap_or(MAX_MEMBERS),
            start_time: info.start_time,
            apply_conf_time: info.apply_conf_time,
            conf_have_been_time: info.conf_have_been_time,
            participants: info
                .addresses
                .into_iter()
                .map(Participant::from_data_set)
                .collect(),
            announcement,
            set_up: true,
            setup_due_ms: None,
            clock: None,
        }
    }
}

fn not_a_participant(conf_id: i64, address: &str) -> Failure {
    GatewayError::with_message(
        ErrorCode::InvalidParameter,
        format!("conference {conf_id} has no participant {address}"),
    )
}

fn operation_failed(message: String) -> Failure {
    GatewayError::with_message(ErrorCode::OperationFailed, message)
}

impl Conference {
    /// A new conference chaired by `chair`, holding at most `member_num` participants for
    /// `minutes`.
    pub fn new(
        conf_id: i64,
        vdn: u32,
        chair: &str,
        member_num: u32,
        minutes: i32,
        now_ms: i64,
    ) -> Self {
        Self {
            conf_id,
            vdn,
            member_num,
            start_time: now_ms,
            apply_conf_time: minutes,
            conf_have_been_time: 0,
            participants: vec![Participant::new(
                AddressType::AgentId,
                chair.to_owned(),
                ConfRole::Chairperson,
                now_ms,
            )],
            announcement: None,
            set_up: false,
            setup_due_ms: None,
            clock: None,
        }
    }

    /// Whether the conference is set up: a requested conference is once its
    /// `AgentConf_RequestSuccess` was published; a conference of the data set always is.
    pub fn is_set_up(&self) -> bool {
        self.set_up
    }

    /// Marks the conference set up.
    pub(crate) fn mark_set_up(&mut self) {
        self.set_up = true;
        self.setup_due_ms = None;
    }

    /// Has a requested conference set up at `due_ms` (epoch milliseconds).
    pub(crate) fn set_up_at(&mut self, due_ms: i64) {
        self.setup_due_ms = Some(due_ms);
    }

    /// Whether a requested conference is past the time it was due to be set up.
    pub(crate) fn setup_overdue(&self, now_ms: i64) -> bool {
        !self.set_up && self.setup_due_ms.is_some_and(|due| due <= now_ms)
    }

    /// The agent that chairs the conference.
    pub fn chair(&self) -> Option<&str> {
        self.participants
            .iter()
            .find(|p| {
                p.info.address_type == AddressType::AgentId && p.info.role == ConfRole::Chairperson
            })
            .map(|p| p.info.address.as_str())
    }

    /// Starts the conference's clock at `now_ms` (epoch milliseconds), counting on from the
    /// minutes it has run already.
    pub(crate) fn start_clock(&mut self, now_ms: i64) {
        self.clock = Some(Clock {
            started_ms: now_ms,
            minutes_before: self.conf_have_been_time.max(0),
        });
    }

    /// Advances the conference's clock to `now`: `confHaveBeenTime` becomes the whole minutes
    /// run since the start. Answers whether the conference has used up the time applied for
    /// (`applyConfTime`, prolonged by prolongtime). A conference whose clock does not run
    /// never times out.
    pub(crate) fn tick(&mut self, now_ms: i64, minute: Duration) -> bool {
        let Some(clock) = self.clock else {
            return false;
        };
        if minute.is_zero() {
            return false;
        }
        let run = Duration::from_millis(
            u64::try_from(now_ms.saturating_sub(clock.started_ms)).unwrap_or(0),
        );
        let minutes = run.as_nanos() / minute.as_nanos();
        self.conf_have_been_time = i32::try_from(minutes)
            .unwrap_or(i32::MAX)
            .saturating_add(clock.minutes_before);
        self.conf_have_been_time >= self.apply_conf_time
    }

    /// The agents that have joined (agent-ID participants whose call no longer rings), in
    /// joining order.
    pub fn joined_agents(&self) -> impl Iterator<Item = &str> {
        self.participants
            .iter()
            .filter(|p| p.info.address_type == AddressType::AgentId && !p.ringing)
            .map(|p| p.info.address.as_str())
    }

    /// What queryconfinfos reports.
    pub fn info(&self) -> ConfInfo {
        ConfInfo {
            conf_id: self.conf_id,
            conf_state: if self.announcement.is_some() {
                ConfState::AnnouncementPlaying
            } else {
                ConfState::Normal
            },
            start_time: self.start_time,
            apply_conf_time: self.apply_conf_time,
            conf_have_been_time: self.conf_have_been_time,
            addresses: self.participants.iter().map(|p| p.info.clone()).collect(),
        }
    }

    /// The participants, in joining order.
    pub fn participants(&self) -> &[Participant] {
        &self.participants
    }

    /// The participant at `address`.
    pub fn participant(&self, address_type: &AddressType, address: &str) -> Option<&Participant> {
        self.participants
            .iter()
            .find(|p| p.is(address_type, address))
    }

    /// The announcement played to the whole conference.
    pub fn announcement(&self) -> Option<&ConferenceAnnouncement> {
        self.announcement.as_ref()
    }

    /// Whether `agent` takes part (as an address of type "9", agent ID), invited or joined.
    pub fn has_agent(&self, agent: &str) -> bool {
        self.participants.iter().any(|p| p.is_agent(agent))
    }

    /// Whether `agent` is the conference's chairperson.
    pub fn is_chaired_by(&self, agent: &str) -> bool {
        self.participants
            .iter()
            .any(|p| p.is_agent(agent) && p.info.role == ConfRole::Chairperson)
    }

    fn participant_mut(
        &mut self,
        address_type: &AddressType,
        address: &str,
    ) -> Result<&mut Participant, Failure> {
        let conf_id = self.conf_id;
        self.participants
            .iter_mut()
            .find(|p| p.is(address_type, address))
            .ok_or_else(|| not_a_participant(conf_id, address))
    }

    /// Invites `invited` (addresses already in the conference are left as they are); invited
    /// agents ring until they answer. 100-007 when the conference cannot hold them all.
    pub fn invite(&mut self, invited: &[InvitedParticipant], now_ms: i64) -> Result<(), Failure> {
        let mut new: Vec<&InvitedParticipant> = Vec::new();
        for entry in invited {
            let known = self
                .participant(&entry.address_type, &entry.address)
                .is_some()
                || new
                    .iter()
                    .any(|n| n.address_type == entry.address_type && n.address == entry.address);
            if !known {
                new.push(entry);
            }
        }
        let total = self.participants.len() + new.len();
        if total > usize::try_from(self.member_num).unwrap_or(usize::MAX) {
            return Err(operation_failed(format!(
                "conference {} holds at most {} participants",
                self.conf_id, self.member_num
            )));
        }
        for entry in new {
            let mut participant = Participant::new(
                entry.address_type.clone(),
                entry.address.clone(),
                ConfRole::Participant,
                now_ms,
            );
            participant.info.device_call_type = entry.device_call_type_or_default();
            participant.info.device_type = entry.device_type_or_default();
            participant.ringing = entry.address_type == AddressType::AgentId;
            participant.sync();
            self.participants.push(participant);
        }
        Ok(())
    }

    /// `agent` answers the conference call (answering again changes nothing).
    pub fn answer(&mut self, agent: &str) -> Result<(), Failure> {
        let participant = self.participant_mut(&AddressType::AgentId, agent)?;
        participant.ringing = false;
        participant.sync();
        Ok(())
    }

    /// `agent` rejects the conference call ringing for it and is no longer a participant;
    /// 100-007 when no call rings for it (it has answered, or it chairs the conference).
    pub fn reject(&mut self, agent: &str) -> Result<(), Failure> {
        let conf_id = self.conf_id;
        if !self.participant_mut(&AddressType::AgentId, agent)?.ringing {
            return Err(operation_failed(format!(
                "no call of conference {conf_id} is ringing for agent {agent}"
            )));
        }
        self.participants.retain(|p| !p.is_agent(agent));
        Ok(())
    }

    /// `agent` leaves; the chairperson cannot (101-007).
    pub fn leave(&mut self, agent: &str) -> Result<(), Failure> {
        if self.is_chaired_by(agent) {
            return Err(GatewayError::with_message(
                ErrorCode::ChairCannotLeave,
                format!(
                    "agent {agent} chairs conference {} and cannot leave it",
                    self.conf_id
                ),
            ));
        }
        self.participant_mut(&AddressType::AgentId, agent)?;
        self.participants.retain(|p| !p.is_agent(agent));
        Ok(())
    }

    /// The chairperson `chair` removes `addresses`; it cannot remove itself (101-006, and then
    /// nobody is removed). Answers the addresses that were not in the conference, each once, in
    /// request order.
    pub fn remove(
        &mut self,
        chair: &str,
        addresses: &[ParticipantAddress],
    ) -> Result<Vec<ParticipantAddress>, Failure> {
        if addresses
            .iter()
            .any(|a| a.address_type == AddressType::AgentId && a.address == chair)
        {
            return Err(GatewayError::with_message(
                ErrorCode::ChairRemoveSelf,
                format!("the chairperson {chair} cannot remove itself"),
            ));
        }
        let mut missing: Vec<ParticipantAddress> = Vec::new();
        for entry in addresses {
            let before = self.participants.len();
            self.participants
                .retain(|p| !p.is(&entry.address_type, &entry.address));
            if self.participants.len() == before && !missing.contains(entry) {
                missing.push(entry.clone());
            }
        }
        Ok(missing)
    }

    /// Changes a participant's listening and speaking rights.
    pub fn change_mode(
        &mut self,
        address_type: &AddressType,
        address: &str,
        attribute: ChannelAttrib,
    ) -> Result<(), Failure> {
        self.participant_mut(address_type, address)?
            .info
            .channel_attrib = attribute;
        Ok(())
    }

    /// Holds a participant, playing `announcement` to it; 100-007 when it is held already.
    pub fn hold(
        &mut self,
        address_type: &AddressType,
        address: &str,
        announcement: Announcement,
    ) -> Result<(), Failure> {
        let participant = self.participant_mut(address_type, address)?;
        if participant.hold.is_some() {
            return Err(operation_failed(format!(
                "participant {address} is held already"
            )));
        }
        participant.hold = Some(announcement);
        participant.sync();
        Ok(())
    }

    /// Takes a held participant off hold; 100-007 when it is not held.
    pub fn unhold(&mut self, address_type: &AddressType, address: &str) -> Result<(), Failure> {
        let participant = self.participant_mut(address_type, address)?;
        if participant.hold.take().is_none() {
            return Err(operation_failed(format!(
                "participant {address} is not held"
            )));
        }
        participant.sync();
        Ok(())
    }

    /// Prolongs the conference by at most `minutes`, keeping its total duration at or below
    /// [`MAX_MINUTES`]; answers the minutes granted (0 once the conference is at the limit).
    pub fn prolong(&mut self, minutes: i32) -> i32 {
        let room = MAX_MINUTES.saturating_sub(self.apply_conf_time).max(0);
        let granted = minutes.clamp(0, room);
        self.apply_conf_time = self.apply_conf_time.saturating_add(granted);
        granted
    }

    /// The chairperson `chair` hands the chair to agent `dest`, a member that has joined:
    /// 101-005 for itself, 000-002 for an agent that is not a member or has not answered.
    pub fn transfer_chair(&mut self, chair: &str, dest: &str) -> Result<(), Failure> {
        if dest == chair {
            return Err(GatewayError::with_message(
                ErrorCode::ChairTransferToSelf,
                format!("agent {chair} chairs conference {} already", self.conf_id),
            ));
        }
        let conf_id = self.conf_id;
        if !self
            .participants
            .iter()
            .any(|p| p.is_agent(dest) && !p.ringing)
        {
            return Err(GatewayError::with_message(
                ErrorCode::InvalidParameter,
                format!("agent {dest} has not joined conference {conf_id}"),
            ));
        }
        for participant in &mut self.participants {
            if participant.is_agent(chair) {
                participant.info.role = ConfRole::Participant;
            } else if participant.is_agent(dest) {
                participant.info.role = ConfRole::Chairperson;
            }
        }
        Ok(())
    }

    /// Increases or decreases how many participants the conference can hold by `count`; the
    /// result stays within 1..=[`MAX_MEMBERS`] and holds the present participants (000-002
    /// otherwise).
    pub fn modify_capacity(&mut self, modify_type: ModifyType, count: i32) -> Result<(), Failure> {
        let current = i64::from(self.member_num);
        let wanted = match modify_type {
            ModifyType::Increase => current + i64::from(count),
            ModifyType::Decrease => current - i64::from(count),
        };
        let present = i64::try_from(self.participants.len()).unwrap_or(i64::MAX);
        let floor = present.max(1);
        match u32::try_from(wanted) {
            Ok(new) if wanted >= floor && new <= MAX_MEMBERS => {
                self.member_num = new;
                Ok(())
            }
            _ => Err(GatewayError::with_message(
                ErrorCode::InvalidParameter,
                format!(
                    "conference {} can hold {current} participants and has {present}: {wanted} \
                     is outside {floor}..={MAX_MEMBERS}",
                    self.conf_id
                ),
            )),
        }
    }

    /// Plays an announcement to the whole conference (replacing one that is playing).
    pub fn play(&mut self, announcement: ConferenceAnnouncement) {
        self.announcement = Some(announcement);
    }

    /// Stops the conference's announcement; 100-007 when none is playing.
    pub fn stop(&mut self) -> Result<(), Failure> {
        match self.announcement.take() {
            Some(_) => Ok(()),
            None => Err(operation_failed(format!(
                "no announcement is playing in conference {}",
                self.conf_id
            ))),
        }
    }

    /// Plays an announcement to one participant (replacing one that is playing to it).
    pub fn play_to(
        &mut self,
        address_type: &AddressType,
        address: &str,
        announcement: Announcement,
    ) -> Result<(), Failure> {
        let participant = self.participant_mut(address_type, address)?;
        participant.announcement = Some(announcement);
        participant.sync();
        Ok(())
    }

    /// Stops the announcement playing to one participant; 100-007 when none is.
    pub fn stop_to(&mut self, address_type: &AddressType, address: &str) -> Result<(), Failure> {
        let participant = self.participant_mut(address_type, address)?;
        if participant.announcement.take().is_none() {
            return Err(operation_failed(format!(
                "no announcement is playing to participant {address}"
            )));
        }
        participant.sync();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(address_type: AddressType, address: &str) -> ParticipantAddress {
        ParticipantAddress {
            address_type,
            address: address.to_owned(),
        }
    }

    fn invite(address_type: AddressType, address: &str) -> InvitedParticipant {
        InvitedParticipant {
            address_type,
            address: address.to_owned(),
            device_call_type: None,
            device_type: None,
        }
    }

    fn file(path: &str) -> Announcement {
        Announcement {
            voice_path: path.to_owned(),
            play_mode: PlayMode::PlayFile,
        }
    }

    /// Agent 1001 chairs; agent 1002 has answered, agent 1003 rings, phone 70005 is in.
    fn conference() -> Conference {
        let mut c = Conference::new(7, 1, "1001", 5, 60, 0);
        c.invite(
            &[
                invite(AddressType::AgentId, "1002"),
                invite(AddressType::AgentId, "1003"),
                invite(AddressType::PhoneNumber, "70005"),
            ],
            1,
        )
        .unwrap();
        c.answer("1002").unwrap();
        c
    }

    fn state_of(c: &Conference, address_type: AddressType, address: &str) -> ChannelState {
        c.participant(&address_type, address)
            .unwrap()
            .info()
            .channel_state
    }

    fn code(failure: Failure) -> String {
        failure.retcode().to_owned()
    }

    #[test]
    fn invitations_ring_until_answered_and_respect_the_capacity() {
        let mut c = conference();
        assert_eq!(
            state_of(&c, AddressType::AgentId, "1003"),
            ChannelState::Held
        );
        assert!(
            c.participant(&AddressType::AgentId, "1003")
                .unwrap()
                .is_ringing()
        );
        assert_eq!(
            state_of(&c, AddressType::AgentId, "1002"),
            ChannelState::InProgress
        );
        assert_eq!(
            state_of(&c, AddressType::PhoneNumber, "70005"),
            ChannelState::InProgress
        );
        // Already there: nothing new. Two more would make 6 of 5.
        c.invite(&[invite(AddressType::AgentId, "1002")], 2)
            .unwrap();
        assert_eq!(c.participants().len(), 4);
        let failure = c
            .invite(
                &[
                    invite(AddressType::PhoneNumber, "1"),
                    invite(AddressType::PhoneNumber, "2"),
                ],
                2,
            )
            .unwrap_err();
        assert_eq!(code(failure), "100-007");
        assert_eq!(c.participants().len(), 4, "nothing added");
    }

    #[test]
    fn reject_only_while_ringing_and_the_chair_cannot_leave() {
        let mut c = conference();
        assert_eq!(code(c.reject("1002").unwrap_err()), "100-007");
        assert_eq!(code(c.reject("1001").unwrap_err()), "100-007");
        c.reject("1003").unwrap();
        assert!(!c.has_agent("1003"));
        assert_eq!(code(c.leave("1001").unwrap_err()), "101-007");
        c.leave("1002").unwrap();
        assert!(!c.has_agent("1002"));
        assert_eq!(code(c.leave("1002").unwrap_err()), "000-002");
    }

    #[test]
    fn remove_answers_the_absent_and_never_the_chair() {
        let mut c = conference();
        let failure = c
            .remove(
                "1001",
                &[
                    address(AddressType::PhoneNumber, "70005"),
                    address(AddressType::AgentId, "1001"),
                ],
            )
            .unwrap_err();
        assert_eq!(code(failure), "101-006");
        assert_eq!(c.participants().len(), 4, "nobody removed");
        let missing = c
            .remove(
                "1001",
                &[
                    address(AddressType::PhoneNumber, "70005"),
                    address(AddressType::PhoneNumber, "99999"),
                    address(AddressType::PhoneNumber, "99999"),
                    // The agent 1002 is in, the phone number 1002 is not.
                    address(AddressType::PhoneNumber, "1002"),
                ],
            )
            .unwrap();
        assert_eq!(
            missing,
            [
                address(AddressType::PhoneNumber, "99999"),
                address(AddressType::PhoneNumber, "1002")
            ]
        );
        assert!(c.participant(&AddressType::PhoneNumber, "70005").is_none());
        assert!(c.has_agent("1002"));
    }

    #[test]
    fn hold_and_announcements_show_in_the_channel_and_conference_state() {
        let mut c = conference();
        let phone = AddressType::PhoneNumber;
        c.play_to(&phone, "70005", file("a.V3")).unwrap();
        assert_eq!(
            state_of(&c, phone.clone(), "70005"),
            ChannelState::AnnouncementPlaying
        );
        c.hold(&phone, "70005", file("hold.V3")).unwrap();
        assert_eq!(state_of(&c, phone.clone(), "70005"), ChannelState::Held);
        assert_eq!(
            code(c.hold(&phone, "70005", file("x")).unwrap_err()),
            "100-007"
        );
        c.unhold(&phone, "70005").unwrap();
        assert_eq!(code(c.unhold(&phone, "70005").unwrap_err()), "100-007");
        assert_eq!(
            state_of(&c, phone.clone(), "70005"),
            ChannelState::AnnouncementPlaying
        );
        c.stop_to(&phone, "70005").unwrap();
        assert_eq!(code(c.stop_to(&phone, "70005").unwrap_err()), "100-007");
        assert_eq!(
            state_of(&c, phone.clone(), "70005"),
            ChannelState::InProgress
        );
        assert_eq!(
            code(c.hold(&phone, "70006", file("x")).unwrap_err()),
            "000-002"
        );

        assert_eq!(c.info().conf_state, ConfState::Normal);
        assert_eq!(code(c.stop().unwrap_err()), "100-007");
        c.play(ConferenceAnnouncement {
            play_type: PlayType::Background,
            announcement: file("bg.V3"),
        });
        assert_eq!(c.info().conf_state, ConfState::AnnouncementPlaying);
        assert_eq!(c.announcement().unwrap().play_type, PlayType::Background);
        c.stop().unwrap();
        assert_eq!(c.info().conf_state, ConfState::Normal);
    }

    #[test]
    fn prolong_grants_what_keeps_the_total_within_1440_minutes() {
        let mut c = conference();
        c.apply_conf_time = 1390;
        assert_eq!(c.prolong(100), 50, "the page's example");
        assert_eq!(c.apply_conf_time, MAX_MINUTES);
        assert_eq!(c.prolong(1), 0);
        assert_eq!(c.apply_conf_time, MAX_MINUTES);
        c.apply_conf_time = 60;
        assert_eq!(c.prolong(30), 30);
        assert_eq!(c.apply_conf_time, 90);
    }

    #[test]
    fn the_clock_counts_minutes_already_run_and_ends_at_the_time_applied_for() {
        let minute = Duration::from_secs(60);
        let minute_ms = 60_000;
        let now = 1_700_000_000_000;
        let mut c = conference();
        c.apply_conf_time = 60;
        assert!(
            !c.tick(now + minute_ms * 100, minute),
            "no clock, no timeout"
        );
        c.conf_have_been_time = 29;
        c.start_clock(now);
        assert!(!c.tick(now, minute));
        assert_eq!(c.conf_have_been_time, 29);
        assert!(!c.tick(now + minute_ms * 30 + minute_ms / 2, minute));
        assert_eq!(c.conf_have_been_time, 59);
        assert_eq!(c.prolong(10), 10);
        assert!(!c.tick(now + minute_ms * 31, minute), "prolonged to 70");
        assert!(c.tick(now + minute_ms * 41, minute));
        assert_eq!(c.conf_have_been_time, 70);
    }

    #[test]
    fn the_chair_goes_to_a_joined_agent_only() {
        let mut c = conference();
        assert_eq!(
            code(c.transfer_chair("1001", "1001").unwrap_err()),
            "101-005"
        );
        assert_eq!(
            code(c.transfer_chair("1001", "1003").unwrap_err()),
            "000-002",
            "ringing"
        );
        assert_eq!(
            code(c.transfer_chair("1001", "70005").unwrap_err()),
            "000-002",
            "a phone"
        );
        c.transfer_chair("1001", "1002").unwrap();
        assert!(c.is_chaired_by("1002"));
        assert!(!c.is_chaired_by("1001"));
        assert!(c.has_agent("1001"));
    }

    #[test]
    fn capacity_stays_between_the_participants_and_120() {
        let mut c = conference();
        assert_eq!(c.member_num, 5);
        c.modify_capacity(ModifyType::Increase, 115).unwrap();
        assert_eq!(c.member_num, MAX_MEMBERS);
        assert_eq!(
            code(c.modify_capacity(ModifyType::Increase, 2).unwrap_err()),
            "000-002"
        );
        c.modify_capacity(ModifyType::Decrease, 116).unwrap();
        assert_eq!(c.member_num, 4, "the four participants");
        assert_eq!(
            code(c.modify_capacity(ModifyType::Decrease, 2).unwrap_err()),
            "000-002"
        );
        assert_eq!(c.member_num, 4, "unchanged");
    }

    #[test]
    fn the_data_sets_states_become_holds_and_announcements() {
        let data = crate::DataSet::default_data().unwrap();
        let playing = data
            .conferences
            .into_iter()
            .find(|c| c.info.conf_id == 1029889)
            .unwrap();
        let info = playing.info.clone();
        let c = Conference::from(playing);
        assert_eq!(c.info(), info, "reported as loaded");
        assert!(c.announcement().is_some());
        let chair = c.participant(&AddressType::AgentId, "154").unwrap();
        assert!(chair.announcement().is_some());
        assert_eq!(c.member_num, MAX_MEMBERS, "no memberNum in the data set");
    }
}
