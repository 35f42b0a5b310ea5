//! Emitter for the gateway's protocol: one `PROTOCOL` constant that hands every fact of the
//! spec's `gateway.protocol` and header purposes to the generic runtime as data. Each interface
//! descriptor refers to it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{Doc, one_line};
use crate::emit::ident;
use crate::model::{ErrorId, Spec, rust};

/// How an error of the catalogue is named in docs: its code and its variant.
pub fn error_link(spec: &Spec, error: ErrorId) -> String {
    let catalogue = &spec.names.error_code;
    let error = &spec.errors[error.0];
    format!(
        "`{}` ([`{catalogue}::{}`](super::{catalogue}::{}))",
        error.code, error.ident, error.ident
    )
}

/// The `PROTOCOL` constant.
pub fn protocol(spec: &Spec) -> TokenStream {
    let protocol = &spec.protocol;
    let envelope = ident(&spec.envelopes[protocol.envelope.0].name);
    let header_name = |id: crate::model::HeaderId| spec.headers[id.0].name.as_str();
    let session_header = match protocol.session_header {
        Some(id) => {
            let name = header_name(id);
            quote!(Some(#name))
        }
        None => quote!(None),
    };
    let renewal_header = match &protocol.renewal {
        Some(renewal) => {
            let name = header_name(renewal.header);
            let (prefix, suffix) = (&renewal.prefix, &renewal.suffix);
            quote!(Some(::gatespec::RenewalHeader { name: #name, prefix: #prefix, suffix: #suffix }))
        }
        None => quote!(None),
    };
    let caller_param = match &protocol.caller_param {
        Some(param) => quote!(Some(#param)),
        None => quote!(None),
    };
    let refusals = &protocol.refusals;
    let refusal_list = [
        (
            "invalid_parameter",
            "invalid parameter",
            refusals.invalid_parameter,
        ),
        ("not_signed_in", "not signed in", refusals.not_signed_in),
        ("no_permission", "no permission", refusals.no_permission),
        ("missing_role", "missing role", refusals.missing_role),
        ("internal_error", "internal error", refusals.internal_error),
        ("unknown_path", "unknown path", refusals.unknown_path),
    ];
    let refusal_fields = refusal_list.iter().map(|(field, _, id)| {
        let field = ident(field);
        let code = &spec.errors[id.0].code;
        quote!(#field: #code,)
    });

    let mut doc = Doc::new(&format!(
        "The protocol of the {}: what the generic client and server need to know about it, from the spec.",
        one_line(&spec.gateway.title)
    ));
    let mut facts = vec![format!(
        "Envelope of answers no interface gives: [`{envelope}`]."
    )];
    facts.push(match protocol.session_header {
        Some(id) => format!("Session header: `{}`.", header_name(id)),
        None => "No session header.".to_owned(),
    });
    if let Some(renewal) = &protocol.renewal {
        facts.push(format!(
            "Renewal header: `{}`, written `{}{{session}}{}`.",
            header_name(renewal.header),
            renewal.prefix,
            renewal.suffix
        ));
    }
    if let Some(param) = &protocol.caller_param {
        facts.push(format!(
            "Caller parameter: `{param}` (a session may only call with its own id there)."
        ));
    }
    let mut codes: Vec<String> = refusal_list
        .iter()
        .map(|(_, what, id)| format!("{what} {}", error_link(spec, *id)))
        .collect();
    if let Some(id) = refusals.not_supported {
        codes.push(format!(
            "not supported {} (the answer of default server methods)",
            error_link(spec, id)
        ));
    }
    facts.push(format!("Refusals: {}.", codes.join(", ")));
    doc.bullets(&facts);
    doc.notes(&protocol.notes);
    let doc = doc.tokens();
    let name = ident(&spec.names.protocol);
    let format = ident(rust::ENVELOPE_FORMAT);
    let catalogue = ident(&spec.names.error_code);
    quote! {
        #doc
        pub const #name: ::gatespec::Protocol = ::gatespec::Protocol {
            envelope: #envelope::<()>::#format,
            session_header: #session_header,
            renewal_header: #renewal_header,
            caller_param: #caller_param,
            refusals: ::gatespec::RefusalCodes {
                #(#refusal_fields)*
            },
            catalogue: <super::#catalogue as ::gatespec::CodeEnum>::CODES,
        };
    }
}
