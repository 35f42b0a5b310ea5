//! The response envelope every gateway answer is wrapped in, and the gateway's failure answer
//! ([`GatewayError`]). Used by both the generic client and the generic server.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::code::CodeEnum;

/// A response envelope (`{"message": ..., "retcode": ..., "result": ...}`), implemented by the
/// generated envelope types so that the generic client and server can build and take apart the
/// envelope of any interface.
///
/// ```
/// use gatespec::{EnvelopeParts, ResponseEnvelope};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize)]
/// struct Envelope<R> {
///     message: String,
///     retcode: String,
///     result: Option<R>,
/// }
///
/// impl<R: Serialize + serde::de::DeserializeOwned + Send + 'static> ResponseEnvelope for Envelope<R> {
///     type Result = R;
///     fn success(result: R) -> Self {
///         Envelope { message: String::new(), retcode: "0".to_owned(), result: Some(result) }
///     }
///     fn failure(retcode: &str, message: String) -> Self {
///         Envelope { message, retcode: retcode.to_owned(), result: None }
///     }
///     fn retcode(&self) -> std::borrow::Cow<'_, str> {
///         self.retcode.as_str().into()
///     }
///     fn into_parts(self) -> EnvelopeParts<R> {
///         EnvelopeParts::new(self.retcode == "0", self.retcode, self.message, self.result)
///     }
/// }
///
/// let parts = Envelope::<u8>::failure("100-006", "not signed in".to_owned()).into_parts();
/// assert!(!parts.success);
/// assert_eq!(parts.retcode, "100-006");
/// ```
pub trait ResponseEnvelope: Serialize + DeserializeOwned + Send + 'static {
    /// What a successful call carries in `result`.
    type Result;

    /// The envelope of a successful call: the success code, an empty message and `result`.
    fn success(result: Self::Result) -> Self;

    /// The envelope of a failed call: `retcode` (the code's wire text) and `message`, no result.
    fn failure(retcode: &str, message: String) -> Self;

    /// The result code, written as text.
    fn retcode(&self) -> Cow<'_, str>;

    /// Takes the envelope apart.
    fn into_parts(self) -> EnvelopeParts<Self::Result>;
}

/// The parts of a [`ResponseEnvelope`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EnvelopeParts<R> {
    /// Whether the result code is the success code.
    pub success: bool,
    /// The result code as received (written as text).
    pub retcode: String,
    /// The message as received.
    pub message: String,
    /// The result, when present and not `null`.
    pub result: Option<R>,
}

impl<R> EnvelopeParts<R> {
    /// Parts from their values.
    pub fn new(success: bool, retcode: String, message: String, result: Option<R>) -> Self {
        Self {
            success,
            retcode,
            message,
            result,
        }
    }
}

/// A failure answered by the gateway: the envelope's result code and message, kept verbatim,
/// with the code looked up in the gateway's error catalogue `E`.
///
/// Servers return it from handlers; clients get it in `ClientError::Gateway`.
///
/// ```
/// use gatespec::{CodeEnum, GatewayError};
///
/// #[derive(CodeEnum, Debug, Clone, PartialEq)]
/// #[code(string)]
/// enum ErrorCode {
///     #[code("100-006", meaning = "The agent has not signed in.")]
///     NotSignedIn,
///     #[code(other)]
///     Other(String),
/// }
///
/// let known = GatewayError::from_wire("100-006", "");
/// assert_eq!(known.code(), Some(&ErrorCode::NotSignedIn));
/// assert!(known.is_known());
/// assert_eq!(known.to_string(), "gateway error 100-006 (The agent has not signed in.)");
///
/// let unknown = GatewayError::<ErrorCode>::from_wire("999-999", "Unknown ERROR._10086");
/// assert_eq!(unknown.code(), Some(&ErrorCode::Other("999-999".to_owned())));
/// assert!(!unknown.is_known());
/// assert_eq!(unknown.retcode(), "999-999");
/// assert_eq!(unknown.to_string(), "gateway error 999-999: Unknown ERROR._10086");
///
/// let mine = GatewayError::new(ErrorCode::NotSignedIn);
/// assert_eq!((mine.retcode(), mine.message()), ("100-006", "The agent has not signed in."));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayError<E> {
    retcode: String,
    message: String,
    code: Option<E>,
}

impl<E: CodeEnum> GatewayError<E> {
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

impl<E> GatewayError<E> {
    /// The result code, verbatim.
    pub fn retcode(&self) -> &str {
        &self.retcode
    }

    /// The message, verbatim.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl<E: CodeEnum> fmt::Display for GatewayError<E> {
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

impl<E: CodeEnum + fmt::Debug> std::error::Error for GatewayError<E> {}
