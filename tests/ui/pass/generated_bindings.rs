//! Using the generated `agentgateway` crate the way a user would: build a request, validate it,
//! render its path, decode a response and match on its code enums.

use agentgateway::agentconf::{QueryConfInfos, QueryConfInfosPath, QueryConfInfosRequest, QueryConfInfosResult};
use agentgateway::{AddressType, AgentId, ConfRole, ConfState, Envelope, ErrorCode};
use gatespec::{CodeEnum, Interface, Validate};

fn main() {
    let path = QueryConfInfosPath { agentid: AgentId::try_from("153").unwrap() };
    assert_eq!(
        gatespec::path_of(&path),
        "/agentgateway/resource/agentconf/153/queryconfinfos"
    );
    assert!(AgentId::try_from("100").is_err(), "agent IDs below 101 cannot be built");
    assert_eq!(QueryConfInfos::METHOD, gatespec::Method::Post);
    assert_eq!(QueryConfInfos::LOG_NAME, "queryConfInfos");

    let request = QueryConfInfosRequest { conf_ids: vec![1029888, 1029889] };
    request.validate().unwrap();
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"confIds":[1029888,1029889]}"#
    );
    let too_many = QueryConfInfosRequest { conf_ids: (0..21).collect() };
    let violations = too_many.validate().unwrap_err();
    assert_eq!(violations.iter().next().unwrap().path, "confIds");

    let body = r#"{"message":"","retcode":"0","result":{"confs":[{"confId":1,"confState":1,
        "startTime":1475745454000,"applyConfTime":60,"confHaveBeenTime":29,"addresses":[
        {"addressType":"9","address":"153","deviceCallType":0,"deviceType":6,"channelAttrib":3,
         "channelState":0,"role":1,"enterTime":1475745454000},
        {"addressType":"3","address":"x","deviceCallType":0,"deviceType":0,"channelAttrib":9,
         "channelState":0,"role":0,"enterTime":1}]}]}}"#;
    let envelope: Envelope<QueryConfInfosResult> = serde_json::from_str(body).unwrap();
    assert_eq!(envelope.retcode, Envelope::<QueryConfInfosResult>::SUCCESS);
    let conf = &envelope.result.unwrap().confs[0];
    match conf.conf_state {
        ConfState::Normal => unreachable!(),
        ConfState::AnnouncementPlaying => {}
        ConfState::Other(code) => panic!("unexpected code {code}"),
    }
    let chair = &conf.addresses[0];
    assert_eq!(chair.role, ConfRole::Chairperson);
    assert_eq!(chair.address_type, AddressType::AgentId);
    assert_eq!(chair.address_type.description(), "Agent ID.");
    // Codes the tables do not list are kept, not fatal: a newer gateway does not break clients.
    let odd = &conf.addresses[1];
    assert_eq!(odd.address_type, AddressType::Other("3".to_owned()));
    assert!(!odd.channel_attrib.is_known());

    assert_eq!(ErrorCode::from_code("100-006").unwrap(), ErrorCode::NotSignedIn);
    assert_eq!(ErrorCode::from_code("999-999").unwrap(), ErrorCode::Other("999-999".to_owned()));
}
