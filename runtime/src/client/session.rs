//! One agent's session over a shared [`Client`], for any gateway.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock, Weak};
use std::time::Duration;

use serde::Serialize;

use super::{Client, ClientError, decode_answer};
use crate::interface::Interface;

/// One agent's session over a [`Client`]: the session id the gateway handed out and the caller
/// it belongs to. Any number of sessions share one `Client` (its connection pool) and never see
/// each other's ids; clones of a `Session` share its id, so a renewal adopted through one clone
/// (a generated client, an event stream) is sent by all of them.
///
/// - [`Session::sign_in`] calls the sign-in interface it is given (a generated descriptor)
///   without a session and keeps the session its answer hands out in the protocol's renewal
///   header;
/// - every call through the session (and through the generated clients that wrap it) sends its
///   id in the protocol's session header and adopts renewals from the answers;
/// - [`Session::sign_out`] calls the sign-out interface it is given and then forgets the id.
///
/// A session belongs to one caller. When the protocol names a caller parameter (the path
/// parameter with the calling agent's id), the session is bound to the caller of the first call
/// that hands it a session id; a session id handed out to a call naming another caller (signing
/// a second agent in through the first agent's session) is refused with
/// [`ClientError::ForeignSession`] and never replaces the first agent's. Sign each agent in
/// with its own [`Session::sign_in`].
///
/// ```no_run
/// use gatespec::Interface;
/// use gatespec::client::{Client, Session};
///
/// // `In` and `Out` are a gateway's sign-in and sign-out descriptors (generated from its spec).
/// async fn shift<In: Interface, Out: Interface<Request = ()>>(
///     client: &Client,
///     sign_in: &In::Path,
///     credentials: &In::Request,
///     sign_out: &Out::Path,
/// ) {
///     let Ok((session, _signed_in)) = Session::sign_in::<In>(client, sign_in, credentials).await
///     else {
///         return;
///     };
///     // Generated clients built from `session.clone()` send this agent's session.
///     assert!(session.is_signed_in());
///     if session.sign_out::<Out>(sign_out, &()).await.is_ok() {
///         assert_eq!(session.session_id(), None);
///     }
/// }
/// ```
#[derive(Clone)]
pub struct Session {
    client: Client,
    state: Arc<RwLock<SessionState>>,
}

/// What a session knows: its id (`None` before sign-in and after sign-out) and the caller it is
/// bound to (`None` until known, or when the protocol names no caller parameter).
#[derive(Default)]
struct SessionState {
    id: Option<String>,
    caller: Option<String>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.read();
        f.debug_struct("Session")
            .field("base_url", &self.client.base_url())
            .field("caller", &state.caller)
            .field("signed_in", &state.id.is_some())
            .finish()
    }
}

impl Session {
    /// A session without an id over `client`: calls send no session header (sign-in, public
    /// interfaces). The first call that is handed a session id (a sign-in made through a
    /// generated client) binds it to that caller.
    pub fn anonymous(client: &Client) -> Self {
        Self {
            client: client.clone(),
            state: Arc::default(),
        }
    }

    /// Signs in with interface `I`: calls `I` on a new session (without a session header) and
    /// keeps the session the answer hands out. Returns the session and the sign-in's result.
    /// Each call makes a new session: signing in another agent never touches an existing one.
    ///
    /// # Errors
    /// The call's [`ClientError`], or [`ClientError::NoSession`] when a successful answer
    /// handed out no session.
    pub async fn sign_in<I: Interface>(
        client: &Client,
        path: &I::Path,
        body: &I::Request,
    ) -> Result<(Self, I::Result), ClientError<I::ErrorCode, I::Failure>> {
        let session = Self::anonymous(client);
        let result = session.call::<I>(path, body).await?;
        if !session.is_signed_in() {
            return Err(ClientError::NoSession);
        }
        Ok((session, result))
    }

    /// A session over a session id obtained elsewhere (seeded, or signed in by another program).
    pub fn resume(client: &Client, session_id: impl Into<String>) -> Self {
        Self {
            client: client.clone(),
            state: Arc::new(RwLock::new(SessionState {
                id: Some(session_id.into()),
                caller: None,
            })),
        }
    }

