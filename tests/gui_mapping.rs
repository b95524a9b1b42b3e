//! The mapping editor and the cipher key prompt, driven through the real app by label (egui_kittest): stores
//! whose layout detection gets wrong or cannot find, mapped by hand with a live preview, saved for the file,
//! exported and imported; and an encrypted store unlocked with its key.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::{MemoryStorage, replace_text};
use eframe::egui;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use eventscope::app::{EventscopeApp, Settings, StartOptions};
use eventscope::core::layout::{Mapping, Source};
use eventscope::core::store::OpenOptions;

const CIPHER_KEY: &str = "S8cArIEQdqPOR2pFsRdf4XSmCXXNNo7E8gT/NL7WHGw=";
const ENCRYPTED_ACCOUNT: &str = "6d005176-3aea-59ad-84a5-045d5f81fb5e";

pub(crate) fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name)
}

fn harness(start: StartOptions) -> Harness<'static, EventscopeApp> {
    Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 900.0))
        .build_eframe(move |cc| EventscopeApp::new(cc, start))
}

pub(crate) fn open(path: &Path) -> Harness<'static, EventscopeApp> {
    harness(StartOptions {
        file: Some(path.to_owned()),
        ..Default::default()
    })
}

/// Step the UI until `done` holds (the worker threads answer asynchronously).
pub(crate) fn step_until(
    harness: &mut Harness<'static, EventscopeApp>,
    what: &str,
    done: impl Fn(&Harness<'static, EventscopeApp>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(harness) {
        if Instant::now() > deadline {
            let texts: Vec<String> = harness
                .root()
                .children_recursive()
                .filter_map(|n| {
                    n.accesskit_node()
                        .label()
                        .or_else(|| n.accesskit_node().value())
                })
                .collect();
            panic!("timed out waiting for {what}; the window shows: {texts:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    harness.run_steps(2);
}

/// What the open session was opened with.
fn open_options<'h>(harness: &'h Harness<'static, EventscopeApp>) -> &'h OpenOptions {
    harness.state().session().unwrap().store().options()
}

pub(crate) fn streams_listed(harness: &Harness<'static, EventscopeApp>) -> bool {
    harness
        .state()
        .session()
        .is_some_and(|s| s.streams().listed() && s.progress().is_none())
}

/// Stream ids and event counts the session lists.
fn stream_counts(app: &EventscopeApp) -> Vec<(String, u64)> {
    app.session()
        .and_then(|s| s.streams().all())
        .map(|streams| {
            streams
                .iter()
                .map(|s| (s.id.to_owned(), s.events))
                .collect()
        })
        .unwrap_or_default()
}

/// Choose `option` in the role combo labelled `role`.
pub(crate) fn choose(harness: &mut Harness<'static, EventscopeApp>, role: &str, option: &str) {
    // The form scrolls: bring the row into view the way a screen reader would.
    harness
        .get_by_role_and_label(Role::ComboBox, role)
        .scroll_to_me();
    harness.run_steps(3);
    // The table's columns come from a job (slower on a server), and a preview arriving redraws the form,
    // which may close a popup just opened: open it again until its list holds the option.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        harness.get_by_role_and_label(Role::ComboBox, role).click();
        harness.run_steps(2);
        let listed = harness
            .query_by_role(Role::ListBox)
            .is_some_and(|list| list.query_by_label(option).is_some());
        if listed {
            break;
        }
        assert!(Instant::now() < deadline, "{role} never offered {option:?}");
        if harness.query_by_role(Role::ListBox).is_some() {
            // Close it before trying again.
            harness.key_press(egui::Key::Escape);
            harness.run_steps(2);
        }
        std::thread::sleep(Duration::from_millis(50));
        harness.step();
    }
    harness
        .get_by_role(Role::ListBox)
        .get_by_label(option)
        .click();
    harness.run_steps(2);
    assert_eq!(
        harness
            .get_by_role_and_label(Role::ComboBox, role)
            .value()
            .as_deref(),
        Some(option),
        "{role} shows the choice"
    );
}

/// Whether some widget (or preview cell) shows exactly `label`.
pub(crate) fn shown(harness: &Harness<'static, EventscopeApp>, label: &str) -> bool {
    harness.query_all_by_label(label).next().is_some()
}

fn disabled(harness: &Harness<'static, EventscopeApp>, label: &str) -> bool {
    harness.get_by_label(label).accesskit_node().is_disabled()
}

pub(crate) fn open_editor_from_the_top_bar(harness: &mut Harness<'static, EventscopeApp>) {
    harness.get_by_label("Layout").click();
    step_until(harness, "the editor's form", |h| {
        h.query_by_role_and_label(Role::ComboBox, "Table").is_some()
    });
    assert!(harness.state().mapping_editor_open());
    harness.get_by_label("Mapping");
}

/// A journal whose columns detection cannot name: `agg` is the stream, `seqno` the version, `at` the time.
fn journal_store(dir: &Path) -> PathBuf {
    let path = dir.join("journal.sqlite");
    let conn = rusqlite::Connection::open(&path).expect("create the journal");
    conn.execute_batch(
        r#"CREATE TABLE journal_rows(n INTEGER PRIMARY KEY, agg TEXT, seqno INTEGER, kind TEXT, at TEXT, body TEXT);
           INSERT INTO journal_rows(agg, seqno, kind, at, body) VALUES
             ('cart-1', 1, 'CartOpened', '2024-05-01T10:00:00Z', '{"items":0}'),
             ('cart-2', 1, 'CartOpened', '2024-05-01T10:01:00Z', '{"items":0}'),
             ('cart-1', 2, 'ItemAdded',  '2024-05-01T10:02:00Z', '{"items":1,"sku":"A"}'),
             ('cart-1', 3, 'ItemAdded',  '2024-05-01T10:03:00Z', '{"items":2,"sku":"B"}'),
             ('cart-2', 2, 'CartClosed', '2024-05-01T10:04:00Z', '{"items":0,"closed":true}');"#,
    )
    .expect("fill the journal");
    path
}

/// Map `journal_rows` by hand: stream `agg`, version `seqno`, time `at` (type `kind` is found by detection).
fn map_the_journal(harness: &mut Harness<'static, EventscopeApp>) {
    choose(harness, "Stream", "agg");
    choose(harness, "Version", "seqno");
    choose(harness, "Time", "at");
    choose(harness, "Event type", "kind");
    step_until(harness, "the preview to show both carts", |h| {
        shown(h, "cart-1") && shown(h, "cart-2")
    });
    // One preview row per event (the session behind still reads the table as one stream).
    assert_eq!(harness.query_all_by_label("cart-1").count(), 3);
    assert_eq!(harness.query_all_by_label("cart-2").count(), 2);
}

fn journal_mapping() -> Mapping {
    Mapping {
        position: Source::Column("n".into()),
        stream: vec![Source::Column("agg".into())],
        version: Some(Source::Column("seqno".into())),
        event_type: Some(Source::Column("kind".into())),
        time: Some(Source::Column("at".into())),
        data: Some("body".into()),
        ..Mapping::for_table("custom", "journal_rows")
    }
}

pub(crate) fn apply(harness: &mut Harness<'static, EventscopeApp>) {
    harness.get_by_label("Apply").click();
    harness.run_steps(1);
    step_until(harness, "the reopened session", streams_listed);
}

#[test]
fn columns_detection_cannot_name_are_mapped_by_hand_with_a_live_preview() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_store(dir.path());
    let mut harness = open(&path);
    step_until(&mut harness, "the streams list", streams_listed);
    // Detection finds the table but no stream column: one stream, which is wrong.
    assert_eq!(
        stream_counts(harness.state()),
        [("journal_rows".to_owned(), 5)]
    );

    open_editor_from_the_top_bar(&mut harness);
    // Read-only until edited: the mapping in use cannot be applied again.
    assert!(disabled(&harness, "Apply"));
    step_until(&mut harness, "the preview of the detected mapping", |h| {
        h.query_all_by_label("journal_rows").count() >= 2
    });
    map_the_journal(&mut harness);
    assert!(!disabled(&harness, "Apply"));
    apply(&mut harness);

    let app = harness.state();
    assert_eq!(
        stream_counts(app),
        [("cart-1".to_owned(), 3), ("cart-2".to_owned(), 2)]
    );
    let session = app.session().unwrap();
    assert_eq!(
        session.store().options().mappings,
        Some(vec![journal_mapping()])
    );
    assert!(
        app.settings().mappings_by_file.is_empty(),
        "applying does not save"
    );

    harness.get_by_label("Close window").click();
    harness.run_steps(2);
    assert!(!harness.state().mapping_editor_open());
    harness.get_by_label("cart-1").click();
    step_until(&mut harness, "cart-1 to load", |h| {
        h.state()
            .session()
            .is_some_and(|s| s.stream().is_some() && s.progress().is_none())
    });
    let stream = harness.state().session().unwrap().stream().unwrap();
    let index = stream.loaded.events.index();
    let events: Vec<(Option<i64>, &str)> = (0..index.len())
        .map(|i| (index.version(i), index.event_type(i).unwrap()))
        .collect();
    assert_eq!(
        events,
        [
            (Some(1), "CartOpened"),
            (Some(2), "ItemAdded"),
            (Some(3), "ItemAdded")
        ]
    );
    assert_eq!(
        stream.view.as_ref().unwrap().state["sku"],
        serde_json::json!("B")
    );
}

#[test]
fn a_file_without_an_event_table_is_mapped_by_json_paths_from_the_open_failed_screen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("people.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        r#"CREATE TABLE t(a, b);
           INSERT INTO t VALUES
             (1, '{"who":"p-1","what":"Joined","name":"Ann"}'),
             (2, '{"who":"p-2","what":"Joined","name":"Bob"}'),
             (3, '{"who":"p-1","what":"Renamed","name":"Anna"}');"#,
    )
    .unwrap();
    drop(conn);
    let mut harness = open(&path);
    step_until(&mut harness, "the open error", |h| {
        h.state()
            .session()
            .is_some_and(|s| s.store().open_failed().is_some())
    });
    harness.get_by_label("This file cannot be browsed");
    harness.get_by_label("Map this file…").click();
    step_until(&mut harness, "the editor's form", |h| {
        h.query_by_role_and_label(Role::ComboBox, "Table").is_some()
    });
    // Nothing was detected: the first table, every role empty, one stream.
    assert_eq!(
        harness
            .get_by_role_and_label(Role::ComboBox, "Table")
            .value()
            .as_deref(),
        Some("t")
    );
    for role in ["Stream", "Version", "Event type", "Time", "Data column"] {
        assert_eq!(
            harness
                .get_by_role_and_label(Role::ComboBox, role)
                .value()
                .as_deref(),
            Some("—"),
            "{role} starts empty"
        );
    }
    assert!(disabled(&harness, "Reset to detected"));

    choose(&mut harness, "Data column", "b");
    step_until(
        &mut harness,
        "a preview of the whole table as one stream",
        |h| shown(h, "{\"who\":\"p-2\",\"what\":\"Joined\",\"name\":\"Bob\"}"),
    );
    choose(&mut harness, "Stream", "JSON path in b");
    harness.get_by_label_contains("Stream: type a JSON path such as $.personId");
    replace_text(&mut harness, "Stream JSON path", "$.who");
    step_until(&mut harness, "the preview by stream", |h| shown(h, "p-2"));
    // A filter SQLite rejects: its error in red, the last good rows kept and marked stale.
    replace_text(&mut harness, "SQL filter", "a >");
    step_until(&mut harness, "the SQL error", |h| {
        h.query_by_label_contains("syntax error").is_some()
            && h.query_by_label_contains("Stale").is_some()
    });
    assert!(shown(&harness, "p-2"), "the last good rows stay");
    replace_text(&mut harness, "SQL filter", "");
    choose(&mut harness, "Event type", "JSON path in b");
    replace_text(&mut harness, "Event type JSON path", "$.what");
    step_until(&mut harness, "the preview by JSON paths", |h| {
        shown(h, "p-2") && shown(h, "Renamed")
    });
    assert!(harness.query_by_label_contains("Stale").is_none());
    apply(&mut harness);

    let app = harness.state();
    assert!(app.session().unwrap().store().open_failed().is_none());
    assert_eq!(
        stream_counts(app),
        [("p-1".to_owned(), 2), ("p-2".to_owned(), 1)]
    );
    let mapping = app
        .session()
        .unwrap()
        .store()
        .mappings()
        .first()
        .unwrap()
        .clone();
    assert_eq!(
        mapping.stream,
        [Source::Json {
            column: "b".into(),
            path: "$.who".into()
        }]
    );
}

