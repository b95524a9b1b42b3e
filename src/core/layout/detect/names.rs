//! The column names and payload keys detection looks for, by role, in the order it prefers them.

pub(in crate::core::layout) const STREAM_NAMES: &[&str] = &[
    "stream_id",
    "streamid",
    "aggregate_id",
    "aggregateid",
    "originator_id",
    "stream_name",
    "stream",
    "entity_id",
    "aggregate",
];
pub(in crate::core::layout) const STREAM_TYPE_NAMES: &[&str] = &[
    "stream_type",
    "aggregate_type",
    "category",
    "stream_category",
    "aggregate_name",
    "entity_type",
];
pub(in crate::core::layout) const VERSION_NAMES: &[&str] = &[
    "version",
    "stream_version",
    "originator_version",
    "aggregate_version",
    "sequence",
    "seq",
    "stream_position",
    "sequence_number",
    "revision",
    "event_number",
];
pub(in crate::core::layout) const POSITION_NAMES: &[&str] = &[
    "global_position",
    "position",
    "global_sequence",
    "id",
    "event_id",
    "seq",
    "rowid",
];
pub(in crate::core::layout) const TYPE_NAMES: &[&str] = &[
    "type",
    "event_type",
    "eventtype",
    "event_name",
    "name",
    "topic",
    "message_type",
    "kind",
    "event",
];
pub(in crate::core::layout) const TIME_NAMES: &[&str] = &[
    "created_at",
    "timestamp",
    "occurred_at",
    "recorded_at",
    "datetime",
    "time",
    "ts",
    "created",
    "inserted_at",
    "event_time",
    "date",
];
pub(in crate::core::layout) const DATA_NAMES: &[&str] = &[
    "data",
    "payload",
    "body",
    "state",
    "event_data",
    "message_data",
    "json",
    "content",
    "event",
    "doc",
];
pub(in crate::core::layout) const METADATA_NAMES: &[&str] = &[
    "metadata",
    "meta",
    "event_context",
    "message_metadata",
    "headers",
    "context",
    "event_metadata",
];
/// Columns holding an event's own id (when they are not its position).
pub(in crate::core::layout) const ID_NAMES: &[&str] =
    &["event_id", "message_id", "event_uuid", "uuid", "id"];
/// Metadata keys holding an event's own id.
pub(in crate::core::layout) const METADATA_ID_KEYS: &[&str] =
    &["event_id", "eventId", "message_id", "messageId", "$id"];
/// Metadata keys holding the correlation id.
pub const CORRELATION_KEYS: &[&str] = &["correlation_id", "correlationId", "$correlationId"];
/// Metadata keys holding the causation id.
pub const CAUSATION_KEYS: &[&str] = &["causation_id", "causationId", "$causationId"];
/// `*_id` columns that are never the stream.
pub(in crate::core::layout) const NOT_STREAM_IDS: &[&str] = &[
    "event_id",
    "correlation_id",
    "causation_id",
    "message_id",
    "tenant_id",
    "user_id",
];

pub(in crate::core::layout) const JSON_TYPE_KEYS: &[&str] = &[
    "type",
    "eventType",
    "event_type",
    "event",
    "name",
    "kind",
    "@type",
    "_type",
];
pub(in crate::core::layout) const JSON_TIME_KEYS: &[&str] = &[
    "_datetime",
    "datetime",
    "timestamp",
    "time",
    "occurredAt",
    "occurred_at",
    "createdAt",
    "created_at",
    "date",
    "ts",
];
pub(in crate::core::layout) const JSON_STREAM_KEYS: &[&str] = &[
    "streamId",
    "stream_id",
    "aggregateId",
    "aggregate_id",
    "entityId",
    "entity_id",
    "stream",
];
