//! The audit in the real app (egui_kittest, no display): the Findings window lists exactly what `verify`
//! finds and opens a finding's stream at its version; a search lists the same hits as the core search and
//! opens a hit; cancelling says so; exports and the report written from the window equal the core's output,
//! the report's hash is the file's, and nothing is ever written over the store.

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use eventscope::app::{EventscopeApp, StartOptions};
use eventscope::core::model::count_through_version;
use eventscope::core::store::Store;
use eventscope::core::verify::{VerifyOptions, verify_all};
use eventscope::session::audit::JobStatus;

use crate::common::{cursor, sample, step_until};

fn harness(start: StartOptions) -> Harness<'static, EventscopeApp> {
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 860.0))
        .build_eframe(move |cc| EventscopeApp::new(cc, start));
    step_until(&mut harness, "the streams", |app| {
        app.session().is_some_and(|s| s.streams.is_some())
    });
    harness
}

fn open(file: &std::path::Path) -> Harness<'static, EventscopeApp> {
    harness(StartOptions {
        file: Some(file.to_owned()),
        ..Default::default()
    })
}

#[test]
fn the_findings_window_lists_the_injected_faults_and_opens_one_at_its_version() {
    let mut harness = open(&sample("faults.sqlite"));
    harness.get_by_label("Findings").click();
    step_until(&mut harness, "verify", |app| {
        app.session()
            .is_some_and(|s| s.audit.verify.status == JobStatus::Done)
    });
    // A new window takes a few frames to size itself.
    harness.run_steps(4);
    let store = Store::open(&sample("faults.sqlite"), None).unwrap();
    let (expected, _) = verify_all(&store, &VerifyOptions::new(None)).unwrap();
    assert_eq!(expected.len(), 8);
    assert_eq!(
        harness.state().session().unwrap().audit.verify.findings,
        expected
    );
    harness.get_by_label("8 findings in 34 events, 13 streams");
    for finding in &expected {
        assert!(
            harness.query_by_label(&finding.message).is_some(),
            "{} is listed",
            finding.message
        );
    }

    harness.get_by_label("version_gap").click();
    step_until(&mut harness, "the stream of the finding", |app| {
        app.session()
            .is_some_and(|s| s.selected.as_deref() == Some("order-2"))
            && cursor(app).is_some()
    });
    let events = store.events("order-2").unwrap();
    let gap = expected
        .iter()
        .find(|f| f.kind.as_str() == "version_gap")
        .unwrap();
    let index = count_through_version(&events, gap.versions[0]).unwrap() - 1;
    assert_eq!(cursor(harness.state()), Some(index));
}
