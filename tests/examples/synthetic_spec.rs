//! Prints `synthetic_spec(n)` (argument `n`, default 100): the one source of the synthetic spec
//! for tools outside the test suite (scripts/bench-compile).
//!
//! The module is included by path rather than through the `gatespec-tests` library so that the
//! script can build this file with bare `rustc` (support.rs needs only std) instead of every
//! dependency of the test crate.

#[path = "../support.rs"]
mod support;

fn main() -> std::process::ExitCode {
    let n = match std::env::args().nth(1).map(|arg| arg.parse::<usize>()) {
        None => 100,
        Some(Ok(n)) => n,
        Some(Err(error)) => {
            eprintln!("synthetic_spec: the argument must be a number of interfaces: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    print!("{}", support::synthetic_spec(n));
    std::process::ExitCode::SUCCESS
}
