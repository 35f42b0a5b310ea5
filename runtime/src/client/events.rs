//! A session's events as a [`Stream`], read by long-polling a gateway's polling interface.
//!
//! The stream is an unfold over the session: nothing is spawned, so dropping the stream drops
//! the poll in flight and stops polling.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::stream::{self, Stream, StreamExt};

use super::{ClientError, Session};
use crate::event::{EventCatalogue, EventTiming, PollingInterface};
use crate::gateway_error::NoDetail;
use crate::interface::Interface;

/// How an [`EventStream`] polls: the long poll's request timeout, the pause between polls,
/// the back-off after transport failures, and when it gives the session up.
///
/// ```
/// use std::time::Duration;
/// use gatespec::client::EventStreamOptions;
///
/// let options = EventStreamOptions::default()
///     .request_timeout(Duration::from_secs(20))
///     .give_up_after(15, 8);
/// assert_eq!(options.get_request_timeout(), Duration::from_secs(20));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct EventStreamOptions {
    request_timeout: Duration,
    repoll_min: Duration,
    repoll_max: Duration,
    backoff_first: Duration,
    backoff_max: Duration,
    max_refusals: u32,
    max_failures: u32,
}

impl Default for EventStreamOptions {
    /// A 30 s request timeout (a gateway holds a poll about 10 s), a pause of 200-500 ms
    /// between polls, back-off from 500 ms doubling up to 30 s, and the session lost after 15
    /// refusals or 8 transport failures in a row (as gateway vendors' sample clients do).
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            repoll_min: Duration::from_millis(200),
            repoll_max: Duration::from_millis(500),
            backoff_first: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            max_refusals: 15,
            max_failures: 8,
        }
    }
}

impl EventStreamOptions {
    /// The time one poll may take; keep it above the time the gateway holds a poll without
    /// events.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The pause after each answer, drawn evenly from `min..=max` (spreads many agents' polls).
    pub fn repoll_delay(mut self, min: Duration, max: Duration) -> Self {
        self.repoll_min = min;
        self.repoll_max = max.max(min);
        self
    }

    /// The pause after the first transport failure in a row, doubled after each further one up
    /// to `max` (with jitter).
    pub fn backoff(mut self, first: Duration, max: Duration) -> Self {
        self.backoff_first = first;
        self.backoff_max = max.max(first);
        self
    }

    /// The stream ends with [`EventStreamError::SessionLost`] after `refusals` session refusals
    /// in a row (the protocol's `not_signed_in` and `no_permission` codes) or `failures`
    /// transport failures in a row (at least 1 each).
    pub fn give_up_after(mut self, refusals: u32, failures: u32) -> Self {
        self.max_refusals = refusals.max(1);
        self.max_failures = failures.max(1);
        self
    }

    /// The defaults, with what a spec declares of its session's timers: the pause between
    /// polls, and a request timeout of twice the gateway's hold (at least the hold plus 10 s)
    /// so a held poll is never cut short.
    ///
    /// ```
    /// use std::time::Duration;
    /// use gatespec::EventTiming;
    /// use gatespec::client::EventStreamOptions;
    ///
    /// let timing = EventTiming { hold: Some(Duration::from_secs(10)), ..EventTiming::default() };
    /// let options = EventStreamOptions::for_timing(&timing);
    /// assert_eq!(options.get_request_timeout(), Duration::from_secs(20));
    /// ```
    pub fn for_timing(timing: &EventTiming) -> Self {
        let mut options = Self::default();
        if let Some(hold) = timing.hold {
            options.request_timeout = hold
                .saturating_mul(2)
                .max(hold.saturating_add(Duration::from_secs(10)));
        }
        if let Some((min, max)) = timing.repoll {
            options = options.repoll_delay(min, max);
        }
        options
    }

    /// The time one poll may take.
    pub fn get_request_timeout(&self) -> Duration {
        self.request_timeout
    }

