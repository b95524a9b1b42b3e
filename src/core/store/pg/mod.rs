//! PostgreSQL, read-only: a connection made from a `postgres://` URL as libpq would make it, kept read-only by
//! the server itself, and what the connected role could do.
//!
//! Read-only is a promise to auditors, so it is not left to Eventscope's own good behaviour: the session is
//! `default_transaction_read_only` (checked after it is set), every read runs in a `READ ONLY` transaction
//! that is rolled back, and each statement is bounded by `statement_timeout`. [`RoleFacts::could_write`] says
//! whether the role could write at all had Eventscope tried, which is what makes the promise airtight (a role
//! with `pg_read_all_data` and nothing else).

mod catalog;
mod cells;
mod follow;
mod open;
mod pgpass;
mod scan;
mod schema;
mod sql;
pub(in crate::core::store) mod store;
pub(in crate::core::store) mod streams;
mod target;
mod tls;

use std::time::Duration;

pub use follow::FollowMode;
pub use open::{SchemaLayout, inspect_tables, schemas_with_layouts};
pub use schema::SchemaInfo;
pub use target::{
    Environment, PgTarget, ProcessEnv, SslMode, TargetError, is_postgres_url, redacted,
    url_with_parameter, url_with_schema,
};
pub use tls::TlsError;

/// What can go wrong reaching or reading a PostgreSQL store; every message names the server and database
/// (never the password).
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error("{shown}: {source}")]
    Tls { shown: String, source: TlsError },
    #[error("cannot connect to {shown}: {}", describe(source))]
    Connect {
        shown: String,
        source: postgres::Error,
    },
    #[error("{shown}: {}", describe(source))]
    Query {
        shown: String,
        source: postgres::Error,
    },
    #[error(
        "{shown}: the server did not keep the session read-only (default_transaction_read_only is {value:?}); \
         Eventscope reads nothing from it"
    )]
    NotReadOnly { shown: String, value: String },
}

impl PgError {
    /// Whether connecting failed for want of the right password: the server refused the one given
    /// (SQLSTATE 28P01), or asked for one when there was none (the driver's `password missing`).
    pub fn wants_password(&self) -> bool {
        let PgError::Connect { source, .. } = self else {
            return false;
        };
        match source.code() {
            Some(code) => *code == postgres::error::SqlState::INVALID_PASSWORD,
            None => source.to_string().contains("password missing"),
        }
    }
}

/// The server's own words for an error (its message, detail and hint), or the driver's.
fn describe(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => {
            let mut text = db.message().to_owned();
            if let Some(detail) = db.detail() {
                text.push_str(&format!(" ({detail})"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!("; {hint}"));
            }
            text
        }
        // The driver's own words say which column; its source says why.
        None => match std::error::Error::source(error) {
            Some(source) => format!("{error}: {source}"),
            None => error.to_string(),
        },
    }
}

/// Who Eventscope is connected as, and what that role could do.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RoleFacts {
    pub role: String,
    pub database: String,
    pub server_version: String,
    pub superuser: bool,
    /// The role could insert, update, delete or create somewhere in this database (Eventscope never does:
    /// its session is read-only); `false` is the airtight setup the README describes.
    pub could_write: bool,
    /// The connection is encrypted.
    pub tls: bool,
}

/// The statement timeout when none is given: as for SQLite's queries, a minute.
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(60);

/// A read-only connection to one PostgreSQL database.
pub struct PgConnection {
    client: postgres::Client,
    target: PgTarget,
    role: RoleFacts,
    /// The schema unqualified names are read from (the session's `search_path`).
    schema: String,
}

