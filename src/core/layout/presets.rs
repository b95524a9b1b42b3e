//! The layouts real event-sourcing libraries write, recognised by their schema: Python's `eventsourcing`
//! (its SQLite and PostgreSQL modules and eventsourcing-sqlalchemy), Event Sourcery (SQLAlchemy and Django
//! backends), cqrs-es with sqlite-es or postgres-es, Emmett (SQLite and PostgreSQL), Message DB and Marten. Each
//! preset is a [`Mapping`] (or several, one per application).

use crate::core::decode::codec::{Codec, Encryption, Format, Transform, looks_encrypted};
use crate::core::layout::{
    Catalog, CatalogError, DetectError, Dialect, Join, Mapping, SnapshotSource, Source, TableInfo,
    fill_trace_roles,
};

/// The preset mappings for this file, if its schema is a known library's.
pub fn detect(catalog: &mut dyn Catalog) -> Result<Option<Vec<Mapping>>, DetectError> {
    let tables = catalog.tables()?;
    type Preset = fn(&mut dyn Catalog, &[TableInfo]) -> Result<Vec<Mapping>, DetectError>;
    let presets: [Preset; 6] = [
        eventsourcing,
        event_sourcery,
        cqrs_es,
        emmett,
        message_db,
        marten,
    ];
    for preset in presets {
        let mut mappings = preset(catalog, &tables)?;
        if !mappings.is_empty() {
            for mapping in &mut mappings {
                if let Some(table) = tables.iter().find(|t| t.name == mapping.table) {
                    fill_trace_roles(catalog, table, mapping)?;
                }
            }
            return Ok(Some(mappings));
        }
    }
    Ok(None)
}

fn has_columns(table: &TableInfo, columns: &[&str]) -> bool {
    columns.iter().all(|want| {
        table
            .columns
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(want))
    })
}

fn column(name: &str) -> Source {
    Source::Column(name.to_owned())
}

fn json(column: &str, path: &str) -> Source {
    Source::Json {
        column: column.to_owned(),
        path: path.to_owned(),
    }
}

const EVENTSOURCING_COLUMNS: [&str; 4] = ["originator_id", "originator_version", "topic", "state"];

/// `eventsourcing`: `stored_events` (its SQLite module, position = rowid) or one `<app>_events` table per
/// application (eventsourcing-sqlalchemy, position = `id`; its PostgreSQL module, position =
/// `notification_id`). Snapshot tables are not events.
fn eventsourcing(
    catalog: &mut dyn Catalog,
    tables: &[TableInfo],
) -> Result<Vec<Mapping>, DetectError> {
    let mut out = Vec::new();
    for table in tables {
        let lower = table.name.to_ascii_lowercase();
        let is_events = lower == "stored_events" || lower.ends_with("_events");
        if !is_events || !has_columns(table, &EVENTSOURCING_COLUMNS) {
            continue;
        }
        let app = table.name.strip_suffix("_events").unwrap_or(&table.name);
        let (layout, position) = if has_columns(table, &["id"]) {
            (
                format!("eventsourcing-sqlalchemy (application {app})"),
                column("id"),
            )
        } else if has_columns(table, &["notification_id"]) {
            (
                format!("eventsourcing (PostgreSQL module, application {app})"),
                column("notification_id"),
            )
        } else {
            ("eventsourcing (SQLite module)".to_owned(), Source::Rowid)
        };
        let codec = Codec {
            encryption: sample_is_encrypted(catalog, &table.name, "state")?
                .then_some(Encryption::EventsourcingAesGcm),
            format: Format::Json,
            transform: Some(Transform::EventsourcingTypes),
            ..Codec::default()
        };
        let snapshot_table = if lower == "stored_events" {
            "stored_snapshots".to_owned()
        } else {
            format!(
                "{}_snapshots",
                table.name.strip_suffix("_events").unwrap_or(&table.name)
            )
        };
        let snapshots = tables
            .iter()
            .find(|t| t.name == snapshot_table && has_columns(t, &EVENTSOURCING_COLUMNS))
            .map(|t| SnapshotSource {
                table: t.name.clone(),
                join: None,
                stream: vec![column("originator_id")],
                version: column("originator_version"),
                snapshot_type: Some(column("topic")),
                state: "state".to_owned(),
                state_pointer: Some("/state".to_owned()),
                codec: codec.clone(),
            });
        out.push(Mapping {
            position,
            stream: vec![column("originator_id")],
            stream_type: Some(json("state", "$.originator_topic")),
            version: Some(column("originator_version")),
            event_type: Some(column("topic")),
            time: Some(json("state", "$.timestamp")),
            data: Some("state".to_owned()),
            codec,
            snapshots,
            ..Mapping::for_table(&layout, &table.name)
        });
    }
    Ok(out)
}

