//! The endpoint a gateway pushes events to (push mode), for any gateway (feature `callback`,
//! which turns on `client` and `server`).
//!
//! An agent signed in for push mode hands the gateway a callback URI (and a service token);
//! the gateway then POSTs each event there, with the agent's session id in the protocol's
//! session header. [`CallbackEndpoint::router`] builds the axum router of that endpoint: it
//! accepts a callback only with the current id of a session registered in its
//! [`CallbackSessions`] (renewals included) and the expected token, decodes the body as the
//! event type, and hands `(session, event)` to the application over a channel. Refusals are the
//! protocol's envelope with its refusal codes: no session header `not_signed_in`, an unknown
//! session or a wrong token `no_permission`, a body that does not decode `invalid_parameter`
//! (with the JSON path), an application that stopped receiving `internal_error`.
//!
//! Generated bindings whose spec declares a push callback wrap this in `events::callback_router`,
//! fixed to the gateway's protocol, event enum, method and service-token header.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodFilter;
use serde::de::DeserializeOwned;

pub use tokio::sync::mpsc;

use crate::client::{Session, WeakSession};
use crate::interface::Method;
use crate::protocol::Protocol;

/// The sessions whose events an endpoint accepts: register each session signed in for push
/// mode. Holds no session alive: a session whose every clone is dropped is forgotten. Clones
/// share the registry.
#[derive(Clone, Default)]
pub struct CallbackSessions {
    sessions: Arc<RwLock<Vec<WeakSession>>>,
}

impl fmt::Debug for CallbackSessions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self
            .sessions
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        f.debug_struct("CallbackSessions")
            .field("sessions", &count)
            .finish()
    }
}

impl CallbackSessions {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Accepts callbacks carrying `session`'s id (its current one, after renewals too).
    pub fn register(&self, session: &Session) {
        let mut sessions = self
            .sessions
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        sessions.retain(|s| s.upgrade().is_some() && !session.same_as(s));
        sessions.push(session.downgrade());
    }

    /// Stops accepting callbacks for `session`.
    pub fn unregister(&self, session: &Session) {
        self.sessions
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|s| !session.same_as(s));
    }

    /// The live registered session whose current id is `id`.
    fn find(&self, id: &str) -> Option<Session> {
        let sessions = self.sessions.read().unwrap_or_else(PoisonError::into_inner);
        sessions
            .iter()
            .filter_map(WeakSession::upgrade)
            .find(|s| s.session_id().as_deref() == Some(id))
    }
}

/// One pushed event and the session it was pushed for.
#[derive(Debug)]
pub struct Delivery<Ev> {
    /// The registered session whose id the callback carried.
    pub session: Session,
    /// The event.
    pub event: Ev,
}

/// A push endpoint's checks: the gateway's protocol (session header, envelope, refusal codes),
/// the registered sessions and an optional service token.
#[derive(Debug, Clone)]
#[must_use]
pub struct CallbackEndpoint {
    protocol: &'static Protocol,
    sessions: CallbackSessions,
    token: Option<(&'static str, String)>,
    method: Method,
}

impl CallbackEndpoint {
    /// An endpoint for the gateway of `protocol` that accepts callbacks of `sessions`.
    pub fn new(protocol: &'static Protocol, sessions: CallbackSessions) -> Self {
        Self {
            protocol,
            sessions,
            token: None,
            method: Method::Post,
        }
    }

    /// Serves `method` instead of POST.
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Also requires request header `header` to hold `token` (the service token given at
    /// sign-in).
    pub fn service_token(mut self, header: &'static str, token: impl Into<String>) -> Self {
        self.token = Some((header, token.into()));
        self
    }

    /// The axum router serving the endpoint at `path` (POST unless [`Self::method`] says
    /// otherwise): each accepted event goes to `deliveries`; the gateway's call waits while the
    /// channel is full.
    pub fn router<Ev>(self, path: &str, deliveries: mpsc::Sender<Delivery<Ev>>) -> axum::Router
    where
        Ev: DeserializeOwned + Send + 'static,
    {
        let filter = match self.method {
            Method::Get => MethodFilter::GET,
            Method::Post => MethodFilter::POST,
            Method::Put => MethodFilter::PUT,
            Method::Delete => MethodFilter::DELETE,
        };
        let endpoint = Arc::new(self);
        axum::Router::new().route(
            path,
            axum::routing::on(filter, move |headers: HeaderMap, body: Bytes| {
                let endpoint = endpoint.clone();
                let deliveries = deliveries.clone();
                async move { endpoint.accept(&headers, &body, &deliveries).await }
            }),
        )
    }

    async fn accept<Ev: DeserializeOwned>(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        deliveries: &mpsc::Sender<Delivery<Ev>>,
    ) -> Response {
        let refusals = &self.protocol.refusals;
        let header_value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let Some(session_header) = self.protocol.session_header else {
            return self.refuse(refusals.not_signed_in, "the gateway has no session header");
        };
        let Some(id) = header_value(session_header) else {
            return self.refuse(
                refusals.not_signed_in,
                &format!("no `{session_header}` header"),
            );
        };
        let Some(session) = self.sessions.find(id) else {
            return self.refuse(
                refusals.no_permission,
                &format!("`{session_header}` names no registered session"),
            );
        };
        if let Some((name, token)) = &self.token
            && header_value(name) != Some(token.as_str())
        {
            return self.refuse(
                refusals.no_permission,
                &format!("`{name}` is missing or wrong"),
            );
        }
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let event: Ev = match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(event) => event,
            Err(e) => {
                let path = e.path().to_string();
                let reason = format!("the event does not decode at `{path}`: {}", e.inner());
                return self.refuse(refusals.invalid_parameter, &reason);
            }
        };
        if deliveries.send(Delivery { session, event }).await.is_err() {
            return self.refuse(refusals.internal_error, "the application stopped receiving");
        }
        let envelope = &self.protocol.envelope;
        respond(envelope.write(envelope.success, "", None))
    }

    fn refuse(&self, code: &str, reason: &str) -> Response {
        let message = self.protocol.refusal_message(code, reason);
        respond(self.protocol.envelope.write(code, &message, None))
    }
}

fn respond(body: Result<Vec<u8>, serde_json::Error>) -> Response {
    match body {
        Ok(body) => (
            [(header::CONTENT_TYPE, crate::client::CONTENT_TYPE_JSON)],
            body,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
