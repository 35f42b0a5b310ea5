//! The event catalogue and how events travel: each event's content (null, undocumented or a
//! table), its examples, the interfaces' references to events, and `gateway.protocol.events`
//! (the event object's members, the polling and heartbeat interfaces, the push callback).

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::names::is_type_name;
use crate::model::rust::{event_names, event_test};
use crate::model::{
    Event, EventCallback, EventContent, EventExample, EventId, EventProtocol, EventTiming,
    ExampleText, Header, Interface, InterfaceResult, Table, TableId, TableOrigin,
};
use crate::raw::{self, Sp};
use crate::source::{SourceId, Span};

use super::resolve::{Resolver, dangling};
use super::{Builder, Def, at};

impl<'a> Builder<'a> {
    /// Lowers the event catalogue; content tables are appended to `tables`.
    pub(super) fn events(
        &mut self,
        ctx: &Resolver<'_>,
        defs: &[Def<'a, raw::Event>],
        tables: &mut Vec<Table>,
    ) -> Vec<Event> {
        let mut out = Vec::new();
        for (index, d) in defs.iter().enumerate() {
            let e = &d.value.value;
            let file = d.file;
            let span = at(file, d.name.loc);
            if d.name.value.trim().is_empty() {
                self.error(
                    Diagnostic::error(DiagnosticCode::BadName, span, "an event type is empty")
                        .help("write the event type as the wire writes it (`AgentState_Ready`)"),
                );
            }
            if let Some(rust_name) = &e.rust_name
                && !is_type_name(&rust_name.value)
            {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::BadName,
                        at(file, rust_name.loc),
                        format!(
                            "the Rust name `{}` of event `{}` is not UpperCamelCase",
                            rust_name.value, d.name.value
                        ),
                    )
                    .label("becomes the variant of the event enum")
                    .help("write an UpperCamelCase name (`ParticipantChanged`)"),
                );
            }
            let (ident, content_name) = event_names(
                &d.name.value,
                e.rust_name.as_ref().map(|n| n.value.as_str()),
            );
            let content = match &e.content.value {
                raw::EventContent::Null => EventContent::Null,
                raw::EventContent::Undocumented => EventContent::Undocumented,
                raw::EventContent::Table(t) => {
                    let table = self.table(
                        ctx,
                        file,
                        content_name,
                        TableOrigin::EventContent(index),
                        t,
                        at(file, e.content.loc),
                    );
                    tables.push(table);
                    EventContent::Table(TableId(tables.len() - 1))
                }
            };
            let count = e.examples.len();
            let examples = e
                .examples
                .iter()
                .enumerate()
                .map(|(i, text)| EventExample {
                    text: ExampleText {
                        text: text.value.clone(),
                        span: at(file, text.loc),
                    },
                    test: event_test(&ident, (count > 1).then_some(i + 1)),
                })
                .collect();
            out.push(Event {
                name: d.name.value.clone(),
                ident,
                description: e.description.clone(),
                source: e.source.clone(),
                content,
                examples,
                triggered_by: Vec::new(),
                notes: self.notes(file, &e.notes),
                span,
            });
        }
        out
    }

    /// The events an interface triggers, each listed once and defined in the catalogue.
    pub(super) fn event_refs(
        &mut self,
        file: SourceId,
        refs: &[Sp<String>],
        events: &[Event],
    ) -> Vec<EventId> {
        let mut out: Vec<EventId> = Vec::new();
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        for name in refs {
            let span = at(file, name.loc);
            if let Some(first) = seen.get(name.value.as_str()) {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateReference,
                        span,
                        format!("event `{}` is listed twice", name.value),
                    )
                    .with_secondary(*first, "first listed here")
                    .help("list each event once"),
                );
                continue;
            }
            seen.insert(&name.value, span);
            match events.iter().position(|e| e.name == name.value) {
                Some(index) => out.push(EventId(index)),
                None => {
                    let candidates: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
                    dangling(self, file, name, "event", &candidates, None);
                }
            }
        }
        out
    }

    /// Whether the gateway declares how events travel (`gateway.protocol.events`).
    pub(super) fn declares_events(&self) -> bool {
        self.files.iter().any(|f| {
            f.spec
                .gateway
                .as_ref()
                .is_some_and(|g| g.value.protocol.value.events.is_some())
        })
    }

    /// `gateway.protocol.events`, checked against the catalogue, the interfaces and the headers;
    /// also records which interfaces trigger each event.
    pub(super) fn event_protocol(
        &mut self,
        events: &mut [Event],
        interfaces: &[Interface],
        headers: &[Header],
    ) -> Option<EventProtocol> {
        for (index, interface) in interfaces.iter().enumerate() {
            for id in &interface.events {
                events[id.0].triggered_by.push(index);
            }
        }
        let found = self.files.iter().find_map(|f| {
            f.spec
                .gateway
                .as_ref()
                .map(|g| (f.id, g.value.protocol.value.events.as_ref()))
        });
        let caller_param = self.files.iter().find_map(|f| {
            let protocol = &f.spec.gateway.as_ref()?.value.protocol.value;
            protocol.caller_param.as_ref().map(|p| p.value.clone())
        });
        let (file, declared) = match found {
            Some((file, Some(declared))) => (file, declared),
            _ => {
                if let Some(first) = events.first() {
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::MissingKey,
                            first.span,
                            "the spec has an event catalogue, but `gateway.protocol` has no `events`",
                        )
                        .label("an event of the catalogue")
                        .help("say how events travel: `events: {object: {type: eventType, agent: workNo, content: content}}` under `gateway.protocol`"),
                    );
                }
                return None;
            }
        };
        let p = &declared.value;
        let object = &p.object.value;
        let members = [&object.event_type, &object.agent, &object.content];
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        for member in members {
            let span = at(file, member.loc);
            if member.value.is_empty() {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::BadName,
                        span,
                        "an event object member has an empty wire name",
                    )
                    .help("write the member's name as the wire writes it (`eventType`)"),
                );
            } else if let Some(first) = seen.get(member.value.as_str()) {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateWireName,
                        span,
                        format!("the event object names member `{}` twice", member.value),
                    )
                    .with_secondary(*first, "first named here")
                    .help("the type, agent and content members have three different names"),
                );
            } else {
                seen.insert(&member.value, span);
            }
        }
        let interface = |b: &mut Self, name: &Sp<String>| {
            let found = interfaces.iter().position(|i| i.id == name.value);
            if found.is_none() {
                let candidates: Vec<&str> = interfaces.iter().map(|i| i.id.as_str()).collect();
                dangling(b, file, name, "interface", &candidates, None);
            }
            found
        };
        let polling = p.polling.as_ref().and_then(|name| {
            let index = interface(self, name)?;
            if !matches!(
                interfaces[index].result,
                Some(InterfaceResult::Event { .. })
            ) {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::InvalidForm,
                        at(file, name.loc),
                        format!(
                            "polling interface `{}` does not answer with an event",
                            name.value
                        ),
                    )
                    .label("the polling interface")
                    .with_secondary(interfaces[index].span, "its result is not `type: event`")
                    .help("declare its result as `result: {type: event, description: ...}`"),
                );
                return None;
            }
            Some(index)
        });
        let heartbeat = p.heartbeat.as_ref().and_then(|name| interface(self, name));
        for (role, name, index) in [
            ("polling", &p.polling, polling),
            ("heartbeat", &p.heartbeat, heartbeat),
        ] {
            if let (Some(name), Some(index)) = (name, index) {
                self.check_session_interface(
                    file,
                    role,
                    name,
                    &interfaces[index],
                    caller_param.as_deref(),
                );
            }
        }
        let timing = p
            .timing
            .as_ref()
            .map(|t| self.event_timing(file, &t.value))
            .unwrap_or_default();
        let callback = p
            .callback
            .as_ref()
            .and_then(|c| self.event_callback(file, &c.value, headers));
        Some(EventProtocol {
            type_member: object.event_type.value.clone(),
            agent_member: object.agent.value.clone(),
            content_member: object.content.value.clone(),
            polling,
            heartbeat,
            callback,
            timing,
            notes: self.notes(file, &p.notes),
            span: at(file, declared.loc),
        })
    }

    /// A session calls the polling and heartbeat interfaces by itself: without a body, and with
    /// no URI parameter but the caller parameter (filled with the session's agent).
    fn check_session_interface(
        &mut self,
        file: SourceId,
        role: &str,
        name: &Sp<String>,
        interface: &Interface,
        caller_param: Option<&str>,
    ) {
        let foreign = interface
            .path_params
            .iter()
            .chain(&interface.query_params)
            .find(|f| f.mandatory && Some(f.name.as_str()) != caller_param);
        let problem = if interface.request.is_some() {
            Some((interface.span, "it takes a request body".to_owned()))
        } else {
            foreign.map(|f| {
                (
                    f.span,
                    format!(
                        "`{}` is neither the protocol's caller parameter nor optional",
                        f.name
                    ),
                )
            })
        };
        if let Some((span, why)) = problem {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::InvalidForm,
                    at(file, name.loc),
                    format!("{role} interface `{}` cannot be called by a session on its own", name.value),
                )
                .label(format!("the {role} interface"))
                .with_secondary(span, why)
                .help("a session fills only the caller parameter (`gateway.protocol.caller_param`) with its agent; other parameters must be optional query parameters, and there is no body"),
            );
        }
    }

    fn event_timing(&mut self, file: SourceId, t: &raw::EventTiming) -> EventTiming {
        let repoll_ms = t.repoll_ms.as_ref().and_then(|r| {
            if r.value.min > r.value.max {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::MinExceedsMax,
                        at(file, r.loc),
                        format!(
                            "`repoll_ms` min {} exceeds max {}",
                            r.value.min, r.value.max
                        ),
                    )
                    .help("write the shortest pause as `min` and the longest as `max`"),
                );
                return None;
            }
            Some((r.value.min, r.value.max))
        });
        let mut millis = |key: &str, value: &Option<Sp<u64>>| {
            let value = value.as_ref()?;
            if value.value == 0 {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::NonPositiveLimit,
                        at(file, value.loc),
                        format!("`{key}` is 0"),
                    )
                    .help("a timer of the session is at least 1 millisecond; leave the key out when the vendor does not say"),
                );
                return None;
            }
            Some(value.value)
        };
        EventTiming {
            hold_ms: millis("hold_ms", &t.hold_ms),
            repoll_ms,
            heartbeat_ms: millis("heartbeat_ms", &t.heartbeat_ms),
            idle_sign_out_ms: millis("idle_sign_out_ms", &t.idle_sign_out_ms),
            renewal_ms: millis("renewal_ms", &t.renewal_ms),
            renewed_valid_ms: millis("renewed_valid_ms", &t.renewed_valid_ms),
        }
    }

    fn event_callback(
        &mut self,
        file: SourceId,
        c: &raw::EventCallback,
        headers: &[Header],
    ) -> Option<EventCallback> {
        let path = &c.path.value;
        if !path.starts_with('/') || path.contains(['{', '}', '?']) {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::BadPath,
                    at(file, c.path.loc),
                    format!("callback path `{path}` must be an absolute path without parameters"),
                )
                .help("write the path the vendor documents, e.g. `/service/agentevent/pushresult`"),
            );
            return None;
        }
        let mut ids = Vec::new();
        for name in &c.headers {
            match headers
                .iter()
                .position(|h| h.name.eq_ignore_ascii_case(&name.value))
            {
                Some(i) if ids.contains(&crate::model::HeaderId(i)) => self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateReference,
                        at(file, name.loc),
                        format!("header `{}` is listed twice", name.value),
                    )
                    .help("list each header once"),
                ),
                Some(i) => ids.push(crate::model::HeaderId(i)),
                None => {
                    let candidates: Vec<&str> = headers.iter().map(|h| h.name.as_str()).collect();
                    dangling(self, file, name, "header", &candidates, None);
                }
            }
        }
        Some(EventCallback {
            title: c.title.clone(),
            description: c.description.clone(),
            method: c.method.value,
            path: path.clone(),
            log_name: c.log_name.value.clone(),
            headers: ids,
            notes: self.notes(file, &c.notes),
        })
    }
}
