//! The IDL read with its includes and typedefs, the struct chosen per event type, payloads read by name,
//! and what does not fit the IDL (unknown field ids, wrong wire types, hostile bytes) kept or refused
//! with a reason.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::super::tests::{CAP, bytes};
use super::*;

const COMMON: &str = r#"
// Brackets in comments and literals do not nest: <<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<
/* [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ */
namespace py common
const string ARROWS = "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<"
enum Color { RED = 1, GREEN, BLUE = 7 }
typedef string Name
struct Point { 1: double x, 2: double y }
"#;

const MAIN: &str = r#"
include "common.thrift"
namespace py main

typedef common.Name Label
typedef list<common.Point> Path
const i32 MAX = 3

struct Shape {
  1: required Label label,
  2: common.Color color,
  3: Path path,
  4: binary raw,
  5: map<common.Color, i32> counts,
  6: optional set<string> tags = [],
}

union Either { 1: string left, 2: i64 right }
exception Oops { 1: string message }
struct ShapeMovedEvent { 1: common.Point to }
struct Node { 1: optional Node next }
struct Event { 1: string id, 2: string type, 3: i64 timestamp, 4: binary payload }
service Shapes { void ping() }
"#;

/// A folder holding `files` (name, text), kept while the test runs.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn idl() -> (tempfile::TempDir, Idl) {
    let dir = folder(&[("common.thrift", COMMON), ("main.thrift", MAIN)]);
    let idl = Idl::from_file(&dir.path().join("main.thrift")).unwrap();
    (dir, idl)
}

/// Shape{label "sq", color GREEN, path [{1.5, -1}], raw "ab", counts {BLUE: 3}} and field 9 (i32 5),
/// which Shape does not declare, in the binary protocol.
const SHAPE: &str = "0b 0001 00000002 7371  08 0002 00000002  \
    0f 0003 0c 00000001  04 0001 3ff8000000000000  04 0002 bff0000000000000 00  \
    0b 0004 00000002 6162  0d 0005 08 08 00000001 00000007 00000003  08 0009 00000005  00";

fn no_types() -> BTreeMap<String, String> {
    BTreeMap::new()
}

fn read(idl: &Idl, event_type: &str, hex: &str) -> Result<Value, String> {
    read_bytes(idl, Format::ThriftBinary, &bytes(hex), event_type)
}

/// `bytes` in `format`'s protocol read as the struct for `event_type`, with no `types`.
fn read_bytes(idl: &Idl, format: Format, bytes: &[u8], event_type: &str) -> Result<Value, String> {
    idl.decode(format, bytes, Some(event_type), &no_types(), CAP)
}

#[test]
fn fields_and_enums_read_by_name_through_typedefs_and_includes() {
    let (_dir, idl) = idl();
    assert_eq!(
        read(&idl, "Shape", SHAPE).unwrap(),
        json!({"label": "sq", "color": "GREEN", "path": [{"x": 1.5, "y": -1.0}],
               "raw": {"$bytes": "6162"}, "counts": {"BLUE": 3}, "$unknown": {"9": 5}})
    );
    assert_eq!(
        idl.struct_names(),
        [
            "common.Point",
            "main.Either",
            "main.Event",
            "main.Node",
            "main.Oops",
            "main.Shape",
            "main.ShapeMovedEvent"
        ]
    );
    let shape = idl.struct_def("main.Shape").unwrap();
    let tags = &shape.fields[&6];
    assert_eq!(
        (tags.name.as_str(), &tags.ty),
        ("tags", &Ty::Set(Box::new(Ty::String)))
    );
    assert_eq!(
        shape.fields[&3].ty,
        Ty::List(Box::new(Ty::Struct("common.Point".to_owned())))
    );
}

#[test]
fn an_enum_value_the_idl_lacks_stays_a_number() {
    let (_dir, idl) = idl();
    // color 5, which Color does not name; GREEN took RED's 1 plus one.
    assert_eq!(
        read(&idl, "Shape", "08 0002 00000005 00").unwrap(),
        json!({"color": 5})
    );
    assert_eq!(idl.enum_name("common.Color", 2), Some("GREEN"));
}

