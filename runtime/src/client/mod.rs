//! The generic HTTP client behind every generated client (feature `client`): reqwest with rustls.
//!
//! Two types split the work:
//!
//! - a [`Client`] is the transport: the gateway's base URL, the connection pool, timeouts and
//!   TLS settings. It holds no session, is cheap to clone, and one `Client` serves any number of
//!   agents at once;
//! - a [`Session`] is one agent's session over a `Client`: it owns its session id (shared only by
//!   clones of that `Session`), sends it on every call and adopts the renewals its own calls hand
//!   out. [`Session::sign_in`] starts one; [`Session::anonymous`] calls without one.
//!
//! Generated per-service clients wrap a [`Session`] and call [`Session::call`] once per
//! interface, which:
//!
//! 1. validates the path parameters and the body (an invalid request is never sent:
//!    [`ClientError::Invalid`]);
//! 2. sends the interface's method to `base URL + path`, with
//!    `Content-Type: application/json; charset=UTF-8` and the session's id in the header the
//!    interface's [`Protocol`](crate::Protocol) names;
//! 3. adopts a session the answer hands out in the protocol's renewal header (sign-in, a
//!    gateway's dynamic authentication) into that session only, read the way the spec declares
//!    its value;
//! 4. decodes the answer with [`decode_answer`]: the result code first, then the result with
//!    the success type, or the failure with its code, message and typed detail.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//!
//! let pem = std::fs::read("lab-ca.pem")?;
//! let client = gatespec::client::Client::builder("https://10.1.2.3:8043")
//!     .timeout(Duration::from_secs(10))
//!     .ca_certificate_pem(pem)
//!     .build()?;
//! assert_eq!(client.base_url(), "https://10.1.2.3:8043");
//! // One session per agent, all through the same client.
//! let seeded = gatespec::client::Session::resume(&client, "279fe21d-2caa-4437-84c3-ab9e9dae20f5");
//! assert!(seeded.is_signed_in());
//! # Ok(()) }
//! ```

mod answer;
mod error;
mod events;
mod heartbeat;
mod session;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};

use crate::interface::{Interface, Method, has_body, path_of};
use crate::protocol::RenewalHeader;
use crate::validate::{Validate, ValidationContext};
use crate::violation::Violations;

pub use answer::{check_failure_answers, decode_answer};
pub use error::{BuildError, ClientError};
pub use events::{EventStream, EventStreamError, EventStreamOptions, LostReason, WaitError};
pub use futures_util::stream::{Stream, StreamExt};
pub use heartbeat::Heartbeat;
pub use reqwest;
pub use session::Session;
#[cfg(feature = "callback")]
pub(crate) use session::WeakSession;

/// The `Content-Type` every request carries.
pub const CONTENT_TYPE_JSON: &str = "application/json; charset=UTF-8";

/// The transport to one gateway: base URL, connection pool, timeouts and TLS settings. Holds no
/// session (see [`Session`]); clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: Arc<str>,
    max_answer_bytes: usize,
}

