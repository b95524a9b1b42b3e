//! Protocol Buffers read without a schema (the wire tree, guesses labelled) and with the sample's descriptor
//! set, hostile bytes refused with a reason, and detection that never picks protobuf from bytes alone.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use super::super::{Error, Format, chosen_format, guess_format};
use super::Descriptors;
use crate::core::decode::cell::Cell;
use crate::core::decode::codec::{Codec, Decoder, SchemaFile};
use crate::core::model::Payload;

const CAP: usize = 64 * 1024 * 1024;

fn bytes(hex: &str) -> Vec<u8> {
    crate::core::decode::unhex(&hex.replace(' ', "")).expect("test hex")
}

fn wire(data: &[u8]) -> Result<Value, Error> {
    Format::Protobuf.decode(data, CAP).expect("a binary format")
}

#[test]
fn the_wire_tree_names_field_numbers_and_wire_types() {
    // 1: varint 150, 2: "ann", 3: {1: 1}, 4: bytes ff 00, 5: i32 1, 6: i64 2
    let value = wire(&bytes(
        "08 9601 12 03616e6e 1a 02 0801 22 02 ff00 2d 01000000 31 0200000000000000",
    ))
    .unwrap();
    assert_eq!(
        value,
        json!({"1:varint": 150, "2:string?": "ann", "3:message?": {"1:varint": 1},
               "4:bytes": {"$bytes": "ff00"}, "5:i32": 1, "6:i64": 2})
    );
}

#[test]
fn a_repeated_field_is_the_array_of_its_values_in_stored_order() {
    let value = wire(&bytes("08 01 12 0178 08 02 08 03")).unwrap();
    assert_eq!(value, json!({"1:varint": [1, 2, 3], "2:string?": "x"}));
    let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["1:varint", "2:string?"], "first appearance order");
}

#[test]
fn printable_text_is_a_string_before_it_is_tried_as_a_message() {
    // "hi" parses as a message too (field 13, varint 105), but reads as text.
    assert_eq!(
        wire(&bytes("0a 02 6869")).unwrap(),
        json!({"1:string?": "hi"})
    );
    // Text with a newline is tried as a message first; this one is not one.
    assert_eq!(
        wire(&bytes("0a 03 610a62")).unwrap(),
        json!({"1:string?": "a\nb"})
    );
}

#[test]
fn groups_are_read_to_their_end_and_an_unmatched_end_is_an_error() {
    // 1: group { 2: varint 5 }
    assert_eq!(
        wire(&bytes("0b 10 05 0c")).unwrap(),
        json!({"1:group": {"2:varint": 5}})
    );
    assert!(matches!(wire(&bytes("0c")), Err(Error::Invalid { .. })));
    assert!(matches!(
        wire(&bytes("0b 10 05")),
        Err(Error::Truncated {
            what: "a group",
            ..
        })
    ));
}

#[test]
fn an_empty_payload_is_the_empty_message() {
    assert_eq!(wire(&[]).unwrap(), json!({}));
}

#[test]
fn hostile_wire_bytes_are_refused_with_a_reason() {
    // A length far past the bytes left: refused before anything is sliced.
    let Err(Error::TooLong { declared, left, .. }) = wire(&bytes("0a ffffffff0f 00")) else {
        panic!("a length past the bytes");
    };
    assert_eq!((declared, left), (u64::from(u32::MAX), 1));
    // Wire types 6 and 7 do not exist; field 0 neither.
    assert!(matches!(wire(&bytes("0e")), Err(Error::Invalid { .. })));
    assert!(matches!(wire(&bytes("00 01")), Err(Error::Invalid { .. })));
    // A varint of eleven bytes.
    assert!(matches!(
        wire(&bytes("08 ffffffffffffffffff7f")),
        Err(Error::Invalid { .. })
    ));
    // Fixed-width values cut short.
    assert!(matches!(
        wire(&bytes("0d 0100")),
        Err(Error::Truncated { .. })
    ));
}

#[test]
fn every_cut_of_a_payload_is_an_error_or_a_shorter_tree_never_a_panic() {
    let full = bytes(
        "08 9601 12 03616e6e 1a 02 0801 22 02 ff00 2d 01000000 31 0200000000000000 0b 1005 0c",
    );
    assert!(wire(&full).is_ok());
    for cut in 0..full.len() {
        let _ = wire(&full[..cut]);
    }
    // Every byte value in every place of a short payload.
    for place in 0..full.len() {
        for byte in 0..=255u8 {
            let mut changed = full.clone();
            changed[place] = byte;
            let _ = wire(&changed);
        }
    }
}

