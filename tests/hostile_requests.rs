//! Hostile requests against the simulator's generated routes, in process (`oneshot`) and over a
//! real loopback socket: one table of cases, each with the HTTP status and envelope result code
//! it must get (the spec's refusal codes, from `agentgateway::PROTOCOL`). For every case the
//! handler runs only for a valid, authenticated request (`Simulator::handled_calls`), no answer
//! carries another agent's session or conferences, and the server answers a valid request
//! afterwards. Slow bodies and concurrent long polls have their own tests below.

use std::time::Duration;

use agentgateway::PROTOCOL;
use agentgateway_sim::{DataSet, Options, Simulator};
use futures_util::StreamExt as _;
use gatespec::server::axum::Router;
use gatespec::server::axum::body::Body;
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt as _;

const QUERY: &str = "/agentgateway/resource/agentconf/153/queryconfinfos";
/// The vendor page's request body.
const BODY: &str = r#"{"confIds":[1029888,1029889]}"#;
/// Conferences agent 153 must never see (154's, and another VDN's), and what they contain.
const NOT_153S: [&str; 4] = ["1029889", "2048001", "70006", "80001"];

/// Stands for a session id resolved when the case runs.
const LIVE_153: &[u8] = b"{live 153}";
const LIVE_154: &[u8] = b"{live 154}";
const LIVE_200: &[u8] = b"{live 200}";
const LIVE_300: &[u8] = b"{live 300}";
const SIGNED_OUT: &[u8] = b"{signed out}";
const RENEWED_AWAY: &[u8] = b"{renewed away}";

/// What a case must get.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// HTTP 200 with the success code: the handler ran.
    Answered,
    /// This HTTP status and refusal code; the handler did not run.
    Refused(u16, &'static str),
    /// Over a socket, HTTP itself refuses with this status before any route (no envelope);
    /// in process, the case gets `.0`.
    Transport(u16, &'static Expect),
}

struct Case {
    name: &'static str,
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, Vec<u8>)>,
    body: Vec<u8>,
    expect: Expect,
}

fn case(name: &'static str) -> Case {
    Case {
        name,
        method: "POST",
        path: QUERY.to_owned(),
        headers: vec![
            ("Guid", LIVE_153.to_vec()),
            ("Content-Type", b"application/json".to_vec()),
        ],
        body: BODY.as_bytes().to_vec(),
        expect: Expect::Answered,
    }
}

