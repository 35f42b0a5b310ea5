//! Checking a vendor example against bindings: the generated crate turns every example of the
//! spec into tests that call these functions.

use std::any::TypeId;
use std::fmt::Display;
use std::str::FromStr;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Interface, NoDetail, PathParams, Validate, path_of};

/// Why an example did not pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// JSON path of the offending value (`result.confs[0].confId`; empty for the whole value).
    pub path: String,
    /// What went wrong there.
    pub message: String,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Deserialises `json` into `T` and validates it; every failure says where.
pub fn decode<T: DeserializeOwned + Validate>(json: &str) -> Result<T, Vec<ExampleFailure>> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        vec![ExampleFailure {
            path: if path == "." { String::new() } else { path },
            message: e.into_inner().to_string(),
        }]
    })?;
    value.validate().map_err(|violations| {
        violations
            .iter()
            .map(|v| ExampleFailure {
                path: v.path.clone(),
                message: v.to_string(),
            })
            .collect::<Vec<_>>()
    })?;
    Ok(value)
}

/// The example decodes into `T`, validates clean, and serialises back to JSON equal (as a value)
/// to the example.
pub fn round_trip<T: DeserializeOwned + Serialize + Validate>(json: &str) -> Result<(), String> {
    let value: T = decode(json).map_err(|failures| {
        let lines: Vec<String> = failures.iter().map(ToString::to_string).collect();
        format!(
            "the example does not decode and validate:\n{}",
            lines.join("\n")
        )
    })?;
    let original: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("the example is not JSON: {e}"))?;
    let again = serde_json::to_value(&value).map_err(|e| format!("cannot serialise: {e}"))?;
    if same_json(&original, &again) {
        Ok(())
    } else {
        Err(format!(
            "serialising the decoded example changes it:\nexample: {original}\nback:    {again}"
        ))
    }
}

/// An event example: it decodes into the catalogue's variant for its type (never the variant
/// that keeps unknown events), validates clean, and serialises back to JSON equal to the example.
pub fn event_round_trip<E: crate::EventCatalogue + Validate>(json: &str) -> Result<(), String> {
    let event: E = decode(json).map_err(|failures| {
        let lines: Vec<String> = failures.iter().map(ToString::to_string).collect();
        format!(
            "the event does not decode and validate:\n{}",
            lines.join("\n")
        )
    })?;
    if let Some(raw) = event.raw() {
        return Err(match &raw.error {
            Some(error) => format!(
                "the content of `{}` does not decode: {error}",
                raw.event_type
            ),
            None => format!("`{}` is not an event type of the catalogue", raw.event_type),
        });
    }
    round_trip::<E>(json)
}

/// An event of a type the catalogue does not list decodes into the variant that keeps it, with
/// its type, agent and content, and serialises back unchanged.
pub fn unknown_event_round_trip<E: crate::EventCatalogue + Validate>(
    json: &str,
) -> Result<(), String> {
    let event: E = serde_json::from_str(json).map_err(|e| format!("does not decode: {e}"))?;
    let raw = event
        .raw()
        .ok_or_else(|| format!("`{}` decoded as a listed event", event.event_type()))?;
    if raw.error.is_some() || raw.event_type != event.event_type() || raw.agent != event.agent() {
        return Err(format!("kept as {raw:?}"));
    }
    round_trip::<E>(json)
}

/// Equal as JSON values, where the example may write a boolean or number as a string (vendor
/// examples do; bindings write the documented type) and may send `null` for an absent member.
fn same_json(example: &serde_json::Value, ours: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (example, ours) {
        (Value::String(text), Value::Bool(b)) => text.as_str() == if *b { "true" } else { "false" },
        (Value::String(text), Value::Number(n)) => {
            text.parse::<i64>()
                .ok()
                .is_some_and(|t| n.as_i64() == Some(t))
                || text
                    .parse::<f64>()
                    .ok()
                    .is_some_and(|t| n.as_f64() == Some(t))
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            let absent = Value::Null;
            a.keys()
                .chain(b.keys())
                .all(|k| same_json(a.get(k).unwrap_or(&absent), b.get(k).unwrap_or(&absent)))
        }
        _ => example == ours,
    }
}

