//! The namespaces of generated items. Every item name the generator emits is claimed in the
//! namespace where it lives, together with what made it and where; a second claim of a name is
//! a spec diagnostic naming both and saying which spec item to rename, never a rustc error in
//! generated code.
//!
//! The namespaces:
//!
//! - items: the crate root (everything glob-re-exported from `codes` and `types`, the protocol
//!   constant) and every service module together, because users glob-import both
//!   (`use agentgateway::*; use agentgateway::agentconf::*;`); with the names generated code
//!   uses unqualified (`Option`, `String`, ...) and the derives its modules import (`Validate`,
//!   ...). Types and values share it: a scalar's tuple struct and the protocol constant are both
//!   values, and a type and a constant spelt alike would only confuse.
//! - the crate's modules (`codes`, `types`, one per service, the test modules),
//! - the methods of each service's client and server (with the client's own and those the server
//!   trait inherits),
//! - the methods of each table's struct (default accessors, the rules check),
//! - the tests of the `examples` and `answers` modules.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{EventContent, Example, Spec, TableOrigin};
use crate::source::Span;

use super::{
    CHECK_RULES, CLIENT_INNER, CLIENT_NEW, CONSTRUCTOR, RESERVED_TYPE_NAMES, SESSION_STORE_METHODS,
    UNKNOWN_EVENT_TEST,
};

/// Derives (and their traits) that generated modules import by name.
const IMPORTED: &[&str] = &[
    "Serialize",
    "Deserialize",
    "Validate",
    "Constrained",
    "CodeEnum",
];

/// Something the spec makes that takes a name.
struct Claim {
    /// What it is, in messages (``code table `ConfState` ``).
    what: String,
    /// Where the spec makes it.
    span: Span,
    /// How to free the name (``rename code table `ConfState` ``).
    fix: String,
    /// Whether the name is a spec name written as is (a named definition): two of those with
    /// one name are a duplicate definition, reported where they are defined.
    defined: bool,
    /// The module the item lives in, where a namespace spans several.
    module: Option<String>,
}

impl Claim {
    fn new(what: String, span: Span, fix: String) -> Self {
        Claim {
            what,
            span,
            fix,
            defined: false,
            module: None,
        }
    }

    fn in_module(mut self, module: &str) -> Self {
        self.module = Some(module.to_owned());
        self
    }
}

/// Who holds a name.
enum Holder {
    /// An item of the generator's own, or a name it uses (`ErrorCode`, `Option`).
    Own(String),
    /// Something the spec makes.
    Spec(Claim),
}

/// The names taken in one namespace.
struct Namespace {
    /// Which namespace, in messages (`the crate root and the service modules`).
    what: String,
    /// Why it is one namespace across modules, said when two items of different modules meet.
    why: Option<&'static str>,
    taken: BTreeMap<String, Holder>,
}

impl Namespace {
    fn new(what: impl Into<String>) -> Self {
        Namespace {
            what: what.into(),
            why: None,
            taken: BTreeMap::new(),
        }
    }

    /// Takes a name for one of the generator's own items (claimed before anything of the spec).
    fn own(&mut self, ident: &str, what: impl Into<String>) {
        self.taken
            .entry(ident.to_owned())
            .or_insert_with(|| Holder::Own(what.into()));
    }

    /// Claims every name of one spec item, reporting the first that is taken (the others would
    /// only repeat it).
    fn claim_all(
        &mut self,
        out: &mut Vec<Diagnostic>,
        names: impl IntoIterator<Item = (String, Claim)>,
    ) {
        for (ident, claim) in names {
            if !self.claim(out, &ident, claim) {
                return;
            }
        }
    }

    /// Claims `ident`; whether it was free.
    fn claim(&mut self, out: &mut Vec<Diagnostic>, ident: &str, claim: Claim) -> bool {
        let Some(first) = self.taken.get(ident) else {
            self.taken.insert(ident.to_owned(), Holder::Spec(claim));
            return true;
        };
        let diagnostic = match first {
            // The same spec name twice (two definitions named alike, two examples of an
            // interface named alike) is a duplicate, reported where it is defined.
            Holder::Spec(first) if first.defined && claim.defined => return true,
            Holder::Spec(first) if first.what == claim.what => return true,
            Holder::Own(first) => Diagnostic::error(
                DiagnosticCode::NameCollision,
                claim.span,
                format!(
                    "`{ident}` in {} would be both {} and {first}",
                    self.what, claim.what
                ),
            )
            .label(format!("becomes `{ident}`"))
            .help(&claim.fix),
            Holder::Spec(first) => Diagnostic::error(
                DiagnosticCode::NameCollision,
                claim.span,
                format!(
                    "`{ident}` in {} would be both {} and {}",
                    self.what, claim.what, first.what
                ),
            )
            .label(format!("becomes `{ident}`"))
            .with_secondary(first.span, format!("{} also becomes `{ident}`", first.what))
            .help(self.help(&claim, first)),
        };
        out.push(diagnostic);
        false
    }

