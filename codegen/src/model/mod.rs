//! The validated model: the one place that knows what a spec means.
//!
//! Built from the raw files by [`build`], which resolves every reference and checks every rule
//! the format has. Emitters only read the model; each item keeps the [`Span`] it came from.

mod build;
mod example;
mod names;
pub mod rust;

pub use build::build;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::raw::{
    CodeValue, HeaderPurpose, LengthUnit, Method, ScalarValue, Unit, UnknownCodes, ValueType,
};
use crate::source::Span;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub usize);
    )*};
}

ids!(
    /// Index into [`Spec::services`].
    ServiceId,
    /// Index into [`Spec::roles`].
    RoleId,
    /// Index into [`Spec::headers`].
    HeaderId,
    /// Index into [`Spec::envelopes`].
    EnvelopeId,
    /// Index into [`Spec::errors`].
    ErrorId,
    /// Index into [`Spec::code_tables`].
    CodeTableId,
    /// Index into [`Spec::tables`].
    TableId,
    /// Index into [`Spec::scalars`].
    ScalarTypeId,
    /// Index into [`Spec::events`].
    EventId
);

/// A whole, validated spec.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The gateway.
    pub gateway: Gateway,
    /// What every interface shares: envelope, session headers, caller parameter, refusal codes.
    pub protocol: Protocol,
    /// The edition of the vendor reference the constraints are taken from, if the spec has
    /// editions.
    pub version: Option<String>,
    /// Services, in file order.
    pub services: Vec<Service>,
    /// Caller roles.
    pub roles: Vec<Role>,
    /// Request headers.
    pub headers: Vec<Header>,
    /// Response envelopes.
    pub envelopes: Vec<Envelope>,
    /// The error-code catalogue.
    pub errors: Vec<ErrorCode>,
    /// Named constrained scalars.
    pub scalars: Vec<ScalarType>,
    /// Code tables.
    pub code_tables: Vec<CodeTable>,
    /// Parameter tables, including each interface's request body and result.
    pub tables: Vec<Table>,
    /// Interfaces.
    pub interfaces: Vec<Interface>,
    /// The event catalogue, in file order.
    pub events: Vec<Event>,
    /// How events travel, when the spec has an event catalogue.
    pub event_protocol: Option<EventProtocol>,
    /// The Rust names of the crate root's own items.
    pub names: RootNames,
}

/// The Rust names of the generated crate's own items, decided (and checked against every name
/// the spec makes) by [`rust::assign`].
#[derive(Debug, Clone, Default)]
pub struct RootNames {
    /// The module of the code tables and the error catalogue (`codes`).
    pub codes_module: String,
    /// The module of scalars, envelopes, the protocol and the named tables (`types`).
    pub types_module: String,
    /// The test module made from the spec's examples (`examples`).
    pub examples_module: String,
    /// The test module of every interface's failure answers (`answers`).
    pub answers_module: String,
    /// The error-code catalogue (`ErrorCode`).
    pub error_code: String,
    /// The catalogue's variant that keeps codes it does not list (`Other`).
    pub error_fallback: String,
    /// The protocol constant (`PROTOCOL`).
    pub protocol: String,
    /// The module of the event catalogue (`events`).
    pub events_module: String,
    /// The enum of the event catalogue (`Event`).
    pub event_enum: String,
    /// The event enum's variant that keeps events the catalogue does not list (`Unknown`).
    pub event_fallback: String,
}

impl Spec {
    /// The table with this id.
    pub fn table(&self, id: TableId) -> &Table {
        &self.tables[id.0]
    }
    /// The code table with this id.
    pub fn code_table(&self, id: CodeTableId) -> &CodeTable {
        &self.code_tables[id.0]
    }
    /// The scalar type with this id.
    pub fn scalar(&self, id: ScalarTypeId) -> &ScalarType {
        &self.scalars[id.0]
    }

    /// Gives every service's server trait default methods, as a build asks for
    /// (`--default-methods`).
    ///
    /// # Errors
    /// A diagnostic at the protocol's refusals when they declare no `not_supported` code for
    /// the default methods to answer.
    pub fn enable_default_methods(&mut self) -> Result<(), Box<Diagnostic>> {
        if self.protocol.refusals.not_supported.is_none() {
            return Err(Box::new(Diagnostic::error(
                DiagnosticCode::MissingKey,
                self.protocol.refusals_span,
                "default methods were asked for, but the protocol declares no `not_supported` refusal",
            )
            .label("no `not_supported` code here")
            .help("add `not_supported: <catalogue code>` to `gateway.protocol.refusals`: the code a server answers for an interface it does not implement")));
        }
        for service in &mut self.services {
            service.default_methods = true;
        }
        Ok(())
    }
}

