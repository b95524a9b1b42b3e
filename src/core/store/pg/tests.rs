//! Targets made from URLs and environments as libpq makes them, and (with the test server) a session that
//! stays read-only whatever is asked of it.

use std::collections::HashMap;

use super::*;

/// A fixed environment.
struct Env(HashMap<&'static str, String>);

impl Env {
    fn new(vars: &[(&'static str, &str)]) -> Self {
        Self(vars.iter().map(|(k, v)| (*k, (*v).to_owned())).collect())
    }
}

impl Environment for Env {
    fn var(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
}

#[test]
fn the_url_wins_over_the_environment_and_the_environment_over_defaults() {
    let env = Env::new(&[
        ("PGHOST", "env.example"),
        ("PGPORT", "6543"),
        ("PGUSER", "envuser"),
        ("PGDATABASE", "envdb"),
        ("PGSSLMODE", "require"),
    ]);
    let target = PgTarget::parse("postgres://ann@db.example:5433/shop", &env).unwrap();
    assert_eq!(target.shown(), "postgres://ann@db.example:5433/shop");
    assert_eq!(target.ssl_mode(), SslMode::Require, "PGSSLMODE fills in");
    let target = PgTarget::parse("postgresql://", &env).unwrap();
    assert_eq!(target.shown(), "postgres://envuser@env.example:6543/envdb");
    let target = PgTarget::parse("postgres://", &Env::new(&[("USER", "me")])).unwrap();
    assert_eq!(target.shown(), "postgres://me@/var/run/postgresql:5432/me");
    assert_eq!(target.ssl_mode(), SslMode::Prefer, "libpq's default");
}

#[test]
fn every_libpq_sslmode_is_read_and_a_wrong_one_named() {
    let env = Env::new(&[("USER", "me")]);
    for (text, mode) in [
        ("disable", SslMode::Disable),
        ("allow", SslMode::Allow),
        ("prefer", SslMode::Prefer),
        ("require", SslMode::Require),
        ("verify-ca", SslMode::VerifyCa),
        ("verify-full", SslMode::VerifyFull),
    ] {
        let url = format!("postgres://h/db?sslmode={text}&application_name=x");
        assert_eq!(PgTarget::parse(&url, &env).unwrap().ssl_mode(), mode);
    }
    let err = PgTarget::parse("postgres://h/db?sslmode=strict", &env).unwrap_err();
    assert!(err.to_string().contains("sslmode=strict"), "{err}");
    let err = PgTarget::parse("postgres://h/db?colour=blue", &env).unwrap_err();
    assert!(err.to_string().contains("colour"), "{err}");
    let err = PgTarget::parse("/tmp/store.sqlite", &env).unwrap_err();
    assert!(err.to_string().contains("not a PostgreSQL URL"), "{err}");
}

#[test]
fn a_password_is_read_from_the_url_or_pgpassword_and_never_shown() {
    let env = Env::new(&[("PGPASSWORD", "from-env")]);
    let target = PgTarget::parse("postgres://ann:s3cret@db/shop", &env).unwrap();
    assert_eq!(target.config.get_password(), Some(&b"s3cret"[..]));
    assert!(!target.shown().contains("s3cret"));
    assert!(!format!("{target:?}").contains("s3cret"));
    let target = PgTarget::parse("postgres://ann@db/shop", &env).unwrap();
    assert_eq!(target.config.get_password(), Some(&b"from-env"[..]));
    assert_eq!(
        redacted("postgres://ann:s3cret@db:5432/shop?sslmode=require"),
        "postgres://ann:***@db:5432/shop?sslmode=require"
    );
    assert_eq!(
        redacted("postgres://ann@db/shop?password=s3cret&sslmode=require"),
        "postgres://ann@db/shop?password=***&sslmode=require"
    );
    let err = PgTarget::parse("postgres://ann:s3cret@db:notaport/shop", &env).unwrap_err();
    assert!(!err.to_string().contains("s3cret"), "{err}");
}

#[test]
fn the_shown_url_keeps_every_parameter_but_a_password() {
    let env = Env::new(&[]);
    let url = "postgres://ann:s3cret@db/shop?sslmode=require&password=hunter2&options=-c%20search_path%3Dsales";
    let target = PgTarget::parse(url, &env).unwrap();
    assert_eq!(
        target.shown(),
        "postgres://ann@db:5432/shop?sslmode=require&options=-c%20search_path%3Dsales"
    );
    // What is shown opens the same way again (with the password from elsewhere).
    let again = PgTarget::parse(&target.shown(), &env).unwrap();
    assert_eq!(again.shown(), target.shown());
    assert_eq!(again.ssl_mode(), SslMode::Require);
}

#[test]
fn a_schema_is_chosen_by_the_urls_options_quoted_as_needed() {
    assert_eq!(
        url_with_schema("postgres://ann@db/shop", "sales"),
        "postgres://ann@db/shop?options=-c%20search_path%3Dsales"
    );
    // An earlier choice is replaced; other parameters stay.
    assert_eq!(
        url_with_schema(
            "postgres://ann@db/shop?sslmode=require&options=-csearch_path%3Dold",
            "Sales Q1"
        ),
        "postgres://ann@db/shop?sslmode=require&options=-c%20search_path%3D%22Sales%5C%20Q1%22"
    );
    let target = PgTarget::parse(
        &url_with_schema("postgres://ann@db/shop", "Sales Q1"),
        &Env::new(&[]),
    )
    .unwrap();
    assert_eq!(
        target.config.get_options(),
        Some("-c search_path=\"Sales\\ Q1\"")
    );
}

#[test]
fn verifying_modes_without_a_root_certificate_say_where_to_put_one() {
    let env = Env::new(&[("USER", "me"), ("HOME", "/nonexistent")]);
    let target = PgTarget::parse("postgres://db.example/shop?sslmode=verify-full", &env).unwrap();
    let err = PgConnection::connect(&target, &env, None).unwrap_err();
    assert!(
        err.to_string().contains("~/.postgresql/root.crt")
            && err.to_string().contains("sslrootcert"),
        "{err}"
    );
    let target = PgTarget::parse(
        "postgres://db.example/shop?sslmode=verify-ca&sslrootcert=/nonexistent/root.pem",
        &env,
    )
    .unwrap();
    let err = PgConnection::connect(&target, &env, None).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/root.pem"), "{err}");
}

/// The test server's URL for `database`: `.ci/run` starts one (`scripts/pg-server.sh`) and says where.
pub(crate) fn test_server(database: &str) -> String {
    let base = std::env::var("EVENTSCOPE_TEST_PG").unwrap_or_else(|_| {
        panic!(
            "this test needs the PostgreSQL test server: run `scripts/pg-server.sh start /tmp/es-pg` and \
             export the EVENTSCOPE_TEST_PG line it prints (`.ci/run` does both)"
        )
    });
    format!("{}/{database}", base.trim_end_matches('/'))
}

#[test]
fn a_session_is_read_only_and_refuses_every_write() {
    let url = test_server("postgres");
    let target = PgTarget::parse(&url, &ProcessEnv).unwrap();
    let mut conn = PgConnection::connect(&target, &ProcessEnv, Some(DEFAULT_STATEMENT_TIMEOUT))
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(conn.role().database, "postgres");
    let answer: i32 = conn
        .read(|tx| tx.query_one("SELECT 41 + 1", &[])?.try_get(0))
        .unwrap();
    assert_eq!(answer, 42);
    assert!(
        !conn.role().could_write && !conn.role().superuser,
        "the test server's reader only reads: {:?}",
        conn.role()
    );
    // (PostgreSQL lets a read-only transaction create temporary tables; Eventscope never does.)
    for write in [
        "CREATE TABLE eventscope_must_not_exist (x int)",
        "SELECT 1; SET TRANSACTION READ WRITE",
        "SET default_transaction_read_only = off; CREATE TABLE eventscope_must_not_exist (x int)",
    ] {
        let err = conn.read(|tx| tx.batch_execute(write)).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("read-only") || text.contains("read-write mode must be set"),
            "{write}: {err}"
        );
    }
    conn.read(|tx| tx.batch_execute("SELECT pg_sleep(0.1)"))
        .expect("a short statement is within the default timeout");
    // A role that could write is named so, and its session refuses writes all the same.
    let writer = url.replace("eventscope_reader:reader@", "eventscope_writer:writer@");
    let writer = PgTarget::parse(&writer, &ProcessEnv).unwrap();
    let mut conn = PgConnection::connect(&writer, &ProcessEnv, None).unwrap();
    assert!(conn.role().could_write, "{:?}", conn.role());
    let err = conn
        .read(|tx| tx.batch_execute("CREATE TABLE eventscope_must_not_exist (x int)"))
        .unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    let mut quick =
        PgConnection::connect(&target, &ProcessEnv, Some(Duration::from_millis(200))).unwrap();
    let err = quick
        .read(|tx| tx.batch_execute("SELECT pg_sleep(5)"))
        .unwrap_err();
    assert!(err.to_string().contains("statement timeout"), "{err}");
}

fn connect_to(database: &str) -> PgConnection {
    let target = PgTarget::parse(&test_server(database), &ProcessEnv).unwrap();
    PgConnection::connect(&target, &ProcessEnv, Some(DEFAULT_STATEMENT_TIMEOUT))
        .unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn the_schemas_holding_a_layout_are_found_and_one_is_chosen_by_url() {
    let url = test_server("message_db");
    let target = PgTarget::parse(&url, &ProcessEnv).unwrap();
    let found = schemas_with_layouts(&target).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].schema, "message_store");
    assert_eq!(found[0].tables, ["messages"]);
    assert!(!found[0].current);
    let chosen = PgTarget::parse(&url_with_schema(&url, "message_store"), &ProcessEnv).unwrap();
    let conn = PgConnection::connect(&chosen, &ProcessEnv, Some(DEFAULT_STATEMENT_TIMEOUT))
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(conn.schema(), "message_store");
}

#[test]
fn schemas_and_tables_are_read_from_the_catalogs_partitioned_tables_once() {
    let mut conn = connect_to("message_db");
    let schemas = conn.schemas().unwrap();
    assert!(
        schemas
            .iter()
            .any(|s| s.name == "message_store" && s.tables >= 1),
        "{schemas:?}"
    );
    let tables = conn.tables("message_store").unwrap();
    let messages = tables.iter().find(|t| t.name == "messages").unwrap();
    let names: Vec<&str> = messages.columns.iter().map(|c| c.name.as_str()).collect();
    for wanted in [
        "global_position",
        "position",
        "time",
        "stream_name",
        "type",
        "data",
        "metadata",
        "id",
    ] {
        assert!(names.contains(&wanted), "{names:?}");
    }
    assert!(messages.without_rowid);

    let mut conn = connect_to("eventsourcing_bank");
    let tables = conn.tables("public").unwrap();
    let events = tables.iter().find(|t| t.name == "banking_events").unwrap();
    let pk: Vec<(&str, i64)> = events
        .columns
        .iter()
        .filter(|c| c.pk > 0)
        .map(|c| (c.name.as_str(), c.pk))
        .collect();
    assert_eq!(pk, [("originator_id", 1), ("originator_version", 2)]);
    let state = events.columns.iter().find(|c| c.name == "state").unwrap();
    assert_eq!(state.decl_type, "bytea");

    let mut conn = connect_to("emmett");
    let names: Vec<String> = conn
        .tables("public")
        .unwrap()
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert!(names.contains(&"emt_messages".to_owned()), "{names:?}");
    assert!(
        !names.iter().any(|n| n.starts_with("emt_messages_")),
        "partitions are not listed: {names:?}"
    );
}

/// Every column of the first rows of `table`, as Datums.
fn first_rows(conn: &mut PgConnection, table: &str) -> Vec<Vec<crate::core::decode::cell::Datum>> {
    let sql = format!("SELECT * FROM {table} ORDER BY 1, 2 LIMIT 3");
    conn.read(|tx| {
        tx.query(sql.as_str(), &[])?
            .iter()
            .map(|row| (0..row.len()).map(|i| row.try_get(i)).collect())
            .collect()
    })
    .unwrap_or_else(|err| panic!("{table}: {err}"))
}

#[test]
fn every_column_type_of_the_samples_reads_as_a_datum() {
    use crate::core::decode::cell::Datum;
    use crate::core::decode::format_stream_id;
    use crate::core::decode::times::read_time_sql;

    let mut conn = connect_to("eventsourcing_bank");
    let rows = first_rows(&mut conn, "banking_events");
    let id = format_stream_id(rows[0][0].cell());
    assert_eq!(id.len(), 36, "a uuid shows dashed: {id}");
    assert!(matches!(rows[0][1], Datum::Integer(1)), "{:?}", rows[0][1]);
    assert!(
        matches!(&rows[0][3], Datum::Blob(bytes) if bytes.starts_with(b"{")),
        "state is bytea"
    );

    let mut conn = connect_to("message_db");
    let rows = first_rows(&mut conn, "message_store.messages");
    let time = read_time_sql(rows[0][2].cell());
    assert!(
        time.into_parts().0.is_some(),
        "a timestamp reads as a time: {:?}",
        rows[0][2]
    );
    assert!(
        matches!(&rows[0][5], Datum::Text(text) if text.starts_with('{')),
        "jsonb is its text"
    );
    assert!(
        matches!(&rows[0][7], Datum::Blob(bytes) if bytes.len() == 16),
        "uuid"
    );

    let mut conn = connect_to("emmett");
    let rows = first_rows(&mut conn, "emt_messages");
    assert!(
        matches!(rows[0][2], Datum::Integer(xid) if xid > 0),
        "xid8: {:?}",
        rows[0][2]
    );
    assert!(
        matches!(&rows[0][3], Datum::Text(t) if t.ends_with('Z')),
        "timestamptz: {:?}",
        rows[0][3]
    );
    assert!(matches!(rows[0][4], Datum::Integer(0 | 1)), "boolean");

    let err = conn
        .read(|tx| {
            tx.query_one("SELECT 1.5::numeric", &[])?
                .try_get::<_, Datum>(0)
        })
        .unwrap_err();
    assert!(err.to_string().contains("numeric"), "{err}");
}

/// The test server's URL with `query` and the CA that signed its certificate.
fn tls_server(host: &str, query: &str) -> (String, String) {
    let ca = std::env::var("EVENTSCOPE_TEST_PG_CA").unwrap_or_else(|_| {
        panic!(
            "this test needs the test server's TLS: scripts/pg-server.sh makes it when openssl is installed \
             and prints EVENTSCOPE_TEST_PG_CA beside EVENTSCOPE_TEST_PG"
        )
    });
    let url = test_server("postgres").replace("@127.0.0.1:", &format!("@{host}:"));
    (format!("{url}?{query}"), ca)
}

fn tls_connect(url: &str) -> Result<PgConnection, PgError> {
    // No ~/.postgresql/root.crt to fall back on: only what the URL says.
    struct NoHome;
    impl Environment for NoHome {
        fn var(&self, name: &str) -> Option<String> {
            ProcessEnv.var(name).filter(|_| name != "HOME")
        }
    }
    let target = PgTarget::parse(url, &NoHome)?;
    PgConnection::connect(&target, &NoHome, Some(DEFAULT_STATEMENT_TIMEOUT))
}

#[test]
fn each_sslmode_encrypts_and_checks_what_libpq_would() {
    let (url, _) = tls_server("127.0.0.1", "sslmode=disable");
    assert!(!tls_connect(&url).unwrap().role().tls, "disable: plain");
    let (url, _) = tls_server("127.0.0.1", "sslmode=require");
    assert!(
        tls_connect(&url).unwrap().role().tls,
        "require: encrypted, nothing checked"
    );

    let (url, ca) = tls_server("127.0.0.1", "sslmode=verify-full&sslrootcert=");
    let conn = tls_connect(&format!("{url}{ca}")).unwrap_or_else(|err| panic!("{err}"));
    assert!(conn.role().tls, "verify-full with the right root and name");

    // A name the certificate does not carry, reaching the same server: verify-ca accepts it, verify-full not.
    let (url, ca) = tls_server("wrong-name.invalid", "hostaddr=127.0.0.1&sslrootcert=");
    let conn =
        tls_connect(&format!("{url}{ca}&sslmode=verify-ca")).unwrap_or_else(|err| panic!("{err}"));
    assert!(conn.role().tls);
    let err = tls_connect(&format!("{url}{ca}&sslmode=verify-full")).unwrap_err();
    assert!(err.to_string().contains("cannot connect"), "{err}");

    // Roots that did not sign the server's certificate.
    let (url, _) = tls_server("127.0.0.1", "sslmode=verify-ca&sslrootcert=system");
    match tls_connect(&url) {
        Err(err) => assert!(
            err.to_string().contains("cannot connect") || err.to_string().contains("system"),
            "{err}"
        ),
        Ok(_) => panic!("the system's roots did not sign the test server's certificate"),
    }
}

#[test]
fn each_postgres_sample_is_recognised_by_the_same_detection_as_sqlite_files() {
    use crate::core::decode::codec::{Encryption, Transform};
    use crate::core::layout::{Catalog, Dialect, Source, detect};
    let column = |name: &str| Source::Column(name.to_owned());
    let cqrs_es = "cqrs-es (postgres-es; no global position: rows in table order, by ctid; no time column: \
                   time = metadata.timestamp)";
    for (database, schema, table, layout, position) in [
        (
            "eventsourcing_bank",
            None,
            "banking_events",
            "eventsourcing (PostgreSQL module, application banking)",
            column("notification_id"),
        ),
        (
            "eventsourcing_compressed",
            None,
            "banking_events",
            "eventsourcing (PostgreSQL module, application banking)",
            column("notification_id"),
        ),
        (
            "message_db",
            Some("message_store"),
            "messages",
            "Message DB",
            column("global_position"),
        ),
        (
            "event_sourcery",
            None,
            "event_sourcery_events",
            "Event Sourcery (SQLAlchemy)",
            column("id"),
        ),
        (
            "emmett",
            None,
            "emt_messages",
            "Emmett (emmett-postgresql)",
            column("global_position"),
        ),
        ("cqrs_es", None, "events", cqrs_es, Source::Rowid),
        (
            "marten",
            None,
            "mt_events",
            "Marten (archived streams left out, as Marten reads)",
            column("seq_id"),
        ),
    ] {
        let mut conn = connect_to(database);
        assert_eq!(conn.dialect(), Dialect::Postgres);
        if let Some(schema) = schema {
            conn.use_schema(schema).unwrap();
        }
        let mappings = detect(&mut conn).unwrap_or_else(|err| panic!("{database}: {err}"));
        let [mapping] = mappings.as_slice() else {
            panic!("{database}: {mappings:?}");
        };
        assert_eq!(
            (mapping.table.as_str(), mapping.layout.as_str()),
            (table, layout),
            "{database}"
        );
        assert_eq!(mapping.position, position, "{database}");
        mapping
            .validate(&mut conn)
            .unwrap_or_else(|err| panic!("{database}: {err}"));
        if database.starts_with("eventsourcing") {
            // Sampled from bytea: JSON (zlib-compressed in one store), neither encrypted.
            assert_eq!(mapping.codec.encryption, None::<Encryption>);
            assert_eq!(mapping.codec.transform, Some(Transform::EventsourcingTypes));
            assert!(mapping.snapshots.is_some(), "{database}");
        }
    }
}

#[test]
fn a_json_key_is_counted_by_the_servers_own_operators() {
    use crate::core::layout::Catalog;
    let mut conn = connect_to("emmett");
    let total: i64 = conn
        .read(|tx| {
            tx.query_one("SELECT count(*) FROM emt_messages", &[])?
                .try_get(0)
        })
        .unwrap();
    let lacking = conn
        .rows_lacking_key("emt_messages", "message_metadata", "no such key")
        .unwrap();
    assert_eq!(lacking, u64::try_from(total).unwrap());
    let sample = conn.sample("emt_messages", "message_data", 3).unwrap();
    assert_eq!(sample.len(), 3);
    assert!(matches!(&sample[0], crate::core::decode::cell::Datum::Text(t) if t.starts_with('{')));
    let err = conn
        .compiles("SELECT no_such_column FROM emt_messages")
        .unwrap_err();
    assert!(err.contains("no_such_column"), "{err}");
}
