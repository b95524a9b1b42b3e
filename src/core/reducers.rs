//! Reducers written in jq (run by the jaq crates): a reducer file maps event types to jq expressions, so a
//! replay computes the aggregate's real state (a running balance, appended order lines) instead of a generic
//! merge. `.` is the state before the event, `$event` the event exactly as `eventscope events --json` prints
//! it, and the single output is the state after.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde::Deserialize;
use serde_json::{Map, Value};

use jaq_json::Val;

use crate::core::jq::{
    Budget, EventReads, JqError, Program, compile, event_fields_read, event_reads, event_val_of,
    event_val_reading, to_json, to_val,
};
use crate::core::model::Event;
use crate::core::replay::{Fold, Reducer, ReducerError};

/// A reducer file as written by the user.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReducerFile {
    /// State before a stream's first event, unless `initial_by_type` has one for the stream's type.
    #[serde(default)]
    pub initial: Option<Value>,
    /// State before the first event, by stream type (aggregate type or category).
    #[serde(default)]
    pub initial_by_type: Map<String, Value>,
    /// jq expression by event type key: the full type, the part after the last `:`, the part after the last
    /// `.`, or `*`.
    #[serde(default)]
    pub reducers: Map<String, Value>,
}

/// One compiled expression.
struct Compiled {
    key: String,
    expression: String,
    program: Program,
    /// What the expression reads of `$event`, when its text tells (`None`: anything).
    reads: Option<EventReads>,
}

/// Reducers compiled from a [`ReducerFile`], run under a [`Budget`] per event.
pub struct JqReducer {
    /// Shared by the copies [`Reducer::stopped_by`] makes.
    rules: Arc<Rules>,
    budget: Budget,
}

/// A reducer file, compiled.
struct Rules {
    initial: Value,
    initial_by_type: Map<String, Value>,
    compiled: Vec<Compiled>,
    /// The fields of `$event` some expression reads; `None` when one may read any.
    event_fields: Option<BTreeSet<String>>,
}

impl Rules {
    /// Which key an event type uses: the full type, the part after the last `:`, the part after the last
    /// `.`, then `*`.
    fn lookup(&self, event_type: &str) -> Option<&Compiled> {
        let after_colon = event_type.rsplit_once(':').map(|(_, rest)| rest);
        let after_dot = event_type.rsplit_once('.').map(|(_, rest)| rest);
        [Some(event_type), after_colon, after_dot, Some("*")]
            .into_iter()
            .flatten()
            .find_map(|key| self.compiled.iter().find(|c| c.key == key))
    }
}

impl std::fmt::Debug for JqReducer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JqReducer")
            .field("keys", &self.keys())
            .finish_non_exhaustive()
    }
}

impl JqReducer {
    /// Parse and compile a reducer file's text; errors name the key whose expression failed.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let file: ReducerFile =
            serde_json::from_str(text).map_err(|e| format!("not a reducer file: {e}"))?;
        Self::from_file(file)
    }

    /// Compile every expression of `file`.
    pub fn from_file(file: ReducerFile) -> Result<Self, String> {
        let mut compiled = Vec::with_capacity(file.reducers.len());
        for (key, expression) in &file.reducers {
            let Some(expression) = expression.as_str() else {
                return Err(format!(
                    "reducer {key:?}: the expression must be a string of jq"
                ));
            };
            let program =
                compile(expression, &["$event"]).map_err(|e| format!("reducer {key:?}: {e}"))?;
            compiled.push(Compiled {
                key: key.clone(),
                expression: expression.to_owned(),
                program,
                reads: event_reads(expression),
            });
        }
        let event_fields = compiled.iter().try_fold(BTreeSet::new(), |mut all, c| {
            all.extend(event_fields_read(&c.expression)?);
            Some(all)
        });
        Ok(Self {
            rules: Arc::new(Rules {
                initial: file.initial.unwrap_or_else(|| Value::Object(Map::new())),
                initial_by_type: file.initial_by_type,
                compiled,
                event_fields,
            }),
            budget: Budget::default(),
        })
    }

    /// The same reducers, each event evaluated under `budget` instead of the default one.
    #[must_use]
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }

    /// The keys, in file order.
    pub fn keys(&self) -> Vec<&str> {
        self.rules.compiled.iter().map(|c| c.key.as_str()).collect()
    }

    /// Which key an event type uses (see [`Rules::lookup`]).
    fn lookup(&self, event_type: &str) -> Option<&Compiled> {
        self.rules.lookup(event_type)
    }

    /// Keys that match none of `event_types` (`*` always matches), sorted.
    pub fn unmatched_keys<'a>(
        &self,
        event_types: impl IntoIterator<Item = &'a str>,
    ) -> Vec<String> {
        let mut unmatched = self.unmatched();
        for event_type in event_types {
            unmatched.saw(event_type);
        }
        unmatched.keys()
    }

    /// Every key but `*`, to be crossed off as event types are seen (see [`Unmatched`]).
    pub fn unmatched(&self) -> Unmatched<'_> {
        Unmatched {
            reducer: self,
            left: self.keys().into_iter().filter(|k| *k != "*").collect(),
        }
    }
}

/// The keys of a [`JqReducer`] no event type seen so far uses.
pub struct Unmatched<'r> {
    reducer: &'r JqReducer,
    left: BTreeSet<&'r str>,
}

