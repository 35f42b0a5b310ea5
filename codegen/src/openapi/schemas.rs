//! JSON Schemas of the model's values: fields, tables, code tables, scalars and events.
//!
//! A code table that keeps unknown codes in answers but refuses them in requests reads
//! differently each way, and so does every table that reaches one: such a table gets a second
//! component, `<Name>Received`, for the answers it appears in.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::{decimal, notes};
use crate::model::{
    CodeTableId, CodeType, Direction, EventContent, Field, Length, Range, RuleKind, Scalar, Shape,
    Spec, TableId,
};
use crate::raw::{CodeValue, LengthUnit, ScalarValue, Unit, UnknownCodes};

/// The reference to a component schema.
pub fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// Builds component schemas on demand while paths and events are written.
pub struct Schemas<'a> {
    spec: &'a Spec,
    components: BTreeMap<String, Value>,
    requested: BTreeSet<(Kind, u8)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Table(usize),
    Codes(usize),
}

fn rank(direction: Direction) -> u8 {
    match direction {
        Direction::Request => 0,
        Direction::Response => 1,
    }
}

fn direction(rank: u8) -> Direction {
    if rank == 0 {
        Direction::Request
    } else {
        Direction::Response
    }
}

impl<'a> Schemas<'a> {
    /// No components yet.
    pub fn new(spec: &'a Spec) -> Self {
        Self {
            spec,
            components: BTreeMap::new(),
            requested: BTreeSet::new(),
        }
    }

    /// Every component schema asked for, by name.
    pub fn finish(mut self) -> Map<String, Value> {
        // Writing a component asks for the components it refers to; write until none is new.
        let mut written: BTreeSet<(Kind, u8)> = BTreeSet::new();
        loop {
            let pending: Vec<(Kind, u8)> = self
                .requested
                .iter()
                .filter(|key| !written.contains(key))
                .copied()
                .collect();
            if pending.is_empty() {
                break;
            }
            for (kind, dir_rank) in pending {
                written.insert((kind, dir_rank));
                let dir = direction(dir_rank);
                let (name, schema) = match kind {
                    Kind::Table(id) => (
                        self.table_name(TableId(id), dir),
                        self.table_schema(TableId(id), dir),
                    ),
                    Kind::Codes(id) => (
                        self.code_table_name(CodeTableId(id), dir),
                        self.code_table_schema(CodeTableId(id), dir),
                    ),
                };
                self.components.insert(name, schema);
            }
        }
        self.components.into_iter().collect()
    }

    /// A reference to the table's schema as it travels `dir`.
    pub fn table_ref(&mut self, id: TableId, dir: Direction) -> Value {
        let dir = self.table_direction(id, dir);
        self.requested.insert((Kind::Table(id.0), rank(dir)));
        reference(&self.table_name(id, dir))
    }

    fn code_table_ref(&mut self, id: CodeTableId, dir: Direction) -> Value {
        let dir = self.code_direction(id, dir);
        self.requested.insert((Kind::Codes(id.0), rank(dir)));
        reference(&self.code_table_name(id, dir))
    }

    /// The direction whose schema a reference uses: answers share the request schema unless
    /// the two differ.
    fn table_direction(&self, id: TableId, dir: Direction) -> Direction {
        if dir == Direction::Response && !self.table_differs(id, &mut BTreeSet::new()) {
            Direction::Request
        } else {
            dir
        }
    }

    fn code_direction(&self, id: CodeTableId, dir: Direction) -> Direction {
        if dir == Direction::Response && !self.codes_differ(id) {
            Direction::Request
        } else {
            dir
        }
    }

    fn table_name(&self, id: TableId, dir: Direction) -> String {
        let table = self.spec.table(id);
        match dir {
            Direction::Response if self.table_differs(id, &mut BTreeSet::new()) => {
                format!("{}Received", table.name)
            }
            _ => table.name.clone(),
        }
    }

    fn code_table_name(&self, id: CodeTableId, dir: Direction) -> String {
        let table = self.spec.code_table(id);
        match dir {
            Direction::Response if self.codes_differ(id) => format!("{}Received", table.name),
            _ => table.name.clone(),
        }
    }

    fn codes_differ(&self, id: CodeTableId) -> bool {
        let table = self.spec.code_table(id);
        table.keeps_unknown(Direction::Request) != table.keeps_unknown(Direction::Response)
    }

