//! Live follow of a PostgreSQL store whose writer notifies: eventsourcing's own insert function (its DDL as
//! the library created it, from `sample-data/postgres/eventsourcing_bank.sql`) runs `NOTIFY "banking_events"`,
//! so Eventscope listens on that channel and wakes when an event commits instead of sleeping out its poll.

use std::path::Path;
use std::time::{Duration, Instant};

use eventscope::core::store::Store;
use eventscope::core::store::pg::FollowMode;

use crate::common::step_until;
use crate::postgres::{scratch_database, server};

/// The schema part of the eventsourcing sample's dump: the type, the insert function and the tables, no
/// rows (and none of pg_dump's psql commands).
fn eventsourcing_schema() -> String {
    let dump = std::fs::read_to_string(format!(
        "{}/sample-data/postgres/eventsourcing_bank.sql",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let before_rows = dump.split("\nCOPY ").next().unwrap();
    before_rows
        .lines()
        .filter(|line| !line.starts_with('\\'))
        .collect::<Vec<_>>()
        .join("\n")
}

type Row = (uuid::Uuid, i64, String, Vec<u8>);

/// The sample's first events, as the library stored them.
fn sample_rows() -> Vec<Row> {
    let mut client =
        postgres::Client::connect(&server("eventsourcing_bank"), postgres::NoTls).unwrap();
    client
        .query(
            "SELECT originator_id, originator_version, topic, state FROM banking_events \
             ORDER BY notification_id LIMIT 3",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)))
        .collect()
}

/// Insert `row` the way the library does: through its function, which notifies.
fn insert(client: &mut postgres::Client, row: &Row) {
    client
        .query(
            "SELECT public.es_insert_events_uuid(ARRAY[ROW($1, $2, $3, $4)::public.stored_event_uuid])",
            &[&row.0, &row.1, &row.2, &row.3],
        )
        .unwrap();
}

#[test]
fn a_store_whose_writer_notifies_is_followed_by_listen_and_wakes_when_an_event_commits() {
    let rows = sample_rows();
    assert_eq!(rows.len(), 3);
    let (mut admin, url) = scratch_database("eventscope_listen", &eventsourcing_schema());
    insert(&mut admin, &rows[0]);
    insert(&mut admin, &rows[1]);
    let store = Store::open(Path::new(&url), None).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        store.follow_mode().unwrap(),
        FollowMode::Notified {
            channels: vec!["banking_events".to_owned()]
        }
    );
    let mut positions = store.last_positions().unwrap();
    let before = store.data_version().unwrap();
    // Nothing committed: the version stands and a wait runs to its end.
    assert_eq!(store.data_version().unwrap(), before);
    assert_eq!(
        store.wait_for_change(Duration::from_millis(200)).unwrap(),
        before
    );

    let third = rows[2].clone();
    let writer = std::thread::Builder::new()
        .name("writer".to_owned())
        .spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            insert(&mut admin, &third);
        })
        .unwrap();
    let started = Instant::now();
    let after = store.wait_for_change(Duration::from_secs(60)).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "woke only at the timeout"
    );
    writer.join().unwrap();
    assert_ne!(after, before);
    let appended = store.events_after(&mut positions, 100).unwrap();
    assert_eq!(appended.len(), 1);
    assert_eq!(appended[0].stream, rows[2].0.to_string());
    assert_eq!(appended[0].version, Some(rows[2].1));

    // A look without waiting (the window's poll) sees a notification too, well before the snapshot is
    // read again (every 5 s): the version changes because of the notification.
    let url_admin = url.replace("eventscope_reader:reader@", "eventscope_admin:admin@");
    let mut admin = postgres::Client::connect(&url_admin, postgres::NoTls).unwrap();
    let looked = Instant::now();
    let now = store.data_version().unwrap();
    let mut fourth = rows[2].clone();
    fourth.1 += 1;
    insert(&mut admin, &fourth);
    while store.data_version().unwrap() == now {
        assert!(
            looked.elapsed() < Duration::from_secs(4),
            "the notification was not seen"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(store.events_after(&mut positions, 100).unwrap().len(), 1);
}

#[test]
fn a_store_nobody_notifies_about_is_polled() {
    let (_admin, url) = scratch_database(
        "eventscope_no_listen",
        "CREATE TABLE events(id bigserial PRIMARY KEY, stream_id text NOT NULL, version int NOT NULL, \
         type text NOT NULL, data jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
         INSERT INTO events(stream_id, version, type, data) VALUES ('a', 1, 'Opened', '{}');",
    );
    let store = Store::open(Path::new(&url), None).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(store.follow_mode().unwrap(), FollowMode::Polling);
}

/// In the window: the follow control says the server notifies, and an event the library inserts while the
/// store is open arrives.
#[test]
fn the_window_follows_a_notifying_postgres_store() {
    use eframe::egui;
    use eventscope::app::{EventscopeApp, StartOptions};

    let rows = sample_rows();
    let (mut admin, url) = scratch_database("eventscope_listen_gui", &eventsourcing_schema());
    insert(&mut admin, &rows[0]);
    let start = StartOptions {
        file: Some(url.clone().into()),
        ..Default::default()
    };
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 900.0))
        .build_eframe(move |cc| EventscopeApp::new(cc, start));
    step_until(&mut harness, "the streams list", |app| {
        app.session()
            .is_some_and(|s| s.streams().listed() && s.progress().is_none())
    });
    let session = harness.state().session().unwrap();
    assert_eq!(
        *session.live().mode(),
        FollowMode::Notified {
            channels: vec!["banking_events".to_owned()]
        }
    );
    assert!(session.live().described().contains("LISTEN banking_events"));
    assert_eq!(session.live().appended(), 0);
    insert(&mut admin, &rows[1]);
    step_until(&mut harness, "the inserted event", |app| {
        app.session().is_some_and(|s| s.live().appended() == 1)
    });
}