/// The gateway product.
#[derive(Debug, Clone)]
pub struct Gateway {
    /// Short name (`agentgateway`).
    pub name: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// The vendor documentation transcribed.
    pub reference: Option<String>,
    /// Where it is defined.
    pub span: Span,
}

/// The gateway's protocol: the facts the generic client and server need, all from the spec.
#[derive(Debug, Clone)]
pub struct Protocol {
    /// The envelope of answers no interface gives.
    pub envelope: EnvelopeId,
    /// The request header that carries the session (`purpose: session`).
    pub session_header: Option<HeaderId>,
    /// The response header that hands out a new session (`purpose: renew_session`).
    pub renewal: Option<Renewal>,
    /// The URI parameter that names the calling agent.
    pub caller_param: Option<String>,
    /// The catalogue code of each refusal.
    pub refusals: Refusals,
    /// Where the refusals are declared.
    pub refusals_span: Span,
    /// Choices the vendor leaves open and why the spec makes them.
    pub notes: Vec<Note>,
    /// Where it is declared.
    pub span: Span,
}

/// The response header that hands out a new session, and how its value holds the session.
#[derive(Debug, Clone)]
pub struct Renewal {
    /// The header.
    pub header: HeaderId,
    /// What comes before the session in the value.
    pub prefix: String,
    /// What comes after the session in the value.
    pub suffix: String,
}

/// The catalogue code of each refusal a server makes before an interface runs.
#[derive(Debug, Clone, Copy)]
pub struct Refusals {
    /// A parameter, header or body is invalid.
    pub invalid_parameter: ErrorId,
    /// No session header on an interface that needs one.
    pub not_signed_in: ErrorId,
    /// Unknown or expired session, or another caller's path.
    pub no_permission: ErrorId,
    /// The caller lacks the interface's role.
    pub missing_role: ErrorId,
    /// The interface failed without an answer.
    pub internal_error: ErrorId,
    /// No interface answers the path.
    pub unknown_path: ErrorId,
    /// The server does not implement the interface (what default methods answer), if declared.
    pub not_supported: Option<ErrorId>,
}

/// A group of interfaces under one base path.
#[derive(Debug, Clone)]
pub struct Service {
    /// Name (`agentconf`).
    pub name: String,
    /// Title.
    pub title: String,
    /// Absolute base path.
    pub base_path: String,
    /// Description.
    pub description: Option<String>,
    /// Whether the server trait's methods have defaults that answer the protocol's
    /// `not_supported` code (`server_defaults: not_supported`, or a build's
    /// `--default-methods`).
    pub default_methods: bool,
    /// The Rust names of its module, client, server and routers.
    pub names: ServiceNames,
    /// Where it is defined.
    pub span: Span,
}

/// The Rust names a service makes (decided by [`rust::assign`]).
#[derive(Debug, Clone, Default)]
pub struct ServiceNames {
    /// Its module (`agentconf`).
    pub module: String,
    /// The client struct (`AgentconfClient`).
    pub client: String,
    /// The server trait (`AgentconfServer`).
    pub server: String,
    /// The function making the router with default options (`router`).
    pub router: String,
    /// The function making the router with explicit options (`router_with`).
    pub router_with: String,
}

/// A caller role.
#[derive(Debug, Clone)]
pub struct Role {
    /// Name (`inspector`).
    pub name: String,
    /// Who has it.
    pub description: String,
    /// Where it is defined.
    pub span: Span,
}

/// A recorded mistake of the vendor page.
#[derive(Debug, Clone)]
pub struct Note {
    /// What the page says.
    pub vendor: String,
    /// What the spec does instead.
    pub resolution: String,
    /// Where it is recorded.
    pub span: Span,
}

/// A request header.
#[derive(Debug, Clone)]
pub struct Header {
    /// Wire name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Whether requests without it are refused.
    pub mandatory: bool,
    /// Value sent by default.
    pub default: Option<String>,
    /// Special meaning.
    pub purpose: Option<HeaderPurpose>,
    /// How a `renew_session` header's value holds the session (`JSESSIONID={session}`).
    pub format: Option<String>,
    /// Vendor source.
    pub source: Option<String>,
    /// Vendor mistakes.
    pub notes: Vec<Note>,
    /// Where it is defined.
    pub span: Span,
}

