//! Events a gateway reports to a signed-in caller, as its spec's event catalogue declares them.
//!
//! An event travels as one JSON object whose member names the spec declares
//! ([`EventFormat`]): the event type, the agent it is for and a content whose shape depends on
//! the type (`{"eventType": "AgentState_Ready", "workNo": "291", "content": null}` for one
//! gateway). Generated code has one enum per spec (`Event`) that implements [`EventCatalogue`]:
//! one variant per listed type with its typed content, and one that keeps every other event
//! whole as a [`RawEvent`], so that an event type no spec lists yet never fails a stream.
//!
//! The object is split by one non-generic reader ([`EventFormat::read`]) and written by one
//! writer ([`EventFormat::write`]); the generated enum only matches the type name and decodes
//! its content.

use std::fmt;
use std::time::Duration;

use serde::Serialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};

use crate::interface::{Interface, Method};

/// The content of an event as raw JSON (`null` when the event has none).
pub type RawContent = serde_json::Value;

/// The event object of a gateway, as its spec declares it: the wire names of its three members.
///
/// ```
/// use gatespec::EventFormat;
///
/// const DESK: EventFormat = EventFormat { event_type: "kind", agent: "user", content: "data" };
/// let mut json = serde_json::Deserializer::from_str(r#"{"kind":"Closed","user":"7","data":{"id":3}}"#);
/// let raw = DESK.read(&mut json).unwrap();
/// assert_eq!((raw.event_type.as_str(), raw.agent.as_str()), ("Closed", "7"));
/// assert_eq!(raw.content, serde_json::json!({"id": 3}));
///
/// let mut out = Vec::new();
/// DESK.write(&mut serde_json::Serializer::new(&mut out), "Opened", "7", &()).unwrap();
/// assert_eq!(out, br#"{"kind":"Opened","user":"7","data":null}"#);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EventFormat {
    /// The member naming the event type.
    pub event_type: &'static str,
    /// The member naming the agent (or other party) the event is for.
    pub agent: &'static str,
    /// The member carrying the content.
    pub content: &'static str,
}

/// The timers of a live session as the spec declares them (`None`: the vendor does not say).
/// Clients and servers take them as defaults:
/// [`EventStreamOptions::for_timing`](crate::client::EventStreamOptions::for_timing),
/// `server::live::Settings::for_timing`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct EventTiming {
    /// How long the gateway holds a poll while no event is pending.
    pub hold: Option<Duration>,
    /// The pause a client makes after each polling answer (`min`, `max`).
    pub repoll: Option<(Duration, Duration)>,
    /// How often a client in push mode calls the heartbeat interface.
    pub heartbeat: Option<Duration>,
    /// How long a session may go without a poll (or a heartbeat) before it is signed out.
    pub idle_sign_out: Option<Duration>,
    /// How often the gateway renews a session id on the polling answer.
    pub renewal: Option<Duration>,
    /// How long a renewed-away session id stays valid.
    pub renewed_valid: Option<Duration>,
}

/// The endpoint a gateway pushes events to (served by the integrator), as the spec declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EventCallback {
    /// The method the gateway calls it with.
    pub method: Method,
    /// The path the vendor documents (the integrator chooses the real one at sign-in).
    pub path: &'static str,
    /// The vendor's log name (`pushEvent`).
    pub log_name: &'static str,
    /// The request headers the gateway sends.
    pub headers: &'static [&'static str],
    /// The one of them that carries the service token chosen at sign-in (`purpose:
    /// service_token`), which the callback endpoint checks.
    pub token_header: Option<&'static str>,
}

/// An event as it travelled: its type, its agent and its content, undecoded.
#[derive(Clone, Debug, PartialEq)]
pub struct RawEvent {
    /// The event type as the wire writes it.
    pub event_type: String,
    /// The agent it is for (empty when the object names none).
    pub agent: String,
    /// The content (`null` when absent).
    pub content: RawContent,
    /// Why the content of a type the catalogue lists did not decode; `None` for a type the
    /// catalogue does not list.
    pub error: Option<ContentError>,
}

/// Why the content of a listed event type did not decode, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentError {
    /// The JSON path inside the event object (`content.changeType`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ContentError {}

