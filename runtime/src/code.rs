//! Code tables: enums whose variants stand for wire codes (`confState: 0`, `addressType: "6"`).
//!
//! The [`CodeEnum`](trait@CodeEnum) trait is implemented by `#[derive(CodeEnum)]`; see the derive's
//! documentation for the attribute syntax.

use core::fmt;
use core::hash::Hash;
use std::borrow::Cow;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;

/// A table of wire codes, implemented by `#[derive(CodeEnum)]`.
///
/// Bring the trait into scope (`use gatespec::CodeEnum;`, which also imports the derive) to call
/// [`code`](CodeEnum::code), [`from_code`](CodeEnum::from_code) and
/// [`description`](CodeEnum::description).
///
/// ```
/// use gatespec::CodeEnum;
///
/// #[derive(CodeEnum, Debug, PartialEq)]
/// #[code(int)]
/// enum Role {
///     #[code(0, meaning = "participant")]
///     Participant,
///     #[code(1, meaning = "chairperson")]
///     Chairperson,
/// }
///
/// assert_eq!(Role::Chairperson.code(), 1);
/// assert_eq!(Role::from_code(0).ok(), Some(Role::Participant));
/// assert_eq!(Role::Participant.description(), "participant");
/// let listed: Vec<_> = Role::CODES.iter().map(|e| (e.code, e.meaning)).collect();
/// assert_eq!(listed, [(0, "participant"), (1, "chairperson")]);
/// ```
pub trait CodeEnum: Sized + 'static {
    /// The representation of a code on the wire: `i32` or `i64` for integer tables, `str` for
    /// string tables.
    type Repr: CodeRepr + ?Sized;

    /// The enum's name, used in error messages.
    const NAME: &'static str;

    /// Every known code with its vendor meaning, in declaration order (the fallback variant, if
    /// any, is not listed).
    const CODES: &'static [CodeEntry<Self::Repr>];

    /// Whether unknown codes are kept in a fallback variant (`#[code(other)]`) instead of being
    /// rejected.
    const HAS_FALLBACK: bool;

    /// The wire code of this value (an integer, or a borrowed string).
    fn code(&self) -> CodeOf<'_, Self>;

    /// The variant for a wire code.
    ///
    /// # Errors
    /// [`UnknownCode`] if the code is not in the table and the enum has no fallback variant.
    fn from_code(code: CodeOf<'_, Self>) -> Result<Self, UnknownCode>;

    /// The vendor's meaning of this code (for the fallback variant: its `meaning`, by default
    /// `"unknown code"`).
    fn description(&self) -> &'static str;

    /// `false` for the fallback variant, `true` for every listed code.
    fn is_known(&self) -> bool;
}

/// The borrowed form of a code of the enum `T`: `i32`/`i64` for integer tables, `&str` for string
/// tables.
pub type CodeOf<'a, T> = <<T as CodeEnum>::Repr as CodeRepr>::Value<'a>;

/// One row of a code table: the wire code and its vendor meaning.
pub struct CodeEntry<R: CodeRepr + ?Sized> {
    /// The wire code.
    pub code: R::Value<'static>,
    /// The vendor's meaning of the code.
    pub meaning: &'static str,
}

impl<R: CodeRepr + ?Sized> Clone for CodeEntry<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: CodeRepr + ?Sized> Copy for CodeEntry<R> {}

impl<R: CodeRepr + ?Sized> fmt::Debug for CodeEntry<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeEntry")
            .field("code", &self.code)
            .field("meaning", &self.meaning)
            .finish()
    }
}

impl<R: CodeRepr + ?Sized> PartialEq for CodeEntry<R> {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code && self.meaning == other.meaning
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for i32 {}
    impl Sealed for i64 {}
    impl Sealed for str {}
}

