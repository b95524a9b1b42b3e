//! The reducers people write are short assignments and arithmetic (`.balance += $event.data.amount`,
//! `._modified_on = $event.data.timestamp`), run once per event over streams of millions. Through jaq each
//! costs microseconds of boxed iterators, path bookkeeping and a `$event` object built for it; evaluated
//! directly on jaq's values they cost a fraction of that. This module lowers such a program, when all of it
//! is in the subset below, to a small tree it evaluates itself; [`super::Program`] tries it first and runs
//! jaq whenever it declines.
//!
//! The subset: `.`, literals, `$event` and paths of string keys from it or from `.` (`.a.b`, `$event.data.x`),
//! `|`, `+ - * / %`, unary `-`, `//`, `[f]`, `{key: f, ...}`, `l = r`, `l |= f`, `l op= r`, `del(.a, .b)`,
//! `round`, `floor`, `ceil`, `true`, `false`, `null`. Every operation is jaq's own on its values (`Val`'s
//! arithmetic, the same object updates, `swap_remove` for `del`), so a result is the one jaq gives.
//!
//! Exactness comes from declining, never from imitating jaq's errors: anything jaq would answer with an
//! error, several outputs or none (a type mismatch, a path into a value that is not an object, a missing
//! intermediate object, an output that is not JSON or too large, a limit), and any budget small enough that
//! jaq could run out of it, makes the evaluation decline, and jaq runs the program from the same input to
//! give its own answer.

use jaq_core::load::lex::StrPart;
use jaq_core::load::parse::{BinaryOp, Term};
use jaq_core::ops::Math;
use jaq_core::path::{Opt, Part};
use jaq_core::{ValT as _, ops};
use jaq_json::{Map as ValMap, Val};
use serde_json::Value;

use super::budget::{Budget, Meter, SizeBound};
use super::convert::{self, EventRef, event_field};
use crate::core::model::{Event, Payload};
use batch::Batch;

/// Most terms of a program evaluated directly: far fewer steps than [`MIN_STEPS`] in jaq, and a bounded
/// recursion here.
const MAX_TERMS: usize = 256;

/// The smallest step budget under which programs are evaluated directly: jaq counts fewer steps than this
/// for any program of [`MAX_TERMS`] terms of the subset, so it could not have run out of them.
pub(crate) const MIN_STEPS: u64 = 10_000;

/// The variable a reducer sees the event in.
const EVENT: &str = "$event";

/// A program of the subset, ready to evaluate.
#[derive(Debug)]
pub(crate) struct Direct {
    expr: Expr,
    /// The same program as writes made in two phases, when it is a pipe of them (see `batch`).
    batch: Option<Batch>,
}

/// A string key of an object.
type Key = Val;

#[derive(Clone, Debug)]
enum Expr {
    /// `.`
    Id,
    /// A number, string, `true`, `false` or `null`.
    Lit(Val),
    /// `$event`, then the keys of a path into it.
    Event(Vec<Key>),
    /// `f.a.b`
    Index(Box<Expr>, Vec<Key>),
    /// `l | r`
    Pipe(Box<Expr>, Box<Expr>),
    /// `l op r`
    Math(Box<Expr>, Math, Box<Expr>),
    /// `-f`
    Neg(Box<Expr>),
    /// `l // r`
    Alt(Box<Expr>, Box<Expr>),
    /// `[f]`, `[]`
    Arr(Option<Box<Expr>>),
    /// `{k: f, ...}`
    Obj(Vec<(Key, Expr)>),
    /// `.a.b = r`
    Assign(Vec<Key>, Box<Expr>),
    /// `.a.b |= f`
    Update(Vec<Key>, Box<Expr>),
    /// `.a.b op= r`
    UpdateMath(Vec<Key>, Math, Box<Expr>),
    /// `del(.a, .b)`: each a single key, deleted in order.
    Del(Vec<Key>),
    /// `round`, `floor`, `ceil`.
    Round(fn(f64) -> f64),
    /// `l == r`, `l < r`, ...
    Cmp(Box<Expr>, ops::Cmp, Box<Expr>),
    /// `l and r` (stopping at `false`), `l or r` (stopping at `true`).
    Logic(Box<Expr>, bool, Box<Expr>),
    /// `not`
    Not,
}

/// The evaluation declined: jaq must answer.
#[derive(Debug)]
pub(crate) struct Decline;

type Eval = Result<Val, Decline>;