    /// Whether the table's schema differs between requests and answers (it reaches a code table
    /// that does).
    fn table_differs(&self, id: TableId, seen: &mut BTreeSet<usize>) -> bool {
        if !seen.insert(id.0) {
            return false;
        }
        self.spec
            .table(id)
            .fields
            .iter()
            .any(|f| self.shape_differs(&f.shape, seen))
    }

    fn shape_differs(&self, shape: &Shape, seen: &mut BTreeSet<usize>) -> bool {
        match shape {
            Shape::Scalar(_) | Shape::Newtype(..) => false,
            Shape::Code(id, _) => self.codes_differ(*id),
            Shape::Object(id) => self.table_differs(*id, seen),
            Shape::Array(inner) => self.shape_differs(inner, seen),
        }
    }

    fn table_schema(&mut self, id: TableId, dir: Direction) -> Value {
        let table = self.spec.table(id);
        let mut schema = Map::new();
        schema.insert("title".into(), json!(table.name));
        schema.insert("type".into(), json!("object"));
        if let Some(description) = &table.description {
            schema.insert("description".into(), json!(description));
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut conditions = Vec::new();
        for field in &table.fields {
            let mut property = self.field_schema(field, dir);
            if !field.mandatory {
                property = nullable(property);
            }
            properties.insert(field.name.clone(), property);
            if field.mandatory {
                required.push(json!(field.name));
            }
            if let Some(when) = &field.required_if {
                conditions.push(required_if(table, &field.name, &when.field, &when.equals));
            }
        }
        schema.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
        if !conditions.is_empty() {
            schema.insert("allOf".into(), Value::Array(conditions));
        }
        if !table.rules.is_empty() {
            let rules = table.rules.iter().map(|rule| {
                let mut r = match &rule.kind {
                    RuleKind::LessThan {
                        field,
                        than,
                        otherwise,
                    } => json!({"less_than": {"field": field, "than": than}, "otherwise": otherwise}),
                    RuleKind::MeaningfulOnlyIf { field, when } => json!({
                        "meaningful_only_if": {"field": field, "when": {"field": when.field, "equals": scalar_value(&when.equals)}}
                    }),
                    RuleKind::AtMostTotal { fields, max } => {
                        json!({"at_most_total": {"fields": fields, "max": max}})
                    }
                };
                if let Value::Object(map) = &mut r {
                    map.retain(|_, v| !v.is_null());
                    map.insert("enforce".into(), json!(rule.enforce));
                }
                r
            });
            schema.insert("x-gatespec-rules".into(), Value::Array(rules.collect()));
        }
        if let Some(source) = &table.source {
            schema.insert("x-gatespec-source".into(), json!(source));
        }
        notes::insert(&mut schema, &table.notes);
        Value::Object(schema)
    }

    fn code_table_schema(&mut self, id: CodeTableId, dir: Direction) -> Value {
        let table = self.spec.code_table(id);
        let mut schema = Map::new();
        schema.insert("title".into(), json!(table.name));
        schema.insert("type".into(), json!(code_json_type(table.code_type)));
        if table.code_type == CodeType::Int {
            // The range of the integers the bindings take (unknown codes kept included).
            let format = if table.wide() { "int64" } else { "int32" };
            schema.insert("format".into(), json!(format));
        }
        schema.insert("description".into(), json!(table.description));
        let codes: Vec<Value> = table.codes.iter().map(|c| code_value(&c.value)).collect();
        if !table.keeps_unknown(dir) {
            schema.insert("enum".into(), Value::Array(codes));
        }
        let meanings = table.codes.iter().map(|c| {
            let mut entry = Map::new();
            entry.insert("code".into(), code_value(&c.value));
            entry.insert("name".into(), json!(c.name));
            entry.insert("meaning".into(), json!(c.meaning));
            if !c.also.is_empty() {
                let also = c
                    .also
                    .iter()
                    .map(|o| json!({"meaning": o.meaning, "source": o.source}));
                entry.insert("also".into(), Value::Array(also.collect()));
            }
            if let Some(source) = &c.source {
                entry.insert("source".into(), json!(source));
            }
            notes::insert(&mut entry, &c.notes);
            Value::Object(entry)
        });
        schema.insert("x-gatespec-codes".into(), Value::Array(meanings.collect()));
        let unknown = if table.keeps_unknown(dir) {
            UnknownCodes::Keep
        } else {
            UnknownCodes::Reject
        };
        schema.insert(
            "x-gatespec-unknown-codes".into(),
            json!(match unknown {
                UnknownCodes::Keep => "keep",
                UnknownCodes::Reject => "reject",
            }),
        );
        if let Some(source) = &table.source {
            schema.insert("x-gatespec-source".into(), json!(source));
        }
        notes::insert(&mut schema, &table.notes);
        Value::Object(schema)
    }

    /// The schema of a field (or parameter) travelling `dir`, with its description and facts.
    pub fn field_schema(&mut self, field: &Field, dir: Direction) -> Value {
        let mut schema = match self.value_schema(&field.shape, field, dir) {
            Value::Object(map) => map,
            other => {
                let mut map = Map::new();
                map.insert("allOf".into(), json!([other]));
                map
            }
        };
        schema.insert("description".into(), json!(field.description));
        if field.deprecated.is_some() {
            schema.insert("deprecated".into(), json!(true));
        }
        if let Some(default) = &field.default {
            schema.insert("default".into(), self.default_value(field, default));
        }
        if let Some(unit) = field
            .unit
            .or_else(|| self.newtype(&field.shape).and_then(|s| s.unit))
        {
            schema.insert("x-gatespec-unit".into(), json!(unit_name(unit)));
        }
        if let Some(row) = &field.row {
            schema.insert("x-gatespec-row".into(), json!(row));
        }
        notes::insert(&mut schema, &field.notes);
        Value::Object(schema)
    }

    fn newtype(&self, shape: &Shape) -> Option<&'a crate::model::ScalarType> {
        match shape {
            Shape::Newtype(id, _) => Some(self.spec.scalar(*id)),
            Shape::Array(inner) => self.newtype(inner),
            _ => None,
        }
    }

