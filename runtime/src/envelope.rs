//! The envelope every answer of a gateway is wrapped in (`{"message": .., "retcode": ..,
//! "result": ..}` for one gateway, `{"msg": .., "code": 0, "data": ..}` for another), described
//! as data by an [`EnvelopeFormat`] and read and written by one non-generic reader and writer,
//! shared by the client and the server.
//!
//! Reading looks at the result code before anything else and leaves the result member as raw
//! JSON, so that the caller decodes it with the success type or the failure type, whichever the
//! code calls for.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde_json::value::RawValue;

/// How the result code travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetcodeType {
    /// A JSON string (`"retcode": "0"`).
    Text,
    /// A JSON integer (`"code": 0`).
    Integer,
}

/// The envelope of a gateway's answers, as its spec declares it: the member names, how the
/// result code travels and the code that means success. Generated code has one per envelope
/// (`Envelope::<()>::FORMAT`).
///
/// ```
/// use gatespec::{EnvelopeFormat, RetcodeType};
///
/// const REPLY: EnvelopeFormat = EnvelopeFormat {
///     message: "msg",
///     retcode: "code",
///     result: "data",
///     retcode_type: RetcodeType::Integer,
///     success: "0",
/// };
/// let answer = REPLY.read(br#"{"msg":"no such ticket","code":404,"data":{"id":7}}"#).unwrap();
/// assert_eq!((answer.retcode.as_str(), answer.message.as_str()), ("404", "no such ticket"));
/// assert!(!REPLY.is_success(&answer.retcode));
/// assert_eq!(answer.result.map(|r| r.get()), Some(r#"{"id":7}"#));
///
/// let written = REPLY.write("0", "", None).unwrap();
/// assert_eq!(written, br#"{"msg":"","code":0}"#);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EnvelopeFormat {
    /// The wire name of the human-readable message member.
    pub message: &'static str,
    /// The wire name of the result-code member.
    pub retcode: &'static str,
    /// The wire name of the member that carries the result (or a failure's detail).
    pub result: &'static str,
    /// How the result code travels.
    pub retcode_type: RetcodeType,
    /// The result code that means success, written as text (`"0"`).
    pub success: &'static str,
}

/// An answer taken apart by [`EnvelopeFormat::read`]: the result code (as text, whichever way it
/// travelled), the message and the result member, still raw JSON.
#[derive(Clone, Debug)]
pub struct Answer<'a> {
    /// The result code as text (`"0"`, `"404"`).
    pub retcode: String,
    /// The message (empty when absent or `null`).
    pub message: String,
    /// The result member, when present and not `null`.
    pub result: Option<&'a RawValue>,
}

/// Why a body is not an envelope, and where: the member (empty for the body as a whole). The
/// JSON error is the `source()`.
#[derive(Debug, thiserror::Error)]
#[error("{}", envelope_what(member))]
pub struct EnvelopeError {
    /// The member that is wrong (`retcode`), or empty for the body as a whole.
    pub member: String,
    /// What is wrong.
    pub source: serde_json::Error,
}

/// What an [`EnvelopeError`] says: the wrong member, or the body.
fn envelope_what(member: &str) -> String {
    if member.is_empty() {
        "the body is not the envelope".to_owned()
    } else {
        format!("the envelope's `{member}` member is wrong")
    }
}

impl EnvelopeFormat {
    /// Whether `retcode` (as text) is the success code.
    pub fn is_success(&self, retcode: &str) -> bool {
        retcode == self.success
    }

    /// Takes an answer apart. The result code may come as a JSON string or integer (it is kept as
    /// text); the message may be absent or `null`; members other than the three are ignored.
    ///
    /// # Errors
    /// The body is not a JSON object with the result-code member, or a member is there twice.
    pub fn read<'a>(&self, body: &'a [u8]) -> Result<Answer<'a>, EnvelopeError> {
        let mut member = "";
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let answer = EnvelopeSeed {
            format: self,
            member: &mut member,
        }
        .deserialize(&mut deserializer)
        .and_then(|answer| deserializer.end().map(|()| answer));
        answer.map_err(|source| EnvelopeError {
            member: member.to_owned(),
            source,
        })
    }

    /// Writes an answer: the message, the result code (an integer when the format says so and
    /// the code is one), and the result member when there is one, in that order.
    ///
    /// # Errors
    /// Only if JSON cannot be written (it always can into memory).
    pub fn write(
        &self,
        retcode: &str,
        message: &str,
        result: Option<&RawValue>,
    ) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = Vec::with_capacity(64 + result.map_or(0, |r| r.get().len()));
        let mut serializer = serde_json::Serializer::new(&mut out);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(self.message, message)?;
        match (self.retcode_type, retcode.parse::<i64>()) {
            (RetcodeType::Integer, Ok(code)) => map.serialize_entry(self.retcode, &code)?,
            // A code that is not an integer cannot travel as one; it is sent as text rather than
            // lost (the spec's checks keep this from happening).
            _ => map.serialize_entry(self.retcode, retcode)?,
        }
        if let Some(result) = result {
            map.serialize_entry(self.result, result)?;
        }
        map.end()?;
        Ok(out)
    }
}

/// Reads the envelope's members, recording the member being read for error messages.
struct EnvelopeSeed<'f> {
    format: &'f EnvelopeFormat,
    member: &'f mut &'static str,
}

