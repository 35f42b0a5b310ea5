//! The enforced rules between fields of a table, checked on an example's object. Absent values
//! count as their default, as the gateway reads them.

use jsonc_parser::ast::{Object, Value};
use jsonc_parser::common::Ranged;

use crate::model::{RuleKind, Table};
use crate::raw::ScalarValue;

use super::json::{Checker, json_equals, path_join, prop_name};
use super::parse_decimal;

/// The member `name` of `object`, unless absent or `null`.
fn member<'v>(object: &'v Object<'v>, name: &str) -> Option<&'v Value<'v>> {
    object
        .properties
        .iter()
        .find(|p| prop_name(&p.name) == name)
        .map(|p| &p.value)
        .filter(|v| !matches!(v, Value::NullKeyword(_)))
}

/// A number as written (also as a string, for lenient fields).
fn number(value: &Value<'_>) -> Option<i64> {
    match value {
        Value::NumberLit(n) => parse_decimal(n.value),
        Value::StringLit(s) => parse_decimal(&s.value),
        _ => None,
    }
}

impl Checker<'_> {
    /// The number `field` has in `object`, or its default.
    fn effective(&self, object: &Object<'_>, table: &Table, field: &str) -> Option<i64> {
        match member(object, field) {
            Some(value) => number(value),
            None => table
                .fields
                .iter()
                .find(|f| f.name == field)
                .and_then(|f| match f.default {
                    Some(ScalarValue::Int(i)) => Some(i),
                    _ => None,
                }),
        }
    }

    pub(super) fn rules(&mut self, object: &Object<'_>, table: &Table, path: &str) {
        for rule in table.rules.iter().filter(|r| r.enforce) {
            match &rule.kind {
                RuleKind::LessThan { field, than, .. } => {
                    let (Some(value), Some(bound)) = (
                        self.effective(object, table, field),
                        self.effective(object, table, than),
                    ) else {
                        continue;
                    };
                    if value >= bound {
                        let range = member(object, field).map_or(object.range, Ranged::range);
                        self.report(
                            range,
                            &path_join(path, field),
                            format!("is {value}, not less than `{than}` ({bound})"),
                            "breaks `less_than`",
                        );
                    }
                }
                RuleKind::MeaningfulOnlyIf { field, when } => {
                    let Some(value) = member(object, field) else {
                        continue;
                    };
                    let holds = match member(object, &when.field) {
                        Some(other) => json_equals(other, &when.equals),
                        None => table
                            .fields
                            .iter()
                            .find(|f| f.name == when.field)
                            .and_then(|f| f.default.as_ref())
                            .is_some_and(|d| *d == when.equals),
                    };
                    if !holds {
                        self.report(
                            value.range(),
                            &path_join(path, field),
                            format!(
                                "is set, but it is only meaningful when `{}` is {}",
                                when.field, when.equals
                            ),
                            "breaks `meaningful_only_if`",
                        );
                    }
                }
                RuleKind::AtMostTotal { fields, max } => {
                    let total: i64 = fields
                        .iter()
                        .map(|f| match member(object, f) {
                            Some(Value::Array(array)) => {
                                i64::try_from(array.elements.len()).unwrap_or(i64::MAX)
                            }
                            Some(value) => number(value).unwrap_or(0),
                            None => self.effective(object, table, f).unwrap_or(0),
                        })
                        .fold(0, i64::saturating_add);
                    if u64::try_from(total).is_ok_and(|t| t > *max) {
                        let names: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
                        self.report(
                            object.range,
                            path,
                            format!(
                                "has {} totalling {total}, more than {max}",
                                names.join(" + ")
                            ),
                            "breaks `at_most_total`",
                        );
                    }
                }
            }
        }
    }
}
