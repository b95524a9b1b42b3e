//! Times UI frames of the real app (`EventscopeApp`, its session and worker, a real SQLite file, no window
//! and no GPU: one egui frame plus its tessellation, as `benches/ui_frame.rs` does) with an event of a
//! ~5 MB JSON payload selected, and with a ~5 MB undecodable payload selected. A measuring tool, not a test:
//! nothing here asserts on time.
//!
//! `cargo run --release --example big_payload_frames -- [STORE]` writes the store to STORE (a temporary
//! file when none is given; never commit it) and prints the frame times: idle, and while the event panel
//! is scrolled with the mouse wheel. The store: one stream `order-1` of 21 small events, event 11 with a
//! JSON payload of ~5 MB (an array of 40,000 line items and a 200 KB string), event 16 with ~5 MB of bytes
//! that are not JSON. Open the same file in the app to see it: `eventscope STORE`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use eframe::App as _;
use eframe::egui;
use eventscope::app::{EventscopeApp, StartOptions};
use eventscope::session::Command;

const STREAM: &str = "order-1";
const EVENTS: usize = 21;
/// The event (0-based) whose payload is ~5 MB of JSON.
const BIG_JSON: usize = 10;
/// The event (0-based) whose payload is ~5 MB of bytes that are not JSON.
const BIG_RAW: usize = 15;
const SCREEN: egui::Vec2 = egui::Vec2::new(1400.0, 860.0);
/// Frames timed in each phase.
const FRAMES: usize = 120;

/// The ~5 MB JSON payload: line items, and one long string.
fn big_json() -> String {
    let items: Vec<serde_json::Value> = (0..40_000)
        .map(|i| {
            serde_json::json!({
                "sku": format!("SKU-{i:06}"),
                "qty": i % 7 + 1,
                "price": f64::from(i % 1_000) / 4.0,
                "note": format!("line {i} of the big order, packed with care"),
            })
        })
        .collect();
    serde_json::json!({ "items": items, "blob": "x".repeat(200_000) }).to_string()
}

/// Write the store: a plain `events` table of one stream.
fn write_store(path: &Path) -> rusqlite::Result<()> {
    let _ = std::fs::remove_file(path);
    let mut db = rusqlite::Connection::open(path)?;
    db.execute_batch(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
             type TEXT NOT NULL, data BLOB NOT NULL, created_at TEXT NOT NULL);
         CREATE UNIQUE INDEX events_stream ON events (stream_id, version);",
    )?;
    let tx = db.transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO events (stream_id, version, type, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for i in 0..EVENTS {
            let (kind, data): (&str, Vec<u8>) = match i {
                BIG_JSON => ("BulkLinesAdded", big_json().into_bytes()),
                // Bytes 0x80..0xff repeated: never UTF-8, never JSON.
                BIG_RAW => (
                    "ScannedAttachment",
                    (0..5_000_000_u32).map(|b| (b % 128 + 128) as u8).collect(),
                ),
                _ => (
                    "LineAdded",
                    format!(r#"{{"line":{i},"qty":1}}"#).into_bytes(),
                ),
            };
            let time = format!("2026-01-01T00:{:02}:00Z", i % 60);
            insert.execute(rusqlite::params![STREAM, i as i64 + 1, kind, data, time])?;
        }
    }
    tx.commit()
}

struct Bench {
    ctx: egui::Context,
    app: EventscopeApp,
    frame: eframe::Frame,
    time: f64,
}

