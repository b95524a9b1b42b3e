//! The top bar's "Copy as command" menu: each `eventscope` command line that reproduces the view (built by
//! `session::command_line`, which knows nothing of egui), copied to the clipboard when clicked, so what a
//! person sees can be scripted.

use eframe::egui;

use crate::session::Session;
use crate::session::command_line::{ViewSpec, view_commands};

/// The menu's title, and the label tests find it by.
pub const MENU: &str = "Copy as command";

/// The menu, disabled with the reason until a stream is open.
pub fn copy_command_menu_ui(ui: &mut egui::Ui, session: Option<&Session>) {
    let open = session.is_some_and(|s| s.stream().is_some());
    ui.add_enabled_ui(open, |ui| {
        ui.menu_button(MENU, |ui| {
            let Some(spec) = session.and_then(ViewSpec::of) else {
                ui.label("No event at the playhead");
                return;
            };
            for command in view_commands(&spec) {
                let hover = if command.notes.is_empty() {
                    String::new()
                } else {
                    format!("\n\n{}", command.notes.join("\n"))
                };
                match command.line {
                    Ok(line) => {
                        let button = ui
                            .button(command.label)
                            .on_hover_text(format!("Copy:\n{line}{hover}"));
                        if button.clicked() {
                            // What to do first travels with the line, as comments a shell skips.
                            let mut text: String =
                                command.notes.iter().map(|note| format!("# {note}\n")).collect();
                            text.push_str(&line);
                            ui.ctx().copy_text(text);
                            ui.close();
                        }
                    }
                    Err(reason) => {
                        ui.add_enabled(false, egui::Button::new(command.label))
                            .on_disabled_hover_text(format!("{reason}{hover}"));
                    }
                }
            }
        })
        .response
        .on_hover_text(
            "The eventscope command lines that print what the window shows (state, events, diff, history) or \
             open it on this view. A cipher key is never copied: the line reads it from $EVENTSCOPE_CIPHER_KEY.",
        )
        .on_disabled_hover_text("Open a stream first: the commands reproduce the stream and version shown");
    });
}
