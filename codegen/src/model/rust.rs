//! Rust names for everything the spec defines, decided once here so that every emitter agrees.
//!
//! Wire names become snake_case fields and code names UpperCamelCase variants (via heck),
//! keyword-safe. Two wire names that map to the same Rust name are a spec error that names both;
//! nothing is silently suffixed. The names of generated items (`<Interface>Path`,
//! `<Service>Client`, `ErrorCode`, `router`, test names, ...) are made and checked per namespace
//! in [`items`].

mod items;

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{
    CodeTableId, EventContent, ExampleTests, Field, InterfaceNames, InterfaceResult, RootNames,
    ServiceNames, Shape, Spec, TableId,
};
use crate::raw::UnknownCodes;
use crate::source::Span;

/// The method of a table's struct that checks the rules between its fields.
pub const CHECK_RULES: &str = "check_rules";
/// The constructor of a table with mandatory and optional fields.
pub const CONSTRUCTOR: &str = "new";
/// The envelope struct's member holding the message.
pub const ENVELOPE_MESSAGE: &str = "message";
/// The envelope struct's member holding the result code.
pub const ENVELOPE_RETCODE: &str = "retcode";
/// The envelope struct's member holding the result.
pub const ENVELOPE_RESULT: &str = "result";
/// The envelope's associated constant holding the success code.
pub const ENVELOPE_SUCCESS: &str = "SUCCESS";
/// The envelope's associated constant describing it to the runtime.
pub const ENVELOPE_FORMAT: &str = "FORMAT";
/// A service client's constructor.
pub const CLIENT_NEW: &str = "new";
/// A service client's accessor of the runtime client it wraps (also the field holding it).
pub const CLIENT_INNER: &str = "inner";
/// The methods a server trait inherits from `gatespec::server::SessionStore`, its supertrait: an
/// interface method of the same name would make calls through the trait ambiguous.
pub const SESSION_STORE_METHODS: &[&str] = &["resolve"];
/// Names for a code table's variant that keeps unlisted codes, in order of preference.
const FALLBACK_VARIANTS: &[&str] = &["Other", "Unlisted", "UnlistedCode", "UnlistedCodeValue"];
/// Names for the event enum's variant that keeps events the catalogue does not list, in order
/// of preference.
const EVENT_FALLBACK_VARIANTS: &[&str] = &["Unknown", "Unlisted", "NotListed", "Uncatalogued"];
/// The test that an event type the catalogue does not list is kept whole.
pub const UNKNOWN_EVENT_TEST: &str = "unlisted_event_types_are_kept";
/// The suffix of an event's content struct (`AgentConfParticipantChangedContent`).
const EVENT_CONTENT_SUFFIX: &str = "Content";

/// Words that cannot be identifiers as they are (Rust 2024, strict and reserved).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers either; they get a trailing underscore.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names the generated code itself uses; a spec type with one of these names would shadow them.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Self", "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box",
];

/// A keyword-safe identifier: `type` -> `r#type`, `self` -> `self_`, `3way` -> `_3way`.
pub fn safe_ident(word: &str) -> String {
    let word = if word.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{word}")
    } else {
        word.to_owned()
    };
    if NOT_RAW.contains(&word.as_str()) {
        format!("{word}_")
    } else if KEYWORDS.contains(&word.as_str()) {
        format!("r#{word}")
    } else {
        word
    }
}

/// The snake_case Rust field name of a wire name.
pub fn field_ident(wire: &str) -> String {
    let snake: String = wire
        .to_snake_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    safe_ident(&snake)
}

/// The UpperCamelCase Rust name of a snake_case spec name.
pub fn type_ident(name: &str) -> String {
    let camel: String = name
        .to_upper_camel_case()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    safe_ident(&camel)
}

/// The UpperCamelCase stem of names made by adding a suffix: [`type_ident`] without the
/// underscore that keeps a keyword apart (`self` -> `Self`, for `SelfPath`).
fn type_stem(name: &str) -> String {
    type_ident(name).trim_end_matches('_').to_owned()
}

