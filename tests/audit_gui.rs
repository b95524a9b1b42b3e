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

fn search_status(app: &EventscopeApp) -> JobStatus {
    app.session()
        .map(|s| s.audit.search.status.clone())
        .unwrap_or_default()
}

#[test]
fn a_search_in_the_window_lists_the_core_searchs_hits_and_opens_one() {
    use eventscope::core::search::{CompiledQuery, SearchQuery, search_all};
    let predicate = r#".data.status == "shipped" or .data.total > 100"#;
    let mut harness = open(&sample("shop.sqlite"));
    harness.get_by_label("Search (Ctrl+Shift+F)").click();
    harness.run_steps(4);
    harness.get_by_label("Search predicate (jq)").focus();
    harness
        .get_by_label("Search predicate (jq)")
        .type_text(predicate);
    harness.get_by_label("Search event types").focus();
    harness
        .get_by_label("Search event types")
        .type_text("OrderShipped, OrderPlaced");
    harness.run_steps(1);
    harness.get_by_label("Run search").click();
    step_until(&mut harness, "the search", |app| {
        search_status(app) == JobStatus::Done
    });
    let store = Store::open(&sample("shop.sqlite"), None).unwrap();
    let query = CompiledQuery::new(SearchQuery {
        predicate: Some(predicate.to_owned()),
        types: vec!["OrderShipped".to_owned(), "OrderPlaced".to_owned()],
        ..SearchQuery::default()
    })
    .unwrap();
    let (expected, _) = search_all(&store, &query).unwrap();
    assert!(expected.len() > 3, "{} hits", expected.len());
    {
        let search = &harness.state().session().unwrap().audit.search;
        let listed: Vec<(&str, i64, i64)> = search
            .hits
            .iter()
            .map(|h| (search.hits.stream(h), h.version, h.position))
            .collect();
        let wanted: Vec<(&str, i64, i64)> = expected
            .iter()
            .map(|h| (h.stream.as_str(), h.version, h.position))
            .collect();
        assert_eq!(listed, wanted);
    }
    harness.get_by_label(&format!("{} hits in {} events", expected.len(), {
        harness
            .state()
            .session()
            .unwrap()
            .audit
            .search
            .summary
            .as_ref()
            .unwrap()
            .scanned
    }));

    let hit = &expected[1];
    harness.get_by_label(&hit.position.to_string()).click();
    step_until(&mut harness, "the hit's stream", |app| {
        app.session()
            .is_some_and(|s| s.selected.as_deref() == Some(hit.stream.as_str()))
            && cursor(app).is_some()
    });
    let events = store.events(&hit.stream).unwrap();
    assert_eq!(
        cursor(harness.state()),
        Some(count_through_version(&events, hit.version).unwrap() - 1)
    );
}

#[test]
fn a_bad_predicate_is_shown_in_the_search_window() {
    let mut harness = open(&sample("shop.sqlite"));
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::F,
    );
    harness.run_steps(4);
    harness
        .get_by_label("Search predicate (jq)")
        .type_text(".data.total >");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    assert!(matches!(
        search_status(harness.state()),
        JobStatus::Failed(_)
    ));
    harness.get_by_label_contains("does not compile");
}

/// A store big enough that a jq search over it takes a while.
fn big_store(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("big.sqlite");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
         type TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL)",
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare("INSERT INTO events (stream_id, version, type, data, created_at) VALUES (?1, ?2, 'Counted', ?3, '2024-03-01 12:00:00')")
            .unwrap();
        for i in 0..300_000_i64 {
            let stream = format!("s-{}", i % 100);
            insert
                .execute(rusqlite::params![
                    stream,
                    i / 100 + 1,
                    format!("{{\"n\":{i}}}")
                ])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    path
}

#[test]
fn cancelling_a_search_stops_it_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_store(dir.path());
    let mut harness = harness(StartOptions {
        file: Some(path),
        search: Some(".data.n % 7 == 0".to_owned()),
        ..Default::default()
    });
    assert!(
        harness
            .state()
            .session()
            .unwrap()
            .audit
            .search
            .status
            .running()
    );
    harness.run_steps(4);
    harness.get_by_label("Cancel search").click();
    harness.run_steps(2);
    assert_eq!(search_status(harness.state()), JobStatus::Cancelled);
    let found = harness.state().session().unwrap().audit.search.found;
    assert!(found < 300_000 / 7, "stopped early ({found})");
    harness.get_by_label_contains("Cancelled:");
    std::thread::sleep(std::time::Duration::from_millis(200));
    harness.run_steps(2);
    assert_eq!(search_status(harness.state()), JobStatus::Cancelled);
}
