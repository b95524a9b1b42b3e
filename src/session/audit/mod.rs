//! The audit side of a session: integrity findings, search across every stream, and the exports and report
//! that read the whole store. Each runs on a named thread of its own with its own read-only connection, so a
//! long verify or search never holds up browsing (the main worker keeps loading streams meanwhile), and two
//! of them can run at once.
//!
//! They are jobs of [`crate::jobs`], each on a thread of its own. Results stream back in batches as they
//! are found; the UI shows them while the pass runs. Cancelling (or starting the same kind of job again)
//! sets the job's cancel flag: the pass stops at its next progress report, and its late answers are
//! dropped. Search hits are kept compactly ([`HitRow`]: interned stream and type, version, position, time),
//! and at most [`MAX_HITS`] of them; the count goes on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::core::audit::export::{EventFormat, ExportError, export_events};
use crate::core::audit::output::{OutputError, write_output};
use crate::core::audit::report::{ReportOutcome, sha256_file};
use crate::core::audit::search::{
    CompiledQuery, Hit, SearchProgress, SearchQuery, SearchSummary, search,
};
use crate::core::audit::verify::{Finding, Progress, VerifyOptions, VerifySummary, verify};
use crate::core::replay::Reducer;
use crate::core::replay::jq::Budget;
use crate::core::store::{OpenOptions, Store};
use crate::jobs::{JobKind, Jobs, Notify, Panicked, Task};
use crate::session::Problem;

mod hits;
mod report;

use hits::HitBatcher;
pub use hits::{HitList, HitRow};

/// Search hits kept in memory; beyond this they are counted, not listed.
pub const MAX_HITS: usize = 1_000_000;

/// Findings or hits are handed to the UI in batches of at most this many (and at every progress report).
const BATCH: usize = 512;

/// What the audit can be asked to do.
#[derive(Clone, Debug, PartialEq)]
pub enum AuditCommand {
    /// Verify the whole store (with the jq reducer in force, if any, for the snapshot checks).
    RunVerify,
    CancelVerify,
    /// Search every stream; a new search replaces the one running.
    Search(SearchQuery),
    CancelSearch,
    /// Write a stream's events to a file.
    ExportEvents {
        stream: String,
        format: EventFormat,
        path: PathBuf,
    },
    CancelExport,
    /// Write the audit report for one stream (versions `from..=to`, the whole stream when `None`).
    WriteReport {
        stream: String,
        from: Option<i64>,
        to: Option<i64>,
        path: PathBuf,
    },
}

/// Where a job stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum JobStatus {
    /// Never run.
    #[default]
    Idle,
    Running,
    Done,
    /// Stopped by the user; what was found so far stays.
    Cancelled,
    Failed(Problem),
}

impl JobStatus {
    pub fn running(&self) -> bool {
        *self == Self::Running
    }
}

/// The integrity findings of the store.
#[derive(Debug, Default)]
pub struct VerifyRun {
    /// Different for every run (see [`super::next_serial`]); with the count of findings, what panels key
    /// what they derive from them on.
    pub serial: u64,
    pub status: JobStatus,
    pub progress: Option<Progress>,
    /// In the order `verify` reports them.
    pub findings: Vec<Finding>,
    pub summary: Option<VerifySummary>,
    /// The reducer text the run used (`None`: snapshots unchecked).
    pub reducer_text: Option<String>,
}

/// A search and what it found so far.
#[derive(Debug, Default)]
pub struct SearchRun {
    pub status: JobStatus,
    pub query: Option<SearchQuery>,
    pub progress: Option<SearchProgress>,
    pub hits: HitList,
    /// Hits found, listed or not (the list stops at [`MAX_HITS`]).
    pub found: u64,
    pub summary: Option<SearchSummary>,
}

impl SearchRun {
    /// Hits found but not listed because the list is full.
    pub fn not_listed(&self) -> u64 {
        self.found.saturating_sub(self.hits.len() as u64)
    }
}

/// A file being written (an export or the report).
#[derive(Debug, Default)]
pub struct FileRun {
    pub status: JobStatus,
    pub path: Option<PathBuf>,
    /// `(done, total)` events.
    pub progress: (u64, u64),
    /// What was written, once done.
    pub message: Option<String>,
    /// The report's verdict on the store file, once written.
    pub report: Option<ReportOutcome>,
}