impl Unmatched<'_> {
    /// Cross off the key `event_type` uses; whether any key is left.
    pub fn saw(&mut self, event_type: &str) -> bool {
        if let Some(compiled) = self.reducer.lookup(event_type) {
            self.left.remove(compiled.key.as_str());
        }
        !self.left.is_empty()
    }

    /// The keys left, sorted.
    pub fn keys(&self) -> Vec<String> {
        self.left.iter().map(|k| (*k).to_owned()).collect()
    }
}

impl Compiled {
    /// The reducer error for `err`, naming this key and its expression.
    fn failed(&self, err: JqError) -> ReducerError {
        let limit = err.limit();
        let why = match err {
            JqError::SeveralOutputs => format!("{err}; a reducer must give exactly one"),
            err => err.to_string(),
        };
        ReducerError {
            message: format!("reducer key {:?} (`{}`): {why}", self.key, self.expression),
            limit,
        }
    }
}

/// A jq replay keeping the state as jaq's value between events: converted from JSON once at the start and
/// back when asked for, and updated in place by the programs when nothing else holds it.
struct JqFold {
    rules: Arc<Rules>,
    budget: Budget,
    state: Val,
}

impl JqFold {
    fn new(reducer: &JqReducer, state: &Value) -> Self {
        Self {
            rules: Arc::clone(&reducer.rules),
            budget: reducer.budget.clone(),
            state: to_val(state),
        }
    }
}

impl Fold for JqFold {
    fn apply(&mut self, event: &Event) -> Result<(), ReducerError> {
        let Some(compiled) = self.rules.lookup(&event.event_type) else {
            return Ok(());
        };
        let state = std::mem::take(&mut self.state);
        self.state = compiled
            .program
            .run_on_event(
                state,
                event,
                || match &compiled.reads {
                    Some(reads) => {
                        event_val_reading(event, Some(&reads.fields), reads.data_keys.as_ref())
                    }
                    None => event_val_of(event, None),
                },
                &self.budget,
            )
            .map_err(|err| compiled.failed(err))?;
        Ok(())
    }

    fn state(&self) -> Value {
        to_json(&self.state)
    }

    fn into_state(self: Box<Self>) -> Value {
        to_json(&self.state)
    }
}

impl Reducer for JqReducer {
    fn initial(&self, stream_type: Option<&str>) -> Value {
        stream_type
            .and_then(|t| self.rules.initial_by_type.get(t))
            .cloned()
            .unwrap_or_else(|| self.rules.initial.clone())
    }

    fn handles(&self, event_type: &str) -> bool {
        self.lookup(event_type).is_some_and(|c| c.key != "*")
    }

    fn apply(&self, state: Value, event: &Event) -> Result<Value, ReducerError> {
        let Some(compiled) = self.lookup(&event.event_type) else {
            return Ok(state);
        };
        compiled
            .program
            .run_one(&state, &[&event.to_json()], &self.budget)
            .map_err(|err| compiled.failed(err))
    }

    fn reads_stored(&self) -> bool {
        self.rules
            .event_fields
            .as_ref()
            .is_none_or(|fields| fields.contains("stored_payload"))
    }

    fn fold<'r>(&'r self, state: Value) -> Box<dyn Fold + 'r> {
        Box::new(JqFold::new(self, &state))
    }

    fn fold_owned(self: Arc<Self>, state: Value) -> Box<dyn Fold + Send> {
        Box::new(JqFold::new(&self, &state))
    }

    fn stopped_by(&self, cancel: &Arc<AtomicBool>) -> Option<Arc<dyn Reducer>> {
        Some(Arc::new(Self {
            rules: Arc::clone(&self.rules),
            budget: Budget {
                cancel: Some(Arc::clone(cancel)),
                ..self.budget.clone()
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::core::model::Payload;
    use crate::core::replay::{ReplayError, replay};

    fn event(version: i64, event_type: &str, data: Value) -> Event {
        Event {
            stream: "acct-1".to_owned(),
            position: version,
            version: Some(version),
            event_type: event_type.to_owned(),
            time: None,
            stored_time: None,
            data: Payload::Json(data),
            metadata: None,
            stored: None,
            id: None,
            correlation: None,
            causation: None,
        }
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
            let built = crate::core::jq::to_json(&crate::core::jq::event_val(&event));
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
                JqReducer::from_json(&json!({"reducers": {"*": whole_program}}).to_string())
                    .unwrap();
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
        let err =
            JqReducer::from_json(r#"{"reducers": {"Deposited": ".balance +="}}"#).unwrap_err();
        assert!(err.contains("Deposited") && err.contains("syntax"), "{err}");
        let err = JqReducer::from_json(r#"{"reducers": {"Deposited": "nosuchfunction(1)"}}"#)
            .unwrap_err();
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
            Some(crate::core::jq::Limit::Steps(1_000)),
            "{err}"
        );
        assert!(err.to_string().contains("version 5"), "{err}");
        let failing = JqReducer::from_json(r#"{"reducers": {"*": "error(\"no\")"}}"#).unwrap();
        let err = replay(&failing, None, &[event(5, "T", json!({}))]).unwrap_err();
        assert_eq!(err.limit(), None, "{err}");
    }

    #[test]
    fn a_stopped_copy_is_cancelled_and_the_reducer_it_came_from_is_not() {
        let steps = crate::core::jq::Limit::Steps(5_000);
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
        let readme = include_str!("../../README.md");
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
}
