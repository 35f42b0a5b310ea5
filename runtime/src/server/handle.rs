//! One call of one interface, from the HTTP request to the envelope: the checks of the module
//! docs in order, then the handler.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::value::RawValue;
use tracing::Instrument;

use super::body;
use super::params::{self, one_line};
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
    let handler = Arc::new(handler);
    let call = move |request: Request| -> BoxFuture {
        let server = Arc::clone(&server);
        let options = Arc::clone(&options);
        let handler = Arc::clone(&handler);
        Box::pin(answer::<I, T, St, F, Fut>(server, options, handler, request).instrument(span()))
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
        None,
    );
    if let Ok(value) = HeaderValue::from_str(&allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

async fn answer<I, T, St, F, Fut>(
    server: Arc<T>,
    options: Arc<Options>,
    handler: Arc<F>,
    request: Request,
) -> Response
where
    I: Interface,
    T: Send + Sync + 'static,
    St: Sessions<T>,
    F: Fn(Arc<T>, ContextOf<I, St::Caller>, I::Path, I::Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply<I>> + Send + 'static,
{
    let mut renewal = None;
    let outcome = run::<I, T, St, F, Fut>(server, &options, &handler, request, &mut renewal).await;
    let protocol = I::PROTOCOL;
    let (retcode, message, result) = match outcome {
        // A result that cannot be written as JSON is a server bug, not bad input.
        Ok(result) => match serde_json::value::to_raw_value(&result) {
            // An optional result that is absent (none pending, say) leaves its member out: the
            // spec declares the member optional, not nullable.
            Ok(raw) if raw.get() == "null" => (I::ENVELOPE.success.to_owned(), String::new(), None),
            Ok(raw) => (I::ENVELOPE.success.to_owned(), String::new(), Some(raw)),
            Err(e) => {
                let code = protocol.refusals.internal_error;
                let reason = format!("the result cannot be written as JSON: {e}");
                (
                    code.to_owned(),
                    protocol.refusal_message(code, &reason),
                    None,
                )
            }
        },
        Err(refusal) => {
            tracing::info!(retcode = %refusal.retcode, message = %refusal.message, "refused");
            (refusal.retcode, refusal.message, refusal.detail)
        }
    };
    tracing::Span::current().record("retcode", retcode.as_str());
    let mut response = envelope_response(
        StatusCode::OK,
        I::ENVELOPE,
        &retcode,
        &message,
        result.as_deref(),
    );
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
    server: Arc<T>,
    options: &Options,
    handler: &F,
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

    // URI and query-string parameters.
    let path = params::path_params::<I>(&mut parts)
        .await
        .map_err(invalid)?;

    // Session and prerequisites.
    let session_id = params::session_id::<I>(&parts);
    let caller = match &session_id {
        Some(session_id) => St::resolve(&server, session_id).await,
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
        if let Some(param) = protocol.caller_param {
            let raw = params::raw_path_params(&mut parts).await.map_err(invalid)?;
            if let Some((_, named)) = raw.iter().find(|(name, _)| name == param)
                && named != caller.agent_id()
            {
                return Err(Refusal::new(
                    protocol,
                    codes.no_permission,
                    format!("the session does not belong to `{param}` {named}"),
                ));
            }
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
        let bytes = axum::body::to_bytes(body, options.body_limit)
            .await
            .map_err(|_| {
                invalid(format!(
                    "the request body is unreadable or larger than {} bytes",
                    options.body_limit
                ))
            })?;
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

    // The handler, on its own task so that a panic becomes an answer.
    *renewal = Some(ctx.renewal());
    let call = handler(server, ctx, path, body);
    match tokio::spawn(call.in_current_span()).await {
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

/// An envelope as a JSON response with `status`.
pub(super) fn envelope_response(
    status: StatusCode,
    envelope: &EnvelopeFormat,
    retcode: &str,
    message: &str,
    result: Option<&RawValue>,
) -> Response {
    let Ok(bytes) = envelope.write(retcode, message, result) else {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        return response;
    };
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    response
}