/// A response envelope.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// Type name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Vendor source.
    pub source: Option<String>,
    /// Wire name and description of the message member.
    pub message: (String, String),
    /// The result-code member.
    pub retcode: Retcode,
    /// Wire name and description of the result member.
    pub result: (String, String),
    /// Vendor mistakes.
    pub notes: Vec<Note>,
    /// Where it is defined.
    pub span: Span,
}

/// The result-code member of an envelope.
#[derive(Debug, Clone)]
pub struct Retcode {
    /// Wire name.
    pub name: String,
    /// How it travels (string or int).
    pub code_type: CodeType,
    /// The success code.
    pub success: CodeValue,
    /// Description.
    pub description: String,
}

/// How codes travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeType {
    /// JSON integers.
    Int,
    /// JSON strings.
    String,
}

/// One error code of the catalogue.
#[derive(Debug, Clone)]
pub struct ErrorCode {
    /// The code (`100-006`).
    pub code: String,
    /// snake_case identifier.
    pub name: String,
    /// The Rust variant name.
    pub ident: String,
    /// Meaning.
    pub meaning: String,
    /// Where it is defined.
    pub span: Span,
}

/// A named constrained scalar (`AgentId`).
#[derive(Debug, Clone)]
pub struct ScalarType {
    /// Type name.
    pub name: String,
    /// How it travels.
    pub scalar: Scalar,
    /// Description.
    pub description: String,
    /// Numeric range (on numbers or numeric strings).
    pub range: Option<Range>,
    /// String length limits.
    pub length: Option<Length>,
    /// Unit of a number.
    pub unit: Option<Unit>,
    /// Vendor source.
    pub source: Option<String>,
    /// Vendor mistakes.
    pub notes: Vec<Note>,
    /// Where it is defined.
    pub span: Span,
}

/// A code table.
#[derive(Debug, Clone)]
pub struct CodeTable {
    /// Type name (`ConfState`).
    pub name: String,
    /// Description.
    pub description: String,
    /// Vendor source.
    pub source: Option<String>,
    /// How codes travel.
    pub code_type: CodeType,
    /// What the spec says about unknown codes (`None`: decided by direction).
    pub unknown_codes: Option<UnknownCodes>,
    /// The codes.
    pub codes: Vec<Code>,
    /// The Rust variant that keeps unknown codes; `None` when unknown codes are refused.
    pub fallback: Option<String>,
    /// Whether the fallback keeps unknown codes only in responses: the table is reached from a
    /// result and says nothing about unknown codes, so requests still refuse them.
    pub refuse_in_requests: bool,
    /// Vendor mistakes.
    pub notes: Vec<Note>,
    /// Where it is defined.
    pub span: Span,
}

impl CodeTable {
    /// The entry for a wire code, if listed.
    pub fn find(&self, code: &CodeValue) -> Option<&Code> {
        self.codes.iter().find(|c| &c.value == code)
    }

    /// Whether a code the table does not list is kept (not refused) in a message travelling
    /// `direction`.
    pub fn keeps_unknown(&self, direction: Direction) -> bool {
        self.fallback.is_some() && !(self.refuse_in_requests && direction == Direction::Request)
    }

    /// Whether integer codes travel as 64-bit integers: only when a listed code needs it, so
    /// an unknown code kept by the table fits 32 bits otherwise.
    pub fn wide(&self) -> bool {
        self.codes
            .iter()
            .any(|c| matches!(c.value, CodeValue::Int(i) if i32::try_from(i).is_err()))
    }
}

/// Which way a message travels; decides whether unknown codes are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Client to gateway: the request body and the URI and query parameters.
    Request,
    /// Gateway to client: the response envelope and its result.
    Response,
}

/// One code.
#[derive(Debug, Clone)]
pub struct Code {
    /// The wire value.
    pub value: CodeValue,
    /// snake_case identifier.
    pub name: String,
    /// The Rust variant name.
    pub ident: String,
    /// Meaning.
    pub meaning: String,
    /// Source when not the table's.
    pub source: Option<String>,
    /// Meanings other pages give the code.
    pub also: Vec<OtherMeaning>,
    /// Why it is deprecated and what to use instead, when the spec marks it so.
    pub deprecated: Option<String>,
    /// Vendor mistakes.
    pub notes: Vec<Note>,
    /// Where it is defined.
    pub span: Span,
}

