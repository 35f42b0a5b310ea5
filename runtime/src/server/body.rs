//! Decoding a request body into the interface's request type.
//!
//! JSON has one number type, and JSON Schema (so the exported OpenAPI document) counts a number
//! with a zero fraction, `120.0`, as an integer. Such a number is taken as that integer; `120.5`
//! is still refused, and so is an integral number at or beyond 2^53 written as a float, which
//! parsing may have rounded. Bodies without such a number decode straight from the bytes; only a
//! body the strict decoding refuses for a floating-point number is decoded again with its
//! integral numbers written as integers.

use serde::de::DeserializeOwned;
use serde_json::{Number, Value};

/// `bytes` as `T`, or why not (with the JSON path of the member at fault, found from the error's
/// position: no path-tracking deserializer is compiled per request type).
pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let strict = match serde_json::from_slice(bytes) {
        Ok(body) => return Ok(body),
        Err(e) => e,
    };
    if strict.to_string().contains("invalid type: floating point")
        && let Ok(mut value) = serde_json::from_slice::<Value>(bytes)
        && integral_floats_as_integers(&mut value)
        && let Ok(rewritten) = serde_json::to_vec(&value)
    {
        // Decoded from bytes again rather than from the `Value`, with the same deserializer
        // as above: one decoder per request type.
        // Positions in the rewritten text are not the client's: the path says where.
        return serde_json::from_slice(&rewritten).map_err(|e| {
            let position = format!(" at line {} column {}", e.line(), e.column());
            let message = e.to_string();
            describe(&rewritten, &e, message.trim_end_matches(&position))
        });
    }
    Err(describe(bytes, &strict, &strict.to_string()))
}

fn describe(bytes: &[u8], e: &serde_json::Error, message: &str) -> String {
    let path = std::str::from_utf8(bytes).map_or_else(
        |_| ".".to_owned(),
        |json| crate::json_path::path_of(json, e),
    );
    match path.as_str() {
        "." => format!("invalid request body: {message}"),
        _ => format!("invalid request body at `{path}`: {message}"),
    }
}

/// 2^53: the integers up to it are exact as f64.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

/// Rewrites every number with a zero fraction (below 2^53) as an integer; whether there was one.
fn integral_floats_as_integers(value: &mut Value) -> bool {
    match value {
        Value::Number(number) if number.is_f64() => {
            let Some(float) = number.as_f64() else {
                return false;
            };
            // Below 2^53 every integer is exact as f64; beyond it the number may have been
            // rounded on parsing (an integer out of i64's range becomes one in it), so it
            // stays refused.
            let integral = float.fract() == 0.0 && float.abs() < MAX_EXACT;
            if integral {
                *number = Number::from(float as i64);
            }
            integral
        }
        // Every member is rewritten: no short-circuit.
        Value::Array(items) => {
            let mut any = false;
            for item in items {
                any |= integral_floats_as_integers(item);
            }
            any
        }
        Value::Object(members) => {
            let mut any = false;
            for member in members.values_mut() {
                any |= integral_floats_as_integers(member);
            }
            any
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Request {
        member_num: i32,
        ids: Vec<i64>,
        ratio: Option<f64>,
    }

    #[test]
    fn integral_numbers_with_a_fraction_are_integers() {
        let body: Request =
            decode(br#"{"memberNum": 120.0, "ids": [1, 2.0, -3e0], "ratio": 0.5}"#).unwrap();
        assert_eq!(
            body,
            Request {
                member_num: 120,
                ids: vec![1, 2, -3],
                ratio: Some(0.5)
            }
        );
    }

    #[test]
    fn fractions_and_other_errors_are_refused_with_the_member_at_fault() {
        let reason = decode::<Request>(br#"{"memberNum": 1.5, "ids": []}"#).unwrap_err();
        assert_eq!(
            reason,
            "invalid request body at `memberNum`: invalid type: floating point `1.5`, expected i32 at line 1 column 17"
        );
        let reason = decode::<Request>(br#"{"memberNum": 1e300, "ids": []}"#).unwrap_err();
        assert!(
            reason.starts_with("invalid request body at `memberNum`: invalid type: floating point"),
            "{reason}"
        );
        // Integral, but beyond i32.
        let reason = decode::<Request>(br#"{"memberNum": 3e9, "ids": []}"#).unwrap_err();
        assert_eq!(
            reason,
            "invalid request body at `memberNum`: invalid value: integer `3000000000`, expected i32"
        );
        // The member at fault, not the integral number before it.
        let reason = decode::<Request>(br#"{"memberNum": 3.0, "ids": [1.5]}"#).unwrap_err();
        assert!(
            reason.starts_with(
                "invalid request body at `ids[0]`: invalid type: floating point `1.5`"
            ),
            "{reason}"
        );
        // Beyond i64 (parsed as a float, rounded to -2^63): refused, not taken as i64::MIN.
        let reason =
            decode::<Request>(br#"{"memberNum": 1, "ids": [-9223372036854775809]}"#).unwrap_err();
        assert!(
            reason.starts_with("invalid request body at `ids[0]`: invalid type: floating point"),
            "{reason}"
        );
        let reason =
            decode::<Request>(br#"{"memberNum": 1, "ids": [9007199254740992.0]}"#).unwrap_err();
        assert!(
            reason.starts_with("invalid request body at `ids[0]`: invalid type: floating point"),
            "{reason}"
        );
        let reason = decode::<Request>(br#"{"memberNum": 1, "ids": []} x"#).unwrap_err();
        assert!(
            reason.starts_with("invalid request body: trailing characters"),
            "{reason}"
        );
    }
}
