//! One operation per interface: parameters, security, request body, and the envelope-wrapped
//! answers.

use serde_json::{Map, Value, json};

use super::notes;
use super::schemas::{Schemas, code_json_type, reference};
use crate::model::{
    Direction, Envelope, ErrorId, Example, Field, Interface, InterfaceResult, Prerequisite, Spec,
};
use crate::raw::{HeaderPurpose, Method};

/// The media type of request and answer bodies.
pub const JSON: &str = "application/json";

/// The `paths` object: every interface under its path template.
pub fn paths(spec: &Spec, schemas: &mut Schemas<'_>, scheme: Option<&str>) -> Map<String, Value> {
    let mut paths = Map::new();
    for interface in &spec.interfaces {
        let item = paths
            .entry(interface.path_template())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(
                method_key(interface.method).to_owned(),
                operation(spec, interface, schemas, scheme),
            );
        }
    }
    paths
}

fn method_key(method: Method) -> &'static str {
    match method {
        Method::Get => "get",
        Method::Post => "post",
        Method::Put => "put",
        Method::Delete => "delete",
    }
}

fn operation(
    spec: &Spec,
    interface: &Interface,
    schemas: &mut Schemas<'_>,
    scheme: Option<&str>,
) -> Value {
    let mut op = Map::new();
    op.insert("operationId".into(), json!(interface.id));
    op.insert("summary".into(), json!(interface.title));
    op.insert("description".into(), json!(description(spec, interface)));
    if interface.deprecated.is_some() {
        op.insert("deprecated".into(), json!(true));
    }
    op.insert(
        "tags".into(),
        json!([spec.services[interface.service.0].name]),
    );

    let mut parameters = Vec::new();
    for field in &interface.path_params {
        parameters.push(parameter(field, "path", true, &interface.examples, schemas));
    }
    for field in &interface.query_params {
        parameters.push(parameter(
            field,
            "query",
            field.mandatory,
            &interface.examples,
            schemas,
        ));
    }
    for id in &interface.headers {
        let header = &spec.headers[id.0];
        // The media type is the request body's (OpenAPI ignores a Content-Type parameter), and
        // the session header is the security scheme.
        if matches!(
            header.purpose,
            Some(HeaderPurpose::ContentType | HeaderPurpose::Session)
        ) {
            continue;
        }
        parameters.push(json!({
            "name": header.name,
            "in": "header",
            "required": header.mandatory,
            "description": header.description,
            "schema": {"type": "string"},
        }));
    }
    if !parameters.is_empty() {
        op.insert("parameters".into(), Value::Array(parameters));
    }

    let session = interface.needs_session();
    op.insert(
        "security".into(),
        match (session, scheme) {
            (true, Some(scheme)) => json!([{ scheme: [] }]),
            _ => json!([]),
        },
    );

    if let Some(table) = interface.request {
        let mut content = Map::new();
        content.insert(
            "schema".into(),
            schemas.table_ref(table, Direction::Request),
        );
        let examples = examples(&interface.examples, |e| e.request.as_ref().map(|t| &t.text));
        if !examples.is_empty() {
            content.insert("examples".into(), Value::Object(examples));
        }
        op.insert(
            "requestBody".into(),
            json!({"required": true, "content": {JSON: Value::Object(content)}}),
        );
    }

    op.insert("responses".into(), responses(spec, interface, schemas));

    if !interface.log_name.is_empty() {
        op.insert("x-gatespec-log-name".into(), json!(interface.log_name));
    }
    if let Some(updated) = &interface.updated {
        op.insert("x-gatespec-updated".into(), json!(updated));
    }
    let roles: Vec<Value> = interface
        .prerequisites
        .iter()
        .filter_map(|p| match p {
            Prerequisite::Role { role, refusal, .. } => Some(json!({
                "role": spec.roles[role.0].name,
                "refusal": refusal.or(interface.role_refusal).map_or_else(
                    || retcode(spec, spec.protocol.refusals.missing_role),
                    |id| retcode(spec, id),
                ),
            })),
            _ => None,
        })
        .collect();
    if !roles.is_empty() {
        op.insert("x-gatespec-roles".into(), Value::Array(roles));
    }
    if !interface.visibility.is_empty() {
        let visibility = interface
            .visibility
            .iter()
            .map(|v| json!({"role": spec.roles[v.role.0].name, "scope": v.scope}));
        op.insert("x-gatespec-visibility".into(), visibility.collect());
    }
    if !interface.errors.is_empty() {
        let own = interface.errors.iter().map(|id| retcode(spec, *id));
        op.insert("x-gatespec-own-errors".into(), own.collect());
    }
    if !interface.events.is_empty() {
        let events = interface
            .events
            .iter()
            .map(|e| json!(spec.events[e.0].name));
        op.insert("x-gatespec-events".into(), events.collect());
    }
    notes::insert(&mut op, &interface.notes);
    Value::Object(op)
}