/// The names of the crate root's own items.
pub fn root_names() -> RootNames {
    RootNames {
        codes_module: "codes".to_owned(),
        types_module: "types".to_owned(),
        examples_module: "examples".to_owned(),
        answers_module: "answers".to_owned(),
        error_code: "ErrorCode".to_owned(),
        error_fallback: String::new(),
        protocol: "PROTOCOL".to_owned(),
        events_module: "events".to_owned(),
        event_enum: "Event".to_owned(),
        event_fallback: String::new(),
    }
}

/// The variant an event type makes and the name of its content struct: its `rust_name`, else
/// the type in UpperCamelCase (`AgentConf_ParticipantChanged` -> `AgentConfParticipantChanged`,
/// `AgentConfParticipantChangedContent`).
pub fn event_names(event_type: &str, rust_name: Option<&str>) -> (String, String) {
    let variant = match rust_name {
        Some(name) => safe_ident(name),
        None => type_ident(event_type),
    };
    let content = format!("{}{EVENT_CONTENT_SUFFIX}", variant.trim_end_matches('_'));
    (variant, content)
}

/// The test an event example becomes, from the event's variant: `<variant>_event_round_trips`,
/// numbered when the event has several (`<variant>_event_2_round_trips`).
pub fn event_test(variant: &str, number: Option<usize>) -> String {
    let stem = field_ident(variant);
    let stem = stem.trim_start_matches("r#").trim_matches('_');
    match number {
        Some(n) => format!("{stem}_event_{n}_round_trips"),
        None => format!("{stem}_event_round_trips"),
    }
}

/// The names a service makes: `agentconf` -> module `agentconf`, `AgentconfClient`,
/// `AgentconfServer`, `router`, `router_with`.
pub fn service_names(service: &str) -> ServiceNames {
    let stem = type_stem(service);
    ServiceNames {
        module: safe_ident(service),
        client: format!("{stem}Client"),
        server: format!("{stem}Server"),
        router: "router".to_owned(),
        router_with: "router_with".to_owned(),
    }
}

/// The names an interface makes: `query_conf_infos` -> `QueryConfInfos`, `QueryConfInfosPath`,
/// `QueryConfInfosRequest`, `QueryConfInfosResult`, `QueryConfInfosFailure`, the method
/// `query_conf_infos` and its answers test.
pub fn interface_names(id: &str) -> InterfaceNames {
    let stem = type_stem(id);
    InterfaceNames {
        path: format!("{stem}Path"),
        request: format!("{stem}Request"),
        result: format!("{stem}Result"),
        failure: format!("{stem}Failure"),
        method: field_ident(id),
        answers_test: format!("{id}_failures_decode_as_failures"),
        descriptor: type_ident(id),
    }
}

/// The names of the tests an example becomes: `<interface>` (the single `example`) or
/// `<interface>_<name>`, then what the test checks.
pub fn example_tests(interface: &str, example: Option<&str>) -> ExampleTests {
    let prefix = match example {
        Some(name) => format!("{interface}_{name}"),
        None => interface.to_owned(),
    };
    ExampleTests {
        path_renders: format!("{prefix}_path_renders"),
        broken_path_is_refused: format!("{prefix}_broken_path_is_refused"),
        request_round_trips: format!("{prefix}_request_round_trips"),
        request_broken_copy_is_refused: format!("{prefix}_request_broken_copy_is_refused"),
        response_round_trips: format!("{prefix}_response_round_trips"),
        response_broken_copy_is_refused: format!("{prefix}_response_broken_copy_is_refused"),
        response_is_a_failure: format!("{prefix}_response_is_a_failure"),
    }
}

/// Rust names already taken in one scope (a table, a code table, ...), with the spec name and
/// place that took each, so that a second claim reports both.
struct Scope {
    what: String,
    taken: BTreeMap<String, (String, Span)>,
}

impl Scope {
    fn new(what: impl Into<String>) -> Self {
        Scope {
            what: what.into(),
            taken: BTreeMap::new(),
        }
    }