/// A meaning another page gives a code.
#[derive(Debug, Clone)]
pub struct OtherMeaning {
    /// What that page says.
    pub meaning: String,
    /// The page.
    pub source: String,
}

/// Where a table comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableOrigin {
    /// A named entry of `types`.
    Named,
    /// The request body of an interface (index into [`Spec::interfaces`]).
    Request(usize),
    /// The result of an interface (index into [`Spec::interfaces`]).
    Result(usize),
    /// The failure-only result of an interface (index into [`Spec::interfaces`]).
    Failure(usize),
    /// The content of an event (index into [`Spec::events`]).
    EventContent(usize),
}

/// A parameter table (an object type).
#[derive(Debug, Clone)]
pub struct Table {
    /// Type name (`ConfInfo`, `QueryConfInfosRequest`).
    pub name: String,
    /// Where it comes from.
    pub origin: TableOrigin,
    /// Description.
    pub description: Option<String>,
    /// Vendor source.
    pub source: Option<String>,
    /// Rows, in vendor order.
    pub fields: Vec<Field>,
    /// Rules between its fields.
    pub rules: Vec<TableRule>,
    /// Whether it is only ever received from the gateway (reached from results and failure
    /// results, never from a request body): its `validate()` checks it as a response.
    pub received_only: bool,
    /// Vendor mistakes.
    pub notes: Vec<Note>,
    /// Where it is defined.
    pub span: Span,
}

/// A rule between fields of one table.
#[derive(Debug, Clone)]
pub struct TableRule {
    /// What it says.
    pub kind: RuleKind,
    /// Whether a value that breaks it is refused (`true`) or the rule only explains (`false`).
    pub enforce: bool,
    /// Where it is written.
    pub span: Span,
}

/// The kinds of rule between fields (wire names of fields of the same table).
#[derive(Debug, Clone)]
pub enum RuleKind {
    /// `field` < `than` (absent values count as their default).
    LessThan {
        /// The smaller number.
        field: String,
        /// The number it stays below.
        than: String,
        /// What the gateway does otherwise, in the page's words.
        otherwise: Option<String>,
    },
    /// The optional `field` only means something when `when` holds.
    MeaningfulOnlyIf {
        /// The optional field.
        field: String,
        /// The condition on another field.
        when: RequiredIf,
    },
    /// The fields' total (array lengths, numbers) is at most `max`.
    AtMostTotal {
        /// The fields counted together.
        fields: Vec<String>,
        /// The largest total.
        max: u64,
    },
}

impl RuleKind {
    /// The wire names of the fields the rule is about, the constrained field first.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            RuleKind::LessThan { field, than, .. } => vec![field, than],
            RuleKind::MeaningfulOnlyIf { field, when } => vec![field, &when.field],
            RuleKind::AtMostTotal { fields, .. } => fields.iter().map(String::as_str).collect(),
        }
    }
}

/// Scalar wire types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    /// JSON string.
    String,
    /// 32-bit integer.
    Int,
    /// 64-bit integer.
    Long,
    /// Boolean.
    Boolean,
}

impl Scalar {
    /// The inclusive bounds a value of this type can take, for integers.
    pub fn bounds(self) -> Option<(i64, i64)> {
        match self {
            Scalar::Int => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
            Scalar::Long => Some((i64::MIN, i64::MAX)),
            Scalar::String | Scalar::Boolean => None,
        }
    }
}

/// The shape of a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A plain scalar.
    Scalar(Scalar),
    /// A code from a code table; the scalar is how it travels.
    Code(CodeTableId, Scalar),
    /// A named constrained scalar; the scalar is how it travels (a string scalar can travel as
    /// a JSON number, a number scalar as a string).
    Newtype(ScalarTypeId, Scalar),
    /// An object described by a table.
    Object(TableId),
    /// An array of values.
    Array(Box<Shape>),
}

/// An inclusive range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Range {
    /// Smallest allowed.
    pub min: Option<i64>,
    /// Largest allowed.
    pub max: Option<i64>,
}

impl Range {
    /// Whether `value` is inside.
    pub fn contains(&self, value: i64) -> bool {
        self.min.is_none_or(|m| value >= m) && self.max.is_none_or(|m| value <= m)
    }
}

