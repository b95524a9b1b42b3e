//! Writes the PostgreSQL sample store `cqrs_es` with `cqrs-es` + `postgres-es`, then reads it back through
//! the same libraries and writes what they report to `expected.json`.
//!
//! Usage: `cqrs-es-postgres-sample-generator DATABASE_URL EXPECTED_JSON` (`generate.sh` gives both, after
//! recreating the database, and dumps it afterwards).
//!
//! The scenario is the one the SQLite sample runs (`sample-data/cqrs-es/generator/src/bank.rs`, included
//! here): every command goes through `CqrsFramework::execute_with_metadata` of `postgres_es::postgres_cqrs`
//! (`PersistedEventStore::new_event_store` over `PostgresEventRepository`), and a `GenericQuery` over
//! `PostgresViewRepository` keeps the `bank_account_query` view. Every row is written by the libraries: this
//! program only creates the tables, which postgres-es leaves to its user, with the DDL of postgres-es 0.5.0
//! `db/init.sql` (below, verbatim).

use std::collections::BTreeMap;
use std::sync::Arc;

use cqrs_es::persist::{GenericQuery, PersistedEventStore};
use cqrs_es::{Aggregate, AggregateContext, DomainEvent, EventStore, Query};
use postgres_es::{default_postgress_pool, postgres_cqrs, PostgresEventRepository, PostgresViewRepository};
use serde_json::{json, Value};
use sqlx::{Pool, Postgres};

use bank::{run_scenario, BankAccount, BankAccountView, Ctx, Customer};
use bank::{ACC_ALICE, ACC_BOB, ACC_CAROL, CUST_ALICE, SHARED_ID};

#[path = "../../../../cqrs-es/generator/src/bank.rs"]
mod bank;

/// `events` and `snapshots` exactly as in postgres-es 0.5.0 `db/init.sql` (the file's `test_view` table, its
/// test `INSERT` and its `CREATE USER` are left out).
const POSTGRES_ES_TABLES: &str = r#"
-- a single table is used for all events in the cqrs system
CREATE TABLE events
(
    aggregate_type text                         NOT NULL,
    aggregate_id   text                         NOT NULL,
    sequence       bigint CHECK (sequence >= 0) NOT NULL,
    event_type     text                         NOT NULL,
    event_version  text                         NOT NULL,
    payload        json                         NOT NULL,
    metadata       json                         NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, sequence)
);

-- this table is only needed if snapshotting is employed
CREATE TABLE snapshots
(
    aggregate_type   text                                 NOT NULL,
    aggregate_id     text                                 NOT NULL,
    last_sequence    bigint CHECK (last_sequence >= 0)    NOT NULL,
    current_snapshot bigint CHECK (current_snapshot >= 0) NOT NULL,
    payload          json                                 NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, last_sequence)
);
"#;

/// The view table for `PostgresViewRepository`: `test_view` of the same `db/init.sql`, renamed as its comment
/// says ("replace name with the value used in `PostgresViewRepository::new(view_name: String)`").
const VIEW_TABLE: &str = r#"
CREATE TABLE bank_account_query
(
    view_id text                        NOT NULL,
    version bigint CHECK (version >= 0) NOT NULL,
    payload json                        NOT NULL,
    PRIMARY KEY (view_id)
);
"#;

/// One stream as the library reads it back: `load_events` (sequences, types, versions, the metadata's
/// timestamps) and `load_aggregate` (the state the commands saw).
async fn stream_report<A>(pool: &Pool<Postgres>, id: &str) -> Value
where
    A: Aggregate + serde::Serialize,
{
    let store = PersistedEventStore::<PostgresEventRepository, A>::new_event_store(
        PostgresEventRepository::new(pool.clone()),
    );
    let events = store.load_events(id).await.expect("load_events");
    let mut types = BTreeMap::<String, u64>::new();
    let mut versions = BTreeMap::<String, u64>::new();
    for event in &events {
        *types.entry(event.payload.event_type()).or_default() += 1;
        *versions.entry(event.payload.event_version()).or_default() += 1;
    }
    let timestamp = |i: Option<usize>| i.and_then(|i| events.get(i)).map(|e| e.metadata["timestamp"].clone());
    let mut context = store.load_aggregate(id).await.expect("load_aggregate");
    json!({
        "aggregate_type": A::TYPE,
        "aggregate_id": id,
        "events": events.len(),
        "first_sequence": events.first().map(|e| e.sequence),
        "last_sequence": events.last().map(|e| e.sequence),
        "types": types,
        "event_versions": versions,
        "first_time": timestamp(Some(0)),
        "last_time": timestamp(events.len().checked_sub(1)),
        "state": serde_json::to_value(context.aggregate()).expect("state as JSON"),
    })
}

async fn count(pool: &Pool<Postgres>, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .expect("count")
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, expected] = args.as_slice() else {
        panic!("usage: cqrs-es-postgres-sample-generator DATABASE_URL EXPECTED_JSON");
    };
    // postgres-es's own pool helper (at most 10 connections)
    let pool = default_postgress_pool(url).await;
    sqlx::raw_sql(POSTGRES_ES_TABLES).execute(&pool).await.expect("create postgres-es tables");
    sqlx::raw_sql(VIEW_TABLE).execute(&pool).await.expect("create view table");

    let view_repo = Arc::new(PostgresViewRepository::<BankAccountView, BankAccount>::new(
        "bank_account_query",
        pool.clone(),
    ));
    let queries: Vec<Box<dyn Query<BankAccount>>> = vec![Box::new(GenericQuery::new(view_repo))];
    let mut ctx = Ctx::new(
        postgres_cqrs::<BankAccount>(pool.clone(), queries, ()),
        postgres_cqrs::<Customer>(pool.clone(), vec![], ()),
    );
    run_scenario(&mut ctx).await;
    let (commands, rejected) = (ctx.commands, ctx.rejected);
    drop(ctx);

    let mut streams = serde_json::Map::new();
    for id in [ACC_ALICE, ACC_BOB, ACC_CAROL, SHARED_ID] {
        streams.insert(format!("BankAccount/{id}"), stream_report::<BankAccount>(&pool, id).await);
    }
    for id in [CUST_ALICE, SHARED_ID] {
        streams.insert(format!("Customer/{id}"), stream_report::<Customer>(&pool, id).await);
    }
    let mut tables = BTreeMap::new();
    for table in ["bank_account_query", "events", "snapshots"] {
        tables.insert(table, count(&pool, table).await);
    }
    pool.close().await;
    let summary = json!({
        "cqrs-es": "0.5.0",
        "postgres-es": "0.5.0",
        "database": "cqrs_es",
        "commands": commands,
        "rejected": rejected,
        "events": tables["events"],
        "tables": tables,
        "streams": streams,
    });
    let text = serde_json::to_string_pretty(&summary).expect("expected.json") + "\n";
    std::fs::write(expected, text).expect("write expected.json");
    println!("wrote {expected} ({commands} commands, {rejected} rejected)");
}
