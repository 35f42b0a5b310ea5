//! Interfaces: references to the shared definitions, path templates, inline request and result
//! tables and the example.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::rust::interface_names;
use crate::model::{
    CodeType, EnvelopeId, ErrorId, Example, ExampleEntry, ExampleTests, ExampleText, Field,
    Interface, InterfaceResult, PathSegment, Prerequisite, Scalar, Shape, Table, TableId,
    TableOrigin, Visibility,
};
use crate::raw::{self, Sp};
use crate::source::{SourceId, Span};

use super::resolve::{Names, Resolver};
use super::{Builder, Def, at};

impl<'a> Builder<'a> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn interface(
        &mut self,
        ctx: &Resolver<'_>,
        names: &Names<'_>,
        d: &Def<'a, raw::Interface>,
        index: usize,
        tables: &mut Vec<Table>,
        routes: &mut BTreeMap<(String, String), Span>,
        log_names: &mut BTreeMap<String, Span>,
    ) -> Option<Interface> {
        let i = &d.value.value;
        let file = d.file;
        self.check_snake(d.name, file, "interface name");
        let service = names.service(self, file, &i.service);
        let log_span = at(file, i.log_name.loc);
        if let Some(first) = log_names.get(&i.log_name.value) {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::DuplicateDefinition,
                    log_span,
                    format!("log name `{}` is used by two interfaces", i.log_name.value),
                )
                .with_secondary(*first, "first used here"),
            );
        } else {
            log_names.insert(i.log_name.value.clone(), log_span);
        }

        let path_params = self.uri_params(ctx, file, &i.path_params, true);
        let query_params = self.uri_params(ctx, file, &i.query_params, false);
        for q in &i.query_params {
            if let Some(p) = i
                .path_params
                .iter()
                .find(|p| p.value.name.value == q.value.name.value)
            {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateWireName,
                        at(file, q.value.name.loc),
                        format!(
                            "`{}` is both a URI parameter and a query parameter",
                            q.value.name.value
                        ),
                    )
                    .with_secondary(at(file, p.value.name.loc), "the URI parameter")
                    .help("rename one of them"),
                );
            }
        }
        let base = service.map_or(String::new(), |s| names.services[s.0].base_path.clone());
        let path = self.path(file, &base, &i.path, &i.path_params);

        if let Some(service) = service {
            let full = format!("{}{}", names.services[service.0].base_path, i.path.value);
            let key = (format!("{:?}", i.method.value), full.clone());
            let span = at(file, i.path.loc);
            if let Some(first) = routes.get(&key) {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateRoute,
                        span,
                        format!("two interfaces answer {} {full}", key.0.to_uppercase()),
                    )
                    .with_secondary(*first, "the other interface"),
                );
            } else {
                routes.insert(key, span);
            }
        }

        let mut headers = Vec::new();
        for h in &i.headers {
            if let Some(id) = names.header(self, file, h) {
                if headers.contains(&id) {
                    self.error(Diagnostic::error(
                        DiagnosticCode::DuplicateReference,
                        at(file, h.loc),
                        format!("header `{}` is listed twice", h.value),
                    ));
                } else {
                    headers.push(id);
                }
            }
        }
        let mut response_headers = Vec::new();
        for h in &i.response.value.headers {
            if let Some(id) = names.header(self, file, h) {
                if response_headers.contains(&id) {
                    self.error(Diagnostic::error(
                        DiagnosticCode::DuplicateReference,
                        at(file, h.loc),
                        format!("response header `{}` is listed twice", h.value),
                    ));
                } else {
                    response_headers.push(id);
                }
            }
        }
        let mut errors = Vec::new();
        for e in &i.errors {
            if let Some(id) = names.error(self, file, e) {
                if errors.contains(&id) {
                    self.error(Diagnostic::error(
                        DiagnosticCode::DuplicateReference,
                        at(file, e.loc),
                        format!("error code `{}` is listed twice", e.value),
                    ));
                } else {
                    errors.push(id);
                }
            }
        }
        let envelope = names.envelope(self, file, &i.response.value.envelope);
        if let (Some(own), Some(protocol)) = (envelope, self.protocol_envelope) {
            let (own, protocol) = (&names.envelopes[own.0], &names.envelopes[protocol.0]);
            if own.retcode.code_type != protocol.retcode.code_type {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::WrongCodeType,
                        at(file, i.response.value.envelope.loc),
                        format!(
                            "envelope `{}` sends its result code as {}, but the protocol's envelope `{}` as {}",
                            own.name,
                            code_kind(own.retcode.code_type),
                            protocol.name,
                            code_kind(protocol.retcode.code_type)
                        ),
                    )
                    .label("refusals could not be written in it")
                    .help("the catalogue's codes travel one way: use an envelope whose result code has the protocol envelope's type"),
                );
            }
        }
        let (prerequisites, role_refusal) = self.prerequisites(names, d, envelope);
        let needs_session = i.prerequisites.iter().find(|p| {
            matches!(
                p.value,
                raw::Prerequisite::SignedIn(_) | raw::Prerequisite::Role(_)
            )
        });
        if let Some(first) = needs_session
            && !names
                .headers
                .iter()
                .any(|h| h.purpose == Some(raw::HeaderPurpose::Session))
        {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::NoSessionHeader,
                    at(file, first.loc),
                    format!(
                        "interface `{}` needs a session, but no header carries one",
                        d.name.value
                    ),
                )
                .label("needs a signed-in caller")
                .help("declare the session header under `headers` with `purpose: session`"),
            );
        }
        let mut visibility = Vec::new();
        for v in &i.visibility {
            if let Some(role) = names.role(self, file, &v.value.role) {
                visibility.push(Visibility {
                    role,
                    scope: v.value.scope.clone(),
                });
            }
        }
        // Inline tables are named here, by the function that names every item of the interface,
        // so that messages about them use their Rust names.
        let item_names = interface_names(&d.name.value);
        let request = i.request.as_ref().map(|body| {
            let span = at(file, body.loc);
            let table = self.table(
                ctx,
                file,
                item_names.request.clone(),
                TableOrigin::Request(index),
                &body.value,
                span,
            );
            tables.push(table);
            TableId(tables.len() - 1)
        });
        let result = match i.response.value.result.as_ref() {
            None => None,
            Some(body) => {
                let name = item_names.result.clone();
                let span = at(file, body.loc);
                match &body.value {
                    raw::ResultBody::Table(t) => {
                        let table =
                            self.table(ctx, file, name, TableOrigin::Result(index), t, span);
                        tables.push(table);
                        Some(InterfaceResult::Table(TableId(tables.len() - 1)))
                    }
                    raw::ResultBody::Event { description, loc } => {
                        if !self.declares_events() {
                            self.error(
                                Diagnostic::error(
                                    DiagnosticCode::MissingKey,
                                    at(file, *loc),
                                    format!(
                                        "interface `{}` answers with an event, but `gateway.protocol` has no `events`",
                                        d.name.value
                                    ),
                                )
                                .label("`type: event`")
                                .help("say how events travel under `gateway.protocol.events`, and list the events under the top-level `events`"),
                            );
                        }
                        Some(InterfaceResult::Event {
                            description: description.clone(),
                        })
                    }
                    raw::ResultBody::Value(value) => {
                        self.field(ctx, file, value).map(|mut field| {
                            if let Some(envelope) = envelope {
                                field.name = names.envelopes[envelope.0].result.0.clone();
                            }
                            InterfaceResult::Value(Box::new(field))
                        })
                    }
                }
            }
        };
        let failure = i.response.value.failure.as_ref().map(|body| {
            let span = at(file, body.loc);
            let table = self.table(
                ctx,
                file,
                item_names.failure.clone(),
                TableOrigin::Failure(index),
                &body.value,
                span,
            );
            tables.push(table);
            TableId(tables.len() - 1)
        });
        let examples = self.examples(file, i);

        Some(Interface {
            id: d.name.value.clone(),
            names: item_names,
            title: i.title.clone(),
            updated: i.updated.clone(),
            service: service?,
            log_name: i.log_name.value.clone(),
            method: i.method.value,
            method_span: at(file, i.method.loc),
            path: path?,
            path_span: at(file, i.path.loc),
            description: i.description.clone(),
            prerequisites,
            visibility,
            path_params,
            query_params,
            headers,
            response_headers,
            request,
            envelope: envelope?,
            result,
            failure,
            role_refusal,
            errors,
            events: self.event_refs(file, &i.events, names.events),
            examples,
            deprecated: i.deprecated.as_ref().map(|d| d.value.clone()),
            notes: self.notes(file, &i.notes),
            span: at(file, d.name.loc),
        })
    }

    /// The prerequisites of an interface (`signed_in` and each role at most once), and the
    /// catalogue code its role prerequisites name for a caller without the role (checked against
    /// the interface's envelope; one code at most).
    fn prerequisites(
        &mut self,
        names: &Names<'_>,
        d: &Def<'a, raw::Interface>,
        envelope: Option<EnvelopeId>,
    ) -> (Vec<Prerequisite>, Option<ErrorId>) {
        let file = d.file;
        let mut out = Vec::new();
        let mut signed_in: Option<Span> = None;
        let mut roles: BTreeMap<usize, Span> = BTreeMap::new();
        let mut role_refusal: Option<(ErrorId, Span)> = None;
        for p in &d.value.value.prerequisites {
            match &p.value {
                raw::Prerequisite::SignedIn(text) => {
                    let span = at(file, text.loc);
                    if let Some(first) = signed_in {
                        self.error(
                            Diagnostic::error(
                                DiagnosticCode::DuplicateReference,
                                span,
                                "`signed_in` is listed twice",
                            )
                            .with_secondary(first, "first listed here")
                            .help("keep one; write other wording as `- condition: ...`"),
                        );
                        continue;
                    }
                    signed_in = Some(span);
                    out.push(Prerequisite::SignedIn {
                        text: text.value.clone(),
                    });
                }
                raw::Prerequisite::Role(r) => {
                    let refusal = match (&r.refusal, envelope) {
                        (Some(code), Some(envelope)) => {
                            self.catalogue_code(names, file, code, envelope)
                        }
                        _ => None,
                    };
                    if let (Some(code), Some(id)) = (&r.refusal, refusal) {
                        let span = at(file, code.loc);
                        match role_refusal {
                            Some((first, first_span)) if first != id => self.error(
                                Diagnostic::error(
                                    DiagnosticCode::ConflictingRefusal,
                                    span,
                                    format!(
                                        "interface `{}` refuses a missing role with two codes",
                                        d.name.value
                                    ),
                                )
                                .label("a second code")
                                .with_secondary(first_span, "the other code")
                                .help("a caller without any of the roles gets one code; give every role prerequisite the same `refusal`, or one of them"),
                            ),
                            Some(_) => {}
                            None => role_refusal = Some((id, span)),
                        }
                    }
                    let Some(role) = names.role(self, file, &r.role) else {
                        continue;
                    };
                    if let Some(first) = roles.get(&role.0) {
                        self.error(
                            Diagnostic::error(
                                DiagnosticCode::DuplicateReference,
                                at(file, r.role.loc),
                                format!("role `{}` is required twice", r.role.value),
                            )
                            .with_secondary(*first, "first required here"),
                        );
                        continue;
                    }
                    roles.insert(role.0, at(file, r.role.loc));
                    out.push(Prerequisite::Role {
                        role,
                        text: r.text.clone(),
                        refusal,
                    });
                }
                raw::Prerequisite::Condition(text) => {
                    out.push(Prerequisite::Condition {
                        text: text.value.clone(),
                    });
                }
            }
        }
        (out, role_refusal.map(|(id, _)| id))
    }

    /// `example` (first) and `examples`; names are snake_case and unique, unnamed entries of
    /// `examples` are named by their position (`example_2`).
    fn examples(&mut self, file: SourceId, i: &raw::Interface) -> Vec<Example> {
        let entries = |map: &raw::NamedMap<String>| {
            map.iter()
                .map(|(k, v)| ExampleEntry {
                    name: k.value.clone(),
                    value: v.value.clone(),
                    span: at(file, k.loc),
                    value_span: at(file, v.loc),
                })
                .collect()
        };
        let text = |t: &Sp<String>| ExampleText {
            text: t.value.clone(),
            span: at(file, t.loc),
        };
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        let mut out = Vec::new();
        let all = i
            .example
            .iter()
            .map(|e| (e, false))
            .chain(i.examples.iter().map(|e| (e, true)));
        for (position, (e, listed)) in all.enumerate() {
            let name = match &e.value.name {
                Some(name) => {
                    self.check_snake(name, file, "example name");
                    Some((name.value.clone(), at(file, name.loc)))
                }
                None if listed => Some((format!("example_{}", position + 1), at(file, e.loc))),
                None => None,
            };
            if let Some((name, span)) = &name {
                if let Some(first) = seen.get(name) {
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::DuplicateDefinition,
                            *span,
                            format!("example name `{name}` is used twice"),
                        )
                        .with_secondary(*first, "first used here")
                        .help("each example of an interface names its own tests; unnamed entries of `examples` are named `example_<position>`"),
                    );
                } else {
                    seen.insert(name.clone(), *span);
                }
            }
            out.push(Example {
                name: name.map(|(name, _)| name),
                headers: entries(&e.value.headers),
                path_params: entries(&e.value.path_params),
                query_params: entries(&e.value.query_params),
                request: e.value.request.as_ref().map(text),
                response: e.value.response.as_ref().map(text),
                tests: ExampleTests::default(),
                span: at(file, e.loc),
            });
        }
        out
    }

    /// URI or query parameters: scalars; URI parameters are always mandatory.
    fn uri_params(
        &mut self,
        ctx: &Resolver<'_>,
        file: SourceId,
        params: &[Sp<raw::Field>],
        in_path: bool,
    ) -> Vec<Field> {
        let what = if in_path {
            "URI parameter"
        } else {
            "query parameter"
        };
        params
            .iter()
            .filter_map(|p| {
                if let Some(deprecated) = &p.value.deprecated {
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::KeyNotApplicable,
                            at(file, deprecated.loc),
                            format!("{what} `{}` cannot be deprecated on its own", p.value.name.value),
                        )
                        .label("`deprecated` here")
                        .help("the client method takes every parameter as an argument; deprecate the interface instead"),
                    );
                }
                let lowered = self.field(ctx, file, &p.value)?;
                let scalar_ok = matches!(
                    lowered.shape,
                    Shape::Scalar(Scalar::String | Scalar::Int | Scalar::Long | Scalar::Boolean)
                        | Shape::Code(..)
                        | Shape::Newtype(..)
                ) && !(in_path && lowered.shape == Shape::Scalar(Scalar::Boolean));
                if !scalar_ok {
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::WrongType,
                            at(file, p.value.ty.loc),
                            format!("{what} `{}` must be a string or a number", p.value.name.value),
                        )
                        .help("URIs carry scalars only"),
                    );
                }
                if in_path && !lowered.mandatory {
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::OptionalPathParam,
                            at(file, p.value.mandatory.loc),
                            format!("URI parameter `{}` cannot be optional", p.value.name.value),
                        )
                        .help("a path template always has all its parameters; write `mandatory: true`"),
                    );
                }
                Some(lowered)
            })
            .collect()
    }

    /// Parses `base + path` into segments; every `{param}` must be declared exactly once.
    pub(super) fn path(
        &mut self,
        file: SourceId,
        base: &str,
        path: &Sp<String>,
        params: &[Sp<raw::Field>],
    ) -> Option<Vec<PathSegment>> {
        let span = at(file, path.loc);
        let text = &path.value;
        if !text.starts_with('/') {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::BadPath,
                    span,
                    format!("path `{text}` must start with `/`"),
                )
                .help(
                    "the path continues the service's base path, e.g. `/{agentid}/queryconfinfos`",
                ),
            );
            return None;
        }
        let mut segments = vec![PathSegment::Literal(base.to_owned())];
        let mut used = vec![false; params.len()];
        let mut rest = text.as_str();
        let mut ok = true;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                None => {
                    push_literal(&mut segments, rest);
                    rest = "";
                }
                Some(open) if rest.as_bytes()[open] == b'{' => {
                    push_literal(&mut segments, &rest[..open]);
                    let after = &rest[open + 1..];
                    let Some(close) = after.find('}') else {
                        self.error(
                            Diagnostic::error(
                                DiagnosticCode::BadPath,
                                span,
                                format!("unclosed `{{` in path `{text}`"),
                            )
                            .help("write parameters as `{name}`"),
                        );
                        return None;
                    };
                    let name = &after[..close];
                    match params.iter().position(|p| p.value.name.value == name) {
                        Some(index) if !used[index] => {
                            used[index] = true;
                            segments.push(PathSegment::Param(index));
                        }
                        Some(_) => {
                            ok = false;
                            self.error(
                                Diagnostic::error(
                                    DiagnosticCode::BadPath,
                                    span,
                                    format!("parameter `{{{name}}}` appears twice in the path"),
                                )
                                .help("each URI parameter appears once"),
                            );
                        }
                        None => {
                            ok = false;
                            self.error(
                                Diagnostic::error(
                                    DiagnosticCode::DanglingReference,
                                    span,
                                    format!("path parameter `{{{name}}}` is not declared in `path_params`"),
                                )
                                .label("used here")
                                .help(format!("add `- {{name: {name}, type: string, mandatory: true, description: ...}}` to `path_params`")),
                            );
                        }
                    }
                    rest = &after[close + 1..];
                }
                Some(_) => {
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::BadPath,
                            span,
                            format!("unmatched `}}` in path `{text}`"),
                        )
                        .help("write parameters as `{name}`"),
                    );
                    return None;
                }
            }
        }
        for (param, used) in params.iter().zip(used) {
            if !used {
                ok = false;
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::UnusedPathParam,
                        at(file, param.value.name.loc),
                        format!(
                            "URI parameter `{}` does not appear in the path",
                            param.value.name.value
                        ),
                    )
                    .label("declared here")
                    .with_secondary(span, "the path")
                    .help(format!(
                        "add `{{{}}}` to `path` or remove the parameter",
                        param.value.name.value
                    )),
                );
            }
        }
        ok.then_some(segments)
    }
}

fn code_kind(code_type: CodeType) -> &'static str {
    match code_type {
        CodeType::Int => "an integer",
        CodeType::String => "a string",
    }
}

fn push_literal(segments: &mut Vec<PathSegment>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(PathSegment::Literal(last)) = segments.last_mut() {
        last.push_str(text);
    } else {
        segments.push(PathSegment::Literal(text.to_owned()));
    }
}
