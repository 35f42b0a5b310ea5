//! `agentgateway-sim`: serve the simulated AgentGateway, or query a gateway (simulated or real)
//! through the generated client.

use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use agentgateway::agentconf::{AgentconfClient, QueryConfInfosRequest};
use agentgateway::onlineagent::{Login, LoginPath, LoginRequest, Logout, LogoutPath};
use agentgateway::{AgentId, ErrorCode, SignInStatus};
use agentgateway_sim::{DataSet, Options, Simulator, Store, tls};
use clap::{Parser, Subcommand};
use gatespec::client::{Client, ClientError, Session};

mod load;
mod watch;

/// A simulated Huawei AgentGateway (agent conference interfaces) and a client for it.
#[derive(Debug, Parser)]
#[command(name = "agentgateway-sim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the simulated gateway. Prints one `session agent=.. role=.. guid=..` line per
    /// signed-in agent, then the address, then serves until interrupted.
    Serve {
        /// The address to listen on (port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:8043")]
        listen: SocketAddr,
        /// A data set (YAML) instead of the embedded one.
        #[arg(long, value_name = "FILE.yaml")]
        data: Option<PathBuf>,
        /// Serve HTTPS with this PEM certificate chain (needs --tls-key).
        #[arg(long, value_name = "FILE", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The PEM private key of --tls-cert.
        #[arg(long, value_name = "FILE", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Do not log calls to stderr (by default each call logs its interface span, agent
        /// and retcode).
        #[arg(long)]
        quiet: bool,
        /// Where sessions, agents' states and conferences are kept: `memory`, or a Redis URL
        /// (redis://127.0.0.1:6379). Simulators on one Redis and prefix act as one gateway (each
        /// must load the same data set; the first on an empty prefix seeds its sessions and
        /// conferences).
        #[arg(long, value_name = "memory|REDIS_URL", default_value = "memory")]
        store: String,
        /// The prefix of the simulator's Redis keys: two gateways on one Redis need two.
        #[arg(long, value_name = "NAME", default_value = agentgateway_sim::store::DEFAULT_PREFIX)]
        store_prefix: String,
        #[command(flatten)]
        timers: Timers,
    },
    /// Query conferences through the generated client and print the result as JSON.
    Query {
        /// The gateway's base URL, such as https://127.0.0.1:8043.
        #[arg(long)]
        gateway: String,
        /// The calling agent's id (the {agentid} of the path).
        #[arg(long)]
        agent: String,
        /// The calling agent's session Guid (from a seeded session or an earlier sign-in).
        #[arg(
            long,
            required_unless_present = "password",
            conflicts_with = "password"
        )]
        guid: Option<String>,
        /// Sign in with this password first (and sign out afterwards) instead of --guid.
        #[arg(long)]
        password: Option<String>,
        /// Trust this PEM CA certificate (instead of the system's roots).
        #[arg(long, value_name = "FILE")]
        ca_cert: Option<PathBuf>,
        /// DANGEROUS: accept any server certificate.
        #[arg(long)]
        danger_accept_invalid_certs: bool,
        /// Request timeout in seconds.
        #[arg(long, default_value_t = 10)]
        timeout: u64,
        /// Conference IDs to query (at most 20).
        #[arg(value_name = "CONF_ID", required = true)]
        conf_ids: Vec<i64>,
    },
    /// Sign in and print the agent's events live, one line each, until interrupted (Ctrl-C);
    /// then sign out.
    Watch {
        /// The gateway's base URL, such as https://127.0.0.1:8043.
        #[arg(long)]
        gateway: String,
        /// The agent's id.
        #[arg(long)]
        agent: String,
        /// The agent's password.
        #[arg(long)]
        password: String,
        /// The status to sign in with.
        #[arg(long, value_enum, default_value_t = WatchStatus::Idle)]
        status: WatchStatus,
        /// Trust this PEM CA certificate (instead of the system's roots).
        #[arg(long, value_name = "FILE")]
        ca_cert: Option<PathBuf>,
        /// DANGEROUS: accept any server certificate.
        #[arg(long)]
        danger_accept_invalid_certs: bool,
    },
    /// Drive a gateway with many agents for a bounded time: every agent long-polls its events,
    /// pairs run conferences, an inspector queries; then all sign out. Prints calls per second,
    /// p50/p99 latency per operation and errors, events per second and the delivery latency of
    /// the events the conferences cause; exits 1 on any error.
    Load {
        /// The gateway's base URL (plain HTTP or HTTPS with a trusted certificate). Give it
        /// several times for instances of one gateway: agent number i (from 0) makes all its
        /// calls through the (i % n)-th, and each conference pair spans two instances.
        #[arg(long, required = true)]
        gateway: Vec<String>,
        /// How many agents sign in (ids FIRST.., passwords `pw<id>`).
        #[arg(long, default_value_t = 500)]
        agents: u32,
        /// The first agent id.
        #[arg(long, default_value_t = 1001)]
        first: u32,
        /// An inspector (password `pw<id>`) that queries conferences in a loop.
        #[arg(long)]
        inspector: Option<u32>,
        /// How many pairs of agents run conferences back to back.
        #[arg(long, default_value_t = 20)]
        pairs: u32,
        /// How long to drive, in seconds.
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Pause this long between an agent's polls (default: the protocol's 200-500 ms).
        #[arg(long, value_name = "MS")]
        repoll_ms: Option<u64>,
    },
}

