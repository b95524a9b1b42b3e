//! The store overview and the correlation lanes in the real app (egui_kittest, no display): the chart is
//! there as soon as the store opens, brushing it lists the same streams as the library, and a lane event
//! opens its stream at that event.

use chrono::{DateTime, Utc};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use eventscope::app::{EventscopeApp, StartOptions};
use eventscope::core::explore::overview::streams_active;
use eventscope::core::store::Store;

use crate::common::{cursor, sample, step_until};

fn harness(start: StartOptions) -> Harness<'static, EventscopeApp> {
    Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 860.0))
        .build_eframe(move |cc| EventscopeApp::new(cc, start))
}

/// The shop store open on its overview, aggregated.
fn shop_overview() -> (std::path::PathBuf, Harness<'static, EventscopeApp>) {
    let path = sample("shop.sqlite");
    let mut harness = harness(StartOptions {
        file: Some(path.clone()),
        ..Default::default()
    });
    step_until(&mut harness, "the overview", |app| {
        app.session()
            .is_some_and(|s| matches!(s.explore().overview.result, Some(Ok(_))))
    });
    harness.run_steps(2);
    (path, harness)
}

#[test]
fn the_overview_shows_on_open_and_a_brushed_period_lists_the_library_s_active_streams() {
    let (path, mut harness) = shop_overview();
    let total: u64 = {
        let session = harness.state().session().unwrap();
        session
            .streams()
            .all()
            .unwrap()
            .iter()
            .map(|s| s.events)
            .sum()
    };
    let charted = {
        let session = harness.state().session().unwrap();
        let Some(Ok(overview)) = &session.explore().overview.result else {
            unreachable!()
        };
        overview.counts.iter().flatten().sum::<u64>() + overview.undated
    };
    assert_eq!(
        charted, total,
        "every event is in a bucket or counted undated"
    );

    // Brush the middle of the chart by dragging across it.
    let chart = harness.get_by_label("Activity chart").rect();
    let from = egui::Pos2::new(chart.left() + chart.width() * 0.3, chart.center().y);
    let to = egui::Pos2::new(chart.left() + chart.width() * 0.6, chart.center().y);
    harness.drag_at(from);
    harness.run_steps(1);
    for k in 1..=5 {
        harness.hover_at(from + (to - from) * (k as f32 / 5.0));
        harness.run_steps(1);
    }
    harness.drop_at(to);
    step_until(&mut harness, "the active streams", |app| {
        app.session()
            .is_some_and(|s| matches!(s.explore().overview.active, Some(Ok(_))))
    });
    let (period, listed): ((DateTime<Utc>, DateTime<Utc>), Vec<String>) = {
        let view = &harness.state().session().unwrap().explore().overview;
        let Some(Ok(active)) = &view.active else {
            unreachable!()
        };
        (
            view.brush.unwrap(),
            active.iter().map(|s| s.id.clone()).collect(),
        )
    };
    let store = Store::open(&path, None).unwrap();
    let expected: Vec<String> = streams_active(&store, period.0, period.1)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert!(
        !expected.is_empty(),
        "the middle of the shop's history is busy"
    );
    assert_eq!(listed, expected);

    // The busiest stream of the period opens with a click.
    harness.run_steps(2);
    let first = expected[0].clone();
    harness
        .get_all_by_label(&first)
        .last()
        .expect("the stream is listed")
        .click();
    step_until(&mut harness, "the stream", |app| {
        app.session()
            .is_some_and(|s| s.selected() == Some(first.as_str()))
            && cursor(app).is_some()
    });
}

