//! Structural differences between two JSON values, addressed by JSON Pointer (RFC 6901).
//!
//! The state view highlights what an event changed by diffing the replayed state before and after it, and the
//! CLI prints the same change list. Keeping the diff here, free of any UI code, lets both share it and lets the
//! tests check it directly.
//!
//! Removals of array elements are listed in ascending index order like every other change. To apply a change
//! list as a patch, apply the removals from last to first so the earlier indices stay valid.

mod pointers;
#[cfg(test)]
mod tests;

use serde::Serialize;
use serde_json::Value;

use pointers::compare_segments;
pub use pointers::{compare_pointers, pointer, split_pointer};

/// What a change does at its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// The path exists only in the new value.
    Add,
    /// The path exists only in the old value.
    Remove,
    /// The path exists in both, with different values that are not both objects or both arrays.
    Replace,
}

/// One difference between two JSON values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// What happened at `path`.
    pub op: Op,
    /// RFC 6901 JSON Pointer: `""` for the root, otherwise `/`-separated segments with `~` written as `~0` and
    /// `/` as `~1`.
    pub path: String,
    /// The value before (`None` for [`Op::Add`]); serialized as `null` when absent.
    pub old: Option<Value>,
    /// The value after (`None` for [`Op::Remove`]); serialized as `null` when absent.
    pub new: Option<Value>,
}

/// Differences that turn `a` into `b`, sorted by path.
///
/// Objects are compared key by key (recursively); arrays index by index up to the shorter length, then the
/// extra elements of `b` are added and the extra elements of `a` removed at their indices. Values of different
/// kinds, or scalars that differ (`1` and `1.0` included), give one [`Op::Replace`]. Equal values give no
/// change. Paths are ordered by their decoded segments, numeric segments by value (so `/lines/2` comes before
/// `/lines/10`), see [`compare_pointers`].
pub fn diff(a: &Value, b: &Value) -> Vec<Change> {
    let mut found = Vec::new();
    let mut path = Vec::new();
    walk(a, b, &mut path, &mut found);
    found.sort_by(|(left, _), (right, _)| compare_segments(left, right));
    found.into_iter().map(|(_, change)| change).collect()
}

/// Whether the value at `path` (a JSON Pointer) is touched by any of `changes`: a change's path equals it, or
/// one is a prefix of the other segment by segment. A change at `/a` touches `/a/b` and a change at `/a/b`
/// touches `/a`, but a change at `/ab` touches neither. A change at the root touches everything.
pub fn touches(changes: &[Change], path: &str) -> bool {
    let target = split_pointer(path);
    changes.iter().any(|change| {
        let segments = split_pointer(&change.path);
        let shared = segments.len().min(target.len());
        segments.iter().take(shared).eq(target.iter().take(shared))
    })
}

fn walk(a: &Value, b: &Value, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, Change)>) {
    match (a, b) {
        (Value::Object(old), Value::Object(new)) => {
            for (key, old_value) in old {
                path.push(key.clone());
                match new.get(key) {
                    Some(new_value) => walk(old_value, new_value, path, out),
                    None => emit(path, Op::Remove, Some(old_value), None, out),
                }
                path.pop();
            }
            for (key, new_value) in new {
                if !old.contains_key(key) {
                    path.push(key.clone());
                    emit(path, Op::Add, None, Some(new_value), out);
                    path.pop();
                }
            }
        }
        (Value::Array(old), Value::Array(new)) => {
            for (index, (old_value, new_value)) in old.iter().zip(new).enumerate() {
                path.push(index.to_string());
                walk(old_value, new_value, path, out);
                path.pop();
            }
            for (index, new_value) in new.iter().enumerate().skip(old.len()) {
                path.push(index.to_string());
                emit(path, Op::Add, None, Some(new_value), out);
                path.pop();
            }
            for (index, old_value) in old.iter().enumerate().skip(new.len()) {
                path.push(index.to_string());
                emit(path, Op::Remove, Some(old_value), None, out);
                path.pop();
            }
        }
        _ => {
            if !same_scalar(a, b) {
                emit(path, Op::Replace, Some(a), Some(b), out);
            }
        }
    }
}

/// Equality of leaves, with numbers compared by value: numbers keep their digits exactly as written, so
/// `250.0` and `250` are different texts for the same amount and must not show as a change.
fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y
                || match (x.as_i64(), y.as_i64()) {
                    (Some(i), Some(j)) => i == j,
                    _ => x.as_f64().zip(y.as_f64()).is_some_and(|(f, g)| f == g),
                }
        }
        _ => a == b,
    }
}

fn emit(
    path: &[String],
    op: Op,
    old: Option<&Value>,
    new: Option<&Value>,
    out: &mut Vec<(Vec<String>, Change)>,
) {
    let change = Change {
        op,
        path: pointer(path),
        old: old.cloned(),
        new: new.cloned(),
    };
    out.push((path.to_vec(), change));
}
