//! The Findings window: what `verify` finds wrong with the store (gaps, duplicates, reversals, undecodable
//! payloads, schema drift, snapshot mismatches...), run in the background with progress, listed as they are
//! found, filtered by severity and kind, exported as JSON or CSV; clicking a finding opens its stream at the
//! version involved. The selected stream's findings are also drawn on the timeline as small triangles.

use eframe::egui::{self, Color32, Pos2, Rect, Stroke, Vec2};
use egui_extras::{Column, TableBuilder};

use super::copy::{copy_button, pretty_json};
use super::save_file::SaveField;
use super::settings_window::problem_text;
use crate::core::audit::export::{write_findings_csv, write_findings_json};
use crate::core::audit::verify::{Finding, FindingKind, Phase, Severity};
use crate::session::audit::{AuditCommand, JobStatus};
use crate::session::density::count_through;
use crate::session::{Command, LoadedStream, Session};

const ROW_HEIGHT: f32 = 20.0;

/// The format findings are saved in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Format {
    #[default]
    Json,
    Csv,
}

/// Visual state of the Findings window.
pub struct FindingsPanel {
    pub open: bool,
    /// Severities shown: error, warning, info.
    shown: [bool; 3],
    /// Only this kind, or every kind.
    kind: Option<FindingKind>,
    format: Format,
    export: SaveField,
    /// The rows shown, counts and kinds, made when the findings or the filters change.
    derived: Derived,
}

/// What the findings window shows, derived from a run's findings and the filters.
#[derive(Default)]
struct Derived {
    /// The run's serial, its count of findings, the severities shown and the kind.
    key: Option<(u64, usize, [bool; 3], Option<FindingKind>)>,
    /// Indices of the findings that pass the filters, in the run's order.
    rows: Vec<usize>,
    /// Findings per severity (error, warning, info).
    counts: [usize; 3],
    /// The kinds present, sorted.
    kinds: Vec<FindingKind>,
}

impl Derived {
    /// Make the rows, counts and kinds again if the findings or the filters changed.
    fn refresh(
        &mut self,
        run: &crate::session::audit::VerifyRun,
        shown: [bool; 3],
        kind: Option<FindingKind>,
    ) {
        let key = (run.serial, run.findings.len(), shown, kind);
        if self.key == Some(key) {
            return;
        }
        self.key = Some(key);
        self.counts = [0; 3];
        for finding in &run.findings {
            if let Some(count) = self.counts.get_mut(severity_index(finding.severity)) {
                *count += 1;
            }
        }
        self.kinds = run.findings.iter().map(|f| f.kind).collect();
        self.kinds.sort();
        self.kinds.dedup();
        self.rows = run
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                shown
                    .get(severity_index(f.severity))
                    .copied()
                    .unwrap_or(true)
                    && kind.is_none_or(|k| k == f.kind)
            })
            .map(|(i, _)| i)
            .collect();
    }
}

impl Default for FindingsPanel {
    fn default() -> Self {
        Self {
            open: false,
            shown: [true; 3],
            kind: None,
            format: Format::Json,
            export: SaveField::with_button("Save findings"),
            derived: Derived::default(),
        }
    }
}

/// The colour of a severity (markers and the list).
pub fn severity_color(visuals: &egui::Visuals, severity: Severity) -> Color32 {
    match severity {
        Severity::Error => visuals.error_fg_color,
        Severity::Warning => visuals.warn_fg_color,
        Severity::Info => super::theme::info_color(visuals),
    }
}

