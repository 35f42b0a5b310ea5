//! What a gateway's spec declares about its protocol, handed to the generic client and server as
//! data: the envelope, the session header and its renewal, the path parameter that names the
//! caller, the result code of each refusal and the error catalogue's wording. Generated code
//! emits one [`Protocol`] per spec (`PROTOCOL`); nothing here knows any particular gateway.

use crate::code::CodeEntry;
use crate::envelope::EnvelopeFormat;

/// A gateway's protocol, from its spec.
///
/// ```
/// use gatespec::{CodeEntry, EnvelopeFormat, Protocol, RefusalCodes, RenewalHeader, RetcodeType};
///
/// static CATALOGUE: &[CodeEntry<str>] = &[
///     CodeEntry { code: "E-1", meaning: "The request is invalid." },
///     CodeEntry { code: "E-2", meaning: "Sign in first." },
///     CodeEntry { code: "E-3", meaning: "Not allowed." },
///     CodeEntry { code: "E-9", meaning: "Something broke." },
/// ];
/// const DESK: Protocol = Protocol {
///     envelope: EnvelopeFormat {
///         message: "text",
///         retcode: "code",
///         result: "data",
///         retcode_type: RetcodeType::Text,
///         success: "OK",
///     },
///     session_header: Some("X-Desk-Session"),
///     renewal_header: Some(RenewalHeader { name: "X-Desk-Renewed", prefix: "", suffix: "" }),
///     caller_param: Some("user"),
///     refusals: RefusalCodes::new("E-1", "E-2", "E-3", "E-3", "E-9", "E-1"),
///     catalogue: CATALOGUE,
/// };
/// assert_eq!(
///     DESK.refusal_message("E-2", "no `X-Desk-Session` header"),
///     "Sign in first: no `X-Desk-Session` header"
/// );
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Protocol {
    /// The envelope of answers that no interface gives (an unknown path, a method a path does
    /// not take). Each interface names its own ([`Interface::ENVELOPE`](crate::Interface::ENVELOPE)),
    /// by default this one.
    pub envelope: EnvelopeFormat,
    /// The request header that carries the session (`None`: the gateway has no sessions).
    pub session_header: Option<&'static str>,
    /// The response header that hands out a new session, and how its value is written.
    pub renewal_header: Option<RenewalHeader>,
    /// The path parameter that names the calling agent: a session may only call with its own id
    /// there (`None`: no such check).
    pub caller_param: Option<&'static str>,
    /// The result code of each refusal the server makes before a handler runs.
    pub refusals: RefusalCodes,
    /// The error catalogue, whose meanings start refusal messages.
    pub catalogue: &'static [CodeEntry<str>],
}

impl Protocol {
    /// The catalogue's meaning of `code`, if it lists it.
    pub fn meaning(&self, code: &str) -> Option<&'static str> {
        self.catalogue
            .iter()
            .find(|entry| entry.code == code)
            .map(|entry| entry.meaning)
    }

    /// A refusal's message in the spec's words: the catalogue's meaning of `code`, then the
    /// precise `reason` (which parameter, which JSON path).
    pub fn refusal_message(&self, code: &str, reason: &str) -> String {
        match self.meaning(code) {
            Some(meaning) => format!("{}: {reason}", meaning.trim_end_matches('.')),
            None => reason.to_owned(),
        }
    }
}

/// The response header that hands out a new session: its name and how the session is written
/// in it (`prefix` + session + `suffix`; both empty for the bare value).
///
/// ```
/// use gatespec::RenewalHeader;
///
/// let cookie = RenewalHeader { name: "X-Renewed", prefix: "SID=", suffix: "" };
/// assert_eq!(cookie.value("a1b2"), "SID=a1b2");
/// assert_eq!(cookie.session_in("SID=a1b2"), Some("a1b2"));
/// assert_eq!(cookie.session_in("a1b2"), None);
/// let bare = RenewalHeader { name: "X-Renewed", prefix: "", suffix: "" };
/// assert_eq!(bare.session_in(" a1b2 "), Some("a1b2"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RenewalHeader {
    /// The header's name.
    pub name: &'static str,
    /// What comes before the session in the value.
    pub prefix: &'static str,
    /// What comes after the session in the value.
    pub suffix: &'static str,
}

impl RenewalHeader {
    /// The header value that hands out `session`.
    pub fn value(&self, session: &str) -> String {
        format!("{}{session}{}", self.prefix, self.suffix)
    }

    /// The session a header value hands out; `None` when the value is not written the declared
    /// way or holds an empty session.
    pub fn session_in<'v>(&self, value: &'v str) -> Option<&'v str> {
        let session = value
            .trim()
            .strip_prefix(self.prefix)?
            .strip_suffix(self.suffix)?
            .trim();
        (!session.is_empty()).then_some(session)
    }
}

/// The result code of each refusal the server makes before a handler runs, as the spec's
/// `gateway.protocol.refusals` declares them (catalogue codes, written as text).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RefusalCodes {
    /// A URI parameter, query parameter, header or body is invalid (also a method the path does
    /// not take).
    pub invalid_parameter: &'static str,
    /// An interface that needs a session was called without one.
    pub not_signed_in: &'static str,
    /// The session is unknown or expired, or belongs to another caller than the path names.
    pub no_permission: &'static str,
    /// The caller lacks the interface's role (unless the interface declares its own code).
    pub missing_role: &'static str,
    /// The handler failed without an answer.
    pub internal_error: &'static str,
    /// No interface answers the path.
    pub unknown_path: &'static str,
}

impl RefusalCodes {
    /// The codes, in the order of the fields: invalid parameter, not signed in, no permission,
    /// missing role, internal error, unknown path.
    pub const fn new(
        invalid_parameter: &'static str,
        not_signed_in: &'static str,
        no_permission: &'static str,
        missing_role: &'static str,
        internal_error: &'static str,
        unknown_path: &'static str,
    ) -> Self {
        Self {
            invalid_parameter,
            not_signed_in,
            no_permission,
            missing_role,
            internal_error,
            unknown_path,
        }
    }
}