    fn repoll(&self) -> Duration {
        jitter(self.repoll_min, self.repoll_max)
    }

    /// The pause after the `n`-th transport failure in a row: half to all of the doubled delay.
    fn backoff_after(&self, n: u32) -> Duration {
        let doubled = self
            .backoff_first
            .saturating_mul(1u32 << n.saturating_sub(1).min(16))
            .min(self.backoff_max);
        jitter(doubled / 2, doubled)
    }
}

fn jitter(min: Duration, max: Duration) -> Duration {
    let (lo, hi) = (min.as_millis() as u64, max.as_millis() as u64);
    Duration::from_millis(fastrand::u64(lo..=hi.max(lo)))
}

/// Why the session was given up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LostReason {
    /// The gateway refused the session this many times in a row (signed out, expired, or
    /// replaced).
    #[error("refused {0} times in a row")]
    Refused(u32),
    /// The gateway could not be reached (or answered a non-success HTTP status) this many
    /// times in a row.
    #[error("{0} transport failures in a row")]
    Unreachable(u32),
    /// The session was signed out (or never signed in) on this side: it holds no session id.
    #[error("signed out")]
    SignedOut,
}

/// What an [`EventStream`] yields instead of an event. `E` is the gateway's error catalogue,
/// `D` the polling interface's failure detail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EventStreamError<E, D = NoDetail> {
    /// The session is gone; the stream ends. Sign in again for a new one.
    #[error("session lost: {reason}")]
    SessionLost {
        /// Why.
        reason: LostReason,
        /// The last failure (`None` when signed out here); also the error's `source()`.
        #[source]
        last: Option<ClientError<E, D>>,
    },
    /// A poll was answered with a body that does not decode as the polling interface's answer;
    /// the stream goes on.
    #[error("undecodable event answer")]
    Undecodable(#[source] ClientError<E, D>),
    /// A poll failed in a way polling again cannot mend (an invalid path, a failure code that
    /// is not a session refusal); the stream ends.
    #[error("event polling failed")]
    Failed(#[source] ClientError<E, D>),
}

impl<E, D> EventStreamError<E, D> {
    /// Whether the stream ends after this item.
    pub fn is_terminal(&self) -> bool {
        !matches!(self, EventStreamError::Undecodable(_))
    }
}

/// Why [`EventStream::wait_for`] returned without the event.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError<E, D = NoDetail> {
    /// No matching event arrived in time (the stream goes on).
    #[error("no matching event in time")]
    Timeout,
    /// The stream ended (or had ended) without a matching event.
    #[error("the event stream ended")]
    Ended,
    /// The stream ended with this error.
    #[error(transparent)]
    Stream(EventStreamError<E, D>),
}

type Item<Ev, E, D> = Result<Ev, EventStreamError<E, D>>;

/// A session's events, in the order the gateway hands them out: a [`Stream`] of
/// `Result<Ev, EventStreamError>` made by [`Session::events`]. It ends after a terminal error
/// ([`EventStreamError::is_terminal`]); dropping it stops polling.
#[must_use = "a stream polls only while it is polled"]
pub struct EventStream<Ev, E, D = NoDetail> {
    inner: Pin<Box<dyn Stream<Item = Item<Ev, E, D>> + Send>>,
}

impl<Ev, E, D> fmt::Debug for EventStream<Ev, E, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