#[test]
fn nesting_past_the_depth_limit_is_refused_or_left_as_bytes() {
    // Groups nested 200 deep: an error, not a stack overflow.
    let mut groups = Vec::new();
    groups.extend(std::iter::repeat_n(0x0b, 200));
    groups.extend(std::iter::repeat_n(0x0c, 200));
    assert!(matches!(wire(&groups), Err(Error::TooDeep { .. })));
    // Messages nested 200 deep: the guess stops at the limit, the innermost shown as bytes.
    let mut message = vec![0x08, 0x01];
    for _ in 0..200 {
        let mut outer = vec![0x0a];
        let mut len = message.len();
        while len >= 0x80 {
            outer.push(u8::try_from(len & 0x7f).unwrap() | 0x80);
            len >>= 7;
        }
        outer.push(u8::try_from(len).unwrap());
        outer.extend(message);
        message = outer;
    }
    let value = wire(&message).unwrap();
    assert!(value.to_string().contains("$bytes"));
}

#[test]
fn a_tree_whose_json_passes_the_cap_is_refused_and_a_failed_guess_costs_nothing() {
    let data = bytes("12 03616e6e 08 01");
    assert!(matches!(
        Format::Protobuf.decode(&data, 8).unwrap(),
        Err(Error::TooLarge { .. })
    ));
    // Bytes that fail as a message (a field 0 inside) are charged once, as bytes.
    let value = Format::Protobuf
        .decode(&bytes("22 03 080100"), 40)
        .unwrap()
        .unwrap();
    assert_eq!(value, json!({"4:bytes": {"$bytes": "080100"}}));
}

#[test]
fn detection_lists_protobuf_but_never_chooses_it_from_the_bytes() {
    let rows = [
        bytes("08 01 12 0178"),
        bytes("08 02 12 0179"),
        bytes("08 03"),
    ];
    let guesses = guess_format(rows.iter().map(|r| Cell::Blob(r)));
    let protobuf = guesses
        .iter()
        .find(|g| g.format == Format::Protobuf)
        .expect("protobuf listed");
    assert_eq!(protobuf.decoded, 3);
    assert!(
        protobuf.reason.contains("not chosen without"),
        "{}",
        protobuf.reason
    );
    assert_eq!(chosen_format(&guesses), Format::Json);
}

const DESCRIPTORS: &[u8] = include_bytes!("../../../../../../sample-data/protobuf/events.desc");

fn descriptors() -> Descriptors {
    Descriptors::from_descriptor_set(DESCRIPTORS).unwrap()
}

#[test]
fn the_message_is_chosen_by_the_types_then_by_simple_name_then_by_the_fallback() {
    let d = descriptors();
    let none = BTreeMap::new();
    let full = |t: Option<&str>, types: &BTreeMap<String, String>| {
        d.message_for(t, types).map(|m| m.full_name().to_owned())
    };
    assert_eq!(
        full(Some("OrderPlaced"), &none).unwrap(),
        "shop.v1.OrderPlaced"
    );
    let types = BTreeMap::from([
        ("order-placed".to_owned(), "shop.v1.OrderPlaced".to_owned()),
        ("*".to_owned(), "shop.v1.OrderShipped".to_owned()),
    ]);
    assert_eq!(
        full(Some("order-placed"), &types).unwrap(),
        "shop.v1.OrderPlaced"
    );
    assert_eq!(full(Some("Other"), &types).unwrap(), "shop.v1.OrderShipped");
    assert_eq!(full(None, &types).unwrap(), "shop.v1.OrderShipped");
    let err = full(Some("Nope"), &none).unwrap_err();
    assert!(err.contains("codec's types"), "{err}");
    let wrong = BTreeMap::from([("A".to_owned(), "shop.v1.Missing".to_owned())]);
    assert!(
        full(Some("A"), &wrong)
            .unwrap_err()
            .contains("shop.v1.Missing")
    );
}

