//! Emitter for one service's client and server: a client struct with one thin async method per
//! interface, a server trait with one async method per interface, and the `router` functions
//! that register each interface on the runtime's generic server. All HTTP work (validation,
//! envelope, errors, session, prerequisites, tracing) lives in the runtime (`gatespec::client`,
//! `gatespec::server`); per interface this emits a method, a trait method and a route line.
//!
//! Client items carry `#[::gatespec::__private::client_only]` and server items
//! `#[::gatespec::__private::server_only]`, so the same items compile with or without the
//! runtime's `client` and `server` features, whichever way they are included.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::docs::{Doc, deprecated_attr, one_line};
use crate::emit::interfaces::{failure_type, needs_session, path_template, result_type};
use crate::emit::protocol::error_link;
use crate::emit::{ident, items};
use crate::model::{ErrorId, Interface, Prerequisite, Spec, rust};
use crate::raw::Method;

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Delete => "DELETE",
    }
}

/// The name of an interface's client and server method (`query_conf_infos`).
fn method_ident(interface: &Interface) -> proc_macro2::Ident {
    ident(&interface.names.method)
}

/// The error-code bullet of an interface's docs.
fn errors_line(spec: &Spec, interface: &Interface) -> Option<String> {
    (!interface.errors.is_empty()).then(|| {
        let codes: Vec<String> = interface
            .errors
            .iter()
            .map(|e| error_link(spec, *e))
            .collect();
        format!("Error codes on the vendor page: {}.", codes.join(", "))
    })
}

/// The first lines of every per-interface method doc: title, description, method and path.
fn method_doc(interface: &Interface) -> Doc {
    let mut doc = Doc::new(&format!(
        "{}.",
        one_line(&interface.title).trim_end_matches('.')
    ));
    doc.paragraph(&one_line(&interface.description));
    doc
}