#[test]
fn a_mapping_saved_for_a_file_is_used_whenever_it_opens_again_until_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_store(dir.path());
    let canonical = std::fs::canonicalize(&path).unwrap();
    let mut first = open(&path);
    step_until(&mut first, "the streams list", streams_listed);
    open_editor_from_the_top_bar(&mut first);
    map_the_journal(&mut first);
    first.get_by_label("Save for this file").click();
    first.run_steps(2);
    assert_eq!(
        first.state().settings().mappings_by_file.get(&canonical),
        Some(&vec![journal_mapping()])
    );

    // The settings survive eframe's storage (RON) unchanged.
    let mut storage = MemoryStorage::default();
    eframe::App::save(first.state_mut(), &mut storage);
    let (_, text) = storage.0.iter().next().expect("the settings were stored");
    let restored: Settings =
        eframe::get_value(&storage, storage.0.keys().next().unwrap()).expect("settings read back");
    assert!(text.contains("journal"), "{text}");
    assert_eq!(
        restored.mappings_by_file,
        first.state().settings().mappings_by_file
    );
    assert_eq!(restored.recent, first.state().settings().recent);

    // A restart: a new app with the saved settings opens the file from the start screen.
    let mut again = harness(StartOptions::default());
    *again.state_mut().settings_mut() = restored;
    again.get_by_label("File path").focus();
    again
        .get_by_label("File path")
        .type_text(&path.display().to_string());
    again.run_steps(1);
    again.get_by_label("Open path").click();
    step_until(&mut again, "the streams list", streams_listed);
    let session = again.state().session().unwrap();
    assert_eq!(
        session.store().options().mappings,
        Some(vec![journal_mapping()])
    );
    assert_eq!(
        stream_counts(again.state()),
        [("cart-1".to_owned(), 3), ("cart-2".to_owned(), 2)]
    );
    again.get_by_label("· your saved mapping");

    again.get_by_label("File").click();
    again.run_steps(2);
    again.get_by_label("Forget saved mapping").click();
    again.run_steps(1);
    step_until(
        &mut again,
        "the file reopened with detection",
        streams_listed,
    );
    assert!(again.state().settings().mappings_by_file.is_empty());
    assert_eq!(open_options(&again).mappings, None);
    assert_eq!(
        stream_counts(again.state()),
        [("journal_rows".to_owned(), 5)]
    );
    assert!(again.query_by_label("· your saved mapping").is_none());
}

