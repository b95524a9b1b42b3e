//! How the stream is replayed, and what the replay says: the reducer file (loaded, or edited in place with
//! the replay re-running as you type; errors name the event and the expression, and the last good result
//! stays on screen), the store's snapshots checked against the replay, replaying from a snapshot, and the
//! history of a field.

use std::path::PathBuf;

use eframe::egui;

use super::settings_window::problem_text;
use crate::core::decode::format_time;
use crate::core::replay::series::numeric;
use crate::session::{Command, Session};

/// Visual state of the replay controls.
#[derive(Default)]
pub struct ReplayPanel {
    /// The diff panel shows A -> B instead of the current event.
    pub show_ab: bool,
    pub patch_path: String,
    pub patch_notice: Option<String>,
    /// The inspect panels' texts, made when what they show changes.
    pub texts: super::inspect_texts::InspectTexts,
    editor_open: bool,
    /// The text being edited (sent to the session whenever it changes).
    text: String,
    path_text: String,
    notice: Option<String>,
}

const TEMPLATE: &str = r#"{
  "initial": {},
  "initial_by_type": {},
  "reducers": {
    "*": ". * $event.data"
  }
}"#;

impl ReplayPanel {
    /// The toolbar above the state: reducers, snapshots, replay from snapshot.
    pub fn toolbar_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Reducers:");
            match session.reducers().text() {
                None => ui.weak("default (deep merge)"),
                Some(_) => ui.strong("jq reducer file"),
            };
            if ui.button("Edit reducers…").clicked() {
                if self.text.is_empty() {
                    self.text = session.reducers().text().unwrap_or(TEMPLATE).to_owned();
                }
                self.editor_open = true;
            }
            if session.reducers().text().is_some() && ui.button("Use default").clicked() {
                commands.push(Command::SetReducers(None));
            }
            let Some(stream) = session.stream() else {
                return;
            };
            let snapshots = stream.loaded.snapshots.len();
            if snapshots > 0 {
                ui.separator();
                let mut on = session.from_snapshot();
                if ui
                    .checkbox(&mut on, "Replay from snapshot")
                    .on_hover_text(
                        "Start from the store's newest snapshot at or before the playhead",
                    )
                    .changed()
                {
                    commands.push(Command::SetFromSnapshot(on));
                }
                snapshots_menu_ui(ui, session, commands);
            }
        });
        if let Some(problem) = &session.reducers().error() {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!(
                    "Reducer error (showing the last good replay): {}",
                    problem_text(problem)
                ),
            );
        }
        let unmatched = session.reducers().unmatched_keys();
        if !unmatched.is_empty() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "Reducer keys that match no event type here: {}",
                    unmatched.join(", ")
                ),
            );
        }
        self.editor_ui(ui.ctx(), session, commands);
    }

    fn editor_ui(&mut self, ctx: &egui::Context, session: &Session, commands: &mut Vec<Command>) {
        let Self {
            editor_open,
            text,
            path_text,
            notice,
            ..
        } = self;
        let mut open = *editor_open;
        egui::Window::new("Reducers").open(&mut open).default_size([560.0, 460.0]).show(ctx, |ui| {
            ui.label("jq by event type: `.` is the state before the event, `$event` the event as `events --json` prints it.");
            ui.horizontal(|ui| {
                let field = ui.add(egui::TextEdit::singleline(path_text).hint_text("/path/to/reducers.json").desired_width(300.0));
                field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Reducer file path"));
                if ui.button("Load file").clicked() {
                    match std::fs::read_to_string(PathBuf::from(path_text.trim())) {
                        Ok(loaded) => {
                            *text = loaded;
                            *notice = None;
                            commands.push(Command::ReducersFile { path: PathBuf::from(path_text.trim()), text: text.clone() });
                            commands.push(Command::SetReducers(Some(text.clone())));
                        }
                        Err(err) => *notice = Some(format!("cannot read {}: {err}", path_text.trim())),
                    }
                }
                if ui.button("Save file").clicked() {
                    let target = PathBuf::from(path_text.trim());
                    *notice = Some(
                        match crate::core::audit::output::write_output_bytes(&target, session.store().path(), text.as_bytes()) {
                            Ok(()) => {
                                commands.push(Command::ReducersFile { path: target, text: text.clone() });
                                format!("saved {}", path_text.trim())
                            }
                            Err(err) => err.to_string(),
                        },
                    );
                }
            });
            if let Some(notice) = notice {
                ui.colored_label(ui.visuals().warn_fg_color, notice.as_str());
            }
            match &session.reducers().error() {
                Some(problem) => ui.colored_label(ui.visuals().error_fg_color, problem_text(problem)),
                None if session.reducers().text().is_some() => ui.colored_label(super::theme::good_color(ui.visuals()), "Replayed with these reducers."),
                None => ui.weak("Not applied yet: edit to apply."),
            };
            egui::ScrollArea::vertical().show(ui, |ui| {
                let editor = ui.add(
                    egui::TextEdit::multiline(text)
                        .code_editor()
                        .desired_rows(16)
                        .desired_width(f32::INFINITY),
                );
                editor.widget_info(|| egui::WidgetInfo::labeled(egui::Role::MultilineTextInput, true, "Reducer file"));
                if editor.changed() {
                    commands.push(Command::SetReducers(Some(text.clone())));
                }
            });
        });
        *editor_open = open;
    }

    /// The field history, when one is asked for: every event that changed the field; click to jump.
    pub fn history_ui(
        &mut self,
        ui: &mut egui::Ui,
        session: &Session,
        commands: &mut Vec<Command>,
    ) {
        let Some(history) = session.history() else {
            return;
        };
        ui.horizontal(|ui| {
            ui.strong(format!("History of {}", history.path));
            if ui.button("Close history").clicked() {
                commands.push(Command::CloseHistory);
            }
            let numbers = matches!(&history.changes, Some(Ok(changes)) if changes
                .iter()
                .any(|c| c.new.as_ref().and_then(numeric).is_some()));
            let charted = session
                .chart()
                .is_some_and(|c| c.paths().contains(&history.path));
            if numbers
                && !charted
                && ui
                    .button("Chart it")
                    .on_hover_text(format!(
                        "Draw {} after every event under the timeline",
                        history.path
                    ))
                    .clicked()
            {
                commands.push(Command::ChartField(history.path.clone()));
            }
        });
        let changes = match &history.changes {
            None => {
                ui.spinner();
                return;
            }
            Some(Err(problem)) => {
                ui.colored_label(ui.visuals().error_fg_color, problem_text(problem));
                return;
            }
            Some(Ok(changes)) => changes,
        };
        ui.weak(format!("{} events changed it", changes.len()));
        let cursor = session.stream().map(|s| s.cursor);
        egui_extras::TableBuilder::new(ui)
            .id_salt("history_table")
            .striped(true)
            .sense(egui::Sense::click())
            .auto_shrink([false, false])
            // Fit the panel the user sized (a taller minimum would spill over the state above it).
            .min_scrolled_height(40.0)
            .column(egui_extras::Column::auto().at_least(60.0))
            .column(egui_extras::Column::auto().at_least(190.0).clip(true))
            .column(egui_extras::Column::auto().at_least(170.0).clip(true))
            .column(egui_extras::Column::remainder().clip(true))
            .header(18.0, |mut header| {
                for title in ["Version", "Time", "Type", "Old -> new"] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(18.0, changes.len(), |mut row| {
                    let Some(change) = changes.get(row.index()) else {
                        return;
                    };
                    row.set_selected(cursor == Some(change.index));
                    row.col(|ui| {
                        ui.add(egui::Label::new(change.version.to_string()).selectable(false));
                    });
                    row.col(|ui| {
                        let time = change.time.map(|t| format_time(&t)).unwrap_or_default();
                        ui.add(egui::Label::new(time).truncate().selectable(false));
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(&change.event_type)
                                .truncate()
                                .selectable(false),
                        );
                    });
                    row.col(|ui| {
                        let show = |v: &Option<serde_json::Value>| {
                            v.as_ref().map_or_else(
                                || "(absent)".to_owned(),
                                |v| serde_json::to_string(v).unwrap_or_default(),
                            )
                        };
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(format!(
                                    "{} -> {}",
                                    show(&change.old),
                                    show(&change.new)
                                ))
                                .monospace(),
                            )
                            .truncate()
                            .selectable(false),
                        );
                    });
                    if row.response().clicked() {
                        commands.push(Command::JumpTo(change.index));
                    }
                });
            });
    }
}

