//! Constrained scalars: newtypes that can only hold valid values ("parse, don't validate").
//!
//! The [`Constrained`](trait@Constrained) trait is implemented by `#[derive(Constrained)]`; see
//! the derive's documentation for the attribute syntax.

use std::fmt;

use serde::{Deserialize, Deserializer};

use crate::validate::ValidationContext;
use crate::violation::{Violation, Violations};

/// A newtype whose every value satisfies its rules, implemented by `#[derive(Constrained)]`.
///
/// Values are made with `TryFrom<Inner>`, `FromStr` or serde deserialisation, all of which run
/// [`check`](Constrained::check); there is no other way in.
///
/// ```
/// use gatespec::Constrained;
///
/// #[derive(Constrained, Debug, Clone, PartialEq)]
/// #[constrained(range(min = 101, max = 59999))]
/// struct AgentId(String);
///
/// let id = AgentId::try_from("153".to_owned()).unwrap();
/// assert_eq!(id.get(), "153");
/// assert!(AgentId::check(&"100".to_owned()).is_err());
/// ```
pub trait Constrained: Sized {
    /// The wrapped type (`String` or an integer type).
    type Inner;

    /// The newtype's name, used in error messages.
    const NAME: &'static str;

    /// Checks a candidate inner value against the rules.
    ///
    /// # Errors
    /// The rules `inner` breaks.
    fn check(inner: &Self::Inner) -> Result<(), ConstraintError>;

    /// The wrapped value.
    fn get(&self) -> &Self::Inner;

    /// Unwraps the value.
    fn into_inner(self) -> Self::Inner;
}

/// A value rejected by a constrained newtype.
///
/// ```
/// use gatespec::Constrained;
///
/// #[derive(Constrained, Debug)]
/// #[constrained(range(min = 101, max = 59999))]
/// struct AgentId(String);
///
/// let err = "abc".parse::<AgentId>().unwrap_err();
/// assert_eq!(err.to_string(), "invalid AgentId: \"abc\" is not a decimal integer in 101..=59999");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstraintError {
    type_name: &'static str,
    violations: Violations,
}

impl ConstraintError {
    /// The name of the newtype that rejected the value.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The broken rules (their paths are empty).
    pub fn violations(&self) -> &[Violation] {
        self.violations.as_slice()
    }
}

impl fmt::Display for ConstraintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: ", self.type_name)?;
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}", violation.message())?;
        }
        Ok(())
    }
}

impl std::error::Error for ConstraintError {}

/// Runs `rules` against a root context; used by `#[derive(Constrained)]` to implement
/// [`Constrained::check`]. Does not allocate when the rules pass.
///
/// # Errors
/// The violations `rules` recorded.
#[doc(hidden)]
pub fn check<T: Constrained>(
    rules: impl FnOnce(&mut ValidationContext<'_>),
) -> Result<(), ConstraintError> {
    let mut violations = Violations::with_limit(8);
    rules(&mut ValidationContext::new(&mut violations));
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ConstraintError {
            type_name: T::NAME,
            violations,
        })
    }
}

/// Deserializes the inner value, then checks it. Used by `#[derive(Constrained)]`.
#[doc(hidden)]
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: Constrained + TryFrom<<T as Constrained>::Inner, Error = ConstraintError>,
    T::Inner: Deserialize<'de>,
    D: Deserializer<'de>,
{
    let inner = T::Inner::deserialize(deserializer)?;
    T::try_from(inner).map_err(serde::de::Error::custom)
}

/// Parses text into a constrained integer: the `range` rules run on the text first, so a
/// non-number is reported as such. Used by `#[derive(Constrained)]` for `FromStr`.
#[doc(hidden)]
pub fn parse<T>(
    text: &str,
    rules: impl FnOnce(&str, &mut ValidationContext<'_>),
) -> Result<T, ConstraintError>
where
    T: Constrained + TryFrom<<T as Constrained>::Inner, Error = ConstraintError>,
    T::Inner: std::str::FromStr,
{
    check::<T>(|ctx| rules(text, ctx))?;
    match text.parse::<T::Inner>() {
        Ok(inner) => T::try_from(inner),
        // Unreachable in practice: the range rules accepted a decimal integer in bounds.
        Err(_) => Err(ConstraintError {
            type_name: T::NAME,
            violations: {
                let mut violations = Violations::with_limit(1);
                ValidationContext::new(&mut violations).report(
                    crate::Constraint::Integer {
                        min: None,
                        max: None,
                    },
                    crate::render::Quoted(text),
                );
                violations
            },
        }),
    }
}
