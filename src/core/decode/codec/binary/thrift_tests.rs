//! Thrift's binary and compact protocols decoded without an IDL into the field-id tree, and hostile bytes
//! refused with a reason: declared lengths past the bytes, deep nesting, bytes cut short, unknown type
//! ids, bytes after the struct.

use serde_json::{Value, json};

use super::tests::{CAP, assert_every_cut_and_extension_fails, bytes};
use super::*;
use crate::core::decode::cell::Cell;
use crate::core::decode::codec::Codec;

fn binary(hex: &str) -> Result<Value, Error> {
    Format::ThriftBinary
        .decode(&bytes(hex), CAP)
        .expect("a binary format")
}

fn compact(hex: &str) -> Result<Value, Error> {
    Format::ThriftCompact
        .decode(&bytes(hex), CAP)
        .expect("a binary format")
}

/// {1: "ann", 2: {1: 7}, 3: [1, -2], 4: {5: "x"}, 5: ff00, 6: true, 7: 1.5, 8: {"a"}, 9: -1, 10: 300}
const BINARY_SAMPLE: &str = "0b 0001 00000003 616e6e  0c 0002 08 0001 00000007 00  \
    0f 0003 0a 00000002 0000000000000001 fffffffffffffffe  0d 0004 08 0b 00000001 00000005 00000001 78  \
    0b 0005 00000002 ff00  02 0006 01  04 0007 3ff8000000000000  0e 0008 0b 00000001 00000001 61  \
    03 0009 ff  06 000a 012c  00";

/// The same struct in the compact protocol.
const COMPACT_SAMPLE: &str = "18 03 616e6e  1c 15 0e 00  19 26 02 03  1b 01 58 0a 01 78  18 02 ff00  11  \
    17 000000000000f83f  1a 18 01 61  13 ff  14 d804  00";

fn sample_tree() -> Value {
    json!({"1": "ann", "2": {"1": 7}, "3": [1, -2], "4": {"$int:5": "x"}, "5": {"$bytes": "ff00"},
           "6": true, "7": 1.5, "8": ["a"], "9": -1, "10": 300})
}

#[test]
fn a_struct_is_a_tree_keyed_by_field_id_in_both_protocols() {
    assert_eq!(binary(BINARY_SAMPLE).unwrap(), sample_tree());
    assert_eq!(compact(COMPACT_SAMPLE).unwrap(), sample_tree());
    let value = compact(COMPACT_SAMPLE).unwrap();
    let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
        "stored order kept"
    );
}

#[test]
fn compact_field_ids_follow_deltas_and_long_forms() {
    // Field 300 (long form, zigzag 600), then field -1, then a delta of 2 from it.
    assert_eq!(
        compact("05 d804 02  05 01 04  25 06  00").unwrap(),
        json!({"300": 1, "-1": 2, "1": 3})
    );
    // A delta past i16's largest id.
    assert!(matches!(
        compact("05 feff03 02  15 02 00"),
        Err(Error::Invalid { .. })
    ));
    // Bools in a list are bytes: 1 true, 2 false.
    assert_eq!(
        compact("19 31 01 02 01 00").unwrap(),
        json!({"1": [true, false, true]})
    );
    // An empty map has no types byte; an i64 keeps its whole range; a uuid is its text.
    assert_eq!(
        compact("1b 00  16 ffffffffffffffffff01  1d 0123456789abcdef0123456789abcdef 00").unwrap(),
        json!({"1": {}, "2": i64::MIN, "3": "01234567-89ab-cdef-0123-456789abcdef"})
    );
}

