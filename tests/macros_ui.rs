//! Compile-time tests of the gatespec derives and of server code on the runtime and generated
//! traits: `ui/pass` must compile and run; every other case must fail with exactly the reviewed
//! `.stderr` (`ui/server`: a handler context that contradicts its interface's `Access`, an
//! interface that needs sign-in on routes without sessions, a server missing methods of a
//! service without default methods; `ui/deprecated`: uses of what a spec deprecates warn).
//!
//! Regenerate expectations with `TRYBUILD=overwrite`, then read every `.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/code_enum/*.rs");
    t.compile_fail("ui/validate/*.rs");
    t.compile_fail("ui/constrained/*.rs");
    t.compile_fail("ui/server/*.rs");
    t.compile_fail("ui/deprecated/*.rs");
}
