//! The theme, the Help window and the Copy buttons in the real app (egui_kittest, no display): the theme
//! chosen switches egui between dark and light and survives a restart, F1 and the Help menu show the keys
//! and what each panel shows, and every Copy button puts the JSON it sits beside on the clipboard.

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use eventscope::app::{EventscopeApp, Settings, StartOptions, Theme};
use eventscope::core::model::Payload;
use eventscope::session::audit::JobStatus;

use crate::common::{
    BIG_ORDER, MemoryStorage, copied_next, cursor, harness_with, sample, step_until,
};

fn dark_mode(harness: &Harness<'static, EventscopeApp>) -> bool {
    harness.ctx.global_style().visuals.dark_mode
}

#[test]
fn the_theme_chosen_in_settings_switches_the_window_and_survives_a_restart() {
    let mut harness = harness_with(StartOptions::default(), None);
    harness.run_steps(2);
    assert_eq!(harness.state().settings().theme, Theme::System);
    assert!(dark_mode(&harness), "the system's theme, dark when unknown");

    harness.get_by_label("Settings").click();
    harness.run_steps(3);
    harness.get_by_label("Light").click();
    harness.run_steps(2);
    assert_eq!(harness.state().settings().theme, Theme::Light);
    assert!(!dark_mode(&harness));

    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    let key = storage
        .0
        .keys()
        .next()
        .expect("the settings were stored")
        .clone();
    let restored: Settings = eframe::get_value(&storage, &key).expect("settings read back");
    assert_eq!(restored.theme, Theme::Light);

    // A restart with the saved settings starts light; the View menu turns it dark again.
    let mut again = harness_with(StartOptions::default(), Some(restored));
    again.run_steps(2);
    assert!(!dark_mode(&again));
    again.get_by_label("View").click();
    again.run_steps(2);
    again.get_by_label("Dark").click();
    again.run_steps(2);
    assert_eq!(again.state().settings().theme, Theme::Dark);
    assert!(dark_mode(&again));
}

#[test]
fn f1_shows_every_key_and_what_each_panel_shows_and_hides_them_again() {
    let mut harness = harness_with(StartOptions::default(), None);
    harness.run_steps(2);
    assert!(harness.query_by_label("What am I looking at").is_none());
    harness.key_press(egui::Key::F1);
    harness.run_steps(3);
    harness.get_by_label("What am I looking at");
    for key in [
        "F1",
        "Ctrl+Shift+F",
        "Ctrl+G",
        "Shift+Left / Shift+Right",
        "Space",
    ] {
        harness.get_by_label(key);
    }
    for panel in ["State", "Diff", "Event"] {
        assert!(
            !harness
                .query_all_by_label(panel)
                .collect::<Vec<_>>()
                .is_empty(),
            "{panel} is explained"
        );
    }
    harness.key_press(egui::Key::F1);
    harness.run_steps(3);
    assert!(harness.query_by_label("What am I looking at").is_none());
}

#[test]
fn the_help_menu_and_the_start_screens_hint_show_the_help_too() {
    let mut harness = harness_with(StartOptions::default(), None);
    harness.run_steps(2);
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    harness.get_by_label("Keys and help  (F1)").click();
    harness.run_steps(3);
    harness.get_by_label("What am I looking at");

    let mut again = harness_with(StartOptions::default(), None);
    again.run_steps(2);
    again
        .get_by_label("Press F1 for the keys, mouse gestures and what each panel shows")
        .click();
    again.run_steps(3);
    again.get_by_label("What am I looking at");
}

/// Click the button labelled `label` (the first, when rows repeat it) and return what it copied. Clicked
/// through AccessKit: the metadata's button may be below the fold of the event panel.
fn copied_by(harness: &mut Harness<'static, EventscopeApp>, label: &str) -> String {
    harness
        .query_all_by_label(label)
        .next()
        .unwrap_or_else(|| panic!("no {label} button"))
        .click_accesskit();
    copied_next(harness, label)
}

fn pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

#[test]
fn the_copy_buttons_copy_the_state_the_event_and_a_change_as_json() {
    let mut harness = harness_with(
        StartOptions {
            file: Some(sample("shop.sqlite")),
            stream: Some(BIG_ORDER.to_owned()),
            at: Some(58),
            ..Default::default()
        },
        None,
    );
    step_until(&mut harness, "version 58", |app| cursor(app) == Some(57));
    let stream = harness.state().session().unwrap().stream().unwrap();
    let view = stream.view.clone().unwrap();
    let event = stream.loaded.events.get(57).unwrap();
    assert!(!view.changes.is_empty(), "event 58 changes something");

    assert_eq!(copied_by(&mut harness, "Copy state"), pretty(&view.state));
    let Payload::Json(data) = &event.data else {
        panic!("the shop's payloads are JSON");
    };
    assert_eq!(copied_by(&mut harness, "Copy event data"), pretty(data));
    let Some(Payload::Json(metadata)) = &event.metadata else {
        panic!("the shop's events carry JSON metadata");
    };
    assert_eq!(copied_by(&mut harness, "Copy metadata"), pretty(metadata));
    let change = &view.changes[0];
    let copied = copied_by(&mut harness, &format!("Copy change {}", change.path));
    assert_eq!(copied, pretty(change));
    let back: serde_json::Value = serde_json::from_str(&copied).unwrap();
    assert_eq!(back["path"], change.path.as_str());
}

#[test]
fn a_findings_copy_button_copies_that_finding_as_json_and_leaves_the_stream_closed() {
    let mut harness = harness_with(
        StartOptions {
            file: Some(sample("faults.sqlite")),
            panel: Some("findings".to_owned()),
            ..Default::default()
        },
        None,
    );
    step_until(&mut harness, "verify", |app| {
        app.session()
            .is_some_and(|s| s.audit().verify.status == JobStatus::Done)
    });
    // A new window takes a few frames to size itself.
    harness.run_steps(4);
    // The second finding is about order-2: its Copy button copies it, and does not open the stream as a
    // click on the rest of its row would.
    let second = harness.state().session().unwrap().audit().verify.findings[1].clone();
    assert_eq!(second.stream.as_deref(), Some("order-2"));
    harness
        .query_all_by_label("Copy finding")
        .nth(1)
        .expect("a Copy button per finding")
        .click();
    assert_eq!(copied_next(&mut harness, "Copy finding"), pretty(&second));
    harness.run_steps(4);
    assert_eq!(harness.state().session().unwrap().selected(), None);
}
