//! The generic HTTP server behind every generated server trait (feature `server`): axum 0.8.
//!
//! Generated code declares one trait per service (one async method per interface) with
//! [`SessionStore`] as supertrait, and a `router(server)` function that registers each
//! interface on [`Routes`]. Everything else happens here, the same way for every interface:
//!
//! | step | refusal (always the envelope) |
//! |---|---|
//! | the path's method is the interface's | HTTP 405 with `Allow`, `000-002` |
//! | the path parameters parse and validate | `000-002` |
//! | an interface that needs sign-in (or a role) has a session header | `100-006` (the agent has not signed in) |
//! | the store knows the session | `000-003` (authentication may have expired) |
//! | the session's agent is the `{agentid}` of the path | `000-003` (no permission) |
//! | the session has one of the interface's roles | `000-003` (no permission), or the interface's code from [`Options::role_refusal`] |
//! | a body is JSON (`Content-Type`), within the size limit, decodes and validates | `000-002` |
//! | the handler | its [`GatewayError`]; a panic is `100-007` |
//!
//! **HTTP statuses.** Like the vendor's gateway, every answer from an interface is HTTP 200
//! with the outcome in the envelope's `retcode`: success (`"0"`), a refusal above, or the
//! handler's error. Only routing failures use HTTP's own statuses, because no interface was
//! reached: 405 (with `Allow`) for a method the path does not take and, with
//! [`not_found`] as fallback, 404 for an unknown path; their bodies are the envelope too.
//! Nothing bad input can send makes a 500 or reaches the handler.
//!
//! A handler can hand out a new session with [`Context::renew_session`] (sign-in, renewal): the
//! answer then carries `Set-GUID: JSESSIONID=<guid>`, which generated clients adopt.
//!
//! Each call runs in a `tracing` span named by the interface's log name (`queryConfInfos`) with
//! the fields `agent` and `retcode`.
//!
//! The codes, the session header, the agent parameter and the body limit are [`Options`];
//! the defaults are the AgentGateway's.

mod handle;

use std::any::TypeId;
use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

pub use axum::Router;
#[doc(hidden)]
pub use handle::Endpoint;

use crate::envelope::{GatewayError, ResponseEnvelope};
use crate::interface::Interface;

pub use axum;

/// The caller's session, as a [`SessionStore`] resolves it.
pub trait Session: Clone + Send + Sync + 'static {
    /// The agent that signed in (its `agentid`).
    fn agent_id(&self) -> &str;
    /// The agent's role, as named in the spec (`inspector`, `agent`).
    fn role(&self) -> &str;
}

/// Resolves a session header value (the `Guid`) to a [`Session`]. Supplied by the user: the
/// generated server traits have it as supertrait.
pub trait SessionStore: Send + Sync + 'static {
    /// What a live session knows about its caller.
    type Session: Session;

    /// The live session with this `guid`, or `None` (unknown or expired).
    fn resolve(&self, guid: &str) -> impl Future<Output = Option<Self::Session>> + Send;
}

/// What a handler knows about its caller: the session `Guid` and the session. Interfaces that
/// need no sign-in get a `Context<Option<S>>`.
#[derive(Clone, Debug)]
pub struct Context<S> {
    guid: String,
    session: S,
    renewal: Renewal,
}

/// A new session Guid a handler hands out (sign-in, periodic renewal), shared with the router.
#[doc(hidden)]
#[derive(Clone, Debug, Default)]
pub struct Renewal(Arc<Mutex<Option<String>>>);

