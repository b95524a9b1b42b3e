//! Search across every stream: by event type, time range, text in the payload and a jq predicate over the
//! event, with hits handed out as they are found so a list can fill while the scan runs (and be cancelled).
//!
//! The predicate sees the event exactly as `eventscope events --json` prints it (`{stream, position, version,
//! type, time, data, metadata}`); an event matches when some output of the predicate is neither `false` nor
//! `null` (jq's `select`). A predicate that fails on an event (`"a" | tonumber`) does not match it; the
//! failures are counted and the first is kept, so a typo in a field name does not stop a long scan. A predicate
//! that exceeds its budget on an event (see [`crate::core::replay::jq`]) stops the search with an error naming the
//! event: it would most likely do the same on every other one.
//!
//! The scan reads the store once in global-position order with constant memory (plus one counter per stream
//! for versionless events). The type filter is pushed down to SQL when every event has a stored version
//! (skipping rows would otherwise break the ordinal numbering of versionless events); time, text and the
//! predicate are checked in Rust, cheapest first. Types match like reducer keys: the full type, or the part
//! after its last `:` or `.`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::core::decode::format_time;
use crate::core::model::{Event, Payload};
use crate::core::replay::jq::{Budget, JqError, Limit, Program, compile};
use crate::core::store::{ScanFilter, ScanOrder, Store, StoreError};

/// Progress is reported every this many rows.
const PROGRESS_EVERY: u64 = 2_048;

/// What to look for; every criterion given must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// A jq predicate over the event (`.data.status == "shipped" and .data.total > 100`).
    pub predicate: Option<String>,
    /// Event types (any of them); empty for all.
    pub types: Vec<String>,
    /// Events at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Events at or before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Text in the payload (its JSON text, or the escaped bytes of an undecodable one), ignoring case.
    pub text: Option<String>,
}

/// Why a search could not start.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the jq predicate `{expression}` does not compile: {error}")]
    Predicate { expression: String, error: JqError },
    #[error(
        "the jq predicate `{expression}` on stream {stream} version {version} (position {position}): {limit}"
    )]
    Budget {
        expression: String,
        stream: String,
        version: i64,
        position: i64,
        limit: Limit,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SearchError {
    /// The jq budget limit the predicate went past, if that is why the search stopped.
    pub fn limit(&self) -> Option<Limit> {
        match self {
            Self::Budget { limit, .. } => Some(*limit),
            Self::Predicate { .. } | Self::Store(_) => None,
        }
    }
}

/// A query compiled once, to be run over many events (and shared with a worker thread).
pub struct CompiledQuery {
    query: SearchQuery,
    predicate: Option<Program>,
    text_lower: Option<String>,
    budget: Budget,
}

impl std::fmt::Debug for CompiledQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledQuery")
            .field("query", &self.query)
            .finish_non_exhaustive()
    }
}

impl CompiledQuery {
    /// Compile `query`; a bad jq expression is an error naming it.
    pub fn new(query: SearchQuery) -> Result<Self, SearchError> {
        let predicate = query
            .predicate
            .as_deref()
            .filter(|p| !p.trim().is_empty())
            .map(|expression| {
                compile(expression, &[]).map_err(|error| SearchError::Predicate {
                    expression: expression.to_owned(),
                    error,
                })
            })
            .transpose()?;
        let text_lower = query
            .text
            .as_deref()
            .filter(|t| !t.is_empty())
            .map(str::to_lowercase);
        Ok(Self {
            query,
            predicate,
            text_lower,
            budget: Budget::default(),
        })
    }

    /// The same query, the predicate evaluated under `budget` on each event instead of the default one.
    #[must_use]
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }

    pub fn query(&self) -> &SearchQuery {
        &self.query
    }

    /// Whether `event` matches; `Err` when the predicate failed on it (then it does not match) or exceeded
    /// its budget. The predicate's input is built from the event as jaq's value directly.
    pub fn matches(&self, event: &Event) -> Result<bool, JqError> {
        if !self.meets_criteria(event) {
            return Ok(false);
        }
        let Some(program) = &self.predicate else {
            return Ok(true);
        };
        program.matches_event(event, &self.budget)
    }

    /// Whether `event` meets the type, time and text criteria, cheapest first.
    fn meets_criteria(&self, event: &Event) -> bool {
        let q = &self.query;
        if !q.types.is_empty() && !q.types.iter().any(|t| type_matches(&event.event_type, t)) {
            return false;
        }
        if q.from.is_some() || q.to.is_some() {
            let Some(time) = event.time else {
                return false;
            };
            if q.from.is_some_and(|from| time < from) || q.to.is_some_and(|to| time > to) {
                return false;
            }
        }
        if let Some(text) = &self.text_lower {
            let haystack = match &event.data {
                Payload::Json(value) => value.to_string(),
                Payload::Raw { bytes, .. } => crate::core::decode::escaped_text(bytes),
            };
            if !haystack.to_lowercase().contains(text) {
                return false;
            }
        }
        true
    }
}