/// What the job threads report (the job layer says which job sent it).
enum Reply {
    Sha256(Result<String, String>),
    VerifyProgress(Progress),
    Findings(Vec<Finding>),
    VerifyDone(Result<VerifySummary, String>),
    SearchProgress(SearchProgress),
    Hits {
        new_streams: Vec<String>,
        new_types: Vec<String>,
        rows: Vec<HitRow>,
    },
    SearchDone(Result<SearchSummary, Problem>),
    ExportProgress(u64, u64),
    ExportDone(Result<String, String>),
    ReportDone(Result<(String, ReportOutcome), Problem>),
}

/// The audit's jobs; a new one of a kind replaces the one running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Hash,
    Verify,
    Search,
    Export,
    Report,
}

impl JobKind for Kind {}

/// An audit job's side.
type AuditTask = Task<Kind, Reply>;

/// What a job needs from the session.
pub struct Context<'a> {
    pub path: &'a Path,
    pub options: &'a OpenOptions,
    /// The jq reducer in force (verify checks snapshots with it; the report replays with it).
    pub jq_reducer: Option<Arc<dyn Reducer>>,
    /// The reducer the session replays with (the default deep merge when no reducer file is in force).
    pub reducer: Arc<dyn Reducer>,
    pub reducer_text: Option<&'a str>,
    /// The budget of a search's jq predicate on each event.
    pub jq_budget: &'a Budget,
    /// The state fields on the window's chart: the report charts them too.
    pub charted: &'a [String],
}

/// The audit state of one open store.
pub struct Audit {
    pub verify: VerifyRun,
    pub search: SearchRun,
    pub export: FileRun,
    pub report: FileRun,
    /// The file's SHA-256 taken when the store was opened (computed in the background).
    pub sha256_at_open: Option<Result<String, String>>,
    jobs: Jobs<Kind, Reply>,
}

impl std::fmt::Debug for Audit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Audit")
            .field("verify", &self.verify.status)
            .field("search", &self.search.status)
            .finish_non_exhaustive()
    }
}

impl Audit {
    /// Start hashing `path` in the background (the report's "SHA-256 when opened"; a PostgreSQL store's
    /// event rows, read through `options`).
    pub fn new(path: &Path, options: &OpenOptions, notify: Notify) -> Self {
        let mut audit = Self {
            verify: VerifyRun::default(),
            search: SearchRun::default(),
            export: FileRun::default(),
            report: FileRun::default(),
            sha256_at_open: None,
            jobs: Jobs::each_on_own_thread("eventscope", notify),
        };
        let path = path.to_owned();
        let options = options.clone();
        let started = audit.jobs.submit(Kind::Hash, move |(), task| {
            let digest = if options.server.is_some() {
                Store::open_with(&path, options)
                    .and_then(|store| store.content_digest())
                    .map_err(|e| format!("cannot take the digest of {}: {e}", path.display()))
            } else {
                sha256_file(&path).map_err(|e| format!("cannot hash {}: {e}", path.display()))
            };
            task.send(Reply::Sha256(digest));
        });
        if let Err(message) = started {
            audit.sha256_at_open = Some(Err(message));
        }
        audit
    }

    /// Whether any job is running.
    pub fn busy(&self) -> bool {
        self.verify.status.running()
            || self.search.status.running()
            || self.export.status.running()
            || self.report.status.running()
    }

    /// Cancel the job of `kind` if `status` says it is running, and say it was cancelled.
    fn cancel_running(&mut self, kind: Kind) {
        let status = match kind {
            Kind::Verify => &mut self.verify.status,
            Kind::Search => &mut self.search.status,
            Kind::Export => &mut self.export.status,
            Kind::Report => &mut self.report.status,
            Kind::Hash => return,
        };
        if status.running() {
            self.jobs.cancel(kind);
            *status = JobStatus::Cancelled;
        }
    }

