//! Live follow: while `eventscope tail` runs, another connection (the developer's app) appends events; they
//! are printed as JSON lines as soon as they are committed, the writer is never blocked, and no file appears
//! beside the store that the writer did not make.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use rusqlite::Connection;
use serde_json::Value;

fn create(path: &Path, wal: bool) {
    let conn = Connection::open(path).unwrap();
    if wal {
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    }
    conn.execute_batch(
        "CREATE TABLE events(id INTEGER PRIMARY KEY, stream_id TEXT, version INTEGER, type TEXT, data TEXT, created_at TEXT);
         INSERT INTO events(stream_id, version, type, data, created_at) VALUES
           ('a', 1, 'Opened', '{\"n\":1}', '2024-01-01 10:00:00'),
           ('a', 2, 'Paid', '{\"n\":2}', '2024-01-01 10:01:00'),
           ('b', 1, 'Opened', '{\"n\":3}', '2024-01-01 10:02:00');",
    )
    .unwrap();
}

fn append(conn: &Connection, stream: &str, version: i64, event_type: &str) {
    conn.execute(
        "INSERT INTO events(stream_id, version, type, data, created_at) VALUES (?1, ?2, ?3, '{}', '2024-01-02 00:00:00')",
        rusqlite::params![stream, version, event_type],
    )
    .unwrap();
}

struct Tail {
    child: Child,
    lines: Receiver<String>,
}

impl Tail {
    fn start(path: &Path, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eventscope"))
            .arg("tail")
            .arg(path)
            .args(extra)
            .args(["--interval-ms", "50"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::Builder::new()
            .name("tail-reader".to_owned())
            .spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            })
            .unwrap();
        // Let it open the store and take its starting point.
        std::thread::sleep(Duration::from_millis(600));
        Self { child, lines }
    }

    fn next(&self) -> Value {
        let line = self
            .lines
            .recv_timeout(Duration::from_secs(10))
            .expect("tail printed the new event");
        serde_json::from_str(&line).unwrap()
    }

    fn nothing_more(&self) {
        assert!(
            self.lines.recv_timeout(Duration::from_millis(400)).is_err(),
            "no other event was printed"
        );
    }
}

impl Drop for Tail {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn tail_prints_each_event_committed_after_it_started() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.sqlite");
    create(&path, false);
    let tail = Tail::start(&path, &[]);
    let writer = Connection::open(&path).unwrap();
    append(&writer, "a", 3, "Shipped");
    let event = tail.next();
    assert_eq!(
        (
            event["stream"].as_str(),
            event["version"].as_i64(),
            event["type"].as_str()
        ),
        (Some("a"), Some(3), Some("Shipped"))
    );
    assert_eq!(event["position"], 4);
    append(&writer, "c", 1, "Opened");
    append(&writer, "c", 2, "Closed");
    assert_eq!(tail.next()["type"], "Opened");
    assert_eq!(tail.next()["type"], "Closed");
    tail.nothing_more();
    assert_eq!(
        names(dir.path()),
        ["live.sqlite"],
        "no -journal, -wal or -shm left beside the store"
    );
}

#[test]
fn tail_of_one_stream_prints_only_that_streams_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.sqlite");
    create(&path, false);
    let tail = Tail::start(&path, &["--stream", "b"]);
    let writer = Connection::open(&path).unwrap();
    append(&writer, "a", 3, "Ignored");
    append(&writer, "b", 2, "Wanted");
    assert_eq!(tail.next()["type"], "Wanted");
    tail.nothing_more();
}

#[test]
fn tail_follows_a_wal_store_whose_writer_starts_after_it_and_never_blocks_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.sqlite");
    create(&path, true);
    // The creating connection is closed: the WAL is checkpointed away, so Eventscope opens it immutable.
    assert_eq!(names(dir.path()), ["live.sqlite"]);
    let tail = Tail::start(&path, &[]);
    assert_eq!(
        names(dir.path()),
        ["live.sqlite"],
        "opening must not create -wal or -shm"
    );
    let writer = Connection::open(&path).unwrap();
    writer.busy_timeout(Duration::from_millis(0)).unwrap();
    append(&writer, "a", 3, "Shipped");
    assert_eq!(tail.next()["type"], "Shipped");
    // A long read never blocks the writer: WAL readers and writers do not wait on each other.
    for version in 4..10 {
        append(&writer, "a", version, "Tick");
    }
    for _ in 4..10 {
        assert_eq!(tail.next()["type"], "Tick");
    }
}

mod gui {
    //! The same in the window: new streams and events appear without reopening, and "Follow newest" keeps
    //! the playhead on the newest event.

    use eframe::egui;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;
    use eventscope::app::{EventscopeApp, StartOptions};

    use super::{append, create};
    use crate::common::step_until;

    fn events_and_cursor(app: &EventscopeApp) -> Option<(usize, usize)> {
        let stream = app.session()?.stream()?;
        Some((stream.loaded.events.len(), stream.cursor))
    }

