//! The client half of `scripts/bench-idle-sessions`: signs in `--agents` agents of a running
//! simulator (process `--pid`) through one client, keeps each long-polling its events, and
//! prints the simulator's memory per session (resident set growth over the sessions) and its
//! CPU time while the sessions idle. Linux only (reads `/proc/<pid>/status` and `stat`).

use std::time::{Duration, Instant};

use agentgateway::Event;
use agentgateway::agentevent::{GetAgentEvent, GetAgentEventPath};
use agentgateway::onlineagent::{Login, LoginPath, LoginRequest};
use clap::Parser;
use gatespec::client::{Client, EventStreamOptions, Session};

#[derive(Debug, Parser)]
struct Args {
    /// The simulator's base URL.
    #[arg(long)]
    gateway: String,
    /// The simulator's process id.
    #[arg(long)]
    pid: u32,
    /// How many agents (ids 10000.., password `pw<id>`).
    #[arg(long, default_value_t = 1000)]
    agents: u32,
    /// How long to measure CPU while the sessions idle, in seconds.
    #[arg(long, default_value_t = 30)]
    idle_secs: u64,
}

/// The resident set of `pid`, in KiB.
fn rss_kib(pid: u32) -> Result<u64, String> {
    let status =
        std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|e| e.to_string())?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmRSS".to_owned())
}

/// User plus system CPU time of `pid`, in clock ticks.
fn cpu_ticks(pid: u32) -> Result<u64, String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).map_err(|e| e.to_string())?;
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).ok_or("bad stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |n: usize| -> Result<u64, String> {
        fields
            .get(n - 3)
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| format!("no field {n}"))
    };
    Ok(field(14)? + field(15)?)
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    // The kernel's USER_HZ, fixed at 100 on Linux for /proc.
    const TICKS_PER_SEC: f64 = 100.0;
    let client = Client::builder(&args.gateway)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = rss_kib(args.pid)?;
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(args.agents as usize);
    let options = EventStreamOptions::default().request_timeout(Duration::from_secs(30));
    for n in 0..args.agents {
        let agent = (10_000 + n).to_string();
        let (client, ready) = (client.clone(), ready_tx.clone());
        tokio::spawn(async move {
            let login = LoginRequest::new(format!("pw{agent}"), "40038".to_owned());
            let Ok(agentid) = agent.parse() else { return };
            let session =
                match Session::sign_in::<Login>(&client, &LoginPath { agentid }, &login).await {
                    Ok((session, _)) => session,
                    Err(e) => {
                        eprintln!("sign-in of {agent} failed: {e}");
                        return;
                    }
                };
            let Ok(agentid) = agent.parse() else { return };
            let mut events = session.events_with::<GetAgentEvent, Event>(
                GetAgentEventPath {
                    agentid,
                    calldata: None,
                },
                options,
            );
            // Sign-in's two events, then the session idles, long-polling.
            for _ in 0..2 {
                let _ = events.wait_for(Duration::from_secs(30), |_| true).await;
            }
            let _ = ready.send(()).await;
            while events
                .wait_for(Duration::from_secs(3600), |_| true)
                .await
                .is_ok()
            {}
        });
    }
    drop(ready_tx);
    for _ in 0..args.agents {
        if ready_rx.recv().await.is_none() {
            return Err("not every agent signed in".to_owned());
        }
    }
    // Let every poll settle into its hold.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after = rss_kib(args.pid)?;
    let (ticks_before, started) = (cpu_ticks(args.pid)?, Instant::now());
    tokio::time::sleep(Duration::from_secs(args.idle_secs)).await;
    let (ticks_after, elapsed) = (cpu_ticks(args.pid)?, started.elapsed());
    let cpu = (ticks_after - ticks_before) as f64 / TICKS_PER_SEC;
    let per_session =
        (rss_after.saturating_sub(rss_before)) as f64 * 1024.0 / f64::from(args.agents);
    println!("sessions:            {}", args.agents);
    println!("simulator RSS:       {rss_before} KiB before, {rss_after} KiB with the sessions");
    println!(
        "memory per session:  {per_session:.0} bytes (RSS growth / sessions, incl. its held connection)"
    );
    println!(
        "CPU while idle:      {cpu:.2} s over {:.1} s ({:.2} % of one core)",
        elapsed.as_secs_f64(),
        cpu / elapsed.as_secs_f64() * 100.0
    );
    Ok(())
}
