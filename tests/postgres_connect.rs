//! File > Connect to PostgreSQL… in the window, against the test server: a wrong password is named and a
//! typed one works without being kept; a database whose event tables are in several schemas asks which,
//! and the one chosen (a name that needs quoting) opens; the connection is remembered without its password,
//! and so are its bookmarks.

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use eventscope::app::{EventscopeApp, StartOptions};

use crate::common::{replace_text, step_until};
use crate::postgres::{scratch_database, server};

fn window() -> Harness<'static, EventscopeApp> {
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 860.0))
        .build_eframe(|cc| EventscopeApp::new(cc, StartOptions::default()));
    harness.run_steps(2);
    harness
}

#[test]
fn connecting_asks_for_a_password_and_keeps_none() {
    let with_password = server("eventsourcing_bank");
    let url = with_password.replace("eventscope_reader:reader@", "eventscope_reader@");
    assert_ne!(url, with_password);
    let mut harness = window();
    harness.get_by_label("Connect to PostgreSQL…").click();
    harness.run_steps(4);
    replace_text(&mut harness, "Server URL", &url);
    replace_text(&mut harness, "Password", "wrong");
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the wrong password to be refused", |app| {
        app.connect_failure().is_some()
    });
    let failure = harness.state().connect_failure().unwrap().to_owned();
    assert!(
        failure.contains("password authentication failed")
            && failure.contains("Type the password above")
            && !failure.contains("wrong"),
        "{failure}"
    );
    assert!(harness.state().session().is_none());
    replace_text(&mut harness, "Password", "reader");
    harness.get_by_label("Connect").click();
    step_until(&mut harness, "the streams list", |app| {
        app.session().is_some_and(|s| s.streams().listed())
    });
    let session = harness.state().session().unwrap();
    assert_eq!(session.streams().visible().len(), 6);
    assert!(harness.query_by_label("Connect to PostgreSQL").is_none());
    let recent = &harness.state().settings().recent;
    let remembered = recent[0].display().to_string();
    assert!(
        remembered.starts_with("postgres://eventscope_reader@127.0.0.1:")
            && remembered.ends_with("/eventsourcing_bank")
            && !remembered.contains(":reader@")
            && !remembered.contains("password"),
        "{remembered}"
    );
    let saved = serde_json::to_string(harness.state().settings()).unwrap();
    assert!(
        !saved.contains("password") && !saved.contains(":reader@"),
        "{saved}"
    );
}

#[test]
fn several_schemas_with_event_tables_ask_which_and_open_the_one_chosen() {
    let (_admin, url) = scratch_database(
        "eventscope_two_schemas",
        "CREATE SCHEMA sales; CREATE SCHEMA \"Shop Two\";
         CREATE TABLE sales.events(id bigserial PRIMARY KEY, stream_id text NOT NULL, version int NOT NULL,
           type text NOT NULL, data jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
         CREATE TABLE \"Shop Two\".events(id bigserial PRIMARY KEY, stream_id text NOT NULL,
           version int NOT NULL, type text NOT NULL, data jsonb NOT NULL,
           created_at timestamptz NOT NULL DEFAULT now());
         INSERT INTO sales.events(stream_id, version, type, data) VALUES ('sale-1', 1, 'Sold', '{}');
         INSERT INTO \"Shop Two\".events(stream_id, version, type, data)
           VALUES ('two-a', 1, 'Opened', '{\"n\": 1}'), ('two-b', 1, 'Opened', '{}'),
                  ('two-a', 2, 'Closed', '{}');",
    );
    let mut harness = window();
    harness.get_by_label("Connect to PostgreSQL…").click();
    harness.run_steps(4);
    replace_text(&mut harness, "Server URL", &url);
    harness.get_by_label("Connect").click();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while harness
        .query_by_label("Event tables are in several schemas. Open which?")
        .is_none()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no schema choice: {:?}",
            harness.state().connect_failure()
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
        harness.step();
    }
    harness.get_by_label_contains("Shop Two — ").click();
    harness.run_steps(2);
    harness.get_by_label("Open this schema").click();
    step_until(&mut harness, "the streams list", |app| {
        app.session().is_some_and(|s| s.streams().listed())
    });
    let session = harness.state().session().unwrap();
    assert!(session.store().open_failed().is_none());
    let list = session.streams();
    let ids: Vec<&str> = list
        .visible()
        .iter()
        .filter_map(|&i| list.row_id(i))
        .collect();
    assert_eq!(ids, ["two-a", "two-b"]);
    let shown = session.store().path().display().to_string();
    assert!(
        shown.contains("/eventscope_two_schemas?options=") && !shown.contains(":reader@"),
        "{shown}"
    );
    // A bookmark is kept under the connection (its URL as shown, schema included, no password).
    harness.get_by_label("two-a").click();
    step_until(&mut harness, "the stream", |app| {
        crate::common::cursor(app).is_some()
    });
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::B);
    harness.run_steps(4);
    harness
        .get_by_label("Bookmark note")
        .type_text("closed here");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    let bookmarks = &harness.state().settings().bookmarks;
    assert_eq!(bookmarks.len(), 1, "{bookmarks:?}");
    let saved = &bookmarks[std::path::Path::new(&shown)];
    assert_eq!((saved[0].stream.as_str(), saved[0].version), ("two-a", 2));
}
