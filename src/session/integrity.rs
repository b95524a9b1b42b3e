//! The file's integrity check in the window: SQLite's quick_check of the whole file, started on a thread of
//! its own when a store opens, so a damaged file is announced in the top bar before anyone trusts a count,
//! without delaying the streams list.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use crate::core::store::{Integrity, check_integrity};

/// Where the check is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntegrityStatus {
    Checking,
    Done(Integrity),
    /// The check itself could not run (the store's own error is shown elsewhere).
    Failed(String),
}

/// The check of one open file.
pub struct IntegrityJob {
    pub status: IntegrityStatus,
    answer: Option<mpsc::Receiver<IntegrityStatus>>,
    cancel: Arc<AtomicBool>,
}

impl IntegrityJob {
    /// Start checking `path`; `notify` is called when the verdict is in.
    pub fn start(path: &std::path::Path, notify: Arc<dyn Fn() + Send + Sync>) -> Self {
        let (send, answer) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&cancel);
        let path = path.to_owned();
        let started = std::thread::Builder::new()
            .name("integrity".to_owned())
            .spawn(move || {
                let status = match check_integrity(
                    &path,
                    Some(Arc::new(move || stop.load(Ordering::Relaxed))),
                ) {
                    Ok(verdict) => IntegrityStatus::Done(verdict),
                    Err(err) => IntegrityStatus::Failed(err.to_string()),
                };
                let _ = send.send(status);
                notify();
            });
        let (status, answer) = match started {
            Ok(_) => (IntegrityStatus::Checking, Some(answer)),
            Err(err) => (
                IntegrityStatus::Failed(format!("cannot start the integrity check: {err}")),
                None,
            ),
        };
        Self {
            status,
            answer,
            cancel,
        }
    }

    /// Take the verdict if it has arrived; `true` when the status changed.
    pub fn poll(&mut self) -> bool {
        let Some(answer) = &self.answer else {
            return false;
        };
        match answer.try_recv() {
            Ok(status) => {
                self.status = status;
                self.answer = None;
                true
            }
            Err(mpsc::TryRecvError::Empty) => false,
            Err(mpsc::TryRecvError::Disconnected) => {
                self.status = IntegrityStatus::Failed("the integrity check stopped".to_owned());
                self.answer = None;
                true
            }
        }
    }

    /// Whether the file is known to be damaged.
    pub fn damaged(&self) -> bool {
        matches!(&self.status, IntegrityStatus::Done(verdict) if verdict.is_damaged())
    }
}

impl Drop for IntegrityJob {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}
