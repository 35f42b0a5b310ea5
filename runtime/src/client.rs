//! The generic HTTP client behind every generated client (feature `client`): reqwest with rustls.
//!
//! A [`Client`] holds the gateway's base URL, timeouts, TLS settings and the session `Guid`; it
//! is cheap to clone and every clone shares the session. Generated per-service clients wrap it
//! and call [`Client::call`] once per interface, which:
//!
//! 1. validates the path parameters and the body (an invalid request is never sent:
//!    [`ClientError::Invalid`]);
//! 2. sends the interface's method to `base URL + path`, with
//!    `Content-Type: application/json; charset=UTF-8` and the session header;
//! 3. adopts a renewed session from a `Set-GUID` response header (the gateway's dynamic
//!    authentication);
//! 4. returns the envelope's `result` on the success code, and otherwise a [`ClientError`]
//!    that tells transport failures, HTTP statuses, undecodable bodies and gateway failures
//!    apart.
//!
//! A [`Session`] runs the session's life cycle over any gateway's interfaces: it calls the
//! sign-in interface it is given without a `Guid`, takes the new `Guid` from the answer's
//! `Set-GUID`, sends it on every later call (adopting renewals), and forgets it once the
//! sign-out interface it is given succeeds.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//!
//! let pem = std::fs::read("lab-ca.pem")?;
//! let client = gatespec::client::Client::builder("https://10.1.2.3:8043")
//!     .timeout(Duration::from_secs(10))
//!     .ca_certificate_pem(pem)
//!     .guid("279fe21d-2caa-4437-84c3-ab9e9dae20f5.AgentGateway0")
//!     .build()?;
//! assert_eq!(client.base_url(), "https://10.1.2.3:8043");
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderValue};

use crate::envelope::{GatewayError, ResponseEnvelope};
use crate::interface::{Interface, Method, has_body, path_of};
use crate::validate::{Validate, ValidationContext};
use crate::violation::Violations;

pub use reqwest;

/// The `Content-Type` every request carries.
pub const CONTENT_TYPE_JSON: &str = "application/json; charset=UTF-8";

/// The characters of a response body kept in [`ClientError::Status`] and
/// [`ClientError::Decode`].
const MAX_KEPT_BODY: usize = 4096;

