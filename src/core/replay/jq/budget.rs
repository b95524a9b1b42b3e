//! What one jq evaluation may spend, and the meter that enforces it.
//!
//! A reducer or predicate comes from a file someone else may have written, so every evaluation runs under a
//! [`Budget`]: a number of steps (each call of a `def`, each `reduce`/`foreach` update, each `range` output,
//! each element collected by `[...]`), a wall-clock time, an optional cancel flag, a stack depth for jaq's
//! recursion, and a size for what it builds. The [`Meter`] is created per evaluation and reached by the
//! natives the program was rewritten to call (see `rewrite`). Once a limit is exceeded the meter stays
//! exceeded: every later step fails at once, so `try ... catch` cannot loop around it, and the evaluation
//! reports the limit whatever the program caught.
//!
//! Size is counted where a program adds to a value rather than by measuring every result (which made
//! `reduce ... (.; . + [$x])` quadratic): each element collected into an array, each value put into an object
//! or at a path (`=`, `|=`, `+=`...), each right operand of `+`, each product of `*`, each value interpolated
//! into a string and each output of the natives that build (`tojson`, `explode`, `sort`...) is measured once
//! and added to what the evaluation built. A value can only be larger than its inputs by what was added, so
//! every value stays within the inputs' size plus [`MAX_BUILT`], shared parts counted every time they appear:
//! printing, comparing or sorting one is bounded too.

use std::cell::Cell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use jaq_json::{Num, Val};

use crate::core::memory;

/// Steps one evaluation (one event) may take unless told otherwise (`--jq-steps`).
pub const DEFAULT_STEPS: u64 = 1_000_000;
/// Wall-clock time one evaluation may take unless told otherwise (`--jq-timeout-ms`).
pub const DEFAULT_TIMEOUT_MS: u64 = 5_000;
/// Stack that jaq's recursion may use below the point where the evaluation started, checked at every step.
/// An evaluation starts with at least [`EVAL_STACK_RED_ZONE`] of stack left (on a stack of its own if the
/// caller's thread has less), so the frames between two steps (a few levels of the program, see
/// `rewrite::TICK_EVERY`) and natives walking a value (at most [`MAX_VALUE_DEPTH`] levels) always fit.
pub const MAX_STACK_BYTES: usize = 1024 * 1024;
/// Stack an evaluation needs left when it starts: the recursion budget and room for what runs between two
/// steps. Rust's default 2 MiB threads have it, unless called from deep inside.
pub(crate) const EVAL_STACK_RED_ZONE: usize = MAX_STACK_BYTES + 512 * 1024;
/// Size of the stack an evaluation gets when its caller has less than [`EVAL_STACK_RED_ZONE`] left.
pub(crate) const EVAL_STACK_BYTES: usize = 2 * EVAL_STACK_RED_ZONE;
/// Size of a result: one unit per value (every array element, object key and value counted each time it
/// appears, also when jaq shares it) plus one per byte of its strings and big numbers. About the size of its
/// JSON text.
pub const MAX_VALUE_SIZE: u64 = 16 * 1024 * 1024;
/// What one evaluation may add to values, in the units of [`MAX_VALUE_SIZE`] (see the module doc).
pub const MAX_BUILT: u64 = 4 * MAX_VALUE_SIZE;
/// Memory one evaluation may hold beyond its inputs: the bytes its thread allocated less those it freed
/// (see `core::memory`). This catches copies the size budget does not count, such as a recursion that
/// appends to a 16 MB string at every level.
pub const MAX_HELD_BYTES: u64 = 1024 * 1024 * 1024;
/// Nesting depth of a value; serde_json refuses deeper JSON text too.
pub const MAX_VALUE_DEPTH: usize = 128;
/// Steps between two looks at the clock and the cancel flag.
const CLOCK_EVERY: u64 = 1_024;

/// The limits of one evaluation.
#[derive(Clone, Debug)]
pub struct Budget {
    /// Steps: calls of definitions (`map`, `select`, the user's own), `reduce`/`foreach` updates, `range`
    /// outputs and elements collected by `[...]`.
    pub steps: u64,
    /// Wall-clock time.
    pub time: Duration,
    /// Set from another thread to stop the evaluation at its next look at the clock (a superseded search).
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            steps: DEFAULT_STEPS,
            time: Duration::from_millis(DEFAULT_TIMEOUT_MS),
            cancel: None,
        }
    }
}

