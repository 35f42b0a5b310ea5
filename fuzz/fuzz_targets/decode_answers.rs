//! Decoding arbitrary bytes as the answer of every generated interface, and decoding and
//! validating them as its request body (what a server does): never a panic, and whatever
//! decodes re-encodes.
#![no_main]

use gatespec::client::decode_answer;
use gatespec::{Interface, Validate};
use libfuzzer_sys::fuzz_target;

use agentgateway::agentconf::*;
use agentgateway::agentevent::*;
use agentgateway::onlineagent::*;

fn answer_and_request<I: Interface>(data: &[u8]) {
    if let Ok(result) = decode_answer::<I>(200, data) {
        serde_json::to_vec(&result).expect("a decoded result encodes");
    }
    if let Ok(request) = serde_json::from_slice::<I::Request>(data) {
        let _ = request.validate();
        serde_json::to_vec(&request).expect("a decoded request encodes");
    }
}

/// The number of operations of the embedded OpenAPI document, read once.
fn operations() -> usize {
    static OPERATIONS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *OPERATIONS.get_or_init(|| {
        let document: serde_json::Value =
            serde_json::from_str(agentgateway_sim::OPENAPI).expect("the embedded document");
        document["paths"].as_object().map_or(0, |paths| {
            paths
                .values()
                .filter_map(|p| p.as_object())
                .map(|p| p.len())
                .sum()
        })
    })
}

macro_rules! every_interface {
    ($data:expr, $($interface:ty),* $(,)?) => {{
        let all: &[fn(&[u8])] = &[$(answer_and_request::<$interface>),*];
        all
    }};
}

fuzz_target!(|data: &[u8]| {
    let interfaces = every_interface!(
        data,
        AnswerAgentConf,
        ApplyToShiftPresident,
        BatchAddParticipant,
        BatchRemoveParticipant,
        ChangeParticipantMode,
        HoldParticipant,
        ModifyConfResource,
        PlayVoiceToConf,
        PlayVoiceToParticipant,
        ProlongTime,
        QueryConfInfos,
        QueryAllConfIds,
        RejectAgentConf,
        ReleaseAgentConf,
        RequestAgentConf,
        RequestLeaveAgentConf,
        StopVoiceToConf,
        StopVoiceToParticipant,
        UnholdParticipant,
        GetAgentStatus,
        ForceLogin,
        HandShake,
        Login,
        Logout,
        SayFree,
        UpdateGuid,
        GetAgentEvent,
    );
    // Every interface of the spec is in the list (the OpenAPI document has one operation each).
    assert_eq!(
        interfaces.len(),
        operations(),
        "an interface is missing from the list"
    );
    // The first byte picks the interface, so that each gets inputs of its own.
    if let Some((pick, rest)) = data.split_first() {
        interfaces[usize::from(*pick) % interfaces.len()](rest);
    }
});
