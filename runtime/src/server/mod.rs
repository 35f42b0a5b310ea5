//! The generic HTTP server behind every generated server trait (feature `server`): axum 0.8.
//!
//! Generated code declares one trait per service (one async method per interface), with
//! [`SessionStore`] as supertrait when an interface of the service needs sign-in, and a
//! `router(server)` function that registers each interface on [`Routes`]. A handler's context
//! follows from its interface's [`Access`](crate::Access) ([`ContextOf`]). Everything else
//! happens here, the same way for every interface, with the facts of the interface's
//! [`Protocol`] (its spec's `gateway.protocol` and header purposes) as data:
//!
//! | step | refusal (always the envelope) |
//! |---|---|
//! | the path's method is the interface's | HTTP 405 with `Allow`, `invalid_parameter` |
//! | the URI and query parameters decode and validate | `invalid_parameter` |
//! | the session header is there at most once | `invalid_parameter` |
//! | an interface that needs sign-in (or a role) has the session header | `not_signed_in` |
//! | the store knows the session | `no_permission`; a store that fails ([`SessionStore::try_resolve`]): `internal_error` |
//! | the session's caller is the one the caller parameter of the path names | `no_permission` |
//! | the session has one of the interface's roles | the interface's role refusal (by default `missing_role`) |
//! | a body is JSON (`Content-Type`), UTF-8, within the size and time limits ([`Options`]), decodes and validates | `invalid_parameter` |
//! | the handler | its [`GatewayError`], with its failure detail; a panic is `internal_error`; a generated default method answers [`not_supported`] |
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
//! Each call runs in a `tracing` span with the fields `agent` and `retcode`: generated routers
//! name it by the interface's log name (`queryConfInfos`); [`Routes::route`] names it
//! `interface`, with the log name in its field `log_name`.

mod body;
mod context;
mod handle;
pub mod live;
mod params;
mod respond;
mod sessions;

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

pub use axum::Router;
#[doc(hidden)]
pub use context::Renewal;
pub use context::{Context, ContextOf};
#[doc(hidden)]
pub use handle::Endpoint;
pub use sessions::{Caller, NoCaller, ServedBy, SessionStore, Sessions, StoreFailure};

use crate::code::CodeEnum;
use crate::gateway_error::GatewayError;
use crate::interface::Interface;
use crate::protocol::Protocol;

pub use axum;

/// Server settings that are not the gateway's protocol (which comes from the spec).
#[derive(Clone, Debug)]
#[must_use]
pub struct Options {
    body_limit: usize,
    body_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            body_limit: 64 * 1024,
            body_timeout: Duration::from_secs(10),
        }
    }
}

impl Options {
    /// The largest request body accepted, in bytes (default 64 KiB).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// How long reading a request body may take, from the end of its headers (default 10 s):
    /// a body that trickles in slower is refused (`invalid_parameter`) and its connection
    /// freed. Slow *headers* are the HTTP server's to cut off (hyper's `header_read_timeout`).
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }
}

/// A handler's answer: the result, or a failure from the catalogue (with the interface's failure
/// detail, if it declares one).
pub type Reply<I> = Result<
    <I as Interface>::Result,
    GatewayError<<I as Interface>::ErrorCode, <I as Interface>::Failure>,
>;

/// The interfaces of one server, collected by the generated `router` function or by hand.
///
/// Sessions come from the server itself when it is a [`SessionStore`] ([`Routes::new`]); a
/// server whose interfaces need no sign-in does without one ([`Routes::without_sessions`]).
/// Each interface is registered with a handler whose context is the interface's
/// ([`ContextOf`]): a handler taking `Context<Caller>` for an interface anyone may call, or
/// `Context<Option<Caller>>` for one that needs sign-in, does not compile.
///
/// ```
/// # use gatespec::{Anyone, CodeEnum, EnvelopeFormat, Interface, Method, NoDetail, PathParams,
/// #     Protocol, RefusalCodes, RetcodeType, Validate};
/// # use serde::{Deserialize, Serialize};
/// # #[derive(CodeEnum, Debug, Clone, PartialEq)]
/// # #[code(string)]
/// # enum Code {
/// #     #[code("E-1", meaning = "Invalid request.")]
/// #     Invalid,
/// #     #[code(other)]
/// #     Other(String),
/// # }
/// # const CLOCK: Protocol = Protocol {
/// #     envelope: EnvelopeFormat { message: "text", retcode: "code", result: "data",
/// #         retcode_type: RetcodeType::Text, success: "OK" },
/// #     session_header: None, renewal_header: None, caller_param: None,
/// #     refusals: RefusalCodes::new("E-1", "E-1", "E-1", "E-1", "E-1", "E-1"),
/// #     catalogue: <Code as CodeEnum>::CODES,
/// # };
/// # #[derive(Serialize, Deserialize, Validate)]
/// # struct NoPath {}
/// # impl PathParams for NoPath {
/// #     fn write_path(&self, path: &mut String) { path.push_str("/time"); }
/// # }
/// /// `GET /time`: anyone may ask.
/// struct Time;
/// impl Interface for Time {
///     type Access = Anyone;
///     // ...
/// #   const PROTOCOL: &'static Protocol = &CLOCK;
/// #   const LOG_NAME: &'static str = "time";
/// #   const METHOD: Method = Method::Get;
/// #   const PATH: &'static str = "/time";
/// #   const ROLES: &'static [&'static str] = &[];
/// #   const ERRORS: &'static [&'static str] = &[];
/// #   type Path = NoPath;
/// #   type Request = ();
/// #   type Result = u64;
/// #   type Failure = NoDetail;
/// #   type ErrorCode = Code;
/// }
///
/// struct Clock;
///
/// // No session store: `Time` needs no sign-in, so its handler's caller is always `None`.
/// let app = gatespec::server::Routes::without_sessions(Clock, Default::default())
///     .route(Time, |_clock, _ctx, _path, ()| async { Ok(1_700_000_000) })
///     .into_router();
/// # let _ = app;
/// ```
#[must_use]
pub struct Routes<T, St = T> {
    server: Arc<T>,
    options: Arc<Options>,
    paths: BTreeMap<&'static str, Vec<Endpoint>>,
    sessions: PhantomData<fn() -> St>,
}

