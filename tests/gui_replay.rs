//! GUI behaviour tests for replaying the way the domain does: the reducer editor re-runs the replay as you
//! type and keeps the last good result on an error, a budget error names the setting that raises it, a
//! field's history opens from the state tree, go-to by version and by time, and marks A and B give a
//! two-point diff.

use eframe::egui;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use eventscope::app::{EventscopeApp, StartOptions};

use crate::common::{cursor, step_until};

const DE_0001: &str = "9e6f0814-1490-5e31-a7fb-07b2bdd25b03";

fn sample(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name)
}

fn harness(file: &str, stream: &str) -> Harness<'static, EventscopeApp> {
    harness_sized(file, stream, egui::Vec2::new(1400.0, 900.0))
}

/// [`harness`] in a window of `size`.
fn harness_sized(file: &str, stream: &str, size: egui::Vec2) -> Harness<'static, EventscopeApp> {
    let start = StartOptions {
        file: Some(sample(file)),
        stream: Some(stream.to_owned()),
        at: None,
        ..Default::default()
    };
    let mut harness = Harness::builder()
        .with_size(size)
        .build_eframe(move |cc| EventscopeApp::new(cc, start));
    step_until(&mut harness, "the stream", |app| cursor(app).is_some());
    harness
}

fn balance(app: &EventscopeApp) -> Option<f64> {
    let view = app.session()?.stream()?.view.as_ref().ok()?;
    view.state.get("balance")?.as_f64()
}

fn replace_editor_text(harness: &mut Harness<'static, EventscopeApp>, text: &str) {
    harness.get_by_label("Reducer file").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run_steps(1);
    harness.get_by_label("Reducer file").type_text(text);
    harness.run_steps(2);
}

#[test]
fn typing_a_reducer_replays_the_stream_and_an_error_keeps_the_last_good_state() {
    let mut harness = harness("eventsourcing-bank.sqlite", DE_0001);
    assert_eq!(
        balance(harness.state()),
        None,
        "the default deep merge has no balance"
    );
    harness.get_by_label("Edit reducers…").click();
    harness.run_steps(2);
    let good = std::fs::read_to_string(sample("eventsourcing/reducers.json")).unwrap();
    replace_editor_text(&mut harness, &good);
    step_until(&mut harness, "the replay with reducers", |app| {
        balance(app) == Some(4299.28)
    });
    harness.get_by_label("Replayed with these reducers.");

    replace_editor_text(
        &mut harness,
        r#"{"reducers": {"Withdrawn": ".balance -= ($event.data.nope | tonumber)"}}"#,
    );
    step_until(&mut harness, "the reducer error", |app| {
        app.session()
            .is_some_and(|s| s.reducers().error().is_some())
    });
    let error = harness
        .state()
        .session()
        .unwrap()
        .reducers()
        .error()
        .cloned()
        .unwrap()
        .message;
    assert!(
        error.contains("version 3") && error.contains("Withdrawn"),
        "{error}"
    );
    assert_eq!(
        balance(harness.state()),
        Some(4299.28),
        "the last good replay stays on screen"
    );
}

fn set_step_budget(harness: &mut Harness<'static, EventscopeApp>, steps: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, "jq step budget")
        .focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "jq step budget")
        .type_text(steps);
    harness.run_steps(1);
    harness.get_by_label("Apply budget").click();
    harness.run_steps(2);
}

#[test]
fn a_budget_error_names_the_setting_that_raises_it_and_raising_it_replays_the_reducers() {
    let mut harness = harness("eventsourcing-bank.sqlite", DE_0001);
    harness.get_by_label("Settings").click();
    // The click is applied at the end of its frame; a new window takes one more to size itself.
    harness.run_steps(3);
    set_step_budget(&mut harness, "1");
    assert_eq!(harness.state().settings().jq_budget.steps, 1);
    assert_eq!(
        harness.state().session().unwrap().jq_budget().steps,
        1,
        "the open session uses it at once"
    );

    harness.get_by_label("Edit reducers…").click();
    harness.run_steps(2);
    let good = std::fs::read_to_string(sample("eventsourcing/reducers.json")).unwrap();
    replace_editor_text(&mut harness, &good);
    step_until(&mut harness, "the budget error", |app| {
        app.session()
            .is_some_and(|s| s.reducers().error().is_some())
    });
    let hints = harness
        .get_all_by_label_contains(
            "exceeded the step budget of 1 steps (raise it in Settings > jq step budget)",
        )
        .count();
    assert!(hints >= 1);
    let naming_a_flag = harness
        .query_all_by_label_contains("exceeded the step budget")
        .filter(|node| {
            node.accesskit_node()
                .label()
                .is_some_and(|l| l.contains("--jq"))
        })
        .count();
    assert_eq!(
        naming_a_flag, 0,
        "the window names its setting, not the command line's flag"
    );
    assert_eq!(balance(harness.state()), None, "the last good replay stays");

    set_step_budget(&mut harness, "1000000");
    step_until(&mut harness, "the replay under the raised budget", |app| {
        balance(app) == Some(4299.28)
    });
    assert_eq!(harness.state().session().unwrap().reducers().error(), None);
    assert!(
        harness
            .query_by_label_contains("raise it in Settings")
            .is_none()
    );
    harness.get_by_label("Replayed with these reducers.");
}

