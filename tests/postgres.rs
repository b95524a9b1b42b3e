//! The PostgreSQL sample stores (`sample-data/postgres/`, written by each library's own code and loaded into
//! the test server by `scripts/pg-server.sh`) read through the same `Store` as SQLite files, checked against
//! what each library itself reported when it wrote them (`expected.json` beside each generator): the
//! streams, their event counts, types, first and last times, and each stream's events by type.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};
use eventscope::core::store::Store;
use serde_json::Value;

use crate::common::run_cli;

/// The test server's URL for `database`: `.ci/run` (and `scripts/test.sh`) start one and say where.
pub fn server(database: &str) -> String {
    let base = std::env::var("EVENTSCOPE_TEST_PG").unwrap_or_else(|_| {
        panic!(
            "this test needs the PostgreSQL test server: run `bash scripts/test.sh`, or start one with \
             `scripts/pg-server.sh start /tmp/es-pg` and export the EVENTSCOPE_TEST_PG line it prints"
        )
    });
    format!("{}/{database}", base.trim_end_matches('/'))
}

fn expected(library: &str) -> Value {
    let path = format!(
        "{}/sample-data/postgres/{library}/expected.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// A time as a library reported it: RFC 3339, or without a zone (UTC).
fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .or_else(|_| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").map(|t| t.and_utc())
        })
        .unwrap_or_else(|err| panic!("{text:?}: {err}"))
}

/// What one stream should be, as the library reported it.
struct Want {
    events: u64,
    stream_type: Option<String>,
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
    /// Within how much the times agree (a JavaScript `Date` keeps milliseconds).
    slack_micros: i64,
    types: BTreeMap<String, u64>,
}

fn counts(value: &Value) -> BTreeMap<String, u64> {
    value
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

/// The names a library's `expected.json` gives each stream's facts.
struct Keys {
    events: &'static str,
    stream_type: &'static str,
    first: &'static str,
    last: &'static str,
    types: &'static str,
    slack_micros: i64,
}

impl Keys {
    /// The names most generators use, times to the microsecond.
    const USUAL: Self = Self {
        events: "events",
        stream_type: "stream_type",
        first: "first_time",
        last: "last_time",
        types: "types",
        slack_micros: 0,
    };
}

/// Each stream of an `expected.json` `streams` object (keyed by Eventscope's stream id) as a [`Want`].
fn wants(streams: &serde_json::Map<String, Value>, keys: &Keys) -> BTreeMap<String, Want> {
    streams
        .iter()
        .map(|(id, s)| {
            let want = Want {
                events: s[keys.events].as_u64().unwrap(),
                stream_type: s[keys.stream_type].as_str().map(str::to_owned),
                first: s[keys.first].as_str().map(time),
                last: s[keys.last].as_str().map(time),
                slack_micros: keys.slack_micros,
                types: counts(&s[keys.types]),
            };
            (id.clone(), want)
        })
        .collect()
}

/// Every stream of the store at `url` is the one wanted, and no other; each stream's events read page by
/// page have the wanted types (`type_of` names an event's type as the library counted it).
fn check_store(url: &str, want: &BTreeMap<String, Want>, type_of: &dyn Fn(&str) -> String) {
    let store = Store::open(Path::new(url), None).unwrap_or_else(|err| panic!("{url}: {err}"));
    let streams = store.streams().unwrap();
    let ids: Vec<&str> = streams.iter().map(|s| s.id.as_str()).collect();
    let wanted: Vec<&str> = want.keys().map(String::as_str).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, wanted, "{url}: the streams");
    for summary in &streams {
        let w = &want[&summary.id];
        assert_eq!(summary.events, w.events, "{url} {}", summary.id);
        assert_eq!(summary.stream_type, w.stream_type, "{url} {}", summary.id);
        for (got, wanted, end) in [
            (summary.first_time, w.first, "first"),
            (summary.last_time, w.last, "last"),
        ] {
            let (Some(got), Some(wanted)) = (got, wanted) else {
                assert_eq!(got, wanted, "{url} {} {end} time", summary.id);
                continue;
            };
            let off = (got - wanted).num_microseconds().unwrap().abs();
            assert!(
                off <= w.slack_micros,
                "{url} {}: {end} time {got} is not {wanted}",
                summary.id
            );
        }
        assert_eq!(store.stream(&summary.id).unwrap(), *summary, "{url}");
        let mut types = BTreeMap::new();
        let mut previous = None;
        for event in store.read_stream_paged(&summary.id, 4) {
            let event = event.unwrap();
            assert!(
                previous.is_none_or(|(v, p)| (event.version, event.position) > (v, p)),
                "{url} {}: stream order",
                summary.id
            );
            previous = Some((event.version, event.position));
            *types.entry(type_of(&event.event_type)).or_insert(0) += 1;
        }
        assert_eq!(types, w.types, "{url} {}", summary.id);
    }
}