#[test]
fn correlation_lanes_span_the_checkout_and_a_click_opens_the_payment() {
    const ORDER: &str = "order/770360b1-5061-4304-86aa-236d1a4c3d2e";
    const PAYMENT: &str = "payment/9a84602c-7a88-5576-9e04-6ce3b0e8e847";
    let mut harness = harness(StartOptions {
        file: Some(sample("event-sourcery-sqlalchemy.sqlite")),
        stream: Some(ORDER.to_owned()),
        at: Some(1),
        ..Default::default()
    });
    step_until(&mut harness, "the order", |app| cursor(app) == Some(0));
    harness.get_by_label("Show correlation lanes").click();
    step_until(&mut harness, "the lanes", |app| {
        app.session().is_some_and(|s| {
            s.explore()
                .correlation
                .as_ref()
                .is_some_and(|c| matches!(c.result, Some(Ok(_))))
        })
    });
    harness.run_steps(4);
    let (lanes, requested) = {
        let session = harness.state().session().unwrap();
        let view = session.explore().correlation.as_ref().unwrap();
        let Some(Ok(correlation)) = &view.result else {
            unreachable!()
        };
        let lanes: Vec<String> = correlation.lanes.iter().map(|l| l.stream.clone()).collect();
        let requested = correlation
            .events
            .iter()
            .find(|e| e.stream == PAYMENT)
            .unwrap()
            .clone();
        (lanes, requested)
    };
    assert_eq!(lanes.len(), 3, "{lanes:?}");
    assert!(lanes.iter().any(|l| l == PAYMENT));
    let label = format!(
        "{} at position {} in {}",
        requested.event_type, requested.position, requested.stream
    );
    harness.get_by_label(&label).click();
    step_until(&mut harness, "the payment stream at that event", |app| {
        let Some(session) = app.session() else {
            return false;
        };
        session.selected() == Some(PAYMENT)
            && session.stream().is_some_and(|s| {
                s.loaded.events.index().position(s.cursor) == Some(requested.position)
            })
    });
    // Closing the window forgets the lanes.
    harness.get_by_label("Close window").click();
    harness.run_steps(2);
    assert!(
        harness
            .state()
            .session()
            .unwrap()
            .explore()
            .correlation
            .is_none()
    );
}

#[test]
fn lanes_asked_for_at_start_open_once_the_store_has() {
    let mut harness = harness(StartOptions {
        file: Some(sample("event-sourcery-sqlalchemy.sqlite")),
        correlation: Some("ccd2dff8-9165-4f01-83df-d84fb8e8d398".to_owned()),
        ..Default::default()
    });
    step_until(&mut harness, "the lanes", |app| {
        app.session().is_some_and(|s| {
            s.explore()
                .correlation
                .as_ref()
                .is_some_and(|c| matches!(&c.result, Some(Ok(c)) if c.lanes.len() == 3))
        })
    });
    harness.run_steps(4);
    harness.get_by_label_contains("8 events in 3 streams");
}

#[test]
fn a_typed_period_lists_the_same_streams_as_a_brushed_one() {
    let (path, mut harness) = shop_overview();
    harness.get_by_label("Period start").focus();
    harness.get_by_label("Period start").type_text("2024-03-01");
    harness.get_by_label("Period end").focus();
    harness.get_by_label("Period end").type_text("2024-03-08");
    harness.run_steps(1);
    harness.get_by_label("List streams").click();
    step_until(&mut harness, "the active streams", |app| {
        app.session()
            .is_some_and(|s| matches!(s.explore().overview.active, Some(Ok(_))))
    });
    let listed: Vec<String> = {
        let view = &harness.state().session().unwrap().explore().overview;
        let Some(Ok(active)) = &view.active else {
            unreachable!()
        };
        active.iter().map(|s| s.id.clone()).collect()
    };
    let from = "2024-03-01T00:00:00Z".parse().unwrap();
    let to = "2024-03-08T00:00:00Z".parse().unwrap();
    let expected: Vec<String> = streams_active(&Store::open(&path, None).unwrap(), from, to)
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(listed, expected);

    // A backwards period is refused with a reason.
    harness.get_by_label("Period end").focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Period end").type_text("2024-02-01");
    harness.run_steps(1);
    harness.get_by_label("List streams").click();
    harness.run_steps(2);
    harness.get_by_label("the period must end after it starts");
}