impl Renewal {
    pub(crate) fn take(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

impl<S> Context<S> {
    /// A context (for calling handlers directly, as tests do).
    pub fn new(guid: impl Into<String>, session: S) -> Self {
        Self {
            guid: guid.into(),
            session,
            renewal: Renewal::default(),
        }
    }

    /// The session header's value as sent (empty if none was sent to an interface that needs
    /// no sign-in).
    pub fn guid(&self) -> &str {
        &self.guid
    }

    /// The session.
    pub fn session(&self) -> &S {
        &self.session
    }

    /// The session, by value.
    pub fn into_session(self) -> S {
        self.session
    }

    /// Hands the caller a new session `guid`: the answer carries it in the renewal header
    /// (`Set-GUID: JSESSIONID=<guid>`, see [`Options::renewal_header`]), which the generated
    /// clients adopt. For sign-in and the gateway's periodic renewal.
    pub fn renew_session(&self, guid: impl Into<String>) {
        *self
            .renewal
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(guid.into());
    }

    /// The Guid handed out with [`renew_session`](Self::renew_session), if any.
    pub fn renewed_session(&self) -> Option<String> {
        self.renewal
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl<S: Session> Context<S> {
    /// The signed-in agent's id.
    pub fn agent_id(&self) -> &str {
        self.session.agent_id()
    }

    /// The signed-in agent's role.
    pub fn role(&self) -> &str {
        self.session.role()
    }
}

mod sealed {
    pub trait Sealed {}
    impl<S> Sealed for super::Context<S> {}
}

/// The context types a handler can take: [`Context<S>`] for interfaces that need a signed-in
/// caller, `Context<Option<S>>` for the others. Sealed.
pub trait CallerContext<S>: sealed::Sealed + Sized + Send + 'static {
    /// The context for `guid` and its resolved session; `None` when a session is required and
    /// missing.
    #[doc(hidden)]
    fn from_session(guid: String, session: Option<S>) -> Option<Self>;

    /// The Guid the handler handed out, if any.
    #[doc(hidden)]
    fn renewal(&self) -> Renewal;
}

impl<S: Send + 'static> CallerContext<S> for Context<S> {
    fn from_session(guid: String, session: Option<S>) -> Option<Self> {
        session.map(|session| Context::new(guid, session))
    }

    fn renewal(&self) -> Renewal {
        self.renewal.clone()
    }
}

impl<S: Send + 'static> CallerContext<S> for Context<Option<S>> {
    fn from_session(guid: String, session: Option<S>) -> Option<Self> {
        Some(Context::new(guid, session))
    }

    fn renewal(&self) -> Renewal {
        self.renewal.clone()
    }
}

/// The result code of each refusal the server makes before a handler runs.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefusalCodes {
    /// A parameter, header or body is invalid (default `000-002`).
    pub invalid_parameter: &'static str,
    /// A signed-in interface was called without a session (default `100-006`).
    pub not_signed_in: &'static str,
    /// The session is unknown or expired, belongs to another agent, or lacks the role
    /// (default `000-003`).
    pub no_permission: &'static str,
    /// The handler failed without an answer (it panicked; default `100-007`).
    pub internal: &'static str,
}

impl Default for RefusalCodes {
    fn default() -> Self {
        Self {
            invalid_parameter: "000-002",
            not_signed_in: "100-006",
            no_permission: "000-003",
            internal: "100-007",
        }
    }
}

/// Server settings; the defaults follow the AgentGateway.
#[derive(Clone, Debug)]
#[must_use]
pub struct Options {
    body_limit: usize,
    session_header: axum::http::HeaderName,
    session_header_name: String,
    renewal_header: axum::http::HeaderName,
    agent_param: Option<&'static str>,
    codes: RefusalCodes,
    /// Per-interface codes for a caller without the interface's role, by interface type.
    role_refusals: Vec<(TypeId, &'static str)>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            body_limit: 64 * 1024,
            session_header: axum::http::HeaderName::from_static("guid"),
            session_header_name: "Guid".to_owned(),
            renewal_header: axum::http::HeaderName::from_static("set-guid"),
            agent_param: Some("agentid"),
            codes: RefusalCodes::default(),
            role_refusals: Vec::new(),
        }
    }
}

impl Options {
    /// The largest request body accepted, in bytes (default 64 KiB).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// The request header that carries the session (default `Guid`; header names are
    /// case-insensitive).
    pub fn session_header(mut self, name: axum::http::HeaderName) -> Self {
        self.session_header_name = name.as_str().to_owned();
        self.session_header = name;
        self
    }

    /// The response header that hands out a new session (default `Set-GUID`, written
    /// `JSESSIONID=<guid>` as the AgentGateway does); see [`Context::renew_session`].
    pub fn renewal_header(mut self, name: axum::http::HeaderName) -> Self {
        self.renewal_header = name;
        self
    }

    /// The path parameter that names the calling agent (default `agentid`): a session may only
    /// call with its own agent id there. `None` turns the check off.
    pub fn agent_param(mut self, name: Option<&'static str>) -> Self {
        self.agent_param = name;
        self
    }

    /// The result codes of refusals.
    pub fn codes(mut self, codes: RefusalCodes) -> Self {
        self.codes = codes;
        self
    }

    /// The result code for a signed-in caller without one of interface `I`'s roles, instead of
    /// [`RefusalCodes::no_permission`]: for a catalogue with a dedicated code (the
    /// AgentGateway's `101-004`, "a non-inspector may not query the VDN's conferences").
    /// Setting it again for the same interface replaces the code.
    ///
    /// For example `Options::default().role_refusal::<QueryAllConfIds>("101-004")`.
    pub fn role_refusal<I: Interface>(mut self, code: &'static str) -> Self {
        let id = TypeId::of::<I>();
        self.role_refusals.retain(|(other, _)| *other != id);
        self.role_refusals.push((id, code));
        self
    }

