//! Lowering raw files into the model, with every semantic check of the format.
//!
//! Checks record a diagnostic and carry on, so one run reports every problem. Structural problems
//! (unknown keys, wrong kinds) are reported by the loader; building only starts without them, so
//! that a file that failed to parse does not cause a cascade of dangling references here.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::RawFile;
use crate::model::names::{is_snake_name, is_type_name, snake, upper_camel};
use crate::model::{
    Code, CodeTable, CodeTableId, CodeType, Envelope, EnvelopeId, ErrorCode, ErrorId, Example,
    ExampleEntry, ExampleText, Field, Gateway, Header, HeaderId, Interface, Length, Note,
    PathSegment, Prerequisite, Range, Retcode, Role, RoleId, Scalar, Service, ServiceId, Shape,
    Spec, Table, TableId, TableOrigin, Visibility, example,
};
use crate::model::{ScalarType, ScalarTypeId, rust};
use crate::raw::{self, CodeValue, LengthUnit, Sp, ValueType};
use crate::source::{SourceId, Sources, Span};

/// Builds the model from structurally sound files; `None` when any error was found.
pub fn build(sources: &Sources, files: &[RawFile], diagnostics: &mut Diagnostics) -> Option<Spec> {
    if diagnostics.has_errors() || files.is_empty() {
        return None;
    }
    let mut builder = Builder {
        sources,
        files,
        out: Diagnostics::default(),
        type_names: BTreeMap::new(),
    };
    let spec = builder.run();
    let failed = builder.out.has_errors();
    diagnostics.extend(builder.out);
    if failed { None } else { spec }
}

/// A definition seen in some file.
struct Def<'a, T> {
    file: SourceId,
    name: &'a Sp<String>,
    value: &'a Sp<T>,
}

struct Builder<'a> {
    sources: &'a Sources,
    files: &'a [RawFile],
    out: Diagnostics,
    /// Every Rust type name the spec defines (code tables, tables, envelopes), for collisions.
    type_names: BTreeMap<String, Span>,
}

fn at(file: SourceId, loc: raw::Loc) -> Span {
    Span::new(file, loc.start, loc.len)
}

