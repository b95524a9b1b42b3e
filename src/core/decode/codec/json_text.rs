//! What a reader that parses payloads' JSON text itself (a deep merge's patch read straight from the text,
//! `core::replay::patch::text`) needs to know of a [`Decoder`] to give what decoding gives: whether the
//! decoder parses a stored payload as JSON text as it is, and how (as stored, or into its natural form),
//! asked once per decoder; and, per payload, the bytes it would parse, when nothing (compression, the cap)
//! stands between them and the parser.

use crate::core::decode::cell::Cell;
use crate::core::decode::inflate::Compression;

use super::{Decoder, Transform};

/// How a decoder reading replays (its payload as stored not kept) parses a payload that is JSON text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonText {
    /// As it is: `serde_json::from_str`.
    AsStored,
    /// Into its natural form: `eventsourcing`'s typed values read as their natural values (what
    /// [`super::Natural`] reads).
    Natural,
}

impl Decoder {
    /// How [`Self::decode_keeping`] without the payload as stored reads any payload that
    /// [`Self::json_text_bytes`] gives: `None` when it does more than parse JSON text (a cipher, a binary
    /// format, a schema, a transform other than the natural values).
    pub fn reads_json_text(&self) -> Option<JsonText> {
        let codec = &self.codec;
        if codec.encryption.is_some() || !codec.format.is_json() || codec.schema.is_some() {
            return None;
        }
        match codec.transform {
            None => Some(JsonText::AsStored),
            Some(Transform::EventsourcingTypes) => Some(JsonText::Natural),
            Some(Transform::SerdeEnum) => None,
        }
    }

    /// The bytes a decoder that [reads JSON text](Self::reads_json_text) parses for the stored `value`:
    /// its text or BLOB when not compressed and within the cap. `None` for anything else, which only
    /// [`Self::decode_keeping`] decodes as the decoder does.
    pub fn json_text_bytes<'a>(&self, value: Cell<'a>) -> Option<&'a [u8]> {
        match value {
            Cell::Text(bytes) | Cell::Blob(bytes)
                if Compression::of(bytes).is_none() && bytes.len() <= self.max_payload_bytes =>
            {
                Some(bytes)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Codec, Encryption, Format};
    use super::*;

    #[test]
    fn only_plain_json_codecs_are_read_as_json_text() {
        let with = |codec: Codec| Decoder::new(codec, None).reads_json_text();
        assert_eq!(with(Codec::default()), Some(JsonText::AsStored));
        let natural = Codec {
            transform: Some(Transform::EventsourcingTypes),
            ..Codec::default()
        };
        assert_eq!(with(natural.clone()), Some(JsonText::Natural));
        for codec in [
            Codec {
                encryption: Some(Encryption::EventsourcingAesGcm),
                ..natural.clone()
            },
            Codec {
                format: Format::MessagePack,
                ..natural
            },
            Codec {
                transform: Some(Transform::SerdeEnum),
                ..Codec::default()
            },
        ] {
            assert_eq!(with(codec.clone()), None, "{codec:?}");
        }
    }

    #[test]
    fn compressed_or_oversized_payloads_and_other_cells_are_left_to_the_decoder() {
        let decoder = Decoder::default().with_max_payload_bytes(8);
        assert_eq!(
            decoder.json_text_bytes(Cell::Text(b"{\"a\":1}")),
            Some(&b"{\"a\":1}"[..])
        );
        assert_eq!(
            decoder.json_text_bytes(Cell::Blob(b"[1]")),
            Some(&b"[1]"[..])
        );
        assert_eq!(decoder.json_text_bytes(Cell::Text(b"{\"ab\":12}")), None);
        assert_eq!(decoder.json_text_bytes(Cell::Blob(b"\x78\x9c\x01")), None);
        assert_eq!(decoder.json_text_bytes(Cell::Integer(1)), None);
        assert_eq!(decoder.json_text_bytes(Cell::Null), None);
    }
}
