//! The audit jobs driven through a session on the samples: the same findings and hits as the core passes,
//! cancel, budgets, and exports and reports that never write over the store.

use std::time::Duration;

use super::*;
use crate::core::audit::search::search_all;
use crate::core::audit::verify::verify_all;
use crate::session::{Command, Session};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data")
        .join(name)
}

fn open(name: &str) -> Session {
    let mut session = Session::open(sample(name), OpenOptions::default(), Arc::new(|| {})).unwrap();
    assert!(session.wait_idle(Duration::from_secs(30)));
    session
}

fn run(session: &mut Session, command: AuditCommand) {
    session.apply(Command::Audit(command));
    assert!(session.audit.wait_idle(Duration::from_secs(30)));
}

#[test]
fn verify_streams_the_same_findings_as_the_core_pass() {
    let mut session = open("faults.sqlite");
    run(&mut session, AuditCommand::RunVerify);
    let store = Store::open(&sample("faults.sqlite"), None).unwrap();
    let (expected, _) = verify_all(&store, &VerifyOptions::new(None)).unwrap();
    assert_eq!(session.audit().verify.status, JobStatus::Done);
    assert_eq!(session.audit().verify.findings, expected);
    assert_eq!(expected.len(), 8);
    let summary = session.audit().verify.summary.as_ref().unwrap();
    assert_eq!(summary.events, 34);
}

#[test]
fn a_search_lists_the_same_hits_as_the_core_search_compactly() {
    let mut session = open("shop.sqlite");
    let query = SearchQuery {
        predicate: Some(".data.total > 100".to_owned()),
        ..SearchQuery::default()
    };
    run(&mut session, AuditCommand::Search(query.clone()));
    let store = Store::open(&sample("shop.sqlite"), None).unwrap();
    let (expected, _) = search_all(&store, &CompiledQuery::new(query).unwrap()).unwrap();
    let search = &session.audit().search;
    assert_eq!(search.status, JobStatus::Done);
    assert!(!expected.is_empty());
    assert_eq!(search.found, expected.len() as u64);
    let listed: Vec<(String, i64, i64, String)> = search
        .hits
        .iter()
        .map(|h| {
            (
                search.hits.stream(h).to_owned(),
                h.version,
                h.position,
                search.hits.event_type(h).to_owned(),
            )
        })
        .collect();
    let wanted: Vec<(String, i64, i64, String)> = expected
        .iter()
        .map(|h| {
            (
                h.stream.clone(),
                h.version,
                h.position,
                h.event_type.clone(),
            )
        })
        .collect();
    assert_eq!(listed, wanted);
}

#[test]
fn cancelling_a_search_stops_it_and_drops_late_hits() {
    let mut session = open("shop.sqlite");
    session.apply(Command::Audit(AuditCommand::Search(SearchQuery::default())));
    session.apply(Command::Audit(AuditCommand::CancelSearch));
    assert_eq!(session.audit().search.status, JobStatus::Cancelled);
    let listed = session.audit().search.hits.len();
    std::thread::sleep(Duration::from_millis(300));
    session.poll();
    assert_eq!(session.audit().search.status, JobStatus::Cancelled);
    assert_eq!(session.audit().search.hits.len(), listed);
}

#[test]
fn a_bad_predicate_fails_the_search_with_the_compiler_message() {
    let mut session = open("shop.sqlite");
    run(
        &mut session,
        AuditCommand::Search(SearchQuery {
            predicate: Some(".data.total >".to_owned()),
            ..SearchQuery::default()
        }),
    );
    let JobStatus::Failed(problem) = &session.audit().search.status else {
        panic!("{:?}", session.audit().search.status)
    };
    assert!(problem.message.contains("`.data.total >`"), "{problem}");
}

#[test]
fn the_sessions_jq_budget_bounds_the_search_predicate() {
    let mut session = open("shop.sqlite");
    session.apply(Command::SetJqBudget {
        steps: 2_000,
        timeout_ms: 600_000,
    });
    let endless = SearchQuery {
        predicate: Some("def f: f; f".to_owned()),
        ..SearchQuery::default()
    };
    run(&mut session, AuditCommand::Search(endless));
    let JobStatus::Failed(problem) = &session.audit().search.status else {
        panic!("{:?}", session.audit().search.status)
    };
    assert_eq!(
        problem.limit,
        Some(crate::core::replay::jq::Limit::Steps(2_000)),
        "{problem}"
    );
}