/// A spec's event catalogue: the generated `Event` enum.
pub trait EventCatalogue: Sized + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The event object's member names.
    const FORMAT: EventFormat;
    /// The push callback, when the spec declares one.
    const CALLBACK: Option<EventCallback>;
    /// The session's timers, as far as the spec declares them.
    const TIMING: EventTiming;
    /// The event types the catalogue lists, as the wire writes them.
    const TYPES: &'static [&'static str];

    /// The typed event: a listed type whose content decodes becomes its variant; any other
    /// event is kept whole (with the decode error, for a listed type).
    fn from_raw(raw: RawEvent) -> Self;
    /// The event type as the wire writes it.
    fn event_type(&self) -> &str;
    /// The agent the event is for.
    fn agent(&self) -> &str;
    /// The event kept whole, when its type is not listed or its content did not decode.
    fn raw(&self) -> Option<&RawEvent>;
}

/// The interface a client polls for its next event: its result is the optional event.
/// A session calls it on its own: it takes no body and no URI parameter but the one naming
/// the caller.
pub trait PollingInterface: Interface<Request = (), Result = Option<Self::Event>> {
    /// The spec's event catalogue.
    type Event: EventCatalogue;

    /// The path that polls `agent`'s events: the caller parameter set to `agent`, optional
    /// query parameters left out; `None` when `agent` is not a valid value of the parameter.
    fn path_for(agent: &str) -> Option<Self::Path>;
}

/// The interface that keeps a session alive while its events are pushed. A session calls it
/// on its own: it takes no body and no URI parameter but the one naming the caller.
pub trait HeartbeatInterface: Interface<Request = ()> {
    /// The spec's event catalogue (whose [`TIMING`](EventCatalogue::TIMING) has the interval).
    type Event: EventCatalogue;

    /// The path that keeps `agent`'s session alive; `None` when `agent` is not a valid value
    /// of the caller parameter.
    fn path_for(agent: &str) -> Option<Self::Path>;
}

impl EventFormat {
    /// Splits an event object into a [`RawEvent`]. Members other than the three are ignored;
    /// an absent or `null` agent is empty, an absent content is `null`.
    ///
    /// # Errors
    /// The value is not an object, has no string event type, a member is there twice, or the
    /// agent is not a string.
    pub fn read<'de, D: Deserializer<'de>>(&self, deserializer: D) -> Result<RawEvent, D::Error> {
        deserializer.deserialize_map(ObjectVisitor { format: self })
    }

    /// Writes an event object: type, agent and content, in that order.
    ///
    /// # Errors
    /// The serializer's.
    pub fn write<S: Serializer, C: Serialize + ?Sized>(
        &self,
        serializer: S,
        event_type: &str,
        agent: &str,
        content: &C,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry(self.event_type, event_type)?;
        map.serialize_entry(self.agent, agent)?;
        map.serialize_entry(self.content, content)?;
        map.end()
    }

    /// The path of a member of the event object, for errors (`content.changeType`).
    fn content_path(&self, inner: &str) -> String {
        match inner {
            "" | "." => self.content.to_owned(),
            _ if inner.starts_with('[') => format!("{}{inner}", self.content),
            _ => format!("{}.{inner}", self.content),
        }
    }
}

struct ObjectVisitor<'f> {
    format: &'f EventFormat,
}

impl<'de> Visitor<'de> for ObjectVisitor<'_> {
    type Value = RawEvent;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an event object with `{}`, `{}` and `{}`",
            self.format.event_type, self.format.agent, self.format.content
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawEvent, A::Error> {
        let format = self.format;
        let mut event_type: Option<String> = None;
        let mut agent: Option<Option<String>> = None;
        let mut content: Option<RawContent> = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == format.event_type {
                if event_type.is_some() {
                    return Err(de::Error::duplicate_field(format.event_type));
                }
                event_type = Some(map.next_value()?);
            } else if key == format.agent {
                if agent.is_some() {
                    return Err(de::Error::duplicate_field(format.agent));
                }
                agent = Some(map.next_value()?);
            } else if key == format.content {
                if content.is_some() {
                    return Err(de::Error::duplicate_field(format.content));
                }
                content = Some(map.next_value()?);
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        let event_type = event_type.ok_or_else(|| de::Error::missing_field(format.event_type))?;
        Ok(RawEvent {
            event_type,
            agent: agent.flatten().unwrap_or_default(),
            content: content.unwrap_or(RawContent::Null),
            error: None,
        })
    }
}