#[test]
fn an_exported_mapping_imports_back_and_the_store_itself_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = journal_store(dir.path());
    let store_bytes = std::fs::read(&path).unwrap();
    let mut harness = open(&path);
    step_until(&mut harness, "the streams list", streams_listed);
    open_editor_from_the_top_bar(&mut harness);
    map_the_journal(&mut harness);

    let target = dir.path().join("journal.mapping.json");
    replace_text(
        &mut harness,
        "Mapping file path",
        &target.display().to_string(),
    );
    harness.get_by_label("Export to this path").click();
    harness.run_steps(2);
    let exported = eventscope::cli::read_mappings(&target).unwrap();
    assert_eq!(exported, [journal_mapping()]);

    // Undo two roles, then import: the draft is the exported mapping again.
    choose(&mut harness, "Version", "—");
    choose(&mut harness, "Stream", "—");
    harness.get_by_label("No stream: the whole table is one stream.");
    harness.get_by_label("Import from this path").click();
    harness.run_steps(2);
    for (role, value) in [("Stream", "agg"), ("Version", "seqno"), ("Time", "at")] {
        assert_eq!(
            harness
                .get_by_role_and_label(Role::ComboBox, role)
                .value()
                .as_deref(),
            Some(value)
        );
    }
    apply(&mut harness);
    assert_eq!(open_options(&harness).mappings, Some(exported));

    // Exporting onto the store is refused.
    open_editor_from_the_top_bar(&mut harness);
    replace_text(
        &mut harness,
        "Mapping file path",
        &path.display().to_string(),
    );
    harness.get_by_label("Export to this path").click();
    harness.run_steps(2);
    harness.get_by_label_contains("never writes");
    assert_eq!(std::fs::read(&path).unwrap(), store_bytes);

    // Importing something that is not a mapping says why.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"nothing": "here"}"#).unwrap();
    replace_text(
        &mut harness,
        "Mapping file path",
        &bad.display().to_string(),
    );
    harness.get_by_label("Import from this path").click();
    harness.run_steps(2);
    harness.get_by_label_contains("is not a valid mapping");
}

