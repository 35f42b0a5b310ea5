//! Tables and their rows: shapes, references, ranges, lengths and array limits.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{CodeType, Field, Length, Range, RequiredIf, Scalar, Shape, Table, TableOrigin};
use crate::raw::{self, CodeValue, LengthUnit, ScalarValue, Sp, ValueType};
use crate::source::{SourceId, Span};

use super::resolve::Resolver;
use super::{Builder, at};

impl Builder<'_> {
    pub(super) fn table(
        &mut self,
        ctx: &Resolver<'_>,
        file: SourceId,
        name: String,
        origin: TableOrigin,
        t: &raw::Table,
        span: Span,
    ) -> Table {
        let mut wire: BTreeMap<&str, Span> = BTreeMap::new();
        let mut fields = Vec::new();
        for field in &t.fields {
            let f = &field.value;
            let name_span = at(file, f.name.loc);
            if let Some(first) = wire.get(f.name.value.as_str()) {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateWireName,
                        name_span,
                        format!("field `{}` appears twice in table `{name}`", f.name.value),
                    )
                    .label("duplicate wire name")
                    .with_secondary(*first, "first defined here")
                    .help("wire names must be unique within a table"),
                );
            } else {
                wire.insert(f.name.value.as_str(), name_span);
            }
            if let Some(lowered) = self.field(ctx, file, f) {
                fields.push(lowered);
            }
        }
        let rules = self.table_rules(file, &name, t, &fields);
        Table {
            name,
            origin,
            description: t.description.clone(),
            source: t.source.clone(),
            fields,
            rules,
            // Decided once every interface is known (`rust::assign`).
            received_only: false,
            notes: self.notes(file, &t.notes),
            span,
        }
    }

    /// Lowers one row: its shape and constraints, then its default, leniency and condition.
    pub(super) fn field(
        &mut self,
        ctx: &Resolver<'_>,
        file: SourceId,
        f: &raw::Field,
    ) -> Option<Field> {
        let mut field = self.field_shape(ctx, file, f)?;
        field.lenient = self.lenient(file, f, &field);
        field.allowed_codes = f
            .allowed_codes
            .as_ref()
            .and_then(|codes| self.allowed_codes(ctx, file, f, &field, codes));
        field.default = self.default_value(ctx, file, f, &field);
        if let Some(condition) = &f.required_if {
            if f.mandatory.value {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::KeyNotApplicable,
                        at(file, condition.loc),
                        format!(
                            "field `{}` is always mandatory; `required_if` has no effect",
                            f.name.value
                        ),
                    )
                    .with_secondary(at(file, f.mandatory.loc), "mandatory: true")
                    .help("`required_if` is for optional fields; write `mandatory: false`"),
                );
            }
            field.required_if = Some(RequiredIf {
                field: condition.value.field.value.clone(),
                equals: condition.value.equals.value.clone(),
            });
        }
        Some(field)
    }

    /// Reports a key that does not fit the field's type, pointing at both.
    fn not_applicable(
        &mut self,
        file: SourceId,
        f: &raw::Field,
        key: &str,
        loc: raw::Loc,
        label: &str,
        why: &str,
    ) {
        self.error(
            Diagnostic::error(
                DiagnosticCode::KeyNotApplicable,
                at(file, loc),
                format!(
                    "`{key}` does not apply to field `{}` of type {}",
                    f.name.value,
                    type_name(f.ty.value)
                ),
            )
            .label(label.to_owned())
            .with_secondary(at(file, f.ty.loc), "the field's type")
            .help(why.to_owned()),
        );
    }

    /// A pattern must be a valid regular expression, on a plain string field.
    fn pattern(
        &mut self,
        file: SourceId,
        f: &raw::Field,
        pattern: &Sp<String>,
        shape: &Shape,
    ) -> Option<String> {
        if *shape != Shape::Scalar(Scalar::String) {
            self.not_applicable(
                file,
                f,
                "pattern",
                pattern.loc,
                "only for plain strings",
                "patterns are for `string` fields without `enum` or `scalar`",
            );
            return None;
        }
        match regex_lite::Regex::new(&pattern.value) {
            Ok(_) => Some(pattern.value.clone()),
            Err(error) => {
                let message = error.to_string();
                let first = message.lines().last().unwrap_or("").trim().to_owned();
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::BadPattern,
                        at(file, pattern.loc),
                        format!("`{}` is not a valid regular expression", pattern.value),
                    )
                    .label(first)
                    .help(
                        "write a regular expression, e.g. \"^[0-9*#]+$\" for digits, `*` and `#`",
                    ),
                );
                None
            }
        }
    }

    /// `allowed_codes`: on code fields (and arrays of codes), codes of the table, each once.
    fn allowed_codes(
        &mut self,
        ctx: &Resolver<'_>,
        file: SourceId,
        f: &raw::Field,
        field: &Field,
        codes: &Sp<Vec<Sp<CodeValue>>>,
    ) -> Option<Vec<CodeValue>> {
        let mut shape = &field.shape;
        while let Shape::Array(item) = shape {
            shape = item;
        }
        if let Shape::Newtype(..) = shape {
            // Reported with the scalar's other constraints.
            return None;
        }
        let Shape::Code(id, _) = shape else {
            self.not_applicable(
                file,
                f,
                "allowed_codes",
                codes.loc,
                "only for code fields",
                "`allowed_codes` picks codes of the field's `enum` (or of an array's code table)",
            );
            return None;
        };
        let table = &ctx.code_tables[id.0];
        if codes.value.is_empty() {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::EmptyLimit,
                    at(file, codes.loc),
                    format!("field `{}` allows no code at all", f.name.value),
                )
                .help(format!(
                    "list the codes of `{}` the field takes, e.g. `allowed_codes: [{}]`",
                    table.name,
                    table
                        .codes
                        .first()
                        .map_or_else(String::new, |c| c.value.to_string())
                )),
            );
            return None;
        }
        let mut ok = true;
        let mut seen: BTreeMap<&CodeValue, Span> = BTreeMap::new();
        for code in &codes.value {
            let span = at(file, code.loc);
            let errors_before = self.out.len();
            self.check_code_kind(table.code_type, code, file, &table.name);
            if self.out.len() > errors_before {
                ok = false;
                continue;
            }
            if table.find(&code.value).is_none() {
                ok = false;
                let listed: Vec<String> = table.codes.iter().map(|c| c.value.to_string()).collect();
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DanglingReference,
                        span,
                        format!("code {} is not a code of `{}`", code.value, table.name),
                    )
                    .label("not in the table")
                    .with_secondary(table.span, "the code table")
                    .help(format!(
                        "`{}` lists {}; add the code to the table if a page documents it",
                        table.name,
                        listed.join(", ")
                    )),
                );
            }
            if let Some(first) = seen.get(&code.value) {
                ok = false;
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateCode,
                        span,
                        format!("code {} is allowed twice", code.value),
                    )
                    .with_secondary(*first, "first allowed here"),
                );
            } else {
                seen.insert(&code.value, span);
            }
        }
        ok.then(|| codes.value.iter().map(|c| c.value.clone()).collect())
    }

    /// `lenient: true` only where a string can stand for the value.
    fn lenient(&mut self, file: SourceId, f: &raw::Field, field: &Field) -> bool {
        let Some(lenient) = &f.lenient else {
            return false;
        };
        let fits = match &field.shape {
            Shape::Scalar(s) | Shape::Code(_, s) => *s != Scalar::String,
            Shape::Newtype(..) | Shape::Object(_) | Shape::Array(_) => false,
        };
        if lenient.value && !fits {
            self.not_applicable(
                file,
                f,
                "lenient",
                lenient.loc,
                "only for booleans and numbers",
                "`lenient` lets a boolean or a number also arrive as a JSON string",
            );
            return false;
        }
        lenient.value
    }

    /// A default must be of the field's type, inside its constraints, and for an optional field.
    fn default_value(
        &mut self,
        ctx: &Resolver<'_>,
        file: SourceId,
        f: &raw::Field,
        field: &Field,
    ) -> Option<ScalarValue> {
        let default = f.default.as_ref()?;
        let span = at(file, default.loc);
        let problem = |this: &mut Self, message: String, help: &str| {
            this.error(
                Diagnostic::error(DiagnosticCode::BadDefault, span, message)
                    .label("default")
                    .help(help.to_owned()),
            );
        };
        if field.mandatory {
            problem(
                self,
                format!("mandatory field `{}` cannot have a default", f.name.value),
                "a default is what the gateway assumes when an optional field is absent",
            );
            return None;
        }
        let value = &default.value;
        let ok = match (&field.shape, value) {
            (Shape::Scalar(Scalar::Boolean), ScalarValue::Bool(_)) => true,
            (Shape::Scalar(s @ (Scalar::Int | Scalar::Long)), ScalarValue::Int(i)) => {
                let (lo, hi) = s.bounds().unwrap_or((i64::MIN, i64::MAX));
                (lo..=hi).contains(i) && field.range.is_none_or(|r| r.contains(*i))
            }
            (Shape::Scalar(Scalar::String), ScalarValue::Str(text)) => field
                .length
                .is_none_or(|l| l.max.is_none_or(|m| text.chars().count() as u64 <= m)),
            (Shape::Code(id, _), code) => {
                let table = &ctx.code_tables[id.0];
                let code = match code {
                    ScalarValue::Int(i) => CodeValue::Int(*i),
                    ScalarValue::Str(s) => CodeValue::Str(s.clone()),
                    ScalarValue::Bool(_) => CodeValue::Str(String::new()),
                };
                table.find(&code).is_some()
                    && field
                        .allowed_codes
                        .as_ref()
                        .is_none_or(|allowed| allowed.contains(&code))
            }
            _ => false,
        };
        if !ok {
            problem(
                self,
                format!(
                    "default {value} does not fit field `{}` of type {}",
                    f.name.value,
                    type_name(field.vendor_type)
                ),
                "a default must be of the field's type, within its range or length, and a listed (and allowed) code for code fields",
            );
            return None;
        }
        Some(value.clone())
    }

    fn field_shape(&mut self, ctx: &Resolver<'_>, file: SourceId, f: &raw::Field) -> Option<Field> {
        if let Some(rust_name) = &f.rust_name {
            self.check_snake(rust_name, file, "Rust field name");
        }
        if f.name.value.is_empty() {
            self.error(Diagnostic::error(
                DiagnosticCode::BadName,
                at(file, f.name.loc),
                "a field needs a non-empty wire name",
            ));
        }
        let vendor_type = f.ty.value;
        let ty_span = at(file, f.ty.loc);
        let not_applicable = |this: &mut Self, key: &str, loc: raw::Loc, why: &str| {
            this.not_applicable(file, f, key, loc, &format!("`{key}` not allowed here"), why);
        };
        if vendor_type != ValueType::Array {
            if let Some(items) = &f.items {
                not_applicable(self, "items", items.loc, "`items` is for arrays");
            }
            if let Some(v) = &f.min_items {
                not_applicable(self, "min_items", v.loc, "`min_items` is for arrays");
            }
            if let Some(v) = &f.max_items {
                not_applicable(self, "max_items", v.loc, "`max_items` is for arrays");
            }
        }
        if vendor_type != ValueType::Object
            && let Some(table) = &f.table
        {
            not_applicable(
                self,
                "table",
                table.loc,
                "`table` is for objects; for an array of objects write `items: TableName`",
            );
        }
        if vendor_type != ValueType::String
            && let Some(length) = &f.length
        {
            not_applicable(
                self,
                "length",
                length.loc,
                "`length` is for strings; arrays take `min_items`/`max_items`",
            );
        }
        if let Some(unit) = &f.unit
            && !matches!(vendor_type, ValueType::Int | ValueType::Long)
        {
            not_applicable(self, "unit", unit.loc, "units are for numbers");
        }
        let shape = match vendor_type {
            ValueType::String | ValueType::Int | ValueType::Long | ValueType::Boolean => {
                let scalar = scalar_of(vendor_type);
                if let Some(scalar_ref) = &f.scalar {
                    let id = ctx.scalar(self, file, scalar_ref)?;
                    let def = &ctx.scalars[id.0];
                    if let Some(problem) = wire_problem(def, scalar) {
                        self.error(
                            Diagnostic::error(
                                DiagnosticCode::WrongType,
                                at(file, scalar_ref.loc),
                                format!(
                                    "scalar `{}` ({}) cannot travel as {} in field `{}`",
                                    def.name,
                                    scalar_name(def.scalar),
                                    type_name(vendor_type),
                                    f.name.value
                                ),
                            )
                            .label(problem)
                            .with_secondary(ty_span, "the field's type")
                            .with_secondary(def.span, "the scalar")
                            .help("a string scalar travels as a number only when its `range` bounds both ends within the number type; a number scalar can always travel as a string of digits"),
                        );
                    }
                    for (key, loc) in [
                        ("range", f.range.as_ref().map(|r| r.loc)),
                        ("length", f.length.as_ref().map(|l| l.loc)),
                        ("enum", f.code_table.as_ref().map(|c| c.loc)),
                        ("pattern", f.pattern.as_ref().map(|p| p.loc)),
                        ("allowed_codes", f.allowed_codes.as_ref().map(|c| c.loc)),
                    ] {
                        if let Some(loc) = loc {
                            not_applicable(
                                self,
                                key,
                                loc,
                                "a field of a named scalar takes the scalar's constraints; change them on the scalar",
                            );
                        }
                    }
                    return Some(Field {
                        row: f.row.clone(),
                        name: f.name.value.clone(),
                        ident: f
                            .rust_name
                            .as_ref()
                            .map_or_else(String::new, |r| r.value.clone()),
                        vendor_type,
                        shape: Shape::Newtype(id, scalar),
                        mandatory: f.mandatory.value,
                        description: f.description.clone(),
                        range: None,
                        length: None,
                        pattern: None,
                        allowed_codes: None,
                        items: None,
                        unit: f.unit.as_ref().map(|u| u.value),
                        default: None,
                        required_if: None,
                        lenient: false,
                        default_accessor: None,
                        setter: None,
                        deprecated: f.deprecated.as_ref().map(|d| d.value.clone()),
                        notes: self.notes(file, &f.notes),
                        span: at(file, f.name.loc),
                    });
                }
                match &f.code_table {
                    Some(code_ref) => {
                        let id = ctx.code_table(self, file, code_ref)?;
                        let table = &ctx.code_tables[id.0];
                        let compatible = matches!(
                            (table.code_type, scalar),
                            (CodeType::String, Scalar::String)
                                | (CodeType::Int, Scalar::Int | Scalar::Long)
                        );
                        if !compatible {
                            self.error(
                                Diagnostic::error(
                                    DiagnosticCode::WrongCodeType,
                                    at(file, code_ref.loc),
                                    format!(
                                        "code table `{}` has {} codes but field `{}` is of type {}",
                                        table.name,
                                        match table.code_type {
                                            CodeType::Int => "integer",
                                            CodeType::String => "string",
                                        },
                                        f.name.value,
                                        type_name(vendor_type)
                                    ),
                                )
                                .label(format!(
                                    "`{}` has `code_type: {}`",
                                    table.name,
                                    match table.code_type {
                                        CodeType::Int => "int",
                                        CodeType::String => "string",
                                    }
                                ))
                                .with_secondary(ty_span, "the field's type")
                                .help("the field's type and the table's `code_type` must agree"),
                            );
                        }
                        if scalar == Scalar::Int {
                            for code in &table.codes {
                                if let CodeValue::Int(v) = code.value
                                    && i32::try_from(v).is_err()
                                {
                                    self.error(
                                        Diagnostic::error(
                                            DiagnosticCode::OutOfRange,
                                            at(file, code_ref.loc),
                                            format!("code {v} of `{}` does not fit field `{}` of type int", table.name, f.name.value),
                                        )
                                        .with_secondary(code.span, "this code")
                                        .help("declare the field as `long`"),
                                    );
                                }
                            }
                        }
                        if let Some(range) = &f.range {
                            not_applicable(
                                self,
                                "range",
                                range.loc,
                                "a code field takes its values from the code table",
                            );
                        }
                        Shape::Code(id, scalar)
                    }
                    None => Shape::Scalar(scalar),
                }
            }
            ValueType::Array => {
                if let Some(scalar_ref) = &f.scalar {
                    not_applicable(
                        self,
                        "scalar",
                        scalar_ref.loc,
                        "for an array of scalars write `items: ScalarName`",
                    );
                }
                if let Some(code_ref) = &f.code_table {
                    not_applicable(
                        self,
                        "enum",
                        code_ref.loc,
                        "for an array of codes write `items: CodeTableName`",
                    );
                }
                let Some(items) = &f.items else {
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::MissingKey,
                            ty_span,
                            format!("array field `{}` does not say what it holds", f.name.value),
                        )
                        .label("add `items` next to this")
                        .help("write `items: long` (a value type) or `items: TableName` / `items: CodeTableName`"),
                    );
                    return None;
                };
                Shape::Array(Box::new(ctx.item(self, file, items)?))
            }
            ValueType::Object => {
                if let Some(scalar_ref) = &f.scalar {
                    not_applicable(
                        self,
                        "scalar",
                        scalar_ref.loc,
                        "objects are described by `table`",
                    );
                }
                if let Some(code_ref) = &f.code_table {
                    not_applicable(
                        self,
                        "enum",
                        code_ref.loc,
                        "objects are described by `table`",
                    );
                }
                let Some(table) = &f.table else {
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::MissingKey,
                            ty_span,
                            format!(
                                "object field `{}` does not say which table describes it",
                                f.name.value
                            ),
                        )
                        .label("add `table` next to this")
                        .help("write `table: TableName` naming an entry of `types`"),
                    );
                    return None;
                };
                Shape::Object(ctx.table(self, file, table)?)
            }
        };
        let newer = self.applicable_override(file, &f.versions);
        let range = newer
            .and_then(|o| o.range.as_ref())
            .or(f.range.as_ref())
            .and_then(|r| self.range(file, &format!("field `{}`", f.name.value), &f.ty, r, &shape));
        let length = newer
            .and_then(|o| o.length.as_ref())
            .or(f.length.as_ref())
            .and_then(|l| self.length(file, l));
        let items = self.items(file, f);
        let pattern = f
            .pattern
            .as_ref()
            .and_then(|p| self.pattern(file, f, p, &shape));
        Some(Field {
            row: f.row.clone(),
            name: f.name.value.clone(),
            ident: f
                .rust_name
                .as_ref()
                .map_or_else(String::new, |r| r.value.clone()),
            vendor_type,
            shape,
            mandatory: f.mandatory.value,
            description: f.description.clone(),
            range,
            length,
            pattern,
            allowed_codes: None,
            items,
            unit: f.unit.as_ref().map(|u| u.value),
            default: None,
            required_if: None,
            lenient: false,
            default_accessor: None,
            setter: None,
            deprecated: f.deprecated.as_ref().map(|d| d.value.clone()),
            notes: self.notes(file, &f.notes),
            span: at(file, f.name.loc),
        })
    }

    pub(super) fn range(
        &mut self,
        file: SourceId,
        owner: &str,
        ty: &Sp<ValueType>,
        r: &Sp<raw::Range>,
        shape: &Shape,
    ) -> Option<Range> {
        let bounds = match shape {
            Shape::Scalar(Scalar::String) => (i64::MIN, i64::MAX),
            Shape::Scalar(s @ (Scalar::Int | Scalar::Long)) => {
                s.bounds().unwrap_or((i64::MIN, i64::MAX))
            }
            Shape::Code(..) => return None,
            _ => {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::KeyNotApplicable,
                        at(file, r.loc),
                        format!(
                            "`range` does not apply to {} of type {}",
                            owner,
                            type_name(ty.value)
                        ),
                    )
                    .label("`range` not allowed here")
                    .with_secondary(at(file, ty.loc), "the field's type")
                    .help("ranges are for int, long and numeric string fields"),
                );
                return None;
            }
        };
        let (min, max) = (&r.value.min, &r.value.max);
        if min.is_none() && max.is_none() {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::EmptyLimit,
                    at(file, r.loc),
                    "a range needs `min`, `max` or both",
                )
                .help("write `range: {min: 101, max: 59999}`"),
            );
            return None;
        }
        let mut ok = true;
        for bound in [min, max].into_iter().flatten() {
            if bound.value < bounds.0 || bound.value > bounds.1 {
                ok = false;
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::OutOfRange,
                        at(file, bound.loc),
                        format!(
                            "{} does not fit {} of type {}",
                            bound.value,
                            owner,
                            type_name(ty.value)
                        ),
                    )
                    .label(format!(
                        "{} holds {}..={}",
                        type_name(ty.value),
                        bounds.0,
                        bounds.1
                    ))
                    .with_secondary(at(file, ty.loc), "the field's type")
                    .help("declare the field as `long` or fix the bound"),
                );
            }
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo.value > hi.value
        {
            ok = false;
            self.error(
                Diagnostic::error(
                    DiagnosticCode::MinExceedsMax,
                    at(file, lo.loc),
                    format!(
                        "range of {} is empty: min {} > max {}",
                        owner, lo.value, hi.value
                    ),
                )
                .label("min")
                .with_secondary(at(file, hi.loc), "max")
                .help("swap the bounds or fix the typo"),
            );
        }
        ok.then(|| Range {
            min: min.as_ref().map(|m| m.value),
            max: max.as_ref().map(|m| m.value),
        })
    }

    pub(super) fn length(&mut self, file: SourceId, l: &Sp<raw::Length>) -> Option<Length> {
        let (min, max) = (&l.value.min, &l.value.max);
        self.limits(file, l.loc, min.as_ref(), max.as_ref(), "length")?;
        Some(Length {
            min: min.as_ref().map(|m| m.value),
            max: max.as_ref().map(|m| m.value),
            unit: l
                .value
                .unit
                .as_ref()
                .map_or(LengthUnit::Characters, |u| u.value),
        })
    }

    pub(super) fn items(&mut self, file: SourceId, f: &raw::Field) -> Option<Range> {
        if f.ty.value != ValueType::Array || (f.min_items.is_none() && f.max_items.is_none()) {
            return None;
        }
        let loc = f
            .min_items
            .as_ref()
            .or(f.max_items.as_ref())
            .map_or(f.name.loc, |v| v.loc);
        self.limits(
            file,
            loc,
            f.min_items.as_ref(),
            f.max_items.as_ref(),
            "array length",
        )?;
        let conv = |v: &Sp<u64>| i64::try_from(v.value).unwrap_or(i64::MAX);
        Some(Range {
            min: f.min_items.as_ref().map(conv),
            max: f.max_items.as_ref().map(conv),
        })
    }

    /// Common rules of count limits: at least one bound, max positive, min <= max.
    pub(super) fn limits(
        &mut self,
        file: SourceId,
        loc: raw::Loc,
        min: Option<&Sp<u64>>,
        max: Option<&Sp<u64>>,
        what: &str,
    ) -> Option<()> {
        if min.is_none() && max.is_none() {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::EmptyLimit,
                    at(file, loc),
                    format!("a {what} limit needs `min`, `max` or both"),
                )
                .help("write e.g. `length: {max: 24}`"),
            );
            return None;
        }
        if let Some(max) = max
            && max.value == 0
        {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::NonPositiveLimit,
                    at(file, max.loc),
                    format!("the {what} limit 0 allows nothing"),
                )
                .label("must be at least 1")
                .help("limits must be positive; remove the field if it is never sent"),
            );
            return None;
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo.value > hi.value
        {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::MinExceedsMax,
                    at(file, lo.loc),
                    format!("{what} limit is empty: min {} > max {}", lo.value, hi.value),
                )
                .label("min")
                .with_secondary(at(file, hi.loc), "max")
                .help("swap the bounds or fix the typo"),
            );
            return None;
        }
        Some(())
    }
}

