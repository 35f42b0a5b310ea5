//! Emitter for one interface: its request and result types, its URI parameters and a descriptor
//! that the runtime's generic client and server functions use. Nothing here does HTTP.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{Doc, field_doc, one_line};
use crate::emit::items;
use crate::emit::protocol::error_link;
use crate::emit::{ident, serde_attr};
use crate::model::{Interface, InterfaceResult, PathSegment, Prerequisite, Spec, rust};
use crate::raw::Method;

fn method_tokens(method: Method) -> TokenStream {
    match method {
        Method::Get => quote!(::gatespec::Method::Get),
        Method::Post => quote!(::gatespec::Method::Post),
        Method::Put => quote!(::gatespec::Method::Put),
        Method::Delete => quote!(::gatespec::Method::Delete),
    }
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Delete => "DELETE",
    }
}

/// The path template as the vendor writes it (`/agentgateway/.../{agentid}/queryconfinfos`).
pub fn path_template(interface: &Interface) -> String {
    interface.path_template()
}

/// The path template with the query string (`/.../{agentid}/saybusy?reason={reason}`), for
/// documentation.
pub fn path_with_query(interface: &Interface) -> String {
    let mut path = path_template(interface);
    for (i, q) in interface.query_params.iter().enumerate() {
        path.push(if i == 0 { '?' } else { '&' });
        path.push_str(&format!("{0}={{{0}}}", q.name));
    }
    path
}

fn descriptor_doc(spec: &Spec, interface: &Interface) -> Doc {
    let mut doc = Doc::new(&format!(
        "{}.",
        one_line(&interface.title).trim_end_matches('.')
    ));
    doc.paragraph(&one_line(&interface.description));
    let mut facts = vec![
        format!(
            "`{} {}`",
            method_name(interface.method),
            path_with_query(interface)
        ),
        format!("Name in the gateway's logs: `{}`.", interface.log_name),
    ];
    let optional: Vec<String> = interface
        .query_params
        .iter()
        .filter(|q| !q.mandatory)
        .map(|q| format!("`{}`", q.name))
        .collect();
    if !optional.is_empty() {
        facts.push(format!(
            "Optional query parameters, left out when absent: {}.",
            optional.join(", ")
        ));
    }
    for p in &interface.prerequisites {
        facts.push(match p {
            Prerequisite::SignedIn { text } => format!("Prerequisite: {}", one_line(text)),
            Prerequisite::Role { role, text, .. } => {
                format!(
                    "Prerequisite (role `{}`): {}",
                    spec.roles[role.0].name,
                    one_line(text)
                )
            }
            Prerequisite::Condition { text } => {
                format!(
                    "Prerequisite (not checked by the server): {}",
                    one_line(text)
                )
            }
        });
    }
    if let Some(code) = interface.role_refusal {
        facts.push(format!(
            "A caller without the role is refused with {}.",
            error_link(spec, code)
        ));
    }
    for v in &interface.visibility {
        facts.push(format!(
            "Visibility for `{}`: {}",
            spec.roles[v.role.0].name,
            one_line(&v.scope)
        ));
    }
    if !interface.errors.is_empty() {
        let codes: Vec<String> = interface
            .errors
            .iter()
            .map(|e| error_link(spec, *e))
            .collect();
        facts.push(format!("Error codes: {}.", codes.join(", ")));
    }
    if !interface.response_headers.is_empty() {
        let names: Vec<String> = interface
            .response_headers
            .iter()
            .map(|h| format!("`{}`", spec.headers[h.0].name))
            .collect();
        facts.push(format!("Response headers: {}.", names.join(", ")));
    }
    if let Some(failure) = interface.failure {
        facts.push(format!(
            "On failure only, the result member carries [`{}`].",
            spec.table(failure).name
        ));
    }
    if !interface.events.is_empty() {
        let events: Vec<String> = interface
            .events
            .iter()
            .map(|e| super::events::event_link(spec, *e))
            .collect();
        facts.push(format!("Triggers the events {}.", events.join(", ")));
    }
    if let Some(events) = &spec.event_protocol {
        let index = spec.interfaces.iter().position(|i| i.id == interface.id);
        if index.is_some() && events.polling == index {
            facts.push(
                "The gateway's event-polling interface (`gatespec::PollingInterface`): its result is the next pending event, `None` when none is pending."
                    .to_owned(),
            );
        }
        if index.is_some() && events.heartbeat == index {
            facts.push(
                "The gateway's heartbeat while events are pushed (`gatespec::HeartbeatInterface`)."
                    .to_owned(),
            );
        }
    }
    if let Some(updated) = &interface.updated {
        facts.push(format!("Vendor page updated {updated}."));
    }
    doc.bullets(&facts);
    doc.notes(&interface.notes);
    doc
}