impl Direct {
    /// `term` lowered, if all of it is in the subset; `event_bound` says whether `$event` is the one global.
    pub(crate) fn lower(term: &Term<&str>, event_bound: bool) -> Option<Self> {
        let mut lower = Lower {
            terms: 0,
            event_bound,
        };
        let expr = lower.term(term)?;
        let batch = Batch::plan(&expr);
        Some(Self { expr, batch })
    }

    /// `term` lowered as a predicate over events (`search --where`): its input is the event in its JSON
    /// shape, read as `$event` is, so `.data.status` reads one key of the decoded payload and no event value
    /// is built.
    pub(crate) fn lower_over_events(term: &Term<&str>) -> Option<Self> {
        let mut lower = Lower {
            terms: 0,
            event_bound: false,
        };
        let expr = lower.at_event(term)?;
        Some(Self { expr, batch: None })
    }

    /// Whether a predicate lowered by [`Self::lower_over_events`] holds for `event` (its output is neither
    /// `false` nor `null`), or [`Decline`].
    pub(crate) fn matches(&self, event: &Event, budget: &Budget) -> Result<bool, Decline> {
        let meter = meter_for(budget).ok_or(Decline)?;
        let run = Run {
            event: EventRef::Decoded(event),
            meter: &meter,
        };
        // The input is never read: every use of it reads the event instead.
        Ok(truthy(&run.eval(&self.expr, Val::Null)?))
    }

    /// `input` through the program, with `$event` bound to `event`; or, when the evaluation declines, `input`
    /// unchanged, for jaq.
    /// `size` bounds the input's size when known, and is left bounding the output's (see [`SizeBound`]).
    pub(crate) fn run(
        &self,
        input: Val,
        event: EventRef<'_>,
        budget: &Budget,
        size: &mut SizeBound,
    ) -> Result<Val, Val> {
        let known = std::mem::take(size);
        let Some(meter) = meter_for(budget) else {
            return Err(input);
        };
        let run = Run {
            event,
            meter: &meter,
        };
        if let (Some(batch), Val::Obj(_)) = (&self.batch, &input) {
            return batch.run(&run, input, known, size);
        }
        // Evaluated as written, on a copy: jaq needs the input as it was if this declines half-way.
        match run.eval(&self.expr, input.clone()) {
            Ok(output) if convert::check_json(&output).is_ok() => Ok(output),
            _ => Err(input),
        }
    }
}

/// The meter of a direct evaluation under `budget`, or `None` when jaq must run instead: a step budget
/// small enough that jaq could run out of it, or a cancelled evaluation (jaq says so). The clock is not
/// looked at: a program of the subset has no loop or call, so its time is that of the values it touches,
/// which the size budget bounds.
fn meter_for(budget: &Budget) -> Option<Meter> {
    let cancelled = budget
        .cancel
        .as_ref()
        .is_some_and(|cancel| cancel.load(std::sync::atomic::Ordering::Relaxed));
    (budget.steps >= MIN_STEPS && !cancelled).then(|| Meter::new(budget))
}

/// jq's truth: anything but `false` and `null`.
fn truthy(value: &Val) -> bool {
    !matches!(value, Val::Null | Val::Bool(false))
}

struct Lower {
    terms: usize,
    event_bound: bool,
}

impl Lower {
    fn boxed(&mut self, term: &Term<&str>) -> Option<Box<Expr>> {
        self.term(term).map(Box::new)
    }

