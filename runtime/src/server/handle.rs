//! One call of one interface, from the HTTP request to the envelope: the checks of the module
//! docs in order, then the handler.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, RawPathParams, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use tracing::Instrument;

use super::{CallerContext, Options, Renewal, Reply, Session, SessionStore};
use crate::envelope::ResponseEnvelope;
use crate::interface::{Interface, Method, has_body};
use crate::validate::Validate;
use crate::violation::Violations;

type BoxFuture = Pin<Box<dyn Future<Output = Response> + Send>>;

/// One interface on a path: its method and how to answer a call.
pub struct Endpoint {
    method: Method,
    call: Arc<dyn Fn(Request) -> BoxFuture + Send + Sync>,
    refuse: fn(StatusCode, &str, String) -> Response,
    options: Arc<Options>,
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
}

impl Refusal {
    fn new(retcode: &str, message: impl Into<String>) -> Self {
        Self {
            retcode: retcode.to_owned(),
            message: message.into(),
        }
    }
}

pub(super) fn endpoint<I, T, C, F, Fut>(
    server: Arc<T>,
    options: Arc<Options>,
    span: fn() -> tracing::Span,
    handler: F,
) -> Endpoint
where
    I: Interface,
    T: SessionStore,
    C: CallerContext<T::Session>,
    F: Fn(Arc<T>, C, I::Path, I::Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply<I>> + Send + 'static,
{
    let handler = Arc::new(handler);
    let call_options = Arc::clone(&options);
    let call = move |request: Request| -> BoxFuture {
        let server = Arc::clone(&server);
        let options = Arc::clone(&call_options);
        let handler = Arc::clone(&handler);
        Box::pin(answer::<I, T, C, F, Fut>(server, options, handler, request).instrument(span()))
    };
    Endpoint {
        method: I::METHOD,
        call: Arc::new(call),
        refuse: refuse::<I::Envelope>,
        options,
    }
}

fn refuse<E: ResponseEnvelope>(status: StatusCode, retcode: &str, message: String) -> Response {
    envelope_response::<E>(status, E::failure(retcode, message))
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
    let mut response = (first.refuse)(
        StatusCode::METHOD_NOT_ALLOWED,
        first.options.codes.invalid_parameter,
        format!("method {method} is not allowed here; use {allow}"),
    );
    if let Ok(value) = HeaderValue::from_str(&allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

async fn answer<I, T, C, F, Fut>(
    server: Arc<T>,
    options: Arc<Options>,
    handler: Arc<F>,
    request: Request,
) -> Response
where
    I: Interface,
    T: SessionStore,
    C: CallerContext<T::Session>,
    F: Fn(Arc<T>, C, I::Path, I::Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply<I>> + Send + 'static,
{
    let mut renewal = None;
    let outcome = run::<I, T, C, F, Fut>(server, &options, &handler, request, &mut renewal).await;
    let envelope = match outcome {
        Ok(result) => {
            let envelope = I::Envelope::success(result);
            // A result type whose serialisation fails is a server bug, not bad input.
            if serde_json::to_vec(&envelope).is_ok() {
                envelope
            } else {
                I::Envelope::failure(
                    options.codes.internal,
                    "the result cannot be written as JSON".to_owned(),
                )
            }
        }
        Err(refusal) => {
            tracing::info!(retcode = %refusal.retcode, message = %refusal.message, "refused");
            I::Envelope::failure(&refusal.retcode, refusal.message)
        }
    };
    tracing::Span::current().record("retcode", envelope.retcode().as_ref());
    let mut response = envelope_response::<I::Envelope>(StatusCode::OK, envelope);
    if let Some(guid) = renewal.and_then(|r| r.take())
        && let Ok(value) = HeaderValue::from_str(&format!("JSESSIONID={guid}"))
    {
        response
            .headers_mut()
            .insert(options.renewal_header.clone(), value);
    }
    response
}

async fn run<I, T, C, F, Fut>(
    server: Arc<T>,
    options: &Options,
    handler: &F,
    request: Request,
    renewal: &mut Option<Renewal>,
) -> Result<I::Result, Refusal>
where
    I: Interface,
    T: SessionStore,
    C: CallerContext<T::Session>,
    F: Fn(Arc<T>, C, I::Path, I::Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Reply<I>> + Send + 'static,
{
    let codes = &options.codes;
    let invalid = |message: String| Refusal::new(codes.invalid_parameter, message);
    let (mut parts, body) = request.into_parts();

    // URI parameters.
    let path: I::Path = if !I::QUERY.is_empty() {
        // URI and query parameters share one struct: decode both as one form.
        let raw = RawPathParams::from_request_parts(&mut parts, &())
            .await
            .ok();
        let mut form: Vec<(&str, &str)> = raw
            .as_ref()
            .map(|raw| raw.iter().collect())
            .unwrap_or_default();
        let query = parts.uri.query().unwrap_or("");
        let decoded_query: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|e| invalid(format!("invalid query string: {e}")))?;
        form.extend(decoded_query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let encoded = serde_urlencoded::to_string(&form)
            .map_err(|e| invalid(format!("invalid URI parameter: {e}")))?;
        serde_urlencoded::from_str(&encoded)
            .map_err(|e| invalid(format!("invalid URI or query parameter: {e}")))?
    } else if I::PATH.contains('{') {
        let Path(path) = Path::<I::Path>::from_request_parts(&mut parts, &())
            .await
            .map_err(|e| invalid(format!("invalid URI parameter: {}", e.body_text())))?;
        path
    } else {
        // No parameters: axum has none to give, the parameter struct is empty.
        serde_json::from_value(serde_json::Value::Object(serde_json::Map::new()))
            .map_err(|e| Refusal::new(codes.internal, format!("no URI parameters expected: {e}")))?
    };
    if let Err(violations) = path.validate() {
        return Err(invalid(format!(
            "invalid URI parameter: {}",
            one_line(&violations)
        )));
    }

    // Session and prerequisites.
    let guid = parts
        .headers
        .get(&options.session_header)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .filter(|g| !g.is_empty());
    let session = match &guid {
        Some(guid) => server.resolve(guid).await,
        None => None,
    };
    // A role is only known from a session: a role prerequisite implies sign-in.
    if I::SIGNED_IN || !I::ROLES.is_empty() {
        let Some(session) = &session else {
            return Err(match guid {
                None => Refusal::new(
                    codes.not_signed_in,
                    format!(
                        "the agent has not signed in: no {} header",
                        options.session_header_name
                    ),
                ),
                Some(_) => Refusal::new(
                    codes.no_permission,
                    "unknown or expired session: sign in again",
                ),
            });
        };
        tracing::Span::current().record("agent", session.agent_id());
        if let Some(param) = options.agent_param {
            let raw = RawPathParams::from_request_parts(&mut parts, &()).await;
            if let Some((_, agent)) = raw
                .as_ref()
                .ok()
                .and_then(|raw| raw.iter().find(|(name, _)| *name == param))
                && agent != session.agent_id()
            {
                return Err(Refusal::new(
                    codes.no_permission,
                    format!("the session does not belong to agent {agent}"),
                ));
            }
        }
        if !I::ROLES.is_empty() && !I::ROLES.contains(&session.role()) {
            return Err(Refusal::new(
                options.role_refusal_code::<I>(),
                format!("only the role(s) {} may call this", I::ROLES.join(", ")),
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
                "the Content-Type must be application/json; charset=UTF-8".to_owned(),
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
                "invalid request body: expected a JSON object, found an array".to_owned(),
            ));
        }
        serde_json::from_slice(&bytes).map_err(|e| invalid(format!("invalid request body: {e}")))?
    } else {
        serde_json::from_value(serde_json::Value::Null)
            .map_err(|e| Refusal::new(codes.internal, format!("no body for this interface: {e}")))?
    };
    if let Err(violations) = body.validate() {
        return Err(invalid(format!(
            "invalid request body: {}",
            one_line(&violations)
        )));
    }

    let Some(ctx) = C::from_session(guid.unwrap_or_default(), session) else {
        return Err(Refusal::new(
            codes.not_signed_in,
            "the agent has not signed in",
        ));
    };

    // The handler, on its own task so that a panic becomes an answer.
    *renewal = Some(ctx.renewal());
    let call = handler(server, ctx, path, body);
    match tokio::spawn(call.in_current_span()).await {
        Ok(Ok(result)) => Ok(result),
        Ok(Err(failure)) => Err(Refusal::new(failure.retcode(), failure.message())),
        Err(_) => Err(Refusal::new(
            codes.internal,
            "the operation failed unexpectedly",
        )),
    }
}

/// Violations on one line, for a message.
fn one_line(violations: &Violations) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The envelope as a JSON response with `status`.
pub(super) fn envelope_response<E: ResponseEnvelope>(status: StatusCode, envelope: E) -> Response {
    let Ok(bytes) = serde_json::to_vec(&envelope) else {
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
