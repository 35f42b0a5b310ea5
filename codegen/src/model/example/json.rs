//! Checking an example's JSON against the declared types: the envelope, tables, fields, codes.

use jsonc_parser::ast::{Array, Object, ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{
    CodeTableId, CodeType, Direction, EventContent, EventId, ExampleText, Field, Interface,
    InterfaceResult, Length, Range, Scalar, Shape, Spec, TableId,
};
use crate::raw::{CodeValue, ScalarValue};
use crate::source::{Sources, Span};

use super::text::TextMap;
use super::{code_problem, int_problem, parse_decimal, pattern_problem, string_problem};

/// Checks one example text (a request body or a response envelope).
pub(super) struct Checker<'s> {
    pub(super) spec: &'s Spec,
    text: &'s ExampleText,
    map: TextMap,
    what: &'static str,
    direction: Direction,
    /// The findings.
    pub(super) out: Vec<Diagnostic>,
}

pub(super) fn path_join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn shown(path: &str) -> &str {
    if path.is_empty() { "the body" } else { path }
}

impl<'s> Checker<'s> {
    pub(super) fn new(
        spec: &'s Spec,
        sources: &Sources,
        text: &'s ExampleText,
        what: &'static str,
        direction: Direction,
    ) -> Self {
        Checker {
            spec,
            text,
            map: TextMap::new(sources, text),
            what,
            direction,
            out: Vec::new(),
        }
    }

    fn span(&self, range: jsonc_parser::common::Range) -> Span {
        self.map.span(&self.text.text, range.start, range.end)
    }

    pub(super) fn report(
        &mut self,
        range: jsonc_parser::common::Range,
        path: &str,
        message: String,
        label: &str,
    ) {
        let d = Diagnostic::error(
            DiagnosticCode::ExampleInvalid,
            self.span(range),
            format!("{} does not match the spec: `{}` {message}", self.what, shown(path)),
        )
        .label(label.to_owned())
        .help("fix the example if it was mistyped; if the page's example is right, correct the spec and record a note");
        self.out.push(d);
    }

