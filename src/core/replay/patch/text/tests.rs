use serde_json::json;

use super::*;
use crate::core::testing::payload_texts::{json_text_decoders, payload};

/// States a patch goes onto: none, one whose keys the payloads write as objects and as scalars, and a
/// scalar.
fn initial_states() -> [Value; 3] {
    [
        json!({}),
        json!({"a": {"a": 1, "_type_": {"x": 2}, "c": 0}, "b": 3, "é": [1], "_data_": {"z": null}}),
        json!(7),
    ]
}

/// The state after `payloads` merged onto `initial` through the decoder then [`Patch::merge`], and through
/// [`TextMerge`]. The decoder keeps the payload as stored, so it reads typed values by parsing the text and
/// then rewriting the value, not by the object reader [`TextMerge`] shares with the replay's decoding.
fn both_ways(decoder: &Decoder, payloads: &[Vec<u8>], initial: &Value) -> (String, String) {
    let (mut decoded, mut direct) = (Patch::default(), Patch::default());
    let text = TextMerge::new(decoder).unwrap();
    for bytes in payloads {
        let cell = if bytes.len() % 2 == 0 {
            Cell::Text(bytes)
        } else {
            Cell::Blob(bytes)
        };
        if let Payload::Json(data @ Value::Object(_)) = decoder.decode_keeping(cell, true).data {
            decoded.merge(data);
        }
        text.merge(&mut direct, cell);
    }
    let (mut a, mut b) = (initial.clone(), initial.clone());
    decoded.apply_to(&mut a);
    direct.apply_to(&mut b);
    (a.to_string(), b.to_string())
}

#[test]
fn merging_payload_text_directly_gives_what_decoding_then_merging_gives() {
    let mut seed = 0x2545_f491_4f6c_dd1d;
    let (mut objects, mut broken) = (0, 0);
    for _ in 0..600 {
        let payloads: Vec<Vec<u8>> = (0..6).map(|_| payload(&mut seed)).collect();
        for decoder in json_text_decoders() {
            for bytes in &payloads {
                match decoder.decode_keeping(Cell::Text(bytes), false).data {
                    Payload::Json(Value::Object(_)) => objects += 1,
                    _ => broken += 1,
                }
            }
            for initial in initial_states() {
                let (decoded, direct) = both_ways(&decoder, &payloads, &initial);
                let shown: Vec<_> = payloads
                    .iter()
                    .map(|p| p.escape_ascii().to_string())
                    .collect();
                assert_eq!(
                    direct,
                    decoded,
                    "{:?} onto {initial}: {shown:#?}",
                    decoder.codec()
                );
            }
        }
    }
    // Both kinds of payload were met, many times.
    assert!(objects > 3_000 && broken > 1_000, "{objects} {broken}");
}

#[test]
fn a_repeated_key_keeps_its_first_place_and_its_last_value() {
    let [plain, natural] = json_text_decoders();
    for (decoder, payloads, expected) in [
        (
            &plain,
            vec![r#"{"a": {"x": 1}, "b": 2, "a": {"y": 3}}"#],
            r#"{"a":{"y":3},"b":2}"#,
        ),
        (
            &plain,
            vec![r#"{"a": 1}"#, r#"{"a": {"x": 1}, "\u0061": {"y": 2}}"#],
            r#"{"a":{"y":2}}"#,
        ),
        (
            &natural,
            vec![r#"{"_type_": "str", "k": 1, "_type_": {"_type_": "str", "_data_": "s"}}"#],
            r#"{"_type_":"s","k":1}"#,
        ),
        (
            &natural,
            vec![
                r#"{"t": {"_type_": "decimal_str", "_data_": "1.50"}, "u": {"_type_": "tuple_as_list", "_data_": {"q": 1}}}"#,
            ],
            r#"{"t":1.50,"u":{"q":1}}"#,
        ),
    ] {
        let payloads: Vec<Vec<u8>> = payloads.iter().map(|p| p.as_bytes().to_vec()).collect();
        let (decoded, direct) = both_ways(decoder, &payloads, &json!({}));
        assert_eq!(decoded, expected);
        assert_eq!(direct, expected);
    }
}

#[test]
fn many_keys_repeat_as_few_do() {
    let keys: Vec<String> = (0..40).map(|i| format!("\"k{}\": {i}", i % 25)).collect();
    let payload = format!("{{{}}}", keys.join(", ")).into_bytes();
    let (decoded, direct) = both_ways(&Decoder::default(), &[payload], &json!({}));
    assert_eq!(direct, decoded);
    assert!(direct.starts_with(r#"{"k0":25,"k1":26,"#), "{direct}");
}
