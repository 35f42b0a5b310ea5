//! What a spec change breaks: two validated models compared, every change classified separately
//! for clients (code that calls the gateway) and servers (code that implements its traits).
//!
//! The comparison reads models only, never text, so reformatting, moving definitions between
//! files or reordering maps are not changes. Items are matched by what identifies them on the
//! wire: services and interfaces by name, fields by wire name (URI parameters by position), codes
//! by value, errors by code, events by type.
//!
//! A verdict is *breaking* for a side when code written for the old spec stops compiling against
//! the regenerated bindings, or when it no longer keeps the contract the new spec states (a value
//! it sends may be refused, a value it receives may be outside what it could rely on). Values
//! travel one way or both: what clients send in requests servers receive, what servers send in
//! results and events clients receive. Narrowing what a value may be breaks whoever sends it;
//! widening breaks whoever receives it; a change of wire form breaks both.

mod compare;
mod flow;
mod render;

use std::fmt;

use serde::Serialize;

use crate::model::Spec;
use crate::source::Span;

pub use render::{Sides, json, text};

/// Compares two validated specs. Changes come grouped (see [`Group`]) and in a stable order.
pub fn diff(old: &Spec, new: &Spec) -> Changes {
    let mut changes = compare::Differ::new(old, new).run();
    // Stable: within a group the walk's order (the new spec's) stays.
    changes.sort_by(|a, b| a.group.order().cmp(&b.group.order()));
    Changes { changes }
}

/// Every change between two specs.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// The changes, grouped and in a stable order.
    pub changes: Vec<Change>,
}

impl Changes {
    /// Whether the two specs mean the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes break `side` (both sides for [`Audience::Both`]).
    pub fn breaking_for(&self, audience: Audience) -> usize {
        self.changes
            .iter()
            .filter(|c| c.verdict_for(audience) == Verdict::Breaking)
            .count()
    }

    /// The exit status a CI gate wants: 0 without changes, 1 with compatible changes only, 2 when
    /// a change breaks the audience.
    pub fn exit_status(&self, audience: Audience) -> u8 {
        if self.is_empty() {
            0
        } else if self.breaking_for(audience) > 0 {
            2
        } else {
            1
        }
    }
}

/// One change.
#[derive(Debug, Clone)]
pub struct Change {
    /// Where it belongs in the changelog.
    pub group: Group,
    /// What kind of change it is.
    pub kind: ChangeKind,
    /// What changed (`request field \`confIds\``, `code 3`).
    pub subject: String,
    /// Old and new values, when there are values to show (`1..=10 -> 1..=5`).
    pub detail: Option<String>,
    /// What it does to clients.
    pub client: Verdict,
    /// What it does to servers.
    pub server: Verdict,
    /// Why the verdicts are what they are.
    pub why: String,
    /// Where the old spec defines it.
    pub old: Option<Span>,
    /// Where the new spec defines it.
    pub new: Option<Span>,
}

impl Change {
    /// The verdict for an audience: the worse of the two for [`Audience::Both`].
    pub fn verdict_for(&self, audience: Audience) -> Verdict {
        match audience {
            Audience::Client => self.client,
            Audience::Server => self.server,
            Audience::Both => self.client.max(self.server),
        }
    }
}

/// Whose code a verdict is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Code that calls the gateway through the generated client.
    Client,
    /// Code that implements the generated server traits.
    Server,
    /// Both.
    Both,
}

/// What a change does to one side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Code written for the old spec keeps compiling and keeps the contract.
    Compatible,
    /// Code written for the old spec stops compiling or no longer keeps the contract.
    Breaking,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Compatible => "compatible",
            Verdict::Breaking => "breaking",
        })
    }
}

/// Where a change belongs: services and their interfaces first, then the definitions they share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Group {
    /// The gateway's protocol: envelope, session, refusals, how events travel.
    Protocol,
    /// A service itself (`agentconf`).
    Service(String),
    /// One interface of a service (service name, interface id).
    Interface(String, String),
    /// A named parameter table (`types`).
    Type(String),
    /// A code table.
    CodeTable(String),
    /// A named scalar.
    Scalar(String),
    /// A request or response header.
    Header(String),
    /// The error-code catalogue.
    Errors,
    /// One event of the catalogue.
    Event(String),
}