/// The example is refused, and one of the failures is at `path`.
pub fn fails_at<T: DeserializeOwned + Validate>(json: &str, path: &str) -> Result<(), String> {
    match decode::<T>(json) {
        Ok(_) => Err(format!(
            "the broken example was accepted; expected a failure at `{path}`"
        )),
        Err(failures) if failures.iter().any(|f| f.path == path) => Ok(()),
        Err(failures) => {
            let lines: Vec<String> = failures.iter().map(ToString::to_string).collect();
            Err(format!(
                "the broken example failed, but not at `{path}`:\n{}",
                lines.join("\n")
            ))
        }
    }
}

/// Parses the text of a URI or query parameter as an example writes it; the error names the
/// parameter.
///
/// # Errors
/// The text does not parse into `T` (a constrained scalar also refuses values it does not allow).
pub fn param<T: FromStr>(name: &str, text: &str) -> Result<T, String>
where
    T::Err: Display,
{
    text.parse()
        .map_err(|e| format!("{name}: \"{text}\" does not parse: {e}"))
}

/// The URI and query parameters validate (as a request) and render `expected`, the path with
/// its query string.
///
/// # Errors
/// What is invalid, or both paths.
pub fn renders<P: PathParams + Validate>(params: &P, expected: &str) -> Result<(), String> {
    params
        .validate()
        .map_err(|violations| format!("the example's parameters do not validate:\n{violations}"))?;
    let path = path_of(params);
    if path == expected {
        Ok(())
    } else {
        Err(format!(
            "the example's parameters render another path:\nexpected: {expected}\nrendered: {path}"
        ))
    }
}

/// Parameters with one broken value are refused at `name`: the value does not parse (the error
/// names it, see [`param`]) or validation reports it.
///
/// # Errors
/// The broken parameters were accepted, or refused elsewhere.
pub fn params_refused<P: Validate>(
    build: impl FnOnce() -> Result<P, String>,
    name: &str,
) -> Result<(), String> {
    match build() {
        Err(message) if message.starts_with(&format!("{name}: ")) => Ok(()),
        Err(message) => Err(format!(
            "the broken parameter was refused, but not at `{name}`: {message}"
        )),
        Ok(params) => match params.validate() {
            Ok(()) => Err(format!(
                "the broken parameter `{name}` was accepted; expected a failure there"
            )),
            Err(violations) if violations.iter().any(|v| v.path == name) => Ok(()),
            Err(violations) => Err(format!(
                "the broken parameters failed, but not at `{name}`:\n{violations}"
            )),
        },
    }
}

/// A failure answer of interface `I`: it is `I`'s envelope, its result code is not the success
/// code but a code of the catalogue, and its result member, when present and not `null`, is the
/// interface's failure detail (or `{}` for an interface that declares none).
///
/// # Errors
/// It is not the envelope, it is a success, its code is unknown, or its detail does not decode.
pub fn failure<I: Interface>(json: &str) -> Result<(), String> {
    let answer = I::ENVELOPE
        .read(json.as_bytes())
        .map_err(|e| format!("the failure example is not the envelope: {e}"))?;
    if I::ENVELOPE.is_success(&answer.retcode) {
        return Err(format!(
            "the failure example carries the success code {}",
            answer.retcode
        ));
    }
    if I::PROTOCOL.meaning(&answer.retcode).is_none() {
        return Err(format!(
            "the failure example's code {} is not in the error catalogue",
            answer.retcode
        ));
    }
    let Some(raw) = answer.result else {
        return Ok(());
    };
    if TypeId::of::<I::Failure>() == TypeId::of::<NoDetail>() {
        let empty = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(raw.get())
            .is_ok_and(|members| members.is_empty());
        return if empty {
            Ok(())
        } else {
            Err(format!(
                "the failure example carries a result ({}), but the interface declares no failure detail",
                raw.get()
            ))
        };
    }
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    serde_path_to_error::deserialize::<_, I::Failure>(&mut deserializer)
        .map(drop)
        .map_err(|e| {
            format!(
                "the failure detail does not decode at `{}`: {}",
                e.path(),
                e.inner()
            )
        })
}