impl Budget {
    /// The default budget with `steps` and `timeout_ms` where given.
    pub fn with(steps: Option<u64>, timeout_ms: Option<u64>) -> Self {
        let default = Self::default();
        Self {
            steps: steps.unwrap_or(default.steps),
            time: timeout_ms.map_or(default.time, Duration::from_millis),
            cancel: None,
        }
    }
}

/// Which limit an evaluation went past. The message does not say how to raise it: that depends on where
/// it is shown (a flag on the command line, a setting in the window), so whoever shows it adds that, from
/// [`Limit::setting`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Limit {
    #[error("exceeded the step budget of {0} steps")]
    Steps(u64),
    #[error("exceeded the time budget of {} ms", .0.as_millis())]
    Time(Duration),
    #[error("exceeded the depth budget: recursion used more than {} KiB of stack", MAX_STACK_BYTES / 1024)]
    Stack,
    #[error(
        "exceeded the size budget: built a value larger than {MAX_VALUE_SIZE} units (values plus string bytes)"
    )]
    Size,
    #[error(
        "exceeded the size budget: built more than {MAX_BUILT} units of values (values plus string bytes)"
    )]
    Built,
    #[error("exceeded the depth budget: built a value nested deeper than {MAX_VALUE_DEPTH} levels")]
    Depth,
    #[error("exceeded the memory budget: held more than {} MiB while running", MAX_HELD_BYTES >> 20)]
    Memory,
    #[error("cancelled")]
    Cancelled,
}

/// A part of the [`Budget`] the user chooses; the others are fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BudgetSetting {
    /// [`Budget::steps`].
    Steps,
    /// [`Budget::time`].
    Time,
}

impl Limit {
    /// The setting that raises this limit; `None` for the fixed ones and a cancel.
    pub fn setting(self) -> Option<BudgetSetting> {
        match self {
            Self::Steps(_) => Some(BudgetSetting::Steps),
            Self::Time(_) => Some(BudgetSetting::Time),
            Self::Stack
            | Self::Size
            | Self::Built
            | Self::Depth
            | Self::Memory
            | Self::Cancelled => None,
        }
    }
}

/// The running account of one evaluation; see the module doc.
pub(crate) struct Meter {
    steps_left: Cell<u64>,
    steps: u64,
    started: Instant,
    time: Duration,
    cancel: Option<Arc<AtomicBool>>,
    /// Address of a local of the frame that started the evaluation.
    stack_base: usize,
    built: Cell<u64>,
    /// The thread's allocation count when the evaluation's inputs were ready (see `core::memory`).
    memory_base: Cell<i64>,
    exceeded: Cell<Option<Limit>>,
}

/// The address of a local of the caller's frame: how deep the stack is now (it grows down on every platform
/// we build for).
#[inline(always)]
pub(crate) fn stack_address() -> usize {
    let marker = 0_u8;
    std::ptr::from_ref(std::hint::black_box(&marker)).addr()
}

impl Meter {
    pub(crate) fn new(budget: &Budget) -> Self {
        Self {
            steps_left: Cell::new(budget.steps),
            steps: budget.steps,
            started: Instant::now(),
            time: budget.time,
            cancel: budget.cancel.clone(),
            stack_base: stack_address(),
            built: Cell::new(0),
            memory_base: Cell::new(memory::thread_net_bytes()),
            exceeded: Cell::new(None),
        }
    }

    /// The limit exceeded so far, if any.
    pub(crate) fn exceeded(&self) -> Option<Limit> {
        self.exceeded.get()
    }

    /// Record `limit` as exceeded, for good, and return it.
    pub(crate) fn exceed(&self, limit: Limit) -> Limit {
        self.exceeded.set(Some(limit));
        limit
    }

    /// Count memory from here on: the inputs converted before this point are not the program's doing.
    pub(crate) fn start_memory(&self) {
        self.memory_base.set(memory::thread_net_bytes());
    }

    /// Fails when the evaluation holds more than [`MAX_HELD_BYTES`] beyond its inputs.
    #[inline]
    fn check_memory(&self) -> Result<(), Limit> {
        let held = memory::thread_net_bytes().saturating_sub(self.memory_base.get());
        if u64::try_from(held).is_ok_and(|held| held > MAX_HELD_BYTES) {
            return Err(self.exceed(Limit::Memory));
        }
        Ok(())
    }

