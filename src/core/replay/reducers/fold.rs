//! How a [`JqReducer`] runs: [`Reducer`] for it, and the fold that keeps the state as jaq's value between
//! events, apart from the reducer file and its key rules (`reducers`).

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde_json::Value;

use jaq_json::Val;

use super::{JqReducer, Rules};
use crate::core::decode::codec::{Decoder, JsonText};
use crate::core::model::Event;
use crate::core::replay::jq::{
    Budget, EventReads, EventRef, RowEvent, SizeBound, event_val_of, event_val_reading,
    payload_data_val, row_supplies, to_json, to_val, val_pointer,
};
use crate::core::replay::{Fold, Reducer, ReducerError, RowFold};
use crate::core::store::StoredPayload;

/// A jq replay keeping the state as jaq's value between events: converted from JSON once at the start and
/// back when asked for, and updated in place by the programs when nothing else holds it.
struct JqFold {
    rules: Arc<Rules>,
    budget: Budget,
    state: Val,
    /// A bound on the state's size, so a program that writes a few keys does not measure it whole at every
    /// event.
    size: SizeBound,
    /// The last event type seen and the rule it uses: a stream's events mostly repeat a few types.
    last_rule: Option<(String, Option<usize>)>,
}

impl JqFold {
    fn new(reducer: &JqReducer, state: &Value) -> Self {
        Self {
            rules: Arc::clone(&reducer.rules),
            budget: reducer.budget.clone(),
            state: to_val(state),
            size: SizeBound::default(),
            last_rule: None,
        }
    }

    /// Runs the program of rule `rule` on the state, `$event` read from `event` or built by `event_val`
    /// from what the rule reads.
    fn run(
        &mut self,
        rule: usize,
        event: EventRef<'_>,
        event_val: impl FnOnce(Option<&EventReads>) -> Val,
    ) -> Result<(), ReducerError> {
        let compiled = &self.rules.compiled[rule];
        let state = std::mem::take(&mut self.state);
        let run = compiled.program.run_on_event_sized(
            state,
            event,
            || event_val(compiled.reads.as_ref()),
            &self.budget,
            &mut self.size,
        );
        match run {
            Ok(state) => {
                self.state = state;
                Ok(())
            }
            Err(err) => {
                self.size = SizeBound::default();
                Err(compiled.failed(err))
            }
        }
    }

    /// The place of the rule `event_type` uses ([`Rules::lookup`]).
    fn rule(&mut self, event_type: &str) -> Option<usize> {
        match &mut self.last_rule {
            Some((last, rule)) if last == event_type => *rule,
            last => {
                let rule = self.rules.lookup_index(event_type);
                *last = Some((event_type.to_owned(), rule));
                rule
            }
        }
    }
}

impl Fold for JqFold {
    fn apply(&mut self, event: &Event) -> Result<(), ReducerError> {
        let Some(rule) = self.rule(&event.event_type) else {
            return Ok(());
        };
        self.run(rule, EventRef::Decoded(event), |reads| match reads {
            Some(reads) => event_val_reading(event, Some(&reads.fields), reads.data_keys.as_ref()),
            None => event_val_of(event, None),
        })
    }

    fn state(&self) -> Value {
        to_json(&self.state)
    }

    fn pointer(&self, pointer: &str) -> Option<Value> {
        val_pointer(&self.state, pointer).map(to_json)
    }

    fn into_state(self: Box<Self>) -> Value {
        to_json(&self.state)
    }
}

/// [`JqFold`] fed rows: each program's `$event` built from the row's type and cursor and the payload's
/// text read straight into jaq's value (`jq::payload_data_val`), only the keys the program reads of it.
struct JqRowFold<'d> {
    fold: JqFold,
    decoder: &'d Decoder,
    reading: JsonText,
}

impl RowFold for JqRowFold<'_> {
    fn apply_row(&mut self, row: &StoredPayload<'_>) -> Result<(), ReducerError> {
        let event_type = row.type_text();
        let Some(rule) = self.fold.rule(&event_type) else {
            return Ok(());
        };
        // `row_fold` saw that every rule says what it reads, and only what a row holds.
        let rules = Arc::clone(&self.fold.rules);
        let Some(reads) = &rules.compiled[rule].reads else {
            return Err(ReducerError {
                message: "a reducer read more of an event than its row holds".to_owned(),
                limit: None,
            });
        };
        let data = if reads.fields.contains("data") {
            payload_data_val(
                self.decoder,
                self.reading,
                row.data,
                reads.data_keys.as_ref(),
            )
        } else {
            Val::Null
        };
        let event = RowEvent {
            position: row.cursor.position,
            version: row.cursor.version,
            event_type: &event_type,
            data,
        };
        self.fold
            .run(rule, EventRef::Row(&event), |_| event.val(&reads.fields))
    }

    fn into_state(self: Box<Self>) -> Value {
        to_json(&self.fold.state)
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

    fn row_fold<'r>(&'r self, state: Value, decoder: &'r Decoder) -> Option<Box<dyn RowFold + 'r>> {
        let reading = decoder.reads_json_text()?;
        if !self.rules.event_fields.as_ref().is_some_and(row_supplies) {
            return None;
        }
        Some(Box::new(JqRowFold {
            fold: JqFold::new(self, &state),
            decoder,
            reading,
        }))
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
