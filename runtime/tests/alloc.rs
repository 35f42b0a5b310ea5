//! The success path of validation allocates nothing. This binary installs a counting global
//! allocator (`allocation-counter`), so it holds only these tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use allocation_counter::measure;
use gatespec::{CodeEnum, Constrained, Validate, ValidationContext, Violations};
use support::*;

#[test]
fn valid_values_validate_without_allocating() {
    let response = Envelope {
        message: String::new(),
        retcode: "0".to_owned(),
        result: Some(ConfInfos {
            confs: (0..20).map(|_| conf(120)).collect(),
        }),
    };
    let request = QueryConfInfos {
        conf_ids: (0..20).collect(),
    };
    let agent_id = "153".to_owned();
    let info = measure(|| {
        assert!(response.validate().is_ok());
        assert!(response.validate_with_limit(1).is_ok());
        assert!(request.validate().is_ok());
        let mut violations = Violations::default();
        response.validate_into(&mut ValidationContext::new(&mut violations));
        assert!(violations.is_empty());
        assert!(AgentId::check(&agent_id).is_ok());
        assert!(MemberNum::try_from(4).is_ok());
        assert!(ConfState::from_code(1).is_ok());
        assert!(AddressType::from_code("9").is_ok());
    });
    assert_eq!(info.count_total, 0, "the success path allocated");

    // The counter does see allocations: a violation allocates its path and value.
    let mut bad = request.clone();
    bad.conf_ids.clear();
    let info = measure(|| {
        assert!(bad.validate().is_err());
    });
    assert!(info.count_total > 0);
}