impl Group {
    /// The changelog's order: the protocol, each service with its interfaces, then shared
    /// definitions by kind and name.
    fn order(&self) -> (u8, &str, &str) {
        match self {
            Group::Protocol => (0, "", ""),
            Group::Service(name) => (1, name, ""),
            Group::Interface(service, id) => (1, service, id),
            Group::Type(name) => (2, name, ""),
            Group::CodeTable(name) => (3, name, ""),
            Group::Scalar(name) => (4, name, ""),
            Group::Header(name) => (5, name, ""),
            Group::Errors => (6, "", ""),
            Group::Event(name) => (7, name, ""),
        }
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Group::Protocol => f.write_str("protocol"),
            Group::Service(name) => write!(f, "service {name}"),
            Group::Interface(service, id) => write!(f, "service {service} / interface {id}"),
            Group::Type(name) => write!(f, "type {name}"),
            Group::CodeTable(name) => write!(f, "code table {name}"),
            Group::Scalar(name) => write!(f, "scalar {name}"),
            Group::Header(name) => write!(f, "header {name}"),
            Group::Errors => f.write_str("error catalogue"),
            Group::Event(name) => write!(f, "event {name}"),
        }
    }
}

/// Which way a limit moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Movement {
    /// Fewer values are valid.
    Narrowed,
    /// More values are valid.
    Widened,
    /// Some values became valid and others invalid.
    Moved,
}

impl Movement {
    fn word(self) -> &'static str {
        match self {
            Movement::Narrowed => "narrowed",
            Movement::Widened => "widened",
            Movement::Moved => "moved",
        }
    }
}

/// The kinds of change, each named in the changelog and in JSON (`range-widened`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// A service appeared.
    ServiceAdded,
    /// A service disappeared.
    ServiceRemoved,
    /// A service's server trait gained or lost default methods.
    DefaultMethodsChanged,
    /// An interface appeared.
    InterfaceAdded,
    /// An interface disappeared.
    InterfaceRemoved,
    /// The same method and path under another interface id: every Rust name changes.
    InterfaceRenamed,
    /// The HTTP method changed.
    MethodChanged,
    /// The path template changed.
    PathChanged,
    /// Calling the interface now needs a session, or no longer does.
    SessionRequirementChanged,
    /// A role is required now, or no longer.
    RoleRequirementChanged,
    /// The code a caller without the role gets changed.
    RoleRefusalChanged,
    /// A request or response header appeared on an interface.
    HeaderAdded,
    /// A request or response header disappeared from an interface.
    HeaderRemoved,
    /// A header's definition (mandatory, default, purpose, format) changed.
    HeaderChanged,
    /// An interface may answer another catalogue code.
    ErrorAdded,
    /// An interface no longer answers a catalogue code.
    ErrorRemoved,
    /// The events an interface triggers changed.
    TriggersChanged,
    /// The request body, result or failure detail appeared, disappeared or changed kind.
    BodyChanged,
    /// A field (or parameter) appeared.
    FieldAdded,
    /// A field disappeared.
    FieldRemoved,
    /// A field's wire name changed.
    FieldRenamed,
    /// A field became mandatory.
    FieldMadeMandatory,
    /// A field became optional.
    FieldMadeOptional,
    /// A value's type or wire form changed.
    TypeChanged,
    /// A Rust name changed with the wire unchanged (a `rust_name`, a fallback variant, the
    /// service an interface is in, the gateway's name).
    RustNameChanged,
    /// A numeric range changed.
    Range(Movement),
    /// String length limits changed.
    Length(Movement),
    /// Array length limits changed.
    Items(Movement),
    /// A pattern appeared, disappeared or changed.
    Pattern(Movement),
    /// The codes a field takes changed.
    AllowedCodes(Movement),
    /// The value assumed for an absent field changed.
    DefaultChanged,
    /// A "mandatory when" condition changed.
    Condition(Movement),
    /// Whether a number or boolean is also accepted as a string changed.
    LenientChanged,
    /// The unit of a number changed.
    UnitChanged,
    /// A rule between fields appeared, disappeared or stopped or started being enforced.
    Rule(Movement),
    /// A code appeared in a code table.
    CodeAdded,
    /// A code disappeared from a code table.
    CodeRemoved,
    /// A code's name (and Rust variant) changed.
    CodeRenamed,
    /// Whether unlisted codes are kept or refused changed.
    UnknownCodesChanged,
    /// A named table, code table or scalar appeared.
    DefinitionAdded,
    /// A named table, code table or scalar disappeared.
    DefinitionRemoved,
    /// A code appeared in the error catalogue.
    CatalogueCodeAdded,
    /// A code disappeared from the error catalogue.
    CatalogueCodeRemoved,
    /// A catalogue code's name (and Rust variant) changed.
    CatalogueCodeRenamed,
    /// An event appeared in the catalogue.
    EventAdded,
    /// An event disappeared from the catalogue.
    EventRemoved,
    /// What an event's content carries changed kind.
    EventContentChanged,
    /// A fact of the protocol changed (envelope members, session, refusals, event object).
    ProtocolChanged,
    /// A timer of live sessions changed.
    TimingChanged,
    /// An item became deprecated.
    Deprecated,
    /// An item is no longer deprecated, or its note changed.
    DeprecationChanged,
    /// Titles, descriptions, meanings: documentation only.
    Documentation,
}

