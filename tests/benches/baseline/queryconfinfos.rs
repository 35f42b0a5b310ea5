//! `queryconfinfos` written by hand with serde, as the baseline of the wire benchmark: plain
//! structs with `#[serde(rename)]`, the code tables as hand-written enums, and check functions
//! that enforce the rules the generated `Validate` enforces, no more and no fewer.
//!
//! Behaviour copied from the spec (spec/agentgateway/agentconf/queryconfinfos.yaml and the shared
//! tables): every table in the result keeps the codes it does not list (`Other`), the request
//! has at most 20 conference ids, and no result row has a length or range limit.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

/// The request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryConfInfosRequest {
    #[serde(rename = "confIds")]
    pub conf_ids: Vec<i64>,
}

/// The spec's `max_items: 20` on `confIds`.
pub const MAX_CONF_IDS: usize = 20;

/// The request's only rule: at most 20 conference ids.
pub fn check_request(request: &QueryConfInfosRequest) -> Result<(), String> {
    if request.conf_ids.len() > MAX_CONF_IDS {
        return Err(format!(
            "confIds: {} items, at most {MAX_CONF_IDS} allowed",
            request.conf_ids.len()
        ));
    }
    Ok(())
}

/// The result a gateway sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryConfInfosResult {
    pub confs: Vec<ConfInfo>,
}

/// Nothing to check: every table in the result keeps unknown codes in answers, and no row has a
/// length, range or item limit, so a result that decodes is valid (as the generated
/// `Validate` with `#[validate(response)]` also finds).
pub fn check_result(_result: &QueryConfInfosResult) -> Result<(), String> {
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfInfo {
    #[serde(rename = "confId")]
    pub conf_id: i64,
    #[serde(rename = "confState")]
    pub conf_state: ConfState,
    #[serde(rename = "startTime")]
    pub start_time: i64,
    #[serde(rename = "applyConfTime")]
    pub apply_conf_time: i32,
    #[serde(rename = "confHaveBeenTime")]
    pub conf_have_been_time: i32,
    pub addresses: Vec<ParticipantInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantInfo {
    #[serde(rename = "addressType")]
    pub address_type: AddressType,
    pub address: String,
    #[serde(rename = "deviceCallType")]
    pub device_call_type: DeviceCallType,
    #[serde(rename = "deviceType")]
    pub device_type: DeviceType,
    #[serde(rename = "channelAttrib")]
    pub channel_attrib: ChannelAttrib,
    #[serde(rename = "channelState")]
    pub channel_state: ChannelState,
    pub role: ConfRole,
    #[serde(rename = "enterTime")]
    pub enter_time: i64,
}

/// An integer code table that keeps the codes it does not list: serde goes through `i32`.
macro_rules! open_int_codes {
    ($name:ident { $($code:literal => $variant:ident),* $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(from = "i32", into = "i32")]
        pub enum $name {
            $($variant,)*
            Other(i32),
        }

        impl From<i32> for $name {
            fn from(code: i32) -> Self {
                match code {
                    $($code => Self::$variant,)*
                    other => Self::Other(other),
                }
            }
        }

        impl From<$name> for i32 {
            fn from(value: $name) -> i32 {
                value.code()
            }
        }

        impl $name {
            pub fn code(self) -> i32 {
                match self {
                    $($name::$variant => $code,)*
                    $name::Other(code) => code,
                }
            }
        }
    };
}

open_int_codes!(ConfState { 0 => Normal, 1 => AnnouncementPlaying });
open_int_codes!(ChannelState { 0 => InProgress, 1 => Held, 2 => AnnouncementPlaying });
open_int_codes!(ConfRole { 0 => Participant, 1 => Chairperson });
open_int_codes!(ChannelAttrib { 1 => ListenOnly, 2 => SpeakOnly, 3 => ListenAndSpeak, 4 => Neither });
open_int_codes!(DeviceCallType { 0 => NormalCall, 1 => GroupCall, 2 => SecretCall });
open_int_codes!(DeviceType {
    0 => Unknown,
    1 => OrdinaryPhone,
    2 => WirelessDigital,
    3 => WirelessAnalog,
    4 => Shortwave,
    5 => MobilePhone,
    6 => Agent,
    7 => Elte,
});

/// `addressType`: a string code that keeps the codes it does not list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressType {
    PhoneNumber,
    AgentId,
    Other(String),
}

impl AddressType {
    pub fn code(&self) -> &str {
        match self {
            Self::PhoneNumber => "6",
            Self::AgentId => "9",
            Self::Other(code) => code,
        }
    }
}

impl Serialize for AddressType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

// By hand rather than `from = "String"`, so that a listed code costs no allocation.
impl<'de> Deserialize<'de> for AddressType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Code;
        impl Visitor<'_> for Code {
            type Value = AddressType;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an addressType string")
            }
            fn visit_str<E: de::Error>(self, code: &str) -> Result<AddressType, E> {
                Ok(match code {
                    "6" => AddressType::PhoneNumber,
                    "9" => AddressType::AgentId,
                    other => AddressType::Other(other.to_owned()),
                })
            }
        }
        deserializer.deserialize_str(Code)
    }
}

/// The envelope as a server writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Envelope<R> {
    pub message: String,
    pub retcode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<R>,
}

/// The envelope as a client reads it: the result is kept raw until the code says success.
#[derive(Deserialize)]
struct Answer<'a> {
    #[serde(default)]
    message: Option<String>,
    retcode: String,
    #[serde(borrow, default)]
    result: Option<&'a RawValue>,
}

/// Why an answer gives no result.
#[derive(Debug)]
pub enum AnswerError {
    /// Not the envelope, or a success whose result is not the interface's.
    Decode(serde_json::Error),
    /// A failure code, with the gateway's message.
    Gateway { retcode: String, message: String },
}

/// Decodes an answer the way the runtime client does: the envelope first, then, on success, the
/// result (an absent or `null` result is read as `null`).
pub fn decode_answer(body: &[u8]) -> Result<QueryConfInfosResult, AnswerError> {
    let answer: Answer<'_> = serde_json::from_slice(body).map_err(AnswerError::Decode)?;
    if answer.retcode != "0" {
        return Err(AnswerError::Gateway {
            retcode: answer.retcode,
            message: answer.message.unwrap_or_default(),
        });
    }
    let raw = answer.result.map_or("null", RawValue::get);
    serde_json::from_str(raw).map_err(AnswerError::Decode)
}