#[test]
fn clicking_a_field_in_the_state_tree_lists_every_event_that_changed_it() {
    let mut harness = harness("shop.sqlite", "38d81ecc-3260-4353-8850-9317ae6eb057");
    harness.get_by_label("status:").click();
    step_until(&mut harness, "the field history", |app| {
        app.session()
            .and_then(|s| s.history())
            .is_some_and(|h| h.changes.is_some())
    });
    harness.get_by_label("History of /status");
    let history = harness
        .state()
        .session()
        .unwrap()
        .history()
        .cloned()
        .unwrap();
    let changes = history.changes.unwrap().unwrap();
    assert!(changes.len() >= 2);
    // Clicking a row jumps there (let the new panel settle first).
    harness.run_steps(4);
    let first = changes[0].clone();
    let label = first
        .time
        .map(|t| eventscope::core::decode::format_time(&t))
        .unwrap();
    let node = harness.get_by_label(&label);
    node.click();
    harness.run_steps(2);
    assert_eq!(cursor(harness.state()), Some(first.index));
    harness.get_by_label("Close history").click();
    harness.run_steps(2);
    assert!(harness.state().session().unwrap().history().is_none());
}

#[test]
fn go_to_accepts_a_version_or_a_date_time() {
    let mut harness = harness("shop.sqlite", "c3ba9975-1aa5-4e32-93c7-7b341e5d1c37");
    harness.get_by_label("Go to version or time").focus();
    harness
        .get_by_label("Go to version or time")
        .type_text("57");
    harness.get_by_label("Go").click();
    harness.run_steps(2);
    assert_eq!(cursor(harness.state()), Some(56));
    let events = harness
        .state()
        .session()
        .unwrap()
        .stream()
        .unwrap()
        .loaded
        .events
        .get(120)
        .unwrap();
    let t = events.time.unwrap();
    harness.get_by_label("Go to version or time").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run_steps(1);
    harness
        .get_by_label("Go to version or time")
        .type_text(&eventscope::core::decode::format_time(&t));
    harness.get_by_label("Go").click();
    harness.run_steps(2);
    assert_eq!(cursor(harness.state()), Some(120));
}

#[test]
fn marks_a_and_b_show_the_two_point_diff_with_a_patch() {
    let mut harness = harness("shop.sqlite", "c3ba9975-1aa5-4e32-93c7-7b341e5d1c37");
    harness.key_press(egui::Key::Home);
    harness.run_steps(2);
    harness.get_by_label("Mark A").click();
    harness.run_steps(1);
    harness.key_press(egui::Key::End);
    harness.run_steps(2);
    harness.get_by_label("Mark B").click();
    harness.run_steps(2);
    harness.get_by_label("A -> B").click();
    harness.run_steps(2);
    let ab = harness
        .state()
        .session()
        .unwrap()
        .ab()
        .cloned()
        .unwrap()
        .unwrap();
    harness.get_by_label(&format!(
        "From A (after event 1) to B (after event 200): {} changes",
        ab.changes.len()
    ));
    assert_eq!((ab.a, ab.b), (0, 199));
    assert!(ab.patch.as_array().is_some_and(|ops| !ops.is_empty()));
    harness.get_by_label("Copy JSON Patch");
}

/// A narrow window has no room for the state and the diff side by side: the diff goes under the state instead
/// of running into it (the state's header and fields used to be drawn over the diff's).
#[test]
fn a_narrow_window_shows_the_diff_under_the_state_not_over_it() {
    for (width, stacked) in [(1000.0, true), (1400.0, false)] {
        let mut harness = harness_sized(
            "eventsourcing-bank.sqlite",
            DE_0001,
            egui::Vec2::new(width, 760.0),
        );
        harness.run_steps(2);
        let state = harness.get_by_label("State").rect();
        let diff = harness.get_by_label("Diff").rect();
        if stacked {
            assert!(
                diff.min.y > state.max.y,
                "{width}: {diff:?} under {state:?}"
            );
            let over = harness
                .query_all_by_label("Copy")
                .map(|node| node.rect())
                .filter(|rect| rect.intersects(diff))
                .collect::<Vec<_>>();
            assert!(over.is_empty(), "{width}: Copy {over:?} over Diff {diff:?}");
        } else {
            assert!(
                (diff.min.y - state.min.y).abs() < 2.0,
                "{width}: side by side"
            );
            assert!(diff.min.x > state.max.x, "{width}: diff right of the state");
        }
    }
}

/// The controls row shows the event's time only where it leaves room for the axis buttons at its right: a
/// long event type used to push the time under "Axis:" at the default width.
#[test]
fn the_event_time_in_the_controls_row_never_runs_under_the_axis_buttons() {
    for width in [1000.0, 1400.0, 2000.0] {
        let mut harness = harness_sized(
            "eventsourcing-bank.sqlite",
            DE_0001,
            egui::Vec2::new(width, 860.0),
        );
        harness.run_steps(2);
        let axis = harness
            .query_all_by(|node| {
                node.role() == Role::Label && node.value().is_some_and(|v| v == "Axis:")
            })
            .next()
            .expect("the Axis: label")
            .rect();
        let under: Vec<String> = harness
            .query_all_by(|node| {
                node.role() == Role::Label && node.value().is_some_and(|v| v != "Axis:")
            })
            .filter(|node| node.rect().intersects(axis))
            .filter_map(|node| node.value())
            .collect();
        assert!(under.is_empty(), "{width}: {under:?} under Axis: {axis:?}");
        // With room, the time is there.
        let time_shown = harness
            .query_all_by(|node| {
                node.role() == Role::Label
                    && node
                        .value()
                        .is_some_and(|v| v == "2024-03-12T03:40:32.657822Z")
            })
            .any(|node| (node.rect().center().y - axis.center().y).abs() < 4.0);
        assert_eq!(time_shown, width >= 2000.0, "{width}: the time in the row");
    }
}
