//! agentgateway-sim: a runnable AgentGateway simulator.
//!
//! [`Simulator`] implements the generated `agentgateway::agentconf::AgentconfServer` over an
//! in-memory conference store loaded from a [`DataSet`] (YAML; an example data set is
//! embedded), with the vendor page's visibility rule: an inspector sees every conference of its
//! VDN, a common agent only a conference it takes part in, and the rest are answered exactly
//! like conferences that do not exist. [`app`] is the router the binary serves, over plain HTTP
//! ([`serve`]) or HTTPS ([`tls::serve_tls`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use agentgateway_sim::{DataSet, Simulator};
//!
//! let sim = Simulator::new(DataSet::default_data()?);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! tokio::spawn(agentgateway_sim::serve(listener, agentgateway_sim::app(sim)));
//! # Ok(()) }
//! ```

pub mod data;
pub mod sim;
pub mod tls;

use axum::Router;
use tokio::net::TcpListener;

pub use data::{DataSet, Role};
pub use sim::{AgentSession, Simulator};

/// The simulator's router: the generated agentconf routes, and the envelope with HTTP 404 for
/// unknown paths.
pub fn app(sim: Simulator) -> Router {
    agentgateway::agentconf::router(sim)
        .fallback(gatespec::server::not_found::<agentgateway::Envelope<()>>)
}

/// Serves `app` over plain HTTP on `listener` until the task is dropped.
///
/// # Errors
/// The listener fails.
pub async fn serve(listener: TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app).await
}
