//! Derives on private items in a binary produce no warnings (no unused inherent methods), and
//! need no direct `serde` import.
#![deny(warnings, unused, missing_debug_implementations)]
#![forbid(unsafe_code)]

use gatespec::{CodeEnum, Constrained, Validate};

#[derive(CodeEnum, Debug)]
#[code(int)]
enum Role {
    #[code(0, meaning = "participant")]
    Participant,
    #[code(1, meaning = "chairperson")]
    Chairperson,
}

#[derive(Constrained, Debug)]
#[constrained(range(min = 1))]
struct Positive(i64);

#[derive(Validate, Debug)]
struct Member {
    #[validate(range(min = 0, max = 1))]
    role: i32,
    positive: Option<Positive>,
    typed_role: Vec<Role>,
}

fn main() {
    let member = Member { role: 0, positive: None, typed_role: vec![Role::Chairperson] };
    assert!(member.validate().is_ok());
    assert_eq!(member.role, 0);
    assert!(member.positive.is_none());
    assert_eq!(member.typed_role.len(), 1);
    let _ = Role::Participant;
}
