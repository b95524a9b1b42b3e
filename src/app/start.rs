//! The start screen: open a file (dialog, typed path, drag and drop), recent files and the bundled samples.

use std::path::PathBuf;

use eframe::egui;

use super::{Action, Settings, bundled_samples};

/// What the start screen remembers between frames.
#[derive(Default)]
pub struct StartScreen {
    /// The typed path.
    pub path_text: String,
    /// A message for the user (a cancelled dialog, a failure).
    pub notice: Option<String>,
    /// The bundled samples, listed once rather than every frame.
    samples: Option<Vec<PathBuf>>,
}

impl StartScreen {
    pub fn ui(&mut self, ui: &mut egui::Ui, settings: &Settings, actions: &mut Vec<Action>) {
        let Self {
            path_text,
            notice,
            samples,
        } = self;
        ui.vertical_centered(|ui| {
            ui.add_space(24.0);
            ui.heading("Eventscope");
            ui.label("Browse the history kept in an event store (a SQLite file or a PostgreSQL database): streams, timeline, replayed state and diffs.");
            ui.weak("Stores are always opened read-only.");
            ui.add_space(6.0);
            if ui
                .link(super::help::HINT)
                .on_hover_text("Or Help > Keys and help, from any screen")
                .clicked()
            {
                actions.push(Action::ToggleHelp);
            }
            ui.add_space(16.0);
            ui.horizontal(|ui| {
                let width = 330.0;
                ui.add_space((ui.available_width() - width).max(0.0) / 2.0);
                if ui.button("Open a store…  (Ctrl+O)").clicked() {
                    actions.push(Action::ShowOpenDialog);
                }
                if ui.button("Connect to PostgreSQL…").clicked() {
                    actions.push(Action::ShowConnect);
                }
            });
            ui.add_space(6.0);
            ui.label("or drop a file on this window, or type its path:");
            ui.horizontal(|ui| {
                let width = (ui.available_width() * 0.5).max(300.0);
                ui.add_space((ui.available_width() - width - 80.0).max(0.0) / 2.0);
                let field = ui.add(
                    egui::TextEdit::singleline(path_text)
                        .desired_width(width)
                        .hint_text("/path/to/store.sqlite"),
                );
                field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "File path"));
                let submitted = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (ui.button("Open path").clicked() || submitted) && !path_text.trim().is_empty() {
                    actions.push(Action::Open(PathBuf::from(path_text.trim())));
                }
            });
            if let Some(text) = notice {
                ui.add_space(6.0);
                ui.colored_label(ui.visuals().warn_fg_color, text.as_str());
            }
        });
        ui.add_space(24.0);
        ui.columns(2, |columns| {
            let [left, right] = columns else { return };
            left.heading("Recent files");
            if settings.recent.is_empty() {
                left.weak("Nothing opened yet.");
            }
            for path in &settings.recent {
                if left.link(path.display().to_string()).clicked() {
                    actions.push(Action::Open(path.clone()));
                }
            }
            right.heading("Bundled samples");
            let samples = samples.get_or_insert_with(bundled_samples).clone();
            if samples.is_empty() {
                right.weak("No sample-data folder found.");
            }
            for path in samples {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if right
                    .link(name)
                    .on_hover_text(path.display().to_string())
                    .clicked()
                {
                    actions.push(Action::Open(path));
                }
            }
        });
    }
}
