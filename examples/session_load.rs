//! Loads one stream through the GUI's session with no window and prints what it cost: the time to read it
//! and build its checkpoints, the peak RSS (VmHWM from /proc/self/status), and how long the session takes to
//! put the playhead on versions spread over the stream (the scrub the window does). A measuring tool, not a
//! test: nothing here asserts on time.
//!
//! `cargo run --release --example session_load -- [--indexed] STORE [STREAM]` (the first stream when none is
//! named). `EVENTSCOPE_FOLLOW_SQL="INSERT ..."` also times live follow: with *Follow newest* on, that
//! statement is run on a connection of its own a few times, each time until the session shows the
//! appended event with the playhead on it. (It writes to STORE: use a copy.) With `--indexed` the stream is read as an index with byte-bounded checkpoints
//! ([`IndexedStream`]) and the states are answered through a page cache, without the session.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use eventscope::core::replay::DeepMerge;
use eventscope::core::store::{OpenOptions, PAGE_SIZE, Store};
use eventscope::core::timeline::indexed::IndexedStream;
use eventscope::core::timeline::pages::PageCache;
use eventscope::session::{Command, Session};

/// How many playhead moves are timed, spread evenly from the first event to the last.
const SCRUB_STEPS: usize = 200;
/// How many appends live follow is timed on.
const FOLLOW_APPENDS: usize = 10;

/// What the checkpoints of `--indexed` may hold.
const CHECKPOINT_BYTES: usize = 64 << 20;
/// What the page cache of `--indexed` may hold.
const CACHE_BYTES: usize = 32 << 20;
/// Events a page of `--indexed` holds.
const CACHE_PAGE: usize = 256;

/// Peak resident set of this process in MiB, as Linux reports it (`None` elsewhere).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
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

