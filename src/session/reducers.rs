//! The reducers as the session holds them: the reducer file text in force (or the default deep merge), why
//! the last text could not be used, the jq budget every evaluation runs under, and the reducer keys that
//! match no event type of the store. Changed only by `SetReducers`, `SetJqBudget`, the store's event types
//! when it opens, and how a replay with them went.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::core::replay::jq::Budget;
use crate::core::replay::reducers::JqReducer;
use crate::core::replay::{DeepMerge, Reducer};

use super::Problem;

pub struct Reducers {
    /// The reducer file text in force (`None`: the default deep merge).
    text: Option<String>,
    /// Why the last text could not be used (the last good replay stays on screen).
    error: Option<Problem>,
    reducer: Arc<dyn Reducer>,
    /// The jq reducer in force, if any (for its key warnings, verify and the report).
    jq: Option<Arc<JqReducer>>,
    /// What one jq evaluation of a reducer or the search may spend.
    budget: Budget,
    /// Every event type in the store, sorted.
    event_types: Vec<String>,
    /// Reducer keys that match no event type in the store.
    unmatched_keys: Vec<String>,
    /// A file and the text it held when loaded or saved (what a copied command names).
    file: Option<(PathBuf, String)>,
}

impl Default for Reducers {
    fn default() -> Self {
        Self {
            text: None,
            error: None,
            reducer: Arc::new(DeepMerge),
            jq: None,
            budget: Budget::default(),
            event_types: Vec::new(),
            unmatched_keys: Vec::new(),
            file: None,
        }
    }
}

impl Reducers {
    /// The reducer file text in force; `None` for the default deep merge.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// Why the last reducer text could not be used, or the replay with it failed.
    pub fn error(&self) -> Option<&Problem> {
        self.error.as_ref()
    }

    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Every event type in the store, sorted.
    pub fn event_types(&self) -> &[String] {
        &self.event_types
    }

    /// Reducer keys that match no event type in the store.
    pub fn unmatched_keys(&self) -> &[String] {
        &self.unmatched_keys
    }

    /// The file holding the reducer text in force, when it was loaded from or saved to one and not edited
    /// since; `None` also for the default deep merge.
    pub fn file(&self) -> Option<&Path> {
        match (&self.file, &self.text) {
            (Some((path, held)), Some(text)) if held == text => Some(path),
            _ => None,
        }
    }

    /// `path` holds `text`.
    pub(super) fn set_file(&mut self, path: PathBuf, text: String) {
        self.file = Some((path, text));
    }

    /// The reducer the session replays with.
    pub(super) fn reducer(&self) -> &Arc<dyn Reducer> {
        &self.reducer
    }

    /// The jq reducer in force, if any.
    pub(super) fn jq(&self) -> Option<Arc<dyn Reducer>> {
        self.jq.clone().map(|r| r as Arc<dyn Reducer>)
    }

    /// Use `text` (`None`: the default deep merge). Returns whether the reducer in force changed (the stream
    /// replays again); a text that does not compile leaves the last good one in force, with the error.
    pub(super) fn set(&mut self, text: Option<String>) -> bool {
        let (reducer, jq): (Arc<dyn Reducer>, Option<Arc<JqReducer>>) = match &text {
            None => (Arc::new(DeepMerge), None),
            Some(text) => match JqReducer::from_json(text) {
                Ok(reducer) => {
                    let reducer = Arc::new(reducer.with_budget(self.budget.clone()));
                    (Arc::clone(&reducer) as Arc<dyn Reducer>, Some(reducer))
                }
                Err(message) => {
                    self.text = Some(text.clone());
                    self.error = Some(message.into());
                    return false;
                }
            },
        };
        self.jq = jq;
        self.text = text;
        self.error = None;
        self.reducer = reducer;
        self.refresh_warnings();
        true
    }

    /// Evaluate under `budget` from now on. Returns whether the reducer in force changed.
    pub(super) fn set_budget(&mut self, budget: Budget) -> bool {
        if (budget.steps, budget.time) == (self.budget.steps, self.budget.time) {
            return false;
        }
        self.budget = budget;
        self.text.is_some() && self.set(self.text.clone())
    }

    /// The store opened with these event types.
    pub(super) fn set_event_types(&mut self, types: Vec<String>) {
        self.event_types = types;
        self.refresh_warnings();
    }

    /// How the replay with the reducer in force went.
    pub(super) fn replayed(&mut self, error: Option<Problem>) {
        self.error = error;
    }

    /// Reducer keys that match no event type in the store; computed when the reducers or the store's types
    /// change, never per frame.
    fn refresh_warnings(&mut self) {
        self.unmatched_keys = self
            .jq
            .as_ref()
            .map(|r| r.unmatched_keys(self.event_types.iter().map(String::as_str)))
            .unwrap_or_default();
    }
}