    fn term(&mut self, term: &Term<&str>) -> Option<Expr> {
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return None;
        }
        Some(match term {
            Term::Id => Expr::Id,
            Term::Num(text) => Expr::Lit(number(text)?),
            Term::Str(None, _) => Expr::Lit(Val::from(string(term)?.to_owned())),
            Term::Call(name, args) if args.is_empty() => match *name {
                "true" => Expr::Lit(Val::Bool(true)),
                "false" => Expr::Lit(Val::Bool(false)),
                "null" => Expr::Lit(Val::Null),
                "round" => Expr::Round(f64::round),
                "floor" => Expr::Round(f64::floor),
                "ceil" => Expr::Round(f64::ceil),
                "not" => Expr::Not,
                _ => return None,
            },
            Term::Call("del", args) => match args.as_slice() {
                [paths] => Expr::Del(self.del_keys(paths)?),
                _ => return None,
            },
            Term::Var(name) if *name == EVENT && self.event_bound => Expr::Event(Vec::new()),
            Term::Path(base, path) => {
                let keys = path_keys(&path.0)?;
                match self.term(base)? {
                    Expr::Event(mut at) => {
                        at.extend(keys);
                        Expr::Event(at)
                    }
                    Expr::Index(base, mut at) => {
                        at.extend(keys);
                        Expr::Index(base, at)
                    }
                    base => Expr::Index(Box::new(base), keys),
                }
            }
            Term::Neg(inner) => Expr::Neg(self.boxed(inner)?),
            Term::Arr(None) => Expr::Arr(None),
            Term::Arr(Some(inner)) => Expr::Arr(Some(self.boxed(inner)?)),
            Term::Obj(entries) => {
                let mut lowered = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    let key = Val::from(string(key)?.to_owned());
                    let value = self.term(value.as_ref()?)?;
                    lowered.push((key, value));
                }
                Expr::Obj(lowered)
            }
            Term::BinOp(l, op, r) => match op {
                BinaryOp::Pipe(None) => Expr::Pipe(self.boxed(l)?, self.boxed(r)?),
                BinaryOp::Math(op) => Expr::Math(self.boxed(l)?, *op, self.boxed(r)?),
                BinaryOp::Alt => Expr::Alt(self.boxed(l)?, self.boxed(r)?),
                BinaryOp::Cmp(op) => Expr::Cmp(self.boxed(l)?, *op, self.boxed(r)?),
                BinaryOp::And => Expr::Logic(self.boxed(l)?, false, self.boxed(r)?),
                BinaryOp::Or => Expr::Logic(self.boxed(l)?, true, self.boxed(r)?),
                BinaryOp::Assign => Expr::Assign(self.target(l)?, self.boxed(r)?),
                BinaryOp::Update => Expr::Update(self.target(l)?, self.boxed(r)?),
                BinaryOp::UpdateMath(op) => Expr::UpdateMath(self.target(l)?, *op, self.boxed(r)?),
                _ => return None,
            },
            _ => return None,
        })
    }

    /// `term` run on an event (see [`Direct::lower_over_events`]): `.` is the event, read as `$event` is.
    fn at_event(&mut self, term: &Term<&str>) -> Option<Expr> {
        let at = |lower: &mut Self, term: &Term<&str>| lower.at_event(term).map(Box::new);
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return None;
        }
        Some(match term {
            Term::Id => Expr::Event(Vec::new()),
            Term::Path(base, path) => {
                let keys = path_keys(&path.0)?;
                match self.at_event(base)? {
                    Expr::Event(mut at) => {
                        at.extend(keys);
                        Expr::Event(at)
                    }
                    base => Expr::Index(Box::new(base), keys),
                }
            }
            Term::BinOp(l, op, r) => match op {
                BinaryOp::Pipe(None) => Expr::Pipe(at(self, l)?, self.boxed(r)?),
                BinaryOp::Math(op) => Expr::Math(at(self, l)?, *op, at(self, r)?),
                BinaryOp::Cmp(op) => Expr::Cmp(at(self, l)?, *op, at(self, r)?),
                BinaryOp::And => Expr::Logic(at(self, l)?, false, at(self, r)?),
                BinaryOp::Or => Expr::Logic(at(self, l)?, true, at(self, r)?),
                BinaryOp::Alt => Expr::Alt(at(self, l)?, at(self, r)?),
                _ => self.on_event(term)?,
            },
            Term::Neg(inner) => Expr::Neg(at(self, inner)?),
            Term::Arr(Some(inner)) => Expr::Arr(Some(at(self, inner)?)),
            Term::Obj(entries) => {
                let mut lowered = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    let key = Val::from(string(key)?.to_owned());
                    lowered.push((key, self.at_event(value.as_ref()?)?));
                }
                Expr::Obj(lowered)
            }
            Term::Num(_) | Term::Str(..) | Term::Arr(None) => self.term(term)?,
            Term::Call(name, args)
                if args.is_empty() && ["true", "false", "null"].contains(name) =>
            {
                self.term(term)?
            }
            _ => self.on_event(term)?,
        })
    }

    /// `term` run on the whole event as `$event` is (what reads its input as a whole: `round`, `del`...).
    fn on_event(&mut self, term: &Term<&str>) -> Option<Expr> {
        Some(Expr::Pipe(
            Box::new(Expr::Event(Vec::new())),
            self.boxed(term)?,
        ))
    }

    /// The keys of a path from `.` that an assignment updates (at least one).
    fn target(&mut self, term: &Term<&str>) -> Option<Vec<Key>> {
        self.terms += 1;
        match term {
            Term::Path(base, path) if matches!(**base, Term::Id) => {
                Some(path_keys(&path.0)?).filter(|keys| !keys.is_empty())
            }
            _ => None,
        }
    }

    /// The single keys `del` is given: `.a` or `.a, .b, ...`.
    fn del_keys(&mut self, term: &Term<&str>) -> Option<Vec<Key>> {
        match term {
            Term::BinOp(l, BinaryOp::Comma, r) => {
                let mut keys = self.del_keys(l)?;
                keys.extend(self.del_keys(r)?);
                Some(keys)
            }
            term => Some(self.target(term)?).filter(|keys| keys.len() == 1),
        }
    }
}

