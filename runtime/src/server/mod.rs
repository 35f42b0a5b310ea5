//! The generic HTTP server behind every generated server trait (feature `server`): axum 0.8.
//!
//! Generated code declares one trait per service (one async method per interface) with
//! [`SessionStore`] as supertrait, and a `router(server)` function that registers each
//! interface on [`Routes`]. Everything else happens here, the same way for every interface, with
//! the facts of the interface's [`Protocol`] (its spec's `gateway.protocol` and header
//! purposes) as data:
//!
//! | step | refusal (always the envelope) |
//! |---|---|
//! | the path's method is the interface's | HTTP 405 with `Allow`, `invalid_parameter` |
//! | the URI and query parameters decode and validate | `invalid_parameter` |
//! | an interface that needs sign-in (or a role) has the session header | `not_signed_in` |
//! | the store knows the session | `no_permission` |
//! | the session's caller is the one the caller parameter of the path names | `no_permission` |
//! | the session has one of the interface's roles | the interface's role refusal (by default `missing_role`) |
//! | a body is JSON (`Content-Type`), within the size limit, decodes and validates | `invalid_parameter` |
//! | the handler | its [`GatewayError`], with its failure detail; a panic is `internal_error` |
//!
//! Refusal messages are the catalogue's meaning of the code followed by the precise reason
//! (which header, which parameter, which JSON path of the body).
//!
//! **HTTP statuses.** Like a vendor's gateway, every answer from an interface is HTTP 200 with
//! the outcome in the envelope's result code: success, a refusal above, or the handler's
//! error. Only routing failures use HTTP's own statuses, because no interface was reached: 405
//! (with `Allow`) for a method the path does not take and, with [`not_found`] as fallback, 404
//! for an unknown path (`unknown_path`); their bodies are the envelope too. Nothing bad input
//! can send makes a 500 or reaches the handler.
//!
//! A handler can hand out a new session with [`Context::renew_session`] (sign-in, renewal): the
//! answer then carries it in the protocol's renewal header, written the declared way, which
//! generated clients adopt.
//!
//! Each call runs in a `tracing` span named by the interface's log name with the fields `agent`
//! and `retcode`.

mod handle;
mod params;

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

pub use axum::Router;
#[doc(hidden)]
pub use handle::Endpoint;

use crate::gateway_error::GatewayError;
use crate::interface::Interface;
use crate::protocol::Protocol;

pub use axum;

/// Who calls, as a [`SessionStore`] resolves a live session: the id the caller parameter of a
/// path must name, and the role that role prerequisites check.
pub trait Caller: Clone + Send + Sync + 'static {
    /// The id of the agent that signed in (what the protocol's caller parameter holds).
    fn agent_id(&self) -> &str;
    /// The agent's role, as named in the spec (`inspector`, `agent`).
    fn role(&self) -> &str;
}

/// Resolves the value of the session header to a [`Caller`]. Supplied by the user: the
/// generated server traits have it as supertrait.
pub trait SessionStore: Send + Sync + 'static {
    /// What a live session knows about its caller.
    type Caller: Caller;

    /// The caller of the live session `session_id`, or `None` (unknown or expired).
    fn resolve(&self, session_id: &str) -> impl Future<Output = Option<Self::Caller>> + Send;
}

/// What a handler knows about its caller: the session id and the caller. Interfaces that need
/// no sign-in get a `Context<Option<S>>`.
#[derive(Clone, Debug)]
pub struct Context<S> {
    session_id: String,
    caller: S,
    renewal: Renewal,
}