#[test]
fn map_keys_that_are_not_strings_are_written_as_render_writes_them() {
    // map<binary, bool> with a key that is not UTF-8; map<i64, double>; map<bool, byte>.
    assert_eq!(
        binary("0d 0001 0b 02 00000002 00000001 ff 01 00000001 61 00  0d 0002 0a 04 00000001 fffffffffffffffb 7ff0000000000000  0d 0003 02 03 00000001 01 07  00")
            .unwrap(),
        json!({"1": {"$bytes:ff": true, "a": false}, "2": {"$int:-5": {"$float": "Infinity"}},
               "3": {"$bool:true": 7}})
    );
    // The same field id twice is an error, not a lost field.
    assert_eq!(
        binary("08 0001 00000001 08 0001 00000002 00"),
        Err(Error::DuplicateKey {
            key: "1".to_owned(),
            offset: 7
        })
    );
}

#[test]
fn a_length_past_the_bytes_is_refused_before_anything_is_allocated() {
    for hex in [
        "0b 0001 7fffffff 61 00",    // a string of 2 GiB
        "0f 0001 0a 7fffffff 00",    // a list of 2^31 - 1 i64s
        "0e 0001 0c 00001000 00 00", // a set of 4096 structs in 2 bytes
        "0d 0001 08 08 7fffffff 00", // a map
        "0c 0001 0b 0002 40000000",  // nested
    ] {
        let err = binary(hex).unwrap_err();
        assert!(matches!(err, Error::TooLong { .. }), "{hex}: {err}");
        assert!(err.to_string().contains("declares"), "{err}");
    }
    for hex in [
        "18 ffffffffffffffffff01 61 00", // a string of 2^64 - 1 bytes
        "19 f6 ffffffff0f 00",           // a list of 2^32 - 1 i64s
        "1b ffffffff0f 55 00",           // a map
        "19 f7 02 00",                   // two doubles in one byte
    ] {
        let err = compact(hex).unwrap_err();
        assert!(matches!(err, Error::TooLong { .. }), "{hex}: {err}");
    }
    assert_eq!(
        binary("0b 0001 ffffffff"),
        Err(Error::Invalid {
            what: "a string's length with a negative size (-1)".to_owned(),
            offset: 3
        })
    );
}

#[test]
fn nesting_stops_where_serde_json_stops_json() {
    for (format, field) in [
        (Format::ThriftBinary, bytes("0c 0001")),
        (Format::ThriftCompact, bytes("1c")),
    ] {
        // `levels` structs, each the first field of the one around it.
        let nested = |levels: usize| {
            let mut out = field.repeat(levels - 1);
            out.extend(std::iter::repeat_n(0, levels));
            out
        };
        let deepest = format.decode(&nested(MAX_DEPTH), CAP).unwrap().unwrap();
        assert_eq!(
            deepest.to_string().matches('{').count(),
            MAX_DEPTH,
            "{format:?}"
        );
        for levels in [MAX_DEPTH + 1, 1_000_000] {
            assert!(
                matches!(
                    format.decode(&nested(levels), CAP).unwrap(),
                    Err(Error::TooDeep { .. })
                ),
                "{format:?} {levels}"
            );
        }
    }
}

#[test]
fn every_cut_of_a_payload_is_an_error_and_never_a_panic() {
    for (format, whole) in [
        (Format::ThriftBinary, bytes(BINARY_SAMPLE)),
        (Format::ThriftCompact, bytes(COMPACT_SAMPLE)),
    ] {
        assert_every_cut_and_extension_fails(format, &whole);
    }
}

#[test]
fn unknown_type_ids_and_malformed_scalars_are_refused_with_their_offset() {
    let unknown = |id: u8, offset: usize| Error::Invalid {
        what: format!("unknown type id {id}"),
        offset,
    };
    assert_eq!(binary("05 0001 00"), Err(unknown(5, 0)));
    assert_eq!(binary("01 0001 00"), Err(unknown(1, 0)), "void is no value");
    assert_eq!(binary("0f 0001 07 00000000 00"), Err(unknown(7, 3)));
    assert_eq!(compact("1e 00"), Err(unknown(14, 0)));
    assert_eq!(compact("10 00"), Err(unknown(0, 0)));
    assert_eq!(compact("1b 01 f5 00"), Err(unknown(15, 2)));
    assert!(matches!(
        binary("02 0001 05 00"),
        Err(Error::Invalid { .. })
    ));
    assert!(matches!(compact("19 11 07 00"), Err(Error::Invalid { .. })));
    // A varint past 64 bits, an i32 past its range.
    assert!(matches!(
        compact("15 ffffffffffffffffffff01 00"),
        Err(Error::Invalid { .. })
    ));
    assert!(matches!(
        compact("15 ffffffff1f 00"),
        Err(Error::Invalid { .. })
    ));
    assert_eq!(binary(""), Err(Error::Empty));
}