fn client_method(spec: &Spec, interface: &Interface) -> TokenStream {
    let stem = &interface.names.descriptor;
    let name = ident(stem);
    let path_type = ident(&interface.names.path);
    let method = method_ident(interface);
    // URI parameters, then query-string parameters (optional ones as `Option`).
    let params: Vec<_> = interface
        .path_params
        .iter()
        .chain(&interface.query_params)
        .map(|p| {
            let field = ident(&p.ident);
            let ty = items::rust_type(spec, &p.shape);
            let ty = if p.mandatory {
                ty
            } else {
                quote!(::std::option::Option<#ty>)
            };
            (field, ty)
        })
        .collect();
    let args = params.iter().map(|(field, ty)| quote!(#field: #ty,));
    let fields = params.iter().map(|(field, _)| field);
    let result = result_type(interface);
    let (body_arg, body_value) = match interface.request {
        Some(id) => {
            let t = ident(&spec.table(id).name);
            (quote!(body: &#t), quote!(body))
        }
        None => (TokenStream::new(), quote!(&())),
    };
    let mut doc = method_doc(interface);
    let mut facts = vec![format!(
        "`{} {}` ([`{stem}`]).",
        method_name(interface.method),
        path_template(interface)
    )];
    facts.extend(errors_line(spec, interface));
    doc.bullets(&facts);
    doc.paragraph(
        "The path parameters and the body are validated first; nothing is sent for an invalid request.",
    );
    doc.paragraph("# Errors\nThe call's [`ClientError`](::gatespec::client::ClientError): invalid request, transport, HTTP status, undecodable body, or the gateway's failure code.");
    let doc = doc.tokens();
    let error = gateway_error_args(spec, interface);
    let inner = ident(rust::CLIENT_INNER);
    let deprecated = deprecated_attr(interface.deprecated.as_ref());
    quote! {
        #doc
        #deprecated
        pub async fn #method(
            &self,
            #(#args)*
            #body_arg
        ) -> ::std::result::Result<#result, ::gatespec::client::ClientError<#error>> {
            let path = #path_type { #(#fields),* };
            self.#inner.call::<#name>(&path, #body_value).await
        }
    }
}

/// What the server trait of a service is: whether it resolves sessions (some interface needs
/// sign-in) and the catalogue code its default methods answer (`None`: no defaults).
#[derive(Clone, Copy)]
struct ServerTrait {
    sessions: bool,
    not_supported: Option<ErrorId>,
}

fn server_method(spec: &Spec, interface: &Interface, server: ServerTrait) -> TokenStream {
    let stem = &interface.names.descriptor;
    let path_type = ident(&interface.names.path);
    let method = method_ident(interface);
    let result = result_type(interface);
    let body_arg = interface.request.map(|id| {
        let t = ident(&spec.table(id).name);
        quote!(body: #t,)
    });
    let signed_in = signed_in(interface);
    let context = match (signed_in, server.sessions) {
        (true, _) => quote!(::gatespec::server::Context<Self::Caller>),
        (false, true) => {
            quote!(::gatespec::server::Context<::std::option::Option<Self::Caller>>)
        }
        (false, false) => {
            quote!(::gatespec::server::Context<::std::option::Option<::gatespec::server::NoCaller>>)
        }
    };
    let mut doc = method_doc(interface);
    let mut facts = vec![format!(
        "`{} {}` ([`{stem}`]).",
        method_name(interface.method),
        path_template(interface)
    )];
    let roles: Vec<&str> = roles(spec, interface);
    facts.push(match (signed_in, roles.is_empty()) {
        (true, true) => "Runs only for a signed-in caller calling as itself (the router checks the session first).".to_owned(),
        (true, false) => format!(
            "Runs only for a signed-in caller calling as itself with role {} (the router checks first).",
            roles.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(" or ")
        ),
        (false, _) if server.sessions => "Needs no sign-in: the context's caller is `None` when no known session was sent.".to_owned(),
        (false, _) => "Needs no sign-in; the service keeps no sessions, so the context's caller is always `None`.".to_owned(),
    });
    for v in &interface.visibility {
        facts.push(format!(
            "Visibility for `{}`: {}",
            spec.roles[v.role.0].name,
            one_line(&v.scope)
        ));
    }
    if let Some(failure) = interface.failure {
        facts.push(format!(
            "A refusal may carry a [`{}`] (`GatewayError::with_detail`), written in the result member.",
            spec.table(failure).name
        ));
    }
    facts.extend(errors_line(spec, interface));
    doc.bullets(&facts);
    let default = server.not_supported.map(|code| {
        let meaning = one_line(&spec.errors[code.0].meaning);
        doc.paragraph(&format!(
            "**Default:** once the router's checks pass, answers {} with the message \"{}: this server does not implement `{}`\". A server written before the service gained this interface still compiles; implement the method to serve it.",
            error_link(spec, code),
            meaning.trim_end_matches('.'),
            interface.log_name
        ));
        let variant = ident(&spec.errors[code.0].ident);
        let catalogue = ident(&spec.names.error_code);
        let name = ident(stem);
        let args = if interface.request.is_some() {
            quote!((ctx, path, body))
        } else {
            quote!((ctx, path))
        };
        quote!({
            let _ = #args;
            ::gatespec::server::not_supported::<#name>(super::#catalogue::#variant)
        })
    });
    let doc = doc.tokens();
    let error = gateway_error_args(spec, interface);
    let end = default.unwrap_or_else(|| quote!(;));
    quote! {
        #doc
        fn #method(
            &self,
            ctx: #context,
            path: #path_type,
            #body_arg
        ) -> impl ::std::future::Future<
            Output = ::std::result::Result<#result, ::gatespec::GatewayError<#error>>,
        > + ::std::marker::Send #end
    }
}

/// The type arguments of an interface's `GatewayError`/`ClientError`: the catalogue, and the
/// failure detail when the interface declares one (the default, `NoDetail`, is left out).
fn gateway_error_args(spec: &Spec, interface: &Interface) -> TokenStream {
    let catalogue = ident(&spec.names.error_code);
    match interface.failure {
        Some(_) => {
            let failure = failure_type(spec, interface);
            quote!(super::#catalogue, #failure)
        }
        None => quote!(super::#catalogue),
    }
}

fn route(interface: &Interface) -> TokenStream {
    let name = ident(&interface.names.descriptor);
    let method = method_ident(interface);
    let log_name = &interface.log_name;
    let call = if interface.request.is_some() {
        quote!(|s, ctx, path, body| async move { s.#method(ctx, path, body).await })
    } else {
        quote!(|s, ctx, path, ()| async move { s.#method(ctx, path).await })
    };
    quote! {
        .route_in_span(#name, || ::gatespec::__server_span!(#log_name), #call)
    }
}

/// Whether the caller needs a session: signed in, or a role (only a session has one).
fn signed_in(interface: &Interface) -> bool {
    needs_session(interface)
}

fn roles<'a>(spec: &'a Spec, interface: &Interface) -> Vec<&'a str> {
    interface
        .prerequisites
        .iter()
        .filter_map(|p| match p {
            Prerequisite::Role { role, .. } => Some(spec.roles[role.0].name.as_str()),
            Prerequisite::SignedIn { .. } | Prerequisite::Condition { .. } => None,
        })
        .collect()
}

/// The client struct, the server trait and the router functions of service `index`; empty
/// when the service has no interface.
pub fn service(spec: &Spec, index: usize) -> TokenStream {
    let service = &spec.services[index];
    let interfaces: Vec<&Interface> = spec
        .interfaces
        .iter()
        .filter(|i| i.service.0 == index)
        .collect();
    if interfaces.is_empty() {
        return TokenStream::new();
    }
    let names = &service.names;
    let client = ident(&names.client);
    let server = ident(&names.server);
    let (router, router_with) = (ident(&names.router), ident(&names.router_with));
    let (new, inner) = (ident(rust::CLIENT_NEW), ident(rust::CLIENT_INNER));
    let title = one_line(&service.title);
    let title = title.trim_end_matches('.');
    let client_doc = Doc::new(&format!(
        "Client of the {title} interfaces (`{}`), one method per interface.\n\n\
         Wraps one agent's [`gatespec::client::Session`] (from `Session::sign_in`, or `Session::anonymous` for calls without a session) and sends that session's id; sessions share their [`gatespec::client::Client`] (base URL, connection pool, timeouts, TLS settings).",
        service.base_path
    ))
    .tokens();
    let client_methods = interfaces.iter().map(|i| client_method(spec, i));
    let traits = ServerTrait {
        sessions: interfaces.iter().any(|i| signed_in(i)),
        not_supported: service
            .default_methods
            .then_some(spec.protocol.refusals.not_supported)
            .flatten(),
    };
    let mut server_doc = Doc::new(&if traits.sessions {
        format!(
            "Server side of the {title} interfaces (`{}`): implement it (and [`SessionStore`](::gatespec::server::SessionStore)), then serve [`{router}`].",
            service.base_path
        )
    } else {
        format!(
            "Server side of the {title} interfaces (`{}`): implement it, then serve [`{router}`]. No interface of the service needs sign-in, so it needs no session store.",
            service.base_path
        )
    });
    server_doc.paragraph("Handlers receive validated path parameters and bodies, and run only once the session and the interface's prerequisites are checked (see [`gatespec::server`]).");
    server_doc.paragraph(&match traits.not_supported {
        Some(code) => format!(
            "Every method has a default that answers {}: implement the interfaces the server serves, and interfaces the service gains later leave it compiling.",
            error_link(spec, code)
        ),
        None => "Implement every method: a server that misses one does not compile (rustc names the missing methods).".to_owned(),
    });
    let server_doc = server_doc.tokens();
    let server_methods = interfaces.iter().map(|i| server_method(spec, i, traits));
    let routes = interfaces.iter().map(|i| route(i));
    let (supertraits, routes_new) = if traits.sessions {
        (
            quote!(::gatespec::server::SessionStore),
            quote!(::gatespec::server::Routes::new(server, options)),
        )
    } else {
        (
            quote!(::std::marker::Send + ::std::marker::Sync + 'static),
            quote!(::gatespec::server::Routes::without_sessions(
                server, options
            )),
        )
    };
    let router_doc = format!(
        " The axum router of the {title} interfaces, served by `server`, with the default [`Options`](::gatespec::server::Options)."
    );
    quote! {
        #client_doc
        #[::gatespec::__private::client_only]
        #[derive(Debug, Clone)]
        pub struct #client {
            #inner: ::gatespec::client::Session,
        }

        #[::gatespec::__private::client_only]
        impl #client {
            /// A client of these interfaces that calls within the session `inner`.
            pub fn #new(#inner: ::gatespec::client::Session) -> Self {
                Self { #inner }
            }

            /// The session the calls are made in (its id, its client).
            pub fn #inner(&self) -> &::gatespec::client::Session {
                &self.#inner
            }

            #(#client_methods)*
        }

        #server_doc
        #[::gatespec::__private::server_only]
        pub trait #server: #supertraits {
            #(#server_methods)*
        }

        #[doc = #router_doc]
        #[::gatespec::__private::server_only]
        pub fn #router<S: #server>(server: S) -> ::gatespec::server::Router {
            #router_with(server, ::gatespec::server::Options::default())
        }

        /// The axum router of these interfaces with explicit [`Options`](::gatespec::server::Options).
        #[::gatespec::__private::server_only]
        pub fn #router_with<S: #server>(
            server: S,
            options: ::gatespec::server::Options,
        ) -> ::gatespec::server::Router {
            #routes_new
                #(#routes)*
                .into_router()
        }
    }
}