impl<'a> Builder<'a> {
    fn error(&mut self, d: Diagnostic) {
        self.out.push(d);
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
                            "gatespec::duplicate-definition",
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
    fn claim_type_name(&mut self, name: &str, span: Span, what: &str) {
        if rust::RESERVED_TYPE_NAMES.contains(&name) {
            self.error(
                Diagnostic::error(
                    "gatespec::bad-name",
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
                    "gatespec::bad-name",
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
                    "gatespec::duplicate-definition",
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

    fn check_snake(&mut self, name: &Sp<String>, file: SourceId, what: &str) {
        if !is_snake_name(&name.value) {
            self.error(
                Diagnostic::error(
                    "gatespec::bad-name",
                    at(file, name.loc),
                    format!("{what} `{}` is not snake_case", name.value),
                )
                .label("becomes a Rust identifier")
                .help(format!("write it as `{}`", snake(&name.value))),
            );
        }
    }

    fn notes(&self, file: SourceId, notes: &[Sp<raw::Note>]) -> Vec<Note> {
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

        let services: Vec<Service> = services.iter().map(|d| self.service(d)).collect();
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

        let names = Names {
            services: &services,
            roles: &roles,
            headers: &headers,
            envelopes: &envelopes,
            errors: &errors,
        };
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

        let mut spec = Spec {
            gateway: gateway?,
            services,
            roles,
            headers,
            envelopes,
            errors,
            scalars,
            code_tables,
            tables: all_tables,
            interfaces: lowered,
        };
        let mut found = Vec::new();
        rust::assign(&mut spec, &mut found);
        self.out.extend(found);
        if !self.out.has_errors() {
            for interface in &spec.interfaces {
                let found = example::check_interface(&spec, interface, self.sources);
                self.out.extend(found);
            }
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
                        "gatespec::duplicate-definition",
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
                    "gatespec::missing-gateway",
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
                    "gatespec::bad-name",
                    at(file, g.name.loc),
                    format!("gateway name `{}` is not snake_case", g.name.value),
                )
                .label("becomes the crate name")
                .help(format!("write it as `{}`", snake(&g.name.value))),
            );
        }
        Some(Gateway {
            name: g.name.value.clone(),
            title: g.title.clone(),
            description: g.description.clone(),
            reference: g.reference.clone(),
            span: at(file, gateway.loc),
        })
    }

    fn service(&mut self, d: &Def<'a, raw::Service>) -> Service {
        self.check_snake(d.name, d.file, "service name");
        let s = &d.value.value;
        let path = &s.base_path.value;
        if !path.starts_with('/') || (path.len() > 1 && path.ends_with('/')) || path.contains('{') {
            self.error(
                Diagnostic::error(
                    "gatespec::bad-path",
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
                        "gatespec::duplicate-definition",
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
                        "gatespec::bad-name",
                        span,
                        format!("`{}` is not a valid HTTP header name", d.name.value),
                    )
                    .help("header names are HTTP tokens: letters, digits and `-`"),
                );
            }
            seen.insert(folded, span);
            let h = &d.value.value;
            out.push(Header {
                name: d.name.value.clone(),
                description: h.description.clone(),
                mandatory: h.mandatory.value,
                default: h.default.as_ref().map(|v| v.value.clone()),
                purpose: h.purpose.as_ref().map(|p| p.value),
                source: h.source.clone(),
                notes: self.notes(d.file, &h.notes),
                span,
            });
        }
        let sessions: Vec<&Header> = out
            .iter()
            .filter(|h| h.purpose == Some(raw::HeaderPurpose::Session))
            .collect();
        if let [first, second, ..] = sessions.as_slice() {
            let (first, second) = (first.span, second.span);
            self.error(
                Diagnostic::error(
                    "gatespec::duplicate-definition",
                    second,
                    "two headers have `purpose: session`",
                )
                .with_secondary(first, "the session header is already this one")
                .help("a gateway has one session header; remove `purpose: session` from one"),
            );
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
                        "gatespec::wrong-type",
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
                        "gatespec::duplicate-wire-name",
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
                    "gatespec::bad-name",
                    at(d.file, d.name.loc),
                    "an error code cannot be empty",
                ));
            }
            if let Some(first) = names.get(e.name.value.as_str()) {
                self.error(
                    Diagnostic::error(
                        "gatespec::duplicate-definition",
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
    fn check_code_kind(
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
                    "gatespec::wrong-code-type",
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
                        "gatespec::wrong-type",
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
                    "gatespec::key-not-applicable",
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
        let range = t.range.as_ref().and_then(|r| {
            self.range(
                d.file,
                &format!("scalar `{}`", d.name.value),
                &t.ty,
                r,
                &Shape::Scalar(scalar),
            )
        });
        let length = t.length.as_ref().and_then(|l| self.length(d.file, l));
        if range.is_none() && length.is_none() {
            self.error(
                Diagnostic::error(
                    "gatespec::empty-limit",
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
                    "gatespec::empty-table",
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
                        "gatespec::duplicate-code",
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
                        "gatespec::duplicate-code",
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
                notes: self.notes(d.file, &c.notes),
                span: at(d.file, code.loc),
            });
        }
        CodeTable {
            fallback: None,
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

    fn table(
        &mut self,
        ctx: &Resolver<'_>,
        file: SourceId,
        name: String,
        origin: TableOrigin,
        t: &raw::Table,
        span: Span,
    ) -> Table {
        let mut wire: BTreeMap<&str, Span> = BTreeMap::new();
        let mut fields = Vec::new();
        for field in &t.fields {
            let f = &field.value;
            let name_span = at(file, f.name.loc);
            if let Some(first) = wire.get(f.name.value.as_str()) {
                self.error(
                    Diagnostic::error(
                        "gatespec::duplicate-wire-name",
                        name_span,
                        format!("field `{}` appears twice in table `{name}`", f.name.value),
                    )
                    .label("duplicate wire name")
                    .with_secondary(*first, "first defined here")
                    .help("wire names must be unique within a table"),
                );
            } else {
                wire.insert(f.name.value.as_str(), name_span);
            }
            if let Some(lowered) = self.field(ctx, file, f) {
                fields.push(lowered);
            }
        }
        Table {
            name,
            origin,
            description: t.description.clone(),
            source: t.source.clone(),
            fields,
            notes: self.notes(file, &t.notes),
            span,
        }
    }

    fn field(&mut self, ctx: &Resolver<'_>, file: SourceId, f: &raw::Field) -> Option<Field> {
        if let Some(rust_name) = &f.rust_name {
            self.check_snake(rust_name, file, "Rust field name");
        }
        if f.name.value.is_empty() {
            self.error(Diagnostic::error(
                "gatespec::bad-name",
                at(file, f.name.loc),
                "a field needs a non-empty wire name",
            ));
        }
        let vendor_type = f.ty.value;
        let ty_span = at(file, f.ty.loc);
        let not_applicable = |this: &mut Self, key: &str, loc: raw::Loc, why: &str| {
            this.error(
                Diagnostic::error(
                    "gatespec::key-not-applicable",
                    at(file, loc),
                    format!(
                        "`{key}` does not apply to field `{}` of type {}",
                        f.name.value,
                        type_name(vendor_type)
                    ),
                )
                .label(format!("`{key}` not allowed here"))
                .with_secondary(ty_span, "the field's type")
                .help(why.to_owned()),
            );
        };
        if vendor_type != ValueType::Array {
            if let Some(items) = &f.items {
                not_applicable(self, "items", items.loc, "`items` is for arrays");
            }
            if let Some(v) = &f.min_items {
                not_applicable(self, "min_items", v.loc, "`min_items` is for arrays");
            }
            if let Some(v) = &f.max_items {
                not_applicable(self, "max_items", v.loc, "`max_items` is for arrays");
            }
        }
        if vendor_type != ValueType::Object
            && let Some(table) = &f.table
        {
            not_applicable(
                self,
                "table",
                table.loc,
                "`table` is for objects; for an array of objects write `items: TableName`",
            );
        }
        if vendor_type != ValueType::String
            && let Some(length) = &f.length
        {
            not_applicable(
                self,
                "length",
                length.loc,
                "`length` is for strings; arrays take `min_items`/`max_items`",
            );
        }
        if let Some(unit) = &f.unit
            && !matches!(vendor_type, ValueType::Int | ValueType::Long)
        {
            not_applicable(self, "unit", unit.loc, "units are for numbers");
        }
        let shape = match vendor_type {
            ValueType::String | ValueType::Int | ValueType::Long | ValueType::Boolean => {
                let scalar = scalar_of(vendor_type);
                if let Some(scalar_ref) = &f.scalar {
                    let id = ctx.scalar(self, file, scalar_ref)?;
                    let def = &ctx.scalars[id.0];
                    if def.scalar != scalar {
                        self.error(
                            Diagnostic::error(
                                "gatespec::wrong-type",
                                at(file, scalar_ref.loc),
                                format!(
                                    "scalar `{}` is not of type {}",
                                    def.name,
                                    type_name(vendor_type)
                                ),
                            )
                            .label(format!("`{}` is declared with another type", def.name))
                            .with_secondary(ty_span, "the field's type")
                            .with_secondary(def.span, "the scalar"),
                        );
                    }
                    for (key, loc) in [
                        ("range", f.range.as_ref().map(|r| r.loc)),
                        ("length", f.length.as_ref().map(|l| l.loc)),
                        ("enum", f.code_table.as_ref().map(|c| c.loc)),
                    ] {
                        if let Some(loc) = loc {
                            not_applicable(
                                self,
                                key,
                                loc,
                                "a field of a named scalar takes the scalar's constraints; change them on the scalar",
                            );
                        }
                    }
                    return Some(Field {
                        row: f.row.clone(),
                        name: f.name.value.clone(),
                        ident: f
                            .rust_name
                            .as_ref()
                            .map_or_else(String::new, |r| r.value.clone()),
                        vendor_type,
                        shape: Shape::Newtype(id),
                        mandatory: f.mandatory.value,
                        description: f.description.clone(),
                        range: None,
                        length: None,
                        items: None,
                        unit: f.unit.as_ref().map(|u| u.value),
                        notes: self.notes(file, &f.notes),
                        span: at(file, f.name.loc),
                    });
                }
                match &f.code_table {
                    Some(code_ref) => {
                        let id = ctx.code_table(self, file, code_ref)?;
                        let table = &ctx.code_tables[id.0];
                        let compatible = matches!(
                            (table.code_type, scalar),
                            (CodeType::String, Scalar::String)
                                | (CodeType::Int, Scalar::Int | Scalar::Long)
                        );
                        if !compatible {
                            self.error(
                                Diagnostic::error(
                                    "gatespec::wrong-code-type",
                                    at(file, code_ref.loc),
                                    format!(
                                        "code table `{}` has {} codes but field `{}` is of type {}",
                                        table.name,
                                        match table.code_type {
                                            CodeType::Int => "integer",
                                            CodeType::String => "string",
                                        },
                                        f.name.value,
                                        type_name(vendor_type)
                                    ),
                                )
                                .label(format!(
                                    "`{}` has `code_type: {}`",
                                    table.name,
                                    match table.code_type {
                                        CodeType::Int => "int",
                                        CodeType::String => "string",
                                    }
                                ))
                                .with_secondary(ty_span, "the field's type")
                                .help("the field's type and the table's `code_type` must agree"),
                            );
                        }
                        if scalar == Scalar::Int {
                            for code in &table.codes {
                                if let CodeValue::Int(v) = code.value
                                    && i32::try_from(v).is_err()
                                {
                                    self.error(
                                        Diagnostic::error(
                                            "gatespec::out-of-range",
                                            at(file, code_ref.loc),
                                            format!("code {v} of `{}` does not fit field `{}` of type int", table.name, f.name.value),
                                        )
                                        .with_secondary(code.span, "this code")
                                        .help("declare the field as `long`"),
                                    );
                                }
                            }
                        }
                        if let Some(range) = &f.range {
                            not_applicable(
                                self,
                                "range",
                                range.loc,
                                "a code field takes its values from the code table",
                            );
                        }
                        Shape::Code(id, scalar)
                    }
                    None => Shape::Scalar(scalar),
                }
            }
            ValueType::Array => {
                if let Some(scalar_ref) = &f.scalar {
                    not_applicable(
                        self,
                        "scalar",
                        scalar_ref.loc,
                        "for an array of scalars write `items: ScalarName`",
                    );
                }
                if let Some(code_ref) = &f.code_table {
                    not_applicable(
                        self,
                        "enum",
                        code_ref.loc,
                        "for an array of codes write `items: CodeTableName`",
                    );
                }
                let Some(items) = &f.items else {
                    self.error(
                        Diagnostic::error(
                            "gatespec::missing-key",
                            ty_span,
                            format!("array field `{}` does not say what it holds", f.name.value),
                        )
                        .label("add `items` next to this")
                        .help("write `items: long` (a value type) or `items: TableName` / `items: CodeTableName`"),
                    );
                    return None;
                };
                Shape::Array(Box::new(ctx.item(self, file, items)?))
            }
            ValueType::Object => {
                if let Some(scalar_ref) = &f.scalar {
                    not_applicable(
                        self,
                        "scalar",
                        scalar_ref.loc,
                        "objects are described by `table`",
                    );
                }
                if let Some(code_ref) = &f.code_table {
                    not_applicable(
                        self,
                        "enum",
                        code_ref.loc,
                        "objects are described by `table`",
                    );
                }
                let Some(table) = &f.table else {
                    self.error(
                        Diagnostic::error(
                            "gatespec::missing-key",
                            ty_span,
                            format!(
                                "object field `{}` does not say which table describes it",
                                f.name.value
                            ),
                        )
                        .label("add `table` next to this")
                        .help("write `table: TableName` naming an entry of `types`"),
                    );
                    return None;
                };
                Shape::Object(ctx.table(self, file, table)?)
            }
        };
        let range = f
            .range
            .as_ref()
            .and_then(|r| self.range(file, &format!("field `{}`", f.name.value), &f.ty, r, &shape));
        let length = f.length.as_ref().and_then(|l| self.length(file, l));
        let items = self.items(file, f);
        Some(Field {
            row: f.row.clone(),
            name: f.name.value.clone(),
            ident: f
                .rust_name
                .as_ref()
                .map_or_else(String::new, |r| r.value.clone()),
            vendor_type,
            shape,
            mandatory: f.mandatory.value,
            description: f.description.clone(),
            range,
            length,
            items,
            unit: f.unit.as_ref().map(|u| u.value),
            notes: self.notes(file, &f.notes),
            span: at(file, f.name.loc),
        })
    }

    fn range(
        &mut self,
        file: SourceId,
        owner: &str,
        ty: &Sp<ValueType>,
        r: &Sp<raw::Range>,
        shape: &Shape,
    ) -> Option<Range> {
        let bounds = match shape {
            Shape::Scalar(Scalar::String) => (i64::MIN, i64::MAX),
            Shape::Scalar(s @ (Scalar::Int | Scalar::Long)) => {
                s.bounds().unwrap_or((i64::MIN, i64::MAX))
            }
            Shape::Code(..) => return None,
            _ => {
                self.error(
                    Diagnostic::error(
                        "gatespec::key-not-applicable",
                        at(file, r.loc),
                        format!(
                            "`range` does not apply to {} of type {}",
                            owner,
                            type_name(ty.value)
                        ),
                    )
                    .label("`range` not allowed here")
                    .with_secondary(at(file, ty.loc), "the field's type")
                    .help("ranges are for int, long and numeric string fields"),
                );
                return None;
            }
        };
        let (min, max) = (&r.value.min, &r.value.max);
        if min.is_none() && max.is_none() {
            self.error(
                Diagnostic::error(
                    "gatespec::empty-limit",
                    at(file, r.loc),
                    "a range needs `min`, `max` or both",
                )
                .help("write `range: {min: 101, max: 59999}`"),
            );
            return None;
        }
        let mut ok = true;
        for bound in [min, max].into_iter().flatten() {
            if bound.value < bounds.0 || bound.value > bounds.1 {
                ok = false;
                self.error(
                    Diagnostic::error(
                        "gatespec::out-of-range",
                        at(file, bound.loc),
                        format!(
                            "{} does not fit {} of type {}",
                            bound.value,
                            owner,
                            type_name(ty.value)
                        ),
                    )
                    .label(format!(
                        "{} holds {}..={}",
                        type_name(ty.value),
                        bounds.0,
                        bounds.1
                    ))
                    .with_secondary(at(file, ty.loc), "the field's type")
                    .help("declare the field as `long` or fix the bound"),
                );
            }
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo.value > hi.value
        {
            ok = false;
            self.error(
                Diagnostic::error(
                    "gatespec::min-exceeds-max",
                    at(file, lo.loc),
                    format!(
                        "range of {} is empty: min {} > max {}",
                        owner, lo.value, hi.value
                    ),
                )
                .label("min")
                .with_secondary(at(file, hi.loc), "max")
                .help("swap the bounds or fix the typo"),
            );
        }
        ok.then(|| Range {
            min: min.as_ref().map(|m| m.value),
            max: max.as_ref().map(|m| m.value),
        })
    }

    fn length(&mut self, file: SourceId, l: &Sp<raw::Length>) -> Option<Length> {
        let (min, max) = (&l.value.min, &l.value.max);
        self.limits(file, l.loc, min.as_ref(), max.as_ref(), "length")?;
        Some(Length {
            min: min.as_ref().map(|m| m.value),
            max: max.as_ref().map(|m| m.value),
            unit: l
                .value
                .unit
                .as_ref()
                .map_or(LengthUnit::Characters, |u| u.value),
        })
    }

    fn items(&mut self, file: SourceId, f: &raw::Field) -> Option<Range> {
        if f.ty.value != ValueType::Array || (f.min_items.is_none() && f.max_items.is_none()) {
            return None;
        }
        let loc = f
            .min_items
            .as_ref()
            .or(f.max_items.as_ref())
            .map_or(f.name.loc, |v| v.loc);
        self.limits(
            file,
            loc,
            f.min_items.as_ref(),
            f.max_items.as_ref(),
            "array length",
        )?;
        let conv = |v: &Sp<u64>| i64::try_from(v.value).unwrap_or(i64::MAX);
        Some(Range {
            min: f.min_items.as_ref().map(conv),
            max: f.max_items.as_ref().map(conv),
        })
    }

    /// Common rules of count limits: at least one bound, max positive, min <= max.
    fn limits(
        &mut self,
        file: SourceId,
        loc: raw::Loc,
        min: Option<&Sp<u64>>,
        max: Option<&Sp<u64>>,
        what: &str,
    ) -> Option<()> {
        if min.is_none() && max.is_none() {
            self.error(
                Diagnostic::error(
                    "gatespec::empty-limit",
                    at(file, loc),
                    format!("a {what} limit needs `min`, `max` or both"),
                )
                .help("write e.g. `length: {max: 24}`"),
            );
            return None;
        }
        if let Some(max) = max
            && max.value == 0
        {
            self.error(
                Diagnostic::error(
                    "gatespec::non-positive-limit",
                    at(file, max.loc),
                    format!("the {what} limit 0 allows nothing"),
                )
                .label("must be at least 1")
                .help("limits must be positive; remove the field if it is never sent"),
            );
            return None;
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo.value > hi.value
        {
            self.error(
                Diagnostic::error(
                    "gatespec::min-exceeds-max",
                    at(file, lo.loc),
                    format!("{what} limit is empty: min {} > max {}", lo.value, hi.value),
                )
                .label("min")
                .with_secondary(at(file, hi.loc), "max")
                .help("swap the bounds or fix the typo"),
            );
            return None;
        }
        Some(())
    }

    #[allow(clippy::too_many_arguments)]
    fn interface(
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
                    "gatespec::duplicate-definition",
                    log_span,
                    format!("log name `{}` is used by two interfaces", i.log_name.value),
                )
                .with_secondary(*first, "first used here"),
            );
        } else {
            log_names.insert(i.log_name.value.clone(), log_span);
        }

        let path_params: Vec<Field> = i
            .path_params
            .iter()
            .filter_map(|p| {
                let lowered = self.field(ctx, file, &p.value)?;
                let scalar_ok = matches!(lowered.shape, Shape::Scalar(Scalar::String | Scalar::Int | Scalar::Long) | Shape::Code(..) | Shape::Newtype(_));
                if !scalar_ok {
                    self.error(
                        Diagnostic::error(
                            "gatespec::wrong-type",
                            at(file, p.value.ty.loc),
                            format!("URI parameter `{}` must be a string or a number", p.value.name.value),
                        )
                        .help("path segments carry scalars only"),
                    );
                }
                if !lowered.mandatory {
                    self.error(
                        Diagnostic::error(
                            "gatespec::optional-path-param",
                            at(file, p.value.mandatory.loc),
                            format!("URI parameter `{}` cannot be optional", p.value.name.value),
                        )
                        .help("a path template always has all its parameters; write `mandatory: true`"),
                    );
                }
                Some(lowered)
            })
            .collect();
        let base = service.map_or(String::new(), |s| names.services[s.0].base_path.clone());
        let path = self.path(file, &base, &i.path, &i.path_params);

        if let Some(service) = service {
            let full = format!("{}{}", names.services[service.0].base_path, i.path.value);
            let key = (format!("{:?}", i.method.value), full.clone());
            let span = at(file, i.path.loc);
            if let Some(first) = routes.get(&key) {
                self.error(
                    Diagnostic::error(
                        "gatespec::duplicate-route",
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
                        "gatespec::duplicate-reference",
                        at(file, h.loc),
                        format!("header `{}` is listed twice", h.value),
                    ));
                } else {
                    headers.push(id);
                }
            }
        }
        let mut errors = Vec::new();
        for e in &i.errors {
            if let Some(id) = names.error(self, file, e) {
                if errors.contains(&id) {
                    self.error(Diagnostic::error(
                        "gatespec::duplicate-reference",
                        at(file, e.loc),
                        format!("error code `{}` is listed twice", e.value),
                    ));
                } else {
                    errors.push(id);
                }
            }
        }
        let mut prerequisites = Vec::new();
        for p in &i.prerequisites {
            match &p.value {
                raw::Prerequisite::SignedIn(text) => {
                    prerequisites.push(Prerequisite::SignedIn { text: text.clone() })
                }
                raw::Prerequisite::Role(r) => {
                    if let Some(role) = names.role(self, file, &r.role) {
                        prerequisites.push(Prerequisite::Role {
                            role,
                            text: r.text.clone(),
                        });
                    }
                }
            }
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
        let envelope = names.envelope(self, file, &i.response.value.envelope);

        let type_base = upper_camel(&d.name.value);
        let request = i.request.as_ref().map(|body| {
            let name = format!("{type_base}Request");
            let span = at(file, body.loc);
            self.claim_type_name(&name, span, "request body of this interface");
            let table = self.table(
                ctx,
                file,
                name,
                TableOrigin::Request(index),
                &body.value,
                span,
            );
            tables.push(table);
            TableId(tables.len() - 1)
        });
        let result = i.response.value.result.as_ref().map(|body| {
            let name = format!("{type_base}Result");
            let span = at(file, body.loc);
            self.claim_type_name(&name, span, "result of this interface");
            let table = self.table(
                ctx,
                file,
                name,
                TableOrigin::Result(index),
                &body.value,
                span,
            );
            tables.push(table);
            TableId(tables.len() - 1)
        });

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
        let example = i.example.as_ref().map(|e| Example {
            headers: entries(&e.value.headers),
            path_params: entries(&e.value.path_params),
            request: e.value.request.as_ref().map(text),
            response: e.value.response.as_ref().map(text),
            span: at(file, e.loc),
        });

        Some(Interface {
            id: d.name.value.clone(),
            type_name: String::new(),
            title: i.title.clone(),
            updated: i.updated.clone(),
            service: service?,
            log_name: i.log_name.value.clone(),
            method: i.method.value,
            path: path?,
            description: i.description.clone(),
            prerequisites,
            visibility,
            path_params,
            headers,
            request,
            envelope: envelope?,
            result,
            errors,
            events: i.events.clone(),
            example,
            notes: self.notes(file, &i.notes),
            span: at(file, d.name.loc),
        })
    }

    /// Parses `base + path` into segments; every `{param}` must be declared exactly once.
    fn path(
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
                    "gatespec::bad-path",
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
                                "gatespec::bad-path",
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
                                    "gatespec::bad-path",
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
                                    "gatespec::dangling-reference",
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
                            "gatespec::bad-path",
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
                        "gatespec::unused-path-param",
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

fn scalar_of(t: ValueType) -> Scalar {
    match t {
        ValueType::Int => Scalar::Int,
        ValueType::Long => Scalar::Long,
        ValueType::Boolean => Scalar::Boolean,
        _ => Scalar::String,
    }
}

fn type_name(t: ValueType) -> &'static str {
    match t {
        ValueType::String => "string",
        ValueType::Int => "int",
        ValueType::Long => "long",
        ValueType::Boolean => "boolean",
        ValueType::Array => "array",
        ValueType::Object => "object",
    }
}

/// Resolves references from fields to code tables and tables.
struct Resolver<'m> {
    code_tables: &'m [CodeTable],
    scalars: &'m [ScalarType],
    /// Name -> index maps, so that resolving is not linear in the size of the spec.
    code_table_names: BTreeMap<String, usize>,
    scalar_names: BTreeMap<String, usize>,
    table_names: BTreeMap<String, TableId>,
}

impl Resolver<'_> {
    fn scalar(
        &self,
        b: &mut Builder<'_>,
        file: SourceId,
        name: &Sp<String>,
    ) -> Option<ScalarTypeId> {
        if let Some(i) = self.scalar_names.get(&name.value).copied() {
            return Some(ScalarTypeId(i));
        }
        let candidates: Vec<&str> = self.scalars.iter().map(|t| t.name.as_str()).collect();
        dangling(b, file, name, "scalar", &candidates, None);
        None
    }

    fn code_table(
        &self,
        b: &mut Builder<'_>,
        file: SourceId,
        name: &Sp<String>,
    ) -> Option<CodeTableId> {
        if let Some(i) = self.code_table_names.get(&name.value).copied() {
            return Some(CodeTableId(i));
        }
        let also = if self.table_names.contains_key(&name.value) {
            Some(format!(
                "`{}` is a table, not a code table; use `type: object` with `table: {}`",
                name.value, name.value
            ))
        } else {
            None
        };
        let candidates: Vec<&str> = self.code_tables.iter().map(|t| t.name.as_str()).collect();
        dangling(b, file, name, "code table", &candidates, also);
        None
    }

    fn table(&self, b: &mut Builder<'_>, file: SourceId, name: &Sp<String>) -> Option<TableId> {
        if let Some(id) = self.table_names.get(&name.value) {
            return Some(*id);
        }
        let also = self
            .code_tables
            .iter()
            .any(|t| t.name == name.value)
            .then(|| {
                format!(
                    "`{}` is a code table; use `enum: {}` on an int or string field",
                    name.value, name.value
                )
            });
        let candidates: Vec<&str> = self.table_names.keys().map(String::as_str).collect();
        dangling(b, file, name, "table", &candidates, also);
        None
    }

    /// An array element: a value type, a table or a code table.
    fn item(&self, b: &mut Builder<'_>, file: SourceId, name: &Sp<String>) -> Option<Shape> {
        match name.value.as_str() {
            "string" => return Some(Shape::Scalar(Scalar::String)),
            "int" => return Some(Shape::Scalar(Scalar::Int)),
            "long" => return Some(Shape::Scalar(Scalar::Long)),
            "boolean" => return Some(Shape::Scalar(Scalar::Boolean)),
            "array" | "object" => {
                b.error(
                    Diagnostic::error(
                        "gatespec::wrong-type",
                        at(file, name.loc),
                        format!("`items: {}` does not say what the elements are", name.value),
                    )
                    .help("name the table that describes each element (`items: ConfInfo`)"),
                );
                return None;
            }
            _ => {}
        }
        if let Some(id) = self.table_names.get(&name.value) {
            return Some(Shape::Object(*id));
        }
        if let Some(i) = self.scalar_names.get(&name.value).copied() {
            return Some(Shape::Newtype(ScalarTypeId(i)));
        }
        if let Some(i) = self.code_table_names.get(&name.value).copied() {
            let scalar = match self.code_tables[i].code_type {
                CodeType::Int => Scalar::Long,
                CodeType::String => Scalar::String,
            };
            return Some(Shape::Code(CodeTableId(i), scalar));
        }
        let mut candidates: Vec<&str> = vec!["string", "int", "long", "boolean"];
        candidates.extend(self.table_names.keys().map(String::as_str));
        candidates.extend(self.code_tables.iter().map(|t| t.name.as_str()));
        dangling(
            b,
            file,
            name,
            "value type, table or code table",
            &candidates,
            None,
        );
        None
    }
}

/// The named definitions an interface refers to.
struct Names<'m> {
    services: &'m [Service],
    roles: &'m [Role],
    headers: &'m [Header],
    envelopes: &'m [Envelope],
    errors: &'m [ErrorCode],
}

impl Names<'_> {
    fn service(&self, b: &mut Builder<'_>, file: SourceId, name: &Sp<String>) -> Option<ServiceId> {
        let found = self.services.iter().position(|s| s.name == name.value);
        if found.is_none() {
            let c: Vec<&str> = self.services.iter().map(|s| s.name.as_str()).collect();
            dangling(b, file, name, "service", &c, None);
        }
        found.map(ServiceId)
    }
    fn role(&self, b: &mut Builder<'_>, file: SourceId, name: &Sp<String>) -> Option<RoleId> {
        let found = self.roles.iter().position(|s| s.name == name.value);
        if found.is_none() {
            let c: Vec<&str> = self.roles.iter().map(|s| s.name.as_str()).collect();
            dangling(b, file, name, "role", &c, None);
        }
        found.map(RoleId)
    }
    fn header(&self, b: &mut Builder<'_>, file: SourceId, name: &Sp<String>) -> Option<HeaderId> {
        let found = self
            .headers
            .iter()
            .position(|s| s.name.eq_ignore_ascii_case(&name.value));
        if found.is_none() {
            let c: Vec<&str> = self.headers.iter().map(|s| s.name.as_str()).collect();
            dangling(b, file, name, "header", &c, None);
        }
        found.map(HeaderId)
    }
    fn envelope(
        &self,
        b: &mut Builder<'_>,
        file: SourceId,
        name: &Sp<String>,
    ) -> Option<EnvelopeId> {
        let found = self.envelopes.iter().position(|s| s.name == name.value);
        if found.is_none() {
            let c: Vec<&str> = self.envelopes.iter().map(|s| s.name.as_str()).collect();
            dangling(b, file, name, "envelope", &c, None);
        }
        found.map(EnvelopeId)
    }
    fn error(&self, b: &mut Builder<'_>, file: SourceId, name: &Sp<String>) -> Option<ErrorId> {
        let found = self.errors.iter().position(|s| s.code == name.value);
        if found.is_none() {
            let c: Vec<&str> = self.errors.iter().map(|s| s.code.as_str()).collect();
            dangling(b, file, name, "error code", &c, None);
        }
        found.map(ErrorId)
    }
}

fn dangling(
    b: &mut Builder<'_>,
    file: SourceId,
    name: &Sp<String>,
    what: &str,
    candidates: &[&str],
    extra: Option<String>,
) {
    let mut d = Diagnostic::error(
        "gatespec::dangling-reference",
        at(file, name.loc),
        format!("no {what} named `{}`", name.value),
    )
    .label("referenced here");
    let best = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&name.value, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    d = match (extra, best) {
        (Some(extra), _) => d.help(extra),
        (None, Some((_, c))) => d.help(format!("did you mean `{c}`?")),
        (None, None) if candidates.is_empty() => d.help(format!(
            "define it first: no {what} is defined in this spec"
        )),
        (None, None) => d.help(format!("defined ones: {}", candidates.join(", "))),
    };
    b.error(d);
}
