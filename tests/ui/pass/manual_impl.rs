//! A hand-written `Validate` impl using the rule functions, nested in a derived struct.
use gatespec::{LengthUnit, Validate, ValidationContext, rules};
use std::collections::BTreeMap;

struct Address {
    address: String,
}

impl Validate for Address {
    fn validate_into(&self, ctx: &mut ValidationContext<'_>) {
        rules::length(&self.address, Some(1), Some(24), LengthUnit::Bytes, &mut ctx.field("address"));
    }
}

/// A foreign-ish type accepted as is.
struct Opaque;
impl Validate for Opaque {}

#[derive(Validate)]
struct Book {
    by_name: BTreeMap<String, Address>,
    boxed: Box<Address>,
    opaque: Opaque,
    #[validate(skip)]
    #[allow(dead_code)]
    not_validated: std::time::Duration,
}

fn main() {
    let mut by_name = BTreeMap::new();
    by_name.insert("alice".to_owned(), Address { address: String::new() });
    let book = Book {
        by_name,
        boxed: Box::new(Address { address: "x".repeat(25) }),
        opaque: Opaque,
        not_validated: std::time::Duration::ZERO,
    };
    let paths: Vec<String> = book
        .validate()
        .err()
        .map(|v| v.iter().map(|v| v.path.clone()).collect())
        .unwrap_or_default();
    assert_eq!(paths, ["by_name[\"alice\"].address", "boxed.address"]);
}
