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

use crate::conference::{Announcement, Conference, ConferenceAnnouncement, Failure};
use crate::sim::{AgentSession, NO_ANNOUNCEMENT_CAUSE, Simulator, now_ms};

impl AgentconfServer for Simulator {
    async fn answer_agent_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: AnswerAgentConfPath,
    ) -> Result<NoResult, Failure> {
        self.count();
        let session = ctx.caller();
        let mut state = self.state();
        state
            .member_conference(session)?
            .answer(&session.agent_id)?;
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
        let mut state = self.state();
        let conference = state.chaired_conference(session)?;
        // The page types the agent ID as an integer; members are addressed by its decimal form.
        let dest = body.dest_agent_no.to_string();
        conference.transfer_chair(&session.agent_id, &dest)?;
        tracing::info!(conf = conference.conf_id, chair = %dest, "chair transferred");
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
        let mut state = self.state();
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
        conference.invite(&body.addresses, now_ms())?;
        tracing::info!(
            conf = conf_id,
            participants = conference.participants().len(),
            "participants added"
        );
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
        let mut state = self.state();
        let conference = state.chaired_conference(session)?;
        let no_exist_participants = conference.remove(&session.agent_id, &body.addresses)?;
        tracing::info!(
            conf = conference.conf_id,
            participants = conference.participants().len(),
            "participants removed"
        );
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
        let mut state = self.state();
        state.chaired_conference(ctx.caller())?.change_mode(
            &body.address_type,
            &body.address,
            body.attribute,
        )?;
        Ok(NoResult)
    }

    async fn hold_participant(
        &self,
        ctx: Context<AgentSession>,
        _path: HoldParticipantPath,
        body: HoldParticipantRequest,
    ) -> Result<NoResult, Failure> {
        self.count();
        let mut state = self.state();
        let announcement = Announcement {
            play_mode: body.play_mode_or_default(),
            voice_path: body.voice_path,
        };
        state.chaired_conference(ctx.caller())?.hold(
            &body.address_type,
            &body.address,
            announcement,
        )?;
        Ok(NoResult)
    }

    async fn modify_conf_resource(
        &self,
        ctx: Context<AgentSession>,
        _path: ModifyConfResourcePath,
        body: ModifyConfResourceRequest,
    ) -> Result<ModifyConfResourceResult, Failure> {
        self.count();
        let mut state = self.state();
        state
            .chaired_conference(ctx.caller())?
            .modify_capacity(body.modify_type, body.modify_num)?;
        Ok(ModifyConfResourceResult {})
    }

    async fn play_voice_to_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: PlayVoiceToConfPath,
        body: PlayVoiceToConfRequest,
    ) -> Result<NoResult, Failure> {
        self.count();
        let mut state = self.state();
        state
            .chaired_conference(ctx.caller())?
            .play(ConferenceAnnouncement {
                play_type: body.play_type_or_default(),
                announcement: Announcement {
                    play_mode: body.play_mode_or_default(),
                    voice_path: body.voice_path,
                },
            });
        Ok(NoResult)
    }

    async fn play_voice_to_participant(
        &self,
        ctx: Context<AgentSession>,
        _path: PlayVoiceToParticipantPath,
        body: PlayVoiceToParticipantRequest,
    ) -> Result<NoResult, GatewayError<ErrorCode, PlayVoiceToParticipantFailure>> {
        self.count();
        let mut state = self.state();
        let announcement = Announcement {
            play_mode: body.play_mode_or_default(),
            voice_path: body.voice_path,
        };
        // The simulated device never fails to play, so no failure carries a device cause.
        state
            .chaired_conference(ctx.caller())
            .and_then(|conference| {
                conference.play_to(&body.address_type, &body.address, announcement)
            })
            .map_err(GatewayError::allow_detail)?;
        Ok(NoResult)
    }

    async fn prolong_time(
        &self,
        ctx: Context<AgentSession>,
        _path: ProlongTimePath,
        body: ProlongTimeRequest,
    ) -> Result<ProlongTimeResult, Failure> {
        self.count();
        let mut state = self.state();
        let conference = state.chaired_conference(ctx.caller())?;
        let applyed_time = conference.prolong(body.prolong_time);
        tracing::info!(
            conf = conference.conf_id,
            asked = body.prolong_time,
            granted = applyed_time,
            "conference prolonged"
        );
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
        let confs = self.visible(ctx.caller(), &body.conf_ids);
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
            .state()
            .conferences
            .values()
            .filter(|c| c.vdn == vdn)
            .map(|c| c.conf_id)
            .collect();
        Ok(QueryAllConfIdsResult { conf_ids })
    }

    async fn reject_agent_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: RejectAgentConfPath,
    ) -> Result<RejectAgentConfResult, Failure> {
        self.count();
        let session = ctx.caller();
        let mut state = self.state();
        state
            .member_conference(session)?
            .reject(&session.agent_id)?;
        Ok(RejectAgentConfResult {})
    }

    async fn release_agent_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: ReleaseAgentConfPath,
    ) -> Result<NoResult, Failure> {
        self.count();
        let mut state = self.state();
        let conf_id = state.chaired_conference(ctx.caller())?.conf_id;
        state.conferences.remove(&conf_id);
        tracing::info!(conf = conf_id, "conference released");
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
        let mut state = self.state();
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
        // The router has validated memberNum (1-120).
        let member_num = u32::try_from(body.member_num).unwrap_or(1);
        let conference = Conference::new(
            conf_id,
            session.vdn,
            &session.agent_id,
            member_num,
            body.time_or_default(),
            now_ms(),
        );
        state.conferences.insert(conf_id, conference);
        tracing::info!(conf = conf_id, chair = %session.agent_id, "conference started");
        Ok(RequestAgentConfResult {})
    }

    async fn request_leave_agent_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: RequestLeaveAgentConfPath,
    ) -> Result<NoResult, Failure> {
        self.count();
        let session = ctx.caller();
        let mut state = self.state();
        state.member_conference(session)?.leave(&session.agent_id)?;
        Ok(NoResult)
    }

    async fn stop_voice_to_conf(
        &self,
        ctx: Context<AgentSession>,
        _path: StopVoiceToConfPath,
    ) -> Result<NoResult, GatewayError<ErrorCode, StopVoiceToConfFailure>> {
        self.count();
        let mut state = self.state();
        let conference = state
            .chaired_conference(ctx.caller())
            .map_err(GatewayError::allow_detail)?;
        // The queuing device refuses to stop what does not play; its cause is passed through.
        conference.stop().map_err(|failure| {
            failure.allow_detail().with_detail(StopVoiceToConfFailure {
                error_reason: NO_ANNOUNCEMENT_CAUSE,
            })
        })?;
        Ok(NoResult)
    }

    async fn stop_voice_to_participant(
        &self,
        ctx: Context<AgentSession>,
        _path: StopVoiceToParticipantPath,
        body: StopVoiceToParticipantRequest,
    ) -> Result<NoResult, Failure> {
        self.count();
        let mut state = self.state();
        state
            .chaired_conference(ctx.caller())?
            .stop_to(&body.address_type, &body.address)?;
        Ok(NoResult)
    }

    async fn unhold_participant(
        &self,
        ctx: Context<AgentSession>,
        _path: UnholdParticipantPath,
        body: UnholdParticipantRequest,
    ) -> Result<NoResult, Failure> {
        self.count();
        let mut state = self.state();
        state
            .chaired_conference(ctx.caller())?
            .unhold(&body.address_type, &body.address)?;
        Ok(NoResult)
    }
}
