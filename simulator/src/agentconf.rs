//! The agentconf interfaces: the generated [`AgentconfServer`] over the simulator's conferences.
//!
//! Each handler finds the caller's conference (101-001 without one) and, for the chairperson's
//! operations, checks that the caller chairs it (101-002); the rules of the operation itself are
//! the conference's ([`crate::conference`]).

use agentgateway::ErrorCode;
use agentgateway::agentconf::{
    AgentconfServer, AnswerAgentConfPath, ApplyToShiftPresidentPath, ApplyToShiftPresidentRequest,
    ApplyToShiftPresidentResult, BatchAddParticipantPath, BatchAddParticipantRequest,
    BatchRemoveParticipantPath, BatchRemoveParticipantRequest, BatchRemoveParticipantResult,
    ChangeParticipantModePath, ChangeParticipantModeRequest, HoldParticipantPath,
    HoldParticipantRequest, ModifyConfResourcePath, ModifyConfResourceRequest,
    ModifyConfResourceResult, PlayVoiceToConfPath, PlayVoiceToConfRequest,
    PlayVoiceToParticipantFailure, PlayVoiceToParticipantPath, PlayVoiceToParticipantRequest,
    ProlongTimePath, ProlongTimeRequest, ProlongTimeResult, QueryAllConfIdsPath,
    QueryAllConfIdsResult, QueryConfInfosPath, QueryConfInfosRequest, QueryConfInfosResult,
    RejectAgentConfPath, RejectAgentConfResult, ReleaseAgentConfPath, RequestAgentConfPath,
    RequestAgentConfRequest, RequestAgentConfResult, RequestLeaveAgentConfPath,
    StopVoiceToConfFailure, StopVoiceToConfPath, StopVoiceToParticipantPath,
    StopVoiceToParticipantRequest, UnholdParticipantPath, UnholdParticipantRequest,
};
use gatespec::server::Context;
use gatespec::{GatewayError, NoResult};

use agentgateway::{AddressType, AgentState, ChannelAttrib, Event, ParticipantChangeType};

use crate::conference::{Announcement, Conference, ConferenceAnnouncement, Failure};
use crate::events::{Outbox, conference_content};
use crate::sim::{AgentSession, NO_ANNOUNCEMENT_CAUSE, Simulator, now_ms};

/// The `AgentConf_ParticipantChanged` events about the participant at `address` of
/// `conference` (as it is now) to the other agents that joined.
fn changed(
    outbox: &mut Outbox,
    conference: &Conference,
    address_type: &AddressType,
    address: &str,
    change: ParticipantChangeType,
) {
    if let Some(participant) = conference.participant(address_type, address) {
        outbox.participant_changed(conference, participant.info(), change);
    }
}

/// What a participant's rights change reports: listening only is muted, listening and
/// speaking unmuted; speaking only and neither report nothing.
fn mode_change(attribute: &ChannelAttrib) -> Option<ParticipantChangeType> {
    match attribute {
        ChannelAttrib::ListenOnly => Some(ParticipantChangeType::Muted),
        ChannelAttrib::ListenAndSpeak => Some(ParticipantChangeType::Unmuted),
        _ => None,
    }
}

