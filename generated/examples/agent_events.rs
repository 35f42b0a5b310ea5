//! The README's event-loop example: agents signed in through one shared client, each in a
//! session of its own; a chairperson requests a conference and waits for its outcome event,
//! then handles its events as they come (tests/readme_events.rs checks that the README shows
//! this file, and runs it against the simulator).
//!
//! `cargo run -p agentgateway-sim -- serve --listen 127.0.0.1:8043`, then
//! `cargo run -p agentgateway --example agent_events -- http://127.0.0.1:8043`.

use std::error::Error;
use std::time::Duration;

use agentgateway::agentconf::{AgentconfClient, RequestAgentConfRequest};
use agentgateway::agentevent::GetAgentEvent;
use agentgateway::onlineagent::{Login, LoginPath, LoginRequest};
use agentgateway::{ErrorCode, Event};
use gatespec::client::{Client, EventStream, Session, StreamExt};

/// Signs `agent` in: a session of its own (its own Guid, renewed on its own) on the shared
/// client.
pub async fn sign_in(
    client: &Client,
    agent: &str,
    password: &str,
) -> Result<Session, Box<dyn Error>> {
    let path = LoginPath {
        agentid: agent.parse()?,
    };
    let credentials = LoginRequest::new(password.to_owned(), "40038".to_owned());
    let (session, _signed_in) = Session::sign_in::<Login>(client, &path, &credentials).await?;
    Ok(session)
}

/// Requests a conference as `chair`, then waits for the event that says how it went
/// (`AgentConf_RequestSuccess` allows the chairperson's operations). Returns that event and
/// the chair's event stream, to go on with.
pub async fn request_conference(
    chair: &Session,
) -> Result<(Event, EventStream<Event, ErrorCode>), Box<dyn Error>> {
    // The stream long-polls the chair's events (and adopts renewed Guids) while it is polled.
    let mut events = chair.event_stream::<GetAgentEvent>();
    let agent = chair.caller().unwrap_or_default().parse()?;
    let conference = AgentconfClient::new(chair.clone());
    conference
        .request_agent_conf(agent, &RequestAgentConfRequest::new(5))
        .await?;
    let outcome = events
        .wait_for(Duration::from_secs(30), |event| {
            matches!(
                event,
                Event::AgentConfRequestSuccess { .. } | Event::AgentConfRequestFailed { .. }
            )
        })
        .await?;
    Ok((outcome, events))
}

/// The event loop: every event of the session until the gateway gives the session up.
pub async fn handle_events(
    mut events: EventStream<Event, ErrorCode>,
) -> Result<(), Box<dyn Error>> {
    while let Some(item) = events.next().await {
        match item {
            Ok(Event::AgentConfParticipantChanged { content, .. }) => {
                println!(
                    "{} in conference {}: {:?}",
                    content.participant, content.conf_id, content.change_type
                );
            }
            // An event type the spec does not list yet: kept whole, the stream goes on.
            Ok(Event::Unknown(raw)) => {
                println!("unlisted event {}: {}", raw.event_type, raw.content)
            }
            Ok(event) => println!("{event:?}"),
            // A terminal error (the session was lost) ends the loop; others are reported.
            Err(e) if e.is_terminal() => return Err(e.into()),
            Err(e) => eprintln!("{e}"),
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let gateway = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8043".to_owned());
    let client = Client::builder(gateway).build()?; // one transport for every agent
    let chair = sign_in(&client, "156", "pw156").await?;
    let _member = sign_in(&client, "201", "pw201").await?; // another session, no cross-talk
    let (outcome, events) = request_conference(&chair).await?;
    println!("{outcome:?}");
    handle_events(events).await
}
