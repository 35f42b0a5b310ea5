//! The gateway's protocol: the envelope of answers no interface gives, the session headers, the
//! caller parameter and the catalogue code of each refusal, each checked against what it names.

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{
    CodeType, EnvelopeId, ErrorId, Header, HeaderId, Interface, Protocol, Refusals, Renewal,
};
use crate::raw::{self, CodeValue, HeaderPurpose, Sp};
use crate::source::SourceId;

use super::resolve::Names;
use super::{Builder, at};

/// The placeholder of a renewal header's `format`.
const SESSION: &str = "{session}";

/// The parts of the protocol known before the interfaces are lowered.
pub(super) struct ProtocolCodes {
    file: SourceId,
    pub(super) envelope: EnvelopeId,
    /// `None` when a refusal code was reported.
    refusals: Option<Refusals>,
    /// Whether the protocol declares a `not_supported` refusal (even a wrong one).
    pub(super) declares_not_supported: bool,
    /// Where the refusals are declared.
    refusals_span: crate::source::Span,
}

impl Builder<'_> {
    /// A code of the error catalogue, written as the envelope's result code travels.
    pub(super) fn catalogue_code(
        &mut self,
        names: &Names<'_>,
        file: SourceId,
        code: &Sp<CodeValue>,
        envelope: EnvelopeId,
    ) -> Option<ErrorId> {
        let envelope = &names.envelopes[envelope.0];
        let errors_before = self.error_count();
        self.check_code_kind(envelope.retcode.code_type, code, file, &envelope.name);
        if self.error_count() > errors_before {
            return None;
        }
        let text = match &code.value {
            CodeValue::Int(i) => i.to_string(),
            CodeValue::Str(s) => s.clone(),
        };
        names.error(
            self,
            file,
            &Sp {
                value: text,
                loc: code.loc,
            },
        )
    }

    /// The envelope and the refusal codes of the gateway's `protocol`, and the check that every
    /// catalogue code can travel in that envelope's result code.
    pub(super) fn protocol_codes(&mut self, names: &Names<'_>) -> Option<ProtocolCodes> {
        let (file, protocol) = self
            .files
            .iter()
            .find_map(|f| f.spec.gateway.as_ref().map(|g| (f.id, &g.value.protocol)))?;
        let p = &protocol.value;
        let envelope = names.envelope(self, file, &p.envelope)?;
        if names.envelopes[envelope.0].retcode.code_type == CodeType::Int {
            for error in names.errors {
                if error.code.parse::<i64>().is_err() {
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::WrongCodeType,
                            error.span,
                            format!(
                                "error code `{}` is not an integer, but envelope `{}` sends integer result codes",
                                error.code, names.envelopes[envelope.0].name
                            ),
                        )
                        .label("cannot travel as an integer")
                        .help("write the catalogue's codes as the gateway sends them (`\"400\"`)"),
                    );
                }
            }
        }
        let r = &p.refusals.value;
        // Every code is checked (and every problem reported) before any is required.
        let [
            invalid_parameter,
            not_signed_in,
            no_permission,
            missing_role,
            internal_error,
            unknown_path,
        ] = [
            &r.invalid_parameter,
            &r.not_signed_in,
            &r.no_permission,
            &r.missing_role,
            &r.internal_error,
            &r.unknown_path,
        ]
        .map(|code| self.catalogue_code(names, file, code, envelope));
        let not_supported = r
            .not_supported
            .as_ref()
            .map(|code| self.catalogue_code(names, file, code, envelope));
        let refusals = match (
            invalid_parameter,
            not_signed_in,
            no_permission,
            missing_role,
            internal_error,
            unknown_path,
        ) {
            (Some(a), Some(b), Some(c), Some(d), Some(e), Some(f)) => {
                // A declared but wrong `not_supported` was reported; it fails the protocol too.
                match not_supported {
                    Some(None) => None,
                    Some(Some(g)) => Some(Refusals {
                        invalid_parameter: a,
                        not_signed_in: b,
                        no_permission: c,
                        missing_role: d,
                        internal_error: e,
                        unknown_path: f,
                        not_supported: Some(g),
                    }),
                    None => Some(Refusals {
                        invalid_parameter: a,
                        not_signed_in: b,
                        no_permission: c,
                        missing_role: d,
                        internal_error: e,
                        unknown_path: f,
                        not_supported: None,
                    }),
                }
            }
            _ => None,
        };
        Some(ProtocolCodes {
            file,
            envelope,
            refusals,
            declares_not_supported: not_supported.is_some(),
            refusals_span: at(file, p.refusals.loc),
        })
    }

    /// The whole protocol, once the interfaces are known (the caller parameter must be a URI
    /// parameter of one of them).
    pub(super) fn protocol(
        &mut self,
        codes: ProtocolCodes,
        headers: &[Header],
        interfaces: &[Interface],
    ) -> Option<Protocol> {
        let (_, raw_protocol) = self
            .files
            .iter()
            .find_map(|f| f.spec.gateway.as_ref().map(|g| (f.id, &g.value.protocol)))?;
        let file = codes.file;
        let caller_param = raw_protocol.value.caller_param.as_ref();
        if let Some(param) = caller_param {
            let declared = interfaces
                .iter()
                .any(|i| i.path_params.iter().any(|p| p.name == param.value));
            if !declared {
                let mut names: Vec<&str> = interfaces
                    .iter()
                    .flat_map(|i| i.path_params.iter().map(|p| p.name.as_str()))
                    .collect();
                names.sort_unstable();
                names.dedup();
                super::resolve::dangling(self, file, param, "URI parameter", &names, None);
            }
        }
        let session_header = headers
            .iter()
            .position(|h| h.purpose == Some(HeaderPurpose::Session))
            .map(HeaderId);
        let renewal = headers
            .iter()
            .position(|h| h.purpose == Some(HeaderPurpose::RenewSession))
            .and_then(|i| {
                let format = headers[i].format.as_deref()?;
                let (prefix, suffix) = format.split_once(SESSION)?;
                Some(Renewal {
                    header: HeaderId(i),
                    prefix: prefix.to_owned(),
                    suffix: suffix.to_owned(),
                })
            });
        Some(Protocol {
            envelope: codes.envelope,
            session_header,
            renewal,
            caller_param: caller_param.map(|p| p.value.clone()),
            refusals: codes.refusals?,
            refusals_span: codes.refusals_span,
            notes: self.notes(file, &raw_protocol.value.notes),
            span: at(file, raw_protocol.loc),
        })
    }

    /// Services whose server trait gets default methods need the protocol's `not_supported`
    /// code for them to answer.
    pub(super) fn check_server_defaults(
        &mut self,
        services: &[super::Def<'_, raw::Service>],
        codes: &ProtocolCodes,
    ) {
        if codes.declares_not_supported {
            return;
        }
        for d in services {
            let Some(defaults) = &d.value.value.server_defaults else {
                continue;
            };
            self.error(
                Diagnostic::error(
                    DiagnosticCode::MissingKey,
                    at(d.file, defaults.loc),
                    format!(
                        "service `{}` asks for default methods, but the protocol declares no `not_supported` refusal for them to answer",
                        d.name.value
                    ),
                )
                .label("default methods need a code to answer")
                .with_secondary(codes.refusals_span, "no `not_supported` among these refusals")
                .help("add `not_supported: <catalogue code>` to `gateway.protocol.refusals`: the code a server answers for an interface it does not implement"),
            );
        }
    }

    /// A header's `format`: only on `renew_session` headers, where it is required and holds
    /// `{session}` once.
    pub(super) fn header_format(
        &mut self,
        file: SourceId,
        name: &Sp<String>,
        header: &raw::Header,
    ) -> Option<String> {
        let renews = header
            .purpose
            .as_ref()
            .is_some_and(|p| p.value == HeaderPurpose::RenewSession);
        match (&header.format, renews) {
            (None, false) => None,
            (None, true) => {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::MissingKey,
                        at(file, name.loc),
                        format!(
                            "header `{}` renews the session but has no `format`",
                            name.value
                        ),
                    )
                    .label("`purpose: renew_session` without `format`")
                    .help("say how the value holds the session: `format: \"JSESSIONID={session}\"`, or `format: \"{session}\"` for the bare value"),
                );
                None
            }
            (Some(format), false) => {
                self.error(
                    Diagnostic::error(
                        DiagnosticCode::KeyNotApplicable,
                        at(file, format.loc),
                        format!(
                            "`format` does not apply to header `{}`: it does not renew the session",
                            name.value
                        ),
                    )
                    .help("`format` belongs to the header with `purpose: renew_session`"),
                );
                None
            }
            (Some(format), true) => {
                let text = &format.value;
                let once = text.matches(SESSION).count() == 1;
                let other_braces = text.replacen(SESSION, "", 1).contains(['{', '}']);
                if !once || other_braces {
                    self.error(
                        Diagnostic::error(
                            DiagnosticCode::BadFormat,
                            at(file, format.loc),
                            format!("renewal format `{text}` must hold `{{session}}` exactly once"),
                        )
                        .label("where does the session go?")
                        .help("write the value as the gateway sends it, with `{session}` in place of the session (`JSESSIONID={session}`)"),
                    );
                    return None;
                }
                Some(text.clone())
            }
        }
    }
}
