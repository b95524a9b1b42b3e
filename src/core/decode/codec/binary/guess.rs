//! Which format a payload column's bytes are in, guessed from sampled rows: unless every one is JSON, every
//! format is tried on every sampled payload (decompressed first, as decoding does), and the formats are
//! ranked by how many rows they decode, then by how many of those are maps (what events are), with the
//! reason shown (`CBOR: decoded every sampled row (40 of 40)`).
//!
//! A binary format is chosen only when it decodes more than half the sampled rows and more than JSON does:
//! a few random bytes may happen to be valid MessagePack, a column of them is not. Thrift's bytes carry
//! no type of their own beyond field ids and wire types, so a Thrift protocol ranks below a self-describing
//! format that decodes as many rows, whatever their shape. Protocol Buffers is never chosen from the bytes
//! (most byte strings fit its wire format): it is listed only when no other binary format convinced, so
//! its reason can point at the mapping or a schema.

use serde::{Deserialize, Serialize};

use super::Format;
use crate::core::decode::cell::Cell;
use crate::core::decode::codec::{Codec, Decoder};
use crate::core::model::Payload;

/// One format tried on the sampled payloads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatGuess {
    pub format: Format,
    /// Sampled payloads (not NULL) it decoded.
    pub decoded: usize,
    /// Of those, the maps (JSON objects).
    pub maps: usize,
    /// Payloads sampled (not NULL).
    pub sampled: usize,
    /// What the guess rests on, as shown: `CBOR: decoded every sampled row (40 of 40)`.
    pub reason: String,
}

impl FormatGuess {
    fn new(format: Format, decoded: usize, maps: usize, sampled: usize) -> Self {
        let name = format.name();
        let reason = if decoded == sampled {
            format!("{name}: decoded every sampled row ({decoded} of {sampled})")
        } else if decoded == 0 {
            format!("{name}: decoded none of {sampled} sampled rows")
        } else {
            format!("{name}: decoded {decoded} of {sampled} sampled rows")
        };
        let reason = if format.is_chosen_by_bytes() {
            reason
        } else if format == Format::Avro {
            format!(
                "Avro: {decoded} of {sampled} sampled rows start with the single-object marker (C3 01); \
                 read only with a schema (--schema, or the codec's \"schema\")"
            )
        } else {
            format!(
                "{reason} as a wire tree; not chosen without a mapping's \"codec\": \"{}\" or a schema",
                serde_json::to_value(format)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            )
        };
        Self {
            format,
            decoded,
            maps,
            sampled,
            reason,
        }
    }

    /// Whether this guess is strong enough to read the column with.
    pub fn is_convincing(&self) -> bool {
        self.decoded * 2 > self.sampled
    }
}

/// Every format tried on `samples` (NULLs skipped), best first; empty when every sample is JSON (or there
/// are none): then there is nothing to guess.
pub fn guess_format<'a>(samples: impl IntoIterator<Item = Cell<'a>>) -> Vec<FormatGuess> {
    let decoders: Vec<(Format, Decoder)> = Format::ALL
        .iter()
        .map(|&format| {
            let codec = Codec {
                format,
                ..Codec::default()
            };
            (format, Decoder::new(codec, None))
        })
        .collect();
    let samples: Vec<Cell<'a>> = samples.into_iter().filter(|c| *c != Cell::Null).collect();
    let sampled = samples.len();
    let count = |decoder: &Decoder| {
        samples.iter().fold((0, 0), |(decoded, maps), cell| {
            match decoder.decode_keeping(*cell, false).data {
                Payload::Json(value) => (decoded + 1, maps + usize::from(value.is_object())),
                Payload::Raw { .. } => (decoded, maps),
            }
        })
    };
    let Some(((_, json), binary)) = decoders.split_first() else {
        return Vec::new();
    };
    let json_counts = count(json);
    // All JSON: the binary formats are not even tried.
    if json_counts.0 == sampled {
        return Vec::new();
    }
    // Avro needs its schema to read a datum: what counts is the single-object marker.
    let marked = samples
        .iter()
        .filter(|cell| {
            cell.bytes()
                .is_some_and(|b| b.len() > 10 && b.starts_with(&super::avro::MARKER))
        })
        .count();
    let counts: Vec<(usize, usize)> = std::iter::once(json_counts)
        .chain(binary.iter().map(|(format, decoder)| {
            if *format == Format::Avro {
                (marked, 0)
            } else {
                count(decoder)
            }
        }))
        .collect();
    let mut guesses: Vec<FormatGuess> = decoders
        .iter()
        .zip(counts)
        .map(|((format, _), (decoded, maps))| FormatGuess::new(*format, decoded, maps, sampled))
        .collect();
    // Stable: equal guesses keep the order of `Format::ALL` (JSON first).
    guesses.sort_by_key(|g| std::cmp::Reverse((g.decoded, g.format.is_self_describing(), g.maps)));
    let convinced = guesses
        .iter()
        .any(|g| !g.format.is_json() && g.format.is_chosen_by_bytes() && g.is_convincing());
    guesses.retain(|g| g.format.is_chosen_by_bytes() || (!convinced && g.decoded > 0));
    guesses
}

/// The format the guesses choose: the best one bytes may choose, when it is convincing; JSON otherwise.
pub fn chosen_format(guesses: &[FormatGuess]) -> Format {
    match guesses.iter().find(|g| g.format.is_chosen_by_bytes()) {
        Some(best) if best.is_convincing() => best.format,
        _ => Format::Json,
    }
}
