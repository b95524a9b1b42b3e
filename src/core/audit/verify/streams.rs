//! The stream-by-stream pass of `verify`: each stream's versions, times and replay checked as its events go
//! by (gaps, duplicates, time going back, replay failures, snapshots that disagree with the replay), and the
//! fields each event type carries counted for the drift report, in memory bounded per stream.

use super::*;

/// Where an event is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct At {
    pub(super) position: i64,
    pub(super) stream: String,
    pub(super) version: i64,
}

/// What pass 2 keeps per stream.
pub(super) struct StreamState {
    /// Events seen.
    pub(super) count: usize,
    pub(super) last_version: Option<i64>,
    pub(super) last_position: i64,
    pub(super) last_time: Option<(DateTime<Utc>, i64, i64)>,
    /// Snapshots not yet compared, by version, with the replayed state (only while some are left).
    pub(super) snapshots: Option<SnapshotReplay>,
}

pub(super) struct SnapshotReplay {
    pub(super) state: Value,
    pub(super) pending: VecDeque<Snapshot>,
}

/// Statistics of one top-level field of one event type.
pub(super) struct FieldStats {
    /// When the type's statistics first met the field: the events of the type before, and the field's place
    /// among the keys of that event (so statistics gathered apart can be joined in the order met).
    pub(super) seen: (u64, usize),
    pub(super) present: u64,
    pub(super) first_present: At,
    pub(super) last_present: i64,
    pub(super) absent: u64,
    pub(super) first_absent: Option<At>,
    pub(super) last_absent: i64,
}

/// Statistics of one event type.
pub(super) struct TypeStats {
    pub(super) events: u64,
    pub(super) first: At,
    pub(super) last_position: i64,
    pub(super) fields: BTreeMap<String, FieldStats>,
}

/// What a stream pass is told before it starts; the same for both halves of a pass cut in two.
#[derive(Clone)]
pub(super) struct PassSettings<'o> {
    pub(super) reducer: Option<&'o dyn Reducer>,
    pub(super) now: Option<DateTime<Utc>>,
    /// Payloads decode (no cipher key is missing): their failures, fields and snapshots are checked.
    pub(super) payloads_checked: bool,
    /// Payloads are read with a schema that keeps the fields it does not know (`"$unknown"`), looked for.
    pub(super) unknown_fields_kept: bool,
    /// The streams that have snapshots.
    pub(super) snapshotted: BTreeSet<String>,
    /// Whether the scan in stream order reads each stream's events in one run (see
    /// [`Store::scan_keeps_streams_together`]): then only the current stream's state is kept.
    pub(super) together: bool,
    /// Positions of stuck outbox entries we want the stream and version of.
    pub(super) wanted: BTreeSet<i64>,
}

pub(super) struct StreamPass<'a, 'o> {
    pub(super) store: &'a Store,
    pub(super) settings: PassSettings<'o>,
    /// The state of every stream met (only the current one when `together`).
    pub(super) streams: HashMap<String, StreamState>,
    /// Streams met.
    pub(super) stream_count: u64,
    /// The replays of streams left behind with snapshots still to compare (taken after their last event).
    pub(super) leftover: BTreeMap<String, SnapshotReplay>,
    pub(super) types: BTreeMap<String, TypeStats>,
    /// The stream and version of each event [`PassSettings::wanted`], by position.
    pub(super) outbox_events: BTreeMap<i64, (String, i64)>,
    pub(super) error: Option<StoreError>,
}

impl<'a, 'o> StreamPass<'a, 'o> {
    /// A pass over `store` that has met nothing yet.
    pub(super) fn new(store: &'a Store, settings: PassSettings<'o>) -> Self {
        Self {
            store,
            settings,
            streams: HashMap::new(),
            stream_count: 0,
            leftover: BTreeMap::new(),
            types: BTreeMap::new(),
            outbox_events: BTreeMap::new(),
            error: None,
        }
    }

