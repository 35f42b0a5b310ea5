//! Hand-written bindings of the queryconfinfos interface and its shared tables, used by the
//! integration tests. They mirror what the code generator emits.
#![allow(dead_code)]

use gatespec::{CodeEnum, Constrained, Validate};
use serde::{Deserialize, Serialize};

/// `confState`.
#[derive(CodeEnum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[code(int)]
pub enum ConfState {
    #[code(0, meaning = "normal conference call")]
    Normal,
    #[code(1, meaning = "conference announcement playing")]
    AnnouncementPlaying,
    #[code(other)]
    Unknown(i32),
}

/// `addressType`.
#[derive(CodeEnum, Debug, Clone, PartialEq, Eq, Hash)]
#[code(string)]
pub enum AddressType {
    #[code("6", meaning = "phone number")]
    PhoneNumber,
    #[code("9", meaning = "agent ID")]
    AgentId,
    #[code(other)]
    Other(String),
}

/// User-defined device call type (Table 3), closed: no fallback.
#[derive(CodeEnum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[code(int)]
pub enum DeviceCallType {
    #[code(0, meaning = "normal call")]
    Normal,
    #[code(1, meaning = "group call")]
    Group,
    #[code(2, meaning = "secret (point-to-point) call")]
    Secret,
}

/// User-defined device type (Table 2), closed.
#[derive(CodeEnum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[code(int)]
pub enum DeviceType {
    #[code(0, meaning = "unknown")]
    Unknown,
    #[code(1, meaning = "ordinary phone")]
    OrdinaryPhone,
    #[code(2, meaning = "wireless digital equipment")]
    WirelessDigital,
    #[code(3, meaning = "wireless analog device")]
    WirelessAnalog,
    #[code(4, meaning = "shortwave")]
    Shortwave,
    #[code(5, meaning = "mobile phone")]
    MobilePhone,
    #[code(6, meaning = "agent")]
    Agent,
    #[code(7, meaning = "eLTE")]
    Elte,
}

/// `agentState`, as 64-bit codes to exercise `int = i64`.
#[derive(CodeEnum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[code(int = i64)]
pub enum AgentState {
    #[code(0, meaning = "unknown")]
    Unknown,
    #[code(2, meaning = "sign-out")]
    SignedOut,
    #[code(3, meaning = "busy")]
    Busy,
    #[code(4, meaning = "idle")]
    Idle,
    #[code(5, meaning = "wrap-up")]
    WrapUp,
    #[code(7, meaning = "talking")]
    Talking,
    #[code(8, meaning = "rest")]
    Rest,
    #[code(other)]
    Undocumented(i64),
}

/// A string-coded closed table.
#[derive(CodeEnum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[code(string)]
pub enum Retcode {
    #[code("0", meaning = "success")]
    Success,
    #[code("000-002", meaning = "a parameter is invalid")]
    InvalidParameter,
    #[code("100-006", meaning = "the agent has not signed in")]
    NotSignedIn,
}

/// The agent ID path parameter.
#[derive(Constrained, Debug, Clone, PartialEq, Eq, Hash)]
#[constrained(range(min = 101, max = 59999))]
pub struct AgentId(String);

/// `memberNum`.
#[derive(Constrained, Debug, Clone, Copy, PartialEq, Eq)]
#[constrained(range(min = 1, max = 120))]
pub struct MemberNum(i32);

/// The queryconfinfos request body.
#[derive(Validate, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct QueryConfInfos {
    #[validate(items(min = 1, max = 20))]
    pub conf_ids: Vec<i64>,
}

/// The response envelope.
#[derive(Validate, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Envelope<T> {
    pub message: String,
    pub retcode: String,
    #[validate(required)]
    pub result: Option<T>,
}

/// The queryconfinfos result.
#[derive(Validate, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ConfInfos {
    pub confs: Vec<ConfInfo>,
}

/// Table 5.
#[derive(Validate, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ConfInfo {
    pub conf_id: i64,
    pub conf_state: ConfState,
    pub start_time: i64,
    #[validate(range(min = 0))]
    pub apply_conf_time: i32,
    #[validate(range(min = 0))]
    pub conf_have_been_time: i32,
    #[validate(items(max = 120))]
    pub addresses: Vec<Participant>,
}

/// Table 6. Integer fields carry ranges (rather than code enums) so validation, not
/// deserialisation, reports bad values.
#[derive(Validate, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    pub address_type: AddressType,
    #[validate(length(max = 24, unit = "bytes"))]
    pub address: String,
    #[validate(range(min = 0, max = 255))]
    pub device_call_type: i32,
    #[validate(range(min = 0, max = 255))]
    pub device_type: i32,
    #[validate(range(min = 1, max = 3))]
    pub channel_attrib: i32,
    #[validate(range(min = 0, max = 2))]
    pub channel_state: i32,
    #[validate(range(min = 0, max = 1))]
    pub role: i32,
    pub enter_time: i64,
}

/// The vendor's example response.
pub const EXAMPLE_RESPONSE: &str = r#"{
    "message": "",
    "retcode": "0",
    "result": {
        "confs": [
            {
                "confId": 1029888,
                "confState": 0,
                "startTime": 1475745454000,
                "applyConfTime": 60,
                "confHaveBeenTime": 29,
                "addresses": [
                    {
                        "addressType": "6",
                        "address": "70005",
                        "deviceCallType": 0,
                        "deviceType": 0,
                        "channelAttrib": 3,
                        "channelState": 0,
                        "role": 0,
                        "enterTime": 1475745464000
                    },
                    {
                        "addressType": "9",
                        "address": "153",
                        "deviceCallType": 0,
                        "deviceType": 6,
                        "channelAttrib": 3,
                        "channelState": 0,
                        "role": 1,
                        "enterTime": 1475745454000
                    }
                ]
            }
        ]
    }
}"#;

/// A valid participant.
pub fn participant() -> Participant {
    Participant {
        address_type: AddressType::PhoneNumber,
        address: "70005".to_owned(),
        device_call_type: 0,
        device_type: 0,
        channel_attrib: 3,
        channel_state: 0,
        role: 0,
        enter_time: 1_475_745_464_000,
    }
}

/// A valid conference with `n` participants.
pub fn conf(n: usize) -> ConfInfo {
    ConfInfo {
        conf_id: 1_029_888,
        conf_state: ConfState::Normal,
        start_time: 1_475_745_454_000,
        apply_conf_time: 60,
        conf_have_been_time: 29,
        addresses: (0..n).map(|_| participant()).collect(),
    }
}
