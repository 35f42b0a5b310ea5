//! Constrained scalars can only be constructed valid, whichever way in.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use gatespec::{Constrained, Validate};
use proptest::prelude::*;
use support::*;

#[test]
fn agent_id_accepts_its_range_only() {
    assert_eq!("101".parse::<AgentId>().unwrap().get(), "101");
    assert_eq!(AgentId::try_from("59999").unwrap().into_inner(), "59999");
    for bad in [
        "100",
        "60000",
        "",
        "-",
        "+200",
        " 200",
        "2e3",
        "abc",
        "99999999999999999999999999999999999999999",
    ] {
        assert!(bad.parse::<AgentId>().is_err(), "{bad:?}");
        assert!(AgentId::try_from(bad.to_owned()).is_err(), "{bad:?}");
        assert!(
            serde_json::from_str::<AgentId>(&serde_json::to_string(bad).unwrap()).is_err(),
            "{bad:?}"
        );
    }
    // Leading zeros still denote a decimal integer.
    assert_eq!("0153".parse::<AgentId>().unwrap().get(), "0153");
    let err = AgentId::try_from("100").unwrap_err();
    assert_eq!(err.type_name(), "AgentId");
    assert_eq!(err.violations().len(), 1);
    assert_eq!(
        err.to_string(),
        "invalid AgentId: \"100\" is not in 101..=59999"
    );
}

#[test]
fn member_num_is_an_integer_on_the_wire() {
    let n: MemberNum = serde_json::from_str("4").unwrap();
    assert_eq!(*n.get(), 4);
    assert_eq!(serde_json::to_string(&n).unwrap(), "4");
    assert!(serde_json::from_str::<MemberNum>("\"4\"").is_err());
    assert!(serde_json::from_str::<MemberNum>("0").is_err());
    assert_eq!(i32::from(n), 4);
    assert_eq!(
        "x".parse::<MemberNum>().unwrap_err().to_string(),
        "invalid MemberNum: \"x\" is not a decimal integer in 1..=120"
    );
    assert_eq!(
        "99999999999".parse::<MemberNum>().unwrap_err().to_string(),
        "invalid MemberNum: \"99999999999\" is not in 1..=120"
    );
    // Valid by construction.
    assert!(n.validate().is_ok());
}

proptest! {
    #[test]
    fn agent_id_parse_agrees_with_the_range(n in -1000i64..100_000) {
        let text = n.to_string();
        let ok = (101..=59999).contains(&n);
        prop_assert_eq!(text.parse::<AgentId>().is_ok(), ok);
        prop_assert_eq!(AgentId::check(&text).is_ok(), ok);
        let json = serde_json::to_string(&text).unwrap();
        match serde_json::from_str::<AgentId>(&json) {
            Ok(id) => {
                prop_assert!(ok);
                prop_assert_eq!(serde_json::to_string(&id).unwrap(), json);
            }
            Err(_) => prop_assert!(!ok),
        }
    }

    #[test]
    fn agent_id_rejects_non_numbers(text in "[^0-9]+[0-9]*") {
        prop_assert!(text.parse::<AgentId>().is_err());
    }

    #[test]
    fn member_num_agrees_with_the_range(n in any::<i32>()) {
        prop_assert_eq!(MemberNum::try_from(n).is_ok(), (1..=120).contains(&n));
        prop_assert_eq!(n.to_string().parse::<MemberNum>().is_ok(), (1..=120).contains(&n));
    }
}
