//! The cost of one UI frame with a 1,000,000-event stream on screen: the real app (`EventscopeApp`), the
//! real session and worker, a real SQLite file; each iteration is one egui frame (layout) plus its
//! tessellation, with no GPU and no window. Target: under 8 ms per frame.
//!
//! Groups:
//! - `ui_frame/zoomed_out`: the whole stream fitted in the timeline (density drawing), the table and the
//!   state on screen, nothing moving.
//! - `ui_frame/scrubbing`: the pointer held down in the ruler and moved every frame, so every frame moves the
//!   playhead (a new replayed state and diff, a scrolled table).
//! - `ui_frame/playing`: playback at 1,000 events per second.
//! - `ui_frame/chart_still`: the chart of `/amount` (a value changing on nearly every event) under the
//!   timeline, nothing moving.
//! - `ui_frame/chart_zooming`: the wheel turned over the chart every frame, so every frame cuts the series
//!   to the pixels of a new range.
//! - `ui_frame/chart_hovering`: the pointer moving across the chart (the hover text and markers).
//!
//! Setup writes the stream to a temporary file (a plain `events(id, stream_id, version, type, data,
//! created_at)` table, seven event types, bursts and quiet hours) and waits for the app to load it, which is
//! timed once and printed. `cargo bench --bench ui_frame` runs it; under `cargo test --benches` (no
//! `--bench` argument) the stream is 10,000 events so the target only checks that it still runs.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::App as _;
use eframe::egui;
use eventscope::app::{EventscopeApp, StartOptions};
use eventscope::session::{Command, Speed};

const BENCH_EVENTS: usize = 1_000_000;
const TEST_EVENTS: usize = 10_000;
const STREAM: &str = "account-1";
const SCREEN: egui::Vec2 = egui::Vec2::new(1400.0, 860.0);

/// Write `count` events of one stream with deterministic pseudo-random types, gaps and amounts.
fn write_store(path: &Path, count: usize) -> rusqlite::Result<()> {
    let mut db = rusqlite::Connection::open(path)?;
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE TABLE events (id INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
             type TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL);
         CREATE UNIQUE INDEX events_stream ON events (stream_id, version);",
    )?;
    let types = [
        "Deposited",
        "Deposited",
        "Deposited",
        "Withdrawn",
        "Withdrawn",
        "FeeCharged",
        "InterestPaid",
        "Renamed",
        "StatementIssued",
    ];
    let tx = db.transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO events (stream_id, version, type, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            seed >> 33
        };
        let mut millis: i64 = 1_577_836_800_000; // 2020-01-01
        for version in 1..=count {
            let r = next();
            // Mostly seconds apart, sometimes a quiet hour.
            millis += if r % 50 == 0 {
                3_600_000
            } else {
                500 + (r % 4000) as i64
            };
            let kind = if version == 1 {
                "Opened"
            } else {
                types[(r as usize / 7) % types.len()]
            };
            let data = format!(r#"{{"amount":{},"category":"c{}"}}"#, r % 500, r % 20);
            let time = chrono::DateTime::from_timestamp_millis(millis)
                .unwrap_or_default()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            insert.execute(rusqlite::params![STREAM, version as i64, kind, data, time])?;
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
    fn input(&mut self, events: Vec<egui::Event>) -> egui::RawInput {
        self.time += 1.0 / 60.0;
        egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)),
            time: Some(self.time),
            predicted_dt: 1.0 / 60.0,
            events,
            ..Default::default()
        }
    }

    /// One frame: layout, then tessellation. Returns the number of primitives (kept alive for black_box).
    fn frame(&mut self, events: Vec<egui::Event>) -> usize {
        let input = self.input(events);
        let Self {
            ctx, app, frame, ..
        } = self;
        let output = ctx.run_ui(input, |ui| app.ui(ui, frame));
        ctx.tessellate(output.shapes, output.pixels_per_point).len()
    }
}

fn setup(count: usize) -> (tempfile::TempDir, Bench) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("million.sqlite");
    let started = Instant::now();
    write_store(&path, count).expect("the benchmark store is written");
    println!("wrote {count} events in {:.1?}", started.elapsed());

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
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    loop {
        let frame_started = Instant::now();
        bench.frame(Vec::new());
        slowest = slowest.max(frame_started.elapsed());
        let ready = bench.app.session().is_some_and(|s| {
            s.progress().is_none()
                && s.stream()
                    .as_ref()
                    .is_some_and(|v| v.loaded.events.len() == count)
        });
        if ready && bench.app.timeline_canvas().is_some() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "the stream did not load"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    println!("the app loaded the stream in {:.1?}", started.elapsed());
    // Includes the frame that indexes the stream for the timeline (axis values, types, density blocks).
    println!("slowest frame while loading: {slowest:.1?}");
    // Settle: the first frames size the panels and scroll the table.
    for _ in 0..10 {
        bench.frame(Vec::new());
    }
    (dir, bench)
}

