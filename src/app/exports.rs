//! The Export window: everything the audit hands to other tools, written by the same `core::audit::export` and
//! `core::audit::report` code as the command line: the state at the playhead (JSON), the current event's diff or
//! the A -> B diff (RFC 6902), the selected stream's events (CSV or JSON Lines, written in the background
//! with progress), the findings (JSON or CSV), and the self-contained HTML audit report for the selected
//! stream (marks A..B when both are set, else the whole stream), whose verdict on the file's SHA-256 is
//! shown once written. Every row refuses to write over the open store.

use eframe::egui;

use super::save_file::SaveField;
use super::settings_window::problem_text;
use crate::core::audit::export::{
    EventFormat, write_findings_csv, write_findings_json, write_json, write_patch,
};
use crate::core::replay::ReplayError;
use crate::session::audit::{AuditCommand, FileRun, JobStatus};
use crate::session::{Command, Problem, Session, StreamView};

/// Visual state of the Export window.
pub struct ExportPanel {
    pub open: bool,
    state: SaveField,
    patch: SaveField,
    /// The patch is A -> B rather than the current event's.
    patch_ab: bool,
    events: SaveField,
    events_format: EventFormat,
    findings: SaveField,
    findings_csv: bool,
    report: SaveField,
}

impl Default for ExportPanel {
    fn default() -> Self {
        Self {
            open: false,
            state: SaveField::with_button("Save state"),
            patch: SaveField::with_button("Save patch"),
            patch_ab: false,
            events: SaveField::with_button("Export events"),
            events_format: EventFormat::Csv,
            findings: SaveField::with_button("Export findings"),
            findings_csv: false,
            report: SaveField::with_button("Write report"),
        }
    }
}

