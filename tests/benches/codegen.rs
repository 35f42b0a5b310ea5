//! How loading, checking and generating scale with the number of interfaces. Compare the
//! per-interface times across sizes: flat means linear.
//!
//! Run with `cargo bench -p gatespec-tests --bench codegen`.

fn main() {
    divan::main();
}

#[divan::bench(args = [100, 300, 1000])]
fn check_and_generate(bencher: divan::Bencher, interfaces: usize) {
    let text = gatespec_tests::synthetic_spec(interfaces);
    bencher
        .counter(divan::counter::ItemsCount::new(interfaces))
        .bench(|| {
            let checked = gatespec_codegen::check_texts([("synthetic.yaml", text.as_str())]);
            let spec = checked.spec.expect("valid synthetic spec");
            gatespec_codegen::emit::crate_files(&spec, "").expect("generates")
        });
}
