//! The audit report job of a session: the window's report of one stream, written off the UI thread with the
//! file's digest taken at open, the reducers and charted fields in force.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;

use super::{Audit, Context, FileRun, JobStatus, Kind, Reply};
use crate::core::audit::output::{check_output, write_output_bytes};
use crate::core::audit::report::{ReducersFile, ReportOutcome, ReportRequest, write_report};
use crate::core::store::Store;
use crate::session::Problem;

impl Audit {
    pub(super) fn run_report(
        &mut self,
        stream: String,
        from: Option<i64>,
        to: Option<i64>,
        path: PathBuf,
        context: &Context<'_>,
    ) {
        self.report = FileRun {
            status: JobStatus::Running,
            path: Some(path.clone()),
            ..FileRun::default()
        };
        let sha256_at_open = match &self.sha256_at_open {
            Some(Ok(sha)) => sha.clone(),
            Some(Err(message)) => {
                self.jobs.cancel(Kind::Report);
                self.report.status = JobStatus::Failed(message.as_str().into());
                return;
            }
            None => {
                self.jobs.cancel(Kind::Report);
                self.report.status = JobStatus::Failed(
                    "the file is still being hashed; try again in a moment".into(),
                );
                return;
            }
        };
        let store_path = context.path.to_owned();
        let options = context.options.clone();
        let reducer = Arc::clone(&context.reducer);
        let reducers = context
            .jq_reducer
            .as_ref()
            .and(context.reducer_text)
            .map(|text| ReducersFile {
                path: "(the reducers in force in the Eventscope window)".to_owned(),
                text: text.to_owned(),
            });
        let charts = context.charted.to_vec();
        let started = self.jobs.submit(Kind::Report, move |(), task| {
            let result = (|| -> Result<(String, ReportOutcome), Problem> {
                let text = |e: &dyn std::fmt::Display| Problem::from(e.to_string());
                // Refused before the slow part; `write_output_bytes` checks again when it writes.
                check_output(&path, &store_path).map_err(|e| text(&e))?;
                let store = Store::open_with(&store_path, options).map_err(|e| text(&e))?;
                let request = ReportRequest {
                    store: &store,
                    sha256_at_open,
                    streams: vec![stream],
                    from,
                    to,
                    reducer: reducer.as_ref(),
                    reducers,
                    analysis_time: Utc::now(),
                    charts,
                };
                let mut html = Vec::new();
                let outcome = write_report(&request, &mut html)?;
                write_output_bytes(&path, &store_path, &html).map_err(|e| text(&e))?;
                Ok((
                    format!("wrote {} ({} bytes)", path.display(), html.len()),
                    outcome,
                ))
            })();
            task.send(Reply::ReportDone(result));
        });
        if let Err(message) = started {
            self.report.status = JobStatus::Failed(message.into());
        }
    }
}
