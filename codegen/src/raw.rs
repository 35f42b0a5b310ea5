//! The spec format as written: serde structs that mirror the YAML one to one, each value with its
//! source location. Doc comments here become the descriptions of the JSON Schema that editors use,
//! so they are written for spec authors.
//!
//! Nothing here knows what the spec *means*; that is the model's job (`crate::model`).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

/// Byte range of a value in its file (file id is attached by the loader).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Loc {
    /// Byte offset.
    pub start: usize,
    /// Byte length.
    pub len: usize,
}

/// A value with the place it was written.
#[derive(Clone, Debug)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub loc: Loc,
}

impl<T> std::ops::Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let span = spanned.referenced.span();
        let start = span
            .byte_offset()
            .map_or(0, |o| usize::try_from(o).unwrap_or(0));
        let len = span
            .byte_len()
            .map_or(0, |l| usize::try_from(l).unwrap_or(0));
        Ok(Sp {
            value: spanned.value,
            loc: Loc { start, len },
        })
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A YAML mapping from names to definitions, kept in file order with every key's location, so that
/// the model can report duplicates across files and generate code in a stable order.
#[derive(Clone, Debug)]
pub struct NamedMap<T> {
    /// Entries in the order written.
    pub entries: Vec<(Sp<String>, Sp<T>)>,
}

impl<T> Default for NamedMap<T> {
    fn default() -> Self {
        NamedMap {
            entries: Vec::new(),
        }
    }
}

impl<T> NamedMap<T> {
    /// Iterates over `(name, value)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&Sp<String>, &Sp<T>)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for NamedMap<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for MapVisitor<T> {
            type Value = NamedMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping from names to definitions")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(NamedMap::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Sp<String>>()? {
                    let value = map.next_value::<Sp<T>>()?;
                    entries.push((key, value));
                }
                Ok(NamedMap { entries })
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for NamedMap<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Map_of_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let values = generator.subschema_for::<T>();
        json_schema!({ "type": "object", "additionalProperties": values })
    }
}

/// A code as written: an integer (`0`) or a string (`"6"`). Which one a table uses is checked by
/// the model against the table's `code_type`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodeValue {
    /// An integer code.
    Int(i64),
    /// A string code.
    Str(String),
}

impl fmt::Display for CodeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeValue::Int(i) => write!(f, "{i}"),
            CodeValue::Str(s) => write!(f, "\"{s}\""),
        }
    }
}

impl<'de> Deserialize<'de> for CodeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CodeVisitor;
        impl Visitor<'_> for CodeVisitor {
            type Value = CodeValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a string code")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<CodeValue, E> {
                Ok(CodeValue::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CodeValue, E> {
                i64::try_from(v)
                    .map(CodeValue::Int)
                    .map_err(|_| E::custom(format!("code {v} does not fit in 64 bits")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CodeValue, E> {
                Ok(CodeValue::Str(v.to_owned()))
            }
        }
        deserializer.deserialize_any(CodeVisitor)
    }
}

impl JsonSchema for CodeValue {
    fn schema_name() -> Cow<'static, str> {
        "CodeValue".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A code as it travels on the wire: an integer such as 0, or a quoted string such as \"6\".",
            "type": ["integer", "string"]
        })
    }
}

/// A literal value as written: `true`, `60` or `"y:/conf"`. Whether it fits the field is checked
/// by the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScalarValue {
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string.
    Str(String),
}

impl fmt::Display for ScalarValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScalarValue::Bool(b) => write!(f, "{b}"),
            ScalarValue::Int(i) => write!(f, "{i}"),
            ScalarValue::Str(s) => write!(f, "\"{s}\""),
        }
    }
}

impl<'de> Deserialize<'de> for ScalarValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl Visitor<'_> for ValueVisitor {
            type Value = ScalarValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean, an integer or a string")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ScalarValue, E> {
                Ok(ScalarValue::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ScalarValue, E> {
                Ok(ScalarValue::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ScalarValue, E> {
                i64::try_from(v)
                    .map(ScalarValue::Int)
                    .map_err(|_| E::custom(format!("{v} does not fit in 64 bits")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ScalarValue, E> {
                Ok(ScalarValue::Str(v.to_owned()))
            }
        }
        deserializer.deserialize_any(ValueVisitor)
    }
}

impl JsonSchema for ScalarValue {
    fn schema_name() -> Cow<'static, str> {
        "ScalarValue".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A literal value of the field's type: true, 60 or \"text\".",
            "type": ["boolean", "integer", "string"]
        })
    }
}