fn severity_index(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

impl FindingsPanel {
    /// Open the window; the first time, verification starts by itself.
    pub fn toggle(&mut self, session: Option<&Session>, commands: &mut Vec<Command>) {
        self.open = !self.open;
        if self.open && session.is_some_and(|s| s.audit().verify.status == JobStatus::Idle) {
            commands.push(Command::Audit(AuditCommand::RunVerify));
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, session: &Session, commands: &mut Vec<Command>) {
        let mut open = self.open;
        egui::Window::new("Findings")
            .open(&mut open)
            .default_size([760.0, 420.0])
            .show(ctx, |ui| self.ui(ui, session, commands));
        self.open = open;
    }

    fn ui(&mut self, ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
        let run = &session.audit().verify;
        ui.horizontal_wrapped(|ui| {
            let running = run.status.running();
            let text = if run.status == JobStatus::Idle {
                "Run verify"
            } else {
                "Run verify again"
            };
            if ui
                .add_enabled(!running, egui::Button::new(text))
                .on_hover_text("Check the whole store: versions, positions, times, payloads, schema, snapshots")
                .clicked()
            {
                commands.push(Command::Audit(AuditCommand::RunVerify));
            }
            if running {
                if ui.button("Cancel verify").clicked() {
                    commands.push(Command::Audit(AuditCommand::CancelVerify));
                }
                ui.add(egui::Spinner::new());
                if let Some(p) = run.progress {
                    #[expect(clippy::cast_precision_loss, reason = "a progress fraction")]
                    let fraction = p.done as f32 / p.total.max(1) as f32;
                    let phase = match p.phase {
                        Phase::Positions => "positions",
                        Phase::Events => "events",
                        Phase::Tables => "other tables",
                    };
                    ui.add(
                        egui::ProgressBar::new(fraction)
                            .desired_width(200.0)
                            .text(format!("{phase} {}/{}", p.done, p.total)),
                    );
                }
            }
            ui.label(status_text(session));
        });
        if let JobStatus::Failed(problem) = &run.status {
            ui.colored_label(ui.visuals().error_fg_color, problem_text(problem));
        }
        if run.status != JobStatus::Idle && run.reducer_text.as_deref() != session.reducers().text()
        {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "The reducers changed since this run: run verify again to check snapshots with them.",
            );
        }
        self.derived.refresh(run, self.shown, self.kind);
        self.filters_ui(ui);
        // The filters may have changed just now.
        self.derived.refresh(run, self.shown, self.kind);
        ui.separator();
        let body_height = (ui.available_height() - 90.0).max(80.0);
        findings_table_ui(ui, &run.findings, &self.derived.rows, body_height, commands);
        ui.separator();
        ui.horizontal(|ui| {
            ui.label("Save all findings as");
            ui.selectable_value(&mut self.format, Format::Json, "JSON");
            ui.selectable_value(&mut self.format, Format::Csv, "CSV");
        });
        let format = self.format;
        let findings = &run.findings;
        let default_name = match format {
            Format::Json => "findings.json",
            Format::Csv => "findings.csv",
        };
        self.export.ui(
            ui,
            "Findings file path",
            default_name,
            session.store().path(),
            || {
                let mut out = Vec::new();
                match format {
                    Format::Json => write_findings_json(&mut out, findings),
                    Format::Csv => write_findings_csv(&mut out, findings),
                }
                .map_err(|e| e.to_string())?;
                Ok(out)
            },
        );
    }

    fn filters_ui(&mut self, ui: &mut egui::Ui) {
        let Self {
            shown,
            kind,
            derived,
            ..
        } = self;
        ui.horizontal_wrapped(|ui| {
            ui.label("Show:");
            for severity in [Severity::Error, Severity::Warning, Severity::Info] {
                let index = severity_index(severity);
                let count = derived.counts.get(index).copied().unwrap_or(0);
                if let Some(shown) = shown.get_mut(index) {
                    ui.checkbox(shown, format!("{} ({count})", severity.as_str()));
                }
            }
            ui.separator();
            egui::ComboBox::from_id_salt("findings_kind")
                .selected_text(kind.map_or("every kind", FindingKind::as_str))
                .show_ui(ui, |ui| {
                    ui.selectable_value(kind, None, "every kind");
                    for &one in &derived.kinds {
                        ui.selectable_value(kind, Some(one), one.as_str());
                    }
                })
                .response
                .on_hover_text("Show findings of one kind only");
        });
    }
}

/// "8 findings in 34 events, 13 streams", or what is going on.
fn status_text(session: &Session) -> String {
    let run = &session.audit().verify;
    let n = run.findings.len();
    let findings = format!("{n} finding{}", if n == 1 { "" } else { "s" });
    match (&run.status, &run.summary) {
        (JobStatus::Idle, _) => "Not verified yet.".to_owned(),
        (JobStatus::Running, _) => format!("{findings} so far…"),
        (JobStatus::Cancelled, _) => {
            format!("Cancelled: {findings} before it stopped (incomplete).")
        }
        (JobStatus::Failed(_), _) => "Verification failed.".to_owned(),
        (JobStatus::Done, Some(summary)) => {
            let plural =
                |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
            let mut text = format!(
                "{findings} in {}, {}",
                plural(summary.events, "event"),
                plural(summary.streams, "stream")
            );
            let hidden: u64 = summary.not_listed.values().sum();
            if hidden > 0 {
                text.push_str(&format!(" ({hidden} more counted, not listed)"));
            }
            if n == 0 {
                text.push_str(": the store is clean");
            }
            text
        }
        (JobStatus::Done, None) => findings,
    }
}

fn findings_table_ui(
    ui: &mut egui::Ui,
    findings: &[Finding],
    rows: &[usize],
    body_height: f32,
    commands: &mut Vec<Command>,
) {
    TableBuilder::new(ui)
        .id_salt("findings_table")
        .striped(true)
        .sense(egui::Sense::click())
        .auto_shrink([false, true])
        .min_scrolled_height(body_height)
        .max_scroll_height(body_height)
        // Exact widths: a window's first frames are narrow, and resizable columns would keep those widths.
        .column(Column::exact(62.0))
        .column(Column::exact(150.0))
        .column(Column::exact(110.0))
        .column(Column::exact(64.0))
        .column(Column::remainder().at_least(120.0))
        .column(Column::exact(54.0))
        .header(ROW_HEIGHT, |mut header| {
            for title in ["Severity", "Kind", "Stream", "Versions", "Message", ""] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                let Some(finding) = rows.get(row.index()).and_then(|&i| findings.get(i)) else {
                    return;
                };
                let versions = finding
                    .versions
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                row.col(|ui| {
                    let color = severity_color(ui.visuals(), finding.severity);
                    ui.add(
                        egui::Label::new(
                            egui::RichText::new(finding.severity.as_str()).color(color),
                        )
                        .selectable(false),
                    );
                });
                for text in [
                    finding.kind.as_str().to_owned(),
                    finding
                        .stream
                        .clone()
                        .unwrap_or_else(|| "(store)".to_owned()),
                    versions,
                ] {
                    row.col(|ui| {
                        ui.add(egui::Label::new(text).selectable(false).truncate());
                    });
                }
                row.col(|ui| {
                    ui.add(
                        egui::Label::new(&finding.message)
                            .selectable(false)
                            .truncate(),
                    )
                    .on_hover_text(&finding.message);
                });
                row.col(|ui| copy_button(ui, "finding", || pretty_json(finding)));
                let response = row.response();
                if let Some(stream) = &finding.stream {
                    let response = response.on_hover_text("Open this stream at the version");
                    if response.clicked() {
                        commands.push(match finding.versions.first() {
                            Some(&version) => Command::OpenAt {
                                stream: stream.clone(),
                                version,
                            },
                            None => Command::SelectStream(stream.clone()),
                        });
                    }
                }
            });
        });
}