/// Whether the first stored payload is neither JSON nor compressed JSON (then it is taken to be encrypted);
/// a compressed payload too large to decode is not taken for encrypted.
fn sample_is_encrypted(
    catalog: &mut dyn Catalog,
    table: &str,
    column: &str,
) -> Result<bool, CatalogError> {
    let sample = catalog.sample(table, column, 1)?;
    Ok(sample
        .first()
        .is_some_and(|value| looks_encrypted(value.cell())))
}

/// Event Sourcery: events joined to their stream row (SQLAlchemy: `db_stream_id`, Django: `stream_id`); a
/// stream is (tenant, category, uuid). Snapshots, outbox entries and projector cursors are other tables.
fn event_sourcery(
    _catalog: &mut dyn Catalog,
    tables: &[TableInfo],
) -> Result<Vec<Mapping>, DetectError> {
    let find = |name: &str| tables.iter().find(|t| t.name == name);
    let variants = [
        (
            "Event Sourcery (SQLAlchemy)",
            "event_sourcery_events",
            "event_sourcery_streams",
            "db_stream_id",
            "event_sourcery_snapshots",
        ),
        (
            "Event Sourcery (Django)",
            "event_sourcery_django_event",
            "event_sourcery_django_stream",
            "stream_id",
            "event_sourcery_django_snapshot",
        ),
    ];
    for (layout, events, streams, fk, snapshot_table) in variants {
        let (Some(events_table), Some(streams_table)) = (find(events), find(streams)) else {
            continue;
        };
        if !has_columns(
            events_table,
            &[
                "id",
                "version",
                "name",
                "data",
                "event_context",
                "created_at",
                fk,
            ],
        ) || !has_columns(streams_table, &["id", "uuid", "category", "tenant_id"])
        {
            continue;
        }
        let joined = |c: &str| Source::Joined(c.to_owned());
        let join = Join {
            table: streams.to_owned(),
            key: "id".to_owned(),
            on: fk.to_owned(),
        };
        let snapshots = find(snapshot_table)
            .filter(|t| has_columns(t, &["version", "name", "data", fk]))
            .map(|t| SnapshotSource {
                table: t.name.clone(),
                join: Some(join.clone()),
                stream: vec![joined("tenant_id"), joined("category"), joined("uuid")],
                version: column("version"),
                snapshot_type: Some(column("name")),
                state: "data".to_owned(),
                state_pointer: None,
                codec: Codec::default(),
            });
        return Ok(vec![Mapping {
            join: Some(Join {
                table: streams.to_owned(),
                key: "id".to_owned(),
                on: fk.to_owned(),
            }),
            position: column("id"),
            stream: vec![joined("tenant_id"), joined("category"), joined("uuid")],
            stream_type: Some(joined("category")),
            stream_name: has_columns(streams_table, &["name"]).then(|| joined("name")),
            tenant: Some(joined("tenant_id")),
            version: Some(column("version")),
            event_type: Some(column("name")),
            time: Some(column("created_at")),
            data: Some("data".to_owned()),
            metadata: Some("event_context".to_owned()),
            id: Some(column("uuid")),
            snapshots,
            ..Mapping::for_table(layout, events)
        }]);
    }
    Ok(Vec::new())
}

