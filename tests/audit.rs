//! The audit: `verify` on stores with injected faults reports exactly those faults and nothing else, every
//! bundled sample verifies clean or with exactly its known, real defects; `search` matches a brute-force scan
//! of `events --json`; exports round-trip; the report's hash matches an independent SHA-256 of the file.

use std::path::Path;

use eventscope::core::audit::search::{CompiledQuery, SearchQuery, search, search_all};
use eventscope::core::audit::verify::{
    Finding, FindingKind, Severity, VerifyOptions, verify, verify_all,
};
use eventscope::core::replay::reducers::JqReducer;
use eventscope::core::store::{OpenOptions, Store};
use serde_json::{Value, json};

use crate::common::{arg, cli_json, copy_sample_into, sample};

const FAULTS: &str = "faults.sqlite";
const EVENTSOURCING_REDUCERS: &str = "eventsourcing/reducers.json";
const CQRS_ES_REDUCERS: &str = "cqrs-es/reducers.json";
const CIPHER_KEY: &str = "S8cArIEQdqPOR2pFsRdf4XSmCXXNNo7E8gT/NL7WHGw=";

/// `(kind, stream, versions, positions)` of each finding, in the order reported.
type Brief = (String, Option<String>, Vec<i64>, Vec<i64>);

fn brief(finding: &Value) -> Brief {
    let ints = |v: &Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_i64().unwrap())
            .collect()
    };
    (
        finding["kind"].as_str().unwrap().to_owned(),
        finding["stream"].as_str().map(str::to_owned),
        ints(&finding["versions"]),
        ints(&finding["positions"]),
    )
}

fn verify_cli(file: &Path, extra: &[&str]) -> Vec<Brief> {
    let mut args = vec!["verify".to_owned(), arg(file), "--json".to_owned()];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    // Warnings on stderr (an encrypted store without a key, unused reducer keys) are fine here.
    let run = crate::common::run_cli(&args);
    assert!(run.success, "verify {args:?} failed: {}", run.stderr);
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(brief)
        .collect()
}

fn kinds(findings: &[Brief]) -> Vec<&str> {
    findings.iter().map(|f| f.0.as_str()).collect()
}

fn s(stream: &str) -> Option<String> {
    Some(stream.to_owned())
}

#[test]
fn the_faults_sample_reports_exactly_its_injected_faults() {
    let findings = verify_cli(&sample(FAULTS), &[]);
    let expected: Vec<Brief> = vec![
        ("position_gap".into(), None, vec![], vec![30, 34]),
        ("version_gap".into(), s("order-2"), vec![3, 4], vec![19, 20]),
        (
            "duplicate_version".into(),
            s("order-3"),
            vec![2],
            vec![22, 23],
        ),
        (
            "version_order".into(),
            s("order-4"),
            vec![2, 3],
            vec![26, 25],
        ),
        (
            "time_reversal".into(),
            s("order-5"),
            vec![2, 3],
            vec![27, 28],
        ),
        ("future_time".into(), s("order-6"), vec![4], vec![34]),
        (
            "undecodable_payload".into(),
            s("order-7"),
            vec![2],
            vec![35],
        ),
        ("schema_drift".into(), s("customer-4"), vec![1], vec![4]),
    ];
    assert_eq!(findings, expected);
}

#[test]
fn the_faults_findings_say_what_is_wrong_with_a_severity() {
    let out = cli_json(["verify", &arg(&sample(FAULTS)), "--json"]);
    let findings = out["findings"].as_array().unwrap();
    let drift = findings
        .iter()
        .find(|f| f["kind"] == "schema_drift")
        .unwrap();
    let message = drift["message"].as_str().unwrap();
    assert!(
        message.contains("added email_address") && message.contains("removed email"),
        "{message}"
    );
    assert_eq!(drift["severity"], "warning");
    let undecodable = findings
        .iter()
        .find(|f| f["kind"] == "undecodable_payload")
        .unwrap();
    assert!(
        undecodable["message"]
            .as_str()
            .unwrap()
            .contains("not JSON")
    );
    assert_eq!(undecodable["severity"], "error");
    assert_eq!(out["summary"]["events"], 34);
    assert_eq!(out["summary"]["streams"], 13);
    assert_eq!(out["summary"]["cancelled"], false);
}

