//! What an interface is, for the generic client and server code: its gateway's protocol, method,
//! path template, log name, prerequisites, error codes and types. Generated code implements [`Interface`] on one
//! unit struct per vendor page; everything that does work is generic over it.

use std::fmt::{self, Write as _};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::code::CodeEnum;
use crate::envelope::EnvelopeFormat;
use crate::protocol::Protocol;
use crate::validate::Validate;

/// The HTTP methods gateway interfaces use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as written in HTTP.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One interface of a gateway (one vendor page), described by constants and types.
///
/// The bounds on the types are what the generic client (`gatespec::client`) and server
/// (`gatespec::server`) need: JSON in both directions and validation of what comes in. Everything
/// else about the gateway (envelope, session, refusal codes) is data in
/// [`PROTOCOL`](Interface::PROTOCOL). Generated types meet them.
///
/// ```
/// use gatespec::{
///     Anyone, CodeEntry, CodeEnum, EnvelopeFormat, Interface, Method, NoDetail, PathParams,
///     Protocol, RefusalCodes, RetcodeType, Validate,
/// };
/// use serde::{Deserialize, Serialize};
///
/// #[derive(CodeEnum, Debug, Clone, PartialEq)]
/// #[code(string)]
/// enum ErrorCode {
///     #[code("E-1", meaning = "invalid parameter")]
///     InvalidParameter,
///     #[code(other)]
///     Other(String),
/// }
///
/// const PING_GATEWAY: Protocol = Protocol {
///     envelope: EnvelopeFormat {
///         message: "message",
///         retcode: "code",
///         result: "data",
///         retcode_type: RetcodeType::Text,
///         success: "OK",
///     },
///     session_header: None,
///     renewal_header: None,
///     caller_param: None,
///     refusals: RefusalCodes::new("E-1", "E-1", "E-1", "E-1", "E-1", "E-1"),
///     catalogue: <ErrorCode as CodeEnum>::CODES,
/// };
///
/// struct Ping;
/// #[derive(Serialize, Deserialize, Validate)]
/// struct PingPath { agent: u32 }
/// impl PathParams for PingPath {
///     fn write_path(&self, path: &mut String) {
///         path.push_str("/gw/");
///         gatespec::push_path_segment(path, &self.agent);
///         path.push_str("/ping");
///     }
/// }
/// impl Interface for Ping {
///     const PROTOCOL: &'static Protocol = &PING_GATEWAY;
///     const LOG_NAME: &'static str = "ping";
///     const METHOD: Method = Method::Get;
///     const PATH: &'static str = "/gw/{agent}/ping";
///     type Access = Anyone;
///     const ROLES: &'static [&'static str] = &[];
///     const ERRORS: &'static [&'static str] = &["E-1"];
///     type Path = PingPath;
///     type Request = ();
///     type Result = ();
///     type Failure = NoDetail;
///     type ErrorCode = ErrorCode;
/// }
///
/// assert_eq!(gatespec::path_of(&PingPath { agent: 153 }), "/gw/153/ping");
/// assert_eq!(Ping::METHOD.as_str(), "GET");
/// assert_eq!(Ping::ENVELOPE.retcode, "code");
/// ```
pub trait Interface: 'static {
    /// The gateway's protocol: envelope, session headers, caller parameter, refusal codes and
    /// catalogue (the generated `PROTOCOL`).
    const PROTOCOL: &'static Protocol;
    /// The envelope of this interface's answers (by default the protocol's).
    const ENVELOPE: &'static EnvelopeFormat = &Self::PROTOCOL.envelope;
    /// The vendor's "Method Name in Logs" (`queryConfInfos`), used as the tracing span name.
    const LOG_NAME: &'static str;
    /// The only method the interface accepts.
    const METHOD: Method;
    /// The full path template with `{param}` placeholders.
    const PATH: &'static str;
    /// Who may call: [`SignedIn`] callers only (a live session header), or [`Anyone`]. A server
    /// handler's context follows from it (`gatespec::server::ContextOf`).
    type Access: Access;
    /// Roles the caller must have (empty: any signed-in caller). Only a session has a role, so
    /// an interface with roles is called by signed-in callers; declare it [`SignedIn`].
    const ROLES: &'static [&'static str];
    /// The result code for a caller without one of [`ROLES`](Interface::ROLES) (`None`: the
    /// protocol's [`missing_role`](crate::RefusalCodes::missing_role)).
    const ROLE_REFUSAL: Option<&'static str> = None;
    /// The error codes the vendor page lists for the interface.
    const ERRORS: &'static [&'static str];
    /// Names of the query-string parameters (`?reason=`), which [`Interface::Path`] also holds.
    const QUERY: &'static [&'static str] = &[];
    /// Response headers the interface sets (the session renewal at sign-in). The client adopts
    /// a renewed session from any response; this lists what the vendor documents.
    const RESPONSE_HEADERS: &'static [&'static str] = &[];
    /// The URI parameters.
    type Path: PathParams + Validate + Serialize + DeserializeOwned + Send + 'static;
    /// The request body, a JSON object on the wire (`()` when there is none: nothing is sent
    /// or read).
    type Request: Validate + Serialize + DeserializeOwned + Send + 'static;
    /// The result carried in the envelope on success (`()` when there is none).
    type Result: Serialize + DeserializeOwned + Send + 'static;
    /// The detail carried in the envelope's result member on failure only ([`NoDetail`](crate::NoDetail)
    /// when the interface declares none).
    type Failure: Serialize + DeserializeOwned + fmt::Debug + Send + Sync + 'static;
    /// The gateway's error-code catalogue.
    type ErrorCode: CodeEnum + Clone + fmt::Debug + Send + Sync;
}