fn schema_decoder() -> Decoder {
    let mut codec = Codec {
        format: Format::Protobuf,
        ..Codec::default()
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/protobuf/events.desc");
    codec
        .load_schema(Some(&path), Path::new(""), false)
        .unwrap();
    Decoder::new(codec, None)
}

#[test]
fn with_the_schema_a_payload_is_the_message_in_its_canonical_json() {
    // OrderCancelled { order_id: "o", reason: OUT_OF_STOCK, refund_minor_units: -5 (sint64), stock_adjustment: -1 }
    let data = bytes("0a 016f 10 02 20 09 28 ffffffffffffffffff01");
    let decoded = schema_decoder().decode_typed(Cell::Blob(&data), Some("OrderCancelled"), true);
    assert_eq!(
        decoded.data,
        Payload::Json(json!({"orderId": "o", "reason": "OUT_OF_STOCK",
                             "refundMinorUnits": "-5", "stockAdjustment": -1}))
    );
    assert_eq!(
        decoded.stored,
        Some(json!({"$bytes": crate::core::decode::hex(&data)}))
    );
}

#[test]
fn a_payload_that_is_not_its_message_stays_raw_with_the_reason() {
    let decoder = schema_decoder();
    // A string where OrderCancelled has an enum (wire type 2 for field 2).
    let data = bytes("12 0178");
    let Payload::Raw {
        bytes: kept,
        reason,
    } = decoder
        .decode_typed(Cell::Blob(&data), Some("OrderCancelled"), true)
        .data
    else {
        panic!("not a message");
    };
    assert_eq!(kept, data);
    assert!(
        reason.starts_with("Protocol Buffers (events.desc): not a shop.v1.OrderCancelled"),
        "{reason}"
    );
    let Payload::Raw { reason, .. } = decoder
        .decode_typed(Cell::Blob(&data), Some("Unknown"), true)
        .data
    else {
        panic!("no message for the type");
    };
    assert!(reason.contains("no message named \"Unknown\""), "{reason}");
}

#[test]
fn a_missing_or_invalid_schema_is_an_error_naming_the_file() {
    let mut codec = Codec::default();
    let err = codec
        .load_schema(Some(Path::new("no/such.desc")), Path::new(""), true)
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("schema no/such.desc: cannot read it"),
        "{err}"
    );
    let mut codec = Codec {
        format: Format::Cbor,
        schema: Some(SchemaFile::new("sample-data/protobuf/events.desc".into())),
        ..Codec::default()
    };
    let err = codec
        .load_schema(None, Path::new(env!("CARGO_MANIFEST_DIR")), true)
        .unwrap_err();
    assert!(err.reason.contains("read as CBOR"), "{err}");
    let not_a_set =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/protobuf/reducers.json");
    let err = Codec::default()
        .load_schema(Some(&not_a_set), Path::new(""), true)
        .unwrap_err();
    assert!(err.reason.contains("descriptor set"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.proto");
    std::fs::write(
        &broken,
        "syntax = \"proto3\";\nmessage A { string a = ; }\n",
    )
    .unwrap();
    let err = Codec::default()
        .load_schema(Some(&broken), Path::new(""), true)
        .unwrap_err();
    assert_eq!(err.path, broken);
    assert!(
        err.reason.starts_with("not a .proto file protox compiles"),
        "{err}"
    );
}

#[test]
fn a_proto_file_is_compiled_with_its_imports_into_the_same_messages() {
    let proto = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/protobuf/events.proto");
    let Ok(crate::core::decode::codec::Schema::Protobuf(compiled)) =
        crate::core::decode::codec::Schema::load(&proto)
    else {
        panic!("events.proto compiles");
    };
    assert_eq!(compiled.message_names(), descriptors().message_names());
    assert!(
        compiled
            .message_names()
            .contains(&"google.protobuf.Timestamp".to_owned())
    );
}

#[test]
fn a_map_field_lists_its_entries_in_key_order_every_time() {
    // OrderPlaced { attributes: {"b": "2", "a": "1", "c": "3"} } stored in that order.
    let data = bytes("32 06 0a0162 120132 32 06 0a0161 120131 32 06 0a0163 120133");
    let decoder = schema_decoder();
    for _ in 0..8 {
        let decoded = decoder.decode_typed(Cell::Blob(&data), Some("OrderPlaced"), false);
        let Payload::Json(value) = decoded.data else {
            panic!("an OrderPlaced");
        };
        let keys: Vec<&String> = value["attributes"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["a", "b", "c"]);
    }
}

#[test]
fn fields_the_schema_does_not_know_are_shown_not_dropped() {
    // OrderCancelled { order_id: "o", 9: varint 7 } and PaymentReceived { amount: Money { 5: varint 7 } }.
    let decoder = schema_decoder();
    let read = |hex: &str, event_type: &str| {
        let data = bytes(hex);
        decoder
            .decode_typed(Cell::Blob(&data), Some(event_type), false)
            .data
    };
    assert_eq!(
        read("0a 016f 48 07", "OrderCancelled"),
        Payload::Json(json!({"orderId": "o", "$unknown": {"9:varint": 7}}))
    );
    assert_eq!(
        read("12 02 2807", "PaymentReceived"),
        Payload::Json(json!({"amount": {"$unknown": {"5:varint": 7}}}))
    );
}

#[test]
fn a_message_of_many_distinct_fields_reads_in_linear_time() {
    // 200,000 fields, each its own number: a search field by field would take minutes.
    let mut data = Vec::new();
    for number in 1..=200_000_u64 {
        let mut tag = number << 3;
        while tag >= 0x80 {
            data.push(u8::try_from(tag & 0x7f).unwrap() | 0x80);
            tag >>= 7;
        }
        data.push(u8::try_from(tag).unwrap());
        data.push(0);
    }
    let started = std::time::Instant::now();
    let value = wire(&data).unwrap();
    assert_eq!(value.as_object().unwrap().len(), 200_000);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn a_length_past_the_bytes_with_the_schema_stays_raw_with_the_reason() {
    // OrderPlaced whose items (field 3) claim 2^32 - 1 bytes.
    let data = bytes("1a ffffffff0f 00");
    let Payload::Raw { reason, .. } = schema_decoder()
        .decode_typed(Cell::Blob(&data), Some("OrderPlaced"), false)
        .data
    else {
        panic!("a length past the bytes");
    };
    assert!(reason.contains("not a shop.v1.OrderPlaced"), "{reason}");
}
