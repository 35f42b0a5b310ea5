//! What an interface is, for the generic client and server code: its method, path template, log
//! name, prerequisites, error codes and types. Generated code implements [`Interface`] on one
//! unit struct per vendor page; everything that does work is generic over it.

use std::fmt::{self, Write as _};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::code::CodeEnum;
use crate::envelope::ResponseEnvelope;
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
/// (`gatespec::server`) need: JSON in both directions, validation of what comes in, and an
/// envelope and error catalogue they can build and take apart. Generated types meet them.
///
/// ```
/// use gatespec::{CodeEnum, EnvelopeParts, Interface, Method, PathParams, ResponseEnvelope, Validate};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(CodeEnum, Debug, Clone, PartialEq)]
/// #[code(string)]
/// enum ErrorCode {
///     #[code("000-002", meaning = "invalid parameter")]
///     InvalidParameter,
///     #[code(other)]
///     Other(String),
/// }
///
/// #[derive(Serialize, Deserialize)]
/// struct Envelope<R> { message: String, retcode: String, result: Option<R> }
/// impl<R: Serialize + serde::de::DeserializeOwned + Send + 'static> ResponseEnvelope for Envelope<R> {
///     type Result = R;
///     fn success(result: R) -> Self {
///         Envelope { message: String::new(), retcode: "0".into(), result: Some(result) }
///     }
///     fn failure(retcode: &str, message: String) -> Self {
///         Envelope { message, retcode: retcode.into(), result: None }
///     }
///     fn retcode(&self) -> std::borrow::Cow<'_, str> {
///         self.retcode.as_str().into()
///     }
///     fn into_parts(self) -> EnvelopeParts<R> {
///         EnvelopeParts::new(self.retcode == "0", self.retcode, self.message, self.result)
///     }
/// }
///
/// struct Ping;
/// #[derive(Serialize, Deserialize, Validate)]
/// struct PingPath { agentid: u32 }
/// impl PathParams for PingPath {
///     fn write_path(&self, path: &mut String) {
///         path.push_str("/gw/");
///         gatespec::push_path_segment(path, &self.agentid);
///         path.push_str("/ping");
///     }
/// }
/// impl Interface for Ping {
///     const LOG_NAME: &'static str = "ping";
///     const METHOD: Method = Method::Get;
///     const PATH: &'static str = "/gw/{agentid}/ping";
///     const SIGNED_IN: bool = false;
///     const ROLES: &'static [&'static str] = &[];
///     const ERRORS: &'static [&'static str] = &["000-002"];
///     type Path = PingPath;
///     type Request = ();
///     type Result = ();
///     type Envelope = Envelope<()>;
///     type ErrorCode = ErrorCode;
/// }
///
/// assert_eq!(gatespec::path_of(&PingPath { agentid: 153 }), "/gw/153/ping");
/// assert_eq!(Ping::METHOD.as_str(), "GET");
/// ```
pub trait Interface: 'static {
    /// The vendor's "Method Name in Logs" (`queryConfInfos`), used as the tracing span name.
    const LOG_NAME: &'static str;
    /// The only method the interface accepts.
    const METHOD: Method;
    /// The full path template with `{param}` placeholders.
    const PATH: &'static str;
    /// Whether the caller must be signed in (send a live session header).
    const SIGNED_IN: bool;
    /// Roles the caller must have (empty: any signed-in caller).
    const ROLES: &'static [&'static str];
    /// The error codes the vendor page lists for the interface.
    const ERRORS: &'static [&'static str];
    /// Names of the query-string parameters (`?reason=`), which [`Interface::Path`] also holds.
    const QUERY: &'static [&'static str] = &[];
    /// Response headers the interface sets (`Set-GUID` at sign-in). The client adopts a renewed
    /// session from any response; this lists what the vendor documents.
    const RESPONSE_HEADERS: &'static [&'static str] = &[];
    /// The URI parameters.
    type Path: PathParams + Validate + Serialize + DeserializeOwned + Send + 'static;
    /// The request body, a JSON object on the wire (`()` when there is none: nothing is sent
    /// or read).
    type Request: Validate + Serialize + DeserializeOwned + Send + 'static;
    /// The result carried in the envelope on success (`()` when there is none).
    type Result: Serialize + DeserializeOwned + Send + 'static;
    /// The response envelope around [`Interface::Result`].
    type Envelope: ResponseEnvelope<Result = Self::Result>;
    /// The gateway's error-code catalogue.
    type ErrorCode: CodeEnum + Clone + fmt::Debug + Send + Sync;
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