impl<T, St> fmt::Debug for Routes<T, St> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Routes")
            .field("options", &self.options)
            .field("paths", &self.paths.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<T: SessionStore> Routes<T> {
    /// Routes served by `server`, which also resolves the sessions of its callers.
    pub fn new(server: T, options: Options) -> Self {
        Self::serving(server, options)
    }
}

impl<T: Send + Sync + 'static> Routes<T, NoCaller> {
    /// Routes served by `server` that keep no sessions: they serve only interfaces anyone may
    /// call ([`Anyone`](crate::Anyone)), whose handlers get `Context<Option<NoCaller>>` (always
    /// `None`). Registering an interface that needs sign-in does not compile.
    pub fn without_sessions(server: T, options: Options) -> Self {
        Self::serving(server, options)
    }
}

impl<T: Send + Sync + 'static, St: Sessions<T>> Routes<T, St> {
    fn serving(server: T, options: Options) -> Self {
        Self {
            server: Arc::new(server),
            options: Arc::new(options),
            paths: BTreeMap::new(),
            sessions: PhantomData,
        }
    }

    /// Registers `interface` (its descriptor value, such as `QueryConfInfos`) with the
    /// `handler` that answers it. Each call runs in a `tracing` span named `interface` whose
    /// field `log_name` is the interface's [`LOG_NAME`](Interface::LOG_NAME).
    pub fn route<I, F, Fut>(self, interface: I, handler: F) -> Self
    where
        I: Interface,
        I::Access: ServedBy<St>,
        F: Fn(Arc<T>, ContextOf<I, St::Caller>, I::Path, I::Request) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply<I>> + Send + 'static,
    {
        self.route_in_span(interface, handle::interface_span::<I>, handler)
    }

    /// Like [`route`](Self::route), with `span` making the span of each call (generated code
    /// names it by the interface's log name: `queryConfInfos`). The span should have the empty
    /// fields `agent` and `retcode`, which the router records.
    pub fn route_in_span<I, F, Fut>(
        mut self,
        interface: I,
        span: fn() -> tracing::Span,
        handler: F,
    ) -> Self
    where
        I: Interface,
        I::Access: ServedBy<St>,
        F: Fn(Arc<T>, ContextOf<I, St::Caller>, I::Path, I::Request) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Reply<I>> + Send + 'static,
    {
        let _ = interface;
        let endpoint = handle::endpoint::<I, T, St, F, Fut>(
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
        // Turns each handler into its service now rather than on every call.
        router.with_state(())
    }
}

/// The answer of an interface that a server does not implement: the failure `code` (the
/// spec's `refusals.not_supported`), with the catalogue's meaning and the interface's log name
/// as message ("...: this server does not implement `queryConfInfos`"). Generated default
/// methods answer it; the router has checked the call as for any other handler first.
pub fn not_supported<I: Interface>(code: I::ErrorCode) -> std::future::Ready<Reply<I>> {
    let message = not_supported_message(I::PROTOCOL, &code.code().to_string(), I::LOG_NAME);
    std::future::ready(Err(GatewayError::with_message(code, message)))
}

fn not_supported_message(protocol: &Protocol, code: &str, log_name: &str) -> String {
    protocol.refusal_message(
        code,
        &format!("this server does not implement `{log_name}`"),
    )
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
            respond::envelope_response(
                axum::http::StatusCode::NOT_FOUND,
                &protocol.envelope,
                code,
                &protocol.refusal_message(code, &reason),
                None::<&serde_json::value::RawValue>,
            )
        })
    }
}

/// The span of one call of an interface, named by its log name, for
/// [`Routes::route_in_span`](crate::server::Routes::route_in_span). Used by generated code.
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
