//! The generic HTTP client behind every generated client (feature `client`): reqwest with rustls.
//!
//! A [`Client`] holds the gateway's base URL, timeouts, TLS settings and the session id; it is
//! cheap to clone and every clone shares the session. Generated per-service clients wrap it and
//! call [`Client::call`] once per interface, which:
//!
//! 1. validates the path parameters and the body (an invalid request is never sent:
//!    [`ClientError::Invalid`]);
//! 2. sends the interface's method to `base URL + path`, with
//!    `Content-Type: application/json; charset=UTF-8` and the session in the header the
//!    interface's [`Protocol`](crate::Protocol) names;
//! 3. adopts a renewed session from the protocol's renewal header (a gateway's dynamic
//!    authentication), read the way the spec declares its value;
//! 4. decodes the answer with [`decode_answer`]: the result code first, then the result with
//!    the success type, or the failure with its code, message and typed detail.
//!
//! A [`Session`] runs the session's life cycle over any gateway's interfaces: it calls the
//! sign-in interface it is given without a session, takes the new session from the answer's
//! renewal header, sends it on every later call (adopting renewals), and forgets it once the
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
//!     .session_id("279fe21d-2caa-4437-84c3-ab9e9dae20f5")
//!     .build()?;
//! assert_eq!(client.base_url(), "https://10.1.2.3:8043");
//! # Ok(()) }
//! ```

mod answer;
mod error;
mod session;

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderValue};

use crate::interface::{Interface, Method, has_body, path_of};
use crate::validate::{Validate, ValidationContext};
use crate::violation::Violations;

pub use answer::{check_failure_answers, decode_answer};
pub use error::{BuildError, ClientError};
pub use reqwest;
pub use session::Session;

/// The `Content-Type` every request carries.
pub const CONTENT_TYPE_JSON: &str = "application/json; charset=UTF-8";

/// A connection to one gateway: base URL, HTTP settings and the session. Clones share the
/// session.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: Arc<str>,
    session: Arc<RwLock<Option<String>>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("signed_in", &self.session_id().is_some())
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

    /// The session id sent with every call (in the protocol's session header), if any.
    pub fn session_id(&self) -> Option<String> {
        self.session
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces the session id (for example after signing in); `None` stops sending one.
    pub fn set_session_id(&self, session: Option<String>) {
        *self.session.write().unwrap_or_else(PoisonError::into_inner) = session;
    }

    /// Calls interface `I`: validates, sends, and decodes the answer (see the module docs).
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
        check_request(path, body)?;
        let url = format!("{}{}", self.base_url, path_of(path));
        let mut request = self
            .http
            .request(http_method(I::METHOD), url)
            .header(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_JSON));
        if let (Some(header), Some(session)) = (I::PROTOCOL.session_header, self.session_id()) {
            let value = HeaderValue::from_str(&session).map_err(|_| {
                ClientError::Invalid(one_violation(
                    header,
                    "the session id is not a valid header value",
                ))
            })?;
            request = request.header(header, value);
        }
        if has_body::<I>() {
            let bytes = serde_json::to_vec(body).map_err(ClientError::Encode)?;
            request = request.body(bytes);
        }
        let response = request.send().await.map_err(ClientError::Transport)?;
        self.adopt_renewed_session::<I>(response.headers());
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(ClientError::Transport)?;
        decode_answer::<I>(status, &bytes)
    }

    /// Adopts the session a response's renewal header hands out, when it is written the way the
    /// protocol declares.
    fn adopt_renewed_session<I: Interface>(&self, headers: &reqwest::header::HeaderMap) {
        let Some(renewal) = I::PROTOCOL.renewal_header else {
            return;
        };
        let session = headers
            .get(renewal.name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| renewal.session_in(v));
        if let Some(session) = session {
            self.set_session_id(Some(session.to_owned()));
        }
    }
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
    session: Option<String>,
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
            session: None,
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

    /// The session id to send from the first call on (handed out by an earlier sign-in).
    pub fn session_id(mut self, session: impl Into<String>) -> Self {
        self.session = Some(session.into());
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`BuildError`]: the base URL is not an `http`/`https` URL, a certificate does not
    /// parse, or the TLS stack refused the settings.
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
            session: Arc::new(RwLock::new(self.session)),
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
    fn clones_share_the_session() {
        let client = Client::builder("http://127.0.0.1:1")
            .session_id("old")
            .build();
        let Ok(client) = client else { panic!("client") };
        let clone = client.clone();
        clone.set_session_id(Some("new".to_owned()));
        assert_eq!(client.session_id().as_deref(), Some("new"));
        clone.set_session_id(None);
        assert_eq!(client.session_id(), None);
    }
}