    pub(super) fn parse(&mut self) -> Option<Value<'s>> {
        let strict = ParseOptions {
            allow_comments: false,
            allow_loose_object_property_names: false,
            allow_trailing_commas: false,
            allow_missing_commas: false,
            allow_single_quoted_strings: false,
            allow_hexadecimal_numbers: false,
            allow_unary_plus_numbers: false,
            allow_bare_decimal_point_numbers: false,
            allow_non_finite_numbers: false,
            allow_extended_string_escapes: false,
        };
        match jsonc_parser::parse_to_ast(&self.text.text, &CollectOptions::default(), &strict) {
            Ok(result) => {
                if result.value.is_none() {
                    self.out.push(Diagnostic::error(
                        DiagnosticCode::ExampleInvalid,
                        self.text.span,
                        format!("{} is empty", self.what),
                    ));
                }
                result.value
            }
            Err(error) => {
                self.out.push(
                    Diagnostic::error(
                        DiagnosticCode::ExampleJson,
                        self.span(error.range()),
                        format!("{} is not valid JSON: {}", self.what, error.kind()),
                    )
                    .label("here")
                    .help("examples are copied verbatim from the page and must be plain JSON"),
                );
                None
            }
        }
    }

    pub(super) fn envelope(&mut self, root: &Value<'_>, interface: &Interface) {
        let envelope = &self.spec.envelopes[interface.envelope.0];
        let Some(object) = self.object(root, "") else {
            return;
        };
        let mut retcode_is_success = true;
        let mut failure_code = None;
        let mut result_value = None;
        for prop in &object.properties {
            let name = prop_name(&prop.name);
            if name == envelope.message.0 {
                self.scalar(&prop.value, Scalar::String, None, None, &name);
            } else if name == envelope.retcode.name {
                let code = match (&prop.value, envelope.retcode.code_type) {
                    (Value::StringLit(s), CodeType::String) => {
                        Some(CodeValue::Str(s.value.to_string()))
                    }
                    (Value::NumberLit(n), CodeType::Int) => {
                        n.value.parse().ok().map(CodeValue::Int)
                    }
                    _ => None,
                };
                match code {
                    Some(code) => {
                        retcode_is_success = code == envelope.retcode.success;
                        failure_code = Some((code, prop.value.range()));
                    }
                    None => {
                        let expected = match envelope.retcode.code_type {
                            CodeType::String => "a string",
                            CodeType::Int => "an integer",
                        };
                        self.report(
                            prop.value.range(),
                            &name,
                            format!("must be {expected}"),
                            "wrong type",
                        );
                    }
                }
            } else if name == envelope.result.0 {
                result_value = Some(&prop.value);
            } else {
                self.report(
                    prop.range,
                    &name,
                    format!("is not a member of envelope `{}`", envelope.name),
                    "unknown member",
                );
            }
        }
        for member in [&envelope.message.0, &envelope.retcode.name] {
            if !object
                .properties
                .iter()
                .any(|p| &prop_name(&p.name) == member)
            {
                self.report(
                    object.range,
                    member,
                    "is missing".to_owned(),
                    "envelope member missing",
                );
            }
        }
        let result_name = envelope.result.0.clone();
        if !retcode_is_success {
            self.failure(interface, failure_code, result_value, &result_name);
            return;
        }
        match (&interface.result, result_value) {
            (Some(InterfaceResult::Table(table)), Some(value)) => {
                self.table(value, *table, &result_name);
            }
            (Some(InterfaceResult::Value(field)), Some(value)) => {
                self.field(value, field, &result_name);
            }
            // No event pending: the member is absent (or null).
            (Some(InterfaceResult::Event { .. }), None) => {}
            (Some(InterfaceResult::Event { .. }), Some(value)) => {
                if !matches!(value, Value::NullKeyword(_)) {
                    self.event(value, None, &result_name);
                }
            }
            (Some(_), None) => self.report(
                object.range,
                &result_name,
                "is missing".to_owned(),
                "a successful response carries a result",
            ),
            (None, Some(value)) => {
                let empty = match value {
                    Value::NullKeyword(_) => true,
                    Value::Object(o) => o.properties.is_empty(),
                    _ => false,
                };
                if !empty {
                    self.report(
                        value.range(),
                        &result_name,
                        "must be empty: the interface declares no result".to_owned(),
                        "unexpected result",
                    );
                }
            }
            (None, None) => {}
        }
    }

    /// A failure answer: its code is in the catalogue, and its result member is the interface's
    /// failure result (or, for an interface that declares none, empty).
    fn failure(
        &mut self,
        interface: &Interface,
        code: Option<(CodeValue, jsonc_parser::common::Range)>,
        result: Option<&Value<'_>>,
        result_name: &str,
    ) {
        let envelope = &self.spec.envelopes[interface.envelope.0];
        if let Some((code, range)) = code {
            let text = match &code {
                CodeValue::Int(i) => i.to_string(),
                CodeValue::Str(s) => s.clone(),
            };
            if !self.spec.errors.iter().any(|e| e.code == text) {
                self.report(
                    range,
                    &envelope.retcode.name,
                    format!(
                        "is {code}, which is neither the success code ({}) nor a code of the error catalogue",
                        envelope.retcode.success
                    ),
                    "unknown result code",
                );
            }
        }
        let Some(value) = result.filter(|v| !matches!(v, Value::NullKeyword(_))) else {
            return;
        };
        match interface.failure {
            Some(table) => self.table(value, table, result_name),
            None => {
                if !matches!(value, Value::Object(o) if o.properties.is_empty()) {
                    self.report(
                        value.range(),
                        result_name,
                        "must be empty on failure: the interface declares no `failure` result"
                            .to_owned(),
                        "unexpected failure result",
                    );
                }
            }
        }
    }

    /// An event object: its type (`expected`, or any; a type the catalogue does not list is
    /// kept by the event enum), its agent and its content as the catalogue declares it.
    pub(super) fn event(&mut self, value: &Value<'_>, expected: Option<EventId>, path: &str) {
        let Some(protocol) = &self.spec.event_protocol else {
            return;
        };
        let Some(object) = self.object(value, path) else {
            return;
        };
        let members = [
            &protocol.type_member,
            &protocol.agent_member,
            &protocol.content_member,
        ];
        let mut event_type: Option<(String, jsonc_parser::common::Range)> = None;
        let mut content = None;
        for prop in &object.properties {
            let name = prop_name(&prop.name);
            let at = path_join(path, &name);
            if name == protocol.type_member || name == protocol.agent_member {
                match &prop.value {
                    Value::StringLit(text) => {
                        if name == protocol.type_member {
                            event_type = Some((text.value.to_string(), prop.value.range()));
                        }
                    }
                    other => self.report(
                        other.range(),
                        &at,
                        format!("must be a string, not {}", kind(other)),
                        "wrong type",
                    ),
                }
            } else if name == protocol.content_member {
                content = Some(&prop.value);
            } else {
                self.report(
                    prop.range,
                    &at,
                    format!(
                        "is not a member of the event object (`{}`, `{}`, `{}`)",
                        members[0], members[1], members[2]
                    ),
                    "unknown member",
                );
            }
        }
        let Some((event_type, type_range)) = event_type else {
            self.report(
                object.range,
                &path_join(path, &protocol.type_member),
                "is missing".to_owned(),
                "an event names its type",
            );
            return;
        };
        let found = self.spec.events.iter().position(|e| e.name == event_type);
        let id = match (expected, found) {
            (Some(expected), found) if found != Some(expected.0) => {
                let want = &self.spec.events[expected.0].name;
                self.report(
                    type_range,
                    &path_join(path, &protocol.type_member),
                    format!("is `{event_type}`, but this is an example of event `{want}`"),
                    "another event type",
                );
                return;
            }
            (_, Some(found)) => found,
            // An event type the catalogue does not list: kept whole by the unknown variant.
            (None, None) => return,
            (Some(_), None) => return,
        };
        let content_path = path_join(path, &protocol.content_member);
        match (self.spec.events[id].content, content) {
            (EventContent::Null, Some(value)) if !matches!(value, Value::NullKeyword(_)) => {
                self.report(
                    value.range(),
                    &content_path,
                    format!("must be null: event `{event_type}` has no content"),
                    "unexpected content",
                );
            }
            (EventContent::Table(table), Some(value)) => self.table(value, table, &content_path),
            (EventContent::Table(_), None) => self.report(
                object.range,
                &content_path,
                "is missing".to_owned(),
                "the event's content",
            ),
            _ => {}
        }
    }

    fn object<'v>(&mut self, value: &'v Value<'v>, path: &str) -> Option<&'v Object<'v>> {
        match value {
            Value::Object(o) => Some(o),
            other => {
                self.report(
                    other.range(),
                    path,
                    format!("must be an object, found {}", kind(other)),
                    "expected an object",
                );
                None
            }
        }
    }

    pub(super) fn table(&mut self, value: &Value<'_>, id: TableId, path: &str) {
        let Some(object) = self.object(value, path) else {
            return;
        };
        let table = self.spec.table(id);
        let mut seen: Vec<String> = Vec::new();
        for prop in &object.properties {
            let name = prop_name(&prop.name);
            let field_path = path_join(path, &name);
            if seen.contains(&name) {
                self.report(
                    prop.range,
                    &field_path,
                    "appears twice".to_owned(),
                    "duplicate member",
                );
                continue;
            }
            seen.push(name.clone());
            match table.fields.iter().find(|f| f.name == name) {
                None => {
                    let known: Vec<&str> = table.fields.iter().map(|f| f.name.as_str()).collect();
                    self.report(
                        prop.range,
                        &field_path,
                        format!(
                            "is not a field of `{}` (fields: {})",
                            table.name,
                            known.join(", ")
                        ),
                        "unknown field",
                    );
                }
                Some(field) => {
                    if matches!(prop.value, Value::NullKeyword(_)) && !field.mandatory {
                        continue;
                    }
                    self.field(&prop.value, field, &field_path);
                }
            }
        }
        for field in table.fields.iter().filter(|f| f.mandatory) {
            if !seen.contains(&field.name) {
                self.report(
                    object.range,
                    &path_join(path, &field.name),
                    format!("is mandatory in `{}` but missing", table.name),
                    "mandatory field missing",
                );
            }
        }
        for field in &table.fields {
            let Some(condition) = &field.required_if else {
                continue;
            };
            let holds = object
                .properties
                .iter()
                .find(|p| prop_name(&p.name) == condition.field)
                .is_some_and(|p| json_equals(&p.value, &condition.equals));
            if holds && !seen.contains(&field.name) {
                self.report(
                    object.range,
                    &path_join(path, &field.name),
                    format!(
                        "is mandatory when `{}` is {} but missing",
                        condition.field, condition.equals
                    ),
                    "conditionally mandatory field missing",
                );
            }
        }
        self.rules(object, table, path);
    }

    fn field(&mut self, value: &Value<'_>, field: &Field, path: &str) {
        if field.lenient
            && let Value::StringLit(text) = value
        {
            self.lenient_string(value, field, &text.value, path);
            return;
        }
        match &field.shape {
            Shape::Array(item) => {
                let Value::Array(array) = value else {
                    self.report(
                        value.range(),
                        path,
                        format!("must be an array, found {}", kind(value)),
                        "expected an array",
                    );
                    return;
                };
                if let Some(limit) = &field.items {
                    self.count(array, limit, path);
                }
                for (i, element) in array.elements.iter().enumerate() {
                    self.shape(element, item, Some(field), &format!("{path}[{i}]"));
                }
            }
            Shape::Scalar(s) => {
                self.scalar(value, *s, field.range.as_ref(), field.length.as_ref(), path);
                if let Value::StringLit(text) = value
                    && let Some(problem) = pattern_problem(field, &text.value)
                {
                    self.report(value.range(), path, problem, "pattern not matched");
                }
            }
            other => self.shape(value, other, Some(field), path),
        }
    }

    /// A value of a named scalar, travelling as `wire`: the JSON type is the wire type, the rules
    /// are the scalar's (a range on a string scalar applies to the number it holds; a length on
    /// it to the number's digits).
    fn newtype(
        &mut self,
        value: &Value<'_>,
        id: crate::model::ScalarTypeId,
        wire: Scalar,
        path: &str,
    ) {
        let def = self.spec.scalar(id);
        let (range, length) = (def.range.as_ref(), def.length.as_ref());
        match (def.scalar, wire, value) {
            (own, wire, _) if own == wire => self.scalar(value, own, range, length, path),
            (_, Scalar::Int | Scalar::Long, Value::NumberLit(n)) => {
                let Some(v) = self.integer(value, n.value, wire, range, path) else {
                    return;
                };
                if let Some(problem) = length.and_then(|l| super::length_problem(l, &v.to_string()))
                {
                    self.report(value.range(), path, problem, "constraint violated");
                }
            }
            (own @ (Scalar::Int | Scalar::Long), Scalar::String, Value::StringLit(s)) => {
                let problem = match parse_decimal(&s.value) {
                    Some(v) => int_problem(own, range, v),
                    None => Some(format!(
                        "\"{}\" is not a decimal integer (`{}` travels as a string of digits here)",
                        s.value, def.name
                    )),
                };
                if let Some(problem) = problem {
                    self.report(value.range(), path, problem, "constraint violated");
                }
            }
            _ => self.scalar(value, wire, None, None, path),
        }
    }

    /// A boolean or number written as a string, where the field is `lenient`.
    fn lenient_string(&mut self, value: &Value<'_>, field: &Field, text: &str, path: &str) {
        let problem = match &field.shape {
            Shape::Scalar(Scalar::Boolean) => (!matches!(text, "true" | "false"))
                .then(|| format!("\"{text}\" is not \"true\" or \"false\"")),
            Shape::Scalar(s @ (Scalar::Int | Scalar::Long)) => match parse_decimal(text) {
                Some(v) => int_problem(*s, field.range.as_ref(), v),
                None => Some(format!("\"{text}\" is not a decimal integer")),
            },
            Shape::Code(..) => match parse_decimal(text) {
                Some(v) => code_problem(self.spec, field, &CodeValue::Int(v), self.direction),
                None => Some(format!("\"{text}\" is not a decimal integer code")),
            },
            _ => None,
        };
        if let Some(problem) = problem {
            self.report(value.range(), path, problem, "invalid value");
        }
    }

    fn count(&mut self, array: &Array<'_>, limit: &Range, path: &str) {
        let n = i64::try_from(array.elements.len()).unwrap_or(i64::MAX);
        if !limit.contains(n) {
            let bound = match (limit.min, limit.max) {
                (_, Some(max)) if n > max => format!("at most {max}"),
                (Some(min), _) => format!("at least {min}"),
                _ => limit.to_string(),
            };
            self.report(
                array.range,
                path,
                format!("has {n} elements but allows {bound}"),
                "wrong number of elements",
            );
        }
    }

    /// A value of `shape`; `field` is the field it belongs to (for its allowed codes).
    fn shape(&mut self, value: &Value<'_>, shape: &Shape, field: Option<&Field>, path: &str) {
        match shape {
            Shape::Scalar(s) => self.scalar(value, *s, None, None, path),
            Shape::Newtype(id, wire) => self.newtype(value, *id, *wire, path),
            Shape::Object(id) => self.table(value, *id, path),
            Shape::Code(id, scalar) => self.code(value, *id, *scalar, field, path),
            Shape::Array(item) => {
                let Value::Array(array) = value else {
                    self.report(
                        value.range(),
                        path,
                        format!("must be an array, found {}", kind(value)),
                        "expected an array",
                    );
                    return;
                };
                for (i, element) in array.elements.iter().enumerate() {
                    self.shape(element, item, field, &format!("{path}[{i}]"));
                }
            }
        }
    }

    fn code(
        &mut self,
        value: &Value<'_>,
        id: CodeTableId,
        scalar: Scalar,
        field: Option<&Field>,
        path: &str,
    ) {
        let table = self.spec.code_table(id);
        let code = match (value, table.code_type) {
            (Value::StringLit(s), CodeType::String) => CodeValue::Str(s.value.to_string()),
            (Value::NumberLit(n), CodeType::Int) => {
                match self.integer(value, n.value, scalar, None, path) {
                    Some(v) => CodeValue::Int(v),
                    None => return,
                }
            }
            _ => {
                let expected = match table.code_type {
                    CodeType::String => "a string code",
                    CodeType::Int => "an integer code",
                };
                self.report(
                    value.range(),
                    path,
                    format!(
                        "must be {expected} of `{}`, found {}",
                        table.name,
                        kind(value)
                    ),
                    "wrong type",
                );
                return;
            }
        };
        if let Some(allowed) = field.and_then(|f| f.allowed_codes.as_ref())
            && !allowed.contains(&code)
        {
            let allowed: Vec<String> = allowed.iter().map(ToString::to_string).collect();
            self.report(
                value.range(),
                path,
                format!(
                    "has code {code}, which the field does not allow (allowed codes of `{}`: {})",
                    table.name,
                    allowed.join(", ")
                ),
                "code not allowed here",
            );
            return;
        }
        if table.find(&code).is_some() {
            return;
        }
        let listed: Vec<String> = table.codes.iter().map(|c| c.value.to_string()).collect();
        let tolerated = table.keeps_unknown(self.direction);
        let message = format!(
            "{} does not match the spec: `{path}` has code {code}, which `{}` does not list ({})",
            self.what,
            table.name,
            listed.join(", ")
        );
        let d = if tolerated {
            Diagnostic::warning(
                DiagnosticCode::ExampleUnknownCode,
                self.span(value.range()),
                message,
            )
            .label("unknown code (tolerated: the table keeps unknown codes)")
        } else {
            Diagnostic::error(
                DiagnosticCode::ExampleInvalid,
                self.span(value.range()),
                message,
            )
            .label("unknown code")
        };
        self.out.push(
            d.with_secondary(table.span, "the code table")
                .help("add the code to the table if the page documents it elsewhere"),
        );
    }

    fn integer(
        &mut self,
        value: &Value<'_>,
        text: &str,
        scalar: Scalar,
        range: Option<&Range>,
        path: &str,
    ) -> Option<i64> {
        let Some(v) = parse_decimal(text) else {
            let problem = if text.contains(['.', 'e', 'E']) {
                format!("must be an integer, found {text}")
            } else {
                format!("{text} does not fit a 64-bit long")
            };
            self.report(value.range(), path, problem, "not an integer");
            return None;
        };
        if let Some(problem) = int_problem(scalar, range, v) {
            self.report(value.range(), path, problem, "out of range");
            return None;
        }
        Some(v)
    }

    fn scalar(
        &mut self,
        value: &Value<'_>,
        scalar: Scalar,
        range: Option<&Range>,
        length: Option<&Length>,
        path: &str,
    ) {
        match (scalar, value) {
            (Scalar::String, Value::StringLit(s)) => {
                if let Some(problem) = string_problem(range, length, &s.value) {
                    self.report(value.range(), path, problem, "constraint violated");
                }
            }
            (Scalar::Int | Scalar::Long, Value::NumberLit(n)) => {
                self.integer(value, n.value, scalar, range, path);
            }
            (Scalar::Boolean, Value::BooleanLit(_)) => {}
            (expected, found) => {
                let expected = match expected {
                    Scalar::String => "a string",
                    Scalar::Int => "an int",
                    Scalar::Long => "a long",
                    Scalar::Boolean => "a boolean",
                };
                self.report(
                    found.range(),
                    path,
                    format!("must be {expected}, found {}", kind(found)),
                    "wrong type",
                );
            }
        }
    }
}

/// Whether a JSON value is the spec value (numbers and booleans may be written as strings).
pub(super) fn json_equals(value: &Value<'_>, expected: &ScalarValue) -> bool {
    match (value, expected) {
        (Value::BooleanLit(b), ScalarValue::Bool(e)) => b.value == *e,
        (Value::NumberLit(n), ScalarValue::Int(e)) => parse_decimal(n.value) == Some(*e),
        (Value::StringLit(s), ScalarValue::Str(e)) => s.value == e.as_str(),
        (Value::StringLit(s), other) => s.value == other.to_string(),
        _ => false,
    }
}

pub(super) fn prop_name(name: &ObjectPropName<'_>) -> String {
    match name {
        ObjectPropName::String(s) => s.value.to_string(),
        ObjectPropName::Word(w) => w.value.to_owned(),
    }
}

fn kind(value: &Value<'_>) -> String {
    match value {
        Value::StringLit(s) => format!("the string \"{}\"", s.value),
        Value::NumberLit(n) => format!("the number {}", n.value),
        Value::BooleanLit(b) => format!("the boolean {}", b.value),
        Value::Object(_) => "an object".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::NullKeyword(_) => "null".to_owned(),
    }
}
