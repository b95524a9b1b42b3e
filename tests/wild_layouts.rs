//! Issue 15, layouts in the wild: event logs shaped like real applications' (agent and chat sessions, task
//! runners, webhooks, sensor and game telemetry, audit trails, with and without payload columns, with odd
//! names), built here as SQLite files, each opened through `Store::open` with the roles a person would name
//! found by what the columns hold, and every such guess given with its reason.

use std::collections::BTreeSet;
use std::path::PathBuf;

use eventscope::core::layout::{Confidence, GuessedRole, Mapping, Source};
use eventscope::core::model::{Event, Payload};
use eventscope::core::replay::{DeepMerge, replay};
use eventscope::core::store::Store;
use serde_json::{Value, json};

use crate::common::{arg, cli_json};

/// A store built from `schema` and `rows` (SQL statements) in a temporary directory, opened by detection.
struct Built {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: Store,
}

/// `n` rows, the i-th made by `row(i)`.
fn rows<T>(n: T, row: impl Fn(T) -> String) -> Vec<String>
where
    std::ops::Range<T>: Iterator<Item = T>,
    T: Default,
{
    (T::default()..n).map(row).collect()
}

/// A new SQLite file made by `schema`, in a temporary directory.
fn create(schema: &str) -> (tempfile::TempDir, PathBuf, rusqlite::Connection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wild.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(schema).unwrap();
    (dir, path, conn)
}

fn build(schema: &str, rows: &[String]) -> Built {
    let (dir, path, conn) = create(schema);
    conn.execute_batch(&format!("BEGIN; {} COMMIT;", rows.join("\n")))
        .unwrap();
    drop(conn);
    let store = Store::open(&path, None).unwrap_or_else(|e| panic!("{schema}: {e}"));
    Built {
        _dir: dir,
        path,
        store,
    }
}

impl Built {
    fn mapping(&self) -> &Mapping {
        self.store.mapping()
    }

    fn streams(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .store
            .streams()
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect();
        ids.sort();
        ids
    }

    fn events(&self, stream: &str) -> Vec<Event> {
        self.store
            .events(stream)
            .unwrap_or_else(|e| panic!("{stream}: {e}"))
    }

    fn types(&self) -> BTreeSet<String> {
        self.streams()
            .iter()
            .flat_map(|s| self.events(s))
            .map(|e| e.event_type)
            .collect()
    }

    fn state(&self, stream: &str) -> Value {
        replay(&DeepMerge, None, &self.events(stream)).unwrap()
    }

    /// The role guessed by content, its column and confidence.
    fn guessed(&self, role: GuessedRole) -> Option<(String, Confidence)> {
        self.mapping()
            .guesses
            .iter()
            .find(|g| g.role == role)
            .map(|g| (g.column.clone(), g.confidence))
    }
}

fn data(event: &Event) -> &Value {
    match &event.data {
        Payload::Json(value) => value,
        Payload::Raw { reason, .. } => panic!("event {} is raw: {reason}", event.position),
    }
}

