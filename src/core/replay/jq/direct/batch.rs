//! Most reducers are a pipe of writes to the state's own keys (`.balance = ... | ._modified_on = ...`).
//! Evaluated as written, each would need the state copied first, so jaq could still start from it if the
//! evaluation declined half-way: for a state of a few keys, that copy cost as much as the rest of the
//! evaluation. Such a program is run here in two phases instead: every new value is computed, counted and
//! checked while the state is only read, and then, when nothing is left that could decline, the writes are
//! made in place.
//!
//! That is only the same as running the pipe in order when no write is read by a later stage; [`Batch::plan`]
//! accepts a pipe only then (by the keys each stage reads and writes, as far as its text shows).

use jaq_json::{Map as ValMap, Val};

use super::{Decline, Expr, Key, Run};
use crate::core::replay::jq::budget::{MAX_VALUE_SIZE, SizeBound, measure_at};
use crate::core::replay::jq::convert::check_json_parts;

/// One stage of the pipe: a write to a key of the state.
#[derive(Debug)]
enum Stage {
    /// `.k = r`
    Set(Key, Expr),
    /// `.k |= f`
    Update(Key, Expr),
    /// `.k op= r`
    Math(Key, jaq_core::ops::Math, Expr),
    /// `del(.a, .b)`
    Del(Vec<Key>),
    /// `. + r`
    Merge(Expr),
}

/// A program that is such a pipe.
#[derive(Debug)]
pub(super) struct Batch {
    stages: Vec<Stage>,
}

/// What a stage reads or writes of the state's keys.
enum Keys {
    /// These keys.
    Some(Vec<Key>),
    /// Any.
    All,
}

impl Keys {
    fn none() -> Self {
        Self::Some(Vec::new())
    }

    fn add(&mut self, other: Self) {
        match (self, other) {
            (Self::Some(mine), Self::Some(theirs)) => mine.extend(theirs),
            (me, _) => *me = Self::All,
        }
    }

    fn meets(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Some(a), Self::Some(b)) => a.iter().any(|key| b.contains(key)),
            (Self::Some(a), Self::All) | (Self::All, Self::Some(a)) => !a.is_empty(),
            (Self::All, Self::All) => true,
        }
    }
}

/// What `expr` run on the state reads of it.
fn reads(expr: &Expr) -> Keys {
    match expr {
        Expr::Lit(_) | Expr::Event(_) | Expr::Arr(None) => Keys::none(),
        Expr::Index(base, keys) => match (&**base, keys.first()) {
            (Expr::Id, Some(key)) => Keys::Some(vec![key.clone()]),
            _ => reads(base),
        },
        Expr::Pipe(l, r) => {
            let mut keys = reads(l);
            if gives_state(l) {
                keys.add(reads(r));
            }
            keys
        }
        Expr::Math(l, _, r) | Expr::Alt(l, r) | Expr::Cmp(l, _, r) | Expr::Logic(l, _, r) => {
            let mut keys = reads(l);
            keys.add(reads(r));
            keys
        }
        Expr::Neg(inner) | Expr::Arr(Some(inner)) => reads(inner),
        Expr::Obj(entries) => {
            let mut keys = Keys::none();
            for (_, value) in entries {
                keys.add(reads(value));
            }
            keys
        }
        Expr::Id
        | Expr::Round(_)
        | Expr::Not
        | Expr::Assign(..)
        | Expr::Update(..)
        | Expr::UpdateMath(..)
        | Expr::Del(_) => Keys::All,
    }
}

/// Whether `expr` run on the state may give the state itself, or a value holding it, rather than a part of
/// it or a value of its own.
fn gives_state(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(_)
        | Expr::Event(_)
        | Expr::Arr(None)
        | Expr::Index(..)
        | Expr::Round(_)
        | Expr::Cmp(..)
        | Expr::Logic(..)
        | Expr::Not => false,
        Expr::Pipe(l, r) => gives_state(l) && gives_state(r),
        Expr::Neg(inner) | Expr::Arr(Some(inner)) => gives_state(inner),
        Expr::Math(l, _, r) | Expr::Alt(l, r) => gives_state(l) || gives_state(r),
        Expr::Obj(entries) => entries.iter().any(|(_, value)| gives_state(value)),
        Expr::Id | Expr::Assign(..) | Expr::Update(..) | Expr::UpdateMath(..) | Expr::Del(_) => {
            true
        }
    }
}

/// The stages of `expr` when it is a pipe of writes to single keys, in order.
fn stages(expr: &Expr, into: &mut Vec<Stage>) -> Option<()> {
    let single = |keys: &[Key]| match keys {
        [key] => Some(key.clone()),
        _ => None,
    };
    match expr {
        Expr::Pipe(l, r) => {
            stages(l, into)?;
            stages(r, into)?;
        }
        Expr::Assign(keys, r) => into.push(Stage::Set(single(keys)?, (**r).clone())),
        Expr::Update(keys, f) => into.push(Stage::Update(single(keys)?, (**f).clone())),
        Expr::UpdateMath(keys, op, r) => {
            into.push(Stage::Math(single(keys)?, *op, (**r).clone()));
        }
        Expr::Del(keys) => into.push(Stage::Del(keys.clone())),
        Expr::Math(l, jaq_core::ops::Math::Add, r) if matches!(**l, Expr::Id) => {
            into.push(Stage::Merge((**r).clone()));
        }
        _ => return None,
    }
    Some(())
}

