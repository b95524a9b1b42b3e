//! Pass 2 of `verify` (every event, stream after stream) cut in two for a large store: this thread checks
//! the streams before the store's middle stream key while a second connection, on a thread of its own,
//! checks the rest (see [`Store::stream_split`]). A scan in stream order spends most of its time copying the
//! table's pages out of the kernel, one page per event more often than not; two threads copy twice as fast.
//!
//! The findings are the ones one pass gives, in the same order: the first half's go out as they are found;
//! the second half's are held (at most [`VerifyOptions::max_per_kind`] of each kind, the rest counted) and
//! go out when the first half is done. What the second half gathered for later (streams, snapshots still to
//! compare, outbox entries, the fields of each event type) is joined onto the first half's as if one pass
//! had read on. Each half reads in one statement, so each stream is checked within one read of the file, as
//! each of verify's passes is.
//!
//! When the second connection cannot be opened, this thread reads the second half after the first.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::streams::{At, FieldStats, SnapshotReplay, TypeStats, record_fields};
use super::*;
use crate::core::store::{StreamHalf, StreamSplit};

/// Stores with fewer events are checked in one pass: a second connection would cost more than it saves.
pub(super) const AT_LEAST: u64 = 200_000;

/// Pass 2 over the whole store with `pass`, in two halves when the store holds at least `at_least` events
/// and can be cut; `progress` as [`verify`] takes it. Returns whether the pass ran to the end.
pub(super) fn stream_pass(
    pass: &mut StreamPass<'_, '_>,
    sink: &mut Sink<'_>,
    total: u64,
    at_least: u64,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<bool, VerifyError> {
    let store = pass.store;
    let split = if pass.settings.together {
        store.stream_split(total, at_least)?
    } else {
        None
    };
    let Some(split) = split else {
        let mut done = 0;
        let completed = store.scan(ScanOrder::Stream, &ScanFilter::default(), &mut |event| {
            check(pass, sink, &event, &mut done, 0, total, progress)
        })?;
        return finished(pass, completed);
    };
    let (path, options) = (store.path().to_path_buf(), store.reopen_options());
    let (settings, max_per_kind) = (pass.settings.clone(), sink.max_per_kind);
    // Events checked by the second half so far, for the progress this thread reports.
    let second_done = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let second = std::thread::Builder::new()
            .name("eventscope-verify-half".to_owned())
            .spawn_scoped(scope, || -> Option<SecondHalf> {
                let store = Store::open_with(&path, options).ok()?;
                Some(second_half(
                    &store,
                    &split,
                    settings,
                    max_per_kind,
                    &stop,
                    &second_done,
                ))
            });
        let mut done = 0;
        let seconds = || second_done.load(Ordering::Relaxed);
        let first = store.scan_stream_half(StreamHalf::Before(&split), &mut |event| {
            check(pass, sink, &event, &mut done, seconds(), total, progress)
        });
        let first = first
            .map_err(VerifyError::from)
            .and_then(|completed| finished(pass, completed));
        if !matches!(first, Ok(true)) {
            stop.store(true, Ordering::Relaxed);
            return first;
        }
        let Ok(second) = second else {
            return read_on(pass, sink, &split, done, total, progress);
        };
        // The second half's progress goes on showing while it finishes.
        while !second.is_finished() {
            if !progress(Progress {
                phase: Phase::Events,
                done: done + seconds(),
                total,
            }) {
                stop.store(true, Ordering::Relaxed);
                return Ok(false);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        match second.join() {
            Ok(Some(half)) => join(pass, sink, &split, half),
            Ok(None) => read_on(pass, sink, &split, done, total, progress),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Checks one event with `pass`, counting it in `done` and reporting progress (with `others` checked
/// elsewhere); false to stop the scan.
fn check(
    pass: &mut StreamPass<'_, '_>,
    sink: &mut Sink<'_>,
    event: &Event,
    done: &mut u64,
    others: u64,
    total: u64,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> bool {
    pass.event(event, sink);
    *done += 1;
    pass.error.is_none()
        && (!done.is_multiple_of(PROGRESS_EVERY)
            || progress(Progress {
                phase: Phase::Events,
                done: *done + others,
                total,
            }))
}

/// What a scan that `completed` (or stopped) leaves: the error `pass` met, if any, or whether it ran to the
/// end.
fn finished(pass: &mut StreamPass<'_, '_>, completed: bool) -> Result<bool, VerifyError> {
    match pass.error.take() {
        Some(err) => Err(err.into()),
        None => Ok(completed),
    }
}

/// Reads the second half on this thread after the first (no second connection).
fn read_on(
    pass: &mut StreamPass<'_, '_>,
    sink: &mut Sink<'_>,
    split: &StreamSplit,
    mut done: u64,
    total: u64,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<bool, VerifyError> {
    let store = pass.store;
    let completed = store.scan_stream_half(StreamHalf::From(split), &mut |event| {
        check(pass, sink, &event, &mut done, 0, total, progress)
    })?;
    finished(pass, completed)
}

/// What the second half found and gathered.
struct SecondHalf {
    /// The findings listed, in the order found.
    findings: Vec<Finding>,
    /// Findings beyond the limit per kind, counted, with the worst severity of each kind.
    not_listed: BTreeMap<FindingKind, u64>,
    severities: BTreeMap<FindingKind, Severity>,
    /// Whether the scan ran to the end, or what stopped it.
    outcome: Result<bool, StoreError>,
    stream_count: u64,
    leftover: BTreeMap<String, SnapshotReplay>,
    types: BTreeMap<String, TypeStats>,
    outbox_events: BTreeMap<i64, (String, i64)>,
}

/// Checks the streams from `split` on with `store`, holding the findings; stops when `stop` is set.
fn second_half(
    store: &Store,
    split: &StreamSplit,
    settings: PassSettings<'_>,
    max_per_kind: usize,
    stop: &AtomicBool,
    done: &AtomicU64,
) -> SecondHalf {
    let mut pass = StreamPass::new(store, settings);
    let mut findings = Vec::new();
    let mut push = |finding| findings.push(finding);
    let mut sink = Sink {
        max_per_kind,
        listed: HashMap::new(),
        not_listed: BTreeMap::new(),
        severities: BTreeMap::new(),
        reported: 0,
        on_finding: &mut push,
    };
    let outcome = store.scan_stream_half(StreamHalf::From(split), &mut |event| {
        pass.event(&event, &mut sink);
        done.fetch_add(1, Ordering::Relaxed);
        pass.error.is_none() && !stop.load(Ordering::Relaxed)
    });
    let outcome = match (outcome, pass.error.take()) {
        (_, Some(err)) | (Err(err), None) => Err(err),
        (Ok(completed), None) => Ok(completed),
    };
    pass.retire();
    let (not_listed, severities) = (sink.not_listed, sink.severities);
    SecondHalf {
        findings,
        not_listed,
        severities,
        outcome,
        stream_count: pass.stream_count,
        leftover: pass.leftover,
        types: pass.types,
        outbox_events: pass.outbox_events,
    }
}

/// Puts the second half's findings out after the first half's and joins what it gathered onto `pass`.
fn join(
    pass: &mut StreamPass<'_, '_>,
    sink: &mut Sink<'_>,
    split: &StreamSplit,
    half: SecondHalf,
) -> Result<bool, VerifyError> {
    for finding in half.findings {
        sink.push(finding);
    }
    for (kind, count) in half.not_listed {
        *sink.not_listed.entry(kind).or_insert(0) += count;
    }
    for (kind, severity) in half.severities {
        let worst = sink.severities.entry(kind).or_insert(severity);
        *worst = (*worst).min(severity);
    }
    if !half.outcome? {
        return Ok(false);
    }
    pass.stream_count += half.stream_count;
    pass.leftover.extend(half.leftover);
    pass.outbox_events.extend(half.outbox_events);
    let both_capped = half.types.iter().any(|(name, stats)| {
        stats.fields.len() >= MAX_FIELDS_PER_TYPE && pass.types.contains_key(name)
    });
    if both_capped {
        record_fields_again(pass, split)?;
    } else {
        join_types(&mut pass.types, half.types);
    }
    Ok(true)
}

/// Gathers the fields of the second half's events again, on this thread after the first half's: for a type
/// whose fields the second half stopped tracking, which of them one pass would track depends on what the
/// first half met.
fn record_fields_again(
    pass: &mut StreamPass<'_, '_>,
    split: &StreamSplit,
) -> Result<(), VerifyError> {
    let store = pass.store;
    let types = &mut pass.types;
    let mut stream: Option<(String, usize)> = None;
    store.scan_stream_half(StreamHalf::From(split), &mut |event| {
        let count = match &mut stream {
            Some((id, count)) if *id == event.stream => count,
            other => &mut other.insert((event.stream.clone(), 0)).1,
        };
        let version = effective_version(&event, *count);
        *count += 1;
        if let Payload::Json(Value::Object(data)) = &event.data {
            let at = At {
                position: event.position,
                stream: event.stream.clone(),
                version,
            };
            record_fields(types, &event.event_type, data, at);
        }
        true
    })?;
    Ok(())
}

/// Joins the second half's field statistics onto the first half's, as if one pass had gone on to read the
/// second half: the first half's fields are counted on, and the second half's new fields join in the order
/// it met them while a type tracks fewer than [`MAX_FIELDS_PER_TYPE`]. The second half must have tracked
/// every field it met of each type the first half has (fewer than the limit).
fn join_types(into: &mut BTreeMap<String, TypeStats>, from: BTreeMap<String, TypeStats>) {
    for (name, second) in from {
        let Some(first) = into.get_mut(&name) else {
            into.insert(name, second);
            continue;
        };
        let TypeStats {
            events,
            first: earliest,
            last_position,
            fields,
        } = second;
        let mut later = fields;
        for (key, field) in &mut first.fields {
            match later.remove(key) {
                Some(later) => field.count_on(&later),
                None => field.absent_from(events, &earliest, last_position),
            }
        }
        let mut new: Vec<(String, FieldStats)> = later.into_iter().collect();
        new.sort_by_key(|(_, field)| field.seen);
        let room = MAX_FIELDS_PER_TYPE.saturating_sub(first.fields.len());
        for (key, later) in new.into_iter().take(room) {
            let field = FieldStats {
                seen: (first.events + later.seen.0, later.seen.1),
                absent: first.events + later.absent,
                first_absent: match later.first_absent {
                    Some(at) if at.position < first.first.position => Some(at),
                    _ => Some(first.first.clone()),
                },
                last_absent: if later.absent > 0 {
                    first.last_position.max(later.last_absent)
                } else {
                    first.last_position
                },
                ..later
            };
            first.fields.insert(key, field);
        }
        first.events += events;
        if earliest.position < first.first.position {
            first.first = earliest;
        }
        first.last_position = first.last_position.max(last_position);
    }
}

impl FieldStats {
    /// Counts on with `later`, the same field's statistics over later events.
    fn count_on(&mut self, later: &Self) {
        self.present += later.present;
        if later.first_present.position < self.first_present.position {
            self.first_present = later.first_present.clone();
        }
        self.last_present = self.last_present.max(later.last_present);
        if later.absent > 0 {
            self.last_absent = if self.absent == 0 {
                later.last_absent
            } else {
                self.last_absent.max(later.last_absent)
            };
        }
        if let Some(at) = &later.first_absent
            && self
                .first_absent
                .as_ref()
                .is_none_or(|a| at.position < a.position)
        {
            self.first_absent = Some(at.clone());
        }
        self.absent += later.absent;
    }

    /// Counts `events` later events of the type (the earliest `earliest`, the last at `last_position`) as
    /// lacking this field.
    fn absent_from(&mut self, events: u64, earliest: &At, last_position: i64) {
        if events == 0 {
            return;
        }
        self.last_absent = if self.absent == 0 {
            last_position
        } else {
            self.last_absent.max(last_position)
        };
        if self
            .first_absent
            .as_ref()
            .is_none_or(|a| earliest.position < a.position)
        {
            self.first_absent = Some(earliest.clone());
        }
        self.absent += events;
    }
}

#[cfg(test)]
mod tests;
