//! A task that keeps a session alive by calling a gateway's heartbeat interface.

use std::time::Duration;

use super::{ClientError, Session};
use crate::event::{EventCatalogue, HeartbeatInterface};
use crate::interface::Interface;

/// A running heartbeat of a session (push mode, where no event polling keeps the session
/// alive), made by [`Session::heartbeat`]. The task stops when this guard is dropped, when
/// every clone of the session is dropped, when the session is signed out, or when the gateway
/// refuses the session (the protocol's `not_signed_in` or `no_permission` code).
#[derive(Debug)]
#[must_use = "dropping the guard stops the heartbeat"]
pub struct Heartbeat {
    task: tokio::task::JoinHandle<()>,
}

impl Heartbeat {
    /// Whether the task is still beating.
    pub fn is_running(&self) -> bool {
        !self.task.is_finished()
    }

    /// Stops the heartbeat (as dropping the guard does).
    pub fn stop(self) {}
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Session {
    /// Keeps the session alive with the gateway's heartbeat interface `I` (generated from its
    /// spec: `session.keep_alive::<HandShake>()`), called for the session's own agent every
    /// interval the spec declares (30 s when it declares none). `None` when the session names
    /// no valid agent for the heartbeat's path. Must be called within a tokio runtime.
    pub fn keep_alive<I>(&self) -> Option<Heartbeat>
    where
        I: HeartbeatInterface,
        I::Path: Sync,
    {
        let interval = <I::Event as EventCatalogue>::TIMING
            .heartbeat
            .unwrap_or(Duration::from_secs(30));
        let path = I::path_for(&self.caller().unwrap_or_default())?;
        Some(self.heartbeat::<I>(path, interval))
    }

    /// Calls heartbeat interface `I` with `path` every `interval` (gateways ask for about 30 s)
    /// on a tokio task, the first call one interval from now. A transport failure or another
    /// failure code is left to the next beat. Must be called within a tokio runtime.
    pub fn heartbeat<I>(&self, path: I::Path, interval: Duration) -> Heartbeat
    where
        I: Interface<Request = ()>,
        I::Path: Sync,
    {
        let session = self.downgrade();
        let task = tokio::spawn(async move {
            let start = tokio::time::Instant::now() + interval;
            let mut beats = tokio::time::interval_at(start, interval);
            beats.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                beats.tick().await;
                let Some(session) = session.upgrade() else {
                    return;
                };
                if !session.is_signed_in() {
                    return;
                }
                if let Err(ClientError::Gateway(refused)) = session.call::<I>(&path, &()).await {
                    let refusals = &I::PROTOCOL.refusals;
                    if refused.retcode() == refusals.not_signed_in
                        || refused.retcode() == refusals.no_permission
                    {
                        return;
                    }
                }
            }
        });
        Heartbeat { task }
    }
}
