//! Validation reports every violation, in field order, with the right wire-name path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use gatespec::{Constraint, LengthUnit, Validate, Violations};
use proptest::prelude::*;
use support::*;

fn envelope(confs: Vec<ConfInfo>) -> Envelope<ConfInfos> {
    Envelope {
        message: String::new(),
        retcode: "0".to_owned(),
        result: Some(ConfInfos { confs }),
    }
}

#[test]
fn path_of_a_deep_violation() {
    let mut confs: Vec<ConfInfo> = (0..4).map(|_| conf(1)).collect();
    confs[3].addresses[0].role = 7;
    let violations = envelope(confs).validate().unwrap_err();
    assert_eq!(violations.len(), 1);
    let v = &violations.as_slice()[0];
    assert_eq!(v.path, "result.confs[3].addresses[0].role");
    assert_eq!(
        v.constraint,
        Constraint::Range {
            min: Some(0),
            max: Some(1)
        }
    );
    assert_eq!(v.value, "7");
    assert_eq!(
        v.to_string(),
        "result.confs[3].addresses[0].role: 7 is not in 0..=1"
    );
}

#[test]
fn every_violation_is_reported() {
    let mut c = conf(2);
    c.apply_conf_time = -1;
    c.addresses[0].address = "1234567890123456789012345".to_owned();
    c.addresses[1].device_type = 256;
    c.addresses[1].channel_attrib = 0;
    let mut response = envelope(vec![conf(0), c]);
    response.retcode = "1".to_owned();
    let violations = response.validate().unwrap_err();
    let lines: Vec<String> = violations.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "result.confs[1].applyConfTime: -1 is not in 0..",
            "result.confs[1].addresses[0].address: \"1234567890123456789012345\" is 25 bytes long, expected at most 24 bytes",
            "result.confs[1].addresses[1].deviceType: 256 is not in 0..=255",
            "result.confs[1].addresses[1].channelAttrib: 0 is not in 1..=3",
        ]
    );
    assert!(!violations.is_truncated());
    assert_eq!(
        violations.as_slice()[1].constraint,
        Constraint::Length {
            min: None,
            max: Some(24),
            unit: LengthUnit::Bytes,
            actual: 25
        }
    );
}

#[test]
fn required_and_items() {
    let missing: Envelope<ConfInfos> =
        serde_json::from_str(r#"{"message":"","retcode":"0"}"#).unwrap();
    assert_eq!(
        missing.validate().unwrap_err().to_string(),
        "result: is required but missing"
    );
    let empty = QueryConfInfos { conf_ids: vec![] };
    assert_eq!(
        empty.validate().unwrap_err().to_string(),
        "confIds: array has 0 items, expected 1 to 20 items"
    );
    let many = QueryConfInfos {
        conf_ids: (0..21).collect(),
    };
    let err = many.validate().unwrap_err();
    assert_eq!(err.as_slice()[0].value, "[21 items]");
    assert_eq!(
        err.as_slice()[0].constraint,
        Constraint::Items {
            min: Some(1),
            max: Some(20),
            actual: 21
        }
    );
}

#[test]
fn limit_caps_the_work() {
    let mut c = conf(10_000);
    for p in &mut c.addresses {
        p.role = 9;
        p.channel_state = 9;
    }
    let response = envelope(vec![c]);
    let violations = response.validate().unwrap_err();
    assert_eq!(violations.len(), Violations::DEFAULT_LIMIT);
    assert!(violations.is_truncated());
    assert!(
        violations
            .to_string()
            .ends_with("(stopped after 100 violations; there may be more)")
    );
    let violations = response.validate_with_limit(3).unwrap_err();
    let paths: Vec<&str> = violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            // 10 000 participants break `items(max = 120)` first ...
            "result.confs[0].addresses",
            // ... then each participant's fields, until the limit.
            "result.confs[0].addresses[0].channelState",
            "result.confs[0].addresses[0].role",
        ]
    );
}

#[derive(Debug, Clone)]
struct Faults {
    apply: i32,
    been: i32,
    people: Vec<(usize, i32, i32, i32, i32, i32)>,
}

fn faults() -> impl Strategy<Value = Vec<Faults>> {
    let person = (
        0usize..30,
        -2i32..260,
        -2i32..260,
        -1i32..5,
        -1i32..4,
        -1i32..3,
    );
    let conf = (-2i32..3, -2i32..3, prop::collection::vec(person, 0..4)).prop_map(
        |(apply, been, people)| Faults {
            apply,
            been,
            people,
        },
    );
    prop::collection::vec(conf, 0..5)
}

fn build(faults: &[Faults]) -> (Envelope<ConfInfos>, Vec<String>) {
    let mut expected = Vec::new();
    let mut confs = Vec::new();
    for (i, f) in faults.iter().enumerate() {
        let mut c = conf(0);
        c.apply_conf_time = f.apply;
        c.conf_have_been_time = f.been;
        if f.apply < 0 {
            expected.push(format!("result.confs[{i}].applyConfTime"));
        }
        if f.been < 0 {
            expected.push(format!("result.confs[{i}].confHaveBeenTime"));
        }
        for (j, &(len, call, dev, attrib, state, role)) in f.people.iter().enumerate() {
            let mut p = participant();
            p.address = "7".repeat(len);
            p.device_call_type = call;
            p.device_type = dev;
            p.channel_attrib = attrib;
            p.channel_state = state;
            p.role = role;
            let at = |field: &str| format!("result.confs[{i}].addresses[{j}].{field}");
            if len > 24 {
                expected.push(at("address"));
            }
            if !(0..=255).contains(&call) {
                expected.push(at("deviceCallType"));
            }
            if !(0..=255).contains(&dev) {
                expected.push(at("deviceType"));
            }
            if !(1..=3).contains(&attrib) {
                expected.push(at("channelAttrib"));
            }
            if !(0..=2).contains(&state) {
                expected.push(at("channelState"));
            }
            if !(0..=1).contains(&role) {
                expected.push(at("role"));
            }
            c.addresses.push(p);
        }
        confs.push(c);
    }
    (envelope(confs), expected)
}

proptest! {
    #[test]
    fn reports_exactly_the_expected_paths(faults in faults()) {
        let (response, expected) = build(&faults);
        let found: Vec<String> = match response.validate() {
            Ok(()) => Vec::new(),
            Err(violations) => violations.iter().map(|v| v.path.clone()).collect(),
        };
        prop_assert_eq!(&found, &expected);
        // Through JSON too: wire names are what the paths use.
        let json = serde_json::to_string(&response).unwrap();
        let parsed: Envelope<ConfInfos> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(parsed.validate().err().map(|v| v.len()).unwrap_or(0), expected.len());
    }

    #[test]
    fn a_limit_keeps_the_first_violations(faults in faults(), limit in 1usize..6) {
        let (response, expected) = build(&faults);
        let found: Vec<String> = match response.validate_with_limit(limit) {
            Ok(()) => Vec::new(),
            Err(violations) => {
                prop_assert_eq!(violations.is_truncated(), expected.len() >= limit);
                violations.iter().map(|v| v.path.clone()).collect()
            }
        };
        let kept = expected.len().min(limit);
        prop_assert_eq!(&found[..], &expected[..kept]);
    }
}