/// Whether stored type `event_type` is `wanted`, or ends with `:wanted` or `.wanted`.
pub fn type_matches(event_type: &str, wanted: &str) -> bool {
    event_type == wanted
        || event_type
            .strip_suffix(wanted)
            .is_some_and(|rest| rest.ends_with(':') || rest.ends_with('.'))
}

/// One event found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    pub stream: String,
    /// The version the stream is opened at: the stored one, or the ordinal when the event has none.
    pub version: i64,
    pub position: i64,
    #[serde(rename = "type")]
    pub event_type: String,
    #[serde(serialize_with = "ser_time")]
    pub time: Option<DateTime<Utc>>,
    /// The whole event (for the CLI's JSON and a preview).
    #[serde(skip)]
    pub event: Event,
}

fn ser_time<S: serde::Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&format_time(t)),
        None => s.serialize_none(),
    }
}

/// How far a search has got: `scanned` of `total` rows read, `hits` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SearchProgress {
    pub scanned: u64,
    pub total: u64,
    pub hits: u64,
}

/// What a search did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SearchSummary {
    /// Rows read (fewer than the store's events when the type filter ran in SQL).
    pub scanned: u64,
    pub hits: u64,
    /// Events the predicate failed on (they do not match).
    pub predicate_errors: u64,
    /// The first such failure, naming the event.
    pub first_error: Option<String>,
    pub cancelled: bool,
}

/// Run `query` over every event of `store` in position order; each hit goes to `on_hit` as it is found and
/// `progress` (returning false to cancel) is called every few thousand rows and at the end.
pub fn search(
    store: &Store,
    query: &CompiledQuery,
    progress: &mut dyn FnMut(SearchProgress) -> bool,
    on_hit: &mut dyn FnMut(Hit),
) -> Result<SearchSummary, SearchError> {
    let filter = if !query.query.types.is_empty() && store.every_event_versioned()? {
        ScanFilter {
            types: query.query.types.clone(),
        }
    } else {
        ScanFilter::default()
    };
    let total = store.count_matching(&filter)?;
    let mut summary = SearchSummary::default();
    // Ordinals of versionless events, per stream (only streams that have such events).
    let mut ordinals: HashMap<String, i64> = HashMap::new();
    let mut over_budget: Option<SearchError> = None;
    let completed = store.scan(ScanOrder::Position, &filter, &mut |event| {
        summary.scanned += 1;
        let version = match event.version {
            Some(v) => v,
            None => {
                let n = ordinals.entry(event.stream.clone()).or_insert(0);
                *n += 1;
                *n
            }
        };
        match query.matches(&event) {
            Ok(true) => {
                summary.hits += 1;
                on_hit(Hit {
                    stream: event.stream.clone(),
                    version,
                    position: event.position,
                    event_type: event.event_type.clone(),
                    time: event.time,
                    event,
                });
            }
            Ok(false) => {}
            Err(JqError::Budget(Limit::Cancelled)) => return false,
            Err(JqError::Budget(limit)) => {
                over_budget = Some(SearchError::Budget {
                    expression: query.query.predicate.clone().unwrap_or_default(),
                    stream: event.stream.clone(),
                    version,
                    position: event.position,
                    limit,
                });
                return false;
            }
            Err(message) => {
                summary.predicate_errors += 1;
                if summary.first_error.is_none() {
                    summary.first_error = Some(format!(
                        "stream {} version {version} (position {}): {message}",
                        event.stream, event.position
                    ));
                }
            }
        }
        !summary.scanned.is_multiple_of(PROGRESS_EVERY)
            || progress(SearchProgress {
                scanned: summary.scanned,
                total,
                hits: summary.hits,
            })
    })?;
    if let Some(err) = over_budget {
        return Err(err);
    }
    summary.cancelled = !completed;
    if completed {
        progress(SearchProgress {
            scanned: summary.scanned,
            total,
            hits: summary.hits,
        });
    }
    Ok(summary)
}

