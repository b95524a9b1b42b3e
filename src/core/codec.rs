//! How real libraries store payloads, undone: zlib compression (detected by its header), the AES-GCM
//! encryption of Python's `eventsourcing`, its custom-typed values (`{"_type_": "decimal_str", "_data_": ...}`),
//! and the serde enum encodings of Rust's cqrs-es (`{"Variant": {...}}`, `{"type": .., "data": ..}`, `"Unit"`).
//!
//! A [`Decoder`] turns a stored value into the event's data plus, when a transform changed it, the payload as
//! stored, so nothing is hidden. It is also registered as the SQL function `es_json(x)` so queries can read
//! JSON paths inside compressed or encrypted payloads.

use std::io::Read as _;

use rusqlite::types::ValueRef;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::decode::{decode_bytes, decode_payload};
use crate::core::model::Payload;

/// Encryption schemes Eventscope can undo.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encryption {
    /// `eventsourcing.cipher:AESCipher`: nonce (12 bytes) + tag (16 bytes) + ciphertext, AES-GCM.
    EventsourcingAesGcm,
}

/// Rewrites of the decoded JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    /// `eventsourcing`'s `{"_type_": ..., "_data_": ...}` values shown as their natural value.
    EventsourcingTypes,
    /// A serde enum: the event's data is the variant's content.
    SerdeEnum,
}

/// How a layout stores its payloads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Codec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Encryption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<Transform>,
}

impl Codec {
    /// Whether SQL can read the column as JSON text directly (no function needed).
    pub fn is_plain(&self) -> bool {
        self.encryption.is_none() && self.transform.is_none()
    }
}

/// A payload decoded for display and replay.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub data: Payload,
    /// The JSON as stored, when a transform made `data` differ from it.
    pub stored: Option<Value>,
}

/// A codec plus the key it may need.
#[derive(Clone, Debug, Default)]
pub struct Decoder {
    codec: Codec,
    key: Option<Vec<u8>>,
}

const ZLIB_HEADERS: [[u8; 2]; 4] = [[0x78, 0x01], [0x78, 0x5e], [0x78, 0x9c], [0x78, 0xda]];

impl Decoder {
    pub fn new(codec: Codec, key: Option<Vec<u8>>) -> Self {
        Self { codec, key }
    }

    pub fn codec(&self) -> &Codec {
        &self.codec
    }

    /// The cipher key, when one was given.
    pub fn key(&self) -> Option<&[u8]> {
        self.key.as_deref()
    }

    /// Whether this decoder needs a key it does not have.
    pub fn missing_key(&self) -> bool {
        self.codec.encryption.is_some() && self.key.is_none()
    }

    /// Decode a stored column value.
    pub fn decode(&self, value: ValueRef<'_>) -> Decoded {
        let payload = match value {
            ValueRef::Blob(bytes) | ValueRef::Text(bytes) => self.decode_bytes(bytes),
            other => decode_payload(other),
        };
        match (payload, self.codec.transform) {
            (Payload::Json(stored), Some(transform)) => {
                let data = apply_transform(transform, &stored);
                let stored = (data != stored).then_some(stored);
                Decoded {
                    data: Payload::Json(data),
                    stored,
                }
            }
            (payload, _) => Decoded {
                data: payload,
                stored: None,
            },
        }
    }

    fn decode_bytes(&self, bytes: &[u8]) -> Payload {
        let raw = |reason: String| Payload::Raw {
            bytes: bytes.to_vec(),
            reason,
        };
        let plain = match self.codec.encryption {
            None => bytes.to_vec(),
            Some(Encryption::EventsourcingAesGcm) => match &self.key {
                None => {
                    return raw("encrypted (AES-GCM): give the cipher key to decrypt it".to_owned());
                }
                Some(key) => match decrypt_eventsourcing(key, bytes) {
                    Ok(plain) => plain,
                    Err(reason) => return raw(reason),
                },
            },
        };
        let looks_zlib = plain
            .get(..2)
            .is_some_and(|h| ZLIB_HEADERS.iter().any(|z| z == h));
        if looks_zlib {
            let mut out = Vec::new();
            if flate2::read::ZlibDecoder::new(plain.as_slice())
                .read_to_end(&mut out)
                .is_ok()
            {
                return match decode_bytes(&out) {
                    Payload::Json(value) => Payload::Json(value),
                    Payload::Raw { reason, .. } => {
                        raw(format!("zlib-compressed, but inside: {reason}"))
                    }
                };
            }
        }
        match decode_bytes(&plain) {
            Payload::Json(value) => Payload::Json(value),
            Payload::Raw { reason, .. } if self.codec.encryption.is_some() => {
                raw(format!("decrypted, but not JSON: {reason}"))
            }
            Payload::Raw { reason, .. } => raw(reason),
        }
    }

