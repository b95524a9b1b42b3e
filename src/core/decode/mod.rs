//! Turning raw column values into what people read: JSON payloads (or the raw bytes and why they did not
//! decode), times (read in [`crate::core::decode::times`], re-exported here) and stream ids shown one canonical way
//! (dashed lowercase UUIDs).

pub mod cell;
pub mod codec;
pub mod inflate;
pub mod times;

use rusqlite::types::Value as SqlValue;

use crate::core::decode::cell::Cell;
use serde_json::Value;

pub use crate::core::decode::times::{
    format_time, parse_time_float, parse_time_int, parse_time_json, parse_time_sql, parse_time_text,
};
use crate::core::model::Payload;

/// Lowercase hex of `bytes`, no separators.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// The bytes of lowercase or uppercase hex as [`hex`] writes it; `None` when `text` is not such hex.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.as_bytes()
        .chunks_exact(2)
        .map(|pair| {
            let digit = |b: u8| char::from(b).to_digit(16);
            let (Some(&hi), Some(&lo)) = (pair.first(), pair.get(1)) else {
                return None;
            };
            u8::try_from(digit(hi)? * 16 + digit(lo)?).ok()
        })
        .collect()
}

/// Decode a payload column: JSON text or JSON in a BLOB; anything else is kept raw with the reason.
pub fn decode_payload(value: Cell<'_>) -> Payload {
    match value {
        Cell::Null => Payload::Json(Value::Null),
        Cell::Integer(n) => Payload::Json(Value::from(n)),
        Cell::Real(f) => {
            Payload::Json(serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number))
        }
        Cell::Text(bytes) | Cell::Blob(bytes) => decode_bytes(bytes),
    }
}

/// Decode bytes that should hold JSON.
pub fn decode_bytes(bytes: &[u8]) -> Payload {
    decode_bytes_with(bytes, parse_json)
}

/// JSON text read as it is.
pub fn parse_json(text: &str) -> serde_json::Result<Value> {
    serde_json::from_str(text)
}

/// [`decode_bytes`] with another JSON reader (one that rewrites values as it reads them).
pub fn decode_bytes_with(bytes: &[u8], parse: fn(&str) -> serde_json::Result<Value>) -> Payload {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            return Payload::Raw {
                bytes: bytes.to_vec(),
                reason: format!(
                    "not UTF-8 text (invalid byte at offset {})",
                    err.valid_up_to()
                ),
            };
        }
    };
    if text.trim().is_empty() {
        return Payload::Raw {
            bytes: bytes.to_vec(),
            reason: "empty payload".to_owned(),
        };
    }
    match parse(text) {
        Ok(value) => Payload::Json(value),
        Err(err) => Payload::Raw {
            bytes: bytes.to_vec(),
            reason: format!("not JSON: {err}"),
        },
    }
}

/// Whether `text` is a UUID, dashed (36 chars) or plain hex (32 chars), any case; returns its 16 bytes.
pub fn parse_uuid(text: &str) -> Option<[u8; 16]> {
    // The uuid crate also reads braced and URN forms, which are not ids as stores keep them.
    if !matches!(text.len(), 32 | 36) {
        return None;
    }
    uuid::Uuid::try_parse(text).ok().map(uuid::Uuid::into_bytes)
}

/// The canonical dashed lowercase form of 16 UUID bytes.
pub fn format_uuid(bytes: &[u8; 16]) -> String {
    // Encoded into a buffer, not through `Display`: this runs for every id in every payload read.
    let mut text = [0; uuid::fmt::Hyphenated::LENGTH];
    uuid::Uuid::from_bytes(*bytes)
        .hyphenated()
        .encode_lower(&mut text)
        .to_owned()
}

/// How a stream key column value is shown: UUIDs dashed and lowercase, other text as is, numbers as digits,
/// other BLOBs as hex.
pub fn format_stream_id(value: Cell<'_>) -> String {
    match value {
        Cell::Null => String::new(),
        Cell::Integer(n) => n.to_string(),
        Cell::Real(f) => f.to_string(),
        Cell::Text(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => parse_uuid(text).map_or_else(|| text.to_owned(), |u| format_uuid(&u)),
            Err(_) => escape_invalid_utf8(bytes),
        },
        Cell::Blob(bytes) => match <[u8; 16]>::try_from(bytes) {
            Ok(u) => format_uuid(&u),
            Err(_) => hex(bytes),
        },
    }
}

/// Text that is not valid UTF-8, shown reversibly: valid parts as they are (a backslash doubled), every
/// invalid byte as `\xNN`. [`unescape_invalid_utf8`] gives the stored bytes back, so such a stream opens.
pub fn escape_invalid_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(&chunk.valid().replace('\\', "\\\\"));
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