    /// Claims `ident` for the spec name `name`; a collision is reported, the same name twice is
    /// not (that is a duplicate, reported where it is defined).
    fn claim(&mut self, out: &mut Vec<Diagnostic>, ident: &str, name: &str, span: Span) {
        match self.taken.get(ident) {
            Some((first, _)) if first == name => {}
            Some((first, first_span)) => {
                out.push(collision(ident, name, span, first, *first_span, &self.what));
            }
            None => {
                self.taken.insert(ident.to_owned(), (name.to_owned(), span));
            }
        }
    }

    fn contains(&self, ident: &str) -> bool {
        self.taken.contains_key(ident)
    }

    /// The first variant name for unlisted codes that no code of the scope takes; when every
    /// one is taken, reported at the code that took the last.
    fn fallback(&self, out: &mut Vec<Diagnostic>) -> String {
        self.fallback_of(out, FALLBACK_VARIANTS, "unlisted codes", "codes")
    }

    /// The first of `candidates` that no name of the scope takes; when every one is taken,
    /// reported at the item that took the last.
    fn fallback_of(
        &self,
        out: &mut Vec<Diagnostic>,
        candidates: &[&str],
        kept: &str,
        items: &str,
    ) -> String {
        let free = candidates.iter().find(|name| !self.contains(name));
        let last = candidates.last().and_then(|l| self.taken.get(*l));
        match (free, last) {
            (Some(name), _) => (*name).to_owned(),
            (None, None) => String::new(),
            (None, Some((_, span))) => {
                let names: Vec<String> = candidates.iter().map(|n| format!("`{n}`")).collect();
                out.push(
                    Diagnostic::error(
                        DiagnosticCode::NameCollision,
                        *span,
                        format!(
                            "{} leaves no name for the variant that keeps {kept}",
                            self.what
                        ),
                    )
                    .label(format!("takes `{}`, the last name left", candidates.last().copied().unwrap_or_default()))
                    .help(format!(
                        "the variant takes the first free name of {}; rename one of the {items} that take them",
                        names.join(", ")
                    )),
                );
                String::new()
            }
        }
    }
}

/// The field name of a row: its `rust_name` (kept, made keyword-safe) or one from its wire name.
fn row_ident(field: &Field) -> String {
    if field.ident.is_empty() {
        field_ident(&field.name)
    } else {
        safe_ident(&field.ident)
    }
}

fn assign_fields(out: &mut Vec<Diagnostic>, fields: &mut [Field], scope: &mut Scope, what: &str) {
    for field in fields {
        field.ident = row_ident(field);
        check_ident(out, &field.ident, &field.name, field.span, what);
        scope.claim(out, &field.ident, &field.name, field.span);
        let stem = field.ident.trim_start_matches("r#");
        field.default_accessor = field
            .default
            .is_some()
            .then(|| format!("{stem}_or_default"));
        // `_3way` -> `with_3way`: no double underscore.
        field.setter = (!field.mandatory).then(|| format!("with_{}", stem.trim_start_matches('_')));
    }
}

