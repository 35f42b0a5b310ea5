//! A string code table without a fallback: unknown codes are errors.
use gatespec::CodeEnum;

#[derive(CodeEnum, Debug, Clone, PartialEq, Eq, Hash)]
#[code(string)]
pub enum AddressType {
    #[code("6", meaning = "phone number")]
    PhoneNumber,
    #[code("9", meaning = "agent ID")]
    AgentId,
}

fn main() {
    assert_eq!(AddressType::AgentId.code(), "9");
    assert_eq!(AddressType::try_from("6").ok(), Some(AddressType::PhoneNumber));
    assert_eq!("9".parse::<AddressType>().ok(), Some(AddressType::AgentId));
    assert_eq!(AddressType::PhoneNumber.to_string(), "6");
    let err = serde_json::from_str::<AddressType>("\"3\"").err().map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("unknown AddressType code \"3\" (expected one of \"6\", \"9\") at line 1 column 3")
    );
}
