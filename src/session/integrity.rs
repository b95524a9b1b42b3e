//! The file's integrity check in the window: SQLite's quick_check of the whole file, started on a thread of
//! its own when a store opens, so a damaged file is announced in the top bar before anyone trusts a count,
//! without delaying the streams list.

use crate::core::store::{Integrity, check_integrity};
use crate::jobs::{JobKind, Jobs, Notify};

/// Where the check is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntegrityStatus {
    Checking,
    Done(Integrity),
    /// The check itself could not run (the store's own error is shown elsewhere).
    Failed(String),
    /// A PostgreSQL server: it checks its own pages; there is no file to check.
    Server,
}

/// The one kind of job here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Check;

impl JobKind for Check {}

/// The check of one open file; dropping it stops the check.
pub struct IntegrityJob {
    status: IntegrityStatus,
    job: Jobs<Check, IntegrityStatus>,
}

impl IntegrityJob {
    /// Start checking `path`; `notify` is called when the verdict is in.
    pub fn start(path: &std::path::Path, notify: Notify) -> Self {
        let mut job = Jobs::each_on_own_thread("integrity", notify);
        if path
            .to_str()
            .is_some_and(crate::core::store::pg::is_postgres_url)
        {
            return Self {
                status: IntegrityStatus::Server,
                job,
            };
        }
        let path = path.to_owned();
        let started = job.submit(Check, move |(), task| {
            task.send(match check_integrity(&path, Some(task.cancel_check())) {
                Ok(verdict) => IntegrityStatus::Done(verdict),
                Err(err) => IntegrityStatus::Failed(err.to_string()),
            });
        });
        let status = match started {
            Ok(_) => IntegrityStatus::Checking,
            Err(message) => {
                IntegrityStatus::Failed(format!("cannot start the integrity check: {message}"))
            }
        };
        Self { status, job }
    }

    /// Take the verdict if it has arrived; `true` when the status changed.
    pub fn poll(&mut self) -> bool {
        let Some(answer) = self.job.try_recv() else {
            return false;
        };
        self.status = answer
            .message
            .unwrap_or_else(|panicked| IntegrityStatus::Failed(panicked.to_string()));
        true
    }

    /// Where the check is.
    pub fn status(&self) -> &IntegrityStatus {
        &self.status
    }

    /// Whether the file is known to be damaged.
    pub fn damaged(&self) -> bool {
        matches!(&self.status, IntegrityStatus::Done(verdict) if verdict.is_damaged())
    }
}