impl ChangeKind {
    /// The kind's name in the changelog and in JSON (`range-widened`).
    pub fn name(self) -> String {
        let fixed = match self {
            ChangeKind::ServiceAdded => "service-added",
            ChangeKind::ServiceRemoved => "service-removed",
            ChangeKind::DefaultMethodsChanged => "default-methods-changed",
            ChangeKind::InterfaceAdded => "interface-added",
            ChangeKind::InterfaceRemoved => "interface-removed",
            ChangeKind::InterfaceRenamed => "interface-renamed",
            ChangeKind::MethodChanged => "method-changed",
            ChangeKind::PathChanged => "path-changed",
            ChangeKind::SessionRequirementChanged => "session-requirement-changed",
            ChangeKind::RoleRequirementChanged => "role-requirement-changed",
            ChangeKind::RoleRefusalChanged => "role-refusal-changed",
            ChangeKind::HeaderAdded => "header-added",
            ChangeKind::HeaderRemoved => "header-removed",
            ChangeKind::HeaderChanged => "header-changed",
            ChangeKind::ErrorAdded => "error-added",
            ChangeKind::ErrorRemoved => "error-removed",
            ChangeKind::TriggersChanged => "triggers-changed",
            ChangeKind::BodyChanged => "body-changed",
            ChangeKind::FieldAdded => "field-added",
            ChangeKind::FieldRemoved => "field-removed",
            ChangeKind::FieldRenamed => "field-renamed",
            ChangeKind::FieldMadeMandatory => "field-made-mandatory",
            ChangeKind::FieldMadeOptional => "field-made-optional",
            ChangeKind::TypeChanged => "type-changed",
            ChangeKind::RustNameChanged => "rust-name-changed",
            ChangeKind::Range(m) => return format!("range-{}", m.word()),
            ChangeKind::Length(m) => return format!("length-{}", m.word()),
            ChangeKind::Items(m) => return format!("array-limit-{}", m.word()),
            ChangeKind::Pattern(m) => return format!("pattern-{}", m.word()),
            ChangeKind::AllowedCodes(m) => return format!("allowed-codes-{}", m.word()),
            ChangeKind::DefaultChanged => "default-changed",
            ChangeKind::Condition(m) => return format!("condition-{}", m.word()),
            ChangeKind::LenientChanged => "lenient-changed",
            ChangeKind::UnitChanged => "unit-changed",
            ChangeKind::Rule(m) => return format!("rule-{}", m.word()),
            ChangeKind::CodeAdded => "code-added",
            ChangeKind::CodeRemoved => "code-removed",
            ChangeKind::CodeRenamed => "code-renamed",
            ChangeKind::UnknownCodesChanged => "unknown-codes-changed",
            ChangeKind::DefinitionAdded => "definition-added",
            ChangeKind::DefinitionRemoved => "definition-removed",
            ChangeKind::CatalogueCodeAdded => "catalogue-code-added",
            ChangeKind::CatalogueCodeRemoved => "catalogue-code-removed",
            ChangeKind::CatalogueCodeRenamed => "catalogue-code-renamed",
            ChangeKind::EventAdded => "event-added",
            ChangeKind::EventRemoved => "event-removed",
            ChangeKind::EventContentChanged => "event-content-changed",
            ChangeKind::ProtocolChanged => "protocol-changed",
            ChangeKind::TimingChanged => "timing-changed",
            ChangeKind::Deprecated => "deprecated",
            ChangeKind::DeprecationChanged => "deprecation-changed",
            ChangeKind::Documentation => "documentation",
        };
        fixed.to_owned()
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}
