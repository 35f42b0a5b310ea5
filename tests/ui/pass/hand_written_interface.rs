//! A related gateway interface written by hand, without any spec: changeparticipantmode and
//! batchaddparticipant (agentconf family), with the envelope and the shared device tables.
#![deny(warnings)]
#![deny(clippy::all)]

use gatespec::{CodeEnum, Constrained, Validate};
use serde::{Deserialize, Serialize};

/// `addressType`.
#[derive(CodeEnum, Debug, Clone, PartialEq, Eq)]
#[code(string)]
pub enum AddressType {
    #[code("6", meaning = "phone number")]
    PhoneNumber,
    #[code("9", meaning = "agent ID")]
    AgentId,
}

/// `attribute` of changeparticipantmode.
#[derive(CodeEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[code(int)]
pub enum ParticipantMode {
    #[code(1, meaning = "listen only")]
    ListenOnly,
    #[code(2, meaning = "speak only")]
    SpeakOnly,
    #[code(3, meaning = "listen and speak")]
    ListenAndSpeak,
    #[code(4, meaning = "neither listen nor speak")]
    Neither,
}

/// User-defined device call type (Table 3).
#[derive(CodeEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[code(int)]
pub enum DeviceCallType {
    #[default]
    #[code(0, meaning = "normal call")]
    Normal,
    #[code(1, meaning = "group call")]
    Group,
    #[code(2, meaning = "secret (point-to-point) call")]
    Secret,
    #[code(other)]
    Other(i32),
}

/// `{agentid}` path parameter.
#[derive(Constrained, Debug, Clone, PartialEq, Eq)]
#[constrained(range(min = 101, max = 59999))]
pub struct AgentId(String);

/// POST /agentconf/{agentid}/changeparticipantmode
#[derive(Validate, Serialize, Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ChangeParticipantMode {
    pub attribute: ParticipantMode,
    pub address_type: AddressType,
    #[validate(length(min = 1, max = 24, unit = "bytes"))]
    pub address: String,
}

/// One invitee of batchaddparticipant.
#[derive(Validate, Serialize, Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Invitee {
    pub address_type: AddressType,
    #[validate(length(min = 1, max = 24, unit = "bytes"))]
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_call_type: Option<DeviceCallType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 0, max = 255))]
    pub device_type: Option<i32>,
}

/// POST /agentconf/{agentid}/batchaddparticipant
#[derive(Validate, Serialize, Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct BatchAddParticipant {
    #[validate(items(min = 1, max = 120))]
    pub addresses: Vec<Invitee>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beep_tone: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 127))]
    pub voice_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 24, unit = "bytes"))]
    pub caller: Option<String>,
}

/// The envelope every agentconf interface answers.
#[derive(Validate, Serialize, Deserialize, Debug)]
pub struct Envelope<T> {
    pub message: String,
    pub retcode: String,
    pub result: Option<T>,
}

/// queryvdnconfid result.
#[derive(Validate, Serialize, Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct VdnConfIds {
    pub conf_ids: Vec<i64>,
}

fn main() {
    let agent: AgentId = "153".parse().unwrap_or_else(|e| panic!("{e}"));
    let path = format!("/agentconf/{agent}/changeparticipantmode");
    assert_eq!(path, "/agentconf/153/changeparticipantmode");

    let body = ChangeParticipantMode {
        attribute: ParticipantMode::ListenAndSpeak,
        address_type: AddressType::AgentId,
        address: "153".to_owned(),
    };
    assert!(body.validate().is_ok());
    let json = serde_json::to_string(&body).unwrap_or_default();
    assert_eq!(json, r#"{"attribute":3,"addressType":"9","address":"153"}"#);

    let batch: BatchAddParticipant = serde_json::from_str(
        r#"{"addresses":[{"addressType":"6","address":"70005","deviceCallType":9},
                         {"addressType":"9","address":"","deviceType":300}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(batch.addresses[0].device_call_type, Some(DeviceCallType::Other(9)));
    let text = batch.validate().err().map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(
        text,
        "addresses[1].address: \"\" is 0 bytes long, expected 1 to 24 bytes\n\
         addresses[1].deviceType: 300 is not in 0..=255"
    );

    let reply: Envelope<VdnConfIds> = serde_json::from_str(
        r#"{"result":{"confIds":[355840]},"message":"success","retcode":"0"}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(reply.validate().is_ok());
    assert_eq!(reply.result.map(|r| r.conf_ids), Some(vec![355840]));
}
