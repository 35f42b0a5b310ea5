//! Shared definitions: named tables, code tables, scalars, headers, the error catalogue and
//! events.

use super::fields::Limits;
use super::*;

impl<'a> Differ<'a> {
    pub(super) fn flow(&self, pick: fn(&Flows) -> &BTreeMap<String, Flow>, name: &str) -> Flow {
        let old = pick(&self.old_flows).get(name).copied();
        let new = pick(&self.new_flows).get(name).copied();
        match (old, new) {
            (Some(a), Some(b)) => a.join(b),
            (Some(f), None) | (None, Some(f)) => f,
            // Unused: it could travel either way.
            (None, None) => Flow::Both,
        }
    }

    pub(super) fn named_tables(&mut self) {
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

    pub(super) fn definition_added(&mut self, group: &Group, subject: &str, span: Span) {
        self.push(
            group,
            ChangeKind::DefinitionAdded,
            subject,
            None,
            Verdicts::neither("a new type; where it is used is reported there"),
            Sites::new(span),
        );
    }

    pub(super) fn definition_removed(&mut self, group: &Group, subject: &str, span: Span) {
        self.push(
            group,
            ChangeKind::DefinitionRemoved,
            subject,
            None,
            Verdicts::both("code naming the type stops compiling"),
            Sites::old(span),
        );
    }

    pub(super) fn code_tables(&mut self) {
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

    pub(super) fn code_table(&mut self, group: &Group, o: &CodeTable, n: &CodeTable, flow: Flow) {
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

    pub(super) fn scalars(&mut self) {
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
                    self.limits(
                        &group,
                        &subject,
                        Limits::of_scalar(o),
                        Limits::of_scalar(n),
                        flow,
                        sites,
                    );
                }
                (Some(o), None) => self.definition_removed(&group, &subject, o.span),
                (None, Some(n)) => self.definition_added(&group, &subject, n.span),
                (None, None) => {}
            }
        }
    }

    pub(super) fn headers(&mut self) {
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

    pub(super) fn errors(&mut self) {
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

    pub(super) fn events(&mut self) {
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
