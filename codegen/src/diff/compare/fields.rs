//! Tables, their fields and the rules between them.

use super::*;

impl<'a> Differ<'a> {
    pub(super) fn table(&mut self, group: &Group, o: &Table, n: &Table, place: Place<'_>) {
        self.fields(group, &o.fields, &n.fields, place);
        self.rules(group, &o.rules, &n.rules, place.flow);
    }

    pub(super) fn rules(
        &mut self,
        group: &Group,
        old: &[TableRule],
        new: &[TableRule],
        flow: Flow,
    ) {
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

    pub(super) fn fields(&mut self, group: &Group, old: &[Field], new: &[Field], place: Place<'_>) {
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

    pub(super) fn field_added(&mut self, group: &Group, n: &Field, place: Place<'_>) {
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

    pub(super) fn field(&mut self, group: &Group, o: &Field, n: &Field, place: Place<'_>) {
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
        self.limits(
            group,
            &subject,
            Limits::of_field(o),
            Limits::of_field(n),
            flow,
            sites,
        );
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
    }

    /// The range, length limits and unit of a value: a field's, or a named scalar's.
    pub(super) fn limits(
        &mut self,
        group: &Group,
        subject: &str,
        o: Limits,
        n: Limits,
        flow: Flow,
        sites: Sites,
    ) {
        if let Some(m) = range_movement(o.range, n.range) {
            self.push(
                group,
                ChangeKind::Range(m),
                subject,
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
                subject,
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
                group,
                ChangeKind::UnitChanged,
                subject,
                Some(format!("{} -> {}", unit_name(o.unit), unit_name(n.unit))),
                Verdicts::both("the same number now means another quantity"),
                sites,
            );
        }
    }
}

/// What limits a value: its range, length and unit.
#[derive(Clone, Copy)]
pub(super) struct Limits {
    range: Option<Range>,
    length: Option<Length>,
    unit: Option<crate::raw::Unit>,
}

impl Limits {
    fn of_field(field: &Field) -> Self {
        Limits {
            range: field.range,
            length: field.length,
            unit: field.unit,
        }
    }

    pub(super) fn of_scalar(scalar: &crate::model::ScalarType) -> Self {
        Limits {
            range: scalar.range,
            length: scalar.length,
            unit: scalar.unit,
        }
    }
}
