//! The Search window: find events across every stream by a jq predicate over the event, its type, a time
//! range and text in the payload. The scan runs in the background; hits stream into a virtualized list with
//! a live count and a Cancel button, and clicking a hit opens its stream at that version.

use eframe::egui;
use egui_extras::{Column, TableBuilder};

use super::settings_window::problem_text;
use crate::core::audit::search::SearchQuery;
use crate::core::decode::{format_time, parse_time_text};
use crate::session::audit::{AuditCommand, JobStatus, MAX_HITS};
use crate::session::{Command, Session};

const ROW_HEIGHT: f32 = 20.0;

/// The search fields as typed, and whether the window is open.
#[derive(Default)]
pub struct SearchPanel {
    pub open: bool,
    /// Focus the predicate field on the next frame (Ctrl+Shift+F).
    focus: bool,
    predicate: String,
    types: String,
    from: String,
    to: String,
    text: String,
    /// Why the fields do not make a query (a time that does not parse).
    error: Option<String>,
}

impl SearchPanel {
    /// Open the window with the predicate field focused.
    pub fn start(&mut self) {
        self.open = true;
        self.focus = true;
    }

    /// Open the window with `predicate` typed in and run it (the `--search` option).
    pub fn search_for(&mut self, predicate: &str, commands: &mut Vec<Command>) {
        self.open = true;
        predicate.clone_into(&mut self.predicate);
        if let Some(query) = self.query() {
            commands.push(Command::Audit(AuditCommand::Search(query)));
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, session: &Session, commands: &mut Vec<Command>) {
        let mut open = self.open;
        egui::Window::new("Search")
            .open(&mut open)
            .default_size([720.0, 460.0])
            .show(ctx, |ui| self.ui(ui, session, commands));
        self.open = open;
    }

    /// The query the fields describe, or `None` with `error` set.
    fn query(&mut self) -> Option<SearchQuery> {
        self.error = None;
        let time = |text: &str, name: &str| -> Result<Option<_>, String> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            parse_time_text(text)
                .map(Some)
                .ok_or_else(|| format!("{name}: {text:?} is not a date/time"))
        };
        let range = time(&self.from, "From").and_then(|from| Ok((from, time(&self.to, "To")?)));
        let (from, to) = match range {
            Ok(range) => range,
            Err(message) => {
                self.error = Some(message);
                return None;
            }
        };
        let some = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        Some(SearchQuery {
            predicate: some(&self.predicate),
            types: self
                .types
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            from,
            to,
            text: some(&self.text),
        })
    }