fn snapshots_menu_ui(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    let Some(stream) = session.stream() else {
        return;
    };
    let (label, color) = match &stream.loaded.snapshot_checks {
        Ok(checks) => {
            let bad = checks.iter().filter(|c| !c.matches).count();
            let color = if bad > 0 {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().text_color()
            };
            (
                format!("Snapshots: {} ({bad} disagree)", checks.len()),
                color,
            )
        }
        Err(_) => (
            "Snapshots: not checked".to_owned(),
            ui.visuals().warn_fg_color,
        ),
    };
    ui.menu_button(egui::RichText::new(label).color(color), |ui| match &stream
        .loaded
        .snapshot_checks
    {
        Err(problem) => {
            ui.colored_label(ui.visuals().error_fg_color, problem_text(problem));
        }
        Ok(checks) => {
            for check in checks {
                let verdict = if check.matches { "agrees" } else { "DISAGREES" };
                let text = format!(
                    "version {} · {} · {verdict}",
                    check.version, check.snapshot_type
                );
                let mut hover = check.problem.clone().unwrap_or_default();
                for change in check.changes.iter().take(12) {
                    hover.push_str(&format!(
                        "\n{:?} {}: {} -> {}",
                        change.op,
                        change.path,
                        change
                            .old
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        change
                            .new
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default()
                    ));
                }
                let button = ui.button(text);
                let button = if hover.is_empty() {
                    button
                } else {
                    button.on_hover_text(hover.trim())
                };
                if button.clicked() {
                    commands.push(Command::GoToVersion(check.version));
                    ui.close();
                }
            }
        }
    });
}