    /// Change the audit state.
    pub fn apply(&mut self, command: AuditCommand, context: &Context<'_>) {
        match command {
            AuditCommand::RunVerify => self.run_verify(context),
            AuditCommand::CancelVerify => self.cancel_running(Kind::Verify),
            AuditCommand::Search(query) => self.run_search(query, context),
            AuditCommand::CancelSearch => self.cancel_running(Kind::Search),
            AuditCommand::ExportEvents {
                stream,
                format,
                path,
            } => self.run_export(stream, format, path, context),
            AuditCommand::CancelExport => self.cancel_running(Kind::Export),
            AuditCommand::WriteReport {
                stream,
                from,
                to,
                path,
            } => self.run_report(stream, from, to, path, context),
        }
    }

    fn run_verify(&mut self, context: &Context<'_>) {
        self.verify = VerifyRun {
            serial: super::next_serial(),
            status: JobStatus::Running,
            reducer_text: context
                .jq_reducer
                .as_ref()
                .and(context.reducer_text.map(str::to_owned)),
            ..VerifyRun::default()
        };
        let path = context.path.to_owned();
        let options = context.options.clone();
        let reducer = context.jq_reducer.clone();
        let started = self.jobs.submit(Kind::Verify, move |(), task| {
            let result = Store::open_with(&path, options)
                .map_err(|e| e.to_string())
                .and_then(|store| {
                    store.set_cancel(Some(task.cancel_check()));
                    let mut batch = Vec::new();
                    let options = VerifyOptions::new(reducer.as_deref());
                    let summary = verify(
                        &store,
                        &options,
                        &mut |progress| task.progress(Reply::VerifyProgress(progress)),
                        &mut |finding| {
                            batch.push(finding);
                            if batch.len() >= BATCH {
                                task.send(Reply::Findings(std::mem::take(&mut batch)));
                            }
                        },
                    );
                    if !batch.is_empty() {
                        task.send(Reply::Findings(batch));
                    }
                    summary.map_err(|e| e.to_string())
                });
            task.send(Reply::VerifyDone(result));
        });
        if let Err(message) = started {
            self.verify.status = JobStatus::Failed(message.into());
        }
    }

    fn run_search(&mut self, query: SearchQuery, context: &Context<'_>) {
        self.search = SearchRun {
            status: JobStatus::Running,
            query: Some(query.clone()),
            ..SearchRun::default()
        };
        // A bad predicate is reported at once, before any thread starts.
        let compiled = match CompiledQuery::new(query) {
            Ok(compiled) => compiled,
            Err(err) => {
                self.jobs.cancel(Kind::Search);
                self.search.status = JobStatus::Failed(err.into());
                return;
            }
        };
        let budget = context.jq_budget.clone();
        let path = context.path.to_owned();
        let options = context.options.clone();
        let started = self.jobs.submit(Kind::Search, move |(), task| {
            // Cancelling also stops the predicate in the middle of an event.
            let compiled = compiled.with_budget(Budget {
                cancel: Some(Arc::clone(task.cancel_flag())),
                ..budget
            });
            let result = Store::open_with(&path, options)
                .map_err(|e| Problem::from(e.to_string()))
                .and_then(|store| {
                    store.set_cancel(Some(task.cancel_check()));
                    let batcher = std::cell::RefCell::new(HitBatcher::default());
                    let summary = search(
                        &store,
                        &compiled,
                        &mut |progress| {
                            batcher.borrow_mut().flush(task);
                            task.progress(Reply::SearchProgress(progress))
                        },
                        &mut |hit| {
                            let mut batcher = batcher.borrow_mut();
                            if batcher.push(&hit) {
                                batcher.flush(task);
                            }
                        },
                    );
                    batcher.borrow_mut().flush(task);
                    summary.map_err(Problem::from)
                });
            task.send(Reply::SearchDone(result));
        });
        if let Err(message) = started {
            self.search.status = JobStatus::Failed(message.into());
        }
    }

    fn run_export(
        &mut self,
        stream: String,
        format: EventFormat,
        path: PathBuf,
        context: &Context<'_>,
    ) {
        self.export = FileRun {
            status: JobStatus::Running,
            path: Some(path.clone()),
            ..FileRun::default()
        };
        let store_path = context.path.to_owned();
        let options = context.options.clone();
        let started = self.jobs.submit(Kind::Export, move |(), task| {
            let result = write_output(&path, &store_path, |out| -> Result<u64, ExportFailure> {
                let store = Store::open_with(&store_path, options).map_err(ExportError::from)?;
                store.set_cancel(Some(task.cancel_check()));
                let written = export_events(&store, &stream, format, out, &mut |done, total| {
                    task.progress(Reply::ExportProgress(done, total))
                })?;
                // A cancelled export stopped part-way: it is not renamed into place.
                if task.cancelled() {
                    return Err(ExportFailure::Cancelled);
                }
                Ok(written)
            })
            .map(|written| {
                format!(
                    "wrote {} ({written} event{})",
                    path.display(),
                    if written == 1 { "" } else { "s" }
                )
            })
            .map_err(|e| e.to_string());
            task.send(Reply::ExportDone(result));
        });
        if let Err(message) = started {
            self.export.status = JobStatus::Failed(message.into());
        }
    }