#[test]
fn the_hand_made_and_library_samples_without_snapshots_verify_clean() {
    for name in [
        "shop.sqlite",
        "order_history.sqlite",
        "person_registry.sqlite",
        "emmett.sqlite",
        "cqrs-es.sqlite",
    ] {
        assert_eq!(
            verify_cli(&sample(name), &[]),
            Vec::<Brief>::new(),
            "{name}"
        );
    }
}

#[test]
fn the_single_log_reports_its_three_deliberately_undecodable_payloads() {
    // The NULL payload (id 256) is JSON null, not undecodable.
    let findings = verify_cli(&sample("single_log.sqlite"), &[]);
    assert_eq!(
        findings,
        [42, 137, 211]
            .map(|p| (
                "undecodable_payload".to_owned(),
                s("event_log"),
                vec![p],
                vec![p]
            ))
            .to_vec()
    );
}

#[test]
fn eventsourcing_snapshots_agree_with_its_reducers_except_the_legacy_bookkeeping() {
    let reducers = arg(&sample(EVENTSOURCING_REDUCERS));
    for name in [
        "eventsourcing-sqlalchemy.sqlite",
        "eventsourcing-compressed.sqlite",
    ] {
        assert_eq!(
            verify_cli(&sample(name), &["--reducers", &reducers]),
            Vec::<Brief>::new(),
            "{name}"
        );
    }
    for name in [
        "eventsourcing-encrypted.sqlite",
        "eventsourcing-encrypted-compressed.sqlite",
    ] {
        assert_eq!(
            verify_cli(
                &sample(name),
                &["--reducers", &reducers, "--cipher-key", CIPHER_KEY]
            ),
            Vec::<Brief>::new(),
            "{name}"
        );
    }
    // LegacyAccount is a `BaseAggregate[str]`, for which the library keeps `_id`, `_version` and
    // `_pending_events` in its snapshots (sample-data/eventsourcing/README.md); the reducer file models the
    // account, not that bookkeeping, so those snapshots really do differ from the replay.
    let findings = verify_cli(
        &sample("eventsourcing-bank.sqlite"),
        &["--reducers", &reducers],
    );
    let expected: Vec<Brief> = [
        ("legacy-acct-0001", 5),
        ("legacy-acct-0001", 10),
        ("legacy-acct-0002", 5),
        ("legacy-acct-0002", 10),
        ("legacy-acct-0002", 15),
    ]
    .map(|(stream, v)| ("snapshot_mismatch".to_owned(), s(stream), vec![v], vec![]))
    .to_vec();
    assert_eq!(findings, expected);
}

#[test]
fn without_a_key_or_reducers_the_unchecked_parts_are_said_once() {
    let findings = verify_cli(&sample("eventsourcing-encrypted.sqlite"), &[]);
    assert_eq!(kinds(&findings), ["payloads_unchecked"]);
    let findings = verify_cli(&sample("eventsourcing-bank.sqlite"), &[]);
    assert_eq!(kinds(&findings), ["snapshots_unchecked"]);
}

#[test]
fn the_cqrs_es_double_apply_bug_is_found_as_snapshot_mismatches() {
    // cqrs-es 0.5.0 applies a command's events a second time when it writes a snapshot
    // (sample-data/cqrs-es/README.md): every snapshot of an account that saw transactions disagrees.
    let findings = verify_cli(
        &sample("cqrs-es-snapshots.sqlite"),
        &["--reducers", &arg(&sample(CQRS_ES_REDUCERS))],
    );
    let expected: Vec<Brief> = [
        ("BankAccount/7f1c2a9e-3b4d-4e8a-9c1f-0a2b3c4d5e6f", 12),
        ("BankAccount/b2e4d6f8-1a3c-4b5d-8e7f-9a0b1c2d3e4f", 9),
        ("BankAccount/c0ffee00-5eed-4bad-a11e-d00d00000042", 9),
        ("BankAccount/ACME-0001", 12),
        ("Customer/cust-alice", 6),
    ]
    .map(|(stream, v)| ("snapshot_mismatch".to_owned(), s(stream), vec![v], vec![]))
    .to_vec();
    assert_eq!(findings, expected);
}

