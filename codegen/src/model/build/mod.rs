//! Lowering raw files into the model, with every semantic check of the format.
//!
//! Checks record a diagnostic and carry on, so one run reports every problem. Structural problems
//! (unknown keys, wrong kinds) are reported by the loader; building only starts without them, so
//! that a file that failed to parse does not cause a cascade of dangling references here.
//!
//! `mod.rs` holds the builder and the named definitions; `fields` lowers tables and their rows,
//! `rules` the rules between a table's fields, `interface` lowers interfaces, path templates and
//! examples, `resolve` turns names into ids.

mod events;
mod fields;
mod interface;
mod protocol;
mod resolve;
mod rules;

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, DiagnosticCode, Diagnostics};
use crate::load::RawFile;
use crate::model::names::{is_snake_name, is_type_name, snake, upper_camel};
use crate::model::{
    Code, CodeTable, CodeType, Envelope, ErrorCode, Gateway, Header, Note, OtherMeaning, Retcode,
    Role, RootNames, Scalar, Service, ServiceNames, Shape, Spec, Table, TableId, TableOrigin,
    example,
};
use crate::model::{ScalarType, rust};
use crate::raw::{self, CodeValue, Sp, ValueType};
use crate::source::{SourceId, Sources, Span};
use fields::{scalar_of, type_name};
use resolve::{Names, Resolver};

/// Builds the model from structurally sound files for one edition of the vendor reference (the
/// gateway's `default_version`, else the newest, when `version` is `None`); `None` when any error
/// was found.
pub fn build(
    sources: &Sources,
    files: &[RawFile],
    version: Option<&str>,
    diagnostics: &mut Diagnostics,
) -> Option<Spec> {
    if diagnostics.has_errors() || files.is_empty() {
        return None;
    }
    let mut builder = Builder {
        sources,
        files,
        out: Diagnostics::default(),
        type_names: BTreeMap::new(),
        versions: Vec::new(),
        selected: None,
        requested_version: version,
        protocol_envelope: None,
    };
    let spec = builder.run();
    let failed = builder.out.has_errors();
    diagnostics.extend(builder.out);
    if failed { None } else { spec }
}

/// A definition seen in some file.
pub(super) struct Def<'a, T> {
    file: SourceId,
    name: &'a Sp<String>,
    value: &'a Sp<T>,
}

pub(super) struct Builder<'a> {
    sources: &'a Sources,
    files: &'a [RawFile],
    out: Diagnostics,
    /// Every Rust type name the spec defines (code tables, tables, envelopes), for collisions.
    type_names: BTreeMap<String, Span>,
    /// The editions of the vendor reference, oldest first.
    pub(super) versions: Vec<String>,
    /// Index of the edition the model is built for.
    pub(super) selected: Option<usize>,
    /// The edition asked for by the caller.
    requested_version: Option<&'a str>,
    /// The envelope of the gateway's protocol, once resolved: the refusal codes are written in
    /// its result code.
    pub(super) protocol_envelope: Option<crate::model::EnvelopeId>,
}

pub(super) fn at(file: SourceId, loc: raw::Loc) -> Span {
    Span::new(file, loc.start, loc.len)
}

impl<'a> Builder<'a> {
    pub(super) fn error(&mut self, d: Diagnostic) {
        self.out.push(d);
    }

    /// How many errors were reported so far.
    pub(super) fn error_count(&self) -> usize {
        self.out.error_count()
    }

