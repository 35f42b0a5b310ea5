//! The event catalogue: the content structs, the `Event` enum (one variant per event type and
//! one that keeps unknown events), its `gatespec::EventCatalogue`, serde and `Validate` impls,
//! and the tests of the event examples.
//!
//! Decoding and encoding go through the runtime's one event-object reader and writer
//! (`gatespec::EventFormat`); per event, generated code only matches the type name and decodes
//! the content.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::docs::{Doc, one_line};
use crate::emit::ident;
use crate::emit::items;
use crate::model::{EventCallback, EventContent, EventId, EventTiming, Spec, TableOrigin};
use crate::raw::Method;

/// A rustdoc link to an event's variant, from a sibling module of the crate root.
pub fn event_link(spec: &Spec, event: EventId) -> String {
    let enum_name = &spec.names.event_enum;
    let event = &spec.events[event.0];
    format!(
        "`{}` ([`{enum_name}::{}`](super::{enum_name}::{}))",
        event.name, event.ident, event.ident
    )
}

fn method(method: Method) -> TokenStream {
    match method {
        Method::Get => quote!(::gatespec::Method::Get),
        Method::Post => quote!(::gatespec::Method::Post),
        Method::Put => quote!(::gatespec::Method::Put),
        Method::Delete => quote!(::gatespec::Method::Delete),
    }
}