#[test]
fn eventsourcing_stores_read_as_the_library_reported() {
    let expected = expected("eventsourcing");
    for database in ["eventsourcing_bank", "eventsourcing_compressed"] {
        let streams = expected["databases"][database]["streams"]
            .as_object()
            .unwrap();
        let keys = Keys {
            stream_type: "aggregate",
            types: "event_types",
            ..Keys::USUAL
        };
        let want = wants(streams, &keys);
        // `bankdomain:BankAccount.Deposited` is counted as `BankAccount.Deposited`.
        let type_of = |topic: &str| topic.rsplit(':').next().unwrap_or(topic).to_owned();
        check_store(&server(database), &want, &type_of);
        // The snapshots the library took, by version, each holding the aggregate's state.
        let store = Store::open(Path::new(&server(database)), None).unwrap();
        for (id, s) in streams {
            let versions: Vec<i64> = store
                .snapshots(id)
                .unwrap()
                .iter()
                .map(|snapshot| {
                    let eventscope::core::model::Payload::Json(state) = &snapshot.state else {
                        panic!("{database} {id}: {:?}", snapshot.state);
                    };
                    assert_eq!(state["account_number"], s["state"]["account_number"]);
                    snapshot.version
                })
                .collect();
            let wanted: Vec<i64> = s["snapshot_versions"]
                .as_array()
                .map(|v| v.iter().map(|n| n.as_i64().unwrap()).collect())
                .unwrap_or_default();
            assert_eq!(versions, wanted, "{database} {id}");
        }
    }
}

#[test]
fn message_db_reads_as_the_library_reported() {
    let expected = expected("message-db");
    let keys = Keys {
        events: "messages",
        stream_type: "category",
        ..Keys::USUAL
    };
    let want = wants(expected["streams"].as_object().unwrap(), &keys);
    check_store(&server("message_db"), &want, &|t| t.to_owned());
}

#[test]
fn event_sourcery_reads_as_the_library_reported() {
    let expected = expected("event-sourcery");
    let want = expected["streams"]
        .as_object()
        .unwrap()
        .values()
        .map(|s| {
            // Eventscope's id of a (tenant, category, uuid) stream leaves out the empty leading parts.
            let parts =
                [&s["tenant"], &s["category"], &s["stream_id"]].map(|p| p.as_str().unwrap());
            let first = parts.iter().position(|p| !p.is_empty()).unwrap_or(2);
            let want = Want {
                events: s["events"].as_u64().unwrap(),
                stream_type: Some(parts[1].to_owned()).filter(|c| !c.is_empty()),
                first: s["first_time"].as_str().map(time),
                last: s["last_time"].as_str().map(time),
                slack_micros: 0,
                types: counts(&s["types"]),
            };
            (parts[first..].join("/"), want)
        })
        .collect();
    check_store(&server("event_sourcery"), &want, &|t| t.to_owned());
}

#[test]
fn emmett_reads_as_the_library_reported() {
    let expected = expected("emmett");
    let keys = Keys {
        first: "first_created",
        last: "last_created",
        slack_micros: 999,
        ..Keys::USUAL
    };
    let want = wants(expected["streams"].as_object().unwrap(), &keys);
    check_store(&server("emmett"), &want, &|t| t.to_owned());
}