    fn ui(&mut self, ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
        let mut submitted = false;
        egui::Grid::new("search_fields")
            .num_columns(2)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                let mut field = |ui: &mut egui::Ui,
                                 name: &str,
                                 value: &mut String,
                                 hint: &str,
                                 label: &str,
                                 focus: bool| {
                    ui.label(name);
                    let response = ui.add(
                        egui::TextEdit::singleline(value)
                            .hint_text(hint)
                            .desired_width(f32::INFINITY),
                    );
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::TextInput, true, label)
                    });
                    if focus {
                        response.request_focus();
                    }
                    submitted |=
                        response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    ui.end_row();
                };
                let focus = std::mem::take(&mut self.focus);
                field(
                    ui,
                    "jq",
                    &mut self.predicate,
                    ".data.status == \"shipped\" and .data.total > 100",
                    "Search predicate (jq)",
                    focus,
                );
                field(
                    ui,
                    "Types",
                    &mut self.types,
                    "OrderShipped, LineAdded (comma-separated)",
                    "Search event types",
                    false,
                );
                field(
                    ui,
                    "From",
                    &mut self.from,
                    "2024-03-01 00:00:00",
                    "Search from time",
                    false,
                );
                field(
                    ui,
                    "To",
                    &mut self.to,
                    "2024-04-01 00:00:00",
                    "Search to time",
                    false,
                );
                field(
                    ui,
                    "Text",
                    &mut self.text,
                    "text in the payload (any case)",
                    "Search payload text",
                    false,
                );
            });
        if !session.reducers().event_types().is_empty() {
            ui.horizontal(|ui| {
                ui.weak("Types in this store:");
                egui::ComboBox::from_id_salt("search_add_type")
                    .selected_text("add a type…")
                    .width(200.0)
                    .show_ui(ui, |ui| {
                        for name in session.reducers().event_types() {
                            if ui.selectable_label(false, name).clicked() {
                                if !self.types.trim().is_empty() {
                                    self.types.push_str(", ");
                                }
                                self.types.push_str(name);
                            }
                        }
                    });
            });
        }
        let run = &session.audit().search;
        ui.horizontal(|ui| {
            let button = ui
                .button("Search")
                .on_hover_text("Search every stream (Enter in a field)");
            button
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Run search"));
            if (button.clicked() || submitted)
                && let Some(query) = self.query()
            {
                commands.push(Command::Audit(AuditCommand::Search(query)));
            }
            if run.status.running() {
                if ui.button("Cancel search").clicked() {
                    commands.push(Command::Audit(AuditCommand::CancelSearch));
                }
                ui.add(egui::Spinner::new());
                if let Some(p) = run.progress {
                    #[expect(clippy::cast_precision_loss, reason = "a progress fraction")]
                    let fraction = p.scanned as f32 / p.total.max(1) as f32;
                    ui.add(
                        egui::ProgressBar::new(fraction)
                            .desired_width(180.0)
                            .text(format!("{}/{} events", p.scanned, p.total)),
                    );
                }
            }
            ui.label(status_text(session));
        });
        if let Some(error) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        if let JobStatus::Failed(problem) = &run.status {
            ui.colored_label(ui.visuals().error_fg_color, problem_text(problem));
        }
        if let Some(error) = run.summary.as_ref().and_then(|s| {
            s.first_error
                .as_ref()
                .map(|e| (s.predicate_errors, e.as_str()))
        }) {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "The predicate failed on {} events (they do not match); first: {}",
                    error.0, error.1
                ),
            );
        }
        if run.not_listed() > 0 {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "Only the first {MAX_HITS} hits are listed; {} more were counted.",
                    run.not_listed()
                ),
            );
        }
        ui.separator();
        hits_table_ui(ui, session, commands);
    }
}

/// "12 hits in 3,000 events", or what is going on.
fn status_text(session: &Session) -> String {
    let run = &session.audit().search;
    let hits = format!("{} hit{}", run.found, if run.found == 1 { "" } else { "s" });
    match &run.status {
        JobStatus::Idle => String::new(),
        JobStatus::Running => format!("{hits} so far"),
        JobStatus::Cancelled => format!("Cancelled: {hits} before it stopped"),
        JobStatus::Failed(_) => "The search failed.".to_owned(),
        JobStatus::Done => format!(
            "{hits} in {} events",
            run.summary.as_ref().map_or(0, |s| s.scanned)
        ),
    }
}

fn hits_table_ui(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    let hits = &session.audit().search.hits;
    let body_height = (ui.available_height() - ROW_HEIGHT - 4.0).max(80.0);
    TableBuilder::new(ui)
        .id_salt("search_hits")
        .striped(true)
        .sense(egui::Sense::click())
        .auto_shrink([false, false])
        .min_scrolled_height(body_height)
        .max_scroll_height(body_height)
        // Exact widths: a window's first frames are narrow, and resizable columns would keep those widths.
        .column(Column::exact(250.0))
        .column(Column::exact(60.0))
        .column(Column::exact(70.0))
        .column(Column::exact(130.0))
        .column(Column::remainder().at_least(120.0))
        .header(ROW_HEIGHT, |mut header| {
            for title in ["Stream", "Version", "Position", "Type", "Time"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, hits.len(), |mut row| {
                let Some(hit) = hits.get(row.index()) else {
                    return;
                };
                let stream = hits.stream(hit);
                for text in [
                    stream.to_owned(),
                    hit.version.to_string(),
                    hit.position.to_string(),
                    hits.event_type(hit).to_owned(),
                    hit.time.map(|t| format_time(&t)).unwrap_or_default(),
                ] {
                    row.col(|ui| {
                        ui.add(egui::Label::new(text).selectable(false).truncate());
                    });
                }
                if row
                    .response()
                    .on_hover_text("Open this stream at this version")
                    .clicked()
                {
                    commands.push(Command::OpenAt {
                        stream: stream.to_owned(),
                        version: hit.version,
                    });
                }
            });
        });
}