/// The columns of the stream, type and time roles (`""` for none).
fn roles(m: &Mapping) -> Vec<String> {
    let name = |source: Option<&Source>| match source {
        Some(Source::Column(name)) => name.clone(),
        Some(other) => other.describe(),
        None => String::new(),
    };
    vec![
        name(m.stream.first()),
        name(m.event_type.as_ref()),
        name(m.time.as_ref()),
    ]
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// `2024-05-01T10:MM:SSZ` for the i-th row (a second apart).
fn iso(i: usize) -> String {
    format!("2024-05-01T10:{:02}:{:02}Z", i / 60, i % 60)
}

#[test]
fn agent_sessions_with_a_json_body_are_streams_of_actions() {
    let actions = [
        "user_message",
        "tool_call",
        "tool_result",
        "assistant_message",
    ];
    let built = build(
        "CREATE TABLE agent_steps(step INTEGER PRIMARY KEY, session TEXT, action TEXT, at TEXT, body_json TEXT);",
        &rows(24, |i| {
            format!(
                "INSERT INTO agent_steps(session, action, at, body_json) VALUES ('sess-{}', '{}', '{}', \
                 '{{\"text\":\"step {i}\",\"tokens\":{i},\"tool\":\"grep\"}}');",
                i / 8 + 1,
                actions[i % 4],
                iso(i)
            )
        }),
    );
    let m = built.mapping();
    assert_eq!(m.table, "agent_steps");
    assert_eq!(roles(m), ["session", "action", "at"]);
    assert_eq!(m.data.as_deref(), Some("body_json"));
    assert_eq!(built.streams(), ["sess-1", "sess-2", "sess-3"]);
    assert_eq!(built.types(), set(&actions));
    let events = built.events("sess-2");
    assert_eq!(events.len(), 8);
    assert_eq!(data(&events[0])["text"], "step 8");
    assert!(events.iter().all(|e| e.time.is_some()));
    assert_eq!(
        built.guessed(GuessedRole::Type),
        Some(("action".to_owned(), Confidence::High))
    );
}

#[test]
fn a_chat_log_takes_the_envelope_as_payload_and_the_context_column_as_metadata() {
    let built = build(
        "CREATE TABLE chat(msg_no INTEGER PRIMARY KEY, conversation TEXT, what TEXT, sent TEXT, envelope TEXT, ctx TEXT);",
        &rows(20, |i| {
            format!(
                "INSERT INTO chat(conversation, what, sent, envelope, ctx) VALUES ('conv-{}', '{}', \
                 '2024-06-0{} 12:00:{:02}', '{{\"role\":\"user\",\"text\":\"hi {i}\",\"lang\":\"en\"}}', \
                 '{{\"request_id\":\"r{i}\",\"user\":\"u1\",\"model\":\"m-large\"}}');",
                i % 4,
                if i % 2 == 0 {
                    "message.sent"
                } else {
                    "message.read"
                },
                i / 5 + 1,
                i
            )
        }),
    );
    let m = built.mapping();
    assert_eq!(m.data.as_deref(), Some("envelope"));
    assert_eq!(m.metadata.as_deref(), Some("ctx"));
    assert_eq!(roles(m), ["conversation", "what", "sent"]);
    assert_eq!(built.streams(), ["conv-0", "conv-1", "conv-2", "conv-3"]);
    assert_eq!(built.types(), set(&["message.read", "message.sent"]));
    let first = &built.events("conv-1")[0];
    assert_eq!(data(first)["text"], "hi 1");
    assert_eq!(
        first.metadata,
        Some(Payload::Json(
            json!({"request_id": "r1", "user": "u1", "model": "m-large"})
        ))
    );
    assert_eq!(
        first.time.map(|t| t.to_rfc3339()),
        Some("2024-06-01T12:00:01+00:00".to_owned())
    );
}

#[test]
fn a_task_runner_with_unix_seconds_groups_ops_by_job() {
    let ops = ["queued", "started", "succeeded"];
    let built = build(
        "CREATE TABLE job_runs(id INTEGER PRIMARY KEY, job_id INTEGER, op TEXT, ts INTEGER, attrs TEXT);",
        &rows(15, |i| {
            format!(
                "INSERT INTO job_runs(job_id, op, ts, attrs) VALUES ({}, '{}', {}, '{{\"worker\":\"w{}\",\"attempt\":1}}');",
                i / 3 + 100,
                ops[i % 3],
                1_714_557_600 + i * 30,
                i % 2
            )
        }),
    );
    let m = built.mapping();
    assert_eq!(roles(m), ["job_id", "op", "ts"]);
    assert_eq!(m.data.as_deref(), Some("attrs"));
    assert_eq!(built.streams(), ["100", "101", "102", "103", "104"]);
    assert_eq!(built.types(), set(&ops));
    let events = built.events("102");
    assert_eq!(
        events
            .iter()
            .map(|e| e.event_type.as_str())
            .collect::<Vec<_>>(),
        ops
    );
    assert_eq!(
        events[0].time.map(|t| t.to_rfc3339()),
        Some("2024-05-01T10:03:00+00:00".to_owned())
    );
}

#[test]
fn webhooks_named_by_topic_find_their_headers_as_metadata() {
    let topics = ["push", "pull_request", "issue_comment"];
    let built = build(
        "CREATE TABLE webhook_deliveries(hook TEXT, received TEXT, topic TEXT, headers_json TEXT, doc TEXT);",
        &rows(18, |i| {
            format!(
                "INSERT INTO webhook_deliveries(hook, received, topic, headers_json, doc) VALUES ('hook-{}', '{}', '{}', \
                 '{{\"x-request-id\":\"req{i}\",\"user-agent\":\"GitHub-Hookshot\",\"content-type\":\"application/json\"}}', \
                 '{{\"repo\":\"eventscope\",\"n\":{i}}}');",
                ["a1", "b2", "c3"][i / 6],
                iso(i),
                topics[i % 3],
            )
        }),
    );
    let m = built.mapping();
    assert_eq!(m.data.as_deref(), Some("doc"));
    assert_eq!(roles(m), ["hook", "topic", "received"]);
    assert_eq!(m.metadata.as_deref(), Some("headers_json"));
    assert_eq!(built.streams(), ["hook-a1", "hook-b2", "hook-c3"]);
    assert_eq!(built.types(), set(&topics));
    assert_eq!(data(&built.events("hook-b2")[0])["n"], 6);
}

#[test]
fn sensor_readings_without_a_payload_replay_to_the_latest_values() {
    let built = build(
        "CREATE TABLE readings(device TEXT, read_at INTEGER, temperature REAL, humidity INTEGER, battery INTEGER);",
        &rows(12_i32, |i| {
            format!(
                "INSERT INTO readings(device, read_at, temperature, humidity, battery) VALUES ('dev-{}', {}, {}, {}, {});",
                i % 2 + 1,
                1_714_557_600_000_i64 + i64::from(i) * 60_000,
                20.0 + f64::from(i) / 2.0,
                40 + i,
                100 - i
            )
        }),
    );
    let m = built.mapping();
    assert_eq!(roles(m), ["device", "", "read_at"]);
    assert_eq!(m.data, None);
    assert_eq!(m.data_columns, ["temperature", "humidity", "battery"]);
    assert_eq!(built.streams(), ["dev-1", "dev-2"]);
    let events = built.events("dev-2");
    assert_eq!(events.len(), 6);
    assert_eq!(
        data(&events[0]),
        &json!({"temperature": 20.5, "humidity": 41, "battery": 99})
    );
    assert_eq!(
        built.state("dev-2"),
        json!({"temperature": 25.5, "humidity": 51, "battery": 89})
    );
    assert_eq!(
        events[5].time.map(|t| t.to_rfc3339()),
        Some("2024-05-01T10:11:00+00:00".to_owned())
    );
}

#[test]
fn game_telemetry_streams_players_and_types_their_signals() {
    let signals = ["spawn", "move", "move", "score"];
    let built = build(
        "CREATE TABLE telemetry(frame INTEGER PRIMARY KEY, player TEXT, signal TEXT, at_ms INTEGER, x REAL, y INTEGER, score INTEGER);",
        &rows(24, |i| {
            format!(
                "INSERT INTO telemetry(player, signal, at_ms, x, y, score) VALUES ('p{}', '{}', {}, {}.5, {}, {});",
                i % 3 + 1,
                signals[(i / 3) % 4],
                1_714_557_600_000 + i * 16,
                i,
                i * 2,
                i * 10
            )
        }),
    );
    let m = built.mapping();
    assert_eq!(m.position, Source::Column("frame".into()));
    assert_eq!(roles(m), ["player", "signal", "at_ms"]);
    assert_eq!(m.data_columns, ["x", "y", "score"]);
    assert_eq!(built.streams(), ["p1", "p2", "p3"]);
    assert_eq!(built.types(), set(&["move", "score", "spawn"]));
    assert_eq!(built.state("p3"), json!({"x": 23.5, "y": 46, "score": 230}));
}

#[test]
fn an_audit_trail_with_current_timestamp_defaults_streams_its_targets() {
    let built = build(
        "CREATE TABLE audit_trail(id INTEGER PRIMARY KEY, actor TEXT, verb TEXT, target TEXT, \
         happened TEXT DEFAULT CURRENT_TIMESTAMP, details TEXT);",
        &rows(16, |i| {
            format!(
                "INSERT INTO audit_trail(actor, verb, target, details) VALUES ('{}', '{}', 'doc:{}', '{{\"ip\":\"10.0.0.{i}\",\"reason\":\"r{i}\"}}');",
                ["alice", "bob"][i % 2],
                ["viewed", "edited", "shared", "viewed"][i % 4],
                [17, 42][i / 8]
            )
        }),
    );
    let m = built.mapping();
    assert_eq!(roles(m), ["target", "verb", "happened"]);
    assert_eq!(m.data.as_deref(), Some("details"));
    assert_eq!(built.streams(), ["doc:17", "doc:42"]);
    assert_eq!(built.types(), set(&["edited", "shared", "viewed"]));
    assert!(built.events("doc:42").iter().all(|e| e.time.is_some()));
}

#[test]
fn ticket_status_changes_without_a_payload_replay_to_the_latest_assignee() {
    let statuses = ["opened", "assigned", "in_progress", "resolved"];
    let built = build(
        "CREATE TABLE ticket_status(ticket INTEGER, status TEXT, changed_on TEXT, assignee TEXT, priority INTEGER);",
        &rows(16, |i| {
            format!(
                "INSERT INTO ticket_status(ticket, status, changed_on, assignee, priority) VALUES ({}, '{}', '2024-03-{:02} 09:30:00', '{}', {});",
                i / 4 + 7,
                statuses[i % 4],
                i + 1,
                ["ann", "ben", "cy"][i % 3],
                i % 4 + 1
            )
        }),
    );
    let m = built.mapping();
    assert_eq!(roles(m), ["ticket", "status", "changed_on"]);
    assert_eq!(m.data_columns, ["assignee", "priority"]);
    assert_eq!(built.streams(), ["10", "7", "8", "9"]);
    assert_eq!(built.types(), set(&statuses));
    // Ticket 8 is rows 4..8: its last change (row 7) left it with ben at priority 4.
    assert_eq!(built.state("8"), json!({"assignee": "ben", "priority": 4}));
}

#[test]
fn a_score_table_named_like_events_but_without_a_payload_keeps_its_columns_as_data() {
    let built = build(
        "CREATE TABLE score_events(id INTEGER PRIMARY KEY, stream_id TEXT, type TEXT, created_at TEXT, points INTEGER, level INTEGER);",
        &rows(8, |i| {
            format!(
                "INSERT INTO score_events(stream_id, type, created_at, points, level) VALUES ('team-{}', '{}', '{}', {}, {});",
                i % 2,
                if i < 2 { "Joined" } else { "Scored" },
                iso(i),
                i * 5,
                i / 2
            )
        }),
    );
    let m = built.mapping();
    assert_eq!(m.stream, [Source::Column("stream_id".into())]);
    assert_eq!(m.data, None);
    assert_eq!(m.data_columns, ["points", "level"]);
    assert_eq!(built.streams(), ["team-0", "team-1"]);
    assert_eq!(built.state("team-1"), json!({"points": 35, "level": 3}));
    assert_eq!(
        built.guessed(GuessedRole::Data).map(|(c, _)| c),
        Some("points, level".to_owned())
    );
}

#[test]
fn message_pack_blobs_with_an_odd_name_are_the_payload() {
    let (_dir, path, conn) = create(
        "CREATE TABLE packets(n INTEGER PRIMARY KEY, subject TEXT, kind TEXT, t REAL, packed BLOB);",
    );
    for i in 0..10_i64 {
        let mut packed = Vec::new();
        rmp::encode::write_map_len(&mut packed, 2).unwrap();
        rmp::encode::write_str(&mut packed, "seq").unwrap();
        rmp::encode::write_sint(&mut packed, i).unwrap();
        rmp::encode::write_str(&mut packed, "unit").unwrap();
        rmp::encode::write_str(&mut packed, "kPa").unwrap();
        conn.execute(
            "INSERT INTO packets(subject, kind, t, packed) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![
                format!("pump-{}", i % 2),
                if i % 2 == 0 { "Pressure" } else { "Flow" },
                1_714_557_600.25 + f64::from(i32::try_from(i).unwrap()),
                packed
            ],
        )
        .unwrap();
    }
    drop(conn);
    let store = Store::open(&path, None).unwrap();
    let m = store.mapping();
    assert_eq!(m.data.as_deref(), Some("packed"));
    assert_eq!(m.codec.format.name(), "MessagePack");
    assert_eq!(roles(m), ["subject", "kind", "t"]);
    let events = store.events("pump-1").unwrap();
    assert_eq!(events.len(), 5);
    assert_eq!(data(&events[0]), &json!({"seq": 1, "unit": "kPa"}));
}

