//! The `queryconfinfos` server of the server benchmark over sockets: the generated router and the
//! hand-written axum handler (benches/support/conferences.rs), each on its own loopback port, in
//! one process, so that scripts/bench-server can load them in turn and read this process's CPU
//! time. Prints `generated=URL`, `hand=URL`, `uri=PATH` and `guid=SESSION`, then serves until
//! killed.

#[path = "../benches/support/conferences.rs"]
// The request body is the script's (the same vendor example); only the benchmark sends it.
#[allow(dead_code)]
mod conferences;

use std::io::Write as _;

use gatespec::server::axum::{self, Router};
use tokio::net::TcpListener;

async fn serve(router: Router) -> std::io::Result<(String, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            eprintln!("server stopped: {e}");
        }
    });
    Ok((url, task))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let (generated, generated_task) = serve(conferences::generated()).await?;
    let (hand, hand_task) = serve(conferences::hand_written()).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "generated={generated}")?;
    writeln!(out, "hand={hand}")?;
    writeln!(out, "uri={}", conferences::URI)?;
    writeln!(out, "guid={}", conferences::GUID)?;
    out.flush()?;
    drop(out);
    let _ = tokio::join!(generated_task, hand_task);
    Ok(())
}