/// The stored bytes of an id shown by [`escape_invalid_utf8`]; `None` when `display` is not such an id.
pub fn unescape_invalid_utf8(display: &str) -> Option<Vec<u8>> {
    if !display.contains("\\x") {
        return None;
    }
    let mut out = Vec::with_capacity(display.len());
    let bytes = display.as_bytes();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte != b'\\' {
            out.push(byte);
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'\\') => {
                out.push(b'\\');
                i += 2;
            }
            Some(b'x') => {
                let hex = display.get(i + 2..i + 4)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 4;
            }
            _ => return None,
        }
    }
    (std::str::from_utf8(&out).is_err()).then_some(out)
}

/// The SQL placeholders for `candidates` in an `IN (...)` list and their values: a BLOB candidate is also
/// tried as TEXT with the same bytes (`CAST(? AS TEXT)`), which is how a text id that is not valid UTF-8 is
/// matched by its stored bytes.
pub fn candidate_marks(candidates: &[SqlValue]) -> (String, Vec<SqlValue>) {
    let mut marks = Vec::with_capacity(candidates.len() + 1);
    let mut values = Vec::with_capacity(candidates.len() + 1);
    for candidate in candidates {
        marks.push("?");
        values.push(candidate.clone());
        if matches!(candidate, SqlValue::Blob(_)) {
            marks.push("CAST(? AS TEXT)");
            values.push(candidate.clone());
        }
    }
    (marks.join(", "), values)
}

/// Every stored value that [`format_stream_id`] shows as `display`, for looking a stream up by its id.
pub fn stream_key_candidates(display: &str) -> Vec<SqlValue> {
    let mut out = vec![SqlValue::Text(display.to_owned())];
    if let Some(stored) = unescape_invalid_utf8(display) {
        out.push(SqlValue::Blob(stored));
    }
    if let Some(u) = parse_uuid(display) {
        let dashed = format_uuid(&u);
        let plain = hex(&u);
        for text in [
            dashed.clone(),
            dashed.to_uppercase(),
            plain.clone(),
            plain.to_uppercase(),
        ] {
            if !out.contains(&SqlValue::Text(text.clone())) {
                out.push(SqlValue::Text(text));
            }
        }
        out.push(SqlValue::Blob(u.to_vec()));
    } else if let Ok(n) = display.parse::<i64>() {
        out.push(SqlValue::Integer(n));
    } else if !display.is_empty()
        && let Some(bytes) = unhex(display)
    {
        out.push(SqlValue::Blob(bytes));
    }
    out
}

/// Text escaped for display: printable ASCII as is, everything else as `\xNN`.
pub fn escaped_text(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_text_and_blobs_decodes_and_everything_else_stays_raw() {
        assert_eq!(
            decode_payload(Cell::Text(br#"{"a":1}"#)),
            Payload::Json(serde_json::json!({"a": 1}))
        );
        assert_eq!(
            decode_payload(Cell::Blob(br#"[1,2]"#)),
            Payload::Json(serde_json::json!([1, 2]))
        );
        let Payload::Raw { bytes, reason } = decode_payload(Cell::Blob(b"\xff\xfe temp")) else {
            panic!("invalid UTF-8 must stay raw");
        };
        assert_eq!(bytes, b"\xff\xfe temp");
        assert!(reason.contains("UTF-8"), "{reason}");
        let Payload::Raw { reason, .. } = decode_payload(Cell::Text(b"temp=21")) else {
            panic!("non-JSON text must stay raw");
        };
        assert!(reason.starts_with("not JSON"), "{reason}");
        assert_eq!(decode_payload(Cell::Null), Payload::Json(Value::Null));
    }

    #[test]
    fn uuids_show_dashed_lowercase_whatever_their_storage() {
        let dashed = "0f8fad5b-d9cb-469f-a165-70867728950e";
        assert_eq!(
            format_stream_id(Cell::Text(dashed.to_uppercase().as_bytes())),
            dashed
        );
        assert_eq!(
            format_stream_id(Cell::Text(b"0F8FAD5BD9CB469FA16570867728950E")),
            dashed
        );
        let bytes = parse_uuid(dashed).unwrap();
        assert_eq!(format_stream_id(Cell::Blob(&bytes)), dashed);
        assert_eq!(format_stream_id(Cell::Integer(7)), "7");
        assert_eq!(format_stream_id(Cell::Text(b"order-17")), "order-17");
    }

    #[test]
    fn stream_key_candidates_cover_every_storage_of_a_uuid() {
        let dashed = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let candidates = stream_key_candidates(dashed);
        assert!(candidates.contains(&SqlValue::Text(
            "0F8FAD5BD9CB469FA16570867728950E".to_owned()
        )));
        assert!(candidates.contains(&SqlValue::Blob(parse_uuid(dashed).unwrap().to_vec())));
        assert!(stream_key_candidates("7").contains(&SqlValue::Integer(7)));
    }
}
