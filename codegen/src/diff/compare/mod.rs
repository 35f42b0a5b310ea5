//! The walk over two models that finds and classifies every change.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;

use super::flow::{Flow, Flows};
use super::{Change, ChangeKind, Group, Movement, Verdict};
use crate::model::{
    CodeTable, Direction, EventContent, Field, Interface, InterfaceResult, Length, PathSegment,
    Prerequisite, Range, RuleKind, Shape, Spec, Table, TableId, TableRule,
};
use crate::raw::HeaderPurpose;
use crate::source::Span;

use Verdict::{Breaking, Compatible};

mod definitions;
mod fields;
mod interfaces;
mod protocol;

/// The verdicts of one change and why.
struct Verdicts {
    client: Verdict,
    server: Verdict,
    why: String,
}

impl Verdicts {
    fn new(client: Verdict, server: Verdict, why: impl Into<String>) -> Self {
        Verdicts {
            client,
            server,
            why: why.into(),
        }
    }

    fn both(why: impl Into<String>) -> Self {
        Verdicts::new(Breaking, Breaking, why)
    }

    fn neither(why: impl Into<String>) -> Self {
        Verdicts::new(Compatible, Compatible, why)
    }

    /// Narrowing breaks senders, widening receivers, a move both.
    fn moved(flow: Flow, movement: Movement, what: &str) -> Self {
        let senders_break = matches!(movement, Movement::Narrowed | Movement::Moved);
        let receivers_break = matches!(movement, Movement::Widened | Movement::Moved);
        let breaks = |sends: bool| {
            if (sends && senders_break) || (!sends && receivers_break) {
                Breaking
            } else {
                Compatible
            }
        };
        // A side that both sends and receives breaks if either role does.
        let side = |sends: bool, receives: bool| {
            let as_sender = if sends { breaks(true) } else { Compatible };
            let as_receiver = if receives { breaks(false) } else { Compatible };
            as_sender.max(as_receiver)
        };
        let client = side(flow.client_sends(), flow.server_sends());
        let server = side(flow.server_sends(), flow.client_sends());
        let why = match movement {
            Movement::Narrowed => format!(
                "{} may send {what} that are now refused; {} get fewer values",
                flow.senders(),
                flow.receivers()
            ),
            Movement::Widened => format!(
                "{} may now receive {what} they could not before; {} may send more",
                flow.receivers(),
                flow.senders()
            ),
            Movement::Moved => format!(
                "{} may send {what} that are now refused, and {} may receive {what} they could not before",
                flow.senders(),
                flow.receivers()
            ),
        };
        Verdicts::new(client, server, why)
    }

    /// Only the senders of `flow` break.
    fn senders(flow: Flow, why: impl Into<String>) -> Self {
        Verdicts::new(
            if flow.client_sends() {
                Breaking
            } else {
                Compatible
            },
            if flow.server_sends() {
                Breaking
            } else {
                Compatible
            },
            why,
        )
    }

    /// Only the receivers of `flow` break.
    fn receivers(flow: Flow, why: impl Into<String>) -> Self {
        Verdicts::new(
            if flow.server_sends() {
                Breaking
            } else {
                Compatible
            },
            if flow.client_sends() {
                Breaking
            } else {
                Compatible
            },
            why,
        )
    }
}

/// Where a change is defined on each side.
#[derive(Clone, Copy)]
struct Sites {
    old: Option<Span>,
    new: Option<Span>,
}

impl Sites {
    fn both(old: Span, new: Span) -> Self {
        Sites {
            old: Some(old),
            new: Some(new),
        }
    }
    fn old(old: Span) -> Self {
        Sites {
            old: Some(old),
            new: None,
        }
    }
    fn new(new: Span) -> Self {
        Sites {
            old: None,
            new: Some(new),
        }
    }
}

/// A request body, object result or failure detail: what it is called, what its fields are
/// called, and which way it travels.
#[derive(Clone, Copy)]
struct Body {
    what: &'static str,
    field: &'static str,
    flow: Flow,
}

const REQUEST: Body = Body {
    what: "request body",
    field: "request field",
    flow: Flow::Request,
};
const RESULT: Body = Body {
    what: "result",
    field: "result field",
    flow: Flow::Response,
};
const FAILURE: Body = Body {
    what: "failure detail",
    field: "failure field",
    flow: Flow::Response,
};

/// How a list of fields is compared.
#[derive(Clone, Copy)]
struct Place<'p> {
    /// What a field of it is called (`request field`).
    what: &'p str,
    flow: Flow,
    /// URI or query parameters: each is an argument of the client method.
    params: bool,
    /// URI parameters: matched by position, since the name is not on the wire.
    by_position: bool,
}

pub(super) struct Differ<'a> {
    old: &'a Spec,
    new: &'a Spec,
    old_flows: Flows,
    new_flows: Flows,
    out: Vec<Change>,
}

impl<'a> Differ<'a> {
    pub(super) fn new(old: &'a Spec, new: &'a Spec) -> Self {
        Differ {
            old,
            new,
            old_flows: Flows::of(old),
            new_flows: Flows::of(new),
            out: Vec::new(),
        }
    }

