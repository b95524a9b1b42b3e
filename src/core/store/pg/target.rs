//! Where a PostgreSQL store is and how to reach it: the `postgres://` URL a user gives, completed the way libpq
//! completes it (the `PG*` environment variables, then the password file), with the TLS it asks for.
//!
//! Eventscope is not linked to libpq, so what a libpq user expects of a URL is done here: `sslmode` takes all
//! six of libpq's values (the driver knows three), `sslrootcert` is read, and a password is never shown
//! (see [`PgTarget::shown`]).

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;

use super::pgpass;

/// libpq's `sslmode`: how hard to insist on TLS and what to check of the server's certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// Plain first (taken as `prefer` here: TLS when the server offers it).
    Allow,
    /// TLS when the server offers it, no certificate check (libpq's default).
    Prefer,
    /// TLS or no connection; the certificate is checked only when a root certificate is given.
    Require,
    /// TLS, the certificate chain checked against the root certificates.
    VerifyCa,
    /// TLS, the chain checked and the host name matched: the only mode that stops a man in the middle.
    VerifyFull,
}

impl FromStr for SslMode {
    type Err = TargetError;

    fn from_str(text: &str) -> Result<Self, TargetError> {
        Ok(match text {
            "disable" => Self::Disable,
            "allow" => Self::Allow,
            "prefer" => Self::Prefer,
            "require" => Self::Require,
            "verify-ca" => Self::VerifyCa,
            "verify-full" => Self::VerifyFull,
            other => {
                return Err(TargetError::Invalid(format!(
                    "sslmode={other} is not one of disable, allow, prefer, require, verify-ca, verify-full"
                )));
            }
        })
    }
}

/// Why a connection target could not be made out; each message says which part of the URL or which
/// environment variable is wrong.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("{0}")]
    Invalid(String),
}

/// A PostgreSQL server, database and role to read, and how to secure the connection.
#[derive(Clone)]
pub struct PgTarget {
    /// Everything the driver needs but TLS (host, port, user, database, password, timeouts).
    pub(super) config: postgres::Config,
    pub(super) ssl: SslMode,
    /// `sslrootcert`: a PEM file, or `system` for the platform's certificate store.
    pub(super) root_cert: Option<String>,
    /// The URL's query parameters but a password (`sslmode`, `options` choosing a schema...), as written:
    /// part of the URL shown and remembered, so a recent connection opens the same way again.
    pub(super) shown_query: Vec<String>,
}

impl std::fmt::Debug for PgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgTarget")
            .field("shown", &self.shown())
            .field("ssl", &self.ssl)
            .finish_non_exhaustive()
    }
}

/// Whether `text` names a PostgreSQL server rather than a file.
pub fn is_postgres_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

/// The environment a target is completed from: the process's own, or a fixed one in tests.
pub trait Environment {
    fn var(&self, name: &str) -> Option<String>;

    /// The home directory, for `~/.pgpass` and `~/.postgresql/root.crt`.
    fn home(&self) -> Option<PathBuf> {
        self.var("HOME").map(PathBuf::from)
    }
}

/// The process's environment variables.
pub struct ProcessEnv;

impl Environment for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

