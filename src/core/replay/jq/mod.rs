//! Every jq program of the app (reducers, search predicates, the GUI's live reducer editor) is compiled and
//! run here, and only here, because the programs come from files someone else may have written: a hostile or
//! careless one must end with an error, never hang, exhaust memory, overflow the stack or read the
//! environment.
//!
//! - [`compile`] refuses a text longer than [`MAX_SOURCE_BYTES`] or nested deeper than [`MAX_NESTING`] before
//!   jaq's recursive lexer and parser see it, parses it on a thread of its own with a large stack, refuses a
//!   program deeper than [`MAX_PROGRAM_DEPTH`], and rewrites it (and jaq's standard library) so the budget is
//!   counted (see `rewrite`). `env` is an empty object and `$ENV` is bound to one.
//! - [`Program::run_one`] and [`Program::matches`] run it on one input under a [`Budget`] (steps, time,
//!   stack, value size and depth, cancel; see `budget`), stopping at the second output of a reducer rather
//!   than counting them all.

mod budget;
mod convert;
mod direct;
mod natives;
mod rewrite;
#[cfg(test)]
mod tests;
mod text;

use std::panic::AssertUnwindSafe;
use std::sync::OnceLock;

use jaq_core::load::lex::Lexer;
use jaq_core::load::parse::{Def, Parser, Term};
use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars};
use jaq_json::Val;
use serde_json::Value;

use crate::core::model::Event;

pub use budget::{
    Budget, BudgetSetting, DEFAULT_STEPS, DEFAULT_TIMEOUT_MS, Limit, MAX_BUILT, MAX_HELD_BYTES,
    MAX_STACK_BYTES, MAX_VALUE_DEPTH, MAX_VALUE_SIZE,
};
pub use rewrite::{MAX_BINDINGS, MAX_NESTING, MAX_PROGRAM_DEPTH, MAX_SOURCE_BYTES};

pub(crate) use budget::SizeBound;
use budget::{EVAL_STACK_BYTES, EVAL_STACK_RED_ZONE, Meter};
use convert::OutError;
pub use convert::{
    EventReads, event_fields_read, event_reads, event_val, event_val_of, event_val_reading,
    to_json, to_val, val_pointer,
};
pub(crate) use convert::{EventRef, RowEvent, row_supplies};
use natives::{Env, Metered};
pub(crate) use text::payload_data_val;

/// Stack of the thread that parses and compiles: jaq's parser and compiler recurse once per level of the
/// program, and a 64 KiB program can have tens of thousands of levels of operators (`.|.|.|...`).
const COMPILE_STACK_BYTES: usize = 256 * 1024 * 1024;

/// The definition the user's program becomes; the main program only calls it.
const MAIN: &str = "eventscope_main";

/// Why a jq program did not compile or did not give a value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JqError {
    #[error("the program is {len} bytes long; the limit is {MAX_SOURCE_BYTES}")]
    TooLong { len: usize },
    #[error("the program nests {depth} levels deep; the limit is {limit}")]
    TooDeep { depth: usize, limit: usize },
    #[error(
        "the program binds {count} arguments or pattern variables at once; the limit is {MAX_BINDINGS}"
    )]
    TooWide { count: usize },
    #[error("syntax error: {0}")]
    Syntax(String),
    #[error("cannot compile: {0}")]
    Compile(String),
    #[error("gave no output")]
    NoOutput,
    #[error("gave more than one output")]
    SeveralOutputs,
    #[error("failed: {0}")]
    Runtime(String),
    #[error(transparent)]
    Budget(#[from] Limit),
    #[error("the result is not JSON: {0}")]
    NotJson(String),
}

impl JqError {
    /// The budget limit the evaluation went past, if that is why it failed.
    pub fn limit(&self) -> Option<Limit> {
        match self {
            Self::Budget(limit) => Some(*limit),
            _ => None,
        }
    }
}

impl From<OutError> for JqError {
    fn from(err: OutError) -> Self {
        match err {
            OutError::Limit(limit) => Self::Budget(limit),
            OutError::NotJson(what) => Self::NotJson(what),
        }
    }
}

/// A compiled program, shareable between threads.
pub struct Program {
    filter: jaq_core::Filter<Metered>,
    globals: usize,
    /// The program evaluated without jaq, when all of it is in `direct`'s subset.
    direct: Option<direct::Direct>,
    /// The same as a predicate over events (see [`Program::matches_event`]), for a program without globals.
    over_events: Option<direct::Direct>,
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Program")
            .field("globals", &self.globals)
            .field("direct", &self.direct.is_some())
            .finish_non_exhaustive()
    }
}