    #[test]
    fn events_another_program_appends_show_up_and_follow_keeps_the_playhead_on_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("live.sqlite");
        create(&path, false);
        let start = StartOptions {
            file: Some(path.clone()),
            stream: Some("a".to_owned()),
            ..Default::default()
        };
        let mut harness = Harness::builder()
            .with_size(egui::Vec2::new(1400.0, 900.0))
            .build_eframe(move |cc| EventscopeApp::new(cc, start));
        step_until(&mut harness, "stream a", |app| {
            events_and_cursor(app) == Some((2, 1))
        });
        harness.key_press(egui::Key::Home);
        harness.run_steps(2);
        assert_eq!(events_and_cursor(harness.state()), Some((2, 0)));

        // Without follow, new events arrive and the playhead stays.
        let writer = rusqlite::Connection::open(&path).unwrap();
        super::append(&writer, "a", 3, "Shipped");
        append(&writer, "c", 1, "Opened");
        step_until(&mut harness, "the appended events", |app| {
            events_and_cursor(app) == Some((3, 0))
        });
        step_until(&mut harness, "the new stream", |app| {
            app.session()
                .and_then(|s| s.streams().all())
                .is_some_and(|s| s.len() == 3)
        });
        harness.get_by_label("c");

        // With follow, the playhead goes to the newest event and stays there as more arrive.
        harness.get_by_label("Follow newest").click();
        harness.run_steps(2);
        assert_eq!(events_and_cursor(harness.state()), Some((3, 2)));
        append(&writer, "a", 4, "Delivered");
        step_until(&mut harness, "the followed event", |app| {
            events_and_cursor(app) == Some((4, 3))
        });
    }
}

/// The selected stream is extended in place as batches arrive, including a batch that lands while the
/// previous extension is still being replayed: in the end it holds exactly what the store holds, in order.
#[test]
fn appends_in_many_batches_extend_the_selected_stream_without_losing_any() {
    use std::sync::Arc;

    use eventscope::core::store::{OpenOptions, Store};
    use eventscope::session::{Command, Session};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.sqlite");
    create(&path, false);
    let mut session = Session::open(path.clone(), OpenOptions::default(), Arc::new(|| {})).unwrap();
    session.wait_idle(Duration::from_secs(60));
    session.apply(Command::SelectStream("a".to_owned()));
    session.wait_idle(Duration::from_secs(60));
    // A jq reducer counting events: the extensions fold only the appended events, on from the checkpoints
    // (every 16 events) and the state at the end of what was loaded.
    session.apply(Command::SetReducers(Some(
        r#"{"reducers": {"*": ".count += 1 | .last = $event.version"}}"#.to_owned(),
    )));
    session.wait_idle(Duration::from_secs(60));
    let writer = Connection::open(&path).unwrap();
    for version in 3..=40 {
        append(&writer, "a", version, "Noted");
        if version % 3 == 0 {
            append(&writer, "b", version, "Other");
        }
        std::thread::sleep(Duration::from_millis(35));
        session.poll();
    }
    let expected: Vec<(i64, Option<i64>)> = Store::open(&path, None)
        .unwrap()
        .events("a")
        .unwrap()
        .iter()
        .map(|e| (e.position, e.version))
        .collect();
    assert_eq!(expected.len(), 40);
    let stored: Vec<(String, u64)> = Store::open(&path, None)
        .unwrap()
        .streams()
        .unwrap()
        .into_iter()
        .map(|s| (s.id, s.events))
        .collect();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        session.poll();
        let loaded: Vec<(i64, Option<i64>)> = session
            .stream()
            .map(|s| {
                let index = s.loaded.events.index();
                (0..index.len())
                    .map(|i| (index.position(i).unwrap_or(0), index.version(i)))
                    .collect()
            })
            .unwrap_or_default();
        // The streams list is updated from the touched streams alone (the selected stream is read again
        // apart from it, so either may land first), and agrees with the store.
        let listed: Vec<(String, u64)> = session
            .streams()
            .all()
            .unwrap()
            .iter()
            .map(|s| (s.id.to_owned(), s.events))
            .collect();
        if loaded == expected && listed == stored {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the stream holds {loaded:?}, the store {expected:?}; listed {listed:?}, stored {stored:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    for at in [
        Command::Last,
        Command::JumpTo(15),
        Command::JumpTo(16),
        Command::JumpTo(33),
    ] {
        let index = match at {
            Command::JumpTo(i) => i,
            _ => 39,
        };
        session.apply(at);
        session.wait_idle(Duration::from_secs(60));
        let view = session.stream().unwrap().view.as_ref().unwrap();
        assert_eq!(view.index, index);
        assert_eq!(
            view.state,
            serde_json::json!({"count": index + 1, "last": index + 1}),
            "at event {index}"
        );
    }
}