    /// Collects one section of every file, reporting names defined twice.
    fn collect<T>(
        &mut self,
        what: &str,
        section: impl Fn(&'a raw::SpecFile) -> &'a raw::NamedMap<T>,
    ) -> Vec<Def<'a, T>> {
        let mut seen: BTreeMap<&'a str, Span> = BTreeMap::new();
        let mut defs = Vec::new();
        for file in self.files {
            for (name, value) in section(&file.spec).iter() {
                let span = at(file.id, name.loc);
                if let Some(first) = seen.get(name.value.as_str()) {
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::DuplicateDefinition,
                            span,
                            format!("{what} `{}` is defined twice", name.value),
                        )
                        .label("defined again here")
                        .with_secondary(*first, "first defined here")
                        .help("definitions share one namespace across all files of a spec; rename or remove one"),
                    );
                    continue;
                }
                seen.insert(name.value.as_str(), span);
                defs.push(Def {
                    file: file.id,
                    name,
                    value,
                });
            }
        }
        defs
    }

    /// Registers a Rust type name, reporting collisions between sections.
    pub(super) fn claim_type_name(&mut self, name: &str, span: Span, what: &str) {
        if rust::RESERVED_TYPE_NAMES.contains(&name) {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::BadName,
                    span,
                    format!("{what} name `{name}` is reserved"),
                )
                .label("would shadow a type the generated code uses")
                .help(format!(
                    "choose a more specific name, such as `{}{name}`",
                    upper_camel(&self.gateway_stem())
                )),
            );
            return;
        }
        if !is_type_name(name) {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::BadName,
                    span,
                    format!("{what} name `{name}` is not UpperCamelCase"),
                )
                .label("becomes a Rust type name")
                .help(format!("write it as `{}`", upper_camel(name))),
            );
        }
        if let Some(first) = self.type_names.get(name) {
            let first = *first;
            self.error(
                Diagnostic::error(
                    DiagnosticCode::DuplicateDefinition,
                    span,
                    format!("type name `{name}` is used twice"),
                )
                .label(format!("this {what} is named `{name}`"))
                .with_secondary(first, "the name is already taken here")
                .help("code tables, tables, envelopes and the request/result tables of interfaces share one namespace of type names"),
            );
        } else {
            self.type_names.insert(name.to_owned(), span);
        }
    }

    /// A prefix for suggested names.
    fn gateway_stem(&self) -> String {
        self.files
            .iter()
            .find_map(|f| f.spec.gateway.as_ref())
            .map_or_else(|| "Gateway".to_owned(), |g| g.value.name.value.clone())
    }

    pub(super) fn check_snake(&mut self, name: &Sp<String>, file: SourceId, what: &str) {
        if !is_snake_name(&name.value) {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::BadName,
                    at(file, name.loc),
                    format!("{what} `{}` is not snake_case", name.value),
                )
                .label("becomes a Rust identifier")
                .help(format!("write it as `{}`", snake(&name.value))),
            );
        }
    }

    pub(super) fn notes(&self, file: SourceId, notes: &[Sp<raw::Note>]) -> Vec<Note> {
        notes
            .iter()
            .map(|n| Note {
                vendor: n.value.vendor.clone(),
                resolution: n.value.resolution.clone(),
                span: at(file, n.loc),
            })
            .collect()
    }

    fn run(&mut self) -> Option<Spec> {
        let gateway = self.gateway();
        let services = self.collect("service", |f| &f.services);
        let roles = self.collect("role", |f| &f.roles);
        let headers = self.collect("header", |f| &f.headers);
        let envelopes = self.collect("envelope", |f| &f.envelopes);
        let errors = self.collect("error code", |f| &f.errors);
        let code_tables = self.collect("code table", |f| &f.enums);
        let scalars = self.collect("scalar", |f| &f.scalars);
        let tables = self.collect("table", |f| &f.types);
        let interfaces = self.collect("interface", |f| &f.interfaces);
        let event_defs = self.collect("event", |f| &f.events);

        let service_defs = services;
        let services: Vec<Service> = service_defs.iter().map(|d| self.service(d)).collect();
        let roles: Vec<Role> = roles
            .iter()
            .map(|d| {
                self.check_snake(d.name, d.file, "role name");
                Role {
                    name: d.name.value.clone(),
                    description: d.value.value.description.clone(),
                    span: at(d.file, d.name.loc),
                }
            })
            .collect();
        let headers = self.headers(&headers);
        let envelopes: Vec<Envelope> = envelopes.iter().map(|d| self.envelope(d)).collect();
        let errors = self.error_codes(&errors);
        let code_tables: Vec<CodeTable> = code_tables.iter().map(|d| self.code_table(d)).collect();
        let scalars: Vec<ScalarType> = scalars.iter().filter_map(|d| self.scalar_type(d)).collect();

        let mut ctx = Resolver {
            code_tables: &code_tables,
            scalars: &scalars,
            code_table_names: code_tables
                .iter()
                .enumerate()
                .map(|(i, t)| (t.name.clone(), i))
                .collect(),
            scalar_names: scalars
                .iter()
                .enumerate()
                .map(|(i, t)| (t.name.clone(), i))
                .collect(),
            table_names: BTreeMap::new(),
        };
        for (i, def) in tables.iter().enumerate() {
            ctx.table_names.insert(def.name.value.clone(), TableId(i));
            self.claim_type_name(&def.name.value, at(def.file, def.name.loc), "table");
        }
        let mut all_tables: Vec<Table> = tables
            .iter()
            .map(|d| {
                let t = &d.value.value;
                self.table(
                    &ctx,
                    d.file,
                    d.name.value.clone(),
                    TableOrigin::Named,
                    t,
                    at(d.file, d.name.loc),
                )
            })
            .collect();

        let mut events = self.events(&ctx, &event_defs, &mut all_tables);
        let names = Names {
            events: &events,
            services: &services,
            roles: &roles,
            headers: &headers,
            envelopes: &envelopes,
            errors: &errors,
        };
        let protocol_codes = self.protocol_codes(&names);
        if let Some(codes) = &protocol_codes {
            self.check_server_defaults(&service_defs, codes);
        }
        self.protocol_envelope = protocol_codes.as_ref().map(|p| p.envelope);
        let mut lowered = Vec::new();
        let mut routes: BTreeMap<(String, String), Span> = BTreeMap::new();
        let mut log_names: BTreeMap<String, Span> = BTreeMap::new();
        for (index, def) in interfaces.iter().enumerate() {
            if let Some(interface) = self.interface(
                &ctx,
                &names,
                def,
                index,
                &mut all_tables,
                &mut routes,
                &mut log_names,
            ) {
                lowered.push(interface);
            }
        }

        let protocol = protocol_codes.and_then(|codes| self.protocol(codes, &headers, &lowered));
        let event_protocol = self.event_protocol(&mut events, &lowered, &headers);
        let version = self.selected.and_then(|i| self.versions.get(i)).cloned();
        let mut spec = Spec {
            gateway: gateway?,
            protocol: protocol?,
            version,
            services,
            roles,
            headers,
            envelopes,
            errors,
            scalars,
            code_tables,
            tables: all_tables,
            interfaces: lowered,
            events,
            event_protocol,
            names: RootNames::default(),
        };
        let mut found = Vec::new();
        rust::assign(&mut spec, &mut found);
        self.out.extend(found);
        if !self.out.has_errors() {
            for interface in &spec.interfaces {
                let found = example::check_interface(&spec, interface, self.sources);
                self.out.extend(found);
            }
            let found = example::check_events(&spec, self.sources);
            self.out.extend(found);
        }
        Some(spec)
    }

    fn gateway(&mut self) -> Option<Gateway> {
        let mut found: Option<(SourceId, &'a Sp<raw::Gateway>)> = None;
        for file in self.files {
            let Some(gateway) = &file.spec.gateway else {
                continue;
            };
            if let Some((first_file, first)) = found {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateDefinition,
                        at(file.id, gateway.loc),
                        "the gateway is defined twice",
                    )
                    .with_secondary(at(first_file, first.loc), "first defined here")
                    .help("exactly one file of a spec directory has a `gateway` section"),
                );
                continue;
            }
            found = Some((file.id, gateway));
        }
        let Some((file, gateway)) = found else {
            let first = self.files.first().map_or(SourceId::default(), |f| f.id);
            self.error(
                Diagnostic::error(
                    DiagnosticCode::MissingGateway,
                    Span::new(first, 0, 0),
                    "no file of this spec has a `gateway` section",
                )
                .help("add `gateway: {name: ..., title: ...}` to one file (e.g. gateway.yaml)"),
            );
            return None;
        };
        let g = &gateway.value;
        if !is_snake_name(&g.name.value) {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::BadName,
                    at(file, g.name.loc),
                    format!("gateway name `{}` is not snake_case", g.name.value),
                )
                .label("becomes the crate name")
                .help(format!("write it as `{}`", snake(&g.name.value))),
            );
        }
        self.select_version(file, g);
        Some(Gateway {
            name: g.name.value.clone(),
            title: g.title.clone(),
            description: g.description.clone(),
            reference: g.reference.clone(),
            span: at(file, gateway.loc),
        })
    }

    /// Records the editions and picks the one to build for.
    fn select_version(&mut self, file: SourceId, g: &raw::Gateway) {
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        for v in &g.versions {
            let span = at(file, v.value.name.loc);
            if let Some(first) = seen.get(v.value.name.value.as_str()) {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateDefinition,
                        span,
                        format!("version `{}` is listed twice", v.value.name.value),
                    )
                    .with_secondary(*first, "first listed here"),
                );
            }
            seen.insert(v.value.name.value.as_str(), span);
            self.versions.push(v.value.name.value.clone());
        }
        let wanted = self
            .requested_version
            .map(str::to_owned)
            .or_else(|| g.default_version.as_ref().map(|d| d.value.clone()));
        self.selected = match wanted {
            None => self.versions.len().checked_sub(1),
            Some(name) => match self.versions.iter().position(|v| *v == name) {
                Some(i) => Some(i),
                None => {
                    let span = g
                        .default_version
                        .as_ref()
                        .filter(|d| d.value == name)
                        .map_or_else(|| at(file, g.name.loc), |d| at(file, d.loc));
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::UnknownVersion,
                            span,
                            format!("the spec has no version `{name}`"),
                        )
                        .help(if self.versions.is_empty() {
                            "declare editions under `gateway.versions` first".to_owned()
                        } else {
                            format!("versions: {}", self.versions.join(", "))
                        }),
                    );
                    None
                }
            },
        };
    }

    /// The override that applies to the selected edition: the last one not newer than it.
    pub(super) fn applicable_override<'o>(
        &mut self,
        file: SourceId,
        overrides: &'o raw::NamedMap<raw::Override>,
    ) -> Option<&'o raw::Override> {
        let mut found = None;
        for (name, value) in overrides.iter() {
            match self.versions.iter().position(|v| *v == name.value) {
                None => self.error(
                    Diagnostic::error(
                        DiagnosticCode::UnknownVersion,
                        at(file, name.loc),
                        format!("no version `{}` is declared", name.value),
                    )
                    .help(if self.versions.is_empty() {
                        "declare editions under `gateway.versions`".to_owned()
                    } else {
                        format!("versions: {}", self.versions.join(", "))
                    }),
                ),
                Some(i) if self.selected.is_some_and(|s| i <= s) => found = Some(&value.value),
                Some(_) => {}
            }
        }
        found
    }

    fn service(&mut self, d: &Def<'a, raw::Service>) -> Service {
        self.check_snake(d.name, d.file, "service name");
        let s = &d.value.value;
        let path = &s.base_path.value;
        if !path.starts_with('/') || (path.len() > 1 && path.ends_with('/')) || path.contains('{') {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::BadPath,
                    at(d.file, s.base_path.loc),
                    format!("base path `{path}` must start with `/`, not end with `/`, and have no parameters"),
                )
                .label("invalid base path")
                .help("write an absolute path such as `/agentgateway/resource/agentconf`; parameters belong in each interface's `path`"),
            );
        }
        Service {
            name: d.name.value.clone(),
            title: s.title.clone(),
            base_path: path.clone(),
            description: s.description.clone(),
            default_methods: s.server_defaults.is_some(),
            names: ServiceNames::default(),
            span: at(d.file, d.name.loc),
        }
    }

    fn headers(&mut self, defs: &[Def<'a, raw::Header>]) -> Vec<Header> {
        let mut seen: BTreeMap<String, Span> = BTreeMap::new();
        let mut out = Vec::new();
        for d in defs {
            let span = at(d.file, d.name.loc);
            let folded = d.name.value.to_ascii_lowercase();
            if let Some(first) = seen.get(&folded) {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateDefinition,
                        span,
                        format!(
                            "header `{}` is defined twice (header names are case-insensitive)",
                            d.name.value
                        ),
                    )
                    .with_secondary(*first, "first defined here"),
                );
                continue;
            }
            if d.name.value.is_empty()
                || !d
                    .name
                    .value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_!#$%&'*+.^`|~".contains(&b))
            {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::BadName,
                        span,
                        format!("`{}` is not a valid HTTP header name", d.name.value),
                    )
                    .help("header names are HTTP tokens: letters, digits and `-`"),
                );
            }
            seen.insert(folded, span);
            let h = &d.value.value;
            let format = self.header_format(d.file, d.name, h);
            out.push(Header {
                name: d.name.value.clone(),
                description: h.description.clone(),
                mandatory: h.mandatory.value,
                default: h.default.as_ref().map(|v| v.value.clone()),
                purpose: h.purpose.as_ref().map(|p| p.value),
                format,
                source: h.source.clone(),
                notes: self.notes(d.file, &h.notes),
                span,
            });
        }
        for (purpose, name, what) in [
            (raw::HeaderPurpose::Session, "session", "session header"),
            (
                raw::HeaderPurpose::RenewSession,
                "renew_session",
                "renewal header",
            ),
            (
                raw::HeaderPurpose::ServiceToken,
                "service_token",
                "service-token header",
            ),
        ] {
            let spans: Vec<Span> = out
                .iter()
                .filter(|h| h.purpose == Some(purpose))
                .map(|h| h.span)
                .collect();
            if let [first, second, ..] = spans.as_slice() {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateDefinition,
                        *second,
                        format!("two headers have `purpose: {name}`"),
                    )
                    .with_secondary(*first, format!("the {what} is already this one"))
                    .help(format!(
                        "a gateway has one {what}; remove `purpose: {name}` from one"
                    )),
                );
            }
        }
        out
    }

    fn envelope(&mut self, d: &Def<'a, raw::Envelope>) -> Envelope {
        let e = &d.value.value;
        self.claim_type_name(&d.name.value, at(d.file, d.name.loc), "envelope");
        let code_type = match e.retcode.ty.value {
            ValueType::String => CodeType::String,
            ValueType::Int | ValueType::Long => CodeType::Int,
            other => {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::WrongType,
                        at(d.file, e.retcode.ty.loc),
                        format!("a result code cannot be of type {other:?}"),
                    )
                    .help("use `string` (as AgentGateway does) or `int`"),
                );
                CodeType::String
            }
        };
        self.check_code_kind(code_type, &e.retcode.success, d.file, &d.name.value);
        let members = [&e.message.name, &e.retcode.name, &e.result.name];
        for (i, name) in members.iter().enumerate() {
            if let Some(previous) = members[..i].iter().find(|n| n.value == name.value) {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateWireName,
                        at(d.file, name.loc),
                        format!("envelope member name `{}` is used twice", name.value),
                    )
                    .with_secondary(at(d.file, previous.loc), "first used here"),
                );
            }
        }
        Envelope {
            name: d.name.value.clone(),
            description: e.description.clone(),
            source: e.source.clone(),
            message: (e.message.name.value.clone(), e.message.description.clone()),
            retcode: Retcode {
                name: e.retcode.name.value.clone(),
                code_type,
                success: e.retcode.success.value.clone(),
                description: e.retcode.description.clone(),
            },
            result: (e.result.name.value.clone(), e.result.description.clone()),
            notes: self.notes(d.file, &e.notes),
            span: at(d.file, d.name.loc),
        }
    }

    fn error_codes(&mut self, defs: &[Def<'a, raw::ErrorCode>]) -> Vec<ErrorCode> {
        let mut names: BTreeMap<&str, Span> = BTreeMap::new();
        let mut out = Vec::new();
        for d in defs {
            let e = &d.value.value;
            self.check_snake(&e.name, d.file, "error name");
            let span = at(d.file, e.name.loc);
            if d.name.value.trim().is_empty() {
                self.error(Diagnostic::error(
                    DiagnosticCode::BadName,
                    at(d.file, d.name.loc),
                    "an error code cannot be empty",
                ));
            }
            if let Some(first) = names.get(e.name.value.as_str()) {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateDefinition,
                        span,
                        format!("error name `{}` is used by two codes", e.name.value),
                    )
                    .with_secondary(*first, "first used here")
                    .help("each code of the catalogue needs its own name"),
                );
            } else {
                names.insert(e.name.value.as_str(), span);
            }
            out.push(ErrorCode {
                code: d.name.value.clone(),
                name: e.name.value.clone(),
                ident: String::new(),
                meaning: e.meaning.clone(),
                span: at(d.file, d.name.loc),
            });
        }
        out
    }

    /// Reports a code written as the wrong kind for its table.
    pub(super) fn check_code_kind(
        &mut self,
        kind: CodeType,
        code: &Sp<CodeValue>,
        file: SourceId,
        table: &str,
    ) {
        let (ok, fix) = match (&code.value, kind) {
            (CodeValue::Int(_), CodeType::Int) | (CodeValue::Str(_), CodeType::String) => {
                (true, String::new())
            }
            (CodeValue::Int(i), CodeType::String) => (false, format!("write it quoted: `\"{i}\"`")),
            (CodeValue::Str(s), CodeType::Int) => match s.parse::<i64>() {
                Ok(i) => (false, format!("write it without quotes: `{i}`")),
                Err(_) => (false, "integer tables take integer codes".to_owned()),
            },
        };
        if !ok {
            let kind_name = match kind {
                CodeType::Int => "an integer",
                CodeType::String => "a string",
            };
            self.error(
                Diagnostic::error(
                    DiagnosticCode::WrongCodeType,
                    at(file, code.loc),
                    format!("code {} of `{table}` must be {kind_name}", code.value),
                )
                .label(format!("`{table}` travels as {kind_name}"))
                .help(fix),
            );
        }
    }

    fn scalar_type(&mut self, d: &Def<'a, raw::ScalarType>) -> Option<ScalarType> {
        let t = &d.value.value;
        let span = at(d.file, d.name.loc);
        self.claim_type_name(&d.name.value, span, "scalar");
        let scalar = match t.ty.value {
            ValueType::String | ValueType::Int | ValueType::Long => scalar_of(t.ty.value),
            other => {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::WrongType,
                        at(d.file, t.ty.loc),
                        format!("a scalar cannot be of type {}", type_name(other)),
                    )
                    .help("scalars are `string`, `int` or `long`"),
                );
                return None;
            }
        };
        if scalar != Scalar::String
            && let Some(length) = &t.length
        {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::KeyNotApplicable,
                    at(d.file, length.loc),
                    format!(
                        "`length` does not apply to `{}` of type {}",
                        d.name.value,
                        type_name(t.ty.value)
                    ),
                )
                .help("`length` is for strings"),
            );
        }
        let newer = self.applicable_override(d.file, &t.versions);
        let range = newer
            .and_then(|o| o.range.as_ref())
            .or(t.range.as_ref())
            .and_then(|r| {
                self.range(
                    d.file,
                    &format!("scalar `{}`", d.name.value),
                    &t.ty,
                    r,
                    &Shape::Scalar(scalar),
                )
            });
        let length = newer
            .and_then(|o| o.length.as_ref())
            .or(t.length.as_ref())
            .and_then(|l| self.length(d.file, l));
        if range.is_none() && length.is_none() {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::EmptyLimit,
                    span,
                    format!("scalar `{}` has no constraint", d.name.value),
                )
                .help("give it a `range` or a `length`; an unconstrained value is a plain field"),
            );
        }
        Some(ScalarType {
            name: d.name.value.clone(),
            scalar,
            description: t.description.clone(),
            range,
            length,
            unit: t.unit.as_ref().map(|u| u.value),
            source: t.source.clone(),
            notes: self.notes(d.file, &t.notes),
            span,
        })
    }

    fn code_table(&mut self, d: &Def<'a, raw::CodeTable>) -> CodeTable {
        let t = &d.value.value;
        self.claim_type_name(&d.name.value, at(d.file, d.name.loc), "code table");
        let code_type = match t.code_type.value {
            raw::CodeType::Int => CodeType::Int,
            raw::CodeType::String => CodeType::String,
        };
        if t.codes.is_empty() {
            self.error(
                Diagnostic::error(
                    DiagnosticCode::EmptyTable,
                    at(d.file, d.name.loc),
                    format!("code table `{}` has no codes", d.name.value),
                )
                .help("list at least one `- {code: ..., name: ..., meaning: ...}`"),
            );
        }
        let mut values: BTreeMap<&CodeValue, Span> = BTreeMap::new();
        let mut names: BTreeMap<&str, Span> = BTreeMap::new();
        let mut codes = Vec::new();
        for code in &t.codes {
            let c = &code.value;
            self.check_code_kind(code_type, &c.code, d.file, &d.name.value);
            self.check_snake(&c.name, d.file, "code name");
            let span = at(d.file, c.code.loc);
            if let Some(first) = values.get(&c.code.value) {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateCode,
                        span,
                        format!("code {} appears twice in `{}`", c.code.value, d.name.value),
                    )
                    .label("duplicate code")
                    .with_secondary(*first, "first listed here")
                    .help("each code of a table must be unique; remove one or fix the value"),
                );
            } else {
                values.insert(&c.code.value, span);
            }
            let name_span = at(d.file, c.name.loc);
            if let Some(first) = names.get(c.name.value.as_str()) {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateCode,
                        name_span,
                        format!(
                            "code name `{}` appears twice in `{}`",
                            c.name.value, d.name.value
                        ),
                    )
                    .with_secondary(*first, "first used here")
                    .help("each code needs its own name; it becomes a Rust variant"),
                );
            } else {
                names.insert(c.name.value.as_str(), name_span);
            }
            codes.push(Code {
                value: c.code.value.clone(),
                name: c.name.value.clone(),
                ident: String::new(),
                meaning: c.meaning.clone(),
                source: c.source.clone(),
                also: c
                    .also
                    .iter()
                    .map(|a| OtherMeaning {
                        meaning: a.value.meaning.clone(),
                        source: a.value.source.clone(),
                    })
                    .collect(),
                deprecated: c.deprecated.as_ref().map(|d| d.value.clone()),
                notes: self.notes(d.file, &c.notes),
                span: at(d.file, code.loc),
            });
        }
        CodeTable {
            fallback: None,
            refuse_in_requests: false,
            name: d.name.value.clone(),
            description: t.description.clone(),
            source: t.source.clone(),
            code_type,
            unknown_codes: t.unknown_codes.as_ref().map(|u| u.value),
            codes,
            notes: self.notes(d.file, &t.notes),
            span: at(d.file, d.name.loc),
        }
    }
}