/// The interface's description followed by its prerequisites.
fn description(spec: &Spec, interface: &Interface) -> String {
    let mut text = interface.description.clone();
    let prerequisites: Vec<String> = interface
        .prerequisites
        .iter()
        .map(|p| match p {
            Prerequisite::SignedIn { text } | Prerequisite::Condition { text } => text.clone(),
            Prerequisite::Role { role, text, .. } => {
                format!("{text} (role `{}`)", spec.roles[role.0].name)
            }
        })
        .collect();
    if !prerequisites.is_empty() {
        text.push_str("\n\nPrerequisites:\n");
        for p in prerequisites {
            text.push_str(&format!("\n- {p}"));
        }
    }
    if let Some(note) = &interface.deprecated {
        text.push_str(&format!("\n\nDeprecated: {note}"));
    }
    text
}

fn parameter(
    field: &Field,
    location: &str,
    required: bool,
    page_examples: &[Example],
    schemas: &mut Schemas<'_>,
) -> Value {
    let mut schema = schemas.field_schema(field, Direction::Request);
    let description = match &mut schema {
        Value::Object(map) => map.remove("description"),
        _ => None,
    };
    let mut param = Map::new();
    param.insert("name".into(), json!(field.name));
    param.insert("in".into(), json!(location));
    param.insert("required".into(), json!(required));
    if let Some(description) = description {
        param.insert("description".into(), description);
    }
    param.insert("schema".into(), schema);
    let mut examples = Map::new();
    for (i, example) in page_examples.iter().enumerate() {
        let entries = if location == "path" {
            &example.path_params
        } else {
            &example.query_params
        };
        if let Some(entry) = entries.iter().find(|e| e.name == field.name) {
            examples.insert(example_name(example, i), json!({"value": entry.value}));
        }
    }
    if !examples.is_empty() {
        param.insert("examples".into(), Value::Object(examples));
    }
    Value::Object(param)
}

fn example_name(example: &Example, index: usize) -> String {
    example.name.clone().unwrap_or_else(|| {
        if index == 0 {
            "example".to_owned()
        } else {
            format!("example{index}")
        }
    })
}

/// The page's examples of one body, by name, parsed (the model checked that they are JSON).
fn examples<'e>(
    page: &'e [Example],
    text: impl Fn(&'e Example) -> Option<&'e String>,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (i, example) in page.iter().enumerate() {
        if let Some(value) = text(example).and_then(|t| serde_json::from_str::<Value>(t).ok()) {
            out.insert(example_name(example, i), json!({"value": value}));
        }
    }
    out
}

/// A catalogue code as the envelope's result-code member carries it.
pub fn retcode(spec: &Spec, id: ErrorId) -> Value {
    let code = &spec.errors[id.0].code;
    match spec.envelopes[spec.protocol.envelope.0].retcode.code_type {
        crate::model::CodeType::Int => code
            .parse::<i64>()
            .map_or_else(|_| json!(code), |i| json!(i)),
        crate::model::CodeType::String => json!(code),
    }
}

/// The failure codes an interface can answer: its own, then the refusals a server makes before
/// it runs.
fn failure_codes(spec: &Spec, interface: &Interface) -> Vec<ErrorId> {
    let refusals = &spec.protocol.refusals;
    let mut ids: Vec<ErrorId> = interface.errors.clone();
    let mut add = |id: ErrorId| {
        if !ids.contains(&id) {
            ids.push(id);
        }
    };
    add(refusals.invalid_parameter);
    if interface.needs_session() {
        add(refusals.not_signed_in);
        add(refusals.no_permission);
    }
    for p in &interface.prerequisites {
        if let Prerequisite::Role { refusal, .. } = p {
            add(refusal
                .or(interface.role_refusal)
                .unwrap_or(refusals.missing_role));
        }
    }
    if spec.services[interface.service.0].default_methods
        && let Some(id) = refusals.not_supported
    {
        add(id);
    }
    add(refusals.internal_error);
    ids
}