#[test]
fn the_struct_is_chosen_by_types_then_by_name_then_by_the_star_entry() {
    let (_dir, idl) = idl();
    let name = |event_type: Option<&str>, types: &[(&str, &str)]| {
        let types = types
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        idl.struct_for(event_type, &types).map(|s| s.name.clone())
    };
    assert_eq!(name(Some("Shape"), &[]).unwrap(), "main.Shape");
    assert_eq!(
        name(Some("ShapeMoved"), &[]).unwrap(),
        "main.ShapeMovedEvent"
    );
    assert_eq!(
        name(Some("Drawn"), &[("Drawn", "Shape")]).unwrap(),
        "main.Shape"
    );
    assert_eq!(
        name(Some("Drawn"), &[("Drawn", "common.Point")]).unwrap(),
        "common.Point"
    );
    assert_eq!(
        name(Some("Other"), &[("*", "main.Oops")]).unwrap(),
        "main.Oops"
    );
    assert_eq!(name(None, &[("*", "Either")]).unwrap(), "main.Either");
    let err = name(Some("Other"), &[]).unwrap_err();
    assert!(
        err.contains("no struct named \"Other\" or \"OtherEvent\""),
        "{err}"
    );
    let err = name(Some("Drawn"), &[("Drawn", "Circle")]).unwrap_err();
    assert!(err.contains("no struct \"Circle\""), "{err}");
    assert!(name(None, &[]).unwrap_err().contains("\"*\" entry"));
}

#[test]
fn a_field_stored_with_another_type_than_declared_fails_with_the_reason() {
    let (_dir, idl) = idl();
    // color (an enum, so an i32) stored as a string.
    let err = read(&idl, "Shape", "0b 0002 00000001 61 00").unwrap_err();
    assert_eq!(
        err,
        "not a main.Shape: field 2 (color) is declared common.Color but stored as a string or binary at offset 0"
    );
    // A list of Points holding i32s.
    let err = read(&idl, "Shape", "0f 0003 08 00000001 00000001 00").unwrap_err();
    let want = "an item is declared common.Point but stored as an i32";
    assert!(err.contains(want), "{err}");
}

#[test]
fn an_envelope_payload_is_read_as_the_struct_its_type_names() {
    let (_dir, idl) = idl();
    let shape = bytes(SHAPE);
    let envelope = |kind: &str, payload: &[u8]| {
        let mut out = bytes("0b 0001 00000001 65");
        out.extend(bytes("0b 0002"));
        out.extend(u32::try_from(kind.len()).unwrap().to_be_bytes());
        out.extend(kind.as_bytes());
        out.extend(bytes("0a 0003 0000000000000007  0b 0004"));
        out.extend(u32::try_from(payload.len()).unwrap().to_be_bytes());
        out.extend(payload);
        out.push(0);
        read_bytes(&idl, Format::ThriftBinary, &out, "Event").unwrap()
    };
    let read = envelope("Shape", &shape);
    assert_eq!(read["payload"]["color"], "GREEN");
    assert_eq!(read["type"], "Shape");
    // A payload that is not its type stays bytes, with the reason beside it.
    let read = envelope("Shape", &[0x0b]);
    assert_eq!(read["payload"], json!({"$bytes": "0b"}));
    let reason = read["payload_error"].as_str().unwrap();
    assert!(
        reason.starts_with("not a main.Shape: cut short"),
        "{reason}"
    );
}

#[test]
fn both_protocols_read_by_name() {
    let (_dir, idl) = idl();
    // ShapeMovedEvent{to: {x: 1.5}} in the compact protocol.
    let compact = bytes("1c 17 000000000000f83f 00 00");
    let read = read_bytes(&idl, Format::ThriftCompact, &compact, "ShapeMoved");
    assert_eq!(read.unwrap(), json!({"to": {"x": 1.5}}));
}