#[test]
fn a_build_log_takes_steps_as_types_and_builds_as_streams() {
    let steps = ["checkout", "compile", "test", "deploy"];
    let built = build(
        "CREATE TABLE build_log(seq INTEGER PRIMARY KEY, build TEXT, step TEXT, logged TEXT, info TEXT);",
        &rows(12, |i| {
            format!(
                "INSERT INTO build_log(build, step, logged, info) VALUES ('b-{}', '{}', '2024-05-01T12:00:{:02}+02:00', '{{\"ok\":true,\"secs\":{i}}}');",
                101 + i / 4,
                steps[i % 4],
                i
            )
        }),
    );
    let m = built.mapping();
    assert_eq!(roles(m), ["build", "step", "logged"]);
    assert_eq!(m.data.as_deref(), Some("info"));
    assert_eq!(built.streams(), ["b-101", "b-102", "b-103"]);
    assert_eq!(built.types(), set(&steps));
    assert_eq!(
        built.events("b-101")[0].time.map(|t| t.to_rfc3339()),
        Some("2024-05-01T10:00:00+00:00".to_owned())
    );
}

#[test]
fn eventscope_layout_prints_each_guess_with_its_reason_and_confidence() {
    let built = build(
        "CREATE TABLE readings(device TEXT, read_at INTEGER, temperature REAL);",
        &rows(12, |i| {
            format!(
                "INSERT INTO readings(device, read_at, temperature) VALUES ('dev-{}', {}, {i});",
                i % 3,
                1_714_557_600 + i
            )
        }),
    );
    let layout = cli_json(["layout", &arg(&built.path)]);
    let mapping = &layout["mappings"][0];
    assert_eq!(mapping["data_columns"], json!(["temperature"]));
    let guesses = mapping["guesses"].as_array().unwrap();
    let roles: Vec<&str> = guesses.iter().filter_map(|g| g["role"].as_str()).collect();
    assert_eq!(roles, ["time", "stream", "data"]);
    for guess in guesses {
        assert!(!guess["reason"].as_str().unwrap().is_empty(), "{guess}");
        assert!(guess["confidence"].is_string(), "{guess}");
    }
    assert!(
        mapping["layout"]
            .as_str()
            .unwrap()
            .contains("data from its columns"),
        "{mapping}"
    );
    // The printed mapping is one `--mapping` accepts, and opens the same streams.
    let back: Mapping = serde_json::from_value(mapping.clone()).unwrap();
    assert_eq!(&back, built.mapping());
    assert!(
        built
            .mapping()
            .guess_reasons()
            .unwrap()
            .contains("stream = device")
    );
}