impl<Ev, E, D> Stream for EventStream<Ev, E, D> {
    type Item = Item<Ev, E, D>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<Ev, E, D> EventStream<Ev, E, D> {
    /// Waits up to `timeout` for the first event that `wanted` accepts and returns it; the
    /// events before it are consumed and dropped, and [`Undecodable`](EventStreamError::Undecodable)
    /// answers skipped. "Request a conference, then wait for its success or failure event."
    ///
    /// # Errors
    /// [`WaitError::Timeout`] (the stream can be used on), or the stream's end.
    pub async fn wait_for(
        &mut self,
        timeout: Duration,
        mut wanted: impl FnMut(&Ev) -> bool,
    ) -> Result<Ev, WaitError<E, D>> {
        let search = async {
            while let Some(item) = self.inner.next().await {
                match item {
                    Ok(event) if wanted(&event) => return Ok(event),
                    Ok(_) | Err(EventStreamError::Undecodable(_)) => {}
                    Err(e) => return Err(WaitError::Stream(e)),
                }
            }
            Err(WaitError::Ended)
        };
        tokio::time::timeout(timeout, search)
            .await
            .unwrap_or(Err(WaitError::Timeout))
    }
}

/// What the unfold carries from poll to poll.
struct Poller<I: Interface> {
    session: Session,
    path: I::Path,
    options: EventStreamOptions,
    refusals: u32,
    failures: u32,
    pause: Option<Duration>,
    ended: bool,
}

/// How a failed poll is taken.
enum Failure {
    /// A session refusal: counts towards [`LostReason::Refused`].
    Refusal,
    /// No usable answer: counts towards [`LostReason::Unreachable`].
    Transport,
    /// An answer that does not decode: yielded, and polling goes on.
    Undecodable,
    /// Polling again cannot mend it.
    Fatal,
}

fn classify<I: Interface>(e: &ClientError<I::ErrorCode, I::Failure>) -> Failure {
    let refusals = &I::PROTOCOL.refusals;
    match e {
        ClientError::Gateway(g)
            if g.retcode() == refusals.not_signed_in || g.retcode() == refusals.no_permission =>
        {
            Failure::Refusal
        }
        ClientError::Transport(_) | ClientError::Status { .. } => Failure::Transport,
        ClientError::Decode { .. } | ClientError::TooLarge { .. } => Failure::Undecodable,
        _ => Failure::Fatal,
    }
}

impl Session {
    /// The session's events, read from the gateway's polling interface `I` (generated from its
    /// spec: `session.event_stream::<GetAgentEvent>()`) for the session's own agent, with the
    /// options the spec's timers imply ([`EventStreamOptions::for_timing`]).
    ///
    /// A session that names no valid agent for the polling path (signed in without a caller
    /// parameter, or never) yields one [`EventStreamError::Failed`] and ends.
    pub fn event_stream<I>(&self) -> EventStream<I::Event, I::ErrorCode, I::Failure>
    where
        I: PollingInterface,
        I::Path: Sync,
    {
        let options = EventStreamOptions::for_timing(&<I::Event as EventCatalogue>::TIMING);
        let agent = self.caller().unwrap_or_default();
        match I::path_for(&agent) {
            Some(path) => self.events_with::<I, I::Event>(path, options),
            None => {
                let param = I::PROTOCOL.caller_param.unwrap_or("path");
                let invalid = ClientError::Invalid(super::one_violation(
                    param,
                    "the session's agent cannot fill the polling path",
                ));
                EventStream {
                    inner: Box::pin(stream::once(async {
                        Err(EventStreamError::Failed(invalid))
                    })),
                }
            }
        }
    }

    /// The session's events, read by long-polling interface `I` (whose result is an optional
    /// event: `None` when the gateway had none to hand out) with the default
    /// [`EventStreamOptions`].
    pub fn events<I, Ev>(&self, path: I::Path) -> EventStream<Ev, I::ErrorCode, I::Failure>
    where
        I: Interface<Request = (), Result = Option<Ev>>,
        I::Path: Sync,
        Ev: Send + 'static,
    {
        self.events_with::<I, Ev>(path, EventStreamOptions::default())
    }

