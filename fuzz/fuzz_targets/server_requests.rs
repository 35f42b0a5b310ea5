//! The simulator's generated routers on arbitrary requests: a method and an interface's path
//! picked by the first bytes, arbitrary path parameter text and body; with a valid session,
//! without one, and with a foreign one. The server answers every request with a status the
//! protocol documents and an envelope, and never panics.
#![no_main]

use std::sync::OnceLock;

use agentgateway_sim::{DataSet, Options, Simulator};
use gatespec::server::axum::body::Body;
use gatespec::server::axum::http::{Method, Request};
use http_body_util::BodyExt as _;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt as _;

struct Fixture {
    runtime: tokio::runtime::Runtime,
    app: gatespec::server::axum::Router,
    paths: Vec<String>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let app = runtime.block_on(async {
            let data = DataSet::default_data().expect("embedded data");
            // A poll without events answers at once, not after the reference's 10 s hold.
            let options = Options {
                hold: std::time::Duration::from_millis(1),
                ..Options::default()
            };
            agentgateway_sim::app(Simulator::with_options(data, options))
        });
        let document: serde_json::Value =
            serde_json::from_str(agentgateway_sim::OPENAPI).expect("the embedded document");
        let paths = document["paths"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        Fixture {
            runtime,
            app,
            paths,
        }
    })
}

const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::DELETE,
    Method::PATCH,
];
const SESSIONS: [Option<&str>; 3] = [
    // Agent 153's seeded session.
    Some("0b8e5d37-1f2a-4e9b-a6c4-53d9e7f1b202.AgentGateway0"),
    None,
    Some("nobody"),
];

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    let [method, path, session, split, rest @ ..] = data else {
        return;
    };
    let (agent, body) = rest.split_at(usize::from(*split).min(rest.len()));
    let agent: String = String::from_utf8_lossy(agent)
        .chars()
        .filter(|c| !c.is_control() && *c != ' ' && *c != '?' && *c != '#')
        .collect();
    let template = &fixture.paths[usize::from(*path) % fixture.paths.len()];
    let uri = template.replace("{agentid}", if agent.is_empty() { "153" } else { &agent });
    let mut request = Request::builder()
        .method(METHODS[usize::from(*method) % METHODS.len()].clone())
        .uri(uri)
        .header("Content-Type", "application/json; charset=UTF-8");
    if let (Some(header), Some(id)) = (
        agentgateway::PROTOCOL.session_header,
        SESSIONS[usize::from(*session) % SESSIONS.len()],
    ) {
        request = request.header(header, id);
    }
    let Ok(request) = request.body(Body::from(body.to_vec())) else {
        return; // not a valid URI: never reaches a server
    };
    let app = fixture.app.clone();
    fixture.runtime.block_on(async move {
        let response = app
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status().as_u16();
        assert!(
            matches!(status, 200 | 404 | 405 | 413),
            "undocumented status {status}"
        );
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let envelope: serde_json::Value =
            serde_json::from_slice(&bytes).expect("every answer is the envelope");
        let retcode = agentgateway::PROTOCOL.envelope.retcode;
        assert!(envelope.get(retcode).is_some(), "no {retcode}: {envelope}");
    });
});
