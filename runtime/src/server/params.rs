//! Reading what a request carries outside its body: the URI and query-string parameters, and
//! the session header. Errors name the parameter and say what is wrong in plain words, never in
//! the HTTP framework's.

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::interface::Interface;
use crate::validate::Validate;
use crate::violation::Violations;

/// The URI parameters (and, when the interface has any, the query-string parameters) of a
/// request, decoded into the interface's parameter struct and validated.
///
/// # Errors
/// Why they are invalid, naming the parameter.
pub(super) fn path_params<I: Interface>(parts: &Parts, raw: &UriParams) -> Result<I::Path, String> {
    let mut form: Vec<(&str, &str)> = raw.iter().collect();
    let query: Vec<(String, String)> = if I::QUERY.is_empty() {
        Vec::new()
    } else {
        let text = parts.uri.query().unwrap_or("");
        form_urlencoded::parse(text.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    };
    form.extend(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let path: I::Path = decode_form(&form)?;
    path.validate()
        .map_err(|violations| format!("invalid URI parameter: {}", one_line(&violations)))?;
    Ok(path)
}

/// The URI parameters of a request, percent-decoded (none for a path without parameters).
pub(super) struct UriParams(Option<RawPathParams>);

impl UriParams {
    /// Name and value of each parameter.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().flat_map(|raw| raw.iter())
    }
}

/// The URI parameters, percent-decoded, by name.
pub(super) async fn raw_path_params(parts: &mut Parts) -> Result<UriParams, String> {
    // A path without parameters has none to give; that is not an error.
    match RawPathParams::from_request_parts(parts, &()).await {
        Ok(raw) => Ok(UriParams(Some(raw))),
        Err(axum::extract::rejection::RawPathParamsRejection::MissingPathParams(_)) => {
            Ok(UriParams(None))
        }
        Err(_) => Err("a URI parameter is not valid UTF-8 once percent-decoded".to_owned()),
    }
}

/// Name/value pairs as `T`, the way a form is read (numbers from their text).
fn decode_form<T: DeserializeOwned>(pairs: &[(&str, &str)]) -> Result<T, String> {
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let parse = || serde_urlencoded::Deserializer::new(form_urlencoded::parse(encoded.as_bytes()));
    // Path tracking allocates per parameter name: only a failing decoding runs again with it.
    if let Ok(params) = T::deserialize(parse()) {
        return Ok(params);
    }
    serde_path_to_error::deserialize(parse()).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." || path.is_empty() {
            format!("invalid URI parameters: {inner}")
        } else {
            format!("invalid URI parameter `{path}`: {inner}")
        }
    })
}

/// The session header's value, trimmed; `None` when absent or empty.
///
/// # Errors
/// The header is there more than once: which session calls would depend on which one an
/// intermediary kept.
pub(super) fn session_id<I: Interface>(parts: &Parts) -> Result<Option<String>, String> {
    let Some(header) = I::PROTOCOL.session_header else {
        return Ok(None);
    };
    let mut values = parts.headers.get_all(header).iter();
    let first = values.next();
    if values.next().is_some() {
        return Err(format!("the `{header}` header is sent more than once"));
    }
    Ok(first
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .filter(|value| !value.is_empty()))
}

/// Violations on one line, for a message.
pub(super) fn one_line(violations: &Violations) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