    /// [`events`](Self::events) with explicit options.
    ///
    /// Each poll sends the session's current id and adopts a renewed one from the answer (so
    /// every clone of the session goes on with it); after each answer the stream pauses for
    /// the re-poll delay; a transport failure backs off; refusals of the session (the
    /// protocol's `not_signed_in` and `no_permission` codes) and transport failures are
    /// counted in a row, and the stream ends with [`EventStreamError::SessionLost`] once
    /// either reaches its limit, or as soon as the session is signed out here.
    pub fn events_with<I, Ev>(
        &self,
        path: I::Path,
        options: EventStreamOptions,
    ) -> EventStream<Ev, I::ErrorCode, I::Failure>
    where
        I: Interface<Request = (), Result = Option<Ev>>,
        I::Path: Sync,
        Ev: Send + 'static,
    {
        let poller = Poller::<I> {
            session: self.clone(),
            path,
            options,
            refusals: 0,
            failures: 0,
            pause: None,
            ended: false,
        };
        EventStream {
            inner: Box::pin(stream::unfold(poller, next_event::<I, Ev>)),
        }
    }
}

/// Polls until there is something to yield: an event, an undecodable answer, or the end.
async fn next_event<I, Ev>(
    mut p: Poller<I>,
) -> Option<(Item<Ev, I::ErrorCode, I::Failure>, Poller<I>)>
where
    I: Interface<Request = (), Result = Option<Ev>>,
{
    if p.ended {
        return None;
    }
    loop {
        if let Some(pause) = p.pause.take() {
            tokio::time::sleep(pause).await;
        }
        if !p.session.is_signed_in() {
            p.ended = true;
            let lost = EventStreamError::SessionLost {
                reason: LostReason::SignedOut,
                last: None,
            };
            return Some((Err(lost), p));
        }
        let outcome = p
            .session
            .call_within::<I>(&p.path, &(), Some(p.options.request_timeout))
            .await;
        let e = match outcome {
            Ok(answer) => {
                p.refusals = 0;
                p.failures = 0;
                p.pause = Some(p.options.repoll());
                match answer {
                    Some(event) => return Some((Ok(event), p)),
                    None => continue,
                }
            }
            Err(e) => e,
        };
        match classify::<I>(&e) {
            Failure::Refusal => {
                p.refusals += 1;
                p.failures = 0;
                if p.refusals >= p.options.max_refusals {
                    return Some((Err(p.lose(LostReason::Refused(p.refusals), e)), p));
                }
                // A refusal answers at once: wait as between polls (a renewal may be racing).
                p.pause = Some(p.options.repoll());
            }
            Failure::Transport => {
                p.failures += 1;
                p.refusals = 0;
                if p.failures >= p.options.max_failures {
                    return Some((Err(p.lose(LostReason::Unreachable(p.failures), e)), p));
                }
                p.pause = Some(p.options.backoff_after(p.failures));
            }
            Failure::Undecodable => {
                // The gateway answered: the session is neither refused nor unreachable.
                p.failures = 0;
                p.refusals = 0;
                p.pause = Some(p.options.repoll());
                return Some((Err(EventStreamError::Undecodable(e)), p));
            }
            Failure::Fatal => {
                p.ended = true;
                return Some((Err(EventStreamError::Failed(e)), p));
            }
        }
    }
}

impl<I: Interface> Poller<I> {
    fn lose(
        &mut self,
        reason: LostReason,
        last: ClientError<I::ErrorCode, I::Failure>,
    ) -> EventStreamError<I::ErrorCode, I::Failure> {
        self.ended = true;
        EventStreamError::SessionLost {
            reason,
            last: Some(last),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        let options = EventStreamOptions::default()
            .backoff(Duration::from_millis(100), Duration::from_millis(1000));
        for (n, full) in [
            (1, 100),
            (2, 200),
            (3, 400),
            (4, 800),
            (5, 1000),
            (40, 1000),
        ] {
            let pause = options.backoff_after(n).as_millis();
            assert!((full / 2..=full).contains(&pause), "{n}: {pause}");
        }
    }

    #[test]
    fn repoll_stays_in_its_range() {
        let options = EventStreamOptions::default();
        for _ in 0..100 {
            let pause = options.repoll().as_millis();
            assert!((200..=500).contains(&pause), "{pause}");
        }
    }
}