/// The default of [`ClientBuilder::max_answer_bytes`]: 16 MiB, far above any documented answer
/// (a full queryconfinfos answer of 20 conferences of 120 participants is about 400 KB).
pub const DEFAULT_MAX_ANSWER_BYTES: usize = 16 << 20;

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder for a client of the gateway at `base_url` (`https://ip:port`; `http://` for a
    /// simulator).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url.into())
    }

    /// A client that sends through the caller's own `http` client (its pool, TLS, proxies and
    /// timeouts) to the gateway at `base_url`.
    ///
    /// # Errors
    /// [`BuildError::Url`]: the base URL is not an `http`/`https` URL.
    pub fn from_reqwest(
        http: reqwest::Client,
        base_url: impl Into<String>,
    ) -> Result<Self, BuildError> {
        let base_url = base_url.into();
        check_base_url(&base_url)?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').into(),
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
        })
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Calls interface `I` without a session (public interfaces; a session-less gateway).
    /// A session the answer hands out is not kept: sign in with [`Session::sign_in`].
    ///
    /// # Errors
    /// [`ClientError`]: the request is invalid (nothing was sent), the transport failed, the
    /// gateway answered a non-success HTTP status or a body that is not the envelope, or the
    /// envelope carries a failure code.
    pub async fn call<I: Interface>(
        &self,
        path: &I::Path,
        body: &I::Request,
    ) -> Result<I::Result, ClientError<I::ErrorCode, I::Failure>> {
        let answer = self.send::<I>(None, path, body, None).await?;
        decode_answer::<I>(answer.status, answer.body.as_ref())
    }

    /// Validates and sends one call of `I` with `session` in the protocol's session header and
    /// an optional per-request timeout; returns the answer, not yet decoded. Only the
    /// interface's own part is generic (validating, writing the path and body); the exchange
    /// over HTTP is one function for every interface.
    async fn send<I: Interface>(
        &self,
        session: Option<&str>,
        path: &I::Path,
        body: &I::Request,
        timeout: Option<Duration>,
    ) -> Result<RawAnswer, ClientError<I::ErrorCode, I::Failure>> {
        check_request(path, body)?;
        let body = if has_body::<I>() {
            Some(serde_json::to_vec(body).map_err(ClientError::Encode)?)
        } else {
            None
        };
        let outgoing = Outgoing {
            method: http_method(I::METHOD),
            url: format!("{}{}", self.base_url, path_of(path)),
            session: I::PROTOCOL.session_header.zip(session),
            renewal: I::PROTOCOL.renewal_header,
            timeout,
            body,
        };
        Ok(self.exchange(outgoing).await?)
    }

    /// Sends one request and reads its answer.
    async fn exchange(&self, outgoing: Outgoing<'_>) -> Result<RawAnswer, ExchangeError> {
        let mut request = self
            .http
            .request(outgoing.method, outgoing.url)
            .header(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
        if let Some((header, session)) = outgoing.session {
            let value = HeaderValue::from_str(session).map_err(|_| {
                ExchangeError::Invalid(one_violation(
                    header,
                    "the session id is not a valid header value",
                ))
            })?;
            request = request.header(header, value);
        }
        if let Some(timeout) = outgoing.timeout {
            request = request.timeout(timeout);
        }
        if let Some(body) = outgoing.body {
            request = request.body(body);
        }
        let response = request.send().await.map_err(ExchangeError::Transport)?;
        let status = response.status().as_u16();
        let handed_out = outgoing
            .renewal
            .and_then(|renewal| handed_out_session(renewal, response.headers()));
        let body = read_capped(response, self.max_answer_bytes).await?;
        Ok(RawAnswer {
            status,
            handed_out,
            body,
        })
    }
}

/// One request as data: what the exchange needs to know of its interface.
struct Outgoing<'a> {
    method: reqwest::Method,
    url: String,
    /// The session header's name and the session id.
    session: Option<(&'static str, &'a str)>,
    /// How the answer may hand out a new session.
    renewal: Option<RenewalHeader>,
    timeout: Option<Duration>,
    body: Option<Vec<u8>>,
}

/// What can go wrong in an exchange, before the answer is decoded; every interface's
/// [`ClientError`] takes it in.
enum ExchangeError {
    Invalid(Violations),
    Transport(reqwest::Error),
    TooLarge { status: u16, limit: usize },
}

impl<E, D> From<ExchangeError> for ClientError<E, D> {
    fn from(error: ExchangeError) -> Self {
        match error {
            ExchangeError::Invalid(violations) => ClientError::Invalid(violations),
            ExchangeError::Transport(e) => ClientError::Transport(e),
            ExchangeError::TooLarge { status, limit } => ClientError::TooLarge { status, limit },
        }
    }
}

/// The body of `response`, refused once it exceeds `limit` bytes (by its declared length at
/// once, or while it streams in), so that a broken gateway's endless body cannot exhaust memory.
async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<bytes::Bytes, ExchangeError> {
    let status = response.status().as_u16();
    let too_large = || ExchangeError::TooLarge { status, limit };
    match response.content_length() {
        Some(length) if length > limit as u64 => return Err(too_large()),
        // A declared length within the limit: reqwest reads exactly that much.
        Some(_) => return response.bytes().await.map_err(ExchangeError::Transport),
        None => {}
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ExchangeError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.into())
}

/// An answer as it came: HTTP status, the session its renewal header hands out, the body.
struct RawAnswer {
    status: u16,
    handed_out: Option<String>,
    body: bytes::Bytes,
}

/// The session a response's renewal header hands out, when it is written the way the protocol
/// declares.
fn handed_out_session(renewal: RenewalHeader, headers: &HeaderMap) -> Option<String> {
    headers
        .get(renewal.name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| renewal.session_in(v))
        .map(str::to_owned)
}

fn check_base_url(base_url: &str) -> Result<(), BuildError> {
    let url =
        reqwest::Url::parse(base_url).map_err(|e| BuildError::Url(format!("{base_url}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(BuildError::Url(format!(
            "{base_url}: expected http://host:port or https://host:port"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(BuildError::Url(format!(
            "{base_url}: a base URL has no query or fragment"
        )));
    }
    Ok(())
}

fn check_request<P: Validate, B: Validate, E, D>(
    path: &P,
    body: &B,
) -> Result<(), ClientError<E, D>> {
    let mut violations = Violations::default();
    let mut ctx = ValidationContext::new(&mut violations);
    path.validate_into(&mut ctx);
    body.validate_into(&mut ctx);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ClientError::Invalid(violations))
    }
}

