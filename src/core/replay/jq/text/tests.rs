use super::*;
use crate::core::replay::jq::to_json;
use crate::core::testing::payload_texts::{json_text_decoders, payload};

/// The key sets a program may read of a payload: all, some the generated payloads hold (plain, escaped
/// in the text, unicode, a typed value's keys), none they hold, and the key numbers are read by.
fn key_sets() -> Vec<Option<BTreeSet<String>>> {
    let set = |keys: &[&str]| Some(keys.iter().map(|k| (*k).to_owned()).collect());
    vec![
        None,
        set(&["a"]),
        set(&["c", "b", "é", "😀"]),
        set(&["_type_", "_data_", "a"]),
        set(&["zz"]),
        set(&["$serde_json::private::Number"]),
        set(&[]),
    ]
}

/// `$event.data` as the event path builds it: the payload decoded, then converted.
fn decoded(decoder: &Decoder, value: Cell<'_>, keys: Option<&BTreeSet<String>>) -> Val {
    data_val(&decoder.decode_keeping(value, false).data, keys)
}

/// Both values shown with their key order and number forms, and the JSON they give.
fn shown(val: &Val) -> (String, String) {
    (format!("{val:?}"), to_json(val).to_string())
}

#[test]
fn reading_payload_text_into_jaq_gives_what_decoding_then_converting_gives() {
    let mut seed = 0x9e37_79b9_7f4a_7c15;
    let (mut read, mut decoded_instead) = (0, 0);
    for _ in 0..3_000 {
        let bytes = payload(&mut seed);
        let cell = if bytes.len().is_multiple_of(2) {
            Cell::Text(&bytes)
        } else {
            Cell::Blob(&bytes)
        };
        for decoder in json_text_decoders() {
            let reading = decoder.reads_json_text().unwrap();
            for keys in key_sets() {
                let keys = keys.as_ref();
                let expected = decoded(&decoder, cell, keys);
                let direct = payload_data_val(&decoder, reading, cell, keys);
                assert_eq!(
                    shown(&direct),
                    shown(&expected),
                    "{:?} {keys:?}: {}",
                    decoder.codec(),
                    bytes.escape_ascii()
                );
                assert_eq!(direct, expected);
                match decoder
                    .json_text_bytes(cell)
                    .map(|b| data_val_of_text(b, reading, keys))
                {
                    Some(Some(_)) => read += 1,
                    _ => decoded_instead += 1,
                }
            }
        }
    }
    // Both ways were taken, many times.
    assert!(
        read > 15_000 && decoded_instead > 5_000,
        "{read} {decoded_instead}"
    );
}

#[test]
fn text_that_decoding_refuses_is_decoded_even_in_a_value_no_program_reads() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let texts = [
        format!(r#"{{"a": 1, "skipped": {deep}}}"#),
        r#"{"a": 1, "skipped": "\ud800"}"#.to_owned(),
        r#"{"a": 1, "skipped": {"$serde_json::private::Number": "x"}}"#.to_owned(),
        r#"{"a": 1, "skipped": {"$serde_json::private::Number": "1", "b": 2}}"#.to_owned(),
        r#"{"a": 1, "skipped": [1,]}"#.to_owned(),
    ];
    let keys = key_sets()[1].clone();
    for text in &texts {
        for decoder in json_text_decoders() {
            let reading = decoder.reads_json_text().unwrap();
            assert_eq!(
                data_val_of_text(text.as_bytes(), reading, keys.as_ref()),
                None,
                "{text}"
            );
            let cell = Cell::Text(text.as_bytes());
            assert_eq!(
                payload_data_val(&decoder, reading, cell, keys.as_ref()),
                decoded(&decoder, cell, keys.as_ref())
            );
        }
    }
}

#[test]
fn the_keys_read_come_in_their_own_order_each_with_its_last_value() {
    let [plain, natural] = json_text_decoders();
    let keys = key_sets()[2].clone();
    for (decoder, text, expected) in [
        (
            &plain,
            r#"{"é": 1, "b": {"x": 1}, "q": 0, "b": 2}"#,
            r#"{"b":2,"é":1}"#,
        ),
        (
            &natural,
            r#"{"_type_": "tuple_as_list", "_data_": {"c": 1, "q": 2, "b": 3}}"#,
            r#"{"b":3,"c":1}"#,
        ),
        (
            &natural,
            r#"{"c": {"_type_": "decimal_str", "_data_": "1.50"}, "b": {"_type_": "str", "_data_": "s"}}"#,
            r#"{"b":"s","c":1.50}"#,
        ),
        (&plain, "[1, 2]", "[1,2]"),
    ] {
        let reading = decoder.reads_json_text().unwrap();
        let val = data_val_of_text(text.as_bytes(), reading, keys.as_ref()).unwrap();
        assert_eq!(to_json(&val).to_string(), expected, "{text}");
    }
}