impl Bench {
    /// One frame, layout and tessellation; how long it took.
    fn frame(&mut self, events: Vec<egui::Event>) -> Duration {
        self.time += 1.0 / 60.0;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)),
            time: Some(self.time),
            predicted_dt: 1.0 / 60.0,
            events,
            ..Default::default()
        };
        let started = Instant::now();
        let Self {
            ctx, app, frame, ..
        } = self;
        let output = ctx.run_ui(input, |ui| app.ui(ui, frame));
        std::hint::black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
        started.elapsed()
    }

    /// Frames until the session is idle on event `index`.
    fn settle_on(&mut self, index: usize) -> Result<(), String> {
        let started = Instant::now();
        loop {
            self.frame(Vec::new());
            let Some(session) = self.app.session_mut() else {
                continue;
            };
            let loaded = session.progress().is_none() && session.stream().is_some();
            let on = session.stream().is_some_and(|v| v.cursor == index);
            if loaded && on {
                break;
            }
            if loaded {
                session.apply(Command::JumpTo(index));
            }
            if started.elapsed() > Duration::from_secs(120) {
                return Err(format!("the playhead did not reach event {index}"));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        // The first frames after a move make the texts and size the panels.
        let mut first = Duration::ZERO;
        for _ in 0..10 {
            first = first.max(self.frame(Vec::new()));
        }
        println!(
            "  slowest of the 10 frames after the move: {:.2} ms",
            first.as_secs_f64() * 1e3
        );
        Ok(())
    }

    /// Time [`FRAMES`] idle frames, then [`FRAMES`] frames scrolling the event panel (at the right).
    fn measure(&mut self, what: &str) {
        let mut idle: Vec<Duration> = (0..FRAMES).map(|_| self.frame(Vec::new())).collect();
        println!("  {what}, idle: {}", quantiles(&mut idle));
        let over_event = egui::Pos2::new(SCREEN.x - 150.0, SCREEN.y * 0.5);
        self.frame(vec![egui::Event::PointerMoved(over_event)]);
        let mut scrolling: Vec<Duration> = (0..FRAMES)
            .map(|i| {
                let down = if i < FRAMES / 2 { -60.0 } else { 60.0 };
                self.frame(vec![egui::Event::MouseWheel {
                    unit: egui::MouseWheelUnit::Point,
                    delta: egui::Vec2::new(0.0, down),
                    modifiers: egui::Modifiers::NONE,
                    phase: egui::TouchPhase::Move,
                    source: egui::MouseWheelSource::Wheel,
                }])
            })
            .collect();
        println!(
            "  {what}, scrolling the event panel: {}",
            quantiles(&mut scrolling)
        );
    }
}

/// Timing quantiles of `times` (sorted here) as text.
fn quantiles(times: &mut [Duration]) -> String {
    times.sort();
    let pick = |q: f64| {
        let at = ((times.len() as f64 - 1.0) * q).round() as usize;
        times.get(at).copied().unwrap_or_default().as_secs_f64() * 1e3
    };
    format!(
        "median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        pick(0.5),
        pick(0.95),
        pick(1.0)
    )
}

fn run(path: PathBuf) -> Result<(), String> {
    let written = Instant::now();
    write_store(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    println!(
        "wrote {} ({:.1} MB) in {:.1?}",
        path.display(),
        std::fs::metadata(&path).map_or(0.0, |m| m.len() as f64 / 1e6),
        written.elapsed()
    );
    let ctx = egui::Context::default();
    let cc = eframe::CreationContext::_new_kittest(ctx.clone());
    let app = EventscopeApp::new(
        &cc,
        StartOptions {
            file: Some(path),
            stream: Some(STREAM.to_owned()),
            ..Default::default()
        },
    );
    let mut bench = Bench {
        ctx,
        app,
        frame: eframe::Frame::_new_kittest(),
        time: 0.0,
    };
    println!("a small event selected:");
    bench.settle_on(0)?;
    bench.measure("small event");
    println!("the ~5 MB JSON payload selected (event {}):", BIG_JSON + 1);
    bench.settle_on(BIG_JSON)?;
    bench.measure("5 MB JSON");
    println!(
        "the ~5 MB undecodable payload selected (event {}):",
        BIG_RAW + 1
    );
    bench.settle_on(BIG_RAW)?;
    bench.measure("5 MB raw bytes");
    Ok(())
}

fn main() -> ExitCode {
    let dir = tempfile::tempdir();
    let path = match (std::env::args_os().nth(1), &dir) {
        (Some(path), _) => PathBuf::from(path),
        (None, Ok(dir)) => dir.path().join("big-payload.sqlite"),
        (None, Err(err)) => {
            eprintln!("no temporary directory: {err}");
            return ExitCode::FAILURE;
        }
    };
    match run(path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