pub(super) fn one_violation(path: &str, message: &'static str) -> Violations {
    let mut violations = Violations::default();
    violations.push(crate::Violation::new(
        path,
        crate::Constraint::Custom {
            message: message.into(),
        },
        "",
    ));
    violations
}

fn http_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    }
}

/// Settings of a [`Client`]: timeouts and TLS trust.
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    ca_pems: Vec<Vec<u8>>,
    accept_invalid_certificates: bool,
    accept_invalid_hostnames: bool,
    max_answer_bytes: usize,
}

impl ClientBuilder {
    fn new(base_url: String) -> Self {
        Self {
            base_url,
            timeout: Some(Duration::from_secs(30)),
            connect_timeout: Duration::from_secs(10),
            ca_pems: Vec::new(),
            accept_invalid_certificates: false,
            accept_invalid_hostnames: false,
            max_answer_bytes: DEFAULT_MAX_ANSWER_BYTES,
        }
    }

    /// The largest answer body read (default [`DEFAULT_MAX_ANSWER_BYTES`]); a longer one is
    /// [`ClientError::TooLarge`] and is not read further.
    pub fn max_answer_bytes(mut self, limit: usize) -> Self {
        self.max_answer_bytes = limit;
        self
    }

    /// The time a whole call may take, from connecting to reading the body (default 30 s;
    /// `None`: no limit).
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.timeout = timeout.into();
        self
    }

    /// The time connecting (TCP and TLS) may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Trusts the CA certificate(s) in `pem` (one certificate or a bundle) **instead of** the
    /// system's roots: a contact-center lab's gateway presents a certificate issued by the lab's
    /// own CA. May be called more than once.
    pub fn ca_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_pems.push(pem.into());
        self
    }

    /// **Dangerous**: accepts any server certificate, expired, self-signed or issued for
    /// another host, so anyone on the path can read and change the traffic, session id
    /// included. Only for a throw-away lab; prefer [`ca_certificate_pem`](Self::ca_certificate_pem).
    pub fn danger_accept_invalid_certificates(mut self) -> Self {
        self.accept_invalid_certificates = true;
        self
    }

    /// **Dangerous**: accepts a certificate issued by a trusted CA for another host name (a lab
    /// gateway reached by IP address whose certificate names a host).
    pub fn danger_accept_invalid_hostnames(mut self) -> Self {
        self.accept_invalid_hostnames = true;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`BuildError`]: the base URL is not an `http`/`https` URL, a certificate does not
    /// parse, or the TLS stack refused the settings.
    pub fn build(self) -> Result<Client, BuildError> {
        check_base_url(&self.base_url)?;
        let mut http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("gatespec/", env!("CARGO_PKG_VERSION")));
        if let Some(timeout) = self.timeout {
            http = http.timeout(timeout);
        }
        if !self.ca_pems.is_empty() {
            let mut roots = Vec::new();
            for pem in &self.ca_pems {
                roots.extend(
                    reqwest::Certificate::from_pem_bundle(pem).map_err(BuildError::Certificate)?,
                );
            }
            if roots.is_empty() {
                return Err(BuildError::NoCertificate);
            }
            http = http.tls_certs_only(roots);
        }
        if self.accept_invalid_certificates {
            http = http.tls_danger_accept_invalid_certs(true);
        }
        if self.accept_invalid_hostnames {
            http = http.tls_danger_accept_invalid_hostnames(true);
        }
        let http = http.build().map_err(BuildError::Http)?;
        Ok(Client {
            http,
            base_url: self.base_url.trim_end_matches('/').into(),
            max_answer_bytes: self.max_answer_bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_checks_the_base_url() {
        assert!(matches!(
            Client::builder("127.0.0.1:8043").build(),
            Err(BuildError::Url(_))
        ));
        assert!(matches!(
            Client::builder("ftp://127.0.0.1").build(),
            Err(BuildError::Url(_))
        ));
        let client = Client::builder("https://127.0.0.1:8043/").build();
        assert_eq!(
            client.map(|c| c.base_url().to_owned()).ok().as_deref(),
            Some("https://127.0.0.1:8043")
        );
    }

    #[test]
    fn builder_rejects_bad_certificates() {
        assert!(
            Client::builder("https://127.0.0.1:8043")
                .ca_certificate_pem(b"not a pem".to_vec())
                .build()
                .is_err()
        );
    }

    #[test]
    fn from_reqwest_checks_the_base_url() {
        let http = reqwest::Client::new();
        assert!(matches!(
            Client::from_reqwest(http.clone(), "10.0.0.1"),
            Err(BuildError::Url(_))
        ));
        let client = Client::from_reqwest(http, "http://127.0.0.1:1/");
        assert_eq!(
            client.map(|c| c.base_url().to_owned()).ok().as_deref(),
            Some("http://127.0.0.1:1")
        );
    }
}