#[test]
fn the_cipher_key_banner_rejects_wrong_keys_and_decrypts_with_the_right_one() {
    let mut harness = harness(StartOptions {
        file: Some(sample("eventsourcing-encrypted.sqlite")),
        stream: Some(ENCRYPTED_ACCOUNT.to_owned()),
        at: None,
        ..Default::default()
    });
    step_until(&mut harness, "the encrypted stream", |h| {
        h.state()
            .session()
            .is_some_and(|s| s.stream().is_some() && s.progress().is_none())
    });
    assert!(
        harness
            .state()
            .session()
            .unwrap()
            .store()
            .missing_cipher_key()
    );
    harness.get_by_label(
        "Payloads in this file are encrypted. Enter the cipher key (base64) to decode them:",
    );
    assert!(harness.query_by_label("BankAccount").is_none());

    replace_text(&mut harness, "Cipher key", "not a key");
    harness.get_by_label("Decrypt").click();
    harness.run_steps(2);
    harness.get_by_label("the cipher key is not base64");

    // The right length, the wrong key: tried off the UI thread and refused.
    replace_text(&mut harness, "Cipher key", &"A".repeat(43));
    harness.get_by_label("Decrypt").click();
    step_until(&mut harness, "the wrong key to be refused", |h| {
        h.query_by_label_contains("This key does not decode the payloads")
            .is_some()
    });
    assert!(open_options(&harness).cipher_key.is_none());

    replace_text(&mut harness, "Cipher key", CIPHER_KEY);
    harness.get_by_label("Decrypt").click();
    step_until(&mut harness, "the decrypted stream", |h| {
        h.state().session().is_some_and(|s| {
            s.store().options().cipher_key.is_some()
                && s.stream().is_some()
                && s.progress().is_none()
        })
    });
    let session = harness.state().session().unwrap();
    assert!(!session.store().missing_cipher_key());
    assert_eq!(
        session.selected(),
        Some(ENCRYPTED_ACCOUNT),
        "the selected stream is kept"
    );
    let state = &session.stream().unwrap().view.as_ref().unwrap().state;
    assert!(state.get("owner").is_some(), "decoded state: {state}");
    assert!(
        session
            .streams()
            .all()
            .unwrap()
            .iter()
            .all(|s| s.stream_type == Some("BankAccount"))
    );
    assert!(
        harness.query_by_label("Cipher key").is_none(),
        "the banner is gone"
    );

    // The key is never persisted.
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    assert!(storage.0.values().all(|v| !v.contains("S8cArIEQ")));
}