    pub(super) fn event(&mut self, event: &Event, sink: &mut Sink<'_>) {
        if !self.streams.contains_key(&event.stream) {
            if self.settings.together {
                self.retire();
            }
            self.stream_count += 1;
            let snapshots = match self.start_snapshots(&event.stream) {
                Ok(snapshots) => snapshots,
                Err(err) => {
                    self.error = Some(err);
                    return;
                }
            };
            self.streams.insert(
                event.stream.clone(),
                StreamState {
                    count: 0,
                    last_version: None,
                    last_position: event.position,
                    last_time: None,
                    snapshots,
                },
            );
        }
        let Some(state) = self.streams.get_mut(&event.stream) else {
            return;
        };
        let version = effective_version(event, state.count);
        let stream = || Some(event.stream.clone());
        if self.settings.wanted.contains(&event.position) {
            self.outbox_events
                .insert(event.position, (event.stream.clone(), version));
        }
        if let Some(v) = event.version {
            match state.last_version {
                None if state.count == 0 && v > 1 => sink.push(Finding {
                    kind: FindingKind::VersionGap,
                    severity: Severity::Error,
                    stream: stream(),
                    versions: bounds(1, v - 1),
                    positions: vec![event.position],
                    message: format!(
                        "the stream starts at version {v}: {} missing",
                        missing_versions(1, v - 1)
                    ),
                }),
                Some(last) if v == last => sink.push(Finding {
                    kind: FindingKind::DuplicateVersion,
                    severity: Severity::Error,
                    stream: stream(),
                    versions: vec![v],
                    positions: vec![state.last_position, event.position],
                    message: format!(
                        "version {v} is stored twice (positions {} and {})",
                        state.last_position, event.position
                    ),
                }),
                Some(last) if v > last.saturating_add(1) => sink.push(Finding {
                    kind: FindingKind::VersionGap,
                    severity: Severity::Error,
                    stream: stream(),
                    versions: bounds(last + 1, v - 1),
                    positions: vec![state.last_position, event.position],
                    message: format!(
                        "{} missing between version {last} (position {}) and version {v} (position {})",
                        missing_versions(last + 1, v - 1),
                        state.last_position,
                        event.position
                    ),
                }),
                _ => {}
            }
            if let Some(last) = state.last_version
                && v > last
                && event.position < state.last_position
            {
                sink.push(Finding {
                    kind: FindingKind::VersionOrder,
                    severity: Severity::Error,
                    stream: stream(),
                    versions: vec![last, v],
                    positions: vec![state.last_position, event.position],
                    message: format!(
                        "version {v} has position {}, before version {last} at position {}: the versions \
                         were not written in order",
                        event.position, state.last_position
                    ),
                });
            }
            state.last_version = Some(v);
        }
        if let Some(time) = event.time {
            if let Some((last_time, last_version, last_position)) = state.last_time
                && time < last_time
            {
                sink.push(Finding {
                    kind: FindingKind::TimeReversal,
                    severity: Severity::Warning,
                    stream: stream(),
                    versions: vec![last_version, version],
                    positions: vec![last_position, event.position],
                    message: format!(
                        "time goes backwards: version {version} is stamped {}, before version {last_version} \
                         ({})",
                        format_time(&time),
                        format_time(&last_time)
                    ),
                });
            }
            if let Some(now) = self.settings.now
                && time > now
            {
                sink.push(Finding {
                    kind: FindingKind::FutureTime,
                    severity: Severity::Warning,
                    stream: stream(),
                    versions: vec![version],
                    positions: vec![event.position],
                    message: format!(
                        "version {version} is stamped {}, after the newest event written ({})",
                        format_time(&time),
                        format_time(&now)
                    ),
                });
            }
            state.last_time = Some((time, version, event.position));
        } else if let Some(stored) = &event.stored_time {
            sink.push(Finding {
                kind: FindingKind::UnreadableTime,
                severity: Severity::Warning,
                stream: stream(),
                versions: vec![version],
                positions: vec![event.position],
                message: format!(
                    "version {version} ({}) has a time that cannot be read: stored {stored:?}; it is shown as \
                     stored and left out of the time checks",
                    type_name(&event.event_type)
                ),
            });
        }
        state.last_position = event.position;
        state.count += 1;
        if !self.settings.payloads_checked {
            return;
        }
        for (what, payload) in [
            ("payload", Some(&event.data)),
            ("metadata", event.metadata.as_ref()),
        ] {
            if let Some(Payload::Raw { reason, bytes }) = payload {
                sink.push(Finding {
                    kind: FindingKind::UndecodablePayload,
                    severity: Severity::Error,
                    stream: stream(),
                    versions: vec![version],
                    positions: vec![event.position],
                    message: format!(
                        "the {what} of version {version} ({}, {} bytes) does not decode: {reason}",
                        type_name(&event.event_type),
                        bytes.len()
                    ),
                });
            }
        }
        if self.settings.unknown_fields_kept
            && let Payload::Json(data) = &event.data
        {
            let found = super::unknown_fields::unknown_fields(data);
            if !found.is_empty() {
                sink.push(Finding {
                    kind: FindingKind::SchemaDrift,
                    severity: Severity::Warning,
                    stream: stream(),
                    versions: vec![version],
                    positions: vec![event.position],
                    message: format!(
                        "the payload of version {version} ({}) holds fields the schema does not know, so it \
                         was written with another version of the schema: {}",
                        type_name(&event.event_type),
                        super::unknown_fields::describe(&found)
                    ),
                });
            }
        }
        if let Payload::Json(Value::Object(data)) = &event.data {
            record_fields(
                &mut self.types,
                &event.event_type,
                data,
                At {
                    position: event.position,
                    stream: event.stream.clone(),
                    version,
                },
            );
        }
        if let Some(mut replay) = state.snapshots.take() {
            let index = state.count - 1;
            compare_due(&event.stream, &mut replay, Some(version), sink);
            let Some(reducer) = self.settings.reducer else {
                return;
            };
            match apply_event(reducer, replay.state, event, index) {
                Ok(next) => {
                    replay.state = next;
                    if !replay.pending.is_empty() {
                        state.snapshots = Some(replay);
                    }
                }
                Err(err) => sink.push(Finding {
                    kind: FindingKind::ReplayError,
                    severity: Severity::Warning,
                    stream: stream(),
                    versions: vec![version],
                    positions: vec![event.position],
                    message: format!(
                        "{err}; {} {} of this stream not checked",
                        replay.pending.len(),
                        plural(
                            u64::try_from(replay.pending.len()).unwrap_or(0),
                            "snapshot",
                            "snapshots"
                        )
                    ),
                }),
            }
        }
    }

