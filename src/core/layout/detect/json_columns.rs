//! The payload and metadata columns found by what they hold, whatever their names (`body_json`,
//! `envelope`, `attrs`): every sampled value a JSON object, or a map in a binary format a codec reads; the
//! one with the most keys and variety is the payload, another whose keys name tracing or context the
//! metadata.

use std::collections::BTreeSet;

use super::content::{Profile, has_word, sample_profiles, taken_columns};
use super::*;
use crate::core::decode::cell::Datum;
use crate::core::decode::codec::{Codec, Decoder, Format, chosen_format, guess_format};
use crate::core::layout::guess::{Confidence, GuessedRole, RoleGuess};
use crate::core::model::Payload;

/// Keys of a JSON column that say it holds tracing or context rather than the event's data.
const CONTEXT_KEY_WORDS: &[&str] = &[
    "id",
    "user",
    "correlation",
    "causation",
    "trace",
    "span",
    "request",
    "session",
    "model",
    "source",
    "tenant",
    "actor",
    "agent",
    "ip",
    "host",
    "client",
    "origin",
    "version",
    "env",
    "region",
];

/// The sampled values of a column as JSON objects, when every one of them is one (at least one sampled), in
/// JSON or in a binary format that decodes every sampled row to a map.
fn objects(profile: &Profile<'_>) -> Option<Vec<serde_json::Map<String, serde_json::Value>>> {
    if profile.values.is_empty() {
        return None;
    }
    let as_json: Option<Vec<_>> = profile
        .values
        .iter()
        .map(|v| {
            let bytes = v.cell().bytes()?;
            match serde_json::from_slice(bytes) {
                Ok(serde_json::Value::Object(map)) => Some(map),
                _ => None,
            }
        })
        .collect();
    if as_json.is_some() {
        return as_json;
    }
    if profile.values.iter().any(|v| !matches!(v, Datum::Blob(_))) {
        return None;
    }
    let format = chosen_format(&guess_format(profile.values.iter().map(Datum::cell)));
    if format == Format::Json {
        return None;
    }
    let decoder = Decoder::new(
        Codec {
            format,
            ..Codec::default()
        },
        None,
    );
    profile
        .values
        .iter()
        .map(|v| match decoder.decode_keeping(v.cell(), false).data {
            Payload::Json(serde_json::Value::Object(map)) => Some(map),
            _ => None,
        })
        .collect()
}

/// How a JSON column's objects look: distinct keys, distinct key sets, and the share of keys that name
/// tracing or context.
struct JsonShape {
    keys: usize,
    variety: usize,
    context_keys: usize,
}

impl JsonShape {
    fn of(objects: &[serde_json::Map<String, serde_json::Value>]) -> Self {
        let keys: BTreeSet<&str> = objects
            .iter()
            .flat_map(|m| m.keys())
            .map(String::as_str)
            .collect();
        let variety = objects
            .iter()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .collect::<BTreeSet<_>>()
            .len();
        let context_keys = keys
            .iter()
            .filter(|k| has_word(k, CONTEXT_KEY_WORDS) || k.to_ascii_lowercase().ends_with("id"))
            .count();
        Self {
            keys: keys.len(),
            variety,
            context_keys,
        }
    }

    /// Most keys name tracing or context.
    fn is_context(&self) -> bool {
        self.keys > 0 && self.context_keys * 2 >= self.keys
    }
}

/// The payload and metadata columns by content, when names found none: the JSON column with the most keys
/// and variety is the payload; another whose keys are mostly tracing or context is the metadata.
pub(super) fn payload_by_content(
    catalog: &mut dyn Catalog,
    table: &TableInfo,
    mapping: &mut Mapping,
) -> Result<(), CatalogError> {
    if mapping.data.is_some() && mapping.metadata.is_some() {
        return Ok(());
    }
    let taken = taken_columns(mapping);
    let profiles = sample_profiles(catalog, table, &taken)?;
    let mut candidates: Vec<(&Profile<'_>, JsonShape)> = profiles
        .iter()
        .filter_map(|p| objects(p).map(|objects| (p, JsonShape::of(&objects))))
        .filter(|(_, shape)| shape.keys > 0)
        .collect();
    if mapping.data.is_none() {
        // Data before context, then the most keys and variety; the first column wins a tie.
        let rank = |shape: &JsonShape| (!shape.is_context(), shape.keys, shape.variety);
        let best = candidates
            .iter()
            .enumerate()
            .max_by_key(|(i, (_, shape))| (rank(shape), std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        let Some(best) = best else { return Ok(()) };
        let (payload, shape) = candidates.remove(best);
        mapping.data = Some(payload.name().to_owned());
        let rows = payload.values.len();
        let most = if candidates.is_empty() {
            ""
        } else {
            ", the most of the JSON columns"
        };
        let reason = format!(
            "every sampled value is a JSON object ({rows} rows, {} distinct keys{most})",
            shape.keys
        );
        let confidence = if rows >= 3 {
            Confidence::High
        } else {
            Confidence::Medium
        };
        let guess = RoleGuess::new(GuessedRole::Data, payload.name(), reason, confidence);
        mapping.guesses.push(guess);
    }
    if mapping.metadata.is_none()
        && let Some((meta, shape)) = candidates
            .iter()
            .filter(|(_, shape)| shape.is_context())
            .max_by_key(|(_, shape)| shape.context_keys)
    {
        mapping.metadata = Some(meta.name().to_owned());
        let reason = format!(
            "a second JSON column whose keys are mostly tracing or context ({} of {})",
            shape.context_keys, shape.keys
        );
        let guess = RoleGuess::new(
            GuessedRole::Metadata,
            meta.name(),
            reason,
            Confidence::Medium,
        );
        mapping.guesses.push(guess);
    }
    Ok(())
}