/// The event roles of an interface: the polling and heartbeat interfaces of the gateway.
fn event_roles(spec: &Spec, interface: &Interface) -> TokenStream {
    let Some(events) = &spec.event_protocol else {
        return TokenStream::new();
    };
    let index = spec.interfaces.iter().position(|i| i.id == interface.id);
    let name = ident(&interface.names.descriptor);
    let event = ident(&spec.names.event_enum);
    let path_for = agent_path(spec, interface);
    let role = |role: TokenStream| {
        quote! {
            impl #role for #name {
                type Event = super::#event;
                #path_for
            }
        }
    };
    let polling = (index.is_some() && events.polling == index)
        .then(|| role(quote!(::gatespec::PollingInterface)));
    let heartbeat = (index.is_some() && events.heartbeat == index)
        .then(|| role(quote!(::gatespec::HeartbeatInterface)));
    quote!(#polling #heartbeat)
}

/// `path_for(agent)` of an interface a session calls on its own: the caller parameter parsed
/// from `agent`, the optional parameters left out (the model checks that nothing else is
/// mandatory).
fn agent_path(spec: &Spec, interface: &Interface) -> TokenStream {
    let path = ident(&interface.names.path);
    let caller = spec.protocol.caller_param.as_deref();
    let fields: Vec<TokenStream> = interface
        .path_params
        .iter()
        .chain(&interface.query_params)
        .map(|f| {
            let field = ident(&f.ident);
            if Some(f.name.as_str()) == caller {
                quote!(#field: agent.parse().ok()?)
            } else {
                quote!(#field: None)
            }
        })
        .collect();
    let uses_agent = interface
        .path_params
        .iter()
        .chain(&interface.query_params)
        .any(|f| Some(f.name.as_str()) == caller);
    let unused = (!uses_agent).then(|| quote!(let _ = agent;));
    quote! {
        fn path_for(agent: &str) -> ::std::option::Option<Self::Path> {
            #unused
            Some(#path { #(#fields),* })
        }
    }
}

/// Whether calling the interface needs a session: it must be signed in, or have a role (only a
/// session has one). Other conditions are documentation.
pub fn needs_session(interface: &Interface) -> bool {
    interface.needs_session()
}

/// The Rust type of an interface's result, as seen from its service module.
pub fn result_type(interface: &Interface) -> TokenStream {
    match interface.result {
        Some(_) => {
            let name = ident(&interface.names.result);
            quote!(#name)
        }
        None => quote!(::gatespec::NoResult),
    }
}

/// Every item of one interface.
pub fn interface(spec: &Spec, interface: &Interface) -> TokenStream {
    let names = &interface.names;
    let stem = &names.descriptor;
    let request = interface.request.map(|id| {
        items::table(
            spec,
            spec.table(id),
            &format!("The request body of [`{stem}`]."),
        )
    });
    let result = interface.result.as_ref().map(|r| match r {
        InterfaceResult::Table(id) => {
            items::table(spec, spec.table(*id), &format!("The result of [`{stem}`]."))
        }
        InterfaceResult::Value(field) => {
            let mut doc = Doc::new(&format!("The result of [`{stem}`]: a single value."));
            let facts = field_doc(spec, field, &[]);
            doc.append(&facts);
            items::value_result(spec, field, &names.result, &doc)
        }
        InterfaceResult::Event { description } => {
            let mut doc = Doc::new(&format!(
                "The result of [`{stem}`]: an event, `None` when none is pending."
            ));
            if !description.trim().is_empty() {
                doc.paragraph(&one_line(description));
            }
            let doc = doc.tokens();
            let name = ident(&names.result);
            let event = ident(&spec.names.event_enum);
            quote!(#doc pub type #name = Option<super::#event>;)
        }
    });
    let event_roles = event_roles(spec, interface);
    let failure = interface.failure.map(|id| {
        items::table(
            spec,
            spec.table(id),
            &format!("The detail a failure of [`{stem}`] carries in the result member."),
        )
    });
    let failure_type = failure_type(spec, interface);
    let request_type = match interface.request {
        Some(id) => {
            let name = ident(&spec.table(id).name);
            quote!(#name)
        }
        None => quote!(()),
    };
    let result_type = result_type(interface);
    let path_name = ident(&names.path);
    let path_fields = interface
        .path_params
        .iter()
        .chain(&interface.query_params)
        .map(|p| items::field(spec, p, &[]));
    let query_writes = interface.query_params.iter().map(|q| {
        let field = ident(&q.ident);
        let name = &q.name;
        if q.mandatory {
            quote!(::gatespec::push_query_param(path, #name, &self.#field);)
        } else {
            quote! {
                if let Some(value) = &self.#field {
                    ::gatespec::push_query_param(path, #name, value);
                }
            }
        }
    });
    let query_names: Vec<&str> = interface
        .query_params
        .iter()
        .map(|q| q.name.as_str())
        .collect();
    let query_const = (!query_names.is_empty())
        .then(|| quote!(const QUERY: &'static [&'static str] = &[#(#query_names),*];));
    let response_header_names: Vec<&str> = interface
        .response_headers
        .iter()
        .map(|h| spec.headers[h.0].name.as_str())
        .collect();
    let response_headers_const = (!response_header_names.is_empty()).then(|| {
        quote!(const RESPONSE_HEADERS: &'static [&'static str] = &[#(#response_header_names),*];)
    });
    let writes = interface.path.iter().map(|segment| match segment {
        PathSegment::Literal(text) => quote!(path.push_str(#text);),
        PathSegment::Param(i) => {
            let field = ident(&interface.path_params[*i].ident);
            quote!(::gatespec::push_path_segment(path, &self.#field);)
        }
    });
    let template = path_template(interface);
    let name = ident(stem);
    let doc = descriptor_doc(spec, interface).tokens();
    let log_name = &interface.log_name;
    let method = method_tokens(interface.method);
    let errors = interface
        .errors
        .iter()
        .map(|e| spec.errors[e.0].code.as_str());
    let access = if needs_session(interface) {
        quote!(::gatespec::SignedIn)
    } else {
        quote!(::gatespec::Anyone)
    };
    let roles = interface.prerequisites.iter().filter_map(|p| match p {
        Prerequisite::Role { role, .. } => Some(spec.roles[role.0].name.as_str()),
        Prerequisite::SignedIn { .. } | Prerequisite::Condition { .. } => None,
    });
    // The protocol's envelope is the default; only another one is named.
    let envelope_const = (interface.envelope != spec.protocol.envelope).then(|| {
        let envelope = ident(&spec.envelopes[interface.envelope.0].name);
        let format = ident(rust::ENVELOPE_FORMAT);
        quote!(const ENVELOPE: &'static ::gatespec::EnvelopeFormat = &super::#envelope::<()>::#format;)
    });
    let role_refusal_const = interface.role_refusal.map(|id| {
        let code = &spec.errors[id.0].code;
        quote!(const ROLE_REFUSAL: Option<&'static str> = Some(#code);)
    });
    let protocol = ident(&spec.names.protocol);
    let error_code = ident(&spec.names.error_code);
    let serde = serde_attr();
    let path_doc = if interface.query_params.is_empty() {
        format!(" The URI parameters of [`{stem}`].")
    } else {
        format!(" The URI and query-string parameters of [`{stem}`].")
    };
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct #name;

        impl ::gatespec::Interface for #name {
            const PROTOCOL: &'static ::gatespec::Protocol = &super::#protocol;
            #envelope_const
            const LOG_NAME: &'static str = #log_name;
            const METHOD: ::gatespec::Method = #method;
            const PATH: &'static str = #template;
            type Access = #access;
            const ROLES: &'static [&'static str] = &[#(#roles),*];
            #role_refusal_const
            type Path = #path_name;
            type Request = #request_type;
            type Result = #result_type;
            type Failure = #failure_type;
            type ErrorCode = super::#error_code;
            const ERRORS: &'static [&'static str] = &[#(#errors),*];
            #query_const
            #response_headers_const
        }
        #event_roles

        #[doc = #path_doc]
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
        #serde
        pub struct #path_name {
            #(#path_fields)*
        }

        impl ::gatespec::PathParams for #path_name {
            fn write_path(&self, path: &mut String) {
                #(#writes)*
                #(#query_writes)*
            }
        }

        #request
        #result
        #failure
    }
}

/// The Rust type of an interface's failure detail (`gatespec::NoDetail` when it declares none).
pub fn failure_type(spec: &Spec, interface: &Interface) -> TokenStream {
    match interface.failure {
        Some(id) => {
            let name = ident(&spec.table(id).name);
            quote!(#name)
        }
        None => quote!(::gatespec::NoDetail),
    }
}
