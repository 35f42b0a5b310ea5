//! Who calls: the user's [`SessionStore`], or nobody known for routes that keep no sessions
//! ([`NoCaller`]), and which interfaces each can serve.

use std::future::Future;

use crate::interface::{Access, Anyone, SignedIn};

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
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a session store, so it cannot serve interfaces that need sign-in",
    label = "needs a `SessionStore`",
    note = "implement `gatespec::server::SessionStore` for the server: it resolves the session header to the caller",
    note = "routes built with `Routes::without_sessions` (whose caller is `NoCaller`) serve only interfaces whose `Access` is `gatespec::Anyone`"
)]
pub trait SessionStore: Send + Sync + 'static {
    /// What a live session knows about its caller.
    type Caller: Caller;

    /// The caller of the live session `session_id`, or `None` (unknown or expired).
    fn resolve(&self, session_id: &str) -> impl Future<Output = Option<Self::Caller>> + Send;

    /// [`resolve`](Self::resolve) for a store that can fail (a shared store whose connection
    /// dropped): `Err` is answered with the protocol's `internal_error` refusal, so a caller
    /// whose session may well be live is not told to sign in again. The default never fails.
    fn try_resolve(
        &self,
        session_id: &str,
    ) -> impl Future<Output = Result<Option<Self::Caller>, StoreFailure>> + Send {
        async move { Ok(self.resolve(session_id).await) }
    }
}

/// Why a [`SessionStore`] could not tell whether a session is live.
pub type StoreFailure = Box<dyn std::error::Error + Send + Sync>;

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
    fn resolve(
        server: &T,
        session_id: &str,
    ) -> impl Future<Output = Result<Option<Self::Caller>, StoreFailure>> + Send;
}

impl<T: SessionStore> Sessions<T> for T {
    type Caller = T::Caller;

    fn resolve(
        server: &T,
        session_id: &str,
    ) -> impl Future<Output = Result<Option<Self::Caller>, StoreFailure>> + Send {
        server.try_resolve(session_id)
    }
}

impl<T: 'static> Sessions<T> for NoCaller {
    type Caller = NoCaller;

    fn resolve(
        _: &T,
        _: &str,
    ) -> impl Future<Output = Result<Option<NoCaller>, StoreFailure>> + Send {
        std::future::ready(Ok(None))
    }
}

/// Interfaces of this access (`Self`: [`SignedIn`] or [`Anyone`]) can be served by routes whose
/// sessions come from `St`: interfaces that need sign-in only by routes with a session store,
/// the others by any routes.
pub trait ServedBy<St>: Access {}

impl<St: SessionStore> ServedBy<St> for SignedIn {}

impl<St> ServedBy<St> for Anyone {}

mod sealed {
    pub trait Sealed<T> {}
    impl<T: super::SessionStore> Sealed<T> for T {}
    impl<T> Sealed<T> for super::NoCaller {}
}
