//! The mapping editor's reads off the UI thread, as jobs of [`crate::jobs`]: the file's tables and the layout
//! detection would choose, the live preview of a draft, and a cipher key tried on the payloads.

use super::*;
use crate::core::decode::codec::Format;
use crate::core::store::pg::{self, PgTarget};

/// A read done off the UI thread.
pub(super) enum Job {
    /// The file's tables and the layout detection would choose.
    Inspect {
        path: PathBuf,
        cipher_key: Option<Vec<u8>>,
        /// The server, when the store is a PostgreSQL database (its password too).
        server: Option<Arc<PgTarget>>,
    },
    /// The first events of the file read with `options`.
    Preview { path: PathBuf, options: OpenOptions },
}

/// The kinds of [`Job`]: a newer preview supersedes the older ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Read {
    Inspect,
    Preview,
}

impl JobKind for Read {}

impl Job {
    pub(super) fn kind(&self) -> Read {
        match self {
            Self::Inspect { .. } => Read::Inspect,
            Self::Preview { .. } => Read::Preview,
        }
    }
}

/// What a [`Job`] found.
pub(super) enum Answer {
    Inspected {
        tables: Result<Vec<TableInfo>, String>,
        detected: Result<Box<Mapping>, String>,
    },
    Preview {
        /// The (first) mapping the events were read with.
        mapping: Option<Box<Mapping>>,
        events: Result<Vec<Event>, String>,
        /// The schema the codec read them with, once loaded.
        schema: Option<SchemaRead>,
    },
}

/// What a preview found in the schema file the draft names: the format it reads and its type names.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct SchemaRead {
    /// The schema file, as the draft names it.
    pub(super) path: PathBuf,
    pub(super) format: Format,
    /// What the schema is, as people say it (`a {kind} schema`).
    pub(super) kind: &'static str,
    pub(super) type_names: Vec<String>,
}

/// A named thread doing [`Job`]s in order, except that a preview cancels the previews not yet answered (a
/// queued one never runs). It ends when this handle is dropped.
pub(super) struct Reader {
    pub(super) jobs: Jobs<Read, Answer>,
    /// Why a job could not be sent (the thread is gone), answered at the next poll.
    pub(super) failed: Option<String>,
}

impl Reader {
    pub(super) fn start(name: &str, ctx: egui::Context) -> Result<Self, String> {
        let jobs = Jobs::on_thread(name, repaint(ctx), || ())
            .map_err(|err| format!("could not start a reader thread: {err}"))?;
        Ok(Self { jobs, failed: None })
    }

    /// Do `job`; when the thread is gone, answer why at once.
    pub(super) fn send(&mut self, job: Job) {
        if let Err(message) = self
            .jobs
            .submit(job.kind(), move |(), task| task.send(run(job)))
        {
            self.failed = Some(message);
        }
    }

    /// The next answer; a job that panicked answers its message as an error.
    pub(super) fn try_recv(&mut self) -> Option<Answer> {
        if let Some(message) = self.failed.take() {
            return Some(failed(Read::Preview, message));
        }
        let answer = self.jobs.try_recv()?;
        Some(
            answer
                .message
                .unwrap_or_else(|Panicked(message)| failed(answer.kind, message)),
        )
    }

    /// Whether a preview is being read.
    pub(super) fn previewing(&self) -> bool {
        self.jobs.running(Read::Preview)
    }
}

/// The UI's "repaint now" for a job's answers.
pub(super) fn repaint(ctx: egui::Context) -> Notify {
    Arc::new(move || ctx.request_repaint())
}

/// The answer of a job of `kind` that could not read anything.
pub(super) fn failed(kind: Read, message: String) -> Answer {
    match kind {
        Read::Inspect => Answer::Inspected {
            tables: Err(message.clone()),
            detected: Err(message),
        },
        Read::Preview => Answer::Preview {
            schema: None,
            mapping: None,
            events: Err(message),
        },
    }
}

pub(super) fn run(job: Job) -> Answer {
    match job {
        Job::Inspect {
            path,
            cipher_key,
            server,
        } => Answer::Inspected {
            tables: match &server {
                Some(target) => pg::inspect_tables(target).map_err(|e| e.to_string()),
                None => inspect_tables(&path).map_err(|e| e.to_string()),
            },
            detected: Store::open_with(
                &path,
                OpenOptions {
                    mappings: None,
                    cipher_key,
                    server,
                    ..OpenOptions::default()
                },
            )
            .map(|store| Box::new(store.mapping().clone()))
            .map_err(|e| e.to_string()),
        },
        Job::Preview { path, options } => {
            let mapping = options
                .mappings
                .as_ref()
                .and_then(|m| m.first())
                .map(|m| Box::new(m.clone()));
            let requested = mapping.as_ref().and_then(|m| m.codec.schema.clone());
            let opened = Store::open_with(&path, options);
            let schema = opened.as_ref().ok().and_then(|store| {
                let loaded = store.mapping().codec.schema.as_ref()?.loaded()?;
                Some(SchemaRead {
                    path: requested?.path().to_owned(),
                    format: loaded.format(),
                    kind: loaded.name(),
                    type_names: loaded.type_names(),
                })
            });
            Answer::Preview {
                mapping,
                events: opened
                    .and_then(|store| store.first_events(PREVIEW_EVENTS))
                    .map_err(|e| e.to_string()),
                schema,
            }
        }
    }
}
