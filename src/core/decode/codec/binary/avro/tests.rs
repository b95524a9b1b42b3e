//! Avro read with an `.avsc` schema: single-object payloads by their fingerprint, raw datums by their event
//! type, the natural JSON rendering, and hostile bytes refused with a reason before `apache-avro` allocates.

use std::path::Path;

use serde_json::json;

use super::Schemas;
use crate::core::decode::cell::Cell;
use crate::core::decode::codec::{Codec, Decoder, Format};
use crate::core::model::Payload;

const ORDER: &str = r#"{"type": "record", "name": "OrderPlaced", "namespace": "shop", "fields": [
  {"name": "id", "type": "string"}, {"name": "n", "type": "long"},
  {"name": "tags", "type": {"type": "array", "items": "string"}},
  {"name": "note", "type": ["null", "string"]},
  {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
  {"name": "day", "type": {"type": "int", "logicalType": "date"}},
  {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
  {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}},
  {"name": "attrs", "type": {"type": "map", "values": "int"}}]}"#;

const NODE: &str = r#"{"type": "record", "name": "Node", "fields": [
  {"name": "next", "type": ["null", "Node"]}]}"#;

const NULLS: &str = r#"{"type": "record", "name": "Nulls", "fields": [
  {"name": "a", "type": {"type": "array", "items": "null"}}]}"#;

fn bytes(hex: &str) -> Vec<u8> {
    crate::core::decode::unhex(&hex.replace(' ', "")).expect("test hex")
}

/// OrderPlaced {id "o1", n 3, tags ["x"], note "hi", at 0, day 1, price 12.34, kind B, attrs {b: 1, a: 2}}.
fn order_datum() -> Vec<u8> {
    bytes("04 6f31 06 02 0278 00 02 04 6869 00 02 04 04d2 02 04 02 62 02 02 61 04 00")
}

fn decoder() -> (tempfile::TempDir, Decoder) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.avsc");
    std::fs::write(&path, format!("[{ORDER}, {NODE}, {NULLS}]")).unwrap();
    let mut codec = Codec::default();
    codec.load_schema(Some(&path), Path::new(""), true).unwrap();
    assert_eq!(codec.format, Format::Avro);
    (dir, Decoder::new(codec, None))
}

fn read(decoder: &Decoder, data: &[u8], event_type: &str) -> Result<serde_json::Value, String> {
    match decoder
        .decode_typed(Cell::Blob(data), Some(event_type), true)
        .data
    {
        Payload::Json(value) => Ok(value),
        Payload::Raw { bytes, reason } => {
            assert_eq!(bytes, data, "the stored bytes kept");
            Err(reason)
        }
    }
}

fn order_json() -> serde_json::Value {
    json!({"id": "o1", "n": 3, "tags": ["x"], "note": "hi", "at": "1970-01-01T00:00:00.000Z",
           "day": "1970-01-02", "price": "12.34", "kind": "B", "attrs": {"a": 2, "b": 1}})
}

#[test]
fn a_raw_datum_is_read_as_the_record_its_event_type_names_in_natural_json() {
    let (_dir, decoder) = decoder();
    assert_eq!(
        read(&decoder, &order_datum(), "OrderPlaced"),
        Ok(order_json())
    );
    let reason = read(&decoder, &order_datum(), "Unknown").unwrap_err();
    assert!(reason.contains("no record named \"Unknown\""), "{reason}");
}

#[test]
fn a_single_object_payload_is_read_with_the_schema_its_fingerprint_names() {
    let (_dir, decoder) = decoder();
    let schemas = Schemas::from_avsc(&format!("[{ORDER}, {NODE}]")).unwrap();
    let mut data = bytes("c301");
    data.extend(bytes(&schemas.fingerprints()[0]));
    data.extend(order_datum());
    // The event type does not matter: the fingerprint chooses.
    assert_eq!(read(&decoder, &data, "Whatever"), Ok(order_json()));
    let mut wrong = bytes("c301 0102030405060708");
    wrong.extend(order_datum());
    let reason = read(&decoder, &wrong, "OrderPlaced").unwrap_err();
    assert!(
        reason.starts_with("Avro (events.avsc): single-object encoding whose writer schema fingerprint 0102030405060708 is none"),
        "{reason}"
    );
}