/// A connection to one gateway: base URL, HTTP settings and the session. Clones share the
/// session.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: Arc<str>,
    session_header: reqwest::header::HeaderName,
    renewal_header: reqwest::header::HeaderName,
    guid: Arc<RwLock<Option<String>>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("session_header", &self.session_header)
            .field("signed_in", &self.guid().is_some())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder for a client of the gateway at `base_url` (`https://ip:port`; `http://` for a
    /// simulator).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(base_url.into())
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The session `Guid` sent with every call, if any.
    pub fn guid(&self) -> Option<String> {
        self.guid
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces the session `Guid` (for example after signing in); `None` stops sending one.
    pub fn set_guid(&self, guid: Option<String>) {
        *self.guid.write().unwrap_or_else(PoisonError::into_inner) = guid;
    }

    /// Calls interface `I`: validates, sends, and decodes the envelope (see the module docs).
    ///
    /// # Errors
    /// [`ClientError`]: the request is invalid (nothing was sent), the transport failed, the
    /// gateway answered a non-success HTTP status or a body that is not the envelope, or the
    /// envelope carries a failure code.
    pub async fn call<I: Interface>(
        &self,
        path: &I::Path,
        body: &I::Request,
    ) -> Result<I::Result, ClientError<I::ErrorCode>> {
        check_request(path, body)?;
        let url = format!("{}{}", self.base_url, path_of(path));
        let mut request = self
            .http
            .request(http_method(I::METHOD), url)
            .header(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
        if let Some(guid) = self.guid() {
            let value = HeaderValue::from_str(&guid).map_err(|_| {
                ClientError::Invalid(one_violation(
                    "Guid",
                    "the session Guid is not a valid header value",
                ))
            })?;
            request = request.header(&self.session_header, value);
        }
        if has_body::<I>() {
            let bytes = serde_json::to_vec(body).map_err(ClientError::Encode)?;
            request = request.body(bytes);
        }
        let response = request.send().await.map_err(ClientError::Transport)?;
        self.adopt_renewed_session(response.headers());
        let status = response.status().as_u16();
        let ok = response.status().is_success();
        let bytes = response.bytes().await.map_err(ClientError::Transport)?;
        if !ok {
            return Err(ClientError::Status {
                status,
                body: kept_text(&bytes),
            });
        }
        let envelope: I::Envelope =
            serde_json::from_slice(&bytes).map_err(|source| ClientError::Decode {
                status,
                body: kept_text(&bytes),
                source,
            })?;
        let parts = envelope.into_parts();
        if !parts.success {
            return Err(ClientError::Gateway(GatewayError::from_wire(
                parts.retcode,
                parts.message,
            )));
        }
        match parts.result {
            Some(result) => Ok(result),
            // No result, or `null`: fine when the result type accepts `null` (`()`, options).
            None => serde_json::from_value(serde_json::Value::Null).map_err(|source| {
                ClientError::Decode {
                    status,
                    body: kept_text(&bytes),
                    source,
                }
            }),
        }
    }

    /// Adopts `Set-GUID: JSESSIONID=<guid>` (or a bare `<guid>`).
    fn adopt_renewed_session(&self, headers: &reqwest::header::HeaderMap) {
        let Some(value) = headers
            .get(&self.renewal_header)
            .and_then(|v| v.to_str().ok())
        else {
            return;
        };
        let guid = value
            .split(';')
            .next()
            .map(|v| v.split_once('=').map_or(v, |(_, guid)| guid).trim())
            .unwrap_or_default();
        if !guid.is_empty() {
            self.set_guid(Some(guid.to_owned()));
        }
    }
}

/// A signed-in session over a [`Client`], for any gateway: [`Session::sign_in`] calls the
/// sign-in interface it is given (a generated descriptor such as `Login`) without a `Guid` and
/// keeps the `Guid` its answer hands out in the renewal header (`Set-GUID: JSESSIONID=<guid>`);
/// every call through [`client`](Self::client) (and the generated clients built on it) sends it
/// and adopts renewals; [`Session::sign_out`] calls the sign-out interface it is given and then
/// forgets the `Guid`. Clones share the session.
///
/// ```no_run
/// use gatespec::Interface;
/// use gatespec::client::{Client, Session};
///
/// // `In` and `Out` are a gateway's sign-in and sign-out descriptors (the AgentGateway's
/// // generated `onlineagent::Login` and `onlineagent::Logout`).
/// async fn shift<In: Interface, Out: Interface<Request = ()>>(
///     client: &Client,
///     sign_in: &In::Path,
///     credentials: &In::Request,
///     sign_out: &Out::Path,
/// ) {
///     let Ok((session, _signed_in)) = Session::sign_in::<In>(client, sign_in, credentials).await
///     else {
///         return;
///     };
///     // Generated clients built from `session.client().clone()` send the Guid.
///     assert!(session.is_signed_in());
///     if session.sign_out::<Out>(sign_out, &()).await.is_ok() {
///         assert_eq!(session.guid(), None);
///     }
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Session {
    client: Client,
}

impl Session {
    /// Signs in with interface `I`: forgets any `Guid` the client holds (sign-in is called
    /// without one), calls `I`, and keeps the `Guid` the answer hands out. Returns the session
    /// and the sign-in's result.
    ///
    /// # Errors
    /// The call's [`ClientError`], or [`ClientError::NoSession`] when a successful answer
    /// handed out no `Guid`.
    pub async fn sign_in<I: Interface>(
        client: &Client,
        path: &I::Path,
        body: &I::Request,
    ) -> Result<(Self, I::Result), ClientError<I::ErrorCode>> {
        client.set_guid(None);
        let result = client.call::<I>(path, body).await?;
        if client.guid().is_none() {
            return Err(ClientError::NoSession);
        }
        Ok((
            Self {
                client: client.clone(),
            },
            result,
        ))
    }

    /// A session over a `Guid` obtained elsewhere (seeded, or signed in by another program).
    pub fn resume(client: &Client, guid: impl Into<String>) -> Self {
        client.set_guid(Some(guid.into()));
        Self {
            client: client.clone(),
        }
    }

    /// The client that carries the session; build generated clients from (clones of) it.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The current `Guid` (renewals adopted), or `None` once signed out.
    pub fn guid(&self) -> Option<String> {
        self.client.guid()
    }

    /// Whether the session still holds a `Guid`.
    pub fn is_signed_in(&self) -> bool {
        self.guid().is_some()
    }

    /// Calls interface `I` within the session (the same as [`Client::call`] on
    /// [`client`](Self::client)).
    ///
    /// # Errors
    /// As [`Client::call`].
    pub async fn call<I: Interface>(
        &self,
        path: &I::Path,
        body: &I::Request,
    ) -> Result<I::Result, ClientError<I::ErrorCode>> {
        self.client.call::<I>(path, body).await
    }

    /// Signs out with interface `I`, then forgets the `Guid`; later calls send none. On a
    /// failure the `Guid` is kept, so the sign-out can be tried again.
    ///
    /// # Errors
    /// The call's [`ClientError`].
    pub async fn sign_out<I: Interface>(
        &self,
        path: &I::Path,
        body: &I::Request,
    ) -> Result<I::Result, ClientError<I::ErrorCode>> {
        let result = self.client.call::<I>(path, body).await?;
        self.client.set_guid(None);
        Ok(result)
    }
}

fn check_request<P: Validate, B: Validate, E>(path: &P, body: &B) -> Result<(), ClientError<E>> {
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

fn one_violation(path: &str, message: &'static str) -> Violations {
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

fn kept_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    match text.char_indices().nth(MAX_KEPT_BODY) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

/// Settings of a [`Client`]: timeouts, TLS trust and the session.
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    ca_pems: Vec<Vec<u8>>,
    accept_invalid_certificates: bool,
    accept_invalid_hostnames: bool,
    guid: Option<String>,
    session_header: String,
    renewal_header: String,
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
            guid: None,
            session_header: "Guid".to_owned(),
            renewal_header: "Set-GUID".to_owned(),
        }
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
    /// another host, so anyone on the path can read and change the traffic, session `Guid`
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

    /// The session `Guid` to send from the first call on (from sign-in's `Set-GUID`).
    pub fn guid(mut self, guid: impl Into<String>) -> Self {
        self.guid = Some(guid.into());
        self
    }

    /// The request header that carries the session (default `Guid`).
    pub fn session_header(mut self, name: impl Into<String>) -> Self {
        self.session_header = name.into();
        self
    }

    /// The response header that carries a renewed session (default `Set-GUID`).
    pub fn renewal_header(mut self, name: impl Into<String>) -> Self {
        self.renewal_header = name.into();
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`BuildError`]: the base URL is not an `http`/`https` URL, a certificate does not
    /// parse, a header name is invalid, or the TLS stack refused the settings.
    pub fn build(self) -> Result<Client, BuildError> {
        let url = reqwest::Url::parse(&self.base_url)
            .map_err(|e| BuildError::Url(format!("{}: {e}", self.base_url)))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(BuildError::Url(format!(
                "{}: expected http://host:port or https://host:port",
                self.base_url
            )));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(BuildError::Url(format!(
                "{}: a base URL has no query or fragment",
                self.base_url
            )));
        }
        let header = |name: &str| {
            reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| BuildError::Header(name.to_owned()))
        };
        let session_header = header(&self.session_header)?;
        let renewal_header = header(&self.renewal_header)?;
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
            session_header,
            renewal_header,
            guid: Arc::new(RwLock::new(self.guid)),
        })
    }
}

