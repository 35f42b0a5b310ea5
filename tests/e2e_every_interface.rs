//! The simulator implements every interface of the spec. The AgentGateway services have default
//! server methods (`server_defaults: not_supported`), so a missing handler would still compile
//! and answer 000-002; here each interface of `spec/` is called with its example request, as
//! inspector 200, and must reach one of the simulator's handlers (its count of handled calls
//! grows by one), which a default method never does.

#[allow(dead_code)]
mod loopback;

use std::path::Path;

use agentgateway::agentconf::{
    BatchAddParticipantRequest, BatchRemoveParticipantRequest, ChangeParticipantModeRequest,
    PlayVoiceToConfRequest, PlayVoiceToParticipantRequest, StopVoiceToParticipantRequest,
    UnholdParticipantRequest,
};
use agentgateway::onlineagent::ForceLoginRequest;
use agentgateway::{AddressType, ChannelAttrib, InvitedParticipant, ParticipantAddress};
use gatespec_codegen::model::{Interface, PathSegment, Spec};
use gatespec_codegen::raw::Method;
use loopback::Gateway;

const DATA: &str = include_str!("../simulator/src/default-data.yaml");
const AGENT: &str = "200";

fn spec() -> Spec {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    gatespec_codegen::check_path(&root)
        .spec
        .expect("spec/ is clean")
}

/// The interface's path with the caller's id, its other URI parameters and its query
/// parameters from its examples.
fn url(base: &str, interface: &Interface) -> String {
    let example = |name: &str| {
        interface
            .examples
            .iter()
            .flat_map(|e| e.path_params.iter().chain(&e.query_params))
            .find(|entry| entry.name == name)
            .map(|entry| entry.value.clone())
    };
    let mut url = base.to_owned();
    for segment in &interface.path {
        match segment {
            PathSegment::Literal(text) => url.push_str(text),
            PathSegment::Param(i) => {
                let name = &interface.path_params[*i].name;
                let value = if name == "agentid" {
                    AGENT.to_owned()
                } else {
                    example(name).unwrap_or_else(|| panic!("{}: an example `{name}`", interface.id))
                };
                url.push_str(&value);
            }
        }
    }
    for (i, query) in interface.query_params.iter().enumerate() {
        if let Some(value) = example(&query.name) {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&format!("{}={value}", query.name));
        }
    }
    url
}

/// A valid body for the interfaces whose vendor page shows no example request, built with the
/// generated types.
fn body_without_example(interface: &str) -> Option<String> {
    let phone = || "70001".to_owned();
    let voice = || "y:/conf/120/1136287.V3".to_owned();
    let json = match interface {
        "batch_add_participant" => serde_json::to_string(&BatchAddParticipantRequest::new(vec![
            InvitedParticipant::new(AddressType::PhoneNumber, phone()),
        ])),
        "batch_remove_participant" => serde_json::to_string(&BatchRemoveParticipantRequest {
            addresses: vec![ParticipantAddress {
                address_type: AddressType::PhoneNumber,
                address: phone(),
            }],
        }),
        "change_participant_mode" => serde_json::to_string(&ChangeParticipantModeRequest {
            attribute: ChannelAttrib::ListenOnly,
            address_type: AddressType::PhoneNumber,
            address: phone(),
        }),
        "play_voice_to_conf" => serde_json::to_string(&PlayVoiceToConfRequest::new(voice())),
        "play_voice_to_participant" => serde_json::to_string(&PlayVoiceToParticipantRequest::new(
            AddressType::PhoneNumber,
            phone(),
            voice(),
        )),
        "stop_voice_to_participant" => serde_json::to_string(&StopVoiceToParticipantRequest {
            address_type: AddressType::PhoneNumber,
            address: phone(),
        }),
        "unhold_participant" => serde_json::to_string(&UnholdParticipantRequest {
            address_type: AddressType::PhoneNumber,
            address: phone(),
        }),
        "force_login" => serde_json::to_string(&ForceLoginRequest::new(
            "wrong".to_owned(),
            "40038".to_owned(),
        )),
        _ => return None,
    };
    Some(json.unwrap())
}

fn method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    }
}

#[tokio::test]
async fn every_interface_of_the_spec_reaches_a_simulator_handler() {
    let spec = spec();
    // The event poll holds only briefly: agent 200 has no event queued.
    let options = agentgateway_sim::Options {
        hold: std::time::Duration::from_millis(100),
        ..agentgateway_sim::Options::default()
    };
    let gateway = Gateway::start_with(DATA, options).await;
    // Sign-in, forced sign-in and sign-out change the caller's session: they go last.
    let last = ["login", "force_login", "logout"];
    let mut interfaces: Vec<&Interface> = spec
        .interfaces
        .iter()
        .filter(|i| !last.contains(&i.id.as_str()))
        .collect();
    interfaces.extend(last.iter().map(|id| {
        spec.interfaces
            .iter()
            .find(|i| i.id == *id)
            .unwrap_or_else(|| panic!("the spec has `{id}`"))
    }));
    assert_eq!(interfaces.len(), spec.interfaces.len());

    let http = reqwest::Client::new();
    for interface in interfaces {
        let guid = gateway
            .sim
            .session_of(AGENT)
            .await
            .expect("200 is signed in")
            .guid;
        let mut request = http
            .request(method(interface.method), url(&gateway.base, interface))
            .header("Guid", guid);
        if interface.request.is_some() {
            let body = interface
                .examples
                .iter()
                .find_map(|e| e.request.as_ref())
                .map(|example| example.text.clone())
                .or_else(|| body_without_example(&interface.id))
                .unwrap_or_else(|| panic!("{}: a body to send", interface.id));
            request = request
                .header("Content-Type", "application/json; charset=UTF-8")
                .body(body);
        }
        let before = gateway.sim.handled_calls();
        let answer = request.send().await.unwrap();
        let text = answer.text().await.unwrap();
        assert_eq!(
            gateway.sim.handled_calls(),
            before + 1,
            "{} ({}) did not reach a simulator handler: {text}",
            interface.id,
            interface.log_name
        );
        assert!(!text.contains("this server does not implement"), "{text}");
    }
}