const CQRS_ES_COLUMNS: [&str; 7] = [
    "aggregate_type",
    "aggregate_id",
    "sequence",
    "event_type",
    "event_version",
    "payload",
    "metadata",
];

/// cqrs-es with sqlite-es or postgres-es: a stream is (aggregate_type, aggregate_id), read in `sequence` order;
/// payloads are serde enums. The library keeps no global position, so the position is the row's place in the
/// table (SQLite's rowid, PostgreSQL's ctid), and no time, so the time is the `timestamp` the application put
/// in every event's metadata, if it did. The layout's name says both.
fn cqrs_es(catalog: &mut dyn Catalog, tables: &[TableInfo]) -> Result<Vec<Mapping>, DetectError> {
    let Some(table) = tables
        .iter()
        .find(|t| t.name == "events" && has_columns(t, &CQRS_ES_COLUMNS))
    else {
        return Ok(Vec::new());
    };
    let time = json("metadata", "$.timestamp");
    let untimed = catalog.rows_lacking_key(&table.name, "metadata", "timestamp")?;
    let (library, place) = match catalog.dialect() {
        Dialect::Sqlite => ("sqlite-es", "rowid"),
        Dialect::Postgres => ("postgres-es", "ctid"),
    };
    let times = if untimed == 0 {
        "time = metadata.timestamp"
    } else {
        "no timestamp in every event's metadata either: no times"
    };
    let layout = format!(
        "cqrs-es ({library}; no global position: rows in table order, by {place}; no time column: {times})"
    );
    Ok(vec![Mapping {
        position: Source::Rowid,
        stream: vec![column("aggregate_type"), column("aggregate_id")],
        stream_type: Some(column("aggregate_type")),
        version: Some(column("sequence")),
        event_type: Some(column("event_type")),
        time: (untimed == 0).then_some(time),
        data: Some("payload".to_owned()),
        metadata: Some("metadata".to_owned()),
        id: has_columns(table, &["event_id"]).then(|| column("event_id")),
        codec: Codec {
            encryption: None,
            format: Format::Json,
            transform: Some(Transform::SerdeEnum),
            ..Codec::default()
        },
        snapshots: tables
            .iter()
            .find(|t| {
                t.name == "snapshots"
                    && has_columns(
                        t,
                        &["aggregate_type", "aggregate_id", "last_sequence", "payload"],
                    )
            })
            .map(|t| SnapshotSource {
                table: t.name.clone(),
                join: None,
                stream: vec![column("aggregate_type"), column("aggregate_id")],
                version: column("last_sequence"),
                snapshot_type: None,
                state: "payload".to_owned(),
                state_pointer: None,
                codec: Codec::default(),
            }),
        ..Mapping::for_table(&layout, &table.name)
    }])
}

/// Emmett (emmett-sqlite): events are the `E` rows of `emt_messages` that are not archived; the stream's
/// type is the part of its name before the first `-`.
fn emmett(catalog: &mut dyn Catalog, tables: &[TableInfo]) -> Result<Vec<Mapping>, DetectError> {
    let wanted = [
        "stream_id",
        "stream_position",
        "global_position",
        "message_type",
        "message_data",
        "message_metadata",
    ];
    let Some(table) = tables
        .iter()
        .find(|t| t.name == "emt_messages" && has_columns(t, &wanted))
    else {
        return Ok(Vec::new());
    };
    let mut filters = Vec::new();
    if has_columns(table, &["message_kind"]) {
        filters.push("e.message_kind = 'E'");
    }
    if has_columns(table, &["is_archived"]) {
        filters.push("NOT e.is_archived");
    }
    Ok(vec![Mapping {
        filter: (!filters.is_empty()).then(|| filters.join(" AND ")),
        position: column("global_position"),
        stream: vec![column("stream_id")],
        version: Some(column("stream_position")),
        event_type: Some(column("message_type")),
        time: has_columns(table, &["created"]).then(|| column("created")),
        data: Some("message_data".to_owned()),
        metadata: Some("message_metadata".to_owned()),
        id: Some(column("message_id")),
        ..Mapping::for_table(
            match catalog.dialect() {
                Dialect::Sqlite => "Emmett (emmett-sqlite)",
                Dialect::Postgres => "Emmett (emmett-postgresql)",
            },
            &table.name,
        )
    }])
}

