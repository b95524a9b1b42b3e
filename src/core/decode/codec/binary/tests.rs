//! MessagePack and CBOR decoded into their JSON rendering, and hostile bytes refused with a reason: deep
//! nesting, declared lengths past the bytes, bytes cut short, bytes after the value, JSON past the cap.

use serde_json::{Value, json};

use super::*;
use crate::core::decode::cell::Cell;
use crate::core::decode::codec::{Codec, Decoder, stored_bytes};
use crate::core::model::Payload;

pub(super) const CAP: usize = 64 * 1024 * 1024;

pub(super) fn bytes(hex: &str) -> Vec<u8> {
    crate::core::decode::unhex(&hex.replace(' ', "")).expect("test hex")
}

fn msgpack(hex: &str) -> Result<Value, Error> {
    Format::MessagePack
        .decode(&bytes(hex), CAP)
        .expect("a binary format")
}

fn cbor(hex: &str) -> Result<Value, Error> {
    Format::Cbor
        .decode(&bytes(hex), CAP)
        .expect("a binary format")
}

#[test]
fn msgpack_values_json_lacks_are_shown_not_dropped() {
    // {"a": 1, 1: "one", "b": bin(ab cd), "e": fixext1(type 5, ff), "n": nil, "f": 1.5}
    let value =
        msgpack("86 a161 01 01 a36f6e65 a162 c402abcd a165 d405ff a16e c0 a166 cb3ff8000000000000")
            .unwrap();
    assert_eq!(
        value,
        json!({"a": 1, "$int:1": "one", "b": {"$bytes": "abcd"},
               "e": {"$ext": {"type": 5, "hex": "ff"}}, "n": null, "f": 1.5})
    );
    let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["a", "$int:1", "b", "e", "n", "f"],
        "stored order kept"
    );
}

#[test]
fn msgpack_integers_keep_their_full_range() {
    assert_eq!(
        msgpack("cf ffffffffffffffff").unwrap().to_string(),
        "18446744073709551615"
    );
    assert_eq!(msgpack("d3 8000000000000000").unwrap(), json!(i64::MIN));
    assert_eq!(msgpack("e0").unwrap(), json!(-32));
    assert_eq!(msgpack("ca 3f800000").unwrap(), json!(1.0));
    assert_eq!(
        msgpack("cb 7ff8000000000000").unwrap(),
        json!({"$float": "NaN"})
    );
}

#[test]
fn cbor_values_json_lacks_are_shown_not_dropped() {
    // RFC 8949 appendix A: {1: 2, 3: 4}, tag 1 over an epoch time, bytes, undefined, -2^64, +Infinity.
    assert_eq!(
        cbor("a2 01 02 03 04").unwrap(),
        json!({"$int:1": 2, "$int:3": 4})
    );
    assert_eq!(
        cbor("c1 1a514b67b0").unwrap(),
        json!({"$tag": 1, "value": 1_363_896_240})
    );
    assert_eq!(cbor("44 01020304").unwrap(), json!({"$bytes": "01020304"}));
    assert_eq!(cbor("f7").unwrap(), json!({"$simple": 23}));
    assert_eq!(
        cbor("3b ffffffffffffffff").unwrap().to_string(),
        "-18446744073709551616"
    );
    assert_eq!(cbor("f9 7c00").unwrap(), json!({"$float": "Infinity"}));
    assert_eq!(cbor("f9 3c00").unwrap(), json!(1.0));
    assert_eq!(
        cbor("a3 f5 01 f6 02 42 0102 03").unwrap(),
        json!({"$bool:true": 1, "$null": 2, "$bytes:0102": 3})
    );
}

