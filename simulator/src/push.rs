//! Push mode: a session signed in with a callback URI and a service token gets its events
//! posted to the URI (the event object as the body, the session's current Guid in the session
//! header and the token in the spec's service-token header) instead of polling for them. One task
//! per push session waits on the session's queue and posts each event; it ends with the
//! session. Heartbeats keep the session alive: without them the reaper signs it out.

use std::time::Duration;

use agentgateway::{Event, PROTOCOL};
use gatespec::EventCatalogue;
use gatespec::server::live::{EncodedEvent, PushTarget, SessionBackend as _, Waited};

use crate::sim::Simulator;

/// The header that carries the service token on a pushed event: the callback's header with
/// `purpose: service_token` in the spec.
pub const SERVICE_TOKEN_HEADER: Option<&str> = match <Event as EventCatalogue>::CALLBACK {
    Some(callback) => callback.token_header,
    None => None,
};

/// How long the delivery task waits on an empty queue before looking again.
const WAIT: Duration = Duration::from_secs(30);

/// How often an event the callback did not accept is posted, at most: the first events
/// follow sign-in at once, possibly before the client has set its endpoint up for the new
/// session.
const ATTEMPTS: u32 = 3;

/// The pause before waiting on the store again after it failed.
const STORE_RETRY: Duration = Duration::from_secs(1);

/// The pause before posting a refused event again.
const RETRY_AFTER: Duration = Duration::from_millis(200);

/// Starts delivering the events of the push session `session_id` to `target`.
pub(crate) fn start(sim: Simulator, session_id: String, target: PushTarget) {
    tokio::spawn(deliver(sim, session_id, target));
}

async fn deliver(sim: Simulator, mut session_id: String, target: PushTarget) {
    let backend = sim.live.backend();
    loop {
        let deadline = tokio::time::Instant::now() + WAIT;
        let waited = match backend.wait_event(&session_id, deadline).await {
            Ok(waited) => waited,
            Err(e) => {
                // The store is down: look again once it may be back.
                tracing::warn!(error = %e, "push delivery: the store failed");
                tokio::time::sleep(STORE_RETRY).await;
                continue;
            }
        };
        match waited {
            Waited::Event(event) => post(&sim, &session_id, &target, event).await,
            Waited::TimedOut => {}
            // Renewed (then deliver under its new Guid), or ended.
            Waited::Ended => match sim.live.find(&session_id).await {
                Ok(Some(found)) if found.current_id != session_id => {
                    session_id = found.current_id;
                }
                Ok(_) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "push delivery: the store failed");
                    tokio::time::sleep(STORE_RETRY).await;
                }
            },
        }
    }
}

async fn post(sim: &Simulator, session_id: &str, target: &PushTarget, event: EncodedEvent) {
    for attempt in 1..=ATTEMPTS {
        if attempt > 1 {
            tokio::time::sleep(RETRY_AFTER).await;
        }
        if post_once(sim, session_id, target, &event).await {
            return;
        }
    }
}

/// Posts `event` once: whether the callback accepted it (HTTP success and retcode `0`).
async fn post_once(
    sim: &Simulator,
    session_id: &str,
    target: &PushTarget,
    event: &EncodedEvent,
) -> bool {
    let Some(client) = &sim.pusher else {
        return true;
    };
    let mut request = client
        .post(&target.address)
        .header("Content-Type", "application/json; charset=UTF-8")
        .body(event.get().to_owned());
    if let Some(header) = PROTOCOL.session_header {
        request = request.header(header, session_id);
    }
    if let (Some(header), Some(token)) = (SERVICE_TOKEN_HEADER, &target.token) {
        request = request.header(header, token);
    }
    let answer = match request.send().await {
        Ok(answer) => answer,
        Err(e) => {
            tracing::warn!(callback = %target.address, error = %e, "a pushed event was not delivered");
            return false;
        }
    };
    let status = answer.status();
    let body = answer.bytes().await.unwrap_or_default();
    let retcode = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| {
            v.get(PROTOCOL.envelope.retcode)?
                .as_str()
                .map(str::to_owned)
        });
    let accepted = status.is_success()
        && retcode
            .as_deref()
            .is_none_or(|r| r == PROTOCOL.envelope.success);
    if !accepted {
        tracing::warn!(
            callback = %target.address,
            %status,
            retcode = retcode.as_deref().unwrap_or(""),
            "the callback refused a pushed event"
        );
    }
    accepted
}
