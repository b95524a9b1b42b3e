//! "Copy as command" in the real app (egui_kittest, no display): the line copied from the top bar's menu,
//! run as it is by the built binary, prints exactly the state, events, diff and field history the window shows.

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use eventscope::app::{EventscopeApp, StartOptions};
use eventscope::session::Command;
use serde_json::Value;

use crate::common::{copied_next, cursor, sample, step_until, window_on_first_event};

const DE_0001: &str = "9e6f0814-1490-5e31-a7fb-07b2bdd25b03";

/// Open the menu, click `item`, and return what it copied.
fn copy_command(harness: &mut Harness<'static, EventscopeApp>, item: &str) -> String {
    harness.get_by_label("Copy as command").click();
    harness.run_steps(2);
    harness
        .query_all_by_label(item)
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::Button)
        .unwrap_or_else(|| panic!("no {item} in the menu"))
        .click();
    copied_next(harness, item)
}

/// Run a copied line as a shell would split it, and parse what it prints.
fn run_line(line: &str) -> Value {
    let words = shlex::split(line).unwrap_or_else(|| panic!("not a shell line: {line}"));
    let (program, args) = words.split_first().expect("a program");
    assert_eq!(program, "eventscope", "{line}");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_eventscope"))
        .args(args)
        .output()
        .expect("the eventscope binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{line} failed: {stderr}");
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{line} printed no JSON ({e})"))
}

#[test]
fn the_copied_lines_print_the_state_events_diff_and_history_the_window_shows() {
    let mut harness = window_on_first_event(StartOptions {
        file: Some(sample("eventsourcing-bank.sqlite")),
        stream: Some(DE_0001.to_owned()),
        at: Some(1),
        reducers: Some(sample("eventsourcing/reducers.json")),
        ..Default::default()
    });
    harness.key_press(egui::Key::ArrowRight);
    harness.key_press(egui::Key::ArrowRight);
    step_until(&mut harness, "the third event's state", |app| {
        cursor(app) == Some(2)
            && app
                .session()
                .and_then(|s| s.stream())
                .and_then(|s| s.view.as_ref().ok())
                .is_some_and(|v| v.index == 2)
    });
    let shown = {
        let view = harness.state().session().unwrap().stream().unwrap();
        view.view.as_ref().unwrap().state.clone()
    };

    let line = copy_command(&mut harness, "State at the playhead");
    assert!(line.starts_with("eventscope state "), "{line}");
    assert!(line.contains(" --at 3"), "{line}");
    assert!(
        line.contains("--reducers"),
        "the reducers file is named: {line}"
    );
    assert_eq!(run_line(&line), shown, "{line}");
    // Without the reducers the deep merge gives another state: the flag is what made them equal.
    let mut words = shlex::split(&line).unwrap();
    let at = words.iter().position(|w| w == "--reducers").unwrap();
    words.drain(at..at + 2);
    let without = shlex::try_join(words.iter().map(String::as_str)).unwrap();
    assert_ne!(run_line(&without), shown, "{without}");

    let line = copy_command(&mut harness, "Events of the stream");
    let events = run_line(&line);
    let count = harness
        .state()
        .session()
        .unwrap()
        .stream()
        .unwrap()
        .loaded
        .events
        .len();
    assert_eq!(events.as_array().map(Vec::len), Some(count), "{line}");

    let changes = {
        let view = harness.state().session().unwrap().stream().unwrap();
        serde_json::to_value(&view.view.as_ref().unwrap().changes).unwrap()
    };
    assert_ne!(
        changes,
        serde_json::json!([]),
        "the third event changes the state"
    );
    let line = copy_command(&mut harness, "Diff of the current event");
    assert_eq!(run_line(&line), changes, "{line}");

    harness
        .state_mut()
        .session_mut()
        .unwrap()
        .apply(Command::ShowHistory("/balance".to_owned()));
    step_until(&mut harness, "the history of /balance", |app| {
        app.session()
            .and_then(|s| s.history())
            .is_some_and(|h| h.changes.is_some())
    });
    let history = {
        let history = harness.state().session().unwrap().history().unwrap();
        let changes = history.changes.as_ref().unwrap().as_ref().unwrap();
        assert!(!changes.is_empty(), "the balance changes");
        serde_json::to_value(changes).unwrap()
    };
    let line = copy_command(&mut harness, "History of the field");
    assert!(line.contains("--path /balance"), "{line}");
    assert_eq!(run_line(&line), history, "{line}");

    // Reducers edited in the window are in no file: the copied text says which file to save first, as a
    // comment above the line.
    let edited = format!(
        "{} ",
        std::fs::read_to_string(sample("eventsourcing/reducers.json")).unwrap()
    );
    harness
        .state_mut()
        .session_mut()
        .unwrap()
        .apply(Command::SetReducers(Some(edited)));
    harness.run_steps(2);
    let copied = copy_command(&mut harness, "State at the playhead");
    let (comment, line) = copied.split_once('\n').expect("a note, then the line");
    assert!(
        comment.starts_with("# ") && comment.contains("REDUCERS.json"),
        "{copied}"
    );
    assert!(line.contains("--reducers REDUCERS.json"), "{copied}");
}

#[test]
fn the_menu_is_disabled_until_a_stream_is_open() {
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 860.0))
        .build_eframe(|cc| EventscopeApp::new(cc, StartOptions::default()));
    harness.run_steps(2);
    assert!(
        harness
            .get_by_label("Copy as command")
            .accesskit_node()
            .is_disabled()
    );
}