/// Assigns every Rust name, decides which code tables keep unknown codes and checks that no two
/// things the spec defines make the same name where they meet.
pub fn assign(spec: &mut Spec, out: &mut Vec<Diagnostic>) {
    spec.names = root_names();
    for service in &mut spec.services {
        service.names = service_names(&service.name);
    }
    for table in &mut spec.tables {
        let mut scope = Scope::new(format!("table `{}`", table.name));
        assign_fields(out, &mut table.fields, &mut scope, "field");
    }
    for interface in &mut spec.interfaces {
        // `interface.names` come from `interface_names`, called when the interface is lowered
        // (its inline tables are named after them).
        let mut scope = Scope::new(format!("the URI parameters of `{}`", interface.id));
        assign_fields(out, &mut interface.path_params, &mut scope, "URI parameter");
        assign_fields(
            out,
            &mut interface.query_params,
            &mut scope,
            "query parameter",
        );
        for example in &mut interface.examples {
            example.tests = example_tests(&interface.id, example.name.as_deref());
        }
    }
    let mut catalogue = Scope::new("the error catalogue");
    for error in &mut spec.errors {
        error.ident = type_ident(&error.name);
        catalogue.claim(out, &error.ident, &error.name, error.span);
    }
    spec.names.error_fallback = catalogue.fallback(out);
    if !spec.events.is_empty() {
        let mut variants = Scope::new("the event catalogue");
        for event in &spec.events {
            variants.claim(out, &event.ident, &event.name, event.span);
        }
        spec.names.event_fallback =
            variants.fallback_of(out, EVENT_FALLBACK_VARIANTS, "unknown events", "events");
    }
    mark_received_tables(spec);
    let received = received(spec).code_tables;
    for (index, table) in spec.code_tables.iter_mut().enumerate() {
        let mut scope = Scope::new(format!("code table `{}`", table.name));
        for code in &mut table.codes {
            code.ident = type_ident(&code.name);
            scope.claim(out, &code.ident, &code.name, code.span);
        }
        let open = match table.unknown_codes {
            Some(UnknownCodes::Keep) => true,
            Some(UnknownCodes::Reject) => false,
            None => received.contains(&CodeTableId(index)),
        };
        // Left to the direction: kept when a gateway sends it, refused in requests.
        table.refuse_in_requests = open && table.unknown_codes.is_none();
        table.fallback = open.then(|| scope.fallback(out));
    }
    items::check(spec, out);
}

/// What a walk from some roots reaches: tables (by index) and code tables.
struct Reached {
    tables: Vec<bool>,
    code_tables: Vec<CodeTableId>,
}

impl Reached {
    /// Everything reachable from the tables `tables` and the values of shape `shapes`.
    fn from<'s>(
        spec: &'s Spec,
        tables: impl IntoIterator<Item = TableId>,
        shapes: impl IntoIterator<Item = &'s Shape>,
    ) -> Self {
        let mut reached = Reached {
            tables: vec![false; spec.tables.len()],
            code_tables: Vec::new(),
        };
        let mut pending: Vec<TableId> = tables.into_iter().collect();
        for shape in shapes {
            reached.shape(shape, &mut pending);
        }
        while let Some(table) = pending.pop() {
            if std::mem::replace(&mut reached.tables[table.0], true) {
                continue;
            }
            for field in &spec.table(table).fields {
                reached.shape(&field.shape, &mut pending);
            }
        }
        reached
    }

    fn shape(&mut self, shape: &Shape, pending: &mut Vec<TableId>) {
        let mut shape = shape;
        while let Shape::Array(item) = shape {
            shape = item;
        }
        match shape {
            Shape::Code(id, _) if !self.code_tables.contains(id) => self.code_tables.push(*id),
            Shape::Object(table) => pending.push(*table),
            _ => {}
        }
    }
}

/// What a client receives from the gateway: every interface's result and failure result.
fn received(spec: &Spec) -> Reached {
    let tables = spec.interfaces.iter().flat_map(|i| {
        let result = match &i.result {
            Some(InterfaceResult::Table(table)) => Some(*table),
            _ => None,
        };
        result.into_iter().chain(i.failure)
    });
    // Events only ever come from the gateway.
    let tables = tables.chain(spec.events.iter().filter_map(|e| match e.content {
        EventContent::Table(table) => Some(table),
        _ => None,
    }));
    let shapes = spec.interfaces.iter().filter_map(|i| match &i.result {
        Some(InterfaceResult::Value(field)) => Some(&field.shape),
        _ => None,
    });
    Reached::from(spec, tables, shapes)
}

/// What a client sends: every interface's request body.
fn sent(spec: &Spec) -> Reached {
    Reached::from(
        spec,
        spec.interfaces.iter().filter_map(|i| i.request),
        std::iter::empty(),
    )
}

/// Marks the tables only ever received (reached from results, never from a request): they
/// validate as responses.
fn mark_received_tables(spec: &mut Spec) {
    let (received, sent) = (received(spec), sent(spec));
    for (index, table) in spec.tables.iter_mut().enumerate() {
        table.received_only = received.tables[index] && !sent.tables[index];
    }
}