/// cqrs-es keeps no global position and no time column: the streams are (aggregate_type, aggregate_id), read
/// in sequence order, timed by the `timestamp` every command put in its events' metadata, and the sample's
/// reducers replay each aggregate to the state `load_aggregate` gave.
#[test]
fn cqrs_es_reads_as_the_library_reported() {
    let expected = expected("cqrs-es");
    let streams = expected["streams"].as_object().unwrap();
    let keys = Keys {
        stream_type: "aggregate_type",
        ..Keys::USUAL
    };
    let want = wants(streams, &keys);
    let url = server("cqrs_es");
    check_store(&url, &want, &|t| t.to_owned());

    let store = Store::open(Path::new(&url), None).unwrap();
    let layout = &store.mapping().layout;
    assert!(
        layout.contains("no global position") && layout.contains("no time column"),
        "{layout}"
    );
    let reducers = format!(
        "{}/sample-data/cqrs-es/reducers.json",
        env!("CARGO_MANIFEST_DIR")
    );
    for (id, s) in streams {
        let versions: Vec<Option<i64>> = store
            .read_stream_paged(id, 5)
            .map(|event| event.unwrap().version)
            .collect();
        let first = s["first_sequence"].as_i64().unwrap();
        let last = s["last_sequence"].as_i64().unwrap();
        assert_eq!(
            versions,
            (first..=last).map(Some).collect::<Vec<_>>(),
            "{id}"
        );
        let out = run_cli(["state", &url, id, "--reducers", &reducers]);
        assert!(out.success, "{id}: {}", out.stderr);
        let state: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(state, s["state"], "{id}: the replayed state");
    }
    // The ctids standing in for positions jump at each page: no gaps found in them, and no event is "after
    // the newest written", which table order cannot tell.
    let out = run_cli(["verify", &url]);
    assert!(out.success, "{}", out.stderr);
    let summary = format!(
        "{} events in {} streams, 0 findings",
        expected["events"],
        streams.len()
    );
    assert!(out.stdout.contains(&summary), "{}", out.stdout);
}

/// Marten's store (from its own schema and append function): a stream is (tenant, id) under conjoined tenancy,
/// so one id in two tenants is two streams; its type is `mt_streams.type`; archived streams are left out as
/// Marten's reads leave them out; the sample's reducers replay each stream to the generator's fold.
#[test]
fn marten_reads_as_its_schema_was_written() {
    let expected = expected("marten");
    let all = expected["streams"].as_object().unwrap();
    let (archived, live): (Vec<_>, Vec<_>) = all
        .iter()
        .partition(|(_, s)| s["archived"].as_bool().unwrap());
    assert!(!archived.is_empty() && !live.is_empty());
    let live: serde_json::Map<String, Value> = live
        .into_iter()
        .map(|(id, s)| (id.clone(), s.clone()))
        .collect();
    let url = server("marten");
    check_store(&url, &wants(&live, &Keys::USUAL), &|t| t.to_owned());

    let store = Store::open(Path::new(&url), None).unwrap();
    for (id, _) in &archived {
        assert!(store.stream(id).is_err(), "{id}: archived, yet found");
    }
    let ids: Vec<&str> = live
        .values()
        .filter_map(|s| s["stream_id"].as_str())
        .collect();
    assert!(
        ids.iter()
            .any(|id| ids.iter().filter(|other| *other == id).count() == 2),
        "the sample has one id in two tenants: {ids:?}"
    );
    let reducers = format!(
        "{}/sample-data/postgres/marten/reducers.json",
        env!("CARGO_MANIFEST_DIR")
    );
    for (id, s) in &live {
        let summary = store.stream(id).unwrap();
        assert_eq!(summary.tenant.as_deref(), s["tenant"].as_str(), "{id}");
        let out = run_cli(["state", &url, id, "--reducers", &reducers]);
        assert!(out.success, "{id}: {}", out.stderr);
        let state: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(state, s["state"], "{id}: the replayed state");
    }
}

/// `rowid` on PostgreSQL is a row's ctid as a number; a partitioned table has none (its partitions' ctids
/// repeat), and a mapping that asks for it there is refused with the reason.
#[test]
fn a_rowid_position_on_a_partitioned_table_is_refused() {
    let url = server("emmett");
    let store = Store::open(Path::new(&url), None).unwrap();
    let mapping = eventscope::core::layout::Mapping {
        position: eventscope::core::layout::Source::Rowid,
        ..store.mapping().clone()
    };
    let Err(err) = Store::open(Path::new(&url), Some(mapping)) else {
        panic!("a rowid on emt_messages (partitioned) was taken");
    };
    assert!(err.to_string().contains("partitioned"), "{err}");
}

