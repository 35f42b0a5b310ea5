//! Paths use serde wire names: rename_all, rename (incl. the deserialize name), raw identifiers,
//! flatten, skip, transparent newtypes, tuple structs and generics.
use gatespec::Validate;
use serde::{Deserialize, Serialize};

#[derive(Validate, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Outer<T> {
    conf_ids: Vec<Inner>,
    #[serde(rename = "RESULT")]
    result: T,
    #[serde(rename(serialize = "ser", deserialize = "de"))]
    renamed: Inner,
    r#type: Inner,
    #[serde(flatten)]
    flat: Flat,
    #[serde(skip)]
    #[allow(dead_code)]
    skipped: NotValidate,
    wrapped: Wrapper,
    pair: Pair,
}

#[derive(Validate, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING-KEBAB-CASE")]
struct Inner {
    #[validate(range(min = 0, max = 1))]
    role_code: i32,
}

#[derive(Validate, Serialize, Deserialize)]
struct Flat {
    #[validate(range(min = 0))]
    flat_field: i32,
}

#[derive(Default)]
struct NotValidate;

#[derive(Validate, Serialize, Deserialize)]
struct Wrapper(Inner);

#[derive(Validate, Serialize, Deserialize)]
struct Pair(#[validate(range(max = 0))] i32, Inner);

fn bad() -> Inner {
    Inner { role_code: 2 }
}

fn main() {
    let outer = Outer {
        conf_ids: vec![Inner { role_code: 0 }, bad()],
        result: bad(),
        renamed: bad(),
        r#type: bad(),
        flat: Flat { flat_field: -1 },
        skipped: NotValidate,
        wrapped: Wrapper(bad()),
        pair: Pair(1, bad()),
    };
    let paths: Vec<String> = outer
        .validate()
        .err()
        .map(|v| v.iter().map(|v| v.path.clone()).collect())
        .unwrap_or_default();
    assert_eq!(
        paths,
        [
            "confIds[1].ROLE-CODE",
            "RESULT.ROLE-CODE",
            "de.ROLE-CODE",
            "type.ROLE-CODE",
            "flat_field",
            "wrapped.ROLE-CODE",
            "pair[0]",
            "pair[1].ROLE-CODE",
        ]
    );
}