fn check_ident(out: &mut Vec<Diagnostic>, ident: &str, wire: &str, span: Span, what: &str) {
    if ident.trim_start_matches("r#").trim_matches('_').is_empty() {
        out.push(
            Diagnostic::error(
                DiagnosticCode::BadName,
                span,
                format!("{what} `{wire}` has no letters or digits to make a Rust name from"),
            )
            .help("wire names need at least one ASCII letter or digit"),
        );
    }
}

fn collision(
    ident: &str,
    name: &str,
    span: Span,
    first: &str,
    first_span: Span,
    scope: &str,
) -> Diagnostic {
    Diagnostic::error(
        DiagnosticCode::NameCollision,
        span,
        format!("`{name}` and `{first}` both become the Rust name `{ident}` in {scope}"),
    )
    .label(format!("becomes `{ident}`"))
    .with_secondary(first_span, format!("`{first}` also becomes `{ident}`"))
    .help(format!(
        "give one of them its own Rust name with `rust_name: ...` (the wire name stays `{name}`)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_digits() {
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("confIds"), "conf_ids");
        assert_eq!(field_ident("Content-Type"), "content_type");
        assert_eq!(field_ident("3way"), "_3way");
        assert_eq!(type_ident("self"), "Self_");
        assert_eq!(type_ident("query_conf_infos"), "QueryConfInfos");
        assert_eq!(type_ident("match"), "Match");
    }

    #[test]
    fn item_names() {
        let names = interface_names("query_conf_infos");
        assert_eq!(names.descriptor, "QueryConfInfos");
        assert_eq!(names.path, "QueryConfInfosPath");
        assert_eq!(names.request, "QueryConfInfosRequest");
        assert_eq!(names.result, "QueryConfInfosResult");
        assert_eq!(names.failure, "QueryConfInfosFailure");
        assert_eq!(names.method, "query_conf_infos");
        assert_eq!(
            names.answers_test,
            "query_conf_infos_failures_decode_as_failures"
        );
        // A keyword: the descriptor keeps its underscore, the suffixed names need none.
        let names = interface_names("self");
        assert_eq!(
            (names.descriptor.as_str(), names.path.as_str()),
            ("Self_", "SelfPath")
        );
        assert_eq!(names.method, "self_");
        let names = interface_names("match");
        assert_eq!(
            (names.descriptor.as_str(), names.method.as_str()),
            ("Match", "r#match")
        );

        let service = service_names("agentconf");
        assert_eq!(service.module, "agentconf");
        assert_eq!(service.client, "AgentconfClient");
        assert_eq!(service.server, "AgentconfServer");
        assert_eq!(service_names("type").module, "r#type");
        assert_eq!(service_names("self").client, "SelfClient");

        let single = example_tests("query", None);
        assert_eq!(single.request_round_trips, "query_request_round_trips");
        let named = example_tests("query", Some("all"));
        assert_eq!(named.path_renders, "query_all_path_renders");
        assert_eq!(
            named.response_is_a_failure,
            "query_all_response_is_a_failure"
        );
    }

    #[test]
    fn fallback_takes_the_first_free_name() {
        let span = Span::new(crate::source::SourceId::default(), 0, 0);
        let mut out = Vec::new();
        let mut scope = Scope::new("code table `T`");
        assert_eq!(scope.fallback(&mut out), "Other");
        scope.claim(&mut out, "Other", "other", span);
        assert_eq!(scope.fallback(&mut out), "Unlisted");
        scope.claim(&mut out, "Unlisted", "unlisted", span);
        scope.claim(&mut out, "UnlistedCode", "unlisted_code", span);
        scope.claim(&mut out, "UnlistedCodeValue", "unlisted_code_value", span);
        assert!(out.is_empty());
        assert_eq!(scope.fallback(&mut out), "");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, DiagnosticCode::NameCollision);
    }
}
