//! A stream's first and last times are the times of its first and last events by position, read like every
//! event's time, never the smallest and largest values as stored (SQLite orders text, numbers and UTC offsets
//! in ways that are not time order). A time that cannot be read is shown as stored, marked unreadable, in the
//! streams list, `streams --json`, `active`, the CSV export and the report, and never replaced by a readable
//! neighbour.

use std::path::{Path, PathBuf};

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use eventscope::app::{EventscopeApp, StartOptions};
use eventscope::core::audit::export::{EventFormat, export_events};
use eventscope::core::store::Store;
use serde_json::{Value, json};

use crate::common::{arg, cli_json, open_sqlite_read_only, run_cli, step_until};

/// A plain events table (its `created_at` declared without a type, so every value keeps the storage class
/// it was written with) holding two streams:
/// - `mixed`: four readable times in four formats, in time order by position (14:00, 14:30, 15:00 and
///   15:30 UTC), whose smallest stored value is the integer (15:00) and whose largest is the `+02:00` text
///   of the first event (14:00);
/// - `unread`: a first and a last time that are not times (`14/03/2024 14:43`, day first, and
///   `soon & <later>`) around a readable one.
fn store_with_odd_times(dir: &Path) -> PathBuf {
    let path = dir.join("times.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT,
            created_at);
         CREATE UNIQUE INDEX events_stream ON events(stream_id, version);
         INSERT INTO events(stream_id, version, type, data, created_at) VALUES
           ('mixed', 1, 'Opened', '{}', '2024-03-14T16:00:00+02:00'),
           ('unread', 1, 'Opened', '{}', '14/03/2024 14:43'),
           ('mixed', 2, 'Noted', '{}', '2024-03-14T14:30:00Z'),
           ('unread', 2, 'Noted', '{}', '2024-03-14T14:34:00Z'),
           ('mixed', 3, 'Noted', '{}', 1710428400),
           ('mixed', 4, 'Closed', '{}', '2024-03-14 17:30:00+02:00'),
           ('unread', 3, 'Closed', '{}', 'soon & <later>');",
    )
    .unwrap();
    path
}

/// The entry of stream `id` in a JSON list of streams.
fn entry<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not listed: {list}"))
}

#[test]
fn a_streams_first_and_last_times_are_its_first_and_last_events_whatever_their_formats() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_odd_times(dir.path());
    // What min() and max() of the stored values would say: neither end.
    let (min, max): (i64, String) = open_sqlite_read_only(&path)
        .query_row(
            "SELECT min(created_at), max(created_at) FROM events WHERE stream_id = 'mixed'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (min, max.as_str()),
        (1_710_428_400, "2024-03-14T16:00:00+02:00")
    );

    let expected = json!({
        "id": "mixed", "type": null, "events": 4,
        "first_time": "2024-03-14T14:00:00Z", "last_time": "2024-03-14T15:30:00Z",
    });
    let store = Store::open(&path, None).unwrap();
    let library = serde_json::to_value(store.streams().unwrap()).unwrap();
    assert_eq!(entry(&library, "mixed"), &expected);
    assert_eq!(
        serde_json::to_value(store.stream("mixed").unwrap()).unwrap(),
        expected,
        "one stream's summary agrees with the list"
    );
    let file = arg(&path);
    assert_eq!(
        entry(&cli_json(["streams", &file, "--json"]), "mixed"),
        &expected
    );

    // In a period, the first and last of the events in it, by position.
    let active = |from: &str, to: &str| {
        let list = cli_json(["active", &file, "--from", from, "--to", to, "--json"]);
        let mixed = entry(&list, "mixed");
        (
            mixed["events"].as_u64().unwrap(),
            mixed["first_time"].as_str().unwrap().to_owned(),
            mixed["last_time"].as_str().unwrap().to_owned(),
        )
    };
    assert_eq!(
        active("2024-03-14", "2024-03-15"),
        (
            4,
            "2024-03-14T14:00:00Z".to_owned(),
            "2024-03-14T15:30:00Z".to_owned()
        )
    );
    assert_eq!(
        active("2024-03-14T14:15:00Z", "2024-03-14T15:15:00Z"),
        (
            2,
            "2024-03-14T14:30:00Z".to_owned(),
            "2024-03-14T15:00:00Z".to_owned()
        )
    );
}

