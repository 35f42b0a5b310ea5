//! The README's server example (generated/examples/server.rs): the README shows it verbatim,
//! and the server it builds answers the generated clients end to end: sign-in hands out a
//! session, a catalogue refusal, a refusal with its failure detail, an interface the example does
//! not implement answered by its default method, sign-out, and unknown paths.

#[allow(dead_code)]
#[path = "../generated/examples/server.rs"]
mod readme;

use agentgateway::agentconf::{AgentconfClient, QueryConfInfosRequest, StopVoiceToConfFailure};
use agentgateway::onlineagent::{
    Login, LoginPath, LoginRequest, Logout, LogoutPath, OnlineagentClient,
};
use agentgateway::{AgentId, ErrorCode};
use gatespec::client::{Client, ClientError, Session};

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
    let example = workspace_file("generated/examples/server.rs");
    assert!(
        readme.contains(&format!("```rust\n{example}```\n")),
        "README.md must show generated/examples/server.rs verbatim in a ```rust block"
    );
}

fn agent(id: &str) -> AgentId {
    id.parse().unwrap()
}

#[tokio::test]
async fn the_example_server_answers_end_to_end() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(readme::serve(listener));
    let client = Client::builder(&base).build().unwrap();
    let path = LoginPath {
        agentid: agent("153"),
    };

    // A wrong password, then sign-in with a session handed out in `Set-GUID`.
    let wrong = Session::sign_in::<Login>(
        &client,
        &path,
        &LoginRequest::new("guess".into(), "40038".into()),
    )
    .await;
    let Err(ClientError::Gateway(wrong)) = wrong else {
        panic!("expected a refusal, got {wrong:?}")
    };
    assert_eq!(wrong.code(), Some(&ErrorCode::WrongCredentials));
    let (session, signed_in) = Session::sign_in::<Login>(
        &client,
        &path,
        &LoginRequest::new("secret".into(), "40038".into()).with_autoanswer(false),
    )
    .await
    .unwrap();
    assert_eq!(signed_in.workno.as_deref(), Some("153"));
    let guid = session.session_id().unwrap();

    // A catalogue refusal with the server's message, and one with a failure detail.
    let conferences = AgentconfClient::new(session.clone());
    let refused = conferences
        .query_conf_infos(agent("153"), &QueryConfInfosRequest { conf_ids: vec![1] })
        .await
        .unwrap_err();
    let refused = refused.gateway().unwrap();
    assert_eq!(refused.code(), Some(&ErrorCode::NoConference));
    assert_eq!(refused.message(), "agent 153 has no conference");
    let refused = conferences
        .stop_voice_to_conf(agent("153"))
        .await
        .unwrap_err();
    assert_eq!(
        refused.gateway().unwrap().detail(),
        Some(&StopVoiceToConfFailure { error_reason: 1 })
    );

    // An interface the example does not implement: its default method answers 000-002.
    let online = OnlineagentClient::new(session.clone());
    let refused = online.say_free(agent("153")).await.unwrap_err();
    let refused = refused.gateway().unwrap();
    assert_eq!(refused.code(), Some(&ErrorCode::InvalidParameter));
    assert!(
        refused
            .message()
            .ends_with(": this server does not implement `sayFree`"),
        "{}",
        refused.message()
    );
    // The router checks first: another agent's path is refused before any handler.
    let other = conferences
        .query_conf_infos(agent("154"), &QueryConfInfosRequest { conf_ids: vec![1] })
        .await
        .unwrap_err();
    assert_eq!(
        other.gateway().unwrap().code(),
        Some(&ErrorCode::NoPermission)
    );

    // Sign-out: the old Guid is refused afterwards.
    session
        .sign_out::<Logout>(
            &LogoutPath {
                agentid: agent("153"),
            },
            &(),
        )
        .await
        .unwrap();
    let stale = AgentconfClient::new(Session::resume(
        &Client::builder(&base).build().unwrap(),
        guid,
    ));
    let refused = stale.stop_voice_to_conf(agent("153")).await.unwrap_err();
    assert_eq!(
        refused.gateway().unwrap().code(),
        Some(&ErrorCode::NoPermission)
    );

    // Unknown paths get the envelope with HTTP 404.
    let unknown = reqwest::get(format!("{base}/agentgateway/resource/nowhere"))
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    task.abort();
}
