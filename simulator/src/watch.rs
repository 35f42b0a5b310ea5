//! `agentgateway-sim watch`: signs an agent in, prints its events live (one line each) until
//! interrupted, then signs it out.

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use agentgateway::agentevent::{GetAgentEvent, GetAgentEventPath};
use agentgateway::onlineagent::{Login, LoginPath, LoginRequest, Logout, LogoutPath};
use agentgateway::{AgentId, Event, SignInStatus};
use gatespec::EventCatalogue as _;
use gatespec::client::{EventStreamOptions, Session, StreamExt as _};

pub(crate) struct WatchArgs {
    pub(crate) gateway: String,
    pub(crate) agent: String,
    pub(crate) password: String,
    pub(crate) status: SignInStatus,
    pub(crate) ca_cert: Option<PathBuf>,
    pub(crate) danger_accept_invalid_certs: bool,
}

/// One line per event: its type, its agent and, typed, what it carries.
fn line(event: &Event) -> String {
    format!("{} workNo={} {event:?}", event.event_type(), event.agent())
}

pub(crate) async fn watch(args: WatchArgs) -> Result<(), String> {
    let agent: AgentId = args
        .agent
        .parse()
        .map_err(|e| format!("--agent {}: {e}", args.agent))?;
    let options = EventStreamOptions::default();
    // The event stream sets its own, longer timeout on each poll.
    let client = crate::client(
        &args.gateway,
        Duration::from_secs(10),
        args.ca_cert.as_deref(),
        args.danger_accept_invalid_certs,
    )?;
    let mut login = LoginRequest::new(args.password, agent.to_string());
    login.status = Some(args.status);
    let path = LoginPath {
        agentid: agent.clone(),
    };
    let (session, _) = Session::sign_in::<Login>(&client, &path, &login)
        .await
        .map_err(|e| crate::failure("sign-in", e))?;
    eprintln!("signed in as agent {agent}; watching its events (Ctrl-C ends)");
    let mut events = session.events_with::<GetAgentEvent, Event>(
        GetAgentEventPath {
            agentid: agent.clone(),
            calldata: None,
        },
        options,
    );
    let outcome = loop {
        tokio::select! {
            item = events.next() => match item {
                Some(Ok(event)) => {
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(out, "{}", line(&event));
                    let _ = out.flush();
                }
                Some(Err(e)) if !e.is_terminal() => eprintln!("warning: {}", crate::chain(&e)),
                Some(Err(e)) => break Err(format!("event stream: {}", crate::chain(&e))),
                None => break Err("the event stream ended".to_owned()),
            },
            _ = tokio::signal::ctrl_c() => break Ok(()),
        }
    };
    drop(events);
    if outcome.is_ok() {
        session
            .sign_out::<Logout>(&LogoutPath { agentid: agent }, &())
            .await
            .map_err(|e| crate::failure("sign-out", e))?;
        eprintln!("signed out");
    }
    outcome
}
