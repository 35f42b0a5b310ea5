//! Why a call or the building of a client failed.

use std::fmt;

use crate::gateway_error::{GatewayError, NoDetail};
use crate::violation::Violations;

/// Why a [`Client`](super::Client) could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not usable.
    Url(String),
    /// A CA certificate does not parse.
    Certificate(reqwest::Error),
    /// The PEM data holds no certificate.
    NoCertificate,
    /// The HTTP/TLS stack refused the settings.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Url(msg) => write!(f, "invalid gateway base URL {msg}"),
            BuildError::Certificate(e) => write!(f, "invalid CA certificate: {e}"),
            BuildError::NoCertificate => f.write_str("the CA PEM data holds no certificate"),
            BuildError::Http(e) => write!(f, "cannot set up the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Certificate(e) | BuildError::Http(e) => Some(e),
            _ => None,
        }
    }
}

/// Why a call failed, from "never sent" to "the gateway said no". `E` is the gateway's error
/// catalogue, `D` the interface's failure detail ([`NoDetail`] when it declares none).
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError<E, D = NoDetail> {
    /// The request breaks the interface's rules; nothing was sent.
    Invalid(Violations),
    /// The request body could not be written as JSON; nothing was sent.
    Encode(serde_json::Error),
    /// No answer: connecting, TLS, a timeout, or reading the response failed.
    Transport(reqwest::Error),
    /// The gateway answered a non-success HTTP status.
    Status {
        /// The HTTP status code.
        status: u16,
        /// The start of the response body, as text.
        body: String,
    },
    /// The response body is not the interface's envelope, or a successful answer's result is
    /// not the interface's result.
    Decode {
        /// The HTTP status code.
        status: u16,
        /// The start of the response body, as text.
        body: String,
        /// Where in the body (`result.confs[0].confId`; empty for the body as a whole).
        path: String,
        /// What did not decode.
        source: serde_json::Error,
    },
    /// The gateway answered a failure code in the envelope (with the failure's detail when the
    /// interface declares one and the answer carries it).
    Gateway(GatewayError<E, D>),
    /// A sign-in succeeded but its answer handed out no session (no renewal header written the
    /// way the gateway's spec declares).
    NoSession,
    /// The answer handed out a session for another caller than the one the calling
    /// [`Session`](super::Session) belongs to (another agent signed in through it); the session
    /// keeps its own id. Sign each agent in with its own `Session::sign_in`.
    ForeignSession {
        /// The caller the session belongs to.
        session_of: String,
        /// The caller the call named, to whom the session was handed out.
        handed_to: String,
    },
}

impl<E, D> ClientError<E, D> {
    /// The gateway failure, if the call got that far.
    pub fn gateway(&self) -> Option<&GatewayError<E, D>> {
        match self {
            ClientError::Gateway(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the request never left (invalid or not encodable).
    pub fn is_unsent(&self) -> bool {
        matches!(self, ClientError::Invalid(_) | ClientError::Encode(_))
    }
}

impl<E: crate::CodeEnum, D> fmt::Display for ClientError<E, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Invalid(v) => write!(f, "invalid request, not sent:\n{v}"),
            ClientError::Encode(e) => write!(f, "cannot encode the request body: {e}"),
            ClientError::Transport(e) => {
                write!(f, "transport error: {e}")?;
                let mut source = std::error::Error::source(e);
                while let Some(cause) = source {
                    write!(f, ": {cause}")?;
                    source = cause.source();
                }
                Ok(())
            }
            ClientError::Status { status, body } => {
                write!(f, "HTTP status {status}")?;
                if !body.is_empty() {
                    write!(f, ": {body}")?;
                }
                Ok(())
            }
            ClientError::Decode {
                status,
                body,
                path,
                source,
            } => {
                write!(f, "undecodable response (HTTP {status}): ")?;
                if !path.is_empty() {
                    write!(f, "{path}: ")?;
                }
                write!(f, "{source}; body: {body}")
            }
            ClientError::Gateway(e) => fmt::Display::fmt(e, f),
            ClientError::NoSession => {
                f.write_str("the sign-in answer handed out no session (no renewal header)")
            }
            ClientError::ForeignSession {
                session_of,
                handed_to,
            } => write!(
                f,
                "the answer handed out a session for `{handed_to}` to the session of `{session_of}`; \
                 it was not adopted (sign each caller in with its own session)"
            ),
        }
    }
}

impl<E: crate::CodeEnum + fmt::Debug, D: fmt::Debug> std::error::Error for ClientError<E, D> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Invalid(v) => Some(v),
            ClientError::Encode(e) | ClientError::Decode { source: e, .. } => Some(e),
            ClientError::Transport(e) => Some(e),
            ClientError::Status { .. }
            | ClientError::Gateway(_)
            | ClientError::NoSession
            | ClientError::ForeignSession { .. } => None,
        }
    }
}
