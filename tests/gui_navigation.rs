//! Navigation in the real app (egui_kittest, no display): the keyboard, playback, the event table under the
//! timeline and its type filter, go-to, and bookmarks that survive a restart.

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use eventscope::app::{EventscopeApp, Settings, StartOptions};
use eventscope::session::AxisUnit;

use crate::common::{cursor, harness_with, sample, step_until};

const BIG_ORDER: &str = "c3ba9975-1aa5-4e32-93c7-7b341e5d1c37";

fn big_order_at(version: i64) -> Harness<'static, EventscopeApp> {
    let mut harness = harness_with(
        StartOptions {
            file: Some(sample("shop.sqlite")),
            stream: Some(BIG_ORDER.to_owned()),
            at: Some(version),
            ..Default::default()
        },
        None,
    );
    let index = usize::try_from(version - 1).unwrap();
    step_until(&mut harness, "the playhead", |app| {
        cursor(app) == Some(index)
    });
    harness
}

fn event_type_at(harness: &Harness<'_, EventscopeApp>, index: usize) -> String {
    let session = harness.state().session().unwrap();
    let events = &session.stream().unwrap().loaded.events;
    events.index().event_type(index).unwrap().to_owned()
}

#[test]
fn shift_arrows_step_by_the_axis_unit_and_plain_arrows_by_one_event() {
    let mut harness = big_order_at(100);
    harness.key_press(egui::Key::ArrowRight);
    harness.run_steps(2);
    assert_eq!(cursor(harness.state()), Some(100));

    let unit = harness
        .state()
        .axis_unit()
        .expect("the timeline has drawn its axis");
    let AxisUnit::Seconds(secs) = unit else {
        panic!("the shop stream has times, so the unit is a span of time: {unit:?}")
    };
    let expected = {
        let session = harness.state().session().unwrap();
        let events = &session.stream().unwrap().loaded.events;
        eventscope::session::playback::step_by_time(events.index(), 100, secs, true)
    };
    assert!(
        expected > 101,
        "a tick of the fitted axis spans several events"
    );
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowRight);
    harness.run_steps(2);
    assert_eq!(cursor(harness.state()), Some(expected));
    harness.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowLeft);
    harness.run_steps(2);
    assert!(cursor(harness.state()).unwrap() < expected);
}

#[test]
fn space_plays_the_stream_and_pauses_it() {
    let mut harness = big_order_at(10);
    harness.key_press(egui::Key::Space);
    harness.run_steps(1);
    assert!(harness.state().session().unwrap().playback().playing);
    // 10 events per second: a few dozen frames move the playhead.
    harness.run_steps(40);
    let moved = cursor(harness.state()).unwrap();
    assert!(moved > 9, "playback moved the playhead ({moved})");
    harness.key_press(egui::Key::Space);
    harness.run_steps(2);
    assert!(!harness.state().session().unwrap().playback().playing);
    let paused = cursor(harness.state()).unwrap();
    harness.run_steps(20);
    assert_eq!(cursor(harness.state()), Some(paused), "paused stays put");
    // The button does the same, and says what it does.
    harness
        .get_by_label("Play the stream from the playhead (Space)")
        .click();
    harness.run_steps(2);
    assert!(harness.state().session().unwrap().playback().playing);
    harness.get_by_label("Pause playback (Space)").click();
    harness.run_steps(2);
    assert!(!harness.state().session().unwrap().playback().playing);
}

#[test]
fn clicking_a_row_of_the_event_table_moves_the_playhead() {
    let mut harness = big_order_at(57);
    // Scrolling to the playhead is animated; then the rows next to it are on screen.
    harness.run_steps(30);
    let position = {
        let session = harness.state().session().unwrap();
        let index = session.stream().unwrap().loaded.events.index();
        index.position(57).unwrap()
    };
    harness.get_by_label(&position.to_string()).click();
    harness.run_steps(2);
    assert_eq!(cursor(harness.state()), Some(57));
}

#[test]
fn types_hidden_in_the_legend_leave_the_event_table_too() {
    // A LineAdded event followed by a NoteAdded one, so a NoteAdded row is next to the playhead.
    let events = eventscope::core::store::Store::open(&sample("shop.sqlite"), None)
        .unwrap()
        .events(BIG_ORDER)
        .unwrap();
    let k = events
        .windows(2)
        .position(|w| w[0].event_type == "LineAdded" && w[1].event_type == "NoteAdded")
        .unwrap();
    let mut harness = big_order_at(events[k].version.unwrap());
    assert_eq!(event_type_at(&harness, k), "LineAdded");
    // Scrolling to the playhead is animated.
    harness.run_steps(30);
    let note_rows = harness.query_all_by_label("NoteAdded").count();
    assert!(note_rows > 0, "NoteAdded rows are near event 57");
    harness.get_by_label("NoteAdded (67)").click();
    harness.run_steps(30);
    assert_eq!(
        harness.query_all_by_label("NoteAdded").count(),
        0,
        "no NoteAdded row is left"
    );
    harness.get_by_label("NoteAdded (67)").click();
    harness.run_steps(30);
    assert_eq!(harness.query_all_by_label("NoteAdded").count(), note_rows);
}

