//! Roles found inside the data: the payload's format when its sampled rows are not all JSON (MessagePack,
//! CBOR, ranked with the reason), the id, correlation and causation roles from columns named for them or keys
//! of the metadata, and roles the columns lack from keys (nearly) every sampled payload carries.

use super::*;
use crate::core::decode::cell::Datum;
use crate::core::decode::codec::{Decoder, chosen_format, guess_format};
use crate::core::model::Payload;

/// Fill the id, correlation and causation roles the mapping lacks: from columns named for them, else from
/// keys found in a sample of the metadata column (`correlation_id`, `correlationId`, `$correlationId`, ...).
pub fn fill_trace_roles(
    catalog: &mut dyn Catalog,
    table: &TableInfo,
    mapping: &mut Mapping,
) -> Result<(), CatalogError> {
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
    let samples = sample_objects(catalog, &mapping.table, &metadata)?;
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

/// Read the payload column in a binary format (MessagePack, CBOR) when its sampled rows are not all JSON
/// and one of those decodes most of them. The guesses, ranked with their reasons, are kept in the mapping
/// when a binary format decoded more rows than JSON did (a JSON column with a few bad rows says nothing).
pub(in crate::core::layout) fn guess_payload_format(
    catalog: &mut dyn Catalog,
    mapping: &mut Mapping,
) -> Result<(), CatalogError> {
    let Some(data) = mapping.data.clone() else {
        return Ok(());
    };
    let samples = catalog.sample(&mapping.table, &data, FORMAT_SAMPLE_ROWS)?;
    let guesses = guess_format(samples.iter().map(Datum::cell));
    mapping.codec.format = chosen_format(&guesses);
    // Kept too when JSON read none of the rows (nor did anything else): a schema given may still read them.
    let json_read_none = guesses
        .iter()
        .any(|g| g.format.is_json() && g.decoded == 0 && g.sampled > 0);
    if json_read_none || guesses.first().is_some_and(|best| !best.format.is_json()) {
        mapping.format_guesses = guesses;
    }
    Ok(())
}

/// The objects among the first 200 payloads of the data column, decoded in the mapping's binary format.
fn sample_decoded_objects(
    catalog: &mut dyn Catalog,
    mapping: &Mapping,
    column: &str,
) -> Result<Vec<serde_json::Map<String, serde_json::Value>>, CatalogError> {
    let decoder = Decoder::new(mapping.codec.clone(), None);
    let samples = catalog.sample(&mapping.table, column, SAMPLE_ROWS)?;
    Ok(samples
        .iter()
        .filter_map(
            |value| match decoder.decode_keeping(value.cell(), false).data {
                Payload::Json(serde_json::Value::Object(map)) => Some(map),
                _ => None,
            },
        )
        .collect())
}

/// The JSON objects among the first 200 values of `column` (others are skipped): what detection looks into.
fn sample_objects(
    catalog: &mut dyn Catalog,
    table: &str,
    column: &str,
) -> Result<Vec<serde_json::Map<String, serde_json::Value>>, CatalogError> {
    let samples = catalog
        .sample(table, column, SAMPLE_ROWS)?
        .iter()
        .filter_map(|value| value.cell().bytes())
        .filter_map(|bytes| match serde_json::from_slice(bytes) {
            Ok(serde_json::Value::Object(map)) => Some(map),
            _ => None,
        })
        .collect();
    Ok(samples)
}

/// Fill roles the columns did not provide from keys that (nearly) every sampled payload object carries.
pub(in crate::core::layout) fn map_payload_paths(
    catalog: &mut dyn Catalog,
    mapping: &mut Mapping,
) -> Result<(), CatalogError> {
    let Some(data) = mapping.data.clone() else {
        return Ok(());
    };
    if !mapping.stream.is_empty() && mapping.event_type.is_some() && mapping.time.is_some() {
        return Ok(());
    }
    let samples = if mapping.codec.format.is_json() {
        sample_objects(catalog, &mapping.table, &data)?
    } else {
        sample_decoded_objects(catalog, mapping, &data)?
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
