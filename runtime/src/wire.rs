//! Named scalars that travel in another JSON type than their own: an agent ID is a string in a
//! URI (`AgentId`) and a JSON number in some bodies (`"destAgentNo": 2001`). Generated code puts
//! `#[serde(with = "gatespec::wire::number")]` (or `text`) on such fields, so the field keeps the
//! scalar's type, its rules and their edition overrides.
//!
//! ```
//! use gatespec::Constrained;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Constrained, Debug, Clone, PartialEq)]
//! #[constrained(range(min = 101, max = 59999))]
//! struct AgentId(String);
//!
//! #[derive(Serialize, Deserialize, Debug)]
//! #[serde(rename_all = "camelCase")]
//! struct ShiftPresident {
//!     #[serde(with = "gatespec::wire::number")]
//!     dest_agent_no: AgentId,
//! }
//!
//! let body: ShiftPresident = serde_json::from_str(r#"{"destAgentNo":2001}"#).unwrap();
//! assert_eq!(body.dest_agent_no, AgentId::try_from("2001").unwrap());
//! assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"destAgentNo":2001}"#);
//! // The scalar's range applies, and a string is not a number.
//! assert!(serde_json::from_str::<ShiftPresident>(r#"{"destAgentNo":60000}"#).is_err());
//! assert!(serde_json::from_str::<ShiftPresident>(r#"{"destAgentNo":"2001"}"#).is_err());
//! ```

/// A scalar written as a JSON integer: its text form (`Display`/`FromStr`) is a decimal
/// integer, as a string scalar with a `range` guarantees.
pub mod number {
    use std::fmt::Display;
    use std::str::FromStr;

    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the value as a JSON integer.
    ///
    /// # Errors
    /// The value's text is not an integer (a scalar without a `range`).
    pub fn serialize<T: Display, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let text = value.to_string();
        match text.parse::<i64>() {
            Ok(number) => serializer.serialize_i64(number),
            Err(_) => Err(S::Error::custom(format!("\"{text}\" is not an integer"))),
        }
    }

    /// Reads a JSON integer into the scalar, which checks its rules.
    ///
    /// # Errors
    /// Not an integer, or the scalar refuses it.
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        let number = i64::deserialize(deserializer)?;
        number.to_string().parse().map_err(D::Error::custom)
    }

    /// [`number`](self) for optional fields: `None` is left out or `null`.
    pub mod option {
        use std::fmt::Display;
        use std::str::FromStr;

        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes `Some` as a JSON integer, `None` as `null`.
        ///
        /// # Errors
        /// The value's text is not an integer.
        pub fn serialize<T: Display, S: Serializer>(
            value: &Option<T>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads `null` as `None`, a JSON integer as the scalar.
        ///
        /// # Errors
        /// Not an integer, or the scalar refuses it.
        pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
        where
            T: FromStr,
            T::Err: Display,
            D: Deserializer<'de>,
        {
            match Option::<i64>::deserialize(deserializer)? {
                Some(number) => number
                    .to_string()
                    .parse()
                    .map(Some)
                    .map_err(serde::de::Error::custom),
                None => Ok(None),
            }
        }
    }
}

/// A number scalar written as a JSON string of digits (`"120"`).
pub mod text {
    use std::fmt::Display;
    use std::str::FromStr;

    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the value as a JSON string.
    ///
    /// # Errors
    /// Only the serializer's own.
    pub fn serialize<T: Display, S: Serializer>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads a JSON string into the scalar, which parses it and checks its rules.
    ///
    /// # Errors
    /// Not a string, or the scalar refuses it.
    pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(D::Error::custom)
    }

    /// [`text`](self) for optional fields: `None` is left out or `null`.
    pub mod option {
        use std::fmt::Display;
        use std::str::FromStr;

        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes `Some` as a JSON string, `None` as `null`.
        ///
        /// # Errors
        /// Only the serializer's own.
        pub fn serialize<T: Display, S: Serializer>(
            value: &Option<T>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => serializer.collect_str(value),
                None => serializer.serialize_none(),
            }
        }

        /// Reads `null` as `None`, a JSON string as the scalar.
        ///
        /// # Errors
        /// Not a string, or the scalar refuses it.
        pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
        where
            T: FromStr,
            T::Err: Display,
            D: Deserializer<'de>,
        {
            match Option::<String>::deserialize(deserializer)? {
                Some(text) => text.parse().map(Some).map_err(serde::de::Error::custom),
                None => Ok(None),
            }
        }
    }
}
