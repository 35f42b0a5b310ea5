//! A signed-in session over a [`Client`], for any gateway.

use super::{Client, ClientError};
use crate::interface::Interface;

/// A signed-in session over a [`Client`], for any gateway: [`Session::sign_in`] calls the
/// sign-in interface it is given (a generated descriptor) without a session and keeps the
/// session its answer hands out in the protocol's renewal header; every call through
/// [`client`](Self::client) (and the generated clients built on it) sends it in the protocol's
/// session header and adopts renewals; [`Session::sign_out`] calls the sign-out interface it is
/// given and then forgets the session. Clones share the session.
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
///     // Generated clients built from `session.client().clone()` send the session.
///     assert!(session.is_signed_in());
///     if session.sign_out::<Out>(sign_out, &()).await.is_ok() {
///         assert_eq!(session.session_id(), None);
///     }
/// }
/// ```
#[derive(Clone, Debug)]
pub struct Session {
    client: Client,
}

impl Session {
    /// Signs in with interface `I`: forgets any session the client holds (sign-in is called
    /// without one), calls `I`, and keeps the session the answer hands out. Returns the session
    /// and the sign-in's result.
    ///
    /// # Errors
    /// The call's [`ClientError`], or [`ClientError::NoSession`] when a successful answer
    /// handed out no session.
    pub async fn sign_in<I: Interface>(
        client: &Client,
        path: &I::Path,
        body: &I::Request,
    ) -> Result<(Self, I::Result), ClientError<I::ErrorCode, I::Failure>> {
        client.set_session_id(None);
        let result = client.call::<I>(path, body).await?;
        if client.session_id().is_none() {
            return Err(ClientError::NoSession);
        }
        Ok((
            Self {
                client: client.clone(),
            },
            result,
        ))
    }

    /// A session over a session id obtained elsewhere (seeded, or signed in by another program).
    pub fn resume(client: &Client, session_id: impl Into<String>) -> Self {
        client.set_session_id(Some(session_id.into()));
        Self {
            client: client.clone(),
        }
    }

    /// The client that carries the session; build generated clients from (clones of) it.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The current session id (renewals adopted), or `None` once signed out.
    pub fn session_id(&self) -> Option<String> {
        self.client.session_id()
    }

    /// Whether the session still holds a session id.
    pub fn is_signed_in(&self) -> bool {
        self.session_id().is_some()
    }

    /// Calls interface `I` within the session (the same as [`Client::call`] on
    /// [`client`](Self::client)).
    ///
    /// # Errors
    /// As [`Client::call`].
    pub async fn call<I: Interface>(
        &self,
        path: &I::Path,
        body: &I::Request,
    ) -> Result<I::Result, ClientError<I::ErrorCode, I::Failure>> {
        self.client.call::<I>(path, body).await
    }

    /// Signs out with interface `I`, then forgets the session; later calls send none. On a
    /// failure the session is kept, so the sign-out can be tried again.
    ///
    /// # Errors
    /// The call's [`ClientError`].
    pub async fn sign_out<I: Interface>(
        &self,
        path: &I::Path,
        body: &I::Request,
    ) -> Result<I::Result, ClientError<I::ErrorCode, I::Failure>> {
        let result = self.client.call::<I>(path, body).await?;
        self.client.set_session_id(None);
        Ok(result)
    }
}
