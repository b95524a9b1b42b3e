//! Reducers written in jq (run by the jaq crates): a reducer file maps event types to jq expressions, so a
//! replay computes the aggregate's real state (a running balance, appended order lines) instead of a generic
//! merge. `.` is the state before the event, `$event` the event exactly as `eventscope events --json` prints
//! it, and the single output is the state after.

mod fold;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::core::replay::ReducerError;
use crate::core::replay::jq::{
    Budget, EventReads, JqError, Program, compile, event_fields_read, event_reads,
};

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
    /// Shared by the copies [`Reducer::stopped_by`](crate::core::replay::Reducer::stopped_by) makes.
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
        self.lookup_index(event_type).map(|i| &self.compiled[i])
    }

    /// [`Self::lookup`] as the rule's place in `compiled`.
    fn lookup_index(&self, event_type: &str) -> Option<usize> {
        let after_colon = event_type.rsplit_once(':').map(|(_, rest)| rest);
        let after_dot = event_type.rsplit_once('.').map(|(_, rest)| rest);
        [Some(event_type), after_colon, after_dot, Some("*")]
            .into_iter()
            .flatten()
            .find_map(|key| self.compiled.iter().position(|c| c.key == key))
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