#[test]
fn a_stream_whose_first_and_last_times_are_unreadable_lists_them_as_stored_and_invents_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_odd_times(dir.path());
    let expected = json!({
        "id": "unread", "type": null, "events": 3,
        "first_time": null, "first_stored_time": "14/03/2024 14:43",
        "last_time": null, "last_stored_time": "soon & <later>",
    });
    let store = Store::open(&path, None).unwrap();
    let library = serde_json::to_value(store.streams().unwrap()).unwrap();
    assert_eq!(entry(&library, "unread"), &expected);
    assert_eq!(
        serde_json::to_value(store.stream("unread").unwrap()).unwrap(),
        expected
    );
    let listed = cli_json(["streams", &arg(&path), "--json"]);
    assert_eq!(entry(&listed, "unread"), &expected);
    assert!(
        entry(&listed, "mixed").get("first_stored_time").is_none(),
        "readable ends keep the usual shape"
    );
}

#[test]
fn the_streams_panel_shows_an_unreadable_last_time_as_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_odd_times(dir.path());
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 860.0))
        .build_eframe(move |cc| {
            EventscopeApp::new(
                cc,
                StartOptions {
                    file: Some(path),
                    ..Default::default()
                },
            )
        });
    step_until(&mut harness, "the streams list", |app| {
        app.session().is_some_and(|s| s.streams().listed())
    });
    harness.run_steps(2);
    harness.get_by_label("soon & <later> (unreadable)");
    harness.get_by_label("2024-03-14 15:30");
}

/// An RFC 4180 CSV without quoted fields, as rows of fields.
fn plain_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(!text.contains('"'), "{text}");
    text.split_terminator("\r\n")
        .map(|row| row.split(',').map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_csv_export_and_the_report_show_an_unreadable_time_as_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = store_with_odd_times(dir.path());
    let store = Store::open(&path, None).unwrap();
    let mut csv = Vec::new();
    export_events(&store, "unread", EventFormat::Csv, &mut csv, &mut |_, _| {
        true
    })
    .unwrap();
    let rows = plain_csv(&csv);
    let column = |name: &str| {
        let at = rows[0]
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no {name} column in {:?}", rows[0]));
        rows[1..].iter().map(|r| r[at].as_str()).collect::<Vec<_>>()
    };
    assert_eq!(column("time"), ["", "2024-03-14T14:34:00Z", ""]);
    assert_eq!(
        column("stored_time"),
        ["14/03/2024 14:43", "", "soon & <later>"]
    );

    let output = dir.path().join("report.html");
    let out = run_cli(["report", &arg(&path), "unread", "-o", &arg(&output)]);
    assert!(out.success, "report failed: {}", out.stderr);
    let html = std::fs::read_to_string(&output).unwrap();
    // The time cell of each event's row (position, version, time, type...).
    let time_cell = |position: u32, version: u32, event_type: &str| {
        let start = format!("<tr><td>{position}</td><td>{version}</td><td>");
        let at = html
            .find(&start)
            .unwrap_or_else(|| panic!("no row {start}"))
            + start.len();
        let end = html[at..]
            .find(&format!("</td><td>{event_type}</td>"))
            .unwrap();
        html[at..at + end].to_owned()
    };
    let first = time_cell(2, 1, "Opened");
    assert!(
        first.contains("unreadable") && first.contains("14/03/2024 14:43"),
        "{first}"
    );
    assert_eq!(time_cell(4, 2, "Noted"), "2024-03-14T14:34:00Z");
    let last = time_cell(7, 3, "Closed");
    assert!(
        last.contains("unreadable") && last.contains("soon &amp; &lt;later&gt;"),
        "{last}"
    );
    assert!(!html.contains("<later>"), "stored text is escaped");
    // The stream's own first and last times say the same.
    let summary = |title: &str| {
        let start = format!("<dt>{title}</dt><dd>");
        let at = html.find(&start).unwrap_or_else(|| panic!("no {title}")) + start.len();
        html[at..at + html[at..].find("</dd>").unwrap()].to_owned()
    };
    assert!(summary("First event's time").contains("14/03/2024 14:43"));
    assert!(summary("Last event's time").contains("soon &amp; &lt;later&gt;"));
}
