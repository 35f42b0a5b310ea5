//! Serving one HTTP/1 connection, plain or TLS, with the limits a gateway front needs against
//! slow clients: headers that do not arrive in time close the connection (hyper's header read
//! timeout, which needs a timer that `axum::serve` does not set). Bodies have their own timeout
//! in the generated routers.

use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;

/// How long a client has to send a request's headers, on a new connection and between requests
/// on a kept-alive one.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves HTTP/1 on `io` until the client closes it, an error, or a header timeout.
pub(crate) async fn serve_connection<Io>(io: Io, app: Router, header_timeout: Duration)
where
    Io: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = TowerToHyperService::new(app);
    if let Err(e) = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(TokioIo::new(io), service)
        .await
    {
        tracing::debug!(error = %e, "connection ended with an error");
    }
}

/// Accepts connections on `listener` and serves each on its own task, forever.
pub(crate) async fn accept_loop<F, Fut>(listener: TcpListener, mut serve: F)
where
    F: FnMut(tokio::net::TcpStream, std::net::SocketAddr) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    loop {
        match listener.accept().await {
            Ok((tcp, peer)) => {
                // Small answers go out at once rather than waiting for more to send.
                let _ = tcp.set_nodelay(true);
                tokio::spawn(serve(tcp, peer));
            }
            Err(e) => {
                // Out of descriptors, mostly: wait for connections to close.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}
