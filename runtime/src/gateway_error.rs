//! A failure answered by a gateway ([`GatewayError`]), with the typed detail some interfaces send
//! only on failure, and [`NoDetail`] for the interfaces that declare none.

use std::fmt;

use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

use crate::code::CodeEnum;

/// The failure detail of an interface that declares none: no value of it exists, so a
/// `GatewayError<E, NoDetail>` never carries a detail and nothing is decoded for one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoDetail {}

impl Serialize for NoDetail {
    fn serialize<S: Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

impl<'de> Deserialize<'de> for NoDetail {
    fn deserialize<D: Deserializer<'de>>(_deserializer: D) -> Result<Self, D::Error> {
        Err(de::Error::custom(
            "the interface declares no failure detail",
        ))
    }
}

/// A failure answered by the gateway: the envelope's result code and message, kept verbatim,
/// the code looked up in the gateway's error catalogue `E`, and, for interfaces that declare a
/// failure-only result, its typed detail `D` (such as the cause a device passed through).
///
/// Servers return it from handlers (the detail, if any, is written in the envelope's result
/// member); clients get it in `ClientError::Gateway`, with the detail when the answer's result
/// decodes as `D` (an answer whose result does not is still this failure, without detail).
///
/// ```
/// use gatespec::{CodeEnum, GatewayError};
///
/// #[derive(CodeEnum, Debug, Clone, PartialEq)]
/// #[code(string)]
/// enum ErrorCode {
///     #[code("E-6", meaning = "Sign in first.")]
///     NotSignedIn,
///     #[code("E-7", meaning = "The operation failed.")]
///     Failed,
///     #[code(other)]
///     Other(String),
/// }
///
/// let known: GatewayError<ErrorCode> = GatewayError::from_wire("E-6", "");
/// assert_eq!(known.code(), Some(&ErrorCode::NotSignedIn));
/// assert!(known.is_known());
/// assert_eq!(known.to_string(), "gateway error E-6 (Sign in first.)");
///
/// let unknown: GatewayError<ErrorCode> = GatewayError::from_wire("999", "Unknown ERROR._10086");
/// assert_eq!(unknown.code(), Some(&ErrorCode::Other("999".to_owned())));
/// assert!(!unknown.is_known());
/// assert_eq!(unknown.to_string(), "gateway error 999: Unknown ERROR._10086");
///
/// // A failure with a typed detail (the interface's failure-only result).
/// #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
/// struct Cause {
///     #[serde(rename = "errorReason")]
///     error_reason: i32,
/// }
/// let failed = GatewayError::new(ErrorCode::Failed).with_detail(Cause { error_reason: 3 });
/// assert_eq!((failed.retcode(), failed.message()), ("E-7", "The operation failed."));
/// assert_eq!(failed.detail(), Some(&Cause { error_reason: 3 }));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayError<E, D = NoDetail> {
    retcode: String,
    message: String,
    code: Option<E>,
    detail: Option<D>,
}

impl<E: CodeEnum, D> GatewayError<E, D> {
    /// A failure with `code`; the message is the catalogue's meaning of the code.
    pub fn new(code: E) -> Self {
        let message = code.description().to_owned();
        Self::with_message(code, message)
    }

    /// A failure with `code` and `message`.
    pub fn with_message(code: E, message: impl Into<String>) -> Self {
        Self {
            retcode: code.code().to_string(),
            message: message.into(),
            code: Some(code),
            detail: None,
        }
    }

    /// A failure as received: `retcode` and `message` are kept verbatim; the code is looked up
    /// in the catalogue (a catalogue with a fallback variant keeps unknown codes there).
    pub fn from_wire(retcode: impl Into<String>, message: impl Into<String>) -> Self {
        let retcode = retcode.into();
        let code = crate::code::parse::<E>(&retcode).ok();
        Self {
            retcode,
            message: message.into(),
            code,
            detail: None,
        }
    }

    /// The catalogue entry; `None` only for a code that a catalogue without fallback variant
    /// does not list.
    pub fn code(&self) -> Option<&E> {
        self.code.as_ref()
    }

    /// Whether the catalogue lists the code.
    pub fn is_known(&self) -> bool {
        self.code.as_ref().is_some_and(CodeEnum::is_known)
    }

    /// The catalogue's meaning of the code, when it lists it.
    pub fn meaning(&self) -> Option<&'static str> {
        self.code
            .as_ref()
            .filter(|c| c.is_known())
            .map(CodeEnum::description)
    }
}

impl<E, D> GatewayError<E, D> {
    /// The failure with its detail (the interface's failure-only result), which a server writes
    /// in the envelope's result member.
    #[must_use]
    pub fn with_detail(mut self, detail: D) -> Self {
        self.detail = Some(detail);
        self
    }

    /// The result code, verbatim.
    pub fn retcode(&self) -> &str {
        &self.retcode
    }

    /// The message, verbatim.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The failure's detail, when the interface declares one and the answer carried it.
    pub fn detail(&self) -> Option<&D> {
        self.detail.as_ref()
    }

    /// The failure's detail, by value.
    pub fn into_detail(self) -> Option<D> {
        self.detail
    }

    /// Sets the detail as received (`None`: the answer carried none that decodes).
    #[cfg(feature = "client")]
    pub(crate) fn set_detail(&mut self, detail: Option<D>) {
        self.detail = detail;
    }
}

impl<E> GatewayError<E, NoDetail> {
    /// This failure, which carries no detail, as a failure of an interface that declares one
    /// (so that helpers returning `GatewayError<E>` serve such interfaces too:
    /// `.map_err(GatewayError::allow_detail)?`).
    pub fn allow_detail<D>(self) -> GatewayError<E, D> {
        GatewayError {
            retcode: self.retcode,
            message: self.message,
            code: self.code,
            detail: None,
        }
    }
}

impl<E: CodeEnum, D> fmt::Display for GatewayError<E, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gateway error {}", self.retcode)?;
        match self.meaning() {
            Some(meaning) if meaning == self.message || self.message.is_empty() => {
                write!(f, " ({meaning})")
            }
            Some(meaning) => write!(f, " ({meaning}): {}", self.message),
            None if self.message.is_empty() => Ok(()),
            None => write!(f, ": {}", self.message),
        }
    }
}

impl<E: CodeEnum + fmt::Debug, D: fmt::Debug> std::error::Error for GatewayError<E, D> {}
