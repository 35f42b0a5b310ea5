//! The checks behind the `#[validate(..)]` rules, usable from hand-written
//! [`Validate`](crate::Validate) impls.
//!
//! Each check looks through `Option` (an absent value passes; use [`required`] to demand it) and
//! records at most one violation at the context's current path. None allocates unless it records
//! a violation.
//!
//! ```
//! use gatespec::{rules, LengthUnit, Validate, ValidationContext};
//!
//! struct Address {
//!     address: String,
//! }
//!
//! impl Validate for Address {
//!     fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
//!         rules::length(&self.address, None, Some(24), LengthUnit::Bytes, &mut ctx.field("address"));
//!     }
//! }
//!
//! let err = Address { address: "1".repeat(30) }.validate().unwrap_err();
//! assert!(err.to_string().starts_with("address: \"111"));
//! assert!(err.to_string().ends_with("is 30 bytes long, expected at most 24 bytes"));
//! ```

use std::borrow::Cow;
use std::fmt;

use crate::code::{CodeEnum, CodeOf, CodeRepr, QuotedCode, fmt_codes};
use crate::render::Quoted;
use crate::validate::{Direction, ValidationContext};
use crate::violation::{Constraint, Invalid, LengthUnit};

/// What a range rule sees in a value.
#[derive(Clone, Copy, Debug)]
pub enum Numeric<'a> {
    /// No value (`None`): nothing to check.
    Absent,
    /// An integer.
    Int(i128),
    /// A string that must hold a decimal integer.
    Text(&'a str),
}

/// Values a `range` rule applies to: integers and numeric strings (and `Option`s of them).
#[diagnostic::on_unimplemented(
    message = "`range` cannot check a `{Self}`",
    label = "`range` needs an integer or a numeric string here",
    note = "`range` applies to integer types, `String`/`str` holding a decimal integer, and `Option`s of those; use `length` for string lengths and `items` for arrays"
)]
pub trait RangeValue {
    /// The value as a range rule sees it.
    fn numeric(&self) -> Numeric<'_>;
}

macro_rules! range_int {
    ($($int:ty),*) => {$(
        impl RangeValue for $int {
            #[inline]
            fn numeric(&self) -> Numeric<'_> {
                Numeric::Int(i128::from(*self))
            }
        }
    )*};
}

range_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl RangeValue for isize {
    #[inline]
    fn numeric(&self) -> Numeric<'_> {
        // isize is at most 64 bits on every supported target.
        Numeric::Int(*self as i128)
    }
}

impl RangeValue for usize {
    #[inline]
    fn numeric(&self) -> Numeric<'_> {
        Numeric::Int(*self as i128)
    }
}

impl RangeValue for str {
    #[inline]
    fn numeric(&self) -> Numeric<'_> {
        Numeric::Text(self)
    }
}

impl RangeValue for String {
    #[inline]
    fn numeric(&self) -> Numeric<'_> {
        Numeric::Text(self)
    }
}

impl<T: RangeValue + ?Sized> RangeValue for &T {
    #[inline]
    fn numeric(&self) -> Numeric<'_> {
        (**self).numeric()
    }
}

impl<T: RangeValue + ?Sized> RangeValue for Box<T> {
    #[inline]
    fn numeric(&self) -> Numeric<'_> {
        (**self).numeric()
    }
}

impl<T: RangeValue> RangeValue for Option<T> {
    #[inline]
    fn numeric(&self) -> Numeric<'_> {
        match self {
            Some(value) => value.numeric(),
            None => Numeric::Absent,
        }
    }
}

/// Parses a decimal integer: an optional `-`, then ASCII digits only (leading zeros allowed; no
/// `+`, spaces or exponent). `None` if `text` is not one or does not fit in an `i128`.
pub fn parse_decimal(text: &str) -> Option<i128> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn in_bounds<T: PartialOrd>(value: &T, min: Option<T>, max: Option<T>) -> bool {
    min.is_none_or(|min| *value >= min) && max.is_none_or(|max| *value <= max)
}

/// `range(min, max)`: the integer (or decimal-integer string) must be in `min..=max`.
pub fn range<T: RangeValue + ?Sized>(
    value: &T,
    min: Option<i128>,
    max: Option<i128>,
    ctx: &mut ValidationContext<'_>,
) {
    match value.numeric() {
        Numeric::Absent => {}
        Numeric::Int(n) => {
            if !in_bounds(&n, min, max) {
                ctx.report(Constraint::Range { min, max }, n);
            }
        }
        Numeric::Text(text) => match parse_decimal(text) {
            Some(n) if in_bounds(&n, min, max) => {}
            Some(_) => ctx.report(Constraint::Range { min, max }, Quoted(text)),
            None => ctx.report(Constraint::Integer { min, max }, Quoted(text)),
        },
    }
}