/// One spec file. Every section is optional; all files of a spec directory share one namespace,
/// so shared definitions (envelope, headers, error catalogue, code tables) are written once.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// The gateway this spec describes. Exactly one file of a spec directory has it.
    pub gateway: Option<Sp<Gateway>>,
    /// Groups of interfaces that share a base path, keyed by service name (`agentconf`).
    #[serde(default)]
    pub services: NamedMap<Service>,
    /// Caller roles the pages talk about (`inspector`, `agent`), keyed by role name.
    #[serde(default)]
    pub roles: NamedMap<Role>,
    /// Request headers, keyed by their wire name (`Content-Type`, `Guid`).
    #[serde(default)]
    pub headers: NamedMap<Header>,
    /// Response envelopes (`message`, `retcode`, `result`), keyed by type name.
    #[serde(default)]
    pub envelopes: NamedMap<Envelope>,
    /// The error-code catalogue, keyed by the code as the gateway sends it (`"100-006"`).
    #[serde(default)]
    pub errors: NamedMap<ErrorCode>,
    /// Constrained scalar types shared by many fields, keyed by type name (`AgentId`). A field
    /// refers to one with `scalar:`; its value can then only be constructed valid.
    #[serde(default)]
    pub scalars: NamedMap<ScalarType>,
    /// Code tables, keyed by type name in UpperCamelCase (`ConfState`).
    #[serde(default)]
    pub enums: NamedMap<CodeTable>,
    /// Parameter tables used by other tables, keyed by type name in UpperCamelCase (`ConfInfo`).
    #[serde(default)]
    pub types: NamedMap<Table>,
    /// Interfaces, keyed by an identifier in snake_case (`query_conf_infos`).
    #[serde(default)]
    pub interfaces: NamedMap<Interface>,
    /// The event catalogue: the events the gateway reports, keyed by the event type exactly as
    /// the wire writes it (`AgentConf_ParticipantChanged`).
    #[serde(default)]
    pub events: NamedMap<Event>,
}

/// The gateway product.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gateway {
    /// Short name, used for the generated crate (`agentgateway`).
    pub name: Sp<String>,
    /// Human title.
    pub title: String,
    /// What the gateway is.
    #[serde(default)]
    pub description: Option<String>,
    /// The vendor documentation this spec was transcribed from.
    #[serde(default)]
    pub reference: Option<String>,
    /// Editions of the vendor reference, oldest first. `versions` overrides on scalars and fields
    /// name them; bindings are generated for one edition.
    #[serde(default)]
    pub versions: Vec<Sp<Version>>,
    /// The edition bindings are generated for unless another is asked for (default: the newest).
    #[serde(default)]
    pub default_version: Option<Sp<String>>,
    /// What every interface of the gateway shares beyond its headers: the envelope of answers no
    /// interface gives, the path parameter that names the caller, and the result code of each
    /// refusal a server makes before an interface runs.
    pub protocol: Sp<Protocol>,
}

/// The gateway's protocol (the session header and its renewal are headers with a `purpose`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Protocol {
    /// The envelope of answers that no interface gives (an unknown path, a method a path does not
    /// take), defined under the top-level `envelopes`.
    pub envelope: Sp<String>,
    /// The URI parameter that names the calling agent (`agentid`): a session may only call with
    /// its own id there. Leave it out when no parameter does.
    #[serde(default)]
    pub caller_param: Option<Sp<String>>,
    /// The code of the error catalogue that answers each refusal, written as the envelope's
    /// result code travels (`"000-002"` for a string code, `400` for an integer one).
    pub refusals: Sp<Refusals>,
    /// How events travel: the members of the event object, the polling and heartbeat
    /// interfaces and the push callback. Required when the spec has an event catalogue.
    #[serde(default)]
    pub events: Option<Sp<EventProtocol>>,
    /// Choices the vendor documentation leaves open (such as which catalogue code answers an
    /// interface a server does not implement) and why the spec makes them.
    #[serde(default)]
    pub notes: Vec<Sp<Note>>,
}

/// How a gateway delivers events.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventProtocol {
    /// The wire names of the event object's members.
    pub object: Sp<EventObject>,
    /// The interface a client polls for its next event (its result is `type: event`).
    #[serde(default)]
    pub polling: Option<Sp<String>>,
    /// The interface that keeps a session alive while events are pushed.
    #[serde(default)]
    pub heartbeat: Option<Sp<String>>,
    /// The endpoint the gateway pushes events to, served by the integrator.
    #[serde(default)]
    pub callback: Option<Sp<EventCallback>>,
    /// The session's timers as the vendor documents them (milliseconds): clients and servers
    /// built from the spec take them as their defaults.
    #[serde(default)]
    pub timing: Option<Sp<EventTiming>>,
    /// Choices the vendor leaves open about events and why the spec makes them.
    #[serde(default)]
    pub notes: Vec<Sp<Note>>,
}

/// The timers of a live session, in milliseconds; each is optional.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventTiming {
    /// How long the gateway holds a poll while no event is pending.
    #[serde(default)]
    pub hold_ms: Option<Sp<u64>>,
    /// The pause a client makes after each polling answer, drawn from `min..=max`.
    #[serde(default)]
    pub repoll_ms: Option<Sp<DelayRange>>,
    /// How often a client in push mode calls the heartbeat interface.
    #[serde(default)]
    pub heartbeat_ms: Option<Sp<u64>>,
    /// How long a session may go without a poll (or, in push mode, a heartbeat) before the
    /// gateway signs it out.
    #[serde(default)]
    pub idle_sign_out_ms: Option<Sp<u64>>,
    /// How often the gateway renews a session id on the polling answer.
    #[serde(default)]
    pub renewal_ms: Option<Sp<u64>>,
    /// How long a renewed-away session id stays valid.
    #[serde(default)]
    pub renewed_valid_ms: Option<Sp<u64>>,
}

/// A range of delays in milliseconds.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DelayRange {
    /// The shortest delay.
    pub min: u64,
    /// The longest delay.
    pub max: u64,
}

