//! Opens a store through the GUI's session with no window and prints how long the streams list takes: the
//! time from opening to the first streams the panel shows, and to the whole list, the peak RSS, and the bytes
//! the list holds a stream. A measuring tool, not a test: nothing here asserts on time.
//!
//! `cargo run --release --example streams_first_screen -- STORE`

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use eventscope::core::store::OpenOptions;
use eventscope::session::Session;

/// Peak resident set of this process in MiB, as Linux reports it (`None` elsewhere).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: streams_first_screen STORE");
        return ExitCode::FAILURE;
    };
    let start = Instant::now();
    let mut session = match Session::open(path.into(), OpenOptions::default(), Arc::new(|| {})) {
        Ok(session) => session,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut first = None;
    loop {
        session.poll();
        if let Some(message) = session.store().open_failed() {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
        let list = session.streams();
        if list.shown() && first.is_none() {
            first = Some(start.elapsed());
            println!(
                "first streams shown: {:.3} s ({} streams)",
                start.elapsed().as_secs_f64(),
                list.visible().len()
            );
        }
        if let Some(message) = session.error() {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
        if list.all().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let list = session.streams();
    let streams = list.listed_count();
    let bytes = list.heap_bytes();
    println!(
        "whole list: {:.3} s ({streams} streams), peak RSS {}",
        start.elapsed().as_secs_f64(),
        peak_rss_mib().map_or("unknown".to_owned(), |m| format!("{m:.0} MiB"))
    );
    let (mib, per_stream) = (
        bytes as f64 / (1024.0 * 1024.0),
        bytes as f64 / streams.max(1) as f64,
    );
    println!("the list holds {mib:.1} MiB: {per_stream:.1} bytes a stream");
    ExitCode::SUCCESS
}