/// Who may call an interface, as a type (its [`Interface::Access`]), so that what a server
/// handler knows of its caller follows from the interface and cannot contradict it: [`SignedIn`]
/// or [`Anyone`]. Sealed.
pub trait Access: access::Sealed + Send + Sync + 'static {
    /// Whether the caller must be signed in (send a live session header).
    const SIGNED_IN: bool;

    /// What a handler knows of its caller `C`: `C` for [`SignedIn`], `Option<C>` for
    /// [`Anyone`] (`None` when no known session was sent).
    type Caller<C: Send + 'static>: Send + 'static;

    /// The handler's caller from the session's caller; `None` when a signed-in caller is
    /// required and there is none.
    #[doc(hidden)]
    fn caller<C: Send + 'static>(caller: Option<C>) -> Option<Self::Caller<C>>;
}

/// Only signed-in callers (a `signed_in` or role prerequisite): the router refuses a call
/// without a live session, and the handler gets the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignedIn {}

/// Anyone, signed in or not (sign-in itself, public queries): the handler gets the caller only
/// when a known session was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Anyone {}

mod access {
    pub trait Sealed {}
    impl Sealed for super::SignedIn {}
    impl Sealed for super::Anyone {}
}

impl Access for SignedIn {
    const SIGNED_IN: bool = true;
    type Caller<C: Send + 'static> = C;

    fn caller<C: Send + 'static>(caller: Option<C>) -> Option<C> {
        caller
    }
}

impl Access for Anyone {
    const SIGNED_IN: bool = false;
    type Caller<C: Send + 'static> = Option<C>;

    fn caller<C: Send + 'static>(caller: Option<C>) -> Option<Option<C>> {
        Some(caller)
    }
}

/// Whether calling interface `I` needs a session: it is [`SignedIn`], or has roles (only a
/// session has one).
pub fn needs_session<I: Interface>() -> bool {
    I::Access::SIGNED_IN || !I::ROLES.is_empty()
}

/// The result code a caller without one of interface `I`'s roles gets.
pub fn role_refusal<I: Interface>() -> &'static str {
    I::ROLE_REFUSAL.unwrap_or(I::PROTOCOL.refusals.missing_role)
}

/// Whether the interface has a request body (its `Request` is not `()`).
pub fn has_body<I: Interface>() -> bool {
    std::any::TypeId::of::<I::Request>() != std::any::TypeId::of::<()>()
}

/// URI parameters that fill a path template.
pub trait PathParams {
    /// Appends the full path, with every parameter percent-encoded as one segment.
    fn write_path(&self, path: &mut String);
}

/// Appends `name=value` to the query string of `path` (starting it with `?` if needed), both
/// percent-encoded.
///
/// ```
/// let mut path = String::from("/agent/153/saybusy");
/// gatespec::push_query_param(&mut path, "reason", &3);
/// gatespec::push_query_param(&mut path, "note", "a b&c");
/// assert_eq!(path, "/agent/153/saybusy?reason=3&note=a%20b%26c");
/// ```
pub fn push_query_param(path: &mut String, name: &str, value: &(impl fmt::Display + ?Sized)) {
    path.push(if path.contains('?') { '&' } else { '?' });
    path.extend(utf8_percent_encode(name, SEGMENT));
    path.push('=');
    push_path_segment(path, value);
}

/// The full path of `params`.
pub fn path_of<P: PathParams + ?Sized>(params: &P) -> String {
    let mut path = String::new();
    params.write_path(&mut path);
    path
}

/// Characters left as they are in a path segment: RFC 3986 unreserved.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Appends `value` as one percent-encoded path segment (a `/` in the value cannot start a new
/// segment).
pub fn push_path_segment(path: &mut String, value: &(impl fmt::Display + ?Sized)) {
    let mut text = String::new();
    // Writing into a String cannot fail.
    let _ = write!(text, "{value}");
    path.extend(utf8_percent_encode(&text, SEGMENT));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        let mut path = String::from("/a/");
        push_path_segment(&mut path, "x/y z?é");
        assert_eq!(path, "/a/x%2Fy%20z%3F%C3%A9");
        let mut path = String::new();
        push_path_segment(&mut path, &153);
        assert_eq!(path, "153");
    }
}