/// The wire names of the event object `{"eventType": .., "workNo": .., "content": ..}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventObject {
    /// The member naming the event type (`eventType`).
    #[serde(rename = "type")]
    pub event_type: Sp<String>,
    /// The member naming the agent (or other party) the event is for (`workNo`).
    pub agent: Sp<String>,
    /// The member carrying the event's content (`content`).
    pub content: Sp<String>,
}

/// The push callback: an endpoint of the integrator's that the gateway POSTs each event to.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventCallback {
    /// The page title.
    pub title: String,
    /// What the endpoint receives.
    pub description: String,
    /// The method the gateway calls it with.
    pub method: Sp<Method>,
    /// The path the vendor documents for it (the integrator chooses the real one).
    pub path: Sp<String>,
    /// The "Method Name in Logs" (`pushEvent`).
    pub log_name: Sp<String>,
    /// Wire names of the request headers the gateway sends, defined under the top-level
    /// `headers`.
    #[serde(default)]
    pub headers: Vec<Sp<String>>,
    /// Mistakes of the vendor page and how the spec resolves them.
    #[serde(default)]
    pub notes: Vec<Sp<Note>>,
}

/// One event type of the catalogue.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The Rust variant name (UpperCamelCase) when the one made from the event type does not do.
    #[serde(default)]
    pub rust_name: Option<Sp<String>>,
    /// When the gateway reports it and what it means.
    pub description: String,
    /// Where the vendor documents it.
    #[serde(default)]
    pub source: Option<String>,
    /// What the event's content member carries: `null` (always null), `undocumented` (the vendor
    /// publishes no table: kept as raw JSON) or a table (`fields: [...]`).
    pub content: Sp<EventContent>,
    /// Event objects as the vendor shows them, verbatim JSON (`{"eventType": .., "workNo": ..,
    /// "content": ..}`).
    #[serde(default)]
    pub examples: Vec<Sp<String>>,
    /// Gaps and mistakes of the vendor's documentation of the event and how the spec resolves
    /// them.
    #[serde(default)]
    pub notes: Vec<Sp<Note>>,
}

/// What an event's content member carries.
#[derive(Debug)]
pub enum EventContent {
    /// Always `null`.
    Null,
    /// Not documented by the vendor: kept as raw JSON.
    Undocumented,
    /// An object described by a table.
    Table(Table),
}

impl<'de> Deserialize<'de> for EventContent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ContentVisitor;
        impl<'de> Visitor<'de> for ContentVisitor {
            type Value = EventContent;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`null`, `undocumented` or a table (`fields: [...]`)")
            }
            fn visit_unit<E: de::Error>(self) -> Result<EventContent, E> {
                Ok(EventContent::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<EventContent, E> {
                Ok(EventContent::Null)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<EventContent, E> {
                match v {
                    "undocumented" => Ok(EventContent::Undocumented),
                    "null" => Ok(EventContent::Null),
                    other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<EventContent, A::Error> {
                Table::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(EventContent::Table)
            }
        }
        deserializer.deserialize_any(ContentVisitor)
    }
}

impl JsonSchema for EventContent {
    fn schema_name() -> Cow<'static, str> {
        "EventContent".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let table = generator.subschema_for::<Table>();
        json_schema!({
            "description": "What the event's content member carries: null (always null), \"undocumented\" (the vendor publishes no table; kept as raw JSON) or a table.",
            "oneOf": [{"type": "null"}, {"const": "undocumented"}, table]
        })
    }
}

/// The catalogue code of each refusal a server makes before an interface runs.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Refusals {
    /// A URI parameter, query parameter, header or body is invalid (also a method the path does
    /// not take).
    pub invalid_parameter: Sp<CodeValue>,
    /// An interface that needs a session is called without the session header.
    pub not_signed_in: Sp<CodeValue>,
    /// The session is unknown or expired, or belongs to another caller than the caller parameter
    /// of the path names.
    pub no_permission: Sp<CodeValue>,
    /// The caller lacks the interface's role (an interface's role prerequisite may name its own
    /// code with `refusal`).
    pub missing_role: Sp<CodeValue>,
    /// The interface failed without an answer (an internal error).
    pub internal_error: Sp<CodeValue>,
    /// No interface answers the path.
    pub unknown_path: Sp<CodeValue>,
    /// The server does not implement the interface: what generated default methods answer
    /// (services with `server_defaults: not_supported`, or every service when generating with
    /// `--default-methods`). Optional.
    #[serde(default)]
    pub not_supported: Option<Sp<CodeValue>>,
}

/// An edition of the vendor reference.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// Its name, as overrides refer to it (`"2025"`).
    pub name: Sp<String>,
    /// Which vendor document it is.
    #[serde(default)]
    pub reference: Option<String>,
}

/// Constraints that change from a given edition of the vendor reference on.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The range from this edition on.
    #[serde(default)]
    pub range: Option<Sp<Range>>,
    /// The length limits from this edition on.
    #[serde(default)]
    pub length: Option<Sp<Length>>,
}

/// A condition on another field of the same table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The wire name of the other field.
    pub field: Sp<String>,
    /// The value that makes this field mandatory.
    pub equals: Sp<ScalarValue>,
}