/// Run `query` and collect the hits.
pub fn search_all(
    store: &Store,
    query: &CompiledQuery,
) -> Result<(Vec<Hit>, SearchSummary), SearchError> {
    let mut hits = Vec::new();
    let summary = search(store, query, &mut |_| true, &mut |hit| hits.push(hit))?;
    Ok((hits, summary))
}

/// The event JSON of a hit, as `events --json` prints it.
pub fn hit_json(hit: &Hit) -> Value {
    hit.event.to_json()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(event_type: &str, data: Value) -> Event {
        Event {
            stream: "order-1".to_owned(),
            position: 7,
            version: Some(3),
            event_type: event_type.to_owned(),
            time: chrono::TimeZone::with_ymd_and_hms(&Utc, 2024, 3, 14, 12, 0, 0).single(),
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
    fn the_predicate_sees_each_event_as_its_json_whatever_the_payload() {
        let mut with_metadata = event(
            "Shipped",
            json!({"n": 1.50, "big": 12345678901234567890_u64}),
        );
        with_metadata.metadata = Some(Payload::Json(json!({"by": "x"})));
        let mut raw = event("Shipped", json!(null));
        raw.data = Payload::Raw {
            reason: "not JSON".to_owned(),
            bytes: vec![0xff, 0x00],
        };
        for e in [
            event("Shipped", json!({"a": [1, {"b": 2}]})),
            with_metadata,
            raw,
        ] {
            let whole = serde_json::to_string(&e.to_json()).unwrap();
            let q = query(&format!(
                ". == ({whole} | fromjson)",
                whole = serde_json::to_string(&whole).unwrap()
            ));
            assert_eq!(q.matches(&e), Ok(true), "{whole}");
        }
    }

    fn query(predicate: &str) -> CompiledQuery {
        CompiledQuery::new(SearchQuery {
            predicate: Some(predicate.to_owned()),
            ..SearchQuery::default()
        })
        .unwrap()
    }

    #[test]
    fn the_predicate_sees_the_events_json_shape() {
        let e = event("OrderShipped", json!({"status": "shipped", "total": 120}));
        assert_eq!(
            query(r#".data.status == "shipped" and .data.total > 100"#).matches(&e),
            Ok(true)
        );
        assert_eq!(query(".data.total > 200").matches(&e), Ok(false));
        assert_eq!(
            query(r#".stream == "order-1" and .version == 3 and .type == "OrderShipped""#)
                .matches(&e),
            Ok(true)
        );
        assert_eq!(
            query(".data.missing").matches(&e),
            Ok(false),
            "null is false"
        );
    }

    #[test]
    fn a_bad_predicate_is_an_error_naming_it_and_a_failing_one_does_not_match() {
        let err = CompiledQuery::new(SearchQuery {
            predicate: Some(".data.total >".to_owned()),
            ..SearchQuery::default()
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("`.data.total >`"), "{err}");
        let e = event("T", json!({"n": "x"}));
        assert!(query(".data.n | tonumber > 1").matches(&e).is_err());
    }

    #[test]
    fn types_match_in_full_or_after_the_last_colon_or_dot() {
        assert!(type_matches("bank:Account.Deposited", "Deposited"));
        assert!(type_matches("bank:Account.Deposited", "Account.Deposited"));
        assert!(type_matches("Deposited", "Deposited"));
        assert!(!type_matches("bank:Account.Deposited", "posited"));
    }

    #[test]
    fn text_and_time_filters_combine() {
        let e = event("T", json!({"city": "Kraków"}));
        let q = |text: &str, from: Option<DateTime<Utc>>| {
            CompiledQuery::new(SearchQuery {
                text: Some(text.to_owned()),
                from,
                ..SearchQuery::default()
            })
            .unwrap()
            .matches(&e)
        };
        assert_eq!(q("KRAKÓW", None), Ok(true));
        assert_eq!(q("berlin", None), Ok(false));
        let later = chrono::TimeZone::with_ymd_and_hms(&Utc, 2024, 3, 15, 0, 0, 0).single();
        assert_eq!(q("krak", later), Ok(false));
    }
}
