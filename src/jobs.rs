//! The one way Eventscope runs slow work off the UI thread: the stream worker, the explorer, the audit jobs,
//! the integrity check and the mapping editor's reads are all [`Jobs`].
//!
//! The UI thread keeps a [`Jobs`] handle and submits work with a kind. A new job cancels the jobs it
//! supersedes ([`JobKind::supersedes`]: by default the older ones of its own kind), finished or not. The
//! work gets a [`Task`]: a cancel flag that store queries watch ([`Task::cancel_check`] for
//! `Store::set_cancel`) and jq reducers watch (`Reducer::stopped_by(task.cancel_flag())`), and a way to send
//! messages (progress, results) back. The UI takes answers with [`Jobs::try_recv`] each frame; only answers
//! of jobs neither superseded nor cancelled come out, so a late answer of an older job is dropped here and
//! never reaches the caller. A job that panics answers [`Panicked`] instead of leaving the UI waiting.
//! `notify` (the UI's "repaint now") is called after every message.
//!
//! Jobs run one of two ways:
//! - [`Jobs::on_thread`]: one named thread owns a context (the stream worker's `Store`, the explorer's
//!   connection) and runs the jobs in the order submitted; a job cancelled before it starts is skipped.
//! - [`Jobs::each_on_own_thread`]: every job gets a new named thread (the audit jobs, which open their own
//!   connections and run side by side).
//!
//! Dropping the handle cancels every job: nobody is left to read the answers.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use crate::core::store::CancelCheck;

/// The UI's "repaint now", called after every message a job sends.
pub type Notify = Arc<dyn Fn() + Send + Sync>;

/// What a job is about, to know which newer jobs make it pointless.
pub trait JobKind: Copy + Eq + std::fmt::Debug + Send + 'static {
    /// Whether a new job of this kind cancels an unanswered job of kind `older`. By default a newer job
    /// supersedes the older ones of its own kind.
    fn supersedes(self, older: Self) -> bool {
        self == older
    }
}

/// A job panicked: a bug, reported where the job's answer would have been shown.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Panicked(pub String);

/// One answer of a job still current.
#[derive(Debug)]
pub struct Answer<K, M> {
    pub kind: K,
    /// The number [`Jobs::submit`] gave the job.
    pub generation: u64,
    /// A message the job sent, or its panic.
    pub message: Result<M, Panicked>,
}

/// What travels from a job to the handle.
enum Body<M> {
    Message(M),
    Panicked(String),
    /// The job returned (or panicked, or was skipped): nothing more comes from it.
    Finished,
}

struct Envelope<K, M> {
    generation: u64,
    kind: K,
    body: Body<M>,
}

/// A job's side: its cancel flag and the way back to the UI.
pub struct Task<K, M> {
    kind: K,
    generation: u64,
    cancel: Arc<AtomicBool>,
    out: Sender<Envelope<K, M>>,
    notify: Notify,
}

impl<K: JobKind, M> Task<K, M> {
    pub fn kind(&self) -> K {
        self.kind
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether the job was superseded or cancelled: it should stop; nothing it sends is shown.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// The flag set when the job is cancelled, for what watches one (a jq reducer's or predicate's budget).
    pub fn cancel_flag(&self) -> &Arc<AtomicBool> {
        &self.cancel
    }

    /// The store's cancel check for this job (`Store::set_cancel`): its queries stop once it is cancelled.
    pub fn cancel_check(&self) -> CancelCheck {
        let cancel = Arc::clone(&self.cancel);
        Arc::new(move || cancel.load(Ordering::SeqCst))
    }

    /// Send a message to the UI.
    pub fn send(&self, message: M) {
        self.envelope(Body::Message(message));
    }

    /// Send a progress message; returns whether to go on (the shape of the core's progress callbacks).
    pub fn progress(&self, message: M) -> bool {
        self.send(message);
        !self.cancelled()
    }

    fn envelope(&self, body: Body<M>) {
        // Fails only when the handle is gone, and then nobody is left to tell.
        let _ = self.out.send(Envelope {
            generation: self.generation,
            kind: self.kind,
            body,
        });
        (self.notify)();
    }

    /// Run `work`, turning a panic into an answer, and say the job is over.
    fn run<C>(self, context: &mut C, work: Work<C, K, M>) {
        if !self.cancelled() {
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| work(context, &self)));
            if let Err(payload) = outcome {
                let what = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "no message".to_owned());
                self.envelope(Body::Panicked(format!(
                    "the {:?} job stopped unexpectedly ({what}); this is a bug in Eventscope",
                    self.kind
                )));
            }
        }
        self.envelope(Body::Finished);
    }
}

type Work<C, K, M> = Box<dyn FnOnce(&mut C, &Task<K, M>) + Send>;

/// A job waiting for the thread that owns the context.
type Queued<C, K, M> = (Work<C, K, M>, Task<K, M>);

/// Where submitted work runs.
enum Runner<C, K, M> {
    /// The queue of the one thread that owns the context.
    Thread(Sender<Queued<C, K, M>>),
    /// A new thread per job, with a fresh context.
    Spawn(fn() -> C),
}

/// A job submitted and not yet over (its end not yet polled), neither superseded nor cancelled.
struct Open<K> {
    kind: K,
    generation: u64,
    cancel: Arc<AtomicBool>,
}

