//! Syntactic classification of field types, used to reject rules that cannot apply.
//!
//! Only types recognised with certainty are classified; anything else (aliases, user types) is
//! [`Shape::Other`] and left to the trait bounds in the expansion, whose errors are spanned on
//! the field.

use syn::{GenericArgument, PathArguments, Type};

/// What a type is known to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Int,
    Float,
    Bool,
    Char,
    Str,
    Array,
    Map,
    Other,
}

impl Shape {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Shape::Int => "an integer",
            Shape::Float => "a floating-point number",
            Shape::Bool => "a boolean",
            Shape::Char => "a `char`",
            Shape::Str => "a string",
            Shape::Array => "an array",
            Shape::Map => "a map",
            Shape::Other => "this type",
        }
    }
}

pub(crate) const INTEGERS: &[&str] = &[
    "i8", "i16", "i32", "i64", "isize", "u8", "u16", "u32", "u64", "usize",
];

/// The last path segment of a plain path type (`std::string::String` -> `String`).
pub(crate) fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        Type::Group(group) => last_segment(&group.elem),
        Type::Paren(paren) => last_segment(&paren.elem),
        _ => None,
    }
}

/// The single generic type argument of `Wrapper<T>` if `ty`'s last segment is `wrapper`.
pub(crate) fn generic_arg<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    let segment = last_segment(ty)?;
    if segment.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    let first = types.next()?;
    types.next().is_none().then_some(first)
}

/// `T` for `Option<T>`.
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    generic_arg(ty, "Option")
}

/// The shape of `ty`, looking through `Option`, `Box` and references.
pub(crate) fn shape(ty: &Type) -> Shape {
    if let Type::Reference(reference) = ty {
        return shape(&reference.elem);
    }
    if let Type::Slice(_) | Type::Array(_) = ty {
        return Shape::Array;
    }
    if let Some(inner) = option_inner(ty).or_else(|| generic_arg(ty, "Box")) {
        return shape(inner);
    }
    let Some(segment) = last_segment(ty) else {
        return Shape::Other;
    };
    let name = segment.ident.to_string();
    match name.as_str() {
        n if INTEGERS.contains(&n) => Shape::Int,
        "f32" | "f64" => Shape::Float,
        "bool" => Shape::Bool,
        "char" => Shape::Char,
        "String" | "str" => Shape::Str,
        "Vec" | "VecDeque" => Shape::Array,
        "HashMap" | "BTreeMap" => Shape::Map,
        _ => Shape::Other,
    }
}

/// Whether `ty` is written as a plain `Ident` among `names` (no generics).
pub(crate) fn is_named(ty: &Type, names: &[&str]) -> bool {
    last_segment(ty).is_some_and(|segment| {
        segment.arguments.is_none() && names.iter().any(|n| segment.ident == n)
    })
}

/// Whether `ty` is certain to have nothing to validate without rules: Rust's own scalars and
/// strings, and `Option`, `Box`, `Vec`, slices, arrays and references of them. A field of such a
/// type with no rules expands to nothing, which keeps derives on wide structs small.
pub(crate) fn is_inert(ty: &Type) -> bool {
    match ty {
        Type::Reference(reference) => is_inert(&reference.elem),
        Type::Slice(slice) => is_inert(&slice.elem),
        Type::Array(array) => is_inert(&array.elem),
        Type::Group(group) => is_inert(&group.elem),
        Type::Paren(paren) => is_inert(&paren.elem),
        _ => {
            if let Some(inner) = ["Option", "Box", "Vec"]
                .iter()
                .find_map(|wrapper| generic_arg(ty, wrapper))
            {
                return is_inert(inner);
            }
            is_named(ty, INTEGERS) || is_named(ty, &["f32", "f64", "bool", "char", "String", "str"])
        }
    }
}
