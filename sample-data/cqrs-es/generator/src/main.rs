//! Writes small SQLite event stores with `cqrs-es` + `sqlite-es`.
//!
//! Usage: `cqrs-es-sample-generator [EVENTS_ONLY_FILE] [SNAPSHOTS_FILE]`
//! (defaults: `../../cqrs-es.sqlite` and `cqrs-es-snapshots.sqlite` next to
//! the first file).
//!
//! The same deterministic scenario is run twice:
//! - through `sqlite_es::sqlite_cqrs` (`PersistedEventStore::new_event_store`):
//!   only the `events` table gets rows;
//! - through `sqlite_es::sqlite_snapshot_cqrs` with a snapshot size of 3
//!   (`PersistedEventStore::new_snapshot_store(repo, 3)`): `snapshots` gets
//!   one row per aggregate that reached 3 events.
//!
//! The aggregates and the commands are in `bank.rs` (shared with the PostgreSQL generator).
//! All rows are written by the libraries. This program only creates the
//! tables (sqlite-es leaves that to the user; the SQL below is copied from
//! sqlite-es 0.5.0 `migrations/20221114171845_init.sql`) and, at the end,
//! switches the file from WAL to `journal_mode=DELETE` with a separate
//! connection after the library's pool is closed.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use cqrs_es::persist::GenericQuery;
use cqrs_es::Query;
use sqlite_es::{default_sqlite_pool, sqlite_cqrs, sqlite_snapshot_cqrs, SqliteViewRepository};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection};

use bank::{run_scenario, BankAccount, BankAccountView, Ctx, Customer};

mod bank;

// ------------------------------------------------------------------ schema

/// `events` and `snapshots` exactly as in sqlite-es 0.5.0
/// `migrations/20221114171845_init.sql`.
const SQLITE_ES_TABLES: &str = r#"
-- a single table is used for all events in the cqrs system
CREATE TABLE events
(
  aggregate_type text                          NOT NULL,
  aggregate_id   text                          NOT NULL,
  sequence       integer CHECK (sequence >= 0) NOT NULL,
  event_type     text                          NOT NULL,
  event_version  text                          NOT NULL,
  payload        text                          NOT NULL,
  metadata       text                          NOT NULL,
  PRIMARY KEY (aggregate_type, aggregate_id, sequence)
) STRICT;

-- this table is only needed if snapshotting is employed
CREATE TABLE snapshots
(
  aggregate_type   text                                  NOT NULL,
  aggregate_id     text                                  NOT NULL,
  last_sequence    integer CHECK (last_sequence >= 0)    NOT NULL,
  current_snapshot integer CHECK (current_snapshot >= 0) NOT NULL,
  payload          text                                  NOT NULL,
  PRIMARY KEY (aggregate_type, aggregate_id, last_sequence)
) STRICT;
"#;

/// A view table for `SqliteViewRepository`, in the shape the same migration
/// documents for views ("one view table should be created for every
/// `SqliteViewRepository` used").
const VIEW_TABLE: &str = r#"
CREATE TABLE bank_account_query
(
  view_id text                         NOT NULL,
  version integer CHECK (version >= 0) NOT NULL,
  payload text                         NOT NULL,
  PRIMARY KEY (view_id)
) STRICT;
"#;


async fn generate(out: &Path, snapshots: bool) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = out.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    let url = format!("sqlite://{}", out.display());
    // sqlite-es's own pool helper (WAL, synchronous=NORMAL, foreign_keys)
    let pool = default_sqlite_pool(&url).await;
    sqlx::raw_sql(SQLITE_ES_TABLES).execute(&pool).await.expect("create sqlite-es tables");
    sqlx::raw_sql(VIEW_TABLE).execute(&pool).await.expect("create view table");

    let view_repo = Arc::new(SqliteViewRepository::<BankAccountView, BankAccount>::new(
        "bank_account_query",
        pool.clone(),
    ));
    let queries: Vec<Box<dyn Query<BankAccount>>> = vec![Box::new(GenericQuery::new(view_repo))];
    let (accounts, customers) = if snapshots {
        (
            sqlite_snapshot_cqrs::<BankAccount>(pool.clone(), queries, 3, ()),
            sqlite_snapshot_cqrs::<Customer>(pool.clone(), vec![], 3, ()),
        )
    } else {
        (
            sqlite_cqrs::<BankAccount>(pool.clone(), queries, ()),
            sqlite_cqrs::<Customer>(pool.clone(), vec![], ()),
        )
    };
    let mut ctx = Ctx::new(accounts, customers);
    run_scenario(&mut ctx).await;
    let (commands, rejected) = (ctx.commands, ctx.rejected);
    drop(ctx);
    pool.close().await;

    // single-file result: checkpoint the WAL and switch to a rollback journal
    let mut conn = SqliteConnectOptions::from_str(&url)
        .unwrap()
        .journal_mode(SqliteJournalMode::Delete)
        .connect()
        .await
        .expect("reopen");
    sqlx::raw_sql("VACUUM").execute(&mut conn).await.expect("vacuum");
    conn.close().await.expect("close");

    println!("wrote {} ({commands} commands, {rejected} rejected)", out.display());
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let events_only = PathBuf::from(args.next().unwrap_or_else(|| "../../cqrs-es.sqlite".into()));
    let with_snapshots = args.next().map(PathBuf::from).unwrap_or_else(|| {
        let stem = events_only.file_stem().unwrap().to_string_lossy().to_string();
        events_only.with_file_name(format!("{stem}-snapshots.sqlite"))
    });
    generate(&events_only, false).await;
    generate(&with_snapshots, true).await;
}