/// A group of interfaces under one base path.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Human title.
    pub title: String,
    /// Absolute path prefix of every interface of the service (`/agentgateway/resource/agentconf`).
    pub base_path: Sp<String>,
    /// What the service is for.
    #[serde(default)]
    pub description: Option<String>,
    /// What the generated server trait does for an interface a server does not implement:
    /// `not_supported` gives every method a default that answers the protocol's
    /// `refusals.not_supported` code, so that a server written before the service gained an
    /// interface still compiles. Absent: a server must implement every interface.
    #[serde(default)]
    pub server_defaults: Option<Sp<ServerDefaults>>,
}

/// What a service's server trait does for interfaces a server does not implement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServerDefaults {
    /// Default methods answer the protocol's `refusals.not_supported` code.
    NotSupported,
}

/// A caller role.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Who has this role.
    pub description: String,
}

/// A request or response header.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// The vendor's description.
    pub description: String,
    /// Whether a request without it is refused.
    pub mandatory: Sp<bool>,
    /// The value a client sends when it has no reason to send another.
    #[serde(default)]
    pub default: Option<Sp<String>>,
    /// What the runtime does with the header, if anything special.
    #[serde(default)]
    pub purpose: Option<Sp<HeaderPurpose>>,
    /// For a `renew_session` header: how the value holds the session, with `{session}` where it
    /// goes (`"JSESSIONID={session}"`, or `"{session}"` for the bare value).
    #[serde(default)]
    pub format: Option<Sp<String>>,
    /// Where the vendor documents it.
    #[serde(default)]
    pub source: Option<String>,
    /// Mistakes of the vendor page about this header and how the spec resolves them.
    #[serde(default)]
    pub notes: Vec<Sp<Note>>,
}

/// Special meaning of a header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HeaderPurpose {
    /// The media type of the body.
    ContentType,
    /// The session identifier obtained at sign-in.
    Session,
    /// A response header carrying a new session identifier, written as its `format` says:
    /// clients adopt it for their following requests.
    RenewSession,
    /// The token the integrator chose at sign-in for pushed events: the gateway sends it with
    /// each pushed event, and the callback endpoint checks it.
    ServiceToken,
}

/// The envelope every response of an interface is wrapped in.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// What the envelope is.
    pub description: String,
    /// Where the vendor documents it.
    #[serde(default)]
    pub source: Option<String>,
    /// The human-readable message member.
    pub message: EnvelopeMember,
    /// The result-code member; its `success` value marks success.
    pub retcode: RetcodeMember,
    /// The member that carries the interface's result.
    pub result: EnvelopeMember,
    /// Mistakes of the vendor page about the envelope and how the spec resolves them.
    #[serde(default)]
    pub notes: Vec<Sp<Note>>,
}

/// A member of the envelope.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeMember {
    /// Wire name.
    pub name: Sp<String>,
    /// The vendor's description.
    pub description: String,
}

/// The result-code member of the envelope.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RetcodeMember {
    /// Wire name.
    pub name: Sp<String>,
    /// The vendor's value type of the code: `string` or `int`.
    #[serde(rename = "type")]
    pub ty: Sp<ValueType>,
    /// The code that means success (`"0"`); every other code is a failure.
    pub success: Sp<CodeValue>,
    /// The vendor's description.
    pub description: String,
}

/// One entry of the error-code catalogue.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// Identifier in snake_case, used for the Rust variant (`not_signed_in`).
    pub name: Sp<String>,
    /// What the vendor says the code means.
    pub meaning: String,
}

/// A named scalar with constraints, such as an agent ID (a string holding 101..=59999).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScalarType {
    /// The vendor's value type: `string`, `int` or `long`.
    #[serde(rename = "type")]
    pub ty: Sp<ValueType>,
    /// What the value is.
    pub description: String,
    /// Inclusive numeric range. On a `string` it means the string is a decimal integer in range.
    #[serde(default)]
    pub range: Option<Sp<Range>>,
    /// Length limits of a `string`.
    #[serde(default)]
    pub length: Option<Sp<Length>>,
    /// The unit of a number.
    #[serde(default)]
    pub unit: Option<Sp<Unit>>,
    /// Constraints that change in later editions of the vendor reference, keyed by version name.
    #[serde(default)]
    pub versions: NamedMap<Override>,
    /// Where the vendor documents it.
    #[serde(default)]
    pub source: Option<String>,
    /// Mistakes of the vendor pages about it and how the spec resolves them.
    #[serde(default)]
    pub notes: Vec<Sp<Note>>,
}

/// A code table: the values a field may take and what each means.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeTable {
    /// What the codes describe.
    pub description: String,
    /// Where the vendor documents the table.
    #[serde(default)]
    pub source: Option<String>,
    /// How codes travel on the wire: `int` (`0`) or `string` (`"6"`).
    pub code_type: Sp<CodeType>,
    /// Whether a code outside the table is kept (`keep`) or refused (`reject`). When absent,
    /// codes a gateway sends to a client are kept and codes a server accepts are refused.
    #[serde(default)]
    pub unknown_codes: Option<Sp<UnknownCodes>>,
    /// The codes, in the vendor's order.
    pub codes: Vec<Sp<Code>>,
    /// Mistakes of the vendor page about the table and how the spec resolves them.
    #[serde(default)]
    pub notes: Vec<Sp<Note>>,
}

/// How the codes of a table travel on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeType {
    /// JSON integers.
    Int,
    /// JSON strings.
    String,
}

