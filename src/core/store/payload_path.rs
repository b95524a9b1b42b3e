//! Roles (time, type, version, ids) read from inside a payload that only Rust can decode (compressed,
//! encrypted or rewritten by a transform) are taken from the decoded payload here, where it is decoded anyway,
//! rather than by SQL: `json_extract(es_json(payload), path)` decoded, rewrote and serialised every payload a
//! second time and had SQLite parse the text again, a third of the time of reading a stream.
//!
//! The answer is the one `json_extract` gives on the decoded payload: the same path syntax (the subset
//! [`PayloadPath::parse`] accepts; any other path stays with SQL) and the same SQL value for what it finds.

use rusqlite::types::Value as SqlValue;
use serde_json::Value;

/// One step of a path: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// An SQLite JSON path such as `$.timestamp`, `$."odd key".at[0]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct PayloadPath {
    steps: Vec<Step>,
}

impl PayloadPath {
    /// The path, if it uses only `$`, `.key`, `."quoted key"` and `[N]`; `None` for any other syntax
    /// (`[#-1]`, wildcards...), which is left to SQLite.
    pub(super) fn parse(path: &str) -> Option<Self> {
        let mut rest = path.strip_prefix('$')?;
        let mut steps = Vec::new();
        while let Some(first) = rest.chars().next() {
            match first {
                '.' => {
                    let after = rest.get(1..)?;
                    if let Some(quoted) = after.strip_prefix('"') {
                        let end = quoted.find('"')?;
                        steps.push(Step::Key(quoted.get(..end)?.to_owned()));
                        rest = quoted.get(end + 1..)?;
                    } else {
                        let end = after.find(['.', '[']).unwrap_or(after.len());
                        let key = after.get(..end)?;
                        if key.is_empty() || key.contains(['"', ']', '*']) {
                            return None;
                        }
                        steps.push(Step::Key(key.to_owned()));
                        rest = after.get(end..)?;
                    }
                }
                '[' => {
                    let after = rest.get(1..)?;
                    let end = after.find(']')?;
                    let digits = after.get(..end)?;
                    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    steps.push(Step::Index(digits.parse().ok()?));
                    rest = after.get(end + 1..)?;
                }
                _ => return None,
            }
        }
        Some(Self { steps })
    }

    /// The path as a PostgreSQL text array for `#>>` (`{"a","0"}`): keys and indexes alike as text.
    pub(super) fn text_array(&self) -> String {
        let steps: Vec<String> = self
            .steps
            .iter()
            .map(|step| {
                let text = match step {
                    Step::Key(key) => key.clone(),
                    Step::Index(index) => index.to_string(),
                };
                format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
            })
            .collect();
        format!("{{{}}}", steps.join(","))
    }

    /// What `json_extract(payload, path)` gives on `payload`: NULL when the path leads nowhere.
    pub(super) fn extract(&self, payload: &Value) -> SqlValue {
        let mut at = payload;
        for step in &self.steps {
            let next = match (step, at) {
                (Step::Key(key), Value::Object(map)) => map.get(key),
                (Step::Index(index), Value::Array(items)) => items.get(*index),
                _ => None,
            };
            let Some(next) = next else {
                return SqlValue::Null;
            };
            at = next;
        }
        sql_value(at)
    }
}

/// A JSON value as `json_extract` returns it: text unquoted, integers that fit as INTEGER, other numbers as
/// REAL, booleans as 1 and 0, arrays and objects as their minified JSON text.
fn sql_value(value: &Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => n.as_f64().map_or(SqlValue::Null, SqlValue::Real),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        Value::Array(_) | Value::Object(_) => SqlValue::Text(value.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;
    use serde_json::json;

    use super::*;

    #[test]
    fn paths_outside_the_subset_stay_with_sql() {
        for path in ["$", "$.a", "$.a.b", "$.\"a.b\".c", "$.a[0]", "$[2].x"] {
            assert!(PayloadPath::parse(path).is_some(), "{path}");
        }
        for path in [
            "a", "$.", "$[#-1]", "$.a[", "$.a[x]", "$..a", "$.\"open", "$x",
        ] {
            assert!(PayloadPath::parse(path).is_none(), "{path}");
        }
    }

    /// Every path and value against SQLite's own `json_extract` on the same JSON text.
    #[test]
    fn extracts_what_sqlite_json_extract_gives() {
        let payload = json!({
            "timestamp": "2024-01-01T00:00:08.259893+00:00",
            "n": 42, "big": 12345678901234567890_u64, "f": 1.5, "e": 1e3, "t": true, "no": false,
            "null": null, "obj": {"a": [1, "x", {"b": 2.50}]}, "a.b": {"c": "dotted"}, "list": [10, 20],
        });
        let text = payload.to_string();
        let conn = Connection::open_in_memory().unwrap();
        for path in [
            "$.timestamp",
            "$.n",
            "$.big",
            "$.f",
            "$.e",
            "$.t",
            "$.no",
            "$.null",
            "$.obj",
            "$.obj.a",
            "$.obj.a[2].b",
            "$.obj.a[1]",
            "$.obj.a[9]",
            "$.missing",
            "$.n.deeper",
            "$.\"a.b\".c",
            "$.list[1]",
            "$.list.x",
            "$",
        ] {
            let sqlite: SqlValue = conn
                .query_row("SELECT json_extract(?1, ?2)", [&text, path], |r| r.get(0))
                .unwrap();
            let ours = PayloadPath::parse(path).unwrap().extract(&payload);
            assert_eq!(ours, sqlite, "{path}");
        }
    }

    /// The roles read from decoded payloads give what SQL gave: every stream's type as the listing has it,
    /// and events' times and types as the library wrote them (checked in tests/library.rs).
    #[test]
    fn a_stream_looked_up_has_the_type_the_listing_gives() {
        for name in [
            "eventsourcing-bank.sqlite",
            "eventsourcing-compressed.sqlite",
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("sample-data")
                .join(name);
            let store = crate::core::store::Store::open(&path, None).unwrap();
            let listed = store.streams().unwrap();
            assert!(listed.iter().any(|s| s.stream_type.is_some()), "{name}");
            for summary in listed {
                let looked_up = store.stream(&summary.id).unwrap();
                assert_eq!(looked_up, summary, "{name}");
            }
        }
    }
}