    /// One step: fails when a limit is (or was) exceeded.
    #[inline]
    pub(crate) fn tick(&self) -> Result<(), Limit> {
        if let Some(limit) = self.exceeded.get() {
            return Err(limit);
        }
        let left = self.steps_left.get();
        if left == 0 {
            return Err(self.exceed(Limit::Steps(self.steps)));
        }
        self.steps_left.set(left - 1);
        if self.stack_base.saturating_sub(stack_address()) > MAX_STACK_BYTES {
            return Err(self.exceed(Limit::Stack));
        }
        self.check_memory()?;
        if left.is_multiple_of(CLOCK_EVERY) {
            self.look_at_clock()?;
        }
        Ok(())
    }

    /// Fails when the time is up or the evaluation was cancelled.
    pub(crate) fn look_at_clock(&self) -> Result<(), Limit> {
        if self
            .cancel
            .as_ref()
            .is_some_and(|cancel| cancel.load(Ordering::Relaxed))
        {
            return Err(self.exceed(Limit::Cancelled));
        }
        if self.started.elapsed() > self.time {
            return Err(self.exceed(Limit::Time(self.time)));
        }
        Ok(())
    }

    /// `units` added to what the evaluation built.
    pub(crate) fn add(&self, units: u64) -> Result<(), Limit> {
        if let Some(limit) = self.exceeded.get() {
            return Err(limit);
        }
        let built = self.built.get().saturating_add(units);
        self.built.set(built);
        if built > MAX_BUILT {
            return Err(self.exceed(Limit::Built));
        }
        self.check_memory()
    }

    /// `value` added to what the evaluation built (see the module doc); refused if nested too deep.
    pub(crate) fn count(&self, value: &Val) -> Result<(), Limit> {
        if let Some(limit) = self.exceeded.get() {
            return Err(limit);
        }
        let left = MAX_BUILT.saturating_sub(self.built.get());
        match measure(value, left) {
            Ok(size) => self.add(size),
            Err(Limit::Size) => Err(self.exceed(Limit::Built)),
            Err(limit) => Err(self.exceed(limit)),
        }
    }
}

/// Size units of a scalar (see [`MAX_VALUE_SIZE`]).
pub(crate) fn scalar_size(value: &Val) -> u64 {
    let bytes = match value {
        Val::TStr(b) | Val::BStr(b) => b.len(),
        Val::Num(Num::Dec(text)) => text.len(),
        Val::Num(Num::BigInt(int)) => usize::try_from(int.bits() / 8).unwrap_or(usize::MAX),
        _ => 0,
    };
    1 + u64::try_from(bytes).unwrap_or(u64::MAX)
}

/// The size of `value` in units (see [`MAX_VALUE_SIZE`]), or the limit it goes past: larger than `max_size`,
/// or nested deeper than [`MAX_VALUE_DEPTH`]. Shared parts count every time they appear, as they would in
/// the JSON text, so a value made by doubling (`[., .]` forty times) is refused long before printing it
/// would run out of memory. Walks without recursion and stops as soon as a limit is passed, so it costs at
/// most `max_size` visits.
pub(crate) fn measure(value: &Val, max_size: u64) -> Result<u64, Limit> {
    measure_at(value, max_size, 0)
}

/// A bound on the size of a fold's state (in the units of [`MAX_VALUE_SIZE`]) kept between events, so a
/// reducer that writes a few keys per event does not measure the whole state at every event: after writes the
/// state is at most its size before them plus what they added. `None` until measured, and again whenever the
/// state changed in a way not counted (jaq ran).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SizeBound(pub(crate) Option<u64>);

/// [`measure`] of a value that is to be put `depth` levels down in another.
pub(crate) fn measure_at(value: &Val, max_size: u64, depth: usize) -> Result<u64, Limit> {
    let mut size = 0_u64;
    let mut pending: Vec<(&Val, usize)> = Vec::new();
    let mut next = Some((value, depth));
    while let Some((value, depth)) = next.take().or_else(|| pending.pop()) {
        if depth > MAX_VALUE_DEPTH {
            return Err(Limit::Depth);
        }
        size = size.saturating_add(scalar_size(value));
        if size > max_size {
            return Err(Limit::Size);
        }
        match value {
            Val::Arr(items) => pending.extend(items.iter().map(|item| (item, depth + 1))),
            Val::Obj(fields) => {
                for (key, item) in fields.iter() {
                    size = size.saturating_add(scalar_size(key));
                    pending.push((item, depth + 1));
                }
            }
            _ => {}
        }
    }
    Ok(size)
}
