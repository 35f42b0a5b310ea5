//! Every code of every table round-trips through serde, `Display`/`FromStr` and `from_code`;
//! unknown codes round-trip through the fallback variant, or fail with a clear message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::fmt::{Debug, Display};
use std::str::FromStr;

use gatespec::{CodeEnum, CodeRepr, UnknownCode};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use support::*;

fn wire<T: CodeEnum>(code: &dyn Display) -> String {
    if T::Repr::KIND == "string" {
        format!("\"{code}\"")
    } else {
        code.to_string()
    }
}

fn check_table<T>()
where
    T: CodeEnum
        + Serialize
        + DeserializeOwned
        + Debug
        + PartialEq
        + Display
        + FromStr<Err = UnknownCode>,
{
    assert!(!T::CODES.is_empty());
    for entry in T::CODES {
        let value = T::from_code(entry.code).unwrap_or_else(|e| panic!("{e}"));
        assert!(value.is_known());
        assert_eq!(value.code().to_string(), entry.code.to_string());
        assert_eq!(value.description(), entry.meaning);
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(json, wire::<T>(&entry.code), "{}", T::NAME);
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
        assert_eq!(value.to_string(), entry.code.to_string());
        assert_eq!(value.to_string().parse::<T>().unwrap(), value);
    }
}

#[test]
fn every_code_round_trips() {
    check_table::<ConfState>();
    check_table::<AddressType>();
    check_table::<DeviceCallType>();
    check_table::<DeviceType>();
    check_table::<AgentState>();
    check_table::<Retcode>();
}

#[test]
fn tables_list_codes_in_declaration_order() {
    let codes: Vec<(i32, &str)> = DeviceType::CODES
        .iter()
        .map(|e| (e.code, e.meaning))
        .collect();
    assert_eq!(codes.len(), 8);
    assert_eq!(codes[6], (6, "agent"));
    let codes: Vec<&str> = AddressType::CODES.iter().map(|e| e.code).collect();
    assert_eq!(codes, ["6", "9"]);
    const { assert!(ConfState::HAS_FALLBACK) };
    const { assert!(!DeviceType::HAS_FALLBACK) };
}

#[test]
fn unknown_code_errors_name_the_enum_and_the_value() {
    let err = serde_json::from_str::<DeviceCallType>("7").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown DeviceCallType code 7 (expected one of 0, 1, 2) at line 1 column 1"
    );
    let err = serde_json::from_str::<Retcode>(r#""999-999""#).unwrap_err();
    assert!(err.to_string().starts_with(
        r#"unknown Retcode code "999-999" (expected one of "0", "000-002", "100-006")"#
    ));
    // Too wide for the i32 fallback: rejected rather than truncated.
    let err = serde_json::from_str::<ConfState>("1099511627776").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("unknown ConfState code 1099511627776")
    );
    // Wrong JSON type.
    let err = serde_json::from_str::<ConfState>(r#""0""#).unwrap_err();
    assert!(
        err.to_string()
            .contains("expected an integer ConfState code"),
        "{err}"
    );
    let err = serde_json::from_str::<AddressType>("6").unwrap_err();
    assert!(
        err.to_string()
            .contains("expected a string AddressType code"),
        "{err}"
    );
    // FromStr on a non-number.
    let err = "x".parse::<DeviceType>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown DeviceType code \"x\" (expected one of 0, 1, 2, 3, 4, 5, 6, 7)"
    );
    assert_eq!(err.enum_name(), "DeviceType");
}

