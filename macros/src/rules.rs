//! The value rules shared by `#[validate(..)]` and `#[constrained(..)]`: `range`, `length`,
//! `items`, `pattern`, `codes`, `required`, `custom`, `skip`, and the `response` switch.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::ctxt::Ctxt;
use crate::meta::{IntLit, Item, Value};

/// Inclusive bounds as written.
#[derive(Clone, Debug, Default)]
pub(crate) struct Bounds {
    pub(crate) min: Option<IntLit>,
    pub(crate) max: Option<IntLit>,
    pub(crate) span: Option<Span>,
}

/// What `length` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Chars,
    Bytes,
}

/// The rules on one field (or one constrained newtype).
#[derive(Clone, Debug, Default)]
pub(crate) struct Rules {
    pub(crate) range: Option<Bounds>,
    pub(crate) length: Option<(Bounds, Unit)>,
    pub(crate) items: Option<Bounds>,
    pub(crate) pattern: Option<syn::LitStr>,
    /// `codes(..)`: the accepted codes, as literals.
    pub(crate) codes: Option<(Span, Vec<TokenStream>)>,
    /// `response`: the field is validated as a message received from a gateway.
    pub(crate) response: Option<Span>,
    pub(crate) required: Option<Span>,
    pub(crate) custom: Option<syn::Path>,
    pub(crate) skip: Option<Span>,
}

/// Which keys an attribute accepts, and how to name it in messages.
pub(crate) struct Allowed {
    pub(crate) attr: &'static str,
    pub(crate) keys: &'static [&'static str],
    /// A specific message for a key that is valid elsewhere (e.g. a field rule on a struct).
    pub(crate) misplaced: fn(&str) -> Option<String>,
}

fn no_hint(_: &str) -> Option<String> {
    None
}

pub(crate) const FIELD_RULES: Allowed = Allowed {
    attr: "validate",
    keys: &[
        "range", "length", "items", "pattern", "codes", "required", "custom", "skip", "nested",
        "response",
    ],
    misplaced: no_hint,
};

fn one_of(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    quoted.join(", ")
}

