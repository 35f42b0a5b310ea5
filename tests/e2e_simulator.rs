//! End to end over real loopback sockets, no mocks of HTTP: the generated `AgentconfClient`
//! against the simulator (plain HTTP, and HTTPS with a CA made at test time), raw HTTP for what
//! the typed client cannot send, and small real servers that answer what a broken gateway would.

use std::time::Duration;

use agentgateway::agentconf::{
    AgentconfClient, QueryConfInfosRequest, QueryConfInfosResult, StopVoiceToConfFailure,
};
use agentgateway::{AgentId, Envelope, ErrorCode};
use agentgateway_sim::{DataSet, Options, Simulator, tls};
use gatespec::client::{Client, ClientError, Session};
use serde_json::{Value, json};
use tokio::net::TcpListener;

mod loopback;
use loopback::Gateway;

const PATH: &str = "/agentgateway/resource/agentconf";

/// The catalogue's meaning of `000-002`, which starts every invalid-parameter refusal.
const INVALID: &str = "A parameter or the address passed in the URL is incorrect, or an interface parameter is invalid";

/// What these tests add to the shared harness.
trait QueryGateway {
    /// The generated client, signed in as `agent`.
    async fn conf(&self, agent: &str) -> AgentconfClient;
    /// The queryconfinfos URL of `agent`.
    fn url(&self, agent: &str) -> String;
}

impl QueryGateway for Gateway {
    async fn conf(&self, agent: &str) -> AgentconfClient {
        AgentconfClient::new(Session::resume(
            &Client::builder(&self.base).build().unwrap(),
            self.guid(agent).await,
        ))
    }

    fn url(&self, agent: &str) -> String {
        format!("{}{PATH}/{agent}/queryconfinfos", self.base)
    }
}

fn agent(id: &str) -> AgentId {
    id.parse().unwrap()
}

fn ids(result: &QueryConfInfosResult) -> Vec<i64> {
    result.confs.iter().map(|c| c.conf_id).collect()
}

async fn query(gw: &Gateway, who: &str, conf_ids: &[i64]) -> Vec<i64> {
    let body = QueryConfInfosRequest {
        conf_ids: conf_ids.to_vec(),
    };
    ids(&gw
        .conf(who)
        .await
        .query_conf_infos(agent(who), &body)
        .await
        .unwrap())
}