/// The UI's handle on a kind of background work (see the module doc).
pub struct Jobs<K, M, C = ()> {
    name: String,
    notify: Notify,
    out: Sender<Envelope<K, M>>,
    answers: Receiver<Envelope<K, M>>,
    open: Vec<Open<K>>,
    generation: u64,
    runner: Runner<C, K, M>,
}

impl<K: JobKind, M: Send + 'static, C: 'static> Jobs<K, M, C> {
    /// Jobs run in order on one thread named `name`, which makes its `context` first and keeps it.
    pub fn on_thread(
        name: &str,
        notify: Notify,
        context: impl FnOnce() -> C + Send + 'static,
    ) -> std::io::Result<Self> {
        let (queue, work) = channel::<Queued<C, K, M>>();
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let mut context = context();
                for (work, task) in work {
                    task.run(&mut context, work);
                }
            })?;
        Ok(Self::with_runner(name, notify, Runner::Thread(queue)))
    }

    fn with_runner(name: &str, notify: Notify, runner: Runner<C, K, M>) -> Self {
        let (out, answers) = channel();
        Self {
            name: name.to_owned(),
            notify,
            out,
            answers,
            open: Vec::new(),
            generation: 0,
            runner,
        }
    }

    /// Run `work` as a job of `kind`, cancelling the jobs it supersedes. Returns the job's generation, or
    /// why it could not start (no thread).
    pub fn submit(
        &mut self,
        kind: K,
        work: impl FnOnce(&mut C, &Task<K, M>) + Send + 'static,
    ) -> Result<u64, String> {
        self.cancel_where(|older| kind.supersedes(older));
        self.generation += 1;
        let cancel = Arc::new(AtomicBool::new(false));
        let task = Task {
            kind,
            generation: self.generation,
            cancel: Arc::clone(&cancel),
            out: self.out.clone(),
            notify: Arc::clone(&self.notify),
        };
        let work: Work<C, K, M> = Box::new(work);
        let started = match &self.runner {
            Runner::Thread(queue) => queue
                .send((work, task))
                .map_err(|_| format!("the {} thread has stopped", self.name)),
            Runner::Spawn(context) => {
                let context = *context;
                std::thread::Builder::new()
                    .name(format!("{}-{kind:?}", self.name).to_lowercase())
                    .spawn(move || task.run(&mut context(), work))
                    .map(|_| ())
                    .map_err(|e| format!("could not start a thread for {}: {e}", self.name))
            }
        };
        started?;
        self.open.push(Open {
            kind,
            generation: self.generation,
            cancel,
        });
        Ok(self.generation)
    }

    /// Cancel the jobs of `kind`: they stop, and nothing more of theirs comes out.
    pub fn cancel(&mut self, kind: K) {
        self.cancel_where(|older| older == kind);
    }

    /// Cancel every job.
    pub fn cancel_all(&mut self) {
        self.cancel_where(|_| true);
    }

    fn cancel_where(&mut self, cancel: impl Fn(K) -> bool) {
        self.open.retain(|job| {
            let stop = cancel(job.kind);
            if stop {
                job.cancel.store(true, Ordering::SeqCst);
            }
            !stop
        });
    }

    /// Whether a job of `kind` is under way (or its last answers not yet taken).
    pub fn running(&self, kind: K) -> bool {
        self.open.iter().any(|job| job.kind == kind)
    }

    /// Whether no job is under way.
    pub fn idle(&self) -> bool {
        self.open.is_empty()
    }

    /// The next answer of a current job, if one has arrived.
    pub fn try_recv(&mut self) -> Option<Answer<K, M>> {
        while let Ok(envelope) = self.answers.try_recv() {
            if let Some(answer) = self.take(envelope) {
                return Some(answer);
            }
        }
        None
    }

    /// Wait at most `timeout` for the next answer of a current job (tests and scripted use).
    pub fn recv_timeout(&mut self, timeout: Duration) -> Option<Answer<K, M>> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.answers.recv_timeout(left) {
                Ok(envelope) => {
                    if let Some(answer) = self.take(envelope) {
                        return Some(answer);
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// `envelope` as an answer, when its job is still current.
    fn take(&mut self, envelope: Envelope<K, M>) -> Option<Answer<K, M>> {
        let Envelope {
            generation,
            kind,
            body,
        } = envelope;
        let current = self
            .open
            .iter()
            .position(|job| job.generation == generation)?;
        let message = match body {
            Body::Message(message) => Ok(message),
            Body::Panicked(message) => Err(Panicked(message)),
            Body::Finished => {
                self.open.swap_remove(current);
                return None;
            }
        };
        Some(Answer {
            kind,
            generation,
            message,
        })
    }
}

impl<K: JobKind, M: Send + 'static, C: Default + 'static> Jobs<K, M, C> {
    /// Every job runs on a new thread named after `name` and its kind, with a fresh context.
    pub fn each_on_own_thread(name: &str, notify: Notify) -> Self {
        Self::with_runner(name, notify, Runner::Spawn(C::default))
    }
}

impl<K, M, C> Drop for Jobs<K, M, C> {
    /// Nobody will read the answers: every job stops now rather than at the end of its budget.
    fn drop(&mut self) {
        for job in &self.open {
            job.cancel.store(true, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests;
