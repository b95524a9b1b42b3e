//! Payloads and times that cannot be read stay visible and never take the store down: a decompression bomb
//! (1 MB stored, 1 GiB inflated) is shown undecodable with the cap and its stored size while memory stays
//! bounded and every other event reads; a stored time in an unknown format or out of range is shown as
//! stored, reported by `verify`, and never turned into a date.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use eventscope::core::audit::verify::{FindingKind, VerifyOptions, verify_all};
use eventscope::core::model::Payload;
use eventscope::core::store::{OpenOptions, Store};
use rusqlite::types::Value as SqlValue;
use serde_json::{Value, json};

use crate::common::{CliOutput, arg, cli_json};

/// What a bomb inflates to.
const BOMB_INFLATED_BYTES: u64 = 1024 * 1024 * 1024;

/// The address space a CLI run over a bomb may use, in MiB: the decoded-payload cap (64 MiB) a few times
/// over plus the program itself, far below the gigabyte a bomb inflates to.
const BOUNDED_MIB: u64 = 768;

/// A JSON object holding 1 GiB of zeros (`{"pad": "000…"}`) compressed with zlib (about 1 MB), written
/// through a streaming encoder so the test never holds the gigabyte itself. Valid JSON, so that without a cap
/// `es_json` would hand SQLite the whole gigabyte. Made once for every test.
fn zlib_bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(br#"{"pad": ""#).unwrap();
        let zeros = vec![b'0'; 1024 * 1024];
        for _ in 0..BOMB_INFLATED_BYTES / 1024 / 1024 {
            encoder.write_all(&zeros).unwrap();
        }
        encoder.write_all(br#""}"#).unwrap();
        let bomb = encoder.finish().unwrap();
        assert!(bomb.len() < 2 * 1024 * 1024, "{} bytes", bomb.len());
        bomb
    })
}

fn zlib(value: &Value) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(value.to_string().as_bytes()).unwrap();
    encoder.finish().unwrap()
}

/// Run `eventscope` with its address space limited to [`BOUNDED_MIB`] (`ulimit -v`): an allocation past it
/// fails and the run dies, so a run that succeeds stayed within it.
fn run_cli_bounded(args: &[String]) -> CliOutput {
    let output = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v "$0" && exec "$@""#)
        .arg((BOUNDED_MIB * 1024).to_string())
        .arg(env!("CARGO_BIN_EXE_eventscope"))
        .args(args)
        .output()
        .expect("sh runs");
    CliOutput {
        success: output.status.success(),
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Like [`crate::common::cli_json`], within bounded memory.
fn cli_json_bounded(args: &[&str]) -> Value {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let out = run_cli_bounded(&args);
    assert!(
        out.success,
        "eventscope {args:?} failed within {BOUNDED_MIB} MiB ({:?}): {}",
        out.code, out.stderr
    );
    assert_eq!(out.stderr, "", "eventscope {args:?} wrote to stderr");
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("eventscope {args:?}: {e}"))
}

/// A store built by `sql`, then `rows` inserted with `insert` (one parameter list per row).
fn build_store(dir: &Path, sql: &str, insert: &str, rows: Vec<Vec<SqlValue>>) -> PathBuf {
    let path = dir.join("store.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(sql).unwrap();
    for row in rows {
        conn.execute(insert, rusqlite::params_from_iter(row))
            .unwrap();
    }
    path
}

/// A `stored_events` row of an eventsourcing `Deposited` event.
fn deposited_row(stream: &str, version: i64, state: SqlValue) -> Vec<SqlValue> {
    vec![
        SqlValue::Text(stream.to_owned()),
        SqlValue::Integer(version),
        SqlValue::Text("bank:Account.Deposited".to_owned()),
        state,
    ]
}

/// An `eventsourcing` store (its SQLite module) with compressed payloads whose very first row (the one
/// detection samples), version 1 of `acct-2`, is a bomb.
fn eventsourcing_store_with_a_bomb(dir: &Path) -> PathBuf {
    let state = |amount: i64, minute: u32| {
        SqlValue::Blob(zlib(&json!({
            "timestamp": {"_type_": "datetime_iso", "_data_": format!("2024-03-14T14:{minute:02}:00+00:00")},
            "originator_topic": "bank:Account",
            "amount": amount,
        })))
    };
    let row = deposited_row;
    build_store(
        dir,
        "CREATE TABLE stored_events(originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB,
            PRIMARY KEY (originator_id, originator_version));",
        "INSERT INTO stored_events VALUES (?1, ?2, ?3, ?4)",
        vec![
            row("acct-2", 1, SqlValue::Blob(zlib_bomb().to_vec())),
            row("acct-1", 1, state(5, 1)),
            row("acct-1", 2, state(7, 2)),
            row("acct-2", 2, state(11, 3)),
            row("acct-2", 3, state(13, 4)),
        ],
    )
}

/// The `$undecodable` object of a bomb's payload, checked to name the cap and the stored size.
fn assert_undecodable_bomb(data: &Value) {
    let undecodable = &data["$undecodable"];
    let reason = undecodable["reason"].as_str().unwrap_or_default();
    let stored = zlib_bomb().len();
    assert!(reason.contains("64 MiB limit"), "{reason}");
    assert!(
        reason.contains(&format!("({stored} bytes stored)")),
        "{reason}"
    );
    assert_eq!(undecodable["len"], stored);
}

#[test]
fn a_zlib_bomb_in_an_eventsourcing_store_is_undecodable_and_every_other_event_reads() {
    let dir = tempfile::tempdir().unwrap();
    let file = arg(&eventsourcing_store_with_a_bomb(dir.path()));

    let streams = cli_json_bounded(&["streams", &file, "--json"]);
    let ids: Vec<&str> = streams
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["acct-1", "acct-2"]);
    assert_eq!(streams[1]["events"], 3);

    let events = cli_json_bounded(&["events", &file, "acct-2", "--json"]);
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert_undecodable_bomb(&events[0]["data"]);
    assert_eq!(events[1]["data"]["amount"], 11);
    assert_eq!(events[1]["time"], "2024-03-14T14:03:00Z");
    assert_eq!(events[2]["data"]["amount"], 13);

    let state = cli_json_bounded(&["state", &file, "acct-1", "--json"]);
    assert_eq!(state["amount"], 7, "{state}");

    let verify = cli_json_bounded(&["verify", &file, "--json"]);
    let findings = verify["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["kind"], "undecodable_payload");
    assert_eq!(findings[0]["versions"], json!([1]));
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("64 MiB limit"),
        "{findings:?}"
    );

    let hits = cli_json_bounded(&["search", &file, "--where", ".data.amount > 6", "--json"]);
    let amounts: Vec<&Value> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["data"]["amount"])
        .collect();
    assert_eq!(amounts, [&json!(7), &json!(11), &json!(13)]);
}