    /// The snapshots of a stream met for the first time, with its initial state (`None` without snapshots).
    pub(super) fn start_snapshots(
        &self,
        stream: &str,
    ) -> Result<Option<SnapshotReplay>, StoreError> {
        let Some(reducer) = self
            .settings
            .reducer
            .filter(|_| self.settings.snapshotted.contains(stream))
        else {
            return Ok(None);
        };
        let mut snapshots = self.store.snapshots(stream)?;
        if snapshots.is_empty() {
            return Ok(None);
        }
        snapshots.sort_by_key(|s| s.version);
        let stream_type = self.store.stream(stream)?.stream_type;
        Ok(Some(SnapshotReplay {
            state: reducer.initial(stream_type.as_deref()),
            pending: snapshots.into(),
        }))
    }

    /// Drop the state of the streams met so far, keeping the replays with snapshots still to compare.
    pub(super) fn retire(&mut self) {
        for (id, state) in self.streams.drain() {
            if let Some(replay) = state.snapshots {
                self.leftover.insert(id, replay);
            }
        }
    }

    /// Compare the snapshots taken after the last event of each stream, by id.
    pub(super) fn finish_snapshots(&mut self, sink: &mut Sink<'_>) {
        self.retire();
        for (id, mut replay) in std::mem::take(&mut self.leftover) {
            compare_due(&id, &mut replay, None, sink);
        }
    }
}

/// Compare the pending snapshots taken before `next_version` (all of them when `None`) with the state.
pub(super) fn compare_due(
    stream: &str,
    replay: &mut SnapshotReplay,
    next_version: Option<i64>,
    sink: &mut Sink<'_>,
) {
    while let Some(snapshot) = replay
        .pending
        .front()
        .filter(|s| next_version.is_none_or(|v| s.version < v))
    {
        match &snapshot.state {
            Payload::Json(state) => {
                let changes = diff(&replay.state, state);
                if !changes.is_empty() {
                    let mut shown = String::new();
                    for change in changes.iter().take(3) {
                        let _ = write!(
                            shown,
                            "{}{}: {} -> {}",
                            if shown.is_empty() { "" } else { "; " },
                            if change.path.is_empty() {
                                "/"
                            } else {
                                &change.path
                            },
                            short(change.old.as_ref()),
                            short(change.new.as_ref())
                        );
                    }
                    if changes.len() > 3 {
                        let _ = write!(shown, "; and {} more", changes.len() - 3);
                    }
                    sink.push(Finding {
                        kind: FindingKind::SnapshotMismatch,
                        severity: Severity::Error,
                        stream: Some(stream.to_owned()),
                        versions: vec![snapshot.version],
                        positions: Vec::new(),
                        message: format!(
                            "the snapshot at version {} disagrees with the replay (replay -> snapshot): {shown}",
                            snapshot.version
                        ),
                    });
                }
            }
            Payload::Raw { reason, .. } => sink.push(Finding {
                kind: FindingKind::UndecodablePayload,
                severity: Severity::Error,
                stream: Some(stream.to_owned()),
                versions: vec![snapshot.version],
                positions: Vec::new(),
                message: format!(
                    "the snapshot at version {} does not decode: {reason}",
                    snapshot.version
                ),
            }),
        }
        replay.pending.pop_front();
    }
}