/// A raw POST: status, Allow header and the decoded envelope.
async fn raw(
    method: reqwest::Method,
    url: &str,
    guid: Option<&str>,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (u16, Option<String>, Value) {
    let mut request = reqwest::Client::new().request(method, url).body(body);
    if let Some(guid) = guid {
        request = request.header("Guid", guid);
    }
    if let Some(content_type) = content_type {
        request = request.header("Content-Type", content_type);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let allow = response
        .headers()
        .get("allow")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    let envelope = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, allow, envelope)
}

const JSON: Option<&str> = Some("application/json; charset=UTF-8");

/// Refused with `retcode` (HTTP 200, the envelope without result) before reaching a handler.
async fn assert_refused(gw: &Gateway, who: &str, body: &str, retcode: &str) -> String {
    let before = gw.sim.handled_calls();
    let guid = gw.guid("153").await;
    let (status, _, envelope) = raw(
        reqwest::Method::POST,
        &gw.url(who),
        Some(&guid),
        JSON,
        body.to_owned(),
    )
    .await;
    assert_eq!(status, 200, "{envelope}");
    assert_eq!(envelope["retcode"], retcode, "{body}: {envelope}");
    assert!(envelope.get("result").is_none(), "{envelope}");
    assert_eq!(gw.sim.handled_calls(), before, "{body} reached the handler");
    envelope["message"].as_str().unwrap().to_owned()
}

// ---------------------------------------------------------------- success and visibility

#[tokio::test]
async fn the_vendor_example_end_to_end() {
    let gw = Gateway::start_default().await;
    // The page's example: agent 153 asks for 1029888 and 1029889 and gets 1029888, which is
    // the response of the page, field for field.
    let spec: Value = serde_saphyr::from_str(
        &std::fs::read_to_string("../spec/agentgateway/agentconf/queryconfinfos.yaml").unwrap(),
    )
    .unwrap();
    let example = &spec["interfaces"]["query_conf_infos"]["example"];
    let request: QueryConfInfosRequest =
        serde_json::from_str(example["request"].as_str().unwrap()).unwrap();
    let expected: Envelope<QueryConfInfosResult> =
        serde_json::from_str(example["response"].as_str().unwrap()).unwrap();

    let result = gw
        .conf("153")
        .await
        .query_conf_infos(agent("153"), &request)
        .await
        .unwrap();
    assert_eq!(Some(result), expected.result);

    // And on the wire, byte for byte what the page shows (modulo whitespace).
    let guid = gw.guid("153").await;
    let (status, _, envelope) = raw(
        reqwest::Method::POST,
        &gw.url("153"),
        Some(&guid),
        JSON,
        example["request"].as_str().unwrap().to_owned(),
    )
    .await;
    assert_eq!(status, 200);
    let page: Value = serde_json::from_str(example["response"].as_str().unwrap()).unwrap();
    assert_eq!(envelope, page);
}

#[tokio::test]
async fn visibility_inspector_sees_its_whole_vdn() {
    let gw = Gateway::start_default().await;
    let all = [1029888, 1029889, 2048001];
    assert_eq!(query(&gw, "200", &all).await, [1029888, 1029889]);
    assert_eq!(query(&gw, "300", &all).await, [2048001]);
}

#[tokio::test]
async fn visibility_common_agent_sees_only_its_own_conference() {
    let gw = Gateway::start_default().await;
    let all = [1029888, 1029889, 2048001];
    assert_eq!(query(&gw, "153", &all).await, [1029888]);
    assert_eq!(query(&gw, "154", &all).await, [1029889]);
    assert_eq!(query(&gw, "155", &all).await, Vec::<i64>::new());
    // Order of the request, each conference once.
    assert_eq!(
        query(&gw, "200", &[1029889, 1029888, 1029889]).await,
        [1029889, 1029888]
    );
    assert_eq!(query(&gw, "153", &[]).await, Vec::<i64>::new());
}

#[tokio::test]
async fn visibility_hidden_conferences_are_not_leaked() {
    let gw = Gateway::start_default().await;
    let guid = gw.guid("153").await;
    let ask = |conf: i64| {
        let url = gw.url("153");
        let guid = guid.clone();
        async move {
            raw(
                reqwest::Method::POST,
                &url,
                Some(&guid),
                JSON,
                format!("{{\"confIds\":[{conf}]}}"),
            )
            .await
        }
    };
    // Another agent's conference, another VDN's conference and a conference that does not
    // exist get the same answer.
    let other_agents = ask(1029889).await;
    let other_vdn = ask(2048001).await;
    let missing = ask(999).await;
    assert_eq!(other_agents, missing);
    assert_eq!(other_vdn, missing);
    assert_eq!(
        missing.2,
        json!({"message": "", "retcode": "0", "result": {"confs": []}})
    );
}

// ---------------------------------------------------------------- validation failures

#[tokio::test]
async fn agentid_out_of_range_or_not_numeric() {
    let gw = Gateway::start_default().await;
    // The typed client cannot even make such an id.
    for bad in ["100", "60000", "abc", "15a", "", "-153"] {
        assert!(bad.parse::<AgentId>().is_err(), "{bad}");
    }
    // On the wire, the server refuses them before anything else.
    for bad in ["100", "60000", "0", "abc", "1e3", "%20153"] {
        let message = assert_refused(&gw, bad, r#"{"confIds":[1]}"#, "000-002").await;
        assert!(message.contains("AgentId"), "{bad}: {message}");
    }
}

#[tokio::test]
async fn more_than_20_conf_ids() {
    let gw = Gateway::start_default().await;
    let body = QueryConfInfosRequest {
        conf_ids: (1..=21).collect(),
    };
    // Refused by the client, nothing sent: the same request to a port where nothing listens
    // is still `Invalid`, not a transport error.
    let err = gw
        .conf("153")
        .await
        .query_conf_infos(agent("153"), &body)
        .await
        .unwrap_err();
    let ClientError::Invalid(violations) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        violations.to_string(),
        "confIds: array has 21 items, expected at most 20 items"
    );
    assert!(err.is_unsent());
    let nowhere = AgentconfClient::new(Session::anonymous(
        &Client::builder("http://127.0.0.1:1").build().unwrap(),
    ));
    assert!(matches!(
        nowhere.query_conf_infos(agent("153"), &body).await,
        Err(ClientError::Invalid(_))
    ));
    assert_eq!(gw.sim.handled_calls(), 0);

    // 20 is fine; 21 on the wire is refused by the server.
    let twenty = QueryConfInfosRequest {
        conf_ids: (1..=20).collect(),
    };
    assert!(
        gw.conf("153")
            .await
            .query_conf_infos(agent("153"), &twenty)
            .await
            .is_ok()
    );
    let message = assert_refused(
        &gw,
        "153",
        &serde_json::to_string(&json!({"confIds": (1..=21).collect::<Vec<_>>()})).unwrap(),
        "000-002",
    )
    .await;
    assert_eq!(
        message,
        format!(
            "{INVALID}: invalid request body: confIds: array has 21 items, expected at most 20 items"
        )
    );
}

#[tokio::test]
async fn missing_fields_wrong_types_and_malformed_json() {
    let gw = Gateway::start_default().await;
    let cases = [
        ("{}", "missing field `confIds`"),
        (r#"{"confids":[1]}"#, "missing field `confIds`"),
        (r#"{"confIds":null}"#, "invalid type: null"),
        (r#"{"confIds":"1029888"}"#, "invalid type: string"),
        (r#"{"confIds":["1029888"]}"#, "invalid type: string"),
        (r#"{"confIds":[1.5]}"#, "invalid type: floating point"),
        (r#"{"confIds":[true]}"#, "invalid type: boolean"),
        (r#"{"confIds":[1e400]}"#, ""),
        (r#"{"confIds":[99999999999999999999]}"#, ""),
        (r#"[1029888]"#, "must be a JSON object, not an array"),
        (r#" [[1029888]]"#, "must be a JSON object, not an array"),
        (r#""confIds""#, "invalid type: string"),
        (r#"{"confIds":[1,]}"#, ""),
        (r#"{"confIds":[1"#, "EOF"),
        ("", "EOF"),
        ("\u{feff}{}", ""),
        ("confIds=1", "expected value"),
    ];
    for (body, expected) in cases {
        let message = assert_refused(&gw, "153", body, "000-002").await;
        let reason = message.strip_prefix(INVALID).unwrap_or(&message);
        assert!(
            reason.starts_with(": invalid request body")
                || reason.starts_with(": the request body must be a JSON object"),
            "{message}"
        );
        assert!(message.contains(expected), "{body}: {message}");
    }
}

/// A poll with no pending event answers success without the result member (the spec's
/// "absent when none is pending"), not with `"event": null`.
#[tokio::test]
async fn a_poll_without_an_event_has_no_event_member() {
    let gw = Gateway::serve(
        loopback::simulator(
            DataSet::default_data().unwrap(),
            Options {
                hold: Duration::from_millis(50),
                ..Options::default()
            },
        )
        .await,
    )
    .await;
    let guid = gw.guid("153").await;
    let url = format!("{}/agentgateway/resource/agentevent/153", gw.base);
    // The seeded agent's pending events (if any) come first; then the queue is empty.
    let mut empty = None;
    for _ in 0..20 {
        let (status, _, envelope) = raw(reqwest::Method::GET, &url, Some(&guid), JSON, "").await;
        assert_eq!(status, 200, "{envelope}");
        assert_eq!(envelope["retcode"], "0", "{envelope}");
        if envelope.get("event").is_none() || envelope["event"].is_null() {
            empty = Some(envelope);
            break;
        }
    }
    let envelope = empty.expect("the event queue never emptied");
    assert_eq!(envelope, json!({"message": "", "retcode": "0"}));
}

#[tokio::test]
async fn wrong_method_is_405_with_allow_and_the_envelope() {
    let gw = Gateway::start_default().await;
    let guid = gw.guid("153").await;
    for method in [
        reqwest::Method::GET,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::PATCH,
        reqwest::Method::OPTIONS,
    ] {
        let (status, allow, envelope) = raw(
            method.clone(),
            &gw.url("153"),
            Some(&guid),
            JSON,
            r#"{"confIds":[1029888]}"#,
        )
        .await;
        assert_eq!(status, 405, "{method}");
        assert_eq!(allow.as_deref(), Some("POST"));
        assert_eq!(envelope["retcode"], "000-002");
    }
    assert_eq!(gw.sim.handled_calls(), 0);
}

#[tokio::test]
async fn missing_unknown_or_foreign_guid() {
    let gw = Gateway::start_default().await;
    let body = QueryConfInfosRequest {
        conf_ids: vec![1029888],
    };
    let call = |session: Session| {
        let body = body.clone();
        async move {
            AgentconfClient::new(session)
                .query_conf_infos(agent("153"), &body)
                .await
                .unwrap_err()
        }
    };
    let gateway_error = |err: ClientError<ErrorCode>| match err {
        ClientError::Gateway(e) => e,
        other => panic!("{other}"),
    };

    // No Guid: the agent has not signed in.
    let e = gateway_error(
        call(Session::anonymous(
            &Client::builder(&gw.base).build().unwrap(),
        ))
        .await,
    );
    assert_eq!(e.code(), Some(&ErrorCode::NotSignedIn));
    assert_eq!(e.retcode(), "100-006");

    // An unknown Guid: no permission, authentication may have expired.
    let e = gateway_error(
        call(Session::resume(
            &Client::builder(&gw.base).build().unwrap(),
            "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.AgentGateway1",
        ))
        .await,
    );
    assert_eq!(e.code(), Some(&ErrorCode::NoPermission));

    // Another agent's Guid: no permission to act as agent 153.
    let e = gateway_error(
        call(Session::resume(
            &Client::builder(&gw.base).build().unwrap(),
            gw.guid("200").await,
        ))
        .await,
    );
    assert_eq!(e.code(), Some(&ErrorCode::NoPermission));
    assert_eq!(
        e.message(),
        "No permission to invoke the interface; authentication may have expired: \
         the session does not belong to `agentid` 153"
    );

    // An empty header is no header; the header name is case-insensitive.
    let url = gw.url("153");
    let (_, _, envelope) = raw(reqwest::Method::POST, &url, Some(" "), JSON, "{}").await;
    assert_eq!(envelope["retcode"], "100-006");
    let response = reqwest::Client::new()
        .post(&url)
        .header("GUID", gw.guid("153").await)
        .header("content-type", "Application/JSON")
        .body(r#"{"confIds":[1029888]}"#)
        .send()
        .await
        .unwrap();
    let envelope: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(envelope["retcode"], "0", "{envelope}");
    assert_eq!(gw.sim.handled_calls(), 1);
}

#[tokio::test]
async fn headers_size_and_paths() {
    let gw = Gateway::start_default().await;
    let guid = gw.guid("153").await;
    let url = gw.url("153");
    // The Content-Type must say JSON.
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let (status, _, envelope) = raw(
            reqwest::Method::POST,
            &url,
            Some(&guid),
            content_type,
            r#"{"confIds":[1]}"#,
        )
        .await;
        assert_eq!((status, &envelope["retcode"]), (200, &json!("000-002")));
    }
    // Bodies over the limit (64 KiB) are refused, not read.
    let padding = " ".repeat(70 * 1024);
    let (_, _, envelope) = raw(
        reqwest::Method::POST,
        &url,
        Some(&guid),
        JSON,
        format!("{{\"confIds\":[1]{padding}}}"),
    )
    .await;
    assert_eq!(envelope["retcode"], "000-002");
    assert!(
        envelope["message"]
            .as_str()
            .unwrap()
            .contains("65536 bytes")
    );
    // Unknown paths: 404 with the envelope.
    let (status, _, envelope) = raw(
        reqwest::Method::POST,
        &format!("{}{PATH}/153/queryconfinfo", gw.base),
        Some(&guid),
        JSON,
        "{}",
    )
    .await;
    assert_eq!((status, &envelope["retcode"]), (404, &json!("000-002")));
    assert_eq!(gw.sim.handled_calls(), 0);
}

// ---------------------------------------------------------------- client error kinds

/// A real HTTP server on loopback that answers every call with `status`, `headers` and `body`.
async fn fake_gateway(
    status: u16,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
    delay: Duration,
) -> (String, tokio::task::JoinHandle<()>) {
    use gatespec::server::axum;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(move || async move {
        tokio::time::sleep(delay).await;
        let mut response = axum::response::Response::new(axum::body::Body::from(body));
        *response.status_mut() = axum::http::StatusCode::from_u16(status).unwrap();
        for (name, value) in headers {
            response
                .headers_mut()
                .insert(*name, axum::http::HeaderValue::from_static(value));
        }
        response
    });
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, task)
}

async fn call_fake(base: &str, timeout: Duration) -> (Session, ClientError<ErrorCode>) {
    let client = Client::builder(base).timeout(timeout).build().unwrap();
    let client = Session::resume(&client, "old");
    let err = AgentconfClient::new(client.clone())
        .query_conf_infos(agent("153"), &QueryConfInfosRequest { conf_ids: vec![1] })
        .await
        .unwrap_err();
    (client, err)
}

#[tokio::test]
async fn client_separates_transport_status_decode_and_gateway_errors() {
    let second = Duration::from_secs(5);
    // Transport: nothing listens.
    let (_, err) = call_fake("http://127.0.0.1:1", second).await;
    assert!(matches!(err, ClientError::Transport(_)), "{err}");

    // Transport: a timeout.
    let (base, task) = fake_gateway(200, &[], "{}", Duration::from_secs(3)).await;
    let (_, err) = call_fake(&base, Duration::from_millis(200)).await;
    assert!(
        matches!(&err, ClientError::Transport(e) if e.is_timeout()),
        "{err}"
    );
    task.abort();

    // HTTP status.
    let (base, task) = fake_gateway(503, &[], "overloaded", Duration::ZERO).await;
    let (_, err) = call_fake(&base, second).await;
    assert!(
        matches!(&err, ClientError::Status { status: 503, body } if body == "overloaded"),
        "{err}"
    );
    task.abort();

    // Undecodable body.
    let (base, task) = fake_gateway(200, &[], "<html>login</html>", Duration::ZERO).await;
    let (_, err) = call_fake(&base, second).await;
    assert!(
        matches!(&err, ClientError::Decode { status: 200, body, .. } if body == "<html>login</html>"),
        "{err}"
    );
    task.abort();

    // Success code without the mandatory result.
    let (base, task) =
        fake_gateway(200, &[], r#"{"message":"","retcode":"0"}"#, Duration::ZERO).await;
    let (_, err) = call_fake(&base, second).await;
    assert!(matches!(err, ClientError::Decode { .. }), "{err}");
    task.abort();

    // Success code with a result that is not the interface's: the path says where.
    let (base, task) = fake_gateway(
        200,
        &[],
        r#"{"message":"","retcode":"0","result":{"confs":[{"confId":"x"}]}}"#,
        Duration::ZERO,
    )
    .await;
    let (_, err) = call_fake(&base, second).await;
    assert!(
        matches!(&err, ClientError::Decode { path, .. } if path == "result.confs[0].confId"),
        "{err}"
    );
    task.abort();

    // A failure code with an empty result, although a success result has mandatory members:
    // the gateway's failure, not an undecodable body.
    let (base, task) = fake_gateway(
        200,
        &[],
        r#"{"message":"no such conference","retcode":"101-001","result":{}}"#,
        Duration::ZERO,
    )
    .await;
    let (_, err) = call_fake(&base, second).await;
    let e = err.gateway().unwrap();
    assert_eq!(e.code(), Some(&ErrorCode::NoConference));
    assert_eq!(e.message(), "no such conference");
    task.abort();

    // A gateway failure with a code the catalogue does not list: kept verbatim; a renewed
    // session in Set-GUID is adopted even from a failure.
    let (base, task) = fake_gateway(
        200,
        &[(
            "set-guid",
            "JSESSIONID=279fe21d-2caa-4437-84c3-ab9e9dae20f5.AgentGateway0",
        )],
        r#"{"message":"Unknown ERROR._10086","retcode":"999-001"}"#,
        Duration::ZERO,
    )
    .await;
    let (client, err) = call_fake(&base, second).await;
    let e = err.gateway().unwrap();
    assert_eq!(e.code(), Some(&ErrorCode::Other("999-001".to_owned())));
    assert!(!e.is_known());
    assert_eq!(
        (e.retcode(), e.message()),
        ("999-001", "Unknown ERROR._10086")
    );
    assert_eq!(
        client.session_id().as_deref(),
        Some("279fe21d-2caa-4437-84c3-ab9e9dae20f5.AgentGateway0")
    );
    task.abort();

    // A known code maps to the catalogue.
    let (base, task) = fake_gateway(
        200,
        &[],
        r#"{"message":"","retcode":"101-001","result":null}"#,
        Duration::ZERO,
    )
    .await;
    let (_, err) = call_fake(&base, second).await;
    let e = err.gateway().unwrap();
    assert_eq!(e.code(), Some(&ErrorCode::NoConference));
    assert_eq!(e.meaning(), Some("The agent has no conference."));
    task.abort();
}

// ---------------------------------------------------------------- HTTPS

struct TestPki {
    ca_pem: String,
    cert_pem: String,
    key_pem: String,
}

/// A CA and a server certificate for 127.0.0.1 and localhost, made now.
fn test_pki() -> TestPki {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    };
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "gatespec test lab CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let mut server =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    server
        .distinguished_name
        .push(DnType::CommonName, "agentgateway-sim");
    let key = KeyPair::generate().unwrap();
    let cert = server.signed_by(&key, &issuer).unwrap();
    TestPki {
        ca_pem: ca_cert.pem(),
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    }
}

#[tokio::test]
async fn https_with_a_test_ca() {
    let pki = test_pki();
    let sim = Simulator::new(DataSet::default_data().unwrap());
    let config = tls::server_config(pki.cert_pem.as_bytes(), pki.key_pem.as_bytes()).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(tls::serve_tls(
        listener,
        agentgateway_sim::app(sim.clone()),
        config,
    ));
    let guid = sim.session_of("153").await.unwrap().guid.clone();
    let body = QueryConfInfosRequest {
        conf_ids: vec![1029888, 1029889],
    };

    // Trusting the test CA: by IP address and by name.
    for host in ["127.0.0.1", "localhost"] {
        let client = Client::builder(format!("https://{host}:{port}"))
            .ca_certificate_pem(pki.ca_pem.clone())
            .build()
            .unwrap();
        let result = AgentconfClient::new(Session::resume(&client, &guid))
            .query_conf_infos(agent("153"), &body)
            .await
            .unwrap();
        assert_eq!(ids(&result), [1029888], "{host}");
    }

    // Without the CA, the certificate is refused (whatever the system's roots are).
    let untrusted = Client::builder(format!("https://127.0.0.1:{port}")).build();
    if let Ok(client) = untrusted {
        let err = AgentconfClient::new(Session::resume(&client, &guid))
            .query_conf_infos(agent("153"), &body)
            .await
            .unwrap_err();
        assert!(matches!(err, ClientError::Transport(_)), "{err}");
    }
    // Another CA is not trusted either.
    let other = test_pki();
    let client = Client::builder(format!("https://127.0.0.1:{port}"))
        .ca_certificate_pem(other.ca_pem)
        .build()
        .unwrap();
    let err = AgentconfClient::new(Session::resume(&client, &guid))
        .query_conf_infos(agent("153"), &body)
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Transport(_)), "{err}");

    // The explicit, loudly named opt-in accepts it.
    let client = Client::builder(format!("https://127.0.0.1:{port}"))
        .danger_accept_invalid_certificates()
        .build()
        .unwrap();
    let result = AgentconfClient::new(Session::resume(&client, &guid))
        .query_conf_infos(agent("153"), &body)
        .await
        .unwrap();
    assert_eq!(ids(&result), [1029888]);

    // Plain HTTP to the HTTPS port fails as transport or status, never as success.
    let client = Client::builder(format!("http://127.0.0.1:{port}"))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    assert!(
        AgentconfClient::new(Session::resume(&client, &guid))
            .query_conf_infos(agent("153"), &body)
            .await
            .is_err()
    );
    assert_eq!(sim.handled_calls(), 3);
    task.abort();
}

#[tokio::test]
async fn a_failure_carries_the_device_cause() {
    let gw = Gateway::start_default().await;
    // Agent 153 chairs 1029888, where no announcement plays: the device's refusal, with its
    // cause in the result member.
    let refused = gw
        .conf("153")
        .await
        .stop_voice_to_conf(agent("153"))
        .await
        .unwrap_err();
    let failure = refused.gateway().unwrap();
    assert_eq!(failure.code(), Some(&ErrorCode::OperationFailed));
    assert_eq!(
        failure.detail(),
        Some(&StopVoiceToConfFailure {
            error_reason: agentgateway_sim::sim::NO_ANNOUNCEMENT_CAUSE
        })
    );
    // On the wire: the detail is the envelope's `result`.
    let response = reqwest::Client::new()
        .post(format!("{}{PATH}/153/stopvoicetoconf", gw.base))
        .header("Guid", gw.guid("153").await)
        .send()
        .await
        .unwrap();
    let envelope: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(envelope["retcode"], "100-007");
    assert_eq!(
        envelope["result"],
        json!({"errorReason": agentgateway_sim::sim::NO_ANNOUNCEMENT_CAUSE})
    );

    // Agent 154 chairs 1029889, where an announcement plays: stopped, then nothing to stop.
    let chair = gw.conf("154").await;
    chair.stop_voice_to_conf(agent("154")).await.unwrap();
    assert!(
        chair
            .stop_voice_to_conf(agent("154"))
            .await
            .unwrap_err()
            .gateway()
            .is_some_and(|f| f.detail().is_some())
    );

    // Agent 155 takes part in no conference: a refusal without detail.
    let alone = gw
        .conf("155")
        .await
        .stop_voice_to_conf(agent("155"))
        .await
        .unwrap_err();
    let failure = alone.gateway().unwrap();
    assert_eq!(failure.code(), Some(&ErrorCode::NoConference));
    assert_eq!(failure.detail(), None);
}
