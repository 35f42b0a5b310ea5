//! What validation reports: [`Violation`]s, each naming a path, a [`Constraint`] and a value.

use std::borrow::Cow;
use std::fmt;

/// The unit of a string length constraint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum LengthUnit {
    /// Unicode scalar values (`str::chars().count()`), the default.
    #[default]
    Chars,
    /// UTF-8 bytes (`str::len()`), for vendor limits such as "max 24 bytes".
    Bytes,
}

impl LengthUnit {
    /// The length of `s` in this unit.
    pub fn measure(self, s: &str) -> usize {
        match self {
            LengthUnit::Chars => s.chars().count(),
            LengthUnit::Bytes => s.len(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            LengthUnit::Chars => "characters",
            LengthUnit::Bytes => "bytes",
        }
    }
}

/// The rule a value broke.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Constraint {
    /// `#[validate(range(..))]`: the number is outside `min..=max`.
    Range {
        /// Inclusive lower bound.
        min: Option<i128>,
        /// Inclusive upper bound.
        max: Option<i128>,
    },
    /// `#[validate(range(..))]` on a string: the string is not a decimal integer at all.
    Integer {
        /// Inclusive lower bound.
        min: Option<i128>,
        /// Inclusive upper bound.
        max: Option<i128>,
    },
    /// `#[validate(length(..))]`: the string is too short or too long.
    Length {
        /// Inclusive lower bound.
        min: Option<usize>,
        /// Inclusive upper bound.
        max: Option<usize>,
        /// What is counted.
        unit: LengthUnit,
        /// The length found.
        actual: usize,
    },
    /// `#[validate(items(..))]`: the array has too few or too many items.
    Items {
        /// Inclusive lower bound.
        min: Option<usize>,
        /// Inclusive upper bound.
        max: Option<usize>,
        /// The number of items found.
        actual: usize,
    },
    /// `#[validate(pattern = "..")]`: the string does not match the regular expression.
    Pattern {
        /// The expression.
        pattern: &'static str,
    },
    /// `#[validate(required)]`: a mandatory field is absent or null.
    Required,
    /// A code the field does not accept: outside the field's `#[validate(codes(..))]`, or a
    /// code the table does not list in a request (see [`Direction`](crate::Direction)).
    Code {
        /// The code table (`AddressType`).
        table: &'static str,
        /// The accepted codes, as written on the wire (`"6", "9"`).
        accepted: String,
    },
    /// `rules::less_than`: the number is not below another field's value.
    LessThan {
        /// The wire name of the other field.
        field: &'static str,
        /// The other field's value (or what the gateway assumes for it).
        bound: i128,
    },
    /// `rules::meaningful_only_if`: the field is set while the condition that gives it a
    /// meaning does not hold.
    MeaningfulOnlyIf {
        /// The condition, as documented (`` `mediaability` is 1 ``).
        condition: &'static str,
    },
    /// `rules::at_most_total`: several fields together exceed a total.
    Total {
        /// The wire names of the fields counted together.
        fields: &'static [&'static str],
        /// The largest allowed total.
        max: i128,
        /// The total found.
        actual: i128,
    },
    /// A `custom` check failed with this message.
    Custom {
        /// The message returned by the check.
        message: Cow<'static, str>,
    },
}

/// Writes `min..=max`, `min..` or `..=max`.
pub(crate) struct Bounds<T>(pub(crate) Option<T>, pub(crate) Option<T>);

impl<T: fmt::Display> fmt::Display for Bounds<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.0, &self.1) {
            (Some(min), Some(max)) => write!(f, "{min}..={max}"),
            (Some(min), None) => write!(f, "{min}.."),
            (None, Some(max)) => write!(f, "..={max}"),
            (None, None) => f.write_str(".."),
        }
    }
}

fn fmt_count(f: &mut fmt::Formatter<'_>, min: Option<usize>, max: Option<usize>) -> fmt::Result {
    match (min, max) {
        (Some(min), Some(max)) if min == max => write!(f, "exactly {min}"),
        (Some(min), Some(max)) => write!(f, "{min} to {max}"),
        (Some(min), None) => write!(f, "at least {min}"),
        (None, Some(max)) => write!(f, "at most {max}"),
        (None, None) => f.write_str("any number of"),
    }
}

/// One broken rule: where (`path`), which rule (`constraint`) and the offending `value`.
///
/// `Display` gives `result.confs[3].addresses[0].role: 7 is not in 0..=1`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// JSON-style path of the value from the validated root, using wire (serde) names, e.g.
    /// `result.confs[3].addresses[0].role`. Empty for the root itself.
    pub path: String,
    /// The broken rule.
    pub constraint: Constraint,
    /// The offending value, rendered JSON-style (strings quoted and cut after 64 characters,
    /// arrays summarised). Empty when there is nothing to show (a missing field).
    pub value: String,
}

impl Violation {
    /// A violation at `path`.
    pub fn new(path: impl Into<String>, constraint: Constraint, value: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            constraint,
            value: value.into(),
        }
    }

    /// The message without the path, e.g. `7 is not in 0..=1`.
    pub fn message(&self) -> impl fmt::Display + '_ {
        Message(self)
    }
}