/// The status `watch` signs in with.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum WatchStatus {
    Idle,
    Busy,
    WrapUp,
}

/// The simulator's timers (defaults: the reference's).
#[derive(Debug, clap::Args)]
struct Timers {
    /// How long an event poll holds the request while no event is queued, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    hold_ms: u64,
    /// Sign out an agent that neither polls nor sends a heartbeat for this long, in
    /// milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 120_000)]
    idle_timeout_ms: u64,
    /// Renew a session's Guid on the polling answer once it is this old, in milliseconds
    /// (0: never).
    #[arg(long, value_name = "MS", default_value_t = 60_000)]
    renewal_interval_ms: u64,
    /// How long a Guid renewed away stays valid, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 120_000)]
    old_guid_validity_ms: u64,
    /// How long setting up a requested conference takes before its AgentConf_RequestSuccess,
    /// in milliseconds (0: set up before requestagentconf answers).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    conference_setup_ms: u64,
    /// How many conferences a VDN runs at most (further requests get AgentConf_RequestFailed).
    #[arg(long, value_name = "N")]
    conference_limit: Option<usize>,
    /// How long a conference minute lasts, in milliseconds: a conference ends with
    /// AgentConf_Timeout once it has run the minutes applied for (0: conferences never time out).
    #[arg(long, value_name = "MS", default_value_t = 60_000)]
    conference_minute_ms: u64,
}

