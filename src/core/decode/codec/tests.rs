//! The codecs' unit tests: compression, encryption, transforms and the payload cap.
use serde_json::json;

use super::*;

pub(super) fn decoded(decoder: &Decoder, bytes: &[u8]) -> Decoded {
    decoder.decode(Cell::Blob(bytes))
}

#[test]
fn a_transform_done_in_place_gives_the_data_the_copying_one_gives() {
    let decoder = Decoder::new(
        Codec {
            encryption: None,
            format: Format::Json,
            transform: Some(Transform::EventsourcingTypes),
            ..Codec::default()
        },
        None,
    );
    for text in [
        r#"{"timestamp": {"_type_": "datetime_iso", "_data_": "2024-01-01T00:00:08+00:00"},
            "amount": {"_type_": "decimal_str", "_data_": "4923.54"}, "n": [1, {"_type_": "uuid_hex",
            "_data_": "7688a85613565493a5057bf2d8850f1a"}], "odd": {"_type_": "nope", "_data_": 1},
            "t": {"_type_": "tuple_as_list", "_data_": [{"_type_": "str", "_data_": "x"}]}}"#,
        r#"{"plain": true}"#,
        r#"[{"_type_": "decimal_str", "_data_": "1.50"}]"#,
        "not json",
    ] {
        let copied = decoder.decode(Cell::Text(text.as_bytes()));
        let in_place = decoder.decode_keeping(Cell::Text(text.as_bytes()), false);
        assert_eq!(in_place.data, copied.data, "{text}");
        assert_eq!(in_place.stored, None);
    }
}

#[test]
fn zlib_payloads_are_decompressed_whatever_the_codec() {
    use std::io::Write as _;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(br#"{"amount": 5}"#).unwrap();
    let compressed = encoder.finish().unwrap();
    let d = decoded(&Decoder::default(), &compressed);
    assert_eq!(d.data, Payload::Json(json!({"amount": 5})));
}

#[test]
fn eventsourcing_custom_types_show_their_natural_value_and_keep_the_stored_form() {
    let codec = Codec {
        encryption: None,
        format: Format::Json,
        transform: Some(Transform::EventsourcingTypes),
        ..Codec::default()
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
        format: Format::Json,
        transform: Some(Transform::SerdeEnum),
        ..Codec::default()
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

pub(super) fn compressed(compression: Compression, content: &[u8], copies: usize) -> Vec<u8> {
    use std::io::Write as _;
    let level = flate2::Compression::best();
    match compression {
        Compression::Zlib => {
            let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), level);
            for _ in 0..copies {
                encoder.write_all(content).unwrap();
            }
            encoder.finish().unwrap()
        }
        Compression::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), level);
            for _ in 0..copies {
                encoder.write_all(content).unwrap();
            }
            encoder.finish().unwrap()
        }
    }
}

pub(super) fn raw_reason(payload: Payload) -> String {
    match payload {
        Payload::Raw { reason, .. } => reason,
        Payload::Json(value) => panic!("must stay raw, decoded {value}"),
    }
}

#[test]
fn gzip_payloads_are_decompressed_too() {
    let stored = compressed(Compression::Gzip, br#"{"amount": 5}"#, 1);
    let d = decoded(&Decoder::default(), &stored);
    assert_eq!(d.data, Payload::Json(json!({"amount": 5})));
}

#[test]
fn inflating_stops_at_the_cap_and_names_it_and_the_stored_size() {
    let cap = 1024 * 1024;
    let decoder = Decoder::default().with_max_payload_bytes(cap);
    for compression in [Compression::Zlib, Compression::Gzip] {
        // 16 MiB of zeros, stored in a few KiB.
        let bomb = compressed(compression, &[0u8; 1024], 16 * 1024);
        let Payload::Raw { bytes, reason } = decoded(&decoder, &bomb).data else {
            panic!("a bomb must stay raw");
        };
        assert_eq!(bytes, bomb, "the stored bytes are kept");
        assert!(reason.contains("1 MiB limit"), "{reason}");
        assert!(
            reason.contains(&format!("({} bytes stored)", bomb.len())),
            "{reason}"
        );
        assert!(reason.contains(compression.name()), "{reason}");
        assert_eq!(decoder.json_text(Cell::Blob(&bomb)), None);
    }
}

#[test]
fn a_payload_exactly_at_the_cap_decodes_and_one_byte_more_does_not() {
    let text = format!(r#"{{"pad":"{}"}}"#, "x".repeat(1000));
    let stored = compressed(Compression::Zlib, text.as_bytes(), 1);
    let at_cap = Decoder::default().with_max_payload_bytes(text.len());
    assert!(decoded(&at_cap, &stored).data.json().is_some());
    let below = Decoder::default().with_max_payload_bytes(text.len() - 1);
    let reason = raw_reason(decoded(&below, &stored).data);
    assert!(
        reason.contains(&format!("{}-byte limit", text.len() - 1)),
        "{reason}"
    );
    let reason = raw_reason(decoded(&below, text.as_bytes()).data);
    assert!(reason.contains("the payload is over"), "{reason}");
    assert!(
        below
            .decode_plain(Cell::Text(text.as_bytes()))
            .json()
            .is_none(),
        "metadata is capped too"
    );
}

#[test]
fn a_compressed_payload_too_large_to_decode_is_not_taken_for_encrypted() {
    let bomb = compressed(Compression::Zlib, &[0u8; 1024], 65 * 1024);
    assert!(!looks_encrypted(Cell::Blob(&bomb)));
    assert!(looks_encrypted(Cell::Blob(&[0x42; 64])));
    assert!(!looks_encrypted(Cell::Text(br#"{"a": 1}"#)));
}

#[test]
fn the_cap_cannot_be_raised_past_what_sqlite_accepts() {
    let decoder = Decoder::default().with_max_payload_bytes(usize::MAX);
    assert_eq!(decoder.max_payload_bytes(), MAX_PAYLOAD_BYTES_CEILING);
    assert_eq!(
        Decoder::default().max_payload_bytes(),
        DEFAULT_MAX_PAYLOAD_BYTES
    );
}
