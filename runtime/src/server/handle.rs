//! One call of one interface, from the HTTP request to the envelope: the checks of the module
//! docs in order, then the handler.

use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use futures_util::FutureExt as _;
use serde_json::value::RawValue;
use tracing::Instrument;

use super::body;
use super::params::{self, one_line};
use super::respond::{envelope_bytes, envelope_response, json_response};
use super::{Caller, Context, ContextOf, Options, Renewal, Reply, Sessions};
use crate::envelope::EnvelopeFormat;
use crate::interface::{Access, Interface, Method, has_body, needs_session, role_refusal};
use crate::protocol::Protocol;
use crate::validate::Validate;

type BoxFuture = Pin<Box<dyn Future<Output = Response> + Send>>;

/// One interface on a path: its method, its protocol and how to answer a call.
pub struct Endpoint {
    method: Method,
    protocol: &'static Protocol,
    envelope: &'static EnvelopeFormat,
    call: Arc<dyn Fn(Request) -> BoxFuture + Send + Sync>,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

/// Why a call is answered with a failure envelope.
struct Refusal {
    retcode: String,
    message: String,
    detail: Option<Box<RawValue>>,
}

impl Refusal {
    /// A refusal the server makes: the catalogue's meaning of `code`, then `reason`.
    fn new(protocol: &Protocol, code: &str, reason: impl AsRef<str>) -> Self {
        Self {
            retcode: code.to_owned(),
            message: protocol.refusal_message(code, reason.as_ref()),
            detail: None,
        }
    }
}

/// What every call of one endpoint uses.
struct Shared<T, F> {
    server: Arc<T>,
    options: Arc<Options>,
    handler: F,
    /// The length of the last answer: the next one's buffer starts that large.
    answer_size: AtomicUsize,
}

pub(super) fn endpoint<I, T, St, F, Fut>(
    server: Arc<T>,
    options: Arc<Options>,
    span: fn() -> tracing::Span,
    handler: F,
) -> Endpoint
where
    I: Interface,
    T: Send + Sync + 'static,
    St: Sessions<T>,
    F: Fn(Arc<T>, ContextOf<I, St::Caller>, I::Path, I::Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply<I>> + Send + 'static,
{
    let shared = Arc::new(Shared {
        server,
        options,
        handler,
        answer_size: AtomicUsize::new(256),
    });
    let call = move |request: Request| -> BoxFuture {
        Box::pin(answer::<I, T, St, F, Fut>(Arc::clone(&shared), request).instrument(span()))
    };
    Endpoint {
        method: I::METHOD,
        protocol: I::PROTOCOL,
        envelope: I::ENVELOPE,
        call: Arc::new(call),
    }
}

/// The span of a call of `I` when the routes were given none: named `interface`, with the
/// interface's log name as a field.
pub(super) fn interface_span<I: Interface>() -> tracing::Span {
    tracing::info_span!(
        "interface",
        log_name = I::LOG_NAME,
        agent = tracing::field::Empty,
        retcode = tracing::field::Empty,
    )
}

/// Routes a path's calls to the endpoint of their method; 405 with `Allow` otherwise.
pub(super) fn method_router(endpoints: Vec<Endpoint>) -> axum::routing::MethodRouter {
    let endpoints: Arc<[Endpoint]> = endpoints.into();
    axum::routing::any(move |request: Request| {
        let endpoints = Arc::clone(&endpoints);
        async move { dispatch(&endpoints, request).await }
    })
}

async fn dispatch(endpoints: &[Endpoint], request: Request) -> Response {
    let method = request.method().as_str();
    if let Some(endpoint) = endpoints.iter().find(|e| e.method.as_str() == method) {
        return (endpoint.call)(request).await;
    }
    let allow = endpoints
        .iter()
        .map(|e| e.method.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let Some(first) = endpoints.first() else {
        return Response::new(Body::empty());
    };
    tracing::info!(method, path = request.uri().path(), "method not allowed");
    let code = first.protocol.refusals.invalid_parameter;
    let reason = format!("method {method} is not allowed here; use {allow}");
    let mut response = envelope_response(
        StatusCode::METHOD_NOT_ALLOWED,
        first.envelope,
        code,
        &first.protocol.refusal_message(code, &reason),
        None::<&RawValue>,
    );
    if let Ok(value) = HeaderValue::from_str(&allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

async fn answer<I, T, St, F, Fut>(shared: Arc<Shared<T, F>>, request: Request) -> Response
where
    I: Interface,
    T: Send + Sync + 'static,
    St: Sessions<T>,
    F: Fn(Arc<T>, ContextOf<I, St::Caller>, I::Path, I::Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply<I>> + Send + 'static,
{
    let mut renewal = None;
    let outcome = run::<I, T, St, F, Fut>(&shared, request, &mut renewal).await;
    let protocol = I::PROTOCOL;
    let envelope = I::ENVELOPE;
    let written = match outcome {
        // The result is written once, straight into the envelope. A result that cannot be
        // written as JSON is a server bug, not bad input.
        Ok(result) => {
            let capacity = shared.answer_size.load(Ordering::Relaxed);
            match envelope_bytes(envelope, envelope.success, "", Some(&result), capacity) {
                Ok(bytes) => {
                    shared.answer_size.store(bytes.len(), Ordering::Relaxed);
                    Ok(bytes)
                }
                Err(e) => {
                    let code = protocol.refusals.internal_error;
                    let reason = format!("the result cannot be written as JSON: {e}");
                    Err(Refusal::new(protocol, code, reason))
                }
            }
        }
        Err(refusal) => Err(refusal),
    };
    let mut response = match written {
        Ok(bytes) => {
            tracing::Span::current().record("retcode", envelope.success);
            json_response(StatusCode::OK, bytes)
        }
        Err(refusal) => {
            tracing::info!(retcode = %refusal.retcode, message = %refusal.message, "refused");
            tracing::Span::current().record("retcode", refusal.retcode.as_str());
            envelope_response(
                StatusCode::OK,
                envelope,
                &refusal.retcode,
                &refusal.message,
                refusal.detail.as_deref(),
            )
        }
    };
    if let (Some(session), Some(header)) = (renewal.and_then(|r| r.take()), protocol.renewal_header)
        && let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(header.name.as_bytes()),
            HeaderValue::from_str(&header.value(&session)),
        )
    {
        response.headers_mut().insert(name, value);
    }
    response
}

async fn run<I, T, St, F, Fut>(
    shared: &Shared<T, F>,
    request: Request,
    renewal: &mut Option<Renewal>,
) -> Result<I::Result, Refusal>
where
    I: Interface,
    T: Send + Sync + 'static,
    St: Sessions<T>,
    F: Fn(Arc<T>, ContextOf<I, St::Caller>, I::Path, I::Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply<I>> + Send + 'static,
{
    let protocol = I::PROTOCOL;
    let codes = &protocol.refusals;
    let invalid = |reason: String| Refusal::new(protocol, codes.invalid_parameter, reason);
    let (mut parts, body) = request.into_parts();
    let (server, options) = (&shared.server, &shared.options);

    // URI and query-string parameters.
    let raw = params::raw_path_params(&mut parts).await.map_err(invalid)?;
    let path = params::path_params::<I>(&parts, &raw).map_err(invalid)?;

    // Session and prerequisites.
    let session_id = params::session_id::<I>(&parts).map_err(invalid)?;
    let caller = match &session_id {
        Some(session_id) => St::resolve(server, session_id).await.map_err(|e| {
            // The store's own error is logged, not told to the caller.
            tracing::warn!(error = %e, "the session store failed");
            Refusal::new(protocol, codes.internal_error, "the session store failed")
        })?,
        None => None,
    };
    // A role is only known from a session: a role prerequisite implies sign-in.
    if needs_session::<I>() {
        let Some(caller) = &caller else {
            return Err(match (&session_id, protocol.session_header) {
                (Some(_), _) => Refusal::new(
                    protocol,
                    codes.no_permission,
                    "unknown or expired session; sign in again",
                ),
                (None, Some(header)) => Refusal::new(
                    protocol,
                    codes.not_signed_in,
                    format!("no `{header}` header"),
                ),
                (None, None) => Refusal::new(
                    protocol,
                    codes.not_signed_in,
                    "the gateway declares no session header",
                ),
            });
        };
        tracing::Span::current().record("agent", caller.agent_id());
        if let Some(param) = protocol.caller_param
            && let Some((_, named)) = raw.iter().find(|(name, _)| *name == param)
            && named != caller.agent_id()
        {
            return Err(Refusal::new(
                protocol,
                codes.no_permission,
                format!("the session does not belong to `{param}` {named}"),
            ));
        }
        if !I::ROLES.is_empty() && !I::ROLES.contains(&caller.role()) {
            return Err(Refusal::new(
                protocol,
                role_refusal::<I>(),
                format!(
                    "only the role(s) {} may call this interface",
                    I::ROLES.join(", ")
                ),
            ));
        }
    }

    // Body.
    let body: I::Request = if has_body::<I>() {
        let json = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(invalid(
                "the `Content-Type` must be application/json".to_owned(),
            ));
        }
        // A body that has already arrived (most do, with the headers) is read without arming
        // the timer; only one still on its way is raced against the body timeout.
        let mut read = std::pin::pin!(axum::body::to_bytes(body, options.body_limit));
        let first = std::future::poll_fn(|cx| Poll::Ready(read.as_mut().poll(cx))).await;
        let read = match first {
            Poll::Ready(read) => Ok(read),
            Poll::Pending => tokio::time::timeout(options.body_timeout, read).await,
        };
        let bytes = match read {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(_)) => {
                return Err(invalid(format!(
                    "the request body is unreadable or larger than {} bytes",
                    options.body_limit
                )));
            }
            Err(_) => {
                return Err(invalid(format!(
                    "the request body did not arrive within {} ms",
                    options.body_timeout.as_millis()
                )));
            }
        };
        // JSON is UTF-8 throughout, also in members the body's type ignores.
        if let Err(e) = std::str::from_utf8(&bytes) {
            return Err(invalid(format!(
                "the request body is not UTF-8 (at byte {})",
                e.valid_up_to()
            )));
        }
        // Request bodies are tables: JSON objects. (serde would also take a struct as an
        // array of its fields.)
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
            return Err(invalid(
                "the request body must be a JSON object, not an array".to_owned(),
            ));
        }
        body::decode(&bytes).map_err(invalid)?
    } else {
        serde_json::from_str("null").map_err(|e| {
            Refusal::new(
                protocol,
                codes.internal_error,
                format!("no body for this interface: {e}"),
            )
        })?
    };
    if let Err(violations) = body.validate() {
        return Err(invalid(format!(
            "invalid request body: {}",
            one_line(&violations)
        )));
    }

    let Some(caller) = <I::Access as Access>::caller(caller) else {
        return Err(Refusal::new(protocol, codes.not_signed_in, "no session"));
    };
    let ctx = Context::new(session_id.unwrap_or_default(), caller);

    // The handler; a panic in it becomes an answer. It is caught where it happens, in this
    // task: the handler owns its inputs, and a server whose state a panic left half-changed
    // is no worse off than with the panic on a task of its own.
    *renewal = Some(ctx.renewal());
    let call = (shared.handler)(Arc::clone(server), ctx, path, body);
    match AssertUnwindSafe(call).catch_unwind().await {
        Ok(Ok(result)) => Ok(result),
        Ok(Err(failure)) => {
            let detail = match failure.detail() {
                Some(detail) => Some(serde_json::value::to_raw_value(detail).map_err(|e| {
                    Refusal::new(
                        protocol,
                        codes.internal_error,
                        format!("the failure detail cannot be written as JSON: {e}"),
                    )
                })?),
                None => None,
            };
            Err(Refusal {
                retcode: failure.retcode().to_owned(),
                message: failure.message().to_owned(),
                detail,
            })
        }
        Err(_) => Err(Refusal::new(
            protocol,
            codes.internal_error,
            "the operation failed unexpectedly",
        )),
    }
}
