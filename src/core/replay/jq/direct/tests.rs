//! The direct evaluation gives jaq's answer: every program of a list, on every state and event of a list,
//! is run both ways and must give the same value with the same key order, or the same error.

use std::time::Duration;

use chrono::TimeZone as _;
use serde_json::{Value, json};

use super::super::{Budget, JqError, Program, compile, event_val};
use super::*;

fn budget() -> Budget {
    Budget {
        time: Duration::from_secs(600),
        ..Budget::default()
    }
}

fn event(data: Payload) -> Event {
    Event {
        stream: "acct-1".to_owned(),
        position: 41,
        version: Some(7),
        event_type: "Deposited".to_owned(),
        time: Some(chrono::Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap()),
        stored_time: None,
        data,
        metadata: Some(Payload::Json(json!({"user": "ann"}))),
        stored: None,
        id: Some("e-1".to_owned()),
        correlation: None,
        causation: None,
    }
}

fn events() -> Vec<Event> {
    let text = |t: &str| serde_json::from_str::<Value>(t).unwrap();
    vec![
        event(Payload::Json(text(
            r#"{"amount": 100.50, "timestamp": "2024-01-02T03:04:05Z", "owner": "Zofia", "originator_topic": "x", "nested": {"a": 1, "b": [1, 2]}}"#,
        ))),
        event(Payload::Json(text(
            r#"{"amount": 7, "timestamp": null, "owner": {"first": "A"}, "big": 123456789012345678901234567890, "nested": null}"#,
        ))),
        event(Payload::Json(text(r#"{"amount": "12", "nested": "text"}"#))),
        event(Payload::Json(json!([1, 2, 3]))),
        event(Payload::Json(json!("a string"))),
        event(Payload::Json(Value::Null)),
        event(Payload::Raw {
            bytes: vec![0, 159, 146, 150],
            reason: "not UTF-8".to_owned(),
        }),
    ]
}

fn states() -> Vec<Value> {
    let text = |t: &str| serde_json::from_str::<Value>(t).unwrap();
    vec![
        json!({"balance": 0, "is_closed": false}),
        text(
            r#"{"z": 1, "balance": 99.99, "owner": "B", "_modified_on": "t", "nested": {"a": {"b": 2}}, "list": [1]}"#,
        ),
        json!({}),
        json!({"balance": "not a number", "nested": 3}),
        Value::Null,
        json!([1, 2]),
        json!(5),
        json!("s"),
    ]
}

/// Programs of the direct subset.
const DIRECT: &[&str] = &[
    ".",
    "1",
    "-2.50",
    "\"text\"",
    "null",
    "true",
    "false",
    ".balance",
    ".nested.a.b",
    "$event",
    "$event.data",
    "$event.data.amount",
    "$event.data.nested.a",
    "$event.type",
    "$event.version",
    "$event.position",
    "$event.time",
    "$event.metadata.user",
    "$event.id",
    "$event.stored_time",
    "$event.nothing",
    ". + ($event.data | del(.timestamp, .originator_topic)) | ._created_on = $event.data.timestamp | ._modified_on = $event.data.timestamp",
    ".balance = ((.balance + $event.data.amount) * 100 | round / 100) | ._modified_on = $event.data.timestamp",
    ".balance = ((.balance - $event.data.amount) * 100 | round / 100) | ._modified_on = $event.data.timestamp",
    ".owner = $event.data.owner | ._modified_on = $event.data.timestamp",
    ".is_closed = true | ._modified_on = $event.data.timestamp",
    ".balance += $event.data.amount",
    ".balance -= 1",
    ".balance *= 2",
    ".balance /= 4",
    ".balance %= 3",
    ".balance |= . + 1",
    ".balance |= floor",
    ".balance |= ceil",
    ".new = 1",
    ".nested.a.b = 5",
    ".nested.a.c = 5",
    ".nested.x.y = 5",
    ".list = .list + [$event.data.amount]",
    ".list += [1]",
    "del(.balance)",
    "del(.z, .balance, .missing)",
    "$event.data | del(.amount)",
    "{a: 1, \"b\": .balance, a: 2}",
    "{}",
    "[]",
    "[.balance]",
    ". * {nested: {a: {c: 1}}}",
    ". * 2",
    "-.balance",
    ".balance // 5",
    ".missing // .balance",
    ".balance / 0",
    ".balance * 1e308 * 10",
    "$event.data.big + 1",
    "$event.data.amount | round",
    "(.balance | round) - 1",
    "1 + 2 * 3 - 4 / 8 % 3",
    ".a = 1 | .b = .a",
    ".a = 1 | .b = $event.data.nested.a",
    ". + $event.data | .x = 1",
    ".balance += 1 | .balance += 2",
    "del(.z) | .z = 1",
    ".balance |= . * 2 | ._m = 1",
    ". + {a: .balance, balance: 3}",
    ".z = 1 | del(.z, .balance)",
    ".a = [$event.data.amount] | .b = {c: $event.data.owner}",
    ".balance > 5",
    ".balance == null and .missing != 1",
    "(.balance | not) or false",
    "$event.data.amount >= 100 or $event.data.amount < \"a\"",
    ".big = ($event.data.amount <= .balance) | .closed = (.is_closed | not)",
    "not",
];

/// Search predicates: `.` is the event.
const PREDICATES: &[&str] = &[
    ".data.amount > 100",
    r#".data.owner == "Zofia" and .data.amount != 7"#,
    r#".type == "Deposited" or .data.nested.a == 1"#,
    ".data.nested.a",
    ".data.nested | .b",
    ".version >= 7 and .position < 41",
    ".metadata.user == \"ann\"",
    ".data.amount * 2 > 200",
    ".data | not",
    ". == null",
    "(.data.amount | round) == 101",
    ".data.missing // true",
    "{a: .data.amount} | .a > 1",
    "[.data.amount] == [7]",
    ".id",
    ".stored_payload",
    "false",
    "null",
    ".data.amount < \"x\"",
];

/// Programs of the subset run in two phases (`batch`), and some that are not because a stage reads what an
/// earlier one wrote.
const BATCHED: &[(&str, bool)] = &[
    (
        ".balance = ((.balance + $event.data.amount) * 100 | round / 100) | ._modified_on = $event.data.timestamp",
        true,
    ),
    (
        ". + ($event.data | del(.timestamp, .originator_topic)) | ._created_on = $event.data.timestamp",
        true,
    ),
    ("del(.z) | .z = 1", true),
    (".balance |= . * 2 | ._m = 1", true),
    (".a = 1 | .b = .a", false),
    (".balance += 1 | .balance += 2", false),
    (". + $event.data | .x = .y", false),
    (".a = 1 | .b = (. | .c)", false),
    (".nested.a = 1", false),
];

/// Programs outside the subset.
const NOT_DIRECT: &[&str] = &[
    ".[]",
    ".a?",
    ".[0]",
    "if . then 1 else 2 end",
    ".a, .b",
    "map(.)",
    "$event.data as $d | $d",
    "\"x\\(.)\"",
    "del(.a.b)",
    "reduce .[] as $x (0; . + $x)",
    "{(.k): 1}",
    "length",
];

type Answer = Result<Value, JqError>;

/// `compiled` on `state` and `event`: through [`Program::run_on_event`], and by jaq alone.
fn both_ways(compiled: &Program, state: &Value, event: &Event) -> (Answer, Answer) {
    let input = convert::to_val(state);
    let direct = compiled
        .run_on_event(input.clone(), event, || event_val(event), &budget())
        .map(|v| convert::to_json(&v));
    let jaq = compiled
        .run_one_val(input, vec![event_val(event)], &budget())
        .map(|v| convert::to_json(&v));
    (direct, jaq)
}

#[test]
fn programs_of_the_subset_give_what_jaq_gives_on_every_state_and_event() {
    let mut evaluated_directly = 0;
    for program in DIRECT {
        let compiled = compile(program, &["$event"]).unwrap();
        assert!(compiled.is_direct(), "{program} should be direct");
        for state in states() {
            for event in events() {
                let (direct, jaq) = both_ways(&compiled, &state, &event);
                let text = |r: &Result<Value, JqError>| r.clone().map(|v| v.to_string());
                assert_eq!(
                    text(&direct),
                    text(&jaq),
                    "{program} on {state} with {:?}",
                    event.data
                );
                let ran = compiled.direct.as_ref().unwrap().run(
                    convert::to_val(&state),
                    EventRef::Decoded(&event),
                    &budget(),
                    &mut SizeBound::default(),
                );
                if let Ok(value) = ran {
                    evaluated_directly += 1;
                    assert_eq!(Ok(convert::to_json(&value).to_string()), text(&jaq));
                }
            }
        }
    }
    // Most combinations are answered without jaq (the rest are errors jaq reports).
    let combinations = DIRECT.len() * states().len() * events().len();
    assert!(
        evaluated_directly * 3 > combinations,
        "{evaluated_directly} of {combinations}"
    );
}

#[test]
fn the_bank_account_reducers_are_evaluated_directly() {
    let state = json!({"balance": 10, "is_closed": false, "_modified_on": "t0"});
    let event = &events()[0];
    for program in &DIRECT[21..26] {
        let compiled = compile(program, &["$event"]).unwrap();
        let direct = compiled.direct.as_ref().unwrap();
        assert!(
            direct
                .run(
                    convert::to_val(&state),
                    EventRef::Decoded(event),
                    &budget(),
                    &mut SizeBound::default(),
                )
                .is_ok(),
            "{program}"
        );
    }
}

#[test]
fn predicates_over_events_give_what_jaq_gives_on_every_event() {
    let mut evaluated_directly = 0;
    for predicate in PREDICATES {
        let compiled = compile(predicate, &[]).unwrap();
        let over_events = compiled.over_events.as_ref();
        assert!(over_events.is_some(), "{predicate} should be direct");
        for event in events() {
            let jaq = compiled.matches_val(event_val(&event), Vec::new(), &budget());
            assert_eq!(
                compiled.matches_event(&event, &budget()),
                jaq,
                "{predicate} on {:?}",
                event.data
            );
            if let Some(Ok(matched)) = over_events.map(|d| d.matches(&event, &budget())) {
                evaluated_directly += 1;
                assert_eq!(Ok(matched), jaq, "{predicate}");
            }
        }
    }
    assert!(evaluated_directly * 2 > PREDICATES.len() * events().len());
}

#[test]
fn pipes_of_writes_are_run_in_two_phases_unless_a_stage_reads_an_earlier_write() {
    for (program, batched) in BATCHED {
        let compiled = compile(program, &["$event"]).unwrap();
        let direct = compiled.direct.as_ref().unwrap();
        assert_eq!(direct.batch.is_some(), *batched, "{program}");
    }
}

#[test]
fn programs_outside_the_subset_are_left_to_jaq() {
    for program in NOT_DIRECT {
        let compiled = compile(program, &["$event"]).unwrap();
        assert!(!compiled.is_direct(), "{program} should not be direct");
    }
    // `$event` is direct only as the one global a reducer has.
    assert!(
        !compile("$event", &["$event", "$other"])
            .unwrap()
            .is_direct()
    );
    assert!(compile(".a", &[]).unwrap().is_direct());
}

#[test]
fn a_small_step_budget_or_a_cancel_leaves_the_answer_to_jaq() {
    let compiled = compile(".a = 1", &["$event"]).unwrap();
    let direct = compiled.direct.as_ref().unwrap();
    let event = &events()[0];
    let small = Budget {
        steps: MIN_STEPS - 1,
        ..budget()
    };
    assert!(
        direct
            .run(
                Val::Null,
                EventRef::Decoded(event),
                &small,
                &mut SizeBound::default()
            )
            .is_err()
    );
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let cancelled = Budget {
        cancel: Some(cancel),
        ..budget()
    };
    assert!(
        direct
            .run(
                convert::to_val(&json!({})),
                EventRef::Decoded(event),
                &cancelled,
                &mut SizeBound::default(),
            )
            .is_err()
    );
    // jaq looks at the cancel flag every so many steps: whatever it answers is the answer.
    let jaq = compiled.run_one_val(
        convert::to_val(&json!({})),
        vec![event_val(event)],
        &cancelled,
    );
    assert_eq!(
        compiled.run_on_event(
            convert::to_val(&json!({})),
            event,
            || event_val(event),
            &cancelled
        ),
        jaq
    );
}

#[test]
fn a_result_past_the_size_budget_is_jaqs_error() {
    let big = "x".repeat(9 * 1024 * 1024);
    let event = event(Payload::Json(json!({ "blob": big })));
    let compiled = compile(".a = $event.data.blob | .b = $event.data.blob", &["$event"]).unwrap();
    let (direct, jaq) = both_ways(&compiled, &json!({}), &event);
    assert!(compiled.is_direct());
    assert!(jaq.is_err());
    assert_eq!(direct, jaq);
}