impl AgentconfServer for Simulator {
    async fn answer_agent_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: AnswerAgentConfPath,
    ) -> Result<NoResult, Failure> {
        self.count();
        let session = ctx.caller();
        self.change(|state, outbox| {
            let conference = state.member_conference(session)?;
            let was_ringing = conference
                .participant(&AddressType::AgentId, &session.agent_id)
                .is_some_and(|p| p.is_ringing());
            conference.answer(&session.agent_id)?;
            if was_ringing {
                changed(
                    outbox,
                    conference,
                    &AddressType::AgentId,
                    &session.agent_id,
                    ParticipantChangeType::Joined,
                );
            }
            Ok::<_, Failure>(())
        })
        .await?;
        Ok(NoResult)
    }

    async fn apply_to_shift_president(
        &self,
        ctx: Context<AgentSession>,
        _path: ApplyToShiftPresidentPath,
        body: ApplyToShiftPresidentRequest,
    ) -> Result<ApplyToShiftPresidentResult, Failure> {
        self.count();
        let session = ctx.caller();
        self.change(|state, outbox| {
            let conference = state.chaired_conference(session)?;
            // The page types the agent ID as an integer; members are addressed by its decimal
            // form.
            let dest = body.dest_agent_no.to_string();
            conference.transfer_chair(&session.agent_id, &dest)?;
            tracing::info!(conf = conference.conf_id, chair = %dest, "chair transferred");
            outbox.push(Event::AgentConfPresidentChanged {
                agent: dest.clone(),
                content: conference_content(conference.conf_id),
            });
            changed(
                outbox,
                conference,
                &AddressType::AgentId,
                &dest,
                ParticipantChangeType::ChairChanged,
            );
            Ok::<_, Failure>(())
        })
        .await?;
        Ok(ApplyToShiftPresidentResult {})
    }

    async fn batch_add_participant(
        &self,
        ctx: Context<AgentSession>,
        _path: BatchAddParticipantPath,
        body: BatchAddParticipantRequest,
    ) -> Result<NoResult, Failure> {
        self.count();
        let session = ctx.caller();
        self.change(|state, outbox| {
            let conf_id = state.chaired_conference(session)?.conf_id;
            // An invited agent must not be in another conference (checked before changing anything).
            if let Some(busy) = body.addresses.iter().find(|invited| {
                invited.address_type == agentgateway::AddressType::AgentId
                    && state
                        .conferences
                        .values()
                        .any(|c| c.conf_id != conf_id && c.has_agent(&invited.address))
            }) {
                return Err(GatewayError::with_message(
                    ErrorCode::AlreadyInConference,
                    format!("agent {} is already in another conference", busy.address),
                ));
            }
            let conference = state.chaired_conference(session)?;
            let before = conference.participants().len();
            conference.invite(&body.addresses, now_ms())?;
            tracing::info!(
                conf = conf_id,
                participants = conference.participants().len(),
                "participants added"
            );
            // Phone numbers join at once; invited agents join when they answer.
            for participant in &conference.participants()[before..] {
                if !participant.is_ringing() {
                    outbox.participant_changed(
                        conference,
                        participant.info(),
                        ParticipantChangeType::Joined,
                    );
                }
            }
            Ok::<_, Failure>(())
        })
        .await?;
        Ok(NoResult)
    }

    async fn batch_remove_participant(
        &self,
        ctx: Context<AgentSession>,
        _path: BatchRemoveParticipantPath,
        body: BatchRemoveParticipantRequest,
    ) -> Result<BatchRemoveParticipantResult, Failure> {
        self.count();
        let session = ctx.caller();
        let no_exist_participants = self
            .change(|state, outbox| {
                let conference = state.chaired_conference(session)?;
                let removed: Vec<_> = body
                    .addresses
                    .iter()
                    .filter_map(|a| conference.participant(&a.address_type, &a.address))
                    .map(|p| p.info().clone())
                    .collect();
                let missing = conference.remove(&session.agent_id, &body.addresses)?;
                tracing::info!(
                    conf = conference.conf_id,
                    participants = conference.participants().len(),
                    "participants removed"
                );
                for participant in &removed {
                    outbox.participant_changed(
                        conference,
                        participant,
                        ParticipantChangeType::Left,
                    );
                }
                let ended: Vec<String> = removed
                    .iter()
                    .filter(|p| p.address_type == AddressType::AgentId)
                    .map(|p| p.address.clone())
                    .collect();
                for agent in &ended {
                    state.set_agent_state(agent, AgentState::Idle);
                    outbox.state(agent, AgentState::Idle);
                }
                Ok::<_, Failure>(missing)
            })
            .await?;
        Ok(BatchRemoveParticipantResult {
            no_exist_participants,
        })
    }

    async fn change_participant_mode(
        &self,
        ctx: Context<AgentSession>,
        _path: ChangeParticipantModePath,
        body: ChangeParticipantModeRequest,
    ) -> Result<NoResult, Failure> {
        self.count();
        self.change(|state, outbox| {
            let conference = state.chaired_conference(ctx.caller())?;
            let change = mode_change(&body.attribute);
            conference.change_mode(&body.address_type, &body.address, body.attribute)?;
            if let Some(change) = change {
                changed(
                    outbox,
                    conference,
                    &body.address_type,
                    &body.address,
                    change,
                );
            }
            Ok::<_, Failure>(())
        })
        .await?;
        Ok(NoResult)
    }

    async fn hold_participant(
        &self,
        ctx: Context<AgentSession>,
        _path: HoldParticipantPath,
        body: HoldParticipantRequest,
    ) -> Result<NoResult, Failure> {
        self.count();
        let announcement = Announcement {
            play_mode: body.play_mode_or_default(),
            voice_path: body.voice_path,
        };
        self.change(|state, outbox| {
            let conference = state.chaired_conference(ctx.caller())?;
            conference.hold(&body.address_type, &body.address, announcement.clone())?;
            changed(
                outbox,
                conference,
                &body.address_type,
                &body.address,
                ParticipantChangeType::Held,
            );
            Ok::<_, Failure>(())
        })
        .await?;
        Ok(NoResult)
    }

    async fn modify_conf_resource(
        &self,
        ctx: Context<AgentSession>,
        _path: ModifyConfResourcePath,
        body: ModifyConfResourceRequest,
    ) -> Result<ModifyConfResourceResult, Failure> {
        self.count();
        self.change(|state, _| {
            state
                .chaired_conference(ctx.caller())?
                .modify_capacity(body.modify_type, body.modify_num)
        })
        .await?;
        Ok(ModifyConfResourceResult {})
    }

    async fn play_voice_to_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: PlayVoiceToConfPath,
        body: PlayVoiceToConfRequest,
    ) -> Result<NoResult, Failure> {
        self.count();
        let announcement = ConferenceAnnouncement {
            play_type: body.play_type_or_default(),
            announcement: Announcement {
                play_mode: body.play_mode_or_default(),
                voice_path: body.voice_path,
            },
        };
        self.change(|state, _| {
            state
                .chaired_conference(ctx.caller())?
                .play(announcement.clone());
            Ok::<_, Failure>(())
        })
        .await?;
        Ok(NoResult)
    }

    async fn play_voice_to_participant(
        &self,
        ctx: Context<AgentSession>,
        _path: PlayVoiceToParticipantPath,
        body: PlayVoiceToParticipantRequest,
    ) -> Result<NoResult, GatewayError<ErrorCode, PlayVoiceToParticipantFailure>> {
        self.count();
        let announcement = Announcement {
            play_mode: body.play_mode_or_default(),
            voice_path: body.voice_path,
        };
        // The simulated device never fails to play, so no failure carries a device cause.
        self.change(|state, _| {
            state
                .chaired_conference(ctx.caller())
                .and_then(|conference| {
                    conference.play_to(&body.address_type, &body.address, announcement.clone())
                })
                .map_err(GatewayError::allow_detail)
        })
        .await?;
        Ok(NoResult)
    }

    async fn prolong_time(
        &self,
        ctx: Context<AgentSession>,
        _path: ProlongTimePath,
        body: ProlongTimeRequest,
    ) -> Result<ProlongTimeResult, Failure> {
        self.count();
        let applyed_time = self
            .change(|state, _| {
                let conference = state.chaired_conference(ctx.caller())?;
                let applyed_time = conference.prolong(body.prolong_time);
                tracing::info!(
                    conf = conference.conf_id,
                    asked = body.prolong_time,
                    granted = applyed_time,
                    "conference prolonged"
                );
                Ok::<_, Failure>(applyed_time)
            })
            .await?;
        Ok(ProlongTimeResult { applyed_time })
    }

    async fn query_conf_infos(
        &self,
        ctx: Context<AgentSession>,
        _path: QueryConfInfosPath,
        body: QueryConfInfosRequest,
    ) -> Result<QueryConfInfosResult, Failure> {
        self.count();
        // The router has checked that the session is agent `path.agentid`'s.
        let confs = self.visible(ctx.caller(), &body.conf_ids).await?;
        tracing::info!(
            role = %ctx.caller().role,
            requested = body.conf_ids.len(),
            found = confs.len(),
            "conferences queried"
        );
        Ok(QueryConfInfosResult { confs })
    }

    async fn query_all_conf_ids(
        &self,
        ctx: Context<AgentSession>,
        _path: QueryAllConfIdsPath,
    ) -> Result<QueryAllConfIdsResult, Failure> {
        self.count();
        // The router lets only inspectors through (the interface's role prerequisite).
        let vdn = ctx.caller().vdn;
        let conf_ids = self
            .shared()
            .read(|conferences| {
                conferences
                    .values()
                    .filter(|c| c.vdn == vdn)
                    .map(|c| c.conf_id)
                    .collect()
            })
            .await?;
        Ok(QueryAllConfIdsResult { conf_ids })
    }

    async fn reject_agent_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: RejectAgentConfPath,
    ) -> Result<RejectAgentConfResult, Failure> {
        self.count();
        let session = ctx.caller();
        self.change(|state, outbox| {
            let conference = state.member_conference(session)?;
            let info = conference
                .participant(&AddressType::AgentId, &session.agent_id)
                .map(|p| p.info().clone());
            conference.reject(&session.agent_id)?;
            if let Some(info) = info {
                outbox.participant_changed(conference, &info, ParticipantChangeType::Left);
            }
            outbox.push(Event::AgentOtherPhoneRelease {
                agent: session.agent_id.clone(),
            });
            state.set_agent_state(&session.agent_id, AgentState::Idle);
            outbox.state(&session.agent_id, AgentState::Idle);
            Ok::<_, Failure>(())
        })
        .await?;
        Ok(RejectAgentConfResult {})
    }

    async fn release_agent_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: ReleaseAgentConfPath,
    ) -> Result<NoResult, Failure> {
        self.count();
        self.change(|state, outbox| {
            let conf_id = state.chaired_conference(ctx.caller())?.conf_id;
            state.end_conference(conf_id, outbox, |_| None);
            tracing::info!(conf = conf_id, "conference released");
            Ok::<_, Failure>(())
        })
        .await?;
        Ok(NoResult)
    }

    async fn request_agent_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: RequestAgentConfPath,
        body: RequestAgentConfRequest,
    ) -> Result<RequestAgentConfResult, Failure> {
        self.count();
        let session = ctx.caller();
        // The router has validated memberNum (1-120).
        let member_num = u32::try_from(body.member_num).unwrap_or(1);
        let (setup, limit) = (self.options.conference_setup, self.options.conference_limit);
        // Requested and, without a set-up time, set up in the same change: a conference is
        // never left half made.
        let conf_id = self
            .change(|state, outbox| {
                if let Some(conference) = state.conference_of(session) {
                    return Err(GatewayError::with_message(
                        ErrorCode::AlreadyInConference,
                        format!(
                            "agent {} is already in conference {}",
                            session.agent_id, conference.conf_id
                        ),
                    ));
                }
                let conf_id = state
                    .conferences
                    .keys()
                    .next_back()
                    .map_or(1, |last| last.saturating_add(1));
                let now = now_ms();
                let mut conference = Conference::new(
                    conf_id,
                    session.vdn,
                    &session.agent_id,
                    member_num,
                    body.time_or_default(),
                    now,
                );
                if !setup.is_zero() {
                    let delay = i64::try_from(setup.as_millis()).unwrap_or(i64::MAX);
                    conference.set_up_at(now.saturating_add(delay));
                }
                state.conferences.insert(conf_id, conference);
                tracing::info!(conf = conf_id, chair = %session.agent_id, "conference requested");
                if setup.is_zero() {
                    state.set_up(conf_id, limit, outbox);
                }
                Ok::<_, Failure>(conf_id)
            })
            .await?;
        if !setup.is_zero() {
            // Set up on time by this instance; by any instance's conference clock if this one
            // is gone by then.
            let sim = self.clone();
            tokio::spawn(async move {
                tokio::time::sleep(setup).await;
                let set_up = sim
                    .change(|state, outbox| {
                        state.set_up(conf_id, limit, outbox);
                        Ok::<_, Failure>(())
                    })
                    .await;
                if let Err(e) = set_up {
                    tracing::warn!(conf = conf_id, error = %e, "the conference was not set up");
                }
            });
        }
        Ok(RequestAgentConfResult {})
    }

    async fn request_leave_agent_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: RequestLeaveAgentConfPath,
    ) -> Result<NoResult, Failure> {
        self.count();
        let session = ctx.caller();
        self.change(|state, outbox| {
            let conference = state.member_conference(session)?;
            let info = conference
                .participant(&AddressType::AgentId, &session.agent_id)
                .map(|p| p.info().clone());
            conference.leave(&session.agent_id)?;
            if let Some(info) = info {
                outbox.participant_changed(conference, &info, ParticipantChangeType::Left);
            }
            state.set_agent_state(&session.agent_id, AgentState::Idle);
            outbox.state(&session.agent_id, AgentState::Idle);
            Ok::<_, Failure>(())
        })
        .await?;
        Ok(NoResult)
    }

    async fn stop_voice_to_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: StopVoiceToConfPath,
    ) -> Result<NoResult, GatewayError<ErrorCode, StopVoiceToConfFailure>> {
        self.count();
        self.change(|state, _| {
            let conference = state
                .chaired_conference(ctx.caller())
                .map_err(GatewayError::allow_detail)?;
            // The queuing device refuses to stop what does not play; its cause is passed
            // through.
            conference.stop().map_err(|failure| {
                failure.allow_detail().with_detail(StopVoiceToConfFailure {
                    error_reason: NO_ANNOUNCEMENT_CAUSE,
                })
            })
        })
        .await?;
        Ok(NoResult)
    }

    async fn stop_voice_to_participant(
        &self,
        ctx: Context<AgentSession>,
        _path: StopVoiceToParticipantPath,
        body: StopVoiceToParticipantRequest,
    ) -> Result<NoResult, Failure> {
        self.count();
        let conf_id = self
            .change(|state, _| {
                let conference = state.chaired_conference(ctx.caller())?;
                conference.stop_to(&body.address_type, &body.address)?;
                Ok::<_, Failure>(conference.conf_id)
            })
            .await?;
        let ended = Event::AgentConfStopParticipantVoice {
            agent: ctx.caller().agent_id.clone(),
            content: conference_content(conf_id),
        };
        self.publish(&ctx.caller().agent_id, &ended).await;
        Ok(NoResult)
    }

    async fn unhold_participant(
        &self,
        ctx: Context<AgentSession>,
        _path: UnholdParticipantPath,
        body: UnholdParticipantRequest,
    ) -> Result<NoResult, Failure> {
        self.count();
        self.change(|state, outbox| {
            let conference = state.chaired_conference(ctx.caller())?;
            conference.unhold(&body.address_type, &body.address)?;
            changed(
                outbox,
                conference,
                &body.address_type,
                &body.address,
                ParticipantChangeType::Unheld,
            );
            Ok::<_, Failure>(())
        })
        .await?;
        Ok(NoResult)
    }
}
