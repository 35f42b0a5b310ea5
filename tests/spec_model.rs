//! The checked-in queryconfinfos spec becomes the model the vendor page describes.

use std::path::Path;

use gatespec_codegen::model::{
    Direction, PathSegment, Prerequisite, RuleKind, Scalar, Shape, Spec,
};
use gatespec_codegen::raw::{CodeValue, Method, Unit};

fn spec() -> Spec {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let checked = gatespec_codegen::check_path(&root);
    checked.spec.expect("spec/ is valid")
}

#[test]
fn queryconfinfos_interface() {
    let spec = spec();
    let i = spec
        .interfaces
        .iter()
        .find(|i| i.log_name == "queryConfInfos")
        .expect("queryConfInfos");
    assert_eq!(i.method, Method::Post);
    assert_eq!(
        i.path,
        vec![
            PathSegment::Literal("/agentgateway/resource/agentconf/".to_owned()),
            PathSegment::Param(0),
            PathSegment::Literal("/queryconfinfos".to_owned()),
        ]
    );
    let agentid = &i.path_params[0];
    assert_eq!(agentid.name, "agentid");
    let Shape::Newtype(agent_id, Scalar::String) = agentid.shape else {
        panic!("agentid is the AgentId scalar")
    };
    let agent_id = spec.scalar(agent_id);
    assert_eq!(agent_id.name, "AgentId");
    assert_eq!(agent_id.scalar, Scalar::String);
    let range = agent_id.range.expect("agentid range");
    assert_eq!((range.min, range.max), (Some(101), Some(59999)));

    let headers: Vec<&str> = i
        .headers
        .iter()
        .map(|h| spec.headers[h.0].name.as_str())
        .collect();
    assert_eq!(headers, ["Content-Type", "Guid"]);
    assert!(matches!(
        i.prerequisites.as_slice(),
        [Prerequisite::SignedIn { .. }]
    ));
    let roles: Vec<&str> = i
        .visibility
        .iter()
        .map(|v| spec.roles[v.role.0].name.as_str())
        .collect();
    assert_eq!(roles, ["inspector", "agent"]);
    let errors: Vec<&str> = i
        .errors
        .iter()
        .map(|e| spec.errors[e.0].code.as_str())
        .collect();
    assert_eq!(errors, ["000-002", "100-006", "100-007"]);

    let request = spec.table(i.request.expect("request body"));
    let conf_ids = &request.fields[0];
    assert_eq!(conf_ids.name, "confIds");
    assert_eq!(
        conf_ids.shape,
        Shape::Array(Box::new(Shape::Scalar(Scalar::Long)))
    );
    assert_eq!(conf_ids.items.and_then(|r| r.max), Some(20));

    let result = spec.table(
        i.result
            .as_ref()
            .and_then(|r| r.table())
            .expect("result table"),
    );
    let Shape::Array(item) = &result.fields[0].shape else {
        panic!("confs is an array")
    };
    let Shape::Object(conf_info) = **item else {
        panic!("confs holds ConfInfo objects")
    };
    let conf_info = spec.table(conf_info);
    assert_eq!(conf_info.name, "ConfInfo");
    let start = conf_info
        .fields
        .iter()
        .find(|f| f.name == "startTime")
        .expect("startTime");
    assert_eq!(start.unit, Some(Unit::EpochMilliseconds));
    assert_eq!(start.shape, Shape::Scalar(Scalar::Long));
    assert!(!i.notes.is_empty(), "the page's mistakes are recorded");
}

#[test]
fn code_tables() {
    let spec = spec();
    let table = |name: &str| {
        spec.code_tables
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let address = table("AddressType");
    let codes: Vec<&CodeValue> = address.codes.iter().map(|c| &c.value).collect();
    assert_eq!(
        codes,
        [&CodeValue::Str("6".into()), &CodeValue::Str("9".into())]
    );
    assert!(!address.notes.is_empty(), "the \"3\" decision is recorded");
    assert_eq!(table("ConfState").codes.len(), 2);
    assert_eq!(table("ChannelState").codes.len(), 3);
    assert_eq!(table("ConfRole").codes[1].meaning, "Chairperson.");
    assert_eq!(table("UserDefinedDeviceType").codes.len(), 8);
    assert_eq!(spec.errors.len(), 23);
}

#[test]
fn spans_point_back_into_the_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let checked = gatespec_codegen::check_path(&root);
    let spec = checked.spec.expect("valid");
    let conf_info = spec
        .tables
        .iter()
        .find(|t| t.name == "ConfInfo")
        .expect("ConfInfo");
    let location = checked.sources.location(conf_info.fields[1].span);
    assert!(
        location.ends_with("queryconfinfos.yaml:152:15"),
        "{location}"
    );
}

