//! Roles found inside the data: the id, correlation and causation roles from columns named for them or keys
//! of the metadata, and roles the columns lack from keys (nearly) every sampled payload carries.

use rusqlite::Connection;

use super::*;

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
    let samples = sample_objects(conn, &mapping.table, &data)?;
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