#[test]
fn event_sourcery_outboxes_show_the_dead_entry_and_the_pending_ones() {
    // The SQLAlchemy sample's outbox keeps 17 unpublished entries; the one at position 56 has no tries left
    // (sample-data/event-sourcery/README.md). Its snapshots are unchecked: there is no reducer file for it.
    let findings = verify_cli(&sample("event-sourcery-sqlalchemy.sqlite"), &[]);
    assert_eq!(
        findings,
        vec![
            ("snapshots_unchecked".to_owned(), None, vec![], vec![]),
            (
                "outbox_stuck".to_owned(),
                s("order/770360b1-5061-4304-86aa-236d1a4c3d2e"),
                vec![3],
                vec![56]
            ),
            ("outbox_pending".to_owned(), None, vec![], vec![57, 88]),
        ]
    );
    let findings = verify_cli(&sample("event-sourcery-django.sqlite"), &[]);
    assert_eq!(
        findings,
        vec![
            ("snapshots_unchecked".to_owned(), None, vec![], vec![]),
            ("outbox_pending".to_owned(), None, vec![], vec![21, 40]),
        ]
    );
}

#[test]
fn events_whose_stream_row_is_missing_are_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_sample_into(dir.path(), "event-sourcery-sqlalchemy.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO event_sourcery_events (id, version, uuid, name, data, event_context, created_at, db_stream_id)
         VALUES (500, 1, 'aa', 'X', '{}', '{}', '2025-03-14 10:00:00', 999),
                (501, 2, 'ab', 'X', '{}', '{}', '2025-03-14 10:01:00', 999);",
    )
    .unwrap();
    drop(conn);
    let findings = verify_cli(&path, &[]);
    let orphans: Vec<&Brief> = findings.iter().filter(|f| f.0 == "orphan_event").collect();
    assert_eq!(
        orphans,
        [&("orphan_event".to_owned(), None, vec![], vec![500, 501])]
    );
    // Invisible to every other view, so the rest is unchanged (the new ids leave a position gap).
    let rest: Vec<&str> = kinds(&findings)
        .into_iter()
        .filter(|k| *k != "orphan_event")
        .collect();
    assert_eq!(
        rest,
        ["snapshots_unchecked", "outbox_stuck", "outbox_pending"]
    );
}

fn store_from(sql: &str, mapping: Option<Value>) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(sql).unwrap();
    drop(conn);
    let mappings = mapping.map(|m| vec![serde_json::from_value(m).unwrap()]);
    let store = Store::open_with(
        &path,
        OpenOptions {
            mappings,
            ..OpenOptions::default()
        },
    )
    .unwrap();
    (dir, store)
}

#[test]
fn duplicate_positions_are_found_when_the_position_is_a_plain_column() {
    let (_dir, store) = store_from(
        "CREATE TABLE log(seq INTEGER, stream_id TEXT, version INTEGER, type TEXT, data TEXT);
         INSERT INTO log VALUES (1, 'a', 1, 'T', '{}'), (2, 'a', 2, 'T', '{}'), (2, 'b', 1, 'T', '{}'),
                                (3, 'b', 2, 'T', '{}');",
        Some(json!({
            "table": "log", "position": {"column": "seq"}, "stream": {"column": "stream_id"},
            "version": {"column": "version"}, "type": {"column": "type"}, "data": "data"
        })),
    );
    let (findings, _) = verify_all(&store, &VerifyOptions::new(None)).unwrap();
    assert_eq!(
        findings
            .iter()
            .map(|f| (f.kind, f.positions.clone()))
            .collect::<Vec<_>>(),
        [(FindingKind::DuplicatePosition, vec![2])]
    );
}