/// The kinds of wire code a [`CodeEnum`](trait@CodeEnum) can use: `i32`, `i64` and `str`.
///
/// This trait is sealed; its hidden methods are the serde and parsing logic shared by every
/// derived code enum. They are written once per kind of code, not once per table: the number
/// parsing, visitors and messages are compiled three times in all, however many tables a crate
/// has.
pub trait CodeRepr: sealed::Sealed + 'static {
    /// The borrowed code value: the integer itself, or `&'a str`.
    type Value<'a>: Copy + fmt::Debug + fmt::Display + PartialEq + Eq + Hash;

    /// `"integer"` or `"string"`, for messages.
    const KIND: &'static str;

    /// Writes a code the way error messages show it (strings quoted).
    #[doc(hidden)]
    fn fmt_quoted(code: Self::Value<'_>, f: &mut fmt::Formatter<'_>) -> fmt::Result;

    /// A code written in the program (`"6"`, `2`) as a value comparable with a received one.
    #[doc(hidden)]
    fn shorten<'a>(code: Self::Value<'static>) -> Self::Value<'a>;

    /// A table's codes as data for an [`UnknownCode`] message.
    #[doc(hidden)]
    fn listed(codes: &'static [CodeEntry<Self>]) -> ListedCodes;

    /// Serializes a code exactly as on the wire.
    #[doc(hidden)]
    fn serialize_code<S: Serializer>(
        code: Self::Value<'_>,
        serializer: S,
    ) -> Result<S::Ok, S::Error>;

    /// Deserializes the wire code of `T`.
    #[doc(hidden)]
    fn deserialize_code<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: CodeEnum<Repr = Self>;

    /// Parses the textual form of a code of `T`.
    #[doc(hidden)]
    fn parse_code<T>(text: &str) -> Result<T, UnknownCode>
    where
        T: CodeEnum<Repr = Self>;
}

/// The codes of one table, borrowed as data: what an [`UnknownCode`] lists as expected. One
/// non-generic formatter serves every table.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum ListedCodes {
    /// An `i32` table.
    I32(&'static [CodeEntry<i32>]),
    /// An `i64` table.
    I64(&'static [CodeEntry<i64>]),
    /// A string table.
    Str(&'static [CodeEntry<str>]),
}

impl fmt::Display for ListedCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn list<C>(
            f: &mut fmt::Formatter<'_>,
            codes: impl Iterator<Item = C>,
            write: fn(C, &mut fmt::Formatter<'_>) -> fmt::Result,
        ) -> fmt::Result {
            for (i, code) in codes.enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write(code, f)?;
            }
            Ok(())
        }
        match *self {
            Self::I32(codes) => list(f, codes.iter().map(|e| e.code), i32::fmt_quoted),
            Self::I64(codes) => list(f, codes.iter().map(|e| e.code), i64::fmt_quoted),
            Self::Str(codes) => list(f, codes.iter().map(|e| e.code), str::fmt_quoted),
        }
    }
}

/// The one visitor of integer codes, whatever the table: it reads the number, checks it against
/// the table's codes given as data, and hands back a code the table accepts. Refusing inside the
/// visitor lets the deserializer add its position (serde_json's line and column) to the message.
struct IntCodeVisitor {
    name: &'static str,
    listed: ListedCodes,
    keeps_unknown: bool,
}

impl IntCodeVisitor {
    fn admit<E: de::Error>(self, code: i128) -> Result<i64, E> {
        let accepted = match self.listed {
            ListedCodes::I32(codes) => i32::try_from(code)
                .ok()
                .filter(|c| self.keeps_unknown || codes.iter().any(|entry| entry.code == *c))
                .map(i64::from),
            ListedCodes::I64(codes) => i64::try_from(code)
                .ok()
                .filter(|c| self.keeps_unknown || codes.iter().any(|entry| entry.code == *c)),
            // Only integer tables use this visitor.
            ListedCodes::Str(_) => None,
        };
        accepted.ok_or_else(|| {
            E::custom(UnknownCode::with_listed(
                self.name,
                code.to_string(),
                self.listed,
            ))
        })
    }
}

