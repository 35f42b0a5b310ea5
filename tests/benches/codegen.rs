//! How loading, checking and generating scale with the number of interfaces, against the floor:
//! parsing the same YAML into a bare value, which every generator has to do.
//!
//! `main` first prints, for 10, 100 and 1,000 interfaces, the time of the whole pipeline (load,
//! check, model, emit, format) next to the bare parse, in alternating rounds, as greppable
//! `codegen ...` lines; then divan's per-size timings (flat per-interface times mean linear).
//! `GATESPEC_BENCH_ONLY_COMPARE=1` stops after the table.
//!
//! Run with `cargo bench -p gatespec-tests --bench codegen`.

use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    compare();
    if std::env::var_os("GATESPEC_BENCH_ONLY_COMPARE").is_none() {
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

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn compare() {
    println!(
        "codegen: whole pipeline vs bare YAML parse of the same spec, 5 alternating rounds (median)"
    );
    for interfaces in [10, 100, 1000] {
        let text = gatespec_tests::synthetic_spec(interfaces);
        let (mut generated, mut parsed, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..5 {
            let mut run_generate = || {
                black_box(generate(black_box(&text)));
            };
            let mut run_parse = || {
                black_box(parse_only(black_box(&text)));
            };
            let (g, p) = if round % 2 == 0 {
                let g = time(&mut run_generate);
                (g, time(&mut run_parse))
            } else {
                let p = time(&mut run_parse);
                (time(&mut run_generate), p)
            };
            generated.push(g.as_secs_f64() * 1e3);
            parsed.push(p.as_secs_f64() * 1e3);
            ratios.push(g.as_secs_f64() / p.as_secs_f64());
        }
        println!(
            "codegen interfaces={interfaces} generate_ms={:.2} yaml_parse_ms={:.2} ratio={:.2} bytes={}",
            median(generated),
            median(parsed),
            median(ratios),
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