/// Message DB (`message_store.messages`): a stream is its `stream_name` (its category the part before the
/// first `-`), `position` counts from 0 within it, `global_position` across the store.
fn message_db(
    _catalog: &mut dyn Catalog,
    tables: &[TableInfo],
) -> Result<Vec<Mapping>, DetectError> {
    let wanted = [
        "global_position",
        "position",
        "time",
        "stream_name",
        "type",
        "data",
        "metadata",
        "id",
    ];
    let Some(table) = tables
        .iter()
        .find(|t| t.name == "messages" && has_columns(t, &wanted))
    else {
        return Ok(Vec::new());
    };
    Ok(vec![Mapping {
        position: column("global_position"),
        stream: vec![column("stream_name")],
        version: Some(column("position")),
        event_type: Some(column("type")),
        time: Some(column("time")),
        data: Some("data".to_owned()),
        metadata: Some("metadata".to_owned()),
        id: Some(column("id")),
        ..Mapping::for_table("Message DB", &table.name)
    }])
}

/// Marten (`mt_events` joined to `mt_streams`): position = `seq_id`, the stream's type is its `mt_streams.type`
/// (the aggregate's alias), its tenant `tenant_id`. With conjoined tenancy (`tenant_id` in `mt_streams`'s
/// primary key) a stream is (tenant, id), the same id being another stream in another tenant; else its id.
/// Archived events are left out, as Marten's own reads leave them out, and the layout's name says so.
fn marten(_catalog: &mut dyn Catalog, tables: &[TableInfo]) -> Result<Vec<Mapping>, DetectError> {
    let find = |name: &str| tables.iter().find(|t| t.name == name);
    let (Some(events), Some(streams)) = (find("mt_events"), find("mt_streams")) else {
        return Ok(Vec::new());
    };
    let wanted = [
        "seq_id",
        "id",
        "stream_id",
        "version",
        "data",
        "type",
        "timestamp",
    ];
    if !has_columns(events, &wanted) || !has_columns(streams, &["id", "type"]) {
        return Ok(Vec::new());
    }
    let tenanted = has_columns(events, &["tenant_id"]);
    let conjoined = tenanted
        && streams
            .columns
            .iter()
            .any(|c| c.name == "tenant_id" && c.pk > 0);
    let mut filters = Vec::new();
    let archived = has_columns(events, &["is_archived"]);
    if archived {
        // The column allows NULL (it defaults to FALSE).
        filters.push("e.is_archived IS NOT TRUE");
    }
    if conjoined {
        filters.push("s.tenant_id = e.tenant_id");
    }
    let stream = if conjoined {
        vec![column("tenant_id"), column("stream_id")]
    } else {
        vec![column("stream_id")]
    };
    let layout = if archived {
        "Marten (archived streams left out, as Marten reads)"
    } else {
        "Marten"
    };
    Ok(vec![Mapping {
        join: Some(Join {
            table: streams.name.clone(),
            key: "id".to_owned(),
            on: "stream_id".to_owned(),
        }),
        filter: (!filters.is_empty()).then(|| filters.join(" AND ")),
        position: column("seq_id"),
        stream,
        stream_type: Some(Source::Joined("type".to_owned())),
        tenant: tenanted.then(|| column("tenant_id")),
        version: Some(column("version")),
        event_type: Some(column("type")),
        time: Some(column("timestamp")),
        data: Some("data".to_owned()),
        metadata: has_columns(events, &["headers"]).then(|| "headers".to_owned()),
        id: Some(column("id")),
        ..Mapping::for_table(layout, &events.name)
    }])
}