    /// The code a caller without interface `I`'s role gets (see
    /// [`role_refusal`](Self::role_refusal)).
    pub fn role_refusal_code<I: Interface>(&self) -> &'static str {
        let id = TypeId::of::<I>();
        self.role_refusals
            .iter()
            .find(|(other, _)| *other == id)
            .map_or(self.codes.no_permission, |(_, code)| code)
    }
}

/// A handler's answer: the result, or a failure from the catalogue.
pub type Reply<I> = Result<<I as Interface>::Result, GatewayError<<I as Interface>::ErrorCode>>;

/// The interfaces of one server, collected by the generated `router` function.
#[must_use]
pub struct Routes<T> {
    server: Arc<T>,
    options: Arc<Options>,
    paths: BTreeMap<&'static str, Vec<Endpoint>>,
}

impl<T> fmt::Debug for Routes<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Routes")
            .field("options", &self.options)
            .field("paths", &self.paths.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<T: SessionStore> Routes<T> {
    /// Routes served by `server`.
    pub fn new(server: T, options: Options) -> Self {
        Self {
            server: Arc::new(server),
            options: Arc::new(options),
            paths: BTreeMap::new(),
        }
    }

    /// Registers `interface` (its descriptor value, such as `QueryConfInfos`): `span` makes the
    /// span of each call, `handler` calls the server's method.
    pub fn route<I, C, F, Fut>(
        mut self,
        interface: I,
        span: fn() -> tracing::Span,
        handler: F,
    ) -> Self
    where
        I: Interface,
        C: CallerContext<T::Session>,
        F: Fn(Arc<T>, C, I::Path, I::Request) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply<I>> + Send + 'static,
    {
        let _ = interface;
        let endpoint = handle::endpoint::<I, T, C, F, Fut>(
            Arc::clone(&self.server),
            Arc::clone(&self.options),
            span,
            handler,
        );
        self.paths.entry(I::PATH).or_default().push(endpoint);
        self
    }

    /// The axum router: one route per path, dispatching on the method.
    pub fn into_router(self) -> Router {
        let mut router = Router::new();
        for (path, endpoints) in self.paths {
            router = router.route(path, handle::method_router(endpoints));
        }
        router
    }
}

/// A fallback for unknown paths: HTTP 404 with the envelope `E` and `000-002`.
///
/// ```
/// # #[derive(serde::Serialize, serde::Deserialize)] struct Envelope<R>(Option<R>, String, String);
/// # impl<R: serde::Serialize + serde::de::DeserializeOwned + Send + 'static> gatespec::ResponseEnvelope for Envelope<R> {
/// #     type Result = R;
/// #     fn success(r: R) -> Self { Envelope(Some(r), "0".into(), String::new()) }
/// #     fn failure(c: &str, m: String) -> Self { Envelope(None, c.into(), m) }
/// #     fn retcode(&self) -> std::borrow::Cow<'_, str> { self.1.as_str().into() }
/// #     fn into_parts(self) -> gatespec::EnvelopeParts<R> { gatespec::EnvelopeParts::new(self.1 == "0", self.1, self.2, self.0) }
/// # }
/// let app: gatespec::server::Router =
///     gatespec::server::Router::new().fallback(gatespec::server::not_found::<Envelope<()>>);
/// # let _ = app;
/// ```
pub async fn not_found<E: ResponseEnvelope>(uri: axum::http::Uri) -> axum::response::Response {
    let message = format!("no interface at {}", uri.path());
    handle::envelope_response::<E>(
        axum::http::StatusCode::NOT_FOUND,
        E::failure(RefusalCodes::default().invalid_parameter, message),
    )
}

/// [`not_found`] with a service's own code for an unknown path (its
/// [`RefusalCodes::invalid_parameter`]), for services whose catalogue is not the AgentGateway's:
/// `router.fallback(not_found_with::<Envelope<()>>("E-1"))`.
pub fn not_found_with<E: ResponseEnvelope>(
    retcode: &'static str,
) -> impl Fn(axum::http::Uri) -> std::pin::Pin<Box<dyn Future<Output = axum::response::Response> + Send>>
+ Clone
+ Send
+ Sync
+ 'static {
    move |uri: axum::http::Uri| {
        Box::pin(async move {
            let message = format!("no interface at {}", uri.path());
            handle::envelope_response::<E>(
                axum::http::StatusCode::NOT_FOUND,
                E::failure(retcode, message),
            )
        })
    }
}

/// The span of one call of an interface, named by its log name. Used by generated code.
#[doc(hidden)]
#[macro_export]
macro_rules! __server_span {
    ($name:literal) => {
        $crate::__private::tracing::info_span!(
            $name,
            agent = $crate::__private::tracing::field::Empty,
            retcode = $crate::__private::tracing::field::Empty,
        )
    };
}