    /// A default as the wire writes it: a string-coded number's default stays a string.
    fn default_value(&self, field: &Field, default: &ScalarValue) -> Value {
        let travels_as_string = matches!(
            &field.shape,
            Shape::Scalar(Scalar::String)
                | Shape::Code(_, Scalar::String)
                | Shape::Newtype(_, Scalar::String)
        );
        match default {
            ScalarValue::Int(i) if travels_as_string => json!(i.to_string()),
            other => scalar_value(other),
        }
    }

    /// The schema of a value of `shape` with the field's constraints (on the elements, for
    /// arrays).
    fn value_schema(&mut self, shape: &Shape, field: &Field, dir: Direction) -> Value {
        match shape {
            Shape::Array(inner) => {
                let mut schema = Map::new();
                schema.insert("type".into(), json!("array"));
                schema.insert("items".into(), self.value_schema(inner, field, dir));
                if let Some(items) = field.items {
                    if let Some(min) = items.min {
                        schema.insert("minItems".into(), json!(min));
                    }
                    if let Some(max) = items.max {
                        schema.insert("maxItems".into(), json!(max));
                    }
                }
                Value::Object(schema)
            }
            Shape::Object(id) => self.table_ref(*id, dir),
            Shape::Code(id, travel) => {
                let table = self.spec.code_table(*id);
                let mut schema = self.code_table_ref(*id, dir);
                if let (Some(allowed), Value::Object(map)) = (&field.allowed_codes, &mut schema) {
                    map.insert("enum".into(), allowed.iter().map(code_value).collect());
                }
                if field.lenient {
                    let codes = field
                        .allowed_codes
                        .clone()
                        .unwrap_or_else(|| table.codes.iter().map(|c| c.value.clone()).collect());
                    let texts: Vec<Value> = codes.iter().map(|c| json!(code_text(c))).collect();
                    let string_form = if *travel == Scalar::String || table.keeps_unknown(dir) {
                        json!({"type": "string"})
                    } else {
                        json!({"type": "string", "enum": texts})
                    };
                    json!({"anyOf": [schema, string_form], "x-gatespec-lenient": true})
                } else {
                    schema
                }
            }
            Shape::Scalar(scalar) => {
                let facts = Facts {
                    range: field.range,
                    length: field.length,
                    pattern: field.pattern.as_deref(),
                    typed: false,
                };
                scalar_schema(*scalar, &facts, field.lenient)
            }
            Shape::Newtype(id, travel) => {
                let scalar = self.spec.scalar(*id);
                let facts = Facts {
                    range: field.range.or(scalar.range),
                    length: field.length.or(scalar.length),
                    pattern: field.pattern.as_deref(),
                    typed: matches!(scalar.scalar, Scalar::Int | Scalar::Long),
                };
                let mut schema = scalar_schema(*travel, &facts, field.lenient);
                if let Value::Object(map) = &mut schema {
                    map.insert("title".into(), json!(scalar.name));
                    map.insert(
                        "x-gatespec-scalar".into(),
                        json!({
                            "name": scalar.name,
                            "description": scalar.description,
                        }),
                    );
                    notes::insert(map, &scalar.notes);
                }
                schema
            }
        }
    }