impl Timers {
    fn options(&self) -> Options {
        Options {
            hold: Duration::from_millis(self.hold_ms),
            idle_timeout: Duration::from_millis(self.idle_timeout_ms),
            renewal_interval: (self.renewal_interval_ms > 0)
                .then(|| Duration::from_millis(self.renewal_interval_ms)),
            old_guid_validity: Duration::from_millis(self.old_guid_validity_ms),
            conference_setup: Duration::from_millis(self.conference_setup_ms),
            conference_limit: self.conference_limit,
            conference_minute: (self.conference_minute_ms > 0)
                .then(|| Duration::from_millis(self.conference_minute_ms)),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = match cli.command {
        Command::Serve {
            listen,
            data,
            tls_cert,
            tls_key,
            quiet,
            store,
            store_prefix,
            timers,
        } => match Store::parse(&store, &store_prefix) {
            Ok(store) => runtime.block_on(serve(
                listen,
                data,
                tls_cert.zip(tls_key),
                !quiet,
                &store,
                timers.options(),
            )),
            Err(message) => Err(message),
        },
        Command::Query {
            gateway,
            agent,
            guid,
            password,
            ca_cert,
            danger_accept_invalid_certs,
            timeout,
            conf_ids,
        } => runtime.block_on(query(QueryArgs {
            gateway,
            agent,
            guid,
            password,
            ca_cert,
            danger_accept_invalid_certs,
            timeout: Duration::from_secs(timeout),
            conf_ids,
        })),
        Command::Load {
            gateway,
            agents,
            first,
            inspector,
            pairs,
            seconds,
            repoll_ms,
        } => runtime.block_on(load::load(load::LoadArgs {
            gateways: gateway,
            agents,
            first,
            inspector,
            duration: Duration::from_secs(seconds),
            pairs,
            repoll: repoll_ms.map(Duration::from_millis),
        })),
        Command::Watch {
            gateway,
            agent,
            password,
            status,
            ca_cert,
            danger_accept_invalid_certs,
        } => runtime.block_on(watch::watch(watch::WatchArgs {
            gateway,
            agent,
            password,
            status: match status {
                WatchStatus::Idle => SignInStatus::Idle,
                WatchStatus::Busy => SignInStatus::Busy,
                WatchStatus::WrapUp => SignInStatus::WrapUp,
            },
            ca_cert,
            danger_accept_invalid_certs,
        })),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(
    listen: SocketAddr,
    data: Option<PathBuf>,
    tls_files: Option<(PathBuf, PathBuf)>,
    log: bool,
    store: &Store,
    options: Options,
) -> Result<(), String> {
    if log {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_target(false)
            .with_ansi(std::io::stderr().is_terminal())
            .init();
    }
    let data = match &data {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            DataSet::from_yaml(&text).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => DataSet::default_data().map_err(|e| format!("embedded data: {e}"))?,
    };
    let tls = match &tls_files {
        Some((cert, key)) => {
            Some(tls::server_config_from_files(cert, key).map_err(|e| e.to_string())?)
        }
        None => None,
    };
    let sim = Simulator::with_store(data, options, store)
        .await
        .map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    {
        let mut out = std::io::stdout().lock();
        for s in sim.sessions().await {
            let _ = writeln!(
                out,
                "session agent={} role={} guid={}",
                s.agent_id, s.role, s.guid
            );
        }
        let _ = writeln!(out, "listening on {scheme}://{local}");
        let _ = out.flush();
    }
    let app = agentgateway_sim::app(sim);
    let server = async {
        match tls {
            Some(config) => {
                tls::serve_tls(listener, app, config).await;
                Ok(())
            }
            None => agentgateway_sim::serve(listener, app)
                .await
                .map_err(|e| format!("server failed: {e}")),
        }
    };
    tokio::select! {
        outcome = server => outcome,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

struct QueryArgs {
    gateway: String,
    agent: String,
    guid: Option<String>,
    password: Option<String>,
    ca_cert: Option<PathBuf>,
    danger_accept_invalid_certs: bool,
    timeout: Duration,
    conf_ids: Vec<i64>,
}

async fn query(args: QueryArgs) -> Result<(), String> {
    let agent: AgentId = args
        .agent
        .parse()
        .map_err(|e| format!("--agent {}: {e}", args.agent))?;
    let client = client(
        &args.gateway,
        args.timeout,
        args.ca_cert.as_deref(),
        args.danger_accept_invalid_certs,
    )?;
    let session = match (&args.guid, &args.password) {
        (Some(guid), _) => Session::resume(&client, guid.as_str()),
        (None, Some(password)) => {
            let request = LoginRequest {
                password: password.clone(),
                phonenum: agent.to_string(),
                autoanswer: None,
                autoenteridle: None,
                releasephone: None,
                agenttype: None,
                status: None,
                ip: None,
                phonelinkage: None,
                call_back_uri: None,
                service_token: None,
            };
            let path = LoginPath {
                agentid: agent.clone(),
            };
            Session::sign_in::<Login>(&client, &path, &request)
                .await
                .map_err(|e| failure("sign-in", e))?
                .0
        }
        (None, None) => return Err("give --guid or --password".to_owned()),
    };
    let conferences = AgentconfClient::new(session.clone());
    let body = QueryConfInfosRequest {
        conf_ids: args.conf_ids,
    };
    let outcome = conferences.query_conf_infos(agent.clone(), &body).await;
    if args.password.is_some() {
        session
            .sign_out::<Logout>(&LogoutPath { agentid: agent }, &())
            .await
            .map_err(|e| failure("sign-out", e))?;
    }
    let result = outcome.map_err(|e| failure("query", e))?;
    let json = serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

pub(crate) fn failure(what: &str, error: ClientError<ErrorCode>) -> String {
    match error {
        ClientError::Gateway(e) => format!(
            "{what}: the gateway answered retcode {} ({}): {}",
            e.retcode(),
            e.meaning().unwrap_or("not in the catalogue"),
            e.message()
        ),
        e => format!("{what}: {}", chain(&e)),
    }
}

/// An error and its causes, outermost first, each once: `transport error: error sending
/// request ...: connection refused`.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A client of `gateway` with a request timeout and the TLS trust chosen on the command line.
pub(crate) fn client(
    gateway: &str,
    timeout: Duration,
    ca_cert: Option<&std::path::Path>,
    danger_accept_invalid_certs: bool,
) -> Result<Client, String> {
    let mut builder = Client::builder(gateway).timeout(timeout);
    if let Some(path) = ca_cert {
        let pem = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        builder = builder.ca_certificate_pem(pem);
    }
    if danger_accept_invalid_certs {
        eprintln!("warning: accepting any server certificate (--danger-accept-invalid-certs)");
        builder = builder.danger_accept_invalid_certificates();
    }
    builder.build().map_err(|e| chain(&e))
}