#[test]
fn sign_in_declares_its_session_header() {
    let spec = spec();
    let login = spec
        .interfaces
        .iter()
        .find(|i| i.log_name == "login")
        .expect("login");
    let names: Vec<&str> = login
        .response_headers
        .iter()
        .map(|h| spec.headers[h.0].name.as_str())
        .collect();
    assert_eq!(names, ["Set-GUID"]);
    let set_guid = &spec.headers[login.response_headers[0].0];
    assert_eq!(
        set_guid.purpose,
        Some(gatespec_codegen::raw::HeaderPurpose::RenewSession)
    );
    // Sign-in is the one interface without the session header.
    assert!(
        login
            .headers
            .iter()
            .all(|h| spec.headers[h.0].name != "Guid")
    );
}

#[test]
fn the_protocol_is_declared_in_the_spec() {
    let spec = spec();
    let protocol = &spec.protocol;
    let code = |id: gatespec_codegen::model::ErrorId| spec.errors[id.0].code.as_str();
    assert_eq!(spec.envelopes[protocol.envelope.0].name, "Envelope");
    assert_eq!(
        protocol
            .session_header
            .map(|h| spec.headers[h.0].name.as_str()),
        Some("Guid")
    );
    let renewal = protocol.renewal.as_ref().expect("a renewal header");
    assert_eq!(spec.headers[renewal.header.0].name, "Set-GUID");
    assert_eq!(
        (renewal.prefix.as_str(), renewal.suffix.as_str()),
        ("JSESSIONID=", "")
    );
    assert_eq!(protocol.caller_param.as_deref(), Some("agentid"));
    let refusals = protocol.refusals;
    assert_eq!(
        [
            code(refusals.invalid_parameter),
            code(refusals.not_signed_in),
            code(refusals.no_permission),
            code(refusals.missing_role),
            code(refusals.internal_error),
            code(refusals.unknown_path),
        ],
        [
            "000-002", "100-006", "000-003", "000-003", "100-007", "000-002"
        ]
    );

    // queryvdnconfid refuses a common agent with its own code.
    let query_all = spec
        .interfaces
        .iter()
        .find(|i| i.log_name == "queryAllConfIds")
        .expect("queryAllConfIds");
    assert_eq!(query_all.role_refusal.map(code), Some("101-004"));

    // stopvoicetoconf's result exists only on failure.
    let stop = spec
        .interfaces
        .iter()
        .find(|i| i.log_name == "stopVoiceToConf")
        .expect("stopVoiceToConf");
    assert!(stop.result.is_none());
    let failure = spec.table(stop.failure.expect("a failure result"));
    assert_eq!(failure.name, "StopVoiceToConfFailure");
    assert_eq!(failure.fields[0].name, "errorReason");
    assert_eq!(failure.fields[0].shape, Shape::Scalar(Scalar::Int));
}

#[test]
fn codes_per_direction_meanings_and_rules() {
    let spec = spec();
    let table = |name: &str| {
        spec.code_tables
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    // A result reaches AddressType and the spec leaves unknown codes to the direction.
    let address = table("AddressType");
    assert!(address.keeps_unknown(Direction::Response));
    assert!(!address.keeps_unknown(Direction::Request));
    // User-defined device types keep unknown codes in requests too.
    assert!(table("UserDefinedDeviceType").keeps_unknown(Direction::Request));
    // playMode 2's other meaning is recorded.
    let play_file = &table("PlayMode").codes[0];
    assert_eq!(play_file.also[0].meaning, "Play in a loop.");

    let request = spec
        .tables
        .iter()
        .find(|t| t.name == "RequestAgentConfRequest")
        .expect("requestagentconf body");
    let [rule] = request.rules.as_slice() else {
        panic!("one rule: {:?}", request.rules)
    };
    assert!(
        !rule.enforce,
        "the gateway corrects promptTime, it does not refuse it"
    );
    assert!(matches!(
        &rule.kind,
        RuleKind::LessThan { field, than, otherwise: Some(_) } if field == "promptTime" && than == "time"
    ));

    let logout = spec
        .interfaces
        .iter()
        .find(|i| i.log_name == "logout")
        .expect("logout");
    assert!(matches!(
        logout.prerequisites.as_slice(),
        [
            Prerequisite::SignedIn { .. },
            Prerequisite::Condition { .. }
        ]
    ));
    assert_eq!(logout.examples.len(), 1);
}
