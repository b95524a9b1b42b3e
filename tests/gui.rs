//! GUI behaviour tests with egui_kittest: the real app, driven through AccessKit by label, on the real sample
//! stores. No display and no GPU needed.

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use eventscope::app::{EventscopeApp, StartOptions};

use crate::common::{cursor, step_until};

fn sample(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name)
}

const BIG_ORDER: &str = "c3ba9975-1aa5-4e32-93c7-7b341e5d1c37";

fn harness(start: StartOptions) -> Harness<'static, EventscopeApp> {
    Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 860.0))
        .build_eframe(move |cc| EventscopeApp::new(cc, start))
}

#[test]
fn selecting_a_stream_by_label_and_stepping_with_the_keyboard_changes_the_state_panel() {
    let mut harness = harness(StartOptions {
        file: Some(sample("shop.sqlite")),
        ..Default::default()
    });
    step_until(&mut harness, "the streams list", |app| {
        app.session().is_some_and(|s| s.streams().listed())
    });

    // 65 streams do not fit: narrow the list the way a user would, then click the row.
    assert!(
        harness.query_by_label(BIG_ORDER).is_none(),
        "the row starts out of view"
    );
    harness.get_by_label("Filter streams").focus();
    harness.get_by_label("Filter streams").type_text("c3ba");
    harness.run_steps(2);
    assert_eq!(
        harness.state().session().unwrap().streams().visible().len(),
        1
    );
    harness.get_by_label(BIG_ORDER).click();
    step_until(&mut harness, "the stream to load", |app| {
        cursor(app).is_some()
    });
    let session = harness.state().session().unwrap();
    assert_eq!(session.selected(), Some(BIG_ORDER));
    assert_eq!(
        cursor(harness.state()),
        Some(199),
        "a new stream opens on its last event"
    );
    harness.get_by_label("after event 200 of 200");

    harness.key_press(egui::Key::ArrowLeft);
    harness.run_steps(2);
    assert_eq!(cursor(harness.state()), Some(198));
    harness.get_by_label("after event 199 of 200");
    assert!(harness.query_by_label("after event 200 of 200").is_none());

    harness.key_press(egui::Key::Home);
    harness.run_steps(2);
    assert_eq!(cursor(harness.state()), Some(0));
    harness.get_by_label("after event 1 of 200");
    // The first event of an order creates it: its status is shown in the state tree.
    harness.get_by_label("\"draft\"");

    harness.key_press(egui::Key::End);
    harness.run_steps(2);
    assert_eq!(cursor(harness.state()), Some(199));
}

#[test]
fn the_step_buttons_move_the_playhead_and_the_diff_follows() {
    let mut harness = harness(StartOptions {
        file: Some(sample("shop.sqlite")),
        stream: Some(BIG_ORDER.to_owned()),
        at: Some(57),
        ..Default::default()
    });
    step_until(&mut harness, "version 57", |app| cursor(app) == Some(56));
    harness.get_by_label("Event 57 of 200");
    harness.get_by_label("Next event").click();
    harness.run_steps(2);
    assert_eq!(cursor(harness.state()), Some(57));
    let view = harness
        .state()
        .session()
        .unwrap()
        .stream()
        .unwrap()
        .view
        .clone()
        .unwrap();
    assert!(!view.changes.is_empty(), "event 58 changes something");
    for change in &view.changes {
        harness.get_by_label(change.path.as_str());
    }
}

#[test]
fn a_file_that_is_not_a_store_shows_the_reason_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(
        &path,
        "just some text, certainly not SQLite, and long enough to have a header ".repeat(3),
    )
    .unwrap();
    let mut harness = harness(StartOptions {
        file: Some(path),
        ..Default::default()
    });
    step_until(&mut harness, "the open error", |app| {
        app.session()
            .is_some_and(|s| s.store().open_failed().is_some())
    });
    harness.get_by_label("This file cannot be browsed");
    harness.get_by_label("Back to the start screen").click();
    harness.run_steps(2);
    assert!(harness.state().session().is_none());
    harness.get_by_label("Bundled samples");
}

#[test]
fn the_start_screen_opens_a_bundled_sample_and_remembers_it() {
    let mut harness = harness(StartOptions::default());
    harness.get_by_label("single_log.sqlite").click();
    step_until(&mut harness, "the single log to load", |app| {
        cursor(app).is_some()
    });
    // A store without a stream column is one stream, opened straight away.
    assert_eq!(
        harness.state().session().unwrap().selected(),
        Some("event_log")
    );
    assert!(
        harness
            .state()
            .settings()
            .recent
            .iter()
            .any(|p| p.ends_with("single_log.sqlite"))
    );
}