impl Visitor<'_> for IntCodeVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an integer {} code", self.name)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        self.admit(i128::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        self.admit(i128::from(v))
    }
}

macro_rules! int_repr {
    ($($int:ident => $deserialize:ident => $listed:ident),*) => {$(
        impl CodeRepr for $int {
            type Value<'a> = $int;
            const KIND: &'static str = "integer";

            fn fmt_quoted(code: $int, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&code, f)
            }

            fn shorten<'a>(code: $int) -> Self::Value<'a> {
                code
            }

            fn listed(codes: &'static [CodeEntry<Self>]) -> ListedCodes {
                ListedCodes::$listed(codes)
            }

            fn serialize_code<S: Serializer>(code: $int, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&code, serializer)
            }

            fn deserialize_code<'de, D, T>(deserializer: D) -> Result<T, D::Error>
            where
                D: Deserializer<'de>,
                T: CodeEnum<Repr = Self>,
            {
                let code = deserializer.$deserialize(IntCodeVisitor {
                    name: T::NAME,
                    listed: T::Repr::listed(T::CODES),
                    keeps_unknown: T::HAS_FALLBACK,
                })?;
                // The visitor admitted the code, so it fits and `from_code` accepts it.
                <$int>::try_from(code)
                    .map_err(|_| UnknownCode::with_listed(T::NAME, code.to_string(), T::Repr::listed(T::CODES)))
                    .and_then(T::from_code)
                    .map_err(de::Error::custom)
            }

            fn parse_code<T>(text: &str) -> Result<T, UnknownCode>
            where
                T: CodeEnum<Repr = Self>,
            {
                match text.parse::<$int>() {
                    Ok(code) => T::from_code(code),
                    Err(_) => Err(UnknownCode::with_listed(
                        T::NAME,
                        crate::render::Quoted(text).to_string(),
                        T::Repr::listed(T::CODES),
                    )),
                }
            }
        }
    )*};
}

int_repr!(i32 => deserialize_i32 => I32, i64 => deserialize_i64 => I64);

/// The one visitor of string codes, whatever the table; see [`IntCodeVisitor`]. Strings the
/// input lends are borrowed; only a deserializer that cannot lend (a reader) makes a copy.
struct StrCodeVisitor {
    name: &'static str,
    codes: &'static [CodeEntry<str>],
    keeps_unknown: bool,
}

impl StrCodeVisitor {
    fn admit<E: de::Error>(&self, code: &str) -> Result<(), E> {
        if self.keeps_unknown || self.codes.iter().any(|entry| entry.code == code) {
            Ok(())
        } else {
            Err(E::custom(UnknownCode::with_listed(
                self.name,
                crate::render::Quoted(code).to_string(),
                ListedCodes::Str(self.codes),
            )))
        }
    }
}

impl<'de> Visitor<'de> for StrCodeVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string {} code", self.name)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        self.admit(v)?;
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.admit(v)?;
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        self.admit(&v)?;
        Ok(Cow::Owned(v))
    }
}

impl CodeRepr for str {
    type Value<'a> = &'a str;
    const KIND: &'static str = "string";

    fn fmt_quoted(code: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&crate::render::Quoted(code), f)
    }

    fn shorten<'a>(code: &'static str) -> Self::Value<'a> {
        code
    }

    fn listed(codes: &'static [CodeEntry<Self>]) -> ListedCodes {
        ListedCodes::Str(codes)
    }

    fn serialize_code<S: Serializer>(code: &str, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(code)
    }

    fn deserialize_code<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: CodeEnum<Repr = Self>,
    {
        let code = deserializer.deserialize_str(StrCodeVisitor {
            name: T::NAME,
            codes: T::CODES,
            keeps_unknown: T::HAS_FALLBACK,
        })?;
        T::from_code(&code).map_err(de::Error::custom)
    }

    fn parse_code<T>(text: &str) -> Result<T, UnknownCode>
    where
        T: CodeEnum<Repr = Self>,
    {
        T::from_code(text)
    }
}