impl std::fmt::Display for Range {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.min, self.max) {
            (Some(a), Some(b)) => write!(f, "{a}..={b}"),
            (Some(a), None) => write!(f, ">= {a}"),
            (None, Some(b)) => write!(f, "<= {b}"),
            (None, None) => f.write_str("any"),
        }
    }
}

/// String length limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Length {
    /// Shortest.
    pub min: Option<u64>,
    /// Longest.
    pub max: Option<u64>,
    /// What is counted.
    pub unit: LengthUnit,
}

/// One field of a table (or a path parameter).
#[derive(Debug, Clone)]
pub struct Field {
    /// Vendor row number.
    pub row: Option<String>,
    /// Wire name.
    pub name: String,
    /// The Rust field name.
    pub ident: String,
    /// The vendor's type, as written.
    pub vendor_type: ValueType,
    /// The resolved shape.
    pub shape: Shape,
    /// Whether it must be present.
    pub mandatory: bool,
    /// Description.
    pub description: String,
    /// Numeric range (on numbers or numeric strings).
    pub range: Option<Range>,
    /// String length limits.
    pub length: Option<Length>,
    /// A regular expression the string must match.
    pub pattern: Option<String>,
    /// The only codes of its code table the field takes (on code fields and arrays of codes).
    pub allowed_codes: Option<Vec<CodeValue>>,
    /// Array length limits.
    pub items: Option<Range>,
    /// Unit of a number.
    pub unit: Option<Unit>,
    /// The value assumed when the (optional) field is absent.
    pub default: Option<ScalarValue>,
    /// Another field of the table that makes this optional field mandatory.
    pub required_if: Option<RequiredIf>,
    /// Whether the value is also accepted written as a JSON string.
    pub lenient: bool,
    /// The method that reads the field or its default (`time_or_default`), for fields with a
    /// default.
    pub default_accessor: Option<String>,
    /// The builder-style method that sets the (optional) field (`with_time`).
    pub setter: Option<String>,
    /// Why it is deprecated and what to use instead, when the spec marks it so.
    pub deprecated: Option<String>,
    /// Vendor mistakes.
    pub notes: Vec<Note>,
    /// Where it is defined.
    pub span: Span,
}

/// "Mandatory when `field` is `equals`".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredIf {
    /// Wire name of the other field (same table).
    pub field: String,
    /// The value that makes this field mandatory.
    pub equals: ScalarValue,
}

/// A precondition.
#[derive(Debug, Clone)]
pub enum Prerequisite {
    /// The caller must be signed in.
    SignedIn {
        /// The page's words.
        text: String,
    },
    /// The caller must have a role.
    Role {
        /// Which.
        role: RoleId,
        /// The page's words.
        text: String,
        /// The catalogue code a caller without it gets, when not the protocol's `missing_role`.
        refusal: Option<ErrorId>,
    },
    /// Another condition, documented only.
    Condition {
        /// The page's words.
        text: String,
    },
}

/// What one role may see.
#[derive(Debug, Clone)]
pub struct Visibility {
    /// The role.
    pub role: RoleId,
    /// What it sees.
    pub scope: String,
}

/// A piece of example text with where it is written.
#[derive(Debug, Clone)]
pub struct ExampleText {
    /// The text, verbatim.
    pub text: String,
    /// The YAML scalar that holds it.
    pub span: Span,
}

/// A name/value pair of an example (a header or a URI parameter).
#[derive(Debug, Clone)]
pub struct ExampleEntry {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
    /// Where the name is written.
    pub span: Span,
    /// Where the value is written.
    pub value_span: Span,
}

/// One example of the page.
#[derive(Debug, Clone)]
pub struct Example {
    /// Its name (`None` for the single `example`); names the tests made from it.
    pub name: Option<String>,
    /// Request headers.
    pub headers: Vec<ExampleEntry>,
    /// URI parameters.
    pub path_params: Vec<ExampleEntry>,
    /// Query-string parameters (not percent-encoded).
    pub query_params: Vec<ExampleEntry>,
    /// Request body JSON, verbatim.
    pub request: Option<ExampleText>,
    /// Response body JSON, verbatim.
    pub response: Option<ExampleText>,
    /// The names of the tests made from it.
    pub tests: ExampleTests,
    /// Where the example is written.
    pub span: Span,
}