/// A new session id a handler hands out (sign-in, periodic renewal), shared with the router.
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
    pub fn new(session_id: impl Into<String>, caller: S) -> Self {
        Self {
            session_id: session_id.into(),
            caller,
            renewal: Renewal::default(),
        }
    }

    /// The session header's value as sent (empty if none was sent to an interface that needs
    /// no sign-in).
    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// The caller.
    pub fn caller(&self) -> &S {
        &self.caller
    }

    /// The caller, by value.
    pub fn into_caller(self) -> S {
        self.caller
    }

    /// Hands the caller a new session id: the answer carries it in the protocol's renewal
    /// header, written the way the spec declares, which the generated clients adopt. For
    /// sign-in and a gateway's periodic renewal.
    pub fn renew_session(&self, session_id: impl Into<String>) {
        *self
            .renewal
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(session_id.into());
    }

    /// The session id handed out with [`renew_session`](Self::renew_session), if any.
    pub fn renewed_session(&self) -> Option<String> {
        self.renewal
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl<S: Caller> Context<S> {
    /// The signed-in agent's id.
    pub fn agent_id(&self) -> &str {
        self.caller.agent_id()
    }

    /// The signed-in agent's role.
    pub fn role(&self) -> &str {
        self.caller.role()
    }
}

mod sealed {
    pub trait Sealed {}
    impl<S> Sealed for super::Context<S> {}
}

/// The context types a handler can take: [`Context<S>`] for interfaces that need a signed-in
/// caller, `Context<Option<S>>` for the others. Sealed.
pub trait CallerContext<S>: sealed::Sealed + Sized + Send + 'static {
    /// The context for `session_id` and its resolved caller; `None` when a caller is required
    /// and missing.
    #[doc(hidden)]
    fn from_session(session_id: String, caller: Option<S>) -> Option<Self>;

    /// The session id the handler handed out, if any.
    #[doc(hidden)]
    fn renewal(&self) -> Renewal;
}

impl<S: Send + 'static> CallerContext<S> for Context<S> {
    fn from_session(session_id: String, caller: Option<S>) -> Option<Self> {
        caller.map(|caller| Context::new(session_id, caller))
    }

    fn renewal(&self) -> Renewal {
        self.renewal.clone()
    }
}

impl<S: Send + 'static> CallerContext<S> for Context<Option<S>> {
    fn from_session(session_id: String, caller: Option<S>) -> Option<Self> {
        Some(Context::new(session_id, caller))
    }

    fn renewal(&self) -> Renewal {
        self.renewal.clone()
    }
}

/// Server settings that are not the gateway's protocol (which comes from the spec).
#[derive(Clone, Debug)]
#[must_use]
pub struct Options {
    body_limit: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            body_limit: 64 * 1024,
        }
    }
}

impl Options {
    /// The largest request body accepted, in bytes (default 64 KiB).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
}

/// A handler's answer: the result, or a failure from the catalogue (with the interface's failure
/// detail, if it declares one).
pub type Reply<I> = Result<
    <I as Interface>::Result,
    GatewayError<<I as Interface>::ErrorCode, <I as Interface>::Failure>,
>;

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
        C: CallerContext<T::Caller>,
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

/// A fallback for unknown paths: HTTP 404 with the protocol's envelope, its `unknown_path`
/// code and the catalogue's wording: `router.fallback(not_found(&PROTOCOL))`.
///
/// ```
/// use gatespec::{EnvelopeFormat, Protocol, RefusalCodes, RetcodeType};
///
/// const GATEWAY: Protocol = Protocol {
///     envelope: EnvelopeFormat {
///         message: "msg",
///         retcode: "code",
///         result: "data",
///         retcode_type: RetcodeType::Integer,
///         success: "0",
///     },
///     session_header: None,
///     renewal_header: None,
///     caller_param: None,
///     refusals: RefusalCodes::new("400", "401", "403", "403", "500", "404"),
///     catalogue: &[],
/// };
/// let app: gatespec::server::Router =
///     gatespec::server::Router::new().fallback(gatespec::server::not_found(&GATEWAY));
/// # let _ = app;
/// ```
pub fn not_found(
    protocol: &'static Protocol,
) -> impl Fn(axum::http::Uri) -> std::pin::Pin<Box<dyn Future<Output = axum::response::Response> + Send>>
+ Clone
+ Send
+ Sync
+ 'static {
    move |uri: axum::http::Uri| {
        Box::pin(async move {
            let code = protocol.refusals.unknown_path;
            let reason = format!("no interface at {}", uri.path());
            handle::envelope_response(
                axum::http::StatusCode::NOT_FOUND,
                &protocol.envelope,
                code,
                &protocol.refusal_message(code, &reason),
                None,
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