#[test]
fn cbor_indefinite_lengths_are_read_to_their_break() {
    assert_eq!(
        cbor("9f 01 82 02 03 9f 04 05 ff ff").unwrap(),
        json!([1, [2, 3], [4, 5]])
    );
    assert_eq!(
        cbor("7f 657374726561 646d696e67 ff").unwrap(),
        json!("streaming")
    );
    assert_eq!(
        cbor("bf 6161 01 6162 9f 02 03 ff ff").unwrap(),
        json!({"a": 1, "b": [2, 3]})
    );
    assert_eq!(cbor("5f 4101 4102 ff").unwrap(), json!({"$bytes": "0102"}));
    assert!(matches!(cbor("7f 4101 ff"), Err(Error::Invalid { .. })));
}

#[test]
fn nesting_stops_where_serde_json_stops_json() {
    let json_nested = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
    assert!(serde_json::from_str::<Value>(&json_nested(MAX_DEPTH)).is_ok());
    assert!(serde_json::from_str::<Value>(&json_nested(MAX_DEPTH + 1)).is_err());
    for (format, one_item_array) in [(Format::MessagePack, 0x91), (Format::Cbor, 0x81)] {
        let nested = |levels: usize| {
            let mut out = vec![one_item_array; levels - 1];
            out.push(one_item_array & 0xf0); // the innermost array is empty
            out
        };
        let deepest = format.decode(&nested(MAX_DEPTH), CAP).unwrap().unwrap();
        assert_eq!(deepest.to_string(), json_nested(MAX_DEPTH), "{format:?}");
        assert!(
            matches!(
                format.decode(&nested(MAX_DEPTH + 1), CAP).unwrap(),
                Err(Error::TooDeep { .. })
            ),
            "{format:?}"
        );
        // A million levels: refused at the limit, the stack untouched.
        assert!(matches!(
            format.decode(&nested(1_000_000), CAP).unwrap(),
            Err(Error::TooDeep { .. })
        ));
    }
    // Tags nest too (each is an object around its value).
    let mut tags = vec![0xc6; 200];
    tags.push(0x01);
    assert!(matches!(
        Format::Cbor.decode(&tags, CAP).unwrap(),
        Err(Error::TooDeep { .. })
    ));
}

#[test]
fn a_length_past_the_bytes_is_refused_before_anything_is_allocated() {
    for hex in [
        "dd ffffffff",    // array32 of 4 billion items
        "df ffffffff",    // map32
        "db ffffffff 61", // str32 of 4 GiB
        "c6 ffffffff",    // bin32
        "c9 ffffffff 05", // ext32
        "91 dd ffffffff", // nested
    ] {
        let err = msgpack(hex).unwrap_err();
        assert!(matches!(err, Error::TooLong { .. }), "{hex}: {err}");
        assert!(err.to_string().contains("declares"), "{err}");
    }
    for hex in [
        "9b ffffffffffffffff",    // array of 2^64 - 1 items
        "bb 7fffffffffffffff",    // map
        "5b ffffffffffffffff",    // bytes
        "7b 00000000ffffffff",    // text
        "5f 5b ffffffffffffffff", // a chunk of an indefinite byte string
    ] {
        let err = cbor(hex).unwrap_err();
        assert!(matches!(err, Error::TooLong { .. }), "{hex}: {err}");
    }
}

#[test]
fn every_cut_of_a_payload_is_an_error_and_never_a_panic() {
    let samples = [
        (
            Format::MessagePack,
            bytes(
                "86 a161 01 01 a36f6e65 a162 c402abcd a165 d405ff a16e c0 a166 cb3ff8000000000000",
            ),
        ),
        (
            Format::Cbor,
            bytes(
                "bf 6161 01 6162 9f 02 c1 1a514b67b0 ff 6163 5f 4101 4102 ff 6164 fb 3ff8000000000000 ff",
            ),
        ),
    ];
    for (format, whole) in samples {
        assert_every_cut_and_extension_fails(format, &whole);
    }
}

