//! Tests of the jq reducers: the event jq sees, key rules, folds, errors and budgets.

use std::sync::atomic::AtomicBool;

use serde_json::json;

use super::*;
use crate::core::model::{Event, Payload};
use crate::core::replay::{Reducer, ReplayError, replay};

fn event(version: i64, event_type: &str, data: Value) -> Event {
    crate::core::testing::json_event("acct-1", version, event_type, data)
}

#[test]
fn the_event_jq_sees_is_the_events_json_shape_whatever_it_holds() {
    let plain = event(
        3,
        "Opened",
        json!({"n": 1.50, "s": "Kraków", "a": [1, {"b": null}]}),
    );
    let mut full = event(4, "bank:Account.Renamed", json!({"owner": "Ana"}));
    full.version = None;
    full.time = Some(chrono::DateTime::from_timestamp(1_700_000_000, 123_000).unwrap());
    full.metadata = Some(Payload::Raw {
        bytes: b"\xff\x00meta".to_vec(),
        reason: "not UTF-8".to_owned(),
    });
    full.stored = Some(json!({"owner": {"_type_": "str", "_data_": "Ana"}}));
    full.id = Some("0f8fad5b-d9cb-469f-a165-70867728950e".to_owned());
    let mut unreadable = event(5, "", json!(null));
    unreadable.stored_time = Some("yesterday".to_owned());
    unreadable.data = Payload::Raw {
        bytes: b"temp=21".to_vec(),
        reason: "not JSON".to_owned(),
    };
    for event in [plain, full, unreadable] {
        let built = crate::core::replay::jq::to_json(&crate::core::replay::jq::event_val(&event));
        assert_eq!(built.to_string(), event.to_json().to_string());
    }
}

#[test]
fn a_program_naming_only_some_payload_keys_sees_what_it_sees_of_the_whole_payload() {
    let reads = |source: &str| event_reads(source).and_then(|r| r.data_keys);
    let keys = |list: &[&str]| Some(list.iter().map(|s| (*s).to_owned()).collect());
    assert_eq!(
        reads(".b = $event.data.amount | .t = $event.data.timestamp | .v = $event.version"),
        keys(&["amount", "timestamp"])
    );
    for whole in [
        ". + $event.data",
        "$event.data | keys",
        "$event.data[\"amount\"]",
        "$event.data.\"amount\"",
        "$event.data.amount + $event.data[0]",
    ] {
        assert_eq!(reads(whole), None, "{whole}");
    }
    // The same expressions with the whole `$event` built (a use the text cannot see through) give the
    // same states and the same errors on every kind of payload.
    let programs = [
        ".a = $event.data.amount",
        ".a = ($event.data.missing // \"none\") | .n = ($event.data.amount | type)",
        ".a = $event.data.amount.inner",
        ".a = [$event.data.amount, $event.data.b]",
    ];
    let payloads = [
        json!({"amount": 1.50, "b": {"c": [1, 2]}, "other": "x"}),
        json!({"amount": {"inner": "deep"}}),
        json!({"b": true}),
        json!([1, 2, 3]),
        json!("text"),
        json!(null),
        json!(7),
    ];
    for program in programs {
        let partial =
            JqReducer::from_json(&json!({"reducers": {"*": program}}).to_string()).unwrap();
        let whole_program = format!("($event | length) as $_n | {program}");
        let whole =
            JqReducer::from_json(&json!({"reducers": {"*": whole_program}}).to_string()).unwrap();
        assert!(
            partial.rules.compiled[0]
                .reads
                .as_ref()
                .is_some_and(|r| r.data_keys.is_some())
        );
        assert!(whole.rules.compiled[0].reads.is_none());
        let mut raw = event(1, "X", json!(null));
        raw.data = Payload::Raw {
            bytes: b"\x00\x01".to_vec(),
            reason: "not UTF-8".to_owned(),
        };
        let events = payloads
            .iter()
            .map(|payload| event(1, "X", payload.clone()))
            .chain([raw]);
        for event in events {
            // Errors name the expression: the same once the two texts are made one.
            let fold = |reducer: &JqReducer| {
                replay(reducer, None, std::slice::from_ref(&event))
                    .map_err(|e| e.to_string().replace(&whole_program, program))
            };
            assert_eq!(
                fold(&partial),
                fold(&whole),
                "{program} on {:?}",
                event.data
            );
        }
    }
}

