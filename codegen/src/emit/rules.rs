//! The validator's side of the rules between fields of a table: each enforced rule becomes one
//! call of a runtime check (`gatespec::rules`) fed with the fields' values.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::ident;
use crate::emit::items::value_expr;
use crate::model::{Field, RequiredIf, RuleKind, Scalar, Shape, Spec, Table};
use crate::raw::ScalarValue;

fn field<'t>(table: &'t Table, name: &str) -> Option<&'t Field> {
    table.fields.iter().find(|f| f.name == name)
}

/// A number field as the gateway reads it, `Option<i128>`: absent counts as its default.
fn number(f: &Field) -> TokenStream {
    let name = ident(&f.ident);
    match (&f.default, f.mandatory) {
        (_, true) => quote!(Some(i128::from(self.#name))),
        (Some(ScalarValue::Int(d)), false) => {
            let d = Literal::i64_unsuffixed(*d);
            quote!(Some(i128::from(self.#name.unwrap_or(#d))))
        }
        _ => quote!(self.#name.map(i128::from)),
    }
}

/// What a field adds to a total, `i128`: an array its items, a number its value (absent: its
/// default, else 0).
fn amount(f: &Field) -> TokenStream {
    let name = ident(&f.ident);
    match (&f.shape, f.mandatory) {
        (Shape::Array(_), _) => quote!(::gatespec::rules::item_count(&self.#name)),
        (_, true) => quote!(i128::from(self.#name)),
        (_, false) => {
            let d = match f.default {
                Some(ScalarValue::Int(d)) => d,
                _ => 0,
            };
            let d = Literal::i64_unsuffixed(d);
            quote!(self.#name.map_or(#d, i128::from))
        }
    }
}

/// Whether `when` holds, as a `bool` expression (an absent field counts as its default).
fn holds(spec: &Spec, other: &Field, when: &RequiredIf) -> TokenStream {
    let name = ident(&other.ident);
    let value = value_expr(spec, &other.shape, &when.equals);
    let string = matches!(other.shape, Shape::Scalar(Scalar::String));
    if other.mandatory {
        return match when.equals {
            ScalarValue::Bool(true) => quote!(self.#name),
            ScalarValue::Bool(false) => quote!(!self.#name),
            _ => quote!(self.#name == #value),
        };
    }
    let by_default = other.default.as_ref() == Some(&when.equals);
    if let ScalarValue::Bool(wanted) = when.equals {
        // `v == true` would be a needless comparison.
        return if wanted {
            quote!(self.#name.unwrap_or(#by_default))
        } else {
            let absent = !by_default;
            quote!(!self.#name.unwrap_or(#absent))
        };
    }
    match (string, by_default) {
        (true, false) => quote!(self.#name.as_deref().is_some_and(|v| v == #value)),
        (true, true) => quote!(self.#name.as_deref().is_none_or(|v| v == #value)),
        (false, false) => quote!(self.#name.as_ref().is_some_and(|v| *v == #value)),
        (false, true) => quote!(self.#name.as_ref().is_none_or(|v| *v == #value)),
    }
}

/// The check of one enforced rule, inside `check_rules(&self, ctx)`.
pub fn rule_check(spec: &Spec, table: &Table, kind: &RuleKind) -> Option<TokenStream> {
    Some(match kind {
        RuleKind::LessThan { field: a, than, .. } => {
            let (fa, fb) = (field(table, a)?, field(table, than)?);
            let (va, vb) = (number(fa), number(fb));
            quote! {
                ::gatespec::rules::less_than(#va, #vb, #than, &mut ctx.field(#a));
            }
        }
        RuleKind::MeaningfulOnlyIf { field: a, when } => {
            let fa = field(table, a)?;
            let other = field(table, &when.field)?;
            let name = ident(&fa.ident);
            let test = holds(spec, other, when);
            let condition = format!("`{}` is {}", when.field, when.equals);
            quote! {
                ::gatespec::rules::meaningful_only_if(&self.#name, #test, #condition, &mut ctx.field(#a));
            }
        }
        RuleKind::AtMostTotal { fields, max } => {
            let amounts = fields
                .iter()
                .map(|f| field(table, f).map(amount))
                .collect::<Option<Vec<_>>>()?;
            let max = Literal::u64_unsuffixed(*max);
            quote! {
                ::gatespec::rules::at_most_total(&[#(#amounts),*], &[#(#fields),*], #max, ctx);
            }
        }
    })
}