    /// The schema of an event object of the catalogue.
    pub fn event_schemas(&mut self) {
        let Some(protocol) = &self.spec.event_protocol else {
            return;
        };
        let (type_member, agent_member, content_member) = (
            protocol.type_member.clone(),
            protocol.agent_member.clone(),
            protocol.content_member.clone(),
        );
        let mut known = Vec::new();
        let mut names = Vec::new();
        for event in &self.spec.events {
            let content = match event.content {
                EventContent::Null => json!({"type": "null"}),
                EventContent::Undocumented => {
                    json!({"description": "Not documented by the vendor: any JSON value."})
                }
                EventContent::Table(id) => self.table_ref(id, Direction::Response),
            };
            let mut schema = Map::new();
            schema.insert("title".into(), json!(event.name));
            schema.insert("type".into(), json!("object"));
            schema.insert("description".into(), json!(event.description));
            schema.insert(
                "properties".into(),
                json!({
                    type_member.clone(): {"const": event.name},
                    agent_member.clone(): {"description": "The agent the event is about."},
                    content_member.clone(): content,
                }),
            );
            schema.insert("required".into(), json!([type_member]));
            let examples: Vec<Value> = event
                .examples
                .iter()
                .filter_map(|e| serde_json::from_str(&e.text.text).ok())
                .collect();
            if !examples.is_empty() {
                schema.insert("examples".into(), Value::Array(examples));
            }
            let triggered: Vec<Value> = event
                .triggered_by
                .iter()
                .map(|i| json!(self.spec.interfaces[*i].id))
                .collect();
            if !triggered.is_empty() {
                schema.insert("x-gatespec-triggered-by".into(), Value::Array(triggered));
            }
            if let Some(source) = &event.source {
                schema.insert("x-gatespec-source".into(), json!(source));
            }
            notes::insert(&mut schema, &event.notes);
            let component = format!("{}Event", event.ident);
            known.push(reference(&component));
            names.push(json!(event.name));
            self.components.insert(component, Value::Object(schema));
        }
        let unlisted = json!({
            "title": "Unlisted event",
            "description": "An event type the catalogue does not list: clients keep it as it came.",
            "type": "object",
            "properties": {type_member.clone(): {"type": "string", "not": {"enum": names}}},
            "required": [type_member],
        });
        known.push(unlisted);
        self.components.insert(
            "Event".to_owned(),
            json!({
                "description": "An event object: one of the catalogue's, or an event type it does not list.",
                "anyOf": known,
                "x-gatespec-unknown-events": "keep",
            }),
        );
    }
}

/// An optional member's schema that also takes `null`: decoding reads a `null` optional member
/// as absent, so `null` is accepted wherever the member may be left out.
fn nullable(schema: Value) -> Value {
    let Value::Object(mut map) = schema else {
        return schema;
    };
    let simple =
        !map.contains_key("$ref") && !map.contains_key("anyOf") && !map.contains_key("allOf");
    match map.get("type").cloned() {
        Some(Value::String(t)) if simple => {
            map.insert("type".into(), json!([t, "null"]));
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                values.push(Value::Null);
            }
            Value::Object(map)
        }
        _ => {
            // Keep the documentation beside the alternatives; the value's own schema goes in.
            let mut outer = Map::new();
            for key in [
                "description",
                "default",
                "x-gatespec-unit",
                "x-gatespec-row",
                "x-gatespec-notes",
            ] {
                if let Some(v) = map.remove(key) {
                    outer.insert(key.into(), v);
                }
            }
            outer.insert(
                "anyOf".into(),
                json!([Value::Object(map), {"type": "null"}]),
            );
            Value::Object(outer)
        }
    }
}

/// "Mandatory when `other` is `equals`" in JSON Schema: an absent `other` counts as its default.
fn required_if(
    table: &crate::model::Table,
    field: &str,
    other: &str,
    equals: &ScalarValue,
) -> Value {
    let absent_matches = table
        .fields
        .iter()
        .any(|f| f.name == other && f.default.as_ref() == Some(equals));
    let mut condition = json!({"properties": {other: {"const": scalar_value(equals)}}});
    if !absent_matches && let Value::Object(map) = &mut condition {
        map.insert("required".into(), json!([other]));
    }
    json!({
        "if": condition,
        // A `null` member counts as absent.
        "then": {"required": [field], "properties": {field: {"not": {"type": "null"}}}},
        "x-gatespec-required-if": {"field": other, "equals": scalar_value(equals)},
    })
}

