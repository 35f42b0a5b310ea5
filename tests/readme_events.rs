//! The README's event-loop example (generated/examples/agent_events.rs): the README shows it
//! verbatim, and against the simulator two agents sign in through one client with sessions of
//! their own, and the chair's conference request is answered by `AgentConf_RequestSuccess` on
//! the chair's event stream, which then goes on.

mod loopback;

#[allow(dead_code)]
#[path = "../generated/examples/agent_events.rs"]
mod readme;

use agentgateway::Event;
use gatespec::EventCatalogue;
use loopback::Gateway;

fn workspace_file(path: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(path),
    )
    .unwrap()
}

#[test]
fn the_readme_shows_the_example() {
    let readme = workspace_file("README.md");
    let example = workspace_file("generated/examples/agent_events.rs");
    assert!(
        readme.contains(&format!("```rust\n{example}```\n")),
        "README.md must show generated/examples/agent_events.rs verbatim in a ```rust block"
    );
}

#[tokio::test]
async fn two_agents_on_one_client_and_a_conference_request() {
    let gateway = Gateway::start_default().await;
    let client = gateway.client();
    let chair = readme::sign_in(&client, "156", "pw156").await.unwrap();
    let member = readme::sign_in(&client, "201", "pw201").await.unwrap();
    let (chair_id, member_id) = (chair.session_id().unwrap(), member.session_id().unwrap());
    assert_ne!(chair_id, member_id, "each agent has its own session");
    assert_eq!(gateway.guid("156").await, chair_id);
    assert_eq!(gateway.guid("201").await, member_id);

    let (outcome, mut events) = readme::request_conference(&chair).await.unwrap();
    assert!(
        matches!(&outcome, Event::AgentConfRequestSuccess { agent, .. } if agent == "156"),
        "{outcome:?}"
    );
    // The member's sign-in did not touch the chair's session, and the chair's stream goes on:
    // whatever comes next is the chair's.
    assert_eq!(gateway.guid("156").await, chair.session_id().unwrap());
    if let Ok(next) = events
        .wait_for(std::time::Duration::from_millis(300), |_| true)
        .await
    {
        assert_eq!(next.agent(), "156", "{next:?}");
    }
}