/// Compile `source`, in which the variables `globals` (such as `$event`) are defined; [`Program::run_one`]
/// takes their values in the same order.
pub fn compile(source: &str, globals: &[&str]) -> Result<Program, JqError> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(JqError::TooLong { len: source.len() });
    }
    let nesting = rewrite::nesting(source);
    if nesting > MAX_NESTING {
        return Err(JqError::TooDeep {
            depth: nesting,
            limit: MAX_NESTING,
        });
    }
    let source = source.to_owned();
    let names: Vec<String> = globals.iter().map(|g| (*g).to_owned()).collect();
    let compiler = std::thread::Builder::new()
        .name("eventscope-jq-compile".to_owned())
        .stack_size(COMPILE_STACK_BYTES)
        .spawn(move || compile_here(&source, &names))
        .map_err(|e| JqError::Compile(format!("could not start the compiler thread: {e}")))?;
    let (filter, direct, over_events) = compiler
        .join()
        .map_err(|_| JqError::Compile("jaq's compiler panicked".to_owned()))??;
    Ok(Program {
        filter,
        globals: globals.len(),
        direct,
        over_events,
    })
}

/// jaq's standard library, rewritten once.
fn std_defs() -> &'static [Def<&'static str>] {
    static DEFS: OnceLock<Vec<Def<&'static str>>> = OnceLock::new();
    DEFS.get_or_init(|| {
        jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs())
            .map(rewrite::def)
            .collect()
    })
}

/// The compiled program, and its direct forms when it has them: as written, and over events.
type Compiled = (
    jaq_core::Filter<Metered>,
    Option<direct::Direct>,
    Option<direct::Direct>,
);

fn compile_here(source: &str, globals: &[String]) -> Result<Compiled, JqError> {
    let tokens = Lexer::new(source).lex().map_err(|errors| {
        let parts: Vec<String> = errors
            .iter()
            .map(|(expected, found)| {
                format!(
                    "expected {} at byte {}",
                    expected.as_str(),
                    jaq_core::load::span(source, found).start
                )
            })
            .collect();
        JqError::Syntax(parts.join("; "))
    })?;
    let term: Term<&str> = Parser::new(&tokens).parse(|p| p.term()).map_err(|errors| {
        let parts: Vec<String> = errors
            .iter()
            .map(|(expected, found)| match found {
                Some(token) => format!(
                    "expected {} but found `{}` at byte {}",
                    expected.as_str(),
                    token.as_str(),
                    jaq_core::load::span(source, token.as_str()).start
                ),
                None => format!("expected {} at the end", expected.as_str()),
            })
            .collect();
        JqError::Syntax(parts.join("; "))
    })?;
    let depth = rewrite::depth(&term);
    if depth > MAX_PROGRAM_DEPTH {
        return Err(JqError::TooDeep {
            depth,
            limit: MAX_PROGRAM_DEPTH,
        });
    }
    let count = rewrite::bindings(&term);
    if count > MAX_BINDINGS {
        return Err(JqError::TooWide { count });
    }
    let direct = direct::Direct::lower(&term, globals == ["$event"]);
    let over_events = globals
        .is_empty()
        .then(|| direct::Direct::lower_over_events(&term))
        .flatten();
    let main = rewrite::def(Def {
        name: MAIN,
        args: Vec::new(),
        body: term,
    });
    let prelude = std_defs().iter().cloned().map(shorten).chain([main]);
    let arena = Arena::default();
    let modules = Loader::new(prelude)
        .load(
            &arena,
            File {
                code: MAIN,
                path: (),
            },
        )
        .map_err(|errors| JqError::Syntax(format!("{errors:?}")))?;
    let names = globals.iter().map(String::as_str).chain(["$ENV"]);
    let filter = Compiler::default()
        .with_funs(natives::all())
        .with_global_vars(names)
        .compile(modules)
        .map_err(|errors| {
            let parts: Vec<String> = errors
                .iter()
                .flat_map(|(_, errs)| {
                    errs.iter().map(|(name, undefined)| match undefined {
                        jaq_core::compile::Undefined::Filter(arity) => {
                            format!("undefined filter {name}/{arity}")
                        }
                        other => format!("undefined {} {name}", other.as_str()),
                    })
                })
                .collect();
            JqError::Compile(parts.join("; "))
        })?;
    Ok((filter, direct, over_events))
}

/// A `'static` definition as one of the program's (the same value: definitions are covariant).
fn shorten<'s>(def: Def<&'static str>) -> Def<&'s str> {
    def
}

impl Program {
    /// Run on `input` with the globals bound to `vars`, and take the outputs with `take`, which sees them
    /// one by one. The budget's verdict overrides whatever `take` made of them: a program that caught its
    /// own budget error still fails with it.
    fn run<T>(
        &self,
        input: Val,
        vars: Vec<Val>,
        budget: &Budget,
        take: impl FnOnce(&mut dyn Iterator<Item = Result<Val, JqError>>) -> Result<T, JqError>,
    ) -> Result<T, JqError> {
        debug_assert_eq!(vars.len(), self.globals, "one value per global");
        stacker::maybe_grow(EVAL_STACK_RED_ZONE, EVAL_STACK_BYTES, || {
            self.run_here(input, vars, budget, take)
        })
    }