    /// The decoded data as JSON text, for the SQL function `es_json`; `None` when it does not decode.
    pub fn json_text(&self, value: ValueRef<'_>) -> Option<String> {
        match self.decode(value).data {
            Payload::Json(value) => serde_json::to_string(&value).ok(),
            Payload::Raw { .. } => None,
        }
    }
}

/// Parse a cipher key given as base64 (standard or URL-safe, padded or not).
pub fn parse_key(text: &str) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let text = text.trim();
    let key = [STANDARD, URL_SAFE, STANDARD_NO_PAD, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
        .ok_or_else(|| "the cipher key is not base64".to_owned())?;
    match key.len() {
        16 | 24 | 32 => Ok(key),
        n => Err(format!(
            "the cipher key has {n} bytes; AES needs 16, 24 or 32"
        )),
    }
}

fn decrypt_eventsourcing(key: &[u8], bytes: &[u8]) -> Result<Vec<u8>, String> {
    use aes_gcm::aead::{Aead as _, KeyInit as _};
    let (Some(nonce), Some(tag), Some(body)) =
        (bytes.get(..12), bytes.get(12..28), bytes.get(28..))
    else {
        return Err(format!(
            "too short to be AES-GCM encrypted ({} bytes)",
            bytes.len()
        ));
    };
    // The crate wants ciphertext followed by the tag.
    let mut sealed = body.to_vec();
    sealed.extend_from_slice(tag);
    let nonce = aes_gcm::Nonce::<aes_gcm::aes::cipher::consts::U12>::try_from(nonce)
        .map_err(|_| "bad nonce length".to_owned())?;
    let failed = |_| "decryption failed: wrong key, or not encrypted with it".to_owned();
    let bad_key = |_| "the cipher key has the wrong length".to_owned();
    match key.len() {
        16 => aes_gcm::Aes128Gcm::new_from_slice(key).map_err(bad_key)?.decrypt(&nonce, sealed.as_slice()).map_err(failed),
        32 => aes_gcm::Aes256Gcm::new_from_slice(key).map_err(bad_key)?.decrypt(&nonce, sealed.as_slice()).map_err(failed),
        24 => aes_gcm::AesGcm::<aes_gcm::aes::Aes192, aes_gcm::aes::cipher::consts::U12>::new_from_slice(key)
            .map_err(bad_key)?
            .decrypt(&nonce, sealed.as_slice())
            .map_err(failed),
        n => Err(format!("the cipher key has {n} bytes; AES needs 16, 24 or 32")),
    }
}

fn apply_transform(transform: Transform, value: &Value) -> Value {
    match transform {
        Transform::EventsourcingTypes => natural_values(value),
        Transform::SerdeEnum => unwrap_serde_enum(value),
    }
}

/// Replace `{"_type_": T, "_data_": D}` with D's natural value wherever it appears; unknown types stay as stored.
fn natural_values(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            if let (Some(Value::String(kind)), Some(data), 2) =
                (map.get("_type_"), map.get("_data_"), map.len())
                && let Some(natural) = natural_value(kind, data)
            {
                return natural;
            }
            Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), natural_values(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(natural_values).collect()),
        other => other.clone(),
    }
}

fn natural_value(kind: &str, data: &Value) -> Option<Value> {
    let text = data.as_str();
    match kind {
        "uuid_hex" => {
            let uuid = crate::core::decode::parse_uuid(text?)?;
            Some(Value::String(crate::core::decode::format_uuid(&uuid)))
        }
        // Exact: the number keeps the digits as written.
        "decimal_str" => text?.parse::<serde_json::Number>().ok().map(Value::Number),
        "datetime_iso" | "date_iso" | "time_iso" | "timedelta_str" | "str" => {
            Some(Value::String(text?.to_owned()))
        }
        // Tuples, sets and frozensets are stored as lists.
        "tuple_as_list" | "set_as_list" | "frozenset_as_list" => Some(natural_values(data)),
        _ => None,
    }
}

