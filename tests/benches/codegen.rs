//! How loading, checking and generating scale with the number of interfaces, against the floor:
//! parsing the same YAML into a bare value, which every generator has to do.
//!
//! `main` first prints, for 10, 100 and 1,000 interfaces, the time of the whole pipeline (load,
//! check, model, emit, format) next to the bare parse, in alternating rounds, as greppable
//! `codegen ...` lines; then divan's per-size timings (flat per-interface times mean linear).
//! `GATESPEC_BENCH_ONLY_COMPARE=1` stops after the table.
//!
//! Run with `cargo bench -p gatespec-tests --bench codegen`.

#[path = "support/rounds.rs"]
mod rounds;

use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    compare();
    if !rounds::only_compare() {
        divan::main();
    }
}

fn generate(text: &str) -> usize {
    let checked = gatespec_codegen::check_texts([("synthetic.yaml", text)]);
    let spec = checked.spec.expect("valid synthetic spec");
    let files = gatespec_codegen::emit::crate_files(&spec, "").expect("generates");
    files.len()
}

fn parse_only(text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).expect("valid YAML")
}

/// The time of one call of `f`, over enough calls to last about 200 ms.
fn time(f: &mut dyn FnMut()) -> Duration {
    let started = Instant::now();
    f();
    let once = started.elapsed().max(Duration::from_micros(1));
    let calls = (Duration::from_millis(200).as_nanos() / once.as_nanos()).clamp(1, 10_000) as u32;
    let started = Instant::now();
    for _ in 0..calls {
        f();
    }
    started.elapsed() / calls
}

fn compare() {
    println!(
        "codegen: whole pipeline vs bare YAML parse of the same spec, 5 alternating rounds (median)"
    );
    for interfaces in [10, 100, 1000] {
        let text = gatespec_tests::synthetic_spec(interfaces);
        let medians = rounds::alternate(
            5,
            || time(&mut || _ = black_box(generate(black_box(&text)))).as_secs_f64() * 1e3,
            || time(&mut || drop(black_box(parse_only(black_box(&text))))).as_secs_f64() * 1e3,
        );
        println!(
            "codegen interfaces={interfaces} generate_ms={:.2} yaml_parse_ms={:.2} ratio={:.2} bytes={}",
            medians.a,
            medians.b,
            medians.ratio,
            text.len()
        );
    }
}

#[divan::bench(args = [100, 300, 1000])]
fn check_and_generate(bencher: divan::Bencher, interfaces: usize) {
    let text = gatespec_tests::synthetic_spec(interfaces);
    bencher
        .counter(divan::counter::ItemsCount::new(interfaces))
        .bench(|| generate(&text));
}

#[divan::bench(args = [100, 300, 1000])]
fn yaml_parse_floor(bencher: divan::Bencher, interfaces: usize) {
    let text = gatespec_tests::synthetic_spec(interfaces);
    bencher
        .counter(divan::counter::ItemsCount::new(interfaces))
        .bench(|| parse_only(&text));
}