impl Case {
    fn method(mut self, method: &'static str) -> Self {
        self.method = method;
        self
    }
    fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }
    /// Replaces the header `name` (`None`: leaves it out).
    fn set(mut self, name: &'static str, value: Option<&[u8]>) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        if let Some(value) = value {
            self.headers.push((name, value.to_vec()));
        }
        self
    }
    /// Adds a header (a second one of the same name, say).
    fn add(mut self, name: &'static str, value: &[u8]) -> Self {
        self.headers.push((name, value.to_vec()));
        self
    }
    fn guid(self, value: Option<&[u8]>) -> Self {
        self.set("Guid", value)
    }
    fn content_type(self, value: Option<&str>) -> Self {
        self.set("Content-Type", value.map(str::as_bytes))
    }
    fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }
    fn answered(mut self) -> Self {
        self.expect = Expect::Answered;
        self
    }
    fn refused(mut self, code: &'static str) -> Self {
        self.expect = Expect::Refused(200, code);
        self
    }
    fn refused_with(mut self, status: u16, code: &'static str) -> Self {
        self.expect = Expect::Refused(status, code);
        self
    }
    fn transport(mut self, status: u16, in_process: &'static Expect) -> Self {
        self.expect = Expect::Transport(status, in_process);
        self
    }
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn ids(n: usize) -> String {
    let list: Vec<String> = (0..n).map(|i| (1_029_888 + i).to_string()).collect();
    format!(r#"{{"confIds":[{}]}}"#, list.join(","))
}

fn agentconf(agentid: &str) -> String {
    format!("/agentgateway/resource/agentconf/{agentid}/queryconfinfos")
}

const UNKNOWN_SESSION: Expect = Expect::Refused(200, PROTOCOL.refusals.no_permission);

/// The table.
fn cases() -> Vec<Case> {
    let r = &PROTOCOL.refusals;
    let (invalid, not_signed_in, no_permission) =
        (r.invalid_parameter, r.not_signed_in, r.no_permission);
    vec![
        // The request itself, and harmless variants of it.
        case("the vendor example"),
        case("content type with charset").content_type(Some("application/json; charset=UTF-8")),
        case("content type in capitals").content_type(Some("APPLICATION/JSON")),
        case("percent-encoded agent id of the caller").path(agentconf("%31%35%33")),
        case("session header with spaces around it").guid(Some(b"  {live 153}  ")),
        case("unknown members are ignored").body(r#"{"confIds":[1029888],"x":{"y":[1,2]}}"#),
        case("empty list").body(r#"{"confIds":[]}"#),
        case("twenty ids, the most allowed").body(ids(20)),
        case("body with surrounding whitespace").body(format!(" \n\t{BODY}\r\n ")),
        // Methods.
        case("GET").method("GET").refused_with(405, invalid),
        case("PUT").method("PUT").refused_with(405, invalid),
        case("DELETE").method("DELETE").refused_with(405, invalid),
        case("PATCH").method("PATCH").refused_with(405, invalid),
        case("OPTIONS").method("OPTIONS").refused_with(405, invalid),
        case("an invented method")
            .method("BREW")
            .refused_with(405, invalid),
        case("lower-case post")
            .method("post")
            .refused_with(405, invalid),
        // The session header.
        case("no session header").guid(None).refused(not_signed_in),
        case("empty session header")
            .guid(Some(b""))
            .refused(not_signed_in),
        case("blank session header")
            .guid(Some(b"   "))
            .refused(not_signed_in),
        case("unknown session")
            .guid(Some(b"0b8e5d37-0000.AgentGateway0"))
            .refused(no_permission),
        case("session header in another case")
            .guid(None)
            .add("GUID", LIVE_153),
        case("session header twice, both the caller's")
            .add("Guid", LIVE_153)
            .refused(invalid),
        case("session header twice, the second another agent's")
            .add("Guid", LIVE_154)
            .refused(invalid),
        case("session header twice, the first unknown")
            .guid(Some(b"nobody"))
            .add("Guid", LIVE_153)
            .refused(invalid),
        case("session header of 8 KiB")
            .guid(Some(&[b'a'; 8 * 1024]))
            .refused(no_permission),
        case("session header of 1 MiB")
            .guid(Some(&[b'a'; 1024 * 1024]))
            .transport(431, &UNKNOWN_SESSION),
        case("invalid UTF-8 in the session header")
            .guid(Some(b"\xff\xfe{live 153}"))
            .refused(no_permission),
        case("the session prefixed as in the renewal header")
            .guid(Some(b"JSESSIONID={live 153}"))
            .refused(no_permission),
        // Whose session.
        case("another agent's session")
            .guid(Some(LIVE_154))
            .refused(no_permission),
        case("an inspector's session for an agent's path")
            .guid(Some(LIVE_200))
            .refused(no_permission),
        case("another VDN's inspector")
            .guid(Some(LIVE_300))
            .refused(no_permission),
        case("a signed-out agent's session")
            .path(agentconf("155"))
            .guid(Some(SIGNED_OUT))
            .refused(no_permission),
        case("a session id renewed away and expired")
            .path(agentconf("154"))
            .guid(Some(RENEWED_AWAY))
            .refused(no_permission),
        case("the caller's session on another agent's path")
            .path(agentconf("154"))
            .refused(no_permission),
        // Path parameters.
        case("agent id below the range")
            .path(agentconf("100"))
            .refused(invalid),
        case("agent id above the range")
            .path(agentconf("60000"))
            .refused(invalid),
        case("agent id with a plus sign")
            .path(agentconf("+153"))
            .refused(invalid),
        case("agent id with a minus sign")
            .path(agentconf("-153"))
            .refused(invalid),
        // A valid agent id, but not the caller's as written: ids are compared as sent.
        case("agent id with a leading zero")
            .path(agentconf("0153"))
            .refused(no_permission),
        case("agent id with an encoded space")
            .path(agentconf("%20153"))
            .refused(invalid),
        case("agent id with a trailing space")
            .path(agentconf("153%20"))
            .refused(invalid),
        case("agent id as a float")
            .path(agentconf("153.0"))
            .refused(invalid),
        case("agent id in hex")
            .path(agentconf("0x99"))
            .refused(invalid),
        case("huge agent id")
            .path(agentconf(&"9".repeat(400)))
            .refused(invalid),
        case("encoded dot-dot")
            .path(agentconf("%2e%2e"))
            .refused(invalid),
        case("dot-dot and an encoded slash")
            .path(agentconf("..%2f153"))
            .refused(invalid),
        case("encoded slash inside")
            .path(agentconf("153%2f..%2f154"))
            .refused(invalid),
        case("encoded NUL")
            .path(agentconf("153%00"))
            .refused(invalid),
        case("encoded invalid UTF-8")
            .path(agentconf("%ff153"))
            .refused(invalid),
        case("encoded backslash")
            .path(agentconf("..%5c153"))
            .refused(invalid),
        case("dot-dot segments")
            .path("/agentgateway/resource/agentconf/154/../153/queryconfinfos")
            .refused_with(404, r.unknown_path),
        case("double slash")
            .path("/agentgateway//resource/agentconf/153/queryconfinfos")
            .refused_with(404, r.unknown_path),
        case("trailing slash")
            .path(format!("{QUERY}/"))
            .refused_with(404, r.unknown_path),
        case("empty agent id")
            .path("/agentgateway/resource/agentconf//queryconfinfos")
            .refused(invalid),
        case("query string is ignored").path(format!("{QUERY}?agentid=154&x=%ff")),
        // Content types.
        case("no content type").content_type(None).refused(invalid),
        case("text/plain")
            .content_type(Some("text/plain"))
            .refused(invalid),
        case("form")
            .content_type(Some("application/x-www-form-urlencoded"))
            .refused(invalid),
        case("a JSON-like type")
            .content_type(Some("application/json-patch+json"))
            .refused(invalid),
        case("json with a suffix")
            .content_type(Some("application/jsonx"))
            .refused(invalid),
        case("invalid UTF-8 in the content type")
            .content_type(None)
            .add("Content-Type", b"application/json\xff")
            .refused(invalid),
        // Bodies that are not JSON or not the body's shape.
        case("empty body").body("").refused(invalid),
        case("truncated JSON")
            .body(r#"{"confIds":[1029888,"#)
            .refused(invalid),
        case("trailing garbage")
            .body(format!("{BODY}x"))
            .refused(invalid),
        case("two objects")
            .body(format!("{BODY}{BODY}"))
            .refused(invalid),
        case("an array").body("[[1029888]]").refused(invalid),
        case("null").body("null").refused(invalid),
        case("a string").body(r#""confIds""#).refused(invalid),
        case("missing member").body("{}").refused(invalid),
        case("member null")
            .body(r#"{"confIds":null}"#)
            .refused(invalid),
        case("member of the wrong type")
            .body(r#"{"confIds":"1029888"}"#)
            .refused(invalid),
        case("duplicate keys")
            .body(r#"{"confIds":[1029888],"confIds":[1]}"#)
            .refused(invalid),
        case("invalid UTF-8 in a string")
            .body(b"{\"confIds\":[1029888],\"note\":\"\xff\xfe\"}".to_vec())
            .refused(invalid),
        case("invalid UTF-8 in an ignored member's name")
            .body(b"{\"\xc3\x28\":1,\"confIds\":[1029888]}".to_vec())
            .refused(invalid),
        // Ignored members are checked for JSON syntax only; a lone surrogate escape is syntax.
        case("a lone surrogate escape in an ignored member")
            .body(r#"{"x":"\ud800","confIds":[]}"#)
            .answered(),
        case("a lone surrogate escape in a string read")
            .path("/agentgateway/resource/agentconf/153/batchaddparticipant")
            .body(r#"{"addresses":[{"addressType":"9","address":"\ud800"}]}"#)
            .refused(invalid),
        case("a byte-order mark")
            .body(format!("\u{feff}{BODY}"))
            .refused(invalid),
        case("deeply nested list")
            .body(format!(r#"{{"confIds":{}}}"#, nested(10_000)))
            .refused(invalid),
        // Skipped without recursion: as deep as the body limit allows, and no stack overflow.
        case("deeply nested ignored member")
            .body(format!(r#"{{"x":{},"confIds":[]}}"#, nested(30_000))),
        // Numbers.
        case("a fraction")
            .body(r#"{"confIds":[1029888.5]}"#)
            .refused(invalid),
        // An integral number in exponent form is an integer to JSON Schema, and so to the server.
        case("an integral exponent")
            .body(r#"{"confIds":[1e6]}"#)
            .answered(),
        case("a fractional exponent")
            .body(r#"{"confIds":[1.5e0]}"#)
            .refused(invalid),
        case("a huge exponent")
            .body(r#"{"confIds":[1e400]}"#)
            .refused(invalid),
        case("above i64")
            .body(r#"{"confIds":[9223372036854775808]}"#)
            .refused(invalid),
        case("below i64")
            .body(r#"{"confIds":[-9223372036854775809]}"#)
            .refused(invalid),
        case("a thousand digits")
            .body(format!(r#"{{"confIds":[{}]}}"#, "9".repeat(1000)))
            .refused(invalid),
        case("a numeric string with a sign")
            .body(r#"{"confIds":["+1029888"]}"#)
            .refused(invalid),
        case("a numeric string with spaces")
            .body(r#"{"confIds":[" 1029888 "]}"#)
            .refused(invalid),
        case("a leading zero")
            .body(r#"{"confIds":[01029888]}"#)
            .refused(invalid),
        case("NaN").body(r#"{"confIds":[NaN]}"#).refused(invalid),
        case("a plus sign")
            .body(r#"{"confIds":[+1029888]}"#)
            .refused(invalid),
        // Sizes.
        case("21 ids, one too many").body(ids(21)).refused(invalid),
        case("ten thousand ids").body(ids(10_000)).refused(invalid),
        case("a body over the limit")
            .body(format!("{BODY}{}", " ".repeat(70 * 1024)))
            .refused(invalid),
        case("a huge ignored string").body(format!(
            r#"{{"x":"{}","confIds":[]}}"#,
            "a".repeat(60 * 1024)
        )),
    ]
}

/// The simulator, its router and the session ids cases refer to.
struct Fixture {
    sim: Simulator,
    app: Router,
    base: String,
    signed_out: String,
    renewed_away: String,
    _server: tokio::task::JoinHandle<()>,
}

/// An answer: status and body.
struct Answer {
    status: u16,
    body: Vec<u8>,
}

impl Fixture {
    async fn start() -> Self {
        let options = Options {
            hold: Duration::from_millis(100),
            renewal_interval: Some(Duration::ZERO),
            old_guid_validity: Duration::from_millis(100),
            ..Options::default()
        };
        let sim = Simulator::with_options(DataSet::default_data().unwrap(), options);
        let app = agentgateway_sim::app(sim.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = listener.local_addr().unwrap().to_string();
        let served = app.clone();
        let server = tokio::spawn(async move {
            let _ = agentgateway_sim::serve(listener, served).await;
        });
        let mut fixture = Self {
            sim,
            app,
            base,
            signed_out: String::new(),
            renewed_away: String::new(),
            _server: server,
        };
        // 155 signs out; 154 polls, which renews its session id, and the old id expires.
        fixture.signed_out = fixture.guid("155").await;
        let logout = fixture
            .send_in_process(
                "DELETE",
                "/agentgateway/resource/onlineagent/155/logout",
                &[("Guid", fixture.signed_out.clone().into_bytes())],
                b"",
            )
            .await;
        assert_eq!(envelope(&logout)["retcode"], "0");
        assert!(fixture.sim.session_of("155").await.is_none());
        fixture.renewed_away = fixture.guid("154").await;
        let poll = fixture
            .send_in_process(
                "GET",
                "/agentgateway/resource/agentevent/154",
                &[("Guid", fixture.renewed_away.clone().into_bytes())],
                b"",
            )
            .await;
        assert_eq!(envelope(&poll)["retcode"], "0");
        assert_ne!(fixture.guid("154").await, fixture.renewed_away);
        tokio::time::sleep(Duration::from_millis(250)).await;
        fixture
    }

    async fn guid(&self, agent: &str) -> String {
        self.sim.session_of(agent).await.unwrap().guid
    }

    /// The header value with its stand-in session id replaced.
    async fn resolve(&self, value: &[u8]) -> Vec<u8> {
        let mut value = value.to_vec();
        for (stand_in, agent) in [
            (LIVE_153, "153"),
            (LIVE_154, "154"),
            (LIVE_200, "200"),
            (LIVE_300, "300"),
        ] {
            value = replace(&value, stand_in, self.guid(agent).await.as_bytes());
        }
        value = replace(&value, SIGNED_OUT, self.signed_out.as_bytes());
        replace(&value, RENEWED_AWAY, self.renewed_away.as_bytes())
    }

    /// Session ids no answer to agent 153 may carry.
    async fn others_sessions(&self) -> Vec<String> {
        let mut ids = vec![self.signed_out.clone(), self.renewed_away.clone()];
        for agent in ["154", "155", "200", "300"] {
            if let Some(session) = self.sim.session_of(agent).await {
                ids.push(session.guid);
            }
        }
        ids
    }

    async fn send_in_process(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, Vec<u8>)],
        body: &[u8],
    ) -> Answer {
        let mut request = gatespec::server::axum::http::Request::builder()
            .method(method)
            .uri(path);
        for (name, value) in headers {
            request = request.header(*name, value.as_slice());
        }
        let request = request.body(Body::from(body.to_vec())).unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let body = gatespec::server::axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Answer { status, body }
    }

    async fn send_over_socket(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, Vec<u8>)],
        body: &[u8],
    ) -> Answer {
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.base
        )
        .into_bytes();
        for (name, value) in headers {
            request.extend_from_slice(format!("{name}: ").as_bytes());
            request.extend_from_slice(value);
            request.extend_from_slice(b"\r\n");
        }
        request.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        request.extend_from_slice(body);
        let mut stream = TcpStream::connect(&self.base).await.unwrap();
        // The server may answer and close before reading everything (a header too large).
        let _ = stream.write_all(&request).await;
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
            .await
            .expect("the server answers within 10 s")
            .ok();
        parse_http(&answer)
    }
}

fn replace(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(with);
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// Status and body of an HTTP/1.1 answer (`Content-Length` or chunked).
fn parse_http(raw: &[u8]) -> Answer {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP answer: {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        let mut decoded = Vec::new();
        let mut rest = body.as_slice();
        loop {
            let line = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size =
                usize::from_str_radix(std::str::from_utf8(&rest[..line]).unwrap().trim(), 16)
                    .unwrap();
            if size == 0 {
                break;
            }
            decoded.extend_from_slice(&rest[line + 2..line + 2 + size]);
            rest = &rest[line + 2 + size + 2..];
        }
        body = decoded;
    }
    Answer { status, body }
}

fn envelope(answer: &Answer) -> Value {
    serde_json::from_slice(&answer.body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&answer.body)))
}

/// Runs `case` one way and checks the answer; returns what went wrong.
async fn check(fixture: &Fixture, case: &Case, socket: bool) -> Result<(), String> {
    let mut headers = Vec::new();
    for (name, value) in &case.headers {
        headers.push((*name, fixture.resolve(value).await));
    }
    let before = fixture.sim.handled_calls();
    let answer = if socket {
        fixture
            .send_over_socket(case.method, &case.path, &headers, &case.body)
            .await
    } else {
        fixture
            .send_in_process(case.method, &case.path, &headers, &case.body)
            .await
    };
    let handled = fixture.sim.handled_calls() - before;
    let text = String::from_utf8_lossy(&answer.body).into_owned();
    let expect = match case.expect {
        Expect::Transport(status, _) if socket => {
            return (answer.status == status && handled == 0)
                .then_some(())
                .ok_or(format!(
                    "expected HTTP {status}, got {} {text}",
                    answer.status
                ));
        }
        Expect::Transport(_, in_process) => *in_process,
        other => other,
    };
    let (status, retcode, runs) = match expect {
        Expect::Answered => (200, PROTOCOL.envelope.success, 1),
        Expect::Refused(status, code) => (status, code, 0),
        Expect::Transport(..) => unreachable!("no nested transport expectations"),
    };
    let Ok(value) = serde_json::from_slice::<Value>(&answer.body) else {
        return Err(format!(
            "HTTP {} and not the envelope: {text}",
            answer.status
        ));
    };
    if answer.status != status || value[PROTOCOL.envelope.retcode] != retcode {
        return Err(format!(
            "expected HTTP {status} {retcode}, got HTTP {}: {text}",
            answer.status
        ));
    }
    if handled != runs {
        return Err(format!("the handler ran {handled} times, expected {runs}"));
    }
    if runs == 0 && value.get(PROTOCOL.envelope.result).is_some() {
        return Err(format!("a refusal with a result: {text}"));
    }
    let result = value[PROTOCOL.envelope.result].to_string();
    if let Some(leak) = NOT_153S.iter().find(|c| result.contains(*c)) {
        return Err(format!(
            "the answer shows {leak}, which agent 153 may not see: {text}"
        ));
    }
    if let Some(leak) = fixture
        .others_sessions()
        .await
        .iter()
        .find(|s| text.contains(s.as_str()))
    {
        return Err(format!(
            "the answer carries another session id {leak}: {text}"
        ));
    }
    Ok(())
}

/// The server still answers the vendor example with agent 153's conference.
async fn still_answers(fixture: &Fixture, socket: bool) -> Result<(), String> {
    check(fixture, &case("the vendor example afterwards"), socket).await
}

async fn run_table(socket: bool) {
    let fixture = Fixture::start().await;
    let cases = cases();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(e) = check(&fixture, case, socket).await {
            failures.push(format!("{}: {e}", case.name));
        } else if let Err(e) = still_answers(&fixture, socket).await {
            failures.push(format!("after {}: {e}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn hostile_requests_in_process() {
    run_table(false).await;
}

#[tokio::test]
async fn hostile_requests_over_a_socket() {
    run_table(true).await;
}

// ---------------------------------------------------------------- slow bodies

/// A body trickling one byte per 100 ms is cut off by the body timeout: refused with
/// `invalid_parameter` well before it would have arrived, the handler never runs, and the server
/// answers the next request.
#[tokio::test]
async fn a_trickling_body_is_cut_off_over_a_socket() {
    let sim = Simulator::new(DataSet::default_data().unwrap());
    let options = gatespec::server::Options::default().body_timeout(Duration::from_millis(500));
    let app = agentgateway::agentconf::router_with(sim.clone(), options);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(agentgateway_sim::serve(listener, app));
    let guid = sim.session_of("153").await.unwrap().guid;
    let before = sim.handled_calls();

    let stream = TcpStream::connect(address).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let head = format!(
        "POST {QUERY} HTTP/1.1\r\nHost: {address}\r\nGuid: {guid}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        BODY.len()
    );
    write.write_all(head.as_bytes()).await.unwrap();
    let trickle = tokio::spawn(async move {
        for byte in BODY.bytes() {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if write.write_all(&[byte]).await.is_err() {
                return;
            }
        }
    });
    let started = std::time::Instant::now();
    let answer = read_answer(&mut read).await;
    let waited = started.elapsed();
    trickle.abort();
    assert!(waited < Duration::from_secs(2), "cut off after {waited:?}");
    assert_eq!(answer.status, 200);
    let value = envelope(&answer);
    assert_eq!(
        value["retcode"], PROTOCOL.refusals.invalid_parameter,
        "{value}"
    );
    assert!(
        value["message"]
            .as_str()
            .unwrap()
            .contains("did not arrive within 500 ms"),
        "{value}"
    );
    assert_eq!(sim.handled_calls(), before);

    // The server still answers.
    let request = reqwest::Client::new()
        .post(format!("http://{address}{QUERY}"))
        .header("Guid", &guid)
        .header("Content-Type", "application/json")
        .body(BODY)
        .send()
        .await
        .unwrap();
    let value: Value = serde_json::from_str(&request.text().await.unwrap()).unwrap();
    assert_eq!(value["retcode"], "0", "{value}");
    server.abort();
}

/// Headers trickling in (slowloris) are cut off by the header timeout: the connection is closed
/// without an answer, the handler never runs, and other clients are served meanwhile and after.
#[tokio::test]
async fn trickling_headers_are_cut_off_over_a_socket() {
    let sim = Simulator::new(DataSet::default_data().unwrap());
    let app = agentgateway::agentconf::router(sim.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(agentgateway_sim::serve_with_header_timeout(
        listener,
        app,
        Duration::from_millis(400),
    ));
    let guid = sim.session_of("153").await.unwrap().guid;
    let before = sim.handled_calls();

    let stream = TcpStream::connect(address).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let head = format!("POST {QUERY} HTTP/1.1\r\nHost: {address}\r\nGuid: {guid}\r\n");
    let trickle = tokio::spawn(async move {
        for byte in head.bytes().cycle().take(200) {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if write.write_all(&[byte]).await.is_err() {
                return;
            }
        }
    });
    let query = || {
        reqwest::Client::new()
            .post(format!("http://{address}{QUERY}"))
            .header("Guid", &guid)
            .header("Content-Type", "application/json")
            .body(BODY)
            .send()
    };
    // Served while the slow client holds its connection.
    let value: Value = serde_json::from_str(&query().await.unwrap().text().await.unwrap()).unwrap();
    assert_eq!(value["retcode"], "0", "{value}");
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), read.read_to_end(&mut rest)).await;
    let waited = started.elapsed();
    trickle.abort();
    assert!(
        closed.is_ok(),
        "the slow connection was still open after 5 s"
    );
    assert!(waited < Duration::from_secs(2), "closed after {waited:?}");
    // hyper may answer 408 before closing; never anything from the router.
    let text = String::from_utf8_lossy(&rest);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
    assert_eq!(sim.handled_calls(), before + 1);

    let value: Value = serde_json::from_str(&query().await.unwrap().text().await.unwrap()).unwrap();
    assert_eq!(value["retcode"], "0", "{value}");
    server.abort();
}

/// The same in process: a body stream that yields one byte per 100 ms.
#[tokio::test]
async fn a_trickling_body_is_cut_off_in_process() {
    let sim = Simulator::new(DataSet::default_data().unwrap());
    let options = gatespec::server::Options::default().body_timeout(Duration::from_millis(300));
    let app = agentgateway::agentconf::router_with(sim.clone(), options);
    let guid = sim.session_of("153").await.unwrap().guid;
    let before = sim.handled_calls();
    let bytes = futures_util::stream::iter(BODY.bytes()).then(|byte| async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        Ok::<_, std::io::Error>(vec![byte])
    });
    let request = gatespec::server::axum::http::Request::post(QUERY)
        .header("Guid", guid)
        .header("Content-Type", "application/json")
        .body(Body::from_stream(bytes))
        .unwrap();
    let started = std::time::Instant::now();
    let response = app.oneshot(request).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(1));
    let body = gatespec::server::axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        value["retcode"], PROTOCOL.refusals.invalid_parameter,
        "{value}"
    );
    assert_eq!(sim.handled_calls(), before);
}

/// Reads one HTTP answer (headers and a `Content-Length` body) without waiting for the
/// connection to close.
async fn read_answer(read: &mut (impl tokio::io::AsyncRead + Unpin)) -> Answer {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(5), read.read(&mut chunk))
            .await
            .expect("an answer within 5 s")
            .unwrap();
        raw.extend_from_slice(&chunk[..n]);
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if raw.len() >= split + 4 + length || n == 0 {
                return parse_http(&raw);
            }
        }
        assert!(n > 0, "closed without an answer");
    }
}

// ---------------------------------------------------------------- long-poll abuse

/// Many concurrent polls for one session. The policy (the runtime's live sessions): each poll
/// holds until an event or the hold's end, an event answers exactly one of them, nothing caps
/// their number (the HTTP server's connection limit does), and they hold nothing another
/// request needs: the same agent's other calls are answered meanwhile, and the session's id is
/// not renewed away under them.
#[tokio::test]
async fn concurrent_polls_for_one_session() {
    let options = Options {
        hold: Duration::from_millis(600),
        ..Options::default()
    };
    let sim = Simulator::with_options(DataSet::default_data().unwrap(), options);
    let app = agentgateway_sim::app(sim.clone());
    let guid = sim.session_of("153").await.unwrap().guid;
    let before = sim.handled_calls();
    let poll = |app: Router, guid: String| async move {
        let request =
            gatespec::server::axum::http::Request::get("/agentgateway/resource/agentevent/153")
                .header("Guid", guid)
                .body(Body::empty())
                .unwrap();
        let response = app.oneshot(request).await.unwrap();
        let body = gatespec::server::axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        serde_json::from_slice::<Value>(&body).unwrap()
    };
    let started = std::time::Instant::now();
    let polls: Vec<_> = (0..50)
        .map(|_| tokio::spawn(poll(app.clone(), guid.clone())))
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;

    // Meanwhile the agent's other calls are answered at once.
    let query = gatespec::server::axum::http::Request::post(QUERY)
        .header("Guid", &guid)
        .header("Content-Type", "application/json")
        .body(Body::from(BODY))
        .unwrap();
    let answered = app.clone().oneshot(query).await.unwrap();
    assert_eq!(answered.status(), 200);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "the query waited for the polls"
    );

    // One event, one poll answered with it; the others hold to the end.
    let published = sim
        .publish(
            "153",
            &agentgateway::Event::AgentOtherInService {
                agent: "153".to_owned(),
            },
        )
        .await;
    assert_eq!(published, gatespec::server::live::Published::Queued);
    let mut with_event = 0;
    for poll in polls {
        let value = poll.await.unwrap();
        assert_eq!(value["retcode"], "0", "{value}");
        let event =
            <agentgateway::agentevent::GetAgentEvent as gatespec::Interface>::ENVELOPE.result;
        if value.get(event).is_some_and(|r| !r.is_null()) {
            with_event += 1;
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the polls held for {:?}",
        started.elapsed()
    );
    assert_eq!(with_event, 1);
    assert_eq!(sim.handled_calls() - before, 51);
    assert_eq!(sim.session_of("153").await.unwrap().guid, guid);
}