/// The editor works on a PostgreSQL database as on a file: its tables listed, the preview and the reopened
/// session read through the connection the window made (whose password is in no URL shown).
#[test]
fn a_postgres_table_is_mapped_by_hand_with_a_live_preview() {
    let (_admin, url) = crate::postgres::scratch_database(
        "eventscope_journal",
        "CREATE TABLE journal_rows(n bigserial PRIMARY KEY, agg text, seqno int, kind text, at timestamptz,
           body jsonb);
         INSERT INTO journal_rows(agg, seqno, kind, at, body) VALUES
           ('cart-1', 1, 'CartOpened', '2024-05-01T10:00:00Z', '{\"items\":0}'),
           ('cart-2', 1, 'CartOpened', '2024-05-01T10:01:00Z', '{\"items\":0}'),
           ('cart-1', 2, 'ItemAdded',  '2024-05-01T10:02:00Z', '{\"items\":1,\"sku\":\"A\"}'),
           ('cart-1', 3, 'ItemAdded',  '2024-05-01T10:03:00Z', '{\"items\":2,\"sku\":\"B\"}'),
           ('cart-2', 2, 'CartClosed', '2024-05-01T10:04:00Z', '{\"items\":0,\"closed\":true}');",
    );
    let mut harness = open(Path::new(&url));
    step_until(&mut harness, "the streams list", streams_listed);
    assert_eq!(
        stream_counts(harness.state()),
        [("journal_rows".to_owned(), 5)]
    );
    let shown = harness.state().session().unwrap().store().path().to_owned();
    assert!(!shown.display().to_string().contains(":reader@"));
    open_editor_from_the_top_bar(&mut harness);
    step_until(&mut harness, "the preview of the detected mapping", |h| {
        h.query_all_by_label("journal_rows").count() >= 2
    });
    map_the_journal(&mut harness);
    apply(&mut harness);
    assert_eq!(
        stream_counts(harness.state()),
        [("cart-1".to_owned(), 3), ("cart-2".to_owned(), 2)]
    );
    assert!(harness.state().session().unwrap().error().is_none());
}