/// The content of a serde enum value: `{"Variant": content}` -> content, `{"type": .., "data": content}` ->
/// content, `"UnitVariant"` -> `{}`. Anything else is already plain data.
fn unwrap_serde_enum(value: &Value) -> Value {
    match value {
        Value::String(_) => Value::Object(Map::new()),
        Value::Object(map) => {
            let variant_key = |k: &String| k.chars().next().is_some_and(char::is_uppercase);
            match (map.len(), map.iter().next()) {
                (1, Some((key, content))) if variant_key(key) => match content {
                    Value::Null => Value::Object(Map::new()),
                    other => other.clone(),
                },
                _ if map.contains_key("type") && map.keys().all(|k| k == "type" || k == "data") => {
                    map.get("data")
                        .cloned()
                        .unwrap_or_else(|| Value::Object(Map::new()))
                }
                _ => value.clone(),
            }
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn decoded(decoder: &Decoder, bytes: &[u8]) -> Decoded {
        decoder.decode(ValueRef::Blob(bytes))
    }

    #[test]
    fn zlib_payloads_are_decompressed_whatever_the_codec() {
        use std::io::Write as _;
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(br#"{"amount": 5}"#).unwrap();
        let compressed = encoder.finish().unwrap();
        let d = decoded(&Decoder::default(), &compressed);
        assert_eq!(d.data, Payload::Json(json!({"amount": 5})));
    }

    #[test]
    fn eventsourcing_aes_gcm_payloads_decrypt_with_the_key_and_stay_raw_without_it() {
        use aes_gcm::aead::{Aead as _, KeyInit as _};
        let key = [7u8; 32];
        let nonce = [3u8; 12];
        let cipher = aes_gcm::Aes256Gcm::new_from_slice(&key).unwrap();
        let n = aes_gcm::Nonce::<aes_gcm::aes::cipher::consts::U12>::try_from(&nonce[..]).unwrap();
        let sealed = cipher.encrypt(&n, br#"{"a":1}"#.as_slice()).unwrap();
        let (body, tag) = sealed.split_at(sealed.len() - 16);
        let stored = [&nonce[..], tag, body].concat();
        let codec = Codec {
            encryption: Some(Encryption::EventsourcingAesGcm),
            transform: None,
        };
        let with_key = Decoder::new(codec.clone(), Some(key.to_vec()));
        assert_eq!(
            decoded(&with_key, &stored).data,
            Payload::Json(json!({"a": 1}))
        );
        let without = Decoder::new(codec.clone(), None);
        let Payload::Raw { bytes, reason } = decoded(&without, &stored).data else {
            panic!("must stay raw")
        };
        assert_eq!(bytes, stored);
        assert!(reason.contains("key"), "{reason}");
        let wrong = Decoder::new(codec, Some(vec![9u8; 32]));
        let Payload::Raw { reason, .. } = decoded(&wrong, &stored).data else {
            panic!("must stay raw")
        };
        assert!(reason.contains("wrong key"), "{reason}");
    }

    #[test]
    fn eventsourcing_custom_types_show_their_natural_value_and_keep_the_stored_form() {
        let codec = Codec {
            encryption: None,
            transform: Some(Transform::EventsourcingTypes),
        };
        let stored = json!({
            "amount": {"_type_": "decimal_str", "_data_": "12.50"},
            "id": {"_type_": "uuid_hex", "_data_": "0F8FAD5BD9CB469FA16570867728950E"},
            "at": {"_type_": "datetime_iso", "_data_": "2024-03-14T14:34:00+00:00"},
            "odd": {"_type_": "my_money", "_data_": {"cents": 5}},
        });
        let d = decoded(&Decoder::new(codec, None), stored.to_string().as_bytes());
        let Payload::Json(data) = d.data else {
            panic!()
        };
        assert_eq!(data["amount"].to_string(), "12.50", "decimals stay exact");
        assert_eq!(data["id"], "0f8fad5b-d9cb-469f-a165-70867728950e");
        assert_eq!(data["at"], "2024-03-14T14:34:00+00:00");
        assert_eq!(
            data["odd"],
            json!({"_type_": "my_money", "_data_": {"cents": 5}})
        );
        assert_eq!(d.stored, Some(stored));
    }

    #[test]
    fn serde_enum_payloads_unwrap_to_the_variant_content() {
        let codec = Codec {
            encryption: None,
            transform: Some(Transform::SerdeEnum),
        };
        let decoder = Decoder::new(codec, None);
        let data = |text: &str| decoded(&decoder, text.as_bytes()).data;
        assert_eq!(
            data(r#"{"Deposited":{"amount":5}}"#),
            Payload::Json(json!({"amount": 5}))
        );
        assert_eq!(
            data(r#"{"type":"Deposited","data":{"amount":5}}"#),
            Payload::Json(json!({"amount": 5}))
        );
        assert_eq!(data(r#""AccountFrozen""#), Payload::Json(json!({})));
        assert_eq!(
            data(r#"{"amount":5,"by":"x"}"#),
            Payload::Json(json!({"amount": 5, "by": "x"}))
        );
        let d = decoded(&decoder, br#""AccountFrozen""#);
        assert_eq!(
            d.stored,
            Some(json!("AccountFrozen")),
            "the stored payload stays viewable"
        );
    }

    #[test]
    fn cipher_keys_are_read_from_base64() {
        assert_eq!(parse_key("AAAAAAAAAAAAAAAAAAAAAA==").unwrap().len(), 16);
        assert!(parse_key("not base64!").is_err());
        assert!(parse_key("AAAA").unwrap_err().contains("3 bytes"));
    }
}