/// Values a `length` rule applies to: strings (and `Option`s of them).
#[diagnostic::on_unimplemented(
    message = "`length` cannot measure a `{Self}`",
    label = "`length` needs a string here",
    note = "`length` applies to `String`, `str`, `Cow<str>` and `Option`s of those; use `items` for arrays and `range` for numbers"
)]
pub trait LengthValue {
    /// The string to measure, or `None` if absent.
    fn text(&self) -> Option<&str>;
}

impl LengthValue for str {
    #[inline]
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl LengthValue for String {
    #[inline]
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl LengthValue for Cow<'_, str> {
    #[inline]
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: LengthValue + ?Sized> LengthValue for &T {
    #[inline]
    fn text(&self) -> Option<&str> {
        (**self).text()
    }
}

impl<T: LengthValue + ?Sized> LengthValue for Box<T> {
    #[inline]
    fn text(&self) -> Option<&str> {
        (**self).text()
    }
}

impl<T: LengthValue> LengthValue for Option<T> {
    #[inline]
    fn text(&self) -> Option<&str> {
        self.as_ref().and_then(LengthValue::text)
    }
}

/// `length(min, max, unit)`: the string's length in `unit` must be in `min..=max`.
pub fn length<T: LengthValue + ?Sized>(
    value: &T,
    min: Option<usize>,
    max: Option<usize>,
    unit: LengthUnit,
    ctx: &mut ValidationContext<'_>,
) {
    let Some(text) = value.text() else { return };
    // Counting bytes is O(1); counting characters stops as soon as the maximum is exceeded, so
    // a huge string costs no more than `max` steps here.
    let actual = match (unit, max) {
        (LengthUnit::Chars, Some(max)) => text.chars().take(max.saturating_add(1)).count(),
        _ => unit.measure(text),
    };
    if !in_bounds(&actual, min, max) {
        let actual = unit.measure(text);
        ctx.report(
            Constraint::Length {
                min,
                max,
                unit,
                actual,
            },
            Quoted(text),
        );
    }
}

/// Values an `items` rule applies to: arrays (and `Option`s of them).
#[diagnostic::on_unimplemented(
    message = "`items` cannot count the items of a `{Self}`",
    label = "`items` needs an array (`Vec`, slice or array) here",
    note = "`items` applies to `Vec<T>`, `[T]`, `[T; N]` and `Option`s of those; use `length` for strings"
)]
pub trait ItemsValue {
    /// The number of items, or `None` if absent.
    fn count(&self) -> Option<usize>;
}

impl<T> ItemsValue for Vec<T> {
    #[inline]
    fn count(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<T> ItemsValue for [T] {
    #[inline]
    fn count(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl<T, const N: usize> ItemsValue for [T; N] {
    #[inline]
    fn count(&self) -> Option<usize> {
        Some(N)
    }
}

impl<T: ItemsValue + ?Sized> ItemsValue for &T {
    #[inline]
    fn count(&self) -> Option<usize> {
        (**self).count()
    }
}

impl<T: ItemsValue> ItemsValue for Option<T> {
    #[inline]
    fn count(&self) -> Option<usize> {
        self.as_ref().and_then(ItemsValue::count)
    }
}

struct ItemCount(usize);

impl fmt::Display for ItemCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} items]", self.0)
    }
}

/// `items(min, max)`: the array must have `min..=max` items.
pub fn items<T: ItemsValue + ?Sized>(
    value: &T,
    min: Option<usize>,
    max: Option<usize>,
    ctx: &mut ValidationContext<'_>,
) {
    let Some(actual) = value.count() else { return };
    if !in_bounds(&actual, min, max) {
        ctx.report(Constraint::Items { min, max, actual }, ItemCount(actual));
    }
}

/// `required`: the optional value must be present.
pub fn required<T>(value: &Option<T>, ctx: &mut ValidationContext<'_>) {
    if value.is_none() {
        ctx.report(Constraint::Required, "");
    }
}

/// `custom = check`: runs `check` and records its failure, if any.
pub fn custom<T: ?Sized>(
    value: &T,
    check: impl FnOnce(&T) -> Result<(), Invalid>,
    ctx: &mut ValidationContext<'_>,
) {
    if let Err(invalid) = check(value) {
        ctx.report_invalid(invalid);
    }
}

/// A regular expression of a `pattern` rule, compiled on first use and then shared.
///
/// The derive checks the expression at compile time; [`pattern`] reports an expression that
/// still fails to compile as a violation rather than panicking.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: std::sync::OnceLock<Option<regex_lite::Regex>>,
}

