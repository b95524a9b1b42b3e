//! The deep merge of a run of events as one value, so a long stream's state can be folded in two halves at
//! once: the first half into the state as usual, the second into a [`Patch`], which then goes onto that
//! state and gives exactly what merging every event in order gives, keys in the same order.
//!
//! A patch cannot simply be the second half's events deep-merged into `{}`: an event that writes a scalar
//! and a later one that writes an object leave the object alone in the state, whereas merging the merged
//! object into the state would keep the state's old keys beside it. So each key of a patch says which it
//! does: [`Patch::Merge`] merges into what the state holds there, [`Patch::Set`] replaces it.
//!
//! Its maps hash with foldhash, not the SipHash of serde_json's maps: a patch is only built and applied. A
//! payload's JSON text can be merged into it straight from the text ([`TextMerge`]), never becoming one of
//! serde_json's maps.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::deep_merge_owned;

mod text;

pub use text::TextMerge;

type Keys = IndexMap<String, Patch, foldhash::fast::RandomState>;

/// What a run of events does to the value at one place in the state; see the module doc.
#[derive(Debug)]
pub enum Patch {
    /// Merged into the value there when that is an object; replaces anything else (or nothing), as the
    /// object these keys make.
    Merge(Keys),
    /// Replaces the value there.
    Set(Value),
}

impl Default for Patch {
    /// What no event does: merges nothing into the state.
    fn default() -> Self {
        Self::Merge(Keys::default())
    }
}

impl Patch {
    /// The patch of this run followed by an event that deep-merges `value` here (see
    /// [`super::deep_merge`]).
    pub fn merge(&mut self, value: Value) {
        match (&mut *self, value) {
            (Self::Set(target), value) => deep_merge_owned(target, value),
            (Self::Merge(keys), Value::Object(object)) => {
                for (key, value) in object {
                    match keys.get_mut(&key) {
                        Some(patch) => patch.merge(value),
                        None => {
                            keys.insert(key, Self::of(value));
                        }
                    }
                }
            }
            (this, value) => *this = Self::Set(value),
        }
    }

    /// What merging `value` does where no earlier event of the run wrote.
    fn of(value: Value) -> Self {
        match value {
            Value::Object(object) => Self::Merge(
                object
                    .into_iter()
                    .map(|(key, value)| (key, Self::of(value)))
                    .collect(),
            ),
            other => Self::Set(other),
        }
    }

    /// Puts the run's effect onto `target`, the state before the run.
    pub fn apply_to(self, target: &mut Value) {
        match (self, target) {
            (Self::Set(value), target) => *target = value,
            (Self::Merge(keys), Value::Object(into)) => {
                for (key, patch) in keys {
                    match into.get_mut(&key) {
                        Some(existing) => patch.apply_to(existing),
                        None => {
                            into.insert(key, patch.into_value());
                        }
                    }
                }
            }
            (patch, target) => *target = patch.into_value(),
        }
    }

    /// The value the run leaves where the state held no object.
    fn into_value(self) -> Value {
        match self {
            Self::Set(value) => value,
            Self::Merge(keys) => Value::Object(
                keys.into_iter()
                    .map(|(key, patch)| (key, patch.into_value()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::core::replay::deep_merge;

    /// Small values over few keys, so runs overwrite objects with scalars and back at every depth.
    fn values(seed: &mut u64, depth: u32) -> Value {
        match (next(seed) % 7, depth) {
            (0, _) => Value::Null,
            (1, _) => json!(next(seed) % 5),
            (2, _) => json!(["x", next(seed) % 3]),
            (3, _) => json!(format!("s{}", next(seed) % 4)),
            (_, 0) => json!(true),
            _ => {
                let mut object = Map::new();
                for _ in 0..next(seed) % 4 {
                    let key = ["a", "b", "c", "d"][usize::try_from(next(seed) % 4).unwrap()];
                    object.insert(key.to_owned(), values(seed, depth - 1));
                }
                Value::Object(object)
            }
        }
    }

    /// xorshift64: the same runs every time.
    fn next(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn a_run_merged_as_a_patch_gives_the_state_merging_each_event_gives() {
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..400 {
            let events: Vec<Value> = (0..12).map(|_| values(&mut seed, 3)).collect();
            let mut whole = Value::Object(Map::new());
            for event in events.iter().filter(|e| e.is_object()) {
                deep_merge(&mut whole, event);
            }
            for cut in 0..=events.len() {
                let mut state = Value::Object(Map::new());
                for event in events[..cut].iter().filter(|e| e.is_object()) {
                    deep_merge(&mut state, event);
                }
                let mut patch = Patch::default();
                for event in events[cut..].iter().filter(|e| e.is_object()) {
                    patch.merge(event.clone());
                }
                patch.apply_to(&mut state);
                // Key order too, as shown.
                assert_eq!(
                    state.to_string(),
                    whole.to_string(),
                    "{events:?} cut at {cut}"
                );
            }
        }
    }

    #[test]
    fn a_scalar_then_an_object_replaces_what_the_state_held() {
        let mut state = json!({"x": {"old": 1}, "y": 2});
        let mut patch = Patch::default();
        patch.merge(json!({"x": 5}));
        patch.merge(json!({"x": {"new": 2}, "y": {"z": 3}}));
        patch.apply_to(&mut state);
        assert_eq!(state, json!({"x": {"new": 2}, "y": {"z": 3}}));
        // Without the scalar, the object is merged into the state's.
        let mut state = json!({"x": {"old": 1}});
        let mut patch = Patch::default();
        patch.merge(json!({"x": {"new": 2}}));
        patch.apply_to(&mut state);
        assert_eq!(state.to_string(), r#"{"x":{"old":1,"new":2}}"#);
    }
}