/// The constraints of a scalar.
struct Facts<'a> {
    range: Option<Range>,
    length: Option<Length>,
    pattern: Option<&'a str>,
    /// The value is a number by type (an `int`/`long` scalar), even without a range.
    typed: bool,
}

fn scalar_schema(travel: Scalar, facts: &Facts<'_>, lenient: bool) -> Value {
    let mut schema = Map::new();
    match travel {
        Scalar::String => {
            schema.insert("type".into(), json!("string"));
            let mut patterns = Vec::new();
            if facts.range.is_some() || facts.typed {
                let range = facts.range.unwrap_or_default();
                patterns.push(decimal::pattern(range.min, range.max, false));
                schema.insert("x-gatespec-decimal".into(), range_extension(facts.range));
            }
            if let Some(pattern) = facts.pattern {
                patterns.push(pattern.to_owned());
            }
            if let Some(length) = facts.length {
                if let Some(min) = length.min {
                    schema.insert("minLength".into(), json!(min));
                }
                if let Some(max) = length.max {
                    schema.insert("maxLength".into(), json!(max));
                }
                if length.unit == LengthUnit::Bytes {
                    schema.insert(
                        "x-gatespec-length".into(),
                        json!({"unit": "utf8_bytes", "min": length.min, "max": length.max}),
                    );
                }
            }
            let mut patterns = patterns.into_iter();
            if let Some(first) = patterns.next() {
                schema.insert("pattern".into(), json!(first));
            }
            let more: Vec<Value> = patterns.map(|p| json!({"pattern": p})).collect();
            if !more.is_empty() {
                schema.insert("allOf".into(), Value::Array(more));
            }
        }
        Scalar::Int | Scalar::Long => {
            schema.insert("type".into(), json!("integer"));
            schema.insert(
                "format".into(),
                json!(if travel == Scalar::Int {
                    "int32"
                } else {
                    "int64"
                }),
            );
            if let Some(range) = facts.range {
                if let Some(min) = range.min {
                    schema.insert("minimum".into(), json!(min));
                }
                if let Some(max) = range.max {
                    schema.insert("maximum".into(), json!(max));
                }
            }
        }
        Scalar::Boolean => {
            schema.insert("type".into(), json!("boolean"));
        }
    }
    if !lenient {
        return Value::Object(schema);
    }
    let string_form = match travel {
        Scalar::Boolean => json!({"type": "string", "enum": ["true", "false"]}),
        Scalar::Int | Scalar::Long => {
            let (lo, hi) = travel.bounds().unwrap_or((i64::MIN, i64::MAX));
            let range = facts.range.unwrap_or_default();
            json!({"type": "string", "pattern": decimal::pattern(range.min.or(Some(lo)), range.max.or(Some(hi)), true)})
        }
        Scalar::String => return Value::Object(schema),
    };
    json!({"anyOf": [Value::Object(schema), string_form], "x-gatespec-lenient": true})
}

fn range_extension(range: Option<Range>) -> Value {
    let range = range.unwrap_or_default();
    let mut map = Map::new();
    if let Some(min) = range.min {
        map.insert("minimum".into(), json!(min));
    }
    if let Some(max) = range.max {
        map.insert("maximum".into(), json!(max));
    }
    Value::Object(map)
}

/// The JSON type of codes.
pub fn code_json_type(code_type: CodeType) -> &'static str {
    match code_type {
        CodeType::Int => "integer",
        CodeType::String => "string",
    }
}

/// A code as JSON.
pub fn code_value(code: &CodeValue) -> Value {
    match code {
        CodeValue::Int(i) => json!(i),
        CodeValue::Str(s) => json!(s),
    }
}

fn code_text(code: &CodeValue) -> String {
    match code {
        CodeValue::Int(i) => i.to_string(),
        CodeValue::Str(s) => s.clone(),
    }
}

/// A scalar value as JSON.
pub fn scalar_value(value: &ScalarValue) -> Value {
    match value {
        ScalarValue::Bool(b) => json!(b),
        ScalarValue::Int(i) => json!(i),
        ScalarValue::Str(s) => json!(s),
    }
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::EpochMilliseconds => "epoch_milliseconds",
        Unit::EpochSeconds => "epoch_seconds",
        Unit::Milliseconds => "milliseconds",
        Unit::Seconds => "seconds",
        Unit::Minutes => "minutes",
    }
}