impl std::fmt::Debug for PgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConnection")
            .field("target", &self.target)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl PgConnection {
    /// Connect to `target`, make the session read-only and bound each statement by `statement_timeout`
    /// (`None` for no bound).
    pub fn connect(
        target: &PgTarget,
        env: &dyn Environment,
        statement_timeout: Option<Duration>,
    ) -> Result<Self, PgError> {
        let shown = target.shown();
        let mut config = target.config.clone();
        config.ssl_mode(match target.ssl {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Allow | SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                postgres::config::SslMode::Require
            }
        });
        let tls = tls::connector(target, env).map_err(|source| PgError::Tls {
            shown: shown.clone(),
            source,
        })?;
        let mut client = config.connect(tls).map_err(|source| PgError::Connect {
            shown: shown.clone(),
            source,
        })?;
        let query_err = |source| PgError::Query {
            shown: shown.clone(),
            source,
        };
        let millis = statement_timeout.map_or(0, |t| t.as_millis().clamp(1, i32::MAX as u128));
        client
            .batch_execute(&format!(
                "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY; SET statement_timeout = {millis}"
            ))
            .map_err(query_err)?;
        let value: String = client
            .query_one("SHOW default_transaction_read_only", &[])
            .and_then(|row| row.try_get(0))
            .map_err(query_err)?;
        if value != "on" {
            return Err(PgError::NotReadOnly { shown, value });
        }
        let role = role_facts(&mut client).map_err(query_err)?;
        // The first schema of the search path that exists (`public` on a new database).
        let schema: Option<String> = client
            .query_one("SELECT current_schema()::text", &[])
            .and_then(|row| row.try_get(0))
            .map_err(query_err)?;
        Ok(Self {
            client,
            target: target.clone(),
            role,
            schema: schema.unwrap_or_else(|| "public".to_owned()),
        })
    }

    /// Read unqualified table names from `schema` from now on (the session's `search_path`).
    pub fn use_schema(&mut self, schema: &str) -> Result<(), PgError> {
        let shown = self.target.shown();
        self.client
            .batch_execute(&format!(
                "SET search_path TO {}",
                crate::core::layout::quote_ident(schema)
            ))
            .map_err(|source| PgError::Query { shown, source })?;
        schema.clone_into(&mut self.schema);
        Ok(())
    }

    /// The schema unqualified table names are read from.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    pub fn target(&self) -> &PgTarget {
        &self.target
    }

    pub fn role(&self) -> &RoleFacts {
        &self.role
    }

    /// Run `read` in a `READ ONLY` transaction, rolled back after it.
    pub fn read<T>(
        &mut self,
        read: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<T, postgres::Error>,
    ) -> Result<T, PgError> {
        let shown = self.target.shown();
        let query_err = |source| PgError::Query {
            shown: shown.clone(),
            source,
        };
        let mut tx = self
            .client
            .build_transaction()
            .read_only(true)
            .start()
            .map_err(query_err)?;
        let out = read(&mut tx).map_err(query_err)?;
        tx.rollback().map_err(query_err)?;
        Ok(out)
    }
}

/// The connected role and whether it could write: a superuser, a member of `pg_write_all_data`, or a role
/// with a write privilege on some table or the right to create in some schema of this database.
fn role_facts(client: &mut postgres::Client) -> Result<RoleFacts, postgres::Error> {
    let row = client.query_one(
        "SELECT current_user::text, current_database()::text, current_setting('server_version'),
                r.rolsuper,
                r.rolsuper
                OR CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pg_write_all_data')
                        THEN pg_has_role(current_user, 'pg_write_all_data', 'USAGE') ELSE false END
                OR EXISTS (
                    SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind IN ('r', 'p')
                      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                      AND n.nspname NOT LIKE 'pg\\_toast%'
                      AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE'))
                OR EXISTS (
                    SELECT 1 FROM pg_namespace n
                    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
                      AND n.nspname NOT LIKE 'pg\\_%'
                      AND has_schema_privilege(n.oid, 'CREATE')),
                coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)
         FROM pg_roles r WHERE r.rolname = current_user",
        &[],
    )?;
    Ok(RoleFacts {
        role: row.try_get(0)?,
        database: row.try_get(1)?,
        server_version: row.try_get(2)?,
        superuser: row.try_get(3)?,
        could_write: row.try_get(4)?,
        tls: row.try_get(5)?,
    })
}

#[cfg(test)]
mod tests;
