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
pub(super) async fn path_params<I: Interface>(parts: &mut Parts) -> Result<I::Path, String> {
    let raw = raw_path_params(parts).await?;
    let mut form: Vec<(&str, &str)> = raw.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
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

/// The URI parameters, percent-decoded, by name.
pub(super) async fn raw_path_params(parts: &mut Parts) -> Result<Vec<(String, String)>, String> {
    // A path without parameters has none to give; that is not an error.
    match RawPathParams::from_request_parts(parts, &()).await {
        Ok(raw) => Ok(raw
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()),
        Err(axum::extract::rejection::RawPathParamsRejection::MissingPathParams(_)) => {
            Ok(Vec::new())
        }
        Err(_) => Err("a URI parameter is not valid UTF-8 once percent-decoded".to_owned()),
    }
}

/// Name/value pairs as `T`, the way a form is read (numbers from their text).
fn decode_form<T: DeserializeOwned>(pairs: &[(&str, &str)]) -> Result<T, String> {
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(encoded.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
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
pub(super) fn session_id<I: Interface>(parts: &Parts) -> Option<String> {
    let header = I::PROTOCOL.session_header?;
    parts
        .headers
        .get(header)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// Violations on one line, for a message.
pub(super) fn one_line(violations: &Violations) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