/// The names of the tests one example becomes (decided by [`rust::assign`]), each starting with
/// the interface's id and the example's name (`query_conf_infos_request_round_trips`).
#[derive(Debug, Clone, Default)]
pub struct ExampleTests {
    /// The URI and query parameters render the expected path.
    pub path_renders: String,
    /// A copy with one parameter broken is refused.
    pub broken_path_is_refused: String,
    /// The request body decodes, validates and serialises back.
    pub request_round_trips: String,
    /// A broken copy of the request body is refused.
    pub request_broken_copy_is_refused: String,
    /// The successful response decodes, validates and serialises back.
    pub response_round_trips: String,
    /// A broken copy of the successful response is refused.
    pub response_broken_copy_is_refused: String,
    /// The failure answer decodes as the gateway's failure.
    pub response_is_a_failure: String,
}

/// What an interface's result member carries.
#[derive(Debug, Clone)]
pub enum InterfaceResult {
    /// An object (`<Interface>Result`, a table of [`Spec::tables`]).
    Table(TableId),
    /// A single value, described like a field named after the result member.
    Value(Box<Field>),
    /// An event of the catalogue, absent when none is pending (the generated `Option<Event>`).
    Event {
        /// The description of the result.
        description: String,
    },
}

impl InterfaceResult {
    /// The table, for an object result.
    pub fn table(&self) -> Option<TableId> {
        match self {
            InterfaceResult::Table(id) => Some(*id),
            InterfaceResult::Value(_) | InterfaceResult::Event { .. } => None,
        }
    }
}

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Literal text, including slashes.
    Literal(String),
    /// A `{param}`, by index into [`Interface::path_params`].
    Param(usize),
}

/// One interface.
#[derive(Debug, Clone)]
pub struct Interface {
    /// Identifier (`query_conf_infos`).
    pub id: String,
    /// The Rust names of the items it makes.
    pub names: InterfaceNames,
    /// Page title.
    pub title: String,
    /// Page date.
    pub updated: Option<String>,
    /// Service.
    pub service: ServiceId,
    /// Log name (`queryConfInfos`).
    pub log_name: String,
    /// The only accepted method.
    pub method: Method,
    /// Where the method is written.
    pub method_span: Span,
    /// Full path template: the service base path and the interface path.
    pub path: Vec<PathSegment>,
    /// Where the interface's path is written.
    pub path_span: Span,
    /// Description.
    pub description: String,
    /// Preconditions.
    pub prerequisites: Vec<Prerequisite>,
    /// Who sees what.
    pub visibility: Vec<Visibility>,
    /// URI parameters, in path order.
    pub path_params: Vec<Field>,
    /// Query-string parameters, in spec order.
    pub query_params: Vec<Field>,
    /// Request headers.
    pub headers: Vec<HeaderId>,
    /// Response headers the interface sets.
    pub response_headers: Vec<HeaderId>,
    /// Request body table.
    pub request: Option<TableId>,
    /// Envelope of the response.
    pub envelope: EnvelopeId,
    /// What the result member carries.
    pub result: Option<InterfaceResult>,
    /// The table the result member carries on failure only.
    pub failure: Option<TableId>,
    /// The catalogue code a caller without the interface's role gets, when the interface
    /// declares its own.
    pub role_refusal: Option<ErrorId>,
    /// Error codes it can return.
    pub errors: Vec<ErrorId>,
    /// The events it triggers.
    pub events: Vec<EventId>,
    /// The page's examples: `example` first, then `examples` in order.
    pub examples: Vec<Example>,
    /// Why it is deprecated and what to use instead, when the spec marks it so.
    pub deprecated: Option<String>,
    /// Vendor mistakes.
    pub notes: Vec<Note>,
    /// Where it is defined.
    pub span: Span,
}

impl Interface {
    /// Whether calling the interface needs a session: it must be signed in, or have a role (only
    /// a session has one). Other conditions are documentation.
    pub fn needs_session(&self) -> bool {
        self.prerequisites
            .iter()
            .any(|p| matches!(p, Prerequisite::SignedIn { .. } | Prerequisite::Role { .. }))
    }

