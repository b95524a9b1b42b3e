//! The subcommands that print as they read (`events`, `history`, `streams`, `tail`), in any `--format`: memory stays that of
//! one event, change or stream summary whatever the store's size, and a reader piping into `head` gets
//! its first lines at once.

use super::formats::{
    CHANGE_COLUMNS, EVENT_COLUMNS, FormatArgs, Listing, Rows, STREAM_COLUMNS, Shape,
};
use super::progress::Progress;
use super::{ReplayArgs, StoreArgs};
use crate::core::model::{EventJson, StreamSummary};
use crate::core::replay::walk;
use crate::core::replay::{Reducer, apply_event};
use crate::core::store::{PAGE_SIZE, Store};

/// Print every event committed after now, forever (see [`super::Command::Tail`]).
pub(super) fn tail(
    store: &Store,
    stream: Option<&str>,
    interval_ms: u64,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let wanted = stream.map(|id| store.stream(id).map_or_else(|_| id.to_owned(), |s| s.id));
    let mut positions = store.last_positions()?;
    let mut version = store.data_version()?;
    let mode = store.follow_mode()?;
    if mode != crate::core::store::pg::FollowMode::Polling {
        eprintln!("eventscope: following {}: {mode}", store.path().display());
    }
    let interval = std::time::Duration::from_millis(interval_ms.max(10));
    let mut reopened: Option<Store> = None;
    loop {
        let current = reopened.as_ref().unwrap_or(store);
        // A WAL file nobody was writing was opened `immutable`; once a writer starts, follow it properly.
        if current.must_reopen_to_follow() {
            reopened = Some(Store::open_with(current.path(), current.reopen_options())?);
            version = i64::MIN;
            continue;
        }
        let now = current.wait_for_change(interval)?;
        if now == version {
            continue;
        }
        version = now;
        loop {
            let events = current.events_after(&mut positions, PAGE_SIZE)?;
            if events.is_empty() {
                break;
            }
            for event in events
                .iter()
                .filter(|e| wanted.as_deref().is_none_or(|id| e.stream == id))
            {
                serde_json::to_writer(&mut *out, &event)?;
                writeln!(out)?;
            }
            out.flush()?;
        }
    }
}

/// `events`: each event (with the state after it, when replayed) printed as it is read.
pub(super) fn write_events(
    store: &Store,
    stream: &str,
    reducer: Option<&dyn Reducer>,
    shape: Shape,
    output: &FormatArgs,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    // Fail before printing anything when the stream does not exist.
    let stream_type = match reducer {
        Some(reducer) => store.type_for_replay(stream, reducer)?,
        None => store.check_stream(stream).map(|()| None)?,
    };
    let mut state = reducer.map(|r| r.initial(stream_type.as_deref()));
    let progress = Progress::new("events", "events", None);
    if let Shape::Rows(format) = shape {
        let mut rows = Rows::new(out, format, output, EVENT_COLUMNS)?;
        for (index, event) in (0..).zip(store.read_stream(stream)) {
            let event = event?;
            if let (Some(reducer), Some(before)) = (reducer, state.take()) {
                state = Some(apply_event(reducer, before, &event, index)?);
            }
            rows.push(&EventJson {
                event: &event,
                state: state.as_ref(),
            })?;
            progress.inc();
        }
        return rows.finish();
    }
    write!(out, "[")?;
    let mut index = 0;
    for event in store.read_stream(stream) {
        let event = event?;
        if let (Some(reducer), Some(before)) = (reducer, state.take()) {
            state = Some(apply_event(reducer, before, &event, index)?);
        }
        progress.inc();
        write!(out, "{}\n  ", if index == 0 { "" } else { "," })?;
        index += 1;
        let json = EventJson {
            event: &event,
            state: state.as_ref(),
        };
        serde_json::to_writer(&mut *out, &json)?;
    }
    writeln!(out, "{}]", if index == 0 { "" } else { "\n" })?;
    Ok(())
}

/// `history`: each change printed as the stream is read, in the layout `serde_json`'s pretty printer gives
/// the whole array. A failure part-way leaves the array unclosed, so nobody mistakes it for the whole answer.
pub(super) fn write_history(
    store: &StoreArgs,
    stream: &str,
    path: &str,
    args: &ReplayArgs,
    output: &FormatArgs,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        path.is_empty() || path.starts_with('/'),
        "--path {path:?} is not a JSON Pointer: start it with / (e.g. /status)"
    );
    let store_args_json = store.json;
    let store = store.open()?;
    let reducer = args.reducer(&store)?;
    let stream_type = store.type_for_replay(stream, reducer.as_ref())?;
    let mut listing = Listing::new(out, output.shape(store_args_json), output, CHANGE_COLUMNS)?;
    walk::each_field_change(
        &store,
        stream,
        reducer.as_ref(),
        stream_type.as_deref(),
        path,
        &mut |change| listing.push(&change),
    )?;
    listing.finish()
}

/// `streams`: each summary printed as it is read, in the layout `serde_json`'s pretty printer gives the
/// whole list (a tree of JSON values for 500,000 streams took 600 MB, the list of summaries 200 MB).
pub(super) fn write_streams(
    store: &Store,
    shape: Shape,
    output: &FormatArgs,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let mut listing = Listing::new(out, shape, output, STREAM_COLUMNS)?;
    each_summary(store, &mut |summary| listing.push(summary))?;
    listing.finish()
}

/// Hand each stream's summary to `write`, stopping at its first error, counting them on a spinner.
fn each_summary(
    store: &Store,
    write: &mut dyn FnMut(&StreamSummary) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let progress = Progress::new("streams", "streams", None);
    let mut failed = None;
    store.each_stream(&mut |summary| match write(&summary) {
        Ok(()) => {
            progress.inc();
            true
        }
        Err(err) => {
            failed = Some(err);
            false
        }
    })?;
    failed.map_or(Ok(()), Err)
}