impl Pattern {
    /// A pattern for `source` (not compiled yet).
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// The expression as written.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `text` matches (an expression that does not compile matches nothing).
    pub fn is_match(&self, text: &str) -> bool {
        self.compiled
            .get_or_init(|| regex_lite::Regex::new(self.source).ok())
            .as_ref()
            .is_some_and(|re| re.is_match(text))
    }
}

/// `pattern = ".."`: the string must match the regular expression (absent values pass).
///
/// ```
/// use gatespec::Validate;
///
/// #[derive(Validate)]
/// struct Dial {
///     /// Digits, `*` and `#` only.
///     #[validate(pattern = "^[0-9*#]+$")]
///     digits: String,
/// }
///
/// assert!(Dial { digits: "*99#".into() }.validate().is_ok());
/// let violations = Dial { digits: "12a".into() }.validate().unwrap_err();
/// assert_eq!(violations.to_string(), "digits: \"12a\" does not match `^[0-9*#]+$`");
/// ```
pub fn pattern<T: LengthValue + ?Sized>(
    value: &T,
    pattern: &Pattern,
    ctx: &mut ValidationContext<'_>,
) {
    let Some(text) = value.text() else { return };
    if !pattern.is_match(text) {
        ctx.report(
            Constraint::Pattern {
                pattern: pattern.source,
            },
            Quoted(text),
        );
    }
}

/// Values a `codes` rule applies to: a code, and `Option`s and arrays of codes.
#[diagnostic::on_unimplemented(
    message = "`codes` cannot check a `{Self}`",
    label = "`codes` needs a code enum here",
    note = "`codes` applies to `#[derive(CodeEnum)]` enums and to `Option`s, `Vec`s and slices of them"
)]
pub trait CodeValues {
    /// The code table.
    type Code: CodeEnum;

    /// Calls `check` with every code held, each with the context at its path.
    fn each_code(
        &self,
        ctx: &mut ValidationContext<'_>,
        check: &mut dyn FnMut(&Self::Code, &mut ValidationContext<'_>),
    );
}

impl<T: CodeEnum> CodeValues for T {
    type Code = T;

    fn each_code(
        &self,
        ctx: &mut ValidationContext<'_>,
        check: &mut dyn FnMut(&T, &mut ValidationContext<'_>),
    ) {
        check(self, ctx);
    }
}

impl<T: CodeValues> CodeValues for Option<T> {
    type Code = T::Code;

    fn each_code(
        &self,
        ctx: &mut ValidationContext<'_>,
        check: &mut dyn FnMut(&T::Code, &mut ValidationContext<'_>),
    ) {
        if let Some(value) = self {
            value.each_code(ctx, check);
        }
    }
}

impl<T: CodeValues> CodeValues for [T] {
    type Code = T::Code;

    fn each_code(
        &self,
        ctx: &mut ValidationContext<'_>,
        check: &mut dyn FnMut(&T::Code, &mut ValidationContext<'_>),
    ) {
        for (i, value) in self.iter().enumerate() {
            value.each_code(&mut ctx.index(i), check);
        }
    }
}

impl<T: CodeValues> CodeValues for Vec<T> {
    type Code = T::Code;

