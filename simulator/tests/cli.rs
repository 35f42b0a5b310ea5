//! The `agentgateway-sim` binary as the README runs it: `serve` prints its sessions and address,
//! `query` calls it through the generated client, over HTTP and over HTTPS with a CA made now.
// Tests may unwrap and panic: a panic is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_agentgateway-sim");

/// A running `serve`, killed on drop.
struct Server {
    child: Child,
    base: String,
    /// `(agent, role, guid)` per printed session line.
    sessions: Vec<(String, String, String)>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0", "--quiet"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut sessions = Vec::new();
        let base = loop {
            let line = lines.next().expect("serve ended early").unwrap();
            if let Some(base) = line.strip_prefix("listening on ") {
                break base.to_owned();
            }
            let fields: Vec<&str> = line
                .strip_prefix("session ")
                .unwrap_or_else(|| panic!("unexpected line {line:?}"))
                .split(' ')
                .collect();
            let value = |i: usize, key: &str| {
                fields[i]
                    .strip_prefix(key)
                    .unwrap_or_else(|| panic!("{line}"))
                    .to_owned()
            };
            sessions.push((value(0, "agent="), value(1, "role="), value(2, "guid=")));
        };
        Self {
            child,
            base,
            sessions,
        }
    }

    fn guid(&self, agent: &str) -> &str {
        &self.sessions.iter().find(|s| s.0 == agent).unwrap().2
    }
}

fn query(base: &str, agent: &str, guid: &str, extra: &[&str], ids: &[&str]) -> Output {
    Command::new(BIN)
        .args(["query", "--gateway", base, "--agent", agent, "--guid", guid])
        .args(extra)
        .args(ids)
        .output()
        .unwrap()
}

/// `query` signing in with a password (and out afterwards) instead of a Guid.
fn query_signing_in(base: &str, agent: &str, password: &str, ids: &[&str]) -> Output {
    Command::new(BIN)
        .args(["query", "--gateway", base, "--agent", agent])
        .args(["--password", password])
        .args(ids)
        .output()
        .unwrap()
}

fn conf_ids(output: &Output) -> Vec<i64> {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    json["confs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["confId"].as_i64().unwrap())
        .collect()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("agentgateway-sim-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn serve_prints_sessions_and_query_calls_it() {
    let server = Server::start(&[]);
    let roles: Vec<(&str, &str)> = server
        .sessions
        .iter()
        .map(|s| (s.0.as_str(), s.1.as_str()))
        .collect();
    assert_eq!(
        roles,
        [
            ("200", "inspector"),
            ("153", "agent"),
            ("154", "agent"),
            ("155", "agent"),
            ("300", "inspector")
        ]
    );
    assert!(server.base.starts_with("http://127.0.0.1:"));
    let all = ["1029888", "1029889", "2048001"];
    let inspector = query(&server.base, "200", server.guid("200"), &[], &all);
    assert_eq!(conf_ids(&inspector), [1029888, 1029889]);
    let agent = query(&server.base, "153", server.guid("153"), &[], &all);
    assert_eq!(conf_ids(&agent), [1029888]);

    // A wrong Guid: exit 1, the retcode on stderr.
    let refused = query(&server.base, "153", "nope", &[], &all);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("retcode 000-003"), "{stderr}");
    // An invalid request never leaves the client.
    let ids: Vec<String> = (1..=21).map(|i| i.to_string()).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let invalid = query(&server.base, "153", server.guid("153"), &[], &ids);
    let stderr = String::from_utf8_lossy(&invalid.stderr);
    assert!(
        stderr.contains("not sent") && stderr.contains("confIds"),
        "{stderr}"
    );
    let bad_agent = query(&server.base, "99", server.guid("153"), &[], &["1"]);
    assert!(String::from_utf8_lossy(&bad_agent.stderr).contains("--agent 99"));
}

#[test]
fn serve_with_a_data_file() {
    let dir = temp_dir("data");
    let data = dir.join("lab.yaml");
    std::fs::write(
        &data,
        r#"
agents:
  - {id: "4001", role: agent, vdn: 7, password: secret}
  - {id: "4002", role: inspector, vdn: 7, guid: fixed-guid.AgentGateway9}
conferences:
  - vdn: 7
    confId: 77
    confState: 0
    startTime: 1
    applyConfTime: 60
    confHaveBeenTime: 0
    addresses:
      - {addressType: "9", address: "4001", deviceCallType: 0, deviceType: 6, channelAttrib: 3, channelState: 0, role: 1, enterTime: 1}
"#,
    )
    .unwrap();
    let server = Server::start(&["--data", data.to_str().unwrap()]);
    // Only agents with a seeded Guid are signed in from the start; 4001 signs in itself.
    assert_eq!(server.sessions.len(), 1);
    assert_eq!(server.guid("4002"), "fixed-guid.AgentGateway9");
    let out = query(
        &server.base,
        "4002",
        server.guid("4002"),
        &[],
        &["77", "1029888"],
    );
    assert_eq!(conf_ids(&out), [77]);
    // 4001 signs in with its password, queries and signs out; twice, so the sign-out worked.
    for _ in 0..2 {
        let out = query_signing_in(&server.base, "4001", "secret", &["77", "1029888"]);
        assert_eq!(conf_ids(&out), [77]);
    }
    let wrong = query_signing_in(&server.base, "4001", "guess", &["77"]);
    assert_eq!(wrong.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(
        stderr.contains("sign-in") && stderr.contains("retcode 100-004"),
        "{stderr}"
    );

    // A broken data file is refused with the reason.
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, "agents:\n  - {id: \"4001\", role: boss, vdn: 7}\n").unwrap();
    let out = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data",
            broken.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("boss"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_refuses_an_unknown_store_and_an_unreachable_redis() {
    let serve = |store: &str| {
        Command::new(BIN)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--quiet",
                "--store",
                store,
            ])
            .output()
            .unwrap()
    };
    let unknown = serve("postgres://127.0.0.1/x");
    assert!(!unknown.status.success());
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("`postgres://127.0.0.1/x` is no store"),
        "{stderr}"
    );

    // A port nobody listens on (bound, then freed).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = serve(&format!("redis://127.0.0.1:{port}"));
    assert_eq!(unreachable.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&unreachable.stderr);
    assert!(
        stderr.starts_with("error: the simulator's store failed: "),
        "{stderr}"
    );
    assert!(unreachable.stdout.is_empty(), "nothing served");
}