    fn help(&self, claim: &Claim, first: &Claim) -> String {
        let fixes = format!("{}, or {}", claim.fix, first.fix);
        match self.why {
            Some(why) if claim.module != first.module => format!("{fixes} ({why})"),
            _ => fixes,
        }
    }
}

/// Checks every namespace of generated items.
pub(super) fn check(spec: &Spec, out: &mut Vec<Diagnostic>) {
    check_items(spec, out);
    check_modules(spec, out);
    check_methods(spec, out);
    check_table_methods(spec, out);
    check_tests(spec, out);
    check_event_tests(spec, out);
}

/// The methods of each service's client and server (a service without interfaces has neither).
/// `router` and `router_with` need no namespace: they are the only snake_case items of a service
/// module, and every other is UpperCamelCase and claimed with the crate root's items.
fn check_methods(spec: &Spec, out: &mut Vec<Diagnostic>) {
    for (index, service) in spec.services.iter().enumerate() {
        let (client, server) = (&service.names.client, &service.names.server);
        let mut methods = Namespace::new(format!("the methods of `{client}` and `{server}`"));
        methods.own(
            CLIENT_NEW,
            format!("the constructor `{client}::{CLIENT_NEW}`"),
        );
        methods.own(
            CLIENT_INNER,
            format!("the accessor `{client}::{CLIENT_INNER}`"),
        );
        for method in SESSION_STORE_METHODS {
            methods.own(
                method,
                format!("`SessionStore::{method}`, which `{server}` inherits"),
            );
        }
        for interface in spec.interfaces.iter().filter(|i| i.service.0 == index) {
            methods.claim(
                out,
                &interface.names.method,
                Claim::new(
                    format!("the method of interface `{}`", interface.id),
                    interface.span,
                    format!("rename interface `{}`", interface.id),
                ),
            );
        }
    }
}

/// The crate root and the service modules.
fn check_items(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let mut items = Namespace::new("the crate root and the service modules");
    items.why = Some("users glob-import the crate root and a service module together");
    for name in RESERVED_TYPE_NAMES {
        items.own(name, format!("Rust's `{name}`, which generated code uses"));
    }
    for name in IMPORTED {
        items.own(
            name,
            format!("the `{name}` derive that generated modules import"),
        );
    }
    items.own(&spec.names.error_code, "the error-code catalogue");
    items.own(&spec.names.protocol, "the protocol constant");
    if !spec.events.is_empty() {
        items.own(&spec.names.event_enum, "the enum of the event catalogue");
    }
    for (index, service) in spec.services.iter().enumerate() {
        if !spec.interfaces.iter().any(|i| i.service.0 == index) {
            continue;
        }
        let claim = |what: &str, ident: &String| {
            let what = format!("the {what} of service `{}`", service.name);
            let fix = format!("rename service `{}`", service.name);
            let claim = Claim::new(what, service.span, fix).in_module(&service.names.module);
            (ident.clone(), claim)
        };
        items.claim_all(
            out,
            [
                claim("client", &service.names.client),
                claim("server trait", &service.names.server),
            ],
        );
    }
    for interface in &spec.interfaces {
        let names = &interface.names;
        let module = &spec.services[interface.service.0].names.module;
        let claim = |what: &str, ident: &String| {
            let what = if what.is_empty() {
                format!("interface `{}`", interface.id)
            } else {
                format!("the {what} of interface `{}`", interface.id)
            };
            let fix = format!("rename interface `{}`", interface.id);
            let claim = Claim::new(what, interface.span, fix).in_module(module);
            (ident.clone(), claim)
        };
        let mut claims = vec![
            claim("", &names.descriptor),
            claim("parameters struct", &names.path),
        ];
        if interface.request.is_some() {
            claims.push(claim("request body", &names.request));
        }
        if interface.result.is_some() {
            claims.push(claim("result", &names.result));
        }
        if interface.failure.is_some() {
            claims.push(claim("failure detail", &names.failure));
        }
        items.claim_all(out, claims);
    }
    for event in &spec.events {
        if let EventContent::Table(table) = event.content {
            let claim = Claim::new(
                format!("the content of event `{}`", event.name),
                event.span,
                format!("give event `{}` another `rust_name`", event.name),
            )
            .in_module(&spec.names.events_module);
            items.claim(out, &spec.table(table).name, claim);
        }
    }
    // Named definitions last, so that a code table named like a generated item is the one
    // reported. Reserved names are reported where they are defined.
    let (codes, types) = (&spec.names.codes_module, &spec.names.types_module);
    let defined = spec
        .envelopes
        .iter()
        .map(|e| ("envelope", &e.name, e.span, types))
        .chain(
            spec.scalars
                .iter()
                .map(|s| ("scalar", &s.name, s.span, types)),
        )
        .chain(
            spec.code_tables
                .iter()
                .map(|t| ("code table", &t.name, t.span, codes)),
        )
        .chain(
            spec.tables
                .iter()
                .filter(|t| t.origin == TableOrigin::Named)
                .map(|t| ("table", &t.name, t.span, types)),
        );
    for (kind, name, span, module) in defined {
        if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
            continue;
        }
        let claim = Claim {
            what: format!("{kind} `{name}`"),
            span,
            fix: format!("rename {kind} `{name}`"),
            defined: true,
            module: Some(module.clone()),
        };
        items.claim(out, name, claim);
    }
}