#[test]
fn a_stream_that_starts_after_version_one_has_a_gap_at_its_start() {
    let (_dir, store) = store_from(
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT);
         INSERT INTO events(stream_id, version, type, data) VALUES ('a', 0, 'T', '{}'), ('a', 1, 'T', '{}'),
           ('b', 4, 'T', '{}'), ('b', 5, 'T', '{}');",
        None,
    );
    let (findings, _) = verify_all(&store, &VerifyOptions::new(None)).unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].kind, FindingKind::VersionGap);
    assert_eq!(findings[0].stream.as_deref(), Some("b"));
    assert_eq!(findings[0].versions, [1, 3]);
}

#[test]
fn a_lying_snapshot_is_a_mismatch_with_the_reducers_in_force() {
    let (_dir, store) = store_from(
        "CREATE TABLE stored_events(originator_id TEXT, originator_version INTEGER, topic TEXT, state TEXT,
            PRIMARY KEY (originator_id, originator_version));
         CREATE TABLE stored_snapshots(originator_id TEXT, originator_version INTEGER, topic TEXT, state TEXT,
            PRIMARY KEY (originator_id, originator_version));
         INSERT INTO stored_events VALUES
           ('acct', 1, 'bank:Account.Deposited', '{\"amount\": 5, \"timestamp\": \"2024-01-01T00:00:00Z\"}'),
           ('acct', 2, 'bank:Account.Deposited', '{\"amount\": 7, \"timestamp\": \"2024-01-01T00:01:00Z\"}');
         INSERT INTO stored_snapshots VALUES
           ('acct', 1, 'bank:Account.Snapshot', '{\"state\": {\"n\": 5}}'),
           ('acct', 2, 'bank:Account.Snapshot', '{\"state\": {\"n\": 99}}');",
        None,
    );
    let counter = JqReducer::from_json(
        r#"{"initial": {"n": 0}, "reducers": {"Deposited": ".n += $event.data.amount"}}"#,
    )
    .unwrap();
    let (findings, _) = verify_all(&store, &VerifyOptions::new(Some(&counter))).unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].kind, FindingKind::SnapshotMismatch);
    assert_eq!(findings[0].versions, [2]);
    assert!(
        findings[0].message.contains("/n: 12 -> 99"),
        "{}",
        findings[0].message
    );
}

#[test]
fn findings_beyond_the_limit_per_kind_are_counted_in_one_closing_finding() {
    let store = Store::open(&sample("single_log.sqlite"), None).unwrap();
    let options = VerifyOptions {
        max_per_kind: 1,
        ..VerifyOptions::new(None)
    };
    let (findings, summary) = verify_all(&store, &options).unwrap();
    assert_eq!(findings.len(), 2);
    assert_eq!(findings[0].positions, [42]);
    assert_eq!(findings[1].kind, FindingKind::UndecodablePayload);
    assert_eq!(findings[1].severity, Severity::Error);
    assert!(
        findings[1].message.starts_with("2 more"),
        "{}",
        findings[1].message
    );
    assert_eq!(summary.not_listed[&FindingKind::UndecodablePayload], 2);
}

#[test]
fn cancelling_stops_the_pass_and_says_so() {
    let store = Store::open(&sample("event-sourcery-sqlalchemy.sqlite"), None).unwrap();
    let mut found: Vec<Finding> = Vec::new();
    let mut calls = 0;
    let summary = verify(
        &store,
        &VerifyOptions::new(None),
        &mut |_| {
            calls += 1;
            false
        },
        &mut |f| found.push(f),
    )
    .unwrap();
    assert!(summary.cancelled);
    assert_eq!(calls, 1);
    assert!(found.iter().all(|f| f.kind != FindingKind::OutboxPending));
}