/// The findings about the stream shown, as timeline markers: the event each marks, made once per change of
/// the run or the stream rather than filtered from the whole store's findings every frame.
#[derive(Default)]
pub struct Markers {
    /// The run's serial and count of findings, and the loaded stream's serial.
    key: Option<(u64, usize, u64)>,
    /// Event index, severity and tooltip of each marker, one per event and finding.
    marks: Vec<(usize, Severity, String)>,
}

impl Markers {
    fn refresh(&mut self, session: &Session, stream: &LoadedStream) {
        let run = &session.audit().verify;
        let key = (run.serial, run.findings.len(), stream.serial);
        if self.key == Some(key) {
            return;
        }
        self.key = Some(key);
        self.marks.clear();
        let id = &stream.summary.id;
        for finding in run
            .findings
            .iter()
            .filter(|f| f.stream.as_ref() == Some(id))
        {
            let tip = format!(
                "{} {}: {}",
                finding.severity.as_str(),
                finding.kind.as_str(),
                finding.message
            );
            let mut last = None;
            for &version in &finding.versions {
                // A missing version is marked on the event before the gap.
                let index = count_through(stream.events.index(), &stream.axes, version)
                    .and_then(|n| n.checked_sub(1));
                let Some(index) = index.filter(|i| last != Some(*i)) else {
                    continue;
                };
                last = Some(index);
                self.marks.push((index, finding.severity, tip.clone()));
            }
        }
    }
}

/// Draw the findings about `stream` at the bottom of the timeline `lane` (a triangle at each version they
/// name, coloured by severity); `x_of(index)` is the x of event `index`, `None` when it has none. Returns
/// the message of the finding under `pointer`, for a tooltip.
#[expect(
    clippy::too_many_arguments,
    reason = "the lane's geometry, the session and the cache"
)]
pub fn timeline_markers(
    painter: &egui::Painter,
    visuals: &egui::Visuals,
    session: &Session,
    stream: &LoadedStream,
    markers: &mut Markers,
    lane: Rect,
    x_of: &dyn Fn(usize) -> Option<f32>,
    pointer: Option<Pos2>,
) -> Option<String> {
    markers.refresh(session, stream);
    let mut hovered = None;
    for (index, severity, tip_text) in &markers.marks {
        let Some(x) = x_of(*index) else {
            continue;
        };
        let color = severity_color(visuals, *severity);
        let tip = Pos2::new(x, lane.bottom() - 11.0);
        painter.add(egui::Shape::convex_polygon(
            vec![
                tip,
                Pos2::new(x + 5.0, lane.bottom() - 2.0),
                Pos2::new(x - 5.0, lane.bottom() - 2.0),
            ],
            color,
            Stroke::new(1.0, visuals.extreme_bg_color),
        ));
        let near = pointer.is_some_and(|p| {
            Rect::from_center_size(Pos2::new(x, lane.bottom() - 6.0), Vec2::new(14.0, 14.0))
                .contains(p)
        });
        if near {
            hovered = Some(tip_text.clone());
        }
    }
    hovered
}