/// Regression: a legend that wraps to two rows made the timeline panel grow every frame until it covered the
/// window.
#[test]
fn a_wrapping_legend_does_not_make_the_timeline_swallow_the_window() {
    let mut harness = harness(StartOptions {
        file: Some(sample("event-sourcery-sqlalchemy.sqlite")),
        stream: Some("cart/0f4bdfd9-1591-5d2e-a768-3d2f8ecfc901".to_owned()),
        ..Default::default()
    });
    step_until(&mut harness, "the stream", |app| cursor(app).is_some());
    // Let the panels settle (first frames size themselves), then nothing may move.
    harness.run_steps(5);
    let first = harness.get_by_label("Go to version or time").rect().min.y;
    harness.run_steps(40);
    let later = harness.get_by_label("Go to version or time").rect().min.y;
    assert!(
        (first - later).abs() < 1.0,
        "the timeline moved from y={first} to y={later}"
    );
    assert!(
        later > 500.0,
        "the timeline stays at the bottom (y={later})"
    );
}

#[test]
fn ctrl_f_focuses_the_stream_filter() {
    let mut harness = harness(StartOptions {
        file: Some(sample("shop.sqlite")),
        ..Default::default()
    });
    step_until(&mut harness, "the streams list", |app| {
        app.session().is_some_and(|s| s.streams().listed())
    });
    assert!(!harness.get_by_label("Filter streams").is_focused());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run_steps(2);
    assert!(harness.get_by_label("Filter streams").is_focused());
}

#[test]
fn types_hidden_in_the_legend_are_skipped_by_clicks_on_the_timeline() {
    let mut harness = harness(StartOptions {
        file: Some(sample("shop.sqlite")),
        stream: Some(BIG_ORDER.to_owned()),
        ..Default::default()
    });
    step_until(&mut harness, "the stream", |app| cursor(app).is_some());
    for label in [
        "DiscountApplied (2)",
        "LineAdded (89)",
        "LineRemoved (36)",
        "NoteAdded (67)",
        "OrderCreated (1)",
        "StatusChanged (4)",
    ] {
        harness.get_by_label(label).click();
        harness.run_steps(1);
    }
    let shipped = {
        let session = harness.state().session().unwrap();
        let index = session.stream().unwrap().loaded.events.index();
        (0..index.len())
            .position(|i| index.event_type(i) == Some("OrderShipped"))
            .unwrap()
    };
    harness.key_press(egui::Key::Home);
    harness.run_steps(2);
    assert_ne!(cursor(harness.state()), Some(shipped));
    harness.get_by_label("Timeline").click();
    harness.run_steps(2);
    assert_eq!(
        cursor(harness.state()),
        Some(shipped),
        "only OrderShipped is shown, so a click lands on it"
    );
    // Showing a type again brings its marks back under the pointer.
    harness.get_by_label("LineAdded (89)").click();
    harness.run_steps(1);
    harness.get_by_label("Timeline").click();
    harness.run_steps(2);
    let session = harness.state().session().unwrap();
    let event = session
        .stream()
        .unwrap()
        .loaded
        .events
        .get(cursor(harness.state()).unwrap())
        .unwrap();
    assert!(
        ["LineAdded", "OrderShipped"].contains(&event.event_type.as_str()),
        "{}",
        event.event_type
    );
}

#[test]
fn a_damaged_file_is_announced_in_the_top_bar_and_an_intact_one_says_so() {
    use eventscope::session::integrity::IntegrityStatus;
    let dir = tempfile::tempdir().unwrap();
    let damaged = dir.path().join("flipped.sqlite");
    crate::hostile_store::plain_store(&damaged, 2_390);
    crate::hostile_store::flip_a_cell_count(&damaged);
    for (file, label) in [
        (damaged, "FILE DAMAGED: counts may be incomplete"),
        (sample("shop.sqlite"), "· intact"),
    ] {
        let mut harness = harness(StartOptions {
            file: Some(file),
            ..Default::default()
        });
        step_until(&mut harness, "the integrity check", |app| {
            app.session()
                .is_some_and(|s| *s.integrity().status() != IntegrityStatus::Checking)
        });
        harness.run_steps(1);
        harness.get_by_label(label);
    }
}
