//! Constrained string and integer newtypes, used as fields of validated structs.
use gatespec::{Constrained, Validate};
use serde::{Deserialize, Serialize};

/// Agent ID: a string on the wire, numeric 101..=999999 (2025 reference).
#[derive(Constrained, Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[constrained(range(min = 101, max = 999999))]
pub struct AgentId(String);

/// Minutes, 4..=1440.
#[derive(Constrained, Debug, Clone, Copy, PartialEq, Eq)]
#[constrained(range(min = 4, max = 1440))]
pub struct ConfMinutes(u16);

/// Softphone number, max 24 bytes, not empty.
#[derive(Constrained, Debug, Clone, PartialEq, Eq)]
#[constrained(length(min = 1, max = 24, unit = "bytes"), range(min = 0))]
pub struct PhoneNumber(String);

#[derive(Validate, Serialize, Deserialize, Debug)]
struct Body {
    agent: AgentId,
    time: Option<ConfMinutes>,
    phones: Vec<PhoneNumber>,
}

fn main() {
    let body: Body = serde_json::from_str(r#"{"agent":"153","time":60,"phones":["70005"]}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(body.validate().is_ok());
    assert_eq!(body.agent.get(), "153");
    assert_eq!(body.time.map(|t| *t.get()), Some(60));
    let err = serde_json::from_str::<Body>(r#"{"agent":"153","time":3,"phones":[]}"#)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.starts_with("invalid ConfMinutes: 3 is not in 4..=1440"), "{err}");
    assert!(PhoneNumber::try_from("12a").is_err());
    assert!(PhoneNumber::try_from("").is_err());
    let id: AgentId = "999999".parse().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(String::from(id), "999999");
}
