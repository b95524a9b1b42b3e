//! A schema's Parsing Canonical Form as the Avro specification defines it, and its CRC-64-AVRO fingerprint:
//! what single-object encoding stores, and what Java and `fastavro` compute. `apache-avro`'s own
//! `canonical_form` keeps a decimal's `precision` and `scale`, which the specification strips, so its
//! fingerprint of a schema holding a decimal matches no other library's. The form is written here from the
//! crate's JSON of the (self-contained) schema.

use std::collections::HashSet;

use apache_avro::Schema;
use serde_json::{Map, Value};

/// The CRC-64-AVRO fingerprint of `schema`'s parsing canonical form, little-endian as stored.
pub(super) fn fingerprint(schema: &Schema) -> Result<[u8; 8], String> {
    let json =
        serde_json::to_value(schema).map_err(|err| format!("a schema with no JSON form: {err}"))?;
    let mut text = String::new();
    form(&json, None, &mut HashSet::new(), &mut text);
    Ok(crc64_avro(text.as_bytes()).to_le_bytes())
}

/// The specification's CRC-64-AVRO (a Rabin fingerprint).
fn crc64_avro(bytes: &[u8]) -> u64 {
    const EMPTY: u64 = 0xc15d_213a_a4d7_a795;
    let table: Vec<u64> = (0..256u64)
        .map(|i| (0..8).fold(i, |fp, _| (fp >> 1) ^ (EMPTY & (fp & 1).wrapping_neg())))
        .collect();
    bytes.iter().fold(EMPTY, |fp, &byte| {
        let index = usize::from((fp as u8) ^ byte);
        (fp >> 8) ^ table.get(index).copied().unwrap_or_default()
    })
}

/// A name made full: as it is when it holds a dot, else in `namespace`.
fn full_name(name: &str, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) if !name.contains('.') && !ns.is_empty() => format!("{ns}.{name}"),
        _ => name.to_owned(),
    }
}

fn quoted(text: &str, out: &mut String) {
    out.push_str(&Value::String(text.to_owned()).to_string());
}

const PRIMITIVES: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];

/// Append the canonical form of `schema` (JSON) read inside `namespace`.
fn form(schema: &Value, namespace: Option<&str>, defined: &mut HashSet<String>, out: &mut String) {
    match schema {
        Value::String(name) if PRIMITIVES.contains(&name.as_str()) => quoted(name, out),
        Value::String(name) => quoted(&full_name(name, namespace), out),
        Value::Array(branches) => {
            out.push('[');
            for (i, branch) in branches.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                form(branch, namespace, defined, out);
            }
            out.push(']');
        }
        Value::Object(object) => object_form(object, namespace, defined, out),
        other => out.push_str(&other.to_string()),
    }
}

fn object_form(
    object: &Map<String, Value>,
    namespace: Option<&str>,
    defined: &mut HashSet<String>,
    out: &mut String,
) {
    let kind = object.get("type");
    let Some(Value::String(kind)) = kind else {
        // {"type": {...}} or {"type": [...]}: the inner schema.
        if let Some(inner) = kind {
            form(inner, namespace, defined, out);
        }
        return;
    };
    match kind.as_str() {
        "record" | "error" | "enum" | "fixed" => {
            let name = object
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let own = object
                .get("namespace")
                .and_then(Value::as_str)
                .or(namespace);
            let full = full_name(name, own);
            if !defined.insert(full.clone()) {
                quoted(&full, out);
                return;
            }
            let inner = full.rsplit_once('.').map(|(ns, _)| ns.to_owned());
            out.push_str("{\"name\":");
            quoted(&full, out);
            out.push_str(",\"type\":");
            quoted(if kind == "error" { "record" } else { kind }, out);
            match kind.as_str() {
                "enum" => {
                    out.push_str(",\"symbols\":");
                    out.push_str(
                        &object
                            .get("symbols")
                            .cloned()
                            .unwrap_or_default()
                            .to_string(),
                    );
                }
                "fixed" => {
                    out.push_str(",\"size\":");
                    out.push_str(&object.get("size").cloned().unwrap_or_default().to_string());
                }
                _ => {
                    out.push_str(",\"fields\":[");
                    let fields = object.get("fields").and_then(Value::as_array);
                    for (i, field) in fields.into_iter().flatten().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push_str("{\"name\":");
                        quoted(
                            field
                                .get("name")
                                .and_then(Value::as_str)
                                .unwrap_or_default(),
                            out,
                        );
                        out.push_str(",\"type\":");
                        let field_type = field.get("type").unwrap_or(&Value::Null);
                        form(field_type, inner.as_deref(), defined, out);
                        out.push('}');
                    }
                    out.push(']');
                }
            }
            out.push('}');
        }
        "array" => {
            out.push_str("{\"type\":\"array\",\"items\":");
            form(
                object.get("items").unwrap_or(&Value::Null),
                namespace,
                defined,
                out,
            );
            out.push('}');
        }
        "map" => {
            out.push_str("{\"type\":\"map\",\"values\":");
            form(
                object.get("values").unwrap_or(&Value::Null),
                namespace,
                defined,
                out,
            );
            out.push('}');
        }
        // A primitive, its logical type and attributes stripped.
        other => form(&Value::String(other.to_owned()), namespace, defined, out),
    }
}