    /// The path template as the vendor writes it (`/agentgateway/.../{agentid}/queryconfinfos`).
    pub fn path_template(&self) -> String {
        self.path
            .iter()
            .map(|s| match s {
                PathSegment::Literal(l) => l.clone(),
                PathSegment::Param(i) => match self.path_params.get(*i) {
                    Some(param) => format!("{{{}}}", param.name),
                    None => "{?}".to_owned(),
                },
            })
            .collect()
    }
}

/// The Rust names an interface makes: its descriptor and the types around it live in its
/// service's module, its method in the service's client and server.
#[derive(Debug, Clone, Default)]
pub struct InterfaceNames {
    /// The descriptor, a unit struct implementing `gatespec::Interface` (`QueryConfInfos`).
    pub descriptor: String,
    /// The struct of its URI and query parameters (`QueryConfInfosPath`).
    pub path: String,
    /// Its request body (`QueryConfInfosRequest`), when it has one.
    pub request: String,
    /// Its result (`QueryConfInfosResult`), when it has one.
    pub result: String,
    /// Its failure detail (`QueryConfInfosFailure`), when it declares one.
    pub failure: String,
    /// Its method in the service's client and server (`query_conf_infos`).
    pub method: String,
    /// Its test in the generated crate's `answers` module.
    pub answers_test: String,
}

/// One event type of the catalogue.
#[derive(Debug, Clone)]
pub struct Event {
    /// The event type as the wire writes it (`AgentConf_ParticipantChanged`).
    pub name: String,
    /// The Rust variant name (`AgentConfParticipantChanged`).
    pub ident: String,
    /// When it is reported and what it means.
    pub description: String,
    /// Vendor source.
    pub source: Option<String>,
    /// What its content member carries.
    pub content: EventContent,
    /// Event objects as the vendor shows them, each with the name of its test.
    pub examples: Vec<EventExample>,
    /// Interfaces that trigger it (indices into [`Spec::interfaces`]).
    pub triggered_by: Vec<usize>,
    /// Vendor gaps and mistakes.
    pub notes: Vec<Note>,
    /// Where it is defined.
    pub span: Span,
}

/// What an event's content member carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventContent {
    /// Always `null`.
    Null,
    /// Not documented by the vendor: kept as raw JSON.
    Undocumented,
    /// An object described by a table (`<Variant>Content`).
    Table(TableId),
}

/// A verbatim event object.
#[derive(Debug, Clone)]
pub struct EventExample {
    /// The JSON text.
    pub text: ExampleText,
    /// The name of the test that decodes and re-encodes it.
    pub test: String,
}

/// How events travel.
#[derive(Debug, Clone)]
pub struct EventProtocol {
    /// The wire name of the event-type member (`eventType`).
    pub type_member: String,
    /// The wire name of the agent member (`workNo`).
    pub agent_member: String,
    /// The wire name of the content member (`content`).
    pub content_member: String,
    /// The polling interface (index into [`Spec::interfaces`]).
    pub polling: Option<usize>,
    /// The heartbeat interface (index into [`Spec::interfaces`]).
    pub heartbeat: Option<usize>,
    /// The push callback.
    pub callback: Option<EventCallback>,
    /// The session's timers as the vendor documents them.
    pub timing: EventTiming,
    /// Choices the vendor leaves open about events.
    pub notes: Vec<Note>,
    /// Where it is declared.
    pub span: Span,
}

/// The timers of a live session (milliseconds), as far as the spec declares them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventTiming {
    /// How long the gateway holds a poll without events.
    pub hold_ms: Option<u64>,
    /// The pause after each polling answer (`min`, `max`).
    pub repoll_ms: Option<(u64, u64)>,
    /// The heartbeat interval in push mode.
    pub heartbeat_ms: Option<u64>,
    /// Idle time after which a session is signed out.
    pub idle_sign_out_ms: Option<u64>,
    /// The renewal interval of session ids.
    pub renewal_ms: Option<u64>,
    /// How long a renewed-away id stays valid.
    pub renewed_valid_ms: Option<u64>,
}

/// The endpoint a gateway pushes events to.
#[derive(Debug, Clone)]
pub struct EventCallback {
    /// Page title.
    pub title: String,
    /// What it receives.
    pub description: String,
    /// The method the gateway calls it with.
    pub method: Method,
    /// The path the vendor documents.
    pub path: String,
    /// Log name (`pushEvent`).
    pub log_name: String,
    /// The request headers the gateway sends.
    pub headers: Vec<HeaderId>,
    /// Vendor mistakes.
    pub notes: Vec<Note>,
}