    /// Apply what the job threads reported. Returns whether anything changed.
    pub fn poll(&mut self) -> bool {
        let mut changed = false;
        while let Some(answer) = self.jobs.try_recv() {
            self.handle(answer.kind, answer.message);
            changed = true;
        }
        changed
    }

    /// Wait until no job is running (tests and scripted use). Returns false on timeout.
    pub fn wait_idle(&mut self, timeout: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        while self.busy() || self.sha256_at_open.is_none() {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return false;
            }
            if let Some(answer) = self.jobs.recv_timeout(left) {
                self.handle(answer.kind, answer.message);
            }
        }
        self.poll();
        true
    }

    fn handle(&mut self, kind: Kind, reply: Result<Reply, Panicked>) {
        let reply = match reply {
            Ok(reply) => reply,
            // A bug in a job: it failed, and says so where its answer would have been.
            Err(Panicked(message)) => match kind {
                Kind::Hash => Reply::Sha256(Err(message)),
                Kind::Verify => Reply::VerifyDone(Err(message)),
                Kind::Search => Reply::SearchDone(Err(message.into())),
                Kind::Export => Reply::ExportDone(Err(message)),
                Kind::Report => Reply::ReportDone(Err(message.into())),
            },
        };
        match reply {
            Reply::Sha256(result) => self.sha256_at_open = Some(result),
            Reply::VerifyProgress(progress) => self.verify.progress = Some(progress),
            Reply::Findings(findings) => self.verify.findings.extend(findings),
            Reply::VerifyDone(result) => match result {
                Ok(summary) => {
                    self.verify.status = if summary.cancelled {
                        JobStatus::Cancelled
                    } else {
                        JobStatus::Done
                    };
                    self.verify.summary = Some(summary);
                }
                Err(message) => self.verify.status = JobStatus::Failed(message.into()),
            },
            Reply::SearchProgress(progress) => {
                self.search.found = self.search.found.max(progress.hits);
                self.search.progress = Some(progress);
            }
            Reply::Hits {
                new_streams,
                new_types,
                rows,
            } => {
                let hits = &mut self.search.hits;
                hits.streams.extend(new_streams);
                hits.types.extend(new_types);
                let room = MAX_HITS.saturating_sub(hits.rows.len());
                hits.rows.extend(rows.into_iter().take(room));
                self.search.found = self.search.found.max(hits.rows.len() as u64);
            }
            Reply::SearchDone(result) => match result {
                Ok(summary) => {
                    self.search.status = if summary.cancelled {
                        JobStatus::Cancelled
                    } else {
                        JobStatus::Done
                    };
                    self.search.found = summary.hits;
                    self.search.summary = Some(summary);
                }
                Err(problem) => self.search.status = JobStatus::Failed(problem),
            },
            Reply::ExportProgress(done, total) => self.export.progress = (done, total),
            Reply::ExportDone(result) => match result {
                Ok(message) => {
                    self.export.status = JobStatus::Done;
                    self.export.message = Some(message);
                }
                Err(message) => self.export.status = JobStatus::Failed(message.into()),
            },
            Reply::ReportDone(result) => match result {
                Ok((message, outcome)) => {
                    self.report.status = JobStatus::Done;
                    self.report.message = Some(message);
                    self.report.report = Some(outcome);
                }
                Err(problem) => self.report.status = JobStatus::Failed(problem),
            },
        }
    }
}

/// Why a background export wrote nothing (a file already at its path is left as it was).
#[derive(Debug, thiserror::Error)]
enum ExportFailure {
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error("the export was cancelled")]
    Cancelled,
}

#[cfg(test)]
mod tests;
