use std::io::Write as _;

use serde_json::json;

use super::*;
use crate::core::decode::codec::{Codec, Transform};

/// xorshift64: the same payloads every time.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

fn pick<'a>(seed: &mut u64, from: &[&'a str]) -> &'a str {
    let at = usize::try_from(next(seed) % u64::try_from(from.len()).unwrap()).unwrap();
    from[at]
}

/// Keys few enough to repeat and to meet again in later payloads: escaped (`\u0061` is `a`), unicode, the
/// typed value's keys, and the key serde_json reads numbers by (rarely: first in an object, it fails it
/// unless its value is a number's digits).
const KEYS: &[&str] = &[
    "a",
    "b",
    "c",
    "a",
    "b",
    "c",
    "a",
    "b",
    r"\u0061",
    "é",
    r"\ud83d\ude00",
    "_type_",
    "_data_",
    "$serde_json::private::Number",
];

const SCALARS: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-7",
    "3.25",
    "1e400",
    "-0.0",
    "18446744073709551616",
    "12345678901234567890.123456789",
    r#""s""#,
    r#""a\nb\"c""#,
    r#""\u00e9\ud83d\ude00 é""#,
    r#""4.20""#,
    r#""7688a85613565493a5057bf2d8850f1a""#,
    r#"{"$serde_json::private::Number": "12.50"}"#,
];

/// Every kind of typed value `transforms.rs` knows, and one it does not.
const KINDS: &[&str] = &[
    "uuid_hex",
    "decimal_str",
    "datetime_iso",
    "date_iso",
    "time_iso",
    "timedelta_str",
    "str",
    "tuple_as_list",
    "set_as_list",
    "frozenset_as_list",
    "nope",
];

/// A JSON value as text, `depth` levels deep at most.
fn value(seed: &mut u64, depth: u32) -> String {
    match (next(seed) % 8, depth) {
        (0 | 1, _) | (_, 0) => pick(seed, SCALARS).to_owned(),
        (2, _) => format!("[{}, {}]", value(seed, depth - 1), value(seed, depth - 1)),
        (3 | 4, _) => typed(seed, depth - 1),
        _ => object(seed, depth - 1),
    }
}

fn object(seed: &mut u64, depth: u32) -> String {
    let entries: Vec<String> = (0..next(seed) % 5)
        .map(|_| format!("\"{}\": {}", pick(seed, KEYS), value(seed, depth)))
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// A typed value: data that fits its kind or not, its keys in either order, sometimes another key.
fn typed(seed: &mut u64, depth: u32) -> String {
    let kind = match next(seed) % 12 {
        0 => "3".to_owned(),
        _ => format!("\"{}\"", pick(seed, KINDS)),
    };
    let data = match next(seed) % 6 {
        0 => format!(
            "[{}, {}]",
            typed(seed, depth.saturating_sub(1)),
            value(seed, depth)
        ),
        1 if depth > 0 => typed(seed, depth - 1),
        2 => value(seed, depth),
        _ => pick(
            seed,
            &[
                r#""7688a85613565493a5057bf2d8850f1a""#,
                r#""7688A856-1356-5493-a505-7bf2d8850f1a""#,
                r#""not a uuid""#,
                r#""4923.540""#,
                r#""x1""#,
                r#""2024-01-01T00:00:08+00:00""#,
                r#""\u0032""#,
            ],
        )
        .to_owned(),
    };
    let (first, second) = (format!("\"_type_\": {kind}"), format!("\"_data_\": {data}"));
    let extra = format!("\"{}\": {}", pick(seed, KEYS), value(seed, depth));
    match next(seed) % 6 {
        0 => format!("{{{second}, {first}}}"),
        1 => format!("{{{first}, {second}, {extra}}}"),
        2 => format!("{{{extra}, {first}, {second}}}"),
        3 => format!("{{{first}}}"),
        _ => format!("{{{first}, {second}}}"),
    }
}

/// A stored payload: mostly an object, else one that decodes to no object or not at all.
fn payload(seed: &mut u64) -> Vec<u8> {
    let object = object(seed, 4).into_bytes();
    let cut = |seed: &mut u64, bytes: &[u8]| {
        let at = usize::try_from(next(seed)).unwrap() % bytes.len().max(1);
        bytes[..at].to_vec()
    };
    match next(seed) % 16 {
        0 => cut(seed, &object),
        1 => [object.as_slice(), b" x"].concat(),
        2 => [object.as_slice(), b"}"].concat(),
        3 => format!("[{}]", String::from_utf8(object).unwrap()).into_bytes(),
        4 => pick(seed, SCALARS).as_bytes().to_vec(),
        5 => {
            // A byte that is not UTF-8 where a character was.
            let mut bytes = object;
            let at = usize::try_from(next(seed)).unwrap() % bytes.len();
            bytes[at] = 0xff;
            bytes
        }
        6 => pick(seed, &["", "  \n", "{", r#"{"a": 1,}"#])
            .as_bytes()
            .to_vec(),
        7 => typed(seed, 3).into_bytes(),
        8 => {
            // Compressed: read by decoding it.
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&object).unwrap();
            encoder.finish().unwrap()
        }
        9 => format!("  {} \n", String::from_utf8(object).unwrap()).into_bytes(),
        _ => object,
    }
}

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

fn decoders() -> [Decoder; 2] {
    let natural = Codec {
        transform: Some(Transform::EventsourcingTypes),
        ..Codec::default()
    };
    [Decoder::default(), Decoder::new(natural, None)]
}

#[test]
fn merging_payload_text_directly_gives_what_decoding_then_merging_gives() {
    let mut seed = 0x2545_f491_4f6c_dd1d;
    let (mut objects, mut broken) = (0, 0);
    for _ in 0..600 {
        let payloads: Vec<Vec<u8>> = (0..6).map(|_| payload(&mut seed)).collect();
        for decoder in decoders() {
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
    let [plain, natural] = decoders();
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