#[test]
fn verify_fails_only_when_asked_to() {
    let out = crate::common::run_cli(["verify", &arg(&sample(FAULTS))]);
    assert!(out.success, "{}", out.stderr);
    assert!(out.stdout.contains("8 findings"), "{}", out.stdout);
    let out = crate::common::run_cli(["verify", &arg(&sample(FAULTS)), "--fail-on", "error"]);
    assert!(!out.success);
    assert!(
        out.stderr.contains("4 findings of severity error"),
        "{}",
        out.stderr
    );
    let out = crate::common::run_cli(["verify", &arg(&sample("shop.sqlite")), "--fail-on", "info"]);
    assert!(out.success, "{}", out.stderr);
}

/// Every event of a store, read through `streams --json` and `events --json`, in position order.
fn all_events_by_cli(file: &Path) -> Vec<Value> {
    let streams = cli_json(["streams", &arg(file)]);
    let mut events: Vec<Value> = Vec::new();
    for stream in streams.as_array().unwrap() {
        let id = stream["id"].as_str().unwrap();
        let out = cli_json(["events", &arg(file), id]);
        events.extend(out.as_array().unwrap().iter().cloned());
    }
    events.sort_by_key(|e| e["position"].as_i64().unwrap());
    events
}

fn search_cli(file: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search".to_owned(), arg(file), "--json".to_owned()];
    all.extend(args.iter().map(|s| (*s).to_owned()));
    cli_json(&all).as_array().unwrap().clone()
}

fn time_of(event: &Value) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(event["time"].as_str().unwrap())
        .unwrap()
        .to_utc()
}

#[test]
fn search_results_match_a_brute_force_scan_of_events_json() {
    let file = sample("shop.sqlite");
    let all = all_events_by_cli(&file);
    assert_eq!(all.len(), 2390);
    let brute = |keep: &dyn Fn(&Value) -> bool| -> Vec<Value> {
        all.iter().filter(|e| keep(e)).cloned().collect()
    };

    let found = search_cli(
        &file,
        &["--where", ".data.total > 500 and .type != \"OrderCreated\""],
    );
    let expected = brute(&|e| {
        e["data"]["total"].as_f64().is_some_and(|t| t > 500.0) && e["type"] != "OrderCreated"
    });
    assert!(!expected.is_empty());
    assert_eq!(found, expected);

    let (from, to) = ("2024-03-01T00:00:00Z", "2024-03-31T23:59:59Z");
    let found = search_cli(&file, &["--type", "LineAdded", "--from", from, "--to", to]);
    let (from_t, to_t) = (
        chrono::DateTime::parse_from_rfc3339(from).unwrap(),
        chrono::DateTime::parse_from_rfc3339(to).unwrap(),
    );
    let expected =
        brute(&|e| e["type"] == "LineAdded" && time_of(e) >= from_t && time_of(e) <= to_t);
    assert!(!expected.is_empty());
    assert_eq!(found, expected);

    let found = search_cli(
        &file,
        &[
            "--text",
            "GLS",
            "--type",
            "OrderShipped",
            "--type",
            "StatusChanged",
        ],
    );
    let expected = brute(&|e| {
        (e["type"] == "OrderShipped" || e["type"] == "StatusChanged")
            && e["data"].to_string().to_lowercase().contains("gls")
    });
    assert!(!expected.is_empty());
    assert_eq!(found, expected);
}

#[test]
fn types_match_after_the_topic_and_versionless_hits_carry_their_ordinal() {
    let file = sample("eventsourcing-bank.sqlite");
    let found = search_cli(&file, &["--type", "Deposited"]);
    let expected: Vec<Value> = all_events_by_cli(&file)
        .into_iter()
        .filter(|e| e["type"].as_str().unwrap().ends_with(".Deposited"))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(found, expected);

    // Event Sourcery's activity log has no versions: a hit names the event by its ordinal in the stream.
    let store = Store::open(&sample("event-sourcery-sqlalchemy.sqlite"), None).unwrap();
    let query = CompiledQuery::new(SearchQuery::default()).unwrap();
    let (hits, summary) = search_all(&store, &query).unwrap();
    assert_eq!(summary.hits, 92);
    for stream in store.streams().unwrap() {
        let events = store.events(&stream.id).unwrap();
        let mine: Vec<(i64, i64)> = hits
            .iter()
            .filter(|h| h.stream == stream.id)
            .map(|h| (h.position, h.version))
            .collect();
        let expected: Vec<(i64, i64)> = events
            .iter()
            .enumerate()
            .map(|(i, e)| (e.position, eventscope::core::model::effective_version(e, i)))
            .collect();
        let mut mine_sorted = mine.clone();
        mine_sorted.sort_by_key(|(_, v)| *v);
        assert_eq!(mine_sorted, expected, "{}", stream.id);
    }
}