struct Message<'a>(&'a Violation);

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = &self.0.value;
        match &self.0.constraint {
            Constraint::Range { min, max } => write!(f, "{value} is not in {}", Bounds(*min, *max)),
            Constraint::Integer { min, max } => write!(
                f,
                "{value} is not a decimal integer in {}",
                Bounds(*min, *max)
            ),
            Constraint::Length {
                min,
                max,
                unit,
                actual,
            } => {
                write!(f, "{value} is {actual} {} long, expected ", unit.name())?;
                fmt_count(f, *min, *max)?;
                write!(f, " {}", unit.name())
            }
            Constraint::Items { min, max, actual } => {
                write!(f, "array has {actual} items, expected ")?;
                fmt_count(f, *min, *max)?;
                f.write_str(" items")
            }
            Constraint::Pattern { pattern } => write!(f, "{value} does not match `{pattern}`"),
            Constraint::Required => f.write_str("is required but missing"),
            Constraint::Code { table, accepted } => {
                write!(
                    f,
                    "{value} is not one of the accepted {table} codes {accepted}"
                )
            }
            Constraint::LessThan { field, bound } => {
                write!(f, "{value} is not less than `{field}` ({bound})")
            }
            Constraint::MeaningfulOnlyIf { condition } => {
                write!(f, "is set, but it is only meaningful when {condition}")
            }
            Constraint::Total {
                fields,
                max,
                actual,
            } => {
                for (i, field) in fields.iter().enumerate() {
                    match i {
                        0 => write!(f, "`{field}`")?,
                        i if i + 1 == fields.len() => write!(f, " and `{field}`")?,
                        _ => write!(f, ", `{field}`")?,
                    }
                }
                write!(f, " total {actual}, expected at most {max}")
            }
            Constraint::Custom { message } if value.is_empty() => f.write_str(message),
            Constraint::Custom { message } => write!(f, "{value}: {message}"),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message())
        } else {
            write!(f, "{}: {}", self.path, self.message())
        }
    }
}

impl std::error::Error for Violation {}

/// Every violation found by one validation, at most [`limit`](Violations::limit) of them.
///
/// `Display` writes one violation per line, then a note if the limit cut the list short.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violations {
    list: Vec<Violation>,
    limit: usize,
    truncated: bool,
}

impl Violations {
    /// The default cap on collected violations.
    pub const DEFAULT_LIMIT: usize = 100;

    /// An empty collection that keeps at most `limit` violations (at least one). Does not
    /// allocate.
    pub const fn with_limit(limit: usize) -> Self {
        Self {
            list: Vec::new(),
            limit: if limit == 0 { 1 } else { limit },
            truncated: false,
        }
    }

    /// Records a violation; once the limit is reached, only notes that more were found.
    pub fn push(&mut self, violation: Violation) {
        if self.is_full() {
            self.truncated = true;
        } else {
            self.list.push(violation);
        }
    }

    /// Whether the limit is reached (further violations are dropped and validation stops early).
    pub fn is_full(&self) -> bool {
        self.list.len() >= self.limit
    }

    /// The cap on collected violations.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Whether validation stopped at the limit: violations were dropped, or may have been
    /// found had it gone on.
    pub fn is_truncated(&self) -> bool {
        self.truncated || self.is_full()
    }

    /// Marks the list as cut short.
    pub(crate) fn set_truncated(&mut self) {
        self.truncated = true;
    }

    /// The number of collected violations.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether nothing was collected.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The collected violations, in the order found (field declaration order, depth first).
    pub fn as_slice(&self) -> &[Violation] {
        &self.list
    }

    /// Iterates over the collected violations.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.list.iter()
    }

    /// The collected violations.
    pub fn into_vec(self) -> Vec<Violation> {
        self.list
    }
}

impl Default for Violations {
    fn default() -> Self {
        Self::with_limit(Self::DEFAULT_LIMIT)
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.list.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{violation}")?;
        }
        if self.is_truncated() {
            write!(
                f,
                "\n(stopped after {} violations; there may be more)",
                self.limit
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// The failure of a `custom` check: a message, optionally with the offending value.
///
/// ```
/// use gatespec::Invalid;
///
/// fn not_blank(s: &String) -> Result<(), Invalid> {
///     if s.trim().is_empty() {
///         return Err(Invalid::new("must not be blank"));
///     }
///     Ok(())
/// }
/// assert_eq!(not_blank(&" ".to_owned()).unwrap_err().message(), "must not be blank");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    message: Cow<'static, str>,
    value: Option<String>,
}

impl Invalid {
    /// A failure with this message.
    pub fn new(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            message: message.into(),
            value: None,
        }
    }

    /// Attaches the offending value, rendered as it should appear in the message.
    pub fn with_value(mut self, value: impl fmt::Display) -> Self {
        self.value = Some(value.to_string());
        self
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The rendered offending value, if attached.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    pub(crate) fn into_parts(self) -> (Constraint, String) {
        (
            Constraint::Custom {
                message: self.message,
            },
            self.value.unwrap_or_default(),
        )
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Invalid {}