#[test]
fn zlib_bombs_in_a_hand_rolled_table_are_undecodable_and_every_other_event_reads() {
    let dir = tempfile::tempdir().unwrap();
    let row = |stream: &str, version: i64, data: Vec<u8>| {
        vec![
            SqlValue::Text(stream.to_owned()),
            SqlValue::Integer(version),
            SqlValue::Text("Noted".to_owned()),
            SqlValue::Blob(data),
            SqlValue::Text(format!("2024-03-14 14:3{version}:00")),
        ]
    };
    let note = |n: i64| zlib(&json!({"note": n}));
    let path = build_store(
        dir.path(),
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data BLOB,
            created_at TEXT);",
        "INSERT INTO events(stream_id, version, type, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        vec![
            row("a", 1, zlib_bomb().to_vec()),
            row("a", 2, note(2)),
            row("b", 1, note(1)),
            row("b", 2, zlib_bomb().to_vec()),
            row("b", 3, zlib_bomb().to_vec()),
            row("b", 4, note(4)),
        ],
    );

    let store = Store::open(&path, None).unwrap();
    let b = store.events("b").unwrap();
    assert_eq!(b[0].data, Payload::Json(json!({"note": 1})));
    assert!(matches!(&b[1].data, Payload::Raw { bytes, .. } if bytes == zlib_bomb()));
    assert_eq!(b[3].data, Payload::Json(json!({"note": 4})));
    let (findings, _) = verify_all(&store, &VerifyOptions::new(None)).unwrap();
    let bombs: Vec<(Option<&str>, &[i64])> = findings
        .iter()
        .map(|f| {
            assert_eq!(f.kind, FindingKind::UndecodablePayload, "{f:?}");
            (f.stream.as_deref(), f.versions.as_slice())
        })
        .collect();
    assert_eq!(
        bombs,
        [(Some("a"), &[1][..]), (Some("b"), &[2]), (Some("b"), &[3])]
    );

    let file = arg(&path);
    let streams = cli_json_bounded(&["streams", &file, "--json"]);
    assert_eq!(streams.as_array().unwrap().len(), 2);
    let events = cli_json_bounded(&["events", &file, "b", "--json"]);
    assert_eq!(events[0]["data"], json!({"note": 1}));
    assert_undecodable_bomb(&events[1]["data"]);
    assert_undecodable_bomb(&events[2]["data"]);
    assert_eq!(events[3]["data"], json!({"note": 4}));
    let verify = cli_json_bounded(&["verify", &file, "--json"]);
    assert_eq!(verify["findings"].as_array().unwrap().len(), 3);
    let hits = cli_json_bounded(&["search", &file, "--text", "note", "--json"]);
    assert_eq!(hits.as_array().unwrap().len(), 3);
    let state = cli_json_bounded(&["state", &file, "b", "--json"]);
    assert_eq!(state, json!({"note": 4}));
}