#[test]
fn a_bad_predicate_is_refused_naming_it() {
    let err = crate::common::cli_error([
        "search",
        &arg(&sample("shop.sqlite")),
        "--where",
        ".data.total >",
    ]);
    assert!(err.contains("`.data.total >`"), "{err}");
}

#[test]
fn a_search_can_be_cancelled() {
    let store = Store::open(&sample("shop.sqlite"), None).unwrap();
    let query = CompiledQuery::new(SearchQuery::default()).unwrap();
    let mut hits = 0;
    let summary = search(&store, &query, &mut |_| false, &mut |_| hits += 1).unwrap();
    assert!(summary.cancelled);
    assert!(summary.scanned < 2390 && hits == summary.hits);
}

/// An RFC 4180 reader written here, independently of the exporter: rows of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(field.is_empty() && row.is_empty(), "the CSV ends with CRLF");
    rows
}

fn export_text(args: &[&str]) -> String {
    let out = crate::common::run_cli(args);
    assert!(out.success, "export {args:?} failed: {}", out.stderr);
    out.stdout
}

#[test]
fn csv_and_json_lines_exports_round_trip_to_events_json() {
    for (name, stream) in [
        ("shop.sqlite", crate::common::BIG_ORDER),
        ("faults.sqlite", "order-7"),
        (
            "event-sourcery-sqlalchemy.sqlite",
            "1572aa85-10f6-5b19-950b-7ba8679caef7",
        ),
        ("cqrs-es.sqlite", "BankAccount/ACME-0001"),
        ("single_log.sqlite", "event_log"),
    ] {
        let file = arg(&sample(name));
        let events = cli_json(["events", &file, stream]);
        let events = events.as_array().unwrap();
        assert!(!events.is_empty(), "{name}");

        let jsonl = export_text(&["export", "events", &file, stream, "--format", "jsonl"]);
        let parsed: Vec<Value> = jsonl
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(&parsed, events, "{name} jsonl");

        let csv = export_text(&["export", "events", &file, stream, "--format", "csv"]);
        let rows = parse_csv(&csv);
        assert_eq!(
            rows[0],
            [
                "stream",
                "position",
                "version",
                "time",
                "stored_time",
                "type",
                "data",
                "metadata"
            ]
        );
        assert_eq!(rows.len() - 1, events.len(), "{name} csv rows");
        for (row, event) in rows[1..].iter().zip(events) {
            let number = |s: &str| {
                if s.is_empty() {
                    Value::Null
                } else {
                    json!(s.parse::<i64>().unwrap())
                }
            };
            let text = |s: &str| if s.is_empty() { Value::Null } else { json!(s) };
            let json_cell = |s: &str| {
                if s.is_empty() {
                    Value::Null
                } else {
                    serde_json::from_str(s).unwrap()
                }
            };
            assert_eq!(row[0], event["stream"].as_str().unwrap(), "{name}");
            assert_eq!(number(&row[1]), event["position"], "{name}");
            assert_eq!(number(&row[2]), event["version"], "{name}");
            assert_eq!(text(&row[3]), event["time"], "{name}");
            assert_eq!(
                text(&row[4]),
                event.get("stored_time").cloned().unwrap_or(Value::Null),
                "{name}"
            );
            assert_eq!(row[5], event["type"].as_str().unwrap(), "{name}");
            assert_eq!(json_cell(&row[6]), event["data"], "{name}");
            assert_eq!(json_cell(&row[7]), event["metadata"], "{name}");
        }
    }
}