impl Stage {
    fn reads(&self) -> Keys {
        match self {
            Self::Set(_, r) | Self::Merge(r) => reads(r),
            Self::Update(key, r) | Self::Math(key, _, r) => {
                let mut keys = reads(r);
                keys.add(Keys::Some(vec![key.clone()]));
                keys
            }
            Self::Del(_) => Keys::none(),
        }
    }

    fn writes(&self) -> Keys {
        match self {
            Self::Set(key, _) | Self::Update(key, _) | Self::Math(key, _, _) => {
                Keys::Some(vec![key.clone()])
            }
            Self::Del(keys) => Keys::Some(keys.clone()),
            Self::Merge(_) => Keys::All,
        }
    }
}

/// A write worked out in the first phase.
enum Write<'b> {
    Set(&'b Key, Val),
    Del(&'b [Key]),
    /// The entries of an object added to the state, in order.
    Merge(Val),
}

impl Batch {
    /// `expr` as a batch, when it is a pipe of writes no later stage of which reads what an earlier one
    /// wrote.
    pub(super) fn plan(expr: &Expr) -> Option<Self> {
        let mut parts = Vec::new();
        stages(expr, &mut parts)?;
        let mut written = Keys::none();
        for stage in &parts {
            if stage.reads().meets(&written) {
                return None;
            }
            written.add(stage.writes());
        }
        Some(Self { stages: parts })
    }

    /// The state after the writes, or `Err` with the state unchanged when the evaluation declines (or the
    /// state is not an object, which the writes would fail on in jaq, or the result could be too large).
    /// `known` bounds the state's size when the fold kept one; `size` is set to bound the new state's.
    pub(super) fn run(
        &self,
        run: &Run<'_>,
        state: Val,
        known: SizeBound,
        size: &mut SizeBound,
    ) -> Result<Val, Val> {
        let Val::Obj(fields) = &state else {
            return Err(state);
        };
        let Ok((writes, bound)) = self.first_phase(run, &state, fields, known) else {
            return Err(state);
        };
        *size = SizeBound(Some(bound));
        Ok(second_phase(state, writes))
    }

    /// Every new value, computed from the state as it is, counted, and checked to make a JSON state within
    /// the size budget; nothing written. With them, a bound on the size of the state they make: the state's
    /// (measured, or as `known` bounds it) and what they add. The budget is judged as if the state were
    /// measured: a bound past it is measured again before declining.
    fn first_phase<'b>(
        &'b self,
        run: &Run<'_>,
        state: &Val,
        fields: &ValMap,
        known: SizeBound,
    ) -> Result<(Vec<Write<'b>>, u64), Decline> {
        let measured = || measure_at(state, MAX_VALUE_SIZE, 0).map_err(|_| Decline);
        let base = match known.0 {
            Some(bound) => bound,
            None => measured()?,
        };
        let mut size = 0_u64;
        let mut writes = Vec::with_capacity(self.stages.len());
        let add = |value: &Val, size: &mut u64| -> Result<(), Decline> {
            check_json_parts(value).map_err(|_| Decline)?;
            let more = measure_at(value, MAX_VALUE_SIZE, 1).map_err(|_| Decline)?;
            *size = size.saturating_add(more).saturating_add(1);
            Ok(())
        };
        let old = |key: &Key| fields.get(key).cloned().unwrap_or(Val::Null);
        for stage in &self.stages {
            let write = match stage {
                Stage::Set(key, r) => {
                    let value = run.eval(r, state.clone())?;
                    run.count(&value)?;
                    Write::Set(key, value)
                }
                Stage::Update(key, f) => {
                    let value = run.eval(f, old(key))?;
                    run.count(&value)?;
                    Write::Set(key, value)
                }
                Stage::Math(key, op, r) => {
                    let right = run.eval(r, state.clone())?;
                    let value = run.math(old(key), *op, right)?;
                    run.count(&value)?;
                    Write::Set(key, value)
                }
                Stage::Del(keys) => Write::Del(keys),
                Stage::Merge(r) => {
                    let value = run.eval(r, state.clone())?;
                    run.count(&value)?;
                    match value {
                        Val::Null => continue,
                        Val::Obj(_) => Write::Merge(value),
                        // jaq's `+` fails on an object and anything else.
                        _ => return Err(Decline),
                    }
                }
            };
            match &write {
                Write::Set(key, value) => {
                    add(value, &mut size)?;
                    size = size.saturating_add(super::super::budget::scalar_size(key));
                }
                Write::Merge(value) => add(value, &mut size)?,
                Write::Del(_) => {}
            }
            writes.push(write);
        }
        let mut bound = base.saturating_add(size);
        if bound > MAX_VALUE_SIZE && known.0.is_some() {
            bound = measured()?.saturating_add(size);
        }
        if bound > MAX_VALUE_SIZE {
            return Err(Decline);
        }
        Ok((writes, bound))
    }
}

/// The writes made, in order, as jaq makes them: a key set in place or added last, deleted by swap-remove,
/// an object's entries added one by one.
fn second_phase(mut state: Val, writes: Vec<Write<'_>>) -> Val {
    if let Val::Obj(fields) = &mut state {
        let map = jaq_json::Rc::make_mut(fields);
        for write in writes {
            match write {
                Write::Set(key, value) => {
                    map.insert(key.clone(), value);
                }
                Write::Del(keys) => {
                    for key in keys {
                        map.swap_remove(key);
                    }
                }
                Write::Merge(Val::Obj(entries)) => {
                    map.extend(entries.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                Write::Merge(_) => {}
            }
        }
    }
    state
}