#[test]
fn a_table_of_unrelated_rows_is_still_not_an_event_log() {
    let rows: Vec<String> = (0..10)
        .map(|i| format!("INSERT INTO users(name, email) VALUES ('n{i}', 'u{i}@example.com');"))
        .collect();
    let (_dir, path, conn) =
        create("CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, email TEXT);");
    conn.execute_batch(&rows.join("\n")).unwrap();
    drop(conn);
    let err = Store::open(&path, None).unwrap_err().to_string();
    assert!(err.contains("users"), "{err}");
}

#[test]
fn a_table_its_names_call_an_event_log_stays_one_log_unless_its_rows_clearly_group() {
    let built = build(
        "CREATE TABLE journal_rows(n INTEGER PRIMARY KEY, agg TEXT, kind TEXT, body TEXT);",
        &rows(10, |i| {
            format!(
                "INSERT INTO journal_rows(agg, kind, body) VALUES ('cart-{}', 'ItemAdded', '{{\"n\":{i}}}');",
                i % 2
            )
        }),
    );
    assert!(built.mapping().stream.is_empty());
    assert_eq!(built.streams(), ["journal_rows"]);
}

#[test]
fn a_postgres_table_of_readings_is_detected_by_content_and_its_columns_are_the_data() {
    let (_admin, url) = crate::postgres::scratch_database(
        "eventscope_wild_readings",
        "CREATE TABLE readings(id bigserial PRIMARY KEY, device text, read_at timestamptz DEFAULT now(), temperature float8, battery int);
         INSERT INTO readings(device, read_at, temperature, battery) VALUES
           ('dev-1', '2024-05-01T10:00:00Z', 20.5, 99), ('dev-1', '2024-05-01T10:01:00Z', 21.5, 98),
           ('dev-2', '2024-05-01T10:00:30Z', 18.0, 70), ('dev-2', '2024-05-01T10:01:30Z', 18.5, 69);",
    );
    let store = Store::open(std::path::Path::new(&url), None).unwrap_or_else(|e| panic!("{e}"));
    let m = store.mapping();
    assert_eq!(roles(m), ["device", "", "read_at"]);
    assert_eq!(m.data_columns, ["temperature", "battery"]);
    let events = store.events("dev-1").unwrap();
    assert_eq!(
        replay(&DeepMerge, None, &events).unwrap(),
        json!({"temperature": 21.5, "battery": 98})
    );
}
