//! The [`Validate`](trait@Validate) trait and the [`ValidationContext`] that carries the current
//! path and collects violations.

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};
use std::rc::Rc;
use std::sync::Arc;

use crate::violation::{Constraint, Invalid, Violation, Violations};

/// A value that can check itself against the interface's rules.
///
/// Derive it with `#[derive(Validate)]` (see the derive for the attribute syntax). Every field of
/// a derived struct is validated recursively, so every field type must implement `Validate`:
/// scalars, strings, code enums and constrained values do so trivially, and `Option`, `Vec`,
/// slices, arrays, `Box`, `Rc`, `Arc` and string-keyed maps validate their contents.
///
/// ```
/// use gatespec::Validate;
///
/// #[derive(Validate)]
/// #[serde(rename_all = "camelCase")]
/// # #[derive(serde::Deserialize)]
/// struct QueryConfInfos {
///     #[validate(items(min = 1, max = 20))]
///     conf_ids: Vec<i64>,
/// }
///
/// let ok = QueryConfInfos { conf_ids: vec![1029888] };
/// assert!(ok.validate().is_ok());
/// let err = QueryConfInfos { conf_ids: vec![] }.validate().unwrap_err();
/// assert_eq!(err.to_string(), "confIds: array has 0 items, expected 1 to 20 items");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `gatespec::Validate`",
    label = "fields of a `#[derive(Validate)]` type are validated recursively",
    note = "derive `Validate` for `{Self}`, implement it by hand (an empty impl accepts every value), or mark the field `#[validate(skip)]`"
)]
pub trait Validate {
    /// The direction [`validate`](Validate::validate) checks in: [`Direction::Request`], or
    /// [`Direction::Response`] for a type only ever received from a gateway (an interface's
    /// result; `#[validate(response)]` on the struct), so that codes a table keeps are not
    /// reported as violations.
    const DIRECTION: Direction = Direction::Request;

    /// Checks `self`, recording violations in `ctx` at `ctx`'s path.
    ///
    /// Implementations must not allocate unless they record a violation; the default accepts
    /// every value.
    fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
        let _ = ctx;
    }

    /// Checks `self` and returns every violation (at most [`Violations::DEFAULT_LIMIT`]).
    ///
    /// Does not allocate when `self` is valid.
    ///
    /// # Errors
    /// The violations found, in field order.
    fn validate(&self) -> Result<(), Violations> {
        self.validate_with_limit(Violations::DEFAULT_LIMIT)
    }

    /// Like [`validate`](Validate::validate), collecting at most `limit` violations; validation
    /// stops early once the limit is reached.
    ///
    /// # Errors
    /// The violations found, in field order.
    fn validate_with_limit(&self, limit: usize) -> Result<(), Violations> {
        validate_in(self, Self::DIRECTION, limit)
    }

    /// Checks `self` as a message received from a gateway ([`Direction::Response`]): codes a
    /// table keeps without listing them pass, where a request would be refused.
    ///
    /// # Errors
    /// The violations found, in field order.
    fn validate_response(&self) -> Result<(), Violations> {
        validate_in(self, Direction::Response, Violations::DEFAULT_LIMIT)
    }
}

fn validate_in<T: Validate + ?Sized>(
    value: &T,
    direction: Direction,
    limit: usize,
) -> Result<(), Violations> {
    let mut violations = Violations::with_limit(limit);
    value.validate_into(&mut ValidationContext::with_direction(
        &mut violations,
        direction,
    ));
    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

/// Which way a validated message travels.
///
/// A server accepts less than a client keeps: a code table may keep the codes it does not list
/// when a gateway sends them (so that a newer gateway does not break clients) and still refuse
/// them in requests (so that a server answers them with its invalid-parameter code). Rules that
/// depend on it ask [`ValidationContext::direction`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Client to gateway: what a client sends and a server accepts. The default.
    #[default]
    Request,
    /// Gateway to client: what a client receives.
    Response,
}

/// One step of a path: a field (by wire name), an array index, or a map key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    /// A struct field, by its wire name.
    Field(&'static str),
    /// An array item.
    Index(usize),
    /// A map entry.
    Key(&'a str),
}

#[derive(Clone, Copy, Debug)]
struct PathNode<'a> {
    parent: Option<&'a PathNode<'a>>,
    segment: Option<Segment<'a>>,
}

/// Where validation currently is, and where violations go.
///
/// Entering a field, item or key ([`field`](Self::field), [`index`](Self::index),
/// [`key`](Self::key)) makes a child context on the stack: the path is a chain of stack frames
/// and only becomes a `String` when a violation is recorded, so valid input costs no allocation.
///
/// ```
/// use gatespec::{Constraint, ValidationContext, Violations};
///
/// let mut violations = Violations::default();
/// let mut root = ValidationContext::new(&mut violations);
/// let mut confs = root.field("confs");
/// confs.index(3).field("role").report(Constraint::Range { min: Some(0), max: Some(1) }, 7);
/// assert_eq!(violations.as_slice()[0].to_string(), "confs[3].role: 7 is not in 0..=1");
/// ```
#[derive(Debug)]
pub struct ValidationContext<'a> {
    sink: &'a mut Violations,
    node: PathNode<'a>,
    direction: Direction,
}