#[test]
fn opening_a_hit_selects_its_stream_at_its_version() {
    let mut session = open("shop.sqlite");
    let stream = "c3ba9975-1aa5-4e32-93c7-7b341e5d1c37".to_owned();
    session.apply(Command::OpenAt {
        stream: stream.clone(),
        version: 57,
    });
    assert!(session.wait_idle(Duration::from_secs(30)));
    assert_eq!(session.selected(), Some(stream.as_str()));
    assert_eq!(session.stream().map(|s| s.cursor), Some(56));
}

#[test]
fn exports_and_reports_never_write_over_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("faults.sqlite");
    std::fs::copy(sample("faults.sqlite"), &store).unwrap();
    let before = std::fs::read(&store).unwrap();
    let mut session =
        Session::open(store.clone(), OpenOptions::default(), Arc::new(|| {})).unwrap();
    assert!(session.wait_idle(Duration::from_secs(30)));
    run(
        &mut session,
        AuditCommand::ExportEvents {
            stream: "order-2".to_owned(),
            format: EventFormat::Csv,
            path: store.clone(),
        },
    );
    let JobStatus::Failed(problem) = &session.audit().export.status else {
        panic!("{:?}", session.audit().export.status)
    };
    assert!(problem.message.contains("never writes"), "{problem}");
    run(
        &mut session,
        AuditCommand::WriteReport {
            stream: "order-2".to_owned(),
            from: None,
            to: None,
            path: store.clone(),
        },
    );
    assert!(matches!(
        session.audit().report.status,
        JobStatus::Failed(_)
    ));
    assert_eq!(std::fs::read(&store).unwrap(), before);

    let report = dir.path().join("report.html");
    run(
        &mut session,
        AuditCommand::WriteReport {
            stream: "order-2".to_owned(),
            from: None,
            to: None,
            path: report.clone(),
        },
    );
    assert_eq!(session.audit().report.status, JobStatus::Done);
    let outcome = session.audit().report.report.clone().unwrap();
    assert!(outcome.unchanged());
    assert_eq!(outcome.sha256_at_open, sha256_file(&store).unwrap());
    assert!(report.exists());
}

#[test]
fn background_exports_refuse_a_hard_link_to_the_store_and_leave_nothing_when_they_fail() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("faults.sqlite");
    std::fs::copy(sample("faults.sqlite"), &store).unwrap();
    let link = dir.path().join("events.csv");
    std::fs::hard_link(&store, &link).unwrap();
    let before = std::fs::read(&store).unwrap();
    let names = || {
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let listed = names();
    let mut session =
        Session::open(store.clone(), OpenOptions::default(), Arc::new(|| {})).unwrap();
    assert!(session.wait_idle(Duration::from_secs(30)));
    let export = |stream: &str, path: &Path| AuditCommand::ExportEvents {
        stream: stream.to_owned(),
        format: EventFormat::Csv,
        path: path.to_owned(),
    };
    run(&mut session, export("order-2", &link));
    let JobStatus::Failed(problem) = &session.audit().export.status else {
        panic!("{:?}", session.audit().export.status)
    };
    assert!(problem.message.contains("hard link"), "{problem}");
    run(
        &mut session,
        AuditCommand::WriteReport {
            stream: "order-2".to_owned(),
            from: None,
            to: None,
            path: link.clone(),
        },
    );
    let JobStatus::Failed(problem) = &session.audit().report.status else {
        panic!("{:?}", session.audit().report.status)
    };
    assert!(problem.message.contains("hard link"), "{problem}");

    // The export fails after its file was opened: no file and no temporary file are left.
    run(
        &mut session,
        export("no-such-stream", &dir.path().join("new.csv")),
    );
    assert!(matches!(
        session.audit().export.status,
        JobStatus::Failed(_)
    ));
    assert_eq!(names(), listed);
    assert_eq!(std::fs::read(&store).unwrap(), before);
}