fn benches(c: &mut Criterion) {
    let benching = std::env::args().any(|arg| arg == "--bench");
    let count = if benching { BENCH_EVENTS } else { TEST_EVENTS };
    let (_dir, mut bench) = setup(count);
    let mut group = c.benchmark_group("ui_frame");
    group.sample_size(if benching { 100 } else { 10 });

    group.bench_function("zoomed_out", |b| {
        b.iter(|| black_box(bench.frame(Vec::new())));
    });

    let (canvas, ruler) = bench.app.timeline_canvas().expect("the timeline is drawn");
    let y = canvas.top() + ruler / 2.0;
    let press = |pos: egui::Pos2, pressed: bool| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    };
    let start = egui::Pos2::new(canvas.left() + 10.0, y);
    bench.frame(vec![egui::Event::PointerMoved(start), press(start, true)]);
    let mut step = 0_u32;
    let before = bench
        .app
        .session()
        .and_then(|s| s.stream())
        .map(|s| s.cursor);
    group.bench_function("scrubbing", |b| {
        b.iter(|| {
            // Sweep back and forth across the ruler, a few pixels per frame.
            step = (step + 7) % 2000;
            let offset = if step < 1000 { step } else { 2000 - step };
            let x = canvas.left() + 10.0 + (canvas.width() - 20.0) * (offset as f32 / 1000.0);
            black_box(bench.frame(vec![egui::Event::PointerMoved(egui::Pos2::new(x, y))]))
        });
    });
    let after = bench
        .app
        .session()
        .and_then(|s| s.stream())
        .map(|s| s.cursor);
    assert_ne!(before, after, "scrubbing moved the playhead");
    bench.frame(vec![press(start, false), egui::Event::PointerGone]);

    if let Some(session) = bench.app.session_mut() {
        session.apply(Command::First);
        session.apply(Command::SetSpeed(Speed::EventsPerSec(1000.0)));
        session.apply(Command::TogglePlay);
    }
    group.bench_function("playing", |b| {
        b.iter(|| black_box(bench.frame(Vec::new())));
    });
    if let Some(session) = bench.app.session_mut() {
        session.apply(Command::TogglePlay);
        session.apply(Command::ChartField("/amount".to_owned()));
    }
    let started = Instant::now();
    while bench.app.chart_rect().is_none()
        || bench
            .app
            .session()
            .and_then(|s| s.chart())
            .and_then(|c| c.series())
            .is_none()
    {
        bench.frame(Vec::new());
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "the chart was not read"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    println!("the chart's series were read in {:.1?}", started.elapsed());
    for _ in 0..5 {
        bench.frame(Vec::new());
    }
    group.bench_function("chart_still", |b| {
        b.iter(|| black_box(bench.frame(Vec::new())));
    });
    let chart = bench.app.chart_rect().expect("the chart is drawn");
    let mut turn = 0_u32;
    group.bench_function("chart_zooming", |b| {
        b.iter(|| {
            // In and out at the middle, so the range stays on the stream.
            turn = (turn + 1) % 40;
            let delta = if turn < 20 { 30.0 } else { -30.0 };
            black_box(bench.frame(vec![
                egui::Event::PointerMoved(chart.center()),
                egui::Event::MouseWheel {
                    unit: egui::MouseWheelUnit::Point,
                    delta: egui::vec2(0.0, delta),
                    modifiers: egui::Modifiers::NONE,
                    phase: egui::TouchPhase::Move,
                    source: egui::MouseWheelSource::Wheel,
                },
            ]))
        });
    });
    let mut across = 0_u32;
    group.bench_function("chart_hovering", |b| {
        b.iter(|| {
            across = (across + 5) % 1000;
            let x = chart.left() + chart.width() * (across as f32 / 1000.0);
            black_box(bench.frame(vec![egui::Event::PointerMoved(egui::Pos2::new(
                x,
                chart.center().y,
            ))]))
        });
    });
    group.finish();
}

criterion_group!(ui_frame, benches);
criterion_main!(ui_frame);