#[test]
fn codes_decode_alike_from_slices_readers_and_values() {
    // A slice lends its strings, a reader cannot, a `Value` hands over owned ones: the shared
    // string visitor must accept and refuse the same codes on all three.
    for text in [r#""0""#, r#""100-006""#] {
        let from_slice = serde_json::from_slice::<Retcode>(text.as_bytes()).unwrap();
        let from_reader = serde_json::from_reader::<_, Retcode>(text.as_bytes()).unwrap();
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let from_value = serde_json::from_value::<Retcode>(value).unwrap();
        assert_eq!(from_slice, from_reader);
        assert_eq!(from_slice, from_value);
    }
    let expected = r#"unknown Retcode code "7" (expected one of "0", "000-002", "100-006")"#;
    let err = serde_json::from_reader::<_, Retcode>(&b"\"7\""[..]).unwrap_err();
    assert_eq!(err.to_string(), format!("{expected} at line 1 column 3"));
    let err = serde_json::from_value::<Retcode>(serde_json::json!("7")).unwrap_err();
    assert_eq!(err.to_string(), expected);
    // A table that keeps unknown codes keeps them from a reader too.
    let kept = serde_json::from_reader::<_, AddressType>(&b"\"7\""[..]).unwrap();
    assert_eq!(kept.code(), "7");
    assert!(!kept.is_known());
    // Integer tables: in a member, the message carries the position of the bad code.
    let err = serde_json::from_str::<Vec<DeviceCallType>>("[0,\n 9]").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown DeviceCallType code 9 (expected one of 0, 1, 2) at line 2 column 2"
    );
}

#[test]
fn vendor_example_deserializes_and_validates() {
    use gatespec::Validate;
    let response: Envelope<ConfInfos> = serde_json::from_str(EXAMPLE_RESPONSE).unwrap();
    response.validate().unwrap();
    let confs = &response.result.as_ref().unwrap().confs;
    assert_eq!(confs[0].conf_state, ConfState::Normal);
    assert_eq!(confs[0].addresses[1].address_type, AddressType::AgentId);
    let back: serde_json::Value = serde_json::to_value(&response).unwrap();
    let original: serde_json::Value = serde_json::from_str(EXAMPLE_RESPONSE).unwrap();
    assert_eq!(back, original);
}

proptest! {
    #[test]
    fn any_i32_round_trips_through_the_fallback(code in any::<i32>()) {
        let json = code.to_string();
        let value: ConfState = serde_json::from_str(&json).unwrap();
        match code {
            0 => prop_assert_eq!(value, ConfState::Normal),
            1 => prop_assert_eq!(value, ConfState::AnnouncementPlaying),
            other => {
                prop_assert_eq!(value, ConfState::Unknown(other));
                prop_assert!(!value.is_known());
            }
        }
        prop_assert_eq!(serde_json::to_string(&value).unwrap(), json);
        prop_assert_eq!(value.code(), code);
    }

    #[test]
    fn any_i64_round_trips_through_the_fallback(code in any::<i64>()) {
        let json = code.to_string();
        let value: AgentState = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(value.is_known(), AgentState::CODES.iter().any(|e| e.code == code));
        prop_assert_eq!(serde_json::to_string(&value).unwrap(), json);
    }

    #[test]
    fn any_string_round_trips_through_the_fallback(code in ".*") {
        let json = serde_json::to_string(&code).unwrap();
        let value: AddressType = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(value.is_known(), code == "6" || code == "9");
        prop_assert_eq!(serde_json::to_string(&value).unwrap(), json);
        prop_assert_eq!(value.code(), code.as_str());
        prop_assert_eq!(value.to_string(), code.clone());
        prop_assert_eq!(code.parse::<AddressType>().unwrap(), value);
    }

    #[test]
    fn unknown_codes_of_closed_tables_are_errors(code in any::<i32>().prop_filter("unknown", |c| !(0..=2).contains(c))) {
        let err = serde_json::from_str::<DeviceCallType>(&code.to_string()).unwrap_err();
        let expected = format!("unknown DeviceCallType code {code} (expected one of 0, 1, 2)");
        prop_assert!(err.to_string().starts_with(&expected));
        prop_assert_eq!(DeviceCallType::try_from(code).unwrap_err().to_string(), expected);
    }

    #[test]
    fn unknown_strings_of_closed_tables_are_errors(code in "[0-9-]{0,8}") {
        prop_assume!(!Retcode::CODES.iter().any(|e| e.code == code));
        let err = Retcode::try_from(code.as_str()).unwrap_err();
        prop_assert_eq!(err.code(), format!("{code:?}"));
    }
}