/// What to do with a code that is not in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnknownCodes {
    /// Keep it (an `Unknown` variant carries it, byte for byte).
    Keep,
    /// Refuse the message.
    Reject,
}

/// One code of a table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Code {
    /// The code as it travels: `0` for int tables, `"6"` for string tables.
    pub code: Sp<CodeValue>,
    /// Identifier in snake_case, used for the Rust variant (`phone_number`).
    pub name: Sp<String>,
    /// What the vendor says the code means.
    pub meaning: String,
    /// Where the code comes from when not from the table's own source.
    #[serde(default)]
    pub source: Option<String>,
    /// Other meanings other pages give the same code (`playMode` 2 is "play a specified file"
    /// on one page and "play in a loop" on another), each with the page that gives it.
    #[serde(default)]
    pub also: Vec<Sp<OtherMeaning>>,
    /// Marks the code as deprecated: the note says why and what to use instead. Generated items
    /// carry `#[deprecated]` with it; `gatespec diff` reports it.
    #[serde(default)]
    pub deprecated: Option<Sp<String>>,
    /// Mistakes of the vendor page about this code and how the spec resolves them.
    #[serde(default)]
    pub notes: Vec<Sp<Note>>,
}

/// A meaning another page gives a code.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OtherMeaning {
    /// What that page says the code means.
    pub meaning: String,
    /// The page (and table) that says so.
    pub source: String,
}

/// A parameter table: an object with named fields.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// What the object is.
    #[serde(default)]
    pub description: Option<String>,
    /// The vendor table it was transcribed from (`Table 5 Conference information`).
    #[serde(default)]
    pub source: Option<String>,
    /// The rows of the table, in the vendor's order.
    pub fields: Vec<Sp<Field>>,
    /// Rules between fields of the table that the page states ("`promptTime` below `time`").
    #[serde(default)]
    pub rules: Vec<Sp<TableRule>>,
    /// Mistakes of the vendor page about the table and how the spec resolves them.
    #[serde(default)]
    pub notes: Vec<Sp<Note>>,
}

/// A rule between fields of one table. `enforce: true` makes it a requirement that examples and
/// `validate()` check; `enforce: false` records what the page explains (the gateway corrects the
/// value, or only ignores it), shown in the documentation only.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum TableRule {
    /// One number is below another: `{field: promptTime, than: time, enforce: false, otherwise:
    /// "time - 1 is used"}`. Absent values count as their `default`.
    LessThan(LessThan),
    /// An optional field only means something when another field has a value:
    /// `{field: voicePath, when: {field: mediaability, equals: 1}, enforce: false}`.
    MeaningfulOnlyIf(MeaningfulOnlyIf),
    /// Several arrays (their lengths) or numbers together stay within a total:
    /// `{fields: [phones, agents], max: 120, enforce: true}`.
    AtMostTotal(AtMostTotal),
}

/// `field` < `than`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LessThan {
    /// The wire name of the number that must be smaller (`int` or `long`).
    pub field: Sp<String>,
    /// The wire name of the number it must stay below.
    pub than: Sp<String>,
    /// Whether a value that breaks the rule is refused (`true`) or only explained (`false`).
    pub enforce: Sp<bool>,
    /// What the gateway does when the rule does not hold, in the page's words.
    #[serde(default)]
    pub otherwise: Option<String>,
}

/// `field` is only meaningful when `when` holds.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeaningfulOnlyIf {
    /// The wire name of the optional field.
    pub field: Sp<String>,
    /// The condition on another field of the table.
    pub when: Sp<Condition>,
    /// Whether setting the field while the condition does not hold is refused (`true`) or only
    /// explained (`false`).
    pub enforce: Sp<bool>,
}

/// The fields' total stays at or below `max`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AtMostTotal {
    /// Wire names of the fields counted together: arrays count their elements, numbers their
    /// values.
    pub fields: Vec<Sp<String>>,
    /// The largest total.
    pub max: Sp<u64>,
    /// Whether a larger total is refused (`true`) or only explained (`false`).
    pub enforce: Sp<bool>,
}

