//! What the generated `queryconfinfos` types cost on the wire against the same types written by
//! hand with serde (benches/baseline/queryconfinfos.rs): decoding, validating, both, and
//! encoding, for the answer a client receives and for the request body a server receives.
//!
//! - Answers are decoded the way the runtime client decodes them: the generated side calls
//!   `gatespec::client::decode_answer` (the envelope with the result kept raw, then the result on
//!   a success code); the baseline does the same two steps with plain serde.
//! - Request bodies are decoded with `serde_json::from_slice` on both sides.
//! - Validating checks the decoded result or request: `Validate::validate` against the baseline's
//!   check functions.
//! - Encoding is `serde_json::to_vec` of the envelope a server sends, or of the request body.
//!
//! Before timing, both sides must decode every input to the same data, encode it to the same
//! bytes, and refuse the same invalid inputs. `main` then prints one greppable line per case and
//! operation (interleaved rounds, median of the per-round ratios; allocations of one operation),
//! and runs divan unless `GATESPEC_BENCH_ONLY_COMPARE=1`.
//!
//! Run with `cargo bench -p gatespec-tests --bench wire`.

#[path = "baseline/queryconfinfos.rs"]
mod hand;
#[path = "support/rounds.rs"]
mod rounds;

use std::hint::black_box;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use agentgateway::agentconf::{QueryConfInfos, QueryConfInfosRequest, QueryConfInfosResult};
use agentgateway::{
    AddressType, ChannelAttrib, ChannelState, ConfInfo, ConfRole, ConfState, Envelope,
    ParticipantInfo, UserDefinedDeviceCallType, UserDefinedDeviceType,
};
use gatespec::client::{ClientError, decode_answer};
use gatespec::{CodeEnum, Validate};
use serde::Deserialize;

/// The spec page whose example the benchmark uses.
const SPEC: &str = include_str!("../../spec/agentgateway/agentconf/queryconfinfos.yaml");

/// The size of the large answer: conferences, and participants in each.
const LARGE_CONFS: i64 = 20;
const LARGE_PARTICIPANTS: i64 = 60;

#[derive(Deserialize)]
struct SpecPage {
    interfaces: Interfaces,
}

#[derive(Deserialize)]
struct Interfaces {
    query_conf_infos: SpecInterface,
}

#[derive(Deserialize)]
struct SpecInterface {
    example: SpecExample,
}

#[derive(Deserialize)]
struct SpecExample {
    request: String,
    response: String,
}

/// The inputs: each answer and request body as bytes, and decoded on both sides.
struct Inputs {
    answers: Vec<AnswerCase>,
    requests: Vec<RequestCase>,
}

struct AnswerCase {
    name: &'static str,
    body: Vec<u8>,
    generated: Envelope<QueryConfInfosResult>,
    hand: hand::Envelope<hand::QueryConfInfosResult>,
}

struct RequestCase {
    name: &'static str,
    body: Vec<u8>,
    generated: QueryConfInfosRequest,
    hand: hand::QueryConfInfosRequest,
}

static INPUTS: LazyLock<Inputs> = LazyLock::new(inputs);

fn inputs() -> Inputs {
    let page: SpecPage = serde_saphyr::from_str(SPEC).unwrap();
    let example = page.interfaces.query_conf_infos.example;
    let answer = |name, body: Vec<u8>| {
        let generated = decode_answer::<QueryConfInfos>(200, &body).unwrap();
        let hand = hand::decode_answer(&body).unwrap();
        AnswerCase {
            name,
            generated: success(generated),
            hand: hand::Envelope {
                message: String::new(),
                retcode: "0".to_owned(),
                result: Some(hand),
            },
            body,
        }
    };
    let request = |name, body: Vec<u8>| RequestCase {
        name,
        generated: serde_json::from_slice(&body).unwrap(),
        hand: serde_json::from_slice(&body).unwrap(),
        body,
    };
    let twenty_ids = QueryConfInfosRequest {
        conf_ids: (1_029_888..1_029_908).collect(),
    };
    Inputs {
        answers: vec![
            answer("answer-example", example.response.into_bytes()),
            answer(
                "answer-large",
                serde_json::to_vec(&success(large_result())).unwrap(),
            ),
        ],
        requests: vec![
            request("request-example", example.request.into_bytes()),
            request("request-20-ids", serde_json::to_vec(&twenty_ids).unwrap()),
        ],
    }
}