/// The crate's modules.
fn check_modules(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let names = &spec.names;
    let mut modules = Namespace::new("the crate's modules");
    modules.own(&names.codes_module, "the module of code tables");
    modules.own(&names.types_module, "the module of shared types");
    if spec.interfaces.iter().any(|i| !i.examples.is_empty()) || !spec.events.is_empty() {
        modules.own(&names.examples_module, "the test module of the examples");
    }
    if !spec.interfaces.is_empty() {
        modules.own(&names.answers_module, "the test module of failure answers");
    }
    if !spec.events.is_empty() {
        modules.own(&names.events_module, "the module of the event catalogue");
    }
    for service in &spec.services {
        modules.claim(
            out,
            &service.names.module,
            Claim::new(
                format!("the module of service `{}`", service.name),
                service.span,
                format!("rename service `{}`", service.name),
            ),
        );
    }
}

/// The methods of each table's struct: the constructor, the setters, the default accessors and
/// the rules check.
fn check_table_methods(spec: &Spec, out: &mut Vec<Diagnostic>) {
    for table in &spec.tables {
        let mut methods = Namespace::new(format!("the methods of `{}`", table.name));
        methods.own(CHECK_RULES, "the check of its rules between fields");
        methods.own(CONSTRUCTOR, "its constructor");
        for field in &table.fields {
            let generated = [
                (&field.default_accessor, "default accessor"),
                (&field.setter, "setter"),
            ];
            for (name, what) in generated {
                let Some(name) = name else { continue };
                let claim = Claim::new(
                    format!("the {what} of field `{}`", field.name),
                    field.span,
                    format!("give field `{}` another `rust_name`", field.name),
                );
                methods.claim(out, name, claim);
            }
        }
    }
}

/// The test functions of the `examples` and `answers` modules.
fn check_tests(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let mut examples = Namespace::new(format!("the `{}` tests", spec.names.examples_module));
    let mut answers = Namespace::new(format!("the `{}` tests", spec.names.answers_module));
    for interface in &spec.interfaces {
        for example in &interface.examples {
            let (what, fix) = match &example.name {
                Some(name) => (
                    format!("a test of example `{name}` of interface `{}`", interface.id),
                    format!("rename example `{name}` of interface `{}`", interface.id),
                ),
                None => (
                    format!("a test of the example of interface `{}`", interface.id),
                    format!("give the example of interface `{}` a `name`", interface.id),
                ),
            };
            let claims = example_test_names(example).into_iter().map(|name| {
                (
                    name.to_owned(),
                    Claim::new(what.clone(), example.span, fix.clone()),
                )
            });
            examples.claim_all(out, claims);
        }
        answers.claim(
            out,
            &interface.names.answers_test,
            Claim::new(
                format!("the failure-answers test of interface `{}`", interface.id),
                interface.span,
                format!("rename interface `{}`", interface.id),
            ),
        );
    }
}

/// The tests of the event examples, in the `examples` module.
fn check_event_tests(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let mut examples = Namespace::new(format!("the `{}` tests", spec.names.examples_module));
    if !spec.events.is_empty() {
        examples.own(
            UNKNOWN_EVENT_TEST,
            "the test that unlisted event types are kept",
        );
    }
    for interface in &spec.interfaces {
        for example in &interface.examples {
            for name in example_test_names(example) {
                examples.own(
                    name,
                    format!("a test of an example of interface `{}`", interface.id),
                );
            }
        }
    }
    for event in &spec.events {
        for example in &event.examples {
            examples.claim(
                out,
                &example.test,
                Claim::new(
                    format!("the test of an example of event `{}`", event.name),
                    example.text.span,
                    format!("give event `{}` another `rust_name`", event.name),
                ),
            );
        }
    }
}

/// The names of the tests an example can become, by the parts it has.
fn example_test_names(example: &Example) -> Vec<&str> {
    let tests = &example.tests;
    let mut names = Vec::new();
    if !example.path_params.is_empty() || !example.query_params.is_empty() {
        names.extend([
            tests.path_renders.as_str(),
            tests.broken_path_is_refused.as_str(),
        ]);
    }
    if example.request.is_some() {
        names.extend([
            tests.request_round_trips.as_str(),
            tests.request_broken_copy_is_refused.as_str(),
        ]);
    }
    if example.response.is_some() {
        names.extend([
            tests.response_round_trips.as_str(),
            tests.response_broken_copy_is_refused.as_str(),
            tests.response_is_a_failure.as_str(),
        ]);
    }
    names
}
