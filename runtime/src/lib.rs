//! gatespec runtime: the traits and types that generated bindings and hand-written gateway
//! interfaces share.
//!
//! - [`CodeEnum`](derive@CodeEnum): code tables such as `confState` (`0` normal conference call,
//!   `1` announcement playing) or `addressType` (`"6"` phone number, `"9"` agent ID), serialized
//!   as the exact wire code.
//! - [`Validate`](derive@Validate): field rules on request and response structs; `validate()`
//!   reports *every* violation with a JSON-style path such as `result.confs[3].addresses[0].role`.
//! - [`Constrained`](derive@Constrained): newtypes such as `AgentId` that can only hold valid
//!   values.
//!
//! ```
//! use gatespec::{CodeEnum, Constrained, Validate};
//! use serde::{Deserialize, Serialize};
//!
//! /// The `addressType` code table.
//! #[derive(CodeEnum, Debug, Clone, PartialEq)]
//! #[code(string)]
//! pub enum AddressType {
//!     #[code("6", meaning = "phone number")]
//!     PhoneNumber,
//!     #[code("9", meaning = "agent ID")]
//!     AgentId,
//! }
//!
//! /// The body of `POST /conf/{agent}/changeparticipantmode`.
//! #[derive(Validate, Serialize, Deserialize, Debug)]
//! #[serde(rename_all = "camelCase")]
//! pub struct ChangeParticipantMode {
//!     #[validate(range(min = 1, max = 4))]
//!     pub attribute: i32,
//!     pub address_type: AddressType,
//!     #[validate(length(min = 1, max = 24, unit = "bytes"))]
//!     pub address: String,
//! }
//!
//! let body: ChangeParticipantMode =
//!     serde_json::from_str(r#"{"attribute":5,"addressType":"9","address":""}"#)?;
//! assert_eq!(body.address_type, AddressType::AgentId);
//! let violations = body.validate().unwrap_err();
//! assert_eq!(
//!     violations.to_string(),
//!     "attribute: 5 is not in 1..=4\n\
//!      address: \"\" is 0 bytes long, expected 1 to 24 bytes"
//! );
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! ## Features
//!
//! - `client`: [`client::Client`], the HTTP transport (reqwest with rustls), and
//!   [`client::Session`], one agent's session over it, behind generated clients.
//! - `server`: [`server::Routes`] and the session traits, the HTTP server (axum) behind
//!   generated server traits.
//! - `callback` (turns on both): `callback`, the axum endpoint a gateway pushes events to.
//!
//! All are off by default, so code that only uses the derives compiles no HTTP stack.
#![deny(missing_docs)]

extern crate self as gatespec;

#[cfg(feature = "callback")]
pub mod callback;
#[cfg(feature = "client")]
pub mod client;
mod code;
mod constrained;
mod envelope;
mod event;
pub mod example;
mod gateway_error;
mod interface;
mod json_path;
pub mod lenient;
mod no_result;
mod protocol;
mod render;
pub mod rules;
#[cfg(feature = "server")]
pub mod server;
mod validate;
mod violation;
pub mod wire;

pub use code::{CodeEntry, CodeEnum, CodeOf, CodeRepr, UnknownCode};
pub use constrained::{Constrained, ConstraintError};
pub use envelope::{Answer, EnvelopeError, EnvelopeFormat, RetcodeType};
pub use event::{
    ContentError, EventCallback, EventCatalogue, EventFormat, EventTiming, HeartbeatInterface,
    PollingInterface, RawContent, RawEvent,
};
pub use gateway_error::{GatewayError, NoDetail};
pub use interface::{
    Access, Anyone, Interface, Method, PathParams, SignedIn, has_body, needs_session, path_of,
    push_path_segment, push_query_param, role_refusal,
};
pub use no_result::NoResult;
pub use protocol::{Protocol, RefusalCodes, RenewalHeader};
pub use validate::{Direction, Segment, Validate, ValidationContext};
pub use violation::{Constraint, Invalid, LengthUnit, Violation, Violations};

#[doc = include_str!("docs/code_enum.md")]
pub use gatespec_macros::CodeEnum;

#[doc = include_str!("docs/validate.md")]
pub use gatespec_macros::Validate;

#[doc = include_str!("docs/constrained.md")]
pub use gatespec_macros::Constrained;

/// Generates bindings from a spec at compile time: `gatespec::include_spec!("spec/my_gateway");`
/// expands to what `gatespec generate` writes (path relative to the crate's `Cargo.toml`);
/// `include_spec!("spec/my_gateway", default_methods)` gives every server trait default methods,
/// as `gatespec generate --default-methods` does.
/// Needs the `include-spec` feature.
#[cfg(feature = "include-spec")]
pub use gatespec_include::include_spec;

/// Implementation details of the derives. Not public API: no stability guarantees.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    #[cfg(feature = "server")]
    pub use tracing;

    /// On the generated push-callback router: keeps it only with the `callback` feature.
    pub use gatespec_macros::callback_only;
    /// On generated client items: keeps them only with the `client` feature.
    pub use gatespec_macros::client_only;
    /// On generated server items: keeps them only with the `server` feature.
    pub use gatespec_macros::server_only;

    pub use crate::code::{
        deserialize as deserialize_code, fmt as fmt_code, parse as parse_code,
        serialize as serialize_code,
    };
    pub use crate::constrained::{
        check as check_constrained, deserialize as deserialize_constrained,
        parse as parse_constrained,
    };
}