#[test]
fn hostile_payloads_fail_with_a_reason_and_allocate_nothing_large() {
    let (_dir, idl) = idl();
    // A Node nested 100,000 deep, each `next` the following one.
    let mut deep = [0x0c, 0, 1].repeat(100_000);
    deep.extend(std::iter::repeat_n(0, 100_001));
    let err = read_bytes(&idl, Format::ThriftBinary, &deep, "Node").unwrap_err();
    assert!(err.contains("nested deeper than 127 levels"), "{err}");
    for (hex, reason) in [
        ("0f 0003 0c 7fffffff 00", "a list declares 2147483647 items"),
        (
            "0b 0001 7fffffff 61 00",
            "a string declares 2147483647 bytes",
        ),
        (
            "0d 0005 08 08 7fffffff 00",
            "a map declares 2147483647 entries",
        ),
        ("", "empty payload"),
        ("0b 0001 00000002 73", "a string declares 2 bytes"),
        ("08 0002 00000002 00 ff", "trailing data"),
    ] {
        let err = read(&idl, "Shape", hex).unwrap_err();
        assert!(err.contains(reason), "{hex}: {err}");
    }
    // Every cut of a whole payload fails; none panics.
    let whole = bytes(SHAPE);
    for cut in 0..whole.len() {
        let read = read_bytes(&idl, Format::ThriftBinary, &whole[..cut], "Shape");
        assert!(read.is_err(), "cut at {cut}");
    }
    // A cap smaller than its JSON.
    let err = idl
        .decode(Format::ThriftBinary, &whole, Some("Shape"), &no_types(), 40)
        .unwrap_err();
    assert!(err.contains("limit on one decoded payload"), "{err}");
}

#[test]
fn idl_errors_name_the_file_and_the_problem() {
    // (a.thrift's text, the start of its error)
    let cases = [
        ("struct A { 1: string }", "not a Thrift IDL"),
        ("include \"gone.thrift\"\nstruct A {}", "included "),
        ("struct A { 1: Missing m }", "a.A.m: unknown type a.Missing"),
        (
            "typedef B C\ntypedef C B\nstruct A { 1: B b }",
            "a.A.b: typedef a.B names typedefs more than 64 deep (a cycle?)",
        ),
        ("enum E { X }", "the IDL defines no struct"),
        (
            "struct A { 1: string a, 1: string b }",
            "a.A: field id 1 is declared twice",
        ),
    ];
    let deep = format!(
        "struct A {{ 1: {}i32{} a }}",
        "list<".repeat(10_000),
        ">".repeat(10_000)
    );
    let cases = cases.into_iter().chain([(
        deep.as_str(),
        "nests types or values 10001 levels deep, more than the 64 read",
    )]);
    for (text, error) in cases {
        let dir = folder(&[("a.thrift", text)]);
        let err = Idl::from_file(&dir.path().join("a.thrift")).unwrap_err();
        assert!(err.starts_with(error), "{text}: {err}");
    }
}

#[test]
fn includes_are_found_beside_the_including_file_and_cycles_end() {
    let dir = folder(&[
        (
            "top.thrift",
            "include \"sub/mid.thrift\"\nstruct Top { 1: mid.Mid m }",
        ),
        (
            "sub/mid.thrift",
            "include \"leaf.thrift\"\ninclude \"../top.thrift\"\nstruct Mid { 1: leaf.Leaf l }",
        ),
        ("sub/leaf.thrift", "struct Leaf { 1: i32 n }"),
    ]);
    let idl = Idl::from_file(&dir.path().join("top.thrift")).unwrap();
    assert_eq!(idl.struct_names(), ["leaf.Leaf", "mid.Mid", "top.Top"]);
    // Top{m: {l: {n: 7}}}.
    let top = bytes("0c 0001 0c 0001 08 0001 00000007 00 00 00");
    let read = read_bytes(&idl, Format::ThriftBinary, &top, "Top");
    assert_eq!(read.unwrap(), json!({"m": {"l": {"n": 7}}}));
}

#[test]
fn a_codec_reads_either_protocol_with_a_thrift_idl_and_no_other_format() {
    use crate::core::decode::codec::{Codec, SchemaFile};
    let (dir, _) = idl();
    let path: PathBuf = dir.path().join("main.thrift");
    for format in [Format::ThriftBinary, Format::ThriftCompact] {
        let mut codec = Codec {
            format,
            ..Codec::default()
        };
        codec.load_schema(Some(&path), Path::new(""), true).unwrap();
        assert_eq!(codec.format, format);
    }
    let mut adopting = Codec::default();
    adopting
        .load_schema(Some(&path), Path::new(""), true)
        .unwrap();
    assert_eq!(adopting.format, Format::ThriftBinary);
    let mut protobuf = Codec {
        format: Format::Protobuf,
        ..Codec::default()
    };
    let err = protobuf
        .load_schema(Some(&path), Path::new(""), true)
        .unwrap_err();
    assert!(err.reason.contains("a Thrift schema"), "{err}");
    let missing = SchemaFile::new(dir.path().join("gone.thrift"))
        .load()
        .unwrap_err();
    assert_eq!(missing.reason, "no such file");
}