    pub(super) fn run(mut self) -> Vec<Change> {
        self.protocol();
        self.services();
        self.interfaces();
        self.named_tables();
        self.code_tables();
        self.scalars();
        self.headers();
        self.errors();
        self.events();
        self.out
    }

    fn push(
        &mut self,
        group: &Group,
        kind: ChangeKind,
        subject: impl Into<String>,
        detail: Option<String>,
        verdicts: Verdicts,
        sites: Sites,
    ) {
        self.out.push(Change {
            group: group.clone(),
            kind,
            subject: subject.into(),
            detail,
            client: verdicts.client,
            server: verdicts.server,
            why: verdicts.why,
            old: sites.old,
            new: sites.new,
        });
    }

    /// Reports changed documentation texts of one item as one change.
    fn docs(&mut self, group: &Group, subject: &str, texts: &[(&str, &str, &str)], sites: Sites) {
        let changed: Vec<&str> = texts
            .iter()
            .filter(|(_, old, new)| old != new)
            .map(|(name, ..)| *name)
            .collect();
        if !changed.is_empty() {
            self.push(
                group,
                ChangeKind::Documentation,
                subject,
                Some(format!("{} changed", changed.join(", "))),
                Verdicts::neither("documentation only"),
                sites,
            );
        }
    }

    fn deprecation(
        &mut self,
        group: &Group,
        subject: &str,
        old: Option<&String>,
        new: Option<&String>,
        sites: Sites,
    ) {
        match (old, new) {
            (None, Some(note)) => self.push(
                group,
                ChangeKind::Deprecated,
                subject,
                Some(note.clone()),
                Verdicts::neither("code using it compiles with a deprecation warning"),
                sites,
            ),
            (Some(old), None) => self.push(
                group,
                ChangeKind::DeprecationChanged,
                subject,
                Some(format!("no longer deprecated (was: {old})")),
                Verdicts::neither("the deprecation warning goes away"),
                sites,
            ),
            (Some(old), Some(new)) if old != new => self.push(
                group,
                ChangeKind::DeprecationChanged,
                subject,
                Some(format!("{old} -> {new}")),
                Verdicts::neither("only the deprecation note changed"),
                sites,
            ),
            _ => {}
        }
    }
}

type RefusalPick = fn(&crate::model::Refusals) -> Option<crate::model::ErrorId>;

const REFUSALS: [(&str, RefusalPick); 7] = [
    ("refusal invalid_parameter", |r| Some(r.invalid_parameter)),
    ("refusal not_signed_in", |r| Some(r.not_signed_in)),
    ("refusal no_permission", |r| Some(r.no_permission)),
    ("refusal missing_role", |r| Some(r.missing_role)),
    ("refusal internal_error", |r| Some(r.internal_error)),
    ("refusal unknown_path", |r| Some(r.unknown_path)),
    ("refusal not_supported", |r| r.not_supported),
];

/// Items of two lists paired by key, in key order.
fn pairs<'x, T, K: Ord>(
    old: &'x [T],
    new: &'x [T],
    key: impl Fn(&T) -> K,
) -> BTreeMap<K, (Option<&'x T>, Option<&'x T>)> {
    let mut map: BTreeMap<K, (Option<&T>, Option<&T>)> = BTreeMap::new();
    for item in old {
        map.entry(key(item)).or_default().0 = Some(item);
    }
    for item in new {
        map.entry(key(item)).or_default().1 = Some(item);
    }
    map
}

/// Entries of two maps paired by key.
fn pairs_map<'x, K: Ord + Clone, V>(
    old: &'x BTreeMap<K, V>,
    new: &'x BTreeMap<K, V>,
) -> BTreeMap<K, (Option<&'x V>, Option<&'x V>)> {
    let mut map: BTreeMap<K, (Option<&V>, Option<&V>)> = BTreeMap::new();
    for (k, v) in old {
        map.entry(k.clone()).or_default().0 = Some(v);
    }
    for (k, v) in new {
        map.entry(k.clone()).or_default().1 = Some(v);
    }
    map
}

fn interface_group(spec: &Spec, interface: &Interface) -> Group {
    let service = spec
        .services
        .get(interface.service.0)
        .map_or_else(String::new, |s| s.name.clone());
    Group::Interface(service, interface.id.clone())
}

fn same_row(old: &Field, new: &Field) -> bool {
    match (&old.row, &new.row) {
        (Some(a), Some(b)) => a == b,
        _ => !old.ident.is_empty() && old.ident == new.ident,
    }
}

/// The path with parameters as `{}`: their names are not on the wire.
fn path_shape(interface: &Interface) -> String {
    interface
        .path
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => l.as_str(),
            PathSegment::Param(_) => "{}",
        })
        .collect()
}

fn method(m: crate::raw::Method) -> String {
    format!("{m:?}").to_uppercase()
}

fn needs(session: bool) -> &'static str {
    if session {
        "needs a session"
    } else {
        "needs no session"
    }
}

fn ms(value: Option<u64>) -> String {
    value.map_or_else(|| "none".to_owned(), |v| format!("{v} ms"))
}

fn list(items: &BTreeSet<String>) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