#[test]
fn the_fingerprint_is_the_one_fastavro_computes_though_the_schema_holds_a_decimal() {
    // fastavro.schema.fingerprint(to_parsing_canonical_form(parse_schema(ORDER)), "CRC-64-AVRO")
    let schemas = Schemas::from_avsc(ORDER).unwrap();
    assert_eq!(schemas.fingerprints(), ["1cdb1c9fc2089277"]);
}

#[test]
fn decimals_keep_their_scale_and_sign() {
    let text = super::render::decimal_text_for_tests;
    assert_eq!(text(&[0x04, 0xd2], 2), Ok("12.34".to_owned()));
    assert_eq!(text(&[0xfb], 2), Ok("-0.05".to_owned()));
    assert_eq!(text(&[], 1), Ok("0.0".to_owned()));
    assert!(text(&[1; 17], 0).is_err());
}

#[test]
fn hostile_datums_stay_raw_with_the_reason_and_allocate_nothing_large() {
    let (_dir, decoder) = decoder();
    // A string declaring 2 GiB in a few bytes: refused before apache-avro would allocate it.
    let reason = read(&decoder, &bytes("feffffff0f 6f"), "OrderPlaced").unwrap_err();
    assert!(
        reason.contains("string declares 2147483647 bytes, only 1 bytes are left"),
        "{reason}"
    );
    // Two billion nulls, which take no bytes.
    let reason = read(&decoder, &bytes("feffffff0f 00"), "Nulls").unwrap_err();
    assert!(
        reason.contains("array declares 2147483647 items"),
        "{reason}"
    );
    // Cut short: apache-avro alone would read the missing string as a null.
    let datum = order_datum();
    for cut in 1..datum.len() {
        let reason = read(&decoder, &datum[..cut], "OrderPlaced").unwrap_err();
        assert!(reason.contains("not a shop.OrderPlaced"), "{cut}: {reason}");
    }
    let mut longer = datum.clone();
    longer.push(0);
    let reason = read(&decoder, &longer, "OrderPlaced").unwrap_err();
    assert!(reason.contains("1 bytes of trailing data"), "{reason}");
    // A linked list 10,000 deep.
    let mut deep = vec![0x02; 10_000];
    deep.push(0);
    let reason = read(&decoder, &deep, "Node").unwrap_err();
    assert!(reason.contains("nested deeper than 127 levels"), "{reason}");
    let mut shallow = vec![0x02; 100];
    shallow.push(0);
    assert!(read(&decoder, &shallow, "Node").is_ok());
    // A header cut short.
    let reason = read(&decoder, &bytes("c301 0102"), "OrderPlaced").unwrap_err();
    assert!(reason.contains("header cut short"), "{reason}");
}

#[test]
fn a_datum_whose_json_passes_the_cap_is_refused() {
    let (_dir, decoder) = decoder();
    let decoder = decoder.with_max_payload_bytes(40);
    let reason = read(&decoder, &order_datum(), "OrderPlaced").unwrap_err();
    assert!(reason.contains("limit on one decoded payload"), "{reason}");
}

proptest::proptest! {
    #[test]
    fn random_bytes_give_a_value_or_a_reason_and_never_a_panic(
        data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
    ) {
        let (_dir, decoder) = decoder();
        for event_type in ["OrderPlaced", "Node", "Nulls"] {
            let _ = decoder.decode_typed(Cell::Blob(&data), Some(event_type), true);
        }
    }
}

#[test]
fn an_avsc_that_is_not_a_schema_is_refused_and_avro_is_never_chosen_from_bytes() {
    assert!(Schemas::from_avsc("{").unwrap_err().starts_with("not JSON"));
    assert!(
        Schemas::from_avsc(
            r#"{"type": "record", "name": "A", "fields": [{"name": "a", "type": "Missing"}]}"#
        )
        .is_err()
    );
    let mut marked = bytes("c301 0102030405060708");
    marked.extend(order_datum());
    let rows = vec![marked; 4];
    let guesses = super::super::guess_format(rows.iter().map(|r| Cell::Blob(r)));
    let avro = guesses.iter().find(|g| g.format == Format::Avro).unwrap();
    assert_eq!(
        avro.reason,
        "Avro: 4 of 4 sampled rows start with the single-object marker (C3 01); read only with a schema (--schema, or the codec's \"schema\")"
    );
    assert_ne!(super::super::chosen_format(&guesses), Format::Avro);
}
