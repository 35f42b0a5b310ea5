//! What a handler knows about its call: the session id as sent, the caller, and the session it
//! may hand out.

use std::sync::{Arc, Mutex, PoisonError};

use super::Caller;
use crate::interface::{Access, Interface};

/// What a handler knows about its caller: the session id and the caller `S`. Interfaces that
/// need sign-in get a `Context<Caller>`, the others a `Context<Option<Caller>>`
/// ([`ContextOf`] says which from the interface's [`Access`]).
#[derive(Clone, Debug)]
pub struct Context<S> {
    session_id: String,
    caller: S,
    renewal: Renewal,
}

/// The context a handler of interface `I` takes on a server whose callers are `C`:
/// `Context<C>` when `I` is [`SignedIn`](crate::SignedIn), `Context<Option<C>>` when it is
/// [`Anyone`](crate::Anyone). [`Routes::route`](super::Routes::route) requires exactly this
/// type, so a handler cannot take a context its interface contradicts.
pub type ContextOf<I, C> = Context<<<I as Interface>::Access as Access>::Caller<C>>;

/// A new session id a handler hands out (sign-in, periodic renewal), shared with the router.
#[doc(hidden)]
#[derive(Clone, Debug, Default)]
pub struct Renewal(Arc<Mutex<Option<String>>>);

impl Renewal {
    pub(crate) fn take(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

impl<S> Context<S> {
    /// A context (for calling handlers directly, as tests do).
    pub fn new(session_id: impl Into<String>, caller: S) -> Self {
        Self {
            session_id: session_id.into(),
            caller,
            renewal: Renewal::default(),
        }
    }

    /// The session header's value as sent (empty if none was sent to an interface that needs
    /// no sign-in).
    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// The caller.
    pub fn caller(&self) -> &S {
        &self.caller
    }

    /// The caller, by value.
    pub fn into_caller(self) -> S {
        self.caller
    }

    /// Hands the caller a new session id: the answer carries it in the protocol's renewal
    /// header, written the way the spec declares, which the generated clients adopt. For
    /// sign-in and a gateway's periodic renewal.
    pub fn renew_session(&self, session_id: impl Into<String>) {
        *self
            .renewal
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(session_id.into());
    }

    /// The session id handed out with [`renew_session`](Self::renew_session), if any.
    pub fn renewed_session(&self) -> Option<String> {
        self.renewal
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The router's handle on the session the handler hands out.
    pub(super) fn renewal(&self) -> Renewal {
        self.renewal.clone()
    }
}

impl<S: Caller> Context<S> {
    /// The signed-in agent's id.
    pub fn agent_id(&self) -> &str {
        self.caller.agent_id()
    }

    /// The signed-in agent's role.
    pub fn role(&self) -> &str {
        self.caller.role()
    }
}