#[test]
fn only_the_event_fields_every_expression_names_are_built_and_any_other_use_builds_all() {
    let names = |list: &[&str]| Some(list.iter().map(|s| (*s).to_owned()).collect());
    assert_eq!(
        event_fields_read(".b = $event.data.amount | .t = $event.time"),
        names(&["data", "time"])
    );
    assert_eq!(event_fields_read(".n += 1"), names(&[]));
    for whole in [
        "$event | keys",
        ". + $event",
        "$event.\"data\"",
        "$event[\"data\"]",
        "$event .data",
        ". as $event | $event.x",
        "$event.1",
    ] {
        assert_eq!(event_fields_read(whole), None, "{whole}");
    }
    let only_data = JqReducer::from_json(BANK).unwrap();
    assert!(!only_data.reads_stored());
    let stored = JqReducer::from_json(
        r#"{"reducers": {"*": ".s = $event.stored_payload", "X": ".d = $event.data"}}"#,
    )
    .unwrap();
    assert!(stored.reads_stored());
}

#[test]
fn a_fold_gives_the_states_apply_gives_event_by_event() {
    let reducer = JqReducer::from_json(BANK).unwrap();
    let events = [
        event(1, "BankAccount.Opened", json!({"owner": "Ana"})),
        event(2, "BankAccount.Deposited", json!({"amount": "10.25"})),
        event(3, "Withdrawn", json!({"amount": 0.5})),
        event(4, "Unknown", json!({"x": 1})),
    ];
    let initial = reducer.initial(Some("BankAccount"));
    let mut fold = reducer.fold(initial.clone());
    let mut state = initial;
    for e in &events {
        state = reducer.apply(state, e).unwrap();
        fold.apply(e).unwrap();
        assert_eq!(fold.state().to_string(), state.to_string());
    }
    assert_eq!(fold.into_state(), state);
}

const BANK: &str = r#"{
    "initial": {},
    "initial_by_type": {"BankAccount": {"balance": 0}},
    "reducers": {
        "BankAccount.Deposited": ".balance = ((.balance // 0) + ($event.data.amount | tonumber))",
        "Withdrawn": ".balance -= ($event.data.amount | tonumber)",
        "LineAdded": ".lines += [$event.data]",
        "*": ". * $event.data"
    }
}"#;

#[test]
fn a_running_balance_is_summed_by_the_reducers() {
    let reducer = JqReducer::from_json(BANK).unwrap();
    let events = [
        event(1, "pkg.banking:BankAccount.Opened", json!({"owner": "ann"})),
        event(
            2,
            "pkg.banking:BankAccount.Deposited",
            json!({"amount": "100.50"}),
        ),
        event(
            3,
            "pkg.banking:BankAccount.Withdrawn",
            json!({"amount": 30}),
        ),
    ];
    let state = replay(&reducer, Some("BankAccount"), &events).unwrap();
    assert_eq!(state, json!({"balance": 70.5, "owner": "ann"}));
}

#[test]
fn keys_match_the_full_type_then_after_the_colon_then_after_the_dot_then_star() {
    let text = r#"{"reducers": {
        "a.b:Acct.Opened": ".k = \"full\"",
        "Acct.Renamed": ".k = \"colon\"",
        "Closed": ".k = \"dot\"",
        "*": ".k = \"star\""}}"#;
    let reducer = JqReducer::from_json(text).unwrap();
    let k = |t: &str| reducer.apply(json!({}), &event(1, t, json!({}))).unwrap()["k"].clone();
    assert_eq!(k("a.b:Acct.Opened"), "full");
    assert_eq!(k("x.y:Acct.Renamed"), "colon");
    assert_eq!(k("x.y:Acct.Closed"), "dot");
    assert_eq!(k("Other"), "star");
}

