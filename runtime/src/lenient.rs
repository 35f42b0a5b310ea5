//! Values that a vendor documents as booleans or numbers but sends as strings (`"true"`, `"4"`),
//! as some vendors' examples do. Generated code uses these for fields the spec marks
//! `lenient`; the value is still written in its documented type.
//!
//! ```
//! use serde::Deserialize;
//!
//! #[derive(Deserialize)]
//! struct SignIn {
//!     #[serde(deserialize_with = "gatespec::lenient::deserialize")]
//!     status: i32,
//!     #[serde(default, deserialize_with = "gatespec::lenient::deserialize_option")]
//!     releasephone: Option<bool>,
//! }
//!
//! let a: SignIn = serde_json::from_str(r#"{"status":"4","releasephone":"true"}"#).unwrap();
//! let b: SignIn = serde_json::from_str(r#"{"status":4,"releasephone":true}"#).unwrap();
//! assert_eq!((a.status, a.releasephone), (4, Some(true)));
//! assert_eq!((b.status, b.releasephone), (4, Some(true)));
//! assert!(serde_json::from_str::<SignIn>(r#"{"status":"four"}"#).is_err());
//! ```

use std::fmt::Display;
use std::str::FromStr;

use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

fn from_value<T, E>(value: Value) -> Result<T, E>
where
    T: DeserializeOwned + FromStr,
    T::Err: Display,
    E: Error,
{
    match value {
        Value::String(text) => text
            .parse()
            .map_err(|e| E::custom(format!("\"{text}\": {e}"))),
        other => T::deserialize(other).map_err(E::custom),
    }
}

/// Reads a `T` written either as itself or as a string that parses into it.
pub fn deserialize<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + FromStr,
    T::Err: Display,
{
    from_value(Value::deserialize(deserializer)?)
}

/// [`deserialize`] for optional fields: `null` is `None`.
pub fn deserialize_option<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + FromStr,
    T::Err: Display,
{
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(None),
        other => from_value(other).map(Some),
    }
}
