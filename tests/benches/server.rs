//! What the generated router costs per request against a hand-written axum handler that makes
//! the same checks and writes the same envelope: `queryconfinfos` with the vendor example's body
//! and a live session, sent in process with `tower::ServiceExt::oneshot` (no sockets).
//!
//! Before timing, both answer the same request and the answers must be byte-identical. `main`
//! prints the time (median of 7 alternating rounds) and the allocations per request of each and
//! their ratios as greppable `server-inprocess` lines, then divan runs (unless
//! `GATESPEC_BENCH_ONLY_COMPARE=1`).
//!
//! Run with `cargo bench -p gatespec-tests --bench server`.

#[path = "support/conferences.rs"]
mod conferences;
#[path = "support/rounds.rs"]
mod rounds;

use std::time::{Duration, Instant};

use conferences::{BODY, GUID, URI, generated, hand_written};
use gatespec::server::axum::body::{Body, Bytes};
use gatespec::server::axum::http::{Request, header};
use gatespec::server::axum::{self, Router};
use tower::ServiceExt as _;

fn request() -> Request<Body> {
    Request::post(URI)
        .header("Guid", GUID)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(BODY))
        .unwrap()
}

async fn call(router: &Router) -> Bytes {
    let response = router.clone().oneshot(request()).await.unwrap();
    assert_eq!(response.status(), 200);
    axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The fastest of a few rounds of `n` requests, per request.
fn time_per_request(rt: &tokio::runtime::Runtime, router: &Router, n: u32) -> Duration {
    (0..7)
        .map(|_| {
            let start = Instant::now();
            rt.block_on(async {
                for _ in 0..n {
                    std::hint::black_box(call(router).await);
                }
            });
            start.elapsed() / n
        })
        .min()
        .unwrap()
}

/// Allocations of one request (sending it and reading the whole answer).
fn allocations_per_request(rt: &tokio::runtime::Runtime, router: &Router) -> u64 {
    let info = allocation_counter::measure(|| {
        rt.block_on(async {
            std::hint::black_box(call(router).await);
        });
    });
    info.count_total
}

fn compare() {
    let rt = runtime();
    let (generated, hand_written) = (generated(), hand_written());
    let ours = rt.block_on(call(&generated));
    let theirs = rt.block_on(call(&hand_written));
    assert_eq!(
        String::from_utf8_lossy(&ours),
        String::from_utf8_lossy(&theirs),
        "the two answers differ"
    );
    // Warm both up, then alternate the order round by round to share the machine's noise.
    time_per_request(&rt, &generated, 2_000);
    time_per_request(&rt, &hand_written, 2_000);
    let per_request = |router: &Router| time_per_request(&rt, router, 5_000).as_secs_f64() * 1e6;
    let medians = rounds::alternate(7, || per_request(&generated), || per_request(&hand_written));
    let allocs = [
        allocations_per_request(&rt, &generated),
        allocations_per_request(&rt, &hand_written),
    ];
    println!(
        "server-inprocess time_us gen={:.3} hand={:.3} ratio={:.3}",
        medians.a, medians.b, medians.ratio
    );
    println!(
        "server-inprocess allocs_per_req gen={} hand={} ratio={:.3}",
        allocs[0],
        allocs[1],
        allocs[0] as f64 / allocs[1] as f64
    );
}

fn main() {
    compare();
    if !rounds::only_compare() {
        divan::main();
    }
}

#[divan::bench]
fn generated_router(bencher: divan::Bencher) {
    let rt = runtime();
    let router = generated();
    bencher.bench_local(|| rt.block_on(call(&router)));
}

#[divan::bench]
fn hand_written_handler(bencher: divan::Bencher) {
    let rt = runtime();
    let router = hand_written();
    bencher.bench_local(|| rt.block_on(call(&router)));
}