/// The subcommands take the URL where they take a file, the audit ones included; the password never shows.
#[test]
fn the_cli_reads_a_postgres_store() {
    let url = server("message_db");
    let out = run_cli(["streams", &url]);
    assert!(out.success, "{}", out.stderr);
    let streams: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(streams.as_array().unwrap().len(), 27, "{}", out.stdout);
    let out = run_cli(["layout", &url]);
    assert!(out.success, "{}", out.stderr);
    let layout: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(layout["mappings"][0]["layout"], "Message DB");
    assert_eq!(layout["open"]["server"]["could_write"], false);
    assert!(!out.stdout.contains(":reader@"), "{}", out.stdout);

    // verify: Event Sourcery's outbox entry with no tries left is found on the server too.
    let out = run_cli(["verify", &server("event_sourcery")]);
    assert!(
        out.success,
        "verify exits 0 whatever it finds: {}",
        out.stderr
    );
    assert!(out.stdout.contains("outbox_stuck"), "{}", out.stdout);
    assert!(!out.stderr.contains(":reader@"), "{}", out.stderr);

    // search: every Withdraw command, in position order.
    let out = run_cli(["search", &url, "--type", "Withdraw", "--json"]);
    assert!(out.success, "{}", out.stderr);
    let hits: Value = serde_json::from_str(&out.stdout).unwrap();
    let expected = expected("message-db");
    let withdraws: u64 = expected["streams"]
        .as_object()
        .unwrap()
        .values()
        .map(|s| s["types"]["Withdraw"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(hits.as_array().unwrap().len() as u64, withdraws);

    // overview: every message counted once.
    let out = run_cli(["overview", &url]);
    assert!(out.success, "{}", out.stderr);
    let overview: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(overview["total"], expected["messages"]);
    let counted: u64 = overview["counts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap().iter().map(|n| n.as_u64().unwrap()))
        .sum();
    assert_eq!(counted, expected["messages"].as_u64().unwrap());

    // report: the server, the role and the digest of the rows, unchanged, instead of a file's hash.
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let stream = "account-0d67c180-f049-504e-9e19-740ae6a34c17";
    let out = run_cli(["report", &url, stream, "-o", html.to_str().unwrap()]);
    assert!(out.success, "{}", out.stderr);
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains("<h2>Server</h2>"), "{text}");
    assert!(
        text.contains("eventscope_reader (this role cannot write"),
        "{text}"
    );
    assert!(text.contains("their SHA-256 when this report was written is the same"));
    assert!(!text.contains(":reader@"));
    let digest = |id: &str| {
        let start = text.find(&format!("id=\"{id}\">")).unwrap() + id.len() + 6;
        text[start..start + 64].to_owned()
    };
    assert_eq!(digest("sha256-open"), digest("sha256-write"));
}

/// A database of its own on the test server for a test that writes, made by the test server's admin role
/// (Eventscope itself only ever reads, as `eventscope_reader`): the admin's client and the reader's URL.
pub fn scratch_database(name: &str, schema: &str) -> (postgres::Client, String) {
    let reader = server("postgres");
    let admin_url = reader.replace("eventscope_reader:reader@", "eventscope_admin:admin@");
    let mut admin = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let mut client = postgres::Client::connect(
        &admin_url.replace("/postgres", &format!("/{name}")),
        postgres::NoTls,
    )
    .unwrap();
    client.batch_execute(schema).unwrap();
    (client, server(name))
}

/// Live follow on PostgreSQL hands over a transaction that commits after a later position was read, and
/// nothing twice.
#[test]
fn following_a_postgres_store_never_skips_a_late_commit() {
    let (mut admin, url) = scratch_database(
        "eventscope_follow",
        "CREATE TABLE events(id bigserial PRIMARY KEY, stream_id text NOT NULL, version int NOT NULL, \
         type text NOT NULL, data jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
         INSERT INTO events(stream_id, version, type, data) VALUES ('a', 1, 'Opened', '{}');",
    );
    let store = Store::open(Path::new(&url), None).unwrap_or_else(|err| panic!("{err}"));
    let mut positions = store.last_positions().unwrap();
    assert_eq!(positions, [1]);
    let insert = "INSERT INTO events(stream_id, version, type, data) VALUES ($1, $2, $3, '{}')";
    // A transaction takes position 2 and stays open while another commits position 3.
    let admin_url = url.replace("eventscope_reader:reader@", "eventscope_admin:admin@");
    let mut late = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap();
    let mut tx = late.transaction().unwrap();
    tx.execute(insert, &[&"late", &1_i32, &"Late"]).unwrap();
    admin
        .execute(insert, &[&"a", &2_i32, &"Deposited"])
        .unwrap();
    let read = |positions: &mut Vec<i64>| -> Vec<(i64, String)> {
        let mut out = Vec::new();
        loop {
            let page = store.events_after(positions, 2).unwrap();
            if page.is_empty() {
                return out;
            }
            out.extend(page.into_iter().map(|e| (e.position, e.event_type)));
        }
    };
    assert_eq!(read(&mut positions), [(3, "Deposited".to_owned())]);
    assert_eq!(read(&mut positions), []);
    tx.commit().unwrap();
    assert_eq!(read(&mut positions), [(2, "Late".to_owned())]);
    assert_eq!(read(&mut positions), []);
    admin
        .execute(insert, &[&"a", &3_i32, &"Withdrawn"])
        .unwrap();
    assert_eq!(read(&mut positions), [(4, "Withdrawn".to_owned())]);
    assert_eq!(store.stream("late").unwrap().events, 1);
}

/// The window opens a PostgreSQL store as it opens a file: the streams list, a stream's replay, the role in
/// the top bar; the password is in no label.
#[test]
fn the_window_browses_a_postgres_store() {
    use eframe::egui;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;
    use eventscope::app::{EventscopeApp, StartOptions};

    use crate::common::{cursor, step_until};

    let url = server("eventsourcing_bank");
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 860.0))
        .build_eframe(move |cc| {
            EventscopeApp::new(
                cc,
                StartOptions {
                    file: Some(url.into()),
                    ..Default::default()
                },
            )
        });
    step_until(&mut harness, "the streams list", |app| {
        app.session().is_some_and(|s| s.streams().listed())
    });
    let session = harness.state().session().unwrap();
    assert_eq!(session.streams().visible().len(), 6);
    let shown = session.store().path().display().to_string();
    assert!(
        shown.starts_with("postgres://eventscope_reader@") && !shown.contains(":reader@"),
        "{shown}"
    );
    harness.get_by_label(&shown);
    harness.get_by_label("· role eventscope_reader · read-only");
    harness
        .get_by_label("9e6f0814-1490-5e31-a7fb-07b2bdd25b03")
        .click();
    step_until(&mut harness, "the stream to load", |app| {
        cursor(app).is_some()
    });
    harness.get_by_label("after event 40 of 40");
    harness.key_press(egui::Key::Home);
    harness.run_steps(2);
    assert_eq!(cursor(harness.state()), Some(0));
    harness.get_by_label("after event 1 of 40");
    harness.get_by_label("\"DE-0001\"");
    assert!(harness.state().session().unwrap().error().is_none());
}

