//! The simulator on an ephemeral loopback port, and what the end-to-end tests of its interfaces
//! share: clients signed in with the data set's seeded Guids, agent IDs and refusal codes.
//!
//! With `GATESPEC_TEST_REDIS=redis://HOST:PORT` every gateway started here keeps its state in
//! that Redis (a key prefix of its own per gateway), so the same suites check the simulator on
//! Redis: `scripts/test-sim-on-redis` runs them so.

use agentgateway::{AgentId, ErrorCode};
use std::sync::atomic::{AtomicU32, Ordering};

use agentgateway_sim::{DataSet, Options, Simulator, Store};
use gatespec::client::{Client, ClientError, Session};
use tokio::net::TcpListener;

/// A simulator serving plain HTTP on loopback until dropped.
pub struct Gateway {
    pub base: String,
    pub sim: Simulator,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Gateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[allow(dead_code)] // each test file uses its own part of the harness
impl Gateway {
    /// Serves the data set `data` (YAML).
    pub async fn start(data: &str) -> Self {
        Self::start_with(data, Options::default()).await
    }

    /// Serves the data set `data` (YAML) with `options` (shortened timers, say).
    pub async fn start_with(data: &str, options: Options) -> Self {
        Self::serve(simulator(DataSet::from_yaml(data).unwrap(), options).await).await
    }

    /// Serves the simulator's embedded data set (seeded sessions for agents 153, 154, 155, 200
    /// and 300).
    pub async fn start_default() -> Self {
        Self::serve(simulator(DataSet::default_data().unwrap(), Options::default()).await).await
    }

    /// Serves `sim`.
    pub async fn serve(sim: Simulator) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = agentgateway_sim::app(sim.clone());
        let task = tokio::spawn(async move {
            let _ = agentgateway_sim::serve(listener, app).await;
        });
        Self { base, sim, task }
    }

    /// A client (the transport, no session).
    pub fn client(&self) -> Client {
        Client::builder(&self.base).build().unwrap()
    }

    /// A session without an id, on a new client.
    pub fn anonymous(&self) -> Session {
        Session::anonymous(&self.client())
    }

    /// `agent`'s live session id.
    pub async fn guid(&self, agent: &str) -> String {
        self.sim.session_of(agent).await.unwrap().guid
    }

    /// `agent`'s live session, on a new client.
    pub async fn client_of(&self, agent: &str) -> Session {
        Session::resume(&self.client(), self.guid(agent).await)
    }
}

/// A simulator over `data`: in memory, or in the Redis `GATESPEC_TEST_REDIS` names.
pub async fn simulator(data: DataSet, options: Options) -> Simulator {
    static GATEWAYS: AtomicU32 = AtomicU32::new(0);
    match std::env::var("GATESPEC_TEST_REDIS") {
        Ok(url) => {
            let prefix = format!(
                "test-{}-{}",
                std::process::id(),
                GATEWAYS.fetch_add(1, Ordering::Relaxed)
            );
            Simulator::with_store(data, options, &Store::Redis { url, prefix })
                .await
                .expect("GATESPEC_TEST_REDIS names a reachable Redis")
        }
        Err(_) => Simulator::with_options(data, options),
    }
}

/// An agent ID.
#[allow(dead_code)]
pub fn id(agent: &str) -> AgentId {
    agent.parse().unwrap()
}

/// The retcode of a gateway failure (panics on success or any other error).
#[allow(dead_code)]
pub fn retcode<T: std::fmt::Debug, D: std::fmt::Debug>(
    outcome: Result<T, ClientError<ErrorCode, D>>,
) -> String {
    match outcome {
        Err(ClientError::Gateway(e)) => e.retcode().to_owned(),
        other => panic!("expected a gateway failure, got {other:?}"),
    }
}

/// Whether the client refused to send the request (it breaks the spec's rules).
#[allow(dead_code)]
pub fn unsent<T: std::fmt::Debug, D>(outcome: Result<T, ClientError<ErrorCode, D>>) -> bool {
    match outcome {
        Err(e) => matches!(e, ClientError::Invalid(_)),
        Ok(value) => panic!("expected a refusal, got {value:?}"),
    }
}