/// The items of the events module, when the spec has an event catalogue.
pub fn events_module(spec: &Spec) -> Option<TokenStream> {
    let protocol = spec.event_protocol.as_ref()?;
    if spec.events.is_empty() {
        return None;
    }
    let enum_name = ident(&spec.names.event_enum);
    let fallback = ident(&spec.names.event_fallback);
    let (type_member, agent_member, content_member) = (
        &protocol.type_member,
        &protocol.agent_member,
        &protocol.content_member,
    );
    let contents = spec
        .tables
        .iter()
        .filter(|t| matches!(t.origin, TableOrigin::EventContent(_)))
        .map(|t| {
            let event = match t.origin {
                TableOrigin::EventContent(i) => &spec.events[i].name,
                _ => "",
            };
            items::table(spec, t, &format!("The content of event `{event}`."))
        });
    let agent_doc = format!(" The agent the event is for (`{agent_member}`).");
    let variants = spec.events.iter().map(|e| {
        let mut doc = Doc::new(&format!("`{}`: {}", e.name, one_line(&e.description)));
        let mut facts = Vec::new();
        match e.content {
            EventContent::Null => facts.push("Content: `null`.".to_owned()),
            EventContent::Undocumented => {
                facts.push("Content: not documented by the vendor; kept as raw JSON.".to_owned())
            }
            EventContent::Table(t) => {
                facts.push(format!("Content: [`{}`].", spec.table(t).name));
            }
        }
        if !e.triggered_by.is_empty() {
            let by: Vec<String> = e
                .triggered_by
                .iter()
                .map(|i| {
                    let interface = &spec.interfaces[*i];
                    let module = &spec.services[interface.service.0].names.module;
                    format!(
                        "[`{}`](super::{}::{})",
                        interface.names.descriptor,
                        module.trim_start_matches("r#"),
                        interface.names.descriptor
                    )
                })
                .collect();
            facts.push(format!("Triggered by {}.", by.join(", ")));
        }
        if let Some(source) = &e.source {
            facts.push(format!(
                "Vendor source: {}.",
                one_line(source).trim_end_matches('.')
            ));
        }
        doc.bullets(&facts);
        doc.notes(&e.notes);
        let doc = doc.tokens();
        let name = ident(&e.ident);
        let content = match e.content {
            EventContent::Null => None,
            EventContent::Undocumented => Some(quote!(
                /// The content, as the vendor documents no table for it.
                content: ::gatespec::RawContent,
            )),
            EventContent::Table(t) => {
                let table = ident(&spec.table(t).name);
                let doc = format!(" The content (`{content_member}`).");
                Some(quote!(#[doc = #doc] content: #table,))
            }
        };
        quote! {
            #doc
            #name {
                #[doc = #agent_doc]
                agent: String,
                #content
            },
        }
    });
    let arms = spec.events.iter().map(|e| {
        let name = ident(&e.ident);
        let wire = &e.name;
        match e.content {
            EventContent::Null => quote! {
                #wire => match raw.into_agent(&Self::FORMAT) {
                    Ok(agent) => Self::#name { agent },
                    Err(raw) => Self::#fallback(*raw),
                },
            },
            EventContent::Undocumented => quote! {
                #wire => {
                    let (agent, content) = raw.into_raw_content();
                    Self::#name { agent, content }
                }
            },
            EventContent::Table(_) => quote! {
                #wire => match raw.into_content(&Self::FORMAT) {
                    Ok((agent, content)) => Self::#name { agent, content },
                    Err(raw) => Self::#fallback(*raw),
                },
            },
        }
    });
    let type_arms = spec.events.iter().map(|e| {
        let name = ident(&e.ident);
        let wire = &e.name;
        quote!(Self::#name { .. } => #wire,)
    });
    let agent_arms = spec.events.iter().map(|e| {
        let name = ident(&e.ident);
        quote!(Self::#name { agent, .. } => agent,)
    });
    let write_arms = spec.events.iter().map(|e| {
        let name = ident(&e.ident);
        let wire = &e.name;
        match e.content {
            EventContent::Null => {
                quote!(Self::#name { agent } => format.write(serializer, #wire, agent, &()),)
            }
            _ => quote!(Self::#name { agent, content } => format.write(serializer, #wire, agent, content),),
        }
    });
    let validate_arms: Vec<TokenStream> = spec
        .events
        .iter()
        .filter(|e| matches!(e.content, EventContent::Table(_)))
        .map(|e| {
            let name = ident(&e.ident);
            quote!(Self::#name { content, .. } => content.validate_into(&mut ctx.field(#content_member)),)
        })
        .collect();
    // One event with content is an `if let` (clippy's single_match), several a `match`.
    let validate_body = match validate_arms.as_slice() {
        [] => None,
        [_] => {
            let e = spec
                .events
                .iter()
                .find(|e| matches!(e.content, EventContent::Table(_)));
            e.map(|e| {
                let name = ident(&e.ident);
                quote! {
                    fn validate_into(&self, ctx: &mut ::gatespec::ValidationContext<'_>) {
                        if let Self::#name { content, .. } = self {
                            content.validate_into(&mut ctx.field(#content_member));
                        }
                    }
                }
            })
        }
        _ => Some(quote! {
            fn validate_into(&self, ctx: &mut ::gatespec::ValidationContext<'_>) {
                match self {
                    #(#validate_arms)*
                    _ => {}
                }
            }
        }),
    };
    let types = spec.events.iter().map(|e| e.name.as_str());
    let callback = match &protocol.callback {
        Some(c) => {
            let (path, log_name, method) = (&c.path, &c.log_name, method(c.method));
            let headers = c.headers.iter().map(|h| spec.headers[h.0].name.as_str());
            let token = c
                .headers
                .iter()
                .map(|h| &spec.headers[h.0])
                .find(|h| h.purpose == Some(crate::raw::HeaderPurpose::ServiceToken))
                .map(|h| h.name.as_str());
            let token_header = match token {
                Some(name) => quote!(Some(#name)),
                None => quote!(None),
            };
            quote!(Some(::gatespec::EventCallback {
                method: #method,
                path: #path,
                log_name: #log_name,
                headers: &[#(#headers),*],
                token_header: #token_header,
            }))
        }
        None => quote!(None),
    };
    let callback_router = protocol.callback.as_ref().map(|c| callback_router(spec, c));
    let enum_doc = enum_doc(spec).tokens();
    let fallback_doc = " An event the catalogue does not list, or a listed one whose content does not decode (`error` says where), kept whole.";
    let content_imports = spec
        .tables
        .iter()
        .any(|t| matches!(t.origin, TableOrigin::EventContent(_)))
        .then(|| {
            quote!(
                use ::gatespec::__private::serde::{Deserialize, Serialize};
            )
        });
    let serde = quote!(::gatespec::__private::serde);
    let timing = timing(&protocol.timing);
    Some(quote! {
        #content_imports
        use ::gatespec::Validate;
        #(#contents)*
        #enum_doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #enum_name {
            #(#variants)*
            #[doc = #fallback_doc]
            #fallback(::gatespec::RawEvent),
        }
        impl ::gatespec::EventCatalogue for #enum_name {
            const FORMAT: ::gatespec::EventFormat = ::gatespec::EventFormat {
                event_type: #type_member,
                agent: #agent_member,
                content: #content_member,
            };
            const CALLBACK: Option<::gatespec::EventCallback> = #callback;
            const TIMING: ::gatespec::EventTiming = #timing;
            const TYPES: &'static [&'static str] = &[#(#types),*];
            fn from_raw(raw: ::gatespec::RawEvent) -> Self {
                match raw.event_type.as_str() {
                    #(#arms)*
                    _ => Self::#fallback(raw),
                }
            }
            fn event_type(&self) -> &str {
                match self {
                    #(#type_arms)*
                    Self::#fallback(raw) => &raw.event_type,
                }
            }
            fn agent(&self) -> &str {
                match self {
                    #(#agent_arms)*
                    Self::#fallback(raw) => &raw.agent,
                }
            }
            fn raw(&self) -> Option<&::gatespec::RawEvent> {
                match self {
                    Self::#fallback(raw) => Some(raw),
                    _ => None,
                }
            }
        }
        impl #serde::Serialize for #enum_name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let format = &<Self as ::gatespec::EventCatalogue>::FORMAT;
                match self {
                    #(#write_arms)*
                    Self::#fallback(raw) => format.write(serializer, &raw.event_type, &raw.agent, &raw.content),
                }
            }
        }
        impl<'de> #serde::Deserialize<'de> for #enum_name {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <Self as ::gatespec::EventCatalogue>::FORMAT
                    .read(deserializer)
                    .map(<Self as ::gatespec::EventCatalogue>::from_raw)
            }
        }
        impl Validate for #enum_name {
            const DIRECTION: ::gatespec::Direction = ::gatespec::Direction::Response;
            #validate_body
        }
        #callback_router
    })
}

/// The axum router of the push callback, fixed to this gateway's protocol, event enum and
/// service-token header (a `service_token` argument only when the spec declares one).
fn callback_router(spec: &Spec, callback: &EventCallback) -> TokenStream {
    let enum_name = ident(&spec.names.event_enum);
    let token = callback
        .headers
        .iter()
        .map(|h| &spec.headers[h.0])
        .find(|h| h.purpose == Some(crate::raw::HeaderPurpose::ServiceToken));
    let session_header = spec
        .headers
        .iter()
        .find(|h| h.purpose == Some(crate::raw::HeaderPurpose::Session))
        .map(|h| format!("`{}`", h.name));
    let mut doc = Doc::new(&format!(
        "The endpoint the gateway pushes events to ({}): an axum router serving `{} <path>`, the path of the callback URI given at sign-in (the vendor documents `{}`).",
        one_line(&callback.title),
        callback.method_name(),
        callback.path,
    ));
    let mut checks = vec![format!(
        "It accepts a callback only when the session header{} names the current id of a session registered in `sessions` (renewals included).",
        session_header.map(|h| format!(" {h}")).unwrap_or_default()
    )];
    if let Some(token) = token {
        checks.push(format!(
            "Header `{}` must carry `service_token`, the token given at sign-in.",
            token.name
        ));
    }
    checks.push(format!(
        "The body decodes as [`{}`]; each event goes to `deliveries` with its session, and the gateway's call waits while the channel is full.",
        spec.names.event_enum
    ));
    checks.push("Refusals answer the gateway's envelope with its refusal codes.".to_owned());
    doc.bullets(&checks);
    let doc = doc.tokens();
    // The endpoint serves POST unless the spec says otherwise.
    let method_choice = (callback.method != Method::Post).then(|| {
        let m = method(callback.method);
        quote!(.method(#m))
    });
    let (token_param, token_check) = match token {
        Some(header) => {
            let name = &header.name;
            (
                quote!(service_token: String,),
                quote!(.service_token(#name, service_token)),
            )
        }
        None => (quote!(), quote!()),
    };
    quote! {
        #doc
        #[::gatespec::__private::callback_only]
        pub fn callback_router(
            path: &str,
            sessions: ::gatespec::callback::CallbackSessions,
            #token_param
            deliveries: ::gatespec::callback::mpsc::Sender<::gatespec::callback::Delivery<#enum_name>>,
        ) -> ::gatespec::server::axum::Router {
            ::gatespec::callback::CallbackEndpoint::new(&super::PROTOCOL, sessions)
                #token_check
                #method_choice
                .router(path, deliveries)
        }
    }
}

fn enum_doc(spec: &Spec) -> Doc {
    let mut doc = Doc::new(&format!(
        "The events of the {}, decoded by their type.",
        one_line(&spec.gateway.title)
    ));
    doc.paragraph(&format!(
        "An event the catalogue does not list decodes into [`{}::{}`] with its type, agent and raw content, and so does a listed event whose content does not decode (with the error and its JSON path): decoding an event object never fails on its type or content.",
        spec.names.event_enum, spec.names.event_fallback
    ));
    let mut facts = Vec::new();
    if let Some(p) = &spec.event_protocol {
        facts.push(format!(
            "Event object: `{{\"{}\": <type>, \"{}\": <agent>, \"{}\": <content>}}`.",
            p.type_member, p.agent_member, p.content_member
        ));
        let link = |index: usize| {
            let interface = &spec.interfaces[index];
            let module = &spec.services[interface.service.0].names.module;
            format!(
                "[`{}`](super::{}::{})",
                interface.names.descriptor,
                module.trim_start_matches("r#"),
                interface.names.descriptor
            )
        };
        if let Some(polling) = p.polling {
            facts.push(format!("Polling interface: {}.", link(polling)));
        }
        if let Some(heartbeat) = p.heartbeat {
            facts.push(format!("Heartbeat interface: {}.", link(heartbeat)));
        }
        if let Some(c) = &p.callback {
            facts.push(format!(
                "Push callback ({}): `{} {}`, log name `{}`; the body is the event object. {}",
                one_line(&c.title),
                c.method_name(),
                c.path,
                c.log_name,
                one_line(&c.description)
            ));
        }
        doc.bullets(&facts);
        doc.notes(&p.notes);
        if let Some(c) = &p.callback {
            doc.notes(&c.notes);
        }
    }
    doc
}

/// The tests of the event examples: each decodes into its variant, validates and re-encodes
/// to the same JSON; an event type the catalogue does not list is kept whole.
pub fn event_tests(spec: &Spec) -> TokenStream {
    if spec.event_protocol.is_none() {
        return TokenStream::new();
    }
    let enum_name = ident(&spec.names.event_enum);
    let tests = spec.events.iter().flat_map(|e| &e.examples).map(|example| {
        let test = ident(&example.test);
        let text = Literal::string(&example.text.text);
        quote! {
            #[test]
            fn #test() {
                if let Err(e) = ::gatespec::example::event_round_trip::<super::#enum_name>(#text) {
                    panic!("{e}");
                }
            }
        }
    });
    let mut tests: Vec<TokenStream> = tests.collect();
    if let Some(p) = &spec.event_protocol
        && !spec.events.is_empty()
    {
        // An event type the catalogue does not list, with content of every JSON kind.
        let mut unlisted = "Unlisted_Event".to_owned();
        while spec.events.iter().any(|e| e.name == unlisted) {
            unlisted.push('_');
        }
        let json = serde_json::json!({
            p.type_member.as_str(): unlisted,
            p.agent_member.as_str(): "101",
            p.content_member.as_str(): {"text": "a", "number": 1, "list": [true, null], "object": {}},
        })
        .to_string();
        let test = ident(crate::model::rust::UNKNOWN_EVENT_TEST);
        tests.push(quote! {
            #[test]
            fn #test() {
                if let Err(e) = ::gatespec::example::unknown_event_round_trip::<super::#enum_name>(#json) {
                    panic!("{e}");
                }
            }
        });
    }
    quote!(#(#tests)*)
}

impl crate::model::EventCallback {
    fn method_name(&self) -> &'static str {
        match self.method {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// The spec's session timers as a `gatespec::EventTiming` literal.
fn timing(t: &EventTiming) -> TokenStream {
    let millis = |ms: Option<u64>| match ms {
        Some(ms) => quote!(Some(::std::time::Duration::from_millis(#ms))),
        None => quote!(None),
    };
    let hold = millis(t.hold_ms);
    let repoll = match t.repoll_ms {
        Some((min, max)) => quote!(Some((
            ::std::time::Duration::from_millis(#min),
            ::std::time::Duration::from_millis(#max)
        ))),
        None => quote!(None),
    };
    let heartbeat = millis(t.heartbeat_ms);
    let idle_sign_out = millis(t.idle_sign_out_ms);
    let renewal = millis(t.renewal_ms);
    let renewed_valid = millis(t.renewed_valid_ms);
    quote! {
        ::gatespec::EventTiming {
            hold: #hold,
            repoll: #repoll,
            heartbeat: #heartbeat,
            idle_sign_out: #idle_sign_out,
            renewal: #renewal,
            renewed_valid: #renewed_valid,
        }
    }
}