/// The stream as [`IndexedStream`] and states through a [`PageCache`]: what the GUI is to hold.
fn indexed(path: &str, wanted: Option<String>) -> Result<(), String> {
    let started = Instant::now();
    let store = Store::open(std::path::Path::new(path), None).map_err(|e| e.to_string())?;
    let streams = store.streams().map_err(|e| e.to_string())?;
    let summary = match &wanted {
        Some(id) => streams.into_iter().find(|s| &s.id == id),
        None => streams.into_iter().next(),
    }
    .ok_or("no such stream")?;
    let opened = started.elapsed();
    let len = usize::try_from(summary.events).unwrap_or(0);
    let read_started = Instant::now();
    let stream = IndexedStream::read(
        &store,
        &summary.id,
        len,
        Arc::new(DeepMerge),
        summary.stream_type.as_deref(),
        CHECKPOINT_BYTES,
        &mut |_| true,
    )
    .map_err(|e| e.to_string())?
    .ok_or("stopped")?;
    let read = read_started.elapsed();
    let rss_read = peak_rss_mib();
    // The reference: the same stream read once without keeping anything.
    let plain_started = Instant::now();
    let mut plain = 0_usize;
    for event in store.read_stream_paged(&summary.id, PAGE_SIZE) {
        event.map_err(|e| e.to_string())?;
        plain += 1;
    }
    let plain_read = plain_started.elapsed();
    let replayer = stream.replayer.as_ref().map_err(|e| e.to_string())?;
    let mut cache = PageCache::new(CACHE_PAGE, CACHE_BYTES);
    let mut times = Vec::with_capacity(SCRUB_STEPS);
    for step in 0..SCRUB_STEPS {
        let target = len * step / (SCRUB_STEPS - 1).max(1);
        let moved = Instant::now();
        stream
            .state_after(&store, &mut cache, target)
            .map_err(|e| e.to_string())?;
        times.push(moved.elapsed());
    }
    println!(
        "stream {}: {} events (plain read: {plain})",
        summary.id,
        stream.len()
    );
    println!("open and list: {:.2} s", opened.as_secs_f64());
    println!(
        "index + checkpoints in one read: {:.2} s; the read alone: {:.2} s ({:.2}x)",
        read.as_secs_f64(),
        plain_read.as_secs_f64(),
        read.as_secs_f64() / plain_read.as_secs_f64().max(1e-9)
    );
    println!(
        "index {:.0} MiB, checkpoints {:.1} MiB ({} every {} events), page cache {:.1} MiB",
        stream.index.heap_bytes() as f64 / 1_048_576.0,
        replayer.checkpoint_bytes() as f64 / 1_048_576.0,
        replayer.checkpoint_count(),
        replayer.interval(),
        cache.held_bytes() as f64 / 1_048_576.0
    );
    println!(
        "peak RSS after the read: {:.0} MiB",
        rss_read.unwrap_or(f64::NAN)
    );
    println!(
        "state at a version ({SCRUB_STEPS} spread, cold pages): {}",
        quantiles(&mut times)
    );
    println!(
        "peak RSS at the end: {:.0} MiB",
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    Ok(())
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let as_index = args.first().is_some_and(|a| a == "--indexed");
    if as_index {
        args.remove(0);
    }
    let mut args = args.into_iter();
    let Some(path) = args.next() else {
        eprintln!("usage: session_load [--indexed] STORE [STREAM]");
        return ExitCode::FAILURE;
    };
    let wanted = args.next();
    if as_index {
        return match indexed(&path, wanted) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("{path}: {message}");
                ExitCode::FAILURE
            }
        };
    }
    let started = Instant::now();
    let mut session =
        match Session::open(path.clone().into(), OpenOptions::default(), Arc::new(|| {})) {
            Ok(session) => session,
            Err(err) => {
                eprintln!("cannot start the session: {err}");
                return ExitCode::FAILURE;
            }
        };
    let patience = Duration::from_secs(3_600);
    if !session.wait_idle(patience) {
        eprintln!("the store did not open within an hour");
        return ExitCode::FAILURE;
    }
    let Some(id) = wanted.or_else(|| {
        session
            .streams()
            .all()
            .and_then(|s| s.get(0))
            .map(|s| s.id.to_owned())
    }) else {
        eprintln!("the store has no stream");
        return ExitCode::FAILURE;
    };
    let opened = started.elapsed();
    let load_started = Instant::now();
    // A store of one stream opens on it: it is loaded already.
    let selected = session.stream().is_some_and(|s| s.loaded.summary.id == id);
    if !selected {
        session.apply(Command::SelectStream(id.clone()));
    }
    if !session.wait_idle(patience) {
        eprintln!("stream {id} did not load within an hour");
        return ExitCode::FAILURE;
    }
    let loaded = load_started.elapsed();
    let Some(len) = session.stream().map(|s| s.loaded.summary.events) else {
        eprintln!("stream {id} did not load: {:?}", session.error());
        return ExitCode::FAILURE;
    };
    let rss_loaded = peak_rss_mib();
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    let mut times = Vec::with_capacity(SCRUB_STEPS);
    for step in 0..SCRUB_STEPS {
        let target = len.saturating_sub(1) * step / (SCRUB_STEPS - 1).max(1);
        let moved = Instant::now();
        session.apply(Command::JumpTo(target));
        // The view at the playhead may be computed off the UI thread: wait for it.
        let _ = session.wait_idle(patience);
        times.push(moved.elapsed());
    }
    let view_ok = session.stream().is_some_and(|s| s.view.is_ok());
    println!("stream {id}: {len} events");
    println!(
        "open, list, read and checkpoint: {:.2} s ({:.2} s after the open's answer)",
        (opened + loaded).as_secs_f64(),
        loaded.as_secs_f64()
    );
    println!(
        "peak RSS after load: {:.0} MiB",
        rss_loaded.unwrap_or(f64::NAN)
    );
    println!(
        "playhead to a version ({SCRUB_STEPS} spread moves): {}; view ok: {view_ok}",
        quantiles(&mut times)
    );
    if let Ok(sql) = std::env::var("EVENTSCOPE_FOLLOW_SQL") {
        match follow(&mut session, &path, &sql) {
            Ok(mut times) => println!(
                "live follow, an appended event on screen with the playhead on it ({FOLLOW_APPENDS} appends): {}",
                quantiles(&mut times)
            ),
            Err(message) => {
                eprintln!("live follow: {message}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!(
        "peak RSS at the end: {:.0} MiB",
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    ExitCode::SUCCESS
}

/// Times live follow: `sql` appends one event to the selected stream, run [`FOLLOW_APPENDS`] times.
fn follow(session: &mut Session, path: &str, sql: &str) -> Result<Vec<Duration>, String> {
    session.apply(Command::SetFollow(true));
    let writer = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
    let shown = |session: &Session| {
        session
            .stream()
            .map_or((0, 0), |s| (s.loaded.events.len(), s.cursor + 1))
    };
    let mut times = Vec::with_capacity(FOLLOW_APPENDS);
    for _ in 0..FOLLOW_APPENDS {
        let (before, _) = shown(session);
        let appended = Instant::now();
        writer.execute_batch(sql).map_err(|e| e.to_string())?;
        loop {
            session.poll();
            let (len, at) = shown(session);
            if len > before && at == len {
                break;
            }
            if appended.elapsed() > Duration::from_secs(600) {
                return Err("the appended event did not show within 10 minutes".to_owned());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        times.push(appended.elapsed());
    }
    Ok(times)
}