impl RawEvent {
    /// For a listed type without content: the agent; the event back, with the error, when its
    /// content is not `null`.
    ///
    /// # Errors
    /// The event itself, with [`error`](RawEvent::error) set.
    pub fn into_agent(self, format: &EventFormat) -> Result<String, Box<RawEvent>> {
        if self.content.is_null() {
            Ok(self.agent)
        } else {
            Err(Box::new(self.failed(
                format.content_path(""),
                "the event type has no content, but the content is not null".to_owned(),
            )))
        }
    }

    /// For a listed type with a content table: the agent and the decoded content; the event
    /// back, with the error and its JSON path, when the content does not decode.
    ///
    /// # Errors
    /// The event itself, with [`error`](RawEvent::error) set.
    pub fn into_content<T: DeserializeOwned>(
        self,
        format: &EventFormat,
    ) -> Result<(String, T), Box<RawEvent>> {
        match serde_path_to_error::deserialize::<_, T>(&self.content) {
            Ok(content) => Ok((self.agent, content)),
            Err(e) => {
                let path = format.content_path(&e.path().to_string());
                let message = e.into_inner().to_string();
                Err(Box::new(self.failed(path, message)))
            }
        }
    }

    /// The agent and the raw content, for a listed type whose content the vendor does not
    /// document.
    pub fn into_raw_content(self) -> (String, RawContent) {
        (self.agent, self.content)
    }

    fn failed(mut self, path: String, message: String) -> Self {
        self.error = Some(ContentError { path, message });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORMAT: EventFormat = EventFormat {
        event_type: "eventType",
        agent: "workNo",
        content: "content",
    };

    fn read(json: &str) -> Result<RawEvent, serde_json::Error> {
        FORMAT.read(&mut serde_json::Deserializer::from_str(json))
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Change {
        #[serde(rename = "changeType")]
        change_type: i32,
    }

    #[test]
    fn objects_split_into_their_members() {
        let raw =
            read(r#"{"workNo":"291","extra":[1],"eventType":"A","content":{"x":1}}"#).unwrap();
        assert_eq!(raw.event_type, "A");
        assert_eq!(raw.agent, "291");
        assert_eq!(raw.content, serde_json::json!({"x": 1}));
        let bare = read(r#"{"eventType":"B"}"#).unwrap();
        assert_eq!((bare.agent.as_str(), bare.content.is_null()), ("", true));
        assert!(
            read(r#"{"workNo":"1"}"#)
                .unwrap_err()
                .to_string()
                .contains("eventType")
        );
        assert!(read(r#"{"eventType":"A","eventType":"B"}"#).is_err());
        assert!(read("[1]").is_err());
    }

    #[test]
    fn content_that_does_not_decode_is_kept_with_its_path() {
        let raw = read(r#"{"eventType":"C","workNo":"9","content":{"changeType":"x"}}"#).unwrap();
        let back = raw.clone().into_content::<Change>(&FORMAT).unwrap_err();
        let error = back.error.clone().unwrap();
        assert_eq!(error.path, "content.changeType");
        assert_eq!(back.content, raw.content);
        let good = read(r#"{"eventType":"C","workNo":"9","content":{"changeType":3}}"#).unwrap();
        assert_eq!(
            good.into_content::<Change>(&FORMAT).unwrap(),
            ("9".to_owned(), Change { change_type: 3 })
        );
        let not_null = read(r#"{"eventType":"R","workNo":"9","content":{}}"#).unwrap();
        assert_eq!(
            not_null
                .into_agent(&FORMAT)
                .unwrap_err()
                .error
                .unwrap()
                .path,
            "content"
        );
    }

    #[test]
    fn events_are_written_with_the_declared_names() {
        let mut out = Vec::new();
        FORMAT
            .write(
                &mut serde_json::Serializer::new(&mut out),
                "A",
                "7",
                &serde_json::json!({"k": true}),
            )
            .unwrap();
        assert_eq!(
            out,
            br#"{"eventType":"A","workNo":"7","content":{"k":true}}"#
        );
    }
}
