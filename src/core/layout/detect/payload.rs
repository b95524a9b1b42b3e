//! Roles found inside the data: the payload's format when its sampled rows are not all JSON (MessagePack,
//! CBOR, ranked with the reason), the id, correlation and causation roles from columns named for them or keys
//! of the metadata, and roles the columns lack from keys (nearly) every sampled payload carries.

use rusqlite::Connection;

use super::*;
use crate::core::cell::Cell;
use crate::core::codec::{Decoder, chosen_format, guess_format};
use crate::core::model::Payload;

/// Fill the id, correlation and causation roles the mapping lacks: from columns named for them, else from
/// keys found in a sample of the metadata column (`correlation_id`, `correlationId`, `$correlationId`, ...).
pub fn fill_trace_roles(
    conn: &Connection,
    table: &TableInfo,
    mapping: &mut Mapping,
) -> rusqlite::Result<()> {
    let column =
        |names: &[&str]| find(table, names, &[]).map(|name| Source::Column(name.to_owned()));
    if mapping.correlation.is_none() {
        mapping.correlation = column(&["correlation_id", "correlationid"]);
    }
    if mapping.causation.is_none() {
        mapping.causation = column(&["causation_id", "causationid"]);
    }
    let Some(metadata) = mapping.metadata.clone() else {
        return Ok(());
    };
    if mapping.id.is_some() && mapping.correlation.is_some() && mapping.causation.is_some() {
        return Ok(());
    }
    let samples = sample_objects(conn, &mapping.table, &metadata)?;
    let path_of = |keys: &[&str]| {
        keys.iter()
            .find(|key| samples.iter().any(|m| m.contains_key(**key)))
            .map(|key| Source::Json {
                column: metadata.clone(),
                path: json_path(key),
            })
    };
    if mapping.id.is_none() {
        mapping.id = path_of(METADATA_ID_KEYS);
    }
    if mapping.correlation.is_none() {
        mapping.correlation = path_of(CORRELATION_KEYS);
    }
    if mapping.causation.is_none() {
        mapping.causation = path_of(CAUSATION_KEYS);
    }
    Ok(())
}

/// How many rows of a column detection looks into for roles.
const SAMPLE_ROWS: usize = 200;

/// How many payloads the format is guessed from (each decoded in every format).
const FORMAT_SAMPLE_ROWS: usize = 50;

/// The first `rows` values of `column`, as stored.
fn sample_values(
    conn: &Connection,
    table: &str,
    column: &str,
    rows: usize,
) -> rusqlite::Result<Vec<rusqlite::types::Value>> {
    let sql = format!(
        "SELECT {} FROM {} LIMIT {rows}",
        quote_ident(column),
        quote_ident(table)
    );
    let mut stmt = conn.prepare(&sql)?;
    let values = stmt
        .query_map([], |r| r.get::<_, rusqlite::types::Value>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(values)
}

/// Read the payload column in a binary format (MessagePack, CBOR) when its sampled rows are not all JSON
/// and one of those decodes most of them. The guesses, ranked with their reasons, are kept in the mapping
/// when a binary format decoded more rows than JSON did (a JSON column with a few bad rows says nothing).
pub(in crate::core::layout) fn guess_payload_format(
    conn: &Connection,
    mapping: &mut Mapping,
) -> rusqlite::Result<()> {
    let Some(data) = mapping.data.clone() else {
        return Ok(());
    };
    let samples = sample_values(conn, &mapping.table, &data, FORMAT_SAMPLE_ROWS)?;
    let guesses = guess_format(samples.iter().map(Cell::from));
    mapping.codec.format = chosen_format(&guesses);
    if guesses.first().is_some_and(|best| !best.format.is_json()) {
        mapping.format_guesses = guesses;
    }
    Ok(())
}

/// The objects among the first 200 payloads of the data column, decoded in the mapping's binary format.
fn sample_decoded_objects(
    conn: &Connection,
    mapping: &Mapping,
    column: &str,
) -> rusqlite::Result<Vec<serde_json::Map<String, serde_json::Value>>> {
    let decoder = Decoder::new(mapping.codec.clone(), None);
    let samples = sample_values(conn, &mapping.table, column, SAMPLE_ROWS)?;
    Ok(samples
        .iter()
        .filter_map(
            |value| match decoder.decode_keeping(value.into(), false).data {
                Payload::Json(serde_json::Value::Object(map)) => Some(map),
                _ => None,
            },
        )
        .collect())
}

/// The JSON objects among the first 200 values of `column` (others are skipped): what detection looks into.
fn sample_objects(
    conn: &Connection,
    table: &str,
    column: &str,
) -> rusqlite::Result<Vec<serde_json::Map<String, serde_json::Value>>> {
    let sql = format!(
        "SELECT CAST({} AS TEXT) FROM {} LIMIT 200",
        quote_ident(column),
        quote_ident(table)
    );
    let mut stmt = conn.prepare(&sql)?;
    let samples = stmt
        .query_map([], |r| r.get::<_, Option<String>>(0))?
        .filter_map(Result::ok)
        .flatten()
        .filter_map(|text| match serde_json::from_str(&text) {
            Ok(serde_json::Value::Object(map)) => Some(map),
            _ => None,
        })
        .collect();
    Ok(samples)
}

/// Fill roles the columns did not provide from keys that (nearly) every sampled payload object carries.
pub(in crate::core::layout) fn map_payload_paths(
    conn: &Connection,
    mapping: &mut Mapping,
) -> rusqlite::Result<()> {
    let Some(data) = mapping.data.clone() else {
        return Ok(());
    };
    if !mapping.stream.is_empty() && mapping.event_type.is_some() && mapping.time.is_some() {
        return Ok(());
    }
    let samples = if mapping.codec.format.is_json() {
        sample_objects(conn, &mapping.table, &data)?
    } else {
        sample_decoded_objects(conn, mapping, &data)?
    };
    if samples.is_empty() {
        return Ok(());
    }
    // A key counts when at least 90% of the sampled objects have it as a scalar.
    let common = |key: &str| {
        let n = samples
            .iter()
            .filter(|m| m.get(key).is_some_and(|v| v.is_string() || v.is_number()))
            .count();
        n * 10 >= samples.len() * 9
    };
    let path_for = |key: &str| Source::Json {
        column: data.clone(),
        path: json_path(key),
    };
    if mapping.event_type.is_none() {
        mapping.event_type = JSON_TYPE_KEYS
            .iter()
            .find(|k| common(k))
            .map(|k| path_for(k));
    }
    if mapping.time.is_none() {
        mapping.time = JSON_TIME_KEYS
            .iter()
            .find(|k| common(k))
            .map(|k| path_for(k));
    }
    if mapping.stream.is_empty() {
        let explicit = JSON_STREAM_KEYS
            .iter()
            .find(|k| common(k))
            .map(|k| (*k).to_owned());
        let by_suffix = || {
            let mut keys: Vec<&String> = samples.iter().flat_map(|m| m.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .find(|k| {
                    let lower = k.to_ascii_lowercase();
                    (k.ends_with("Id") || lower.ends_with("_id"))
                        && !NOT_STREAM_IDS.contains(&lower.as_str())
                        && !["eventid", "correlationid", "causationid", "messageid"]
                            .contains(&lower.as_str())
                        && common(k)
                })
                .cloned()
        };
        mapping.stream = explicit
            .or_else(by_suffix)
            .map(|k| path_for(&k))
            .into_iter()
            .collect();
    }
    Ok(())
}