    /// [`Self::run`] on the current stack, which has enough room left.
    fn run_here<T>(
        &self,
        input: Val,
        mut vars: Vec<Val>,
        budget: &Budget,
        take: impl FnOnce(&mut dyn Iterator<Item = Result<Val, JqError>>) -> Result<T, JqError>,
    ) -> Result<T, JqError> {
        let meter = Meter::new(budget);
        // jaq should not panic, but a panic here must not take the window (or the worker thread) down.
        let taken = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let env = Env {
                lut: &self.filter.lut,
                meter: &meter,
            };
            // `$ENV`.
            vars.push(Val::obj(Default::default()));
            meter.start_memory();
            let ctx = Ctx::<Metered>::new(env, Vars::new(vars));
            let mut outputs = self.filter.id.run((ctx, input)).map(|output| {
                output.map_err(|exn| match exn.get_err() {
                    Ok(error) => JqError::Runtime(error.to_string()),
                    Err(_) => JqError::Runtime("stopped the program".to_owned()),
                })
            });
            take(&mut outputs)
        }))
        .unwrap_or_else(|_| Err(JqError::Runtime("jaq panicked".to_owned())));
        match meter.exceeded() {
            Some(limit) => Err(JqError::Budget(limit)),
            None => taken,
        }
    }

    /// The single output on `input` as JSON: an error if there is none, or a second one (the rest are never
    /// computed), or a limit was exceeded.
    pub fn run_one(
        &self,
        input: &Value,
        vars: &[&Value],
        budget: &Budget,
    ) -> Result<Value, JqError> {
        let output = self.run_one_val(
            convert::to_val(input),
            vars.iter().map(|v| convert::to_val(v)).collect(),
            budget,
        )?;
        Ok(convert::from_val(&output)?)
    }

    /// [`Self::run_one`] on jaq's values: the output is checked to be a JSON value within the size budget
    /// (so [`to_json`] cannot fail on it), but not converted, for a caller that feeds it to the next run.
    pub fn run_one_val(&self, input: Val, vars: Vec<Val>, budget: &Budget) -> Result<Val, JqError> {
        self.run(input, vars, budget, |outputs| {
            let first = outputs.next().ok_or(JqError::NoOutput)??;
            if outputs.next().is_some() {
                return Err(JqError::SeveralOutputs);
            }
            convert::check_json(&first)?;
            Ok(first)
        })
    }

    /// A reducer's step: [`Self::run_one_val`] on `input` with `$event` (the one global) bound to `event`.
    /// A program of the direct subset is evaluated without jaq, reading only what it names of the event;
    /// when it declines (see `direct`), or for any other program, jaq runs it with `$event` built by
    /// `event_val`. The result is the same either way.
    pub fn run_on_event(
        &self,
        input: Val,
        event: &Event,
        event_val: impl FnOnce() -> Val,
        budget: &Budget,
    ) -> Result<Val, JqError> {
        self.run_on_event_sized(
            input,
            EventRef::Decoded(event),
            event_val,
            budget,
            &mut SizeBound::default(),
        )
    }

    /// [`Self::run_on_event`] for a fold that keeps a bound on its state's size between events (see
    /// [`SizeBound`]): given for `input`, left for the output (unknown when jaq ran). `event` may be an
    /// event's row; `event_val` must then give its `$event` ([`RowEvent::val`]).
    pub(crate) fn run_on_event_sized(
        &self,
        input: Val,
        event: EventRef<'_>,
        event_val: impl FnOnce() -> Val,
        budget: &Budget,
        size: &mut SizeBound,
    ) -> Result<Val, JqError> {
        let input = match &self.direct {
            Some(direct) => match direct.run(input, event, budget, size) {
                Ok(output) => return Ok(output),
                Err(input) => input,
            },
            None => input,
        };
        *size = SizeBound::default();
        self.run_one_val(input, vec![event_val()], budget)
    }

    /// [`Self::matches_val`] on `event` in its JSON shape (a search predicate): a program of the direct
    /// subset reads only what it names of the event, with no event value built; when it declines, or for
    /// any other program, jaq runs it on [`event_val`]. The answer is the same either way.
    pub fn matches_event(&self, event: &Event, budget: &Budget) -> Result<bool, JqError> {
        if let Some(direct) = &self.over_events
            && let Ok(matched) = direct.matches(event, budget)
        {
            return Ok(matched);
        }
        self.matches_val(event_val(event), Vec::new(), budget)
    }

    /// Whether the program is evaluated without jaq when it can be (see [`Self::run_on_event`]).
    pub fn is_direct(&self) -> bool {
        self.direct.is_some()
    }

    /// Whether some output on `input` is neither `false` nor `null` (jq's `select`); the outputs after the
    /// first such one are not computed. The first error ends the run.
    pub fn matches(
        &self,
        input: &Value,
        vars: &[&Value],
        budget: &Budget,
    ) -> Result<bool, JqError> {
        let vars = vars.iter().map(|v| convert::to_val(v)).collect();
        self.matches_val(convert::to_val(input), vars, budget)
    }

    /// [`Self::matches`] on jaq's values.
    pub fn matches_val(
        &self,
        input: Val,
        vars: Vec<Val>,
        budget: &Budget,
    ) -> Result<bool, JqError> {
        self.run(input, vars, budget, |outputs| {
            for output in outputs {
                if !matches!(output?, Val::Null | Val::Bool(false)) {
                    return Ok(true);
                }
            }
            Ok(false)
        })
    }
}