/// One row of a parameter table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The vendor's row number (`3.6.1`), for cross-checking with the page.
    #[serde(default)]
    pub row: Option<String>,
    /// The wire name, exactly as on the page (`confIds`).
    pub name: Sp<String>,
    /// The Rust field name, when the one derived from the wire name does not do (two wire names
    /// of a table that differ only in case or separators). snake_case.
    #[serde(default)]
    pub rust_name: Option<Sp<String>>,
    /// The vendor's value type.
    #[serde(rename = "type")]
    pub ty: Sp<ValueType>,
    /// Whether the field must be present. Write what the page's "Mandatory" column says; where the
    /// page has no such column, decide and record why in `notes`.
    pub mandatory: Sp<bool>,
    /// The vendor's description.
    pub description: String,
    /// For `array`: the element type: a value type (`long`), or a table, code table or scalar name.
    #[serde(default)]
    pub items: Option<Sp<String>>,
    /// For `object`: the table that describes it.
    #[serde(default)]
    pub table: Option<Sp<String>>,
    /// For `int`, `long` and `string`: the code table the value comes from.
    #[serde(default, rename = "enum")]
    pub code_table: Option<Sp<String>>,
    /// With `enum` (or `items` of a code table): the only codes of the table this field takes
    /// (`allowed_codes: [2]`).
    #[serde(default)]
    pub allowed_codes: Option<Sp<Vec<Sp<CodeValue>>>>,
    /// For `int`, `long` and `string`: the named constrained scalar (top-level `scalars`) the
    /// value is; its constraints apply, so the field takes no `range` or `length` of its own. The
    /// field's `type` may differ from the scalar's: a `string` scalar with a `range` can travel
    /// as an `int` or `long`, a number scalar as a `string` of digits.
    #[serde(default)]
    pub scalar: Option<Sp<String>>,
    /// Inclusive numeric range. On a `string` it means the string is a decimal integer in range.
    #[serde(default)]
    pub range: Option<Sp<Range>>,
    /// Length limits of a `string`.
    #[serde(default)]
    pub length: Option<Sp<Length>>,
    /// A regular expression a `string` must match (`"^[0-9*#]+$"`: digits, `*` and `#`).
    #[serde(default)]
    pub pattern: Option<Sp<String>>,
    /// Fewest elements of an `array`.
    #[serde(default)]
    pub min_items: Option<Sp<u64>>,
    /// Most elements of an `array`.
    #[serde(default)]
    pub max_items: Option<Sp<u64>>,
    /// The unit of a number.
    #[serde(default)]
    pub unit: Option<Sp<Unit>>,
    /// The value the gateway assumes when an optional field is absent.
    #[serde(default)]
    pub default: Option<Sp<ScalarValue>>,
    /// Makes an optional field mandatory when another field of the table has a value
    /// (`{field: beepTone, equals: true}`).
    #[serde(default)]
    pub required_if: Option<Sp<Condition>>,
    /// Also accept the value written as a JSON string (`"true"`, `"4"`), as some vendor examples
    /// send booleans and numbers. Output stays the documented type. For `boolean`, `int`, `long`.
    #[serde(default)]
    pub lenient: Option<Sp<bool>>,
    /// Constraints that change in later editions of the vendor reference, keyed by version name.
    #[serde(default)]
    pub versions: NamedMap<Override>,
    /// Marks the row as deprecated: the note says why and what to use instead. Generated items
    /// carry `#[deprecated]` with it; `gatespec diff` reports it.
    #[serde(default)]
    pub deprecated: Option<Sp<String>>,
    /// Mistakes of the vendor page about this row and how the spec resolves them.
    #[serde(default)]
    pub notes: Vec<Sp<Note>>,
}

/// The vendor's value types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    /// A JSON string.
    String,
    /// A 32-bit integer.
    Int,
    /// A 64-bit integer.
    Long,
    /// `true` or `false`.
    Boolean,
    /// A JSON array; say what of with `items`.
    Array,
    /// A JSON object; say which table describes it with `table`.
    Object,
}

/// An inclusive numeric range; at least one bound.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Smallest allowed value.
    #[serde(default)]
    pub min: Option<Sp<i64>>,
    /// Largest allowed value.
    #[serde(default)]
    pub max: Option<Sp<i64>>,
}

/// String length limits; at least one bound.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Length {
    /// Shortest allowed length.
    #[serde(default)]
    pub min: Option<Sp<u64>>,
    /// Longest allowed length.
    #[serde(default)]
    pub max: Option<Sp<u64>>,
    /// What is counted: `characters` (the default) or `bytes` of UTF-8.
    #[serde(default)]
    pub unit: Option<Sp<LengthUnit>>,
}

/// What a length counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LengthUnit {
    /// Unicode scalar values.
    Characters,
    /// UTF-8 bytes.
    Bytes,
}

/// Units of numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A point in time: milliseconds since 1970-01-01T00:00:00Z.
    EpochMilliseconds,
    /// A point in time: seconds since 1970-01-01T00:00:00Z.
    EpochSeconds,
    /// A duration in milliseconds.
    Milliseconds,
    /// A duration in seconds.
    Seconds,
    /// A duration in minutes.
    Minutes,
}

/// HTTP methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum Method {
    /// GET
    #[serde(rename = "GET")]
    Get,
    /// POST
    #[serde(rename = "POST")]
    Post,
    /// PUT
    #[serde(rename = "PUT")]
    Put,
    /// DELETE
    #[serde(rename = "DELETE")]
    Delete,
}

/// One interface: one vendor page.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Interface {
    /// The page title.
    pub title: String,
    /// The page's "Updated on" date.
    #[serde(default)]
    pub updated: Option<String>,
    /// The service the interface belongs to.
    pub service: Sp<String>,
    /// The "Method Name in Logs" (`queryConfInfos`).
    pub log_name: Sp<String>,
    /// The only method the interface accepts.
    pub method: Sp<Method>,
    /// Path after the service's base path, with `{param}` placeholders (`/{agentid}/queryconfinfos`).
    pub path: Sp<String>,
    /// What the interface does.
    pub description: String,
    /// What must hold before the interface may be called.
    #[serde(default)]
    pub prerequisites: Vec<Sp<Prerequisite>>,
    /// Who may see what, per role.
    #[serde(default)]
    pub visibility: Vec<Sp<Visibility>>,
    /// The URI parameters, one per `{param}` of `path`.
    #[serde(default)]
    pub path_params: Vec<Sp<Field>>,
    /// Query-string parameters (`?reason=`): scalars; optional ones may be left out.
    #[serde(default)]
    pub query_params: Vec<Sp<Field>>,
    /// Wire names of the request headers, defined under the top-level `headers`.
    #[serde(default)]
    pub headers: Vec<Sp<String>>,
    /// The request body table; absent when the request has no body.
    #[serde(default)]
    pub request: Option<Sp<Table>>,
    /// The response.
    pub response: Sp<Response>,
    /// Error codes the interface can return, each defined in the top-level `errors`.
    #[serde(default)]
    pub errors: Vec<Sp<String>>,
    /// Events the interface triggers, by their type in the event catalogue (empty: none).
    #[serde(default)]
    pub events: Vec<Sp<String>>,
    /// The page's example, verbatim.
    #[serde(default)]
    pub example: Option<Sp<Example>>,
    /// More examples (a failure answer, a call with other parameters), each verbatim and
    /// checked like `example`.
    #[serde(default)]
    pub examples: Vec<Sp<Example>>,
    /// Marks the interface as deprecated: the note says why and what to use instead. Generated items
    /// carry `#[deprecated]` with it; `gatespec diff` reports it.
    #[serde(default)]
    pub deprecated: Option<Sp<String>>,
    /// Mistakes of the vendor page and how the spec resolves them.
    #[serde(default)]
    pub notes: Vec<Sp<Note>>,
}