impl PgTarget {
    /// Parse `url` (`postgres://` or `postgresql://`) and complete it from the environment as libpq does:
    /// what the URL says wins, then `PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGPASSWORD`, `PGSSLMODE`,
    /// `PGSSLROOTCERT`, `PGCONNECT_TIMEOUT`, `PGAPPNAME`, then the password file (`PGPASSFILE` or
    /// `~/.pgpass`) for a password, then the defaults (the Unix socket, port 5432, the login name).
    pub fn parse(url: &str, env: &dyn Environment) -> Result<Self, TargetError> {
        if !is_postgres_url(url) {
            return Err(TargetError::Invalid(format!(
                "{url:?} is not a PostgreSQL URL (postgres://user@host:port/database)"
            )));
        }
        // The driver refuses options it does not know, and knows three sslmodes: take out what is read here.
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut kept = Vec::new();
        let mut shown_query = Vec::new();
        let mut ssl = None;
        let mut root_cert = None;
        for (pair, key, value) in query_pairs(query) {
            if key != "password" {
                shown_query.push(pair.to_owned());
            }
            match key {
                "sslmode" => ssl = Some(value.parse::<SslMode>()?),
                "sslrootcert" => root_cert = Some(percent_decoded(value)?),
                _ => kept.push(pair),
            }
        }
        let driver_url = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let mut config = postgres::Config::from_str(&driver_url).map_err(|err| {
            TargetError::Invalid(format!(
                "cannot read the PostgreSQL URL {}: {err}",
                redacted(url)
            ))
        })?;
        if config.get_hosts().is_empty() {
            match env.var("PGHOST") {
                Some(hosts) => {
                    for host in hosts.split(',') {
                        config.host(host);
                    }
                }
                None => {
                    config.host(default_socket_dir());
                }
            }
        }
        if config.get_ports().is_empty()
            && let Some(port) = env.var("PGPORT")
        {
            let port = port.parse::<u16>().map_err(|_| {
                TargetError::Invalid(format!("PGPORT={port:?} is not a port number"))
            })?;
            config.port(port);
        }
        if config.get_user().is_none() {
            let user = env
                .var("PGUSER")
                .or_else(|| env.var("USER"))
                .or_else(|| env.var("LOGNAME"))
                .ok_or_else(|| {
                    TargetError::Invalid(
                        "no user: put one in the URL (postgres://user@host/db) or set PGUSER"
                            .to_owned(),
                    )
                })?;
            config.user(&user);
        }
        if config.get_dbname().is_none() {
            let dbname = env
                .var("PGDATABASE")
                .or_else(|| config.get_user().map(str::to_owned))
                .unwrap_or_default();
            config.dbname(&dbname);
        }
        if config.get_connect_timeout().is_none() {
            let seconds = match env.var("PGCONNECT_TIMEOUT") {
                Some(text) => text.parse::<u64>().map_err(|_| {
                    TargetError::Invalid(format!(
                        "PGCONNECT_TIMEOUT={text:?} is not a number of seconds"
                    ))
                })?,
                None => 10,
            };
            // libpq reads 0 as "wait for ever"; a browser that hangs is worse, so 0 means the default here.
            config.connect_timeout(Duration::from_secs(if seconds == 0 { 10 } else { seconds }));
        }
        if config.get_application_name().is_none() {
            let name = env
                .var("PGAPPNAME")
                .unwrap_or_else(|| "eventscope".to_owned());
            config.application_name(&name);
        }
        let ssl = match ssl {
            Some(mode) => mode,
            None => env
                .var("PGSSLMODE")
                .map(|m| m.parse::<SslMode>())
                .transpose()?
                .unwrap_or(SslMode::Prefer),
        };
        let root_cert = root_cert.or_else(|| env.var("PGSSLROOTCERT"));
        let mut target = Self {
            config,
            ssl,
            root_cert,
            shown_query,
        };
        if target.config.get_password().is_none() {
            match env.var("PGPASSWORD") {
                Some(password) => {
                    target.config.password(password);
                }
                None => {
                    if let Some(password) = pgpass::lookup(&target, env) {
                        target.config.password(password);
                    }
                }
            }
        }
        Ok(target)
    }

    /// The URL as it may be shown and remembered: never the password.
    pub fn shown(&self) -> String {
        let user = self.config.get_user().unwrap_or_default();
        let host = self.host_shown();
        let port = self.port();
        let db = self.dbname();
        let mut shown = format!("postgres://{user}@{host}:{port}/{db}");
        if !self.shown_query.is_empty() {
            shown.push('?');
            shown.push_str(&self.shown_query.join("&"));
        }
        shown
    }