impl<'de> DeserializeSeed<'de> for EnvelopeSeed<'_> {
    type Value = Answer<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EnvelopeSeed<'_> {
    type Value = Answer<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an envelope object with `{}`, `{}` and `{}`",
            self.format.message, self.format.retcode, self.format.result
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let format = self.format;
        let mut retcode = None;
        let mut message: Option<&'de RawValue> = None;
        let mut result: Option<&'de RawValue> = None;
        let mut seen_result = false;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let known = [format.message, format.retcode, format.result]
                .into_iter()
                .find(|name| *name == key);
            let Some(name) = known else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            *self.member = name;
            if name == format.retcode {
                if retcode.is_some() {
                    return Err(de::Error::duplicate_field(name));
                }
                retcode = Some(map.next_value_seed(RetcodeSeed)?);
            } else if name == format.message {
                if message.is_some() {
                    return Err(de::Error::duplicate_field(name));
                }
                message = Some(map.next_value()?);
            } else {
                if seen_result {
                    return Err(de::Error::duplicate_field(name));
                }
                seen_result = true;
                result = Some(map.next_value()?);
            }
            *self.member = "";
        }
        let Some(retcode) = retcode else {
            *self.member = format.retcode;
            return Err(de::Error::missing_field(format.retcode));
        };
        Ok(Answer {
            retcode,
            message: message.map(message_text).unwrap_or_default(),
            result: result.filter(|r| r.get() != "null"),
        })
    }
}

/// A member name, borrowed from the body unless it holds escapes: reading an envelope allocates
/// nothing for its keys.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// The message as text: a string as it is, `null` as empty, anything else as its JSON.
fn message_text(raw: &RawValue) -> String {
    match serde_json::from_str::<Option<String>>(raw.get()) {
        Ok(text) => text.unwrap_or_default(),
        Err(_) => raw.get().to_owned(),
    }
}

/// A result code as text, from a JSON string or integer.
struct RetcodeSeed;

impl<'de> DeserializeSeed<'de> for RetcodeSeed {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Visitor<'_> for RetcodeSeed {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a result code (a string or an integer)")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: EnvelopeFormat = EnvelopeFormat {
        message: "message",
        retcode: "retcode",
        result: "result",
        retcode_type: RetcodeType::Text,
        success: "0",
    };

    const NUMERIC: EnvelopeFormat = EnvelopeFormat {
        message: "msg",
        retcode: "code",
        result: "data",
        retcode_type: RetcodeType::Integer,
        success: "0",
    };

    fn read(
        format: &EnvelopeFormat,
        body: &str,
    ) -> Result<(String, String, Option<String>), String> {
        format
            .read(body.as_bytes())
            .map(|a| (a.retcode, a.message, a.result.map(|r| r.get().to_owned())))
            .map_err(|e| {
                let cause = std::error::Error::source(&e).map(ToString::to_string);
                format!("{e}: {}", cause.unwrap_or_default())
            })
    }

    #[test]
    fn members_are_found_by_their_declared_names() {
        assert_eq!(
            read(
                &TEXT,
                r#"{"result":{"a":1},"message":"ok","retcode":"0","extra":[1]}"#
            ),
            Ok(("0".into(), "ok".into(), Some(r#"{"a":1}"#.into())))
        );
        assert_eq!(
            read(&NUMERIC, r#"{"msg":null,"code":17,"data":null}"#),
            Ok(("17".into(), String::new(), None))
        );
        // A result code written the other way is still read, as text.
        assert_eq!(
            read(&NUMERIC, r#"{"code":"17"}"#),
            Ok(("17".into(), String::new(), None))
        );
        assert_eq!(
            read(&TEXT, r#"{"retcode":"1","message":42}"#),
            Ok(("1".into(), "42".into(), None))
        );
    }

    #[test]
    fn what_is_not_an_envelope_says_which_member() {
        let missing = read(&TEXT, r#"{"message":"","result":{}}"#).unwrap_err();
        assert!(
            missing
                .starts_with("the envelope's `retcode` member is wrong: missing field `retcode`"),
            "{missing}"
        );
        let wrong = read(&NUMERIC, r#"{"code":true}"#).unwrap_err();
        assert!(
            wrong.starts_with("the envelope's `code` member is wrong: invalid type: boolean"),
            "{wrong}"
        );
        let twice = read(&TEXT, r#"{"retcode":"0","retcode":"1"}"#).unwrap_err();
        assert!(twice.contains("duplicate field `retcode`"), "{twice}");
        assert!(read(&TEXT, "[1]").is_err());
        assert!(read(&TEXT, r#"{"retcode":"0"} trailing"#).is_err());
        assert!(read(&TEXT, "<html>").is_err());
    }

    #[test]
    fn answers_are_written_in_the_vendor_order_with_the_declared_code_type() {
        let detail = RawValue::from_string(r#"{"errorReason":3}"#.to_owned()).unwrap();
        assert_eq!(
            String::from_utf8(TEXT.write("E-7", "failed \"here\"", Some(&detail)).unwrap()),
            Ok(
                r#"{"message":"failed \"here\"","retcode":"E-7","result":{"errorReason":3}}"#
                    .to_owned()
            )
        );
        assert_eq!(
            String::from_utf8(NUMERIC.write("403", "", None).unwrap()),
            Ok(r#"{"msg":"","code":403}"#.to_owned())
        );
        assert_eq!(
            String::from_utf8(NUMERIC.write("E-1", "", None).unwrap()),
            Ok(r#"{"msg":"","code":"E-1"}"#.to_owned())
        );
    }
}