#[test]
fn the_payload_cap_is_a_flag_and_an_open_option() {
    let dir = tempfile::tempdir().unwrap();
    // 2 MiB of JSON, stored in a few KiB.
    let text = format!(r#"{{"pad": "{}"}}"#, "0".repeat(2 * 1024 * 1024));
    let path = build_store(
        dir.path(),
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data BLOB);",
        "INSERT INTO events(stream_id, version, type, data) VALUES ('a', 1, 'Padded', ?1)",
        vec![vec![SqlValue::Blob(zlib(
            &serde_json::from_str(&text).unwrap(),
        ))]],
    );
    let file = arg(&path);
    let events = cli_json(["events", &file, "a", "--json"]);
    assert_eq!(
        events[0]["data"]["pad"].as_str().map(str::len),
        Some(2 * 1024 * 1024)
    );
    let events = cli_json(["events", &file, "a", "--json", "--max-payload-mb", "1"]);
    let reason = events[0]["data"]["$undecodable"]["reason"]
        .as_str()
        .unwrap();
    assert!(reason.contains("1 MiB limit"), "{reason}");

    let store = Store::open_with(
        &path,
        OpenOptions {
            max_payload_bytes: 1_000,
            ..OpenOptions::default()
        },
    )
    .unwrap();
    let Payload::Raw { reason, .. } = &store.events("a").unwrap()[0].data else {
        panic!("over the cap must stay raw");
    };
    assert!(reason.contains("1000-byte limit"), "{reason}");
    assert_eq!(store.reopen_options().max_payload_bytes, 1_000);

    let message = crate::common::cli_error(["events", &file, "a", "--max-payload-mb", "257"]);
    assert!(message.contains("257"), "{message}");
}

/// A stored time and what it must read as: `Ok(RFC 3339)` or `Err(the value shown as stored)`.
type TimeCase = (SqlValue, Result<&'static str, &'static str>);

fn time_cases() -> Vec<TimeCase> {
    let text = |s: &str| SqlValue::Text(s.to_owned());
    let julian: f64 = rusqlite::Connection::open_in_memory()
        .unwrap()
        .query_row("SELECT julianday('2024-03-14 14:39:00')", [], |r| r.get(0))
        .unwrap();
    vec![
        (text("2024-03-14T14:34:00Z"), Ok("2024-03-14T14:34:00Z")),
        (
            text("2024-03-14 14:34:00,250"),
            Ok("2024-03-14T14:34:00.250Z"),
        ),
        (
            text("Thu, 14 Mar 2024 14:35:00 +0000"),
            Ok("2024-03-14T14:35:00Z"),
        ),
        (text("2024/03/14 14:36:00"), Ok("2024-03-14T14:36:00Z")),
        (SqlValue::Integer(1_710_427_020), Ok("2024-03-14T14:37:00Z")),
        (
            SqlValue::Integer(1_710_427_080_000),
            Ok("2024-03-14T14:38:00Z"),
        ),
        (SqlValue::Real(julian), Ok("2024-03-14T14:39:00Z")),
        (
            SqlValue::Real(1_710_427_200.5),
            Ok("2024-03-14T14:40:00.500Z"),
        ),
        (text("1710427260"), Ok("2024-03-14T14:41:00Z")),
        (text("2024-03-14T15:42:00+0100"), Ok("2024-03-14T14:42:00Z")),
        (text("14/03/2024 14:43"), Err("14/03/2024 14:43")),
        (SqlValue::Real(1e300), Err("1e300")),
        (SqlValue::Integer(i64::MAX), Err("9223372036854775807")),
        (SqlValue::Integer(i64::MIN), Err("-9223372036854775808")),
        (SqlValue::Integer(-1), Err("-1")),
        (text("10000-01-01T00:00:00Z"), Err("10000-01-01T00:00:00Z")),
        (SqlValue::Integer(253_402_300_800), Err("253402300800")),
        (text("next tuesday"), Err("next tuesday")),
    ]
}