    /// The client (transport) the session calls through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The current session id (renewals adopted), or `None` before sign-in and after sign-out.
    pub fn session_id(&self) -> Option<String> {
        self.read().id.clone()
    }

    /// The caller (the value of the protocol's caller parameter) the session belongs to, once
    /// known.
    pub fn caller(&self) -> Option<String> {
        self.read().caller.clone()
    }

    /// Whether the session holds a session id.
    pub fn is_signed_in(&self) -> bool {
        self.read().id.is_some()
    }

    /// Calls interface `I` within the session: sends its id, adopts a session the answer hands
    /// out, and decodes the answer (see the [module docs](super)).
    ///
    /// # Errors
    /// As [`Client::call`], and [`ClientError::ForeignSession`] when the answer hands out a
    /// session for another caller than the one this session belongs to.
    pub async fn call<I: Interface>(
        &self,
        path: &I::Path,
        body: &I::Request,
    ) -> Result<I::Result, ClientError<I::ErrorCode, I::Failure>> {
        self.call_within::<I>(path, body, None).await
    }

    /// [`call`](Self::call) with a per-request timeout instead of the client's (a long poll).
    pub(crate) async fn call_within<I: Interface>(
        &self,
        path: &I::Path,
        body: &I::Request,
        timeout: Option<Duration>,
    ) -> Result<I::Result, ClientError<I::ErrorCode, I::Failure>> {
        let id = self.session_id();
        let answer = self
            .client
            .send::<I>(id.as_deref(), path, body, timeout)
            .await?;
        if let Some(handed_out) = answer.handed_out {
            self.adopt::<I>(path, handed_out)?;
        }
        decode_answer::<I>(answer.status, answer.body.as_ref())
    }

    /// Signs out with interface `I`, then forgets the session id; later calls send none (and
    /// event streams and heartbeats of the session stop). On a failure the session is kept, so
    /// the sign-out can be tried again.
    ///
    /// # Errors
    /// The call's [`ClientError`].
    pub async fn sign_out<I: Interface>(
        &self,
        path: &I::Path,
        body: &I::Request,
    ) -> Result<I::Result, ClientError<I::ErrorCode, I::Failure>> {
        let result = self.call::<I>(path, body).await?;
        self.write().id = None;
        Ok(result)
    }

    /// Adopts `handed_out`, which answered a call of `I` with `path`, unless the call named
    /// another caller than the session's.
    fn adopt<I: Interface>(
        &self,
        path: &I::Path,
        handed_out: String,
    ) -> Result<(), ClientError<I::ErrorCode, I::Failure>> {
        let named = I::PROTOCOL
            .caller_param
            .and_then(|param| caller_in(path, param));
        let mut state = self.write();
        match (&state.caller, named) {
            (Some(bound), Some(named)) if *bound != named => {
                return Err(ClientError::ForeignSession {
                    session_of: bound.clone(),
                    handed_to: named,
                });
            }
            (None, named @ Some(_)) => state.caller = named,
            _ => {}
        }
        state.id = Some(handed_out);
        Ok(())
    }

    /// A handle that does not keep the session alive (a heartbeat task holds one).
    pub(crate) fn downgrade(&self) -> WeakSession {
        WeakSession {
            client: self.client.clone(),
            state: Arc::downgrade(&self.state),
        }
    }

    /// Whether `self` and `other` are clones of one session.
    #[cfg(feature = "callback")]
    pub(crate) fn same_as(&self, other: &WeakSession) -> bool {
        Weak::ptr_eq(&Arc::downgrade(&self.state), &other.state)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, SessionState> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, SessionState> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A [`Session`] that is gone once every clone of it is dropped.
#[derive(Clone)]
pub(crate) struct WeakSession {
    client: Client,
    state: Weak<RwLock<SessionState>>,
}

impl WeakSession {
    /// The session, while a clone of it lives.
    pub(crate) fn upgrade(&self) -> Option<Session> {
        Some(Session {
            client: self.client.clone(),
            state: self.state.upgrade()?,
        })
    }
}

/// The value of the path parameter `param` in `path` (a string, or a number written as text).
fn caller_in<P: Serialize>(path: &P, param: &str) -> Option<String> {
    match serde_json::to_value(path).ok()?.get(param)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
