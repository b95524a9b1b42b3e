//! Stored payloads generated for tests that read payload text some other way than decoding it (a deep
//! merge's patch, a jq reducer's `$event.data`) and compare with what decoding gives: objects with repeated,
//! escaped and unicode keys, every typed value `eventsourcing` writes, and payloads that are no object or do
//! not decode at all.

use std::io::Write as _;

use crate::core::decode::codec::{Codec, Decoder, Transform};

/// xorshift64: the same payloads every time.
pub fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

pub fn pick<'a>(seed: &mut u64, from: &[&'a str]) -> &'a str {
    let at = usize::try_from(next(seed) % u64::try_from(from.len()).unwrap()).unwrap();
    from[at]
}

/// Keys few enough to repeat and to meet again in later payloads: escaped (`\u0061` is `a`), unicode, the
/// typed value's keys, and the key serde_json reads numbers by (rarely: first in an object, it fails it
/// unless its value is a number's digits).
pub const KEYS: &[&str] = &[
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

pub const SCALARS: &[&str] = &[
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
pub const KINDS: &[&str] = &[
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
pub fn value(seed: &mut u64, depth: u32) -> String {
    match (next(seed) % 8, depth) {
        (0 | 1, _) | (_, 0) => pick(seed, SCALARS).to_owned(),
        (2, _) => format!("[{}, {}]", value(seed, depth - 1), value(seed, depth - 1)),
        (3 | 4, _) => typed(seed, depth - 1),
        _ => object(seed, depth - 1),
    }
}

pub fn object(seed: &mut u64, depth: u32) -> String {
    let entries: Vec<String> = (0..next(seed) % 5)
        .map(|_| format!("\"{}\": {}", pick(seed, KEYS), value(seed, depth)))
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// A typed value: data that fits its kind or not, its keys in either order, sometimes another key.
pub fn typed(seed: &mut u64, depth: u32) -> String {
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
pub fn payload(seed: &mut u64) -> Vec<u8> {
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

/// The decoders that only parse JSON text: as stored, and into `eventsourcing`'s natural values.
pub fn json_text_decoders() -> [Decoder; 2] {
    let natural = Codec {
        transform: Some(Transform::EventsourcingTypes),
        ..Codec::default()
    };
    [Decoder::default(), Decoder::new(natural, None)]
}