#[test]
fn a_value_whose_json_passes_the_cap_is_refused() {
    // A list of 1,000 trues: 5 bytes of JSON each.
    let mut many = bytes("19 f1 e807");
    many.extend(std::iter::repeat_n(1, 1000));
    many.push(0);
    assert!(Format::ThriftCompact.decode(&many, 10_000).unwrap().is_ok());
    assert_eq!(
        Format::ThriftCompact.decode(&many, 4_000).unwrap(),
        Err(Error::TooLarge { limit_bytes: 4_000 })
    );
}

#[test]
fn a_mapping_names_a_thrift_protocol() {
    let short: Codec = serde_json::from_str(r#""thrift-binary""#).unwrap();
    let long: Codec = serde_json::from_str(r#"{"format": "thrift-compact"}"#).unwrap();
    assert_eq!(short.format, Format::ThriftBinary);
    assert_eq!(long.format, Format::ThriftCompact);
    assert_eq!(
        serde_json::to_value(&long).unwrap(),
        json!({"format": "thrift-compact"})
    );
    assert_eq!(Format::ThriftCompact.name(), "Thrift (compact)");
}

#[test]
fn detection_finds_thrift_and_prefers_a_self_describing_format_on_a_tie() {
    let rows = [bytes(BINARY_SAMPLE), bytes("0b 0001 00000001 61 00")];
    let guesses = guess_format(rows.iter().map(|r| Cell::Blob(r)));
    assert_eq!(chosen_format(&guesses), Format::ThriftBinary);
    assert_eq!(
        guesses.first().map(|g| g.reason.as_str()),
        Some("Thrift (binary): decoded every sampled row (2 of 2)")
    );
    let rows = [bytes(COMPACT_SAMPLE), bytes("18 01 61 00")];
    let guesses = guess_format(rows.iter().map(|r| Cell::Blob(r)));
    assert_eq!(chosen_format(&guesses), Format::ThriftCompact);
    // A lone 0x00 is MessagePack's 0, CBOR's 0 and Thrift's empty struct: MessagePack is kept.
    let zeros = [b"\x00".as_slice(), b"\x00"];
    let guesses = guess_format(zeros.iter().map(|r| Cell::Blob(r)));
    assert_eq!(chosen_format(&guesses), Format::MessagePack);
}

proptest::proptest! {
    #[test]
    fn damaged_structs_give_a_value_or_an_error_and_never_a_panic(
        at in 0_usize..64,
        byte in proptest::prelude::any::<u8>(),
        // Containers of structs, lists and maps first, so the random bytes after them are read as elements.
        head in proptest::sample::select(vec!["0f 0001 0c", "0d 0001 0c 0f", "1c", "19 fc", "1b 08 cc", ""]),
        tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..48),
    ) {
        for (format, sample) in [
            (Format::ThriftBinary, BINARY_SAMPLE),
            (Format::ThriftCompact, COMPACT_SAMPLE),
        ] {
            let mut damaged = bytes(sample);
            let index = at % damaged.len();
            damaged[index] = byte;
            proptest::prop_assert!(format.decode(&damaged, 4096).is_some());
            let mut random = bytes(head);
            random.extend(&tail);
            proptest::prop_assert!(format.decode(&random, 4096).is_some());
        }
    }
}