fn success(result: QueryConfInfosResult) -> Envelope<QueryConfInfosResult> {
    Envelope {
        message: String::new(),
        retcode: "0".to_owned(),
        result: Some(result),
    }
}

/// 20 conferences of 60 participants, with every code table's unknown codes among the listed
/// ones (a gateway may send them and both sides keep them).
fn large_result() -> QueryConfInfosResult {
    let confs = (0..LARGE_CONFS)
        .map(|c| {
            let start = 1_475_745_454_000 + c * 60_000;
            let addresses = (0..LARGE_PARTICIPANTS)
                .map(|p| {
                    let (address_type, address) = match p % 10 {
                        0 => ("3", format!("{}", 500 + p)),
                        n if n % 2 == 1 => ("6", format!("7{:06}", c * 1_000 + p)),
                        _ => ("9", format!("{}", 101 + c * 100 + p)),
                    };
                    let code = |m: i64| i32::try_from(p % m).unwrap();
                    ParticipantInfo {
                        address_type: AddressType::from_code(address_type).unwrap(),
                        address,
                        device_call_type: UserDefinedDeviceCallType::from_code(code(4)).unwrap(),
                        device_type: UserDefinedDeviceType::from_code(code(9)).unwrap(),
                        channel_attrib: ChannelAttrib::from_code(code(5) + 1).unwrap(),
                        channel_state: ChannelState::from_code(code(4)).unwrap(),
                        role: ConfRole::from_code(i32::from(p == 0) + 2 * i32::from(p == 59))
                            .unwrap(),
                        enter_time: start + p * 1_000,
                    }
                })
                .collect();
            ConfInfo {
                conf_id: 1_029_888 + c,
                conf_state: ConfState::from_code(i32::try_from(c % 3).unwrap()).unwrap(),
                start_time: start,
                apply_conf_time: 60 + i32::try_from(c).unwrap(),
                conf_have_been_time: i32::try_from(c).unwrap(),
                addresses,
            }
        })
        .collect();
    QueryConfInfosResult { confs }
}

/// Whether the two sides hold the same result, field by field and code by code.
fn same_result(generated: &QueryConfInfosResult, hand: &hand::QueryConfInfosResult) -> bool {
    generated.confs.len() == hand.confs.len()
        && generated.confs.iter().zip(&hand.confs).all(|(g, h)| {
            g.conf_id == h.conf_id
                && g.conf_state.code() == h.conf_state.code()
                && g.start_time == h.start_time
                && g.apply_conf_time == h.apply_conf_time
                && g.conf_have_been_time == h.conf_have_been_time
                && g.addresses.len() == h.addresses.len()
                && g.addresses.iter().zip(&h.addresses).all(|(g, h)| {
                    g.address_type.code() == h.address_type.code()
                        && g.address == h.address
                        && g.device_call_type.code() == h.device_call_type.code()
                        && g.device_type.code() == h.device_type.code()
                        && g.channel_attrib.code() == h.channel_attrib.code()
                        && g.channel_state.code() == h.channel_state.code()
                        && g.role.code() == h.role.code()
                        && g.enter_time == h.enter_time
                })
        })
}