    /// The first host, as libpq names it in the password file (`localhost` for a Unix socket).
    pub(super) fn host_for_pgpass(&self) -> String {
        match self.config.get_hosts().first() {
            Some(Host::Tcp(name)) => name.clone(),
            _ => "localhost".to_owned(),
        }
    }

    /// The first host, for messages.
    pub fn host_shown(&self) -> String {
        match self.config.get_hosts().first() {
            Some(Host::Tcp(name)) => name.clone(),
            Some(Host::Unix(path)) => path.display().to_string(),
            None => String::new(),
        }
    }

    pub fn port(&self) -> u16 {
        self.config.get_ports().first().copied().unwrap_or(5432)
    }

    pub fn dbname(&self) -> &str {
        self.config.get_dbname().unwrap_or_default()
    }

    pub fn user(&self) -> &str {
        self.config.get_user().unwrap_or_default()
    }

    pub fn ssl_mode(&self) -> SslMode {
        self.ssl
    }

    /// The same server and role, another database (for listing a server's databases).
    pub fn with_dbname(&self, dbname: &str) -> Self {
        let mut other = self.clone();
        other.config.dbname(dbname);
        other
    }
}

/// Where libpq looks for the server's socket by default on Debian.
fn default_socket_dir() -> &'static str {
    "/var/run/postgresql"
}

/// What a URL's query value must escape: besides controls, what would end or split the pair, the escape
/// itself, and what the driver or a reader could take for something else.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'=')
    .add(b'?')
    .add(b'@')
    .add(b'\\')
    .add(b'/');

/// `url` reading unqualified table names from `schema` first: its `options` parameter set to
/// `-c search_path=<schema>` (any earlier `options` replaced), the schema quoted as an identifier and escaped
/// as libpq's `options` and a URL need.
pub fn url_with_schema(url: &str, schema: &str) -> String {
    let plain = schema
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !schema.is_empty();
    let ident = if plain {
        schema.to_owned()
    } else {
        format!("\"{}\"", schema.replace('"', "\"\""))
    };
    // libpq splits `options` at spaces unless escaped with a backslash.
    let option = format!(
        "-c search_path={}",
        ident.replace('\\', "\\\\").replace(' ', "\\ ")
    );
    url_with_parameter(url, "options", &option)
}

/// `url` with its query parameter `key` set to `value` (escaped here), replacing any it had.
pub fn url_with_parameter(url: &str, key: &str, value: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs: Vec<String> = query_pairs(query)
        .filter(|(_, k, _)| *k != key)
        .map(|(pair, _, _)| pair.to_owned())
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(value, QUERY_VALUE);
    pairs.push(format!("{key}={encoded}"));
    format!("{base}?{}", pairs.join("&"))
}

/// A URL query's `key=value` pairs as written, each with its key and (still escaped) value; empty ones left
/// out.
fn query_pairs(query: &str) -> impl Iterator<Item = (&str, &str, &str)> {
    query.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (pair, key, value)
    })
}

/// `url` with any password in it replaced by `***`, for error messages.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            let hidden = if userinfo.contains(':') { ":***" } else { "" };
            format!("{user}{hidden}@{host}")
        }
        None => authority.to_owned(),
    };
    // A password may also come as a query parameter.
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let pairs: Vec<&str> = query_pairs(query)
                .map(|(pair, key, _)| {
                    if key == "password" {
                        "password=***"
                    } else {
                        pair
                    }
                })
                .collect();
            format!("{path}?{}", pairs.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}

fn percent_decoded(text: &str) -> Result<String, TargetError> {
    // A `%` not followed by two hex digits is kept by the crate; libpq refuses it, and so does this.
    let bad_escape = text.match_indices('%').any(|(i, _)| {
        !text
            .get(i + 1..i + 3)
            .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if bad_escape {
        return Err(TargetError::Invalid(format!(
            "bad percent escape in {text:?}"
        )));
    }
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| TargetError::Invalid(format!("{text:?} is not UTF-8")))
}