/// A number literal as jaq's compiler makes it: an integer if it fits, else its decimal text.
fn number(text: &str) -> Option<Val> {
    match text.parse::<isize>() {
        Ok(int) => Some(Val::from(int)),
        Err(_) => Val::from_num(text).ok(),
    }
}

/// The text of a string literal without escapes or interpolation.
fn string<'t>(term: &Term<&'t str>) -> Option<&'t str> {
    match term {
        Term::Str(None, parts) => match parts.as_slice() {
            [StrPart::Str(text)] => Some(text),
            [] => Some(""),
            _ => None,
        },
        _ => None,
    }
}

/// The keys of a path of essential string indices (`.a."b"`), none optional.
fn path_keys(parts: &[(Part<Term<&str>>, Opt)]) -> Option<Vec<Key>> {
    parts
        .iter()
        .map(|(part, opt)| match (part, opt) {
            (Part::Index(key), Opt::Essential) => Some(Val::from(string(key)?.to_owned())),
            _ => None,
        })
        .collect()
}

/// The text of a key made by [`path_keys`].
fn key_text(key: &Key) -> &str {
    match key {
        Val::TStr(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
        _ => "",
    }
}

/// One evaluation.
struct Run<'r> {
    event: EventRef<'r>,
    meter: &'r Meter,
}

impl Run<'_> {
    fn count(&self, value: &Val) -> Result<(), Decline> {
        self.meter.count(value).map_err(|_| Decline)
    }

    fn eval(&self, expr: &Expr, input: Val) -> Eval {
        match expr {
            Expr::Id => Ok(input),
            Expr::Lit(value) => Ok(value.clone()),
            Expr::Event(path) => self.event_at(path),
            Expr::Index(base, keys) => {
                let mut value = self.eval(base, input)?;
                for key in keys {
                    value = index(value, key)?;
                }
                Ok(value)
            }
            Expr::Pipe(l, r) => {
                let middle = self.eval(l, input)?;
                self.eval(r, middle)
            }
            Expr::Math(l, op, r) => {
                let right = self.eval(r, input.clone())?;
                let left = self.eval(l, input)?;
                self.math(left, *op, right)
            }
            Expr::Neg(inner) => (-self.eval(inner, input)?).map_err(|_| Decline),
            Expr::Alt(l, r) => {
                let left = self.eval(l, input.clone())?;
                if matches!(left, Val::Null | Val::Bool(false)) {
                    self.eval(r, input)
                } else {
                    Ok(left)
                }
            }
            Expr::Arr(None) => Ok(Val::Arr(Default::default())),
            Expr::Arr(Some(inner)) => {
                let item = self.eval(inner, input)?;
                self.count(&item)?;
                Ok([item].into_iter().collect())
            }
            Expr::Obj(entries) => {
                let mut map = ValMap::with_capacity_and_hasher(entries.len(), Default::default());
                for (key, value) in entries {
                    let value = self.eval(value, input.clone())?;
                    self.count(&value)?;
                    map.insert(key.clone(), value);
                }
                Ok(Val::obj(map))
            }
            Expr::Assign(keys, r) => {
                let value = self.eval(r, input.clone())?;
                self.count(&value)?;
                update(input, keys, &mut |_| Ok(value.clone()))
            }
            Expr::Update(keys, f) => update(input, keys, &mut |old| {
                let new = self.eval(f, old)?;
                self.count(&new)?;
                Ok(new)
            }),
            Expr::UpdateMath(keys, op, r) => {
                let right = self.eval(r, input.clone())?;
                update(input, keys, &mut |old| {
                    let new = self.math(old, *op, right.clone())?;
                    self.count(&new)?;
                    Ok(new)
                })
            }
            Expr::Del(keys) => {
                let mut value = input;
                for key in keys {
                    value = delete(value, key)?;
                }
                Ok(value)
            }
            Expr::Round(f) => round(input, *f),
            Expr::Cmp(l, op, r) => {
                let right = self.eval(r, input.clone())?;
                let left = self.eval(l, input)?;
                Ok(Val::Bool(op.run(&left, &right)))
            }
            Expr::Logic(l, stop, r) => {
                if truthy(&self.eval(l, input.clone())?) == *stop {
                    Ok(Val::Bool(*stop))
                } else {
                    Ok(Val::Bool(truthy(&self.eval(r, input)?)))
                }
            }
            Expr::Not => Ok(Val::Bool(!truthy(&input))),
        }
    }

    /// `left op right` as jaq computes it; a product other than of two numbers or two objects (a string
    /// repeated, which jaq sizes up first) declines.
    fn math(&self, left: Val, op: Math, right: Val) -> Eval {
        match op {
            Math::Add => self.count(&right)?,
            Math::Mul
                if !matches!(
                    (&left, &right),
                    (Val::Num(_), Val::Num(_)) | (Val::Obj(_), Val::Obj(_))
                ) =>
            {
                return Err(Decline);
            }
            _ => {}
        }
        ops::Math::run(&op, left, right).map_err(|_| Decline)
    }

    /// `$event` followed by `path`, reading only what it names: a payload's key is looked up in the decoded
    /// JSON, and only the value found becomes jaq's; or, of an event row, in its payload's value.
    fn event_at(&self, path: &[Key]) -> Eval {
        let event = match self.event {
            EventRef::Decoded(event) => event,
            EventRef::Row(row) => {
                // A program reading `$event` whole is never fed rows.
                let (field, rest) = path.split_first().ok_or(Decline)?;
                let value = row.field(key_text(field)).ok_or(Decline)?;
                return rest.iter().try_fold(value, index);
            }
        };
        let Some((field, rest)) = path.split_first() else {
            return Ok(convert::event_val(event));
        };
        let field = key_text(field);
        if let (Some(Payload::Json(data)), "data") = (Some(&event.data), field) {
            let mut value = data;
            for key in rest {
                value = match value {
                    Value::Object(fields) => match fields.get(key_text(key)) {
                        Some(value) => value,
                        None => return Ok(Val::Null),
                    },
                    Value::Null => return Ok(Val::Null),
                    _ => return Err(Decline),
                };
            }
            return Ok(convert::to_val(value));
        }
        let value = event_field(event, field, None).unwrap_or(Val::Null);
        rest.iter().try_fold(value, index)
    }
}