fn write_test_pki(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    };
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "lab CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let server = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = server.signed_by(&key, &issuer).unwrap();
    let paths = (
        dir.join("ca.pem"),
        dir.join("cert.pem"),
        dir.join("key.pem"),
    );
    std::fs::write(&paths.0, ca_cert.pem()).unwrap();
    std::fs::write(&paths.1, cert.pem()).unwrap();
    std::fs::write(&paths.2, key.serialize_pem()).unwrap();
    paths
}

#[test]
fn serve_https_and_query_with_the_ca() {
    let dir = temp_dir("tls");
    let (ca, cert, key) = write_test_pki(&dir);
    let server = Server::start(&[
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    assert!(
        server.base.starts_with("https://127.0.0.1:"),
        "{}",
        server.base
    );
    let guid = server.guid("154");
    let ok = query(
        &server.base,
        "154",
        guid,
        &["--ca-cert", ca.to_str().unwrap()],
        &["1029889"],
    );
    assert_eq!(conf_ids(&ok), [1029889]);
    let insecure = query(
        &server.base,
        "154",
        guid,
        &["--danger-accept-invalid-certs"],
        &["1029889"],
    );
    assert_eq!(conf_ids(&insecure), [1029889]);
    // Without the CA: a transport error, exit 1.
    let untrusted = query(&server.base, "154", guid, &[], &["1029889"]);
    assert_eq!(untrusted.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&untrusted.stderr).contains("transport error"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `watch` prints the agent's events, one line each, until interrupted, then signs out.
#[test]
fn watch_prints_events_until_interrupted_then_signs_out() {
    let server = Server::start(&["--hold-ms", "300"]);
    let mut watch = Command::new(BIN)
        .args(["watch", "--gateway", &server.base])
        .args([
            "--agent",
            "156",
            "--password",
            "pw156",
            "--status",
            "wrap-up",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(watch.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    assert!(
        first.starts_with("AgentOther_InService workNo=156 "),
        "{first}"
    );
    assert!(
        second.starts_with("AgentState_Work workNo=156 "),
        "{second}"
    );
    // Signed in meanwhile: a second sign-in is refused.
    let again = query_signing_in(&server.base, "156", "pw156", &["1029888"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("100-002"));
    let interrupted = Command::new("kill")
        .args(["-INT", &watch.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let output = watch.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("signed out"));
    // Signed out: signing in works again.
    let after = query_signing_in(&server.base, "156", "pw156", &["1029888"]);
    assert!(after.status.success(), "{after:?}");
}