/// Why a value of scalar `def` cannot travel as `wire`, if it cannot.
fn wire_problem(def: &crate::model::ScalarType, wire: Scalar) -> Option<String> {
    let fits = |(lo, hi): (i64, i64)| {
        def.range
            .is_some_and(|r| r.min.is_some_and(|m| m >= lo) && r.max.is_some_and(|m| m <= hi))
    };
    match (def.scalar, wire) {
        (a, b) if a == b => None,
        (_, Scalar::Boolean) => Some("a scalar never travels as a boolean".to_owned()),
        (Scalar::Int | Scalar::Long, Scalar::String)
        | (Scalar::Int, Scalar::Int | Scalar::Long) => None,
        (Scalar::String | Scalar::Long, number) => {
            let bounds = number.bounds().unwrap_or((i64::MIN, i64::MAX));
            (!fits(bounds)).then(|| {
                let within = if number == Scalar::Int {
                    format!(" inside {}..={}", bounds.0, bounds.1)
                } else {
                    String::new()
                };
                format!(
                    "its values are not all {} numbers: give it a `range` with `min` and `max`{within}",
                    scalar_name(number)
                )
            })
        }
        (Scalar::Boolean, _) => Some("a boolean scalar cannot exist".to_owned()),
    }
}

fn scalar_name(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::String => "string",
        Scalar::Int => "int",
        Scalar::Long => "long",
        Scalar::Boolean => "boolean",
    }
}

pub(super) fn scalar_of(t: ValueType) -> Scalar {
    match t {
        ValueType::Int => Scalar::Int,
        ValueType::Long => Scalar::Long,
        ValueType::Boolean => Scalar::Boolean,
        _ => Scalar::String,
    }
}

pub(super) fn type_name(t: ValueType) -> &'static str {
    match t {
        ValueType::String => "string",
        ValueType::Int => "int",
        ValueType::Long => "long",
        ValueType::Boolean => "boolean",
        ValueType::Array => "array",
        ValueType::Object => "object",
    }
}
