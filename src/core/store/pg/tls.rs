//! TLS for a PostgreSQL connection, with libpq's `sslmode` meanings on rustls: `require` encrypts without
//! checking who answers (unless a root certificate is at hand, as in libpq), `verify-ca` checks the chain,
//! `verify-full` the chain and the host name.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::target::{Environment, PgTarget, SslMode};

/// What TLS setting cannot be used, and what to do about it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TlsError(String);

/// The connector for `target`'s `sslmode` (also for `disable`, where the driver never uses it).
pub(super) fn connector(
    target: &PgTarget,
    env: &dyn Environment,
) -> Result<MakeRustlsConnect, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|err| TlsError(format!("TLS cannot be set up: {err}")))?;
    let roots = roots(target, env)?;
    let chain = match (target.ssl, roots) {
        (SslMode::Disable | SslMode::Allow | SslMode::Prefer, _) | (SslMode::Require, None) => None,
        (SslMode::VerifyCa | SslMode::VerifyFull, None) => {
            return Err(TlsError(format!(
                "sslmode={} needs the server's root certificate: put it at ~/.postgresql/root.crt, or name \
                 it with sslrootcert=FILE in the URL (sslrootcert=system for the system's certificates)",
                if target.ssl == SslMode::VerifyCa {
                    "verify-ca"
                } else {
                    "verify-full"
                }
            )));
        }
        (_, Some(roots)) => Some(
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
                .build()
                .map_err(|err| TlsError(format!("the root certificates cannot be used: {err}")))?,
        ),
    };
    let verifier = Arc::new(Checks {
        provider,
        chain,
        names: target.ssl == SslMode::VerifyFull,
    });
    let config = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// The root certificates `sslrootcert` names, or `~/.postgresql/root.crt` when it exists (libpq's default).
fn roots(target: &PgTarget, env: &dyn Environment) -> Result<Option<RootCertStore>, TlsError> {
    let path = match target.root_cert.as_deref() {
        Some("system") => {
            let found = rustls_native_certs::load_native_certs();
            let mut roots = RootCertStore::empty();
            roots.add_parsable_certificates(found.certs);
            if roots.is_empty() {
                return Err(TlsError(
                    "sslrootcert=system: no certificates found in the system's store (Debian: install \
                     ca-certificates)"
                        .to_owned(),
                ));
            }
            return Ok(Some(roots));
        }
        Some(path) => PathBuf::from(path),
        None => match env.home().map(|home| home.join(".postgresql/root.crt")) {
            Some(path) if path.is_file() => path,
            _ => return Ok(None),
        },
    };
    read_pem(&path).map(Some)
}

fn read_pem(path: &Path) -> Result<RootCertStore, TlsError> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|err| {
            TlsError(format!(
                "cannot read the root certificate {}: {err}",
                path.display()
            ))
        })?;
    let mut roots = RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(certs);
    if added == 0 {
        return Err(TlsError(format!(
            "{} holds no certificate usable as a root (a PEM file of CERTIFICATE blocks is expected)",
            path.display()
        )));
    }
    Ok(roots)
}

/// What is checked of the server's certificate. Without a chain verifier nothing is (libpq's `prefer`, and
/// `require` without a root certificate: the connection is encrypted, nothing says who answers); with one the
/// chain must lead to a given root, and the name must match too unless only the chain is asked for
/// (`verify-ca`). The handshake's signatures are checked in every case.
#[derive(Debug)]
struct Checks {
    provider: Arc<CryptoProvider>,
    chain: Option<Arc<WebPkiServerVerifier>>,
    names: bool,
}

impl ServerCertVerifier for Checks {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        use rustls::{CertificateError, Error};
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.names => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