/// `whole` decodes in `format`; each of its cuts is an error saying so, and two bytes more are trailing.
pub(super) fn assert_every_cut_and_extension_fails(format: Format, whole: &[u8]) {
    assert!(format.decode(whole, CAP).unwrap().is_ok(), "{format:?}");
    for cut in 0..whole.len() {
        let err = format.decode(&whole[..cut], CAP).unwrap().unwrap_err();
        assert!(
            matches!(
                err,
                Error::Empty | Error::Truncated { .. } | Error::TooLong { .. }
            ),
            "{format:?} cut at {cut}: {err}"
        );
    }
    let mut longer = whole.to_vec();
    longer.extend_from_slice(b"\x00\x01");
    assert_eq!(
        format.decode(&longer, CAP).unwrap(),
        Err(Error::Trailing {
            offset: whole.len(),
            left: 2
        })
    );
}

proptest::proptest! {
    #[test]
    fn random_bytes_give_a_value_or_an_error_and_never_a_panic(
        // Half of them start with a container, so the bytes after it are read as its items.
        head in proptest::sample::select(vec![0x9f_u8, 0xbf, 0xdc, 0xde, 0x8f, 0x5f, 0x7f, 0x00]),
        tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..48),
    ) {
        let mut input = vec![head];
        input.extend(tail);
        for format in Format::BINARY {
            for bytes in [&input[..], &input[1..]] {
                let decoded = format.decode(bytes, 4096);
                proptest::prop_assert!(decoded.is_some());
            }
        }
    }
}

#[test]
fn a_value_whose_json_passes_the_cap_is_refused() {
    // 1,000 nils in an array: 5 bytes of JSON each.
    let mut many = vec![0xdc, 0x03, 0xe8];
    many.extend(std::iter::repeat_n(0xc0, 1000));
    assert!(Format::MessagePack.decode(&many, 10_000).unwrap().is_ok());
    assert_eq!(
        Format::MessagePack.decode(&many, 4_000).unwrap(),
        Err(Error::TooLarge { limit_bytes: 4_000 })
    );
}

#[test]
fn a_key_twice_is_an_error_not_a_lost_entry() {
    let err = msgpack("82 01 a161 01 a162").unwrap_err();
    assert_eq!(
        err,
        Error::DuplicateKey {
            key: "$int:1".to_owned(),
            offset: 4
        }
    );
    assert!(matches!(
        cbor("a2 6161 01 6161 02"),
        Err(Error::DuplicateKey { .. })
    ));
    // The integer 1 and the string "1" are different keys.
    assert_eq!(
        cbor("a2 01 02 6131 03").unwrap(),
        json!({"$int:1": 2, "1": 3})
    );
}

#[test]
fn strings_must_be_utf8_and_reserved_bytes_are_refused() {
    assert!(matches!(msgpack("a2 ff fe"), Err(Error::Invalid { .. })));
    assert!(matches!(cbor("62 ff fe"), Err(Error::Invalid { .. })));
    assert!(matches!(msgpack("c1"), Err(Error::Invalid { .. })));
    assert!(matches!(cbor("ff"), Err(Error::Invalid { .. })));
    assert!(matches!(cbor("1c"), Err(Error::Invalid { .. })));
    assert_eq!(msgpack(""), Err(Error::Empty));
}

fn decoder(format: Format) -> Decoder {
    Decoder::new(
        Codec {
            format,
            ..Codec::default()
        },
        None,
    )
}