/// Why a [`Client`] could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not usable.
    Url(String),
    /// A CA certificate does not parse.
    Certificate(reqwest::Error),
    /// The PEM data holds no certificate.
    NoCertificate,
    /// A header name is not valid.
    Header(String),
    /// The HTTP/TLS stack refused the settings.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Url(msg) => write!(f, "invalid gateway base URL {msg}"),
            BuildError::Certificate(e) => write!(f, "invalid CA certificate: {e}"),
            BuildError::NoCertificate => f.write_str("the CA PEM data holds no certificate"),
            BuildError::Header(name) => write!(f, "invalid header name {name:?}"),
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
/// catalogue.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError<E> {
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
    /// The response body is not the interface's envelope.
    Decode {
        /// The HTTP status code.
        status: u16,
        /// The start of the response body, as text.
        body: String,
        /// What did not decode.
        source: serde_json::Error,
    },
    /// The gateway answered a failure code in the envelope.
    Gateway(GatewayError<E>),
    /// A sign-in succeeded but its answer handed out no session (no renewal header such as
    /// `Set-GUID: JSESSIONID=<guid>`).
    NoSession,
}

impl<E> ClientError<E> {
    /// The gateway failure, if the call got that far.
    pub fn gateway(&self) -> Option<&GatewayError<E>> {
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

impl<E: crate::CodeEnum> fmt::Display for ClientError<E> {
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
                source,
            } => write!(
                f,
                "undecodable response (HTTP {status}): {source}; body: {body}"
            ),
            ClientError::Gateway(e) => fmt::Display::fmt(e, f),
            ClientError::NoSession => {
                f.write_str("the sign-in answer handed out no session (no Set-GUID header)")
            }
        }
    }
}

impl<E: crate::CodeEnum + fmt::Debug> std::error::Error for ClientError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Invalid(v) => Some(v),
            ClientError::Encode(e) | ClientError::Decode { source: e, .. } => Some(e),
            ClientError::Transport(e) => Some(e),
            ClientError::Status { .. } | ClientError::Gateway(_) | ClientError::NoSession => None,
        }
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
    fn renewed_sessions_are_adopted() {
        let client = Client::builder("http://127.0.0.1:1").guid("old").build();
        let Ok(client) = client else { panic!("client") };
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "set-guid",
            HeaderValue::from_static("JSESSIONID=279fe21d.AgentGateway0"),
        );
        client.adopt_renewed_session(&headers);
        assert_eq!(client.guid().as_deref(), Some("279fe21d.AgentGateway0"));
        let clone = client.clone();
        clone.set_guid(None);
        assert_eq!(client.guid(), None);
    }

    #[test]
    fn long_bodies_are_cut() {
        let body = "é".repeat(MAX_KEPT_BODY + 10);
        assert_eq!(
            kept_text(body.as_bytes()).chars().count(),
            MAX_KEPT_BODY + 1
        );
    }
}
