//! Snapshot tests of the expansions: every change to generated impls shows up as a reviewed
//! diff of `src/snapshots/*.snap` (pretty-printed with prettyplease).

use proc_macro2::TokenStream;
use quote::quote;

use crate::code_enum::expand_code_enum;
use crate::constrained::expand_constrained;
use crate::validate::expand_validate;

/// Pretty-prints an expansion; falls back to the raw tokens if they are not a valid file (so a
/// broken expansion shows up in the snapshot instead of failing the test obscurely).
fn pretty(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => tokens.to_string(),
    }
}

#[test]
fn code_enum_int_with_fallback() {
    insta::assert_snapshot!(pretty(expand_code_enum(quote! {
        #[code(int)]
        pub enum ConfState {
            #[code(0, meaning = "normal conference call")]
            Normal,
            #[code(1, meaning = "conference announcement playing")]
            AnnouncementPlaying,
            #[code(other)]
            Unknown(i32),
        }
    })));
}

#[test]
fn code_enum_string_closed() {
    insta::assert_snapshot!(pretty(expand_code_enum(quote! {
        #[code(string)]
        pub enum AddressType {
            /// phone number
            #[code("6")]
            PhoneNumber,
            #[code("9", meaning = "agent ID")]
            AgentId,
        }
    })));
}

#[test]
fn code_enum_errors_are_accumulated_with_stubs() {
    insta::assert_snapshot!(pretty(expand_code_enum(quote! {
        #[code(int, lenient)]
        enum Role {
            #[code(0)]
            Participant,
            #[code(0)]
            Chairperson,
            #[code("2")]
            Observer,
            #[code(other)]
            Unknown,
        }
    })));
}

#[test]
fn validate_struct() {
    insta::assert_snapshot!(pretty(expand_validate(quote! {
        #[serde(rename_all = "camelCase")]
        #[validate(custom = cross_check)]
        pub struct Participant<T> {
            #[validate(length(max = 24, unit = "bytes"))]
            pub address: String,
            #[validate(range(min = 0, max = 1))]
            pub role: i32,
            #[validate(required, items(min = 1, max = 20))]
            pub conf_ids: Option<Vec<i64>>,
            #[serde(rename = "extra")]
            #[validate(custom = check_extra)]
            pub payload: T,
            #[serde(flatten)]
            pub flat: Flat,
            #[validate(skip)]
            pub opaque: Opaque,
        }
    })));
}

#[test]
fn validate_tuple_structs() {
    insta::assert_snapshot!(pretty(expand_validate(quote! {
        struct Wrapper(#[validate(range(min = -5))] i32);
    })));
}

#[test]
fn validate_errors_are_accumulated_with_stub() {
    insta::assert_snapshot!(pretty(expand_validate(quote! {
        struct Body {
            #[validate(rnage(min = 1))]
            a: i32,
            #[validate(range(min = 5, max = 1))]
            b: i32,
            #[validate(length(max = 2))]
            c: bool,
            #[validate(required)]
            d: i32,
        }
    })));
}

#[test]
fn constrained_string_and_int() {
    insta::assert_snapshot!(pretty(expand_constrained(quote! {
        #[constrained(range(min = 101, max = 59999))]
        pub struct AgentId(String);
    })));
    insta::assert_snapshot!(pretty(expand_constrained(quote! {
        #[constrained(range(min = 1, max = 120))]
        pub struct MemberNum(u16);
    })));
}

#[test]
fn constrained_errors_with_stubs() {
    insta::assert_snapshot!(pretty(expand_constrained(quote! {
        pub struct AgentId(pub String);
    })));
}

#[test]
fn parse_errors_never_panic() {
    // Garbage input and odd attribute forms produce compile errors, never a panic.
    for input in [
        quote!(
            fn not_an_item() {}
        ),
        quote!(
            #[code]
            enum E {
                A,
            }
        ),
        quote!(
            #[code = 1]
            enum E {
                #[code]
                A,
                #[code(,)]
                B,
            }
        ),
        quote!(
            #[code(int)]
            enum E {
                #[code(0, meaning)]
                A,
                #[code(99999999999999999999999999999999999999999)]
                B,
            }
        ),
        quote!(
            #[code(int)]
            enum E {}
        ),
        quote!(
            struct S {
                #[validate]
                a: i32,
                #[validate(range(min))]
                b: i32,
                #[validate(custom = "f")]
                c: i32,
            }
        ),
        quote!(
            struct S {
                #[validate(range(min = 1, min = 2))]
                a: i32,
                #[validate(length(unit = 3, max = 1))]
                b: String,
            }
        ),
        quote!(
            #[constrained(range(min = 1), range(max = 2))]
            struct S(i32);
        ),
    ] {
        let out = expand_code_enum(input.clone()).to_string()
            + &expand_validate(input.clone()).to_string()
            + &expand_constrained(input).to_string();
        assert!(out.contains("compile_error"), "{out}");
    }
}

#[test]
fn code_enum_kept_only_in_responses() {
    insta::assert_snapshot!(pretty(expand_code_enum(quote! {
        #[code(string)]
        pub enum AddressType {
            #[code("6", meaning = "phone number")]
            PhoneNumber,
            #[code(other, refuse_in_requests)]
            Other(String),
        }
    })));
}

#[test]
fn validate_codes_and_response() {
    insta::assert_snapshot!(pretty(expand_validate(quote! {
        #[serde(rename_all = "camelCase")]
        pub struct Reply<R> {
            #[validate(codes(2, 3))]
            pub play_mode: Option<PlayMode>,
            #[validate(codes("6"))]
            pub address_types: Vec<AddressType>,
            #[validate(response)]
            pub result: Option<R>,
        }
    })));
}

#[test]
fn validate_codes_errors() {
    insta::assert_snapshot!(pretty(expand_validate(quote! {
        struct Body {
            #[validate(codes())]
            a: Option<PlayMode>,
            #[validate(codes(1, "6", 1))]
            b: PlayMode,
            #[validate(codes = 2)]
            c: PlayMode,
            #[validate(codes(2))]
            d: String,
        }
    })));
}