impl<'a> ValidationContext<'a> {
    /// A root context recording into `sink`, validating a request.
    pub fn new(sink: &'a mut Violations) -> Self {
        Self::with_direction(sink, Direction::Request)
    }

    /// A root context recording into `sink`, validating a message travelling `direction`.
    pub fn with_direction(sink: &'a mut Violations, direction: Direction) -> Self {
        Self {
            sink,
            node: PathNode {
                parent: None,
                segment: None,
            },
            direction,
        }
    }

    fn child<'b>(&'b mut self, segment: Option<Segment<'b>>) -> ValidationContext<'b> {
        ValidationContext {
            sink: &mut *self.sink,
            node: PathNode {
                parent: Some(&self.node),
                segment,
            },
            direction: self.direction,
        }
    }

    /// Which way the validated message travels.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The same path, validating a message received from a gateway (the result member of an
    /// envelope): see [`Direction`].
    pub fn response(&mut self) -> ValidationContext<'_> {
        let mut child = self.child(None);
        child.direction = Direction::Response;
        child
    }

    /// The context of the field with wire name `name`.
    pub fn field(&mut self, name: &'static str) -> ValidationContext<'_> {
        self.child(Some(Segment::Field(name)))
    }

    /// The context of the array item at `index`.
    pub fn index(&mut self, index: usize) -> ValidationContext<'_> {
        self.child(Some(Segment::Index(index)))
    }

    /// The context of the map entry `key`.
    pub fn key<'b>(&'b mut self, key: &'b str) -> ValidationContext<'b> {
        self.child(Some(Segment::Key(key)))
    }

    /// Whether the violation limit is reached; long loops should stop early when it is.
    pub fn is_full(&self) -> bool {
        self.sink.is_full()
    }

    /// Records a violation of `constraint` by `value` at the current path.
    ///
    /// `value` is rendered only if the violation is kept (the limit is not reached).
    pub fn report(&mut self, constraint: Constraint, value: impl fmt::Display) {
        if self.sink.is_full() {
            self.sink.set_truncated();
            return;
        }
        let violation = Violation::new(self.path(), constraint, value.to_string());
        self.sink.push(violation);
    }

    /// Records a failed `custom` check at the current path.
    pub fn report_invalid(&mut self, invalid: Invalid) {
        let (constraint, value) = invalid.into_parts();
        self.report(constraint, value);
    }

    /// The current path rendered JSON-style (`result.confs[3].role`); allocates.
    pub fn path(&self) -> String {
        let mut segments = Vec::new();
        let mut node = Some(&self.node);
        while let Some(n) = node {
            if let Some(segment) = n.segment {
                segments.push(segment);
            }
            node = n.parent;
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            // Writing to a String cannot fail.
            let _ = match segment {
                Segment::Field(name) if out.is_empty() => write!(out, "{name}"),
                Segment::Field(name) => write!(out, ".{name}"),
                Segment::Index(i) => write!(out, "[{i}]"),
                Segment::Key(key) => write!(out, "[{}]", crate::render::Quoted(key)),
            };
        }
        out
    }
}

macro_rules! trivially_valid {
    ($($ty:ty),* $(,)?) => {$(
        impl Validate for $ty {
            #[inline]
            fn validate_into(&self, _: &mut ValidationContext<'_>) {}
        }
    )*};
}

trivially_valid!(
    bool,
    char,
    str,
    String,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    f32,
    f64,
    ()
);

impl<T: Validate + ?Sized> Validate for &T {
    #[inline]
    fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
        (**self).validate_into(ctx);
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    #[inline]
    fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
        (**self).validate_into(ctx);
    }
}

impl<T: Validate + ?Sized> Validate for Rc<T> {
    #[inline]
    fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
        (**self).validate_into(ctx);
    }
}

impl<T: Validate + ?Sized> Validate for Arc<T> {
    #[inline]
    fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
        (**self).validate_into(ctx);
    }
}

impl<T: Validate> Validate for Option<T> {
    #[inline]
    fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
        if let Some(value) = self {
            value.validate_into(ctx);
        }
    }
}

impl<T: Validate> Validate for [T] {
    fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
        for (i, item) in self.iter().enumerate() {
            if ctx.is_full() {
                return;
            }
            item.validate_into(&mut ctx.index(i));
        }
    }
}

impl<T: Validate, const N: usize> Validate for [T; N] {
    fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
        self.as_slice().validate_into(ctx);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
        self.as_slice().validate_into(ctx);
    }
}

fn validate_entries<'m, K, V, I>(entries: I, ctx: &mut ValidationContext<'_>)
where
    K: AsRef<str> + 'm,
    V: Validate + 'm,
    I: Iterator<Item = (&'m K, &'m V)>,
{
    for (key, value) in entries {
        if ctx.is_full() {
            return;
        }
        value.validate_into(&mut ctx.key(key.as_ref()));
    }
}

impl<K: AsRef<str>, V: Validate> Validate for BTreeMap<K, V> {
    fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
        validate_entries(self.iter(), ctx);
    }
}

impl<K: AsRef<str>, V: Validate, S> Validate for HashMap<K, V, S> {
    fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
        validate_entries(self.iter(), ctx);
    }
}