/// A JSON value shortened for a message (`absent` when missing).
pub(super) fn short(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return "absent".to_owned();
    };
    let text = value.to_string();
    if text.chars().count() <= 60 {
        text
    } else {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    }
}

pub(super) fn type_name(event_type: &str) -> String {
    if event_type.is_empty() {
        "no type".to_owned()
    } else {
        format!("type {event_type}")
    }
}

pub(super) fn missing_versions(first: i64, last: i64) -> String {
    if first == last {
        format!("version {first} is")
    } else {
        format!("versions {first}–{last} ({}) are", last - first + 1)
    }
}

pub(super) fn record_fields(
    types: &mut BTreeMap<String, TypeStats>,
    event_type: &str,
    data: &serde_json::Map<String, Value>,
    at: At,
) {
    let stats = types
        .entry(event_type.to_owned())
        .or_insert_with(|| TypeStats {
            events: 0,
            first: at.clone(),
            last_position: at.position,
            fields: BTreeMap::new(),
        });
    for (place, key) in data.keys().enumerate() {
        if stats.fields.contains_key(key) || stats.fields.len() >= MAX_FIELDS_PER_TYPE {
            continue;
        }
        // A new field: every event of the type seen so far lacked it.
        stats.fields.insert(
            key.clone(),
            FieldStats {
                seen: (stats.events, place),
                present: 0,
                first_present: at.clone(),
                last_present: at.position,
                absent: stats.events,
                first_absent: (stats.events > 0).then(|| stats.first.clone()),
                last_absent: stats.last_position,
            },
        );
    }
    for (key, field) in &mut stats.fields {
        if data.contains_key(key) {
            field.present += 1;
            if at.position < field.first_present.position {
                field.first_present = at.clone();
            }
            field.last_present = field.last_present.max(at.position);
        } else {
            if field.absent == 0 {
                field.last_absent = at.position;
            }
            field.absent += 1;
            if field
                .first_absent
                .as_ref()
                .is_none_or(|a| at.position < a.position)
            {
                field.first_absent = Some(at.clone());
            }
            field.last_absent = field.last_absent.max(at.position);
        }
    }
    stats.events += 1;
    if at.position < stats.first.position {
        stats.first = at.clone();
    }
    stats.last_position = stats.last_position.max(at.position);
}

/// Where a type's field set changed: the first event after, fields added and removed, events before and
/// after.
type DriftChange<'a> = (At, Vec<&'a str>, Vec<&'a str>, u64, u64);

/// One finding per type and position where its field set changed for good.
pub(super) fn report_drift(types: &BTreeMap<String, TypeStats>, sink: &mut Sink<'_>) {
    for (event_type, stats) in types {
        // Boundary position -> (where, added, removed, events before, events after).
        let mut changes: BTreeMap<i64, DriftChange<'_>> = BTreeMap::new();
        for (name, field) in &stats.fields {
            if field.present < DRIFT_MIN_EVENTS || field.absent < DRIFT_MIN_EVENTS {
                continue;
            }
            let Some(first_absent) = &field.first_absent else {
                continue;
            };
            if field.last_absent < field.first_present.position {
                let entry = changes
                    .entry(field.first_present.position)
                    .or_insert_with(|| {
                        (
                            field.first_present.clone(),
                            Vec::new(),
                            Vec::new(),
                            field.absent,
                            field.present,
                        )
                    });
                entry.1.push(name);
            } else if field.last_present < first_absent.position {
                let entry = changes.entry(first_absent.position).or_insert_with(|| {
                    (
                        first_absent.clone(),
                        Vec::new(),
                        Vec::new(),
                        field.present,
                        field.absent,
                    )
                });
                entry.2.push(name);
            }
        }
        for (at, added, removed, before, after) in changes.into_values() {
            let mut what = Vec::new();
            if !added.is_empty() {
                what.push(format!("added {}", added.join(", ")));
            }
            if !removed.is_empty() {
                what.push(format!("removed {}", removed.join(", ")));
            }
            sink.push(Finding {
                kind: FindingKind::SchemaDrift,
                severity: Severity::Warning,
                stream: Some(at.stream.clone()),
                versions: vec![at.version],
                positions: vec![at.position],
                message: format!(
                    "{} changed its fields from position {} (version {} of this stream): {} ({before} {} \
                     before, {after} from then on)",
                    type_name(event_type),
                    at.position,
                    at.version,
                    what.join("; "),
                    plural(before, "event", "events"),
                ),
            });
        }
    }
}