impl ExportPanel {
    pub fn show(&mut self, ctx: &egui::Context, session: &Session, commands: &mut Vec<Command>) {
        let mut open = self.open;
        egui::Window::new("Export")
            .open(&mut open)
            .default_width(560.0)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| self.ui(ui, session, commands));
            });
        self.open = open;
    }

    fn ui(&mut self, ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
        let Some(stream) = session.stream() else {
            ui.weak("Select a stream to export its state, diff, events or report.");
            ui.separator();
            self.findings_ui(ui, session, commands);
            return;
        };
        let id = stream.loaded.summary.id.clone();
        ui.label(format!("Stream {id}"));
        ui.separator();
        self.state_ui(ui, session, stream);
        ui.separator();
        self.patch_ui(ui, session, stream);
        ui.separator();
        self.events_ui(ui, session, &id, commands);
        ui.separator();
        self.findings_ui(ui, session, commands);
        ui.separator();
        self.report_ui(ui, session, stream, commands);
    }

    fn state_ui(&mut self, ui: &mut egui::Ui, session: &Session, stream: &StreamView) {
        ui.strong(format!("State after event {} (JSON)", stream.cursor + 1));
        let state = stream.view.as_ref().map(|v| &v.state);
        self.state.ui(
            ui,
            "State file path",
            "state.json",
            session.store().path(),
            || {
                let state = state.map_err(problem_text)?;
                let mut out = Vec::new();
                write_json(&mut out, state).map_err(|e| e.to_string())?;
                Ok(out)
            },
        );
    }

    fn patch_ui(&mut self, ui: &mut egui::Ui, session: &Session, stream: &StreamView) {
        ui.horizontal(|ui| {
            ui.strong("Diff as an RFC 6902 JSON Patch:");
            ui.selectable_value(&mut self.patch_ab, false, "current event");
            ui.add_enabled_ui(session.ab().is_some(), |ui| {
                ui.selectable_value(&mut self.patch_ab, true, "A -> B")
                    .on_disabled_hover_text("Set marks A and B on the timeline");
            });
        });
        if session.ab().is_none() {
            self.patch_ab = false;
        }
        let ab = session.ab().filter(|_| self.patch_ab);
        self.patch.ui(
            ui,
            "Patch file path",
            "patch.json",
            session.store().path(),
            || {
                let mut out = Vec::new();
                match ab {
                    Some(ab) => {
                        let ab = ab.as_ref().map_err(problem_text)?;
                        write_json(&mut out, &ab.patch)
                    }
                    None => {
                        let shown = |e: &ReplayError| problem_text(&Problem::from(e));
                        let replayer = stream.loaded.replayer.as_ref().map_err(shown)?;
                        let events = &stream.loaded.events;
                        let before = events
                            .state_after(replayer, stream.cursor)
                            .map_err(|e| problem_text(&e))?;
                        let after = events
                            .state_after(replayer, stream.cursor + 1)
                            .map_err(|e| problem_text(&e))?;
                        write_patch(&mut out, &before, &after)
                    }
                }
                .map_err(|e| e.to_string())?;
                Ok(out)
            },
        );
    }

    fn events_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        stream: &str,
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            ui.strong("The stream's events, decoded:");
            ui.selectable_value(&mut self.events_format, EventFormat::Csv, "CSV");
            ui.selectable_value(
                &mut self.events_format,
                EventFormat::JsonLines,
                "JSON Lines",
            );
        });
        let default_name = match self.events_format {
            EventFormat::Csv => "events.csv",
            EventFormat::JsonLines => "events.jsonl",
        };
        if let Some(path) =
            self.events
                .ui_deferred(ui, "Events file path", default_name, session.store().path())
        {
            commands.push(Command::Audit(AuditCommand::ExportEvents {
                stream: stream.to_owned(),
                format: self.events_format,
                path,
            }));
        }
        let run = &session.audit().export;
        if run.status.running() {
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new());
                let (done, total) = run.progress;
                #[expect(clippy::cast_precision_loss, reason = "a progress fraction")]
                let fraction = done as f32 / total.max(1) as f32;
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(200.0)
                        .text(format!("{done}/{total} events")),
                );
                if ui.button("Cancel export").clicked() {
                    commands.push(Command::Audit(AuditCommand::CancelExport));
                }
            });
        }
        file_run_ui(ui, run);
    }

    fn findings_ui(&mut self, ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
        let run = &session.audit().verify;
        ui.horizontal(|ui| {
            ui.strong("Integrity findings:");
            ui.selectable_value(&mut self.findings_csv, false, "JSON");
            ui.selectable_value(&mut self.findings_csv, true, "CSV");
        });
        match run.status {
            JobStatus::Done => {}
            JobStatus::Running => {
                ui.horizontal(|ui| {
                    ui.add(egui::Spinner::new());
                    ui.label("verifying…");
                });
                return;
            }
            _ => {
                if ui
                    .button("Run verify")
                    .on_hover_text("Find the store's integrity findings first")
                    .clicked()
                {
                    commands.push(Command::Audit(AuditCommand::RunVerify));
                }
                return;
            }
        }
        let csv = self.findings_csv;
        let findings = &run.findings;
        self.findings.ui(
            ui,
            "Findings export file path",
            if csv { "findings.csv" } else { "findings.json" },
            session.store().path(),
            || {
                let mut out = Vec::new();
                if csv {
                    write_findings_csv(&mut out, findings)
                } else {
                    write_findings_json(&mut out, findings)
                }
                .map_err(|e| e.to_string())?;
                Ok(out)
            },
        );
    }

    fn report_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        stream: &StreamView,
        commands: &mut Vec<Command>,
    ) {
        ui.strong("Audit report (self-contained HTML)");
        let index = stream.loaded.events.index();
        let version_at = |i: usize| index.effective_version(i);
        let range = match session.marks() {
            (Some(a), Some(b)) => version_at(a.min(b)).zip(version_at(a.max(b))),
            _ => None,
        };
        ui.label(match range {
            Some((from, to)) => format!("Range: versions {from} to {to} (marks A and B)"),
            None => "Range: the whole stream (set marks A and B for a part of it)".to_owned(),
        });
        ui.label(match session.reducers().text() {
            Some(_) => "Reducers: the jq reducer file in force (recorded with its SHA-256)",
            None => "Reducers: the default deep merge",
        });
        let hashing = session.audit().sha256_at_open.is_none();
        if hashing {
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new());
                ui.weak("hashing the store file…");
            });
        }
        if let Some(path) = self.report.ui_deferred(
            ui,
            "Report file path",
            "report.html",
            session.store().path(),
        ) {
            commands.push(Command::Audit(AuditCommand::WriteReport {
                stream: stream.loaded.summary.id.clone(),
                from: range.map(|r| r.0),
                to: range.map(|r| r.1),
                path,
            }));
        }
        let run = &session.audit().report;
        if run.status.running() {
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new());
                ui.label("writing the report…");
            });
        }
        file_run_ui(ui, run);
        if let Some(outcome) = &run.report {
            if outcome.unchanged() {
                ui.colored_label(
                    super::theme::good_color(ui.visuals()),
                    format!(
                        "SHA-256 unchanged: the store file is the same as when it was opened ({})",
                        outcome.sha256_at_write
                    ),
                );
            } else {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!(
                        "SHA-256 CHANGED: the store file changed during the analysis ({} when opened, {} when \
                         the report was written); the report says so",
                        outcome.sha256_at_open, outcome.sha256_at_write
                    ),
                );
            }
            ui.weak(format!("{} findings in the store", outcome.findings));
        }
    }
}

/// What a background file job did.
fn file_run_ui(ui: &mut egui::Ui, run: &FileRun) {
    match &run.status {
        JobStatus::Done => {
            if let Some(message) = &run.message {
                ui.weak(message.as_str());
            }
        }
        JobStatus::Failed(problem) => {
            ui.colored_label(ui.visuals().error_fg_color, problem_text(problem));
        }
        JobStatus::Cancelled => {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Cancelled: the file is incomplete.",
            );
        }
        JobStatus::Idle | JobStatus::Running => {}
    }
}
