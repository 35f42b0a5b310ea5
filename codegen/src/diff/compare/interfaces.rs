//! Interfaces: added, removed, renamed, and what changed in each (method, path, session,
//! roles, headers, errors, parameters, bodies).

use super::*;

impl<'a> Differ<'a> {
    pub(super) fn interfaces(&mut self) {
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

    pub(super) fn interface(&mut self, o: &Interface, n: &Interface) {
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
                ("conditions", &conditions(o), &conditions(n)),
                ("visibility", &visibility(old, o), &visibility(new, n)),
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

    pub(super) fn roles(&mut self, group: &Group, o: &Interface, n: &Interface, sites: Sites) {
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

    pub(super) fn interface_headers(
        &mut self,
        group: &Group,
        o: &Interface,
        n: &Interface,
        sites: Sites,
    ) {
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

    pub(super) fn interface_errors(
        &mut self,
        group: &Group,
        o: &Interface,
        n: &Interface,
        sites: Sites,
    ) {
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
    pub(super) fn body(
        &mut self,
        group: &Group,
        body: Body,
        old: Option<TableId>,
        new: Option<TableId>,
    ) {
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
                self.docs(
                    group,
                    body.what,
                    &[(
                        "description",
                        o.description.as_deref().unwrap_or(""),
                        n.description.as_deref().unwrap_or(""),
                    )],
                    Sites::both(o.span, n.span),
                );
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
}

/// The conditions an interface documents but no server checks (sign-in and roles are compared
/// on their own).
fn conditions(interface: &Interface) -> String {
    interface
        .prerequisites
        .iter()
        .filter_map(|p| match p {
            Prerequisite::Condition { text } => Some(text.as_str()),
            Prerequisite::SignedIn { .. } | Prerequisite::Role { .. } => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Who sees what, in the page's words.
fn visibility(spec: &Spec, interface: &Interface) -> String {
    interface
        .visibility
        .iter()
        .map(|v| {
            let role = spec.roles.get(v.role.0).map_or("?", |r| r.name.as_str());
            format!("{role}: {}", v.scope)
        })
        .collect::<Vec<_>>()
        .join("\n")
}
