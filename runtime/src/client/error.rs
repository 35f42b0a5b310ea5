//! Why a call or the building of a client failed.
//!
//! Each error's message says what failed at its own level; the cause (a transport or JSON
//! error) is its `source()`, never repeated in the message, so a reporter that walks the chain
//! prints every cause once.

use crate::gateway_error::{GatewayError, NoDetail};
use crate::violation::Violations;

/// Why a [`Client`](super::Client) could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not usable.
    #[error("invalid gateway base URL {0}")]
    Url(String),
    /// A CA certificate does not parse.
    #[error("invalid CA certificate")]
    Certificate(#[source] reqwest::Error),
    /// The PEM data holds no certificate.
    #[error("the CA PEM data holds no certificate")]
    NoCertificate,
    /// The HTTP/TLS stack refused the settings.
    #[error("cannot set up the HTTP client")]
    Http(#[source] reqwest::Error),
}

/// Why a call failed, from "never sent" to "the gateway said no". `E` is the gateway's error
/// catalogue, `D` the interface's failure detail ([`NoDetail`] when it declares none).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError<E, D = NoDetail> {
    /// The request breaks the interface's rules; nothing was sent. The violations are the
    /// message (each with its JSON path).
    #[error("invalid request, not sent:\n{0}")]
    Invalid(Violations),
    /// The request body could not be written as JSON; nothing was sent.
    #[error("cannot encode the request body")]
    Encode(#[source] serde_json::Error),
    /// No answer: connecting, TLS, a timeout, or reading the response failed.
    #[error("transport error")]
    Transport(#[source] reqwest::Error),
    /// The gateway answered a non-success HTTP status.
    #[error("HTTP status {status}{}", colon_then(body))]
    Status {
        /// The HTTP status code.
        status: u16,
        /// The start of the response body, as text.
        body: String,
    },
    /// The answer's body is longer than the client reads
    /// ([`ClientBuilder::max_answer_bytes`](super::ClientBuilder::max_answer_bytes)); it was
    /// not read further.
    #[error("the answer (HTTP {status}) is longer than {limit} bytes; not read further")]
    TooLarge {
        /// The HTTP status code.
        status: u16,
        /// The limit.
        limit: usize,
    },
    /// The response body is not the interface's envelope, or a successful answer's result is
    /// not the interface's result.
    #[error("undecodable response (HTTP {status}){}; body: {body}", at_path(path))]
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
    #[error(transparent)]
    Gateway(GatewayError<E, D>),
    /// A sign-in succeeded but its answer handed out no session (no renewal header written the
    /// way the gateway's spec declares).
    #[error("the sign-in answer handed out no session (no renewal header)")]
    NoSession,
    /// The answer handed out a session for another caller than the one the calling
    /// [`Session`](super::Session) belongs to (another agent signed in through it); the session
    /// keeps its own id. Sign each agent in with its own `Session::sign_in`.
    #[error(
        "the answer handed out a session for `{handed_to}` to the session of `{session_of}`; \
         it was not adopted (sign each caller in with its own session)"
    )]
    ForeignSession {
        /// The caller the session belongs to.
        session_of: String,
        /// The caller the call named, to whom the session was handed out.
        handed_to: String,
    },
}

/// `": body"`, or nothing for an empty body.
fn colon_then(body: &str) -> String {
    if body.is_empty() {
        String::new()
    } else {
        format!(": {body}")
    }
}

/// `" at `path`"`, or nothing for the body as a whole.
fn at_path(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" at `{path}`")
    }
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
