//! Outbox tables beside the events (a transactional outbox): entries stuck with no tries left and how many
//! are still pending, reported as store-wide findings.

use super::*;

/// An outbox table and what it holds.
pub(super) struct Outbox {
    pub(super) table: String,
    /// Entries with no tries left.
    pub(super) stuck: Vec<OutboxEntry>,
    pub(super) pending: u64,
    pub(super) pending_positions: Option<(i64, i64)>,
    pub(super) tries_left: Option<(i64, i64)>,
    pub(super) oldest: Option<String>,
}

pub(super) struct OutboxEntry {
    pub(super) id: i64,
    pub(super) position: i64,
    pub(super) created_at: String,
}

/// Outbox tables: a table whose name contains `outbox` with `position` and `tries_left` columns (Event
/// Sourcery's SQLAlchemy and Django outboxes). A published entry is deleted, so every row is unpublished.
pub(super) fn read_outboxes(store: &Store) -> Result<Vec<Outbox>, VerifyError> {
    let tables = store.table_infos().map_err(|source| VerifyError::Table {
        table: "(the list of tables)".to_owned(),
        source,
    })?;
    let mut out = Vec::new();
    for table in tables {
        let has = |c: &str| table.columns.iter().any(|col| col.name == c);
        if !table.name.to_ascii_lowercase().contains("outbox")
            || !["id", "position", "tries_left", "created_at"]
                .iter()
                .all(|c| has(c))
        {
            continue;
        }
        let mut outbox = Outbox {
            table: table.name.clone(),
            stuck: Vec::new(),
            pending: 0,
            pending_positions: None,
            tries_left: None,
            oldest: None,
        };
        store
            .each_outbox_entry(&table.name, &mut |id, position, tries_left, created_at| {
                if tries_left <= 0 {
                    outbox.stuck.push(OutboxEntry {
                        id,
                        position,
                        created_at,
                    });
                    return;
                }
                outbox.pending += 1;
                outbox.pending_positions = Some(match outbox.pending_positions {
                    None => (position, position),
                    Some((a, b)) => (a.min(position), b.max(position)),
                });
                outbox.tries_left = Some(match outbox.tries_left {
                    None => (tries_left, tries_left),
                    Some((a, b)) => (a.min(tries_left), b.max(tries_left)),
                });
                if outbox
                    .oldest
                    .as_ref()
                    .is_none_or(|oldest| created_at < *oldest)
                {
                    outbox.oldest = Some(created_at);
                }
            })
            .map_err(|source| VerifyError::Table {
                table: table.name.clone(),
                source,
            })?;
        out.push(outbox);
    }
    Ok(out)
}

pub(super) fn report_outboxes(
    outboxes: &[Outbox],
    events: &BTreeMap<i64, (String, i64)>,
    sink: &mut Sink<'_>,
) {
    for outbox in outboxes {
        for entry in &outbox.stuck {
            let event = events.get(&entry.position);
            sink.push(Finding {
                kind: FindingKind::OutboxStuck,
                severity: Severity::Error,
                stream: event.map(|(stream, _)| stream.clone()),
                versions: event.map(|(_, v)| vec![*v]).unwrap_or_default(),
                positions: vec![entry.position],
                message: format!(
                    "{} entry {} (event at position {}{}, queued {}) has no tries left: it will never be \
                     published",
                    outbox.table,
                    entry.id,
                    entry.position,
                    if event.is_some() {
                        ""
                    } else {
                        ", which is not in the store"
                    },
                    entry.created_at
                ),
            });
        }
        if let (Some((first, last)), Some((min_tries, max_tries))) =
            (outbox.pending_positions, outbox.tries_left)
        {
            sink.push(Finding {
                kind: FindingKind::OutboxPending,
                severity: Severity::Info,
                stream: None,
                versions: Vec::new(),
                positions: bounds(first, last),
                message: format!(
                    "{}: {} {} not published yet (events at positions {}, oldest queued {}, {} tries left)",
                    outbox.table,
                    outbox.pending,
                    plural(outbox.pending, "entry", "entries"),
                    range_text(first, last),
                    outbox.oldest.as_deref().unwrap_or("?"),
                    if min_tries == max_tries {
                        min_tries.to_string()
                    } else {
                        format!("{min_tries} to {max_tries}")
                    },
                ),
            });
        }
    }
}