#[test]
fn an_event_no_key_matches_leaves_the_state_unchanged() {
    let reducer = JqReducer::from_json(r#"{"reducers": {"Deposited": ".n += 1"}}"#).unwrap();
    assert_eq!(
        reducer
            .apply(json!({"n": 1}), &event(1, "Other", json!({})))
            .unwrap(),
        json!({"n": 1})
    );
}

#[test]
fn the_initial_state_comes_from_the_stream_type_then_initial_then_empty() {
    let reducer = JqReducer::from_json(BANK).unwrap();
    assert_eq!(reducer.initial(Some("BankAccount")), json!({"balance": 0}));
    assert_eq!(reducer.initial(Some("Customer")), json!({}));
    let bare = JqReducer::from_json(r#"{"reducers": {}}"#).unwrap();
    assert_eq!(bare.initial(None), json!({}));
}

#[test]
fn the_event_is_the_events_json_shape() {
    let text = r#"{"reducers": {"*": "{stream: $event.stream, v: $event.version, t: $event.type, keys: ($event | keys)}"}}"#;
    let reducer = JqReducer::from_json(text).unwrap();
    let out = reducer.apply(json!({}), &event(4, "T", json!({}))).unwrap();
    assert_eq!(out["stream"], "acct-1");
    assert_eq!(out["v"], 4);
    assert_eq!(out["t"], "T");
    assert_eq!(
        out["keys"],
        json!([
            "data", "metadata", "position", "stream", "time", "type", "version"
        ])
    );
}

#[test]
fn no_output_several_outputs_and_runtime_errors_name_the_event_and_key() {
    let reducer = JqReducer::from_json(
        r#"{"reducers": {"None": "empty", "Two": "., .", "Bad": ".x = (\"a\" | tonumber)"}}"#,
    )
    .unwrap();
    for (t, needle) in [
        ("None", "no output"),
        ("Two", "more than one output"),
        ("Bad", "failed"),
    ] {
        let err = replay(&reducer, None, &[event(7, t, json!({}))]).unwrap_err();
        let ReplayError::Reducer {
            stream,
            version,
            event_type,
            message,
            ..
        } = &err
        else {
            panic!("{err}")
        };
        assert_eq!(
            (stream.as_str(), *version, event_type.as_str()),
            ("acct-1", 7, t)
        );
        assert!(
            message.contains(needle) && message.contains(&format!("{t:?}")),
            "{message}"
        );
    }
}

#[test]
fn syntax_errors_and_unknown_functions_name_the_key() {
    let err = JqReducer::from_json(r#"{"reducers": {"Deposited": ".balance +="}}"#).unwrap_err();
    assert!(err.contains("Deposited") && err.contains("syntax"), "{err}");
    let err =
        JqReducer::from_json(r#"{"reducers": {"Deposited": "nosuchfunction(1)"}}"#).unwrap_err();
    assert!(
        err.contains("Deposited") && err.contains("nosuchfunction"),
        "{err}"
    );
    let err = JqReducer::from_json(r#"{"reducer": {}}"#).unwrap_err();
    assert!(err.contains("unknown field"), "{err}");
}

#[test]
fn a_budget_error_says_which_limit_it_went_past() {
    let reducer = JqReducer::from_json(r#"{"reducers": {"*": "def f: f; f"}}"#)
        .unwrap()
        .with_budget(Budget {
            steps: 1_000,
            time: std::time::Duration::from_secs(600),
            cancel: None,
        });
    let err = replay(&reducer, None, &[event(5, "T", json!({}))]).unwrap_err();
    assert_eq!(
        err.limit(),
        Some(crate::core::replay::jq::Limit::Steps(1_000)),
        "{err}"
    );
    assert!(err.to_string().contains("version 5"), "{err}");
    let failing = JqReducer::from_json(r#"{"reducers": {"*": "error(\"no\")"}}"#).unwrap();
    let err = replay(&failing, None, &[event(5, "T", json!({}))]).unwrap_err();
    assert_eq!(err.limit(), None, "{err}");
}

#[test]
fn a_stopped_copy_is_cancelled_and_the_reducer_it_came_from_is_not() {
    let steps = crate::core::replay::jq::Limit::Steps(5_000);
    let reducer = JqReducer::from_json(r#"{"reducers": {"*": "last(range(1e12))"}}"#)
        .unwrap()
        .with_budget(Budget {
            steps: 5_000,
            time: std::time::Duration::from_secs(600),
            cancel: None,
        });
    let events = [event(2, "T", json!({}))];
    let cancel = Arc::new(AtomicBool::new(false));
    let stopped = reducer.stopped_by(&cancel).unwrap();
    let err = replay(stopped.as_ref(), None, &events).unwrap_err();
    assert_eq!(err.limit(), Some(steps), "{err}");
    cancel.store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        replay(stopped.as_ref(), None, &events),
        Err(ReplayError::Cancelled)
    );
    let err = replay(&reducer, None, &events).unwrap_err();
    assert_eq!(err.limit(), Some(steps), "{err}");
}

#[test]
fn keys_that_match_no_event_type_are_reported() {
    let reducer = JqReducer::from_json(BANK).unwrap();
    let unmatched =
        reducer.unmatched_keys(["pkg:BankAccount.Deposited", "pkg:BankAccount.Withdrawn"]);
    assert_eq!(unmatched, ["LineAdded"]);
}

#[test]
fn jq_features_used_by_real_reducers_work() {
    let text = r#"{"reducers": {
        "LineRemoved": ".lines |= map(select(.sku != $event.data.sku))",
        "Tagged": ".tags = ((.tags // []) + [$event.data.tag] | unique)",
        "Noted": "if $event.data.text == \"\" then . else .notes += {($event.version|tostring): $event.data.text} end"}}"#;
    let reducer = JqReducer::from_json(text).unwrap();
    let state = json!({"lines": [{"sku": "a"}, {"sku": "b"}]});
    let state = reducer
        .apply(state, &event(1, "LineRemoved", json!({"sku": "a"})))
        .unwrap();
    assert_eq!(state["lines"], json!([{"sku": "b"}]));
    let state = reducer
        .apply(state, &event(2, "Tagged", json!({"tag": "x"})))
        .unwrap();
    let state = reducer
        .apply(state, &event(3, "Tagged", json!({"tag": "x"})))
        .unwrap();
    assert_eq!(state["tags"], json!(["x"]));
    let state = reducer
        .apply(state, &event(4, "Noted", json!({"text": "hi"})))
        .unwrap();
    assert_eq!(state["notes"], json!({"4": "hi"}));
}

#[test]
fn the_readme_reducer_example_compiles_and_sums_deposits() {
    let readme = include_str!("../../../../README.md");
    let section = readme.split("## Reducers").nth(1).unwrap();
    let json = section
        .split("```json")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let reducer = JqReducer::from_json(json).unwrap();
    let events = [event(
        1,
        "pkg.banking:BankAccount.Deposited",
        json!({"amount": "12.5"}),
    )];
    let state = replay(&reducer, Some("BankAccount"), &events).unwrap();
    assert_eq!(state["balance"].as_f64(), Some(12.5));
}

/// A fold keeps a bound on its state's size between events instead of measuring the state at each one: it
/// must stop at the event where measuring each state stops, with the same error, and give the same states
/// before. Each event writes a 1 MiB string under a key of its own, so the state, not any one value, goes past
/// the 16 Mi-unit budget, after sixteen.
#[test]
fn a_fold_bounding_its_state_size_fails_where_measuring_each_state_fails() {
    let rules: serde_json::Map<String, Value> = (1..=20)
        .map(|k| {
            (
                format!("T{k}"),
                json!(format!(".k{k} = $event.data.x | .n = .n + 1")),
            )
        })
        .collect();
    let reducer =
        JqReducer::from_json(&json!({"reducers": rules, "initial": {"n": 0}}).to_string()).unwrap();
    let chunk = "x".repeat(1 << 20);
    let mut bounded = reducer.fold(reducer.initial(None));
    let mut failed_at = None;
    for version in 1..=20 {
        let event = event(version, &format!("T{version}"), json!({"x": chunk}));
        let before = bounded.state();
        // A new fold measures the state it starts from.
        let mut measured = reducer.fold(before.clone());
        let expected = measured.apply(&event).map_err(|e| e.message.clone());
        assert_eq!(
            bounded.apply(&event).map_err(|e| e.message.clone()),
            expected,
            "event {version}"
        );
        if expected.is_err() {
            failed_at = Some(version);
            break;
        }
        assert_eq!(bounded.state(), measured.state(), "event {version}");
    }
    assert_eq!(failed_at, Some(16));
}