/// A wire code that is not in an enum's table (and the enum has no fallback variant).
///
/// ```
/// use gatespec::CodeEnum;
///
/// #[derive(CodeEnum, Debug)]
/// #[code(int)]
/// enum ConfState {
///     #[code(0, meaning = "normal conference call")]
///     Normal,
///     #[code(1, meaning = "conference announcement playing")]
///     Announcement,
/// }
///
/// let err = ConfState::from_code(7).unwrap_err();
/// assert_eq!(err.to_string(), "unknown ConfState code 7 (expected one of 0, 1)");
/// let err = serde_json::from_str::<ConfState>("7").unwrap_err();
/// assert!(err.to_string().starts_with("unknown ConfState code 7 (expected one of 0, 1)"));
/// ```
#[derive(Clone)]
pub struct UnknownCode {
    enum_name: &'static str,
    code: String,
    expected: ListedCodes,
}

impl UnknownCode {
    /// The error for `code`, which is not a known code of `T`.
    pub fn new<T: CodeEnum>(code: CodeOf<'_, T>) -> Self {
        Self::with_listed(
            T::NAME,
            QuotedCode::<T>(code).to_string(),
            T::Repr::listed(T::CODES),
        )
    }

    /// The error for the code shown as `code` in the table `listed` of the enum `enum_name`: the
    /// one non-generic constructor every table shares.
    fn with_listed(enum_name: &'static str, code: String, expected: ListedCodes) -> Self {
        Self {
            enum_name,
            code,
            expected,
        }
    }

    /// The name of the enum.
    pub fn enum_name(&self) -> &'static str {
        self.enum_name
    }

    /// The offending code as shown in messages (strings quoted).
    pub fn code(&self) -> &str {
        &self.code
    }
}

/// A code shown the way messages show it (strings quoted).
pub(crate) struct QuotedCode<'a, T: CodeEnum>(pub(crate) CodeOf<'a, T>);

impl<T: CodeEnum> fmt::Display for QuotedCode<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T::Repr::fmt_quoted(self.0, f)
    }
}

/// Writes codes of `T` separated by commas, the way messages show them.
pub(crate) fn fmt_codes<'a, T: CodeEnum>(
    f: &mut fmt::Formatter<'_>,
    codes: impl Iterator<Item = CodeOf<'a, T>>,
) -> fmt::Result {
    for (i, code) in codes.enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        T::Repr::fmt_quoted(code, f)?;
    }
    Ok(())
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} code {} (expected one of ",
            self.enum_name, self.code
        )?;
        write!(f, "{})", self.expected)
    }
}

impl fmt::Debug for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnknownCode")
            .field("enum_name", &self.enum_name)
            .field("code", &self.code)
            .finish_non_exhaustive()
    }
}

impl std::error::Error for UnknownCode {}

/// Serializes `value` as its wire code. Used by `#[derive(CodeEnum)]`.
#[doc(hidden)]
pub fn serialize<T: CodeEnum, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    T::Repr::serialize_code(value.code(), serializer)
}

/// Deserializes a wire code into `T`. Used by `#[derive(CodeEnum)]`.
#[doc(hidden)]
pub fn deserialize<'de, T: CodeEnum, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    T::Repr::deserialize_code(deserializer)
}

/// Parses the textual form of a code. Used by `#[derive(CodeEnum)]` for `FromStr`.
#[doc(hidden)]
pub fn parse<T: CodeEnum>(text: &str) -> Result<T, UnknownCode> {
    T::Repr::parse_code(text)
}

/// Writes the wire code unquoted. Used by `#[derive(CodeEnum)]` for `Display`.
#[doc(hidden)]
pub fn fmt<T: CodeEnum>(value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    fmt::Display::fmt(&value.code(), f)
}
