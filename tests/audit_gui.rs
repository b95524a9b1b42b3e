//! The audit in the real app (egui_kittest, no display): the Findings window lists exactly what `verify`
//! finds and opens a finding's stream at its version; a search lists the same hits as the core search and
//! opens a hit; cancelling says so; exports and the report written from the window equal the core's output,
//! the report's hash is the file's, and nothing is ever written over the store.

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use eventscope::app::{EventscopeApp, StartOptions};
use eventscope::core::audit::verify::{VerifyOptions, verify_all};
use eventscope::core::model::count_through_version;
use eventscope::core::store::Store;
use eventscope::session::audit::JobStatus;

use crate::common::{cursor, sample, step_until};

fn harness(start: StartOptions) -> Harness<'static, EventscopeApp> {
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 860.0))
        .build_eframe(move |cc| EventscopeApp::new(cc, start));
    step_until(&mut harness, "the streams", |app| {
        app.session().is_some_and(|s| s.streams().listed())
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
            .is_some_and(|s| s.audit().verify.status == JobStatus::Done)
    });
    // A new window takes a few frames to size itself.
    harness.run_steps(4);
    let store = Store::open(&sample("faults.sqlite"), None).unwrap();
    let (expected, _) = verify_all(&store, &VerifyOptions::new(None)).unwrap();
    assert_eq!(expected.len(), 8);
    assert_eq!(
        harness.state().session().unwrap().audit().verify.findings,
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
            .is_some_and(|s| s.selected() == Some("order-2"))
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
        .map(|s| s.audit().search.status.clone())
        .unwrap_or_default()
}

#[test]
fn a_search_in_the_window_lists_the_core_searchs_hits_and_opens_one() {
    use eventscope::core::audit::search::{CompiledQuery, SearchQuery, search_all};
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
        let search = &harness.state().session().unwrap().audit().search;
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
            .audit()
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
            .is_some_and(|s| s.selected() == Some(hit.stream.as_str()))
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
            .audit()
            .search
            .status
            .running()
    );
    harness.run_steps(4);
    harness.get_by_label("Cancel search").click();
    harness.run_steps(2);
    assert_eq!(search_status(harness.state()), JobStatus::Cancelled);
    let found = harness.state().session().unwrap().audit().search.found;
    assert!(found < 300_000 / 7, "stopped early ({found})");
    harness.get_by_label_contains("Cancelled:");
    std::thread::sleep(std::time::Duration::from_millis(200));
    harness.run_steps(2);
    assert_eq!(search_status(harness.state()), JobStatus::Cancelled);
}

fn replace_text(harness: &mut Harness<'static, EventscopeApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label(label).type_text(text);
    harness.run_steps(1);
}

#[test]
fn exports_and_the_report_from_the_window_equal_the_cores_and_never_touch_the_store() {
    use eventscope::core::audit::export::{EventFormat, export_events};
    const BIG_ORDER: &str = "c3ba9975-1aa5-4e32-93c7-7b341e5d1c37";
    let dir = tempfile::tempdir().unwrap();
    let store_path = crate::common::copy_sample_into(dir.path(), "shop.sqlite");
    let before = std::fs::read(&store_path).unwrap();
    let mut harness = harness(StartOptions {
        file: Some(store_path.clone()),
        stream: Some(BIG_ORDER.to_owned()),
        ..Default::default()
    });
    step_until(&mut harness, "the stream", |app| cursor(app).is_some());
    harness.get_by_label("Export").click();
    harness.run_steps(4);

    // Over the store: refused, and the file is untouched.
    replace_text(
        &mut harness,
        "Events file path",
        store_path.to_str().unwrap(),
    );
    harness.get_by_label("Export events").click();
    harness.run_steps(2);
    harness.get_by_label_contains("never writes to it");
    replace_text(
        &mut harness,
        "Report file path",
        store_path.to_str().unwrap(),
    );
    harness.get_by_label("Write report").click();
    harness.run_steps(2);
    assert_eq!(std::fs::read(&store_path).unwrap(), before);

    // Events as CSV: the bytes the core writes.
    let csv = dir.path().join("events.csv");
    replace_text(&mut harness, "Events file path", csv.to_str().unwrap());
    harness.get_by_label("Export events").click();
    step_until(&mut harness, "the export", |app| {
        app.session()
            .is_some_and(|s| s.audit().export.status == JobStatus::Done)
    });
    let store = Store::open(&store_path, None).unwrap();
    let mut expected = Vec::new();
    export_events(
        &store,
        BIG_ORDER,
        EventFormat::Csv,
        &mut expected,
        &mut |_, _| true,
    )
    .unwrap();
    assert_eq!(std::fs::read(&csv).unwrap(), expected);
    harness.get_by_label_contains("(200 events)");

    // The report: its hash is the file's, and the window says the file did not change.
    let report = dir.path().join("report.html");
    step_until(&mut harness, "the hash at open", |app| {
        app.session()
            .is_some_and(|s| s.audit().sha256_at_open.is_some())
    });
    replace_text(&mut harness, "Report file path", report.to_str().unwrap());
    harness.get_by_label("Write report").click();
    step_until(&mut harness, "the report", |app| {
        app.session()
            .is_some_and(|s| s.audit().report.status == JobStatus::Done)
    });
    let sha256sum = std::process::Command::new("sha256sum")
        .arg(&store_path)
        .output()
        .expect("sha256sum runs");
    let independent = String::from_utf8(sha256sum.stdout).unwrap();
    let independent = independent.split_whitespace().next().unwrap().to_owned();
    let outcome = harness
        .state()
        .session()
        .unwrap()
        .audit()
        .report
        .report
        .clone()
        .unwrap();
    assert_eq!(outcome.sha256_at_open, independent);
    assert_eq!(outcome.sha256_at_write, independent);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains(&format!("<code id=\"sha256-write\">{independent}</code>")));
    harness.get_by_label_contains("SHA-256 unchanged");
    assert_eq!(std::fs::read(&store_path).unwrap(), before);
}