/// `value.key`: `null` on `null`, the value or `null` on an object, and declined on anything else.
fn index(value: Val, key: &Key) -> Eval {
    match value {
        Val::Null => Ok(Val::Null),
        Val::Obj(fields) => Ok(fields.get(key).cloned().unwrap_or(Val::Null)),
        _ => Err(Decline),
    }
}

/// `value | .k1.k2... |= f` as jaq updates a path: each level must be an object (jaq fails on anything
/// else, `null` included), the value in place is replaced where it was, a new key goes last; a missing
/// intermediate object declines.
fn update(value: Val, keys: &[Key], f: &mut dyn FnMut(Val) -> Eval) -> Eval {
    let Some((key, rest)) = keys.split_first() else {
        return f(value);
    };
    let Val::Obj(mut fields) = value else {
        return Err(Decline);
    };
    let map = jaq_json::Rc::make_mut(&mut fields);
    match map.get_mut(key) {
        Some(slot) => {
            let old = std::mem::take(slot);
            *slot = update(old, rest, f)?;
        }
        None if rest.is_empty() => {
            let new = f(Val::Null)?;
            map.insert(key.clone(), new);
        }
        None => return Err(Decline),
    }
    Ok(Val::Obj(fields))
}

/// `del(.key)` as jaq does it (`.key |= empty`): the key swap-removed from an object; anything else
/// declines.
fn delete(value: Val, key: &Key) -> Eval {
    let Val::Obj(mut fields) = value else {
        return Err(Decline);
    };
    if fields.contains_key(key) {
        jaq_json::Rc::make_mut(&mut fields).swap_remove(key);
    }
    Ok(Val::Obj(fields))
}

/// jaq's `round`, `floor` and `ceil`: an integer is itself, a finite number within the machine's integers
/// becomes one; anything else declines.
fn round(value: Val, f: fn(f64) -> f64) -> Eval {
    use jaq_std::ValT as _;
    if value.is_int() {
        return Ok(value);
    }
    let Val::Num(_) = value else {
        return Err(Decline);
    };
    let rounded = f(value.as_f64().ok_or(Decline)?);
    if rounded.is_finite() && isize::MIN as f64 <= rounded && rounded <= isize::MAX as f64 {
        #[allow(clippy::cast_possible_truncation)]
        Ok(Val::from(rounded as isize))
    } else {
        Err(Decline)
    }
}

mod batch;
#[cfg(test)]
mod tests;
