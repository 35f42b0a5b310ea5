//! The result of an interface whose page documents none.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::Validate;

/// The result of an interface that returns nothing: gateways send `{}`, `null` or leave the
/// member out, and all three decode into this. It is written as `{}`.
///
/// ```
/// use gatespec::NoResult;
/// assert_eq!(serde_json::from_str::<NoResult>("{}").unwrap(), NoResult);
/// assert_eq!(serde_json::from_str::<NoResult>("null").unwrap(), NoResult);
/// assert!(serde_json::from_str::<NoResult>("[1]").is_err());
/// assert_eq!(serde_json::to_string(&NoResult).unwrap(), "{}");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct NoResult;

impl Serialize for NoResult {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

impl<'de> Deserialize<'de> for NoResult {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NoResultVisitor;
        impl<'de> Visitor<'de> for NoResultVisitor {
            type Value = NoResult;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an empty object or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<NoResult, E> {
                Ok(NoResult)
            }
            fn visit_none<E: de::Error>(self) -> Result<NoResult, E> {
                Ok(NoResult)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NoResult, A::Error> {
                // Members a newer gateway adds are ignored, like unknown fields elsewhere.
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(NoResult)
            }
        }
        deserializer.deserialize_any(NoResultVisitor)
    }
}

impl Validate for NoResult {}