#[test]
fn findings_exports_round_trip_to_verify_json() {
    let file = arg(&sample(FAULTS));
    let verified = cli_json(["verify", &file, "--json"]);
    let findings = verified["findings"].as_array().unwrap();
    let json_export: Value =
        serde_json::from_str(&export_text(&["export", "findings", &file])).unwrap();
    assert_eq!(json_export.as_array().unwrap(), findings);
    let rows = parse_csv(&export_text(&[
        "export", "findings", &file, "--format", "csv",
    ]));
    assert_eq!(
        rows[0],
        [
            "kind",
            "severity",
            "stream",
            "versions",
            "positions",
            "message"
        ]
    );
    let back: Vec<Value> = rows[1..]
        .iter()
        .map(|r| {
            let ints = |s: &str| -> Vec<i64> {
                s.split_whitespace().map(|n| n.parse().unwrap()).collect()
            };
            json!({
                "kind": r[0], "severity": r[1],
                "stream": if r[2].is_empty() { Value::Null } else { json!(r[2]) },
                "versions": ints(&r[3]), "positions": ints(&r[4]), "message": r[5],
            })
        })
        .collect();
    assert_eq!(&back, findings);
}

#[test]
fn the_exported_diff_turns_one_exported_state_into_the_other() {
    let file = arg(&sample("shop.sqlite"));
    let stream = crate::common::BIG_ORDER;
    let state = |at: &str| -> Value {
        serde_json::from_str(&export_text(&[
            "export", "state", &file, stream, "--at", at,
        ]))
        .unwrap()
    };
    let (a, b) = (state("17"), state("150"));
    assert_eq!(b, cli_json(["state", &file, stream, "--at", "150"]));
    let patch: json_patch::Patch = serde_json::from_str(&export_text(&[
        "export", "diff", &file, stream, "17", "150",
    ]))
    .unwrap();
    let mut doc = a;
    json_patch::patch(&mut doc, &patch).unwrap();
    assert_eq!(doc, b);
}

#[test]
fn an_export_can_go_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("events.jsonl");
    let file = arg(&sample(FAULTS));
    let printed = export_text(&["export", "events", &file, "order-1"]);
    let out = crate::common::run_cli(["export", "events", &file, "order-1", "-o", &arg(&target)]);
    assert!(out.success && out.stdout.is_empty(), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), printed);
}

fn write_report(file: &Path, output: &Path, extra: &[&str]) {
    let mut args = vec!["report".to_owned(), arg(file), "-o".to_owned(), arg(output)];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let out = crate::common::run_cli(&args);
    assert!(out.success, "report failed: {}", out.stderr);
}

/// The report without its analysis time, the only part allowed to differ between runs.
fn without_analysis_time(html: &str) -> String {
    let start = html.find("<time id=\"analysis-time\">").unwrap();
    let end = start + html[start..].find("</time>").unwrap();
    format!("{}{}", &html[..start], &html[end..])
}

#[test]
fn the_reports_hash_matches_an_independent_sha256_and_reruns_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample("cqrs-es-snapshots.sqlite");
    let reducers = arg(&sample(CQRS_ES_REDUCERS));
    let extra = [
        "BankAccount/ACME-0001",
        "--from",
        "3",
        "--to",
        "8",
        "--reducers",
        reducers.as_str(),
    ];
    let (first, second) = (dir.path().join("a.html"), dir.path().join("b.html"));
    write_report(&file, &first, &extra);
    std::thread::sleep(std::time::Duration::from_millis(5));
    write_report(&file, &second, &extra);
    let html = std::fs::read_to_string(&first).unwrap();

    let sha256sum = std::process::Command::new("sha256sum")
        .arg(&file)
        .output()
        .expect("sha256sum runs");
    let independent = String::from_utf8(sha256sum.stdout).unwrap();
    let independent = independent.split_whitespace().next().unwrap();
    assert!(html.contains(&format!("<code id=\"sha256-open\">{independent}</code>")));
    assert!(html.contains(&format!("<code id=\"sha256-write\">{independent}</code>")));
    assert!(html.contains("opened read-only") && html.contains("class=\"ok\""));
    assert!(!html.contains("class=\"alarm\""));
    assert_eq!(
        without_analysis_time(&html),
        without_analysis_time(&std::fs::read_to_string(&second).unwrap())
    );
    // The range, the reducers, the states and the findings of the stream are recorded.
    assert!(
        html.contains("Reported</dt><dd>6 events, versions 3 to 8"),
        "range"
    );
    assert!(
        html.contains(&eventscope::core::audit::report::sha256_bytes(
            std::fs::read(sample(CQRS_ES_REDUCERS)).unwrap().as_slice()
        ))
    );
    assert!(html.contains("cqrs-es (sqlite-es; no global position"));
    assert!(
        html.contains("snapshot_mismatch"),
        "the double-applied snapshot"
    );
    assert!(!html.contains("<script"));
}

