//! Side-by-side timing shared by the benchmarks' comparison tables: both sides run in every
//! round, the order alternating so that they share the machine's noise, and the table reports
//! medians.

/// The medians of an alternating comparison.
pub struct Medians {
    /// Side A's time per operation (in the unit the closures return).
    pub a: f64,
    /// Side B's.
    pub b: f64,
    /// The median of the per-round ratios A/B.
    pub ratio: f64,
}

/// Runs `a` and `b` once per round for `rounds` rounds, A first in even rounds and B first in
/// odd ones; each closure returns its time per operation.
pub fn alternate(rounds: usize, mut a: impl FnMut() -> f64, mut b: impl FnMut() -> f64) -> Medians {
    let (mut times_a, mut times_b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (ta, tb) = if round % 2 == 0 {
            let ta = a();
            (ta, b())
        } else {
            let tb = b();
            (a(), tb)
        };
        times_a.push(ta);
        times_b.push(tb);
        ratios.push(ta / tb);
    }
    Medians {
        a: median(times_a),
        b: median(times_b),
        ratio: median(ratios),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// `GATESPEC_BENCH_ONLY_COMPARE=1`: print the comparison table and skip divan's benchmarks
/// (what `scripts/bench` does).
pub fn only_compare() -> bool {
    std::env::var_os("GATESPEC_BENCH_ONLY_COMPARE").is_some_and(|v| v == "1")
}
