//! Who calls: the user's [`SessionStore`], or nobody known for routes that keep no sessions
//! ([`NoCaller`]), and which interfaces each can serve.

use std::future::Future;

use crate::interface::{Access, Anyone};

/// Who calls, as a [`SessionStore`] resolves a live session: the id the caller parameter of a
/// path must name, and the role that role prerequisites check.
pub trait Caller: Clone + Send + Sync + 'static {
    /// The id of the agent that signed in (what the protocol's caller parameter holds).
    fn agent_id(&self) -> &str;
    /// The agent's role, as named in the spec (`inspector`, `agent`).
    fn role(&self) -> &str;
}

/// Resolves the value of the session header to a [`Caller`]. Supplied by the user: the
/// generated server traits of services with an interface that needs sign-in have it as
/// supertrait. Servers whose interfaces need no sign-in do without one
/// ([`Routes::without_sessions`](super::Routes::without_sessions)).
pub trait SessionStore: Send + Sync + 'static {
    /// What a live session knows about its caller.
    type Caller: Caller;

    /// The caller of the live session `session_id`, or `None` (unknown or expired).
    fn resolve(&self, session_id: &str) -> impl Future<Output = Option<Self::Caller>> + Send;
}

/// The caller of routes that keep no sessions
/// ([`Routes::without_sessions`](super::Routes::without_sessions)): there is never one, so a
/// handler's `Context<Option<NoCaller>>` always holds `None`. No value of it exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoCaller {}

impl Caller for NoCaller {
    fn agent_id(&self) -> &str {
        match *self {}
    }

    fn role(&self) -> &str {
        match *self {}
    }
}

/// How routes serving `T` learn who calls: `T` itself when it is a [`SessionStore`], or
/// [`NoCaller`] for routes that keep no sessions. Sealed.
pub trait Sessions<T>: sealed::Sealed<T> + Sized + 'static {
    /// The caller a live session resolves to.
    type Caller: Caller;

    /// The caller of `session_id`, if any.
    #[doc(hidden)]
    fn resolve(server: &T, session_id: &str)
    -> impl Future<Output = Option<Self::Caller>> + Send;
}

impl<T: SessionStore> Sessions<T> for T {
    type Caller = T::Caller;

    fn resolve(
        server: &T,
        session_id: &str,
    ) -> impl Future<Output = Option<Self::Caller>> + Send {
        server.resolve(session_id)
    }
}

impl<T: 'static> Sessions<T> for NoCaller {
    type Caller = NoCaller;

    fn resolve(_: &T, _: &str) -> impl Future<Output = Option<NoCaller>> + Send {
        std::future::ready(None)
    }
}

/// Routes whose sessions come from `Self` can serve interfaces of access `A`: a
/// [`SessionStore`] serves every interface, routes without sessions only those that anyone may
/// call ([`Anyone`]).
#[diagnostic::on_unimplemented(
    message = "routes without a session store cannot serve an interface that needs sign-in",
    label = "this interface's `Access` is `{A}`",
    note = "serve it with `Routes::new(server, options)`, where `server` implements `gatespec::server::SessionStore`",
    note = "`Routes::without_sessions` serves only interfaces whose `Access` is `gatespec::Anyone`"
)]
pub trait Serves<A: Access> {}

impl<T: SessionStore, A: Access> Serves<A> for T {}

impl Serves<Anyone> for NoCaller {}

mod sealed {
    pub trait Sealed<T> {}
    impl<T: super::SessionStore> Sealed<T> for T {}
    impl<T> Sealed<T> for super::NoCaller {}
}