#[test]
fn store_text_in_the_report_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("xss.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT);
         INSERT INTO events(stream_id, version, type, data) VALUES
           ('s', 1, '<script>alert(1)</script>', '{\"note\": \"</pre><img src=x onerror=alert(1)>\"}');",
    )
    .unwrap();
    drop(conn);
    let output = dir.path().join("r.html");
    write_report(&path, &output, &["s"]);
    let html = std::fs::read_to_string(&output).unwrap();
    assert!(!html.contains("<script>") && !html.contains("<img"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn a_report_range_that_ends_before_it_starts_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let message = crate::common::cli_error([
        "report",
        &crate::common::arg(&crate::common::sample("shop.sqlite")),
        "c3ba9975-1aa5-4e32-93c7-7b341e5d1c37",
        "--from",
        "50",
        "--to",
        "10",
        "-o",
        &crate::common::arg(&out),
    ]);
    assert!(message.contains("range is empty"), "{message}");
    assert!(!out.exists());
}

/// Issue 11: verify keeps one stream's state at a time when the scan reads each stream in one run, and a
/// state per stream when it may not (a UUID stored as text and as a blob is one stream read in two runs).
/// Both give every finding, and count each stream once.
#[test]
fn verify_finds_every_gap_whether_or_not_each_stream_is_read_in_one_run() {
    let schema = "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id, version INTEGER, type TEXT, data TEXT);
         CREATE INDEX events_stream ON events(stream_id, version);
         INSERT INTO events(stream_id, version, type, data) VALUES
           ('b', 1, 'T', '{}'), ('b', 3, 'T', '{}'), ('c', 2, 'T', '{}'),
           ('0f8fad5b-d9cb-469f-a165-70867728950e', 2, 'T', '{}'),";
    let uuid = || s("0f8fad5b-d9cb-469f-a165-70867728950e");
    for (last_row, together) in [
        (
            "('0f8fad5b-d9cb-469f-a165-70867728950e', 4, 'T', '{}');",
            true,
        ),
        // Text sorts before blobs: the blob's event comes after stream c, and still belongs to the UUID.
        (
            "(x'0f8fad5bd9cb469fa16570867728950e', 4, 'T', '{}');",
            false,
        ),
    ] {
        let (_dir, store) = store_from(&format!("{schema}{last_row}"), None);
        assert_eq!(store.scan_keeps_streams_together().unwrap(), together);
        let (findings, summary) = verify_all(&store, &VerifyOptions::new(None)).unwrap();
        assert_eq!(summary.streams, 3, "together: {together}");
        let mut found: Vec<(FindingKind, Option<String>, Vec<i64>)> = findings
            .into_iter()
            .map(|f| (f.kind, f.stream, f.versions))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                (FindingKind::VersionGap, uuid(), vec![1]),
                (FindingKind::VersionGap, uuid(), vec![3]),
                (FindingKind::VersionGap, s("b"), vec![2]),
                (FindingKind::VersionGap, s("c"), vec![1]),
            ],
            "together: {together}"
        );
    }
}