/// A close known key for a misspelt one (Levenshtein distance at most 2).
pub(crate) fn suggest<'a>(unknown: &str, keys: &[&'a str]) -> Option<&'a str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                let sub = prev[j] + usize::from(ca != *cb);
                cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
            }
            prev = cur;
        }
        prev[b.len()]
    }
    keys.iter()
        .map(|k| (distance(unknown, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// The message for an unknown key.
/// `place` names where the key was found, e.g. `#[validate(..)]` or `length(..)`.
pub(crate) fn unknown_key(place: &str, key: &str, keys: &[&str]) -> String {
    let mut msg = format!("unknown key `{key}` in `{place}`");
    if let Some(close) = suggest(key, keys) {
        msg.push_str(&format!("; did you mean `{close}`?"));
    }
    msg.push_str(&format!("\nexpected one of {}", one_of(keys)));
    msg
}

fn parse_bounds(cx: &mut Ctxt, rule: &syn::Ident, items: &[Item], non_negative: bool) -> Bounds {
    let mut bounds = Bounds {
        span: Some(rule.span()),
        ..Bounds::default()
    };
    let mut reported = false;
    for item in items {
        let (key, value) = match item {
            Item::NameValue(key, value) if key == "min" || key == "max" => (key, value),
            Item::NameValue(key, _) | Item::Flag(key) | Item::List(key, _)
                if key != "min" && key != "max" =>
            {
                let allowed: &[&str] = if rule == "length" {
                    &["min", "max", "unit"]
                } else {
                    &["min", "max"]
                };
                if !(rule == "length" && key == "unit") {
                    reported = true;
                    cx.error_spanned(
                        key,
                        unknown_key(&format!("{rule}(..)"), &key.to_string(), allowed),
                    );
                }
                continue;
            }
            other => {
                reported = true;
                cx.error_at(
                    other.span(),
                    format!("expected `min = <integer>` or `max = <integer>` in `{rule}(..)`"),
                );
                continue;
            }
        };
        let Value::Int(int) = value else {
            reported = true;
            cx.error_at(
                value.span(),
                format!(
                    "`{key}` must be an integer literal, found {}; e.g. `{rule}({key} = 24)`",
                    value.describe()
                ),
            );
            continue;
        };
        if non_negative && (int.value < 0 || int.value > i128::from(u32::MAX)) {
            reported = true;
            cx.error_at(
                int.span,
                format!(
                    "`{rule}` bounds are counts: `{key}` must be between 0 and {}",
                    u32::MAX
                ),
            );
            continue;
        }
        let slot = if key == "min" {
            &mut bounds.min
        } else {
            &mut bounds.max
        };
        if slot.is_some() {
            cx.error_spanned(key, format!("duplicate `{key}` in `{rule}(..)`"));
        }
        *slot = Some(int.clone());
    }
    match (&bounds.min, &bounds.max) {
        (None, None) if !reported => cx.error_spanned(
            rule,
            format!("`{rule}` needs `min`, `max` or both, e.g. `{rule}(min = 1, max = 20)`"),
        ),
        (Some(min), Some(max)) if min.value > max.value => cx.error_at(
            max.span,
            format!(
                "`{rule}` has min {} greater than max {}: no value could pass; swap the bounds",
                min.text, max.text
            ),
        ),
        _ => {}
    }
    bounds
}

fn parse_unit(cx: &mut Ctxt, items: &[Item]) -> Unit {
    let mut unit = Unit::Chars;
    for item in items {
        match item {
            Item::NameValue(key, Value::Str(lit)) if key == "unit" => match lit.value().as_str() {
                "chars" | "characters" => unit = Unit::Chars,
                "bytes" => unit = Unit::Bytes,
                other => cx.error_spanned(
                    lit,
                    format!(
                        "unknown length unit \"{other}\": use \"chars\" (the default) or \"bytes\""
                    ),
                ),
            },
            Item::NameValue(key, value) if key == "unit" => cx.error_at(
                value.span(),
                "`unit` must be a string: `unit = \"chars\"` or `unit = \"bytes\"`",
            ),
            _ => {}
        }
    }
    unit
}

impl Rules {
    /// Interprets `items`, recording every problem in `cx`.
    pub(crate) fn parse(cx: &mut Ctxt, items: &[Item], allowed: &Allowed) -> Rules {
        let mut rules = Rules::default();
        for item in items {
            let Some(key) = item.key() else {
                cx.error_at(
                    item.span(),
                    format!(
                        "expected a rule name in `#[{}(..)]`, one of {}",
                        allowed.attr,
                        one_of(allowed.keys)
                    ),
                );
                continue;
            };
            let name = key.to_string();
            if !allowed.keys.contains(&name.as_str()) {
                if let Some(hint) = (allowed.misplaced)(&name) {
                    cx.error_spanned(key, hint);
                    continue;
                }
                cx.error_spanned(
                    key,
                    unknown_key(&format!("#[{}(..)]", allowed.attr), &name, allowed.keys),
                );
                continue;
            }
            let duplicate = match name.as_str() {
                "range" => rules.range.is_some(),
                "length" => rules.length.is_some(),
                "items" => rules.items.is_some(),
                "pattern" => rules.pattern.is_some(),
                "codes" => rules.codes.is_some(),
                "response" => rules.response.is_some(),
                "required" => rules.required.is_some(),
                "custom" => rules.custom.is_some(),
                "skip" => rules.skip.is_some(),
                _ => false,
            };
            if duplicate {
                let fix = match item {
                    Item::List(..) => format!("merge the bounds into one `{name}(..)`"),
                    _ => "remove the repetition".to_owned(),
                };
                cx.error_spanned(key, format!("duplicate `{name}` rule: {fix}"));
                continue;
            }
            match (name.as_str(), item) {
                ("range", Item::List(key, args)) => {
                    rules.range = Some(parse_bounds(cx, key, args, false));
                }
                ("length", Item::List(key, args)) => {
                    let bounds = parse_bounds(cx, key, args, true);
                    rules.length = Some((bounds, parse_unit(cx, args)));
                }
                ("items", Item::List(key, args)) => {
                    rules.items = Some(parse_bounds(cx, key, args, true));
                }
                ("codes", Item::List(key, args)) => {
                    rules.codes = parse_codes(cx, key, args).map(|codes| (key.span(), codes));
                }
                ("codes", _) => cx.error_spanned(
                    key,
                    "`codes` takes the accepted codes: `codes(2)` or `codes(\"6\", \"9\")`",
                ),
                ("response", Item::Flag(key)) => rules.response = Some(key.span()),
                ("required", Item::Flag(key)) => rules.required = Some(key.span()),
                ("skip", Item::Flag(key)) => rules.skip = Some(key.span()),
                ("nested", Item::Flag(_)) => {}
                ("custom", Item::NameValue(_, Value::Path(path))) => {
                    rules.custom = Some(path.clone());
                }
                ("pattern", Item::NameValue(_, Value::Str(lit))) => {
                    match regex_lite::Regex::new(&lit.value()) {
                        Ok(_) => rules.pattern = Some(lit.clone()),
                        Err(error) => cx.error_spanned(
                            lit,
                            format!("invalid `pattern`: {error}; write a regular expression such as \"^[0-9*#]+$\""),
                        ),
                    }
                }
                ("pattern", _) => cx.error_spanned(
                    key,
                    "`pattern` takes a regular expression string: `pattern = \"^[0-9]+$\"`",
                ),
                ("custom", _) => cx.error_spanned(
                    key,
                    "`custom` takes a function path: `custom = path::to::check`",
                ),
                ("range" | "length" | "items", _) => cx.error_spanned(
                    key,
                    format!("`{name}` takes bounds: `{name}(min = .., max = ..)`"),
                ),
                (_, _) => cx.error_spanned(
                    key,
                    format!(
                        "`{name}` takes no arguments: write `#[{}({name})]`",
                        allowed.attr
                    ),
                ),
            }
        }
        rules
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.range.is_none()
            && self.length.is_none()
            && self.items.is_none()
            && self.pattern.is_none()
            && self.codes.is_none()
            && self.response.is_none()
            && self.required.is_none()
            && self.custom.is_none()
    }

    /// Calls to `::gatespec::rules::*` checking `value` (an expression of reference type)
    /// into `ctx` (an expression of type `&mut ValidationContext`).
    pub(crate) fn checks(&self, value: &TokenStream, ctx: &TokenStream) -> TokenStream {
        let mut out = TokenStream::new();
        if let Some(span) = self.required {
            out.extend(quote_spanned!(span=> ::gatespec::rules::required(#value, #ctx);));
        }
        if let Some(bounds) = &self.range {
            let (min, max) = (opt_int(&bounds.min), opt_int(&bounds.max));
            let span = bounds.span.unwrap_or_else(Span::call_site);
            out.extend(quote_spanned!(span=> ::gatespec::rules::range(#value, #min, #max, #ctx);));
        }
        if let Some((bounds, unit)) = &self.length {
            let (min, max) = (opt_usize(&bounds.min), opt_usize(&bounds.max));
            let unit = match unit {
                Unit::Chars => quote!(::gatespec::LengthUnit::Chars),
                Unit::Bytes => quote!(::gatespec::LengthUnit::Bytes),
            };
            let span = bounds.span.unwrap_or_else(Span::call_site);
            out.extend(
                quote_spanned!(span=> ::gatespec::rules::length(#value, #min, #max, #unit, #ctx);),
            );
        }
        if let Some(bounds) = &self.items {
            let (min, max) = (opt_usize(&bounds.min), opt_usize(&bounds.max));
            let span = bounds.span.unwrap_or_else(Span::call_site);
            out.extend(quote_spanned!(span=> ::gatespec::rules::items(#value, #min, #max, #ctx);));
        }
        if let Some(pattern) = &self.pattern {
            // The expression is compiled once, on first use; the macro already checked it.
            out.extend(quote_spanned! {pattern.span()=>
                {
                    static PATTERN: ::gatespec::rules::Pattern = ::gatespec::rules::Pattern::new(#pattern);
                    ::gatespec::rules::pattern(#value, &PATTERN, #ctx);
                }
            });
        }
        if let Some((span, codes)) = &self.codes {
            out.extend(
                quote_spanned!(*span=> ::gatespec::rules::codes(#value, &[#(#codes),*], #ctx);),
            );
        }
        if let Some(path) = &self.custom {
            let span = syn::spanned::Spanned::span(path);
            out.extend(quote_spanned!(span=> ::gatespec::rules::custom(#value, #path, #ctx);));
        }
        out
    }
}

/// The literals of `codes(..)`: integers or strings (not both), at least one, none twice.
fn parse_codes(cx: &mut Ctxt, key: &syn::Ident, args: &[Item]) -> Option<Vec<TokenStream>> {
    let mut codes = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut kinds = (false, false);
    let mut ok = true;
    for arg in args {
        let (text, tokens) = match arg {
            Item::Lit(Value::Int(int)) => {
                kinds.0 = true;
                let mut lit = Literal::i128_unsuffixed(int.value);
                lit.set_span(int.span);
                (int.text.clone(), quote!(#lit))
            }
            Item::Lit(Value::Str(lit)) => {
                kinds.1 = true;
                (format!("{:?}", lit.value()), quote!(#lit))
            }
            other => {
                ok = false;
                cx.error_at(
                    other.span(),
                    "`codes(..)` lists code literals: integers (`codes(2, 3)`) or strings \
                     (`codes(\"6\", \"9\")`)",
                );
                continue;
            }
        };
        if seen.contains(&text) {
            ok = false;
            cx.error_at(
                arg.span(),
                format!("code {text} is listed twice in `codes(..)`"),
            );
        }
        seen.push(text);
        codes.push(tokens);
    }
    if kinds.0 && kinds.1 {
        ok = false;
        cx.error_spanned(
            key,
            "`codes(..)` mixes integer and string codes: a code table has one kind",
        );
    }
    if codes.is_empty() && ok {
        ok = false;
        cx.error_spanned(
            key,
            "`codes(..)` accepts nothing: list at least one code, e.g. `codes(2)`",
        );
    }
    ok.then_some(codes)
}

fn opt_int(bound: &Option<IntLit>) -> TokenStream {
    match bound {
        Some(int) => {
            let mut lit = Literal::i128_unsuffixed(int.value);
            lit.set_span(int.span);
            quote!(::core::option::Option::Some(#lit))
        }
        None => quote!(::core::option::Option::None),
    }
}

fn opt_usize(bound: &Option<IntLit>) -> TokenStream {
    match bound
        .as_ref()
        .and_then(|int| u32::try_from(int.value).ok().map(|v| (v, int.span)))
    {
        Some((value, span)) => {
            let mut lit = Literal::u32_unsuffixed(value);
            lit.set_span(span);
            quote!(::core::option::Option::Some(#lit))
        }
        None => quote!(::core::option::Option::None),
    }
}
