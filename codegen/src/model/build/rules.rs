//! Rules between fields of one table: `required_if` conditions and the table's `rules`
//! (`less_than`, `meaningful_only_if`, `at_most_total`), checked against the lowered fields.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{Field, RequiredIf, RuleKind, Scalar, Shape, TableRule};
use crate::raw::{self, ScalarValue, Sp};
use crate::source::{SourceId, Span};

use super::fields::type_name;
use super::{Builder, at};

/// Whether a field holds a plain number (what `less_than` compares).
fn is_number(field: &Field) -> bool {
    matches!(field.shape, Shape::Scalar(Scalar::Int | Scalar::Long))
}

impl Builder<'_> {
    /// The `required_if` conditions of the rows and the table's `rules`.
    pub(super) fn table_rules(
        &mut self,
        file: SourceId,
        table: &str,
        t: &raw::Table,
        fields: &[Field],
    ) -> Vec<TableRule> {
        for row in &t.fields {
            if let Some(condition) = &row.value.required_if {
                self.condition(file, table, condition, fields);
            }
        }
        t.rules
            .iter()
            .filter_map(|rule| self.rule(file, table, rule, fields))
            .collect()
    }

    /// The field of the table named `name`, or a dangling reference.
    fn field_named<'f>(
        &mut self,
        file: SourceId,
        table: &str,
        name: &Sp<String>,
        fields: &'f [Field],
    ) -> Option<&'f Field> {
        let found = fields.iter().find(|f| f.name == name.value);
        if found.is_none() {
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            self.error(
                Diagnostic::error(
                    DiagnosticCode::DanglingReference,
                    at(file, name.loc),
                    format!("table `{table}` has no field `{}`", name.value),
                )
                .label("referenced here")
                .help(format!("fields: {}", names.join(", "))),
            );
        }
        found
    }

    /// A condition names another field of the same table, with a value of its type.
    fn condition(
        &mut self,
        file: SourceId,
        table: &str,
        condition: &Sp<raw::Condition>,
        fields: &[Field],
    ) -> Option<RequiredIf> {
        let target = self.field_named(file, table, &condition.value.field, fields)?;
        let equals = &condition.value.equals;
        let fits = matches!(
            (&target.shape, &equals.value),
            (Shape::Scalar(Scalar::Boolean), ScalarValue::Bool(_))
                | (
                    Shape::Scalar(Scalar::Int | Scalar::Long)
                        | Shape::Code(_, Scalar::Int | Scalar::Long),
                    ScalarValue::Int(_)
                )
                | (
                    Shape::Scalar(Scalar::String) | Shape::Code(_, Scalar::String),
                    ScalarValue::Str(_)
                )
        );
        if !fits {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::WrongType,
                    at(file, equals.loc),
                    format!(
                        "{} is not a value of `{}` ({})",
                        equals.value,
                        target.name,
                        type_name(target.vendor_type)
                    ),
                )
                .with_secondary(target.span, "the field")
                .help("the condition compares the other field with a value of its own type"),
            );
            return None;
        }
        Some(RequiredIf {
            field: target.name.clone(),
            equals: equals.value.clone(),
        })
    }

    fn rule(
        &mut self,
        file: SourceId,
        table: &str,
        rule: &Sp<raw::TableRule>,
        fields: &[Field],
    ) -> Option<TableRule> {
        let span = at(file, rule.loc);
        let (kind, enforce) = match &rule.value {
            raw::TableRule::LessThan(r) => {
                let field = self.field_named(file, table, &r.field, fields);
                let than = self.field_named(file, table, &r.than, fields);
                let (field, than) = (field?, than?);
                let mut ok = true;
                for (name, target) in [(&r.field, field), (&r.than, than)] {
                    if !is_number(target) {
                        ok = false;
                        self.not_a_number(file, name, target, "`less_than` compares numbers");
                    }
                }
                if field.name == than.name {
                    ok = false;
                    self.twice(file, &r.than, at(file, r.field.loc));
                }
                ok.then(|| RuleKind::LessThan {
                    field: field.name.clone(),
                    than: than.name.clone(),
                    otherwise: r.otherwise.clone(),
                })
                .map(|kind| (kind, r.enforce.value))?
            }
            raw::TableRule::MeaningfulOnlyIf(r) => {
                let field = self.field_named(file, table, &r.field, fields);
                let when = self.condition(file, table, &r.when, fields);
                let (field, when) = (field?, when?);
                if field.mandatory {
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::KeyNotApplicable,
                            at(file, r.field.loc),
                            format!(
                                "field `{}` is mandatory, so it is always set",
                                field.name
                            ),
                        )
                        .with_secondary(field.span, "the field")
                        .help("`meaningful_only_if` is about an optional field that only counts under a condition"),
                    );
                    return None;
                }
                if field.name == when.field {
                    self.twice(file, &r.when.value.field, at(file, r.field.loc));
                    return None;
                }
                (
                    RuleKind::MeaningfulOnlyIf {
                        field: field.name.clone(),
                        when,
                    },
                    r.enforce.value,
                )
            }
            raw::TableRule::AtMostTotal(r) => {
                let mut ok = true;
                let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
                let mut names = Vec::new();
                for name in &r.fields {
                    let Some(target) = self.field_named(file, table, name, fields) else {
                        ok = false;
                        continue;
                    };
                    if !is_number(target) && !matches!(target.shape, Shape::Array(_)) {
                        ok = false;
                        self.not_a_number(
                            file,
                            name,
                            target,
                            "`at_most_total` adds array lengths and numbers",
                        );
                    }
                    if let Some(first) = seen.get(name.value.as_str()) {
                        ok = false;
                        self.twice(file, name, *first);
                    } else {
                        seen.insert(&name.value, at(file, name.loc));
                    }
                    names.push(target.name.clone());
                }
                if r.max.value == 0 {
                    ok = false;
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::NonPositiveLimit,
                            at(file, r.max.loc),
                            "a total of at most 0 allows nothing",
                        )
                        .label("must be at least 1"),
                    );
                }
                if names.len() < 2 && ok {
                    ok = false;
                    let at_fields = r.fields.first().map_or(span, |f| at(file, f.loc));
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::EmptyLimit,
                            at_fields,
                            "`at_most_total` needs at least two fields",
                        )
                        .help("limit one field with its own `max_items` or `range`"),
                    );
                }
                if !ok {
                    return None;
                }
                (
                    RuleKind::AtMostTotal {
                        fields: names,
                        max: r.max.value,
                    },
                    r.enforce.value,
                )
            }
        };
        Some(TableRule {
            kind,
            enforce,
            span,
        })
    }

    fn not_a_number(&mut self, file: SourceId, name: &Sp<String>, target: &Field, why: &str) {
        self.error(
            Diagnostic::error(
                DiagnosticCode::WrongType,
                at(file, name.loc),
                format!(
                    "field `{}` is {}, not a number",
                    target.name,
                    match target.shape {
                        Shape::Scalar(_) => type_name(target.vendor_type).to_owned(),
                        Shape::Code(..) => "a code".to_owned(),
                        Shape::Newtype(..) => "a named scalar".to_owned(),
                        Shape::Object(_) => "an object".to_owned(),
                        Shape::Array(_) => "an array".to_owned(),
                    }
                ),
            )
            .with_secondary(target.span, "the field")
            .help(format!("{why} (plain `int` or `long` fields)")),
        );
    }

    fn twice(&mut self, file: SourceId, name: &Sp<String>, first: Span) {
        self.error(
            Diagnostic::error(
                DiagnosticCode::DuplicateReference,
                at(file, name.loc),
                format!("field `{}` appears twice in the rule", name.value),
            )
            .with_secondary(first, "first here")
            .help("a rule relates different fields"),
        );
    }
}