/// A precondition of an interface.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Prerequisite {
    /// The caller must be signed in (its session header must name a live session). The value is
    /// the page's wording.
    SignedIn(Sp<String>),
    /// The caller must have a role.
    Role(RoleRequirement),
    /// Any other condition, in the page's words ("the target agent has joined the conference").
    /// Documentation only: the server cannot check it.
    Condition(Sp<String>),
}

/// A role precondition.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRequirement {
    /// The role, defined under the top-level `roles`.
    pub role: Sp<String>,
    /// The page's wording.
    pub text: String,
    /// The catalogue code a caller without the role gets (default: the protocol's
    /// `missing_role`).
    #[serde(default)]
    pub refusal: Option<Sp<CodeValue>>,
}

/// What callers of one role may see.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Visibility {
    /// The role, defined under the top-level `roles`.
    pub role: Sp<String>,
    /// What that role sees, in the page's words.
    pub scope: String,
}

/// The response of an interface.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The envelope, defined under the top-level `envelopes`.
    pub envelope: Sp<String>,
    /// What the envelope's result member carries: a table (`fields: [...]`) or a single value
    /// (`type: string`, `type: array` with `items`, ...); absent when there is no result.
    #[serde(default)]
    pub result: Option<Sp<ResultBody>>,
    /// The table carried in the envelope's result member on failure only (a cause passed through
    /// from a device); absent when failures carry nothing.
    #[serde(default)]
    pub failure: Option<Sp<Table>>,
    /// Wire names of the response headers the interface sets (`Set-GUID`), defined under the
    /// top-level `headers`.
    #[serde(default)]
    pub headers: Vec<Sp<String>>,
}

/// What an interface's result member carries: an object described by an inline table, or one
/// value of any field type (a call ID string, a number, an array of a table).
#[derive(Debug)]
pub enum ResultBody {
    /// `fields: [...]`: an object.
    Table(Table),
    /// `type: ...`: a single value, read as a mandatory field named after the result member.
    Value(Box<Field>),
    /// `type: event`: an event object of the catalogue, absent when there is none.
    Event {
        /// The description of the result.
        description: String,
        /// Where `type: event` is written.
        loc: Loc,
    },
}

/// The value type of a single-value result: a field's value type, or `event`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResultType {
    /// A JSON string.
    String,
    /// A 32-bit integer.
    Int,
    /// A 64-bit integer.
    Long,
    /// `true` or `false`.
    Boolean,
    /// A JSON array; say what of with `items`.
    Array,
    /// A JSON object; say which table describes it with `table`.
    Object,
    /// An event object of the event catalogue (`gateway.protocol.events.object`), absent when no
    /// event is pending: the result of an event-polling interface.
    Event,
}

impl ResultType {
    /// The field value type, for all but `event`.
    fn value_type(self) -> Option<ValueType> {
        Some(match self {
            ResultType::String => ValueType::String,
            ResultType::Int => ValueType::Int,
            ResultType::Long => ValueType::Long,
            ResultType::Boolean => ValueType::Boolean,
            ResultType::Array => ValueType::Array,
            ResultType::Object => ValueType::Object,
            ResultType::Event => return None,
        })
    }
}

/// A result that is a single value, written like a field without `name` and `mandatory`.
// Only for the JSON Schema: the values are read into a `Field` (see `AnyResult`).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ResultValue {
    /// The vendor's value type of the result, or `event` for an event of the catalogue.
    #[serde(rename = "type")]
    ty: ResultType,
    /// The vendor's description of the result.
    description: String,
    /// For `array`: the element type: a value type (`long`), or a table, code table or scalar
    /// name.
    #[serde(default)]
    items: Option<String>,
    /// For `object`: the table that describes it.
    #[serde(default)]
    table: Option<String>,
    /// For `int`, `long` and `string`: the code table the value comes from.
    #[serde(default, rename = "enum")]
    code_table: Option<String>,
    /// With `enum`: the only codes of the table the result takes.
    #[serde(default)]
    allowed_codes: Option<Vec<CodeValue>>,
    /// For `int`, `long` and `string`: the named constrained scalar the value is.
    #[serde(default)]
    scalar: Option<String>,
    /// Inclusive numeric range. On a `string` it means the string is a decimal integer in range.
    #[serde(default)]
    range: Option<Range>,
    /// Length limits of a `string`.
    #[serde(default)]
    length: Option<Length>,
    /// A regular expression a `string` must match.
    #[serde(default)]
    pattern: Option<String>,
    /// Fewest elements of an `array`.
    #[serde(default)]
    min_items: Option<u64>,
    /// Most elements of an `array`.
    #[serde(default)]
    max_items: Option<u64>,
    /// The unit of a number.
    #[serde(default)]
    unit: Option<Unit>,
    /// Constraints that change in later editions of the vendor reference, keyed by version name.
    #[serde(default)]
    versions: NamedMap<Override>,
    /// Mistakes of the vendor page about the result and how the spec resolves them.
    #[serde(default)]
    notes: Vec<Note>,
}