fn responses(spec: &Spec, interface: &Interface, schemas: &mut Schemas<'_>) -> Value {
    let envelope = &spec.envelopes[interface.envelope.0];
    let success = success_schema(spec, interface, envelope, schemas);
    let codes = failure_codes(spec, interface);
    let failure_detail = interface
        .failure
        .map(|table| schemas.table_ref(table, Direction::Response));
    let failure = failure_schema(spec, envelope, &codes, failure_detail);

    let mut content = Map::new();
    content.insert("schema".into(), json!({"oneOf": [success, failure]}));
    let examples = examples(&interface.examples, |e| {
        e.response.as_ref().map(|t| &t.text)
    });
    if !examples.is_empty() {
        content.insert("examples".into(), Value::Object(examples));
    }
    let mut ok = Map::new();
    ok.insert(
        "description".into(),
        json!(format!(
            "The {} envelope: success (`{}` is {}) with the result, or a failure code of the catalogue. Failures are answered with HTTP 200 too.",
            envelope.name, envelope.retcode.name, envelope.retcode.success
        )),
    );
    let headers: Map<String, Value> = interface
        .response_headers
        .iter()
        .map(|id| {
            let header = &spec.headers[id.0];
            let mut schema = json!({"type": "string"});
            if let (Some(renewal), Value::Object(map)) = (&spec.protocol.renewal, &mut schema)
                && renewal.header == *id
            {
                map.insert(
                    "pattern".into(),
                    json!(format!(
                        "^{}.+{}$",
                        regex_escape(&renewal.prefix),
                        regex_escape(&renewal.suffix)
                    )),
                );
            }
            (
                header.name.clone(),
                json!({"description": header.description, "required": false, "schema": schema}),
            )
        })
        .collect();
    if !headers.is_empty() {
        ok.insert("headers".into(), Value::Object(headers));
    }
    ok.insert("content".into(), json!({JSON: Value::Object(content)}));

    let mut responses = Map::new();
    responses.insert("200".into(), Value::Object(ok));
    if !interface.path_params.is_empty() {
        let unknown = spec.protocol.refusals.unknown_path;
        let protocol_envelope = &spec.envelopes[spec.protocol.envelope.0];
        responses.insert(
            "404".into(),
            json!({
                "description": "No interface answers the path: a path parameter that is empty or holds a `/` makes a path no interface has.",
                "content": {JSON: {"schema": failure_schema(spec, protocol_envelope, &[unknown], None)}},
            }),
        );
    }
    Value::Object(responses)
}

fn envelope_members(envelope: &Envelope, retcode: Value) -> Map<String, Value> {
    let mut properties = Map::new();
    properties.insert(
        envelope.message.0.clone(),
        json!({"type": "string", "description": envelope.message.1}),
    );
    properties.insert(envelope.retcode.name.clone(), retcode);
    properties
}

fn success_schema(
    spec: &Spec,
    interface: &Interface,
    envelope: &Envelope,
    schemas: &mut Schemas<'_>,
) -> Value {
    let success = match &envelope.retcode.success {
        crate::raw::CodeValue::Int(i) => json!(i),
        crate::raw::CodeValue::Str(s) => json!(s),
    };
    let mut properties = envelope_members(
        envelope,
        json!({"const": success, "description": envelope.retcode.description}),
    );
    let mut required = vec![json!(envelope.message.0), json!(envelope.retcode.name)];
    let result = match &interface.result {
        Some(InterfaceResult::Table(id)) => {
            required.push(json!(envelope.result.0));
            Some(schemas.table_ref(*id, Direction::Response))
        }
        Some(InterfaceResult::Value(field)) => {
            required.push(json!(envelope.result.0));
            Some(schemas.field_schema(field, Direction::Response))
        }
        Some(InterfaceResult::Event { description }) => {
            let mut event = reference("Event");
            if let Value::Object(map) = &mut event {
                map.insert("description".into(), json!(description));
            }
            Some(event)
        }
        None => None,
    };
    if let Some(result) = result {
        properties.insert(envelope.result.0.clone(), result);
    }
    let _ = spec;
    json!({
        "title": "success",
        "type": "object",
        "properties": properties,
        "required": required,
    })
}

fn failure_schema(
    spec: &Spec,
    envelope: &Envelope,
    codes: &[ErrorId],
    detail: Option<Value>,
) -> Value {
    let values: Vec<Value> = codes.iter().map(|id| retcode(spec, *id)).collect();
    let meanings: Vec<Value> = codes
        .iter()
        .map(|id| {
            let error = &spec.errors[id.0];
            json!({"code": retcode(spec, *id), "name": error.name, "meaning": error.meaning})
        })
        .collect();
    let mut properties = envelope_members(
        envelope,
        json!({
            "type": code_json_type(envelope.retcode.code_type),
            "enum": values,
            "description": envelope.retcode.description,
            "x-gatespec-codes": meanings,
        }),
    );
    if let Some(detail) = detail {
        properties.insert(envelope.result.0.clone(), detail);
    }
    json!({
        "title": "failure",
        "type": "object",
        "properties": properties,
        "required": [envelope.message.0, envelope.retcode.name],
    })
}

/// `text` with the characters regular expressions give a meaning escaped.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
