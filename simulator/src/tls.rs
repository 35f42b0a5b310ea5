//! HTTPS: the server's certificate and key from PEM files, and an accept loop that runs the
//! router over TLS (tokio-rustls with aws-lc-rs, HTTP/1.1).

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// How long a client may take to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the certificate or key cannot be used.
#[derive(Debug)]
pub struct TlsError(String);

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TlsError {}

/// A TLS server configuration from a PEM certificate chain and a PEM private key.
///
/// # Errors
/// A file cannot be read, holds no certificate or key, or the key does not fit.
pub fn server_config(cert_pem: &[u8], key_pem: &[u8]) -> Result<Arc<ServerConfig>, TlsError> {
    let certs = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError(format!("certificate: {e}")))?;
    if certs.is_empty() {
        return Err(TlsError(
            "certificate: no CERTIFICATE block found".to_owned(),
        ));
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| TlsError(format!("key: {e}")))?;
    let mut config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| TlsError(format!("certificate and key: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// [`server_config`] from files.
///
/// # Errors
/// As [`server_config`], or a file cannot be read.
pub fn server_config_from_files(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>, TlsError> {
    let read =
        |path: &Path| std::fs::read(path).map_err(|e| TlsError(format!("{}: {e}", path.display())));
    server_config(&read(cert)?, &read(key)?)
}

/// Serves `app` over TLS on `listener` until the task is dropped.
pub async fn serve_tls(listener: TcpListener, app: Router, config: Arc<ServerConfig>) {
    let acceptor = TlsAcceptor::from(config);
    crate::conn::accept_loop(listener, move |tcp, peer| {
        let (acceptor, app) = (acceptor.clone(), app.clone());
        async move {
            let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => tls,
                Ok(Err(e)) => {
                    tracing::info!(%peer, error = %e, "TLS handshake failed");
                    return;
                }
                Err(_) => {
                    tracing::info!(%peer, "TLS handshake timed out");
                    return;
                }
            };
            crate::conn::serve_connection(tls, app, crate::conn::HEADER_TIMEOUT).await;
        }
    })
    .await;
}