impl JsonSchema for ResultBody {
    fn schema_name() -> Cow<'static, str> {
        "ResultBody".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let table = generator.subschema_for::<Table>();
        let value = generator.subschema_for::<ResultValue>();
        json_schema!({
            "description": "An object described by its `fields`, or a single value described by its `type` (like a field).",
            "oneOf": [table, value]
        })
    }
}

/// Every key a result may have, in either form. serde's untagged enums would buffer the values
/// and lose their locations, so the form is decided after reading; the structural check (the
/// JSON Schema's `oneOf`) has already refused a mix of both forms.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnyResult {
    #[serde(default)]
    fields: Option<Vec<Sp<Field>>>,
    #[serde(default)]
    rules: Vec<Sp<TableRule>>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default, rename = "type")]
    ty: Option<Sp<ResultType>>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    items: Option<Sp<String>>,
    #[serde(default)]
    table: Option<Sp<String>>,
    #[serde(default, rename = "enum")]
    code_table: Option<Sp<String>>,
    #[serde(default)]
    allowed_codes: Option<Sp<Vec<Sp<CodeValue>>>>,
    #[serde(default)]
    scalar: Option<Sp<String>>,
    #[serde(default)]
    range: Option<Sp<Range>>,
    #[serde(default)]
    length: Option<Sp<Length>>,
    #[serde(default)]
    pattern: Option<Sp<String>>,
    #[serde(default)]
    min_items: Option<Sp<u64>>,
    #[serde(default)]
    max_items: Option<Sp<u64>>,
    #[serde(default)]
    unit: Option<Sp<Unit>>,
    #[serde(default)]
    versions: NamedMap<Override>,
    #[serde(default)]
    notes: Vec<Sp<Note>>,
}

impl<'de> Deserialize<'de> for ResultBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let any = AnyResult::deserialize(deserializer)?;
        match (any.fields, any.ty) {
            (Some(fields), None) => Ok(ResultBody::Table(Table {
                description: any.description,
                source: any.source,
                fields,
                rules: any.rules,
                notes: any.notes,
            })),
            (None, Some(ty)) => {
                let loc = ty.loc;
                let Some(value_type) = ty.value.value_type() else {
                    return Ok(ResultBody::Event {
                        description: any.description.unwrap_or_default(),
                        loc,
                    });
                };
                let ty = Sp {
                    value: value_type,
                    loc,
                };
                Ok(ResultBody::Value(Box::new(Field {
                    row: None,
                    name: Sp {
                        value: "result".to_owned(),
                        loc,
                    },
                    rust_name: None,
                    ty,
                    mandatory: Sp { value: true, loc },
                    description: any.description.unwrap_or_default(),
                    items: any.items,
                    table: any.table,
                    code_table: any.code_table,
                    allowed_codes: any.allowed_codes,
                    scalar: any.scalar,
                    range: any.range,
                    length: any.length,
                    pattern: any.pattern,
                    min_items: any.min_items,
                    max_items: any.max_items,
                    unit: any.unit,
                    default: None,
                    required_if: None,
                    lenient: None,
                    versions: any.versions,
                    deprecated: None,
                    notes: any.notes,
                })))
            }
            (Some(_), Some(_)) => Err(de::Error::custom(
                "a result has either `fields` (an object) or `type` (a single value), not both",
            )),
            (None, None) => Err(de::Error::custom(
                "a result needs `fields` (an object) or `type` (a single value)",
            )),
        }
    }
}

/// The page's example, copied verbatim.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// A snake_case name, for examples under `examples` (`not_signed_in`); it names the tests
    /// made from the example.
    #[serde(default)]
    pub name: Option<Sp<String>>,
    /// Request headers, by wire name.
    #[serde(default)]
    pub headers: NamedMap<String>,
    /// URI parameter values, by name (pages often leave them out).
    #[serde(default)]
    pub path_params: NamedMap<String>,
    /// Query-string parameter values, by name, as the page writes them (not percent-encoded).
    #[serde(default)]
    pub query_params: NamedMap<String>,
    /// The request body as JSON text (use a `|` block).
    #[serde(default)]
    pub request: Option<Sp<String>>,
    /// The response body as JSON text (use a `|` block).
    #[serde(default)]
    pub response: Option<Sp<String>>,
}

/// A recorded mistake or inconsistency of the vendor page and how the spec resolves it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// What the vendor page says (quote it).
    pub vendor: String,
    /// What the spec does instead, and why.
    pub resolution: String,
}
