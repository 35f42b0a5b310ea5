//! Codes per direction over loopback sockets, against the simulator: a code the table does not
//! list is kept when a gateway sends it, but a server refuses it in a request with the
//! invalid-parameter code before any handler runs, and the generated client does not send it.

use agentgateway::agentconf::{AgentconfClient, ChangeParticipantModeRequest};
use agentgateway::{AddressType, AgentId, ChannelAttrib, ErrorCode};
use gatespec::client::{Client, ClientError, Session};
use serde_json::Value;

mod loopback;
use loopback::Gateway;

#[tokio::test]
async fn an_unlisted_address_type_is_refused_in_a_request() {
    let gw = Gateway::start_default().await;
    let guid = gw.sim.session_of("153").await.unwrap().guid.clone();
    let before = gw.sim.handled_calls();
    let response = reqwest::Client::new()
        .post(format!(
            "{}/agentgateway/resource/agentconf/153/changeparticipantmode",
            gw.base
        ))
        .header("Guid", &guid)
        .header("Content-Type", "application/json; charset=UTF-8")
        .body(r#"{"attribute":1,"addressType":"3","address":"70005"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let envelope: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(envelope["retcode"], "000-002", "{envelope}");
    let message = envelope["message"].as_str().unwrap();
    assert!(
        message.contains("addressType") && message.contains("\"3\""),
        "{message}"
    );
    assert_eq!(gw.sim.handled_calls(), before, "the handler must not run");

    // The generated client refuses to send the same body.
    let client = AgentconfClient::new(Session::resume(
        &Client::builder(&gw.base).build().unwrap(),
        guid,
    ));
    let body = ChangeParticipantModeRequest {
        attribute: ChannelAttrib::ListenOnly,
        address_type: AddressType::Other("3".to_owned()),
        address: "70005".to_owned(),
    };
    let agent: AgentId = "153".parse().unwrap();
    match client.change_participant_mode(agent, &body).await {
        Err(ClientError::<ErrorCode>::Invalid(violations)) => {
            assert_eq!(violations.as_slice()[0].path, "addressType");
        }
        other => panic!("expected an invalid request, got {other:?}"),
    }
    assert_eq!(gw.sim.handled_calls(), before);
}