/// A stream's events come in version order whether or not the version column may be NULL, a missing
/// version first (as SQLite orders them), across pages.
#[test]
fn events_are_read_in_version_order_with_a_missing_version_first() {
    let (_admin, url) = scratch_database(
        "eventscope_versions",
        "CREATE TABLE events(id bigserial PRIMARY KEY, stream_id text NOT NULL, version int,
           type text NOT NULL, data jsonb NOT NULL);
         CREATE TABLE strict_events(id bigserial PRIMARY KEY, stream_id text NOT NULL, version int NOT NULL,
           type text NOT NULL, data jsonb NOT NULL);
         INSERT INTO events(stream_id, version, type, data) VALUES
           ('a', 3, 'C', '{}'), ('a', NULL, 'N', '{}'), ('a', 1, 'A', '{}'), ('a', 2, 'B', '{}'),
           ('a', 2, 'B2', '{}');
         INSERT INTO strict_events(stream_id, version, type, data)
           SELECT stream_id, coalesce(version, 0), type, data FROM events ORDER BY id;",
    );
    for (table, want) in [
        ("events", ["N", "A", "B", "B2", "C"]),
        ("strict_events", ["N", "A", "B", "B2", "C"]),
    ] {
        let mapping: eventscope::core::layout::Mapping =
            serde_json::from_value(serde_json::json!({
                "layout": "test", "table": table, "position": {"column": "id"},
                "stream": [{"column": "stream_id"}], "version": {"column": "version"},
                "type": {"column": "type"}, "data": "data"
            }))
            .unwrap();
        let store = Store::open_with(
            Path::new(&url),
            eventscope::core::store::OpenOptions {
                mappings: Some(vec![mapping]),
                ..Default::default()
            },
        )
        .unwrap_or_else(|err| panic!("{err}"));
        let types: Vec<String> = store
            .read_stream_paged("a", 2)
            .map(|e| e.unwrap().event_type)
            .collect();
        assert_eq!(types, want, "{table}");
    }
}
