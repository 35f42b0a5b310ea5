//! The protocol (envelopes, session, refusals, event object, timers) and the services.

use super::*;

impl<'a> Differ<'a> {
    pub(super) fn protocol(&mut self) {
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

    pub(super) fn timing(&mut self) {
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

    pub(super) fn services(&mut self) {
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
}