#[test]
fn a_codec_format_decodes_payloads_and_keeps_their_stored_bytes() {
    let stored = bytes("82 a474797065 a14f a161 c40101");
    let decoded = decoder(Format::MessagePack).decode(Cell::Blob(&stored));
    assert_eq!(
        decoded.data,
        Payload::Json(json!({"type": "O", "a": {"$bytes": "01"}}))
    );
    assert_eq!(decoded.stored, Some(stored_bytes(&stored)));
    assert_eq!(
        crate::core::decode::codec::bytes_of_stored(&stored_bytes(&stored)),
        Some(stored.clone())
    );
    // A replay never asks for the stored form: none is made.
    let replayed = decoder(Format::MessagePack).decode_keeping(Cell::Blob(&stored), false);
    assert_eq!((replayed.data, replayed.stored), (decoded.data, None));
    assert_eq!(
        decoder(Format::MessagePack).json_text(Cell::Blob(&stored)),
        Some(r#"{"type":"O","a":{"$bytes":"01"}}"#.to_owned())
    );
}

#[test]
fn a_binary_payload_that_does_not_decode_stays_raw_with_the_reason() {
    let stored = bytes("82 a474797065");
    let Payload::Raw {
        bytes: kept,
        reason,
    } = decoder(Format::MessagePack)
        .decode(Cell::Blob(&stored))
        .data
    else {
        panic!("must stay raw");
    };
    assert_eq!(kept, stored);
    assert_eq!(
        reason,
        "not MessagePack: cut short inside a value at offset 6"
    );
    let Payload::Raw { reason, .. } = decoder(Format::Cbor).decode(Cell::Blob(&stored)).data else {
        panic!("must stay raw");
    };
    assert!(reason.starts_with("not CBOR: "), "{reason}");
    let capped = decoder(Format::MessagePack).with_max_payload_bytes(10);
    let Payload::Raw { reason, .. } = capped
        .decode(Cell::Blob(&bytes("92 a3616263 a3646566")))
        .data
    else {
        panic!("must stay raw");
    };
    assert!(
        reason.contains("MessagePack payload decodes to JSON over the 10-byte limit"),
        "{reason}"
    );
}

#[test]
fn compressed_binary_payloads_are_inflated_then_decoded() {
    use std::io::Write as _;
    let payload = bytes("a2 6161 01 6162 c1 02");
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&payload).unwrap();
    let stored = encoder.finish().unwrap();
    let decoded = decoder(Format::Cbor).decode(Cell::Blob(&stored));
    assert_eq!(
        decoded.data,
        Payload::Json(json!({"a": 1, "b": {"$tag": 1, "value": 2}}))
    );
    assert_eq!(
        decoded.stored,
        Some(stored_bytes(&stored)),
        "the bytes as stored"
    );
}

#[test]
fn a_mapping_names_the_format_alone_or_among_the_codec_fields() {
    let short: Codec = serde_json::from_str(r#""msgpack""#).unwrap();
    let long: Codec = serde_json::from_str(r#"{"format": "cbor"}"#).unwrap();
    assert_eq!(short.format, Format::MessagePack);
    assert_eq!(long.format, Format::Cbor);
    assert!(!short.is_plain());
    assert_eq!(
        serde_json::to_value(&long).unwrap(),
        json!({"format": "cbor"})
    );
    assert_eq!(serde_json::to_value(Codec::default()).unwrap(), json!({}));
    assert!(serde_json::from_str::<Codec>(r#""thrift""#).is_err());
    assert!(serde_json::from_str::<Codec>(r#"{"formt": "cbor"}"#).is_err());
}

#[test]
fn detection_ranks_the_formats_by_the_rows_they_decode_with_the_reason() {
    let rows = [bytes("a1 6161 01"), bytes("a1 6162 02"), bytes("a0")];
    let guesses = guess_format(rows.iter().map(|r| Cell::Blob(r)).chain([Cell::Null]));
    assert_eq!(guesses.first().map(|g| g.format), Some(Format::Cbor));
    assert_eq!(
        guesses.first().map(|g| g.reason.as_str()),
        Some("CBOR: decoded every sampled row (3 of 3)")
    );
    assert_eq!(chosen_format(&guesses), Format::Cbor);
    let msgpack_rows = [bytes("81 a161 01"), bytes("80")];
    let guesses = guess_format(msgpack_rows.iter().map(|r| Cell::Blob(r)));
    assert_eq!(chosen_format(&guesses), Format::MessagePack);
    // JSON payloads leave nothing to guess.
    assert!(guess_format([Cell::Text(br#"{"a": 1}"#), Cell::Blob(b"[1]")]).is_empty());
    // Bytes that decode as neither are not taken for either.
    let noise = [b"\xc1\x00\xff".as_slice(), b"\xc1\x17", b"\x1c\x00"];
    let guesses = guess_format(noise.iter().map(|r| Cell::Blob(r)));
    assert_eq!(chosen_format(&guesses), Format::Json);
}