/// Both sides agree on every input, and refuse the same invalid ones.
fn check_equivalence(inputs: &Inputs) {
    for case in &inputs.answers {
        let generated = case.generated.result.as_ref().unwrap();
        let hand = case.hand.result.as_ref().unwrap();
        assert!(same_result(generated, hand), "{}: decoded apart", case.name);
        assert!(generated.validate().is_ok() && hand::check_result(hand).is_ok());
        assert_eq!(
            serde_json::to_vec(&case.generated).unwrap(),
            serde_json::to_vec(&case.hand).unwrap(),
            "{}: encoded apart",
            case.name
        );
    }
    for case in &inputs.requests {
        assert_eq!(case.generated.conf_ids, case.hand.conf_ids, "{}", case.name);
        assert!(case.generated.validate().is_ok() && hand::check_request(&case.hand).is_ok());
        assert_eq!(
            serde_json::to_vec(&case.generated).unwrap(),
            serde_json::to_vec(&case.hand).unwrap(),
            "{}: encoded apart",
            case.name
        );
    }
    let answer = String::from_utf8(inputs.answers[0].body.clone()).unwrap();
    // Answers that are not a result: both refuse them.
    let broken = [
        r#"{"message":"","result":{"confs":true},"retcode":"0"}"#.to_owned(),
        answer.replace(r#""channelAttrib": 3"#, r#""channelAttrib": "3""#),
        answer.replace(r#""enterTime": 1475745454000"#, r#""enterTime": 1.5"#),
        answer.replace(r#""addressType": "6","#, ""),
        r#"{"message":"","retcode":"0"}"#.to_owned(),
        "<html>".to_owned(),
    ];
    for body in &broken {
        assert_ne!(body, &answer);
        assert!(
            matches!(
                decode_answer::<QueryConfInfos>(200, body.as_bytes()),
                Err(ClientError::Decode { .. })
            ),
            "generated decoded {body}"
        );
        match hand::decode_answer(body.as_bytes()) {
            Err(hand::AnswerError::Decode(e)) => assert!(!e.to_string().is_empty()),
            other => panic!("hand-written: {body}: {other:?}"),
        }
    }
    // A failure code: both give the gateway's code, not a result.
    let failure = br#"{"message":"not signed in","retcode":"100-006","result":{"confs":[]}}"#;
    match decode_answer::<QueryConfInfos>(200, failure) {
        Err(ClientError::Gateway(e)) => assert_eq!(e.retcode(), "100-006"),
        other => panic!("generated: {other:?}"),
    }
    match hand::decode_answer(failure) {
        Err(hand::AnswerError::Gateway { retcode, message }) => {
            assert_eq!(
                (retcode.as_str(), message.as_str()),
                ("100-006", "not signed in")
            );
        }
        other => panic!("hand-written: {other:?}"),
    }
    // 21 ids decode and fail validation; a fraction does not decode.
    let too_many = serde_json::to_vec(&QueryConfInfosRequest {
        conf_ids: (1..=21).collect(),
    })
    .unwrap();
    let generated: QueryConfInfosRequest = serde_json::from_slice(&too_many).unwrap();
    let hand: hand::QueryConfInfosRequest = serde_json::from_slice(&too_many).unwrap();
    assert!(generated.validate().is_err() && hand::check_request(&hand).is_err());
    for body in [&br#"{"confIds":[1.5]}"#[..], br#"{"confIds":"1"}"#, b"{}"] {
        assert!(serde_json::from_slice::<QueryConfInfosRequest>(body).is_err());
        assert!(serde_json::from_slice::<hand::QueryConfInfosRequest>(body).is_err());
    }
}

/// One operation of one side: runs it `n` times.
type Run = Box<dyn Fn(u64)>;

fn looped<R>(operation: impl Fn() -> R + 'static) -> Run {
    Box::new(move |n| {
        for _ in 0..n {
            black_box(operation());
        }
    })
}

struct Row {
    case: &'static str,
    operation: &'static str,
    generated: Run,
    hand: Run,
}

fn answer_rows(case: &'static AnswerCase) -> Vec<Row> {
    let body = case.body.as_slice();
    let generated = case.generated.result.as_ref().unwrap();
    let hand = case.hand.result.as_ref().unwrap();
    let row = |operation, generated, hand| Row {
        case: case.name,
        operation,
        generated,
        hand,
    };
    vec![
        row(
            "decode",
            looped(move || decode_answer::<QueryConfInfos>(200, black_box(body))),
            looped(move || hand::decode_answer(black_box(body))),
        ),
        row(
            "validate",
            looped(move || black_box(generated).validate()),
            looped(move || hand::check_result(black_box(hand))),
        ),
        row(
            "decode+validate",
            looped(move || {
                decode_answer::<QueryConfInfos>(200, black_box(body))
                    .map(|result| result.validate().is_ok())
            }),
            looped(move || {
                hand::decode_answer(black_box(body)).map(|result| hand::check_result(&result))
            }),
        ),
        row(
            "encode",
            looped(move || serde_json::to_vec(black_box(&case.generated))),
            looped(move || serde_json::to_vec(black_box(&case.hand))),
        ),
    ]
}

fn request_rows(case: &'static RequestCase) -> Vec<Row> {
    let body = case.body.as_slice();
    let (generated, hand) = (&case.generated, &case.hand);
    let row = |operation, generated, hand| Row {
        case: case.name,
        operation,
        generated,
        hand,
    };
    vec![
        row(
            "decode",
            looped(move || serde_json::from_slice::<QueryConfInfosRequest>(black_box(body))),
            looped(move || serde_json::from_slice::<hand::QueryConfInfosRequest>(black_box(body))),
        ),
        row(
            "validate",
            looped(move || black_box(generated).validate()),
            looped(move || hand::check_request(black_box(hand))),
        ),
        row(
            "decode+validate",
            looped(move || {
                serde_json::from_slice::<QueryConfInfosRequest>(black_box(body))
                    .map(|request| request.validate().is_ok())
            }),
            looped(move || {
                serde_json::from_slice::<hand::QueryConfInfosRequest>(black_box(body))
                    .map(|request| hand::check_request(&request).is_ok())
            }),
        ),
        row(
            "encode",
            looped(move || serde_json::to_vec(black_box(generated))),
            looped(move || serde_json::to_vec(black_box(hand))),
        ),
    ]
}

/// Rounds per row; each round times both sides, in alternating order.
const ROUNDS: usize = 7;
/// About how long one side runs in one round.
const ROUND_TIME: Duration = Duration::from_millis(25);

fn time(run: &Run, n: u64) -> Duration {
    let start = Instant::now();
    run(n);
    start.elapsed()
}

/// Iterations that take about `ROUND_TIME`.
fn calibrate(run: &Run) -> u64 {
    let mut n = 1;
    loop {
        let elapsed = time(run, n);
        if elapsed >= ROUND_TIME / 8 || n >= 1 << 30 {
            let per_op = elapsed.as_secs_f64() / n as f64;
            return ((ROUND_TIME.as_secs_f64() / per_op) as u64).max(1);
        }
        n *= 2;
    }
}

fn allocations(run: &Run) -> u64 {
    allocation_counter::measure(|| run(1)).count_total
}

fn compare() {
    let inputs = &*INPUTS;
    check_equivalence(inputs);
    let rows = inputs
        .answers
        .iter()
        .flat_map(answer_rows)
        .chain(inputs.requests.iter().flat_map(request_rows));
    for row in rows {
        // The slower side sets the count, so that both run the same number of operations.
        let n = calibrate(&row.generated).min(calibrate(&row.hand));
        let per_op = |run: &Run| time(run, n).as_secs_f64() * 1e9 / n as f64;
        let medians = rounds::alternate(ROUNDS, || per_op(&row.generated), || per_op(&row.hand));
        println!(
            "wire {} {} gen_ns={:.1} hand_ns={:.1} ratio={:.3} gen_allocs={} hand_allocs={}",
            row.case,
            row.operation,
            medians.a,
            medians.b,
            medians.ratio,
            allocations(&row.generated),
            allocations(&row.hand),
        );
    }
}

fn main() {
    compare();
    if !rounds::only_compare() {
        divan::main();
    }
}

fn answer_case(name: &str) -> &'static AnswerCase {
    INPUTS.answers.iter().find(|c| c.name == name).unwrap()
}

fn request_case(name: &str) -> &'static RequestCase {
    INPUTS.requests.iter().find(|c| c.name == name).unwrap()
}

const ANSWERS: [&str; 2] = ["answer-example", "answer-large"];
const REQUESTS: [&str; 2] = ["request-example", "request-20-ids"];

mod generated {
    use super::*;

    #[divan::bench(args = ANSWERS)]
    fn answer_decode(bencher: divan::Bencher, case: &str) {
        let body = answer_case(case).body.as_slice();
        bencher.bench(|| decode_answer::<QueryConfInfos>(200, black_box(body)));
    }

    #[divan::bench(args = ANSWERS)]
    fn answer_validate(bencher: divan::Bencher, case: &str) {
        let result = answer_case(case).generated.result.as_ref().unwrap();
        bencher.bench(|| black_box(result).validate());
    }

    #[divan::bench(args = ANSWERS)]
    fn answer_decode_validate(bencher: divan::Bencher, case: &str) {
        let body = answer_case(case).body.as_slice();
        bencher.bench(|| {
            decode_answer::<QueryConfInfos>(200, black_box(body)).map(|r| r.validate().is_ok())
        });
    }

    #[divan::bench(args = ANSWERS)]
    fn answer_encode(bencher: divan::Bencher, case: &str) {
        let envelope = &answer_case(case).generated;
        bencher.bench(|| serde_json::to_vec(black_box(envelope)));
    }

    #[divan::bench(args = REQUESTS)]
    fn request_decode(bencher: divan::Bencher, case: &str) {
        let body = request_case(case).body.as_slice();
        bencher.bench(|| serde_json::from_slice::<QueryConfInfosRequest>(black_box(body)));
    }

    #[divan::bench(args = REQUESTS)]
    fn request_validate(bencher: divan::Bencher, case: &str) {
        let request = &request_case(case).generated;
        bencher.bench(|| black_box(request).validate());
    }

    #[divan::bench(args = REQUESTS)]
    fn request_decode_validate(bencher: divan::Bencher, case: &str) {
        let body = request_case(case).body.as_slice();
        bencher.bench(|| {
            serde_json::from_slice::<QueryConfInfosRequest>(black_box(body))
                .map(|r| r.validate().is_ok())
        });
    }

    #[divan::bench(args = REQUESTS)]
    fn request_encode(bencher: divan::Bencher, case: &str) {
        let request = &request_case(case).generated;
        bencher.bench(|| serde_json::to_vec(black_box(request)));
    }
}

mod hand_written {
    use super::*;

    #[divan::bench(args = ANSWERS)]
    fn answer_decode(bencher: divan::Bencher, case: &str) {
        let body = answer_case(case).body.as_slice();
        bencher.bench(|| hand::decode_answer(black_box(body)));
    }

    #[divan::bench(args = ANSWERS)]
    fn answer_validate(bencher: divan::Bencher, case: &str) {
        let result = answer_case(case).hand.result.as_ref().unwrap();
        bencher.bench(|| hand::check_result(black_box(result)));
    }

    #[divan::bench(args = ANSWERS)]
    fn answer_decode_validate(bencher: divan::Bencher, case: &str) {
        let body = answer_case(case).body.as_slice();
        bencher.bench(|| hand::decode_answer(black_box(body)).map(|r| hand::check_result(&r)));
    }

    #[divan::bench(args = ANSWERS)]
    fn answer_encode(bencher: divan::Bencher, case: &str) {
        let envelope = &answer_case(case).hand;
        bencher.bench(|| serde_json::to_vec(black_box(envelope)));
    }

    #[divan::bench(args = REQUESTS)]
    fn request_decode(bencher: divan::Bencher, case: &str) {
        let body = request_case(case).body.as_slice();
        bencher.bench(|| serde_json::from_slice::<hand::QueryConfInfosRequest>(black_box(body)));
    }

    #[divan::bench(args = REQUESTS)]
    fn request_validate(bencher: divan::Bencher, case: &str) {
        let request = &request_case(case).hand;
        bencher.bench(|| hand::check_request(black_box(request)));
    }

    #[divan::bench(args = REQUESTS)]
    fn request_decode_validate(bencher: divan::Bencher, case: &str) {
        let body = request_case(case).body.as_slice();
        bencher.bench(|| {
            serde_json::from_slice::<hand::QueryConfInfosRequest>(black_box(body))
                .map(|r| hand::check_request(&r).is_ok())
        });
    }

    #[divan::bench(args = REQUESTS)]
    fn request_encode(bencher: divan::Bencher, case: &str) {
        let request = &request_case(case).hand;
        bencher.bench(|| serde_json::to_vec(black_box(request)));
    }
}
