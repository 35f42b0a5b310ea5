//! Compile-time tests of the gatespec derives: `ui/pass` must compile and run; every other
//! case must fail with exactly the reviewed `.stderr`.
//!
//! Regenerate expectations with `TRYBUILD=overwrite`, then read every `.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/code_enum/*.rs");
    t.compile_fail("ui/validate/*.rs");
    t.compile_fail("ui/constrained/*.rs");
}
