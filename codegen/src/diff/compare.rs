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

    // ---- protocol -------------------------------------------------------------------------

    fn protocol(&mut self) {
        let (old, new) = (self.old, self.new);
        let group = Group::Protocol;
        let sites = Sites::both(old.protocol.span, new.protocol.span);
        self.docs(
            &group,
            "gateway",
            &[
                ("title", &old.gateway.title, &new.gateway.title),
                (
                    "description",
                    old.gateway.description.as_deref().unwrap_or(""),
                    new.gateway.description.as_deref().unwrap_or(""),
                ),
            ],
            Sites::both(old.gateway.span, new.gateway.span),
        );
        if old.gateway.name != new.gateway.name {
            self.push(
                &group,
                ChangeKind::RustNameChanged,
                "gateway name",
                Some(format!("{} -> {}", old.gateway.name, new.gateway.name)),
                Verdicts::both("the name of the file `Builder` writes and `include!`s changes"),
                Sites::both(old.gateway.span, new.gateway.span),
            );
        }
        let mut facts = Vec::new();
        let envelope = |s: &Spec| {
            s.envelopes
                .get(s.protocol.envelope.0)
                .map_or_else(String::new, |e| e.name.clone())
        };
        facts.push(("envelope", envelope(old), envelope(new)));
        let session = |s: &Spec| {
            s.protocol
                .session_header
                .and_then(|h| s.headers.get(h.0))
                .map_or_else(|| "none".to_owned(), |h| h.name.clone())
        };
        facts.push(("session header", session(old), session(new)));
        let renewal = |s: &Spec| {
            s.protocol.renewal.as_ref().map_or_else(
                || "none".to_owned(),
                |r| {
                    let header = s.headers.get(r.header.0).map_or("?", |h| h.name.as_str());
                    format!("{header}: {}{{session}}{}", r.prefix, r.suffix)
                },
            )
        };
        facts.push(("session renewal", renewal(old), renewal(new)));
        let caller = |s: &Spec| {
            s.protocol
                .caller_param
                .clone()
                .unwrap_or_else(|| "none".to_owned())
        };
        facts.push(("caller parameter", caller(old), caller(new)));
        for (name, pick) in REFUSALS {
            let code = |s: &Spec| {
                pick(&s.protocol.refusals)
                    .and_then(|e| s.errors.get(e.0))
                    .map_or_else(|| "none".to_owned(), |e| e.code.clone())
            };
            if code(old) != code(new) {
                self.push(
                    &group,
                    ChangeKind::ProtocolChanged,
                    name,
                    Some(format!("{} -> {}", code(old), code(new))),
                    Verdicts::new(
                        Breaking,
                        Compatible,
                        "clients get another code for the same refusal; the runtime answers it for servers",
                    ),
                    sites,
                );
            }
        }
        let event_object = |s: &Spec| {
            s.event_protocol.as_ref().map_or_else(
                || "none".to_owned(),
                |p| {
                    format!(
                        "{{{}, {}, {}}}",
                        p.type_member, p.agent_member, p.content_member
                    )
                },
            )
        };
        facts.push(("event object", event_object(old), event_object(new)));
        let interface_at = |s: &Spec, pick: fn(&crate::model::EventProtocol) -> Option<usize>| {
            s.event_protocol
                .as_ref()
                .and_then(pick)
                .and_then(|i| s.interfaces.get(i))
                .map_or_else(|| "none".to_owned(), |i| i.id.clone())
        };
        facts.push((
            "event polling interface",
            interface_at(old, |p| p.polling),
            interface_at(new, |p| p.polling),
        ));
        facts.push((
            "heartbeat interface",
            interface_at(old, |p| p.heartbeat),
            interface_at(new, |p| p.heartbeat),
        ));
        let callback = |s: &Spec| {
            s.event_protocol
                .as_ref()
                .and_then(|p| p.callback.as_ref())
                .map_or_else(
                    || "none".to_owned(),
                    |c| format!("{} {}", method(c.method), c.path),
                )
        };
        facts.push(("event callback", callback(old), callback(new)));
        for (name, old_value, new_value) in facts {
            if old_value != new_value {
                self.push(
                    &group,
                    ChangeKind::ProtocolChanged,
                    name,
                    Some(format!("{old_value} -> {new_value}")),
                    Verdicts::both(
                        "the wire changes for every interface: clients and servers built from the old spec no longer understand each other",
                    ),
                    sites,
                );
            }
        }
        for (name, pair) in pairs(&old.envelopes, &new.envelopes, |e| e.name.clone()) {
            let (Some(o), Some(n)) = pair else { continue };
            let (a, b) = (envelope_members(o), envelope_members(n));
            if a != b {
                self.push(
                    &group,
                    ChangeKind::ProtocolChanged,
                    format!("envelope `{name}`"),
                    Some(format!("{a} -> {b}")),
                    Verdicts::both("answers are wrapped differently on the wire"),
                    Sites::both(o.span, n.span),
                );
            }
        }
        self.timing();
    }

    fn timing(&mut self) {
        let timing = |s: &Spec| s.event_protocol.as_ref().map(|p| (p.timing, p.span));
        let (Some((old, old_span)), Some((new, new_span))) = (timing(self.old), timing(self.new))
        else {
            return;
        };
        let sites = Sites::both(old_span, new_span);
        // Timers a client must beat: shorter ones break clients.
        let client_deadlines: [(&str, Option<u64>, Option<u64>); 3] = [
            ("idle sign-out", old.idle_sign_out_ms, new.idle_sign_out_ms),
            ("heartbeat interval", old.heartbeat_ms, new.heartbeat_ms),
            (
                "validity of a renewed-away session",
                old.renewed_valid_ms,
                new.renewed_valid_ms,
            ),
        ];
        for (name, o, n) in client_deadlines {
            if o != n {
                let shorter =
                    matches!((o, n), (Some(o), Some(n)) if n < o) || n.is_some() && o.is_none();
                let verdicts = if shorter {
                    Verdicts::new(
                        Breaking,
                        Compatible,
                        "clients must act sooner than before; servers get the new timer from the spec",
                    )
                } else {
                    Verdicts::neither(
                        "clients get more time; servers get the new timer from the spec",
                    )
                };
                self.push(
                    &Group::Protocol,
                    ChangeKind::TimingChanged,
                    name,
                    Some(format!("{} -> {}", ms(o), ms(n))),
                    verdicts,
                    sites,
                );
            }
        }
        let others: [(&str, String, String); 3] = [
            ("poll hold time", ms(old.hold_ms), ms(new.hold_ms)),
            (
                "pause between polls",
                old.repoll_ms
                    .map_or_else(|| "none".to_owned(), |(a, b)| format!("{a}-{b} ms")),
                new.repoll_ms
                    .map_or_else(|| "none".to_owned(), |(a, b)| format!("{a}-{b} ms")),
            ),
            (
                "session renewal interval",
                ms(old.renewal_ms),
                ms(new.renewal_ms),
            ),
        ];
        for (name, o, n) in others {
            if o != n {
                self.push(
                    &Group::Protocol,
                    ChangeKind::TimingChanged,
                    name,
                    Some(format!("{o} -> {n}")),
                    Verdicts::neither("the runtime takes the timer from the spec on both sides"),
                    sites,
                );
            }
        }
    }

    // ---- services -------------------------------------------------------------------------

    fn services(&mut self) {
        let (old, new) = (self.old, self.new);
        for (name, pair) in pairs(&old.services, &new.services, |s| s.name.clone()) {
            let group = Group::Service(name.clone());
            match pair {
                (Some(o), None) => self.push(
                    &group,
                    ChangeKind::ServiceRemoved,
                    format!("service `{name}`"),
                    None,
                    Verdicts::both("its client and server trait are gone"),
                    Sites::old(o.span),
                ),
                (None, Some(n)) => self.push(
                    &group,
                    ChangeKind::ServiceAdded,
                    format!("service `{name}`"),
                    None,
                    Verdicts::neither(
                        "a new client and server trait; existing code need not use them",
                    ),
                    Sites::new(n.span),
                ),
                (Some(o), Some(n)) => {
                    let sites = Sites::both(o.span, n.span);
                    self.docs(
                        &group,
                        &format!("service `{name}`"),
                        &[
                            ("title", &o.title, &n.title),
                            (
                                "description",
                                o.description.as_deref().unwrap_or(""),
                                n.description.as_deref().unwrap_or(""),
                            ),
                        ],
                        sites,
                    );
                    if o.default_methods != n.default_methods {
                        let verdicts = if n.default_methods {
                            Verdicts::neither(
                                "server methods not implemented now answer `not_supported`",
                            )
                        } else {
                            Verdicts::new(
                                Compatible,
                                Breaking,
                                "every method of the server trait must now be implemented",
                            )
                        };
                        self.push(
                            &group,
                            ChangeKind::DefaultMethodsChanged,
                            format!("server trait of `{name}`"),
                            Some(format!(
                                "default methods {} -> {}",
                                o.default_methods, n.default_methods
                            )),
                            verdicts,
                            sites,
                        );
                    }
                }
                (None, None) => {}
            }
        }
    }

    // ---- interfaces -----------------------------------------------------------------------

    fn interfaces(&mut self) {
        let (old, new) = (self.old, self.new);
        let mut matched: Vec<(Option<&Interface>, Option<&Interface>)> =
            pairs(&old.interfaces, &new.interfaces, |i| i.id.clone())
                .into_values()
                .collect();
        // The same method and path under another id is a rename, not a removal and an addition.
        let route = |i: &Interface| (method(i.method), path_shape(i));
        let removed: Vec<usize> = (0..matched.len())
            .filter(|&k| matched[k].1.is_none())
            .collect();
        for k in removed {
            let Some(o) = matched[k].0 else { continue };
            let twin = matched.iter().position(|(before, after)| {
                before.is_none() && after.is_some_and(|n| route(n) == route(o))
            });
            if let Some(t) = twin {
                matched[k].1 = matched[t].1.take();
            }
        }
        for pair in matched {
            match pair {
                (Some(o), None) => self.push(
                    &interface_group(old, o),
                    ChangeKind::InterfaceRemoved,
                    format!("interface `{}`", o.id),
                    Some(format!("{} {}", method(o.method), o.path_template())),
                    Verdicts::both(
                        "the client method is gone, and a server's method of it is no longer part of the trait (E0407)",
                    ),
                    Sites::old(o.span),
                ),
                (None, Some(n)) => {
                    let defaults = new
                        .services
                        .get(n.service.0)
                        .is_some_and(|s| s.default_methods);
                    let verdicts = if defaults {
                        Verdicts::neither(
                            "a new client method; the server trait's default answers `not_supported` until it is implemented",
                        )
                    } else {
                        Verdicts::new(
                            Compatible,
                            Breaking,
                            "a new client method; the server trait gains a method every server must implement",
                        )
                    };
                    self.push(
                        &interface_group(new, n),
                        ChangeKind::InterfaceAdded,
                        format!("interface `{}`", n.id),
                        Some(format!("{} {}", method(n.method), n.path_template())),
                        verdicts,
                        Sites::new(n.span),
                    );
                }
                (Some(o), Some(n)) => self.interface(o, n),
                (None, None) => {}
            }
        }
    }

    fn interface(&mut self, o: &Interface, n: &Interface) {
        let (old, new) = (self.old, self.new);
        let group = interface_group(new, n);
        let sites = Sites::both(o.span, n.span);
        if o.id != n.id {
            self.push(
                &group,
                ChangeKind::InterfaceRenamed,
                format!("interface `{}`", n.id),
                Some(format!("{} -> {}", o.id, n.id)),
                Verdicts::both("its client method, server method and types are renamed"),
                sites,
            );
        }
        self.docs(
            &group,
            &format!("interface `{}`", n.id),
            &[
                ("title", &o.title, &n.title),
                ("description", &o.description, &n.description),
                ("log name", &o.log_name, &n.log_name),
            ],
            sites,
        );
        let service = |s: &Spec, i: &Interface| {
            s.services
                .get(i.service.0)
                .map_or_else(String::new, |s| s.name.clone())
        };
        if service(old, o) != service(new, n) {
            self.push(
                &group,
                ChangeKind::RustNameChanged,
                "service",
                Some(format!("{} -> {}", service(old, o), service(new, n))),
                Verdicts::both("it moves to another service's client and server trait"),
                sites,
            );
        }
        self.deprecation(
            &group,
            &format!("interface `{}`", n.id),
            o.deprecated.as_ref(),
            n.deprecated.as_ref(),
            sites,
        );
        if o.method != n.method {
            self.push(
                &group,
                ChangeKind::MethodChanged,
                "method",
                Some(format!("{} -> {}", method(o.method), method(n.method))),
                Verdicts::both(
                    "clients built from the old spec call with the old method and are refused; servers no longer answer it",
                ),
                Sites::both(o.method_span, n.method_span),
            );
        }
        if path_shape(o) != path_shape(n) {
            self.push(
                &group,
                ChangeKind::PathChanged,
                "path",
                Some(format!("{} -> {}", o.path_template(), n.path_template())),
                Verdicts::both(
                    "clients built from the old spec call the old path; servers no longer answer it",
                ),
                Sites::both(o.path_span, n.path_span),
            );
        }
        if o.needs_session() != n.needs_session() {
            let verdicts = if n.needs_session() {
                Verdicts::both(
                    "clients must now be signed in; the server method's context now always has a caller",
                )
            } else {
                Verdicts::new(
                    Compatible,
                    Breaking,
                    "callers without a session now reach the server method, whose context caller becomes optional",
                )
            };
            self.push(
                &group,
                ChangeKind::SessionRequirementChanged,
                "session",
                Some(format!(
                    "{} -> {}",
                    needs(o.needs_session()),
                    needs(n.needs_session())
                )),
                verdicts,
                sites,
            );
        }
        self.roles(&group, o, n, sites);
        self.interface_headers(&group, o, n, sites);
        self.interface_errors(&group, o, n, sites);
        let triggers = |s: &Spec, i: &Interface| -> BTreeSet<String> {
            i.events
                .iter()
                .filter_map(|e| s.events.get(e.0))
                .map(|e| e.name.clone())
                .collect()
        };
        let (ot, nt) = (triggers(old, o), triggers(new, n));
        if ot != nt {
            self.push(
                &group,
                ChangeKind::TriggersChanged,
                "triggered events",
                Some(format!("{} -> {}", list(&ot), list(&nt))),
                Verdicts::neither("documentation of which events follow a call"),
                sites,
            );
        }
        let envelope = |s: &Spec, i: &Interface| {
            s.envelopes
                .get(i.envelope.0)
                .map_or_else(String::new, |e| e.name.clone())
        };
        if envelope(old, o) != envelope(new, n) {
            self.push(
                &group,
                ChangeKind::ProtocolChanged,
                "response envelope",
                Some(format!("{} -> {}", envelope(old, o), envelope(new, n))),
                Verdicts::both("answers are wrapped differently on the wire"),
                sites,
            );
        }
        let path_params = Place {
            what: "URI parameter",
            flow: Flow::Request,
            params: true,
            by_position: true,
        };
        self.fields(&group, &o.path_params, &n.path_params, path_params);
        let query_params = Place {
            what: "query parameter",
            flow: Flow::Request,
            params: true,
            by_position: false,
        };
        self.fields(&group, &o.query_params, &n.query_params, query_params);
        self.body(&group, REQUEST, o.request, n.request);
        match (&o.result, &n.result) {
            (Some(InterfaceResult::Table(a)), Some(InterfaceResult::Table(b))) => {
                self.body(&group, RESULT, Some(*a), Some(*b));
            }
            (Some(InterfaceResult::Value(a)), Some(InterfaceResult::Value(b))) => {
                let place = Place {
                    what: "result value",
                    flow: Flow::Response,
                    params: false,
                    by_position: false,
                };
                self.field(&group, a, b, place);
            }
            (Some(InterfaceResult::Event { .. }), Some(InterfaceResult::Event { .. }))
            | (None, None) => {}
            (a, b) => self.push(
                &group,
                ChangeKind::BodyChanged,
                "result",
                Some(format!("{} -> {}", result_kind(a), result_kind(b))),
                Verdicts::both("the result type of the client and server methods changes"),
                sites,
            ),
        }
        self.body(&group, FAILURE, o.failure, n.failure);
    }

    fn roles(&mut self, group: &Group, o: &Interface, n: &Interface, sites: Sites) {
        let roles = |s: &Spec, i: &Interface| -> BTreeMap<String, Option<String>> {
            i.prerequisites
                .iter()
                .filter_map(|p| match p {
                    Prerequisite::Role { role, refusal, .. } => Some((
                        s.roles
                            .get(role.0)
                            .map_or_else(String::new, |r| r.name.clone()),
                        refusal
                            .or(i.role_refusal)
                            .and_then(|e| s.errors.get(e.0))
                            .map(|e| e.code.clone()),
                    )),
                    _ => None,
                })
                .collect()
        };
        let (or, nr) = (roles(self.old, o), roles(self.new, n));
        for (role, pair) in pairs_map(&or, &nr) {
            match pair {
                (None, Some(_)) => self.push(
                    group,
                    ChangeKind::RoleRequirementChanged,
                    format!("role `{role}`"),
                    Some("now required".to_owned()),
                    Verdicts::new(
                        Breaking,
                        Compatible,
                        "callers without the role are now refused",
                    ),
                    sites,
                ),
                (Some(_), None) => self.push(
                    group,
                    ChangeKind::RoleRequirementChanged,
                    format!("role `{role}`"),
                    Some("no longer required".to_owned()),
                    Verdicts::new(
                        Compatible,
                        Breaking,
                        "callers without the role now reach the server method, which may have relied on it",
                    ),
                    sites,
                ),
                (Some(a), Some(b)) if a != b => self.push(
                    group,
                    ChangeKind::RoleRefusalChanged,
                    format!("role `{role}`"),
                    Some(format!(
                        "refusal code {} -> {}",
                        a.as_deref().unwrap_or("(protocol's)"),
                        b.as_deref().unwrap_or("(protocol's)")
                    )),
                    Verdicts::new(
                        Breaking,
                        Compatible,
                        "callers without the role get another code; the runtime answers it for servers",
                    ),
                    sites,
                ),
                _ => {}
            }
        }
    }

    fn interface_headers(&mut self, group: &Group, o: &Interface, n: &Interface, sites: Sites) {
        let (old, new) = (self.old, self.new);
        let names = |s: &'a Spec,
                     ids: &[crate::model::HeaderId]|
         -> BTreeMap<String, &'a crate::model::Header> {
            ids.iter()
                .filter_map(|h| s.headers.get(h.0))
                .map(|h| (h.name.clone(), h))
                .collect()
        };
        for (name, pair) in pairs_map(&names(old, &o.headers), &names(new, &n.headers)) {
            match pair {
                (None, Some(h)) => {
                    let must_send = h.mandatory && h.default.is_none() && h.purpose.is_none();
                    let verdicts = if must_send {
                        Verdicts::new(
                            Breaking,
                            Compatible,
                            "requests without it are now refused, and the client has no value to send by itself",
                        )
                    } else {
                        Verdicts::neither(
                            "the client sends it by itself (a default, the session or the media type)",
                        )
                    };
                    self.push(
                        group,
                        ChangeKind::HeaderAdded,
                        format!("request header `{name}`"),
                        None,
                        verdicts,
                        sites,
                    );
                }
                (Some(h), None) => {
                    let verdicts = if h.mandatory {
                        Verdicts::new(
                            Compatible,
                            Breaking,
                            "requests without it now reach the server, which may have relied on it",
                        )
                    } else {
                        Verdicts::neither("it was optional")
                    };
                    self.push(
                        group,
                        ChangeKind::HeaderRemoved,
                        format!("request header `{name}`"),
                        None,
                        verdicts,
                        sites,
                    );
                }
                _ => {}
            }
        }
        let (ob, nb) = (
            names(old, &o.response_headers),
            names(new, &n.response_headers),
        );
        for (name, pair) in pairs_map(&ob, &nb) {
            let (kind, verdicts) = match pair {
                (None, Some(_)) => (
                    ChangeKind::HeaderAdded,
                    Verdicts::neither("the runtime sets and reads it"),
                ),
                (Some(_), None) => (
                    ChangeKind::HeaderRemoved,
                    Verdicts::neither("the runtime sets and reads it"),
                ),
                _ => continue,
            };
            self.push(
                group,
                kind,
                format!("response header `{name}`"),
                None,
                verdicts,
                sites,
            );
        }
    }

    fn interface_errors(&mut self, group: &Group, o: &Interface, n: &Interface, sites: Sites) {
        let codes = |s: &Spec, i: &Interface| -> BTreeSet<String> {
            i.errors
                .iter()
                .filter_map(|e| s.errors.get(e.0))
                .map(|e| e.code.clone())
                .collect()
        };
        let (oc, nc) = (codes(self.old, o), codes(self.new, n));
        for code in nc.difference(&oc) {
            self.push(
                group,
                ChangeKind::ErrorAdded,
                format!("error {code}"),
                None,
                Verdicts::neither(
                    "the interface may answer it; the catalogue keeps codes a client does not handle",
                ),
                sites,
            );
        }
        for code in oc.difference(&nc) {
            self.push(
                group,
                ChangeKind::ErrorRemoved,
                format!("error {code}"),
                None,
                Verdicts::new(
                    Compatible,
                    Breaking,
                    "servers that answer it now answer a code the interface does not document",
                ),
                sites,
            );
        }
    }

    /// A request body, object result or failure detail.
    fn body(&mut self, group: &Group, body: Body, old: Option<TableId>, new: Option<TableId>) {
        match (
            old.and_then(|t| self.old.tables.get(t.0)),
            new.and_then(|t| self.new.tables.get(t.0)),
        ) {
            (Some(o), Some(n)) => {
                let place = Place {
                    what: body.field,
                    flow: body.flow,
                    params: false,
                    by_position: false,
                };
                self.table(group, o, n, place);
            }
            (Some(o), None) => self.push(
                group,
                ChangeKind::BodyChanged,
                body.what,
                Some("removed".to_owned()),
                Verdicts::both("the client and server method signatures lose it"),
                Sites::old(o.span),
            ),
            (None, Some(n)) => self.push(
                group,
                ChangeKind::BodyChanged,
                body.what,
                Some("added".to_owned()),
                Verdicts::both("the client and server method signatures gain it"),
                Sites::new(n.span),
            ),
            (None, None) => {}
        }
    }

    // ---- tables and fields ----------------------------------------------------------------

    fn table(&mut self, group: &Group, o: &Table, n: &Table, place: Place<'_>) {
        self.fields(group, &o.fields, &n.fields, place);
        self.rules(group, &o.rules, &n.rules, place.flow);
    }

    fn rules(&mut self, group: &Group, old: &[TableRule], new: &[TableRule], flow: Flow) {
        let texts = |rules: &[TableRule]| -> BTreeMap<String, (bool, Span)> {
            rules
                .iter()
                .map(|r| (rule_text(&r.kind), (r.enforce, r.span)))
                .collect()
        };
        let otherwise = |rules: &[TableRule]| -> BTreeMap<String, String> {
            rules
                .iter()
                .filter_map(|r| match &r.kind {
                    RuleKind::LessThan {
                        otherwise: Some(o), ..
                    } => Some((rule_text(&r.kind), o.clone())),
                    _ => None,
                })
                .collect()
        };
        for (text, pair) in pairs_map(&otherwise(old), &otherwise(new)) {
            if let (Some(a), Some(b)) = pair
                && a != b
            {
                let span = new
                    .iter()
                    .find(|r| rule_text(&r.kind) == text)
                    .map(|r| r.span);
                self.push(
                    group,
                    ChangeKind::Documentation,
                    format!("rule {text}"),
                    Some("what the gateway does otherwise changed".to_owned()),
                    Verdicts::neither("documentation only"),
                    Sites {
                        old: None,
                        new: span,
                    },
                );
            }
        }
        let (o, n) = (texts(old), texts(new));
        for (text, pair) in pairs_map(&o, &n) {
            let enforced = |p: Option<&(bool, Span)>| p.is_some_and(|(e, _)| *e);
            let site = Sites {
                old: pair.0.map(|(_, s)| *s),
                new: pair.1.map(|(_, s)| *s),
            };
            let (was, is) = (enforced(pair.0), enforced(pair.1));
            let (kind, verdicts) = match (was, is) {
                (false, true) => (
                    ChangeKind::Rule(Movement::Narrowed),
                    Verdicts::moved(flow, Movement::Narrowed, "values"),
                ),
                (true, false) => (
                    ChangeKind::Rule(Movement::Widened),
                    Verdicts::moved(flow, Movement::Widened, "values"),
                ),
                _ if pair.0.is_none() || pair.1.is_none() => (
                    ChangeKind::Documentation,
                    Verdicts::neither("a rule that only explains"),
                ),
                _ => continue,
            };
            let state = |p: Option<&(bool, Span)>| match p {
                None => "absent",
                Some((true, _)) => "enforced",
                Some((false, _)) => "explained only",
            };
            self.push(
                group,
                kind,
                format!("rule {text}"),
                Some(format!("{} -> {}", state(pair.0), state(pair.1))),
                verdicts,
                site,
            );
        }
    }

    fn fields(&mut self, group: &Group, old: &[Field], new: &[Field], place: Place<'_>) {
        let position = |f: Option<&Field>, list: &[Field]| {
            f.and_then(|f| list.iter().position(|x| std::ptr::eq(x, f)))
        };
        let mut pairs_found: Vec<(Option<&Field>, Option<&Field>)> =
            pairs(old, new, |f| f.name.clone()).into_values().collect();
        // A field gone and one new with the same row or Rust name (a URI parameter: at the
        // same position) is the field renamed.
        let gone: Vec<usize> = (0..pairs_found.len())
            .filter(|&k| pairs_found[k].1.is_none())
            .collect();
        for k in gone {
            let Some(o) = pairs_found[k].0 else { continue };
            let twin = pairs_found.iter().position(|(before, after)| {
                before.is_none()
                    && after.is_some_and(|n| {
                        if place.by_position {
                            position(Some(n), new) == position(Some(o), old)
                        } else {
                            same_row(o, n)
                        }
                    })
            });
            if let Some(t) = twin {
                pairs_found[k].1 = pairs_found[t].1.take();
            }
        }
        // Keep the new spec's order for the changelog.
        pairs_found.sort_by_key(|(o, n)| {
            (
                position(*n, new).unwrap_or(usize::MAX),
                position(*o, old).unwrap_or(usize::MAX),
            )
        });
        for pair in pairs_found {
            match pair {
                (Some(o), Some(n)) => self.field(group, o, n, place),
                (None, Some(n)) => self.field_added(group, n, place),
                (Some(o), None) => self.push(
                    group,
                    ChangeKind::FieldRemoved,
                    format!("{} `{}`", place.what, o.name),
                    None,
                    Verdicts::both(if place.params {
                        "the client method loses an argument and the parameters struct a field"
                    } else {
                        "code that sets or reads it stops compiling"
                    }),
                    Sites::old(o.span),
                ),
                (None, None) => {}
            }
        }
    }

    fn field_added(&mut self, group: &Group, n: &Field, place: Place<'_>) {
        let flow = place.flow;
        let verdicts = if place.params {
            Verdicts::new(
                Breaking,
                Compatible,
                "the client method takes one argument per parameter",
            )
        } else if n.mandatory {
            Verdicts::senders(
                flow,
                format!(
                    "{} must now send it (`new()` takes it); {} may ignore it",
                    flow.senders(),
                    flow.receivers()
                ),
            )
        } else {
            Verdicts::neither("optional: `new()` is unchanged (struct literals need the field)")
        };
        self.push(
            group,
            ChangeKind::FieldAdded,
            format!("{} `{}`", place.what, n.name),
            Some(if n.mandatory { "mandatory" } else { "optional" }.to_owned()),
            verdicts,
            Sites::new(n.span),
        );
    }

    fn field(&mut self, group: &Group, o: &Field, n: &Field, place: Place<'_>) {
        let flow = place.flow;
        let sites = Sites::both(o.span, n.span);
        let subject = format!("{} `{}`", place.what, n.name);
        if o.name != n.name {
            let verdicts = if place.by_position {
                Verdicts::both(
                    "the parameter's Rust name changes (the client argument and the parameters struct field)",
                )
            } else {
                Verdicts::both(
                    "the wire name changes: each side built from the old spec sends and expects the old name",
                )
            };
            self.push(
                group,
                ChangeKind::FieldRenamed,
                subject.clone(),
                Some(format!("{} -> {}", o.name, n.name)),
                verdicts,
                sites,
            );
        }
        self.docs(
            group,
            &subject,
            &[("description", &o.description, &n.description)],
            sites,
        );
        if o.name == n.name && o.ident != n.ident {
            self.push(
                group,
                ChangeKind::RustNameChanged,
                subject.clone(),
                Some(format!("{} -> {}", o.ident, n.ident)),
                Verdicts::both("its Rust field name changes"),
                sites,
            );
        }
        self.deprecation(
            group,
            &subject,
            o.deprecated.as_ref(),
            n.deprecated.as_ref(),
            sites,
        );
        let (os, ns) = (
            shape_text(self.old, &o.shape),
            shape_text(self.new, &n.shape),
        );
        if os != ns {
            self.push(
                group,
                ChangeKind::TypeChanged,
                subject.clone(),
                Some(format!("{os} -> {ns}")),
                Verdicts::both("its Rust type and what travels change"),
                sites,
            );
        }
        if o.mandatory != n.mandatory {
            let (kind, why) = if n.mandatory {
                (
                    ChangeKind::FieldMadeMandatory,
                    format!(
                        "{} must now always send it; its type changes from Option<T> to T on both sides",
                        flow.senders()
                    ),
                )
            } else {
                (
                    ChangeKind::FieldMadeOptional,
                    format!(
                        "{} may now receive it absent; its type changes from T to Option<T> on both sides",
                        flow.receivers()
                    ),
                )
            };
            self.push(
                group,
                kind,
                subject.clone(),
                None,
                Verdicts::both(why),
                sites,
            );
        }
        if let Some(m) = range_movement(o.range, n.range) {
            self.push(
                group,
                ChangeKind::Range(m),
                subject.clone(),
                Some(format!(
                    "{} -> {}",
                    range_text(o.range),
                    range_text(n.range)
                )),
                Verdicts::moved(flow, m, "values"),
                sites,
            );
        }
        if let Some(m) = length_movement(o.length, n.length) {
            self.push(
                group,
                ChangeKind::Length(m),
                subject.clone(),
                Some(format!(
                    "{} -> {}",
                    length_text(o.length),
                    length_text(n.length)
                )),
                Verdicts::moved(flow, m, "strings"),
                sites,
            );
        }
        if let Some(m) = range_movement(o.items, n.items) {
            self.push(
                group,
                ChangeKind::Items(m),
                subject.clone(),
                Some(format!(
                    "{} -> {} elements",
                    range_text(o.items),
                    range_text(n.items)
                )),
                Verdicts::moved(flow, m, "arrays"),
                sites,
            );
        }
        let pattern = match (&o.pattern, &n.pattern) {
            (None, Some(_)) => Some(Movement::Narrowed),
            (Some(_), None) => Some(Movement::Widened),
            (Some(a), Some(b)) if a != b => Some(Movement::Moved),
            _ => None,
        };
        if let Some(m) = pattern {
            self.push(
                group,
                ChangeKind::Pattern(m),
                subject.clone(),
                Some(format!(
                    "{} -> {}",
                    o.pattern.as_deref().unwrap_or("none"),
                    n.pattern.as_deref().unwrap_or("none")
                )),
                Verdicts::moved(flow, m, "strings"),
                sites,
            );
        }
        let codes = |c: &Option<Vec<crate::raw::CodeValue>>| {
            c.as_ref()
                .map(|c| c.iter().map(ToString::to_string).collect::<BTreeSet<_>>())
        };
        let (oc, nc) = (codes(&o.allowed_codes), codes(&n.allowed_codes));
        let allowed = match (&oc, &nc) {
            (None, Some(_)) => Some(Movement::Narrowed),
            (Some(_), None) => Some(Movement::Widened),
            (Some(a), Some(b)) if a != b => Some(if b.is_subset(a) {
                Movement::Narrowed
            } else if a.is_subset(b) {
                Movement::Widened
            } else {
                Movement::Moved
            }),
            _ => None,
        };
        if let Some(m) = allowed {
            let show =
                |c: &Option<BTreeSet<String>>| c.as_ref().map_or_else(|| "all".to_owned(), list);
            self.push(
                group,
                ChangeKind::AllowedCodes(m),
                subject.clone(),
                Some(format!("{} -> {}", show(&oc), show(&nc))),
                Verdicts::moved(flow, m, "codes"),
                sites,
            );
        }
        if o.default != n.default {
            let show = |d: &Option<crate::raw::ScalarValue>| {
                d.as_ref()
                    .map_or_else(|| "none".to_owned(), ToString::to_string)
            };
            self.push(
                group,
                ChangeKind::DefaultChanged,
                subject.clone(),
                Some(format!("{} -> {}", show(&o.default), show(&n.default))),
                Verdicts::senders(
                    flow,
                    format!(
                        "{} that leave it out now mean another value; the `_or_default` accessor follows the spec",
                        flow.senders()
                    ),
                ),
                sites,
            );
        }
        let condition = match (&o.required_if, &n.required_if) {
            (None, Some(_)) => Some(Movement::Narrowed),
            (Some(_), None) => Some(Movement::Widened),
            (Some(a), Some(b)) if a != b => Some(Movement::Moved),
            _ => None,
        };
        if let Some(m) = condition {
            let show = |c: &Option<crate::model::RequiredIf>| {
                c.as_ref().map_or_else(
                    || "never".to_owned(),
                    |c| format!("when {} = {}", c.field, c.equals),
                )
            };
            self.push(
                group,
                ChangeKind::Condition(m),
                subject.clone(),
                Some(format!(
                    "mandatory {} -> {}",
                    show(&o.required_if),
                    show(&n.required_if)
                )),
                Verdicts::moved(flow, m, "objects"),
                sites,
            );
        }
        if o.lenient != n.lenient {
            let verdicts = if n.lenient {
                Verdicts::neither("the value is now also accepted written as a string")
            } else {
                Verdicts::receivers(
                    flow,
                    format!(
                        "{} now refuse the value written as a string",
                        flow.receivers()
                    ),
                )
            };
            self.push(
                group,
                ChangeKind::LenientChanged,
                subject.clone(),
                Some(format!("lenient {} -> {}", o.lenient, n.lenient)),
                verdicts,
                sites,
            );
        }
        if o.unit != n.unit {
            self.push(
                group,
                ChangeKind::UnitChanged,
                subject,
                Some(format!("{} -> {}", unit_name(o.unit), unit_name(n.unit))),
                Verdicts::both("the same number now means another quantity"),
                sites,
            );
        }
    }

    // ---- shared definitions ---------------------------------------------------------------

    fn flow(&self, pick: fn(&Flows) -> &BTreeMap<String, Flow>, name: &str) -> Flow {
        let old = pick(&self.old_flows).get(name).copied();
        let new = pick(&self.new_flows).get(name).copied();
        match (old, new) {
            (Some(a), Some(b)) => a.join(b),
            (Some(f), None) | (None, Some(f)) => f,
            // Unused: it could travel either way.
            (None, None) => Flow::Both,
        }
    }

    fn named_tables(&mut self) {
        let (old, new) = (self.old, self.new);
        let named = |s: &'a Spec| -> Vec<&'a Table> {
            s.tables
                .iter()
                .filter(|t| t.origin == crate::model::TableOrigin::Named)
                .collect()
        };
        let (ot, nt) = (named(old), named(new));
        for (name, pair) in pairs(&ot, &nt, |t| t.name.clone()) {
            let group = Group::Type(name.clone());
            match pair {
                (Some(o), Some(n)) => {
                    let place = Place {
                        what: "field",
                        flow: self.flow(|f| &f.tables, &name),
                        params: false,
                        by_position: false,
                    };
                    self.docs(
                        &group,
                        &format!("type `{name}`"),
                        &[(
                            "description",
                            o.description.as_deref().unwrap_or(""),
                            n.description.as_deref().unwrap_or(""),
                        )],
                        Sites::both(o.span, n.span),
                    );
                    self.table(&group, o, n, place);
                }
                (Some(o), None) => {
                    self.definition_removed(&group, &format!("type `{name}`"), o.span)
                }
                (None, Some(n)) => self.definition_added(&group, &format!("type `{name}`"), n.span),
                (None, None) => {}
            }
        }
    }

    fn definition_added(&mut self, group: &Group, subject: &str, span: Span) {
        self.push(
            group,
            ChangeKind::DefinitionAdded,
            subject,
            None,
            Verdicts::neither("a new type; where it is used is reported there"),
            Sites::new(span),
        );
    }

    fn definition_removed(&mut self, group: &Group, subject: &str, span: Span) {
        self.push(
            group,
            ChangeKind::DefinitionRemoved,
            subject,
            None,
            Verdicts::both("code naming the type stops compiling"),
            Sites::old(span),
        );
    }

    fn code_tables(&mut self) {
        let (old, new) = (self.old, self.new);
        for (name, pair) in pairs(&old.code_tables, &new.code_tables, |t| t.name.clone()) {
            let group = Group::CodeTable(name.clone());
            match pair {
                (Some(o), Some(n)) => {
                    let flow = self.flow(|f| &f.code_tables, &name);
                    self.code_table(&group, o, n, flow);
                }
                (Some(o), None) => {
                    self.definition_removed(&group, &format!("code table `{name}`"), o.span);
                }
                (None, Some(n)) => {
                    self.definition_added(&group, &format!("code table `{name}`"), n.span);
                }
                (None, None) => {}
            }
        }
    }

    fn code_table(&mut self, group: &Group, o: &CodeTable, n: &CodeTable, flow: Flow) {
        let sites = Sites::both(o.span, n.span);
        let subject = format!("code table `{}`", n.name);
        self.docs(
            group,
            &subject,
            &[("description", &o.description, &n.description)],
            sites,
        );
        if o.code_type != n.code_type {
            self.push(
                group,
                ChangeKind::TypeChanged,
                subject.clone(),
                Some(format!(
                    "{} codes -> {} codes",
                    code_type(o.code_type),
                    code_type(n.code_type)
                )),
                Verdicts::both("codes travel as another JSON type"),
                sites,
            );
        }
        if let (Some(a), Some(b)) = (&o.fallback, &n.fallback) {
            if a != b {
                self.push(
                    group,
                    ChangeKind::RustNameChanged,
                    format!("{subject} fallback variant"),
                    Some(format!("{a} -> {b}")),
                    Verdicts::both("the variant that keeps unlisted codes is renamed"),
                    sites,
                );
            }
            if o.wide() != n.wide() {
                let width = |wide: bool| if wide { "i64" } else { "i32" };
                self.push(
                    group,
                    ChangeKind::TypeChanged,
                    format!("{subject} fallback variant"),
                    Some(format!(
                        "{a}({}) -> {b}({})",
                        width(o.wide()),
                        width(n.wide())
                    )),
                    Verdicts::both("the unlisted code it keeps changes integer type"),
                    sites,
                );
            }
        }
        // Whether each receiving side keeps codes the table does not list.
        let keeps = |t: &CodeTable, d: Direction| t.keeps_unknown(d);
        let directions = [
            (Direction::Request, flow.client_sends(), "servers"),
            (Direction::Response, flow.server_sends(), "clients"),
        ];
        for (direction, travels, receivers) in directions {
            if !travels || keeps(o, direction) == keeps(n, direction) {
                continue;
            }
            let verdicts = if keeps(n, direction) {
                let why = format!(
                    "{receivers} now decode unlisted codes into a new fallback variant instead of refusing them"
                );
                if receivers == "servers" {
                    Verdicts::new(Compatible, Breaking, why)
                } else {
                    Verdicts::new(Breaking, Compatible, why)
                }
            } else {
                Verdicts::both(format!(
                    "{receivers} now refuse unlisted codes, and the fallback variant code names is gone"
                ))
            };
            let state = |k: bool| if k { "kept" } else { "refused" };
            self.push(
                group,
                ChangeKind::UnknownCodesChanged,
                format!("{subject} in {}s", direction_word(direction)),
                Some(format!(
                    "unlisted codes {} -> {}",
                    state(keeps(o, direction)),
                    state(keeps(n, direction))
                )),
                verdicts,
                sites,
            );
        }
        for (value, pair) in pairs(&o.codes, &n.codes, |c| c.value.to_string()) {
            let code_subject = format!("code {value}");
            match pair {
                (None, Some(c)) => {
                    // A receiver breaks where the table refuses unlisted codes: the value was
                    // refused before; where it keeps them it was the fallback variant.
                    let client_breaks =
                        flow.server_sends() && !n.keeps_unknown(Direction::Response);
                    let server_breaks = flow.client_sends() && !n.keeps_unknown(Direction::Request);
                    let verdict = |b: bool| if b { Breaking } else { Compatible };
                    let why = if client_breaks || server_breaks {
                        format!(
                            "{} now receive a code they refused before; exhaustive matches need a new arm",
                            flow.receivers()
                        )
                    } else {
                        format!(
                            "{} decoded it as the fallback variant before; exhaustive matches need a new arm",
                            flow.receivers()
                        )
                    };
                    self.push(
                        group,
                        ChangeKind::CodeAdded,
                        code_subject,
                        Some(format!("{} ({})", c.name, c.meaning)),
                        Verdicts::new(verdict(client_breaks), verdict(server_breaks), why),
                        Sites::new(c.span),
                    );
                }
                (Some(c), None) => self.push(
                    group,
                    ChangeKind::CodeRemoved,
                    code_subject,
                    Some(c.name.clone()),
                    Verdicts::both(format!(
                        "its variant is gone; {} that send it are refused",
                        flow.senders()
                    )),
                    Sites::old(c.span),
                ),
                (Some(a), Some(b)) => {
                    let sites = Sites::both(a.span, b.span);
                    if a.name != b.name {
                        self.push(
                            group,
                            ChangeKind::CodeRenamed,
                            code_subject.clone(),
                            Some(format!("{} -> {}", a.name, b.name)),
                            Verdicts::both("its Rust variant is renamed"),
                            sites,
                        );
                    }
                    self.docs(
                        group,
                        &code_subject,
                        &[("meaning", &a.meaning, &b.meaning)],
                        sites,
                    );
                    self.deprecation(
                        group,
                        &code_subject,
                        a.deprecated.as_ref(),
                        b.deprecated.as_ref(),
                        sites,
                    );
                }
                (None, None) => {}
            }
        }
    }

    fn scalars(&mut self) {
        let (old, new) = (self.old, self.new);
        for (name, pair) in pairs(&old.scalars, &new.scalars, |s| s.name.clone()) {
            let group = Group::Scalar(name.clone());
            let subject = format!("scalar `{name}`");
            match pair {
                (Some(o), Some(n)) => {
                    let flow = self.flow(|f| &f.scalars, &name);
                    let sites = Sites::both(o.span, n.span);
                    self.docs(
                        &group,
                        &subject,
                        &[("description", &o.description, &n.description)],
                        sites,
                    );
                    if o.scalar != n.scalar {
                        self.push(
                            &group,
                            ChangeKind::TypeChanged,
                            subject.clone(),
                            Some(format!("{} -> {}", scalar(o.scalar), scalar(n.scalar))),
                            Verdicts::both("its Rust type changes"),
                            sites,
                        );
                    }
                    if let Some(m) = range_movement(o.range, n.range) {
                        self.push(
                            &group,
                            ChangeKind::Range(m),
                            subject.clone(),
                            Some(format!(
                                "{} -> {}",
                                range_text(o.range),
                                range_text(n.range)
                            )),
                            Verdicts::moved(flow, m, "values"),
                            sites,
                        );
                    }
                    if let Some(m) = length_movement(o.length, n.length) {
                        self.push(
                            &group,
                            ChangeKind::Length(m),
                            subject.clone(),
                            Some(format!(
                                "{} -> {}",
                                length_text(o.length),
                                length_text(n.length)
                            )),
                            Verdicts::moved(flow, m, "strings"),
                            sites,
                        );
                    }
                    if o.unit != n.unit {
                        self.push(
                            &group,
                            ChangeKind::UnitChanged,
                            subject.clone(),
                            Some(format!("{} -> {}", unit_name(o.unit), unit_name(n.unit))),
                            Verdicts::both("the same number now means another quantity"),
                            sites,
                        );
                    }
                }
                (Some(o), None) => self.definition_removed(&group, &subject, o.span),
                (None, Some(n)) => self.definition_added(&group, &subject, n.span),
                (None, None) => {}
            }
        }
    }

    fn headers(&mut self) {
        let (old, new) = (self.old, self.new);
        for (name, pair) in pairs(&old.headers, &new.headers, |h| h.name.clone()) {
            let (Some(o), Some(n)) = pair else { continue };
            let group = Group::Header(name.clone());
            let sites = Sites::both(o.span, n.span);
            let subject = format!("header `{name}`");
            self.docs(
                &group,
                &subject,
                &[("description", &o.description, &n.description)],
                sites,
            );
            if o.mandatory != n.mandatory {
                let verdicts = if n.mandatory && n.default.is_none() && n.purpose.is_none() {
                    Verdicts::new(Breaking, Compatible, "requests without it are now refused")
                } else if n.mandatory {
                    Verdicts::neither("the client sends it by itself")
                } else {
                    Verdicts::new(
                        Compatible,
                        Breaking,
                        "requests without it now reach servers, which may have relied on it",
                    )
                };
                self.push(
                    &group,
                    ChangeKind::HeaderChanged,
                    subject.clone(),
                    Some(format!("mandatory {} -> {}", o.mandatory, n.mandatory)),
                    verdicts,
                    sites,
                );
            }
            if o.default != n.default {
                self.push(
                    &group,
                    ChangeKind::HeaderChanged,
                    subject.clone(),
                    Some(format!(
                        "default {} -> {}",
                        o.default.as_deref().unwrap_or("none"),
                        n.default.as_deref().unwrap_or("none")
                    )),
                    if n.mandatory && n.purpose.is_none() && n.default.is_none() {
                        Verdicts::new(
                            Breaking,
                            Compatible,
                            "the client no longer sends it by itself, and requests without it are refused",
                        )
                    } else {
                        Verdicts::neither("the client sends the new default by itself")
                    },
                    sites,
                );
            }
            let purpose = |h: &crate::model::Header| {
                format!(
                    "{}{}",
                    h.purpose.map_or_else(|| "none".to_owned(), purpose_name),
                    h.format
                        .as_ref()
                        .map_or_else(String::new, |f| format!(" ({f})"))
                )
            };
            if purpose(o) != purpose(n) {
                self.push(
                    &group,
                    ChangeKind::HeaderChanged,
                    subject,
                    Some(format!("purpose {} -> {}", purpose(o), purpose(n))),
                    Verdicts::both("the runtime reads or writes the header differently"),
                    sites,
                );
            }
        }
    }

    fn errors(&mut self) {
        let (old, new) = (self.old, self.new);
        let group = Group::Errors;
        let fallbacks = [
            (
                Group::Errors,
                "catalogue fallback variant",
                &old.names.error_fallback,
                &new.names.error_fallback,
            ),
            (
                Group::Protocol,
                "event enum fallback variant",
                &old.names.event_fallback,
                &new.names.event_fallback,
            ),
        ];
        for (group, subject, a, b) in fallbacks {
            if a != b && !a.is_empty() && !b.is_empty() {
                self.push(
                    &group,
                    ChangeKind::RustNameChanged,
                    subject,
                    Some(format!("{a} -> {b}")),
                    Verdicts::both(
                        "the variant that keeps what is not listed is renamed (a listed name took the old one)",
                    ),
                    Sites::both(old.gateway.span, new.gateway.span),
                );
            }
        }
        for (code, pair) in pairs(&old.errors, &new.errors, |e| e.code.clone()) {
            let subject = format!("error {code}");
            match pair {
                (None, Some(e)) => self.push(
                    &group,
                    ChangeKind::CatalogueCodeAdded,
                    subject,
                    Some(format!("{} ({})", e.name, e.meaning)),
                    Verdicts::neither(
                        "clients decoded it as the catalogue's fallback variant before; exhaustive matches need a new arm",
                    ),
                    Sites::new(e.span),
                ),
                (Some(e), None) => self.push(
                    &group,
                    ChangeKind::CatalogueCodeRemoved,
                    subject,
                    Some(e.name.clone()),
                    Verdicts::both("its variant is gone from the catalogue enum"),
                    Sites::old(e.span),
                ),
                (Some(a), Some(b)) => {
                    let sites = Sites::both(a.span, b.span);
                    if a.name != b.name {
                        self.push(
                            &group,
                            ChangeKind::CatalogueCodeRenamed,
                            subject.clone(),
                            Some(format!("{} -> {}", a.name, b.name)),
                            Verdicts::both("its Rust variant is renamed"),
                            sites,
                        );
                    }
                    self.docs(&group, &subject, &[("meaning", &a.meaning, &b.meaning)], sites);
                }
                (None, None) => {}
            }
        }
    }

    fn events(&mut self) {
        let (old, new) = (self.old, self.new);
        for (name, pair) in pairs(&old.events, &new.events, |e| e.name.clone()) {
            let group = Group::Event(name.clone());
            let subject = format!("event `{name}`");
            match pair {
                (None, Some(e)) => self.push(
                    &group,
                    ChangeKind::EventAdded,
                    subject,
                    None,
                    Verdicts::neither(
                        "clients decoded it as the event enum's fallback variant before; exhaustive matches need a new arm",
                    ),
                    Sites::new(e.span),
                ),
                (Some(e), None) => self.push(
                    &group,
                    ChangeKind::EventRemoved,
                    subject,
                    None,
                    Verdicts::both("its variant is gone from the event enum"),
                    Sites::old(e.span),
                ),
                (Some(a), Some(b)) => {
                    let sites = Sites::both(a.span, b.span);
                    self.docs(&group, &subject, &[("description", &a.description, &b.description)], sites);
                    if a.ident != b.ident {
                        self.push(
                            &group,
                            ChangeKind::RustNameChanged,
                            subject.clone(),
                            Some(format!("{} -> {}", a.ident, b.ident)),
                            Verdicts::both("its variant of the event enum is renamed"),
                            sites,
                        );
                    }
                    match (a.content, b.content) {
                        (EventContent::Table(x), EventContent::Table(y)) => {
                            if let (Some(o), Some(n)) = (old.tables.get(x.0), new.tables.get(y.0)) {
                                let place = Place {
                                    what: "content field",
                                    flow: Flow::Response,
                                    params: false,
                                    by_position: false,
                                };
                                self.table(&group, o, n, place);
                            }
                        }
                        (x, y) if x == y => {}
                        (x, y) => self.push(
                            &group,
                            ChangeKind::EventContentChanged,
                            subject,
                            Some(format!("{} -> {}", content_kind(x), content_kind(y))),
                            Verdicts::both("the variant's content type changes"),
                            sites,
                        ),
                    }
                }
                (None, None) => {}
            }
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
