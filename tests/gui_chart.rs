//! The chart of state fields in the real app (egui_kittest, no display): charted from the state tree, its
//! values (read where a person reads them, in the hover text) equal to the replayed states, a click moving
//! the playhead, and fields added, taken off and closed.

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::NodeT as _;
use egui_kittest::kittest::Queryable as _;
use eventscope::app::{EventscopeApp, StartOptions};
use eventscope::core::replay::Reducer as _;
use eventscope::core::replay::query::field_history;
use eventscope::core::replay::reducers::JqReducer;
use eventscope::core::replay::series::numeric;
use eventscope::core::store::Store;
use std::collections::BTreeMap;

use crate::common::{cursor, sample, step_until, window_on_first_event};

const DE_0001: &str = "9e6f0814-1490-5e31-a7fb-07b2bdd25b03";

fn bank_window(chart: &[&str]) -> Harness<'static, EventscopeApp> {
    window_on_first_event(StartOptions {
        file: Some(sample("eventsourcing-bank.sqlite")),
        stream: Some(DE_0001.to_owned()),
        at: Some(1),
        reducers: Some(sample("eventsourcing/reducers.json")),
        chart: chart.iter().map(|p| (*p).to_owned()).collect(),
        ..Default::default()
    })
}

fn chart_drawn(app: &EventscopeApp) -> bool {
    let answered = app
        .session()
        .and_then(|s| s.chart())
        .and_then(|c| c.series())
        .is_some_and(|(_, result)| result.is_ok());
    answered && app.chart_rect().is_some()
}

/// The balance after each version of DE-0001, replayed by the core's field history (not the chart's code).
fn replayed_balances() -> BTreeMap<i64, f64> {
    let store = Store::open(&sample("eventsourcing-bank.sqlite"), None).unwrap();
    let events = store.events(DE_0001).unwrap();
    let reducer = JqReducer::from_json(
        &std::fs::read_to_string(sample("eventsourcing/reducers.json")).unwrap(),
    )
    .unwrap();
    let changes = field_history(&reducer, Some("BankAccount"), &events, "/balance").unwrap();
    let mut balance = reducer
        .initial(Some("BankAccount"))
        .pointer("/balance")
        .and_then(numeric);
    let mut after = BTreeMap::new();
    for (i, event) in events.iter().enumerate() {
        if let Some(change) = changes.iter().find(|c| c.index == i) {
            balance = change.new.as_ref().and_then(numeric);
        }
        if let Some(value) = balance {
            after.insert(event.version.unwrap(), value);
        }
    }
    after
}

/// The label showing exactly `value` (its text run, which says the same, left aside).
fn text<'h>(harness: &'h Harness<'_, EventscopeApp>, value: &'h str) -> egui_kittest::Node<'h> {
    harness
        .query_all_by_value(value)
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::Label)
        .unwrap_or_else(|| panic!("no label {value:?}"))
}

/// The hover text shown now, if any: `(version, balance)`.
fn hovered(harness: &Harness<'_, EventscopeApp>) -> Option<(i64, f64)> {
    let text = harness
        .query_all_by(|node| {
            node.role() == egui::accesskit::Role::Label
                && node
                    .value()
                    .is_some_and(|v| v.contains("/balance = ") && v.contains("version "))
        })
        .next()?
        .value()?;
    let version = text
        .split("version ")
        .nth(1)?
        .split(' ')
        .next()?
        .parse()
        .ok()?;
    let balance = text
        .split("/balance = ")
        .nth(1)?
        .lines()
        .next()?
        .parse()
        .ok()?;
    Some((version, balance))
}

#[test]
fn a_number_charted_from_the_state_shows_the_replayed_values_and_a_click_jumps_to_its_event() {
    let mut harness = bank_window(&[]);
    text(&harness, "balance:").click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Chart over the stream").click();
    step_until(&mut harness, "the chart", chart_drawn);

    // Tooltips at once, as if the pointer had rested.
    harness
        .ctx
        .all_styles_mut(|style| style.interaction.tooltip_delay = 0.0);
    // Sweep the pointer across the chart: every event hovered names its version and the balance after it.
    let expected = replayed_balances();
    let rect = harness.state().chart_rect().unwrap();
    let mut seen = BTreeMap::new();
    let mut x = rect.left() + 1.0;
    while x < rect.right() {
        harness.hover_at(egui::pos2(x, rect.center().y));
        harness.run_steps(2);
        if let Some((version, balance)) = hovered(&harness) {
            seen.insert(version, balance);
        }
        x += 4.0;
    }
    assert!(seen.len() >= 20, "hovering found {} events", seen.len());
    for (version, balance) in &seen {
        assert_eq!(
            Some(balance),
            expected.get(version),
            "the balance after version {version}"
        );
    }

    // A click on the chart puts the playhead on the event under the pointer.
    let target = egui::pos2(rect.left() + rect.width() * 0.4, rect.center().y);
    harness.hover_at(target);
    harness.run_steps(2);
    let (version, balance) = hovered(&harness).expect("an event under the pointer");
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: target,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        harness.step();
    }
    let index = usize::try_from(version - 1).unwrap();
    step_until(&mut harness, "the playhead on the clicked event", |app| {
        cursor(app) == Some(index)
    });
    let session = harness.state().session().unwrap();
    let state = &session.stream().unwrap().view.as_ref().unwrap().state;
    assert_eq!(state["balance"].as_f64(), Some(balance));
}

#[test]
fn fields_are_added_from_the_history_taken_off_and_the_chart_closed() {
    let mut harness = bank_window(&["/overdraft_limit"]);
    step_until(&mut harness, "the chart", chart_drawn);
    text(&harness, "/overdraft_limit holds no number in this stream");

    // The balance's history offers to chart it.
    text(&harness, "balance:").click();
    step_until(&mut harness, "the history", |app| {
        app.session()
            .and_then(|s| s.history())
            .is_some_and(|h| h.changes.is_some())
    });
    harness.get_by_label("Chart it").click();
    step_until(&mut harness, "two fields charted", |app| {
        chart_drawn(app)
            && app
                .session()
                .and_then(|s| s.chart())
                .is_some_and(|c| c.paths() == ["/overdraft_limit", "/balance"])
    });
    assert!(
        harness.query_by_label("Chart it").is_none(),
        "a charted field is not offered again"
    );

    harness.get_by_label("/overdraft_limit ×").click();
    step_until(&mut harness, "the field taken off", |app| {
        app.session()
            .and_then(|s| s.chart())
            .is_some_and(|c| c.paths() == ["/balance"])
    });
    harness.get_by_label("Close chart").click();
    step_until(&mut harness, "the chart closed", |app| {
        app.session().is_some_and(|s| s.chart().is_none()) && app.chart_rect().is_none()
    });
}
