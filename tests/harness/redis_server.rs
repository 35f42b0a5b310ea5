//! A `redis-server` of a test's own: started on a free loopback port (Debian's package is
//! installed with apt when the binary is missing), stopped when dropped.

// Each test file uses its own part of the harness.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `redis-server` of the test's own, on a free port, with its data in a temporary directory
/// (append-only file, written to the OS at once and synced every second: killing the server keeps the sessions).
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
}

/// The server binary, installed once per test process (tests run in parallel; one apt-get at a
/// time).
fn redis_server_binary() -> PathBuf {
    static BINARY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BINARY.get_or_init(install_redis_server).clone()
}

fn install_redis_server() -> PathBuf {
    let found = |p: &str| std::path::Path::new(p).exists().then(|| PathBuf::from(p));
    if let Some(path) = found("/usr/bin/redis-server") {
        return path;
    }
    let installed = Command::new("apt-get")
        .args(["install", "-y", "-q", "redis-server"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status();
    match (installed, found("/usr/bin/redis-server")) {
        (Ok(status), Some(path)) if status.success() => path,
        (outcome, _) => panic!(
            "redis-server is missing and `apt-get install -y redis-server` did not install it ({outcome:?}); install Debian's redis-server package"
        ),
    }
}

impl RedisServer {
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let mut server = Self {
            child: None,
            port,
            dir: tempfile::tempdir().expect("tempdir"),
        };
        server.run();
        server
    }

    pub fn run(&mut self) {
        let child = Command::new(redis_server_binary())
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args([
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
            ])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        self.child = Some(child);
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("redis-server did not listen on port {}", self.port);
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// A command through `redis-cli` (installed with the server), its output lines.
    pub fn cli(&self, args: &[&str]) -> Vec<String> {
        let output = Command::new("redis-cli")
            .args(["-p", &self.port.to_string()])
            .args(args)
            .output()
            .expect("run redis-cli");
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}