#[test]
fn ctrl_g_goes_to_a_version_and_to_a_time() {
    let mut harness = big_order_at(57);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::G);
    harness.run_steps(1);
    harness
        .get_by_label("Go to version or time")
        .type_text("12");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    assert_eq!(cursor(harness.state()), Some(11));

    let (time, index) = {
        let session = harness.state().session().unwrap();
        let events = &session.stream().unwrap().loaded.events;
        (events.get(150).unwrap().time.unwrap(), 150)
    };
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::G);
    harness.run_steps(1);
    let text = time.format("%Y-%m-%d %H:%M:%S%.6f").to_string();
    // Replace the field's text: select all, then type.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Go to version or time")
        .type_text(&text);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    assert_eq!(cursor(harness.state()), Some(index));
}

#[test]
fn bookmarks_persist_per_file_and_jump_back_after_a_restart() {
    let mut harness = big_order_at(57);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::B);
    harness.run_steps(2);
    harness
        .get_by_label("Bookmark note")
        .type_text("total jumps here");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    let settings = harness.state().settings().clone();
    let path = harness.state().session().unwrap().store().path().to_owned();
    let saved = &settings.bookmarks[&path];
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].stream, BIG_ORDER);
    assert_eq!(saved[0].version, 57);
    assert_eq!(saved[0].note, "total jumps here");

    // The settings as eframe stores them (RON) come back the same.
    let text = ron::to_string(&settings).unwrap();
    let restored: Settings = ron::from_str(&text).unwrap();
    assert_eq!(restored.bookmarks, settings.bookmarks);

    // A restart on another stream; the bookmark takes us back.
    let mut harness = harness_with(
        StartOptions {
            file: Some(sample("shop.sqlite")),
            ..Default::default()
        },
        Some(restored),
    );
    step_until(&mut harness, "the streams", |app| {
        app.session().is_some_and(|s| s.streams().listed())
    });
    harness.get_by_label("Bookmarks (1)").click();
    // A new window takes a frame to size itself before it shows.
    harness.run_steps(4);
    harness.get_by_label("total jumps here");
    harness.get_by_label("Go to bookmark 1").click();
    step_until(&mut harness, "the bookmarked version", |app| {
        cursor(app) == Some(56)
    });
    assert_eq!(
        harness.state().session().unwrap().selected(),
        Some(BIG_ORDER)
    );

    // Deleting it removes the file's entry altogether.
    harness.get_by_label("Delete bookmark 1").click();
    harness.run_steps(2);
    assert!(harness.state().settings().bookmarks.is_empty());
}

#[test]
fn bookmarks_export_as_json_and_never_over_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = big_order_at(20);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::B);
    harness.run_steps(2);
    harness.get_by_label("Bookmark note").type_text("start");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    let store = harness.state().session().unwrap().store().path().to_owned();
    let before = std::fs::read(&store).unwrap();

    harness.get_by_label("Bookmarks file path").focus();
    harness
        .get_by_label("Bookmarks file path")
        .type_text(store.to_str().unwrap());
    harness.run_steps(1);
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    harness.get_by_label_contains("never writes to it");
    assert_eq!(std::fs::read(&store).unwrap(), before);

    let out = dir.path().join("marks.json");
    harness.get_by_label("Bookmarks file path").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Bookmarks file path")
        .type_text(out.to_str().unwrap());
    harness.run_steps(1);
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    let value: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(value["file"], store.display().to_string());
    assert_eq!(value["bookmarks"][0]["version"], 20);
    assert_eq!(value["bookmarks"][0]["note"], "start");
}

#[test]
fn playback_switches_to_the_stream_s_own_time_sped_up() {
    let mut harness = big_order_at(10);
    harness.get_by_label("Playback speed unit").click();
    harness.run_steps(2);
    harness.get_by_label("real time x").click();
    harness.run_steps(2);
    let speed = harness.state().session().unwrap().playback().speed;
    assert!(
        matches!(speed, eventscope::session::Speed::RealTime(f) if f >= 1.0),
        "{speed:?}"
    );
}