    fn each_code(
        &self,
        ctx: &mut ValidationContext<'_>,
        check: &mut dyn FnMut(&T::Code, &mut ValidationContext<'_>),
    ) {
        self.as_slice().each_code(ctx, check);
    }
}

/// Codes of `T`, written the way messages show them.
struct CodeList<'a, T: CodeEnum>(&'a [CodeOf<'static, T>]);

impl<T: CodeEnum> fmt::Display for CodeList<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_codes::<T>(f, self.0.iter().map(|c| T::Repr::shorten(*c)))
    }
}

/// `codes(..)`: the field takes only some codes of its table (`codes(2)` on a `PlayMode`), in
/// both directions. Looks through `Option` and into arrays.
///
/// ```
/// use gatespec::{CodeEnum, Validate};
///
/// #[derive(CodeEnum, Debug, Clone, Copy, PartialEq)]
/// #[code(int)]
/// enum PlayMode {
///     #[code(1, meaning = "play a tone")]
///     Tone,
///     #[code(2, meaning = "play a specified file")]
///     File,
/// }
///
/// #[derive(Validate)]
/// #[serde(rename_all = "camelCase")]
/// struct Hold {
///     #[validate(codes(2))]
///     play_mode: Option<PlayMode>,
/// }
///
/// assert!(Hold { play_mode: Some(PlayMode::File) }.validate().is_ok());
/// let violations = Hold { play_mode: Some(PlayMode::Tone) }.validate().unwrap_err();
/// assert_eq!(violations.to_string(), "playMode: 1 is not one of the accepted PlayMode codes 2");
/// ```
pub fn codes<T: CodeValues + ?Sized>(
    value: &T,
    accepted: &'static [CodeOf<'static, T::Code>],
    ctx: &mut ValidationContext<'_>,
) {
    value.each_code(ctx, &mut |code, ctx| {
        let found = code.code();
        let listed = accepted
            .iter()
            .any(|a| <<T::Code as CodeEnum>::Repr as CodeRepr>::shorten(*a) == found);
        if !listed {
            ctx.report(
                Constraint::Code {
                    table: T::Code::NAME,
                    accepted: CodeList::<T::Code>(accepted).to_string(),
                },
                QuotedCode::<T::Code>(found),
            );
        }
    });
}

/// In a request, the code must be one the table lists: the fallback variant of a table that
/// keeps unlisted codes only in responses is refused. Used by `#[derive(CodeEnum)]` for
/// `#[code(other, refuse_in_requests)]`.
pub fn listed_in_requests<T: CodeEnum>(value: &T, ctx: &mut ValidationContext<'_>) {
    if ctx.direction() == Direction::Request && !value.is_known() {
        let accepted = T::CODES.iter().map(|entry| entry.code).collect::<Vec<_>>();
        ctx.report(
            Constraint::Code {
                table: T::NAME,
                accepted: CodeList::<T>(&accepted).to_string(),
            },
            QuotedCode::<T>(value.code()),
        );
    }
}

/// `value < bound`: a number must stay below another field's value. Give each as the gateway
/// reads it (an absent field with a default as that default); the rule passes when either is
/// unknown.
///
/// ```
/// use gatespec::{Validate, ValidationContext, rules};
///
/// struct Conference {
///     time: Option<i32>,
///     prompt_time: Option<i32>,
/// }
///
/// impl Validate for Conference {
///     fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
///         // `time` is 60 when absent.
///         let time = Some(i128::from(self.time.unwrap_or(60)));
///         let prompt = self.prompt_time.map(i128::from);
///         rules::less_than(prompt, time, "time", &mut ctx.field("promptTime"));
///     }
/// }
///
/// assert!(Conference { time: None, prompt_time: Some(5) }.validate().is_ok());
/// let violations = Conference { time: Some(4), prompt_time: Some(5) }.validate().unwrap_err();
/// assert_eq!(violations.to_string(), "promptTime: 5 is not less than `time` (4)");
/// ```
pub fn less_than(
    value: Option<i128>,
    bound: Option<i128>,
    bound_field: &'static str,
    ctx: &mut ValidationContext<'_>,
) {
    if let (Some(value), Some(bound)) = (value, bound)
        && value >= bound
    {
        ctx.report(
            Constraint::LessThan {
                field: bound_field,
                bound,
            },
            value,
        );
    }
}

/// An optional value may only be set when `condition_holds` (`` `mediaability` is 1 ``, as
/// `condition` documents it).
pub fn meaningful_only_if<T>(
    value: &Option<T>,
    condition_holds: bool,
    condition: &'static str,
    ctx: &mut ValidationContext<'_>,
) {
    if value.is_some() && !condition_holds {
        ctx.report(Constraint::MeaningfulOnlyIf { condition }, "");
    }
}

/// The number of items of an array (0 when absent), for [`at_most_total`].
pub fn item_count<T: ItemsValue + ?Sized>(value: &T) -> i128 {
    value
        .count()
        .map_or(0, |n| i128::try_from(n).unwrap_or(i128::MAX))
}

/// Several fields together (array lengths, numbers) must not exceed `max`; reported at the
/// object that holds them.
///
/// ```
/// use gatespec::{Validate, ValidationContext, rules};
///
/// struct Invite {
///     phones: Vec<String>,
///     agents: Vec<String>,
/// }
///
/// impl Validate for Invite {
///     fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
///         let counts = [self.phones.len() as i128, self.agents.len() as i128];
///         rules::at_most_total(&counts, &["phones", "agents"], 3, ctx);
///     }
/// }
///
/// let invite = Invite { phones: vec!["1".into(); 2], agents: vec!["2".into(); 2] };
/// assert_eq!(
///     invite.validate().unwrap_err().to_string(),
///     "`phones` and `agents` total 4, expected at most 3"
/// );
/// ```
pub fn at_most_total(
    counts: &[i128],
    fields: &'static [&'static str],
    max: i128,
    ctx: &mut ValidationContext<'_>,
) {
    let actual = counts.iter().copied().fold(0_i128, i128::saturating_add);
    if actual > max {
        ctx.report(
            Constraint::Total {
                fields,
                max,
                actual,
            },
            "",
        );
    }
}
