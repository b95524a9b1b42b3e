//! Tests of the structural diff: hand-picked cases, pointer escaping and order, and generated pairs whose
//! change list, applied as a patch, turns the first value into the second.

use std::cmp::Ordering;

use super::*;
use serde_json::json;

fn change(op: Op, path: &str, old: Option<Value>, new: Option<Value>) -> Change {
    Change {
        op,
        path: path.to_string(),
        old,
        new,
    }
}

fn paths(changes: &[Change]) -> Vec<&str> {
    changes.iter().map(|c| c.path.as_str()).collect()
}

/// Applies a change list as a patch: everything but removals in order, then removals from last to first.
fn apply(doc: &Value, changes: &[Change]) -> Value {
    let mut doc = doc.clone();
    let forward = changes.iter().filter(|c| c.op != Op::Remove);
    let removals = changes.iter().filter(|c| c.op == Op::Remove).rev();
    for change in forward.chain(removals) {
        apply_one(&mut doc, change);
    }
    doc
}

fn apply_one(doc: &mut Value, change: &Change) {
    let mut segments = split_pointer(&change.path);
    let Some(last) = segments.pop() else {
        assert_eq!(change.op, Op::Replace, "only a replace can target the root");
        *doc = change.new.clone().unwrap();
        return;
    };
    let parent = doc.pointer_mut(&pointer(&segments)).unwrap();
    match (parent, change.op) {
        (Value::Object(map), Op::Add | Op::Replace) => {
            map.insert(last, change.new.clone().unwrap());
        }
        (Value::Object(map), Op::Remove) => {
            assert_eq!(map.remove(&last), change.old);
        }
        (Value::Array(items), op) => {
            let index: usize = last.parse().unwrap();
            match op {
                Op::Add => items.insert(index, change.new.clone().unwrap()),
                Op::Replace => items[index] = change.new.clone().unwrap(),
                Op::Remove => assert_eq!(Some(items.remove(index)), change.old),
            }
        }
        (other, _) => panic!("cannot apply {change:?} under {other}"),
    }
}

/// A tiny deterministic generator (64-bit LCG) so the property tests need no extra crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const KEYS: [&str; 6] = ["a", "b", "c/d", "e~f", "10", "2"];

fn random_value(rng: &mut Lcg, depth: u32) -> Value {
    let kind = if depth == 0 {
        rng.below(4)
    } else {
        rng.below(6)
    };
    match kind {
        0 => Value::Null,
        1 => json!(rng.below(5)),
        2 => json!(format!("s{}", rng.below(3))),
        3 => json!(rng.below(2) == 0),
        4 => {
            let len = rng.below(5);
            Value::Array((0..len).map(|_| random_value(rng, depth - 1)).collect())
        }
        _ => {
            let mut map = serde_json::Map::new();
            for key in KEYS {
                if rng.below(2) == 0 {
                    map.insert(key.to_string(), random_value(rng, depth - 1));
                }
            }
            Value::Object(map)
        }
    }
}