fn envelope_members(e: &crate::model::Envelope) -> String {
    format!(
        "{{{}, {} ({} codes, success {}), {}}}",
        e.message.0,
        e.retcode.name,
        code_type(e.retcode.code_type),
        e.retcode.success,
        e.result.0
    )
}

fn code_type(t: crate::model::CodeType) -> &'static str {
    match t {
        crate::model::CodeType::Int => "int",
        crate::model::CodeType::String => "string",
    }
}

fn scalar(s: crate::model::Scalar) -> &'static str {
    match s {
        crate::model::Scalar::String => "string",
        crate::model::Scalar::Int => "int",
        crate::model::Scalar::Long => "long",
        crate::model::Scalar::Boolean => "boolean",
    }
}

fn direction_word(d: Direction) -> &'static str {
    match d {
        Direction::Request => "request",
        Direction::Response => "response",
    }
}

fn unit_name(unit: Option<crate::raw::Unit>) -> String {
    unit.map_or_else(|| "none".to_owned(), |u| format!("{u:?}").to_snake_case())
}

fn purpose_name(p: HeaderPurpose) -> String {
    format!("{p:?}").to_snake_case()
}

/// How a value travels and what Rust type it is, named so two specs compare.
fn shape_text(spec: &Spec, shape: &Shape) -> String {
    match shape {
        Shape::Scalar(s) => scalar(*s).to_owned(),
        Shape::Code(id, s) => format!(
            "code table {} as {}",
            spec.code_tables.get(id.0).map_or("?", |t| t.name.as_str()),
            scalar(*s)
        ),
        Shape::Newtype(id, s) => format!(
            "{} as {}",
            spec.scalars.get(id.0).map_or("?", |t| t.name.as_str()),
            scalar(*s)
        ),
        Shape::Object(id) => format!(
            "object {}",
            spec.tables.get(id.0).map_or("?", |t| t.name.as_str())
        ),
        Shape::Array(inner) => format!("array of {}", shape_text(spec, inner)),
    }
}

fn result_kind(result: &Option<InterfaceResult>) -> &'static str {
    match result {
        None => "none",
        Some(InterfaceResult::Table(_)) => "object",
        Some(InterfaceResult::Value(_)) => "single value",
        Some(InterfaceResult::Event { .. }) => "event",
    }
}

fn content_kind(content: EventContent) -> &'static str {
    match content {
        EventContent::Null => "null",
        EventContent::Undocumented => "undocumented (raw JSON)",
        EventContent::Table(_) => "object",
    }
}

fn rule_text(kind: &RuleKind) -> String {
    match kind {
        RuleKind::LessThan { field, than, .. } => format!("`{field}` < `{than}`"),
        RuleKind::MeaningfulOnlyIf { field, when } => {
            format!("`{field}` only when `{}` = {}", when.field, when.equals)
        }
        RuleKind::AtMostTotal { fields, max } => {
            // The order of the fields counted together means nothing.
            let mut fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            fields.sort_unstable();
            format!("total of `{}` <= {max}", fields.join("`, `"))
        }
    }
}

fn range_text(range: Option<Range>) -> String {
    range.map_or_else(|| "any".to_owned(), |r| r.to_string())
}

fn length_text(length: Option<Length>) -> String {
    length.map_or_else(
        || "any".to_owned(),
        |l| {
            let unit = match l.unit {
                crate::raw::LengthUnit::Characters => "characters",
                crate::raw::LengthUnit::Bytes => "bytes",
            };
            let bounds = Range {
                min: l.min.map(|m| i64::try_from(m).unwrap_or(i64::MAX)),
                max: l.max.map(|m| i64::try_from(m).unwrap_or(i64::MAX)),
            };
            format!("{bounds} {unit}")
        },
    )
}

/// How an inclusive range moved; `None` (no limit) is unbounded.
fn range_movement(old: Option<Range>, new: Option<Range>) -> Option<Movement> {
    let bounds = |r: Option<Range>| {
        let r = r.unwrap_or_default();
        (
            r.min.map_or(i128::MIN, i128::from),
            r.max.map_or(i128::MAX, i128::from),
        )
    };
    interval_movement(bounds(old), bounds(new))
}

fn length_movement(old: Option<Length>, new: Option<Length>) -> Option<Movement> {
    let bounds = |l: Option<Length>| {
        l.map_or((0, i128::MAX), |l| {
            (
                l.min.map_or(0, i128::from),
                l.max.map_or(i128::MAX, i128::from),
            )
        })
    };
    let units_differ = matches!((old, new), (Some(a), Some(b)) if a.unit != b.unit);
    match interval_movement(bounds(old), bounds(new)) {
        _ if units_differ => Some(Movement::Moved),
        movement => movement,
    }
}

fn interval_movement(old: (i128, i128), new: (i128, i128)) -> Option<Movement> {
    if old == new {
        return None;
    }
    let inside = new.0 >= old.0 && new.1 <= old.1;
    let around = new.0 <= old.0 && new.1 >= old.1;
    Some(if inside {
        Movement::Narrowed
    } else if around {
        Movement::Widened
    } else {
        Movement::Moved
    })
}