#[test]
fn every_stored_time_is_read_exactly_or_shown_as_stored_with_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let cases = time_cases();
    let mut rows: Vec<Vec<SqlValue>> = cases
        .iter()
        .enumerate()
        .map(|(i, (stored, _))| vec![SqlValue::Integer(i as i64 + 1), stored.clone()])
        .collect();
    let null_version = rows.len() as i64 + 1;
    rows.push(vec![SqlValue::Integer(null_version), SqlValue::Null]);
    // No declared type: each value keeps the storage class it was written with.
    let path = build_store(
        dir.path(),
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT,
            created_at);",
        "INSERT INTO events(stream_id, version, type, data, created_at) VALUES ('s', ?1, 'T', '{}', ?2)",
        rows,
    );

    let store = Store::open(&path, None).unwrap();
    let events = store.events("s").unwrap();
    assert_eq!(events.len(), cases.len() + 1);
    for (event, (stored, expected)) in events.iter().zip(&cases) {
        let read = match (&event.time, &event.stored_time) {
            (Some(time), None) => Ok(eventscope::core::decode::format_time(time)),
            (None, Some(stored)) => Err(stored.clone()),
            other => panic!("{stored:?} read as {other:?}"),
        };
        assert_eq!(
            read,
            expected.map(str::to_owned).map_err(str::to_owned),
            "{stored:?}"
        );
    }
    let last = events.last().unwrap();
    assert_eq!((last.time, last.stored_time.as_deref()), (None, None));

    let (findings, _) = verify_all(&store, &VerifyOptions::new(None)).unwrap();
    let unreadable: Vec<&str> = cases
        .iter()
        .filter_map(|(_, expected)| expected.err())
        .collect();
    assert_eq!(findings.len(), unreadable.len(), "{findings:?}");
    for (finding, stored) in findings.iter().zip(&unreadable) {
        assert_eq!(finding.kind, FindingKind::UnreadableTime, "{finding:?}");
        assert!(
            finding.message.contains(&format!("{stored:?}")),
            "{stored}: {}",
            finding.message
        );
    }

    let file = arg(&path);
    let json_events = cli_json(["events", &file, "s", "--json"]);
    let first = &json_events[0];
    assert_eq!(first["time"], "2024-03-14T14:34:00Z");
    assert!(
        first.get("stored_time").is_none(),
        "a readable time keeps the shape: {first}"
    );
    let big = &json_events[11];
    assert_eq!(big["time"], Value::Null);
    assert_eq!(big["stored_time"], "1e300");
    let verify = cli_json(["verify", &file, "--json"]);
    let kinds: Vec<&str> = verify["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["unreadable_time"; unreadable.len()]);
}

/// An eventsourcing stream's type is its first event's `originator_topic` that it has (the library stores it
/// in the first event only): the listing reads it by a seek per stream and agrees with `Store::stream`, also
/// when the first event lacks it, when no event has it, and when the payload is compressed.
#[test]
fn a_stream_type_inside_the_payload_is_the_first_one_in_stream_order_listed_or_looked_up() {
    let dir = tempfile::tempdir().unwrap();
    let state = |topic: Option<&str>, minute: u32, compressed: bool| {
        let mut payload = json!({
            "timestamp": {"_type_": "datetime_iso", "_data_": format!("2024-03-14T14:{minute:02}:00+00:00")},
            "amount": {"_type_": "decimal_str", "_data_": "1.50"},
        });
        if let Some(topic) = topic {
            payload["originator_topic"] = json!(topic);
        }
        if compressed {
            SqlValue::Blob(zlib(&payload))
        } else {
            SqlValue::Text(payload.to_string())
        }
    };
    let row = deposited_row;
    let path = build_store(
        dir.path(),
        "CREATE TABLE stored_events(originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB,
            PRIMARY KEY (originator_id, originator_version));",
        "INSERT INTO stored_events VALUES (?1, ?2, ?3, ?4)",
        vec![
            // Inserted out of version order: stream order is by version, not by rowid; the first type
            // in it is not the least.
            row("late", 2, state(Some("bank:Zed"), 2, false)),
            row("late", 1, state(None, 1, false)),
            row("late", 3, state(Some("bank:Alpha"), 3, false)),
            row("first", 1, state(Some("bank:Account"), 4, false)),
            row("first", 2, state(Some("bank:Other"), 5, false)),
            row("none", 1, state(None, 6, false)),
            row("packed", 1, state(None, 7, true)),
            row("packed", 2, state(Some("bank:Packed"), 8, true)),
        ],
    );
    let store = Store::open(&path, None).unwrap();
    let listed = store.streams().unwrap();
    let types: Vec<(&str, Option<&str>)> = listed
        .iter()
        .map(|s| (s.id.as_str(), s.stream_type.as_deref()))
        .collect();
    assert_eq!(
        types,
        [
            ("first", Some("Account")),
            ("late", Some("Zed")),
            ("none", None),
            ("packed", Some("Packed")),
        ]
    );
    for summary in &listed {
        let looked_up = store.stream(&summary.id).unwrap();
        assert_eq!(looked_up.stream_type, summary.stream_type, "{}", summary.id);
        assert_eq!(looked_up.events, summary.events, "{}", summary.id);
        assert_eq!(looked_up.first_time, summary.first_time, "{}", summary.id);
        assert_eq!(looked_up.last_time, summary.last_time, "{}", summary.id);
    }
}