fn mutate(rng: &mut Lcg, value: &Value, depth: u32) -> Value {
    if rng.below(8) == 0 {
        return random_value(rng, depth);
    }
    match value {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (key, inner) in map {
                match rng.below(4) {
                    0 => {}
                    1 => {
                        out.insert(key.clone(), mutate(rng, inner, depth.saturating_sub(1)));
                    }
                    _ => {
                        out.insert(key.clone(), inner.clone());
                    }
                }
            }
            for key in KEYS {
                if !map.contains_key(key) && rng.below(3) == 0 {
                    out.insert(key.to_string(), random_value(rng, depth.saturating_sub(1)));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            let keep = rng.below(items.len() as u64 + 1) as usize;
            let mut out: Vec<Value> = items
                .iter()
                .take(keep)
                .map(|item| {
                    if rng.below(3) == 0 {
                        mutate(rng, item, depth.saturating_sub(1))
                    } else {
                        item.clone()
                    }
                })
                .collect();
            if keep == items.len() {
                for _ in 0..rng.below(12) {
                    out.push(random_value(rng, depth.saturating_sub(1)));
                }
            }
            Value::Array(out)
        }
        other => other.clone(),
    }
}

#[test]
fn equal_values_give_no_changes() {
    let value = json!({"a": [1, {"b": null}], "c": "x", "d": {}});
    assert!(diff(&value, &value.clone()).is_empty());
    assert!(diff(&json!(null), &json!(null)).is_empty());
    assert!(diff(&json!([]), &json!([])).is_empty());
}

#[test]
fn key_order_alone_is_not_a_change() {
    let a = json!({"x": 1, "y": 2});
    let b = json!({"y": 2, "x": 1});
    assert!(diff(&a, &b).is_empty());
}

#[test]
fn added_removed_and_changed_keys_are_reported_with_their_values() {
    let a = json!({"keep": 1, "gone": "old", "changed": true});
    let b = json!({"keep": 1, "changed": false, "new": [1]});
    assert_eq!(
        diff(&a, &b),
        vec![
            change(
                Op::Replace,
                "/changed",
                Some(json!(true)),
                Some(json!(false))
            ),
            change(Op::Remove, "/gone", Some(json!("old")), None),
            change(Op::Add, "/new", None, Some(json!([1]))),
        ]
    );
}

#[test]
fn nested_objects_are_compared_key_by_key() {
    let a = json!({"order": {"customer": {"name": "Ann", "vip": false}, "total": 10}});
    let b = json!({"order": {"customer": {"name": "Ann", "vip": true, "tier": 2}, "total": 10}});
    assert_eq!(
        diff(&a, &b),
        vec![
            change(Op::Add, "/order/customer/tier", None, Some(json!(2))),
            change(
                Op::Replace,
                "/order/customer/vip",
                Some(json!(false)),
                Some(json!(true))
            ),
        ]
    );
}

#[test]
fn values_of_different_kinds_are_one_replace() {
    let a = json!({"x": {"deep": 1}, "y": [1, 2], "z": 1});
    let b = json!({"x": [1], "y": "two", "z": "1"});
    assert_eq!(
        diff(&a, &b),
        vec![
            change(
                Op::Replace,
                "/x",
                Some(json!({"deep": 1})),
                Some(json!([1]))
            ),
            change(Op::Replace, "/y", Some(json!([1, 2])), Some(json!("two"))),
            change(Op::Replace, "/z", Some(json!(1)), Some(json!("1"))),
        ]
    );
}

#[test]
fn replacing_the_root_has_an_empty_path() {
    assert_eq!(
        diff(&json!({"a": 1}), &json!([1])),
        vec![change(
            Op::Replace,
            "",
            Some(json!({"a": 1})),
            Some(json!([1]))
        )]
    );
    assert_eq!(
        diff(&json!(1), &json!(2)),
        vec![change(Op::Replace, "", Some(json!(1)), Some(json!(2)))]
    );
}

#[test]
fn arrays_compare_index_by_index_then_add_the_longer_tail() {
    let a = json!({"xs": [1, {"k": "a"}, 3]});
    let b = json!({"xs": [1, {"k": "b"}, 4, 5, 6]});
    assert_eq!(
        diff(&a, &b),
        vec![
            change(Op::Replace, "/xs/1/k", Some(json!("a")), Some(json!("b"))),
            change(Op::Replace, "/xs/2", Some(json!(3)), Some(json!(4))),
            change(Op::Add, "/xs/3", None, Some(json!(5))),
            change(Op::Add, "/xs/4", None, Some(json!(6))),
        ]
    );
}

#[test]
fn arrays_remove_the_extra_tail_of_the_old_value() {
    let a = json!([[1, 2], "x", "y", "z"]);
    let b = json!([[1]]);
    assert_eq!(
        diff(&a, &b),
        vec![
            change(Op::Remove, "/0/1", Some(json!(2)), None),
            change(Op::Remove, "/1", Some(json!("x")), None),
            change(Op::Remove, "/2", Some(json!("y")), None),
            change(Op::Remove, "/3", Some(json!("z")), None),
        ]
    );
}

#[test]
fn changes_are_sorted_with_numeric_indices_compared_as_numbers() {
    let a = json!({"lines": (0..12).collect::<Vec<_>>(), "b": 0});
    let mut b = a.clone();
    b["lines"][2] = json!("two");
    b["lines"][10] = json!("ten");
    b["lines"][9] = json!("nine");
    b["b"] = json!(1);
    b["a"] = json!(1);
    assert_eq!(
        paths(&diff(&a, &b)),
        vec!["/a", "/b", "/lines/2", "/lines/9", "/lines/10"]
    );
}

#[test]
fn a_path_sorts_before_its_extensions_and_indices_before_names() {
    assert_eq!(compare_pointers("/a", "/a/0"), Ordering::Less);
    assert_eq!(compare_pointers("", "/a"), Ordering::Less);
    assert_eq!(compare_pointers("/2", "/10"), Ordering::Less);
    assert_eq!(compare_pointers("/10", "/x"), Ordering::Less);
    // "010" is not how an index is written, so it is a name and sorts after indices.
    assert_eq!(compare_pointers("/010", "/2"), Ordering::Greater);
    assert_eq!(compare_pointers("/a~1b", "/a~1b"), Ordering::Equal);
    assert_eq!(compare_pointers("/b", "/a/z"), Ordering::Greater);
}

#[test]
fn keys_with_tilde_and_slash_are_escaped_in_paths() {
    let a = json!({});
    let b = json!({"a/b": 1, "m~n": 2, "~1": 3});
    assert_eq!(paths(&diff(&a, &b)), vec!["/a~1b", "/m~0n", "/~01"]);
    assert_eq!(pointer(["a/b", "c~d", ""]), "/a~1b/c~0d/");
    assert_eq!(pointer(Vec::<String>::new()), "");
}

#[test]
fn split_pointer_undoes_pointer() {
    let cases: [&[&str]; 5] = [
        &[],
        &[""],
        &["a", "0", "b"],
        &["a/b", "~", "~1", "~01/"],
        &["", "x", ""],
    ];
    for segments in cases {
        let path = pointer(segments);
        assert_eq!(split_pointer(&path), segments, "through {path:?}");
    }
    assert_eq!(split_pointer("/a~01"), vec!["a~1"]);
    assert_eq!(split_pointer("a/b"), vec!["a", "b"]);
}

#[test]
fn diff_paths_resolve_with_serde_json_pointer() {
    let a = json!({"a/b": {"~": [1, 2]}});
    let b = json!({"a/b": {"~": [1, 3]}});
    let changes = diff(&a, &b);
    assert_eq!(paths(&changes), vec!["/a~1b/~0/1"]);
    assert_eq!(a.pointer(&changes[0].path), Some(&json!(2)));
    assert_eq!(b.pointer(&changes[0].path), Some(&json!(3)));
}

#[test]
fn touches_matches_equal_paths_and_prefixes_in_both_directions() {
    let changes = vec![change(Op::Replace, "/a/b", Some(json!(1)), Some(json!(2)))];
    assert!(touches(&changes, "/a/b"));
    assert!(touches(&changes, "/a"));
    assert!(touches(&changes, ""));
    assert!(touches(&changes, "/a/b/c"));
    assert!(!touches(&changes, "/a/c"));
    assert!(!touches(&changes, "/ab"));
    assert!(!touches(&changes, "/a/bc"));
    assert!(!touches(&[], ""));

    let at_root = vec![change(Op::Replace, "", Some(json!(1)), Some(json!(2)))];
    assert!(touches(&at_root, "/anything/at/all"));

    let escaped = vec![change(Op::Add, "/a~1b", None, Some(json!(1)))];
    assert!(touches(&escaped, "/a~1b/c"));
    assert!(!touches(&escaped, "/a/b"));
}

#[test]
fn changes_serialize_with_lowercase_ops_and_null_for_missing_values() {
    let changes = diff(&json!({"x": 1, "y": 2}), &json!({"x": 5, "z": 3}));
    assert_eq!(
        serde_json::to_value(&changes).unwrap(),
        json!([
            {"op": "replace", "path": "/x", "old": 1, "new": 5},
            {"op": "remove", "path": "/y", "old": 2, "new": null},
            {"op": "add", "path": "/z", "old": null, "new": 3},
        ])
    );
}

#[test]
fn applying_the_changes_to_a_gives_b_for_hand_picked_pairs() {
    let pairs = [
        (json!({}), json!({"a": 1})),
        (json!({"a": 1}), json!({})),
        (json!([1, 2, 3]), json!([])),
        (json!([]), json!([1, [2], {"x": 3}])),
        (json!(null), json!({"a": [1]})),
        (
            json!({"a": [1, {"b": [1, 2, 3]}], "k/~": "v"}),
            json!({"a": [2, {"b": [1]}, 7], "k/~": "w", "new": null}),
        ),
        (
            json!({"lines": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]}),
            json!({"lines": [0, 1]}),
        ),
    ];
    for (a, b) in pairs {
        let changes = diff(&a, &b);
        assert_eq!(apply(&a, &changes), b, "changes {changes:?}");
    }
}

#[test]
fn applying_the_changes_to_a_gives_b_for_generated_pairs() {
    let mut rng = Lcg(0x5eed);
    let mut nonempty = 0;
    for _ in 0..500 {
        let a = random_value(&mut rng, 4);
        let b = mutate(&mut rng, &a, 4);
        let changes = diff(&a, &b);
        if !changes.is_empty() {
            nonempty += 1;
        }
        assert_eq!(changes.is_empty(), a == b);
        assert_eq!(apply(&a, &changes), b, "from {a} to {b} by {changes:?}");
        let mut sorted = changes.clone();
        sorted.sort_by(|x, y| compare_pointers(&x.path, &y.path));
        assert_eq!(sorted, changes, "changes come sorted");
    }
    assert!(
        nonempty > 100,
        "the generator should produce real differences"
    );
}

#[test]
fn numbers_written_differently_but_equal_in_value_are_not_a_change() {
    let a: Value = serde_json::from_str(r#"{"balance": 250.0, "n": 1}"#).unwrap();
    let b: Value = serde_json::from_str(r#"{"balance": 250, "n": 1.5}"#).unwrap();
    let changes = diff(&a, &b);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].path, "/n");
}
